"""The summaries page: its counts against independent SPARQL over the data files, its links against the listing.

The independent counts run on a store of this test's own (pyoxigraph, loaded
from the files), written as one property-path query rather than the page's
UNION branches. Every count on the page is a link to the explorer; the same
parameters given to ``/practices`` must list as many practices as the count says.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pycountry
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.summaries import ATLAS, STATIC
from api.settings import REPOSITORY
from graph.cache import cache_of
from graph.summaries import summary_of
from tests.conftest import assert_error, memory_settings

PROLOGUE = """PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
PRACTICE = "?p a ?class . ?class rdfs:subClassOf* skg:Practice . ?p skg:practiceType ?category ."
STATE_PATH = (
    "skg:location|skg:carriedOutBy|skg:supportedBy|skg:targets|skg:involves|skg:addressedTo|(skg:location/skg:partOfState)"
)
ROLES = "skg:carriedOutBy|skg:supportedBy|skg:targets|skg:involves|skg:addressedTo"


@cache
def reference_store() -> ox.Store:
    """The bundled ontology and data in a store of the test's own."""
    store = ox.Store()
    files = [p for p in sorted((REPOSITORY / "ontology").glob("*.ttl")) if p.name != "shapes.ttl"]
    for path in files + sorted((REPOSITORY / "data").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"urn:test:{path.stem}"))
    return store


def counts(query: str) -> dict[tuple[str, str], int]:
    """(key, category local name) -> count, from a query selecting ?key ?category ?n."""
    rows = reference_store().query(PROLOGUE + query, use_default_graph_as_union=True)
    return {(r["key"].value, r["category"].value.rsplit("/", 1)[-1]): int(r["n"].value) for r in rows}  # type: ignore[index]


def expected_state_cells() -> dict[tuple[str, str], int]:
    return counts(
        f"SELECT ?key ?category (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {PRACTICE} ?p {STATE_PATH} ?key . ?key a skg:State }} "
        "GROUP BY ?key ?category"
    )


def expected_actor_cells() -> dict[tuple[str, str], int]:
    return counts(
        f"SELECT ?key ?category (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {PRACTICE} ?p {ROLES} ?key . "
        "?key a/rdfs:subClassOf* skg:Actor . MINUS { ?key a skg:State } } GROUP BY ?key ?category"
    )


def expected_year_cells() -> dict[tuple[str, str], int]:
    return counts(
        f"SELECT ?key ?category (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {PRACTICE} ?p skg:date|skg:startDate ?d . "
        "BIND(SUBSTR(STR(?d), 1, 4) AS ?key) } GROUP BY ?key ?category"
    )


def page_cells(rows: list[dict[str, Any]], key: str) -> dict[tuple[str, str], int]:
    return {(row[key], cell["category"]): cell["n"] for row in rows for cell in row["cells"] if cell["n"]}


@pytest.fixture(scope="module")
def page(client: TestClient) -> dict[str, Any]:
    response = client.get("/summaries", params={"format": "json"})
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def html(client: TestClient) -> str:
    response = client.get("/summaries")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_state_cells_equal_independent_counts(page: dict[str, Any]) -> None:
    expected = expected_state_cells()
    assert len(expected) > 40
    assert page_cells(page["states"], "iri") == expected


def test_actor_and_year_cells_equal_independent_counts(page: dict[str, Any]) -> None:
    assert page_cells(page["actors"], "iri") == expected_actor_cells()
    assert page_cells(page["years"], "label") == expected_year_cells()


