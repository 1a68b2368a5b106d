"""LanguageTool, for grammar and spelling: where the server is, and what to send it.

sop-lint never downloads LanguageTool. It talks to a server the organisation runs (the
official Docker image, say), named by ``url`` in ``[tool.sop-lint.grammar]`` or by the
``SOP_LINT_LANGUAGETOOL_URL`` environment variable, or starts language_tool_python's local
server when LanguageTool is already installed (``LTP_JAR_DIR_PATH``).

LanguageTool reports offsets in the text it was sent. sop-lint sends the prose a reader
sees (markup, code and URLs removed), one request per file, and keeps a map from that
text back to the source so every match lands on the right line and column.
"""

from __future__ import annotations

import functools
import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sop_lint.model import Block, BlockKind, Document, Span

ENV_URL = "SOP_LINT_LANGUAGETOOL_URL"
ENV_JAR_DIR = "LTP_JAR_DIR_PATH"
PROBE_TIMEOUT = 3.0
# LanguageTool's own names for our languages; Norwegian Bokmål is "no" there.
LANGUAGE_CODES = {"en": "en-US", "sv": "sv", "nb": "no", "te": "te"}
# Rules that misfire on text whose markup has been removed.
DEFAULT_DISABLED = ("WHITESPACE_RULE", "UPPERCASE_SENTENCE_START", "COMMA_PARENTHESIS_WHITESPACE")
_SPACES = re.compile(r"\s+")


class GrammarUnavailable(Exception):
    """LanguageTool cannot be reached or started; the message says why."""


@dataclass(slots=True, frozen=True)
class GrammarSettings:
    """The ``[tool.sop-lint.grammar]`` table, validated."""

    url: str | None = None
    language_variants: Mapping[str, str] = field(default_factory=dict)  # e.g. {"en": "en-GB"}
    disabled_rules: tuple[str, ...] = DEFAULT_DISABLED

    @classmethod
    def from_config(cls, table: Any) -> GrammarSettings:
        """Validate the raw config table (``ConfigError`` names the bad key)."""
        from sop_lint.config import ConfigError

        if table is None:
            table = {}
        if not isinstance(table, dict):
            raise ConfigError(
                "config key 'grammar': expected a table, e.g. [tool.sop-lint.grammar]"
            )
        known = {"url", "language-variants", "disabled-rules"}
        for key in table:
            if key not in known:
                raise ConfigError(
                    f"config key 'grammar.{key}' is unknown; known: {', '.join(sorted(known))}"
                )
        url = table.get("url")
        if url is not None and (
            not isinstance(url, str) or not url.startswith(("http://", "https://"))
        ):
            raise ConfigError(f"config key 'grammar.url': expected an http(s) URL, got {url!r}")
        variants = table.get("language-variants", {})
        if not isinstance(variants, dict) or not all(isinstance(v, str) for v in variants.values()):
            raise ConfigError("config key 'grammar.language-variants': expected a table of strings")
        disabled = table.get("disabled-rules", list(DEFAULT_DISABLED))
        if not isinstance(disabled, list) or not all(isinstance(r, str) for r in disabled):
            raise ConfigError("config key 'grammar.disabled-rules': expected a list of rule ids")
        return cls(url, dict(variants), tuple(disabled))

    def server_url(self) -> str | None:
        """The server to use: the environment variable wins over config."""
        return os.environ.get(ENV_URL) or self.url

    def describe(self) -> str:
        url = self.server_url()
        if url:
            return f"LanguageTool server {url}"
        if os.environ.get(ENV_JAR_DIR):
            return f"local LanguageTool in {os.environ[ENV_JAR_DIR]}"
        return "LanguageTool (no server configured)"


def probe(settings: GrammarSettings) -> None:
    """Check, quickly, that LanguageTool can be used; raise :class:`GrammarUnavailable`."""
    url = settings.server_url()
    if url:
        try:
            with urllib.request.urlopen(
                url.rstrip("/") + "/v2/languages", timeout=PROBE_TIMEOUT
            ) as response:
                json.load(response)
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GrammarUnavailable(
                f"LanguageTool server {url} is unreachable: {reason}"
            ) from None
        return
    jar_dir = os.environ.get(ENV_JAR_DIR)
    if jar_dir and os.path.isdir(jar_dir):
        return
    raise GrammarUnavailable(
        f"no LanguageTool server: set {ENV_URL} or [tool.sop-lint.grammar] url, or install "
        f"LanguageTool and set {ENV_JAR_DIR}"
    )


