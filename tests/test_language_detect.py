"""Language never silently wrong: ``--lang``, S005 language-mismatch, overrides that match
nothing, and the function-word profile behind S005."""

from __future__ import annotations

import json

import pytest
from conftest import lint, only, sop

from sop_lint.languages.detect import MIN_WORDS, plain_language, profile

RETURNS_EN = sop(
    """
    # Product returns

    A customer may return an unused product within 30 days of the purchase. The store
    gives the money back in the same way the customer paid, or gives a credit note if the
    receipt is missing and the manager agrees to it.

    1. Ask the customer for the receipt and the card they paid with.
    2. Check that the product is not damaged and that all of its parts are in the box.
    3. Write the order number on the return slip and put the slip in the box.
    4. Give the money back, or call the store manager if there is no receipt.
    """
)
RETUR_SV = sop(
    """
    # Hantera en retur

    Kunden får lämna tillbaka en oanvänd vara inom 30 dagar efter köpet. Butiken ger
    pengarna tillbaka på samma sätt som kunden betalade, eller ett tillgodokvitto om
    kvittot saknas och butikschefen godkänner det.

    1. Be kunden om kvittot och kortet som användes vid köpet.
    2. Kontrollera att varan inte är skadad och att alla delar finns i kartongen.
    3. Skriv ordernumret på returlappen och lägg lappen i kartongen.
    4. Ge pengarna tillbaka, eller ring butikschefen om kvitto saknas.
    """
)
RETUR_NB = sop(
    """
    # Behandle en retur

    Kunden kan levere tilbake en ubrukt vare innen 30 dager etter kjøpet. Butikken gir
    pengene tilbake på samme måte som kunden betalte, eller et tilgodebevis hvis
    kvitteringen mangler og butikksjefen godtar det.

    1. Be kunden om kvitteringen og kortet som ble brukt ved kjøpet.
    2. Kontroller at varen ikke er skadet og at alle delene er i esken.
    3. Skriv ordrenummeret på returlappen og legg lappen i esken.
    4. Gi pengene tilbake, eller ring butikksjefen hvis kvitteringen mangler.
    """
)
# The same routine in Danish: close to Bokmål, and never claimed as it.
RETUR_DA = sop(
    """
    # Behandling af en returnering

    Kunden kan aflevere en ubrugt vare inden 30 dage efter købet. Butikken giver pengene
    tilbage på samme måde som kunden betalte, eller et tilgodebevis hvis kvitteringen
    mangler og butikschefen godkender det.

    1. Bed kunden om kvitteringen og kortet, som blev brugt ved købet.
    2. Kontroller at varen ikke er beskadiget og at alle dele af varen er i æsken.
    3. Skriv ordrenummeret på returlappen og læg lappen i æsken.
    4. Giv pengene tilbage, eller ring til butikschefen hvis der ikke er nogen kvittering.
    """
)
FIRYADU_TE = sop(
    """
    # ఫిర్యాదులు స్వీకరించడం

    కస్టమర్ ఫోన్ చేసినప్పుడు మర్యాదగా మాట్లాడండి. ఫిర్యాదు వివరాలను రిజిస్టర్‌లో రాయండి.
    రసీదు సంఖ్యను అడగండి. సమస్య తీవ్రంగా ఉంటే మేనేజర్‌కు వెంటనే తెలియజేయండి.

    1. కస్టమర్ పేరు, ఫోన్ నంబర్ మరియు చిరునామా రాయండి.
    2. ఫిర్యాదు ఏ ఉత్పత్తి గురించో అడిగి నమోదు చేయండి.
    3. ఫిర్యాదు సంఖ్యను కస్టమర్‌కు చెప్పండి.
    4. మూడు రోజులలో కస్టమర్‌కు మళ్ళీ ఫోన్ చేసి సమస్య పరిష్కారమైందో అడగండి.
    5. పరిష్కారం కాకపోతే ఫిర్యాదును మేనేజర్‌కు పంపండి మరియు కస్టమర్‌కు తెలియజేయండి.
    6. ప్రతి శుక్రవారం అన్ని ఫిర్యాదుల జాబితాను మేనేజర్‌కు పంపండి.
    """
)


def mismatch(text: str, lang: str) -> list[str]:
    return [f.message for f in only(lint(text, lang, {"select": ["S005"]}), "S005")]


