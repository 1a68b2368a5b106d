"""Branch templates: SOPs that show each branch its own values with ``{{ branch.phone }}``.

These rules run when the configuration has a ``[tool.sop-lint.branches]`` table (the
project publishes per-branch sites). Without one, ``{{ ... }}`` in a page is just text:
sop-lint does not know which template language, if any, will read it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import TypedDict

from sop_lint.branching.data import applies_to_ids
from sop_lint.branching.lint import (
    body_of,
    branch_data,
    publishing_branches,
    rendered,
    template_of,
)
from sop_lint.branching.overrides import copies_of, override_of
from sop_lint.branching.render import publish_problems
from sop_lint.html_policy import stripped
from sop_lint.languages.base import expression_spans
from sop_lint.model import Document, DocumentSummary, Location, Severity, Span
from sop_lint.rules.base import Hit, ProjectRule, Rule, RunContext, register


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
            # The same decision the site build makes (sop_lint.branching.render.publish_problems).
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
            if first >= len(starts):
                continue  # markdown-it counts a lone CR as a line break; split("\n") does not
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


# -- branch overrides ----------------------------------------------------------------------

# A procedure longer than this is compared on its first steps only: it bounds the diff
# (difflib is quadratic in the worst case) and the summary a worker sends back.
MAX_COMPARED_STEPS = 300
MAX_STEP_CHARS = 2000
MAX_SHOWN_DIFFERENCES = 4
QUOTE_CHARS = 70
_MARKER_RE = re.compile(r"^\s*(?:\d{1,9}[.)]|[-*+])\s+")
_SPACE_RE = re.compile(r"\s+")
_VALUE_RE = re.compile(r"^(branch|org)(?:\.([a-z][a-z0-9_]*)|\[[\"']([a-z][a-z0-9_]*)[\"']\])$")


def _normalised(text: str) -> str:
    """``text`` with runs of white space as one space and each ``{{ ... }}`` written one
    way (``{{branch.phone}}`` and ``{{ branch.phone }}`` are the same value)."""
    out = []
    position = 0
    for start, end in expression_spans(text):
        out.append(text[position:start])
        inner = text[start + 2 : end - 2].strip().strip("-").strip()
        out.append("{{ " + _SPACE_RE.sub("", inner) + " }}")
        position = end
    out.append(text[position:])
    return _SPACE_RE.sub(" ", "".join(out)).strip()


def _filled(text: str, values: dict[str, dict[str, str]]) -> str:
    """``text`` (normalised) with each plain ``{{ branch.x }}``/``{{ org.x }}`` replaced by
    the branch's value: a copy that writes the value out and a standard that uses the
    variable say the same thing. Anything else (a filter, a value the branch lacks)
    stays as written."""
    if "{{" not in text:
        return text
    out = []
    position = 0
    for start, end in expression_spans(text):
        match = _VALUE_RE.match(text[start + 3 : end - 3])
        value = None
        if match:
            value = values.get(match[1], {}).get(match[2] or match[3])
        out.append(text[position:start])
        out.append(text[start:end] if value is None else str(value))
        position = end
    out.append(text[position:])
    return _SPACE_RE.sub(" ", "".join(out)).strip()


def _step_texts(doc: Document, context: RunContext) -> list[tuple[int, str]]:
    """Each procedure step of ``doc``: its first line and its whole text, normalised."""
    from sop_lint.rules.steps import procedure_items

    steps = []
    for item in procedure_items(doc, True, context)[:MAX_COMPARED_STEPS]:
        last = max((b.end_line for b in item.blocks), default=item.line)
        lines = [doc.line_text(n) for n in range(item.line, last + 1)]
        lines[0] = _MARKER_RE.sub("", lines[0], count=1)
        steps.append((item.line, _normalised(" ".join(lines))[:MAX_STEP_CHARS]))
    return steps


def _quote(text: str) -> str:
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1].rstrip() + "\u2026"
    return f"\u201c{text}\u201d"


class CopyData(TypedDict):
    """What branch-drift keeps of an SOP or a branch's copy of it."""

    steps: list[tuple[int, str]]  # each step's first line and its normalised text
    body: str  # the normalised Markdown after the front matter


