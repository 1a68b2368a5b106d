"""Brevity: short sentences, paragraphs, procedures and shallow headings.

Words are counted with the document language's tokeniser, so a Telugu word with vowel
signs counts once and a branch value such as ``{{ branch.phone }}`` counts as one word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sop_lint.model import BlockKind, Document, Sentence, Severity, Span
from sop_lint.rules.base import Hit, Rule, RunContext, register, sentences_in_scope
from sop_lint.template import Template, template_for

# Places where a long sentence most naturally splits, best first.
_SPLIT_POINTS = re.compile(
    r";|:\s|,\s+(?:and|but|or|then|och|men|eller|sedan|og|eller|så|deretter)\s"
    r"|\s(?:and then|och sedan|og deretter|and|och|og)\s|,\s",
)


def _split_hint(sentence: Sentence) -> str | None:
    text = sentence.text
    middle = len(text) / 2
    best = None
    for match in _SPLIT_POINTS.finditer(text):
        if best is None or abs(match.start() - middle) < abs(best.start() - middle):
            best = match
    if best is None:
        return None
    before = text[: best.start()].split()
    if len(before) < 3:
        return None
    return f"split after \u201c{' '.join(before[-3:])}\u201d"


@register
class SentenceTooLong(Rule):
    """Flags a sentence with more words than a reader takes in at once.

    **What it flags:** a sentence over ``max-words-step`` words (default 20) in a
    procedure step, or over ``max-words`` (default 25) elsewhere, as a warning; any
    sentence over ``error-words`` (default 35) as an error. Words are counted in the
    document's language; a ``{{ branch.value }}`` counts as one word.

    **Why:** staff read SOPs while serving a customer. Short sentences are understood at
    a glance; long ones hide the action in the middle.

    **Instead:** split the sentence where it changes subject or action, and move
    background to its own sentence. *"Check the receipt, and if the date is older than 30
    days, which you see at the top, call the manager."* becomes *"Check the date on the
    receipt. If it is older than 30 days, call the manager."*

    **Options:** ``max-words-step`` (20), ``max-words`` (25), ``error-words`` (35),
    ``scope`` (``["paragraph", "step", "step-detail"]``).
    """

    code = "B001"
    name = "sentence-too-long"
    severity = Severity.WARNING
    options = {"max-words-step": 20, "max-words": 25, "error-words": 35}
    default_scope = ("paragraph", "step", "step-detail")

    def check(self, doc: Document) -> Iterator[Hit]:
        step_limit = self.config["max-words-step"]
        prose_limit = self.config["max-words"]
        error_limit = self.config["error-words"]
        for sentence in sentences_in_scope(doc, self.scope):
            count = sentence.word_count
            in_step = sentence.kind is BlockKind.STEP
            limit = step_limit if in_step else prose_limit
            if count <= limit and count <= error_limit:
                continue
            where = "steps" if in_step else "sentences"
            hint = _split_hint(sentence)
            yield Hit(
                sentence.span,
                f"Sentence has {count} words; split it: {where} should stay at or under "
                f"{limit} words.",
                suggestion=f"Split it into two or more sentences ({hint})." if hint else None,
                severity=Severity.ERROR if count > error_limit else None,
            )


@register
class ParagraphTooLong(Rule):
    """Flags a paragraph with too many sentences.

    **What it flags:** a paragraph (outside lists) with more than ``max-sentences``
    sentences (default 6).

    **Why:** a long block of text is skipped, not read. Staff scan for the part that
    applies to them.

    **Instead:** split the paragraph by topic, or turn a series of actions into a
    numbered list of steps.

    **Options:** ``max-sentences`` (6).
    """

    code = "B002"
    name = "paragraph-too-long"
    severity = Severity.WARNING
    options = {"max-sentences": 6}

    def check(self, doc: Document) -> Iterator[Hit]:
        limit = self.config["max-sentences"]
        for block in doc.blocks:
            if block.kind is BlockKind.PARAGRAPH and len(block.sentences) > limit:
                first = block.sentences[0].span
                yield Hit(
                    first,
                    f"Paragraph has {len(block.sentences)} sentences; keep it to {limit} or "
                    "fewer: split it by topic, or make the actions a numbered list.",
                )


@register
class ProcedureTooLong(Rule):
    """Flags a numbered procedure with too many steps.

    **What it flags:** an ordered (numbered) list with more than ``max-steps`` items
    (default 15).

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
        for lst in doc.lists:
            if lst.ordered and len(lst.items) > limit:
                yield Hit(
                    Span(lst.line, lst.column, lst.line, lst.column + 1),
                    f"Procedure has {len(lst.items)} steps; keep it to {limit} or fewer: "
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
    can mean one procedure is doing the work of two. It is reported as ``info`` only:
    on real SOPs, reference pages nest four or five levels for good reasons (one
    subsection per airport, per runway, per API call), and editors reviewing such
    headings rarely changed them, so a deep heading is a hint, never a fault.

    **Instead:** if the section does two jobs, split it into its own SOP; otherwise
    promote the heading one level.

    **Options:** ``max-depth`` (3).
    """

    code = "B004"
    name = "heading-too-deep"
    severity = Severity.INFO
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
