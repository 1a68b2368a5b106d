"""Steps: every step of a procedure is one instruction, in the imperative, in active voice.

These rules look at procedure steps: the items of numbered lists (``ordered-only``, on by
default; set it to false to treat bulleted items as steps too) that are procedures: in the
section the SOP template calls the procedure, or, elsewhere, lists with at least one item
that instructs. Each step is judged on its
own, so a badly written procedure still gets its findings. Tables of contents are never
procedures, and items plainly not meant as instructions (a link, a question, a definition
"Term \u2013 explanation", a short noun phrase) are not steps. A step's first sentence is the
instruction; later sentences may explain it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from sop_lint.languages.verbs import Clause, rewrite_keeps_everything
from sop_lint.model import Block, BlockKind, Document, ListBlock, ListItem, Sentence, Severity
from sop_lint.rules.base import Hit, Rule, RunContext, register
from sop_lint.rules.tense import clause_of, quote


def _procedure_sections(doc: Document, context: RunContext) -> set[int]:
    """ids of the sections (and their subsections) the SOP template calls the procedure."""
    try:
        from sop_lint.template import template_for

        template = template_for(context.sections.get("template"), context.root)
    except Exception:  # no usable template: fall back on the lists' own evidence
        return set()
    found: set[int] = set()
    for section in doc.sections:
        spec = template.match(section.title, doc.language_code)
        if spec is not None and getattr(spec, "kind", None) == "procedure":
            found.update(id(s) for s in section.walk())
    return found


# A step that is only a link ("1. [Returns policy](returns.md)").
_LINK_ONLY = re.compile(r"[ \t>]*(?:\d{1,9}[.)]|[-*+])[ \t]+\[[^\]]*\]\([^)]*\)[ \t.]*$")
# "Term – explanation", "Term: explanation": a definition, when the term is short.
_DEFINITION = re.compile(r"\s*\S+(?:\s+\S+){0,4}?(?:\s+[\u2013\u2014-]\s|:\s)")


_MARKER = re.compile(r"[ \t>]*(?:\d{1,9}[.)]|[-*+])[ \t]+")


def _title_case(words: list[str]) -> bool:
    """A short sentence whose long words all start with a capital: a clause title."""
    if not 2 <= len(words) <= 6:
        return False
    long_words = [w for w in words if len(w) > 3]
    return bool(long_words) and all(w[0].isupper() for w in long_words)


def _first_block(item: ListItem) -> Block | None:
    return next((b for b in item.blocks if b.sentences), None)


def meant_as_step(doc: Document, item: ListItem, in_procedure_section: bool = False) -> bool:
    """Whether a list item is written to be read as an instruction (cached per item);
    see :func:`_meant_as_step`."""
    key = ("meant-as-step", id(item), in_procedure_section)
    if key not in doc.cache:
        doc.cache[key] = _meant_as_step(doc, item, in_procedure_section)
    return doc.cache[key]


def _meant_as_step(doc: Document, item: ListItem, in_procedure_section: bool) -> bool:
    """Whether a list item is written to be read as an instruction, whatever its grammar.
    Never a step: an item that is only a link or the cells of a table. Left alone unless
    it starts with an instruction: a question, a definition (a short term with a dash or
    colon explanation), an item under a title line of its own and, outside the template's
    procedure section, a legend ("`*` if ..."), a clause title ("Disclaimer of
    Warranty."), a short phrase without end punctuation ("Enhetschef", "Riskbedömning")
    or a sentence without a verb ("Varning om hävning av avtal.")."""
    block = _first_block(item)
    if block is None or block.kind is not BlockKind.STEP:
        return False
    line = doc.line_text(item.line)
    if (
        _LINK_ONLY.match(line)
        or " | " in block.text
        or _COLUMN_GAP.search(line)
        or _table_cells(block.text)
    ):
        return False  # a link, or a table read as an item
    sentence = block.sentences[0]
    text = sentence.text.strip()
    if text.endswith("?") or _NOTE.match(text):
        return False  # a question, or a note ("Obs!", "Note:") set in the list
    verbs = doc.language.verbs if doc.language is not None else None
    if verbs is None or not verbs.supported:
        return True  # nothing to tell an instruction from a phrase with
    # Anywhere, the procedure section included, and left alone unless it instructs: an
    # item that goes on from the list's lead-in sentence ("The routine describes:" /
    # "3. how the risk is assessed,"), so it starts in lower case; a statement of who is
    # responsible ("Läkaren ansvarar för att informera närstående."); and an item without
    # a verb ("Ett pågående brukarlarm.", "Genomförandeplan"), unless another item of its
    # list instructs: then it is a step written as a noun ("Receipt check.").
    if text[:1].islower() or _RESPONSIBILITY.search(text):
        return _instructs(doc, block) is True
    if _verbless(doc, block) and not _list_instructs(doc, item):
        return False
    written = _MARKER.sub("", line, count=1)
    # Outside the procedure section, a list may be a legend ("`*` if the track is lost"),
    # a list of clause titles ("Disclaimer of Warranty.") or of short phrases ("Munhålan").
    loose = not in_procedure_section and (
        written.startswith(("`", "**", "__"))
        or _title_case(sentence.word_texts(placeholders=False))
        or (sentence.word_count <= 4 and text[-1:] not in ".!")
        or _verbless(doc, block)  # "Varning om hävning av avtal.": a list of things
    )
    definition = _DEFINITION.match(text) or _titled(text)
    if definition or loose:
        return _instructs(doc, block) is True
    return True


# A note set in a list: "Obs! ...", "OBS:", "Note: ...", "Merk: ...", "NB! ...".
_NOTE = re.compile(r"(?i)(?:obs|observera|note|merk|nb|viktigt|important|tips?)\b\s*[!:.]")

# "X is responsible for ...": who answers for a task, a role statement rather than a step.
_RESPONSIBILITY = re.compile(
    r"\b(?:ansvarar för|har (?:huvud)?ansvar(?:et)? för|är ansvarig för|er ansvarlig for"
    r"|har ansvar(?:et)? for|(?:is|are) responsible for)\b",
    re.IGNORECASE,
)

# Columns of a table converted from PDF, laid out with runs of spaces on one line.
_COLUMN_GAP = re.compile(r"\S {5,}\S")


def _table_cells(text: str) -> bool:
    """Whether an item's text is the cells of a table converted from PDF, one short cell
    per line ("Temperaturmätning i" / "läkemedelsförråd" / "Sjuksköterska" / "1g/v")."""
    lines = [line.split() for line in text.split("\n") if line.strip()]
    return len(lines) >= 4 and sum(len(words) <= 3 for words in lines) * 4 >= len(lines) * 3


def _titled(text: str) -> bool:
    """Whether a step's first line is a title over what follows: a short line without end
    punctuation, then a line that starts anew (a capital or a bullet glyph), as in an
    outline converted from PDF ("Kartläggning av smittspridning" / "• Identifiera ...")."""
    first, newline, rest = text.partition("\n")
    if not newline:
        return False
    first, rest = first.strip(), rest.lstrip()
    return (
        bool(first)
        and len(first.split()) <= 6
        and first[-1].isalnum()
        and bool(rest)
        and (rest[0].isupper() or rest[0] in "\u2022\u25aa\u25e6\u2013-")
    )


def _verbless(doc: Document, block: Block) -> bool:
    """Whether the item's first sentence has no verb: the tagger finds none, and the
    language's lexicon knows no present or passive form among its words (a weak tagger
    reads "godkänns" as a noun). False when there is no tagger."""
    clause = clause_of(doc, block.sentences[0])
    tags = clause.tags if clause is not None else None
    if not tags or any(tag.startswith(("VERB", "AUX")) for tag in tags):
        return False
    finite = doc.language.verbs.is_finite_form  # type: ignore[union-attr]
    return not any(
        finite(word) and tag.startswith(("NOUN", "ADJ", "PROPN", "X"))
        for word, tag in zip(clause.lower, tags, strict=False)
    )  # "för" is "föra"'s present and a preposition: the tagger decides between them


def _list_instructs(doc: Document, item: ListItem) -> bool:
    """Whether another item of ``item``'s list starts with an instruction (cached)."""
    key = ("list-instructs", id(item.list))
    if key not in doc.cache:
        doc.cache[key] = {
            id(other)
            for other in item.list.items
            if (first := _first_block(other)) is not None
            and first.sentences
            and not first.text[:1].islower()  # a continuation of the lead-in
            and _instructs(doc, first) is True
        }
    instructing = doc.cache[key]
    # Not ``instructing - {id(item)}``: a new set per item is quadratic in a long list.
    return len(instructing) > 1 or (len(instructing) == 1 and id(item) not in instructing)


