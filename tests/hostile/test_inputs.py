"""Issue 9, the linter's inputs: config, command line, templates, skeletons and data files
named in config. Each test names the issue bullet it covers."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sop_lint
from sop_lint import check_text, engine
from sop_lint import template as template_module
from sop_lint.authoring import AuthoringError, NewSop, find_id, render
from sop_lint.config import Config, ConfigError, load_config, override_matches, parse_config
from sop_lint.template import TemplateError, load_template, template_for

# The checkout whose sop_lint this test run imports: subprocesses run the same code.
REPO = Path(sop_lint.__file__).resolve().parents[1]

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
        ("docs/*.md", "docs/sv/x.md", False),  # "*" stays in one folder (issue 11)
        ("docs/*.md", "docs/x.md", True),
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


# -- "Every read goes through one guarded reader": templates, skeletons, find_id,
#    languages_of, phrase lists (the linter's side) ---------------------------------------

OURS_YML = """\
extends: default
name: Butikens mall
"""


@pytest.fixture
def outside(tmp_path_factory) -> Path:
    """A folder outside the project, with a secret the project must never show."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.yml").write_text("name: HEMLIGT-LÖSENORD-4711\nextends: default\n")
    (folder / "passwd").write_text(
        "root:x:0:0:HEMLIGT-LÖSENORD-4711:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/bin/sh\n"
    )
    return folder


def test_template_symlink_outside_the_project_is_refused(project, outside):
    (project.root / "ours.yml").symlink_to(outside / "secret.yml")
    with pytest.raises(TemplateError, match="symlink to a file outside the project") as err:
        template_for("ours.yml", project.root)
    assert "HEMLIGT" not in str(err.value)


def test_template_symlink_to_dev_zero_is_refused_not_read(project):
    (project.root / "ours.yml").symlink_to("/dev/zero")
    with pytest.raises(TemplateError, match="cannot read template"):
        template_for("ours.yml", project.root)


def test_template_that_is_a_fifo_is_refused_not_waited_on(project):
    os.mkfifo(project.root / "ours.yml")
    with pytest.raises(TemplateError, match="not a regular file"):
        load_template(project.root / "ours.yml", project.root)


def test_template_oversized_is_refused(project):
    project.write("ours.yml", OURS_YML + "# utfyllnad\n" * 200_000)
    with pytest.raises(TemplateError, match=r"the limit is 1\.0 MB"):
        template_for("ours.yml", project.root)


def test_template_extends_through_a_symlink_outside_is_refused(project, outside):
    (project.root / "base.yml").symlink_to(outside / "secret.yml")
    project.write("ours.yml", "extends: base.yml\n")
    with pytest.raises(TemplateError, match="outside the project"):
        template_for("ours.yml", project.root)


def test_template_symlink_inside_the_project_is_followed(project):
    project.write("mallar/ours.yml", OURS_YML)
    (project.root / "ours.yml").symlink_to(project.root / "mallar/ours.yml")
    assert template_for("ours.yml", project.root).name == "Butikens mall"


def test_skeleton_path_of_etc_passwd_is_refused(project):
    project.write("ours.yml", OURS_YML + "skeletons:\n  sv: /etc/passwd\n")
    with pytest.raises(TemplateError, match=r"ours.yml:4: key 'skeletons.sv'.*is not a skeleton"):
        template_for("ours.yml", project.root)


def test_skeleton_symlink_outside_the_project_is_refused(project, outside):
    (outside / "sv.md.j2").write_text("---\n{{ front_matter }}\n---\nHEMLIGT\n")
    (project.root / "sv.md.j2").symlink_to(outside / "sv.md.j2")
    project.write("ours.yml", OURS_YML + "skeletons:\n  sv: sv.md.j2\n")
    with pytest.raises(TemplateError, match=r"sv\.md\.j2 is outside the project"):
        template_for("ours.yml", project.root)


