"""Brevity: short sentences, paragraphs, procedures and shallow headings.

Words are counted with the document language's tokeniser, so a Telugu word with vowel
signs counts once and a branch value such as ``{{ branch.phone }}`` counts as one word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sop_lint.model import BlockKind, Document, ListBlock, Sentence, Severity, Span
from sop_lint.rules.base import Hit, Rule, RunContext, register, sentences_in_scope
from sop_lint.rules.steps import procedure_items, procedure_steps
from sop_lint.rules.tense import clause_of
from sop_lint.template import Template, template_for

# Where a long sentence may split into two full sentences: a semicolon, or a comma before
# a conjunction; _clause_halves decides whether both halves are sentences. A conjunction
# without a comma joins words more often than clauses ("read and write access", "för- och
# nackdelar", "hälso- og sjukvård", "hold short and contact the tower"), and a comma alone
# usually separates list members: neither is offered. Swedish ", så" is left out: it
# mostly means "so that", and "Så inget kan lossna." is not a sentence.
_SPLIT_POINTS = re.compile(
    r";\s+|,\s+(?:and|but|so|then|och|men|sedan|därefter|og|deretter"
    r"|మరియు|కానీ|తర్వాత)\s+",
    re.IGNORECASE,
)
MIN_HALF_WORDS = 4  # fewer words on either side of a split are not a sentence


SUBJECT_TAGS = ("PRON", "DET", "NOUN", "PROPN", "NUM")


def _clause_halves(doc: Document, sentence: Sentence, start: int, end: int) -> bool:
    """Whether splitting at ``start``..``end`` (offsets in the sentence's text) leaves two
    full sentences, as the tagger of the document's language sees them: the first half
    has a finite verb or an imperative; the second starts with a subject whose finite
    verb follows within a few words ("..., and it reduces the delay") or, after an
    instruction, with another instruction ("Ask for the receipt, and write ...").
    Without a tagger, no split is offered."""
    clause = clause_of(doc, sentence)
    if clause is None or clause.tagger is None or not clause.tags:
        return False
    spans = sentence.word_spans
    at_start, at_end = sentence.start + start, sentence.start + end
    first_after = next((i for i, (s, _) in enumerate(spans) if s >= at_end), len(spans))
    last_before = max((i for i, (_, e) in enumerate(spans) if e <= at_start), default=-1)
    tags = [clause.tag(i) for i in range(len(spans))]
    if not any("Fin" in t or "Imp" in t for t in tags[: last_before + 1]):
        return False
    second = tags[first_after:]
    if not second:
        return False
    instructing = "Imp" in tags[0]  # the sentence is an instruction
    if instructing and second[0].startswith(("VERB|Imp", "VERB|Inf")):
        return True  # "Ask for the receipt, and write ...": a second instruction
    if not second[0].startswith(SUBJECT_TAGS):
        return False
    return any("Fin" in t for t in second[1:6])


def _split_hint(doc: Document, sentence: Sentence) -> str | None:
    """Where to split ``sentence`` into two full sentences, nearest its middle, or None
    when no split leaves a full clause on both sides."""
    text = sentence.text
    middle = len(text) / 2
    best = None
    for match in _SPLIT_POINTS.finditer(text):
        before = text[: match.start()].split()
        after = text[match.end() :].split()
        if len(before) < MIN_HALF_WORDS or len(after) < MIN_HALF_WORDS:
            continue
        if before[-1].endswith("-"):  # a suspended compound: "hälso- och sjukvård"
            continue
        if best is not None and abs(match.start() - middle) >= abs(best.start() - middle):
            continue
        # "Your use, reproduction, and distribution": the last member of a list.
        member = text[: match.start()].rsplit(",", 1)
        if len(member) == 2 and len(member[1].split()) <= 3:
            continue
        if _clause_halves(doc, sentence, match.start(), match.end()):
            best = match
    if best is None:
        return None
    before = text[: best.start()].split()
    return f"split after \u201c{' '.join(before[-3:])}\u201d"


_HARD_BREAK = re.compile(r"(?: {2,}|\\)\n")


def _line_by_line(text: str) -> bool:
    """Whether most lines of a paragraph end in a hard line break: a run of separate lines
    (radio phraseology, a dialogue, an address), not a paragraph to split."""
    breaks = text.count("\n")
    return breaks > 0 and len(_HARD_BREAK.findall(text)) * 2 >= breaks


# Furniture that only a conversion from PDF or Word leaves in a document.
CONVERSION_TRACES = frozenset({"page-number", "letterhead"})


@register
class SentenceTooLong(Rule):
    """Flags a sentence with more words than a reader takes in at once.

    **What it flags:** a sentence over ``max-words-step`` words (default 30) in a
    procedure step (a numbered step of a procedure, as the step rules find them), or over
    ``max-words`` (default 40) elsewhere, bullets included, as a warning; any sentence
    over ``error-words`` (default 50) as an error. The defaults come from editors'
    verdicts on real SOPs in English, Swedish and Norwegian: a clear sentence of 26 to 40
    words that carries one idea was often left alone (two findings in three, at best, were
    worth a change), while nine in ten sentences over 40 words were worth splitting.
    Set lower limits for a stricter house style. In a document converted from PDF or
    Word (page numbers, a letterhead on every page) the finding is ``info`` and asks
    the writer to check it is one sentence: conversion still runs headings, table cells
    and list items together, and editors judging converted Swedish care routines found
    only half of those long "sentences" to be real ones. Words are counted in
    the document's language; a ``{{ branch.value }}`` counts as one word. Document furniture (page
    numbers, letterheads, label lines, tables of contents) is not counted. The message
    proposes a split point only where both halves would be full sentences (at a
    semicolon, or a comma before "and", "but", "then", "och", "men", "og" ...), never
    inside a coordination such as "read and write access" or "för- och nackdelar".

    **Why:** staff read SOPs while serving a customer. Short sentences are understood at
    a glance; long ones hide the action in the middle.

    **Instead:** split the sentence where it changes subject or action, and move
    background to its own sentence. *"Check the receipt, and if the date is older than 30
    days, which you see at the top, call the manager."* becomes *"Check the date on the
    receipt. If it is older than 30 days, call the manager."*

    **Options:** ``max-words-step`` (30), ``max-words`` (40), ``error-words`` (50),
    ``scope`` (``["paragraph", "step", "step-detail"]``).
    """

    code = "B001"
    name = "sentence-too-long"
    severity = Severity.WARNING
    options = {"max-words-step": 30, "max-words": 40, "error-words": 50}
    default_scope = ("paragraph", "step", "step-detail")

    def check(self, doc: Document) -> Iterator[Hit]:
        step_limit = self.config["max-words-step"]
        prose_limit = self.config["max-words"]
        error_limit = self.config["error-words"]
        # A document converted from PDF (page numbers, a letterhead on every page) may
        # still run a heading, a table cell or a list item into a sentence: there a long
        # sentence is a hint to check, not a fault.
        converted = not CONVERSION_TRACES.isdisjoint(doc.furniture.values())
        steps: set[int] | None = None
        for sentence in sentences_in_scope(doc, self.scope):
            count = sentence.word_count
            if count <= step_limit and count <= error_limit:
                continue
            if steps is None:  # the step limit holds for procedure steps only
                steps = {id(block) for block in procedure_steps(doc, True, self.context)}
            in_step = id(sentence.block) in steps
            limit = step_limit if in_step else prose_limit
            if count <= limit and count <= error_limit:
                continue
            where = "steps" if in_step else "sentences"
            hint = _split_hint(doc, sentence)
            message = (
                f"Sentence has {count} words; split it: {where} should stay at or under "
                f"{limit} words."
            )
            if converted:
                severity = Severity.INFO
                message += " (This document looks converted from PDF: check first that it is"
                message += " one sentence, not lines the conversion ran together.)"
            else:
                severity = Severity.ERROR if count > error_limit else None
            yield Hit(
                sentence.span,
                message,
                suggestion=f"Split it into two or more sentences ({hint})." if hint else None,
                severity=severity,
            )


@register
class ParagraphTooLong(Rule):
    """Flags a paragraph with too many sentences.

    **What it flags:** a paragraph (outside lists) with more than ``max-sentences``
    sentences (default 6). Only real paragraphs count: in a document converted from PDF
    or Word, lines that start with a bullet glyph ("•", "▪", "–") are list items, and a
    heading, label or page footer written inside a paragraph ends it. Lines that end in
    hard line breaks (a dialogue, radio phraseology, an address) are not a paragraph.

    **Why:** a long block of text is skipped, not read. Staff scan for the part that
    applies to them. Reported as ``info``: in documents converted from PDF or Word,
    table cells, template fields and run-in lists still merge into what reads as one
    paragraph, and editors judging converted care routines agreed with only a third of
    these findings. Raise it to a warning for SOPs written in Markdown
    (``[tool.sop-lint.rules.paragraph-too-long] severity = "warning"``).

    **Instead:** split the paragraph by topic, or turn a series of actions into a
    numbered list of steps.

    **Options:** ``max-sentences`` (6).
    """

    code = "B002"
    name = "paragraph-too-long"
    severity = Severity.INFO
    options = {"max-sentences": 6}

    def check(self, doc: Document) -> Iterator[Hit]:
        limit = self.config["max-sentences"]
        for block in doc.blocks:
            if block.kind is BlockKind.PARAGRAPH and len(block.sentences) > limit:
                if _line_by_line(block.text):
                    continue
                first = block.sentences[0].span
                yield Hit(
                    first,
                    f"Paragraph has {len(block.sentences)} sentences; keep it to {limit} or "
                    "fewer: split it by topic, or make the actions a numbered list.",
                )


@register
class ProcedureTooLong(Rule):
    """Flags a numbered procedure with too many steps.

    **What it flags:** a procedure (a numbered list the step rules read as steps) with
    more than ``max-steps`` steps (default 15). Only real steps count: not a table of
    contents, a list of links, definitions or references.

    **Why:** a reader loses their place in a long procedure, and a long procedure is
    often two procedures in one.

    **Instead:** group the steps under sub-headings (one short list each), or split the
    SOP into two SOPs that reference each other.

    **Options:** ``max-steps`` (15).
    """

    code = "B003"
    name = "procedure-too-long"
    severity = Severity.WARNING
    options = {"max-steps": 15}

    def check(self, doc: Document) -> Iterator[Hit]:
        limit = self.config["max-steps"]
        counts: dict[int, int] = {}
        lists: dict[int, ListBlock] = {}
        for item in procedure_items(doc, True, self.context):
            counts[id(item.list)] = counts.get(id(item.list), 0) + 1
            lists[id(item.list)] = item.list
        for key, count in counts.items():
            lst = lists[key]
            if count > limit:
                yield Hit(
                    Span(lst.line, lst.column, lst.line, lst.column + 1),
                    f"Procedure has {count} steps; keep it to {limit} or fewer: "
                    "group the steps under sub-headings or split the SOP.",
                )


@register
class HeadingTooDeep(Rule):
    """Flags a heading nested far below the SOP's own sections (off the usual depth).

    **What it flags:** a heading deeper than ``max-depth``, where depth counts from the
    level at which the document's template sections sit: they are depth 2, as ``##``
    sections are under a ``#`` title in the standard template, so the default 3 allows
    one level of subsections. An SOP whose template sections (*Procedure*, *Rutin*,
    *Fremgangsmåte*...) are ``###`` headings may use ``####`` for subsections. A document
    without template sections counts from its shallowest heading below the title.

    **Why:** deep nesting means the reader must keep a hierarchy in mind; in an SOP it
    can mean one procedure is doing the work of two. It is **off by default** (turn it on
    with ``--extend-select heading-too-deep`` or ``extend-select`` in the config): on
    real SOPs, reference pages nest four or five levels for good reasons (one subsection
    per airport, per runway, per API call), and editors judging random findings agreed
    with 15 of 100 in English and Norwegian, so even as a hint it mostly cries wolf.

    **Instead:** if the section does two jobs, split it into its own SOP; otherwise
    promote the heading one level.

    **Options:** ``max-depth`` (3).
    """

    code = "B004"
    name = "heading-too-deep"
    severity = Severity.INFO
    enabled_by_default = False
    options = {"max-depth": 3}

    def __init__(
        self, options: dict[str, Any] | None = None, context: RunContext | None = None
    ) -> None:
        super().__init__(options, context)
        self.template: Template = template_for(
            self.context.sections.get("template"), self.context.root
        )

    def section_level(self, doc: Document) -> int | None:
        """The heading level of the document's template sections: the shallowest level
        of a heading the template names, else the shallowest heading below the title."""
        lang = self.template.language_for(doc.language_code)
        named = [s.level for s in doc.sections if self.template.match(s.title, lang)]
        if named:
            return min(named)
        below_title = [s.level for s in doc.sections if s.level >= 2 and s.heading is not None]
        return min(below_title, default=None)

    def check(self, doc: Document) -> Iterator[Hit]:
        deepest = max((s.level for s in doc.sections), default=0)
        limit = self.config["max-depth"]
        if deepest <= limit:
            return  # cheap: no heading is deep even from level 2
        base = self.section_level(doc)
        if base is None:
            return
        allowed = base + limit - 2  # the deepest heading level allowed here
        for section in doc.sections:
            if section.level > allowed and section.heading is not None:
                below = section.level - base
                yield Hit(
                    section.heading.span,
                    f"Heading is {below} levels below this SOP's section headings "
                    f"({'#' * base}); keep to {allowed - base} level(s) of subsections: if "
                    f"the section does two jobs, split it into its own SOP, or promote "
                    f"this heading to {'#' * allowed}.",
                )
