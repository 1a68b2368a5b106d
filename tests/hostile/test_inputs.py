"""Issue 9, the linter's inputs: config, command line, templates, skeletons and data files
named in config. Each test names the issue bullet it covers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sop_lint import engine
from sop_lint.config import Config, ConfigError, load_config, override_matches, parse_config

REPO = Path(__file__).resolve().parents[2]

RETUR_SV = """\
---
id: CS-014
title: Hantera en retur
lang: sv
---
# Hantera en retur

## Syfte

Rutinen beskriver hur du tar emot en vara som kunden lämnar tillbaka.

## Procedur

1. Ta emot varan och kvittot.
2. Kontrollera att varan är hel.
3. Lämna tillbaka pengarna.
"""

RETURNS_EN = """\
---
id: CS-015
title: Handling a product return
lang: en
---
# Handling a product return

## Purpose

This procedure describes how you take back an item a customer returns.

## Procedure

1. Take the item and the receipt.
2. Check that the item is whole.
3. Give the money back.
"""


def _run(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``sop-lint`` in a real process, this worktree's code first on the path."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    env.pop("SOP_LINT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "sop_lint", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


# -- "--jobs 512 forks 512 workers for 30 files"; "--jobs 1e23 ... internal error" ---------


@pytest.mark.parametrize("value", ["1e23", "-3", "abc", "", "4.5", "٣"])
def test_jobs_nonsense_is_a_usage_error_not_an_internal_error(project, cli, value):
    project.write("docs/sv/retur.md", RETUR_SV)
    result = cli("check", "docs", "--jobs", value)
    assert result.exit_code == 2
    assert "internal error" not in result.output
    assert "--jobs" in result.stderr and "whole number" in result.stderr


def test_jobs_512_for_30_files_is_capped_at_the_cores_with_a_note(project, cli, monkeypatch):
    for n in range(30):
        project.write(f"docs/{n:02d}.md", RETUR_SV if n % 2 else RETURNS_EN)
    started: list[int] = []

    class Recording(engine.ProcessPoolExecutor):
        def __init__(self, workers, *args, **kwargs):
            started.append(workers)
            super().__init__(workers, *args, **kwargs)

    monkeypatch.setattr(engine, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(engine, "available_cores", lambda: 2)
    result = cli("check", "docs", "--jobs", "512", "--format", "json")
    assert started == [2]
    assert "512 processes asked for" in result.stderr and "using 2" in result.stderr
    assert result.exit_code in (0, 1)


def test_jobs_a_huge_whole_number_is_capped_not_an_overflow(project, cli, monkeypatch):
    project.write("docs/sv/retur.md", RETUR_SV)
    monkeypatch.setattr(engine, "available_cores", lambda: 2)
    result = cli("check", "docs", "--jobs", "9" * 40, "-q")
    assert result.exit_code in (0, 1)
    assert "internal error" not in result.output


def test_jobs_never_more_workers_than_files(project, monkeypatch):
    for n in range(25):
        project.write(f"docs/{n:02d}.md", RETURNS_EN)
    started: list[int] = []

    class Recording(engine.ProcessPoolExecutor):
        def __init__(self, workers, *args, **kwargs):
            started.append(workers)
            super().__init__(workers, *args, **kwargs)

    monkeypatch.setattr(engine, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(engine, "available_cores", lambda: 64)
    report = engine.check_paths([project.root / "docs"], Config(root=project.root), jobs=0)
    assert started == [25] and len(report.files) == 25


# -- "a 300-character --output name ... internal error without a line" ---------------------


def test_output_name_too_long_is_a_one_line_usage_error(project, cli):
    project.write("docs/sv/retur.md", RETUR_SV)
    name = "rapport-" + "x" * 300 + ".json"
    result = cli("check", "docs", "--format", "json", "--output", name)
    assert result.exit_code == 2
    assert "internal error" not in result.stderr
    assert result.stderr.startswith("sop-lint: error: --output rapport-xxx")
    assert "File name too long" in result.stderr and len(result.stderr.splitlines()) == 1


def test_output_long_but_legal_name_is_written(project, cli):
    project.write("docs/sv/retur.md", RETUR_SV)
    name = "r" * 250 + ".json"  # legal, but ".<name>.<random>" would not have been
    result = cli("check", "docs", "--format", "json", "--output", name)
    assert result.exit_code in (0, 1)
    assert (project.root / name).is_file()


# -- "a 5,000-deep TOML array ... internal error without a line" ---------------------------


@pytest.mark.parametrize("name", ["pyproject.toml", "sop-lint.toml"])
def test_deeply_nested_toml_config_is_a_config_error_naming_the_file(project, name):
    project.write("docs/sv/retur.md", RETUR_SV)
    table = "[tool.sop-lint]\n" if name == "pyproject.toml" else ""
    project.write(name, f"{table}exclude = {'[' * 5000}{']' * 5000}\n")
    result = _run(project.root, "check", "docs")
    assert result.returncode == 2
    assert "internal error" not in result.stderr
    assert result.stderr.startswith(f"sop-lint: error: {name}: ")
    assert "nested too deeply" in result.stderr and len(result.stderr.splitlines()) == 1


def test_config_file_that_is_a_fifo_is_refused_not_waited_on(project):
    project.write("docs/sv/retur.md", RETUR_SV)
    os.mkfifo(project.root / "sop-lint.toml")
    result = _run(project.root, "check", "docs", timeout=60)
    assert result.returncode == 2
    assert "sop-lint.toml" in result.stderr and "not a regular file" in result.stderr


# -- "**/ repeated in an exclude glob is exponential" --------------------------------------


def _deep_project(project, depth: int) -> Path:
    folders = "/".join(f"d{n}" for n in range(depth))
    return project.write(f"docs/{folders}/rutin.md", RETUR_SV)


def test_exclude_glob_with_many_globstars_is_matched_in_one_pass(project):
    """25 different "**/x/" parts: 2**25 combinations for the old matcher (minutes); the
    automaton reads the path once. Run in a process with a generous guard."""
    _deep_project(project, 30)
    glob = "docs/" + "".join(f"**/d{n}/" for n in range(0, 50, 2)) + "nothing.md"
    project.write("sop-lint.toml", f'exclude = ["{glob}"]\nselect = ["S"]\n')
    result = _run(project.root, "check", "docs", "-q", timeout=60)
    assert result.returncode in (0, 1), result.stderr
    assert "rutin.md" in result.stdout or "Checked" not in result.stdout


def test_exclude_glob_repeated_globstar_collapses_and_still_excludes(project):
    path = _deep_project(project, 12)
    glob = "docs/" + "**/" * 100 + "rutin.md"
    config = parse_config({"exclude": [glob]}, project.write("sop-lint.toml", ""))
    assert config.is_excluded(path)
    assert not config.is_excluded(project.root / "docs/d0/annan.md")


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        ("docs/**/*.md", "docs/a.md", True),
        ("docs/**/*.md", "docs/en/a/b.md", True),
        ("**/README.md", "README.md", True),
        ("**/README.md", "docs/sv/README.md", True),
        ("docs/**/utkast/**/*.md", "docs/utkast/x.md", True),
        ("docs/**/utkast/**/*.md", "docs/sv/utkast/a/x.md", True),
        ("docs/**/utkast/**/*.md", "docs/sv/x.md", False),
        ("docs/*.md", "docs/sv/x.md", True),  # fnmatch: "*" crosses "/" (issue 11 changes it)
        ("docs/[!a]*/**/x.md", "docs/b/x.md", True),
        ("docs/[!a]*/**/x.md", "docs/a/x.md", False),
        ("docs/legacy", "docs/legacy/x.md", True),
    ],
)
def test_exclude_glob_semantics_are_kept(glob, path, expected):
    assert override_matches(path, glob) is expected


def test_exclude_glob_too_long_is_a_config_error_naming_the_key(project):
    project.write("sop-lint.toml", f'exclude = ["docs/{"*a" * 400}"]\n')
    with pytest.raises(ConfigError, match=r"sop-lint.toml: config key 'exclude': a glob of 805"):
        load_config(project.root)
