"""Checkstyle XML (version 4.3): one ``<file>`` per checked file, one ``<error>`` a finding.

Read by Jenkins Warnings NG, reviewdog (``-f=checkstyle``) and most CI dashboards.
Control characters, which XML 1.0 cannot carry, are shown escaped as in JUnit output.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sop_lint.engine import Report
from sop_lint.formatters.text import escape_controls as _x

_SEVERITY = {"error": "error", "warning": "warning", "info": "info"}


def format_report(report: Report, **_: object) -> str:
    root = ET.Element("checkstyle", version="4.3")
    for result in report.files:
        node = ET.SubElement(root, "file", name=_x(result.path))
        for f in result.findings:
            message = f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
            ET.SubElement(
                node,
                "error",
                line=str(f.span.line),
                column=str(f.span.column),
                severity=_SEVERITY[str(f.severity)],
                message=_x(message),
                source=f"sop-lint.{f.rule}.{f.name}",
            )
    if report.errors:
        node = ET.SubElement(root, "file", name="sop-lint")
        for message in report.errors:
            ET.SubElement(node, "error", severity="error", message=_x(message), source="sop-lint")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
