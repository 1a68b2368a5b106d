"""JSON output: a public, versioned contract (``version`` 1).

``{"version": 1, "findings": [...], "summary": {...}}``; each finding has ``path``,
``line``, ``column``, ``end_line``, ``end_column`` (1-based), ``rule`` (code), ``name``
(slug), ``severity``, ``message`` and, where there is one, ``suggestion``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sop_lint.engine import Report

SCHEMA_VERSION = 1
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(data: Any) -> str:
    """JSON text that can always be written as UTF-8.

    Control characters are escaped by ``json`` itself (``\\u001b``); a lone surrogate, which
    a file name that is not UTF-8 brings, is escaped here as ``\\udcff`` instead of making
    the report impossible to write.
    """
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


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
    return dumps(data) + "\n"