def _instructs(doc: Document, block: Block) -> bool | None:
    clause = clause_of(doc, block.sentences[0])
    if clause is None:
        return None
    return bool(doc.language.verbs.starts_imperative(clause))  # type: ignore[union-attr]


def is_procedure(doc: Document, lst: ListBlock, procedure_sections: set[int]) -> bool:
    """A list is a procedure when it sits in the template's procedure section, or when it
    has at least one item that instructs (a badly written procedure is still a procedure:
    its steps are judged one by one). A table of contents never is one."""
    if lst.table_of_contents:
        return False
    in_section = id(lst.section) in procedure_sections
    steps = [item for item in lst.items if meant_as_step(doc, item, in_section)]
    if not steps:
        return False
    verbs = doc.language.verbs if doc.language is not None else None
    if in_section or verbs is None or not verbs.supported:
        return True  # without a verb analyser, a numbered list counts as a procedure
    return any(_instructs(doc, item.blocks[0]) for item in steps)


def procedure_items(
    doc: Document, ordered_only: bool = True, context: RunContext | None = None
) -> list[ListItem]:
    """The items of ``doc`` that are procedure steps: the one decision the step rules,
    the step length limit and ``sop-lint stats`` share (cached per document)."""
    key = ("procedure-items", ordered_only)
    if key not in doc.cache:
        sections = _procedure_sections(doc, context) if context is not None else set()
        doc.cache[key] = [
            item
            for lst in doc.lists
            if (lst.ordered or not ordered_only) and is_procedure(doc, lst, sections)
            for item in lst.items
            if meant_as_step(doc, item, id(lst.section) in sections)
        ]
    return doc.cache[key]


