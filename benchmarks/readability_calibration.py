"""Readability of real SOPs: the distributions the default thresholds were calibrated on.

For each language of the ``tune`` part of ``../shared/corpus`` (see ``corpus_split.py``),
prints percentiles of the score, of words per sentence and of the word measure (English:
syllables per word; Swedish and Norwegian: % of words with 7+ letters), per section
(level 2 and below) and per document, counting only texts the rules grade (150 words or
more); then how many sections and documents the default thresholds report.

    python benchmarks/readability_calibration.py [--part tune|holdout] [--min-words 150]

Exits 0 with a note when ``../shared/corpus`` is absent.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus_split import DEFAULT_CORPUS, files

from sop_lint import parse_document
from sop_lint.languages.base import Readability
from sop_lint.rules.readability import HardToReadSection, grade, measure

FOLDERS = {
    "vatpac-sops": "en",
    "fedora-releng": "en",
    "botkyrka-rutiner-sv": "sv",
    "digdir-docs-nb": "nb",
}
PERCENTILES = (10, 25, 50, 75, 90, 95)


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, p * len(ordered) // 100)]


def word_measure(reading: Readability) -> float:
    if reading.metric == "flesch":
        return reading.details["syllables"] / reading.words
    return 100 * reading.details["long_words"] / reading.words


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="tune", choices=("tune", "holdout"))
    parser.add_argument("--min-words", type=int, default=150)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"readability_calibration: {args.corpus} is absent; nothing to measure (skipped)")
        return 0
    readings: dict[tuple[str, str], list[Readability]] = {}
    for folder, lang in FOLDERS.items():
        for path in files(args.corpus, args.part, folder):
            doc = parse_document(path.read_text(encoding="utf-8"), str(path), lang)
            texts = [("document", doc.blocks)]
            texts += [("section", s.all_blocks()) for s in doc.sections if s.level >= 2]
            for kind, blocks in texts:
                reading = measure(doc, blocks)
                if reading is not None and reading.words >= args.min_words:
                    readings.setdefault((kind, lang), []).append(reading)
    options = {**HardToReadSection.options, "min-words": args.min_words}
    header = " ".join(f"p{p:<6}" for p in PERCENTILES)
    for (kind, lang), found in sorted(readings.items()):
        reported = sum(1 for r in found if grade(r, options)[0] is not None)
        print(f"\n{lang} {kind}s: {len(found)} graded, {reported} miss the default target")
        print(f"  {'':<20}{header}")
        rows = (
            ("score", [r.score or 0.0 for r in found]),
            ("words/sentence", [r.words_per_sentence for r in found]),
            ("word measure", [word_measure(r) for r in found]),
        )
        for name, values in rows:
            places = 2 if name == "word measure" and lang == "en" else 1
            cells = " ".join(f"{percentile(values, p):<7.{places}f}" for p in PERCENTILES)
            print(f"  {name:<20}{cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
