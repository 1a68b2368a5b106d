"""Output formats: text, JSON (contract v1), SARIF 2.1.0, GitHub workflow commands, JUnit."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import lint

from sop_lint import __version__
from sop_lint.engine import FileResult, Report
from sop_lint.formatters import FORMATTERS, format_report
from sop_lint.model import Finding, Severity, Span
from sop_lint.rules import all_rules

# 31 words in a step: B001 warning at 3:4.
RETURNS = (
    "# Product returns\n\n"
    "1. Ask the customer for the receipt and the card they pay with, and write the order "
    "number on the return slip before you take the returned item and put it aside.\n"
)
STEP_END = 4 + len(RETURNS.splitlines()[2]) - 3  # end column of the step's sentence
# 16 steps and a level-4 heading two levels under the "##" section after it, in Swedish:
# B003 (a warning) and B004 (an info).
TOW_SV = (
    "#### Bärgning\n\n" + "".join(f"{n}. Ring bärgaren.\n" for n in range(1, 17)) + "\n## Kontakt\n"
)


def report_of(files: dict[str, tuple[str, str]], errors: list[str] | None = None) -> Report:
    """A report as ``check`` builds it, for inline files ``{path: (text, lang)}``."""
    results = [
        FileResult(path, lint(text, lang, path=path)) for path, (text, lang) in files.items()
    ]
    return Report(results, errors or [])


@pytest.fixture
def report() -> Report:
    return report_of(
        {
            "docs/en/returns.md": (RETURNS, "en"),
            "docs/sv/bärgning.md": (TOW_SV, "sv"),
            "docs/nb/retur.md": ("# Retur\n\nTa imot varen.\n", "nb"),
        }
    )


def test_every_format_is_registered():
    assert sorted(FORMATTERS) == [
        "checkstyle",
        "github",
        "gitlab",
        "json",
        "junit",
        "rdjsonl",
        "sarif",
        "text",
    ]


# -- text ------------------------------------------------------------------------------------


def test_text_shows_location_code_severity_message_source_caret_and_help(report):
    out = format_report(report, "text")
    first = out.split("\n\n")[0]
    step = RETURNS.splitlines()[2]
    assert first.splitlines() == [
        "docs/en/returns.md:3:4: B001 [warning] Sentence has 31 words; split it: steps should "
        "stay at or under 30 words.",
        f" 3 | {step}",
        "   |    " + "^" * (len(step) - 3),
        "   = help: Split it into two or more sentences (split after “they pay with”).",
    ]
    assert out.endswith("\nChecked 3 files: 0 errors, 2 warnings, 1 info.\n")


def test_text_lists_findings_in_file_then_line_order(report):
    heads = [
        line for line in format_report(report, "text").splitlines() if line.startswith("docs/")
    ]
    assert [h.split(" [")[0] for h in heads] == [
        "docs/en/returns.md:3:4: B001",
        "docs/sv/bärgning.md:1:6: B004",
        "docs/sv/bärgning.md:3:1: B003",
    ]


def test_text_quiet_prints_one_line_per_finding_and_nothing_else(report):
    # Issue 11: -q prints nothing but findings (no summary line).
    out = format_report(report, "text", quiet=True)
    lines = out.splitlines()
    assert len(lines) == 3
    assert all(": B00" in line for line in lines)


def test_text_summary_for_a_clean_run_and_singulars():
    clean = report_of({"docs/nb/retur.md": ("Ta imot varen.\n", "nb")})
    assert format_report(clean, "text") == "Checked 1 file: no findings.\n"
    assert format_report(clean, "text", quiet=True) == ""
    one = report_of({"docs/en/returns.md": (RETURNS, "en")})
    one.files[0].findings[0].severity = Severity.ERROR
    assert format_report(one, "text").endswith("Checked 1 file: 1 error, 0 warnings, 0 info.\n")


def test_text_statistics_count_findings_per_rule(report):
    out = format_report(report, "text", show_statistics=True)
    assert "     1  B001  sentence-too-long  [warning]" in out
    assert "     1  B003  procedure-too-long  [warning]" in out


def test_text_caret_under_telugu_is_measured_in_display_cells():
    # Consonant letters take one cell; vowel signs, viramas and the ZWNJ take none.
    # "కస్టమర్‌కు" is 10 code points but 6 cells (క స ట మ ర క); "క్షమాపణ" is 7 code points
    # but 5 cells (క ష మ ప ణ). The heading text is 6 + 1 + 5 = 12 cells wide.
    text = "#### కస్టమర్‌కు క్షమాపణ\n\n## ఫోన్\n"
    out = format_report(report_of({"te.md": (text, "te")}), "text")
    source, caret = out.splitlines()[1:3]
    assert source == " 1 | #### కస్టమర్‌కు క్షమాపణ"
    assert caret == "   | " + " " * 5 + "^" * 12


def test_text_colour_only_when_asked(report):
    assert "\x1b[" not in format_report(report, "text")
    assert "\x1b[" in format_report(report, "text", color=True)


# -- JSON ------------------------------------------------------------------------------------


def test_json_contract_version_1(report):
    data = json.loads(format_report(report, "json"))
    assert data["version"] == 1
    assert data["findings"][0] == {
        "path": "docs/en/returns.md",
        "line": 3,
        "column": 4,
        "end_line": 3,
        "end_column": STEP_END,
        "rule": "B001",
        "name": "sentence-too-long",
        "severity": "warning",
        "message": "Sentence has 31 words; split it: steps should stay at or under 30 words.",
        "suggestion": "Split it into two or more sentences (split after “they pay with”).",
    }
    assert data["findings"][1] == {
        "path": "docs/sv/bärgning.md",
        "line": 1,
        "column": 6,
        "end_line": 1,
        "end_column": 14,
        "rule": "B004",
        "name": "heading-too-deep",
        "severity": "info",
        "message": "Heading is 2 levels below this SOP's section headings (##); keep to 1 "
        "level(s) of subsections: if the section does two jobs, split it into its own SOP, or "
        "promote this heading to ###.",
    }
    assert "suggestion" not in data["findings"][1]
    assert data["summary"] == {
        "files": 3,
        "findings": 3,
        "error": 0,
        "warning": 2,
        "info": 1,
        "errors": [],
    }


def test_json_keeps_non_ascii_as_is_and_lists_usage_errors():
    report = report_of(
        {"docs/sv/bärgning.md": (TOW_SV, "sv")}, ["docs/saknas.md: no such file or folder"]
    )
    out = format_report(report, "json")
    assert "bärgning" in out  # not \u00e4
    assert json.loads(out)["summary"]["errors"] == ["docs/saknas.md: no such file or folder"]


def test_json_lines_and_columns_are_1_based():
    report = report_of({"x.md": ("#### Tow truck\n\n## Calls\n", "en")})
    [finding] = json.loads(format_report(report, "json"))["findings"]
    assert (finding["line"], finding["column"]) == (1, 6)


# -- SARIF -----------------------------------------------------------------------------------


def test_sarif_2_1_0_top_level_and_driver(report):
    sarif = json.loads(format_report(report, "sarif"))
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    [run] = sarif["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("sop-lint", __version__)
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == [r.code for r in all_rules()]
    b001 = next(r for r in driver["rules"] if r["id"] == "B001")
    assert b001["name"] == "sentence-too-long"
    assert b001["shortDescription"] == {
        "text": "Flags a sentence with more words than a reader takes in at once."
    }
    assert b001["fullDescription"]["text"].startswith("Flags a sentence")
    assert "**Why:**" in b001["help"]["markdown"]
    assert b001["defaultConfiguration"] == {"level": "warning"}
    assert b001["properties"] == {"tags": ["brevity"]}
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}
    assert (levels["S001"], levels["R003"]) == ("error", "note")
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}}


def test_sarif_results_have_rule_index_level_message_and_region(report):
    sarif = json.loads(format_report(report, "sarif"))
    [run] = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    first, second, third = run["results"]
    assert first["ruleId"] == "B001"
    assert rules[first["ruleIndex"]]["id"] == "B001"
    assert first["level"] == "warning"
    assert first["message"]["text"] == (
        "Sentence has 31 words; split it: steps should stay at or under 30 words. "
        "Suggestion: Split it into two or more sentences (split after “they pay with”)."
    )
    [location] = first["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "docs/en/returns.md", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 4, "endLine": 3, "endColumn": STEP_END},
    }
    assert len(first["partialFingerprints"]["primaryLocationLineHash"]) == 64
    # Non-ASCII paths are percent-encoded in the relative URI.
    assert second["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "docs/sv/b%C3%A4rgning.md",
        "uriBaseId": "%SRCROOT%",
    }
    assert rules[third["ruleIndex"]]["id"] == third["ruleId"] == "B003"


def test_sarif_levels_map_info_to_note_and_absolute_paths_to_file_uris(tmp_path):
    finding = Finding(
        str(tmp_path / "te.md"),
        Span(5, 3, 5, 20),
        "R003",
        "readability-not-graded",
        Severity.INFO,
        "Readability is not graded for Telugu yet.",
    )
    sarif = json.loads(format_report(Report([FileResult(finding.path, [finding])]), "sarif"))
    [result] = sarif["runs"][0]["results"]
    assert result["level"] == "note"
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (tmp_path / "te.md").as_uri()}


def test_sarif_fingerprint_is_stable_when_lines_move():
    a = json.loads(format_report(report_of({"r.md": (RETURNS, "en")}), "sarif"))
    b = json.loads(format_report(report_of({"r.md": ("\n\n" + RETURNS, "en")}), "sarif"))
    [ra], [rb] = a["runs"][0]["results"], b["runs"][0]["results"]
    assert ra["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert rb["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert ra["partialFingerprints"] == rb["partialFingerprints"]


# -- GitHub workflow commands ----------------------------------------------------------------


def test_github_annotations_one_per_finding(report):
    lines = format_report(report, "github").splitlines()
    assert lines[0] == (
        f"::warning file=docs/en/returns.md,line=3,col=4,endLine=3,endColumn={STEP_END},"
        "title=B001 sentence-too-long::Sentence has 31 words; split it: steps should stay at or "
        "under 30 words. Suggestion: Split it into two or more sentences (split after “they "
        "pay with”)."
    )
    assert lines[1].startswith(
        "::notice file=docs/sv/bärgning.md,line=1,col=6,endLine=1,endColumn=14,"
        "title=B004 heading-too-deep::Heading is 2 levels below"
    )
    assert len(lines) == 3


def test_github_escapes_data_and_properties():
    finding = Finding(
        "docs/en/returns, 2024:old.md",
        Span(2, 1, 3, 5),
        "B001",
        "sentence-too-long",
        Severity.ERROR,
        "Refund 100% of the price,\r\nthen close the case.",
        None,
    )
    info = Finding(
        "docs/te.md",
        Span(5, 3, 5, 20),
        "R003",
        "readability-not-graded",
        Severity.INFO,
        "5.5 words per sentence",
    )
    report = Report([FileResult(finding.path, [finding, info])], ["docs/x.md: no such file"])
    assert format_report(report, "github").splitlines() == [
        "::error file=docs/en/returns%2C 2024%3Aold.md,line=2,col=1,endLine=3,endColumn=5,"
        "title=B001 sentence-too-long::Refund 100%25 of the price,%0D%0Athen close the case.",
        "::notice file=docs/te.md,line=5,col=3,endLine=5,endColumn=20,"
        "title=R003 readability-not-graded::5.5 words per sentence",
        "::error title=sop-lint::docs/x.md: no such file",
    ]


def test_github_output_is_empty_without_findings():
    assert format_report(report_of({"r.md": ("Ta imot varen.\n", "nb")}), "github") == ""


# -- JUnit XML -------------------------------------------------------------------------------


def test_junit_xml_parses_with_one_suite_per_file_and_one_failure_per_finding(report):
    out = format_report(report, "junit")
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(out.split("\n", 1)[1])
    assert root.tag == "testsuites"
    assert (root.get("name"), root.get("tests"), root.get("failures"), root.get("errors")) == (
        "sop-lint",
        "4",
        "2",  # the B004 info is a passing test case, not a failure
        "0",
    )
    suites = root.findall("testsuite")
    assert [(s.get("name"), s.get("tests"), s.get("failures")) for s in suites] == [
        ("docs/en/returns.md", "1", "1"),
        ("docs/sv/bärgning.md", "2", "1"),
        ("docs/nb/retur.md", "1", "0"),
    ]
    [case] = suites[0].findall("testcase")
    assert case.get("name") == "B001 sentence-too-long at 3:4"
    assert (case.get("classname"), case.get("file"), case.get("line")) == (
        "docs/en/returns.md",
        "docs/en/returns.md",
        "3",
    )
    failure = case.find("failure")
    assert failure.get("type") == "warning"
    assert failure.get("message").startswith("Sentence has 31 words;")
    assert failure.text.splitlines() == [
        "docs/en/returns.md:3:4: B001 [warning] Sentence has 31 words; split it: steps should "
        "stay at or under 30 words.",
        "Suggestion: Split it into two or more sentences (split after “they pay with”).",
    ]
    [passing] = suites[2].findall("testcase")
    assert passing.find("failure") is None


def test_junit_escapes_markup_in_messages():
    finding = Finding(
        "docs/en/a&b.md",
        Span(1, 1, 1, 2),
        "B001",
        "sentence-too-long",
        Severity.WARNING,
        'Use <kbd>F5</kbd> & "Save"',
    )
    out = format_report(Report([FileResult(finding.path, [finding])]), "junit")
    root = ET.fromstring(out.split("\n", 1)[1])
    failure = root.find("testsuite/testcase/failure")
    assert failure.get("message") == 'Use <kbd>F5</kbd> & "Save"'
    assert root.find("testsuite").get("name") == "docs/en/a&b.md"
