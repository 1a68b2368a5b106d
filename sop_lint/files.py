"""Which files a run checks: folders walked, glob arguments, ``.gitignore``, stdin.

- A folder is walked for Markdown files; ``exclude`` globs (of the config closest to each
  folder) and ``.gitignore`` files leave files out. A file named on the command line is
  checked whatever its name, and whatever ``exclude`` or ``.gitignore`` say.
- A quoted glob argument (``'docs/**/*.md'``) is expanded here, gitignore's way: ``*``
  stays inside one folder, ``**`` crosses folders. It finds Markdown files only, and
  leaves out what a walk would leave out. A glob that finds nothing is an error.
- ``.gitignore``: inside a git work tree, every ``.gitignore`` from the work tree's top
  down to the file, and ``.git/info/exclude``, as git reads them; outside one, the
  ``.gitignore`` files of the checked folder and below. ``--no-ignore`` or
  ``respect-gitignore = false`` turns this off.
- Zero files to check is an error that says why (:func:`nothing_to_check`).
- ``-`` reads one SOP from stdin (:func:`read_stdin`, :func:`check_stdin`).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sop_lint.config import (
    MAX_GLOB_LENGTH,
    Config,
    ConfigError,
    _build_glob_matcher,
    _glob_matcher,
)
from sop_lint.safe_io import RefusedRead, read_guarded

if TYPE_CHECKING:
    from sop_lint.engine import Report

GLOB_CHARS = "*?["
MAX_IGNORE_BYTES = 1024 * 1024  # a .gitignore is a few KB; more is not a real one
STDIN = "-"
STDIN_NAME = "<stdin>"


def is_glob(argument: str) -> bool:
    """Whether a command-line argument is a glob for sop-lint to expand."""
    return any(ch in argument for ch in GLOB_CHARS)


@dataclass(slots=True)
class IgnoreList:
    """The lines of one ``.gitignore``, read as git reads them; the last line that
    matches decides (``!`` takes a path back in).

    Each line is matched by the config globs' automaton (:mod:`sop_lint.config`), which
    already matches the way ``.gitignore`` lines do, in time linear in the path. pathspec's
    regular expressions backtrack: one line of ten ``**/a`` parts took 6 s on one path
    30 folders deep. ``tests/test_input_paths.py`` checks the two agree on ordinary lines.
    """

    rules: list[tuple[bool, Callable[[str], bool]]]

    @classmethod
    def parse(cls, lines: list[str]) -> IgnoreList | None:
        """The patterns of ``lines`` (None: there are none). Comments and blank lines are
        skipped, trailing spaces dropped unless escaped; a line longer than a config glob
        may be (500 characters) is not read."""
        rules = []
        for line in lines:
            line = _TRAILING_SPACES.sub("", line)
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            if negated:
                line = line[1:]
            pattern = _unescaped(line)
            if not pattern.strip("/") or len(pattern) > MAX_GLOB_LENGTH:
                continue
            rules.append((negated, _build_glob_matcher(pattern)))
        return cls(rules) if rules else None

    def check(self, relative: str) -> bool | None:
        """True: ``relative`` is ignored; False: a ``!`` line takes it back; None: no line
        matches it."""
        for negated, match in reversed(self.rules):
            if match(relative):
                return not negated
        return None


_TRAILING_SPACES = re.compile(r"(?<!\\) +$")


def _unescaped(line: str) -> str:
    """``\\x`` as the character x: a wildcard written as a one-character set (``[*]``)."""
    if "\\" not in line:
        return line
    out = []
    i = 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line):
            char = line[i + 1]
            out.append(f"[{char}]" if char in "*?[" else char)
            i += 2
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


@dataclass
class IgnoreFiles:
    """The ``.gitignore`` files that apply under a folder, read once each."""

    _specs: dict[Path, IgnoreList | None] = field(default_factory=dict)
    _tops: dict[Path, Path | None] = field(default_factory=dict)
    _applying_cache: dict[tuple[Path, Path], list[tuple[Path, Path, IgnoreList]]] = field(
        default_factory=dict
    )
    _strings_cache: dict[tuple[str, str], list[tuple[Path, str, IgnoreList]]] = field(
        default_factory=dict
    )

    def _spec(self, ignore_file: Path, top: Path) -> IgnoreList | None:
        if ignore_file not in self._specs:
            spec = None
            try:
                exists = ignore_file.is_file()
            except OSError:
                exists = False
            if exists:
                try:
                    data = read_guarded(ignore_file, top, MAX_IGNORE_BYTES)
                except RefusedRead:
                    data = b""  # a .gitignore that leads outside the project: not read
                spec = IgnoreList.parse(data.decode("utf-8", "replace").splitlines())
            self._specs[ignore_file] = spec
        return self._specs[ignore_file]

    def _top(self, folder: Path, start: Path) -> Path:
        """Where ignore files start to count: the git work tree's top, else ``start``."""
        return self._git_top(folder) or start

    def _git_top(self, folder: Path) -> Path | None:
        # Each folder is looked at once: one without .git has its parent's answer.
        if folder not in self._tops:
            if (folder / ".git").exists():
                self._tops[folder] = folder
            else:
                parent = folder.parent
                self._tops[folder] = None if parent == folder else self._git_top(parent)
        return self._tops[folder]

    def _applying(self, folder: Path, start: Path) -> list[tuple[Path, Path, IgnoreList]]:
        """(ignore file, the folder its lines are relative to, its patterns) for the files
        in ``folder``, from the top down: read and listed once per folder, each folder's
        list made from its parent's (a walk of many folders looks at one file per folder)."""
        key = (folder, start)
        if key not in self._applying_cache:
            top = self._top(folder, start)
            found: list[tuple[Path, Path, IgnoreList]] = []
            if folder == top:
                candidates = [(top / ".git" / "info" / "exclude", top), (top / ".gitignore", top)]
            elif top in folder.parents:
                # Not the top, and no .git here: the parent has the same top.
                found = list(self._applying(folder.parent, start))
                candidates = [(folder / ".gitignore", folder)]
            else:
                candidates = []  # outside the folder the ignore files count from
            for ignore_file, base in candidates:
                spec = self._spec(ignore_file, top)
                if spec is not None:
                    found.append((ignore_file, base, spec))
            self._applying_cache[key] = found
        return self._applying_cache[key]

    def ignored_by(self, path: Path, start: Path, folder: bool = False) -> Path | None:
        """The ignore file that leaves ``path`` out (None: it is not ignored).

        ``start`` is the folder the walk began in, used outside a git work tree. Later,
        deeper files win, and ``!name`` takes a file back in, as in git.
        """
        absolute = os.path.abspath(path)
        parent, name = os.path.split(absolute)
        suffix = "/" if folder else ""
        decided: Path | None = None
        # String work per file; the ignore files that apply are looked up once per folder.
        for ignore_file, base, spec in self._applying_to(parent, os.path.abspath(start)):
            relative = f"{base}/{name}" if base else name
            verdict = spec.check(relative + suffix)
            if verdict is True:
                decided = ignore_file
            elif verdict is False:
                decided = None
        return decided

    def _applying_to(self, parent: str, start: str) -> list[tuple[Path, str, IgnoreList]]:
        """:meth:`_applying` for the folder ``parent``, each with the folder part of a
        path in ``parent`` relative to the ignore file's folder (``""``: the same)."""
        key = (parent, start)
        found = self._strings_cache.get(key)
        if found is None:
            folder = Path(parent)
            found = []
            for ignore_file, base, spec in self._applying(folder, Path(start)):
                inside = folder.relative_to(base).as_posix()
                found.append((ignore_file, "" if inside == "." else inside, spec))
            self._strings_cache[key] = found
        return found


