"""``sop-lint site build``: every branch, each language, into ``site/<branch>/<lang>/``.

1. Once, for all branches: read the branch data and the SOPs, check the templates against
   the sandbox, lint and measure every page (:func:`~sop_lint.site.project.load_project`).
   A template error stops here, for every branch, with file and line.
2. One job per branch, in parallel processes: compose the branch's pages per language and
   build each with MkDocs (strict) into a staging folder, then check the output: no
   ``{{``/``{%`` left, no broken links, nothing loaded from another host.
3. Each branch that passed replaces its old folder in one atomic exchange (or, where the
   system has none, two renames that put the old folder back if the second fails, and on
   the next build if the process was killed between them); a branch that failed names
   itself and leaves its old folder as it was. Then the landing page lists them.

Staging folders are ``<output>/.build-<pid>-<random>``. A lock file in the output folder
keeps a second build out while one runs; each build removes the staging folders that
killed builds left (after putting back any old branch folder they held), and its own on
any error, Ctrl+C or SIGTERM.

The writers' guide (``docs/guide/``) is built alongside as ``site/guide/``.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import errno
import html
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sop_lint.branching.data import Branch, BranchDataError
from sop_lint.branching.settings import site_settings
from sop_lint.config import Config, ConfigError
from sop_lint.site.i18n import LANGUAGE_NAMES, SEARCH_LANGUAGES, THEME_LANGUAGE
from sop_lint.site.project import SiteError, SiteProject, load_project

BRANCH_MARKER = ".sop-lint-branch"  # marks folders this build owns (and may replace)
GUIDE = "guide"
LOCK_FILE = ".sop-lint-build.lock"
STAGING_PREFIX = ".build-"
# Only folders named the way builds name them are ever removed as stale: with the pid of
# the build that made them, or (before the pid was added) mkdtemp's 8 random characters.
_STAGING_RE = re.compile(r"\.build-(?:(?P<pid>\d+)-)?[a-z0-9_]{8}")
_OLD_PREFIX = ".old-"
_UNPIDDED_STALE_SECONDS = 3600  # a staging folder of an older sop-lint, without a pid


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


def _init_worker(plan: _Plan, worker: bool = True) -> None:
    global _PLAN
    _PLAN = plan
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if worker:
        # A worker stops at once on SIGTERM (the parent's handler came with the fork);
        # the main process cleans up.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


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


_PAGE_ERROR_RE = re.compile(r"Error (?:reading|building) page '([^']+)'")


def run_mkdocs(config: Any, sources: dict[str, str] | None = None) -> None:
    """Build one MkDocs site; a failure is a :class:`SiteError` with MkDocs' warnings.

    ``sources`` maps a page's path in the site (``returns/refund.md``) to the SOP file it
    was made from, so a page that fails is reported as ``file:line: message``."""
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
        except Exception as exc:  # a page MkDocs could not convert: name the SOP
            for message in log.messages:
                found = _PAGE_ERROR_RE.search(message)
                if found and sources and found[1] in sources:
                    raise SiteError(
                        f"{sources[found[1]]}:1: this SOP could not be made into a web "
                        f"page ({_reason(exc)}); run 'sop-lint check' on it and fix what "
                        "it reports, or simplify the part of the page named here"
                    ) from None
            details = "; ".join(dict.fromkeys(log.messages))
            raise SiteError(f"MkDocs: {details or _reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def failing_sop(docs_dir: Path, root: Path, exc: BaseException) -> SiteError:
    """The SOP that made reading the project fail, as ``file:line: message``: each SOP
    is read again on its own until one fails the same way (only after a failure)."""
    from sop_lint.branching.render import compile_template
    from sop_lint.engine import display_path
    from sop_lint.parser import normalise_source, split_front_matter
    from sop_lint.safe_io import RefusedRead, read_guarded_text
    from sop_lint.site.project import find_sop_files

    files, _assets = find_sop_files(docs_dir)
    for _lang, path in files:
        source = ""
        try:
            source = normalise_source(read_guarded_text(path, root))
            _metadata, _lines, body_line, _problems = split_front_matter(source)
        except RefusedRead:
            continue  # reported as a finding of its own
        except Exception as err:
            mark = getattr(err, "problem_mark", None)
            line = mark.line + 2 if mark is not None else _failing_key_line(source)
            return SiteError(
                f"{display_path(path)}:{line}: the front matter of this SOP cannot be read "
                f"({_reason(err)}); correct the value (for example a date that does not "
                "exist, or a number that is far too long) and build again"
            )
        body = "\n".join(source.split("\n")[body_line - 1 :])
        if "{{" in body or "{%" in body or "{#" in body:
            try:
                compile_template(body, body_line)
            except Exception as err:
                return SiteError(
                    f"{display_path(path)}:{_failing_template_line(body, body_line)}: "
                    "the templates in this SOP cannot be "
                    f"read ({_reason(err)}); simplify the {{{{ }}}} and {{% %}} parts"
                )
    return SiteError(
        f"{display_path(docs_dir)}: the build stopped while reading the SOPs "
        f"({_reason(exc)}); run 'sop-lint check' on them to find the file"
    )


def _failing_template_line(body: str, body_line: int) -> int:
    """The first line whose templates fail on their own (else the body's first line)."""
    from sop_lint.branching.render import compile_template

    for number, text in enumerate(body.split("\n"), body_line):
        if "{{" in text or "{%" in text:
            try:
                compile_template(text, number)
            except Exception:
                return number
    return body_line


def _failing_key_line(source: str) -> int:
    """The line of the front-matter key whose value cannot be read (1 if not found)."""
    import yaml

    lines = source.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return 1
    end = next((i for i, text in enumerate(lines[1:], 1) if text.rstrip() in ("---", "...")), 0)
    try:
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
        if not isinstance(node, yaml.MappingNode):
            return 1
        loader = yaml.SafeLoader("")
        for key, value in node.value:
            try:
                loader.construct_object(value, deep=True)
            except Exception:
                return key.start_mark.line + 2  # +1: 1-based, +1: the opening ---
    except Exception:
        return 1
    return 1


def _failing_page(project: SiteProject, branch: Branch, lang: str, exc: BaseException) -> str:
    """Which SOP of ``branch`` in ``lang`` cannot be composed, as ``file:line: message``."""
    from sop_lint.site.compose import sop_markdown

    for page in project.pages_for(branch, lang):
        try:
            sop_markdown(page, branch, project)
        except SiteError as err:
            return str(err)
        except Exception as err:
            return (
                f"{page.rel}:1: this SOP could not be made into a page for branch "
                f"{branch.id} ({_reason(err)}); check its front matter values, or run "
                "'sop-lint check' on it"
            )
    return f"{lang}: the pages could not be made ({_reason(exc)})"


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
            try:
                composed = compose_language(plan.project, branch, lang)
            except SiteError:
                raise
            except Exception as exc:  # name the SOP, not just the branch
                raise SiteError(_failing_page(plan.project, branch, lang, exc)) from None
            config = mkdocs_config(plan, branch, lang, target / lang)
            config.plugins["sop-lint"].preset = (plan.project, {lang: composed})
            sources = {f"{page.slug}.md": page.rel for page in composed.pages}
            try:
                run_mkdocs(config, sources)
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
    # More processes than cores only adds memory and start-up time (and --jobs 512 would
    # fork 512 of them).
    workers = max(1, min(workers, os.cpu_count() or 1))
    try:
        project = load_project(config, settings.branches_file, docs_dir, today=today, jobs=workers)
    except BranchDataError as exc:
        raise ConfigError(f"invalid branches file:\n{exc}") from None
    except (SiteError, ConfigError):
        raise
    except Exception as exc:  # one SOP the reader could not take: name it, no traceback
        raise failing_sop(docs_dir, config.root, exc) from None
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
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"{output}: cannot make the output folder ({exc.strerror or exc}); "
            "choose another with --output"
        ) from None
    outcomes: list[JobOutcome] = []
    with _build_lock(output), _staging_folder(output) as staging:
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
        if workers > 1 and len(jobs_list) > 1:
            pool = ProcessPoolExecutor(
                min(workers, len(jobs_list)), initializer=_init_worker, initargs=(plan,)
            )
            try:
                for outcome in pool.map(_run_job, jobs_list):
                    _publish(outcome, staging, output)
                    outcomes.append(outcome)
                    if progress:
                        progress(outcome)
            except BaseException:
                # Ctrl+C, SIGTERM or an error: start no more branches, and let the running
                # ones end before their staging folder is removed.
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            pool.shutdown()
        else:
            _init_worker(plan, worker=False)
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
    order = {name: i for i, name in enumerate(chosen)}
    outcomes.sort(key=lambda o: (o.name != GUIDE, order.get(o.name, 0)))
    return BuildReport(output, outcomes, prepare_seconds, time.perf_counter() - started)


