"""The SPARQL 1.1 Protocol: query forms, media types, dataset, refusals and limits."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from api.app import create_app
from tests.conftest import assert_error, memory_settings
from tests.graph.test_store_behaviour import SLOW

COUNT_STATES = "SELECT (COUNT(?s) AS ?n) WHERE { ?s a <https://w3id.org/solidarity-kg/ontology#State> }"
TYPES = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 5"


def _count_json(response_text: str) -> int:
    return int(json.loads(response_text)["results"]["bindings"][0]["n"]["value"])


def test_get_post_form_and_post_direct_give_the_same_answer(client: TestClient) -> None:
    get = client.get("/sparql", params={"query": COUNT_STATES})
    form = client.post("/sparql", data={"query": COUNT_STATES})
    direct = client.post("/sparql", content=COUNT_STATES, headers={"Content-Type": "application/sparql-query"})
    answers = {_count_json(r.text) for r in (get, form, direct)}
    assert len(answers) == 1 and answers.pop() > 0


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_media_types(client: TestClient, accept: str, expected: str) -> None:
    response = client.get("/sparql", params={"query": COUNT_STATES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected
    if expected == "text/csv":
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows[0] == ["n"] and int(rows[1][0]) > 0
    if expected.endswith("xml"):
        ET.fromstring(response.content)


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/trig", "trig"),
    ],
)
def test_construct_media_types_parse_back(client: TestClient, accept: str, rdflib_format: str) -> None:
    response = client.get("/sparql", params={"query": TYPES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph()
    graph.parse(data=response.content, format=rdflib_format)
    assert len(graph) == 5


def test_ask(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.json()["boolean"] is True


def test_service_description_is_rdf(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(str(o) == sd + "SPARQL11Query" for o in graph.objects())


def test_browser_gets_the_query_editor_with_local_assets(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "/static/vendor/yasgui/yasgui.min.js" in response.text
    assert "cdn" not in response.text.lower()
    assert client.get("/static/vendor/yasgui/yasgui.min.js").status_code == 200


def test_default_graph_uri_restricts_the_dataset(client: TestClient) -> None:
    graph = "https://w3id.org/solidarity-kg/graph/data/core"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    only_core = _count_json(client.get("/sparql", params={"query": query, "default-graph-uri": graph}).text)
    everything = _count_json(client.get("/sparql", params={"query": query}).text)
    assert 0 < only_core < everything


def test_named_graph_uri_limits_graph_clauses(client: TestClient) -> None:
    graph = "https://w3id.org/solidarity-kg/graph/data/core"
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query, "named-graph-uri": graph})
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [graph]


def test_malformed_query_is_400_with_line_and_column(client: TestClient) -> None:
    body = assert_error(client.get("/sparql", params={"query": "SELECT *\nWHERE { ?s ?p }"}), 400, "query_syntax_error")
    assert body["where"] == {"line": 2, "column": 16}


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"update": "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"}},
        {"content": "DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
        {"data": {"query": "PREFIX e: <http://e/> INSERT DATA { e:a e:b e:c }"}},
        {"data": {"query": "LOAD <http://example.org/data.ttl>"}},
        {"data": {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}},
    ],
)
def test_updates_load_and_service_are_refused_and_change_nothing(client: TestClient, request_kwargs: dict[str, object]) -> None:
    before = _count_json(client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).text)
    assert_error(client.post("/sparql", **request_kwargs), 403, "read_only")  # type: ignore[arg-type]
    after = _count_json(client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).text)
    assert before == after


def test_a_string_mentioning_service_is_not_refused(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": 'SELECT ?x WHERE { BIND("SERVICE" AS ?x) }'})
    assert response.status_code == 200


def test_unknown_accept_is_406_listing_supported_types(client: TestClient) -> None:
    body = assert_error(client.get("/sparql", params={"query": COUNT_STATES}, headers={"Accept": "image/png"}), 406)
    assert "text/csv" in body["where"]["supported"]  # type: ignore[index]


def test_bad_content_type_is_415(client: TestClient) -> None:
    assert_error(client.post("/sparql", content="x", headers={"Content-Type": "text/plain"}), 415)


def test_row_cap_truncates_and_flags() -> None:
    with TestClient(create_app(memory_settings(max_rows=3, on_limit="truncate"))) as capped:
        response = capped.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 3
    assert response.json()["truncated"] is True
    assert response.headers["X-Result-Truncated"].startswith("true")
    assert "SKG_MAX_ROWS" in response.headers["X-Result-Truncated"]


def test_time_limit_stops_a_long_query_and_names_the_setting() -> None:
    with TestClient(create_app(memory_settings(query_timeout=1.0))) as limited:
        body = assert_error(limited.get("/sparql", params={"query": SLOW}), 503, "query_limit")
        assert body["where"]["setting"] == "SKG_QUERY_TIMEOUT"  # type: ignore[index]
        assert limited.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
