"""`sop-lint site build`, `site render` and the MkDocs plugin, on the bundled SOPs and on
small projects made to fail in one particular way."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, sop

from sop_lint.cli import main
from sop_lint.site.build import check_output

TODAY = "2027-02-10"  # after three SOPs' review date: they show as overdue
PYPROJECT = '[tool.sop-lint]\ndocs = "docs"\n\n[tool.sop-lint.branches]\nfile = "branches.yml"\n'


def run(*args: str, cwd: Path):
    """`sop-lint ...` in ``cwd``, in-process."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def copy_bundled_project(target: Path) -> Path:
    """The repository's SOPs, guide, branch data and MkDocs file, in a folder of their own."""
    for lang in ("en", "sv", "nb", "te", "guide"):
        shutil.copytree(REPO / "docs" / lang, target / "docs" / lang)
    shutil.copy(REPO / "docs" / "index.md", target / "docs" / "index.md")
    shutil.copy(REPO / "branches.yml", target / "branches.yml")
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    (target / "pyproject.toml").write_text(
        PYPROJECT.replace('docs = "docs"\n', 'docs = "docs"\nexclude = ["docs/guide/**"]\n'),
        "utf-8",
    )
    return target


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The bundled SOPs built for every branch (once for this module)."""
    root = copy_bundled_project(tmp_path_factory.mktemp("bundled"))
    result = run("site", "build", "--today", TODAY, cwd=root)
    assert result.exit_code == 0, result.output
    return root, root / "site", result.stdout


def html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8")


def text_of(page: str) -> str:
    """The visible text of the article (tags removed)."""
    article = page.split('<article class="md-content__inner md-typeset">', 1)[1]
    article = article.split("</article>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article))


# -- the bundled SOPs ----------------------------------------------------------------------


def test_every_branch_gets_one_site_per_language_and_the_landing_page_lists_them(bundled):
    _root, site, stdout = bundled
    assert sorted(p.name for p in site.iterdir() if p.is_dir()) == [
        "bergen-vest",
        "guide",
        "hyderabad-banjara-hills",
        "london-docklands",
        "oslo-sentrum",
        "stockholm-city",
    ]
    assert sorted(p.name for p in (site / "stockholm-city").iterdir() if p.is_dir()) == [
        "en",
        "sv",
    ]
    assert (site / "hyderabad-banjara-hills" / "te" / "index.html").is_file()
    landing = (site / "index.html").read_text("utf-8")
    for link in ("stockholm-city/sv/", "oslo-sentrum/nb/", "hyderabad-banjara-hills/te/", "guide/"):
        assert f'href="{link}"' in landing
    assert "Built 5 of 5 branches (39 SOP pages)" in stdout


def test_each_branch_reads_its_own_phone_numbers(bundled):
    _root, site, _ = bundled
    stockholm = text_of(html(site, "stockholm-city/sv/tow-truck-dispatch"))
    oslo = text_of(html(site, "oslo-sentrum/nb/tow-truck-dispatch"))
    hyderabad = text_of(html(site, "hyderabad-banjara-hills/te/tow-truck-dispatch"))
    assert "08-555 012 99" in stockholm and "+47" not in stockholm
    assert "+47 21 55 01 99" in oslo
    assert "+91 40 5550 1299" in hyderabad
    assert "Hyderabad Banjara Hills" in hyderabad


def test_a_procedure_is_published_only_where_it_applies(bundled):
    _root, site, _ = bundled
    # The tow-truck SOP applies to three branches; London has no tow service.
    assert not (site / "london-docklands" / "en" / "tow-truck-dispatch").exists()
    toll_free = html(site, "london-docklands/en/toll-free-line")
    # London's toll-free SOP still names the tow-truck procedure, as text, not a dead link.
    assert "Dispatching a tow truck" in text_of(toll_free)
    assert "tow-truck-dispatch/" not in toll_free


def test_every_sop_page_has_the_same_header(bundled):
    _root, site, _ = bundled
    pages = sorted(site.glob("*/*/*/index.html"))
    sop_pages = [p for p in pages if p.parent.name not in ("dashboard", "search")]
    assert len(sop_pages) == 39
    for page in sop_pages:
        text = page.read_text("utf-8")
        header = text.split('<div class="sop-header"', 1)[1].split("</dl>", 1)[0]
        classes = re.findall(r'<div class="(sop-[a-z-]+)', header)
        assert classes[:8] == [
            "sop-id",
            "sop-version",
            "sop-status-row",
            "sop-owner",
            "sop-effective",
            "sop-review",
            "sop-language",
            "sop-branch",
        ], page
    header = html(site, "stockholm-city/en/tow-truck-dispatch").split('class="sop-header"')[1]
    header = header.split("</div>\n<p>", 1)[0]
    assert '<div class="sop-review sop-review--overdue"><dt>Next review</dt>' in header
    assert '2027-02-02</time> <strong class="sop-flag">overdue</strong>' in header
    assert "<dd>Stockholm City</dd>" in header
    assert 'href="../../sv/tow-truck-dispatch/" hreflang="sv" lang="sv" target="_self"' in header


def test_the_dashboard_shows_every_sop_and_two_charts(bundled):
    _root, site, _ = bundled
    page = html(site, "oslo-sentrum/nb/dashboard")
    rows = re.findall(r"<tr>\s*<td>(CS-\d+-nb)</td>", page)
    assert rows == ["CS-001-nb", "CS-002-nb", "CS-003-nb", "CS-004-nb", "CS-005-nb"]
    assert "forsinket" in page  # overdue reviews, in Norwegian
    for chart in ("readability", "reviews"):
        svg = site / "oslo-sentrum" / "nb" / "assets" / "charts" / f"{chart}.svg"
        root = ET.fromstring(svg.read_text("utf-8"))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert f'src="../assets/charts/{chart}.svg"' in page
    readability = (site / "oslo-sentrum/nb/assets/charts/readability.svg").read_text("utf-8")
    assert readability.count("<rect x=") == 5  # one bar per SOP
    assert "LIX" in readability


def test_the_sites_work_offline_with_no_template_left_and_no_broken_link(bundled):
    _root, site, _ = bundled
    assert check_output(site, templates=False) == []
    for branch in ("stockholm-city", "oslo-sentrum", "hyderabad-banjara-hills"):
        assert check_output(site / branch, templates=True) == []
    page = html(site, "stockholm-city/sv/product-return")
    assert "fonts.googleapis.com" not in page and "fonts.gstatic.com" not in page
    config = json.loads(
        re.search(r'<script id="__config" type="application/json">(.*?)</script>', page)[1]
    )
    assert "navigation.prune" in config["features"]
    assert "navigation.instant" not in config["features"]


def test_search_is_set_up_for_each_language(bundled):
    _root, site, _ = bundled

    def search_lang(path: str) -> list[str]:
        index = json.loads((site / path / "search" / "search_index.json").read_text("utf-8"))
        return index["config"]["lang"]

    assert search_lang("stockholm-city/sv") == ["sv"]
    assert search_lang("oslo-sentrum/nb") == ["no"]
    assert search_lang("hyderabad-banjara-hills/te") == ["hi", "te"]
    assert search_lang("london-docklands/en") == ["en"]
    # Material's own interface is in the page's language too.
    assert '<html lang="te"' in html(site, "hyderabad-banjara-hills/te/customer-complaint")


def test_every_page_links_the_print_stylesheet(bundled):
    _root, site, _ = bundled
    css = (site / "stockholm-city" / "sv" / "assets" / "stylesheets" / "sop-lint.css").read_text()
    assert "size: A4" in css
    assert re.search(r"@media print \{.*\.md-sidebar,", css, re.S)
    assert 'href="../assets/stylesheets/sop-lint.css"' in html(
        site, "stockholm-city/sv/toll-free-line"
    )


def test_the_writers_guide_is_built_beside_the_branches(bundled):
    _root, site, _ = bundled
    assert "sop-lint" in (site / "guide" / "index.html").read_text("utf-8")
    assert (site / "guide" / "rules" / "index.html").is_file()


# -- one branch fails, the others are built ------------------------------------------------

SMALL_BRANCHES = sop(
    """
    org:
      name: Nordlys Service
    branches:
      - id: stockholm-city
        name: Stockholm City
        languages: [en]
        vars:
          phone: "08-555 012 30"
          towing_phone: "08-555 012 99"
      - id: london-docklands
        name: London Docklands
        languages: [en]
        vars:
          phone: "020 7946 0123"
    """
)
SMALL_MKDOCS = "site_name: Nordlys procedures\ntheme:\n  name: material\n  font: false\n"
TOW = sop(
    """
    ---
    id: CS-004
    title: Dispatching a tow truck
    status: effective
    review_due: 2027-02-02
    lang: en
    ---

    # Dispatching a tow truck

    ## Procedure

    1. Ask if anyone is hurt.
    2. If no truck is free, call {{ branch.towing_phone }} for a partner truck.
    """
)


def small_project(root: Path, page: str = TOW) -> Path:
    (root / "docs" / "en").mkdir(parents=True)
    (root / "docs" / "en" / "tow-truck-dispatch.md").write_text(page, "utf-8")
    (root / "branches.yml").write_text(SMALL_BRANCHES, "utf-8")
    (root / "mkdocs.yml").write_text(SMALL_MKDOCS, "utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    return root


def test_the_build_ignores_a_branch_chosen_in_the_environment_for_mkdocs(tmp_path, monkeypatch):
    root = small_project(tmp_path)
    (root / "docs" / "en" / "tow-truck-dispatch.md").write_text(
        TOW.replace("{{ branch.towing_phone }}", "{{ branch.phone }}"), "utf-8"
    )
    monkeypatch.setenv("SOP_LINT_BRANCH", "stockholm-city")
    result = run("site", "build", "--jobs", "1", cwd=root)
    assert result.exit_code == 0, result.output
    london = (root / "site/london-docklands/en/tow-truck-dispatch/index.html").read_text()
    assert "020 7946 0123" in london and "08-555" not in london


def test_a_failed_branch_names_itself_and_leaves_its_old_site_alone(tmp_path):
    root = small_project(tmp_path)
    # A previous, good build of London's site.
    old = root / "site" / "london-docklands"
    old.mkdir(parents=True)
    (old / ".sop-lint-branch").write_text("london-docklands\n")
    (old / "index.html").write_text("yesterday's site")
    result = run("site", "build", "--today", TODAY, "--jobs", "2", cwd=root)
    assert result.exit_code == 1
    assert (
        "london-docklands             FAILED: docs/en/tow-truck-dispatch.md:14: "
        "branch.towing_phone is not defined (branch london-docklands)"
    ) in result.stderr
    assert "sop-lint: error: failed: london-docklands" in result.stderr
    assert (root / "site" / "stockholm-city" / "en" / "tow-truck-dispatch" / "index.html").exists()
    assert (old / "index.html").read_text() == "yesterday's site"
    assert not list((root / "site").glob(".build-*"))  # no half-written folders left


def test_a_template_that_reaches_python_builds_nothing(tmp_path):
    attack = "{{ cycler.__init__.__globals__.os.system('id') }}"
    root = small_project(tmp_path, TOW.replace("{{ branch.towing_phone }}", attack))
    result = run("site", "build", cwd=root)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "sop-lint: error: templates that cannot be published (nothing was built):\n"
        "docs/en/tow-truck-dispatch.md:14: `cycler.__init__.__globals__.os.system` reaches "
        "into Python's internals"
    )
    assert not (root / "site" / "stockholm-city").exists()


def test_template_syntax_left_in_the_html_fails_the_branch(tmp_path):
    raw = "{% raw %}{{ branch.towing_phone }}{% endraw %}"
    root = small_project(tmp_path, TOW.replace("{{ branch.towing_phone }}", raw))
    result = run("site", "build", "--jobs", "1", cwd=root)
    assert result.exit_code == 1
    # Found before anything is built, at its line, as `check` finds it (issue 9).
    assert "docs/en/tow-truck-dispatch.md:14: the published page would show '{{'" in (result.stderr)
    assert not (root / "site" / "stockholm-city").exists()


def test_check_output_finds_broken_links_remote_assets_and_leftover_templates(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<a href="../b/">b</a> <a href="https://example.org/">a link is fine</a>'
        '<script src="https://cdn.example.org/x.js"></script>'
        '<img src="missing.png"> <a href="javascript:alert(1)">x</a> {{ branch.phone }}',
        "utf-8",
    )
    assert check_output(tmp_path) == [
        "a/index.html: '{{' is left in the HTML",
        "a/index.html: broken link ../b/",
        "a/index.html: loads https://cdn.example.org/x.js from another host",
        "a/index.html: broken link missing.png",
        "a/index.html: a javascript: link (javascript:alert(1))",
    ]


# -- site render, and the plugin -----------------------------------------------------------


def test_site_render_writes_a_docs_folder_any_mkdocs_builds(tmp_path):
    root = small_project(tmp_path / "project")
    result = run("site", "render", "--branch", "stockholm-city", "--out", "rendered", cwd=root)
    assert result.exit_code == 0, result.output
    page = (root / "rendered" / "en" / "tow-truck-dispatch.md").read_text("utf-8")
    assert "call 08-555 012 99 for a partner truck" in page
    assert "{{" not in page
    assert page.startswith("---\ntitle: Dispatching a tow truck\nsop:\n  id: CS-004\n")
    # Plain MkDocs, without sop-lint's plugin, builds it in strict mode.
    config = root / "plain.yml"
    config.write_text(
        "site_name: Plain\ndocs_dir: rendered\nstrict: true\ntheme:\n  name: mkdocs\n"
        "extra_css: [assets/stylesheets/sop-lint.css]\n",
        "utf-8",
    )
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", "out"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert build.returncode == 0, build.stderr
    built = (root / "out" / "en" / "tow-truck-dispatch" / "index.html").read_text("utf-8")
    assert "08-555 012 99" in built


def test_mkdocs_build_with_the_plugin_builds_the_branch_in_the_environment(tmp_path):
    root = small_project(tmp_path)
    (root / "mkdocs.yml").write_text(SMALL_MKDOCS + "plugins:\n  - search\n  - sop-lint\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOP_LINT_BRANCH": "stockholm-city"}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    assert build.returncode == 0, build.stderr
    assert "08-555 012 99" in (root / "site/en/tow-truck-dispatch/index.html").read_text()
    env["SOP_LINT_BRANCH"] = "stockholm"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    assert build.returncode == 1
    assert (
        "no branch 'stockholm' in branches.yml; branches: stockholm-city, london-docklands"
        in build.stderr
    )


# -- the work shared between branches gives the same pages ---------------------------------


def test_pages_made_from_a_shared_shape_equal_pages_made_from_the_branch_s_markdown(tmp_path):
    """Each page's HTML is made once and the branch's values filled in; the result must be
    exactly what MkDocs makes from that branch's own Markdown."""
    from sop_lint.config import load_config
    from sop_lint.site import build as site_build
    from sop_lint.site.compose import compose_language
    from sop_lint.site.project import load_project

    root = small_project(tmp_path / "p")
    extra = TOW.replace("id: CS-004", "id: CS-001").replace("towing_phone", "phone")
    (root / "docs" / "en" / "returns.md").write_text(extra, "utf-8")
    oslo = (
        "  - id: oslo-sentrum\n"
        "    name: Oslo <Sentrum> & Co\n"
        "    languages: [en]\n"
        "    vars:\n"
        '      phone: "+47 21 55 01 20 *x*"\n'
        '      towing_phone: "+47 21 55 01 99"\n'
    )
    (root / "branches.yml").write_text(SMALL_BRANCHES + oslo, "utf-8")
    config = load_config(root)
    base = site_build.read_mkdocs_yml(root / "mkdocs.yml")
    project = load_project(config, root / "branches.yml", root / "docs", lint=False)
    staging = tmp_path / "staging"
    (staging / ".docs").mkdir(parents=True)
    plan = site_build._Plan(project, root / "mkdocs.yml", base, staging, staging / ".docs")
    for mode in ("shared", "own"):
        for branch_id in ("stockholm-city", "oslo-sentrum"):
            branch = project.data.get(branch_id)
            composed = compose_language(project, branch, "en")
            if mode == "own":
                composed.shapes = {}
            config = site_build.mkdocs_config(plan, branch, "en", tmp_path / mode / branch_id)
            config.plugins["sop-lint"].preset = (project, {"en": composed})
            site_build.run_mkdocs(config)
    shared = sorted(p.relative_to(tmp_path / "shared") for p in (tmp_path / "shared").rglob("*"))
    assert shared
    for relative in shared:
        if relative.suffix in (".html", ".json"):
            mine = (tmp_path / "shared" / relative).read_text("utf-8")
            assert mine == (tmp_path / "own" / relative).read_text("utf-8"), relative
    oslo = (tmp_path / "shared/oslo-sentrum/tow-truck-dispatch/index.html").read_text()
    assert "Oslo &lt;Sentrum&gt; &amp; Co" in oslo and "+47 21 55 01 99" in oslo
