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

import os
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from sop_lint.languages import LANGUAGES
from sop_lint.site.compose import (
    CSS_PATH,
    ComposedSite,
    branch_home_markdown,
    compose_language,
    stylesheet,
)
from sop_lint.site.i18n import LANGUAGE_NAMES, THEME_LANGUAGE
from sop_lint.site.project import SiteError, SiteProject


class SopLintPluginConfig(base.Config):
    branch = c.Optional(c.Type(str))
    lang = c.Optional(c.Type(str))
    branches_file = c.Optional(c.Type(str))
    lint = c.Type(bool, default=True)


class SopLintPlugin(BasePlugin[SopLintPluginConfig]):
    """Publishes the SOPs of one branch (see the module documentation)."""

    def __init__(self) -> None:
        super().__init__()
        # Set by the multi-branch build, which reads and checks the SOPs once for all.
        self.preset: tuple[SiteProject, dict[str, ComposedSite]] | None = None
        self.composed: dict[str, ComposedSite] = {}
        self.generated: set[str] = set()
        self.single_language: str | None = None
        self.branch_id = ""

    # -- events ---------------------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
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
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        docs_dir = os.path.abspath(config.docs_dir)
        kept: list[File] = []
        for file in files:
            from_docs = file.src_dir is not None and os.path.abspath(file.src_dir) == docs_dir
            if from_docs and self._replaced(file.src_uri):
                continue
            kept.append(file)
        self.generated = set()
        new: list[File] = []

        def add(src_uri: str, content: str | bytes | Path) -> None:
            if isinstance(content, Path):
                new.append(File.generated(config, src_uri, abs_src_path=str(content)))
            else:
                new.append(File.generated(config, src_uri, content=content))
            self.generated.add(src_uri)

        prefix = "" if self.single_language else "{lang}/"
        for lang, site in self.composed.items():
            for path, content in site.files.items():
                add(prefix.format(lang=lang) + path, content)
        if not self.single_language:
            add("index.md", branch_home_markdown(self.branch, self.project))
        add(CSS_PATH, stylesheet())
        kept_uris = {f.src_uri for f in new}
        result = Files([f for f in kept if f.src_uri not in kept_uris] + new)
        config.nav = self._nav(config.nav, result)
        return result

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
    def _replaced(self, src_uri: str) -> bool:
        """Docs files the branch's pages stand in for."""
        if self.single_language:
            return True
        top = src_uri.split("/", 1)[0]
        return top in LANGUAGES or src_uri == "index.md"

    def _load(self, config: MkDocsConfig) -> SiteProject:
        from sop_lint.config import ConfigError, load_config
        from sop_lint.site.branches import BranchDataError
        from sop_lint.site.project import load_project
        from sop_lint.site.settings import site_settings

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
