"""The parser: front matter, the heading tree, prose blocks and exact source positions.

Only what a reader reads as prose becomes sentences and words; code, URLs, HTML, Jinja2
statements, tables, attribute lists and snippet lines never do.
"""

from __future__ import annotations

import pytest
from conftest import sop, words_of

from sop_lint import parse_document
from sop_lint.model import BlockKind


def word_positions(doc):
    """(word, line, column) of every prose word, in document order."""
    out = []
    for sentence in doc.sentences():
        for i, word in enumerate(sentence.words):
            span = sentence.word_span(i)
            out.append((word.text, span.line, span.column))
    return out


def position_of(doc, text: str) -> tuple[int, int]:
    for word, line, column in word_positions(doc):
        if word == text:
            return line, column
    raise AssertionError(f"{text!r} is not a prose word")


# -- front matter --------------------------------------------------------------------------


RETURNS_SV = sop(
    """
    ---
    id: CS-001-sv
    title: Hantera en retur
    lang: sv
    ---
    # Hantera en retur

    Ta emot varan. Kontrollera
    kvittot noga.
    """
)


def test_front_matter_sets_title_language_and_the_line_of_each_key():
    doc = parse_document(RETURNS_SV, "docs/sv/retur.md")

    assert doc.metadata == {"id": "CS-001-sv", "title": "Hantera en retur", "lang": "sv"}
    assert doc.metadata_lines == {"id": 2, "title": 3, "lang": 4}
    assert doc.language_code == "sv"
    assert doc.language.name == "Swedish"
    assert doc.body_start_line == 6
    assert doc.title == "Hantera en retur"
    assert doc.problems == []


def test_front_matter_lang_wins_over_the_default_language():
    doc = parse_document(RETURNS_SV, "retur.md", default_language="en")
    assert doc.language_code == "sv"


def test_lang_alias_no_is_read_as_norwegian_bokmal():
    doc = parse_document("---\nlang: no\n---\nRing kunden.\n", "retur.md")
    assert doc.language_code == "nb"


def test_positions_after_front_matter_are_lines_of_the_file():
    doc = parse_document(RETURNS_SV, "retur.md")
    # "Ta emot varan." starts line 8; "kvittot" is the first word of line 9.
    assert position_of(doc, "Ta") == (8, 1)
    assert position_of(doc, "Kontrollera") == (8, 16)
    assert position_of(doc, "kvittot") == (9, 1)
    assert position_of(doc, "noga") == (9, 9)


def test_unclosed_front_matter_is_reported_on_line_1():
    doc = parse_document("---\ntitle: Bärgning\nlang: sv\n\n# Bärgning\n", "b.md")
    [problem] = doc.problems
    assert problem.code == "invalid-front-matter"
    assert (problem.line, problem.column) == (1, 1)
    assert "never closed" in problem.message


def test_invalid_yaml_points_at_the_line_that_opened_the_broken_list():
    text = sop(
        """
        ---
        title: Tow truck dispatch
        owner: [dispatch, support
        lang: en
        ---
        # Tow truck dispatch
        """
    )
    [problem] = parse_document(text, "tow.md").problems
    # The "[" that is never closed is on line 3, column 8.
    assert (problem.line, problem.column) == (3, 8)
    assert problem.message.startswith("front matter is not valid YAML")


def test_unquoted_colon_in_a_value_is_reported_at_its_line_and_column():
    text = "---\nid: CS-004\ntitle: Towing: after hours\n---\n# Towing\n"
    [problem] = parse_document(text, "tow.md").problems
    assert (problem.line, problem.column) == (3, 14)
    assert "mapping values are not allowed" in problem.message


def test_front_matter_that_is_a_list_is_reported_on_line_2():
    [problem] = parse_document("---\n- returns\n- refunds\n---\nText.\n", "r.md").problems
    assert problem.line == 2
    assert "'key: value' lines, not a list" in problem.message


def test_lang_that_is_not_a_string_is_reported_at_the_lang_line():
    doc = parse_document("---\ntitle: Returns\nlang: 5\n---\nText.\n", "r.md", "sv")
    [problem] = doc.problems
    assert problem.line == 3
    assert "'lang' must be a language code" in problem.message
    assert doc.language_code == "sv"  # falls back to the default language


