"""Labels the site adds around the SOPs (header, home page, dashboard), per language.

Material translates its own interface (search box, navigation) from ``theme.language``;
these are the words sop-lint adds. A label missing in a language falls back to English.
"""

from __future__ import annotations

LANGUAGE_NAMES = {"en": "English", "sv": "Svenska", "nb": "Norsk bokmål", "te": "తెలుగు"}

# Material's theme.language, and the lunr languages Material's search needs per language.
# Telugu: lunr.te needs the word segmentation that lunr.hi brings ("hi" first).
THEME_LANGUAGE = {"en": "en", "sv": "sv", "nb": "nb", "te": "te"}
SEARCH_LANGUAGES = {"en": ["en"], "sv": ["sv"], "nb": ["no"], "te": ["hi", "te"]}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "id": "ID",
        "version": "Version",
        "status": "Status",
        "owner": "Owner",
        "effective": "Effective",
        "review": "Next review",
        "language": "Language",
        "branch": "Branch",
        "overdue": "overdue",
        "due_soon": "due soon",
        "also_in": "Also in",
        "home": "Home",
        "procedures": "Procedures",
        "procedures_for": "Procedures for {branch}",
        "intro": "The standard operating procedures for {branch}, with this branch's "
        "phone numbers and details filled in.",
        "dashboard": "Dashboard",
        "dashboard_intro": "Every procedure for {branch} in {language}: its status, owner, "
        "next review, how easy it is to read, and what sop-lint found in it. "
        "Made on {today}.",
        "contact": "Branch details",
        "address": "Address",
        "phone": "Phone",
        "opening_hours": "Opening hours",
        "manager": "Manager",
        "emergency_phone": "Emergency",
        "towing_phone": "Towing",
        "title": "Procedure",
        "readability": "Readability",
        "findings": "Findings",
        "no_findings": "none",
        "chart_readability": "Readability per procedure",
        "chart_reviews": "Reviews due in the coming year",
        "chart_reviews_axis": "procedures due",
        "target": "target",
        "not_graded": "not graded",
        "words_per_sentence": "words per sentence",
        "overdue_column": "overdue",
        "none_published": "No procedures are published for this branch in this language.",
        "all_branches": "All branches",
        "guide": "sop-lint guide (for writers)",
        "summary": "{count} procedures; {overdue} overdue for review; {findings} findings.",
        "section_intro": "The procedures in {section} for {branch}.",
    },
    "sv": {
        "id": "ID",
        "version": "Version",
        "status": "Status",
        "owner": "Ägare",
        "effective": "Gäller från",
        "review": "Nästa granskning",
        "language": "Språk",
        "branch": "Kontor",
        "overdue": "försenad",
        "due_soon": "snart",
        "also_in": "Även på",
        "home": "Hem",
        "procedures": "Rutiner",
        "procedures_for": "Rutiner för {branch}",
        "intro": "Rutinerna för {branch}, med kontorets telefonnummer och uppgifter ifyllda.",
        "dashboard": "Översikt",
        "dashboard_intro": "Alla rutiner för {branch} på {language}: status, ägare, nästa "
        "granskning, hur lätta de är att läsa och vad sop-lint hittade. Skapad {today}.",
        "contact": "Kontorets uppgifter",
        "address": "Adress",
        "phone": "Telefon",
        "opening_hours": "Öppettider",
        "manager": "Chef",
        "emergency_phone": "Nödnummer",
        "towing_phone": "Bärgning",
        "title": "Rutin",
        "readability": "Läsbarhet",
        "findings": "Fynd",
        "no_findings": "inga",
        "chart_readability": "Läsbarhet per rutin",
        "chart_reviews": "Granskningar det kommande året",
        "chart_reviews_axis": "rutiner",
        "target": "mål",
        "not_graded": "inte bedömd",
        "words_per_sentence": "ord per mening",
        "overdue_column": "försenade",
        "none_published": "Inga rutiner publiceras för det här kontoret på det här språket.",
        "summary": "{count} rutiner; {overdue} försenade granskningar; {findings} fynd.",
        "section_intro": "Rutinerna i {section} för {branch}.",
    },
    "nb": {
        "id": "ID",
        "version": "Versjon",
        "status": "Status",
        "owner": "Eier",
        "effective": "Gjelder fra",
        "review": "Neste gjennomgang",
        "language": "Språk",
        "branch": "Kontor",
        "overdue": "forsinket",
        "due_soon": "snart",
        "also_in": "Også på",
        "home": "Hjem",
        "procedures": "Rutiner",
        "procedures_for": "Rutiner for {branch}",
        "intro": "Rutinene for {branch}, med kontorets telefonnumre og opplysninger fylt inn.",
        "dashboard": "Oversikt",
        "dashboard_intro": "Alle rutiner for {branch} på {language}: status, eier, neste "
        "gjennomgang, hvor lette de er å lese og hva sop-lint fant. Laget {today}.",
        "contact": "Kontorets opplysninger",
        "address": "Adresse",
        "phone": "Telefon",
        "opening_hours": "Åpningstider",
        "manager": "Leder",
        "emergency_phone": "Nødnummer",
        "towing_phone": "Berging",
        "title": "Rutine",
        "readability": "Lesbarhet",
        "findings": "Funn",
        "no_findings": "ingen",
        "chart_readability": "Lesbarhet per rutine",
        "chart_reviews": "Gjennomganger det kommende året",
        "chart_reviews_axis": "rutiner",
        "target": "mål",
        "not_graded": "ikke vurdert",
        "words_per_sentence": "ord per setning",
        "overdue_column": "forsinket",
        "none_published": "Ingen rutiner publiseres for dette kontoret på dette språket.",
        "summary": "{count} rutiner; {overdue} forsinkede gjennomganger; {findings} funn.",
        "section_intro": "Rutinene i {section} for {branch}.",
    },
    "te": {
        "id": "ఐడి",
        "version": "వెర్షన్",
        "status": "స్థితి",
        "owner": "బాధ్యులు",
        "effective": "అమలు తేదీ",
        "review": "తదుపరి సమీక్ష",
        "language": "భాష",
        "branch": "శాఖ",
        "overdue": "గడువు దాటింది",
        "due_soon": "త్వరలో",
        "also_in": "ఇతర భాషల్లో",
        "home": "హోమ్",
        "procedures": "విధానాలు",
        "procedures_for": "{branch} విధానాలు",
        "intro": "{branch} శాఖ ప్రామాణిక నిర్వహణ విధానాలు, ఈ శాఖ ఫోన్ నంబర్లు మరియు వివరాలతో.",
        "dashboard": "డాష్‌బోర్డ్",
        "contact": "శాఖ వివరాలు",
        "address": "చిరునామా",
        "phone": "ఫోన్",
        "opening_hours": "పని వేళలు",
        "manager": "మేనేజర్",
        "emergency_phone": "అత్యవసరం",
        "towing_phone": "టోయింగ్",
        "title": "విధానం",
        "readability": "చదవడానికి సులభత",
        "findings": "గుర్తించినవి",
        "no_findings": "ఏమీ లేవు",
        "not_graded": "గ్రేడ్ చేయలేదు",
        "overdue_column": "గడువు దాటినవి",
        "section_intro": "{branch} శాఖలో {section} విభాగంలోని విధానాలు.",
    },
}

