"""Telugu: grapheme-aware words and akshara counts; readability not yet calibrated."""

from __future__ import annotations

from sop_lint.languages.base import Language, Readability, count_graphemes


class Telugu(Language):
    code = "te"
    name = "Telugu"
    aliases = ("te-in", "tel", "telugu", "తెలుగు")
    readability_metric = None
    grapheme_script = True

    def readability_counts(self, words: list[str]) -> dict[str, int]:
        return {"aksharas": sum(map(count_graphemes, words))}

    def score(self, words: int, sentences: int, counts: dict[str, int]) -> Readability:
        # No Telugu readability formula has been calibrated for SOPs, so we report the
        # two inputs such a formula would use and grade nothing.
        per_word = counts["aksharas"] / words if words else 0.0
        return Readability(
            None,
            None,
            "not graded",
            words,
            sentences,
            {"aksharas": counts["aksharas"], "aksharas_per_word": round(per_word, 2)},
        )
