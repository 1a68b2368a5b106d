"""Human-readable output: ``path:line:col: CODE [severity] message``, source and caret."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import click
from rich.cells import cell_len

from sop_lint.engine import FileResult, Report
from sop_lint.model import Finding

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}

# Characters that would act on the reader's terminal or log instead of being shown: C0 and
# C1 controls (newline, carriage return, ESC starts colour and screen-clearing sequences),
# DEL, Unicode line and paragraph separators, and the bidirectional overrides that make a
# line display in another order than it reads. Zero-width joiners (Telugu needs them) are
# left alone. Lone surrogates (a file name that is not UTF-8) and U+FFFE/U+FFFF cannot be
# written as UTF-8 or XML at all.
_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_one(match: re.Match[str]) -> str:
    char = match[0]
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with control characters written out visibly (a newline as ``\\n``, ESC as
    ``\\x1b``), so a file name or an SOP line can neither forge report lines nor send
    escape sequences to the reader's terminal."""
    return _CONTROLS.sub(_escape_one, text)


# A source line longer than this is shown as an excerpt around the finding: a line of
# hundreds of kilobytes with thousands of findings must not print itself once per finding.
MAX_SHOWN_LINE = 1000
EXCERPT_CONTEXT = 120  # characters shown either side of the finding in an excerpt


def _caret(finding: Finding) -> tuple[int, int]:
    line = finding.source_line or ""
    start = max(finding.span.column - 1, 0)
    if finding.span.end_line == finding.span.line:
        end = max(finding.span.end_column - 1, start + 1)
    else:
        end = max(len(line.rstrip()), start + 1)
    return start, min(end, max(len(line), start + 1))


def _shown(finding: Finding) -> tuple[str, int, int]:
    """The source line as shown (tabs as spaces), and where the caret starts and ends."""
    line = finding.source_line or ""
    if len(line) <= MAX_SHOWN_LINE:
        start, end = _caret(finding)
        return line.replace("\t", " "), start, end
    start = min(max(finding.span.column - 1, 0), len(line))
    if finding.span.end_line == finding.span.line:
        end = max(finding.span.end_column - 1, start + 1)
    else:
        end = len(line)
    end = min(end, start + 2 * EXCERPT_CONTEXT, max(len(line), start + 1))
    first = max(start - EXCERPT_CONTEXT, 0)
    last = min(end + EXCERPT_CONTEXT, len(line))
    before = "…" if first > 0 else ""
    after = "…" if last < len(line) else ""
    excerpt = before + line[first:last].replace("\t", " ") + after
    return excerpt, start - first + len(before), end - first + len(before)


def format_finding(finding: Finding, color: bool = False, context: bool = True) -> str:
    """One finding: its headline, then (with ``context``) the source line with a caret."""
    sev = str(finding.severity)
    # Names, messages and source lines come from the writer's files: every piece is shown
    # with its control characters escaped.
    path = escape_controls(finding.path)
    location = f"{path}:{finding.span.line}:{finding.span.column}:"
    code = click.style(finding.rule, bold=True, fg=_COLOURS[sev]) if color else finding.rule
    tag = click.style(f"[{sev}]", fg=_COLOURS[sev]) if color else f"[{sev}]"
    head = f"{click.style(location, bold=True) if color else location} {code} {tag} "
    lines = [head + escape_controls(finding.message)]
    suggestion = escape_controls(finding.suggestion) if finding.suggestion else None
    if context and finding.source_line is not None:
        number = str(finding.span.line)
        pad = " " * len(number)
        raw, start, end = _shown(finding)
        before, marked = escape_controls(raw[:start]), escape_controls(raw[start:end])
        source = before + marked + escape_controls(raw[end:])
        # Pad by display cells, not code points: Telugu vowel signs take no cell of their
        # own, and CJK characters take two.
        caret = " " * cell_len(before) + "^" * max(1, cell_len(marked))
        if color:
            caret = click.style(caret, fg=_COLOURS[sev], bold=True)
        lines += [f" {number} | {source}", f" {pad} | {caret}"]
        if suggestion:
            lines.append(f" {pad} = help: {suggestion}")
    elif context and suggestion:
        lines.append(f"  = help: {suggestion}")
    for related in finding.related:
        # The other file a cross-document finding is about, where an editor can jump to it.
        what = f" ({escape_controls(related.message)})" if related.message else ""
        place = f"{escape_controls(related.path)}:{related.line}:{related.column}"
        lines.append(f"    see also: {place}{what}")
    return "\n".join(lines)