@register
class BranchDrift(ProjectRule):
    """Shows how a branch's own copy of an SOP differs from the standard SOP.

    **What it flags:** an SOP in a ``branches/<branch-id>/`` folder (a branch's copy, which
    that branch's site publishes in place of the standard SOP next to the folder: see the
    publishing guide). One finding on the copy lists the procedure steps that differ from
    the standard's, after both have that branch's values filled in: *step 3 differs: the
    standard says "Ask for the receipt.", this copy says "Ask for the receipt and ID.";
    step 5 is only here; step 7 is standard step 6, moved*. A step that only differs by a
    branch value (``{{ branch.phone }}`` in the standard, the number written out in the
    copy) is not a difference, and a copy that differs only outside its steps is not
    flagged. A warning:
    a copy that says the same as the standard (redundant), and a copy no site publishes
    (its folder names no branch in the branches file, or that branch does not publish the
    standard SOP: its languages, or ``applies_to``).

    **Why:** a procedure is meant to be the same at every branch. A copy drifts: the
    standard gets fixed and the copy does not. The finding keeps each difference in view,
    so it is kept on purpose or removed.

    **Instead:** for a small difference (a phone number, an address, opening hours), delete
    the copy and use a value from the branches file in the standard SOP:
    ``{{ branch.phone }}``, or ``{% if branch.id == "oslo-sentrum" %}`` for a sentence only
    one branch needs. Keep a copy only for a branch that really works differently, and
    when the standard changes, update the copy too. Delete a redundant copy: the branch
    then publishes the standard SOP.

    **Options:** none. The standard SOP must be checked in the same run (check the whole
    docs folder); a copy whose standard was not checked is not compared. Runs when the
    configuration has a ``[tool.sop-lint.branches]`` table.
    """

    summary_data = CopyData
    code = "J006"
    name = "branch-drift"
    severity = Severity.INFO
    per_branch = False

    @classmethod
    def summarise(cls, doc: Document, summary: DocumentSummary, context: RunContext) -> None:
        if "branches" not in context.sections:
            return
        override = override_of(doc.path)
        if override is None and not copies_of(doc.path):
            return  # neither a copy nor a standard with one: nothing to compare
        steps = _step_texts(doc, context)
        summary.data[cls.code] = {"steps": steps, "body": _normalised(body_of(doc))}
        if override is not None:  # the copy's steps are where its finding may be shown
            for line, _ in steps:
                summary.lines[line] = doc.line_text(line)
            summary.lines.setdefault(1, doc.line_text(1))

    def check_project(
        self, summaries: list[DocumentSummary]
    ) -> Iterator[tuple[DocumentSummary, Hit]]:
        data = branch_data(self.context.sections, self.context.root)
        if data is None:
            return
        by_path = {s.path: s for s in summaries if self.code in s.data}
        for summary in summaries:
            override = override_of(summary.path) if self.code in summary.data else None
            if override is None:
                continue
            standard = by_path.get(override.standard)
            if standard is None or override_of(standard.path) is not None:
                continue
            branch = data.get(override.branch_id)
            if branch is None:
                hit = Hit(
                    _summary_span(summary, summary.metadata_lines.get("id", 1)),
                    f"this copy is in a folder for branch '{override.branch_id}', which is "
                    f"not in {data.path.name}, so no site publishes it: rename the folder to "
                    f"a branch id ({', '.join(data.ids)}), or delete the copy",
                    severity=Severity.WARNING,
                    related=(_standard_at(standard, "id", "the standard SOP"),),
                )
            elif branch not in data.publishing(
                standard.language, standard.metadata.get("applies_to")
            ):
                hit = Hit(
                    _summary_span(summary, summary.metadata_lines.get("id", 1)),
                    f"{branch.id} does not publish {standard.path} (its languages in "
                    f"{data.path.name}, or the SOP's applies_to), so no site publishes this "
                    "copy: delete it, or add the branch to the standard SOP's applies_to",
                    severity=Severity.WARNING,
                    related=(_standard_at(standard, "applies_to", "the standard SOP"),),
                )
            else:
                values = {"branch": dict(branch.context()), "org": dict(data.org)}
                hit = self._compare(summary, standard, branch.id, values)
            if hit is not None:
                yield summary, hit

    def _compare(
        self,
        copy: DocumentSummary,
        standard: DocumentSummary,
        branch_id: str,
        values: dict[str, dict[str, str]],
    ) -> Hit | None:
        mine = copy.data[self.code]
        theirs = standard.data[self.code]
        ours = [(line, _filled(text, values)) for line, text in mine["steps"]]
        std = [_filled(text, values) for _, text in theirs["steps"]]
        texts = [text for _, text in ours]
        # (standard index or None, copy index or None) for each step that differs
        changes: list[tuple[int | None, int | None]] = []
        first_line = None
        matcher = difflib.SequenceMatcher(None, std, texts, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                if first_line is None:  # the copy's step where the first difference is
                    first_line = ours[min(j1, len(ours) - 1)][0] if ours else 1
                for k in range(max(i2 - i1, j2 - j1)):
                    i, j = i1 + k, j1 + k
                    changes.append((i if i < i2 else None, j if j < j2 else None))
        # A step only here whose text is a standard step missing here was moved.
        missing = {std[i]: i for i, j in changes if j is None and i is not None}
        moved = {
            j: missing[texts[j]]
            for i, j in changes
            if i is None and j is not None and texts[j] in missing
        }
        moved_from = set(moved.values())
        differences: list[str] = []
        for i, j in changes:
            if i is not None and j is not None:
                where = f"step {j + 1}" + (f" (standard step {i + 1})" if i != j else "")
                differences.append(
                    f"{where} differs: the standard says {_quote(std[i])}, "
                    f"this copy says {_quote(texts[j])}"
                )
            elif j is not None and j in moved:
                differences.append(f"step {j + 1} is standard step {moved[j] + 1}, moved")
            elif j is not None:
                differences.append(f"step {j + 1} is only here: {_quote(texts[j])}")
            elif i is not None and i not in moved_from:
                differences.append(f"standard step {i + 1} is missing here: {_quote(std[i])}")
        if not differences:
            if _filled(mine["body"], values) != _filled(theirs["body"], values):
                return None  # the steps agree; another section differs: nothing to show
            line = copy.metadata_lines.get("id", 1)
            return Hit(
                _summary_span(copy, line),
                f"this copy of {standard.path} for {branch_id} says the same as the "
                f"standard SOP: delete it, and {branch_id} publishes the standard SOP",
                severity=Severity.WARNING,
                related=(_standard_at(standard, "id", "the standard SOP"),),
            )
        shown = differences[:MAX_SHOWN_DIFFERENCES]
        more = len(differences) - len(shown)
        if more:
            shown.append(f"and {more} more difference{'s' if more > 1 else ''}")
        if MAX_COMPARED_STEPS in (len(std), len(texts)):
            shown[-1] += f" (in the first {MAX_COMPARED_STEPS} steps, all that were compared)"
        # The standard's step where the first difference is, for "see also".
        first_std = next((i for i, _ in changes if i is not None), None)
        std_lines = [line for line, _ in theirs["steps"]]
        related = (
            Location(standard.path, std_lines[first_std], 1, "the standard SOP's step")
            if first_std is not None and first_std < len(std_lines)
            else _standard_at(standard, "id", "the standard SOP")
        )
        return Hit(
            _summary_span(copy, first_line or 1),
            f"the copy for {branch_id} differs from the standard SOP {standard.path}: "
            + "; ".join(shown)
            + ". Keep each difference only if this branch must work that way; put small "
            "differences in the branches file as {{ branch.<name> }} values instead.",
            related=(related,),
        )


def _standard_at(standard: DocumentSummary, key: str, message: str) -> Location:
    """The standard SOP at one of its front-matter lines (its id line without it)."""
    line = standard.metadata_lines.get(key) or standard.metadata_lines.get("id", 1)
    return Location(standard.path, line, 1, message)


def _summary_span(summary: DocumentSummary, line: int) -> Span:
    text = summary.lines.get(line, "")
    return Span(line, 1, line, max(len(text) + 1, 2))
