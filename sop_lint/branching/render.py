"""Render SOP templates for one branch, safely: contributors' text never runs as code.

SOPs are Jinja2 templates with a deliberately small language:

- ``{{ branch.phone }}``, ``{{ org.name }}`` (also ``branch["phone"]``): a branch or
  organisation value. ``branch.id``, ``branch.name`` and ``branch.languages`` always exist.
- Filters from an allow-list: ``upper``, ``lower``, ``title``, ``capitalize``, ``trim``,
  ``default`` (``d``), ``replace``, ``truncate`` and ``tel`` (a ``tel:`` link).
- ``{% if %}`` / ``{% elif %}`` / ``{% else %}`` / ``{% endif %}`` on branch values, with
  ``==``, ``!=``, ``in``, ``not in``, ``and``, ``or``, ``not`` and the tests ``defined``,
  ``undefined`` and ``none``.

Everything else (other names such as ``cycler``, attributes that start with ``_``, method
calls, arithmetic, lists, loops, ``set``, ``include``, macros) is refused *before*
anything runs: the template's syntax tree is checked against the allow-list, and a refusal
is a :class:`TemplateProblem` with the line to fix. What passes is compiled in Jinja2's
:class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` with :class:`~jinja2.StrictUndefined`
and no globals, which refuses the same things again at run time. One render is bounded in
time (:data:`MAX_RENDER_SECONDS`) and in output (:data:`MAX_OUTPUT_CHARS`, and
:data:`MAX_VALUE_CHARS` for one filter's result).

Values are data, not markup: Markdown and HTML characters in them are escaped, so a
value cannot add a link, a script or a table column.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import re
import secrets
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

NAMESPACES = ("branch", "org")
ALLOWED_FILTERS = (
    "upper",
    "lower",
    "title",
    "capitalize",
    "trim",
    "default",
    "d",
    "replace",
    "truncate",
    "tel",
)
ALLOWED_TESTS = ("defined", "undefined", "none")
ALLOWED_COMPARISONS = {"eq": "==", "ne": "!=", "in": "in", "notin": "not in"}
MAX_RENDER_SECONDS = 2.0
MAX_OUTPUT_CHARS = 2_000_000
MAX_VALUE_CHARS = 10_000
MAX_CONST_CHARS = 200
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")

# What a refused construct is called in messages, by Jinja2 node class.
_REFUSED = {
    "For": "{% for %} loops",
    "Macro": "{% macro %}",
    "CallBlock": "{% call %}",
    "FilterBlock": "{% filter %} blocks",
    "With": "{% with %}",
    "Assign": "{% set %}",
    "AssignBlock": "{% set %}",
    "Include": "{% include %}",
    "Import": "{% import %}",
    "FromImport": "{% from ... import %}",
    "Extends": "{% extends %}",
    "Block": "{% block %}",
    "ScopedEvalContextModifier": "{% autoescape %}",
    "EvalContextModifier": "{% autoescape %}",
    "ExprStmt": "{% do %}",
    "Call": "calling functions or methods",
    "Add": "arithmetic (+)",
    "Sub": "arithmetic (-)",
    "Mul": "arithmetic (*)",
    "Div": "arithmetic (/)",
    "FloorDiv": "arithmetic (//)",
    "Mod": "arithmetic (%)",
    "Pow": "arithmetic (**)",
    "Neg": "arithmetic (-)",
    "Pos": "arithmetic (+)",
    "List": "lists",
    "Tuple": "tuples",
    "Dict": "dicts",
    "Slice": "slices",
}


@dataclass(slots=True, frozen=True)
class TemplateProblem:
    """Why a template cannot be rendered: ``kind`` is ``syntax`` (not valid Jinja2),
    ``unsafe`` (outside the allow-list), ``missing`` (a value a branch lacks) or ``limit``
    (too slow or too big). ``line`` is 1-based in the file."""

    kind: str
    line: int
    message: str
    variable: str | None = None  # "branch.towing_phone" for ``missing``


class TemplateError(Exception):
    """A template could not be checked, compiled or rendered; carries the problem."""

    def __init__(self, problem: TemplateProblem, branch: str | None = None) -> None:
        self.problem = problem
        self.branch = branch
        where = f" for branch {branch}" if branch else ""
        super().__init__(f"line {problem.line}: {problem.message}{where}")


# -- values --------------------------------------------------------------------------------


class Namespace:
    """``branch`` or ``org`` inside a template: values by key, and nothing else.

    It has no public attributes or methods; the sandbox reaches values through
    ``__getitem__`` only, so ``branch.items`` or ``branch.__class__`` find nothing.
    """

    __slots__ = ("_label", "_values")

    def __init__(self, label: str, values: Mapping[str, Any]) -> None:
        self._label = label
        self._values = dict(values)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __repr__(self) -> str:
        return self._label


class MarkdownLink(str):
    """Text a filter made on purpose as Markdown (``tel``); not escaped again."""

    __slots__ = ()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def escape_value(value: Any) -> str:
    """A branch value as Markdown text that shows exactly the value: HTML and Markdown
    characters escaped. Filter-made links (:class:`MarkdownLink`) pass unchanged."""
    if isinstance(value, MarkdownLink):
        return str(value)
    if isinstance(value, tuple | list):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    if any(c in text for c in "&<>\\`*_[]|"):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = _MD_SPECIAL.sub(r"\\\1", text)
    return text


class RenderLimitError(Exception):
    """A render took too long or made too much text."""


# Placeholders for values while a page's shape is made. The nonce is new in every process,
# so an SOP cannot contain one by accident or on purpose: literal "qsoplint0q" in a page is
# text like any other. Letters and digits only: Markdown passes a token through as a word.
NONCE = secrets.token_hex(8)
TOKEN = f"qsoplint{NONCE}n{{}}q"
TOKEN_RE = re.compile(rf"qsoplint{NONCE}n(\d+)q")
_SHAPE = threading.local()


def _finalize(value: Any) -> str:
    """Every ``{{ ... }}`` output: a token while a shape is being made, else the value
    escaped for Markdown."""
    outputs = getattr(_SHAPE, "outputs", None)
    if outputs is None:
        return escape_value(value)
    if not isinstance(value, MarkdownLink):
        value = ", ".join(map(str, value)) if isinstance(value, tuple | list) else str(value)
    outputs.append(value)  # str() above: a missing value fails here, inside the render
    return TOKEN.format(len(outputs) - 1)


@dataclass(slots=True)
class Shape:
    """Rendered text with a token (``qsoplint3q``) for each value, and the values with
    their context: ``md`` (Markdown text) or ``html`` (inside raw HTML).

    Branches whose pages have the same shape differ only in the values, so the text can
    be turned into HTML once and the values filled into the HTML (:meth:`fill_html`)."""

    text: str
    values: list[tuple[Any, str]]

    def add(self, value: Any, context: str = "md") -> str:
        """A token for another value (for text made around the template)."""
        self.values.append((value, context))
        return TOKEN.format(len(self.values) - 1)

    def fill(self) -> str:
        """The Markdown: what rendering without tokens gives."""

        def value(match: re.Match[str]) -> str:
            raw, context = self.values[int(match[1])]
            return html.escape(str(raw), quote=False) if context == "html" else escape_value(raw)

        return TOKEN_RE.sub(value, self.text) if self.values else self.text

    @property
    def plain_values(self) -> bool:
        """Whether every value is text (a filter-made link is Markdown, not text)."""
        return not any(isinstance(raw, MarkdownLink) for raw, _ in self.values)

    def fill_html(self, converted: str) -> str:
        """The HTML of :meth:`fill`'s Markdown, from the HTML of :attr:`text` (only when
        every token sits in text, and :attr:`plain_values`)."""

        def value(match: re.Match[str]) -> str:
            return html.escape(str(self.values[int(match[1])][0]), quote=False)

        return TOKEN_RE.sub(value, converted)


def _bounded(text: str) -> str:
    if len(text) > MAX_VALUE_CHARS:
        raise RenderLimitError(f"a filter made {len(text)} characters (limit {MAX_VALUE_CHARS})")
    return text


def _filter_replace(value: Any, old: str, new: str, count: int | None = None) -> str:
    text, old, new = str(value), str(old), str(new)
    hits = text.count(old) if old else len(text) + 1
    if count is not None:
        hits = min(hits, max(int(count), 0))
    if len(text) + hits * (len(new) - len(old)) > MAX_VALUE_CHARS:
        raise RenderLimitError(f"replace would make over {MAX_VALUE_CHARS} characters")
    return text.replace(old, new) if count is None else text.replace(old, new, int(count))


def _filter_tel(value: Any) -> MarkdownLink:
    """``08-555 012 30`` -> ``[08-555 012 30](tel:0855501230)``: a link phones can call."""
    text = str(value)
    number = re.sub(r"[^\d+]", "", text)
    return MarkdownLink(f"[{escape_value(text)}](tel:{number})")


def _filters(env: jinja2.Environment) -> dict[str, Callable[..., Any]]:
    builtin = env.filters
    wrapped: dict[str, Callable[..., Any]] = {}
    for name in ALLOWED_FILTERS:
        if name in ("replace", "tel"):
            continue
        original = builtin[name]
        if name in ("default", "d"):
            wrapped[name] = original
            continue

        def bounded(value: Any, *args: Any, _f: Callable[..., Any] = original, **kw: Any) -> str:
            return _bounded(str(_f(value, *args, **kw)))

        wrapped[name] = bounded
    # truncate needs the environment: keep jinja's pass_environment marker.
    wrapped["truncate"] = builtin["truncate"]
    wrapped["replace"] = _filter_replace
    wrapped["tel"] = _filter_tel
    return wrapped


# -- the environment -----------------------------------------------------------------------


class SopUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose message names the value the way the writer wrote it."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        if isinstance(self._undefined_obj, Namespace):
            return f"{self._undefined_obj!r}.{self._undefined_name} is not defined"
        return f"{self._undefined_name!r} is not defined"


class RecordingUndefined(SopUndefined):
    """For checking, not publishing: records each missing value used and renders it as
    nothing, so one render finds every missing value (``is defined`` still works)."""

    __slots__ = ()
    seen: threading.local = threading.local()

    def _record(self) -> None:
        if isinstance(self._undefined_obj, Namespace) and not self._undefined_hint:
            missing = getattr(RecordingUndefined.seen, "missing", None)
            if missing is not None:
                missing.append(f"{self._undefined_obj!r}.{self._undefined_name}")
        else:
            self._fail_with_undefined_error()

    def __str__(self) -> str:
        self._record()
        return ""

    def __bool__(self) -> bool:
        self._record()
        return False

    def __iter__(self) -> Iterator[Any]:
        self._record()
        return iter(())

    def __len__(self) -> int:
        self._record()
        return 0

    # A comparison ({% if branch.fax == "" %}) is a use too: StrictUndefined raises out of
    # the render for it, which left the linter without a result (fuzz case
    # internal-error-dbc74c25e4). Record it and compare the way plain Undefined does.
    def __eq__(self, other: object) -> bool:
        self._record()
        return type(self) is type(other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return id(type(self))


class SopSandbox(ImmutableSandboxedEnvironment):
    """The sandbox: no globals, no attributes, no calls, no arithmetic; our filters."""

    intercepted_binops = frozenset(["+", "-", "*", "/", "//", "%", "**"])
    intercepted_unops = frozenset(["+", "-"])

    def __init__(self, undefined: type[jinja2.Undefined] = SopUndefined) -> None:
        super().__init__(
            undefined=undefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_finalize,
            auto_reload=False,
            cache_size=0,
        )
        self.globals.clear()
        self.filters = _filters(self)
        self.tests = {name: self.tests[name] for name in ALLOWED_TESTS}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return False  # values are reached by key (Namespace.__getitem__) only

    def is_safe_callable(self, obj: Any) -> bool:
        return False

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        raise SecurityError(f"arithmetic ({operator}) is not allowed in SOP templates")

    def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
        raise SecurityError(f"arithmetic ({operator}) is not allowed in SOP templates")


@functools.cache
def _environment(recording: bool) -> SopSandbox:
    return SopSandbox(RecordingUndefined if recording else SopUndefined)


# -- checking the syntax tree --------------------------------------------------------------


@dataclass(slots=True)
class Analysis:
    """What checking a template found: problems, and where each value is used."""

    problems: list[TemplateProblem] = field(default_factory=list)
    uses: dict[str, int] = field(default_factory=dict)  # "branch.phone" -> first line

    @property
    def ok(self) -> bool:
        return not self.problems


class _Checker:
    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis

    def refuse(self, node: nodes.Node, message: str) -> None:
        self.analysis.problems.append(TemplateProblem("unsafe", node.lineno, message))

    def visit(self, node: nodes.Node) -> None:
        kind = type(node).__name__
        method = getattr(self, f"visit_{kind}", None)
        if method is not None:
            method(node)
        elif (inner := _internal_access(node)) is not None:
            self.refuse(
                node,
                f"`{_expression(inner)}` reaches into Python's internals; SOP templates can "
                "only show branch and org values, e.g. {{ branch.phone }}",
            )
        elif kind in _REFUSED:
            what = _REFUSED[kind]
            self.refuse(
                node,
                f"{what} cannot be used in an SOP; templates may only show branch and org "
                "values ({{ branch.phone }}), with {% if %} on them",
            )
        else:
            self.refuse(node, f"'{kind}' is not allowed in SOP templates")

    def children(self, node: nodes.Node) -> None:
        for child in node.iter_child_nodes():
            self.visit(child)

    visit_Template = visit_Output = visit_If = children
    visit_And = visit_Or = visit_Not = visit_CondExpr = visit_Concat = children

    def visit_TemplateData(self, node: nodes.TemplateData) -> None:
        at = leftover_template(node.data)
        if at is not None:  # text from {% raw %}: Jinja2 passes it on as it is
            line = node.lineno + at
            self.analysis.problems.append(TemplateProblem("unsafe", line, _leftover_message()))

    def visit_Const(self, node: nodes.Const) -> None:
        value = node.value
        if value is not None and not isinstance(value, str | int | float | bool):
            self.refuse(node, f"the constant {value!r} is not allowed")
        elif isinstance(value, str) and (len(value) > MAX_CONST_CHARS or "\n" in value):
            self.refuse(node, f"text in a template must be one line of at most {MAX_CONST_CHARS}")
        elif isinstance(value, str) and leftover_template(value) is not None:
            self.refuse(node, _leftover_message())
        elif isinstance(value, int | float) and abs(value) > 10**9:
            self.refuse(node, "numbers in a template must be small")

    def visit_Name(self, node: nodes.Name) -> None:
        if node.name in NAMESPACES and node.ctx == "load":
            self.refuse(
                node,
                f"'{node.name}' on its own is not a value; name one, "
                f"e.g. {{{{ {node.name}.name }}}}",
            )
        else:
            self.refuse(
                node,
                f"'{node.name}' is not available in SOP templates; only branch and org values "
                "are (e.g. {{ branch.phone }}, {{ org.name }})",
            )

    def _value(self, node: nodes.Node, key: str) -> None:
        owner = node.node  # type: ignore[attr-defined]
        expression = _expression(node)
        internal = next((k for k in _keys(node) if k.startswith("_")), None)
        if internal is not None:
            self.refuse(
                node,
                f"`{expression}` reaches into Python's internals (`{internal}`); SOP templates "
                "can only show branch and org values, e.g. {{ branch.phone }}",
            )
        elif not (isinstance(owner, nodes.Name) and owner.name in NAMESPACES):
            self.refuse(
                node,
                f"`{expression}` is not a branch or org value; write {{{{ branch.<name> }}}} "
                "or {{ org.<name> }}",
            )
        elif not NAME_RE.match(key):
            self.refuse(
                node, f"`{expression}` is not a value name: use lower-case letters, digits, '_'"
            )
        else:
            self.analysis.uses.setdefault(f"{owner.name}.{key}", node.lineno)

    def visit_Getattr(self, node: nodes.Getattr) -> None:
        self._value(node, node.attr)

    def visit_Getitem(self, node: nodes.Getitem) -> None:
        arg = node.arg
        if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
            self._value(node, arg.value)
        else:
            self.refuse(node, 'use branch.name or branch["name"] with a fixed name')

    def _call_args(self, node: nodes.Filter | nodes.Test) -> None:
        for arg in node.args:
            self.visit(arg)
        for kwarg in node.kwargs:
            self.visit(kwarg.value)
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            self.refuse(node, "*args and **kwargs are not allowed in SOP templates")

    def visit_Filter(self, node: nodes.Filter) -> None:
        if node.name not in ALLOWED_FILTERS:
            self.refuse(
                node,
                f"the filter '{node.name}' is not allowed; use one of "
                + ", ".join(sorted(set(ALLOWED_FILTERS))),
            )
            return
        if node.node is not None:
            self.visit(node.node)
        self._call_args(node)

    def visit_Test(self, node: nodes.Test) -> None:
        if node.name not in ALLOWED_TESTS:
            self.refuse(
                node, f"the test '{node.name}' is not allowed; use {', '.join(ALLOWED_TESTS)}"
            )
            return
        self.visit(node.node)
        self._call_args(node)

    def visit_Compare(self, node: nodes.Compare) -> None:
        self.visit(node.expr)
        for operand in node.ops:
            if operand.op not in ALLOWED_COMPARISONS:
                self.refuse(
                    node,
                    f"the comparison '{operand.op}' is not allowed; use "
                    + ", ".join(ALLOWED_COMPARISONS.values()),
                )
            self.visit(operand.expr)


def _internal_access(node: nodes.Node) -> nodes.Node | None:
    """The first ``._name`` (or ``["_name"]``) anywhere inside ``node``, if any."""
    for found in node.find_all((nodes.Getattr, nodes.Getitem)):
        if any(key.startswith("_") for key in _keys(found)):
            return found
    return None


def _keys(node: nodes.Node) -> Iterator[str]:
    """The attribute and item names along a chain such as ``a.b["c"].d``."""
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        if isinstance(node, nodes.Getattr):
            yield node.attr
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            yield node.arg.value
        node = node.node


def _expression(node: nodes.Node) -> str:
    """``cycler.__init__.__globals__`` back from its syntax tree, for messages."""
    if isinstance(node, nodes.Getattr):
        return f"{_expression(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg.value if isinstance(node.arg, nodes.Const) else "..."
        return f"{_expression(node.node)}[{arg!r}]"
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "..."


def _parse(source: str) -> tuple[nodes.Template | None, Analysis]:
    analysis = Analysis()
    too_deep = _too_deep(source)
    if too_deep is not None:  # before Jinja2 parses it: its parser recurses per level
        analysis.problems.append(too_deep)
        return None, analysis
    env = _environment(False)
    try:
        tree = env.parse(source)
        _Checker(analysis).visit(tree)
    except TemplateSyntaxError as exc:
        analysis.problems.append(
            TemplateProblem("syntax", exc.lineno or 1, _syntax_message(exc.message or str(exc)))
        )
        return None, analysis
    except RecursionError:  # a shape _too_deep does not count; never an internal error
        analysis.problems.append(_nesting_problem(source, _longest_tag_line(source)))
        return None, analysis
    return tree, analysis


# One tag may nest brackets (and ``not``) this deep, and chain this many operators and
# filters: far more than "{% if branch.a == 'x' and (branch.b or branch.c) %}" needs, and
# far less than what makes Jinja2's parser and compiler (which recurse) overflow the stack.
MAX_NESTING = 20
MAX_OPERATORS = 100
_OPERATOR_RE = re.compile(r"\b(?:and|or|not|in|is)\b|\||==|!=|~")


def _tags(source: str) -> Iterator[tuple[int, int]]:
    """The start and end offsets of the inside of every ``{{ }}`` and ``{% %}``: one pass
    (an unclosed tag ends the scan; Jinja2 reports it)."""
    position = 0
    while True:
        start = source.find("{", position)
        if start == -1:
            return
        kind = source[start + 1 : start + 2]
        if kind not in ("{", "%"):
            position = start + 1
            continue
        end = source.find("}}" if kind == "{" else "%}", start + 2)
        if end == -1:
            return
        yield start + 2, end
        position = end + 2


def _too_deep(source: str) -> TemplateProblem | None:
    """A problem for the first tag nested deeper than :data:`MAX_NESTING` or chaining more
    than :data:`MAX_OPERATORS` operators and filters (linear in the source)."""
    if "{{" not in source and "{%" not in source:
        return None
    for start, end in _tags(source):
        depth = deepest = 0
        quote = ""
        for char in source[start:end]:
            if quote:
                if char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char in "([{":
                depth += 1
                deepest = max(deepest, depth)
            elif char in ")]}":
                depth -= 1
        inside = source[start:end]
        nots = len(re.findall(r"\bnot\b", inside))
        operators = len(_OPERATOR_RE.findall(inside))
        if deepest + nots > MAX_NESTING or operators > MAX_OPERATORS:
            return _nesting_problem(source, source.count("\n", 0, start) + 1)
    return None


def _nesting_problem(source: str, line: int) -> TemplateProblem:
    return TemplateProblem(
        "unsafe",
        line,
        f"the template on this line is nested or chained too deeply (more than "
        f"{MAX_NESTING} brackets or 'not', or {MAX_OPERATORS} operators and filters); an SOP "
        "template shows a value, e.g. {{ branch.phone }}, or chooses text with "
        "{% if branch.towing_phone is defined %}: write it as simply as that",
    )


def _longest_tag_line(source: str) -> int:
    longest = max(_tags(source), key=lambda span: span[1] - span[0], default=None)
    return 1 if longest is None else source.count("\n", 0, longest[0]) + 1


_SYNTAX_HINTS = (
    ("end of print statement", "a {{ is not closed with }}"),
    ("needs to be closed is 'if'", "an {% if %} is not closed with {% endif %}"),
    ("unknown tag 'endif'", "an {% endif %} has no {% if %} before it"),
    ("unknown tag 'el", "an {% elif %} or {% else %} has no {% if %} before it"),
    ("Encountered unknown tag", "SOP templates may only use {% if %} ... {% endif %}"),
    (
        "Expected an expression",
        "something is missing, e.g. {% if branch.towing_phone is defined %}",
    ),
)


def _syntax_message(message: str) -> str:
    """Jinja's message, after what to fix when it is a common slip."""
    message = " ".join(message.split()).rstrip(".")
    for clue, hint in _SYNTAX_HINTS:
        if clue in message:
            return f"{hint} (Jinja2: {message})"
    return message


