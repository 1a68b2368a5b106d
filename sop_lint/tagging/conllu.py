"""Read CoNLL-U files and turn UD morphology into the tagger's compact tags.

A tag is the UPOS, plus, for ``VERB`` and ``AUX`` only, the verb features the linter needs:

* ``Imp`` when ``Mood=Imp`` (then no VerbForm or Tense): ``VERB|Imp``;
* otherwise ``VerbForm`` then ``Tense`` when present: ``VERB|Fin|Past``, ``AUX|Fin|Pres``,
  ``VERB|Inf``, ``VERB|Part|Past``, ``VERB|Sup`` (Swedish supine), ``VERB|Ger``;
* ``Pass`` last when ``Voice=Pass`` (the Scandinavian s-passive): ``VERB|Fin|Pres|Pass``.

Every other word gets its UPOS alone: ``NOUN``, ``ADJ``, ``PUNCT`` ...
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

VERBAL = frozenset({"VERB", "AUX"})

# A word as sop-lint's tokeniser sees it: letters and digits, with inner apostrophes, hyphens,
# dots, colons and slashes ("don't", "follow-up", "e.g", "08:00"); never punctuation.
SURFACE_WORD_RE = re.compile(r"[^\W_]+(?:['’\-.:/][^\W_]+)*")


class Word(NamedTuple):
    """One syntactic word of a CoNLL-U sentence (multiword-token ranges are skipped)."""

    form: str
    upos: str
    feats: str
    space_after: bool


def parse_feats(feats: str) -> dict[str, str]:
    """``"Mood=Ind|Tense=Past"`` -> ``{"Mood": "Ind", "Tense": "Past"}``; ``"_"`` -> ``{}``."""
    if not feats or feats == "_":
        return {}
    return dict(item.split("=", 1) for item in feats.split("|") if "=" in item)


def ud_tag(upos: str, feats: str | dict[str, str]) -> str:
    """The compact tag of a word with this UPOS and these features."""
    if upos not in VERBAL:
        return upos
    values = parse_feats(feats) if isinstance(feats, str) else feats
    parts = [upos]
    if values.get("Mood") == "Imp":
        parts.append("Imp")
    else:
        if "VerbForm" in values:
            parts.append(values["VerbForm"])
        if "Tense" in values:
            parts.append(values["Tense"])
    if values.get("Voice") == "Pass":
        parts.append("Pass")
    return "|".join(parts)


def read_conllu(lines: Iterable[str]) -> Iterator[list[Word]]:
    """Yield each sentence of CoNLL-U ``lines`` as a list of :class:`Word`.

    Comment lines, multiword-token ranges (``3-4``) and empty nodes (``5.1``) are skipped.
    """
    sentence: list[Word] = []
    range_end = 0  # the last word of the multiword token being read ("It's" = "It" + "'s")
    range_space = True
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip():
            if sentence:
                yield sentence
                sentence = []
            range_end = 0
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 10:
            continue
        space = "SpaceAfter=No" not in cols[9]
        if "-" in cols[0]:
            first, _, last = cols[0].partition("-")
            if first.isdigit() and last.isdigit():
                range_end, range_space = int(last), space
            continue
        if not cols[0].isdigit():
            continue
        number = int(cols[0])
        if number <= range_end:
            space = range_space if number == range_end else False
        sentence.append(Word(cols[1], cols[3], cols[5], space))
    if sentence:
        yield sentence


def read_conllu_file(path: str | Path) -> list[list[Word]]:
    """All sentences of the CoNLL-U file at ``path``."""
    with open(path, encoding="utf-8") as stream:
        return list(read_conllu(stream))


def tagged(sentence: list[Word]) -> list[tuple[str, str]]:
    """``(form, tag)`` for each word of a sentence read by :func:`read_conllu`."""
    return [(word.form, ud_tag(word.upos, word.feats)) for word in sentence]


def surface_words(sentence: list[Word]) -> list[tuple[str, str]]:
    """``(word, tag)`` pairs of a sentence as sop-lint's own tokeniser would split its text.

    The treebank's words are joined back where they were written together ("do" + "n't"
    -> "don't", "follow" + "-" + "up" -> "follow-up") and punctuation is left out. A joined
    word takes the tag of its first verb or auxiliary when it has an apostrophe ("I'll" ->
    the tag of "'ll"), otherwise the tag of its last part.
    """
    text: list[str] = []
    owners: list[int] = []  # for each character of the text, the index of its word
    for index, word in enumerate(sentence):
        text.append(word.form)
        owners.extend([index] * len(word.form))
        if word.space_after:
            text.append(" ")
            owners.append(-1)
    joined = "".join(text)
    result = []
    for match in SURFACE_WORD_RE.finditer(joined):
        parts = sorted({owners[k] for k in range(match.start(), match.end())} - {-1})
        tags = [ud_tag(sentence[k].upos, sentence[k].feats) for k in parts]
        tag = tags[-1]
        if "'" in match.group() or "’" in match.group():
            tag = next((t for t in tags if t.split("|", 1)[0] in VERBAL), tags[0])
        if tag == "PUNCT":
            tag = next((t for t in reversed(tags) if t != "PUNCT"), tag)
        result.append((match.group(), tag))
    return result