def walk(folder: Path, config: Config, ignore: IgnoreFiles | None) -> list[Path]:
    """The Markdown files under ``folder`` that a run checks, sorted."""
    return sorted(path for path, why in walk_all(folder, config, ignore) if why is None)


SKIPPED_FOLDER = "skipped-folder"


def walk_all(
    folder: Path, config: Config, ignore: IgnoreFiles | None, prune: bool = True
) -> list[tuple[Path, str | None]]:
    """Every Markdown file under ``folder`` with why it is left out (None: checked):
    ``exclude = [...] in FILE``, ``.gitignore FILE``, or a hidden or tool folder.

    With ``prune``, a folder left out is not entered (its files are not listed at all):
    a run does not read what it does not check. Without, everything is listed, to say
    why a run found nothing.
    """
    from sop_lint.engine import MARKDOWN_SUFFIXES, SKIP_DIRS

    found: list[tuple[Path, str | None]] = []
    reasons: dict[str, str | None] = {os.path.abspath(folder): None}
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        base = Path(root)
        inherited = reasons.get(os.path.abspath(root))
        for name in dirs:
            sub = base / name
            why = inherited
            if why is None and (name in SKIP_DIRS or name.startswith(".")):
                why = SKIPPED_FOLDER
            if why is None:
                why = _left_out(sub, config.config_for(base), ignore, folder, is_folder=True)
            reasons[os.path.abspath(sub)] = why
        if prune:
            dirs[:] = [d for d in dirs if reasons[os.path.abspath(base / d)] is None]
        else:
            dirs[:] = [d for d in dirs if d != ".git"]
        here = config.config_for(base) if inherited is None else None
        for name in sorted(names):
            if not name.endswith(MARKDOWN_SUFFIXES):
                continue
            path = base / name
            # In a folder left out, every file is left out for the folder's reason.
            why = inherited if here is None else _left_out(path, here, ignore, folder)
            found.append((path, why))
    return found


