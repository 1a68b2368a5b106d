"""LanguageTool, for grammar and spelling: where the server is, and what to send it.

sop-lint never downloads LanguageTool. It talks to a server the organisation runs (the
official Docker image, say), named by ``url`` in ``[tool.sop-lint.grammar]`` or by the
``SOP_LINT_LANGUAGETOOL_URL`` environment variable, or starts language_tool_python's local
server when LanguageTool is already installed (``LTP_JAR_DIR_PATH``).

LanguageTool reports offsets in the text it was sent. sop-lint sends the prose a reader
sees (markup, code and URLs removed), one request per file, and keeps a map from that
text back to the source so every match lands on the right line and column.

A server can hang, trickle its answer a byte at a time, fail or answer nonsense. Each
request therefore has a total deadline (``timeout``: connecting, sending, waiting and
reading together, not per socket read), the whole run a budget (``run-timeout``), and an
answer a size cap (``max-response-size``). When a file's grammar cannot be checked, the
rule raises :class:`~sop_lint.rules.base.RuleUnavailable` with the reason and the server's
URL: the command warns, and ``--require-languagetool`` makes it an error.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import http.client
import json
import os
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sop_lint.languages.base import expression_spans
from sop_lint.model import Block, BlockKind, Document, Span

ENV_URL = "SOP_LINT_LANGUAGETOOL_URL"
ENV_JAR_DIR = "LTP_JAR_DIR_PATH"
PROBE_TIMEOUT = 3.0
DEFAULT_TIMEOUT = 30.0  # seconds for one file's request, all of it
DEFAULT_RUN_TIMEOUT = 600.0  # seconds for all of a run's requests
DEFAULT_MAX_RESPONSE = 5 * 1024 * 1024  # bytes; a long SOP's answer is a few hundred KB
# LanguageTool's own names for our languages; Norwegian Bokmål is "no" there.
LANGUAGE_CODES = {"en": "en-US", "sv": "sv", "nb": "no", "te": "te"}
# Rules that misfire on text whose markup has been removed.
DEFAULT_DISABLED = ("WHITESPACE_RULE", "UPPERCASE_SENTENCE_START", "COMMA_PARENTHESIS_WHITESPACE")
_SPACES = re.compile(r"\s+")


class GrammarUnavailable(Exception):
    """LanguageTool cannot be reached, started or understood; the message says why and
    names the server."""


@dataclass(slots=True, frozen=True)
class GrammarSettings:
    """The ``[tool.sop-lint.grammar]`` table, validated."""

    url: str | None = None
    language_variants: Mapping[str, str] = field(default_factory=dict)  # e.g. {"en": "en-GB"}
    disabled_rules: tuple[str, ...] = DEFAULT_DISABLED
    timeout: float = DEFAULT_TIMEOUT
    run_timeout: float = DEFAULT_RUN_TIMEOUT
    max_response_size: int = DEFAULT_MAX_RESPONSE

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
        known = {
            "url",
            "language-variants",
            "disabled-rules",
            "timeout",
            "run-timeout",
            "max-response-size",
        }
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
        timeout = _positive(table, "timeout", DEFAULT_TIMEOUT, "30")
        run_timeout = _positive(table, "run-timeout", DEFAULT_RUN_TIMEOUT, "600")
        size = _positive(table, "max-response-size", DEFAULT_MAX_RESPONSE, "5000000")
        return cls(url, dict(variants), tuple(disabled), timeout, run_timeout, int(size))

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


def _positive(table: Mapping[str, Any], key: str, default: float, example: str) -> float:
    from sop_lint.config import ConfigError

    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e9:
        raise ConfigError(
            f"config key 'grammar.{key}': expected a positive number, e.g. {key} = {example}"
        )
    return float(value)


# -- the run's budget ------------------------------------------------------------------------

ENV_RUN = "SOP_LINT_LANGUAGETOOL_RUN"  # set while a command runs: worker processes see it
_RUN = {"spent": 0.0}  # seconds this process has waited for LanguageTool in the run


def start_run(settings: GrammarSettings) -> None:
    """Start the run's LanguageTool budget (``run-timeout``); :func:`end_run` ends it.

    The budget is the time spent waiting for LanguageTool, counted in each process: worker
    processes wait side by side, so the run as a whole waits at most ``run-timeout``. The
    environment marks the run, so workers started any way (fork or spawn) keep to it.
    Outside a run (``check_text`` from Python) only the per-request deadline applies.
    """
    _RUN["spent"] = 0.0
    os.environ[ENV_RUN] = "1"


def end_run() -> None:
    """End the run's budget, so the next run in this process starts a fresh one."""
    _RUN["spent"] = 0.0
    os.environ.pop(ENV_RUN, None)


def _time_left(settings: GrammarSettings) -> float:
    if not os.environ.get(ENV_RUN):
        return float("inf")
    return settings.run_timeout - _RUN["spent"]


# -- HTTP with a total deadline --------------------------------------------------------------


class _Failed(Exception):
    """One request went wrong; the message says how (without the server's URL).

    ``cause`` is the bare reason when the connection itself failed (refused, reset)."""

    def __init__(self, message: str, cause: str | None = None) -> None:
        super().__init__(message)
        self.cause = cause


