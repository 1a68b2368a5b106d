"""The part-of-speech and verb-form tagger: tag format, training, model files, shipped models."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

import pytest

import sop_lint.tagging as tagging
from sop_lint.tagging import available_languages, load_tagger
from sop_lint.tagging.conllu import read_conllu, read_conllu_file, surface_words, tagged, ud_tag
from sop_lint.tagging.perceptron import Tagger, load_model, save_model, train

REPO = Path(__file__).resolve().parents[1]

# Handwritten CoNLL-U: ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC.
TINY_CONLLU = """\
# text = The clerk greeted the customer.
1	The	the	DET	_	Definite=Def	2	det	_	_
2	clerk	clerk	NOUN	_	Number=Sing	3	nsubj	_	_
3	greeted	greet	VERB	_	Mood=Ind|Tense=Past|VerbForm=Fin	0	root	_	_
4	the	the	DET	_	Definite=Def	5	det	_	_
5	customer	customer	NOUN	_	Number=Sing	3	obj	_	SpaceAfter=No
6	.	.	PUNCT	_	_	3	punct	_	_

# text = Open the box.
1	Open	open	VERB	_	Mood=Imp|VerbForm=Fin	0	root	_	_
2	the	the	DET	_	Definite=Def	3	det	_	_
3	box	box	NOUN	_	Number=Sing	1	obj	_	SpaceAfter=No
4	.	.	PUNCT	_	_	1	punct	_	_

# text = The clerk opens the box.
1	The	the	DET	_	Definite=Def	2	det	_	_
2	clerk	clerk	NOUN	_	Number=Sing	3	nsubj	_	_
3	opens	open	VERB	_	Mood=Ind|Tense=Pres|VerbForm=Fin	0	root	_	_
4	the	the	DET	_	Definite=Def	5	det	_	_
5	box	box	NOUN	_	Number=Sing	3	obj	_	SpaceAfter=No
6	.	.	PUNCT	_	_	3	punct	_	_

# text = The box was opened.
1	The	the	DET	_	Definite=Def	2	det	_	_
2	box	box	NOUN	_	Number=Sing	4	nsubj:pass	_	_
3	was	be	AUX	_	Mood=Ind|Tense=Past|VerbForm=Fin	4	aux:pass	_	_
4	opened	open	VERB	_	Tense=Past|VerbForm=Part|Voice=Pass	0	root	_	SpaceAfter=No
5	.	.	PUNCT	_	_	4	punct	_	_

