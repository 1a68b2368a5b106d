"""The standard process template: loading, ``extends``, validation and section matching.

A template is data (``templates/default.yml``, or an organisation's own YAML file named by
``template = "my-template.yml"`` in the config): which Markdown files are SOPs, their
front matter with types, their sections in order with names and aliases per language, the
text that marks a placeholder, and the skeleton ``sop-lint new`` writes.

A template may ``extends`` another (``default``, or a path relative to itself) and then
change it with ``sections``, ``add_sections``, ``update_sections``, ``remove_sections``,
``metadata`` and ``remove_metadata``. Every mistake in a template file is a
:class:`TemplateError` naming the file, the line and the key.

Headings are matched to sections by name or alias in the SOP's language, ignoring case,
numbering ("3. Procedure") and punctuation. :func:`analyse` compares an SOP's headings
with the template once per document; the template rules report from its result.
"""

from __future__ import annotations

import datetime
import difflib
import fnmatch
import functools
import os
import re
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, NoReturn, TypeVar

import regex
import yaml

from sop_lint.config import ConfigError
from sop_lint.languages import normalise_code
from sop_lint.model import Document, Section
from sop_lint.safe_io import RefusedRead, check_readable, read_guarded_text

DEFAULT = "default"
SECTION_KINDS = ("text", "procedure", "revision-history")
FIELD_TYPES = (
    "text",
    "id",
    "version",
    "date",
    "choice",
    "role",
    "branches",
    "language",
    "interval",
)
COLUMN_ROLES = ("version", "date", "change", "author")
WILDCARDS = {"*": (0, None), "+": (1, None), "?": (0, 1)}

_TOP_KEYS = {
    "name": "text",
    "description": "text",
    "extends": "text",
    "languages": "list of language codes",
    "fallback_language": "language code",
    "section_level": "heading level",
    "sops": "table",
    "placeholders": "list of regular expressions",
    "metadata": "table",
    "remove_metadata": "list",
    "sections": "list",
    "add_sections": "list",
    "update_sections": "table",
    "remove_sections": "list",
    "skeletons": "table",
}
_FIELD_KEYS = {
    "type",
    "required",
    "required_when_status",
    "required_with",
    "alternative",
    "choices",
    "pattern",
    "help",
    "placeholder",
}
_SECTION_KEYS = {
    "key",
    "required",
    "repeat",
    "kind",
    "skeleton",
    "names",
    "aliases",
    "guidance",
    "columns",
}
_PER_LANGUAGE_TEXT = ("names", "guidance")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)?$")


class TemplateError(ConfigError):
    """A template file (or the config's ``template`` key) is invalid; the message says
    which file, line and key, and what was expected."""


# Template files and skeletons come from the project, which anyone may change: reading
# them is bounded like reading an SOP (see sop_lint.safe_io and issue 9).
MAX_TEMPLATE_BYTES = 1024 * 1024  # the built-in template is 12 KB
MAX_EXTENDS = 10  # templates extending templates: a chain longer than this is a mistake
MAX_ALIASES = 100  # YAML aliases (*name) in one template file
MAX_YAML_VALUES = 20_000  # values after aliases are expanded (the built-in has ~1,000)
REGEX_SECONDS = 0.5  # the processor time one template regex may take on one text
REGEX_FILE_SECONDS = 1.0  # ... and all template regexes together on one file
TEMPLATE_SUFFIXES = (".yml", ".yaml")
SKELETON_SUFFIXES = (".j2", ".jinja", ".jinja2", ".md", ".markdown")


class TemplateRegex(str):
    """A regular expression from a template file, with where it was written (for errors)."""

    origin: str = "the template's regular expressions"

    def __new__(cls, text: str, origin: str) -> TemplateRegex:
        made = super().__new__(cls, text)
        made.origin = origin
        return made


_T = TypeVar("_T")


class TimedPattern:
    """A template regex, matched with a time limit (the ``regex`` module's ``timeout``).

    A template's regexes are the organisation's, but a pattern that backtracks
    catastrophically on some line would stall every run; the load-time check refuses
    nested repeats, and this limit catches what it cannot see. Running out of time is a
    :class:`TemplateError` naming the template file, line and key.
    """

    def __init__(self, source: str, origin: str) -> None:
        self.pattern = source
        self.origin = origin
        self._compiled = regex.compile(source, regex.VERSION0)

    # Processor time left for template regexes on the file being checked: a regex that
    # backtracks only moderately stays under the per-text limit on each line, but must
    # not add up to minutes on a long file. The engine resets it per file.
    budget: ClassVar[float] = REGEX_FILE_SECONDS

    @classmethod
    def start_file(cls) -> None:
        """Give the next file its own time budget for template regexes."""
        cls.budget = REGEX_FILE_SECONDS

    def _timed_out(self, whole_file: bool = False) -> TemplateError:
        took = (
            f"took more than {REGEX_FILE_SECONDS:g} s in total on one file"
            if whole_file
            else f"took more than {REGEX_SECONDS:g} s on one text"
        )
        return TemplateError(
            f"{self.origin}: the regular expression {self.pattern!r} {took}, so sop-lint "
            "stopped it; simplify it (avoid repeats inside repeats such as (a+)+ and "
            "alternatives that overlap)"
        )

    def _timed(self, run: Callable[[float], _T]) -> _T:
        left = TimedPattern.budget
        if left <= 0:
            raise self._timed_out(whole_file=True)
        started = time.process_time()
        try:
            return run(min(REGEX_SECONDS, left))
        except TimeoutError:
            raise self._timed_out(whole_file=left < REGEX_SECONDS) from None
        finally:
            TimedPattern.budget = left - (time.process_time() - started)

    def search(self, text: str) -> regex.Match[str] | None:
        return self._timed(lambda limit: self._compiled.search(text, timeout=limit))

    def finditer(self, text: str) -> Iterator[regex.Match[str]]:
        return iter(self._timed(lambda limit: list(self._compiled.finditer(text, timeout=limit))))