def test_totals_equal_independent_counts(page: dict[str, Any]) -> None:
    store = reference_store()

    def one(pattern: str) -> int:
        rows = list(
            store.query(f"{PROLOGUE}SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {pattern} }}", use_default_graph_as_union=True)
        )
        return int(rows[0]["n"].value)  # type: ignore[index]

    practice = "?p a ?class . ?class rdfs:subClassOf* skg:Practice ."
    assert page["practices"] == one(practice) > 200
    assert page["with_state"] == one(f"{practice} ?p {STATE_PATH} ?s . ?s a skg:State")
    assert page["undated"] == one(f"{practice} FILTER NOT EXISTS {{ ?p skg:date|skg:startDate ?d }}")
    for state in page["states"]:
        assert state["total"] == one(f"{practice} ?p {STATE_PATH} <{state['iri']}>"), state["label"]
    by_category = counts(
        f"SELECT ?key ?category (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {PRACTICE} BIND('all' AS ?key) }} GROUP BY ?key ?category"
    )
    assert {c["key"]: c["n"] for c in page["categories"]} == {category: n for (_, category), n in by_category.items()}


def test_columns_are_the_practice_categories_in_order(page: dict[str, Any]) -> None:
    assert [c["key"] for c in page["categories"]] == [
        "good-practice",
        "solidarity-gap",
        "abusive-deployment",
        "criminalisation",
        "mandate-activity",
    ]
    assert all(c["label"] for c in page["categories"])


def listing_total(client: TestClient, href: str) -> int:
    """How many practices the explorer link lists: the same parameters asked of ``/practices``."""
    parts = urlsplit(href)
    assert parts.path == "/explore" and not parts.netloc, href
    response = client.get("/practices", params=[*parse_qsl(parts.query), ("limit", "1")])
    assert response.status_code == 200, (href, response.text)
    return int(response.json()["total"])


def test_every_state_cell_links_to_as_many_practices(client: TestClient, page: dict[str, Any]) -> None:
    checked = 0
    for state in page["states"]:
        assert dict(parse_qsl(urlsplit(state["href"]).query)) == {"state": state["code"]}
        assert listing_total(client, state["href"]) == state["total"]
        for cell in state["cells"]:
            assert dict(parse_qsl(urlsplit(cell["href"]).query)) == {"category": cell["category"], "state": state["code"]}
            assert listing_total(client, cell["href"]) == cell["n"], (state["label"], cell)
            checked += 1
    assert checked == len(page["states"]) * len(page["categories"])


def test_actor_and_year_links_list_as_many_practices(client: TestClient, page: dict[str, Any]) -> None:
    for row in page["actors"] + page["years"]:
        assert listing_total(client, row["href"]) == row["total"], row["label"]
        for cell in row["cells"]:
            if cell["n"]:
                assert listing_total(client, cell["href"]) == cell["n"], (row["label"], cell)
    for category in page["categories"]:
        assert listing_total(client, category["href"]) == category["n"]


