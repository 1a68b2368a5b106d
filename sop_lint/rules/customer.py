"""Customer language: what staff say to customers, checked for what frustrates them.

Only text that staff *say* is checked, never instructions *about* saying things:

- a quotation introduced by a speech verb addressed to the reader (*Say “…”*, *Säg ”…”*,
  *Si «…»*, *“…” అని చెప్పండి*), or after a lead-in line (*Say:*, *Säg:*, *Si:*,
  *ఇలా చెప్పండి:*); a lead-in with no quotation makes the rest of its paragraph the
  words to say;
- every paragraph and step of a script section (a heading such as *Script*, *Call
  script*, *Manus*, *Samtalsmanus*, *స్క్రిప్ట్*), except stage directions (sentences
  that speak of the customer in the third person) and lines that tell staff what not to
  say.

A quotation after *do not say*, *never*, *avoid*, *instead of*, *rather than* or *not*
(and their equivalents) is an example of what not to say: it is the guidance itself and
is never flagged. The same goes for quotations of the customer (*the customer may say
“…”*, *Customer: “…”*).

The phrase lists are data (``sop_lint/data/customer/<lang>.tsv``), one phrase a line:
the phrase, a tab, what to say instead, and optionally a tab and why customers find the
phrase frustrating. A phrase starting with ``=`` is flagged only when it is everything
said (a bare *“No.”*, not *“No, but I can order it for you.”*).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources

import regex

from sop_lint.config import ConfigError
from sop_lint.model import Block, Document, Section, Sentence, Severity
from sop_lint.rules.base import Hit, Rule, register
from sop_lint.rules.wording import PhraseMatcher, read_phrase_file

DEFAULT_WHY = "it does not help them"


@dataclass(slots=True, frozen=True)
class Phrase:
    """A frustrating phrase: what to say instead, and why customers mind it."""

    instead: str
    why: str
    whole: bool  # flagged only when it is everything said


def normalise(text: str) -> str:
    """Lower case, single spaces, curly apostrophes straight, no zero-width joiners (Telugu
    is typed with and without them): the form phrases compare in."""
    return " ".join(text.replace("\u2019", "'").translate(_NO_JOINERS).lower().split())


_NO_JOINERS = str.maketrans("", "", "\u200c\u200d")


def parse_customer_phrases(text: str, source: str = "<phrases>") -> dict[str, Phrase]:
    """``phrase<TAB>say instead[<TAB>why]`` lines; ``#`` comments and blank lines ignored."""
    phrases: dict[str, Phrase] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            raise ConfigError(
                f"{source}:{number}: expected 'phrase<TAB>what to say instead', optionally "
                "followed by <TAB>why customers mind it (separate the parts with tabs)"
            )
        written = parts[0]
        whole = written.startswith("=")
        key = normalise(written.removeprefix("=").strip())
        if not key:
            raise ConfigError(f"{source}:{number}: '=' must be followed by the words said")
        why = parts[2] if len(parts) == 3 and parts[2] else DEFAULT_WHY
        phrases[("=" if whole else "") + key] = Phrase(parts[1], why, whole)
    return phrases


@functools.cache
def builtin_customer_phrases(lang: str) -> Mapping[str, Phrase]:
    """The phrase list sop-lint ships for ``lang`` (empty when there is none)."""
    # ``lang`` comes from the SOP's front matter: only a language with cues may become part
    # of a file name, so "lang: ../../x" cannot read a file outside the package.
    if lang not in CUES:
        return {}
    resource = resources.files("sop_lint").joinpath("data", "customer", f"{lang}.tsv")
    if not resource.is_file():
        return {}
    return parse_customer_phrases(resource.read_text("utf-8"), f"sop_lint/data/customer/{lang}.tsv")


