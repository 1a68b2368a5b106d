"""Safe fixes: what ``sop-lint check --fix`` writes and ``check --diff`` shows.

A rule offers a :class:`~sop_lint.model.Fix` only where the change reads right wherever
the text can stand: a wordy phrase with exactly one replacement in the same form (W001), a
glossary pair (W002). Rewrites that need a writer's judgement (tense, imperative) stay
suggestions. This module has two halves:

- for rules: :func:`literal_edit` turns a piece of a block's visible text into an edit of
  the file, or refuses (markup, code, a Jinja2 placeholder or a line break inside the
  span, or text inside quotation marks, which may be a label the reader must find as
  written);
- for the command: :func:`fix_file` applies the safe fixes of one file until none is
  left (a fix can make or hide another), and :func:`write_atomically` writes the result
  so that a killed run leaves every file either wholly old or wholly new.

Findings are on normalised text (:func:`sop_lint.parser.normalise_source`: LF line
breaks, no BOM); edits are mapped back to the file's own line breaks and BOM, so a CRLF
file stays CRLF.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sop_lint import safe_io
from sop_lint.model import Block, Finding, Fix, TextEdit

if TYPE_CHECKING:
    from sop_lint.config import Config

# Each round re-checks the fixed text: one fix can make room for another (two fixes on the
# same words wait for the next round). Real text settles in two or three rounds; the cap
# only stops a pair of rules that would undo each other from looping.
MAX_ROUNDS = 10


def inside_quotes(text: str, start: int) -> bool:
    """Whether ``text[start]`` lies inside a quotation that opens earlier in ``text``."""
    positions, states = _quote_states(text)
    at = bisect.bisect_right(positions, start - 1) - 1
    return at >= 0 and states[at]


@functools.lru_cache(maxsize=64)
def _quote_states(text: str) -> tuple[list[int], list[bool]]:
    """Where ``text`` enters or leaves a quotation: the index of each quotation mark and
    whether the text after it is quoted. Made once per block, so a block with thousands
    of findings is scanned once, not once per finding."""
    double = 0  # “…”, „…“, «…», ”…” (Swedish and Norwegian open with ” too)
    single = 0  # ‘…’; a ’ with no ‘ open is an apostrophe (don’t)
    straight = False  # "…"
    positions: list[int] = []
    states: list[bool] = []
    for index, char in enumerate(text):
        if char not in _QUOTE_MARKS:
            continue
        if char == '"':
            straight = not straight
        elif char in "\u201c\u201e":
            double += 1
        elif char in "\u201d\u00ab\u00bb\u2039\u203a":
            # ” closes “ and opens a Swedish or Norwegian ”…”; » and « likewise close
            # the one before or open one: Swedish »…», German »…«, French «…».
            double = double - 1 if double else 1
        elif char == "\u2018":
            single += 1
        elif char == "\u2019":
            if not single:
                continue
            single -= 1
        positions.append(index)
        states.append(straight or double > 0 or single > 0)
    return positions, states


_QUOTE_MARKS = frozenset('"\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a\u2018\u2019')


def literal_edit(block: Block, start: int, end: int, replacement: str) -> TextEdit | None:
    """An edit replacing ``block.text[start:end]`` with ``replacement``, or None if unsafe.

    The visible text must be exactly the file's text there: no emphasis, link, code span,
    HTML or Jinja2 markup inside it (the parser blanks markup out, so any would differ),
    no line break (a phrase across lines would pull two lines into one), and not inside
    quotation marks.
    """
    text = block.text
    if not 0 <= start < end <= len(text) or "\n" in text[start:end]:
        return None
    source = block.document.source
    first = block.source_offset(start)
    last = block.source_offset(end - 1) + 1
    original = source[first:last]
    if original != text[start:end] or "{" in original or "`" in original:
        return None
    if inside_quotes(text, start):
        return None
    doc = block.document
    line, column = doc.line_col(first)
    end_line, end_column = doc.line_col(last)
    return TextEdit(line, column, end_line, end_column, replacement, original)


def safe_fix(edit: TextEdit | None) -> Fix | None:
    """A safe :class:`Fix` of one edit (None stays None)."""
    return Fix((edit,)) if edit is not None else None


# -- applying ------------------------------------------------------------------------------


class ChangedOnDisk(Exception):
    """The file changed since it was read; it is left as it is."""


def split_lines(text: str) -> list[str]:
    """``text`` in lines as :func:`~sop_lint.parser.normalise_source` counts them (a line
    ends at LF, CRLF or a lone CR), each keeping its ending."""
    lines: list[str] = []
    start = 0
    i = 0
    size = len(text)
    while i < size:
        char = text[i]
        if char == "\n" or char == "\r":
            end = i + 2 if char == "\r" and text.startswith("\n", i + 1) else i + 1
            lines.append(text[start:end])
            start = i = end
        else:
            i += 1
    if start < size or not lines:
        lines.append(text[start:])
    return lines


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


def apply_edits(lines: list[str], edits: list[TextEdit]) -> list[str]:
    """``lines`` (each with its ending) with ``edits`` made; edits must not overlap.

    An edit whose text is no longer ``edit.original`` is skipped (the file is not what the
    rule saw).
    """
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    text = "".join(lines)

    def offset(line: int, column: int) -> int | None:
        if not 1 <= line <= len(lines):
            return starts[-1] if line == len(lines) + 1 and column == 1 else None
        return starts[line - 1] + column - 1

    pieces: list[tuple[int, int, str]] = []
    for edit in edits:
        first = offset(edit.line, edit.column)
        last = offset(edit.end_line, edit.end_column)
        if first is None or last is None or last < first:
            continue
        if _normalised(text[first:last]) != edit.original:
            continue
        pieces.append((first, last, edit.replacement))
    # One pass, in order: thousands of edits on a long line copy the text once.
    out: list[str] = []
    position = 0
    for first, last, replacement in sorted(pieces):
        if first < position:
            continue  # overlaps the edit before it: left for the next round
        out += (text[position:first], replacement)
        position = last
    out.append(text[position:])
    text = "".join(out)
    return split_lines(text) if text else [""]


def _edit_range(edit: TextEdit) -> tuple[tuple[int, int], tuple[int, int]]:
    return (edit.line, edit.column), (edit.end_line, edit.end_column)


def choose_fixes(findings: list[Finding]) -> list[Finding]:
    """The findings whose safe fixes can be applied together: in file order, leaving out
    any fix that touches text an earlier chosen fix changes (it waits for the next round,
    when its rule has looked at the new text)."""
    chosen: list[Finding] = []
    taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
    fixable = [f for f in findings if f.fix is not None and f.fix.safe and f.fix.edits]
    for finding in sorted(fixable, key=Finding.sort_key):
        assert finding.fix is not None
        ranges = [_edit_range(edit) for edit in finding.fix.edits]
        if any(
            first <= t_last and t_first <= last
            for first, last in ranges
            for t_first, t_last in taken
        ):
            continue
        chosen.append(finding)
        taken.extend(ranges)
    return chosen


@dataclass(slots=True)
class FileFix:
    """What fixing one file came to."""

    path: Path
    shown: str
    before: str = ""  # the file's text as read (own line endings and BOM)
    after: str = ""  # the fixed text
    fixed: int = 0  # how many findings the fixes resolved
    problems: list[str] = field(default_factory=list)  # why it was left alone

    @property
    def changed(self) -> bool:
        return self.after != self.before


def findings_of(text: str, path: Path, config: Config) -> list[Finding]:
    """The findings of the rules that make fixes (``makes_fixes``), for ``text`` as the
    file at ``path``: its config, language and inline suppressions apply.

    Other rules are not run: their findings carry no fix, and a fix never depends on
    them. Nor are the branch renderings: a finding that only a branch's text has maps to
    a source line, not to the words to change, so it never carries a fix.
    """
    from sop_lint.engine import display_path, inside_file, lint_document
    from sop_lint.parser import parse_document

    file_config = config.for_file(path)
    rules = [(r, s) for r, s in config.rules_for(file_config) if getattr(r, "makes_fixes", False)]
    if not rules:
        return []
    doc = parse_document(text, display_path(path), file_config.language)
    return inside_file(doc, lint_document(doc, rules, known_rules=False))


def fix_file(path: Path, config: Config) -> FileFix:
    """Apply the safe fixes of one file in memory, round after round until none is left.

    Nothing is written here: see :func:`write_fixed`. A file that cannot be read, or that is
    a symlink leading out of the project, comes back unchanged with the reason.
    """
    from sop_lint.engine import MAX_FILE_BYTES, display_path
    from sop_lint.safe_io import RefusedRead, escapes_root, read_guarded

    shown = display_path(path)
    result = FileFix(path, shown)
    if escapes_root(path, config.root) is not None:
        result.problems.append(
            f"{shown}: is a symlink to a file outside the project; not fixed (sop-lint "
            "never writes through such a link)"
        )
        return result
    try:
        data = read_guarded(path, config.root, MAX_FILE_BYTES)
        if b"\0" in data:
            return result  # binary: the check reports it, nothing is written
        text = data.decode("utf-8")
    except (RefusedRead, UnicodeDecodeError):
        return result  # the check reports why it cannot be read
    result.before = text
    result.after, result.fixed = fix_text(text, path, config)
    return result


def fix_text(text: str, path: Path, config: Config) -> tuple[str, int]:
    """``text`` (as the file at ``path``: its config and language apply) with every safe
    fix made, and how many findings they fixed. Line endings and a BOM are kept.

    Round after round: a fix can make room for another, and of two fixes on the same
    words only the first is made in a round. For an editor or ``check - --fix`` on stdin.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = split_lines(text[len(bom) :])
    fixed = 0
    for _ in range(MAX_ROUNDS):
        chosen = choose_fixes(findings_of(bom + "".join(lines), path, config))
        if not chosen:
            break
        edits = [edit for finding in chosen if finding.fix for edit in finding.fix.edits]
        new_lines = apply_edits(lines, edits)
        if new_lines == lines:
            break  # every edit was refused: nothing more will change
        lines = new_lines
        fixed += len(chosen)
    return bom + "".join(lines), fixed


