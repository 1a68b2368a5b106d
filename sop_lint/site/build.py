"""``sop-lint site build``: every branch, each language, into ``site/<branch>/<lang>/``.

1. Once, for all branches: read the branch data and the SOPs, check the templates against
   the sandbox, lint and measure every page (:func:`~sop_lint.site.project.load_project`).
   A template error stops here, for every branch, with file and line.
2. One job per branch, in parallel processes: compose the branch's pages per language and
   build each with MkDocs (strict) into a staging folder, then check the output: no
   ``{{``/``{%`` left, no broken links, nothing loaded from another host.
3. Each branch that passed replaces its old folder in one rename; a branch that failed
   names itself and leaves its old folder as it was. Then the landing page lists them.

The writers' guide (``docs/guide/``) is built alongside as ``site/guide/``.
"""

from __future__ import annotations

import contextlib
import datetime
import html
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sop_lint.config import Config, ConfigError
from sop_lint.site.branches import Branch, BranchDataError
from sop_lint.site.i18n import LANGUAGE_NAMES, SEARCH_LANGUAGES, THEME_LANGUAGE
from sop_lint.site.project import SiteError, SiteProject, load_project
from sop_lint.site.settings import site_settings

BRANCH_MARKER = ".sop-lint-branch"  # marks folders this build owns (and may replace)
GUIDE = "guide"


@dataclass(slots=True)
class JobOutcome:
    """What building one branch (or the guide) produced."""

    name: str
    ok: bool
    languages: list[str] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    error: str = ""


@dataclass(slots=True)
class BuildReport:
    """The whole build: per-job outcomes, where it went, and how long each part took."""

    output: Path
    outcomes: list[JobOutcome]
    prepare_seconds: float
    seconds: float

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outcomes)

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes if o.name != GUIDE)

    @property
    def failed(self) -> list[JobOutcome]:
        return [o for o in self.outcomes if not o.ok]


@dataclass(slots=True)
class _Plan:
    project: SiteProject
    mkdocs_file: Path
    base: dict[str, Any]
    staging: Path
    empty_docs: Path


_PLAN: _Plan | None = None


def _init_worker(plan: _Plan) -> None:
    global _PLAN
    _PLAN = plan
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


# -- MkDocs --------------------------------------------------------------------------------


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    """The MkDocs configuration as written, read with a safe loader that knows MkDocs'
    tags (``!ENV`` works; ``!!python/...`` is kept as text, never run)."""
    from sop_lint.site.project import load_mkdocs_yaml

    if not path.is_file():
        raise SiteError(f"{path}: MkDocs configuration not found; set [tool.sop-lint.site] mkdocs")
    return load_mkdocs_yaml(path)


def docs_dir_of(mkdocs_file: Path, base: dict[str, Any]) -> Path:
    return (mkdocs_file.parent / str(base.get("docs_dir", "docs"))).resolve()


def _plugins(base: dict[str, Any], search_lang: list[str], own: dict | None) -> list:
    """The configured plugins with search set to ``search_lang`` and the sop-lint plugin
    given ``own`` options (or left out when ``own`` is None)."""
    out: list[Any] = []
    seen_search = False
    for item in base.get("plugins") or ["search"]:
        name, options = (item, {}) if isinstance(item, str) else next(iter(item.items()))
        options = dict(options or {})
        if name in ("search", "material/search"):
            seen_search = True
            options["lang"] = search_lang
        elif name == "sop-lint":
            continue
        out.append({name: options})
    if not seen_search:
        out.insert(0, {"search": {"lang": search_lang}})
    if own is not None:
        out.append({"sop-lint": own})
    return out


