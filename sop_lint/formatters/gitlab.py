"""GitLab Code Quality: a JSON array of issues for ``artifacts:reports:codequality``.

Each issue has ``description``, ``check_name``, ``fingerprint`` (the SARIF fingerprint, so
an issue keeps its identity when lines move), ``severity`` and ``location.path`` with
``location.lines.begin``.
"""

from __future__ import annotations

from sop_lint.engine import Report
from sop_lint.formatters.json_format import dumps
from sop_lint.formatters.sarif import Fingerprints

# GitLab's scale is info, minor, major, critical, blocker.
_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def format_report(report: Report, **_: object) -> str:
    fingerprints = Fingerprints()
    issues = []
    for f in report.findings:
        message = f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
        issues.append(
            {
                "description": f"{f.rule} {message}",
                "check_name": f"{f.rule} {f.name}",
                "fingerprint": fingerprints.of(f),
                "severity": _SEVERITY[str(f.severity)],
                "location": {"path": f.path, "lines": {"begin": f.span.line}},
            }
        )
    return dumps(issues) + "\n"
