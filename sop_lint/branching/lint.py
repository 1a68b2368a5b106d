"""Linting SOP templates: each page as every branch that publishes it will read it.

Used by the ``J`` rules (:mod:`sop_lint.rules.branches`) and by the engine, which runs
the other rules on each branch's text as well as on the source and reports what is new
(a sentence that is short in the source, with ``{{ branch.address }}`` counted as one
word, can be too long for the branch whose address is seven words; see
:data:`PER_BRANCH` for which rules run on what). All of it happens only when the
configuration has a ``branches`` table.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sop_lint.branching.data import Branch, BranchData, BranchDataError, load_branches_cached
from sop_lint.branching.overrides import copies_of, override_of
from sop_lint.branching.render import SopTemplate, TemplateError, compile_template
from sop_lint.branching.settings import site_settings
from sop_lint.config import ConfigError
from sop_lint.model import Document, Finding, Severity, Span
from sop_lint.parser import parse_document

# How each rule family runs on each branch's text (a rule may set ``per_branch`` itself):
# - "page": on the whole page as the branch reads it. A value (an address, a name) can make
#   a sentence, a paragraph, a section or the page longer and harder to read.
# - "sentences": on the blocks (paragraphs, steps) that hold a branch value. Tense,
#   imperative steps and wording can only change where a value sits; everywhere else the
#   branch reads the source's words, which the source check covers.
# - False: on the source only: the file itself, its structure against the SOP template,
#   the template syntax, the SOP set, and grammar (a network service).
PER_BRANCH = {
    "brevity": "page",
    "readability": "page",
    "system": False,
    "branches": False,
    "template": False,
    "project": False,
    "grammar": False,
}
# The engine's lint_document(doc, rules, known_rules=...): how this module lints a
# branch's text without importing the engine that imports it.
LintFunction = Callable[..., list[Finding]]
# How a finding that only some branches' text has names them, at the end of its message.
BRANCH_NOTE = " (as {ids} {reads} it, with the branch's values filled in)"
BRANCH_NOTE_RE = re.compile(
    r" \(as ([a-z0-9-]+(?:, [a-z0-9-]+)*) reads? it, with the branch's values filled in\)$"
)


def branch_data(sections: Mapping[str, Any], root: Path) -> BranchData | None:
    """The branches file the configuration names, or None when it has no ``branches``
    table. A broken file is a :class:`ConfigError` listing every mistake."""
    if "branches" not in sections:
        return None
    settings = site_settings(sections, root)
    try:
        return load_branches_cached(settings.branches_file, root)
    except BranchDataError as exc:
        raise ConfigError(f"invalid branches file:\n{exc}") from None


def body_of(doc: Document) -> str:
    """The Markdown after the front matter (the template); line 1 is ``body_start_line``."""
    if doc.body_start_line <= 1:
        return doc.source
    if doc.body_start_line > doc.line_count:
        return ""
    return doc.source[doc._line_starts[doc.body_start_line - 1] :]


def template_of(doc: Document) -> SopTemplate | None:
    """The document's body as a checked template (None when it has no template syntax)."""
    key = "site.template"
    if key not in doc.cache:
        source = doc.source
        if "{{" in source or "{%" in source or "{#" in source:
            doc.cache[key] = compile_template(body_of(doc), doc.body_start_line, marked=True)
        else:
            doc.cache[key] = None
    return doc.cache[key]


def publishing_branches(doc: Document, data: BranchData) -> list[Branch]:
    """The branches that publish this page: its language, and ``applies_to``. A branch's
    own copy (``branches/<id>/``) is published by that branch only."""
    branches = data.publishing(doc.language_code, doc.metadata.get("applies_to"))
    override = override_of(doc.path)
    if override is not None:
        return [b for b in branches if b.id == override.branch_id]
    copies = copies_of(doc.path)  # those branches publish their copy instead
    return [b for b in branches if b.id not in copies] if copies else branches


@dataclass(slots=True)
class Rendered:
    """One branch's reading of a page: the full text, the source line of each of its
    lines, and the values it used that the branch lacks (or why it could not render)."""

    text: str
    lines: list[int]
    missing: list[str]
    error: TemplateError | None = None


def rendered(doc: Document, data: BranchData, branch: Branch) -> Rendered | None:
    """The page as ``branch`` reads it (cached on the document); None when the template
    has problems of its own (the J rules report them)."""
    key = ("site.rendered", branch.id)
    if key in doc.cache:
        return doc.cache[key]
    template = template_of(doc)
    result = None
    if template is not None and template.analysis.ok:
        try:
            text, lines, missing = template.render_checked(branch.context(), data.org)
        except TemplateError as exc:
            result = Rendered(doc.source, [], [], exc)
        else:
            # The front matter's lines are left blank: the body keeps its line numbers, and
            # the per-branch check does not read the YAML again.
            n = doc.body_start_line - 1
            skip = min(n, len(text) - len(text.lstrip("\n")))
            head = [""] * n
            body = text.split("\n")[skip:]
            result = Rendered("\n".join([*head, *body]), [*range(1, n + 1), *lines[skip:]], missing)
    doc.cache[key] = result
    return result


