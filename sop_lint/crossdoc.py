"""What the checks across the SOP set read from each file, gathered while it is parsed.

The cross-document rules (``broken-reference``, ``heading-inconsistent``,
``procedure-diverges``) never see a :class:`~sop_lint.model.Document`: a worker process
reduces each file to a small :class:`~sop_lint.model.DocumentSummary`, and these functions
fill in its part of it: links to other files, "see CS-004" mentions, heading anchors, the
template sections its headings name, and its procedure steps as normalised text. Every
function here is one pass over the file, so the summary costs time linear in its size.
"""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote

import regex

if TYPE_CHECKING:
    from sop_lint.model import Document
    from sop_lint.rules.base import RunContext

# Keep summaries small whatever the file: a procedure longer than this is not compared
# further, and a step longer than this is compared by its beginning.
MAX_STEPS = 200
MAX_STEP_CHARS = 300
MAX_LINKS = 500


class LinkRef(NamedTuple):
    """A Markdown link to a file of this repository: where it is and where it goes."""

    line: int
    column: int
    end_column: int
    target: str  # the file as written in the link, resolved against the linking file
    anchor: str  # the part after "#", "" when none
    written: str  # the link target as written
    exists: bool  # whether the target file exists on disk (checked or not)


class IdMention(NamedTuple):
    """An SOP id mentioned in prose with a cue such as "see CS-004"."""

    line: int
    column: int
    end_column: int
    sop_id: str


class HeadingRef(NamedTuple):
    """A section heading that names a template section: its key and its spelling."""

    key: str
    title: str
    line: int
    column: int


# -- links -------------------------------------------------------------------------------------

# A code fence at any indentation: fences inside admonitions, content tabs and list items
# are indented, and a link shown as an example in them is not a link.
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
# The target part of an inline link, from its "](": a path without spaces (parentheses
# in pairs) or one in <...>. Matched from "](" and not from "[": a regex that starts at
# every "[" of a line of brackets rescans the line once per bracket.
_LINK_TARGET = re.compile(r"\]\(\s*+(<[^>\n]*+>|[^\s()]++(?:\([^\s()]*+\)[^\s()]*+)*+)")
_BACKTICKS = re.compile(r"`+")
_REFERENCE_DEF = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _blank_code_spans(line: str) -> str:
    """``line`` with inline code blanked (same length): a link in code is not a link.

    A code span runs from a run of backticks to the next run of the same length; a run
    with no partner is literal. Runs are found once and matched with one forward pointer
    per length, so the work is linear in the line (a regex with a lazy backreference
    rescans the rest of the line from every unmatched run)."""
    if "`" not in line:
        return line
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    pointer = dict.fromkeys(by_length, 0)
    out: list[str] = []
    done = 0  # characters of ``line`` written to ``out``
    index = 0
    while index < len(runs):
        start, end = runs[index]
        length = end - start
        same = by_length[length]
        position = pointer[length]
        while position < len(same) and same[position] <= index:
            position += 1
        pointer[length] = position
        if position == len(same):
            index += 1  # no closing run: literal backticks
            continue
        closing = same[position]
        close_end = runs[closing][1]
        out.append(line[done:start])
        out.append(" " * (close_end - start))
        done = close_end
        index = closing + 1
    out.append(line[done:])
    return "".join(out)


def _without_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """``line`` with HTML comments blanked (same length), and whether one is still open
    at its end. One pass: ``find`` from where the last comment ended."""
    out: list[str] = []
    pos = 0
    while pos < len(line):
        if in_comment:
            end = line.find("-->", pos)
            if end == -1:
                out.append(" " * (len(line) - pos))
                return "".join(out), True
            out.append(" " * (end + 3 - pos))
            pos, in_comment = end + 3, False
        else:
            start = line.find("<!--", pos)
            if start == -1:
                out.append(line[pos:])
                break
            out.append(line[pos:start])
            pos, in_comment = start, True
    return "".join(out), in_comment


