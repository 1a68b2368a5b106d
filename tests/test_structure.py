"""Document structure: furniture is not prose, converted bullets are items, procedures are
found item by item, and the brevity rules count the right units.

Every text here is written for these tests: a care routine converted from PDF with its
letterhead and page numbers, an IT procedure split by a code block, a store's returns
routine with a table of contents.
"""

from __future__ import annotations

import pytest
from conftest import lint, only, sop

from sop_lint import check_text, parse_document
from sop_lint.config import parse_config
from sop_lint.model import BlockKind
from sop_lint.rules.base import RunContext
from sop_lint.rules.steps import procedure_items, procedure_steps


def sentences(doc) -> list[str]:
    return [" ".join(s.word_texts()) for s in doc.sentences()]


def step_texts(doc) -> list[str]:
    return [" ".join(b.sentences[0].word_texts()) for b in procedure_steps(doc, True, None)]


def verb_findings(text: str, lang: str = "en") -> list:
    rules = ["step-not-imperative", "passive-voice", "modal-instead-of-imperative"]
    return check_text(text, lang=lang, config=parse_config({"select": rules}))


# -- furniture in a converted routine -----------------------------------------------------

CONVERTED_SV = sop(
    """
    ---
    lang: sv
    ---
    ## BOTKYRKA KOMMUN
    Dokumentansvarig är: Enhetschef hemtjänst
    Dokumentet beslutades den: 2025-01-15

    Innehåll
    Inledning ........................ 1
    Ansvar ........................... 2

    ## Inledning
    Rutinen beskriver hur personalen tar emot en ny brukare. Kontaktpersonen
    1/3
    ## BOTKYRKA KOMMUN
    ringer brukaren inom två dagar.

    Ansvarig:

    3.2 Ansvar
    Enhetschefen ansvarar för att rutinen är känd.
    2/3
    ## BOTKYRKA KOMMUN
    Sida 3 av 3
    """
)


def test_letterhead_heading_repeated_on_every_page_does_not_start_a_section():
    doc = parse_document(CONVERTED_SV, "rutin.md", "sv")

    assert [s.title for s in doc.sections] == ["Inledning"]
    assert [doc.furniture.get(n) for n in (4, 15, 23)] == ["letterhead"] * 3


def test_page_numbers_labels_toc_lines_and_numbered_headings_are_not_sentences():
    doc = parse_document(CONVERTED_SV, "rutin.md", "sv")

    assert sentences(doc) == [
        "Inledning",
        "Rutinen beskriver hur personalen tar emot en ny brukare",
        "Kontaktpersonen ringer brukaren inom två dagar",
        "Enhetschefen ansvarar för att rutinen är känd",
    ]
    assert doc.furniture[5] == doc.furniture[6] == doc.furniture[18] == "label"
    assert doc.furniture[8] == "text-heading"  # "Innehåll": a heading inside a paragraph
    assert doc.furniture[9] == doc.furniture[10] == "toc-entry"
    assert doc.furniture[14] == doc.furniture[22] == doc.furniture[24] == "page-number"
    assert doc.furniture[20] == "numbered-heading"


def test_a_sentence_broken_by_a_page_footer_keeps_exact_positions():
    doc = parse_document(CONVERTED_SV, "rutin.md", "sv")
    broken = next(s for s in doc.sentences() if s.word_texts()[0] == "Kontaktpersonen")

    assert (broken.span.line, broken.span.column) == (13, 58)
    assert (broken.span.end_line, broken.span.end_column) == (16, 32)
    last = broken.word_span(len(broken.word_spans) - 1)
    assert (last.line, last.column) == (16, 26)


def test_lines_repeated_on_every_page_are_not_prose_but_repeated_sentences_are():
    page = "Vård- och omsorgsförvaltningen\nTvätta händerna före varje besök.\n\n"
    doc = parse_document(page * 3, "rutin.md", "sv")

    assert sentences(doc) == ["Tvätta händerna före varje besök"] * 3
    assert set(doc.furniture.values()) == {"repeated-line"}


# -- converted bullets --------------------------------------------------------------------

