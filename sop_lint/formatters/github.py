"""GitHub Actions workflow commands: ``::warning file=...,line=...::message``."""

from __future__ import annotations

import re

from sop_lint.engine import Report
from sop_lint.formatters.text import escape_controls

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


# Control characters other than CR and LF (which the workflow-command rules encode) would
# reach the log as they are: ESC sequences colour or clear it. They are shown escaped.
_OTHER_CONTROLS = re.compile(
    "[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape_data(value: str) -> str:
    value = _OTHER_CONTROLS.sub(lambda m: escape_controls(m[0]), value)
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_report(report: Report, **_: object) -> str:
    lines = []
    for f in report.findings:
        props = {
            "file": f.path,
            "line": f.span.line,
            "col": f.span.column,
            "endLine": f.span.end_line,
            "endColumn": f.span.end_column,
            "title": f"{f.rule} {f.name}",
        }
        joined = ",".join(f"{k}={_escape_property(str(v))}" for k, v in props.items())
        message = f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
        if f.related:
            # An annotation has no field for other places; name them in its text, as the
            # text format's "see also" lines do.
            places = "; ".join(
                f"{r.path}:{r.line}" + (f" ({r.message})" if r.message else "") for r in f.related
            )
            message += f" See also {places}."
        lines.append(f"::{_LEVEL[str(f.severity)]} {joined}::{_escape_data(message)}")
    for error in report.errors:
        lines.append(f"::error title=sop-lint::{_escape_data(error)}")
    return "\n".join(lines) + ("\n" if lines else "")
