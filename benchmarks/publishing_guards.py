"""The publishing guards of issue 9 on inputs of size n, 2n and 4n: seconds and the growth
exponent (1.0 is linear, 2.0 quadratic). Prints figures; it is not a test.

    python benchmarks/publishing_guards.py [--n 20000]

- ``sanitise``: the allow-list (nh3) on the HTML of an SOP full of raw tags;
- ``stripped``: the linter's look at the same raw HTML (rule J005);
- ``J005 code spans``: blanking code spans on a paragraph of backtick runs of every length;
- ``many '<' no '>'``: J005 on text of "<b " with no closing ">" (each "<" looks ahead at
  most MAX_TAG_CHARS);
- ``nesting scan``: the template pre-check on a line of many small tags, and on one tag
  nested n deep;
- ``leftover``: the check that a published page shows no "{{", on n lines.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sop_lint.branching.render import _too_deep, leftover_template
from sop_lint.html_policy import sanitise, stripped
from sop_lint.rules.branches import _prose_only


def seconds(run: Callable[[], object], repeat: int = 3) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


CASES: dict[str, Callable[[int], str]] = {
    "sanitise": lambda n: (
        (
            '<p>Tryck <kbd>Ctrl</kbd> <img src="a.png" onerror="x()"> <script>x()</script>'
            '<a href="javascript:x()">y</a></p>\n'
        )
        * (n // 100)
    ),
    "stripped": lambda n: (
        (
            '<p>Tryck <kbd>Ctrl</kbd> <img src="a.png" onerror="x()"> <script>x()</script>'
            '<a href="javascript:x()">y</a></p>\n'
        )
        * (n // 100)
    ),
    "J005 code spans": lambda n: " ".join("`" * (i % 50 + 1) + "x" for i in range(n // 30)),
    "many '<' no '>'": lambda n: "<b " * (n // 3),
    "nesting scan (many tags)": lambda n: "{{ branch.phone }} " * (n // 19),
    "nesting scan (one deep tag)": lambda n: "{{ " + "(" * (n // 2) + "x" + ")" * (n // 2) + " }}",
    "leftover": lambda n: "Ring {x} och skriv { } i rutan.\n" * (n // 32),
}
RUN: dict[str, Callable[[str], object]] = {
    "sanitise": sanitise,
    "stripped": lambda text: list(stripped(text)),
    "J005 code spans": _prose_only,
    "many '<' no '>'": lambda text: list(stripped(text)),
    "nesting scan (many tags)": _too_deep,
    "nesting scan (one deep tag)": _too_deep,
    "leftover": leftover_template,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="characters in the smallest input")
    args = parser.parse_args()
    print(f"{'case':30} {'n':>9} {'2n':>9} {'4n':>9}  exponent")
    for name, make in CASES.items():
        times = []
        for factor in (1, 2, 4):
            text = make(args.n * factor)
            times.append(seconds(lambda text=text, run=RUN[name]: run(text)))
        exponent = math.log(times[2] / times[0], 4) if times[0] > 0 else float("nan")
        print(
            f"{name:30} {times[0] * 1000:7.1f}ms {times[1] * 1000:7.1f}ms "
            f"{times[2] * 1000:7.1f}ms  {exponent:.2f}"
        )


if __name__ == "__main__":
    main()
