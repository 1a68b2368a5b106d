"""A greedy averaged-perceptron tagger in pure Python: training, saving, loading, tagging.

Training follows Collins (2002) as popularised by Honnibal's "A good part-of-speech tagger in
about 200 lines of Python": greedy left-to-right decoding, one perceptron update per wrong
guess, weights averaged over all steps, and a tag dictionary for frequent words that
(almost) always carry the same tag.

Tagging is made fast with one trick: each feature's weights for all tags are packed into one
Python integer, 32 bits per tag. Adding the integers of a word's features adds all the tag
scores at once in C; the scores are then unpacked with :mod:`struct` and the best one taken.
"""

from __future__ import annotations

import gzip
import json
import random
import struct
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import repeat
from pathlib import Path
from typing import Any

from sop_lint.tagging.features import (
    START,
    context_features,
    features,
    normalise,
    padded,
    word_features,
)

MAGIC = b"sop-lint-tagger/1\n"
BITS = 32  # bits per tag in a packed weight vector
MAX_QUANTUM = 1 << 23  # the largest |quantised weight|
BIAS = MAX_QUANTUM  # added to every quantum so packed fields are never negative
# A field holds at most 2 * BIAS per feature: 32 bits leave room for 255 features per word.

Sentence = Sequence[tuple[str, str]]
"""A sentence for training: ``(word, tag)`` pairs."""


class _Perceptron:
    """Averaged perceptron weights while training (floats, one dict per feature)."""

    def __init__(self, n_tags: int) -> None:
        self.n_tags = n_tags
        self.weights: dict[str, dict[int, float]] = {}
        self._totals: dict[tuple[str, int], float] = defaultdict(float)
        self._stamps: dict[tuple[str, int], int] = defaultdict(int)
        self.steps = 0

    def predict(self, feats: Iterable[str]) -> int:
        scores = [0.0] * self.n_tags
        weights = self.weights
        for feat in feats:
            row = weights.get(feat)
            if row:
                for tag, value in row.items():
                    scores[tag] += value
        return scores.index(max(scores))

    def update(self, truth: int, guess: int, feats: Iterable[str]) -> None:
        self.steps += 1
        if truth == guess:
            return
        for feat in feats:
            row = self.weights.setdefault(feat, {})
            self._change(feat, truth, row, 1.0)
            self._change(feat, guess, row, -1.0)

    def _change(self, feat: str, tag: int, row: dict[int, float], delta: float) -> None:
        key = (feat, tag)
        value = row.get(tag, 0.0)
        self._totals[key] += (self.steps - self._stamps[key]) * value
        self._stamps[key] = self.steps
        row[tag] = value + delta

    def averaged(self) -> dict[str, dict[int, float]]:
        """The weights averaged over every training step."""
        steps = max(self.steps, 1)
        result: dict[str, dict[int, float]] = {}
        for feat, row in self.weights.items():
            averaged = {}
            for tag, value in row.items():
                key = (feat, tag)
                total = self._totals[key] + (self.steps - self._stamps[key]) * value
                if total:
                    averaged[tag] = total / steps
            if averaged:
                result[feat] = averaged
        return result


