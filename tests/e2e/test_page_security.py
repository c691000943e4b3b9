"""The web pages in a real headless Chromium under a strict Content-Security-Policy, and no script links.

Every response is given the policy below by ``page.route`` (replacing any the
server sends), so a page that needs an inline script, an inline style or
anything from another origin fails here whatever the server's own headers
are. A failure is counted three ways: console errors and uncaught page errors,
``securitypolicyviolation`` events, and requests to another origin (aborted:
the pages must work without the internet).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

import httpx
import pytest

from api.pages import YASGUI_STYLE_HASHES
from api.routes.docs import PATHS, REDOC_STYLE_HASHES
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_viewer import wait_for_view

pytestmark = [pytest.mark.browser, pytest.mark.server]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def with_style_hashes(hashes: tuple[str, ...]) -> str:
    """The policy with hash sources added to ``style-src`` (still no ``'unsafe-inline'``)."""
    return CSP.replace("style-src 'self';", "style-src 'self' " + " ".join(hashes) + ";")


SPARQL_CSP = with_style_hashes(YASGUI_STYLE_HASHES)
REDOC_CSP = with_style_hashes(REDOC_STYLE_HASHES)
DROPPED_HEADERS = {"content-security-policy", "content-security-policy-report-only", "content-encoding", "content-length"}

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI} `
                              + `at ${event.sourceFile}:${event.lineNumber}`);
});
"""

JAVASCRIPT_IRI = "javascript:alert(document.domain)"
DATA_IRI = "data:text/html,<script>alert(1)</script>"
HTTP_IRI = "http://x.example/o"
CONSTRUCT = (
    f'CONSTRUCT {{ <{JAVASCRIPT_IRI}> <http://www.w3.org/2000/01/rdf-schema#label> "click me" . '
    f"<{JAVASCRIPT_IRI}> <http://x.example/p> <{HTTP_IRI}> }} WHERE {{}}"
)
MEXICO = "https://w3id.org/solidarity-kg/id/actor/state/MEX"

NON_HTTP_LINKS = """() => [...document.querySelectorAll("a[href]")]
    .filter((a) => a.protocol !== "http:" && a.protocol !== "https:")
    .map((a) => a.getAttribute("href"))"""


@dataclass
class Watched:
    """A page opened under a policy, and what went wrong on it."""

    page: Any
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        self.page.wait_for_timeout(300)  # violation events are dispatched as tasks
        found: list[str] = self.page.evaluate("window.__cspViolations")
        return found

    def assert_clean(self) -> None:
        assert self.violations() == []
        assert self.errors == []
        assert self.outside == []


class Opener(Protocol):
    def __call__(self, url: str, csp: str = CSP, *, clean_load: bool = True) -> Watched: ...


@pytest.fixture
def open_page(browser: Any) -> Iterator[Opener]:
    """Open a URL in a fresh context whose every response carries ``csp`` instead of the server's policy.

    With ``clean_load``, fail at once if loading the page broke the policy (an inline script, say),
    rather than later by waiting for what the script would have drawn."""
    contexts: list[Any] = []

    def open_url(url: str, csp: str = CSP, *, clean_load: bool = True) -> Watched:
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        watched = Watched(context.new_page())

        def with_policy(route: Any) -> None:
            if not route.request.url.startswith(origin):
                watched.outside.append(route.request.url)
                route.abort()
                return
            response = route.fetch()
            headers = {k: v for k, v in response.headers.items() if k.lower() not in DROPPED_HEADERS}
            headers["content-security-policy"] = csp
            route.fulfill(response=response, headers=headers)

        context.route("**/*", with_policy)
        context.add_init_script(RECORD_VIOLATIONS)
        watched.page.on("pageerror", lambda error: watched.errors.append(f"page error: {error}"))
        watched.page.on("console", lambda message: watched.errors.append(message.text) if message.type == "error" else None)
        watched.page.goto(url)
        if clean_load:
            assert watched.violations() == [], f"loading {url} broke the policy"
        return watched

    try:
        yield open_url
    finally:
        for context in contexts:
            context.close()


