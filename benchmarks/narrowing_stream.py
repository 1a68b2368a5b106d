"""How soon ``check --diff-base`` and ``check --baseline`` print their first finding.

Copies ``../shared/corpus/`` into a scratch git repository, commits it on ``main``, and on
a branch adds a long sentence to the first SOP in path order and to the last. Then runs
whole ``sop-lint check`` processes (text output to a pipe, no cache, so every file is
checked) and times, from the start of the process:

- the first line of the report on stdout (a finding of the first file, when streaming);
- the end of the run.

``--diff-base main`` shows the two new findings (and what they caused); ``--baseline``
(written before the change) shows the same two as new. ``--compare CHECKOUT`` runs the
same commands with another checkout of sop-lint too (e.g. one from before streaming with
narrowing, where the first line came only at the end).

    PYTHONPATH=. python benchmarks/narrowing_stream.py [--corpus ../shared/corpus]
        [--jobs N] [--compare CHECKOUT]

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


def timed_run(code: Path, root: Path, args: list[str]) -> tuple[float | None, float, int]:
    """(seconds to the first stdout line, seconds to the end, lines) of one check."""
    env = {**os.environ, "PYTHONPATH": str(code), "NO_COLOR": "1"}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "sop_lint", "check", "docs", "--no-cache", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    first = None
    lines = 0
    assert process.stdout is not None
    for _ in process.stdout:
        if first is None:
            first = time.perf_counter() - start
        lines += 1
    process.wait()
    return first, time.perf_counter() - start, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--compare", type=Path, help="another sop-lint checkout to time too")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"{args.corpus} is absent: nothing to measure (this benchmark needs ../shared).")
        return 0
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copytree(args.corpus, root / "docs", ignore=shutil.ignore_patterns("*.jsonl"))
        (root / "sop-lint.toml").write_text('docs = ["docs"]\n', encoding="utf-8")
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "corpus")
        git(root, "checkout", "-q", "-b", "change")
        subprocess.run(
            [sys.executable, "-m", "sop_lint", "baseline", "docs"],
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
            capture_output=True,
        )
        files = sorted((root / "docs").rglob("*.md"))
        for changed in (files[0], files[-1]):
            with changed.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{LONG}\n")
        print(
            f"corpus: {len(files)} files; changed: {files[0].relative_to(root)}, "
            f"{files[-1].relative_to(root)}"
        )
        checkouts = [("this checkout", ROOT)]
        if args.compare:
            checkouts.append((str(args.compare), args.compare.resolve()))
        for options in (["--diff-base", "main"], ["--baseline", ".sop-lint-baseline.json"]):
            for name, code in checkouts:
                first, total, lines = timed_run(code, root, options + jobs)
                shown = f"{first:6.1f} s" if first is not None else "  none"
                share = f"({first / total * 100:3.0f}% of the run)" if first else ""
                print(
                    f"{' '.join(options):<36} {name:<16} first line {shown} {share:<17} "
                    f"end {total:6.1f} s  {lines} lines"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
