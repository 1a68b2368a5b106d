"""The built sites in a real browser: Debian's chromium, driven by Playwright.

The bundled SOPs are built for every branch, served on 127.0.0.1, and read the way staff
read them: each branch sees its own phone numbers, search finds Swedish and Telugu words,
the language links switch language, nothing is fetched from another host, and a page
prints on A4 without navigation. Screenshots and the printed PDF are kept in
``test-artifacts/`` (not committed).

Skips, with the reason, when Playwright or chromium is missing (``.ci/run`` installs them).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("SOP_LINT_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TODAY = "2027-02-10"

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    pytest.skip(
        "Playwright for Python is not installed: python -m pip install -e '.[test]'",
        allow_module_level=True,
    )
if not os.path.exists(CHROMIUM):  # pragma: no cover - depends on the machine
    pytest.skip(
        f"chromium not found at {CHROMIUM}: apt-get install chromium chromium-driver "
        "(or set SOP_LINT_CHROMIUM)",
        allow_module_level=True,
    )


# -- the site, a server, a browser ---------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The bundled SOPs built for every branch, as `sop-lint site build` makes them."""
    from click.testing import CliRunner

    from sop_lint.cli import main

    root = tmp_path_factory.mktemp("project")
    for lang in ("en", "sv", "nb", "te"):
        shutil.copytree(REPO / "docs" / lang, root / "docs" / lang)
    shutil.copy(REPO / "branches.yml", root / "branches.yml")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "pyproject.toml").write_text(
        '[tool.sop-lint]\ndocs = "docs"\n\n[tool.sop-lint.branches]\nfile = "branches.yml"\n',
        "utf-8",
    )
    old = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["site", "build", "--today", TODAY, "--no-guide"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return root / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The site on http://127.0.0.1:<free port>/."""
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        except Exception as exc:  # pragma: no cover - depends on the machine
            pytest.skip(f"chromium at {CHROMIUM} does not start: {exc}")
        yield chromium
        chromium.close()


class Visit:
    """A browser tab that records every request it makes, and refuses any that would
    leave 127.0.0.1."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if urlsplit(route.request.url).hostname == "127.0.0.1"
                else route.abort()
            ),
        )
        self.page: Page = self.context.new_page()

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page

    def remote_requests(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).hostname != "127.0.0.1"]

    def search(self, query: str) -> list[str]:
        """Type ``query`` into Material's search; the result links, best first."""
        box = self.page.locator("input.md-search__input")
        box.click()
        box.fill(query)
        # Material reads the query on key-up (fill() sends no key events, and Telugu text
        # cannot be typed key by key): a key-up makes it read the box. A query read before
        # the index is ready in the worker runs once it is.
        box.press("End")
        try:
            self.page.wait_for_selector(".md-search-result__item", timeout=15_000)
        except Exception:
            return []
        links = self.page.locator(".md-search-result__item > .md-search-result__link")
        return [links.nth(i).get_attribute("href") or "" for i in range(links.count())]


@pytest.fixture
def visit(browser: Browser, server: str) -> Iterator[Visit]:
    tab = Visit(browser, server)
    yield tab
    tab.context.close()


def article_text(page: Page) -> str:
    return page.inner_text("article")


# -- what staff see ------------------------------------------------------------------------


def test_two_branches_copies_of_one_sop_show_each_branch_s_own_phone_number(visit):
    stockholm = article_text(visit.open("stockholm-city/en/tow-truck-dispatch/"))
    oslo = article_text(visit.open("oslo-sentrum/en/tow-truck-dispatch/"))
    assert "call 08-555 012 99 for a partner truck" in stockholm
    assert "call +47 21 55 01 99 for a partner truck" in oslo
    assert "08-555" not in oslo and "+47" not in stockholm
    assert visit.page.inner_text(".sop-branch dd") == "Oslo Sentrum"
    assert visit.remote_requests() == []


def test_searching_in_swedish_finds_the_tow_truck_sop(visit):
    visit.open("stockholm-city/sv/")
    results = visit.search("bärgningsbil")
    assert results, "no search results for 'bärgningsbil'"
    assert "/stockholm-city/sv/tow-truck-dispatch/" in results[0]
    assert visit.remote_requests() == []


def test_searching_in_telugu_finds_the_complaint_sop(visit):
    visit.open("hyderabad-banjara-hills/te/")
    results = visit.search("ఫిర్యాదు")  # "complaint"
    assert results, "no search results for 'ఫిర్యాదు'"
    assert "/hyderabad-banjara-hills/te/customer-complaint/" in results[0]
    assert visit.remote_requests() == []


def test_the_header_switches_to_the_same_sop_in_the_other_language(visit):
    page = visit.open("stockholm-city/sv/tow-truck-dispatch/")
    assert page.get_attribute("html", "lang") == "sv"
    assert page.inner_text("article h1").rstrip("¶") == "Skicka en bärgningsbil"
    page.click(".sop-languages a[hreflang=en]")
    page.wait_for_load_state()
    assert page.url.endswith("/stockholm-city/en/tow-truck-dispatch/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("article h1").rstrip("¶") == "Dispatching a tow truck"
    # Material's language menu lists the branch's languages too.
    assert page.locator(".md-select__link[hreflang=sv]").count() == 1
    assert visit.remote_requests() == []


def test_no_request_leaves_127_0_0_1_on_any_kind_of_page(visit):
    for path in (
        "",
        "stockholm-city/",
        "stockholm-city/sv/",
        "stockholm-city/sv/dashboard/",
        "hyderabad-banjara-hills/te/customer-complaint/",
        "london-docklands/en/toll-free-line/",
    ):
        visit.open(path)
        visit.page.wait_for_load_state("networkidle")
    visit.search("customer")
    assert len(visit.requests) > 20  # pages, stylesheets, scripts, the search index, charts
    assert visit.remote_requests() == []


def test_screenshots_of_a_sop_page_the_dashboard_and_the_landing_page(visit):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = {
        "sop-page.png": "stockholm-city/sv/tow-truck-dispatch/",
        "sop-page-telugu.png": "hyderabad-banjara-hills/te/tow-truck-dispatch/",
        "dashboard.png": "stockholm-city/sv/dashboard/",
        "landing.png": "",
    }
    for name, path in shots.items():
        page = visit.open(path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        data = (ARTIFACTS / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, name
    dashboard = visit.open("stockholm-city/sv/dashboard/")
    for chart in ("readability", "reviews"):
        width = dashboard.evaluate(
            f"document.querySelector('img[src$=\"{chart}.svg\"]').naturalWidth"
        )
        assert width > 100, f"the {chart} chart did not load"
    assert visit.remote_requests() == []


def test_one_sop_prints_on_a4_with_its_header_and_without_navigation(visit):
    page = visit.open("stockholm-city/en/tow-truck-dispatch/")
    page.emulate_media(media="print")
    assert page.is_hidden(".md-sidebar--primary")
    assert page.is_hidden(".md-header")
    assert page.is_hidden(".md-footer")
    assert page.is_visible(".sop-header")
    assert page.is_visible(".sop-review--overdue")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "sop-print-a4.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert data.startswith(b"%PDF")
    assert 1 <= pages <= 3, f"{pages} A4 pages"
