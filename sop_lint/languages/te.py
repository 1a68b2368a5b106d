"""Telugu: grapheme-aware words and akshara counts; readability not yet calibrated."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sop_lint.languages.base import Language, Readability, count_graphemes
from sop_lint.languages.technical import is_technical
from sop_lint.languages.verbs import Clause, VerbAnalyser, VerbUse
from sop_lint.model import Sentence


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
# on verb morphology, written for formal Telugu procedures and guidelines. Word endings
# alone over-report (స్థాయి "level" ends like వచ్చాయి "came"), so a form counts as a verb
# only where Telugu grammar puts a finite verb: at the end of its clause.

# Person endings of finite past and future-habitual verbs (after the tense marker).
PERSON_ENDINGS = ("ాను", "ావు", "ాడు", "ాము", "ాం", "ారు", "ాయి")
PAST_NEUTER = ("ింది", "ైంది", "య్యింది")  # చేసింది, వచ్చింది, పాడైంది, అయ్యింది
HABITUAL_MARKERS = ("త", "ట")  # చేస్తారు, తెరుచుకుంటుంది: -త-/-ట- before the ending
# Words that end like finite verbs but are not: pronouns, honorifics, nouns that end in
# -ారు/-ాడు/-ాయి/-ాను, and verb stems in -ాడు (మాట్లాడు "speak" is a stem, not a past).
NOT_VERBS = frozenset(
    {
        "వారు", "గారు", "కారు", "వాడు", "వీరు", "వారం", "మాట్లాడు", "ఎవరు", "అందరు",
        "మేము", "తయారు", "సర్కారు", "బజారు", "ఖరారు", "పుకారు", "షికారు", "హుషారు",
        "స్థాయి", "రాయి", "హాయి", "భాయి", "సామాను", "కాను", "కావు", "కాపాడు", "పోరాడు",
        "నాడు", "ఆడు", "పాడు", "కింది", "క్రింది", "సుమారు", "రూపాయి", "అబ్బాయి", "అమ్మాయి",
        "బాబాయి", "సాయి", "కుర్రాడు", "సరైంది", "ముఖ్యమైంది",
    }
)  # fmt: skip
# Loanwords in -ām (ప్రోగ్రాం, ప్లాట్‌ఫాం, కిలోగ్రాము) end like the past "we did" (చేశాం).
LOANWORD_ENDINGS = ("గ్రాం", "గ్రాము", "ఫాం", "ఫారం")
# A verb that follows a noun in the same clause makes a compound verb with it (తయారు
# చేయండి "prepare", ఖరారు అవుతుంది "is finalised"): the noun is no finite verb.
FINITE_FOLLOWERS = frozenset({"కానీ", "కాని", "మరియు"})  # a new main clause may follow
# Agentive nouns built on a participle: సహకరించేవారు "those who contribute",
# దరఖాస్తుదారు "applicant", చేసినవారు "those who did". They end in -వారు/-దారు.
AGENTIVE_ENDINGS = ("దారు", "దారులు", "దారుడు")
FUTURE_TIME = ("రేపు", "ఎల్లుండి", "భవిష్యత్తులో", "త్వరలో")
# "వచ్చే"/"రాబోయే" mean "next" only before a time word; elsewhere "that come(s)".
NEXT_WORDS = ("వచ్చే", "రాబోయే")
TIME_NOUNS = ("వార", "నెల", "సంవత్సర", "ఏడాది", "రోజు", "సోమవార", "నెలల", "త్రైమాసిక")
# Instructions: polite imperative (and -కండి), negative -వద్దు/-ొద్దు, "must not" -కూడదు and
# formal -రాదు, obligative -ాలి and the formal obligatives -వలెను/-వలయును of government
# Telugu. All of them tell the reader what to do.
# Negative instructions: a prohibition that guards the action before it is not a second action.
PROHIBITIONS = ("కండి", "వద్దు", "ొద్దు", "కూడదు", "రాదు")
IMPERATIVE_ENDINGS = (
    "ండి", "వద్దు", "ొద్దు", "కూడదు", "రాదు", "ాలి", "వలెను", "వలయును", "ాల్సిందే", "వలసిందే",
    "గలరు",  # polite request of formal letters and notices: సమర్పించగలరు "kindly submit"
    "ించుము", "ించుడు", "చేయుము", "చేయుడు",  # formal imperatives of notices: పంపించుడు
)  # fmt: skip
# "... సమర్పించవలసినదిగా కోరడమైనది" ("you are requested to submit"): formal instruction.
REQUEST_VERBS = ("కోరడమైనది", "కోరడమైంది", "కోరుతున్నాము", "కోరుచున్నాము")
REQUESTED_FORMS = ("వలసినదిగా", "ాల్సిందిగా")
NOT_IMPERATIVES = frozenset({"బండి", "గండి", "గాలి", "జాలి", "కూలి", "ఖాళి", "వాలి"})
MODAL_ENDINGS = ("వచ్చును", "వచ్చు")  # permissive "may"
# -వచ్చు after these stems says what may happen (ఆలస్యం కావచ్చు "there may be a delay"),
# not what someone may do; రావచ్చు has no regular imperative (రండి).
POSSIBILITY_STEMS = ("ఉండ", "కా", "అవ్వ", "పో", "రా", "లేకపో", "అయ్యి")
DUTY_ENDINGS = ("వలసి", "ాల్సి")  # with ఉంటుంది: "will have to"
# ... and with ఉంది / formal ఉన్నది, యున్నది, ఉండును: "has to"
DUTY_FINALS = ("ఉంటుంది", "ఉంది", "ఉన్నది", "యున్నది", "ఉండును")
SEQUENCE_WORDS = ("తర్వాత", "తరువాత", "ఆపై")
# A permission (-వచ్చు) becomes an instruction only for the reader: a step "కస్టమర్ రీఫండ్
# కోరవచ్చు" (the customer may ask for a refund) must not turn into an order to the
# customer. So the rewrite is offered when the main clause starts with the reader (మీరు,
# సిబ్బంది "staff") or with a case-marked word (an object, a place, a time: no subject).
READER_SUBJECTS = frozenset({"మీరు", "సిబ్బంది"})
CASE_ENDINGS = ("ను", "ని", "కు", "కి", "లో", "తో", "పై", "నుండి", "గా", "ముందు", "తర్వాత")
AGENT_MARKERS = ("చేత", "ద్వారా", "వల్ల")  # the agent of a passive: no simple active rewrite
PASSIVE_ENDINGS = (
    "బడు", "బడును", "బడుతుంది", "బడుతున్నది", "బడతాయి", "బడుతాయి", "బడతారు", "బడుతారు",
    "బడింది", "బడ్డాయి", "బడ్డారు", "బడాలి", "బడవలెను", "బడదు", "బడవు", "బడవచ్చు",
    "బడుతున్నాయి", "బడుతోంది",
)  # fmt: skip
YEAR = re.compile(r"(?:19|20)\d\d")
# "ఈ మార్గదర్శకాలను ... ఆమోదించారు" ("these guidelines were approved by ..."): a past verb
# in a sentence about this document itself is its history (approved, revised, issued),
# not narration of how the work is done.
DOCUMENT_NOUNS = (
    "మార్గదర్శక", "పత్ర", "విధాన", "నియమావళి", "నిబంధన", "సర్క్యులర్", "ఉత్తర్వ", "SOP", "సూచనల",
)  # fmt: skip
TELUGU_LETTER = re.compile("[\u0c00-\u0c7f]")
VOWEL_SIGNS = frozenset(
    "\u0c3e\u0c3f\u0c40\u0c41\u0c42\u0c43\u0c44\u0c46\u0c47\u0c48\u0c4a\u0c4b\u0c4c"
)
VIRAMA = "\u0c4d"


def _aksharas(text: str) -> int:
    return count_graphemes(text)


def _is_past_shape(word: str) -> bool:
    """Whether ``word`` has the shape of a finite past verb (wherever it stands)."""
    if word in NOT_VERBS or "తున్న" in word or word.endswith(AGENTIVE_ENDINGS):
        return False
    if "బడ" in word and word.endswith(("బడింది", "బడ్డాయి", "బడ్డారు")):
        # The -బడు passive past states a result that holds now: ఈ మార్గదర్శకం ... కోసం
        # రూపొందించబడింది "this guideline is written for ...". The passive rule reports
        # it in a step; in prose it is not narration.
        return False
    if word.endswith(("వారు", "వాడు")) and word[-5:-4] != VIRAMA:
        return False  # agentive -వారు/-వాడు (సహకరించేవారు, పనిచేసేవాడు); నవ్వారు is a verb
    if word.endswith(LOANWORD_ENDINGS):
        return False
    if word.endswith("లేదు") and len(word) > 4:
        # past negative: infinitive + లేదు (చేయలేదు "did not", రాలేదు, తీసుకోలేదు); not
        # a noun + లేదు "there is no" (వీలులేదు, అవసరంలేదు)
        return "\u0c15" <= word[-5] <= "\u0c39" or word[-5] in "\u0c3e\u0c4b"
    if word.endswith(PAST_NEUTER):
        return not word.endswith(("తుంది", "టుంది"))
    for ending in PERSON_ENDINGS:
        if word.endswith(ending):
            before = word[: -len(ending)]
            if _aksharas(before) < 2:
                return False  # స్థాయి, రాయి: a past stem is a root plus a past marker
            if word.startswith("ఉన్న"):
                return False  # ఉన్నారు, ఉన్నాయి: "are", "there are"
            if ending in ("ాం", "ాము") and before.endswith("ద"):
                return False  # hortative: చేద్దాం "let us do"
            # not చేస్తారు (habitual), చేస్తున్నారు (progressive)
            return not before.endswith(HABITUAL_MARKERS)
    return False


def _is_habitual(word: str) -> bool:
    if word.endswith(("తుంది", "టుంది")):
        return True
    return any(
        word.endswith(ending) and word[: -len(ending)].endswith(HABITUAL_MARKERS)
        for ending in PERSON_ENDINGS
    )


def _imperative(stem: str) -> str:
    """The polite imperative from a verb's infinitive stem: ఇవ్వ -> ఇవ్వండి."""
    return stem + "ండి"


