"""Output formats. Each module turns a :class:`~sop_lint.engine.Report` into text."""

from __future__ import annotations

from collections.abc import Callable

from sop_lint.engine import Report
from sop_lint.formatters import checkstyle, github, gitlab, json_format, junit, rdjsonl, sarif, text

Formatter = Callable[..., str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.format_report,
    "json": json_format.format_report,
    "sarif": sarif.format_report,
    "github": github.format_report,
    "junit": junit.format_report,
    "gitlab": gitlab.format_report,
    "rdjsonl": rdjsonl.format_report,
    "checkstyle": checkstyle.format_report,
}


def format_report(report: Report, fmt: str, **options: object) -> str:
    """Render ``report`` in format ``fmt`` (one of :data:`FORMATTERS`)."""
    return FORMATTERS[fmt](report, **options)


__all__ = ["FORMATTERS", "format_report"]
