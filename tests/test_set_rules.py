"""Checks across the SOP set: references that lead nowhere, sections named two ways, and
procedures copied between units. Each flawed set trips exactly the rule it is about, at
the line to change, and names the other file; the bundled docs stay clean."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO, sop

from sop_lint.config import parse_config
from sop_lint.engine import check_paths
from sop_lint.formatters import format_report

SET_RULES = ["broken-reference", "heading-inconsistent", "procedure-diverges"]


def _check(root, jobs: int = 1, **config):
    return check_paths([root / "docs"], parse_config({"select": SET_RULES, **config}), jobs=jobs)


def _where(findings, name: str) -> list[tuple[str, int, int]]:
    return [(f.path, f.line, f.column) for f in findings if f.name == name]


# -- a small SOP set in four languages ----------------------------------------------------------

RETURN_EN = sop(
    """
    ---
    id: CS-001
    title: Handling a product return
    version: "1.2"
    status: effective
    lang: en
    ---
    # Handling a product return

    ## Purpose

    This SOP explains how to take back a product from a customer.

    ## Procedure

    1. Greet the customer and ask how you can help.
    2. Ask for the receipt or the order number.
    3. Check the product for damage before you take it back.
    4. Enter the return in the till system.

    ## References

    - [Handling a complaint](complaint.md)
    - [Complaint steps](complaint.md#procedure)
    """
)

COMPLAINT_EN = sop(
    """
    ---
    id: CS-002
    title: Handling a customer complaint
    version: "2.0"
    status: effective
    lang: en
    ---
    # Handling a customer complaint

    ## Purpose

    This SOP explains how to take a complaint and solve it fast.

    ## Procedure

    1. Listen to the customer without interrupting.
    2. Write the complaint in the CRM while the customer waits.
    3. Offer a fix that you can give today.
    4. Tell the customer when they will hear from us.
    """
)

# Swedish: a withdrawn routine, and one that links to it by path and by id.
OLD_RETUR_SV = sop(
    """
    ---
    id: CS-003
    title: Gammal returrutin
    version: "1.0"
    status: withdrawn
    lang: sv
    ---
    # Gammal returrutin

    ## Syfte

    Rutinen gällde returer före 2025.
    """
)

RETUR_SV = sop(
    """
    ---
    id: CS-004
    title: Hantera en retur
    version: "1.0"
    status: effective
    lang: sv
    ---
    # Hantera en retur

    ## Syfte

    Rutinen beskriver hur du tar emot en vara som kunden lämnar tillbaka.

    ## Utförande

    1. Hälsa på kunden och fråga hur du kan hjälpa till.
    2. Be om kvittot eller ordernumret.

    ## Referenser

    - [Den gamla rutinen](gammal-retur.md)
    - Se även CS-003 för returer före 2025.
    - [Steg för steg](retur.md#utforande)
    """
)


def _set(project, retired: bool = False) -> None:
    """The set above; with ``retired``, the old Swedish routine is withdrawn."""
    project.write(
        "mkdocs.yml", "site_name: Test\nmarkdown_extensions:\n  - toc:\n      permalink: true\n"
    )
    project.write("docs/en/return.md", RETURN_EN)
    project.write("docs/en/complaint.md", COMPLAINT_EN)
    old = OLD_RETUR_SV if retired else OLD_RETUR_SV.replace("withdrawn", "effective")
    project.write("docs/sv/gammal-retur.md", old)
    project.write("docs/sv/retur.md", RETUR_SV)


def test_a_sound_set_has_no_broken_references(project):
    _set(project)
    assert _where(_check(project.root).findings, "broken-reference") == []


# -- broken-reference ---------------------------------------------------------------------------


def test_a_link_to_a_file_that_does_not_exist_is_an_error_at_the_link(project):
    _set(project)
    project.write("docs/en/return.md", RETURN_EN.replace("(complaint.md)", "(complaints.md)"))
    [finding] = [f for f in _check(project.root).findings if f.name == "broken-reference"]
    assert (finding.path, finding.line, finding.column) == ("docs/en/return.md", 23, 3)
    assert str(finding.severity) == "error"
    assert "complaints.md" in finding.message and "does not exist" in finding.message


def test_an_anchor_that_is_no_heading_of_the_target_is_flagged_naming_the_target(project):
    _set(project)
    project.write("docs/en/return.md", RETURN_EN.replace("#procedure", "#steps"))
    [finding] = [f for f in _check(project.root).findings if f.name == "broken-reference"]
    assert (finding.path, finding.line) == ("docs/en/return.md", 24)
    assert "#steps" in finding.message and "docs/en/complaint.md" in finding.message
    assert [r.path for r in finding.related] == ["docs/en/complaint.md"]


def test_anchors_of_swedish_headings_follow_mkdocs_default_slugs(project):
    """ "## Utförande" is "#utforande" on the site (toc drops the accent); "#utförande"
    is what slugify_unicode makes, so neither is reported; "#utfor" is."""
    _set(project)
    assert _where(_check(project.root).findings, "broken-reference") == []
    project.write("docs/sv/retur.md", RETUR_SV.replace("#utforande", "#utfor"))
    assert _where(_check(project.root).findings, "broken-reference") == [
        ("docs/sv/retur.md", 23, 3)
    ]


def test_a_repeated_heading_has_the_anchors_the_site_gives_it(project):
    """The site numbers a repeated heading: "## Kontakt" twice is #kontakt and #kontakt_1."""
    _set(project)
    twice = RETUR_SV + "\n## Kontakt\n\nRing kundtjänst.\n\n## Kontakt\n\nRing lagret.\n"
    project.write("docs/sv/retur.md", twice + "\n[Lagret](#kontakt_1) [Ingen](#kontakt_2)\n")
    findings = _where(_check(project.root).findings, "broken-reference")
    assert findings == [("docs/sv/retur.md", 33, 22)]


def test_anchors_are_not_judged_without_an_mkdocs_yml_or_with_a_custom_slugify(project):
    _set(project)
    project.write("docs/en/return.md", RETURN_EN.replace("#procedure", "#steps"))
    (project.root / "mkdocs.yml").unlink()
    assert _where(_check(project.root).findings, "broken-reference") == []
    project.write(
        "mkdocs.yml",
        "markdown_extensions:\n  - toc:\n      slugify: !!python/name:pymdownx.slugs.uslugify\n",
    )
    assert _where(_check(project.root).findings, "broken-reference") == []


def test_a_link_and_an_id_that_lead_to_a_withdrawn_sop_are_warnings(project):
    _set(project, retired=True)
    findings = [f for f in _check(project.root).findings if f.name == "broken-reference"]
    assert [(f.path, f.line, f.column, str(f.severity)) for f in findings] == [
        ("docs/sv/retur.md", 21, 3, "warning"),
        ("docs/sv/retur.md", 22, 11, "warning"),
    ]
    assert all(
        "withdrawn" in f.message and "docs/sv/gammal-retur.md" in f.message for f in findings
    )
    assert findings[1].related[0].path == "docs/sv/gammal-retur.md"
    assert findings[1].related[0].line == 5  # its status line


@pytest.mark.parametrize(
    ("lang", "line", "column"),
    [
        ("en", "For a refund, see CS-009 before you pay anything back.", 19),
        ("sv", "Vid återbetalning, se CS-009 innan du betalar tillbaka.", 23),
        ("nb", "Ved tilbakebetaling, jf. CS-009 før du betaler tilbake.", 26),
        ("te", "వాపసు కోసం CS-009 చూడండి.", 12),
    ],
)
def test_a_see_mention_of_an_id_no_sop_has_is_flagged_in_every_language(
    project, lang, line, column
):
    _set(project)
    text = COMPLAINT_EN.replace("lang: en", f"lang: {lang}").replace("id: CS-002", "id: CS-010")
    project.write(f"docs/{lang}/refund.md", text + f"\n{line}\n")
    findings = [f for f in _check(project.root).findings if f.name == "broken-reference"]
    ours = [(f.line, f.column) for f in findings if f.path == f"docs/{lang}/refund.md"]
    assert ours == [(21, column)]


def test_an_unknown_id_is_not_judged_when_only_some_files_were_checked(project):
    """A pre-commit hook passes only the changed files: the SOP with that id may be one
    of the others, so "no SOP has it" is not said; a link's file is still looked for."""
    _set(project)
    changed = project.write("docs/en/return.md", RETURN_EN + "\nSee CS-002, and see CS-009.\n")
    config = parse_config({"select": SET_RULES})
    assert _where(check_paths([changed], config, jobs=1).findings, "broken-reference") == []
    whole = _where(
        check_paths([project.root / "docs"], config, jobs=1).findings, "broken-reference"
    )
    assert whole == [("docs/en/return.md", 26, 21)]


def test_ids_of_other_series_and_links_that_are_not_sops_are_left_alone(project):
    _set(project)
    extra = sop(
        """

        See ISO-9001 and see the form HR-12 in the staff portal.
        Call [the help desk](tel:+4680000000), write to [us](mailto:help@example.com),
        read [the policy](https://example.com/policy.md) or [the price list](prices.pdf).
        ![The till](till.md)
        Write a link as `[Returns](missing.md)` in the editor, or ``[a](b.md)``.

        ```markdown
        [An example link](does-not-exist.md)
        ```

        - [Branch phone list]({{ branch.url }}/phones.md)

        <!-- [The old list](old-list.md) -->
        <!--
        [Draft](draft.md)
        -->
        """
    )
    project.write("docs/en/complaint.md", COMPLAINT_EN + extra)
    assert _where(_check(project.root).findings, "broken-reference") == []


def test_a_line_of_brackets_and_backticks_is_read_in_linear_time():
    """A regex from every "[" (or every unmatched backtick run) would rescan the line once
    per bracket: minutes at the size cap. Links are read from the summary's own scan of
    the lines (the parser is not part of this test); the guard is generous, a linear scan
    takes well under a second."""
    import time

    from sop_lint.crossdoc import links_of

    class Lines:  # just what links_of reads of a document
        path = "docs/en/hostile.md"
        body_start_line = 1
        line_count = 1

        def line_text(self, number: int) -> str:
            return (
                "[" * 120_000
                + "]x ](a.md) "
                + "".join("`" * (i % 7 + 1) + "a" for i in range(30_000))
            )

    start = time.perf_counter()
    links = links_of(Lines())  # type: ignore[arg-type]
    assert time.perf_counter() - start < 20
    assert [link.written for link in links] == ["a.md"]


def test_a_link_to_a_file_that_exists_but_was_not_checked_is_not_judged(project):
    _set(project)
    checked_en_only = check_paths(
        [project.root / "docs" / "en"], parse_config({"select": SET_RULES}), jobs=1
    )
    project.write("docs/en/return.md", RETURN_EN + "\n[Svenska](../sv/retur.md#nothing)\n")
    assert _where(checked_en_only.findings, "broken-reference") == []


def test_links_into_telugu_headings_are_not_judged(project):
    """The default slug rule drops Telugu letters entirely: sop-lint cannot be sure."""
    _set(project)
    te = sop(
        """
        ---
        id: CS-020
        title: వాపసు
        lang: te
        ---
        # వాపసు

        ## విధానం

        1. కస్టమర్‌ను పలకరించండి.

        [విధానం](#విధానం) మరియు [ఇంకొకటి](#something)
        """
    )
    project.write("docs/te/refund.md", te)
    assert _where(_check(project.root).findings, "broken-reference") == []


# -- heading-inconsistent -----------------------------------------------------------------------


def _sv(sop_id: str, procedure: str, title: str = "Rutin") -> str:
    return sop(
        f"""
        ---
        id: {sop_id}
        title: {title}
        lang: sv
        ---
        # {title}

        ## Syfte

        Rutinen beskriver arbetet.

        ## {procedure}

        1. Ring kunden samma dag.
        """
    )


def test_a_section_spelt_unlike_most_sops_of_its_language_is_flagged(project):
    project.write("docs/sv/a.md", _sv("SV-001", "Utförande", "Retur"))
    project.write("docs/sv/b.md", _sv("SV-002", "Utförande", "Klagomål"))
    project.write("docs/sv/c.md", _sv("SV-003", "Arbetsgång", "Bärgning"))
    [finding] = _check(project.root).findings
    assert (finding.path, finding.line, finding.column) == ("docs/sv/c.md", 12, 4)
    assert finding.name == "heading-inconsistent"
    assert "\u201cUtförande\u201d" in finding.message and "2 of 3" in finding.message
    assert finding.suggestion == "Utförande"
    assert [(r.path, r.line) for r in finding.related] == [("docs/sv/a.md", 12)]


def test_headings_are_not_compared_in_a_language_with_fewer_than_three_sops(project):
    project.write("docs/nb/a.md", _sv("NB-001", "Fremgangsmåte").replace("lang: sv", "lang: nb"))
    project.write("docs/nb/b.md", _sv("NB-002", "Prosedyre").replace("lang: sv", "lang: nb"))
    project.write("docs/sv/c.md", _sv("SV-003", "Arbetsgång"))
    assert _check(project.root).findings == []


def test_on_a_tie_the_template_name_wins_and_without_it_nothing_is_flagged(project):
    project.write("docs/sv/a.md", _sv("SV-001", "Utförande"))
    project.write("docs/sv/b.md", _sv("SV-002", "Arbetsgång"))
    project.write("docs/sv/c.md", _sv("SV-003", "Steg"))
    flagged = sorted(f.path for f in _check(project.root).findings)
    assert flagged == ["docs/sv/b.md", "docs/sv/c.md"]
    project.write("docs/sv/a.md", _sv("SV-001", "Tillvägagångssätt"))
    assert _check(project.root).findings == []  # no spelling is more usual: unsure


def test_numbering_and_case_are_not_a_different_spelling(project):
    project.write("docs/en/a.md", RETURN_EN)
    project.write("docs/en/b.md", COMPLAINT_EN.replace("## Procedure", "## 2. procedure"))
    project.write("docs/en/c.md", COMPLAINT_EN.replace("CS-002", "CS-005"))
    assert _where(_check(project.root).findings, "heading-inconsistent") == []


# -- procedure-diverges -------------------------------------------------------------------------

BORTTAPPAD_NB = """\
---
id: {sop_id}
title: Borttapte nøkler
lang: nb
---
# Borttapte nøkler

## Fremgangsmåte

- Spør brukeren når og hvor nøkkelen sist ble brukt, og noter svaret.
- Sjekk nøkkelskapet, nøkkelloggen og bilen du kjørte på dagens runde.
- Ring {unit} og meld fra om den borttapte nøkkelen med en gang.
- Bestill låsbytte hos vaktmesteren hvis nøkkelen ikke er funnet innen ett døgn.
- Skriv avvik i fagsystemet samme dag, med tidspunkt og hvem du har varslet.
"""

HYGIENE_NB = """\
---
id: NB-030
title: Håndhygiene
lang: nb
---
# Håndhygiene

## Fremgangsmåte

1. Vask hendene før og etter hvert besøk.
2. Bruk hanske når du steller sår.
3. Skift forkle mellom brukere.
"""


def test_two_units_copies_of_one_routine_are_named_together_with_their_similarity(project):
    project.write(
        "docs/nb/hjemmetjeneste.md",
        BORTTAPPAD_NB.format(sop_id="NB-010", unit="hjemmetjenestens koordinator"),
    )
    project.write(
        "docs/nb/bofellesskap.md",
        BORTTAPPAD_NB.format(sop_id="NB-020", unit="vakthavende i bofellesskapet"),
    )
    project.write("docs/nb/hygiene.md", HYGIENE_NB)
    findings = _check(project.root).findings
    assert _where(findings, "procedure-diverges") == [
        ("docs/nb/bofellesskap.md", 8, 1),
        ("docs/nb/hjemmetjeneste.md", 8, 1),
    ]
    first = findings[0]
    assert str(first.severity) == "info"
    assert "docs/nb/hjemmetjeneste.md:8" in first.message
    assert "4 of 5 steps word for word" in first.message
    assert "% of its wording" in first.message
    assert [r.path for r in first.related] == ["docs/nb/hjemmetjeneste.md"]


def test_procedures_in_different_languages_or_with_one_id_are_not_compared(project):
    project.write("docs/nb/a.md", BORTTAPPAD_NB.format(sop_id="NB-010", unit="koordinatoren"))
    project.write("docs/nb/b.md", BORTTAPPAD_NB.format(sop_id="NB-010", unit="koordinatoren"))
    sv_copy = BORTTAPPAD_NB.format(sop_id="SV-010", unit="koordinatoren").replace(
        "lang: nb", "lang: sv"
    )
    project.write("docs/sv/c.md", sv_copy)
    assert _where(_check(project.root).findings, "procedure-diverges") == []


# -- output and parallel runs -------------------------------------------------------------------


def test_related_locations_in_text_json_and_sarif(project):
    _set(project, retired=True)
    report = _check(project.root)
    text = format_report(report, "text")
    assert "    see also: docs/sv/gammal-retur.md:5:1 (status of docs/sv/gammal-retur.md)" in text
    data = json.loads(format_report(report, "json"))
    related = [f["related"] for f in data["findings"] if "related" in f]
    assert related[0] == [
        {
            "path": "docs/sv/gammal-retur.md",
            "line": 5,
            "column": 1,
            "message": "status of docs/sv/gammal-retur.md",
        }
    ]
    [run] = json.loads(format_report(report, "sarif"))["runs"]
    result = run["results"][0]
    assert result["relatedLocations"] == [
        {
            "id": 0,
            "physicalLocation": {
                "artifactLocation": {"uri": "docs/sv/gammal-retur.md", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 5, "startColumn": 1},
            },
            "message": {"text": "status of docs/sv/gammal-retur.md"},
        }
    ]


def test_github_annotations_name_the_related_locations_in_their_text(project):
    # Annotations have no related-location field: the other file goes into the message.
    _set(project, retired=True)
    lines = format_report(_check(project.root), "github").splitlines()
    withdrawn = [line for line in lines if "withdrawn" in line and "retur.md" in line]
    assert withdrawn
    assert all(
        line.endswith("See also docs/sv/gammal-retur.md:5 (status of docs/sv/gammal-retur.md).")
        for line in withdrawn
    )
    unrelated = [line for line in lines if "does not exist" in line]
    assert all("See also" not in line for line in unrelated)


def test_one_process_and_two_give_the_same_set_findings(project):
    _set(project, retired=True)
    for number in range(30):
        unit = ["koordinatoren", "vakthavende", "teamlederen"][number % 3]
        project.write(
            f"docs/nb/n{number:02d}.md", BORTTAPPAD_NB.format(sop_id=f"NB-{number:03d}", unit=unit)
        )
        project.write(
            f"docs/en/see{number:02d}.md",
            COMPLAINT_EN.replace("CS-002", f"CS-{100 + number}") + f"\nSee CS-{200 + number}.\n",
        )
    serial = _check(project.root, jobs=1)
    parallel = _check(project.root, jobs=2)
    assert [f.to_dict() for f in serial.findings] == [f.to_dict() for f in parallel.findings]
    names = {f.name for f in serial.findings}
    assert names == {"broken-reference", "procedure-diverges"}


def test_the_bundled_docs_are_clean_under_the_set_rules():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "sop_lint", "check", "--select", ",".join(SET_RULES)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- branch copies ------------------------------------------------------------------------------


def test_a_branch_copy_and_its_standard_are_not_named_as_near_duplicates(project):
    # Oslo Sentrum's own copy of the routine (its id changed by mistake) stays close to the
    # standard: branch-drift compares the two, so procedure-diverges names neither the
    # copy with its standard nor the copy with a third unit's version.
    project.write("docs/nb/nokler.md", BORTTAPPAD_NB.format(sop_id="NB-010", unit="koordinatoren"))
    project.write(
        "docs/nb/branches/oslo-sentrum/nokler.md",
        BORTTAPPAD_NB.format(sop_id="NB-011", unit="vakthavende i Oslo Sentrum"),
    )
    project.write(
        "docs/nb/bofellesskap.md",
        BORTTAPPAD_NB.format(sop_id="NB-020", unit="vakthavende i bofellesskapet"),
    )
    findings = [f for f in _check(project.root).findings if f.name == "procedure-diverges"]
    assert [(f.path, f.line) for f in findings] == [
        ("docs/nb/bofellesskap.md", 8),
        ("docs/nb/nokler.md", 8),
    ]
    assert all("branches/" not in f.message for f in findings)
    assert all("branches/" not in r.path for f in findings for r in f.related)


RETURN_COPY_EN = RETURN_EN.replace(
    "- [Complaint steps](complaint.md#procedure)",
    "- [Complaint steps](complaint.md#procedure)\n- [Refund form](refund-form.md)",
)


def test_links_in_a_branch_copy_are_resolved_from_the_standards_folder(project):
    # The copy is published at the standard's address, so its links are written as in the
    # standard: "complaint.md" is docs/en/complaint.md, not docs/en/branches/.../complaint.md.
    _set(project)
    project.write("docs/en/branches/oslo-sentrum/return.md", RETURN_COPY_EN)
    findings = _check(project.root).findings
    assert _where(findings, "broken-reference") == [
        ("docs/en/branches/oslo-sentrum/return.md", 25, 3)
    ]
    [broken] = [f for f in findings if f.name == "broken-reference"]
    assert "refund-form.md" in broken.message


def test_a_swedish_branch_copy_with_the_standards_links_is_clean(project):
    _set(project)
    project.write("docs/sv/branches/goteborg/retur.md", RETUR_SV)
    findings = _check(project.root).findings
    assert _where(findings, "broken-reference") == []


def test_a_telugu_branch_copy_links_like_its_standard(project):
    project.write(
        "mkdocs.yml", "site_name: Test\nmarkdown_extensions:\n  - toc:\n      permalink: true\n"
    )
    standard = sop(
        """
        ---
        id: CS-020
        title: ఫిర్యాదు నమోదు
        lang: te
        ---
        # ఫిర్యాదు నమోదు

        ## విధానం

        1. కస్టమర్ చెప్పేది పూర్తిగా వినండి.
        2. ఫిర్యాదును `CRM` లో నమోదు చేయండి.

        ## సూచనలు

        - [వాపసు విధానం](return.md)
        - [పాత ఫారం](old-form.md)
        """
    )
    project.write("docs/te/complaint.md", standard)
    project.write("docs/te/return.md", standard.replace("CS-020", "CS-021"))
    project.write("docs/te/branches/hyderabad-banjara-hills/complaint.md", standard)
    # old-form.md is missing for the standard and for the copy alike: the same line of each.
    assert _where(_check(project.root).findings, "broken-reference") == [
        ("docs/te/branches/hyderabad-banjara-hills/complaint.md", 16, 3),
        ("docs/te/complaint.md", 16, 3),
        ("docs/te/return.md", 16, 3),
    ]


# -- procedure-diverges compares real procedures only -------------------------------------------

DESK_EN = """\
---
id: {sop_id}
title: The airport desk at {airport}
lang: en
---
# The airport desk at {airport}

## Opening hours

- The desk is staffed from 06:00 until the last arrival of the evening.
- Cars for early flights are parked in row {row} of the short-stay car park.
- The night key box stands next to the {airport} information counter.

## Contacts

- The duty manager for {airport} answers on the desk phone at all hours.
- Damage found after hours is reported to {contact} the next working day.
- Shuttle buses to the car park leave every {minutes} minutes from door {door}.
"""


def test_pages_without_a_procedure_sharing_boilerplate_lists_are_not_named(project):
    # Two branch pages of one kind, with the same boilerplate bullets and their own
    # details: not one routine written twice (before, their bullets were pooled and
    # compared as if they were procedures).
    project.write(
        "docs/en/desk-arlanda.md",
        DESK_EN.format(
            sop_id="CS-301",
            airport="Arlanda",
            row="C",
            contact="the Stockholm office",
            minutes="ten",
            door="4",
        ),
    )
    project.write(
        "docs/en/desk-gardermoen.md",
        DESK_EN.format(
            sop_id="CS-302",
            airport="Gardermoen",
            row="F",
            contact="the regional manager",
            minutes="fifteen",
            door="11",
        ),
    )
    assert _where(_check(project.root).findings, "procedure-diverges") == []


def test_two_copies_of_one_page_without_a_procedure_are_named_as_lists(project):
    values = {"airport": "Arlanda", "row": "C", "contact": "the Stockholm office"}
    values.update(minutes="ten", door="4")
    project.write("docs/en/desk.md", DESK_EN.format(sop_id="CS-301", **values))
    project.write("docs/en/desk-copy.md", DESK_EN.format(sop_id="CS-303", **values))
    findings = _check(project.root).findings
    assert _where(findings, "procedure-diverges") == [
        ("docs/en/desk-copy.md", 10, 1),
        ("docs/en/desk.md", 10, 1),
    ]
    assert findings[0].message.startswith(
        "the lists on this page share 100% of their wording with those in docs/en/desk.md:10 "
        "(6 of 6 items word for word)"
    )


KASSA_SV = """\
---
id: {sop_id}
title: Kassan i {butik}
lang: sv
---
# Kassan i {butik}

## Om kassan

1. Kassan öppnar klockan sju och stänger när butiken stänger.
2. Växelkassan innehåller alltid {belopp} kronor i mynt och sedlar.
3. Kortterminalen är kopplad till {bank} och skriver ut ett kvitto per köp.
4. Kassarapporten skickas till ekonomiavdelningen varje måndag.
"""


def test_numbered_lists_of_facts_are_not_procedures(project):
    # Without a procedure section, a numbered list counts only when most of its items
    # are instructions: these two are descriptions of two shops' tills.
    project.write(
        "docs/sv/kassa-kista.md",
        KASSA_SV.format(sop_id="SV-401", butik="Kista", belopp="2 000", bank="Handelsbanken"),
    )
    project.write(
        "docs/sv/kassa-solna.md",
        KASSA_SV.format(sop_id="SV-402", butik="Solna", belopp="3 000", bank="Swedbank"),
    )
    assert _where(_check(project.root).findings, "procedure-diverges") == []


STENGING_NB = """\
---
id: {sop_id}
title: Stenging av utleiekontoret
lang: nb
---
# Stenging av utleiekontoret

## Fremgangsmåte

1. Tell kontantene i kassen og skriv beløpet inn i dagsrapporten før du låser skuffen.
2. Kontroller at alle nøkler som er levert inn i dag henger på riktig plass i nøkkelskapet.
3. Sjekk at bilene som kom tilbake i ettermiddag står på de oppmerkede plassene ute.
4. Skriv ned skader som kundene har meldt fra om, med registreringsnummer og klokkeslett.
5. Send dagsrapporten på e-post til kontorlederen og legg en utskrift i den grå permen.
6. Slå av kortterminalen, skriveren og alle skjermene ved skranken før du går ut.
7. Lås nøkkelskapet og legg nøkkelen til skapet i safen sammen med kontantene fra kassen.
8. Kontroller at bakdøren til verkstedet er låst og at lyset i garasjen er slått av.
9. Sett på alarmen ved hovedinngangen og vent til lampen lyser grønt før du går ut.
10. Lås hovedinngangen og prøv håndtaket en gang til for å være sikker på at døren er låst.
11. Ring vaktselskapet hvis alarmen ikke slår seg på, og vent ved kontoret til de kommer.
12. Trekk for gardinene i vinduene mot gaten slik at ingen kan se inn i kontoret om natten.
13. Tøm søppelbøttene ved skranken og sett sekkene i containeren ved porten til verkstedet.
14. Lukk og lås porten til parkeringsplassen og heng skiltet om nattlevering på porten.
15. Legg nøklene til bilene som skal hentes tidlig i morgen i den merkede nattboksen.
16. Kontroller at nattboksen er låst og at lappen med telefonnummeret henger ved siden av.
17. Gå en runde rundt bygningen og se etter åpne vinduer, lys som står på og ulåste dører.
18. Skriv i vaktboken at kontoret er stengt, hvem som stengte og når du gikk{slutt}.
"""


def test_almost_identical_procedures_are_never_called_100_percent(project):
    # One word added to the last of eighteen steps: over 99.5% alike, which rounds to 100,
    # but a writer reads "100%" as "identical". Rounded down, with 17 of 18 steps the same.
    project.write("docs/nb/stenging-bergen.md", STENGING_NB.format(sop_id="NB-501", slutt=""))
    project.write("docs/nb/stenging-tromso.md", STENGING_NB.format(sop_id="NB-502", slutt=" hjem"))
    findings = [f for f in _check(project.root).findings if f.name == "procedure-diverges"]
    assert [(f.path, f.line) for f in findings] == [
        ("docs/nb/stenging-bergen.md", 8),
        ("docs/nb/stenging-tromso.md", 8),
    ]
    assert "shares 99% of its wording" in findings[0].message
    assert "(17 of 18 steps word for word)" in findings[0].message
    assert [r.message for r in findings[0].related] == ["a procedure 99% alike"]


KAUNTAR_TE = """\
---
id: {sop_id}
title: {nagaram} విమానాశ్రయ కౌంటర్
lang: te
---
# {nagaram} విమానాశ్రయ కౌంటర్

## పని వేళలు

- కౌంటర్ ఉదయం ఆరు గంటల నుండి చివరి విమానం వచ్చే వరకు తెరిచి ఉంటుంది.
- ఉదయం విమానాల కోసం కార్లు పార్కింగ్ లో {varusa} వరుసలో ఉంటాయి.
- రాత్రి తాళాల పెట్టె {nagaram} సమాచార కౌంటర్ పక్కన ఉంటుంది.

## సంప్రదింపులు

- డ్యూటీ మేనేజర్ ఎప్పుడైనా కౌంటర్ ఫోన్ లో అందుబాటులో ఉంటారు.
- రాత్రి కనిపించిన నష్టం గురించి మరుసటి రోజు {evariki} తెలియజేయాలి.
- పార్కింగ్ కు షటిల్ బస్సు ప్రతి {nimishalu} నిమిషాలకు {dvaram} వ ద్వారం నుండి బయలుదేరుతుంది.
"""


def test_telugu_pages_without_a_procedure_sharing_boilerplate_are_not_named(project):
    project.write(
        "docs/te/kauntar-hyderabad.md",
        KAUNTAR_TE.format(
            sop_id="TE-601",
            nagaram="హైదరాబాద్",
            varusa="సి",
            evariki="ప్రాంతీయ కార్యాలయానికి",
            nimishalu="పది",
            dvaram="నాలుగు",
        ),
    )
    project.write(
        "docs/te/kauntar-vijayawada.md",
        KAUNTAR_TE.format(
            sop_id="TE-602",
            nagaram="విజయవాడ",
            varusa="ఎఫ్",
            evariki="బ్రాంచ్ మేనేజర్ కు",
            nimishalu="పదిహేను",
            dvaram="పదకొండు",
        ),
    )
    assert _where(_check(project.root).findings, "procedure-diverges") == []


def test_identical_procedures_with_a_repeated_step_count_every_step(project):
    # "Tell kontantene ..." comes twice (at the start and again at the end): two
    # identical procedures are 100% alike and all 18 of 18 steps are the same, not 17.
    repeated = STENGING_NB.replace(
        "18. Skriv i vaktboken at kontoret er stengt, hvem som stengte og når du gikk{slutt}.",
        "18. Tell kontantene i kassen og skriv beløpet inn i dagsrapporten før du låser skuffen.",
    )
    project.write("docs/nb/stenging-bergen.md", repeated.format(sop_id="NB-501"))
    project.write("docs/nb/stenging-tromso.md", repeated.format(sop_id="NB-502"))
    findings = [f for f in _check(project.root).findings if f.name == "procedure-diverges"]
    assert len(findings) == 2
    assert "shares 100% of its wording" in findings[0].message
    assert "(18 of 18 steps word for word)" in findings[0].message