# -- the template ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """One section of the template."""

    key: str
    names: Mapping[str, str]  # language -> the heading to write
    aliases: Mapping[str, tuple[str, ...]]  # language -> other headings accepted
    required: bool = False
    repeat: bool = False
    kind: str = "text"  # text | procedure | revision-history
    skeleton: bool = False  # written by `sop-lint new`
    guidance: Mapping[str, str] = field(default_factory=dict)
    columns: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Wildcard:
    """A run of sections of the SOP's own: ``*`` any number, ``+`` one or more, ``?`` at
    most one."""

    symbol: str
    minimum: int
    maximum: int | None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One front-matter key of the template."""

    key: str
    type: str
    required: bool = False
    required_when_status: tuple[str, ...] = ()
    required_with: str | None = None
    alternative: str | None = None
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    help: str = ""
    placeholder: Mapping[str, str] = field(default_factory=dict)
    matcher: TimedPattern | None = field(default=None, compare=False, repr=False)

    def pattern_found(self, text: str) -> bool:
        """Whether ``pattern`` occurs in ``text`` (True without one), with a time limit."""
        return self.matcher is None or self.matcher.search(text) is not None

    def is_required(self, metadata: Mapping[str, Any]) -> bool:
        """Whether this key must be present in an SOP with this front matter."""
        if self.required:
            return True
        status = metadata.get("status")
        if isinstance(status, str) and status.strip().lower() in self.required_when_status:
            return True
        return bool(self.required_with and _present(metadata.get(self.required_with)))


class Template:
    """A resolved template (``extends`` applied, validated)."""

    def __init__(self, data: dict[str, Any], sources: tuple[Path, ...]) -> None:
        self.name: str = data.get("name", "")
        self.description: str = data.get("description", "")
        self.sources = sources  # the files it was built from, the base first
        self.languages: tuple[str, ...] = tuple(data["languages"])
        self.fallback_language: str = data["fallback_language"]
        self.section_level: int = data["section_level"]
        sops = data.get("sops", {})
        self.sop_metadata: tuple[str, ...] = tuple(sops.get("metadata", ()))
        self.sop_files: tuple[str, ...] = tuple(sops.get("files", ()))
        raw_placeholders = data.get("placeholders", ())
        self.placeholder_sources: tuple[str, ...] = tuple(str(p) for p in raw_placeholders)
        self.placeholders = tuple(
            TimedPattern(str(p), getattr(p, "origin", "the template's placeholders"))
            for p in raw_placeholders
        )
        self.metadata: dict[str, FieldSpec] = {
            key: _field_spec(key, raw) for key, raw in data["metadata"].items()
        }
        self.pattern: tuple[SectionSpec | Wildcard, ...] = tuple(
            Wildcard(item, *WILDCARDS[item]) if isinstance(item, str) else _section_spec(item)
            for item in data["sections"]
        )
        self.sections: tuple[SectionSpec, ...] = tuple(
            p for p in self.pattern if isinstance(p, SectionSpec)
        )
        self._index = {p.key: i for i, p in enumerate(self.pattern) if isinstance(p, SectionSpec)}
        self.skeletons: dict[str, Path] = dict(data.get("skeletons", {}))
        # The project folder the template was loaded for: skeletons are read inside it.
        self.root: Path | None = None
        self._lookup: dict[str, dict[str, SectionSpec]] = {}
        self._any_language: dict[str, list[tuple[SectionSpec, str]]] | None = None

    # -- sections -------------------------------------------------------------------------
    def section(self, key: str) -> SectionSpec | None:
        index = self._index.get(key)
        return self.pattern[index] if index is not None else None  # type: ignore[return-value]

    def index_of(self, spec: SectionSpec) -> int:
        return self._index[spec.key]

    def language_for(self, code: str) -> str:
        """The template language used for an SOP in ``code`` (the fallback if none)."""
        code = normalise_code(code)
        if any(code in s.names for s in self.sections):
            return code
        return self.fallback_language

    def name_of(self, spec: SectionSpec, lang: str) -> str:
        """The heading text to write for ``spec`` in ``lang``."""
        return (
            spec.names.get(lang)
            or spec.names.get(self.fallback_language)
            or next(iter(spec.names.values()), spec.key)
        )

    def heading_of(self, spec: SectionSpec, lang: str) -> str:
        return f"{'#' * self.section_level} {self.name_of(spec, lang)}"

    def accepted(self, spec: SectionSpec, lang: str) -> list[str]:
        """Every heading accepted for ``spec`` in ``lang``: its name, then its aliases."""
        names = [self.name_of(spec, lang)]
        return names + [a for a in spec.aliases.get(lang, ()) if a not in names]

    def _table(self, lang: str) -> dict[str, SectionSpec]:
        table = self._lookup.get(lang)
        if table is None:
            table = {}
            for spec in self.sections:
                for text in self.accepted(spec, lang):
                    table.setdefault(normalise_heading(text), spec)
            self._lookup[lang] = table
        return table

    def match(self, heading: str, lang: str) -> SectionSpec | None:
        """The section a heading names in ``lang`` (numbering, case, punctuation ignored)."""
        return self._table(lang).get(normalise_heading(heading))

    def match_other_language(self, heading: str, lang: str) -> tuple[SectionSpec, str] | None:
        """The section and language a heading names in a language other than ``lang``."""
        if self._any_language is None:
            table: dict[str, list[tuple[SectionSpec, str]]] = {}
            codes = sorted({code for s in self.sections for code in (*s.names, *s.aliases)})
            for code in codes:
                for text, spec in self._table(code).items():
                    table.setdefault(text, []).append((spec, code))
            self._any_language = table
        for spec, code in self._any_language.get(normalise_heading(heading), ()):
            if code != lang:
                return spec, code
        return None

    def close_names(self, heading: str, lang: str) -> list[str]:
        """Section names in ``lang`` that look like ``heading`` (for 'did you mean')."""
        table = self._table(lang)
        close = difflib.get_close_matches(normalise_heading(heading), list(table), n=1, cutoff=0.75)
        return [self.name_of(table[c], lang) for c in close]

    # -- which files are SOPs ----------------------------------------------------------
    def is_sop(self, doc: Document) -> bool:
        """Whether the template applies to ``doc`` (see ``sops`` in the template)."""
        if any(key in doc.metadata for key in self.sop_metadata):
            return True
        if self.sop_files:
            posix = doc.path.replace("\\", "/")
            name = posix.rsplit("/", 1)[-1]
            for pattern in self.sop_files:
                target = posix if "/" in pattern else name
                if fnmatch.fnmatchcase(target, pattern) or PurePosixPath(posix).match(pattern):
                    return True
        return False

    # -- placeholders ---------------------------------------------------------------------
    def is_placeholder(self, value: Any) -> bool:
        """Whether a front-matter value is (or contains) placeholder text."""
        return isinstance(value, str) and any(p.search(value) for p in self.placeholders)

    # -- display --------------------------------------------------------------------------
    def to_data(self) -> dict[str, Any]:
        """The resolved template as plain data, in the template file's own shape."""

        def per_lang(mapping: Mapping[str, Any]) -> dict[str, Any]:
            return {k: list(v) if isinstance(v, tuple) else v for k, v in mapping.items()}

        sections: list[Any] = []
        for item in self.pattern:
            if isinstance(item, Wildcard):
                sections.append(item.symbol)
                continue
            entry: dict[str, Any] = {"key": item.key, "required": item.required}
            if item.repeat:
                entry["repeat"] = True
            if item.kind != "text":
                entry["kind"] = item.kind
            if item.skeleton != item.required:
                entry["skeleton"] = item.skeleton
            entry["names"] = dict(item.names)
            if item.aliases:
                entry["aliases"] = per_lang(item.aliases)
            if item.guidance:
                entry["guidance"] = dict(item.guidance)
            if item.columns:
                entry["columns"] = {role: per_lang(v) for role, v in item.columns.items()}
            sections.append(entry)
        metadata: dict[str, Any] = {}
        for key, spec in self.metadata.items():
            entry = {"type": spec.type}
            if spec.required:
                entry["required"] = True
            for name in ("required_when_status", "choices"):
                if getattr(spec, name):
                    entry[name] = list(getattr(spec, name))
            for name in ("required_with", "alternative", "pattern", "help"):
                if getattr(spec, name):
                    entry[name] = getattr(spec, name)
            if spec.placeholder:
                entry["placeholder"] = dict(spec.placeholder)
            metadata[key] = entry
        return {
            "name": self.name,
            "description": self.description,
            "languages": list(self.languages),
            "fallback_language": self.fallback_language,
            "section_level": self.section_level,
            "sops": {"metadata": list(self.sop_metadata), "files": list(self.sop_files)},
            "placeholders": list(self.placeholder_sources),
            "metadata": metadata,
            "sections": sections,
            "skeletons": {lang: str(path) for lang, path in self.skeletons.items()},
        }


