"""A mutation fuzzer for ``check_file``: hostile SOPs in, every failure kept as a fixture.

Usage: python -m benchmarks.fuzz [--seconds 600] [--seed 1] [--save] [--slow 2.0]
       python -m benchmarks.fuzz --probe [--save]   (growth exponents of repeated pieces)

It starts from a handful of real-looking SOPs in English, Swedish, Norwegian Bokmål and
Telugu (``SEEDS``, written for this file), mutates them (bytes, lines, Markdown and Jinja2
tokens, line endings, NUL, BOM, invalid UTF-8, long repeats, splices of two seeds) and runs
``check_file`` on each in this process with every rule on and a branches file configured.
A case fails when:

- ``check_file`` raises, or reports an internal error (what the CLI turns into exit 2);
- a finding's position lies outside the file (``position_problems``);
- the document model breaks its invariants (``model_problems``);
- it takes longer than ``--slow`` seconds (2 s: the issue's bound per file), or the
  process's peak memory grows by more than 300 MB on it.

Each failure is minimised (lines, then bytes, keeping the same kind of failure) and, with
``--save``, written to ``tests/hostile/fuzz_cases/<kind>-<hash>.md`` with a ``.txt`` note
of what failed. ``tests/hostile/test_fuzz_regressions.py`` replays every saved case and runs
a short burst of this fuzzer (``SOP_LINT_FUZZ_SECONDS``, default 20) on every test run.

The property checks here are shared with ``tests/hostile/test_properties.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import random
import re
import resource
import signal
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "hostile" / "fuzz_cases"
SLOW_SECONDS = 2.0  # the bound for one file
HARD_LIMIT_SECONDS = 5  # a case is stopped here (signal.alarm), and counts as slow
MEMORY_LIMIT_MB = 300  # the bound for one file
TODAY = datetime.date(2026, 6, 1)  # fixed, so date rules give the same findings every day

# -- the project every case is checked in -------------------------------------------------

# Every rule, with the branch data configured so the branch rules (J003, J004) and the
# per-branch linting run too. G001 (LanguageTool) is on as well: without a server it
# reports nothing, quickly, which is what a CI run without LanguageTool does.
CONFIG_TOML = """\
language = "en"
select = ["ALL"]

[branches]
file = "branches.yml"
"""

BRANCHES_YML = """\
org:
  name: Nordlys Service
defaults:
  emergency_phone: "112"
  opening_hours: "Mon–Fri 08:00–18:00"
branches:
  - id: stockholm-city
    name: Stockholm City
    languages: [sv, en]
    vars:
      phone: "08-555 012 30"
      manager: "Karin Lindqvist"
  - id: oslo-sentrum
    name: Oslo Sentrum
    languages: [nb, en]
    vars:
      phone: "+47 21 55 01 20"
      manager: "Eirik Haugland"
  - id: hyderabad-banjara-hills
    name: Hyderabad Banjara Hills
    languages: [te, en]
    vars:
      phone: "+91 40 5550 1234"
      manager: "శ్రీనివాస్ రెడ్డి"
"""


def make_project(folder: Path) -> object:
    """Write the fuzzing project (config and branches file) into ``folder``; its Config."""
    from sop_lint.config import load_config

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sop-lint.toml").write_text(CONFIG_TOML, encoding="utf-8")
    (folder / "branches.yml").write_text(BRANCHES_YML, encoding="utf-8")
    (folder / "docs").mkdir(exist_ok=True)
    config = load_config(explicit=folder / "sop-lint.toml")
    config.today = TODAY
    return config


# -- the properties -------------------------------------------------------------------------


def source_lines(data: bytes) -> list[str]:
    """The file's lines as the product counts them (:func:`sop_lint.parser.normalise_source`
    and ``engine._byte_position``): a line ends at LF, CRLF or a lone CR, nothing else
    breaks a line, and a final break starts no new line ("a\\nb\\n" has 2 lines, "" has 1).
    The same for bytes that are not UTF-8 text (S001 reports those, at the bad byte's
    line): ``b"\\r\\xf6"`` is 2 lines, the empty one and the bad byte. Lines of such bytes
    are decoded as Latin-1, one character per byte, so no column is counted short."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if b"\0" in data[:8192]:  # binary: S001 counts the bytes' lines
        text = data.decode("latin-1")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the final break ends the last line
    return lines


