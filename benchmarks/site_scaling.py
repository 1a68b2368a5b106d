"""How `sop-lint site build` grows with the number of SOPs: n, 2n, 4n pages.

Usage: python benchmarks/site_scaling.py [--sizes 125 250 500] [--jobs 2] [--profile N]

Generates a project in a temporary folder for each size: that many SOPs spread over four
languages (en, sv, nb, te; a quarter each) and five category folders, made from a small
template written for this benchmark in each language (each SOP with its own id, title and
a few branch values such as {{ branch.phone }}), one branch that publishes all four
languages, and the repository's mkdocs.yml without its nav. Reads nothing outside the
repository. Each build runs in a fresh process, as the command does.

Prints a table: pages, wall-clock seconds, CPU seconds (the build and its worker
processes: less disturbed by other work on a shared machine), MB of output, and the
growth exponent of each between consecutive sizes (log(ratio) / log(size ratio): 1.0 is
linear, 2.0 is quadratic). Target: at most 1.15 between the two largest sizes.
``--profile N`` instead runs one build of N SOPs in this process under cProfile and
prints the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import pstats
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "sv", "nb", "te")
CATEGORIES = ("customers", "returns", "vehicles", "safety", "premises")

# One short procedure per language: front matter, the usual sections, steps, a table and
# two branch values. {n}, {cat} and {title} are filled per SOP.
TEMPLATES = {
    "en": """\
---
id: BM-{n}
title: {title} {n}
version: "1.0"
status: effective
owner: Branch Manager
effective_date: 2026-03-01
review_due: 2027-03-01
applies_to: all
lang: en
---

# {title} {n}

## Purpose

This SOP explains how staff at {{{{ branch.name }}}} handle {cat} cases in the same way
every time.

## Scope

It applies to all front-line staff. Call {{{{ branch.phone }}}} if you are unsure.

## Procedure

1. Greet the customer and ask for the customer number.
2. Open a new case in `CRM` and note what the customer tells you.
3. Check the case against the checklist below.
4. Tell the customer what happens next and when they hear from us.

| Check | Who |
| --- | --- |
| Customer number | Staff |
| Receipt | Staff |

## Records

Keep the case in `CRM` for two years.
""",
    "sv": """\
---
id: BM-{n}-sv
title: {title} {n}
version: "1.0"
status: effective
owner: Filialchef
effective_date: 2026-03-01
review_due: 2027-03-01
applies_to: all
lang: sv
---

# {title} {n}

## Syfte

Rutinen beskriver hur personalen på {{{{ branch.name }}}} hanterar ärenden om {cat} på
samma sätt varje gång.

## Omfattning

Rutinen gäller all personal i kundmötet. Ring {{{{ branch.phone }}}} om du är osäker.

## Gör så här

1. Hälsa på kunden och fråga efter kundnumret.
2. Öppna ett nytt ärende i `CRM` och skriv ner vad kunden berättar.
3. Gå igenom ärendet med checklistan nedan.
4. Berätta för kunden vad som händer nu och när vi hör av oss.

| Kontroll | Vem |
| --- | --- |
| Kundnummer | Personal |
| Kvitto | Personal |

## Dokumentation

Spara ärendet i `CRM` i två år.
""",
    "nb": """\
---
id: BM-{n}-nb
title: {title} {n}
version: "1.0"
status: effective
owner: Avdelingsleder
effective_date: 2026-03-01
review_due: 2027-03-01
applies_to: all
lang: nb
---

# {title} {n}

## Formål

Rutinen beskriver hvordan de ansatte på {{{{ branch.name }}}} behandler saker om {cat} på
samme måte hver gang.

## Omfang

Rutinen gjelder alle ansatte i kundemøtet. Ring {{{{ branch.phone }}}} hvis du er usikker.

## Slik gjør du

1. Hils på kunden og spør etter kundenummeret.
2. Opprett en ny sak i `CRM` og skriv ned hva kunden forteller.
3. Gå gjennom saken med sjekklisten nedenfor.
4. Fortell kunden hva som skjer nå og når vi tar kontakt.

| Kontroll | Hvem |
| --- | --- |
| Kundenummer | Ansatt |
| Kvittering | Ansatt |

## Dokumentasjon

Lagre saken i `CRM` i to år.
""",
    "te": """\
---
id: BM-{n}-te
title: {title} {n}
version: "1.0"
status: effective
owner: బ్రాంచ్ మేనేజర్
effective_date: 2026-03-01
review_due: 2027-03-01
applies_to: all
lang: te
---

# {title} {n}

## ఉద్దేశ్యం

{{{{ branch.name }}}} సిబ్బంది {cat} కేసులను ప్రతిసారీ ఒకే విధంగా ఎలా నిర్వహించాలో ఈ SOP
వివరిస్తుంది.

## పరిధి

ఇది కస్టమర్లతో పనిచేసే సిబ్బంది అందరికీ వర్తిస్తుంది. సందేహం ఉంటే {{{{ branch.phone }}}} కు కాల్ చేయండి.

## విధానం