def procedure_steps(
    doc: Document, ordered_only: bool = True, context: RunContext | None = None
) -> Iterator[Block]:
    """The first paragraph of every step of every procedure in ``doc``, in document order."""
    key = ("procedure-step-blocks", ordered_only)
    if key not in doc.cache:
        blocks = {id(_first_block(item)) for item in procedure_items(doc, ordered_only, context)}
        doc.cache[key] = [b for b in doc.blocks if id(b) in blocks]
    yield from doc.cache[key]


class StepRule(Rule):
    options = {"ordered-only": True}
    default_scope = ("step",)

    def steps(self, doc: Document) -> Iterator[Block]:
        """The blocks this rule reads: procedure steps, and any other kind of block that
        the rule's ``scope`` names (``paragraph``, ``step-detail``)."""
        analyser = doc.language.verbs if doc.language else None
        if analyser is None or not analyser.supported:
            return
        if BlockKind.STEP in self.scope:
            yield from procedure_steps(doc, self.config["ordered-only"], self.context)
        others = self.scope - {BlockKind.STEP}
        if others:
            yield from (b for b in doc.blocks if b.kind in others and b.sentences)

    def first_sentence_hits(
        self, doc: Document, finder: str, describe: Callable[[str], str]
    ) -> Iterator[Hit]:
        """Hits for what the language's ``finder`` reports in each step's instruction,
        with the rewritten step the analysis proposes, where it has one."""
        for block in self.steps(doc):
            sentence = block.sentences[0]
            clause = clause_of(doc, sentence)
            if clause is None:
                continue
            for use in getattr(doc.language.verbs, finder)(clause):  # type: ignore[union-attr]
                message = describe(quote(clause.words, use.first, use.last))
                suggestion = None
                if use.replacement and rewrite_keeps_everything(sentence, clause):
                    message += f": \u201c{use.replacement}\u201d"
                    suggestion = f"Write \u201c{use.replacement}\u201d"
                else:
                    message += "."
                yield Hit(sentence.word_span(use.first, use.last), message, suggestion)


