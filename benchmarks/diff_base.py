"""What ``--diff-base`` and ``--baseline`` add to a run, on ``../shared/corpus/``.

Copies the corpus into a scratch git repository, commits it on ``main``, changes one file
on a branch (a long sentence added to one SOP) and times, in one process:

- the cold run: ``check_paths`` over every file (what ``check`` costs without a cache);
- ``--diff-base main``: asking git (``rev-parse``, ``merge-base``, ``diff -U0 -M``,
  ``ls-files``) before the run, and narrowing the report after it (checking the changed
  file as it was at the merge base, and the cross-document pass on the set as it was);
- ``--baseline``: writing the baseline for the whole corpus, and splitting a report by it.

The narrowing is what ``--diff-base`` adds on top of a run; with the cache (issue 11, part
C) a re-run after one changed file costs little more than that, so this figure is the
floor of a warm ``--diff-base`` run. Prints seconds and the share of the cold run.

    PYTHONPATH=. python benchmarks/diff_base.py [--corpus ../shared/corpus] [--jobs N]

Exits 0 with a note when ``../shared/corpus`` is absent.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
LONG = (
    "Before you do anything else you walk through the whole place and check every room, "
    "every shelf, every cupboard and the yard for anything that looks wrong, broken, wet or "
    "out of place, and you write down what you find on the sheet for the next shift."
)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"{args.corpus} is absent: nothing to measure (this benchmark needs ../shared).")
        return 0
    sys.path.insert(0, str(ROOT))
    from sop_lint.baseline import Baseline, Narrowing, write
    from sop_lint.config import load_config
    from sop_lint.engine import check_paths

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copytree(args.corpus, root / "docs", ignore=shutil.ignore_patterns("*.jsonl"))
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "corpus")
        git(root, "checkout", "-q", "-b", "change")
        files = sorted((root / "docs").rglob("*.md"))
        changed = files[len(files) // 2]
        with changed.open("a", encoding="utf-8") as handle:
            handle.write(f"\n{LONG}\n")
        os.chdir(root)
        config = load_config(root)
        words = sum(len(f.read_text(encoding="utf-8", errors="replace").split()) for f in files)
        print(f"corpus: {len(files)} files, {words:,} words; changed: {changed.relative_to(root)}")

        start = time.perf_counter()
        report = check_paths([root / "docs"], config, args.jobs or None)
        cold = time.perf_counter() - start
        total = len(report.findings)
        print(f"cold run (check_paths):          {cold:7.2f} s  {total} findings")

        start = time.perf_counter()
        narrowing = Narrowing.prepare(config, "main", None)
        asked = time.perf_counter() - start
        start = time.perf_counter()
        notes = narrowing.apply(report)
        narrowed = time.perf_counter() - start
        shown = len(report.findings)
        share = (asked + narrowed) / cold * 100
        print(f"--diff-base: asking git           {asked:7.2f} s")
        print(f"--diff-base: narrowing the report {narrowed:7.2f} s  {shown} findings shown")
        added = asked + narrowed
        print(f"--diff-base adds                  {added:7.2f} s  = {share:.1f}% of cold")
        print("  " + " / ".join(notes))

        report = check_paths([root / "docs"], config, args.jobs or None)
        start = time.perf_counter()
        count = write(root / ".sop-lint-baseline.json", report.findings)
        wrote = time.perf_counter() - start
        size = (root / ".sop-lint-baseline.json").stat().st_size
        start = time.perf_counter()
        baseline = Baseline.load(root / ".sop-lint-baseline.json", ".sop-lint-baseline.json")
        new = [f for r in report.files for f in baseline.split(r.findings)[0]]
        split = time.perf_counter() - start
        print(f"baseline: writing {count} findings  {wrote:7.2f} s  {size / 1024:.0f} KB")
        print(f"baseline: loading and splitting  {split:7.2f} s  {len(new)} new")
    return 0


if __name__ == "__main__":
    sys.exit(main())