# -- what the published page would show ---------------------------------------------------

# The site refuses a page whose HTML still shows "{{" or "{%" (it looks like a template that
# was not filled in). Markdown turns "\{" into "{", so "\{\{" shows as "{{" too.
_LEFTOVER_RE = re.compile(r"\\?\{\\?[{%]")


def leftover_template(text: str) -> int | None:
    """The line (0 for the first) on which ``text`` (Markdown, as published) would show
    ``{{`` or ``{%``, or None. Character references count: Markdown passes ``&#123;`` on
    and the page shows "{".

    The one test of "would the page show template syntax" that ``sop-lint check`` (rule
    J002) and the site build both use: whatever one accepts, the other accepts.
    """
    if "&" in text:
        text = html.unescape(text)
    if "{" not in text:
        return None
    match = _LEFTOVER_RE.search(text)
    return None if match is None else text.count("\n", 0, match.start())


def _leftover_message() -> str:
    return (
        "the published page would show '{{' or '{%' here (from {% raw %}, a quoted '{{', "
        "a branch value, '\\{' or '&#123;'), and the site refuses a page that shows "
        "template syntax; "
        "write the text without double braces"
    )


# The front-matter values the page header, the navigation and the dashboard show.
SHOWN_FRONT_MATTER = ("title", "id", "version", "status", "owner", "effective_date", "review_due")
# The first "# " heading line; its closing "#"s are trimmed in Python (a lazy regex doing
# that backtracks over long runs of spaces).
_H1_RE = re.compile(r"^#[ \t]+(\S.*)$", re.MULTILINE)


