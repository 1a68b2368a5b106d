"""Changed lines: which lines a pull request (or a writer's uncommitted edits) touched.

``sop-lint check --diff-base REF`` reports only findings on lines added or changed since
``REF``. The lines come from git, run as a subprocess: ``git diff -U0 -M`` from the merge
base of ``REF`` and ``HEAD`` to the working tree, so a CI checkout (everything committed)
and a writer's unsaved-to-git edits both work. Untracked files that git does not ignore
count as wholly new; renames are followed, so a renamed file's unchanged lines are not new.

Which findings a change shows (the rule the docs write down):

- a finding whose span (``line`` .. ``end_line``) includes a line the change added or
  rewrote, or has lines deleted inside it or right next to it (just above its first line
  or just below its last);
- every finding of a file that is new (added, or untracked and not ignored);
- a finding on a line the change did not touch, in a changed file, that the change caused:
  the file as it was at the merge base, checked the same way, does not have it (same rule
  and line text, counted as a multiset). A missing section is reported on the heading
  before the gap, which the deletion did not touch (:func:`split_file`);
- a finding across documents (duplicate id, broken reference, ...) that the change caused:
  the SOP set with the changed files as they were at the merge base does not have it. It
  is moved to the changed file it names (:attr:`Finding.related`), at the nearest changed
  line there, with a message that still names the file it is about
  (:func:`caused_by_change`); with no changed file to move to, it stays where it is.

Everything else (findings of unchanged files, and the old findings of changed ones) is
left out, and counted in a note on stderr.

The filters work per file (:func:`split_file`, :meth:`ChangedLines.keep`), so output can
be streamed file by file; the cross-document step runs once over the project findings.
"""

from __future__ import annotations

import bisect
import dataclasses
import os
import re
import subprocess
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sop_lint.config import ConfigError
from sop_lint.engine import MAX_FILE_BYTES, FileResult, Report, check_project, check_text
from sop_lint.model import DocumentSummary, Finding, Location, Span
from sop_lint.parser import parse_document
from sop_lint.rules.base import ProjectRule, find_rule
from sop_lint.rules.translations import summarise as summarise_translation
from sop_lint.safe_io import RefusedRead, read_guarded_text

if TYPE_CHECKING:
    from sop_lint.config import Config

# A git command that takes longer than this is stuck (a credential prompt, a lock).
GIT_TIMEOUT = 120


class ChangesError(ConfigError):
    """``--diff-base`` cannot be worked out; the message says what to pass instead."""


# -- which lines changed ---------------------------------------------------------------------


@dataclass(slots=True)
class FileChanges:
    """What changed in one file, in the numbering of its lines now (1-based).

    ``lines`` are lines added or rewritten; ``deletions`` are positions ``p`` where lines
    were deleted between line ``p`` and line ``p + 1`` (``0``: at the top). ``whole`` means
    the file is new: every line counts as changed.
    """

    path: str  # relative to the repository's top folder, "/"-separated
    old_path: str | None = None  # at the merge base; None for a new file
    whole: bool = False
    lines: set[int] = field(default_factory=set)
    deletions: list[int] = field(default_factory=list)  # kept sorted

    def touches(self, first: int, last: int) -> bool:
        """Whether lines ``first`` .. ``last`` changed, or lines were deleted inside them
        or right next to them."""
        if self.whole:
            return True
        last = max(first, last)
        if any(first <= n <= last for n in self.lines):
            return True
        # A deletion at p sits between p and p + 1: next to the span from first - 1 to last.
        at = bisect.bisect_left(self.deletions, first - 1)
        return at < len(self.deletions) and self.deletions[at] <= last

    def nearest(self, line: int) -> int:
        """The changed line (or the line next to a deletion) closest to ``line``."""
        if self.whole or line in self.lines:
            return line
        places = [*self.lines, *(max(1, p) for p in self.deletions)]
        if not places:
            return line
        return min(places, key=lambda n: (abs(n - line), n))


