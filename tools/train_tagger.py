#!/usr/bin/env python3
"""Train sop-lint's part-of-speech and verb-form tagger for one language.

Reads the *training* split of a treebank and writes ``sop_lint/data/taggers/<lang>.tagger.gz``.
Three input formats are understood:

``conllu`` (default)
    Universal Dependencies CoNLL-U, e.g. ``en_ewt-ud-train.conllu``.
``talbanken-v1``
    The first, pre-release UD conversion of Swedish Talbanken (``sv-ud-train.conll``, January
    2015). Its annotation predates UD v2, so it is brought in line with the current treebank:
    ``CONJ`` -> ``CCONJ``, possessive ``DT`` -> ``PRON``, negations -> ``PART``, verbal
    particles -> ``ADV``, auxiliaries and copulas -> ``AUX``, no passive voice on deponent
    verbs ("finns", "hoppas").
``ndt``
    The Norwegian Dependency Treebank in its original CoNLL-X form with Oslo-Bergen tags
    (``ndt/nob/*.conll`` in the NorNE repository), mapped to UD tags. Sentences that occur in
    the files given with ``--exclude`` (the UD dev and test splits) are left out, so that what
    remains is the UD training split.

See ``tools/README.md`` for the exact commands that built the shipped models.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sop_lint.tagging.conllu import (  # noqa: E402
    Word,
    read_conllu,
    read_conllu_file,
    surface_words,
    tagged,
)
from sop_lint.tagging.perceptron import save_model, train  # noqa: E402

HELD_OUT_RE = re.compile(r"[-_.](dev|test)[-_.]", re.IGNORECASE)

# -- Talbanken, first UD conversion ------------------------------------------------------

_SV_AUX_FORMS = {
    "vara": "är var vara varit vore",
    "ha": "har hade ha haft hava",
    "bli": "blir blev bli blivit bliva",
    "kunna": "kan kunde kunna kunnat",
    "skola": "ska skall skulle skola",
    "vilja": "vill ville vilja velat",
    "måste": "måste",
    "få": "får fick få fått",
    "böra": "bör borde böra",
    "komma": "kommer kom komma kommit",
    "må": "må måtte",
    "lära": "lär",
    "torde": "torde",
}
SV_AUX = {form: lemma for lemma, forms in _SV_AUX_FORMS.items() for form in forms.split()}
# Deponent and reciprocal s-verbs: active in meaning, so current UD gives them no Voice=Pass.
SV_DEPONENTS = frozenset(
    """finns fanns finnas funnits tycks tycktes tyckas syns syntes synas fattas fattades
    hoppas hoppades hoppats lyckas lyckades lyckats andas andades minns mindes minnas mints
    trivs trivdes trivas låtsas låtsades umgås umgicks umgåtts skäms skämdes skämmas svettas
    brottas slåss slogs kräks mötas möts möttes träffas träffades träffats""".split()
)
SV_NEGATIONS = frozenset({"inte", "ej", "icke"})


def talbanken_v1_word(cols: list[str]) -> Word:
    """One token of the first Talbanken conversion, in current UD terms."""
    form, upos, feats, deprel = cols[1], cols[3], cols[5], cols[7]
    low = form.lower()
    upos = {"CONJ": "CCONJ", "DT": "PRON"}.get(upos, upos)
    if low in SV_NEGATIONS:
        upos = "PART"
    elif upos == "CCONJ" and low in ("som", "än"):
        upos = "SCONJ"
    elif upos == "ADP" and deprel == "compound:prt":
        upos = "ADV"
    elif upos == "VERB" and low in SV_AUX:
        lemma = SV_AUX[low]
        # "vara" is always AUX in current Talbanken; "bli" only as the passive auxiliary.
        passive = deprel == "auxpass"
        if lemma == "vara" or passive or (lemma != "bli" and deprel in ("aux", "cop")):
            upos = "AUX"
    if low in SV_DEPONENTS:
        feats = "|".join(f for f in feats.split("|") if f != "Voice=Pass") or "_"
    return Word(form, upos, feats, True)


def read_talbanken_v1(lines: Iterable[str]) -> list[list[Word]]:
    """Sentences of the 2015 Talbanken file (10 tab-separated columns, no comments)."""
    sentences: list[list[Word]] = []
    current: list[Word] = []
    for line in lines:
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 8:
            if current:
                sentences.append(current)
                current = []
            continue
        if cols[0].isdigit():
            current.append(talbanken_v1_word(cols))
    if current:
        sentences.append(current)
    return sentences


# -- Norwegian Dependency Treebank ----------------------------------------------------------

NB_AUX = frozenset(
    {"være", "bli", "ha", "ville", "kunne", "skulle", "måtte", "få", "burde", "tørre"}
)
NB_NUMBERS = frozenset(
    """ett én to tre fire fem seks sju syv åtte ni ti elleve tolv tretten fjorten femten
    seksten sytten atten nitten tjue tretti førti femti seksti sytti åtti nitti hundre tusen
    million millioner milliard milliarder""".split()
)
NDT_PUNCT = frozenset({"clb", "<komma>", "<strek>", "<anf>", "<parentes-slutt>", "<parentes-beg>"})
NDT_UPOS = {
    "adj": "ADJ",
    "pron": "PRON",
    "konj": "CCONJ",
    "sbu": "SCONJ",
    "adv": "ADV",
    "inf-merke": "PART",
    "interj": "INTJ",
    "symb": "SYM",
    "ukjent": "X",
}


def ndt_sentence(rows: list[list[str]]) -> list[Word]:
    """An NDT sentence (CoNLL-X rows with Oslo-Bergen tags) as UD words.

    Headline markers (``|``) are dropped, as in UD_Norwegian-Bokmaal.
    """
    children: dict[str, list[str]] = collections.defaultdict(list)
    for cols in rows:
        children[cols[6]].append(cols[7])
    words = []
    for cols in rows:
        number, form, lemma, pos, feats = cols[0], cols[1], cols[2], cols[3], cols[5]
        if form == "|":
            continue
        values = set(feats.split("|"))
        deps = children[number]
        if pos in NDT_PUNCT:
            upos = "PUNCT"
        elif pos == "subst":
            upos = "PROPN" if "prop" in values else "NOUN"
        elif pos == "det":
            if "poss" in values:
                upos = "PRON"
            elif "kvant" in values and (form[:1].isdigit() or form.lower() in NB_NUMBERS):
                upos = "NUM"
            else:
                upos = "DET"
        elif pos == "prep":
            upos = "ADP" if "PUTFYLL" in deps else "ADV"
        elif pos == "verb":
            auxiliary = lemma in NB_AUX and "INFV" in deps
            copula = lemma == "være" and "SPRED" in deps
            upos = "AUX" if auxiliary or copula else "VERB"
        else:
            upos = NDT_UPOS.get(pos, "X")
        if form.lower() == "ikke":
            upos = "PART"
        ud_feats = []
        if upos in ("VERB", "AUX"):
            if "imp" in values:
                ud_feats.append("Mood=Imp")
            if "pres" in values or "imp" in values:
                ud_feats.append("VerbForm=Fin")
            if "pres" in values:
                ud_feats.append("Tense=Pres")
            elif "pret" in values:
                ud_feats += ["Tense=Past", "VerbForm=Fin"]
            elif "inf" in values:
                ud_feats.append("VerbForm=Inf")
            elif "perf-part" in values:
                ud_feats.append("VerbForm=Part")
            if "pass" in values:
                ud_feats.append("Voice=Pass")
        words.append(Word(form, upos, "|".join(ud_feats) or "_", True))
    return words


def read_ndt(lines: Iterable[str]) -> list[list[Word]]:
    """Sentences of an NDT CoNLL-X file."""
    sentences: list[list[Word]] = []
    rows: list[list[str]] = []
    for line in [*lines, ""]:
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 8 and cols[0].isdigit():
            rows.append(cols)
        elif rows:
            sentence = ndt_sentence(rows)
            if sentence:
                sentences.append(sentence)
            rows = []
    return sentences


# -- Synthetic imperatives -----------------------------------------------------------------
#
# Talbanken and NDT are prose with few imperatives (about 160 and 230), so a procedure step
# such as "Kontroller kvitteringen" is tagged as a noun. Infinitive clauses ("for å kontrollere
# kvitteringen", "du ska skicka blanketten") are plentiful, though, and an imperative is the
# same clause with the verb in the imperative at the start of the sentence.

IMPERATIVE_CUES = {
    "sv": ({"att"}, {"du", "ni", "man"}, {"ska", "skall", "måste", "bör", "kan"}),
    "nb": ({"å"}, {"du", "dere", "man"}, {"skal", "må", "bør", "kan", "burde"}),
}
_NOT_IMPERATIVE = frozenset({"vara", "ha", "bli", "være", "få"})
_VOWELS = frozenset("aeiouyæøåäö")


def imperative_form(lang: str, infinitive: str, present: set[str]) -> str:
    """The imperative of an infinitive: nb "kontrollere" -> "kontroller", sv "skriva" -> "skriv".

    Swedish first-conjugation verbs keep their -a ("kontrollera"); a verb counts as one unless
    ``present`` (present-tense forms seen in the treebank) has its stem ("kör") or its -er form
    but not its -ar form.
    """
    word = infinitive
    if lang == "nb" and len(word) > 2 and word.endswith("e"):
        # "åpne", "sykle", "lagre" keep the -e after a consonant + l/n/r ("finne" does not).
        if not (word[-2] in "lnr" and word[-3] not in _VOWELS and word[-3] != word[-2]):
            word = word[:-1]
    elif lang == "sv" and len(word) > 2 and word.endswith("a"):
        stem = word[:-1]
        if stem in present or (stem + "er" in present and stem + "ar" not in present):
            word = stem  # "kör", "skriv"
    if word.endswith("mm"):
        word = word[:-1]  # "komme", "komma" -> "kom"
    return word


def imperative_examples(sentences: list[list[Word]], lang: str) -> list[list[tuple[str, str]]]:
    """Imperative sentences made from the infinitive clauses of ``sentences``."""
    if lang not in IMPERATIVE_CUES:
        return []
    markers, addressees, modals = IMPERATIVE_CUES[lang]
    present = {
        w.form.lower() for s in sentences for w in s if "Tense=Pres" in w.feats and w.upos == "VERB"
    }
    examples = []
    for sentence in sentences:
        pairs = tagged(sentence)
        lows = [form.lower() for form, _ in pairs]
        for i, (_, tag) in enumerate(pairs):
            if tag != "VERB|Inf" or lows[i] in _NOT_IMPERATIVE or i == 0:
                continue
            cue = lows[i - 1] in markers or (
                i >= 2 and lows[i - 1] in modals and lows[i - 2] in addressees
            )
            if not cue:
                continue
            rest = []
            for word, word_tag in pairs[i + 1 :]:
                if word_tag in ("PUNCT", "SCONJ") or "|Fin" in word_tag:
                    break
                rest.append((word, word_tag))
            if 1 <= len(rest) <= 12:
                verb = imperative_form(lang, lows[i], present)
                examples.append([(verb[:1].upper() + verb[1:], "VERB|Imp"), *rest])
    return examples


# -- Training ---------------------------------------------------------------------------------


def examples_of(sentences: list[list[Word]]) -> list[list[list[tuple[str, str]]]]:
    """Each sentence as the treebank tokenised it, and as sop-lint's tokeniser would."""
    examples = []
    for sentence in sentences:
        variants = [tagged(sentence)]
        surface = surface_words(sentence)
        if surface and surface != variants[0]:
            variants.append(surface)
        examples.append(variants)
    return examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="training files")
    parser.add_argument("--lang", required=True, help="language code: en, sv, nb")
    parser.add_argument("--format", choices=("conllu", "talbanken-v1", "ndt"), default="conllu")
    parser.add_argument(
        "--exclude",
        action="append",
        type=Path,
        default=[],
        help="CoNLL-U file whose sentences must not be trained on (repeatable)",
    )
    parser.add_argument(
        "--synthetic-imperatives",
        action="store_true",
        help="add imperative sentences made from infinitive clauses (sv, nb)",
    )
    parser.add_argument("--iterations", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--prune",
        type=float,
        default=0.2,
        help="share of the smallest averaged weights to drop (keeps the model small)",
    )
    parser.add_argument(
        "--output", type=Path, help="default: sop_lint/data/taggers/<lang>.tagger.gz"
    )
    args = parser.parse_args(argv)

    held_out = [path for path in args.files if HELD_OUT_RE.search(path.name)]
    if held_out:
        parser.error(f"refusing to train on a dev or test split: {held_out[0]}")

    digest = hashlib.sha256()
    sentences: list[list[Word]] = []
    for path in sorted(args.files):
        data = path.read_bytes()
        digest.update(data)
        lines = data.decode("utf-8").splitlines()
        if args.format == "conllu":
            sentences += list(read_conllu(lines))
        elif args.format == "talbanken-v1":
            sentences += read_talbanken_v1(lines)
        else:
            sentences += read_ndt(lines)

    excluded = 0
    if args.exclude:
        held = {
            tuple(word.form for word in sentence)
            for path in args.exclude
            for sentence in read_conllu_file(path)
        }
        kept = [s for s in sentences if tuple(word.form for word in s) not in held]
        excluded = len(sentences) - len(kept)
        sentences = kept

    tokens = sum(len(s) for s in sentences)
    print(f"{args.lang}: {len(sentences)} sentences, {tokens} words ({excluded} excluded)")
    examples = examples_of(sentences)
    synthetic = imperative_examples(sentences, args.lang) if args.synthetic_imperatives else []
    if synthetic:
        print(f"{len(synthetic)} synthetic imperative sentences")
        examples += [[example] for example in synthetic]
    started = time.perf_counter()
    model = train(
        examples,
        iterations=args.iterations,
        seed=args.seed,
        prune=args.prune,
        log=print,
    )
    model["meta"].update(
        {
            "lang": args.lang,
            "input_format": args.format,
            "input_files": len(args.files),
            "input_sha256": digest.hexdigest(),
            "excluded_sentences": excluded,
            "words": tokens,
            "synthetic_imperatives": len(synthetic),
        }
    )
    output = args.output or ROOT / "sop_lint" / "data" / "taggers" / f"{args.lang}.tagger.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    save_model(model, output)
    print(
        f"trained in {time.perf_counter() - started:.0f} s: {len(model['tags'])} tags, "
        f"{len(model['weights'])} features, {len(model['tagdict'])} tag-dictionary words; "
        f"wrote {output} ({output.stat().st_size / 1e6:.2f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
