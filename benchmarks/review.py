"""How precision and recall are judged: review sheets of real findings, and their scores.

Editors judge findings as a careful SOP writer would: "would I change this text, and is the
suggested rewrite correct, grammatical and complete?" This script draws the findings to
judge, with enough context to judge them, and scores the judged sheets. It prints figures
and never asserts.

    python benchmarks/review.py sample ../shared/corpus/botkyrka-rutiner-sv --lang sv \\
        --part holdout --per-rule 30 --seed 8 --out sv.jsonl [--markdown]
    python benchmarks/review.py score sv.jsonl [more.jsonl ...]
    python benchmarks/review.py steps ../shared/corpus/botkyrka-rutiner-sv --lang sv \\
        --part holdout --n 40 --seed 8 --out sv-steps.jsonl
    python benchmarks/review.py score-steps sv-steps.jsonl [--compare before-steps.jsonl]

``--sop-lint-path /work/baseline`` runs another checkout of sop-lint (e.g. the commit
before a change), so "found before" can be compared with "found now": ``steps`` draws the
same list items whatever the checkout (they are found by a plain scan of the Markdown, not
by sop-lint), and ``score-steps --compare`` scores the other sheet's findings against this
sheet's judgements.

Sheets are JSON lines. In a ``sample`` sheet judges fill ``verdict`` ("right"/"wrong"),
``rewrite`` ("right"/"wrong"; it is null when there is no suggestion) and ``note``; in a
``steps`` sheet ``problem``: null for a good step, or the kind of problem ("not-imperative",
"passive", "modal", "past", "future", "multiple-actions"; a list when it has several). An
empty string means "not judged yet".

Use ``--part tune`` while developing a rule; ``holdout`` files are for final figures only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_split import files as corpus_files

ROOT = Path(__file__).resolve().parent.parent
UNJUDGED = ""
STEP_RULES = {
    "I001": "modal",
    "I002": "not-imperative",
    "I003": "passive",
    "I004": "multiple-actions",
    "I005": "not-imperative",  # step-names-actor: a named role's step, a hint
    "P001": "past",
    "P002": "future",
}
KINDS = tuple(dict.fromkeys(STEP_RULES.values()))
CONTEXT_LINES = 2  # source lines shown before and after the finding's line

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
_NUMBERED = re.compile(r"^(\s{0,3})(\d{1,3})[.)]\s+(\S.*)$")


# -- running sop-lint ------------------------------------------------------------------------


def run_sop_lint(
    corpus: Path, paths: list[Path], lang: str, sop_lint_path: Path, select: str | None = None
) -> list[dict[str, Any]]:
    """Findings of ``sop-lint check`` (default rules, or ``select``) on ``paths``.

    Runs in a subprocess with ``sop_lint_path`` first on the import path, from ``corpus``,
    so finding paths are relative to the corpus. The language is set through a config file,
    which every version of sop-lint reads (``--lang`` is newer).
    """
    if not paths:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "sop-lint.toml"
        config.write_text(f'language = "{lang}"\n', encoding="utf-8")
        command = [sys.executable, "-m", "sop_lint", "check", "--format", "json"]
        command += ["--fail-on", "never", "--config", str(config)]
        if select:
            command += ["--select", select]
        command += [p.relative_to(corpus).as_posix() for p in paths]
        env = {**os.environ, "PYTHONPATH": str(sop_lint_path.resolve()), "NO_COLOR": "1"}
        done = subprocess.run(
            command, cwd=corpus, env=env, capture_output=True, text=True, check=False
        )
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"review: sop-lint failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout)["findings"]


# -- context ---------------------------------------------------------------------------------


def heading_lines(lines: list[str]) -> list[int]:
    """For each line (0-based), the 0-based line of the heading above it, or -1."""
    above, current, fenced = [], -1, False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and _HEADING.match(line):
            current = index
        above.append(current)
    return above


def context_of(lines: list[str], headings: list[int], line: int) -> str:
    """The section heading and the lines around 1-based ``line``, that line marked ``>``."""
    index = min(max(line - 1, 0), max(len(lines) - 1, 0))
    out = []
    heading = headings[index] if headings else -1
    if heading != -1 and heading < index - CONTEXT_LINES:
        out.append(f"   {heading + 1:>5} | {lines[heading]}")
        out.append("     ... |")
    start, end = max(0, index - CONTEXT_LINES), min(len(lines), index + CONTEXT_LINES + 1)
    for i in range(start, end):
        mark = ">" if i == index else " "
        out.append(f"{mark}  {i + 1:>5} | {lines[i]}")
    return "\n".join(out)


def _stable_id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]


# -- sample ----------------------------------------------------------------------------------


def draw(findings: list[dict[str, Any]], per_rule: int, seed: int) -> list[dict[str, Any]]:
    """Up to ``per_rule`` findings of each rule, drawn with a fixed seed per rule.

    Each rule has its own random stream, so a rule added or removed elsewhere does not
    change which findings another rule's sample holds.
    """
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        by_rule[finding["rule"]].append(finding)
    chosen = []
    for rule in sorted(by_rule):
        pool = sorted(by_rule[rule], key=lambda f: (f["path"], f["line"], f["column"]))
        rng = random.Random(f"{seed}:{rule}")
        picked = rng.sample(pool, min(per_rule, len(pool)))
        chosen += sorted(picked, key=lambda f: (f["path"], f["line"], f["column"]))
    return chosen


def sample_sheet(
    corpus: Path, folder: str, lang: str, findings: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Review-sheet rows for ``findings``, with context and empty judge fields."""
    rows = []
    cache: dict[str, tuple[list[str], list[int]]] = {}
    for f in findings:
        if f["path"] not in cache:
            lines = (corpus / f["path"]).read_text("utf-8", errors="replace").splitlines()
            cache[f["path"]] = (lines, heading_lines(lines))
        lines, headings = cache[f["path"]]
        suggestion = f.get("suggestion")
        rows.append(
            {
                "id": _stable_id(f["path"], f["line"], f["column"], f["rule"], f["message"]),
                "folder": folder,
                "path": f["path"],
                "line": f["line"],
                "column": f["column"],
                "rule": f["rule"],
                "name": f["name"],
                "lang": lang,
                "severity": f["severity"],
                "message": f["message"],
                "suggestion": suggestion,
                "context": context_of(lines, headings, f["line"]),
                "verdict": UNJUDGED,
                "rewrite": UNJUDGED if suggestion else None,
                "note": "",
            }
        )
    return rows