def mkdocs_config(plan: _Plan, branch: Branch, lang: str, site_dir: Path) -> Any:
    """The MkDocs configuration of one branch's site in one language."""
    from mkdocs.config import load_config

    base = plan.base
    theme = dict(base.get("theme") or {"name": "material"})
    theme["language"] = THEME_LANGUAGE.get(lang, lang)
    theme["font"] = False
    extra = dict(base.get("extra") or {})
    if len(branch.languages) > 1:
        extra["alternate"] = [
            {"name": LANGUAGE_NAMES.get(code, code), "link": f"../{code}/", "lang": code}
            for code in branch.languages
        ]
    site_name = str(base.get("site_name") or "Procedures")
    return load_config(
        config_file=str(plan.mkdocs_file),
        docs_dir=str(plan.empty_docs),
        site_dir=str(site_dir),
        site_name=f"{site_name}: {html.escape(branch.name)}",  # the theme writes it as HTML
        theme=theme,
        extra=extra,
        plugins=_plugins(
            base, SEARCH_LANGUAGES.get(lang, ["en"]), {"branch": branch.id, "lang": lang}
        ),
        strict=True,
        use_directory_urls=True,
    )


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _quiet_mkdocs() -> Iterator[_Collect]:
    """Keep MkDocs' log for the error message instead of printing it per site."""
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def run_mkdocs(config: Any) -> None:
    """Build one MkDocs site; a failure is a :class:`SiteError` with MkDocs' warnings."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    with _quiet_mkdocs() as log:
        try:
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except (MkDocsException, SystemExit) as exc:
            details = "; ".join(dict.fromkeys(log.messages)) or str(exc)
            raise SiteError(f"MkDocs: {details}") from None


# -- jobs ----------------------------------------------------------------------------------


def _build_branch(branch_id: str) -> JobOutcome:
    plan = _PLAN
    assert plan is not None
    start = time.perf_counter()
    branch = plan.project.data.get(branch_id)
    assert branch is not None
    target = plan.staging / branch_id
    outcome = JobOutcome(branch_id, ok=False, languages=list(branch.languages))
    try:
        from sop_lint.site.compose import compose_language

        for lang in branch.languages:
            composed = compose_language(plan.project, branch, lang)
            config = mkdocs_config(plan, branch, lang, target / lang)
            config.plugins["sop-lint"].preset = (plan.project, {lang: composed})
            try:
                run_mkdocs(config)
            except SiteError as exc:
                raise SiteError(f"{lang}: {exc}") from None
            outcome.pages += len(composed.pages)
        _write(target / "index.html", branch_page_html(branch, plan.project))
        (target / BRANCH_MARKER).write_text(branch_id + "\n", "utf-8")
        problems = check_output(target, templates=True)
        if problems:
            raise SiteError("; ".join(problems[:10]) + (" ..." if len(problems) > 10 else ""))
        outcome.ok = True
    except Exception as exc:  # every failure names the branch; the others go on
        outcome.error = str(exc) if isinstance(exc, SiteError) else f"{type(exc).__name__}: {exc}"
        shutil.rmtree(target, ignore_errors=True)
    outcome.seconds = time.perf_counter() - start
    return outcome


def _build_guide(_: str) -> JobOutcome:
    plan = _PLAN
    assert plan is not None
    from mkdocs.config import load_config

    start = time.perf_counter()
    outcome = JobOutcome(GUIDE, ok=False, languages=["en"])
    target = plan.staging / GUIDE
    guide_dir = docs_dir_of(plan.mkdocs_file, plan.base) / GUIDE
    try:
        nav = _guide_nav(plan.base.get("nav"))
        config = load_config(
            config_file=str(plan.mkdocs_file),
            docs_dir=str(guide_dir),
            site_dir=str(target),
            site_name=f"{plan.base.get('site_name') or 'Procedures'}: sop-lint guide",
            # The sop-lint plugin only keeps unsafe files (symlinks out of the project) out.
            plugins=_plugins(plan.base, ["en"], {"guard_only": True}),
            nav=nav,
            strict=True,
            use_directory_urls=True,
        )
        run_mkdocs(config)
        (target / BRANCH_MARKER).write_text(GUIDE + "\n", "utf-8")
        problems = check_output(target, templates=False)
        if problems:
            raise SiteError("; ".join(problems[:10]))
        outcome.pages = sum(1 for _ in guide_dir.rglob("*.md"))
        outcome.ok = True
    except Exception as exc:
        outcome.error = str(exc)
        shutil.rmtree(target, ignore_errors=True)
    outcome.seconds = time.perf_counter() - start
    return outcome


def _guide_nav(nav: Any) -> list | None:
    """The configured nav's section whose pages are all in the guide folder, with paths
    made relative to that folder (None: MkDocs orders the guide's pages itself)."""

    def under_guide(item: Any) -> bool:
        if isinstance(item, str):
            return item.startswith(f"{GUIDE}/")
        if isinstance(item, dict):
            return all(under_guide(v) for v in item.values())
        if isinstance(item, list):
            return bool(item) and all(under_guide(v) for v in item)
        return False

    def strip(item: Any) -> Any:
        if isinstance(item, str):
            return item.removeprefix(f"{GUIDE}/")
        if isinstance(item, dict):
            return {k: strip(v) for k, v in item.items()}
        return [strip(v) for v in item]

    for item in nav if isinstance(nav, list) else []:
        if isinstance(item, dict) and len(item) == 1:
            (children,) = item.values()
            if isinstance(children, list) and under_guide(children):
                return strip(children)
    return None


def _run_job(job: str) -> JobOutcome:
    kind, _, name = job.partition(":")
    return _build_guide(name) if kind == GUIDE else _build_branch(name)


# -- the whole build -----------------------------------------------------------------------


def build_sites(
    config: Config,
    *,
    branch_ids: list[str] | None = None,
    output: Path | None = None,
    jobs: int | None = None,
    today: datetime.date | None = None,
    guide: bool = True,
    progress: Callable[[JobOutcome], None] | None = None,
) -> BuildReport:
    """Build every branch's sites (or ``branch_ids``) into ``output``."""
    started = time.perf_counter()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    settings = site_settings(config.sections, config.root, config.source)
    output = (output or settings.output).resolve()
    base = read_mkdocs_yml(settings.mkdocs_file)
    docs_dir = docs_dir_of(settings.mkdocs_file, base)
    workers = jobs if jobs is not None else (settings.jobs or os.cpu_count() or 1)
    try:
        project = load_project(config, settings.branches_file, docs_dir, today=today, jobs=workers)
    except BranchDataError as exc:
        raise ConfigError(f"invalid branches file:\n{exc}") from None
    problems = project.template_problems()
    if problems:
        raise SiteError(
            "templates that cannot be published (nothing was built):\n" + "\n".join(problems)
        )
    chosen = branch_ids or project.data.ids
    for branch_id in chosen:
        if project.data.get(branch_id) is None:
            raise SiteError(
                f"no branch {branch_id!r} in {project.data.path.name}; "
                f"branches: {', '.join(project.data.ids)}"
            )
    prepare_seconds = time.perf_counter() - started
    output.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=output))
    empty_docs = staging / ".docs"
    empty_docs.mkdir()
    plan = _Plan(project, settings.mkdocs_file.resolve(), base, staging, empty_docs)
    # Largest first, so no process is left with a big branch at the end.
    size = {
        b.id: sum(len(project.pages_for(b, lang)) for lang in b.languages)
        for b in project.data.branches
    }
    jobs_list = [f"branch:{b}" for b in sorted(chosen, key=lambda b: -size[b])]
    if guide and branch_ids is None and (docs_dir / GUIDE).is_dir():
        jobs_list.insert(0, f"{GUIDE}:")
    outcomes: list[JobOutcome] = []
    try:
        if workers > 1 and len(jobs_list) > 1:
            with ProcessPoolExecutor(
                min(workers, len(jobs_list)), initializer=_init_worker, initargs=(plan,)
            ) as pool:
                for outcome in pool.map(_run_job, jobs_list):
                    _publish(outcome, staging, output)
                    outcomes.append(outcome)
                    if progress:
                        progress(outcome)
        else:
            _init_worker(plan)
            for job in jobs_list:
                outcome = _run_job(job)
                _publish(outcome, staging, output)
                outcomes.append(outcome)
                if progress:
                    progress(outcome)
        _write(output / "index.html", landing_html(project, output, (output / GUIDE).is_dir()))
        for problem in check_output(output, files=[output / "index.html"]):  # links only
            outcomes.append(JobOutcome("index.html", ok=False, error=problem))
        if branch_ids is None:
            _remove_stale(output, set(project.data.ids) | {GUIDE})
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    order = {name: i for i, name in enumerate(chosen)}
    outcomes.sort(key=lambda o: (o.name != GUIDE, order.get(o.name, 0)))
    return BuildReport(output, outcomes, prepare_seconds, time.perf_counter() - started)


