"""Translations across the SOP set (L001-L003): a translation behind its source, one whose
steps or sections drifted from it, and a language a branch publishes with no translation.

The fixtures are one SOP, "Handing over a rental car key", in English (the source) and
its Swedish, Norwegian and Telugu translations.
"""

from __future__ import annotations

import json

import pytest
from conftest import REPO, sop

from sop_lint.config import Config
from sop_lint.engine import check_paths

SOURCE_EN = sop(
    """
    ---
    id: CS-101
    title: Handing over a rental car key
    version: "2.1"
    status: effective
    owner: Rental Desk Supervisor
    review_due: 2027-05-01
    applies_to: all
    lang: en
    ---

    # Handing over a rental car key

    ## Purpose

    This SOP makes sure the right customer gets the right key, and that we know who has it.

    ## Scope

    This SOP applies to all staff at the rental desk.

    ## Safety and warnings

    Never leave a key on the counter when you walk away.

    ## Procedure

    1. Ask for the customer's driving licence.
    2. Check that the name matches the booking.
    3. Ask the customer to sign the key log.
    4. Give the key and show where the car is parked.

    ## Revision history

    | Version | Date | Change |
    |---|---|---|
    | 2.1 | 2026-05-01 | Added the key log. |
    """
)

SOURCE_V = 'version: "2.1"'

TRANSLATION_SV = sop(
    """
    ---
    id: CS-101-sv
    title: Lämna ut en bilnyckel
    version: "2.1"
    status: effective
    owner: Arbetsledare vid uthyrningsdisken
    review_due: 2027-05-01
    applies_to: all
    lang: sv
    translation_of: CS-101
    source_version: "2.1"
    ---

    # Lämna ut en bilnyckel

    ## Syfte

    Rutinen ser till att rätt kund får rätt nyckel och att vi vet vem som har den.

    ## Omfattning

    Rutinen gäller all personal vid uthyrningsdisken.

    ## Säkerhet och varningar

    Lämna aldrig en nyckel på disken när du går därifrån.

    ## Utförande

    1. Be kunden om körkortet.
    2. Kontrollera att namnet stämmer med bokningen.
    3. Be kunden skriva under i nyckelloggen.
    4. Lämna över nyckeln och visa var bilen står.

    ## Versionshistorik

    | Version | Datum | Ändring |
    |---|---|---|
    | 2.1 | 2026-05-01 | Nyckelloggen tillagd. |
    """
)

TRANSLATION_NB = sop(
    """
    ---
    id: CS-101-nb
    title: Utlevering av bilnøkkel
    version: "2.1"
    status: effective
    owner: Arbeidsleder ved utleieskranken
    review_due: 2027-05-01
    applies_to: all
    lang: nb
    translation_of: CS-101
    source_version: "2.1"
    ---

    # Utlevering av bilnøkkel

    ## Formål

    Prosedyren sørger for at riktig kunde får riktig nøkkel, og at vi vet hvem som har den.

    ## Omfang

    Prosedyren gjelder alle ansatte ved utleieskranken.

    ## Sikkerhet og advarsler

    La aldri en nøkkel ligge på skranken når du går fra den.

    ## Fremgangsmåte

    1. Be kunden om førerkortet.
    2. Kontroller at navnet stemmer med bestillingen.
    3. Be kunden signere nøkkelloggen.
    4. Gi kunden nøkkelen og vis hvor bilen står.

    ## Revisjonshistorikk

    | Versjon | Dato | Endring |
    |---|---|---|
    | 2.1 | 2026-05-01 | Nøkkelloggen lagt til. |
    """
)

