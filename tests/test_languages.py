"""Languages: codes and aliases, tokenising, sentence splitting, the CMU dictionary."""

from __future__ import annotations

import io
import re
import socket
import sys

import pytest
from conftest import sop

from sop_lint import parse_document
from sop_lint.languages import get_language, normalise_code
from sop_lint.languages.base import count_graphemes, count_letters
from sop_lint.languages.en import (
    count_syllables,
    guess_syllables,
    load_cmu_syllables,
    parse_cmu_syllables,
)


def sentences(text: str, lang: str) -> list[str]:
    language = get_language(lang)
    return [text[s:e] for s, e in language.split_sentences(text)]


def words(text: str, lang: str) -> list[str]:
    language = get_language(lang)
    return [text[s:e] for s, e in language.words(text)]


# -- codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("EN_us", "en"),
        ("sv-SE", "sv"),
        ("svenska", "sv"),
        ("no", "nb"),
        ("nb-NO", "nb"),
        ("bokmål", "nb"),
        ("te", "te"),
        ("te-IN", "te"),
        ("తెలుగు", "te"),
        ("DE", "de"),
    ],
)
def test_language_codes_and_aliases_normalise_to_the_module_code(written, code):
    assert normalise_code(written) == code


def test_each_supported_language_has_a_module_and_german_has_none():
    assert [get_language(c).name for c in ("en", "sv", "nb", "te")] == [
        "English",
        "Swedish",
        "Norwegian Bokmål",
        "Telugu",
    ]
    assert get_language("de") is None


# -- words -----------------------------------------------------------------------------------


def test_python_re_splits_telugu_words_at_vowel_signs_but_our_tokeniser_does_not():
    text = "కస్టమర్‌కు క్షమాపణ చెప్పండి"
    # \w does not match vowel signs (Mc/Mn), viramas or the zero-width non-joiner, so re
    # cuts every word into fragments:
    assert re.findall(r"\w+", "కస్టమర్‌కు") == ["కస", "టమర", "క"]
    assert re.findall(r"\w+", "క్షమాపణ") == ["క", "షమ", "పణ"]
    assert re.findall(r"\w+", "చెప్పండి") == ["చ", "ప", "ప", "డ"]
    assert len(re.findall(r"\w+", text)) == 10  # three words, ten pieces
    assert words(text, "te") == ["కస్టమర్‌కు", "క్షమాపణ", "చెప్పండి"]


def test_telugu_words_with_zwnj_stay_one_word_in_every_language_module():
    # A Telugu word quoted in an English SOP is still one word.
    assert words("Say కస్టమర్‌కు twice.", "en") == ["Say", "కస్టమర్‌కు", "twice"]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("sv", "Ring före kl. 17.30.", ["Ring", "före", "kl", "17.30"]),
        ("nb", "Bergingsbilen kommer kl. 17:30.", ["Bergingsbilen", "kommer", "kl", "17:30"]),
        ("en", "Call {{ branch.phone }} now.", ["Call", "{{ branch.phone }}", "now"]),
    ],
)
def test_times_and_placeholders_are_single_words(lang, text, expected):
    assert words(text, lang) == expected


def test_time_abbreviation_and_hyphenated_words_are_single_words():
    assert words("Call the driver at 08:00, e.g. via ext. 4411.", "en") == [
        "Call",
        "the",
        "driver",
        "at",
        "08:00",
        "e.g",
        "via",
        "ext",
        "4411",
    ]
    assert words("Check the customer's tow-truck receipt.", "en") == [
        "Check",
        "the",
        "customer's",
        "tow-truck",
        "receipt",
    ]


def test_nordic_letters_are_word_letters():
    assert words("Öppna luckan på bärgningsbilen.", "sv") == [
        "Öppna",
        "luckan",
        "på",
        "bärgningsbilen",
    ]
    assert words("Gi kunden kvitteringen før du går.", "nb") == [
        "Gi",
        "kunden",
        "kvitteringen",
        "før",
        "du",
        "går",
    ]


