"""Issue 9, "Stalls and memory": inputs that made one file take minutes or gigabytes.

Each test names the issue bullet it covers. Inputs are sized so the code before the fix
took well over 30 s on them (or kept a copy of a long line per finding), and the fixed
code a fraction of a second. Timed cases run ``sop-lint check`` in a subprocess with a
20 s timeout: a generous guard that only a superlinear blow-up can hit, never a slow
machine. Growth with size is measured (not asserted) by ``benchmarks/hostile_scaling.py``.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from sop_lint import check_text
from sop_lint.config import Config
from sop_lint.engine import MAX_FILE_BYTES
from sop_lint.formatters.text import MAX_SHOWN_LINE, format_finding
from sop_lint.parser import (
    _without_page_number,
    blank_code_spans,
    mask_inline,
    parse_document,
)

GUARD_SECONDS = 20

HEAD_EN = "---\nid: CS-001\ntitle: Returns\nlang: en\n---\n\n# Handling a return\n\n"
HEAD_SV = "---\nid: KS-001\ntitle: Retur\nlang: sv\n---\n\n# Hantera en retur\n\n"
HEAD_NB = "---\nid: KS-002\ntitle: Retur\nlang: nb\n---\n\n# Håndtere en retur\n\n"
HEAD_TE = "---\nid: KS-003\ntitle: వాపసు\nlang: te\n---\n\n# వాపసు తీసుకోవడం\n\n"


# The linter core on the text, as ``sop-lint check`` runs it after reading the file. Not
# the command itself: the SOP size cap (``MAX_FILE_BYTES``) would refuse some of these
# inputs, and the core must be linear whatever the cap.
_CHECK = """
import json, sys
from sop_lint import check_text
text = open(sys.argv[1], encoding="utf-8").read()
extra = {"select": sys.argv[2].split(",")} if len(sys.argv) > 2 else {}
from sop_lint.config import parse_config
config = parse_config(extra) if extra else None
print(json.dumps([f.to_dict() for f in check_text(text, path="sop.md", config=config)]))
"""


def check_in_subprocess(tmp_path: Path, text: str, select: str | None = None) -> list[dict]:
    """The findings for ``text`` (every default rule, or ``select``), killed after
    GUARD_SECONDS."""
    path = tmp_path / "sop.md"
    path.write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    completed = subprocess.run(
        [sys.executable, "-c", _CHECK, str(path), *([select] if select else [])],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=env,
        timeout=GUARD_SECONDS,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


# -- "A run of backticks inside a paragraph is cubic" ------------------------------------------


def test_run_of_backticks_in_a_paragraph_is_not_cubic(tmp_path):
    # 3,000 backticks: about three minutes before the fix.
    text = HEAD_EN + "Scan the receipt " + "`" * 3000 + " and give the refund.\n"
    check_in_subprocess(tmp_path, text)


def test_backtick_runs_of_every_length_in_a_paragraph(tmp_path):
    # No run has a partner: every run was tried at every shorter length to the end.
    runs = "".join("`" * k + "kod " for k in range(1, 700))
    check_in_subprocess(tmp_path, HEAD_SV + "Skriv " + runs + " i kassan.\n")


def test_code_spans_still_pair_runs_of_equal_length():
    # What a reader sees is unchanged: a code span closes at the next run of its length,
    # and a run with no partner is text.
    assert mask_inline("Run `ls` now") == "Run      now"
    assert mask_inline("Run ``a ` b`` now") == "Run " + " " * 9 + " now"
    assert mask_inline("Type ``` alone") == "Type ``` alone"
    assert mask_inline("A `x` and `y` here") == "A     and     here"
    assert blank_code_spans("TBD `TBD` ``x`` ```") == "TBD" + " " * 13 + "```"


def test_placeholder_left_on_a_line_of_backticks(tmp_path):
    # placeholder-left (T005) blanks code spans on every line that may hold a placeholder.
    text = HEAD_EN + "## Scope\n\nTBD " + "`" * 3000 + " x\n"
    findings = check_in_subprocess(tmp_path, text, "T005")
    assert [f["rule"] for f in findings] == ["T005"]


# -- "an unclosed {{ on one long line" ---------------------------------------------------------


def test_unclosed_jinja_expressions_on_one_long_line(tmp_path):
    text = HEAD_EN + "Call " + "{{ branch.phone " * 25_000 + "today.\n"
    check_in_subprocess(tmp_path, text)


def test_closed_expressions_are_still_one_word_each():
    doc = parse_document(HEAD_EN + "Call {{ branch.phone }} or {{ x today.\n", "x.md")
    words = next(s.texts for s in doc.sentences() if "Call" in s.texts)
    assert words == ["Call", "{{ branch.phone }}", "or", "x", "today"]


# -- "an unclosed <!-- sop-lint-disable" -------------------------------------------------------


def test_unclosed_suppression_comments(tmp_path):
    text = HEAD_EN + "<!-- sop-lint-disable B001 " * 18_000 + "\n\nOpen the till.\n"
    check_in_subprocess(tmp_path, text)


def test_suppressions_keep_their_lines_and_columns():
    text = "Open the till.\n\nText <!-- sop-lint-disable B001 -->\n<!-- sop-lint-enable -->\n"
    found = [(s.action, s.line, s.column) for s in parse_document(text).suppressions]
    assert found == [("disable", 3, 6), ("enable", 4, 1)]


# -- "many front-matter keys" ------------------------------------------------------------------


def test_many_front_matter_keys(tmp_path):
    keys = "a:\n" * 170_000  # every key's line was counted from the start of the file
    check_in_subprocess(tmp_path, "---\nid: CS-009\n" + keys + "---\n\n# T\n\nOpen it.\n")


def test_front_matter_key_lines():
    doc = parse_document("---\nid: A\n\ntitle: B\nlang: sv\n---\n# T\n")
    assert doc.metadata_lines == {"id": 2, "title": 4, "lang": 5}


# -- "one long Telugu paragraph" (and the same in sv and nb) -----------------------------------


@pytest.mark.parametrize(
    ("head", "sentence"),
    [
        (HEAD_TE, "వెళ్ళండి. "),
        (HEAD_SV, "Gå in. "),
        (HEAD_NB, "Gå inn. "),
    ],
    ids=["te", "sv", "nb"],
)
def test_one_long_paragraph_of_short_sentences(tmp_path, head, sentence):
    # Each sentence searched its paragraph from the start for a quotation mark.
    count = 19_000 if head is HEAD_TE else 50_000  # Telugu: 3 bytes a letter
    check_in_subprocess(tmp_path, head + sentence * count + "\n")


@pytest.mark.parametrize(
    ("head", "step"),
    [
        (HEAD_SV, "Öppna dörren, du ska stänga fönstret och det öppnades, "),
        (HEAD_NB, "Åpne døren, du skal lukke vinduet og det ble åpnet, "),
        (HEAD_EN, "Open the door, you should close the window and it was opened, "),
        (HEAD_TE, "తలుపు తెరిచి, దీపం వెలిగించారు, (ఐచ్ఛికం) "),
    ],
    ids=["sv", "nb", "en", "te"],
)
def test_one_very_long_step_sentence(tmp_path, head, step):
    # Verb analysis looks back over the sentence for every verb: 2,000 clauses in one
    # Swedish sentence took far more than a minute.
    check_in_subprocess(tmp_path, head + "## Procedure\n\n1. " + step * 2000 + "done.\n")


# -- "many findings on one long line (each finding copies the line)" ---------------------------


def test_findings_on_one_long_line_share_the_line_text():
    line = "In order to open the door, utilize the key. " * 2000
    findings = check_text(HEAD_EN + line + "\n", path="x.md", config=Config(select=["W001"]))
    assert len(findings) == 4000
    # One string for the whole line, not one copy per finding (384 KB needed 6 GB).
    assert len({id(f.source_line) for f in findings}) == 1


def test_text_output_shows_an_excerpt_of_a_very_long_line():
    line = "In order to open the door, utilize the key. " * 2000
    findings = check_text(HEAD_EN + line + "\n", path="x.md", config=Config(select=["W001"]))
    finding = findings[len(findings) // 2]
    shown = format_finding(finding).splitlines()
    assert len(shown[1]) < 400 and "| …" in shown[1] and shown[1].endswith("…")
    caret = shown[2].index("^")
    written = finding.source_line[finding.column - 1 : finding.column + 6]
    assert shown[1][caret:].startswith(written)


def test_text_output_of_a_normal_line_is_whole():
    finding = check_text(
        HEAD_EN + "In order to open the door, use the key.\n",
        path="x.md",
        config=Config(select=["W001"]),
    )[0]
    assert len(finding.source_line) < MAX_SHOWN_LINE
    assert format_finding(finding).splitlines()[1].endswith(finding.source_line)


@pytest.mark.parametrize("fmt", ["text", "sarif"])  # the formats that read the line's text
def test_long_line_with_many_findings_in_text_and_sarif(tmp_path, fmt):
    text = HEAD_EN + "In order to open the door, utilize the key. " * 3600 + "\n"
    assert len(text.encode("utf-8")) <= MAX_FILE_BYTES  # read, not refused
    (tmp_path / "sop.md").write_text(text, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "sop_lint", "check", "sop.md", "--format", fmt],
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"},
        timeout=GUARD_SECONDS,
    )
    assert completed.returncode == 1, completed.stderr
    # 7,200 findings on a 158 KB line: each shows an excerpt, never the whole line.
    assert completed.stdout.count(b"W001") >= 7_200  # every finding, none refused
    assert len(completed.stdout) < 7_200 * 1000


# -- "100,000 headings ... one difflib call per heading in unknown-section" --------------------


def test_unknown_section_compares_at_most_100_headings(monkeypatch):
    calls = []
    real = difflib.get_close_matches

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    headings = "".join(f"## Extra step {i}\n\nOpen the till.\n\n" for i in range(3000))
    findings = check_text(HEAD_EN + headings, path="x.md", config=Config(select=["T004"]))
    assert len(calls) <= 100
    assert len(findings) == 101
    assert '"Extra step 100" and 2899 more section headings' in findings[-1].message


def test_repeated_unknown_heading_is_matched_once(monkeypatch):
    calls = []
    real = difflib.get_close_matches
    monkeypatch.setattr(
        difflib, "get_close_matches", lambda *a, **k: calls.append(a[0]) or real(*a, **k)
    )
    text = HEAD_SV + "## Övrigt\n\nÖppna kassan.\n\n" * 50
    findings = check_text(text, path="x.md", config=Config(select=["T004"]))
    assert len(findings) == 50 and len(calls) == 1


# -- audit: other input classes scaled up ------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(">" * 10_000 + " Open the till.\n", id="10000-blockquotes"),
        pytest.param("- " * 10_000 + "Open the till.\n", id="10000-list-levels"),
        pytest.param("1. " * 10_000 + "Open the till.\n", id="10000-ordered-levels"),
        pytest.param("> - " * 10_000 + "Open the till.\n", id="10000-mixed-levels"),
    ],
)
def test_deep_nesting_is_no_recursion_error(body):
    check_text(HEAD_EN + body, path="x.md")


def test_long_procedure_of_many_steps(tmp_path):
    # Each step built a new set of the list's instructing items: quadratic in the steps.
    steps = "".join(f"{i + 1}. Open door {i}.\n" for i in range(24_000))
    check_in_subprocess(tmp_path, HEAD_EN + "## Procedure\n\n" + steps)


def test_many_unclosed_inline_comments(tmp_path):
    check_in_subprocess(tmp_path, HEAD_EN + "Open " + "<!-- the till " * 36_000 + ".\n")


def test_paragraph_of_unclosed_openers(tmp_path):
    # Unclosed "[^" scanned to the end of the line; "{%", "{#" and "<!--" up to a bound.
    text = HEAD_EN + "Open " + "](x `` [[ {% {# [^x <a " * 20_000 + "the till.\n"
    check_in_subprocess(tmp_path, text)


# -- found by the cross-document work: long runs of spaces or "[" in a list item ----------------


def test_list_item_continued_by_a_long_run_of_brackets(tmp_path):
    # 60,000 "[" (masked to spaces) after a list item: the table-of-contents check and the
    # hard-break search rescanned the run from every position (20,000 took 4 s).
    text = HEAD_EN + "1. Scan the receipt.\n   " + "[" * 60_000 + "\n"
    check_in_subprocess(tmp_path, text)


def test_long_run_of_spaces_in_a_paragraph(tmp_path):
    text = HEAD_EN + "Scan the receipt" + " " * 60_000 + "and give the refund.\nThen close.\n"
    check_in_subprocess(tmp_path, text)


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        ("Scope ...... 3", "Scope"),
        ("Procedure\u2026\u2026 12 ", "Procedure"),
        ("Records __ 104", "Records"),
        ("Step 12345", "Step 12"),  # at most three digits are a page number
        ("Scope", "Scope"),
        ("7", ""),
    ],
)
def test_table_of_contents_entries_lose_their_page_numbers(entry, shown):
    # What the leaders-first regex r"[ \t.\u2026_]*\d{1,3}[ \t]*$" removed, in linear time.
    assert _without_page_number(entry) == shown


def test_hard_line_breaks_still_end_a_line():
    doc = parse_document("# T\n\nCall the driver   \nthen the manager.\n", "x.md", "en")
    assert len(doc.blocks[-1].sentences) == 2
