#!/usr/bin/env python3
"""Accuracy, speed and load time of the shipped taggers.

Usage::

    python benchmarks/tagger_accuracy.py \\
        --dev en=/path/to/en_ewt-ud-dev.conllu \\
        --dev sv=/path/to/sv_talbanken-ud-dev.conllu \\
        --dev nb=/path/to/no_bokmaal-ud-dev.conllu

For each language with a model it reports, on the UD **dev** split:

* token accuracy with the treebank's own tokens (punctuation included);
* token accuracy on the words sop-lint's tokeniser would see (no punctuation, "don't" and
  "follow-up" as one word);
* tense accuracy: the share of finite present and past verbs (gold ``|Fin|Pres`` or
  ``|Fin|Past``) whose tag is exactly right, and precision/recall of ``|Fin|Past``;
* tokens per second and model load time, in CPU time (steadier than wall time on a busy
  machine).

A missing dev file is skipped with a message. When ``../shared/data/tense-dev/<lang>.jsonl``
exists next to the repository it also scores sentence-level tense with a deliberately
simple rule (any ``*|Fin|Past`` tag -> past; a future auxiliary -> future; else present).
This is a diagnostic of the tagger, not the linter's tense rule.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sop_lint.tagging import _model_file, load_tagger  # noqa: E402
from sop_lint.tagging.conllu import (  # noqa: E402
    SURFACE_WORD_RE,
    read_conllu_file,
    surface_words,
    tagged,
)
from sop_lint.tagging.perceptron import Tagger, load_model  # noqa: E402

LANGS = ("en", "sv", "nb")
TENSE_DEV = ROOT.parent / "shared" / "data" / "tense-dev"


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}"


def is_past(tag: str) -> bool:
    return "|Fin|Past" in tag


def load_time(lang: str) -> tuple[float, int]:
    """Seconds to read and build the model from its file, and the file's size."""
    data = _model_file(lang).read_bytes()
    started = time.process_time()
    load_model(data)
    return time.process_time() - started, len(data)


def score_dev(lang: str, tagger: Tagger, path: Path) -> None:
    sentences = read_conllu_file(path)
    for view, pairs in (
        ("treebank tokens", [tagged(s) for s in sentences]),
        ("sop-lint words", [surface_words(s) for s in sentences]),
    ):
        pairs = [p for p in pairs if p]
        words = [[w for w, _ in p] for p in pairs]
        tagger._own.clear()  # measure speed with a cold cache
        started = time.process_time()
        predicted = tagger.tag_sentences(words)
        elapsed = time.process_time() - started
        n = right = upos_right = fin = fin_right = 0
        tp = fp = fn = 0
        for sentence, guesses in zip(pairs, predicted, strict=True):
            for (_, gold), guess in zip(sentence, guesses, strict=True):
                n += 1
                right += gold == guess
                upos_right += gold.split("|")[0] == guess.split("|")[0]
                if "|Fin|Pres" in gold or "|Fin|Past" in gold:
                    fin += 1
                    fin_right += gold == guess
                tp += is_past(gold) and is_past(guess)
                fp += is_past(guess) and not is_past(gold)
                fn += is_past(gold) and not is_past(guess)
        print(
            f"  {view:16} {n:6} tokens  accuracy {right / n:.4f}  UPOS {upos_right / n:.4f}  "
            f"finite tense {fin_right / max(fin, 1):.4f} ({fin})  {n / elapsed:,.0f} tokens/s"
        )
        print(f"  {'':16} token Fin|Past: {prf(tp, fp, fn)}")


FUTURE_AUX = {
    "en": {"will", "shall", "'ll", "wo", "won't", "shan't"},
    "sv": {"ska", "skall"},
    "nb": {"skal", "vil"},
}