def _field_spec(key: str, raw: Mapping[str, Any]) -> FieldSpec:
    return FieldSpec(
        key=key,
        type=raw["type"],
        required=bool(raw.get("required", False)),
        required_when_status=tuple(s.lower() for s in raw.get("required_when_status", ())),
        required_with=raw.get("required_with"),
        alternative=raw.get("alternative"),
        choices=tuple(raw.get("choices", ())),
        pattern=str(raw["pattern"]) if raw.get("pattern") is not None else None,
        matcher=TimedPattern(
            str(raw["pattern"]), getattr(raw["pattern"], "origin", f"the template's {key}.pattern")
        )
        if raw.get("pattern") is not None
        else None,
        help=raw.get("help", ""),
        placeholder=dict(raw.get("placeholder", {})),
    )


def _section_spec(raw: Mapping[str, Any]) -> SectionSpec:
    required = bool(raw.get("required", False))
    return SectionSpec(
        key=raw["key"],
        names=dict(raw.get("names", {})),
        aliases={lang: tuple(v) for lang, v in raw.get("aliases", {}).items()},
        required=required,
        repeat=bool(raw.get("repeat", False)),
        kind=raw.get("kind", "text"),
        skeleton=bool(raw.get("skeleton", required)),
        guidance=dict(raw.get("guidance", {})),
        columns={
            role: {lang: tuple(v) for lang, v in by_lang.items()}
            for role, by_lang in raw.get("columns", {}).items()
        },
    )


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != []


# -- heading normalisation ------------------------------------------------------------------

# "3. ", "3) ", "3 ", "2.1 ", "§ 4 ", "A. ", "iv) " at the start of a heading.
_NUMBERING = re.compile(
    r"^\s*(?:§\s*)?(?:\d+(?:[.)]\d+)*[.):]?|[A-Za-z][.)]|(?i:[ivxlcdm]+)[.)])\s+"
)


@functools.lru_cache(maxsize=4096)
def normalise_heading(text: str) -> str:
    """A heading as compared with the template: no numbering, punctuation, case or joiners.

    ``"3. Procedure:"`` and ``"procedure"`` compare equal; so do ``"Follow-up"`` and
    ``"Follow up"``. Telugu vowel signs are kept (they are letters' marks, not
    punctuation); zero-width joiners, which writers type inconsistently, are dropped.
    """
    text = unicodedata.normalize("NFC", text)
    text = _NUMBERING.sub("", text, count=1)
    out = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        out.append(" " if category[0] in "PSZ" else char)
    return " ".join("".join(out).casefold().split())


# -- loading ---------------------------------------------------------------------------------


def builtin_dir() -> Path:
    """The folder of the built-in template: ``sop_lint/templates`` once installed, the
    repository's top-level ``templates/`` in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "default.yml").is_file():
            return candidate
    raise TemplateError(
        "the built-in template (templates/default.yml) is missing from this installation; "
        "reinstall sop-lint"
    )


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _reference(ref: str, base: Path) -> Path:
    """The file a template reference names: ``default`` or a path relative to ``base``."""
    if ref.strip() == DEFAULT:
        return builtin_dir() / "default.yml"
    path = Path(ref).expanduser()
    return path if path.is_absolute() else base / path


def template_for(value: Any, root: Path, where: str = "config key 'template'") -> Template:
    """The template a config ``template`` value names (None: the built-in default).

    ``root`` is the project folder: relative names are found from it, and symlinks (to
    the template, what it extends and its skeletons) are followed only inside it.
    Raises :class:`TemplateError` for a value that is not a path, a missing file or an
    invalid template.
    """
    if value is None:
        value = DEFAULT
    if not isinstance(value, str) or not value.strip():
        raise TemplateError(
            f'{where}: expected the path of a template file (YAML) or "default", got {value!r}'
        )
    path = _reference(value, root)
    if not path.exists():  # a device or pipe exists: the guarded read says what it is
        raise TemplateError(f"{where}: template file {_shown(path)} not found")
    return load_template(path, root)


def load_template(path: Path, root: Path | None = None) -> Template:
    """Load, resolve (``extends``) and validate the template file at ``path``.

    ``root`` is the project folder symlinks must stay inside (default: the folder of
    ``path``). The built-in template's folder is always allowed.
    """
    # Not resolved: a symlink must be seen by the guarded read to be judged.
    path = Path(os.path.abspath(path))
    folder = Path(os.path.abspath(root)) if root is not None else path.parent
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise TemplateError(f"{_shown(path)}: cannot read template: {exc.strerror}") from None
    template = _load_cached(str(path), stamp, str(folder))
    return template


@functools.lru_cache(maxsize=16)
def _load_cached(path: str, stamp: int, root: str) -> Template:
    data, sources = _resolve(Path(path), (), Path(root))
    template = _build(data, sources)
    template.root = Path(root)
    return template


def _is_builtin(path: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(Path(os.path.realpath(builtin_dir())))
    except ValueError:
        return False
    return True


def _resolve(
    path: Path, chain: tuple[Path, ...], root: Path
) -> tuple[dict[str, Any], tuple[Path, ...]]:
    """Read ``path`` and everything it extends; return merged raw data and the files."""
    if path in chain:
        cycle = " -> ".join(_shown(p) for p in (*chain, path))
        raise TemplateError(f"{_shown(path)}: 'extends' goes round in a circle: {cycle}")
    if len(chain) >= MAX_EXTENDS:
        raise TemplateError(
            f"{_shown(path)}: templates extend each other more than {MAX_EXTENDS} deep; "
            "extend the template you need directly"
        )
    raw, lines = _read_yaml(path, builtin_dir() if _is_builtin(path) else root)
    check = _Checker(path, lines, root)
    own = check.template(raw)
    if "extends" not in own:
        check.standalone(own)
        base: dict[str, Any] = {
            "languages": [],
            "fallback_language": "en",
            "section_level": 2,
            "sops": {"metadata": ["id"], "files": []},
            "placeholders": [],
            "metadata": {},
            "sections": [],
            "skeletons": {},
        }
        sources: tuple[Path, ...] = ()
    else:
        parent = Path(os.path.abspath(_reference(own["extends"], path.parent)))
        if not parent.exists():
            check.fail(("extends",), f"template {_shown(parent)} not found")
        base, sources = _resolve(parent, (*chain, path), root)
    return _merge(base, own, check), (*sources, path)


def _not_a_template(path: Path, why: str) -> TemplateError:
    # Never quotes the file: it may be any file the config names (/etc/passwd, an SOP).
    return TemplateError(
        f"{_shown(path)} is not a template: {why}; a template is a YAML file (.yml) with "
        "keys such as 'extends', 'sections' and 'metadata' (see 'sop-lint template show')"
    )


class _AliasCountingLoader(yaml.SafeLoader):
    """A safe loader that notes every alias (``*name``) it meets, with its line."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases: list[tuple[str, int]] = []

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            self.aliases.append((event.anchor, event.start_mark.line + 1))
            if len(self.aliases) > MAX_ALIASES:
                raise _TooManyValues(f"more than {MAX_ALIASES} YAML aliases", event.anchor)
        return super().compose_node(parent, index)


