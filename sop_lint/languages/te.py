"""Telugu: grapheme-aware words and akshara counts; readability not yet calibrated."""

from __future__ import annotations

from sop_lint.languages.base import Language, Readability, count_graphemes


class Telugu(Language):
    code = "te"
    name = "Telugu"
    aliases = ("te-in", "tel", "telugu", "తెలుగు")
    readability_metric = None

    def readability(self, words: list[str], sentences: int) -> Readability:
        # No Telugu readability formula has been calibrated for SOPs, so we report the
        # two inputs such a formula would use and grade nothing.
        aksharas = sum(count_graphemes(w) for w in words)
        per_word = aksharas / len(words) if words else 0.0
        return Readability(
            None,
            None,
            "not graded",
            len(words),
            sentences,
            {"aksharas": aksharas, "aksharas_per_word": round(per_word, 2)},
        )