def test_yaml_aliases_are_refused():
    text = "---\ntitle: Returns\nowners: &o [ops]\nreviewers: *o\n---\nText.\n"
    doc = parse_document(text, "r.md")
    [problem] = doc.problems
    assert "aliases (*name) are not allowed" in problem.message
    assert problem.line == 4
    assert doc.metadata == {}


def test_a_byte_order_mark_does_not_move_positions():
    doc = parse_document("\ufeff# Returns\n\nCheck the receipt.\n", "r.md")
    assert position_of(doc, "Check") == (3, 1)
    assert doc.sections[0].title == "Returns"


# -- blocks, steps and the heading tree ----------------------------------------------------


RETURNS_EN = sop(
    """
    # Handling a product return

    ## Before you start

    Check that the item was bought in
    one of our shops.

    ## Steps

    1. Greet the customer.
    2. Ask for the receipt.

       Keep the receipt in the tray until the refund is done.

       - Scan the barcode.
    3. Give the money back.

    ### If there is no receipt

    Call the manager.
    """
)


def test_headings_form_a_tree_of_sections_with_lines_and_titles():
    doc = parse_document(RETURNS_EN, "return.md")
    outline = [(s.level, s.title, s.line, s.column, s.parent.title) for s in doc.sections]
    assert outline == [
        (1, "Handling a product return", 1, 3, ""),
        (2, "Before you start", 3, 4, "Handling a product return"),
        (2, "Steps", 8, 4, "Handling a product return"),
        (3, "If there is no receipt", 18, 5, "Steps"),
    ]
    before, steps, no_receipt = doc.sections[1:]
    assert before.end_line == 7  # the line before "## Steps"
    assert [c.title for c in steps.children] == ["If there is no receipt"]
    assert no_receipt.end_line == doc.line_count


def test_first_paragraph_of_a_list_item_is_a_step_later_ones_are_step_details():
    doc = parse_document(RETURNS_EN, "return.md")
    kinds = [(b.kind, b.text) for b in doc.blocks if b.kind is not BlockKind.HEADING]
    assert kinds == [
        (BlockKind.PARAGRAPH, "Check that the item was bought in\none of our shops."),
        (BlockKind.STEP, "Greet the customer."),
        (BlockKind.STEP, "Ask for the receipt."),
        (BlockKind.STEP_DETAIL, "Keep the receipt in the tray until the refund is done."),
        (BlockKind.STEP, "Scan the barcode."),
        (BlockKind.STEP, "Give the money back."),
        (BlockKind.PARAGRAPH, "Call the manager."),
    ]


def test_lists_record_order_depth_items_and_position():
    doc = parse_document(RETURNS_EN, "return.md")
    procedure, nested = doc.lists
    assert (procedure.ordered, procedure.depth, procedure.line, procedure.column) == (
        True,
        0,
        10,
        1,
    )
    assert len(procedure.items) == 3
    assert [(i.line, i.column) for i in procedure.items] == [(10, 1), (11, 1), (16, 1)]
    assert (nested.ordered, nested.depth, nested.line, nested.column) == (False, 1, 15, 4)
    step_two = procedure.items[1]
    assert [b.kind for b in step_two.blocks] == [BlockKind.STEP, BlockKind.STEP_DETAIL]


def test_step_words_are_positioned_after_the_list_marker():
    doc = parse_document(RETURNS_EN, "return.md")
    assert position_of(doc, "Greet") == (10, 4)
    assert position_of(doc, "Keep") == (13, 4)
    assert position_of(doc, "Scan") == (15, 6)


def test_sentence_spanning_two_lines_maps_each_word_to_its_own_line():
    doc = parse_document(RETURNS_EN, "return.md")
    [sentence] = doc.sections[1].blocks[1].sentences
    assert sentence.text == "Check that the item was bought in\none of our shops."
    assert len(sentence.words) == 11
    span = sentence.span
    assert (span.line, span.column, span.end_line, span.end_column) == (5, 1, 6, 18)
    assert position_of(doc, "in") == (5, 32)
    assert position_of(doc, "one") == (6, 1)
    assert position_of(doc, "shops") == (6, 12)