def _left_out(
    path: Path, config: Config, ignore: IgnoreFiles | None, start: Path, is_folder: bool = False
) -> str | None:
    glob = config.excluded_by(path, folder=is_folder)
    if glob is not None:
        where = _shown(config.source) if config.source else "the config"
        return f'exclude = ["{glob}"] in {where}'
    if ignore is not None:
        ignore_file = ignore.ignored_by(path, start, folder=is_folder)
        if ignore_file is not None:
            return _shown(ignore_file)
    return None


def expand_glob(pattern: str, config: Config, ignore: IgnoreFiles | None) -> list[Path]:
    """The Markdown files a glob argument matches, sorted, leaving out what a walk of
    its folder would leave out. Raises :class:`ConfigError` naming the glob when none."""
    parts = pattern.split("/")
    literal = []
    for part in parts[:-1]:
        if is_glob(part):
            break
        literal.append(part)
    folder = Path("/".join(literal) or ".") if literal != [""] else Path("/")
    rest = "/".join(parts[len(literal) :])
    matcher = _glob_matcher("/" + rest)  # anchored at the folder, as the shell does
    try:
        exists = folder.is_dir()
    except OSError:
        exists = False

    def matching(prune: bool) -> list[tuple[Path, str | None]]:
        listed = walk_all(folder, config, ignore, prune) if exists else []
        return [(p, why) for p, why in listed if matcher(p.relative_to(folder).as_posix())]

    kept = [p for p, why in matching(prune=True) if why is None]
    if kept:
        return sorted(kept)
    # Nothing to check: only now list the folders left out too, to say why.
    left_out = matching(prune=False)
    if not left_out:
        raise ConfigError(
            f"{pattern}: no Markdown file matches this glob; check the pattern ('*' stays "
            "inside one folder, '**' crosses folders)"
        )
    reasons = [why for _, why in left_out]
    raise ConfigError(f"{pattern}: matches {_left_out_summary(reasons)}; {_hint(reasons)}")


