"""Config glob matching time: a path of depth n, 2n and 4n against a glob of 40 ``**/x/``
parts, and a glob of n, 2n and 4n parts against a path of depth 40, each with its growth
exponent. Matching linear in each gives exponents near 1; the matcher before issue 9
tried 2**parts combinations.

    python benchmarks/glob_matching.py [--n 40]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sop_lint.config import _glob_match, _glob_matcher


def _case(depth: int, parts: int) -> tuple[str, str]:
    path = "docs/" + "/".join(f"d{i}" for i in range(depth)) + "/rutin.md"
    glob = "docs/" + "".join(f"**/d{i}/" for i in range(0, 2 * parts, 2)) + "nothing.md"
    return path, glob


def _seconds(depth: int, parts: int, repeat: int) -> float:
    path, glob = _case(depth, parts)
    best = math.inf
    for _ in range(repeat):
        _glob_matcher.cache_clear()  # a cold automaton each time: the worst case
        start = time.perf_counter()
        _glob_match(path, glob)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [args.n, 2 * args.n, 4 * args.n]
    for label, make in (
        ("path depth", lambda n: (n, 40)),
        ("'**/' parts", lambda n: (40, n)),
    ):
        times = [_seconds(*make(n), args.repeat) for n in sizes]
        for n, t in zip(sizes, times, strict=True):
            print(f"{label} {n:5d}: {t * 1000:8.2f} ms")
        exponent = math.log(times[2] / times[0]) / math.log(4)
        print(f"{label}: growth exponent (time ~ n^k): k = {exponent:.2f}")


if __name__ == "__main__":
    main()
