"""Readability: Flesch for English, LIX for Swedish and Norwegian, aksharas for Telugu.

Every formula is checked against a value worked out by hand in the comment next to it.
"""

from __future__ import annotations

import pytest
from conftest import lint, only, sop

from sop_lint import parse_document
from sop_lint.languages import get_language
from sop_lint.languages.en import flesch_band, flesch_reading_ease
from sop_lint.languages.nordic import lix, lix_band
from sop_lint.model import Severity
from sop_lint.rules.readability import measure


def reading(text: str, lang: str):
    doc = parse_document(text, "sop.md", lang)
    return measure(doc, doc.blocks)


# -- the formulas, by hand -------------------------------------------------------------------


def test_flesch_for_two_short_english_sentences():
    # Words (CMU syllables): Call 1, the 1, manager 3 | Check 1, the 1, receipt 2
    # 6 words, 2 sentences, 9 syllables:
    # 206.835 - 1.015 * 6/2 - 84.6 * 9/6 = 206.835 - 3.045 - 126.9 = 76.89
    r = reading("Call the manager. Check the receipt.\n", "en")
    assert (r.metric, r.words, r.sentences, r.details["syllables"]) == ("flesch", 6, 2, 9)
    assert r.score == 76.9
    assert r.band == "fairly easy"


def test_flesch_leaves_out_headings_and_branch_placeholders():
    # Counted: Call 1, the 1, manager 3, on 1 | Check 1, the 1, receipt 2 = 10 syllables
    # in 7 words, 2 sentences; the heading and {{ branch.phone }} are not read.
    # 206.835 - 1.015 * 3.5 - 84.6 * 10/7 = 206.835 - 3.5525 - 120.857 = 82.425
    text = (
        "# Returns at the counter\n\nCall the manager on {{ branch.phone }}. Check the receipt.\n"
    )
    r = reading(text, "en")
    assert (r.words, r.sentences, r.details["syllables"]) == (7, 2, 10)
    assert r.score == 82.4
    assert r.band == "easy"


def test_flesch_function_and_bands():
    # 100 words, 5 sentences, 150 syllables: 206.835 - 20.3 - 126.9 = 59.635
    assert flesch_reading_ease(100, 5, 150) == pytest.approx(59.635)
    assert flesch_reading_ease(0, 0, 0) == 0.0
    bands = [flesch_band(s) for s in (90, 89.9, 80, 70, 60, 59.9, 50, 49.9, 30, 29.9, -20)]
    assert bands == [
        "very easy",
        "easy",
        "easy",
        "fairly easy",
        "plain English",
        "fairly difficult",
        "fairly difficult",
        "difficult",
        "difficult",
        "very difficult",
        "very difficult",
    ]


def test_lix_for_swedish_counts_words_over_six_letters_as_long():
    # Words: Kontrollera (11, long) kvittot (7, long) | Ring (4) avdelningschefen (16, long)
    # nu (2): 5 words, 2 sentences, 3 long words.
    # LIX = 5/2 + 100 * 3/5 = 2.5 + 60 = 62.5
    r = reading("Kontrollera kvittot. Ring avdelningschefen nu.\n", "sv")
    assert (r.metric, r.words, r.sentences, r.details["long_words"]) == ("lix", 5, 2, 3)
    assert r.score == 62.5
    assert r.band == "very difficult"


def test_lix_six_letter_words_are_not_long():
    # Tacka (5) kunden (6): no long words. LIX = 2/1 + 0 = 2.0
    r = reading("Tacka kunden.\n", "sv")
    assert (r.details["long_words"], r.score, r.band) == (0, 2.0, "very easy")


def test_lix_for_norwegian():
    # Ring (4) kundeservice (12, long) | Sjekk (5) kvitteringen (12, long) i (1) dag (3):
    # 6 words, 2 sentences, 2 long. LIX = 6/2 + 100 * 2/6 = 3 + 33.33 = 36.33
    r = reading("Ring kundeservice. Sjekk kvitteringen i dag.\n", "nb")
    assert (r.words, r.sentences, r.details["long_words"]) == (6, 2, 2)
    assert r.score == 36.3
    assert r.band == "medium"


