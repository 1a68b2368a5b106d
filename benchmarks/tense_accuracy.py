"""Tense detection accuracy on the labelled Universal Dependencies dev sentences.

Usage: python benchmarks/tense_accuracy.py [--data DIR] [--show N]

Reads ``../shared/data/tense-dev/{en,sv,nb}.jsonl`` (sentences from the UD dev splits,
labelled past / future / present from gold morphology; see its README), checks each
sentence as a paragraph with sop-lint's default rules, and prints:

- en: precision, recall and F1 of "not present" (past or future) against present, and the
  recall of future-labelled sentences by the future-tense rule;
- sv, nb: precision, recall and F1 of past against present (future-labelled sentences
  left out), and, for the future-labelled sentences, per trigger word (ska/skall, kommer
  att; skal, vil, kommer til å) how many future-tense reports and how many would be
  reported as modal-instead-of-imperative in a step.

The data is not part of the repository; the script says so and exits 0 when it is absent.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from sop_lint import check_text
from sop_lint.config import parse_config

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "tense-dev"
CONFIG = parse_config({"select": ["past-tense", "future-tense", "modal-instead-of-imperative"]})
PROCEDURE = {"en": "Procedure", "sv": "Utförande", "nb": "Fremgangsmåte"}
TRIGGERS = {
    "sv": (("kommer", "att"), ("skall",), ("ska",)),
    "nb": (("kommer", "til", "å"), ("skal",), ("vil",)),
}


def rules_fired(text: str, lang: str, as_step: bool = False) -> set[str]:
    # A leading "1." would make a Markdown list: escape sentence-initial numbers.
    # A step stands in the procedure section, where the SOP template says steps belong.
    body = f"## {PROCEDURE[lang]}\n\n1. {text}" if as_step else text
    if not as_step and body[:1].isdigit():
        body = "\\" + body if body.split(" ", 1)[0].rstrip(".").isdigit() else body
    markdown = f"---\nlang: {lang}\n---\n{body}\n"
    return {f.name for f in check_text(markdown, config=CONFIG)}


def score(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def trigger_of(text: str, lang: str) -> str:
    words = [w.strip(".,;:!?\"'«»()").lower() for w in text.split()]
    for trigger in TRIGGERS[lang]:
        n = len(trigger)
        if any(tuple(words[i : i + n]) == trigger for i in range(len(words) - n + 1)):
            return " ".join(trigger)
    return "(other)"


def evaluate(path: Path, lang: str, show: int) -> None:
    items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    start = time.perf_counter()
    counts: Counter = Counter()
    triggers: Counter = Counter()
    misses: list[str] = []
    for item in items:
        label, text = item["label"], item["text"]
        fired = rules_fired(text, lang)
        if lang == "en":
            truth = label != "present"
            predicted = bool(fired & {"past-tense", "future-tense"})
            if label == "future":
                counts["future"] += 1
                counts["future_found"] += "future-tense" in fired
        elif label == "future":
            trigger = trigger_of(text, lang)
            triggers[trigger, "n"] += 1
            triggers[trigger, "future-tense"] += "future-tense" in fired
            triggers[trigger, "modal in a step"] += "modal-instead-of-imperative" in rules_fired(
                text, lang, as_step=True
            )
            continue
        else:
            truth = label == "past"
            predicted = "past-tense" in fired
        key = {(True, True): "tp", (False, True): "fp", (True, False): "fn"}.get(
            (truth, predicted), "tn"
        )
        counts[key] += 1
        if key in ("fp", "fn") and len(misses) < show:
            misses.append(f"  {key} [{label}] {text}")
    seconds = time.perf_counter() - start
    precision, recall, f1 = score(counts["tp"], counts["fp"], counts["fn"])
    what = "not present (past or future) vs present" if lang == "en" else "past vs present"
    print(
        f"{lang}: {what}: precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f} "
        f"(tp {counts['tp']}, fp {counts['fp']}, fn {counts['fn']}, tn {counts['tn']}; "
        f"{len(items)} sentences in {seconds:.1f} s)"
    )
    if lang == "en":
        recall_future = counts["future_found"] / counts["future"] if counts["future"] else 0.0
        print(
            f"en: future recall (future-tense rule): {recall_future:.3f} "
            f"({counts['future_found']}/{counts['future']})"
        )
    for trigger in sorted({t for t, _ in triggers}):
        n = triggers[trigger, "n"]
        print(
            f"{lang}: future-labelled with '{trigger}': {n}; reported as future-tense "
            f"{triggers[trigger, 'future-tense']}, as modal-instead-of-imperative in a step "
            f"{triggers[trigger, 'modal in a step']}"
        )
    for line in misses:
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=0, help="print up to N misses per language")
    parser.add_argument("langs", nargs="*", default=["en", "sv", "nb"])
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found (the labelled data is not in the repository)")
        return 0
    for lang in args.langs:
        evaluate(args.data / f"{lang}.jsonl", lang, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