def position_problems(lines: list[str], findings: list) -> list[str]:
    """Findings whose position lies outside the file: line within 1..number of lines,
    column within 1..length of the line + 1, the end not before the start and at most just
    past the line break."""
    problems = []
    count = len(lines)
    for f in findings:
        s = f.span
        where = f"{f.rule} {f.name} at {s.line}:{s.column}-{s.end_line}:{s.end_column}"
        if not 1 <= s.line <= count:
            problems.append(f"{where}: line outside the file's {count} lines")
            continue
        if not 1 <= s.column <= len(lines[s.line - 1]) + 1:
            problems.append(f"{where}: column outside line {s.line} ({len(lines[s.line - 1])})")
        if not s.line <= s.end_line <= count:
            problems.append(f"{where}: end line outside {s.line}..{count}")
            continue
        if s.end_line == s.line and s.end_column < s.column:
            problems.append(f"{where}: ends before it starts")
        # The end is exclusive and may take in the line break (an unclosed block reported
        # at the end of a line): one past the line's last column + 1.
        if not 1 <= s.end_column <= len(lines[s.end_line - 1]) + 2:
            problems.append(f"{where}: end column outside line {s.end_line}")
    return problems


def model_problems(doc: object) -> list[str]:
    """Invariants of the parser's document model: blocks in document order, every block's
    lines and source map inside the source, sentences inside their block, sections and
    lists in order and inside the file."""
    problems: list[str] = []
    source_len = len(doc.source)
    count = doc.line_count
    last_line = 0
    for i, block in enumerate(doc.blocks):
        name = f"block {i} ({block.kind.value}, line {block.start_line})"
        if not 1 <= block.start_line <= block.end_line <= count:
            problems.append(f"{name}: lines {block.start_line}..{block.end_line} of {count}")
        if block.start_line < last_line:
            problems.append(f"{name}: starts before the block before it ({last_line})")
        last_line = block.start_line
        previous = (-1, -1)
        for text_index, offset in block.segments:
            if not 0 <= text_index <= len(block.text) or not 0 <= offset <= source_len:
                problems.append(f"{name}: segment {(text_index, offset)} outside the text")
            if text_index < previous[0]:
                problems.append(f"{name}: segments out of order at {(text_index, offset)}")
            previous = (text_index, offset)
        if block.text and block.segments:
            end = block.source_offset(len(block.text) - 1)
            if not 0 <= end < source_len:
                problems.append(f"{name}: text runs past the source ({end} of {source_len})")
        before = 0
        for sentence in block.sentences:
            if not before <= sentence.start <= sentence.end <= len(block.text):
                problems.append(
                    f"{name}: sentence {sentence.start}..{sentence.end} outside its block "
                    f"or out of order"
                )
            before = sentence.start
            for start, end in sentence.word_spans:
                if not sentence.start <= start <= end <= sentence.end:
                    problems.append(f"{name}: word {start}..{end} outside its sentence")
    previous_line = 0
    for section in doc.sections:
        if not 1 <= section.line <= count or section.line < previous_line:
            problems.append(f"section {section.title!r} at line {section.line}: out of order")
        previous_line = section.line
    for lst in doc.lists:
        for item in lst.items:
            if not 1 <= item.line <= count:
                problems.append(f"list item at line {item.line}: outside {count} lines")
    for table in doc.tables:
        for row in table.rows:
            if not 1 <= row.line <= count:
                problems.append(f"table row at line {row.line}: outside {count} lines")
    for s in doc.suppressions:
        if not 1 <= s.line <= count:
            problems.append(f"suppression at line {s.line}: outside {count} lines")
    for p in doc.problems:
        if not 1 <= p.line <= count:
            problems.append(f"problem {p.code} at line {p.line}: outside {count} lines")
    return problems


