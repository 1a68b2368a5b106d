"""``sop-lint report``: the SOP set at a glance, from the same run as ``sop-lint check``.

It reads a :class:`~sop_lint.engine.Report` (the findings and per-file summaries of a check
run) and never checks anything itself, so its numbers are the numbers ``check`` reports:
an overdue review here is a T008 finding there, a translation behind its source an L001.

The JSON shape (``version`` 1) is a public contract for the site's dashboard; it is
documented, with real output, in docs/guide/usage.md.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from sop_lint.config import Config
from sop_lint.engine import Report
from sop_lint.model import DocumentSummary, Finding
from sop_lint.rules.base import find_rule
from sop_lint.rules.translations import (
    _versions,
    branch_data,
    language_name,
    raw_text,
    translation_pairs,
)

SCHEMA_VERSION = 1
# The rules whose findings make the near-duplicate and glossary parts. The report shows
# their findings when the rule exists in this installation, and says the part is not
# available when it does not.
NEAR_DUPLICATES_RULE = "procedure-diverges"
GLOSSARY_RULE = "terminology"
# procedure-diverges names each other procedure as a related location "a procedure 64%
# alike"; the figure is read back from there rather than computed a second time.
_ALIKE = re.compile(r"(\d+)% alike")


def _where(finding: Finding) -> dict[str, Any]:
    return {"path": finding.path, "line": finding.line, "message": finding.message}


def _sop_entry(summary: DocumentSummary | None, finding: Finding) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": finding.path, "line": finding.line}
    if summary is not None:
        entry["id"] = raw_text(summary, "id")
        title = summary.metadata.get("title")
        entry["title"] = title.strip() if isinstance(title, str) else None
    entry["message"] = finding.message
    return entry


def build(report: Report, config: Config) -> dict[str, Any]:
    """The report as data: what ``--format json`` prints (see the module docs)."""
    context = config.context()
    summaries = {r.path: r.summary for r in report.files if r.summary is not None}
    sops = [s for s in summaries.values() if s.is_sop]
    findings = report.findings
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.name, []).append(finding)

    languages = Counter(s.language for s in sops)
    data: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "today": context.today.isoformat(),
        "files": len(report.files),
        "sops": len(sops),
        "languages": dict(sorted(languages.items())),
        "branches": _branches(sops, context),
    }

    # Translations behind their source: L001's findings, with the versions as data.
    behind_paths = {f.path: f for f in by_rule.get("translation-outdated", [])}
    behind = []
    for translation, source, of in translation_pairs(sops):
        finding = behind_paths.get(translation.path)
        versions = _versions(translation, source)
        if finding is None or versions is None:
            continue
        behind.append(
            {
                "path": translation.path,
                "line": finding.line,
                "language": translation.language,
                "translation_of": of,
                "source_version": versions[1],
                "source": source.path,
                "source_language": source.language,
                "version": versions[0],
            }
        )
    data["translations"] = {
        "behind": sorted(behind, key=lambda e: e["path"]),
        "drift": [_where(f) for f in by_rule.get("translation-structure-drift", [])],
        "missing": [_where(f) for f in by_rule.get("translation-missing", [])],
    }

    data["reviews"] = {
        "due_soon_days": _option(config, "review-due-soon", "days"),
        "overdue": [
            _sop_entry(summaries.get(f.path), f) for f in by_rule.get("review-overdue", [])
        ],
        "due_soon": [
            _sop_entry(summaries.get(f.path), f) for f in by_rule.get("review-due-soon", [])
        ],
    }

    # Null when the rule does not exist in this installation (not: when it found nothing).
    data["near_duplicates"] = (
        [_near_duplicate(summaries.get(f.path), f) for f in by_rule.get(NEAR_DUPLICATES_RULE, [])]
        if find_rule(NEAR_DUPLICATES_RULE) is not None
        else None
    )
    data["glossary"] = (
        _glossary(summaries, by_rule.get(GLOSSARY_RULE, []))
        if find_rule(GLOSSARY_RULE) is not None
        else None
    )

    counts = report.counts()
    data["findings"] = {
        **counts,
        "by_rule": dict(sorted(Counter(f"{f.rule} {f.name}" for f in findings).items())),
    }
    return data


def _near_duplicate(summary: DocumentSummary | None, finding: Finding) -> dict[str, Any]:
    """One procedure-diverges finding: the SOP, and each SOP it is alike, most alike first."""
    entry = _sop_entry(summary, finding)
    entry["alike"] = [
        {
            "path": r.path,
            "line": r.line,
            "similarity": int(m[1]) if (m := _ALIKE.search(r.message)) else None,
        }
        for r in finding.related
    ]
    return entry


def _glossary(
    summaries: dict[str, DocumentSummary], findings: list[Finding]
) -> list[dict[str, Any]]:
    """The terminology findings grouped per SOP, by path: each word to change, where."""
    per_path: dict[str, list[Finding]] = {}
    for finding in findings:
        per_path.setdefault(finding.path, []).append(finding)
    out = []
    for path, found in sorted(per_path.items()):
        entry = _sop_entry(summaries.get(path), found[0])
        del entry["line"], entry["message"]
        entry["count"] = len(found)
        entry["findings"] = [{"line": f.line, "message": f.message} for f in found]
        out.append(entry)
    return out


def _option(config: Config, rule_name: str, option: str) -> Any:
    rule = find_rule(rule_name)
    if rule is None:
        return None
    settings = config.rules.get(rule.code)
    options = {**rule.options, **(settings.options if settings else {})}
    return options.get(option)


def _branches(sops: list[DocumentSummary], context: Any) -> list[dict[str, Any]] | None:
    """What each branch publishes: per language, the SOPs in that language whose
    ``applies_to`` includes the branch. None without a branches file."""
    data = branch_data(context)
    if data is None:
        return None
    counts: dict[str, Counter[str]] = {b.id: Counter() for b in data.branches}
    for s in sops:  # one pass over the SOPs: each asks which branches publish it
        for branch in data.publishing(s.language, s.metadata.get("applies_to")):
            counts[branch.id][s.language] += 1
    return [
        {
            "id": b.id,
            "name": b.name,
            "sops": {lang: counts[b.id][lang] for lang in b.languages},
        }
        for b in data.branches
    ]


# -- text ----------------------------------------------------------------------------------


def render_text(data: dict[str, Any], printable: Callable[[str], str] = str) -> str:
    """The report for people: one heading per part, "none" where there is nothing."""
    out: list[str] = []
    add = out.append
    langs = data["languages"]
    add(
        f"SOP set on {data['today']}: {data['sops']} SOP{'s' if data['sops'] != 1 else ''} "
        f"in {len(langs)} language{'s' if len(langs) != 1 else ''} "
        f"({data['files']} file{'s' if data['files'] != 1 else ''} checked)"
    )
    add("")
    add("SOPs per language")
    for code, n in langs.items():
        add(f"  {language_name(code):<16} {n}")
    if not langs:
        add("  none")
    add("")
    if data["branches"] is None:
        add("SOPs per branch: no branches file configured")
    else:
        add("SOPs per branch (what each branch publishes, per language)")
        for row in data["branches"]:
            counts = ", ".join(f"{lang} {n}" for lang, n in row["sops"].items()) or "no languages"
            add(f"  {printable(row['id'])} ({printable(row['name'])}): {counts}")
        if not data["branches"]:
            add("  none")

    def section(title: str, entries: list[dict[str, Any]], line: Callable[[dict], str]) -> None:
        add("")
        add(f"{title}: {len(entries) or 'none'}")
        for entry in entries:
            add("  " + printable(line(entry)))

    translations = data["translations"]
    section(
        "Translations behind their source",
        translations["behind"],
        lambda e: (
            f"{e['path']}:{e['line']}: follows {e['translation_of']} {e['source_version']}; "
            f"{e['source']} is at {e['version']}"
        ),
    )
    section(
        "Translations whose steps differ from their source",
        translations["drift"],
        lambda e: f"{e['path']}:{e['line']}: {e['message']}",
    )
    section(
        "Translations missing for a branch",
        translations["missing"],
        lambda e: f"{e['path']}:{e['line']}: {e['message']}",
    )
    reviews = data["reviews"]

    def review(e: dict[str, Any]) -> str:
        name = f"{e.get('id') or ''} {e.get('title') or ''}".strip()
        return f"{e['path']}:{e['line']}: {name + ': ' if name else ''}{e['message']}"

    section("Reviews overdue", reviews["overdue"], review)
    days = reviews["due_soon_days"]
    section(
        f"Reviews due within {days} days" if days is not None else "Reviews due soon",
        reviews["due_soon"],
        review,
    )
    add("")
    if data["near_duplicates"] is None:
        add(f"Near-duplicate procedures: not available (no {NEAR_DUPLICATES_RULE} rule)")
    else:
        out.pop()
        section(
            "Near-duplicate procedures",
            data["near_duplicates"],
            lambda e: (
                f"{e['path']}:{e['line']}: alike "
                + ", ".join(
                    f"{a['path']}:{a['line']}"
                    + (f" ({a['similarity']}%)" if a["similarity"] is not None else "")
                    for a in e["alike"]
                )
            ),
        )
    add("")
    glossary = data["glossary"]
    if glossary is None:
        add(f"Glossary findings per SOP: not available (no {GLOSSARY_RULE} rule)")
    else:
        add(f"Glossary findings per SOP: {sum(e['count'] for e in glossary) or 'none'}")
        for entry in glossary:
            add(f"  {printable(entry['path'])}: {entry['count']}")
            for f in entry["findings"]:
                add(f"    line {f['line']}: {printable(f['message'])}")
    counts = data["findings"]
    add("")
    add(
        f"Findings in all: {counts['error']} error{'s' if counts['error'] != 1 else ''}, "
        f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}, "
        f"{counts['info']} info (sop-lint check lists them)"
    )
    return "\n".join(out) + "\n"
