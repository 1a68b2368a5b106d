"""The review tool's scoring: precision and rewrite correctness of judged findings, recall of
judged steps, and how it draws and shows what is judged. Sheets are written by the tests;
no corpus is needed."""

from __future__ import annotations

import json

import pytest

from benchmarks import review


def finding_row(rule: str, lang: str, verdict: str, rewrite: str | None, name: str = "") -> dict:
    return {"rule": rule, "name": name or rule.lower(), "lang": lang, "verdict": verdict,
            "rewrite": rewrite}  # fmt: skip


JUDGED = [
    finding_row("P001", "sv", "right", "right", "past-tense"),
    finding_row("P001", "sv", "right", "wrong", "past-tense"),
    finding_row("P001", "sv", "wrong", None, "past-tense"),
    finding_row("P001", "en", "right", None, "past-tense"),
    finding_row("B001", "en", "wrong", "", "sentence-too-long"),  # rewrite left unjudged
    finding_row("B001", "en", "", "", "sentence-too-long"),  # not judged yet
]


def test_precision_per_rule_and_language_with_rewrites_and_a_total():
    lines, unjudged = review.precision_table(JUDGED)
    assert unjudged == 1
    assert [line.split() for line in lines] == [
        ["rule", "name", "lang", "precision", "rewrites"],
        ["B001", "sentence-too-long", "en", "0/1", "=", "0%", "-"],
        ["P001", "past-tense", "en", "1/1", "=", "100%", "-"],
        ["P001", "past-tense", "sv", "2/3", "=", "67%", "1/2", "=", "50%"],
        ["total", "3/5", "=", "60%", "1/2", "=", "50%"],
    ]


def test_score_reads_several_sheets_and_says_how_many_lines_are_unjudged(tmp_path, capsys):
    first, second = tmp_path / "sv.jsonl", tmp_path / "en.jsonl"
    first.write_text("\n".join(json.dumps(r) for r in JUDGED[:3]) + "\n", "utf-8")
    second.write_text("\n".join(json.dumps(r) for r in JUDGED[3:]) + "\n\n", "utf-8")
    assert review.main(["score", str(first), str(second)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2].split() == ["total", "3/5", "=", "60%", "1/2", "=", "50%"]
    assert out[-1] == "unjudged: 1"


def step_row(ident: str, problem, found: list[str]) -> dict:
    return {"id": ident, "problem": problem, "found": found}


STEPS = [
    step_row("a", "passive", ["passive"]),
    step_row("b", "passive", []),
    step_row("c", ["modal", "past"], ["modal"]),
    step_row("d", None, ["not-imperative"]),  # a good step with a finding: a false alarm
    step_row("e", None, []),
    step_row("f", "", ["past"]),  # not judged yet
]


def test_recall_per_kind_counts_each_genuine_problem_once():
    lines, unjudged = review.recall_table(STEPS)
    assert unjudged == 1
    assert [line.split() for line in lines] == [
        ["kind", "recall"],
        ["modal", "1/1", "=", "100%"],
        ["passive", "1/2", "=", "50%"],
        ["past", "0/1", "=", "0%"],
        ["total", "2/4", "=", "50%"],
        ["good", "steps", "with", "a", "step", "finding:", "1/2", "=", "50%"],
    ]


def test_another_checkouts_findings_are_scored_against_the_same_judgements():
    before = {"a": {"passive"}, "b": {"passive"}, "c": {"past"}}
    lines, _ = review.recall_table(STEPS, before)
    assert lines[-2].split() == ["total", "3/4", "=", "75%"]
    # Found before: a passive, b passive, c past; found now: only a passive.
    assert review.still_found(STEPS, before) == (1, 3)


def test_draw_takes_up_to_n_per_rule_and_the_same_ones_for_the_same_seed():
    findings = [
        {"rule": rule, "path": f"routine-{i}.md", "line": i, "column": 1}
        for rule, count in (("P001", 50), ("W001", 3))
        for i in range(count)
    ]
    drawn = review.draw(findings, per_rule=30, seed=8)
    assert [f["rule"] for f in drawn].count("P001") == 30
    assert [f["rule"] for f in drawn].count("W001") == 3
    assert review.draw(list(reversed(findings)), per_rule=30, seed=8) == drawn
    assert review.draw(findings, per_rule=30, seed=9) != drawn
    # A rule's sample does not depend on the other rules' findings.
    alone = review.draw([f for f in findings if f["rule"] == "P001"], per_rule=30, seed=8)
    assert alone == [f for f in drawn if f["rule"] == "P001"]


ROUTINE = [
    "# Returns at the counter",
    "",
    "## Procedure",
    "",
    "Staff at the counter follow these steps.",
    "",
    "1. Ask for the receipt",
    "   and the card.",
    "2. The goods were checked by the clerk.",
    "",
    "```sh",
    "1. not a step",
    "```",
    "3. Give the money back.",
]


def test_context_shows_the_section_heading_and_marks_the_line():
    headings = review.heading_lines(ROUTINE)
    assert review.context_of(ROUTINE, headings, 9) == "\n".join(
        [
            "       3 | ## Procedure",
            "     ... |",
            "       7 | 1. Ask for the receipt",
            "       8 |    and the card.",
            ">      9 | 2. The goods were checked by the clerk.",
            "      10 | ",
            "      11 | ```sh",
        ]
    )


def test_numbered_items_are_found_outside_code_with_their_continuation_lines():
    assert review.numbered_items(ROUTINE) == [
        (7, 8, "Ask for the receipt and the card."),
        (9, 9, "The goods were checked by the clerk."),
        (14, 14, "Give the money back."),
    ]


@pytest.mark.parametrize("command", ["sample", "steps"])
def test_an_absent_corpus_is_skipped_with_a_message(tmp_path, capsys, command):
    out = tmp_path / "sheet.jsonl"
    code = review.main([command, str(tmp_path / "no-corpus"), "--lang", "sv", "--out", str(out)])
    assert code == 0
    assert "is absent; nothing to sample (skipped)" in capsys.readouterr().out
    assert not out.exists()


def test_a_sheet_row_has_the_finding_its_context_and_empty_judge_fields(tmp_path):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "returns.md").write_text("\n".join(ROUTINE) + "\n", "utf-8")
    finding = {
        "path": "store/returns.md",
        "line": 9,
        "column": 4,
        "rule": "I003",
        "name": "passive-voice",
        "severity": "warning",
        "message": "Step is in the passive voice; say who does it.",
        "suggestion": "Check the goods.",
    }
    [row] = review.sample_sheet(tmp_path, "store", "en", [finding])
    assert set(row) == {
        "id", "folder", "path", "line", "column", "rule", "name", "lang", "severity",
        "message", "suggestion", "context", "verdict", "rewrite", "note",
    }  # fmt: skip
    assert (row["folder"], row["path"], row["line"], row["lang"]) == (
        "store",
        "store/returns.md",
        9,
        "en",
    )
    assert ">      9 | 2. The goods were checked by the clerk." in row["context"].splitlines()
    assert (row["verdict"], row["rewrite"], row["note"]) == ("", "", "")
    without = review.sample_sheet(tmp_path, "store", "en", [{**finding, "suggestion": None}])
    assert without[0]["rewrite"] is None  # nothing to judge: no rewrite was offered
    assert without[0]["id"] == row["id"]  # the id names the finding, not the suggestion
