"""JSON output: a public, versioned contract (``version`` 1).

``{"version": 1, "findings": [...], "summary": {...}}``; each finding has ``path``,
``line``, ``column``, ``end_line``, ``end_column`` (1-based), ``rule`` (code), ``name``
(slug), ``severity``, ``message`` and, where there is one, ``suggestion``.
"""

from __future__ import annotations

import json

from sop_lint.engine import Report

SCHEMA_VERSION = 1


def format_report(report: Report, **_: object) -> str:
    counts = report.counts()
    data = {
        "version": SCHEMA_VERSION,
        "findings": [f.to_dict() for f in report.findings],
        "summary": {
            "files": len(report.files),
            "findings": sum(counts.values()),
            **counts,
            "errors": report.errors,
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
