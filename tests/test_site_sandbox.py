"""The template sandbox: contributors' SOP text is rendered, never run as code.

Each escape attempt is refused by the allow-list check before anything runs, and the
sandboxed environment would refuse it again at run time (tested directly, bypassing the
check). Rendering is bounded in time and output.
"""

from __future__ import annotations

import time

import jinja2
import markdown
import pytest
from jinja2.exceptions import SecurityError

from sop_lint.branching import render
from sop_lint.branching.render import (
    SopSandbox,
    SopTemplate,
    TemplateError,
    compile_template,
    escape_value,
)

STOCKHOLM = {
    "id": "stockholm-city",
    "name": "Stockholm City",
    "languages": ("sv", "en"),
    "phone": "08-555 012 30",
    "towing_phone": "08-555 012 99",
    "address": "Drottninggatan 71, 111 36 Stockholm",
}
LONDON = {"id": "london-docklands", "name": "London Docklands", "phone": "020 7946 0123"}
ORG = {"name": "Nordlys Service", "toll_free": "020-123 456"}


def refused(source: str) -> list[tuple[str, int, str]]:
    """(kind, line, message) of each problem the check finds in a one-line template."""
    return [(p.kind, p.line, p.message) for p in SopTemplate(source).problems]


# -- what SOPs may do ----------------------------------------------------------------------


def test_branch_and_org_values_are_filled_in():
    template = compile_template(
        "Call {{ branch.phone }} or the {{ org.name }} line on {{ org.toll_free }}.\n"
    )
    assert template.render(STOCKHOLM, ORG) == (
        "Call 08-555 012 30 or the Nordlys Service line on 020-123 456.\n"
    )


def test_if_on_a_branch_value_chooses_the_text():
    template = compile_template(
        "{% if branch.towing_phone is defined %}\n"
        "Call the tow line: {{ branch.towing_phone }}.\n"
        "{% else %}\n"
        "This branch has no tow service.\n"
        "{% endif %}\n"
    )
    assert template.render(STOCKHOLM, ORG) == "Call the tow line: 08-555 012 99.\n"
    assert template.render(LONDON, ORG) == "This branch has no tow service.\n"


def test_allowed_filters_work():
    template = compile_template(
        "{{ branch.name | upper }} · {{ branch.fax | default('no fax') }} · "
        "{{ branch.phone | replace(' ', '') }} · {{ branch.phone | tel }}"
    )
    assert template.render(STOCKHOLM, ORG) == (
        "STOCKHOLM CITY · no fax · 08-55501230 · [08-555 012 30](tel:0855501230)"
    )


def test_a_missing_value_stops_the_render_with_the_line_and_the_branch():
    template = compile_template("## Towing\n\nCall {{ branch.towing_phone }}.\n", first_line=20)
    with pytest.raises(TemplateError) as caught:
        template.render(LONDON, ORG, branch_id="london-docklands")
    problem = caught.value.problem
    assert (problem.kind, problem.line, problem.variable) == ("missing", 22, "branch.towing_phone")
    assert str(caught.value) == (
        "line 22: branch.towing_phone is not defined for branch london-docklands"
    )


def test_values_are_data_not_markup():
    hostile = {
        **STOCKHOLM,
        "phone": "[call us](javascript:alert(1)) <script>alert(1)</script> | *x*",
    }
    text = compile_template("Call {{ branch.phone }}.").render(hostile, ORG)
    html = markdown.markdown(text, extensions=["tables"])  # as the site converts it
    assert "<a" not in html and "<script" not in html and "<em>" not in html
    assert html == (
        "<p>Call [call us](javascript:alert(1)) &lt;script&gt;alert(1)&lt;/script&gt; | *x*.</p>"
    )
    assert escape_value("Drottninggatan 71, 111 36 Stockholm") == (
        "Drottninggatan 71, 111 36 Stockholm"
    )


# -- escape attempts: refused before anything runs -----------------------------------------


def test_reaching_python_through_a_global_is_refused():
    assert refused("{{ cycler.__init__.__globals__ }}") == [
        (
            "unsafe",
            1,
            "`cycler.__init__.__globals__` reaches into Python's internals (`__globals__`); "
            "SOP templates can only show branch and org values, e.g. {{ branch.phone }}",
        )
    ]


