"""What the Swedish and Norwegian verb rules offer to write instead, case by case.

A rewrite is offered only when every word it produces is a form the lexicon knows for that
verb (an imperative or a present tense), the sentence keeps its object and condition, and
no modal is left behind; otherwise the finding explains without one. Each row is a step or
a paragraph sentence, the rule, and the exact rewrite (``None``: a finding without a
rewrite; ``NO_FINDING``: the sentence is correct as written). The first rows of each table
are the bad rewrites editors found on real routines (issue 8), in sentences of our own.
"""

from __future__ import annotations

import pytest

from sop_lint import check_text
from sop_lint.config import parse_config

PROCEDURE = {"sv": "Utförande", "nb": "Fremgangsmåte"}
NO_FINDING = "no finding"

SWEDISH = [
    # "skulle" is a conditional, not a past to rewrite as "skolar"
    ("paragraph", "Berätta vad du skulle vilja ändra i rutinen.", "past-tense", NO_FINDING),
    # nouns are not past verbs
    ("paragraph", "Brukare med diabetes får extra mellanmål.", "past-tense", NO_FINDING),
    ("paragraph", "Den närståendes önskemål dokumenteras.", "past-tense", NO_FINDING),
    ("paragraph", "Servera vispgrädde till efterrätten.", "past-tense", NO_FINDING),
    # "så snart som möjligt" is not a future time, so "ska" is no future (rewrite "såar")
    ("paragraph", "Avvikelsen ska rapporteras så snart som möjligt.", "future-tense", NO_FINDING),
    ("paragraph", "Rapporten ska lämnas senare än fredag.", "future-tense", NO_FINDING),
    # "kris" and "MAS" are not s-passives (rewrite "Kri på vid.")
    ("step", "Ring MAS vid kris.", "passive-voice", NO_FINDING),
    # an agent becomes the subject, not the reader: no rewrite
    ("step", "Krisen hanteras av enhetschefen.", "passive-voice", None),
    # "förs" is read as a form of the preposition "före": no rewrite ("Före teststickan.")
    ("step", "Teststickan förs mot bloddroppen.", "passive-voice", NO_FINDING),
    # -ar verbs keep their -a in the imperative ("Skick", "Bok in", "Lämn")
    ("step", "Kvittot skickas till kunden.", "passive-voice", "Skicka kvittot till kunden."),
    ("step", "Tiden bokas i kalendern.", "passive-voice", "Boka tiden i kalendern."),
    ("step", "Nyckeln lämnas i receptionen.", "passive-voice", "Lämna nyckeln i receptionen."),
    # -er verbs take the stem, and a particle stays with its verb
    ("step", "Kvittot skrivs ut vid kassan.", "passive-voice", "Skriv ut kvittot vid kassan."),
    # a second finite clause would stay passive after the rewrite: explain instead
    (
        "step",
        "Varan läggs på returhyllan och sedan registreras returen i kassan.",
        "passive-voice",
        None,
    ),
    # a prefixed strong past is a past too ("beskrev" like "skrev"), rewritten by its lemma
    ("paragraph", "Rutinen beskrev hur kassan stängs.", "past-tense", "beskriver"),
    # a definite plural noun is not a compound imperative ("nycklarna": "klarna"), so the
    # past passive after it is narration
    ("paragraph", "Nycklarna förvarades i ett låst skåp.", "past-tense", "förvaras"),
    # "spara" is an -ar verb ("Spar" is old-fashioned), and "alltid" stays with the verb
    (
        "step",
        "Personalen måste alltid spara kvittot.",
        "modal-instead-of-imperative",
        "Spara alltid kvittot.",
    ),
    # "åk" is the imperative of "åka": the step instructs after its condition
    ("step", "Om brukaren inte svarar, åk dit direkt.", "step-not-imperative", NO_FINDING),
    # "var" before a number is "every", not "was" ("är 15:e minut")
    ("step", "Titta till brukaren var 15:e minut under natten.", "past-tense", NO_FINDING),
    # a relative clause without "som": what the user said then stays in the past
    ("step", "Skriv det brukaren sa inom citattecken.", "past-tense", NO_FINDING),
    # a participle after its noun, before its preposition
    (
        "paragraph",
        "Anteckningar från möten relaterade till brukaren sparas i akten.",
        "past-tense",
        NO_FINDING,
    ),
    # a dated note records what happened then
    (
        "paragraph",
        "Rutinen reviderades 2024-03-01. Avsnittet om nycklar lades till.",
        "past-tense",
        NO_FINDING,
    ),
    # a term's origin stays true in the past: "uppstod" is not narration
    ("paragraph", "Förkortningen uppstod i det gamla systemet.", "past-tense", NO_FINDING),
    # inline code would be lost from a rewrite built from words: explain instead
    ("step", "Returen registreras i `POS`.", "passive-voice", None),
    # a trailing hyphen would be lost too
    ("step", "Remissen skickas till hälso- och sjukvården.", "passive-voice", None),
    # modals: the condition stays, the reader or a role noun is addressed
    ("step", "Du ska ringa skiftledaren.", "modal-instead-of-imperative", "Ring skiftledaren."),
    (
        "step",
        "Om kunden saknar kvitto, ska personalen erbjuda ett tillgodokvitto.",
        "modal-instead-of-imperative",
        "Om kunden saknar kvitto, erbjud ett tillgodokvitto.",
    ),
    (
        "step",
        "Du ska ringa kunden och skicka kvittot.",
        "modal-instead-of-imperative",
        "Ring kunden och skicka kvittot.",
    ),
    # a second infinitive would be left behind ("Hör ... och utföra åtgärder")
    ("step", "Du ska lyssna på brukaren och utföra åtgärder.", "modal-instead-of-imperative", None),
    # someone else's ability is not the reader's duty
    (
        "step",
        "Larmcentralen kan nu höra vad som händer.",
        "modal-instead-of-imperative",
        NO_FINDING,
    ),
    # "ska ske": an expected event, not an instruction
    ("step", "Vid behov ska rekrytering ske.", "modal-instead-of-imperative", NO_FINDING),
    # past tense: narration in a main clause is rewritten with a present form the lexicon knows
    ("paragraph", "Personalen kontrollerade kvittot.", "past-tense", "kontrollerar"),
    ("paragraph", "Kassören gav kunden en kopia.", "past-tense", "ger"),
    ("paragraph", "Rutinen beslutades av nämnden.", "past-tense", "beslutas"),
    # ... but not in subordinate clauses, after check verbs, or dated history
    ("step", "Kontrollera att dosen som gavs är dokumenterad.", "past-tense", NO_FINDING),
    ("paragraph", "Om brukaren föll ska sjuksköterskan kontaktas.", "past-tense", NO_FINDING),
    ("paragraph", "Dokumentet beslutades den 2024-03-02.", "past-tense", NO_FINDING),
    ("paragraph", "Notera vilken åtgärd ni gjorde.", "past-tense", NO_FINDING),
    # future: a real future time; the present keeps the passive voice, "vara" becomes "är"
    (
        "paragraph",
        "Personalen kommer att informeras nästa vecka.",
        "future-tense",
        "informeras",
    ),
    ("paragraph", "Samtalet kommer att vara kort.", "future-tense", "är"),
    # a relative clause inside the subject does not hide the main verb
    (
        "paragraph",
        "Kläder som inte kan tvättas kommer att vädras utomhus.",
        "future-tense",
        "vädras",
    ),
    # a future inside an indirect question is what the sentence reports
    (
        "paragraph",
        "Fråga vilket sjukhus brukaren kommer att åka till.",
        "future-tense",
        NO_FINDING,
    ),
    ("paragraph", "Koordinatorn kommer att registrera frånvaron.", "future-tense", "registrerar"),
]