TRANSLATION_TE = sop(
    """
    ---
    id: CS-101-te
    title: అద్దె కారు తాళం అప్పగించడం
    version: "2.1"
    status: effective
    owner: అద్దె కౌంటర్ పర్యవేక్షకుడు
    review_due: 2027-05-01
    applies_to: all
    lang: te
    translation_of: CS-101
    source_version: "2.1"
    ---

    # అద్దె కారు తాళం అప్పగించడం

    ## ఉద్దేశ్యం

    సరైన కస్టమర్‌కు సరైన తాళం అందేలా, అది ఎవరి దగ్గర ఉందో మనకు తెలిసేలా ఈ SOP చూస్తుంది.

    ## పరిధి

    ఈ SOP అద్దె కౌంటర్‌లోని సిబ్బంది అందరికీ వర్తిస్తుంది.

    ## భద్రత మరియు హెచ్చరికలు

    కౌంటర్ వదిలి వెళ్ళేటప్పుడు తాళాన్ని ఎప్పుడూ కౌంటర్‌పై ఉంచవద్దు.

    ## విధానం

    1. కస్టమర్ డ్రైవింగ్ లైసెన్స్ అడగండి.
    2. పేరు బుకింగ్‌తో సరిపోలుతుందో చూడండి.
    3. తాళం రిజిస్టర్‌లో కస్టమర్ సంతకం తీసుకోండి.
    4. తాళం ఇచ్చి, కారు ఎక్కడ ఉందో చూపించండి.

    ## సవరణ చరిత్ర

    | వెర్షన్ | తేదీ | మార్పు |
    |---|---|---|
    | 2.1 | 2026-05-01 | తాళం రిజిస్టర్ జోడించబడింది. |
    """
)

SET = {
    "docs/en/key-handover.md": SOURCE_EN,
    "docs/sv/key-handover.md": TRANSLATION_SV,
    "docs/nb/key-handover.md": TRANSLATION_NB,
    "docs/te/key-handover.md": TRANSLATION_TE,
}

BRANCHES = sop(
    """
    org:
      name: Nordlys Service
    branches:
      - id: stockholm-city
        name: Stockholm City
        languages: [sv, en]
      - id: bergen-vest
        name: Bergen Vest
        languages: [nb]
      - id: hyderabad-banjara-hills
        name: Hyderabad Banjara Hills
        languages: [te, en]
    """
)
PYPROJECT = '[tool.sop-lint]\ndocs = "docs"\n\n[tool.sop-lint.branches]\nfile = "branches.yml"\n'


def _translation_findings(project, files: dict[str, str], *paths: str, jobs: int = 1):
    """The L findings (path, line, column, code, message) of checking ``files``."""
    for name, text in files.items():
        project.write(name, text)
    from sop_lint.config import load_config

    config = load_config(project.root) if (project.root / "pyproject.toml").exists() else Config()
    report = check_paths([project.root / p for p in (paths or ("docs",))], config, jobs=jobs)
    assert not report.errors
    return [
        (f.path, f.line, f.column, f.rule, f.message)
        for f in report.findings
        if f.rule.startswith("L")
    ]


def test_a_complete_up_to_date_set_in_four_languages_has_no_translation_findings(project):
    assert _translation_findings(project, SET) == []


# -- translation-outdated ------------------------------------------------------------------


def test_a_translation_of_an_older_version_is_flagged_on_its_source_version(project):
    behind = TRANSLATION_SV.replace('source_version: "2.1"', 'source_version: "1.3"')
    found = _translation_findings(project, {**SET, "docs/sv/key-handover.md": behind})
    assert found == [
        (
            "docs/sv/key-handover.md",
            11,
            17,
            "L001",
            "the English (en) source CS-101 (docs/en/key-handover.md:4) is at version 2.1, "
            "but this translation follows 1.3: translate what changed and set "
            'source_version: "2.1".',
        )
    ]


@pytest.mark.parametrize(
    ("source", "followed", "outdated"),
    [
        ("1.10", "1.9", True),  # versions compare as numbers, not as text
        ("1.10", "1.10", False),
        ("2", "2.0", False),  # "2" and "2.0" are one version
        ("3.0", "3.1", False),  # ahead of the source: not "outdated"
    ],
)
def test_versions_compare_as_numbers(project, source, followed, outdated):
    files = {
        "docs/en/key-handover.md": SOURCE_EN.replace(SOURCE_V, f'version: "{source}"'),
        "docs/nb/key-handover.md": TRANSLATION_NB.replace(
            'source_version: "2.1"', f'source_version: "{followed}"'
        ),
    }
    codes = [f[3] for f in _translation_findings(project, files)]
    assert ("L001" in codes) is outdated


def test_an_unquoted_version_is_read_as_written_not_as_a_number(project):
    # YAML reads 1.10 as the number 1.1; the rule reads the text on the line.
    files = {
        "docs/en/key-handover.md": SOURCE_EN.replace(SOURCE_V, "version: 1.10"),
        "docs/te/key-handover.md": TRANSLATION_TE.replace(
            'source_version: "2.1"', "source_version: 1.9"
        ),
    }
    [finding] = _translation_findings(project, files)
    assert finding[3] == "L001"
    assert "is at version 1.10, but this translation follows 1.9" in finding[4]