def write_fixed(result: FileFix, config: Config) -> bool:
    """Write ``result.after`` over the file if it changed and the file is still what was
    read; False (with the reason in ``result.problems``) when it was left alone."""
    from sop_lint.safe_io import RefusedRead, escapes_root, read_guarded

    if not result.changed:
        return False
    path = result.path
    if escapes_root(path, config.root) is not None:  # checked again: it may have been swapped
        result.problems.append(f"{result.shown}: now a symlink out of the project; not fixed")
        return False
    target = Path(os.path.realpath(path))  # a link inside the project: write its file
    try:
        read_only = not target.stat().st_mode & 0o222
    except OSError:
        read_only = False  # the read below says what is wrong
    if read_only:  # replacing the file would get round its permissions, even as root
        result.problems.append(
            f"{result.shown}: the file is read-only; not fixed (make it writable to fix it)"
        )
        return False
    try:
        current = read_guarded(path, config.root)
    except RefusedRead as exc:
        result.problems.append(f"{result.shown}: {exc}; not fixed")
        return False
    if current.decode("utf-8", "replace") != result.before:
        result.problems.append(
            f"{result.shown}: the file changed while sop-lint was fixing it; not fixed "
            "(run sop-lint check --fix again)"
        )
        return False
    try:
        write_atomically(target, result.after.encode("utf-8"), expected=current)
    except ChangedOnDisk:
        result.problems.append(
            f"{result.shown}: the file changed while sop-lint was fixing it; not fixed "
            "(run sop-lint check --fix again)"
        )
        return False
    except OSError as exc:
        result.problems.append(
            f"{result.shown}: cannot write the fixes: {exc.strerror or exc}; the file is "
            "unchanged (check that you may write to the file and its folder)"
        )
        return False
    return True


