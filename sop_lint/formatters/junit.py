"""JUnit XML: one test suite per file, one failing test case per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sop_lint.engine import Report


def format_report(report: Report, **_: object) -> str:
    root = ET.Element("testsuites", name="sop-lint")
    total = failures = 0
    for result in report.files:
        suite = ET.SubElement(root, "testsuite", name=result.path)
        for f in result.findings:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{f.rule} {f.name} at {f.span.line}:{f.span.column}",
                classname=result.path,
                file=f.path,
                line=str(f.span.line),
            )
            failure = ET.SubElement(case, "failure", message=f.message, type=str(f.severity))
            failure.text = (
                f"{f.path}:{f.span.line}:{f.span.column}: {f.rule} [{f.severity}] {f.message}"
                + (f"\nSuggestion: {f.suggestion}" if f.suggestion else "")
            )
        cases = len(result.findings)
        if not result.findings:
            ET.SubElement(suite, "testcase", name="sop-lint", classname=result.path)
            cases = 1
        suite.set("tests", str(cases))
        suite.set("failures", str(len(result.findings)))
        suite.set("errors", "0")
        total += cases
        failures += len(result.findings)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(len(report.errors)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
