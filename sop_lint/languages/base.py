"""What every language module provides: words, sentences and readability.

A language is a :class:`Language` subclass in its own module under ``sop_lint.languages``.
It tokenises with the ``regex`` module (grapheme-aware: Python's ``re`` breaks Telugu words
at vowel signs and viramas), splits sentences with its own abbreviation list, and scores
readability with the formula that is calibrated for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

import regex

from sop_lint.languages.verbs import VerbAnalyser

# A word: letters, marks (vowel signs, viramas), digits and joiners, with inner apostrophes,
# hyphens, dots ("e.g", "2.5") and colons ("08:00"); or a whole Jinja2 expression, which
# stands for one branch value such as a phone number.
WORD_RE = regex.compile(
    r"\{\{.*?\}\}"
    r"|[\p{L}\p{M}\p{N}\u200c\u200d]+(?:['’\-.:/][\p{L}\p{M}\p{N}\u200c\u200d]+)*",
    regex.V1,
)
# The same words for scripts without combining marks, with the faster ``re`` module; used
# for Latin-script languages unless a block contains combining marks or joiners.
FAST_WORD_RE = re.compile(r"\{\{.*?\}\}|[^\W_]+(?:['’\-.:/][^\W_]+)*")
# The two without Jinja2 expressions: text with "{{" in it is tokenised around the
# expressions (found by :func:`expression_spans`), because the lazy ``\{\{.*?\}\}`` scans
# to the end of the line at every unclosed "{{" and is quadratic on a line full of them.
_PLAIN_WORD_RE = regex.compile(
    r"[\p{L}\p{M}\p{N}\u200c\u200d]+(?:['’\-.:/][\p{L}\p{M}\p{N}\u200c\u200d]+)*", regex.V1
)
_FAST_PLAIN_WORD_RE = re.compile(r"[^\W_]+(?:['’\-.:/][^\W_]+)*")
_NEEDS_GRAPHEMES = re.compile(r"[\u0300-\u036f\u200c\u200d\u0900-\u0dff]")
LETTER_RE = regex.compile(r"\p{L}")
GRAPHEME_RE = regex.compile(r"\X")

# Where a sentence may end: terminal punctuation, closing quotes/brackets, then space or end.
SENTENCE_END_RE = re.compile(r"[.!?…։।॥]+[\"'’”»)\]]*(?=\s|$)")
# Abbreviations that stand before a number in addresses and phone numbers everywhere.
NUMBER_ABBREVIATIONS = frozenset({"no", "nr", "tel", "tlf", "ph", "ext", "kl", "p", "pp", "vol"})


@dataclass(slots=True)
class Readability:
    """A readability reading of some text, in the language's own metric."""

    metric: str | None  # "flesch", "lix", or None when the language has no calibrated score
    score: float | None
    band: str
    words: int
    sentences: int
    details: dict[str, float] = field(default_factory=dict)

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0


