"""Telugu: grapheme-aware words and akshara counts; readability not yet calibrated."""

from __future__ import annotations

from sop_lint.languages.base import Language, Readability, count_graphemes
from sop_lint.languages.technical import is_technical
from sop_lint.languages.verbs import Clause, VerbAnalyser, VerbUse


class Telugu(Language):
    code = "te"
    name = "Telugu"
    aliases = ("te-in", "tel", "telugu", "తెలుగు")
    readability_metric = None
    grapheme_script = True

    def readability_counts(self, words: list[str]) -> dict[str, int]:
        # A Latin-script acronym, path or number counts as one akshara, not as a long word.
        return {"aksharas": sum(1 if is_technical(w) else count_graphemes(w) for w in words)}

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


# -- verbs --------------------------------------------------------------------------------
# Telugu is verb-final and agglutinative: tense, person and mood are suffixes on the last
# word of a clause. No Telugu treebank has tense features to train on, so these are rules
# on verb endings, written for formal customer-service Telugu.

# Person endings of finite past and future-habitual verbs (after the tense marker).
PERSON_ENDINGS = ("ాను", "ావు", "ాడు", "ాము", "ాం", "ారు", "ాయి")
PAST_NEUTER = ("ింది", "ైంది")  # చేసింది, వచ్చింది, పాడైంది
HABITUAL_MARKERS = ("త", "ట")  # చేస్తారు, తెరుచుకుంటుంది: -త-/-ట- before the ending
# Words that end like verbs but are not: pronouns, honorifics, nouns.
NOT_VERBS = frozenset({"వారు", "గారు", "కారు", "వాడు", "వీరు", "వారం", "మాట్లాడు", "ఎవరు", "అందరు", "మేము"})
FUTURE_TIME = ("రేపు", "ఎల్లుండి", "భవిష్యత్తులో", "త్వరలో")
# "వచ్చే"/"రాబోయే" mean "next" only before a time word; elsewhere "that come(s)".
NEXT_WORDS = ("వచ్చే", "రాబోయే")
TIME_NOUNS = ("వార", "నెల", "సంవత్సర", "ఏడాది", "రోజు", "సోమవార", "నెలల", "త్రైమాసిక")
IMPERATIVE_ENDINGS = ("ండి", "వద్దు", "కూడదు", "ాలి")  # polite, negative, must not, obligative
MODAL_ENDINGS = ("వచ్చు",)  # permissive "may"
DUTY_ENDINGS = ("వలసి", "ాల్సి")  # with ఉంటుంది: "will have to"
SEQUENCE_WORDS = ("తర్వాత", "తరువాత", "ఆపై")


def _is_past(word: str) -> bool:
    if word in NOT_VERBS or "తున్న" in word or word.endswith("దారు"):
        return False
    if word.endswith(PAST_NEUTER):
        return not word.endswith(("తుంది", "టుంది"))
    for ending in PERSON_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            before = word[: -len(ending)]
            # not చేస్తారు (habitual) or ఉన్నాయి (there are)
            return not (before.endswith(HABITUAL_MARKERS) or before.endswith("న్న"))
    return False


def _is_habitual(word: str) -> bool:
    if word.endswith(("తుంది", "టుంది")):
        return True
    return any(
        word.endswith(ending) and word[: -len(ending)].endswith(HABITUAL_MARKERS)
        for ending in PERSON_ENDINGS
    )


def _imperative(stem: str) -> str:
    """The polite imperative from a verb stem: ఇవ్వ -> ఇవ్వండి."""
    return stem + "ండి"


class TeluguVerbs(VerbAnalyser):
    supported = True

    def _main_verb(self, clause: Clause) -> int | None:
        for i in range(len(clause) - 1, -1, -1):
            if i not in clause.quoted and not clause.words[i].startswith("{{"):
                return i
        return None

    def past_tense(self, clause: Clause) -> list[VerbUse]:
        return [
            VerbUse(i, i)
            for i, word in enumerate(clause.words)
            if i not in clause.quoted and _is_past(word)
        ]

    def future_tense(self, clause: Clause) -> list[VerbUse]:
        words = clause.words
        names_future = any(
            i not in clause.quoted
            and (
                w in FUTURE_TIME
                or (w in NEXT_WORDS and i + 1 < len(words) and words[i + 1].startswith(TIME_NOUNS))
            )
            for i, w in enumerate(words)
        )
        if not names_future:
            return []  # without a future time word, -తారు/-తుంది is the habitual present
        return [
            VerbUse(i, i)
            for i, word in enumerate(clause.words)
            if i not in clause.quoted and _is_habitual(word)
        ]

    def starts_imperative(self, clause: Clause) -> bool | None:
        verb = self._main_verb(clause)
        if verb is None:
            return None
        return clause.words[verb].endswith(IMPERATIVE_ENDINGS)

    def modal_obligation(self, clause: Clause) -> list[VerbUse]:
        verb = self._main_verb(clause)
        if verb is None:
            return []
        words = clause.words
        word = words[verb]
        for ending in MODAL_ENDINGS:
            if word.endswith(ending):
                return [VerbUse(verb, verb, _imperative(word[: -len(ending)]))]
        if word == "మంచిది" and verb and words[verb - 1].endswith("డం"):
            return [VerbUse(verb - 1, verb, _imperative(words[verb - 1][:-2]))]
        if word == "ఉంటుంది" and verb:
            before = words[verb - 1]
            for ending in DUTY_ENDINGS:
                if before.endswith(ending):
                    return [VerbUse(verb - 1, verb, _imperative(before[: -len(ending)]))]
        return []

    def passive_voice(self, clause: Clause) -> list[VerbUse]:
        for i, word in enumerate(clause.words):
            if i in clause.quoted:
                continue
            at = word.find("బడ")
            if at > 0:
                return [VerbUse(i, i, _imperative(word[:at]))]
        return []

    def action_joins(self, clause: Clause) -> list[VerbUse]:
        words = clause.words
        for i, word in enumerate(words):
            if i in clause.quoted or word not in SEQUENCE_WORDS:
                continue
            # "ఆ తర్వాత" (after that), or ", తర్వాత" after an instruction; not "-ిన తర్వాత"
            if word == "ఆపై" or (i and (words[i - 1] == "ఆ" or i - 1 in clause.comma_after)):
                return [VerbUse(i - 1 if i and words[i - 1] == "ఆ" else i, i)]
        imperatives = [
            i
            for i, w in enumerate(words)
            if i not in clause.quoted
            and w.endswith("ండి")
            and i in clause.comma_after
            and words[i + 1 : i + 2] != ["లేదా"]  # "..., or ...": alternatives, one action
        ]
        if imperatives and self.starts_imperative(clause):
            return [VerbUse(imperatives[0], imperatives[0])]
        return []


Telugu.verbs = TeluguVerbs()
