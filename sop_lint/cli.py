"""The ``sop-lint`` command: parse arguments, call the library, print.

Exit codes (stable, for CI): 0 nothing at or above ``--fail-on``; 1 findings at or above
it; 2 a usage, configuration or internal error.
"""

from __future__ import annotations

import datetime
import difflib
import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from sop_lint import __version__
from sop_lint.cache import open_for_run
from sop_lint.config import FAIL_ON, Config, ConfigError, load_config
from sop_lint.engine import FileResult, Report, available_cores, check_paths
from sop_lint.extras import MissingExtra, require
from sop_lint.files import check_stdin, read_stdin
from sop_lint.formatters import FORMATTERS, format_report
from sop_lint.formatters.json_format import dumps as json_dumps
from sop_lint.progress import LiveOutput
from sop_lint.rules.base import all_rules, find_rule, match_rules

EXIT_USAGE = 2
F = TypeVar("F", bound=Callable[..., Any])


class SopLintError(click.ClickException):
    """A user-facing error: one line on stderr, exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        # Some errors list one problem a line (the site's template errors): the lines are
        # kept, and each is escaped on its own.
        lines = self.format_message().split("\n")
        click.echo("sop-lint: error: " + "\n".join(_printable(x) for x in lines), err=True)


def _guard(func: F) -> F:
    """Turn config errors into one-line errors and crashes into exit 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (ConfigError, MissingExtra) as exc:
            raise SopLintError(str(exc)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            raise click.Abort() from None
        except BrokenPipeError:
            # The reader went away ("sop-lint check | head"): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:
            if os.environ.get("SOP_LINT_DEBUG"):
                raise
            raise SopLintError(
                f"internal error: {type(exc).__name__}: {exc} (set SOP_LINT_DEBUG=1 for a "
                "traceback, and please report it)"
            ) from None

    return wrapper  # type: ignore[return-value]


def _load(paths: tuple[str, ...], config_path: str | None) -> Config:
    start = Path(paths[0]) if paths else Path.cwd()
    return load_config(start, Path(config_path) if config_path else None)


def _default_language(value: str | None) -> str | None:
    """The ``--lang`` code, normalised; an unknown code is a usage error with a hint."""
    if value is None:
        return None
    from sop_lint.languages import LANGUAGES, get_language, normalise_code

    code = normalise_code(value)
    if get_language(code) is not None:
        return code
    supported = sorted(LANGUAGES)
    # Close to a code ("sw") or to a name or alias ("norweigan"): suggest that code.
    names = {name: cls.code for cls in LANGUAGES.values() for name in (cls.code, *cls.aliases)}
    close = difflib.get_close_matches(code, list(names), n=1, cutoff=0.5)
    hint = f"did you mean {names[close[0]]!r}? " if close else ""
    raise SopLintError(
        f"--lang {value!r} is not a supported language; {hint}supported: {', '.join(supported)}"
    )


LANG_HELP = (
    "Language of files whose front matter has no 'lang': en, sv, nb or te "
    "(replaces the config's 'language'; overrides for paths and front matter still win)."
)


def _selectors(value: str | None, option: str) -> list[str]:
    if not value:
        return []
    items = [s.strip() for s in value.split(",") if s.strip()]
    for item in items:
        if not match_rules(item):
            raise click.BadParameter(
                f"{item!r} is not a rule code, name or code prefix (see 'sop-lint rules')",
                param_hint=option,
            )
    return items


def _default_paths(config: Config) -> list[Path]:
    paths = [config.root / d for d in config.docs]
    existing = [p for p in paths if p.exists()]
    if not existing:
        where = ", ".join(str(p) for p in paths)
        raise SopLintError(
            f"no paths given and the docs folder ({where}) does not exist; pass files or "
            "folders to check, or set 'docs' in [tool.sop-lint]"
        )
    return existing


class _Jobs(click.ParamType):
    """``--jobs``: a whole number of processes, 0 for one per core; anything else is a
    usage error in plain words (not "internal error", not "integer range")."""

    name = "N"

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip()
            if not text.isdigit() or not text.isascii():
                self.fail(
                    f"{_printable(str(value))!r} is not a number of processes; give a whole "
                    "number such as 4, or 0 for one per core",
                    param,
                    ctx,
                )
            number = int(text[:12]) if len(text) > 12 else int(text)  # a huge number: capped
        return number


JOBS = _Jobs()
JOBS_HELP = "Processes (0: one per core; never more than the cores available)."


def _printable(text: str) -> str:
    """``text`` with control characters shown as escapes, for one-line messages."""
    from sop_lint.formatters.text import escape_controls

    return escape_controls(text)


def _use_color(output: str | None, color: str) -> bool:
    if color != "auto":
        return color == "always"
    if output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so readers never see half.

    A name the file system refuses (too long, a folder that cannot be made) is a usage
    error naming the file, not an internal error.
    """
    try:
        _write_through_temporary(path, text)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SopLintError(
            f"--output {_printable(str(path))}: cannot write the report: {reason}; "
            "choose another file name (shorter, in a folder you can write to)"
        ) from None


def _write_through_temporary(path: Path, text: str) -> None:
    from sop_lint.safe_io import write_report

    path.parent.mkdir(parents=True, exist_ok=True)
    # The report gets the mode the file had, or a new file's under the umask (not the
    # 0600 of a temporary file), so another CI step can read and upload it; -o /dev/null
    # or a FIFO is written to, never replaced.
    write_report(path, text.encode("utf-8", "surrogateescape"))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="sop-lint")
def main() -> None:
    """Lint standard operating procedures (SOPs) written in Markdown.

    Checks SOPs in English, Swedish, Norwegian Bokmål and Telugu for short sentences and
    procedures, readable text, and a uniform structure. Start with 'sop-lint check'.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Lowest severity that makes the exit code 1 (default: error, or the config).",
)
@click.option("--select", help="Only these rules (comma-separated codes, names or prefixes).")
@click.option("--extend-select", help="Also these rules (e.g. rules that are off by default).")
@click.option("--ignore", help="Skip these rules (comma-separated codes, names or prefixes).")
@click.option("--lang", "lang", help=LANG_HELP)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@click.option("--quiet", "-q", is_flag=True, help="Only the finding lines; no source or summary.")
@click.option("--statistics", is_flag=True, help="Also print how many findings each rule made.")
@click.option("--jobs", "-j", type=JOBS, help=JOBS_HELP)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    help="Colour the text output (auto: on a terminal, unless NO_COLOR is set).",
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Take this date (YYYY-MM-DD) as today, for reproducible review-date checks.",
)
@click.option(
    "--require-languagetool",
    is_flag=True,
    help="Fail (exit 2) when the grammar rule is on and LanguageTool cannot be reached.",
)
# -- part B: changed lines and baseline (sop_lint.changes, sop_lint.baseline) --
@click.option(
    "--diff-base",
    metavar="REF",
    help="Only findings on lines changed since git REF (from its merge base with HEAD, up "
    "to the working tree), e.g. origin/main.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    help="Leave out the known findings listed in FILE (written by 'sop-lint baseline'); "
    "default: the config's 'baseline'.",
)
# -- part D: safe fixes (sop_lint/fixes.py) --
@click.option(
    "--fix",
    is_flag=True,
    help="Apply the safe fixes (wordy phrases, glossary terms, extra spaces) to the files, "
    "then report "
    "the findings that remain.",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print the safe fixes as a unified diff and change nothing. Exit code 1 if there "
    "is anything to fix, 0 if not.",
)
# Part A, input (sop_lint/files.py): stdin, and .gitignore.
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="With - as the path: check stdin as if it were this file (config, language, names).",
)
@click.option("--no-ignore", is_flag=True, help="Check files that .gitignore files leave out.")
# Part C (issue 11): the result cache (sop_lint/cache.py); streaming and the progress
# bar are in sop_lint/progress.py.
@click.option("--no-cache", is_flag=True, help="Check every file again; read and write no cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Keep the cache here (default: .sop-lint-cache in the project root).",
)
@_guard
def check(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str | None,
    select: str | None,
    extend_select: str | None,
    ignore: str | None,
    lang: str | None,
    config_path: str | None,
    quiet: bool,
    statistics: bool,
    jobs: int | None,
    color: str,
    today: datetime.datetime | None,
    require_languagetool: bool,
    diff_base: str | None,
    baseline_file: str | None,
    stdin_filename: str | None,
    no_ignore: bool,
    fix: bool = False,
    show_diff: bool = False,
    no_cache: bool = False,
    cache_dir: str | None = None,
) -> None:
    """Check SOP files and folders (default: the configured docs folder, else docs/).

    PATHS may be quoted globs ('docs/**/*.md'), or - to read one SOP from stdin.

    Exit code 0: nothing at or above --fail-on; 1: findings at or above it;
    2: a usage, configuration or internal error.
    """
    language = _default_language(lang)
    config = _load(paths, config_path)
    stdin = read_stdin(paths, stdin_filename)  # part A: "-" is the SOP on stdin
    config.respect_gitignore = config.respect_gitignore and not no_ignore
    if language:
        config.language = language
    config.today = today.date() if today else None
    if select:
        config.select, config.extend_select = _selectors(select, "--select"), []
    config.extend_select = config.extend_select + _selectors(extend_select, "--extend-select")
    config.ignore = config.ignore + _selectors(ignore, "--ignore")
    targets = [Path(p) for p in paths] if paths else _default_paths(config)
    from sop_lint.baseline import Narrowing  # part B: before the run, so a bad ref stops it

    narrowing = Narrowing.prepare(config, diff_base, baseline_file)
    if stdin and (fix or show_diff):  # an editor: the fixed text (or diff) on stdout
        from sop_lint.fixes import fix_stdin

        if fix and show_diff:
            raise click.UsageError("--fix writes the fixes and --diff only shows them: use one")
        sys.exit(fix_stdin(stdin.data, stdin.path, stdin.path.as_posix(), config, show_diff))
    if fix or show_diff:
        from sop_lint.fixes import apply_fix_options

        if apply_fix_options(targets, config, fix, show_diff):  # --diff exits here
            # The fixes changed lines: what --diff-base counts as changed is read again.
            narrowing = Narrowing.prepare(config, diff_base, baseline_file)
    _prepare_grammar(config, require_languagetool)
    cache, cache_warning = open_for_run(config, *_cache_settings(config, no_cache, cache_dir))
    live = LiveOutput.for_check(fmt, output, quiet, _use_color(output, color), statistics)
    if stdin:
        live.streaming = False  # one SOP from stdin: printed whole, narrowed after the run

    def on_result(result: FileResult) -> None:
        # Each file's own findings are narrowed (baseline, changed lines) before they are
        # streamed; the cross-document ones are narrowed by narrowing.finish below.
        narrowing.file(result)
        live.file(result)

    try:
        if stdin:
            report = check_stdin(stdin, config)
            notes = narrowing.apply(report)
        else:
            report = check_paths(
                targets, config, jobs, cache=cache, on_start=live.start, on_result=on_result
            )
            notes = narrowing.finish(report)
    finally:
        live.done()
        from sop_lint.grammar import end_run

        end_run()
    if require_languagetool and "G001" in report.unavailable:
        report.errors.append(
            "grammar could not be checked in every file (see the warnings above), and "
            "--require-languagetool was given"
        )
    if cache_warning:
        report.warnings.insert(0, cache_warning)
    if not quiet:  # -q: nothing but findings
        _warn(report)
    if fmt == "text" and not report.files and report.errors:
        pass  # nothing was checked: "Checked 0 files: no findings." would read as a pass
    elif live.streaming:
        live.finish(report)
    else:
        text = format_report(
            report,
            fmt,
            color=_use_color(output, color),
            quiet=quiet,
            show_statistics=statistics,
        )
        if output:
            _write_atomically(Path(output), text)
        else:
            click.echo(text, nl=False, color=_use_color(output, color))
    if not quiet:  # at the end, after the report: known findings hidden, lines left out
        for note in notes:
            click.echo(f"sop-lint: {_printable(note)}", err=True)
    if cache is not None:
        cache.prune()
    for error in report.errors:
        click.echo(f"sop-lint: error: {_printable(error)}", err=True)
    sys.exit(report.exit_code(fail_on or config.fail_on))


