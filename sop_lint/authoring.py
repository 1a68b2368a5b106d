"""Writing a new SOP from the template (``sop-lint new``).

The new file's front matter comes from the template's ``metadata`` (what the writer gave,
sensible defaults for a draft, and ``[[placeholders]]`` for the rest); its body from the
template's Jinja2 skeleton for the SOP's language, one heading per section. Checked at
once, it has only ``placeholder-left`` findings: the writer's to-do list.

A file is never overwritten: the text goes to a temporary file in the same folder, which
is then linked into place only if no file of that name exists.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

from sop_lint.config import Config
from sop_lint.engine import display_path
from sop_lint.parser import split_front_matter
from sop_lint.safe_io import RefusedRead, read_guarded, read_guarded_text
from sop_lint.template import SectionSpec, Template, builtin_dir

DRAFT_VERSION = "0.1"
_TRANSLITERATE = str.maketrans(
    {"æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ß": "ss", "œ": "oe", "Œ": "oe", "ð": "d",
     "þ": "th", "ł": "l", "Ł": "l", "đ": "d"}
)  # fmt: skip
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10))} | {
    f"lpt{i}" for i in range(1, 10)
}
MAX_SLUG = 60
_PLAIN = re.compile(r"^[^\W\d_][\w .()/-]*$")  # starts with a letter; no YAML syntax


class AuthoringError(Exception):
    """A new SOP cannot be written; the message says why and what to do."""


@dataclass(slots=True)
class NewSop:
    """What the writer told ``sop-lint new``."""

    title: str
    lang: str
    id: str | None = None
    owner: str | None = None


def slugify(text: str) -> str:
    """A safe, portable file name stem: ``"Hantera en retur!"`` -> ``"hantera-en-retur"``.

    Letters are reduced to ASCII (``å`` -> ``a``, ``ø`` -> ``o``); anything else becomes a
    hyphen. Text with no Latin letters (a Telugu title) gives ``""``.
    """
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] or slug[:MAX_SLUG]
    if slug in _WINDOWS_RESERVED:
        slug += "-sop"
    return slug


def file_name(sop: NewSop) -> str:
    """``<slug of the title>.md``; the id's slug when the title has no Latin letters."""
    stem = slugify(sop.title) or slugify(sop.id or "") or "new-sop"
    return f"{stem}.md"


def default_path(sop: NewSop, config: Config) -> Path:
    """Where a new SOP goes: ``<docs>/<lang>/`` when that folder exists, else ``<docs>/``."""
    docs = config.root / (config.docs[0] if config.docs else "docs")
    folder = docs / sop.lang if (docs / sop.lang).is_dir() else docs
    return folder / file_name(sop)


def find_id(sop_id: str, folders: Iterable[Path], config: Config | None = None) -> Path | None:
    """The Markdown file under ``folders`` whose front matter has ``id: sop_id``, if any.

    Files are found and read as ``check`` finds and reads them: symlinked folders are not
    walked into, excluded files are skipped, and each read is guarded (a FIFO, a device
    or a symlink out of the project is passed over, never waited on or read).
    """
    from sop_lint.engine import MAX_FILE_BYTES, discover

    config = config or Config()
    wanted = sop_id.strip().casefold()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in discover([folder], config)[0]:
            try:
                data = read_guarded(path, config.root, MAX_FILE_BYTES)
            except RefusedRead:
                continue
            head = data[:8192].decode("utf-8", "replace")
            if not head.startswith("---"):
                continue
            metadata = split_front_matter(head)[0]
            found = metadata.get("id")
            if found is not None and str(found).strip().casefold() == wanted:
                return path
    return None


def _yaml_scalar(value: Any) -> str:
    """A front-matter value as YAML: plain when YAML reads it back as the same text
    (``CS-006``, ``draft``), else double-quoted (``"0.1"``, ``"[[...]]"``)."""
    text = str(value)
    if _PLAIN.match(text):
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _placeholder(template: Template, key: str, lang: str) -> str:
    spec = template.metadata[key]
    text = spec.placeholder.get(lang) or spec.placeholder.get(template.fallback_language)
    if text:
        return text
    if spec.type == "choice" and spec.choices:
        return f"[[one of: {', '.join(spec.choices)}]]"
    return f"[[{spec.help or key}]]"


def front_matter(template: Template, sop: NewSop) -> str:
    """The YAML lines (without ``---``) of a new draft, in the template's key order."""
    lang = sop.lang
    given: dict[str, Any] = {
        "id": sop.id,
        "title": sop.title,
        "version": DRAFT_VERSION,
        "status": "draft",
        "owner": sop.owner,
        "applies_to": "all",
        "lang": lang,
    }
    lines = []
    for key, spec in template.metadata.items():
        value = given.get(key)
        if key == "status" and spec.choices and "draft" not in spec.choices:
            value = None
        if value is None and not (spec.required or spec.required_when_status):
            continue  # optional keys (author, review_interval, translation_of) stay out
        if value is None or value == "":
            value = _placeholder(template, key, lang)
        lines.append(f"{key}: {_yaml_scalar(value)}")
    return "\n".join(lines)