def test_skeleton_outside_the_project_by_path_is_refused(project, outside):
    (outside / "sv.md.j2").write_text("HEMLIGT {{ title }}\n")
    project.write("ours.yml", OURS_YML + f"skeletons:\n  sv: {outside / 'sv.md.j2'}\n")
    with pytest.raises(TemplateError, match="is outside the project"):
        template_for("ours.yml", project.root)


def test_sop_lint_new_never_copies_etc_passwd_into_a_new_sop(project, cli):
    project.write("ours.yml", OURS_YML + "skeletons:\n  sv: /etc/passwd\n")
    project.write("sop-lint.toml", 'template = "ours.yml"\n')
    (project.root / "docs").mkdir()
    result = cli("new", "Hantera en retur", "--lang", "sv", "--no-input")
    assert result.exit_code == 2
    assert "is not a skeleton" in result.stderr
    assert not list((project.root / "docs").rglob("*.md"))


def test_project_skeleton_still_writes_a_new_sop(project, cli):
    project.write(
        "mallar/sv.md.j2", "---\n{{ front_matter }}\n---\n# {{ title }}\n\n## Syfte\n\nText.\n"
    )
    project.write("mallar/ours.yml", OURS_YML + "skeletons:\n  sv: sv.md.j2\n")
    project.write("sop-lint.toml", 'template = "mallar/ours.yml"\n')
    (project.root / "docs").mkdir()
    result = cli("new", "Hantera en retur", "--lang", "sv", "--no-input")
    assert result.exit_code == 0, result.output
    assert "# Hantera en retur" in (project.root / "docs/hantera-en-retur.md").read_text()


def test_find_id_does_not_block_on_a_fifo_or_read_dev_zero(project, outside):
    project.write("docs/sv/retur.md", RETUR_SV)
    os.mkfifo(project.root / "docs/sv/ror.md")
    (project.root / "docs/sv/noll.md").symlink_to("/dev/zero")
    (outside / "CS-099.md").write_text(RETUR_SV.replace("CS-014", "CS-099"))
    (project.root / "docs/sv/lank.md").symlink_to(outside / "CS-099.md")
    config = Config(root=project.root)
    docs = [project.root / "docs"]
    assert find_id("CS-014", docs, config) == project.root / "docs/sv/retur.md"
    assert find_id("CS-099", docs, config) is None  # only readable through the symlink


def test_find_id_does_not_walk_into_a_symlinked_folder(project):
    project.write("docs/sv/retur.md", RETUR_SV)
    (project.root / "docs/sv/rot").symlink_to("/")
    assert find_id("CS-999", [project.root / "docs"], Config(root=project.root)) is None


def test_languages_of_does_not_block_on_a_fifo_or_read_dev_zero(project):
    project.write("docs/sv/retur.md", RETUR_SV)
    os.mkfifo(project.root / "docs/ror.md")
    (project.root / "docs/noll.md").symlink_to("/dev/zero")
    files = [project.root / "docs/ror.md", project.root / "docs/noll.md"]
    files.append(project.root / "docs/sv/retur.md")
    assert engine.languages_of(files, Config(root=project.root)) == {"en", "sv"}


def test_check_with_fifo_and_dev_zero_among_30_files_in_parallel_finishes(project):
    for n in range(30):
        project.write(f"docs/{n:02d}.md", RETUR_SV)
    os.mkfifo(project.root / "docs/ror.md")
    (project.root / "docs/noll.md").symlink_to("/dev/zero")
    result = _run(project.root, "check", "docs", "-q", "--jobs", "2", "--select", "S001")
    assert "docs/ror.md:1:1: S001" in result.stdout and "not a regular file" in result.stdout
    assert "docs/noll.md:1:1: S001" in result.stdout


