"""The rule interface and the registry every rule family module registers into.

A rule is a class with a code (a letter and three digits), a slug ``name``, a default
severity, default ``options``, and a docstring in four parts (what it flags, why, what to
write instead, options) that ``sop-lint explain`` prints and the docs' rule catalogue is
generated from. ``check`` reads a :class:`~sop_lint.model.Document` and yields
:class:`Hit` objects; it never prints, reads files or knows about the command line.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

from sop_lint.model import BlockKind, Document, DocumentSummary, Fix, Location, Severity, Span

CODE_RE = re.compile(r"^[A-Z][0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@dataclass(slots=True, frozen=True)
class RunContext:
    """What is true for the whole run rather than one file: the date rules compare review
    dates with (``--today``), and the folder the configuration lives in."""

    today: datetime.date = field(default_factory=datetime.date.today)
    root: Path = field(default_factory=Path.cwd)
    sections: Mapping[str, Any] = field(default_factory=dict)  # config tables of subsystems


class RuleUnavailable(Exception):
    """A rule could not check this file (a service it needs failed); the message says why.

    Not a finding and not a bug: the engine records it, the command warns, and an option
    such as ``--require-languagetool`` can make it an error.
    """


@dataclass(slots=True)
class Hit:
    """What a rule reports; the engine adds the file, rule identity and source line."""

    span: Span
    message: str
    suggestion: str | None = None
    severity: Severity | None = None  # None: the rule's configured severity
    related: tuple[Location, ...] = ()  # other files the finding names
    fix: Fix | None = None  # edits that resolve it (see sop_lint.fixes)


class Rule:
    """Base class of all rules. Subclasses set the class attributes and ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    options: ClassVar[dict[str, Any]] = {}
    enabled_by_default: ClassVar[bool] = True
    # Which prose a rule looks at, where it looks at sentences; configurable as ``scope``.
    default_scope: ClassVar[tuple[str, ...]] = ()
    # Whether the rule offers safe fixes (``check --fix``); the rule catalogue says so.
    makes_fixes: ClassVar[bool] = False

    def __init__(
        self, options: dict[str, Any] | None = None, context: RunContext | None = None
    ) -> None:
        self.config: dict[str, Any] = {**self.options, **(options or {})}
        self.context = context or RunContext()
        scope = self.config.get("scope", self.default_scope)
        self.scope: frozenset[BlockKind] = frozenset(BlockKind(s) for s in scope)

    def check(self, doc: Document) -> Iterable[Hit]:
        """Yield what this rule finds in ``doc``."""
        raise NotImplementedError

    # -- documentation ------------------------------------------------------------------
    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring: what the rule flags, in one sentence."""
        return inspect.getdoc(cls).split("\n", 1)[0] if cls.__doc__ else ""

    @classmethod
    def documentation(cls) -> str:
        """The whole docstring, dedented (Markdown)."""
        return inspect.getdoc(cls) or ""

    @classmethod
    def family(cls) -> str:
        return cls.__module__.rsplit(".", 1)[-1]


class ProjectRule(Rule):
    """A rule over the whole SOP set (duplicate ids, broken references, stale translations).

    It sees one :class:`~sop_lint.model.DocumentSummary` per checked file, after every file
    has been checked, and yields ``(summary, hit)`` pairs: the file a finding belongs to.
    """

    # Set by the engine when the run left out Markdown files next to the checked ones (a
    # pre-commit hook passing only changed files): "no SOP has this id" cannot be known.
    partial: bool = False
    # The type of what ``summarise`` keeps in ``summary.data[code]``: a result read back
    # from the cache is checked against it before the rule sees it.
    summary_data: Any = Any

    def check(self, doc: Document) -> Iterable[Hit]:
        return ()

    @classmethod
    def summarise(cls, doc: Document, summary: DocumentSummary, context: RunContext) -> None:
        """Keep in ``summary`` what this rule needs of ``doc`` later (in ``summary.data``
        under the rule's code, and any line it reports on in ``summary.lines``). Runs in
        the process that checked the file; the summary must stay small and picklable."""

    def check_project(
        self, summaries: list[DocumentSummary]
    ) -> Iterable[tuple[DocumentSummary, Hit]]:
        """Yield findings across documents."""
        raise NotImplementedError


_BY_CODE: dict[str, type[Rule]] = {}
_BY_NAME: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the registry, checking its identity is well-formed."""
    if not CODE_RE.match(cls.code):
        raise ValueError(f"rule code {cls.code!r} must be a capital letter and three digits")
    if not NAME_RE.match(cls.name):
        raise ValueError(f"rule name {cls.name!r} must be lower-case words joined by '-'")
    for key, table in ((cls.code, _BY_CODE), (cls.name, _BY_NAME)):
        if key in table and table[key] is not cls:
            raise ValueError(f"rule {key!r} is registered twice")
        table[key] = cls
    if not cls.__doc__:
        raise ValueError(f"rule {cls.code} has no docstring; it is the rule's documentation")
    return cls


@functools.cache
def _load_builtin_rules() -> None:
    """Import every rule family module in this package (importing registers its rules),
    then any plug-in registered under the ``sop_lint.rules`` entry point group."""
    import sop_lint.rules as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name not in ("base", "__init__"):
            importlib.import_module(f"sop_lint.rules.{module.name}")
    for entry_point in metadata.entry_points(group="sop_lint.rules"):
        entry_point.load()


def all_rules() -> list[type[Rule]]:
    """Every registered rule, ordered by code."""
    _load_builtin_rules()
    return sorted(_BY_CODE.values(), key=lambda r: r.code)


def find_rule(key: str) -> type[Rule] | None:
    """A rule by code (``B001``, any case) or name (``sentence-too-long``)."""
    _load_builtin_rules()
    return _BY_CODE.get(key.upper()) or _BY_NAME.get(key.lower())


def match_rules(selector: str) -> list[type[Rule]]:
    """Rules a selector names: a code, a name, a code prefix (``B``, ``B00``) or ``ALL``."""
    rules = all_rules()
    if selector.upper() == "ALL":
        return rules
    rule = find_rule(selector)
    if rule is not None:
        return [rule]
    prefix = selector.upper()
    if re.fullmatch(r"[A-Z][0-9]{0,2}", prefix):
        return [r for r in rules if r.code.startswith(prefix)]
    return []


def sentences_in_scope(doc: Document, scope: frozenset[BlockKind]) -> Iterator[Any]:
    """The sentences of blocks whose kind is in ``scope``."""
    for block in doc.blocks:
        if block.kind in scope:
            yield from block.sentences
