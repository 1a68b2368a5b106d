"""Run rules over documents: read files, parse, check, suppress, collect.

Data flows one way: files -> :class:`~sop_lint.model.Document` -> findings -> a formatter.
With many files the work is spread over processes; results come back in file order, so
output is the same whatever the number of jobs.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sop_lint.cache import ResultCache
from sop_lint.config import Config, ConfigError, FileConfig, Override, override_matches
from sop_lint.languages import get_language, normalise_code
from sop_lint.languages.base import Readability
from sop_lint.model import (
    BlockKind,
    Document,
    DocumentSummary,
    Finding,
    Severity,
    Span,
    Suppression,
)
from sop_lint.parser import parse_document
from sop_lint.rules.base import ProjectRule, Rule, RuleUnavailable, RunContext, find_rule
from sop_lint.rules.readability import measure
from sop_lint.rules.steps import procedure_items
from sop_lint.rules.translations import summarise as summarise_translation
from sop_lint.safe_io import RefusedRead, read_guarded, real_path, remembered_folders
from sop_lint.template import TimedPattern

if TYPE_CHECKING:
    from sop_lint.files import IgnoreFiles

MARKDOWN_SUFFIXES = (".md", ".markdown")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "site", "__pycache__", ".venv", "venv"}
PARALLEL_MIN_FILES = 24  # below this, starting processes costs more than it saves
# An SOP is kilobytes: the largest of 511 real ones in the test corpus is 76 KB. The
# densest text an SOP can hold (numbered steps, each tagged and analysed) costs about
# 8 ms of CPU per KB on the 2-core development machine, plus about 0.4 s to start, so
# 160 KB (over 2x the largest real SOP, some 25,000 words) keeps every file under the
# 2 s the hardening issue (9) allows; benchmarks/hostile_scaling.py measures every input
# class at this size.
MAX_FILE_BYTES = 160 * 1024


@dataclass(slots=True)
class DocumentStats:
    """Per-document figures for ``sop-lint stats`` and the site's dashboard."""

    language: str
    words: int
    sentences: int
    steps: int
    readability: Readability | None


@dataclass(slots=True)
class FileResult:
    """What checking one file produced."""

    path: str
    findings: list[Finding]
    stats: DocumentStats | None = None
    summary: DocumentSummary | None = None  # for checks across the SOP set
    project_rules: frozenset[str] = frozenset()  # codes of project rules on for this file
    errors: list[str] = field(default_factory=list)  # internal errors while checking it
    # Rules that could not check it (a service failed): (rule code, why), for a warning.
    unavailable: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Report:
    """The result of a run: per-file results in input order, and usage errors."""

    files: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # e.g. a path that does not exist
    warnings: list[str] = field(default_factory=list)  # e.g. an override that matches nothing
    unavailable: set[str] = field(default_factory=set)  # codes of rules that could not check
    # The cross-document findings (also in ``files``): known only after the last file, so
    # streamed text shows them after the per-file findings.
    project_findings: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            counts[str(finding.severity)] += 1
        return counts

    def exit_code(self, fail_on: str) -> int:
        """0: nothing at or above ``fail_on``; 1: something is; 2: a usage error happened."""
        if self.errors:
            return 2
        if fail_on == "never":
            return 0
        threshold = Severity.parse(fail_on)
        return 1 if any(f.severity >= threshold for f in self.findings) else 0


# -- finding files -------------------------------------------------------------------------


