"""The cache in the config: ``cache = false`` and ``cache-dir = "path"`` in sop-lint.toml
(or [tool.sop-lint]); ``--no-cache`` and ``--cache-dir`` on the command line win.

Also: ``check --fix`` re-checks each file while it fixes it, and those re-checks of texts
that are never saved do not go into the cache; only the final run's results do.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import sop
from test_cache import TODAY, entries, make_project

from sop_lint.cache import CACHE_DIR_NAME
from sop_lint.cli import main
from sop_lint.config import ConfigError, load_config


@pytest.fixture
def project(tmp_path, monkeypatch):
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOP_LINT_DEBUG", raising=False)
    return tmp_path


def configure(root: Path, text: str) -> None:
    (root / "sop-lint.toml").write_text('docs = ["docs"]\n' + text, encoding="utf-8")


def check(*args: str):
    result = CliRunner().invoke(main, ["check", "--today", TODAY, *args])
    assert result.exit_code in (0, 1), result.output
    return result


def cached_files(folder: Path) -> int:
    return len(entries(folder))


# -- cache = false ------------------------------------------------------------------------------


def test_cache_false_turns_the_cache_off_for_the_project(project):
    configure(project, "cache = false\n")
    first = check("docs")
    assert not (project / CACHE_DIR_NAME).exists()
    assert first.stdout == check("docs", "--no-cache").stdout


def test_cache_dir_on_the_command_line_turns_it_on_for_one_run(project, tmp_path_factory):
    configure(project, "cache = false\n")
    elsewhere = tmp_path_factory.mktemp("ci-cache") / "sop-lint"
    check("docs", "--cache-dir", str(elsewhere))
    assert cached_files(elsewhere) == 5
    assert not (project / CACHE_DIR_NAME).exists()


# -- cache-dir ----------------------------------------------------------------------------------


def test_cache_dir_is_relative_to_the_config_file_not_the_working_folder(project, monkeypatch):
    configure(project, 'cache-dir = "build/lint-cache"\n')
    monkeypatch.chdir(project / "docs" / "sv")
    check(".")  # the config is found upwards; one file checked from its own folder
    assert cached_files(project / "build" / "lint-cache") == 1
    assert (project / "build" / "lint-cache" / ".gitignore").is_file()
    assert not (project / CACHE_DIR_NAME).exists()
    assert not (project / "docs" / "sv" / "build").exists()


def test_a_warm_run_reads_from_the_configured_folder(project):
    configure(project, 'cache-dir = ".cache/sop-lint"\n')
    cold = check("docs", "--format", "json")
    folder = project / ".cache" / "sop-lint"
    stored = {p: p.stat().st_mtime_ns for p in entries(folder)}
    warm = check("docs", "--format", "json")
    assert cold.stdout == warm.stdout
    assert {p: p.stat().st_mtime_ns for p in entries(folder)} == stored  # read, not rewritten


def test_the_command_line_wins_over_cache_dir(project, tmp_path_factory):
    configure(project, 'cache-dir = "build/lint-cache"\n')
    check("docs", "--no-cache")
    assert not (project / "build").exists()
    elsewhere = tmp_path_factory.mktemp("ci-cache")
    check("docs", "--cache-dir", str(elsewhere))
    assert cached_files(elsewhere) == 5
    assert not (project / "build").exists()


def test_an_extended_config_keeps_cache_dir_relative_to_the_file_that_sets_it(project):
    configure(project, 'cache-dir = "build/lint-cache"\n')
    (project / "ci").mkdir()
    (project / "ci" / "sop-lint.toml").write_text(
        'extend = "../sop-lint.toml"\ndocs = ["../docs"]\nfail-on = "never"\n', encoding="utf-8"
    )
    config = load_config(None, project / "ci" / "sop-lint.toml")
    assert config.cache_dir == "../build/lint-cache"  # the same folder, seen from ci/
    check("docs", "--config", "ci/sop-lint.toml")
    assert cached_files(project / "build" / "lint-cache") == 5


def test_sop_lint_config_shows_the_cache_settings(project):
    configure(project, 'cache = false\ncache-dir = "build/lint-cache"\n')
    result = CliRunner().invoke(main, ["config"])
    shown = json.loads(result.stdout)
    assert (shown["cache"], shown["cache-dir"]) == (False, "build/lint-cache")


# -- wrong values: one line naming the file and the key ------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('cache = "no"', "sop-lint.toml: config key 'cache': expected true or false, got 'no'"),
        ("cache = 0", "sop-lint.toml: config key 'cache': expected true or false, got 0"),
        (
            'cache-dir = ""',
            "sop-lint.toml: config key 'cache-dir': expected a folder name such as "
            "\".sop-lint-cache\", got ''",
        ),
        (
            "cache-dir = 7",
            "sop-lint.toml: config key 'cache-dir': expected a folder name such as "
            '".sop-lint-cache", got 7',
        ),
    ],
)
def test_a_wrong_value_is_one_line_naming_the_file_and_key(project, line, expected):
    configure(project, line + "\n")
    result = CliRunner().invoke(main, ["check", "docs"])
    assert result.exit_code == 2
    assert result.stderr == f"sop-lint: error: {expected}\n"


def test_a_misspelt_key_is_named_with_the_right_one(project):
    configure(project, "cache_dir = 'x'\n")
    with pytest.raises(ConfigError, match="did you mean 'cache-dir'"):
        load_config(project)


# -- --fix and the cache -------------------------------------------------------------------------

WORDY_EN = sop(
    """
    ---
    id: CS-201
    title: Replace a lost card
    version: "1.0"
    lang: en
    ---
    # Replace a lost card

    ## Procedure

    1. In order to keep accounts safe, ask who the customer is.
    2. Block the old card.
    3. In order to send the new card, check the address.
    """
)


@pytest.mark.parametrize("where", ["--cache-dir", "config"])
def test_fix_stores_only_the_fixed_texts_in_the_cache(project, tmp_path_factory, where):
    (project / "docs" / "en" / "card.md").write_text(WORDY_EN, encoding="utf-8")
    folder = tmp_path_factory.mktemp("fix") / "cache"
    if where == "config":
        configure(project, f"cache-dir = {json.dumps(str(folder))}\n")
        options = []
    else:
        options = ["--cache-dir", str(folder)]
    fixed = check("docs", "--fix", *options)
    assert "Fixed 2 findings in 1 file." in fixed.stderr
    assert "In order to" not in (project / "docs" / "en" / "card.md").read_text(encoding="utf-8")
    # One entry a file, for its text as saved: the fixer's re-checks stored nothing.
    assert cached_files(folder) == 6
    stored = {p: p.stat().st_mtime_ns for p in entries(folder)}
    again = check("docs", *options)  # every result read back from the cache
    assert {p: p.stat().st_mtime_ns for p in entries(folder)} == stored
    assert again.stdout == check("docs", "--no-cache").stdout


def test_fix_with_no_cache_writes_no_cache_folder(project):
    (project / "docs" / "en" / "card.md").write_text(WORDY_EN, encoding="utf-8")
    fixed = check("docs", "--fix", "--no-cache")
    assert "Fixed 2 findings in 1 file." in fixed.stderr
    assert not (project / CACHE_DIR_NAME).exists()