@pytest.mark.parametrize("kind", ["symlink-outside", "dev-zero", "fifo", "oversized"])
def test_wordy_phrase_file_is_read_guarded(project, outside, kind):
    target = project.root / "ordrika-sv.tsv"
    if kind == "symlink-outside":
        (outside / "ordrika-sv.tsv").write_text("HEMLIGT\tx\n")
        target.symlink_to(outside / "ordrika-sv.tsv")
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.write_text("i syfte att\tför att\n" * 200_000)
    config = parse_config(
        {"select": ["W001"], "rules": {"wordy-phrase": {"files": {"sv": "ordrika-sv.tsv"}}}},
        project.write("sop-lint.toml", ""),
    )
    with pytest.raises(ConfigError, match="wordy-phrase: cannot read phrase list") as err:
        check_text(RETUR_SV, "sv", "docs/sv/retur.md", config)
    assert "HEMLIGT" not in str(err.value)


# -- "A template error echoes the content of the file named as the template" -------------


def test_template_named_etc_passwd_is_not_a_template_and_not_quoted(project, outside, cli):
    project.write("docs/sv/retur.md", RETUR_SV)
    project.write("sop-lint.toml", f'template = "{outside / "passwd"}"\n')
    result = cli("check", "docs")
    assert result.exit_code == 2
    assert "is not a template" in result.stderr
    assert "HEMLIGT" not in result.output and "root:x" not in result.output


def test_template_named_with_yml_suffix_but_passwd_content_is_not_quoted(project, outside):
    (outside / "passwd.yml").write_text((outside / "passwd").read_text())
    with pytest.raises(TemplateError, match="is not a template") as err:
        template_for(str(outside / "passwd.yml"), project.root)
    assert "HEMLIGT" not in str(err.value) and "root:x" not in str(err.value)


@pytest.mark.parametrize("lang_text", [RETUR_SV, RETURNS_EN])
def test_template_named_as_a_markdown_sop_is_not_a_template_and_not_quoted(project, lang_text):
    project.write("docs/retur.md", lang_text)
    for name in ("docs/retur.md", "docs/retur.yml"):
        project.write(name, lang_text)
        with pytest.raises(TemplateError, match="is not a template") as err:
            template_for(name, project.root)
        message = str(err.value)
        assert "CS-01" not in message and "retur" not in message.split(":", 1)[1]


def test_template_yaml_error_does_not_quote_the_file(project):
    project.write("ours.yml", 'extends: default\nname: "HEMLIGT-LÖSENORD\n')
    with pytest.raises(TemplateError, match=r"ours.yml:\d+: not valid YAML") as err:
        template_for("ours.yml", project.root)
    assert "HEMLIGT" not in str(err.value)


def test_template_yaml_unknown_alias_is_not_quoted(project):
    project.write("ours.yml", "extends: default\nname: *HEMLIGT_LOSENORD\n")
    with pytest.raises(TemplateError, match=r"ours.yml:2: not valid YAML") as err:
        template_for("ours.yml", project.root)
    assert "HEMLIGT" not in str(err.value)


def test_skeleton_jinja_error_does_not_quote_the_skeleton_line(project):
    project.write("sv.md.j2", "---\n{{ front_matter }}\n---\n# HEMLIGT {{ title title }}\n")
    project.write("ours.yml", OURS_YML + "skeletons:\n  sv: sv.md.j2\n")
    template = template_for("ours.yml", project.root)
    with pytest.raises(AuthoringError, match=r"sv.md.j2:4: the skeleton cannot be filled") as err:
        render(template, NewSop("Hantera en retur", "sv"), datetime.date(2026, 3, 2))
    assert "HEMLIGT" not in str(err.value)


# -- "YAML aliases in template files expand before validation" ----------------------------