BULLETS_SV = sop(
    """
    Personalen gör så här vid ett nytt uppdrag:
    •
    Läs genomförandeplanen. Kontrollera nyckelkvittensen.
    • Presentera dig för brukaren. Fråga hur brukaren vill ha hjälpen.
    • Dokumentera besöket. Meddela samordnaren om något avviker.
    ▪ Lämna tillbaka nyckeln. Signera listan.
    """
)


def test_lines_that_start_with_bullet_glyphs_are_list_items_not_one_paragraph():
    doc = parse_document(BULLETS_SV, "rutin.md", "sv")
    [converted] = doc.lists

    assert converted.converted and not converted.ordered
    assert [item.line for item in converted.items] == [2, 4, 5, 6]
    assert [b.kind for b in doc.blocks] == [BlockKind.PARAGRAPH] + [BlockKind.STEP] * 4
    assert sentences(doc)[1] == "Läs genomförandeplanen"
    assert only(lint(BULLETS_SV, "sv"), "B002") == []


def test_an_ordinary_wrapped_paragraph_with_one_dash_is_one_paragraph():
    text = sop(
        """
        Kunden får tillbaka pengarna inom fem dagar. Det gäller alla betalsätt
        – även presentkort. Kvittot sparas i pärmen. Kassören stämmer av kassan.
        Skiftledaren kontrollerar avstämningen. Avvikelser rapporteras. Pärmen
        arkiveras varje månad.
        """
    )
    doc = parse_document(text, "retur.md", "sv")

    assert [b.kind for b in doc.blocks] == [BlockKind.PARAGRAPH]
    [finding] = only(lint(text, "sv"), "B002")
    assert finding.message.startswith("Paragraph has 7 sentences")


# -- tables of contents -------------------------------------------------------------------

TOC_EN = sop(
    """
    # Returns at the store counter

    1. [Scope](#scope)
    2. [Receiving the item](#receiving-the-item)
    3. [Refunds](#refunds)

    ## Scope

    This SOP covers returns with a receipt.

    ## Receiving the item

    ## Refunds
    """
)


def test_a_list_of_links_to_the_documents_own_headings_is_a_table_of_contents():
    doc = parse_document(TOC_EN, "returns.md")

    assert doc.lists[0].table_of_contents
    assert sentences(doc) == [
        "Returns at the store counter",
        "Scope",
        "This SOP covers returns with a receipt",
        "Receiving the item",
        "Refunds",
    ]
    assert procedure_items(doc) == []
    assert verb_findings(TOC_EN) == []


# -- procedures found item by item --------------------------------------------------------

CODE_SPLIT_EN = sop(
    """
    # Rotate the backup disk

    1. Log in to the backup server as the operator.
    2. Stop the backup service:

    ```
    systemctl stop backup
    ```

    3. The old disk is removed from the bay.
    4. Insert the new disk and start the service.
    <!-- the label printer is in room 2 -->
    5. Label the old disk with today's date.
    """
)


def test_a_list_split_by_a_code_block_or_a_comment_is_one_procedure():
    doc = parse_document(CODE_SPLIT_EN, "backup.md")

    assert len(doc.lists) == 1
    assert [item.number for item in doc.lists[0].items] == [1, 2, 3, 4, 5]
    assert len(step_texts(doc)) == 5
    [passive] = only(verb_findings(CODE_SPLIT_EN), "I003")
    assert passive.line == 10


def test_a_list_where_few_items_instruct_is_still_a_procedure_judged_step_by_step():
    text = sop(
        """
        ---
        lang: sv
        ---
        1. Kontrollera kvittot.
        2. Varan skannas in i kassan.
        3. Pengarna betalas tillbaka till kortet.
        4. Kvittot arkiveras i pärmen.
        """
    )
    findings = verb_findings(text, "sv")

    # Each passive step is judged on its own, once: passive-voice reports it.
    assert sorted((f.line, f.rule) for f in findings) == [(line, "I003") for line in (5, 6, 7)]


def test_definitions_links_and_questions_in_a_numbered_list_are_not_steps():
    text = sop(
        """
        1. Reklamation – ett fel på en vara som kunden anmäler.
        2. [Returpolicyn](policy.md)
        3. Har kunden kvitto?
        4. Kontrollera kvittot.
        """
    )
    doc = parse_document(text, "retur.md", "sv")

    assert step_texts(doc) == ["Kontrollera kvittot"]