# -- the profile ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [(RETURNS_EN, "en"), (RETUR_SV, "sv"), (RETUR_NB, "nb"), (FIRYADU_TE, "te")],
)
def test_each_supported_language_reads_as_itself(text, expected):
    assert plain_language([text]) == expected


def test_danish_is_claimed_as_no_language():
    found = profile([RETUR_DA])
    assert found.markers["nb"] > 0  # it does look like Bokmål ...
    assert found.language is None  # ... but "af", "nogen", "efter" say it may be Danish


def test_a_short_text_is_too_little_to_decide():
    short = "# Retur\n\n1. Ta emot varan och kontrollera kvittot.\n2. Ge pengarna tillbaka.\n"
    assert profile([short]).words < MIN_WORDS
    assert plain_language([short]) is None


def test_a_text_half_in_one_language_and_half_in_another_reads_as_neither():
    assert plain_language([RETURNS_EN, RETUR_SV]) is None


# -- S005 language-mismatch --------------------------------------------------------------------


def test_a_swedish_file_checked_as_english_gets_one_finding_saying_how_to_fix_it():
    assert mismatch(RETUR_SV, "en") == [
        "This file reads as Swedish, but is checked as English: add `lang: sv` to its front "
        "matter, or run with `--lang sv`."
    ]


@pytest.mark.parametrize(
    ("text", "lang", "reads_as"),
    [
        (RETURNS_EN, "sv", "English"),
        (RETUR_NB, "en", "Norwegian Bokmål"),
        (RETUR_SV, "nb", "Swedish"),
        (FIRYADU_TE, "en", "Telugu"),
        (RETURNS_EN, "te", "English"),
    ],
)
def test_every_supported_language_checked_as_another_is_reported(text, lang, reads_as):
    [message] = mismatch(text, lang)
    assert message.startswith(f"This file reads as {reads_as}, but is checked as ")


@pytest.mark.parametrize(
    ("text", "lang"),
    [(RETURNS_EN, "en"), (RETUR_SV, "sv"), (RETUR_NB, "nb"), (FIRYADU_TE, "te")],
)
def test_a_file_checked_in_its_own_language_gets_no_finding(text, lang):
    assert mismatch(text, lang) == []


def test_a_danish_file_is_never_reported_as_norwegian():
    assert mismatch(RETUR_DA, "en") == []
    assert mismatch(RETUR_DA, "sv") == []


def test_an_english_sop_quoting_a_swedish_sentence_is_english():
    quoting = RETURNS_EN + sop(
        """

        Swedish stores print this line on the slip, word for word:

        > Varan får lämnas tillbaka inom 30 dagar om kvittot och förpackningen finns kvar.
        """
    )
    assert mismatch(quoting, "en") == []


def test_code_is_not_prose_so_a_code_heavy_file_is_judged_by_its_few_words():
    script = "\n".join(
        f"echo 'the file {n} is not there and it will be made again'" for n in range(40)
    )
    text = f"# Säkerhetskopia\n\nKör skriptet varje kväll.\n\n```sh\n{script}\n```\n"
    assert mismatch(text, "sv") == []


def test_a_wrong_lang_in_the_front_matter_is_reported_at_that_line():
    text = "---\ntitle: Hantera en retur\nlang: en\n---\n" + RETUR_SV
    [finding] = only(lint(text, "sv", {"select": ["S005"]}), "S005")
    assert finding.span.line == 3
    assert finding.message == (
        "This file reads as Swedish, but its front matter says `lang: en`, so it is checked "
        "as English: change it to `lang: sv`."
    )


# -- --lang on check and stats -----------------------------------------------------------------


def test_lang_option_sets_the_language_of_files_without_lang(project, cli):
    project.write("docs/retur.md", RETUR_SV)
    as_english = cli("check", "docs", "--select", "S005", "--format", "json")
    assert [f["rule"] for f in json.loads(as_english.stdout)["findings"]] == ["S005"]
    as_swedish = cli("check", "docs", "--lang", "sv", "--select", "S005", "--format", "json")
    assert json.loads(as_swedish.stdout)["findings"] == []
    stats = json.loads(cli("stats", "docs", "--lang", "sv", "--format", "json").stdout)
    assert [d["language"] for d in stats["documents"]] == ["sv"]


