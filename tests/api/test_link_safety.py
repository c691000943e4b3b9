"""Server-side HTML: only http(s) IRIs become links, and no page carries inline script or style."""

from __future__ import annotations

from html.parser import HTMLParser
from json import loads
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.errors import register_error_handlers
from api.pages import json_script, link, yasgui_page
from api.routes import docs
from api.routes.linked_data import iri_link, render_html
from graph.describe import Link, Locator, NodeDescription, Value
from graph.links import http_iri

HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "urn:isbn:0451450523",
    "mailto:someone@example.org",
    "//evil.example/x",
    "/relative/path",
    "https:evil.example",
    "http://[::1",
    "",
]
SAFE = ["http://example.org/a", "https://w3id.org/solidarity-kg/id/actor/state/MEX", "HTTPS://Example.org/Ä?x=1&y=2#f"]
OURS = "https://w3id.org/solidarity-kg/"


class PageScan(HTMLParser):
    """What a page links to and what in it could run or restyle it."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.inline_scripts: list[str] = []
        self.json_blocks: list[str] = []
        self.handlers: list[str] = []
        self.style_attributes: list[str] = []
        self.style_elements = 0
        self._script: dict[str, str | None] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.handlers += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]
        self.style_attributes += [f"{tag} {value}" for name, value in attrs if name == "style"]
        if tag == "a" and values.get("href") is not None:
            self.hrefs.append(values["href"] or "")
        if tag == "style":
            self.style_elements += 1
        if tag == "script":
            self._script = values
            self._text = ""

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._script is None:
            return
        if self._script.get("type") == "application/json":  # data, never executed
            self.json_blocks.append(self._text)
        elif "src" not in self._script or self._text.strip():
            self.inline_scripts.append(self._text)
        self._script = None


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    parser.close()
    return parser


def followable(href: str) -> bool:
    """A link a browser would follow without running anything: an http(s) URL, or a path, query or fragment here."""
    if href.startswith(("/", "?", "#")):
        return not href.startswith("//")
    return urlsplit(href).scheme in ("http", "https") and http_iri(href)


def assert_no_inline_code(page: PageScan) -> None:
    assert page.inline_scripts == []
    assert page.handlers == []
    assert page.style_attributes == []
    assert page.style_elements == 0


# ---------------------------------------------------------------------------------------------- the one link function


@pytest.mark.parametrize("iri", HOSTILE)
def test_non_http_iris_are_not_links(iri: str) -> None:
    assert not http_iri(iri)
    html = link(iri, "click me")
    assert "<a" not in html and "href" not in html
    assert "<script" not in html


@pytest.mark.parametrize("iri", SAFE)
def test_http_iris_are_links(iri: str) -> None:
    assert http_iri(iri)
    page = scan(link(iri, "label"))
    assert page.hrefs == [iri]


def test_link_text_and_href_are_escaped() -> None:
    html = link('https://example.org/"><script>alert(1)</script>', "<b>label</b>")
    assert "<script>" not in html and "<b>" not in html
    assert scan(html).hrefs == ['https://example.org/"><script>alert(1)</script>']
    shown = link("data:text/html,<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
    assert "<script>" not in shown and "<img" not in shown
    assert "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def test_our_iris_link_to_this_service() -> None:
    assert scan(iri_link(OURS + "id/actor/state/MEX", "Mexico")).hrefs == ["/id/actor/state/MEX"]
    assert scan(iri_link(OURS + "vocab/theme/migration", "migration")).hrefs == ["/vocab/theme/migration"]
    assert scan(iri_link(OURS + "ontology#State", "State")).hrefs == ["/ontology#State"]
    assert scan(iri_link("http://example.org/x", "x")).hrefs == ["http://example.org/x"]
    for iri in HOSTILE:
        assert scan(iri_link(iri, "x")).hrefs == [], iri


def test_a_resource_page_with_hostile_iris_links_none_of_them() -> None:
    description = NodeDescription(
        iri=OURS + "id/x",
        label="<script>alert('label')</script>",
        types=[Link("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "type", "javascript:alert(1)", "T")],
        values=[Value("http://www.w3.org/2000/01/rdf-schema#label", "label", "<img src=x onerror=alert(1)>")],
        outgoing=[Link("http://x.example/p", "p", iri, "click me") for iri in HOSTILE]
        + [Link("http://x.example/p", "p", OURS + "id/actor/state/MEX", "Mexico")],
        incoming=[Link("http://x.example/q", "q", iri, "from") for iri in HOSTILE],
        evidence=[Locator("data:text/html,<script>alert(1)</script>", "source"), Locator(OURS + "id/loc/1", "para 1")],
    )
    page = scan(render_html(description))
    assert "/id/actor/state/MEX" in page.hrefs and "/id/loc/1" in page.hrefs
    assert [href for href in page.hrefs if not followable(href)] == []
    assert_no_inline_code(page)
    assert "javascript:alert(1)" in render_html(description)  # shown, as text


# ---------------------------------------------------------------------------------------------- the served pages


def test_served_resource_page_links_only_http_iris(client: TestClient) -> None:
    response = client.get("/id/actor/state/MEX", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = scan(response.text)
    assert len(page.hrefs) > 5
    assert [href for href in page.hrefs if not followable(href)] == []
    assert_no_inline_code(page)


@pytest.mark.parametrize("path", ["/", "/viewer", "/sparql", "/ontology", "/id/actor/state/MEX"])
def test_served_pages_have_no_inline_script_or_style(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html"), path
    assert_no_inline_code(scan(response.text))


def test_sparql_editor_reads_its_configuration_from_a_json_block() -> None:
    example = 'SELECT * WHERE { ?s ?p "</script><script>alert(1)</script>" }'
    page = scan(yasgui_page("http://127.0.0.1/sparql", example))
    assert_no_inline_code(page)
    assert [loads(block) for block in page.json_blocks] == [{"endpoint": "http://127.0.0.1/sparql", "example": example}]
    assert "</script><script>" not in json_script("c", {"q": "</script><script>"})


def test_docs_pages_load_local_assets_and_no_inline_script() -> None:
    app = FastAPI(title="t <&>", docs_url=None, redoc_url=None)
    app.include_router(docs.router)
    with TestClient(app) as client:
        for path in sorted(docs.PATHS):
            response = client.get(path)
            assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
            assert_no_inline_code(scan(response.text))
            assert 'data-openapi-url="/openapi.json"' in response.text
            assert "t &lt;&amp;&gt;" in response.text
            assert "://" not in response.text  # nothing from another origin
        assert "/docs" not in client.get("/openapi.json").json()["paths"]
    no_spec = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    register_error_handlers(no_spec)
    no_spec.include_router(docs.router)
    with TestClient(no_spec) as client:
        assert client.get("/docs").status_code == 404


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.paths += [value for name, value in attrs if name in ("src", "href") and value and value.startswith("/static/")]


def test_every_asset_the_docs_pages_load_is_shipped() -> None:
    static = Path(docs.__file__).resolve().parents[1] / "static"
    for page in (docs.swagger_page("t", "/openapi.json"), docs.redoc_page("t", "/openapi.json")):
        assets = Assets()
        assets.feed(page)
        assert len(assets.paths) >= 2
        for path in assets.paths:
            assert (static / path.removeprefix("/static/")).stat().st_size > 0, path
    for folder in ("swagger-ui", "redoc"):
        assert (static / "vendor" / folder / "LICENSE").is_file()