def _link(doc: Document, line_no: int, column: int, end: int, written: str) -> LinkRef | None:
    """The link as a reference to a repository file, or None when it is none of our
    business: a web address, an e-mail, a picture, a Jinja value, a path from the site
    root, or a file that is not Markdown."""
    written = written.strip("<>").strip()
    if not written or _SCHEME.match(written) or written.startswith(("/", "//")):
        return None
    if "{{" in written or "{%" in written:
        return None
    path, _, anchor = written.partition("#")
    path = path.split("?", 1)[0]
    if path and not path.lower().endswith((".md", ".markdown")):
        return None
    if path:
        from sop_lint.branching.overrides import override_of

        # A branch's own copy is published at the standard's address, and the guide tells
        # writers to keep its links as in the standard: resolve them from there.
        override = override_of(doc.path)
        linking = override.standard if override is not None else doc.path
        base = posixpath.dirname(linking.replace("\\", "/"))
        target = posixpath.normpath(posixpath.join(base, unquote(path)))
        exists = os.path.isfile(target)
    else:
        target, exists = doc.path.replace("\\", "/"), True  # "#anchor": this file
    return LinkRef(line_no, column, end, target, unquote(anchor), written, exists)


def _visible_lines(doc: Document) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of the body's lines outside code fences, with HTML
    comments blanked: what a reader of the page sees as Markdown."""
    fence: str | None = None
    in_comment = False  # inside an HTML comment: text the reader never sees
    for line_no in range(doc.body_start_line, doc.line_count + 1):
        text = doc.line_text(line_no)
        if in_comment or "<!--" in text:
            text, in_comment = _without_comments(text, in_comment)
        opening = _FENCE.match(text)
        if fence is not None:
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening[1]
            continue
        yield line_no, text


def links_of(doc: Document) -> tuple[LinkRef, ...]:
    """The links of ``doc`` to Markdown files of the repository (outside code)."""
    found: list[LinkRef] = []
    for line_no, text in _visible_lines(doc):
        if "](" not in text and "]:" not in text:
            continue
        visible = _blank_code_spans(text)
        matches = []
        previous = 0  # the end of the last link: its text starts after it
        for target in _LINK_TARGET.finditer(visible):
            opening = visible.rfind("[", previous, target.start())
            previous = target.end()
            if opening == -1:
                continue
            bang = "!" if opening and visible[opening - 1] == "!" else ""
            start = opening - 1 if bang else opening
            matches.append((bang, start, target.end(), target[1]))
        definition = _REFERENCE_DEF.match(visible)
        if definition:
            matches.append(("", definition.start(1), definition.end(1), definition[1]))
        for bang, start, end, written in matches:
            if bang:
                continue  # a picture: not a reference to an SOP
            link = _link(doc, line_no, start + 1, end + 1, written)
            if link is not None:
                found.append(link)
                if len(found) >= MAX_LINKS:
                    return tuple(found)
    return tuple(found)


# -- anchors -----------------------------------------------------------------------------------

# Markup that changes what a heading's anchor is (code, emphasis, links, attribute lists,
# HTML, Jinja): for such a heading sop-lint cannot be sure of the anchor, so it does not
# judge links to anchors of that file at all.
_UNSURE_HEADING = re.compile(r"[`*_\[\]<>&{}\\!]")


def _slug(text: str, keep_unicode: bool) -> str:
    """The anchor Python-Markdown's toc extension makes of a heading (its ``slugify``
    and ``slugify_unicode``, separator "-")."""
    if not keep_unicode:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


def anchors_of(doc: Document) -> frozenset[str] | None:
    """Every anchor a link may point to in ``doc``, or None when unsure.

    A link's anchor is judged only when it matches no heading by either slug rule MkDocs
    projects use (the toc default, which drops accents, and ``slugify_unicode``, which keeps
    them), with the ``_1``, ``_2`` of repeated headings. A heading with markup, an
    underlined (setext) heading, or one whose slug is empty (Telugu under the default
    rule) makes the file's anchors unsure.
    """
    by_rule: tuple[set[str], set[str]] = (set(), set())
    # The last suffix given to each repeated slug, per rule: a file of 10,000 equal
    # headings must not try "_1", "_2", ... again for each (that is quadratic).
    counters: tuple[dict[str, int], dict[str, int]] = ({}, {})
    # From the lines, not the parsed sections: the parser sets aside headings repeated as
    # letterheads, but the site still gives each of them an anchor.
    previous = ""
    for _, text in _visible_lines(doc):
        if _SETEXT.match(text) and previous.strip() and not _ATX.match(previous):
            return None  # "Title" underlined with === or ---: not worth the risk
        previous = text
        heading = _ATX.match(text)
        if heading is None:
            continue
        title = (heading[1] or "").strip()
        if not title or _UNSURE_HEADING.search(title):
            return None
        for keep_unicode, anchors, counter in zip((False, True), by_rule, counters, strict=True):
            slug = _slug(title, keep_unicode)
            if not slug:
                return None
            if slug in anchors:
                count = counter.get(slug, 0) + 1
                while f"{slug}_{count}" in anchors:
                    count += 1
                counter[slug] = count
                slug = f"{slug}_{count}"
            anchors.add(slug)
    return frozenset(by_rule[0] | by_rule[1])


# -- id mentions -------------------------------------------------------------------------------

# An id as organisations write them: letters, a dash, digits ("CS-004", "HR-12").
_ID = r"[A-Z][A-Z0-9]{0,9}-[0-9]{1,6}"
# A cue before the id: "see", "see also", "refer to", "cf." (en); "se", "se även", "jfr",
# "jämför" (sv); "se", "se også", "jf.", "sjå" (nb); an optional "SOP"/"rutin"/"prosedyre".
_BEFORE = re.compile(
    r"(?<![\w-])(?i:see(?:\s+also)?|refer\s+to|cf\.|se(?:\s+även|\s+også)?|jfr\.?|jämför|"
    r"jf\.?|sjå)\s+(?i:(?:the\s+)?(?:sop|rutin(?:en)?|prosedyre(?:n)?)\s+)?(" + _ID + r")(?![\w-])"
)
# Telugu puts "see" after the id: "CS-004 చూడండి", "CS-004ను చూడండి", "CS-004 ని చూడండి".
_AFTER_TE = re.compile(r"(?<![\w-])(" + _ID + r")\s*+(?:(?:ను|ని|లో)\s*+)?చూడండి")


def mentions_of(doc: Document) -> tuple[IdMention, ...]:
    """Ids of other SOPs that ``doc``'s prose refers to with a "see" cue."""
    pattern = _AFTER_TE if doc.language_code == "te" else _BEFORE
    found: list[IdMention] = []
    for block in doc.blocks:
        text = block.text
        if "-" not in text:
            continue
        for match in pattern.finditer(text):
            span = block.span_of(match.start(1), match.end(1))
            if span.end_line == span.line:
                found.append(IdMention(span.line, span.column, span.end_column, match[1]))
    if doc.language_code == "te":  # Telugu SOPs also write the English cue
        seen = {(m.line, m.column) for m in found}
        for block in doc.blocks:
            for match in _BEFORE.finditer(block.text):
                span = block.span_of(match.start(1), match.end(1))
                if span.end_line == span.line and (span.line, span.column) not in seen:
                    found.append(IdMention(span.line, span.column, span.end_column, match[1]))
    return tuple(sorted(found))


