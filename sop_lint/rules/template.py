"""Template: each gap between an SOP and the organisation's standard template.

The template (``templates/default.yml``, or the file ``template`` names in the config) says
which front matter an SOP has, which sections in which order, and what a placeholder
looks like; see :mod:`sop_lint.template`. These rules apply only to files the template
recognises as SOPs (by default: front matter with an ``id``, ``version``, ``status``,
``owner``, ``approved_by`` or ``review_due``), so a home page or a guide is left alone.

Messages name the missing piece and where it goes, with section names in the SOP's own
language.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterator
from typing import Any

from sop_lint.model import Document, ListBlock, Section, Severity, Span, TableRow
from sop_lint.parser import blank_code_spans, markdown_parser, rewrite_material
from sop_lint.rules.base import Hit, Rule, RunContext, register
from sop_lint.template import (
    COLUMN_ROLES,
    FieldSpec,
    Heading,
    Missing,
    SectionSpec,
    Template,
    add_interval,
    analyse,
    content_lines,
    normalise_heading,
    parse_date,
    parse_interval,
    raw_value,
    template_for,
    title_of,
    version_key,
)

LANGUAGE_NAMES = {"en": "English", "sv": "Swedish", "nb": "Norwegian", "te": "Telugu"}
RETIRED = ("superseded", "withdrawn")  # statuses that need no review


class _TemplateRule(Rule):
    """A rule that compares an SOP with the template (the family's shared base)."""

    def __init__(
        self, options: dict[str, Any] | None = None, context: RunContext | None = None
    ) -> None:
        super().__init__(options, context)
        self.template: Template = template_for(
            self.context.sections.get("template"), self.context.root
        )

    def check(self, doc: Document) -> Iterator[Hit]:
        if self.template.is_sop(doc):
            yield from self.check_sop(doc)

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        raise NotImplementedError


# -- shared helpers ----------------------------------------------------------------------------


def _heading_span(doc: Document, section: Section) -> Span:
    if section.heading is not None and section.heading.text.strip():
        return section.heading.span
    text = doc.line_text(section.line)
    return Span(section.line, 1, section.line, len(text) + 1)


def _line_span(doc: Document, line: int) -> Span:
    """The text of ``line`` (at most the last line: an SOP that ends in its front matter
    has its missing sections reported there, not on a line the file does not have)."""
    line = min(line, doc.last_line)
    text = doc.line_text(line)
    start = len(text) - len(text.lstrip()) + 1
    return Span(line, start, line, max(len(text) + 1, start))


def _value_span(doc: Document, key: str) -> Span:
    """The value of front-matter ``key`` on its line (the whole line if it is empty)."""
    line = doc.metadata_lines.get(key, 1)
    text = doc.line_text(line)
    colon = text.find(":")
    value = text[colon + 1 :] if colon != -1 else ""
    start = colon + 1 + len(value) - len(value.lstrip()) if value.strip() else 0
    return Span(line, start + 1, line, max(len(text.rstrip()), start + 1) + 1)


def _quoted(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return f'"{text}"'


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _status(doc: Document) -> str:
    status = doc.metadata.get("status")
    return status.strip().lower() if isinstance(status, str) else ""


def _as_text(doc: Document, key: str) -> str | None:
    """A scalar front-matter value as text, as written (``1.10`` stays ``1.10``)."""
    value = doc.metadata.get(key)
    if value is None or isinstance(value, list | dict):
        return None
    if isinstance(value, str):
        return value.strip()
    return raw_value(doc, key) or str(value)


def _same_role(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _where_missing(doc: Document, template: Template, missing: Missing, lang: str) -> str:
    if missing.previous_missing is not None:
        previous = template.heading_of(missing.previous_missing, lang)
        return f'after "{previous}" (also missing)'
    if missing.anchor is not None:
        return f'{missing.relation} "{missing.anchor.text(doc)}"'
    title = title_of(doc, template)
    if title is not None:
        return f'below the title "{doc.line_text(title.line).strip()}"'
    return "at the top of the SOP"


def _missing_span(doc: Document, template: Template, missing: Missing) -> Span:
    if missing.anchor is not None:
        return _heading_span(doc, missing.anchor.section)
    title = title_of(doc, template)
    if title is not None:
        return _heading_span(doc, title)
    return _line_span(doc, doc.body_start_line)


# -- sections ----------------------------------------------------------------------------------


@register
class MissingSection(_TemplateRule):
    """Flags a section the template requires that the SOP does not have.

    **What it flags:** a required section of the template (by default Purpose, Scope,
    Roles and responsibilities, Procedure, Deviations and escalation, Records and
    Revision history) with no heading at the section level (``##``) in the SOP's language.
    Headings match by name or alias, ignoring case, numbering and punctuation
    (``## 3. Procedure``, ``## Utförande``). The message says where the section goes, and
    notices a heading in another language or at another level that was meant to be it.

    **Why:** staff find the same things in the same place in every SOP of every branch.
    An SOP without *Deviations and escalation* leaves the reader alone when something goes
    wrong; one without *Records* leaves no evidence that the work was done.

    **Instead:** add the heading where the message says, in the SOP's language, and write
    the section. *"Section "Scope" is missing; add "## Scope" after "## Purpose"."*
    """

    code = "T001"
    name = "missing-section"
    severity = Severity.ERROR

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        template = self.template
        structure = analyse(doc, template)
        lang = structure.lang
        for missing in structure.missing:
            name = template.name_of(missing.spec, lang)
            heading = template.heading_of(missing.spec, lang)
            if missing.renamed is not None:
                language = LANGUAGE_NAMES.get(missing.renamed_lang or "", missing.renamed_lang)
                yield Hit(
                    _heading_span(doc, missing.renamed.section),
                    f'Section "{name}" is missing: "{missing.renamed.text(doc)}" is its '
                    f'{language} name; rename it "{heading}" (this SOP is in '
                    f"{LANGUAGE_NAMES.get(lang, lang)}).",
                )
            elif missing.wrong_level is not None:
                found = missing.wrong_level
                yield Hit(
                    _heading_span(doc, found),
                    f'Section "{name}" is missing: "{doc.line_text(found.line).strip()}" is a '
                    f'level-{found.level} heading; make it "{heading}" '
                    f"(level {template.section_level}).",
                )
            else:
                yield Hit(
                    _missing_span(doc, template, missing),
                    f'Section "{name}" is missing; add "{heading}" '
                    f"{_where_missing(doc, template, missing, lang)}.",
                )
        for wildcard, after in structure.runs_short:
            where = f'after "{after.text(doc)}"' if after else "here"
            span = _heading_span(doc, after.section) if after else _line_span(doc, 1)
            yield Hit(
                span,
                f"A section of this SOP's own is expected {where} (the template has "
                f'"{wildcard.symbol}" there); add one.',
            )


@register
class SectionOrder(_TemplateRule):
    """Flags a section out of the template's order, or one that appears twice.

    **What it flags:** a template section whose heading comes before a section the
    template puts ahead of it (sop-lint keeps the longest run in the right order and
    flags the others), and a second heading for a section that appears only once.

    **Why:** readers learn where things are. When *Procedure* always follows *Roles and
    responsibilities*, a member of staff in any branch finds it without reading the rest.

    **Instead:** move the section where the message says (*"move it after "## Scope""*),
    and merge two sections of the same name into one.
    """

    code = "T002"
    name = "section-order"
    severity = Severity.WARNING

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        template = self.template
        structure = analyse(doc, template)
        lang = structure.lang
        for misplaced in structure.misplaced:
            heading = misplaced.heading
            assert heading.spec is not None
            yield Hit(
                _heading_span(doc, heading.section),
                f'Section "{template.name_of(heading.spec, lang)}" is out of order; move it '
                f'{misplaced.relation} "{misplaced.anchor.text(doc)}".',
            )
        for again, first in structure.duplicates:
            assert again.spec is not None
            yield Hit(
                _heading_span(doc, again.section),
                f'Section "{template.name_of(again.spec, lang)}" appears twice (first on line '
                f"{first.section.line}); merge the two into one section.",
            )


@register
class EmptySection(_TemplateRule):
    """Flags a heading with nothing under it.

    **What it flags:** a heading followed by nothing but blank lines and HTML comments
    before the next heading of the same or a higher level (its subsections count as
    content). A placeholder is content here; ``placeholder-left`` reports it.

    **Why:** an empty section promises information that is not there, and a reader who
    needs it (what to record, whom to call) is left without an answer.

    **Instead:** write the section, or delete the heading if the template does not require
    it.
    """

    code = "T003"
    name = "empty-section"
    severity = Severity.WARNING

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        template = self.template
        lang = template.language_for(doc.language_code)
        pending = list(reversed(doc.root.children))
        while pending:
            section = pending.pop()
            last = section.end_line or doc.line_count
            if next(content_lines(doc, section.line + 1, last), None) is not None:
                pending.extend(reversed(section.children))
                continue
            spec = (
                template.match(section.title, lang)
                if section.level == template.section_level
                else None
            )
            heading = section.title or doc.line_text(section.line).strip()
            if spec is not None and spec.required:
                advice = "write it: the template requires this section."
            elif spec is not None:
                advice = "write it, or delete the heading (the section is optional)."
            else:
                advice = "write what belongs here, or delete the heading."
            yield Hit(_heading_span(doc, section), f'Section "{heading}" is empty; {advice}')


@register
class UnknownSection(_TemplateRule):
    """Notes a section heading that is not part of the template.

    **What it flags:** a heading at the section level (``##``) that names no section of
    the template in the SOP's language, where the template allows no section of the SOP's
    own (``*``, ``+`` or ``?`` in the template's section list). It is information, not an
    error: the text may belong in a template section, or the template may need an alias.

    **Why:** extra sections at the top level make SOPs differ from branch to branch and
    push the standard sections apart.

    **Instead:** rename the heading to the template section it belongs to, make it a
    subsection (``###``) of that section, or ask the template's owner to add an alias.
    """

    code = "T004"
    name = "unknown-section"
    severity = Severity.INFO

    # Each unknown heading is compared with every template section name ("did you mean"):
    # past this many, one finding counts the rest, so that a file of 100,000 headings costs
    # neither 100,000 fuzzy matches nor 100,000 findings.
    max_reported = 100

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        template = self.template
        structure = analyse(doc, template)
        lang = structure.lang
        messages: dict[tuple[str, int], str] = {}  # a repeated heading is matched once
        for count, heading in enumerate(structure.unknown):
            if count == self.max_reported:
                rest = len(structure.unknown) - count
                yield Hit(
                    _heading_span(doc, heading.section),
                    f'Section "{heading.section.title}" and {rest - 1} more section headings '
                    f"after it are not in the template either (only the first "
                    f"{self.max_reported} are listed one by one); rename them to template "
                    "sections, or make them subsections of the sections they belong to.",
                )
                return
            key = (heading.section.title, heading.section.level)
            message = messages.get(key)
            if message is None:
                message = messages[key] = self._message(heading.section, lang)
            yield Hit(_heading_span(doc, heading.section), message)

    def _message(self, section: Section, lang: str) -> str:
        template = self.template
        title = section.title
        other = template.match_other_language(title, lang)
        if other is not None:
            spec, code = other
            name = template.name_of(spec, lang)
            return (
                f'Section "{title}" is the {LANGUAGE_NAMES.get(code, code)} name of '
                f'"{name}", which this SOP already has; merge it into "{name}".'
            )
        close = template.close_names(title, lang)
        if close:
            return f'Section "{title}" is not in the template; did you mean "{close[0]}"?'
        return (
            f'Section "{title}" is not in the template; rename it to a template '
            f'section, or make it a subsection ("{"#" * (section.level + 1)}'
            f' {title}") of the section it belongs to.'
        )


# -- placeholders ------------------------------------------------------------------------------


def _code_lines(doc: Document) -> set[int]:
    """1-based lines of fenced and indented code in ``doc``'s body."""
    body = "\n" * (doc.body_start_line - 1) + "\n".join(
        doc.line_text(n) for n in range(doc.body_start_line, doc.line_count + 1)
    )
    lines: set[int] = set()
    for token in markdown_parser().parse(rewrite_material(body)):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(token.map[0] + 1, token.map[1] + 1))
    return lines


@register
class PlaceholderLeft(_TemplateRule):
    """Flags template text that is still in the SOP.

    **What it flags:** text matching one of the template's ``placeholders`` (by default a
    ``[[placeholder]]`` as ``sop-lint new`` writes them, ``TODO``, ``TBD``, ``FIXME``,
    ``XXX`` and *lorem ipsum*), in the front matter or the body but not in code; and the
    template's guidance sentences copied without their brackets. An error, or a warning
    while the SOP's ``status`` is ``draft``.

    **Why:** a placeholder published to staff is an instruction nobody wrote; it looks
    finished from a distance and fails the reader who needs it.

    **Instead:** replace each placeholder with the SOP's own text, or delete the section
    if it is optional and does not apply.
    """

    code = "T005"
    name = "placeholder-left"
    severity = Severity.ERROR

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        template = self.template
        lang = template.language_for(doc.language_code)
        guidance = [
            " ".join(text.casefold().split())
            for spec in template.sections
            for text in (spec.guidance.get(lang),)
            if text and len(text) >= 20
        ]
        severity = Severity.WARNING if _status(doc) == "draft" else None
        source = doc.source
        if not any(p.search(source) for p in template.placeholders) and not any(
            g in " ".join(source.casefold().split()) for g in guidance
        ):
            return
        keys = {line: key for key, line in doc.metadata_lines.items()}
        code = _code_lines(doc)
        for number in range(1, doc.line_count + 1):
            if number in code:
                continue
            line = doc.line_text(number)
            in_front_matter = number < doc.body_start_line
            text = blank_code_spans(line)
            found: list[tuple[int, int]] = []
            for pattern in template.placeholders:
                for match in pattern.finditer(text):
                    if any(s < match.end() and match.start() < e for s, e in found):
                        continue
                    found.append((match.start(), match.end()))
                    span = Span(number, match.start() + 1, number, match.end() + 1)
                    key = keys.get(number) if in_front_matter else None
                    if key is not None:
                        message = f"{key} is still a placeholder ({_quoted(match[0])}); fill it in."
                    else:
                        message = (
                            f"Placeholder {_quoted(match[0])} is still here; replace it with "
                            "this SOP's own text."
                        )
                    yield Hit(span, message, severity=severity)
            if guidance and not in_front_matter:
                folded = text.casefold()
                plain = " ".join(folded.split())
                for sentence in guidance:
                    if sentence not in plain:
                        continue
                    start = max(folded.find(sentence), 0)
                    end = min(start + len(sentence), len(text))
                    if any(s < end and start < e for s, e in found):
                        continue  # inside a [[placeholder]], already reported
                    yield Hit(
                        Span(number, start + 1, number, end + 1),
                        f"Template text {_quoted(text[start:end])} is still here; replace it "
                        "with this SOP's own text.",
                        severity=severity,
                    )


# -- front matter ------------------------------------------------------------------------------


def _previous_key(doc: Document, template: Template, key: str) -> str | None:
    """The nearest key before ``key`` in the template's order that the SOP has."""
    previous = None
    for name in template.metadata:
        if name == key:
            return previous
        if name in doc.metadata:
            previous = name
    return previous


@register
class MissingMetadata(_TemplateRule):
    """Flags a front-matter key the template requires that the SOP does not have.

    **What it flags:** a required key of the template's ``metadata`` that is absent or
    empty: by default ``id``, ``title``, ``version``, ``status``, ``owner``, ``review_due``
    (or ``review_interval``), ``applies_to`` and ``lang``; ``approved_by``,
    ``approved_on`` and ``effective_date`` once the status is approved, effective,
    superseded or withdrawn; and, for a translation, both ``translation_of`` and
    ``source_version``.

    **Why:** ISO 9001 (clause 7.5) asks that controlled documents be identified, reviewed,
    approved and versioned. Without an owner nobody keeps the SOP current; without a
    version or approval nobody can tell which text is in force.

    **Instead:** add the key to the front matter, at the place the message names, e.g.
    ``owner: Shift lead`` (a role, not a person).
    """

    code = "T006"
    name = "missing-metadata"
    severity = Severity.ERROR

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        if any(p.code == "invalid-front-matter" for p in doc.problems):
            return  # invalid-front-matter (S002) says what to fix first
        template = self.template
        metadata = doc.metadata
        required = [
            spec
            for spec in template.metadata.values()
            if spec.is_required(metadata) and not self._has(metadata, spec)
        ]
        if not required:
            return
        if not metadata and doc.body_start_line == 1:
            keys = ", ".join(spec.key for spec in required)
            yield Hit(
                _line_span(doc, 1),
                f"This SOP has no front matter; add a block between two '---' lines at the "
                f"top with: {keys}.",
            )
            return
        for spec in required:
            yield self._missing(doc, template, spec)

    @staticmethod
    def _has(metadata: dict[str, Any], spec: FieldSpec) -> bool:
        def present(key: str) -> bool:
            value = metadata.get(key)
            return value is not None and value != "" and value != []

        return present(spec.key) or bool(spec.alternative and present(spec.alternative))

    def _missing(self, doc: Document, template: Template, spec: FieldSpec) -> Hit:
        key = spec.key
        about = f" ({spec.help})" if spec.help else ""
        if key in doc.metadata:
            return Hit(
                _value_span(doc, key),
                f'"{key}" in the front matter is empty; fill it in{about}.',
            )
        previous = _previous_key(doc, template, key)
        where = f'after "{previous}:"' if previous else "at the top of the front matter"
        line = doc.metadata_lines.get(previous, 1) if previous else 1
        if spec.alternative:
            what = f'Front matter has neither "{key}" nor "{spec.alternative}"{about}'
        elif spec.required_with and spec.required_with in doc.metadata and not spec.required:
            what = f'Front matter has "{spec.required_with}" but no "{key}"{about}'
        elif not spec.required and spec.required_when_status:
            what = (
                f'Front matter has no "{key}"{about}, which an SOP with status '
                f'"{_status(doc)}" needs'
            )
        else:
            what = f'Front matter has no "{key}"{about}'
        typo = difflib.get_close_matches(
            key, [k for k in doc.metadata if k not in template.metadata], n=1, cutoff=0.8
        )
        hint = ""
        if typo:
            hint = f' (line {doc.metadata_lines.get(typo[0], 1)} has "{typo[0]}": a typo?)'
        return Hit(_line_span(doc, line), f'{what}; add "{key}:" {where}{hint}.')


_DATE_FORMATS = (
    (re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
)
_VERSION = re.compile(r"^[vV]?\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.]+)?$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _date_hint(text: str) -> str:
    """``"02.03.2026"`` -> ``", e.g. 2026-03-02"`` when the parts make a real date."""
    for pattern, order in _DATE_FORMATS:
        match = pattern.match(text.strip())
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return f" ({datetime.date(parts['y'], parts['m'], parts['d']).isoformat()}?)"
            except ValueError:
                return ""
    return ""


@register
class InvalidMetadata(_TemplateRule):
    """Flags a front-matter value of the wrong type or form.

    **What it flags:** by the type the template gives the key: a date that is not a real
    ``YYYY-MM-DD`` date; a ``status`` that is not one of the template's statuses (draft,
    review, approved, effective, superseded, withdrawn); a version that is not a version
    number, or an unquoted one YAML changes (``1.10`` is read as 1.1); an ``id`` with
    spaces or other characters its pattern does not allow; an owner or approver given as
    an e-mail address rather than a role; ``applies_to`` that is neither ``all`` nor a
    list of branches; a ``review_interval`` that is not a length of time such as
    ``1 year``. Placeholders are left to ``placeholder-left``.

    **Why:** the dates drive the review reminders, the status and version decide which
    text is in force, and the site builder reads ``applies_to`` to choose branches. A
    value a program cannot read silently switches those off.

    **Instead:** write the value as the message shows: ``approved_on: 2026-03-02``,
    ``version: "1.10"``, ``status: effective``, ``applies_to: [stockholm-city]``.
    """

    code = "T007"
    name = "invalid-metadata"
    severity = Severity.ERROR

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        template = self.template
        # A value YAML could not read (``2027-02-30``) is already reported at its line
        # by invalid-front-matter; saying it twice would not help the writer.
        unreadable = {p.line for p in doc.problems if p.code == "invalid-front-matter"}
        for key, spec in template.metadata.items():
            value = doc.metadata.get(key)
            if value is None or value == "" or key not in doc.metadata:
                continue
            if doc.metadata_lines.get(key) in unreadable:
                continue
            if template.is_placeholder(value):
                continue
            problem = self._problem(doc, spec, value)
            if problem:
                yield Hit(_value_span(doc, key), problem)

    def _problem(self, doc: Document, spec: FieldSpec, value: Any) -> str | None:
        key, kind = spec.key, spec.type
        if isinstance(value, dict) or (isinstance(value, list) and kind != "branches"):
            shape = "a list" if isinstance(value, list) else "a table"
            return f"{key} must be a single value, not {shape}."
        text = _as_text(doc, key) or ""
        if kind == "date":
            if parse_date(value) is None:
                return (
                    f'{key} "{text}" is not a date; write it as YYYY-MM-DD'
                    f"{_date_hint(text) or ', e.g. 2026-03-02'}."
                )
        elif kind == "choice":
            if text.lower() not in [c.lower() for c in spec.choices]:
                close = difflib.get_close_matches(text.lower(), list(spec.choices), n=1)
                hint = f' Did you mean "{close[0]}"?' if close else ""
                return f'{key} "{text}" is not one of: {", ".join(spec.choices)}.{hint}'
        elif kind == "version":
            if isinstance(value, float) and text != repr(value):
                return f'{key} {text} is read as the number {value!r}; quote it: {key}: "{text}".'
            if not _VERSION.match(text):
                return f'{key} "{text}" is not a version number such as "1.2".'
        elif kind == "id":
            pattern = spec.pattern or r"^\S+$"
            if not (spec.pattern_found(text) if spec.pattern else re.search(pattern, text)):
                return (
                    f'{key} "{text}" is not a valid id: use letters, digits and "-" without '
                    f"spaces, e.g. CS-001 (the template's pattern is {pattern})."
                )
        elif kind == "role":
            if _EMAIL.search(text):
                return (
                    f'{key} "{text}" is an e-mail address; name the role instead (e.g. '
                    '"Shift lead"), so the SOP stays right when people change jobs.'
                )
        elif kind == "branches":
            if isinstance(value, list):
                if not value or not all(isinstance(v, str) and v.strip() for v in value):
                    return f"{key} must list branch names, e.g. [stockholm-city, oslo-sentrum]."
            elif text.lower() != "all":
                return (
                    f'{key} "{text}" must be "all" or a list of branches, e.g. '
                    f"[{text or 'stockholm-city'}]."
                )
        elif kind == "interval":
            if parse_interval(text) is None:
                return (
                    f'{key} "{text}" is not a length of time such as "1 year" or "6 months" '
                    "(at most 100 years)."
                )
        elif kind == "language":
            if value is False:  # `lang: no` (Norwegian), which YAML reads as false
                return None
            if not re.match(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?$", text):
                return f'{key} "{text}" is not a language code such as en, sv, nb or te.'
        if spec.pattern and kind not in ("id",) and not spec.pattern_found(text):
            return f'{key} "{text}" does not have the form the template asks for ({spec.pattern}).'
        return None


# -- review dates ------------------------------------------------------------------------------


def _review_due(doc: Document) -> tuple[datetime.date, str, str] | None:
    """When the review is due, how to say so, and the key to point at."""
    metadata = doc.metadata
    due = parse_date(metadata.get("review_due"))
    if due is not None:
        return due, f"review_due {due.isoformat()}", "review_due"
    interval = parse_interval(metadata.get("review_interval"))
    if interval is None:
        return None
    for start_key in ("effective_date", "approved_on"):
        start = parse_date(metadata.get(start_key))
        if start is not None:
            try:
                due = add_interval(start, interval)
            except (ValueError, OverflowError):
                return None  # due after the year 9999: nothing to remind anyone of
            return (
                due,
                f"The review due on {due.isoformat()} ({start_key} {start.isoformat()} + "
                f'review_interval "{metadata["review_interval"]}")',
                "review_interval",
            )
    return None


@register
class ReviewOverdue(_TemplateRule):
    """Flags an SOP whose review date has passed.

    **What it flags:** an SOP (not superseded or withdrawn) whose ``review_due`` date, or
    ``effective_date`` plus ``review_interval``, is before today. ``--today YYYY-MM-DD``
    fixes "today" for reproducible runs.

    **Why:** ISO 9001 asks that documents be reviewed and updated as necessary. An SOP
    past its review date may describe systems, roles or rules that have changed.

    **Instead:** review the SOP with its owner; publish a new version with a new
    ``review_due`` (and ``approved_on`` and ``effective_date``), even if the text did not
    change.
    """

    code = "T008"
    name = "review-overdue"
    severity = Severity.ERROR

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        if _status(doc) in RETIRED:
            return
        found = _review_due(doc)
        if found is None:
            return
        due, said, key = found
        late = (self.context.today - due).days
        if late <= 0:
            return
        if key == "review_due":
            message = (
                f"{said} has passed ({_days(late)} ago); review the SOP and set a new review_due."
            )
        else:
            message = (
                f"{said} has passed ({_days(late)} ago); review the SOP and publish it with "
                "a new effective_date."
            )
        yield Hit(_value_span(doc, key), message)


@register
class ReviewDueSoon(_TemplateRule):
    """Flags an SOP whose review falls due within the next ``days`` days.

    **What it flags:** an SOP (not superseded or withdrawn) whose ``review_due`` (or
    ``effective_date`` plus ``review_interval``) is today or within ``days`` days (default
    30). ``--today YYYY-MM-DD`` fixes "today" for reproducible runs.

    **Why:** a review takes time: the owner, the approver and sometimes a translator are
    involved. A warning a month ahead lets it happen before the SOP is overdue.

    **Instead:** plan the review with the SOP's owner now. Nothing changes in the file
    until the review is done.

    **Options:** ``days`` (30).
    """

    code = "T009"
    name = "review-due-soon"
    severity = Severity.WARNING
    options = {"days": 30}

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        if _status(doc) in RETIRED:
            return
        found = _review_due(doc)
        if found is None:
            return
        due, said, key = found
        left = (due - self.context.today).days
        if not 0 <= left <= self.config["days"]:
            return
        when = "is today" if left == 0 else f"is in {_days(left)}"
        owner = doc.metadata.get("owner")
        who = f" with the owner ({owner})" if isinstance(owner, str) and owner.strip() else ""
        yield Hit(_value_span(doc, key), f"{said} {when}; plan the review{who} now.")


@register
class DateOrder(_TemplateRule):
    """Flags document-control dates in an impossible order.

    **What it flags:** ``approved_on`` after ``effective_date``, and a ``review_due`` on
    or before ``effective_date`` (or, without one, on or before ``approved_on``). The
    order must be approved_on <= effective_date < review_due.

    **Why:** an SOP takes effect only once it is approved, and is reviewed after it takes
    effect. Dates in another order are a typo that hides which version staff should follow
    and when the review is really due.

    **Instead:** correct the date the message points at; usually a year or a month was
    typed wrong.
    """

    code = "T010"
    name = "date-order"
    severity = Severity.ERROR

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        metadata = doc.metadata
        approved = parse_date(metadata.get("approved_on"))
        effective = parse_date(metadata.get("effective_date"))
        review = parse_date(metadata.get("review_due"))
        if approved and effective and approved > effective:
            yield Hit(
                _value_span(doc, "effective_date"),
                f"effective_date {effective} is before approved_on {approved}; an SOP takes "
                "effect on or after the day it is approved: correct one of the dates.",
            )
        start_key, start = ("effective_date", effective) if effective else ("approved_on", approved)
        if review and start and review <= start:
            yield Hit(
                _value_span(doc, "review_due"),
                f"review_due {review} is not after {start_key} {start}; set a review date "
                "after the SOP takes effect.",
            )


# -- approval, procedure, revision history -----------------------------------------------------


def _revision_history(doc: Document, template: Template) -> tuple[Heading, list[Any]] | None:
    """The revision-history section and its tables, if the SOP has one."""
    structure = analyse(doc, template)
    for heading in structure.headings:
        if heading.spec is not None and heading.spec.kind == "revision-history":
            tables = [t for s in heading.section.walk() for t in s.tables]
            return heading, tables
    return None


def _columns(spec: SectionSpec, header: list[str]) -> dict[str, int]:
    """Which column holds the version, date, change and author (by header, any language)."""
    found: dict[str, int] = {}
    for role in COLUMN_ROLES:
        names = {
            normalise_heading(n) for names in spec.columns.get(role, {}).values() for n in names
        }
        for i, cell in enumerate(header):
            if normalise_heading(cell) in names:
                found[role] = i
                break
    found.setdefault("version", 0)
    return found


def _cell(row: TableRow, index: int | None) -> str:
    if index is None or index >= len(row.cells):
        return ""
    return re.sub(r"[`*_]", "", row.cells[index]).strip()


def _newest_row(rows: list[TableRow], columns: dict[str, int]) -> TableRow:
    """The newest row: by date when every row has one, else by version, else the last."""
    dates = [parse_date(_cell(r, columns.get("date"))) for r in rows]
    versions = [version_key(_cell(r, columns["version"])) for r in rows]
    if "date" in columns and all(dates):
        return max(zip(rows, dates, versions, strict=True), key=lambda x: (x[1], x[2] or ()))[0]
    if all(versions):
        return max(zip(rows, versions, strict=True), key=lambda x: x[1])[0]  # type: ignore[arg-type,return-value]
    return rows[-1]


@register
class ApproverIsAuthor(_TemplateRule):
    """Flags an SOP approved by the role that wrote it.

    **What it flags:** an ``approved_by`` that is the same role as the SOP's ``author``
    (or, without one, its ``owner``) or as the author in the newest row of the revision
    history.

    **Why:** approval is a second pair of eyes: ISO 9001 asks that documents be approved
    for adequacy before issue. Approving one's own text checks nothing.

    **Instead:** have a different role approve the SOP (usually the owner's manager) and
    put that role in ``approved_by``.
    """

    code = "T011"
    name = "approver-is-author"
    severity = Severity.WARNING

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        template = self.template
        approver = _as_text(doc, "approved_by")
        if not approver or template.is_placeholder(approver):
            return
        authors: list[tuple[str, str]] = []
        author = _as_text(doc, "author")
        owner = _as_text(doc, "owner")
        if author:
            authors.append((author, "the SOP's author"))
        elif owner:
            authors.append((owner, "the SOP's owner"))
        history = _revision_history(doc, template)
        if history is not None:
            heading, tables = history
            if tables and tables[0].body:
                assert heading.spec is not None
                columns = _columns(heading.spec, tables[0].header)
                newest = _newest_row(tables[0].body, columns)
                written = _cell(newest, columns.get("author"))
                if written:
                    version = _cell(newest, columns["version"])
                    authors.append((written, f"the author of version {version} in the history"))
        for name, role in authors:
            if _same_role(name, approver):
                yield Hit(
                    _value_span(doc, "approved_by"),
                    f'approved_by "{approver}" is also {role}; an SOP must be '
                    "approved by someone other than its author: name the approving role.",
                )
                return


@register
class ProcedureNotNumbered(_TemplateRule):
    """Flags a procedure whose steps are not a numbered list.

    **What it flags:** a section the template marks as a procedure (by default
    *Procedure*, *Utförande*, *Fremgangsmåte*, *విధానం*) that has text but no numbered
    (ordered) list anywhere in it, including its subsections: its steps are bullets or
    paragraphs.

    **Why:** numbered steps tell staff the order, let them keep their place when
    interrupted, and let a colleague say "I am at step 6". Bullets suggest the order does
    not matter.

    **Instead:** write the steps as a numbered list, one action per step:
    ``1. Greet the customer.`` ``2. Ask for the receipt.``
    """

    code = "T012"
    name = "procedure-not-numbered"
    severity = Severity.WARNING

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        structure = analyse(doc, self.template)
        duplicates = {id(again) for again, _ in structure.duplicates}  # section-order's
        for heading in structure.headings:
            if heading.spec is None or heading.spec.kind != "procedure":
                continue
            if id(heading) in duplicates:
                continue
            section = heading.section
            last = section.end_line or doc.line_count
            if next(content_lines(doc, section.line + 1, last), None) is None:
                continue  # empty-section reports it
            lists: list[ListBlock] = [lst for s in section.walk() for lst in s.lists]
            if any(lst.ordered for lst in lists):
                continue
            written = heading.text(doc)
            bullets = [lst for lst in lists if lst.depth == 0]
            if bullets:
                first = bullets[0]
                yield Hit(
                    Span(first.line, first.column, first.line, first.column + 1),
                    f'The steps under "{written}" are a bulleted list; number them ("1.", '
                    '"2.", ...) so staff can follow them in order and keep their place.',
                )
            else:
                yield Hit(
                    _heading_span(doc, section),
                    f'"{written}" has no numbered steps; write the steps as a numbered list, '
                    'one action per step ("1. ...", "2. ...").',
                )


@register
class RevisionHistoryMismatch(_TemplateRule):
    """Flags a revision history whose newest entry is not the SOP's version.

    **What it flags:** an SOP whose revision-history table's newest row (by date, else by
    version) has a version other than the front matter's ``version``, or whose revision
    history has no table rows at all.

    **Why:** the revision history is the record of what changed, when and by whom. A
    version without a row means a change nobody recorded, or a version number that was
    not updated: readers cannot tell which text they have.

    **Instead:** add a row for the new version (version, date, what changed, the author's
    role), or correct ``version`` in the front matter.
    """

    code = "T013"
    name = "revision-history-mismatch"
    severity = Severity.WARNING

    def check_sop(self, doc: Document) -> Iterator[Hit]:
        template = self.template
        version = _as_text(doc, "version")
        if not version or template.is_placeholder(version):
            return
        history = _revision_history(doc, template)
        if history is None:
            return  # missing-section reports it
        heading, tables = history
        rows = [r for t in tables for r in t.body] if tables else []
        written = heading.text(doc)
        if not rows:
            last = heading.section.end_line or doc.line_count
            if next(content_lines(doc, heading.section.line + 1, last), None):
                yield Hit(
                    _heading_span(doc, heading.section),
                    f'"{written}" has no table of versions; add a table with a row for '
                    f"version {version}.",
                )
            return
        assert heading.spec is not None
        table = next(t for t in tables if t.body)
        columns = _columns(heading.spec, table.header)
        newest = _newest_row(table.body, columns)
        listed = _cell(newest, columns["version"])
        a, b = version_key(listed), version_key(version)
        same = (
            a == b if a is not None and b is not None else listed.casefold() == version.casefold()
        )
        if not same:
            yield Hit(
                _line_span(doc, newest.line),
                f'The newest row of "{written}" is version {listed}, but the front matter '
                f"says version {version}; add a row for {version}, or correct the version.",
            )
