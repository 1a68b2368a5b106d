"""Branch templates: SOPs that show each branch its own values with ``{{ branch.phone }}``.

These rules run when the configuration has a ``[tool.sop-lint.branches]`` table (the
project publishes per-branch sites). Without one, ``{{ ... }}`` in a page is just text:
sop-lint does not know which template language, if any, will read it.
"""

from __future__ import annotations

from collections.abc import Iterator

from sop_lint.model import Document, Severity, Span
from sop_lint.rules.base import Hit, Rule, register
from sop_lint.site.branches import applies_to_ids
from sop_lint.site.lint import branch_data, publishing_branches, rendered, template_of


def _line_span(doc: Document, line: int) -> Span:
    """The template on a line: from its first ``{{``/``{%`` to the end of the line."""
    text = doc.line_text(line)
    starts = [i for i in (text.find("{{"), text.find("{%"), text.find("{#")) if i >= 0]
    column = min(starts) + 1 if starts else 1
    return Span(line, column, line, max(len(text) + 1, column + 1))


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
    ``{% endif %}``: *"Call {{ branch.phone }} and ask for the manager."*; to show
    braces as text, wrap them in ``{% raw %}`` ... ``{% endraw %}``.
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
    page whose rendering takes too long or makes too much text. Nothing in it is run.

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
        if data is None or template_of(doc) is None:
            return
        for branch in publishing_branches(doc, data):
            result = rendered(doc, data, branch)
            if result is not None and result.error is not None:
                problem = result.error.problem
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
        for branch in publishing_branches(doc, data):
            result = rendered(doc, data, branch)
            if result is None:
                continue
            for name in result.missing:
                lacking.setdefault(name, []).append(branch.id)
        shown = data.path.name
        for name, branch_ids in lacking.items():
            line = template.uses.get(name, doc.body_start_line)
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