def test_lix_counts_letters_not_hyphens():
    # Skicka (6) sms-kod (7 characters but 6 letters: not long) till (4)
    # bärgningsfirman (15, long): 4 words, 1 sentence, 1 long word.
    # LIX = 4/1 + 100 * 1/4 = 29.0
    r = reading("Skicka sms-kod till bärgningsfirman.\n", "sv")
    assert (r.words, r.details["long_words"], r.score, r.band) == (4, 1, 29.0, "easy")


def test_lix_function_and_bands():
    assert lix(50, 5, 10) == 30.0  # 10 + 100 * 10/50
    assert lix(0, 0, 0) == 0.0
    bands = [lix_band(s) for s in (24.9, 25, 29.9, 30, 39.9, 40, 49.9, 50, 70)]
    assert bands == [
        "very easy",
        "easy",
        "easy",
        "medium",
        "medium",
        "difficult",
        "difficult",
        "very difficult",
        "very difficult",
    ]


def test_telugu_reports_aksharas_per_word_and_grades_nothing():
    # కస్టమర్‌కు 5 (క స్ట మ ర్‌ కు), క్షమాపణ 4 (క్ష మా ప ణ), చెప్పండి 3 (చె ప్పం డి)
    # | రసీదు 3 (ర సీ దు), అడగండి 4 (అ డ గం డి): 19 aksharas in 5 words = 3.8
    r = reading("కస్టమర్‌కు క్షమాపణ చెప్పండి. రసీదు అడగండి.\n", "te")
    assert (r.metric, r.score, r.band) == (None, None, "not graded")
    assert (r.words, r.sentences) == (5, 2)
    assert r.details == {"aksharas": 19, "aksharas_per_word": 3.8}


def test_readability_of_an_empty_text_is_zero_not_a_crash():
    r = get_language("sv").readability([], 0)
    assert (r.score, r.words, r.words_per_sentence) == (0.0, 0, 0.0)


# -- R001 / R002: hard to read ---------------------------------------------------------------


