"""One question, one answer: ``/graph/*``, ``/views/*`` and the traversal agree on the bundled data.

Each case asks the same network question through the endpoints that can
answer it and compares what comes back: the nodes of a neighbourhood, the
links (source, relation, target) with their labels and evidence, and the
errors a misspelt filter gets.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import assert_error

ID = "https://w3id.org/solidarity-kg/id/"
SKG = "https://w3id.org/solidarity-kg/ontology#"
Link = tuple[str, str, str]

NEIGHBOURHOODS = [
    pytest.param("actor/state/ITA", {"types": "Practice"}, id="superclass-type"),
    pytest.param("actor/state/ITA", {"types": "GoodPractice,State", "depth": "2"}, id="two-types-depth-2"),
    pytest.param("actor/state/HUN", {"predicates": "skg:carriedOutBy"}, id="curie-predicate"),
    pytest.param("actor/state/HUN", {"predicates": "carriedOutBy,location", "depth": "2"}, id="local-names-depth-2"),
    pytest.param("actor/state/TUR", {"predicates": SKG + "carriedOutBy", "types": "Practice"}, id="iri-predicate"),
    pytest.param("actor/state/TUR", {}, id="no-filter"),
]


def from_graph_endpoint(client: TestClient, node: str, options: dict[str, str]) -> tuple[set[str], set[Link]]:
    response = client.get(f"/graph/neighbourhood/{node}", params={**options, "limit": "5000"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body["truncated"]
    return {n["iri"] for n in body["nodes"]}, {(e["source"], e["relation"], e["target"]) for e in body["edges"]}


def node_link(client: TestClient, view: str, params: dict[str, str]) -> dict[str, Any]:
    response = client.get(f"/views/{view}", params={**params, "format": "node-link"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def from_views_endpoint(client: TestClient, node: str, options: dict[str, str]) -> tuple[set[str], set[Link]]:
    body = node_link(client, "ego", {"node": node, **options})
    return {n["id"] for n in body["nodes"]}, {(e["source"], e["relation"], e["target"]) for e in body["links"]}


@pytest.mark.parametrize(("node", "options"), NEIGHBOURHOODS)
def test_neighbourhood_and_ego_view_give_the_same_nodes_and_links(client: TestClient, node: str, options: dict[str, str]) -> None:
    graph_nodes, graph_links = from_graph_endpoint(client, node, options)
    view_nodes, view_links = from_views_endpoint(client, node, options)
    assert ID + node in graph_nodes
    assert len(graph_nodes) > 1, "the case should find a neighbourhood, not only the centre"
    assert graph_nodes == view_nodes
    assert graph_links == view_links


def test_a_superclass_type_keeps_its_subclasses_in_both(client: TestClient) -> None:
    nodes, _links = from_graph_endpoint(client, "actor/state/ITA", {"types": "Practice"})
    types = {n["type"] for n in client.get("/graph/neighbourhood/actor/state/ITA", params={"types": "Practice"}).json()["nodes"]}
    assert len(nodes) >= 4
    assert types - {"State"} <= {
        "GoodPractice",
        "SolidarityGap",
        "AbusiveDeployment",
        "Criminalisation",
        "MandateActivity",
        "Practice",
    }


@pytest.mark.parametrize("parameter", ["types", "predicates"])
@pytest.mark.parametrize(
    "url", ["/graph/neighbourhood/actor/state/ITA?{p}=Practise", "/views/ego?node=actor/state/ITA&{p}=Practise"]
)
def test_a_misspelt_filter_is_the_same_422_everywhere(client: TestClient, url: str, parameter: str) -> None:
    body = assert_error(client.get(url.format(p=parameter)), 422, "invalid_parameter")
    assert body["where"]["parameter"] == parameter  # type: ignore[index]


def test_paths_use_the_links_of_the_whole_view(client: TestClient) -> None:
    whole = node_link(client, "whole", {})
    links = {(e["source"], e["relation"], e["target"]): e for e in whole["links"]}
    body = client.get("/graph/paths", params={"from": "actor/state/ITA", "to": "actor/state/HUN", "max_length": "3"}).json()
    steps = [step for path in body["paths"] for step in path]
    assert steps, "Italy and Hungary should be linked within 3 links"
    for step in steps:
        u, v = (step["target"], step["source"]) if step["inverse"] else (step["source"], step["target"])
        link = links[(u, step["relation"], v)]
        assert (step["relation_label"], step["evidence"]) == (link["label"], link["evidence"])


def test_paths_read_a_curie_predicate_like_the_views(client: TestClient) -> None:
    curie = client.get(
        "/graph/paths", params={"from": "actor/state/ITA", "to": "actor/state/HUN", "predicates": "skg:location,skg:carriedOutBy"}
    ).json()
    local = client.get(
        "/graph/paths", params={"from": "actor/state/ITA", "to": "actor/state/HUN", "predicates": "location,carriedOutBy"}
    ).json()
    assert curie == local


PRACTICES = ["A-73-206-44-1", "A-73-206-37-2", "A-73-206-10-1"]


@pytest.mark.parametrize("practice", PRACTICES)
def test_duty_bearer_traversal_and_view_give_the_same_links_and_evidence(client: TestClient, practice: str) -> None:
    response = client.get(f"/practices/{practice}/duty-bearers")
    assert response.status_code == 200, response.text
    traversal: dict[Link, set[str]] = {}
    for bearer in response.json()["duty_bearers"]:
        for path in bearer["paths"]:
            for step in path["steps"]:
                u, v = (step["target"], step["source"]) if step["inverse"] else (step["source"], step["target"])
                traversal.setdefault((u, step["relation"], v), set()).update(e["label"] for e in step["evidence"])
    view = node_link(client, "duty_bearers", {"practice": practice})
    drawn = {(e["source"], e["relation"], e["target"]): set(filter(None, e["evidence"].split("; "))) for e in view["links"]}
    assert traversal, f"{practice} should have duty-bearers"
    assert drawn == traversal


def test_the_same_traversal_twice_is_the_same_answer(client: TestClient) -> None:
    first = client.get("/practices/A-73-206-37-2/duty-bearers").json()
    again = client.get("/practices/A-73-206-37-2/duty-bearers?depth=5").json()
    assert first == again