class _TooManyValues(Exception):
    def __init__(self, what: str, anchor: str | None = None) -> None:
        super().__init__(what)
        self.anchor = anchor


def _read_yaml(path: Path, root: Path | None) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """YAML data and the 1-based line of every key and list item (by path).

    The read is guarded (regular files inside ``root``, at most MAX_TEMPLATE_BYTES);
    aliases are counted and their expansion bounded (a "billion laughs" file would
    otherwise grow to gigabytes here); no error quotes the file's content.
    """
    if path.suffix.lower() not in TEMPLATE_SUFFIXES:
        raise _not_a_template(path, f"its name ends in {path.suffix or 'no suffix'!r}")
    try:
        text = read_guarded_text(path, root, MAX_TEMPLATE_BYTES)
    except RefusedRead as exc:
        raise TemplateError(f"{_shown(path)}: cannot read template: {exc}") from None
    loader = _AliasCountingLoader(text)
    lines: dict[tuple[Any, ...], int] = {}
    try:
        node = loader.get_single_node()
        budget = [MAX_YAML_VALUES]
        data = {} if node is None else _construct(loader, node, (), lines, budget)
    except _TooManyValues as exc:
        anchor, line = loader.aliases[0] if loader.aliases else (exc.anchor, 0)
        where = f"{_shown(path)}:{line}" if line else _shown(path)
        raise TemplateError(
            f"{where}: the YAML aliases (the first is *{anchor}) make {exc}; "
            "a template needs far fewer: write the repeated values out"
        ) from None
    except RecursionError:
        raise TemplateError(
            f"{_shown(path)}: lists or tables are nested too deeply to read; a template "
            "needs a few levels: remove the extra nesting"
        ) from None
    except yaml.YAMLError as exc:
        if "single document" in (getattr(exc, "context", None) or ""):
            # A Markdown file with front matter, most likely.
            raise _not_a_template(path, "it holds more than one YAML document") from None
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise TemplateError(f"{_shown(path)}{line}: not valid YAML: {_yaml_problem(exc)}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise _not_a_template(path, "it is not a YAML mapping of keys")
    if data and not any(isinstance(k, str) and k in _TOP_KEYS for k in data):
        raise _not_a_template(path, "it has none of a template's keys")
    return data, lines


_QUOTED = re.compile(r"""(["'])(?:(?!\1).){0,200}\1""")


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """What the YAML parser says is wrong, without the file's text: PyYAML quotes the
    characters, tags and alias names it stumbled on, and those come from the file."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return _QUOTED.sub("(…)", problem)


def _construct(
    loader: yaml.SafeLoader, node: yaml.Node, path: tuple[Any, ...], lines: dict, budget: list[int]
) -> Any:
    # Each value costs one from the budget, also when an alias makes it appear again.
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooManyValues(f"more than {MAX_YAML_VALUES:,} values")
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            # Keys as written: an unquoted `no:` (Norwegian) must not become False.
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _construct(loader, value_node, (*path, key), lines, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, (*path, i), lines, budget) for i, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def _brief(value: Any) -> str:
    """A value for an error message, cut short: the file may not be a template at all, and
    a message must not copy what it holds (a secret, a whole document)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:30] + "…" + text[-5:]


