"""GitHub Actions workflow commands: ``::warning file=...,line=...::message``."""

from __future__ import annotations

from sop_lint.engine import Report

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(value: str) -> str:
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
        lines.append(f"::{_LEVEL[str(f.severity)]} {joined}::{_escape_data(message)}")
    for error in report.errors:
        lines.append(f"::error title=sop-lint::{_escape_data(error)}")
    return "\n".join(lines) + ("\n" if lines else "")