@pytest.fixture(scope="module")
def docs_server(live_server: str) -> str:
    """The live server, checked to serve the vendored documentation pages rather than FastAPI's CDN ones."""
    ours = {"/docs": "/static/swagger-init.js", "/redoc": "/static/redoc-init.js"}
    assert set(ours) == PATHS
    for path, script in ours.items():
        assert script in httpx.get(live_server + path, timeout=30).text, path
    return live_server


def select_node(watched: Watched, iri: str) -> None:
    """Click a node of the viewer's graph with the mouse, and wait for its details."""
    point = watched.page.evaluate(
        """(iri) => {
        const cy = window.skgViewer.cy;
        const node = cy.getElementById(iri);
        cy.zoom(2);
        cy.center(node);
        const position = node.renderedPosition();
        const box = cy.container().getBoundingClientRect();
        return { x: box.left + position.x, y: box.top + position.y };
    }""",
        iri,
    )
    watched.page.mouse.click(point["x"], point["y"])
    watched.page.wait_for_function("(iri) => window.skgViewer.state.selected?.id() === iri", arg=iri, timeout=TIMEOUT_MS)
    watched.page.wait_for_selector("#details", state="visible", timeout=TIMEOUT_MS)


# ---------------------------------------------------------------------------------------------- links from data


def test_viewer_shows_a_javascript_iri_as_text_and_links_http_iris(live_server: str, open_page: Opener) -> None:
    watched = open_page(live_server + "/viewer?view=query&construct=" + quote(CONSTRUCT, safe=""))
    assert wait_for_view(watched.page) == 2
    select_node(watched, JAVASCRIPT_IRI)
    page = watched.page
    assert page.text_content("#details-label") == "click me"
    assert page.text_content("#details-iri") == JAVASCRIPT_IRI
    assert page.get_attribute("#details-iri", "href") is None
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert page.evaluate(NON_HTTP_LINKS) == []

    select_node(watched, HTTP_IRI)
    assert page.get_attribute("#details-iri", "href") == HTTP_IRI
    assert page.text_content("#details-iri") == HTTP_IRI
    select_node(watched, JAVASCRIPT_IRI)  # and back: the link is taken away again
    assert page.get_attribute("#details-iri", "href") is None
    assert page.evaluate(NON_HTTP_LINKS) == []
    watched.assert_clean()


def test_viewer_safe_href_accepts_only_http_and_https(live_server: str, open_page: Opener) -> None:
    """Every data IRI the viewer links goes through one function; drive it with hostile IRIs."""
    watched = open_page(live_server + "/viewer?view=query&construct=" + quote(CONSTRUCT, safe=""))
    wait_for_view(watched.page)
    hostile = [
        JAVASCRIPT_IRI,
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        DATA_IRI,
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "/relative",
        "//x.example/a",
        "urn:isbn:1",
        "not an iri",
    ]
    for iri in hostile:
        href = watched.page.evaluate(
            """(iri) => {
            const cy = window.skgViewer.cy;
            if (cy.getElementById(iri).empty()) cy.add({ group: "nodes", data: { id: iri, label: "x" } });
            cy.getElementById(iri).emit("tap");
            return document.getElementById("details-iri").getAttribute("href");
        }""",
            iri,
        )
        assert href is None, iri
        assert watched.page.text_content("#details-iri") == iri
    watched.assert_clean()


def test_resource_pages_link_only_http_iris(live_server: str, open_page: Opener) -> None:
    watched = open_page(live_server + "/id/" + MEXICO.split("/id/", 1)[1])
    watched.page.wait_for_selector("h1", timeout=TIMEOUT_MS)
    assert watched.page.locator("main a[href]").count() > 5
    assert watched.page.evaluate(NON_HTTP_LINKS) == []
    watched.assert_clean()