def test_norwegian_procedure_with_one_instruction_gets_step_findings():
    text = sop(
        """
        ---
        lang: nb
        ---
        1. Sjekk kvitteringen.
        2. Varen skannes inn i kassen.
        3. Beløpet betales tilbake til kortet.
        """
    )
    doc = parse_document(text, "retur.md", "nb")

    assert len(step_texts(doc)) == 3
    assert sorted(f.line for f in only(verb_findings(text, "nb"), "I003")) == [5, 6]


def test_telugu_page_numbers_and_repeated_letterhead_are_not_prose():
    page = "సేవా కేంద్రం హైదరాబాద్\nకస్టమర్‌కు క్షమాపణ చెప్పండి.\n2/3\n\n"
    doc = parse_document(page * 3, "te.md", "te")

    assert sentences(doc) == ["కస్టమర్‌కు క్షమాపణ చెప్పండి"] * 3
    assert set(doc.furniture.values()) == {"repeated-line", "page-number"}


# -- brevity on the right units -----------------------------------------------------------

# 33 words: over the step limit (30), under the prose limit (40).
LONG_33 = (
    "Ask the customer for the receipt and the card they used to pay, then write "
    "the order number on the return slip before you take the item and put it on the shelf."
)


def test_the_step_limit_holds_for_procedure_steps_and_bullets_use_the_prose_limit():
    bullets = f"- Greet the customer.\n- {LONG_33}\n"
    steps = f"1. Greet the customer.\n2. {LONG_33}\n"

    assert only(lint(bullets), "B001") == []
    [finding] = only(lint(steps), "B001")
    assert finding.message == (
        "Sentence has 33 words; split it: steps should stay at or under 30 words."
    )


def test_no_split_is_offered_inside_a_coordination_of_words():
    text = (
        "Before you start the migration on the file server at the head office you must give "
        "every member of the support team, the service desk and the project group read and "
        "write access to the shared folder for the project on the new server.\n"
    )
    [finding] = only(lint(text), "B001")

    assert finding.suggestion is None


def test_a_split_is_offered_where_both_halves_are_clauses():
    text = (
        "Den som tar emot anmälan från brukaren eller de närstående dokumenterar händelsen "
        "i journalen samma dag som den inträffade; enhetschefen går igenom alla nya "
        "anmälningar i verksamhetssystemet varje för- och eftermiddag tillsammans med den "
        "ansvariga sjuksköterskan och den fysioterapeut som har hand om brukaren.\n"
    )
    [finding] = only(lint(text, "sv"), "B001")

    assert finding.suggestion == (
        "Split it into two or more sentences (split after “som den inträffade”)."
    )


def test_a_table_of_contents_is_not_a_procedure_too_long():
    entries = "\n".join(f"{n}. [Part {n}](#part-{n})" for n in range(1, 18))
    headings = "\n\n".join(f"## Part {n}\n\nRead this part." for n in range(1, 18))
    doc_text = f"# Handbook\n\n{entries}\n\n{headings}\n"

    assert only(lint(doc_text), "B003") == []


def test_a_long_procedure_counts_its_steps_only():
    steps = "\n".join(f"{n}. Scan item number {n} at the counter." for n in range(1, 17))
    [finding] = only(lint(f"# Stocktake\n\n{steps}\n"), "B003")

    assert finding.message.startswith("Procedure has 16 steps")


def test_procedure_sections_of_the_template_count_every_step():
    text = sop(
        """
        ## Procedure

        1. The receipt is checked.
        2. The refund is paid.
        """
    )
    doc = parse_document(text, "returns.md")

    assert len(procedure_items(doc, True, RunContext())) == 2


def test_an_item_under_a_title_line_is_a_step_only_when_the_title_instructs():
    text = sop(
        """
        ## Utförande

        1. Sortering av kläder
        Kläderna samlas i en säck och skickas till tvätten.
        2. Ring sjuksköterskan
        Berätta vad som har hänt.
        3. Kunden får ett kvitto.
        """
    )
    doc = parse_document(text, "rutin.md", "sv")

    assert [" ".join(b.sentences[0].word_texts()[:3]) for b in procedure_steps(doc)] == [
        "Ring sjuksköterskan Berätta",
        "Kunden får ett",
    ]