@dataclass(slots=True, frozen=True)
class Cues:
    """The words that tell, in one language, whether a passage is said to a customer."""

    script_headings: frozenset[str]  # a heading word that marks a script section
    script_heading_phrases: tuple[str, ...]  # ...or words in a row ("what to say")
    avoid_headings: frozenset[str]  # a heading word that marks a "what not to say" list
    speech: frozenset[str]  # imperative speech verbs: the reader is to say what follows
    lead_ins: frozenset[str]  # a word that, before a colon, introduces words to say
    avoid: tuple[tuple[str, ...], ...]  # words that make a quotation an example not to say
    subjects: frozenset[str]  # someone other than the reader speaking (the customer)
    # Words that, after a phrase, offer something ("I don't know, but I'll find out"):
    # the answer already does what the rule asks for, so the phrase is not flagged.
    offers: tuple[tuple[str, ...], ...] = ()
    # Words that may stand before an imperative speech verb in its clause ("then say",
    # "you can say"); any other word there makes the verb a statement ("Staff say ...").
    preface: frozenset[str] = frozenset()
    # Words that join an earlier instruction ("Thank the customer and say ...").
    coordinators: frozenset[str] = frozenset()
    # Words that start a statement rather than an instruction ("Customers often call and
    # say ..."), besides the subject words.
    starters: frozenset[str] = frozenset()
    verb_last: bool = False  # Telugu: the speech verb follows the quotation


CUES: dict[str, Cues] = {
    "en": Cues(
        frozenset({"script", "scripts"}),
        ("what to say", "what you say"),
        frozenset({"avoid", "not", "never", "don't"}),
        frozenset({"say", "tell", "ask"}),
        frozenset({"say", "tell", "customer", "answer", "reply", "ask", "respond", "script"}),
        (
            ("not",),
            ("never",),
            ("don't",),
            ("avoid",),
            ("avoiding",),
            ("instead", "of"),
            ("rather", "than"),
        ),
        frozenset({"customer", "customers", "caller", "callers", "they", "he", "she", "client"}),
        (
            ("but",),
            ("however",),
            ("let", "me"),
            ("i'll",),
            ("i", "will"),
            ("we'll",),
            ("we", "will"),
            ("what", "i", "can"),
        ),
        frozenset(
            {"then", "just", "simply", "always", "please", "and", "so", "first", "instead"}
            | {"you", "can", "could", "may", "might", "should", "politely", "calmly", "now"}
        ),
        frozenset({"and", "then"}),
        frozenset({"the", "a", "an", "many", "some", "most", "staff", "people", "we"}),
    ),
    "sv": Cues(
        frozenset({"manus", "samtalsmanus", "telefonmanus", "repliker"}),
        ("vad du säger", "så här säger du"),
        frozenset({"undvik", "inte", "aldrig"}),
        frozenset({"säg", "fråga"}),
        frozenset({"säg", "kunden", "svara", "fråga", "manus"}),
        (("inte",), ("aldrig",), ("undvik",), ("i", "stället", "för"), ("istället", "för")),
        frozenset({"kunden", "kunder", "kunderna", "kund", "uppringaren", "hen", "han", "hon"}),
        (("men",), ("däremot",), ("låt", "mig"), ("jag", "ska"), ("vi", "ska"), ("jag", "kan")),
        frozenset({"och", "sedan", "sen", "då", "bara", "alltid", "du", "kan", "ska", "först"}),
        frozenset({"och", "sedan", "sen"}),
        frozenset({"många", "vissa", "personalen", "vi", "de", "man", "en", "ett", "den"}),
    ),
    "nb": Cues(
        frozenset({"manus", "samtalsmanus", "telefonmanus", "replikker"}),
        ("hva du sier", "slik sier du"),
        frozenset({"unngå", "ikke", "aldri"}),
        frozenset({"si", "spør"}),
        frozenset({"si", "kunden", "svar", "spør", "manus"}),
        (("ikke",), ("aldri",), ("unngå",), ("i", "stedet", "for"), ("istedenfor",)),
        frozenset({"kunden", "kunder", "kundene", "kunde", "innringeren", "hen", "han", "hun"}),
        (("men",), ("derimot",), ("la", "meg"), ("jeg", "skal"), ("vi", "skal"), ("jeg", "kan")),
        frozenset({"og", "så", "deretter", "da", "bare", "alltid", "du", "kan", "skal", "først"}),
        frozenset({"og", "så", "deretter"}),
        frozenset({"mange", "noen", "personalet", "vi", "de", "man", "en", "et", "den"}),
    ),
    "te": Cues(
        frozenset({"స్క్రిప్ట్", "స్క్రిప్టు"}),
        ("కాల్ స్క్రిప్ట్", "ఏమి చెప్పాలి"),
        frozenset({"వద్దు", "చెప్పకూడనివి", "నివారించండి"}),
        frozenset({"చెప్పండి", "అనండి", "అడగండి"}),
        frozenset({"చెప్పండి", "అనండి", "అడగండి", "సమాధానం"}),
        (
            ("చెప్పకండి",),
            ("అనకండి",),
            ("చెప్పవద్దు",),
            ("అనవద్దు",),
            ("చెప్పకుండా",),
            ("అనకుండా",),
            ("బదులు",),
            ("బదులుగా",),
            ("కాకుండా",),
            ("వాడకండి",),
        ),
        frozenset({"కస్టమర్", "కాలర్"}),
        (("కానీ",), ("కాని",), ("కనుక్కుంటాను",), ("చేయగలను",)),
        frozenset({"ఇలా", "ఈ", "విధంగా", "మర్యాదగా", "తర్వాత"}),
        verb_last=True,
    ),
}

