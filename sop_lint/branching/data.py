"""The branches file: every branch's id, name, languages and values, validated.

```yaml
org:                       # organisation-wide values: {{ org.name }}, {{ org.toll_free }}
  name: Nordlys Service
defaults:                  # every branch has these unless it sets its own
  emergency_phone: "112"
required: [address, phone] # every branch must end up with these (its own or a default)
branches:
  - id: stockholm-city     # a safe slug: lower-case letters, digits and '-'
    name: Stockholm City
    languages: [sv, en]
    vars:
      phone: "08-555 012 30"
```

Values are text, one line each, read exactly as written (``emergency_phone: 112`` is
``"112"``, ``0701`` keeps its zero). Every mistake (an unknown key, a missing required
value, a duplicate id, a value that is not text) is a :class:`BranchProblem` naming the
file, line and column; all of them are reported at once.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any

import yaml

from sop_lint.branching.render import leftover_template
from sop_lint.languages import LANGUAGES, normalise_code
from sop_lint.safe_io import RefusedRead, read_guarded_text

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VAR_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_ID_CHARS = 64
MAX_VALUE_CHARS = 500
MAX_FILE_BYTES = 2 * 1024 * 1024
# Names every branch has without writing them under ``vars``.
BUILTIN_BRANCH_KEYS = ("id", "name", "languages")
TOP_KEYS = ("org", "defaults", "required", "branches")
BRANCH_KEYS = ("id", "name", "languages", "vars")


@dataclass(slots=True, frozen=True)
class BranchProblem:
    """One mistake in the branches file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class BranchDataError(Exception):
    """The branches file is invalid; ``problems`` lists every mistake found."""

    def __init__(self, problems: list[BranchProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(slots=True, frozen=True)
class Branch:
    """One branch: its slug, display name, languages and values (defaults merged in)."""

    id: str
    name: str
    languages: tuple[str, ...]
    values: Mapping[str, str]
    line: int = 1

    def has(self, key: str) -> bool:
        return key in BUILTIN_BRANCH_KEYS or key in self.values

    def context(self) -> dict[str, Any]:
        """What ``{{ branch.<key> }}`` can reach: the values plus id, name, languages."""
        return {**self.values, "id": self.id, "name": self.name, "languages": self.languages}


@dataclass(slots=True, frozen=True)
class BranchData:
    """The whole branches file."""

    path: Path
    org: Mapping[str, str]
    defaults: Mapping[str, str]
    branches: tuple[Branch, ...]
    required: tuple[str, ...] = ()
    _by_id: dict[str, Branch] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({b.id: b for b in self.branches})

    def get(self, branch_id: str) -> Branch | None:
        return self._by_id.get(branch_id)

    @property
    def ids(self) -> list[str]:
        return [b.id for b in self.branches]

    def publishing(self, lang: str, applies_to: Any = None) -> list[Branch]:
        """The branches that publish a page in ``lang`` whose front matter says
        ``applies_to`` (a list of ids; missing or ``all`` means every branch)."""
        wanted = applies_to_ids(applies_to)
        return [
            b for b in self.branches if lang in b.languages and (wanted is None or b.id in wanted)
        ]


def applies_to_ids(applies_to: Any) -> set[str] | None:
    """The branch ids front matter ``applies_to`` names, or None for every branch."""
    if applies_to is None or applies_to == "all" or applies_to == ["all"]:
        return None
    if isinstance(applies_to, str):
        return {applies_to}
    if isinstance(applies_to, list):
        return {str(x) for x in applies_to}
    return set()


# -- reading -------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses aliases (no 'billion laughs'); pure Python, so node marks
    (lines and columns) are kept and :meth:`compose_node` is always called."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not allowed in the branches file", event.start_mark
            )
        return super().compose_node(parent, index)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_branches(path: Path, root: Path | None = None) -> BranchData:
    """Read and validate a branches file; :class:`BranchDataError` lists every mistake.

    The read is guarded (:mod:`sop_lint.safe_io`): a regular file of at most
    :data:`MAX_FILE_BYTES`, and a symlink only when it stays inside ``root`` (the project;
    default: the file's folder). A link to ``/dev/zero`` is refused before it is read.
    """
    shown = _shown(path)
    if not os.path.lexists(path):
        raise BranchDataError(
            [
                BranchProblem(
                    shown,
                    1,
                    1,
                    "branches file not found; create it or set "
                    '[tool.sop-lint.branches] file = "..."',
                )
            ]
        )
    try:
        text = read_guarded_text(path, root if root is not None else path.parent, MAX_FILE_BYTES)
    except RefusedRead as exc:
        raise BranchDataError(
            [BranchProblem(shown, 1, 1, f"the branches file {exc}; sop-lint did not read it")]
        ) from None
    return parse_branches(text, path)


def parse_branches(text: str, path: Path = Path("branches.yml")) -> BranchData:
    """Validate branches-file text (see the module docs for the schema)."""
    checker = _Checker(_shown(path))
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or str(exc)
        if exc.context:
            reason = f"{exc.context}: {reason}"
        raise BranchDataError(
            [BranchProblem(checker.path, line, col, f"not valid YAML: {reason}")]
        ) from None
    except yaml.YAMLError as exc:
        raise BranchDataError(
            [BranchProblem(checker.path, 1, 1, f"not valid YAML: {exc}")]
        ) from None
    data = checker.document(root)
    if checker.problems:
        raise BranchDataError(checker.problems)
    assert data is not None
    return BranchData(path=path, **data)


class _Checker:
    """Walks the YAML node tree, building values and collecting problems with marks."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[BranchProblem] = []

    def fail(self, node: yaml.Node | None, message: str) -> None:
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        self.problems.append(BranchProblem(self.path, line, col, message))

    # -- shapes ------------------------------------------------------------------------
    def mapping(
        self, node: yaml.Node, what: str, known: Iterable[str] | None = None, hint: str = ""
    ) -> dict:
        """``{key: (key node, value node)}``; unknown and duplicate keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping of 'key: value' lines")
            return {}
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        known_keys = sorted(known) if known is not None else None
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, f"{what}: keys must be plain names")
                continue
            key = key_node.value
            if key in out:
                first = out[key][0].start_mark.line + 1
                self.fail(key_node, f"{what}: key '{key}' appears twice (first on line {first})")
                continue
            if known_keys is not None and key not in known_keys:
                close = difflib.get_close_matches(key, known_keys, n=1, cutoff=0.75)
                advice = f"did you mean '{close[0]}'? " if close else hint
                self.fail(
                    key_node,
                    f"{what}: unknown key '{key}'; {advice}known keys: {', '.join(known_keys)}",
                )
                continue
            out[key] = (key_node, value_node)
        return out

    def text(self, node: yaml.Node, what: str) -> str | None:
        """A one-line text value, exactly as written; None (and a problem) otherwise."""
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"{what} must be text, not a {_kind(node)}")
            return None
        if node.tag == "tag:yaml.org,2002:null" or (node.style is None and node.value == ""):
            self.fail(node, f'{what} has no value; write one, e.g. {what.split()[-1]}: "..."')
            return None
        value = node.value.strip()
        if not value:
            self.fail(node, f"{what} is empty")
            return None
        if "\n" in value:
            self.fail(node, f"{what} must be one line")
            return None
        if len(value) > MAX_VALUE_CHARS:
            self.fail(node, f"{what} is {len(value)} characters; keep it under {MAX_VALUE_CHARS}")
            return None
        if leftover_template(value) is not None:
            # Values are shown as written on every page; the site refuses a page showing "{{".
            self.fail(
                node,
                f"{what} holds '{{{{' or '{{%', which the site refuses to show (it looks like "
                "a template that was not filled in); write the value without double braces",
            )
            return None
        return value

    def variables(self, node: yaml.Node, what: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, (key_node, value_node) in self.mapping(node, what).items():
            if not VAR_RE.match(key):
                self.fail(
                    key_node,
                    f"{what}: '{key}' is not a usable name; use lower-case letters, digits "
                    "and '_', starting with a letter (e.g. towing_phone)",
                )
                continue
            value = self.text(value_node, f"{what} {key}")
            if value is not None:
                out[key] = value
        return out

    def name_list(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{what} must be a list, e.g. [sv, en]")
            return []
        out = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or not item.value.strip():
                self.fail(item, f"{what}: every item must be a name")
                continue
            out.append((item.value.strip(), item))
        return out

    # -- the document ------------------------------------------------------------------
    def document(self, root: yaml.Node | None) -> dict[str, Any] | None:
        if root is None:
            self.fail(None, "the branches file is empty; it needs 'org' and 'branches'")
            return None
        top = self.mapping(root, "the branches file", TOP_KEYS)
        if not isinstance(root, yaml.MappingNode):
            return None
        org: dict[str, str] = {}
        if "org" in top:
            org = self.variables(top["org"][1], "org")
            if "name" not in org and isinstance(top["org"][1], yaml.MappingNode):
                self.fail(top["org"][0], "org has no 'name'; add the organisation's name")
        else:
            self.fail(root, "the branches file has no 'org'; add org: with at least name:")
        defaults = self.variables(top["defaults"][1], "defaults") if "defaults" in top else {}
        for key in defaults:
            if key in BUILTIN_BRANCH_KEYS:
                self.fail(top["defaults"][1], f"defaults: '{key}' is set per branch, not here")
        required: list[str] = []
        if "required" in top:
            for name, item in self.name_list(top["required"][1], "required"):
                if not VAR_RE.match(name):
                    self.fail(item, f"required: '{name}' is not a variable name")
                else:
                    required.append(name)
        branches: list[Branch] = []
        if "branches" not in top:
            self.fail(root, "the branches file has no 'branches'; list at least one branch")
        else:
            branches = list(self.branches(top["branches"][1], defaults, required))
        return {
            "org": org,
            "defaults": defaults,
            "branches": tuple(branches),
            "required": tuple(required),
        }

    def branches(
        self, node: yaml.Node, defaults: dict[str, str], required: list[str]
    ) -> Iterator[Branch]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.fail(node, "branches must be a list of branches, each starting with '- id:'")
            return
        seen: dict[str, int] = {}
        for index, item in enumerate(node.value, start=1):
            where = f"branch {index}"
            if isinstance(item, yaml.MappingNode):
                for key_node, value_node in item.value:
                    if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
                        where = f"branch '{value_node.value}'"
            fields = self.mapping(
                item, where, BRANCH_KEYS, "a branch's values (phone, address...) go under vars; "
            )
            if not isinstance(item, yaml.MappingNode):
                continue
            branch_id = None
            if "id" not in fields:
                self.fail(item, f"{where} has no 'id'; add a slug such as id: stockholm-city")
            else:
                branch_id = self.text(fields["id"][1], f"{where} id")
                id_node = fields["id"][1]
                if branch_id is not None and (
                    not ID_RE.match(branch_id) or len(branch_id) > MAX_ID_CHARS
                ):
                    self.fail(
                        id_node,
                        f"branch id '{branch_id}' is not a safe slug: use lower-case letters, "
                        f"digits and single '-' (at most {MAX_ID_CHARS}), e.g. stockholm-city",
                    )
                    branch_id = None
                elif branch_id is not None and branch_id in seen:
                    self.fail(
                        id_node,
                        f"branch id '{branch_id}' is used twice (first on line "
                        f"{seen[branch_id]}); every branch needs its own id",
                    )
                    branch_id = None
                elif branch_id is not None:
                    seen[branch_id] = id_node.start_mark.line + 1
                    where = f"branch '{branch_id}'"
            name = None
            if "name" not in fields:
                self.fail(item, f"{where} has no 'name'; add its display name")
            else:
                name = self.text(fields["name"][1], f"{where} name")
            languages: list[str] = []
            if "languages" not in fields:
                self.fail(item, f"{where} has no 'languages'; add e.g. languages: [sv, en]")
            else:
                for code, lang_node in self.name_list(fields["languages"][1], f"{where} languages"):
                    lang = normalise_code(code)
                    if lang not in LANGUAGES:
                        self.fail(
                            lang_node,
                            f"{where} languages: '{code}' is not a supported language "
                            f"({', '.join(LANGUAGES)})",
                        )
                    elif lang in languages:
                        self.fail(lang_node, f"{where} languages: '{code}' is listed twice")
                    else:
                        languages.append(lang)
                if not languages and isinstance(fields["languages"][1], yaml.SequenceNode):
                    self.fail(fields["languages"][1], f"{where} languages: list at least one")
            own = self.variables(fields["vars"][1], f"{where} vars") if "vars" in fields else {}
            for key in own:
                if key in BUILTIN_BRANCH_KEYS:
                    self.fail(fields["vars"][1], f"{where} vars: '{key}' is set above, not here")
            values = {**defaults, **own}
            missing = [key for key in required if key not in values]
            if missing:
                self.fail(
                    item,
                    f"{where} has no {', '.join(repr(k) for k in missing)}, which 'required' "
                    "lists; add it under vars (or to defaults)",
                )
            if branch_id and name and languages:
                yield Branch(branch_id, name, tuple(languages), values, item.start_mark.line + 1)


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    if isinstance(node, yaml.SequenceNode):
        return "list"
    return "value"


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, root: str | None, mtime_ns: int, size: int) -> BranchData:
    return load_branches(Path(path), Path(root) if root is not None else None)


def load_branches_cached(path: Path, root: Path | None = None) -> BranchData:
    """:func:`load_branches`, read again only when the file changes (for the linter,
    which asks once per checked file)."""
    try:
        stat = path.stat()
    except OSError:
        return load_branches(path, root)  # raises a BranchDataError that names the file
    if not S_ISREG(stat.st_mode):
        return load_branches(path, root)  # refused, with the reason; never cached
    # The path as given (not resolved): where a symlink leads is load_branches' to check.
    return _load_cached(
        str(path.absolute()), str(root) if root else None, stat.st_mtime_ns, stat.st_size
    )
