"""The document model that every rule, formatter and the site share.

A :class:`Document` is built once per file by :mod:`sop_lint.parser`. It holds the front
matter, the heading tree, the prose blocks (paragraphs, list items, headings) and, inside
them, sentences and words. Every piece knows where it came from: positions are source
offsets, turned into 1-based line and column on demand.

Prose blocks keep the text a reader sees (markup, code, URLs and HTML removed), together
with a map from that text back to source offsets, so a finding on a word points at the
word in the file even when the sentence runs over several lines.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sop_lint.languages.base import Language


class Severity(enum.IntEnum):
    """How much a finding matters. Ordered, so ``>=`` compares seriousness."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        """Read ``"error"``, ``"warning"`` or ``"info"`` (any case)."""
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"expected one of error, warning, info; got {value!r}") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(slots=True, frozen=True)
class Span:
    """A 1-based, inclusive-start, exclusive-end range of source text."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(slots=True, frozen=True)
class Location:
    """Another place a finding is about (the SOP a broken link points from, the other copy
    of a near-duplicate procedure): shown as "see also", and in SARIF as a related location."""

    path: str
    line: int
    column: int = 1
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass(slots=True, frozen=True)
class TextEdit:
    """One exact change to a file: replace the text at a span with ``replacement``.

    The span is in the same coordinates as findings (1-based lines and columns of the
    normalised source, end exclusive). ``original`` is the text the rule saw there: a fix
    is applied only where the file still holds exactly that text.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str
    original: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "replacement": self.replacement,
            "original": self.original,
        }


@dataclass(slots=True, frozen=True)
class Fix:
    """How to resolve a finding by editing the file: one or more :class:`TextEdit`.

    ``safe`` fixes are the ones ``sop-lint check --fix`` applies without asking (a fixed
    phrase list, a glossary pair): the result reads right wherever the text can stand.
    Only plain types inside, so a fix survives a trip through JSON (:meth:`from_dict`).
    """

    edits: tuple[TextEdit, ...]
    safe: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"safe": self.safe, "edits": [edit.to_dict() for edit in self.edits]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fix:
        """The fix :meth:`to_dict` described (e.g. read back from a cache)."""
        return cls(tuple(TextEdit(**edit) for edit in data["edits"]), bool(data["safe"]))


@dataclass(slots=True)
class Finding:
    """One thing a rule found, at one place in one file."""

    path: str
    span: Span
    rule: str  # code, e.g. "B001"
    name: str  # slug, e.g. "sentence-too-long"
    severity: Severity
    message: str
    suggestion: str | None = None
    source_line: str | None = None  # the text of ``span.line``, for the caret display
    related: tuple[Location, ...] = ()  # other files the finding names (cross-document rules)
    fix: Fix | None = None  # edits that resolve it (``check --fix`` applies the safe ones)

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.rule)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a finding (version 1 of the public contract)."""
        data: dict[str, Any] = {
            "path": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "rule": self.rule,
            "name": self.name,
            "severity": str(self.severity),
            "message": self.message,
        }
        if self.suggestion is not None:
            data["suggestion"] = self.suggestion
        if self.related:
            data["related"] = [location.to_dict() for location in self.related]
        if self.fix is not None:
            data["fix"] = self.fix.to_dict()
        return data


class BlockKind(enum.Enum):
    """What kind of prose a block is; rules scope themselves by it."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    STEP = "step"  # the first paragraph of an ordered or unordered list item
    STEP_DETAIL = "step-detail"  # a later paragraph inside a list item


@dataclass(slots=True, eq=False)
class Word:
    """A word in a sentence. ``start``/``end`` index into the block's text."""

    text: str
    start: int
    end: int
    placeholder: bool = False  # a Jinja2 expression such as ``{{ branch.phone }}``


