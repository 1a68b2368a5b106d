"""A progress bar for ``sop-lint check`` on a terminal, and only there.

It is drawn on stderr, on one line that it rewrites, and only when a person is watching:
stderr is a terminal, no CI system is named in the environment (``CI``,
``GITHUB_ACTIONS``, ``GITLAB_CI`` and the like), ``TERM`` is not ``dumb`` and ``-q`` was
not given. In a pipe, a file or a CI log nothing is drawn, so logs hold findings only.
``NO_COLOR`` turns colour off, not the bar: the bar has no colour.

Findings go to stdout; before any are written the bar's line is cleared, and it is drawn
again after them, so findings never share a line with the bar.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from rich.cells import cell_len

# Set by CI systems: a log is not a terminal even when the runner gives it a pseudo-tty.
CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "TF_BUILD", "JENKINS_URL")
REDRAW_SECONDS = 0.1  # at most ten frames a second: drawing is not free on a slow terminal
WIDTH = 30  # cells of the bar itself
CLEAR = "\r\x1b[K"  # to the start of the line, and erase it


def wanted(stream: TextIO | None = None, quiet: bool = False) -> bool:
    """Whether a person is watching ``stream`` (default stderr): see the module."""
    stream = stream if stream is not None else sys.stderr
    if quiet or any(os.environ.get(name) for name in CI_VARIABLES):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """``Checking ━━━━━━━━━━━━━━━━━━╸─────────── 120/2000 files``, rewritten in place."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = 0
        self.done = 0
        self.visible = False  # whether the bar is on the screen now
        self._last_draw = 0.0

    def start(self, total: int) -> None:
        """The run checks ``total`` files; draws the empty bar."""
        self.total = total
        self._draw(force=True)

    def advance(self) -> None:
        """One more file is done."""
        self.done += 1
        self._draw(force=self.done == self.total)

    def clear(self) -> None:
        """Take the bar off the screen (before findings are printed, and at the end)."""
        if self.visible:
            self._write(CLEAR)
            self.visible = False

    def redraw(self) -> None:
        """Put the bar back after findings were printed."""
        self._draw(force=True)

    def _draw(self, force: bool = False) -> None:
        if self.total <= 0:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < REDRAW_SECONDS:
            return
        self._last_draw = now
        filled = WIDTH * self.done / self.total
        whole = int(filled)
        bar = "━" * whole + ("╸" if whole < WIDTH and filled - whole >= 0.5 else "")
        bar += "─" * (WIDTH - cell_len(bar))
        self._write(f"{CLEAR}Checking {bar} {self.done}/{self.total} files")
        self.visible = True

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # the terminal went away: the findings still go to stdout


class LiveOutput:
    """What ``sop-lint check`` shows while it runs: the text report streamed to stdout as
    files finish (text format, no ``--output``), and the progress bar on a terminal.

    ``start`` and ``file`` are the run's ``on_start`` and ``on_result`` callbacks
    (:func:`sop_lint.engine.check_paths`); ``finish`` writes the rest of the text report.
    """

    def __init__(
        self,
        fmt: str,
        output: str | None,
        quiet: bool,
        color: bool,
        show_statistics: bool,
        bar: Progress | None = None,
    ) -> None:
        from sop_lint.formatters.text import TextStream

        self.streaming = fmt == "text" and not output
        self.bar = bar
        self.text = TextStream(self._stdout, color, quiet, show_statistics)
        self.color = color

    @classmethod
    def for_check(
        cls, fmt: str, output: str | None, quiet: bool, color: bool, show_statistics: bool
    ) -> LiveOutput:
        """The live output for these options; the bar only where :func:`wanted` says."""
        bar = Progress() if wanted(quiet=quiet) else None
        return cls(fmt, output, quiet, color, show_statistics, bar)

    def _stdout(self, text: str) -> None:
        import click

        if self.bar is not None and self.bar.visible:
            self.bar.clear()  # findings never share a line with the bar
        click.echo(text, nl=False, color=self.color)

    def start(self, total: int) -> None:
        if self.bar is not None:
            self.bar.start(total)

    def file(self, result: object) -> None:
        if self.streaming:
            before = self.text.shown
            self.text.file(result)  # type: ignore[arg-type]
            if self.bar is not None and self.text.shown != before:
                self.bar.redraw()
        if self.bar is not None:
            self.bar.advance()

    def done(self) -> None:
        """The run is over: take the bar away before warnings and the summary."""
        if self.bar is not None:
            self.bar.clear()

    def finish(self, report: object) -> None:
        """Write the rest of the streamed text report (when streaming)."""
        self.done()
        if self.streaming:
            self.text.finish(report)  # type: ignore[arg-type]