@pytest.mark.parametrize(
    ("word", "aksharas", "clusters"),
    [
        ("క్షమాపణ", 4, ["క్ష", "మా", "ప", "ణ"]),  # "apology": క్ష is one conjunct
        ("చెప్పండి", 3, ["చె", "ప్పం", "డి"]),  # "say" (polite imperative)
        ("ఫిర్యాదు", 3, ["ఫి", "ర్యా", "దు"]),  # "complaint"
        ("రసీదు", 3, ["ర", "సీ", "దు"]),  # "receipt"
        ("కస్టమర్‌కు", 5, ["క", "స్ట", "మ", "ర్‌", "కు"]),  # "to the customer"
    ],
)
def test_telugu_aksharas_are_grapheme_clusters(word, aksharas, clusters):
    import regex

    assert regex.findall(r"\X", word) == clusters
    assert count_graphemes(word) == aksharas


def test_letters_are_counted_without_marks_or_digits():
    assert count_letters("bärgningsbilen") == 14
    assert count_letters("tow-truck") == 8
    assert count_letters("4411") == 0


# -- sentences -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "en",
            "Ask for proof of purchase, e.g. a bank statement. Then scan the item.",
            ["Ask for proof of purchase, e.g. a bank statement.", "Then scan the item."],
        ),
        (
            "en",
            "Use the blue form, i.e. the one for refunds. Sign it.",
            ["Use the blue form, i.e. the one for refunds.", "Sign it."],
        ),
        (
            "en",
            "Transfer the call to ext. 4411 at once. Stay on the line.",
            ["Transfer the call to ext. 4411 at once.", "Stay on the line."],
        ),
        (
            "sv",
            "Be om ett kvitto, t.ex. ett kontoutdrag. Skanna sedan varan.",
            ["Be om ett kvitto, t.ex. ett kontoutdrag.", "Skanna sedan varan."],
        ),
        (
            "sv",
            "Kunden kan bl.a. välja en ny vara. Skriv under blanketten.",
            ["Kunden kan bl.a. välja en ny vara.", "Skriv under blanketten."],
        ),
        (
            "sv",
            "Kontrollera datumet, dvs. dagen då varan köptes. Ring sedan chefen.",
            ["Kontrollera datumet, dvs. dagen då varan köptes.", "Ring sedan chefen."],
        ),
        (
            "sv",
            "Öppna ventilen. Stäng luckan.",
            ["Öppna ventilen.", "Stäng luckan."],
        ),
        (
            "nb",
            "Be om kvittering, f.eks. en kontoutskrift. Skann varen etterpå.",
            ["Be om kvittering, f.eks. en kontoutskrift.", "Skann varen etterpå."],
        ),
        (
            "nb",
            "Kontoret er stengt 17. mai og 1. juledag. Sett over samtalen til vakta.",
            ["Kontoret er stengt 17. mai og 1. juledag.", "Sett over samtalen til vakta."],
        ),
        (
            "nb",
            "Kunden kan bl.a. bytte varen. Sjekk datoen, dvs. kjøpsdatoen. Ring lederen.",
            ["Kunden kan bl.a. bytte varen.", "Sjekk datoen, dvs. kjøpsdatoen.", "Ring lederen."],
        ),
        (
            "nb",
            "Gå til 2. etasje. Ring på.",
            ["Gå til 2. etasje.", "Ring på."],
        ),
        (
            "te",
            "కస్టమర్‌కు క్షమాపణ చెప్పండి. రసీదు అడగండి.",
            ["కస్టమర్‌కు క్షమాపణ చెప్పండి.", "రసీదు అడగండి."],
        ),
        (
            "te",
            "ఫిర్యాదు నమోదు చేశారా? టోల్ ఫ్రీ నంబర్‌కు కాల్ చేయండి!",
            ["ఫిర్యాదు నమోదు చేశారా?", "టోల్ ఫ్రీ నంబర్‌కు కాల్ చేయండి!"],
        ),
    ],
)
def test_abbreviations_and_ordinals_do_not_end_sentences(lang, text, expected):
    assert sentences(text, lang) == expected


def test_question_and_exclamation_always_end_a_sentence():
    assert sentences("Har kunden kvitto? Ja! Ge pengarna tillbaka.", "sv") == [
        "Har kunden kvitto?",
        "Ja!",
        "Ge pengarna tillbaka.",
    ]


def test_a_closing_quote_after_the_full_stop_belongs_to_the_sentence():
    assert sentences('Say "Thank you for waiting." Then ask for the order number.', "en") == [
        'Say "Thank you for waiting."',
        "Then ask for the order number.",
    ]