def _path_text(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Checker:
    """Validates one template file's own data, with errors that name file, line and key."""

    def __init__(self, path: Path, lines: dict[tuple[Any, ...], int], root: Path) -> None:
        self.path = path
        self.shown = _shown(path)
        self.lines = lines
        self.root = root

    def where(self, path: tuple[Any, ...]) -> str:
        """``file:line: key 'x'`` for a key of this file."""
        probe = path
        while probe and probe not in self.lines:
            probe = probe[:-1]
        line = self.lines.get(probe)
        at = f"{self.shown}:{line}" if line else self.shown
        return f"{at}: key '{_path_text(path)}'" if path else at

    def fail(self, path: tuple[Any, ...], message: str) -> NoReturn:
        probe = path
        while probe and probe not in self.lines:
            probe = probe[:-1]
        line = self.lines.get(probe)
        where = f"{self.shown}:{line}" if line else self.shown
        key = f" key '{_path_text(path)}'" if path else ""
        raise TemplateError(f"{where}:{key}: {message}".replace(":: ", ": "))

    # -- primitive checks ---------------------------------------------------------------
    def text(self, value: Any, path: tuple[Any, ...]) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"expected text, got {_brief(value)}")
        return value.strip()

    def boolean(self, value: Any, path: tuple[Any, ...]) -> bool:
        if not isinstance(value, bool):
            self.fail(path, f"expected true or false, got {_brief(value)}")
        return value

    def text_list(self, value: Any, path: tuple[Any, ...]) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(path, f"expected a list of text, got {_brief(value)}")
        return [self.text(item, (*path, i)) for i, item in enumerate(value)]

    def mapping(self, value: Any, path: tuple[Any, ...], what: str = "a table") -> dict:
        if not isinstance(value, dict):
            self.fail(path, f"expected {what}, got {_brief(value)}")
        return value

    def known(self, data: dict, known: Iterable[str], path: tuple[Any, ...]) -> None:
        known = sorted(known)
        for key in data:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.fail((*path, key), f"unknown key; {hint}known keys: {', '.join(known)}")

    def language(self, value: Any, path: tuple[Any, ...]) -> str:
        if not isinstance(value, str) or not _LANG_RE.match(value.strip()):
            self.fail(
                path, f"expected a language code such as en, sv, nb or te, got {_brief(value)}"
            )
        return normalise_code(value)

    def per_language(self, value: Any, path: tuple[Any, ...], lists: bool = False) -> dict:
        table = self.mapping(value, path, "a table of language codes, e.g. {en: ..., sv: ...}")
        out: dict[str, Any] = {}
        for lang, text in table.items():
            code = self.language(lang, (*path, lang))
            here = (*path, lang)
            out[code] = tuple(self.text_list(text, here)) if lists else self.text(text, here)
        return out

    def regex(self, value: Any, path: tuple[Any, ...]) -> str:
        text = self.text(value, path)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. "possible nested set": not our error
                parsed = _sre_parse(text)
                regex.compile(text, regex.VERSION0)
        except (re.error, regex.error) as exc:
            self.fail(path, f"not a valid regular expression: {exc}")
        except RecursionError:
            self.fail(path, "the regular expression is nested too deeply; simplify it")
        nested = _nested_repeat(parsed)
        if nested:
            self.fail(
                path,
                f"the regular expression repeats a part that itself repeats ({nested}); "
                "on some lines that takes hours to match. Repeat it once ([a-z]+ instead "
                "of ([a-z]+)*), or make the inner repeat possessive, which never gives "
                "back what it matched: (?:[A-Z]++-)+ instead of (?:[A-Z]+-)+",
            )
        return TemplateRegex(text, self.where(path))

    # -- the template's own data ----------------------------------------------------------
    def template(self, raw: Any) -> dict[str, Any]:
        data = self.mapping(raw, (), "a YAML mapping of template keys")
        self.known(data, _TOP_KEYS, ())
        out: dict[str, Any] = {}
        for key in ("name", "description", "extends"):
            if key in data:
                out[key] = self.text(data[key], (key,))
        if "languages" in data:
            out["languages"] = [
                self.language(v, ("languages", i))
                for i, v in enumerate(self.text_list(data["languages"], ("languages",)))
            ]
        if "fallback_language" in data:
            out["fallback_language"] = self.language(
                data["fallback_language"], ("fallback_language",)
            )
        if "section_level" in data:
            level = data["section_level"]
            if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 6:
                self.fail(("section_level",), f"expected a heading level 1-6, got {_brief(level)}")
            out["section_level"] = level
        if "sops" in data:
            sops = self.mapping(data["sops"], ("sops",))
            self.known(sops, ("metadata", "files"), ("sops",))
            out["sops"] = {k: self.text_list(v, ("sops", k)) for k, v in sops.items()}
        if "placeholders" in data:
            value = data["placeholders"]
            if not isinstance(value, list):
                self.fail(
                    ("placeholders",),
                    f"expected a list of regular expressions, got {_brief(value)}",
                )
            out["placeholders"] = [self.regex(v, ("placeholders", i)) for i, v in enumerate(value)]
        if "metadata" in data:
            table = self.mapping(data["metadata"], ("metadata",))
            out["metadata"] = {
                key: self.field(key, raw, ("metadata", key)) for key, raw in table.items()
            }
        if "remove_metadata" in data:
            out["remove_metadata"] = self.text_list(data["remove_metadata"], ("remove_metadata",))
        if "sections" in data:
            value = data["sections"]
            if not isinstance(value, list):
                self.fail(("sections",), f"expected a list of sections, got {_brief(value)}")
            out["sections"] = [self.section_item(v, ("sections", i)) for i, v in enumerate(value)]
        if "add_sections" in data:
            value = data["add_sections"]
            if not isinstance(value, list):
                self.fail(("add_sections",), f"expected a list of sections, got {_brief(value)}")
            out["add_sections"] = [
                self.section(v, ("add_sections", i), placement=True) for i, v in enumerate(value)
            ]
        if "update_sections" in data:
            table = self.mapping(data["update_sections"], ("update_sections",))
            out["update_sections"] = {
                key: self.section(raw, ("update_sections", key), keyless=True)
                for key, raw in table.items()
            }
        if "remove_sections" in data:
            out["remove_sections"] = self.text_list(data["remove_sections"], ("remove_sections",))
        if "skeletons" in data:
            table = self.mapping(data["skeletons"], ("skeletons",))
            skeletons = {}
            for lang, value in table.items():
                code = self.language(lang, ("skeletons", lang))
                file = self.path.parent / self.text(value, ("skeletons", lang))
                self.skeleton_file(file, ("skeletons", lang))
                skeletons[code] = file
            out["skeletons"] = skeletons
        return out

    def skeleton_file(self, file: Path, path: tuple[Any, ...]) -> None:
        """A skeleton is a Jinja2 Markdown file in the project or shipped with sop-lint: a
        skeleton named /etc/passwd must not become the text of a new SOP."""
        if not file.name.lower().endswith(SKELETON_SUFFIXES):
            self.fail(
                path,
                f"{_shown(file)} is not a skeleton: a skeleton is a Markdown file with "
                "Jinja2 placeholders, named like en.md.j2",
            )
        real = Path(os.path.realpath(file))
        inside = any(
            _within(real, Path(os.path.realpath(folder))) for folder in (self.root, builtin_dir())
        )
        if not inside:
            self.fail(
                path,
                f"skeleton file {_shown(file)} is outside the project; keep skeletons in "
                "the project, next to the template",
            )
        try:
            check_readable(file, self.root if not _is_builtin(file) else builtin_dir())
        except RefusedRead as exc:
            self.fail(path, f"skeleton file {_shown(file)}: {exc}")

    def standalone(self, own: dict[str, Any]) -> None:
        """A template without ``extends`` must say everything itself."""
        for key in ("add_sections", "update_sections", "remove_sections", "remove_metadata"):
            if key in own:
                self.fail((key,), "only a template that 'extends' another can change its sections")
        if not own.get("sections"):
            self.fail(("sections",), "a template needs sections (or 'extends: default')")
        for i, item in enumerate(own["sections"]):
            if isinstance(item, str) and item not in WILDCARDS:
                self.fail(
                    ("sections", i),
                    f"'{item}' names a section of a parent template, but this template "
                    "extends none; write the section out, or add 'extends: default'",
                )

    def field(self, key: str, raw: Any, path: tuple[Any, ...]) -> dict[str, Any]:
        data = self.mapping(raw, path)
        self.known(data, _FIELD_KEYS, path)
        out: dict[str, Any] = {"_origin": (self, path)}
        if "type" in data:
            kind = data["type"]
            if kind not in FIELD_TYPES:
                self.fail(
                    (*path, "type"), f"expected one of {', '.join(FIELD_TYPES)}, got {_brief(kind)}"
                )
            out["type"] = kind
        if "required" in data:
            out["required"] = self.boolean(data["required"], (*path, "required"))
        for name in ("required_when_status", "choices"):
            if name in data:
                out[name] = self.text_list(data[name], (*path, name))
        for name in ("required_with", "alternative", "help"):
            if name in data:
                out[name] = self.text(data[name], (*path, name))
        if "pattern" in data:
            out["pattern"] = self.regex(data["pattern"], (*path, "pattern"))
        if "placeholder" in data:
            out["placeholder"] = self.per_language(data["placeholder"], (*path, "placeholder"))
        return out

    def section_item(self, raw: Any, path: tuple[Any, ...]) -> Any:
        if isinstance(raw, str):
            return raw.strip()
        return self.section(raw, path)

    def section(
        self, raw: Any, path: tuple[Any, ...], placement: bool = False, keyless: bool = False
    ) -> dict[str, Any]:
        data = self.mapping(raw, path, 'a section (a table with "key" and "names")')
        allowed = set(_SECTION_KEYS)
        if placement:
            allowed |= {"after", "before"}
        if keyless:
            allowed.discard("key")
        self.known(data, allowed, path)
        out: dict[str, Any] = {"_origin": (self, path)}
        if not keyless:
            if "key" not in data:
                self.fail(path, 'a section needs a "key" (e.g. key: purpose)')
            key = data["key"]
            if not isinstance(key, str) or not _KEY_RE.match(key):
                self.fail(
                    (*path, "key"), f"expected a lower-case name such as purpose, got {_brief(key)}"
                )
            out["key"] = key
        for name in ("required", "repeat", "skeleton"):
            if name in data:
                out[name] = self.boolean(data[name], (*path, name))
        if "kind" in data:
            if data["kind"] not in SECTION_KINDS:
                self.fail(
                    (*path, "kind"),
                    f"expected one of {', '.join(SECTION_KINDS)}, got {_brief(data['kind'])}",
                )
            out["kind"] = data["kind"]
        for name in _PER_LANGUAGE_TEXT:
            if name in data:
                out[name] = self.per_language(data[name], (*path, name))
        if "aliases" in data:
            out["aliases"] = self.per_language(data["aliases"], (*path, "aliases"), lists=True)
        if "columns" in data:
            table = self.mapping(data["columns"], (*path, "columns"))
            self.known(table, COLUMN_ROLES, (*path, "columns"))
            out["columns"] = {
                role: self.per_language(v, (*path, "columns", role), lists=True)
                for role, v in table.items()
            }
        for name in ("after", "before"):
            if name in data:
                out[name] = self.text(data[name], (*path, name))
        return out


