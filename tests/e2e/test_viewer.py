"""The viewer in a real headless Chromium against a real server: what it draws matches the API."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 60_000


def chromium_path() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.skip("Chromium is not installed (apt-get install chromium); the viewer test needs a real browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (dev dependency) drives the browser")
    executable = chromium_path()
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.errors = errors
    try:
        yield page
    finally:
        context.close()


def wait_for_view(page: Any) -> int:
    """Wait until the viewer has drawn a view; return the node count it shows."""
    page.wait_for_selector("#stats[data-nodes]", state="attached", timeout=TIMEOUT_MS)
    shown: int = page.evaluate("Number(document.getElementById('stats').dataset.nodes)")
    drawn: int = page.evaluate("window.skgViewer.cy.nodes().length")
    assert shown == drawn
    return shown


def test_viewer_draws_as_many_nodes_as_the_api_returns(live_server: str, page: Any, tmp_path: Path) -> None:
    response = httpx.get(live_server + "/views/whole", params={"format": "cyjs"}, timeout=120)
    expected = len(response.json()["elements"]["nodes"])
    assert expected == int(response.headers["x-view-nodes"]) > 0
    page.goto(live_server + "/viewer")
    assert wait_for_view(page) == expected
    assert page.text_content("#stats") == f"{expected} nodes, {response.headers['x-view-edges']} links"
    page.screenshot(path=str(tmp_path / "viewer-whole.png"))
    assert (tmp_path / "viewer-whole.png").stat().st_size > 10_000
    assert page.errors == []


def test_clicking_a_node_shows_its_details(live_server: str, page: Any, tmp_path: Path) -> None:
    whole = httpx.get(live_server + "/views/whole", params={"format": "node-link"}, timeout=120).json()
    states = [n for n in whole["nodes"] if n["type"] == "State"]
    centre = max(states, key=lambda n: (n["degree"], n["id"]))
    ego = httpx.get(live_server + "/views/ego", params={"node": centre["id"], "format": "cyjs"}, timeout=60)
    page.goto(live_server + "/viewer?node=" + quote(centre["id"], safe=""))
    assert wait_for_view(page) == int(ego.headers["x-view-nodes"])
    page.click("#close-details")  # the ego view opens with its centre selected; start from nothing
    page.wait_for_selector("#details", state="hidden")
    point = page.evaluate(
        """(iri) => {
        const cy = window.skgViewer.cy;
        const node = cy.getElementById(iri);
        cy.zoom(2);
        cy.center(node);
        const position = node.renderedPosition();
        const box = cy.container().getBoundingClientRect();
        return { x: box.left + position.x, y: box.top + position.y };
    }""",
        centre["id"],
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#details", state="visible", timeout=TIMEOUT_MS)
    assert page.text_content("#details-label") == centre["label"]
    assert page.text_content("#details-type") == "State"
    assert page.get_attribute("#details-iri", "href") == "/id/" + centre["id"].split("/id/", 1)[1]
    links = page.locator("#details-links li").count()
    assert links == centre["degree"]
    page.screenshot(path=str(tmp_path / "viewer-details.png"))
    assert page.errors == []


def test_download_link_and_type_filter(live_server: str, page: Any) -> None:
    page.goto(live_server + "/viewer?view=obligations")
    total = wait_for_view(page)
    page.select_option("#format-select", "gexf")
    href = page.get_attribute("#download-link", "href")
    assert href == "/views/obligations?format=gexf"
    download = httpx.get(live_server + href, timeout=60)
    assert download.status_code == 200 and int(download.headers["x-view-nodes"]) == total
    first_type = page.locator("#type-list input").first
    hidden_type = first_type.get_attribute("value")
    first_type.uncheck()
    visible = page.evaluate("window.skgViewer.cy.nodes(':visible').length")
    of_type = page.evaluate("(t) => window.skgViewer.cy.nodes().filter(n => n.data('type') === t).length", hidden_type)
    assert visible == total - of_type and of_type > 0