def sheet_markdown(rows: list[dict[str, Any]], title: str) -> str:
    """A readable version of a review sheet for human judges."""
    out = [
        f"# {title}",
        "",
        f"{len(rows)} findings. For each: verdict right/wrong; rewrite "
        "right/wrong when one is offered. Record the answers in the .jsonl sheet.",
        "",
    ]
    for row in rows:
        out += [
            f"## {row['rule']} {row['name']} · `{row['id']}`",
            "",
            f"`{row['path']}:{row['line']}:{row['column']}` ({row['lang']}, {row['severity']})",
            "",
            f"> {row['message']}",
            "",
        ]
        if row["suggestion"]:
            out += [f"Suggested rewrite: **{row['suggestion']}**", ""]
        fence = "````" if "```" in row["context"] else "```"  # context may hold a fence
        out += [fence + "text", row["context"], fence, ""]
    return "\n".join(out)


# -- steps -----------------------------------------------------------------------------------


def numbered_items(lines: list[str]) -> list[tuple[int, int, str]]:
    """Numbered list items outside code: (first line, last line, text), lines 1-based.

    A plain scan of the Markdown, independent of sop-lint, so every checkout is judged on
    the same items. An item runs to the next item, a blank line or a heading.
    """
    items: list[tuple[int, int, str]] = []
    fenced = False
    current: list[Any] | None = None
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            current = None
            continue
        if fenced:
            continue
        match = _NUMBERED.match(line)
        if match:
            current = [index + 1, index + 1, match.group(3).strip()]
            items.append(current)  # type: ignore[arg-type]
        elif current is not None and line.strip() and not _HEADING.match(line):
            current[1] = index + 1
            current[2] += " " + line.strip()
        else:
            current = None
    return [tuple(item) for item in items]  # type: ignore[misc]


