"""Defaults + the user's config file -> one resolved :class:`Config`.

Config lives in ``[tool.sop-lint]`` of ``pyproject.toml`` or at the top level of
``sop-lint.toml``, found by walking up from the checked path (``sop-lint.toml`` wins in the
same folder). A config in a sub-folder applies to the files under it, whole (ruff's
model); ``extend`` inherits from another config file (:func:`config_from_file`,
:meth:`Config.config_for`). Every key is validated; a mistake is a :class:`ConfigError`
that names the file, the key and what was expected.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import fnmatch
import functools
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sop_lint.languages import get_language, normalise_code
from sop_lint.model import Severity
from sop_lint.rules.base import Rule, RunContext, all_rules, find_rule, match_rules
from sop_lint.safe_io import RefusedRead, read_guarded_text

CONFIG_FILES = ("sop-lint.toml", "pyproject.toml")
# Tables owned by subsystems (the SOP template, branch data, the site, grammar checking),
# and the glossary file the terminology rule reads. They are kept as written here and
# validated by the module that uses them.
SUBSYSTEM_KEYS = ("template", "branches", "site", "grammar", "glossary")
FAIL_ON = ("error", "warning", "info", "never")


class ConfigError(Exception):
    """The configuration is invalid; the message says where and what was expected."""


@dataclass(slots=True)
class RuleSettings:
    """What the config says about one rule: severity, options, enabled."""

    severity: Severity | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Override:
    """Settings that apply to files matching ``paths`` (globs relative to the config)."""

    paths: list[str]
    language: str | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules: dict[str, RuleSettings] = field(default_factory=dict)
    # The folder ``paths`` are relative to when it is not the config's own: an override
    # inherited through ``extend`` keeps the folder of the file it is written in.
    base: Path | None = None

    def matches(self, relative: str) -> bool:
        return any(_glob_match(relative, pattern) for pattern in self.paths)


def override_matches(relative: str, pattern: str) -> bool:
    """Whether a path relative to the config root matches one ``overrides`` glob."""
    return _glob_match(relative, pattern)


def _glob_match(relative: str, pattern: str) -> bool:
    return _glob_matcher(pattern)(relative)


MAX_GLOB_LENGTH = 500  # a path glob is a few dozen characters; longer is a mistake


@functools.lru_cache(maxsize=256)
def _glob_matcher(pattern: str) -> Callable[[str], bool]:
    """:func:`_build_glob_matcher`, remembered for the globs of the config."""
    return _build_glob_matcher(pattern)


def _build_glob_matcher(pattern: str) -> Callable[[str], bool]:
    """A matcher for one config glob, gitignore's way, in time linear in the path's length.

    - ``*`` and ``?`` stay inside one folder name: ``docs/*.md`` matches ``docs/a.md``,
      not ``docs/en/a.md`` (before issue 11 it matched both, as fnmatch does);
    - ``**`` as a whole part crosses folders, and ``**/`` also matches no folder at all
      (``docs/**/*.md`` matches ``docs/a.md`` and ``docs/en/a.md``);
    - a glob with no ``/`` (``*.draft.md``) matches the name in any folder;
    - a glob that matches a folder matches everything under it (``docs/legacy``,
      ``docs/*/drafts/``); a trailing ``/`` matches folders only.

    Trying every way the ``**/`` parts can split a path is exponential (20 of them, a
    million tries), so every glob runs on a small automaton instead: one pass over the path.
    """
    folders_only = pattern.endswith("/")
    body = pattern.strip("/") if pattern.startswith("/") else pattern.rstrip("/")
    if "/" not in body and not pattern.startswith("/"):
        body = "**/" + body  # gitignore: a bare name matches at any depth
    automaton = _GlobAutomaton(body, folders_only).match
    # Every literal run of the glob (between wildcards and slashes) is matched character
    # for character, so a path without one of them cannot match: a substring test (in C)
    # turns most paths away before the automaton walks them character by character.
    # Runs touching a character class are left to the automaton.
    needed = [run for run in re.split(r"[*?/]", body) if run and "[" not in run and "]" not in run]
    if not needed:
        return automaton

    def match(relative: str) -> bool:
        for run in needed:
            if run not in relative:
                return False
        return automaton(relative)

    return match


_STAR, _DSTAR, _ANY, _SKIP = "*", "**", "?", "**/"  # token kinds; a literal is ("=", char)


class _GlobAutomaton:
    """A glob as a list of tokens, matched by following every position at once (a
    Thompson NFA, with the sets of positions it reaches cached as DFA states)."""

    MAX_STATES = 4096  # the cache of position sets; cleared when full, never unbounded

    def __init__(self, pattern: str, folders_only: bool = False) -> None:
        tokens: list[tuple[str, Any]] = []
        i = 0
        while i < len(pattern):
            whole_part = i == 0 or pattern[i - 1] == "/"
            if whole_part and pattern.startswith("**/", i):
                # "**/" is "**" then "/", which may also be left out: SKIP jumps over its
                # 2 tokens. Repeated "**/**/" means the same as one: collapsed.
                if tokens[-3:] != [(_SKIP, None), (_DSTAR, None), ("=", "/")]:
                    tokens += [(_SKIP, None), (_DSTAR, None), ("=", "/")]
                i += 3
            elif whole_part and pattern[i:] == "**":
                tokens.append((_DSTAR, None))  # "docs/**": everything under docs
                i += 2
            elif pattern[i] == "*":
                if not tokens or tokens[-1] != (_STAR, None):
                    tokens.append((_STAR, None))  # "a**b" is "a*b", as in gitignore
                i += 1
            elif pattern[i] == "?":
                tokens.append((_ANY, None))
                i += 1
            elif pattern[i] == "[" and (end := _class_end(pattern, i)) is not None:
                regex = re.compile(fnmatch.translate(pattern[i:end]), re.DOTALL)
                tokens.append(("[", regex))
                i = end
            else:
                tokens.append(("=", pattern[i]))
                i += 1
        self.tokens = tokens
        self.folders_only = folders_only
        self.start = self._closure({0})
        self.steps: dict[tuple[frozenset[int], str], frozenset[int]] = {}

    def _closure(self, positions: set[int]) -> frozenset[int]:
        todo = list(positions)
        seen = set(positions)
        while todo:
            i = todo.pop()
            if i >= len(self.tokens):
                continue
            kind = self.tokens[i][0]
            if kind in (_STAR, _DSTAR):
                nexts: tuple[int, ...] = (i + 1,)
            else:
                nexts = (i + 1, i + 3) if kind == _SKIP else ()
            for n in nexts:
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return frozenset(seen)

    def _step(self, state: frozenset[int], char: str) -> frozenset[int]:
        reached: set[int] = set()
        for i in state:
            if i >= len(self.tokens):
                continue
            kind, value = self.tokens[i]
            if kind == _DSTAR or (kind == _STAR and char != "/"):
                reached.add(i)
            elif (
                (kind == _ANY and char != "/")
                or (kind == "=" and value == char)
                or (kind == "[" and char != "/" and value.match(char))
            ):
                reached.add(i + 1)
        return self._closure(reached)

    def match(self, relative: str) -> bool:
        end = len(self.tokens)
        state = self.start
        for char in relative:
            if char == "/" and end in state:
                return True  # the glob matches a folder of the path: all under it matches
            key = (state, char)
            following = self.steps.get(key)
            if following is None:
                if len(self.steps) >= self.MAX_STATES:
                    self.steps.clear()
                following = self.steps[key] = self._step(state, char)
            if not following:
                return False
            state = following
        return end in state and not self.folders_only


def _class_end(pattern: str, start: int) -> int | None:
    """The index after the ``]`` closing the ``[`` at ``start`` (fnmatch's rules)."""
    j = start + 1
    if j < len(pattern) and pattern[j] == "!":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    end = pattern.find("]", j)
    return None if end == -1 else end + 1


@dataclass(slots=True)
class Config:
    """The resolved configuration for one run."""

    source: Path | None = None  # the file it came from, if any
    root: Path = field(default_factory=Path.cwd)  # globs and docs are relative to this
    docs: list[str] = field(default_factory=lambda: ["docs"])
    exclude: list[str] = field(default_factory=list)
    language: str = "en"
    select: list[str] | None = None  # None: every rule that is on by default
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "error"
    jobs: int = 0  # 0: one per core
    baseline: str | None = None  # part B: known findings file, relative to ``root``
    rules: dict[str, RuleSettings] = field(default_factory=dict)  # keyed by rule code
    overrides: list[Override] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)  # SUBSYSTEM_KEYS, as written
    today: datetime.date | None = None  # None: the real date (``--today`` sets it)
    explicit: bool = False  # named with --config: then it applies to every file
    respect_gitignore: bool = True  # .gitignore files leave files out of folder walks
    # The result cache: ``cache = false`` turns it off; ``cache-dir`` is where it lives,
    # relative to ``root`` (None: .sop-lint-cache there). --no-cache/--cache-dir win.
    cache: bool = True
    cache_dir: str | None = None
    # The folder each ``exclude`` glob is relative to, where it is not ``root`` (a glob
    # inherited through ``extend`` stays relative to the file it is written in).
    exclude_bases: list[Path | None] = field(default_factory=list, repr=False)
    # Settings as the file wrote them, so the command line's changes (--lang, --select,
    # --ignore...) can be carried over to the nested configs of sub-folders.
    _as_written: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    _nested: dict[str, Config] = field(default_factory=dict, repr=False, compare=False)
    # Rule instances per set of file settings: rules keep no state between documents, and
    # building them (loading templates, compiling phrase lists) is worth doing once.
    _rule_instances: dict[int, tuple[FileConfig, list[tuple[Rule, Severity | None]]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def rules_for(self, file_config: FileConfig) -> list[tuple[Rule, Severity | None]]:
        """The configured rule instances for files with these settings (built once)."""
        key = id(file_config)
        if key not in self._rule_instances:
            # The FileConfig is kept with its rules, so its id cannot be reused meanwhile.
            self._rule_instances[key] = (file_config, file_config.instantiate(self.context()))
        return self._rule_instances[key][1]

    def context(self) -> RunContext:
        """What rules may know about the run as a whole."""
        return RunContext(
            today=self.today or datetime.date.today(), root=self.root, sections=self.sections
        )

    def relative(self, path: Path, base: Path | None = None) -> str:
        """``path`` relative to the config root (or ``base``), with ``/`` separators.

        Folders are resolved (symlinks followed) once each and remembered: walking a
        folder of thousands of files asks about each file, and resolving every file's
        path again is most of a walk's time.
        """
        # String work on folders resolved once each: no Path objects per call (this runs
        # several times per file: finding it, its overrides, the exclude check).
        folder = _real(os.path.dirname(os.path.abspath(path)))
        name = path.name
        real = os.path.join(folder, name) if name else folder
        start = _real(os.path.abspath(base if base is not None else self.root))
        if real == start:
            return "."
        prefix = start if start.endswith(os.sep) else start + os.sep
        if not real.startswith(prefix):
            return path.as_posix()
        inside = real[len(prefix) :]
        return inside if os.sep == "/" else inside.replace(os.sep, "/")

    def is_excluded(self, path: Path, folder: bool = False) -> bool:
        """Whether an ``exclude`` glob matches ``path`` (a folder: anything under it)."""
        return self.excluded_by(path, folder) is not None

    def excluded_by(self, path: Path, folder: bool = False) -> str | None:
        """The first ``exclude`` glob that matches ``path``, or None."""
        bases = self.exclude_bases + [None] * (len(self.exclude) - len(self.exclude_bases))
        for pattern, base in zip(self.exclude, bases, strict=False):
            relative = self.relative(path, base) + ("/" if folder else "")
            if _glob_match(relative, pattern):
                return pattern
        return None

    def for_file(self, path: Path) -> FileConfig:
        """The settings that apply to one file, overrides included."""
        relative = self.relative(path)
        matched = tuple(
            i
            for i, o in enumerate(self.overrides)
            if o.matches(relative if o.base is None else self.relative(path, o.base))
        )
        return self._file_config(matched)

    def config_for(self, path: Path) -> Config:
        """The config that applies to ``path``: the closest ``sop-lint.toml`` (or
        ``pyproject.toml`` with ``[tool.sop-lint]``) above it, whole, as ruff does; this
        one when that is this one's file, none is found, or this one was named with
        --config. What the command line changed applies to every config."""
        if self.explicit:
            return self
        folder = os.path.abspath(path if _is_folder(path) else os.path.dirname(path) or ".")
        return self._closest(folder)

    def _closest(self, folder: str) -> Config:
        # Each folder is looked at once: a folder without a config has its parent's.
        nested = self._nested.get(folder)
        if nested is None:
            found = _config_in(Path(folder))
            if found is None:
                parent = os.path.dirname(folder)
                nested = self if parent == folder else self._closest(parent)
            elif self.source and _same_file(found[0], self.source):
                nested = self
            else:
                nested = config_from_file(*found)
                self._carry_run_settings(nested)
            self._nested[folder] = nested
        return nested

    def _carry_run_settings(self, nested: Config) -> None:
        """Give ``nested`` what the command line changed on this config (--lang,
        --select, --extend-select, --ignore, --today, a grammar check turned off)."""
        nested.today = self.today
        # A run without a config file starts from the defaults.
        language, select, extend_select, ignore = self._as_written or ("en", None, [], [])
        if self.language != language:
            nested.language = self.language
        if self.select != select:
            nested.select, nested.extend_select = self.select, list(self.extend_select)
        else:
            nested.extend_select = nested.extend_select + self.extend_select[len(extend_select) :]
        nested.ignore = nested.ignore + self.ignore[len(ignore) :]

    @functools.lru_cache(maxsize=64)  # noqa: B019 - a Config lives for one run
    def _file_config(self, matched: tuple[int, ...]) -> FileConfig:
        language = self.language
        select = self.select
        extend = list(self.extend_select)
        ignore = list(self.ignore)
        settings: dict[str, RuleSettings] = {
            code: RuleSettings(s.severity, dict(s.options)) for code, s in self.rules.items()
        }
        for index in matched:
            override = self.overrides[index]
            language = override.language or language
            if override.select is not None:
                select, extend = override.select, []
            extend += override.extend_select
            ignore += override.ignore
            for code, extra in override.rules.items():
                merged = settings.setdefault(code, RuleSettings())
                merged.severity = extra.severity or merged.severity
                merged.options.update(extra.options)
        return FileConfig(language, enabled_rules(select, extend, ignore), settings)

    def __hash__(self) -> int:
        return id(self)

    def to_dict(self) -> dict[str, Any]:
        """The resolved configuration, as ``sop-lint config`` prints it."""

        def rules_dict(rules: dict[str, RuleSettings]) -> dict[str, Any]:
            out = {}
            for code, s in sorted(rules.items()):
                rule = find_rule(code)
                entry: dict[str, Any] = dict(s.options)
                if s.severity is not None:
                    entry["severity"] = str(s.severity)
                out[rule.name if rule else code] = entry
            return out

        enabled = enabled_rules(self.select, self.extend_select, self.ignore)
        return {
            "config-file": str(self.source) if self.source else None,
            "docs": self.docs,
            "exclude": self.exclude,
            "language": self.language,
            "fail-on": self.fail_on,
            "jobs": self.jobs,
            "baseline": self.baseline,
            "respect-gitignore": self.respect_gitignore,
            "cache": self.cache,
            "cache-dir": self.cache_dir,
            "enabled-rules": [f"{r.code} {r.name}" for r in enabled],
            "rules": {
                r.name: {
                    "severity": str(self.rules[r.code].severity or r.severity)
                    if r.code in self.rules
                    else str(r.severity),
                    **r.options,
                    **(self.rules[r.code].options if r.code in self.rules else {}),
                }
                for r in all_rules()
                if r.options or r.code in self.rules
            },
            **self.sections,
            "overrides": [
                {
                    "paths": o.paths,
                    **({"language": o.language} if o.language else {}),
                    **({"select": o.select} if o.select is not None else {}),
                    **({"extend-select": o.extend_select} if o.extend_select else {}),
                    **({"ignore": o.ignore} if o.ignore else {}),
                    **({"rules": rules_dict(o.rules)} if o.rules else {}),
                }
                for o in self.overrides
            ],
        }


@dataclass(slots=True, frozen=True)
class FileConfig:
    """What applies to one file: its default language and its configured rule instances."""

    language: str
    rule_classes: tuple[type[Rule], ...]
    settings: dict[str, RuleSettings]

    def instantiate(self, context: RunContext | None = None) -> list[tuple[Rule, Severity | None]]:
        """Rule instances with their options, each with the severity config sets (or None)."""
        out = []
        for cls in self.rule_classes:
            s = self.settings.get(cls.code)
            out.append((cls(s.options if s else None, context), s.severity if s else None))
        return out


def enabled_rules(
    select: list[str] | None, extend_select: list[str], ignore: list[str]
) -> tuple[type[Rule], ...]:
    """The rules a select/extend-select/ignore combination turns on, by code."""
    if select is None:
        chosen = {r.code: r for r in all_rules() if r.enabled_by_default}
    else:
        chosen = {r.code: r for s in select for r in match_rules(s)}
    for s in extend_select:
        chosen.update({r.code: r for r in match_rules(s)})
    for s in ignore:
        for r in match_rules(s):
            chosen.pop(r.code, None)
    return tuple(sorted(chosen.values(), key=lambda r: r.code))


# -- loading ------------------------------------------------------------------------------


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """Walk up from ``start`` to the first folder with sop-lint configuration."""
    here = start.resolve()
    try:
        if here.is_file() or not here.exists():
            here = here.parent
    except OSError:  # a name too long to look up: the search starts at its folder
        here = here.parent
    for folder in (here, *here.parents):
        found = _config_in(folder)
        if found is not None:
            return found
    return None


def _config_in(folder: Path) -> tuple[Path, dict[str, Any]] | None:
    """The sop-lint configuration in ``folder`` itself, if it has one."""
    for name in CONFIG_FILES:
        candidate = folder / name
        # A pipe or device named like a config is reported (by the guarded read),
        # neither waited on nor skipped in silence.
        if not candidate.exists() or candidate.is_dir():
            continue
        data = _read_toml(candidate)
        if name == "pyproject.toml":
            section = data.get("tool", {}).get("sop-lint")
            if section is None:
                continue
            return candidate, section
        return candidate, data
    return None


MAX_CONFIG_BYTES = 1024 * 1024  # a config file is a few KB; a bigger one is a mistake


def _read_toml(path: Path, root: Path | None = None) -> dict[str, Any]:
    """The TOML data of a config file, read through the guarded reader.

    The config belongs to the project, so a symlink to a shared config is followed, but
    only to a regular file of sane size (never a device or a pipe); with ``root`` (a file
    named by ``extend``), a symlink only to a file inside ``root``. Data nested so deep
    that the parser runs out of stack is a config error, not an internal error.
    """
    real_folder = root if root is not None else Path(os.path.realpath(path)).parent
    try:
        text = read_guarded_text(path, real_folder, MAX_CONFIG_BYTES)
    except RefusedRead as exc:
        raise ConfigError(f"{_shown(path)}: cannot read the config file: {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_shown(path)}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(
            f"{_shown(path)}: arrays or tables are nested too deeply to read; "
            "sop-lint settings need at most a few levels, so remove the extra brackets"
        ) from None


def load_config(start: Path | None = None, explicit: Path | None = None) -> Config:
    """Find (or read ``explicit``) and validate the configuration."""
    if explicit is not None:
        if not explicit.exists():  # a pipe or device exists: the guarded read says what it is
            raise ConfigError(f"{explicit}: config file not found")
        data = _read_toml(explicit)
        if explicit.name == "pyproject.toml":
            data = data.get("tool", {}).get("sop-lint", {})
        config = config_from_file(explicit, data)
        config.explicit = True
        return config
    found = find_config_file(start or Path.cwd())
    if found is None:
        return Config()
    return config_from_file(*found)


def config_from_file(source: Path, data: dict[str, Any], chain: tuple[Path, ...] = ()) -> Config:
    """The config a file's data makes, with what it ``extend``s inherited.

    ``extend`` names another config file, relative to this one; it must stay inside the
    project (the git work tree, else the current folder). Every key this file sets
    replaces the inherited one, except ``rules`` (merged rule by rule) and ``overrides``
    (the inherited ones first, then this file's). Paths and globs keep meaning what they
    meant in the file they are written in.
    """
    if "extend" not in data:
        return parse_config(data, source)
    where = f"{_shown(source)}: "
    value = data["extend"]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(
            f"{where}key 'extend': expected the path of another config file, e.g. "
            f'extend = "../sop-lint.toml", got {value!r}'
        )
    target = Path(os.path.abspath(source.parent / Path(value).expanduser()))
    if any(_same_file(target, seen) for seen in (*chain, source)):
        loop = " -> ".join(_shown(p) for p in (*chain, source, target))
        raise ConfigError(
            f"{where}extend = {value!r} makes a loop ({loop}); remove 'extend' from one of them"
        )
    project = _project_root(source)
    if not _inside_folder(target, project):
        raise ConfigError(
            f"{where}extend = {value!r} points outside the project ({project}); "
            "copy the shared config into the project and extend the copy"
        )
    if not target.exists():
        raise ConfigError(f"{where}extend = {value!r}: config file {_shown(target)} not found")
    base_data = _read_toml(target, project)
    if target.name == "pyproject.toml":
        if "sop-lint" not in base_data.get("tool", {}):
            raise ConfigError(
                f"{where}extend = {value!r}: {_shown(target)} has no [tool.sop-lint] table"
            )
        base_data = base_data["tool"]["sop-lint"]
    base = config_from_file(target, base_data, (*chain, source))
    return parse_config({k: v for k, v in data.items() if k != "extend"}, source, base)


def _project_root(path: Path) -> Path:
    """The project a config file belongs to: its git work tree, else the current folder
    (when the file is inside it), else the file's own folder."""
    folder = Path(os.path.abspath(path)).parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    cwd = Path(os.path.abspath(Path.cwd()))
    return cwd if _inside_folder(folder, cwd) else folder


def _inside_folder(path: Path, folder: Path) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
    except ValueError:
        return False
    return True


def _same_file(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


@functools.lru_cache(maxsize=4096)
def _real(folder: str) -> str:
    return os.path.realpath(folder)


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _rebased(value: Any, base: Path, root: Path) -> Any:
    """A path written relative to ``base`` (a config's folder), relative to ``root``."""
    if not isinstance(value, str) or not value.strip() or value.strip() == "default":
        return value
    if Path(value).expanduser().is_absolute():
        return value
    return os.path.relpath(os.path.join(base, value), root).replace(os.sep, "/")


def _inherit(config: Config, base: Config, data: dict[str, Any]) -> None:
    """Fill ``config`` (this file's) with what ``base`` sets and this file does not."""
    root = config.root
    if "docs" not in data:
        config.docs = [_rebased(d, base.root, root) for d in base.docs]
    if "exclude" not in data:
        config.exclude = list(base.exclude)
        bases = base.exclude_bases + [None] * (len(base.exclude) - len(base.exclude_bases))
        config.exclude_bases = [b or base.root for b in bases]
    for key in (
        "language",
        "select",
        "extend_select",
        "ignore",
        "fail_on",
        "jobs",
        "respect_gitignore",
        "cache",
    ):
        if key.replace("_", "-") not in data:
            setattr(config, key, getattr(base, key))
    if "cache-dir" not in data and base.cache_dir is not None:
        config.cache_dir = _rebased(base.cache_dir, base.root, root)
    rules = {code: RuleSettings(s.severity, dict(s.options)) for code, s in base.rules.items()}
    for code, own in config.rules.items():
        merged = rules.setdefault(code, RuleSettings())
        merged.severity = own.severity or merged.severity
        merged.options.update(own.options)
    config.rules = rules
    inherited = [dataclasses.replace(o, base=o.base or base.root) for o in base.overrides]
    config.overrides = inherited + config.overrides
    for key, value in base.sections.items():
        if key in config.sections:
            continue
        if key in ("glossary", "template"):
            value = _rebased(value, base.root, root)
        elif key == "branches" and isinstance(value, dict) and "file" in value:
            value = {**value, "file": _rebased(value["file"], base.root, root)}
        config.sections[key] = value


def parse_config(
    data: dict[str, Any], source: Path | None = None, base: Config | None = None
) -> Config:
    """Validate raw TOML data (the sop-lint table) into a :class:`Config`; with ``base``
    (what ``extend`` names), the keys ``data`` does not set are inherited from it."""
    where = f"{_shown(source)}: " if source else ""
    table = "[tool.sop-lint]" if source and source.name == "pyproject.toml" else "config"
    v = _Validator(where, table)
    known = {
        "docs",
        "exclude",
        "language",
        "select",
        "extend-select",
        "ignore",
        "fail-on",
        "jobs",
        "baseline",
        "rules",
        "overrides",
        "extend",
        "respect-gitignore",
        "cache",
        "cache-dir",
        *SUBSYSTEM_KEYS,
    }
    v.no_unknown(data, known, "")
    if "extend" in data:  # only config_from_file reads the file it names
        raise ConfigError(f"{where}key 'extend' is read only from a config file")
    config = Config(source=source, root=source.parent if source else Path.cwd())
    if "docs" in data:
        config.docs = v.str_list(data["docs"], "docs", allow_str=True)
    config.exclude = v.globs(data.get("exclude", []), "exclude")
    if "language" in data:
        config.language = v.language(data["language"], "language")
    if "select" in data:
        config.select = v.selectors(data["select"], "select")
    config.extend_select = v.selectors(data.get("extend-select", []), "extend-select")
    config.ignore = v.selectors(data.get("ignore", []), "ignore")
    if "fail-on" in data:
        config.fail_on = v.choice(data["fail-on"], "fail-on", FAIL_ON)
    if "jobs" in data:
        config.jobs = v.integer(data["jobs"], "jobs", minimum=0)
    if "baseline" in data:  # part B: check --baseline without the flag (CI, pre-commit)
        if not isinstance(data["baseline"], str) or not data["baseline"].strip():
            v.fail("baseline", 'a file name such as ".sop-lint-baseline.json"', data["baseline"])
        config.baseline = data["baseline"]
    if "respect-gitignore" in data:
        config.respect_gitignore = v.boolean(data["respect-gitignore"], "respect-gitignore")
    if "cache" in data:
        config.cache = v.boolean(data["cache"], "cache")
    if "cache-dir" in data:
        value = data["cache-dir"]
        if not isinstance(value, str) or not value.strip() or "\0" in value:
            v.fail("cache-dir", 'a folder name such as ".sop-lint-cache"', value)
        config.cache_dir = value
    config.rules = v.rules(data.get("rules", {}), "rules")
    config.sections = {key: data[key] for key in SUBSYSTEM_KEYS if key in data}
    overrides = data.get("overrides", [])
    if not isinstance(overrides, list):
        v.fail("overrides", "an array of tables ([[tool.sop-lint.overrides]])", overrides)
    for i, raw in enumerate(overrides):
        key = f"overrides[{i}]"
        if not isinstance(raw, dict):
            v.fail(key, "a table", raw)
        v.no_unknown(
            raw, {"paths", "language", "select", "extend-select", "ignore", "rules"}, key + "."
        )
        if "paths" not in raw:
            raise ConfigError(
                f"{where}{table} key '{key}.paths' is missing: list the globs "
                'the override applies to, e.g. paths = ["docs/sv/**"]'
            )
        config.overrides.append(
            Override(
                paths=v.globs(raw["paths"], f"{key}.paths", allow_str=True),
                language=v.language(raw["language"], f"{key}.language")
                if "language" in raw
                else None,
                select=v.selectors(raw["select"], f"{key}.select") if "select" in raw else None,
                extend_select=v.selectors(raw.get("extend-select", []), f"{key}.extend-select"),
                ignore=v.selectors(raw.get("ignore", []), f"{key}.ignore"),
                rules=v.rules(raw.get("rules", {}), f"{key}.rules"),
            )
        )
    if base is not None:
        _inherit(config, base, data)
    config._as_written = (
        config.language,
        config.select,
        list(config.extend_select),
        list(config.ignore),
    )
    return config


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


class _Validator:
    def __init__(self, where: str, table: str) -> None:
        self.where = where
        self.table = table

    def fail(self, key: str, expected: str, got: Any) -> None:
        raise ConfigError(f"{self.where}{self.table} key '{key}': expected {expected}, got {got!r}")

    def no_unknown(self, data: dict[str, Any], known: set[str], prefix: str) -> None:
        for key in data:
            if key not in known:
                close = difflib.get_close_matches(key, sorted(known), n=1)
                hint = f"did you mean '{prefix}{close[0]}'? " if close else ""
                raise ConfigError(
                    f"{self.where}{self.table} has unknown key '{prefix}{key}'; {hint}"
                    f"known keys: {', '.join(sorted(known))}"
                )

    def str_list(self, value: Any, key: str, allow_str: bool = False) -> list[str]:
        if allow_str and isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            self.fail(key, "a list of strings", value)
        return list(value)

    def globs(self, value: Any, key: str, allow_str: bool = False) -> list[str]:
        """Path globs; one too long to be a real path pattern is refused (matching is linear
        in the path, but a glob of thousands of characters is a mistake, not a need)."""
        items = self.str_list(value, key, allow_str)
        for item in items:
            if len(item) > MAX_GLOB_LENGTH:
                raise ConfigError(
                    f"{self.where}{self.table} key '{key}': a glob of {len(item)} characters "
                    f"is too long (at most {MAX_GLOB_LENGTH}); write a shorter pattern, "
                    'e.g. "docs/**/drafts/*.md"'
                )
        return items

    def selectors(self, value: Any, key: str) -> list[str]:
        items = self.str_list(value, key, allow_str=True)
        for item in items:
            if not match_rules(item):
                self.fail(key, "rule codes, names or code prefixes (see 'sop-lint rules')", item)
        return items

    def language(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "a language code such as 'en', 'sv', 'nb' or 'te'", value)
        code = normalise_code(value)
        if get_language(code) is None:
            self.fail(key, "a supported language: en, sv, nb or te", value)
        return code

    def choice(self, value: Any, key: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.fail(key, "one of " + ", ".join(choices), value)
        return value

    def boolean(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            self.fail(key, "true or false", value)
        return value

    def integer(self, value: Any, key: str, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(key, f"a whole number of at least {minimum}", value)
        return value

    def rules(self, value: Any, key: str) -> dict[str, RuleSettings]:
        if not isinstance(value, dict):
            self.fail(key, "a table of rule names", value)
        out: dict[str, RuleSettings] = {}
        for rule_key, raw in value.items():
            rule = find_rule(rule_key)
            here = f"{key}.{rule_key}"
            if rule is None:
                raise ConfigError(
                    f"{self.where}{self.table} key '{here}': no rule is called "
                    f"{rule_key!r}; see 'sop-lint rules'"
                )
            if not isinstance(raw, dict):
                self.fail(here, "a table of options", raw)
            settings = RuleSettings()
            for option, option_value in raw.items():
                if option == "severity":
                    try:
                        settings.severity = Severity.parse(str(option_value))
                    except ValueError:
                        self.fail(f"{here}.severity", "error, warning or info", option_value)
                elif option == "scope":
                    allowed = ("heading", "paragraph", "step", "step-detail")
                    scope = self.str_list(option_value, f"{here}.scope")
                    for s in scope:
                        if s not in allowed:
                            self.fail(f"{here}.scope", "a list of " + ", ".join(allowed), s)
                    settings.options["scope"] = scope
                elif option in rule.options:
                    settings.options[option] = self._typed(
                        option_value, rule.options[option], f"{here}.{option}"
                    )
                else:
                    known = ", ".join(["severity", *rule.options]) or "severity"
                    raise ConfigError(
                        f"{self.where}{self.table} key '{here}.{option}': rule "
                        f"{rule.name} has no option {option!r}; options: {known}"
                    )
            out[rule.code] = settings
        return out

    def _typed(self, value: Any, default: Any, key: str) -> Any:
        if isinstance(default, bool):
            if not isinstance(value, bool):
                self.fail(key, "true or false", value)
        elif isinstance(default, int | float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(key, "a number", value)
            if isinstance(default, int) and not isinstance(value, int):
                self.fail(key, "a whole number", value)
            if value < 0:
                self.fail(key, "a number of at least 0", value)
        elif isinstance(default, str):
            if not isinstance(value, str):
                self.fail(key, "a string", value)
        elif isinstance(default, list | tuple) and not isinstance(value, list):
            self.fail(key, "a list", value)
        elif isinstance(default, dict) and not isinstance(value, dict):
            self.fail(key, "a table", value)
        return value