@dataclass(frozen=True)
class KnownBug:
    """A failure the suites know of, found on this code and routed to the part of issue 9
    that fixes it. ``matches`` says whether an input and its failure detail are this bug."""

    name: str
    owner: str  # the part of issue 9 that fixes it
    reason: str
    matches: Callable[[bytes, str, str], bool]  # (input, failure kind, detail)


# Found by this fuzzer and the property suite on the code of issue 9's start; each has a
# saved case in tests/hostile/fuzz_cases/ marked xfail(strict=True). The property suite and
# the fuzz burst tolerate these, and only these, so a known bug fails one marked test rather
# than every run. Remove an entry when its fix lands (its strict xfail then fails).
KNOWN_BUGS: list[KnownBug] = [
    # None open. The last ones (impossible-date, nul-after-8k, line-after-end,
    # yaml-line-breaks, jinja-nesting, undefined-in-condition, finding-copies-line,
    # superlinear) are fixed; their saved cases are plain regression tests now.
]


def known_bug(data: bytes, kind: str, detail: str) -> KnownBug | None:
    """The known bug this failure is, if any."""
    return next((bug for bug in KNOWN_BUGS if bug.matches(data, kind, detail)), None)


@dataclass
class Outcome:
    """What one case did: its failure kind ('' when it passed) and the details."""

    kind: str  # "", "exception", "internal-error", "position", "model", "slow", "memory"
    detail: str
    seconds: float
    findings: list


class _Timeout(BaseException):
    """Raised by the alarm. Not an Exception: check_file turns those into internal errors."""


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Stop the block after ``seconds`` (main thread only; elsewhere, no limit)."""

    def expired(signum: int, frame: object) -> None:
        raise _Timeout()

    try:
        old = signal.signal(signal.SIGALRM, expired)
    except ValueError:  # not the main thread
        yield
        return
    signal.alarm(max(1, int(seconds)))
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(
    data: bytes,
    config: object,
    folder: Path,
    slow: float = SLOW_SECONDS,
    name: str = "case.md",
    model: bool = True,
    hard_limit: int = HARD_LIMIT_SECONDS,
    trace_memory: bool = False,
) -> Outcome:
    """Check ``data`` as ``folder/docs/<name>`` and test every property on the result."""
    # The process's peak memory only shows a case that pushes it higher than before; with
    # ``trace_memory`` (replays), tracemalloc measures this case's own peak exactly.
    if trace_memory:
        tracemalloc.start()
        try:
            return _run_case(data, config, folder, slow, name, model, hard_limit, True)
        finally:
            tracemalloc.stop()
    return _run_case(data, config, folder, slow, name, model, hard_limit, False)


def _run_case(
    data: bytes,
    config: object,
    folder: Path,
    slow: float,
    name: str,
    model: bool,
    hard_limit: int,
    trace_memory: bool,
) -> Outcome:
    from sop_lint.engine import check_file, read_source
    from sop_lint.parser import parse_document

    path = folder / "docs" / name
    path.write_bytes(data)
    peak = _peak_mb()
    # CPU time, not wall time: the verdict must not depend on what else runs on the machine.
    start = time.process_time()
    try:
        with _time_limit(hard_limit):
            result = check_file(path, config, with_stats=True)
    except _Timeout:
        return Outcome("slow", f"stopped after {hard_limit} s", hard_limit, [])
    except Exception as exc:
        return Outcome("exception", f"{type(exc).__name__}: {exc}", 0.0, [])
    seconds = time.process_time() - start
    findings = result.findings
    if result.errors:
        detail = "; ".join(result.errors).replace(str(path), name)
        return Outcome("internal-error", detail, seconds, findings)
    problems = position_problems(source_lines(data), findings)
    if problems:
        return Outcome("position", "; ".join(problems[:5]), seconds, findings)
    if model:
        try:
            text = read_source(path, folder)
        except Exception:
            text = None
        if text is not None:
            try:
                doc = parse_document(text, "case.md", "en")
            except Exception as exc:
                return Outcome("exception", f"parse: {type(exc).__name__}: {exc}", seconds, [])
            problems = model_problems(doc)
            if problems:
                return Outcome("model", "; ".join(problems[:5]), seconds, findings)
    grown = _peak_mb() - peak
    if trace_memory:
        grown = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    if grown > MEMORY_LIMIT_MB:
        return Outcome("memory", f"peak memory grew by {grown:.0f} MB", seconds, findings)
    if seconds > slow and not trace_memory:  # tracemalloc itself slows the case down
        return Outcome("slow", f"took {seconds:.2f} s of CPU (limit {slow} s)", seconds, findings)
    return Outcome("", "", seconds, findings)


# -- seeds: real-looking SOPs, written for this file ---------------------------------------

SEEDS: dict[str, str] = {
    "en-returns": """\