def discover(paths: Iterable[Path], config: Config) -> tuple[list[Path], list[str]]:
    """Markdown files under ``paths`` (sorted; excluded and git-ignored files left out,
    globs expanded: see :mod:`sop_lint.files`), and errors for missing paths."""
    from sop_lint.files import IgnoreFiles, expand_glob, is_glob

    files: list[Path] = []
    errors: list[str] = []
    seen: set[object] = set()
    ignore = IgnoreFiles() if config.respect_gitignore else None
    for path in paths:
        try:
            is_file, is_dir = path.is_file(), path.is_dir()
            present = path.exists() or path.is_symlink()
        except OSError as exc:  # e.g. a name too long for the file system
            errors.append(f"{path}: {exc.strerror or exc}; check the name")
            continue
        if is_file:
            candidates = [path]  # named explicitly: checked whatever its suffix
        elif is_dir:
            candidates = _walk(path, config, ignore)
        elif present:
            # A pipe, a device or a dangling or refused symlink the user named: checked, so
            # the guarded read reports what it is instead of "no such file".
            candidates = [path]
        elif is_glob(str(path)):
            try:
                candidates = expand_glob(str(path), config, ignore)
            except ConfigError as exc:
                errors.append(str(exc))
                continue
        elif str(path) == "-":
            errors.append("-: only 'sop-lint check' reads an SOP from stdin; pass files")
            continue
        else:
            errors.append(f"{path}: no such file or folder")
            continue
        for candidate in candidates:
            key = _identity(candidate)
            if key not in seen:
                seen.add(key)
                files.append(candidate)
    return files, errors


def _identity(path: Path) -> object:
    """What makes two names one file (a file named twice, or through a symlink, is
    checked once): its device and inode, one stat instead of resolving every folder."""
    try:
        info = os.stat(path)
    except OSError:
        return path.resolve()
    return (info.st_dev, info.st_ino)


def _walk(folder: Path, config: Config, ignore: IgnoreFiles | None = None) -> list[Path]:
    from sop_lint.files import walk

    return walk(folder, config, ignore)


def display_path(path: Path) -> str:
    """The path as findings show it: relative to the working folder when inside it."""
    absolute = os.path.abspath(path)
    # During a run each folder is resolved once (a resolve is an lstat per folder of the
    # path, and a warm run is mostly such costs), the file itself every time. abspath
    # drops "a/.." without following a symlink "a": such a path is resolved whole.
    real = os.path.realpath(absolute) if ".." in path.parts else real_path(absolute)
    inside = under(real, real_path(os.getcwd()))
    return path.as_posix() if inside is None else inside


def under(real: str, base: str) -> str | None:
    """``real`` relative to ``base`` with ``/`` separators ("." for ``base`` itself), or
    None when it is not inside; both already resolved. String work, no file system."""
    if real == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not real.startswith(prefix):
        return None
    inside = real[len(prefix) :]
    return inside if os.sep == "/" else inside.replace(os.sep, "/")


# -- reading -------------------------------------------------------------------------------


class UnreadableError(Exception):
    """A file that cannot be read as UTF-8 text; carries the line where known."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def read_source(path: Path, root: Path | None = None) -> str:
    """Read a file as UTF-8 text, or raise :class:`UnreadableError` saying why not.

    The read is guarded (:mod:`sop_lint.safe_io`): regular files only, at most
    ``MAX_FILE_BYTES``, and symlinks only when they stay inside ``root``.
    """
    try:
        data = read_guarded(path, root, MAX_FILE_BYTES)
    except RefusedRead as exc:
        raise UnreadableError(str(exc)) from None
    return decode_source(data)


def decode_source(data: bytes) -> str:
    """The bytes of an SOP as UTF-8 text, or :class:`UnreadableError` saying why not."""
    nul = data.find(b"\0", 0, 8192)
    if nul != -1:
        line, column = _byte_position(data, nul)
        raise UnreadableError(
            "file is binary (contains NUL bytes), not Markdown text", line, column
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        raise UnreadableError(
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            line,
            column,
        ) from None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters) of byte ``offset``, with lines as the parser counts
    them (:func:`~sop_lint.parser.normalise_source`: a line ends at LF, CRLF or a lone CR)."""
    head = data[:offset]
    line = head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
    start = max(head.rfind(b"\n"), head.rfind(b"\r")) + 1
    if start == 0 and head.startswith(b"\xef\xbb\xbf"):
        start = 3  # the BOM is not a character of the first line
    return line, len(head[start:].decode("utf-8", "replace")) + 1


