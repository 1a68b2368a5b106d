"""``sop-lint check --diff-base REF``: only findings on lines a change touched.

End to end on scratch git repositories: the SOP set (en, sv, nb, te) is committed on
``main``, the test edits it on a branch (committed, as in CI, or not, as at a writer's
desk) and checks with ``--diff-base main``.
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
    LONG_NB,
    LONG_SV,
    OPENING_EN,
    RECEIVING_NB,
    commit,
    git,
    make_repository,
    write,
)

from sop_lint.changes import FileChanges, parse_diff, unquote_path

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo(project):
    make_repository(project.root)
    return project.root


def findings(cli, *args: str) -> tuple[list[tuple[str, str, int]], object]:
    """(path, rule, line) of each finding of a JSON check, and click's result."""
    result = cli("check", "docs", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    return [(f["path"], f["rule"], f["line"]) for f in data["findings"]], result


def json_findings(cli, *args: str) -> list[dict]:
    result = cli("check", "docs", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


# -- the pull request sees what it changed -------------------------------------------------


def test_a_change_that_adds_one_bad_line_shows_exactly_that_finding(repo, cli):
    closing = CLOSING_SV.replace(
        "3. Släck ljuset i butiken.\n", f"3. Släck ljuset i butiken.\n4. {LONG_SV}\n"
    )
    write(repo, "docs/sv/closing.md", closing)
    everything, _ = findings(cli)
    assert ("docs/en/opening.md", "B001", 32) in everything  # the set's old flaw
    shown, result = findings(cli, "--diff-base", "main")
    assert shown == [("docs/sv/closing.md", "B001", 34)]
    assert result.exit_code == 1  # the new sentence is over 50 words: an error
    assert "1 finding on lines not changed since main is not shown" in result.stderr


def test_the_same_change_committed_on_the_branch_as_in_ci(repo, cli):
    receiving = RECEIVING_NB.replace(
        "3. Sett varene på riktig hylle.\n", f"3. Sett varene på riktig hylle.\n4. {LONG_NB}\n"
    )
    write(repo, "docs/nb/receiving.md", receiving)
    commit(repo, "Longer receiving procedure")
    shown, _ = findings(cli, "--diff-base", "main")
    assert shown == [("docs/nb/receiving.md", "B001", 34)]


def test_a_clean_change_shows_nothing_and_passes(repo, cli):
    write(repo, "docs/en/counting.md", COUNTING_EN.replace("the notes", "the bank notes"))
    shown, result = findings(cli, "--diff-base", "main", "--fail-on", "warning")
    assert shown == []
    assert result.exit_code == 0


def test_a_renamed_file_with_no_edits_shows_nothing(repo, cli):
    git(repo, "mv", "docs/en/opening.md", "docs/en/store-opening.md")
    commit(repo, "Rename")
    assert findings(cli)[0] == [("docs/en/store-opening.md", "B001", 32)]
    assert findings(cli, "--diff-base", "main")[0] == []


def test_a_renamed_and_edited_file_shows_only_its_edited_lines(repo, cli):
    git(repo, "mv", "docs/sv/closing.md", "docs/sv/stanga.md")
    edited = CLOSING_SV.replace("## Dokumentation\n", f"## Dokumentation\n\n{LONG_SV}\n")
    write(repo, "docs/sv/stanga.md", edited)
    shown, _ = findings(cli, "--diff-base", "main")
    assert shown == [("docs/sv/stanga.md", "B001", 42)]


def test_a_new_untracked_file_shows_all_its_findings(repo, cli):
    new = RECEIVING_NB.replace("OPS-003", "OPS-006").replace(
        "## Dokumentasjon\n\nLegg følgeseddelen i permen på lageret.\n\n", ""
    )
    new = new.replace("1. Sjekk at pakkene er hele.", f"1. {LONG_NB}")
    write(repo, "docs/nb/returns.md", new)
    everything = [f for f in findings(cli)[0] if f[0] == "docs/nb/returns.md"]
    assert {rule for _, rule, _ in everything} == {"B001", "T001"}
    assert findings(cli, "--diff-base", "main")[0] == everything


def test_an_ignored_file_is_not_new(repo, cli):
    (repo / ".gitignore").write_text("drafts/\n", encoding="utf-8")
    commit(repo, "Ignore drafts")
    write(repo, "docs/drafts/idea.md", OPENING_EN.replace("OPS-001", "OPS-009"))
    shown, _ = findings(cli, "--diff-base", "main")
    assert [f for f in shown if "drafts" in f[0]] == []


def test_a_deleted_front_matter_line_shows_the_missing_metadata_next_to_it(repo, cli):
    # T006 is reported on the line before the missing key: a deletion right next to a
    # finding's span counts as a change to it.
    write(repo, "docs/te/cleaning.md", _without_line(repo, "docs/te/cleaning.md", "owner:"))
    shown, _ = findings(cli, "--diff-base", "main")
    assert shown == [("docs/te/cleaning.md", "T006", 5)]


def test_a_deleted_section_shows_the_missing_section(repo, cli):
    text = (repo / "docs/sv/closing.md").read_text(encoding="utf-8")
    write(repo, "docs/sv/closing.md", text.replace("## Omfattning\n\n", ""))
    shown, _ = findings(cli, "--diff-base", "main")
    assert [rule for _, rule, _ in shown] == ["T001"]


def _without_line(root: Path, relative: str, start: str) -> str:
    lines = (root / relative).read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith(start))


def test_a_file_with_crlf_line_endings_and_a_name_git_quotes(repo, cli):
    # Windows line endings, and a name with a space and non-ASCII letters, which git
    # writes in its diff in quotes with octal escapes.
    name = "docs/sv/stänga kvällen.md"
    evening = CLOSING_SV.replace("OPS-002", "OPS-012")
    (repo / name).write_bytes(evening.replace("\n", "\r\n").encode("utf-8"))
    commit(repo, "A Windows file, on main")
    git(repo, "branch", "-f", "main")
    longer = evening.replace("3. Släck ljuset i butiken.\n", f"3. {LONG_SV}\n")
    (repo / name).write_bytes(longer.replace("\n", "\r\n").encode("utf-8"))
    shown, _ = findings(cli, "--diff-base", "main")
    assert shown == [(name, "B001", 33)]


# -- findings across documents that a change caused ------------------------------------------


def test_an_id_changed_to_one_another_sop_has_shows_on_the_changed_file(repo, cli):
    write(repo, "docs/en/counting.md", COUNTING_EN.replace("id: OPS-005", "id: OPS-001"))
    shown = json_findings(cli, "--diff-base", "main")
    assert [(f["path"], f["rule"], f["line"]) for f in shown] == [
        ("docs/en/counting.md", "D001", 2)
    ]
    assert "docs/en/opening.md:2" in shown[0]["message"]
    assert shown[0]["related"][0]["path"] == "docs/en/opening.md"


def test_a_removed_heading_that_another_sop_links_to_shows_on_the_changed_file(repo, cli):
    # docs/en/opening.md links to ../nb/receiving.md#avvik-og-eskalering; the change
    # renames that heading. The broken link is in the unchanged file, so it is reported on
    # the changed one, at the change, and names the file with the link.
    receiving = RECEIVING_NB.replace("## Avvik og eskalering", "## Når noe mangler")
    write(repo, "docs/nb/receiving.md", receiving)
    before = [f for f in json_findings(cli) if f["rule"] == "D010"]
    assert [(f["path"], f["line"]) for f in before] == [("docs/en/opening.md", 46)]
    shown = [f for f in json_findings(cli, "--diff-base", "main") if f["rule"] == "D010"]
    assert [(f["path"], f["line"]) for f in shown] == [("docs/nb/receiving.md", 35)]
    assert shown[0]["message"].startswith("docs/en/opening.md:46: the link to")
    assert shown[0]["related"][0] == {
        "path": "docs/en/opening.md",
        "line": 46,
        "column": before[0]["column"],
        "message": "found here",
    }


def test_a_deleted_sop_that_another_links_to_shows_on_the_linking_file(repo, cli):
    git(repo, "rm", "-q", "docs/nb/receiving.md")
    commit(repo, "Retire receiving")
    shown, _ = findings(cli, "--diff-base", "main")
    assert ("docs/en/opening.md", "D010", 46) in shown


def test_cross_document_findings_the_change_did_not_cause_stay_hidden(repo, cli):
    # A broken link that was already there on main is not this change's doing, even when
    # the change edits the file the link points to.
    text = OPENING_EN.replace("#avvik-og-eskalering", "#nowhere")
    write(repo, "docs/en/opening.md", text)
    commit(repo, "A broken link, on main")
    git(repo, "branch", "-f", "main")
    write(repo, "docs/nb/receiving.md", RECEIVING_NB.replace("hele.", "hele og tørre."))
    shown, _ = findings(cli, "--diff-base", "main")
    assert shown == []


# -- bad input: one clear line, exit 2 -----------------------------------------------------


def test_an_unknown_ref_is_a_usage_error_naming_it(repo, cli):
    result = cli("check", "docs", "--diff-base", "origin/mian")
    assert result.exit_code == 2
    assert result.stderr.startswith("sop-lint: error: --diff-base: git knows no commit called")
    assert "'origin/mian'" in result.stderr and len(result.stderr.splitlines()) == 1


def test_outside_a_git_repository_is_a_usage_error(project, cli):
    project.write("docs/en/opening.md", OPENING_EN)
    result = cli("check", "docs", "--diff-base", "main")
    assert result.exit_code == 2
    assert "is not in one; run sop-lint inside the repository" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_without_git_installed_is_a_usage_error(repo, cli, monkeypatch):
    monkeypatch.setenv("PATH", str(repo / "no-such-folder"))
    result = cli("check", "docs", "--diff-base", "main")
    assert result.exit_code == 2
    assert "--diff-base needs git, and git is not installed" in result.stderr


def test_a_real_run_in_ci_exits_1_with_the_note_on_stderr(repo):
    closing = CLOSING_SV.replace(
        "3. Släck ljuset i butiken.\n", f"3. Släck ljuset i butiken.\n4. {LONG_SV}\n"
    )
    write(repo, "docs/sv/closing.md", closing)
    commit(repo, "Longer closing")
    done = subprocess.run(
        [sys.executable, "-m", "sop_lint", "check", "docs", "--diff-base", "main", "-q"],
        cwd=repo,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"},
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("docs/sv/closing.md:34:4: B001")
    assert done.stderr == ""  # -q: nothing but findings


# -- reading git's diff --------------------------------------------------------------------


def test_diff_hunks_give_changed_lines_and_deletions():
    diff = (
        b"diff --git a/docs/a.md b/docs/a.md\n"
        b"index 1..2 100644\n"
        b"--- a/docs/a.md\n"
        b"+++ b/docs/a.md\n"
        b"@@ -3 +3 @@ title\n"
        b"-old\n"
        b"+new\n"
        b"@@ -10,2 +9,0 @@\n"
        b"--- a line that starts like a header\n"
        b"-+++ and another\n"
        b"@@ -20,0 +19,2 @@\n"
        b"+added\r\n"
        b"+added too\n"
        b"\\ No newline at end of file\n"
    )
    [changes] = parse_diff(diff)
    assert (changes.path, changes.old_path) == ("docs/a.md", "docs/a.md")
    assert changes.lines == {3, 19, 20}
    assert changes.deletions == [9]
    assert changes.touches(10, 12)  # the deletion sits just above line 10
    assert changes.touches(9, 9)  # ... and just below line 9
    assert not changes.touches(5, 8)


def test_quoted_paths_renames_binary_and_deleted_files():
    diff = (
        b'diff --git "a/docs/sv/st\\303\\244nga.md" "b/docs/sv/st\\303\\244nga.md"\n'
        b'--- "a/docs/sv/st\\303\\244nga.md"\t\n'
        b'+++ "b/docs/sv/st\\303\\244nga.md"\t\n'
        b"@@ -1,0 +2 @@\n"
        b"+x\n"
        b"diff --git a/old name.md b/new name.md\n"
        b"similarity index 100%\n"
        b"rename from old name.md\n"
        b"rename to new name.md\n"
        b"diff --git a/pic.md b/pic.md\n"
        b"new file mode 100644\n"
        b"Binary files /dev/null and b/pic.md differ\n"
        b"diff --git a/gone.md b/gone.md\n"
        b"deleted file mode 100644\n"
        b"--- a/gone.md\n"
        b"+++ /dev/null\n"
        b"@@ -1,2 +0,0 @@\n"
        b"-a\n"
        b"-b\n"
    )
    quoted, renamed, binary, gone = parse_diff(diff)
    assert quoted.path == "docs/sv/stänga.md" and quoted.lines == {2}
    assert (renamed.path, renamed.old_path, renamed.lines) == ("new name.md", "old name.md", set())
    assert binary.path == "pic.md" and binary.whole
    assert (gone.path, gone.old_path) == ("/dev/null", "gone.md")


def test_unquote_path_reads_c_escapes():
    assert unquote_path(b'"a/tab\\there \\"q\\".md"') == 'a/tab\there "q".md'
    assert unquote_path(b"a/plain name.md\t") == "a/plain name.md"


def test_nearest_change_for_a_finding_moved_to_the_changed_file():
    changes = FileChanges("a.md", "a.md", lines={30}, deletions=[12])
    assert changes.nearest(1) == 12
    assert changes.nearest(29) == 30


def test_a_shallow_pull_request_checkout_compares_with_the_base_commit(tmp_path):
    """As actions/checkout leaves it: the pull request's merge commit fetched alone, then
    the base commit alone. There is no history to find a merge base in; the merge commit's
    first parent is the base, so comparing with it shows exactly the pull request."""
    origin = tmp_path / "origin"
    origin.mkdir()
    make_repository(origin)
    closing = CLOSING_SV.replace(
        "3. Släck ljuset i butiken.\n", f"3. Släck ljuset i butiken.\n4. {LONG_SV}\n"
    )
    write(origin, "docs/sv/closing.md", closing)
    commit(origin, "Longer closing procedure")
    git(origin, "checkout", "-q", "main")
    write(origin, "docs/nb/receiving.md", RECEIVING_NB + "\n")  # main moved on meanwhile
    commit(origin, "Main moved on")
    base = git(origin, "rev-parse", "HEAD").strip()
    git(origin, "checkout", "-q", "-b", "pull-merge")
    git(
        origin,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "merge",
        "-q",
        "--no-ff",
        "change",
        "-m",
        "Merge change into main",
    )
    git(origin, "config", "uploadpack.allowAnySHA1InWant", "true")
    clone = tmp_path / "clone"
    git(
        tmp_path,
        "clone",
        "-q",
        "--depth",
        "1",
        "--branch",
        "pull-merge",
        origin.as_uri(),
        str(clone),
    )
    git(clone, "fetch", "-q", "--depth", "1", "origin", base)
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sop_lint",
            "check",
            "docs",
            "--format",
            "json",
            "--diff-base",
            base,
        ],
        cwd=clone,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"},
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    shown = [(f["path"], f["rule"], f["line"]) for f in json.loads(done.stdout)["findings"]]
    assert shown == [("docs/sv/closing.md", "B001", 34)]
