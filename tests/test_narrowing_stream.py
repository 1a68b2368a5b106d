"""``check --baseline`` and ``check --diff-base`` stream their text report too.

Each file's own findings are narrowed (known ones, lines the change did not touch) as the
run passes the file on, and printed at once; the cross-document step (a duplicate id or a
broken link the change caused, moved to the changed file) runs once after the last file,
and its findings come after the per-file ones, as cross-document findings always do. The
streamed report and the one written with ``--output`` are the same bytes.

End to end on a scratch git repository holding a small SOP set in en, sv, nb and te.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sops_b11 import (
    CLOSING_SV,
    COUNTING_EN,
    LONG_EN,
    LONG_SV,
    RECEIVING_NB,
    commit,
    make_repository,
    write,
)

from sop_lint import engine
from sop_lint.baseline import Narrowing
from sop_lint.config import load_config
from sop_lint.engine import check_paths
from sop_lint.progress import LiveOutput

REPO = Path(__file__).resolve().parents[1]
BASELINE = ".sop-lint-baseline.json"
# In path order: the first file the run checks, and the last.
FIRST, LAST = "docs/en/counting.md", "docs/te/cleaning.md"


@pytest.fixture
def repo(project):
    make_repository(project.root)
    return project.root


def longer_counting(root: Path) -> None:
    """A change to the first file: one step far over the length limit."""
    counting = COUNTING_EN.replace(
        "3. Write both sums on the till sheet.\n",
        f"3. Write both sums on the till sheet.\n4. {LONG_EN}\n",
    )
    write(root, FIRST, counting)


def longer_closing(root: Path) -> None:
    """A change to a later file: one step far over the length limit."""
    closing = CLOSING_SV.replace(
        "3. Släck ljuset i butiken.\n", f"3. Släck ljuset i butiken.\n4. {LONG_SV}\n"
    )
    write(root, "docs/sv/closing.md", closing)


def pull_request(root: Path) -> None:
    """A change with per-file findings in two files and two cross-document ones it caused:
    an id another SOP has, and a renamed heading another SOP links to."""
    longer_counting(root)
    text = (root / FIRST).read_text(encoding="utf-8")
    write(root, FIRST, text.replace("id: OPS-005", "id: OPS-001"))
    longer_closing(root)
    receiving = RECEIVING_NB.replace("## Avvik og eskalering", "## Når noe mangler")
    write(root, "docs/nb/receiving.md", receiving)


def spy_on_the_run(monkeypatch) -> list[str]:
    """Events in order: each file checked, and each piece of the text report written."""
    events: list[str] = []
    check_file, stdout = engine.check_file, LiveOutput._stdout

    def checked(path, *args, **kwargs):
        events.append(f"check {Path(path).as_posix()}")
        return check_file(path, *args, **kwargs)

    def written(self, text):
        events.append(f"print {text.splitlines()[0] if text.strip() else ''}")
        return stdout(self, text)

    monkeypatch.setattr(engine, "check_file", checked)
    monkeypatch.setattr(LiveOutput, "_stdout", written)
    return events


def first_index(events: list[str], start: str) -> int:
    return next(i for i, event in enumerate(events) if event.startswith(start))


# -- streaming ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "narrowing",
    [
        ["--diff-base", "main"],
        ["--baseline", BASELINE],
        ["--baseline", BASELINE, "--diff-base", "main"],
    ],
    ids=["diff-base", "baseline", "both"],
)
def test_the_first_files_findings_are_printed_before_the_last_file_is_checked(
    repo, cli, monkeypatch, narrowing
):
    assert cli("baseline", "docs").exit_code == 0  # the set's old flaw is known
    commit(repo, "Baseline")
    subprocess.run(["git", "branch", "-f", "main"], cwd=repo, check=True)
    longer_counting(repo)
    events = spy_on_the_run(monkeypatch)
    result = cli("check", "docs", "--no-cache", "--fail-on", "warning", *narrowing)
    assert result.exit_code == 1
    printed = first_index(events, f"print {FIRST}:")
    assert printed < first_index(events, f"check {LAST}")
    assert events[printed].startswith(f"print {FIRST}:34:4: B001 [warning]")
    # Only the new finding: the old one is known (baseline) or on an unchanged line.
    assert [e for e in events if e.startswith("print docs/")] == [events[printed]]


def test_a_finding_on_an_unchanged_line_is_never_printed_while_streaming(repo, cli, monkeypatch):
    longer_closing(repo)
    events = spy_on_the_run(monkeypatch)
    result = cli("check", "docs", "--no-cache", "--diff-base", "main")
    printed = [e for e in events if e.startswith("print docs/")]
    assert printed == [
        "print docs/sv/closing.md:34:4: B001 [error] Sentence has 54 words; split it: steps "
        "should stay at or under 30 words."
    ]
    assert "docs/en/opening.md" not in result.stdout  # its old flaw is on an unchanged line
    assert "1 finding on lines not changed since main is not shown" in result.stderr


def test_the_cross_document_findings_a_change_caused_come_after_the_per_file_ones(repo, cli):
    pull_request(repo)
    result = cli("check", "docs", "--no-cache", "--diff-base", "main", "-q")
    assert result.exit_code == 1
    heads = [line.split(" [")[0] for line in result.stdout.splitlines() if line[:1] != " "]
    assert heads == [
        "docs/en/counting.md:34:4: B001",  # per-file findings, in path order
        "docs/nb/receiving.md:29:4: T001",  # the renamed heading: a section is missing
        "docs/sv/closing.md:34:4: B001",
        "docs/en/counting.md:2:5: D001",  # then across documents, in path order
        "docs/nb/receiving.md:35:1: D010",
    ]


# -- the same report, streamed or written at once --------------------------------------------


@pytest.mark.parametrize("options", [[], ["-q"], ["--statistics"]], ids=["plain", "q", "stats"])
@pytest.mark.parametrize(
    "narrowing",
    [
        ["--diff-base", "main"],
        ["--baseline", BASELINE],
        ["--baseline", BASELINE, "--diff-base", "main"],
    ],
    ids=["diff-base", "baseline", "both"],
)
def test_streamed_output_equals_the_output_file_byte_for_byte(repo, cli, narrowing, options):
    assert cli("baseline", "docs").exit_code == 0
    pull_request(repo)
    streamed = cli("check", "docs", *narrowing, *options)
    written = cli("check", "docs", *narrowing, *options, "--output", "report.txt")
    assert streamed.exit_code == written.exit_code == 1
    assert streamed.stdout.encode("utf-8") == (repo / "report.txt").read_bytes()
    assert streamed.stderr == written.stderr


def test_narrowing_as_files_arrive_gives_the_same_report_as_narrowing_after_the_run(repo):
    """Narrowing.file + finish (what check does while streaming) and Narrowing.apply (on a
    finished report: stdin, the benchmark) leave the same findings, and say the same."""
    assert (
        subprocess.run(
            [sys.executable, "-m", "sop_lint", "baseline", "docs"],
            cwd=repo,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
        ).returncode
        == 0
    )
    pull_request(repo)
    config = load_config(repo)

    streamed = Narrowing.prepare(config, "main", BASELINE)
    report = check_paths([repo / "docs"], config, jobs=1, on_result=streamed.file)
    streamed_notes = streamed.finish(report)

    after = Narrowing.prepare(config, "main", BASELINE)
    whole = check_paths([repo / "docs"], config, jobs=1)
    after_notes = after.apply(whole)

    def dump(r):
        return json.dumps([f.to_dict() for f in r.findings], ensure_ascii=False)

    assert dump(report) == dump(whole)
    assert [f.to_dict() for f in report.project_findings] == [
        f.to_dict() for f in whole.project_findings
    ]
    assert (
        streamed_notes
        == after_notes
        == [
            f"1 known finding in {BASELINE} is hidden",
            "1 finding on lines not changed since main is not shown (--diff-base)",
        ]
    )


# -- -q prints nothing but findings ------------------------------------------------------------


@pytest.mark.parametrize(
    "narrowing",
    [
        ["--diff-base", "main"],
        ["--baseline", BASELINE],
        ["--baseline", BASELINE, "--diff-base", "main"],
    ],
    ids=["diff-base", "baseline", "both"],
)
def test_quiet_with_a_baseline_or_changed_lines_prints_only_finding_lines(repo, narrowing):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sop_lint", *args],
            cwd=repo,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"},
            timeout=300,
        )

    assert run("baseline", "docs").returncode == 0
    pull_request(repo)
    done = run("check", "docs", "-q", *narrowing)
    assert done.returncode == 1
    assert done.stderr == ""  # no notes, no summary: nothing but findings
    lines = done.stdout.splitlines()
    assert lines and all(
        line.startswith("docs/") or line.startswith("    see also: ") for line in lines
    )


def test_the_notes_come_after_the_report_on_stderr(repo):
    """In a terminal or a CI log (stdout and stderr in one stream), the note on what was
    left out follows the summary line; it does not split the report."""
    longer_closing(repo)
    done = subprocess.run(
        [sys.executable, "-m", "sop_lint", "check", "docs", "--diff-base", "main"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"},
        timeout=300,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[-2:] == [
        "Checked 5 files: 1 error, 0 warnings, 0 info.",
        "sop-lint: 1 finding on lines not changed since main is not shown (--diff-base)",
    ]
