"""JUnit XML: one test suite per file; each error or warning is a failing test case.

Info findings (notes such as ungraded readability) are reported as passing test cases
with the note in ``system-out``, so they never turn a CI test report red. Usage errors
(a path that does not exist) are ``<error>`` elements of a ``sop-lint`` suite.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sop_lint.engine import Report
from sop_lint.formatters.text import escape_controls
from sop_lint.model import Finding, Severity

# XML 1.0 cannot carry most control characters at all, not even as &#27;: a file name or
# an SOP line with one would make the whole report unreadable. Every text from the
# writer's files goes through _x, which shows control characters escaped (\x1b, \n).
_x = escape_controls


def _headline(f: Finding) -> str:
    text = f"{_x(f.path)}:{f.span.line}:{f.span.column}: {f.rule} [{f.severity}] {_x(f.message)}"
    return text + (f"\nSuggestion: {_x(f.suggestion)}" if f.suggestion else "")


def format_report(report: Report, **_: object) -> str:
    root = ET.Element("testsuites", name="sop-lint")
    total = failures = 0
    for result in report.files:
        suite = ET.SubElement(root, "testsuite", name=_x(result.path))
        failed = 0
        for f in result.findings:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{f.rule} {f.name} at {f.span.line}:{f.span.column}",
                classname=_x(result.path),
                file=_x(f.path),
                line=str(f.span.line),
            )
            if f.severity >= Severity.WARNING:
                failure = ET.SubElement(
                    case, "failure", message=_x(f.message), type=str(f.severity)
                )
                failure.text = _headline(f)
                failed += 1
            else:
                ET.SubElement(case, "system-out").text = _headline(f)
        if not result.findings:
            ET.SubElement(suite, "testcase", name="sop-lint", classname=_x(result.path))
        cases = max(len(result.findings), 1)
        suite.set("tests", str(cases))
        suite.set("failures", str(failed))
        suite.set("errors", "0")
        total += cases
        failures += failed
    if report.errors:
        suite = ET.SubElement(root, "testsuite", name="sop-lint", tests=str(len(report.errors)))
        suite.set("failures", "0")
        suite.set("errors", str(len(report.errors)))
        for message in report.errors:
            case = ET.SubElement(suite, "testcase", name="usage", classname="sop-lint")
            ET.SubElement(case, "error", message=_x(message), type="usage").text = _x(message)
        total += len(report.errors)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(len(report.errors)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