# -- staging, locking and swapping a branch in ---------------------------------------------


@contextlib.contextmanager
def _build_lock(output: Path) -> Iterator[None]:
    """Hold ``<output>/.sop-lint-build.lock`` for the whole build, so a second build into
    the same folder stops at once instead of removing the first one's staging folder."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): staging folders are judged by their pid
        yield
        return
    path = output / LOCK_FILE
    try:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held until the end)
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot write in the output folder ({exc.strerror or exc}); "
            "choose another with --output, or check its permissions"
        ) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise SiteError(
                f"{path}: another 'sop-lint site build' ({holder}) is writing to {output}; "
                "wait for it to finish, or build into another folder with --output"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock


@contextlib.contextmanager
def _staging_folder(output: Path) -> Iterator[Path]:
    """A fresh staging folder in ``output``, after removing the ones killed builds left;
    removed again however the build ends (an error, Ctrl+C, or SIGTERM)."""
    _clean_stale_staging(output)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=output))
    previous = None
    if threading.current_thread() is threading.main_thread():
        # SIGTERM (a cancelled CI job) would end the process without running the cleanup
        # below; as an exception it does.
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield staging
    finally:
        try:
            _restore_old(staging, output)
            shutil.rmtree(staging, ignore_errors=True)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


def _clean_stale_staging(output: Path) -> None:
    """Remove staging folders of builds that are no longer running (killed, or the
    machine stopped), after putting back any branch folder one of them held."""
    locked = _has_flock()
    for child in output.iterdir():
        match = _STAGING_RE.fullmatch(child.name)
        if match is None or child.is_symlink() or not child.is_dir():
            continue
        pid = match["pid"]
        if pid is not None:
            # With the lock held no other build is running here; without flock, a live
            # process with that pid may still be building.
            if int(pid) == os.getpid() or (not locked and _alive(int(pid))):
                continue
        else:
            try:
                age = time.time() - child.stat().st_mtime
            except OSError:
                continue
            if age < _UNPIDDED_STALE_SECONDS:
                continue
        _restore_old(child, output)
        shutil.rmtree(child, ignore_errors=True)


def _has_flock() -> bool:
    try:
        import fcntl  # noqa: F401
    except ImportError:
        return False
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _restore_old(staging: Path, output: Path) -> None:
    """A branch folder moved aside into ``staging`` while its new one was put in place,
    when the new one never arrived: back to its place."""
    try:
        children = list(staging.iterdir())
    except OSError:
        return
    for old in children:
        if not old.name.startswith(_OLD_PREFIX):
            continue
        target = output / old.name.removeprefix(_OLD_PREFIX)
        if not target.exists() and not target.is_symlink():
            with contextlib.suppress(OSError):
                os.replace(old, target)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_renameat2: Any = None


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2`` with ``RENAME_EXCHANGE``).
    False where the system or file system cannot; then nothing was changed."""
    global _renameat2
    if _renameat2 is None:
        try:
            _renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
        except (OSError, AttributeError):
            _renameat2 = False
    if _renameat2 is False:
        return False
    if (
        _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
        == 0
    ):
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _publish(outcome: JobOutcome, staging: Path, output: Path) -> None:
    """Put a finished branch in place so that its path always holds the old site or the
    new one; a failed branch changes nothing."""
    if not outcome.ok:
        return
    source = staging / outcome.name
    target = output / outcome.name
    if not (target.exists() or target.is_symlink()):
        os.replace(source, target)
        return
    if not (target / BRANCH_MARKER).exists() and any(target.iterdir()):
        outcome.ok = False
        outcome.error = (
            f"{target} exists and was not made by sop-lint; move it away or choose "
            "another output folder"
        )
        return
    try:
        if _exchange(source, target):
            shutil.rmtree(source, ignore_errors=True)  # the old site, now in staging
            return
        # No atomic exchange: move the old site aside, then the new one in. If the second
        # step fails the old one goes back now; if the process dies between the two, the
        # next build puts it back (see _clean_stale_staging).
        old = staging / f"{_OLD_PREFIX}{outcome.name}"
        os.replace(target, old)
        try:
            os.replace(source, target)
        except BaseException:
            os.replace(old, target)
            raise
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        outcome.ok = False
        outcome.error = (
            f"{target}: the new site could not be put in place ({exc.strerror or exc}); "
            "the old site is still there. Check the folder's permissions and build again"
        )


def _remove_stale(output: Path, keep: set[str]) -> None:
    """Folders of branches that are no longer in the branches file."""
    for child in output.iterdir():
        if (
            child.is_dir()
            and not child.is_symlink()
            and child.name not in keep
            and (child / BRANCH_MARKER).exists()
        ):
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
    # Links are percent-encoded ("R%26D%20team/"); the files on disk are not.
    target = urllib.parse.unquote(url.split("#", 1)[0].split("?", 1)[0])
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
