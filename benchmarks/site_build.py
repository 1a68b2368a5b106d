"""Speed of `sop-lint site build`: 100 SOPs for 1 branch, then for 20 branches.

Usage: python benchmarks/site_build.py [--sops 100] [--branches 1 20] [--jobs 2] [--repeat 1]

Generates a project in a temporary folder: N English SOPs made from the bundled ones
(each with its own id, title and a few branch values such as {{ branch.phone }}), a
branches file with 1 and with 20 branches (every branch publishes every SOP), and the
repository's mkdocs.yml. Each build runs in a fresh process, exactly as the command does
(lint, then one MkDocs build per branch, in --jobs processes). Prints seconds, SOP pages
per second, and the ratio of the largest to the smallest build.

Target: 20 branches in at most 6 times the one-branch time on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITIES = [
    ("stockholm-city", "Stockholm City"),
    ("oslo-sentrum", "Oslo Sentrum"),
    ("bergen-vest", "Bergen Vest"),
    ("goteborg-hamn", "Göteborg Hamn"),
    ("malmo-syd", "Malmö Syd"),
    ("uppsala-centrum", "Uppsala Centrum"),
    ("trondheim-torg", "Trondheim Torg"),
    ("stavanger-havn", "Stavanger Havn"),
    ("hyderabad-banjara-hills", "Hyderabad Banjara Hills"),
    ("london-docklands", "London Docklands"),
    ("vasteras-city", "Västerås City"),
    ("orebro-norr", "Örebro Norr"),
    ("linkoping-ost", "Linköping Öst"),
    ("tromso-sentrum", "Tromsø Sentrum"),
    ("drammen-bro", "Drammen Bro"),
    ("kristiansand-kai", "Kristiansand Kai"),
    ("umea-universitet", "Umeå Universitet"),
    ("lulea-hamn", "Luleå Hamn"),
    ("vijayawada-one-town", "Vijayawada One Town"),
    ("manchester-piccadilly", "Manchester Piccadilly"),
]


def make_project(folder: Path, sops: int, branches: int) -> None:
    """A project with ``sops`` English SOPs and ``branches`` branches."""
    docs = folder / "docs" / "en"
    docs.mkdir(parents=True)
    sources = sorted((ROOT / "docs" / "en").glob("*.md"))
    for i in range(sops):
        text = sources[i % len(sources)].read_text("utf-8")
        number = f"{i + 1:03d}"
        text = re.sub(r"^id: .*$", f"id: BM-{number}", text, count=1, flags=re.M)
        text = re.sub(r"^title: (.*)$", rf"title: \1 ({number})", text, count=1, flags=re.M)
        text = re.sub(r"^(applies_to:)(\n  - .*)+", r"\1 all", text, count=1, flags=re.M)
        text = re.sub(r"^# (.*)$", rf"# \1 ({number})", text, count=1, flags=re.M)
        # Links to other SOPs point at the first copy of each bundled SOP.
        (docs / f"sop-{number}-{sources[i % len(sources)].stem}.md").write_text(text, "utf-8")
    for source in sources:
        for path in docs.glob(f"sop-*-{source.stem}.md"):
            text = path.read_text("utf-8")
            for other in sources:
                text = text.replace(f"]({other.stem}.md)", f"](sop-{_first(other, sources)}.md)")
            path.write_text(text, "utf-8")
    lines = [
        "org:",
        "  name: Benchmark Service",
        '  toll_free: "020-123 456"',
        "defaults:",
        '  opening_hours: "Mon–Fri 08:00–18:00"',
        '  emergency_phone: "112"',
        "branches:",
    ]
    for n in range(branches):
        branch_id, name = CITIES[n % len(CITIES)]
        if n >= len(CITIES):
            branch_id, name = f"{branch_id}-{n}", f"{name} {n}"
        lines += [
            f"  - id: {branch_id}",
            f"    name: {name}",
            "    languages: [en]",
            "    vars:",
            f'      address: "{n + 1} Harbour Street, {name}"',
            f'      phone: "+46 8 555 {n:03d} 00"',
            f'      manager: "Manager {n + 1}"',
            f'      towing_phone: "+46 8 555 {n:03d} 99"',
        ]
    (folder / "branches.yml").write_text("\n".join(lines) + "\n", "utf-8")
    mkdocs = (ROOT / "mkdocs.yml").read_text("utf-8")
    mkdocs = mkdocs[: mkdocs.index("\nnav:")] + "\n"
    (folder / "mkdocs.yml").write_text(mkdocs, "utf-8")
    (folder / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [tool.sop-lint]
            docs = "docs"
            [tool.sop-lint.branches]
            file = "branches.yml"
            """
        ),
        "utf-8",
    )


def _first(source: Path, sources: list[Path]) -> str:
    return f"{sources.index(source) + 1:03d}-{source.stem}"


def build(folder: Path, jobs: int) -> dict:
    """One `sop-lint site build` in a fresh process; wall-clock seconds and pages."""
    code = (
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "from sop_lint.config import load_config\n"
        "from sop_lint.site.build import build_sites\n"
        "start = time.perf_counter()\n"
        f"config = load_config(Path({str(folder)!r}))\n"
        f"report = build_sites(config, jobs={jobs}, guide=False)\n"
        "seconds = time.perf_counter() - start\n"
        "print(json.dumps({'seconds': seconds, 'pages': report.pages, 'ok': report.ok,\n"
        "  'prepare': report.prepare_seconds,\n"
        "  'errors': [o.error for o in report.failed]}))\n"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=folder, env=env
    )
    if out.returncode != 0:
        raise SystemExit(f"build failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not result["ok"]:
        raise SystemExit(f"build failed: {result['errors']}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sops", type=int, default=100)
    parser.add_argument("--branches", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--jobs", type=int, default=2, help="processes (the target: 2)")
    parser.add_argument("--repeat", type=int, default=1, help="best of N builds")
    args = parser.parse_args()
    print(f"{args.sops} SOPs, {args.jobs} processes, best of {args.repeat}; {os.cpu_count()} cores")
    results = {}
    with tempfile.TemporaryDirectory(prefix="sop-lint-bench-") as tmp:
        for count in args.branches:
            folder = Path(tmp) / f"b{count}"
            make_project(folder, args.sops, count)
            runs = []
            for _ in range(args.repeat):
                shutil.rmtree(folder / "site", ignore_errors=True)
                runs.append(build(folder, args.jobs))
            best = min(runs, key=lambda r: r["seconds"])
            results[count] = best
            print(
                f"{count:>3} branch{'es' if count != 1 else '  '}: {best['seconds']:6.2f} s  "
                f"{best['pages']:5d} SOP pages  {best['pages'] / best['seconds']:6.1f} pages/s  "
                f"(lint and checks once: {best['prepare']:.2f} s)"
            )
    if len(results) > 1:
        low, high = min(results), max(results)
        ratio = results[high]["seconds"] / results[low]["seconds"]
        print(f"ratio {high} / {low} branches: {ratio:.2f} (target: at most 6)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