def _proxy_for(parts: urllib.parse.SplitResult) -> urllib.parse.SplitResult | None:
    """The proxy for ``parts`` from ``http_proxy``/``https_proxy``, unless ``no_proxy``
    names its host: what the ``requests``-based client honoured, and what a LanguageTool
    server reached through a company proxy needs."""
    import urllib.request  # only when grammar is checked: it is a heavy import

    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    if "://" not in proxy:
        proxy = "http://" + proxy
    found = urllib.parse.urlsplit(proxy)
    return found if found.hostname else None


def _request(
    url: str, form: Mapping[str, str] | None, timeout: float, limit: int
) -> tuple[int, bytes]:
    """GET (``form`` None) or POST ``url``; the whole exchange within ``timeout`` seconds.

    Returns the HTTP status and body, or raises :class:`_Failed`. Socket timeouts apply to
    each read, so a server that sends a byte a second never trips them: the exchange runs
    in a thread, and at the deadline its socket is shut, which ends any read in progress.
    """
    parts = urllib.parse.urlsplit(url)
    https = parts.scheme == "https"
    connection_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    proxy = _proxy_for(parts)
    try:
        if proxy is None:
            connection = connection_class(parts.hostname or "", parts.port, timeout=timeout)
        elif https:  # through the proxy's CONNECT tunnel: TLS end to end
            connection = connection_class(proxy.hostname or "", proxy.port, timeout=timeout)
            connection.set_tunnel(parts.hostname or "", parts.port)
        else:  # a plain HTTP proxy takes the whole URL as the request target
            connection = http.client.HTTPConnection(
                proxy.hostname or "", proxy.port, timeout=timeout
            )
            target = urllib.parse.urlunsplit(parts._replace(fragment=""))
    except (ValueError, http.client.HTTPException) as exc:
        raise _Failed(f"its URL cannot be used ({exc})") from None
    body = urllib.parse.urlencode(form).encode() if form is not None else None
    headers = {"Accept": "application/json", "User-Agent": "sop-lint"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    outcome: dict[str, Any] = {}

    def exchange() -> None:
        try:
            connection.request("GET" if body is None else "POST", target, body, headers)
            response = connection.getresponse()
            outcome["status"] = response.status
            chunks, size = [], 0
            while True:
                chunk = response.read1(65536)  # what has arrived; read() would wait for all
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    outcome["too_large"] = True
                    return
                chunks.append(chunk)
            outcome["body"] = b"".join(chunks)
        except Exception as exc:  # socket, TLS and protocol errors are many types
            outcome["error"] = exc
        finally:
            connection.close()

    worker = threading.Thread(target=exchange, name="sop-lint-languagetool", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # ends the worker's read now
        raise _Failed(f"did not answer within {timeout:.3g} s")
    if outcome.get("too_large"):
        raise _Failed(f"answered more than {limit:,} bytes")
    if isinstance(outcome.get("error"), TimeoutError):
        # The socket's own timeout (also ``timeout``) can fire a moment before the join.
        raise _Failed(f"did not answer within {timeout:.3g} s")
    if "error" in outcome:
        exc = outcome["error"]
        reason = getattr(exc, "reason", None) or exc
        cause = str(reason) or type(exc).__name__
        raise _Failed(f"could not be reached or broke off ({cause})", cause)
    return outcome["status"], outcome["body"]


def _json(status: int, body: bytes) -> Any:
    if status != 200:
        raise _Failed(f"answered HTTP {status}")
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise _Failed("did not answer with LanguageTool's JSON") from None


def probe(settings: GrammarSettings) -> None:
    """Check, quickly, that LanguageTool can be used; raise :class:`GrammarUnavailable`."""
    url = settings.server_url()
    if url:
        try:
            _json(
                *_request(
                    url.rstrip("/") + "/v2/languages",
                    None,
                    min(PROBE_TIMEOUT, settings.timeout),
                    settings.max_response_size,
                )
            )
        except _Failed as exc:
            reason = exc.cause or str(exc)
            raise GrammarUnavailable(
                f"LanguageTool server {url} is unreachable: {reason}"
            ) from None
        return
    jar_dir = os.environ.get(ENV_JAR_DIR)
    if jar_dir and os.path.isdir(jar_dir):
        _require_client()
        return
    raise GrammarUnavailable(
        f"no LanguageTool server: set {ENV_URL} or [tool.sop-lint.grammar] url, or install "
        f"LanguageTool and set {ENV_JAR_DIR}"
    )


def _require_client() -> None:
    """Only starting a local LanguageTool needs its Python client (the ``grammar`` extra);
    a server given by URL is reached over plain HTTP."""
    from sop_lint.extras import MissingExtra, require

    try:
        require("grammar", f"starting LanguageTool from {ENV_JAR_DIR}")
    except MissingExtra as exc:
        raise GrammarUnavailable(str(exc)) from None


@functools.cache
def _local_server(language: str) -> str:
    """The URL of a LanguageTool that language_tool_python starts from the installation
    ``LTP_JAR_DIR_PATH`` names (so it starts it rather than downloading one)."""
    _require_client()
    import language_tool_python

    try:
        tool = language_tool_python.LanguageTool(language)
    except Exception as exc:  # the library raises several unrelated types
        raise GrammarUnavailable(f"LanguageTool could not be started: {exc}") from None
    return str(tool.url).rstrip("/").removesuffix("/v2")


def _check(url: str, text: str, language: str, settings: GrammarSettings) -> list[Any]:
    """LanguageTool's matches for ``text``, within the request's and the run's time."""
    used_up = (
        f"the run's time for LanguageTool ({settings.run_timeout:g} s, grammar.run-timeout) "
        "was used up"
    )
    left = _time_left(settings)
    if left <= 0:
        raise GrammarUnavailable(used_up)
    timeout = min(settings.timeout, left)
    form = {"text": text, "language": language}
    if settings.disabled_rules:
        form["disabledRules"] = ",".join(settings.disabled_rules)
    started = time.monotonic()
    try:
        status, body = _request(
            url.rstrip("/") + "/v2/check", form, timeout, settings.max_response_size
        )
        answer = _json(status, body)
        matches = answer.get("matches") if isinstance(answer, dict) else None
        if not isinstance(matches, list):
            raise _Failed("did not answer with LanguageTool's JSON (no list of matches)")
    except _Failed as exc:
        reason = str(exc)
        if "within" in reason:
            if timeout < settings.timeout:
                reason = f"did not answer before {used_up}"
            else:
                reason += " (grammar.timeout)"
        elif "more than" in reason:
            reason += " (grammar.max-response-size)"
        raise GrammarUnavailable(f"LanguageTool server {url} {reason}") from None
    finally:
        _RUN["spent"] += time.monotonic() - started
    return matches


@dataclass(slots=True)
class _Match:
    """One LanguageTool match, offsets in code points of the text sent."""

    offset: int
    length: int
    message: str
    replacements: list[str]
    rule_id: str


def _matches(raw: list[Any], text: str, url: str) -> list[_Match]:
    """Read LanguageTool's matches; offsets come in UTF-16 units (Java's), so a text with
    characters beyond U+FFFF has them converted to code points."""
    wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    out = []
    for item in raw:
        try:
            offset, length = item["offset"], item["length"]
            message = item["message"]
            rule_id = item["rule"]["id"]
            replacements = [r["value"] for r in item.get("replacements", [])[:3]]
            ok = (
                isinstance(offset, int)
                and isinstance(length, int)
                and offset >= 0
                and length >= 0
                and isinstance(message, str)
                and isinstance(rule_id, str)
                and all(isinstance(r, str) for r in replacements)
            )
        except (KeyError, TypeError, AttributeError):
            ok = False
        if not ok:
            raise GrammarUnavailable(
                f"LanguageTool server {url} did not answer with LanguageTool's JSON "
                "(a match without offset, length, message or rule)"
            )
        if wide:
            offset, length = _code_points(wide, offset, length)
        out.append(_Match(offset, length, message, replacements, rule_id))
    return out


def _code_points(wide: list[int], offset: int, length: int) -> tuple[int, int]:
    """UTF-16 ``offset``/``length`` -> code points, given the indexes of wide characters."""

    def convert(units: int) -> int:
        # Each wide character before a position adds one unit: find how many lie before.
        low, high = 0, len(wide)
        while low < high:
            mid = (low + high) // 2
            if wide[mid] + mid < units:
                low = mid + 1
            else:
                high = mid
        return units - low

    start = convert(offset)
    return start, convert(offset + length) - start


@dataclass(slots=True)
class PlainText:
    """The prose of a document as one string, with a map back to blocks."""

    text: str
    pieces: list[tuple[int, Block, int, int]]  # (offset in text, block, start, end in block)
    placeholders: list[tuple[int, int]]  # spans of ``{{ ... }}`` in text

    def locate(self, offset: int, length: int) -> tuple[Block, int, int] | None:
        """The block and block-text range of ``text[offset:offset + length]``."""
        # By bisection: a server's answer may hold many matches, a document many blocks.
        at = bisect.bisect_right(self.pieces, offset, key=lambda piece: piece[0]) - 1
        if at < 0:
            return None
        start, block, block_start, block_end = self.pieces[at]
        begin = block_start + (offset - start)
        if begin > block_end:
            return None
        return block, begin, min(block_end, begin + max(length, 1))

    def in_placeholder(self, offset: int, length: int) -> bool:
        end = offset + max(length, 1)
        # Placeholders are in text order and do not overlap: only the last one starting
        # before ``end`` can reach past ``offset``.
        at = bisect.bisect_left(self.placeholders, end, key=lambda span: span[0]) - 1
        return at >= 0 and self.placeholders[at][1] > offset


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
        # Found in linear time (a lazy regex is quadratic on a line of unclosed "{{").
        for first, last in expression_spans(chunk):
            placeholders.append((length + first, length + last))
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
    url = settings.server_url() or _local_server(language)
    for match in _matches(_check(url, text.text, language, settings), text.text, url):
        offset, length = match.offset, match.length
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