def _left_out_summary(reasons: list[str | None]) -> str:
    """ "3 .md files, all excluded by exclude = [...] in FILE" and the like."""
    counts: dict[str, int] = {}
    for why in reasons:
        if why is not None:
            counts[why] = counts.get(why, 0) + 1
    total = len(reasons)
    plural = "s" if total != 1 else ""

    def one(why: str, n: int) -> str:
        if why == SKIPPED_FOLDER:
            return f"{n} in hidden or tool folders (.git, node_modules, site...)"
        if why.startswith("exclude"):
            return f"{n} excluded by {why}"
        return f"{n} ignored by {why}"

    if len(counts) == 1:
        [(why, _)] = counts.items()
        text = one(why, total).split(" ", 1)[1]
        every = "all " if total > 1 else ""
        return f"{total} .md file{plural}, {every}{text}"
    listed = "; ".join(one(why, n) for why, n in sorted(counts.items(), key=lambda x: -x[1]))
    return f"{total} .md file{plural}: {listed}"


def _hint(reasons: list[str | None]) -> str:
    """What to do about files left out for these reasons."""
    hints = ["name a file to check it anyway"]
    if any(why and why.startswith("exclude") for why in reasons):
        hints.append("change the exclude globs")
    if any(why and why != SKIPPED_FOLDER and not why.startswith("exclude") for why in reasons):
        hints.append("pass --no-ignore to check git-ignored files")
    return ", or ".join(hints)


def nothing_to_check(targets: list[Path], config: Config, ignore: IgnoreFiles | None) -> str:
    """Why a run found no file to check, for the error: what each folder holds and what
    left its files out, and what to do."""
    why_each = []
    all_reasons: list[str | None] = []
    for target in targets:
        shown = _shown(target).rstrip("/") + "/"
        try:
            is_dir = target.is_dir()
        except OSError:
            is_dir = False
        if not is_dir:
            continue
        listed = walk_all(target, config, ignore, prune=False)
        if not listed:
            empty = not any(True for _ in os.scandir(target))
            why_each.append(f"{shown} is empty" if empty else f"{shown} holds no .md files")
            continue
        reasons = [why for _, why in listed]
        all_reasons += reasons
        why_each.append(f"{shown} holds {_left_out_summary(reasons)}")
    hint = _hint(all_reasons) if all_reasons else "pass the folder that holds the SOPs"
    return (
        "no Markdown files to check: " + "; ".join(why_each or ["nothing was found"]) + "; " + hint
    )


def _shown(path: Path) -> str:
    from sop_lint.engine import display_path

    return display_path(path)


# -- stdin ---------------------------------------------------------------------------------


@dataclass(slots=True)
class StdinInput:
    """An SOP read from stdin, checked as if it were the file at ``path``."""

    path: Path
    data: bytes


def read_stdin(
    paths: tuple[str, ...], stdin_filename: str | None, stream: BinaryIO | None = None
) -> StdinInput | None:
    """The stdin SOP when ``paths`` is ``-`` (None otherwise), read up to the size limit.

    Raises :class:`ConfigError` for a wrong combination of arguments or too much input
    (``cat /dev/zero | sop-lint check -`` stops at the limit).
    """
    from sop_lint.engine import MAX_FILE_BYTES

    if STDIN not in paths:
        if stdin_filename is not None:
            raise ConfigError(
                "--stdin-filename names the text read from stdin: pass - as the path too, "
                "e.g. sop-lint check - --stdin-filename docs/sv/retur.md < retur.md"
            )
        return None
    if len(paths) > 1:
        raise ConfigError(
            "- (read the SOP from stdin) must be the only path; check the files in another run"
        )
    stream = stream or sys.stdin.buffer
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(
            f"stdin: the text is over {MAX_FILE_BYTES // 1024} KB, the limit for one SOP; "
            "check what is piped in (an SOP is a few KB)"
        )
    return StdinInput(Path(stdin_filename) if stdin_filename else Path(STDIN_NAME), data)


def check_stdin(stdin: StdinInput, config: Config, with_stats: bool = False) -> Report:
    """Check the stdin SOP as the file it names: its config, overrides and language are
    that path's, and findings name it. Rules across the SOP set see this document only."""
    from sop_lint.engine import Report, check_file, check_project, unavailable_warnings

    report = Report()
    report.files = [check_file(stdin.path, config, with_stats, data=stdin.data)]
    report.errors += [error for result in report.files for error in result.errors]
    report.warnings += unavailable_warnings(report)
    check_project(report, config)
    return report
