"""Markdown + YAML front matter -> :class:`~sop_lint.model.Document`.

markdown-it-py (CommonMark, with tables, admonitions, footnotes and definition lists)
decides the block structure: what is a heading, a paragraph, a list item, a table, code or
raw HTML. Code, tables and HTML blocks are never prose (table cells are kept as data, row by
row). Inside a prose block we take the block's raw source (markdown-it's ``inline`` token)
and blank out what a reader does not read as prose (inline code, link targets, images,
URLs, HTML, Jinja2 statements, attribute lists, emphasis markers, a new SOP's
``[[placeholders]]``), keeping every other character at its offset, so sentence and word
positions map straight back to the file.

MkDocs Material syntax that markdown-it does not know is rewritten before parsing, keeping
every line and column: content tabs (``=== "Tab"``) become admonitions, whose indented
bodies markdown-it already parses; snippet lines (``--8<--``) become blank.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from sop_lint.languages import get_language, normalise_code
from sop_lint.languages.base import WORD_RE, Language, UnsupportedLanguage
from sop_lint.model import (
    Block,
    BlockKind,
    Document,
    ListBlock,
    ListItem,
    Problem,
    Section,
    Sentence,
    Suppression,
    Table,
    TableRow,
)

MAX_FRONT_MATTER_CHARS = 64_000  # front matter is a handful of keys; more is not an SOP

_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_META_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:", re.MULTILINE)
# Material content tabs: `=== "Title"` / `===! "Title"` / `===+ "Title"`.
_TAB_LINE = re.compile(r"^([ \t]*)===([+!]?)([ \t]+\")", re.MULTILINE)
# pymdownx.snippets: `--8<-- "file.md"` (one line) or a `--8<--` ... `--8<--` block.
# The space after the scissors is required: without it ``\S+`` would match the last dash
# of a block's ``--8<--`` fence line and the block's file list would be read as prose.
_SNIPPET_LINE = re.compile(
    r"^[ \t]*;?-{1,}8<-{1,}[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\S+)[^\n]*$", re.M
)
_SNIPPET_FENCE = re.compile(r"^[ \t]*-{1,}8<-{1,}[ \t]*$")
_SUPPRESSION = re.compile(
    r"<!--\s*sop-lint-(disable-next-line|disable-file|disable|enable)\b(.*?)-->", re.DOTALL
)

# What a reader does not read as prose, inside a paragraph's raw source. Each match is
# blanked (replaced by spaces of the same length) except the groups that keep link text.
# Comments, Jinja2 statements, images, tags and attribute lists have a bounded length, so
# that text full of unclosed "{%", "<!--" or "![" cannot make the scan quadratic.
_MASK = re.compile(
    # The lookahead lets the engine skip, in one step, positions where nothing can start.
    r"""(?=[`<!\]\[{hfwHFW*_~\\&])(?:
    (?P<code>(?P<ticks>`+)(?:.|\n)*?(?<!`)(?P=ticks)(?!`))   # inline code
    | (?P<comment><!--(?:.|\n){0,4000}?-->)                  # HTML comment
    | (?P<image>!\[[^\]]{0,500}\]\([^)]{0,2000}\))              # image, alt text included
    | (?P<autolink><(?:https?|ftp|mailto):[^>\s]*>)          # <https://...>
    | (?P<html></?[A-Za-z][\w:-]*(?:\s[^<>]{0,2000})?/?>)     # raw HTML tag
    | (?P<linktarget>\]\((?:[^()\n]|\([^()\n]*\))*\))        # ](target "title")
    | (?P<linkref>\]\[[^\]\n]{0,200}\])                       # ][reference]
    | (?P<placeholder>\[\[[^\[\]\n]*\]\])                   # [[placeholder]] of a new SOP
    | (?P<footnote>\[\^[^\]\n]+\])                           # [^1]
    | (?P<jinja>\{%(?:.|\n){0,400}?%\}|\{\#(?:.|\n){0,2000}?\#\})  # Jinja2 statement/comment
    | (?P<attrs>\{:[^}\n]{0,300}\}|\{[ \t]*[#.][^}\n]{0,300}\})  # attribute list {: .x }
    | (?P<url>(?:https?|ftp)://[^\s<>()]*[^\s<>().,;:!?'"\]]|www\.[^\s<>()]*[^\s<>().,;:!?'"\]])
    | (?P<entity>&(?:\#\d+|\#x[0-9A-Fa-f]+|[A-Za-z]+);)
    | (?P<escape>\\(?=[^\w\s]))                               # the backslash of \*
    | (?P<marker>\*+|~~|(?<![\w])_+|_+(?![\w])|\[|\])        # emphasis, strike, brackets
    )""",
    re.VERBOSE,
)
_NEEDS_MASK = re.compile(r"[`<\[\]{*_~\\&!]|https?:|ftp:|www\.")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)\n")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _blank(match: re.Match[str]) -> str:
    text = match.group(0)
    return re.sub(r"[^\n]", " ", text)


def mask_inline(content: str) -> str:
    """Blank out non-prose in a block's raw inline source, keeping every offset."""
    if _NEEDS_MASK.search(content):
        content = _MASK.sub(_blank, content)
    if "@" in content:  # a separate pass: tried at every letter, it would slow the main one
        content = _EMAIL.sub(_blank, content)
    return content


_TITLE_MARKUP = re.compile(r"\{:?[ \t]*[#.][^}]*\}|\{:[^}]*\}|\]\([^)]*\)|[*_`~\[\]]|<[^>]+>")


def heading_title(content: str) -> str:
    """A heading as a reader sees it: markup and attribute lists gone, code text kept."""
    return " ".join(_TITLE_MARKUP.sub("", content).split())


def _blank_lines(text: str, start: int, end: int) -> str:
    """Replace ``text[start:end]`` with spaces, keeping newlines."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def rewrite_material(body: str) -> str:
    """Make Material-only syntax parseable without moving any character."""
    if "===" in body:
        marker = {"": "!!!", "+": "???+", "!": "!!! "}
        body = _TAB_LINE.sub(lambda m: m[1] + marker[m[2]] + m[3], body)
    if "8<" in body:
        body = _SNIPPET_LINE.sub(lambda m: " " * len(m[0]), body)
        lines = body.split("\n")
        inside = False
        for i, line in enumerate(lines):
            if _SNIPPET_FENCE.match(line):
                inside = not inside
                lines[i] = " " * len(line)
            elif inside:
                lines[i] = " " * len(line)
        body = "\n".join(lines)
    return body


@functools.cache
def markdown_parser() -> MarkdownIt:
    """The one configured markdown-it parser (CommonMark + the extensions SOP sites use)."""
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    md.use(admon_plugin).use(footnote_plugin).use(deflist_plugin)
    # Only the block structure is used: prose blocks are read from their raw source (see
    # mask_inline), so markdown-it's inline pass, most of its parsing time, is skipped.
    md.disable(["inline", "text_join"], ignoreInvalid=True)
    return md


def split_front_matter(
    source: str,
) -> tuple[dict[str, Any], dict[str, int], int, list[Problem]]:
    """Read YAML front matter. Returns metadata, key lines, first body line, problems."""
    if not (source.startswith("---\n") or source == "---"):
        return {}, {}, 1, []
    close = _FRONT_MATTER_CLOSE.search(source, 4)
    if close is None:
        return (
            {},
            {},
            1,
            [
                Problem(
                    "invalid-front-matter",
                    "front matter opened with '---' on "
                    "line 1 is never closed; add a line '---' after it",
                )
            ],
        )
    raw = source[4 : close.start()]
    body_start_line = source.count("\n", 0, close.start()) + 2
    key_lines = {m[1]: source.count("\n", 0, 4 + m.start()) + 1 for m in _META_KEY.finditer(raw)}
    if len(raw) > MAX_FRONT_MATTER_CHARS:
        return (
            {},
            key_lines,
            body_start_line,
            [
                Problem(
                    "invalid-front-matter",
                    f"front matter is {len(raw)} characters; "
                    f"keep it under {MAX_FRONT_MATTER_CHARS}",
                )
            ],
        )
    try:
        data = yaml.load(raw, Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        # PyYAML often notices a problem only at the end of the block; the context mark
        # ("while parsing a flow sequence ... here") points at the line the writer must fix.
        context = getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem_mark", None)
        mark = context or problem
        line = mark.line + 2 if mark is not None else 2
        column = mark.column + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if context is not None and getattr(exc, "context", None):
            reason = f"{exc.context} starting here: {reason}"
        return (
            {},
            key_lines,
            body_start_line,
            [
                Problem(
                    "invalid-front-matter",
                    f"front matter is not valid YAML: {reason}",
                    line,
                    column,
                )
            ],
        )
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return (
            {},
            key_lines,
            body_start_line,
            [
                Problem(
                    "invalid-front-matter",
                    f"front matter must be 'key: value' lines, not a {type(data).__name__}",
                    2,
                )
            ],
        )
    return {str(k): v for k, v in data.items()}, key_lines, body_start_line, []


class _SafeLoader(yaml.SafeLoader):
    """Safe YAML that refuses aliases, so a 'billion laughs' front matter cannot explode.

    The pure-Python loader on purpose: the C loader composes nodes in C and never calls
    :meth:`compose_node`, so it would let aliases through.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        return super().compose_node(parent, index)


def find_suppressions(source: str, code_lines: set[int]) -> list[Suppression]:
    """Every ``<!-- sop-lint-... -->`` comment outside code."""
    found = []
    for match in _SUPPRESSION.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        if line in code_lines:
            continue
        column = match.start() - (source.rfind("\n", 0, match.start()) + 1) + 1
        rules = [r for r in re.split(r"[\s,]+", match[2].strip()) if r]
        found.append(Suppression(match[1], rules, line, column))
    return found


class _Builder:
    """Walks markdown-it's token stream and builds the document model."""

    def __init__(self, doc: Document, language: Language) -> None:
        self.doc = doc
        self.language = language
        self.lines = doc.source.split("\n")
        self.line_starts = doc._line_starts
        self.section_stack: list[Section] = [doc.root]
        self.list_stack: list[ListBlock] = []
        self.item_stack: list[ListItem | None] = []
        self.code_lines: set[int] = set()

    # -- positions --------------------------------------------------------------------
    def _segments(self, content: str, first_line: int) -> list[tuple[int, int]]:
        """Map each line of inline ``content`` to its offset in the source."""
        segments = []
        index = 0
        for i, content_line in enumerate(content.split("\n")):
            line_no = first_line + i
            if line_no >= len(self.lines):
                line_no = len(self.lines) - 1
            source_line = self.lines[line_no]
            if content_line and source_line.endswith(content_line):
                col = len(source_line) - len(content_line)
            else:
                found = source_line.find(content_line) if content_line else -1
                col = found if found >= 0 else len(source_line) - len(source_line.lstrip())
            segments.append((index, self.line_starts[line_no] + col))
            index += len(content_line) + 1
        return segments

    # -- blocks -----------------------------------------------------------------------
    def _add_block(self, token: Token, kind: BlockKind) -> Block | None:
        if token.map is None:
            return None
        content = token.content
        text = mask_inline(content)
        section = self.section_stack[-1]
        item = self.item_stack[-1] if self.item_stack else None
        block = Block(
            document=self.doc,
            kind=kind,
            text=text,
            segments=self._segments(content, token.map[0]),
            section=section,
            start_line=token.map[0] + 1,
            end_line=token.map[1],
            list_item=item if kind in (BlockKind.STEP, BlockKind.STEP_DETAIL) else None,
        )
        self._add_sentences(block)
        if not block.sentences and kind is not BlockKind.HEADING:
            return None
        self.doc.blocks.append(block)
        section.blocks.append(block)
        if block.list_item is not None:
            block.list_item.blocks.append(block)
        return block

    def _add_sentences(self, block: Block) -> None:
        text = block.text
        if block.kind is BlockKind.HEADING:
            stripped = text.strip()
            start = text.find(stripped[:1]) if stripped else 0
            spans = [(start, start + len(stripped))] if WORD_RE.search(text) else []
        elif "\n" in text and _HARD_BREAK.search(text):
            # A hard line break ends a line of its own (phraseology, addresses): a boundary.
            spans = []
            chunk_start = 0
            for match in [*_HARD_BREAK.finditer(text), None]:
                chunk_end = match.end() if match else len(text)
                chunk = text[chunk_start:chunk_end]
                spans += [
                    (chunk_start + a, chunk_start + b)
                    for a, b in self.language.split_sentences(chunk)
                ]
                chunk_start = chunk_end
        else:
            spans = self.language.split_sentences(text)
        word_texts = self.language.word_texts
        for start, end in spans:
            texts = word_texts(text, start, end)
            if texts:
                block.sentences.append(Sentence(block, start, end, texts))

    def _open_section(self, token: Token, inline: Token) -> None:
        level = int(token.tag[1])
        while self.section_stack[-1].level >= level:
            closed = self.section_stack.pop()
            closed.end_line = token.map[0] if token.map else closed.line
        parent = self.section_stack[-1]
        line = (token.map[0] if token.map else 0) + 1
        section = Section(title="", level=level, line=line, column=1, parent=parent)
        parent.children.append(section)
        self.section_stack.append(section)
        heading = self._add_block(inline, BlockKind.HEADING)
        if heading is not None:
            section.heading = heading
            section.title = heading_title(inline.content)
            section.column = heading.span_of(0, 1).column if heading.text else 1

    def build(self, tokens: list[Token]) -> None:
        in_table = 0
        first_paragraph_of_item = False
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind in ("fence", "code_block"):
                if token.map:
                    self.code_lines.update(range(token.map[0] + 1, token.map[1] + 1))
            elif kind == "table_open":
                in_table += 1
                table = Table((token.map[0] if token.map else 0) + 1, self.section_stack[-1])
                self.doc.tables.append(table)
                table.section.tables.append(table)
            elif kind == "table_close":
                in_table -= 1
            elif in_table:
                # Cell text is data, not sentences: kept row by row as written.
                if kind == "tr_open":
                    rows = self.doc.tables[-1].rows
                    line = token.map[0] + 1 if token.map else (rows[-1].line + 1 if rows else 0)
                    rows.append(TableRow([], line))
                elif kind == "inline":
                    self.doc.tables[-1].rows[-1].cells.append(token.content.strip())
            elif kind == "admonition_title_open":
                i += 2  # the title (or a content tab's label) is a label, not prose
            elif kind == "heading_open":
                self._open_section(token, tokens[i + 1])
                i += 1
            elif kind in ("bullet_list_open", "ordered_list_open"):
                line = (token.map[0] if token.map else 0) + 1
                source_line = self.lines[line - 1] if line - 1 < len(self.lines) else ""
                lst = ListBlock(
                    ordered=kind == "ordered_list_open",
                    line=line,
                    column=len(source_line) - len(source_line.lstrip()) + 1,
                    depth=len(self.list_stack),
                    section=self.section_stack[-1],
                    end_line=token.map[1] if token.map else line,
                )
                self.list_stack.append(lst)
                self.doc.lists.append(lst)
                self.section_stack[-1].lists.append(lst)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.list_stack.pop()
            elif kind == "list_item_open":
                lst = self.list_stack[-1]
                line = (token.map[0] if token.map else 0) + 1
                source_line = self.lines[line - 1] if line - 1 < len(self.lines) else ""
                # An ordered item's marker is its number then "." or ")" (info + markup).
                marker = token.info + token.markup
                column = source_line.find(marker) + 1 if marker else 1
                item = ListItem(lst, len(lst.items), line, max(column, 1))
                lst.items.append(item)
                self.item_stack.append(item)
                first_paragraph_of_item = True
            elif kind == "list_item_close":
                self.item_stack.pop()
                first_paragraph_of_item = False
            elif kind in ("admonition_open", "footnote_block_open"):
                self.item_stack.append(None)  # paragraphs inside are not steps
            elif kind in ("admonition_close", "footnote_block_close"):
                self.item_stack.pop()
            elif kind == "inline":
                in_item = bool(self.item_stack) and self.item_stack[-1] is not None
                if in_item:
                    block_kind = (
                        BlockKind.STEP if first_paragraph_of_item else BlockKind.STEP_DETAIL
                    )
                    first_paragraph_of_item = False
                else:
                    block_kind = BlockKind.PARAGRAPH
                self._add_block(token, block_kind)
            i += 1
        last = self.doc.line_count
        for section in self.section_stack:
            section.end_line = last


def _written_no(source: str, line: int | None) -> str | bool:
    """YAML 1.1 reads an unquoted ``lang: no`` (Norwegian) as false; recover the "no"."""
    if line is not None:
        value = source.split("\n")[line - 1].partition(":")[2].split("#")[0].strip()
        if value.lower() == "no":
            return value
    return False


def parse_document(source: str, path: str = "<text>", default_language: str = "en") -> Document:
    """Parse SOP Markdown (with optional YAML front matter) into a :class:`Document`."""
    if source.startswith("\ufeff"):
        source = source[1:]
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    metadata, key_lines, body_line, problems = split_front_matter(source)
    lang_value = metadata.get("lang", metadata.get("language"))
    if lang_value is False:
        lang_value = _written_no(source, key_lines.get("lang", key_lines.get("language")))
    if lang_value is not None and not isinstance(lang_value, str):
        problems.append(
            Problem(
                "invalid-front-matter",
                f"'lang' must be a language code such as 'sv', not {lang_value!r}",
                key_lines.get("lang", key_lines.get("language", 1)),
            )
        )
        lang_value = None
    code = normalise_code(lang_value or default_language)
    language = get_language(code)
    root = Section(title="", level=0, line=1, column=1)
    doc = Document(
        path=path,
        source=source,
        language_code=code,
        language=language,
        metadata=metadata,
        metadata_lines=key_lines,
        body_start_line=body_line,
        root=root,
        problems=problems,
    )
    body = source
    if body_line > 1:
        cut = doc._line_starts[body_line - 1] if body_line - 1 < doc.line_count else len(source)
        body = _blank_lines(source, 0, cut)
    body = rewrite_material(body)
    builder = _Builder(doc, language or UnsupportedLanguage(code))
    doc.language_tokens = builder.language.words
    builder.build(markdown_parser().parse(body))
    doc.suppressions = find_suppressions(source, builder.code_lines)
    return doc
