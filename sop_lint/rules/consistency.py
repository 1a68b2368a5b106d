"""Consistency across the SOP set: one name per section, one procedure per routine.

These rules compare SOPs with each other, from the per-file summaries
(:mod:`sop_lint.crossdoc`), after every file has been checked. They never compare every
SOP with every other: headings are counted per language and section, and procedures meet
only when they share rare runs of words (an index, not all pairs), so the work grows with
the size of the set, not its square.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any, NamedTuple

from sop_lint.branching.overrides import override_of
from sop_lint.crossdoc import page_list_items
from sop_lint.model import DocumentSummary, Location, Severity, Span
from sop_lint.rules.base import Hit, ProjectRule, register
from sop_lint.template import Template, normalise_heading, template_for


def _template(rule: ProjectRule) -> Template | None:
    try:
        return template_for(rule.context.sections.get("template"), rule.context.root)
    except Exception:  # no usable template: the template rules say why
        return None


@register
class HeadingInconsistent(ProjectRule):
    """Flags a template section headed differently from most SOPs in the same language.

    **What it flags:** a heading that names a section of the SOP template (for example by
    one of its accepted aliases) with another spelling than most SOPs of the same language
    use for that section: "Steps" where most English SOPs write "Procedure", "Ändamål"
    where most Swedish SOPs write "Syfte". The message names the usual spelling and an SOP
    that uses it. When spellings are equally common, the template's own name wins; when
    none of the tied spellings is the template's, nothing is flagged. Silent for a
    language with fewer than ``min-sops`` SOPs, and when only part of the SOP set is
    checked (a pre-commit run on the staged files): what most of a few SOPs write may not
    be what most SOPs write.

    **Why:** staff who know one SOP should find the same section under the same heading in
    every other; links, search and the printed binder rely on it too.

    **Instead:** use the heading most SOPs use (usually the template's name for the
    section).

    **Options:** ``min-sops`` (default 3): how many SOPs a language needs before its
    headings are compared.
    """

    code = "D011"
    name = "heading-inconsistent"
    severity = Severity.WARNING
    options = {"min-sops": 3}

    def check_project(
        self, summaries: list[DocumentSummary]
    ) -> Iterator[tuple[DocumentSummary, Hit]]:
        template = _template(self)
        if template is None or self.partial:
            # Only part of the SOP set was checked (a pre-commit run on the staged files):
            # what most of those few SOPs write may not be what most SOPs write.
            return
        by_language: dict[str, list[DocumentSummary]] = defaultdict(list)
        for summary in summaries:
            if summary.is_sop:
                by_language[summary.language].append(summary)
        for lang, group in sorted(by_language.items()):
            if len(group) < int(self.config["min-sops"]):
                continue
            # section key -> spelling (normalised) -> [(summary, heading)]
            uses: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
            for summary in group:
                seen: set[tuple[str, str]] = set()
                for heading in summary.headings:
                    spelling = normalise_heading(heading.title)
                    if (heading.key, spelling) not in seen:  # one vote per SOP
                        seen.add((heading.key, spelling))
                        uses[heading.key][spelling].append((summary, heading))
            for key, spellings in uses.items():
                if len(spellings) < 2:
                    continue
                usual = self._usual(template, key, lang, spellings)
                if usual is None:
                    continue
                examples = spellings[usual]
                shown = Counter(h.title for _, h in examples).most_common(1)[0][0]
                example_summary, example = examples[0]
                users = len(examples)
                for spelling, found in spellings.items():
                    if spelling == usual:
                        continue
                    for summary, heading in found:
                        end = heading.column + len(heading.title)
                        yield (
                            summary,
                            Hit(
                                Span(heading.line, heading.column, heading.line, end),
                                f"\u201c{heading.title}\u201d: {users} of {len(group)} SOPs "
                                f"in this language call this section \u201c{shown}\u201d "
                                f"(for example {example_summary.path}:{example.line}); "
                                f"write \u201c{shown}\u201d so it reads the same everywhere.",
                                suggestion=shown,
                                related=(
                                    Location(
                                        example_summary.path,
                                        example.line,
                                        example.column,
                                        f"\u201c{shown}\u201d here",
                                    ),
                                ),
                            ),
                        )

    @staticmethod
    def _usual(template: Template, key: str, lang: str, spellings: dict[str, list]) -> str | None:
        """The spelling most SOPs use; on a tie the template's name, else None (unsure)."""
        most = max(len(v) for v in spellings.values())
        leaders = [s for s, v in spellings.items() if len(v) == most]
        if len(leaders) == 1:
            return leaders[0] if most >= 2 else None
        spec = template.section(key)
        preferred = (
            normalise_heading(template.name_of(spec, template.language_for(lang))) if spec else None
        )
        return preferred if preferred in leaders else None


