"""`sop-lint report`: the SOP set at a glance, from the same run as `sop-lint check`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import REPO
from test_set_rules import BORTTAPPAD_NB
from test_terminology import GLOSSARY
from test_translations import (
    BRANCHES,
    PYPROJECT,
    SET,
    SOURCE_EN,
    TRANSLATION_NB,
    TRANSLATION_SV,
    TRANSLATION_TE,
)

BEHIND = TRANSLATION_SV.replace('source_version: "2.1"', 'source_version: "1.3"')


def _write_set(project, **changes):
    project.write("pyproject.toml", PYPROJECT)
    project.write("branches.yml", BRANCHES)
    for name, text in {**SET, **changes}.items():
        project.write(name, text)


def test_the_report_counts_sops_per_language_and_branch_and_names_what_lags(project, cli):
    _write_set(project, **{"docs/sv/key-handover.md": BEHIND})
    result = cli("report", "--today", "2027-04-10", "--format", "json")
    assert result.exit_code == 0  # a report, even with findings
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert (data["files"], data["sops"]) == (4, 4)
    assert data["languages"] == {"en": 1, "nb": 1, "sv": 1, "te": 1}
    assert data["branches"] == [
        {"id": "stockholm-city", "name": "Stockholm City", "sops": {"sv": 1, "en": 1}},
        {"id": "bergen-vest", "name": "Bergen Vest", "sops": {"nb": 1}},
        {
            "id": "hyderabad-banjara-hills",
            "name": "Hyderabad Banjara Hills",
            "sops": {"te": 1, "en": 1},
        },
    ]
    assert data["translations"]["behind"] == [
        {
            "path": "docs/sv/key-handover.md",
            "line": 11,
            "language": "sv",
            "translation_of": "CS-101",
            "source_version": "1.3",
            "source": "docs/en/key-handover.md",
            "source_language": "en",
            "version": "2.1",
        }
    ]
    # review_due 2027-05-01 is 21 days after --today: due soon in all four files.
    assert [e["path"] for e in data["reviews"]["due_soon"]] == sorted(SET)
    assert data["reviews"]["due_soon"][0]["id"] == "CS-101"
    assert data["reviews"]["overdue"] == []


def test_the_numbers_match_check(project, cli):
    _write_set(project, **{"docs/sv/key-handover.md": BEHIND})
    report = json.loads(cli("report", "--today", "2027-05-20", "--format", "json").stdout)
    check = json.loads(
        cli("check", "--today", "2027-05-20", "--format", "json", "--fail-on", "never").stdout
    )
    assert {k: report["findings"][k] for k in ("error", "warning", "info")} == {
        k: check["summary"][k] for k in ("error", "warning", "info")
    }
    overdue = [f["path"] for f in check["findings"] if f["name"] == "review-overdue"]
    assert [e["path"] for e in report["reviews"]["overdue"]] == overdue == sorted(SET)


def test_the_text_report_says_none_where_there_is_nothing(project, cli):
    _write_set(project)
    result = cli("report", "--today", "2026-12-06")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "SOP set on 2026-12-06: 4 SOPs in 4 languages (4 files checked)"
    assert "  stockholm-city (Stockholm City): sv 1, en 1" in lines
    assert "Translations behind their source: none" in lines
    assert "Reviews overdue: none" in lines
    assert "Reviews due within 30 days: none" in lines


def test_the_text_report_lists_a_translation_behind_its_source(project, cli):
    _write_set(project, **{"docs/sv/key-handover.md": BEHIND})
    lines = cli("report", "--today", "2026-12-06").stdout.splitlines()
    start = lines.index("Translations behind their source: 1")
    assert lines[start + 1] == (
        "  docs/sv/key-handover.md:11: follows CS-101 1.3; docs/en/key-handover.md is at 2.1"
    )


def test_rules_from_other_parts_of_the_set_checks_are_hooks(project, cli):
    # near_duplicates and glossary are null until procedure-diverges and terminology exist.
    from sop_lint.rules.base import find_rule

    _write_set(project)
    data = json.loads(cli("report", "--format", "json").stdout)
    assert (data["near_duplicates"] is None) == (find_rule("procedure-diverges") is None)
    assert (data["glossary"] is None) == (find_rule("terminology") is None)


def _set_with_duplicates_and_glossary_words(project) -> None:
    """The key-handover set with a word the glossary discourages in each language, and
    two units' copies of one Norwegian routine."""
    _write_set(
        project,
        **{
            "docs/en/key-handover.md": SOURCE_EN.replace(
                "Ask for the customer's driving licence.", "Ask for the client's driving licence."
            ),
            "docs/sv/key-handover.md": TRANSLATION_SV.replace(
                "Be kunden om körkortet.", "Be klienten om körkortet."
            ),
            "docs/nb/key-handover.md": TRANSLATION_NB.replace(
                "1. Be kunden om førerkortet.", "1. Be klienten om førerkortet."
            ).replace("4. Gi kunden nøkkelen", "4. Gi klienten nøkkelen"),
            "docs/te/key-handover.md": TRANSLATION_TE.replace("1. కస్టమర్ డ్రైవింగ్", "1. క్లయింట్‌ను డ్రైవింగ్"),
            "docs/nb/hjemmetjeneste.md": BORTTAPPAD_NB.format(
                sop_id="NB-010", unit="hjemmetjenestens koordinator"
            ),
            "docs/nb/bofellesskap.md": BORTTAPPAD_NB.format(
                sop_id="NB-020", unit="vakthavende i bofellesskapet"
            ),
        },
    )
    project.write("glossary.yml", GLOSSARY)
    project.write(
        "pyproject.toml",
        PYPROJECT.replace('docs = "docs"', 'docs = "docs"\nglossary = "glossary.yml"'),
    )


