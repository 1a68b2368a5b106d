"""One branch's docs folder in one language, as plain Markdown (no MkDocs needed).

For each SOP the branch publishes: the front matter, the title, the same header on every
page (ID, version, status, owner, effective date, next review highlighted when overdue,
language, branch, and links to the SOP in the branch's other languages), then the body
rendered for the branch in the sandbox. Also a home page with the branch's details, a
dashboard with two SVG charts, and the stylesheet (screen and A4 print).

Pages sit at ``<lang>/<slug>.md``; links between languages assume directory URLs
(``<lang>/<slug>/``), which MkDocs and the engines compatible with it use by default.
"""

from __future__ import annotations

import datetime
import posixpath
import re
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from pathlib import Path

import yaml

from sop_lint.branching.data import Branch
from sop_lint.branching.render import Shape, TemplateError, compile_template, escape_value
from sop_lint.site import charts
from sop_lint.site.i18n import LANGUAGE_NAMES, band_label, label, status_label
from sop_lint.site.project import SiteError, SiteProject, SopPage

CSS_PATH = "assets/stylesheets/sop-lint.css"
DUE_SOON_DAYS = 30
# Branch values shown on the home page, in this order (others are for templates only).
CONTACT_KEYS = ("address", "phone", "opening_hours", "manager", "emergency_phone", "towing_phone")
PHONE_KEYS = ("phone", "emergency_phone", "towing_phone")
# Up to this many SOPs in a language, the navigation lists every SOP. Above it, every
# page would carry a list of every SOP (the site's size and build time would grow with
# the square of the SOPs), so the navigation lists the folders instead, and each folder's
# page lists its SOPs.
NAV_FULL_LIMIT = 30


@dataclass(slots=True)
class ComposedSite:
    """A language folder: files by path (text, bytes, or a file to copy) and the nav."""

    lang: str
    files: dict[str, str | bytes | Path] = field(default_factory=dict)
    shapes: dict[str, Shape] = field(default_factory=dict)  # SOP pages, by path
    nav: list[tuple[str | None, str]] = field(default_factory=list)
    pages: list[SopPage] = field(default_factory=list)
    not_in_nav: set[str] = field(default_factory=set)  # SOP pages reached from a list


def stylesheet() -> str:
    """The site's stylesheet: the SOP header, dashboard, and the A4 print layout."""
    return (resources.files("sop_lint.site") / "assets" / "sop-lint.css").read_text("utf-8")


