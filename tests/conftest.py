"""Shared helpers: lint inline SOP text, build a small project on disk, run the CLI."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from sop_lint import check_text, parse_document
from sop_lint.cli import main
from sop_lint.config import parse_config

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


def sop(text: str) -> str:
    """Dedent an inline SOP and drop the first newline, so line 1 is the first line."""
    return textwrap.dedent(text).lstrip("\n")


# The families these core tests are about. The verb rules (tense, steps, wording) have
# tests of their own; leaving them out here keeps each test about one behaviour.
CORE_RULES = ["B", "R", "S", "D"]


def lint(text: str, lang: str = "en", config: dict | None = None, path: str = "<text>"):
    """Findings for ``text`` as ``sop-lint check`` reports them, with optional config data
    (the ``[tool.sop-lint]`` table as a dict; without ``select``, the core rule families)."""
    config = {"select": CORE_RULES, **(config or {})}
    return check_text(text, lang=lang, path=path, config=parse_config(config))


def codes(findings) -> list[str]:
    return [f.rule for f in findings]


def only(findings, code: str) -> list:
    return [f for f in findings if f.rule == code]


def words_of(text: str, lang: str = "en") -> list[str]:
    """Every word sop-lint reads as prose in ``text``, in document order."""
    doc = parse_document(text, "t.md", lang)
    return [w.text for s in doc.sentences() for w in s.words]


class Project:
    """A folder of SOP files; the working directory while the test runs."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="\n")
        return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("SOP_LINT_DEBUG", raising=False)
    return Project(tmp_path)


@pytest.fixture
def cli():
    """Run ``sop-lint`` in-process; returns click's Result (stdout and stderr apart)."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run