@register
class ModalInsteadOfImperative(StepRule):
    """Flags a step that obliges someone instead of telling the reader what to do.

    **What it flags:** a step whose main verb comes after a modal: *"Staff should greet
    the customer"*, *"The clerk must check the receipt"*, *"Personalen ska hälsa på
    kunden"*, *"Du skal kontrollere kvitteringen"*, *"Du må sjekke datoen"*. English
    *can*/*may* offer an option (*"You can also use the web form"*) and a modal with a
    thing as subject states an expected result (*"The volume should now show the new
    size"*); neither is flagged. Swedish *ska/skall* and Norwegian *skal/vil* in a step are
    obligation, so they are reported here rather than as future tense. Telugu obligatives
    (*"పలకరించాలి"*) are the normal way to write a step and are not flagged.

    **Why:** a step is read by the person doing the work. An instruction (*"Greet the
    customer."*) is shorter and leaves no doubt who acts; a modal turns it into a rule
    about someone else.

    **Instead:** start with the verb: *"Greet the customer."*, *"Hälsa på kunden."*,
    *"Kontroller kvitteringen."* The message proposes the rewritten step when nothing
    is lost by it (in English: the subject is the reader, such as *you* or *staff*, and
    no second modal is left); otherwise it explains without one.

    **Options:** ``ordered-only`` (true: only numbered steps), ``scope``
    (``["step"]``; add ``"paragraph"`` or ``"step-detail"`` to check those too).
    """

    code = "I001"
    name = "modal-instead-of-imperative"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Hit]:
        return self.first_sentence_hits(
            doc,
            "modal_obligation",
            lambda written: (
                f"Step obliges ({written}) instead of instructing; "
                + (
                    "end with the instruction"
                    if doc.language_code in VERB_FINAL
                    else "start with the verb"
                )
            ),
        )


@register
class StepNotImperative(StepRule):
    """Flags a procedure step that does not start with an instruction.

    **What it flags:** a numbered step whose first sentence does not start with a verb
    in the imperative (*"Check the receipt."*, *"Kontrollera kvittot."*, *"Kontroller
    kvitteringen."*), after an optional leading condition (*"If the customer has no
    receipt, offer store credit."*, *"Om ...,"*, *"Hvis ...,"*) or time phrase. Telugu
    is verb-final: its step must end in a polite imperative (*-ండి*), a negative
    imperative or an obligative (*-ాలి*). Steps that ``modal-instead-of-imperative`` or
    ``passive-voice`` already report are not reported again, and a step that says what a
    named role does (*"The duty manager calls the driver."*) is ``step-names-actor``'s.
    An item without a verb (*"Receipt check."*) counts as a step only in a list where
    another item instructs: a numbered list of things, alarms or headings is no
    procedure. Notes (*"Obs!"*, *"Note:"*), questions and items that continue the
    list's lead-in sentence are not steps either.

    **Why:** staff scan a procedure for what to do next. A step that starts with the
    verb tells them at once; *"The receipt is checked"* or *"Customer greeting."* leaves
    them to work out who does what.

    **Instead:** rewrite the step as an instruction: *"Receipt check."* becomes *"Check
    the receipt."*; *"Du fyller i blanketten."* becomes *"Fyll i blanketten."*

    In Swedish and Norwegian the finding is reported as ``info`` (``info-languages``):
    in routines shared by several roles, editors judging real care routines and
    service pages agreed with only about half of these findings, so there it is a hint.

    **Options:** ``ordered-only`` (true: only numbered steps), ``scope``
    (``["step"]``; add ``"paragraph"`` or ``"step-detail"`` to check those too),
    ``info-languages`` (``["sv", "nb"]``: languages where a finding is a hint, at
    ``info``; set ``[]`` to report at the rule's severity everywhere).
    """

    code = "I002"
    name = "step-not-imperative"
    severity = Severity.WARNING
    options = {**StepRule.options, "info-languages": ["sv", "nb"]}

    def check(self, doc: Document) -> Iterator[Hit]:
        for sentence, clause in _steps_without_instruction(self, doc):
            if _named_actor(doc, clause) is not None:
                continue  # step-names-actor speaks: the reader may not be the one who acts
            hint = doc.language_code in self.config["info-languages"]
            message = (
                "Step does not end with an instruction: end it with the verb that says what "
                "to do (-\u0c02\u0c21\u0c3f, or -\u0c3e\u0c32\u0c3f for a duty)."
                if doc.language_code in VERB_FINAL
                else "Step does not start with an instruction: start it with the verb that "
                "says what to do (imperative), after any \u201cif\u201d condition."
            )
            yield Hit(
                sentence.word_span(0, len(sentence.word_spans) - 1),
                message,
                severity=Severity.INFO if hint else None,
            )


