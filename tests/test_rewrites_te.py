"""Telugu: what the verb rules report, and the rewrites they offer.

A rewrite keeps the whole step (its object, its condition, its other words) and changes
only the verb; where the new verb could change who acts or what the step means, the
finding explains without a rewrite. Issue 8 found rewrites that kept only the bare verb
("ఇవ్వండి" for a whole step) and nouns reported as past verbs; both are cases here.
"""

from __future__ import annotations

import pytest

from sop_lint import check_text

VERB_RULES = {
    "past-tense",
    "future-tense",
    "modal-instead-of-imperative",
    "step-not-imperative",
    "passive-voice",
    "multiple-actions-in-step",
}


def findings(text: str, step: bool = True) -> list:
    body = f"## విధానం\n\n1. {text}" if step else text
    markdown = f"---\nlang: te\n---\n# SOP\n\n{body}\n"
    return [f for f in check_text(markdown) if f.name in VERB_RULES]


@pytest.mark.parametrize(
    ("step", "rule", "rewrite"),
    [
        # permission -వచ్చు for the reader: the object stays (was: only "ఇవ్వండి")
        (
            "సిబ్బంది స్టోర్ క్రెడిట్ ఇవ్వవచ్చు.",
            "modal-instead-of-imperative",
            "సిబ్బంది స్టోర్ క్రెడిట్ ఇవ్వండి.",
        ),
        (
            "మీరు హెల్ప్‌డెస్క్ టికెట్ తెరవవచ్చు.",
            "modal-instead-of-imperative",
            "మీరు హెల్ప్‌డెస్క్ టికెట్ తెరవండి.",
        ),
        # "it is best to" keeps the leading condition
        (
            "రోగికి అలర్జీ ఉంటే డాక్టర్‌ను సంప్రదించడం మంచిది.",
            "modal-instead-of-imperative",
            "రోగికి అలర్జీ ఉంటే డాక్టర్‌ను సంప్రదించండి.",
        ),
        # "will have to" keeps the time phrase and the object
        (
            "రీఫండ్‌కు ముందు మేనేజర్ అనుమతి తీసుకోవలసి ఉంటుంది.",
            "modal-instead-of-imperative",
            "రీఫండ్‌కు ముందు మేనేజర్ అనుమతి తీసుకోండి.",
        ),
        # "has to" in the present keeps the object
        (
            "దరఖాస్తుతో పాటు ఫోటో జతచేయవలసి ఉంది.",
            "modal-instead-of-imperative",
            "దరఖాస్తుతో పాటు ఫోటో జతచేయండి.",
        ),
        # the same in formal Telugu
        (
            "దరఖాస్తును మండల కార్యాలయంలో సమర్పించవలసి యున్నది.",
            "modal-instead-of-imperative",
            "దరఖాస్తును మండల కార్యాలయంలో సమర్పించండి.",
        ),
        # a passive obligative ("must be collected") is an instruction in other words
        (
            "రోగి నుండి రక్త నమూనా సేకరించబడాలి.",
            "passive-voice",
            "రోగి నుండి రక్త నమూనా సేకరించండి.",
        ),
    ],
)
def test_a_rewrite_keeps_the_whole_step_and_changes_only_the_verb(step, rule, rewrite):
    [finding] = [f for f in findings(step) if f.name == rule]
    assert finding.suggestion == f"Write \u201c{rewrite}\u201d"


@pytest.mark.parametrize(
    ("step", "rule"),
    [
        # the customer may ask: an imperative would instruct the customer
        ("కస్టమర్ రీఫండ్ కోరవచ్చు.", "modal-instead-of-imperative"),
        ("షిఫ్ట్ లీడ్ రీఫండ్‌ను ఆమోదించవచ్చు.", "modal-instead-of-imperative"),
        # the system installs the updates; "install them automatically" is wrong
        ("సిస్టమ్ అప్‌డేట్‌లు స్వయంచాలకంగా ఇన్‌స్టాల్ చేయబడతాయి.", "passive-voice"),
        # a status, not an instruction in disguise
        ("ఫారం విజయవంతంగా సమర్పించబడింది.", "passive-voice"),
        # who acts is named (చేత): the active step needs more than a new verb
        ("రిటర్న్ ఫారం కస్టమర్ చేత నింపబడాలి.", "passive-voice"),
    ],
)
def test_a_finding_without_a_safe_rewrite_explains_without_one(step, rule):
    [finding] = [f for f in findings(step) if f.name == rule]
    assert finding.suggestion is None
    assert finding.message.endswith(".")


