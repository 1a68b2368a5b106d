"""Which supported language a text is plainly written in, from its function words.

A cheap profile, not a classifier: English, Swedish and Norwegian Bokmål are told apart by
words that only one of the three uses (``the``/``och``/``og``, ``is``/``är``/``er``,
``not``/``inte``/``ikke``), Telugu by its script. Function words make up a large, steady
share of any running text and almost none of code, names or tables, so counting them needs
no tagger and no dictionary, and is fast enough for every file (only the first 12,000
characters of prose are read: about 1,800 words decide as well as a whole long document).

The answer must be decisive or absent (:func:`plain_language` returns ``None``): a short
text, a text with little prose, and a text that mixes two languages (an English SOP quoting
a Swedish sentence) give ``None``. Danish is close enough to Norwegian Bokmål that a text
reading as Norwegian but using Danish spellings (``af``, ``nogle``, ``efter``) is never
claimed for either.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# Words one language of the three uses often and the other two (almost) never do. Words
# shared by two of them ("for", "under", "man", "som", "på", "i", "at", "to") are left
# out: they say nothing about which language a text is in.
_EXCLUSIVE: dict[str, frozenset[str]] = {
    "en": frozenset(
        """the and of is are was were be been this that these those with which what when
        where who how not no you your they their them it its if then than an or from
        will would should must can could have has had do does did into about after before
        there here any each other such only also more some our we us""".split()
    ),
    "sv": frozenset(
        """och att är inte ett till för från också när efter hur vad vilken vilket vilka
        dessa denna detta skall måste utan mellan genom inom sig dig mig jag ni eller
        samt vid hos bara kunna kommer finns ska sådan sådana varje något några alla
        vara blir ska också därför""".split()
    ),
    "nb": frozenset(
        """og ikke er et til fra også når etter hvordan hva hvilken hvilket hvilke disse
        denne dette skal må uten mellom gjennom innen seg deg meg jeg dere eller samt ved
        hos bare kunne kommer finnes noen noe alle være blir derfor hvis slik slike hver
        å""".split()
    ),
}
# Shared between Swedish and Norwegian: drop them from both so each list is exclusive.
_SHARED = _EXCLUSIVE["sv"] & _EXCLUSIVE["nb"]
EXCLUSIVE_WORDS: dict[str, frozenset[str]] = {
    code: words - _SHARED - (_EXCLUSIVE["en"] if code != "en" else frozenset())
    for code, words in _EXCLUSIVE.items()
}
_MARKER_OF = {word: code for code, words in EXCLUSIVE_WORDS.items() for word in words}
# Danish spellings where Bokmål differs: a text with many of them is not claimed as "nb".
# Bokmål writes these "av", "noen", "etter", "mellom", "uten", "gjennom", "blir", "ble",
# "hva", "nå", "meg", "deg", "seg", "oss", "ut", "opp", "ta", "gi", "bli", "tilbake".
DANISH_WORDS = frozenset(
    """af nogle nogen efter mellem uden igennem bliver blev hvad nu mig dig sig os ud op
    tage give giv blive sådan tilbage hjælp""".split()
)

NAMES = {"en": "English", "sv": "Swedish", "nb": "Norwegian Bokmål", "te": "Telugu"}

MIN_WORDS = 40  # fewer words of prose: too little to be sure of anything
MIN_MARKERS = 8  # the winning language's function words must be at least this many
MIN_SHARE = 0.06  # ... and at least this share of all words (code and tables have ~none)
DOMINANCE = 3.0  # ... and this many times the next language's (a quote is not a language)
SAMPLE_CHARACTERS = 2_500  # of prose, from the start (about 400 words): enough to decide
TELUGU_SHARE = 0.6  # share of letters in Telugu script for a text to read as Telugu

_PUNCTUATION = ".,;:!?()[]{}<>\"'`*_“”‘’«»„–—-/|…"
_TELUGU_LETTER = re.compile(r"[\u0C00-\u0C7F]")


@dataclass(frozen=True, slots=True)
class LanguageProfile:
    """What the detector counted in a text, and the language it reads as (or ``None``)."""

    words: int
    markers: dict[str, int]  # language code -> function words of that language
    telugu_letters: int
    other_letters: int  # letters in any other script (Latin, in practice)
    language: str | None


def profile(texts: Iterable[str]) -> LanguageProfile:
    """Count function words and scripts in ``texts`` and decide, or not, on a language."""
    text = _prefix(texts).lower()
    # Splitting on white space and counting distinct tokens keeps this on the fast path:
    # the per-token work below runs once per distinct word, not once per word.
    words = letters = danish = 0
    markers = {"en": 0, "sv": 0, "nb": 0}
    for raw, count in Counter(text.split()).items():
        token = raw.strip(_PUNCTUATION)
        if not token or not token[0].isalpha():
            continue  # numbers, symbols, options such as --force
        words += count
        letters += len(token) * count
        code = _MARKER_OF.get(token)
        if code is not None:
            markers[code] += count
        if token in DANISH_WORDS:
            danish += count
    telugu = len(_TELUGU_LETTER.findall(text)) if _TELUGU_LETTER.search(text) else 0
    other = max(letters - telugu, 0)
    return LanguageProfile(
        words, markers, telugu, other, _decide(words, markers, danish, telugu, other)
    )


def _prefix(texts: Iterable[str]) -> str:
    """The first :data:`SAMPLE_CHARACTERS` of ``texts``: a few hundred words are as telling
    as a whole long document, and cost a fraction of it."""
    parts, size = [], 0
    for text in texts:
        parts.append(text)
        size += len(text) + 1
        if size >= SAMPLE_CHARACTERS:
            break
    return "\n".join(parts)[:SAMPLE_CHARACTERS]


def _decide(
    words: int, markers: dict[str, int], danish: int, telugu: int, latin: int
) -> str | None:
    if words < MIN_WORDS:
        return None
    letters = telugu + latin
    if letters and telugu / letters >= TELUGU_SHARE:
        return "te"
    if letters and telugu / letters > 1 - TELUGU_SHARE:
        return None  # as much Telugu as Latin script: mixed, claim nothing
    ranked = sorted(markers.items(), key=lambda item: item[1], reverse=True)
    (best, count), (_, runner_up) = ranked[0], ranked[1]
    if count < MIN_MARKERS or count / words < MIN_SHARE or count < DOMINANCE * runner_up:
        return None
    if best == "nb" and danish >= 2 and danish * 5 >= count:
        return None  # could as well be Danish: do not claim
    return best


def plain_language(texts: Iterable[str]) -> str | None:
    """The supported language ``texts`` are plainly written in, or ``None`` if not plain."""
    return profile(texts).language
