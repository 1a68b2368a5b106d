"""Findings streamed in path order as files finish, a progress bar on a terminal only,
and ``-q`` (issue 11)."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO
from test_cache import COMPLAINT_EN, RETURNS_EN, TODAY, make_project

from sop_lint import engine
from sop_lint.cli import main
from sop_lint.config import load_config
from sop_lint.engine import check_paths
from sop_lint.formatters.text import format_report
from sop_lint.progress import CI_VARIABLES

PROGRESS_MARKS = ("\r", "━", "Checking ", "\x1b[")


@pytest.fixture
def project(tmp_path, monkeypatch):
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOP_LINT_DEBUG", "1")
    return tmp_path


def command_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CI_VARIABLES}
    env["PYTHONPATH"] = str(REPO)
    env.pop("NO_COLOR", None)
    env["TERM"] = "xterm"
    return env


def sop_lint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sop_lint", "check", "--today", TODAY, *args],
        cwd=cwd,
        env=command_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


# -- the run loop ---------------------------------------------------------------------------


def test_each_result_is_passed_on_in_path_order_before_the_next_file_is_checked(
    project, monkeypatch
):
    events: list[str] = []
    real = engine.check_file

    def logged(path, *args, **kwargs):
        events.append(f"check {path.name}")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(engine, "check_file", logged)
    config = load_config(project)
    report = check_paths(
        [project / "docs"],
        config,
        jobs=1,
        on_start=lambda n: events.append(f"start {n}"),
        on_result=lambda r: events.append(f"result {Path(r.path).name}"),
    )
    names = [Path(r.path).name for r in report.files]
    assert events[0] == "start 5"
    expected = [e for name in names for e in (f"check {name}", f"result {name}")]
    assert events[1:] == expected


def test_streamed_results_hold_per_file_findings_only(project):
    """The cross-document rules run after the last file: their findings are added to the
    report at the end, and listed in report.project_findings."""
    seen: dict[str, list[str]] = {}
    config = load_config(project)
    report = check_paths(
        [project / "docs"],
        config,
        jobs=1,
        on_result=lambda r: seen.setdefault(r.path, [f.name for f in r.findings]),
    )
    across = {f.name for f in report.project_findings}
    assert "broken-reference" in across
    for result in report.files:
        streamed = seen[result.path]
        assert not set(streamed) & across
        assert sorted(
            streamed + [f.name for f in result.findings if f in report.project_findings]
        ) == sorted(f.name for f in result.findings)


def test_results_stream_in_path_order_with_worker_processes(tmp_path, monkeypatch):
    """With the process pool (24 files or more) results still come in path order."""
    for i in range(30):
        text = (COMPLAINT_EN if i % 2 else RETURNS_EN).replace("CS-10", f"CS-{i:02d}")
        path = tmp_path / "docs" / f"{i:02d}-sop.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = load_config(tmp_path)
    order: list[str] = []
    report = check_paths(
        [tmp_path / "docs"], config, jobs=2, on_result=lambda r: order.append(r.path)
    )
    assert order == [r.path for r in report.files] == sorted(order)
    assert len(order) == 30


def test_keep_filters_each_files_findings_and_the_cross_document_ones(project):
    config = load_config(project)
    streamed: list[str] = []
    report = check_paths(
        [project / "docs"],
        config,
        jobs=1,
        keep=lambda f: f.name not in ("sentence-too-long", "broken-reference"),
        on_result=lambda r: streamed.extend(f.name for f in r.findings),
    )
    names = {f.name for f in report.findings}
    assert "sentence-too-long" not in names | set(streamed)
    assert "broken-reference" not in names
    assert names  # other findings are kept


# -- the text report ------------------------------------------------------------------------


def test_streamed_text_is_the_same_bytes_as_the_report_written_to_a_file(project):
    streamed = sop_lint("docs", cwd=project)
    written = sop_lint("docs", "--output", "report.txt", cwd=project)
    assert streamed.returncode == written.returncode == 1
    assert streamed.stdout == (project / "report.txt").read_text(encoding="utf-8")
    assert written.stdout == ""


def test_cross_document_findings_follow_the_per_file_findings(project):
    """They are known only when every file is checked: streamed text shows them after the
    per-file findings (each part path-sorted), then the summary."""
    out = sop_lint("--no-cache", "docs", cwd=project).stdout
    heads = [line for line in out.splitlines() if re.match(r"^docs/\S+:\d+:\d+: ", line)]
    assert heads[-1].startswith("docs/en/returns.md:25:49: D010 ")  # the broken link
    per_file = [h.split(":")[0] for h in heads[:-1]]
    assert per_file == sorted(per_file) and per_file[-1] == "docs/te/return.md"
    assert out.splitlines()[-1].startswith("Checked 5 files: ")


def test_quiet_prints_nothing_but_findings(project):
    (project / "sop-lint.toml").write_text(
        'docs = ["docs"]\n[[overrides]]\npaths = ["docs/fi/**"]\nlanguage = "sv"\n',
        encoding="utf-8",
    )
    loud = CliRunner().invoke(main, ["check", "--today", TODAY, "docs"])
    assert "override paths glob" in loud.stderr  # a warning the quiet run leaves out
    quiet = CliRunner().invoke(main, ["check", "--today", TODAY, "-q", "docs"])
    assert quiet.exit_code == 1
    assert quiet.stderr == ""
    lines = quiet.stdout.splitlines()
    assert lines and all(re.match(r"^docs/\S+:\d+:\d+: [A-Z]\d{3} \[", line) for line in lines)
    clean = CliRunner().invoke(main, ["check", "--today", TODAY, "-q", "--select", "S001", "docs"])
    assert (clean.exit_code, clean.stdout, clean.stderr) == (0, "", "")


# -- the progress bar -----------------------------------------------------------------------


def test_no_progress_bar_in_pipes(project):
    completed = sop_lint("docs", cwd=project)
    for mark in PROGRESS_MARKS:
        assert mark not in completed.stdout
        assert mark not in completed.stderr


def _run_with_stderr_on_a_terminal(project: Path, env: dict[str, str]) -> tuple[str, str]:
    """Run the command with stderr on a pseudo-terminal and stdout in a pipe; return
    what each received."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "sop_lint", "check", "--today", TODAY, "--no-cache", "docs"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=slave,
        text=True,
    )
    os.close(slave)
    received = b""
    deadline = time.monotonic() + 300
    # Read the terminal while the command runs: a full pty buffer would block it.
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the other end closed (Linux says EIO)
                break
            if not chunk:
                break
            received += chunk
        elif process.poll() is not None:
            break
    stdout = process.stdout.read() if process.stdout else ""
    process.wait(timeout=60)
    os.close(master)
    return stdout, received.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_progress_bar_on_a_terminal_is_drawn_and_cleared(project):
    stdout, terminal = _run_with_stderr_on_a_terminal(project, command_env())
    assert "Checking " in terminal and "/5 files" in terminal
    assert terminal.endswith("\r\x1b[K")  # nothing of the bar is left on the screen
    for mark in PROGRESS_MARKS:  # the findings, in their pipe, have none of it
        assert mark not in stdout
    assert stdout.rstrip().splitlines()[-1].startswith("Checked 5 files:")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize("variable", ["CI", "GITHUB_ACTIONS", "GITLAB_CI"])