class Links(HTMLParser):
    """The links of one table (by id): href -> link text (the count, without the hidden words)."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.depth, self.href = table_id, 0, ""
        self.hidden = 0
        self.links: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "table" and values.get("id") == self.table_id:
            self.depth = 1
        elif self.depth and tag == "a":
            self.href = values.get("href") or ""
            self.links[self.href] = ""
        elif self.depth and tag == "span" and values.get("class") == "vh":
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.depth = 0
        elif tag == "a":
            self.href = ""
        elif tag == "span" and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and self.href and not self.hidden:
            self.links[self.href] += data.strip()


def table_links(html: str, table_id: str) -> dict[str, str]:
    parser = Links(table_id)
    parser.feed(html)
    return parser.links


def test_the_html_tables_show_the_counts_as_links(html: str, page: dict[str, Any]) -> None:
    for table_id, rows in (("states-table", page["states"]), ("actors-table", page["actors"]), ("years-table", page["years"])):
        links = table_links(html, table_id)
        for row in rows:
            assert links[row["href"]] == str(row["total"])
            for cell in row["cells"]:
                if cell["n"]:
                    assert links[cell["href"]] == str(cell["n"])
                else:
                    assert cell["href"] not in links
    assert '<a href="/explore?category=good-practice&amp;state=MEX">' in html


def chart_data(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="summaries-data">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def states_with_practices() -> set[str]:
    rows = reference_store().query(
        f"{PROLOGUE}SELECT DISTINCT ?s WHERE {{ ?p a ?c . ?c rdfs:subClassOf* skg:Practice . "
        f"?p {STATE_PATH} ?s . ?s a skg:State }}",
        use_default_graph_as_union=True,
    )
    return {r["s"].value for r in rows}  # type: ignore[index]


def test_the_map_data_cover_every_state_with_practices(html: str) -> None:
    data = chart_data(html)
    expected = states_with_practices()
    assert len(expected) > 20
    assert {s["iri"] for s in data["states"]} == expected
    atlas = json.loads((STATIC / ATLAS).read_text(encoding="utf-8"))
    drawable = {g["id"] for g in atlas["objects"]["countries"]["geometries"] if "id" in g}
    for state in data["states"]:
        code = state["iri"].rsplit("/", 1)[-1]
        assert state["code"] == code
        assert state["numeric"] == pycountry.countries.get(alpha_3=code).numeric
        assert state["on_map"] == (state["numeric"] in drawable)
        if not state["on_map"]:
            assert f'<a href="{state["href"]}">' in html, "a State the map cannot draw is named in its caption"
    assert data["atlas"] == "/static/" + ATLAS
    assert sum(s["total"] for s in data["states"]) >= len(expected)


def test_the_page_needs_no_inline_script_or_style(html: str) -> None:
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts and all('type="application/json"' in s or re.search(r'src="/static/[^"]+"', s) for s in scripts)
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert re.findall(r'src="([^"]+)"', html) == [
        "/static/vendor/d3-array/d3-array.min.js",
        "/static/vendor/d3-geo/d3-geo.min.js",
        "/static/vendor/topojson-client/topojson-client.min.js",
        "/static/summaries.js",
    ]


def test_the_vendored_files_are_served(client: TestClient) -> None:
    for path in (
        "/static/" + ATLAS,
        "/static/vendor/d3-geo/d3-geo.min.js",
        "/static/vendor/topojson-client/topojson-client.min.js",
    ):
        response = client.get(path)
        assert response.status_code == 200 and len(response.content) > 5000, path
    assert client.get("/static/summaries.js").status_code == 200
    assert client.get("/static/summaries.css").status_code == 200


def test_downloads_hold_the_table(client: TestClient, page: dict[str, Any]) -> None:
    response = client.get("/summaries", params={"format": "csv", "table": "states"})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="summaries-states.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["State (IRI)", "ISO 3166 alpha-3", "State"]
    assert lines[0].endswith(",All practices")
    assert len(lines) == len(page["states"]) + 1
    first = page["states"][0]
    assert lines[1] == ",".join(
        [first["iri"], first["code"], first["label"], *(str(c["n"]) for c in first["cells"]), str(first["total"])]
    )
    for name in ("states", "actors", "years"):
        xlsx = client.get("/summaries", params={"format": "xlsx", "table": name})
        assert xlsx.status_code == 200
        with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
            assert "xl/worksheets/sheet1.xml" in book.namelist()
        as_json = client.get("/summaries", params={"format": "json", "table": name})
        assert as_json.json()["states"] == page["states"]
    years = client.get("/summaries", params={"format": "csv", "table": "years"}).content.decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in years[1:]] == sorted(y["label"] for y in page["years"])


def test_json_by_accept(client: TestClient, page: dict[str, Any]) -> None:
    response = client.get("/summaries", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.json()["states"] == page["states"]


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"format": "pdf"}, 406, "unsupported_format"),
        ({"format": "<script>"}, 406, "unsupported_format"),
        ({"format": "csv", "table": "nope"}, 422, "invalid_parameter"),
        ({"format": "xlsx", "table": "states\x00"}, 422, "invalid_parameter"),
        ({"format": "csv", "table": "x" * 5000}, 422, "invalid_parameter"),
    ],
)
def test_bad_parameters_get_the_error_body(client: TestClient, params: dict[str, str], status: int, code: str) -> None:
    assert_error(client.get("/summaries", params=params), status, code)


def test_unknown_parameters_change_nothing(client: TestClient, html: str) -> None:
    response = client.get("/summaries", params={"state": "'; DROP", "category": "<b>"})
    assert response.status_code == 200
    assert "<b>" not in response.text
    # the download links keep the page's parameters, encoded
    assert "/summaries?state=%27%3B+DROP&amp;category=%3Cb%3E&amp;format=csv&amp;table=states" in response.text
    assert chart_data(response.text) == chart_data(html)


def test_the_summary_is_computed_once_per_store(client: TestClient) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    first = summary_of(store)
    assert summary_of(store) is first
    assert cache_of(store).fixed("summaries", lambda: None) is first


HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
ID = "https://w3id.org/solidarity-kg/id/"
EXTRA = f"""@prefix skg: <https://w3id.org/solidarity-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{ID}actor/cso/hostile> a skg:CivilSocietyOrganisation ; rdfs:label {json.dumps(HOSTILE)}@en .
<{ID}actor/state/MEX> rdfs:label {json.dumps(HOSTILE)}@en .
<{ID}actor/state/MLT> a skg:State ; rdfs:label "Malta"@en ; skg:isoAlpha3 "MLT" .
<{ID}practice/hostile-1> a skg:GoodPractice ; rdfs:label {json.dumps(HOSTILE)}@en ;
    skg:practiceType <https://w3id.org/solidarity-kg/vocab/practice-type/good-practice> ;
    skg:carriedOutBy <{ID}actor/cso/hostile> , <{ID}actor/state/MEX> ; skg:location <{ID}actor/state/MLT> ;
    skg:date "2019" .