# -- near-duplicate procedures -----------------------------------------------------------------

SHINGLE = 3  # words per shingle
# A run of words that many procedures share ("ring 112", "log it in CRM") says nothing
# about which two are copies of each other, and would make the index quadratic: shingles
# in more procedures than this are left out of the comparison.
MAX_POSTING = 40


def shingles(steps: tuple[str, ...]) -> set[int]:
    """The procedure as a set of hashed runs of ``SHINGLE`` words, within each step (a
    step shorter than that counts as one). Python's string hash differs between runs, but
    only equality matters here: the pairs found are the same in every run."""
    found: set[int] = set()
    for step in steps:
        words = step.split()
        if len(words) <= SHINGLE:
            found.add(hash(tuple(words)))
        else:
            found.update(map(hash, zip(words, words[1:], words[2:], strict=False)))
    return found


def similar_pairs(
    procedures: list[tuple[int, set[int]]], minimum: float
) -> list[tuple[int, int, float]]:
    """Pairs ``(a, b, jaccard)`` of procedures whose shingle sets are at least ``minimum``
    alike. Candidates come from an inverted index of shingles (capped per shingle), and a
    pair is compared exactly only when it shares enough shingles to reach ``minimum``.

    Procedures with the same shingle set (copies of one SOP) are indexed once, as a group
    that counts for its size: a set copied ten times costs one entry per shingle, not ten,
    and forty-five pair counts. The pairs and figures are those of comparing every copy:
    a shingle's posting counts procedures, and two groups (or two copies in one group)
    share exactly the shingles their sets share."""
    groups: dict[frozenset[int], list[int]] = {}
    for number, found in procedures:
        groups.setdefault(frozenset(found), []).append(number)
    members = list(groups.values())  # group number -> its procedures, in input order
    sets = list(groups)  # group number -> the shingle set they share
    # How many procedures have each shingle, and the groups that have it (kept only while
    # the shingle is in at most MAX_POSTING procedures). Most shingles belong to one group:
    # keep its number, and make a list only for a shingle a second group has (a list per
    # shingle would be hundreds of thousands of objects for the garbage collector).
    count: dict[int, int] = {}
    first: dict[int, int] = {}
    more: dict[int, list[int]] = {}
    for group, found in enumerate(sets):
        size = len(members[group])
        for shingle in found:
            count[shingle] = count.get(shingle, 0) + size
            owner = first.setdefault(shingle, group)
            if owner != group:
                posting = more.get(shingle)
                if posting is None:
                    more[shingle] = [owner, group]
                elif len(posting) <= MAX_POSTING:
                    posting.append(group)
    shared: Counter[tuple[int, int]] = Counter()
    for shingle, posting in more.items():
        if count[shingle] > MAX_POSTING:
            continue
        for i, a in enumerate(posting):
            for b in posting[i + 1 :]:
                shared[(a, b)] += 1
    pairs: list[tuple[int, int, float]] = []
    for group, numbers in enumerate(members):
        if len(numbers) < 2 or not sets[group]:
            continue
        # Copies share every shingle that is not too common to count.
        common = sum(1 for shingle in sets[group] if count[shingle] <= MAX_POSTING)
        size = len(sets[group])
        # (A pair sharing no counted shingle is never a candidate, whatever the minimum.)
        if not common or common < minimum * size * 0.5 or minimum > 1.0:
            continue
        for i, a in enumerate(numbers):
            for b in numbers[i + 1 :]:
                pairs.append((a, b, 1.0))
    for (x, y), common in shared.items():
        size_a, size_b = len(sets[x]), len(sets[y])
        # Jaccard = common / (|A| + |B| - common); common is a lower bound (capped shingles
        # are not counted), so compute it exactly only when it could reach the minimum.
        if common < minimum * min(size_a, size_b) * 0.5:
            continue
        exact = len(sets[x] & sets[y])
        jaccard = exact / (size_a + size_b - exact)
        if jaccard >= minimum:
            for a in members[x]:
                for b in members[y]:
                    pairs.append((a, b, jaccard) if a < b else (b, a, jaccard))
    return pairs


