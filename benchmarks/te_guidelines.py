"""The verb rules on invented Telugu guideline sentences: precision, recall and rewrites.

Usage: python benchmarks/te_guidelines.py [--set te-guidelines-fresh] [--show]

``benchmarks/data/te-guidelines.jsonl`` holds 177 sentences written for this benchmark in
the style of human-written Telugu guidelines (a shop's returns procedure, a clinic's
hand-washing routine, an office IT guideline, a citizen-service guideline in formal
Telugu), labelled as ``tests/data/verbs/`` is (see its README), by what a careful editor
would change. ``te-guidelines-fresh.jsonl`` holds 45 more (a bank, a school kitchen, a
pharmacy), written after the rules were settled and never tuned on;
``te-guidelines-formal.jsonl`` 20 in the formal register of a pension-distribution
guideline, written last (one rule, on this document's own history, was added after
reading its results). Prints, per rule,
true and false positives, misses, precision and recall, and every rewrite the rules
offer, for judging by eye (``--show`` also lists the sentences it gets wrong).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from verb_rules import RULES, as_markdown  # the same rules and the same procedure as there

from sop_lint import check_text

DATA = Path(__file__).resolve().parent / "data"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list the sentences it gets wrong")
    parser.add_argument(
        "--set",
        default="te-guidelines",
        help="te-guidelines (written while developing), te-guidelines-fresh, te-guidelines-formal",
    )
    args = parser.parse_args()
    counts: Counter = Counter()
    rewrites = []
    for line in (DATA / f"{args.set}.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        findings = [f for f in check_text(as_markdown(item, "te")) if f.name in RULES]
        found = {f.name for f in findings}
        expected = set(item["expect"])
        for rule in RULES:
            kind = {(True, True): "tp", (True, False): "fp", (False, True): "fn"}.get(
                (rule in found, rule in expected)
            )
            if kind:
                counts[rule, kind] += 1
        rewrites += [
            (item["text"], f.name, f.suggestion)
            for f in findings
            if f.suggestion and f.name != "multiple-actions-in-step"
        ]
        if args.show and found != expected:
            print(f"  [{item['context']}] {item['text']}")
            print(f"      expected {sorted(expected)}  got {sorted(found)}")
    print(f"{'rule':30} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>7}")
    for rule in RULES:
        tp, fp, fn = (counts[rule, k] for k in ("tp", "fp", "fn"))
        precision = f"{tp / (tp + fp):.0%}" if tp + fp else "-"
        recall = f"{tp / (tp + fn):.0%}" if tp + fn else "-"
        print(f"{rule:30} {tp:4} {fp:4} {fn:4} {precision:>10} {recall:>7}")
    print(f"\nrewrites offered: {len(rewrites)}")
    for text, rule, message in rewrites:
        print(f"  {rule}: {text}\n      {message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