# -- headings and procedure --------------------------------------------------------------------

_WORDS = regex.compile(r"\{\{.*?\}\}|\w+")  # regex: \w takes Telugu vowel signs


def normalise_step(text: str) -> str:
    """A step as procedures are compared: lower case, words only, Jinja values as "{}"."""
    words = ("{}" if w.startswith("{{") else w for w in _WORDS.findall(text.casefold()))
    return " ".join(words)[:MAX_STEP_CHARS]


def structure_of(
    doc: Document, context: RunContext | None
) -> tuple[bool, tuple[HeadingRef, ...], tuple[str, ...], int]:
    """Whether ``doc`` is an SOP, the headings that name template sections, its procedure
    steps (normalised) and the line of its procedure heading (0 when it has none)."""

    headings: tuple[HeadingRef, ...] = ()
    is_sop = False
    procedure_line = 0
    if context is not None:
        try:
            from sop_lint.template import analyse, template_for

            template = template_for(context.sections.get("template"), context.root)
        except Exception:  # no usable template: the template rules say why
            template = None
        if template is not None:
            is_sop = template.is_sop(doc)
            structure = analyse(doc, template)
            headings = tuple(
                HeadingRef(h.spec.key, h.section.title, h.section.line, h.section.column)
                for h in structure.headings
                if h.spec is not None
            )
            procedure_line = next(
                (
                    h.section.line
                    for h in structure.headings
                    if h.spec and h.spec.kind == "procedure"
                ),
                0,
            )
    steps: list[str] = []
    items = _comparable_items(doc, context)
    if not procedure_line and items:
        procedure_line = items[0].line  # no procedure heading: where the steps start
    steps.extend(_normalised(items))
    return is_sop, headings, tuple(steps), procedure_line


