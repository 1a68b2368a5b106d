"""Brevity rules B001-B004 in every language: where they fire, and where they do not."""

from __future__ import annotations

import pytest
from conftest import codes, lint, only, sop

from sop_lint.model import Severity

# -- B001 sentence-too-long ------------------------------------------------------------------

# 31 words: Ask the customer for the receipt and the card they pay with (12), and write
# the order number on the return slip (9) before you take the returned item and put it
# aside (10).
EN_STEP_31 = (
    "Ask the customer for the receipt and the card they pay with, and write the order "
    "number on the return slip before you take the returned item and put it aside."
)
EN_STEP_30 = EN_STEP_31.replace("the return slip", "the slip")
# 40 words: When a customer calls the toll-free line about a late tow truck (12), check the
# dispatch log, the driver's position on the map and the traffic on the route (16) and
# tell them in plain words when the driver will arrive today (12).
EN_PROSE_40 = (
    "When a customer calls the toll-free line about a late tow truck, check the dispatch "
    "log, the driver's position on the map and the traffic on the route and tell them in "
    "plain words when the driver will arrive today."
)
EN_PROSE_41 = EN_PROSE_40.replace("arrive today.", "arrive on site.")
# 51 words: the 41 above, then "and offer to send them a text before it arrives" (10).
EN_PROSE_51 = EN_PROSE_41.replace(
    "on site.", "on site and offer to send them a text before it arrives."
)
EN_PROSE_50 = EN_PROSE_51.replace("send them a text", "send a text")

# Be kunden om kvittot och kortet som används vid köpet (10) och skriv också ordernumret
# på returlappen (6) innan du tar emot varan och lägger den i en påse på returhyllan
# bakom kassan (15): 31 words.
SV_STEP_31 = (
    "Be kunden om kvittot och kortet som används vid köpet och skriv också ordernumret på "
    "returlappen innan du tar emot varan och lägger den i en påse på returhyllan bakom "
    "kassan."
)
# Be kunden om kvitteringen og kortet som ble brukt ved kjøpet (11), og skriv
# ordrenummeret på returlappen (5) før du tar imot varen og legger den i en pose på
# returhyllen bak kassen (15): 31 words.
NB_STEP_31 = (
    "Be kunden om kvitteringen og kortet som ble brukt ved kjøpet, og skriv ordrenummeret "
    "på returlappen før du tar imot varen og legger den i en pose på returhyllen bak kassen."
)
# కస్టమర్ ఫోన్ చేసినప్పుడు ఓపికగా వినండి (5), వారి పేరు (2), ఫోన్ నంబర్ (2), ఈమెయిల్ చిరునామా (2),
# ఇంటి చిరునామా (2), వాహనం నంబర్ (2), వాహనం రంగు మరియు వాహనం ఉన్న చోటు ఒక్కొక్కటిగా అడిగి (8),
# టో ట్రక్ కోసం దగ్గరలోని శాఖకు వెంటనే కాల్ చేయండి (8): 31 words.
TE_STEP_31 = (
    "కస్టమర్ ఫోన్ చేసినప్పుడు ఓపికగా వినండి, వారి పేరు, ఫోన్ నంబర్, ఈమెయిల్ చిరునామా, ఇంటి చిరునామా, "
    "వాహనం నంబర్, వాహనం రంగు మరియు వాహనం ఉన్న చోటు ఒక్కొక్కటిగా అడిగి, టో ట్రక్ కోసం దగ్గరలోని శాఖకు "
    "వెంటనే కాల్ చేయండి."
)
# När en kund ringer till gratisnumret om en försenad bärgningsbil (10) ska du kontrollera
# körjournalen, bilens position på kartan och trafiken på vägen (12) och berätta för kunden
# ungefär hur länge hon får vänta innan bärgaren är där och var hon kan vänta (19): 41
# words.
SV_PROSE_41 = (
    "När en kund ringer till gratisnumret om en försenad bärgningsbil ska du kontrollera "
    "körjournalen, bilens position på kartan och trafiken på vägen och berätta för kunden "
    "ungefär hur länge hon får vänta innan bärgaren är där och var hon kan vänta."
)
# Når en kunde ringer til grønt nummer om en forsinket bergingsbil (11), skal du sjekke
# kjøreloggen, bilens posisjon på kartet og trafikken på veien (12) og fortelle kunden
# omtrent hvor lenge hun må vente før bergeren er der og hvor hun kan vente (18): 41
# words.
NB_PROSE_41 = (
    "Når en kunde ringer til grønt nummer om en forsinket bergingsbil, skal du sjekke "
    "kjøreloggen, bilens posisjon på kartet og trafikken på veien og fortelle kunden omtrent "
    "hvor lenge hun må vente før bergeren er der og hvor hun kan vente."
)