# -- checking ------------------------------------------------------------------------------


def lint_document(
    doc: Document,
    rules: list[tuple[Rule, Severity | None]],
    known_rules: bool = True,
    errors: list[str] | None = None,
    unavailable: list[tuple[str, str]] | None = None,
) -> list[Finding]:
    """Run ``rules`` on ``doc``, apply inline suppressions, and sort the findings.

    A rule that fails with an exception is a bug in sop-lint, not in the SOP. With an
    ``errors`` list, it is recorded there (the command reports it and exits 2) and the
    other rules still run; without one, the exception propagates to the caller. A rule
    that could not check the file (:class:`RuleUnavailable`) is recorded in
    ``unavailable`` when given (the command warns), and skipped either way.
    """
    TimedPattern.start_file()  # template regexes get a time budget per file
    findings: list[Finding] = []
    for rule, severity in rules:
        try:
            hits = list(rule.check(doc))
        except ConfigError:
            raise  # the user's configuration is wrong: the command says so and stops
        except RuleUnavailable as exc:
            if unavailable is not None:
                unavailable.append((rule.code, str(exc)))
            continue
        except Exception as exc:
            if errors is None or os.environ.get("SOP_LINT_DEBUG"):
                raise
            errors.append(
                f"{doc.path}: internal error in rule {rule.code} {rule.name}: "
                f"{type(exc).__name__}: {exc} (the other rules still ran; please report it)"
            )
            continue
        for hit in hits:
            # A severity set in config applies to every finding of the rule; otherwise a
            # rule may raise its own default (a very long sentence is an error).
            chosen = severity or hit.severity or rule.severity
            findings.append(
                Finding(
                    doc.path,
                    hit.span,
                    rule.code,
                    rule.name,
                    chosen,
                    hit.message,
                    hit.suggestion,
                    doc.line_text(hit.span.line),
                    fix=hit.fix,
                )
            )
    enabled = {rule.code for rule, _ in rules}
    findings = _apply_suppressions(doc, findings, enabled if known_rules else set())
    findings.sort(key=Finding.sort_key)
    return findings


def _apply_suppressions(doc: Document, findings: list[Finding], enabled: set[str]) -> list[Finding]:
    return apply_suppressions(
        doc.path, doc.suppressions, doc.line_count, doc.line_text, findings, enabled
    )


def apply_suppressions(
    path: str,
    suppressions: list[Suppression],
    line_count: int,
    line_text: Callable[[int], str],
    findings: list[Finding],
    enabled: set[str],
) -> list[Finding]:
    """Drop findings that inline comments suppress; report comments naming unknown rules."""
    if not suppressions:
        return findings
    unknown_rule = find_rule("unknown-rule-in-suppression")
    extra: list[Finding] = []
    file_wide: set[str] = set()
    next_line: dict[int, set[str]] = {}
    ranges: list[tuple[int, int, set[str]]] = []  # (from line, to line, codes); "*" = all
    open_at: dict[str, int] = {}
    for s in suppressions:
        codes = _suppressed_codes(s, path, line_text, extra, unknown_rule, enabled)
        if s.action == "disable-file":
            file_wide |= codes
        elif s.action == "disable-next-line":
            next_line.setdefault(s.line + 1, set()).update(codes)
        elif s.action == "disable":
            for code in codes:
                open_at.setdefault(code, s.line)
        elif s.action == "enable":
            closing = set(open_at) if "*" in codes else codes
            for code in closing:
                if code in open_at:
                    ranges.append((open_at.pop(code), s.line, {code}))
    for code, start in open_at.items():
        ranges.append((start, line_count, {code}))

    def suppressed(f: Finding) -> bool:
        codes = {f.rule, "*"}
        if codes & file_wide or codes & next_line.get(f.span.line, set()):
            return True
        return any(a <= f.span.line <= b and codes & c for a, b, c in ranges)

    return [f for f in findings if not suppressed(f)] + extra