@register
class ProcedureDiverges(ProjectRule):
    """Names two SOPs whose procedures are nearly the same (info).

    **What it flags:** two SOPs in the same language, with different ids, whose procedure
    steps share much of their wording (by default 40% of their three-word runs), such as
    two units' versions of one routine. Only real procedures are compared: the steps in
    the template's procedure section ("Procedure", "Utförande", "Fremgangsmåte",
    "విధానం" or an accepted alias), or, without one, lists most of whose items are
    instructions. A page without a procedure is compared by the items of all its bulleted
    lists, but named only when nearly all of that wording is the same (80%): pages of one
    kind share boilerplate lists that are not one routine written twice. Each SOP is
    flagged at its procedure and names the others, with how alike they are (rounded down:
    100% only when every step is the same) and how many steps are word for word the same.
    Procedures with fewer than ``min-steps`` steps or ``min-words`` words are not
    compared: three short bullets two pages share (a list of conditions, a checklist) are
    not two versions of a routine. A branch's own copy of an SOP
    (``branches/<branch-id>/``) is left out: ``branch-drift`` compares it with its standard.
    The procedure heading is recognised in the SOP's language: set ``lang`` in the
    front matter (or ``--lang``) so it is found.

    **Why:** the point of SOPs is that everyone does a routine the same way. Two copies
    drift apart: one gets corrected and the other does not.

    **Instead:** merge them into one SOP that both units follow, with branch values
    (``{{ branch.phone }}``) for what really differs, or make the differences deliberate
    and say why.

    **Options:** ``min-similarity`` (default 0.4), ``min-similarity-lists`` (default 0.8,
    for pages without a procedure), ``min-steps`` (default 3) and ``min-words``
    (default 40).
    """

    summary_data = tuple[int, tuple[str, ...]]  # the list's line and its items
    code = "D012"
    name = "procedure-diverges"
    severity = Severity.INFO
    options = {
        "min-similarity": 0.4,
        "min-similarity-lists": 0.8,
        "min-steps": 3,
        "min-words": 40,
    }

    @classmethod
    def summarise(cls, doc: Any, summary: DocumentSummary, context: Any) -> None:
        """For a page without a real procedure, keep its bulleted items: two copies of
        one page are still worth naming when nearly all of their wording is the same."""
        if len(summary.steps) >= 3:
            return
        line, items = page_list_items(doc)
        if len(items) >= 3:
            summary.data[cls.code] = (line, items)
            summary.lines.setdefault(line, doc.line_text(line))

    def check_project(
        self, summaries: list[DocumentSummary]
    ) -> Iterator[tuple[DocumentSummary, Hit]]:
        minimum = float(self.config["min-similarity"])
        lists_minimum = max(minimum, float(self.config["min-similarity-lists"]))
        min_steps = int(self.config["min-steps"])
        min_words = int(self.config["min-words"])
        by_language: dict[str, list[int]] = defaultdict(list)
        compared: dict[int, _Compared] = {}
        for number, summary in enumerate(summaries):
            if override_of(summary.path) is not None:
                # A branch's own copy of an SOP is meant to be near its standard, and
                # branch-drift (J006) already compares the two; paired with a third SOP it
                # would only repeat the standard's finding.
                continue
            found = _compared(summary, min_steps, min_words)
            if found is not None:
                compared[number] = found
                by_language[summary.language].append(number)
        for _, numbers in sorted(by_language.items()):
            # Copies of one SOP (a set copied per unit) have the same steps: their
            # shingles are worked out once.
            known: dict[tuple[str, ...], set[int]] = {}
            procedures = []
            for n in numbers:
                steps = compared[n].steps
                found = known.get(steps)
                if found is None:
                    found = known[steps] = shingles(steps)
                procedures.append((n, found))
            partners: dict[int, list[tuple[float, int]]] = defaultdict(list)
            for a, b, jaccard in similar_pairs(procedures, minimum):
                if _same_id(summaries[a], summaries[b]):
                    continue  # one SOP twice (a duplicate id, which D001 reports): not ours
                if (compared[a].lists or compared[b].lists) and jaccard < lists_minimum:
                    continue  # pages of one kind share boilerplate lists: only near copies
                partners[a].append((jaccard, b))
                partners[b].append((jaccard, a))
            for number in sorted(partners):
                # One finding per SOP, the most alike first: a routine copied into six
                # units gives each copy one finding, not five.
                others = sorted(partners[number], key=lambda p: (-p[0], summaries[p[1]].path))
                yield self._finding(
                    summaries[number],
                    compared[number],
                    [(j, summaries[o], compared[o]) for j, o in others],
                )

    def _finding(
        self,
        this: DocumentSummary,
        mine: _Compared,
        others: list[tuple[float, DocumentSummary, _Compared]],
    ) -> tuple[DocumentSummary, Hit]:
        jaccard, other, theirs = others[0]
        # Counted over this SOP's steps, repeats included ("Click Save." three times):
        # a count of distinct steps made identical procedures read "15 of 18".
        theirs_set = set(theirs.steps)
        same = sum(1 for step in mine.steps if step in theirs_set)
        line = mine.line or 1
        text = this.lines.get(line, "")
        more = ""
        if len(others) > 1:
            named = ", ".join(f"{o.path} ({_percent(j, mine, c)}%)" for j, o, c in others[1:4])
            extra = len(others) - 4
            more = f", and with {named}" + (f" and {extra} more" if extra > 0 else "")
        percent = _percent(jaccard, mine, theirs)
        what = "the lists on this page share" if mine.lists else "this procedure shares"
        unit = "items" if mine.lists else "steps"
        message = (
            f"{what} {percent}% of {'their' if mine.lists else 'its'} wording with "
            f"{'those' if theirs.lists else 'the one'} in {other.path}:{theirs.line or 1} "
            f"({same} of {len(mine.steps)} {unit} word for word){more}; if they describe one "
            "routine, merge them into one SOP, with branch values for what really differs."
        )
        related = tuple(
            Location(o.path, c.line or 1, 1, f"a procedure {_percent(j, mine, c)}% alike")
            for j, o, c in others
        )
        return this, Hit(Span(line, 1, line, max(2, len(text) + 1)), message, related=related)