def write_atomically(path: Path, data: bytes, expected: bytes | None = None) -> None:
    """Replace ``path`` with ``data`` in one step: a temporary file in the same folder,
    flushed to disk, then renamed over it. A reader (or a killed run) sees the old file or
    the new one, never half. The file's permission bits are kept. With ``expected``, the
    file must still hold those bytes just before the rename (else :class:`ChangedOnDisk`).
    """

    def unchanged() -> None:
        if expected is not None:
            with open(path, "rb") as handle:
                if handle.read() != expected:
                    raise ChangedOnDisk(str(path))

    safe_io.write_atomically(
        path,
        data,
        prefix=".sop-lint-fix-",
        mode=stat.S_IMODE(os.stat(path).st_mode),
        durable=True,
        before_replace=unchanged,
    )


@dataclass(slots=True)
class FixRun:
    """The outcome of fixing (or showing the fixes of) every file of a run."""

    results: list[FileFix] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # paths that are not there

    @property
    def changed(self) -> list[FileFix]:
        return [r for r in self.results if r.changed]

    @property
    def fixed(self) -> int:
        return sum(r.fixed for r in self.changed)

    @property
    def problems(self) -> list[str]:
        return [p for r in self.results for p in r.problems]

    def diff(self) -> str:
        return "".join(unified_diff(r) for r in self.changed)