STATUS = {
    "en": {
        "draft": "Draft",
        "in-review": "In review",
        "review": "In review",
        "approved": "Approved",
        "effective": "Effective",
        "retired": "Retired",
        "superseded": "Superseded",
    },
    "sv": {
        "draft": "Utkast",
        "in-review": "Granskas",
        "review": "Granskas",
        "approved": "Godkänd",
        "effective": "Gällande",
        "retired": "Upphävd",
        "superseded": "Ersatt",
    },
    "nb": {
        "draft": "Utkast",
        "in-review": "Til gjennomgang",
        "review": "Til gjennomgang",
        "approved": "Godkjent",
        "effective": "Gjeldende",
        "retired": "Opphevet",
        "superseded": "Erstattet",
    },
    "te": {
        "draft": "ముసాయిదా",
        "approved": "ఆమోదించబడింది",
        "effective": "అమలులో ఉంది",
        "retired": "రద్దు చేయబడింది",
    },
}

BANDS = {
    "sv": {
        "very easy": "mycket lätt",
        "easy": "lätt",
        "medium": "medelsvår",
        "difficult": "svår",
        "very difficult": "mycket svår",
    },
    "nb": {
        "very easy": "svært lett",
        "easy": "lett",
        "medium": "middels",
        "difficult": "vanskelig",
        "very difficult": "svært vanskelig",
    },
    "te": {"not graded": "గ్రేడ్ చేయలేదు"},
}

MONTHS = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
    "sv": "jan feb mar apr maj jun jul aug sep okt nov dec".split(),
    "nb": "jan feb mar apr mai jun jul aug sep okt nov des".split(),
    "te": "జన ఫిబ్ర మార్చి ఏప్రి మే జూన్ జూలై ఆగ సెప్టెం అక్టో నవం డిసెం".split(),
}


def label(lang: str, key: str, **values: object) -> str:
    """The label ``key`` in ``lang`` (English when missing), with ``{names}`` filled in."""
    text = LABELS.get(lang, {}).get(key) or LABELS["en"][key]
    return text.format(**values) if values else text


def status_label(lang: str, status: str) -> str:
    key = status.strip().lower()
    return STATUS.get(lang, {}).get(key) or STATUS["en"].get(key) or status


def band_label(lang: str, band: str) -> str:
    return BANDS.get(lang, {}).get(band, band)
