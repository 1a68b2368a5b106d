"""Install weight: ``pip install sop-lint`` is the linter; publishing and grammar are extras.

`sop-lint[site]` adds MkDocs and Material, `sop-lint[grammar]` LanguageTool's client. A
command that needs a missing extra says, in one line, what to install (exit 2); the
linter works without either. A missing extra is simulated by a ``sitecustomize`` that
makes the import fail in the sop-lint process and in every worker it starts.
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]

BLOCKER = textwrap.dedent(
    """
    import os, sys

    BLOCKED = set(os.environ["SOP_LINT_TEST_BLOCK"].split(","))

    class _NotInstalled:
        # As if the distribution were not installed: find_spec and import both fail.
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, _NotInstalled())
    """
)


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def run_without(tmp_path: Path, blocked: list[str], *args: str, cwd: Path = REPO, env=None):
    """``sop-lint ARGS`` in a process where the ``blocked`` modules cannot be imported."""
    hook = tmp_path / "blocker"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    environment = {
        **os.environ,
        **(env or {}),
        "PYTHONPATH": os.pathsep.join([str(hook), str(REPO)]),
        "SOP_LINT_TEST_BLOCK": ",".join(blocked),
    }
    environment.pop("SOP_LINT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "sop_lint", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=environment,
        timeout=300,
    )


# -- what the package declares --------------------------------------------------------


def test_the_plain_install_has_neither_the_publishing_nor_the_grammar_stack():
    plain = {_requirement_name(r) for r in PROJECT["dependencies"]}
    assert not plain & {"mkdocs", "mkdocs-material", "language-tool-python"}
    extras = PROJECT["optional-dependencies"]
    assert {_requirement_name(r) for r in extras["site"]} == {"mkdocs", "mkdocs-material"}
    assert {_requirement_name(r) for r in extras["grammar"]} == {"language-tool-python"}


def test_the_test_extra_pulls_in_site_and_grammar_so_the_readme_commands_still_work():
    assert "sop-lint[site,grammar]" in PROJECT["optional-dependencies"]["test"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    # The README's two set-up commands, exactly as they were before the extras split.
    assert "python -m pip install -e . && sop-lint check" in readme
    assert "python -m pip install -e '.[test]' && python -m pytest" in readme


def _third_party_imports(folder: Path, skip: set[str]) -> dict[str, str]:
    """Top-level modules imported anywhere under ``folder`` -> one file importing it."""
    stdlib = set(sys.stdlib_module_names)
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        if any(relative.startswith(s) for s in skip):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top not in stdlib and top != "sop_lint":
                    found.setdefault(top, relative)
    return found


def test_every_module_the_linter_imports_is_a_plain_dependency():
    # The site package is publishing (the [site] extra); grammar.py imports
    # language_tool_python only to start a local LanguageTool (the [grammar] extra).
    imports = _third_party_imports(REPO / "sop_lint", skip={"sop_lint/site/"})
    imports.pop("language_tool_python", None)
    providers = importlib.metadata.packages_distributions()
    plain = {_requirement_name(r) for r in PROJECT["dependencies"]}
    undeclared = {}
    for module, where in imports.items():
        distributions = {d.lower().replace("_", "-") for d in providers.get(module, [module])}
        if not distributions & plain:
            undeclared[module] = where
    assert not undeclared, (
        f"the linter imports modules no plain dependency provides: {undeclared}; add the "
        "distribution to [project] dependencies in pyproject.toml"
    )


def test_the_package_ships_py_typed():
    assert (REPO / "sop_lint" / "py.typed").is_file()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["sop_lint"]


# -- a missing extra, as a user meets it ------------------------------------------------


@pytest.mark.parametrize(
    ("command", "blocked"),
    [
        (["site", "build"], ["mkdocs"]),
        (["site", "build"], ["material"]),
        (["site", "render", "--branch", "stockholm-city", "--out", "rendered"], ["mkdocs"]),
        (["site", "serve", "--branch", "stockholm-city"], ["mkdocs", "material"]),
    ],
)
def test_a_site_command_without_the_site_extra_says_what_to_install(tmp_path, command, blocked):
    result = run_without(tmp_path, blocked, *command)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"sop-lint: error: 'sop-lint {' '.join(command[:2])}' needs")
    assert "pip install 'sop-lint[site]'" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (REPO / "rendered").exists()


def test_the_linter_checks_the_bundled_sops_without_either_extra(tmp_path):
    result = run_without(
        tmp_path, ["mkdocs", "material", "language_tool_python"], "check", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    assert '"files": 21' in result.stdout
    assert result.stderr == ""


def test_help_for_a_site_command_works_without_the_site_extra(tmp_path):
    result = run_without(tmp_path, ["mkdocs", "material"], "site", "build", "--help")
    assert result.returncode == 0, result.stderr
    assert "Build every branch" in result.stdout


GRAMMAR_SOP = textwrap.dedent(
    """\
    # Kassaavslut

    1. Räkna kassan när butiken har stängt.
    2. Skriv summan i kassaboken.
    """
)


def test_grammar_from_a_local_languagetool_without_the_grammar_extra_names_it(tmp_path):
    (tmp_path / "kassa.md").write_text(GRAMMAR_SOP, encoding="utf-8")
    jar_dir = tmp_path / "LanguageTool-6.4"
    jar_dir.mkdir()
    environment = {"LTP_JAR_DIR_PATH": str(jar_dir), "SOP_LINT_LANGUAGETOOL_URL": ""}
    args = ["check", "kassa.md", "--lang", "sv", "--extend-select", "grammar"]

    required = run_without(
        tmp_path,
        ["language_tool_python"],
        *args,
        "--require-languagetool",
        cwd=tmp_path,
        env=environment,
    )
    assert required.returncode == 2, required.stderr
    assert "pip install 'sop-lint[grammar]'" in required.stderr
    assert len(required.stderr.strip().splitlines()) == 1

    # Without --require-languagetool the grammar rule is skipped with that warning and
    # the other rules still decide the exit code.
    skipped = run_without(tmp_path, ["language_tool_python"], *args, cwd=tmp_path, env=environment)
    assert skipped.returncode == 0, skipped.stderr
    assert "pip install 'sop-lint[grammar]'" in skipped.stderr
    assert "grammar checks skipped" in skipped.stderr