def build_tagdict(
    sentences: Iterable[Sentence], min_count: int = 20, min_share: float = 0.97
) -> dict[str, str]:
    """Words seen at least ``min_count`` times with one tag at least ``min_share`` of the time."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for sentence in sentences:
        for word, tag in sentence:
            counts[normalise(word)][tag] += 1
    tagdict = {}
    for norm, tags in counts.items():
        tag, count = tags.most_common(1)[0]
        total = sum(tags.values())
        if total >= min_count and count / total >= min_share:
            tagdict[norm] = tag
    return tagdict


def train(
    examples: Sequence[Sequence[Sentence]],
    iterations: int = 8,
    seed: int = 1,
    prune: float = 0.0,
    log: Any = None,
) -> dict[str, Any]:
    """Train a model and return it as a JSON-ready dict (see :func:`save_model`).

    ``examples`` holds, for each training sentence, one or more alternative tokenisations of
    it (for example with and without punctuation); each iteration picks one at random.
    The smallest ``prune`` share of the averaged weights (by magnitude) is dropped to keep the
    model small. ``log`` is an optional ``print``-like callable for progress.
    """
    rng = random.Random(seed)
    tag_counts = Counter(tag for ex in examples for word, tag in ex[0])
    tags = [tag for tag, _ in tag_counts.most_common()]
    index = {tag: i for i, tag in enumerate(tags)}
    tagdict = build_tagdict(ex[0] for ex in examples)
    model = _Perceptron(len(tags))
    order = list(range(len(examples)))
    for iteration in range(iterations):
        rng.shuffle(order)
        right = total = 0
        for n in order:
            variants = examples[n]
            sentence = variants[rng.randrange(len(variants))] if len(variants) > 1 else variants[0]
            words = [word for word, _ in sentence]
            norms = [normalise(word) for word in words]
            context = padded(norms)
            prev2, prev = START
            for i, (_, gold) in enumerate(sentence):
                guess = tagdict.get(norms[i])
                if guess is None:
                    feats = features(words, norms, context, i, prev, prev2)
                    guess = tags[model.predict(feats)]
                    model.update(index[gold], index[guess], feats)
                prev2, prev = prev, guess
                right += guess == gold
                total += 1
        if log:
            log(f"iteration {iteration + 1}/{iterations}: {right / max(total, 1):.4f} on train")
    averaged = model.averaged()
    sizes = sorted(abs(value) for row in averaged.values() for value in row.values())
    threshold = sizes[int(prune * len(sizes))] if sizes and 0 < prune < 1 else 0.0
    kept = {
        feat: {tag: value for tag, value in row.items() if abs(value) >= threshold}
        for feat, row in averaged.items()
    }
    kept = {feat: row for feat, row in kept.items() if row}
    largest = max((abs(v) for row in kept.values() for v in row.values()), default=1.0)
    scale = MAX_QUANTUM / largest
    weights: dict[str, list[int]] = {}
    for feat in sorted(kept):
        flat: list[int] = []
        for tag, value in sorted(kept[feat].items()):
            quantum = round(value * scale)
            if quantum:
                flat += [tag, quantum]
        if flat:
            weights[feat] = flat
    return {
        "tags": tags,
        "tagdict": {word: index[tag] for word, tag in sorted(tagdict.items())},
        "weights": weights,
        "meta": {
            "iterations": iterations,
            "seed": seed,
            "pruned_share": prune,
            "pruned_below": threshold,
            "sentences": len(examples),
            "features": len(weights),
        },
    }


def _packed(flat: Sequence[int], n_tags: int) -> int:
    """Sparse ``[tag, quantum, tag, quantum, ...]`` weights as one biased packed integer.

    Field ``i`` (bits ``32 i`` to ``32 i + 31``) holds ``quantum + BIAS`` for tag ``i``, so every
    field is non-negative; the bias adds the same to every tag's score and so never changes
    which tag wins.
    """
    value = _BIASES[n_tags]
    for k in range(0, len(flat), 2):
        value += flat[k + 1] << (BITS * flat[k])
    return value


class _Biases(dict):
    """``n_tags`` -> the packed integer with ``BIAS`` in each of its ``n_tags`` fields."""

    def __missing__(self, n_tags: int) -> int:
        value = sum(BIAS << (BITS * i) for i in range(n_tags))
        self[n_tags] = value
        return value


_BIASES = _Biases()


def save_model(model: dict[str, Any], path: str | Path) -> None:
    """Write a model returned by :func:`train` to ``path`` (gzip; byte-for-byte reproducible).

    Layout before compression: the magic line, a length-prefixed JSON header (tags, tag
    dictionary, metadata), the length-prefixed newline-separated feature names, then for each
    feature its packed weights as ``n_tags`` little-endian unsigned 32-bit fields.
    """
    n_tags = len(model["tags"])
    header = {key: model[key] for key in ("tags", "tagdict", "meta")}
    header_bytes = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    features = sorted(model["weights"])
    feature_bytes = "\n".join(features).encode("utf-8")
    row = n_tags * BITS // 8
    blob = b"".join(
        _packed(model["weights"][feat], n_tags).to_bytes(row, "little") for feat in features
    )
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as stream,
    ):
        stream.write(MAGIC)
        stream.write(struct.pack("<I", len(header_bytes)) + header_bytes)
        stream.write(struct.pack("<I", len(feature_bytes)) + feature_bytes)
        stream.write(blob)


def load_model(data: bytes) -> Tagger:
    """A :class:`Tagger` from the bytes of a file written by :func:`save_model`."""
    raw = gzip.decompress(data)
    if not raw.startswith(MAGIC):
        raise ValueError("not a sop-lint tagger model")
    at = len(MAGIC)
    (size,) = struct.unpack_from("<I", raw, at)
    header = json.loads(raw[at + 4 : at + 4 + size])
    at += 4 + size
    (size,) = struct.unpack_from("<I", raw, at)
    features = raw[at + 4 : at + 4 + size].decode("utf-8").split("\n") if size else []
    at += 4 + size
    tags = header["tags"]
    row = len(tags) * BITS // 8
    if len(raw) - at != row * len(features):
        raise ValueError("truncated sop-lint tagger model")
    view = memoryview(raw)
    from_bytes = int.from_bytes
    weights = {
        feat: from_bytes(view[start : start + row], "little")
        for feat, start in zip(features, range(at, len(raw), row), strict=True)
    }
    tagdict = {word: tags[i] for word, i in header["tagdict"].items()}
    return Tagger(tags, tagdict, weights, header.get("meta"))


class Tagger:
    """Tags tokenised sentences with a trained model.

    >>> tagger.tag(["The", "clerk", "greeted", "the", "customer"])
    ['DET', 'NOUN', 'VERB|Fin|Past', 'DET', 'NOUN']
    """

    _CACHE_LIMIT = 100_000

    def __init__(
        self,
        tags: list[str],
        tagdict: dict[str, str],
        weights: dict[str, int],
        meta: dict[str, Any] | None = None,
    ) -> None:
        """``weights`` maps each feature to its packed weights (see :func:`_packed`)."""
        self.tags = list(tags)
        self.meta: dict[str, Any] = dict(meta or {})
        self._tagdict = tagdict
        self._weights = weights
        self._n_bytes = len(self.tags) * BITS // 8
        self._unpack = struct.Struct(f"<{len(self.tags)}I").unpack
        self._own: dict[str, int] = {}

    @classmethod
    def from_model(cls, model: dict[str, Any]) -> Tagger:
        """A tagger straight from the dict :func:`train` returns (no file needed)."""
        tags = model["tags"]
        weights = {feat: _packed(flat, len(tags)) for feat, flat in model["weights"].items()}
        tagdict = {word: tags[i] for word, i in model["tagdict"].items()}
        return cls(tags, tagdict, weights, model.get("meta"))

    def _own_score(self, word: str, norm: str) -> int:
        """The sum of the packed weights of the word's own features (cached)."""
        score = self._own.get(word)
        if score is None:
            get = self._weights.get
            score = sum(map(get, word_features(word, norm), repeat(0)))
            if len(self._own) >= self._CACHE_LIMIT:
                self._own.clear()
            self._own[word] = score
        return score

    def tag(self, words: list[str]) -> list[str]:
        """One tag per word of a tokenised sentence, e.g. ``"VERB|Fin|Past"`` or ``"NOUN"``.

        Punctuation may be passed as separate tokens or left out.
        """
        norms = [normalise(word) for word in words]
        context = padded(norms)
        tagdict = self._tagdict
        get = self._weights.get
        unpack = self._unpack
        n_bytes = self._n_bytes
        tags = self.tags
        result: list[str] = []
        prev2, prev = START
        for i, word in enumerate(words):
            tag = tagdict.get(norms[i])
            if tag is None:
                score = sum(
                    map(get, context_features(context, i + 2, prev, prev2), repeat(0)),
                    self._own_score(word, norms[i]),
                )
                scores = unpack(score.to_bytes(n_bytes, "little"))
                tag = tags[scores.index(max(scores))]
            result.append(tag)
            prev2, prev = prev, tag
        return result

    def tag_sentences(self, sentences: Iterable[list[str]]) -> list[list[str]]:
        """:meth:`tag` for each sentence."""
        return [self.tag(sentence) for sentence in sentences]
