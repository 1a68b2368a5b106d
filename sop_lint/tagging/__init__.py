"""Part-of-speech and verb-form tagging, offline, with models sop-lint trains itself.

Each supported language has a small averaged-perceptron model under
``sop_lint/data/taggers/<lang>.tagger.gz``, trained by ``tools/train_tagger.py`` on Universal
Dependencies treebanks (see ``sop_lint/data/taggers/ATTRIBUTION.md``). Tags are the UPOS plus,
for verbs and auxiliaries, the features that tense, imperative and passive checks need::

    >>> tagger = load_tagger("en")
    >>> tagger.tag(["The", "clerk", "greeted", "the", "customer"])
    ['DET', 'NOUN', 'VERB|Fin|Past', 'DET', 'NOUN']

See :mod:`sop_lint.tagging.conllu` for the tag format.
"""

from __future__ import annotations

import functools
from importlib import resources
from importlib.resources.abc import Traversable

from sop_lint.tagging.conllu import ud_tag
from sop_lint.tagging.perceptron import Tagger, load_model

MODEL_SUFFIX = ".tagger.gz"


def _model_file(lang: str) -> Traversable:
    return resources.files("sop_lint").joinpath("data", "taggers", lang + MODEL_SUFFIX)


def available_languages() -> list[str]:
    """The language codes that have a shipped tagger model."""
    folder = resources.files("sop_lint").joinpath("data", "taggers")
    if not folder.is_dir():
        return []
    return sorted(
        item.name.removesuffix(MODEL_SUFFIX)
        for item in folder.iterdir()
        if item.name.endswith(MODEL_SUFFIX)
    )


@functools.cache
def load_tagger(lang: str) -> Tagger | None:
    """The shipped tagger for ``lang`` (``"en"``, ``"sv"``, ``"nb"``), or ``None`` if none.

    Models are read once per process from the package data and cached.
    """
    if not lang or not lang.replace("-", "").isalnum():
        return None
    path = _model_file(lang.lower())
    if not path.is_file():
        return None
    return load_model(path.read_bytes())


__all__ = ["Tagger", "available_languages", "load_tagger", "ud_tag"]