def _steps_without_instruction(rule: StepRule, doc: Document) -> Iterator[tuple[Sentence, Clause]]:
    """Steps whose first sentence does not instruct, and that neither
    ``modal-instead-of-imperative`` nor ``passive-voice`` already reports."""
    verbs = doc.language.verbs if doc.language else None
    for block in rule.steps(doc):
        sentence = block.sentences[0]
        clause = clause_of(doc, sentence)
        if clause is None or verbs is None:
            continue
        if verbs.starts_imperative(clause) is not False:
            continue
        if verbs.modal_obligation(clause) or verbs.passive_voice(clause):
            continue
        if any(
            (later := clause_of(doc, other)) is not None and verbs.starts_imperative(later)
            for other in block.sentences[1:]
        ):
            continue  # "You should now see a dialog. Press OK.": the step does instruct
        yield sentence, clause


# Languages whose instruction ends the sentence (Telugu: "... తనిఖీ చేయండి.").
VERB_FINAL = frozenset({"te"})
# Who a step addresses when it names them: the reader, not a third party.
READER_SUBJECTS = frozenset("you we du ni man vi dere".split())


def _named_actor(doc: Document, clause: Clause) -> tuple[int, int] | None:
    """``(first, last)`` word of the subject when the step opens with a named actor and
    its verb in the present tense: "Sjuksköterskan gör en bedömning", "The duty
    manager calls the driver", "Enhetschef eller läkare ringer närstående". None for
    the reader ("Du fyller i ...") and when there is no tagger to tell."""
    tags = clause.tags
    if not tags:
        return None
    verbs = doc.language.verbs  # type: ignore[union-attr]
    start, present = verbs.main_clause_start(clause), verbs.is_present_form
    i = start
    while i < len(tags) and tags[i].startswith(("DET", "NUM")):
        i += 1
    first = i
    # The subject: nouns and adjectives (a weak tagger calls "sjuksköterska" either),
    # names, and "or"/"and" between them; its verb is a present tense by the tagger or,
    # where the tagger errs in a list ("dokumenterar" as a noun), by the lexicon.
    while (
        i < len(tags)
        and i - first < 6
        and not (present(clause.lower[i]) and not tags[i].startswith(("ADP", "CCONJ")))
        and (
            tags[i].startswith(("NOUN", "PROPN", "ADJ"))
            or (clause.lower[i] in ("och", "eller", "og", "and", "or") and i > first)
        )
    ):
        i += 1
    if i == first or i >= len(tags) or clause.lower[first] in READER_SUBJECTS:
        return None
    verb = tags[i]
    if (verb.startswith("VERB|Fin|Pres") and "Pass" not in verb) or (
        present(clause.lower[i]) and not verb.startswith(("ADP", "CCONJ"))
    ):
        return (start, i - 1)  # "The duty manager", with its determiner; not "is required"
    return None


