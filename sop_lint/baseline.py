"""The baseline: findings an SOP set already had, so that only new ones fail a check.

``sop-lint baseline`` writes the findings of a run to ``.sop-lint-baseline.json``;
``sop-lint check --baseline FILE`` (or ``baseline = "..."`` in the config) then reports
only findings that are not in it. A finding is known by its fingerprint (the one SARIF and
GitLab use, :class:`~sop_lint.formatters.sarif.Fingerprints`): its file, rule and the text
of its line, with an occurrence count, so adding a paragraph above it does not make it
new, and two identical findings in the baseline hide two, not three.

The file is written for people as well as for sop-lint: pretty JSON, one finding a line,
sorted by file, rule and message, each with its rule and a short message, and no line
numbers (they would change whenever text moves, and make every rewrite a big diff).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sop_lint.config import Config, ConfigError
from sop_lint.formatters.sarif import Fingerprints
from sop_lint.model import Finding
from sop_lint.safe_io import RefusedRead, read_guarded_text, write_report

if TYPE_CHECKING:
    from sop_lint.changes import ChangedLines
    from sop_lint.engine import FileResult, Report

DEFAULT_NAME = ".sop-lint-baseline.json"
VERSION = 1
FINGERPRINT_CHARS = 16  # 64 bits of the SHA-256: ample for one SOP set, and short
MESSAGE_CHARS = 100  # enough for a reviewer to know the finding; the file stays small
MAX_BASELINE_BYTES = 64 * 1024 * 1024


class BaselineError(ConfigError):
    """The baseline file cannot be used; the message names it and says what to do."""


def _relative(path: str, folder: Path) -> str:
    """``path`` (as findings show it) relative to the baseline's folder, "/"-separated, so
    a check run from another folder still recognises the findings."""
    absolute = os.path.abspath(path)
    try:
        return Path(os.path.relpath(absolute, folder)).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(absolute).as_posix()


def fingerprinted(findings: Iterable[Finding], folder: Path) -> list[tuple[str, Finding, str]]:
    """``(fingerprint, finding, path from folder)`` for ``findings``, which must be every
    finding of each file they cover, in report order (the occurrence count depends on it)."""
    prints = Fingerprints()
    out = []
    shown: dict[str, str] = {}
    for finding in findings:
        relative = shown.get(finding.path)
        if relative is None:
            relative = shown[finding.path] = _relative(finding.path, folder)
        moved = dataclasses.replace(finding, path=relative)
        out.append((prints.of(moved)[:FINGERPRINT_CHARS], finding, relative))
    return out


def render(
    findings: Iterable[Finding], folder: Path, kept: Iterable[dict[str, str]] = ()
) -> tuple[str, int]:
    """The baseline file's text for ``findings`` (plus ``kept``: entries of an earlier
    baseline, as read), and how many entries it has."""
    entries = [
        (e["path"], str(e.get("rule", "")), str(e.get("message", "")), e["fingerprint"])
        for e in kept
    ]
    for fingerprint, finding, relative in fingerprinted(findings, folder):
        message = " ".join(finding.message.split())
        if len(message) > MESSAGE_CHARS:
            message = message[: MESSAGE_CHARS - 1].rstrip() + "\u2026"
        entries.append((relative, finding.rule, message, fingerprint))
    entries.sort()
    lines = [
        json.dumps(
            {"path": path, "rule": rule, "message": message, "fingerprint": fingerprint},
            ensure_ascii=False,
        )
        for path, rule, message, fingerprint in entries
    ]
    body = ",\n    ".join(lines)
    text = (
        "{\n"
        f'  "version": {VERSION},\n'
        '  "tool": "sop-lint",\n'
        f'  "findings": [{chr(10) + "    " + body + chr(10) + "  " if lines else ""}]\n'
        "}\n"
    )
    return text, len(entries)


def write(path: Path, findings: Iterable[Finding], kept: Iterable[dict[str, str]] = ()) -> int:
    """Write the baseline for ``findings`` (and the earlier entries ``kept``) to ``path``
    atomically (a temporary file in the same folder, then a rename), so a reader never
    sees half a file. Returns the count."""
    folder = Path(os.path.abspath(path)).parent
    text, count = render(findings, folder, kept)
    folder.mkdir(parents=True, exist_ok=True)
    # The baseline is a project file: it keeps the mode of the one it replaces.
    write_report(path, text.encode("utf-8"))
    return count


@dataclass(slots=True)
class Baseline:
    """The known findings of a baseline file, and how many of them a run met."""

    path: Path
    shown: str  # the file's name as messages show it
    entries: list[dict[str, str]]
    _left: Counter[str] = field(default_factory=Counter, repr=False)
    _met: int = 0
    _paths_seen: set[str] = field(default_factory=set, repr=False)

    @classmethod
    def load(cls, path: Path, shown: str, root: Path | None = None) -> Baseline:
        """Read and check a baseline file; :class:`BaselineError` says what is wrong."""
        if not path.exists() and not path.is_symlink():
            raise BaselineError(
                f"{shown}: baseline file not found; write it with 'sop-lint baseline', "
                "or leave out --baseline"
            )
        try:
            text = read_guarded_text(path, root, MAX_BASELINE_BYTES)
        except RefusedRead as exc:
            raise BaselineError(f"{shown}: {exc}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BaselineError(
                f"{shown}: line {exc.lineno}: not valid JSON ({exc.msg}); write it again "
                "with 'sop-lint baseline'"
            ) from None
        if not isinstance(data, dict) or "findings" not in data:
            raise BaselineError(
                f'{shown}: not a sop-lint baseline (no "findings"); write it with '
                "'sop-lint baseline'"
            )
        if data.get("version") != VERSION:
            raise BaselineError(
                f"{shown}: baseline version {data.get('version')!r} is not one this sop-lint "
                f"reads (version {VERSION}); write it again with 'sop-lint baseline'"
            )
        entries = data["findings"]
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("fingerprint"), str) and e.get("path")
            for e in entries
        ):
            raise BaselineError(
                f'{shown}: every entry in "findings" needs a "path" and a '
                "\"fingerprint\"; write the file again with 'sop-lint baseline'"
            )
        baseline = cls(path, shown, entries)
        baseline._left = Counter(e["fingerprint"] for e in entries)
        return baseline

    @property
    def folder(self) -> Path:
        return Path(os.path.abspath(self.path)).parent

    def split(self, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
        """``(new, known)``: ``findings`` not in the baseline, and those it lists.

        Pass every finding of a file at once (a whole report, or one file's results as
        they arrive), in report order. Each entry hides one finding (a multiset).
        """
        new: list[Finding] = []
        known: list[Finding] = []
        for fingerprint, finding, relative in fingerprinted(findings, self.folder):
            self._paths_seen.add(relative)
            if self._left[fingerprint] > 0:
                self._left[fingerprint] -= 1
                self._met += 1
                known.append(finding)
            else:
                new.append(finding)
        return new, known

    def note_checked(self, paths: Iterable[str]) -> None:
        """Record files that were checked (even those with no findings left), so their
        baseline entries that no longer match count as fixed."""
        for path in paths:
            self._paths_seen.add(_relative(path, self.folder))

    @property
    def hidden(self) -> int:
        """How many findings the baseline hid in this run."""
        return self._met

    @property
    def fixed(self) -> int:
        """Entries for checked files that matched no finding: fixed since it was written
        (entries for files not checked in this run are not counted)."""
        remaining = Counter(self._left)
        count = 0
        for entry in self.entries:
            fingerprint = entry["fingerprint"]
            if remaining[fingerprint] > 0:
                remaining[fingerprint] -= 1
                count += entry["path"] in self._paths_seen
        return count

    def summary(self) -> str:
        """The one-line note for stderr."""
        known = self.hidden
        text = (
            f"{known} known finding{'s' if known != 1 else ''} in {self.shown} "
            f"{'are' if known != 1 else 'is'} hidden"
        )
        fixed = self.fixed
        if fixed:
            text += (
                f"; {fixed} in it {'are' if fixed != 1 else 'is'} fixed \u2014 run "
                "'sop-lint baseline' to drop them"
            )
        return text


def default_path(config: Config) -> Path:
    """Where the baseline lives when no file is named: the config's ``baseline`` (relative
    to the config's folder), else ``.sop-lint-baseline.json`` in the project folder."""
    return config.root / (config.baseline or DEFAULT_NAME)