def test_reaching_python_through_a_string_is_refused():
    problems = refused("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    assert problems and all(kind == "unsafe" for kind, _, _ in problems)
    assert refused("{{ ''.__class__.__mro__ }}")[0][2].startswith(
        "`''.__class__.__mro__` reaches into Python's internals"
    )


def test_the_usual_sandbox_escapes_are_all_refused():
    attempts = [
        "{{ branch.__class__ }}",
        "{{ branch._values }}",
        "{{ branch | attr('_values') }}",
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{{ self._TemplateReference__context }}",
        "{{ namespace.__init__ }}",
        "{{ request.application.__globals__ }}",
        "{{ config.items() }}",
        "{{ branch.phone.upper() }}",
        "{{ '%s' % branch.phone }}",
        "{{ '{0.__class__}'.format(branch) }}",
        "{% for x in range(10**9) %}x{% endfor %}",
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
        "{% set x = branch %}{{ x }}",
        "{% include 'branches.yml' %}",
        "{% import 'os' as os %}",
        "{% macro m() %}{% endmacro %}",
        "{% filter upper %}x{% endfilter %}",
        "{% with x = 1 %}{% endwith %}",
        "{{ [branch.phone] * 10 }}",
        "{{ {'a': 1} }}",
        "{{ branch.phone[0:2] }}",
    ]
    for source in attempts:
        problems = refused(source)
        assert problems, source
        assert all(kind in ("unsafe", "syntax") for kind, _, _ in problems), source


def test_a_loop_is_refused_and_named():
    assert refused("{% for b in branch.languages %}{{ b }}{% endfor %}")[0] == (
        "unsafe",
        1,
        "{% for %} loops cannot be used in an SOP; templates may only show branch and org "
        "values ({{ branch.phone }}), with {% if %} on them",
    )


def test_a_huge_output_is_refused_before_it_is_made():
    start = time.perf_counter()
    assert refused("{{ 'x' * 10**9 }}")[0][:2] == ("unsafe", 1)
    assert time.perf_counter() - start < 1.0  # nothing was multiplied


def test_refusing_runs_nothing(tmp_path):
    canary = tmp_path / "pwned"
    source = f"{{{{ cycler.__init__.__globals__.os.system('touch {canary}') }}}}"
    template = SopTemplate(source)
    assert template.problems
    with pytest.raises(TemplateError):
        template.render(STOCKHOLM, ORG)
    assert not canary.exists()


def test_refused_code_is_reported_at_its_line_in_the_file():
    body = "# Returns\n\nCall {{ branch.phone }}.\n\n{{ cycler.__init__.__globals__ }}\n"
    template = compile_template(body, first_line=16)
    assert [(p.kind, p.line) for p in template.problems] == [("unsafe", 20)]


# -- the sandbox itself, if the check were ever bypassed -----------------------------------


def sandbox_render(source: str, **context: object) -> str:
    """Render with the sandboxed environment directly, without the allow-list check."""
    return SopSandbox().from_string(source).render(**context)


def test_the_sandbox_alone_refuses_python_internals():
    namespace = render.Namespace("branch", STOCKHOLM)
    with pytest.raises(SecurityError):
        sandbox_render("{{ branch.__class__ }}", branch=namespace)
    with pytest.raises(SecurityError, match="unsafe"):
        sandbox_render("{{ cycler.__init__.__globals__ }}")  # no cycler: no globals at all
    with pytest.raises(SecurityError, match="unsafe"):
        sandbox_render("{{ ''.__class__.__mro__ }}")


def test_the_sandbox_alone_refuses_calls_and_arithmetic():
    namespace = render.Namespace("branch", STOCKHOLM)
    with pytest.raises(SecurityError):
        sandbox_render("{{ branch.phone.upper() }}", branch=namespace)
    start = time.perf_counter()
    with pytest.raises(SecurityError):
        sandbox_render("{{ 'x' * 10**9 }}")
    assert time.perf_counter() - start < 1.0
    with pytest.raises((SecurityError, jinja2.UndefinedError)):
        sandbox_render("{% for i in range(10**9) %}{% endfor %}")  # no range either


def test_a_namespace_has_no_methods_to_reach():
    namespace = render.Namespace("branch", STOCKHOLM)
    with pytest.raises(jinja2.UndefinedError, match=r"^branch\.items is not defined$"):
        sandbox_render("{{ branch.items }}", branch=namespace)


# -- bounds on one render ------------------------------------------------------------------


def test_a_slow_render_is_stopped(monkeypatch):
    monkeypatch.setattr(render, "MAX_RENDER_SECONDS", 0.3)
    environment = render._environment(False)
    monkeypatch.setitem(environment.filters, "upper", lambda value: time.sleep(5) or value)
    template = SopTemplate("# Returns\n\n{{ branch.name | upper }}\n")
    start = time.perf_counter()
    with pytest.raises(TemplateError) as caught:
        template.render(STOCKHOLM, ORG)
    assert time.perf_counter() - start < 2.0
    assert caught.value.problem.kind == "limit"
    assert "rendering took over 0.3 s" in caught.value.problem.message


def test_an_oversized_page_is_stopped(monkeypatch):
    monkeypatch.setattr(render, "MAX_OUTPUT_CHARS", 1_000)
    source = "Call {{ branch.phone }}.\n" * 100
    with pytest.raises(TemplateError) as caught:
        SopTemplate(source).render(STOCKHOLM, ORG)
    assert caught.value.problem.kind == "limit"


def test_a_filter_cannot_blow_a_value_up():
    growing = (
        "{{ branch.address | replace('a', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa') "
    )
    growing += "| replace('a', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa') }}"
    address = {**STOCKHOLM, "address": "a" * 400}
    start = time.perf_counter()
    with pytest.raises(TemplateError) as caught:
        SopTemplate(growing).render(address, ORG)
    assert caught.value.problem.kind == "limit"
    assert time.perf_counter() - start < 1.0