def test_lang_option_overrides_the_configured_language_but_not_the_front_matter(project, cli):
    project.write("sop-lint.toml", 'language = "nb"\n')
    project.write("docs/retur.md", RETUR_SV)
    project.write("docs/returns.md", "---\nlang: en\n---\n" + RETURNS_EN)
    stats = json.loads(cli("stats", "docs", "--lang", "sv", "--format", "json").stdout)
    assert [(d["path"], d["language"]) for d in stats["documents"]] == [
        ("docs/retur.md", "sv"),
        ("docs/returns.md", "en"),
    ]


def test_lang_option_accepts_aliases(project, cli):
    project.write("docs/retur.md", RETUR_NB)
    stats = json.loads(cli("stats", "docs", "--lang", "no", "--format", "json").stdout)
    assert stats["documents"][0]["language"] == "nb"


def test_an_unknown_lang_is_a_one_line_usage_error_with_a_hint(project, cli):
    project.write("docs/retur.md", RETUR_SV)
    result = cli("check", "docs", "--lang", "sw")
    assert result.exit_code == 2
    assert result.stderr == (
        "sop-lint: error: --lang 'sw' is not a supported language; did you mean 'sv'? "
        "supported: en, nb, sv, te\n"
    )
    misspelt = cli("stats", "docs", "--lang", "norweigan")
    assert misspelt.exit_code == 2
    assert "did you mean 'nb'?" in misspelt.stderr


def test_a_mismatched_file_is_still_measured_in_the_language_in_force_and_stats_says_so(
    project, cli
):
    # Predictable output: the other rules and figures use the language in force (English,
    # so Flesch rather than LIX); the S005 warning says why they look odd and how to fix it.
    project.write("docs/retur.md", RETUR_SV)
    result = cli("stats", "docs", "--format", "json")
    assert result.exit_code == 0
    [document] = json.loads(result.stdout)["documents"]
    assert (document["language"], document["readability"]["metric"]) == ("en", "flesch")
    assert result.stderr == (
        "docs/retur.md:1:1: S005 This file reads as Swedish, but is checked as English: add "
        "`lang: sv` to its front matter, or run with `--lang sv`.\n"
    )


# -- overrides that match nothing --------------------------------------------------------------

SV_OVERRIDE = '[[overrides]]\npaths = ["{glob}"]\nlanguage = "sv"\n'


def test_an_override_glob_matching_no_checked_file_is_a_warning(project, cli):
    project.write("sop-lint.toml", SV_OVERRIDE.format(glob="docs/sv-SE/**"))
    project.write("docs/sv/retur.md", RETUR_SV)
    result = cli("check", "docs", "--select", "S005", "--fail-on", "error")
    assert result.exit_code == 0  # a warning, not an error: the exit code is the findings'
    assert result.stderr == (
        "sop-lint: warning: sop-lint.toml: override paths glob 'docs/sv-SE/**' matches no "
        'checked file; its `language = "sv"` applies nowhere\n'
    )


def test_an_override_that_matches_gives_no_warning(project, cli):
    project.write("sop-lint.toml", SV_OVERRIDE.format(glob="docs/sv/**"))
    project.write("docs/sv/retur.md", RETUR_SV)
    result = cli("check", "docs", "--select", "S005", "--format", "json")
    assert result.stderr == ""
    assert json.loads(result.stdout)["findings"] == []  # the override made it Swedish


def test_an_override_for_a_folder_not_checked_this_time_gives_no_warning(project, cli):
    project.write("sop-lint.toml", SV_OVERRIDE.format(glob="docs/sv/**"))
    project.write("docs/sv/retur.md", RETUR_SV)
    project.write("docs/en/returns.md", RETURNS_EN)
    result = cli("check", "docs/en", "--select", "S005")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_checking_one_file_does_not_warn_about_overrides_for_other_files(project, cli):
    project.write("sop-lint.toml", SV_OVERRIDE.format(glob="docs/**/sv/*.md"))
    project.write("docs/store/sv/retur.md", RETUR_SV)
    project.write("docs/store/en/returns.md", RETURNS_EN)
    result = cli("check", "docs/store/en/returns.md", "--select", "S005")
    assert (result.exit_code, result.stderr) == (0, "")


def test_an_override_for_a_folder_that_does_not_exist_is_a_warning_whatever_is_checked(
    project, cli
):
    project.write("sop-lint.toml", SV_OVERRIDE.format(glob="sv/*.md"))
    project.write("docs/sv/retur.md", RETUR_SV)
    result = cli("stats", "docs/sv", "--format", "json")
    assert "override paths glob 'sv/*.md' matches no checked file" in result.stderr