# A quotation: curly, low-high, guillemets, straight double, Swedish ”…”, or curly single
# (whose closing mark may also be an apostrophe inside a word: ‘I don’t know’). Bounded,
# so a stray opening mark costs at most a few hundred characters, never the whole block.
QUOTE_RE = re.compile(
    "\u201c([^\u201c\u201d]{1,400})\u201d"
    "|\u201e([^\u201e\u201c\u201d]{1,400})[\u201c\u201d]"
    "|\u00ab([^\u00ab\u00bb]{1,400})\u00bb"
    '|"([^"]{1,400})"'
    "|\u201d([^\u201d]{1,400})\u201d"
    "|(?<!\\w)\u2018((?:[^\u2018\u2019]|\u2019(?=\\w)){1,400})\u2019(?!\\w)"
)
QUOTE_CHARS = frozenset('"\u201c\u201d\u201e\u00ab\u2018')
# Words as the languages read them: letters with their marks (Telugu vowel signs and
# viramas are marks, which Python's ``\w`` leaves out) and joiners.
WORD_RE = regex.compile(
    r"[\p{L}\p{M}\p{N}\u200c\u200d]+(?:['\u2019\-][\p{L}\p{M}\p{N}\u200c\u200d]+)*"
)
SENTENCE_BREAK = re.compile(r"[.!?\u2026]\s")
CLAUSE_BREAK = re.compile(r"[,;()\u2013\u2014]")
LEAD_IN_RE = regex.compile(r"^\s*((?:[\p{L}\p{M}\p{N}\u200c\u200d]+[\s']*){1,4}):(?=\s|$)")


def _words(text: str) -> list[str]:
    return [normalise(w) for w in WORD_RE.findall(text)]


def _has(words: list[str], cues: tuple[tuple[str, ...], ...]) -> bool:
    for cue in cues:
        n = len(cue)
        if any(tuple(words[i : i + n]) == cue for i in range(len(words) - n + 1)):
            return True
    return False


