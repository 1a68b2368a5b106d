"""customer-language (W003): what staff say to customers, never guidance about saying.

The texts are store and call-centre routines written for these tests in the four
languages. The main risk is a false alarm on the guidance itself (*Do not say “calm
down”*), so every language has as many "must stay silent" cases as "must flag" ones.
"""

from __future__ import annotations

import pytest
from conftest import sop

from sop_lint import check_text
from sop_lint.config import ConfigError, parse_config
from sop_lint.rules.customer import parse_customer_phrases


def said(lang: str, body: str, config: dict | None = None, source=None) -> list:
    text = f"---\nlang: {lang}\n---\n# Routine\n\n{body}\n"
    settings = parse_config({"select": ["customer-language"], **(config or {})}, source)
    return check_text(text, config=settings)


def flagged(finding) -> str:
    return finding.source_line[finding.column - 1 : finding.span.end_column - 1]


@pytest.mark.parametrize(
    ("lang", "body", "phrase", "instead"),
    [
        # A quotation after an imperative speech verb.
        (
            "en",
            "If the item is sold out, say “I don't know when it comes back.”",
            "I don't know",
            "Let me find out for you",
        ),
        (
            "en",
            "Tell the caller: “That's our policy, I'm afraid.”",
            "That's our policy",
            "Here is what I can do for you",
        ),
        (
            "en",
            "Say ‘I don’t know’ only when you have checked.",
            "I don’t know",
            "Let me find out for you",
        ),
        (
            "sv",
            "Om varan är slut, säg: ”Jag vet inte när den kommer.”",
            "Jag vet inte",
            "Jag tar reda på det åt dig",
        ),
        (
            "sv",
            "Säg till kunden: ”Det är inte min avdelning.”",
            "Det är inte min avdelning",
            "Jag kopplar dig till någon som kan hjälpa dig",
        ),
        (
            "nb",
            "Hvis varen er utsolgt, si: «Jeg vet ikke når den kommer.»",
            "Jeg vet ikke",
            "Jeg skal finne ut av det for deg",
        ),
        (
            "nb",
            "Si til kunden: «Det er reglene våre.»",
            "Det er reglene våre",
            "Dette kan jeg gjøre for deg",
        ),
        # Telugu puts the speech verb after the quotation: “…” అని చెప్పండి ("say …").
        ("te", "“నాకు తెలియదు” అని చెప్పండి.", "నాకు తెలియదు", "నేను మీ కోసం కనుక్కుంటాను"),
        ("te", "కాలర్ కోపంగా ఉంటే, “శాంతించండి” అని చెప్పండి.", "శాంతించండి", "మీకు ఇది ఎంత ఇబ్బందిగా ఉందో నాకు అర్థమైంది"),
        # An earlier instruction joined by "and": still an instruction to say.
        (
            "en",
            "Thank the caller and say “That's company policy.”",
            "That's company policy",
            "Here is what I can do for you",
        ),
        (
            "sv",
            "Tacka kunden och säg: ”Det är inte mitt bord.”",
            "Det är inte mitt bord",
            "Jag kopplar dig till någon som kan hjälpa dig",
        ),
        ("nb", "Svar kunden: «Jeg vet ikke.»", "Jeg vet ikke", "Jeg skal finne ut av det for deg"),
        # A "Say:" line: the rest of the paragraph is the words to say.
        (
            "en",
            "Say: There's nothing I can do about the delivery.",
            "There's nothing I can do",
            "Here is what I can do",
        ),
        (
            "sv",
            "Säg: Lugna ner dig, så löser vi det.",
            "Lugna ner dig",
            "Jag förstår att det här är frustrerande",
        ),
        (
            "nb",
            "Si: Ro deg ned, så ordner vi det.",
            "Ro deg ned",
            "Jeg forstår at dette er frustrerende",
        ),
        ("te", "ఇలా చెప్పండి: అది నా విభాగం కాదు.", "అది నా విభాగం కాదు", "సహాయం చేయగల వ్యక్తికి మీ కాల్‌ను కలుపుతాను"),
    ],
)
def test_a_frustrating_phrase_said_to_a_customer_is_flagged_with_better_words(
    lang, body, phrase, instead
):
    [finding] = said(lang, body)
    assert finding.rule == "W003"
    assert finding.line == 6
    assert flagged(finding) == phrase
    assert f"e.g. \u201c{instead}\u201d" in finding.message
    assert finding.message.startswith(f"Customers find \u201c{phrase}\u201d frustrating")


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        # The quotation is the guidance: what not to say.
        ("en", "Do not say “calm down” or “that's our policy”."),
        ("en", "Never tell a customer “I don't know.” Find out instead."),
        ("en", "Say “Let me find out for you,” not “I don't know.”"),
        ("en", "Instead of “No”, say “No, but I can order it for you.”"),
        ("en", "Avoid phrases such as “not my department”."),
        ("en", "Do not say 'calm down' to an upset caller."),
        # Someone else speaks: a statement, not an instruction.
        ("en", "Staff sometimes say “calm down” to upset callers. Don't."),
        ("sv", "Många säger ”jag vet inte” när de är stressade."),
        ("en", "Customers often call and say “I don't know my order number.”"),
        ("nb", "Kunden: «Jeg vet ikke ordrenummeret.»"),
        # The customer speaks, not the staff.
        ("en", "The customer may say “I don't know my order number.” Look it up by phone."),
        ("en", "If the caller says “No”, thank them and end the call."),
        # No speech at all: a button, a mention in an instruction.
        ("en", "Click “No” in the refund dialog."),
        ("en", "If you don't know the answer, ask the shift lead."),
        ("sv", "Säg aldrig ”lugna ner dig” till en kund."),
        ("sv", "Säg ”Jag tar reda på det åt dig” i stället för ”jag vet inte”."),
        ("sv", "Kunden kan säga ”Jag vet inte ordernumret”. Sök då på telefonnumret."),
        ("sv", "Undvik ”det är vår policy”."),
        ("nb", "Si aldri «ro deg ned» til en kunde."),
        ("nb", "Si «Jeg skal finne ut av det for deg» i stedet for «jeg vet ikke»."),
        ("nb", "Kunden kan si «Jeg vet ikke ordrenummeret». Søk da på telefonnummeret."),
        ("te", "“నాకు తెలియదు” అని చెప్పకండి."),
        ("te", "“శాంతించండి” అని అనకుండా, “మీకు ఇబ్బంది కలిగినందుకు క్షమించండి” అని చెప్పండి."),
        ("te", "కస్టమర్ “నాకు తెలియదు” అని అంటే, ఆర్డర్ నంబర్ కోసం ఫోన్ నంబర్‌తో వెతకండి."),
        # The answer already offers help after the phrase.
        ("en", "Say “I don't know yet, but I'll find out by noon.”"),
        ("sv", "Säg: Jag vet inte än, men jag ska ta reda på det i dag."),
        ("nb", "Si: «Jeg vet ikke ennå, men jeg skal finne det ut i dag.»"),
        # A quoted word inside an instruction is not an answer.
        ("en", "Tell the customer “no” only when you can also offer something else."),
        # A helpful answer that happens to start with "no".
        ("en", "Say “No, but I can order it for you.”"),
        ("sv", "Säg: Nej, men jag kan beställa den åt dig."),
        ("nb", "Si: Nei, men jeg kan bestille den til deg."),
    ],
)
def test_guidance_about_what_to_say_is_never_flagged(lang, body):
    assert said(lang, body) == []


