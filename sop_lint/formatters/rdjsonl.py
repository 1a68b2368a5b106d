"""reviewdog Diagnostic Format as JSON Lines (``reviewdog -f=rdjsonl``): one Diagnostic a line.

Columns are 1-based UTF-8 byte counts, as the format defines them. A finding of a rule
whose rewrites are safe (wordy phrases, terminology) whose suggestion is one exact
replacement of its own span (``Replace “in order to” with “to”.``) carries it as a
reviewdog suggestion; other advice (a tense or a whole rewritten step, which the writer
must judge) stays in the message.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sop_lint.engine import Report
from sop_lint.model import Finding

_SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}
RULES_URL = "https://github.com/sop-lint/sop-lint/blob/main/docs/guide/rules.md#"
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")
SAFE_REWRITES = frozenset({"W001", "W002"})  # wordy-phrase, terminology
_REPLACE = re.compile(r"Replace “([^”]+)” with “([^”]*)”\.")


def _dumps(data: Any) -> str:
    # One line each: json escapes newlines and C0 controls; the characters some readers
    # also take as line breaks or terminal controls (DEL, C1, U+2028/9) and lone surrogates
    # (a name that is not UTF-8) are escaped here, so no Diagnostic spans two lines.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _byte_column(line: str | None, column: int) -> int:
    if line is None:
        return column
    return len(line[: column - 1].encode("utf-8", "surrogatepass")) + 1


def _suggestion(f: Finding) -> str | None:
    """The replacement text when the suggestion is exactly one rewrite of the span."""
    if f.rule not in SAFE_REWRITES:
        return None
    match = _REPLACE.fullmatch(f.suggestion or "")
    line = f.source_line
    if not match or line is None or f.span.line != f.span.end_line:
        return None
    if line[f.span.column - 1 : f.span.end_column - 1] != match[1]:
        return None
    return match[2]


def format_report(report: Report, **_: object) -> str:
    lines = []
    for f in report.findings:
        line = f.source_line
        start = {"line": f.span.line, "column": _byte_column(line, f.span.column)}
        end_text = line if f.span.end_line == f.span.line else None
        end = {"line": f.span.end_line, "column": _byte_column(end_text, f.span.end_column)}
        message = f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
        diagnostic: dict[str, Any] = {
            "message": message,
            "location": {"path": f.path, "range": {"start": start, "end": end}},
            "severity": _SEVERITY[str(f.severity)],
            "source": {"name": "sop-lint"},
            "code": {"value": f.rule, "url": RULES_URL + f.name},
        }
        replacement = _suggestion(f)
        if replacement is not None:
            diagnostic["suggestions"] = [
                {"range": {"start": start, "end": end}, "text": replacement}
            ]
        lines.append(_dumps(diagnostic))
    return "".join(line + "\n" for line in lines)