def predict_tense(lang: str, words: list[str], tags: list[str]) -> str:
    """past / future / present from tags with a deliberately simple rule."""
    if any(is_past(tag) for tag in tags):
        return "past"
    lows = [w.lower().replace("’", "'") for w in words]
    for i, (low, tag) in enumerate(zip(lows, tags, strict=True)):
        following = tags[i + 1 : i + 4]
        infinitive_follows = any(t.endswith("|Inf") or "|Inf|" in t for t in following)
        if lang == "en":
            if tag.startswith("AUX") and (low in FUTURE_AUX["en"] or low.endswith("'ll")):
                return "future"
            if low == "going" and lows[i + 1 : i + 2] == ["to"] and infinitive_follows:
                return "future"
        elif lang == "sv":
            if low in FUTURE_AUX["sv"] and tag.startswith("AUX"):
                return "future"
            if low == "kommer" and lows[i + 1 : i + 2] == ["att"] and infinitive_follows:
                return "future"
        elif lang == "nb":
            det_vil_si = i > 0 and lows[i - 1 : i + 2] == ["det", "vil", "si"]
            if low in FUTURE_AUX["nb"] and tag.startswith("AUX") and not det_vil_si:
                return "future"
            if low == "kommer" and lows[i + 1 : i + 3] == ["til", "å"]:
                return "future"
    return "present"


def score_tense_dev(lang: str, tagger: Tagger, path: Path) -> None:
    gold_labels, predicted = [], []
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            item = json.loads(line)
            words = SURFACE_WORD_RE.findall(item["text"])
            gold_labels.append(item["label"])
            predicted.append(predict_tense(lang, words, tagger.tag(words)))
    pairs = list(zip(gold_labels, predicted, strict=True))
    accuracy = sum(g == p for g, p in pairs) / len(pairs)
    print(f"  tense-dev {path.name}: {len(pairs)} sentences, 3-way accuracy {accuracy:.3f}")
    if lang == "en":
        name, positive, scored = "not-present vs present", {"past", "future"}, pairs
    else:  # sentences labelled past or present only
        name, positive = "past vs present", {"past"}
        scored = [(g, p) for g, p in pairs if g in ("past", "present")]
    tp = sum(g in positive and p in positive for g, p in scored)
    fp = sum(g not in positive and p in positive for g, p in scored)
    fn = sum(g in positive and p not in positive for g, p in scored)
    print(f"  {name} ({len(scored)} sentences): {prf(tp, fp, fn)}")
    for label in ("past", "future"):
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        print(f"  {label:6} vs rest: {prf(tp, fp, fn)}")
    confusion = Counter(pairs)
    labels = ("past", "future", "present")
    print("  gold \\ predicted  " + "  ".join(f"{lab:>7}" for lab in labels))
    for gold in labels:
        row = "  ".join(f"{confusion[(gold, p)]:7}" for p in labels)
        print(f"  {gold:17} {row}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dev",
        action="append",
        default=[],
        metavar="LANG=PATH",
        help="UD dev split for a language (repeatable)",
    )
    args = parser.parse_args(argv)
    dev = dict(item.split("=", 1) for item in args.dev)
    for lang in LANGS:
        started = time.process_time()
        tagger = load_tagger(lang)
        first = time.process_time() - started
        if tagger is None:
            print(f"{lang}: no model shipped")
            continue
        seconds, size = load_time(lang)
        print(
            f"{lang}: model {size / 1e6:.2f} MB, {len(tagger.tags)} tags; load "
            f"{seconds * 1000:.0f} ms CPU (first load_tagger call {first * 1000:.0f} ms)"
        )
        path = Path(dev[lang]) if lang in dev else None
        if path is None or not path.is_file():
            print(f"  no UD dev split given for {lang} (--dev {lang}=PATH); skipped")
        else:
            score_dev(lang, tagger, path)
        tense = TENSE_DEV / f"{lang}.jsonl"
        if tense.is_file():
            score_tense_dev(lang, tagger, tense)
        else:
            print(f"  {tense} not found; sentence-level tense skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