def test_second_sentence_on_a_line_starts_at_its_own_column():
    doc = parse_document("Ta emot varan. Be om kvittot.\n", "r.md", "sv")
    first, second = doc.blocks[0].sentences
    assert (first.span.column, first.span.end_column) == (1, 15)
    assert (second.span.line, second.span.column, second.span.end_column) == (1, 16, 30)


def test_heading_attribute_list_is_not_part_of_the_title():
    doc = parse_document("## Refunds { #refunds }\n\nGive the money back.\n", "r.md")
    assert doc.sections[0].title == "Refunds"
    assert [w.text for w in doc.sections[0].heading.sentences[0].words] == ["Refunds"]


def test_title_falls_back_to_the_first_level_1_heading_then_the_file_name():
    assert parse_document("# Tow truck dispatch\n", "docs/tow.md").title == "Tow truck dispatch"
    assert parse_document("Call the driver.\n", "docs/tow.md").title == "tow.md"


# -- what is not prose ---------------------------------------------------------------------


NOT_PROSE = {
    "fenced code": "Run the report.\n\n```\nzebra --refund 42\n```\n",
    "tilde fence": "Run the report.\n\n~~~text\nZebra crossing ahead.\n~~~\n",
    "indented code": "Run the report.\n\n    Zebra crossing ahead.\n",
    "inline code": "Run the report `zebra --refund 42` today.\n",
    "double-backtick code": "Run the report ``zebra `x` refund`` today.\n",
    "bare URL": "Run the report https://intranet.example.com/zebra/refunds today.\n",
    "www URL": "Run the report www.zebra.example.com today.\n",
    "autolink": "Run the report <https://zebra.example.com/refunds> today.\n",
    "link target": "Run the [report](https://example.com/zebra.html 'Zebra') today.\n",
    "reference link": "Run the [report][zebra] today.\n\n[zebra]: https://example.com/\n",
    "image": "Run the report ![zebra crossing](img/zebra.png) today.\n",
    "email address": "Run the report and mail it to zebra.team@example.com today.\n",
    "HTML comment": "Run the report <!-- zebra: ask Kari --> today.\n",
    "HTML comment block": "<!-- Zebra crossing: editors only. -->\n\nRun the report today.\n",
    "raw HTML block": '<div class="zebra">\nZebra crossing ahead.\n</div>\n\nRun the report.\n',
    "inline HTML tag": 'Run the <span class="zebra">report</span> today.\n',
    "Jinja statement": "{% if branch.zebra %}\nRun the report today.\n{% endif %}\n",
    "Jinja comment": "Run the report {# zebra crossing #} today.\n",
    "table cells": "Run the report.\n\n| Zebra | Crossing |\n| --- | --- |\n| zebra | ahead |\n",
    "attribute list": "Run the report today.\n{: .zebra #crossing }\n",
    "snippet line": 'Run the report.\n\n--8<-- "snippets/zebra.md"\n',
    "snippet block": "Run the report.\n\n--8<--\nsnippets/zebra.md\nzebra-footer.md\n--8<--\n",
    "front matter": "---\ntitle: Zebra crossing\n---\nRun the report.\n",
    "admonition title": '!!! note "Zebra crossing"\n    Run the report.\n',
    "footnote marker": "Run the report[^zebra] today.\n\n[^zebra]: Run it.\n",
}


@pytest.mark.parametrize("construct", NOT_PROSE)
def test_non_prose_is_never_analysed_as_words(construct):
    text = NOT_PROSE[construct]
    words = [w.lower() for w in words_of(text)]
    assert not [w for w in words if "zebra" in w], words
    assert words[:3] == ["run", "the", "report"]


def test_link_text_and_emphasised_words_stay_prose():
    text = (
        "Read **the** [returns policy](https://example.com/returns) _before_ ~~now~~ you start.\n"
    )
    assert words_of(text) == ["Read", "the", "returns", "policy", "before", "now", "you", "start"]


def test_inline_code_keeps_the_positions_of_the_words_after_it():
    doc = parse_document("Type `refund --all` in the till.\n", "r.md")
    assert word_positions(doc) == [("Type", 1, 1), ("in", 1, 21), ("the", 1, 24), ("till", 1, 28)]