def test_a_source_that_is_not_checked_says_nothing(project):
    behind = TRANSLATION_SV.replace('source_version: "2.1"', 'source_version: "1.3"')
    assert (
        _translation_findings(project, {**SET, "docs/sv/key-handover.md": behind}, "docs/sv") == []
    )


def test_a_withdrawn_translation_is_left_alone(project):
    withdrawn = TRANSLATION_NB.replace('source_version: "2.1"', 'source_version: "1.0"').replace(
        "status: effective", "status: withdrawn"
    )
    files = {**SET, "docs/nb/key-handover.md": withdrawn}
    assert [f for f in _translation_findings(project, files) if f[3] == "L001"] == []


# -- translation-structure-drift -----------------------------------------------------------


def test_a_translation_with_a_step_less_is_flagged_on_its_procedure_heading(project):
    short = TRANSLATION_NB.replace("3. Be kunden signere nøkkelloggen.\n", "").replace(
        "4. Gi kunden", "3. Gi kunden"
    )
    found = _translation_findings(project, {**SET, "docs/nb/key-handover.md": short})
    assert found == [
        (
            "docs/nb/key-handover.md",
            28,
            1,
            "L002",
            "this procedure has 3 steps, the English (en) source CS-101 "
            "(docs/en/key-handover.md) has 4 steps: compare the steps one by one and "
            "translate the step that is missing.",
        )
    ]


def test_a_step_read_differently_in_another_language_is_not_drift(project):
    # A step written as a question is not counted as a step (sop-lint stats agrees), but
    # the list still has four numbered items, as the source has: the same procedure.
    asked = TRANSLATION_SV.replace(
        "3. Be kunden skriva under i nyckelloggen.", "3. Har kunden skrivit under i nyckelloggen?"
    )
    assert _translation_findings(project, {**SET, "docs/sv/key-handover.md": asked}) == []


def test_a_translation_with_an_extra_step_is_told_to_remove_it(project):
    longer = TRANSLATION_SV.replace(
        "4. Lämna över nyckeln och visa var bilen står.",
        "4. Lämna över nyckeln och visa var bilen står.\n5. Önska kunden en trevlig resa.",
    )
    [finding] = _translation_findings(project, {**SET, "docs/sv/key-handover.md": longer})
    assert finding[:4] == ("docs/sv/key-handover.md", 28, 1, "L002")
    assert "has 5 steps" in finding[4]
    assert "remove the step the source does not have (or add it to" in finding[4]


def _all_findings(project, files: dict[str, str]):
    """Every finding (path, code, message) of checking ``files`` with the T and L rules."""
    for name, text in files.items():
        project.write(name, text)
    report = check_paths([project.root / "docs"], Config(select=["T", "L"]))
    assert not report.errors
    return [(f.path, f.rule, f.message) for f in report.findings]


def test_an_optional_section_only_one_language_has_is_not_drift(project):
    # Safety and warnings is optional in the template: the Telugu desk may leave it out,
    # and Swedish readers may need a definition the source does not give.
    no_safety = TRANSLATION_TE.replace(
        "## భద్రత మరియు హెచ్చరికలు\n\nకౌంటర్ వదిలి వెళ్ళేటప్పుడు తాళాన్ని ఎప్పుడూ కౌంటర్‌పై ఉంచవద్దు.\n\n",
        "",
    )
    assert no_safety != TRANSLATION_TE
    with_definitions = TRANSLATION_SV.replace(
        "## Versionshistorik",
        "## Definitioner\n\nNyckellogg: pärmen vid disken där varje utlämnad nyckel skrivs "
        "in.\n\n## Versionshistorik",
    )
    files = {
        **SET,
        "docs/te/key-handover.md": no_safety,
        "docs/sv/key-handover.md": with_definitions,
    }
    assert _translation_findings(project, files) == []