def _normalised(items: list[Any]) -> tuple[str, ...]:
    """The first paragraph of each item (at most MAX_STEPS), as steps are compared."""
    steps: list[str] = []
    for item in items[:MAX_STEPS]:
        block = next((b for b in item.blocks if b.sentences), None)
        if block is not None:
            normal = normalise_step(block.text)
            if normal:
                steps.append(normal)
    return tuple(steps)


def page_list_items(doc: Document) -> tuple[int, tuple[str, ...]]:
    """The items of every bulleted list on the page (not a table of contents, not an
    item with a link), normalised, and the line of the first: what procedure-diverges
    compares, at a stricter similarity, for a page without a real procedure. No verb
    analysis: it would cost more than the rest of the summary."""
    items = [
        item
        for lst in doc.lists
        if not lst.ordered and not lst.table_of_contents
        for item in lst.items
        if "](" not in doc.line_text(item.line)
    ]
    return (items[0].line if items else 0), _normalised(items)


def _comparable_items(doc: Document, context: RunContext | None) -> list[Any]:
    """The steps procedures are compared by (procedure-diverges): only a real procedure.

    In the template's procedure section, its numbered steps, or its bulleted ones when it
    has fewer than three numbered (two units' copies of a routine are as often bulleted as
    numbered). Without such a section, only numbered lists most of whose items are
    instructions. Never bullets pooled from the whole page: pages of one kind share
    boilerplate lists (the two sides of a coordination agreement, the tower and approach
    pages of one airport, parallel sector lists) that are not one routine written twice.
    """
    from sop_lint.rules.steps import (
        _instructs,
        _procedure_sections,
        meant_as_step,
        procedure_items,
    )

    numbered = procedure_items(doc, True, context)  # cached: the step rules found them
    sections = _procedure_sections(doc, context) if context is not None else set()
    if sections:
        inside = [item for item in numbered if id(item.list.section) in sections]
        if len(inside) < 3:
            inside = [
                item
                for lst in doc.lists
                if not lst.ordered and not lst.table_of_contents and id(lst.section) in sections
                for item in lst.items
                # not an item with a link: a list of related SOPs is not a procedure
                if "](" not in doc.line_text(item.line) and meant_as_step(doc, item, True)
            ]
        if len(inside) >= 3:
            return inside
    verbs = doc.language.verbs if doc.language is not None else None
    judged = verbs is not None and verbs.supported

    def instructing(lst: Any) -> bool:
        """Whether most items of ``lst`` start with an instruction (without a verb
        analyser for the language, a numbered list counts, a bulleted one does not)."""
        if not judged:
            return bool(lst.ordered)
        instructions = 0
        for item in lst.items:
            block = next((b for b in item.blocks if b.sentences), None)
            if block is not None and _instructs(doc, block) is True:
                instructions += 1
        return instructions * 2 > len(lst.items)

    by_list: dict[int, list[Any]] = {}
    for item in numbered:
        by_list.setdefault(id(item.list), []).append(item)
    # Each item's first clause is tagged once (cached) for the step rules anyway.
    kept = [item for steps in by_list.values() if instructing(steps[0].list) for item in steps]
    if len(kept) >= 3:
        return kept
    # A routine is as often written as bullets: a bulleted list of three or more items,
    # most of them instructions, list by list (a list of facts or positions is not one).
    for lst in doc.lists:
        if lst.ordered or lst.table_of_contents or len(lst.items) < 3:
            continue
        if instructing(lst):
            kept.extend(
                item
                for item in lst.items
                if "](" not in doc.line_text(item.line) and meant_as_step(doc, item, False)
            )
    return kept
