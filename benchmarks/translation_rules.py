"""The translation rules (L001-L003) on n, 2n and 4n generated summaries: CPU seconds and
the growth exponent log2(t4n/t2n) (1.0 is linear).

Summaries only, as the engine's cross-document phase sees them: a quarter of the SOPs are
English sources, the rest their sv, nb and te translations; one in five translations is
behind its source, one in seven has a step less, and every tenth family lacks its Telugu
version (the branches file has four branches). Issue 10 asks for the cross-document phase
on 10,000 SOPs under 2 seconds.

    python benchmarks/translation_rules.py [--sizes 5000 10000 20000]
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

from sop_lint.model import DocumentSummary
from sop_lint.rules.base import RunContext
from sop_lint.rules.translations import (
    TranslationMissing,
    TranslationOutdated,
    TranslationStructureDrift,
)

BRANCHES = """\
org: {name: Nordlys Service}
branches:
  - {id: stockholm-city, name: Stockholm City, languages: [sv, en]}
  - {id: oslo-sentrum, name: Oslo Sentrum, languages: [nb, en]}
  - {id: bergen-vest, name: Bergen Vest, languages: [nb]}
  - {id: hyderabad-banjara-hills, name: Hyderabad Banjara Hills, languages: [te, en]}
"""
KEYS = ("purpose", "scope", "roles", "procedure", "deviations", "records", "revision_history")


def summary(path: str, lang: str, meta: dict, steps: int) -> DocumentSummary:
    lines = {i + 2: f"{k}: {v}" for i, (k, v) in enumerate(meta.items())}
    return DocumentSummary(
        path=path,
        language=lang,
        metadata=meta,
        metadata_lines={k: i + 2 for i, k in enumerate(meta)},
        line_count=80,
        suppressions=[],
        lines=lines,
        is_sop=True,
        steps=steps,
        numbered_items=steps,
        section_lines={k: 20 + 5 * i for i, k in enumerate(KEYS)},
    )


def generate(n: int) -> list[DocumentSummary]:
    out = []
    for family in range(n // 4):
        sop_id = f"CS-{family:05d}"
        base = {"id": sop_id, "version": "2.1", "status": "effective", "applies_to": "all"}
        out.append(summary(f"docs/en/{sop_id}.md", "en", {**base, "lang": "en"}, 8))
        for j, lang in enumerate(("sv", "nb", "te")):
            if lang == "te" and family % 10 == 0:
                continue
            follows = "1.3" if (family + j) % 5 == 0 else "2.1"
            steps = 7 if (family + j) % 7 == 0 else 8
            meta = {
                **base,
                "id": f"{sop_id}-{lang}",
                "lang": lang,
                "translation_of": sop_id,
                "source_version": follows,
            }
            out.append(summary(f"docs/{lang}/{sop_id}.md", lang, meta, steps))
    return out


def run(summaries: list[DocumentSummary], context: RunContext) -> tuple[float, int]:
    start = time.process_time()
    found = 0
    for cls in (TranslationOutdated, TranslationStructureDrift, TranslationMissing):
        found += sum(1 for _ in cls(None, context).check_project(summaries))
    return time.process_time() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "branches.yml").write_text(BRANCHES, encoding="utf-8")
        context = RunContext(root=root, sections={"branches": {"file": "branches.yml"}})
        print(f"{'SOPs':>7} {'CPU s':>8} {'findings':>9} {'exponent':>9}")
        previous = None
        for n in args.sizes:
            summaries = generate(n)
            seconds, found = min(run(summaries, context) for _ in range(3))
            exponent = ""
            if previous is not None and previous[1] > 0:
                exponent = f"{math.log(seconds / previous[1]) / math.log(n / previous[0]):.2f}"
            print(f"{len(summaries):>7} {seconds:>8.3f} {found:>9} {exponent:>9}")
            previous = (n, seconds)


if __name__ == "__main__":
    main()