def _suppressed_codes(
    s: Suppression,
    path: str,
    line_text: Callable[[int], str],
    extra: list[Finding],
    unknown_rule: type[Rule] | None,
    enabled: set[str],
) -> set[str]:
    if not s.rules:
        return {"*"}
    codes = set()
    for name in s.rules:
        if name.lower() in ("all", "*"):
            codes.add("*")
            continue
        rule = find_rule(name)
        if rule is not None:
            codes.add(rule.code)
        elif unknown_rule is not None and unknown_rule.code in enabled:
            extra.append(
                Finding(
                    path,
                    Span(s.line, s.column, s.line, s.column + 4),
                    unknown_rule.code,
                    unknown_rule.name,
                    unknown_rule.severity,
                    f"Suppression names {name!r}, which is not a sop-lint rule; use a code or "
                    "name from 'sop-lint rules', or remove it.",
                    None,
                    line_text(s.line),
                )
            )
    return codes


def document_stats(doc: Document, context: RunContext | None = None) -> DocumentStats:
    """Words, sentences, steps and readability of a document's prose. Steps are the items
    the step rules read as procedure steps (the same decision, so the figures agree)."""
    prose = [b for b in doc.blocks if b.kind is not BlockKind.HEADING]
    return DocumentStats(
        language=doc.language_code,
        words=sum(b.word_count for b in prose),
        sentences=sum(len(b.sentences) for b in prose),
        steps=len(procedure_items(doc, True, context)),
        readability=measure(doc, prose),
    )


def check_file(
    path: Path,
    config: Config,
    with_stats: bool = False,
    data: bytes | None = None,
    cache: ResultCache | None = None,
) -> FileResult:
    """Read, parse and check one file (given ``data``: check those bytes as that file).
    Never raises for bad input: it becomes a finding.

    With a ``cache`` (and without ``with_stats``), a result stored for the same bytes,
    path and settings is returned instead of checking again, and a new result is stored
    when it depends on nothing outside the cache key (see :mod:`sop_lint.cache`).
    """
    shown = display_path(path)
    config = config.config_for(path)  # the closest sop-lint.toml applies (nested configs)
    file_config = config.for_file(path)
    if with_stats or (cache is not None and not cache.cacheable(file_config)):
        cache = None
    key = None
    try:
        if data is None:
            try:
                data = read_guarded(path, config.root, MAX_FILE_BYTES)
            except RefusedRead as exc:
                # Why a file cannot be read (a symlink, a pipe, its size) is not in its
                # bytes: never cached.
                cache = None
                raise UnreadableError(str(exc)) from None
        if cache is not None:
            key = cache.entry_key(shown, file_config, data, config)
            cached = cache.load(key, shown)
            if cached is not None:
                return cached
        source = decode_source(data)
    except UnreadableError as exc:
        rule = find_rule("unreadable-file")
        assert rule is not None
        if rule not in file_config.rule_classes:
            unread = FileResult(shown, [])
        else:
            span = Span(exc.line, exc.column, exc.line, exc.column + 1)
            unread = FileResult(
                shown, [Finding(shown, span, rule.code, rule.name, rule.severity, str(exc))]
            )
        if cache is not None and key is not None:
            cache.store(key, unread)  # binary or not UTF-8: a matter of its bytes
        return unread
    result = _check_source(source, shown, file_config, config, with_stats)
    if cache is not None and key is not None and not result.errors and not result.unavailable:
        cache.store(key, result)
    return result