def _cache_settings(
    config: Config, no_cache: bool, cache_dir: str | None
) -> tuple[bool, str | None]:
    """``(no cache, folder)`` for the run: the command line wins over the config's
    ``cache`` and ``cache-dir`` (relative to the config file); --cache-dir turns the cache
    on for the run even where the config turns it off."""
    if no_cache or cache_dir is not None:
        return no_cache, cache_dir
    if config.cache_dir is not None:
        cache_dir = os.path.join(config.root, os.path.expanduser(config.cache_dir))
    return not config.cache, cache_dir


def _capped_jobs(jobs: int | None) -> int | None:
    """``--jobs`` for the site build: never more than the cores, with a note if asked."""
    if not jobs:
        return None
    cores = available_cores()
    if jobs > cores:
        click.echo(
            f"sop-lint: warning: --jobs {jobs} asks for more processes than the {cores} "
            f"cores available; using {cores}",
            err=True,
        )
    return min(jobs, cores)


def _warn(report: Report) -> None:
    """Print the run's warnings (e.g. an override that applies nowhere) on stderr."""
    for warning in report.warnings:
        click.echo(f"sop-lint: warning: {_printable(warning)}", err=True)


def _prepare_grammar(config: Config, required: bool) -> None:
    """Probe LanguageTool once, before the run, when the grammar rule is on.

    Unreachable: one warning and the rule is left out, so the other rules still run and
    the exit code is theirs; with ``--require-languagetool`` it is an error (exit 2).
    """
    from sop_lint.config import enabled_rules
    from sop_lint.grammar import GrammarSettings, GrammarUnavailable, probe, start_run

    grammar = find_rule("grammar")
    if grammar is None:
        return
    in_use = grammar in enabled_rules(config.select, config.extend_select, config.ignore) or any(
        grammar in enabled_rules(o.select, o.extend_select, []) for o in config.overrides
    )
    if not in_use:
        return
    settings = GrammarSettings.from_config(config.sections.get("grammar"))
    try:
        probe(settings)
    except GrammarUnavailable as exc:
        if required:
            raise SopLintError(f"{exc} (--require-languagetool was given)") from None
        click.echo(f"sop-lint: warning: {exc}; grammar checks skipped", err=True)
        config.ignore = [*config.ignore, grammar.code]
        for override in config.overrides:
            override.ignore = [*override.ignore, grammar.code]
        return
    start_run(settings)  # the run's budget counts from here, in every worker process


