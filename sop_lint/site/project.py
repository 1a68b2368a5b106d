"""The SOPs of a docs folder, read, checked and measured once for every branch.

Everything here is independent of the branch: which pages exist (``docs/<lang>/<slug>.md``),
their front matter, their templates (checked against the sandbox's allow-list), what
``sop-lint check`` finds in them and how readable they are. The multi-branch build does
this once, then hands the result to one process per branch.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sop_lint.branching.data import Branch, BranchData, applies_to_ids, load_branches
from sop_lint.branching.lint import BRANCH_NOTE_RE
from sop_lint.branching.overrides import override_of
from sop_lint.branching.render import (
    TemplateProblem,
    compile_template,
    page_title,
    publish_problems,
)
from sop_lint.config import Config
from sop_lint.engine import MAX_FILE_BYTES, check_paths, display_path
from sop_lint.languages import LANGUAGES
from sop_lint.languages.base import Readability
from sop_lint.model import Finding, Severity
from sop_lint.parser import normalise_source, split_front_matter
from sop_lint.rules.base import find_rule
from sop_lint.rules.readability import grade
from sop_lint.safe_io import RefusedRead, check_readable, read_guarded_text

RESERVED_SLUGS = ("index", "dashboard")
LOG = logging.getLogger("sop_lint.site")


class SiteError(Exception):
    """The site cannot be built; the message says what to fix (with file and line)."""


@dataclass(slots=True)
class SopPage:
    """One SOP file in one language, as every branch shares it."""

    path: Path
    rel: str  # as findings show it: "docs/en/tow-truck-dispatch.md"
    lang: str
    slug: str  # inside the language folder, without ".md": "tow-truck-dispatch"
    metadata: dict[str, Any]
    front_matter: str  # the raw front matter block, "---" lines included
    body: str
    body_line: int
    readability: Readability | None = None
    level: str | None = None  # readability graded: ok, warning, error (None: not graded)
    findings: list[Finding] = field(default_factory=list)
    problems: list[TemplateProblem] = field(default_factory=list)
    front_matter_out: str | None = None  # what the site's page starts with (made once)
    # A branch's own copy (docs/<lang>/branches/<id>/<slug>.md): that branch's id. It is
    # published by that branch only, in place of the standard page with the same slug.
    override: str | None = None

    @property
    def sop_id(self) -> str:
        return str(self.metadata.get("id") or self.slug)

    @property
    def title(self) -> str:
        return page_title(self.metadata, self.body, self.slug)[0]

    def date(self, key: str) -> datetime.date | None:
        value = self.metadata.get(key)
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                return None
        return None

    def text(self, key: str) -> str:
        value = self.metadata.get(key)
        return "" if value is None else str(value)

    def applies_to(self, branch: Branch) -> bool:
        wanted = applies_to_ids(self.metadata.get("applies_to"))
        return self.lang in branch.languages and (wanted is None or branch.id in wanted)

    def findings_for(self, branch_id: str) -> list[Finding]:
        """What ``sop-lint check`` finds in this page as ``branch_id`` reads it: the
        source's findings, and those that only that branch's text has."""
        out = []
        for finding in self.findings:
            note = BRANCH_NOTE_RE.search(finding.message)
            if note is None or branch_id in note[1].split(", "):
                out.append(finding)
        return out


@dataclass(slots=True)
class SiteProject:
    """The branch data and every SOP page, checked; the input of every branch's site."""

    root: Path
    docs_dir: Path
    data: BranchData
    pages: list[SopPage]
    assets: dict[str, list[tuple[str, Path]]]  # lang -> (path in the language folder, file)
    today: datetime.date
    _by_slug: dict[tuple[str, str], SopPage] = field(default_factory=dict, repr=False)
    _indexed: int = field(default=-1, repr=False)  # len(pages) when _by_slug was made

    def pages_for(self, branch: Branch, lang: str) -> list[SopPage]:
        """The pages ``branch`` publishes in ``lang``, ordered by SOP id: the standard
        pages the branch publishes, each replaced by the branch's own copy if it has one."""
        copies = {p.slug: p for p in self.pages if p.override == branch.id and p.lang == lang}
        chosen = [
            copies.get(p.slug, p)
            for p in self.pages
            if p.override is None and p.lang == lang and p.applies_to(branch)
        ]
        return sorted(chosen, key=lambda p: (_natural(p.sop_id), p.slug))

    def page(self, lang: str, slug: str) -> SopPage | None:
        """The standard page (not a branch's copy) at ``slug`` in ``lang``."""
        if self._indexed != len(self.pages):  # pages were added: index them again
            self._by_slug.clear()
            self._by_slug.update({(p.lang, p.slug): p for p in self.pages if p.override is None})
            self._indexed = len(self.pages)
        return self._by_slug.get((lang, slug))

    def template_problems(self) -> list[str]:
        """Template errors (syntax, refused code) that stop the build for every branch."""
        out = []
        for page in self.pages:
            for problem in page.problems:
                out.append(f"{page.rel}:{problem.line}: {problem.message}")
        return out