def _laughs(levels: int) -> str:
    lines = ["extends: default", 'description: &l0 "ha"']
    for n in range(1, levels + 1):
        lines.append(f"x{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_template_billion_laughs_is_refused_at_the_first_alias(project):
    project.write("ours.yml", _laughs(9))  # 9**9 = 387 million values if expanded
    with pytest.raises(TemplateError, match=r"ours.yml:3: the YAML aliases \(the first is \*l0\)"):
        template_for("ours.yml", project.root)


def test_template_too_many_aliases_is_refused(project):
    body = "".join("  - *a\n" for _ in range(150))
    project.write("ours.yml", "extends: default\nname: &a Mall\nremove_sections:\n" + body)
    with pytest.raises(TemplateError, match="more than 100 YAML aliases"):
        template_for("ours.yml", project.root)


def test_template_a_few_aliases_still_work(project):
    project.write(
        "ours.yml",
        "extends: default\nmetadata:\n  effective: &datum\n    type: date\n  next_review: *datum\n",
    )
    template = template_for("ours.yml", project.root)
    assert template.metadata["next_review"].type == "date"


def test_template_deeply_nested_yaml_is_a_template_error(project):
    project.write("ours.yml", "extends: default\ndescription: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(TemplateError, match="nested too deeply"):
        template_for("ours.yml", project.root)


# -- "template regexes (placeholders, pattern) can backtrack catastrophically" ------------


@pytest.mark.parametrize(
    ("yaml_text", "where"),
    [
        ("placeholders:\n  - '(a+)+$'\n", r"ours.yml:4: key 'placeholders\[0\]'"),
        (
            "metadata:\n  id:\n    type: id\n    pattern: '^([A-Z]+-?)*$'\n",
            r"ours.yml:6: key 'metadata.id.pattern'",
        ),
        ("placeholders:\n  - '(?:\\w*\\s?)*!'\n", r"ours.yml:4: key 'placeholders\[0\]'"),
    ],
)
def test_template_regex_with_nested_repeats_is_refused_at_its_line(project, yaml_text, where):
    project.write("ours.yml", OURS_YML + yaml_text)
    with pytest.raises(TemplateError, match=where + ".*repeats a part that itself repeats"):
        template_for("ours.yml", project.root)


@pytest.mark.parametrize(
    "safe",
    [r"\[\[[^\]]*\]\]", "(?>a+)+x", "a++b", "(ab)+", "(?:TODO|TBD)", "^(?:[A-Z]++-)+[0-9]+$"],
)
def test_template_regex_without_nested_repeats_is_accepted(project, safe):
    project.write("ours.yml", OURS_YML + f"placeholders:\n  - '{safe}'\n")
    assert safe in template_for("ours.yml", project.root).placeholder_sources


def test_template_regex_that_still_backtracks_stops_with_an_error_naming_the_key(
    project, monkeypatch
):
    """(a|a)* has no nested repeat, but overlapping alternatives: the time limit stops it
    (run on a long 'aaaa…b' line) with an error naming the template key."""
    monkeypatch.setattr(template_module, "REGEX_SECONDS", 0.2)
    project.write("ours.yml", OURS_YML + "placeholders:\n  - '(a|a)*$'\n")
    project.write("sop-lint.toml", 'template = "ours.yml"\nselect = ["T"]\n')
    config = load_config(project.root)
    text = RETUR_SV.replace("Lämna tillbaka pengarna.", "a" * 60 + "!")
    with pytest.raises(TemplateError, match=r"ours.yml:4: key 'placeholders\[0\]': the regular"):
        check_text(text, "sv", "docs/sv/retur.md", config)


def test_template_metadata_pattern_that_still_backtracks_stops_with_an_error(project, monkeypatch):
    monkeypatch.setattr(template_module, "REGEX_SECONDS", 0.2)
    project.write(
        "ours.yml", OURS_YML + "metadata:\n  id:\n    type: id\n    pattern: '^(C|C)*$'\n"
    )
    project.write("sop-lint.toml", 'template = "ours.yml"\nselect = ["T"]\n')
    config = load_config(project.root)
    text = RETUR_SV.replace("id: CS-014", "id: " + "C" * 60 + "!")
    with pytest.raises(TemplateError, match=r"ours.yml:6: key 'metadata.id.pattern': the regular"):
        check_text(text, "sv", "docs/sv/retur.md", config)


def test_template_error_quotes_at_most_a_short_piece_of_a_wrong_value(project):
    secret = "token " + "K7x" * 40
    project.write("ours.yml", f"extends: default\nlanguages: [{secret}]\n")
    with pytest.raises(TemplateError, match=r"ours.yml:2: key 'languages\[0\]'") as err:
        template_for("ours.yml", project.root)
    assert secret not in str(err.value) and len(str(err.value)) < 200


def test_a_fifo_named_on_the_command_line_is_reported_as_a_pipe(project, cli):
    os.mkfifo(project.root / "ror.md")
    result = cli("check", "ror.md", "--select", "S001", "-q")
    assert "ror.md:1:1: S001" in result.stdout and "a pipe" in result.stdout
    assert result.exit_code == 1


def test_new_output_name_too_long_is_a_one_line_usage_error(project, cli):
    (project.root / "docs").mkdir()
    result = cli("new", "Hantera en retur", "--lang", "sv", "--no-input", "-o", "r" * 300 + ".md")
    assert result.exit_code == 2
    assert "internal error" not in result.stderr
    assert "cannot write the new SOP: File name too long" in result.stderr


def test_explicit_config_that_is_a_fifo_is_refused_as_a_pipe(project, cli):
    project.write("docs/sv/retur.md", RETUR_SV)
    os.mkfifo(project.root / "ror.toml")
    result = cli("check", "docs", "--config", "ror.toml")
    assert result.exit_code == 2
    assert "ror.toml: cannot read the config file: is not a regular file (a pipe)" in result.stderr


def test_check_a_path_name_too_long_is_an_error_naming_it_not_an_internal_error(project, cli):
    result = cli("check", "r" * 300 + ".md")
    assert result.exit_code == 2
    assert "internal error" not in result.stderr
    assert "File name too long; check the name" in result.stderr


def test_site_build_jobs_is_capped_at_the_cores_with_a_note(monkeypatch):
    from sop_lint import cli as cli_module

    monkeypatch.setattr(cli_module, "available_cores", lambda: 2)
    assert cli_module._capped_jobs(512) == 2
    assert cli_module._capped_jobs(1) == 1
    assert cli_module._capped_jobs(0) is None


def test_template_regex_that_backtracks_a_little_on_every_line_stops_at_the_file_budget(
    project, monkeypatch
):
    """Under the per-text limit on each line, but adding up over a long file: the budget
    for the whole file stops it, with an error naming the template key."""
    monkeypatch.setattr(template_module, "REGEX_SECONDS", 0.5)
    monkeypatch.setattr(template_module, "REGEX_FILE_SECONDS", 0.05)
    project.write("ours.yml", OURS_YML + "placeholders:\n  - '(a|a)*$'\n")
    project.write("sop-lint.toml", 'template = "ours.yml"\nselect = ["T"]\n')
    config = load_config(project.root)
    many = "\n\n".join(["a" * 16 + "!"] * 400)
    text = RETUR_SV.replace("Lämna tillbaka pengarna.", many)
    with pytest.raises(TemplateError, match=r"ours.yml:4: key 'placeholders\[0\]'.*in total"):
        check_text(text, "sv", "docs/sv/retur.md", config)


# -- issue 11: .gitignore files are read like every other file of the project ------------------


def test_a_gitignore_that_is_a_fifo_or_a_symlink_out_of_the_project_is_not_read(tmp_path):
    """A .gitignore that is a pipe would block the walk; one that links to /etc/passwd
    must not be read. Both are passed over, and every SOP is still checked."""
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "returns.md").write_text(RETURNS_EN, encoding="utf-8")
    (docs / "retur.md").write_text(RETUR_SV, encoding="utf-8")
    (tmp_path / ".gitignore").symlink_to("/etc/passwd")
    os.mkfifo(docs / ".gitignore")
    result = _run(tmp_path, "check", "docs", "--format", "json", timeout=60)
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout)["summary"]["files"] == 2
    assert "Traceback" not in result.stderr
