"""The package's layers: the linter never imports publishing.

``sop_lint.branching`` (branch data, the template sandbox, a page as each branch reads it)
sits below the rules and the site. ``sop-lint check`` (the engine, the CLI, every rule)
must work without :mod:`sop_lint.site` and without MkDocs, so that a site-only change
cannot break linting and linting never pays for MkDocs' import.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap

from conftest import REPO

PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    import sop_lint.engine, sop_lint.cli, sop_lint.rules
    for module in pkgutil.iter_modules(sop_lint.rules.__path__):
        importlib.import_module("sop_lint.rules." + module.name)
    import sop_lint.branching.lint
    from sop_lint.cli import main
    # A real check of a templated SOP with the repository's branches configured: the
    # J rules and the per-branch prose checks run, all without the site.
    import contextlib, io
    report = io.StringIO()
    with contextlib.redirect_stdout(report), contextlib.suppress(SystemExit):
        main(["check", "docs/en/toll-free-line.md", "--format", "json"])
    loaded = sorted(sys.modules)
    print(json.dumps({
        "checked": json.loads(report.getvalue())["summary"]["files"],
        "rules": [m.name for m in pkgutil.iter_modules(sop_lint.rules.__path__)],
        "site": [m for m in loaded if m == "sop_lint.site" or m.startswith("sop_lint.site.")],
        "mkdocs": [m for m in loaded if m == "mkdocs" or m.startswith("mkdocs.")],
    }))
    """
)


def _probe(code: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=env,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_the_linter_imports_neither_the_site_nor_mkdocs():
    loaded = _probe(PROBE)
    assert "branches" in loaded["rules"]  # the probe really imported the rule modules
    assert loaded["checked"] == 1
    assert loaded["site"] == []
    assert loaded["mkdocs"] == []


def _imports(path) -> set[str]:
    """Every module a source file imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_branching_sits_below_the_engine_the_rules_and_the_site():
    # Not even a lazy import inside a function: the engine hands its lint function in.
    for path in sorted((REPO / "sop_lint" / "branching").glob("*.py")):
        above = [
            name
            for name in _imports(path)
            if any(_under(name, p) for p in ("sop_lint.engine", "sop_lint.rules", "sop_lint.site"))
            or _under(name, "mkdocs")
        ]
        assert above == [], f"{path.name} imports {above}"


def test_only_the_site_commands_of_the_cli_import_the_site():
    for path in sorted((REPO / "sop_lint").rglob("*.py")):
        relative = path.relative_to(REPO / "sop_lint").as_posix()
        if relative.startswith("site/"):
            continue
        site = sorted(name for name in _imports(path) if _under(name, "sop_lint.site"))
        if relative == "cli.py":
            # site build / render / serve, imported inside those commands only
            top = ast.parse(path.read_text(encoding="utf-8")).body
            assert not any(
                isinstance(node, ast.ImportFrom) and _under(node.module or "", "sop_lint.site")
                for node in top
            )
            continue
        assert site == [], f"{relative} imports {site}"


def test_old_site_names_are_the_moved_modules():
    # Plugins written against sop_lint.site.render and friends keep working, on the
    # same module objects (a monkeypatch on either name is seen by both).
    import sop_lint.branching.data
    import sop_lint.branching.lint
    import sop_lint.branching.render
    import sop_lint.branching.settings
    import sop_lint.site.branches
    import sop_lint.site.lint
    import sop_lint.site.render
    import sop_lint.site.settings

    assert sop_lint.site.branches is sop_lint.branching.data
    assert sop_lint.site.render is sop_lint.branching.render
    assert sop_lint.site.lint is sop_lint.branching.lint
    assert sop_lint.site.settings is sop_lint.branching.settings
