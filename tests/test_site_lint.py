"""`sop-lint check` on SOP templates: the J rules, and the other rules run on the text as
each branch reads it. All of it only when the project has branch data."""

from __future__ import annotations

import json

import pytest
from conftest import sop

BRANCHES = sop(
    """
    org:
      name: Nordlys Service
    defaults:
      emergency_phone: "112"
    branches:
      - id: stockholm-city
        name: Stockholm City
        languages: [sv, en]
        vars:
          phone: "08-555 012 30"
          towing_phone: "08-555 012 99"
          address: "Drottninggatan 71, 111 36 Stockholm"
      - id: london-docklands
        name: London Docklands
        languages: [en]
        vars:
          phone: "020 7946 0123"
          address: "Unit 4, Level 12, East Tower, 12 Harbour Exchange Square, London E14 9GE"
    """
)

PYPROJECT = '[tool.sop-lint]\ndocs = "docs"\n\n[tool.sop-lint.branches]\nfile = "branches.yml"\n'

TOW = sop(
    """
    ---
    id: CS-004
    title: Dispatching a tow truck
    lang: en
    ---

    # Dispatching a tow truck

    ## Procedure

    1. Ask if anyone is hurt or in danger.
    2. If someone is hurt, tell the caller to call {{ branch.emergency_phone }}.
    3. If no truck is free, call {{ branch.towing_phone }} for a partner truck.
    """
)


@pytest.fixture
def sops(project):
    project.write("pyproject.toml", PYPROJECT)
    project.write("branches.yml", BRANCHES)
    return project


def check(cli, *paths: str) -> list[dict]:
    result = cli("check", "--format", "json", "--fail-on", "never", *paths)
    return json.loads(result.stdout)["findings"]


def j_findings(findings: list[dict]) -> list[tuple[int, str, str]]:
    return [(f["line"], f["rule"], f["message"]) for f in findings if f["rule"].startswith("J")]


def test_a_value_one_branch_lacks_names_that_branch(sops, cli):
    sops.write("docs/en/tow-truck-dispatch.md", TOW)
    assert j_findings(check(cli, "docs")) == [
        (
            13,
            "J003",
            "{{ branch.towing_phone }} is not defined for london-docklands: add towing_phone "
            "to that branch (or to defaults) in branches.yml, leave it out of applies_to, or "
            "guard it with {% if branch.towing_phone is defined %}",
        )
    ]


def test_a_branch_left_out_by_applies_to_or_a_guard_is_not_a_finding(sops, cli):
    only_stockholm = TOW.replace("lang: en\n", "lang: en\napplies_to: [stockholm-city]\n")
    guarded = TOW.replace(
        "3. If no truck is free, call {{ branch.towing_phone }} for a partner truck.",
        "{% if branch.towing_phone is defined %}\n"
        "3. If no truck is free, call {{ branch.towing_phone }} for a partner truck.\n"
        "{% endif %}",
    )
    sops.write("docs/en/a.md", only_stockholm)
    sops.write("docs/en/b.md", guarded)
    assert j_findings(check(cli, "docs")) == []


def test_a_jinja_syntax_error_is_reported_at_its_line(sops, cli):
    sops.write("docs/en/tow.md", TOW.replace("{{ branch.towing_phone }}", "{{ branch.towing_phone"))
    assert j_findings(check(cli, "docs")) == [
        (
            13,
            "J001",
            "a {{ is not closed with }} (Jinja2: expected token 'end of print statement', "
            "got 'for')",
        )
    ]


def test_an_escape_attempt_is_an_error_and_nothing_runs(sops, cli, tmp_path):
    canary = tmp_path / "pwned"
    attack = f"{{{{ cycler.__init__.__globals__.os.system('touch {canary}') }}}}"
    sops.write("docs/en/tow.md", TOW.replace("{{ branch.emergency_phone }}", attack))
    findings = [f for f in check(cli, "docs") if f["rule"] == "J002"]
    assert [(f["line"], f["column"], f["severity"]) for f in findings] == [(12, 48, "error")]
    assert findings[0]["message"] == (
        "`cycler.__init__.__globals__.os.system` reaches into Python's internals; SOP templates "
        "can only show branch and org values, e.g. {{ branch.phone }}"
    )
    assert not canary.exists()


