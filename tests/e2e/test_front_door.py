"""The front door, tried as the Independent Expert's team, a researcher and a journalist would: from the home
page, each task in at most three clicks, in a real headless Chromium that may not reach any other host;
and axe-core finds no serious or critical accessibility violation on the main pages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
MAIN_PAGES = [
    "/",
    "/states",
    "/states/HUN",
    "/declaration",
    "/mandate",
    "/id/actor/state/HUN",
    "/id/doc/A-73-206/para/37",
    "/explore",
    "/explore?place=MEX",
    "/summaries",
    "/search?q=Aquarius&format=html",
]


class Visit:
    """A browser tab on the live server that records clicks, errors and any request to another host."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base, self.clicks = page, base, 0
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.route("**/*", self._only_local)

    def _only_local(self, route: Any) -> None:
        url = route.request.url
        if urlsplit(url).netloc == urlsplit(self.base).netloc or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)

    def click(self, selector: str) -> None:
        self.clicks += 1
        self.page.click(selector)
        self.page.wait_for_load_state()

    def download(self, selector: str) -> bytes:
        self.clicks += 1
        with self.page.expect_download() as info:
            self.page.click(selector)
        return Path(info.value.path()).read_bytes()


@pytest.fixture
def visit(browser: Any, live_server: str) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = Visit(context.new_page(), live_server)
    try:
        yield tab
    finally:
        assert not tab.foreign, f"requests to other hosts: {tab.foreign}"
        context.close()


def rows_of(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_home_page_says_what_the_graph_holds(visit: Visit) -> None:
    visit.open("/")
    text = visit.page.inner_text("main")
    assert "A/73/206" in text and "Data version" in visit.page.inner_text("footer")
    for entry in ("States and actors", "The draft declaration", "Practices", "Summaries", "The mandate", "Search"):
        assert visit.page.locator(".cards a strong", has_text=entry).count() >= 1, entry
    assert not visit.errors


def test_b_what_the_drafts_say_of_non_state_actors(visit: Visit) -> None:
    visit.open("/")
    visit.click("text=The draft declaration")
    visit.page.select_option("#bearer", "non-state-actor")
    visit.click("form.filter button")
    assert visit.clicks <= 3
    provisions = visit.page.locator("article.provision")
    assert provisions.count() >= 1
    assert "non-State actors" in visit.page.inner_text("main")
    assert "2017" in visit.page.inner_text(".side-by-side.head") and "2023" in visit.page.inner_text(".side-by-side.head")


def test_d_mandate_holders_as_a_spreadsheet_with_their_documents(visit: Visit) -> None:
    visit.open("/")
    visit.click(".cards >> text=The mandate")
    body = visit.download("#mandate_holders_by_term ~ .downloads >> text=CSV")
    assert visit.clicks <= 3
    holders = rows_of(body)
    assert {"Obiora Chinedu Okafor", "Cecilia M. Bailliet"} & {r["holderLabel"] for r in holders}
    assert len({r["term"] for r in holders}) >= 4
    assert all(r["document"] for r in holders), "every term names the document that supports it"


def test_e_everything_about_hungary_with_locator_labels_and_a_download(visit: Visit) -> None:
    visit.open("/")
    visit.click(".cards >> text=States and actors")
    visit.click("text=Hungary")
    assert "Hungary" in visit.page.inner_text("h1")
    named = visit.page.inner_text("#named ~ p")
    assert "A/73/206, para. 36" in named or "A/73/206, para. 36" in visit.page.inner_text("main")
    body = visit.download("#carried_out ~ .downloads >> text=CSV")
    assert visit.clicks <= 3
    rows = rows_of(body)
    assert rows and all(r["Evidence"] for r in rows)


def test_g_a_page_says_how_to_cite_it(visit: Visit) -> None:
    visit.open("/id/doc/A-73-206/para/37")
    assert visit.page.inner_text("h1") == "A/73/206, para. 37"
    visit.page.click("details.citation summary")
    citation = visit.page.inner_text("details.citation")
    assert "data version" in citation and "CC BY 4.0" in citation
    assert "https://w3id.org/solidarity-kg/id/doc/A-73-206/para/37" in citation


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_no_serious_accessibility_violations(visit: Visit, path: str) -> None:
    visit.open(path)
    visit.page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the test, not loaded by the page
    result = visit.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    assert not visit.errors


@pytest.mark.parametrize(
    ("path", "drawn"),
    [("/docs", ".swagger-ui .info .title"), ("/redoc", ".api-info h1"), ("/sparql", ".yasqe"), ("/viewer", "#cy canvas")],
)
def test_the_tool_pages_work_with_every_other_host_blocked(visit: Visit, path: str, drawn: str) -> None:
    visit.open(path)
    visit.page.wait_for_selector(drawn, timeout=30_000)
    assert visit.page.locator(drawn).count() >= 1


def test_c_searching_aquarius_finds_the_refusal_from_the_home_page(visit: Visit) -> None:
    visit.open("/")
    visit.page.fill("#home-q", "Aquarius")
    visit.click(".search-box button")
    assert visit.clicks <= 3
    hits = visit.page.inner_text("main")
    assert "Refusal to let rescued migrants land" in hits
    assert "Spain lets the Aquarius migrants disembark" in hits


def test_g_every_node_answers_with_its_citation_as_json(live_server: str) -> None:
    import httpx

    body = httpx.get(live_server + "/id/practice/A-73-206-37-2", headers={"Accept": "application/json"}).json()
    assert body["citation"]["iri"] == "https://w3id.org/solidarity-kg/id/practice/A-73-206-37-2"
    assert body["citation"]["data_version"] and body["citation"]["licence"].startswith("https://creativecommons.org/")
    assert "https://undocs.org/A/73/206" in body["official_texts"].values()
    assert {e["label"] for e in body["evidence"]} >= {"A/73/206, para. 37", "A/73/206, fn. 89"}
