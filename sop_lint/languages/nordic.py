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

    def readability_counts(self, words: list[str]) -> dict[str, int]:
        # Most words are short; count letters only where the length says it may matter.
        return {"long_words": sum(1 for w in words if len(w) > 6 and count_letters(w) > 6)}

    def score(self, words: int, sentences: int, counts: dict[str, int]) -> Readability:
        value = lix(words, sentences, counts["long_words"])
        return Readability("lix", round(value, 1), lix_band(value), words, sentences, dict(counts))