class _Reader:
    """Decides, block by block, which character ranges are words said to a customer."""

    def __init__(self, cues: Cues, extra_headings: list[str]) -> None:
        self.cues = cues
        self.extra_headings = {normalise(h) for h in extra_headings}
        self._script: dict[int, bool] = {}

    def is_script(self, section: Section) -> bool:
        """Whether ``section`` is (inside) a script, and not a list of what not to say."""
        key = id(section)
        if key not in self._script:
            words = _words(section.title)
            title = " ".join(words)
            if words and self.cues.avoid_headings.intersection(words):
                result = False
            elif words and (
                self.cues.script_headings.intersection(words)
                or title in self.extra_headings
                or any(p in title for p in self.cues.script_heading_phrases)
            ):
                result = True
            else:
                result = section.parent is not None and self.is_script(section.parent)
            self._script[key] = result
        return self._script[key]

    def ranges(self, block: Block) -> list[tuple[int, int]]:
        """``(start, end)`` ranges of ``block.text`` said to a customer, in order."""
        text = block.text
        script = self.is_script(block.section)
        quotes = (
            [(m.start() + 1, m.end() - 1) for m in QUOTE_RE.finditer(text)]
            if QUOTE_CHARS.intersection(text)
            else []
        )
        if quotes:
            return self._quoted(text, quotes, script)
        lead_in = LEAD_IN_RE.match(text)
        if lead_in:
            before = _words(lead_in[1])
            if (
                self.cues.lead_ins.intersection(before)
                and not _has(before, self.cues.avoid)
                and not self._someone_else_speaks(before)
            ):
                return [(lead_in.end(), len(text))]
            return []  # a label such as "Customer:" or "Note:": not words to say
        if script:
            # Sentences said in a row are one answer ("No. But I can order it for you.").
            out: list[tuple[int, int]] = []
            joined = False
            for sentence in block.sentences:
                if self._direction(text[sentence.start : sentence.end]):
                    joined = False
                elif joined:
                    out[-1] = (out[-1][0], sentence.end)
                else:
                    out.append((sentence.start, sentence.end))
                    joined = True
            return out
        return []

    def _someone_else_speaks(self, words: list[str]) -> bool:
        """Someone other than the reader speaks: the speech verb is not an instruction.

        Before an imperative speech verb stand only words such as "then" or "you can",
        or an earlier instruction joined by "and" ("Thank the customer and say"); a
        statement ("Staff sometimes say", "Customers call and say", "Kunden kan säga")
        is someone else speaking.
        """
        cues = self.cues
        for index, word in enumerate(words):
            if word in cues.speech:
                before = words[:index]
                joins = [i for i, w in enumerate(before) if w in cues.coordinators]
                head, tail = (
                    (before[: joins[-1]], before[joins[-1] + 1 :]) if joins else ([], before)
                )
                if not all(w in cues.preface for w in tail):
                    return True
                return bool(head) and (head[0] in cues.subjects or head[0] in cues.starters)
        # No speech verb: a label such as "Customer:" or "The caller:" names the speaker.
        return bool(words) and (
            words[0] in cues.subjects
            or (words[0] in cues.starters and bool(cues.subjects.intersection(words)))
        )

    def _direction(self, sentence: str) -> bool:
        """A sentence in a script that is a direction to staff, not words to say."""
        words = _words(sentence)
        if self.cues.subjects.intersection(words):
            return True  # speaks of the customer: "Wait for the customer to answer."
        speech = self.cues.speech | self.cues.lead_ins
        return _has(words, self.cues.avoid) and bool(speech.intersection(words))

    def _quoted(
        self, text: str, quotes: list[tuple[int, int]], script: bool
    ) -> list[tuple[int, int]]:
        out = []
        said = script
        position = 0
        for index, (start, end) in enumerate(quotes):
            if self.cues.verb_last:
                following = quotes[index + 1][0] - 1 if index + 1 < len(quotes) else len(text)
                said = self._after(text[end + 1 : following], script)
            else:
                said = self._before(text[position : start - 1], said, script)
            if said:
                out.append((start, end))
            position = end + 1
        return out

    def _before(self, gap: str, said: bool, script: bool) -> bool:
        """Whether a quotation is said to the customer, from the text before it."""
        breaks = list(SENTENCE_BREAK.finditer(gap))
        if breaks:
            gap, said = gap[breaks[-1].end() :], script  # a new sentence starts afresh
        clause = CLAUSE_BREAK.split(gap)[-1]
        last = _words(clause)
        everything = _words(gap)
        if _has(last, self.cues.avoid):
            return False
        if any(w in self.cues.speech for w in last):
            return not self._someone_else_speaks(last)
        if clause.rstrip().endswith(":") and last and last[-1] in self.cues.lead_ins:
            return not self._someone_else_speaks(last)
        if _has(everything, self.cues.avoid):
            return False
        if self.cues.subjects.intersection(everything):
            return False
        return said

    def _after(self, gap: str, script: bool) -> bool:
        """Telugu: whether a quotation is said to the customer, from the verb after it."""
        breaks = SENTENCE_BREAK.search(gap)
        words = _words(gap[: breaks.start()] if breaks else gap)
        if _has(words, self.cues.avoid) or self.cues.subjects.intersection(words):
            return False
        if words[:1] == ["అని"] and self.cues.speech.intersection(words):
            return True
        return script and not words