class Language:
    """Base class of the language modules. Subclasses set the class attributes."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    # Lower-case abbreviations *without* their final dot: "e.g", "t.ex", "f.eks".
    abbreviations: ClassVar[frozenset[str]] = frozenset()
    # Abbreviations that can also close a sentence ("... at 3 p.m. The driver ...").
    final_abbreviations: ClassVar[frozenset[str]] = frozenset()
    # Whether "3. mai" (an ordinal number followed by a lower-case word) is usual.
    ordinal_dot: ClassVar[bool] = False
    readability_metric: ClassVar[str | None] = None
    # Scripts whose words carry combining vowel signs and viramas (Telugu) need the
    # grapheme-aware ``regex`` tokeniser always; Latin scripts only when a text has marks.
    grapheme_script: ClassVar[bool] = False
    # Tense, imperative, modal and passive analysis; the base analyser finds nothing.
    verbs: ClassVar[VerbAnalyser] = VerbAnalyser()

    def warm_up(self) -> None:
        """Load this language's data now (before worker processes fork, say)."""
        self.verbs.warm_up()

    # -- words ---------------------------------------------------------------------
    def words(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """``(start, end)`` of each word of ``text[start:end]``."""
        end = len(text) if end is None else end
        grapheme = self.grapheme_script or _NEEDS_GRAPHEMES.search(text, start, end)
        if text.find("{{", start, end) != -1:
            plain = _PLAIN_WORD_RE if grapheme else _FAST_PLAIN_WORD_RE
            return _words_around_expressions(plain, text, start, end)
        if grapheme:
            return [m.span() for m in WORD_RE.finditer(text, start, end)]
        return [m.span() for m in FAST_WORD_RE.finditer(text, start, end)]

    def word_texts(self, text: str, start: int, end: int) -> list[str]:
        """The words of ``text[start:end]`` as strings (as :meth:`words` finds them)."""
        grapheme = self.grapheme_script or _NEEDS_GRAPHEMES.search(text, start, end)
        if text.find("{{", start, end) != -1:
            plain = _PLAIN_WORD_RE if grapheme else _FAST_PLAIN_WORD_RE
            return [text[a:b] for a, b in _words_around_expressions(plain, text, start, end)]
        if grapheme:
            return WORD_RE.findall(text, start, end)
        return FAST_WORD_RE.findall(text, start, end)

    # -- sentences -----------------------------------------------------------------
    def split_sentences(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of each sentence of ``text``, without surrounding space."""
        spans: list[tuple[int, int]] = []
        start = 0
        for match in SENTENCE_END_RE.finditer(text):
            end = match.end()
            if not self._is_boundary(text, start, match.start(), end):
                continue
            spans.append((start, end))
            start = end
        spans.append((start, len(text)))
        result = []
        for s, e in spans:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e and has_word(text, s, e):
                result.append((s, e))
        return result

    def _is_boundary(self, text: str, start: int, punct: int, end: int) -> bool:
        mark = text[punct]
        if mark in "!?":
            return True
        # The token before the mark, found by walking back: a search from the sentence
        # start would make long runs of abbreviations quadratic.
        begin = punct
        while begin > start and not text[begin - 1].isspace():
            begin -= 1
        token = text[begin:punct].lstrip("(\"'“‘«[")
        after = end
        while after < len(text) and text[after].isspace():
            after += 1
        if after >= len(text):
            return True
        nxt = text[after]
        if nxt.isdigit() and token.lower() in NUMBER_ABBREVIATIONS:
            return False  # "Road No. 12", "tel. 08-123": in addresses, in any language
        if token.lower() in self.abbreviations:
            # "etc." or "p.m." may also end a sentence: then a capital starts the next one.
            return token.lower() in self.final_abbreviations and nxt.isupper()
        # "... e.g. the receipt": a dotted abbreviation not in the list, then lower case.
        if nxt.islower():
            return False
        if self.ordinal_dot and token.isdigit() and len(token) <= 2 and nxt.islower():
            return False
        # "Fig. 3", "No. 5": a one-letter initial ("J. Smith") is not an end either.
        return not (len(token) == 1 and token.isalpha() and token.isupper())

    # -- readability ---------------------------------------------------------------
    def readability_counts(self, words: list[str]) -> dict[str, int]:
        """Additive counts the readability formula needs (syllables, long words...)."""
        return {}

    def score(self, words: int, sentences: int, counts: dict[str, int]) -> Readability:
        """Readability from word and sentence totals and summed ``readability_counts``."""
        return Readability(None, None, "not graded", words, sentences, dict(counts))

    def readability(self, words: list[str], sentences: int) -> Readability:
        """Readability of ``words`` spread over ``sentences`` sentences."""
        return self.score(len(words), sentences, self.readability_counts(words))


def expression_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    r"""``(start, end)`` of each Jinja2 expression ``{{ ... }}`` in ``text[start:end]``: what
    ``\{\{.*?\}\}`` finds scanning left to right (closed on its own line), in linear time.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    position = text.find("{{", start, end)
    close = -1  # the first "}}" at or after position + 2
    while position != -1:
        if close < position + 2:
            close = text.find("}}", position + 2, end)
            if close == -1:
                break  # no later "{{" is closed either
        newline = text.find("\n", position, close)
        if newline != -1:
            # Not closed on its line, and neither is any "{{" after it on that line.
            position = text.find("{{", newline, end)
            continue
        spans.append((position, close + 2))
        position = text.find("{{", close + 2, end)
    return spans


def has_word(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` has a word (as :data:`WORD_RE` finds them), in linear
    time."""
    end = len(text) if end is None else end
    if _FAST_PLAIN_WORD_RE.search(text, start, end) or _PLAIN_WORD_RE.search(text, start, end):
        return True
    return bool(expression_spans(text, start, end))


def _words_around_expressions(
    plain: regex.Pattern[str] | re.Pattern[str], text: str, start: int, end: int
) -> list[tuple[int, int]]:
    """Words of ``text[start:end]``: each expression is one word, ``plain`` finds the rest."""
    spans: list[tuple[int, int]] = []
    position = start
    for a, b in expression_spans(text, start, end):
        spans += [m.span() for m in plain.finditer(text, position, a)]
        spans.append((a, b))
        position = b
    spans += [m.span() for m in plain.finditer(text, position, end)]
    return spans


class UnsupportedLanguage(Language):
    """Used for a language sop-lint has no module for: generic words and sentences only."""

    def __init__(self, code: str) -> None:
        self.requested = code


def count_letters(word: str) -> int:
    """Letters in a word (marks and digits do not count)."""
    return len(LETTER_RE.findall(word))


def count_graphemes(word: str) -> int:
    """User-perceived characters (extended grapheme clusters); for Indic scripts, aksharas."""
    return len(GRAPHEME_RE.findall(word))