EN_BUREAUCRATIC = (
    "In the event that a customer requests a refund for merchandise purchased more than "
    "thirty days previously, the representative should verify the original transaction in "
    "the point of sale system before proceeding. Refunds for items without documentation "
    "require the authorisation of the duty manager, who will determine whether an exception "
    "is appropriate. The representative must record the reason for the exception in the "
    "returns register. Customers who disagree with the decision may submit a complaint "
    "through the customer service department."
)
EN_BUREAUCRATIC_2 = (
    "After the manager has approved the refund, the representative should process the "
    "reimbursement using the original payment method, unless the customer explicitly "
    "requests an alternative arrangement. Any differences between the documentation and "
    "the condition of the merchandise must be reported to the regional operations "
    "coordinator."
)
EN_FAIRLY_DIFFICULT = (
    "If a customer wants a refund for an item bought more than thirty days ago, the "
    "representative should check the original sale in the till system first. Refunds for "
    "items without a receipt need the approval of the duty manager, who decides whether an "
    "exception is possible. Write the reason for the exception in the returns book. "
    "Customers who disagree with the decision can send a complaint to customer service."
)
EN_PLAIN = (
    "Ask the customer for the receipt. Check the date on it. If the item is less than 30 "
    "days old, give the money back. Put the item in the red box. Write the order number on "
    "the slip.\n\nIf there is no receipt, call the manager. The manager can look up the sale. "
    "Thank the customer and say goodbye."
)
SV_BYRAKRATISK = (
    "Med anledning av gällande konsumentlagstiftning ska handläggaren säkerställa att "
    "samtliga ersättningsanspråk dokumenteras i ärendehanteringssystemet innan "
    "återbetalningen verkställs. Reklamationer avseende produkter som inhandlats mer än "
    "trettio dagar tidigare förutsätter godkännande från ansvarig avdelningschef. "
    "Kundtjänstmedarbetaren ansvarar därefter för att kunden erhåller skriftlig "
    "bekräftelse beträffande handläggningstiden samt eventuella kompletteringsbehov.\n\n"
    "Vid avvikelser mellan inköpsdokumentationen och varans faktiska beskaffenhet ska "
    "handläggaren omedelbart underrätta den regionala verksamhetssamordnaren. "
    "Återbetalning verkställs därefter via det ursprungliga betalningsmedlet, såvida inte "
    "kunden uttryckligen begär ett alternativt tillvägagångssätt.\n\n"
    "Samtliga beslut avseende undantag från returpolicyn ska dokumenteras skriftligen i "
    "returregistret, inklusive motiveringen och ansvarig beslutsfattares identitet, för att "
    "möjliggöra efterföljande uppföljning och kvalitetssäkring."
)
SV_KLARSPRAK = (
    "Ta emot varan. Be om kvittot. Titta på datumet. Är varan köpt för mindre än en "
    "månad sedan? Ge då pengarna tillbaka.\n\nLägg varan i den röda lådan. Skriv numret på "
    "lappen. Saknas kvitto? Ring chefen. Hon kan se köpet i kassan. Tacka kunden och säg "
    "hej då."
)
NB_BYRAKRATISK = (
    "I forbindelse med behandlingen av reklamasjonssaker skal saksbehandleren kontrollere "
    "at samtlige erstatningskrav dokumenteres i saksbehandlingssystemet før "
    "tilbakebetalingen gjennomføres. Reklamasjoner vedrørende produkter som er anskaffet "
    "tidligere enn tretti dager forutsetter godkjenning fra ansvarlig avdelingsleder. "
    "Kundeservicemedarbeideren er deretter ansvarlig for at kunden mottar skriftlig "
    "bekreftelse angående saksbehandlingstiden og eventuelle dokumentasjonskrav.\n\n"
    "Ved avvik mellom kjøpsdokumentasjonen og varens faktiske tilstand skal "
    "saksbehandleren umiddelbart underrette den regionale driftskoordinatoren. "
    "Tilbakebetaling gjennomføres deretter via det opprinnelige betalingsmiddelet, med "
    "mindre kunden uttrykkelig ber om en alternativ fremgangsmåte.\n\n"
    "Samtlige beslutninger vedrørende unntak fra returpolicyen skal dokumenteres skriftlig "
    "i returregisteret, inkludert begrunnelsen og identiteten til ansvarlig "
    "beslutningstaker, for å muliggjøre etterfølgende oppfølging og kvalitetssikring."
)
NB_KLART_SPRAK = (
    "Ta imot varen. Be om kvitteringen. Se på datoen. Er varen kjøpt for mindre enn en "
    "måned siden? Gi pengene tilbake.\n\nLegg varen i den røde kassen. Skriv nummeret på "
    "lappen. Mangler kvittering? Ring sjefen. Hun kan se kjøpet i kassen. Takk kunden og "
    "si ha det."
)


def readability_findings(findings):
    return [(f.rule, f.severity, f.line, f.column) for f in findings if f.rule[0] == "R"]


def test_bureaucratic_english_section_and_document_are_errors():
    text = f"# Product returns\n\n## Late refunds\n\n{EN_BUREAUCRATIC}\n\n{EN_BUREAUCRATIC_2}\n"
    findings = lint(text, "en")
    assert readability_findings(findings) == [
        ("R002", Severity.ERROR, 1, 3),  # on the title
        ("R001", Severity.ERROR, 3, 4),  # on "## Late refunds"
    ]
    [section] = only(findings, "R001")
    # 125 words in 6 sentences (20.8 per sentence), 2.04 syllables per word
    assert section.message == (
        "Section “Late refunds” is very difficult to read (Flesch Reading Ease 13; aim for 60 "
        "or more): use shorter sentences (now 20.8 words on average) and shorter, everyday "
        "words (now 2.04 syllables per word)."
    )
    assert section.name == "hard-to-read-section"


def test_bureaucratic_english_document_message_names_score_and_averages():
    [finding] = only(lint(f"# Product returns\n\n{EN_BUREAUCRATIC}\n", "en"), "R002")
    # 80 words, 4 sentences: 20.0 words per sentence
    assert finding.message == (
        "This SOP is very difficult to read (Flesch Reading Ease 23; aim for 60 or more): use "
        "shorter sentences (now 20.0 words on average) and shorter, everyday words (now 1.94 "
        "syllables per word)."
    )
    assert finding.severity is Severity.ERROR