NORWEGIAN = [
    # "vil bli" is a future whatever the sentence's time words
    ("paragraph", "Klienten vil bli aktivert innen to dager.", "future-tense", "blir"),
    # an adverb before "vil" would stand before "blir" ("kun blir"): no rewrite
    ("paragraph", "Nøkkelen kun vil bli brukt ved innlogging.", "future-tense", None),
    # "deretter" orders what one action is done to; a second action needs its own verb
    (
        "step",
        "Prioriter folkebibliotek i fylket, deretter Nasjonalbiblioteket.",
        "multiple-actions-in-step",
        NO_FINDING,
    ),
    # was wrong ("Skan"): a double n stays in the imperative; only m and r are simplified
    (
        "step",
        "Du må skanne QR-koden med appen.",
        "modal-instead-of-imperative",
        "Skann QR-koden med appen.",
    ),
    (
        "step",
        "Du må glemme det gamle passordet.",
        "modal-instead-of-imperative",
        "Glem det gamle passordet.",
    ),
    ("paragraph", "Du skulle ha fått en e-post.", "past-tense", NO_FINDING),
    ("paragraph", "Grensesnittet viser status.", "past-tense", NO_FINDING),
    ("paragraph", "Saken skal behandles så snart som mulig.", "future-tense", NO_FINDING),
    ("step", "Sjekk at meldingen ble sendt.", "past-tense", NO_FINDING),
    ("step", "Kontroller at brukeren som sendte meldingen får svar.", "past-tense", NO_FINDING),
    ("paragraph", "Brukeren sendte meldingen.", "past-tense", "sender"),
    ("step", "Meldingen sendes til mottakeren.", "passive-voice", "Send meldingen til mottakeren."),
    (
        "step",
        "Skjemaet lastes ned fra portalen.",
        "passive-voice",
        "Last ned skjemaet fra portalen.",
    ),
    # "åpne" has no shorter imperative ("åpn" is not a word)
    ("step", "Du skal åpne skjemaet.", "modal-instead-of-imperative", "Åpne skjemaet."),
    ("step", "Du skal sjekke kvitteringen.", "modal-instead-of-imperative", "Sjekk kvitteringen."),
    # a second infinitive would be left behind
    ("step", "Du skal sende meldingen og vente på svar.", "modal-instead-of-imperative", None),
    ("paragraph", "Systemet kommer til å sende en SMS.", "future-tense", "sender"),
    # the future time must belong to the modal's own clause
    (
        "paragraph",
        "Versjonen vil økes dersom noe fjernes i senere versjon.",
        "future-tense",
        NO_FINDING,
    ),
    ("paragraph", "Butikken skal åpne igjen i morgen.", "future-tense", "åpner"),
]


