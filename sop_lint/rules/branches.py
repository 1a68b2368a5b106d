"""Branch templates: SOPs that show each branch its own values with ``{{ branch.phone }}``.

These rules run when the configuration has a ``[tool.sop-lint.branches]`` table (the
project publishes per-branch sites). Without one, ``{{ ... }}`` in a page is just text:
sop-lint does not know which template language, if any, will read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sop_lint.html_policy import stripped
from sop_lint.model import Document, Severity, Span
from sop_lint.rules.base import Hit, Rule, register
from sop_lint.site.branches import applies_to_ids
from sop_lint.site.lint import (
    body_of,
    branch_data,
    publishing_branches,
    rendered,
    template_of,
)
from sop_lint.site.render import publish_problems


def _line_span(doc: Document, line: int) -> Span:
    """The template on a line: from its first ``{{``/``{%`` to the end of the line.

    Jinja2 reports an unclosed block at the end of the template, which may be an empty
    last line or the line after it: the span stays inside the file (possibly empty)."""
    line = max(1, min(line, doc.last_line))
    text = doc.line_text(line)
    starts = [i for i in (text.find("{{"), text.find("{%"), text.find("{#")) if i >= 0]
    column = min(starts) + 1 if starts else 1
    return Span(line, column, line, max(len(text) + 1, column))


class _TemplateRule(Rule):
    def problems(self, doc: Document, kind: str) -> Iterator[Hit]:
        if branch_data(self.context.sections, self.context.root) is None:
            return
        template = template_of(doc)
        if template is None:
            return
        for problem in template.problems:
            if problem.kind == kind:
                yield Hit(_line_span(doc, problem.line), problem.message)


@register
class TemplateSyntax(_TemplateRule):
    """Flags template syntax that Jinja2 cannot read.

    **What it flags:** a ``{{ ... }}`` or ``{% ... %}`` that is not valid Jinja2: an
    unclosed ``{{``, an ``{% if %}`` without ``{% endif %}``, an unknown tag. The finding
    is on the line Jinja2 stopped at.

    **Why:** the page cannot be published for any branch: the site build stops on it.

    **Instead:** close every ``{{`` with ``}}`` and every ``{% if %}`` with
    ``{% endif %}``: *"Call {{ branch.phone }} and ask for the manager."* Double braces
    cannot be shown as text: the site refuses a page that shows ``{{`` (rule J002).
    """

    code = "J001"
    name = "template-syntax"
    severity = Severity.ERROR

    def check(self, doc: Document) -> Iterator[Hit]:
        return self.problems(doc, "syntax")


@register
class UnsafeTemplate(_TemplateRule):
    """Flags template code outside what SOP templates may do, such as reaching Python.

    **What it flags:** anything but branch and org values (``{{ branch.phone }}``,
    ``{{ org.name }}``), the filters ``upper``, ``lower``, ``title``, ``capitalize``,
    ``trim``, ``default``, ``replace``, ``truncate``, ``tel``, and ``{% if %}`` on them:
    for example ``{{ cycler.__init__.__globals__ }}``, ``{{ ''.__class__ }}``, loops,
    ``{% set %}``, ``{% include %}``, calls and arithmetic (``{{ 'x' * 10**9 }}``); also a
    page whose rendering takes too long or makes too much text, an expression nested or
    chained too deeply, and anything that would leave ``{{`` or ``{%`` on the published
    page (``{% raw %}``, ``{{ '{{' }}``, a branch value holding braces, a ``{{`` in the
    title or another front-matter value the page shows). Nothing in it is run.

    **Why:** SOPs come from many contributors and are published by CI. A template that
    could call code could read secrets or run commands on the build machine; one that
    loops or multiplies could stall the build.

    **Instead:** show values and choose text by branch only: *"Call
    {{ branch.towing_phone }}."*, ``{% if branch.towing_phone is defined %}`` ...
    ``{% endif %}``. Put anything else in the branches file as a value.
    """

    code = "J002"
    name = "unsafe-template"
    severity = Severity.ERROR

    def check(self, doc: Document) -> Iterator[Hit]:
        yield from self.problems(doc, "unsafe")
        data = branch_data(self.context.sections, self.context.root)
        if data is not None:
            # The same decision the site build makes (sop_lint.site.render.publish_problems).
            for problem in publish_problems(
                doc.metadata, doc.metadata_lines, body_of(doc), doc.body_start_line
            ):
                yield Hit(_line_span(doc, problem.line), problem.message)
        if data is None or template_of(doc) is None:
            return
        for branch in publishing_branches(doc, data):
            result = rendered(doc, data, branch)
            # A missing value is J003's finding, not an unsafe template.
            if result is not None and result.error is not None:
                problem = result.error.problem
                if problem.kind == "missing":
                    continue
                yield Hit(_line_span(doc, problem.line), f"{problem.message} (branch {branch.id})")
                return  # the same template fails the same way for the others


@register
class BranchVariableMissing(Rule):
    """Flags a branch value that some branch publishing the page does not have.

    **What it flags:** ``{{ branch.<name> }}`` (or ``{{ org.<name> }}``) where a branch
    that publishes the page (its language, and ``applies_to``) has no ``<name>`` in the
    branches file, neither its own nor in ``defaults``. The finding names those branches.

    **Why:** the build stops for those branches; if it did not, their staff would read a
    procedure with a blank where the phone number should be.

    **Instead:** add the value to those branches (or to ``defaults``) in the branches
    file, leave them out of ``applies_to``, or show the text only where it applies:
    ``{% if branch.towing_phone is defined %}Call {{ branch.towing_phone }}.{% endif %}``.
    """

    code = "J003"
    name = "branch-variable-missing"
    severity = Severity.ERROR

    def check(self, doc: Document) -> Iterator[Hit]:
        data = branch_data(self.context.sections, self.context.root)
        if data is None:
            return
        template = template_of(doc)
        if template is None or not template.analysis.ok:
            return
        lacking: dict[str, list[str]] = {}
        at: dict[str, int] = {}  # the line a render error named, for a value it stopped on
        for branch in publishing_branches(doc, data):
            result = rendered(doc, data, branch)
            if result is None:
                continue
            if result.error is not None and result.error.problem.kind == "missing":
                problem = result.error.problem
                if problem.variable:
                    lacking.setdefault(problem.variable, []).append(branch.id)
                    at.setdefault(problem.variable, problem.line)
                continue
            for name in result.missing:
                lacking.setdefault(name, []).append(branch.id)
        shown = data.path.name
        for name, branch_ids in lacking.items():
            line = template.uses.get(name, at.get(name, doc.body_start_line))
            namespace, _, key = name.partition(".")
            if namespace == "org":
                message = (
                    f"{{{{ {name} }}}} is not in {shown}: add {key} under org, or remove it "
                    "from the page"
                )
            else:
                several = len(branch_ids) > 1
                message = (
                    f"{{{{ {name} }}}} is not defined for {', '.join(branch_ids)}: add {key} to "
                    f"{'those branches' if several else 'that branch'} (or to defaults) in "
                    f"{shown}, leave {'them' if several else 'it'} out of applies_to, or "
                    f"guard it with {{% if {name} is defined %}}"
                )
            yield Hit(_line_span(doc, line), message)


@register
class UnknownBranch(Rule):
    """Flags an ``applies_to`` entry that names no branch in the branches file.

    **What it flags:** a branch id in the front matter's ``applies_to`` list that the
    branches file does not have, such as a typo (``stockholm-cty``) or a closed branch.

    **Why:** the SOP is silently not published for the branch the writer meant.

    **Instead:** use an ``id`` from the branches file (its ``- id:`` lines), or
    ``applies_to: all`` for every branch.
    """

    code = "J004"
    name = "unknown-branch"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Hit]:
        data = branch_data(self.context.sections, self.context.root)
        if data is None or "applies_to" not in doc.metadata:
            return
        wanted = applies_to_ids(doc.metadata["applies_to"])
        if wanted is None:
            return
        first = doc.metadata_lines.get("applies_to", 1)
        known = set(data.ids)
        for branch_id in sorted(wanted - known):
            line = next(
                (
                    n
                    for n in range(first, max(first, doc.body_start_line - 1) + 1)
                    if branch_id in doc.line_text(n)
                ),
                first,
            )
            text = doc.line_text(line)
            found = text.find(branch_id)
            # YAML may fold a value over several lines ("[a,\n b]"): then the id is on no
            # one line, and the finding marks the key's line rather than run past its end.
            column, end = (
                (found + 1, found + 1 + len(branch_id)) if found >= 0 else (1, len(text) + 1)
            )
            yield Hit(
                Span(line, column, line, end),
                f"applies_to names '{branch_id}', which is not a branch in {data.path.name}; "
                f"branches: {', '.join(data.ids)}",
            )


@register
class RawHtmlStripped(Rule):
    """Flags raw HTML in an SOP that the site removes when it publishes the page.

    **What it flags:** an HTML tag or attribute in the SOP's text that is not on the site's
    allow-list, at its line and column: ``<script>``, ``<style>``, ``<iframe>``,
    ``<object>``, ``<form>`` and its fields, event attributes such as ``onclick=``, links
    to ``javascript:`` or ``data:``, and styles other than table alignment. Tags writers
    use, such as ``<kbd>``, ``<br>``, ``<details>``/``<summary>``, ``<abbr>``, ``<sup>``,
    ``<sub>``, ``<mark>``, tables and images, are kept and not flagged. Code (between
    backticks, or in a code block) is text and is not flagged.

    **Why:** SOPs are published on every branch's site, so the build removes anything that
    could run code or send staff elsewhere. What it removes is silently missing from the
    published page: a button or a coloured warning the writer expected is not there.

    **Instead:** write it in Markdown: **bold** for emphasis, ``[title](https://...)`` for
    a link to a form or a page, ``![description](image.png)`` for a picture, and
    ``:---``/``---:`` to align a table column. If a page really needs more, ask the site
    maintainer.

    **Options:** none. The allow-list is the site's (``sop_lint.html_policy``), the same
    one the build uses.
    """

    code = "J005"
    name = "raw-html-stripped"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Hit]:
        if branch_data(self.context.sections, self.context.root) is None:
            return
        if doc.body_start_line > doc.line_count:
            return  # front matter only: no body to publish
        start = doc._line_starts[doc.body_start_line - 1] if doc.body_start_line > 1 else 0
        if "<" not in doc.source[start:]:
            return
        text = _prose_only(doc.source[start:])
        for found in stripped(text):
            line, column = doc.line_col(start + found.offset)
            end_line, end_column = doc.line_col(start + found.offset + found.length)
            if end_line != line:  # a tag over several lines: the finding is its first line
                end_line, end_column = line, len(doc.line_text(line)) + 1
            yield Hit(
                Span(line, column, end_line, max(end_column, column + 1)),
                f"the site removes {found.what} when it publishes this page; {found.advice}",
            )


def _prose_only(body: str) -> str:
    """``body`` with code blocks and code spans blanked (same length, newlines kept): HTML
    written inside code is shown as text, never run."""
    from sop_lint.parser import markdown_parser

    chars = list(body)
    lines = body.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    for token in markdown_parser().parse(body):
        if token.type in ("fence", "code_block") and token.map:
            first, last = token.map
            end = starts[last] if last < len(starts) else len(body)
            for i in range(starts[first], end):
                if chars[i] != "\n":
                    chars[i] = " "
    masked = "".join(chars)
    if "`" not in masked:
        return masked
    return _blank_code_spans(masked)


_TICKS = re.compile(r"`+")


def _blank_code_spans(text: str) -> str:
    """Blank every code span: a run of n backticks up to the next run of exactly n. One
    pass over the runs (a run with no partner is plain text), so long runs of backticks
    cost no more than their length."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    position_in: dict[int, int] = {}  # run index -> its place in by_length[its length]
    for indexes in by_length.values():
        for place, index in enumerate(indexes):
            position_in[index] = place
    chars = list(text)
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        place = position_in[index] + 1
        if place < len(same):
            closer = same[place]
            close_end = runs[closer][1]
            for i in range(start, close_end):
                if chars[i] != "\n":
                    chars[i] = " "
            index = closer + 1
        else:
            index += 1
    return "".join(chars)
