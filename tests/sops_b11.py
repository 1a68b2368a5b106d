"""SOP text for the changed-lines and baseline tests: a small SOP set in English, Swedish,
Norwegian and Telugu, each following the standard template, and a scratch git repository
to hold them. Written for these tests (not copied from any corpus)."""

from __future__ import annotations

import subprocess
from pathlib import Path

# Only the rules these tests are about: sentence length (per line), duplicate ids and
# broken references (across documents), missing sections and metadata (whole-file spans).
CONFIG = 'select = ["B001", "D001", "D010", "T001", "T006"]\n'
MKDOCS = "site_name: Store SOPs\n"  # anchors are judged only with the default slug rule

OPENING_EN = """\
---
id: OPS-001
title: Opening the store
version: "1.0"
status: effective
owner: Store manager
approved_by: Regional manager
approved_on: 2026-01-10
effective_date: 2026-01-15
review_due: 2027-01-15
applies_to: all
lang: en
---

# Opening the store

## Purpose

This SOP makes sure the store opens on time and safely. Every shift opens it the same way.

## Scope

It applies to the shift lead who opens the store. Closing is in the closing SOP.

## Roles and responsibilities

The shift lead opens the store. The store manager answers questions.

## Procedure

1. Unlock the staff door and switch off the alarm within thirty seconds.
2. @LONG_EN@
3. Count the cash in the till.
4. Unlock the front door at nine o'clock.

## Deviations and escalation

If the alarm does not stop, call the security company. Then call the store manager.

## Records

Keep the opening sheet in the office for one year.

## References

@LINK@

## Revision history

| Version | Date | Change | Author (role) |
|---|---|---|---|
| 1.0 | 2026-01-10 | First version. | Store manager |
"""
# The set's old flaw (a step far over the length limit) and its link to another SOP.
LONG_EN = (
    "Before you do anything else in the morning you walk through the whole store and check "
    "every aisle, every fitting room, the stock room and the back yard for anything that "
    "looks wrong, broken, wet or out of place, and you write down what you find on the "
    "opening sheet."
)
LINK = (
    "If a delivery comes before opening, see [what to do when goods are missing]"
    "(../nb/receiving.md#avvik-og-eskalering)."
)
OPENING_EN = OPENING_EN.replace("@LONG_EN@", LONG_EN).replace("@LINK@", LINK)

CLOSING_SV = """\
---
id: OPS-002
title: Stänga butiken
version: "1.0"
status: effective
owner: Butikschef
approved_by: Regionchef
approved_on: 2026-01-10
effective_date: 2026-01-15
review_due: 2027-01-15
applies_to: all
lang: sv
---

# Stänga butiken

## Syfte

Rutinen ser till att butiken stängs säkert varje kväll. Alla skift gör på samma sätt.

## Omfattning

Rutinen gäller skiftledaren som stänger butiken.

## Roller och ansvar

Skiftledaren stänger butiken. Butikschefen svarar på frågor.

## Utförande

1. Lås ytterdörren klockan nio.
2. Räkna kassan och lägg pengarna i kassaskåpet.
3. Släck ljuset i butiken.
4. Slå på larmet och lås personaldörren.

## Avvikelser och eskalering

Om larmet inte går att slå på, ring vaktbolaget.

## Dokumentation

Spara stängningslistan på kontoret i ett år.

## Versionshistorik

| Version | Datum | Ändring | Författare (roll) |
|---|---|---|---|
| 1.0 | 2026-01-10 | Första versionen. | Butikschef |
"""

RECEIVING_NB = """\
---
id: OPS-003
title: Ta imot varer
version: "1.0"
status: effective
owner: Lagerleder
approved_by: Regionsjef
approved_on: 2026-01-10
effective_date: 2026-01-15
review_due: 2027-01-15
applies_to: all
lang: nb
---

# Ta imot varer

## Formål

Rutinen sikrer at alle varer blir talt før de settes på lager.

## Omfang

Rutinen gjelder alle som tar imot varer på lageret.

## Roller og ansvar

Lagerlederen tar imot varene. Butikksjefen godkjenner avvik.

## Fremgangsmåte

1. Sjekk at pakkene er hele.
2. Tell varene og sammenlign med følgeseddelen.
3. Sett varene på riktig hylle.

## Avvik og eskalering

Hvis noe mangler, ring leverandøren samme dag.

## Dokumentasjon

Legg følgeseddelen i permen på lageret.

## Revisjonshistorikk

| Versjon | Dato | Endring | Forfatter (rolle) |
|---|---|---|---|
| 1.0 | 2026-01-10 | Første versjon. | Lagerleder |
"""