def steps_sheet(
    corpus: Path, paths: list[Path], folder: str, lang: str, n: int, seed: int, sop_lint: Path
) -> list[dict[str, Any]]:
    """``n`` numbered list items drawn with ``seed``, with the step findings on each."""
    pool = []
    for path in paths:
        lines = path.read_text("utf-8", errors="replace").splitlines()
        headings = heading_lines(lines)
        relative = path.relative_to(corpus).as_posix()
        for first, last, text in numbered_items(lines):
            pool.append((relative, first, last, text, context_of(lines, headings, first)))
    picked = sorted(random.Random(f"{seed}:steps").sample(pool, min(n, len(pool))))
    files = sorted({corpus / p[0] for p in picked})
    # Every default rule, filtered here: an older checkout may not know every step rule.
    findings = run_sop_lint(corpus, files, lang, sop_lint)
    on: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        on[f["path"]].append(f)
    rows = []
    for relative, first, last, text, context in picked:
        here = [f for f in on[relative] if first <= f["line"] <= last]
        rows.append(
            {
                "id": _stable_id(relative, first),
                "folder": folder,
                "path": relative,
                "line": first,
                "end_line": last,
                "lang": lang,
                "text": text,
                "context": context,
                "findings": [
                    {k: f.get(k) for k in ("rule", "name", "line", "message", "suggestion")}
                    for f in here
                ],
                "found": sorted({STEP_RULES[f["rule"]] for f in here if f["rule"] in STEP_RULES}),
                "problem": UNJUDGED,
                "note": "",
            }
        )
    return rows


# -- scoring ---------------------------------------------------------------------------------


def read_sheets(paths: Iterable[Path]) -> list[dict[str, Any]]:
    rows = []
    for path in paths:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"review: {path}:{number}: not JSON: {exc}") from None
    return rows


def _ratio(right: int, total: int) -> str:
    return f"{right}/{total} = {100 * right / total:.0f}%" if total else "-"


def precision_table(rows: list[dict[str, Any]]) -> tuple[list[str], int]:
    """Lines of precision and rewrite correctness per rule and language, plus a total line;
    and how many rows are not judged yet."""
    judged: Counter[tuple[str, str]] = Counter()
    right: Counter[tuple[str, str]] = Counter()
    offered: Counter[tuple[str, str]] = Counter()
    rewrites_right: Counter[tuple[str, str]] = Counter()
    names: dict[str, str] = {}
    unjudged = 0
    for row in rows:
        key = (row["rule"], row["lang"])
        names[row["rule"]] = row.get("name", "")
        verdict = row.get("verdict")
        if verdict not in ("right", "wrong"):
            unjudged += 1
            continue
        judged[key] += 1
        right[key] += verdict == "right"
        if row.get("rewrite") in ("right", "wrong"):
            offered[key] += 1
            rewrites_right[key] += row["rewrite"] == "right"
    lines = [f"{'rule':<6} {'name':<30} {'lang':<4} {'precision':>16}   {'rewrites':>16}"]
    for key in sorted(judged):
        rule, lang = key
        lines.append(
            f"{rule:<6} {names[rule]:<30} {lang:<4} {_ratio(right[key], judged[key]):>16}   "
            f"{_ratio(rewrites_right[key], offered[key]):>16}"
        )
    lines.append(
        f"{'total':<6} {'':<30} {'':<4} "
        f"{_ratio(sum(right.values()), sum(judged.values())):>16}   "
        f"{_ratio(sum(rewrites_right.values()), sum(offered.values())):>16}"
    )
    return lines, unjudged


def problems_of(row: dict[str, Any]) -> set[str] | None:
    """The judged kinds of problem of a step (empty: a good step), or None if not judged."""
    problem = row.get("problem", UNJUDGED)
    if problem == UNJUDGED:
        return None
    if problem is None:
        return set()
    return set(problem) if isinstance(problem, list) else {problem}


def recall_table(
    rows: list[dict[str, Any]], found_by: dict[str, set[str]] | None = None
) -> tuple[list[str], int]:
    """Lines of recall per kind (problems found / genuine problems) and a total, and how
    many items are not judged. ``found_by`` (id -> kinds) scores another checkout's
    findings against these judgements; items it does not have count as not found."""
    genuine: Counter[str] = Counter()
    found: Counter[str] = Counter()
    alarms = good = unjudged = 0
    for row in rows:
        problems = problems_of(row)
        if problems is None:
            unjudged += 1
            continue
        kinds = set(row.get("found", [])) if found_by is None else found_by.get(row["id"], set())
        if not problems:
            good += 1
            alarms += bool(kinds)
        for kind in problems:
            genuine[kind] += 1
            found[kind] += kind in kinds
    lines = [f"{'kind':<18} {'recall':>16}"]
    for kind in sorted(genuine, key=lambda k: (KINDS.index(k) if k in KINDS else 99, k)):
        lines.append(f"{kind:<18} {_ratio(found[kind], genuine[kind]):>16}")
    lines.append(f"{'total':<18} {_ratio(sum(found.values()), sum(genuine.values())):>16}")
    lines.append(f"good steps with a step finding: {_ratio(alarms, good)}")
    return lines, unjudged


