"""Grammar and spelling through LanguageTool (optional; off by default).

See :mod:`sop_lint.grammar` for where the server comes from and how offsets are mapped.
"""

from __future__ import annotations

from collections.abc import Iterator

from sop_lint.grammar import GrammarSettings, GrammarUnavailable, check_document
from sop_lint.model import Document, Severity
from sop_lint.rules.base import Hit, Rule, RuleUnavailable, register


@register
class Grammar(Rule):
    """Flags grammar and spelling mistakes that LanguageTool finds.

    **What it flags:** whatever the configured LanguageTool server reports for the SOP's
    prose (code, tables, URLs and ``{{ branch.value }}`` placeholders are not sent or not
    reported), at the line and column of the mistake, with LanguageTool's suggestions.
    LanguageTool supports English and Swedish well; it has no Telugu, and Norwegian only
    where the server has it.

    **Why:** a spelling mistake in a procedure makes staff doubt the rest of it, and a
    grammar slip can change what a step asks for.

    **Instead:** apply the suggested correction, or add a real term (a product or system
    name) to the server's spelling list.

    **Options:** none here; the server is set by ``url`` in ``[tool.sop-lint.grammar]`` or
    by ``SOP_LINT_LANGUAGETOOL_URL``, and ``language-variants`` (e.g. ``en = "en-GB"``) and
    ``disabled-rules`` are set there too. Turn the rule on with
    ``extend-select = ["grammar"]``. When the server cannot be reached, ``sop-lint
    check`` warns once and runs the other rules; ``--require-languagetool`` makes that an
    error.
    """

    code = "G001"
    name = "grammar"
    severity = Severity.WARNING
    enabled_by_default = False

    def check(self, doc: Document) -> Iterator[Hit]:
        settings = GrammarSettings.from_config(self.context.sections.get("grammar"))
        try:
            # All matches first: a request that fails must not leave half a file's findings.
            matches = list(check_document(doc, settings))
        except GrammarUnavailable as exc:
            # Not silent: the engine records it, the command warns (and fails under
            # --require-languagetool); the other rules still run.
            raise RuleUnavailable(f"grammar not checked: {exc}") from None
        for match in matches:
            suggestion = (
                "Write " + " or ".join(f"\u201c{r}\u201d" for r in match.replacements) + "."
                if match.replacements
                else None
            )
            yield Hit(match.span, f"{match.message} (LanguageTool {match.rule_id})", suggestion)
