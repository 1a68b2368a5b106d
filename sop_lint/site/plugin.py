"""The MkDocs plugin: ``mkdocs build`` / ``mkdocs serve`` for one branch.

```yaml
plugins:
  - search
  - sop-lint:
      branch: stockholm-city   # SOP_LINT_BRANCH overrides it
      # lang: sv               # one language only (SOP_LINT_LANG); default: all of the branch's
      # branches_file: branches.yml
```

The plugin is a thin layer on MkDocs events over :mod:`sop_lint.site.compose`:
``on_config`` reads the SOPs and the branch data (or takes them from the multi-branch
build), ``on_files`` swaps the SOP folders for the branch's rendered pages, and
``on_post_page`` refuses any page whose HTML still holds ``{{`` or ``{%``. Pages outside
the language folders (the sop-lint guide) pass through untouched.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import html
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from sop_lint.branching.render import NONCE, TOKEN_RE, Shape
from sop_lint.html_policy import sanitise
from sop_lint.languages import LANGUAGES
from sop_lint.safe_io import RefusedRead, check_readable, escapes_root
from sop_lint.site.compose import (
    CSS_PATH,
    ComposedSite,
    branch_home_markdown,
    compose_language,
    stylesheet,
)
from sop_lint.site.i18n import LANGUAGE_NAMES, THEME_LANGUAGE
from sop_lint.site.project import SiteError, SiteProject, refused_file

# MkDocs' own logger: its warnings show in `mkdocs build` and fail a --strict build.
LOG = logging.getLogger("mkdocs.plugins.sop-lint")


class SopLintPluginConfig(base.Config):
    branch = c.Optional(c.Type(str))
    lang = c.Optional(c.Type(str))
    branches_file = c.Optional(c.Type(str))
    lint = c.Type(bool, default=True)
    # Only keep unsafe files out (the guide build): no branch, no SOP pages.
    guard_only = c.Type(bool, default=False)


class SopLintPlugin(BasePlugin[SopLintPluginConfig]):
    """Publishes the SOPs of one branch (see the module documentation)."""

    def __init__(self) -> None:
        super().__init__()
        # Set by the multi-branch build, which reads and checks the SOPs once for all.
        self.preset: tuple[SiteProject, dict[str, ComposedSite]] | None = None
        self.composed: dict[str, ComposedSite] = {}
        self.generated: set[str] = set()
        self.shapes: dict[str, Shape] = {}
        self.single_language: str | None = None
        self.branch_id = ""

    # -- events ---------------------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        _refuse_folders_out_of_the_project(config)
        if self.config.guard_only:
            return config
        if self.preset is not None:  # the multi-branch build says which, not the environment
            self.branch_id, lang = self.config.branch or "", self.config.lang
        else:
            self.branch_id = os.environ.get("SOP_LINT_BRANCH") or self.config.branch or ""
            lang = os.environ.get("SOP_LINT_LANG") or self.config.lang
        try:
            if self.preset is not None:
                project, self.composed = self.preset
                branch = project.data.get(self.branch_id)
                if branch is None:
                    raise SiteError(f"no branch {self.branch_id!r} in the preset project")
            else:
                project = self._load(config)
                branch = self._branch(project)
                languages = [lang] if lang else list(branch.languages)
                self.composed = {
                    code: compose_language(project, branch, code) for code in languages
                }
        except SiteError as exc:
            raise PluginError(str(exc)) from None
        self.project = project
        self.branch = branch
        self.single_language = lang or None
        if lang:
            config.theme["language"] = THEME_LANGUAGE.get(lang, lang)
        if CSS_PATH not in config.extra_css:
            config.extra_css.append(CSS_PATH)
        _cache_theme_listing(config)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        docs_dir = os.path.abspath(config.docs_dir)
        root = self._guard_root(config)
        kept: list[File] = []
        for file in files:
            from_docs = file.src_dir is not None and os.path.abspath(file.src_dir) == docs_dir
            if from_docs and not _publishable(file, root):
                continue
            if from_docs and not self.config.guard_only and self._replaced(file.src_uri):
                continue
            kept.append(file)
        if self.config.guard_only:
            self.generated = set()
            return Files(kept)
        self.generated = set()
        new: list[File] = []

        def add(src_uri: str, content: str | bytes | Path, in_nav: bool = True) -> None:
            # A SOP page reached from its folder's page, not the navigation (many SOPs):
            # no "not in nav" warning, which strict mode would make an error.
            inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
            if isinstance(content, Path):
                try:  # checked again here: the file may have changed since it was found
                    check_readable(content, root)
                except RefusedRead as exc:
                    refused_file(content, str(exc), LOG)
                    return
                new.append(
                    File.generated(config, src_uri, abs_src_path=str(content), inclusion=inclusion)
                )
            else:
                new.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
            self.generated.add(src_uri)

        prefix = "" if self.single_language else "{lang}/"
        self.shapes = {}
        for lang, site in self.composed.items():
            for path, content in site.files.items():
                add(prefix.format(lang=lang) + path, content, path not in site.not_in_nav)
            for path, shape in site.shapes.items():
                self.shapes[prefix.format(lang=lang) + path] = shape
        if not self.single_language:
            add("index.md", branch_home_markdown(self.branch, self.project))
        add(CSS_PATH, stylesheet())
        kept_uris = {f.src_uri for f in new}
        result = Files([f for f in kept if f.src_uri not in kept_uris] + new)
        config.nav = self._nav(config.nav, result)
        self.files_key = _files_key(result, config)
        return result

    def on_pre_page(self, page: Any, *, config: MkDocsConfig, files: Files) -> Any:
        shape = self.shapes.get(page.file.src_uri)
        if shape is not None and shape.plain_values:
            page.render = functools.partial(_render_from_shape, page, shape, self.files_key)
        return page

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        search = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(search, "search_index", None)
        if index is not None and callable(getattr(index, "add_entry_from_context", None)):
            original = index.add_entry_from_context
            if not isinstance(original, functools.partial):
                index.add_entry_from_context = functools.partial(
                    _index_from_shape, original, index, self
                )

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> Any:
        """Speed-ups for building many branches in one process (see :func:`share_work`)."""
        share_work(env, config)
        return env

    def on_page_content(
        self, html_text: str, *, page: Any, config: MkDocsConfig, files: Files
    ) -> str:
        """The HTML made from a page's Markdown, cleaned with the allow-list
        (:mod:`sop_lint.html_policy`): SOPs are untrusted, so no script, event attribute,
        ``javascript:`` link or frame they hold reaches the site. The theme's own HTML
        (navigation, search, scripts) is added after this and is not touched."""
        if page.file.src_uri in self.generated and not getattr(page, "sop_lint_clean", False):
            return sanitise(html_text)
        return html_text

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        if page.file.src_uri in self.generated:
            for marker in ("{{", "{%"):
                at = output.find(marker)
                if at != -1:
                    snippet = output[max(0, at - 40) : at + 40].replace("\n", " ")
                    raise PluginError(
                        f"{page.file.src_uri} (branch {self.branch_id}): '{marker}' is left in "
                        f"the HTML: ...{snippet}...; a template was not rendered"
                    )
        return output

    # -- helpers ------------------------------------------------------------------------
    def _guard_root(self, config: MkDocsConfig) -> Path:
        """The folder symlinks in the docs must stay inside: the project's."""
        project = getattr(self, "project", None)
        if project is not None:
            return Path(project.root)
        return Path(config.config_file_path or config.docs_dir).resolve().parent

    def _replaced(self, src_uri: str) -> bool:
        """Docs files the branch's pages stand in for."""
        if self.single_language:
            return True
        top = src_uri.split("/", 1)[0]
        return top in LANGUAGES or src_uri == "index.md"

    def _load(self, config: MkDocsConfig) -> SiteProject:
        from sop_lint.branching.data import BranchDataError
        from sop_lint.branching.settings import site_settings
        from sop_lint.config import ConfigError, load_config
        from sop_lint.site.project import load_project

        folder = Path(config.config_file_path or ".").resolve().parent
        try:
            sop_config = load_config(folder)
            settings = site_settings(sop_config.sections, sop_config.root, sop_config.source)
            branches_file = (
                folder / self.config.branches_file
                if self.config.branches_file
                else settings.branches_file
            )
            project = load_project(
                sop_config, branches_file, Path(config.docs_dir), lint=self.config.lint
            )
        except (ConfigError, BranchDataError) as exc:
            raise PluginError(str(exc)) from None
        problems = project.template_problems()
        if problems:
            raise PluginError("templates that cannot be published:\n" + "\n".join(problems))
        return project

    def _branch(self, project: SiteProject) -> Any:
        ids = ", ".join(project.data.ids)
        if not self.branch_id:
            raise SiteError(
                "no branch chosen: set SOP_LINT_BRANCH or the sop-lint plugin's 'branch' "
                f"option in mkdocs.yml; branches: {ids}"
            )
        branch = project.data.get(self.branch_id)
        if branch is None:
            raise SiteError(
                f"no branch {self.branch_id!r} in {project.data.path.name}; branches: {ids}"
            )
        return branch

    def _nav(self, nav: list | None, files: Files) -> list:
        """The branch's pages first (per language unless there is one), then the rest of
        the configured nav (e.g. the sop-lint guide)."""

        def entries(site: ComposedSite, prefix: str) -> list:
            return [{title: prefix + path} if title else prefix + path for title, path in site.nav]

        if self.single_language:
            return entries(self.composed[self.single_language], "")
        sections: list[Any] = [{"Home": "index.md"}]
        for lang, site in self.composed.items():
            sections.append({LANGUAGE_NAMES.get(lang, lang): entries(site, f"{lang}/")})
        if nav is None:
            rest = sorted(
                f.src_uri for f in files.documentation_pages() if f.src_uri not in self.generated
            )
            return sections + rest
        return sections + [item for item in nav if not (_refs(item) & _replaced_refs(self))]


