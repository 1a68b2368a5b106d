"""wordy-phrase (W001): per-language phrase lists, extendable from config."""

from __future__ import annotations

import pytest

from sop_lint import check_text
from sop_lint.config import ConfigError, parse_config
from sop_lint.rules.wording import parse_phrase_list


def wordy(text: str, lang: str, config: dict | None = None) -> list:
    markdown = f"---\nlang: {lang}\n---\n# SOP\n\n{text}\n"
    settings = parse_config({"select": ["wordy-phrase"], **(config or {})})
    return check_text(markdown, config=settings)


@pytest.mark.parametrize(
    ("lang", "text", "written", "replacement"),
    [
        ("en", "Call the shift lead in order to approve the refund.", "in order to", "to"),
        ("en", "Prior to the refund, check the receipt.", "Prior to", "Before"),
        ("sv", "Ring skiftledaren i syfte att få ett beslut.", "i syfte att", "för att"),
        ("nb", "Spør kunden med hensyn til leveringen.", "med hensyn til", "om"),
        ("te", "రసీదు కోసం దయచేసి గమనించండి ఇది ముఖ్యం.", "దయచేసి గమనించండి", None),
    ],
)
def test_a_wordy_phrase_is_flagged_with_its_plain_replacement(lang, text, written, replacement):
    [finding] = wordy(text, lang)
    assert f"\u201c{written}\u201d" in finding.message
    if replacement:
        assert f"Write \u201c{replacement}\u201d" in finding.message
    else:
        assert "delete it" in finding.message
    assert finding.line == 6
    assert finding.source_line[finding.column - 1 : finding.span.end_column - 1] == written


def test_a_phrase_split_over_two_lines_is_found_at_its_start():
    [finding] = wordy("Call the shift lead in order\nto approve the refund.", "en")
    assert (finding.line, finding.column, finding.span.end_line) == (6, 21, 7)


def test_phrases_in_code_and_tables_are_not_flagged():
    text = "`in order to`\n\n| a |\n|---|\n| in order to |\n"
    assert wordy(text, "en") == []


def test_config_adds_ignores_and_loads_phrase_lists(tmp_path):
    phrases = tmp_path / "wordy-sv.tsv"
    phrases.write_text("# lokala uttryck\npå grund av att\teftersom\n", encoding="utf-8")
    (tmp_path / "sop-lint.toml").write_text("", encoding="utf-8")
    config = {
        "rules": {
            "wordy-phrase": {
                "extra": {"en": {"at your earliest convenience": "soon"}},
                "files": {"sv": str(phrases)},
                "ignore": ["prior to"],
            }
        }
    }
    assert [f.message for f in wordy("Reply at your earliest convenience.", "en", config)] == [
        "Write \u201csoon\u201d instead of \u201cat your earliest convenience\u201d."
    ]
    assert wordy("Prior to the refund, check the receipt.", "en", config) == []
    [local] = wordy("Ring chefen på grund av att kunden väntar.", "sv", config)
    assert "\u201ceftersom\u201d" in local.message


def test_a_malformed_phrase_list_is_an_error_naming_the_line():
    with pytest.raises(ConfigError, match=r"phrases.tsv:2: expected 'phrase<TAB>replacement'"):
        parse_phrase_list("i syfte att\tför att\ntrasig rad utan tabb\n", "phrases.tsv")