@dataclass(slots=True)
class Narrowing:
    """What ``check --baseline`` and ``check --diff-base`` leave out of a report.

    Made before the run (so a wrong ref or a broken baseline stops it at once), then
    applied in two steps, so the text report can still be streamed file by file:

    * :meth:`file`, on each file's own findings as the run passes them on (the run's
      ``on_result``, before they are printed): ``baseline.split``, then the changed lines
      (:func:`sop_lint.changes.split_file`, which checks a changed file again as it was at
      the merge base, one file at a time);
    * :meth:`finish`, once after the run, on the cross-document findings the run added at
      the end: the same two filters, then the findings the change caused, moved to the
      changed file (:func:`sop_lint.changes.caused_by_change`), which needs every file.

    :meth:`apply` does both on a finished report (stdin, the benchmark); the result is the
    same report either way.
    """

    config: Config
    baseline: Baseline | None = None
    changes: ChangedLines | None = None
    # Findings the changed-lines filter saw (after the baseline), and the cross-document
    # ones it hid: the note counts what was left out, the last step looks for causes.
    _seen: int = field(default=0, repr=False)
    _hidden: list[Finding] = field(default_factory=list, repr=False)

    @classmethod
    def prepare(cls, config: Config, diff_base: str | None, baseline: str | None) -> Narrowing:
        """Read the baseline (``--baseline``, else the config's ``baseline``) and ask git
        what changed since ``diff_base``; each raises a one-line error if it cannot."""
        narrowing = cls(config)
        if baseline is not None:
            narrowing.baseline = Baseline.load(Path(baseline), baseline, config.root)
        elif config.baseline:
            path = default_path(config)
            shown = _shown(path)
            where = f" (the config's baseline = {config.baseline!r})"
            try:
                narrowing.baseline = Baseline.load(path, shown, config.root)
            except BaselineError as exc:
                raise BaselineError(str(exc) + where) from None
        if diff_base is not None:
            from sop_lint.changes import changed_lines

            narrowing.changes = changed_lines(diff_base, config.root)
        return narrowing

    @property
    def active(self) -> bool:
        """Whether anything is left out at all (a baseline or --diff-base was given)."""
        return self.baseline is not None or self.changes is not None

    def file(self, result: FileResult) -> None:
        """Narrow one file's own findings in place, as the run passes the file on.

        ``result.findings`` must be that file's findings in report order, without the
        cross-document ones (the run adds those after the last file: :meth:`finish`).
        """
        if self.baseline is not None:
            self.baseline.note_checked([result.path])
        result.findings = self._narrowed(result.path, result.findings)

    def finish(self, report: Report) -> list[str]:
        """Narrow the cross-document findings the run added (``report.project_findings``),
        add those the change caused, and return the notes to print (on stderr).

        Every file must have been through :meth:`file` first.
        """
        if self.active and report.project_findings:
            across = {id(f) for f in report.project_findings}
            kept: list[Finding] = []
            for result in report.files:
                own = [f for f in result.findings if id(f) not in across]
                theirs = [f for f in result.findings if id(f) in across]
                if not theirs:
                    continue
                shown = self._narrowed(result.path, theirs)
                kept.extend(shown)
                result.findings = sorted(own + shown, key=Finding.sort_key)
            report.project_findings = sorted(kept, key=Finding.sort_key)
        if self.changes is not None and self._hidden:
            self._add_caused(report)
        return self._notes(report)

    def apply(self, report: Report) -> list[str]:
        """Both steps on a finished report: leave out known findings and those off the
        changed lines; the notes to print."""
        across = {id(f) for f in report.project_findings}
        for result in report.files:
            theirs = [f for f in result.findings if id(f) in across]
            result.findings = [f for f in result.findings if id(f) not in across]
            self.file(result)
            result.findings = sorted(result.findings + theirs, key=Finding.sort_key)
        return self.finish(report)

    def _narrowed(self, path: str, findings: list[Finding]) -> list[Finding]:
        """``findings`` of the file ``path`` (one kind: its own, or cross-document) that
        neither the baseline nor the changed lines leave out."""
        if self.baseline is not None:
            findings, _ = self.baseline.split(findings)
        if self.changes is None:
            return findings
        from sop_lint.changes import is_project_rule, split_file

        self._seen += len(findings)
        shown, hidden = split_file(self.changes, path, findings, self.config)
        # Only cross-document findings can have been caused by a change to another file
        # (the last step looks at them); the file's own hidden findings are just left out.
        self._hidden.extend(f for f in hidden if is_project_rule(f.rule))
        return shown

    def _add_caused(self, report: Report) -> None:
        """Put back the hidden cross-document findings the change caused, each on the
        changed file it names; they are cross-document findings, so the text report shows
        them with the others, after the per-file findings."""
        from sop_lint.changes import caused_by_change

        moved = caused_by_change(report, self.changes, self.config, self._hidden)
        if not moved:
            return
        by_path = {r.path: r for r in report.files}
        for finding in moved:
            result = by_path[finding.path]
            result.findings.append(finding)
            result.findings.sort(key=Finding.sort_key)
        listed = {id(f) for f in report.project_findings}
        report.project_findings.extend(f for f in moved if id(f) not in listed)
        report.project_findings.sort(key=Finding.sort_key)

    def _notes(self, report: Report) -> list[str]:
        notes: list[str] = []
        if self.baseline is not None and (self.baseline.hidden or self.baseline.fixed):
            notes.append(self.baseline.summary())  # a baseline that hides nothing: no note
        if self.changes is not None:
            left_out = self._seen - sum(len(r.findings) for r in report.files)
            if left_out:  # "0 findings ... not shown" is noise on a clean change
                notes.append(
                    f"{left_out} finding{'s' if left_out != 1 else ''} on lines not changed "
                    f"since {self.changes.ref} {'are' if left_out != 1 else 'is'} not shown "
                    "(--diff-base)"
                )
        return notes


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def run_baseline(report: Report, path: Path) -> str:
    """Write the baseline for ``report`` to ``path``; what to tell the user (how many
    findings, and what changed since the file there was written)."""
    findings = report.findings
    folder = Path(os.path.abspath(path)).parent
    previous: Baseline | None = None
    if path.exists():
        try:
            previous = Baseline.load(path, _shown(path))
        except BaselineError:
            previous = None  # unreadable: replaced whole
    # A run on part of the set ("sop-lint baseline docs/sv") rewrites the entries of the
    # files it checked; the other files' known findings are kept, not taken as fixed.
    checked = {_relative(r.path, folder) for r in report.files}
    kept = (
        [
            e
            for e in previous.entries
            if e["path"] not in checked and os.path.isfile(folder / e["path"])
        ]
        if previous
        else []
    )  # a deleted or renamed file's entries go: its findings cannot come back
    count = write(path, findings, kept)
    files = len({_relative(f.path, folder) for f in findings} | {e["path"] for e in kept})
    shown = _shown(path)
    text = (
        f"Wrote {count} finding{'s' if count != 1 else ''} in {files} "
        f"file{'s' if files != 1 else ''} to {shown}"
    )
    if previous is not None:
        before = Counter(e["fingerprint"] for e in previous.entries if e["path"] in checked)
        after = Counter(fp for fp, _, _ in fingerprinted(findings, folder))
        dropped = sum((before - after).values())
        added = sum((after - before).values())
        text += f" ({dropped} fixed dropped, {added} added"
        if kept:
            text += f"; {len(kept)} of files not checked in this run kept"
        text += ")"
    return text + f"; 'sop-lint check --baseline {shown}' now reports only new findings."
