"""Wording: phrases that say in many words what one says better.

The phrase lists are data (``sop_lint/data/wordy/<lang>.tsv``), so a process writer can
read and extend them without Python. One phrase a line: the phrase, a tab, and what to
write instead:

- a replacement (``i syfte att<TAB>för att``): the finding offers it as a rewrite, so it
  must read grammatically wherever the phrase can stand. A verb gets one line per form,
  each with the same form of the replacement (``föreligger<TAB>finns``,
  ``förelåg<TAB>fanns``); a form that is ambiguous (Norwegian *benyttet*: past *brukte* or
  participle *brukt*) gets no rewrite, see the next point;
- ``?``, optionally followed by plainer words separated by commas
  (``tillhandahålla<TAB>?ge, erbjuda, ordna``): a finding that names those words but
  offers no rewrite, for phrases whose right replacement depends on what follows;
- ``-``: delete the phrase (only where the sentence still reads without it).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path

from sop_lint.config import ConfigError
from sop_lint.fixes import inside_quotes, literal_edit, safe_fix
from sop_lint.model import Block, Document, Sentence, Severity, TextEdit
from sop_lint.rules.base import Hit, Rule, register
from sop_lint.safe_io import RefusedRead, read_guarded_text

MAX_PHRASE_LIST_BYTES = 2 * 1024 * 1024  # the built-in lists are a few KB each


def parse_phrase_list(text: str, source: str = "<phrases>") -> dict[str, str]:
    """``phrase<TAB>replacement`` lines (``#`` comments, blank lines ignored)."""
    phrases: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        phrase, tab, replacement = line.partition("\t")
        if not tab or not phrase.strip() or not replacement.strip():
            raise ConfigError(
                f"{source}:{number}: expected 'phrase<TAB>replacement' (use - to mean delete)"
            )
        phrases[" ".join(phrase.lower().split())] = replacement.strip()
    return phrases


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*", re.ASCII)


@functools.cache
def builtin_phrases(lang: str) -> Mapping[str, str]:
    """The phrase list sop-lint ships for ``lang`` (empty when there is none)."""
    # ``lang`` comes from the SOP's front matter: only a plain language code may become part
    # of a file name, so "lang: ../../x" cannot read a file outside the package.
    if not _LANGUAGE_CODE.fullmatch(lang):
        return {}
    resource = resources.files("sop_lint").joinpath("data", "wordy", f"{lang}.tsv")
    if not resource.is_file():
        return {}
    return parse_phrase_list(resource.read_text("utf-8"), f"sop_lint/data/wordy/{lang}.tsv")


class PhraseMatcher:
    """Finds listed phrases in tokenised text: a dictionary lookup per word, and a check of
    the following words only where a phrase can start (far faster than one big regex)."""

    def __init__(self, phrases: Mapping[str, str]) -> None:
        self.by_first: dict[str, list[list[str]]] = {}
        for phrase in sorted(phrases, key=len, reverse=True):
            words = phrase.split()
            self.by_first.setdefault(words[0], []).append(words)

    def find(self, words: list[str]) -> Iterator[tuple[int, int]]:
        """``(first, last)`` word indexes of each phrase in ``words``, left to right."""
        lower = [w.lower() for w in words]
        if self.by_first.keys().isdisjoint(lower):
            return
        i = 0
        while i < len(words):
            candidates = self.by_first.get(lower[i])
            found = None
            if candidates:
                for phrase in candidates:
                    end = i + len(phrase)
                    if end <= len(words) and lower[i + 1 : end] == phrase[1:]:
                        found = end - 1
                        break
            if found is None:
                i += 1
            else:
                yield i, found
                i = found + 1


def advice_without_rewrite(written: str, entry: str) -> str:
    """The message for a ``?`` entry: the plainer words it lists, and no rewrite."""
    words = [w.strip() for w in entry[1:].split(",") if w.strip()]
    if not words:
        return f"\u201c{written}\u201d is wordy: say it more directly."
    quoted = [f"\u201c{w}\u201d" for w in words]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return (
        f"\u201c{written}\u201d is wordy: use a plainer word such as {listed}, "
        "and make the rest of the sentence fit it."
    )


def read_phrase_file(rule: str, file_name: str, root: Path) -> tuple[Path, str]:
    """A phrase list named in a rule's ``files`` option: where it is, and its text.

    It is read like an SOP: guarded, inside the project (``root``), and no bigger than a
    phrase list can sensibly be; anything else is a :class:`ConfigError` naming the rule.
    """
    path = Path(file_name)
    path = path if path.is_absolute() else root / path
    try:
        return path, read_guarded_text(path, root, MAX_PHRASE_LIST_BYTES)
    except RefusedRead as exc:
        raise ConfigError(f"{rule}: cannot read phrase list {file_name}: {exc}") from None


@register
class WordyPhrase(Rule):
    """Flags a wordy phrase that has a shorter, plainer equivalent.

    **What it flags:** phrases from the document language's list, such as *"in order
    to"*, *"i syfte att"*, *"med hensyn til"*, anywhere in the prose (not in code, tables
    or headings). The lists live in ``sop_lint/data/wordy/<lang>.tsv``.

    **Why:** every extra word is one more for a busy reader to get through; the plain
    word is also easier to translate, so the SOP stays the same in every language.

    **Instead:** write the replacement the message names: *"to"* for *"in order to"*,
    *"för att"* for *"i syfte att"*, *"finns"* for *"föreligger"*, *"bruker"* for
    *"benytter"*; delete filler such as *"please note that"*. Each inflected form maps to
    the same form of the replacement (*"förelåg"* becomes *"fanns"*). Where the right
    word depends on what follows (*"tillhandahålla"*: *ge*, *erbjuda* or *ordna*), the
    message names plainer words and offers no rewrite.

    ``sop-lint check --fix`` makes the rewrites and deletions for you (a capital at the
    start of a sentence moves to the new first word). It leaves you the phrases with no
    single rewrite, and those in quotation marks, with formatting inside them or running
    over a line break.

    **Options:** ``extra``: more phrases per language, e.g.
    ``extra = {en = {"at your earliest convenience" = "soon"}}``; ``files``: phrase lists
    of your own per language (paths relative to the config file, same format as the
    built-in lists: ``phrase<TAB>replacement``, ``-`` to delete, ``?`` plus plainer words
    for no rewrite), e.g. ``files = {sv = "wordy-sv.tsv"}``; ``ignore``: phrases not to
    flag; ``scope`` (``["paragraph", "step", "step-detail"]``).
    """

    code = "W001"
    name = "wordy-phrase"
    severity = Severity.WARNING
    options = {"extra": {}, "files": {}, "ignore": []}
    default_scope = ("paragraph", "step", "step-detail")
    makes_fixes = True

    def _phrases(self, lang: str) -> tuple[dict[str, str], PhraseMatcher | None]:
        cache = self.__dict__.setdefault("_compiled", {})
        if lang not in cache:
            phrases = dict(builtin_phrases(lang))
            file_name = self.config["files"].get(lang)
            if file_name:
                path, text = read_phrase_file(self.name, file_name, self.context.root)
                phrases.update(parse_phrase_list(text, str(path)))
            extra = self.config["extra"].get(lang, {})
            phrases.update({" ".join(k.lower().split()): str(v) for k, v in extra.items()})
            for phrase in self.config["ignore"]:
                phrases.pop(" ".join(phrase.lower().split()), None)
            cache[lang] = (phrases, PhraseMatcher(phrases) if phrases else None)
        return cache[lang]

    def check(self, doc: Document) -> Iterator[Hit]:
        phrases, matcher = self._phrases(doc.language_code)
        if matcher is None:
            return
        for block in doc.blocks:
            if block.kind not in self.scope:
                continue
            for sentence in block.sentences:
                words = sentence.word_texts()
                for first, last in matcher.find(words):
                    if first < last and all(w.isupper() for w in words[first : last + 1]):
                        continue  # a passage in capitals: a licence or a letterhead, not prose
                    if inside_quotes(block.text, sentence.word_spans[first][0]):
                        continue  # a button label or words quoted as said: kept as they are
                    if (
                        words[first].lower() in _ALL_WORDS
                        and first
                        and _possessive(words[first - 1])
                    ):
                        continue  # "verksamhetens samtliga delar": "alla" must move first
                    yield self._hit(sentence, first, last, phrases)

    def _hit(self, sentence: Sentence, first: int, last: int, phrases: Mapping[str, str]) -> Hit:
        written = " ".join(sentence.word_texts()[first : last + 1])
        replacement = phrases[" ".join(written.lower().split())]
        start, end = sentence.word_spans[first][0], sentence.word_spans[last][1]
        if replacement == "-":
            return Hit(
                sentence.word_span(first, last),
                f"\u201c{written}\u201d adds nothing; delete it.",
                fix=safe_fix(_deletion(sentence, start, end)),
            )
        if replacement.startswith("?"):
            return Hit(
                sentence.word_span(first, last), advice_without_rewrite(written, replacement)
            )
        if written.isupper() and len(written) > 1:
            replacement = replacement.upper()  # a word in capitals stays in capitals
        elif written[:1].isupper():
            replacement = replacement[:1].upper() + replacement[1:]  # at the start of a sentence
        return Hit(
            sentence.word_span(first, last),
            f"Write \u201c{replacement}\u201d instead of \u201c{written}\u201d.",
            f"Replace \u201c{written}\u201d with \u201c{replacement}\u201d.",
            fix=safe_fix(literal_edit(sentence.block, start, end, replacement)),
        )


# "samtliga" / "samtlige" become "alla" / "alle" only where no possessive comes first:
# "verksamhetens samtliga delar" needs "alla verksamhetens delar", a rewrite of the phrase
# around it, not of the word.
_ALL_WORDS = frozenset({"samtliga", "samtlige"})
_POSSESSIVES = frozenset(
    "min mitt mina din ditt dina sin sitt sina vår vårt våra er ert era hans hennes dess "
    "deras mine dine sine våre hennar deres dets".split()
)
_NOT_GENITIVE = frozenset({"hos", "oss", "alls", "tills", "bris"})


def _possessive(word: str) -> bool:
    """Whether ``word`` is a possessive pronoun or reads as a genitive (*kundens*)."""
    lower = word.lower()
    return lower in _POSSESSIVES or (
        len(lower) > 3 and lower.endswith("s") and lower not in _NOT_GENITIVE
    )


def _deletion(sentence: Sentence, start: int, end: int) -> TextEdit | None:
    """The edit that deletes filler at ``start:end`` and the space after it, or None where
    that would not leave a plain sentence.

    Safe only before a space and a word (not before a colon or a comma: "Please note: ..."
    needs rewording). At the start of a sentence the next word takes the capital letter
    ("Please note that the pump is hot" -> "The pump is hot"); elsewhere the filler must
    follow a space, so the words either side meet with one space between them.
    """
    text = sentence.block.text
    if end + 1 >= len(text) or text[end] != " " or not text[end + 1].isalpha():
        return None
    if not text[sentence.start : start].strip():  # the sentence starts with the filler
        following = text[end + 1]
        if following.islower() and text[start].isupper():
            return literal_edit(sentence.block, start, end + 2, following.upper())
        return literal_edit(sentence.block, start, end + 1, "")
    if text[start - 1] != " ":
        return None
    return literal_edit(sentence.block, start, end + 1, "")


# Two spaces between words inside a sentence. Not after sentence punctuation (two spaces
# after a full stop is a typing habit Markdown renders as one), not three or more (in the
# corpus' converted documents those are columns: "Telefonkontakt   Ev. övrig information"),
# not next to a bullet, box or middle dot of a converted form, and only one such gap on the
# line (several are a layout: a calendar or a form converted from PDF).
_LAYOUT_MARKS = "\u2022\u2610\u2612\u25a1\u00b7|"
_GAP = re.compile(rf"(?<=[^\s.!?:;{_LAYOUT_MARKS}])(  )(?=[^\s{_LAYOUT_MARKS}-])")
# One space before , . ; : ! ? that ends a word group ("nu ." -> "nu."); not an ellipsis
# (" ..."), not a file extension or a number (".md", ".5": no space after). Telugu vowel
# signs are not \w, so the Telugu block is named.
_BEFORE = re.compile(r"(?<=[\w\u0c00-\u0c7f])( )(?=[,.;:!?](?:\s|$))")
_LAYOUT_GAP = re.compile(r"\S {2,}\S")
# A shorter line with a gap is a label and its value laid out ("Att äta  föra maten till").
_MIN_LINE_WORDS = 6


@register
class ExtraSpace(Rule):
    """Flags an extra space inside a sentence: two spaces between words, or a space before
    a comma, full stop, colon, semicolon, question or exclamation mark.

    **What it flags:** *"open the  valve"*, *"tills nu ."*, *"logge ut ?"* in paragraphs
    and steps. It leaves alone what is layout or a habit, not a slip: two spaces after a
    full stop, the two spaces at the end of a line that make a line break, indentation,
    tables, code, front matter, runs of four or more spaces, lines with several gaps
    (columns of a converted form), short label lines, and lines the parser marks as page
    furniture.

    **Why:** a stray space is a small slip, but diffs, search and translation tools see
    it, and a space before a full stop can leave the stop alone at the start of a line.

    **Instead:** one space between words and none before punctuation.
    ``sop-lint check --fix`` makes the change for you.

    **Options:** ``scope`` (``["paragraph", "step", "step-detail"]``).
    """

    code = "W004"
    name = "extra-space"
    severity = Severity.INFO
    default_scope = ("paragraph", "step", "step-detail")
    makes_fixes = True

    def check(self, doc: Document) -> Iterator[Hit]:
        layout: dict[int, bool] = {}  # source line -> laid out (made once per line)
        for block in doc.blocks:
            if block.kind not in self.scope:
                continue
            text = block.text
            for pattern, replacement in ((_GAP, " "), (_BEFORE, "")):
                for match in pattern.finditer(text):
                    hit = self._hit(doc, block, match.start(1), match.end(1), replacement, layout)
                    if hit is not None:
                        yield hit

    @staticmethod
    def _hit(
        doc: Document,
        block: Block,
        start: int,
        end: int,
        replacement: str,
        layout: dict[int, bool],
    ) -> Hit | None:
        first = block.source_offset(start)
        if doc.source[first : block.source_offset(end - 1) + 1] != block.text[start:end]:
            return None  # the gap is markup the parser blanked out ("the *word*")
        line, _ = doc.line_col(first)
        if line in doc.furniture:
            return None
        if replacement:
            if line not in layout:
                source_line = doc.line_text(line).strip()
                layout[line] = (
                    len(_LAYOUT_GAP.findall(source_line)) > 1
                    or len(source_line.split()) < _MIN_LINE_WORDS
                )
            if layout[line] or _lost_full_stop(block.text, start, end):
                return None
        span = block.span_of(start, end)
        if replacement:
            message = "Two spaces between words: write one."
        else:
            message = f"A space before \u201c{block.text[end]}\u201d: delete it."
        return Hit(span, message, fix=safe_fix(literal_edit(block, start, end, replacement)))


def _lost_full_stop(text: str, start: int, end: int) -> bool:
    """A gap between a lower-case word and a capitalised one ("Kom ihåg  Appen är ..."):
    in converted text a full stop or a line break was lost there, and one space would run
    the two sentences together."""
    before = text[start - 1 : start]
    after = text[end : end + 2]
    return before.islower() and after[:1].isupper() and after[1:2].islower()