def test_an_unknown_branch_in_applies_to_is_a_warning_on_its_line(sops, cli):
    sops.write(
        "docs/en/tow.md",
        TOW.replace("lang: en\n", "lang: en\napplies_to:\n  - stockholm-city\n  - stokholm-city\n"),
    )
    findings = [f for f in check(cli, "docs") if f["rule"] == "J004"]
    assert [(f["line"], f["column"], f["message"]) for f in findings] == [
        (
            7,
            5,
            "applies_to names 'stokholm-city', which is not a branch in branches.yml; "
            "branches: stockholm-city, london-docklands",
        )
    ]


def test_a_sentence_too_long_only_with_one_branch_s_address_names_that_branch(sops, cli):
    page = sop(
        """
        ---
        id: CS-005
        title: Following up after a sale
        lang: en
        ---

        # Following up after a sale

        ## Procedure

        1. If the customer wants to visit the store in person, give them the full address
           {{ branch.address }}, the opening hours and the phone number of the branch.
        """
    )
    sops.write("docs/en/follow-up.md", page)
    findings = [f for f in check(cli, "docs") if f["rule"] == "B001"]
    # The source counts {{ branch.address }} as one word (26 words); Stockholm's address
    # makes 30, within the 30 words a step may have; London's long address makes 38.
    assert [(f["line"], f["column"], f["severity"]) for f in findings] == [(11, 4, "warning")]
    assert findings[0]["message"] == (
        "Sentence has 38 words; split it: steps should stay at or under 30 words. "
        "(as london-docklands reads it, with the branch's values filled in)"
    )


def test_a_finding_the_source_already_has_is_not_repeated_per_branch(sops, cli):
    long_step = (
        "1. Ask the customer for the receipt and the card they paid with, then write the order "
        "number and {{ branch.phone }} on the return slip before you take the item and put it "
        "on the shelf."
    )
    sops.write(
        "docs/en/returns.md", TOW.replace("1. Ask if anyone is hurt or in danger.", long_step)
    )
    findings = [f for f in check(cli, "docs") if f["rule"] == "B001"]
    assert len(findings) == 1
    assert findings[0]["message"].startswith("Sentence has 34 words;")
    assert not findings[0]["message"].endswith("filled in)")  # the source's own finding


def test_without_branch_data_template_syntax_is_just_text(project, cli):
    # Other tools' templates (Jekyll, Ansible) are not sop-lint's to judge.
    project.write("pyproject.toml", '[tool.sop-lint]\ndocs = "docs"\n')
    project.write("docs/en/tow.md", TOW.replace("{{ branch.towing_phone }}", "{% include x %}"))
    assert j_findings(check(cli, "docs")) == []


def test_a_broken_branches_file_stops_the_check_naming_file_and_line(sops, cli):
    sops.write("branches.yml", BRANCHES.replace("    name: London Docklands\n", ""))
    sops.write("docs/en/tow.md", TOW)
    result = cli("check", "docs")
    assert result.exit_code == 2
    assert result.stderr == (
        "sop-lint: error: invalid branches file:\n"
        "branches.yml:13:5: branch 'london-docklands' has no 'name'; add its display name\n"
    )


def test_an_unknown_key_in_the_branches_table_is_a_config_error(sops, cli):
    sops.write("pyproject.toml", PYPROJECT.replace('file = "branches.yml"', 'fiel = "b.yml"'))
    sops.write("docs/en/tow.md", TOW)
    result = cli("check", "docs")
    assert result.exit_code == 2
    assert "unknown key 'branches.fiel'; did you mean 'branches.file'?" in result.stderr


def test_a_wording_rule_runs_on_the_sentences_that_hold_a_branch_value(sops, cli):
    sops.write(
        "branches.yml",
        BRANCHES.replace('phone: "08-555 012 30"', 'phone: "08-555 012 30 in order to book"'),
    )
    page = TOW.replace(
        "1. Ask if anyone is hurt or in danger.",
        "1. Ask if anyone is hurt or in danger, then call {{ branch.phone }}.",
    )
    sops.write("docs/en/tow.md", page.replace("{{ branch.towing_phone }}", "the tow line"))
    findings = [f for f in check(cli, "docs") if f["rule"] == "W001"]
    assert [(f["line"], f["message"]) for f in findings] == [
        (
            11,
            "Write “to” instead of “in order to”. (as stockholm-city reads it, with the "
            "branch's values filled in)",
        )
    ]