def _check_source(
    source: str,
    shown: str,
    file_config: FileConfig,
    config: Config,
    with_stats: bool,
) -> FileResult:
    """Parse and check the text of one file (see :func:`check_file`)."""
    errors: list[str] = []
    unavailable: list[tuple[str, str]] = []
    try:
        doc = parse_document(source, shown, file_config.language)
        rules = config.rules_for(file_config)
        found = lint_document(doc, rules, errors=errors, unavailable=unavailable)
        findings = _with_branches(doc, rules, config, found)
        findings = inside_file(doc, findings)
    except ConfigError:
        raise
    except Exception as exc:  # a bug in sop-lint: report it, and go on with the other files
        if os.environ.get("SOP_LINT_DEBUG"):
            raise
        message = f"{shown}: internal error: {type(exc).__name__}: {exc} (please report it)"
        return FileResult(shown, [], errors=[message])
    project = frozenset(r.code for r in file_config.rule_classes if issubclass(r, ProjectRule))
    summary = None
    if project:
        context = config.context()
        summary = DocumentSummary.of(doc, context)
        summarise_translation(doc, summary, context)
        for cls in file_config.rule_classes:
            if issubclass(cls, ProjectRule):
                try:
                    cls.summarise(doc, summary, context)
                except Exception as exc:  # a bug in sop-lint: as in the per-file pass
                    if os.environ.get("SOP_LINT_DEBUG"):
                        raise
                    errors.append(
                        f"{shown}: internal error: {type(exc).__name__}: {exc} (please report it)"
                    )
    return FileResult(
        shown,
        findings,
        document_stats(doc, config.context()) if with_stats else None,
        summary,
        project,
        errors,
        unavailable,
    )


def check_text(
    text: str,
    lang: str | None = None,
    path: str = "<text>",
    config: Config | None = None,
) -> list[Finding]:
    """Check Markdown text in memory; the same findings the CLI reports for a file.

    ``lang`` is the default language (front matter ``lang`` still wins).
    """
    config = config or Config()
    file_config = config.for_file(Path(path))
    doc = parse_document(text, path, lang or file_config.language)
    rules = config.rules_for(file_config)
    return inside_file(doc, _with_branches(doc, rules, config, lint_document(doc, rules)))


def inside_file(doc: Document, findings: list[Finding]) -> list[Finding]:
    """``findings``, each with its position inside the file: the last guard before output.

    Rules compute their own positions; one that points past the end of the file or of a
    line would make editors, GitHub annotations and SARIF viewers show the wrong place or
    drop the finding. Such a position is a bug in sop-lint: with ``SOP_LINT_DEBUG`` set
    (as the tests run) it raises, so the rule gets fixed; otherwise it is moved to the
    nearest place inside the file: past the last line is the end of the last line (what a
    finding there is about), past the end of a line is the end of that line.
    """
    last = doc.last_line
    starts = doc._line_starts
    size = len(doc.source)

    def length(line: int) -> int:
        # From the line starts, not line_text: a copy of the line per finding would make
        # many findings on one long line quadratic.
        end = starts[line] - 1 if line < len(starts) else size
        return end - starts[line - 1]

    kept = []
    for finding in findings:
        span = finding.span
        inside = _clamped(span, last, length)
        if inside != span:
            if os.environ.get("SOP_LINT_DEBUG"):
                raise AssertionError(
                    f"{doc.path}: {finding.rule} finding at {span} lies outside the file "
                    f"({last} lines, line {span.line} is {doc.line_text(span.line)!r})"
                )
            finding = dataclasses.replace(
                finding, span=inside, source_line=doc.line_text(inside.line)
            )
        kept.append(finding)
    return kept


def _clamped(span: Span, last: int, length: Callable[[int], int]) -> Span:
    """The nearest span inside a file of ``last`` lines (columns 1 .. line length + 1)."""
    if span.line > last:  # past the end: the end of the file
        end = length(last) + 1
        return Span(last, end, last, end)
    line = max(span.line, 1)
    column = min(max(span.column, 1), length(line) + 1)
    end_line = min(max(span.end_line, line), last)
    end_column = min(max(span.end_column, 1), length(end_line) + 1)
    if end_line == line and end_column < column:
        end_column = column
    return Span(line, column, end_line, end_column)