@pytest.mark.parametrize(
    ("lang", "body", "written"),
    [
        ("en", "Say: No.", "No"),
        ("en", "If the coupon has expired, say “No, sorry.”", "No, sorry"),
        ("sv", "Säg: Nej, det går inte.", "Nej, det går inte"),
        ("nb", "Si: «Nei, dessverre.»", "Nei, dessverre"),
    ],
)
def test_a_bare_no_with_nothing_offered_is_flagged(lang, body, written):
    [finding] = said(lang, body)
    assert flagged(finding) == written
    assert "refuses without offering anything else" in finding.message


SCRIPT_EN = sop(
    """
    ---
    lang: en
    ---
    # Answering the toll-free line

    ## Call script

    - Thank you for calling {{ branch.name }}. How can I help?
    - I don't know, that's not my department.
    - Customer: I don't know the order number.
    - If the caller shouts, do not tell them to calm down.
    - Wait for the customer to answer.

    ### What not to say

    - “That's our policy.”
    - I have no idea.

    ## Records

    Log the call. I don't know is not an answer.
    """
)


def test_a_script_answer_of_several_sentences_is_one_answer():
    text = "---\nlang: sv\n---\n# Rutin\n\n## Samtalsmanus\n\n"
    text += "- Nej. Men jag kan beställa den åt dig.\n"
    assert said_file(text) == []
    assert [
        flagged(f) for f in said_file(text.replace(" Men jag kan beställa den åt dig.", ""))
    ] == ["Nej"]


def test_in_a_script_section_staff_lines_are_checked_but_directions_are_not():
    findings = said_file(SCRIPT_EN)
    assert [(f.line, flagged(f)) for f in findings] == [
        (9, "I don't know"),
        (9, "not my department"),
    ]


def said_file(text: str, config: dict | None = None) -> list:
    return check_text(
        text, config=parse_config({"select": ["customer-language"], **(config or {})})
    )


@pytest.mark.parametrize(
    ("lang", "heading", "line", "phrase"),
    [
        ("sv", "Samtalsmanus", "Det är vår policy, tyvärr.", "Det är vår policy"),
        ("nb", "Samtalsmanus", "Det er ikke min avdeling.", "Det er ikke min avdeling"),
        ("te", "కాల్ స్క్రిప్ట్", "నాకు తెలియదు.", "నాకు తెలియదు"),
    ],
)
def test_script_sections_in_each_language(lang, heading, line, phrase):
    text = f"---\nlang: {lang}\n---\n# Rutin\n\n## {heading}\n\n- {line}\n"
    [finding] = said_file(text)
    assert (finding.line, flagged(finding)) == (8, phrase)


