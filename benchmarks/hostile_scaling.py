"""How `sop-lint check` scales on hostile inputs (issue 9, "Stalls and memory").

For every input class the issue names, and the ones its audit added, generate a file at
sizes n, 2n and 4n and run ``check_text`` (every default rule) on it, each in a fresh
process: CPU seconds, wall seconds, peak memory (the resident-memory peak of the check
over what the warmed-up process held before it) and the growth exponent log2(t4n / t2n)
on CPU time (1 is linear, 2 quadratic; more than 1.3 is flagged). CPU time, not wall
time: the development machine is shared.

Then the worst case for one file: each class generated at the SOP size cap (160 KB,
``MAX_FILE_BYTES`` in ``sop_lint/engine.py``; ``--cap`` for another size) and checked by
a whole ``sop-lint check --format json`` process, against the issue's "Done when": no
file over 2 s or 300 MB.

    python benchmarks/hostile_scaling.py            # every class (about 5 minutes)
    python benchmarks/hostile_scaling.py backticks headings --no-cap
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sop_lint.engine import MAX_FILE_BYTES  # noqa: E402

HEAD = {
    "en": "---\nid: CS-001\ntitle: Returns\nlang: en\n---\n\n# Handling a return\n\n",
    "sv": "---\nid: KS-001\ntitle: Retur\nlang: sv\n---\n\n# Hantera en retur\n\n",
    "nb": "---\nid: KS-002\ntitle: Retur\nlang: nb\n---\n\n# Håndtere en retur\n\n",
    "te": "---\nid: KS-003\ntitle: వాపసు\nlang: te\n---\n\n# వాపసు తీసుకోవడం\n\n",
}


def _realistic(n: int) -> str:
    page = (REPO / "docs" / "en" / "product-return.md").read_text("utf-8")
    return page + page.split("---\n", 2)[2] * n


# class -> (language, n, generator of the body for size n). n is chosen so that 4n is
# some hundreds of kilobytes: long enough to time, within the size cap.
CLASSES: dict[str, tuple[str, int, Callable[[int], str]]] = {
    # -- named in the issue
    "backtick run": ("en", 250_000, lambda n: "Scan it " + "`" * n + " now.\n"),
    "backtick runs 1-40": (
        "en",
        10_000,
        lambda n: "Run " + " ".join("`" * (i % 40 + 1) + "ls" for i in range(n)) + ".\n",
    ),
    "unclosed {{ one line": ("en", 12_000, lambda n: "Call " + "{{ branch.phone " * n + "now.\n"),
    "unclosed sop-lint-disable": (
        "en",
        8_000,
        lambda n: "<!-- sop-lint-disable B001 " * n + "\n\nOpen the till.\n",
    ),
    "front-matter keys": ("fm", 20_000, lambda n: "".join(f"k{i:06d}: 1\n" for i in range(n))),
    "te paragraph": ("te", 2_000, lambda n: "తలుపు తెరిచి లోపలికి వెళ్ళండి. దీపం వెలిగించండి. " * n + "\n"),
    "findings one line": (
        "en",
        4_000,
        lambda n: "In order to open the door, utilize the key. " * n + "\n",
    ),
    "distinct headings": (
        "en",
        5_000,
        lambda n: "".join(f"## Extra step {i}\n\nOpen the till.\n\n" for i in range(n)),
    ),
    "same heading": ("en", 5_000, lambda n: "## Extra step\n\nOpen the till.\n\n" * n),
    # -- the audit
    "lines (paragraphs)": ("en", 8_000, lambda n: "Open the door and walk in.\n\n" * n),
    "one line of words": ("en", 40_000, lambda n: "word " * n + "\n"),
    "list items": (
        "en",
        5_000,
        lambda n: "## Procedure\n\n" + "".join(f"{i + 1}. Open door {i}.\n" for i in range(n)),
    ),
    "nesting > depth": ("en", 2_500, lambda n: ">" * n + " Open the till.\n"),
    "nesting list depth": ("en", 2_500, lambda n: "- " * n + "Open the till.\n"),
    "links": (
        "en",
        3_000,
        lambda n: "Open " + " ".join(f"[door {i}](https://example.com/{i})" for i in range(n)),
    ),
    "table rows": ("en", 8_000, lambda n: "| a | b |\n| --- | --- |\n" + "| 1 | x |\n" * n),
    "table columns": ("en", 8_000, lambda n: "|" + " a |" * n + "\n|" + " --- |" * n + "\n"),
    "inline comments": ("en", 8_000, lambda n: "Open " + "<!-- note --> door " * n + ".\n"),
    "unclosed <!--": ("en", 15_000, lambda n: "Open " + "<!-- door " * n + ".\n"),
    "suppression comments": (
        "en",
        4_000,
        lambda n: "".join(
            f"<!-- sop-lint-disable-next-line B001 -->\nOpen {i}.\n\n" for i in range(n)
        ),
    ),
    "sentences one paragraph": ("en", 15_000, lambda n: "Open the door. " * n + "\n"),
    "nb sentences one paragraph": ("nb", 6_000, lambda n: "Åpne døren og gå inn. " * n + "\n"),
    "sv long step sentence": (
        "sv",
        2_000,
        lambda n: "## Utförande\n\n1. " + "Öppna dörren, du ska stänga fönstret, " * n + "gå.\n",
    ),
    "distinct words": (
        "en",
        8_000,
        lambda n: ". ".join(f"Open the door{i:x}" for i in range(n)) + ".\n",
    ),
    "unclosed openers": ("en", 6_000, lambda n: "Open " + "](x `` [[ {% <a " * n + "it.\n"),
    "realistic SOP text": ("raw", 40, _realistic),
}

CAP_BYTES = MAX_FILE_BYTES
FLAG_EXPONENT = 1.3
LIMIT_SECONDS = 2.0
LIMIT_MB = 300.0


def document(name: str, n: int) -> tuple[str, str]:
    """The file text for class ``name`` at size ``n``, and its language."""
    lang, _, make = CLASSES[name]
    if lang == "fm":
        return "---\nid: CS-009\n" + make(n) + "---\n\n# Returns\n\nOpen it.\n", "en"
    if lang == "raw":
        return make(n), "en"
    return HEAD[lang] + make(n), lang


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak() -> float:
    """Start a new peak-memory measurement; return the resident memory now (MB).

    On Linux, writing 5 to ``clear_refs`` resets the high-water mark (VmHWM), so the
    peak of the check alone is seen even after the warm-up loaded the taggers. Elsewhere
    ``ru_maxrss`` is used, which can only under-report the check's own peak.
    """
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
        now = _status_mb("VmRSS")
        if now is not None:
            return now
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_mb() -> float:
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_one(name: str, n: int) -> dict[str, float]:
    """In this process: check class ``name`` at size ``n`` after a warm-up."""
    sys.path.insert(0, str(REPO))
    from sop_lint import check_text

    text, lang = document(name, n)
    check_text(HEAD[lang] + "Open the till. Count the cash.\n", lang=lang, path="warm.md")
    before = _reset_peak()
    wall, cpu = time.perf_counter(), time.process_time()
    findings = check_text(text, lang=lang, path="sop.md")
    return {
        "cpu": time.process_time() - cpu,
        "wall": time.perf_counter() - wall,
        "mb": max(_peak_mb() - before, 0.0),
        "findings": len(findings),
        "bytes": len(text.encode("utf-8")),
    }


def _run_one(name: str, n: int) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, __file__, "--one", name, str(n)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(completed.stdout)


# The command in a child that reports its own peak memory as it exits (ru_maxrss of
# RUSAGE_CHILDREN is the largest child so far, not this one).
_CHILD = """
import atexit, resource, sys
atexit.register(lambda: print("MAXRSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                              file=sys.stderr))
sys.argv = ["sop-lint", "check", sys.argv[1], "--format", "json"]
from sop_lint.cli import main
main()
"""


def whole_process(name: str, size: int) -> dict[str, float]:
    """``sop-lint check --format json`` on class ``name`` grown to about ``size`` bytes."""
    _, n, _ = CLASSES[name]
    text, _ = document(name, n)
    n = max(1, int(n * size / len(text.encode("utf-8"))))
    text, _ = document(name, n)
    while len(text.encode("utf-8")) > size and n > 1:
        n = int(n * 0.95)
        text, _ = document(name, n)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sop.md"
        path.write_text(text, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=600,
            check=False,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = [line for line in completed.stderr.splitlines() if line.startswith("MAXRSS ")]
    mb = int(peak[-1].split()[1]) / 1024 if peak else float("nan")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"bytes": len(text.encode("utf-8")), "cpu": cpu, "wall": wall, "mb": mb}


def _exponent(runs: list[dict[str, float]]) -> float:
    """log2(t4n / t2n) on CPU time: 1 for linear growth, 2 for quadratic."""
    t2, t4 = runs[1]["cpu"], runs[2]["cpu"]
    return math.log2(t4 / t2) if t2 > 0.005 and t4 > 0 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("classes", nargs="*", help="class names (default: all)")
    parser.add_argument("--no-cap", action="store_true", help="skip the whole-process runs")
    parser.add_argument("--cap-only", action="store_true", help="only the whole-process runs")
    parser.add_argument("--cap", type=int, default=CAP_BYTES, help="bytes for the worst case")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]))))
        return
    names = args.classes or list(CLASSES)
    unknown = [name for name in names if name not in CLASSES]
    if unknown:
        sys.exit(f"unknown classes: {unknown}; known: {list(CLASSES)}")
    if not args.cap_only:
        scaling(names)
    if not args.no_cap:
        worst_case(names, args.cap)


def scaling(names: list[str]) -> None:
    """The n, 2n, 4n table."""
    print(
        f"{'class':28} {'n':>7} {'4n KB':>7} {'cpu n/2n/4n s':>18} {'wall 4n':>7} "
        f"{'MB 4n':>6} {'exp':>5}"
    )
    flagged = []
    for name in names:
        _, n, _ = CLASSES[name]
        runs = [_run_one(name, n * k) for k in (1, 2, 4)]
        exponent = _exponent(runs)
        if exponent > FLAG_EXPONENT:
            # On a shared machine one slow run can fake growth: measure again, keep the
            # faster run of each size.
            again = [_run_one(name, n * k) for k in (1, 2, 4)]
            runs = [min(a, b, key=lambda r: r["cpu"]) for a, b in zip(runs, again, strict=True)]
            exponent = _exponent(runs)
        flag = " <-- superlinear" if exponent > FLAG_EXPONENT else ""
        if flag:
            flagged.append(name)
        cpus = "/".join(f"{r['cpu']:.2f}" for r in runs)
        print(
            f"{name:28} {n:>7} {runs[2]['bytes'] / 1024:>7.0f} {cpus:>18} "
            f"{runs[2]['wall']:>7.2f} {runs[2]['mb']:>6.0f} {exponent:>5.2f}{flag}",
            flush=True,
        )
    print(f"\nGrowth exponent over {FLAG_EXPONENT}: {', '.join(flagged) or 'none'}")


def worst_case(names: list[str], cap: int) -> None:
    """Each class at the size cap, through a whole ``sop-lint check`` process."""
    print(f"\nOne file at the size cap ({cap // 1024} KB), whole `sop-lint check` process:")
    print(f"{'class':28} {'KB':>6} {'cpu s':>6} {'wall s':>7} {'peak MB':>8}")
    worst_time = worst_mb = (0.0, "")
    for name in names:
        r = whole_process(name, cap)
        over = " <-- over" if r["cpu"] > LIMIT_SECONDS or r["mb"] > LIMIT_MB else ""
        print(
            f"{name:28} {r['bytes'] / 1024:>6.0f} {r['cpu']:>6.2f} {r['wall']:>7.2f} "
            f"{r['mb']:>8.0f}{over}",
            flush=True,
        )
        worst_time = max(worst_time, (r["cpu"], name))
        worst_mb = max(worst_mb, (r["mb"], name))
    print(
        f"\nWorst: {worst_time[0]:.2f} s CPU ({worst_time[1]}), {worst_mb[0]:.0f} MB "
        f"({worst_mb[1]}); the issue's limit: {LIMIT_SECONDS:.0f} s and {LIMIT_MB:.0f} MB."
    )


if __name__ == "__main__":
    main()