def test_jinja_placeholder_is_one_word_marked_as_a_placeholder():
    doc = parse_document("Call {{ branch.phone }} for the tow truck.\n", "tow.md")
    [sentence] = doc.sentences()
    assert [w.text for w in sentence.words] == [
        "Call",
        "{{ branch.phone }}",
        "for",
        "the",
        "tow",
        "truck",
    ]
    assert [w.placeholder for w in sentence.words] == [False, True, False, False, False, False]
    assert position_of(doc, "{{ branch.phone }}") == (1, 6)
    assert position_of(doc, "for") == (1, 25)


def test_jinja_statement_lines_leave_the_sentence_between_them_in_place():
    text = sop(
        """
        {% if branch.has_tow_truck %}
        Call the driver on {{ branch.tow_phone }}.
        {% endif %}
        """
    )
    doc = parse_document(text, "tow.md")
    [sentence] = doc.sentences()
    assert sentence.text == "Call the driver on {{ branch.tow_phone }}."
    assert (sentence.span.line, sentence.span.column) == (2, 1)


# -- Material for MkDocs syntax --------------------------------------------------------------


def test_admonition_body_is_prose_at_its_indented_position():
    text = sop(
        """
        # Tow truck dispatch

        !!! warning "Safety first"
            Never ask the customer to stand on the road.
        """
    )
    doc = parse_document(text, "tow.md")
    [block] = [b for b in doc.blocks if b.kind is not BlockKind.HEADING]
    assert block.kind is BlockKind.PARAGRAPH
    assert block.text == "Never ask the customer to stand on the road."
    assert position_of(doc, "Never") == (4, 5)
    assert "Safety" not in words_of(text)


def test_content_tab_body_is_prose_and_its_label_is_not():
    text = sop(
        """
        # Svara i gratisnumret

        === "Telefon"

            Svara inom tre signaler.

        === "Chatt"

            Svara inom en minut.
        """
    )
    doc = parse_document(text, "gratis.md", "sv")
    assert [b.text for b in doc.blocks[1:]] == ["Svara inom tre signaler.", "Svara inom en minut."]
    assert position_of(doc, "tre") == (5, 16)
    assert position_of(doc, "minut") == (9, 19)
    assert "Telefon" not in words_of(text, "sv")


def test_steps_inside_an_admonition_are_still_steps():
    text = '!!! tip "Kort versjon"\n    1. Ring sjefen.\n    2. Skriv saksnummeret.\n'
    doc = parse_document(text, "r.md", "nb")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (BlockKind.STEP, "Ring sjefen."),
        (BlockKind.STEP, "Skriv saksnummeret."),
    ]
    assert position_of(doc, "Ring") == (2, 8)


# -- line endings ----------------------------------------------------------------------------


def test_crlf_file_gives_the_same_positions_as_lf():
    lf = parse_document(RETURNS_SV + "\n1. Ring chefen.\n", "r.md")
    crlf = parse_document((RETURNS_SV + "\n1. Ring chefen.\n").replace("\n", "\r\n"), "r.md")
    assert word_positions(crlf) == word_positions(lf)
    assert [(s.span, s.text) for s in crlf.sentences()] == [
        (s.span, s.text) for s in lf.sentences()
    ]
    assert crlf.metadata == lf.metadata
    assert crlf.line_text(8) == "Ta emot varan. Kontrollera"


# -- Telugu ----------------------------------------------------------------------------------


def test_telugu_paragraph_words_and_columns_are_counted_in_code_points():
    text = "# క్షమాపణ\n\nకస్టమర్‌కు క్షమాపణ చెప్పండి. రసీదు అడగండి.\n"
    doc = parse_document(text, "te.md", "te")
    first, second = doc.blocks[1].sentences
    assert [w.text for w in first.words] == ["కస్టమర్‌కు", "క్షమాపణ", "చెప్పండి"]
    # "కస్టమర్‌కు" is 10 code points (ZWNJ included), so "క్షమాపణ" starts at column 12.
    word = first.word_span(1)
    assert (word.line, word.column, word.end_column) == (3, 12, 19)
    assert (second.span.line, second.span.column) == (3, 30)
    assert doc.sections[0].title == "క్షమాపణ"
