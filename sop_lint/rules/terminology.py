"""Terminology: one word for one thing, from the organisation's own glossary.

The glossary is a YAML file in the organisation's repository, named in config
(``glossary = "glossary.yml"`` in ``[tool.sop-lint]``). One entry per concept; per
language the preferred term and the words to avoid, each with the preferred term in the
same form::

    customer:
      note: We serve customers, not clients.
      en:
        use: customer
        avoid:
          client: customer
          clients: customers
      sv:
        use: kund
        avoid:
          klient: kund
          klienten: kunden
          klienter: kunder
          klienterna: kunderna
      te:
        use: కస్టమర్
        avoid:
          క్లయింట్: కస్టమర్
        beginnings:
          - క్లయింట్

Explicit pairs are the honest way to rewrite an inflected word: a rewrite is offered only
where the writer said what the form becomes. An ``avoid`` word with no value is flagged
without a rewrite. ``beginnings`` (for Telugu, where case endings join the word) flags any
word that starts with the listed letters at a whole-letter (grapheme) boundary, so
``క్లయింట్‌కు`` is found, and names the preferred term without a rewrite.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
import yaml

from sop_lint.config import ConfigError
from sop_lint.fixes import literal_edit, safe_fix
from sop_lint.languages import get_language, normalise_code
from sop_lint.model import Document, Sentence, Severity
from sop_lint.rules.base import Hit, Rule, register
from sop_lint.rules.wording import PhraseMatcher
from sop_lint.safe_io import RefusedRead, read_guarded_text

MAX_GLOSSARY_BYTES = 2 * 1024 * 1024  # a glossary of thousands of terms is a few hundred KB
LANGUAGE_KEYS = ("use", "avoid", "beginnings")
_GRAPHEME = regex.compile(r"\X")
_JOINERS = "\u200c\u200d"


def normalise(text: str) -> str:
    """The form words are compared in: lower case, one space, curly apostrophes straight,
    and no zero-width joiners (Telugu may be typed with or without them: క్లయింట్‌కు)."""
    return " ".join(text.replace("\u2019", "'").translate(_NO_JOINERS).lower().split())


_NO_JOINERS = str.maketrans("", "", _JOINERS)


def _letters(word: str) -> list[str]:
    """:func:`graphemes` of a word as compared: lower case, joiners kept for the split."""
    return graphemes(" ".join(word.replace("\u2019", "'").lower().split()))


@dataclass(slots=True, frozen=True)
class Variant:
    """A discouraged word (or words) and what to write instead, in one language."""

    written: str  # as the glossary has it
    replacement: str | None  # the preferred term in the same form; None: no rewrite
    preferred: str  # the concept's preferred term in this language (its base form)
    note: str | None  # why, from the glossary entry
    line: int  # where the glossary lists it


@dataclass(slots=True)
class LanguageTerms:
    """Everything the glossary says for one language, ready to match."""

    variants: dict[str, Variant]  # normalised phrase -> variant
    beginnings: list[tuple[list[str], Variant]]  # graphemes of a word beginning -> variant
    matcher: PhraseMatcher | None = None


@dataclass(slots=True)
class Glossary:
    """A parsed glossary: the terms per language code."""

    path: str
    languages: dict[str, LanguageTerms]


class GlossaryError(ConfigError):
    """The glossary file is invalid; the message lists each mistake with its line."""


def graphemes(word: str) -> list[str]:
    """The user-perceived letters of ``word`` (an akshara in Telugu), joiners dropped.

    Splitting at ZWNJ keeps ``క్లయింట్‌కు`` as ``క్లయింట్`` + ``కు``; the joiner itself only
    tells the renderer not to join the letters, so it is no part of either.
    """
    return [g.strip(_JOINERS) for g in _GRAPHEME.findall(word) if g.strip(_JOINERS)]


class _Loader(yaml.SafeLoader):
    """Safe YAML without aliases (no 'billion laughs'); pure Python, so nodes keep marks."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not allowed in the glossary", event.start_mark
            )
        return super().compose_node(parent, index)


