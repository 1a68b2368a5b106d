"""Language modules, looked up by code or alias (``en``, ``sv``, ``nb``/``no``, ``te``)."""

from __future__ import annotations

import functools

from sop_lint.languages.base import Language, Readability, UnsupportedLanguage
from sop_lint.languages.en import English
from sop_lint.languages.nb import NorwegianBokmal
from sop_lint.languages.sv import Swedish
from sop_lint.languages.te import Telugu

LANGUAGES: dict[str, type[Language]] = {
    cls.code: cls for cls in (English, Swedish, NorwegianBokmal, Telugu)
}
_ALIASES = {alias: cls.code for cls in LANGUAGES.values() for alias in cls.aliases}


def normalise_code(code: str) -> str:
    """``"en-GB"`` -> ``"en"``, ``"no"`` -> ``"nb"``; unknown codes come back lower-cased."""
    key = code.strip().lower().replace("_", "-")
    if key in LANGUAGES:
        return key
    return _ALIASES.get(key, key)


@functools.cache
def get_language(code: str) -> Language | None:
    """The language module for ``code``, or ``None`` when sop-lint does not support it."""
    cls = LANGUAGES.get(normalise_code(code))
    return cls() if cls else None


__all__ = [
    "LANGUAGES",
    "Language",
    "Readability",
    "UnsupportedLanguage",
    "get_language",
    "normalise_code",
]
