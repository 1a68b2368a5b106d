"""Issue 9, "Prove it": what the fuzzer (``benchmarks/fuzz.py``) found stays found.

- Every saved case in ``fuzz_cases/`` (``<kind>-<hash>.md``, with a ``.txt`` note of what
  failed) is replayed: no exception, no internal error, every finding inside the file, the
  document model intact, and at most 2 s for the file.
- A short fuzz burst runs on every test run: ``SOP_LINT_FUZZ_SECONDS`` seconds (default 20;
  0 skips it), from a fixed seed (``SOP_LINT_FUZZ_SEED``, default 9), so CI is repeatable.
  A failure it finds is printed with its minimised input; keep it with
  ``python -m benchmarks.fuzz --seed <seed> --seconds <n> --save``.

Cases that fail on the current code because of a bug another part of issue 9 fixes are
marked ``xfail(strict=True)`` one by one in ``KNOWN``, with the reason: when the fix lands
the case passes, the strict mark fails, and the entry is removed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from benchmarks.fuzz import (
    CASES,
    KNOWN_BUGS,
    fuzz,
    known_bug,
    make_project,
    run_case,
    skip_known,
)

# Saved case -> the known bug (benchmarks/fuzz.py KNOWN_BUGS) it fails with today.
KNOWN: dict[str, str] = {
    # None: every saved case passes on main. A new case that fails because of a bug not
    # fixed yet goes here, with its bug added to KNOWN_BUGS.
}
BUGS = {bug.name: bug for bug in KNOWN_BUGS}

SAVED = sorted(CASES.glob("*.md"))


def _param(path: Path):
    bug = BUGS.get(KNOWN.get(path.stem, ""))
    reason = f"known bug {bug.name} (fix: {bug.owner}): {bug.reason}" if bug else ""
    # raises=AssertionError: a known case failing for another reason is a real failure.
    marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)] if bug else []
    return pytest.param(path, id=path.stem, marks=marks)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("fuzz-replay")
    return folder, make_project(folder)


def test_every_known_case_has_a_saved_fixture() -> None:
    names = {p.stem for p in SAVED}
    assert not set(KNOWN) - names
    assert set(KNOWN.values()) <= set(BUGS)
    for path in SAVED:
        assert path.with_suffix(".txt").is_file(), f"{path.name} has no note of what failed"


@pytest.mark.parametrize("path", [_param(p) for p in SAVED])
def test_saved_fuzz_case_passes_every_property(project, path: Path) -> None:
    folder, config = project
    memory = path.stem.startswith("memory-")
    data = path.read_bytes()
    outcome = run_case(data, config, folder, trace_memory=memory)
    if outcome.kind and path.stem in KNOWN:
        bug = known_bug(data, outcome.kind, outcome.detail)
        if bug is None or bug.name != KNOWN[path.stem]:
            pytest.fail(f"fails, but not as {KNOWN[path.stem]}: {outcome.kind}: {outcome.detail}")
    assert outcome.kind == "", f"{outcome.kind}: {outcome.detail}"


def test_a_short_fuzz_burst_finds_nothing_new() -> None:
    seconds = float(os.environ.get("SOP_LINT_FUZZ_SECONDS", "20"))
    if seconds <= 0:
        pytest.skip("SOP_LINT_FUZZ_SECONDS=0")
    seed = int(os.environ.get("SOP_LINT_FUZZ_SEED", "9"))
    found: list[str] = []
    start = time.monotonic()
    # Slow means 10 s of CPU here (the saved cases check the 2 s bound): a burst must not
    # fail because the machine is busy, only on a blow-up.
    failures = fuzz(
        seconds, seed, slow=10.0, minimise_budget=10.0, log=found.append, skip=skip_known
    )
    assert time.monotonic() - start < seconds + 300  # minimising is bounded too
    assert not failures, "\n".join(
        f"{outcome.kind}: {outcome.detail[:300]}\n  input: {data[:400]!r}"
        for data, outcome in failures
    )


def test_front_matter_lang_cannot_name_a_file_outside_the_package(project, tmp_path) -> None:
    """Found by the fuzzer (internal-error-c43dc7174b: a 3 KB ``lang`` value was an
    internal error, "File name too long"): W001 built the path of its phrase list from the
    SOP's ``lang``, so ``lang: ../../<folder>/secret`` read ``<folder>/secret.tsv`` and put
    its text in findings' suggestions. Issue 9: nothing outside the project is read."""
    from sop_lint.rules import wording
    from sop_lint.rules.wording import builtin_phrases

    folder, config = project
    secret = tmp_path / "secret.tsv"
    secret.write_text("check the\tPASSWORD-hunter2\n", encoding="utf-8")
    package = Path(wording.__file__).parents[1] / "data" / "wordy"
    escape = os.path.relpath(secret.with_suffix(""), package)
    data = f"---\nlang: {escape}\n---\n\nCheck the receipt.\n".encode()
    outcome = run_case(data, config, folder)
    assert outcome.kind == ""
    assert not any("PASSWORD" in (f.suggestion or "") + f.message for f in outcome.findings)
    assert builtin_phrases(escape) == {}