def test_step_over_30_words_is_a_warning_naming_the_count():
    findings = lint(f"# Product returns\n\n1. Greet the customer.\n2. {EN_STEP_31}\n")
    [finding] = findings
    assert (finding.rule, finding.name, finding.severity) == (
        "B001",
        "sentence-too-long",
        Severity.WARNING,
    )
    assert (finding.line, finding.column) == (4, 4)
    assert (finding.span.end_line, finding.span.end_column) == (4, 4 + len(EN_STEP_31))
    assert finding.message == (
        "Sentence has 31 words; split it: steps should stay at or under 30 words."
    )
    assert finding.suggestion == (
        "Split it into two or more sentences (split after “they pay with”)."
    )
    assert finding.source_line == f"2. {EN_STEP_31}"


def test_step_of_exactly_30_words_passes():
    assert lint(f"1. {EN_STEP_30}\n") == []


def test_the_same_31_words_outside_a_step_pass_the_prose_limit_of_40():
    assert lint(f"{EN_STEP_31}\n") == []


def test_prose_sentence_over_40_words_is_a_warning():
    [finding] = lint(f"# Toll-free line\n\n{EN_PROSE_41}\n")
    assert (finding.rule, finding.severity, finding.line, finding.column) == (
        "B001",
        Severity.WARNING,
        3,
        1,
    )
    assert finding.message == (
        "Sentence has 41 words; split it: sentences should stay at or under 40 words."
    )


def test_prose_sentence_of_exactly_40_words_passes():
    assert lint(f"# Toll-free line\n\n{EN_PROSE_40}\n") == []


def test_sentence_over_50_words_is_an_error_and_50_is_a_warning():
    [error] = lint(f"{EN_PROSE_51}\n")
    assert error.severity is Severity.ERROR
    assert error.message.startswith("Sentence has 51 words;")
    [warning] = lint(f"{EN_PROSE_50}\n")
    assert warning.severity is Severity.WARNING
    assert warning.message.startswith("Sentence has 50 words;")


def test_step_over_50_words_is_an_error_that_still_names_the_step_limit():
    [finding] = lint(f"1. {EN_PROSE_51}\n")
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "Sentence has 51 words; split it: steps should stay at or under 30 words."
    )


def test_step_detail_paragraphs_use_the_prose_limit():
    text = f"1. Greet the customer.\n\n   {EN_STEP_31}\n"
    assert lint(text) == []
    [finding] = lint(f"1. Greet the customer.\n\n   {EN_PROSE_41}\n")
    assert (finding.line, finding.column) == (3, 4)
    assert "sentences should stay at or under 40 words" in finding.message


def test_long_sentence_across_lines_spans_from_its_first_to_its_last_line():
    wrapped = EN_PROSE_41.replace(" check the", "\ncheck the")
    [finding] = lint(f"# Toll-free line\n\n{wrapped}\n")
    assert (finding.line, finding.column) == (3, 1)
    # "check the dispatch log, the driver's position on the map and the traffic on the route
    # and tell them in plain words when the driver will arrive on site." is 151 characters;
    # the span ends just after its full stop.
    assert (finding.span.end_line, finding.span.end_column) == (4, 152)