def test_no_progress_bar_in_ci_even_on_a_terminal(project, variable):
    env = {**command_env(), variable: "true"}
    _, terminal = _run_with_stderr_on_a_terminal(project, env)
    assert "Checking " not in terminal


def test_text_report_puts_cross_document_findings_last():
    """format_report (the whole report at once) lays findings out as the stream does."""
    from sop_lint.engine import FileResult, Report
    from sop_lint.model import Finding, Severity, Span

    def finding(path: str, line: int, rule: str) -> Finding:
        return Finding(path, Span(line, 1, line, 2), rule, "x", Severity.WARNING, "m")

    across = finding("a.md", 9, "X001")
    a = FileResult("a.md", [finding("a.md", 1, "B001"), across])
    b = FileResult("b.md", [finding("b.md", 1, "B001")])
    report = Report(files=[a, b], project_findings=[across])
    heads = [line for line in format_report(report).splitlines() if ": " in line]
    assert [h.split(": ")[0] for h in heads][:3] == ["a.md:1:1", "b.md:1:1", "a.md:9:1"]


def test_with_a_baseline_the_text_is_not_streamed_but_narrowed(project):
    """A baseline (part B) filters the whole report after the run: the text report is then
    written at the end, the same bytes as --output, and holds only new findings."""
    subprocess.run(
        [sys.executable, "-m", "sop_lint", "baseline", "--today", TODAY, "docs"],
        cwd=project,
        env=command_env(),
        capture_output=True,
        timeout=300,
    )
    shown = sop_lint("--baseline", ".sop-lint-baseline.json", "docs", cwd=project)
    written = sop_lint("--baseline", ".sop-lint-baseline.json", "docs", "-o", "r.txt", cwd=project)
    assert shown.stdout == (project / "r.txt").read_text(encoding="utf-8")
    assert written.returncode == shown.returncode == 0
    assert "D010" not in shown.stdout  # a known cross-document finding stays out
