"""terminology (W002): the organisation's glossary, one word for one thing.

A glossary is written for these tests the way a customer-service manager would write one:
the preferred term per language and the words to avoid, each with the preferred term in
the same form. The SOP texts are short store routines in the four languages.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, sop

from sop_lint import check_text
from sop_lint.config import ConfigError, parse_config
from sop_lint.rules.terminology import GlossaryError, graphemes, parse_glossary, same_form

GLOSSARY = """\
# Our words for the store routines
customer:
  note: we serve customers, whoever they are
  en:
    use: customer
    avoid:
      client: customer
      clients: customers
      client's: customer's
      patron:
  sv:
    use: kund
    avoid:
      klient: kund
      klienten: kunden
      klienter: kunder
      klienterna: kunderna
  nb:
    use: kunde
    avoid:
      klient: kunde
      klienten: kunden
      klienter: kunder
      klientene: kundene
  te:
    use: కస్టమర్
    avoid:
      క్లయింట్లు: కస్టమర్లు
    beginnings:
      - క్లయింట్
shift lead:
  en:
    use: shift lead
    avoid:
      shift supervisor: shift lead
"""


def glossary_config(tmp_path: Path, text: str = GLOSSARY, **extra) -> object:
    (tmp_path / "glossary.yml").write_text(text, encoding="utf-8")
    data = {"select": ["terminology"], "glossary": "glossary.yml", **extra}
    return parse_config(data, tmp_path / "sop-lint.toml")


def routine(lang: str, body: str) -> str:
    return f"---\nlang: {lang}\n---\n# Routine\n\n{body}\n"


@pytest.mark.parametrize(
    ("lang", "body", "written", "rewrite"),
    [
        ("en", "Give the clients their receipts at the till.", "clients", "customers"),
        ("en", "Client's bags stay at the door.", "Client's", "Customer's"),
        ("en", "Call the shift supervisor before a refund.", "shift supervisor", "shift lead"),
        ("sv", "Ge klienten kvittot och tacka för köpet.", "klienten", "kunden"),
        ("sv", "Klienterna väntar vid kassan tills du har kollat varan.", "Klienterna", "Kunderna"),
        ("nb", "Gi klientene kvitteringen før de går.", "klientene", "kundene"),
        ("te", "క్లయింట్లు రసీదు చూపించాలి.", "క్లయింట్లు", "కస్టమర్లు"),
    ],
)
def test_a_discouraged_word_gets_the_preferred_term_in_its_own_form(
    tmp_path, lang, body, written, rewrite
):
    [finding] = check_text(routine(lang, body), config=glossary_config(tmp_path))
    assert finding.rule == "W002"
    assert finding.line == 6
    assert finding.source_line[finding.column - 1 : finding.span.end_column - 1] == written
    assert finding.message.startswith(
        f"Write \u201c{rewrite}\u201d instead of \u201c{written}\u201d"
    )
    assert finding.suggestion == f"Replace \u201c{written}\u201d with \u201c{rewrite}\u201d."


def test_a_telugu_word_with_a_case_ending_is_found_by_its_beginning_without_a_rewrite(tmp_path):
    # క్లయింట్‌కు: "to the client"; the ending is joined to the word.
    text = routine("te", "రసీదును క్లయింట్‌కు ఇవ్వండి.")
    [finding] = check_text(text, config=glossary_config(tmp_path))
    assert finding.source_line[finding.column - 1 : finding.span.end_column - 1] == "క్లయింట్‌కు"
    assert "\u201cకస్టమర్\u201d" in finding.message
    assert "in the form the sentence needs" in finding.message
    assert finding.suggestion is None


def test_a_listed_telugu_form_matches_with_or_without_the_zero_width_joiner(tmp_path):
    glossary = GLOSSARY.replace(
        "      క్లయింట్లు: కస్టమర్లు\n", "      క్లయింట్లు: కస్టమర్లు\n      క్లయింట్కు: కస్టమర్‌కు\n"
    )
    config = glossary_config(tmp_path, glossary)
    for written in ("క్లయింట్‌కు", "క్లయింట్కు"):  # with ZWNJ, and without
        [finding] = check_text(routine("te", f"రసీదును {written} ఇవ్వండి."), config=config)
        assert finding.suggestion == f"Replace \u201c{written}\u201d with \u201cకస్టమర్‌కు\u201d."


def test_word_beginnings_match_whole_letters_only():
    # The beginning "కస" is not the start of "కస్టమర్": its last letter is స్ట there.
    assert graphemes("కస్టమర్")[:2] != graphemes("కస")
    assert graphemes("క్లయింట్‌కు")[:3] == graphemes("క్లయింట్")


def test_an_avoided_word_without_a_form_is_flagged_without_a_rewrite(tmp_path):
    [finding] = check_text(
        routine("en", "Greet every patron at the door."), config=glossary_config(tmp_path)
    )
    assert "write \u201ccustomer\u201d instead of \u201cpatron\u201d" in finding.message
    assert finding.suggestion is None


def test_capitals_are_kept_in_the_rewrite():
    assert same_form("CLIENTS", "customers") == "CUSTOMERS"
    assert same_form("Klienten", "kunden") == "Kunden"
    assert same_form("klienten", "kunden") == "kunden"


def test_names_code_and_link_addresses_are_not_flagged(tmp_path):
    body = sop(
        """
        Log the return in the Client Portal and in `client_id`.
        See [the returns page](https://intranet.example/client/returns).
        Add the till to allowed_clients_users in the settings.
        """
    )
    assert check_text(routine("en", body), config=glossary_config(tmp_path)) == []


def test_the_rule_is_silent_without_a_glossary():
    config = parse_config({"select": ["terminology"]})
    assert check_text(routine("sv", "Ge klienten kvittot."), config=config) == []


def test_ignore_leaves_a_word_alone(tmp_path):
    config = glossary_config(
        tmp_path, rules={"terminology": {"ignore": ["klienten"]}}, select=["terminology"]
    )
    findings = check_text(routine("sv", "Ge klienten kvittot. Klienterna väntar."), config=config)
    assert [f.message.split(":")[0] for f in findings] == [
        "Write \u201cKunderna\u201d instead of \u201cKlienterna\u201d"
    ]


# One routine per language: step 3 carries the flaw; the fixed twin is the same routine
# with the preferred term.
ROUTINES = {
    "en": ("Take a return", "Procedure", "Ask for the receipt.", "Check the item.",
           "Give the client the refund.", "Give the customer the refund."),
    "sv": ("Ta emot en retur", "Utförande", "Be om kvittot.", "Kontrollera varan.",
           "Ge klienten pengarna tillbaka.", "Ge kunden pengarna tillbaka."),
    "nb": ("Ta imot en retur", "Fremgangsmåte", "Be om kvitteringen.", "Sjekk varen.",
           "Gi klienten pengene tilbake.", "Gi kunden pengene tilbake."),
    "te": ("రిటర్న్ తీసుకోవడం", "విధానం", "రసీదు అడగండి.", "వస్తువును తనిఖీ చేయండి.",
           "డబ్బును క్లయింట్‌కు తిరిగి ఇవ్వండి.", "డబ్బును కస్టమర్‌కు తిరిగి ఇవ్వండి."),
}  # fmt: skip


def routine_with(lang: str, step3: str) -> str:
    title, procedure, step1, step2, _, _ = ROUTINES[lang]
    return (
        f"---\nlang: {lang}\n---\n# {title}\n\n## {procedure}\n\n"
        f"1. {step1}\n2. {step2}\n3. {step3}\n"
    )


@pytest.mark.parametrize("lang", sorted(ROUTINES))
def test_the_flaw_trips_only_terminology_at_its_line(tmp_path, lang):
    """All rules on: the flawed routine differs from its fixed twin by one W002 finding."""
    (tmp_path / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    config = parse_config({"glossary": "glossary.yml"}, tmp_path / "sop-lint.toml")
    *_, flaw, fix = ROUTINES[lang]
    flawed = check_text(routine_with(lang, flaw), config=config)
    fixed = check_text(routine_with(lang, fix), config=config)
    seen = {(f.rule, f.line) for f in fixed}
    assert [(f.rule, f.line) for f in flawed if (f.rule, f.line) not in seen] == [("W002", 10)]
    assert not [f for f in fixed if f.rule == "W002"]


# -- the glossary file: clear errors with lines ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "customer:\n  en:\n    use: customer\n    avoid:\n      client: customer\n"
            "      client: customer\n",
            "glossary.yml:6: 'client' (en) is listed twice (first on line 5)",
        ),
        (
            "customer:\n  fr:\n    use: client\n    avoid:\n      patron: client\n",
            "glossary.yml:2: 'customer': 'fr' is not a language sop-lint knows",
        ),
        (
            "customer:\n  en:\n    prefer: customer\n    avoid:\n      client: customer\n",
            "glossary.yml:3: 'customer' (en): unknown key 'prefer'",
        ),
        (
            "customer:\n  en:\n    avoid:\n      client: customer\n",
            "glossary.yml:3: 'customer' (en) has no 'use:' line",
        ),
        (
            "customer:\n  sv:\n    use: kund\n    avoid:\n      - klient\n",
            "glossary.yml:5: 'customer' (sv) avoid must be 'name: value' lines",
        ),
        (
            "customer:\n  en:\n    use: customer\n    avoid:\n      client: client\n",
            "glossary.yml:5: 'customer' (en): 'client' is listed to avoid, with itself",
        ),
        (
            "customer:\n  en:\n    use: [customer\n",
            "glossary.yml:4: the glossary is not valid YAML",
        ),
        (
            "customer:\n  sv:\n    use: kund\n    avoid:\n      klient: kund\n"
            "buyer:\n  sv:\n    use: köpare\n    avoid:\n      kund: köpare\n",
            "glossary.yml:10: 'kund' (sv) is listed to avoid, but it is also a word",
        ),
        (
            "a: &x\n  en:\n    use: customer\n    avoid:\n      client: customer\nb: *x\n",
            "aliases (*name) are not allowed in the glossary",
        ),
    ],
)
def test_a_mistake_in_the_glossary_names_its_line(text, message):
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(text, "glossary.yml")
    assert message in str(caught.value)


def test_every_mistake_is_listed_not_just_the_first():
    text = "customer:\n  xx:\n    use: a\n  en:\n    use: customer\n    avoid:\n      x: x\n"
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(text, "g.yml")
    assert str(caught.value).count("g.yml:") == 2


def test_an_empty_glossary_is_no_error():
    assert parse_glossary("# nothing yet\n").languages == {}


def test_a_glossary_key_that_is_not_a_path_is_a_config_error():
    config = parse_config({"select": ["terminology"], "glossary": 3})
    with pytest.raises(ConfigError, match=r'glossary = "glossary\.yml"'):
        check_text(routine("en", "Serve the customer."), config=config)


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "sop_lint", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_glossary_linked_outside_the_project_is_refused_with_exit_2(tmp_path):
    outside = tmp_path / "elsewhere.yml"
    outside.write_text(GLOSSARY, encoding="utf-8")
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "glossary.yml").symlink_to(outside)
    (project / "sop-lint.toml").write_text('glossary = "glossary.yml"\n', encoding="utf-8")
    (project / "docs" / "a.md").write_text(routine("en", "Serve the client."), encoding="utf-8")
    result = _run(project, "check", "--select", "terminology", "docs")
    assert result.returncode == 2
    assert "glossary.yml: cannot read the glossary" in result.stderr
    assert "outside the project" in result.stderr


def test_a_broken_glossary_stops_the_run_with_its_line(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "glossary.yml").write_text("customer:\n  en:\n    usе: x\n", encoding="utf-8")
    (tmp_path / "sop-lint.toml").write_text('glossary = "glossary.yml"\n', encoding="utf-8")
    (tmp_path / "docs" / "a.md").write_text(routine("en", "Serve the client."), encoding="utf-8")
    result = _run(tmp_path, "check", "--select", "terminology", "docs")
    assert result.returncode == 2
    assert "glossary.yml:3:" in result.stderr


def test_the_bundled_glossary_loads_and_the_bundled_docs_are_clean():
    result = _run(REPO, "check", "--select", "terminology,customer-language", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"findings": []' in result.stdout.replace("\n", "").replace("  ", "") or (
        "W002" not in result.stdout and "W003" not in result.stdout
    )


def test_a_new_user_sees_both_rules_fire_on_the_bundled_docs(tmp_path):
    """The bundled docs with the bundled glossary: one discouraged word and one frustrating
    answer added to a copy, and the check reports exactly those two, where they are."""
    import json
    import shutil

    for name in ("pyproject.toml", "branches.yml", "glossary.yml"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    sop_file = tmp_path / "docs" / "sv" / "customer-complaint.md"
    lines = sop_file.read_text(encoding="utf-8").split("\n")
    assert lines[51] == "1. Lyssna på kunden utan att avbryta."
    lines[51] = "1. Lyssna på klienten utan att avbryta."
    lines[52] = "2. Tacka kunden och säg: ”Det är inte min avdelning.”"
    sop_file.write_text("\n".join(lines), encoding="utf-8")
    result = _run(tmp_path, "check", "--format", "json")
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["line"], f["name"]) for f in findings] == [
        ("docs/sv/customer-complaint.md", 52, "terminology"),
        ("docs/sv/customer-complaint.md", 53, "customer-language"),
    ]
    assert findings[0]["suggestion"] == "Replace \u201cklienten\u201d with \u201ckunden\u201d."