def summary_line(report: Report) -> str:
    """``Checked 20 files: 1 error, 3 warnings, 0 info.``"""
    counts = report.counts()
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    if not any(counts.values()):
        return f"Checked {files} {noun}: no findings."
    errors = "error" if counts["error"] == 1 else "errors"
    warnings = "warning" if counts["warning"] == 1 else "warnings"
    return (
        f"Checked {files} {noun}: {counts['error']} {errors}, {counts['warning']} {warnings}, "
        f"{counts['info']} info."
    )


def statistics(report: Report) -> str:
    """Findings per rule, most frequent first (``--statistics``)."""
    counter = Counter((f.rule, f.name, str(f.severity)) for f in report.findings)
    rows = [
        f"{n:6d}  {code}  {name}  [{sev}]"
        for (code, name, sev), n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return "\n".join(rows)


class TextStream:
    """The text report, written piece by piece as files finish (``sop-lint check`` streams
    it to the terminal): each file's findings as soon as the file is checked, then the
    cross-document findings, the statistics and the summary line at the end.

    :func:`format_report` writes through this class too, so the streamed output and the
    report written at once (``--output``) are the same bytes. Each piece ends with a
    newline, so a reader never sees half a line while the next file is checked.
    """

    def __init__(
        self,
        write: Callable[[str], object],
        color: bool = False,
        quiet: bool = False,
        show_statistics: bool = False,
    ) -> None:
        self.write = write
        self.color = color
        self.quiet = quiet
        self.show_statistics = show_statistics
        self.shown = 0  # findings written so far

    def finding(self, finding: Finding) -> None:
        """Write one finding, after an empty line if one came before (none with quiet)."""
        gap = "\n" if self.shown and not self.quiet else ""
        self.write(gap + format_finding(finding, self.color, context=not self.quiet) + "\n")
        self.shown += 1

    def file(self, result: FileResult) -> None:
        """Write one file's findings (the per-file ones: the run has not added any other)."""
        for finding in result.findings:
            self.finding(finding)

    def finish(self, report: Report) -> None:
        """Write the cross-document findings, the statistics (if asked) and the summary
        line (not with quiet: -q prints nothing but findings)."""
        # Only those still in the report: a filter after the run (a baseline, changed
        # lines) may have left some out.
        present = {id(f) for r in report.files for f in r.findings}
        for finding in report.project_findings:
            if id(finding) in present:
                self.finding(finding)
        written = bool(self.shown)
        if self.show_statistics and report.findings:
            self.write(("\n" if written else "") + statistics(report) + "\n")
            written = True
        if not self.quiet:
            self.write(("\n" if written else "") + summary_line(report) + "\n")


def format_report(
    report: Report,
    color: bool = False,
    quiet: bool = False,
    show_statistics: bool = False,
    **_: object,
) -> str:
    """The whole text report: per-file findings in path order, then the cross-document
    findings (path order), then the statistics and the summary, as :class:`TextStream`
    writes them while the run goes."""
    out: list[str] = []
    stream = TextStream(out.append, color, quiet, show_statistics)
    across = {id(f) for f in report.project_findings}
    for result in report.files:
        for finding in result.findings:
            if id(finding) not in across:
                stream.finding(finding)
    stream.finish(report)
    return "".join(out)