def _refuse_folders_out_of_the_project(config: MkDocsConfig) -> None:
    """Stop before MkDocs lists the docs: it follows symlinked folders, so a link to ``/``
    would have it walk the whole machine (each file would then be refused, one by one)."""
    docs_dir = Path(config.docs_dir)
    root = Path(config.config_file_path or docs_dir).resolve().parent
    found = []
    for folder, subfolders, _files in os.walk(docs_dir):  # does not follow symlinks
        for name in subfolders:
            path = Path(folder) / name
            if path.is_symlink() and escapes_root(path, root) is not None:
                found.append(path)
    if found:
        shown = ", ".join(os.path.relpath(p) for p in found[:5])
        raise PluginError(
            f"{shown}: a symlink to a folder outside the project; nothing in it may be "
            "published. Remove the link, or copy the files into the project."
        )


def _publishable(file: File, root: Path) -> bool:
    """Whether a docs file may be published: :mod:`sop_lint.safe_io` would read it. MkDocs
    follows symlinks, so a link to ``/etc/passwd`` or ``/proc/self/environ`` would
    otherwise be copied into the site; it is left out with a warning naming it."""
    if file.abs_src_path is None:
        return True
    try:
        check_readable(Path(file.abs_src_path), root)
    except RefusedRead as exc:
        refused_file(Path(file.abs_src_path), str(exc), LOG)
        return False
    return True