def _publish(outcome: JobOutcome, staging: Path, output: Path) -> None:
    """Move a finished branch into place in one rename; a failed one changes nothing."""
    if not outcome.ok:
        return
    source = staging / outcome.name
    target = output / outcome.name
    old = staging / f".old-{outcome.name}"
    if target.exists():
        if not (target / BRANCH_MARKER).exists() and any(target.iterdir()):
            outcome.ok = False
            outcome.error = (
                f"{target} exists and was not made by sop-lint; move it away or choose "
                "another output folder"
            )
            return
        os.replace(target, old)
    os.replace(source, target)
    shutil.rmtree(old, ignore_errors=True)


def _remove_stale(output: Path, keep: set[str]) -> None:
    """Folders of branches that are no longer in the branches file."""
    for child in output.iterdir():
        if child.is_dir() and child.name not in keep and (child / BRANCH_MARKER).exists():
            shutil.rmtree(child, ignore_errors=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(tmp, path)


# -- checking the output -------------------------------------------------------------------

_ATTR_RE = re.compile(
    r"<(a|link|script|img|iframe|source|embed|object|audio|video)\b([^>]*)>", re.I
)
_URL_ATTR_RE = re.compile(r"\b(href|src|data)\s*=\s*(\"[^\"]*\"|'[^']*')", re.I)
_CSS_URL_RE = re.compile(r"url\(\s*['\"]?(https?:)?//", re.I)


def check_output(
    folder: Path, *, templates: bool = True, files: list[Path] | None = None
) -> list[str]:
    """Problems in a built site: template syntax left in HTML, links to files that do not
    exist, and anything loaded from another host (the sites must work offline).

    Links that leave ``folder`` are not followed (the landing page is checked on its own).
    ``404.html`` is made for the web server's root, so its links are not checked either.
    """
    root = os.path.abspath(folder)
    existing: set[str] = set()
    for base, _dirs, names in os.walk(root):
        existing.update(os.path.join(base, name) for name in names)
    pages = [str(p) for p in files] if files is not None else sorted(existing)
    problems: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for path in pages:
        shown = os.path.relpath(path, root)
        if path.endswith(".css"):
            with open(path, encoding="utf-8", errors="replace") as handle:
                if _CSS_URL_RE.search(handle.read()):
                    problems.append(f"{shown}: loads a file from another host")
            continue
        if not path.endswith(".html"):
            continue
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        if templates:
            for marker in ("{{", "{%"):
                if marker in text:
                    problems.append(f"{shown}: '{marker}' is left in the HTML")
        if path.endswith("404.html"):
            continue
        here = os.path.dirname(path)
        for tag, attrs in _ATTR_RE.findall(text):
            for _name, quoted in _URL_ATTR_RE.findall(attrs):
                key = (here, tag, quoted)
                if key in seen:
                    continue  # the theme's assets, linked the same way from every page
                seen.add(key)
                url = html.unescape(quoted[1:-1]).strip()
                problem = _check_url(here, root, existing, tag.lower(), attrs, url)
                if problem:
                    problems.append(f"{shown}: {problem}")
    return problems


def _check_url(
    here: str, root: str, existing: set[str], tag: str, attrs: str, url: str
) -> str | None:
    lowered = url.lower()
    if not url or url.startswith("#") or lowered.startswith(("mailto:", "tel:", "data:")):
        return None
    if lowered.startswith("javascript:"):
        return f"a javascript: link ({url[:40]})"
    if lowered.startswith(("http:", "https:", "//")):
        if tag == "a" or re.search(r"rel\s*=\s*[\"']?(canonical|alternate)", attrs, re.I):
            return None  # a link the reader may follow, not something the page loads
        return f"loads {url} from another host"
    if re.match(r"^[a-z][a-z0-9+.-]*:", lowered):
        return None
    target = url.split("#", 1)[0].split("?", 1)[0]
    if not target:
        return None
    if target.startswith("/"):
        return f"absolute link {url} (the site must work in any folder)"
    resolved = os.path.normpath(os.path.join(here, target))
    if resolved != root and not resolved.startswith(root + os.sep):
        return None
    if resolved in existing or os.path.join(resolved, "index.html") in existing:
        return None
    return f"broken link {url}"


# -- landing pages -------------------------------------------------------------------------

_PAGE_CSS = """
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;
color:#1f2937;background:#f5f6fa}
header{background:#3f51b5;color:#fff;padding:1.6rem 1.5rem}
header h1{margin:0;font-size:1.6rem;font-weight:600}header p{margin:.4rem 0 0;opacity:.85}
main{max-width:64rem;margin:0 auto;padding:1.5rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:1rem}
.card{background:#fff;border-radius:8px;padding:1rem 1.1rem;box-shadow:0 1px 3px #0002}
.card h2{margin:0 0 .3rem;font-size:1.15rem}.card p{margin:.2rem 0;color:#4b5563;font-size:.92rem}
.langs{margin-top:.8rem;display:flex;flex-wrap:wrap;align-items:center;gap:.4rem}
.langs a{display:inline-block;line-height:1.5;padding:.2rem .8rem;border-radius:1rem;
background:#3f51b5;color:#fff;text-decoration:none;font-weight:600;font-size:.9rem}
.langs a:focus,.langs a:hover{background:#303f9f}
footer{max-width:64rem;margin:0 auto;padding:0 1.5rem 2rem;color:#6b7280;font-size:.85rem}
footer a{color:#3f51b5}
@media print{header{background:none;color:#000}.card{box-shadow:none;border:1px solid #999}}
"""


def _page(title: str, subtitle: str, body: str, footer: str = "") -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_PAGE_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></header>\n"
        f"<main>\n{body}\n</main>\n<footer>{footer}</footer>\n</body>\n</html>\n"
    )


