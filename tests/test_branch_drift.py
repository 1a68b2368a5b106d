"""A branch's own copy of an SOP (``docs/<lang>/branches/<branch-id>/<file>.md``): what
``branch-drift`` (J006) says about it, and what the site publishes for each branch.

The copy is compared with the standard SOP next to the ``branches/`` folder, step by
step, after both have the branch's values filled in; one finding on the copy lists the
differences, or says the copy is redundant.
"""

from __future__ import annotations

import json

import pytest
from conftest import sop

from sop_lint.branching.overrides import copies_of, override_of

BRANCHES = sop(
    """
    org:
      name: Nordlys Service
    branches:
      - id: stockholm-city
        name: Stockholm City
        languages: [sv, en]
        vars:
          phone: "08-555 012 30"
      - id: oslo-sentrum
        name: Oslo Sentrum
        languages: [nb, en]
        vars:
          phone: "+47 21 55 01 20"
      - id: hyderabad-banjara-hills
        name: Hyderabad Banjara Hills
        languages: [te, en]
        vars:
          phone: "040 2355 0199"
      - id: london-docklands
        name: London Docklands
        languages: [en]
        vars:
          phone: "020 7946 0123"
    """
)

PYPROJECT = '[tool.sop-lint]\ndocs = "docs"\n\n[tool.sop-lint.branches]\nfile = "branches.yml"\n'

RETURN_EN = sop(
    """
    ---
    id: CS-001
    title: Handling a product return
    lang: en
    ---

    # Handling a product return

    ## Procedure

    1. Greet the customer and ask how you can help.
    2. Ask for the receipt or the order number.
    3. Check that the return falls within the 30-day return period.
    4. Look at the product for damage and missing parts.
    5. Refund the money by the same payment method as the sale.
    6. If you are unsure, call the shift lead on {{ branch.phone }}.

    ## Deviations and escalation

    If the customer does not accept the decision, call the shift lead.
    """
)

RETUR_SV = sop(
    """
    ---
    id: CS-001-sv
    title: Hantera en retur
    lang: sv
    ---

    # Hantera en retur

    ## Utförande

    1. Hälsa på kunden och fråga hur du kan hjälpa till.
    2. Be om kvittot eller ordernumret.
    3. Kontrollera att returen sker inom 30 dagar.
    4. Ring skiftledaren på {{ branch.phone }} om du är osäker.

    ## Avvikelser

    Om kunden inte godtar beslutet, ring skiftledaren.
    """
)

RETUR_NB = sop(
    """
    ---
    id: CS-001-nb
    title: Håndtere en retur
    lang: nb
    ---

    # Håndtere en retur

    ## Fremgangsmåte

    1. Hils på kunden og spør hvordan du kan hjelpe.
    2. Be om kvitteringen eller ordrenummeret.
    3. Kontroller at returen skjer innen 30 dager.
    4. Se etter skader og manglende deler på varen.
    5. Ring skiftlederen på {{ branch.phone }} hvis du er usikker.

    ## Avvik

    Hvis kunden ikke godtar avgjørelsen, ring skiftlederen.
    """
)

RETURN_TE = sop(
    """
    ---
    id: CS-001-te
    title: ఉత్పత్తి వాపసు
    lang: te
    ---

    # ఉత్పత్తి వాపసు

    ## విధానం

    1. కస్టమర్‌ను పలకరించి, ఎలా సహాయం చేయగలమో అడగండి.
    2. రసీదు లేదా ఆర్డర్ నంబర్ అడగండి.
    3. ఉత్పత్తికి నష్టం ఉందేమో జాగ్రత్తగా చూడండి.
    4. సందేహం ఉంటే షిఫ్ట్ లీడ్‌కు {{ branch.phone }} లో కాల్ చేయండి.
    """
)

ADVICE = (
    ". Keep each difference only if this branch must work that way; put small "
    "differences in the branches file as {{ branch.<name> }} values instead."
)


