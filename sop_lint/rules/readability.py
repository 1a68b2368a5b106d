"""Readability, per section and per document, in each language's own metric.

English uses Flesch Reading Ease (higher is easier); Swedish and Norwegian use LIX (lower
is easier). Telugu has no calibrated formula yet: sop-lint reports words per sentence and
aksharas per word without passing or failing the text. Headings, tables and code are not
counted; a ``{{ branch.value }}`` is not a word a reader has to decode, so it is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sop_lint.languages.base import Readability
from sop_lint.model import Block, BlockKind, Document, Section, Severity, Span
from sop_lint.rules.base import Hit, Rule, register

PROSE = (BlockKind.PARAGRAPH, BlockKind.STEP, BlockKind.STEP_DETAIL)


def _block_counts(doc: Document, block: Block) -> tuple[int, int, dict[str, int]]:
    """Words, sentences and the language's readability counts of one block (cached)."""
    key = ("readability", id(block))
    cached = doc.cache.get(key)
    if cached is None:
        words = [w for s in block.sentences for w in s.word_texts(placeholders=False)]
        assert doc.language is not None
        cached = (len(words), len(block.sentences), doc.language.readability_counts(words))
        doc.cache[key] = cached
    return cached


def measure(doc: Document, blocks: Iterable[Block]) -> Readability | None:
    """Readability of the prose in ``blocks``, or None for an unsupported language.

    Counts are kept per block, so grading every section and then the whole document
    reads each word once.
    """
    if doc.language is None:
        return None
    words = sentences = 0
    totals = doc.language.readability_counts([])
    for block in blocks:
        if block.kind not in PROSE:
            continue
        n_words, n_sentences, counts = _block_counts(doc, block)
        words += n_words
        sentences += n_sentences
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    return doc.language.score(words, sentences, totals)


def grade(reading: Readability, options: dict) -> tuple[Severity | None, float | None]:
    """The severity a reading earns under ``options``, and the target it missed."""
    score = reading.score
    if score is None or reading.metric is None:
        return None, None
    if reading.metric == "flesch":
        if score < options["flesch-error-below"]:
            return Severity.ERROR, options["flesch-warning-below"]
        if score < options["flesch-warning-below"]:
            return Severity.WARNING, options["flesch-warning-below"]
    elif reading.metric == "lix":
        if score > options["lix-error-above"]:
            return Severity.ERROR, options["lix-warning-above"]
        if score > options["lix-warning-above"]:
            return Severity.WARNING, options["lix-warning-above"]
    return None, None


def describe(reading: Readability, target: float, where: str) -> str:
    """A message that says how hard the text is and what to change, with the numbers."""
    per_sentence = f"{reading.words_per_sentence:.1f}"
    if reading.metric == "flesch":
        per_word = reading.details["syllables"] / reading.words
        return (
            f"{where} is {reading.band} to read (Flesch Reading Ease {reading.score:.0f}; "
            f"aim for {target:.0f} or more): use shorter sentences (now {per_sentence} words "
            f"on average) and shorter, everyday words (now {per_word:.2f} syllables per word)."
        )
    share = 100 * reading.details["long_words"] / reading.words
    return (
        f"{where} is {reading.band} to read (LIX {reading.score:.0f}; aim for {target:.0f} "
        f"or less): use shorter sentences (now {per_sentence} words on average) and fewer "
        f"long words (now {share:.0f}% have more than 6 letters)."
    )


_THRESHOLDS = {
    "flesch-warning-below": 60,
    "flesch-error-below": 50,
    "lix-warning-above": 40,
    "lix-error-above": 50,
}


def _heading_span(section: Section) -> Span:
    if section.heading is not None:
        return section.heading.span
    return Span(section.line, section.column, section.line, section.column + 1)


def _document_span(doc: Document) -> Span:
    """Where a finding about the whole document points: its title, else its first text."""
    title = next((s for s in doc.sections if s.level == 1), None)
    if title is not None:
        return _heading_span(title)
    if doc.blocks:
        first = doc.blocks[0]
        return first.sentences[0].span if first.sentences else first.span
    return Span(doc.body_start_line, 1, doc.body_start_line, 1)


