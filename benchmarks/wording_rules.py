"""Time of ``terminology`` and ``customer-language`` alone on texts of n, 2n and 4n units,
each with its growth exponent (time ~ n^k; linear rules give k near 1). The document is
parsed first and only the rule is timed (processor seconds, garbage collection off), so
the parser's own growth on one giant paragraph does not blur the rule's.

Cases: a script section of n lines that each say a listed phrase (every line a finding);
one paragraph of n quotations after "Say" (the quotation scan and the per-range word
lookup); one paragraph of n stray opening quote marks (each looks a bounded distance
ahead); a routine of n sentences that each use a discouraged term, with a glossary of
400 concepts (the glossary lookup is per word, not per concept).

    python benchmarks/wording_rules.py [--n 2000]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gc

from sop_lint import parse_document
from sop_lint.config import parse_config

HEAD = "---\nlang: en\n---\n# Answering the toll-free line\n\n"


def script(n: int) -> str:
    return HEAD + "## Call script\n\n" + "- I don't know, that's not my department.\n" * n


def quotations(n: int) -> str:
    return HEAD + "Say “Let me check that for you,” not “I don't know.” " * n + "\n"


def stray_quotes(n: int) -> str:
    return HEAD + "Say “ the word and “ again " * n + "\n"


def glossary_text(concepts: int) -> str:
    lines = []
    for i in range(concepts):
        lines += [f"concept{i}:", "  en:", f"    use: term{i}", "    avoid:"]
        lines += [f"      variant{i}: term{i}", f"      variants{i}: terms{i}"]
    lines += ["customer:", "  en:", "    use: customer", "    avoid:", "      client: customer"]
    return "\n".join(lines) + "\n"


def terms(n: int) -> str:
    return HEAD + "## Procedure\n\n" + "Give the client the receipt and variant7 the slip. " * n


def _seconds(text: str, config, repeat: int) -> tuple[float, int]:
    best, found = math.inf, 0
    doc = parse_document(text, "bench.md", "en")
    [(rule, _)] = config.rules_for(config.for_file(Path("bench.md")))
    for _ in range(repeat):
        doc.cache.clear()
        gc.collect()
        gc.disable()
        start = time.process_time()
        found = len(list(rule.check(doc)))
        best = min(best, time.process_time() - start)
        gc.enable()
    return best, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [args.n, 2 * args.n, 4 * args.n]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "glossary.yml").write_text(glossary_text(400), encoding="utf-8")
        customer = parse_config({"select": ["customer-language"]})
        glossary = parse_config(
            {"select": ["terminology"], "glossary": "glossary.yml"}, root / "sop-lint.toml"
        )
        cases = (
            ("script lines", script, customer),
            ("quotations", quotations, customer),
            ("stray quote marks", stray_quotes, customer),
            ("glossary terms", terms, glossary),
        )
        for label, make, config in cases:
            times = []
            for n in sizes:
                seconds, found = _seconds(make(n), config, args.repeat)
                times.append(seconds)
                print(f"{label:18} n={n:6d}: {seconds * 1000:9.1f} ms, {found} findings")
            exponent = math.log(times[2] / times[0]) / math.log(4)
            print(f"{label}: growth exponent (time ~ n^k): k = {exponent:.2f}")


if __name__ == "__main__":
    main()