class _Compared(NamedTuple):
    """What procedure-diverges compares of one SOP: its steps, the line it reports, and
    whether they are the bulleted items of a page without a real procedure."""

    steps: tuple[str, ...]
    line: int
    lists: bool


def _compared(summary: DocumentSummary, min_steps: int, min_words: int) -> _Compared | None:
    if len(summary.steps) >= min_steps and _words(summary.steps) >= min_words:
        return _Compared(summary.steps, summary.procedure_line, False)
    kept = summary.data.get(ProcedureDiverges.code)
    if kept is not None:
        line, items = kept
        if len(items) >= min_steps and _words(items) >= min_words:
            return _Compared(tuple(items), line, True)
    return None


def _percent(jaccard: float, this: _Compared, other: _Compared) -> int:
    """How alike two procedures are, in whole percent, rounded down: a writer reads
    "100%" as "identical", so it is only said when every step is the same."""
    percent = math.floor(jaccard * 100 + 1e-9)  # 1e-9: 0.29 * 100 is 28.999...
    if percent >= 100 and this.steps != other.steps:
        return 99
    return percent


def _words(steps: tuple[str, ...]) -> int:
    return sum(step.count(" ") + 1 for step in steps)


def _same_id(first: DocumentSummary, second: DocumentSummary) -> bool:
    a, b = first.metadata.get("id"), second.metadata.get("id")
    return a is not None and str(a).strip() != "" and str(a).strip() == str(b).strip()
