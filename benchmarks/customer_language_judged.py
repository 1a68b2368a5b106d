"""customer-language on a judged set: sentences written for this benchmark (not the
tests'), each judged by hand as "flag these phrases" or "flag nothing", in the four
languages. Prints precision and recall overall and per language, and every miss.

Half of the set is guidance about what to say (the rule's main false-alarm risk), a
quarter is staff speech with a frustrating phrase, a quarter is staff speech that is fine.

    python benchmarks/customer_language_judged.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sop_lint import check_text
from sop_lint.config import parse_config

# (language, paragraph, section heading or None, phrases that must be flagged)
JUDGED: list[tuple[str, str, str | None, list[str]]] = [
    # -- English ------------------------------------------------------------------------
    ("en", "When a parcel is late, say “I have no idea where it is.”", None, ["I have no idea"]),
    ("en", "If the card is declined, tell them: “Rules are rules.”", None, ["Rules are rules"]),
    ("en", "Say: Not my problem, call the courier.", None, ["Not my problem"]),
    ("en", "Please calm down, sir.", "Phone script", ["calm down"]),
    ("en", "That is our policy.", "Call script", ["That is our policy"]),
    ("en", "Never answer “I don't know”; find out or pass the call on.", None, []),
    ("en", "Staff sometimes say “calm down” to upset callers. Don't.", None, []),
    ("en", "Avoid “that's our policy”: explain the reason and offer an option.", None, []),
    ("en", "If the caller asks “Is that your policy?”, explain the reason.", None, []),
    ("en", "Write “No” in the box if the seal is broken.", None, []),
    ("en", "Press “No” when the till asks for a bag fee.", None, []),
    ("en", "The caller said “I don't know the order number”.", None, []),
    ("en", "Rather than “not my department”, say “Let me put you through.”", None, []),
    ("en", "Say “I'm sorry, that's not possible today, but I can book it for Monday.”", None, []),
    ("en", "Let me find out for you.", "Call script", []),
    ("en", "If you don't know, ask the shift lead before you answer.", "Call script", []),
    # -- Swedish ------------------------------------------------------------------------
    ("sv", "Om paketet är försenat, säg: ”Ingen aning var det är.”", None, ["Ingen aning"]),
    ("sv", "Säg: Det är företagets policy.", None, ["Det är företagets policy"]),
    ("sv", "Lugna dig, så ska vi titta på det.", "Telefonmanus", ["Lugna dig"]),
    ("sv", "Det finns inget jag kan göra.", "Samtalsmanus", ["Det finns inget jag kan göra"]),
    ("sv", "Svara aldrig ”jag vet inte”, ta reda på det i stället.", None, []),
    ("sv", "Säg inte ”det är inte mitt bord” till en kund.", None, []),
    ("sv", "Kunden sa ”Jag vet inte vad den heter”.", None, []),
    ("sv", "Tryck på ”Nej” när kassan frågar om kvitto.", None, []),
    ("sv", "Undvik att säga ”lugna ner dig”.", None, []),
    ("sv", "Säg ”Jag kopplar dig” i stället för ”det är inte min avdelning”.", None, []),
    ("sv", "Om du inte vet svaret, fråga skiftledaren.", "Samtalsmanus", []),
    ("sv", "Tack för att du väntade. Hur kan jag hjälpa dig?", "Samtalsmanus", []),
    # -- Norwegian ----------------------------------------------------------------------
    ("nb", "Hvis pakken er forsinket, si: «Aner ikke hvor den er.»", None, ["Aner ikke"]),
    ("nb", "Si: Det er policyen vår.", None, ["Det er policyen vår"]),
    ("nb", "Det er ikke mitt bord.", "Telefonmanus", ["Det er ikke mitt bord"]),
    ("nb", "Det kan jeg ikke gjøre noe med.", "Samtalsmanus", ["Det kan jeg ikke gjøre noe med"]),
    ("nb", "Si aldri «jeg vet ikke»; finn det ut i stedet.", None, []),
    ("nb", "Ikke si «ro deg ned» til en kunde som er sint.", None, []),
    ("nb", "Kunden sa «Jeg vet ikke hva den heter».", None, []),
    ("nb", "Trykk på «Nei» når kassen spør om pose.", None, []),
    ("nb", "Unngå «det er reglene våre».", None, []),
    ("nb", "Si «Jeg setter deg over» i stedet for «det er ikke min avdeling».", None, []),
    ("nb", "Hvis du ikke vet svaret, spør skiftlederen.", "Samtalsmanus", []),
    ("nb", "Takk for at du ventet. Hva kan jeg hjelpe deg med?", "Samtalsmanus", []),
    # -- Telugu -------------------------------------------------------------------------
    ("te", "పార్సెల్ ఆలస్యమైతే, “నాకు తెలీదు” అని చెప్పండి.", None, ["నాకు తెలీదు"]),
    ("te", "“ఇది మా పాలసీ” అని చెప్పండి.", None, ["ఇది మా పాలసీ"]),
    ("te", "నేను ఏమీ చేయలేను.", "కాల్ స్క్రిప్ట్", ["నేను ఏమీ చేయలేను"]),
    ("te", "“నాకు తెలియదు” అని ఎప్పుడూ చెప్పవద్దు.", None, []),
    ("te", "“శాంతించండి” అని కస్టమర్‌తో అనకండి.", None, []),
    ("te", "కస్టమర్ “నాకు తెలియదు” అని చెబితే, ఫోన్ నంబర్‌తో వెతకండి.", None, []),
    ("te", "“అది నా విభాగం కాదు” బదులుగా “సరైన వ్యక్తికి కలుపుతాను” అని చెప్పండి.", None, []),
    ("te", "నమస్కారం, నేను మీకు ఎలా సహాయం చేయగలను?", "కాల్ స్క్రిప్ట్", []),
]


def main() -> None:
    config = parse_config({"select": ["customer-language"]})
    totals: dict[str, list[int]] = {}
    misses = []
    for lang, paragraph, heading, expected in JUDGED:
        section = f"## {heading}\n\n- " if heading else ""
        text = f"---\nlang: {lang}\n---\n# Routine\n\n{section}{paragraph}\n"
        found = [
            f.source_line[f.column - 1 : f.span.end_column - 1]
            for f in check_text(text, config=config)
        ]
        tp = sum(1 for p in found if p in expected)
        fp = len(found) - tp
        fn = sum(1 for p in expected if p not in found)
        for key in (lang, "all"):
            t = totals.setdefault(key, [0, 0, 0, 0])
            t[0] += tp
            t[1] += fp
            t[2] += fn
            t[3] += 1
        if fp or fn:
            misses.append(f"  {lang}: {paragraph!r} expected {expected}, found {found}")
    print("language  cases  flagged right  false alarms  missed  precision  recall")
    for key in ("en", "sv", "nb", "te", "all"):
        tp, fp, fn, n = totals[key]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"{key:8} {n:6d} {tp:14d} {fp:13d} {fn:7d} {precision:10.0%} {recall:7.0%}")
    if misses:
        print("misses:")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
