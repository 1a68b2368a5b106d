"""``sop-lint baseline`` and ``check --baseline FILE``: an existing SOP set with known
findings passes on day one, and fails on the first new flaw.

End to end on a scratch SOP set (en, sv, nb, te); the last tests combine the baseline with
``--diff-base`` in a git repository.
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
    CONFIG,
    LONG_EN,
    LONG_NB,
    LONG_SV,
    OPENING_EN,
    RECEIVING_NB,
    SOPS,
    commit,
    make_repository,
    write,
)

REPO = Path(__file__).resolve().parents[1]
BASELINE = ".sop-lint-baseline.json"


@pytest.fixture
def sops(project):
    (project.root / "sop-lint.toml").write_text(CONFIG, encoding="utf-8")
    for relative, text in SOPS.items():
        write(project.root, relative, text)
    # A second old flaw, in Swedish: the set has known findings in two languages.
    write(
        project.root,
        "docs/sv/closing.md",
        CLOSING_SV.replace("## Dokumentation\n", f"## Dokumentation\n\n{LONG_SV}\n"),
    )
    return project.root


def check(cli, *args: str):
    return cli("check", "docs", "--fail-on", "warning", *args)


def rules_of(result) -> list[tuple[str, str, int]]:
    return [(f["path"], f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]]


def test_a_flawed_set_passes_with_its_baseline_and_fails_on_one_new_flaw(sops, cli):
    assert check(cli).exit_code == 1  # the set has known findings
    written = cli("baseline", "docs")
    assert written.exit_code == 0, written.stderr
    assert written.stdout.startswith(f"Wrote 2 findings in 2 files to {BASELINE}")
    passed = check(cli, "--baseline", BASELINE)
    assert passed.exit_code == 0
    assert "Checked 5 files: no findings." in passed.stdout
    assert passed.stderr == f"sop-lint: 2 known findings in {BASELINE} are hidden\n"

    receiving = RECEIVING_NB.replace("3. Sett", f"3. {LONG_NB}\n4. Sett")
    write(sops, "docs/nb/receiving.md", receiving)
    failed = check(cli, "--baseline", BASELINE, "--format", "json")
    assert failed.exit_code == 1
    assert rules_of(failed) == [("docs/nb/receiving.md", "B001", 33)]


def test_known_findings_stay_hidden_when_lines_move(sops, cli):
    cli("baseline", "docs")
    moved = OPENING_EN.replace(
        "## Purpose\n\n",
        "## Purpose\n\nA short new paragraph. It moves every line below it.\n\n",
    )
    write(sops, "docs/en/opening.md", moved)
    result = check(cli, "--baseline", BASELINE, "--format", "json")
    assert result.exit_code == 0
    assert rules_of(result) == []


def test_two_identical_findings_in_the_baseline_hide_two_not_three(sops, cli):
    twice = OPENING_EN.replace("## Records\n", f"## Records\n\n{LONG_EN}\n\n{LONG_EN}\n")
    write(sops, "docs/en/opening.md", twice)
    cli("baseline", "docs")
    entries = json.loads((sops / BASELINE).read_text(encoding="utf-8"))["findings"]
    assert len([e for e in entries if e["path"] == "docs/en/opening.md"]) == 3
    thrice = OPENING_EN.replace(
        "## Records\n", f"## Records\n\n{LONG_EN}\n\n{LONG_EN}\n\n{LONG_EN}\n"
    )
    write(sops, "docs/en/opening.md", thrice)
    result = check(cli, "--baseline", BASELINE, "--format", "json")
    assert [rule for _, rule, _ in rules_of(result)] == ["B001"]
    assert result.exit_code == 1


def test_fixed_findings_are_counted_and_drop_out_when_the_baseline_is_rewritten(sops, cli):
    cli("baseline", "docs")
    write(sops, "docs/sv/closing.md", CLOSING_SV)  # the Swedish flaw fixed
    result = check(cli, "--baseline", BASELINE)
    assert result.exit_code == 0
    assert result.stderr == (
        f"sop-lint: 1 known finding in {BASELINE} is hidden; 1 in it is fixed \u2014 run "
        "'sop-lint baseline' to drop them\n"
    )
    rewritten = cli("baseline", "docs")
    assert "Wrote 1 finding in 1 file" in rewritten.stdout
    assert "(1 fixed dropped, 0 added)" in rewritten.stdout
    entries = json.loads((sops / BASELINE).read_text(encoding="utf-8"))["findings"]
    assert [(e["path"], e["rule"]) for e in entries] == [("docs/en/opening.md", "B001")]


def test_checking_some_files_does_not_call_the_others_fixed(sops, cli):
    cli("baseline", "docs")
    result = cli("check", "docs/en", "--baseline", BASELINE)
    assert result.stderr == f"sop-lint: 1 known finding in {BASELINE} is hidden\n"


def test_a_baseline_of_some_files_keeps_the_known_findings_of_the_others(sops, cli):
    cli("baseline", "docs")
    before = json.loads((sops / BASELINE).read_text(encoding="utf-8"))["findings"]
    assert {e["path"] for e in before} == {"docs/en/opening.md", "docs/sv/closing.md"}
    partial = cli("baseline", "docs/en")
    assert "(0 fixed dropped, 0 added; 1 of files not checked in this run kept)" in (partial.stdout)
    after = json.loads((sops / BASELINE).read_text(encoding="utf-8"))["findings"]
    assert after == before  # the Swedish finding is still known, not "fixed"
    assert check(cli, "--baseline", BASELINE).exit_code == 0


def test_the_entries_of_a_deleted_sop_leave_the_baseline(sops, cli):
    cli("baseline", "docs")
    (sops / "docs/sv/closing.md").unlink()
    rewritten = cli("baseline", "docs")
    entries = json.loads((sops / BASELINE).read_text(encoding="utf-8"))["findings"]
    assert {e["path"] for e in entries} == {"docs/en/opening.md"}
    assert "kept" not in rewritten.stdout


def test_the_baseline_file_is_small_sorted_and_readable(sops, cli):
    cli("baseline", "docs")
    text = (sops / BASELINE).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:4] == ["{", '  "version": 1,', '  "tool": "sop-lint",', '  "findings": [']
    assert lines[-2:] == ["  ]", "}"]
    entries = lines[4:-2]
    assert len(entries) == 2  # one finding a line: a fixed finding is a one-line diff
    first = json.loads(entries[0].rstrip(","))
    assert list(first) == ["path", "rule", "message", "fingerprint"]
    assert first["path"] == "docs/en/opening.md" and first["rule"] == "B001"
    assert first["message"].startswith("Sentence has 50 words")
    assert "line" not in first  # line numbers would change whenever text moves
    assert entries == sorted(entries, key=lambda e: json.loads(e.rstrip(","))["path"])
    cli("baseline", "docs")
    assert (sops / BASELINE).read_text(encoding="utf-8") == text  # stable
    assert [p.name for p in sops.iterdir() if p.name.endswith(".tmp")] == []
    mode = (sops / BASELINE).stat().st_mode & 0o777
    assert mode == 0o666 & ~_umask()  # a project file, not a private temporary one


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def test_a_baseline_names_files_relative_to_itself(sops, cli, monkeypatch):
    cli("baseline", "docs", "--output", "ci/known.json")
    entries = json.loads((sops / "ci/known.json").read_text(encoding="utf-8"))["findings"]
    assert entries[0]["path"] == "../docs/en/opening.md"
    monkeypatch.chdir(sops / "docs")
    result = cli("check", "en", "sv", "--baseline", "../ci/known.json", "--fail-on", "warning")
    assert result.exit_code == 0, result.stdout


def test_an_empty_set_of_findings_writes_an_empty_baseline(project, cli):
    (project.root / "sop-lint.toml").write_text(CONFIG, encoding="utf-8")
    write(project.root, "docs/nb/receiving.md", RECEIVING_NB)
    assert cli("baseline", "docs").exit_code == 0
    data = json.loads((project.root / BASELINE).read_text(encoding="utf-8"))
    assert data == {"version": 1, "tool": "sop-lint", "findings": []}


# -- the config names the baseline --------------------------------------------------------


def test_the_config_key_applies_the_baseline_without_a_flag(sops, cli):
    (sops / "sop-lint.toml").write_text(
        CONFIG + 'baseline = "ci/sop-lint-baseline.json"\n', encoding="utf-8"
    )
    written = cli("baseline", "docs")
    assert "to ci/sop-lint-baseline.json" in written.stdout
    result = check(cli)
    assert result.exit_code == 0
    assert "2 known findings in ci/sop-lint-baseline.json are hidden" in result.stderr


def test_the_flag_wins_over_the_config_key(sops, cli):
    (sops / "sop-lint.toml").write_text(CONFIG + 'baseline = "gone.json"\n', encoding="utf-8")
    cli("baseline", "docs", "--output", "mine.json")
    result = check(cli, "--baseline", "mine.json")
    assert result.exit_code == 0
    assert result.stderr == "sop-lint: 2 known findings in mine.json are hidden\n"


def test_a_config_baseline_that_is_missing_is_an_error_naming_the_key(sops, cli):
    (sops / "sop-lint.toml").write_text(CONFIG + 'baseline = "known.json"\n', encoding="utf-8")
    result = check(cli)
    assert result.exit_code == 2
    assert result.stderr == (
        "sop-lint: error: known.json: baseline file not found; write it with 'sop-lint "
        "baseline', or leave out --baseline (the config's baseline = 'known.json')\n"
    )


def test_a_baseline_key_that_is_not_a_file_name_is_a_config_error(sops, cli):
    (sops / "sop-lint.toml").write_text(CONFIG + "baseline = true\n", encoding="utf-8")
    result = check(cli)
    assert result.exit_code == 2
    assert "key 'baseline': expected a file name" in result.stderr


# -- a missing or broken baseline: one line, exit 2 ------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "missing.json: baseline file not found; write it with 'sop-lint baseline'"),
        ("{ not json", "missing.json: line 1: not valid JSON"),
        ('{"version": 1}', 'missing.json: not a sop-lint baseline (no "findings")'),
        ('{"version": 7, "findings": []}', "missing.json: baseline version 7 is not one"),
        ('{"version": 1, "findings": [{"rule": "B001"}]}', 'needs a "path" and a "fingerprint"'),
    ],
)
def test_a_missing_or_broken_baseline_is_a_usage_error(sops, cli, content, says):
    if content is not None:
        (sops / "missing.json").write_text(content, encoding="utf-8")
    result = check(cli, "--baseline", "missing.json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("sop-lint: error: ")
    assert says in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_quiet_prints_no_note(sops, cli):
    cli("baseline", "docs")
    result = check(cli, "--baseline", BASELINE, "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


# -- with --diff-base ----------------------------------------------------------------------


def test_baseline_and_diff_base_combine(project, cli):
    make_repository(project.root)
    cli("baseline", "docs")
    commit(project.root, "Baseline")
    opening = OPENING_EN.replace("3. Count the cash", f"3. {LONG_EN}\n4. Count the cash")
    closing = CLOSING_SV.replace("3. Släck", f"3. {LONG_SV}\n4. Släck")
    write(project.root, "docs/en/opening.md", opening)
    write(project.root, "docs/sv/closing.md", closing)
    # The English step repeats the known sentence: the baseline lists one, so the second
    # is new; the Swedish one is new. Both are on changed lines.
    result = check(cli, "--baseline", BASELINE, "--diff-base", "main", "--format", "json")
    assert rules_of(result) == [
        ("docs/en/opening.md", "B001", 33),
        ("docs/sv/closing.md", "B001", 33),
    ]
    # Nothing was left out by --diff-base, so it adds no note.
    assert result.stderr == f"sop-lint: 1 known finding in {BASELINE} is hidden\n"


def test_a_real_run_with_the_baseline_exits_0(sops):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sop_lint", *args],
            cwd=sops,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"},
            timeout=120,
        )

    assert run("baseline", "docs").returncode == 0
    done = run("check", "docs", "--baseline", BASELINE, "--fail-on", "warning")
    assert done.returncode == 0
    assert done.stderr == f"sop-lint: 2 known findings in {BASELINE} are hidden\n"