def _with_branches(
    doc: Document, rules: list[tuple[Rule, Severity | None]], config: Config, found: list[Finding]
) -> list[Finding]:
    """With branch data configured, also lint the text as each branch reads it."""
    if "branches" not in config.sections:
        return found
    # Imported here: a run with a warm cache checks no file and needs none of it.
    from sop_lint.branching.lint import add_branch_findings

    return add_branch_findings(doc, rules, config.sections, config.root, found, lint_document)


# -- many files ----------------------------------------------------------------------------

_WORKER_CONFIG: Config | None = None
_WORKER_CACHE: ResultCache | None = None


def _init_worker(config: Config, cache: ResultCache | None = None) -> None:
    global _WORKER_CONFIG, _WORKER_CACHE
    _WORKER_CONFIG = config
    _WORKER_CACHE = cache


def _check_in_worker(args: tuple[Path, bool]) -> FileResult:
    assert _WORKER_CONFIG is not None
    return check_file(args[0], _WORKER_CONFIG, args[1], cache=_WORKER_CACHE)


def available_cores() -> int:
    """How many cores this process may run on (its CPU affinity, e.g. a CI container's
    share, rather than every core of the machine)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def check_paths(
    paths: Iterable[Path],
    config: Config,
    jobs: int | None = None,
    with_stats: bool = False,
    cache: ResultCache | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    keep: Callable[[Finding], bool] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Report:
    """Check every Markdown file under ``paths``; results in the order files were found.

    ``cache``: reuse stored results of unchanged files and store new ones (see
    :mod:`sop_lint.cache`); the output is the same with or without it.

    ``keep``: the one place to filter findings (changed lines, a baseline): each file's
    findings are filtered with it as soon as the file is checked, before ``on_result``
    sees them, and the cross-document findings likewise before they are added. A finding
    it rejects is gone from the report.

    ``on_start`` is called once with the number of files to check; ``on_result`` with each
    file's result, in path order, as soon as that file and every file before it are done
    (so output can be streamed). The cross-document rules run after the last file: their
    findings are added to ``report.files`` at the end, so ``on_result`` sees per-file
    findings only; ``Report.project_findings`` lists the others.
    """
    # Each folder's real path worked out once for the whole run (every read is guarded).
    with remembered_folders():
        return _check_paths(list(paths), config, jobs, with_stats, cache, on_result, keep, on_start)


def _check_paths(
    paths: list[Path],
    config: Config,
    jobs: int | None,
    with_stats: bool,
    cache: ResultCache | None,
    on_result: Callable[[FileResult], None] | None,
    keep: Callable[[Finding], bool] | None,
    on_start: Callable[[int], None] | None,
) -> Report:
    files, errors = discover(paths, config)
    if not files and not errors:
        from sop_lint.files import IgnoreFiles, nothing_to_check

        ignore = IgnoreFiles() if config.respect_gitignore else None
        errors.append(nothing_to_check(paths, config, ignore))
    report = Report(errors=errors, warnings=unmatched_overrides(paths, files, config))
    if on_start is not None:
        on_start(len(files))
    jobs = jobs if jobs is not None else config.jobs
    workers = jobs or available_cores()
    if workers > available_cores():
        report.warnings.append(
            f"{jobs} processes asked for (--jobs or the config's 'jobs'), but only "
            f"{available_cores()} cores are available; using {available_cores()}"
        )
        workers = available_cores()

    results: list[FileResult | None] = [None] * len(files)
    shown = 0  # results[:shown] have been passed on

    def done(index: int, result: FileResult) -> None:
        nonlocal shown
        if keep is not None:
            result.findings = [f for f in result.findings if keep(f)]
        # In the order the report shows them (the cross-document pass sorts the files it
        # adds to the same way), so streamed and whole output agree.
        result.findings.sort(key=Finding.sort_key)
        results[index] = result
        while shown < len(results) and results[shown] is not None:
            if on_result is not None:
                on_result(results[shown])  # type: ignore[arg-type]
            shown += 1

    todo = list(range(len(files)))
    if cache is not None and not with_stats:
        # Stored results first, in this process: a warm run then starts no workers and
        # loads no language data at all.
        todo = []
        for index, path in enumerate(files):
            hit = _cached(path, config, cache)
            if hit is None:
                todo.append(index)
            else:
                done(index, hit)
    workers = min(workers, max(1, len(todo)))  # never more processes than files
    if workers > 1 and len(todo) >= PARALLEL_MIN_FILES:
        # Load the language data the files need once, here: forked workers share it
        # instead of each loading taggers and dictionaries again.
        for code in languages_of([files[i] for i in todo], config):
            language = get_language(code)
            if language is not None:
                language.warm_up()
        chunk = max(1, min(len(todo) // (workers * 4), 16))  # small: results stream sooner
        with ProcessPoolExecutor(
            workers,
            initializer=_init_worker,
            initargs=(config, dataclasses.replace(cache, config=None) if cache else None),
        ) as pool:
            checked = pool.map(
                _check_in_worker, [(files[i], with_stats) for i in todo], chunksize=chunk
            )
            for index, result in zip(todo, checked, strict=True):
                done(index, result)
    else:
        for index in todo:
            done(index, check_file(files[index], config, with_stats, cache=cache))
    report.files = [r for r in results if r is not None]
    report.errors += [error for result in report.files for error in result.errors]
    report.warnings += unavailable_warnings(report)
    check_project(report, config, keep)
    return report


def _cached(path: Path, config: Config, cache: ResultCache) -> FileResult | None:
    """The stored result of ``path``, if there is one for its bytes and settings."""
    config = config.config_for(path)  # the closest sop-lint.toml applies, as in check_file
    file_config = config.for_file(path)
    if not cache.cacheable(file_config):
        return None
    try:
        data = read_guarded(path, config.root, MAX_FILE_BYTES)
    except RefusedRead:
        return None
    shown = display_path(path)
    return cache.load(cache.entry_key(shown, file_config, data, config), shown)


def unavailable_warnings(report: Report) -> list[str]:
    """One warning per reason a rule could not check files, naming the files: a server
    that is down, or a time budget used up, says so once, not once per file."""
    by_reason: dict[str, list[str]] = {}
    for result in report.files:
        for code, reason in result.unavailable:
            report.unavailable.add(code)
            by_reason.setdefault(reason, []).append(result.path)
    warnings = []
    for reason, paths in by_reason.items():
        if len(paths) == 1:
            warnings.append(f"{paths[0]}: {reason}")
        else:
            shown = ", ".join(paths[:3]) + (", ..." if len(paths) > 3 else "")
            warnings.append(f"{len(paths)} files ({shown}): {reason}")
    return warnings


def unmatched_overrides(targets: list[Path], files: list[Path], config: Config) -> list[str]:
    """Warnings for override globs that match none of ``files`` though they could have.

    A glob whose folder does not exist is a mistake whatever was checked. A glob for a
    folder that exists but lies outside the checked folders (``docs/sv/**`` while checking
    ``docs/en`` or one file) is simply not relevant to this run, and is not reported.
    """
    if not config.overrides:
        return []
    relatives = [config.relative(f) for f in files]
    # Only folders walked count: checking one file says nothing about the other files an
    # override is for.
    checked = [config.relative(t).rstrip("/") for t in targets if t.is_dir()]
    shown = display_path(config.source) if config.source else "the configuration"
    warnings = []
    for override in config.overrides:
        for glob in override.paths:
            if any(override_matches(relative, glob) for relative in relatives):
                continue
            folder = _literal_folder(glob)
            exists = (config.root / folder).exists() if folder else True
            overlaps = not folder or any(
                c in (".", "")
                or c == folder
                or c.startswith(folder + "/")
                or folder.startswith(c + "/")
                for c in checked
            )
            if exists and not overlaps:
                continue
            warnings.append(
                f"{shown}: override paths glob {glob!r} matches no checked file; "
                f"{_override_effect(override)} applies nowhere"
            )
    return warnings


def _literal_folder(glob: str) -> str:
    """The folders of ``glob`` before its first wildcard: ``docs/sv`` for ``docs/sv/**``."""
    parts = []
    for part in glob.strip("/").split("/"):
        if any(ch in part for ch in "*?["):
            break
        parts.append(part)
    else:
        parts = parts[:-1] if parts and "." in parts[-1] else parts  # a file name
    return "/".join(p for p in parts if p not in ("", "."))


def _override_effect(override: Override) -> str:
    """What an override sets, for the warning: its language if it sets one."""
    if override.language:
        return f'its `language = "{override.language}"`'
    return "its settings"


_LANG_LINE = re.compile(rb"^(?:lang|language)[ \t]*:[ \t]*[\"']?([A-Za-z_-]+)", re.M)


def languages_of(files: list[Path], config: Config) -> set[str]:
    """The languages of ``files``, from their front matter (read from the first KiB)."""
    found = {config.language, *(o.language for o in config.overrides if o.language)}
    for path in files:
        try:
            # Guarded like every read of an SOP: a FIFO here would block the run before
            # any file is checked, and /dev/zero would never end.
            head = read_guarded(path, config.root, MAX_FILE_BYTES)[:1024]
        except RefusedRead:
            continue
        match = _LANG_LINE.search(head)
        if match:
            found.add(normalise_code(match.group(1).decode("ascii", "replace")))
    return found


def check_project(
    report: Report, config: Config, keep: Callable[[Finding], bool] | None = None
) -> None:
    """Run the rules over the whole SOP set and add their findings to the files' results
    (and to ``report.project_findings``); ``keep`` filters them as in :func:`check_paths`."""
    results = [r for r in report.files if r.summary is not None]
    codes = set().union(*(r.project_rules for r in results)) if results else set()
    if not codes:
        return
    by_path = {r.path: r for r in results}
    context = config.context()
    partial = _left_out_neighbours(report, config)
    for code in sorted(codes):
        cls = find_rule(code)
        assert cls is not None and issubclass(cls, ProjectRule)
        settings = config.rules.get(code)
        rule = cls(settings.options if settings else None, context)
        rule.partial = partial
        severity = settings.severity if settings else None
        for summary, hit in rule.check_project([r.summary for r in results]):  # type: ignore[misc]
            result = by_path[summary.path]
            if code not in result.project_rules:
                continue  # this file has the rule turned off (override or select)
            finding = Finding(
                summary.path,
                hit.span,
                cls.code,
                cls.name,
                severity or hit.severity or cls.severity,
                hit.message,
                hit.suggestion,
                summary.lines.get(hit.span.line),
                hit.related,
            )
            kept = apply_suppressions(
                summary.path,
                summary.suppressions,
                summary.line_count,
                lambda n, lines=summary.lines: lines.get(n, ""),
                [finding],
                set(),  # unknown rules in comments were reported in the per-file pass
            )
            if keep is not None:
                kept = [f for f in kept if keep(f)]
            result.findings.extend(kept)
            result.findings.sort(key=Finding.sort_key)
            report.project_findings.extend(kept)
    report.project_findings.sort(key=Finding.sort_key)


def _left_out_neighbours(report: Report, config: Config) -> bool:
    """Whether a folder of the checked files holds Markdown files that were not checked
    (and are neither excluded nor git-ignored): then the run saw part of the SOP set. One
    listing per folder."""
    from sop_lint.files import IgnoreFiles

    ignore = IgnoreFiles() if config.respect_gitignore else None
    checked = {os.path.normcase(os.path.abspath(r.path)) for r in report.files}
    for folder in sorted({os.path.dirname(path) for path in checked}):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if not name.endswith(MARKDOWN_SUFFIXES):
                continue
            path = os.path.normcase(os.path.join(folder, name))
            if path in checked or config.config_for(Path(path)).is_excluded(Path(path)):
                continue
            if ignore is None or ignore.ignored_by(Path(path), Path(folder)) is None:
                return True
    return False