CLEANING_TE = """\
---
id: OPS-004
title: దుకాణం శుభ్రం చేయడం
version: "1.0"
status: effective
owner: దుకాణ నిర్వాహకుడు
approved_by: ప్రాంతీయ నిర్వాహకుడు
approved_on: 2026-01-10
effective_date: 2026-01-15
review_due: 2027-01-15
applies_to: all
lang: te
---

# దుకాణం శుభ్రం చేయడం

## ఉద్దేశ్యం

ఈ విధానం దుకాణాన్ని రోజూ శుభ్రంగా ఉంచుతుంది.

## పరిధి

ఇది శుభ్రం చేసే సిబ్బంది అందరికీ వర్తిస్తుంది.

## పాత్రలు మరియు బాధ్యతలు

షిఫ్ట్ లీడ్ పనిని తనిఖీ చేస్తారు.

## విధానం

1. నేలను తుడవండి.
2. అద్దాలను శుభ్రం చేయండి.
3. చెత్తను బయట పెట్టండి.

## విచలనాలు మరియు ఎస్కలేషన్

సామగ్రి లేకపోతే దుకాణ నిర్వాహకుడికి చెప్పండి.

## రికార్డులు

శుభ్రత పట్టికను కార్యాలయంలో ఉంచండి.

## సవరణ చరిత్ర

| వెర్షన్ | తేదీ | మార్పు | రచయిత (పాత్ర) |
|---|---|---|---|
| 1.0 | 2026-01-10 | మొదటి వెర్షన్. | దుకాణ నిర్వాహకుడు |
"""

COUNTING_EN = """\
---
id: OPS-005
title: Counting the till
version: "1.0"
status: effective
owner: Store manager
approved_by: Regional manager
approved_on: 2026-01-10
effective_date: 2026-01-15
review_due: 2027-01-15
applies_to: all
lang: en
---

# Counting the till

## Purpose

This SOP makes sure the cash in the till matches the sales of the day.

## Scope

It applies to the shift lead at the end of each shift.

## Roles and responsibilities

The shift lead counts the till. The store manager checks any difference.

## Procedure

1. Print the sales report from the till.
2. Count the notes and the coins.
3. Write both sums on the till sheet.

## Deviations and escalation

If the sums differ by more than ten euros, call the store manager.

## Records

Keep the till sheet in the safe for one year.

## Revision history

| Version | Date | Change | Author (role) |
|---|---|---|---|
| 1.0 | 2026-01-10 | First version. | Store manager |
"""

SOPS = {
    "docs/en/opening.md": OPENING_EN,
    "docs/sv/closing.md": CLOSING_SV,
    "docs/nb/receiving.md": RECEIVING_NB,
    "docs/te/cleaning.md": CLEANING_TE,
    "docs/en/counting.md": COUNTING_EN,
}

# A sentence far over the length limit, in each language: the one new flaw a change adds.
LONG_SV = (
    "Innan du går hem på kvällen går du alltid runt i hela butiken och tittar i varje gång, "
    "varje provrum, lagret och gården efter saker som ser fel ut, är trasiga, blöta eller "
    "ligger på fel plats, och du skriver upp allt du hittar på stängningslistan så att "
    "morgonskiftet vet vad som behöver göras."
)
LONG_NB = (
    "Når varene kommer inn går du alltid gjennom hele leveransen og ser på hver eneste pakke, "
    "hver eske, hver pall og hver pose etter ting som ser feil ut, er ødelagt, våte eller "
    "ligger på feil sted, og du skriver opp alt du finner på følgeseddelen slik at "
    "leverandøren får vite om det samme dag."
)


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` (a scratch repository); its output."""
    done = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message)


def make_repository(root: Path, sops: dict[str, str] | None = None) -> None:
    """A git repository in ``root`` with the SOP set committed on ``main``, and a branch
    ``change`` checked out for the test's edits (as a pull request's branch)."""
    git(root, "init", "-q", "-b", "main")
    (root / "sop-lint.toml").write_text(CONFIG, encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    for relative, text in (sops or SOPS).items():
        write(root, relative, text)
    commit(root, "The SOP set")
    git(root, "checkout", "-q", "-b", "change")


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
