"""The template rules (T001-T013) on SOPs in English, Swedish, Norwegian and Telugu.

Each flawed fixture in tests/fixtures/template/<lang>/ states, below, every template
finding it must produce: the rule fires on those lines and on no other.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, sop

from sop_lint.config import Config, parse_config
from sop_lint.engine import check_paths, check_text
from sop_lint.model import Severity
from sop_lint.rules import all_rules

TODAY = datetime.date(2026, 6, 1)
TEMPLATE_FIXTURES = FIXTURES / "template"

# Per fixture: (text that is on the line, rule). "nth" picks a later line with that text.
EXPECTED: dict[str, list[tuple[str, str] | tuple[str, str, int]]] = {
    "en/structure.md": [
        ("review_due: 2026-04-14", "T008"),
        ("[[Add one sentence", "T005"),
        ("## Scope", "T002"),
        ("## Stock levels", "T004"),
        ("- Open the stock list", "T012"),
        ("## Deviations and escalation", "T001"),  # Records goes after it
        ("## Deviations and escalation", "T003"),
        ("| 1.2 | 2025-04-01", "T013"),
    ],
    "en/document-control.md": [
        ("id: ST 011", "T007"),
        ("version: 2.10", "T007"),
        ("status: live", "T007"),
        ("approved_by: store manager", "T011"),
        ("effective_date: 2026-05-10", "T010"),
        ("review_due: 2026-06-20", "T006"),  # applies_to goes after it
        ("review_due: 2026-06-20", "T009"),
    ],
    "sv/structure.md": [
        ("review_due: 2026-04-14", "T008"),
        ("## Purpose", "T001"),
        ("## Definitioner", "T003"),
        ("TBD: vem gör det", "T005"),
        ("## Utförande", "T012"),
        ("## Utförande", "T002", 2),
        ("## Referencer", "T004"),
        ("| 1.2 | 2025-04-01", "T013"),
    ],
    "sv/document-control.md": [
        ("id: ST-011-sv", "T006"),  # title goes after it
        ("owner: kundtjanst@example.se", "T007"),
        ("approved_by: Kundtjänstchef", "T011"),
        ("effective_date: 2025-06-15", "T010"),
        ("review_interval: 1 year", "T009"),
        ("applies_to: [stockholm-city", "T007"),
        ("translation_of: ST-011", "T006"),  # source_version goes after it
    ],
    "nb/structure.md": [
        ("review_due: 2026-04-14", "T008"),
        ("### Omfang", "T001"),
        ("[[Skriv hvem", "T005"),
        ("- Åpne lagerlisten", "T012"),
        ("## Helgerutiner", "T004"),
        ("## Avvik og eskalering", "T002"),
        ("## Revisjonshistorikk", "T013"),
        ("## Vedlegg", "T003"),
    ],
    "nb/document-control.md": [
        ('version: "1,2"', "T007"),
        ("status: Godkjent", "T006"),  # owner goes after it
        ("status: Godkjent", "T007"),
        ("approved_by: Driftssjef", "T011"),
        ("effective_date: 1. mars 2026", "T007"),
        ("review_due: 2026-06-06", "T009"),
        ("review_due: 2026-06-06", "T010"),
    ],
    "te/structure.md": [
        ("review_due: 2026-04-14", "T008"),
        ("## Scope", "T001"),
        ("## నిర్వచనాలు", "T003"),
        ("[[వారాంతంలో", "T005"),
        ("- `POS` లో స్టాక్", "T012"),
        ("## విచలనాలు మరియు ఎస్కలేషన్", "T002"),
        ("## స్టాక్ స్థాయిలు", "T004"),
        ("| 1.2 | 2025-04-01", "T013"),
    ],
    "te/document-control.md": [
        ("title: క్యాష్ కౌంటర్", "T006"),  # version goes after it
        ("status: ఆమోదించబడింది", "T007"),
        ("approved_by: స్టోర్ మేనేజర్", "T011"),
        ("effective_date: 2026/06/25", "T007"),
        ("review_due: 2026-06-20", "T009"),
        ("review_due: 2026-06-20", "T010"),
    ],
}


def line_of(path: Path, text: str, nth: int = 1) -> int:
    """The 1-based number of the ``nth`` line of ``path`` that contains ``text``."""
    found = [i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line]
    assert len(found) >= nth, f"{text!r} is not in {path.name} {nth} time(s)"
    return found[nth - 1]


def template_findings(path: Path):
    """The template findings for a file, as `sop-lint check --select T --today` gives."""
    report = check_paths([path], Config(select=["T"], today=TODAY), jobs=1)
    return report.findings


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_template_rule_fires_where_it_should_and_nowhere_else(name):
    path = TEMPLATE_FIXTURES / name
    expected = sorted((line_of(path, item[0], *item[2:]), item[1]) for item in EXPECTED[name])
    found = sorted((f.line, f.rule) for f in template_findings(path))
    assert found == expected


def test_every_template_rule_fires_in_every_language():
    codes = {r.code for r in all_rules() if r.code.startswith("T")}
    assert len(codes) == 13
    for lang in ("en", "sv", "nb", "te"):
        fired = {
            item[1] for name, items in EXPECTED.items() if name.startswith(lang) for item in items
        }
        assert fired == codes, f"{lang}: {sorted(codes - fired)} never fire"


def test_every_fixture_is_listed():
    assert {
        p.relative_to(TEMPLATE_FIXTURES).as_posix() for p in TEMPLATE_FIXTURES.rglob("*.md")
    } == set(EXPECTED)


def messages(name: str, code: str) -> list[str]:
    return [f.message for f in template_findings(TEMPLATE_FIXTURES / name) if f.rule == code]


# -- messages say what is missing and where it goes, in the SOP's language ------------------


def test_missing_section_names_the_heading_and_where_it_goes():
    assert messages("en/structure.md", "T001") == [
        'Section "Records" is missing; add "## Records" after "## Deviations and escalation".'
    ]


def test_a_heading_in_another_language_is_recognised_and_renamed():
    assert messages("sv/structure.md", "T001") == [
        'Section "Syfte" is missing: "## Purpose" is its English name; rename it "## Syfte" '
        "(this SOP is in Swedish)."
    ]
    assert messages("te/structure.md", "T001") == [
        'Section "పరిధి" is missing: "## Scope" is its English name; rename it "## పరిధి" '
        "(this SOP is in Telugu)."
    ]


def test_a_section_at_the_wrong_heading_level_is_pointed_out():
    assert messages("nb/structure.md", "T001") == [
        'Section "Omfang" is missing: "### Omfang" is a level-3 heading; make it "## Omfang" '
        "(level 2)."
    ]


def test_order_and_duplicates_say_where_the_section_belongs():
    assert messages("en/structure.md", "T002") == [
        'Section "Scope" is out of order; move it after "## 1. Purpose".'
    ]
    assert messages("nb/structure.md", "T002") == [
        'Section "Avvik og eskalering" is out of order; move it after "## Fremgangsmåte".'
    ]
    assert messages("sv/structure.md", "T002") == [
        'Section "Utförande" appears twice (first on line 34); merge the two into one section.'
    ]


def test_unknown_sections_suggest_a_close_template_name():
    assert messages("sv/structure.md", "T004") == [
        'Section "Referencer" is not in the template; did you mean "Referenser"?'
    ]


def test_missing_metadata_says_which_key_and_after_which_line():
    assert messages("en/document-control.md", "T006") == [
        'Front matter has no "applies_to" ("all", or a list of the branches this SOP applies '
        'to); add "applies_to:" after "review_due:".'
    ]
    assert messages("sv/document-control.md", "T006")[1] == (
        'Front matter has "translation_of" but no "source_version" (for a translation, the '
        'version of the SOP it was translated from); add "source_version:" after '
        '"translation_of:".'
    )


def test_invalid_metadata_shows_the_value_and_the_fix():
    assert messages("en/document-control.md", "T007") == [
        'id "ST 011" is not a valid id: use letters, digits and "-" without spaces, e.g. '
        "CS-001 (the template's pattern is ^[A-Za-z0-9][A-Za-z0-9._-]*$).",
        'version 2.10 is read as the number 2.1; quote it: version: "2.10".',
        'status "live" is not one of: draft, review, approved, effective, superseded, withdrawn.',
    ]
    assert messages("te/document-control.md", "T007")[1] == (
        'effective_date "2026/06/25" is not a date; write it as YYYY-MM-DD (2026-06-25?).'
    )


def test_review_messages_count_the_days():
    assert messages("en/structure.md", "T008") == [
        "review_due 2026-04-14 has passed (48 days ago); review the SOP and set a new review_due."
    ]
    assert messages("sv/document-control.md", "T009") == [
        'The review due on 2026-06-15 (effective_date 2025-06-15 + review_interval "1 year") '
        "is in 14 days; plan the review with the owner (kundtjanst@example.se) now."
    ]


def test_a_norwegian_lang_no_is_not_read_as_false():
    doc_findings = template_findings(TEMPLATE_FIXTURES / "nb/document-control.md")
    assert not [f for f in doc_findings if "lang" in f.message]


# -- rule behaviour --------------------------------------------------------------------------

COMPLETE = REPO / "docs" / "en" / "product-return.md"


def with_front_matter(**changes: str) -> str:
    """The bundled English SOP with some front-matter lines replaced."""
    lines = COMPLETE.read_text("utf-8").splitlines()
    for key, value in changes.items():
        found = [i for i, line in enumerate(lines) if line.startswith(f"{key}:")]
        if found:
            lines[found[0]] = f"{key}: {value}"
        else:  # a new key, before the closing "---"
            lines.insert(lines.index("---", 1), f"{key}: {value}")
    return "\n".join(lines) + "\n"


def lint_t(text: str, today: datetime.date = TODAY, config: dict | None = None, lang="en"):
    cfg = parse_config({"select": ["T"], **(config or {})})
    cfg.today = today
    return check_text(text, lang=lang, config=cfg)


def test_the_bundled_sops_meet_the_template():
    config = Config(select=["T"], today=datetime.date(2026, 11, 22))
    report = check_paths([REPO / "docs"], config, jobs=1)
    assert len(report.files) >= 20
    assert report.findings == []


def test_pages_that_are_not_sops_are_left_alone():
    home = "# Nordlys Service SOPs\n\nPick your language below.\n\n## English\n\n- Returns\n"
    guide = "---\ntitle: Configuration\n---\n\n# Configuration\n\nsop-lint reads its settings.\n"
    assert lint_t(home) == []
    assert lint_t(guide) == []


def test_placeholders_are_warnings_in_a_draft_and_errors_once_effective():
    text = with_front_matter(approved_by='"[[Role that approves this SOP]]"')
    (effective,) = lint_t(text)
    assert (effective.rule, effective.severity) == ("T005", Severity.ERROR)
    assert effective.message == (
        'approved_by is still a placeholder ("[[Role that approves this SOP]]"); fill it in.'
    )
    (draft,) = lint_t(text.replace("status: effective", "status: draft"))
    assert (draft.rule, draft.severity) == ("T005", Severity.WARNING)


def test_placeholders_in_code_are_not_placeholders():
    text = COMPLETE.read_text("utf-8").replace(
        "## Records\n",
        "## Records\n\n```text\nTODO list: [[not a placeholder]]\n```\n\n    XXX indented code\n",
    )
    assert lint_t(text) == []


def test_template_guidance_copied_without_brackets_is_still_template_text():
    text = COMPLETE.read_text("utf-8").replace(
        "This SOP explains how to take back a product from a customer.",
        "Write one or two sentences: what this SOP achieves and why it matters.",
    )
    (finding,) = lint_t(text)
    assert finding.rule == "T005"
    assert finding.message.startswith('Template text "Write one or two sentences')


def test_review_due_soon_counts_from_the_given_today_and_its_days_option():
    text = COMPLETE.read_text("utf-8")  # review_due: 2027-03-16
    assert lint_t(text, today=datetime.date(2027, 2, 13)) == []  # 31 days ahead
    (soon,) = lint_t(text, today=datetime.date(2027, 2, 14))
    assert soon.message == (
        "review_due 2027-03-16 is in 30 days; plan the review with the owner (Customer "
        "Service Manager) now."
    )
    (today,) = lint_t(text, today=datetime.date(2027, 3, 16))
    assert "is today" in today.message
    config = {"rules": {"review-due-soon": {"days": 60}}}
    (early,) = lint_t(text, today=datetime.date(2027, 1, 20), config=config)
    assert early.rule == "T009"
    (late,) = lint_t(text, today=datetime.date(2027, 3, 17))
    assert (late.rule, late.message) == (
        "T008",
        "review_due 2027-03-16 has passed (1 day ago); review the SOP and set a new review_due.",
    )


def test_superseded_and_withdrawn_sops_need_no_review():
    for status in ("superseded", "withdrawn"):
        text = with_front_matter(status=status)
        assert lint_t(text, today=datetime.date(2028, 1, 1)) == []


def test_approval_fields_are_required_once_approved_but_not_in_a_draft():
    text = COMPLETE.read_text("utf-8").replace("approved_by: Head of Operations\n", "")
    (finding,) = lint_t(text)
    assert finding.message == (
        'Front matter has no "approved_by" (the role that approved this version (not its '
        'author)), which an SOP with status "effective" needs; add "approved_by:" after '
        '"owner:".'
    )
    assert lint_t(text.replace("status: effective", "status: draft")) == []


def test_a_typo_in_a_key_is_pointed_out():
    text = COMPLETE.read_text("utf-8").replace("review_due:", "reveiw_due:")
    (finding,) = lint_t(text)
    assert finding.rule == "T006"
    assert finding.message.endswith('(line 10 has "reveiw_due": a typo?).')


def test_a_review_interval_replaces_review_due():
    text = COMPLETE.read_text("utf-8").replace(
        "review_due: 2027-03-16", 'review_interval: "2 years"'
    )
    assert lint_t(text) == []
    (overdue,) = lint_t(text, today=datetime.date(2028, 3, 17))
    assert overdue.message.startswith(
        'The review due on 2028-03-16 (effective_date 2026-03-16 + review_interval "2 years") '
        "has passed (1 day ago)"
    )


def test_revision_history_newest_row_is_found_by_date_in_any_order():
    text = COMPLETE.read_text("utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| 1.")]
    reordered = text.replace("\n".join(rows), "\n".join(reversed(rows)))
    assert lint_t(reordered) == []
    (finding,) = lint_t(with_front_matter(version='"1.3"'))
    assert finding.message == (
        'The newest row of "## Revision history" is version 1.2, but the front matter says '
        "version 1.3; add a row for 1.3, or correct the version."
    )


def test_approver_is_compared_with_the_owner_case_insensitively():
    (finding,) = lint_t(with_front_matter(approved_by="customer service manager"))
    assert finding.message == (
        'approved_by "customer service manager" is also the SOP\'s owner; an SOP must be '
        "approved by someone other than its author: name the approving role."
    )
    # The owner may approve a text another role wrote.
    text = with_front_matter(approved_by="Customer Service Manager", author="Sales associate")
    text = text.replace("| Customer Service Manager |", "| Sales associate |")
    assert lint_t(text) == []


def test_date_order_needs_approval_before_effect_before_review():
    (finding,) = lint_t(with_front_matter(effective_date="2026-03-01"))
    assert finding.message == (
        "effective_date 2026-03-01 is before approved_on 2026-03-02; an SOP takes effect on "
        "or after the day it is approved: correct one of the dates."
    )
    assert lint_t(with_front_matter(effective_date="2026-03-02")) == []  # same day is fine


def test_a_procedure_written_as_prose_has_no_numbered_steps():
    text = sop(
        """
        ---
        id: CS-090
        title: Lending an umbrella
        version: "1.0"
        status: draft
        owner: Shift lead
        review_due: 2027-01-01
        applies_to: all
        lang: en
        ---

        # Lending an umbrella

        ## Purpose

        Customers stay dry on the way to their car.

        ## Scope

        All staff at the entrance.

        ## Roles and responsibilities

        The shift lead keeps the umbrella stand full.

        ## Procedure

        Give the customer an umbrella and ask them to bring it back next time.

        ## Deviations and escalation

        If the stand is empty, tell the shift lead.

        ## Records

        None.

        ## Revision history

        | Version | Date | Change | Author (role) |
        |---|---|---|---|
        | 1.0 | 2026-05-01 | First issue. | Shift lead |
        """
    )
    (finding,) = lint_t(text)
    assert (finding.rule, finding.line) == ("T012", 26)
    numbered = text.replace("Give the customer an umbrella", "1. Give the customer an umbrella")
    assert lint_t(numbered) == []
    grouped = text.replace(
        "Give the customer an umbrella and ask them to bring it back next time.",
        "### At the door\n\n1. Give the customer an umbrella.\n2. Ask them to bring it back.",
    )
    assert lint_t(grouped) == []


@pytest.mark.parametrize(
    "heading",
    ["## 3. Procedure", "## PROCEDURE", "## Procedure:", "## 3) Procedure", "## iv. Procedure"],
)
def test_headings_match_without_case_numbering_or_punctuation(heading):
    text = COMPLETE.read_text("utf-8").replace("## Procedure", heading)
    assert lint_t(text) == []