# One routine per language: step 3 tells staff what to say; the flawed version says
# something customers find frustrating, the fixed twin offers an alternative.
ROUTINES = {
    "en": ("Take a return", "Procedure", "Ask for the receipt.", "Check the item.",
           "If the receipt is missing, say: “That's our policy.”",
           "If the receipt is missing, say: “I can give you store credit.”"),
    "sv": ("Ta emot en retur", "Utförande", "Be om kvittot.", "Kontrollera varan.",
           "Om kvittot saknas, säg: ”Det är våra regler.”",
           "Om kvittot saknas, säg: ”Jag kan ge dig ett tillgodokvitto.”"),
    "nb": ("Ta imot en retur", "Fremgangsmåte", "Be om kvitteringen.", "Sjekk varen.",
           "Hvis kvitteringen mangler, si: «Det er reglene våre.»",
           "Hvis kvitteringen mangler, si: «Jeg kan gi deg et tilgodebevis.»"),
    "te": ("రిటర్న్ తీసుకోవడం", "విధానం", "రసీదు అడగండి.", "వస్తువును తనిఖీ చేయండి.",
           "రసీదు లేకపోతే, “అది మా పాలసీ” అని చెప్పండి.",
           "రసీదు లేకపోతే, “నేను మీకు స్టోర్ క్రెడిట్ ఇవ్వగలను” అని చెప్పండి."),
}  # fmt: skip


def routine_with(lang: str, step3: str) -> str:
    title, procedure, step1, step2, _, _ = ROUTINES[lang]
    return (
        f"---\nlang: {lang}\n---\n# {title}\n\n## {procedure}\n\n"
        f"1. {step1}\n2. {step2}\n3. {step3}\n"
    )


@pytest.mark.parametrize("lang", sorted(ROUTINES))
def test_the_flaw_trips_only_customer_language_at_its_line(lang):
    """All rules on: the flawed routine differs from its fixed twin by one W003 finding."""
    config = parse_config({})
    *_, flaw, fix = ROUTINES[lang]
    flawed = check_text(routine_with(lang, flaw), config=config)
    fixed = check_text(routine_with(lang, fix), config=config)
    seen = {(f.rule, f.line) for f in fixed}
    assert [(f.rule, f.line) for f in flawed if (f.rule, f.line) not in seen] == [("W003", 10)]
    assert not [f for f in fixed if f.rule == "W003"]


def test_an_organisation_adds_phrases_and_script_headings(tmp_path):
    (tmp_path / "kund-sv.tsv").write_text(
        "# våra egna\nså gör vi inte här\tSå här kan vi lösa det\tdet låter som ett nej\n",
        encoding="utf-8",
    )
    options = {"files": {"sv": "kund-sv.tsv"}, "script-headings": {"sv": ["Hälsningsfras"]}}
    config = {"rules": {"customer-language": options}}
    text = "---\nlang: sv\n---\n# Rutin\n\n## Hälsningsfras\n\n- Så gör vi inte här.\n"
    settings = parse_config({"select": ["customer-language"], **config}, tmp_path / "x.toml")
    [finding] = check_text(text, config=settings)
    assert finding.line == 8
    assert "det låter som ett nej" in finding.message
    assert "\u201cSå här kan vi lösa det\u201d" in finding.message


def test_ignore_switches_a_phrase_off():
    config = {"rules": {"customer-language": {"ignore": ["=no"]}}}
    assert said("en", "Say: No.", config) == []


def test_a_malformed_phrase_list_names_its_line():
    with pytest.raises(ConfigError, match=r"kund\.tsv:2: expected 'phrase<TAB>what to say"):
        parse_customer_phrases("jag vet inte\tJag tar reda på det\nbara en kolumn\n", "kund.tsv")


def test_a_phrase_list_outside_the_project_is_refused(tmp_path):
    outside = tmp_path / "outside.tsv"
    outside.write_text("jag vet inte\tJag tar reda på det\n", encoding="utf-8")
    project = tmp_path / "p"
    project.mkdir()
    (project / "kund.tsv").symlink_to(outside)
    config = {"rules": {"customer-language": {"files": {"sv": "kund.tsv"}}}}
    with pytest.raises(ConfigError, match=r"cannot read phrase list kund\.tsv"):
        said("sv", "Säg: Jag vet inte.", config, project / "sop-lint.toml")


def test_the_builtin_lists_parse_in_every_language():
    from sop_lint.rules.customer import builtin_customer_phrases

    for lang in ("en", "sv", "nb", "te"):
        phrases = builtin_customer_phrases(lang)
        assert len(phrases) >= 8, lang
        assert any(p.whole for p in phrases.values()), lang


def test_a_long_paragraph_full_of_stray_quote_marks_stays_fast():
    # Each opening mark looks at most a few hundred characters ahead (no quadratic scan).
    body = "Say “" + "word " * 40_000 + "and “ again " * 2_000
    assert said("en", body) == []
