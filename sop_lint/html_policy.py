"""What raw HTML an SOP may publish: one allow-list for the site build and the linter.

SOPs come from anyone in the organisation and are published on every branch's site, so the
HTML made from an SOP's Markdown is cleaned with :func:`sanitise` (nh3, an HTML5 parser and
allow-list sanitiser) before it reaches a page: no ``<script>``, ``<style>``, ``<iframe>``,
``<object>`` or ``<form>``, no ``on...=`` event attributes, no ``javascript:`` or ``data:``
links. What SOP writers use (tables, ``<br>``, ``<kbd>``, ``<details>``/``<summary>``,
``<abbr>``, ``<sup>``/``<sub>``, ``<mark>``, images from http(s) or the site itself) and what
the Markdown extensions and sop-lint's own page header make is kept.

The linter's ``raw-html-stripped`` rule asks :func:`stripped` what the build would remove
from a piece of raw HTML, using the same tables, so the two cannot disagree. This module
imports nothing from the site: the linter must not depend on MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape

import nh3

# Tags kept; any other tag is removed (its text stays, except for those in DROPPED_CONTENT).
TAGS = frozenset(
    """a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em
    figcaption figure h1 h2 h3 h4 h5 h6 hr i img input ins kbd label li mark ol p pre q s
    samp small span strong sub summary sup table tbody td tfoot th thead time tr u ul var
    wbr""".split()
)
# Tags removed with everything inside them (their text is code, not prose).
DROPPED_CONTENT = frozenset({"script", "style"})
# Attributes any kept tag may have.
GENERIC_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir"})
# Attributes particular tags may have, besides the generic ones.
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"colspan", "rowspan", "align", "style"}),
    "th": frozenset({"colspan", "rowspan", "align", "style", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "abbr": frozenset(),
    "label": frozenset({"for"}),
    # Tabs (pymdownx.tabbed) and task lists are radio buttons and check boxes.
    "input": frozenset({"checked", "disabled", "name"}),
    "div": frozenset({"data-sop-id"}),  # sop-lint's page header
}
# Attributes allowed only with one of these values.
TAG_ATTRIBUTE_VALUES: dict[str, dict[str, frozenset[str]]] = {
    "input": {"type": frozenset({"radio", "checkbox"})},
    "a": {"target": frozenset({"_self"})},  # sop-lint's links to the other languages
}
# The only CSS a style attribute keeps: the alignment Markdown tables write.
STYLE_PROPERTIES = frozenset({"text-align"})
# Links and image sources: these schemes, or a link inside the site (no scheme).
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})


def _attributes() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"*": set(GENERIC_ATTRIBUTES)}
    for tag, names in TAG_ATTRIBUTES.items():
        out[tag] = set(names)
    return out


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_CONTENT),
    attributes=_attributes(),
    tag_attribute_values={
        tag: {name: set(values) for name, values in table.items()}
        for tag, table in TAG_ATTRIBUTE_VALUES.items()
    },
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
    link_rel=None,  # links keep what Markdown made; target=_blank is not allowed anyway
    strip_comments=True,
)


# Tags kept only with one of their allowed values for this attribute (an <input> without
# type="radio" or "checkbox" is a text box: a form field asking for a PIN is phishing).
REQUIRED_ATTRIBUTES: dict[str, str] = {"input": "type"}
# nh3's output is serialised canonically (attribute values always in double quotes), so a
# tag in it is matched reliably.
_CLEAN_TAG = {tag: re.compile(rf'<{tag}\b(?:[^>"]|"[^"]*")*>') for tag in REQUIRED_ATTRIBUTES}


def sanitise(html: str) -> str:
    """``html`` with everything outside the allow-list removed."""
    clean = _CLEANER.clean(html)
    for tag, pattern in _CLEAN_TAG.items():
        if f"<{tag}" in clean:
            clean = pattern.sub(lambda m, tag=tag: _required(tag, m[0]), clean)
    return clean


def _required(tag: str, text: str) -> str:
    name = REQUIRED_ATTRIBUTES[tag]
    allowed = TAG_ATTRIBUTE_VALUES[tag][name]
    match = re.search(rf'\s{name}="([^"]*)"', text)
    return text if match is not None and match[1].lower() in allowed else ""


# -- what the build would strip, for the linter --------------------------------------------


@dataclass(slots=True, frozen=True)
class Stripped:
    """One thing in raw HTML that :func:`sanitise` removes: at ``offset`` (of its tag or
    attribute) for ``length`` characters; ``what`` names it for the writer."""

    offset: int
    length: int
    what: str
    advice: str


# A tag: its name ends at a space, "/" or ">" (so <https://...> autolinks are not tags), and
# it holds no "<" (Markdown does not pass one on as HTML: "a <b <c" is text). So a look for
# a tag stops at the next "<", and the whole scan is linear.
_TAG = re.compile(
    r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])"
    r"(?P<attrs>(?:[^<>\"']|\"[^<\"]*\"|'[^<']*')*)>"
)
# And no further than this from its "<" (a longer tag is not reported).
MAX_TAG_CHARS = 4096
_ATTR = re.compile(r"(?P<name>[^\s\"'>/=]+)(?:\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_CSS_DECLARATION = re.compile(r"^\s*([A-Za-z-]+)\s*:")

# What to write instead of a tag the build removes.
_INSTEAD = {
    "script": "scripts are never published; ask the site maintainer if a page needs one",
    "style": "styles come from the site's theme; ask the site maintainer for a change",
    "iframe": "link to the page instead: [title](https://...)",
    "object": "link to the file instead: [title](file.pdf)",
    "embed": "link to the file instead: [title](file.pdf)",
    "form": "link to the form instead: [Report form](https://...)",
    "button": "write the text in **bold**, or link to the page: [title](https://...)",
    "font": "use **bold** or *italics*",
    "center": "write the text as a normal paragraph",
    "big": "use **bold**",
}


def _instead_tag(name: str) -> str:
    return _INSTEAD.get(name, "write it in Markdown, or ask the site maintainer to allow it")


def _url_allowed(value: str) -> bool:
    # Browsers drop tabs and newlines inside a URL: "java\tscript:" is "javascript:".
    match = _SCHEME.match(re.sub(r"[\t\n\r]", "", value))
    return match is None or match[1].lower() in URL_SCHEMES


def _style_allowed(value: str) -> bool:
    """Whether every declaration survives (the rest of the attribute is removed)."""
    for declaration in value.split(";"):
        if not declaration.strip():
            continue
        match = _CSS_DECLARATION.match(declaration)
        if match is None or match[1].lower() not in STYLE_PROPERTIES:
            return False
    return True


def stripped(html: str) -> Iterator[Stripped]:
    """What :func:`sanitise` removes from ``html``: tags outside the allow-list, and
    attributes (event handlers, ``javascript:`` links, styles) the kept tags lose.

    HTML comments are ignored: they are never shown, so removing them changes nothing.
    Text inside ``<script>`` and ``<style>`` is not looked into.
    """
    position = 0
    length = len(html)
    while position < length:
        start = html.find("<", position)
        if start == -1:
            return
        if html.startswith("<!--", start):
            end = html.find("-->", start + 4)
            position = length if end == -1 else end + 3
            continue
        match = _TAG.match(html, start, start + MAX_TAG_CHARS)
        if match is None:
            position = start + 1
            continue
        position = match.end()
        name = match["name"].lower()
        if name in DROPPED_CONTENT and not match["close"]:
            yield Stripped(start, match.end() - start, f"<{name}>", _instead_tag(name))
            close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(html, position)
            position = length if close is None else close.end()
            continue
        if name not in TAGS:
            if not match["close"]:
                yield Stripped(start, match.end() - start, f"<{name}>", _instead_tag(name))
            continue
        if match["close"]:
            continue
        if name in REQUIRED_ATTRIBUTES:
            required = REQUIRED_ATTRIBUTES[name]
            given = {m["name"].lower(): _value(m["value"]) for m in _ATTR.finditer(match["attrs"])}
            if given.get(required, "").lower() not in TAG_ATTRIBUTE_VALUES[name][required]:
                yield Stripped(
                    start,
                    match.end() - start,
                    f"<{name}>",
                    "form fields are not published; link to the form instead: "
                    "[Report form](https://...)",
                )
                continue
        yield from _stripped_attributes(name, match["attrs"], match.start("attrs"))


def _stripped_attributes(tag: str, attrs: str, offset: int) -> Iterator[Stripped]:
    allowed = GENERIC_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, frozenset())
    values = TAG_ATTRIBUTE_VALUES.get(tag, {})
    for match in _ATTR.finditer(attrs):
        name = match["name"].lower()
        value = _value(match["value"])
        where = offset + match.start()
        size = match.end() - match.start()
        if name in values:
            if value.lower() in values[name]:
                continue
            yield Stripped(
                where,
                size,
                f'{name}="{value}" on <{tag}>',
                f"{name} may only be {', '.join(sorted(values[name]))}; leave it out",
            )
        elif name not in allowed:
            if name.startswith("on"):
                advice = "pages run no scripts; leave the attribute out"
            elif name == "style":
                advice = "colours and layout come from the site's theme; use **bold** instead"
            else:
                advice = "leave the attribute out, or ask the site maintainer to allow it"
            yield Stripped(where, size, f"the attribute {name} on <{tag}>", advice)
        elif name in URL_ATTRIBUTES and not _url_allowed(unescape(value)):
            yield Stripped(
                where,
                size,
                f"the link {name}={value!r} on <{tag}>",
                "link with https://, mailto:, tel: or a page of the site",
            )
        elif name == "style" and not _style_allowed(unescape(value)):
            yield Stripped(
                where,
                size,
                f"the style on <{tag}>",
                "styles come from the site's theme; align table columns with :--- and ---:",
            )


def _value(raw: str | None) -> str:
    """An attribute's value as written, without its quotes."""
    return raw[1:-1] if raw and raw[0] in "\"'" else (raw or "")