def parse_glossary(text: str, path: str = "glossary.yml") -> Glossary:
    """Validate glossary text; :class:`GlossaryError` lists every mistake with its line."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else path
        raise GlossaryError(f"{where}: the glossary is not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise GlossaryError(f"{path}: the glossary is not valid YAML: {exc}") from None
    checker = _Checker(path)
    glossary = checker.glossary(root)
    if checker.problems:
        raise GlossaryError("\n".join(checker.problems))
    for terms in glossary.languages.values():
        terms.matcher = PhraseMatcher(dict.fromkeys(terms.variants, "")) if terms.variants else None
    return glossary


class _Checker:
    """Walks the YAML nodes, collecting every problem with its line (not just the first)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[str] = []
        self.seen: dict[tuple[str, str, str], int] = {}  # (lang, kind, word) -> first line

    def fail(self, node: yaml.Node, message: str) -> None:
        self.problems.append(f"{self.path}:{node.start_mark.line + 1}: {message}")

    def pairs(self, node: yaml.Node, what: str) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be 'name: value' lines, indented under it")
            return []
        out = []
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or not key.value.strip():
                self.fail(key, f"{what}: each name must be plain text")
            else:
                out.append((key, value))
        return out

    def text(self, node: yaml.Node, what: str, allow_empty: bool = False) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"{what} must be a word or words on the same line, not a list")
            return None
        value = " ".join(str(node.value).split())
        if not value and not allow_empty:
            self.fail(node, f"{what} is empty; write the word")
            return None
        return value

    def glossary(self, root: yaml.Node | None) -> Glossary:
        glossary = Glossary(self.path, {})
        if root is None:
            return glossary  # an empty file: nothing to check
        for concept_node, entry in self.pairs(root, "the glossary"):
            concept = concept_node.value
            note = None
            fields = self.pairs(entry, f"'{concept}'")
            for key, value in fields:
                if key.value == "note":
                    note = self.text(value, f"'{concept}' note")
            for key, value in fields:
                if key.value == "note":
                    continue
                code = normalise_code(key.value)
                if get_language(code) is None:
                    self.fail(
                        key,
                        f"'{concept}': '{key.value}' is not a language sop-lint knows; "
                        "use en, sv, nb or te (or 'note' for an explanation)",
                    )
                    continue
                terms = glossary.languages.setdefault(code, LanguageTerms({}, []))
                self.language(concept, code, value, note, terms)
        self.contradictions(glossary)
        return glossary

    def contradictions(self, glossary: Glossary) -> None:
        """A word both to avoid and to write (in any concept) would flag its own rewrite."""
        for code, terms in glossary.languages.items():
            wanted = {normalise(v.preferred) for v in terms.variants.values()}
            wanted |= {normalise(v.replacement) for v in terms.variants.values() if v.replacement}
            wanted |= {normalise(v.preferred) for _, v in terms.beginnings}
            for key, variant in terms.variants.items():
                if key in wanted:
                    self.problems.append(
                        f"{self.path}:{variant.line}: '{variant.written}' ({code}) is listed "
                        "to avoid, but it is also a word the glossary says to write; "
                        "remove one of the two"
                    )

    def language(
        self, concept: str, code: str, node: yaml.Node, note: str | None, terms: LanguageTerms
    ) -> None:
        what = f"'{concept}' ({code})"
        fields: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in self.pairs(node, what):
            if key.value not in LANGUAGE_KEYS:
                close = difflib.get_close_matches(key.value, LANGUAGE_KEYS, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.fail(
                    key, f"{what}: unknown key '{key.value}'; {hint}use {', '.join(LANGUAGE_KEYS)}"
                )
            else:
                fields[key.value] = (key, value)
        if "use" not in fields:
            self.fail(node, f"{what} has no 'use:' line; write the preferred term, e.g. use: ...")
            return
        preferred = self.text(fields["use"][1], f"{what} use")
        if preferred is None:
            return
        if "avoid" in fields:
            for key, value in self.pairs(fields["avoid"][1], f"{what} avoid"):
                self.variant(code, what, key, value, preferred, note, terms)
        if "beginnings" in fields:
            self.beginnings(code, what, fields["beginnings"][1], preferred, note, terms)
        if "avoid" not in fields and "beginnings" not in fields:
            self.fail(node, f"{what} lists nothing to avoid; add 'avoid:' with the words")

    def variant(
        self,
        code: str,
        what: str,
        key: yaml.ScalarNode,
        value: yaml.Node,
        preferred: str,
        note: str | None,
        terms: LanguageTerms,
    ) -> None:
        written = " ".join(key.value.split())
        replacement = self.text(value, f"{what} avoid '{written}'", allow_empty=True)
        if isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null":
            replacement = ""
        if replacement is None:
            return
        if normalise(written) == normalise(replacement):
            self.fail(key, f"{what}: '{written}' is listed to avoid, with itself as replacement")
            return
        if not self._first_time(code, written, key):
            return
        line = key.start_mark.line + 1
        terms.variants[normalise(written)] = Variant(
            written, replacement or None, preferred, note, line
        )

    def beginnings(
        self,
        code: str,
        what: str,
        node: yaml.Node,
        preferred: str,
        note: str | None,
        terms: LanguageTerms,
    ) -> None:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{what} beginnings must be a list, one '- word' a line")
            return
        for item in node.value:
            written = self.text(item, f"{what} beginnings")
            if written is None:
                continue
            if " " in written:
                self.fail(item, f"{what} beginnings: '{written}' is more than one word")
                continue
            if written.startswith(preferred) or preferred.startswith(written):
                # The preferred word would be flagged too.
                self.fail(item, f"{what} beginnings: '{written}' overlaps '{preferred}'")
                continue
            if self._first_time(code, written, item, "beginnings"):
                variant = Variant(written, None, preferred, note, item.start_mark.line + 1)
                terms.beginnings.append((_letters(written), variant))

    def _first_time(self, code: str, written: str, node: yaml.Node, kind: str = "avoid") -> bool:
        key = (code, kind, normalise(written))
        if key in self.seen:
            self.fail(
                node, f"'{written}' ({code}) is listed twice (first on line {self.seen[key]})"
            )
            return False
        self.seen[key] = node.start_mark.line + 1
        return True


def load_glossary(path: Path, root: Path, shown: str) -> Glossary:
    """Read a glossary through the guarded reader; problems are :class:`GlossaryError`."""
    try:
        text = read_guarded_text(path, root, MAX_GLOSSARY_BYTES)
    except RefusedRead as exc:
        raise GlossaryError(
            f"{shown}: cannot read the glossary: {exc}; check 'glossary = ...' in the config"
        ) from None
    return parse_glossary(text, shown)


def same_form(written: str, replacement: str) -> str:
    """``replacement`` in the capitalisation of ``written`` (Clients -> Customers)."""
    letters = [c for c in written if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if written[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _quoted(text: str) -> str:
    return f"\u201c{text}\u201d"


@register
class Terminology(Rule):
    """Flags a word the organisation's glossary says to avoid, naming the preferred term.

    **What it flags:** a discouraged word from the glossary named in config, such as
    *"client"* where the glossary says *"customer"*, *"klienten"* where it says *"kunden"*,
    in headings, paragraphs and steps. Code, link addresses and tables are not prose and
    are not checked (the text of a link is). A word that is part of an identifier
    (*allowed_clients_users*, *client.conf*) is not checked either. A word written with
    a capital letter in the middle of a sentence (*"the Client Portal"*) is taken for a
    name and left alone. Without a glossary the rule is silent.

    **Why:** a reader who meets *"client"* in one SOP and *"customer"* in the next asks
    whether they are different people; one word for one thing keeps every branch and
    every translation doing the same.

    **Instead:** write the preferred term in the same form: the message gives it
    (*"clients"* -> *"customers"*, *"klienterna"* -> *"kunderna"*), keeping a capital at
    the start of a sentence. Where the glossary lists no form for the word, the message
    names the preferred term and leaves the form to you. ``sop-lint check --fix`` writes
    the glossary's form for you where the glossary gives one (not inside quotation marks
    or code).

    **Options:** the glossary file is set at the top of the config, ``glossary =
    "glossary.yml"`` (a path relative to the config file; the format is in the
    configuration guide); ``ignore``: words not to flag; ``scope`` (``["heading",
    "paragraph", "step", "step-detail"]``).
    """

    code = "W002"
    name = "terminology"
    severity = Severity.WARNING
    options = {"ignore": []}
    default_scope = ("heading", "paragraph", "step", "step-detail")
    makes_fixes = True

    def _glossary(self) -> Glossary | None:
        if "_loaded_glossary" not in self.__dict__:
            name = self.context.sections.get("glossary")
            glossary = None
            if name is not None:
                if not isinstance(name, str) or not name.strip():
                    raise ConfigError(
                        "config key 'glossary': expected the path of a glossary file, "
                        f'e.g. glossary = "glossary.yml"; got {name!r}'
                    )
                path = Path(name)
                path = path if path.is_absolute() else self.context.root / path
                glossary = load_glossary(path, self.context.root, name)
                ignored = {normalise(w) for w in self.config["ignore"]}
                for terms in glossary.languages.values():
                    if ignored & terms.variants.keys():
                        for word in ignored:
                            terms.variants.pop(word, None)
                        kept = dict.fromkeys(terms.variants, "")
                        terms.matcher = PhraseMatcher(kept) if kept else None
                    terms.beginnings = [
                        b for b in terms.beginnings if normalise(b[1].written) not in ignored
                    ]
            self.__dict__["_loaded_glossary"] = glossary
        return self.__dict__["_loaded_glossary"]

    def check(self, doc: Document) -> Iterator[Hit]:
        glossary = self._glossary()
        if glossary is None:
            return
        terms = glossary.languages.get(doc.language_code)
        if terms is None or (terms.matcher is None and not terms.beginnings):
            return
        for block in doc.blocks:
            if block.kind not in self.scope:
                continue
            for sentence in block.sentences:
                yield from self._sentence(sentence, terms)

    def _sentence(self, sentence: Sentence, terms: LanguageTerms) -> Iterator[Hit]:
        words = sentence.word_texts()
        normal = [normalise(w) for w in words]
        taken: set[int] = set()
        if terms.matcher is not None:
            for first, last in terms.matcher.find(normal):
                if self._is_name(words, first, last) or self._in_identifier(sentence, first, last):
                    continue
                written = " ".join(words[first : last + 1])
                variant = terms.variants[normalise(written)]
                taken.update(range(first, last + 1))
                yield self._hit(sentence, first, last, written, variant)
        if terms.beginnings:
            for index, word in enumerate(words):
                if index in taken or self._is_name(words, index, index):
                    continue
                if self._in_identifier(sentence, index, index):
                    continue
                letters = _letters(word)
                for beginning, variant in terms.beginnings:
                    if len(letters) > len(beginning) and letters[: len(beginning)] == beginning:
                        yield self._hit(sentence, index, index, word, variant)
                        break

    @staticmethod
    def _in_identifier(sentence: Sentence, first: int, last: int) -> bool:
        """Part of a name written for a computer (``allowed_clients_users``, ``client.conf``)
        that the prose tokeniser split apart: not a word the glossary is about."""
        text = sentence.block.text
        start, end = sentence.word_spans[first][0], sentence.word_spans[last][1]
        before = text[start - 1] if start > 0 else " "
        after = text[end : end + 2]
        return (
            before in "_.@/\\"
            or after[:1] in "_@/\\"
            or (after[:1] == "." and after[1:2].isalnum())
        )

    @staticmethod
    def _is_name(words: list[str], first: int, last: int) -> bool:
        """A capitalised word inside a sentence is a name (a product, a team), not the term."""
        return first > 0 and any(w[:1].isupper() for w in words[first : last + 1])

    @staticmethod
    def _hit(sentence: Sentence, first: int, last: int, written: str, variant: Variant) -> Hit:
        span = sentence.word_span(first, last)
        why = f" ({variant.note.rstrip('.')})" if variant.note else ""
        if variant.replacement is None:
            return Hit(
                span,
                f"The glossary says to write {_quoted(variant.preferred)} instead of "
                f"{_quoted(written)}{why}: use {_quoted(variant.preferred)} in the form "
                "the sentence needs.",
            )
        replacement = same_form(written, variant.replacement)
        start, end = sentence.word_spans[first][0], sentence.word_spans[last][1]
        return Hit(
            span,
            f"Write {_quoted(replacement)} instead of {_quoted(written)}: the glossary "
            f"prefers {_quoted(variant.preferred)}{why}.",
            f"Replace {_quoted(written)} with {_quoted(replacement)}.",
            # The glossary pairs each form with its replacement: safe to apply as written.
            fix=safe_fix(literal_edit(sentence.block, start, end, replacement)),
        )