@dataclass(slots=True, eq=False)
class Sentence:
    """A sentence inside a prose block; ``start``/``end`` index into the block's text.

    ``word_texts()`` are its words as strings, found when the document is parsed;
    ``word_spans`` (where each word is in the block's text) and :class:`Word` objects are
    made on first use, since most rules only count and read words.
    """

    block: Block
    start: int
    end: int
    texts: list[str]
    _spans: list[tuple[int, int]] | None = None
    _words: list[Word] | None = None

    @property
    def word_spans(self) -> list[tuple[int, int]]:
        """``(start, end)`` of each word in the block's text."""
        if self._spans is None:
            assert self.block.document.language_tokens is not None
            self._spans = self.block.document.language_tokens(self.block.text, self.start, self.end)
        return self._spans

    @property
    def words(self) -> list[Word]:
        if self._words is None:
            text = self.block.text
            self._words = [
                Word(text[s:e], s, e, text.startswith("{{", s)) for s, e in self.word_spans
            ]
        return self._words

    @property
    def word_count(self) -> int:
        return len(self.texts)

    def word_texts(self, placeholders: bool = True) -> list[str]:
        """The words as strings; without Jinja2 placeholders when ``placeholders`` is False."""
        if placeholders:
            return self.texts
        return [w for w in self.texts if not w.startswith("{{")]

    @property
    def text(self) -> str:
        return self.block.text[self.start : self.end]

    @property
    def kind(self) -> BlockKind:
        return self.block.kind

    @property
    def span(self) -> Span:
        return self.block.span_of(self.start, self.end)

    def word_span(self, first: int, last: int | None = None) -> Span:
        """The source span of words ``first`` .. ``last`` (inclusive) of this sentence."""
        last = first if last is None else last
        return self.block.span_of(self.word_spans[first][0], self.word_spans[last][1])


@dataclass(slots=True, eq=False)
class Block:
    """A prose block: a heading, a paragraph or a list item's paragraph.

    ``text`` is the visible text; ``segments`` maps it back to the source: each entry
    ``(text_index, source_offset)`` says that ``text[text_index]`` came from
    ``source[source_offset]`` and that the following characters are contiguous in the source
    up to the next entry.
    """

    document: Document
    kind: BlockKind
    text: str
    segments: list[tuple[int, int]]
    section: Section
    start_line: int  # 1-based first source line of the block
    end_line: int  # 1-based last source line of the block
    list_item: ListItem | None = None
    sentences: list[Sentence] = field(default_factory=list)

    def source_offset(self, index: int) -> int:
        """The source offset of ``text[index]`` (or just past the end for ``len(text)``)."""
        segs = self.segments
        pos = bisect.bisect_right(segs, (index, float("inf"))) - 1
        if pos < 0:
            return segs[0][1] if segs else 0
        text_index, source = segs[pos]
        return source + (index - text_index)

    def span_of(self, start: int, end: int) -> Span:
        """The source span of ``text[start:end]``."""
        doc = self.document
        line, column = doc.line_col(self.source_offset(start))
        if end > start:
            end_line, end_col = doc.line_col(self.source_offset(end - 1))
            end_col += 1
        else:
            end_line, end_col = line, column
        return Span(line, column, end_line, end_col)

    @property
    def span(self) -> Span:
        return self.span_of(0, len(self.text))

    @property
    def word_count(self) -> int:
        return sum(len(s.texts) for s in self.sentences)


@dataclass(slots=True, eq=False)
class ListItem:
    """One item of a Markdown list. In a procedure, one step."""

    list: ListBlock
    index: int  # 0-based position in its list
    line: int
    column: int
    blocks: list[Block] = field(default_factory=list)
    number: int = 0  # the number written before an ordered item ("3." -> 3)


@dataclass(slots=True, eq=False)
class ListBlock:
    """An ordered or unordered Markdown list."""

    ordered: bool
    line: int
    column: int
    depth: int  # 0 for a top-level list, 1 for a list inside a list item, ...
    section: Section
    items: list[ListItem] = field(default_factory=list)
    end_line: int = 0
    # A table of contents (items that link to, or repeat, the document's own headings):
    # document furniture, so its items are neither steps nor sentences.
    table_of_contents: bool = False
    # Bullets of a converted document ("•" at the start of a line), read as a list.
    converted: bool = False


