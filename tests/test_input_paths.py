"""Which files ``sop-lint check`` reads (issue 11, "Input"): quoted glob arguments,
``.gitignore``, gitignore-style config globs, nested ``sop-lint.toml`` with ``extend``,
zero files checked as an error, and one SOP read from stdin.

Each test builds a small project (a scratch git repository where git matters) and runs
the command end to end. Every SOP below has one step of 31 words, so each file checked
gives exactly one B001 (sentence-too-long) warning: the findings list the files checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, sop

from sop_lint.cli import main

# Steps of 31 to 36 words: one B001 warning in each SOP.
STEP_EN = (
    "Ask the customer for the receipt and the card they paid with, and "
    "write the order number on the return slip before you take the item "
    "back and put it on the shelf."
)
STEP_SV = (
    "Be kunden om kvittot och kortet som användes vid köpet och skriv sedan "
    "ordernumret på returlappen innan du tar emot varan och lägger den på "
    "hyllan bakom kassan i butiken direkt."
)
STEP_NB = (
    "Be kunden om kvitteringen og kortet som ble brukt ved kjøpet og skriv "
    "deretter ordrenummeret på returlappen før du tar imot varen og legger "
    "den på hylla bak kassen i butikken med en gang."
)
STEP_TE = (
    "కస్టమర్‌ను రసీదు మరియు చెల్లించిన కార్డు అడగండి మరియు వస్తువును "
    "తీసుకునే ముందు రిటర్న్ స్లిప్‌పై ఆర్డర్ నంబర్ రాయండి మరియు ఆ తర్వాత "
    "వస్తువును కౌంటర్ వెనుక ఉన్న షెల్ఫ్‌లో జాగ్రత్తగా పెట్టండి మరియు "
    "రసీదును కస్టమర్‌కు తిరిగి ఇచ్చి ధన్యవాదాలు చెప్పండి ఇంకా రిజిస్టర్‌లో "
    "నమోదు చేయండి."
)
RETURNS_EN = sop(
    f"""
    ---
    title: Product returns
    lang: en
    ---
    # Product returns

    1. {STEP_EN}
    2. Give the money back.
    """
)
RETUR_SV = sop(
    f"""
    ---
    title: Hantera en retur
    lang: sv
    ---
    # Hantera en retur

    1. {STEP_SV}
    2. Ge pengarna tillbaka.
    """
)
RETUR_NB = sop(
    f"""
    ---
    title: Behandle en retur
    lang: nb
    ---
    # Behandle en retur

    1. {STEP_NB}
    2. Gi pengene tilbake.
    """
)
RETURN_TE = sop(
    f"""
    ---
    title: ఉత్పత్తి రిటర్న్
    lang: te
    ---
    # ఉత్పత్తి రిటర్న్

    1. {STEP_TE}
    2. డబ్బు తిరిగి ఇవ్వండి.
    """
)
ONLY_LENGTH = 'select = ["B001"]\n'


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch git repository holding an SOP in each language; the working folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOP_LINT_DEBUG", raising=False)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    write(tmp_path, "sop-lint.toml", ONLY_LENGTH)
    write(tmp_path, "docs/en/returns.md", RETURNS_EN)
    write(tmp_path, "docs/sv/retur.md", RETUR_SV)
    write(tmp_path, "docs/nb/retur.md", RETUR_NB)
    write(tmp_path, "docs/te/return.md", RETURN_TE)
    return tmp_path


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def commit(root: Path) -> None:
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "SOPs"],
        cwd=root,
        check=True,
    )


def run(*args: str, stdin: str | bytes | None = None):
    """``sop-lint ARGS`` in-process; click's result, stdout and stderr apart."""
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def checked(result) -> list[str]:
    """The files a ``--format json`` run checked (one B001 each), in output order."""
    assert result.exit_code in (0, 1), result.stderr
    return [f["path"] for f in json.loads(result.stdout)["findings"] if f["rule"] == "B001"]