def review_state(due: datetime.date | None, today: datetime.date) -> str | None:
    """``overdue``, ``due_soon`` (within 30 days) or None."""
    if due is None:
        return None
    if due < today:
        return "overdue"
    if (due - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return None


def render_shape(page: SopPage, branch: Branch, project: SiteProject) -> Shape:
    """The SOP body for ``branch``, with tokens for the values (see :class:`Shape`);
    :class:`SiteError` names file, line and branch when it cannot be rendered."""
    if "{{" not in page.body and "{%" not in page.body and "{#" not in page.body:
        return Shape(page.body, [])
    template = compile_template(page.body, page.body_line)
    try:
        return template.render_shape(branch.context(), project.data.org, branch_id=branch.id)
    except TemplateError as exc:
        problem = exc.problem
        raise SiteError(
            f"{page.rel}:{problem.line}: {problem.message} (branch {branch.id})"
        ) from None


def render_page(page: SopPage, branch: Branch, project: SiteProject) -> str:
    """The SOP body as ``branch`` reads it."""
    return render_shape(page, branch, project).fill()


def _without_title(body: str) -> str:
    """The body without its first level-1 heading (the header shows the title)."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith("# "):
            rest = lines[i + 1 :]
            while rest and not rest[0].strip():
                rest = rest[1:]
            return "\n".join(rest)
        break
    return body


def _depth_prefix(slug: str) -> str:
    """From ``<lang>/<slug>/`` up to the folder that holds the language folders."""
    return "../" * (slug.count("/") + 2)


def header_html(
    page: SopPage, branch: Branch, project: SiteProject, branch_name: str | None = None
) -> str:
    """The block under the title of every SOP page (no blank lines: one HTML block).
    ``branch_name`` is HTML to show for the branch (a token when making a shape)."""
    lang = page.lang
    today = project.today
    due = page.date("review_due")
    effective = page.date("effective_date")
    state = review_state(due, today)
    status = page.text("status")
    rows = [
        ("id", escape(page.sop_id), "sop-id"),
        ("version", escape(page.text("version")) or "–", "sop-version"),
        (
            "status",
            f'<span class="sop-status sop-status--{escape(status.lower() or "unknown")}">'
            f"{escape(status_label(lang, status) or '–')}</span>",
            "sop-status-row",
        ),
        ("owner", escape(page.text("owner")) or "–", "sop-owner"),
        ("effective", _date_html(effective, page.text("effective_date")), "sop-effective"),
        (
            "review",
            _date_html(due, page.text("review_due"))
            + (f' <strong class="sop-flag">{escape(label(lang, state))}</strong>' if state else ""),
            "sop-review" + (f" sop-review--{state.replace('_', '-')}" if state else ""),
        ),
        ("language", escape(LANGUAGE_NAMES.get(lang, lang)), "sop-language"),
        ("branch", branch_name or escape(branch.name), "sop-branch"),
    ]
    parts = [
        f'<div class="sop-header" data-sop-id="{escape(page.sop_id)}" lang="{lang}">',
        '<dl class="sop-meta">',
    ]
    for key, value, css in rows:
        parts.append(
            f'<div class="{css}"><dt>{escape(label(lang, key))}</dt><dd>{value}</dd></div>'
        )
    parts.append("</dl>")
    others = []
    for other in branch.languages:
        if other == lang:
            continue
        twin = project.page(other, page.slug)
        if twin is not None and twin.applies_to(branch):
            href = f"{_depth_prefix(page.slug)}{other}/{page.slug}/"
            # target="_self": Material's language menu script takes over links into
            # another language's site and goes to that site's home; this link goes to
            # the same SOP.
            others.append(
                f'<a href="{escape(href)}" hreflang="{other}" lang="{other}" target="_self" '
                f'class="sop-lang-link">{escape(LANGUAGE_NAMES.get(other, other))}</a>'
            )
    if others:
        parts.append(
            f'<p class="sop-languages"><span>{escape(label(lang, "also_in"))}:</span> '
            + " ".join(others)
            + "</p>"
        )
    parts.append("</div>")
    return "\n".join(parts)


def _date_html(value: datetime.date | None, written: str) -> str:
    if value is None:
        return escape(written) or "–"
    return f'<time datetime="{value.isoformat()}">{value.isoformat()}</time>'


def front_matter(page: SopPage) -> str:
    """``title`` for the engine, and the SOP's own front matter under ``sop`` (so keys
    such as ``status`` or ``tags`` do not switch on theme features by accident)."""
    if page.front_matter_out is None:
        # The theme writes the title into the navigation and <title> as HTML, unescaped:
        # it is given escaped, so "<script>" in an SOP's title is text.
        data = {"title": escape(page.title), "sop": page.metadata}
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
        page.front_matter_out = f"---\n{text}---\n"
    return page.front_matter_out


_MD_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\(([^)\s#]+\.md)(#[^)\s]*)?\)")


def unlink_unpublished(body: str, page: SopPage, branch: Branch, project: SiteProject) -> str:
    """Links to SOPs this branch does not publish (``applies_to``) become plain text,
    so a shared SOP can mention a procedure that only some branches have."""

    def replace(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page.slug), match[2]))
        other = project.page(page.lang, target.removesuffix(".md"))
        if other is not None and not other.applies_to(branch):
            return match[1]
        return match[0]

    return _MD_LINK.sub(replace, body) if ".md" in body else body


def sop_shape(page: SopPage, branch: Branch, project: SiteProject) -> Shape:
    """A SOP page for ``branch`` after its front matter (title, header, body) as a shape:
    branches with the same shape differ only in the values filled in."""
    shape = render_shape(page, branch, project)
    body = unlink_unpublished(_without_title(shape.text), page, branch, project)
    name = shape.add(branch.name, "html")
    header = header_html(page, branch, project, name)
    shape.text = f"# {escape_value(page.title)}\n\n{header}\n\n{body.rstrip()}\n"
    return shape


def sop_markdown(page: SopPage, branch: Branch, project: SiteProject) -> str:
    """A whole SOP page for ``branch``: front matter, title, header, rendered body."""
    return f"{front_matter(page)}\n{sop_shape(page, branch, project).fill()}"


def _cell(text: str) -> str:
    return escape_value(text).replace("\n", " ")


def _link(page: SopPage) -> str:
    return f"[{escape_value(page.title)}]({page.slug}.md)"


def _readability_cell(page: SopPage, lang: str) -> str:
    reading = page.readability
    if reading is None:
        return "–"
    band = escape(band_label(lang, reading.band))
    if reading.score is None:
        per = reading.words_per_sentence
        return (
            f'<span class="sop-level">{band}</span> ({per:.1f} {label(lang, "words_per_sentence")})'
        )
    metric = {"flesch": "Flesch", "lix": "LIX"}.get(reading.metric or "", reading.metric or "")
    level = page.level or "ok"
    return (
        f'<span class="sop-level sop-level--{level}">{band}</span> ({metric} {reading.score:.0f})'
    )


def index_markdown(branch: Branch, lang: str, pages: list[SopPage], project: SiteProject) -> str:
    """The home page of a branch's site in one language."""
    # The branch's name comes from the branches file: escaped wherever it goes.
    name = escape_value(branch.name)
    title = label(lang, "procedures_for", branch=branch.name)
    out = [
        "---",
        f"title: {_yaml_text(escape(title))}",
        "---",
        "",
        f"# {label(lang, 'procedures_for', branch=name)}",
        "",
        label(lang, "intro", branch=name),
        "",
        f"## {label(lang, 'contact')}",
        "",
        '<dl class="sop-branch-card">',
    ]
    for key in CONTACT_KEYS:
        if key not in branch.values:
            continue
        value = branch.values[key]
        if key in PHONE_KEYS:
            number = "".join(c for c in value if c.isdigit() or c == "+")
            shown = f'<a href="tel:{escape(number)}">{escape(value)}</a>'
        else:
            shown = escape(value)
        out.append(f"<div><dt>{escape(label(lang, key))}</dt><dd>{shown}</dd></div>")
    out += ["</dl>", "", f"## {label(lang, 'procedures')}", ""]
    if pages:
        out += [
            f"| {label(lang, 'id')} | {label(lang, 'title')} | {label(lang, 'status')} "
            f"| {label(lang, 'review')} |",
            "| --- | --- | --- | --- |",
        ]
        for page in pages:
            review = _review_cell(page, project, lang)
            out.append(
                f"| {_cell(page.sop_id)} | {_link(page)} | "
                f"{_cell(status_label(lang, page.text('status')))} | {review} |"
            )
    else:
        out.append(label(lang, "none_published"))
    out += ["", f"[{label(lang, 'dashboard')}](dashboard.md){{ .md-button }}", ""]
    return "\n".join(out)