@pytest.mark.parametrize(
    "sentence",
    [
        "ఈ స్థాయి రీఫండ్‌లకు మేనేజర్ ఆమోదం అవసరం.",  # స్థాయి "level" ends like వచ్చాయి
        "మా సంస్థకు సహకరించేవారు ఈ నియమాలు పాటించాలి.",  # agentive "those who contribute"
        "రిటర్న్ చేసినవారు కొత్త రసీదు పొందుతారు.",  # agentive on a past participle
        "కొనుగోలుదారు సంతకం లేని బిల్లులు చెల్లవు.",  # agentive -దారు
        "కింది దశలను క్రమంలో పాటించండి.",  # కింది "following" ends like చేసింది
        "తయారు చేసిన నివేదికను ప్రతి నెల 5వ తేదీలోగా సమర్పించాలి.",  # noun తయారు + verb
        "ఈ క్లినిక్‌లో రోజుకు సుమారు 200 మంది రోగులు వస్తారు.",  # సుమారు "about"
        "ఆ వార్డులో ముగ్గురు రోగులు ఉన్నారు.",  # ఉన్నారు "there are"
        "ఈ ఫారం మళ్లీ నింపడానికి అవసరంలేదు.",  # noun + లేదు "there is no need"
        "ఈ సేవకు రుసుము ఒక రూపాయి.",  # రూపాయి "rupee" ends like వచ్చాయి
        "శిక్షణకు ఉపయోగించే ప్లాట్‌ఫాం.",  # a loanword in -ām, like చేశాం "we did"
        "కౌంటర్ వద్ద ఉండేవాడు టోకెన్ ఇస్తాడు.",  # agentive -ేవాడు; habitual ఇస్తాడు
        "రీఫండ్ ఎందుకు ఆలస్యమైంది?",  # a question
        "ఈ మార్గదర్శకం రిటర్న్ కౌంటర్ సిబ్బంది కోసం రూపొందించబడింది.",  # "is written for"
        "ఈ విధానాన్ని చివరిసారిగా 2024 మార్చిలో సమీక్షించారు.",  # dated revision record
        "ఈ మార్గదర్శకాలను జిల్లా కలెక్టర్ ఆమోదించారు.",  # this document's approval
    ],
)
def test_nouns_participles_questions_and_records_are_not_past_narration(sentence):
    assert findings(sentence, step=False) == []


@pytest.mark.parametrize(
    ("sentence", "verbs"),
    [
        ("చాలా మంది కస్టమర్లు రసీదు లేకుండా వచ్చారు.", ["వచ్చారు"]),
        ("డాక్టర్ రోగిని పరీక్షించారు, మందులు రాశారు.", ["పరీక్షించారు", "రాశారు"]),
        ("దాంతో మూడు రోజుల పాటు ఇమెయిల్ సర్వర్ పనిచేయలేదు.", ["పనిచేయలేదు"]),
        ("రోగులు టోకెన్ తీసుకున్నారు.", ["తీసుకున్నారు"]),
        ("ఆ ఉద్యోగి పాత పాస్‌వర్డ్‌నే మళ్లీ వాడాడు.", ["వాడాడు"]),
    ],
)
def test_past_narration_is_reported_at_each_finite_past_verb(sentence, verbs):
    found = findings(sentence, step=False)
    assert [f.name for f in found] == ["past-tense"] * len(verbs)
    assert [f.source_line[f.column - 1 : f.span.end_column - 1] for f in found] == verbs


@pytest.mark.parametrize(
    ("step", "flagged"),
    [
        ("దరఖాస్తుదారు ఆధార్ కార్డు నకలును జతచేయవలెను.", False),  # formal obligative
        ("USB డ్రైవ్‌లను కార్యాలయ కంప్యూటర్లలో ఉపయోగించరాదు.", False),  # formal "must not"
        ("సర్వర్ రూమ్‌లోకి ఆహార పదార్థాలు తీసుకెళ్లొద్దు.", False),  # negative -ొద్దు
        ("ఆన్‌లైన్ పోర్టల్‌లో లాగిన్ చేయండి", False),  # no full stop, still an instruction
        ("ఆదాయ ధృవీకరణ పత్రం", False),  # a document to bring, in a list without full stops
        ("రసీదు తనిఖీ.", True),  # a heading written as a step
        ("కస్టమర్ రిటర్న్ ఫారం నింపుతారు.", True),  # describes, does not instruct
        ("దరఖాస్తును కార్యాలయ సమయంలో సమర్పించగలరు.", False),  # formal "kindly submit"
        ("పత్రాలను సమర్పించవలసినదిగా కోరడమైనది.", False),  # "you are requested to submit"
        ("దరఖాస్తులను జిల్లా కార్యాలయానికి పంపించుడు.", False),  # formal imperative
        ("ఫీడ్‌బ్యాక్ ఫారం నింపండి (ఐచ్ఛికం).", False),  # a closing aside is not the verb
        ("ఫీడ్‌బ్యాక్ ఫారం (ఐచ్ఛికం).", True),
    ],
)
def test_a_step_ends_in_an_instruction(step, flagged):
    names = {f.name for f in findings(step)}
    assert ("step-not-imperative" in names) is flagged
