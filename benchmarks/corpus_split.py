"""Which corpus files rules may be tuned on, and which are kept aside for final figures.

Rules tuned on a corpus look better on it than they are. Every file of ``../shared/corpus``
falls in one of two parts, by a hash of its path inside the corpus (so the split never
changes and needs no list): about two thirds ``tune`` (look at these while developing a
rule) and one third ``holdout`` (only for the closing precision figures, judged once).

    python benchmarks/corpus_split.py [CORPUS_DIR]   # prints the counts per folder
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
PARTS = ("tune", "holdout")


def part_of(relative_path: str) -> str:
    """``"holdout"`` for about one file in three, ``"tune"`` for the rest.

    ``relative_path`` is the path inside the corpus, with ``/``, such as
    ``"botkyrka-rutiner-sv/some-routine.md"``.
    """
    digest = hashlib.sha256(relative_path.replace("\\", "/").encode("utf-8")).digest()
    return "holdout" if digest[0] % 3 == 0 else "tune"


def files(corpus: Path, part: str | None = None, folder: str | None = None) -> list[Path]:
    """The Markdown files of ``corpus`` (one ``folder`` of it), in ``part`` if given."""
    base = corpus / folder if folder else corpus
    found = []
    for path in sorted(base.rglob("*.md")):
        if path.name == "README.md" and path.parent == corpus:
            continue
        if part is None or part_of(path.relative_to(corpus).as_posix()) == part:
            found.append(path)
    return found


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    if not corpus.is_dir():
        print(f"corpus_split: {corpus} is absent; nothing to split (skipped)")
        return 0
    for folder in sorted(p.name for p in corpus.iterdir() if p.is_dir()):
        counts = {part: len(files(corpus, part, folder)) for part in PARTS}
        print(f"{folder:<24} tune {counts['tune']:>4}   holdout {counts['holdout']:>4}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
