"""``sop-lint site render``: one branch's rendered Markdown as a plain docs folder.

The folder holds ``index.md`` (the branch's languages), ``<lang>/index.md``,
``<lang>/<slug>.md`` (header and body rendered for the branch), ``<lang>/dashboard.md``
with its charts, and ``assets/stylesheets/sop-lint.css`` (add it to ``extra_css``). Any
MkDocs-compatible engine builds it; nothing in it needs sop-lint or a plugin.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from sop_lint.branching.data import BranchDataError
from sop_lint.branching.settings import site_settings
from sop_lint.config import Config, ConfigError
from sop_lint.safe_io import RefusedRead, read_guarded
from sop_lint.site.compose import CSS_PATH, branch_home_markdown, compose_language, stylesheet
from sop_lint.site.project import SiteError, load_project, refused_file

MARKER = ".sop-lint-render"


def _swap_in(staging: Path, out: Path) -> None:
    """Make ``out`` the new folder so that its path always holds the old folder or the
    new one: one atomic exchange where the system has it, else two renames that put the
    old folder back if the second fails."""
    from sop_lint.site.build import _exchange

    if not out.exists():
        os.replace(staging, out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # the old folder, now at staging
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.replace(out, old)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def docs_folder(config: Config) -> Path:
    """The SOPs' folder: MkDocs' ``docs_dir`` when there is a MkDocs file, else ``docs``."""
    from sop_lint.site.build import docs_dir_of, read_mkdocs_yml

    settings = site_settings(config.sections, config.root, config.source)
    if settings.mkdocs_file.is_file():
        return docs_dir_of(settings.mkdocs_file, read_mkdocs_yml(settings.mkdocs_file))
    return (config.root / config.docs[0]).resolve()


def render_folder(config: Config, branch_id: str, out: Path, langs: list[str] | None = None) -> int:
    """Write ``branch_id``'s docs folder to ``out`` (replaced as a whole); returns the
    number of files written."""
    settings = site_settings(config.sections, config.root, config.source)
    try:
        project = load_project(config, settings.branches_file, docs_folder(config))
    except BranchDataError as exc:
        raise ConfigError(f"invalid branches file:\n{exc}") from None
    problems = project.template_problems()
    if problems:
        raise SiteError("templates that cannot be published:\n" + "\n".join(problems))
    branch = project.data.get(branch_id)
    if branch is None:
        raise SiteError(
            f"no branch {branch_id!r} in {project.data.path.name}; "
            f"branches: {', '.join(project.data.ids)}"
        )
    for lang in langs or []:
        if lang not in branch.languages:
            raise SiteError(f"{branch_id} publishes in {', '.join(branch.languages)}, not {lang!r}")
    out = out.resolve()
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SiteError(f"{out} is not empty and was not written by sop-lint; choose another")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    count = 0
    try:
        for lang in langs or branch.languages:
            site = compose_language(project, branch, lang)
            for relative, content in site.files.items():
                target = staging / lang / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(content, Path):
                    # Read through the guard again (not copyfile, which follows any
                    # symlink): the file may have been swapped since it was found.
                    try:
                        target.write_bytes(read_guarded(content, project.root))
                    except RefusedRead as exc:
                        refused_file(content, str(exc))
                        continue
                elif isinstance(content, bytes):
                    target.write_bytes(content)
                else:
                    target.write_text(content, "utf-8", newline="\n")
                count += 1
        (staging / "index.md").write_text(branch_home_markdown(branch, project), "utf-8")
        css = staging / CSS_PATH
        css.parent.mkdir(parents=True, exist_ok=True)
        css.write_text(stylesheet(), "utf-8")
        (staging / MARKER).write_text(branch_id + "\n", "utf-8")
        count += 2
        try:
            _swap_in(staging, out)
        except OSError as exc:
            raise SiteError(
                f"{out}: the new folder could not be put in place ({exc.strerror or exc}); "
                "the old one is still there. Check the folder's permissions and try again"
            ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return count
