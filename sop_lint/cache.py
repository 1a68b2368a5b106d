"""A content-hash cache of per-file results, so an unchanged SOP is not checked again.

Each file's :class:`~sop_lint.engine.FileResult` (its findings and the summary the
cross-document rules read) is stored under a key made of everything the result depends on:

* the run key (:func:`run_key`, computed once per run): the sop-lint version, a digest of
  the installed package (its code and bundled data files, by name, size and mtime), the
  effective configuration (``Config.to_dict()`` and the root), the bytes of every file the
  configuration names (template and what it extends, branches file, glossary, phrase
  lists, ``mkdocs.yml``), and today's date when the review-date rules are on;
* per file: its bytes, its path as shown and relative to the root (overrides and
  messages depend on them), the settings that apply to it, and the branch copies it has.

Entries are JSON, never pickle: a cache restored from another CI run must not be able to
run code. One entry a file, in folders sharded by the key's first two characters, written
atomically (temporary file and rename). An entry that cannot be read, is truncated, was
written by another version or does not carry its own key is ignored and written again.

Not cached, because they depend on something outside the key: results of files the
grammar rule (LanguageTool, a server) checks, results where a rule was unavailable or
sop-lint failed, and files that could not be read at all (a symlink, a pipe, too big).
Entries not used for :data:`MAX_AGE_DAYS` days are removed (at most once a day).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import enum
import hashlib
import importlib
import json
import os
import stat
import sys
import time
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sop_lint.safe_io import RefusedRead, read_guarded, write_atomically

if TYPE_CHECKING:
    from sop_lint.config import Config, FileConfig
    from sop_lint.engine import FileResult

CACHE_DIR_NAME = ".sop-lint-cache"
ENTRY_FORMAT = 3  # bump when the entry layout changes: older entries are then ignored
MAX_AGE_DAYS = 30  # entries not used for this long are removed
MAX_ENTRY_BYTES = 8 * 1024 * 1024  # a real entry is kilobytes; a bigger one is foreign
MAX_NAMED_FILE_BYTES = 16 * 1024 * 1024  # a file the config names, hashed into the run key
_PRUNE_MARK = "last-prune"
_DATE_RULES = ("T008", "T009")  # review-overdue and review-due-soon compare with today
_GRAMMAR_RULE = "G001"  # its findings come from a LanguageTool server, outside the key


# -- the key -------------------------------------------------------------------------------


def _digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))  # lengths keep ("ab","c") != ("a","bc")
        h.update(data)
    return h.hexdigest()


_PACKAGE_DIGEST: str | None = None


def package_digest() -> str:
    """A digest of the installed sop-lint: every file's name, size and mtime under the
    package (code, lexicons, taggers, phrase lists) and the built-in templates.

    Names and stat data rather than contents: about 200 stats, a few milliseconds, and any
    reinstall or edit changes an mtime. Computed once per process.
    """
    global _PACKAGE_DIGEST
    if _PACKAGE_DIGEST is None:
        from sop_lint import __version__
        from sop_lint.template import builtin_dir

        here = Path(__file__).resolve().parent
        folders = [here]
        try:
            templates = builtin_dir()
            if here not in templates.parents:
                folders.append(templates)
        except Exception:  # a broken install: the template error is reported elsewhere
            pass
        rows = [__version__, sys.version]
        for folder in folders:
            for base, dirs, names in os.walk(folder):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                for name in sorted(names):
                    if name.endswith((".pyc", ".pyo")):
                        continue
                    path = os.path.join(base, name)
                    try:
                        st = os.stat(path)
                    except OSError:
                        continue
                    rows.append(f"{os.path.relpath(path, folder)}\0{st.st_size}\0{st.st_mtime_ns}")
        _PACKAGE_DIGEST = _digest(*rows)
    return _PACKAGE_DIGEST


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _named_files(config: Config, settings: dict[str, Any]) -> list[Path]:
    """Files the configuration points at: every string value that names an existing file
    (relative to the root or absolute), the template and what it extends, mkdocs.yml."""
    found: dict[str, Path] = {}

    def add(path: Path) -> None:
        try:
            if path.is_file():
                found.setdefault(os.path.abspath(path), path)
        except OSError:
            pass

    for text in _strings(settings):
        if not text or len(text) > 4096 or "\n" in text or "\0" in text:
            continue
        candidate = Path(text).expanduser()
        add(candidate if candidate.is_absolute() else config.root / candidate)
    add(config.root / "mkdocs.yml")  # broken-reference reads the site's navigation
    if config.source is not None:
        add(config.source)
    try:
        from sop_lint.template import template_for

        for source in template_for(config.sections.get("template"), config.root).sources:
            add(Path(source))
    except Exception:  # an invalid template: the rules report it, uncached or not
        pass
    return [found[key] for key in sorted(found)]


def _date_rules_on(config: Config) -> bool:
    from sop_lint.config import enabled_rules

    codes = {r.code for r in enabled_rules(config.select, config.extend_select, config.ignore)}
    for override in config.overrides:
        if override.select is not None or override.extend_select:
            codes |= {r.code for r in enabled_rules(override.select, override.extend_select, [])}
    return any(code in codes for code in _DATE_RULES)


def _portable(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it, else absolute."""
    absolute, base = os.path.abspath(path), os.path.abspath(root)
    inside = absolute == base or absolute.startswith(base.rstrip(os.sep) + os.sep)
    return os.path.relpath(absolute, base) if inside else absolute


