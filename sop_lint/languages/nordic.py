"""LIX (läsbarhetsindex), the readability index used for Swedish and Norwegian."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from sop_lint.languages.base import Language, Readability, count_letters
from sop_lint.languages.technical import is_technical
from sop_lint.languages.verbs import (
    Clause,
    VerbAnalyser,
    VerbUse,
    cached_tagger,
    capitalise,
    verb_lemmas,
    verb_lexicon,
)
from sop_lint.model import Sentence


def lix(words: int, sentences: int, long_words: int) -> float:
    """Björnsson (1968): words/sentences + 100 * long_words/words (long: over 6 letters)."""
    if not words or not sentences:
        return 0.0
    return words / sentences + 100 * long_words / words


def lix_band(score: float) -> str:
    """Björnsson's LIX scale: under 30 easy, 30-50 medium (40-50 is ordinary factual
    prose), 50-60 difficult (official texts), 60 and more very difficult (bureaucratic)."""
    for ceiling, band in ((25, "very easy"), (30, "easy"), (50, "medium"), (60, "difficult")):
        if score < ceiling:
            return band
    return "very difficult"


class LixLanguage(Language):
    """A language scored with LIX."""

    readability_metric = "lix"

    def readability_counts(self, words: list[str]) -> dict[str, int]:
        # Most words are short; count letters only where the length says it may matter.
        # A host name, path, acronym or number is never a long word (see
        # sop_lint.languages.technical): the writer has no shorter word for it.
        long_words = sum(
            1 for w in words if len(w) > 6 and count_letters(w) > 6 and not is_technical(w)
        )
        return {"long_words": long_words}

    def score(self, words: int, sentences: int, counts: dict[str, int]) -> Readability:
        value = lix(words, sentences, counts["long_words"])
        details = {"long_words": counts["long_words"]}
        return Readability("lix", round(value, 1), lix_band(value), words, sentences, details)


# -- verbs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NordicGrammar:
    """The words that differ between Swedish and Norwegian verb analysis."""

    lang: str
    modals: frozenset[str]  # obligation/permission before an infinitive in a step
    future_modals: frozenset[str]  # future only when the sentence names a future time
    future_phrase: tuple[str, ...]  # "kommer att" / "kommer til å"
    future_time: tuple[tuple[str, ...], ...]
    conditions: frozenset[str]
    leading: frozenset[str]  # adverbs that may open an instruction
    negations: frozenset[str]
    passive_aux: frozenset[str]  # "blir/blev", "blir/ble"
    sequence: frozenset[str]  # "sedan", "deretter"
    particles: frozenset[str]  # "ut", "upp": verb particles kept after the verb
    not_passive: frozenset[str]  # s-forms that are not passives ("finns", "krävs")
    irregular_present: dict[str, str]  # past -> present for the commonest irregulars
    past_endings: tuple[str, ...]  # regular past endings ("-de", "-te"; "-et")
    # Whether a regular-looking past must also be a known verb form: Norwegian nouns end in
    # -et and -te too ("grensesnittet", "Fremgangsmåte"); Swedish ones rarely in -de/-te.
    past_needs_lexicon: bool
    strong_pasts: frozenset[str]  # past forms of strong and irregular verbs


# After a modal these describe an expected state or result, not a duty: "Filnavn skal nå
# være utfylt", "Du skal da få en dialog".
STATE_VERBS = frozenset({"vara", "bli", "være", "se", "finnas", "finnes", "ha", "få"})
SUBORDINATORS = frozenset(
    "at att som hvis om når när fordi eftersom siden sedan da då så innan før tills mens".split()
)
PRONOUNS = frozenset(
    "du ni vi jag han hon de den det man dem oss er jeg hun dere vi meg deg seg".split()
)


@functools.cache
def _tagger(lang: str) -> Callable[[list[str]], list[str]] | None:
    from sop_lint.tagging import load_tagger

    tagger = load_tagger(lang)
    return cached_tagger(tagger.tag) if tagger else None


class NordicVerbs(VerbAnalyser):
    """Swedish and Norwegian: V2 main clauses, infinitive after modals, s-passives."""

    supported = True

    def __init__(self, grammar: NordicGrammar) -> None:
        self.g = grammar

    def may_have(self, finder: str, words: list[str]) -> bool:
        lower = [w.lower() for w in words]
        if finder == "past_tense":
            return any(w.endswith(self.g.past_endings) for w in lower) or not (
                self.g.strong_pasts.isdisjoint(lower)
            )
        if finder == "future_tense":
            return self.g.future_phrase[0] in lower or not self.g.future_modals.isdisjoint(lower)
        return True

    def warm_up(self) -> None:
        _tagger(self.g.lang)
        verb_lemmas(self.g.lang)
        verb_lexicon(self.g.lang)

    @property
    def lexicon(self) -> dict[str, str]:
        return verb_lexicon(self.g.lang)

    def clause(self, sentence: Sentence) -> Clause:
        return Clause.of(sentence, _tagger(self.g.lang))

    # -- forms -------------------------------------------------------------------------
    def imperative_of(self, lemma: str) -> str:
        """``ringa -> ring``, ``kontrollera``; ``sjekke -> sjekk``, ``spørre -> spør``, ``åpne``."""
        vowel = "a" if self.g.lang == "sv" else "e"
        if not lemma.endswith(vowel) or len(lemma) < 4:
            return lemma
        if self.g.lang == "sv" and lemma.endswith("era"):
            return lemma  # kontrollera, registrera
        stem = lemma[:-1]
        lemmas = verb_lemmas(self.g.lang)
        if stem[-1:] == stem[-2:-1] and stem[-1:] in "rmn" and lemma in lemmas.get(stem[:-1], ()):
            return stem[:-1]  # no double consonant at the end of a word: spørre -> spør
        return stem if lemma in lemmas.get(stem, ()) else lemma

    def is_imperative(self, word: str) -> bool:
        """Whether ``word`` can open an instruction. In a V2 language a verb first in a main
        clause is an imperative (or a question), so any imperative-shaped form counts."""
        if word in PRONOUNS:
            return False  # "du" is also a form of the Swedish verb "dua"
        for lemma in verb_lemmas(self.g.lang).get(word, ()):
            stem = lemma[:-1]
            shapes = {lemma, self.imperative_of(lemma)}
            if lemma[-1:] in "ae" and word in verb_lemmas(self.g.lang).get(stem, ()):
                shapes.add(stem)
            if word in shapes:
                return True
        # "Hjälps åt", "Andas lugnt": reciprocal and deponent instructions
        if len(word) > 4 and word.endswith("s") and self.is_imperative(word[:-1]):
            return True
        # A compound whose last part is an imperative: "Høyreklikk", "Dubbelklicka".
        return (
            any(
                word[k:] in verb_lemmas(self.g.lang) and self.is_imperative(word[k:])
                for k in range(3, len(word) - 4)
                if not word[k:].endswith("s")
            )
            if len(word) > 8
            else False
        )

    def is_infinitive(self, word: str) -> bool:
        lemma = self.lexicon.get(word)
        if lemma is None:
            return False
        return word == lemma or word == lemma + "s" or (word.endswith("s") and word[:-1] == lemma)

    def present_of(self, word: str) -> str | None:
        """The present tense of a past form ("ringde" -> "ringer", "skrevs" -> "skrivs")."""
        if word in self.g.irregular_present:
            return self.g.irregular_present[word]
        lemma = self.lexicon.get(word)
        if lemma is None:
            return None
        passive = word.endswith("s") and not lemma.endswith("s")
        stem = lemma[:-1] if lemma.endswith(("a", "e")) else lemma
        if passive:
            candidates = [lemma + "s", stem + "s", lemma[:-1] + "es"]
        else:
            candidates = [lemma + "r", stem + "er", stem + "ar"]
        for candidate in candidates:
            if self.lexicon.get(candidate) == lemma:
                return candidate
        return None

    # -- tense ---------------------------------------------------------------------------
    def past_tense(self, clause: Clause) -> list[VerbUse]:
        # Tagging is the costly step: tag only sentences with a word shaped like a past
        # form (regular endings, or a strong verb's past), and let the tagger decide.
        lemmas = verb_lemmas(self.g.lang)
        lower = clause.lower
        candidates = [
            i
            for i, w in enumerate(lower)
            if i not in clause.quoted
            and (
                w in self.g.strong_pasts
                or (
                    w.endswith(self.g.past_endings)
                    and (not self.g.past_needs_lexicon or w in lemmas)
                )
            )
            and not any(w in self.g.modals for w in lower[max(0, i - 3) : i])  # "må … kunne"
        ]
        # An imperative that looks like a past form ("erbjud", "kom ihåg") where an
        # instruction starts: at the start of the main clause or after "och"/"og"/a comma.
        start = self._main_clause_start(clause)
        candidates = [
            i
            for i in candidates
            if not (
                self.is_imperative(clause.lower[i])
                and (
                    i == start
                    or i - 1 in clause.comma_after
                    or clause.lower[i - 1] in ("och", "og")
                )
            )
        ]
        if not candidates or clause.tags is None:
            return []
        return [
            VerbUse(i, i, self.present_of(clause.lower[i]))
            for i in candidates
            if clause.tag(i).startswith(("VERB|Fin|Past", "AUX|Fin|Past"))
            and not self._attributive(clause, i)
        ]

    def _attributive(self, clause: Clause, i: int) -> bool:
        """A participle as an adjective: "status for sendte meldinger", "laste ned
        oppdaterte metadata". A finite verb follows its subject (V2), not a preposition."""
        before = clause.tag(i - 1) if i else "DET"
        after = clause.tag(i + 1) if i + 1 < len(clause) else ""
        particle = i > 0 and clause.lower[i - 1] in self.g.particles  # "fyll inn ønsket data"
        opens = before.startswith(("DET", "ADP", "ADJ", "NUM")) or particle
        return opens and after.startswith(("NOUN", "ADJ", "PROPN", "X"))

    def _names_future_time(self, clause: Clause) -> bool:
        lower = clause.lower
        for phrase in self.g.future_time:
            n = len(phrase)
            for i in range(len(lower) - n + 1):
                if tuple(lower[i : i + n]) == phrase and i not in clause.quoted:
                    return True
        return False

    def _infinitive_after(
        self, clause: Clause, start: int, skip_subject: bool = True
    ) -> int | None:
        lower = clause.lower
        i = start
        steps = 0
        while i < len(lower) and steps < 3:
            word = lower[i]
            if word in self.g.negations or word in self.g.leading:
                i += 1  # "skal nå være": "nå" is an adverb here, not the verb "nå"
                steps += 1
                continue
            if self.is_infinitive(word):
                return i
            subject = skip_subject and (word in PRONOUNS or word not in self.lexicon)
            if word in self.g.negations or word in self.g.leading or subject:
                i += 1
                steps += 1
                continue
            return None
        return None

    def future_tense(self, clause: Clause) -> list[VerbUse]:
        lower = clause.lower
        phrase = self.g.future_phrase
        found = []
        for i in range(len(lower)):
            if i in clause.quoted:
                continue
            if tuple(lower[i : i + len(phrase)]) == phrase:
                verb = self._infinitive_after(clause, i + len(phrase), skip_subject=False)
                if verb is not None:
                    found.append(VerbUse(i, verb, self._present_of_lemma(lower[verb])))
            elif lower[i] in self.g.future_modals and self._names_future_time(clause):
                verb = self._infinitive_after(clause, i + 1)
                if verb is not None:
                    found.append(VerbUse(i, verb, self._present_of_lemma(lower[verb])))
        return found

    def _present_of_lemma(self, infinitive: str) -> str | None:
        lemma = self.lexicon.get(infinitive, infinitive)
        stem = lemma[:-1] if lemma.endswith(("a", "e")) else lemma
        for candidate in (lemma + "r", stem + "er", stem + "ar"):
            if self.lexicon.get(candidate) == lemma:
                return candidate
        return None

    # -- instructions --------------------------------------------------------------------
    def _main_clause_start(self, clause: Clause) -> int:
        lower = clause.lower
        i = 0
        while i < len(lower) and (lower[i] in self.g.leading or lower[i] in self.g.negations):
            i += 1
        if i < len(lower) and lower[i] in self.g.conditions:
            commas = sorted(c for c in clause.comma_after if c >= i)
            if commas:
                i = commas[0] + 1
            while i < len(lower) and lower[i] in self.g.leading:
                i += 1
        return i

    def _imperative_at(self, clause: Clause, i: int) -> bool:
        lower = clause.lower
        if i + 1 < len(lower) and clause.words[i].isupper() and len(clause.words[i]) > 2:
            i += 1  # a label: "EVENTUELT - marker meldingen"
        while i < len(lower) and (lower[i] in self.g.negations or lower[i] in self.g.leading):
            i += 1  # "Ikke gi ut ...", "Aldri lov ..."
        if i >= len(lower):
            return False
        return self.is_imperative(lower[i]) or clause.tag(i).startswith("VERB|Imp")

    def starts_imperative(self, clause: Clause) -> bool | None:
        if not clause.words:
            return None
        if self._imperative_at(clause, self._main_clause_start(clause)):
            return True
        first_comma = min((c for c in clause.comma_after if c < 8), default=None)
        return first_comma is not None and self._imperative_at(clause, first_comma + 1)

    def modal_obligation(self, clause: Clause) -> list[VerbUse]:
        if self.starts_imperative(clause):
            return []
        lower = clause.lower
        start = self._main_clause_start(clause)
        for i in range(start, min(len(lower), start + 6)):
            word = lower[i]
            if word not in self.g.modals or i in clause.quoted:
                continue
            if word in self.g.future_modals and self._names_future_time(clause):
                return []  # future time: the future-tense rule speaks
            verb = self._infinitive_after(clause, i + 1)
            if verb is None:
                continue
            infinitive = lower[verb]
            lemma = self.lexicon.get(infinitive, infinitive)
            if lemma in STATE_VERBS:
                return []  # "Filnavn skal nå være utfylt": an expected state, not a duty
            if infinitive != lemma:  # a passive infinitive ("ska skrivas"): see passive-voice
                return [VerbUse(i, verb, None)]
            negated = any(w in self.g.negations for w in lower[i + 1 : verb])
            imperative = self.imperative_of(lemma)
            rest = clause.text_of(verb + 1, len(clause)).rstrip(",")
            negation = ("inte" if self.g.lang == "sv" else "ikke") if negated else ""
            step = " ".join(p for p in (imperative, negation, rest) if p)
            return [VerbUse(i, verb, clause.rewrite(start, step))]
        return []

    def passive_voice(self, clause: Clause) -> list[VerbUse]:
        lower = clause.lower
        lexicon = self.lexicon
        if self.starts_imperative(clause):
            return []
        start = self._main_clause_start(clause)
        for i in range(start, len(lower)):
            word = lower[i]
            if i in clause.quoted:
                continue
            if word in SUBORDINATORS and i > start:
                return []  # "Verifisert at meldingen blir markert": not the main clause
            lemma = lexicon.get(word)
            s_passive = (
                lemma is not None
                and word.endswith("s")
                and not lemma.endswith("s")
                and word not in self.g.not_passive
            )
            aux_passive = (
                word in self.g.passive_aux
                and i + 1 < len(lower)
                and (lower[i + 1] in lexicon or lower[i + 1].endswith(("t", "d", "et", "at")))
            )
            if not (s_passive or aux_passive):
                continue
            verb_lemma = lemma if s_passive else lexicon.get(lower[i + 1], lower[i + 1])
            last = i if s_passive else i + 1
            particle = lower[last + 1] if last + 1 < len(lower) else ""
            imperative = self.imperative_of(verb_lemma)
            subject = clause.words[start:i]
            replacement = None
            if 0 < len(subject) <= 3 and not any(self.is_imperative(w.lower()) for w in subject):
                first = subject[0]
                if first[1:2].islower():  # "Kvittot" -> "kvittot", but keep "API-tilbyder"
                    subject = [first[:1].lower() + first[1:], *subject[1:]]
                parts = [imperative] + ([particle] if particle in self.g.particles else [])
                replacement = capitalise(" ".join(parts + subject)) + "."
            return [VerbUse(i, last, replacement)]
        return []

    def action_joins(self, clause: Clause) -> list[VerbUse]:
        lower = clause.lower
        if not self.starts_imperative(clause):
            return []
        found = []
        for i, word in enumerate(lower):
            if i in clause.quoted or i == 0:
                continue
            if word in self.g.sequence:
                # "och sedan", ", sedan", or "och betala sedan", "og legg den deretter"
                for back in range(1, 5):
                    j = i - back
                    if j < 0:
                        break
                    if lower[j] in ("och", "og") or j in clause.comma_after:
                        found.append(VerbUse(min(j + (j in clause.comma_after), i), i))
                        break
            elif (
                word == "så"
                and self.g.lang == "nb"
                and (lower[i - 1] == "og" or i - 1 in clause.comma_after)
                and self._imperative_at(clause, i + 1)
            ):
                found.append(VerbUse(i - 1 if lower[i - 1] == "og" else i, i))
        return found[:1]