def test_only_the_long_sentence_of_a_paragraph_is_flagged():
    text = f"Answer the call. {EN_PROSE_41} Thank the customer.\n"
    [finding] = lint(text)
    assert (finding.line, finding.column) == (1, 18)


def test_headings_are_not_checked_for_length():
    heading = "# " + EN_PROSE_51.rstrip(".")
    assert lint(f"{heading}\n\nCall the driver.\n") == []


def test_heading_length_is_checked_when_scope_includes_headings():
    heading = "# " + EN_PROSE_41.rstrip(".")
    config = {"rules": {"B001": {"scope": ["heading", "paragraph", "step"]}}}
    [finding] = lint(f"{heading}\n\nCall the driver.\n", config=config)
    assert (finding.rule, finding.line, finding.column) == ("B001", 1, 3)


def test_branch_placeholder_counts_as_one_word():
    # Call the driver on {{ branch.tow_phone }} (5) and give them the full address (6),
    # the registration number, make and colour of the car (9) and your name and phone
    # number at the front desk (10): 30 words with the placeholder as one, so the step
    # passes. One more word and it does not.
    step = (
        "Call the driver on {{ branch.tow_phone }} and give them the full address, "
        "the registration number, make and colour of the car and your name and phone number "
        "at the front desk."
    )
    assert lint(f"1. {step}\n") == []
    [finding] = lint(f"1. {step.replace('your name', 'your first name')}\n")
    assert finding.message.startswith("Sentence has 31 words;")


@pytest.mark.parametrize(
    ("lang", "step", "count"),
    [("sv", SV_STEP_31, 31), ("nb", NB_STEP_31, 31), ("te", TE_STEP_31, 31)],
)
def test_long_step_is_flagged_in_every_language(lang, step, count):
    [finding] = lint(f"1. {step}\n", lang)
    assert (finding.rule, finding.severity, finding.line, finding.column) == (
        "B001",
        Severity.WARNING,
        1,
        4,
    )
    assert finding.message == (
        f"Sentence has {count} words; split it: steps should stay at or under 30 words."
    )


@pytest.mark.parametrize(
    ("lang", "step"),
    [
        ("sv", "Be kunden om kvittot och skriv ordernumret på returlappen."),
        ("nb", "Be kunden om kvitteringen og skriv ordrenummeret på returlappen."),
        ("te", "కస్టమర్‌కు క్షమాపణ చెప్పండి."),
    ],
)
def test_short_step_passes_in_every_language(lang, step):
    assert lint(f"1. {step}\n", lang) == []


@pytest.mark.parametrize(("lang", "sentence"), [("sv", SV_PROSE_41), ("nb", NB_PROSE_41)])
def test_long_nordic_prose_sentence_is_a_warning(lang, sentence):
    [finding] = lint(f"{sentence}\n", lang)
    assert finding.message == (
        "Sentence has 41 words; split it: sentences should stay at or under 40 words."
    )


def test_swedish_split_hint_names_the_words_before_the_split():
    step = (
        "Be kunden om kvittot och kortet som hon betalade med, och kontrollera datumet och "
        "beloppet på kvittot innan du tar emot varan från henne vid kassan och lägger den på "
        "returhyllan."
    )  # 31 words: over the step limit
    [finding] = lint(f"1. {step}\n", "sv")
    assert finding.suggestion == (
        "Split it into two or more sentences (split after “hon betalade med”)."
    )


def test_no_split_is_offered_where_the_second_half_would_have_no_subject():
    # "... ska du kontrollera körjournalen och berätta ...": "berätta" shares "ska du".
    [finding] = lint(f"{SV_PROSE_41}\n", "sv")
    assert finding.suggestion is None


def test_sentence_length_limits_are_configurable():
    config = {"rules": {"sentence-too-long": {"max-words-step": 10, "max-words": 12}}}
    step = "Ask the customer for the receipt and the card they used."  # 11 words
    [finding] = lint(f"1. {step}\n", config=config)
    assert finding.message == (
        "Sentence has 11 words; split it: steps should stay at or under 10 words."
    )
    assert lint(f"{step}\n", config=config) == []
    config = {"rules": {"B001": {"error-words": 20}}}
    [finding] = lint(f"1. {EN_STEP_31}\n", config=config)
    assert finding.severity is Severity.ERROR