1. కస్టమర్‌ను పలకరించి కస్టమర్ నంబర్ అడగండి.
2. `CRM` లో కొత్త కేసు తెరిచి కస్టమర్ చెప్పినది రాయండి.
3. కింది చెక్‌లిస్ట్‌తో కేసును సరిచూడండి.
4. తర్వాత ఏమి జరుగుతుందో కస్టమర్‌కు చెప్పండి.

| తనిఖీ | ఎవరు |
| --- | --- |
| కస్టమర్ నంబర్ | సిబ్బంది |
| రసీదు | సిబ్బంది |

## రికార్డులు

కేసును `CRM` లో రెండు సంవత్సరాలు ఉంచండి.
""",
}
TITLES = {
    "en": "Handling case",
    "sv": "Hantera ärende",
    "nb": "Behandle sak",
    "te": "కేసు నిర్వహణ",
}


def make_project(folder: Path, sops: int) -> None:
    """A project with ``sops`` SOPs over four languages and one branch publishing all."""
    for i in range(sops):
        lang = LANGS[i % len(LANGS)]
        number = f"{i // len(LANGS) + 1:04d}"
        cat = CATEGORIES[(i // len(LANGS)) % len(CATEGORIES)]
        path = folder / "docs" / lang / cat / f"case-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = TEMPLATES[lang].format(n=number, cat=cat, title=TITLES[lang])
        path.write_text(text, "utf-8")
    (folder / "branches.yml").write_text(
        textwrap.dedent(
            """\
            org:
              name: Benchmark Service
            branches:
              - id: stockholm-city
                name: Stockholm City
                languages: [en, sv, nb, te]
                vars:
                  address: "Drottninggatan 71, Stockholm"
                  phone: "08-555 012 30"
                  manager: "Karin Lindqvist"
            """
        ),
        "utf-8",
    )
    mkdocs = (ROOT / "mkdocs.yml").read_text("utf-8")
    mkdocs = mkdocs[: mkdocs.index("\nnav:")] + "\n"
    (folder / "mkdocs.yml").write_text(mkdocs, "utf-8")
    (folder / "pyproject.toml").write_text(
        '[tool.sop-lint]\ndocs = "docs"\n[tool.sop-lint.branches]\nfile = "branches.yml"\n',
        "utf-8",
    )


BUILD = """\
import json, os, resource, sys, time
from pathlib import Path
from sop_lint.config import load_config
from sop_lint.site.build import build_sites
start = time.perf_counter()
report = build_sites(load_config(Path(sys.argv[1])), jobs=int(sys.argv[2]), guide=False)
seconds = time.perf_counter() - start
cpu = sum(getattr(resource.getrusage(who), f) for who in
          (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))
size = sum(os.path.getsize(os.path.join(b, n))
           for b, _d, names in os.walk(report.output) for n in names)
print(json.dumps({"seconds": seconds, "cpu": cpu, "pages": report.pages, "bytes": size,
                  "ok": report.ok, "errors": [o.error for o in report.failed]}))
"""


def build(folder: Path, jobs: int) -> dict:
    """One build in a fresh process: seconds, SOP pages and bytes of output."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", BUILD, str(folder), str(jobs)],
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
    )
    if out.returncode != 0:
        raise SystemExit(f"build failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not result["ok"]:
        raise SystemExit(f"build failed: {result['errors']}")
    return result


def exponent(small: float, large: float, ratio: float) -> float:
    return math.log(large / small) / math.log(ratio)


def profile(sops: int, jobs: int) -> None:
    from sop_lint.config import load_config
    from sop_lint.site.build import build_sites

    with tempfile.TemporaryDirectory(prefix="sop-lint-scaling-") as tmp:
        folder = Path(tmp)
        make_project(folder, sops)
        os.chdir(folder)
        profiler = cProfile.Profile()
        profiler.enable()
        build_sites(load_config(folder), jobs=jobs, guide=False)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[125, 250, 500])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--profile", type=int, metavar="N", help="cProfile one build of N SOPs")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile, 1)
        return 0
    print(f"{args.jobs} processes, {os.cpu_count()} cores; 1 branch, 4 languages")
    print(
        f"{'pages':>6} {'seconds':>8} {'CPU s':>8} {'MB':>7} "
        f"{'exp time':>9} {'exp CPU':>8} {'exp bytes':>10}"
    )
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="sop-lint-scaling-") as tmp:
        for size in args.sizes:
            folder = Path(tmp) / f"n{size}"
            make_project(folder, size)
            result = build(folder, args.jobs)
            line = (
                f"{result['pages']:>6} {result['seconds']:>8.2f} {result['cpu']:>8.2f} "
                f"{result['bytes'] / 1e6:>7.1f}"
            )
            if rows:
                last = rows[-1]
                ratio = result["pages"] / last["pages"]
                line += "".join(
                    f" {exponent(last[key], result[key], ratio):>{width}.2f}"
                    for key, width in (("seconds", 9), ("cpu", 8), ("bytes", 10))
                )
            print(line, flush=True)
            rows.append(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