SWEDISH_GRAMMAR = NordicGrammar(
    lang="sv",
    modals=frozenset({"ska", "skall", "bör", "måste", "får", "kan", "behöver"}),
    future_modals=frozenset({"ska", "skall"}),
    future_phrase=("kommer", "att"),
    future_time=(
        ("i", "morgon"),
        ("imorgon",),
        ("nästa", "vecka"),
        ("nästa", "månad"),
        ("nästa", "år"),
        ("i", "framtiden"),
        ("framöver",),
        ("snart",),
        ("senare",),
        ("i", "övermorgon"),
    ),
    conditions=frozenset("om när innan efter vid då medan tills eftersom ifall inom".split()),
    leading=frozenset("alltid aldrig först sedan nu också därefter slutligen".split()),
    negations=frozenset({"inte", "aldrig", "ej"}),
    passive_aux=frozenset({"blir", "blev", "bli", "blivit"}),
    sequence=frozenset({"sedan", "därefter", "därpå"}),
    particles=frozenset("ut upp in på av bort tillbaka fram ned ner under över igen".split()),
    not_passive=frozenset(
        "krävs behövs finns fanns syns hörs hoppas lyckas andas minns trivs".split()
    ),
    irregular_present={
        "var": "är",
        "hade": "har",
        "blev": "blir",
        "gick": "går",
        "gav": "ger",
        "tog": "tar",
        "kom": "kommer",
        "fick": "får",
        "gjorde": "gör",
        "sade": "säger",
        "sa": "säger",
    },
    past_endings=("de", "te", "des", "tes"),
    past_needs_lexicon=False,
    strong_pasts=frozenset(
        "var hade blev fick tog gav kom gick såg fanns sa sade gjorde ville kunde skulle lät "
        "höll drog for bar skrev drev steg satt låg stod sjöng drack band fann sprang vann bröt "
        "bjöd flög frös njöt sköt bet red grät slog ljög föll gav rev tvang visste fick "
        "skrevs togs gavs sågs hölls".split()
    ),
)