def _natural(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def find_sop_files(
    docs_dir: Path, root: Path | None = None
) -> tuple[list[tuple[str, Path]], dict[str, list]]:
    """SOP files (``<lang>/**/*.md``) and other files in the language folders.

    A file :mod:`sop_lint.safe_io` would not read (a symlink that leads outside ``root``,
    such as one to ``/etc/passwd``; a device or pipe) is left out with a warning naming it:
    it is neither a page nor copied as a file of the site.
    """
    sops: list[tuple[str, Path]] = []
    assets: dict[str, list[tuple[str, Path]]] = {}
    guard_root = root if root is not None else docs_dir
    for lang in LANGUAGES:
        folder = docs_dir / lang
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if any(part.startswith(".") for part in path.relative_to(docs_dir).parts):
                continue
            if path.is_dir() and not path.is_symlink():
                continue
            try:
                check_readable(path, guard_root)
            except RefusedRead as exc:
                if path.is_dir():  # rglob does not enter a symlinked folder; say so
                    refused_file(path, "is a symlink out of the project", what="folder")
                else:
                    refused_file(path, str(exc))
                continue
            if path.suffix == ".md":
                sops.append((lang, path))
            else:
                assets.setdefault(lang, []).append((path.relative_to(folder).as_posix(), path))
    return sops, assets


def refused_file(
    path: Path | str, reason: str, log: logging.Logger | None = None, what: str = "file"
) -> None:
    """Say that a file in the docs is not published, and why (a warning, not an error:
    the rest of the site is built)."""
    # Not display_path: that resolves the symlink, and the writer needs the link's name.
    shown = os.path.abspath(path)
    with contextlib.suppress(ValueError):
        shown = Path(shown).relative_to(os.getcwd()).as_posix()
    # On sop-lint's own logger (site build, site render) in the CLI's warning style; on
    # MkDocs' logger (the plugin), MkDocs adds its own "WARNING".
    prefix = "" if log is not None else "sop-lint: warning: "
    (log or LOG).warning(
        "%s%s: not published: the %s %s", prefix, shown, what, reason.removeprefix("file ")
    )


def load_project(
    config: Config,
    branches_file: Path,
    docs_dir: Path,
    *,
    today: datetime.date | None = None,
    jobs: int | None = None,
    lint: bool = True,
) -> SiteProject:
    """Read the branches file and every SOP under ``docs_dir``; check them with the
    rules ``config`` turns on (``lint=False`` skips the rules: no dashboard counts)."""
    data = load_branches(branches_file, config.root)
    files, assets = find_sop_files(docs_dir, config.root)
    if not files:
        raise SiteError(
            f"{docs_dir}: no SOPs found; put them in language folders such as "
            f"{docs_dir / 'en'}/returns.md"
        )
    today = today or config.today or datetime.date.today()
    lint_config = config
    if lint:
        if "branches" not in config.sections:
            lint_config = _with_branches_section(config, branches_file)
        report = check_paths([p for _, p in files], lint_config, jobs=jobs, with_stats=True)
        results: Iterable[Any] = report.files
    else:
        results = [None] * len(files)
    options = _readability_options(config)
    pages = []
    for (lang, path), result in zip(files, results, strict=True):
        try:
            source = read_guarded_text(path, config.root, MAX_FILE_BYTES)
        except RefusedRead as exc:
            raise SiteError(f"{display_path(path)}: {exc}") from None
        source = normalise_source(source)  # the same lines and columns as `check`
        metadata, metadata_lines, body_line, _problems = split_front_matter(source)
        lines = source.split("\n")
        front = "\n".join(lines[: body_line - 1])
        body = "\n".join(lines[body_line - 1 :])
        slug = path.relative_to(docs_dir / lang).with_suffix("").as_posix()
        override = override_of(f"{lang}/{slug}.md")
        if override is not None:
            slug = override.standard.removeprefix(f"{lang}/").removesuffix(".md")
        page = SopPage(
            path=path,
            rel=display_path(path),
            lang=lang,
            slug=slug,
            metadata=metadata,
            front_matter=front,
            body=body,
            body_line=body_line,
            override=override.branch_id if override is not None else None,
        )
        if slug in RESERVED_SLUGS:
            raise SiteError(
                f"{page.rel}: '{slug}.md' is a page the site makes itself; rename the SOP"
            )
        if result is not None:
            page.findings = result.findings
            if result.stats is not None:
                page.readability = result.stats.readability
                page.level = _level(page.readability, options)
        if "{{" in body or "{%" in body or "{#" in body:
            page.problems = list(compile_template(body, body_line).problems)
        # What the page would show as template syntax, decided as `check` decides it (J002).
        page.problems += publish_problems(metadata, metadata_lines, body, body_line)
        pages.append(page)
    pages = _published_copies(pages, data)
    return SiteProject(
        root=config.root,
        docs_dir=docs_dir,
        data=data,
        pages=pages,
        assets=assets,
        today=today,
    )


def _published_copies(pages: list[SopPage], data: BranchData) -> list[SopPage]:
    """``pages`` without the branch copies that cannot be published, each named in a
    warning: a copy of a page that does not exist, or for a branch that does not."""
    standard = {(p.lang, p.slug) for p in pages if p.override is None}
    kept = []
    for page in pages:
        if page.override is not None:
            if data.get(page.override) is None:
                refused_file(
                    page.path,
                    f"is a copy for branch '{page.override}', which is not in "
                    f"{data.path.name}; rename its folder to a branch id: " + ", ".join(data.ids),
                    what="branch copy",
                )
                continue
            if (page.lang, page.slug) not in standard:
                refused_file(
                    page.path,
                    f"is a copy of {page.lang}/{page.slug}.md, which does not exist; a "
                    "branch copy needs the standard SOP it replaces (same file name, two "
                    "folders up)",
                    what="branch copy",
                )
                continue
        kept.append(page)
    return kept


def _with_branches_section(config: Config, branches_file: Path) -> Config:
    """``config`` with a ``branches`` table naming ``branches_file``, so the lint checks
    templates against the same branch data the build uses."""
    import dataclasses

    try:
        relative = branches_file.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        relative = str(branches_file.resolve())
    sections = {**config.sections, "branches": {"file": relative}}
    return dataclasses.replace(config, sections=sections)


def _readability_options(config: Config) -> dict[str, Any]:
    rule = find_rule("hard-to-read-document")
    if rule is None:
        return {}
    options = dict(rule.options)
    settings = config.rules.get(rule.code)
    if settings is not None:
        options.update(settings.options)
    return options


def _level(reading: Readability | None, options: dict[str, Any]) -> str | None:
    if reading is None or reading.score is None or not options:
        return None
    severity, _target = grade(reading, options)
    if severity is None:
        return "ok"
    return "error" if severity >= Severity.ERROR else "warning"


# -- the MkDocs configuration, read without running it -------------------------------------


class PythonTag:
    """A ``!!python/...`` value in ``mkdocs.yml``, kept as text and never run.

    Material's documented configuration names Python objects this way (``emoji_index:
    !!python/name:material.extensions.emoji.twemoji``); sop-lint only needs the rest of the
    file, and MkDocs itself resolves these when it loads the configuration.
    """

    __slots__ = ("tag", "value")

    def __init__(self, tag: str, value: Any) -> None:
        self.tag = tag
        self.value = value

    def __repr__(self) -> str:
        return f"!!{self.tag.removeprefix('tag:yaml.org,2002:')} {self.value!r}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PythonTag) and (self.tag, self.value) == (other.tag, other.value)

    def __hash__(self) -> int:
        return hash(self.tag)


class MkDocsSafeLoader(yaml.SafeLoader):
    """Safe YAML that knows MkDocs' own tags: ``!ENV`` (read from the environment, as
    MkDocs does), ``!relative`` (kept as its text) and any ``!!python/...`` (a
    :class:`PythonTag`, inert). Nothing in the file can run code inside sop-lint."""


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> PythonTag:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return PythonTag("python/" + suffix, value)


def _relative_tag(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    import yaml_env_tag  # MkDocs' own dependency: the same !ENV as MkDocs

    return yaml_env_tag.construct_env_tag(loader, node)


MkDocsSafeLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)
MkDocsSafeLoader.add_constructor("!relative", _relative_tag)
MkDocsSafeLoader.add_constructor("!ENV", _env_tag)

MAX_MKDOCS_BYTES = 1024 * 1024


def load_mkdocs_yaml(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """``mkdocs.yml`` as data, read safely (see :class:`MkDocsSafeLoader`), with its
    ``INHERIT`` parent merged in the way MkDocs merges it."""
    shown = display_path(path)
    try:
        text = read_guarded_text(path, path.parent, MAX_MKDOCS_BYTES)
    except RefusedRead as exc:
        raise SiteError(f"{shown}: {exc}") from None
    try:
        data = yaml.load(text, Loader=MkDocsSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f":{mark.line + 1}" if mark is not None else ""
        raise SiteError(f"{shown}{where}: not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise SiteError(f"{shown}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SiteError(f"{shown}: not a MkDocs configuration (it must be 'key: value' lines)")
    inherit = data.pop("INHERIT", None)
    if inherit is not None:
        import mergedeep  # MkDocs' own dependency: the same merge as MkDocs

        parent = (path.parent / str(inherit)).resolve()
        if parent in _seen:
            raise SiteError(f"{shown}: INHERIT: {inherit} inherits from this file again")
        if not parent.is_file():
            raise SiteError(f"{shown}: INHERIT: {inherit} does not exist ({parent})")
        data = mergedeep.merge(load_mkdocs_yaml(parent, (*_seen, path.resolve())), data)
    return data