---
id: NS-101
title: Take back a returned phone
version: "1.2"
status: effective
owner: Store manager
approved_by: Regional manager
approved_on: 2026-01-10
review_due: 2027-01-10
applies_to: [stockholm-city, oslo-sentrum]
lang: en
---

# Take back a returned phone

## Purpose

This procedure makes sure that a returned phone is checked before the refund is paid.

## Procedure

1. Ask the customer for the receipt.
2. Check that the phone is switched off and that the SIM card is removed.
   - If the screen is cracked, call {{ branch.manager }} on {{ branch.phone }}.
3. Enter the return in `POS` and print the slip.

<!-- sop-lint-disable-next-line B001 -->
| Step | Who | Time |
| --- | --- | --- |
| Check | Cashier | 5 min |

{% if branch.id == "oslo-sentrum" %}
Send the phone to the workshop in Oslo.
{% endif %}

See [the returns policy](https://example.com/returns) for *more* details.
""",
    "sv-kassa": """\
---
id: NS-202-sv
title: Stänga kassan
version: "2.0"
status: draft
owner: Butikschef
approved_by: Butikschef
review_due: 2026-13-01
lang: sv
---

# Stänga kassan

## Syfte

Rutinen ser till att pengarna i kassan stämmer med dagens försäljning på {{ branch.name }}.

## Utförande

1. Skriv ut dagsrapporten från kassasystemet.
2. Räkna sedlar och mynt två gånger.
3. Lägg pengarna i kassaskåpet och lås det.
   1. Om summan inte stämmer, ring {{ branch.phone }}.

> **Obs!** Lämna aldrig kassaskåpet öppet när du går.

```text
Dagsrapport: ÅÄÖ åäö
```
""",
    "nb-lager": """\
---
id: NS-303-nb
title: "Motta varer på lageret"
version: 1.0
status: effective
owner: Lagerleder
approved_by: Regionsjef
approved_on: 2026-02-30
applies_to: all
lang: nb
---

# Motta varer på lageret

## Formål

Rutinen sikrer at alle varer blir kontrollert før de settes på hylla.

## Fremgangsmåte

1. Tell kollene og sammenlign med følgeseddelen.
2. Åpne hver kasse og se etter skader på varene.
3. Registrer mottaket i lagersystemet innen én time.
    - Ødelagte varer legges i bur nr. 2 og merkes med «Reklamasjon».

<details><summary>Hvem ringer jeg?</summary>
Ring {{ branch.manager }} på {{ branch.phone }} eller nødnummeret {{ defaults.emergency_phone }}.
</details>
""",
    "te-billing": """\
---
id: NS-404-te
title: బిల్లు చెల్లింపు
version: "1.1"
status: effective
owner: స్టోర్ మేనేజర్
approved_by: రీజనల్ మేనేజర్
review_due: 2027-03-01
lang: te
---

# బిల్లు చెల్లింపు

## ఉద్దేశ్యం

ఈ విధానం కస్టమర్ బిల్లు సరిగ్గా చెల్లించబడిందని నిర్ధారిస్తుంది.

## విధానం

1. కస్టమర్ నుండి రసీదును తీసుకోండి.
2. మొత్తాన్ని కంప్యూటర్‌లో నమోదు చేయండి.
3. సమస్య ఉంటే {{ branch.manager }} గారికి {{ branch.phone }} నంబరుకు ఫోన్ చేయండి.
4. రసీదు ప్రతిని కస్టమర్‌కు ఇవ్వండి.

<!-- sop-lint-disable I002 -->
కస్టమర్ వేచి ఉండకూడదు. ప్రతి బిల్లును ఐదు నిమిషాల్లో పూర్తి చేయాలి.
<!-- sop-lint-enable -->
""",
    "en-plain": """\
# Opening checklist

Unlock the front door at 08:45.
Switch on the lights and the till.

* Check the alarm panel.
    * If it shows a fault, phone {{ org.name }}.
* Count the float.

Setext heading
==============

Text with `code`, ``double `code` spans``, <kbd>Ctrl</kbd> and a footnote.[^1]

[^1]: The float is 2,000 SEK.
""",
}

# Pieces the mutator inserts: Markdown, Jinja2, HTML, suppressions, scripts and controls.
TOKENS: list[str] = [
    "`",
    "``",
    "```",
    "~~~",
    "````\n",
    "*",
    "**",
    "_",
    "__",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "#",
    "## ",
    "###### ",
    "\n---\n",
    "---\n",
    "|",
    "| --- |",
    "1. ",
    "1) ",
    "- ",
    "  - ",
    "\t",
    "    ",
    "> ",
    "\\",
    "{{",
    "}}",
    "{{ branch.phone }}",
    "{{ branch.",
    "{%",
    "%}",
    "{% if branch.id == 'x' %}",
    "{% endif %}",
    "{% raw %}",
    "{% endraw %}",
    "{#",
    "#}",
    "{{ '{{' }}",
    "{{ branch.missing }}",
    "{{ ''.__class__ }}",
    "<!--",
    "-->",
    "<!-- sop-lint-disable -->",
    "<!-- sop-lint-enable -->",
    "<!-- sop-lint-disable B001",
    "<!-- sop-lint-disable-next-line nonsense -->",
    "<!-- sop-lint-disable-file -->",
    "<script>alert(1)</script>",
    "<div>",
    "</div>",
    "<br>",
    "&amp;",
    "&#0;",
    "&#x10FFFF;",
    "[x](http://e.com)",
    "![i](a.png)",
    "<https://e.com>",
    "[^1]",
    "[ref]: http://e.com\n",
    "id:",
    "id: \n",
    "title: ",
    "review_due: 2027-02-30",
    "version: 1e999",
    ": ",
    "- [",
    "&a [1]",
    "*a",
    "!!python/object/apply:os.system ['true']",
    "9" * 400,
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "\0",
    "\ufeff",
    "\u200d",
    "\u200c",
    "\u0c4d",
    "\u0301",
    "\u2028",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "å",
    "ä",
    "ö",
    "æ",
    "ø",
    "Å",
    "Ø",
    "క్ష",
    "ర్\u200d",
    "స్\u200cత",
    "ా",
    "ి",
    "ం",
    ". ",
    "? ",
    "! ",
    "…",
    "; ",
    "e.g. ",
    "Ring",
    "Tell",
    "Check",
    "Räkna",
    "చేయండి",
    "was checked",
    "will be",
    "must",
    "skal",
]
BAD_BYTES = [b"\xff", b"\xc3", b"\xe0\xb0", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"]


# -- mutations -----------------------------------------------------------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def mutate(data: bytes, rng: random.Random, seeds: list[bytes]) -> bytes:
    """One random mutation of ``data``: bytes, lines, tokens, repeats or a splice."""
    choice = rng.randrange(12)
    n = len(data)
    at = rng.randint(0, n)
    if choice == 0 and n:  # flip, drop or duplicate a byte
        i = rng.randrange(n)
        op = rng.randrange(3)
        if op == 0:
            return data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]
        if op == 1:
            return data[:i] + data[i + 1 :]
        return data[:i] + data[i : i + 1] * rng.randint(2, 8) + data[i + 1 :]
    if choice in (1, 2, 3):  # insert a token
        token = rng.choice(TOKENS).encode("utf-8")
        return data[:at] + token + data[at:]
    if choice == 4:  # insert invalid UTF-8
        return data[:at] + rng.choice(BAD_BYTES) + data[at:]
    if choice == 5:  # delete, duplicate or swap lines
        lines = _lines(data)
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        op = rng.randrange(3)
        if op == 0:
            del lines[i : i + rng.randint(1, 5)]
        elif op == 1:
            lines[i:i] = lines[i : i + rng.randint(1, 4)] * rng.randint(1, 3)
        else:
            lines[i], lines[j] = lines[j], lines[i]
        return b"".join(lines)
    if choice == 6:  # change every line ending
        ending = rng.choice([b"\r\n", b"\r", b"\n\n", b"\n"])
        return b"\n".join(line.rstrip(b"\r\n") for line in _lines(data)).replace(b"\n", ending)
    if choice == 7:  # splice with a seed
        other = rng.choice(seeds)
        cut = rng.randint(0, len(other))
        return data[:at] + other[cut : cut + rng.randint(1, 400)] + data[at:]
    if choice == 8:  # repeat a token many times: superlinear cases show up as slow
        token = rng.choice(TOKENS).encode("utf-8")
        return data[:at] + token * rng.choice([50, 200, 1000, 3000]) + data[at:]
    if choice == 9:  # indent or dedent a line (lists, code blocks)
        lines = _lines(data)
        i = rng.randrange(len(lines))
        pad = rng.choice([b" ", b"  ", b"    ", b"\t", b"      "])
        lines[i] = pad + lines[i] if rng.random() < 0.6 else lines[i].lstrip()
        return b"".join(lines)
    if choice == 10:  # a very long line
        word = rng.choice([*TOKENS, "word ", "ord ", "పదం "]).encode("utf-8")
        return data[:at] + word * rng.randint(100, 2000) + data[at:]
    # a BOM or a NUL at the start, in the first 8 KB, or after it
    piece = rng.choice([b"\xef\xbb\xbf", b"\0"])
    where = rng.choice([0, at, max(n, 8200)])
    padded = data + b" " * max(0, where - n)
    return padded[:where] + piece + padded[where:]


def cases(rng: random.Random, seeds: list[bytes] | None = None) -> Iterator[bytes]:
    """An endless stream of mutated seeds (1 to 6 mutations each)."""
    seeds = seeds or [text.encode("utf-8") for text in SEEDS.values()]
    while True:
        data = rng.choice(seeds)
        for _ in range(rng.randint(1, 6)):
            data = mutate(data, rng, seeds)
        yield data


# -- minimising and saving ----------------------------------------------------------------


def minimise(data: bytes, fails: Callable[[bytes], bool], budget: float = 60.0) -> bytes:
    """A smaller input that still ``fails``: drop chunks of lines, then of bytes (ddmin-ish),
    within ``budget`` seconds."""
    deadline = time.monotonic() + budget
    for unit in ("lines", "bytes"):
        parts = _lines(data) if unit == "lines" else [bytes([b]) for b in data]
        chunk = max(1, len(parts) // 2)
        while chunk >= 1 and time.monotonic() < deadline:
            i, changed = 0, False
            while i < len(parts) and time.monotonic() < deadline:
                trial = parts[:i] + parts[i + chunk :]
                if trial and fails(b"".join(trial)):
                    parts, changed = trial, True
                else:
                    i += chunk
            if not changed:
                chunk //= 2
        data = b"".join(parts)
        if unit == "lines" and len(data) > 4000:
            break  # byte-wise on a big input costs more than it gains
    return data


def amplify(
    data: bytes, slow_enough: Callable[[bytes], bool], limit: int = 200_000
) -> bytes | None:
    """Make a slow case decisively slow: double its longest run of a repeated piece until
    ``slow_enough`` says so; None if it is not by ``limit`` bytes (then the case was just
    big, not superlinear). A minimised slow case sits just over the time limit, where a
    replay could pass or fail by chance; a superlinear one grows fast when its run doubles.
    """
    while not slow_enough(data):
        runs = list(re.finditer(rb"(.{1,30}?)\1{9,}", data, re.S))
        if not runs:
            return None
        run = max(runs, key=lambda m: len(m.group(0)))
        if len(data) + len(run.group(0)) > limit:
            return None
        data = data[: run.start()] + run.group(0) * 2 + data[run.end() :]
    return data


def save_case(data: bytes, outcome: Outcome, note: str = "") -> Path:
    """Write a failing input to ``tests/hostile/fuzz_cases/`` with a note of what failed."""
    CASES.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:10]
    path = CASES / f"{outcome.kind}-{digest}.md"
    path.write_bytes(data)
    path.with_suffix(".txt").write_text(
        f"kind: {outcome.kind}\n"
        f"failure: {outcome.detail}\n"
        f"size: {len(data)} bytes\n"
        f"found: {datetime.date.today().isoformat()} by benchmarks/fuzz.py {note}\n",
        encoding="utf-8",
    )
    return path


def fuzz(
    seconds: float,
    seed: int = 1,
    save: bool = False,
    slow: float = SLOW_SECONDS,
    minimise_budget: float = 60.0,
    log: Callable[[str], None] = print,
    skip: Callable[[bytes, Outcome], bool] = lambda data, outcome: False,
) -> list[tuple[bytes, Outcome]]:
    """Fuzz for ``seconds``; return the (minimised) failures. ``skip`` drops known ones
    (e.g. ``skip_known``)."""
    rng = random.Random(seed)
    failures: list[tuple[bytes, Outcome]] = []
    seen: set[tuple[str, str]] = set()
    with tempfile.TemporaryDirectory(prefix="sop-lint-fuzz-") as tmp:
        folder = Path(tmp)
        config = make_project(folder)
        run_case(SEEDS["en-returns"].encode(), config, folder)  # load the languages first
        deadline = time.monotonic() + seconds
        count, slowest = 0, (0.0, b"")
        for data in cases(rng):
            if time.monotonic() >= deadline:
                break
            count += 1
            outcome = run_case(data, config, folder, slow)
            if outcome.seconds > slowest[0]:
                slowest = (outcome.seconds, data)
            if not outcome.kind or skip(data, outcome):
                continue
            # One failure per kind and first rule/message word, so a burst does not minimise
            # the same bug fifty times.
            signature = (outcome.kind, _signature(outcome.detail))
            if signature in seen:
                continue
            seen.add(signature)

            def still_fails(trial: bytes, kind: str = outcome.kind) -> bool:
                # Slow cases are minimised against half the limit: smaller inputs get faster.
                return (
                    run_case(trial, config, folder, slow / 2 if kind == "slow" else slow).kind
                    == kind
                )

            small = minimise(data, still_fails, minimise_budget)
            if outcome.kind == "slow":
                # Saved at 1.5 times the limit, so a replay fails (or, once fixed, passes)
                # whatever the machine's load.
                grown = amplify(
                    small, lambda d: run_case(d, config, folder, 1.5 * slow).kind == "slow"
                )
                if grown is None:
                    log(f"slow but not superlinear, not kept ({len(small)} bytes)")
                    continue
                small = grown
            final = run_case(small, config, folder, slow)
            final = final if final.kind == outcome.kind else outcome
            failures.append((small, final))
            where = save_case(small, final, f"(seed {seed})") if save else None
            log(f"FAIL {final.kind}: {final.detail[:200]} ({len(small)} bytes) {where or ''}")
        log(
            f"{count} cases in {seconds:.0f} s, {len(failures)} failures; "
            f"slowest {slowest[0]:.2f} s ({len(slowest[1])} bytes); peak {_peak_mb():.0f} MB"
        )
    return failures


# Pieces that the fuzzer found slow when repeated inside one step, with how often: the
# growth probe measures each at n, 2n and 4n repeats.
PROBES: list[tuple[str, int]] = [
    ("`", 250),
    ("&#0;", 500),
    ("&#x10FFFF;", 500),
    ("{% endif %}", 500),
    ("<!-- sop-lint-enable -->", 250),
    ("<!--", 500),
    ("{{", 500),
    ("{{ branch.phone }} ", 500),
    ("**a** ", 500),
    ("[x](y) ", 500),
    ("ord ", 2000),
    ("చేయండి ", 2000),
]


def probe(save: bool = False, log: Callable[[str], None] = print) -> None:
    """Time each ``PROBES`` piece repeated n, 2n and 4n times in one step (CPU seconds),
    print the growth exponent (1: linear, 2: quadratic), and with ``save`` keep a
    decisively slow (or failing) case of each superlinear one as a fixture."""
    import math

    from sop_lint.engine import MAX_FILE_BYTES

    with tempfile.TemporaryDirectory(prefix="sop-lint-probe-") as tmp:
        folder = Path(tmp)
        config = make_project(folder)
        run_case(SEEDS["en-returns"].encode(), config, folder)
        for piece, n in PROBES:

            def case(k: int, piece: str = piece) -> bytes:
                return f"1. Ask the customer {piece * k} now.\n".encode()

            # Grow n until one run is long enough to time (a few hundredths of a second
            # are noise), as long as 4n stays under the size cap: a fast piece would
            # otherwise show exponent 0 whatever its growth.
            while (
                len(case(8 * n)) <= MAX_FILE_BYTES
                and run_case(case(n), config, folder).seconds < 0.1
            ):
                n *= 2
            times, outcome = [], None
            for k in (n, 2 * n, 4 * n):
                outcome = run_case(case(k), config, folder, slow=1000, hard_limit=30)
                times.append(outcome.seconds)
                if outcome.kind:
                    break
            exponent = (
                math.log(times[2] / times[1], 2) if len(times) == 3 and times[1] > 0.02 else 0.0
            )
            log(
                f"{piece!r:30} n={n}: {' '.join(f'{t:.2f}' for t in times)} s"
                f"  exponent {exponent:.2f}  {outcome.kind} {outcome.detail[:80]}"
            )
            if not save:
                continue
            if outcome.kind:
                smaller = minimise(
                    case(n), lambda d, k=outcome.kind: run_case(d, config, folder).kind == k, 30
                )
                save_case(smaller, run_case(smaller, config, folder), "(growth probe)")
            elif exponent > 1.5:
                grown = amplify(
                    case(n),
                    lambda d: run_case(d, config, folder, 1.5 * SLOW_SECONDS).kind == "slow",
                )
                if grown is not None:
                    save_case(grown, run_case(grown, config, folder), "(growth probe)")


def skip_known(data: bytes, outcome: Outcome) -> bool:
    """For ``fuzz(skip=...)``: leave out failures that are ``KNOWN_BUGS``."""
    return known_bug(data, outcome.kind, outcome.detail) is not None


def _signature(detail: str) -> str:
    if detail.startswith(("took", "stopped")):
        return "slow"  # timings differ case by case; one slow case per run is plenty
    # The first problem, without its numbers: "block 10 ... (15495 of 8193)" and "block 9
    # ... (13381 of 8193)" are the same bug.
    first = detail.split(";")[0].split(":")
    return re.sub(r"\d+", "#", ":".join(first[:2] if len(first) > 2 else first[-1:]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slow", type=float, default=SLOW_SECONDS)
    parser.add_argument("--save", action="store_true", help="write failures to fuzz_cases/")
    parser.add_argument("--minimise-seconds", type=float, default=60.0)
    parser.add_argument(
        "--probe", action="store_true", help="measure growth on repeated pieces instead"
    )
    parser.add_argument(
        "--all", action="store_true", help="also report failures that are KNOWN_BUGS"
    )
    args = parser.parse_args(argv)
    if args.probe:
        probe(args.save)
        return 0
    skip = (lambda data, outcome: False) if args.all else skip_known
    failures = fuzz(args.seconds, args.seed, args.save, args.slow, args.minimise_seconds, skip=skip)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
