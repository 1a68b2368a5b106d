"""Real SOPs from ../shared/corpus: no crash, and no finding inside code or tables.

The corpus is not part of the repository; these tests skip when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sop_lint.config import Config
from sop_lint.engine import check_paths
from sop_lint.parser import markdown_parser, rewrite_material

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
NON_PROSE = {"fence", "code_block", "html_block", "table_open"}


def _non_prose_lines(path: Path) -> set[int]:
    """1-based lines that markdown-it puts in code blocks, raw HTML blocks or tables.

    Content tabs are rewritten first, as the linter does, so their indented bodies are
    read as the text they are rather than as indented code.
    """
    lines: set[int] = set()
    for token in markdown_parser().parse(rewrite_material(path.read_text("utf-8"))):
        if token.type in NON_PROSE and token.map:
            lines.update(range(token.map[0] + 1, token.map[1] + 1))
    return lines


@pytest.mark.parametrize("folder", ["vatpac-sops", "fedora-releng", "digdir-docs-nb"])
def test_real_sops_are_checked_without_findings_in_code_or_tables(folder):
    root = CORPUS / folder
    if not root.is_dir():
        pytest.skip(f"{root} is not available (it lives outside the repository)")
    report = check_paths([root], Config(), jobs=1)
    assert not report.errors
    assert len(report.files) > 10
    assert not [f for f in report.findings if f.rule in ("S001", "S002")]
    by_path: dict[str, list[int]] = {}
    for finding in report.findings:
        if finding.rule.startswith("B00") and finding.rule != "B004":
            by_path.setdefault(finding.path, []).append(finding.span.line)
    inside = [
        (path, line)
        for path, lines in by_path.items()
        for line in lines
        if line in _non_prose_lines(Path(path))
    ]
    assert inside == []