def subprocess_run(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    env.pop("SOP_LINT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "sop_lint", *args],
        cwd=root,
        env=env,
        capture_output=True,
        **{"timeout": 120, **kwargs},
    )


ALL_FOUR = ["docs/en/returns.md", "docs/nb/retur.md", "docs/sv/retur.md", "docs/te/return.md"]


# -- glob arguments --------------------------------------------------------------------------


def test_a_quoted_glob_argument_is_expanded_gitignore_style_and_sorted(repo):
    write(repo, "docs/index.md", RETURNS_EN)
    write(repo, "docs/sv/utkast/ny-retur.md", RETUR_SV)
    assert checked(run("check", "docs/**/*.md", "--format", "json")) == [
        "docs/en/returns.md",
        "docs/index.md",
        "docs/nb/retur.md",
        "docs/sv/retur.md",
        "docs/sv/utkast/ny-retur.md",
        "docs/te/return.md",
    ]
    # "*" stays inside one folder: only the files directly in docs/ and in docs/sv/.
    assert checked(run("check", "docs/*.md", "--format", "json")) == ["docs/index.md"]
    assert checked(run("check", "docs/sv/*.md", "--format", "json")) == ["docs/sv/retur.md"]
    assert checked(run("check", "docs/*/retur.md", "--format", "json")) == [
        "docs/nb/retur.md",
        "docs/sv/retur.md",
    ]


def test_a_glob_argument_that_matches_nothing_is_an_error_naming_it(repo):
    result = run("check", "docs/**/*.mdx")
    assert result.exit_code == 2
    assert "sop-lint: error: docs/**/*.mdx: no Markdown file matches this glob" in result.stderr


def test_a_glob_argument_leaves_out_excluded_files_and_says_so_when_that_is_all(repo):
    write(repo, "sop-lint.toml", ONLY_LENGTH + 'exclude = ["docs/sv/**"]\n')
    assert checked(run("check", "docs/*/*.md", "--format", "json")) == [
        "docs/en/returns.md",
        "docs/nb/retur.md",
        "docs/te/return.md",
    ]
    result = run("check", "docs/sv/*.md")
    assert result.exit_code == 2
    assert result.stderr == (
        'sop-lint: error: docs/sv/*.md: matches 1 .md file, excluded by exclude = ["docs/sv/**"] '
        "in sop-lint.toml; name a file to check it anyway, or change the exclude globs\n"
    )


# -- .gitignore ------------------------------------------------------------------------------


def test_gitignore_files_leave_files_out_of_a_folder_walk(repo):
    write(repo, ".gitignore", "build/\n*.tmp.md\n")
    write(repo, "docs/sv/.gitignore", "utkast/\n")  # a nested .gitignore, relative to it
    write(repo, ".git/info/exclude", "docs/nb/\n")
    write(repo, "build/generated.md", RETURNS_EN)
    write(repo, "docs/en/notes.tmp.md", RETURNS_EN)
    write(repo, "docs/sv/utkast/ny-retur.md", RETUR_SV)
    assert checked(run("check", ".", "--format", "json")) == [
        "docs/en/returns.md",
        "docs/sv/retur.md",
        "docs/te/return.md",
    ]


def test_a_negated_gitignore_line_takes_a_file_back_in(repo):
    write(repo, ".gitignore", "*.tmp.md\n")
    write(repo, "docs/en/.gitignore", "!keep.tmp.md\n")
    write(repo, "docs/en/keep.tmp.md", RETURNS_EN)
    write(repo, "docs/en/drop.tmp.md", RETURNS_EN)
    assert checked(run("check", "docs/en", "--format", "json")) == [
        "docs/en/keep.tmp.md",
        "docs/en/returns.md",
    ]


def test_a_git_ignored_file_named_on_the_command_line_is_still_checked(repo):
    write(repo, ".gitignore", "docs/sv/\n")
    assert checked(run("check", "docs", "--format", "json")) == [
        "docs/en/returns.md",
        "docs/nb/retur.md",
        "docs/te/return.md",
    ]
    assert checked(run("check", "docs/sv/retur.md", "--format", "json")) == ["docs/sv/retur.md"]


def test_no_ignore_and_respect_gitignore_false_check_git_ignored_files(repo):
    write(repo, ".gitignore", "docs/sv/\n")
    assert checked(run("check", "docs", "--no-ignore", "--format", "json")) == ALL_FOUR
    write(repo, "sop-lint.toml", ONLY_LENGTH + "respect-gitignore = false\n")
    assert checked(run("check", "docs", "--format", "json")) == ALL_FOUR


def test_gitignore_outside_a_git_work_tree_counts_from_the_checked_folder(repo):
    (repo / ".git").rename(repo / "not-git")  # no work tree any more
    write(repo, ".gitignore", "docs/en/\n")  # above the checked folder: not read
    write(repo, "docs/.gitignore", "te/\n")  # in the checked folder: read
    assert checked(run("check", "docs", "--format", "json")) == [
        "docs/en/returns.md",
        "docs/nb/retur.md",
        "docs/sv/retur.md",
    ]


# -- config globs match like gitignore -------------------------------------------------------


def test_exclude_docs_star_md_does_not_exclude_docs_en(repo):
    """The bug in the issue: ``docs/*.md`` also excluded ``docs/en/*.md``."""
    write(repo, "docs/index.md", RETURNS_EN)
    write(repo, "sop-lint.toml", ONLY_LENGTH + 'exclude = ["docs/*.md"]\n')
    assert checked(run("check", "docs", "--format", "json")) == ALL_FOUR


def test_exclude_glob_without_a_slash_matches_the_name_in_any_folder(repo):
    write(repo, "docs/sv/retur.draft.md", RETUR_SV)
    write(repo, "sop-lint.toml", ONLY_LENGTH + 'exclude = ["*.draft.md", "docs/*/legacy"]\n')
    write(repo, "docs/nb/legacy/gammel.md", RETUR_NB)
    assert checked(run("check", "docs", "--format", "json")) == ALL_FOUR


def test_override_star_stays_inside_one_folder(repo):
    write(repo, "docs/sv/arkiv/gammal.md", RETUR_SV)
    write(
        repo,
        "sop-lint.toml",
        ONLY_LENGTH + '[[overrides]]\npaths = ["docs/sv/*.md"]\nignore = ["B001"]\n',
    )
    assert checked(run("check", "docs/sv", "--format", "json")) == ["docs/sv/arkiv/gammal.md"]


# -- nested sop-lint.toml and extend -----------------------------------------------------------


def test_the_closest_sop_lint_toml_is_the_whole_config_for_its_folder(repo):
    write(repo, "sop-lint.toml", ONLY_LENGTH + 'fail-on = "warning"\n')
    # docs/sv's own config: no B001 (and nothing from the root config: ruff's model).
    write(repo, "docs/sv/sop-lint.toml", 'language = "sv"\nselect = ["B002"]\n')
    result = run("check", "docs", "--format", "json")
    assert checked(result) == ["docs/en/returns.md", "docs/nb/retur.md", "docs/te/return.md"]
    assert result.exit_code == 1  # fail-on comes from the run's (the root's) config


def test_extend_inherits_and_the_extending_file_wins(repo):
    write(
        repo,
        "sop-lint.toml",
        'select = ["B001", "B002"]\n'
        '[rules.sentence-too-long]\nseverity = "error"\n'
        '[[overrides]]\npaths = ["docs/sv/arkiv/**"]\nignore = ["B001"]\n',
    )
    write(
        repo,
        "docs/sv/sop-lint.toml",
        'extend = "../../sop-lint.toml"\nlanguage = "sv"\n'
        "[rules.sentence-too-long]\nmax-words-step = 33\n",
    )
    longer = RETUR_SV.replace("i butiken direkt.", "i butiken med hjälp av en kollega.")
    write(repo, "docs/sv/lang.md", longer)  # 35 words
    write(repo, "docs/sv/arkiv/gammal.md", longer)
    result = run("check", "docs", "--format", "json")
    found = [(f["path"], f["severity"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [
        ("docs/en/returns.md", "error"),
        ("docs/nb/retur.md", "error"),
        # docs/sv: 31 words is under its own 33; the severity is inherited, and so is the
        # override for docs/sv/arkiv (its glob relative to the root config, where it is).
        ("docs/sv/lang.md", "error"),
        ("docs/te/return.md", "error"),
    ]


def test_options_on_the_command_line_apply_to_nested_configs_too(repo):
    write(repo, "docs/sv/sop-lint.toml", 'language = "sv"\nselect = ["B001"]\n')
    assert checked(run("check", "docs", "--ignore", "B001", "--format", "json")) == []


def test_a_config_named_with_config_applies_to_every_file(repo):
    write(repo, "docs/sv/sop-lint.toml", 'select = ["B002"]\n')
    assert (
        checked(run("check", "docs", "--config", "sop-lint.toml", "--format", "json")) == ALL_FOUR
    )


def test_rules_across_the_sop_set_see_files_under_every_config(repo):
    write(repo, "sop-lint.toml", 'select = ["D001"]\n')
    write(repo, "docs/en/sop-lint.toml", 'select = ["D001"]\nlanguage = "en"\n')
    write(repo, "docs/en/a.md", "---\nid: CS-001\nlang: en\n---\n# A\n\nText.\n")
    write(repo, "docs/b.md", "---\nid: CS-001\nlang: en\n---\n# B\n\nText.\n")
    result = run("check", "docs", "--format", "json")
    assert {f["path"] for f in json.loads(result.stdout)["findings"]} == {
        "docs/en/a.md",
        "docs/b.md",
    }


@pytest.mark.parametrize(
    ("nested", "message"),
    [
        (
            'extend = "../../sop-lint.toml"\n',
            "sop-lint: error: sop-lint.toml: extend = 'docs/sv/sop-lint.toml' makes a "
            "loop (docs/sv/sop-lint.toml -> sop-lint.toml -> docs/sv/sop-lint.toml); remove "
            "'extend' from one of them\n",
        ),
        (
            'extend = "../base.toml"\n',
            "sop-lint: error: docs/sv/sop-lint.toml: extend = '../base.toml': config file "
            "docs/base.toml not found\n",
        ),
        (
            'extend = "../../../shared.toml"\n',
            "sop-lint: error: docs/sv/sop-lint.toml: extend = '../../../shared.toml' points "
            "outside the project ({root}); copy the shared config into the project and "
            "extend the copy\n",
        ),
        (
            "extend = 3\n",
            "sop-lint: error: docs/sv/sop-lint.toml: key 'extend': expected the path of "
            'another config file, e.g. extend = "../sop-lint.toml", got 3\n',
        ),
    ],
)
def test_a_bad_extend_is_one_line_naming_the_file(repo, nested, message):
    write(repo, "sop-lint.toml", ONLY_LENGTH + 'extend = "docs/sv/sop-lint.toml"\n')
    write(repo.parent, "shared.toml", ONLY_LENGTH)
    write(repo, "docs/sv/sop-lint.toml", nested)
    result = run("check", "docs/sv")
    assert result.exit_code == 2
    assert result.stderr == message.format(root=repo)


def test_extend_does_not_follow_a_symlink_out_of_the_project(repo):
    outside = write(repo.parent, "outside.toml", ONLY_LENGTH)
    (repo / "docs/base.toml").symlink_to(outside)
    write(repo, "docs/sv/sop-lint.toml", 'extend = "../base.toml"\n')
    result = run("check", "docs/sv")
    assert result.exit_code == 2
    assert "docs/base.toml: cannot read the config file: is a symlink to a file outside" in (
        result.stderr
    )


# -- zero files checked ----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "stats", "report"])
def test_a_run_that_checks_no_file_exits_2_and_says_why(repo, command):
    write(repo, "sop-lint.toml", ONLY_LENGTH + 'exclude = ["docs/**"]\n')
    result = run(command, "docs")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "sop-lint: error: no Markdown files to check: docs/ holds 4 .md files, all excluded "
        'by exclude = ["docs/**"] in sop-lint.toml; name a file to check it anyway, or '
        "change the exclude globs\n"
    )
    if command == "check":  # no "Checked 0 files: no findings." that reads as a pass
        assert result.stdout == ""


def test_no_file_because_of_gitignore_or_an_empty_folder_is_named(repo):
    write(repo, ".gitignore", "docs/\n")
    result = run("check", "docs")
    assert result.exit_code == 2
    assert (
        "sop-lint: error: no Markdown files to check: docs/ holds 4 .md files, all ignored by "
        ".gitignore; name a file to check it anyway, or pass --no-ignore to check "
        "git-ignored files\n"
    ) in result.stderr
    (repo / "empty").mkdir()
    result = run("check", "empty")
    assert result.exit_code == 2
    assert "no Markdown files to check: empty/ is empty; pass the folder that holds the SOPs" in (
        result.stderr
    )


# -- stdin -----------------------------------------------------------------------------------


def test_stdin_is_checked_as_the_file_stdin_filename_names(repo):
    # The Swedish text, named as a file under docs/sv: that folder's config (language sv,
    # no front matter needed) and the root's override for it apply, and findings name it.
    write(repo, "docs/sv/sop-lint.toml", 'language = "sv"\nselect = ["B001", "L"]\n')
    text = RETUR_SV.split("---\n", 2)[2]  # no front matter: the language comes from config
    result = run(
        "check", "-", "--stdin-filename", "docs/sv/retur.md", "--format", "json", stdin=text
    )
    data = json.loads(result.stdout)
    assert [(f["path"], f["rule"], f["line"]) for f in data["findings"]] == [
        ("docs/sv/retur.md", "B001", 3)
    ]


def test_stdin_without_a_name_is_stdin_in_the_configured_language(repo):
    write(repo, "sop-lint.toml", ONLY_LENGTH + 'language = "nb"\n')
    text = RETUR_NB.split("---\n", 2)[2]
    result = run("check", "-", "-q", stdin=text)
    assert result.stdout.startswith("<stdin>:3:4: B001")
    result = run("check", "-", "--format", "json", "--select", "S", stdin=text)
    assert json.loads(result.stdout)["findings"] == []  # read as Norwegian, not English


@pytest.mark.parametrize("command", ["stats", "report"])
def test_stdin_is_for_check_only(repo, command):
    result = run(command, "-", stdin=RETURNS_EN)
    assert result.exit_code == 2
    assert "sop-lint: error: -: only 'sop-lint check' reads an SOP from stdin" in result.stderr


def test_stdin_that_never_ends_stops_at_the_size_limit(repo):
    with open("/dev/zero", "rb") as zeros:
        completed = subprocess_run(repo, "check", "-", stdin=zeros)
    assert completed.returncode == 2
    assert completed.stderr.decode() == (
        "sop-lint: error: stdin: the text is over 160 KB, the limit for one SOP; check what "
        "is piped in (an SOP is a few KB)\n"
    )


def test_binary_stdin_is_a_finding_like_a_binary_file(repo):
    completed = subprocess_run(
        repo,
        *("check", "-", "--stdin-filename", "docs/en/x.md", "-q", "--select", "unreadable-file"),
        input=b"# A\n\0\0",
    )
    assert completed.returncode == 1
    assert completed.stdout.decode().startswith("docs/en/x.md:2:1: S001")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("docs", "--stdin-filename", "docs/sv/retur.md"),
            "--stdin-filename names the text read from stdin: pass - as the path too",
        ),
        (("-", "docs"), "- (read the SOP from stdin) must be the only path"),
    ],
)
def test_stdin_arguments_that_do_not_fit_are_usage_errors(repo, args, message):
    result = run("check", *args, stdin="")
    assert result.exit_code == 2
    assert message in result.stderr