def _refs(item: Any) -> set[str]:
    """The top folders (or "index.md") of the pages a nav item refers to."""
    if isinstance(item, str):
        return {item.split("/", 1)[0] if "/" in item else item}
    if isinstance(item, dict):
        out: set[str] = set()
        for value in item.values():
            out |= _refs(value)
        return out
    if isinstance(item, list):
        out = set()
        for value in item:
            out |= _refs(value)
        return out
    return set()


def _replaced_refs(plugin: SopLintPlugin) -> set[str]:
    return {*LANGUAGES, "index.md"}


# -- building many branches in one process -------------------------------------------------
#
# The multi-branch build runs one MkDocs build per branch and language, several in each
# process. Two things Material does for every build do not depend on the branch: compiling
# its templates, and drawing the navigation of each page (the same titles and links in every
# branch: only the site name differs). Both are kept for the next build in the process.


_LISTINGS: dict[Any, list[str]] = {}


def _cache_theme_listing(config: MkDocsConfig) -> None:
    """MkDocs lists the theme's files (hundreds) for every build; list them once."""
    theme = config.theme
    get_env = theme.get_env
    if getattr(get_env, "sop_lint_cached", False):
        return

    def cached_env() -> jinja2.Environment:
        env = get_env()
        list_templates = env.list_templates

        def listing(extensions: Any = None, filter_func: Any = None) -> list[str]:
            if extensions is not None or filter_func is None:
                return list_templates(extensions, filter_func)
            key = (tuple(theme.dirs), tuple(sorted(theme.static_templates)))
            if key not in _LISTINGS:
                _LISTINGS[key] = list_templates(filter_func=filter_func)
            return list(_LISTINGS[key])

        env.list_templates = listing  # type: ignore[method-assign]
        return env

    cached_env.sop_lint_cached = True  # type: ignore[attr-defined]
    theme.get_env = cached_env  # type: ignore[method-assign]


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled theme templates, kept in memory for the next build in this process."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()
_NAV_CACHE: dict[tuple[str, str | None], str] = {}
_NAV_CACHE_LIMIT = 20_000
# Stand-ins for the site name in cached navigation HTML; the nonce makes them unforgeable.
_SITE = f"\x00sop-lint-site-name-{NONCE}\x00"
_SITE_ESCAPED = f"\x00sop-lint-site-name-escaped-{NONCE}\x00"