def test_configured_severity_applies_to_every_b001_finding():
    config = {"rules": {"B001": {"severity": "info"}}}
    [finding] = lint(f"{EN_PROSE_51}\n", config=config)
    assert finding.severity is Severity.INFO  # not raised to error by the 50-word limit


# -- B002 paragraph-too-long -----------------------------------------------------------------


SV_SEVEN = (
    "Kunden ringer. Lyssna lugnt. Be om ordernumret. Sök upp ordern. Berätta vad som hänt. "
    "Erbjud en lösning. Tacka för samtalet."
)
NB_SEVEN = (
    "Kunden ringer. Lytt rolig. Be om ordrenummeret. Finn ordren. Forklar hva som har "
    "skjedd. Tilby en løsning. Takk for samtalen."
)
EN_SEVEN = (
    "The customer calls. Listen calmly. Ask for the order number. Find the order. Explain "
    "what happened. Offer a solution. Thank them for calling."
)
TE_SEVEN = (
    "కస్టమర్ ఫోన్ చేస్తారు. ఓపికగా వినండి. ఆర్డర్ నంబర్ అడగండి. ఆర్డర్ వెతకండి. ఏమి జరిగిందో "
    "చెప్పండి. పరిష్కారం సూచించండి. కస్టమర్‌కు ధన్యవాదాలు చెప్పండి."
)


@pytest.mark.parametrize(
    ("lang", "paragraph"),
    [("en", EN_SEVEN), ("sv", SV_SEVEN), ("nb", NB_SEVEN), ("te", TE_SEVEN)],
)
def test_paragraph_of_seven_sentences_is_reported_as_info_at_its_first_sentence(lang, paragraph):
    findings = lint(f"# CS-002\n\n{paragraph}\n", lang)
    [finding] = only(findings, "B002")
    assert (finding.name, finding.severity, finding.line, finding.column) == (
        "paragraph-too-long",
        Severity.INFO,
        3,
        1,
    )
    assert finding.message == (
        "Paragraph has 7 sentences; keep it to 6 or fewer: split it by topic, or make the "
        "actions a numbered list."
    )


def test_paragraph_of_six_sentences_passes():
    six = SV_SEVEN.replace(" Tacka för samtalet.", "")
    assert lint(f"{six}\n", "sv") == []


def test_seven_steps_in_a_list_are_not_a_long_paragraph():
    steps = sop(
        """
        1. Lyssna lugnt.
        2. Be om ordernumret.
        3. Sök upp ordern.
        4. Berätta vad som hänt.
        5. Erbjud en lösning.
        6. Skriv in ärendet.
        7. Tacka för samtalet.
        """
    )
    assert lint(steps, "sv") == []


def test_paragraph_limit_is_configurable():
    config = {"rules": {"B002": {"max-sentences": 7}}}
    assert lint(f"{SV_SEVEN}\n", "sv", config) == []
    config = {"rules": {"paragraph-too-long": {"max-sentences": 3}}}
    [finding] = lint(f"{NB_SEVEN}\n", "nb", config)
    assert finding.message.startswith("Paragraph has 7 sentences; keep it to 3 or fewer")


# -- B003 procedure-too-long -----------------------------------------------------------------


TOW_STEPS = [
    "Answer the call.",
    "Ask for the customer's name.",
    "Ask for a phone number.",
    "Ask for the registration number.",
    "Ask where the vehicle is.",
    "Ask if anyone is hurt.",
    "Call 112 if anyone is hurt.",
    "Check the customer's cover.",
    "Find the nearest tow truck.",
    "Call the driver.",
    "Give the driver the address.",
    "Tell the customer when the truck will arrive.",
    "Send the customer the case number.",
    "Log the call in the dispatch system.",
    "Call the customer when the truck arrives.",
    "Close the case.",
]