@dataclass(slots=True, eq=False)
class TeluguClause(Clause):
    """A Telugu sentence, with the punctuation that ends it (a question, a full stop)."""

    question: bool = False
    full_stop: bool = False
    main_end: int | None = None  # words from here on are a closing aside "(ఐచ్ఛికం)"


class TeluguVerbs(VerbAnalyser):
    supported = True

    def clause(self, sentence: Sentence) -> Clause:
        clause = TeluguClause.of(sentence, None)
        assert isinstance(clause, TeluguClause)
        tail = sentence.block.text[sentence.start : sentence.end].rstrip(" )\u201d\"'*_")
        clause.question = tail.endswith("?")
        clause.full_stop = tail.endswith((".", "!", "\u0964"))
        body = tail.rstrip(".!?\u0964 ")
        if body.endswith(")") and "(" in body:
            # A closing aside in brackets ("ఫారం నింపండి (ఐచ్ఛికం).") is not where the
            # step keeps its verb.
            opened = sentence.start + body.rfind("(")
            before = sum(1 for start, _ in sentence.word_spans if start < opened)
            if before:
                clause.main_end = before
        return clause

    def _main_verb(self, clause: Clause) -> int | None:
        """The last Telugu word outside quotes: where a Telugu clause keeps its verb."""
        end = getattr(clause, "main_end", None) or len(clause)
        for i in range(end - 1, -1, -1):
            word = clause.words[i]
            if i not in clause.quoted and not word.startswith("{{") and TELUGU_LETTER.search(word):
                return i
        return None

    def _ends_clause(self, clause: Clause, i: int) -> bool:
        """Whether word ``i`` stands where a finite verb stands: last in its clause."""
        words = clause.words
        return i == len(words) - 1 or i in clause.comma_after or words[i + 1] in FINITE_FOLLOWERS

    def past_tense(self, clause: Clause) -> list[VerbUse]:
        if clause.question:
            return []  # "ఏ సమస్య ఎదురైంది?": asking what happened is no narration
        words = clause.words
        if any(YEAR.fullmatch(w[:4]) for w in words if w[:1] in "12"):
            return []  # dated document history: "ఈ విధానాన్ని 2024లో సమీక్షించారు."
        if any(w == "గత" or w.startswith(("నిన్న", "మొన్న")) for w in words):
            return []  # "గత సీజన్‌లో" (last season), "నిన్న" (yesterday): a dated event
        if any(
            w == "ఈ" and words[i + 1 : i + 2] and words[i + 1].startswith(DOCUMENT_NOUNS)
            for i, w in enumerate(words)
        ):
            return []  # this document's own history
        return [
            VerbUse(i, i)
            for i, word in enumerate(clause.words)
            if i not in clause.quoted and self._ends_clause(clause, i) and _is_past_shape(word)
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
            if i not in clause.quoted and self._ends_clause(clause, i) and _is_habitual(word)
        ]

    def starts_imperative(self, clause: Clause) -> bool | None:
        verb = self._main_verb(clause)
        if verb is None:
            return None
        word = clause.words[verb]
        if word.endswith(IMPERATIVE_ENDINGS) and word not in NOT_IMPERATIVES:
            return True
        if any(
            clause.words[i].endswith(IMPERATIVE_ENDINGS) and clause.words[i] not in NOT_IMPERATIVES
            for i in clause.comma_after
            if i < verb and i not in clause.quoted
        ):
            return True  # "... నిందించకూడదు; ... ఉద్దేశం.": an instruction, then its reason
        if word in REQUEST_VERBS and verb and clause.words[verb - 1].endswith(REQUESTED_FORMS):
            return True
        if not getattr(clause, "full_stop", True) and not any(
            _is_past_shape(w) or _is_habitual(w) or "బడ" in w for w in clause.words
        ):
            # A list item of nouns without a full stop ("ఆదాయ ధృవీకరణ పత్రం") names a
            # thing to bring, not a step; a noun phrase with a full stop is a step
            # written as a heading ("రసీదు తనిఖీ.") and is reported.
            return None
        return False

    def _rewrite(
        self, clause: Clause, first: int, last: int, imperative: str, reader_only: bool = True
    ) -> str | None:
        """The whole step with words ``first``..``last`` replaced by ``imperative``: the
        object, the condition and every other word stay as written. With ``reader_only``,
        none when the clause may have a subject other than the reader."""
        main_start = max((i + 1 for i in clause.comma_after if i < first), default=0)
        opening = clause.words[main_start]
        if (
            reader_only
            and main_start < first
            and opening not in READER_SUBJECTS
            and not opening.endswith(CASE_ENDINGS)
        ):
            return None  # may be a subject other than the reader
        if any(i in clause.quoted for i in range(first, last + 1)):
            return None
        before = clause.text_of(0, first)
        after = clause.text_of(last + 1, len(clause))
        return " ".join(part for part in (before, imperative, after) if part) + "."

    def modal_obligation(self, clause: Clause) -> list[VerbUse]:
        verb = self._main_verb(clause)
        if verb is None:
            return []
        words = clause.words
        word = words[verb]
        for ending in MODAL_ENDINGS:
            if word.endswith(ending) and len(word) > len(ending):
                stem = word[: -len(ending)]
                if stem.endswith(POSSIBILITY_STEMS) and _aksharas(stem) <= 3:
                    return []
                return [VerbUse(verb, verb, self._rewrite(clause, verb, verb, _imperative(stem)))]
        if word == "మంచిది" and verb and words[verb - 1].endswith("డం"):
            stem = words[verb - 1][:-2]
            return [
                VerbUse(verb - 1, verb, self._rewrite(clause, verb - 1, verb, _imperative(stem)))
            ]
        if word in DUTY_FINALS and verb:
            before = words[verb - 1]
            for ending in DUTY_ENDINGS:
                if before.endswith(ending):
                    stem = before[: -len(ending)]
                    return [
                        VerbUse(
                            verb - 1, verb, self._rewrite(clause, verb - 1, verb, _imperative(stem))
                        )
                    ]
        return []

    def passive_voice(self, clause: Clause) -> list[VerbUse]:
        verb = self._main_verb(clause)
        if verb is None:
            return []
        word = clause.words[verb]
        at = word.rfind("బడ")
        # -బడు after an infinitive stem (ముద్రించ-, చేయ-): not పెట్టుబడి, బడ్జెట్
        if at <= 0 or not word[at:].startswith(PASSIVE_ENDINGS) or word[at - 1] in VOWEL_SIGNS:
            return []
        if word[at:] not in PASSIVE_ENDINGS:
            return []
        rewrite = None
        # Only a passive obligative ("must be collected") keeps its meaning as an
        # instruction; a descriptive passive ("updates are installed automatically",
        # "the form was submitted") may be something the system does, so it gets none.
        obligative = word[at:] in ("బడాలి", "బడవలెను")
        if obligative and not any(w in AGENT_MARKERS or w.endswith("చేత") for w in clause.words):
            rewrite = self._rewrite(clause, verb, verb, _imperative(word[:at]), reader_only=False)
        return [VerbUse(verb, verb, rewrite)]

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
            and (i in clause.comma_after or words[i + 1 : i + 2] == ["మరియు"])
            and words[i + 1 : i + 2] != ["లేదా"]  # "..., or ...": alternatives, one action
        ]
        last = self._main_verb(clause)
        if last is not None and words[last].endswith(PROHIBITIONS):
            return []  # "add the acid slowly; never pour water in": one action and its guard
        if not imperatives or last is None or imperatives[0] >= last:
            return []  # one instruction, before a colon and its list ("... చూడండి:")
        if words[imperatives[0]].endswith(PROHIBITIONS):
            return []  # "if old, do not give; send back": one decision, not two actions
        if words[last].endswith(IMPERATIVE_ENDINGS) and self.starts_imperative(clause):
            return [VerbUse(imperatives[0], imperatives[0])]
        return []


Telugu.verbs = TeluguVerbs()