SV_FAX = """\
---
title: Skicka skadeanmälan
lang: sv
---

# Skicka skadeanmälan

{% if branch.fax == "" %}
Skicka anmälan med e-post till kontoret.
{% endif %}
"""


def test_undefined_in_condition_is_j003_at_its_line(project) -> None:
    """Issue 9, "invalid values become findings at their line, never internal errors"
    (fuzz case internal-error-dbc74c25e4): a value no branch has, compared in a condition,
    raised UndefinedError out of the linter's render; it is J003 on the ``{% if %}`` line."""
    folder, config = project
    outcome = run_case(SV_FAX.encode(), config, folder)
    assert outcome.kind == "", outcome.detail
    j003 = [f for f in outcome.findings if f.rule == "J003"]
    assert [f.span.line for f in j003] == [8]
    assert "branch.fax" in j003[0].message and "stockholm-city" in j003[0].message
    assert not [f for f in outcome.findings if f.rule == "J002"]


NB_INDEX = """\
---
title: Bestille slepebil
lang: nb
---

# Bestille slepebil

{% if "natt" in branch.fax %}Ring vakttelefonen.{% endif %}
"""


def test_undefined_used_where_nothing_stands_in_is_j003_at_its_line(project) -> None:
    """The same bullet: ``"natt" in branch.fax`` cannot go on with a blank, so the render
    stops; the linter still reports J003 on the line the render stopped at."""
    folder, config = project
    outcome = run_case(NB_INDEX.encode(), config, folder)
    assert outcome.kind == "", outcome.detail
    j003 = [(f.span.line, f.rule) for f in outcome.findings if f.rule.startswith("J")]
    assert j003 == [(8, "J003")]


def test_front_matter_on_the_last_line_without_break_is_no_internal_error(project) -> None:
    """Issue 9, "findings past the end of the file" / "never internal errors": front matter
    closed on the file's last line with no break after it made J005 raw-html-stripped index
    the line start of a body past the end (IndexError; fuzz cases position-e657dec53c,
    internal-error-2b8f20a298 once their own bugs were fixed)."""
    folder, config = project
    outcome = run_case("---\ntitle: ఫిర్యాదు నమోదు\nlang: te\n---".encode(), config, folder)
    assert outcome.kind == "", outcome.detail