def per_branch(rule: Any) -> str | bool:
    """How ``rule`` runs on each branch's text: "page", "sentences" or False (see
    :data:`PER_BRANCH`; rule families not listed there run on the sentences)."""
    return getattr(rule, "per_branch", PER_BRANCH.get(rule.family(), "sentences"))


def add_branch_findings(
    doc: Document,
    rules: list[tuple[Any, Severity | None]],
    sections: Mapping[str, Any],
    root: Path,
    findings: list[Finding],
    lint: LintFunction,
) -> list[Finding]:
    """``findings`` plus what the prose rules find only in some branch's text.

    ``lint`` is the engine's ``lint_document``, passed in rather than imported so that
    this module sits below the engine (the engine imports it, never the other way).

    A finding is new when the source has no finding of the same rule on the same line.
    Findings that several branches share are reported once, naming those branches.
    """
    template = template_of(doc)
    if template is None or not template.analysis.ok:
        return findings
    data = branch_data(sections, root)
    if data is None:
        return findings
    page_rules = [(r, s) for r, s in rules if per_branch(r) == "page"]
    sentence_rules = [(r, s) for r, s in rules if per_branch(r) == "sentences"]
    if not page_rules and not sentence_rules:
        return findings
    templated = {
        n for n, line in enumerate(doc.source.split("\n"), start=1) if "{{" in line or "{%" in line
    }
    known = {(f.rule, f.span.line) for f in findings}
    merged: dict[tuple[str, int, int], tuple[Finding, list[str]]] = {}
    by_text: dict[str, list[Finding]] = {}
    for branch in publishing_branches(doc, data):
        result = rendered(doc, data, branch)
        if result is None or result.error is not None or result.text == doc.source:
            continue
        if result.text not in by_text:
            by_text[result.text] = _lint_branch_text(
                doc, result, page_rules, sentence_rules, templated, lint
            )
        for finding in by_text[result.text]:
            mapped = _map_finding(doc, result, finding)
            if mapped is None or (mapped.rule, mapped.span.line) in known:
                continue
            key = (mapped.rule, mapped.span.line, mapped.span.column)
            if key in merged:
                merged[key][1].append(branch.id)
            else:
                merged[key] = (mapped, [branch.id])
    if not merged:
        return findings
    extra = []
    for finding, branch_ids in merged.values():
        reads = "reads" if len(branch_ids) == 1 else "read"
        finding.message += BRANCH_NOTE.format(ids=", ".join(branch_ids), reads=reads)
        extra.append(finding)
    return sorted([*findings, *extra], key=Finding.sort_key)


def _lint_branch_text(
    doc: Document,
    result: Rendered,
    page_rules: list[tuple[Any, Severity | None]],
    sentence_rules: list[tuple[Any, Severity | None]],
    templated: set[int],
    lint: LintFunction,
) -> list[Finding]:
    """The findings on one branch's text: page rules on all of it, sentence rules on the
    blocks that hold a value (see :data:`PER_BRANCH`)."""
    branch_doc = parse_document(result.text, doc.path, doc.language_code)
    found = lint(branch_doc, page_rules, known_rules=False) if page_rules else []
    if sentence_rules:
        holding = [
            block
            for block in branch_doc.blocks
            if any(
                result.lines[n - 1] in templated
                for n in range(block.start_line, block.end_line + 1)
                if n <= len(result.lines)
            )
        ]
        if holding:
            lines = {n for b in holding for n in range(b.start_line, b.end_line + 1)}
            view = dataclasses.replace(
                branch_doc, blocks=holding, cache={}, _line_starts=branch_doc._line_starts
            )
            found += [
                f for f in lint(view, sentence_rules, known_rules=False) if f.span.line in lines
            ]
    return found


def _map_finding(doc: Document, result: Rendered, finding: Finding) -> Finding | None:
    """A finding on a branch's text, moved to the source line it came from."""
    rendered_lines = result.text.split("\n")

    def source_line(line: int) -> int:
        if 1 <= line <= len(result.lines):
            return result.lines[line - 1]
        return min(line, doc.line_count)

    span = finding.span
    line = source_line(span.line)
    end_line = source_line(span.end_line)
    src = doc.line_text(line)
    out = rendered_lines[span.line - 1] if span.line <= len(rendered_lines) else src
    prefix = _common_prefix(src, out)
    column = span.column if span.column - 1 <= prefix else prefix + 1
    src_end = doc.line_text(end_line)
    out_end = rendered_lines[span.end_line - 1] if span.end_line <= len(rendered_lines) else src
    suffix = _common_suffix(src_end, out_end)
    after = len(out_end) - (span.end_column - 1)  # characters after the finding
    end_column = len(src_end) - after + 1 if after <= suffix else len(src_end) + 1
    if end_line == line and end_column <= column:
        end_column = len(src_end) + 1
    return Finding(
        finding.path,
        Span(line, column, end_line, end_column),
        finding.rule,
        finding.name,
        finding.severity,
        finding.message,
        finding.suggestion,
        src,
    )


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n
