"""One JSON error body on every error path, naming the problem and where."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import assert_error


def test_unknown_route(client: TestClient) -> None:
    body = assert_error(client.get("/no/such/route"), 404, "not_found")
    assert body["where"] == {"path": "/no/such/route"}


def test_unknown_catalogue_query_names_it(client: TestClient) -> None:
    body = assert_error(client.get("/queries/no_such_question"), 404)
    assert "no_such_question" in str(body["message"])


def test_bad_catalogue_parameter_names_it(client: TestClient) -> None:
    name = next(q["name"] for q in client.get("/queries").json() if any(p["type"] == "iri" for p in q["params"]))
    query = next(q for q in client.get("/queries").json() if q["name"] == name)
    parameter = next(p["name"] for p in query["params"] if p["type"] == "iri")
    body = assert_error(client.get(f"/queries/{name}", params={parameter: "not an iri"}), 422, "invalid_parameter")
    assert body["where"]["parameter"] == parameter  # type: ignore[index]


def test_undeclared_catalogue_parameter_is_refused(client: TestClient) -> None:
    name = client.get("/queries").json()[0]["name"]
    body = assert_error(client.get(f"/queries/{name}", params={"colour": "red"}), 422)
    assert body["where"]["parameter"] == "colour"  # type: ignore[index]


def test_unknown_practice_names_the_id(client: TestClient) -> None:
    body = assert_error(client.get("/practices/no-such-practice/duty-bearers"), 404, "not_found")
    assert body["where"]["identifier"].endswith("practice/no-such-practice")  # type: ignore[index]


def test_out_of_range_depth_names_the_parameter(client: TestClient) -> None:
    body = assert_error(client.get("/practices/A-73-206-10-1/duty-bearers", params={"depth": 99}), 422)
    assert body["where"]["parameter"] == "depth"  # type: ignore[index]


def test_unknown_kind_filter_names_the_parameter(client: TestClient) -> None:
    body = assert_error(client.get("/practices/A-73-206-10-1/duty-bearers", params={"kind": "dragon"}), 422)
    assert body["where"]["parameter"] == "kind"  # type: ignore[index]


def test_unknown_listing_filter_lists_the_filters(client: TestClient) -> None:
    body = assert_error(client.get("/practices", params={"colour": "red"}), 422)
    assert body["where"]["parameter"] == "colour"  # type: ignore[index]
    assert "category" in str(body["message"])


def test_concept_filter_outside_its_scheme_lists_the_values(client: TestClient) -> None:
    body = assert_error(client.get("/practices", params={"category": "heroic"}), 422)
    assert "good-practice" in body["where"]["expected"]  # type: ignore[index, operator]


def test_malformed_date_filter(client: TestClient) -> None:
    assert_error(client.get("/practices", params={"from": "last year"}), 422)


def test_unknown_resource_page(client: TestClient) -> None:
    body = assert_error(client.get("/id/practice/nothing-here", headers={"Accept": "application/json"}), 404)
    assert "practice/nothing-here" in str(body["where"]["identifier"])  # type: ignore[index]


def test_unsupported_rdf_format(client: TestClient) -> None:
    assert_error(client.get("/id/actor/state/MEX", params={"format": "pdf"}), 406)


def test_empty_search_is_refused(client: TestClient) -> None:
    body = assert_error(client.get("/search", params={"q": ""}), 422)
    assert body["where"]["parameter"] == "q"  # type: ignore[index]


def test_oversized_query_names_the_setting(client: TestClient) -> None:
    body = assert_error(client.post("/sparql", data={"query": "#" * 200_000}), 413)
    assert body["where"]["setting"] == "SKG_MAX_QUERY_BYTES"  # type: ignore[index]
