"""Checks across the whole SOP set: what no single file can show.

These rules run after every file has been checked, on a small summary of each
(front matter and its lines), so they work the same with one process or many.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sop_lint.branching.overrides import override_of
from sop_lint.model import DocumentSummary, Location, Severity, Span
from sop_lint.rules.base import Hit, ProjectRule, register


def _key_span(summary: DocumentSummary, key: str) -> Span:
    line = summary.metadata_lines.get(key, 1)
    text = summary.lines.get(line, "")
    column = text.find(":") + 3 if ":" in text else 1
    return Span(line, column, line, max(column + 1, len(text) + 1))


@register
class DuplicateId(ProjectRule):
    """Flags two SOPs in the same language that share an ``id``.

    **What it flags:** an ``id`` in the front matter that another checked SOP in the same
    language also uses. Each file is flagged and names the other. Translations may share
    their source's id only through ``translation_of``; a translation with the same ``id``
    and a different ``lang`` is not flagged, nor is a branch's own copy of an SOP (in a
    ``branches/<branch-id>/`` folder), which keeps the id of the SOP it replaces.

    **Why:** the id is how staff, audits and other SOPs refer to a procedure. Two
    procedures with one id make every reference to it ambiguous.

    **Instead:** give the newer SOP the next free id in its series (``CS-006``), and keep
    ids stable once published.
    """

    code = "D001"
    name = "duplicate-id"
    severity = Severity.ERROR

    def check_project(
        self, summaries: list[DocumentSummary]
    ) -> Iterator[tuple[DocumentSummary, Hit]]:
        by_id: dict[tuple[str, str], list[DocumentSummary]] = defaultdict(list)
        for summary in summaries:
            if override_of(summary.path) is not None:
                continue  # a branch's copy keeps the id of the SOP it replaces (J006)
            sop_id = summary.metadata.get("id")
            if isinstance(sop_id, str | int) and str(sop_id).strip():
                by_id[(str(sop_id).strip(), summary.language)].append(summary)
        for (sop_id, _), group in by_id.items():
            if len(group) < 2:
                continue
            for summary in group:
                others = ", ".join(
                    f"{o.path}:{o.metadata_lines.get('id', 1)}" for o in group if o is not summary
                )
                yield (
                    summary,
                    Hit(
                        _key_span(summary, "id"),
                        f"id \u201c{sop_id}\u201d is also used by {others}; "
                        "give each SOP its own id.",
                        # The other files: what SARIF shows, and where --diff-base puts
                        # the finding when only the other file changed.
                        related=tuple(
                            Location(o.path, o.metadata_lines.get("id", 1), 1, "the same id")
                            for o in group
                            if o is not summary
                        ),
                    ),
                )