# -- part B: sop-lint baseline (sop_lint.baseline) ------------------------------------------


def _whole_set_check(
    paths: tuple[str, ...],
    config_path: str | None,
    lang: str | None,
    today: datetime.datetime | None,
    jobs: int | None,
) -> tuple[Config, Report]:
    """The check behind 'baseline' and 'report': the config's rules over the SOP set (the
    same run as 'check', without its output), with the run's warnings printed."""
    language = _default_language(lang)
    config = _load(paths, config_path)
    if language:
        config.language = language
    config.today = today.date() if today else None
    targets = [Path(p) for p in paths] if paths else _default_paths(config)
    _prepare_grammar(config, False)
    try:
        report = check_paths(targets, config, jobs)
    finally:
        from sop_lint.grammar import end_run

        end_run()
    _warn(report)
    return config, report


@main.command("baseline")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the baseline here (default: the config's 'baseline', else "
    ".sop-lint-baseline.json next to the config).",
)
@click.option("--lang", "lang", help=LANG_HELP)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@click.option("--jobs", "-j", type=JOBS, help=JOBS_HELP)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Take this date (YYYY-MM-DD) as today, for reproducible review-date checks.",
)
@_guard
def baseline_command(
    paths: tuple[str, ...],
    output: str | None,
    lang: str | None,
    config_path: str | None,
    jobs: int | None,
    today: datetime.datetime | None,
) -> None:
    """Write today's findings to a baseline file, so 'check' reports only new ones.

    Run it once on an existing SOP set, commit the file, and check with --baseline FILE
    (or set baseline = ".sop-lint-baseline.json" in the config). Run it again after fixing
    findings to drop them from the file.
    """
    from sop_lint.baseline import default_path, run_baseline

    config, report = _whole_set_check(paths, config_path, lang, today, jobs)
    target = Path(output) if output else default_path(config)
    if report.errors:
        for error in report.errors:
            click.echo(f"sop-lint: error: {_printable(error)}", err=True)
        raise SopLintError("the baseline was not written: fix the errors above first")
    try:
        message = run_baseline(report, target)
    except OSError as exc:
        raise SopLintError(
            f"--output {_printable(str(target))}: cannot write the baseline: "
            f"{exc.strerror or exc}; choose a file in a folder you can write to"
        ) from None
    click.echo(_printable(message))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option("--lang", "lang", help=LANG_HELP)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@_guard