def page_title(metadata: Mapping[str, Any], body: str, slug: str = "") -> tuple[str, int | None]:
    """The title a page is published with, and its line in the body (None: from the front
    matter or the file name): ``title`` in the front matter, else the first ``# `` heading
    as written (not rendered), else the file name."""
    title = metadata.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip(), None
    if "#" in body:
        match = _H1_RE.search(body)
        if match is not None:
            text = match[1].rstrip()
            closed = text.rstrip("#")
            if closed != text and (not closed or closed[-1] in " \t"):
                text = closed.rstrip()  # "# Title ##": the closing sequence is not the title
            return text or match[1].strip(), body.count("\n", 0, match.start()) + 1
    return slug.rsplit("/", 1)[-1].replace("-", " ").title(), None


def publish_problems(
    metadata: Mapping[str, Any],
    metadata_lines: Mapping[str, int],
    body: str,
    body_line: int,
) -> list[TemplateProblem]:
    r"""What stops a page from being published for any branch, outside what its template
    checks find: template syntax in the title or another value the page shows from the
    front matter (they are not templates), and ``\{\{`` in a body that has no template.
    Used by the site build and by rule J002 alike."""
    out = []
    title, title_line = page_title(metadata, body)
    if title_line is not None and leftover_template(title) is not None:
        out.append(
            TemplateProblem(
                "unsafe",
                body_line + title_line - 1,
                "the page's title (its first '# ' heading) is shown as written, not as a "
                "template; give the title without '{{ }}', or set title: in the front matter",
            )
        )
    for key in SHOWN_FRONT_MATTER:
        value = metadata.get(key)
        if isinstance(value, str) and leftover_template(value) is not None:
            out.append(
                TemplateProblem(
                    "unsafe",
                    metadata_lines.get(key, 1),
                    f"front matter '{key}' is shown as written, not as a template; write the "
                    "value itself, without '{{ }}'",
                )
            )
    if not has_template_syntax(body):
        at = leftover_template(body)
        if at is not None:
            out.append(TemplateProblem("unsafe", body_line + at, _leftover_message()))
    return out