NORWEGIAN_GRAMMAR = NordicGrammar(
    lang="nb",
    modals=frozenset({"skal", "må", "bør", "kan", "vil", "får", "trenger"}),
    future_modals=frozenset({"skal", "vil"}),
    future_phrase=("kommer", "til", "å"),
    future_time=(
        ("i", "morgen"),
        ("imorgen",),
        ("neste", "uke"),
        ("neste", "måned"),
        ("neste", "år"),
        ("i", "fremtiden"),
        ("fremover",),
        ("snart",),
        ("senere",),
        ("i", "overmorgen"),
    ),
    conditions=frozenset("hvis når før etter ved da mens til dersom om innen".split()),
    leading=frozenset("alltid aldri først så nå også deretter til slutt".split()),
    negations=frozenset({"ikke", "aldri"}),
    passive_aux=frozenset({"blir", "ble", "bli", "blitt"}),
    sequence=frozenset({"deretter", "etterpå"}),
    particles=frozenset(
        "ut opp inn på av bort tilbake fram frem ned under over igjen nylig".split()
    ),
    not_passive=frozenset("kreves trengs finnes fins synes trives lykkes minnes håpes".split()),
    irregular_present={
        "var": "er",
        "hadde": "har",
        "ble": "blir",
        "gikk": "går",
        "ga": "gir",
        "gav": "gir",
        "tok": "tar",
        "kom": "kommer",
        "fikk": "får",
        "gjorde": "gjør",
        "sa": "sier",
    },
    past_endings=("et", "te", "de", "dde"),
    past_needs_lexicon=True,
    strong_pasts=frozenset(
        "var hadde ble fikk tok ga gav kom gikk fant sa gjorde ville kunne skulle måtte lot "
        "holdt dro bar skrev drev steg satt lå sto stod sang drakk bandt sprang vant brøt bød "
        "fløy frøs nøt skjøt bet red gråt slo løy falt rev visste tvang".split()
    ),
)
