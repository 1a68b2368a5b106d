"""Translations across the SOP set: behind their source, drifted from it, or missing.

A translation is an SOP whose front matter names the SOP it translates and the version it
was translated from (the template's ``translation_of`` and ``source_version``)::

    id: CS-004-sv
    version: "3.0"
    lang: sv
    translation_of: CS-004
    source_version: "3.0"

These rules compare per-file summaries (:class:`~sop_lint.model.DocumentSummary`), so
they give the same result with one process or many. They only speak when the other file
is among the checked files: checking one folder never reports what another folder holds.
Each finding is on the file that must change, and names the other file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sop_lint.model import Document, DocumentSummary, Location, Severity, Span
from sop_lint.rules.base import Hit, ProjectRule, RunContext, register
from sop_lint.rules.steps import procedure_items
from sop_lint.template import analyse, template_for, version_key

LANGUAGE_NAMES = {"en": "English", "sv": "Swedish", "nb": "Norwegian", "te": "Telugu"}
# Statuses of an SOP nobody follows any more: neither a source to keep up with nor a
# translation to keep up to date.
RETIRED = ("superseded", "withdrawn", "retired")


def branch_data(context: RunContext) -> Any:
    """The branches file the configuration names (``BranchData``), or None.

    The one place this module reaches branch data: issue 10 moves it out of ``site/``
    into a core package, and this import is the line to re-point.
    """
    from sop_lint.branching.lint import branch_data as load

    return load(context.sections, context.root)


def summarise(doc: Document, summary: DocumentSummary, context: RunContext) -> None:
    """Fill in the translation fields of ``summary`` from ``doc`` (see DocumentSummary):
    the same step count as ``sop-lint stats`` and the step rules, and the template
    sections present, by key."""
    if not summary.is_sop:  # set by DocumentSummary.of, from the same template
        return
    template = template_for(context.sections.get("template"), context.root)
    summary.step_count = len(procedure_items(doc, True, context))
    procedure: set[int] = set()
    for heading in analyse(doc, template).headings:
        if heading.spec is None:
            continue
        if heading.spec.kind == "procedure":
            procedure.update(id(s) for s in heading.section.walk())
        if heading.spec.key not in summary.section_lines:
            summary.section_lines[heading.spec.key] = heading.section.line
            summary.lines[heading.section.line] = doc.line_text(heading.section.line)
    summary.numbered_items = sum(
        len(lst.items) for lst in doc.lists if lst.ordered and id(lst.section) in procedure
    )


# -- shared helpers ------------------------------------------------------------------------


def language_name(code: str) -> str:
    """``Swedish (sv)`` for ``sv``; the bare code for a language without a name here."""
    name = LANGUAGE_NAMES.get(code)
    return f"{name} ({code})" if name else code


def raw_text(summary: DocumentSummary, key: str) -> str | None:
    """A scalar front-matter value as written (``1.10`` stays ``1.10``, not 1.1)."""
    value = summary.metadata.get(key)
    if value is None or isinstance(value, list | dict | bool):
        return None
    if isinstance(value, str):
        return value.strip() or None
    line = summary.lines.get(summary.metadata_lines.get(key, 0), "")
    text = line.partition(":")[2].split(" #", 1)[0].strip().strip("\"'")
    return text or str(value)


def _status(summary: DocumentSummary) -> str:
    status = summary.metadata.get("status")
    return status.strip().lower() if isinstance(status, str) else ""


def _live(summary: DocumentSummary) -> bool:
    return summary.is_sop and _status(summary) not in RETIRED


def _line_span(summary: DocumentSummary, line: int) -> Span:
    text = summary.lines.get(line, "")
    start = len(text) - len(text.lstrip()) + 1
    return Span(line, start, line, max(len(text.rstrip()) + 1, start))


def _value_span(summary: DocumentSummary, key: str) -> Span:
    line = summary.metadata_lines.get(key, 1)
    text = summary.lines.get(line, "")
    colon = text.find(":")
    if colon == -1 or not text[colon + 1 :].strip():
        return _line_span(summary, line)
    value = text[colon + 1 :]
    start = colon + 1 + len(value) - len(value.lstrip())
    return Span(line, start + 1, line, len(text.rstrip()) + 1)


def _source_at(source: DocumentSummary, key: str, message: str) -> Location:
    """The source SOP at one of its front-matter lines (its id line without it)."""
    line = source.metadata_lines.get(key) or source.metadata_lines.get("id", 1)
    return Location(source.path, line, 1, message)


def _where(summary: DocumentSummary, key: str = "id") -> str:
    return f"{summary.path}:{summary.metadata_lines.get(key, 1)}"


def translation_pairs(
    summaries: list[DocumentSummary],
) -> Iterator[tuple[DocumentSummary, DocumentSummary, str]]:
    """``(translation, source, source id)`` for every live translation whose source is
    among ``summaries``: one live SOP with that id that is not itself a translation, in
    another language. Two such sources (a duplicate id, which D001 reports) give none:
    which one is meant cannot be known."""
    sources: dict[str, list[DocumentSummary]] = defaultdict(list)
    for summary in summaries:
        sop_id = raw_text(summary, "id")
        if sop_id and _live(summary) and raw_text(summary, "translation_of") is None:
            sources[sop_id].append(summary)
    for summary in summaries:
        of = raw_text(summary, "translation_of")
        if of is None or not _live(summary):
            continue
        found = [s for s in sources.get(of, ()) if s.language != summary.language]
        if len(found) == 1:
            yield summary, found[0], of


def _versions(translation: DocumentSummary, source: DocumentSummary) -> tuple[str, str, int] | None:
    """The source's version, the version the translation follows, and how they compare
    (-1: the translation is behind, 0: up to date, 1: ahead); None when either is not a
    version number."""
    current, followed = raw_text(source, "version"), raw_text(translation, "source_version")
    if current is None or followed is None:
        return None
    a, b = version_key(followed), version_key(current)
    if a is None or b is None:
        return None
    return current, followed, (a > b) - (a < b)


# -- rules ---------------------------------------------------------------------------------


@register
class TranslationOutdated(ProjectRule):
    """Flags a translation made from an older version of its source SOP.

    **What it flags:** an SOP with ``translation_of: CS-004`` and ``source_version: "1.3"``
    when the checked SOP with id ``CS-004`` (in another language, not itself a
    translation) has a newer ``version``, say ``"2.1"``. Versions compare as numbers
    ("1.10" is newer than "1.9"). The finding is on the translation's ``source_version``
    line and names the source file. Superseded and withdrawn SOPs are left alone, and so
    is a translation whose source is not among the checked files.

    **Why:** staff who read the translation follow the old procedure. A translation that
    lags its source is the most common way one branch ends up working differently from
    another.

    **Instead:** translate what changed between the two versions (the source's revision
    history lists it), then set ``source_version`` to the source's version:
    *source_version: "2.1"*.
    """

    code = "L001"
    name = "translation-outdated"
    severity = Severity.WARNING

    def check_project(
        self, summaries: list[DocumentSummary]
    ) -> Iterator[tuple[DocumentSummary, Hit]]:
        for translation, source, of in translation_pairs(summaries):
            versions = _versions(translation, source)
            if versions is None or versions[2] >= 0:
                continue
            current, followed, _ = versions
            yield (
                translation,
                Hit(
                    _value_span(translation, "source_version"),
                    f"the {language_name(source.language)} source {of} "
                    f"({_where(source, 'version')}) is at version {current}, but this "
                    f"translation follows {followed}: translate what changed and set "
                    f'source_version: "{current}".',
                    related=(_source_at(source, "version", "the source's version"),),
                ),
            )


@register
class TranslationStructureDrift(ProjectRule):
    """Flags a translation whose procedure has a different number of steps than its source's.

    **What it flags:** a translation that says it is up to date (its ``source_version`` is
    the source's ``version``) but whose procedure has a different number of steps than
    the source's. Steps are counted as ``sop-lint stats`` counts them, and a difference
    counts only when the numbered items of the procedure section differ too (each
    language's grammar is read its own way; the list's shape is the same in every
    language). The finding is on the translation's procedure heading and names the
    source's. A translation that is behind its source is reported by translation-outdated
    instead.

    Required sections: a required section (Purpose, Procedure, ...) that the translation
    lacks and its source has is reported by missing-section (T001) on the translation,
    where the section goes, and one that the source lacks on the source; this rule does
    not say it a second time. Optional sections (Definitions, Safety and warnings) may
    differ between languages: readers of one language may need a definition the others
    do not.

    **Why:** a translation with a step less is a different procedure. Staff reading it
    skip that step, and no reviewer who reads only one language notices.

    **Instead:** compare the translation with its source step by step; translate the
    step that is missing, or remove the one that is not in the source. If the source
    changed, raise its version and update the translation against it.
    """

    code = "L002"
    name = "translation-structure-drift"
    severity = Severity.WARNING

    def check_project(
        self, summaries: list[DocumentSummary]
    ) -> Iterator[tuple[DocumentSummary, Hit]]:
        for translation, source, of in translation_pairs(summaries):
            versions = _versions(translation, source)
            if versions is None or versions[2] != 0 or not source.is_sop:
                continue  # behind (L001 says so), ahead, or unknown: nothing certain to say
            where = f"the {language_name(source.language)} source {of} ({source.path})"
            # Steps are counted as everywhere else (procedure_items), which reads each
            # item's grammar in its own language; a difference is reported only when the
            # numbered items of the procedure sections differ too, so a sentence the
            # Telugu analysis reads otherwise than the English one is not "drift".
            if not (
                translation.step_count
                and source.step_count
                and translation.step_count != source.step_count
                and translation.numbered_items != source.numbered_items
            ):
                continue
            line = translation.section_lines.get("procedure")
            span = (
                _line_span(translation, line)
                if line is not None
                else _value_span(translation, "translation_of")
            )
            one = abs(translation.step_count - source.step_count) == 1
            fix = (
                f"translate the {'step that is' if one else 'steps that are'} missing"
                if translation.step_count < source.step_count
                else f"remove the {'step' if one else 'steps'} the source does not have "
                f"(or add {'it' if one else 'them'} to the source first)"
            )
            source_line = source.section_lines.get("procedure") or source.metadata_lines.get(
                "id", 1
            )
            yield (
                translation,
                Hit(
                    span,
                    f"this procedure has {_steps(translation.step_count)}, {where} has "
                    f"{_steps(source.step_count)}: compare the steps one by one and {fix}.",
                    related=(Location(source.path, source_line, 1, "the source's procedure"),),
                ),
            )


def _steps(n: int) -> str:
    return f"{n} step{'s' if n != 1 else ''}"


@register
class TranslationMissing(ProjectRule):
    """Flags an SOP that a branch needs in one of its languages, where no translation exists.

    **What it flags:** with a branches file configured, an SOP whose ``applies_to``
    includes a branch (``all`` includes every branch) with no version at all in one of
    that branch's ``languages``: neither a translation (``translation_of`` its id) nor the
    source itself. The finding is on the
    source SOP's ``id`` line (the file a translator starts from) and names the branches.
    A language counts only when at least one checked SOP is in it, so checking one folder
    does not report every other language as missing. Superseded and withdrawn SOPs are
    left alone, and so are the translations of a superseded or withdrawn source.

    **Why:** a branch that publishes in Norwegian and English shows staff who read
    Norwegian an English page, or no page, for this procedure.

    **Instead:** translate the SOP and give the translation ``lang``, ``translation_of``
    and ``source_version``; or, if the branch does not need it, leave the branch out of
    the SOP's ``applies_to``.
    """

    code = "L003"
    name = "translation-missing"
    severity = Severity.INFO

    def check_project(
        self, summaries: list[DocumentSummary]
    ) -> Iterator[tuple[DocumentSummary, Hit]]:
        data = branch_data(self.context)
        if data is None or not data.branches:
            return
        checked_languages = {s.language for s in summaries if _live(s)}
        # Group every SOP, withdrawn ones included, before dropping the withdrawn: a
        # withdrawn source must silence its family, not make a translation look like
        # the source that needs an English version.
        families: dict[str, list[DocumentSummary]] = defaultdict(list)
        for summary in summaries:
            family = raw_text(summary, "translation_of") or raw_text(summary, "id")
            if family and summary.is_sop:
                families[family].append(summary)
        for family, everyone in sorted(families.items()):
            if any(_is_source(m, family) and not _live(m) for m in everyone):
                continue  # a withdrawn source needs no translations
            members = [m for m in everyone if _live(m)]
            if not members:
                continue
            have = {m.language for m in members}
            needed: dict[str, list[str]] = defaultdict(list)  # language -> branch ids
            for member in members:
                for branch in _applies_to(data, member.metadata.get("applies_to")):
                    for lang in branch.languages:
                        wanted = lang not in have and lang in checked_languages
                        if wanted and branch.id not in needed[lang]:
                            needed[lang].append(branch.id)
            if not needed:
                continue
            home = _home(members, family)
            version = raw_text(home, "version") or "1.0"
            for lang, branches in sorted(needed.items()):
                who = ", ".join(branches)
                yield (
                    home,
                    Hit(
                        _value_span(home, "id"),
                        f"{who} {'publishes' if len(branches) == 1 else 'publish'} "
                        f"{language_name(lang)}, but {family} has no "
                        f"{LANGUAGE_NAMES.get(lang, lang)} version among the checked files: "
                        "translate this SOP (front matter "
                        f'lang: {lang}, translation_of: {family}, source_version: "{version}"), '
                        f"or leave {'the branch' if len(branches) == 1 else 'those branches'} "
                        "out of applies_to.",
                    ),
                )


def _applies_to(data: Any, applies_to: Any) -> list[Any]:
    """The branches an SOP's ``applies_to`` names (all of them for ``all`` or none),
    through the branch data's own reading of it: one call per language, not per branch."""
    found: dict[str, Any] = {}
    for lang in dict.fromkeys(lang for b in data.branches for lang in b.languages):
        for branch in data.publishing(lang, applies_to):
            found.setdefault(branch.id, branch)
    return list(found.values())


def _home(members: list[DocumentSummary], family: str) -> DocumentSummary:
    """The family's source (the SOP with that id that is not a translation), else the
    first member by path: where a translator starts."""
    for member in sorted(members, key=lambda m: m.path):
        if _is_source(member, family):
            return member
    return min(members, key=lambda m: m.path)


def _is_source(member: DocumentSummary, family: str) -> bool:
    """Whether this SOP is the family's source: it has the family's id and translates
    nothing."""
    return raw_text(member, "translation_of") is None and raw_text(member, "id") == family