@register
class CustomerLanguage(Rule):
    """Flags words staff say to customers that customers find most frustrating.

    **What it flags:** in what staff say to a customer (a quotation after *Say*, *Säg*,
    *Si* or *అని చెప్పండి*, a *Say:* line, or a script section such as *Call script*,
    *Samtalsmanus* or *కాల్ స్క్రిప్ట్*), phrases such as *"I don't know"*, *"that's
    our policy"*, *"calm down"*, *"not my department"*, or a bare *"No."* with nothing
    offered instead. Instructions to staff are not checked: in *Do not say "calm down"*
    the quotation is the guidance itself, and what the customer says (*Customer: "I don't
    know"*) is not staff wording. An answer that goes on to offer help (*"I don't know
    yet, but I'll find out by noon"*) is not flagged. The phrase lists are in
    ``sop_lint/data/customer/<lang>.tsv``.

    **Why:** these phrases tell the customer that nobody will help, or tell them how to
    feel; the customer hears a closed door and the complaint grows. Words that offer
    help or an alternative solve the same case faster.

    **Instead:** say what you can do: *"Let me find out for you"* for *"I don't know"*,
    *"Jag tar reda på det åt dig"* for *"jag vet inte"*, *"Here is what I can do"* for
    *"that's our policy"*; for a refusal, add the alternative (*"No, but I can order it
    for you"*). The message names wording to use.

    **Options:** ``files``: phrase lists of your own per language (paths relative to the
    config file, same format as the built-in lists), e.g. ``files = {sv =
    "kundsprak-sv.tsv"}``; ``ignore``: phrases not to flag; ``script-headings``: more
    headings that mark a script, per language, e.g. ``script-headings = {en = ["Greeting"]}``.
    """

    code = "W003"
    name = "customer-language"
    severity = Severity.WARNING
    options = {"files": {}, "ignore": [], "script-headings": {}}
    default_scope = ("paragraph", "step", "step-detail")

    def _setup(self, lang: str) -> tuple[dict[str, Phrase], PhraseMatcher | None, _Reader] | None:
        cache = self.__dict__.setdefault("_compiled", {})
        if lang not in cache:
            cues = CUES.get(lang)
            if cues is None:
                cache[lang] = None
                return None
            phrases = dict(builtin_customer_phrases(lang))
            file_name = self.config["files"].get(lang)
            if file_name:
                _path, text = read_phrase_file(self.name, file_name, self.context.root)
                phrases.update(parse_customer_phrases(text, file_name))
            for phrase in self.config["ignore"]:
                key = normalise(phrase.removeprefix("="))
                phrases.pop(key, None)
                phrases.pop("=" + key, None)
            running = [p for p in phrases if not p.startswith("=")]
            matcher = PhraseMatcher(dict.fromkeys(running, "")) if running else None
            headings = self.config["script-headings"].get(lang, [])
            cache[lang] = (phrases, matcher, _Reader(cues, list(headings)))
        return cache[lang]

    def check(self, doc: Document) -> Iterator[Hit]:
        setup = self._setup(doc.language_code)
        if setup is None:
            return
        phrases, matcher, reader = setup
        for block in doc.blocks:
            if block.kind not in self.scope:
                continue
            ranges = reader.ranges(block)
            if not ranges:
                continue
            # Ranges come in order, so one pass over the sentences serves them all: a
            # paragraph with thousands of quotations is read once, not once per quotation.
            sentences = block.sentences
            first = 0
            for start, end in ranges:
                while first < len(sentences) and sentences[first].end <= start:
                    first += 1
                yield from self._range(
                    block, first, start, end, phrases, matcher, reader.cues.offers
                )

    def _range(
        self,
        block: Block,
        first_sentence: int,
        start: int,
        end: int,
        phrases: Mapping[str, Phrase],
        matcher: PhraseMatcher | None,
        offers: tuple[tuple[str, ...], ...],
    ) -> Iterator[Hit]:
        pieces: list[tuple[Sentence, int, int]] = []  # (sentence, first word, past last)
        sentences = block.sentences
        for index in range(first_sentence, len(sentences)):  # no slice: that copies the rest
            sentence = sentences[index]
            if sentence.start >= end:
                break
            spans = sentence.word_spans
            starts = _starts(sentence)
            low = bisect.bisect_left(starts, start)
            high = bisect.bisect_left(starts, end)
            while high > low and spans[high - 1][1] > end:
                high -= 1
            if high > low:
                pieces.append((sentence, low, high))
        if not pieces:
            return
        said = [normalise(w) for s, low, high in pieces for w in s.texts[low:high]]
        offered = _offered_from(said, offers)
        position = 0
        if matcher is not None:
            for sentence, low, high in pieces:
                words = sentence.texts[low:high]
                for first, last in matcher.find([normalise(w) for w in words]):
                    if offered[position + last + 1]:
                        continue  # "I don't know, but I'll find out": help is offered
                    written = " ".join(words[first : last + 1])
                    yield Hit(
                        sentence.word_span(low + first, low + last),
                        _message(written, phrases[normalise(written)]),
                    )
                position += high - low
        # A bare refusal is judged on everything said, and only where it is all that is
        # said: in 'Tell the customer "no" only when...' the quotation is part of the
        # instruction, not an answer.
        whole = phrases.get("=" + " ".join(said))
        if whole is not None and _complete(block.text, end):
            first_sentence_, low, _ = pieces[0]
            last_sentence, _, high = pieces[-1]
            reach = (first_sentence_.word_spans[low][0], last_sentence.word_spans[high - 1][1])
            written = block.text[reach[0] : reach[1]]
            yield Hit(block.span_of(*reach), _message(written, whole))