def run_fixes(targets: list[Path], config: Config, write: bool) -> FixRun:
    """Work out the safe fixes of every Markdown file under ``targets``, and with
    ``write`` write each changed file (atomically, one at a time)."""
    from sop_lint.engine import discover

    files, errors = discover(targets, config)
    if not files and not errors:  # as check says it: "Nothing to fix." would read as a pass
        from sop_lint.files import IgnoreFiles, nothing_to_check

        ignore = IgnoreFiles() if config.respect_gitignore else None
        errors.append(nothing_to_check(targets, config, ignore))
    run = FixRun(errors=errors)
    for path in files:
        result = fix_file(path, config)
        if write and result.changed and not write_fixed(result, config):
            result.after = result.before  # left alone: nothing of it was fixed
            result.fixed = 0
        run.results.append(result)
    return run


def count_phrase(n: int, one: str, many: str) -> str:
    """``1 finding`` / ``2 findings``."""
    return f"{n} {one if n == 1 else many}"


# -- showing -------------------------------------------------------------------------------

_NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(result: FileFix) -> str:
    """The change as a unified diff that ``git apply`` and ``patch -p1`` accept."""
    if not result.changed:
        return ""
    name = result.shown
    # Lines as git and patch count them: ended by LF only (a CR stays part of its line).
    before = _git_lines(result.before)
    after = _git_lines(result.after)
    out: list[str] = []
    for line in difflib.unified_diff(before, after, f"a/{name}", f"b/{name}", n=3):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:  # the file's last line, with no line break after it
            out.append(line + "\n" + _NO_NEWLINE)
    return "".join(out)


def _git_lines(text: str) -> list[str]:
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


# -- the command's options -----------------------------------------------------------------


def apply_fix_options(targets: list[Path], config: Config, fix: bool, show_diff: bool) -> bool:
    """What ``check --fix`` and ``check --diff`` do before the check itself.

    ``--fix`` writes the fixes and says on stderr how many it made; the check that follows
    reports what remains. ``--diff`` prints the fixes as a unified diff, writes nothing,
    and ends the command: exit code 1 if there is anything to fix, 0 if not (as ``ruff``
    and ``black`` do), 2 if a path is missing. True when ``--fix`` changed a file.
    """
    import sys

    import click

    if fix and show_diff:
        raise click.UsageError(
            "--fix writes the fixes and --diff only shows them: use one of the two"
        )
    run = run_fixes(targets, config, write=fix)
    for problem in run.problems:
        click.echo(f"sop-lint: warning: {problem}", err=True)
    fixed = count_phrase(run.fixed, "finding", "findings")
    files = count_phrase(len(run.changed), "file", "files")
    if fix:
        click.echo(f"Fixed {fixed} in {files}.", err=True)
        return bool(run.changed)
    # Bytes, not text: the diff keeps each file's own line endings, whatever the terminal.
    stdout = sys.stdout.buffer
    stdout.write(run.diff().encode("utf-8"))
    stdout.flush()
    for error in run.errors:
        click.echo(f"sop-lint: error: {error}", err=True)
    if run.errors:
        sys.exit(2)
    if run.changed:
        click.echo(f"{fixed} in {files} can be fixed: run sop-lint check --fix.", err=True)
        sys.exit(1)
    click.echo("Nothing to fix.", err=True)
    sys.exit(0)


def fix_stdin(data: bytes, path: Path, shown: str, config: Config, show_diff: bool) -> int:
    """``check - --fix`` and ``check - --diff``: the SOP read from stdin, fixed.

    ``--fix`` prints the whole fixed text on stdout (what an editor puts back in its
    buffer) and exits 0; ``--diff`` prints the unified diff and exits 1 if there is
    anything to fix. Text that is not UTF-8 or is binary is printed back unchanged, with
    the reason on stderr. Returns the exit code.
    """
    import sys

    import click

    stdout = sys.stdout.buffer
    try:
        if b"\0" in data:
            raise UnicodeDecodeError("utf-8", data, 0, 1, "binary")
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        click.echo(
            f"sop-lint: warning: {shown}: not UTF-8 text; nothing fixed (save it as UTF-8)",
            err=True,
        )
        if not show_diff:
            stdout.write(data)
        return 0
    after, fixed = fix_text(text, path, config)
    result = FileFix(path=path, shown=shown, before=text, after=after, fixed=fixed)
    if show_diff:
        stdout.write(unified_diff(result).encode("utf-8"))
        stdout.flush()
        return 1 if result.changed else 0
    stdout.write(after.encode("utf-8"))
    stdout.flush()
    click.echo(f"Fixed {count_phrase(fixed, 'finding', 'findings')} in {shown}.", err=True)
    return 0