def test_the_report_names_near_duplicate_procedures_and_glossary_words_per_sop(project, cli):
    _set_with_duplicates_and_glossary_words(project)
    data = json.loads(cli("report", "--format", "json").stdout)
    assert data["near_duplicates"] == [
        {
            "path": "docs/nb/bofellesskap.md",
            "line": 8,
            "id": "NB-020",
            "title": "Borttapte nøkler",
            "message": data["near_duplicates"][0]["message"],
            "alike": [{"path": "docs/nb/hjemmetjeneste.md", "line": 8, "similarity": 87}],
        },
        {
            "path": "docs/nb/hjemmetjeneste.md",
            "line": 8,
            "id": "NB-010",
            "title": "Borttapte nøkler",
            "message": data["near_duplicates"][1]["message"],
            "alike": [{"path": "docs/nb/bofellesskap.md", "line": 8, "similarity": 87}],
        },
    ]
    glossary = {e["path"]: (e["id"], e["count"]) for e in data["glossary"]}
    assert glossary == {
        "docs/en/key-handover.md": ("CS-101", 1),
        "docs/nb/key-handover.md": ("CS-101-nb", 2),
        "docs/sv/key-handover.md": ("CS-101-sv", 1),
        "docs/te/key-handover.md": ("CS-101-te", 1),
    }
    [sv] = [e for e in data["glossary"] if e["path"] == "docs/sv/key-handover.md"]
    assert sv["findings"][0]["line"] == 30
    assert "kunden" in sv["findings"][0]["message"]


def test_the_text_report_lists_near_duplicates_and_glossary_words(project, cli):
    _set_with_duplicates_and_glossary_words(project)
    lines = cli("report").stdout.splitlines()
    start = lines.index("Near-duplicate procedures: 2")
    assert lines[start + 1] == (
        "  docs/nb/bofellesskap.md:8: alike docs/nb/hjemmetjeneste.md:8 (87%)"
    )
    start = lines.index("Glossary findings per SOP: 5")
    assert lines[start + 1] == "  docs/en/key-handover.md: 1"
    assert lines[start + 2].startswith("    line 28: Write \u201ccustomer's\u201d instead of")


def test_a_broken_branches_file_is_an_error_with_exit_2(project, cli):
    _write_set(project)
    project.write("branches.yml", BRANCHES.replace("    name: Bergen Vest\n", ""))
    result = cli("report")
    assert result.exit_code == 2
    assert "branches.yml" in result.stderr and "has no 'name'" in result.stderr


def test_a_path_that_does_not_exist_is_an_error_with_exit_2(project, cli):
    _write_set(project)
    result = cli("report", "docs/fr")
    assert result.exit_code == 2
    assert "docs/fr: no such file or folder" in result.stderr


def test_the_installed_command_reports_on_the_bundled_docs():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "sop_lint", "report", "--format", "json", "--today", "2026-12-06"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["sops"] == 20
    assert data["languages"] == {"en": 5, "nb": 5, "sv": 5, "te": 5}
    assert data["translations"] == {"behind": [], "drift": [], "missing": []}


def test_a_report_with_every_rule_across_the_set_off_says_why_it_counts_nothing(project, cli):
    _write_set(project)
    project.write(
        "pyproject.toml", PYPROJECT.replace('docs = "docs"', 'docs = "docs"\nselect = ["B"]')
    )
    result = cli("report")
    assert result.exit_code == 0
    assert "counts no SOPs; turn on translation-outdated (L001)" in result.stderr