def run_key(config: Config) -> str:
    """What every result of this run depends on besides the file itself (see the module)."""
    settings = config.to_dict()
    # No absolute paths: a cache restored in another checkout folder (another CI runner)
    # still matches. Paths in results are relative to the working folder, and in the key.
    settings["config-file"] = _portable(config.source, config.root) if config.source else None
    parts: list[bytes | str] = [
        str(ENTRY_FORMAT),
        package_digest(),
        json.dumps(settings, sort_keys=True, default=str, ensure_ascii=False),
    ]
    for path in _named_files(config, settings):
        try:
            data = read_guarded(path, config.root, MAX_NAMED_FILE_BYTES)
        except RefusedRead as exc:
            data = f"unreadable: {exc}".encode()
        parts += [_portable(path, config.root), data]
    if _date_rules_on(config):
        parts.append(config.context().today.isoformat())
    return _digest(*parts)


# -- JSON for results ----------------------------------------------------------------------
# Driven by the dataclasses' own fields, so a field added to Finding (or any class of
# sop-lint stored here) is stored without changes here. Only classes of sop-lint's own,
# already-imported modules are ever built back, and only through their constructors: an
# entry cannot name a function to call.


class Unstorable(Exception):
    """A value the cache has no JSON form for: the result is simply not cached."""


def _class_name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


# The modules whose classes make up a file's result: findings, spans, fixes, statistics and
# the cross-document summary.
STORED_MODULES = frozenset({"sop_lint.model", "sop_lint.engine", "sop_lint.crossdoc"})
_CLASSES: dict[str, type] = {}  # class name -> class, for decoding many entries fast
_FIELDS: dict[type, tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]] = {}