@register
class HardToReadSection(Rule):
    """Flags a section whose text is hard to read for its language.

    **What it flags:** a section (a heading and its text, subsections included) of at
    least ``min-words`` words (default 100) whose readability misses the target: English
    Flesch Reading Ease below 60 (warning) or 50 (error); Swedish and Norwegian LIX above
    40 (warning) or 50 (error). The level-1 title section is graded by
    ``hard-to-read-document`` instead.

    **Why:** SOPs are read by everyone at every branch, often in a hurry and not always
    in their first language. Both metrics rise with long sentences and long words.

    **Instead:** shorten sentences (one action each) and prefer short everyday words:
    *"use"* for *"utilise"*, *"före"* for *"innan dess att"*; break long Swedish and
    Norwegian compounds where a shorter phrase reads better.

    **Options:** ``min-words`` (100), ``flesch-warning-below`` (60),
    ``flesch-error-below`` (50), ``lix-warning-above`` (40), ``lix-error-above`` (50).
    """

    code = "R001"
    name = "hard-to-read-section"
    severity = Severity.WARNING
    options = {"min-words": 100, **_THRESHOLDS}

    def check(self, doc: Document) -> Iterator[Hit]:
        for section in doc.sections:
            if section.level < 2:
                continue
            reading = measure(doc, section.all_blocks())
            if reading is None or reading.words < self.config["min-words"]:
                continue
            severity, target = grade(reading, self.config)
            if severity is not None and target is not None:
                where = f"Section \u201c{section.title}\u201d"
                yield Hit(
                    _heading_span(section), describe(reading, target, where), severity=severity
                )


@register
class HardToReadDocument(Rule):
    """Flags an SOP whose text as a whole is hard to read for its language.

    **What it flags:** a document of at least ``min-words`` words (default 50) whose
    readability misses the target: English Flesch Reading Ease below 60 (warning) or 50
    (error); Swedish and Norwegian LIX above 40 (warning) or 50 (error).

    **Why:** readability scores are most reliable over a whole text; a document that
    misses the target is hard for most of its readers, not just in one place.

    **Instead:** start with the sections that ``hard-to-read-section`` flags; shorten
    sentences and replace long words.

    **Options:** ``min-words`` (50), ``flesch-warning-below`` (60),
    ``flesch-error-below`` (50), ``lix-warning-above`` (40), ``lix-error-above`` (50).
    """

    code = "R002"
    name = "hard-to-read-document"
    severity = Severity.WARNING
    options = {"min-words": 50, **_THRESHOLDS}

    def check(self, doc: Document) -> Iterator[Hit]:
        reading = measure(doc, doc.blocks)
        if reading is None or reading.words < self.config["min-words"]:
            return
        severity, target = grade(reading, self.config)
        if severity is not None and target is not None:
            yield Hit(_document_span(doc), describe(reading, target, "This SOP"), severity=severity)


@register
class ReadabilityNotGraded(Rule):
    """Reports the readability inputs of a document whose language has no calibrated score.

    **What it flags:** once per document in a language without a calibrated readability
    formula (today: Telugu), the mean words per sentence and mean aksharas (grapheme
    clusters) per word. It never fails a build.

    **Why:** no readability formula has been validated for Telugu SOPs. The two inputs
    any such formula would use are still worth watching, and comparing across SOPs.

    **Instead:** nothing is required. As a rule of thumb, keep Telugu steps under about
    12 words and prefer common words to long Sanskrit-derived compounds.

    **Options:** ``min-words`` (50).
    """

    code = "R003"
    name = "readability-not-graded"
    severity = Severity.INFO
    options = {"min-words": 50}

    def check(self, doc: Document) -> Iterator[Hit]:
        language = doc.language
        if language is None or language.readability_metric is not None:
            return
        reading = measure(doc, doc.blocks)
        if reading is None or reading.words < self.config["min-words"]:
            return
        yield Hit(
            _document_span(doc),
            f"Readability is not graded for {language.name} yet: "
            f"{reading.words_per_sentence:.1f} words per sentence, "
            f"{reading.details['aksharas_per_word']:.2f} aksharas per word "
            f"({reading.words} words).",
        )
