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

import bisect
import calendar
import functools
import itertools
import re
from collections import Counter
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from sop_lint.languages import get_language, normalise_code
from sop_lint.languages.base import Language, UnsupportedLanguage, has_word
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
_SUPPRESSION_OPEN = re.compile(r"<!--\s*sop-lint-(disable-next-line|disable-file|disable|enable)\b")

# What a reader does not read as prose, inside a paragraph's raw source. Each match is
# blanked (replaced by spaces of the same length) except the groups that keep link text.
# Comments, Jinja2 statements, images, tags and attribute lists have a bounded length, so
# that text full of unclosed "{%", "<!--" or "![" cannot make the scan quadratic.
_MASK = re.compile(
    # The lookahead lets the engine skip, in one step, positions where nothing can start.
    r"""(?=[`<!\]\[{hfwHFW*_~\\&])(?:
    (?P<ticks>`+)                                          # inline code: see mask_inline
    | (?P<comment><!--)                                      # HTML comment: see mask_inline
    | (?P<image>!\[[^\]]{0,500}\]\([^)]{0,2000}\))              # image, alt text included
    | (?P<autolink><(?:https?|ftp|mailto):[^>\s]*>)          # <https://...>
    | (?P<html></?[A-Za-z][\w:-]*(?:\s[^<>]{0,2000})?/?>)     # raw HTML tag
    | (?P<linktarget>\]\((?:[^()\n]|\([^()\n]*\))*\))        # ](target "title")
    | (?P<linkref>\]\[[^\]\n]{0,200}\])                       # ][reference]
    | (?P<placeholder>\[\[[^\[\]\n]*\]\])                   # [[placeholder]] of a new SOP
    | (?P<footnote>\[\^[^\]\n]{1,200}\])                       # [^1]
    | (?P<statement>\{%)                                     # Jinja2 statement: see mask_inline
    | (?P<jcomment>\{\#)                                     # Jinja2 comment: see mask_inline
    | (?P<attrs>\{:[^}\n]{0,300}\}|\{[ \t]*[#.][^}\n]{0,300}\})  # attribute list {: .x }
    | (?P<url>(?:https?|ftp)://[^\s<>()]*[^\s<>().,;:!?'"\]]|www\.[^\s<>()]*[^\s<>().,;:!?'"\]])
    | (?P<entity>&(?:\#\d+|\#x[0-9A-Fa-f]+|[A-Za-z]+);)
    | (?P<escape>\\(?=[^\w\s]))                               # the backslash of \*
    | (?P<marker>\*+|~~|(?<![\w])_+|_+(?![\w])|\[|\])        # emphasis, strike, brackets
    )""",
    re.VERBOSE,
)
_NEEDS_MASK = re.compile(r"[`<\[\]{*_~\\&!]|https?:|ftp:|www\.")
# Two spaces (or a backslash) before a line break; matched as exactly two spaces, which
# ends in the same place as "two or more" without rescanning a long run of spaces.
_HARD_BREAK = re.compile(r"(?:  |\\)\n")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


_BACKTICKS = re.compile(r"`+")
MAX_COMMENT_CHARS = 4000  # an inline HTML comment with more inside is left as text
# Openings whose end is found with ``str.find``: group -> (closing text, the most
# characters between the two; with more, the opening is not one).
_CLOSED_BY = {
    "comment": ("-->", MAX_COMMENT_CHARS),
    "statement": ("%}", 400),
    "jcomment": ("#}", 2000),
}
# What "{#" is when no "#}" closes it: an attribute list ("{#id}"), as _MASK's attrs.
_ATTRS_AFTER_JINJA = re.compile(r"\{[ \t]*[#.][^}\n]{0,300}\}")


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _backtick_runs(content: str) -> dict[int, list[int]]:
    """The start of every run of backticks in ``content``, by the run's length."""
    runs: dict[int, list[int]] = {}
    for run in _BACKTICKS.finditer(content):
        runs.setdefault(run.end() - run.start(), []).append(run.start())
    return runs


