"""Issue 9, "File names with a newline or control characters forge lines in text output and
break the JUnit XML" and "names are escaped in every output format": every formatter, fed a
file name and SOP text made to forge report lines or drive the terminal."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sop_lint.engine import FileResult, Report
from sop_lint.formatters import FORMATTERS, format_report
from sop_lint.formatters.text import escape_controls
from sop_lint.model import Finding, Severity, Span

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
FORGED = "a\nb:1:1: E999 forged.md"  # a newline that would start a finding of its own
COLOURED = "docs/\x1b[31mred\x1b[0m.md"  # an ESC sequence in a name
NOT_UTF8 = "docs/retur-\udcff.md"  # a name that is not UTF-8 (os.fsdecode's surrogate)
HOSTILE_NAMES = [FORGED, COLOURED, NOT_UTF8, "docs/bell\x07\x00\x7f\x85\u2028.md"]

# An SOP line (Swedish) with a screen-clearing escape sequence: quoted in the source line
# and in the message of a finding.
CLEAR_SCREEN = "Skanna kvittot.\x1b[2J\x1b[H Kontrollera varan\r och lämna tillbaka pengarna."


def _report(path: str, line: str = CLEAR_SCREEN) -> Report:
    finding = Finding(
        path,
        Span(3, 1, 3, 8),
        "S002",
        "sentence-too-long",
        Severity.WARNING,
        f'Sentence "{line[:60]}" is too long.',
        "Split it:\x1b[2J two sentences.",
        line,
    )
    return Report(files=[FileResult(path, [finding])], errors=[f"{path}: no such file or folder"])


def _visible(text: str) -> None:
    """No character in ``text`` that acts on a terminal or breaks a line."""
    for bad in ("\x1b", "\x00", "\x07", "\r", "\x7f", "\x85", "\u2028"):
        assert bad not in text, repr(bad)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_text_output_escapes_control_characters_in_file_names(name: str) -> None:
    out = format_report(_report(name), "text", color=False)
    _visible(out)
    # The forged "finding" stays on the real finding's line, shown as \n.
    assert not any(line.startswith("b:1:1: E999") for line in out.splitlines())
    if name == FORGED:
        assert "a\\nb:1:1: E999 forged.md:3:1: S002" in out
    out.encode("utf-8")  # writable


@pytest.mark.parametrize("quiet", [False, True])
def test_text_output_escapes_terminal_sequences_quoted_from_an_sop_line(quiet: bool) -> None:
    out = format_report(_report("docs/sv/retur.md"), "text", color=False, quiet=quiet)
    _visible(out)
    assert "\\x1b[2J" in out
    if not quiet:
        assert " 3 | Skanna kvittot.\\x1b[2J\\x1b[H Kontrollera varan\\r och" in out


def test_text_output_caret_still_points_at_the_span_after_escaping() -> None:
    line = "\x1b[2J Läs kvittot."
    finding = Finding("a.md", Span(1, 2, 1, 5), "S002", "x", Severity.WARNING, "m", None, line)
    out = format_report(Report(files=[FileResult("a.md", [finding])]), "text")
    source, caret = out.splitlines()[1:3]
    assert source == " 1 | \\x1b[2J Läs kvittot."
    # Columns 2-4 of the line are "[2J", shown after the 4 characters of "\x1b".
    assert caret == "   | " + " " * 4 + "^^^"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_junit_output_is_well_formed_xml_with_hostile_names(name: str) -> None:
    out = format_report(_report(name), "junit")
    root = ET.fromstring(out.encode("utf-8"))  # raises on a character XML 1.0 forbids
    _visible(out)
    suite = root.find("testsuite")
    assert suite is not None and "\n" not in suite.get("name", "")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_and_sarif_output_stay_valid_json_with_hostile_names(name: str, fmt: str) -> None:
    out = format_report(_report(name), fmt)
    out.encode("utf-8")  # no lone surrogate left: the report can be written
    data = json.loads(out)
    text = json.dumps(data)
    assert "\\u001b" in text  # the ESC is kept, JSON-escaped, as data
    if fmt == "json":
        assert data["findings"][0]["path"] == name


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_github_annotations_escape_names_and_messages(name: str) -> None:
    out = format_report(_report(name), "github")
    lines = out.splitlines()
    # One workflow command per finding and per error: nothing forged.
    assert len(lines) == 2 and all(line.startswith("::") for line in lines)
    _visible(out)
    out.encode("utf-8")
    properties = lines[0].split("::")[1]
    file_property = properties.split("file=", 1)[1].split(",line=")[0]
    assert ":" not in file_property and "," not in file_property
    if name == FORGED:
        assert file_property == "a%0Ab%3A1%3A1%3A E999 forged.md"
    assert "%0D" in lines[0]  # the CR in the quoted line


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_checkstyle_output_is_well_formed_xml_with_hostile_names(name: str) -> None:
    out = format_report(_report(name), "checkstyle")
    root = ET.fromstring(out.encode("utf-8"))  # raises on a character XML 1.0 forbids
    _visible(out)
    names = [node.get("name", "") for node in root.findall("file")]
    assert len(names) == 2 and not any("\n" in n for n in names)
    message = root.find("file/error").get("message", "")
    assert "\\x1b[2J" in message  # the ESC in the message, shown escaped


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_gitlab_output_stays_valid_json_with_hostile_names(name: str) -> None:
    out = format_report(_report(name), "gitlab")
    out.encode("utf-8")
    (issue,) = json.loads(out)
    assert issue["location"]["path"] == name
    assert "\\u001b" in json.dumps(issue)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_rdjsonl_keeps_one_diagnostic_per_line_with_hostile_names(name: str) -> None:
    out = format_report(_report(name), "rdjsonl")
    out.encode("utf-8")
    _visible(out)
    # One physical line per finding, whatever splits lines: \n, \r, NEL, U+2028.
    assert len(out.splitlines()) == 1 and out.endswith("\n")
    (diagnostic,) = [json.loads(line) for line in out.splitlines()]
    assert diagnostic["location"]["path"] == name


def test_every_formatter_is_covered() -> None:
    assert set(FORMATTERS) == {
        "text",
        "json",
        "sarif",
        "github",
        "junit",
        "gitlab",
        "rdjsonl",
        "checkstyle",
    }


def test_stats_table_shows_hostile_file_names_escaped(project, cli):
    sop = "---\nid: CS-014\ntitle: Retur\nlang: sv\n---\n# Retur\n\nTa emot varan.\n"
    project.write("docs/[bold]fet\x1b[2J.md", sop)
    result = cli("stats", "docs")
    assert "\x1b[2J" not in result.stdout
    assert "[bold]fet\\x1b[2J.md" in result.stdout.replace("\n", "")


@settings(max_examples=150, deadline=None, derandomize=True)
@given(path=st.text(min_size=1, max_size=30), line=st.text(max_size=60))
def test_property_text_and_junit_output_never_carry_controls_whatever_the_name(path, line):
    finding = Finding(path, Span(1, 1, 1, 2), "S002", "x", Severity.WARNING, line, line, line)
    report = Report(files=[FileResult(path, [finding])])
    text = format_report(report, "text", quiet=True)
    # One finding, one line (and, with -q, nothing else), whatever the name and the
    # message hold.
    lines = text.rstrip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith(escape_controls(path) + ":1:1: S002 ")
    assert not any(_CONTROL.search(x) for x in lines)
    text.encode("utf-8")
    ET.fromstring(format_report(report, "junit").encode("utf-8"))
    json.loads(format_report(report, "json"))
    assert len(format_report(report, "github").splitlines()) == 1
    ET.fromstring(format_report(report, "checkstyle").encode("utf-8"))
    json.loads(format_report(report, "gitlab"))
    assert len(format_report(report, "rdjsonl").splitlines()) == 1


def test_stats_json_with_a_file_name_that_is_not_utf8_is_valid_json(project, cli):
    sop = "---\nid: CS-014\ntitle: Retur\nlang: sv\n---\n# Retur\n\nTa emot varan.\n"
    (project.root / "docs").mkdir()
    (project.root / os.fsdecode(b"docs/retur-\xff.md")).write_text(sop)
    result = cli("stats", "docs", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"][0]["path"] == "docs/retur-\udcff.md"


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_check_real_files_with_hostile_names_in_every_format(project, cli, fmt):
    """End to end: files really named with a newline, an ESC sequence and a byte that is
    not UTF-8, with an SOP line that clears the screen."""
    sop = "---\nid: CS-014\ntitle: Retur\nlang: sv\n---\n# Retur\n\nTa emot varan.\x1b[2J TODO\n"
    for name in ("docs/a\nb:1:1: E999 forged.md", "docs/\x1b[31mröd.md"):
        project.write(name, sop)
    (project.root / os.fsdecode(b"docs/retur-\xff.md")).write_text(sop)
    result = cli("check", "docs", "--format", fmt, "--select", "T")
    assert result.exit_code == 1, result.output
    out = result.stdout
    out.encode("utf-8")
    assert "\x1b" not in out
    if fmt == "text":
        assert not any(line.startswith("b:1:1: E999") for line in out.splitlines())
    elif fmt == "junit":
        ET.fromstring(out.encode("utf-8"))
    elif fmt in ("json", "sarif"):
        json.loads(out)
    elif fmt == "github":
        assert all(line.startswith("::") for line in out.splitlines())