@functools.cache
def _client(url: str | None, language: str, disabled: tuple[str, ...]) -> Any:
    """One language_tool_python client per server and language, per process."""
    import language_tool_python

    try:
        if url:
            tool = language_tool_python.LanguageTool(language, remote_server=url)
        else:
            # Only reached when LTP_JAR_DIR_PATH names an installed LanguageTool, so
            # language_tool_python starts it rather than downloading one.
            tool = language_tool_python.LanguageTool(language)
    except Exception as exc:  # the library raises several unrelated types
        raise GrammarUnavailable(f"LanguageTool could not be used: {exc}") from None
    tool.disabled_rules.update(disabled)
    return tool


@dataclass(slots=True)
class PlainText:
    """The prose of a document as one string, with a map back to blocks."""

    text: str
    pieces: list[tuple[int, Block, int, int]]  # (offset in text, block, start, end in block)
    placeholders: list[tuple[int, int]]  # spans of ``{{ ... }}`` in text

    def locate(self, offset: int, length: int) -> tuple[Block, int, int] | None:
        """The block and block-text range of ``text[offset:offset + length]``."""
        for start, block, block_start, block_end in reversed(self.pieces):
            if start <= offset:
                begin = block_start + (offset - start)
                if begin > block_end:
                    return None
                return block, begin, min(block_end, begin + max(length, 1))
        return None

    def in_placeholder(self, offset: int, length: int) -> bool:
        end = offset + max(length, 1)
        return any(s < end and offset < e for s, e in self.placeholders)


def plain_text(doc: Document) -> PlainText:
    """Prose blocks joined by blank lines; each sentence keeps its characters and offsets.

    Runs of blanked markup inside a sentence are kept (as spaces) so offsets stay simple;
    ``WHITESPACE_RULE`` is disabled by default for that reason.
    """
    parts: list[str] = []
    pieces: list[tuple[int, Block, int, int]] = []
    placeholders: list[tuple[int, int]] = []
    length = 0
    for block in doc.blocks:
        if block.kind is BlockKind.HEADING or not block.sentences:
            continue
        start = block.sentences[0].start
        end = block.sentences[-1].end
        chunk = block.text[start:end].replace("\n", " ")
        if parts:
            parts.append("\n\n")
            length += 2
        pieces.append((length, block, start, end))
        for match in re.finditer(r"\{\{.*?\}\}", chunk):
            placeholders.append((length + match.start(), length + match.end()))
        parts.append(chunk)
        length += len(chunk)
    return PlainText("".join(parts), pieces, placeholders)


@dataclass(slots=True)
class GrammarMatch:
    """A LanguageTool match placed in the source."""

    span: Span
    message: str
    replacements: list[str]
    rule_id: str


def check_document(doc: Document, settings: GrammarSettings) -> Iterator[GrammarMatch]:
    """Send the document's prose to LanguageTool once and place each match in the source."""
    language = settings.language_variants.get(doc.language_code) or LANGUAGE_CODES.get(
        doc.language_code
    )
    if language is None:
        return
    text = plain_text(doc)
    if not text.text.strip():
        return
    tool = _client(settings.server_url(), language, settings.disabled_rules)
    try:
        matches = tool.check(text.text)
    except Exception as exc:  # connection errors surface as several types
        raise GrammarUnavailable(f"LanguageTool check failed: {exc}") from None
    for match in matches:
        offset, length = match.offset, match.error_length
        if text.in_placeholder(offset, length):
            continue  # a branch value such as {{ branch.phone }} is not a word to check
        located = text.locate(offset, length)
        if located is None:
            continue
        block, start, end = located
        yield GrammarMatch(
            block.span_of(start, end),
            _SPACES.sub(" ", match.message).strip(),
            list(match.replacements[:3]),
            match.rule_id,
        )
