"""Issue 9, "invalid values and finding positions": hostile front-matter values become
findings at their line (never internal errors), and every finding lies inside the file.

Each test names the issue bullet it covers:
- ``test_values_*``: "A front-matter date that does not exist, a 5,000-digit integer or
  deeply nested data is an internal error: the file's findings are dropped, exit 2, and
  the site build aborts".
- ``test_positions_*``: "Findings past the end of the file" and "every finding's position
  lies inside the file".
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from sop_lint import check_text
from sop_lint.cli import main
from sop_lint.config import parse_config
from sop_lint.parser import split_front_matter
from sop_lint.rules.base import all_rules

# Realistic SOPs in the four languages. {review} is the review date as written; {extra}
# lines go at the end of the front matter. Each has a finding of its own in the body (a
# wordy phrase, or missing sections), which must survive a bad front-matter value.
SOPS = {
    "en": """\
        ---
        id: CS-004
        title: Dispatching a tow truck
        version: "1.2"
        status: effective
        owner: Dispatch lead
        approved_by: Operations manager
        approved_on: 2026-01-10
        effective_date: 2026-01-15
        review_due: {review}
        applies_to: all
        lang: en
        {extra}---

        # Dispatching a tow truck

        ## Purpose

        This SOP describes how dispatchers send a tow truck in order to help a stranded driver.
        """,
    "sv": """\
        ---
        id: KS-012
        title: Returer i butik
        version: "2.0"
        status: effective
        owner: Butikschef
        approved_by: Regionchef
        approved_on: 2026-01-10
        effective_date: 2026-01-15
        review_due: {review}
        applies_to: all
        lang: sv
        {extra}---

        # Returer i butik

        ## Syfte

        Rutinen beskriver hur personalen tar emot varor som kunden lämnar tillbaka.
        """,
    "nb": """\
        ---
        id: KS-031
        title: Reklamasjon på sykkel
        version: "1.0"
        status: effective
        owner: Verkstedleder
        approved_by: Daglig leder
        approved_on: 2026-01-10
        effective_date: 2026-01-15
        review_due: {review}
        applies_to: all
        lang: nb
        {extra}---

        # Reklamasjon på sykkel

        ## Formål

        Prosedyren beskriver hvordan verkstedet tar imot en sykkel kunden reklamerer på.
        """,
    "te": """\
        ---
        id: CS-101
        title: దుకాణంలో వస్తువుల వాపసు
        version: "1.0"
        status: effective
        owner: దుకాణ నిర్వాహకుడు
        approved_by: ప్రాంతీయ నిర్వాహకుడు
        approved_on: 2026-01-10
        effective_date: 2026-01-15
        review_due: {review}
        applies_to: all
        lang: te
        {extra}---

        # దుకాణంలో వస్తువుల వాపసు

        ## ఉద్దేశ్యం

        కస్టమర్ తిరిగి ఇచ్చిన వస్తువులను సిబ్బంది ఎలా స్వీకరించాలో ఈ SOP వివరిస్తుంది.
        """,
}
REVIEW_LINE = 10  # the line of review_due in every SOP above
EXTRA_LINE = 13  # the line of the first {extra} line


def write_sop(lang: str, review: str = "2027-01-31", extra: str = "") -> str:
    text = textwrap.dedent(SOPS[lang])
    return text.replace("{review}", review).replace("{extra}", extra)


def run_check(root: Path, text: str, name: str = "sop.md") -> tuple[int, list[dict], str]:
    """``sop-lint check --format json`` on one file in ``root``: exit code, findings, stderr."""
    (root / "docs").mkdir(exist_ok=True)
    path = root / "docs" / name
    path.write_text(text, "utf-8")
    result = CliRunner().invoke(
        main, ["check", "--format", "json", str(path)], catch_exceptions=False
    )
    findings = json.loads(result.stdout)["findings"] if result.stdout.strip() else []
    return result.exit_code, findings, result.stderr


def at(findings: list[dict], rule: str) -> list[tuple[int, int, str]]:
    return [(f["line"], f["column"], f["message"]) for f in findings if f["rule"] == rule]


@pytest.fixture
def root(project) -> Path:
    project.write("pyproject.toml", '[tool.sop-lint]\ndocs = "docs"\n')
    return project.root


# -- issue bullet: a date that does not exist, odd timestamps ---------------------------------


@pytest.mark.parametrize("lang", ["en", "sv", "nb", "te"])
def test_values_a_review_date_that_does_not_exist_is_a_finding_at_its_line(root, lang):
    code, findings, stderr = run_check(root, write_sop(lang, review="2027-02-30"))
    assert stderr == "" and code == 1
    assert at(findings, "S002") == [
        (
            REVIEW_LINE,
            13,
            '"2027-02-30" is not a date: February 2027 has 28 days; write dates as '
            "YYYY-MM-DD, e.g. 2027-02-28",
        )
    ]
    assert at(findings, "T007") == []  # said once, not twice
    # The rest of the file is still checked: its missing sections are reported.
    assert any(f["rule"] == "T001" for f in findings)


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("2027-13-01", "there is no month 13"),
        ("0000-01-01", "there is no year 0"),
        ("2027-04-31", "April 2027 has 30 days"),
        ("2028-02-30", "February 2028 has 29 days"),
        ("2027-01-31 25:61:61", "the time after the date is not a time of day"),
        ("2027-01-31t10:00:00+99:00", "the time after the date is not a time of day"),
        ("2027-1-3 24:00:00", "the time after the date is not a time of day"),
    ],
)
def test_values_odd_timestamps_are_findings_not_internal_errors(root, written, why):
    code, findings, stderr = run_check(root, write_sop("en", review=written))
    assert stderr == "" and code == 1
    assert at(findings, "S002") == [
        (
            REVIEW_LINE,
            13,
            f'"{written}" is not a date: {why}; write dates as YYYY-MM-DD, e.g. 2027-02-28',
        )
    ]


def test_values_an_explicit_tag_that_does_not_fit_its_value_is_a_finding(root):
    extra = "reviewed_on: !!timestamp soon\nprinted: !!int many\nfragile: !!bool perhaps\n"
    code, findings, stderr = run_check(root, write_sop("sv", extra=extra))
    assert stderr == "" and code == 1
    assert at(findings, "S002") == [
        (
            EXTRA_LINE,
            14,
            '"soon" is not a date: it is not a real date and time; write dates '
            "as YYYY-MM-DD, e.g. 2027-02-28",
        ),
        (EXTRA_LINE + 1, 10, '"many" is not a valid int; quote it if it is text'),
        (EXTRA_LINE + 2, 10, '"perhaps" is not a valid bool; quote it if it is text'),
    ]


# -- issue bullet: a 5,000-digit integer ------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "column"),
    [
        ("approved_copies: 1" + "0" * 5000 + "\n", 18),
        ("approved_copies: 0x" + "f" * 5000 + "\n", 18),  # hex: int() accepts, str() refuses
        ("approved_copies: -" + "9" * 5000 + "\n", 18),
    ],
    ids=["decimal", "hex", "negative"],
)
def test_values_a_5000_digit_number_is_a_finding_and_the_rest_is_kept(root, extra, column):
    code, findings, stderr = run_check(root, write_sop("nb", extra=extra))
    assert stderr == "" and code == 1
    [(line, col, message)] = at(findings, "S002")
    assert (line, col) == (EXTRA_LINE, column)
    assert message.startswith("this number is 50") and "shorten it" in message
    assert any(f["rule"] == "T001" for f in findings)  # the SOP's own findings are kept


def test_values_a_5000_digit_version_in_front_matter_and_history_is_no_crash(root):
    version = "1." + "0" * 5000 + "1"
    text = write_sop("en").replace('version: "1.2"', f'version: "{version}"') + (
        "\n## Revision history\n\n| Version | Date | Change | Author |\n|---|---|---|---|\n"
        f"| {'9' * 5000} | 2026-01-10 | First version | Dispatch lead |\n"
    )
    code, findings, stderr = run_check(root, text)
    assert stderr == "" and code == 1
    assert any(f["rule"] == "T013" for f in findings)  # history and version disagree


def test_values_an_absurd_review_interval_is_a_finding(root):
    text = write_sop("en").replace("review_due: 2027-01-31", 'review_interval: "99999 years"')
    code, findings, stderr = run_check(root, text)
    assert stderr == "" and code == 1
    assert (REVIEW_LINE, 18) in [(line, col) for line, col, _ in at(findings, "T007")]


def test_values_a_lang_that_is_a_path_is_a_finding_and_reads_nothing(root):
    text = write_sop("en").replace("lang: en", "lang: ../../../../etc/passwd")
    code, findings, stderr = run_check(root, text)
    assert stderr == "" and code == 1
    [(line, _col, message)] = at(findings, "S002")
    assert line == 12 and message.startswith("'lang' must be a language code such as 'sv'")


# -- issue bullet: deeply nested data, aliases ------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        "checklist: " + "[" * 5000 + "]" * 5000 + "\n",
        "checklist: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
        "checklist:\n" + "".join("  " * n + "- \n" for n in range(1, 100)),
    ],
    ids=["flow-lists", "flow-tables", "block-lists"],
)
def test_values_deeply_nested_front_matter_is_a_finding_at_its_line(root, extra):
    code, findings, stderr = run_check(root, write_sop("te", extra=extra))
    assert stderr == "" and code == 1
    [(line, _col, message)] = at(findings, "S002")
    assert line >= EXTRA_LINE
    assert message == (
        "front matter is not valid YAML: lists or tables nested more than 20 deep; write "
        "plain 'key: value' lines"
    )


def test_values_yaml_aliases_billion_laughs_are_refused_at_their_line(root):
    laughs = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[n]
        laughs.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    code, findings, stderr = run_check(root, write_sop("en", extra="\n".join(laughs) + "\n"))
    assert stderr == "" and code == 1
    assert at(findings, "S002") == [
        (
            EXTRA_LINE + 1,
            8,
            "front matter is not valid YAML: aliases (*name) are not allowed in front matter",
        )
    ]


HOSTILE_FRONT_MATTER = [
    "review_due: 2027-02-30\n",
    "n: 1" + "0" * 5000 + "\n",
    "n: " + "[" * 5000 + "]" * 5000 + "\n",
    "n: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
    "n: &a [1]\nm: [*a, *a]\n",
    "when: 2027-01-31 25:61:61\n",
    "n: !!float nothing\n",
    "n: !!binary ===\n",
    "? [a, b]\n: c\n",
    "n: [a\u2028b\n",
    "n: \x0c\n",
]


@pytest.mark.parametrize("front", HOSTILE_FRONT_MATTER, ids=range(len(HOSTILE_FRONT_MATTER)))
def test_values_split_front_matter_never_raises(front):
    """The site build reads front matter with the same function: it must not crash."""
    metadata, _lines, body_line, problems = split_front_matter(f"---\n{front}---\n# T\n")
    assert isinstance(metadata, dict) and body_line >= 3
    assert all(2 <= p.line < body_line for p in problems)


def test_values_the_site_renders_an_sop_with_impossible_values(root):
    (root / "branches.yml").write_text(
        "org:\n  name: Nordlys Service\nbranches:\n  - id: stockholm-city\n"
        "    name: Stockholm City\n    languages: [en]\n",
        "utf-8",
    )
    (root / "pyproject.toml").write_text(
        '[tool.sop-lint]\ndocs = "docs"\n\n[tool.sop-lint.branches]\nfile = "branches.yml"\n',
        "utf-8",
    )
    (root / "mkdocs.yml").write_text("site_name: Nordlys\ntheme:\n  name: material\n", "utf-8")
    text = write_sop("en", review="2027-02-30", extra="copies: 1" + "0" * 5000 + "\n")
    (root / "docs" / "en").mkdir(parents=True)
    (root / "docs" / "en" / "tow.md").write_text(text, "utf-8")
    result = CliRunner().invoke(
        main,
        ["site", "render", "--branch", "stockholm-city", "--out", "rendered"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    page = (root / "rendered" / "en" / "tow.md").read_text("utf-8")
    assert "review_due: '2027-02-30'" in page or "review_due: 2027-02-30" in page


def test_values_every_rule_survives_hostile_values_in_every_template_key():
    """Every front-matter key of the default template, with each hostile value, through
    every rule (SOP_LINT_DEBUG-free: check_text raises on any internal error)."""
    config = parse_config({"select": [r.code for r in all_rules() if r.code != "G001"]})
    base = write_sop("en") + (
        "\n## Revision history\n\n| Version | Date | Change | Author |\n|---|---|---|---|\n"
        "| 1.2 | 2026-01-10 | First version | Dispatch lead |\n"
    )
    values = [
        "2027-02-30",
        "1" + "0" * 5000,
        '"1.' + "0" * 5000 + '"',
        "0x" + "f" * 5000,
        '"99999 years"',
        '"99999999999999999999 months"',
        "!!int x",
        "[[1]]",
        "{}",
        "9999-12-31",
        "1e999",
    ]
    keys = ["id", "version", "approved_on", "review_due", "review_interval", "lang", "owner"]
    for key in keys:
        for value in values:
            lines = base.split("\n")
            lines.insert(12, f"{key}: {value}")
            text = "\n".join(
                line
                for n, line in enumerate(lines)
                if n == 12 or not line.startswith(f"{key}:") or n > 14
            )
            findings = check_text(text, "en", "sop.md", config)
            assert findings, (key, value[:20])


# -- issue bullets: findings past the end of the file; every position inside the file ------

FULL_EN = write_sop("en")
FULL_TE = write_sop("te")
PAD = "Staff check the returned goods and in order to help they utilize the form.\n\n" * 120

EDGE_DOCUMENTS = {
    "empty": "",
    "only-whitespace": "   \n\t\n  \n",
    "only-front-matter": "---\nid: CS-004\nlang: en\n---\n",
    "empty-id": "---\nid:\n---\n",  # the T001 at line 4 of a 3-line file
    "front-matter-never-closed": "---\nid: CS-004\n",
    "dashes-only": "---",
    "no-trailing-newline": FULL_EN.rstrip("\n"),
    "crlf": FULL_EN.replace("\n", "\r\n"),
    "lone-cr": FULL_EN.replace("\n", "\r"),
    "cr-inside-a-line": FULL_EN.replace("dispatchers send", "dispatchers\rsend"),
    "bom": "\ufeff" + FULL_EN,
    "nul-late": FULL_EN + PAD + "Write the\0 report in order to utilize it.\n",
    "nul-in-list": FULL_EN + PAD + "1. Call the\0 driver in order to utilize the form.\n",
    "unicode-line-separators": FULL_EN.replace("send a tow", "send\u2028a\x85tow\x0ctruck"),
    "telugu": FULL_TE,
    "telugu-long-paragraph": FULL_TE + ("సిబ్బంది ఫారం నింపాలి మరియు " * 200) + "\n",
    "many-blank-lines-at-end": FULL_EN + "\n\n\n\n",
    "heading-only": "#",
    "bad-date-no-newline": write_sop("sv", review="2027-02-30").rstrip("\n"),
    "jinja": FULL_EN + "\n1. Call {{ branch.phone }} in order to utilize the tow truck.\n",
}


def file_lines(raw: str) -> list[str]:
    """The file's lines, by the definition sop-lint uses (independently written here): a
    line ends at LF, CRLF or a lone CR; a final line break starts no new line."""
    import re

    text = raw.removeprefix("\ufeff")
    lines = re.split(r"\r\n|\r|\n", text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def assert_inside(raw: str, findings: list[tuple[int, int, int, int, str]]) -> None:
    lines = file_lines(raw)
    for line, column, end_line, end_column, rule in findings:
        where = (rule, line, column, end_line, end_column, len(lines))
        assert 1 <= line <= end_line <= len(lines), where
        assert 1 <= column <= len(lines[line - 1]) + 1, where
        assert 1 <= end_column <= len(lines[end_line - 1]) + 1, where
        assert line < end_line or column <= end_column, where


ALL_BUT_GRAMMAR = {"select": [r.code for r in all_rules() if r.code != "G001"]}


@pytest.mark.parametrize("name", list(EDGE_DOCUMENTS))
def test_positions_every_finding_of_every_rule_lies_inside_the_file(name, monkeypatch):
    """All rules on each edge document; SOP_LINT_DEBUG makes the engine's last guard raise
    on a position outside the file, so this fails on the rule's own bug, not the guard's
    repair."""
    monkeypatch.setenv("SOP_LINT_DEBUG", "1")
    raw = EDGE_DOCUMENTS[name]
    for lang in ("en", "sv", "nb", "te"):
        findings = check_text(raw, lang, "sop.md", parse_config(ALL_BUT_GRAMMAR))
        assert_inside(raw, [(*astuple_span(f), f.rule) for f in findings])


def astuple_span(finding) -> tuple[int, int, int, int]:
    s = finding.span
    return s.line, s.column, s.end_line, s.end_column


def test_positions_an_empty_id_is_reported_on_the_last_line_not_past_it():
    findings = check_text("---\nid:\n---\n", "en", "sop.md", parse_config(ALL_BUT_GRAMMAR))
    assert findings and {f.span.line for f in findings} <= {1, 2, 3}
    assert ("T001", 3) in [(f.rule, f.span.line) for f in findings]


def test_positions_a_lone_cr_is_a_line_break_for_front_matter_problems():
    # Old Mac line endings: every line ends with a lone CR. The YAML error is on line 4.
    raw = "---\rid: CS-004\rtitle: Tow\rlang: [en\r---\r\r# Tow\r"
    [finding] = [f for f in check_text(raw, "en", "sop.md") if f.rule == "S002"]
    assert (finding.span.line, finding.span.column) == (4, 7)
    assert finding.source_line == "lang: [en"


@pytest.mark.parametrize(
    ("separator", "column"), [("\u2028", 16), ("\x85", 16), ("\x0c", 16)], ids=repr
)
def test_positions_unicode_line_separators_do_not_move_front_matter_problems(separator, column):
    # YAML breaks lines at U+2028 and U+0085 (and refuses U+000C); the file does not.
    raw = f"---\nid: CS-004\ntitle: Tow{separator}truck: [\nlang: en\n---\n# Tow\n"
    [finding] = [f for f in check_text(raw, "en", "sop.md") if f.rule == "S002"]
    assert finding.span.line == 3, finding
    assert finding.span.column <= len("title: Tow") + 1 + len(separator) + len("truck: [")


def test_positions_a_late_nul_keeps_columns_right(project):
    """A NUL after the first 8 KB (not refused as binary) must not move what follows:
    markdown-it reads it as U+FFFD, and the parser must find the text on its line."""
    line = "1. Call the\0 driver in order to utilize the form.\n"
    project.write("docs/nul.md", FULL_EN + PAD + line)
    project.write("docs/x.md", FULL_EN + PAD + line.replace("\0", "X"))
    results = {}
    for name in ("nul", "x"):
        result = CliRunner().invoke(
            main, ["check", "--format", "json", f"docs/{name}.md"], catch_exceptions=False
        )
        results[name] = [
            (f["line"], f["column"], f["end_column"], f["rule"])
            for f in json.loads(result.stdout)["findings"]
        ]
    assert results["nul"] == results["x"]
    assert any(rule == "W001" and line > 200 for line, *_, rule in results["nul"])


def test_positions_a_late_nul_keeps_columns_right_with_branches(project):
    project.write(
        "pyproject.toml",
        '[tool.sop-lint]\ndocs = "docs"\n\n[tool.sop-lint.branches]\nfile = "branches.yml"\n',
    )
    project.write(
        "branches.yml",
        "org:\n  name: Nordlys Service\nbranches:\n  - id: stockholm-city\n"
        "    name: Stockholm City\n    languages: [en]\n    vars:\n"
        '      phone: "08-555 012 30"\n',
    )
    line = "1. Call {{ branch.phone }} and a\0b utilize the form in order to help.\n"
    project.write("docs/nul.md", FULL_EN + PAD + line)
    project.write("docs/x.md", FULL_EN + PAD + line.replace("\0", "X"))
    results = {}
    for name in ("nul", "x"):
        result = CliRunner().invoke(
            main, ["check", "--format", "json", f"docs/{name}.md"], catch_exceptions=False
        )
        results[name] = [
            (f["line"], f["column"], f["end_column"], f["rule"])
            for f in json.loads(result.stdout)["findings"]
        ]
    assert results["nul"] == results["x"]
    last = len(file_lines(FULL_EN + PAD + line))
    assert (last, 36, 43, "W001") in results["nul"]  # "utilize", where the file has it


def test_positions_a_binary_file_names_the_line_after_lone_crs(project):
    project.write("docs/old-mac.md", b"# Returns\r\rLine three\r\x00\x01")
    result = CliRunner().invoke(
        main, ["check", "--format", "json", "docs/old-mac.md"], catch_exceptions=False
    )
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("S001", 4, 1)


def test_positions_the_guard_moves_a_position_past_the_end_to_the_end(monkeypatch):
    from sop_lint.engine import inside_file
    from sop_lint.model import Finding, Severity, Span
    from sop_lint.parser import parse_document

    monkeypatch.delenv("SOP_LINT_DEBUG", raising=False)
    doc = parse_document("# Returns\n\nTake the goods back.\n", "sop.md", "en")
    late = Finding("sop.md", Span(9, 1, 9, 2), "T001", "missing-section", Severity.ERROR, "m")
    wide = Finding("sop.md", Span(3, 5, 3, 99), "W001", "wordy", Severity.WARNING, "m")
    moved = inside_file(doc, [late, wide])
    assert [f.span for f in moved] == [Span(3, 21, 3, 21), Span(3, 5, 3, 21)]
    assert moved[0].source_line == "Take the goods back."
    monkeypatch.setenv("SOP_LINT_DEBUG", "1")
    with pytest.raises(AssertionError, match=r"T001 finding at .* lies outside the file"):
        inside_file(doc, [late])


def test_positions_a_tab_the_list_indent_only_partly_takes_keeps_columns_right():
    # markdown-it gives the item's second line as " The clerk ..." (the tab's leftover
    # space), which is not in the file; found by fuzzing the position guard.
    raw = "1. Check the receipt.\n\tThe clerk greeted the customer.\n"
    [finding] = [f for f in check_text(raw, "en", "sop.md") if f.rule == "P001"]
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (2, 12, 19)


def test_values_flow_nesting_is_refused_before_yamls_scanner_goes_quadratic():
    # PyYAML's scanner rescans every open "[" at each token: 30,000 of them (60 KB, under
    # the front-matter size cap) took over a minute. The guard is generous on purpose.
    import time

    text = "---\nchecklist: " + "[" * 30_000 + "\n---\n# Returns\n"
    started = time.monotonic()
    _metadata, _lines, _body, [problem] = split_front_matter(text)
    assert time.monotonic() - started < 20
    assert (problem.line, problem.column) == (2, 32)
    assert "nested more than 20 deep" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "\u20281.\tThe clerk greeted the customer.\n{% if x %}\n\r\t",  # found by fuzzing
        "# Returns\n\n1. Call {{ branch.phone }} in order to utilize it.\n{% if x %}\n\n\n",
        FULL_EN + "{% if branch.id == 'stockholm-city' %}\n\r",
        FULL_EN.replace("\n", "\r") + "{{ branch.phone",
    ],
    ids=["separator-tab-cr", "blank-lines-after", "lone-cr-after", "all-lone-cr"],
)
def test_positions_template_findings_with_branches_lie_inside_the_file(project, text, monkeypatch):
    """The J rules and the per-branch rules run only with branch data: the same guard, in
    strict mode, through the command."""
    monkeypatch.setenv("SOP_LINT_DEBUG", "1")
    project.write(
        "pyproject.toml",
        '[tool.sop-lint]\ndocs = "docs"\n\n[tool.sop-lint.branches]\nfile = "branches.yml"\n',
    )
    project.write(
        "branches.yml",
        "org:\n  name: Nordlys Service\nbranches:\n  - id: stockholm-city\n"
        "    name: Stockholm City\n    languages: [en]\n    vars:\n"
        '      phone: "08-555 012 30"\n',
    )
    project.write("docs/sop.md", text)
    result = CliRunner().invoke(
        main, ["check", "--format", "json", "docs/sop.md"], catch_exceptions=False
    )
    findings = json.loads(result.stdout)["findings"]
    assert any(f["rule"].startswith("J") for f in findings)
    assert_inside(
        text,
        [(f["line"], f["column"], f["end_line"], f["end_column"], f["rule"]) for f in findings],
    )
