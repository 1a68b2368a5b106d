"""Issue 11's CI formats: GitLab Code Quality, reviewdog rdjsonl and Checkstyle XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from conftest import lint

from sop_lint.engine import FileResult, Report
from sop_lint.formatters import format_report
from sop_lint.formatters.sarif import format_report as sarif_report

# A flawed step in a real SOP: a wordy phrase (W001, a safe single-span rewrite), an
# obligation instead of an instruction (I001) and a placeholder (T005, an error).
FRONT = "---\nid: CS-014\ntitle: Handle a return\nlang: en\n---\n"
SOP = (
    FRONT + "# Handle a return\n\n"
    "## Steps\n\n"
    "1. The parcel should be checked by the agent in order to make sure that it is complete.\n"
    "2. TODO add the refund step.\n"
)
# Telugu before the wordy phrase: reviewdog columns count UTF-8 bytes.
SOP_TE_PREFIX = (
    FRONT + "# Handle a return\n\n## Steps\n\n1. Ask “రసీదు” in order to check the parcel.\n"
)


def _report(text: str = SOP, path: str = "docs/en/returns.md") -> Report:
    return Report(
        [FileResult(path, lint(text, "en", {"select": ["W001", "I001", "T005"]}, path=path))]
    )


def test_gitlab_code_quality_issues_with_sarif_fingerprints() -> None:
    report = _report()
    issues = json.loads(format_report(report, "gitlab"))
    assert isinstance(issues, list) and len(issues) == len(report.findings) == 3
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["path"] == "docs/en/returns.md"
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    by_rule = {i["check_name"].split()[0]: i for i in issues}
    assert by_rule["T005"]["severity"] == "major"
    assert by_rule["W001"]["severity"] == "minor"
    assert by_rule["W001"]["location"]["lines"]["begin"] == 10
    assert by_rule["W001"]["check_name"] == "W001 wordy-phrase"
    sarif = json.loads(sarif_report(report))["runs"][0]["results"]
    assert [i["fingerprint"] for i in issues] == [
        r["partialFingerprints"]["primaryLocationLineHash"] for r in sarif
    ]


def test_gitlab_fingerprint_survives_lines_moving_and_is_unique() -> None:
    before = json.loads(format_report(_report(), "gitlab"))
    moved = SOP.replace("## Steps\n", "## Steps\n\nRead the whole procedure first.\n")
    after = json.loads(format_report(_report(moved), "gitlab"))
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]
    assert before[0]["location"]["lines"]["begin"] != after[0]["location"]["lines"]["begin"]
    assert len({i["fingerprint"] for i in before}) == len(before)


def test_gitlab_empty_report_is_an_empty_array() -> None:
    assert json.loads(format_report(Report([FileResult("a.md", [])]), "gitlab")) == []


def test_rdjsonl_one_diagnostic_per_line_with_code_url_and_severity() -> None:
    report = _report()
    lines = format_report(report, "rdjsonl").splitlines()
    assert len(lines) == 3
    diagnostics = [json.loads(line) for line in lines]
    by_code = {d["code"]["value"]: d for d in diagnostics}
    assert by_code["T005"]["severity"] == "ERROR"
    assert by_code["W001"]["severity"] == "WARNING"
    assert by_code["W001"]["code"]["url"].endswith("rules.md#wordy-phrase")
    rng = by_code["W001"]["location"]["range"]
    assert rng["start"] == {"line": 10, "column": SOP.splitlines()[9].index("in order to") + 1}
    assert rng["end"]["column"] - rng["start"]["column"] == len("in order to")
    assert by_code["W001"]["location"]["path"] == "docs/en/returns.md"


def test_rdjsonl_suggests_only_safe_single_span_rewrites() -> None:
    diagnostics = [json.loads(x) for x in format_report(_report(), "rdjsonl").splitlines()]
    by_code = {d["code"]["value"]: d for d in diagnostics}
    w001 = by_code["W001"]
    assert w001["suggestions"] == [{"range": w001["location"]["range"], "text": "to"}]
    # Advice that is not one exact rewrite of the span stays in the message only.
    assert "suggestions" not in by_code["T005"] and "suggestions" not in by_code["I001"]


def test_rdjsonl_columns_are_utf8_bytes() -> None:
    (d,) = [json.loads(x) for x in format_report(_report(SOP_TE_PREFIX), "rdjsonl").splitlines()]
    line = SOP_TE_PREFIX.splitlines()[9]
    start = line.index("in order to")
    assert d["location"]["range"]["start"]["column"] == len(line[:start].encode()) + 1
    assert d["location"]["range"]["start"]["column"] > start + 1


def test_checkstyle_xml_with_file_error_line_column_severity_source() -> None:
    report = _report()
    root = ET.fromstring(format_report(report, "checkstyle").encode("utf-8"))
    assert root.tag == "checkstyle" and root.get("version") == "4.3"
    (file_node,) = root.findall("file")
    assert file_node.get("name") == "docs/en/returns.md"
    errors = file_node.findall("error")
    assert len(errors) == 3
    by_source = {e.get("source"): e for e in errors}
    t005 = by_source["sop-lint.T005.placeholder-left"]
    assert t005.get("severity") == "error" and t005.get("line") == "11"
    assert t005.get("column") == "4" and '"TODO"' in t005.get("message", "")
    assert by_source["sop-lint.W001.wordy-phrase"].get("severity") == "warning"


def test_checkstyle_lists_clean_files_and_usage_errors() -> None:
    report = Report([FileResult("docs/clean.md", [])], ["nope.md: no such file or folder"])
    root = ET.fromstring(format_report(report, "checkstyle").encode("utf-8"))
    files = root.findall("file")
    assert [f.get("name") for f in files] == ["docs/clean.md", "sop-lint"]
    assert files[0].findall("error") == []
    assert files[1].find("error").get("message") == "nope.md: no such file or folder"


def test_rdjsonl_does_not_suggest_rewrites_the_writer_must_judge() -> None:
    text = FRONT + "# Handle a return\n\n## Steps\n\n1. The till will print the receipt.\n"
    report = Report([FileResult("a.md", lint(text, "en", {"select": ["P002"]}, path="a.md"))])
    (d,) = [json.loads(x) for x in format_report(report, "rdjsonl").splitlines()]
    assert d["code"]["value"] == "P002" and "Replace “will print”" in d["message"]
    assert "suggestions" not in d
