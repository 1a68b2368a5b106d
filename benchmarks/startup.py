"""Whole-process start-up of the ``sop-lint`` command (issue 13): ``sop-lint --version``
and ``sop-lint check`` on one small SOP, median of N runs each, against a bare
``python -c pass`` in the same run.

Targets (issue 13): ``--version`` under 0.1 s, one small file under 0.15 s.

    python benchmarks/startup.py [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SMALL_SOP = """---
id: CS-900
version: "1.0"
lang: en
---

# Opening the till

## Purpose

This SOP describes how staff open the till at the start of the day.

## Procedure

1. Count the float with the shift lead.
2. Log in to the till.
3. Write the float on the opening sheet.
"""


def median_seconds(args: list[str], runs: int, cwd: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "opening.md").write_text(SMALL_SOP, encoding="utf-8")
        python = [sys.executable]
        rows = [
            ("python -c pass (the floor)", [*python, "-c", "pass"]),
            ("sop-lint --version", [*python, "-m", "sop_lint", "--version"]),
            (
                "sop-lint check (one small SOP)",
                [*python, "-m", "sop_lint", "check", "--no-cache", "opening.md"],
            ),
        ]
        print(f"median of {runs} runs, whole process, {os.cpu_count()} cores")
        for name, args in rows:
            print(f"  {name:34} {median_seconds(args, runs, root):6.3f} s")


if __name__ == "__main__":
    main()