def _lookup_class(name: str) -> type:
    cls = _CLASSES.get(name)
    if cls is not None:
        return cls
    module_name, _, qualname = name.partition(":")
    if module_name not in STORED_MODULES:
        # A cache may come from elsewhere (restored in CI): only the modules that define
        # results are trusted to build values, never any other module of sop-lint's.
        raise ValueError(f"foreign class {name!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise ValueError(f"no module {module_name!r}") from None
    obj: Any = module
    for part in qualname.split("."):
        obj = getattr(obj, part)
    if not isinstance(obj, type):
        raise ValueError(f"{name!r} is not a class")
    _CLASSES[name] = obj
    return obj


def _fields_of(cls: type) -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    """A dataclass's field names: all, those its constructor takes, and the others."""
    known = _FIELDS.get(cls)
    if known is None:
        fields = dataclasses.fields(cls)
        known = (
            frozenset(f.name for f in fields),
            tuple(f.name for f in fields if f.init),
            tuple(f.name for f in fields if not f.init),
        )
        _FIELDS[cls] = known
    return known


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data that :func:`decode` turns back into an equal value."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, enum.Enum):
        return {"$e": _class_name(type(value)), "v": encode(value.value)}
    if isinstance(value, int | float):
        if isinstance(value, float) and value != value:  # NaN: JSON has none
            return {"$nan": True}
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        if hasattr(value, "_fields"):  # a NamedTuple of sop-lint's
            return {"$nt": _class_name(type(value)), "v": [encode(v) for v in value]}
        return {"$t": [encode(v) for v in value]}
    if isinstance(value, frozenset | set):
        tag = "$fs" if isinstance(value, frozenset) else "$s"
        return {tag: [encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"$d": [[encode(k), encode(v)] for k, v in value.items()]}
    if type(value) is _finding_class() and _FINDING_ROW_OK:
        return {"$F": _finding_row(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        if not cls.__module__.startswith("sop_lint"):
            raise Unstorable(_class_name(cls))
        fields: dict[str, Any] = {}
        plain: dict[str, Any] = {}  # field -> how its untagged value is built back
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            how = _plain_form(item)
            if how is None:
                fields[f.name] = encode(item)
            else:
                plain[f.name] = how
                fields[f.name] = (
                    sorted(item)
                    if how == "fs"
                    else [list(v) for v in item]
                    if how != "t"
                    else list(item)
                )
        if plain:
            return {"$dc": _class_name(cls), "f": fields, "p": plain}
        return {"$dc": _class_name(cls), "f": fields}
    if isinstance(value, datetime.datetime | datetime.date):
        return {"$date" if type(value) is datetime.date else "$dt": value.isoformat()}
    raise Unstorable(type(value).__name__)


def decode(data: Any) -> Any:
    """The value :func:`encode` made ``data`` from; ValueError (or a TypeError, KeyError)
    for anything it could not have made."""
    kind = type(data)
    if kind is str or kind is int or data is None or kind is bool or kind is float:
        return data
    if kind is list:
        return [decode(v) for v in data]
    if kind is not dict:
        raise ValueError(f"unexpected {kind.__name__}")
    if "$F" in data:
        row = data["$F"]
        _check_row(row)
        return _finding_from_row(row, decode(row[11]), row[12])
    if "$dc" in data:
        cls = _lookup_class(data["$dc"])
        if not dataclasses.is_dataclass(cls):
            raise ValueError(f"{data['$dc']} is not a dataclass")
        names, init, later = _fields_of(cls)
        stored = data["f"]
        if stored.keys() != names:
            raise ValueError(f"{data['$dc']}: fields differ (written by another version)")
        values = {name: decode(value) for name, value in stored.items()}
        if "p" in data:
            _plain_back(values, data["p"])
        obj = cls(**{name: values[name] for name in init})
        for name in later:
            object.__setattr__(obj, name, values[name])
        return obj
    if "$t" in data:
        return tuple([decode(v) for v in data["$t"]])
    if "$d" in data:
        return {decode(k): decode(v) for k, v in data["$d"]}
    if "$nt" in data:
        cls = _lookup_class(data["$nt"])
        if not (issubclass(cls, tuple) and hasattr(cls, "_fields")):
            raise ValueError(f"{data['$nt']} is not a NamedTuple")
        return cls(*[decode(v) for v in data["v"]])
    if "$e" in data:
        cls = _lookup_class(data["$e"])
        if not issubclass(cls, enum.Enum):
            raise ValueError(f"{data['$e']} is not an enum")
        return cls(decode(data["v"]))
    if "$fs" in data:
        return frozenset([decode(v) for v in data["$fs"]])
    if "$s" in data:
        return {decode(v) for v in data["$s"]}
    if "$date" in data:
        return datetime.date.fromisoformat(data["$date"])
    if "$dt" in data:
        return datetime.datetime.fromisoformat(data["$dt"])
    if "$nan" in data:
        return float("nan")
    if any(k.startswith("$") for k in data):
        raise ValueError("unknown tag")
    return {k: decode(v) for k, v in data.items()}


# -- untagged fields ---------------------------------------------------------------------------
# A tuple of strings (a summary's steps), a tuple of NamedTuples of plain values (its links)
# or a frozenset of strings (anchors, rule codes) is stored as a plain JSON list, and the
# dataclass holding it says in "p" how to build it back: one parser hook for the object,
# not one per tuple and per link.


def _scalar(value: Any) -> bool:
    kind = type(value)
    return (kind is str or kind is int or kind is bool or value is None) or (
        kind is float and value == value  # NaN is tagged
    )


def _plain_form(value: Any) -> str | None:
    """How a field's value can be stored untagged ("t", "fs" or a NamedTuple's class
    name), or None."""
    kind = type(value)
    if kind is tuple:
        if all(_scalar(v) for v in value):  # the empty tuple too: most summaries have some
            return "t"
        named = type(value[0])
        if (
            issubclass(named, tuple)
            and hasattr(named, "_fields")
            and named.__module__ in STORED_MODULES
            and all(type(v) is named and all(_scalar(x) for x in v) for v in value)
        ):
            return _class_name(named)
    elif kind is frozenset and value and all(type(v) is str for v in value):
        return "fs"
    return None


def _plain_back(stored: dict[str, Any], plain: Any) -> None:
    """Build back, in place, the fields :func:`_plain_form` stored untagged."""
    if type(plain) is not dict:
        raise ValueError("not a field list")
    for name, how in plain.items():
        value = stored[name]
        if type(value) is not list:
            raise ValueError(f"{name}: not a list")
        if how == "t":
            stored[name] = tuple(value)
        elif how == "fs":
            stored[name] = frozenset(value)
        else:
            named = _lookup_class(how)
            if not (issubclass(named, tuple) and hasattr(named, "_fields")):
                raise ValueError(f"{how} is not a NamedTuple")
            width = len(named._fields)
            rows = []
            for row in value:
                if type(row) is not list or len(row) != width:
                    raise ValueError(f"{name}: not a {how}")
                rows.append(named(*row))
            stored[name] = tuple(rows)


# -- findings as rows ------------------------------------------------------------------------
# A finding is stored as one JSON array rather than a tagged object with a span and a
# severity object inside: a warm run builds tens of thousands of findings, and one hook
# call and one array per finding instead of four objects is most of what reading an
# entry costs. Only while Finding and Span have exactly the fields below; if a field is
# added, findings fall back to the generic form above (and stay correct).

_FINDING_FIELDS = "path span rule name severity message suggestion source_line related fix".split()
_SPAN_FIELDS = ("line", "column", "end_line", "end_column")
_EDIT_FIELDS = (*_SPAN_FIELDS, "replacement", "original")
_FINDING_CLASS: type | None = None
_FINDING_ROW_OK = True


def _finding_class() -> type:
    global _FINDING_CLASS, _FINDING_ROW_OK
    if _FINDING_CLASS is None:
        from sop_lint.model import Finding, Fix, Span, TextEdit

        _FINDING_CLASS = Finding
        _FINDING_ROW_OK = (
            tuple(f.name for f in dataclasses.fields(Finding)) == tuple(_FINDING_FIELDS)
            and tuple(f.name for f in dataclasses.fields(Span)) == _SPAN_FIELDS
            and tuple(f.name for f in dataclasses.fields(Fix)) == ("edits", "safe")
            and tuple(f.name for f in dataclasses.fields(TextEdit)) == _EDIT_FIELDS
        )
    return _FINDING_CLASS


def _finding_row(finding: Any) -> list[Any]:
    span = finding.span
    return [
        finding.path,
        span.line,
        span.column,
        span.end_line,
        span.end_column,
        finding.rule,
        finding.name,
        int(finding.severity),
        finding.message,
        finding.suggestion,
        finding.source_line,
        encode(finding.related) if finding.related else None,
        _fix_row(finding.fix) if finding.fix is not None else None,
    ]


def _fix_row(fix: Any) -> list[Any]:
    """A fix as ``[safe, [[line, column, end_line, end_column, replacement, original],
    ...]]``: half the findings carry one, so it is a row too."""
    return [
        fix.safe,
        [
            [e.line, e.column, e.end_line, e.end_column, e.replacement, e.original]
            for e in fix.edits
        ],
    ]


_ROW_TYPES = (str, int, int, int, int, str, str, int, str)
_EDIT_TYPES = (int, int, int, int, str, str)


def _is(value: Any, kind: type) -> bool:
    return type(value) is kind


def _check_row(row: Any) -> None:
    if type(row) is not list or len(row) != 13:
        raise ValueError("not a finding row")
    for value, kind in zip(row, _ROW_TYPES, strict=False):
        if type(value) is not kind:
            raise ValueError("not a finding row")
    if not (row[9] is None or type(row[9]) is str):
        raise ValueError("not a finding row")


_MODEL: list[Any] = []  # Span, Fix, Location and severities by number, imported once


def _finding_from_row(row: list[Any], related: Any, fix: Any) -> Any:
    """The finding of a row (of the right length: :func:`_check_row`) whose ``related``
    is already decoded and whose ``fix`` is a :func:`_fix_row`; ValueError (or TypeError,
    KeyError) for a row :func:`_finding_row` could not have made."""
    if not _MODEL:
        from sop_lint.model import Fix, Location, Severity, Span, TextEdit

        _MODEL.extend([Span, Fix, TextEdit, Location, {int(s): s for s in Severity}])
    span_class, fix_class, edit_class, location_class, severities = _MODEL
    if related is None:
        related = ()
    elif type(related) is not tuple or any(type(r) is not location_class for r in related):
        raise ValueError("not related locations")
    else:
        for location in related:
            _check_shape(location, location_class)
    if fix is not None:
        if type(fix) is not list or len(fix) != 2 or type(fix[0]) is not bool:
            raise ValueError("not a fix")
        edits = []
        for edit in fix[1]:
            if type(edit) is not list or len(edit) != 6 or not all(map(_is, edit, _EDIT_TYPES)):
                raise ValueError("not an edit")
            edits.append(edit_class(*edit))
        fix = fix_class(tuple(edits), fix[0])
    return _finding_class()(
        row[0],
        span_class(row[1], row[2], row[3], row[4]),
        row[5],
        row[6],
        severities[row[7]],
        row[8],
        row[9],
        row[10],
        related,
        fix,
    )


# -- the store -----------------------------------------------------------------------------


@dataclasses.dataclass(slots=True)
class ResultCache:
    """The cache of one run: its folder and the run key. Picklable, so worker processes
    read and write entries themselves."""

    folder: Path
    key: str  # run_key(config)
    hits: int = 0
    misses: int = 0
    writes: int = 0
    # Whether branches are configured: only then do a file's branch copies matter.
    branches: bool = False
    # Shard folder -> whether it is a real folder (not a symlink), looked at once a run.
    shards: dict[str, bool] = dataclasses.field(default_factory=dict, repr=False)
    settings_of: dict[int, str] = dataclasses.field(default_factory=dict, repr=False)
    config: Config | None = dataclasses.field(default=None, repr=False, compare=False)
    nested_keys: dict[int, str] = dataclasses.field(default_factory=dict, repr=False)
    nested_configs: list[Config] = dataclasses.field(default_factory=list, repr=False)
    # Link target -> whether it is a file, asked once a run (see _refresh).
    exists: dict[str, bool] = dataclasses.field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, config: Config, folder: Path | None = None) -> ResultCache:
        """The cache for a run with ``config``: in ``folder`` (``--cache-dir``), else
        ``.sop-lint-cache`` in the project root. Creates the folder with a ``.gitignore``
        that ignores everything in it; raises OSError if it cannot."""
        if folder is None:
            folder = config.root / CACHE_DIR_NAME
        elif not folder.is_absolute():
            folder = Path.cwd() / folder
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            _write_atomically(ignore, b"# Made by sop-lint: its cache is never committed.\n*\n")
        return cls(folder, run_key(config), branches="branches" in config.sections, config=config)

    def entry_key(
        self, shown: str, file_config: FileConfig, data: bytes, config: Config | None = None
    ) -> str:
        """The key of one file's result: the run key, the file's bytes, its path as shown
        (relative to the working folder), the settings that apply to it (the overrides its
        path relative to the root matched), and which branches have their own copy."""
        settings = self.settings_of.get(id(file_config))
        if settings is None:
            # Once per set of settings (a handful a run), not once per file. The run's
            # Config keeps each FileConfig alive, so its id is not reused meanwhile.
            settings = self.settings_of[id(file_config)] = "\0".join(
                [
                    file_config.language,
                    ",".join(r.code for r in file_config.rule_classes),
                    repr(sorted((c, repr(s)) for c, s in file_config.settings.items())),
                ]
            )
        copies = _copies(shown) if self.branches else ""
        return _digest(self._run_key_of(config), shown, settings, copies, data)

    def _run_key_of(self, config: Config | None) -> str:
        """The run key for a file under ``config``: a nested ``sop-lint.toml`` (its own
        template, phrase lists, sections) has its own, computed once a run."""
        if config is None or config is self.config:
            return self.key
        key = self.nested_keys.get(id(config))
        if key is None:
            key = self.nested_keys[id(config)] = run_key(config)
            self.nested_configs.append(config)  # kept alive: its id is not reused
        return key

    def cacheable(self, file_config: FileConfig) -> bool:
        """Whether results under these settings may be cached (not with the grammar rule)."""
        return all(r.code != _GRAMMAR_RULE for r in file_config.rule_classes)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key[2:]}.json"

    def load(self, key: str, path_shown: str | None = None) -> FileResult | None:
        """The stored result under ``key`` (for the file shown as ``path_shown``), or None
        (missing, corrupt, foreign, or another file's)."""
        # Plain strings, not Path objects: this runs once per file of a warm run.
        shard = os.path.join(self.folder, key[:2])
        path = os.path.join(shard, key[2:] + ".json")
        try:
            raw, modified = _read_entry(path, shard, self.shards)
            result = loads(_checked_body(raw, key))
            _check_result(result)
            if path_shown is not None and result.path != path_shown:
                raise ValueError("another file's result")
            _refresh(result, self.exists)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            self.misses += 1
            return None
        self._touch(path, modified)
        self.hits += 1
        return result

    def store(self, key: str, result: FileResult) -> None:
        """Keep ``result`` under ``key``; a result the cache cannot hold is skipped."""
        try:
            body = json.dumps(
                encode(_sharing_lines(result)), ensure_ascii=False, allow_nan=False
            ).encode("utf-8")
        except (Unstorable, ValueError):
            return
        if len(body) > MAX_ENTRY_BYTES - 200:
            return  # it would be refused when read: not worth the disk
        data = _entry_head(key, hashlib.sha256(body).hexdigest()) + body + b"}"
        path = self._path(key)
        try:
            path.parent.mkdir(exist_ok=True)
            if path.parent.is_symlink():  # a restored cache must not make us write elsewhere
                return
            _write_atomically(path, data)
            self.writes += 1
        except OSError:
            pass  # a full disk or a read-only cache: the run goes on uncached

    def _touch(self, path: str, modified: float) -> None:
        # Pruning removes entries not used for MAX_AGE_DAYS; a hit marks the entry used,
        # at most once a day (a utime per hit would be a write per file per run). The
        # time it was last modified comes from reading it: no second stat.
        if time.time() - modified > 86400:
            with contextlib.suppress(OSError):
                os.utime(path)

    def prune(self, now: float | None = None) -> int:
        """Remove entries not used for :data:`MAX_AGE_DAYS` days; at most once a day.
        Returns how many were removed."""
        now = time.time() if now is None else now
        mark = self.folder / _PRUNE_MARK
        try:
            if now - mark.stat().st_mtime < 86400:
                return 0
        except OSError:
            pass
        removed = 0
        limit = now - MAX_AGE_DAYS * 86400
        try:
            shards = [p for p in self.folder.iterdir() if p.is_dir() and len(p.name) == 2]
            for shard in shards:
                for entry in shard.iterdir():
                    try:
                        if entry.lstat().st_mtime < limit:
                            entry.unlink()
                            removed += 1
                    except OSError:
                        continue
            _write_atomically(mark, b"")
        except OSError:
            pass
        return removed


def _read_entry(path: str, shard: str, shards: dict[str, bool]) -> tuple[bytes, float]:
    """The bytes of a cache entry and when it was last modified: a regular file (no
    symlink: ``O_NOFOLLOW``) in a shard folder that is not a symlink, at most
    :data:`MAX_ENTRY_BYTES`; OSError otherwise.

    Lighter than :func:`~sop_lint.safe_io.read_guarded` (no resolving of the whole path,
    which is most of a warm run's time), and as strict for what the cache holds.
    """
    ok = shards.get(shard)
    if ok is None:
        st = os.lstat(shard)
        ok = shards[shard] = stat.S_ISDIR(st.st_mode)
    if not ok:
        raise OSError(f"{shard} is not a folder")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY_BYTES:
            raise OSError(f"{path} is not a cache entry")
        chunks = []
        total = 0
        while total <= MAX_ENTRY_BYTES:
            chunk = os.read(fd, max(st.st_size - total, 0) + 1)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_ENTRY_BYTES:
            raise OSError(f"{path} is not a cache entry")
        return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), st.st_mtime
    finally:
        os.close(fd)


# -- an entry's layout and checks ----------------------------------------------------------
# An entry is {"key":"<key>","sum":"<sha256 of the body>","result":<body>}, written in this
# exact layout. The sum finds an entry changed by hand or by a damaged disk, which may
# still be valid JSON; the checks after decoding keep a wrong-shaped value from reaching
# the rules (where it would stop the run) whoever wrote it.

_SAME_LINE = 0  # in a finding row's source_line: the same line as the finding before it


def _entry_head(key: str, digest: str) -> bytes:
    return f'{{"key":"{key}","sum":"{digest}","result":'.encode("ascii")


def _checked_body(raw: bytes, key: str) -> bytes:
    """The result's JSON of an entry for ``key``; ValueError if it is not one or its sum
    does not match."""
    before = f'{{"key":"{key}","sum":"'.encode("ascii")
    after = b'","result":'
    start = len(before) + 64 + len(after)
    if not raw.startswith(before) or raw[start - len(after) : start] != after:
        raise ValueError("not this key's entry")
    body = raw[start:-1]
    if raw[-1:] != b"}" or raw[len(before) : len(before) + 64] != (
        hashlib.sha256(body).hexdigest().encode("ascii")
    ):
        raise ValueError("changed since it was written")
    return body


def _sharing_lines(result: FileResult) -> FileResult:
    """``result`` with each finding's line text stored once per run of findings on that
    line: 7,000 findings on a 150 KB line must not make a 1 GB entry."""
    findings = result.findings
    if len(findings) < 2:
        return result
    shared = []
    previous = None
    for finding in findings:
        line = finding.source_line
        if line is not None and line == previous:
            finding = dataclasses.replace(finding, source_line=_SAME_LINE)
        shared.append(finding)
        previous = line
    return dataclasses.replace(result, findings=shared)


def _check_result(result: Any) -> None:
    """ValueError unless ``result`` has the shape of a :class:`FileResult` throughout the
    parts the run reads without further checks; fills in the shared line texts."""
    from sop_lint.engine import DocumentStats, FileResult
    from sop_lint.model import DocumentSummary, Finding

    if type(result) is not FileResult or type(result.path) is not str:
        raise ValueError("not a result")
    if type(result.findings) is not list:
        raise ValueError("not a list of findings")
    previous = None
    for finding in result.findings:
        if type(finding) is not Finding:
            raise ValueError("not a finding")
        line = finding.source_line
        if line is _SAME_LINE or (type(line) is int and line == _SAME_LINE):
            if previous is None:
                raise ValueError("a shared line with no line before it")
            finding.source_line = previous
        elif line is not None and type(line) is not str:
            raise ValueError("not a line of text")
        previous = finding.source_line
        if finding.path != result.path:
            raise ValueError("a finding of another file")
    if result.stats is not None and type(result.stats) is not DocumentStats:
        raise ValueError("not statistics")
    summary = result.summary
    if summary is not None:
        if type(summary) is not DocumentSummary or summary.path != result.path:
            raise ValueError("not this file's summary")
        _check_shape(summary, DocumentSummary)
        from sop_lint.crossdoc import HeadingRef, IdMention, LinkRef

        # Declared as tuple[Any, ...] in the model (it does not import crossdoc).
        if type(summary.data) is not dict:
            raise ValueError("not rule data")
        for code, value in summary.data.items():
            rule = _project_rules().get(code)
            if rule is None or not _conforms(value, rule.summary_data):
                raise ValueError(f"not {code} data")
        for items, kind in (
            (summary.links, LinkRef),
            (summary.mentions, IdMention),
            (summary.headings, HeadingRef),
        ):
            if not _conforms(items, tuple[kind, ...]):
                raise ValueError(f"not {kind.__name__} items")
    if not _conforms(result.project_rules, frozenset[str]) or not result.project_rules <= (
        _project_rule_codes()
    ):
        raise ValueError("not codes of rules across the SOP set")
    if result.errors or result.unavailable:
        # Never stored (an internal error or a rule that could not run is not cached): an
        # entry that has them was not written by sop-lint.
        raise ValueError("errors in a stored result")


def _project_rules() -> dict[str, Any]:
    from sop_lint.rules.base import ProjectRule, all_rules

    return {r.code: r for r in all_rules() if issubclass(r, ProjectRule)}


def _project_rule_codes() -> frozenset[str]:
    return frozenset(_project_rules())


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The field types of a stored class, resolved once; Any where they cannot be."""
    hints = _HINTS.get(cls)
    if hints is None:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # a name imported only for type checkers: not checked
            hints = {}
        _HINTS[cls] = hints
    return hints


def _check_shape(value: Any, cls: type) -> None:
    """ValueError unless every field of ``value`` (a stored dataclass or NamedTuple) has
    the type its class declares, all the way down."""
    for name, hint in _hints(cls).items():
        if not _conforms(getattr(value, name), hint):
            raise ValueError(f"{cls.__name__}.{name} has the wrong type")


def _conforms(value: Any, hint: Any) -> bool:
    """Whether ``value`` is of type ``hint`` (the types a stored result declares)."""
    if hint is Any:
        return True
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is None and typing.is_typeddict(hint):
        fields = _hints(hint)
        return (
            type(value) is dict
            and value.keys() == fields.keys()
            and all(_conforms(value[k], t) for k, t in fields.items())
        )
    if origin is None:
        if hint is type(None):
            return value is None
        if hint is float:
            return type(value) in (float, int)
        if type(value) is not hint:
            return False
        if dataclasses.is_dataclass(hint) or (issubclass(hint, tuple) and hasattr(hint, "_fields")):
            _check_shape(value, hint)
        return True
    if origin in (types.UnionType, typing.Union):
        return any(_conforms(value, arg) for arg in args)
    if origin in (list, set, frozenset):
        return type(value) is origin and all(_conforms(v, args[0]) for v in value)
    if origin is tuple:
        if type(value) is not tuple:
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_conforms(v, args[0]) for v in value)
        return len(value) == len(args) and all(map(_conforms, value, args))
    if origin is dict:
        return type(value) is dict and all(
            _conforms(k, args[0]) and _conforms(v, args[1]) for k, v in value.items()
        )
    return True  # a type this cache does not store: left to the code that reads it


def loads(raw: bytes) -> Any:
    """Parse an entry and build its values back, as :func:`decode` does, but with the
    JSON parser calling :func:`_hook` on each object (inner ones first): far fewer Python
    calls than walking the parsed data again. Lists stay lists (tuples are tagged)."""
    return json.loads(raw, object_hook=_hook)


def _hook(data: dict[str, Any]) -> Any:
    for tag in data:
        if tag[:1] != "$":
            return data  # an object without tags: plain (encode tags any dict with "$" keys)
        break
    else:
        return data
    row = data.get("$F")
    if row is not None:  # most objects of an entry are findings: the quick way first
        _check_row(row)
        return _finding_from_row(row, row[11], row[12])
    if "$dc" in data:
        cls = _lookup_class(data["$dc"])
        if not dataclasses.is_dataclass(cls) or cls is _finding_class():
            raise ValueError(f"{data['$dc']} is not a stored dataclass (findings are rows)")
        names, init, later = _fields_of(cls)
        stored = data["f"]
        if stored.keys() != names:
            raise ValueError(f"{data['$dc']}: fields differ (written by another version)")
        plain = data.get("p")
        if plain is not None:
            _plain_back(stored, plain)
        obj = cls(**{name: stored[name] for name in init})
        for name in later:
            object.__setattr__(obj, name, stored[name])
        return obj
    if "$t" in data:
        return tuple(data["$t"])
    if "$d" in data:
        return {k: v for k, v in data["$d"]}
    if "$nt" in data:
        cls = _lookup_class(data["$nt"])
        if not (issubclass(cls, tuple) and hasattr(cls, "_fields")):
            raise ValueError(f"{data['$nt']} is not a NamedTuple")
        return cls(*data["v"])
    if "$e" in data:
        cls = _lookup_class(data["$e"])
        if not issubclass(cls, enum.Enum):
            raise ValueError(f"{data['$e']} is not an enum")
        return cls(data["v"])
    if "$fs" in data:
        return frozenset(data["$fs"])
    if "$s" in data:
        return set(data["$s"])
    if "$date" in data:
        return datetime.date.fromisoformat(data["$date"])
    if "$dt" in data:
        return datetime.datetime.fromisoformat(data["$dt"])
    if "$nan" in data:
        return float("nan")
    raise ValueError("unknown tag")


def _copies(shown: str) -> str:
    """The branches with their own copy of this SOP (J006 and branch lint look at them)."""
    from sop_lint.branching.overrides import copies_of

    return ",".join(sorted(copies_of(shown)))


def _refresh(result: FileResult, exists: dict[str, bool]) -> None:
    """Bring what a stored summary says about other files up to date: whether each link's
    target exists (a file may have been added or removed since the entry was written).
    ``exists`` remembers the answers of this run: many SOPs link to the same few files."""
    summary = result.summary
    if summary is None or not summary.links:
        return
    fresh = []
    for link in summary.links:
        found = exists.get(link.target)
        if found is None:
            found = exists[link.target] = os.path.isfile(link.target)
        fresh.append(link if link.exists == found else link._replace(exists=found))
    summary.links = tuple(fresh)


def _write_atomically(path: Path, data: bytes) -> None:
    # 0644, not 0600: a cache a CI team shares is readable by its jobs.
    write_atomically(path, data, prefix=".tmp-", mode=0o644)


def open_for_run(
    config: Config, no_cache: bool = False, folder: str | None = None
) -> tuple[ResultCache | None, str | None]:
    """The cache ``sop-lint check`` uses (None with ``--no-cache``), and a warning when
    the folder cannot be used (the run then goes on without a cache)."""
    if no_cache:
        return None, None
    try:
        return ResultCache.open(config, Path(folder) if folder else None), None
    except OSError as exc:
        where = folder or str(config.root / CACHE_DIR_NAME)
        return None, (
            f"cannot use the cache folder {where}: {exc.strerror or exc}; checking without "
            "a cache (choose another folder with --cache-dir, or pass --no-cache)"
        )