@dataclass(slots=True)
class ChangedLines:
    """The changes since a git ref, by file; decides which findings are on changed lines.

    ``keep`` is per finding, so a caller can filter one file's results as they arrive.
    """

    ref: str
    base: str  # the merge-base commit
    top: Path  # the repository's top folder
    files: dict[str, FileChanges] = field(default_factory=dict)  # keyed by path from top
    deleted: list[str] = field(default_factory=list)  # paths (from top) the change deleted
    _keys: dict[str, str | None] = field(default_factory=dict, repr=False)

    def key(self, path: str) -> str | None:
        """``path`` (as findings show it: relative to the working folder, or absolute) as
        a path from the repository's top folder; None if it is outside the repository."""
        if path not in self._keys:
            real = Path(os.path.realpath(path))
            try:
                self._keys[path] = real.relative_to(self.top).as_posix()
            except ValueError:
                self._keys[path] = None
        return self._keys[path]

    def of(self, path: str) -> FileChanges | None:
        """What changed in the file findings call ``path`` (None: nothing)."""
        key = self.key(path)
        return self.files.get(key) if key is not None else None

    def keep(self, finding: Finding) -> bool:
        """Whether ``finding`` sits on (or right next to) lines the change touched."""
        changes = self.of(finding.path)
        return changes is not None and changes.touches(finding.span.line, finding.span.end_line)

    def shown(self, key: str) -> str:
        """A path from the top folder as findings show paths (relative to the working
        folder when inside it)."""
        absolute = self.top / key
        try:
            return absolute.relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return absolute.as_posix()


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            # Never ask for a password or open an editor: a CI log would just hang.
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
            check=False,
        )
    except FileNotFoundError:
        raise ChangesError(
            "--diff-base needs git, and git is not installed (or not on PATH); install git, "
            "or leave out --diff-base to check every line"
        ) from None
    except subprocess.TimeoutExpired:
        raise ChangesError(
            f"--diff-base: git {args[0]} did not finish in {GIT_TIMEOUT} s; check the "
            "repository (git status), or leave out --diff-base"
        ) from None


def _is_shallow(cwd: Path) -> bool:
    shallow = _git(["rev-parse", "--is-shallow-repository"], cwd)
    return shallow.stdout.decode().strip() == "true"


def changed_lines(ref: str, cwd: Path | None = None) -> ChangedLines:
    """The lines changed since the merge base of ``ref`` and ``HEAD``, up to the working
    tree, in the git repository around ``cwd``. Raises :class:`ChangesError` in words."""
    cwd = cwd or Path.cwd()
    if not ref.strip() or ref.startswith("-"):
        raise ChangesError(
            f"--diff-base {ref!r} is not a git ref; pass a branch, tag or commit, "
            "e.g. --diff-base origin/main"
        )
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise ChangesError(
            f"--diff-base works in a git repository, and {cwd} is not in one; run sop-lint "
            "inside the repository's checkout, or leave out --diff-base to check every line"
        )
    top_path = Path(os.path.realpath(os.fsdecode(top.stdout.rstrip(b"\r\n"))))
    # A ref starting with "-" was refused above, so it cannot be read as an option (and
    # --end-of-options needs git 2.30, newer than some CI images).
    known = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    if known.returncode != 0:
        raise ChangesError(
            f"--diff-base: git knows no commit called {ref!r}; pass a branch, tag or commit "
            "that exists in this checkout (in CI, fetch it first, e.g. git fetch origin main, "
            "and pass origin/main)"
        )
    ref_commit = known.stdout.decode().strip()
    base = _git(["merge-base", ref_commit, "HEAD"], cwd)
    if base.returncode != 0 and _is_shallow(cwd):
        # A shallow CI checkout (actions/checkout fetches one commit, then the base commit
        # alone) has no history to find a merge base in. Compare with REF itself: on
        # GitHub's pull-request merge commit, whose first parent is the base, that is
        # exactly the pull request's change.
        base = _git(["rev-parse", "--verify", "--quiet", ref_commit + "^{commit}"], cwd)
    if base.returncode != 0:
        raise ChangesError(
            f"--diff-base: {ref!r} and HEAD have no commit in common in this checkout; fetch "
            "the full history (in GitHub Actions: fetch-depth: 0) or pass a ref that HEAD "
            "grew from"
        )
    base_commit = base.stdout.decode().strip()
    diff = _git(
        [
            # Settings, not options, where an option is newer than some CI images' git
            # (--no-relative is 2.28): an unknown setting is ignored by an older git.
            "-c",
            "core.quotepath=on",
            "-c",
            "diff.relative=false",
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            "-U0",
            "-M",
            base_commit,
            "--",
        ],
        top_path,
    )
    if diff.returncode != 0:
        message = diff.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangesError(
            f"--diff-base: git diff failed ({message[0] if message else 'no reason given'}); "
            "check the repository with git status, or leave out --diff-base"
        )
    result = ChangedLines(ref=ref, base=base_commit, top=top_path)
    for changes in parse_diff(diff.stdout):
        if changes.path == "/dev/null":
            if changes.old_path:
                result.deleted.append(changes.old_path)
            continue
        result.files[changes.path] = changes
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top_path)
    for raw in untracked.stdout.split(b"\0"):
        if raw:
            path = os.fsdecode(raw)
            result.files[path] = FileChanges(path, None, whole=True)
    return result