def _offered_from(words: list[str], offers: tuple[tuple[str, ...], ...]) -> list[bool]:
    """``out[i]``: whether words ``i`` onwards offer something; one pass, from the end."""
    out = [False] * (len(words) + 1)
    for i in range(len(words) - 1, -1, -1):
        out[i] = out[i + 1] or any(tuple(words[i : i + len(o)]) == o for o in offers)
    return out


def _complete(text: str, end: int) -> bool:
    """Whether what is said up to ``end`` is a whole answer, not a word in a sentence."""
    inside = text[:end].rstrip()
    if inside.endswith((".", "!", "?", "\u2026")):
        return True
    after = text[end:].lstrip('\u201d\u201c\u00bb"\u2019 *_')
    return not after or after[0] in ".!?\u2026"


def _starts(sentence: Sentence) -> list[int]:
    """Where each word of ``sentence`` starts (kept in the document's cache)."""
    cache = sentence.block.document.cache
    key = ("word-starts", id(sentence))
    found = cache.get(key)
    if found is None:
        found = cache[key] = [s for s, _ in sentence.word_spans]
    return found


def _message(written: str, phrase: Phrase) -> str:
    return (
        f"Customers find \u201c{written}\u201d frustrating: {phrase.why.rstrip('.')}. "
        f"Offer help or an alternative instead, e.g. \u201c{phrase.instead}\u201d."
    )
