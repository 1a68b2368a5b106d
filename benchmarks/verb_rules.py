"""How the verb rules do on the labelled SOP sentences in tests/data/verbs/.

Usage: python benchmarks/verb_rules.py [LANG ...] [--show]

Each sentence is checked as a numbered step or as a paragraph, as labelled; prints, per
language and rule, true positives, false positives and false negatives, and with --show
every sentence the rules get wrong.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from sop_lint import check_text

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "verbs"
PROCEDURE = {"en": "Procedure", "sv": "Utförande", "nb": "Fremgangsmåte", "te": "విధానం"}
RULES = (
    "past-tense",
    "future-tense",
    "modal-instead-of-imperative",
    "step-not-imperative",
    "passive-voice",
    "multiple-actions-in-step",
    "step-names-actor",
)
# The labelled step is step 2 of a procedure, after one that instructs (as in the tests).
FIRST_STEP = {
    "en": "Open the till.",
    "sv": "Öppna kassan.",
    "nb": "Åpne kassen.",
    "te": "కౌంటర్ తెరవండి.",
}


def as_markdown(item: dict, lang: str) -> str:
    # Steps stand in the procedure section, where the template says steps belong.
    body = (
        f"## {PROCEDURE[lang]}\n\n1. {FIRST_STEP[lang]}\n2. {item['text']}"
        if item["context"] == "step"
        else item["text"]
    )
    return f"---\nlang: {lang}\n---\n# Test\n\n{body}\n"


def evaluate(lang: str, show: bool) -> Counter:
    counts: Counter = Counter()
    for line in (DATA / f"{lang}.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        found = {f.name for f in check_text(as_markdown(item, lang)) if f.name in RULES}
        expected = set(item["expect"])
        for rule in RULES:
            if rule in found and rule in expected:
                counts[rule, "tp"] += 1
            elif rule in found:
                counts[rule, "fp"] += 1
            elif rule in expected:
                counts[rule, "fn"] += 1
        counts["sentences"] += 1
        counts["exact"] += found == expected
        if show and found != expected:
            print(f"  [{lang} {item['context']}] {item['text']}")
            print(f"      expected {sorted(expected)}  got {sorted(found)}")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("langs", nargs="*", default=["en", "sv", "nb", "te"])
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    for lang in args.langs:
        counts = evaluate(lang, args.show)
        print(f"{lang}: {counts['exact']}/{counts['sentences']} sentences exactly right")
        for rule in RULES:
            tp, fp, fn = (counts[rule, k] for k in ("tp", "fp", "fn"))
            print(f"  {rule:<30} tp {tp:3d}  fp {fp:3d}  fn {fn:3d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
