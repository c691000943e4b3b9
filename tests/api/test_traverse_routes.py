"""/practices/{id}/duty-bearers and /graph/* on the bundled data: exact answers taken from the sources."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import assert_error

ID = "https://w3id.org/solidarity-kg/id/"
STATES = "https://w3id.org/solidarity-kg/vocab/actor-type/state"
IOS = "https://w3id.org/solidarity-kg/vocab/actor-type/international-organisation"


def bearers(client: TestClient, practice: str, **params: str) -> dict[str, dict[str, object]]:
    response = client.get(f"/practices/{practice}/duty-bearers", params=params)
    assert response.status_code == 200, response.text
    return {b["iri"].removeprefix(ID): b for b in response.json()["duty_bearers"]}


@pytest.mark.parametrize(
    ("practice", "expected"),
    [
        # abusive deployment (A/73/206 para. 44, fns. 111-113): the EU-Turkey joint action plan
        ("A-73-206-44-1", {"actor/io/european-union", "actor/io/european-commission", "actor/state/TUR", STATES, IOS}),
        # solidarity gap (A/73/206 paras. 30 and 40, fns. 75 and 96): the Netherlands denying shelter
        ("A-73-206-30-3", {"actor/state/NLD", STATES}),
        # criminalisation (A/73/206 fn. 8): prosecutions for "crimes of solidarity" in France
        ("A-73-206-10-9", {"actor/state/FRA", "actor/cso/progressive-civil-society-groups", STATES}),
        # good practice (AJIL Unbound essay, "Countering Indifference"): ODA's report on dignified return
        (
            "ajil-unbound-2024-countering-indifference-3",
            {"actor/state/MEX", "actor/city/mexico-city", "actor/cso/otros-dreams-en-accion", "person/ty-kopp", STATES},
        ),
    ],
)
def test_duty_bearers_of_practices(client: TestClient, practice: str, expected: set[str]) -> None:
    assert set(bearers(client, practice)) == expected


def test_state_named_only_in_a_footnote_is_reached_through_the_identification(client: TestClient) -> None:
    netherlands = bearers(client, "A-73-206-30-3")["actor/state/NLD"]
    identification = [p for p in netherlands["paths"] if p["branch"] == "identification"]  # type: ignore[union-attr, index]
    assert identification
    assert {e["label"] for p in identification for s in p["steps"] for e in s["evidence"]} == {
        "A/73/206, fn. 75",
        "A/73/206, fn. 96",
    }


def test_class_level_duty_reaches_the_state_involved(client: TestClient) -> None:
    turkey = bearers(client, "A-73-206-44-1")["actor/state/TUR"]
    class_paths = [p for p in turkey["paths"] if p["branch"].endswith("+class")]  # type: ignore[union-attr, index]
    assert class_paths
    last = class_paths[0]["steps"][-1]
    assert (last["source"], last["target"], last["relation_label"]) == (
        STATES,
        ID + "actor/state/TUR",
        "applies to (class-level duty)",
    )


def test_every_step_names_its_source_paragraph(client: TestClient) -> None:
    for bearer in bearers(client, "A-73-206-44-1").values():
        for path in bearer["paths"]:  # type: ignore[union-attr]
            for step in path["steps"]:
                assert step["evidence"], step
                assert all(e["locator"].startswith(ID + "doc/") and e["label"] for e in step["evidence"])


def test_kind_and_depth_filters(client: TestClient) -> None:
    assert set(bearers(client, "A-73-206-44-1", kind="state")) == {"actor/state/TUR"}
    assert set(bearers(client, "A-73-206-44-1", kind="regional-organisation")) == {
        "actor/io/european-union",
        "actor/io/european-commission",
    }
    assert set(bearers(client, "A-73-206-44-1", depth="1")) == {
        "actor/io/european-union",
        "actor/io/european-commission",
        "actor/state/TUR",
    }
    assert set(bearers(client, "A-73-206-44-1", relations="carriedOutBy")) == {"actor/io/european-union", "actor/state/TUR"}


def test_practice_may_be_given_as_a_curie(client: TestClient) -> None:
    assert set(bearers(client, "skgd:practice/A-73-206-30-3")) == {"actor/state/NLD", STATES}


def test_neighbourhood_and_paths_routes(client: TestClient) -> None:
    result = client.get("/graph/neighbourhood/practice/A-73-206-44-1", params={"depth": 1}).json()
    assert ID + "actor/state/TUR" in {n["iri"] for n in result["nodes"]}
    assert all(e["evidence"] for e in result["edges"] if e["source"] == ID + "practice/A-73-206-44-1")
    paths = client.get("/graph/paths", params={"from": "actor/state/TUR", "to": "actor/io/european-union"}).json()
    assert paths["shortest"][0]["source"] == ID + "actor/state/TUR"
    assert paths["shortest"][-1]["target"] == ID + "actor/io/european-union"


def test_unknown_node_in_paths_names_the_parameter(client: TestClient) -> None:
    body = assert_error(client.get("/graph/paths", params={"from": "actor/state/TUR", "to": "actor/none"}), 404)
    assert body["where"]["parameter"] == "to"  # type: ignore[index]


def test_openapi_documents_every_route_with_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for route in (
        "/sparql",
        "/practices/{practice_id}/duty-bearers",
        "/graph/neighbourhood/{node_id}",
        "/graph/paths",
        "/actors",
        "/practices",
        "/search",
        "/id/{path}",
        "/queries",
    ):
        assert route in paths, route
    operation_ids = {op["operationId"] for item in paths.values() for op in item.values()}
    assert "mandate_holders_by_term" in operation_ids


def test_draft_declaration_versions_side_by_side_with_the_mapping(client: TestClient) -> None:
    result = client.get("/instruments/declaration-international-solidarity/provisions").json()
    versions = [v["iri"].removeprefix(ID + "instrument/declaration-international-solidarity/") for v in result["versions"]]
    assert versions == ["2017", "2023"]
    in_2023 = {p["eId"] for p in result["versions"][1]["provisions"]}
    assert {"art_5", "art_6", "art_6__para_1", "art_6__para_2", "art_6__para_3", "art_8__para_3"} <= in_2023
    statuses = {p["eId"]: p["number_status"] for v in result["versions"] for p in v["provisions"]}
    assert statuses["art_6__para_1"] == "known"
    assert "disputed" in statuses.values() and "unknown" in statuses.values()
    pairs = {(m["from"].rsplit("/", 1)[-1], m["to"].split("/2023/")[-1], m["type"]) for m in result["mapping"]}
    assert ("right-of-peoples-and-individuals", "art/5", "uncertain") in pairs
    assert all(m["evidence"] for m in result["mapping"])