# -- reading git's unified diff ------------------------------------------------------------

_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13}


def unquote_path(raw: bytes) -> str:
    """A path as git writes it in a diff: plain, or in double quotes with C escapes (octal
    bytes for non-ASCII names when ``core.quotepath`` is on), as a ``str`` (bytes that are
    not UTF-8 kept with ``surrogateescape``, as ``os.fsdecode`` does)."""
    # git ends a ---/+++ name that has a space with a tab (for GNU patch); a name with a
    # tab of its own is always quoted, so a trailing tab is never part of the name.
    raw = raw.rstrip(b"\r").removesuffix(b"\t")
    if not (len(raw) >= 2 and raw.startswith(b'"') and raw.endswith(b'"')):
        return os.fsdecode(raw)
    body, out, i = raw[1:-1], bytearray(), 0
    while i < len(body):
        char = body[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        following = body[i + 1 : i + 2]
        if following.isdigit():
            out.append(int(body[i + 1 : i + 4], 8))
            i += 4
        else:
            out.append(_ESCAPES.get(following, following[0] if following else 92))
            i += 2
    return os.fsdecode(bytes(out))


def _side(raw: bytes, prefix: bytes) -> str | None:
    """The path on a ``---``/``+++`` line (None for /dev/null), without its a/ or b/."""
    raw = raw.rstrip(b"\r").removesuffix(b"\t")
    if raw == b"/dev/null":
        return None
    quoted = raw.startswith(b'"')
    path = unquote_path(raw)
    prefix_text = prefix.decode()
    if quoted or path.startswith(prefix_text):
        return path[len(prefix_text) :] if path.startswith(prefix_text) else path
    return path


def _header_paths(raw: bytes) -> tuple[str | None, str | None]:
    """Both paths of ``diff --git a/X b/Y``, where they can be told apart (a binary file
    has no ---/+++ lines to read them from)."""
    rest = raw[len(b"diff --git ") :].rstrip(b"\r")
    if rest.startswith(b'"'):
        end = rest.find(b'" ', 1)
        while end != -1 and rest[end - 1 : end] == b"\\":
            end = rest.find(b'" ', end + 1)
        if end == -1:
            return None, None
        old, new = rest[: end + 1], rest[end + 2 :]
        return _side(old, b"a/"), _side(new, b"b/")
    # Unquoted: "a/P b/P" with the same P on both sides (a rename says its paths apart).
    half = (len(rest) - 1) // 2
    old, new = rest[:half], rest[half + 1 :]
    if old[2:] == new[2:]:
        return _side(old, b"a/"), _side(new, b"b/")
    if new.startswith(b'"'):
        return _side(old, b"a/"), _side(new, b"b/")
    return None, None


def parse_diff(data: bytes) -> list[FileChanges]:
    """The changed lines of each file in git's ``-U0`` unified diff output.

    Robust to quoted and escaped paths, ``\\ No newline at end of file``, binary files
    (counted as wholly changed), CRLF text, renames and copies (``rename from``/``to``),
    and hunk lines that themselves start with ``---`` or ``+++``. A deleted file comes back
    with ``path`` ``/dev/null`` and its ``old_path``.
    """
    files: list[FileChanges] = []
    current: FileChanges | None = None
    old_left = new_left = 0  # lines of the current hunk still to skip

    def finish() -> None:
        if current is not None:
            current.deletions.sort()
            files.append(current)

    for raw in data.split(b"\n"):
        if old_left or new_left:
            # Inside a hunk: its lines are text, whatever they start with.
            if raw.startswith(b"-") and old_left:
                old_left -= 1
                continue
            if raw.startswith(b"+") and new_left:
                new_left -= 1
                continue
            if raw.startswith(b"\\"):
                continue
            old_left = new_left = 0  # a malformed hunk: read on as headers
        if raw.startswith(b"diff --git "):
            finish()
            old, new = _header_paths(raw)
            current = FileChanges(new or "", old)
            continue
        if current is None:
            continue
        if raw.startswith(b"\\"):
            continue  # "\ No newline at end of file" after a hunk
        if raw.startswith(b"rename from ") or raw.startswith(b"copy from "):
            current.old_path = unquote_path(raw.split(b" ", 2)[2])
        elif raw.startswith(b"rename to ") or raw.startswith(b"copy to "):
            current.path = unquote_path(raw.split(b" ", 2)[2])
        elif raw.startswith(b"new file mode"):
            current.whole = True
            current.old_path = None
        elif raw.startswith(b"deleted file mode"):
            current.path = "/dev/null"
        elif raw.startswith(b"--- "):
            old = _side(raw[4:], b"a/")
            current.old_path = old
            if old is None:
                current.whole = True
        elif raw.startswith(b"+++ "):
            new = _side(raw[4:], b"b/")
            current.path = new if new is not None else "/dev/null"
        elif raw.startswith(b"Binary files ") or raw.startswith(b"GIT binary patch"):
            current.whole = current.path != "/dev/null"
        else:
            match = _HUNK.match(raw)
            if match:
                old_count = int(match[2]) if match[2] is not None else 1
                new_start = int(match[3])
                new_count = int(match[4]) if match[4] is not None else 1
                if new_count == 0:
                    current.deletions.append(new_start)
                else:
                    current.lines.update(range(new_start, new_start + new_count))
                old_left, new_left = old_count, new_count
    finish()
    return files


# -- findings across documents ------------------------------------------------------------


def is_project_rule(code: str) -> bool:
    """Whether ``code`` is a rule across documents (its findings come after the run)."""
    rule = find_rule(code)
    return rule is not None and issubclass(rule, ProjectRule)


def _key(finding: Finding, rename: dict[str, str]) -> tuple[str, str, str]:
    """What says a cross-document finding at the base and now is the same one: its file
    (under its name now), rule and line text (not the line number: lines move)."""
    return (
        rename.get(finding.path, finding.path),
        finding.rule,
        (finding.source_line or "").strip(),
    )


def base_summaries(
    report: Report, changes: ChangedLines, config: Config
) -> tuple[list[FileResult], dict[str, str]]:
    """The checked files' summaries as they were at the merge base: unchanged files as
    now, changed ones read from git at the base (renamed ones under their old name), new
    ones left out, deleted Markdown files (not excluded) put back. Also the old name ->
    name now of renamed files, as findings show paths."""
    results: list[FileResult] = []
    rename: dict[str, str] = {}
    for result in report.files:
        if result.summary is None:
            continue
        changed = changes.of(result.path)
        if changed is None:
            results.append(result)
            continue
        if changed.old_path is None:
            continue  # new since the base
        old_shown = changes.shown(changed.old_path)
        if old_shown != result.path:
            rename[old_shown] = result.path
        summary = _summary_at_base(changes, changed.old_path, old_shown, Path(result.path), config)
        if summary is not None:
            results.append(FileResult(old_shown, [], None, summary, result.project_rules))
    checked = {r.path for r in report.files}
    for old in changes.deleted:
        # Any Markdown file the change deleted was part of the SOP set at the base (a link
        # to it worked then), unless the config leaves it out.
        shown = changes.shown(old)
        absolute = changes.top / old
        if (
            shown in checked
            or not old.endswith((".md", ".markdown"))
            or config.is_excluded(absolute)
        ):
            continue
        summary = _summary_at_base(changes, old, shown, absolute, config)
        if summary is not None:
            codes = _project_codes(config, absolute)
            results.append(FileResult(shown, [], None, summary, codes))
    return results, rename


def _project_codes(config: Config, path: Path) -> frozenset[str]:
    file_config = config.for_file(path)
    return frozenset(r.code for r in file_config.rule_classes if issubclass(r, ProjectRule))


def _base_source(changes: ChangedLines, old_path: str) -> str | None:
    """The text of ``old_path`` at the merge base (None: not text sop-lint would read)."""
    size = _git(["cat-file", "-s", f"{changes.base}:{old_path}"], changes.top)
    if size.returncode != 0 or int(size.stdout or b"0") > MAX_FILE_BYTES:
        return None
    blob = _git(["cat-file", "blob", f"{changes.base}:{old_path}"], changes.top)
    if blob.returncode != 0 or b"\0" in blob.stdout[:8192]:
        return None
    try:
        return blob.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return None


def split_file(
    changes: ChangedLines, path: str, findings: list[Finding], config: Config
) -> tuple[list[Finding], list[Finding]]:
    """``(shown, hidden)`` for one file's findings: on a changed line (:meth:`keep`), or
    caused by the change though on a line it did not touch (a section deleted below the
    heading a missing-section finding sits on): the file as it was at the merge base,
    checked the same way, does not have it (same rule and line text, as a multiset).
    Cross-document findings are left to :func:`caused_by_change`."""
    shown: list[Finding] = []
    hidden: list[Finding] = []
    for finding in findings:
        (shown if changes.keep(finding) else hidden).append(finding)
    changed = changes.of(path)
    own = [f for f in hidden if not is_project_rule(f.rule)]
    if changed is None or changed.whole or changed.old_path is None or not own:
        return shown, hidden
    source = _base_source(changes, changed.old_path)
    if source is None:
        return shown, hidden
    try:
        language = config.for_file(Path(path)).language
        before = check_text(source, language, path, config)
    except Exception:  # the old text cannot be checked: show only the changed lines
        return shown, hidden
    at_base = Counter((f.rule, (f.source_line or "").strip()) for f in before)
    now: Counter[tuple[str, str]] = Counter()
    still_hidden = []
    for finding in hidden:
        if not is_project_rule(finding.rule):
            key = (finding.rule, (finding.source_line or "").strip())
            now[key] += 1
            if now[key] > at_base[key]:
                shown.append(finding)
                continue
        still_hidden.append(finding)
    shown.sort(key=Finding.sort_key)
    return shown, still_hidden


def _summary_at_base(
    changes: ChangedLines, old_path: str, shown: str, now: Path, config: Config
) -> DocumentSummary | None:
    """The summary of ``old_path`` as it was at the merge base (None: unreadable then).
    Settings (language, rules) are those of the file as it is named now."""
    source = _base_source(changes, old_path)
    if source is None:
        return None
    file_config = config.for_file(now)
    context = config.context()
    doc = parse_document(source, shown, file_config.language)
    summary = DocumentSummary.of(doc, context)
    summarise_translation(doc, summary, context)
    for cls in file_config.rule_classes:
        if issubclass(cls, ProjectRule):
            cls.summarise(doc, summary, context)
    return summary


def caused_by_change(
    report: Report, changes: ChangedLines, config: Config, hidden: Iterable[Finding]
) -> list[Finding]:
    """The cross-document findings among ``hidden`` (not on a changed line) that the change
    caused, each placed on the changed file it names.

    Caused: the project rules, run on the SOP set as it was at the merge base, do not find
    it (same file, rule and line text, counted as a multiset). Placed: at the nearest
    changed line of the first changed file in :attr:`Finding.related`, the message starting
    with the file and line it is about; with no changed file among them (the linked file
    was deleted) it stays where it is.
    """
    candidates = [f for f in hidden if is_project_rule(f.rule)]
    if not candidates:
        return []
    results, rename = base_summaries(report, changes, config)
    before = Report(files=[dataclasses.replace(r, findings=[]) for r in results])
    check_project(before, config)
    at_base = Counter(_key(f, rename) for f in before.findings if is_project_rule(f.rule))
    now = Counter()
    checked = {r.path for r in report.files}
    shown = {
        (f.path, f.span.line, f.rule) for r in report.files for f in r.findings if changes.keep(f)
    }
    moved: list[Finding] = []
    for finding in candidates:
        key = _key(finding, {})
        now[key] += 1
        if now[key] <= at_base[key]:
            continue  # found at the base too: not this change's doing
        placed = _rehome(finding, changes, config, checked)
        where = (placed.path, placed.span.line, placed.rule)
        if where in shown:
            continue  # the changed file already shows this finding (a duplicate id: both)
        shown.add(where)
        moved.append(placed)
    return moved


def _rehome(finding: Finding, changes: ChangedLines, config: Config, checked: set[str]) -> Finding:
    """``finding`` placed on the first changed (and checked) file it names, at the nearest
    change there; unchanged when it names none."""
    for index, location in enumerate(finding.related):
        target = changes.of(location.path)
        if target is None or location.path not in checked:
            continue
        line = target.nearest(location.line)
        text = _line_text(Path(location.path), line, config)
        others = finding.related[:index] + finding.related[index + 1 :]
        return dataclasses.replace(
            finding,
            path=location.path,
            span=Span(line, 1, line, len(text) + 1),
            message=f"{finding.path}:{finding.span.line}: {finding.message}",
            suggestion=None,  # it was for the text of the other file
            source_line=text,
            related=(
                Location(finding.path, finding.span.line, finding.span.column, "found here"),
                *others,
            ),
        )
    return finding


def _line_text(path: Path, line: int, config: Config) -> str:
    try:
        lines = read_guarded_text(path, config.root, MAX_FILE_BYTES).splitlines()
    except RefusedRead:
        return ""
    return lines[line - 1] if 1 <= line <= len(lines) else ""
