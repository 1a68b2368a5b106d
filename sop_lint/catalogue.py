"""The rule catalogue, generated from the rules' docstrings (``sop-lint rules --format
markdown``); the docs' rule reference is this text."""

from __future__ import annotations

from sop_lint.rules.base import all_rules

FAMILY_TITLES = {
    "brevity": "Brevity",
    "readability": "Readability",
    "system": "Files and suppressions",
    "wording": "Wording",
    "grammar": "Grammar and spelling",
    "project": "Across the SOP set",
    "tense": "Tense",
    "steps": "Steps",
    "template": "The standard template",
    "branches": "Branch templates",
}


def rule_catalogue() -> str:
    """Markdown: a summary table, then every rule's full documentation, by family."""
    rules = all_rules()
    out = [
        "# Rule catalogue",
        "",
        "Generated from the rules' docstrings by `sop-lint rules --format markdown`.",
        "Use a rule's code or name in config, `--select`/`--ignore` and suppression comments.",
        "",
        "| Code | Name | Default severity | Flags |",
        "| --- | --- | --- | --- |",
    ]
    for r in rules:
        out.append(f"| {r.code} | [`{r.name}`](#{r.name}) | {r.severity} | {r.summary()} |")
    families: dict[str, list] = {}
    for r in rules:
        families.setdefault(r.family(), []).append(r)
    for family, members in families.items():
        out += ["", f"## {FAMILY_TITLES.get(family, family.title())}"]
        for r in members:
            doc = r.documentation().split("\n", 1)
            body = doc[1].strip() if len(doc) > 1 else ""
            out += [
                "",
                f"### {r.name}",
                "",
                f"**{r.code}** · default severity "
                f"**{r.severity}**{'' if r.enabled_by_default else ' · off by default'}"
                f"{' · safe fixes: `sop-lint check --fix`' if r.makes_fixes else ''}",
                "",
                doc[0],
                "",
                body,
            ]
            if r.options:
                out += [
                    "",
                    "Defaults: " + ", ".join(f"`{k} = {v!r}`" for k, v in r.options.items()),
                ]
    return "\n".join(out) + "\n"