# ---------------------------------------------------------------------------------------------- pages under the CSP


def test_viewer_loads_under_the_strict_policy(live_server: str, open_page: Opener) -> None:
    watched = open_page(live_server + "/viewer")
    assert wait_for_view(watched.page) > 100
    # the rule Cytoscape would have injected as a <style> comes from viewer.css
    assert watched.page.evaluate("getComputedStyle(document.getElementById('cy')).position") == "relative"
    assert watched.page.evaluate("document.querySelectorAll('style').length") == 0
    watched.assert_clean()


def test_sparql_editor_loads_and_runs_a_query_under_the_strict_policy(live_server: str, open_page: Opener) -> None:
    html = httpx.get(live_server + "/sparql", headers={"Accept": "text/html"}, timeout=30)
    assert html.headers["content-type"].startswith("text/html")
    assert "<script>" not in html.text and "sparql-editor.js" in html.text
    watched = open_page(live_server + "/sparql", csp=SPARQL_CSP)  # Chromium asks for text/html itself
    page = watched.page
    run_query_and_drag_a_column(page)
    assert page.locator(".yasr table tbody tr").count() == 10
    watched.assert_clean()


def run_query_and_drag_a_column(page: Any) -> None:
    page.wait_for_selector(".yasqe .CodeMirror", timeout=TIMEOUT_MS)
    assert "GoodPractice" in page.evaluate("window.skgSparqlEditor.getTab().getQuery()")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr", timeout=TIMEOUT_MS)
    grip = page.locator(".grip-handle .grip-resizable").first.bounding_box()
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + 5)
    page.mouse.down()
    page.mouse.move(grip["x"] + 60, grip["y"] + 5, steps=5)
    page.mouse.up()


def test_swagger_ui_renders_and_calls_the_api_under_the_strict_policy(docs_server: str, open_page: Opener) -> None:
    watched = open_page(docs_server + "/docs")
    page = watched.page
    page.wait_for_selector(".opblock", timeout=TIMEOUT_MS)
    assert page.locator(".opblock").count() > 10
    operation = page.locator("#operations-queries-list_queries")
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator(".execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=TIMEOUT_MS)
    assert status.text_content().strip() == "200"
    watched.assert_clean()


def test_redoc_renders_under_the_strict_policy_with_its_two_style_hashes(docs_server: str, open_page: Opener) -> None:
    watched = open_page(docs_server + "/redoc", csp=REDOC_CSP)
    page = watched.page
    page.wait_for_selector("[data-section-id^='operation/'] h2", timeout=TIMEOUT_MS)
    assert page.locator("[data-section-id^='operation/'] h2").count() > 10
    page.fill(".search-input", "traversal")  # the search index lives in a Web Worker made from a blob: URL
    page.wait_for_selector("[data-role='search:results'] li", timeout=TIMEOUT_MS)
    watched.assert_clean()


# ---------------------------------------------------------------------------------------------- why the hashes


def only_style_elements_blocked(watched: Watched) -> None:
    violations = watched.violations()
    assert violations and all(v.startswith("style-src-elem blocked inline ") for v in violations), violations
    assert watched.outside == []


def test_sparql_editor_needs_its_style_hashes(live_server: str, open_page: Opener) -> None:
    """Without YASGUI_STYLE_HASHES, the result table's <style> elements are blocked, and nothing else is."""
    watched = open_page(live_server + "/sparql", clean_load=False)
    run_query_and_drag_a_column(watched.page)
    only_style_elements_blocked(watched)


def test_redoc_needs_its_style_hashes(docs_server: str, open_page: Opener) -> None:
    """Without REDOC_STYLE_HASHES, ReDoc's <style> elements are blocked (and it fails), and nothing else is."""
    watched = open_page(docs_server + "/redoc", clean_load=False)
    watched.page.wait_for_function("window.__cspViolations.length > 0", timeout=TIMEOUT_MS)
    only_style_elements_blocked(watched)
