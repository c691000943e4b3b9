"""The summaries page in a real headless Chromium against a real server.

It must draw its bar chart, world map and timeline from local files only:
every request to a host other than the server's is aborted and recorded, and
a recorded request, a console error, an uncaught error or a
Content-Security-Policy violation fails the test. The tables are there
without JavaScript, and task (f) (practices per category per State, down to
the list behind one number) takes three clicks from the home page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.server]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
});
"""


class Watched:
    """A browser page with what went wrong on it: console errors, page errors, non-local requests."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.requests: list[str] = []


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    result = Watched(page)

    def route(route: Any) -> None:
        url = route.request.url
        result.requests.append(url)
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            result.foreign.append(url)
            route.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda error: result.errors.append(str(error)))
    page.on("console", lambda message: result.errors.append(message.text) if message.type == "error" else None)
    try:
        yield result
    finally:
        context.close()


def wait_for_charts(page: Any) -> None:
    for chart in ("#state-bars", "#state-map", "#timeline"):
        page.wait_for_selector(f"{chart}[data-drawn='true']", state="attached", timeout=TIMEOUT_MS)


def test_the_charts_are_drawn_from_local_files_only(live_server: str, watched: Watched, tmp_path: Path) -> None:
    data = httpx.get(live_server + "/summaries", params={"format": "json"}, timeout=60).json()
    page = watched.page
    page.goto(live_server + "/summaries")
    wait_for_charts(page)

    segments = sum(1 for state in data["states"] for cell in state["cells"] if cell["n"])
    assert page.locator("#state-bars svg rect.seg").count() == segments > 30
    assert page.locator("#state-bars svg a[href^='/explore?category=']").count() == segments
    on_map = [state for state in data["states"] if state["on_map"]]
    assert page.locator("#state-map svg path.country[data-code]").count() == len(on_map) > 20
    assert int(page.get_attribute("#state-map", "data-states")) == len(on_map)
    assert page.locator("#state-map svg path.country.no-data").count() > 100
    assert page.locator("#state-map .map-legend li").count() >= 3
    year_segments = sum(1 for year in data["years"] for cell in year["cells"] if cell["n"])
    assert page.locator("#timeline svg rect.seg").count() == year_segments > 10

    # each shaded State carries its own number and links to its practices
    top = data["states"][0]
    shaded = page.locator(f"#state-map svg path[data-code='{top['code']}']")
    assert "bin-" in (shaded.get_attribute("class") or "")
    assert page.locator(f"#state-map svg a[href='{top['href']}']").get_attribute("aria-label") == (
        f"{top['label']}: {top['total']} practices"
    )
    # every chart has a text alternative: an SVG title and description, and a caption
    for chart in ("state-bars", "state-map", "timeline"):
        svg = page.locator(f"#{chart} svg")
        assert svg.get_attribute("role") == "group"  # it holds links, which an image may not
        assert page.text_content(f"#{chart}-title")
        assert top["label"] in (page.text_content(f"#{chart}-desc") or "") or chart == "timeline"
        assert page.text_content(f"#{chart}-caption")

    page.screenshot(path=str(tmp_path / "summaries.png"), full_page=True)
    page.locator("#state-map").screenshot(path=str(tmp_path / "summaries-map.png"))
    assert (tmp_path / "summaries.png").stat().st_size > 50_000
    local = {urlsplit(url).path for url in watched.requests}
    assert {
        "/static/vendor/world-atlas/countries-110m.json",
        "/static/vendor/d3-geo/d3-geo.min.js",
        "/static/summaries.js",
    } <= local
    assert watched.foreign == []
    assert page.evaluate("window.__cspViolations") == []
    assert watched.errors == []


def test_practices_per_category_per_state_in_three_clicks(live_server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(live_server + "/")
    page.click("main a[href='/summaries']")  # 1: the home page's entry point
    page.wait_for_url(lambda url: urlsplit(url).path == "/summaries")
    wait_for_charts(page)
    first = page.locator("#states-table tbody tr").first
    state = (first.locator("th").text_content() or "").strip()
    cell = first.locator("td a[href*='category=']").first
    href = cell.get_attribute("href") or ""
    count = int((cell.text_content() or "").split()[0])
    assert watched.errors == [] and watched.foreign == []
    cell.click()  # 2: one number of the matrix
    page.wait_for_url(lambda url: urlsplit(url).path == "/explore")
    query = dict(parse_qsl(urlsplit(page.url).query))
    assert set(query) == {"category", "state"} and page.url.endswith(href)
    listing = httpx.get(live_server + "/practices", params={**query, "limit": "200"}, timeout=60).json()
    assert listing["total"] == count == len(listing["items"]), state


def test_a_bar_segment_leads_to_the_same_list(live_server: str, watched: Watched) -> None:
    page = watched.page
    page.goto(live_server + "/summaries")
    wait_for_charts(page)
    segment = page.locator("#state-bars svg a[href^='/explore?category=']").first
    href = segment.get_attribute("href") or ""
    assert page.locator(f"#states-table a[href='{href}']").count() == 1
    segment.locator("rect").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/explore")
    assert page.url.endswith(href)


def test_the_tables_are_there_without_javascript(live_server: str, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1000, "height": 900})
    try:
        page = context.new_page()
        page.goto(live_server + "/summaries")
        assert page.locator("#states-table tbody tr").count() > 20
        assert page.locator("#actors-table tbody tr").count() > 20
        assert page.locator("#years-table tbody tr").count() > 5
        assert page.locator("svg").count() == 0
        assert "drawn by JavaScript" in (page.text_content("#state-bars") or "")
        page.screenshot(path=str(tmp_path / "summaries-no-js.png"))
    finally:
        context.close()


def test_a_narrow_screen_keeps_the_charts(live_server: str, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 420, "height": 860})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(live_server + "/summaries")
        wait_for_charts(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 440, "the page scrolls sideways; only the tables may"
        page.screenshot(path=str(tmp_path / "summaries-narrow.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