def _finding(lang: str, context: str, text: str, rule: str):
    # Two instructions around the step make its list a procedure whatever the step says.
    if context == "step":
        first, last = (
            ("Ring kunden.", "Skriv under.") if lang == "sv" else ("Ring kunden.", "Lagre.")
        )
        body = f"## {PROCEDURE[lang]}\n\n1. {first}\n2. {text}\n3. {last}"
    else:
        body = text
    markdown = f"---\nlang: {lang}\n---\n# SOP\n\n{body}\n"
    found = [f for f in check_text(markdown, config=parse_config({})) if f.name == rule]
    assert len(found) <= 1, [f.message for f in found]
    return found[0] if found else None


def _rewrite_in(message: str) -> str | None:
    """The text between the last pair of curly quotes after a colon, if the message has one."""
    _, colon, tail = message.rpartition(": \u201c")
    if not colon:
        _, colon, tail = message.rpartition(": write \u201c")
    if not colon:
        return None
    return tail.rsplit("\u201d", 1)[0]


@pytest.mark.parametrize(
    ("lang", "context", "text", "rule", "expected"),
    [("sv", *row) for row in SWEDISH] + [("nb", *row) for row in NORWEGIAN],
)
def test_rewrite_is_exactly_right_or_absent(lang, context, text, rule, expected):
    finding = _finding(lang, context, text, rule)
    if expected == NO_FINDING:
        assert finding is None, finding.message
        return
    assert finding is not None, text
    assert _rewrite_in(finding.message) == expected, finding.message
    assert (finding.suggestion is None) == (expected is None)


def test_bullets_that_give_examples_of_what_happened_keep_their_past_tense():
    text = (
        "---\nlang: sv\n---\n# Avvikelser\n\n## Syfte\n\nExempel på avvikelser:\n\n"
        "- brukaren blev inte informerad om en ändrad tid\n"
        "- insatsen uteblev en hel dag\n"
    )
    assert [f.rule for f in check_text(text, lang="sv") if f.rule == "P001"] == []
