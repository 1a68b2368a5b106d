"""Derive the verb lexicons sop-lint ships from spacy-lookups-data.

Usage: python tools/build_lexicons.py [--ndt NDT_NOB_DIR --exclude UD_DEV UD_TEST]
                                     [PATH_TO_spacy_lookups_data/data]

Reads the tables from an installed ``spacy-lookups-data`` (``pip install
spacy-lookups-data``; it is a build-time source, not a run-time dependency) and writes
``sop_lint/data/lexicons/<lang>-verbs.tsv.gz``: one ``form<TAB>lemma[|lemma...]`` line per
verb form.

- nb: the verb table of Norsk Ordbank (Språkbanken, CC BY 4.0) as spaCy ships it, which
  lists irregular verbs only, plus the verbs of the Norwegian Dependency Treebank (CC0;
  ``ndt/nob/*.conll`` in the NorNE repository) with their regular forms (infinitive,
  imperative, present, s-passive, past), leaving out the sentences of the UD dev and test
  splits given with ``--exclude``.
- sv: the Swedish form-to-lemma table, narrowed to lemmas that inflect as verbs (a lemma
  ending in -a with a present -r, past -de/-te or s-passive form in the table).
- en: WordNet 3.0's verb lemmas and irregular verb forms.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "sop_lint" / "data" / "lexicons"


def _load(folder: Path, name: str) -> dict:
    with gzip.open(folder / name, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _write(lang: str, pairs: dict[str, str | list[str]]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lines = "".join(
        f"{form}\t{lemma if isinstance(lemma, str) else '|'.join(lemma)}\n"
        for form, lemma in sorted(pairs.items())
    )
    path = OUT / f"{lang}-verbs.tsv.gz"
    # mtime=0: the same input gives the same bytes, so rebuilds do not churn git.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(lines.encode("utf-8"))
    print(f"{path}: {len(pairs)} forms, {path.stat().st_size // 1024} KiB")


def build_nb(folder: Path, ndt: Path | None, exclude: list[Path]) -> dict[str, list[str]]:
    verbs = _load(folder, "nb_lemma_exc.json.gz")["verb"]
    # A form may belong to several verbs ("lytt": lytte, lyte); keep them all.
    pairs = {form: list(lemmas) for form, lemmas in verbs.items() if " " not in form and lemmas}
    if ndt is not None:
        for form, lemma in _ndt_verbs(ndt, exclude):
            for regular in {form, *_regular_forms(lemma)}:
                known = pairs.setdefault(regular, [])
                if lemma not in known:
                    known.append(lemma)
    return pairs


def _regular_forms(lemma: str) -> set[str]:
    """The regular Bokmål forms of a verb: ``lytte`` -> lytt, lytter, lyttes, lyttet, lyttet."""
    if not lemma.endswith("e") or len(lemma) < 4:
        return {lemma, lemma + "r", lemma + "s"}
    stem = lemma[:-1]
    imperative = stem[:-1] if stem[-1] == stem[-2] and stem[-1] in "rmn" else stem
    return {lemma, imperative, lemma + "r", lemma + "s", stem + "et", stem + "te", stem + "a"}


def _sentences(path: Path) -> set[str]:
    """The sentences of a CoNLL(-U/-X) file, as space-joined word forms."""
    found, words = set(), []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            if words:
                found.add(" ".join(words))
            words = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit() and cols[1] != "|":
                words.append(cols[1])
    if words:
        found.add(" ".join(words))
    return found


def _ndt_verbs(folder: Path, exclude: list[Path]) -> list[tuple[str, str]]:
    held_out = set().union(*(_sentences(p) for p in exclude)) if exclude else set()
    pairs: list[tuple[str, str]] = []
    for path in sorted(folder.glob("*.conll")):
        rows: list[list[str]] = []
        for line in [*path.read_text("utf-8").splitlines(), ""]:
            if line.strip():
                rows.append(line.split("\t"))
                continue
            text = " ".join(r[1] for r in rows if r[1] != "|")
            if rows and text not in held_out:
                pairs += [(r[1].lower(), r[2].lower()) for r in rows if r[3] == "verb"]
            rows = []
    return pairs


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
            lemma + "r",
            lemma + "de",
            lemma + "s",
            lemma + "tt",
            lemma + "dde",
            lemma + "git",
            stem + "er",
            stem + "de",
            stem + "te",
            stem + "it",
            stem + "s",
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("lookups", nargs="?", type=Path, help="spacy_lookups_data/data")
    parser.add_argument("--ndt", type=Path, help="the ndt/nob folder of the NorNE repository")
    parser.add_argument("--exclude", nargs="*", type=Path, default=[], help="UD dev/test")
    args = parser.parse_args()
    folder = args.lookups
    if folder is None:
        import spacy_lookups_data

        folder = Path(spacy_lookups_data.__file__).parent / "data"
    _write("nb", build_nb(folder, args.ndt, args.exclude))
    _write("sv", build_sv(folder))
    _write("en", build_en(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
