"""Tense: SOPs say how work is done, in the present tense.

The analysis is the document language's (``sop_lint/languages``): a tagger trained on
Universal Dependencies decides whether a form is a finite past verb or a participle, and
patterns find future constructions. Words inside quotation marks (what a customer says)
are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sop_lint.languages.verbs import Clause
from sop_lint.model import BlockKind, Document, Sentence, Severity
from sop_lint.rules.base import Hit, Rule, register, sentences_in_scope

# Verb analysis looks back over the sentence for each verb (is it in the main clause, does
# the sentence name a future time), so its cost grows with the square of a sentence's
# length. A sentence longer than this is not analysed: sentence-too-long (B001) already
# reports it, and no rewrite of a single verb would make it a good step.
MAX_ANALYSED_WORDS = 150


def clause_of(doc: Document, sentence: Sentence) -> Clause | None:
    """The sentence as the language's verb analyser sees it (cached per document); None
    when the language has no verb analysis or the sentence is too long to analyse."""
    language = doc.language
    if language is None or not language.verbs.supported:
        return None
    if len(sentence.texts) > MAX_ANALYSED_WORDS:
        return None
    key = ("clause", id(sentence))
    clause = doc.cache.get(key)
    if clause is None:
        clause = doc.cache[key] = language.verbs.clause(sentence)
    return clause


def quote(words: list[str], first: int, last: int) -> str:
    return "\u201c" + " ".join(words[first : last + 1]) + "\u201d"


# A year, a date or a clock time: "Last reviewed 2024-06-01", "10. mars 2025", "02:14 UTC".
_DATED = re.compile(
    r"(?<![\w.:/-])(?:(?:19|20)\d\d(?:-\d\d-\d\d)?|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
    r"|[0-2]?\d:[0-5]\d)(?![\w/-])"
)


def _dated(doc: Document, sentence: Sentence) -> bool:
    """Whether the sentence's paragraph is dated (a year, a date or a clock time): then
    its past tense records what happened when (a revision note, an incident timeline, the
    history of a system), which stays true as written, and is no narration of how work
    is done. Decided once per block."""
    key = ("dated", id(sentence.block))
    if key not in doc.cache:
        doc.cache[key] = _DATED.search(sentence.block.text) is not None
    return doc.cache[key]


_EXAMPLE = re.compile(r"(?i)\b(?:exempel|example|eksempel|e\.g\.|t\.ex\.|f\.eks\.)")


def _example(doc: Document, sentence: Sentence) -> bool:
    """Whether the sentence's block is an example, or follows a lead-in that announces
    examples ("Exempel på dokumentation:"): an example journal note or incident report
    is rightly in the past tense."""
    key = ("examples", id(doc))
    if key not in doc.cache:
        marked: set[int] = set()
        previous = None
        for block in doc.blocks:
            if _EXAMPLE.search(block.text) or (
                previous is not None
                and previous.text.rstrip().endswith(":")
                and _EXAMPLE.search(previous.text)
            ):
                marked.add(id(block))
            previous = block
        doc.cache[key] = marked
    return id(sentence.block) in doc.cache[key]


def _completes_lead_in(doc: Document, sentence: Sentence) -> bool:
    """Whether the sentence is a list item that completes the lead-in before its list
    ("Make sure that:" / "- the sponsor submitted the form;"): the lead-in's verb governs
    it, as in a check verb's complement, so a past tense there is what to check."""
    item = sentence.block.list_item
    if item is None:
        return False
    key = ("lead-in", id(item.list))
    if key not in doc.cache:
        first = item.list.items[0].blocks[0] if item.list.items[0].blocks else None
        lead = None
        for block in doc.blocks:
            if block is first:
                break
            lead = block
        doc.cache[key] = (
            lead is not None
            and lead.list_item is None
            and lead.text.rstrip().endswith(":")
            and lead.end_line >= item.list.line - 2
        )
    return doc.cache[key]


TENSE_ADVICE = {
    "past": "describe the procedure in the present tense",
    "future": "say what happens, in the present tense",
}