def still_found(rows: list[dict[str, Any]], before: dict[str, set[str]]) -> tuple[int, int]:
    """Of the judged problems the other checkout found, how many this sheet still finds."""
    kept = total = 0
    for row in rows:
        problems = problems_of(row)
        for kind in problems or ():
            if kind in before.get(row["id"], set()):
                total += 1
                kept += kind in set(row.get("found", []))
    return kept, total


# -- command line ----------------------------------------------------------------------------


def _part_files(folder: Path, part: str) -> list[Path]:
    return corpus_files(folder.parent, None if part == "all" else part, folder.name)


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _absent(folder: Path) -> bool:
    if folder.is_dir():
        return False
    print(f"review: {folder} is absent; nothing to sample (skipped)")
    return True


def cmd_sample(args: argparse.Namespace) -> int:
    folder = Path(args.folder).resolve()
    if _absent(folder):
        return 0
    paths = _part_files(folder, args.part)
    findings = run_sop_lint(folder.parent, paths, args.lang, Path(args.sop_lint_path))
    rows = sample_sheet(
        folder.parent, folder.name, args.lang, draw(findings, args.per_rule, args.seed)
    )
    out = Path(args.out)
    _write_jsonl(out, rows)
    counts = Counter(f["rule"] for f in findings)
    print(f"{len(paths)} {args.part} files of {folder.name}, {len(findings)} findings:")
    for rule in sorted(counts):
        drawn = sum(1 for r in rows if r["rule"] == rule)
        print(f"  {rule}  {counts[rule]:>6} found  {drawn:>4} drawn")
    print(f"wrote {len(rows)} rows to {out}")
    if args.markdown:
        md = out.with_suffix(".md")
        md.write_text(sheet_markdown(rows, f"Review sheet: {folder.name} ({args.part})"), "utf-8")
        print(f"wrote {md}")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    lines, unjudged = precision_table(read_sheets(Path(p) for p in args.sheets))
    print("\n".join(lines))
    print(f"unjudged: {unjudged}")
    return 0


def cmd_steps(args: argparse.Namespace) -> int:
    folder = Path(args.folder).resolve()
    if _absent(folder):
        return 0
    paths = _part_files(folder, args.part)
    rows = steps_sheet(
        folder.parent, paths, folder.name, args.lang, args.n, args.seed, Path(args.sop_lint_path)
    )
    _write_jsonl(Path(args.out), rows)
    with_findings = sum(1 for r in rows if r["findings"])
    print(f"wrote {len(rows)} numbered items ({with_findings} with step findings) to {args.out}")
    return 0


def cmd_score_steps(args: argparse.Namespace) -> int:
    rows = read_sheets([Path(args.sheet)])
    lines, unjudged = recall_table(rows)
    print("\n".join(lines))
    print(f"unjudged: {unjudged}")
    if args.compare:
        other = {r["id"]: set(r.get("found", [])) for r in read_sheets([Path(args.compare)])}
        print(f"\nthe same judgements, findings from {args.compare}:")
        print("\n".join(recall_table(rows, other)[0]))
        kept, total = still_found(rows, other)
        print(f"problems found there and still found here: {_ratio(kept, total)}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = top.add_subparsers(dest="command", required=True)

    def corpus_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("folder", help="a corpus folder, e.g. ../shared/corpus/fedora-releng")
        p.add_argument("--lang", required=True, help="language of files without front matter")
        p.add_argument("--part", choices=("tune", "holdout", "all"), default="tune")
        p.add_argument("--seed", type=int, default=8)
        p.add_argument("--out", required=True, help="the sheet to write (.jsonl)")
        p.add_argument(
            "--sop-lint-path", default=str(ROOT), help="checkout of sop-lint to run (default: this)"
        )

    p = sub.add_parser("sample", help="draw findings per rule into a review sheet")
    corpus_options(p)
    p.add_argument("--per-rule", type=int, default=30)
    p.add_argument("--markdown", action="store_true", help="also write SHEET.md for judges")
    p.set_defaults(run=cmd_sample)
    p = sub.add_parser("score", help="precision per rule and language of judged sheets")
    p.add_argument("sheets", nargs="+")
    p.set_defaults(run=cmd_score)
    p = sub.add_parser("steps", help="draw numbered list items with their step findings")
    corpus_options(p)
    p.add_argument("--n", type=int, default=40)
    p.set_defaults(run=cmd_steps)
    p = sub.add_parser("score-steps", help="recall per kind of problem of a judged steps sheet")
    p.add_argument("sheet")
    p.add_argument("--compare", help="a steps sheet of the same items from another checkout")
    p.set_defaults(run=cmd_score_steps)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