def test_two_word_sentences_count_as_sentences():
    doc = parse_document("Öppna ventilen. Stäng luckan. Ring chefen.\n", "v.md", "sv")
    [block] = doc.blocks
    assert [s.text for s in block.sentences] == ["Öppna ventilen.", "Stäng luckan.", "Ring chefen."]
    assert [len(s.words) for s in block.sentences] == [2, 2, 2]


def test_numbered_steps_are_one_sentence_each_and_the_number_is_not_a_word():
    text = sop(
        """
        1. Öppna ventilen.
        2. Stäng luckan.
        10. Ring chefen.
        """
    )
    doc = parse_document(text, "v.md", "sv")
    assert [(s.text, len(s.words)) for s in doc.sentences()] == [
        ("Öppna ventilen.", 2),
        ("Stäng luckan.", 2),
        ("Ring chefen.", 2),
    ]


def test_a_step_number_inside_a_sentence_ends_it_before_a_capital():
    assert sentences("Gör som i steg 3. Ring sedan chefen.", "sv") == [
        "Gör som i steg 3.",
        "Ring sedan chefen.",
    ]


def test_text_without_final_punctuation_is_still_a_sentence():
    assert sentences("Ring bärgaren\n", "sv") == ["Ring bärgaren"]
    assert sentences("  ", "sv") == []


# -- CMU dictionary --------------------------------------------------------------------------


CMU_SAMPLE = """\
;;; A small CMU Pronouncing Dictionary for the test
customer K AH1 S T AH0 M ER0
receipt R IH0 S IY1 T
refund R IY1 F AH2 N D
refund(2) R IH0 F AH1 N D
manager M AE1 N IH0 JH ER0
every EH1 V ER0 IY0
every(2) EH1 V R IY0 # the two-syllable variant
tow T OW1
"""


def test_parse_cmu_counts_stress_digits_and_keeps_the_first_variant():
    counts = parse_cmu_syllables(CMU_SAMPLE.splitlines())
    assert counts == {
        "customer": 3,
        "receipt": 2,
        "refund": 2,
        "manager": 3,
        "every": 3,  # "every(2)" (EH1 V R IY0, 2 syllables) does not replace it
        "tow": 1,
    }


def test_load_cmu_reads_a_dictionary_file_as_bytes(tmp_path):
    path = tmp_path / "cmudict.dict"
    path.write_bytes(CMU_SAMPLE.encode("utf-8") + "café K AE0 F EY1\n".encode("latin-1"))
    with path.open("rb") as stream:
        counts = load_cmu_syllables(stream)
    assert counts["refund"] == 2
    assert counts["every"] == 3
    assert counts["caf\ufffd"] == 2  # an undecodable byte does not stop the load
    assert len(counts) == 7


def test_load_cmu_closes_the_stream():
    stream = io.BytesIO(b"tow T OW1\n")
    load_cmu_syllables(stream)
    assert stream.closed


def test_default_cmu_dictionary_loads_offline_without_nltk(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("sop-lint must not open network connections")

    monkeypatch.setitem(sys.modules, "nltk", None)  # "import nltk" would fail
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    counts = load_cmu_syllables()
    assert len(counts) > 100_000
    assert (counts["customer"], counts["receipt"], counts["documentation"]) == (3, 2, 5)


def test_syllables_come_from_the_dictionary_first_then_hyphenation():
    dictionary = {"receipt": 2, "tow": 1, "truck": 1}
    assert count_syllables("Receipt", dictionary) == 2
    assert count_syllables("tow-truck", dictionary) == 2  # tow + truck
    # Not in the dictionary: British "authorising" is au-thor-is-ing.
    assert count_syllables("authorising", dictionary) == 4
    assert count_syllables("4411", dictionary) == 1  # a number is read as one unit


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        # British spellings and compounds the CMU dictionary does not have:
        ("authorising", 4),  # au-thor-is-ing
        ("finalisation", 5),  # fi-nal-i-sa-tion
        ("organisational", 6),  # or-gan-i-sa-tion-al
        ("redispatch", 3),  # re-dis-patch
        ("CRM", 1),  # no vowel: read as letters, counted as one unit
    ],
)
def test_words_missing_from_cmu_are_counted_by_hyphenation(word, syllables):
    assert guess_syllables(word) == syllables