def test_git_commit_then_check_sees_the_same_files_as_git(repo):
    """End to end: what git tracks is what sop-lint checks by default."""
    write(repo, ".gitignore", "docs/te/\n")
    commit(repo)
    tracked = subprocess.run(
        ["git", "ls-files", "*.md"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split()
    assert checked(run("check", ".", "--format", "json")) == sorted(tracked)


# -- .gitignore lines: the same answers as pathspec, in linear time ----------------------------

GITIGNORE_LINES = [
    "build/",
    "*.tmp.md",
    "/top.md",
    "docs/*.md",
    "docs/**/utkast/",
    "**/arkiv",
    "docs/sv/**",
    "utkast",
    "[ab]*.md",
    "?.md",
    "a/**/b.md",
    "\\#hash.md",
    "\\!bang.md",
    "space.md  ",
    "docs/",
]
GITIGNORE_PATHS = [
    "build/",
    "build/x.md",
    "a/build/",
    "a/build/x.md",
    "x.tmp.md",
    "docs/en/x.tmp.md",
    "top.md",
    "docs/top.md",
    "docs/x.md",
    "docs/en/x.md",
    "docs/utkast/",
    "docs/sv/utkast/",
    "docs/sv/utkast/a.md",
    "arkiv/",
    "docs/nb/arkiv/gammal.md",
    "docs/sv/x.md",
    "utkast/",
    "docs/utkast.md",
    "a.md",
    "b/x.md",
    "c.md",
    "a/b.md",
    "a/x/y/b.md",
    "#hash.md",
    "!bang.md",
    "space.md",
    "docs/",
]


@pytest.mark.parametrize("line", GITIGNORE_LINES)
def test_gitignore_lines_match_as_pathspec_matches_them(line):
    pathspec = pytest.importorskip("pathspec")  # the reference (it comes with MkDocs)
    from sop_lint.files import IgnoreList

    GitIgnoreSpec = pathspec.GitIgnoreSpec

    ours = IgnoreList.parse([line, "!keep.md"])
    theirs = GitIgnoreSpec.from_lines([line, "!keep.md"])
    for path in [*GITIGNORE_PATHS, "keep.md", "docs/keep.md"]:
        assert ours.check(path) is theirs.check_file(path).include, (line, path)


def test_a_gitignore_line_of_many_globstars_is_matched_in_one_pass(repo):
    """pathspec's regular expression took 6 s for this line on one path; sop-lint reads
    each path once. Run in a process with a generous guard."""
    deep = "/".join(["a"] * 30)
    write(repo, f"docs/{deep}/retur.md", RETUR_SV)
    write(repo, ".gitignore", "/".join(["**/a"] * 12) + "/z.md\n")
    completed = subprocess_run(repo, "check", "docs", "-q", timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert f"docs/{deep}/retur.md" in completed.stdout.decode()


def test_a_git_ignored_sop_is_not_part_of_the_set_rules_across_it_see(repo):
    """Like an excluded file: a reference to an SOP only a git-ignored draft has is
    broken, and the ignored draft does not make the run look partial (which would hold
    the finding back)."""
    write(repo, "sop-lint.toml", 'select = ["D010"]\n')
    write(repo, "docs/en/a.md", "---\nid: CS-001\nlang: en\n---\n# A\n\nSee CS-009 first.\n")
    write(repo, "docs/en/draft.md", "---\nid: CS-009\nlang: en\n---\n# Draft\n\nText.\n")
    assert json.loads(run("check", "docs/en", "--format", "json").stdout)["findings"] == []
    write(repo, ".gitignore", "draft.md\n")
    findings = json.loads(run("check", "docs/en", "--format", "json").stdout)["findings"]
    assert [(f["path"], f["rule"], f["line"]) for f in findings] == [("docs/en/a.md", "D010", 7)]
    assert "no checked SOP has the id “CS-009”" in findings[0]["message"]


def test_a_nested_config_that_is_a_pipe_is_an_error_naming_it_not_a_hang(repo):
    (repo / "docs/sv/sop-lint.toml").parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(repo / "docs/sv/sop-lint.toml")
    completed = subprocess_run(repo, "check", "docs", timeout=60)
    assert completed.returncode == 2
    assert completed.stderr.decode() == (
        "sop-lint: error: docs/sv/sop-lint.toml: cannot read the config file: is not a "
        "regular file (a pipe); sop-lint reads files\n"
    )
