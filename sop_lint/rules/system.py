"""System rules: problems with the file itself rather than its prose.

The engine reports these while reading files and suppression comments; they are rules so
that they have a code, can be documented, selected and ignored like any other.
"""

from __future__ import annotations

from collections.abc import Iterator

from sop_lint.model import Document, Severity, Span
from sop_lint.rules.base import Hit, Rule, register


@register
class UnreadableFile(Rule):
    """Flags a file that cannot be read as UTF-8 Markdown text.

    **What it flags:** a file that does not exist, cannot be opened, is binary (contains
    NUL bytes) or is not valid UTF-8. The finding names the line of the first bad byte.

    **Why:** sop-lint and the site builder read SOPs as UTF-8 text. A file in another
    encoding shows staff garbled letters (``Ã¶`` instead of ``ö``); a binary file is not a
    procedure at all.

    **Instead:** save the file as UTF-8 (most editors: *Save with encoding* -> *UTF-8*),
    or move non-Markdown files out of the docs folder.
    """

    code = "S001"
    name = "unreadable-file"
    severity = Severity.ERROR

    def check(self, doc: Document) -> Iterator[Hit]:
        return iter(())  # reported by the engine when it reads the file


@register
class InvalidFrontMatter(Rule):
    """Flags front matter that is not valid YAML ``key: value`` data.

    **What it flags:** a ``---`` block at the top of the file that is never closed, is
    not valid YAML, is not a mapping of keys to values, uses YAML aliases, or holds a
    ``lang`` that is not a language code.

    **Why:** the front matter carries the SOP's id, version, owner and language. When it
    cannot be read, no other check knows which language to use or which SOP this is.

    **Instead:** write one ``key: value`` per line between two ``---`` lines; quote values
    that contain a colon, e.g. ``title: "Returns: in store"``.
    """

    code = "S002"
    name = "invalid-front-matter"
    severity = Severity.ERROR

    def check(self, doc: Document) -> Iterator[Hit]:
        for problem in doc.problems:
            if problem.code == self.name:
                span = Span(problem.line, problem.column, problem.line, problem.column + 1)
                yield Hit(span, problem.message)


@register
class UnknownRuleInSuppression(Rule):
    """Flags a ``<!-- sop-lint-disable ... -->`` comment that names no known rule.

    **What it flags:** a suppression comment whose rule code or name does not exist, such
    as a typo (``sentence-to-long``) or a rule removed in a newer version.

    **Why:** a suppression that names nothing suppresses nothing, so the writer believes a
    finding is silenced when it is not, or leaves dead comments behind.

    **Instead:** use a code or name from ``sop-lint rules``, e.g.
    ``<!-- sop-lint-disable-next-line sentence-too-long -->``, or remove the comment.
    """

    code = "S003"
    name = "unknown-rule-in-suppression"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Hit]:
        return iter(())  # reported by the engine, which knows the registry


@register
class UnsupportedLanguage(Rule):
    """Reports, once per file, that the file's language has no sop-lint language module.

    **What it flags:** a file whose ``lang`` (or the configured default language) is not
    one sop-lint supports (English ``en``, Swedish ``sv``, Norwegian Bokmål ``nb``,
    Telugu ``te``). Language-specific checks (readability grading, abbreviations in
    sentence splitting) are skipped for it; structure checks still run.

    **Why:** silently skipping checks would let a writer believe the file passed them.

    **Instead:** set ``lang`` in the front matter to a supported code if the code is
    wrong (``no`` and ``nb-NO`` are read as ``nb``), or accept the reduced checking.
    """

    code = "S004"
    name = "unsupported-language"
    severity = Severity.INFO

    def check(self, doc: Document) -> Iterator[Hit]:
        if doc.language is None:
            line = doc.metadata_lines.get("lang", doc.metadata_lines.get("language", 1))
            yield Hit(
                Span(line, 1, line, 1),
                f"Language {doc.language_code!r} is not supported: readability and other "
                "language checks were skipped; supported: en, sv, nb, te.",
            )