def _nav_fingerprint(nav: Any, config: MkDocsConfig) -> str:
    """Everything the navigation HTML depends on except the page and the site name."""

    def walk(items: list) -> Iterator[str]:
        for item in items:
            meta = getattr(item, "meta", None) or {}
            yield repr((type(item).__name__, item.title, getattr(item, "url", None)))
            yield repr((meta.get("icon"), meta.get("status"), meta.get("hide")))
            children = getattr(item, "children", None)
            if children:
                yield "["
                yield from walk(children)
                yield "]"

    theme = config.theme
    parts = [
        *walk(nav.items if nav is not None else []),
        repr(theme.get("language")),
        repr(theme.get("features")),
        repr(theme.get("icon")),
        repr(theme.get("logo")),
        repr(config.repo_url),
        repr(config.extra.get("homepage")),
    ]
    return hashlib.blake2b("\n".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def share_work(env: jinja2.Environment, config: MkDocsConfig) -> None:
    """Reuse compiled templates and each page's navigation HTML across builds.

    Only for Material's ``partials/nav.html``; with another theme, or a Material without
    that partial, nothing is cached and MkDocs renders as usual.
    """
    env.bytecode_cache = _BYTECODE
    try:
        template = env.get_template("partials/nav.html")
    except jinja2.TemplateNotFound:
        return
    render = template.root_render_func
    if getattr(render, "sop_lint_cached", False):
        return
    site = str(config.site_name)
    escaped = html.escape(site)

    def cached(context: Any) -> Iterator[str]:
        page = context.get("page")
        nav = context.get("nav")
        fingerprint = getattr(nav, "sop_lint_fingerprint", None)
        if fingerprint is None and nav is not None:
            fingerprint = _nav_fingerprint(nav, config)
            nav.sop_lint_fingerprint = fingerprint
        key = (fingerprint or "", getattr(page, "url", None))
        text = _NAV_CACHE.get(key)
        if text is None:
            text = "".join(render(context))
            if len(_NAV_CACHE) < _NAV_CACHE_LIMIT:
                _NAV_CACHE[key] = text.replace(escaped, _SITE_ESCAPED).replace(site, _SITE)
            yield text
        else:
            yield text.replace(_SITE_ESCAPED, escaped).replace(_SITE, site)

    cached.sop_lint_cached = True  # type: ignore[attr-defined]
    template.root_render_func = cached  # type: ignore[method-assign]


# Each SOP page's HTML, made once from its shape and shared by the branches whose page has
# the same shape: the values are filled into the HTML. Only when every token sits in text
# (not in a tag, an id, a heading or a link), and converting gave no warning.
_HTML_CACHE: dict[tuple[str, str, str], Any] = {}
_HTML_CACHE_LIMIT = 5_000
_UNUSABLE = object()
_TOKEN_IN_TAG = re.compile(r"<[^>]*" + TOKEN_RE.pattern + r"[^>]*>")


def _files_key(files: Files, config: MkDocsConfig) -> str:
    """What link conversion depends on: the site's files and the Markdown settings."""
    parts = sorted(f"{f.src_uri}\t{f.url}" for f in files)
    parts.append(repr(config.markdown_extensions))
    parts.append(repr(sorted((config.mdx_configs or {}).items(), key=lambda kv: kv[0])))
    parts.append(repr(config.use_directory_urls))
    return hashlib.blake2b("\n".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def _toc_titles(items: Any) -> Iterator[str]:
    for item in items or []:
        yield str(item.title)
        yield from _toc_titles(getattr(item, "children", None))


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _render_from_shape(page: Any, shape: Shape, files_key: str, config: Any, files: Any) -> None:
    """``Page.render`` for a page with a shape: convert the shape once, fill the values."""
    from mkdocs.structure.pages import Page

    key = (
        hashlib.blake2b(shape.text.encode("utf-8"), digest_size=16).hexdigest(),
        page.file.src_uri,
        files_key,
    )
    entry = _HTML_CACHE.get(key)
    if entry is None:
        logger = logging.getLogger("mkdocs")
        capture = _Capture()
        handlers = logger.handlers[:]
        logger.handlers[:] = [capture]  # warnings of the shape are not this branch's
        real = page.markdown
        try:
            page.markdown = shape.text
            Page.render(page, config, files)
        finally:
            logger.handlers[:] = handlers
            page.markdown = real
        usable = (
            capture.count == 0
            and not _TOKEN_IN_TAG.search(page.content)
            and len(set(TOKEN_RE.findall(page.content))) == len(set(TOKEN_RE.findall(shape.text)))
            and not any(TOKEN_RE.search(t) for t in _toc_titles(page.toc))
            and not TOKEN_RE.search(page._title_from_render or "")
        )
        entry = (
            (
                sanitise(page.content),  # once per shape, not once per branch
                page.toc,
                page._title_from_render,
                page.present_anchor_ids,
                {f.src_uri: v for f, v in (page.links_to_anchors or {}).items()},
            )
            if usable
            else _UNUSABLE
        )
        if len(_HTML_CACHE) < _HTML_CACHE_LIMIT:
            _HTML_CACHE[key] = entry
    if entry is _UNUSABLE:
        Page.render(page, config, files)  # the branch's own Markdown, as MkDocs would
        return
    content, toc, title, anchors, links = entry
    page.sop_lint_shape = (key, content)  # for the search index (see _index_from_shape)
    page.content = shape.fill_html(content)  # values are escaped: the page stays clean
    page.sop_lint_clean = True
    page.toc = copy.deepcopy(toc)
    page._title_from_render = title
    page.present_anchor_ids = set(anchors or ())
    page.links_to_anchors = {
        files.get_file_from_path(uri): v
        for uri, v in links.items()
        if files.get_file_from_path(uri) is not None
    }


_SEARCH_CACHE: dict[Any, list[dict[str, Any]]] = {}


def _index_from_shape(original: Any, index: Any, plugin: SopLintPlugin, page: Any) -> None:
    """Material's search entries of a page made from a shared shape: made once from the
    shape's HTML, then the values filled in (as for the page's HTML)."""
    made = getattr(page, "sop_lint_shape", None)
    shape = plugin.shapes.get(page.file.src_uri)
    if made is None or shape is None:
        original(page)
        return
    key, shape_html = made
    cached = _SEARCH_CACHE.get(key)
    if cached is None:
        start = len(index.entries)
        filled = page.content
        page.content = shape_html
        try:
            original(page)
        finally:
            page.content = filled
        cached = copy.deepcopy(index.entries[start:])
        del index.entries[start:]
        if len(_SEARCH_CACHE) < _HTML_CACHE_LIMIT:
            _SEARCH_CACHE[key] = cached
    for entry in cached:
        entry = dict(entry)
        for field in ("title", "text"):
            if isinstance(entry.get(field), str):
                entry[field] = shape.fill_html(entry[field])
        index.entries.append(entry)
