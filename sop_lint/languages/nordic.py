"""LIX (läsbarhetsindex), the readability index used for Swedish and Norwegian."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from sop_lint.languages.base import Language, Readability, count_letters
from sop_lint.languages.technical import is_technical
from sop_lint.languages.verbs import (
    Clause,
    VerbAnalyser,
    VerbUse,
    cached_tagger,
    is_only_words,
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


@dataclass(slots=True, eq=False)
class NordicClause(Clause):
    """A clause that also keeps the sentence as written, to check rewrites against."""

    source: str | None = None


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
    permission_modals: frozenset[str]  # "kan", "får": ability or permission unless the reader
    lemma_present: dict[str, str]  # lemma -> present where the paradigm is irregular
    irregular_imperative: dict[str, str]  # lemma -> imperative where it is irregular


# After a modal these describe an expected state or result, not a duty: "Filnavn skal nå
# være utfylt", "Du skal da få en dialog".
STATE_VERBS = frozenset(
    "vara bli være se finnas finnes ha få ske hända gälla framgå skje hende gjelde fremgå".split()
)
SUBORDINATORS = frozenset(
    "at att som hvis dersom ifall om når när fordi eftersom siden sedan da då så innan før "
    "tills mens medan".split()
)
# Words that open a question or an indirect question ("vilken åtgärd ni gjorde", "hvordan
# det gikk"): a verb after them is not the main clause's. Not "var" (also "was").
WH_WORDS = frozenset(
    "vad vem vilken vilket vilka hur varför vart där dit "
    "hva hvem hvilken hvilket hvilke hvordan hvorfor hvor der".split()
)
# Coordinators: they join clauses of the same role, or noun phrases.
COORDINATORS = frozenset("och eller men samt utan og eller men samt".split())
# Past forms of modals: conditional or modal, never narration ("du skulle vilja", "kunne").
MODAL_PASTS = frozenset("skulle kunde ville borde måste torde kunne måtte burde turde".split())
# Supines after "hade"/"hadde" that make a counterfactual ("hade kunnat undvikas").
MODAL_SUPINES = frozenset("kunnat velat behövt fått bort kunnet villet måttet burdet".split())
# Words that anchor a past verb in a dated event: history, not how work is done.
PAST_TIME_WORDS = frozenset(
    "igår tidigare förra senast fjol nyligen tidligere forrige sist nylig ifjor".split()
)
# Definite plural endings of nouns ("nycklarna", "rutinerna", "nøklene").
DEFINITE_PLURALS = ("arna", "orna", "erna", "ene")
# After "var" these make it "every": "var 15:e minut", "var och en", "var tredje dag".
DISTRIBUTIVE_NEXT = frozenset(
    "och annan annat tredje fjärde femte sjätte dag dags vecka månad timme gång".split()
)
# Pronouns a relative clause without "som" hangs on: "det brukaren sa".
CONTACT_HEADS = frozenset("det den de allt detta något".split())
# Verbs of coming into being: "DPO oppstod som en forkortelse" tells a term's or a rule's
# origin, which stays true in the past tense; it never narrates how work is done.
ORIGIN_VERBS = frozenset("uppstå oppstå bildas dannes grundas grunnlegges".split())
DATE_RE = re.compile(r"^(?:(?:19|20)\d\d|\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?)$")
# The subject of an instruction is the reader; anything else is a third party whose
# "kan"/"får" states an ability or a permission ("Larmcentralen kan nu höra").
READER = frozenset("du ni man dere vi".split())

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
            return any(w.endswith(self.g.past_endings) for w in lower) or any(
                w.endswith(self._strong_tails) for w in lower
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
        clause = NordicClause.of(sentence, _tagger(self.g.lang))
        block = sentence.block
        # The sentence as written in the file: the block's text blanks out inline code.
        first = block.source_offset(sentence.start)
        last = block.source_offset(sentence.end - 1) + 1
        clause.source = block.document.source[first:last]
        return clause

    @staticmethod
    def _faithful(clause: Clause) -> bool:
        """Whether the words, with their commas, are the whole sentence: rewrites are
        built from words, so a sentence with code, brackets, slashes, dashes or quotes
        would lose them ("Registrera returen i." for "i `POS`")."""
        source = getattr(clause, "source", None)
        if source is None:
            return True
        return is_only_words(source, clause)

    # -- forms -------------------------------------------------------------------------
    def imperative_of(self, lemma: str) -> str:
        """``ringa -> ring``, ``kontrollera``; ``sjekke -> sjekk``, ``spørre -> spør``, ``åpne``.

        The shape an imperative may have, for recognising one; rewrites use
        :meth:`verified_imperative`, which answers only when the lexicon is sure."""
        vowel = "a" if self.g.lang == "sv" else "e"
        if not lemma.endswith(vowel) or len(lemma) < 3:
            return lemma  # "gå", "ta", "be": the imperative is the infinitive
        if self.g.lang == "sv" and lemma.endswith("era"):
            return lemma  # kontrollera, registrera
        stem = lemma[:-1]
        lemmas = verb_lemmas(self.g.lang)
        if stem[-1:] == stem[-2:-1] and stem[-1:] in "rm" and lemma in lemmas.get(stem[:-1], ()):
            return stem[:-1]  # no double consonant at the end of a word: spørre -> spør
        return stem if lemma in lemmas.get(stem, ()) else lemma

    def _is_lemma(self, lemma: str) -> bool:
        """Whether ``lemma`` is a verb's dictionary form in the lexicon (not a noun that the
        lemma table happens to map to a verb: "kris" -> *kria*). A Swedish infinitive ends
        in -a unless the verb has one syllable ("tro", "se"): "före" is a preposition."""
        vowels = sum(1 for c in lemma if c in "aeiouyåäö")
        if self.g.lang == "sv" and not lemma.endswith("a") and vowels != 1:
            return False
        return lemma in verb_lemmas(self.g.lang).get(lemma, ())

    def _form_of(self, form: str, lemma: str) -> bool:
        return lemma in verb_lemmas(self.g.lang).get(form, ())

    def _swedish_conjugation(self, lemma: str) -> int | None:
        """1 for *-ar* verbs (imperative = infinitive: "skicka", "boka", "lämna"), 2 for
        *-er* verbs and the like (imperative = stem: "ring", "skriv", "kör"); None when the
        lexicon cannot tell."""
        stem = lemma[:-1]
        first = self._form_of(lemma + "r", lemma)
        second = self._form_of(stem + "er", lemma)
        if not first and not second and stem.endswith("r") and self._form_of(stem, lemma):
            # "kör" is "köra"'s present, but "spar" is also spoken "spara": the past
            # decides ("körde" against "sparade").
            first = self._form_of(lemma + "de", lemma)
            second = not first
        if first and second:  # both presents listed: let the past decide
            first = self._form_of(lemma + "de", lemma)
            second = any(self._form_of(stem + end, lemma) for end in ("de", "te", "dde", "tte"))
        if first == second:
            return None
        return 1 if first else 2

    def verified_imperative(self, lemma: str) -> str | None:
        """The imperative of ``lemma`` when the lexicon vouches for it, else None."""
        if lemma in self.g.lemma_present and self.g.lang == "sv":
            return self.g.irregular_imperative.get(lemma)
        if lemma in self.g.irregular_imperative:
            return self.g.irregular_imperative[lemma]
        if not self._is_lemma(lemma):
            return None
        if self.g.lang == "sv":
            if not lemma.endswith("a"):
                return lemma  # "tro", "gå": the imperative is the infinitive
            if lemma.endswith("era"):
                return lemma
            conjugation = self._swedish_conjugation(lemma)
            if conjugation == 1:
                return lemma
            if conjugation == 2:
                stem = lemma[:-1]
                if stem[-1:] == stem[-2:-1] and stem[-1:] in "mn":
                    stem = stem[:-1]  # "glömma" -> "glöm", "känna" -> "känn" stays
                return stem if self._form_of(stem, lemma) else None
            return None
        imperative = self.imperative_of(lemma)
        stem = lemma[:-1]
        if (
            imperative == stem
            and stem[-1:] in "lnr"
            and stem[-2:-1] not in "aeiouyæøålnr"
            and stem[-2:] != "gn"
        ):
            return lemma  # "åpne", "sykle": no imperative ends in a hard cluster
        return imperative if self._form_of(imperative, lemma) else None

    def is_present_form(self, word: str) -> bool:
        """Whether ``word`` is the present tense of a verb the lexicon knows
        ("dokumenterar", "informerar", "ringer"): the tagger misreads some in lists."""
        if not word.endswith("r"):
            return False
        return any(
            self.present_of_lemma(lemma) == word for lemma in verb_lemmas(self.g.lang).get(word, ())
        )

    def is_finite_form(self, word: str) -> bool:
        """A present tense or an s-passive of a verb the lexicon knows."""
        if self.is_present_form(word):
            return True
        lemma = self.lexicon.get(word)
        return (
            lemma is not None
            and word.endswith("s")
            and not lemma.endswith("s")
            and word not in self.g.not_passive
        )

    def present_of_lemma(self, lemma: str) -> str | None:
        """The present tense of ``lemma`` when the lexicon vouches for it, else None."""
        if lemma in self.g.lemma_present:
            return self.g.lemma_present[lemma]
        if not self._is_lemma(lemma):
            return None
        if self.g.lang == "nb":
            return lemma + "r" if self._form_of(lemma + "r", lemma) else None
        if not lemma.endswith("a"):
            return lemma + "r" if self._form_of(lemma + "r", lemma) else None
        conjugation = self._swedish_conjugation(lemma)
        stem = lemma[:-1]
        if conjugation == 1:
            return lemma + "r"
        if conjugation == 2:
            if stem.endswith("r") and self._form_of(stem, lemma):
                return stem  # "kör", "hör"
            return stem + "er" if self._form_of(stem + "er", lemma) else None
        return None

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
        # A compound whose last part is an imperative: "Høyreklikk", "Dubbelklicka"; not a
        # definite plural noun whose ending looks like a verb ("nycklarna": "klarna").
        return (
            not word.endswith(DEFINITE_PLURALS)
            and any(
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

    @functools.cached_property
    def _strong_tails(self) -> tuple[str, ...]:
        return tuple(self.g.strong_pasts)

    def is_strong_past(self, word: str) -> bool:
        """A strong or irregular past, also inside a prefixed verb the lexicon knows:
        "beskrev" (beskriva, like "skrev"), "mottog", "godtog"."""
        if word in self.g.strong_pasts:
            return True
        if len(word) < 5 or not word.endswith(self._strong_tails):
            return False
        lemmas = verb_lemmas(self.g.lang).get(word, ())
        for k in range(2, len(word) - 2):
            tail, prefix = word[k:], word[:k]
            if tail in self.g.strong_pasts:
                # The prefixed verb is the prefix plus the tail's verb, and the word is not
                # that verb's stem or infinitive ("försvar" is "försvara", not "för" + "var").
                return any(
                    lemma == prefix + t and word not in (lemma, lemma[:-1])
                    for lemma in lemmas
                    for t in verb_lemmas(self.g.lang).get(tail, ())
                )
        return False

    def past_lemma(self, word: str) -> str | None:
        """The verb whose finite past ``word`` is, by the lexicon and the verb's paradigm
        (so nouns the lemma table maps to verbs, "diabetes", "närståendes", are not)."""
        if word in MODAL_PASTS:
            return None
        lemmas = verb_lemmas(self.g.lang)
        if self.is_strong_past(word):
            return self.lexicon.get(word, word)
        passive = self.g.lang == "sv" and word.endswith(("des", "tes"))
        base = word[:-1] if passive else word
        for lemma in lemmas.get(word, ()) or lemmas.get(base, ()):
            if self._regular_past(base, lemma):
                return lemma
        if self.g.lang == "sv" and base.endswith("ade") and len(base) > 5:
            # The lemma table lacks many first-conjugation pasts ("visade", "samlade");
            # -ade is that conjugation's past and almost never ends a noun. The tagger
            # must still read it as a finite past in context.
            return base[:-2]
        return None

    def _regular_past(self, form: str, lemma: str) -> bool:
        vowel = "a" if self.g.lang == "sv" else "e"
        if not lemma.endswith(vowel):
            return form == lemma + "dde"  # "tro" -> "trodde", "bo" -> "bodde"
        stem = lemma[:-1]
        pasts = {stem + "de", stem + "te", stem + "dde", stem + "tte"}
        if self.g.lang == "sv":
            pasts.add(lemma + "de")  # "skicka" -> "skickade"
        else:
            pasts.add(stem + "et")  # "sjekke" -> "sjekket"
        if stem.endswith(("d", "t")):
            pasts.add(stem + "e")  # "sända" -> "sände"
        return form in pasts

    def present_of(self, word: str) -> str | None:
        """The present tense of a past form ("ringde" -> "ringer", "skrevs" -> "skrivs")."""
        if word in self.g.irregular_present:
            return self.g.irregular_present[word]
        lemma = self.past_lemma(word)
        if lemma is None:
            return None
        present = self.present_of_lemma(lemma)
        if present is None or not word.endswith("s") or lemma.endswith("s"):
            return present
        # s-passive: "beslutades" -> "beslutas", "skrevs" -> "skrivs"
        if present.endswith("ar"):
            return present[:-1] + "s"
        if present.endswith("er") and self._form_of(present[:-2] + "s", lemma):
            return present[:-2] + "s"
        return None

    # -- clause roles --------------------------------------------------------------------
    def _in_main_clause(self, clause: Clause, i: int) -> bool:
        """Whether word ``i`` is a verb of the sentence's main clause, by V2 word order:
        no subordinator, relative "som" or question word before it; after a fronted
        subordinate clause, only the verb right after its comma ("Om patienten föll,
        ringde personalen") belongs to the main clause."""
        lower = clause.lower
        fronted = False
        for j in range(i):
            word = lower[j]
            if word in ("att", "å") and j + 1 < i and self.is_infinitive(lower[j + 1]):
                continue  # the infinitive marker: "För att testa detta jämförde han ..."
            if word == "som" and 0 < j <= 3 and self._relative_closes(clause, j, i):
                continue  # "Textilier som inte kan tvättas kommer att vädras": in the subject
            if word in SUBORDINATORS or word in WH_WORDS or word in self.g.conditions:
                if j > 0 or word in WH_WORDS:
                    return False
                fronted = True
        if not fronted:
            return True
        return i - 1 in clause.comma_after and all(
            j not in clause.comma_after for j in range(i - 1)
        )

    def _relative_closes(self, clause: Clause, som: int, i: int) -> bool:
        """A relative clause in the subject ("Textilier som inte kan tvättas men ska
        behållas kommer att vädras"): it has its own finite verb before ``i``, ``i`` is
        finite too, and no other subordinator intervenes."""
        lower = clause.lower
        between = range(som + 1, i)
        if any(lower[k] in SUBORDINATORS or lower[k] in WH_WORDS for k in between):
            return False
        own_verb = any("|Fin|" in clause.tag(k) for k in between)
        return own_verb and "|Fin|" in clause.tag(i) and i - 1 not in clause.comma_after

    def _time_anchored(self, clause: Clause) -> bool:
        """A dated or explicitly earlier event: a record, not how work is done."""
        lower = clause.lower
        for j, word in enumerate(lower):
            if word in PAST_TIME_WORDS or DATE_RE.match(word):
                return True
            if word == "den" and (j in clause.comma_after or j == len(lower) - 1):
                return True  # "Dokumentet beslutades den:" and a date to fill in
        return False

    def _shares_clause_with_finite(self, clause: Clause, i: int) -> bool:
        """Another finite verb in the same clause: then word ``i`` is a participle used as
        an adjective ("antal beviljade timmar uppdateras", "finns samlade")."""
        lower = clause.lower
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lower):
                if lower[j] in COORDINATORS or lower[j] in SUBORDINATORS or lower[j] in WH_WORDS:
                    break
                if (step < 0 and j in clause.comma_after) or (
                    step > 0 and j - 1 in clause.comma_after
                ):
                    break
                tag = clause.tag(j)
                if "|Fin|" in tag or (
                    tag.startswith("VERB") and self.is_s_passive(lower[j], clause.words[j])
                ):
                    return True  # the tagger may read "dokumenteras" as an infinitive
                j += step
        return False

    # -- tense ---------------------------------------------------------------------------
    def past_tense(self, clause: Clause) -> list[VerbUse]:
        # Tagging is the costly step: first keep words the lexicon knows as past forms.
        lower = clause.lower
        candidates = [
            i
            for i, w in enumerate(lower)
            if i not in clause.quoted
            and (w.endswith(self.g.past_endings) or self.is_strong_past(w))
            and not clause.words[i].isupper()
            and self.past_lemma(w) not in (None, *ORIGIN_VERBS)
            and not any(x in self.g.modals for x in lower[max(0, i - 3) : i])  # "må … kunne"
            and not (w in ("hade", "hadde") and MODAL_SUPINES.intersection(lower[i + 1 : i + 3]))
            and self._in_main_clause(clause, i)
        ]
        # An imperative that looks like a past form ("erbjud", "kom ihåg") where an
        # instruction starts: at the start of the main clause or after "och"/"og"/a comma.
        start = self.main_clause_start(clause)
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
        if not candidates or self._time_anchored(clause) or clause.tags is None:
            return []
        if clause.in_list and not clause.step:
            return []  # a bullet: an example of what happened, a change log entry
        found = []
        for i in candidates:
            if not clause.tag(i).startswith(("VERB|Fin|Past", "AUX|Fin|Past")):
                continue
            after = lower[i + 1] if i + 1 < len(lower) else ""
            if lower[i] == "var" and (after[:1].isdigit() or after in DISTRIBUTIVE_NEXT):
                continue  # "var 15:e minut", "var och en": "every", not "was"
            if self._contact_relative(clause, i) or self._reduced_relative(clause, i, start):
                continue
            if self._attributive(clause, i) or self._shares_clause_with_finite(clause, i):
                continue
            if i > 0 and clause.words[i][:1].isupper():
                continue  # a capital mid-sentence: a heading or label run into the text
            if i == 0 and (clause.tag(1).startswith("PRON") or lower[0] in ("var", "vær")):
                continue  # "Märkte de något?": a question; "Var frisk!": an imperative
            if i > 0 and not self._subject_before(clause, i):
                continue  # "Släng kontaminerade livsmedel", "ansökan, rutinartade"
            if any(w in ("jag", "jeg") for w in lower[:i]):
                continue  # a first-person record, an example of a journal note
            found.append(VerbUse(i, i, self.present_of(lower[i])))
        others = [
            k
            for k, w in enumerate(lower)
            if k not in {u.first for u in found}
            and clause.tag(k).startswith(("VERB|Fin|Past", "AUX|Fin|Past"))
            and self._in_main_clause(clause, k)
        ]
        if found and others:
            # "sammanställde enhetschefen avvikelserna och tog upp dem": rewriting one
            # past would leave the tenses mixed; explain instead.
            found = [VerbUse(u.first, u.last, None) for u in found]
        return found

    def _contact_relative(self, clause: Clause, i: int) -> bool:
        """A relative clause without "som": "Skriv det brukaren sa", "allt kunden
        köpte": a pronoun, then the clause's own subject, then its past verb."""
        if i < 2 or clause.lower[i - 2] not in CONTACT_HEADS:
            return False
        return clause.tag(i - 1).startswith(("NOUN", "PROPN", "PRON")) and i - 2 > 0

    def _reduced_relative(self, clause: Clause, i: int, start: int) -> bool:
        """A weak participle after the noun it describes, before its preposition:
        "protokoll från möten relaterade till projektet". A subject stands first in its
        clause ("Personalen ringde till MAS"); this noun does not."""
        weak = not self.is_strong_past(clause.lower[i])
        return (
            weak
            and i - 1 > start
            and clause.tag(i - 1).startswith("NOUN")
            and clause.tag(i + 1).startswith("ADP")
        )

    def _subject_before(self, clause: Clause, i: int) -> bool:
        """A finite verb in V2 follows its subject or a fronted adverbial: a noun, a
        pronoun, a name or an adverb, not a verb (then it is an object's participle:
        "Använd validerade instrument") and not a list comma."""
        if i - 1 in clause.comma_after or self.is_imperative(clause.lower[i - 1]):
            return False
        if i > 1 and i - 2 in clause.comma_after and clause.words[i - 1][:1].isupper():
            return False  # a label run into the sentence: "Beviljad insats: Antal beviljade"
        before = clause.tag(i - 1)
        if before.startswith("NOUN") and not self.is_strong_past(clause.lower[i]):
            # A weak past is also the plural participle ("kostnader kopplade till"):
            # a subject noun is definite ("Personalen kontrollerade kvittot").
            if clause.lower[i - 1].endswith(("en", "et", "na", "an", "a")):
                return True
            k = i - 2  # or a determiner before it: "Hans ursprungliga frågeställning gällde"
            while k >= 0 and clause.tag(k).startswith("ADJ"):
                k -= 1
            return k >= 0 and clause.tag(k).startswith(("DET", "PRON"))
        return before.startswith(("NOUN", "PROPN", "PRON", "ADV", "DET"))

    def _attributive(self, clause: Clause, i: int) -> bool:
        """A participle as an adjective: "status for sendte meldinger", "laste ned
        oppdaterte metadata". A finite verb follows its subject (V2), not a preposition."""
        before = clause.tag(i - 1) if i else "DET"
        after = clause.tag(i + 1) if i + 1 < len(clause) else ""
        particle = i > 0 and clause.lower[i - 1] in self.g.particles  # "fyll inn ønsket data"
        opens = before.startswith(("DET", "ADP", "ADJ", "NUM")) or particle
        return opens and after.startswith(("NOUN", "ADJ", "PROPN", "X"))

    def _names_future_time(self, clause: Clause, modal: int | None = None) -> bool:
        """Whether the sentence (or, given the modal's index, the modal's own clause: up
        to the next subordinator) names a future time. "... vil økes dersom funksjonalitet
        fjernes i senere versjon": the later version is not when "vil" happens."""
        lower = clause.lower
        end = len(lower)
        if modal is not None:
            end = next(
                (k for k in range(modal + 1, len(lower)) if lower[k] in SUBORDINATORS),
                len(lower),
            )
        for phrase in self.g.future_time:
            n = len(phrase)
            for i in range(end - n + 1):
                if tuple(lower[i : i + n]) != phrase or i in clause.quoted:
                    continue
                before = lower[i - 1] if i else ""
                after = lower[i + n] if i + n < len(lower) else ""
                # "så snart som möjligt", "senare än fredag": urgency or a deadline
                if before in ("så", "inte", "ikke", "snarast") or after in ("som", "än", "enn"):
                    continue
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
            elif lower[i] in self.g.future_modals and self._names_future_time(clause, i):
                verb = self._infinitive_after(clause, i + 1)
            elif self.g.lang == "nb" and lower[i] == "vil" and lower[i + 1 : i + 2] == ["bli"]:
                verb = i + 1  # "Klienten vil bli aktivert": "vil bli" is always a future
                if i and clause.tag(i - 1).startswith("ADV"):
                    found.append(VerbUse(i, verb, None))  # "kun vil bli": "blir kun"
                    continue
            else:
                continue
            # A future in a subordinate clause ("vilket sjukhus hen kommer att åka till")
            # is what the sentence reports, not how the work is described.
            if verb is None or not self._in_main_clause(clause, i):
                continue
            present = self._present_of_infinitive(lower[verb])
            if verb > i + len(phrase) and lower[i] not in self.g.future_modals:
                present = None
            if lower[i] in self.g.future_modals and verb > i + 1:
                present = None  # "ska närstående ...": the subject sits between
            found.append(VerbUse(i, verb, present))
        return found

    def _present_of_infinitive(self, infinitive: str) -> str | None:
        """``skriva -> skriver``; a passive keeps its voice: ``informeras`` stays."""
        lemma = self.lexicon.get(infinitive)
        if lemma is None:
            return None
        if infinitive == lemma:
            return self.present_of_lemma(lemma)
        present = self.present_of_lemma(lemma)
        if present is None:
            return None
        if present.endswith("ar"):
            return present[:-1] + "s"  # "informerar" -> "informeras"
        if present.endswith("er") and self._form_of(present[:-2] + "s", lemma):
            return present[:-2] + "s"  # "skriver" -> "skrivs"
        if (
            self.g.lang == "nb"
            and present.endswith("r")
            and self._form_of(present[:-1] + "s", lemma)
        ):
            return infinitive  # "sendes": the present passive is the infinitive's form
        return None

    # -- instructions --------------------------------------------------------------------
    def main_clause_start(self, clause: Clause) -> int:
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

    def _instruction_after_phrase(self, clause: Clause) -> bool:
        """A condition or time phrase without a comma before the instruction: "(Vid
        behov) ring sjuksköterskan", "Vid fall – ring 112", "om enhetschef ej är
        tillgänglig ta hjälp av kollegor". The instruction is an imperative after a noun
        phrase or after the condition clause's own finite verb and its complement."""
        lower = clause.lower
        if not lower or lower[0] not in self.g.conditions:
            return False
        for j in range(2, min(len(lower), 9)):
            if j - 1 in clause.comma_after or lower[j - 1] in self.g.modals:
                return False  # a comma or a modal: the main clause is elsewhere
            tag = clause.tag(j)
            previous = clause.tag(j - 1)
            if not (tag.startswith("VERB|Imp") or self.is_imperative(lower[j])):
                continue
            if "|Fin|" in tag or lower[j] in PRONOUNS:
                continue
            # Not the condition's own verb: an imperative follows a noun, adjective,
            # adverb, pronoun or the condition's finite verb that closes the condition
            # ("behov", "tillgänglig", "om brukaren inte svarar ring ...").
            closes = ("NOUN", "PROPN", "ADJ", "ADV", "PRON", "NUM", "VERB|Fin")
            if previous.startswith(closes) and not (
                clause.tag(j + 1).startswith("PRON") if j + 1 < len(lower) else False
            ):
                return True
        return False

    def starts_imperative(self, clause: Clause) -> bool | None:
        if not clause.words:
            return None
        if self._imperative_at(clause, self.main_clause_start(clause)):
            return True
        first_comma = min((c for c in clause.comma_after if c < 8), default=None)
        if first_comma is not None and self._imperative_at(clause, first_comma + 1):
            return True
        if clause.tags is None:
            return False
        if self._instruction_after_phrase(clause):
            return True
        if "automatiskt" in clause.lower or "automatisk" in clause.lower:
            return None  # the system acts by itself: there is no instruction to give
        if self._describes_state(clause):
            return None
        return False

    def _describes_state(self, clause: Clause) -> bool:
        """A list item that states what is the case or should be seen, not what to do:
        "Termometern ska visa +100°C", "Blanketten ser ut så här:", "Fälten är ifyllda".
        The verb of the main clause (or the verb after its modal) is a state verb and the
        subject is not the reader."""
        lower = clause.lower
        start = self.main_clause_start(clause)
        for j in range(start + 1, min(len(lower), start + 5)):
            if "|Fin|" not in clause.tag(j):
                continue
            if READER.intersection(lower[start:j]) or lower[j] in READER:
                return False
            verb = j
            if lower[j] in self.g.modals and j + 1 < len(lower):
                # the infinitive, or the next word when the lemma table lacks it ("visa")
                verb = self._infinitive_after(clause, j + 1) or j + 1
            if lower[verb] in self.g.passive_aux or "Pass" in clause.tag(verb):
                return False  # "Kvitteringen ble skrevet ut": a passive, not a state
            if lower[start:j] == ["det"]:
                return False  # "Det finnes en mal ...": information that wants an instruction
            lemma = self.lexicon.get(lower[verb], lower[verb])
            return lemma in STATE_VERBS or lemma in ("visa", "vise")
        return False

    def _reader_subject(self, subject: list[str]) -> bool:
        return not subject or (len(subject) == 1 and subject[0] in READER)

    def _role_subject(self, clause: Clause, subject: list[str]) -> bool:
        """A definite noun naming who does the step ("personalen", "kassören"): the
        reader in their role, so the imperative addresses the same person. Not a
        pronoun ("hon", "det") and not a longer phrase whose meaning a rewrite may lose."""
        if len(subject) != 1 or subject[0] in PRONOUNS:
            return False
        index = clause.lower.index(subject[0])
        return clause.tag(index).startswith("NOUN") and subject[0].endswith(("en", "na", "n"))

    def modal_obligation(self, clause: Clause) -> list[VerbUse]:
        if self.starts_imperative(clause):
            return []
        lower = clause.lower
        start = self.main_clause_start(clause)
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
            before = lower[start:i]
            if any(w in SUBORDINATORS or w in WH_WORDS or w in self.g.conditions for w in before):
                continue  # "Om incidenten ska anmälas ...", "Vem som ska kontaktas"
            between = [w for w in lower[i + 1 : verb] if w not in self.g.negations]
            between = [w for w in between if w not in self.g.leading]
            subject = before or between
            if word in self.g.permission_modals and not self._reader_subject(subject):
                return []  # "Larmcentralen kan nu höra": an ability, not the reader's duty
            if infinitive != lemma:  # a passive infinitive ("ska skrivas"): see passive-voice
                return [VerbUse(i, verb, None)]
            return [VerbUse(i, verb, self._modal_rewrite(clause, start, i, verb, subject))]
        return []

    def _modal_rewrite(
        self, clause: Clause, start: int, modal: int, verb: int, subject: list[str]
    ) -> str | None:
        """ "Du ska ringa kunden." -> "Ring kunden.", only when the reader is the subject,
        the imperative is a known form, and no second infinitive hangs on the modal."""
        lower = clause.lower
        if not self._reader_subject(subject) and not self._role_subject(clause, subject):
            return None
        imperative = self.verified_imperative(self.lexicon.get(lower[verb], lower[verb]))
        if imperative is None or not self._faithful(clause):
            return None
        rest_words = lower[verb + 1 :]
        for k, w in enumerate(rest_words[:-1]):
            following = rest_words[k + 1]
            if (
                w in COORDINATORS
                and self.is_infinitive(following)
                and self.verified_imperative(self.lexicon.get(following, following)) != following
            ):
                return None  # "... och utföra åtgärder": the second verb needs rewriting too
        if any(w in self.g.modals for w in rest_words):
            return None
        negated = any(w in self.g.negations for w in lower[modal + 1 : verb])
        # Adverbs between the modal and its verb stay, after the imperative: "måste
        # alltid spara kvittot" -> "Spara alltid kvittot"; anything else would be lost.
        adverbs = []
        for k in range(modal + 1, verb):
            if lower[k] in self.g.negations or clause.words[k] in subject:
                continue
            if not clause.tag(k).startswith("ADV"):
                return None
            adverbs.append(clause.words[k])
        rest = clause.text_of(verb + 1, len(clause)).rstrip(",")
        negation = ("inte" if self.g.lang == "sv" else "ikke") if negated else ""
        step = " ".join(p for p in (imperative, negation, *adverbs, rest) if p)
        return clause.rewrite(start, step)

    def is_s_passive(self, word: str, written: str) -> str | None:
        """The verb whose s-passive ``word`` is ("skickas", "skrivs", "sendes"), by the
        lexicon and the paradigm; None for nouns ("kris"), acronyms ("MAS"), deponents."""
        if not word.endswith("s") or written.isupper() or word in self.g.not_passive:
            return None
        for lemma in verb_lemmas(self.g.lang).get(word, ()):
            if lemma.endswith("s") or not self._is_lemma(lemma):
                continue
            stem = lemma[:-1]
            shapes = {lemma + "s"}
            if lemma.endswith(("a", "e")):
                shapes.add(stem + "es")  # "läses", "leses"
                if stem.endswith("r") or self._form_of(stem + "er", lemma):
                    shapes.add(stem + "s")  # "körs", "görs", "skrivs" (present "skriver")
            else:
                shapes.add(lemma + "s")  # "tros", "ses"
            if word in shapes:
                return lemma
            # a past passive: "skrevs" (a strong past), "beslutades" (a regular one)
            if self.is_strong_past(word) or self._regular_past(word[:-1], lemma):
                return lemma
        return None

    def passive_voice(self, clause: Clause) -> list[VerbUse]:
        lower = clause.lower
        lexicon = self.lexicon
        if self.starts_imperative(clause):
            return []
        start = self.main_clause_start(clause)
        for i in range(start, len(lower)):
            word = lower[i]
            if i in clause.quoted:
                continue
            if (word in SUBORDINATORS or word in WH_WORDS) and i > start:
                return []  # "Verifisert at meldingen blir markert": not the main clause
            lemma = self.is_s_passive(word, clause.words[i])
            aux_passive = (
                word in self.g.passive_aux
                and i + 1 < len(lower)
                and (lower[i + 1] in lexicon or lower[i + 1].endswith(("t", "d", "et", "at")))
            )
            if lemma is None and not aux_passive:
                continue
            noun_place = i > 0 and clause.tag(i - 1).startswith(("DET", "ADJ", "ADP"))
            if noun_place and clause.tag(i).startswith(("NOUN", "PROPN")):
                continue  # a noun in a noun's place ("en kris", "vid kris")
            if "automatiskt" in lower or "automatisk" in lower:
                return []  # the system acts: there is no one to instruct
            last = i if lemma else i + 1
            verb_lemma = lemma or lexicon.get(lower[i + 1], lower[i + 1])
            return [VerbUse(i, last, self._passive_rewrite(clause, start, i, last, verb_lemma))]
        return []

    def _passive_rewrite(
        self, clause: Clause, start: int, verb: int, last: int, lemma: str
    ) -> str | None:
        """ "Kvittot skickas till kunden." -> "Skicka kvittot till kunden.": only for a
        present s-passive after a plain noun phrase, whose imperative the lexicon knows;
        the rest of the sentence (objects, conditions) is kept."""
        lower = clause.lower
        if last != verb or not lower[verb].endswith("s"):
            return None
        subject = clause.words[start:verb]
        if not 0 < len(subject) <= 3:
            return None
        tags = [clause.tag(j) for j in range(start, verb)]
        if not tags[-1].startswith(("NOUN", "PROPN")) or not all(
            t.startswith(("NOUN", "PROPN", "DET", "ADJ", "NUM")) for t in tags
        ):
            return None
        if "Pres" not in clause.tag(verb) and clause.tags is not None:
            return None
        imperative = self.verified_imperative(lemma)
        if imperative is None or not self._faithful(clause):
            return None
        first = subject[0]
        if first[1:2].islower():  # "Kvittot" -> "kvittot", but keep "API-tilbyder"
            subject = [first[:1].lower() + first[1:], *subject[1:]]
        rest_start = verb + 1
        parts = [imperative]
        if "av" in lower[verb + 1 :]:
            return None  # an agent ("hanteras av MAS") becomes the subject, not the reader
        if any(
            clause.tag(j).startswith(("VERB|Fin", "AUX|Fin")) or "|Pass" in clause.tag(j)
            for j in range(verb + 1, len(lower))
        ):
            # "Varan läggs på hyllan och sedan registreras returen": rewriting the first
            # clause only would leave the second in the passive; explain instead.
            return None
        if (
            rest_start < len(lower)
            and lower[rest_start] in self.g.particles
            and not clause.tag(rest_start).startswith("ADP")
        ):
            parts.append(clause.words[rest_start])  # "Skriv ut kvittot"
            rest_start += 1
        rest = clause.text_of(rest_start, len(clause)).rstrip(",")
        step = " ".join(p for p in (*parts, " ".join(subject), rest) if p)
        return clause.rewrite(start, step)

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
                        # a second action has its own verb: "..., deretter
                        # Nasjonalbiblioteket" only orders what the one action is done to
                        if any(
                            k != i
                            and (self.is_imperative(lower[k]) or clause.tag(k).startswith("VERB"))
                            for k in range(j + 1, min(len(lower), i + 4))
                        ):
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
    permission_modals=frozenset({"kan", "får"}),
    lemma_present={
        "vara": "är",
        "ha": "har",
        "göra": "gör",
        "veta": "vet",
        "bli": "blir",
        "ge": "ger",
        "ta": "tar",
        "se": "ser",
        "få": "får",
        "gå": "går",
        "stå": "står",
        "dö": "dör",
        "säga": "säger",
        "lägga": "lägger",
        "kunna": "kan",
        "vilja": "vill",
        "skola": "ska",
        "böra": "bör",
        "komma": "kommer",
        "sova": "sover",
    },
    irregular_imperative={
        "göra": "gör",
        "ge": "ge",
        "ta": "ta",
        "se": "se",
        "gå": "gå",
        "stå": "stå",
        "säga": "säg",
        "lägga": "lägg",
        "ha": "ha",
        "komma": "kom",
        "vara": "var",
        "bli": "bli",
        "få": "få",
        "veta": "vet",
    },
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
    permission_modals=frozenset({"kan", "får"}),
    lemma_present={
        "være": "er",
        "ha": "har",
        "gjøre": "gjør",
        "vite": "vet",
        "si": "sier",
        "spørre": "spør",
        "kunne": "kan",
        "ville": "vil",
        "skulle": "skal",
        "måtte": "må",
        "burde": "bør",
        "komme": "kommer",
    },
    irregular_imperative={
        "gjøre": "gjør",
        "være": "vær",
        "si": "si",
        "spørre": "spør",
        "komme": "kom",
    },
)