def numbered(steps: list[str]) -> str:
    return "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1)) + "\n"


def test_procedure_of_16_steps_is_a_warning_at_the_list():
    text = "# Tow truck dispatch\n\n## Steps\n\n" + numbered(TOW_STEPS)
    [finding] = lint(text)
    assert (finding.rule, finding.name, finding.severity) == (
        "B003",
        "procedure-too-long",
        Severity.WARNING,
    )
    assert (finding.line, finding.column) == (5, 1)
    assert finding.message == (
        "Procedure has 16 steps; keep it to 15 or fewer: group the steps under sub-headings "
        "or split the SOP."
    )


BERGING_NB = [
    "Svar på samtalen.",
    "Spør om kundens navn.",
    "Spør om et telefonnummer.",
    "Spør om registreringsnummeret.",
    "Spør hvor bilen står.",
    "Spør om noen er skadet.",
    "Ring 113 hvis noen er skadet.",
    "Sjekk kundens forsikring.",
    "Finn nærmeste bergingsbil.",
    "Ring sjåføren.",
    "Gi sjåføren adressen.",
    "Si til kunden når bilen kommer.",
    "Send kunden saksnummeret.",
    "Logg samtalen i systemet.",
    "Ring kunden når bilen er fremme.",
    "Avslutt saken.",
]
TOW_TE = [
    "కాల్‌కు సమాధానం ఇవ్వండి.",
    "కస్టమర్ పేరు అడగండి.",
    "ఫోన్ నంబర్ అడగండి.",
    "వాహనం నంబర్ అడగండి.",
    "వాహనం ఎక్కడ ఉందో అడగండి.",
    "ఎవరైనా గాయపడ్డారా అని అడగండి.",
    "ఎవరైనా గాయపడితే 108కి కాల్ చేయండి.",
    "కస్టమర్ బీమా తనిఖీ చేయండి.",
    "దగ్గరలోని టో ట్రక్‌ను కనుగొనండి.",
    "డ్రైవర్‌కు కాల్ చేయండి.",
    "డ్రైవర్‌కు చిరునామా చెప్పండి.",
    "ట్రక్ ఎప్పుడు వస్తుందో కస్టమర్‌కు చెప్పండి.",
    "కేసు నంబర్ కస్టమర్‌కు పంపండి.",
    "కాల్ వివరాలు సిస్టమ్‌లో నమోదు చేయండి.",
    "ట్రక్ చేరుకున్నాక కస్టమర్‌కు కాల్ చేయండి.",
    "కేసు మూసివేయండి.",
]


@pytest.mark.parametrize(("lang", "steps"), [("nb", BERGING_NB), ("te", TOW_TE)])
def test_procedure_of_16_steps_is_flagged_in_norwegian_and_telugu(lang, steps):
    [finding] = only(lint("# CS-004\n\n" + numbered(steps), lang), "B003")
    assert (finding.line, finding.column) == (3, 1)
    assert finding.message.startswith("Procedure has 16 steps; keep it to 15 or fewer")
    assert only(lint("# CS-004\n\n" + numbered(steps[:15]), lang), "B003") == []


def test_procedure_of_15_steps_passes():
    assert lint(numbered(TOW_STEPS[:15])) == []


def test_a_bulleted_list_of_16_items_is_not_a_procedure():
    assert lint("".join(f"- {step}\n" for step in TOW_STEPS)) == []


def test_steps_of_a_nested_list_are_counted_in_their_own_list():
    # 10 steps, the 10th with 10 sub-steps: 20 list items, but no list has more than 15.
    nested = "".join(f"    {n}. {step}\n" for n, step in enumerate(TOW_STEPS[:10], 1))
    text = numbered(TOW_STEPS[:10]) + nested
    assert only(lint(text), "B003") == []


