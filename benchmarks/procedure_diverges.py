"""procedure-diverges on real near-duplicate routines: ../shared/corpus/botkyrka-rutiner-sv/.

Botkyrka's care units each keep their own copy of many routines ("Hot och våld - rutin"
in two units, "Återkallelse av matlådor" in three). This runs the rule there and prints
every pair it names, with the similarity, then a sample of 15 pairs at a fixed seed (with
each procedure's first steps) for people to judge: are they versions of one routine?

    PYTHONPATH=. python benchmarks/procedure_diverges.py [corpus folder] [--seed 10] [--lang sv]

Skips cleanly (exit 0, a note) when the shared corpus is not there.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "botkyrka-rutiner-sv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--sample", type=int, default=15)
    parser.add_argument("--jobs", type=int, default=2)
    # The corpus files have no ``lang:``; the procedure heading is recognised per language.
    parser.add_argument("--lang", default="sv", help="language of the corpus (default sv)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"skipped: {args.corpus} is not there (the shared corpus is optional)")
        return 0

    from sop_lint.config import parse_config
    from sop_lint.engine import check_paths
    from sop_lint.rules.consistency import ProcedureDiverges, shingles, similar_pairs

    config = parse_config({"language": args.lang, "select": ["procedure-diverges"]})
    start = time.perf_counter()
    report = check_paths([args.corpus], config, jobs=args.jobs)
    seconds = time.perf_counter() - start
    summaries = [r.summary for r in report.files if r.summary is not None]
    with_steps = [s for s in summaries if len(s.steps) >= ProcedureDiverges.options["min-steps"]]
    print(f"{len(report.files)} files, {len(with_steps)} with a procedure of 3 or more steps")
    print(f"check with procedure-diverges only: {seconds:.1f} s (jobs={args.jobs})")

    # The rule's phase alone, and how many pairs each threshold would name.
    procedures = [(n, shingles(s.steps)) for n, s in enumerate(with_steps)]
    start = time.perf_counter()
    pairs = similar_pairs(procedures, 0.3)
    print(f"cross-document phase: {time.perf_counter() - start:.3f} s")
    for minimum in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        print(f"  pairs at >= {minimum:.0%}: {sum(1 for p in pairs if p[2] >= minimum)}")

    # Each SOP's finding names every alike procedure as a related location
    # ("a procedure 88% alike"): the pairs, once each.
    named: dict[tuple[str, str], int] = {}
    for finding in report.findings:
        if finding.name == "procedure-diverges":
            for other in finding.related:
                percent = int(other.message.split("%", 1)[0].rsplit(" ", 1)[-1])
                first, second = sorted((finding.path, other.path))
                named[(first, second)] = percent
    found = sorted((first, second, percent) for (first, second), percent in named.items())
    print(f"\npairs named by the rule (default min-similarity 0.4): {len(found)}")
    for first, second, percent in sorted(found, key=lambda p: -p[2]):
        print(f"  {percent:3d}%  {_short(first, args.corpus)}  <->  {_short(second, args.corpus)}")

    by_path = {s.path: s for s in summaries}
    sample = random.Random(args.seed).sample(found, min(args.sample, len(found)))
    print(f"\nsample of {len(sample)} pairs for judging (seed {args.seed}):")
    for number, (first, second, percent) in enumerate(sample, 1):
        print(f"\n[{number}] {percent}%")
        for path in (first, second):
            steps = by_path[path].steps
            print(f"  {_short(path, args.corpus)} ({len(steps)} steps)")
            for step in steps[:3]:
                print(f"    - {step[:100]}")
    return 0


def _short(path: str, corpus: Path) -> str:
    marker = corpus.name + "/"
    return path.split(marker, 1)[-1] if marker in path else path


if __name__ == "__main__":
    sys.exit(main())
