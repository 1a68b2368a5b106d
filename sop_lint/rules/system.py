"""System rules: problems with the file itself rather than its prose.

The engine reports these while reading files and suppression comments; they are rules so
that they have a code, can be documented, selected and ignored like any other.
"""

from __future__ import annotations

from collections.abc import Iterator

from sop_lint.languages.detect import NAMES, plain_language
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
    not valid YAML, is not a mapping of keys to values, uses YAML aliases, nests lists or
    tables more than 20 deep, or holds a ``lang`` that is not a language code; and, at its
    line, a value YAML cannot read: a date that does not exist (``2027-02-30``), a number
    over 100 characters, a tagged value that does not fit its tag (``!!int many``). Such
    a value is kept as the text written, so the rest of the front matter is still checked.

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


@register
class LanguageMismatch(Rule):
    """Reports, once per file, that its text is plainly in another language than it is checked in.

    **What it flags:** a file whose prose is clearly written in one supported language
    (English, Swedish, Norwegian Bokmål or Telugu) while it is checked as another, because
    its front matter has no ``lang`` and the default (``language`` in the configuration or
    ``--lang``) is a different one, or because its ``lang`` is wrong. The language is told
    from the share of words only that language uses (``the``/``och``/``og``, ``is``/``är``/
    ``er``), and Telugu from its script. Files with fewer than 40 words of prose, files that
    mix languages (an English SOP quoting a Swedish sentence), code-heavy files and files
    that could be Danish get no finding: the rule only speaks when it is sure.

    **Why:** every language check (tense, steps, readability formula, wordy phrases) reads
    the text with the rules of the language in force. A Swedish routine checked as English
    gets an English readability score and English grammar, and its findings are wrong
    without a word of warning. The other rules still run in the language in force, so the
    output is predictable; this finding says why it looks odd and how to fix it.

    **Instead:** declare the language: add ``lang: sv`` (or ``en``, ``nb``, ``te``) to the
    file's front matter, run ``sop-lint check --lang sv``, or set ``language = "sv"`` in the
    configuration (for one folder: an ``overrides`` entry with ``paths`` and ``language``).
    """

    code = "S005"
    name = "language-mismatch"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Hit]:
        if doc.language is None:
            return  # unsupported-language (S004) already says what was skipped
        detected = plain_language(block.text for block in doc.blocks)
        if detected is None or detected == doc.language_code:
            return
        reads_as, checked_as = NAMES[detected], NAMES.get(doc.language_code, doc.language_code)
        key = "lang" if "lang" in doc.metadata else "language"
        if key in doc.metadata:
            line = doc.metadata_lines.get(key, 1)
            message = (
                f"This file reads as {reads_as}, but its front matter says "
                f"`{key}: {doc.metadata[key]}`, so it is checked as {checked_as}: change it "
                f"to `lang: {detected}`."
            )
        else:
            line = doc.body_start_line
            message = (
                f"This file reads as {reads_as}, but is checked as {checked_as}: add "
                f"`lang: {detected}` to its front matter, or run with `--lang {detected}`."
            )
        yield Hit(Span(line, 1, line, 1), message)