# -- compiled templates --------------------------------------------------------------------

# Line markers for checking: "\x00<nonce>:<line>\x00" before each newline. With the
# nonce, a NUL (and digits) the SOP itself holds is never taken for a marker.
MARK = f"\x00{NONCE}:"
MARK_END = "\x00"
_MARK_RE = re.compile(f"\x00{NONCE}:(\\d+)\x00")


class SopTemplate:
    """One SOP body, checked and (when it passed) compiled.

    ``first_line`` is the file line the body starts on, so problems name file lines.
    """

    def __init__(self, source: str, first_line: int = 1, *, marked: bool = False) -> None:
        self.first_line = first_line
        self.source = source
        padded = "\n" * (first_line - 1) + source
        tree, self.analysis = _parse(padded)
        self.marked = marked
        self._template: jinja2.Template | None = None
        if tree is not None and self.analysis.ok:
            if marked:
                _insert_line_marks(tree)
            env = _environment(marked)
            try:
                code = env.compile(tree, name="sop", filename="<sop>")
            except RecursionError:
                self.analysis.problems.append(_nesting_problem(padded, _longest_tag_line(padded)))
                return
            self._template = env.template_class.from_code(env, code, env.make_globals(None))

    @property
    def problems(self) -> list[TemplateProblem]:
        return self.analysis.problems

    @property
    def uses(self) -> dict[str, int]:
        return self.analysis.uses

    def render(
        self,
        branch: Mapping[str, Any],
        org: Mapping[str, Any],
        *,
        branch_id: str | None = None,
    ) -> str:
        """The body as the branch reads it. Raises :class:`TemplateError` (with the line)
        for a refused template, a missing value, or a render over the limits."""
        return self.render_shape(branch, org, branch_id=branch_id).fill()

    def render_shape(
        self,
        branch: Mapping[str, Any],
        org: Mapping[str, Any],
        *,
        branch_id: str | None = None,
    ) -> Shape:
        """The body with a token where each value goes, and the values (see :class:`Shape`)."""
        if self._template is None:
            raise TemplateError(self.problems[0], branch_id)
        context = {"branch": Namespace("branch", branch), "org": Namespace("org", org)}
        outputs: list[Any] = []
        _SHAPE.outputs = outputs
        try:
            text = _bounded_render(self._template, context)
        except UndefinedError as exc:
            line = _error_line(exc, self.first_line)
            name = str(exc).split(" ", 1)[0]
            raise TemplateError(
                TemplateProblem("missing", line, str(exc), name if "." in name else None),
                branch_id,
            ) from None
        except SecurityError as exc:
            line = _error_line(exc, self.first_line)
            raise TemplateError(TemplateProblem("unsafe", line, str(exc)), branch_id) from None
        except RenderLimitError as exc:
            line = _error_line(exc, self.first_line)
            raise TemplateError(TemplateProblem("limit", line, str(exc)), branch_id) from None
        except RecursionError:
            line = _longest_tag_line(self.source) + self.first_line - 1
            raise TemplateError(_nesting_problem(self.source, line), branch_id) from None
        finally:
            _SHAPE.outputs = None
        padding = min(self.first_line - 1, len(text) - len(text.lstrip("\n")))
        shape = Shape(text[padding:], [(value, "md") for value in outputs])
        filled = shape.fill()
        at = leftover_template(filled)
        if at is not None:  # made by the render (a value, or text next to one)
            line = self.first_line + at
            raise TemplateError(TemplateProblem("unsafe", line, _leftover_message()), branch_id)
        return shape

    def render_checked(
        self, branch: Mapping[str, Any], org: Mapping[str, Any]
    ) -> tuple[str, list[int], list[str]]:
        """For the linter (a ``marked`` template): the whole text as the branch reads it,
        the file line of each of its lines, and the missing values it used (rendered as
        nothing instead of failing)."""
        assert self.marked
        if self._template is None:
            raise TemplateError(self.problems[0])
        context = {"branch": Namespace("branch", branch), "org": Namespace("org", org)}
        RecordingUndefined.seen.missing = missing = []
        try:
            text = _bounded_render(self._template, context)
        except UndefinedError as exc:
            # A missing value used where nothing can stand in for it (branch.fax[0],
            # "x" in branch.fax): the same problem the build reports, at its line.
            line = _error_line(exc, self.first_line)
            name = str(exc).split(" ", 1)[0]
            raise TemplateError(
                TemplateProblem("missing", line, str(exc), name if "." in name else None)
            ) from None
        except SecurityError as exc:
            raise TemplateError(
                TemplateProblem("unsafe", _error_line(exc, self.first_line), str(exc))
            ) from None
        except RenderLimitError as exc:
            line = _error_line(exc, self.first_line)
            raise TemplateError(TemplateProblem("limit", line, str(exc))) from None
        except RecursionError:
            line = _longest_tag_line(self.source) + self.first_line - 1
            raise TemplateError(_nesting_problem(self.source, line)) from None
        finally:
            RecordingUndefined.seen.missing = None
        lines = []
        plain = []
        for number, line in enumerate(text.split("\n"), start=1):
            match = _MARK_RE.search(line)
            lines.append(int(match[1]) if match else (lines[-1] + 1 if lines else number))
            plain.append(_MARK_RE.sub("", line) if match else line)
            # The same check as render_shape's, so check and build agree (see leftover_template).
            if leftover_template(plain[-1]) is not None:
                raise TemplateError(TemplateProblem("unsafe", lines[-1], _leftover_message()))
        return "\n".join(plain), lines, list(dict.fromkeys(missing))


