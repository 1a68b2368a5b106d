"""Flawed SOPs in every language: each verb-rule flaw is caught at its line, and only
those. The fixtures are tests/fixtures/<lang>/tense-and-steps.md; each has the same
flaws in the same places, written as a native writer would make them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sop_lint import check_text
from sop_lint.config import parse_config

FIXTURES = Path(__file__).parent / "fixtures"
# (line, rule) for the purpose paragraph (past, past, future) and the six steps:
# 1 clean, 2 modal, 3 passive (and so not an instruction), 4 two actions, 5 wordy, 6 quote.
EXPECTED = {
    "en": [
        (8, "P001"),
        (8, "P001"),
        (9, "P002"),
        (14, "I001"),
        (15, "I003"),
        (16, "I004"),
        (17, "W001"),
    ],
    "sv": [
        (8, "P001"),
        (9, "P002"),
        (14, "I001"),
        (15, "I003"),
        (16, "I004"),
        (17, "W001"),
    ],
    "nb": [
        (8, "P001"),
        (9, "P002"),
        (14, "I001"),
        (15, "I003"),
        (16, "I004"),
        (17, "W001"),
    ],
    # Telugu has one past verb in its purpose paragraph.
    "te": [
        (8, "P001"),
        (9, "P002"),
        (14, "I001"),
        (15, "I003"),
        (16, "I004"),
        (17, "W001"),
    ],
}


@pytest.mark.parametrize("lang", ["en", "sv", "nb", "te"])
def test_every_verb_flaw_is_caught_at_its_line_and_nothing_else(lang):
    text = (FIXTURES / lang / "tense-and-steps.md").read_text("utf-8")
    findings = check_text(text, config=parse_config({"select": ["P", "I", "W"]}))
    assert [(f.line, f.rule) for f in findings] == EXPECTED[lang]


@pytest.mark.parametrize("lang", ["en", "sv", "nb", "te"])
def test_the_quoted_customer_line_is_not_checked(lang):
    text = (FIXTURES / lang / "tense-and-steps.md").read_text("utf-8")
    assert not [f for f in check_text(text) if f.line == 18]
