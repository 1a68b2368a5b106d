"""LIX (läsbarhetsindex), the readability index used for Swedish and Norwegian."""

from __future__ import annotations

from sop_lint.languages.base import Language, Readability, count_letters


def lix(words: int, sentences: int, long_words: int) -> float:
    """Björnsson (1968): words/sentences + 100 * long_words/words (long: over 6 letters)."""
    if not words or not sentences:
        return 0.0
    return words / sentences + 100 * long_words / words


def lix_band(score: float) -> str:
    """The usual LIX bands."""
    for ceiling, band in ((25, "very easy"), (30, "easy"), (40, "medium"), (50, "difficult")):
        if score < ceiling:
            return band
    return "very difficult"


class LixLanguage(Language):
    """A language scored with LIX."""

    readability_metric = "lix"

    def readability(self, words: list[str], sentences: int) -> Readability:
        long_words = sum(1 for w in words if count_letters(w) > 6)
        score = lix(len(words), sentences, long_words)
        return Readability(
            "lix",
            round(score, 1),
            lix_band(score),
            len(words),
            sentences,
            {"long_words": long_words},
        )