def test_a_required_section_missing_from_a_translation_is_reported_once_by_missing_section(
    project,
):
    # Scope is required: missing-section (T001) says so on the translation, where the
    # section goes; translation-structure-drift does not say it again on translation_of.
    no_scope = TRANSLATION_NB.replace(
        "## Omfang\n\nProsedyren gjelder alle ansatte ved utleieskranken.\n\n", ""
    )
    assert no_scope != TRANSLATION_NB
    after = _all_findings(project, {**SET, "docs/nb/key-handover.md": no_scope})
    # The fixtures are not complete SOPs (no Roles, say): look at what names Omfang.
    about_scope = [f for f in after if '"Omfang"' in f[2]]
    assert len(about_scope) == 1
    [(path, code, message)] = about_scope
    assert (path, code) == ("docs/nb/key-handover.md", "T001")
    assert message.startswith('Section "Omfang" is missing')
    assert not [f for f in after if f[1].startswith("L")]


def test_a_translation_behind_its_source_gets_only_the_outdated_finding(project):
    # The source gained a step in 2.1; the 1.3 translation lacks it. That is one problem.
    behind = TRANSLATION_NB.replace('source_version: "2.1"', 'source_version: "1.3"').replace(
        "3. Be kunden signere nøkkelloggen.\n", ""
    )
    found = _translation_findings(project, {**SET, "docs/nb/key-handover.md": behind})
    assert [f[3] for f in found] == ["L001"]


def test_a_suppression_comment_silences_the_drift(project):
    short = TRANSLATION_NB.replace("3. Be kunden signere nøkkelloggen.\n", "").replace(
        "## Fremgangsmåte",
        "<!-- sop-lint-disable-next-line translation-structure-drift -->\n## Fremgangsmåte",
    )
    assert _translation_findings(project, {**SET, "docs/nb/key-handover.md": short}) == []


# -- translation-missing -------------------------------------------------------------------


def _another_sop_in_every_language() -> dict[str, str]:
    return {
        k.replace("key-handover", "other"): v.replace("CS-101", "CS-102") for k, v in SET.items()
    }


def test_a_language_a_branch_publishes_with_no_translation_is_flagged_on_the_source(project):
    project.write("pyproject.toml", PYPROJECT)
    project.write("branches.yml", BRANCHES)
    files = {k: v for k, v in SET.items() if "/nb/" not in k}
    # Another SOP in Norwegian is checked, so Norwegian is part of this run.
    files.update(_another_sop_in_every_language())
    found = _translation_findings(project, files)
    assert found == [
        (
            "docs/en/key-handover.md",
            2,
            5,
            "L003",
            "bergen-vest publishes Norwegian (nb), but CS-101 has no Norwegian version among "
            "the checked files: translate this SOP (front matter lang: nb, translation_of: "
            'CS-101, source_version: "2.1"), or leave the branch out of applies_to.',
        )
    ]


def test_no_translation_is_missing_when_the_branch_is_not_in_applies_to(project):
    project.write("pyproject.toml", PYPROJECT)
    project.write("branches.yml", BRANCHES)
    only_sweden = {
        k: v.replace("applies_to: all", "applies_to: [stockholm-city, hyderabad-banjara-hills]")
        for k, v in SET.items()
        if "/nb/" not in k
    }
    only_sweden.update(_another_sop_in_every_language())
    assert _translation_findings(project, only_sweden) == []


def test_checking_one_language_folder_does_not_report_the_others_as_missing(project):
    project.write("pyproject.toml", PYPROJECT)
    project.write("branches.yml", BRANCHES)
    assert _translation_findings(project, SET, "docs/en") == []


@pytest.mark.parametrize("status", ["withdrawn", "superseded", "retired"])
def test_a_withdrawn_source_needs_no_translations(project, status):
    # The English source was withdrawn while its Swedish, Norwegian and Telugu
    # translations are still in force: nobody should be asked to translate it back into
    # English, and no translation should be taken for the source.
    project.write("pyproject.toml", PYPROJECT)
    project.write("branches.yml", BRANCHES)
    files = {**SET, "docs/en/key-handover.md": SOURCE_EN.replace("effective", status)}
    files.update(_another_sop_in_every_language())
    assert _translation_findings(project, files) == []


def test_a_withdrawn_translation_still_leaves_its_language_missing(project):
    # The source is in force and the Norwegian translation was withdrawn: Bergen Vest
    # has no Norwegian version to publish, so the finding stays, on the source.
    project.write("pyproject.toml", PYPROJECT)
    project.write("branches.yml", BRANCHES)
    withdrawn_nb = TRANSLATION_NB.replace("status: effective", "status: withdrawn")
    files = {**SET, "docs/nb/key-handover.md": withdrawn_nb}
    files.update(_another_sop_in_every_language())
    found = _translation_findings(project, files)
    assert [f[:4] for f in found] == [("docs/en/key-handover.md", 2, 5, "L003")]