def _section_context(template: Template, spec: SectionSpec, lang: str) -> dict[str, Any]:
    name = template.name_of(spec, lang)
    guidance = spec.guidance.get(lang) or spec.guidance.get(template.fallback_language) or name
    columns = {
        role: (
            spec.columns.get(role, {}).get(lang)
            or spec.columns.get(role, {}).get(template.fallback_language)
            or (role.title(),)
        )[0]
        for role in ("version", "date", "change", "author")
    }
    return {
        "key": spec.key,
        "name": name,
        "heading": template.heading_of(spec, lang),
        "required": spec.required,
        "kind": spec.kind,
        "guidance": guidance,
        "columns": columns,
    }


def skeleton_for(template: Template, lang: str) -> Path:
    """The skeleton file for ``lang``: the template's own, else the built-in one, else the
    template's (or built-in) skeleton for its fallback language."""
    builtin = builtin_dir() / "skeletons"
    candidates = [
        template.skeletons.get(lang),
        builtin / f"{lang}.md.j2",
        template.skeletons.get(template.fallback_language),
        builtin / f"{template.fallback_language}.md.j2",
        builtin / "en.md.j2",
    ]
    for candidate in candidates:
        if candidate is not None and candidate.is_file():
            return candidate
    raise AuthoringError("no skeleton file found for new SOPs; reinstall sop-lint")


def _skeleton_loader(skeleton: Path, template: Template) -> jinja2.BaseLoader:
    """Reads the skeleton (and what it includes from its folder) through the guarded
    reader, inside the project (or sop-lint's own folder for the built-in skeletons)."""
    folder = skeleton.parent
    builtin = builtin_dir()
    root = builtin if _inside(skeleton, builtin) else (template.root or folder)

    def load(name: str) -> str:
        path = folder / name
        if not _inside(path, folder):
            raise jinja2.TemplateNotFound(name)
        try:
            return read_guarded_text(path, root)
        except RefusedRead as exc:
            raise AuthoringError(f"{display_path(path)}: cannot read the skeleton: {exc}") from None

    return jinja2.FunctionLoader(load)


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(folder)))
    except ValueError:
        return False
    return True


def render(template: Template, sop: NewSop, today: datetime.date) -> str:
    """The Markdown text of a new SOP."""
    lang = template.language_for(sop.lang)
    skeleton = skeleton_for(template, lang)
    env = SandboxedEnvironment(
        loader=_skeleton_loader(skeleton, template),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    owner = sop.owner
    if not owner:
        owner = _placeholder(template, "owner", lang) if "owner" in template.metadata else ""
    context = {
        "title": sop.title,
        "id": sop.id or "",
        "owner": owner,
        "lang": sop.lang,
        "version": DRAFT_VERSION,
        "status": "draft",
        "today": today.isoformat(),
        "front_matter": front_matter(template, sop),
        "sections": [
            _section_context(template, spec, lang) for spec in template.sections if spec.skeleton
        ],
    }
    try:
        text = env.get_template(skeleton.name).render(context)
    except jinja2.TemplateError as exc:
        where = f"{skeleton}:{exc.lineno}" if getattr(exc, "lineno", None) else str(skeleton)
        # exc.message, not str(exc): Jinja2 adds the offending source line to the latter.
        reason = exc.message or type(exc).__name__
        raise AuthoringError(f"{where}: the skeleton cannot be filled in: {reason}") from None
    text = re.sub(r"\n{3,}", "\n\n", text.strip("\n")) + "\n"
    return text


def write_new(path: Path, text: str, shown: str | None = None) -> None:
    """Write ``text`` to a new file at ``path``; never replace an existing file.

    The text is written to a temporary file in the same folder first, so the new file
    appears complete or not at all. ``shown`` is the path as errors name it.
    """
    taken = f"{shown or path} already exists; choose another title or --output"
    try:
        if path.exists():
            raise AuthoringError(taken)
        _write_new(path, text, taken)
    except OSError as exc:  # a name too long, a folder that cannot be made
        raise AuthoringError(
            f"{shown or path}: cannot write the new SOP: {exc.strerror or exc}; choose "
            "another --output (a shorter name, in a folder you can write to)"
        ) from None


def _write_new(path: Path, text: str, taken: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # A short temporary name: one built from a long file name could itself be too long.
    fd, tmp = tempfile.mkstemp(prefix=".sop-lint-new-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        try:
            os.link(tmp, path)  # fails if the name was taken meanwhile: no overwrite
        except FileExistsError:
            raise AuthoringError(taken) from None
        except OSError:
            # A file system without hard links: check again, then move into place.
            if path.exists():
                raise AuthoringError(taken) from None
            os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
