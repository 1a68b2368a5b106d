"""The result cache on a large SOP set: cold, warm, and warm after changing one file.

Usage: python benchmarks/incremental.py [--copies N] [--corpus DIR] [--jobs N] [--keep DIR]

Copies ``../shared/corpus`` (skips cleanly when it is absent) N times (default 10: about
5,000 files, 5M words) into a temporary folder with a ``sop-lint.toml`` giving each corpus
folder its language, then runs ``sop-lint check`` as a whole process (start-up included):

* cold: an empty cache (every file checked, every result stored);
* warm: nothing changed (every result read from the cache);
* one file changed: a sentence appended to one SOP;
* ``--no-cache``: for comparison with the cold run (what the cache costs to fill).

Prints wall seconds and the ratios to the cold run (issue 11's target: the warm run after
changing one file at most 5% of the cold run). Then, in this process, where a warm run's
time goes: finding the files, reading and hashing them, reading cache entries, the
cross-document rules and writing the findings as text. The processes keep their compiled
modules (``PYTHONDONTWRITEBYTECODE`` is dropped for them), as an installed sop-lint does.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
# The language of each shared corpus folder (files without front matter are English).
LANGUAGES = {"digdir-docs-nb": "nb", "botkyrka-rutiner-sv": "sv"}
TODAY = "2026-06-01"  # fixed: the review-date rules give the same findings every run


def build(corpus: Path, copies: int, into: Path) -> tuple[int, int]:
    """``copies`` copies of ``corpus`` under ``into/docs``; returns (files, words)."""
    docs = into / "docs"
    for n in range(copies):
        shutil.copytree(corpus, docs / f"copy{n:02d}", ignore=shutil.ignore_patterns("*.jsonl"))
    overrides = "".join(
        f'[[overrides]]\npaths = ["docs/*/{folder}/**"]\nlanguage = "{lang}"\n\n'
        for folder, lang in LANGUAGES.items()
    )
    (into / "sop-lint.toml").write_text(f'docs = ["docs"]\n\n{overrides}', encoding="utf-8")
    files = sorted(docs.rglob("*.md"))
    words = sum(len(p.read_text("utf-8", errors="replace").split()) for p in files)
    return len(files), words


def run(folder: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds (its own and its worker processes') of one ``sop-lint check``
    process (report written to a file). CPU seconds vary less with the machine's load."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Compiled modules kept, as an installed sop-lint has them: without, every process
    # compiles sop-lint's modules again (0.15 s), which no user's run does.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "sop_lint", "check", "--today", TODAY, "-o", "report.txt", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode not in (0, 1):
        sys.exit(f"sop-lint failed ({completed.returncode}): {completed.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def _commit_all(folder: Path) -> bool:
    """Make ``folder`` a git repository with everything committed; False without git."""
    if (folder / ".git").exists():
        return True
    if shutil.which("git") is None:
        return False
    (folder / ".gitignore").write_text(".sop-lint-cache/\nreport.txt\n", encoding="utf-8")
    author = ["-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    for command in (["init", "-q"], ["add", "-A"], [*author, "commit", "-q", "-m", "set"]):
        subprocess.run(["git", *command], cwd=folder, check=True, capture_output=True)
    return True


def breakdown(folder: Path) -> None:
    """Where a warm run's time goes, measured in this process."""
    sys.path.insert(0, str(ROOT))
    os.chdir(folder)
    from sop_lint.cache import ResultCache
    from sop_lint.config import load_config
    from sop_lint.engine import MAX_FILE_BYTES, check_project, discover, display_path
    from sop_lint.engine import Report as EngineReport
    from sop_lint.safe_io import read_guarded, remembered_folders

    remembered_folders().__enter__()  # as check_paths does for the length of a run

    t0 = time.perf_counter()
    config = load_config(folder)
    config.today = __import__("datetime").date.fromisoformat(TODAY)
    cache = ResultCache.open(config)
    t1 = time.perf_counter()
    files, _ = discover([folder / "docs"], config)
    t2 = time.perf_counter()
    keys = []
    for path in files:
        data = read_guarded(path, config.root, MAX_FILE_BYTES)
        file_config = config.for_file(path)
        keys.append(cache.entry_key(display_path(path), file_config, data))
    t3 = time.perf_counter()
    results = [cache.load(key) for key in keys]
    t4 = time.perf_counter()
    report = EngineReport(files=[r for r in results if r is not None])
    check_project(report, config)
    t5 = time.perf_counter()
    from sop_lint.formatters import format_report

    format_report(report, "text")
    t6 = time.perf_counter()
    print(f"\nWhere a warm run's time goes ({len(files)} files, in-process):")
    for name, seconds in [
        ("config and run key (package digest, named files)", t1 - t0),
        ("finding the files", t2 - t1),
        ("reading and hashing the files", t3 - t2),
        ("reading cache entries", t4 - t3),
        ("cross-document rules", t5 - t4),
        ("the findings as text", t6 - t5),
    ]:
        print(f"  {name:<52} {seconds:7.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", default="0", help="--jobs for sop-lint (0: one per core)")
    parser.add_argument("--keep", type=Path, help="build the set here and keep it")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"{args.corpus} is absent: skipping (this benchmark needs ../shared/corpus).")
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="sop-lint-incremental-"))
    try:
        if not (folder / "docs").exists():
            folder.mkdir(parents=True, exist_ok=True)
            files, words = build(args.corpus, args.copies, folder)
        else:
            files = len(list((folder / "docs").rglob("*.md")))
            words = 0
        shutil.rmtree(folder / ".sop-lint-cache", ignore_errors=True)
        print(f"{files} files, {words:,} words ({args.copies} copies of {args.corpus})")
        jobs = ("--jobs", args.jobs)
        figures: list[tuple[str, tuple[float, float]]] = []
        figures.append(("cold (empty cache)", run(folder, *jobs)))
        cold_report = (folder / "report.txt").read_bytes()
        figures.append(("warm (nothing changed)", run(folder, *jobs)))
        assert (folder / "report.txt").read_bytes() == cold_report, "warm output differs"
        git = _commit_all(folder)  # --diff-base needs the set in a git repository
        changed = sorted((folder / "docs").rglob("*.md"))[len(figures) * 7 % files]
        with changed.open("a", encoding="utf-8") as handle:
            handle.write("\nCall the service desk when the form is complete.\n")
        figures.append(("warm, one file changed", run(folder, *jobs)))
        if git:
            # The pull-request run: only findings on lines changed since HEAD, warm cache.
            figures.append(("--diff-base, one changed", run(folder, "--diff-base", "HEAD", *jobs)))
        figures.append(("--no-cache", run(folder, "--no-cache", *jobs)))
        cold, cold_cpu = figures[0][1]
        print(f"\n{'run':<28} {'wall s':>8} {'of cold':>8} {'CPU s':>8} {'of cold':>8}")
        for name, (seconds, cpu) in figures:
            print(
                f"{name:<28} {seconds:8.2f} {seconds / cold:8.1%} {cpu:8.2f} {cpu / cold_cpu:8.1%}"
            )
        breakdown(folder)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