def test_without_a_branches_file_nothing_is_missing(project):
    files = {k: v for k, v in SET.items() if "/nb/" not in k}
    assert _translation_findings(project, files) == []


# -- the whole set -------------------------------------------------------------------------


def test_serial_and_parallel_runs_agree(project):
    files = {}
    for i in range(30):
        files[f"docs/en/sop-{i:02d}.md"] = SOURCE_EN.replace("CS-101", f"CS-{i:03d}")
        files[f"docs/sv/sop-{i:02d}.md"] = TRANSLATION_SV.replace("CS-101", f"CS-{i:03d}").replace(
            'source_version: "2.1"', 'source_version: "1.0"' if i % 3 else 'source_version: "2.1"'
        )
    serial = _translation_findings(project, files, jobs=1)
    parallel = _translation_findings(project, files, jobs=2)
    assert serial == parallel
    assert len(serial) == 20


def test_check_reports_the_finding_in_json_with_exit_1(project, cli):
    behind = TRANSLATION_SV.replace('source_version: "2.1"', 'source_version: "1.3"')
    for name, text in {**SET, "docs/sv/key-handover.md": behind}.items():
        project.write(name, text)
    result = cli("check", "--format", "json", "--select", "L", "--fail-on", "warning", "docs")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["name"], finding["severity"]) == (
        "L001",
        "translation-outdated",
        "warning",
    )
    # The source is named in the message and, for JSON and SARIF, as a related location.
    assert "docs/en/key-handover.md:4" in finding["message"]
    assert finding["related"] == [
        {
            "path": "docs/en/key-handover.md",
            "line": 4,
            "column": 1,
            "message": "the source's version",
        }
    ]


def test_a_drifted_translation_names_the_source_s_procedure_in_json_and_sarif(project, cli):
    # The Telugu translation lost step 3 (the key log).
    short = TRANSLATION_TE.replace("3. తాళం రిజిస్టర్‌లో కస్టమర్ సంతకం తీసుకోండి.\n", "").replace(
        "4. తాళం ఇచ్చి", "3. తాళం ఇచ్చి"
    )
    assert short != TRANSLATION_TE
    for name, text in {**SET, "docs/te/key-handover.md": short}.items():
        project.write(name, text)
    result = cli("check", "--format", "json", "--select", "L", "--fail-on", "never", "docs")
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "L002"
    assert "docs/en/key-handover.md" in finding["message"]
    assert finding["related"] == [
        {
            "path": "docs/en/key-handover.md",
            "line": 26,
            "column": 1,
            "message": "the source's procedure",
        }
    ]
    sarif = cli("check", "--format", "sarif", "--select", "L", "--fail-on", "never", "docs")
    [result_] = json.loads(sarif.stdout)["runs"][0]["results"]
    [related] = result_["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "docs/en/key-handover.md"
    assert related["physicalLocation"]["region"]["startLine"] == 26


def test_the_bundled_docs_trip_each_translation_rule_where_the_guide_says(project):
    # What a new user does to the bundled docs: a translation left behind, a step lost
    # in translation, a translation deleted; each rule fires once, on the file to change.
    for name in ("pyproject.toml", "branches.yml", "glossary.yml"):
        project.write(name, (REPO / name).read_text(encoding="utf-8"))
    for path in (REPO / "docs").rglob("*.md"):
        relative = path.relative_to(REPO).as_posix()
        if relative != "docs/te/toll-free-line.md":
            project.write(relative, path.read_text(encoding="utf-8"))
    sv = project.root / "docs/sv/customer-complaint.md"
    sv.write_text(
        sv.read_text(encoding="utf-8").replace('source_version: "2.1"', 'source_version: "2.0"')
    )
    nb = project.root / "docs/nb/sale-follow-up.md"
    nb.write_text(nb.read_text(encoding="utf-8").replace("12. Takk kunden for tiden.\n", ""))
    found = _translation_findings(project, {})
    assert [f[:4] for f in found] == [
        ("docs/en/toll-free-line.md", 2, 5, "L003"),
        ("docs/nb/sale-follow-up.md", 44, 1, "L002"),
        ("docs/sv/customer-complaint.md", 14, 17, "L001"),
    ]
    assert found[0][4].startswith("hyderabad-banjara-hills publishes Telugu (te), but CS-003")
