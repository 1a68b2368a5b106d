"""SARIF 2.1.0, as GitHub code scanning accepts it.

Rules are described in ``tool.driver.rules``; locations use URIs relative to
``%SRCROOT%`` (the working folder) and 1-based regions counted in Unicode code points.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sop_lint import __version__
from sop_lint.engine import Report
from sop_lint.formatters.json_format import dumps
from sop_lint.model import Finding
from sop_lint.rules.base import all_rules

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


class Fingerprints:
    """Stable fingerprints for a report's findings, in report order.

    Stable across edits elsewhere in the file: the path, the rule and the line's text, plus
    an occurrence count so two findings of one rule on one line stay distinct. The line's
    part is hashed once per line and rule: a long line with many findings must not be
    hashed once per finding. Shared by SARIF and GitLab Code Quality (and the baseline).
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, str], int] = {}
        self._stripped: dict[str, str] = {}
        self._prefixes: dict[tuple[str, str, str], Any] = {}

    def of(self, f: Finding) -> str:
        line = f.source_line or ""
        text = self._stripped.get(line)
        if text is None:
            text = self._stripped[line] = line.strip()
        key = (f.path, f.rule, text)
        self._seen[key] = self._seen.get(key, 0) + 1
        prefix = self._prefixes.get(key)
        if prefix is None:
            written = f"{f.path}\0{f.rule}\0{text}".encode("utf-8", "surrogatepass")
            prefix = self._prefixes[key] = hashlib.sha256(written)
        digest = prefix.copy()
        digest.update(f"\0{self._seen[key]}".encode())
        return digest.hexdigest()


def _artifact(path: str) -> dict[str, str]:
    """A URI relative to %SRCROOT% for files under the working folder, else absolute."""
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    # A name that is not UTF-8 keeps its own bytes, percent-encoded.
    return {"uri": quote(path, errors="surrogateescape"), "uriBaseId": "%SRCROOT%"}


def format_report(report: Report, **_: object) -> str:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    driver_rules = [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary()},
            "fullDescription": {"text": r.documentation()},
            "help": {"text": r.documentation(), "markdown": r.documentation()},
            "defaultConfiguration": {"level": _LEVEL[str(r.severity)]},
            "properties": {"tags": [r.family()]},
        }
        for r in rules
    ]
    results = []
    fingerprints = Fingerprints()
    for f in report.findings:
        message = f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
        fingerprint = fingerprints.of(f)
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _LEVEL[str(f.severity)],
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(f.path),
                        "region": {
                            "startLine": f.span.line,
                            "startColumn": f.span.column,
                            "endLine": f.span.end_line,
                            "endColumn": f.span.end_column,
                        },
                    }
                }
            ],
            "partialFingerprints": {"primaryLocationLineHash": fingerprint},
        }
        if f.related:
            # Other files the finding names (SARIF 2.1.0 section 3.27.22): each location has
            # a unique id and says what is there. Not part of the fingerprint.
            result["relatedLocations"] = [
                {
                    "id": number,
                    "physicalLocation": {
                        "artifactLocation": _artifact(r.path),
                        "region": {"startLine": r.line, "startColumn": r.column},
                    },
                    "message": {"text": r.message or r.path},
                }
                for number, r in enumerate(f.related)
            ]
        results.append(result)
    sarif = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sop-lint",
                        "version": __version__,
                        "informationUri": "https://github.com/sop-lint/sop-lint",
                        "rules": driver_rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return dumps(sarif) + "\n"
