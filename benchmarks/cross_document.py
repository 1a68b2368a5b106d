"""The cross-document phase on 2,500, 5,000 and 10,000 generated SOP summaries.

After every file is checked, the rules over the whole set (duplicate-id,
broken-reference, heading-inconsistent, procedure-diverges) run on one small summary per
file. This builds realistic summaries (four languages, links between SOPs, "see" mentions,
template headings with a few other spellings, procedures of 6-14 steps of which some are
near copies of another unit's) and times that phase alone (processor seconds, best of
five), at n, 2n and 4n.
It must stay under 2 s at 10,000 and grow linearly (exponent near 1). Every step of the
phase is a dictionary look-up per link, heading or shingle; the time per SOP still rises
a little between 5,000 and 10,000 (the index outgrows the processor's cache: from 20,000
to 40,000 it doubles again with the size).

    PYTHONPATH=. python benchmarks/cross_document.py [--sizes 2500 5000 10000]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LANGUAGES = ("en", "sv", "nb", "te")
# Section names per language: the template's name first, then a less usual alias.
SECTIONS = {
    "en": [("purpose", "Purpose", "Objective"), ("scope", "Scope", "Applicability"),
           ("procedure", "Procedure", "Steps"), ("records", "Records", "Documentation")],
    "sv": [("purpose", "Syfte", "Ändamål"), ("scope", "Omfattning", "Tillämpning"),
           ("procedure", "Utförande", "Arbetsgång"), ("records", "Dokumentation", "Journalföring")],
    "nb": [("purpose", "Formål", "Hensikt"), ("scope", "Omfang", "Virkeområde"),
           ("procedure", "Fremgangsmåte", "Prosedyre"), ("records", "Dokumentasjon", "Journal")],
    "te": [("purpose", "ఉద్దేశ్యం", "లక్ష్యం"), ("scope", "పరిధి", "వర్తింపు"),
           ("procedure", "విధానం", "దశలు"), ("records", "రికార్డులు", "నమోదు")],
}  # fmt: skip


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    letters = "abcdefghijklmnoprstuvyåäö"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(size)]


def generate(n: int, seed: int = 10) -> list:
    """``n`` summaries as workers would send them back."""
    from sop_lint.crossdoc import HeadingRef, IdMention, LinkRef
    from sop_lint.model import DocumentSummary

    rng = random.Random(seed)
    words = _vocabulary(rng)
    summaries = []
    procedures: list[tuple[str, ...]] = []
    for number in range(n):
        lang = LANGUAGES[number % 4]
        path = f"docs/{lang}/sop-{number:05d}.md"
        if procedures and rng.random() < 0.05:  # another unit's copy, a step changed
            steps = list(rng.choice(procedures))
            steps[rng.randrange(len(steps))] = " ".join(rng.choices(words, k=8))
        else:
            steps = [
                " ".join(rng.choices(words, k=rng.randint(5, 12)))
                for _ in range(rng.randint(6, 14))
            ]
        procedures.append(tuple(steps))
        headings = tuple(
            HeadingRef(key, alias if rng.random() < 0.1 else name, 10 + 4 * i, 4)
            for i, (key, name, alias) in enumerate(SECTIONS[lang])
        )
        links = []
        for i in range(5):
            other = rng.randrange(n)
            target = (
                f"docs/{lang}/sop-{other:05d}.md"
                if rng.random() > 0.01
                else f"docs/{lang}/gone-{other}.md"
            )
            anchor = "procedure" if i == 0 else ""
            links.append(
                LinkRef(
                    40 + i,
                    3,
                    30,
                    target,
                    anchor,
                    target.rsplit("/", 1)[-1],
                    not target.endswith(f"gone-{other}.md"),
                )
            )
        mentions = (IdMention(30, 5, 11, f"CS-{rng.randrange(int(n * 1.01)):05d}"),)
        summaries.append(
            DocumentSummary(
                path=path,
                language=lang,
                metadata={
                    "id": f"CS-{number:05d}",
                    "status": "withdrawn" if rng.random() < 0.02 else "effective",
                    "version": "1.0",
                },
                metadata_lines={"id": 2, "status": 4, "version": 3},
                line_count=60,
                suppressions=[],
                lines={2: f"id: CS-{number:05d}"},
                is_sop=True,
                links=tuple(links),
                mentions=mentions,
                anchors=frozenset({"purpose", "scope", "procedure", "records"}),
                headings=headings,
                steps=procedures[-1],
                procedure_line=18,
            )
        )
    return summaries


def run_phase(summaries: list) -> tuple[float, dict[str, int]]:
    """Seconds for every project rule over ``summaries``, and findings per rule."""
    from sop_lint.rules.base import ProjectRule, RunContext, all_rules

    context = RunContext(root=ROOT)
    rules = [cls(None, context) for cls in all_rules() if issubclass(cls, ProjectRule)]
    counts: dict[str, int] = {}
    # Processor time of this process: the machine is shared, and wall-clock time would
    # measure the other processes' load as much as this phase.
    start = time.process_time()
    for rule in rules:
        counts[rule.name] = sum(1 for _ in rule.check_project(summaries))
    return time.process_time() - start, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2500, 5000, 10000])
    args = parser.parse_args(argv)
    run_phase(generate(100))  # load the template and rule modules outside the timing
    times = []
    for n in args.sizes:
        summaries = generate(n)
        best, counts = min(run_phase(summaries) for _ in range(5))
        times.append(best)
        shown = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
        print(f"n={n:6d}: {best:.3f} s CPU  ({shown})")
    for (small, t_small), (large, t_large) in zip(
        zip(args.sizes, times, strict=True),
        list(zip(args.sizes, times, strict=True))[1:],
        strict=False,
    ):
        print(f"  {small} -> {large}: x{t_large / t_small:.2f} time for x{large / small:.0f} SOPs")
    if len(times) > 1:
        exponent = math.log(times[-1] / times[0]) / math.log(args.sizes[-1] / args.sizes[0])
        print(
            f"growth exponent {args.sizes[0]} -> {args.sizes[-1]}: {exponent:.2f} (1.0 is linear)"
        )
    verdict = "under" if times[-1] < 2.0 else "OVER"
    print(f"{verdict} the 2 s budget at n={args.sizes[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