def test_procedure_limit_is_configurable_and_works_in_swedish():
    steps = ["Ta emot samtalet.", "Fråga efter namnet.", "Fråga var bilen står.", "Ring bärgaren."]
    config = {"rules": {"procedure-too-long": {"max-steps": 3}}}
    [finding] = lint("# Bärgning\n\n" + numbered(steps), "sv", config)
    assert (finding.line, finding.column) == (3, 1)
    assert finding.message.startswith("Procedure has 4 steps; keep it to 3 or fewer")


# -- B004 heading-too-deep -------------------------------------------------------------------


def test_level_4_heading_under_level_2_sections_is_an_info_at_the_heading_text():
    text = sop(
        """
        # Hantera en retur

        ## Steg

        ### Om kvitto saknas

        #### Om kunden betalade kontant

        Ring butikschefen.
        """
    )
    [finding] = lint(text, "sv")
    assert (finding.rule, finding.name, finding.severity) == (
        "B004",
        "heading-too-deep",
        Severity.INFO,
    )
    assert (finding.line, finding.column) == (7, 6)
    assert (finding.span.end_line, finding.span.end_column) == (7, 32)
    assert finding.message == (
        "Heading is 2 levels below this SOP's section headings (##); keep to 1 level(s) of "
        "subsections: if the section does two jobs, split it into its own SOP, or promote "
        "this heading to ###."
    )


def test_headings_down_to_level_3_pass():
    text = "# Returer\n\n## Steg\n\n### Om kvittering mangler\n\nRing butikksjefen.\n"
    assert lint(text, "nb") == []


def test_template_sections_at_level_3_allow_subsections_at_level_4():
    # The organisation's template puts "Purpose" and "Procedure" at level 3 under a
    # level-2 part heading: "#### If there is no receipt" is one level of subsection.
    text = sop(
        """
        # Returns at the counter

        ## Part A: refunds

        ### Purpose

        Refund a customer who returns an item.

        ### Procedure

        #### If there is no receipt

        ##### If the customer paid cash

        Call the store manager.
        """
    )
    assert [(f.rule, f.line) for f in lint(text)] == [("B004", 13)]
    assert lint(text)[0].message.startswith(
        "Heading is 2 levels below this SOP's section headings (###); keep to 1 level(s)"
    )


def test_without_template_sections_depth_counts_from_the_shallowest_heading():
    # No heading names a template section; the shallowest is level 4, so "#####" is one
    # level of subsection and only "######" is too deep.
    text = "# A\n\n#### Kontant\n\n##### Kort\n\n###### Faktura\n"
    assert [(f.rule, f.line) for f in lint(text, "nb")] == [("B004", 7)]


def test_heading_depth_is_configurable():
    text = "# ఫిర్యాదులు\n\n## కాల్\n\n### టోల్ ఫ్రీ నంబర్\n\n#### రసీదు\n\n##### నంబర్\n"
    assert [f.line for f in lint(text, "te")] == [7, 9]
    config = {"rules": {"B004": {"max-depth": 4}}}
    [finding] = lint(text, "te", config)
    assert (finding.line, finding.column) == (9, 7)
    assert "keep to 2 level(s) of subsections" in finding.message


def test_brevity_findings_come_out_in_line_order():
    text = (
        "# Tow truck dispatch\n\n## Steps\n\n### Calls\n\n#### Details\n\n"
        + f"{EN_SEVEN}\n\n{EN_PROSE_41}\n\n"
        + numbered(TOW_STEPS)
    )
    assert codes(lint(text)) == ["B004", "B002", "B001", "B003"]


def test_in_a_document_converted_from_pdf_a_long_sentence_is_a_hint_to_check():
    sentence = " ".join(["Personalen dokumenterar insatsen i journalen"] * 9) + "."
    page = f"Vård- och omsorgsförvaltningen\n\n{sentence}\n\n"
    text = "---\nlang: sv\n---\n# Rutin\n\n" + "".join(page + f"{n}/3\n\n" for n in (1, 2, 3))
    [*findings] = [f for f in lint(text, "sv") if f.rule == "B001"]
    assert findings and {f.severity for f in findings} == {Severity.INFO}
    assert "looks converted from PDF" in findings[0].message
