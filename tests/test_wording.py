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
        ("nb", "Kunden benytter skjemaet på nett.", "benytter", "bruker"),
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


# -- Swedish and Norwegian: rewrites that keep the grammar ------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "rewritten"),
    [
        # each inflected form maps to the same form of the replacement
        ("sv", "Om det föreligger risk för fall, ring sjuksköterskan.", "Om det finns risk"),
        ("sv", "Det förelåg ingen risk vid besöket.", "Det fanns ingen risk"),
        ("sv", "Brukaren erhöll sina läkemedel i tid.", "Brukaren fick sina"),
        ("sv", "Personalen bistår brukaren vid dusch.", "Personalen hjälper brukaren"),
        ("sv", "Brukaren har möjlighet att välja tid.", "Brukaren kan välja"),
        ("sv", "Tillse att dörren är låst.", "Se till att dörren"),
        ("nb", "Kunden benyttet ikke skjemaet.", None),  # past "brukte" or participle "brukt"
        ("nb", "Skjemaet benyttes ved alle returer.", "Skjemaet brukes ved"),
        ("nb", "Benytt det nye skjemaet.", "Bruk det nye"),
        # "bruker seg av" was wrong: the reflexive "seg av" goes with the verb
        ("nb", "Mange kommuner benytter seg av tjenesten.", "kommuner bruker tjenesten"),
        ("nb", "Du kan benytte deg av skjemaet.", "kan bruke skjemaet"),
        ("sv", "Personalen benyttjar sig av larmet.", "Personalen använder larmet"),
        ("nb", "Kunden har mulighet til å bytte varen.", "Kunden kan bytte"),
        ("nb", "Send svaret i henhold til rutinen.", "Send svaret etter rutinen"),
        # issue 8: "i samband med att" once became "vid att"
        ("sv", "Kontrollera kvittot i samband med att kunden lämnar varan.", "kvittot när kunden"),
        ("sv", "Kontrollera kvittot i samband med returen.", "kvittot vid returen"),
        ("sv", "I de fall kunden saknar kvitto, erbjud ett tillgodokvitto.", "Om kunden saknar"),
        ("sv", "Arbeta i enlighet med rutinen.", "Arbeta enligt rutinen"),
        ("sv", "Ring chefen i syfte att få ett beslut.", "chefen för att få"),
    ],
)
def test_a_rewrite_reads_grammatically_in_the_sentence(lang, text, rewritten):
    [finding] = wordy(text, lang)
    if rewritten is None:
        assert finding.suggestion is None
        return
    written = finding.source_line[finding.column - 1 : finding.span.end_column - 1]
    replacement = finding.message.split("\u201c")[1].split("\u201d")[0]
    assert rewritten in text.replace(written, replacement)


@pytest.mark.parametrize(
    ("lang", "text", "written", "named"),
    [
        # issue 8: "När det gäller X är det ..." once became "Om X är det ..."
        ("sv", "När det gäller returer är det skiftledaren som beslutar.", "När det gäller", "för"),
        ("sv", "Butiken tillhandahåller påsar vid kassan.", "tillhandahåller", "erbjuder"),
        ("nb", "Vedrørende returer gjelder egne regler.", "Vedrørende", "om"),
        ("nb", "Når vedtaket foreligger, ring kunden.", "foreligger", "er klar"),
        ("en", "Call the shift lead in the case of a damaged item.", "in the case of", "if"),
        ("en", "This check is in addition to the daily count.", "is in addition to", "adds to"),
    ],
)
def test_a_phrase_whose_replacement_depends_on_what_follows_gets_no_rewrite(
    lang, text, written, named
):
    [finding] = wordy(text, lang)
    assert finding.suggestion is None
    assert finding.message.startswith(f"\u201c{written}\u201d is wordy: use a plainer word")
    assert f"\u201c{named}\u201d" in finding.message


def test_filler_before_a_subordinate_clause_is_flagged_without_a_deletion():
    # Deleting "Observera att" would leave "Förråd alltid ska vara låsta" (wrong word order).
    [finding] = wordy("Observera att förråd alltid ska vara låsta.", "sv")
    assert finding.message == "\u201cObservera att\u201d is wordy: say it more directly."
    assert finding.suggestion is None


def test_a_replacement_keeps_capitals_and_sentence_case():
    [shouted] = wordy("Staff must NOT UTILISE the old form.", "en")
    assert shouted.suggestion == "Replace \u201cUTILISE\u201d with \u201cUSE\u201d."
    [opening] = wordy("I enlighet med rutinen, ring chefen.", "sv")
    assert opening.suggestion == "Replace \u201cI enlighet med\u201d with \u201cEnligt\u201d."


def test_a_passage_in_capitals_is_not_prose():
    # Licence notices and letterheads are quoted as they are, not edited.
    text = "THE SOFTWARE IS PROVIDED AS IS, IN NO EVENT ARISING IN CONNECTION WITH THE SOFTWARE."
    assert wordy(text, "en") == []


def test_a_users_phrase_list_can_ask_for_a_finding_without_a_rewrite(tmp_path):
    phrases = tmp_path / "wordy-en.tsv"
    phrases.write_text("at your earliest convenience\t?soon, today\n", encoding="utf-8")
    config = {"rules": {"wordy-phrase": {"files": {"en": str(phrases)}}}}
    [finding] = wordy("Reply at your earliest convenience.", "en", config)
    assert finding.suggestion is None
    assert "\u201csoon\u201d or \u201ctoday\u201d" in finding.message


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", 'Click "In order to continue" at the bottom of the form.'),
        ("sv", "Tryck på knappen ”I syfte att spara” längst ned."),
        ("nb", "Velg «Med hensyn til kunden» i menyen."),
        ("sv", "Tryck på »I syfte att fortsätta» längst ned."),  # Swedish »…»
        ("sv", "Tryck på »I syfte att fortsätta« längst ned."),  # German-style »…«
    ],
)
def test_a_phrase_inside_quotation_marks_is_a_label_and_is_left_alone(lang, text):
    assert [f for f in check_text(text, lang=lang) if f.rule == "W001"] == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("sv", "Gå igenom verksamhetens samtliga delar en gång om året."),
        ("sv", "Kontrollera deras samtliga intyg innan de börjar."),
        ("nb", "Gå gjennom virksomhetens samtlige rutiner hvert år."),
    ],
)
def test_samtliga_after_a_possessive_gets_no_rewrite_to_alla(lang, text):
    # "verksamhetens alla delar" is not Swedish: "alla" would have to move first.
    assert [f for f in check_text(text, lang=lang) if f.rule == "W001"] == []


@pytest.mark.parametrize(
    ("lang", "text", "rewritten"),
    [
        ("sv", "Informera samtliga medarbetare om rutinen.", "alla"),
        ("sv", "Fråga hos samtliga enheter.", "alla"),
        ("nb", "Informer samtlige ansatte om rutinen.", "alle"),
    ],
)
def test_samtliga_on_its_own_still_becomes_alla(lang, text, rewritten):
    [finding] = [f for f in check_text(text, lang=lang) if f.rule == "W001"]
    assert finding.fix is not None and finding.fix.edits[0].replacement == rewritten
