"""Throughput of `sop-lint check` against a floor that only reads, parses and splits words.

Usage: python benchmarks/throughput.py [CORPUS_DIR ...] [--repeat N] [--compare CHECKOUT]

Default corpus: ../shared/corpus (relative to the repository root); skips cleanly when it
is absent. Each measurement runs in a fresh process, so peak memory (ru_maxrss) is the
process's own and nothing is cached between them. Prints words per second, wall time and
peak memory for the full lint with all default rules (one core, then all cores), and the
floor's time with the same Markdown parser and word splitter. Each corpus folder is linted in
its own language (``LANGUAGES``), as a user would configure it. ``--compare`` also lints with
another checkout of sop-lint (an older commit, say) in the same run, so the two are measured on
the same machine under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def _files(folders: list[Path]) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*.md"))


def floor(folders: list[Path]) -> dict:
    """Read every file, parse it with the same markdown-it setup, split its words."""
    from sop_lint.languages.base import Language
    from sop_lint.parser import markdown_parser

    start, cpu = time.perf_counter(), time.process_time()
    md = markdown_parser()
    split_words = Language().words  # the tokeniser the language modules share
    words = 0
    for path in _files(folders):
        text = path.read_text("utf-8", errors="replace")
        md.parse(text)
        words += len(split_words(text))
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "words": words,
    }


# The language of each shared corpus folder (files without front matter are English).
LANGUAGES = {"digdir-docs-nb": "nb", "botkyrka-rutiner-sv": "sv"}


def lint(folders: list[Path], jobs: int) -> dict:
    """The full `sop-lint check` pipeline with every default rule, output formatted."""
    from sop_lint.config import parse_config
    from sop_lint.engine import check_paths
    from sop_lint.formatters import format_report

    overrides = [
        {"paths": [f"**/{folder}/**"], "language": language}
        for folder, language in LANGUAGES.items()
    ]
    config = parse_config({"overrides": overrides})
    start, cpu = time.perf_counter(), time.process_time()
    report = check_paths(folders, config, jobs=jobs)
    format_report(report, "json")
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,  # this process only: meaningful with jobs=1
        "findings": len(report.findings),
    }


def _child(mode: str, folders: list[Path], jobs: int, checkout: Path = ROOT) -> dict:
    """Run one measurement in a fresh interpreter, with the sop-lint package of
    ``checkout``; return its result and peak memory."""
    code = "\n".join(
        [
            "import importlib.util, json, resource, sys",
            f"sys.path.insert(0, {str(checkout)!r})",
            f"spec = importlib.util.spec_from_file_location('bench', {__file__!r})",
            "bench = importlib.util.module_from_spec(spec); spec.loader.exec_module(bench)",
            "floor, lint = bench.floor, bench.lint",
            "from pathlib import Path",
            f"folders = [Path(p) for p in {[str(f) for f in folders]!r}]",
            f"r = floor(folders) if {mode!r} == 'floor' else lint(folders, {jobs})",
            "r['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024",
            "r['children_peak_mb'] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024",
            "print(json.dumps(r))",
        ]
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    parser.add_argument(
        "--compare", type=Path, help="another sop-lint checkout to measure in the same run"
    )
    args = parser.parse_args()
    folders = args.folders or [DEFAULT_CORPUS]
    missing = [f for f in folders if not f.is_dir()]
    if missing:
        print(f"skipped: corpus not found: {', '.join(map(str, missing))}")
        return 0
    files = _files(folders)
    print(f"corpus: {', '.join(map(str, folders))}: {len(files)} Markdown files")

    def best(mode: str, jobs: int = 1, checkout: Path = ROOT) -> dict:
        runs = [_child(mode, folders, jobs, checkout) for _ in range(args.repeat)]
        return min(runs, key=lambda r: r["seconds"])

    base = best("floor")
    words = base["words"]
    one = best("lint", 1)
    cores = os.cpu_count() or 1
    many = best("lint", cores) if cores > 1 else one
    print(f"words: {words:,}")
    print(
        f"floor (read + markdown-it parse + word split): {base['seconds']:.2f} s wall, "
        f"{base['cpu']:.2f} s CPU, {words / base['seconds']:,.0f} words/s, "
        f"peak {base['peak_mb']:.0f} MB"
    )
    print(
        f"sop-lint check, 1 core:  {one['seconds']:.2f} s wall, {one['cpu']:.2f} s CPU, "
        f"{words / one['seconds']:,.0f} words/s ({words / one['cpu']:,.0f} per CPU second), "
        f"peak {one['peak_mb']:.0f} MB, {one['findings']} findings, "
        f"{one['seconds'] / base['seconds']:.2f}x the floor "
        f"({one['cpu'] / base['cpu']:.2f}x in CPU time)"
    )
    print(
        f"sop-lint check, {cores} cores: {many['seconds']:.2f} s, "
        f"{words / many['seconds']:,.0f} words/s, peak {many['peak_mb']:.0f} MB "
        f"(largest worker {many['children_peak_mb']:.0f} MB), {many['findings']} findings"
    )
    if args.compare:
        other = best("lint", 1, args.compare.resolve())
        print(
            f"{args.compare} (compared), 1 core: {other['seconds']:.2f} s wall, "
            f"{other['cpu']:.2f} s CPU, {words / other['seconds']:,.0f} words/s "
            f"({words / other['cpu']:,.0f} per CPU second), {other['findings']} findings, "
            f"{other['seconds'] / base['seconds']:.2f}x the floor"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