# text = It's closed.
1-2	It's	_	_	_	_	_	_	_	_
1	It	it	PRON	_	Number=Sing	3	nsubj	_	_
2	's	be	AUX	_	Mood=Ind|Tense=Pres|VerbForm=Fin	3	cop	_	_
3	closed	closed	ADJ	_	Degree=Pos	0	root	_	SpaceAfter=No
4	.	.	PUNCT	_	_	3	punct	_	_
"""


@pytest.fixture()
def tiny_model(tmp_path: Path) -> Path:
    """A model trained by the test itself on the handwritten sentences above."""
    source = tmp_path / "tiny-train.conllu"
    source.write_text(TINY_CONLLU, encoding="utf-8")
    sentences = read_conllu_file(source)
    examples = [[tagged(s), surface_words(s)] for s in sentences]
    path = tmp_path / "xx.tagger.gz"
    save_model(train(examples, iterations=5, seed=3), path)
    return path


# -- tag format -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upos", "feats", "tag"),
    [
        ("VERB", "Mood=Ind|Tense=Past|VerbForm=Fin", "VERB|Fin|Past"),
        ("AUX", "Mood=Ind|Number=Sing|Tense=Pres|VerbForm=Fin", "AUX|Fin|Pres"),
        ("VERB", "VerbForm=Inf", "VERB|Inf"),
        ("VERB", "Tense=Past|VerbForm=Part|Voice=Pass", "VERB|Part|Past|Pass"),
        ("VERB", "Mood=Imp|VerbForm=Fin", "VERB|Imp"),
        ("VERB", "Mood=Ind|Tense=Pres|VerbForm=Fin|Voice=Pass", "VERB|Fin|Pres|Pass"),
        ("VERB", "VerbForm=Sup|Voice=Act", "VERB|Sup"),
        ("ADJ", "Degree=Pos|VerbForm=Part", "ADJ"),
        ("NOUN", "_", "NOUN"),
    ],
)
def test_ud_tag(upos, feats, tag):
    assert ud_tag(upos, feats) == tag


def test_read_conllu_skips_comments_and_keeps_multiword_spacing():
    sentences = list(read_conllu(TINY_CONLLU.splitlines()))
    assert len(sentences) == 5
    its = sentences[4]
    assert [w.form for w in its] == ["It", "'s", "closed", "."]
    assert [w.space_after for w in its] == [False, True, False, True]


def test_surface_words_join_clitics_and_drop_punctuation():
    sentences = list(read_conllu(TINY_CONLLU.splitlines()))
    # "It" + "'s" is one word for sop-lint; it takes the tag of its verbal part.
    assert surface_words(sentences[4]) == [("It's", "AUX|Fin|Pres"), ("closed", "ADJ")]
    assert surface_words(sentences[1]) == [("Open", "VERB|Imp"), ("the", "DET"), ("box", "NOUN")]


# -- training, saving, loading -----------------------------------------------------------------


def test_tiny_model_tags_its_training_sentences(tiny_model):
    tagger = load_model(tiny_model.read_bytes())
    assert tagger.tag(["The", "clerk", "greeted", "the", "customer", "."]) == [
        "DET",
        "NOUN",
        "VERB|Fin|Past",
        "DET",
        "NOUN",
        "PUNCT",
    ]
    assert tagger.tag(["Open", "the", "box"])[0] == "VERB|Imp"
    assert tagger.tag(["The", "box", "was", "opened"])[2:] == [
        "AUX|Fin|Past",
        "VERB|Part|Past|Pass",
    ]
    assert tagger.tag([]) == []


def test_load_tagger_reads_the_package_data_path(tiny_model, monkeypatch):
    monkeypatch.setattr(tagging, "_model_file", lambda lang: tiny_model)
    load_tagger.cache_clear()
    try:
        tagger = load_tagger("xx")
        assert isinstance(tagger, Tagger)
        assert load_tagger("xx") is tagger  # cached
        assert tagger.tag(["The", "clerk", "opens", "the", "box"])[2] == "VERB|Fin|Pres"
    finally:
        load_tagger.cache_clear()


def test_model_file_round_trip_matches_the_in_memory_model(tmp_path):
    sentences = list(read_conllu(TINY_CONLLU.splitlines()))
    model = train([[tagged(s)] for s in sentences], iterations=3)
    path = tmp_path / "m.tagger.gz"
    save_model(model, path)
    first = path.read_bytes()
    save_model(model, path)
    assert path.read_bytes() == first  # reproducible bytes
    words = ["It's", "closed", "and", "the", "clerk", "greeted", "the", "box"]
    assert load_model(first).tag(words) == Tagger.from_model(model).tag(words)


def test_load_model_rejects_other_files():
    import gzip

    with pytest.raises(ValueError):
        load_model(gzip.compress(b'{"not": "a tagger"}'))


@pytest.mark.parametrize("lang", ["xx", "", "../en", "en/../../etc"])
def test_no_tagger_for_unknown_languages(lang):
    assert load_tagger(lang) is None


# -- the training script's treebank conversions -----------------------------------------------


def _train_tagger_module():
    spec = importlib.util.spec_from_file_location(
        "train_tagger", REPO / "tools" / "train_tagger.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_train_tagger_refuses_dev_and_test_splits(tmp_path):
    dev = tmp_path / "en_ewt-ud-dev.conllu"
    dev.write_text(TINY_CONLLU, encoding="utf-8")
    with pytest.raises(SystemExit):
        _train_tagger_module().main(["--lang", "en", str(dev)])


def test_ndt_rows_map_to_ud_tags():
    rows = textwrap.dedent(
        """\
        1\tHan\than\tpron\tpron\tpers|hum|ent|3|mask|nom\t2\tSUBJ\t_\t_
        2\thar\tha\tverb\tverb\tpres\t0\tFINV\t_\t_
        3\tkastet\tkaste\tverb\tverb\tperf-part\t2\tINFV\t_\t_
        4\tballen\tball\tsubst\tsubst\tappell|mask|be|ent\t3\tDOBJ\t_\t_
        5\t.\t$.\tclb\tclb\t<punkt>\t2\tIP\t_\t_
        """
    ).splitlines()
    (sentence,) = _train_tagger_module().read_ndt(rows)
    assert [t for _, t in tagged(sentence)] == [
        "PRON",
        "AUX|Fin|Pres",
        "VERB|Part",
        "NOUN",
        "PUNCT",
    ]


def test_first_talbanken_conversion_is_brought_up_to_date():
    module = _train_tagger_module()
    finns = "2\tfinns\t_\tVERB\tVB\tMood=Ind|Tense=Pres|VerbForm=Fin|Voice=Pass\t0\troot\t_\t_"
    inte = "3\tinte\t_\tADV\tAB\t_\t2\tneg\t_\t_"
    cop = "2\tär\t_\tVERB\tVB\tMood=Ind|Tense=Pres|VerbForm=Fin|Voice=Act\t3\tcop\t_\t_"
    words = [module.talbanken_v1_word(line.split("\t")) for line in (finns, inte, cop)]
    assert [ud_tag(w.upos, w.feats) for w in words] == ["VERB|Fin|Pres", "PART", "AUX|Fin|Pres"]


@pytest.mark.parametrize(
    ("lang", "infinitive", "imperative"),
    [
        ("nb", "kontrollere", "kontroller"),
        ("nb", "åpne", "åpne"),
        ("nb", "finne", "finn"),
        ("nb", "komme", "kom"),
        ("sv", "kontrollera", "kontrollera"),
        ("sv", "skriva", "skriv"),
    ],
)
def test_imperative_forms(lang, infinitive, imperative):
    present = {"skriver", "kontrollerar"}
    assert _train_tagger_module().imperative_form(lang, infinitive, present) == imperative


# -- the shipped models -------------------------------------------------------------------------


def test_shipped_languages():
    assert set(available_languages()) >= {"en", "sv", "nb"}


@pytest.mark.parametrize(
    ("lang", "sentence", "word", "expected"),
    [
        # past tense
        ("en", "The clerk greeted the customer", "greeted", "VERB|Fin|Past"),
        ("sv", "Vi kontrollerade kvittot", "kontrollerade", "VERB|Fin|Past"),
        ("sv", "Kunden ringde i går", "ringde", "VERB|Fin|Past"),
        ("nb", "Kunden ringte i går", "ringte", "VERB|Fin|Past"),
        # participles and the perfect
        ("nb", "Han har kastet ballen", "kastet", "VERB|Part"),
        ("nb", "Han har kastet ballen", "har", "AUX|Fin|Pres"),
        ("sv", "Ärendet har avslutats", "avslutats", "VERB|Sup|Pass"),
        # imperatives, including procedure steps at the start of a sentence
        ("en", "Open the box", "Open", "VERB|Imp"),
        ("en", "Remove the cover and inspect the seal", "inspect", "VERB|Imp"),
        ("sv", "Stäng dörren", "Stäng", "VERB|Imp"),
        ("sv", "Skicka ansökan till handläggaren", "Skicka", "VERB|Imp"),
        ("nb", "Send skjemaet til saksbehandleren", "Send", "VERB|Imp"),
        ("nb", "Klikk på Lagre", "Klikk", "VERB|Imp"),
        # passive voice; a deponent verb is not passive
        ("en", "The form was signed by the manager", "signed", "VERB|Part|Past|Pass"),
        ("sv", "Kvittot kontrolleras av handläggaren", "kontrolleras", "VERB|Fin|Pres|Pass"),
        ("sv", "Det finns tre steg", "finns", "VERB|Fin|Pres"),
        ("nb", "Skjemaet signeres av lederen", "signeres", "VERB|Fin|Pres|Pass"),
        # future and modal auxiliaries
        ("en", "The operator will check the valve", "will", "AUX|Fin"),
        ("en", "The operator will check the valve", "check", "VERB|Inf"),
        ("sv", "Handläggaren ska kontrollera kvittot", "ska", "AUX|Fin|Pres"),
        ("nb", "Saksbehandleren skal kontrollere kvitteringen", "kontrollere", "VERB|Inf"),
    ],
)
def test_shipped_models_tag_verbs(lang, sentence, word, expected):
    words = sentence.split()
    tags = load_tagger(lang).tag(words)
    assert tags[words.index(word)] == expected, list(zip(words, tags, strict=True))


def test_shipped_model_handles_punctuation_and_contractions():
    tagger = load_tagger("en")
    with_punct = tagger.tag(["Open", "the", "box", "."])
    assert with_punct == ["VERB|Imp", "DET", "NOUN", "PUNCT"]
    assert tagger.tag(["We'll", "check", "it"])[:2] == ["AUX|Fin", "VERB|Inf"]
    # UD marks both verbs of a negative imperative as imperative.
    assert tagger.tag(["Don't", "open", "the", "box"])[:2] == ["AUX|Imp", "VERB|Imp"]