def tense_hits(
    doc: Document, scope: frozenset[BlockKind], finder: str, label: str, advice: str
) -> Iterator[Hit]:
    """Hits for what the language's ``finder`` (past_tense, future_tense) reports."""
    analyser = doc.language.verbs if doc.language else None
    if analyser is None or not analyser.supported:
        return
    find = getattr(analyser, finder)
    for sentence in sentences_in_scope(doc, scope):
        if not analyser.may_have(finder, sentence.texts):
            continue
        if finder == "past_tense" and (
            _dated(doc, sentence) or _example(doc, sentence) or _completes_lead_in(doc, sentence)
        ):
            continue  # a dated record, an example of one, or what a lead-in asks about
        clause = clause_of(doc, sentence)
        if clause is None:
            continue
        for use in find(clause):
            written = quote(clause.words, use.first, use.last)
            message = f"{label} {written}: {advice}"
            suggestion = None
            if use.replacement:
                message += f": write \u201c{use.replacement}\u201d."
                suggestion = f"Replace {written} with \u201c{use.replacement}\u201d."
            else:
                message += "."
            yield Hit(sentence.word_span(use.first, use.last), message, suggestion)


@register
class PastTense(Rule):
    """Flags a verb in the past tense.

    **What it flags:** a finite past-tense verb anywhere in the prose: *"The clerk
    greeted the customer"*, *"Vi kontrollerade kvittot"*, *"Kunden ringte"*, Telugu
    *"చేశారు"*. Participles are not flagged (*"the damaged item"*, *"has signed"*, *"har
    skrevet"*), nor words inside quotation marks. In English only past tense that
    narrates is flagged: the main clause's verb, or a step that starts in the past; not
    past in subordinate and relative clauses (*"the zone you just created"*, *"if the
    build failed"*), after check verbs (*"make sure only one record was updated"*),
    in questions, conditionals, worked examples or dated history (*"In 2019 ..."*).

    **Why:** an SOP describes how work is done now, at every branch. Past tense reads
    like a report of one event and leaves the reader unsure whether it still applies.

    **Instead:** write the present tense (*"The clerk greets the customer"*) or, in a
    step, the imperative (*"Greet the customer."*). The message proposes the present form
    where it can.

    **Options:** ``scope`` (``["paragraph", "step", "step-detail"]``).
    """

    code = "P001"
    name = "past-tense"
    severity = Severity.WARNING
    default_scope = ("paragraph", "step", "step-detail")

    def check(self, doc: Document) -> Iterator[Hit]:
        return tense_hits(doc, self.scope, "past_tense", "Past tense", TENSE_ADVICE["past"])


@register
class FutureTense(Rule):
    """Flags a future construction where the present tense says it plainly.

    **What it flags:** English *"will"*, *"'ll"*, *"is going to"* and *"shall"* after
    *I*/*we* followed by a verb; Swedish *"kommer att"*, Norwegian *"kommer til å"*;
    Swedish *ska/skall* and Norwegian *skal/vil* only when the sentence names a future
    time (*"i morgon"*, *"neste uke"*), since in procedures they usually oblige (see
    ``modal-instead-of-imperative``); Norwegian *"vil bli"*; Telugu future-habitual
    forms (*"చేస్తారు"*) only next to a future time word (*"రేపు"*, *"వచ్చే వారం"*).
    Not flagged in English: a future in a relative or subordinate clause (*"the packages
    that will be broken if ..."*), a question, or a dated plan (*"Starting next year, the
    window will move to Sunday"*), where the future is what the writer means. A rewrite is
    offered only when the verb's number is sure (*"IFR aircraft will"* gets none).

    **Why:** procedures describe what happens every time. *"The system will print a
    receipt"* makes a routine sound like a forecast; *"The system prints a receipt"* is
    shorter and plainly true.

    **Instead:** use the present tense: *"will print"* becomes *"prints"*, *"kommer att
    skriva ut"* becomes *"skriver ut"*.

    **Options:** ``scope`` (``["paragraph", "step", "step-detail"]``).
    """

    code = "P002"
    name = "future-tense"
    severity = Severity.WARNING
    default_scope = ("paragraph", "step", "step-detail")

    def check(self, doc: Document) -> Iterator[Hit]:
        return tense_hits(doc, self.scope, "future_tense", "Future tense", TENSE_ADVICE["future"])