@dataclass(slots=True, eq=False)
class TableRow:
    """One row of a Markdown table: each cell's source text (trimmed), and its line."""

    cells: list[str]
    line: int


@dataclass(slots=True, eq=False)
class Table:
    """A Markdown table. Cells are data, not prose; ``rows[0]`` is the header row."""

    line: int
    section: Section
    rows: list[TableRow] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return self.rows[0].cells if self.rows else []

    @property
    def body(self) -> list[TableRow]:
        return self.rows[1:]


@dataclass(slots=True, eq=False)
class Section:
    """A heading and everything up to the next heading of the same or higher level.

    The root section (level 0, no heading) holds the text before the first heading and
    all top-level sections as children.
    """

    title: str
    level: int
    line: int
    column: int
    parent: Section | None = None
    heading: Block | None = None
    children: list[Section] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    lists: list[ListBlock] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    end_line: int = 0

    def walk(self) -> Iterator[Section]:
        """This section and all sections below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def all_blocks(self) -> Iterator[Block]:
        """The prose blocks of this section and its subsections, in document order."""
        for section in self.walk():
            yield from section.blocks


@dataclass(slots=True)
class Problem:
    """Something wrong with the file itself (not its prose), found while reading it."""

    code: str  # the name of a system rule, e.g. "invalid-front-matter"
    message: str
    line: int = 1
    column: int = 1


@dataclass(slots=True)
class Suppression:
    """An inline ``<!-- sop-lint-... -->`` comment."""

    action: str  # disable, enable, disable-next-line, disable-file
    rules: list[str]  # as written; empty means every rule
    line: int
    column: int


@dataclass(slots=True, eq=False)
class Document:
    """One SOP file, parsed."""

    path: str
    source: str
    language_code: str
    language: Language | None
    metadata: dict[str, Any]
    metadata_lines: dict[str, int]  # front-matter key -> 1-based line
    body_start_line: int  # first line after the front matter
    root: Section
    blocks: list[Block] = field(default_factory=list)
    lists: list[ListBlock] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    # Source lines that are document furniture, not prose: 1-based line -> what it is
    # ("page-number", "repeated-line", "letterhead", "label", "numbered-heading",
    # "toc-entry"). No rule reads them as sentences.
    furniture: dict[int, str] = field(default_factory=dict)
    # How the document's language finds word spans (set by the parser).
    language_tokens: Callable[[str, int, int], list[tuple[int, int]]] | None = field(
        default=None, repr=False
    )
    # Derived values that several rules need (e.g. readability counts per block), computed
    # once per document by whoever needs them first.
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    _line_starts: list[int] = field(default_factory=list, repr=False)
    # Each line's text, made once: every finding on a line holds the same string (a long
    # line with thousands of findings is stored once, not once per finding).
    _line_texts: dict[int, str] = field(default_factory=dict, repr=False)
    _sections: list[Section] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self._line_starts:
            starts = [0]
            find = self.source.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a source offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based source line, without its line ending."""
        text = self._line_texts.get(line)
        if text is None:
            if not 1 <= line <= len(self._line_starts):
                return ""
            start = self._line_starts[line - 1]
            end = self.source.find("\n", start)
            text = self.source[start : end if end != -1 else len(self.source)].rstrip("\r")
            self._line_texts[line] = text
        return text

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    @property
    def last_line(self) -> int:
        """The number of the file's last line, as editors count: a final line break ends
        the last line and does not start another ("a\\nb\\n" has 2 lines; "" has 1)."""
        count = len(self._line_starts)
        if count > 1 and self._line_starts[-1] == len(self.source):
            count -= 1
        return count

    @property
    def sections(self) -> list[Section]:
        """Every section below the root, in document order (a shared list: do not change
        it). Made once: rules ask for it many times, and a file can have 100,000 headings."""
        if self._sections is None:
            found: list[Section] = []
            stack = list(reversed(self.root.children))
            while stack:  # depth first, without recursion
                section = stack.pop()
                found.append(section)
                stack.extend(reversed(section.children))
            self._sections = found
        return self._sections

    @property
    def title(self) -> str:
        """Front-matter ``title``, else the first level-1 heading, else the file name."""
        title = self.metadata.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        for section in self.sections:
            if section.level == 1:
                return section.title
        return self.path.rsplit("/", 1)[-1]

    def sentences(self) -> Iterator[Sentence]:
        for block in self.blocks:
            yield from block.sentences

    def steps(self) -> Iterator[Block]:
        """The first paragraph of every list item: the steps of procedures."""
        return (b for b in self.blocks if b.kind is BlockKind.STEP)