"""
"""A hostile actor and practice, a hostile second label for Mexico, and a State too small for the map (Malta)."""


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A service on the bundled data plus ``EXTRA``."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(REPOSITORY / "data", data)
    Path(data / "zz-hostile.ttl").write_text(EXTRA, encoding="utf-8")
    with TestClient(create_app(memory_settings(data_dir=data))) as test_client:
        yield test_client


def test_hostile_labels_are_escaped_in_the_tables_and_the_script_data(hostile_client: TestClient) -> None:
    html = hostile_client.get("/summaries").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html
    data = chart_data(html)
    mexico = next(s for s in data["states"] if s["code"] == "MEX")
    assert mexico["label"] == HOSTILE
    assert mexico["total"] == 1 + dict(expected_states_total())["MEX"]
    actors = hostile_client.get("/summaries", params={"format": "json"}).json()["actors"]
    assert any(a["label"] == HOSTILE for a in actors)
    csv = hostile_client.get("/summaries", params={"format": "csv", "table": "actors"}).content.decode("utf-8-sig")
    assert HOSTILE.replace('"', '""') in csv


def test_a_state_the_map_cannot_draw_is_named_in_its_caption(hostile_client: TestClient) -> None:
    html = hostile_client.get("/summaries").text
    malta = next(s for s in chart_data(html)["states"] if s["code"] == "MLT")
    assert malta["numeric"] == "470" and malta["on_map"] is False and malta["total"] == 1
    caption = html[html.index('id="state-map-caption"') :]
    caption = caption[: caption.index("</figcaption>")]
    assert 'Too small to draw at this scale: <a href="/explore?state=MLT">Malta</a> (1)' in caption


def expected_states_total() -> list[tuple[str, int]]:
    rows = reference_store().query(
        f"{PROLOGUE}SELECT ?s (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a ?c . ?c rdfs:subClassOf* skg:Practice . "
        f"?p {STATE_PATH} ?s . ?s a skg:State }} GROUP BY ?s",
        use_default_graph_as_union=True,
    )
    return [(r["s"].value.rsplit("/", 1)[-1], int(r["n"].value)) for r in rows]  # type: ignore[index]
