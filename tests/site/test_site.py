"""The built documentation site, opened in a real browser (headless Chromium).

Run by ``make test`` after ``mkdocs build --strict``: serves ``site/`` on
127.0.0.1, opens the English and Korean Q&A pages, checks that figures and
tables render and that the language switcher keeps the reader on the same
page, searches for an English and a Korean term, and saves screenshots under
``build/screenshots``. Also checks the notebooks and the API inventory.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import minigd

pytestmark = pytest.mark.site
ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
REQUIRED = os.environ.get("MINIGD_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    if not (SITE / "index.html").exists():
        if REQUIRED:
            pytest.fail("site/ is not built: run `mkdocs build --strict` first (make test does)")
        pytest.skip("site/ is not built; `make test` builds it before these tests")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if REQUIRED:
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip("Chromium is not installed; make test installs it when run as root")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield chromium
        chromium.close()


def open_page(browser: Any, url: str, external: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})

    def watch(request: Any) -> None:
        if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            external.append(request.url)

    page.on("request", watch)
    page.goto(url, wait_until="networkidle")
    return page


@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/qa.html", "en", "The Q&A, scenario by scenario"),
        ("/ko/qa.html", "ko", "Q&A 시나리오별 풀이"),
    ],
)
def test_scenario_page_renders(
    base_url: str, browser: Any, path: str, lang: str, heading: str
) -> None:
    external: list[str] = []
    page = open_page(browser, base_url + path, external)
    assert heading in page.inner_text("h1")
    tables = page.locator("article table")
    assert tables.count() >= 6
    assert "10,000" in page.inner_text("article")
    figures = page.locator("article svg[id^='figure'], article svg[viewBox]")
    assert figures.count() >= 2
    box = figures.first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100  # noqa: PT018
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"qa-{lang}.png"), full_page=True)
    assert external == [], f"requests to other hosts: {external}"
    page.close()


def test_language_switcher_keeps_the_page(base_url: str, browser: Any) -> None:
    page = open_page(browser, base_url + "/experiments.html", [])
    korean = page.locator("a[hreflang='ko']").first
    target = korean.get_attribute("href")
    assert target is not None and "experiments" in target  # noqa: PT018
    page.goto(base_url + "/experiments.html", wait_until="networkidle")
    page.hover(".md-header__option .md-select")
    korean.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/ko/experiments.html")
    assert "실험" in page.inner_text("h1")
    assert "개념" in page.locator(".md-nav--primary").first.inner_text()  # Korean navigation
    page.close()


def test_korean_tables_keep_words_whole(base_url: str, browser: Any) -> None:
    page = open_page(browser, base_url + "/ko/qa.html", [])
    cell = page.locator("article table td").first
    assert cell.evaluate("e => getComputedStyle(e).wordBreak") == "keep-all"
    page.close()
    page = open_page(browser, base_url + "/qa.html", [])
    cell = page.locator("article table td").first
    assert cell.evaluate("e => getComputedStyle(e).wordBreak") == "normal"
    page.close()


@pytest.mark.parametrize(("path", "term"), [("/", "iteration"), ("/ko/", "에포크")])
def test_search_finds_terms(base_url: str, browser: Any, path: str, term: str) -> None:
    page = open_page(browser, base_url + path, [])
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(term)
    box.press("End")  # Material listens to key events; fill() of Hangul sends none
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert page.locator(".md-search-result__item").count() >= 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"search-{term}.png"))
    page.close()


#: five queries per language, plain and mixed (English words appear in the Korean pages too)
SEARCHES = {
    "": ("epoch", "batch size", "Schedule", "SGD", "checkpoint"),
    "ko/": ("에포크", "배치 크기", "Schedule", "SGD", "체크포인트"),
}


def top_results(page: Any, term: str, count: int = 3) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(term)
    box.press("End")  # Material listens to key events; fill() of Hangul sends none
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
    return list(links[:count])


@pytest.mark.parametrize("lang", list(SEARCHES))
def test_search_ranks_the_pages_of_its_language_first(
    base_url: str, browser: Any, lang: str
) -> None:
    for term in SEARCHES[lang]:
        page = open_page(browser, f"{base_url}/{lang}index.html", [])
        found = top_results(page, term)
        page.close()
        assert len(found) == 3, (lang, term, found)
        korean = [link.startswith(f"{base_url}/ko/") for link in found]
        assert korean == [lang == "ko/"] * 3, (lang, term, found)


def test_the_site_works_under_a_sub_path_and_from_files(browser: Any, tmp_path: Path) -> None:
    # GitHub Pages serves a project site under /<repository>/; a student may open the files
    if not (SITE / "index.html").exists():
        pytest.skip("site/ is not built")
    (tmp_path / "minigd").symlink_to(SITE, target_is_directory=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for start in (
            f"http://127.0.0.1:{server.server_address[1]}/minigd/index.html",
            (SITE / "index.html").as_uri(),
        ):
            page = browser.new_page()
            page.goto(start)
            for lang, heading in (("ko", "minigd"), ("en", "minigd")):
                page.hover(".md-header__option .md-select")
                page.locator(f"a[hreflang='{lang}']").first.click()
                page.wait_for_load_state()
                assert page.url.endswith("/ko/index.html" if lang == "ko" else "/index.html")
                assert heading in page.inner_text("h1"), page.url
            page.locator("a[href='qa.html']").first.click(force=True)
            page.wait_for_load_state()
            assert page.url.endswith("/qa.html")
            assert page.locator("article table").count() >= 2
            if start.startswith("http"):  # browsers run no search worker from files
                found = top_results(page, "epoch", 1)
                assert found[0].startswith(start.removesuffix("index.html")), found
            page.close()
    finally:
        server.shutdown()


#: each figure's smallest text, in CSS px: matplotlib draws SVG text as glyph paths
#: scaled from 100 units per em (its FONT_SCALE), so the font size on the screen is
#: 100 x the glyph group's scale from SVG units to CSS px (getCTM)
SMALLEST_TEXT = """() => [...document.querySelectorAll('article svg[viewBox]')]
  .filter(svg => svg.querySelector('g[id^=text_]'))
  .map(svg => Math.min(...[...svg.querySelectorAll('g[id^=text_] g[transform*=scale]')]
    .map(g => { const m = g.getCTM(); return 100 * Math.hypot(m.c, m.d); })))"""


@pytest.mark.parametrize("path", ["/experiments.html", "/ko/experiments.html", "/qa.html"])
def test_figure_text_is_10_css_px_or_more(base_url: str, browser: Any, path: str) -> None:
    page = open_page(browser, base_url + path, [])  # a 1280 px wide window
    smallest = page.evaluate(SMALLEST_TEXT)
    page.close()
    assert len(smallest) >= 2  # the figures were found (the three-panel one among them)
    assert min(smallest) >= 10, smallest


@pytest.fixture(scope="module")
def built() -> None:
    if not (SITE / "index.html").exists():
        if REQUIRED:
            pytest.fail("site/ is not built: run `mkdocs build --strict` first (make test does)")
        pytest.skip("site/ is not built; `make test` builds it before these tests")


@pytest.mark.usefixtures("built")
def test_korean_headings_have_korean_anchors() -> None:
    html = (SITE / "ko" / "qa.html").read_text(encoding="utf-8")
    assert 'id="1-학생의-표"' in html


@pytest.mark.usefixtures("built")
def test_no_external_assets_in_the_html() -> None:
    for page in SITE.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text, page
        assert "cdn.jsdelivr.net/npm" not in text, page


@pytest.mark.usefixtures("built")
def test_api_reference_shows_no_raw_sphinx_roles() -> None:
    import re

    for lang_dir in (SITE, SITE / "ko"):
        html = (lang_dir / "reference" / "api.html").read_text(encoding="utf-8")
        assert re.findall(r":(?:class|func|meth|attr|data|mod):<code>[^<]*", html) == []
        # the role's name stays, as code (":class:`Schedule`" in the module docstring)
        assert "A <code>Schedule</code> is the training plan" in html
        assert "EPOCH_LOSS_AUTO_MAX_VALUES" in html  # the constant is documented


@pytest.mark.usefixtures("built")
def test_frameworks_module_docstring_renders_and_stays_in_the_repository() -> None:
    for lang_dir in (SITE, SITE / "ko"):
        html = (lang_dir / "reference" / "api.html").read_text(encoding="utf-8")
        assert "what its counter counts</th>" in html  # a table, not raw reST
        assert "=====  " not in html
        assert "shared/reference" not in html  # a folder outside the repository


@pytest.mark.usefixtures("built")
def test_notebooks_are_generated_from_the_pages() -> None:
    for lang_dir in (SITE, SITE / "ko"):
        book = json.loads((lang_dir / "qa.ipynb").read_text(encoding="utf-8"))
        code = ["".join(c["source"]) for c in book["cells"] if c["cell_type"] == "code"]
        assert any("student_table" in c for c in code)
        assert not any("markdown-exec" in c for c in code)
        # every cell is valid Python once IPython's magics (%pip, %%markdown_output) are `pass`
        for cell in code:
            lines = [re.sub(r"^(\s*)%.*", r"\1pass", ln) for ln in cell.splitlines()]
            compile("\n".join(lines), "qa.ipynb", "exec")


def inventory() -> set[str]:
    raw = (SITE / "objects.inv").read_bytes()
    body = zlib.decompress(raw.split(b"\n", 4)[4]).decode("utf-8")
    return {line.split(" ", 1)[0] for line in body.splitlines()}


@pytest.mark.usefixtures("built")
def test_api_reference_covers_every_public_name() -> None:
    names = inventory()
    missing = []
    for name in minigd.__all__:
        obj = getattr(minigd, name)
        module = getattr(obj, "__module__", None)
        if module is None or name.isupper() or name == "__version__":
            continue
        qualified = f"{module}.{name}" if not isinstance(obj, type(minigd)) else obj.__name__
        if qualified not in names:
            missing.append(qualified)
    assert missing == []
    # and the other way: every object the reference page documents exists
    import importlib

    api = (ROOT / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    for line in api.splitlines():
        if line.startswith("::: "):
            path = line[4:].strip()
            module, _, attr = path.rpartition(".")
            try:
                importlib.import_module(path)
            except ModuleNotFoundError:
                assert hasattr(importlib.import_module(module), attr), path