def test_superlinear_page_number_strip_is_linear_and_unchanged() -> None:
    """Issue 9, "linear time on every input class" (fuzz cases slow-584b4cfa64,
    slow-a045b2d0ac, slow-58a6520579, slow-ee08015b31: ``&#0;``, ``&#x10FFFF;``,
    ``{% endif %}``, ``<!-- sop-lint-enable -->`` repeated in one step): the table-of-contents
    check stripped a trailing page number with ``re.sub(r"[ \\t.…_]*\\d{1,3}[ \\t]*$")``, which
    tries the leader from every position of a long run of spaces. Finding the number first
    gives the same entry text (checked against the regex on one-line entries) in one pass."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from sop_lint.parser import _without_page_number

    old = re.compile(r"[ \t.\u2026_]*\d{1,3}[ \t]*$")

    @settings(max_examples=500, derandomize=True, database=None)
    @given(st.text(alphabet=" \t.\u2026_0123456789\u0c67\u0c6fåa", max_size=24))
    def same_as_the_regex(text: str) -> None:
        assert _without_page_number(text) == old.sub("", text)

    same_as_the_regex()
    assert _without_page_number("Omfattning ........ 3") == "Omfattning"
    assert _without_page_number("పరిధి … ౧౨") == "పరిధి"
    # 60,000 spaces: the regex took about 40 s; a guard that no busy machine reaches.
    start = time.process_time()
    long_gap = "Ring " + " " * 60_000 + "kunden"
    assert _without_page_number(long_gap) == long_gap
    assert time.process_time() - start < 20


def test_the_checker_counts_lines_as_the_product_does_also_for_bytes_not_utf8(project) -> None:
    """Issue 9, "every finding's position lies inside the file": the property checker
    (benchmarks/fuzz.py source_lines) split bytes that are not UTF-8 at LF only, so
    ``b"\\r\\xf6"`` was one line and S001 at 2:1 looked outside it. The product's definition
    (parser.normalise_source, engine._byte_position): a line ends at LF, CRLF or a lone CR,
    a final break starts no new line, nothing else breaks a line."""
    from benchmarks.fuzz import position_problems, source_lines

    folder, config = project
    assert source_lines(b"\r\xf6") == ["", "\xf6"]
    assert source_lines(b"Steg 1\r\nSteg 2\rSteg 3\n" + b"\xff") == [
        "Steg 1",
        "Steg 2",
        "Steg 3",
        "\xff",
    ]
    assert len(source_lines(b"Ring kunden.\n")) == 1
    assert source_lines("a\u2028b\x0cc\x85".encode()) == ["a\u2028b\x0cc\x85"]
    for data in (
        b"\r\xf6",
        "Tøm kassen\r\n\r".encode() + b"\xf6 og " + "lås".encode(),
        b"ok\n\r\n\xc3",
    ):
        outcome = run_case(data, config, folder)
        assert outcome.kind == "", outcome.detail
        s001 = [f for f in outcome.findings if f.rule == "S001"]
        assert s001 and not position_problems(source_lines(data), s001)
    assert [(f.span.line, f.span.column) for f in run_case(b"\r\xf6", config, folder).findings] == [
        (2, 1)
    ]


def test_undefined_in_condition_stops_the_build_at_the_same_line() -> None:
    """The same bullet, build side: the build's render (site/compose.py render_shape, which
    names ``file:line`` from the problem) stops at the ``{% if %}`` line with the value's
    name, so ``check`` (J003 at line 8) and the build agree."""
    from sop_lint.site.render import TemplateError, compile_template

    body = SV_FAX.split("---\n", 2)[2]
    template = compile_template(body, 5)
    with pytest.raises(TemplateError) as caught:
        template.render_shape({"phone": "08-555 012 30"}, {}, branch_id="stockholm-city")
    problem = caught.value.problem
    assert (problem.kind, problem.line, problem.variable) == ("missing", 8, "branch.fax")


def test_superlinear_hard_line_break_search_is_linear_and_unchanged() -> None:
    """Issue 9, "linear time on every input class" (fuzz case slow-5eaf961968: 2,270
    ``{% if branch.id == 'x' %}`` on the second line of a paragraph, 9 s of CPU): the hard
    line break pattern ``( {2,}|\\\\)\\n`` was tried from every space of the masked run. It now
    looks for exactly two spaces before the break; the matches end in the same places."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from sop_lint.parser import _HARD_BREAK

    old = re.compile(r"(?: {2,}|\\)\n")

    @settings(max_examples=500, derandomize=True, database=None)
    @given(st.text(alphabet=" \\\naö", max_size=24))
    def same_as_before(text: str) -> None:
        assert [m.end() for m in _HARD_BREAK.finditer(text)] == [
            m.end() for m in old.finditer(text)
        ]

    same_as_before()
    start = time.process_time()
    assert _HARD_BREAK.search("Lås dörren" + " " * 60_000 + "nu.\nSedan") is None
    assert time.process_time() - start < 20  # the old pattern: about 40 s
