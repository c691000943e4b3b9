"""The search page in a real headless Chromium against a real server: the hits it lists are the API's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.server]

REFUSAL = "/id/practice/A-73-206-37-2"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # a Content-Security-Policy violation is reported on the console as an error
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.errors = errors
    try:
        yield page
    finally:
        context.close()


def test_search_page_lists_the_hits_of_the_api(live_server: str, page: Any, tmp_path: Path) -> None:
    expected = httpx.get(live_server + "/search", params={"q": "Aquarius"}, timeout=60).json()
    page.goto(live_server + "/search?q=Aquarius")
    links = page.eval_on_selector_all("ol.hits > li .hit-title a", "els => els.map(e => e.getAttribute('href'))")
    assert links == [hit["page"] for hit in expected["hits"]]
    assert REFUSAL in links
    assert page.text_content("#hits-heading").split()[:3] == ["1–" + str(len(links)), "of", str(expected["total"])]
    assert page.input_value("#search-q") == "Aquarius"
    marks = page.eval_on_selector_all("ol.hits mark", "els => els.map(e => e.textContent.toLowerCase())")
    assert "aquarius" in marks
    page.screenshot(path=str(tmp_path / "search-aquarius.png"), full_page=True)
    assert (tmp_path / "search-aquarius.png").stat().st_size > 10_000
    assert page.errors == []


def test_a_facet_link_filters_and_the_form_searches(live_server: str, page: Any) -> None:
    page.goto(live_server + "/search?q=Aquarius")
    page.click(".search-facets a:text-is('SolidarityGap')")
    page.wait_for_url("**type=SolidarityGap**")
    assert page.eval_on_selector_all("ol.hits > li .hit-title a", "els => els.map(e => e.getAttribute('href'))") == [REFUSAL]
    assert page.is_visible(".search-facets a:text-is('All types')")
    page.fill("#search-q", "Hungarian")
    page.press("#search-q", "Enter")
    page.wait_for_url("**q=Hungarian**")
    assert page.get_attribute("ol.hits > li:first-child .hit-title a", "href") == "/id/actor/state/HUN"
    assert page.errors == []