def stats(paths: tuple[str, ...], fmt: str, lang: str | None, config_path: str | None) -> None:
    """Per-document figures: language, words, sentences, readability, steps."""
    language = _default_language(lang)
    config = _load(paths, config_path)
    if language:
        config.language = language
    targets = [Path(p) for p in paths] if paths else _default_paths(config)
    config.select, config.extend_select, config.ignore = ["S001", "S002", "S005"], [], []
    report = check_paths(targets, config, with_stats=True)
    _warn(report)
    _print_stats(report, fmt)
    for r in report.files:  # unreadable files, bad front matter, a language mismatch
        for f in r.findings:
            click.echo(
                _printable(f"{f.path}:{f.span.line}:{f.span.column}: {f.rule} {f.message}"),
                err=True,
            )
    for error in report.errors:
        click.echo(f"sop-lint: error: {_printable(error)}", err=True)
    sys.exit(EXIT_USAGE if report.errors else 0)


@main.command("report")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--lang", "lang", help=LANG_HELP)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@click.option("--jobs", "-j", type=JOBS, help=JOBS_HELP)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Take this date (YYYY-MM-DD) as today, for reproducible review dates.",
)
@_guard
def report_command(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    lang: str | None,
    config_path: str | None,
    jobs: int | None,
    today: datetime.datetime | None,
) -> None:
    """The SOP set at a glance: SOPs per language and branch, translations behind their
    source, reviews due, near-duplicate procedures and glossary findings per SOP.

    It runs the same check as 'sop-lint check' (same rules, same config), so its numbers
    match. Exit code 0 (it is a report, whatever it shows); 2: a usage or config error.
    """
    from sop_lint.report import build, render_text

    config, report = _whole_set_check(paths, config_path, lang, today, jobs)
    if report.files and all(r.summary is None for r in report.files):
        # Summaries are made only for the rules across the SOP set; without them nothing
        # can be counted per language or branch, and a report of zeros would mislead.
        click.echo(
            "sop-lint: warning: every rule across the SOP set (D, L) is turned off for "
            "these files (select/ignore in the config), so the report counts no SOPs; "
            "turn on translation-outdated (L001) or duplicate-id (D001)",
            err=True,
        )
    data = build(report, config)
    text = json_dumps(data) + "\n" if fmt == "json" else render_text(data, _printable)
    if output:
        _write_atomically(Path(output), text)
    else:
        click.echo(text, nl=False)
    for error in report.errors:
        click.echo(f"sop-lint: error: {_printable(error)}", err=True)
    sys.exit(EXIT_USAGE if report.errors else 0)