def blank_code_spans(text: str) -> str:
    """``text`` with every inline code span (backticks included) blanked, offsets kept;
    code spans are paired as in :func:`mask_inline`, in linear time."""
    if "`" not in text:
        return text
    runs = _backtick_runs(text)
    pieces: list[str] = []
    done = 0
    for run in _BACKTICKS.finditer(text):
        if run.start() < done:
            continue  # inside the code span just blanked
        same = runs[run.end() - run.start()]
        partner = bisect.bisect_right(same, run.start())
        if partner == len(same):
            continue  # no closing run: literal backticks
        end = same[partner] + run.end() - run.start()
        pieces += [text[done : run.start()], _blank(text[run.start() : end])]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def mask_inline(content: str) -> str:
    """Blank out non-prose in a block's raw inline source, keeping every offset.

    One left-to-right scan: whatever starts first wins (a code span hides a ``<`` inside
    it, a tag hides a backtick inside it), as in CommonMark. Code spans and comments are
    closed by a lookup, not by the regular expression, so that no input makes the scan
    more than linear.
    """
    if _NEEDS_MASK.search(content):
        runs = _backtick_runs(content) if "`" in content else {}
        pieces: list[str] = []
        done = 0  # content[:done] is in pieces
        position = 0
        # Per closing text, the first place it occurs at or after the last opening
        # looked up: openings are met in order, so each part of the text is searched
        # once however many openings there are (a lazy regex searched to the bound, or
        # to the end, at every unclosed "<!--", "{%" or "{#").
        closes: dict[str, int] = {}
        search = _MASK.search
        while (match := search(content, position)) is not None:
            start = match.start()
            kind = match.lastgroup
            if kind == "ticks":
                # CommonMark: a run of N backticks opens a code span that closes at the
                # next run of exactly N backticks; a run with no partner is literal text.
                # Looked up (not matched with a back-reference, which tries every run
                # length at every backtick and is cubic on a paragraph of backticks).
                same = runs.get(match.end() - start, [])
                partner = bisect.bisect_right(same, start)
                if partner == len(same):
                    position = match.end()
                    continue
                end = same[partner] + match.end() - start
            elif kind in _CLOSED_BY:
                closing, most = _CLOSED_BY[kind]
                inside = match.end()
                close = closes.get(closing, -1)
                if close < inside:
                    close = content.find(closing, inside)
                    closes[closing] = close = len(content) + 1 if close == -1 else close
                if close <= len(content) and close - inside <= most:
                    end = close + len(closing)
                elif kind == "jcomment" and (attrs := _ATTRS_AFTER_JINJA.match(content, start)):
                    end = attrs.end()
                else:
                    position = start + 1
                    continue
            else:
                end = match.end()
            pieces.append(content[done:start])
            pieces.append(_blank(content[start:end]))
            done = position = end
        pieces.append(content[done:])
        content = "".join(pieces)
    if "@" in content:  # a separate pass: tried at every letter, it would slow the main one
        content = _EMAIL.sub(lambda m: _blank(m.group(0)), content)
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
    """Read YAML front matter. Returns metadata, key lines, first body line, problems.

    Never raises for what the file holds: a value YAML cannot turn into data (a date that
    does not exist, a number thousands of digits long) is kept as the text written, with a
    problem at its line; front matter that cannot be read at all (not YAML, nested too
    deep, aliases) is a problem at its line and no metadata.
    """
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
    key_lines = _key_lines(raw)

    def failed(
        message: str, index: int | None = None
    ) -> tuple[dict[str, Any], dict[str, int], int, list[Problem]]:
        line, column = _position(source, 4 + index) if index is not None else (2, 1)
        problem = Problem("invalid-front-matter", message, line, column)
        return {}, key_lines, body_start_line, [problem]

    if len(raw) > MAX_FRONT_MATTER_CHARS:
        return failed(
            f"front matter is {len(raw)} characters; keep it under {MAX_FRONT_MATTER_CHARS}"
        )
    loader = None
    try:
        loader = _SafeLoader(raw)  # checks every character: may raise ReaderError
        data = loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        return failed(
            f"front matter holds a control character (U+{exc.character:04X}) that YAML does "
            "not allow; delete it",
            exc.position,
        )
    except yaml.YAMLError as exc:
        # PyYAML often notices a problem only at the end of the block; the context mark
        # ("while parsing a flow sequence ... here") points at the line the writer must fix.
        # Positions come from the mark's character index, not its line: YAML also breaks
        # lines at U+0085, U+2028 and U+2029, which are not line breaks in the file.
        context = getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem_mark", None)
        mark = context or problem
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if context is not None and getattr(exc, "context", None):
            reason = f"{exc.context} starting here: {reason}"
        return failed(
            f"front matter is not valid YAML: {reason}", mark.index if mark is not None else None
        )
    except (RecursionError, ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        # The loader turns the failures known to it into problems; anything else is still
        # the file's content, not a crash: say so at the front matter.
        return failed(
            f"front matter could not be read ({type(exc).__name__}: {exc}); write plain "
            "'key: value' lines"
        )
    finally:
        if loader is not None:
            loader.dispose()
    problems = []
    line, counted = 1, 0  # lines counted on from the previous problem: linear in problems
    for index, message in sorted(loader.value_problems, key=lambda p: p[0]):
        offset = 4 + index
        line += source.count("\n", counted, offset)
        counted = offset
        column = offset - (source.rfind("\n", 0, offset) + 1) + 1
        problems.append(Problem("invalid-front-matter", message, line, column))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return failed(f"front matter must be 'key: value' lines, not a {type(data).__name__}")
    return {str(k): v for k, v in data.items()}, key_lines, body_start_line, problems


def _position(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``source[offset]`` (lines end at ``\\n`` only)."""
    offset = max(0, min(offset, len(source)))
    line_start = source.rfind("\n", 0, offset) + 1
    return source.count("\n", 0, offset) + 1, offset - line_start + 1


# What may be a language code: rules look up data files by it, so a value such as
# "../../etc/x" or 5,000 characters must never get that far. Other names ("english") are
# codes sop-lint does not support (rule unsupported-language), not invalid front matter.
_LANG_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,34}")
MAX_FRONT_MATTER_DEPTH = 20  # lists and tables inside each other; SOPs use two or three
_TOO_DEEP = (
    f"lists or tables nested more than {MAX_FRONT_MATTER_DEPTH} deep; write plain "
    "'key: value' lines"
)
MAX_NUMBER_CHARS = 100  # a longer number is no SOP value (and Python refuses > 4300 digits)

_YAML_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _date_problem(text: str) -> str:
    """Why ``text`` (a YAML timestamp that does not exist) is not a date, in plain words."""
    match = _YAML_DATE.match(text)
    why = "it is not a real date and time"
    if match:
        year, month, day = (int(g) for g in match.groups())
        if not 1 <= year <= 9999:
            why = f"there is no year {year}"
        elif not 1 <= month <= 12:
            why = f"there is no month {month}"
        else:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                why = f"{_MONTHS[month - 1]} {year} has {last} days"
            elif len(text) > match.end():
                why = "the time after the date is not a time of day"
    return f'"{text}" is not a date: {why}; write dates as YYYY-MM-DD, e.g. 2027-02-28'


def _key_lines(raw: str) -> dict[str, int]:
    """1-based line of each top-level key of the front matter ``raw`` (which starts on
    line 2), counting newlines on from the previous key: counting from the start of the
    file for every key is quadratic in a front matter of many keys."""
    lines: dict[str, int] = {}
    line = 2
    counted = 0
    for match in _META_KEY.finditer(raw):
        line += raw.count("\n", counted, match.start())
        counted = match.start()
        lines[match[1]] = line
    return lines


class _SafeLoader(yaml.SafeLoader):
    """Safe YAML for front matter written by anyone.

    It refuses aliases, so a 'billion laughs' front matter cannot explode, and nesting
    deeper than :data:`MAX_FRONT_MATTER_DEPTH`, which would exhaust Python's stack. A
    scalar it cannot turn into a value (``2027-02-30``, a 5,000-digit number, ``!!int x``)
    stays the text written, and ``value_problems`` says where and why: one bad value
    must not hide the rest of the front matter or the file's other findings.

    The pure-Python loader on purpose: the C loader composes nodes in C and never calls
    :meth:`compose_node`, so it would let aliases through.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.value_problems: list[tuple[int, str]] = []  # (index in the YAML, message)

    def fetch_flow_collection_start(self, token_class: Any) -> None:
        # PyYAML's scanner keeps a possible key per open "[" or "{" and rescans them all at
        # each token: quadratic in the nesting, before the composer could refuse it.
        if self.flow_level >= MAX_FRONT_MATTER_DEPTH:
            raise yaml.scanner.ScannerError(None, None, _TOO_DEEP, self.get_mark())
        super().fetch_flow_collection_start(token_class)

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        if self.depth >= MAX_FRONT_MATTER_DEPTH and not self.check_event(yaml.ScalarEvent):
            raise yaml.composer.ComposerError(None, None, _TOO_DEEP, self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return super().construct_object(node, deep)
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            # A scalar with a tag whose constructor fails on it (a date that does not
            # exist, ``!!int x``): keep the text; the writer learns why at its line.
            text = str(node.value)
            if node.tag == "tag:yaml.org,2002:timestamp":
                message = _date_problem(text)
            else:
                kind = node.tag.rsplit(":", 1)[-1]
                message = f'"{_short(text)}" is not a valid {kind}; quote it if it is text'
            self.value_problems.append((node.start_mark.index, message))
            self.recursive_objects.pop(node, None)
            self.constructed_objects[node] = text
            return text

    def construct_yaml_int(self, node: Any) -> Any:
        text = str(node.value)
        if len(text) > MAX_NUMBER_CHARS:
            self.value_problems.append(
                (
                    node.start_mark.index,
                    f"this number is {len(text)} characters long; no front-matter value "
                    f"needs more than {MAX_NUMBER_CHARS} characters: shorten it",
                )
            )
            return text
        return super().construct_yaml_int(node)


_SafeLoader.add_constructor("tag:yaml.org,2002:int", _SafeLoader.construct_yaml_int)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def find_suppressions(source: str, code_lines: set[int]) -> list[Suppression]:
    """Every ``<!-- sop-lint-... -->`` comment outside code.

    Linear in the source: a comment's end is found with one ``find`` (a lazy regex would
    scan to the end of the file for every unclosed comment), and line numbers are counted
    on from the previous comment, not from the start of the file.
    """
    found = []
    line = 1
    counted = 0  # source[:counted] has line - 1 newlines
    line_start = 0  # where that line starts
    position = 0
    while (match := _SUPPRESSION_OPEN.search(source, position)) is not None:
        close = source.find("-->", match.end())
        if close == -1:
            break  # no later comment is closed either
        start = match.start()
        newlines = source.count("\n", counted, start)
        if newlines:
            line += newlines
            line_start = source.rfind("\n", counted, start) + 1
        counted = start
        position = close + 3
        if line in code_lines:
            continue
        column = start - line_start + 1
        rules = [r for r in re.split(r"[\s,]+", source[match.end() : close].strip()) if r]
        found.append(Suppression(match[1], rules, line, column))
    return found


# -- document furniture ------------------------------------------------------------------
# Lines a converted (PDF, Word) document carries on every page, and metadata lines, are not
# prose: they are masked (blanked in the block's text, offsets kept) so that no rule reads
# them as sentences and a sentence broken by a page break reads on across it.

# "3", "1/8", "3 (7)", "Sida 3 av 7", "Page 2 of 5", "Side 2 av 4".
_PAGE_NUMBER = re.compile(
    r"(?:(?:sida|sid\.?|page|side|s\.)\s*)?\d{1,3}"
    r"(?:\s*(?:/|av|of|\()\s*\d{1,3}\)?)?",
    re.IGNORECASE,
)
# "Inledning ........ 3", "Ansvar …… 4", "Scope _____ 2": a table-of-contents line.
_DOTTED_LEADER = re.compile(r"\S.*?(?:\.{4,}|\u2026{2,}|(?:\.[ \t]){4,}|_{4,})[ \t]*\d{1,3}")
# "3.2 Ansvar", "1 Inledning": a numbered heading written as a line of text.
_NUMBERED_HEADING = re.compile(r"\d{1,2}(?:\.\d{1,2}){0,3}\.?[ \t]+(\S.*)")
# "Ansvarig:", "Datum: 2024-02-27", "Dokumentansvarig är: Enhetschef": a label line.
# A short line ending in a colon is a lead-in, not a label, when it ends like a clause
# that the list after it completes ("Make sure that:", "Kontrollera att:", "Gör
# följande:") or announces examples ("Exempel på avvikelser:").
LEAD_IN_ENDS = frozenset(
    "that whether if following these this to when as att om följande dessa när som "
    "at hvis følgende disse når slik".split()
)
_EXAMPLES = re.compile(r"(?i)(?:exempel|example|eksempel|for example|till exempel)\b")
_LABEL = re.compile(r"([^\W\d_][^:.!?]{0,60}?)[ \t]*:(?:[ \t]+(.*))?")
_SENTENCE_END = ".!?;,:"
# A bullet glyph of a converted document at the start of a line ("–" only counts when
# several lines of the paragraph start with it: a dash also opens a parenthetic clause).
_GLYPHS = (
    "\u2022\u25e6\u25aa\u25cf\u25a0\u25a1\u2610\u2023\u2043\uf0b7\u00b7"  # • ◦ ▪ ● ■ □ ☐ ‣ ⁃  ·
    "\u27a2\u25ba\u25cb\u25c6\u2756\u2713\u2714\u2794"  # ➢ ► ○ ◆ ❖ ✓ ✔ ➔
)
_GLYPH_LINE = re.compile(rf"[ \t]*([{_GLYPHS}]|\u2013)(?=\s|$)")
_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+>|]|\d{1,9}[.)]|#{1,6}\s|<|!!!|\?\?\?|```|~~~)")
_LETTER = re.compile(r"[^\W\d_]")


def _normal(line: str) -> str:
    return " ".join(line.split()).casefold()


def _starts_upper(text: str) -> bool:
    """True when ``text`` starts with a capital, or with a letter of a script without case."""
    match = _LETTER.search(text)
    return match is not None and not match.group(0).islower()


def repeated_lines(lines: list[str]) -> set[str]:
    """Lines that occur three or more times in a document: running headers and footers
    of a converted document ("Vård- och omsorgsförvaltningen", "Dokumentet beslutades den:
    2024-02-27"). A full sentence, a list item, a table row or markup is never one."""
    # Most documents repeat no line of text at all: find the candidates with a plain count
    # first, and normalise only those.
    raw = Counter(line.strip() for line in lines)
    candidates = {text for text, count in raw.items() if count >= 2 and text}
    if not candidates:
        return set()
    counts: dict[str, int] = {}
    for line in lines:
        stripped = line.strip()
        if stripped not in candidates:
            continue
        if (
            not stripped
            or stripped[-1] in ".!?"
            or _LIST_MARKER.match(stripped)
            or not _LETTER.search(stripped)
            or len(stripped.split()) > 12
        ):
            continue
        if stripped[-1] == ":" and len(stripped.split()) > 6:
            continue  # a lead-in sentence ("Assign the route as follows:")
        key = _normal(stripped)
        counts[key] = counts.get(key, 0) + 1
    return {key for key, count in counts.items() if count >= 3}


def furniture_kind(line: str, repeated: set[str], labels: bool = True) -> str | None:
    """What kind of document furniture a line of visible text is, or None for prose.

    ``labels``: also recognise label lines and numbered headings (in paragraphs, not in
    list items, where "2 Handskar" is a quantity and "Backup: copy the files" a step)."""
    stripped = line.strip()
    if not stripped:
        return None
    # Cheap tests of the first and last characters before each pattern: this runs on
    # every line of every paragraph.
    last = stripped[-1]
    if (last.isdigit() or last == ")") and len(stripped) <= 24 and _PAGE_NUMBER.fullmatch(stripped):
        return "page-number"
    if last.isdigit() and _DOTTED_LEADER.fullmatch(stripped):
        return "toc-entry"
    if repeated and _normal(stripped) in repeated:
        return "repeated-line"
    if last in _SENTENCE_END and last != ":":
        return None
    if not labels:
        return None
    numbered = _NUMBERED_HEADING.fullmatch(stripped) if stripped[0].isdigit() else None
    if (
        numbered
        and _starts_upper(numbered[1])
        and len(numbered[1].split()) <= 8
        and stripped[-1] != ":"
    ):
        return "numbered-heading"
    label = _LABEL.fullmatch(stripped) if ":" in stripped else None
    if label and _starts_upper(label[1]) and "," not in label[1]:
        value = (label[2] or "").strip()
        # A label and a short value ("Datum: 2024-02-27"), or a short label alone
        # ("Ansvarig:"); not a lead-in sentence, not quoted speech ("ABC: "Wilco"").
        words = len(label[1].split())
        lead_in = label[1].split()[-1].lower() in LEAD_IN_ENDS or _EXAMPLES.match(label[1])
        if not value and words <= 4 and not lead_in:
            return "label"
        if (
            value
            and words <= 5
            and len(value.split()) <= 6
            and value[0] not in "\"'\u201c\u201d\u00ab"
            and value[-1] not in _SENTENCE_END
        ):
            return "label"
    return None


# A wrapped line this much shorter than the paragraph's longest ended early on purpose.
SHORT_LINE = 0.6
MIN_WRAP_WIDTH = 50  # narrower paragraphs may be written one phrase per line


def short_line_ends(text: str) -> list[int]:
    """Offsets where a line of a paragraph converted from PDF or Word stops short: the
    line has no end punctuation, is much shorter than the paragraph's longest line, and
    the next line starts with a capital. There the original paragraph, heading, label or
    list item ended, and a sentence that ran on would be counted across it."""
    lines = text.split("\n")
    if len(lines) < 3:
        return []
    width = max(len(line.rstrip()) for line in lines)
    if width < MIN_WRAP_WIDTH:
        return []
    ends = []
    offset = 0
    for line, following in itertools.pairwise(lines):
        offset += len(line) + 1
        written = line.rstrip()
        nxt = following.lstrip()
        if (
            written
            and written[-1] not in ".!?:;,-\u2013\u2014(/&"
            and len(written) < SHORT_LINE * width
            and nxt[:1].isupper()
        ):
            ends.append(offset)
    return ends


def _join(lines: list[str], kinds: list[str | None], first: int, end: int) -> str:
    """``lines[first:end]`` as one text; a blanked furniture line is joined with a space
    instead of a line break, so that a sentence broken by a page footer reads on and the
    blank line is not taken for a paragraph break. Every character keeps its offset."""
    parts = []
    for n in range(first, end):
        if n > first:
            parts.append(" " if kinds[n] or kinds[n - 1] else "\n")
        parts.append(lines[n])
    return "".join(parts)


def text_headings(lines: list[str], kinds: list[str | None]) -> None:
    """Mark (in ``kinds``) the lines of a paragraph that are headings written as text: a
    short line without end punctuation, starting with a capital, between a line that ends
    a sentence (or furniture, or the paragraph's start) and a line that starts one. This
    is how a converted document's headings sit inside its paragraphs; a wrapped line of
    ordinary prose does not end a sentence before it or start one after it."""
    previous_ends = True
    for n, line in enumerate(lines):
        stripped = line.strip()
        if kinds[n] or not stripped:
            previous_ends = True
            continue
        following = next((x.strip() for x in lines[n + 1 :] if x.strip()), "")
        if (
            previous_ends
            and following
            and stripped[-1].isalnum()
            and len(stripped.split()) <= 8
            and _starts_upper(stripped)
            and _starts_upper(following)
            and n + 1 < len(lines)
            and not _GLYPH_LINE.match(line)
        ):
            kinds[n] = "text-heading"
            previous_ends = True
            continue
        previous_ends = stripped[-1] in ".!?:"


# Furniture after which a paragraph of a converted document starts anew.
_BREAKS = {"numbered-heading", "text-heading", "label", "toc-entry"}


def converted_bullets(lines: list[str], kinds: list[str | None]) -> list[tuple[int, int, bool]]:
    """Pieces of a paragraph: ``(first, end, item)`` line ranges, ``item`` True for a
    bullet of a converted document (a line that starts with "•", or "•" alone on a line
    followed by the bullet's text), False for prose. A heading or label line written inside
    the paragraph ends a piece. One piece for an ordinary wrapped paragraph."""
    glyphs, dashes = [], []
    for i, line in enumerate(lines):
        match = _GLYPH_LINE.match(line)
        if match:
            (dashes if match[1] == "\u2013" else glyphs).append(i)
    starts = set(glyphs + dashes) if len(dashes) >= 2 else set(glyphs)
    pieces: list[tuple[int, int, bool]] = []
    first, item = 0, False
    for i in range(len(lines)):
        if i in starts:
            if i > first:
                pieces.append((first, i, item))
            first, item = i, True
        elif kinds[i] in _BREAKS:
            if i + 1 > first:
                pieces.append((first, i + 1, item))
            first, item = i + 1, False
    if first < len(lines):
        pieces.append((first, len(lines), item))
    return pieces


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
        self.repeated: set[str] = set()
        self.letterheads: set[str] = set()
        # The last top-level ordered list, while only code, HTML or comments follow it: a
        # list that goes on numbering from it (after a code block) is the same list.
        self.continuable: ListBlock | None = None

    def find_furniture(self, body: str) -> None:
        """Running headers and footers: lines repeated on many pages, and headings that
        repeat as a letterhead (in capitals, or in a document with page numbers)."""
        lines = body.split("\n")
        self.repeated = repeated_lines(lines)
        headings: dict[str, int] = {}
        capitals: set[str] = set()
        paged = False
        for line in lines:
            stripped = line.strip()
            if stripped.startswith("#"):
                title = heading_title(stripped.lstrip("#"))
                if title:
                    key = _normal(title)
                    headings[key] = headings.get(key, 0) + 1
                    if not any(ch.islower() for ch in title):
                        capitals.add(key)
            elif not paged and stripped and _PAGE_NUMBER.fullmatch(stripped):
                paged = not stripped.isdigit()
        self.letterheads = {
            key for key, count in headings.items() if count >= 3 and (paged or key in capitals)
        }
        self.repeated |= self.letterheads

    def unhead_letterheads(self, body: str) -> str:
        """Turn letterhead headings into plain lines (the ``#`` marks become spaces, every
        offset kept): then a letterhead does not start a section, nor split the paragraph
        it interrupts at a page break; as a repeated line it is masked like any other."""
        if not self.letterheads:
            return body
        lines = body.split("\n")
        for n, line in enumerate(lines):
            stripped = line.lstrip()
            if stripped.startswith("#"):
                marks = len(stripped) - len(stripped.lstrip("#"))
                if _normal(heading_title(stripped[marks:])) in self.letterheads:
                    indent = len(line) - len(stripped)
                    lines[n] = line[:indent] + " " * marks + stripped[marks:]
        return "\n".join(lines)

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
            bare = content_line.lstrip(" ")
            if content_line and source_line.endswith(content_line):
                col = len(source_line) - len(content_line)
            elif bare and bare != content_line and source_line.endswith(bare):
                # markdown-it writes a tab that the indentation only partly takes as the
                # spaces left over, which the source does not have: the text after them
                # is where the source has it; the spaces stand for the tab.
                col = len(source_line) - len(bare)
                pad = len(content_line) - len(bare)
                segments.append((index, self.line_starts[line_no] + max(col - 1, 0)))
                segments.append((index + pad, self.line_starts[line_no] + col))
                index += len(content_line) + 1
                continue
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
        segments = self._segments(content, token.map[0])
        if kind is BlockKind.HEADING:
            return self._add_piece(kind, text, segments, token.map[0])
        # Furniture lines are blanked; the source line of each is recorded.
        lines = text.split("\n")
        first_line = token.map[0] + 1
        prose = kind is BlockKind.PARAGRAPH
        kinds = [furniture_kind(line, self.repeated, labels=prose) for line in lines]
        if prose and len(lines) > 1:
            text_headings(lines, kinds)
        if any(kinds):
            for n, what in enumerate(kinds):
                if what == "repeated-line" and _normal(lines[n]) in self.letterheads:
                    what = kinds[n] = "letterhead"
                if what:
                    self.doc.furniture[first_line + n] = what
            lines = [
                " " * len(line) if what else line for line, what in zip(lines, kinds, strict=True)
            ]
        pieces = converted_bullets(lines, kinds) if prose else [(0, len(lines), False)]
        if len(pieces) == 1 and not pieces[0][2]:
            return self._add_piece(kind, _join(lines, kinds, 0, len(lines)), segments, token.map[0])
        # A paragraph of "•" lines is a list: the lead-in stays a paragraph, and each
        # bullet (a glyph alone on its line takes the next line's text) becomes an item.
        converted: ListBlock | None = None
        last = None
        for first, end, is_item in pieces:
            base = segments[first][0]
            piece_text = _join(lines, kinds, first, end)
            piece_segments = [(index - base, offset) for index, offset in segments[first:end]]
            if not is_item:
                last = self._add_piece(kind, piece_text, piece_segments, token.map[0] + first)
                continue
            glyph = _GLYPH_LINE.match(piece_text)
            if glyph:  # the glyph is not a word
                piece_text = " " * glyph.end() + piece_text[glyph.end() :]
            if converted is None:
                converted = ListBlock(
                    ordered=False,
                    line=first_line + first,
                    column=1,
                    depth=len(self.list_stack),
                    section=self.section_stack[-1],
                    end_line=token.map[1],
                    converted=True,
                )
                self.doc.lists.append(converted)
                converted.section.lists.append(converted)
            item = ListItem(converted, len(converted.items), first_line + first, 1)
            converted.items.append(item)
            self.item_stack.append(item)
            last = self._add_piece(BlockKind.STEP, piece_text, piece_segments, token.map[0] + first)
            self.item_stack.pop()
        return last

    def _add_piece(
        self, kind: BlockKind, text: str, segments: list[tuple[int, int]], first_line: int
    ) -> Block | None:
        """A block of ``text`` (visible text) whose lines start at 0-based ``first_line``."""
        section = self.section_stack[-1]
        item = self.item_stack[-1] if self.item_stack else None
        block = Block(
            document=self.doc,
            kind=kind,
            text=text,
            segments=segments,
            section=section,
            start_line=first_line + 1,
            end_line=first_line + len(segments),
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
            spans = [(start, start + len(stripped))] if has_word(text) else []
        elif "\n" in text and (
            (hard := _HARD_BREAK.search(text)) or (ends := short_line_ends(text))
        ):
            # A hard line break ends a line of its own (phraseology, addresses), and so
            # does a line of a converted document that stops short where the next word
            # would have fitted (the PDF's paragraph, heading or list item ended there).
            boundaries = (
                sorted({m.end() for m in _HARD_BREAK.finditer(text)} if hard else set()) or ends
            )
            spans = []
            chunk_start = 0
            for chunk_end in [*boundaries, len(text)]:
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
                self.continuable = None
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
                title = heading_title(tokens[i + 1].content)
                if _normal(title) in self.letterheads or (
                    _PAGE_NUMBER.fullmatch(title) and not title.isdigit()
                ):
                    # A letterhead repeated on every page does not start a section.
                    if token.map:
                        self.doc.furniture[token.map[0] + 1] = "letterhead"
                else:
                    self.continuable = None
                    self._open_section(token, tokens[i + 1])
                i += 1
            elif kind in ("bullet_list_open", "ordered_list_open"):
                line = (token.map[0] if token.map else 0) + 1
                source_line = self.lines[line - 1] if line - 1 < len(self.lines) else ""
                previous = self.continuable
                if (
                    previous is not None
                    and kind == "ordered_list_open"
                    and not self.list_stack
                    and previous.section is self.section_stack[-1]
                    and _list_start(token) == _list_start_of(previous) + len(previous.items)
                ):
                    # The numbering goes on after a code block or comment: the same list.
                    previous.end_line = token.map[1] if token.map else line
                    self.list_stack.append(previous)
                    i += 1
                    continue
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
                closed = self.list_stack.pop()
                self.continuable = closed if closed.ordered and not self.list_stack else None
            elif kind == "list_item_open":
                lst = self.list_stack[-1]
                line = (token.map[0] if token.map else 0) + 1
                source_line = self.lines[line - 1] if line - 1 < len(self.lines) else ""
                # An ordered item's marker is its number then "." or ")" (info + markup).
                marker = token.info + token.markup
                column = source_line.find(marker) + 1 if marker else 1
                item = ListItem(lst, len(lst.items), line, max(column, 1))
                item.number = int(token.info) if token.info.isdigit() else len(lst.items) + 1
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
                if not self.list_stack:
                    self.continuable = None  # prose between two lists: two lists
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
        self._find_tables_of_contents()

    def _find_tables_of_contents(self) -> None:
        """A list whose items link to the document's own headings (``[Scope](#scope)``) or
        repeat their titles is a table of contents: furniture, so its blocks are dropped."""
        titles = {_normal(s.title) for s in self.doc.sections if s.title}
        dropped: set[int] = set()
        for lst in self.doc.lists:
            entries = 0
            for item in lst.items:
                source_line = self.lines[item.line - 1] if item.line - 1 < len(self.lines) else ""
                first = item.blocks[0] if item.blocks else None
                shown = _without_page_number(first.text).strip() if first is not None else ""
                if _TOC_LINK.match(source_line) or (shown and _normal(shown) in titles):
                    entries += 1
            if lst.items and entries * 2 >= len(lst.items) and entries >= 2:
                lst.table_of_contents = True
                for item in lst.items:
                    for block in item.blocks:
                        dropped.add(id(block))
                        self.doc.furniture[block.start_line] = "toc-entry"
        if dropped:
            self.doc.blocks = [b for b in self.doc.blocks if id(b) not in dropped]
            for section in self.doc.sections:
                section.blocks = [b for b in section.blocks if id(b) not in dropped]


# An item that is only a link to a heading of the same page: "- [Scope](#scope)".
_TOC_LINK = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[^\]]*\]\(#[^)]*\)[ \t.\d]*$")
_TOC_PAGE_NUMBER = re.compile(r"\d{1,3}[ \t]*$")


def _without_page_number(text: str) -> str:
    """An entry's text without its page number and dot leaders ("Scope ...... 3").

    The leaders are stripped after finding the number: a regex starting with the
    leaders would rescan a long run of spaces from every position in it."""
    number = _TOC_PAGE_NUMBER.search(text)
    return text[: number.start()].rstrip(" \t.\u2026_") if number else text


def _list_start(token: Token) -> int:
    start = token.attrGet("start")
    return int(start) if start is not None else 1


def _list_start_of(lst: ListBlock) -> int:
    return lst.items[0].number if lst.items else 1


def _written_no(source: str, line: int | None) -> str | bool:
    """YAML 1.1 reads an unquoted ``lang: no`` (Norwegian) as false; recover the "no"."""
    if line is not None:
        value = source.split("\n")[line - 1].partition(":")[2].split("#")[0].strip()
        if value.lower() == "no":
            return value
    return False


def normalise_source(source: str) -> str:
    """The text every position refers to: no BOM, ``\\n`` line breaks, no NUL.

    A line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (CommonMark, markdown-it and
    editors agree on these); both become ``\\n``. Nothing else breaks a line: not the
    characters ``str.splitlines`` also splits at (``\\x0b``, ``\\x0c``, ``\\x1c``-``\\x1e``,
    ``\\x85``, U+2028, U+2029), so code that counts lines must split at ``\\n`` only.
    A NUL becomes U+FFFD, as markdown-it does before parsing: one character for one, so
    columns stay right, and block text can be found on its source line again.
    """
    if source.startswith("\ufeff"):
        source = source[1:]
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in source:
        source = source.replace("\0", "\ufffd")
    return source


def parse_document(source: str, path: str = "<text>", default_language: str = "en") -> Document:
    """Parse SOP Markdown (with optional YAML front matter) into a :class:`Document`."""
    source = normalise_source(source)
    metadata, key_lines, body_line, problems = split_front_matter(source)
    lang_value = metadata.get("lang", metadata.get("language"))
    if lang_value is False:
        lang_value = _written_no(source, key_lines.get("lang", key_lines.get("language")))
    if lang_value is not None and (
        not isinstance(lang_value, str) or not _LANG_CODE.fullmatch(lang_value.strip())
    ):
        problems.append(
            Problem(
                "invalid-front-matter",
                f"'lang' must be a language code such as 'sv', not {_short(repr(lang_value))}",
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
    builder.find_furniture(body)
    body = builder.unhead_letterheads(body)
    builder.build(markdown_parser().parse(body))
    doc._sections = None  # sections listed while building: list them again, complete
    doc.suppressions = find_suppressions(source, builder.code_lines)
    return doc