def test_verbless_items_of_a_list_outside_the_procedure_section_are_not_steps():
    text = sop(
        """
        Om leverantören bryter mot avtalet:

        1. Varning om hävning av avtalet.
        2. Återrapportering av åtgärderna till nämnden.
        3. Kontakta upphandlaren.
        """
    )
    doc = parse_document(text, "avtal.md", "sv")

    assert step_texts(doc) == ["Kontakta upphandlaren"]


def test_no_split_is_offered_where_the_second_half_has_no_verb():
    text = (
        "Keep the spare keys for every flat in the building in the locked grey cabinet in the "
        "staff room next to the office on the ground floor of the main building at the back "
        "of the yard; one set per flat and floor.\n"
    )
    [finding] = only(lint(text), "B001")

    assert finding.suggestion is None


def test_lines_ending_in_hard_breaks_are_not_a_paragraph_too_long():
    call = "Caller: “Hello, I am stuck on the motorway.”  \n"
    answer = "Agent: “Stay in the car. Keep your belt on. Help is coming.”  \n"
    text = (call + answer) * 2 + "Caller: “Thank you.”\n"

    assert only(lint(text), "B002") == []


def test_an_item_made_of_table_cells_is_not_a_step():
    text = sop(
        """
        ## Utförande

        1. Kontroll av
        kylskåp
        Enhetschef
        Varje vecka
        2. Städning av kylskåp        Enhetschef        Varje månad
        3. Kontrollera temperaturen i kylskåpet varje morgon.
        """
    )
    doc = parse_document(text, "rutin.md", "sv")

    assert step_texts(doc) == ["Kontrollera temperaturen i kylskåpet varje morgon"]


# -- items that are not steps, even in the procedure section ---------------------------------

ITEMS_THAT_ARE_NOT_STEPS = {
    "sv": """---
lang: sv
---
# Nutrition

## Utförande

Rutinen beskriver:

1. hur en bedömning av risken för undernäring görs,
2. hur en utredning om undernäring görs, och
3. vem som följer upp vikten.

Kontrollera i hjärtstartarens låda:

1. Datum för utgång på batterier och elektroder
2. Antal engångsrakhyvlar

Ansvar:

1. Sjuksköterskan ansvarar för att informera närstående.
2. Enhetschefen har ansvar för att rutinen är känd.
""",
    "en": """# Night closing

## Procedure

The checklist covers:

1. whether the safe is locked,
2. whether the alarm is set, and
3. who holds the keys tonight.

1. The shift manager is responsible for counting the float.
2. Expiry date of the first-aid kit
""",
}


@pytest.mark.parametrize("lang", sorted(ITEMS_THAT_ARE_NOT_STEPS))
def test_lead_in_continuations_lists_of_things_and_responsibilities_are_not_steps(lang):
    findings = check_text(ITEMS_THAT_ARE_NOT_STEPS[lang], lang=lang)
    assert [f.rule for f in findings if f.rule.startswith("I")] == []


# -- lines of a converted document that stop short ---------------------------------------


def test_a_converted_line_that_stops_short_ends_the_sentence_a_wrapped_line_does_not():
    text = (
        "---\nlang: sv\n---\n# Larm\n\n"
        "Personalen på enheten ansvarar för att brukarens trygghetslarm fungerar och\n"
        "att det testas en gång i månaden tillsammans med brukaren eller anhöriga\n"
        "Larmmottagning\n"
        "Larmcentralen tar emot larmet dygnet runt och ringer den personal som har\n"
        "jour under natten när brukaren inte svarar i högtalaren på larmet.\n"
    )
    doc = parse_document(text, "larm.md", "sv")
    [block] = [b for b in doc.blocks if b.kind is BlockKind.PARAGRAPH]
    # "Larmmottagning" is a heading the PDF set on a short line of its own: the sentence
    # before it ends there, instead of running on for 40 words into the next one.
    assert [s.text.split()[0] for s in block.sentences] == ["Personalen", "Larmcentralen"]
    assert block.sentences[0].text.endswith("anhöriga\nLarmmottagning")


def test_lines_of_a_narrow_paragraph_are_not_read_as_short():
    text = "# Note\n\nCall the manager\nBefore noon\nOn weekdays only.\n"
    doc = parse_document(text, "note.md", "en")
    [block] = [b for b in doc.blocks if b.kind is BlockKind.PARAGRAPH]
    assert len(block.sentences) == 1