def _readability_cells(result: Any) -> tuple[str, str]:
    r = result.stats.readability if result.stats else None
    if r is None:
        return "-", "-"
    if r.metric == "flesch":
        return f"Flesch {r.score:.0f}", r.band
    if r.metric == "lix":
        return f"LIX {r.score:.0f}", r.band
    if "aksharas_per_word" in r.details:
        return f"{r.details['aksharas_per_word']:.2f} aksharas/word", r.band
    return "-", r.band


def _print_stats(report: Report, fmt: str) -> None:
    rows = [r for r in report.files if r.stats is not None]
    if fmt == "json":
        data = []
        for r in rows:
            s = r.stats
            reading = s.readability
            data.append(
                {
                    "path": r.path,
                    "language": s.language,
                    "words": s.words,
                    "sentences": s.sentences,
                    "words_per_sentence": round(s.words / s.sentences, 1) if s.sentences else 0,
                    "steps": s.steps,
                    "readability": None
                    if reading is None
                    else {
                        "metric": reading.metric,
                        "score": reading.score,
                        "band": reading.band,
                        **reading.details,
                    },
                }
            )
        # dumps: a file name that is not UTF-8 is escaped, not a crash on output.
        click.echo(json_dumps({"version": 1, "documents": data}))
        return
    from rich.console import Console
    from rich.markup import escape as rich_escape
    from rich.table import Table

    table = Table(title=None, show_lines=False)
    for name, justify in (
        ("Document", "left"),
        ("Lang", "left"),
        ("Words", "right"),
        ("Sentences", "right"),
        ("Words/sentence", "right"),
        ("Readability", "left"),
        ("Band", "left"),
        ("Steps", "right"),
    ):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for r in rows:
        s = r.stats
        score, band = _readability_cells(r)
        mean = f"{s.words / s.sentences:.1f}" if s.sentences else "-"
        # A file name is the writer's: no control characters, and no rich markup ("[red]").
        name = rich_escape(_printable(r.path))
        table.add_row(
            name, s.language, str(s.words), str(s.sentences), mean, score, band, str(s.steps)
        )
    Console(width=max(120, Console().width)).print(table)