def _flag(state: str, text: str, lang: str) -> str:
    return f'<span class="sop-flag sop-flag--{state}">{text} · {label(lang, state)}</span>'


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dashboard_markdown(
    branch: Branch, lang: str, pages: list[SopPage], project: SiteProject
) -> str:
    """The dashboard: every SOP's status, owner, review, readability and findings."""
    title = f"{label(lang, 'dashboard')}: {escape_value(branch.name)}"
    counts = {p.rel: len(p.findings_for(branch.id)) for p in pages}
    overdue = sum(review_state(p.date("review_due"), project.today) == "overdue" for p in pages)
    out = [
        "---",
        f"title: {_yaml_text(label(lang, 'dashboard'))}",
        "hide: [toc]",
        "---",
        "",
        f"# {title}",
        "",
        label(
            lang,
            "dashboard_intro",
            branch=escape_value(branch.name),
            language=LANGUAGE_NAMES.get(lang, lang),
            today=project.today.isoformat(),
        ),
        "",
        label(lang, "summary", count=len(pages), overdue=overdue, findings=sum(counts.values())),
        "",
        f"![{label(lang, 'chart_readability')}](assets/charts/readability.svg)",
        "",
        f"![{label(lang, 'chart_reviews')}](assets/charts/reviews.svg)",
        "",
        f"| {label(lang, 'id')} | {label(lang, 'title')} | {label(lang, 'status')} "
        f"| {label(lang, 'owner')} | {label(lang, 'review')} | {label(lang, 'readability')} "
        f"| {label(lang, 'findings')} |",
        "| --- | --- | --- | --- | --- | --- | ---: |",
    ]
    for page in pages:
        review = _review_cell(page, project, lang)
        found = page.findings_for(branch.id)
        if found:
            rules = ", ".join(sorted({f"{f.rule} {f.name}" for f in found}))
            cell = f'<span class="sop-findings" title="{escape(rules)}">{len(found)}</span>'
        else:
            cell = '<span class="sop-findings sop-findings--none">0</span>'
        out.append(
            f"| {_cell(page.sop_id)} | {_link(page)} | "
            f"{_cell(status_label(lang, page.text('status')))} | {_cell(page.text('owner'))} "
            f"| {review} | {_readability_cell(page, lang)} | {cell} |"
        )
    if not pages:
        out = [*out[:-2], label(lang, "none_published")]
    out.append("")
    return "\n".join(out)


def chart_files(lang: str, pages: list[SopPage], project: SiteProject) -> dict[str, str]:
    """The dashboard's two SVG charts for these pages."""
    metric = next((p.readability.metric for p in pages if p.readability), None)
    bars = []
    for page in pages:
        reading = page.readability
        if reading is None:
            value = None
        elif reading.score is None:
            value = round(reading.words_per_sentence, 1)
        else:
            value = round(reading.score, 1)
        bars.append(charts.ReadabilityBar(page.sop_id, page.title, value, page.level))
    if metric == "flesch":
        scale = charts.Scale("Flesch Reading Ease", 100, 60, 50, True)
    elif metric == "lix":
        scale = charts.Scale("LIX", 70, 40, 50, False)
    else:
        top = max([b.value or 0 for b in bars] + [10])
        scale = charts.Scale(
            label(lang, "words_per_sentence"), float(int(top) + 5), None, None, False
        )
    dates = [(p.sop_id, d) for p in pages if (d := p.date("review_due")) is not None]
    return {
        "assets/charts/readability.svg": charts.readability_chart(bars, scale, lang),
        "assets/charts/reviews.svg": charts.reviews_chart(dates, project.today, lang),
    }