@pytest.fixture
def sops(project):
    project.write("pyproject.toml", PYPROJECT)
    project.write("branches.yml", BRANCHES)
    project.write("docs/en/product-return.md", RETURN_EN)
    project.write("docs/sv/retur.md", RETUR_SV)
    project.write("docs/nb/retur.md", RETUR_NB)
    project.write("docs/te/product-return.md", RETURN_TE)
    return project


def check(cli, *args: str) -> list[dict]:
    result = cli("check", "--format", "json", "--fail-on", "never", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["findings"]


def drift(cli, *args: str) -> list[tuple[str, int, str, str]]:
    return [
        (f["path"], f["line"], f["severity"], f["message"])
        for f in check(cli, *(args or ("docs",)))
        if f["rule"] == "J006"
    ]


# -- the steps that differ -----------------------------------------------------------------


def test_changed_steps_are_one_finding_on_the_copy_at_its_first_differing_step(sops, cli):
    copy = (
        RETURN_EN.replace("or the order number.", "and a photo ID.")
        .replace(
            "Refund the money by the same payment method as the sale.",
            "Weigh large products on the return scale.",
        )
        # The branch's value written out is not a difference.
        .replace("{{ branch.phone }}", "020 7946 0123")
    )
    sops.write("docs/en/branches/london-docklands/product-return.md", copy)
    assert drift(cli) == [
        (
            "docs/en/branches/london-docklands/product-return.md",
            12,
            "info",
            "the copy for london-docklands differs from the standard SOP "
            "docs/en/product-return.md: step 2 differs: the standard says \u201cAsk for the "
            "receipt or the order number.\u201d, this copy says \u201cAsk for the receipt and "
            "a photo ID.\u201d; step 5 differs: the standard says \u201cRefund the money by "
            "the same payment method as the sale.\u201d, this copy says \u201cWeigh large "
            "products on the return scale.\u201d" + ADVICE,
        )
    ]


def test_a_step_only_in_the_copy_is_named_with_its_number(sops, cli):
    copy = RETUR_SV.replace(
        "3. Kontrollera att returen sker inom 30 dagar.\n4.",
        "3. Kontrollera att returen sker inom 30 dagar.\n4. Skanna varans streckkod.\n5.",
    )
    sops.write("docs/sv/branches/stockholm-city/retur.md", copy)
    assert drift(cli) == [
        (
            "docs/sv/branches/stockholm-city/retur.md",
            14,
            "info",
            "the copy for stockholm-city differs from the standard SOP docs/sv/retur.md: "
            "step 4 is only here: \u201cSkanna varans streckkod.\u201d" + ADVICE,
        )
    ]


def test_a_step_missing_from_the_copy_is_quoted_from_the_standard(sops, cli):
    copy = RETUR_NB.replace("4. Se etter skader og manglende deler på varen.\n5.", "4.")
    sops.write("docs/nb/branches/oslo-sentrum/retur.md", copy)
    assert drift(cli) == [
        (
            "docs/nb/branches/oslo-sentrum/retur.md",
            14,
            "info",
            "the copy for oslo-sentrum differs from the standard SOP docs/nb/retur.md: "
            "standard step 4 is missing here: \u201cSe etter skader og manglende deler på "
            "varen.\u201d" + ADVICE,
        )
    ]


def test_a_telugu_copy_with_a_changed_step(sops, cli):
    changed = "3. ఉత్పత్తికి నష్టం ఉంటే ఫోటో తీసి `CRM` లో నమోదు చేయండి."
    copy = RETURN_TE.replace("3. ఉత్పత్తికి నష్టం ఉందేమో జాగ్రత్తగా చూడండి.", changed)
    sops.write("docs/te/branches/hyderabad-banjara-hills/product-return.md", copy)
    [(path, line, severity, message)] = drift(cli)
    assert (path, line, severity) == (
        "docs/te/branches/hyderabad-banjara-hills/product-return.md",
        13,
        "info",
    )
    assert message.startswith(
        "the copy for hyderabad-banjara-hills differs from the standard SOP "
        "docs/te/product-return.md: step 3 differs: the standard says "
        "\u201cఉత్పత్తికి నష్టం ఉందేమో జాగ్రత్తగా చూడండి.\u201d, this copy says "
        "\u201cఉత్పత్తికి నష్టం ఉంటే ఫోటో తీసి `CRM` లో నమోదు చేయండి.\u201d"
    )


def test_many_differences_are_shown_compactly(sops, cli):
    lines = RETURN_EN.split("\n")
    for n in range(10, 16):  # every step rewritten
        lines[n] = f"{n - 9}. Follow the Docklands checklist, part {n - 9}."
    sops.write("docs/en/branches/london-docklands/product-return.md", "\n".join(lines))
    [(_, line, _, message)] = drift(cli)
    assert line == 11
    assert message.count(" differs: the standard says ") == 4
    assert "; and 2 more differences." in message


# -- redundant copies and silence ----------------------------------------------------------


def test_a_copy_that_only_writes_out_a_branch_value_is_redundant(sops, cli):
    copy = RETUR_SV.replace("{{ branch.phone }}", "08-555 012 30")
    sops.write("docs/sv/branches/stockholm-city/retur.md", copy)
    assert drift(cli) == [
        (
            "docs/sv/branches/stockholm-city/retur.md",
            2,
            "warning",
            "this copy of docs/sv/retur.md for stockholm-city says the same as the standard "
            "SOP: delete it, and stockholm-city publishes the standard SOP",
        )
    ]


def test_a_copy_that_differs_outside_the_procedure_is_not_flagged(sops, cli):
    copy = RETUR_NB.replace(
        "Hvis kunden ikke godtar avgjørelsen, ring skiftlederen.",
        "Hvis kunden ikke godtar avgjørelsen, ring butikksjefen i Oslo.",
    )
    sops.write("docs/nb/branches/oslo-sentrum/retur.md", copy)
    assert drift(cli) == []


def test_whitespace_and_expression_spelling_are_not_differences(sops, cli):
    copy = RETURN_TE.replace("{{ branch.phone }}", "{{branch.phone}}").replace(
        "2. రసీదు లేదా", "2.  రసీదు   లేదా"
    )
    copy = copy.replace("## విధానం", "## విధానం\n\nఈ శాఖలో మాత్రమే:")
    sops.write("docs/te/branches/hyderabad-banjara-hills/product-return.md", copy)
    assert drift(cli) == []  # the steps agree; the added paragraph is not a step


def test_a_copy_whose_standard_was_not_checked_is_not_compared(sops, cli):
    sops.write("docs/en/branches/london-docklands/product-return.md", RETURN_EN)
    assert drift(cli, "docs/en/branches") == []


def test_without_branch_data_the_rule_is_silent(project, cli):
    project.write("pyproject.toml", '[tool.sop-lint]\ndocs = "docs"\n')
    project.write("docs/en/product-return.md", RETURN_EN)
    project.write("docs/en/branches/london-docklands/product-return.md", RETURN_EN)
    assert drift(cli) == []


def test_the_same_findings_with_one_process_or_two(sops, cli):
    sops.write(
        "docs/sv/branches/stockholm-city/retur.md",
        RETUR_SV.replace("Be om kvittot", "Be alltid om kvittot"),
    )
    sops.write("docs/nb/branches/oslo-sentrum/retur.md", RETUR_NB)
    for n in range(12):  # enough files for the work to be shared out
        sops.write(f"docs/en/extra-{n:02d}.md", RETURN_EN.replace("CS-001", f"CS-1{n:02d}"))
    serial = cli("check", "docs", "--format", "json", "--fail-on", "never", "--jobs", "1")
    parallel = cli("check", "docs", "--format", "json", "--fail-on", "never", "--jobs", "2")
    assert serial.stdout == parallel.stdout
    assert [f["rule"] for f in json.loads(serial.stdout)["findings"]].count("J006") == 2


# -- copies no site publishes --------------------------------------------------------------


def test_a_copy_for_a_branch_that_does_not_exist(sops, cli):
    sops.write("docs/en/branches/londn-docklands/product-return.md", RETURN_EN)
    assert drift(cli) == [
        (
            "docs/en/branches/londn-docklands/product-return.md",
            2,
            "warning",
            "this copy is in a folder for branch 'londn-docklands', which is not in "
            "branches.yml, so no site publishes it: rename the folder to a branch id "
            "(stockholm-city, oslo-sentrum, hyderabad-banjara-hills, london-docklands), or "
            "delete the copy",
        )
    ]


def test_a_copy_for_a_branch_that_does_not_publish_the_language(sops, cli):
    sops.write("docs/sv/branches/oslo-sentrum/retur.md", RETUR_SV)
    assert drift(cli) == [
        (
            "docs/sv/branches/oslo-sentrum/retur.md",
            2,
            "warning",
            "oslo-sentrum does not publish docs/sv/retur.md (its languages in branches.yml, "
            "or the SOP's applies_to), so no site publishes this copy: delete it, or add the "
            "branch to the standard SOP's applies_to",
        )
    ]


# -- the other rules and the copy ----------------------------------------------------------


def test_a_copy_keeps_the_standard_s_id_without_a_duplicate_id(sops, cli):
    sops.write(
        "docs/en/branches/london-docklands/product-return.md",
        RETURN_EN.replace("Ask for the receipt", "Ask for the receipt first"),
    )
    rules = {f["rule"] for f in check(cli, "docs")}
    assert "D001" not in rules
    assert "J006" in rules


def test_a_value_only_the_copy_s_branch_reads_is_checked_for_that_branch_only(sops, cli):
    # The standard uses {{ branch.towing_phone }}, which only stockholm-city has; the other
    # English branches publish their own copies, so the standard is fine as it is.
    sops.write(
        "branches.yml",
        BRANCHES.replace(
            'phone: "08-555 012 30"', 'phone: "08-555 012 30"\n      towing_phone: "08-555 012 99"'
        ),
    )
    standard = RETURN_EN.replace("{{ branch.phone }}", "{{ branch.towing_phone }}")
    sops.write("docs/en/product-return.md", standard)
    for branch in ("oslo-sentrum", "hyderabad-banjara-hills", "london-docklands"):
        sops.write(f"docs/en/branches/{branch}/product-return.md", RETURN_EN)
    assert [f for f in check(cli, "docs") if f["rule"] == "J003"] == []
    # A copy that uses a value its branch lacks is checked for that branch.
    sops.write("docs/en/branches/london-docklands/product-return.md", standard)
    [j003] = [f for f in check(cli, "docs") if f["rule"] == "J003"]
    assert j003["path"] == "docs/en/branches/london-docklands/product-return.md"
    assert "london-docklands" in j003["message"]


# -- what a path means ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "docs/en/branches/oslo-sentrum/product-return.md",
            ("oslo-sentrum", "docs/en/product-return.md"),
        ),
        (
            "docs/sv/kundtjänst/branches/stockholm-city/retur.md",
            ("stockholm-city", "docs/sv/kundtjänst/retur.md"),
        ),
        (
            "/srv/sops/docs/te/branches/hyderabad-banjara-hills/a/b.md",
            ("hyderabad-banjara-hills", "/srv/sops/docs/te/a/b.md"),
        ),
        ("docs\\nb\\branches\\bergen-vest\\retur.md", ("bergen-vest", "docs/nb/retur.md")),
    ],
)
def test_a_branches_folder_inside_a_language_folder_holds_copies(path, expected):
    override = override_of(path)
    assert override is not None
    assert (override.branch_id, override.standard) == expected