@main.command("rules")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
)
def rules_command(fmt: str) -> None:
    """List every rule: code, name, default severity and what it flags."""
    rules = all_rules()
    if fmt == "json":
        data = [
            {
                "code": r.code,
                "name": r.name,
                "severity": str(r.severity),
                "family": r.family(),
                "enabled_by_default": r.enabled_by_default,
                "options": r.options,
                "summary": r.summary(),
            }
            for r in rules
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        from sop_lint.catalogue import rule_catalogue

        click.echo(rule_catalogue(), nl=False)
    else:
        for r in rules:
            off = "" if r.enabled_by_default else "  (off by default)"
            click.echo(f"{r.code}  {r.name:<30} {r.severity!s:<8} {r.summary()}{off}")


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Explain one rule (by code or name): what it flags, why, and what to write instead."""
    found = find_rule(rule)
    if found is None:
        raise SopLintError(f"no rule is called {rule!r}; see 'sop-lint rules'")
    text = f"# {found.code} {found.name}\n\nDefault severity: **{found.severity}**\n\n"
    text += found.documentation()
    if found.options:
        text += "\n\nDefaults: " + ", ".join(f"`{k} = {v!r}`" for k, v in found.options.items())
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text.replace("``", "`")))
    else:
        click.echo(text)


@main.command("config")
@click.argument("path", required=False, type=click.Path(path_type=str))
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@_guard
def config_command(path: str | None, config_path: str | None) -> None:
    """Print the resolved configuration (as JSON) that applies at PATH."""
    config = _load((path,) if path else (), config_path)
    click.echo(json.dumps(config.to_dict(), ensure_ascii=False, indent=2))


# -- sop-lint site: publishing (sop_lint.site) ---------------------------------------------


@main.group()
def site() -> None:
    """Publish the SOPs: one MkDocs Material site per branch and language.

    'site build' builds every branch into site/<branch>/<lang>/; 'site serve' previews
    one branch while you write; 'site render' writes one branch's rendered Markdown.
    """


def _site_config(config_path: str | None, today: datetime.datetime | None) -> Config:
    config = _load((), config_path)
    config.today = today.date() if today else None
    return config


def _site_error(exc: Exception) -> SopLintError:
    error = SopLintError(str(exc))
    error.exit_code = 1  # the content cannot be published: like findings, not a usage error
    return error


@site.command("build")
@click.option("--branch", "branches", multiple=True, help="Only this branch (repeatable).")
@click.option("--output", "-o", type=click.Path(file_okay=False), help="Output folder.")
@click.option("--jobs", "-j", type=JOBS, help=JOBS_HELP)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date for review status.")
@click.option("--no-guide", is_flag=True, help="Do not build the sop-lint guide (site/guide/).")
@_guard
def site_build(
    branches: tuple[str, ...],
    output: str | None,
    jobs: int | None,
    config_path: str | None,
    today: datetime.datetime | None,
    no_guide: bool,
) -> None:
    """Build every branch, each language, into site/<branch>/<lang>/, and a landing page.

    Exit code 0: every site built; 1: a template error or a branch failed (named);
    2: a usage or configuration error.
    """
    require("site", "'sop-lint site build'")
    from sop_lint.site.build import build_sites
    from sop_lint.site.project import SiteError

    config = _site_config(config_path, today)

    def progress(outcome: Any) -> None:
        if outcome.ok:
            click.echo(
                f"  {outcome.name:<28} {', '.join(outcome.languages):<8} "
                f"{outcome.pages:>4} pages  {outcome.seconds:5.1f} s"
            )
        else:
            click.echo(f"  {outcome.name:<28} FAILED: {outcome.error}", err=True)

    try:
        report = build_sites(
            config,
            branch_ids=list(branches) or None,
            output=Path(output) if output else None,
            jobs=_capped_jobs(jobs),
            guide=not no_guide,
            progress=progress,
        )
    except SiteError as exc:
        raise _site_error(exc) from None
    branch_outcomes = [o for o in report.outcomes if o.name != "guide"]
    built = [o for o in branch_outcomes if o.ok]
    click.echo(
        f"Built {len(built)} of {len(branch_outcomes)} branches ({report.pages} SOP pages) "
        f"into {report.output} in {report.seconds:.1f} s."
    )
    if report.failed:
        names = ", ".join(o.name for o in report.failed)
        click.echo(f"sop-lint: error: failed: {names}", err=True)
        sys.exit(1)


@site.command("render")
@click.option("--branch", "branch_id", required=True, help="The branch id (see branches.yml).")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Folder.")
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date for review status.")
@_guard
def site_render(
    branch_id: str,
    out: str,
    langs: tuple[str, ...],
    config_path: str | None,
    today: datetime.datetime | None,
) -> None:
    """Write one branch's rendered Markdown as a plain docs folder (<lang>/<slug>.md),
    for MkDocs or any engine compatible with it."""
    require("site", "'sop-lint site render'")
    from sop_lint.site.project import SiteError
    from sop_lint.site.render_folder import render_folder

    config = _site_config(config_path, today)
    try:
        written = render_folder(config, branch_id, Path(out), list(langs) or None)
    except SiteError as exc:
        raise _site_error(exc) from None
    click.echo(f"Wrote {written} files for {branch_id} into {out}.")


@site.command("serve")
@click.option("--branch", "branch_id", required=True, help="The branch id (see branches.yml).")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="IP:PORT.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@_guard
def site_serve(branch_id: str, dev_addr: str, config_path: str | None) -> None:
    """Preview one branch (every language it publishes) while you write; reloads on save."""
    require("site", "'sop-lint site serve'")
    from sop_lint.site.serve import serve_branch

    config = _site_config(config_path, None)
    serve_branch(config, branch_id, dev_addr)


# -- the standard template: `sop-lint new` and `sop-lint template show` -------------------


def _may_ask(no_input: bool) -> bool:
    """Prompt only a person at a terminal: never in CI, in a pipe or with --no-input."""
    if no_input or os.environ.get("CI"):
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()


@main.command("new")
@click.argument("title", required=False)
@click.option("--lang", help="Language of the SOP: en, sv, nb or te (default: the configured one).")
@click.option("--id", "sop_id", help="The SOP's unique, stable id, e.g. CS-006.")
@click.option("--owner", help='The role that owns the SOP (not a person), e.g. "Butikschef".')
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the SOP here (default: <docs>/<lang>/<title>.md).",
)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Take this date (YYYY-MM-DD) as today, for the first revision-history row.",
)
@click.option(
    "--no-input", is_flag=True, help="Never ask; leave what is not given as [[placeholders]]."
)
@_guard
def new_command(
    title: str | None,
    lang: str | None,
    sop_id: str | None,
    owner: str | None,
    output: Path | None,
    config_path: str | None,
    today: datetime.datetime | None,
    no_input: bool,
) -> None:
    """Write a new SOP from the standard template, ready to fill in.

    The file gets the template's front matter and sections in the SOP's language, with
    [[placeholders]] where the writer's text goes. It never replaces an existing file.
    In a terminal, sop-lint asks for a title, id and owner not given as options; in CI or
    with --no-input it asks nothing.
    """
    from sop_lint import authoring
    from sop_lint.engine import check_file, display_path
    from sop_lint.languages import get_language, normalise_code
    from sop_lint.template import template_for

    config = _load((), config_path)
    ask = _may_ask(no_input)
    if not title or not title.strip():
        if not ask:
            raise SopLintError(
                'give the SOP\'s title, e.g. sop-lint new "Handling a product return"'
            )
        title = click.prompt("Title of the SOP")
    if lang is None and ask:
        lang = click.prompt("Language (en, sv, nb, te)", default=config.language)
    code = normalise_code(lang or config.language)
    if get_language(code) is None:
        raise SopLintError(f"--lang {lang!r} is not a supported language: en, sv, nb or te")
    if sop_id is None and ask:
        sop_id = click.prompt(
            "Id (e.g. CS-006; empty: fill in later)", default="", show_default=False
        )
    if owner is None and ask:
        owner = click.prompt("Owner, a role (empty: fill in later)", default="", show_default=False)
    sop = authoring.NewSop(
        title=" ".join(title.split()),
        lang=code,
        id=sop_id.strip() if sop_id and sop_id.strip() else None,
        owner=owner.strip() if owner and owner.strip() else None,
    )
    template = template_for(config.sections.get("template"), config.root)
    if sop.id:
        clash = authoring.find_id(sop.id, [config.root / d for d in config.docs], config)
        if clash is not None:
            raise SopLintError(
                f"id {sop.id} is already used by {display_path(clash)}; ids must be unique: "
                "choose another with --id"
            )
    path = output or authoring.default_path(sop, config)
    date = today.date() if today else (config.today or datetime.date.today())
    shown = display_path(path)
    try:
        authoring.write_new(path, authoring.render(template, sop, date), shown)
    except authoring.AuthoringError as exc:
        raise SopLintError(str(exc)) from None
    result = check_file(path, config)
    click.echo(f'Created {shown} ({sop.lang}) from the template "{template.name}".')
    placeholders = sum(1 for f in result.findings if f.name == "placeholder-left")
    if result.findings:
        click.echo(f"Fill in its {placeholders} placeholders; 'sop-lint check {shown}' lists them:")
        report = Report(files=[result])
        click.echo(format_report(report, "text", color=False, quiet=True), nl=False)


@main.group("template")
def template_group() -> None:
    """The standard SOP template that 'check' compares SOPs with and 'new' writes from."""


@template_group.command("show")
@click.argument("file", required=False)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@click.option(
    "--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True
)
@_guard
def template_show(file: str | None, config_path: str | None, fmt: str) -> None:
    """Print the template in force, with 'extends' applied (or FILE's, or "default").

    An invalid template stops with exit code 2 and names the file, line and key.
    """
    import yaml

    from sop_lint.template import template_for

    if file:
        template = template_for(file, Path.cwd(), where=file)
    else:
        config = _load((), config_path)
        template = template_for(config.sections.get("template"), config.root)
    data = template.to_data()
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    chain = " <- ".join(_shown_path(p) for p in template.sources)
    click.echo(f"# {template.name or 'SOP template'}, resolved from: {chain}")
    click.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), nl=False)


def _shown_path(path: Path) -> str:
    from sop_lint.template import builtin_dir

    try:
        return "built-in " + path.relative_to(builtin_dir()).as_posix()
    except ValueError:
        pass
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


if __name__ == "__main__":  # pragma: no cover
    main()