@dataclass(slots=True)
class DocumentSummary:
    """What checks across the whole SOP set need from one file: small and picklable, so
    worker processes can send it back instead of the whole document."""

    path: str
    language: str
    metadata: dict[str, Any]
    metadata_lines: dict[str, int]
    line_count: int
    suppressions: list[Suppression]
    lines: dict[int, str]  # the source lines findings may sit on, for display
    # References and consistency across the set (issue 10: broken-reference,
    # heading-inconsistent, procedure-diverges; filled by sop_lint.crossdoc): links to
    # repository Markdown files, "see CS-004" mentions, the file's heading anchors (None:
    # unsure, so links to them are not judged), headings naming template sections, the
    # procedure's steps as normalised text and the line of its heading. ``is_sop``: the
    # template applies to the file (Template.is_sop); every rule and report reads this one.
    is_sop: bool = False
    links: tuple[Any, ...] = ()  # crossdoc.LinkRef
    mentions: tuple[Any, ...] = ()  # crossdoc.IdMention
    anchors: frozenset[str] | None = None
    headings: tuple[Any, ...] = ()  # crossdoc.HeadingRef
    steps: tuple[str, ...] = ()
    procedure_line: int = 0
    # What each cross-document rule keeps of the file, by rule code (ProjectRule.summarise)
    data: dict[str, Any] = field(default_factory=dict)
    # -- translations (sop_lint/rules/translations.py and `sop-lint report`) ------------
    # Filled in by translations.summarise after the file is checked, for SOPs only
    # (``is_sop`` above, the one "is an SOP" flag): the procedure's step count as
    # `sop-lint stats` counts it (numbered steps that are instructions), the items of
    # numbered lists in the template's procedure section (a count that does not depend on
    # the language's verb analysis), and the lines of the template sections present, by
    # key (the same in every language).
    # ``step_count`` is not ``len(steps)``: ``steps`` is what procedure-diverges compares
    # (bulleted items where there are fewer than three numbered steps, empty ones left
    # out, at most 200), ``step_count`` what a reader counts; both are kept.
    step_count: int = 0
    numbered_items: int = 0
    section_lines: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Document, context: Any = None) -> DocumentSummary:
        """The summary of ``doc``; ``context`` (a RunContext) names the template."""
        from sop_lint import crossdoc

        links = crossdoc.links_of(doc)
        mentions = crossdoc.mentions_of(doc)
        is_sop, headings, steps, procedure_line = crossdoc.structure_of(doc, context)
        shown = {
            *doc.metadata_lines.values(),
            *(link.line for link in links),
            *(mention.line for mention in mentions),
            *(heading.line for heading in headings),
            procedure_line,
        } - {0}
        return cls(
            path=doc.path,
            language=doc.language_code,
            metadata=dict(doc.metadata),
            metadata_lines=dict(doc.metadata_lines),
            line_count=doc.line_count,
            suppressions=list(doc.suppressions),
            lines={n: doc.line_text(n) for n in sorted(shown)},
            is_sop=is_sop,
            links=links,
            mentions=mentions,
            anchors=crossdoc.anchors_of(doc),
            headings=headings,
            steps=steps,
            procedure_line=procedure_line,
        )
