"""What the verb rules ask of a language: tense, imperatives, modals, passives.

Each language module implements :class:`VerbAnalyser` for its grammar. They share this
machinery: a :class:`Clause` view of a sentence (its words, lower-cased, which words sit in
quotation marks or before a comma, and part-of-speech tags computed only when a rule needs
them), the verb lexicons sop-lint ships, and :class:`VerbUse`, what a rule reports.

Tags come from the averaged-perceptron taggers in :mod:`sop_lint.tagging` (trained on
Universal Dependencies treebanks); the lexicons from Norsk Ordbank, spaCy's Swedish
lemma table and WordNet (see ``sop_lint/data/lexicons/ATTRIBUTION.md``). Tagging is the
expensive step, so analysers look at the words first and tag a sentence only when one of
them could be what they are looking for.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from sop_lint.model import Sentence

OPENING_QUOTES = "“„«‘"
CLOSING_QUOTES = "”»’"


@dataclass(slots=True, frozen=True)
class VerbUse:
    """Words ``first``..``last`` of a sentence that a rule reports, and what to write."""

    first: int
    last: int
    replacement: str | None = None  # e.g. the present form, or the imperative step


@dataclass(slots=True, eq=False)
class Clause:
    """A sentence as the verb analysers see it."""

    words: list[str]
    lower: list[str]
    comma_after: frozenset[int]  # indexes of words followed by , ; or :
    quoted: frozenset[int]  # indexes of words inside quotation marks
    tagger: Callable[[list[str]], list[str]] | None = None
    in_list: bool = False  # a list item: often a fragment ("A helicopter cleared via ...")
    question: bool = False  # ends with "?": "What was the root cause?" asks, not narrates
    step: bool = False  # the first paragraph of a numbered list item: a step
    _tags: list[str] | None = field(default=None, repr=False)

    @property
    def tags(self) -> list[str] | None:
        """Part-of-speech and verb-form tags (``VERB|Fin|Past``...), computed on first use."""
        if self._tags is None and self.tagger is not None:
            self._tags = self.tagger(self.words)
        return self._tags

    def tag(self, index: int) -> str:
        tags = self.tags
        return tags[index] if tags is not None and 0 <= index < len(tags) else ""

    def __len__(self) -> int:
        return len(self.words)

    def text_of(self, first: int, last: int) -> str:
        """Words ``first``..``last - 1`` as written, with their commas: for rewrites."""
        parts = []
        for index in range(first, min(last, len(self.words))):
            parts.append(self.words[index] + ("," if index in self.comma_after else ""))
        return " ".join(parts)

    def rewrite(self, start: int, instruction: str) -> str:
        """``instruction`` as a step, after the leading words (a condition) it had."""
        lead = self.text_of(0, start)
        if lead:
            return capitalise(f"{lead} {instruction[:1].lower()}{instruction[1:]}") + "."
        return capitalise(instruction) + "."

    @classmethod
    def of(cls, sentence: Sentence, tagger: Callable[[list[str]], list[str]] | None) -> Clause:
        text = sentence.block.text
        spans = sentence.word_spans
        words = sentence.texts
        segment = text[sentence.start : sentence.end]
        comma_after: set[int] = set()
        if "," in segment or ";" in segment or ":" in segment:
            ends = [b for _, b in spans]
            for match in _COMMA.finditer(text, sentence.start, sentence.end):
                index = bisect.bisect_right(ends, match.start()) - 1
                if index >= 0:
                    comma_after.add(index)
        quoted: set[int] = set()
        # A quotation may have started in an earlier sentence of the block:
        # "Amended route clearance. Cleared to WAJJ via DN."
        opened = _quote_open_at(sentence) if _first_quote(sentence) < sentence.start else False
        if opened or _QUOTE.search(segment):
            inside = opened
            position = sentence.start
            for index, (start, end) in enumerate(spans):
                # Between words (apostrophes inside words are part of the word), a straight
                # quote toggles, and curly ones open or close: ATC phraseology is often
                # quoted with single quotes.
                for char in text[position:start]:
                    if char in "\"'":
                        inside = not inside
                    elif char in OPENING_QUOTES:
                        inside = True
                    elif char in CLOSING_QUOTES:
                        inside = False
                if inside:
                    quoted.add(index)
                position = end
        return cls(
            words,
            [w.lower() for w in words],
            frozenset(comma_after),
            frozenset(quoted),
            tagger,
            sentence.block.list_item is not None,
            sentence.block.text[sentence.start : sentence.end].rstrip(" *_)\"'”’").endswith("?"),
            sentence.block.kind.value == "step"
            and sentence.block.list_item is not None
            and sentence.block.list_item.list.ordered,
        )


_COMMA = re.compile(r"[,;:]")
_QUOTE = re.compile("[\"'“„«‘”»’]")


def _first_quote(sentence: Sentence) -> int:
    """Where the first quotation mark of the sentence's block is (its length if none).

    Found once per block (kept in the document's cache): a search from the block's start
    for every sentence is quadratic in a long paragraph without quotes.
    """
    cache = sentence.block.document.cache
    key = ("first-quote", id(sentence.block))
    position = cache.get(key)
    if position is None:
        text = sentence.block.text
        match = _QUOTE.search(text)
        position = cache[key] = match.start() if match else len(text)
    return position


def _quote_open_at(sentence: Sentence) -> bool:
    """Whether a quotation is open where ``sentence`` starts, counting quotes between words.

    The scan resumes where the block's previous sentence left it (kept in the document's
    cache), so a block is read once however many sentences it has.
    """
    text, end = sentence.block.text, sentence.start
    cache = sentence.block.document.cache
    key = ("quote-state", id(sentence.block))
    position, inside = cache.get(key, (0, False))
    if position > end:
        position, inside = 0, False
    for index in range(position, end):
        char = text[index]
        if char == '"' or (char == "'" and not _inside_word(text, index)):
            inside = not inside
        elif char in OPENING_QUOTES:
            inside = True
        elif char in CLOSING_QUOTES and not _inside_word(text, index):
            inside = False
    cache[key] = (end, inside)
    return inside


def _inside_word(text: str, index: int) -> bool:
    """An apostrophe between two letters ("don't", "customer’s") is not a quote."""
    return 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()


_PUNCTUATION_RUN = re.compile(r"\s*[,;:]")


def rewrite_keeps_everything(sentence: Sentence, clause: Clause) -> bool:
    """Whether a rewrite built from the clause's words (with their commas) can keep the
    whole sentence as written. Rewrites are made of words, so a sentence with inline code,
    links, brackets, slashes, dashes, quotes or emphasis would lose them ("Log the return
    in." for "The return is logged in `POS`."): such a finding explains without one."""
    block = sentence.block
    first = block.source_offset(sentence.start)
    last = block.source_offset(sentence.end - 1) + 1
    return is_only_words(block.document.source[first:last], clause)


def is_only_words(source: str, clause: Clause) -> bool:
    """Whether ``source``, a sentence as written, is the clause's words and commas."""
    written = _PUNCTUATION_RUN.sub(",", " ".join(source.split())).rstrip(".!?… ")
    return written == clause.text_of(0, len(clause))


def cached_tagger(tag: Callable[[list[str]], list[str]]) -> Callable[[list[str]], list[str]]:
    """``tag`` with a memory: SOP sets repeat sentences (warnings, boilerplate) a lot."""
    cache = functools.lru_cache(maxsize=4096)(lambda words: tag(list(words)))
    return lambda words: cache(tuple(words))


@functools.cache
def verb_lemmas(lang: str) -> dict[str, tuple[str, ...]]:
    """``form -> lemmas`` for the verb forms sop-lint ships for ``lang`` (empty if none).

    A form can belong to more than one verb (Norwegian "lytt": *lytte*, *lyte*).
    """
    resource = resources.files("sop_lint").joinpath("data", "lexicons", f"{lang}-verbs.tsv.gz")
    if not resource.is_file():
        return {}
    table: dict[str, tuple[str, ...]] = {}
    with gzip.open(resource.open("rb"), "rt", encoding="utf-8") as handle:
        for line in handle:
            form, tab, lemmas = line.rstrip("\n").partition("\t")
            if tab:
                table[form] = tuple(lemmas.split("|"))
    return table


@functools.cache
def verb_lexicon(lang: str) -> dict[str, str]:
    """``form -> lemma`` (the first, when a form belongs to several verbs)."""
    return {form: lemmas[0] for form, lemmas in verb_lemmas(lang).items()}


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


class VerbAnalyser:
    """Base: a language without verb analysis reports nothing and never guesses."""

    supported = False

    def warm_up(self) -> None:
        """Load taggers and lexicons now rather than on the first sentence."""

    def may_have(self, finder: str, words: list[str]) -> bool:
        """A cheap first look: False when ``finder`` (past_tense, future_tense) cannot find
        anything among these words, so the sentence needs no closer analysis."""
        return True

    def clause(self, sentence: Sentence) -> Clause:
        return Clause.of(sentence, None)

    def past_tense(self, clause: Clause) -> list[VerbUse]:
        """Finite past-tense verbs (not participles, not present perfect)."""
        return []

    def future_tense(self, clause: Clause) -> list[VerbUse]:
        """Future constructions: will + verb, kommer att + verb, ..."""
        return []

    def modal_obligation(self, clause: Clause) -> list[VerbUse]:
        """A modal that obliges where an imperative would instruct ("should greet")."""
        return []

    def starts_imperative(self, clause: Clause) -> bool | None:
        """Whether the main clause is an instruction; ``None`` when it cannot tell."""
        return None

    def passive_voice(self, clause: Clause) -> list[VerbUse]:
        """Passive constructions in the main clause."""
        return []

    def action_joins(self, clause: Clause) -> list[VerbUse]:
        """Words that join two instructions in one step ("and then")."""
        return []

    def main_clause_start(self, clause: Clause) -> int:
        """Where the main clause starts, after leading adverbs and a leading condition."""
        return 0

    def is_present_form(self, word: str) -> bool:
        """Whether the lexicon knows ``word`` as a verb's present tense (where a weak
        tagger may call it a noun); False when the language cannot tell."""
        return False

    def is_finite_form(self, word: str) -> bool:
        """Whether the lexicon knows ``word`` as a finite verb form: a present tense, or
        a passive for languages that inflect one; False when the language cannot tell."""
        return self.is_present_form(word)