def test_fairly_difficult_english_is_a_warning():
    [finding] = only(lint(f"# Product returns\n\n{EN_FAIRLY_DIFFICULT}\n", "en"), "R002")
    assert finding.severity is Severity.WARNING
    assert "Flesch Reading Ease 52; aim for 60 or more" in finding.message
    assert "now 17.5 words on average" in finding.message  # 70 words, 4 sentences


def test_plain_english_passes_every_check():
    text = f"# Product returns\n\n## Refunds\n\n{EN_PLAIN}\n\n{EN_PLAIN}\n"
    assert lint(text, "en") == []


@pytest.mark.parametrize(
    ("lang", "heading", "text", "lix_score", "per_sentence", "long_share"),
    [
        # 6 sentences; sv: 100 words, 64 of them long; nb: 104 words, 61 long
        ("sv", "Sena returer", SV_BYRAKRATISK, 81, "16.7", 64),
        ("nb", "Sene returer", NB_BYRAKRATISK, 76, "17.3", 59),
    ],
)
def test_bureaucratic_nordic_section_and_document_are_errors(
    lang, heading, text, lix_score, per_sentence, long_share
):
    doc = f"# Returer\n\n## {heading}\n\n{text}\n"
    findings = lint(doc, lang)
    assert readability_findings(findings) == [
        ("R002", Severity.ERROR, 1, 3),
        ("R001", Severity.ERROR, 3, 4),
    ]
    [section] = only(findings, "R001")
    assert section.message == (
        f"Section “{heading}” is very difficult to read (LIX {lix_score}; aim for 40 or "
        f"less): use shorter sentences (now {per_sentence} words on average) and fewer long "
        f"words (now {long_share}% have more than 6 letters)."
    )


@pytest.mark.parametrize(("lang", "text"), [("sv", SV_KLARSPRAK), ("nb", NB_KLART_SPRAK)])
def test_plain_nordic_text_passes(lang, text):
    doc = f"# Returer\n\n## Återbetalning\n\n{text}\n\n{text}\n\n{text}\n"
    assert lint(doc, lang) == []


def test_section_under_min_words_is_not_graded():
    # Under 100 words in the section and 50 in the document: nothing is graded.
    text = "# Returns\n\n## Refunds\n\nReimbursement authorisation necessitates documentation.\n"
    assert lint(text, "en") == []


def test_title_section_is_graded_only_as_the_document():
    text = f"# Product returns\n\n{EN_BUREAUCRATIC}\n\n{EN_BUREAUCRATIC_2}\n"
    assert [f.rule for f in lint(text, "en") if f.rule[0] == "R"] == ["R002"]


def test_document_without_a_title_is_reported_at_its_first_body_line():
    text = f"---\nid: CS-001\n---\n{EN_BUREAUCRATIC}\n"
    [finding] = only(lint(text, "en"), "R002")
    assert (finding.line, finding.column) == (4, 1)


def test_readability_thresholds_are_configurable():
    # Flesch 22.6 is now above the error threshold (20) and below the warning one (30).
    rule = {"flesch-warning-below": 30, "flesch-error-below": 20}
    config = {"rules": {"hard-to-read-document": rule}}
    [finding] = only(lint(f"# Product returns\n\n{EN_BUREAUCRATIC}\n", "en", config), "R002")
    assert finding.severity is Severity.WARNING
    assert "(Flesch Reading Ease 23; aim for 30 or more)" in finding.message
    config = {"rules": {"R002": {"min-words": 81}}}
    assert only(lint(f"# Product returns\n\n{EN_BUREAUCRATIC}\n", "en", config), "R002") == []


def test_lix_thresholds_are_configurable():
    text = f"# Returer\n\n{SV_KLARSPRAK}\n\n{SV_KLARSPRAK}\n"
    config = {"rules": {"R002": {"lix-warning-above": 10, "lix-error-above": 12}}}
    [finding] = only(lint(text, "sv", config), "R002")
    assert finding.severity is Severity.ERROR
    assert "(LIX 13; aim for 10 or less)" in finding.message


