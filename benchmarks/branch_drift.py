"""The cross-document phase of ``branch-drift`` (J006) on generated summaries: CPU seconds
(of this process: the machine is shared) for n, 2n and 4n SOPs and the growth exponent
(1.0 is linear, 2.0 quadratic). Prints figures; it is not a test.

    python benchmarks/branch_drift.py [--n 10000] [--copies 0.1]

Each SOP has 12 procedure steps with a branch value in one; a share of them (``--copies``)
has a branch's copy with two changed steps and one added, and a few copies are
redundant. Only summaries are used, as after the per-file pass: no file is read. Also
timed: ``copies_of`` (the one stat per standard SOP the per-file pass adds) on n paths.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sop_lint.branching.overrides import copies_of
from sop_lint.model import DocumentSummary
from sop_lint.rules.base import RunContext
from sop_lint.rules.branches import BranchDrift

BRANCHES = "\n".join(
    ["org:", "  name: Nordlys Service", "branches:"]
    + [
        f"  - id: branch-{b:02d}\n    name: Branch {b}\n    languages: [en, sv]\n"
        f'    vars:\n      phone: "08-555 0{b:02d}"'
        for b in range(20)
    ]
)


def seconds(run: Callable[[], object], repeat: int = 3) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def steps(n: int, changed: bool) -> list[tuple[int, str]]:
    out = [
        (20 + k, f"Do part {k} of routine {n}: check the item and log it in the system.")
        for k in range(12)
    ]
    out[5] = (25, f"If you are unsure about routine {n}, call {{{{ branch.phone }}}}.")
    if changed:
        out[2] = (22, f"Do part 2 of routine {n} twice, and ask the shift lead.")
        out[7] = (27, f"Do part 7 of routine {n} with a photo of the item.")
        out.insert(9, (29, f"Weigh the item for routine {n}."))
    return out


def summaries(n: int, share: float) -> list[DocumentSummary]:
    out = []
    every = max(1, round(1 / share)) if share > 0 else 0
    for i in range(n):
        path = f"docs/en/unit-{i % 50:02d}/routine-{i:05d}.md"
        body = f"# Routine {i}\n\nShared text for routine {i}."
        out.append(summary(path, steps(i, False), body))
        if every and i % every == 0:
            copy = f"docs/en/unit-{i % 50:02d}/branches/branch-{i % 20:02d}/routine-{i:05d}.md"
            redundant = i % (every * 10) == 0
            out.append(summary(copy, steps(i, not redundant), body))
    return out


def summary(path: str, step_list: list[tuple[int, str]], body: str) -> DocumentSummary:
    return DocumentSummary(
        path=path,
        language="en",
        metadata={"id": path, "lang": "en"},
        metadata_lines={"id": 2, "lang": 3},
        line_count=60,
        suppressions=[],
        lines={2: f"id: {path}", **{line: text for line, text in step_list}},
        data={"J006": {"steps": step_list, "body": body + " ".join(t for _, t in step_list)}},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--copies", type=float, default=0.1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "branches.yml").write_text(BRANCHES, encoding="utf-8")
        context = RunContext(root=root, sections={"branches": {"file": "branches.yml"}})
        rule = BranchDrift(None, context)
        print(f"branch-drift, cross-document phase; {args.copies:.0%} of SOPs have a copy")
        figures = []
        for n in (args.n, 2 * args.n, 4 * args.n):
            data = summaries(n, args.copies)
            found: list = []
            took = seconds(lambda data=data, found=found: found.extend(rule.check_project(data)))
            figures.append(took)
            print(
                f"  {n:>6} SOPs ({len(data):>6} summaries): {took:6.3f} s"
                f"  {len(found) // 3:>5} findings"
            )
        print(f"  growth exponent: {math.log2(figures[2] / figures[0]) / 2:.2f}")
        paths = [f"{folder}/docs/en/routine-{i:05d}.md" for i in range(args.n)]
        took = seconds(lambda: [copies_of(p) for p in paths])
        print(f"copies_of on {args.n} standard SOPs (no branches/ folder): {took:.3f} s")


if __name__ == "__main__":
    main()
