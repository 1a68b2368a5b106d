"""References between SOPs: links and "see CS-004" mentions that lead nowhere.

Works from the per-file summaries (:mod:`sop_lint.crossdoc`), after every file has been
checked, so it gives the same findings with one process or many.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from sop_lint.model import DocumentSummary, Location, Severity, Span
from sop_lint.rules.base import Hit, ProjectRule, register
from sop_lint.safe_io import RefusedRead, read_guarded_text

_ID_PARTS = re.compile(r"^(.*?)[0-9]+$")


def _prefix(sop_id: str) -> str:
    """The series of an id: "CS-" for "CS-004"."""
    match = _ID_PARTS.match(sop_id)
    return match[1] if match else sop_id


def _id_pattern(rule: ProjectRule) -> re.Pattern[str] | None:
    """The template's pattern for ids, if it has one that compiles here."""
    try:
        from sop_lint.template import template_for

        template = template_for(rule.context.sections.get("template"), rule.context.root)
        spec = template.metadata.get("id")
        return re.compile(spec.pattern) if spec is not None and spec.pattern else None
    except Exception:  # no usable template: the template rules report it
        return None


def default_slugs(root: Path) -> bool:
    """Whether the site's anchors are made by the toc extension's default rule: the
    project has an ``mkdocs.yml`` that does not choose another ``slugify``. Without one,
    sop-lint does not know how anchors are made, and does not judge them."""
    try:
        text = read_guarded_text(root / "mkdocs.yml", root, 1024 * 1024)
    except RefusedRead:
        return False
    return "slugify" not in text


@register
class BrokenReference(ProjectRule):
    """Flags a link or an id mention that leads to no SOP, or to a retired one.

    **What it flags:** in a checked SOP, (1) a link to another Markdown file by relative
    path (``retur.md``, ``../sv/retur.md#procedure``) whose file does not exist; (2) a link
    whose anchor (``#procedure``) is no heading of the target; (3) an id after "see",
    "se", "jf.", "jfr", "sjå" or before Telugu "చూడండి" ("see CS-004") that no checked SOP
    has, when the id belongs to a series the checked SOPs use (``CS-``) and the run
    checked every Markdown file in the folders it looked at; (4) a link or id
    that leads to an SOP whose ``status`` is retired (by default ``superseded``,
    ``withdrawn`` or ``retired``). Links to web addresses, e-mail, phone numbers, pictures
    and files that are not Markdown are not checked, nor a link to a file that exists but
    was not checked in this run. An anchor is judged only where sop-lint is sure how the
    site makes the target's anchors: the project's ``mkdocs.yml`` keeps the toc
    extension's default slug rule, and the target's headings are plain text.

    **Why:** staff follow references while they work. A link that leads to "page not
    found", or to a procedure that no longer applies, sends them the wrong way at the
    worst moment.

    **Instead:** point the link at the file and heading as they are now, or at the SOP
    that replaced the retired one; correct the id.

    **Options:** ``retired-statuses`` (list): the statuses that mean an SOP no longer
    applies; a link to such an SOP is a warning, a link that leads nowhere an error.
    ``anchors`` (``"auto"``, ``true`` or ``false``): whether to judge the part after
    ``#``; ``"auto"`` judges it when ``mkdocs.yml`` uses the default slug rule.
    """

    code = "D010"
    name = "broken-reference"
    severity = Severity.ERROR
    options = {"retired-statuses": ["superseded", "withdrawn", "retired"], "anchors": "auto"}

    def check_project(
        self, summaries: list[DocumentSummary]
    ) -> Iterator[tuple[DocumentSummary, Hit]]:
        retired_statuses = {str(s).strip().lower() for s in self.config["retired-statuses"]}
        by_path = {s.path.replace("\\", "/"): s for s in summaries}
        by_id: dict[str, list[DocumentSummary]] = {}
        for summary in summaries:
            sop_id = summary.metadata.get("id")
            if isinstance(sop_id, str | int) and str(sop_id).strip():
                by_id.setdefault(str(sop_id).strip(), []).append(summary)
        series = {_prefix(sop_id) for sop_id in by_id}
        pattern = _id_pattern(self)
        anchors = self.config["anchors"]
        judge_anchors = default_slugs(self.context.root) if anchors == "auto" else bool(anchors)

        def retired(summary: DocumentSummary) -> str | None:
            status = summary.metadata.get("status")
            if isinstance(status, str) and status.strip().lower() in retired_statuses:
                return status.strip()
            return None

        def where(summary: DocumentSummary, key: str) -> Location:
            line = summary.metadata_lines.get(key, 1)
            return Location(summary.path, line, 1, f"{key} of {summary.path}")

        for summary in summaries:
            for link in summary.links:
                span = Span(link.line, link.column, link.line, link.end_column)
                target = by_path.get(link.target)
                if target is None:
                    if not link.exists:
                        yield (
                            summary,
                            Hit(
                                span,
                                f"the link to \u201c{link.written}\u201d leads to a file that "
                                "does not exist; correct the path, or remove the link.",
                            ),
                        )
                    continue  # a file that exists but is not checked: not ours to judge
                if (
                    judge_anchors
                    and link.anchor
                    and target.anchors is not None
                    and link.anchor not in target.anchors
                ):
                    same = target is summary
                    yield (
                        summary,
                        Hit(
                            span,
                            f"the link to \u201c{link.written}\u201d points to a heading "
                            f"\u201c#{link.anchor}\u201d that "
                            f"{'this file' if same else target.path} does not have; link to "
                            "a heading that is there (the part after # is the heading in "
                            "lower case, spaces as dashes), or leave out the #part.",
                            related=()
                            if same
                            else (Location(target.path, 1, 1, "the linked file"),),
                        ),
                    )
                    continue
                status = retired(target) if target is not summary else None
                if status is not None:
                    yield (
                        summary,
                        Hit(
                            span,
                            f"the link to \u201c{link.written}\u201d leads to an SOP whose status "
                            f"is \u201c{status}\u201d ({target.path}); link to the SOP that "
                            "replaced it instead.",
                            severity=Severity.WARNING,
                            related=(where(target, "status"),),
                        ),
                    )
            for mention in summary.mentions:
                sop_id = mention.sop_id
                if _prefix(sop_id) not in series or (pattern and not pattern.search(sop_id)):
                    continue  # not one of this organisation's ids (an ISO number, a form)
                span = Span(mention.line, mention.column, mention.line, mention.end_column)
                targets = by_id.get(sop_id)
                if not targets and self.partial:
                    continue  # only some files were checked: the SOP may be among the rest
                if not targets:
                    yield (
                        summary,
                        Hit(
                            span,
                            f"no checked SOP has the id \u201c{sop_id}\u201d; correct the id, "
                            "or link to the SOP you mean.",
                        ),
                    )
                    continue
                if summary in targets:
                    continue
                # The SOP in the reader's language if there is one, else any.
                target = next((t for t in targets if t.language == summary.language), targets[0])
                status = retired(target)
                if status is not None:
                    yield (
                        summary,
                        Hit(
                            span,
                            f"\u201c{sop_id}\u201d is an SOP whose status is \u201c{status}\u201d "
                            f"({target.path}); refer to the SOP that replaced it instead.",
                            severity=Severity.WARNING,
                            related=(where(target, "status"),),
                        ),
                    )