# -- R003 / S004: languages without a score --------------------------------------------------


TELUGU_COMPLAINTS = sop(
    """
    ---
    title: ఫిర్యాదుల నిర్వహణ
    lang: te
    ---
    # ఫిర్యాదుల నిర్వహణ

    కస్టమర్ ఫోన్ చేసినప్పుడు ఓపికగా వినండి. కస్టమర్‌కు క్షమాపణ చెప్పండి.

    1. కస్టమర్ పేరు మరియు ఫోన్ నంబర్ అడగండి.
    2. రసీదు నంబర్ రిజిస్టర్‌లో రాయండి.
    3. ఫిర్యాదును కంప్యూటర్‌లో నమోదు చేయండి.
    4. ఫిర్యాదు నంబర్ కస్టమర్‌కు చెప్పండి.

    వాహనం రోడ్డు మీద ఆగిపోతే టో ట్రక్ పంపండి. వాహనం ఎక్కడ ఉందో కస్టమర్‌ను అడగండి.
    డ్రైవర్ పేరు మరియు ఫోన్ నంబర్ కస్టమర్‌కు తెలియజేయండి.

    సమస్య పరిష్కారం కాకపోతే టోల్ ఫ్రీ నంబర్‌కు కాల్ చేయమని చెప్పండి. మేనేజర్ రెండు రోజుల్లో కస్టమర్‌కు తిరిగి ఫోన్ చేస్తారు.
    """
)


def test_telugu_sop_gets_one_info_with_words_per_sentence_and_aksharas_per_word():
    findings = lint(TELUGU_COMPLAINTS, "en")  # front matter says te
    assert [(f.rule, f.severity, f.line, f.column) for f in findings] == [
        ("R003", Severity.INFO, 5, 3)
    ]
    # 61 words in 11 sentences (headings not counted): 5.5 words per sentence.
    assert findings[0].message.startswith(
        "Readability is not graded for Telugu yet: 5.5 words per sentence, "
    )
    assert findings[0].message.endswith(" aksharas per word (61 words).")


def test_telugu_info_numbers_for_a_short_text_worked_by_hand():
    # 5 words, 2 sentences = 2.5 per sentence; 19 aksharas / 5 words = 3.80 (see above)
    text = "కస్టమర్‌కు క్షమాపణ చెప్పండి. రసీదు అడగండి.\n"
    [finding] = lint(text, "te", {"rules": {"readability-not-graded": {"min-words": 5}}})
    assert finding.message == (
        "Readability is not graded for Telugu yet: 2.5 words per sentence, 3.80 aksharas per "
        "word (5 words)."
    )
    assert (finding.line, finding.column) == (1, 1)


def test_short_telugu_text_gets_no_info():
    assert lint("కస్టమర్‌కు క్షమాపణ చెప్పండి.\n", "te") == []


def test_r003_never_fires_for_graded_languages():
    for lang, text in (("en", EN_PLAIN), ("sv", SV_KLARSPRAK), ("nb", NB_KLART_SPRAK)):
        config = {"rules": {"R003": {"min-words": 1}}}
        assert only(lint(text, lang, config), "R003") == []


def test_unsupported_language_is_reported_once_at_the_lang_line():
    text = sop(
        """
        ---
        title: Rücksendungen
        lang: de
        ---
        # Rücksendungen

        Nehmen Sie die Ware entgegen. Prüfen Sie den Kassenbon.
        """
    )
    findings = lint(text)
    assert [(f.rule, f.name, f.severity, f.line) for f in findings] == [
        ("S004", "unsupported-language", Severity.INFO, 3)
    ]
    assert findings[0].message == (
        "Language 'de' is not supported: readability and other language checks were skipped; "
        "supported: en, sv, nb, te."
    )


def test_unsupported_language_still_gets_structure_checks():
    steps = "\n".join(f"{n}. Prüfen Sie den Kassenbon." for n in range(1, 17))
    findings = lint(f"---\nlang: de\n---\n# Rücksendungen\n\n{steps}\n")
    assert [f.rule for f in findings] == ["S004", "B003"]