def _within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _sre_parse(text: str) -> Any:
    import re._parser as sre_parse  # the parser `re` compiles with (Python 3.11+)

    return sre_parse.parse(text)


def _nested_repeat(parsed: Any) -> str | None:
    """The first repeat inside a repeat in a parsed regex (as text), or None.

    ``(a+)+``, ``(\\w*\\s?)*`` and ``(x{1,9})+`` backtrack exponentially on a line that
    almost matches; possessive repeats and atomic groups cannot backtrack, and are fine.
    """
    from re import _constants as c

    def repeats(op: Any, av: Any) -> bool:
        return op in (c.MAX_REPEAT, c.MIN_REPEAT) and (av[1] is c.MAXREPEAT or av[1] > 1)

    def walk(items: Any, outer: str | None) -> str | None:
        for op, av in items:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                here = repeats(op, av)
                if here and outer is not None:
                    return f"a repeat inside {outer}"
                found = walk(av[2], "a repeated group" if here else outer)
            elif op is c.SUBPATTERN:
                found = walk(av[3], outer)
            elif op is c.BRANCH:
                found = next((f for b in av[1] if (f := walk(b, outer))), None)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                found = walk(av[1], outer)
            elif op is c.ATOMIC_GROUP:
                found = walk(av, None)  # no backtracking into it
            elif op is c.GROUPREF_EXISTS:
                found = walk(av[1], outer) or (walk(av[2], outer) if av[2] else None)
            else:
                found = None
            if found:
                return found
        return None

    return walk(parsed, None)