def _branch_card(
    branch: Branch, project: SiteProject, prefix: str, folder: Path | None = None
) -> str:
    """A branch's card: name, address, phone, and a link per language (that was built,
    when ``folder`` is the branch's output)."""
    links = []
    for lang in branch.languages:
        if folder is not None and not (folder / lang / "index.html").is_file():
            continue
        count = len(project.pages_for(branch, lang))
        links.append(
            f'<a href="{prefix}{lang}/" hreflang="{lang}" lang="{lang}">'
            f"{html.escape(LANGUAGE_NAMES.get(lang, lang))} ({count})</a>"
        )
    details = "".join(
        f"<p>{html.escape(branch.values[key])}</p>"
        for key in ("address", "phone")
        if key in branch.values
    )
    return (
        f'<section class="card" id="{branch.id}"><h2>{html.escape(branch.name)}</h2>'
        f'{details}<div class="langs">{"".join(links)}</div></section>'
    )


def landing_html(project: SiteProject, output: Path, with_guide: bool) -> str:
    """``site/index.html``: every branch, with a link per language."""
    org = project.data.org.get("name", "")
    cards = [
        _branch_card(b, project, f"{b.id}/", output / b.id)
        for b in project.data.branches
        if (output / b.id).is_dir()
    ]
    guide = (
        '<a href="guide/">sop-lint guide</a> (for the people who write the procedures) · '
        if with_guide
        else ""
    )
    return _page(
        f"{org} procedures" if org else "Procedures",
        "Choose your branch and language.",
        f'<div class="cards">{"".join(cards)}</div>',
        f"{guide}Made by sop-lint on {project.today.isoformat()}.",
    )


def branch_page_html(branch: Branch, project: SiteProject) -> str:
    """``site/<branch>/index.html``: the branch's languages."""
    org = project.data.org.get("name", "")
    return _page(
        branch.name,
        f"{org} procedures" if org else "Procedures",
        f'<div class="cards">{_branch_card(branch, project, "")}</div>',
        '<a href="../">All branches</a>',
    )
