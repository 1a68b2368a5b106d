"""The rule catalogue in the docs is generated from the rules' docstrings, and current."""

from __future__ import annotations

from pathlib import Path

from sop_lint.catalogue import rule_catalogue
from sop_lint.rules import all_rules

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide" / "rules.md"


def test_committed_rule_catalogue_is_the_generated_one():
    assert GUIDE.read_text("utf-8") == rule_catalogue(), (
        "docs/guide/rules.md is stale: run `sop-lint rules --format markdown > docs/guide/rules.md`"
    )


def test_every_rule_documents_what_it_flags_why_and_what_to_write_instead():
    for rule in all_rules():
        doc = rule.documentation()
        assert rule.summary(), rule.code
        for part in ("**What it flags:**", "**Why:**", "**Instead:**"):
            assert part in doc, f"{rule.code} {rule.name} lacks {part}"
        for option in rule.options:
            assert f"``{option}``" in doc, f"{rule.code} does not document option {option}"
