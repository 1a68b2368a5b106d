"""extra-space (W004) on ``../shared/corpus/``: how many findings per language, and a
fixed-seed sample of 30 per language to judge by hand (issue 11: a whitespace fix must be
right at least nine times in ten on real SOPs).

    python benchmarks/whitespace_rule.py            # counts, precision of the judged sample
    python benchmarks/whitespace_rule.py --show     # also each sampled finding and its line

The verdicts are in ``benchmarks/judged/w004.json`` (path, line, column -> right or
wrong, with a note for the wrong ones), without any corpus text. The corpus has no Telugu;
Telugu is covered by the tests. Exits 0 without ``../shared/corpus``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sop_lint.config import parse_config
from sop_lint.engine import check_paths

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
JUDGED = REPO / "benchmarks" / "judged" / "w004.json"
FOLDERS = {
    "vatpac-sops": "en",
    "fedora-releng": "en",
    "digdir-docs-nb": "nb",
    "botkyrka-rutiner-sv": "sv",
}
SEED = 11
SAMPLE = 30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="print each sampled finding")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0
    judged = json.loads(JUDGED.read_text("utf-8")) if JUDGED.is_file() else {}
    by_lang: dict[str, list] = defaultdict(list)
    for folder, lang in FOLDERS.items():
        config = parse_config({"select": ["W004"], "language": lang}, CORPUS / "sop-lint.toml")
        report = check_paths([CORPUS / folder], config, jobs=1)
        by_lang[lang] += [f for result in report.files for f in result.findings]
    print(f"{'lang':<5}{'findings':>9}{'fixable':>9}{'judged':>8}{'right':>7}{'precision':>11}")
    for lang, findings in by_lang.items():
        random.seed(SEED)
        sample = random.sample(findings, min(SAMPLE, len(findings)))
        right = judged_count = 0
        for finding in sample:
            key = f"{Path(finding.path).relative_to(CORPUS)}:{finding.line}:{finding.column}"
            verdict = judged.get(key)
            if verdict is not None:
                judged_count += 1
                right += verdict["verdict"] == "right"
            if args.show:
                mark = verdict["verdict"] if verdict else "?"
                print(f"  [{mark}] {key} {finding.message}\n      {finding.source_line!r}")
        fixable = sum(f.fix is not None for f in findings)
        precision = f"{right / judged_count:.0%}" if judged_count else "-"
        print(f"{lang:<5}{len(findings):>9}{fixable:>9}{judged_count:>8}{right:>7}{precision:>11}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
