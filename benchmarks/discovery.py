"""Finding the files a run checks (issue 11, "Input"): ``discover`` on ``../shared/corpus/``
copied n, 2n and 4n times into a scratch git work tree with nested ``.gitignore`` files
and ``exclude`` globs; milliseconds, files per second and the growth exponent, with
``.gitignore`` respected and with it off (``--no-ignore``).

    python benchmarks/discovery.py [--copies 2]

Exits 0 with a note when ``../shared/corpus`` is absent.
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sop_lint.config import parse_config
from sop_lint.engine import discover

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _project(root: Path, copies: int) -> Path:
    """A git work tree holding ``copies`` copies of the corpus under docs/."""
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / ".gitignore").write_text("build/\n*.tmp.md\n", encoding="utf-8")
    for n in range(copies):
        copy = root / "docs" / f"copy-{n}"
        shutil.copytree(CORPUS, copy)
        (copy / ".gitignore").write_text("drafts/\n!keep.tmp.md\n", encoding="utf-8")
    config = root / "sop-lint.toml"
    config.write_text('exclude = ["docs/*/archive/**", "*.old.md"]\n', encoding="utf-8")
    return config


def _best(config_path: Path, folder: Path, ignore: bool, repeat: int) -> tuple[float, int]:
    best, count = math.inf, 0
    for _ in range(repeat):
        config = parse_config(
            {"exclude": ["docs/*/archive/**", "*.old.md"], "respect-gitignore": ignore},
            config_path,
        )
        start = time.perf_counter()
        files, _ = discover([folder], config)
        best = min(best, time.perf_counter() - start)
        count = len(files)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"{CORPUS} is absent: nothing to measure")
        return
    sizes = [args.copies, 2 * args.copies, 4 * args.copies]
    for ignore in (True, False):
        label = ".gitignore respected" if ignore else "--no-ignore"
        times = []
        for copies in sizes:
            with tempfile.TemporaryDirectory() as scratch:
                root = Path(scratch)
                config_path = _project(root, copies)
                seconds, count = _best(config_path, root / "docs", ignore, args.repeat)
            times.append(seconds)
            print(
                f"{label:<22} {copies:>3} copies {count:>6} files {seconds * 1000:8.0f} ms "
                f"{count / seconds:9.0f} files/s"
            )
        k = math.log(times[-1] / times[-2]) / math.log(2)
        print(f"{label}: growth exponent (time ~ files^k) from 2n to 4n: k = {k:.2f}")


if __name__ == "__main__":
    main()