def _insert_line_marks(tree: nodes.Template) -> None:
    for data in tree.find_all(nodes.TemplateData):
        if "\n" not in data.data:
            continue
        parts = data.data.split("\n")
        line = data.lineno
        out = []
        for part in parts[:-1]:
            out.append(f"{part}{MARK}{line}{MARK_END}")
            line += 1
        out.append(parts[-1])
        data.data = "\n".join(out)


def _error_line(exc: BaseException, default: int) -> int:
    """The template line an exception was raised on (from Jinja's rewritten traceback)."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<sop>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line or default


def _bounded_render(template: jinja2.Template, context: dict[str, Any]) -> str:
    out: list[str] = []
    size = 0
    deadline = time.monotonic() + MAX_RENDER_SECONDS
    with _alarm(MAX_RENDER_SECONDS):
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise RenderLimitError(
                    f"the page would be over {MAX_OUTPUT_CHARS:,} characters; "
                    "an SOP is a few thousand"
                )
            if time.monotonic() > deadline:
                raise RenderLimitError(f"rendering took over {MAX_RENDER_SECONDS} s")
            out.append(chunk)
    return "".join(out)


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Interrupt a render stuck inside one filter call (main thread, POSIX only; elsewhere
    the deadline is checked between pieces of output)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def timeout(signum: int, frame: Any) -> None:
        raise RenderLimitError(f"rendering took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@functools.lru_cache(maxsize=4096)
def _compiled(digest: str, source: str, first_line: int, marked: bool) -> SopTemplate:
    return SopTemplate(source, first_line, marked=marked)


def compile_template(source: str, first_line: int = 1, *, marked: bool = False) -> SopTemplate:
    """A :class:`SopTemplate`, compiled once per process for the same source."""
    digest = hashlib.blake2b(source.encode("utf-8"), digest_size=16).hexdigest()
    return _compiled(digest, source, first_line, marked)


def has_template_syntax(text: str) -> bool:
    """Whether ``text`` has anything Jinja2 would treat as template syntax."""
    return "{{" in text or "{%" in text or "{#" in text


def render_text(
    source: str,
    branch: Mapping[str, Any],
    org: Mapping[str, Any],
    first_line: int = 1,
    branch_id: str | None = None,
) -> str:
    """Render SOP Markdown for one branch (a shortcut for :class:`SopTemplate`)."""
    if not has_template_syntax(source):
        return source
    return compile_template(source, first_line).render(branch, org, branch_id=branch_id)