def compose_language(project: SiteProject, branch: Branch, lang: str) -> ComposedSite:
    """Every file of ``branch``'s site in ``lang``, ready for MkDocs or another engine."""
    if lang not in branch.languages:
        raise SiteError(f"branch {branch.id} does not publish in {lang!r}")
    pages = project.pages_for(branch, lang)
    site = ComposedSite(lang=lang, pages=pages)
    site.files["index.md"] = index_markdown(branch, lang, pages, project)
    site.nav.append((label(lang, "home"), "index.md"))
    for page in pages:
        path = f"{page.slug}.md"
        shape = sop_shape(page, branch, project)
        site.files[path] = f"{front_matter(page)}\n{shape.fill()}"
        site.shapes[path] = shape
    if len(pages) <= NAV_FULL_LIMIT:
        site.nav.extend((None, f"{page.slug}.md") for page in pages)
    else:
        _section_nav(site, branch, lang, pages, project)
    site.files["dashboard.md"] = dashboard_markdown(branch, lang, pages, project)
    site.nav.append((label(lang, "dashboard"), "dashboard.md"))
    site.files.update(chart_files(lang, pages, project))
    for relative, path in project.assets.get(lang, []):
        site.files.setdefault(relative, path)
    return site


def _section_title(folder: str) -> str:
    """A folder's name as a section title: ``vehicle-checks`` is "Vehicle checks"."""
    words = folder.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else folder


def _section_nav(
    site: ComposedSite, branch: Branch, lang: str, pages: list[SopPage], project: SiteProject
) -> None:
    """The navigation of a language with many SOPs: one entry per top folder, whose page
    lists the folder's SOPs. SOPs outside any folder are listed on the home page (which
    lists every SOP) and in the dashboard; no SOP page is in the navigation."""
    folders: dict[str, list[SopPage]] = {}
    for page in pages:
        site.not_in_nav.add(f"{page.slug}.md")
        if "/" in page.slug:
            folders.setdefault(page.slug.split("/", 1)[0], []).append(page)
    for folder in sorted(folders):
        index = f"{folder}/index.md"
        title = _section_title(folder)
        if index in site.files:
            site.not_in_nav.discard(index)  # an SOP is the folder's own index page
        else:
            site.files[index] = section_markdown(
                branch, lang, title, folder, folders[folder], project
            )
        # Material prints nav titles as HTML: a folder's name is a contributor's text.
        site.nav.append((escape(f"{title} ({len(folders[folder])})"), index))


def section_markdown(
    branch: Branch,
    lang: str,
    title: str,
    folder: str,
    pages: list[SopPage],
    project: SiteProject,
) -> str:
    """A folder's page: its SOPs, with status and next review, linked."""
    out = [
        "---",
        f"title: {_yaml_text(escape(title))}",
        "---",
        "",
        f"# {escape_value(title)}",
        "",
        escape_value(label(lang, "section_intro", section=title, branch=branch.name)),
        "",
        f"| {label(lang, 'id')} | {label(lang, 'title')} | {label(lang, 'status')} "
        f"| {label(lang, 'review')} |",
        "| --- | --- | --- | --- |",
    ]
    for page in pages:
        title_md = page.title.replace("[", "\\[").replace("]", "\\]")
        href = posixpath.relpath(f"{page.slug}.md", folder)
        out.append(
            f"| {_cell(page.sop_id)} | [{title_md}]({href}) | "
            f"{_cell(status_label(lang, page.text('status')))} | "
            f"{_review_cell(page, project, lang)} |"
        )
    out.append("")
    return "\n".join(out)


def branch_home_markdown(branch: Branch, project: SiteProject) -> str:
    """The page above the language folders when one site holds every language."""
    out = [f"# {escape_value(branch.name)}", ""]
    for lang in branch.languages:
        count = len(project.pages_for(branch, lang))
        out.append(
            f"- [{LANGUAGE_NAMES.get(lang, lang)}]({lang}/index.md) "
            f"({count} {label(lang, 'procedures').lower()})"
        )
    out.append("")
    return "\n".join(out)


def _review_cell(page: SopPage, project: SiteProject, lang: str) -> str:
    """A page's next review date for a table cell, flagged when soon or overdue."""
    review = _cell(page.text("review_due")) or "–"
    state = review_state(page.date("review_due"), project.today)
    return _flag(state, review, lang) if state else review
