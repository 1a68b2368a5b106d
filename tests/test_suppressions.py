"""Inline suppression comments: ``<!-- sop-lint-disable ... -->`` and friends."""

from __future__ import annotations

from conftest import lint, sop

from sop_lint import parse_document
from sop_lint.model import Severity

# 41 words: one over the prose limit (B001 warning).
LONG = (
    "When a customer calls the toll-free line about a late tow truck, check the dispatch "
    "log, the driver's position on the map and the traffic on the route and tell them in "
    "plain words when the driver will arrive on site."
)
# 31 words: one over the step limit.
LONG_STEP_NB = (
    "Be kunden om kvitteringen og kortet som ble brukt ved kjøpet, og skriv ordrenummeret "
    "på returlappen før du tar imot varen og legger den i en pose på returhyllen bak kassen."
)


def lines_of(findings, code: str = "B001") -> list[int]:
    return [f.line for f in findings if f.rule == code]


def test_disable_next_line_by_name_silences_only_the_next_line():
    text = sop(
        f"""
        # Toll-free line

        <!-- sop-lint-disable-next-line sentence-too-long -->
        {LONG}

        {LONG}
        """
    )
    assert lines_of(lint(text)) == [6]


def test_disable_next_line_by_code_in_a_step():
    text = f"<!-- sop-lint-disable-next-line B001 -->\n1. {LONG_STEP_NB}\n2. {LONG_STEP_NB}\n"
    assert lines_of(lint(text, "nb")) == [3]


def test_disable_next_line_only_silences_the_rules_it_names():
    text = f"<!-- sop-lint-disable-next-line B002 -->\n{LONG}\n"
    assert lines_of(lint(text)) == [2]


def test_disable_and_enable_silence_the_lines_between_them():
    text = sop(
        f"""
        {LONG}

        <!-- sop-lint-disable B001 -->
        {LONG}

        {LONG}
        <!-- sop-lint-enable B001 -->

        {LONG}
        """
    )
    assert lines_of(lint(text)) == [1, 9]


def test_disable_by_name_and_enable_by_code_are_the_same_rule():
    text = (
        "<!-- sop-lint-disable sentence-too-long -->\n"
        f"{LONG}\n\n"
        "<!-- sop-lint-enable B001 -->\n"
        f"{LONG}\n"
    )
    assert lines_of(lint(text)) == [5]


def test_disable_without_enable_lasts_to_the_end_of_the_file():
    text = f"{LONG}\n\n<!-- sop-lint-disable B001 -->\n{LONG}\n\n{LONG}\n"
    assert lines_of(lint(text)) == [1]


def test_disable_without_rules_silences_every_rule_until_enable():
    steps = "".join(f"{n}. Ring sjefen.\n" for n in range(1, 17))
    text = (
        f"<!-- sop-lint-disable -->\n## Bergingsbil\n\n{steps}\n"
        "<!-- sop-lint-enable -->\n\n#### Slutt\n"
    )
    findings = lint(text, "nb")
    assert [(f.rule, f.line) for f in findings] == [("B004", 23)]


def test_several_rules_in_one_comment_separated_by_commas_or_spaces():
    steps = "".join(f"{n}. Ring sjefen.\n" for n in range(1, 17))
    text = f"<!-- sop-lint-disable heading-too-deep, B003 -->\n#### Bergingsbil\n\n{steps}"
    assert lint(text, "nb") == []
    text = f"<!-- sop-lint-disable B004 procedure-too-long -->\n#### Bergingsbil\n\n{steps}"
    assert lint(text, "nb") == []


def test_disable_file_anywhere_silences_the_rule_in_the_whole_file():
    text = f"{LONG}\n\n{LONG}\n\n<!-- sop-lint-disable-file sentence-too-long -->\n"
    assert lint(text) == []


def test_disable_file_without_rules_silences_everything():
    text = f"<!-- sop-lint-disable-file -->\n#### Deep\n\n{LONG}\n"
    assert lint(text) == []


def test_disable_file_for_one_rule_leaves_the_others():
    text = f"<!-- sop-lint-disable-file B001 -->\n#### Deep\n\n{LONG}\n\n## Contacts\n"
    assert [(f.rule, f.line) for f in lint(text)] == [("B004", 2)]


def test_unknown_rule_in_a_suppression_is_reported_at_the_comment():
    text = sop(
        f"""
        # Toll-free line

        Answer within three rings.
          <!-- sop-lint-disable-next-line sentence-to-long -->
        {LONG}
        """
    )
    findings = lint(text)
    assert [(f.rule, f.line, f.column) for f in findings] == [("S003", 4, 3), ("B001", 5, 1)]
    unknown = findings[0]
    assert (unknown.name, unknown.severity) == ("unknown-rule-in-suppression", Severity.WARNING)
    assert unknown.message == (
        "Suppression names 'sentence-to-long', which is not a sop-lint rule; use a code or "
        "name from 'sop-lint rules', or remove it."
    )
    assert unknown.source_line == "  <!-- sop-lint-disable-next-line sentence-to-long -->"


def test_known_rules_in_the_same_comment_still_work_next_to_an_unknown_one():
    text = f"<!-- sop-lint-disable-next-line B001 X123 -->\n{LONG}\n"
    assert [(f.rule, f.line) for f in lint(text)] == [("S003", 1)]


def test_s003_can_be_ignored_like_any_rule():
    text = f"<!-- sop-lint-disable-next-line sentence-to-long -->\n{LONG}\n"
    assert [f.rule for f in lint(text, config={"ignore": ["S003"]})] == ["B001"]


def test_suppression_comments_inside_code_blocks_are_ignored():
    text = sop(
        f"""
        # Writing SOPs

        To silence a rule, write:

        ```markdown
        <!-- sop-lint-disable-file -->
        <!-- sop-lint-disable-next-line sentence-to-long -->
        ```

            <!-- sop-lint-disable B001 -->

        {LONG}
        """
    )
    doc = parse_document(text, "guide.md")
    assert doc.suppressions == []
    assert [(f.rule, f.line) for f in lint(text)] == [("B001", 12)]


def test_suppressions_record_action_rules_and_position():
    text = "Ring sjefen.\n<!-- sop-lint-disable B001, heading-too-deep -->\n"
    [suppression] = parse_document(text, "r.md", "nb").suppressions
    assert (suppression.action, suppression.rules, suppression.line, suppression.column) == (
        "disable",
        ["B001", "heading-too-deep"],
        2,
        1,
    )


def test_suppression_comment_in_a_swedish_paragraph_is_not_prose():
    text = "Ring chefen. <!-- sop-lint-disable-next-line B001 -->\nSkriv under.\n"
    doc = parse_document(text, "r.md", "sv")
    assert [w.text for s in doc.sentences() for w in s.words] == [
        "Ring",
        "chefen",
        "Skriv",
        "under",
    ]
    assert doc.suppressions[0].column == 14
