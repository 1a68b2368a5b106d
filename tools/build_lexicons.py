"""Derive the verb lexicons sop-lint ships from spacy-lookups-data.

Usage: python tools/build_lexicons.py [PATH_TO_spacy_lookups_data/data]

Reads the tables from an installed ``spacy-lookups-data`` (``pip install
spacy-lookups-data``; it is a build-time source, not a run-time dependency) and writes
``sop_lint/data/lexicons/<lang>-verbs.tsv.gz``: one ``form<TAB>lemma`` line per verb form.

- nb: the verb table of Norsk Ordbank (Språkbanken, CC BY 4.0) as spaCy ships it.
- sv: the Swedish form-to-lemma table, narrowed to lemmas that inflect as verbs (a lemma
  ending in -a with a present -r, past -de/-te or s-passive form in the table).
- en: WordNet 3.0's verb lemmas and irregular verb forms.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "sop_lint" / "data" / "lexicons"


def _load(folder: Path, name: str) -> dict:
    with gzip.open(folder / name, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _write(lang: str, pairs: dict[str, str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lines = "".join(f"{form}\t{lemma}\n" for form, lemma in sorted(pairs.items()))
    path = OUT / f"{lang}-verbs.tsv.gz"
    # mtime=0: the same input gives the same bytes, so rebuilds do not churn git.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(lines.encode("utf-8"))
    print(f"{path}: {len(pairs)} forms, {path.stat().st_size // 1024} KiB")


def build_nb(folder: Path) -> dict[str, str]:
    verbs = _load(folder, "nb_lemma_exc.json.gz")["verb"]
    return {form: lemmas[0] for form, lemmas in verbs.items() if " " not in form and lemmas}


def build_sv(folder: Path) -> dict[str, str]:
    table: dict[str, str] = _load(folder, "sv_lemma_lookup.json.gz")
    forms_of: dict[str, list[str]] = {}
    for form, lemma in table.items():
        forms_of.setdefault(lemma, []).append(form)
    verbs = set()
    for lemma, forms in forms_of.items():
        if " " in lemma or lemma[-1:] not in "aeiouyåäö":
            continue
        stem = lemma[:-1]
        signs = {
            lemma + "r", lemma + "de", lemma + "s", lemma + "tt", lemma + "dde", lemma + "git",
            stem + "er", stem + "de", stem + "te", stem + "it", stem + "s",
        }
        if len(signs.intersection(forms)) >= 2:
            verbs.add(lemma)
    pairs = {form: lemma for form, lemma in table.items() if lemma in verbs and " " not in form}
    for lemma in verbs:  # the infinitive itself, which the table does not list as a key
        pairs.setdefault(lemma, lemma)
    pairs.update(SV_CORRECTIONS)
    return pairs


# Forms the Swedish table gets wrong for sop-lint's purpose ("har" is listed under "hare").
SV_CORRECTIONS = {"har": "ha", "ha": "ha", "hade": "ha", "haft": "ha", "tog": "ta", "ta": "ta"}


def build_en(folder: Path) -> dict[str, str]:
    lemmas = _load(folder, "en_lemma_index.json.gz")["verb"]
    exceptions = _load(folder, "en_lemma_exc.json.gz")["verb"]
    pairs = {lemma: lemma for lemma in lemmas if " " not in lemma and "_" not in lemma}
    for form, forms in exceptions.items():
        if " " not in form and forms:
            pairs[form] = forms[0]
    return pairs


def main() -> int:
    if len(sys.argv) > 1:
        folder = Path(sys.argv[1])
    else:
        import spacy_lookups_data

        folder = Path(spacy_lookups_data.__file__).parent / "data"
    _write("nb", build_nb(folder))
    _write("sv", build_sv(folder))
    _write("en", build_en(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