@pytest.mark.parametrize(
    "path",
    [
        "docs/en/product-return.md",
        "docs/en/branches/product-return.md",  # no branch folder
        "/home/anna/branches/docs/en/product-return.md",  # a project inside a "branches" folder
        "docs/en/branches/Oslo Sentrum/product-return.md",  # not a branch id
        "branches/oslo-sentrum/product-return.md",  # not inside a language folder
    ],
)
def test_other_paths_are_not_copies(path):
    assert override_of(path) is None


def test_copies_of_a_standard_are_found_on_disk(sops):
    sops.write("docs/en/branches/oslo-sentrum/product-return.md", RETURN_EN)
    sops.write("docs/en/branches/london-docklands/other.md", RETURN_EN)
    assert copies_of("docs/en/product-return.md") == {"oslo-sentrum"}
    assert copies_of("docs/sv/retur.md") == set()


# -- what the site publishes ---------------------------------------------------------------


def _published(project_root):
    from sop_lint.config import load_config
    from sop_lint.site.project import load_project

    config = load_config(project_root)
    return load_project(config, project_root / "branches.yml", project_root / "docs", lint=False)


def test_the_site_publishes_a_copy_for_its_branch_and_the_standard_for_the_others(sops):
    copy = RETUR_NB.replace("Be om kvitteringen", "Be alltid om kvitteringen")
    sops.write("docs/nb/branches/oslo-sentrum/retur.md", copy)
    sops.write("docs/en/branches/london-docklands/product-return.md", RETURN_EN)
    site = _published(sops.root)

    def page(branch_id: str, lang: str, slug: str):
        branch = site.data.get(branch_id)
        [found] = [p for p in site.pages_for(branch, lang) if p.slug == slug]
        return found

    oslo = page("oslo-sentrum", "nb", "retur")
    assert oslo.override == "oslo-sentrum"
    assert "Be alltid om kvitteringen" in oslo.body
    assert page("oslo-sentrum", "en", "product-return").override is None
    assert page("london-docklands", "en", "product-return").override == "london-docklands"
    assert page("stockholm-city", "en", "product-return").override is None
    # A copy is never a page of its own: no branch gets a "branches/..." page.
    for branch in site.data.branches:
        for lang in branch.languages:
            assert all(not p.slug.startswith("branches/") for p in site.pages_for(branch, lang))
    # Links and language switches find the standard page.
    assert site.page("nb", "retur").override is None


