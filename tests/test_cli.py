"""The ``sop-lint`` command: exit codes, reports, bad input, and the helper commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import FIXTURES, REPO, sop

import sop_lint
from sop_lint.rules import all_rules

# 31 words: a B001 warning in a step (3:4 below).
EN_STEP_31 = (
    "Ask the customer for the receipt and the card they pay with, and write the order "
    "number on the return slip before you take the returned item and put it aside."
)
RETURNS_EN = f"# Product returns\n\n1. {EN_STEP_31}\n2. Give the money back.\n"
CLEAN_EN = "# Toll-free line\n\n1. Answer within three rings.\n2. Say your name.\n"
# 51 words in one sentence: a B001 error.
COMPLAINT_EN = (
    "# Complaints\n\nWhen a customer calls the toll-free line about a late tow truck, check "
    "the dispatch log, the driver's position on the map and the traffic on the route and "
    "tell them in plain words when the driver will arrive on site and offer to send them a "
    "text before it arrives.\n"
)
# 31 words: a B001 warning in a step.
SV_STEP_31 = (
    "Be kunden om kvittot och kortet som används vid köpet och skriv också ordernumret på "
    "returlappen innan du tar emot varan och lägger den i en påse på returhyllan bakom "
    "kassan."
)
RETUR_SV = sop(
    f"""
    ---
    title: Hantera en retur
    lang: sv
    ---
    # Hantera en retur

    Ta emot varan och kontrollera kvittot.

    1. {SV_STEP_31}
    2. Ge pengarna tillbaka.

    #### Om kvitto saknas

    <!-- sop-lint-disable-next-line sentence-to-long -->
    Ring butikschefen.
    """
)


def findings_of(result) -> list[tuple[str, str, int, int]]:
    data = json.loads(result.stdout)
    return [(f["path"], f["rule"], f["line"], f["column"]) for f in data["findings"]]


# -- exit codes ------------------------------------------------------------------------------


def test_clean_docs_exit_0_with_a_summary(project, cli):
    project.write("docs/toll-free.md", CLEAN_EN)
    result = cli("check", "docs")
    assert result.exit_code == 0
    assert result.stdout == "Checked 1 file: no findings.\n"
    assert result.stderr == ""


def test_warnings_exit_0_by_default_and_1_with_fail_on_warning(project, cli):
    project.write("docs/returns.md", RETURNS_EN)
    result = cli("check", "docs")
    assert result.exit_code == 0
    assert result.stdout.startswith("docs/returns.md:3:4: B001 [warning] Sentence has 31 words")
    assert cli("check", "docs", "--fail-on", "warning").exit_code == 1
    assert cli("check", "docs", "--fail-on", "error").exit_code == 0


def test_errors_exit_1_unless_fail_on_never(project, cli):
    project.write("docs/complaints.md", COMPLAINT_EN)
    assert cli("check", "docs").exit_code == 1
    assert cli("check", "docs", "--fail-on", "never").exit_code == 0


def test_info_findings_fail_only_with_fail_on_info(project, cli):
    doc = "---\nlang: de\n---\n# Rücksendungen\n\nPrüfen Sie den Kassenbon.\n"
    project.write("docs/de/returns.md", doc)
    assert cli("check", "docs", "--fail-on", "warning").exit_code == 0
    assert cli("check", "docs", "--fail-on", "info").exit_code == 1


def test_missing_path_exits_2_even_with_fail_on_never_and_checks_the_rest(project, cli):
    project.write("docs/returns.md", RETURNS_EN)
    result = cli("check", "docs", "docs/missing.md", "--fail-on", "never", "--format", "json")
    assert result.exit_code == 2
    assert result.stderr == "sop-lint: error: docs/missing.md: no such file or folder\n"
    assert findings_of(result) == [("docs/returns.md", "B001", 3, 4)]


def test_unknown_selector_on_the_command_line_is_a_usage_error(project, cli):
    project.write("docs/returns.md", RETURNS_EN)
    result = cli("check", "docs", "--select", "B001,X999")
    assert result.exit_code == 2
    assert "Invalid value for --select: 'X999' is not a rule code, name or code prefix" in (
        result.stderr
    )


def test_select_and_ignore_on_the_command_line(project, cli):
    project.write("docs/returns.md", RETURNS_EN)
    project.write("docs/tow.md", "## Tow truck\n\n### Calls\n\n#### Driver\n\nCall the driver.\n")
    everything = findings_of(
        cli("check", "docs", "--format", "json", "--extend-select", "heading-too-deep")
    )
    assert [f[1] for f in everything] == ["B001", "B004"]
    only_b004 = cli("check", "docs", "--format", "json", "--select", "heading-too-deep")
    assert [f[1] for f in findings_of(only_b004)] == ["B004"]
    without = cli("check", "docs", "--format", "json", "--ignore", "B00")
    assert findings_of(without) == []


def test_no_paths_and_no_docs_folder_is_a_usage_error(project, cli):
    result = cli("check")
    assert result.exit_code == 2
    assert result.stderr.startswith("sop-lint: error: no paths given and the docs folder")


def test_no_paths_checks_the_configured_docs_folder(project, cli):
    project.write("sop-lint.toml", 'docs = ["procedures"]\n')
    project.write("procedures/returns.md", RETURNS_EN)
    project.write("docs/ignored.md", COMPLAINT_EN)
    result = cli("check", "--format", "json")
    assert findings_of(result) == [("procedures/returns.md", "B001", 3, 4)]


def test_an_internal_error_is_one_line_and_exit_2_not_a_traceback(project, cli, monkeypatch):
    project.write("docs/returns.md", RETURNS_EN)

    def crash(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("sop_lint.cli.check_paths", crash)
    result = cli("check", "docs")
    assert result.exit_code == 2
    assert result.stderr == (
        "sop-lint: error: internal error: RuntimeError: disk on fire (set SOP_LINT_DEBUG=1 "
        "for a traceback, and please report it)\n"
    )
    monkeypatch.setenv("SOP_LINT_DEBUG", "1")
    with pytest.raises(RuntimeError, match="disk on fire"):
        cli("check", "docs")


def test_colour_is_used_only_when_asked_or_on_a_terminal(project, cli):
    project.write("docs/returns.md", RETURNS_EN)
    assert "\x1b[" not in cli("check", "docs").stdout  # not a terminal
    assert "\x1b[" in cli("check", "docs", "--color", "always").stdout


def test_version_answers_without_loading_the_linter():
    """`sop-lint --version` prints click's own line, and imports neither the engine nor
    the rules: an editor plugin asking which sop-lint is installed does not wait."""
    code = (
        "import sys; sys.argv = ['sop-lint', '--version']\n"
        "from sop_lint.launcher import main\n"
        "main()\n"
        "print(sorted(m for m in sys.modules if m.startswith('sop_lint.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    version_line, modules = done.stdout.splitlines()
    assert version_line == f"sop-lint, version {sop_lint.__version__}"
    assert modules == "['sop_lint.launcher']"


def test_version_option(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"sop-lint, version {sop_lint.__version__}\n"


# -- JSON through the command ----------------------------------------------------------------


def test_json_report_of_a_folder_in_all_four_languages(project, cli):
    project.write("docs/en/returns.md", RETURNS_EN)
    project.write("docs/sv/retur.md", RETUR_SV)
    project.write("docs/nb/retur.md", "---\nlang: nb\n---\n# Retur\n\nTa imot varen.\n")
    project.write(
        "docs/te/complaints.md", "---\nlang: te\n---\n# ఫిర్యాదులు\n\nకస్టమర్‌కు క్షమాపణ చెప్పండి.\n"
    )
    result = cli("check", "docs", "--format", "json")
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert findings_of(result) == [
        ("docs/en/returns.md", "B001", 3, 4),
        ("docs/sv/retur.md", "B001", 9, 4),
        ("docs/sv/retur.md", "S003", 14, 1),
    ]
    # "#### Om kvitto saknas" is the only heading under the title: the document's sections
    # sit at level 4, so it is not too deep (heading-too-deep counts from there).
    assert data["summary"] == {
        "files": 4,
        "findings": 3,
        "error": 0,
        "warning": 3,
        "info": 0,
        "errors": [],
    }
    assert set(data["findings"][0]) == {
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "rule",
        "name",
        "severity",
        "message",
        "suggestion",
    }
    assert result.exit_code == 0


def test_check_text_returns_what_the_command_reports_for_the_same_file(project, cli):
    project.write("docs/sv/retur.md", RETUR_SV)
    from_cli = json.loads(cli("check", "docs/sv/retur.md", "--format", "json").stdout)
    from_api = sop_lint.check_text(RETUR_SV, lang="sv", path="docs/sv/retur.md")
    assert [f.to_dict() for f in from_api] == from_cli["findings"]


def test_check_text_uses_lang_as_the_default_language(project, cli):
    body = RETUR_SV.split("---\n", 2)[2]  # without front matter
    project.write("sop-lint.toml", 'language = "sv"\n')
    project.write("docs/retur.md", body)
    from_cli = json.loads(cli("check", "docs", "--format", "json").stdout)["findings"]
    from_api = [f.to_dict() for f in sop_lint.check_text(body, lang="sv", path="docs/retur.md")]
    assert from_api == from_cli
    assert [f["rule"] for f in from_api] == ["B001", "S003"]


def test_crlf_file_reports_the_same_positions_as_lf(project, cli):
    project.write("docs/lf.md", RETUR_SV)
    project.write("docs/crlf.md", RETUR_SV.replace("\n", "\r\n").encode("utf-8"))
    findings = json.loads(cli("check", "docs", "--format", "json").stdout)["findings"]
    crlf = [{**f, "path": None} for f in findings if f["path"] == "docs/crlf.md"]
    lf = [{**f, "path": None} for f in findings if f["path"] == "docs/lf.md"]
    assert crlf == lf
    assert len(lf) == 2


# -- bad input -------------------------------------------------------------------------------


def test_bad_files_become_findings_naming_file_and_line_and_the_rest_is_checked(project, cli):
    # Swedish written as latin-1: "ä" is the single byte 0xe4 on line 4, column 8.
    project.write(
        "docs/a-latin1.md", "# Reklamation\n\nTa emot varan.\nKunden är arg.\n".encode("latin-1")
    )
    project.write("docs/b-binary.md", b"PK\x03\x04\n\x00\x00\x00binary")
    project.write(
        "docs/c-front-matter.md",
        "---\ntitle: Tow truck dispatch\nowner: [dispatch, support\n---\n# Tow truck\n",
    )
    project.write("docs/d-returns.md", RETURNS_EN)
    result = cli("check", "docs", "docs/e-missing.md", "--format", "json")
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr
    data = json.loads(result.stdout)
    shown = [
        (f["path"], f["rule"], f["severity"], f["line"], f["column"]) for f in data["findings"]
    ]
    assert shown == [
        ("docs/a-latin1.md", "S001", "error", 4, 8),
        ("docs/b-binary.md", "S001", "error", 2, 1),
        ("docs/c-front-matter.md", "S002", "error", 3, 8),
        ("docs/d-returns.md", "B001", "warning", 3, 4),
    ]
    messages = [f["message"] for f in data["findings"]]
    assert messages[0] == "file is not valid UTF-8 (byte 0xe4); save it as UTF-8"
    assert messages[1] == "file is binary (contains NUL bytes), not Markdown text"
    assert messages[2].startswith("front matter is not valid YAML")
    assert data["summary"]["errors"] == ["docs/e-missing.md: no such file or folder"]
    assert result.stderr == "sop-lint: error: docs/e-missing.md: no such file or folder\n"


def test_bad_files_in_text_output_name_the_file_and_line(project, cli):
    project.write("docs/retur.md", "# Retur\n\nKunden \xe4r arg.\n".encode("latin-1"))
    result = cli("check", "docs")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "docs/retur.md:3:8: S001 [error] file is not valid UTF-8 (byte 0xe4); save it as UTF-8\n"
    )


def test_unreadable_file_rule_can_be_ignored(project, cli):
    project.write("docs/zip.md", b"\x00\x01\x02")
    result = cli("check", "docs", "--ignore", "S001")
    assert (result.exit_code, result.stdout) == (0, "Checked 1 file: no findings.\n")


def test_a_file_named_explicitly_is_checked_whatever_its_suffix(project, cli):
    project.write("notes/returns.txt", RETURNS_EN)
    project.write("notes/skipped.txt", COMPLAINT_EN)
    assert findings_of(cli("check", "notes/returns.txt", "--format", "json")) == [
        ("notes/returns.txt", "B001", 3, 4)
    ]
    assert json.loads(cli("check", "notes", "--format", "json").stdout)["summary"]["files"] == 0


def test_folders_skip_hidden_vendor_and_site_directories(project, cli):
    for folder in (".git", "node_modules", "site", ".cache"):
        project.write(f"docs/{folder}/returns.md", COMPLAINT_EN)
    project.write("docs/en/returns.md", RETURNS_EN)
    data = json.loads(cli("check", "docs", "--format", "json").stdout)
    assert data["summary"]["files"] == 1


def test_check_never_modifies_the_files_it_reads(project, cli):
    files = {
        "docs/en/returns.md": RETURNS_EN.encode(),
        "docs/sv/retur.md": RETUR_SV.replace("\n", "\r\n").encode(),
        "docs/bad.md": b"\xff\xfe latin",
    }
    before = {}
    for name, data in files.items():
        path = project.write(name, data)
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
        before[name] = (path.read_bytes(), path.stat().st_mtime_ns)
    listing = sorted(p.relative_to(project.root) for p in project.root.rglob("*"))
    for fmt in ("text", "json", "sarif", "github", "junit"):
        cli("check", "docs", "--format", fmt)
    cli("stats", "docs")
    after = {
        name: ((project.root / name).read_bytes(), (project.root / name).stat().st_mtime_ns)
        for name in files
    }
    assert after == before
    # The one thing check writes is its cache (issue 11), in a folder of its own.
    now = sorted(p.relative_to(project.root) for p in project.root.rglob("*"))
    assert [p for p in now if p.parts[0] != ".sop-lint-cache"] == listing


def test_output_option_writes_the_report_to_a_file(project, cli):
    project.write("docs/returns.md", RETURNS_EN)
    result = cli(
        "check",
        "docs",
        "--format",
        "sarif",
        "--output",
        "reports/sop-lint.sarif",
        "--fail-on",
        "warning",
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    sarif = json.loads((project.root / "reports/sop-lint.sarif").read_text("utf-8"))
    assert sarif["runs"][0]["results"][0]["ruleId"] == "B001"
    assert [p.name for p in (project.root / "reports").iterdir()] == ["sop-lint.sarif"]


def test_a_report_written_with_output_is_readable_by_others_like_any_new_file(project, cli):
    """CI uploads the report from another step (or user): not the 0600 of a temp file."""
    project.write("docs/returns.md", RETURNS_EN)
    old_umask = os.umask(0o022)
    try:
        cli("check", "docs", "--format", "sarif", "--output", "new.sarif")
        assert (project.root / "new.sarif").stat().st_mode & 0o777 == 0o644
        kept = project.root / "kept.sarif"
        kept.write_text("{}", encoding="utf-8")
        kept.chmod(0o664)
        cli("check", "docs", "--format", "sarif", "--output", "kept.sarif")
        assert kept.stat().st_mode & 0o777 == 0o664  # an existing report keeps its mode
    finally:
        os.umask(old_umask)


def test_output_writes_into_a_fifo_and_through_a_symlink_instead_of_replacing_them(
    project, cli, tmp_path
):
    """-o /dev/null, /dev/stdout or a FIFO a CI step reads: written to, never renamed
    over (as root, a rename would replace the device itself)."""
    import threading

    project.write("docs/returns.md", RETURNS_EN)
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    cli("check", "docs", "--format", "json", "--output", str(fifo))
    reader.join(timeout=60)
    assert fifo.is_fifo() and json.loads(received[0])["version"] == 1
    target = tmp_path / "reports" / "real.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = project.root / "latest.json"
    link.symlink_to(target)
    cli("check", "docs", "--format", "json", "--output", "latest.json")
    assert link.is_symlink() and json.loads(target.read_text("utf-8"))["version"] == 1


def test_text_report_written_to_a_file_has_no_colour(project, cli):
    project.write("docs/returns.md", RETURNS_EN)
    cli("check", "docs", "--output", "report.txt", "--color", "auto")
    report = (project.root / "report.txt").read_text("utf-8")
    assert report.startswith("docs/returns.md:3:4: B001 [warning]")
    assert "\x1b[" not in report


def test_parallel_and_serial_runs_give_the_same_report(project, cli):
    for n in range(26):
        project.write(f"docs/{n:02d}.md", RETURNS_EN if n % 2 else RETUR_SV)
    serial = cli("check", "docs", "--format", "json", "--jobs", "1")
    parallel = cli("check", "docs", "--format", "json", "--jobs", "2")
    assert parallel.stdout == serial.stdout
    assert json.loads(serial.stdout)["summary"]["files"] == 26


def test_real_subprocess_run_of_the_command(project):
    project.write("docs/en/returns.md", RETURNS_EN)
    project.write("docs/sv/retur.md", RETUR_SV)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "sop_lint.cli",
            "check",
            "docs",
            "--format",
            "json",
            "--fail-on",
            "warning",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=project.root,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
    )
    assert completed.returncode == 1
    assert completed.stderr == ""
    data = json.loads(completed.stdout)
    assert [(f["path"], f["rule"], f["line"]) for f in data["findings"]] == [
        ("docs/en/returns.md", "B001", 3),
        ("docs/sv/retur.md", "B001", 9),
        ("docs/sv/retur.md", "S003", 14),
    ]


# -- stats -----------------------------------------------------------------------------------


def test_stats_json_gives_words_sentences_steps_and_readability(project, cli):
    project.write("docs/en/returns.md", RETURNS_EN)
    project.write("docs/sv/retur.md", RETUR_SV)
    project.write(
        "docs/te/complaints.md",
        "---\nlang: te\n---\n# ఫిర్యాదులు\n\nకస్టమర్‌కు క్షమాపణ చెప్పండి. రసీదు అడగండి.\n",
    )
    result = cli("stats", "docs", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["version"] == 1
    en, sv, te = data["documents"]
    # 31 + 4 words in 2 sentences; 2 steps.
    assert (en["path"], en["language"], en["words"], en["sentences"], en["steps"]) == (
        "docs/en/returns.md",
        "en",
        35,
        2,
        2,
    )
    assert en["words_per_sentence"] == 17.5
    assert en["readability"]["metric"] == "flesch"
    # Ta emot varan och kontrollera kvittot (6) + 31 + Ge pengarna tillbaka (3) + Ring
    # butikschefen (2) = 42 words in 4 sentences. Long words (over 6 letters):
    # kontrollera, kvittot, kvittot, används, ordernumret, returlappen, returhyllan,
    # pengarna, tillbaka, butikschefen = 10. LIX = 42/4 + 100 * 10/42 = 10.5 + 23.81 = 34.3
    assert (sv["words"], sv["sentences"], sv["steps"]) == (42, 4, 2)
    assert sv["readability"] == {
        "metric": "lix",
        "score": 34.3,
        "band": "medium",
        "long_words": 10,
    }
    # 5 words, 19 aksharas (see test_readability): 3.8 per word, not graded.
    assert te["readability"] == {
        "metric": None,
        "score": None,
        "band": "not graded",
        "aksharas": 19,
        "aksharas_per_word": 3.8,
    }


def test_stats_table_has_a_row_per_document(project, cli):
    project.write("docs/en/returns.md", RETURNS_EN)
    project.write("docs/sv/retur.md", RETUR_SV)
    result = cli("stats", "docs")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "Document" in line)
    for column in ("Lang", "Words", "Sentences", "Words/sentence", "Readability", "Band", "Steps"):
        assert column in header
    en_row = next(line for line in lines if "docs/en/returns.md" in line)
    assert [c.strip() for c in en_row.strip("│ ").split("│")][1:5] == ["en", "35", "2", "17.5"]
    sv_row = next(line for line in lines if "docs/sv/retur.md" in line)
    assert "LIX 34" in sv_row and "medium" in sv_row


def test_stats_reports_file_problems_on_stderr_and_missing_paths_exit_2(project, cli):
    project.write("docs/bad.md", "---\ntitle: [x\n---\n# Bad\n")
    result = cli("stats", "docs", "docs/missing.md", "--format", "json")
    assert result.exit_code == 2
    assert "docs/missing.md: no such file or folder" in result.stderr


# -- rules, explain, config ------------------------------------------------------------------


def test_rules_lists_every_rule_with_code_name_severity_and_summary(cli):
    result = cli("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(all_rules())
    b001 = next(line for line in lines if line.startswith("B001"))
    assert b001.split()[:3] == ["B001", "sentence-too-long", "warning"]
    assert b001.endswith("Flags a sentence with more words than a reader takes in at once.")
    for code in (
        "B002",
        "B003",
        "B004",
        "R001",
        "R002",
        "R003",
        "S001",
        "S002",
        "S003",
        "S004",
        "S005",
    ):
        assert any(line.startswith(code + "  ") for line in lines)


def test_rules_as_json(cli):
    data = json.loads(cli("rules", "--format", "json").stdout)
    b003 = next(r for r in data if r["code"] == "B003")
    assert b003 == {
        "code": "B003",
        "name": "procedure-too-long",
        "severity": "warning",
        "family": "brevity",
        "enabled_by_default": True,
        "options": {"max-steps": 15},
        "summary": "Flags a numbered procedure with too many steps.",
    }


@pytest.mark.parametrize("key", ["B001", "b001", "sentence-too-long"])
def test_explain_by_code_or_name(cli, key):
    result = cli("explain", key)
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("# B001 sentence-too-long\n")
    assert "Default severity: **warning**" in out
    assert "**What it flags:**" in out and "**Why:**" in out and "**Instead:**" in out
    assert "`max-words-step = 30`" in out


def test_explain_unknown_rule_exits_2(cli):
    result = cli("explain", "sentence-to-long")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "sop-lint: error: no rule is called 'sentence-to-long'; see 'sop-lint rules'\n"
    )


def test_config_prints_the_resolved_configuration_as_json(project, cli):
    project.write(
        "pyproject.toml",
        '[tool.sop-lint]\nlanguage = "nb"\nfail-on = "warning"\nignore = ["R003"]\n\n'
        "[tool.sop-lint.rules.B001]\nmax-words-step = 18\n",
    )
    result = cli("config")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["config-file"] == str(project.root / "pyproject.toml")
    assert (data["language"], data["fail-on"], data["docs"]) == ("nb", "warning", ["docs"])
    assert "R003 readability-not-graded" not in data["enabled-rules"]
    assert "B001 sentence-too-long" in data["enabled-rules"]
    assert data["rules"]["sentence-too-long"]["max-words-step"] == 18
    assert data["rules"]["sentence-too-long"]["max-words"] == 40


def test_config_with_an_explicit_file(project, cli):
    project.write("ci/strict.toml", 'fail-on = "info"\n')
    data = json.loads(cli("config", "--config", "ci/strict.toml").stdout)
    assert data["fail-on"] == "info"


# -- the shipped fixture SOPs (tests/fixtures) -----------------------------------------------


def fixture_findings(cli, relative: str) -> list[dict]:
    path = FIXTURES / relative
    if not path.is_file():
        pytest.skip(f"fixture {relative} is not there yet")
    result = cli("check", str(path), "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["findings"]


def positions(findings) -> list[tuple[str, int, int, str]]:
    return [(f["rule"], f["line"], f["column"], f["severity"]) for f in findings]


def test_fixture_with_bad_front_matter_points_at_the_owner_line(cli):
    # Line 4 is "owner: Customer Service Manager: Returns"; the second colon is column 32.
    findings = fixture_findings(cli, "bad-front-matter.md")
    assert positions(findings) == [("S002", 4, 32, "error")]
    assert "mapping values are not allowed" in findings[0]["message"]


def test_fixture_saved_as_latin_1_points_at_the_first_bad_byte(cli):
    # Line 3 is "title: Öppna kassan" with Ö as the single byte 0xd6 after "title: ".
    findings = fixture_findings(cli, "not-utf8.md")
    assert positions(findings) == [("S001", 3, 8, "error")]
    assert findings[0]["message"] == "file is not valid UTF-8 (byte 0xd6); save it as UTF-8"


def test_fixture_png_named_md_is_reported_as_binary(cli):
    # The PNG signature 89 50 4E 47 0D 0A 1A 0A puts the first NUL byte on line 3.
    findings = fixture_findings(cli, "binary.md")
    assert positions(findings) == [("S001", 3, 1, "error")]


def test_fixture_with_suppressions_reports_only_the_unsuppressed_sentences(cli):
    findings = fixture_findings(cli, "suppressions.md")
    assert positions(findings) == [
        ("B001", 57, 1, "warning"),  # no suppression: 44 words
        ("S003", 61, 1, "warning"),  # names no-such-rule ...
        ("B001", 62, 1, "warning"),  # ... so the sentence after it is still reported
    ]
    assert findings[1]["message"].startswith("Suppression names 'no-such-rule'")


@pytest.mark.parametrize("lang", ["en", "sv", "nb", "te"])
def test_fixture_long_sentences_trips_every_brevity_rule(cli, lang):
    findings = fixture_findings(cli, f"{lang}/long-sentences.md")
    rules = {f["rule"] for f in findings}
    assert {"B001", "B002", "B003"} <= rules
    assert ("B001", "error") in {(f["rule"], f["severity"]) for f in findings}


@pytest.mark.parametrize("lang", ["en", "sv", "nb"])
def test_fixture_hard_to_read_fails_readability_in_graded_languages(cli, lang):
    findings = fixture_findings(cli, f"{lang}/hard-to-read.md")
    sections = [f for f in findings if f["rule"] == "R001"]
    assert sections
    assert {f["severity"] for f in sections} == {"error"}
    # The sections say where the hard text is; the document finding would repeat them.
    assert not [f for f in findings if f["rule"] in ("R002", "R003")]


def test_fixture_hard_to_read_in_telugu_is_reported_not_graded(cli):
    findings = fixture_findings(cli, "te/hard-to-read.md")
    assert not [f for f in findings if f["rule"] in ("R001", "R002", "R003")]  # off by default
    path = str(FIXTURES / "te/hard-to-read.md")
    asked = cli("check", path, "--format", "json", "--extend-select", "R003", "--fail-on", "never")
    reported = json.loads(asked.stdout)["findings"]
    assert [f["severity"] for f in reported if f["rule"] == "R003"] == ["info"]


@pytest.mark.parametrize("lang", ["en", "sv", "nb", "te"])
def test_fixture_markdown_features_has_no_prose_findings(cli, lang):
    # Code, tables, comments, snippets, attribute lists and placeholders hold long "text"
    # that must not be read as prose.
    findings = fixture_findings(cli, f"{lang}/markdown-features.md")
    assert [f for f in findings if f["rule"][0] in "BRS" and f["rule"] != "R003"] == []


def test_a_crashing_rule_is_reported_and_the_other_rules_and_files_still_run(
    project, cli, monkeypatch
):
    from sop_lint.rules.brevity import ProcedureTooLong

    def broken(self, doc):
        raise RuntimeError("boom")

    monkeypatch.setattr(ProcedureTooLong, "check", broken)
    project.write("docs/returns.md", RETURNS_EN)
    project.write("docs/line.md", CLEAN_EN)
    result = cli("check", "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [f["rule"] for f in data["findings"]] == ["B001"]
    assert data["summary"]["files"] == 2
    assert "internal error in rule B003 procedure-too-long: RuntimeError: boom" in result.stderr