@register
class StepNamesActor(StepRule):
    """Reports a procedure step that says what a named role does instead of instructing.

    **What it flags:** a numbered step that opens with a role or a name and a verb in
    the present tense: *"The duty manager calls the driver."*, *"Sjuksköterskan gör en
    bedömning."*, *"Saksbehandleren registrerer saken."* Steps for the reader (*"Du
    fyller i blanketten"*) are ``step-not-imperative``'s.

    **Why:** reported as ``info`` only. When the reader is the one who acts, the step
    reads faster as an instruction (*"Call the driver."*). But in routines shared by
    several roles, naming who does each step is often right, and editors judging real
    care routines agreed with the change only about half the time; so this is a hint to
    look at, not a fault.

    **Instead:** if the reader does it, start with the verb: *"Call the driver."*; if
    another role does it, keep the step, or group that role's steps under a heading
    that names it (*"The duty manager"*) and write them as instructions.

    **Options:** ``ordered-only`` (true: only numbered steps), ``scope``
    (``["step"]``; add ``"paragraph"`` or ``"step-detail"`` to check those too).
    """

    code = "I005"
    name = "step-names-actor"
    severity = Severity.INFO

    def check(self, doc: Document) -> Iterator[Hit]:
        for sentence, clause in _steps_without_instruction(self, doc):
            actor = _named_actor(doc, clause)
            if actor is None:
                continue
            subject = quote(clause.words, *actor)
            yield Hit(
                sentence.word_span(actor[0], actor[1] + 1),
                f"Step says what {subject} does: if the reader does it, start the step "
                "with the verb that says what to do (imperative).",
            )


@register
class PassiveVoice(StepRule):
    """Flags a step written in the passive voice.

    **What it flags:** a step whose main clause is passive: *"The receipt is printed"*,
    *"The form is signed by the manager"*, Swedish s-passive *"Kvittot skrivs ut"*,
    *"blir"* + participle, Norwegian *"Kvitteringen skrives ut"*, *"blir skrevet ut"*,
    Telugu *-బడు* forms (*"ముద్రించబడుతుంది"*). Past progressive (*"was walking"*) is
    not passive; a participle after an instruction (*"Check that the form is signed"*)
    sits in a subordinate clause and is not flagged.

    **Why:** the passive hides who acts. In a procedure, the reader is the one who acts.

    **Instead:** name the action as an instruction: *"Print the receipt."*, *"Skriv ut
    kvittot."*, *"Skriv ut kvitteringen."*

    **Options:** ``ordered-only`` (true: only numbered steps), ``scope``
    (``["step"]``; add ``"paragraph"`` or ``"step-detail"`` to check those too).
    """

    code = "I003"
    name = "passive-voice"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Hit]:
        return self.first_sentence_hits(
            doc,
            "passive_voice",
            lambda written: f"Passive voice {written}: say who acts; in a step, instruct",
        )


@register
class MultipleActionsInStep(StepRule):
    """Reports a step that joins two or more instructions.

    **What it flags:** a step whose instructions are chained with *"and then"*, *",
    then"*, *"och sedan"*, *"och därefter"*, *"og deretter"*, *"og så"*, Telugu *"ఆ
    తర్వాత"* or two *-ండి* imperatives. One action on several objects (*"Check the date
    and the price."*) and *"then"* after a condition are not flagged.

    **Why:** one action per step lets staff tick off their progress and makes a skipped
    action visible.

    **Instead:** split the step in two: *"Log the call in CRM and then close the case."*
    becomes *"Log the call in CRM."* and *"Close the case."*

    **Options:** ``ordered-only`` (true: only numbered steps), ``scope``
    (``["step"]``; add ``"paragraph"`` or ``"step-detail"`` to check those too).
    """

    code = "I004"
    name = "multiple-actions-in-step"
    severity = Severity.INFO

    def check(self, doc: Document) -> Iterator[Hit]:
        for block in self.steps(doc):
            for sentence in block.sentences:
                clause = clause_of(doc, sentence)
                if clause is None:
                    continue
                for use in doc.language.verbs.action_joins(clause):  # type: ignore[union-attr]
                    written = quote(clause.words, use.first, use.last)
                    yield Hit(
                        sentence.word_span(use.first, use.last),
                        f"Step joins instructions with {written}: give each action its own "
                        "numbered step.",
                        "Split the step at " + written + ".",
                    )