def _merge_section(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """``patch`` applied to ``base``: per-language texts replace, aliases add up."""
    out = dict(base)
    for name, value in patch.items():
        if name in _PER_LANGUAGE_TEXT:
            out[name] = {**base.get(name, {}), **value}
        elif name == "aliases":
            merged = {lang: tuple(v) for lang, v in base.get("aliases", {}).items()}
            for lang, extra in value.items():
                merged[lang] = tuple(dict.fromkeys((*merged.get(lang, ()), *extra)))
            out[name] = merged
        elif name == "columns":
            out[name] = {**base.get("columns", {}), **value}
        elif name not in ("after", "before"):
            out[name] = value
    return out


def _merge(base: dict[str, Any], own: dict[str, Any], check: _Checker) -> dict[str, Any]:
    """A child template's own data applied to its resolved parent."""
    out = {k: v for k, v in base.items()}
    for key in ("name", "description", "fallback_language", "section_level"):
        if key in own:
            out[key] = own[key]
    if "languages" in own:
        out["languages"] = list(dict.fromkeys([*base["languages"], *own["languages"]]))
    if "sops" in own:
        out["sops"] = {**base["sops"], **own["sops"]}
    out["placeholders"] = list(dict.fromkeys([*base["placeholders"], *own.get("placeholders", [])]))
    metadata = {k: dict(v) for k, v in base["metadata"].items()}
    for key, spec in own.get("metadata", {}).items():
        metadata[key] = {**metadata.get(key, {}), **spec}
    for i, key in enumerate(own.get("remove_metadata", [])):
        if key not in metadata:
            check.fail(("remove_metadata", i), f"there is no front matter key {key!r} to remove")
        del metadata[key]
    out["metadata"] = metadata

    by_key = {s["key"]: s for s in base["sections"] if isinstance(s, dict)}
    sections: list[Any] = list(base["sections"])
    if "sections" in own:
        sections = []
        for i, item in enumerate(own["sections"]):
            if isinstance(item, str):
                if item in WILDCARDS:
                    sections.append(item)
                elif item in by_key:
                    sections.append(by_key[item])
                else:
                    check.fail(("sections", i), _no_section(item, by_key, "names"))
            else:
                base_section = by_key.get(item["key"], {})
                sections.append(_merge_section(base_section, item))
    for i, key in enumerate(own.get("remove_sections", [])):
        index = _find(sections, key)
        if index is None:
            check.fail(("remove_sections", i), _no_section(key, by_key, "removes"))
        del sections[index]
    for key, patch in own.get("update_sections", {}).items():
        index = _find(sections, key)
        if index is None:
            check.fail(("update_sections", key), _no_section(key, by_key, "updates"))
        sections[index] = _merge_section(sections[index], patch)
    for i, item in enumerate(own.get("add_sections", [])):
        if _find(sections, item["key"]) is not None:
            check.fail(
                ("add_sections", i, "key"),
                f"section {item['key']!r} is already in the template; "
                "change it with update_sections",
            )
        where = len(sections)
        for name, offset in (("after", 1), ("before", 0)):
            if name in item:
                anchor = _find(sections, item[name])
                if anchor is None:
                    check.fail(("add_sections", i, name), _no_section(item[name], by_key, name))
                where = anchor + offset
        sections.insert(where, _merge_section({}, item))
    out["sections"] = sections
    out["skeletons"] = {**base["skeletons"], **own.get("skeletons", {})}
    return out


def _find(sections: list[Any], key: str) -> int | None:
    for i, item in enumerate(sections):
        if isinstance(item, dict) and item.get("key") == key:
            return i
    return None


def _no_section(key: str, known: Mapping[str, Any], verb: str) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"{verb} section {key!r}, which the template does not have{hint}"


def _build(data: dict[str, Any], sources: tuple[Path, ...]) -> Template:
    """Check the merged template as a whole, then build it."""
    sections = [s for s in data["sections"] if isinstance(s, dict)]
    languages = list(data["languages"])
    for section in sections:
        for lang in section.get("names", {}):
            if lang not in languages:
                languages.append(lang)
    data["languages"] = languages
    fallback = data["fallback_language"]
    for section in sections:
        check, path = section["_origin"]
        if not section.get("names"):
            check.fail(path, f"section {section['key']!r} has no names (e.g. names: {{en: ...}})")
        if fallback not in section["names"]:
            check.fail(
                (*path, "names"),
                f"section {section['key']!r} has no name in the fallback language {fallback!r}",
            )
    seen: dict[str, dict[str, str]] = {}
    keys: set[str] = set()
    for section in sections:
        check, path = section["_origin"]
        if section["key"] in keys:
            check.fail((*path, "key"), f"section {section['key']!r} appears twice")
        keys.add(section["key"])
        langs = set(section.get("names", {})) | set(section.get("aliases", {}))
        for lang in sorted(langs):
            texts = [("names", section["names"].get(lang))]
            texts += [("aliases", a) for a in section.get("aliases", {}).get(lang, ())]
            for where, text in texts:
                if not text:
                    continue
                norm = normalise_heading(text)
                if not norm:
                    check.fail(
                        (*path, where, lang),
                        f"section {section['key']!r} has an empty name: {text!r}",
                    )
                other = seen.setdefault(lang, {}).setdefault(norm, section["key"])
                if other != section["key"]:
                    check.fail(
                        (*path, where, lang),
                        f"{text!r} ({lang}) names both section {other!r} and "
                        f"section {section['key']!r}; a heading must name one section",
                    )
    metadata = data["metadata"]
    for key, spec in metadata.items():
        check, path = spec["_origin"]
        if "type" not in spec:
            check.fail(path, f"front matter key {key!r} needs a type ({', '.join(FIELD_TYPES)})")
        if spec["type"] == "choice" and not spec.get("choices"):
            check.fail(path, f"{key!r} is a choice but lists no choices")
        for name in ("required_with", "alternative"):
            other = spec.get(name)
            if other is not None and other not in metadata:
                check.fail((*path, name), f"{other!r} is not a front matter key of the template")
    clean = dict(data)
    clean["sections"] = [
        {k: v for k, v in item.items() if k != "_origin"} if isinstance(item, dict) else item
        for item in data["sections"]
    ]
    clean["metadata"] = {
        key: {k: v for k, v in spec.items() if k != "_origin"} for key, spec in metadata.items()
    }
    return Template(clean, sources)


# -- values -----------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTERVAL = re.compile(r"^\s*(\d+)\s*(d|days?|w|weeks?|m|mo|months?|y|years?)\s*$", re.IGNORECASE)
_ISO_INTERVAL = re.compile(r"^P(\d+)([YMWD])$", re.IGNORECASE)


def parse_date(value: Any) -> datetime.date | None:
    """A front-matter date (YAML date, or text in YYYY-MM-DD), or None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


MAX_INTERVAL_DAYS = 100 * 366  # a longer review interval is a typo, and dates end at 9999
_UNIT_DAYS = {"d": 1, "w": 7, "m": 31, "y": 366}


def parse_interval(value: Any) -> tuple[int, str] | None:
    """``"1 year"``, ``"6 months"``, ``"90 days"``, ``"P1Y"`` -> (amount, unit), unit one
    of ``d``, ``w``, ``m``, ``y``; None when it is not an interval of at most 100 years."""
    if not isinstance(value, str):
        return None
    match = _INTERVAL.match(value) or _ISO_INTERVAL.match(value.strip())
    if not match:
        return None
    if len(match[1]) > 6:
        return None  # a million units or more is no review interval (and int() may refuse)
    amount, unit = int(match[1]), match[2].lower()
    unit = {"mo": "m"}.get(unit, unit[0])
    if amount * _UNIT_DAYS[unit] > MAX_INTERVAL_DAYS:
        return None
    return (amount, unit) if amount > 0 else None


def add_interval(start: datetime.date, interval: tuple[int, str]) -> datetime.date:
    amount, unit = interval
    if unit == "d":
        return start + datetime.timedelta(days=amount)
    if unit == "w":
        return start + datetime.timedelta(weeks=amount)
    months = amount * (12 if unit == "y" else 1)
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    month += 1
    last_day = (
        datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    ).day
    return datetime.date(year, month, min(start.day, last_day))


def raw_value(doc: Document, key: str) -> str | None:
    """A front-matter value as written on its line (quotes and comment removed)."""
    line = doc.metadata_lines.get(key)
    if line is None:
        return None
    text = doc.line_text(line).partition(":")[2]
    text = re.sub(r"\s+#.*$", "", text).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return text


def version_key(text: str) -> tuple[tuple[int, str], ...] | None:
    """A key that orders versions: "1.2" < "1.10"; trailing zeros dropped, so "1.2" and
    "1.2.0" compare equal.

    Each part is (number of digits, digits) without leading zeros, which orders like the
    number without converting it: a part thousands of digits long (anyone can write one)
    would exceed Python's limit on converting text to int.
    """
    match = re.fullmatch(r"[vV]?(\d+(?:\.\d+)*)", text.strip())
    if not match:
        return None
    digits = [p.lstrip("0") for p in match[1].split(".")]
    while len(digits) > 1 and not digits[-1]:
        digits.pop()
    return tuple((len(d), d) for d in digits)


# -- an SOP against the template -------------------------------------------------------------


@dataclass(slots=True, eq=False)
class Heading:
    """A heading at the template's section level, and the section it names (if any)."""

    section: Section
    spec: SectionSpec | None
    index: int | None  # position in the template's pattern

    def text(self, doc: Document) -> str:
        """The heading as written (``## 3. Procedure``)."""
        return doc.line_text(self.section.line).strip() or f"## {self.section.title}"


@dataclass(slots=True)
class Missing:
    """A required section the SOP lacks, and where it should go."""

    spec: SectionSpec
    anchor: Heading | None  # a present heading it goes after or before
    relation: str  # "after", "before", "title", "start"
    previous_missing: SectionSpec | None = None  # it goes after this (also missing) one
    renamed: Heading | None = None  # a heading naming it in another language
    renamed_lang: str | None = None
    wrong_level: Section | None = None  # a heading naming it at another level


@dataclass(slots=True)
class Misplaced:
    heading: Heading
    anchor: Heading
    relation: str  # "after" or "before"


@dataclass(slots=True)
class Structure:
    """An SOP's sections compared with the template."""

    lang: str  # the template language used
    headings: list[Heading]
    missing: list[Missing] = field(default_factory=list)
    misplaced: list[Misplaced] = field(default_factory=list)
    duplicates: list[tuple[Heading, Heading]] = field(default_factory=list)  # (again, first)
    unknown: list[Heading] = field(default_factory=list)
    other_language: list[tuple[Heading, SectionSpec, str]] = field(default_factory=list)
    runs_short: list[tuple[Wildcard, Heading | None]] = field(default_factory=list)

    def present(self, key: str) -> list[Heading]:
        return [h for h in self.headings if h.spec is not None and h.spec.key == key]


def analyse(doc: Document, template: Template) -> Structure:
    """Compare ``doc``'s headings with ``template`` (cached on the document)."""
    cache_key = ("template-structure", id(template))
    cached = doc.cache.get(cache_key)
    if cached is None:
        cached = _analyse(doc, template)
        doc.cache[cache_key] = cached
    return cached


def _analyse(doc: Document, template: Template) -> Structure:
    lang = template.language_for(doc.language_code)
    level = template.section_level
    headings = []
    for section in doc.sections:
        if section.level == level:
            spec = template.match(section.title, lang)
            index = template.index_of(spec) if spec else None
            headings.append(Heading(section, spec, index))
    result = Structure(lang, headings)

    # Each section once (unless it may repeat); later copies are reported, not ordered.
    first: dict[str, Heading] = {}
    ordered: list[Heading] = []
    for heading in headings:
        if heading.spec is None:
            continue
        seen = first.get(heading.spec.key)
        if seen is not None and not heading.spec.repeat:
            result.duplicates.append((heading, seen))
            continue
        first.setdefault(heading.spec.key, heading)
        ordered.append(heading)

    # In order: the longest run that follows the template; the others are misplaced.
    kept = _longest_in_order(ordered)
    kept_ids = {id(h) for h in kept}
    for heading in ordered:
        if id(heading) in kept_ids:
            continue
        assert heading.index is not None
        before = [h for h in kept if h.index is not None and h.index <= heading.index]
        if before:
            result.misplaced.append(Misplaced(heading, before[-1], "after"))
        else:
            after = [h for h in kept if h.index is not None and h.index > heading.index]
            result.misplaced.append(Misplaced(heading, after[0], "before"))

    # Headings the template does not name: allowed where a wildcard is, else unknown.
    unknown = [h for h in headings if h.spec is None]
    absorbed: set[int] = set()
    for heading in unknown:
        other = template.match_other_language(heading.section.title, lang)
        if other is not None and other[0].key not in first:
            result.other_language.append((heading, other[0], other[1]))
            absorbed.add(id(heading))
    positions = {id(h): i for i, h in enumerate(headings)}
    boundaries = [(-1, None), *((h.index, h) for h in kept), (len(template.pattern), None)]
    kept_positions = [-1, *(positions[id(h)] for h in kept), len(headings)]
    for gap in range(len(boundaries) - 1):
        low, high = boundaries[gap][0], boundaries[gap + 1][0]
        start, end = kept_positions[gap], kept_positions[gap + 1]
        assert low is not None and high is not None
        in_gap = [h for h in headings[start + 1 : end] if h.spec is None and id(h) not in absorbed]
        wildcards = [
            w for i, w in enumerate(template.pattern) if isinstance(w, Wildcard) and low < i < high
        ]
        maximum: float = 0
        for w in wildcards:
            maximum += float("inf") if w.maximum is None else w.maximum
        allowed = int(min(maximum, len(in_gap)))
        result.unknown.extend(in_gap[allowed:])
        minimum = sum(w.minimum for w in wildcards)
        if len(in_gap) < minimum:
            shortfall = next(w for w in wildcards if w.minimum)
            result.runs_short.append((shortfall, boundaries[gap][1]))

    # Required sections that are not there, and where they go.
    renamed = {spec.key: (h, code) for h, spec, code in result.other_language}
    for i, item in enumerate(template.pattern):
        if not isinstance(item, SectionSpec) or not item.required or item.key in first:
            continue
        previous_missing = None
        for earlier in reversed(template.pattern[:i]):
            if isinstance(earlier, SectionSpec):
                if earlier.key in first:
                    break
                if earlier.required:
                    previous_missing = earlier
                    break
        before = [h for h in kept if h.index is not None and h.index < i]
        after = [h for h in kept if h.index is not None and h.index > i]
        if before:
            missing = Missing(item, before[-1], "after", previous_missing)
        elif after:
            missing = Missing(item, after[0], "before", previous_missing)
        else:
            missing = Missing(item, None, "title" if _title(doc, level) else "start")
            missing.previous_missing = previous_missing
        if item.key in renamed:
            missing.renamed, missing.renamed_lang = renamed[item.key]
        else:
            for section in doc.sections:
                if section.level != level and template.match(section.title, lang) is item:
                    missing.wrong_level = section
                    break
        result.missing.append(missing)
    return result


def _title(doc: Document, level: int) -> Section | None:
    """The heading above the sections (``# Title``), if there is one."""
    return next((s for s in doc.sections if s.level < level), None)


def title_of(doc: Document, template: Template) -> Section | None:
    return _title(doc, template.section_level)


def _longest_in_order(headings: list[Heading]) -> list[Heading]:
    """The longest subsequence whose template positions never go back (earliest wins)."""
    n = len(headings)
    if n == 0:
        return []
    length = [1] * n
    previous = [-1] * n
    for i in range(n):
        for j in range(i):
            if headings[j].index <= headings[i].index and length[j] + 1 > length[i]:  # type: ignore[operator]
                length[i] = length[j] + 1
                previous[i] = j
    end = max(range(n), key=lambda i: (length[i], -i))
    out = []
    while end != -1:
        out.append(headings[end])
        end = previous[end]
    return out[::-1]


def content_lines(doc: Document, first: int, last: int) -> Iterator[int]:
    """Lines in ``first..last`` (1-based, inclusive) with something on them other than
    blank space and HTML comments."""
    in_comment = False
    for line in range(first, last + 1):
        text = doc.line_text(line)
        rest = text
        while True:
            if in_comment:
                end = rest.find("-->")
                if end == -1:
                    rest = ""
                    break
                rest = rest[end + 3 :]
                in_comment = False
            start = rest.find("<!--")
            if start == -1:
                break
            if rest[:start].strip():
                break
            rest = rest[start + 4 :]
            in_comment = True
        if rest.strip():
            yield line