def test_the_site_leaves_out_copies_it_cannot_publish_and_says_why(sops, caplog):
    sops.write("docs/en/branches/londn-docklands/product-return.md", RETURN_EN)
    sops.write("docs/en/branches/london-docklands/returns.md", RETURN_EN)
    with caplog.at_level("WARNING", logger="sop_lint.site"):
        site = _published(sops.root)
    assert all(p.override is None for p in site.pages)
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "sop-lint: warning: docs/en/branches/londn-docklands/product-return.md: not "
        "published: the branch copy is a copy for branch 'londn-docklands', which is not in "
        "branches.yml; rename its folder to a branch id: stockholm-city, oslo-sentrum, "
        "hyderabad-banjara-hills, london-docklands",
        "sop-lint: warning: docs/en/branches/london-docklands/returns.md: not published: the "
        "branch copy is a copy of en/returns.md, which does not exist; a branch copy needs "
        "the standard SOP it replaces (same file name, two folders up)",
    ]


def test_a_built_site_shows_the_copy_to_its_branch_only(sops, cli):
    # The whole build, through MkDocs: the copy's page is at the standard's address.
    sops.write("mkdocs.yml", "site_name: Nordlys\ntheme:\n  name: material\n  font: false\n")
    sops.write(
        "docs/sv/branches/stockholm-city/retur.md",
        RETUR_SV.replace("Be om kvittot eller ordernumret.", "Be om kvittot och legitimation."),
    )
    sops.write(
        "docs/en/branches/oslo-sentrum/product-return.md",
        RETURN_EN.replace("or the order number.", "and a photo ID."),
    )
    result = cli(
        "site", "build", "--jobs", "1", "--no-guide",
        "--branch", "stockholm-city", "--branch", "oslo-sentrum",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    stockholm = (sops.root / "site/stockholm-city/sv/retur/index.html").read_text("utf-8")
    assert "Be om kvittot och legitimation." in stockholm
    assert "ordernumret" not in stockholm
    assert not (sops.root / "site/stockholm-city/sv/branches").exists()
    oslo = (sops.root / "site/oslo-sentrum/nb/retur/index.html").read_text("utf-8")
    assert "Be om kvitteringen eller ordrenummeret." in oslo
    # In English, Oslo has a copy and Stockholm publishes the standard SOP.
    oslo_en = (sops.root / "site/oslo-sentrum/en/product-return/index.html").read_text()
    stockholm_en = (sops.root / "site/stockholm-city/en/product-return/index.html").read_text()
    assert "Ask for the receipt and a photo ID." in oslo_en
    assert "Ask for the receipt or the order number." in stockholm_en
    assert "photo ID" not in stockholm_en


def test_a_reviewed_copy_can_say_so_in_a_comment(sops, cli):
    # The differences are kept on purpose: the team records that in the copy itself.
    copy = RETUR_NB.replace("Be om kvitteringen", "Be alltid om kvitteringen").replace(
        "# Håndtere en retur", "<!-- sop-lint-disable-file branch-drift -->\n\n# Håndtere en retur"
    )
    sops.write("docs/nb/branches/oslo-sentrum/retur.md", copy)
    assert drift(cli) == []


def test_a_step_moved_in_the_copy_is_named_as_moved(sops, cli):
    copy = RETUR_SV.replace(
        "2. Be om kvittot eller ordernumret.\n3. Kontrollera att returen sker inom 30 dagar.",
        "2. Kontrollera att returen sker inom 30 dagar.\n3. Be om kvittot eller ordernumret.",
    )
    sops.write("docs/sv/branches/stockholm-city/retur.md", copy)
    [(_, line, severity, message)] = drift(cli)
    assert (line, severity) == (12, "info")
    assert message == (
        "the copy for stockholm-city differs from the standard SOP docs/sv/retur.md: "
        "step 2 is standard step 3, moved" + ADVICE
    )


# -- the standard as a related location ----------------------------------------------------


def test_the_finding_carries_the_standard_s_step_as_a_related_location_in_json(sops, cli):
    copy = RETUR_NB.replace("4. Se etter skader og manglende deler på varen.\n5.", "4.")
    sops.write("docs/nb/branches/oslo-sentrum/retur.md", copy)
    [finding] = [f for f in check(cli, "docs") if f["rule"] == "J006"]
    # The standard's step 4, the one missing from the copy, is line 14 of docs/nb/retur.md.
    assert finding["related"] == [
        {"path": "docs/nb/retur.md", "line": 14, "column": 1, "message": "the standard SOP's step"}
    ]


def test_a_redundant_copy_and_a_copy_no_site_publishes_name_the_standard(sops, cli):
    sops.write("docs/en/branches/london-docklands/product-return.md", RETURN_EN)
    sops.write("docs/sv/branches/oslo-sentrum/retur.md", RETUR_SV)
    found = {f["path"]: f["related"] for f in check(cli, "docs") if f["rule"] == "J006"}
    assert found == {
        "docs/en/branches/london-docklands/product-return.md": [
            {
                "path": "docs/en/product-return.md",
                "line": 2,
                "column": 1,
                "message": "the standard SOP",
            }
        ],
        "docs/sv/branches/oslo-sentrum/retur.md": [
            {"path": "docs/sv/retur.md", "line": 2, "column": 1, "message": "the standard SOP"}
        ],
    }
