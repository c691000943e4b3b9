"""Views that stay small at any size: the summary by class, and the size limit on the big query views."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import assert_error, memory_settings

SKG = "https://w3id.org/solidarity-kg/ontology#"


@pytest.fixture(scope="module")
def small_limit() -> Iterator[TestClient]:
    with TestClient(create_app(memory_settings(max_view_triples=1_000))) as client:
        yield client


def _count(client: TestClient, query: str) -> int:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_the_types_view_has_one_node_per_class_with_its_count(client: TestClient) -> None:
    response = client.get("/views/types", params={"format": "node-link"})
    assert response.status_code == 200, response.text
    nodes = {node["id"]: node["label"] for node in response.json()["nodes"]}
    assert all(iri.startswith(SKG) for iri in nodes)
    good = nodes[SKG + "GoodPractice"]
    counted = re.fullmatch(r"Good practice \((\d+)\)", good)
    assert counted, good
    assert int(counted.group(1)) == _count(client, f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{SKG}GoodPractice> }}")
    assert int(response.headers["x-view-nodes"]) == len(nodes) < 100


def test_the_types_view_counts_each_node_under_its_stated_classes_only(client: TestClient) -> None:
    """The superclass types materialised at load (skg:Practice: no node states it) are no nodes there."""
    body = client.get("/views/types", params={"format": "node-link"}).json()
    classes = {node["id"] for node in body["nodes"]}
    stated = f"""SELECT (COUNT(*) AS ?n) WHERE {{ ?x a <{SKG}Practice>
        FILTER NOT EXISTS {{ GRAPH <https://w3id.org/solidarity-kg/graph/inferred/types> {{ ?x a <{SKG}Practice> }} }} }}"""
    assert _count(client, stated) == 0 < _count(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x a <{SKG}Practice> }}")
    assert SKG + "Practice" not in classes and SKG + "GoodPractice" in classes


def test_a_types_link_counts_the_links_it_stands_for(client: TestClient) -> None:
    body = client.get("/views/types", params={"format": "node-link"}).json()
    links = [
        link
        for link in body["links"]
        if (link["source"], link["key"], link["target"]) == (SKG + "GoodPractice", SKG + "carriedOutBy", SKG + "State")
    ]
    assert len(links) == 1
    want = _count(
        client,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?g ?p ?s WHERE {{ GRAPH ?g {{ ?p <{SKG}carriedOutBy> ?s }} "
        f"?p a <{SKG}GoodPractice> . ?s a <{SKG}State> }} }}",
    )
    assert links[0]["evidence"] == (f"{want} links" if want != 1 else "1 link")


@pytest.mark.parametrize("view", ["whole", "practices", "obligations"])
def test_a_big_query_view_is_refused_naming_the_small_ones(small_limit: TestClient, view: str) -> None:
    body = assert_error(small_limit.get(f"/views/{view}"), 400, "view_too_large")
    assert body["where"]["setting"] == "SKG_MAX_VIEW_TRIPLES"
    assert body["where"]["limit"] == 1_000 < body["where"]["triples"]
    assert "/views/types" in body["message"]
    assert_error(small_limit.get("/viewer/export", params={"view": view, "format": "csv"}), 400, "view_too_large")


@pytest.mark.parametrize(
    "path",
    [
        "/views/ego?node=actor/state/MEX",
        "/graph/neighbourhood/actor/state/MEX",
        "/graph/paths?from=actor/state/MEX&to=actor/io/european-union",
        "/viewer/export?view=duty_bearers&practice=A-73-206-37-1&expanded=actor/state/MEX&format=csv",
    ],
)
def test_what_searches_the_whole_view_is_refused_beyond_the_limit(small_limit: TestClient, path: str) -> None:
    """A neighbourhood or a path is searched in the whole view: beyond the limit it would build it."""
    body = assert_error(small_limit.get(path), 400, "view_too_large")
    assert body["where"]["limit"] == 1_000 < body["where"]["triples"]
    assert "/views/types" in body["message"] and "/views/ego" not in body["message"]


def test_the_small_views_still_answer_beyond_the_limit(small_limit: TestClient) -> None:
    assert small_limit.get("/views/types").status_code == 200
    assert small_limit.get("/views/duty_bearers", params={"practice": "A-73-206-37-1"}).status_code == 200
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"
    assert small_limit.get("/views/query", params={"construct": construct}).status_code == 200


def test_withdrawn_iris_stay_out_of_the_whole_view(client: TestClient) -> None:
    """A stub's link to its successor is no fact of the sources (A-73-206-40-4 is replaced by A-73-206-40-3)."""
    nodes = {node["id"] for node in client.get("/views/whole", params={"format": "node-link"}).json()["nodes"]}
    replaced = _count(client, "SELECT (COUNT(DISTINCT ?old) AS ?n) WHERE { ?old <http://purl.org/dc/terms/isReplacedBy> ?new }")
    assert replaced > 0
    assert "https://w3id.org/solidarity-kg/id/practice/A-73-206-40-4" not in nodes
    assert "https://w3id.org/solidarity-kg/id/practice/A-73-206-40-3" in nodes
