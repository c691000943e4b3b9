"""Every catalogue question gives the same answer on the embedded store, an Oxigraph server and Virtuoso.

The service runs in-process (as ``tests/test_competency.py`` runs it) once per
backend on the bundled data; the servers are started here on 127.0.0.1 and
stopped by their PID (``tests/graph/test_store_behaviour.py``). "The same" is
the whole answer: every column and every row, in order where the query orders
them, and the expected answers of ``tests/competency/`` on every backend.
Virtuoso runs with a result cap above the service's, as docs/remote-store.md
advises; the behaviour suite covers a stock cap.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import REPOSITORY
from graph.backends.remote import RemoteStore
from graph.catalogue import Catalogue
from graph.errors import BackendUnavailableError
from graph.store import QueryRequest
from tests.conftest import assert_error, memory_settings
from tests.graph.test_store_behaviour import SLOW, Server, start_oxigraph, start_virtuoso

CASES = sorted((REPOSITORY / "tests" / "competency").glob("*.json"))
SERVERS = ["oxigraph", "virtuoso"]
PRACTICES = ["A-73-206-10-1", "A-73-206-13-1", "A-73-206-30-3", "A-73-206-37-1", "A-73-206-27-1"]


def _client(settings: Any) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def embedded(client: TestClient) -> TestClient:
    """The shared in-memory service of tests/conftest.py."""
    return client


@pytest.fixture(scope="module", params=SERVERS)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(request.param)
    started = start_oxigraph(folder) if request.param == "oxigraph" else start_virtuoso(folder, max_rows=1_000_000)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def remote(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The service on the bundled data, over the server."""
    settings = memory_settings(
        store="remote",
        store_path=tmp_path_factory.mktemp("state"),
        remote_query_url=server.query_url,
        remote_update_url=server.update_url,
        remote_store_url=server.store_url,
        query_timeout=30.0,
    )
    yield from _client(settings)


def _answer(client: TestClient, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
    response = client.get(path, params=params or {}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def _cell(term: dict[str, str] | None) -> tuple[str, ...]:
    """A comparable cell (blank nodes are relabelled by every server, so only their kind counts)."""
    if term is None:
        return ()
    if term["type"] == "bnode":
        return ("bnode",)
    kind = "uri" if term["type"] == "uri" else "literal"
    return (kind, term["value"], term.get("datatype", ""), term.get("xml:lang", ""))


def _rows(document: dict[str, Any]) -> list[tuple[tuple[str, ...], ...]]:
    variables = document["head"]["vars"]
    return sorted(tuple(_cell(b.get(v)) for v in variables) for b in document["results"]["bindings"])


def _first_key(document: dict[str, Any], name: str) -> list[tuple[str, ...]] | None:
    """The column of the query's first ORDER BY variable, in answer order (SPARQL leaves ties in any order)."""
    match = re.search(r"ORDER BY\s+\?(\w+)", _text(name), re.IGNORECASE)
    if match is None:
        return None
    variable = next((v for v in document["head"]["vars"] if v.upper() == match.group(1)), None)
    if variable is None:
        return None
    return [_cell(b.get(variable)) for b in document["results"]["bindings"]]


def _text(name: str) -> str:
    return " ".join(Catalogue.load(REPOSITORY / "queries").get(name).text.upper().split())


ENGINE_DEFINED = re.compile(r"\b(GROUP_CONCAT|SAMPLE)\s*\(", re.IGNORECASE)
"""Aggregates whose value SPARQL leaves to the engine (order of a concatenation, which value is a sample)."""

SECTION_PATH = re.compile(r"skg:partOfSection[?*+]")
"""A section path (``partOfSection?``): joined with other patterns it loses rows on Virtuoso 7.2.5, even inside
FILTER EXISTS. ``OPTIONAL { ?s skg:partOfSection ?parent }`` with a COALESCE filter says the same everywhere."""


@pytest.mark.parametrize("path", sorted((REPOSITORY / "queries").glob("*.rq")), ids=lambda p: p.stem)
def test_no_catalogue_question_leaves_its_answer_to_the_engine(path: Path) -> None:
    """One value per row: the views (queries/views/, whose concatenations the code splits and sorts) aside."""
    text = path.read_text()
    assert not ENGINE_DEFINED.search(text), f"{path.name}: GROUP_CONCAT or SAMPLE gives engine-dependent values"
    assert not SECTION_PATH.search(text), f"{path.name}: match the section and its parent without a property path"


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_every_catalogue_question_gives_the_embedded_stores_answer(
    embedded: TestClient, remote: TestClient, server: Server, case: Path
) -> None:
    spec = json.loads(case.read_text())
    name = case.stem.split("__")[0]
    want = _answer(embedded, f"/queries/{name}", spec.get("params"))
    response = remote.get(
        f"/queries/{name}", params=spec.get("params", {}), headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    got = response.json()
    if "boolean" in want:
        assert got.get("boolean") is want["boolean"] is spec["expected"]
        return
    assert got["head"]["vars"] == want["head"]["vars"]
    assert _rows(got) == _rows(want)
    assert _first_key(got, name) == _first_key(want, name)
    columns = spec["columns"]
    found = {tuple(row.get(c, {}).get("value") for c in columns) for row in got["results"]["bindings"]}
    assert found == {tuple(row) for row in spec["expected"]}


@pytest.mark.parametrize("practice", PRACTICES)
def test_duty_bearer_explanations_are_identical(embedded: TestClient, remote: TestClient, server: Server, practice: str) -> None:
    """Paths, steps and the evidence on each step: the same whatever order the engine returns rows in."""
    want = embedded.get(f"/practices/{practice}/duty-bearers")
    got = remote.get(f"/practices/{practice}/duty-bearers")
    assert want.status_code == got.status_code == 200, got.text
    assert got.json() == want.json()


def test_paths_between_two_nodes_are_identical(embedded: TestClient, remote: TestClient, server: Server) -> None:
    params = {"from": "actor/state/HUN", "to": "actor/io/european-union"}
    want = embedded.get("/graph/paths", params=params)
    got = remote.get("/graph/paths", params=params)
    assert want.status_code == got.status_code, got.text
    assert got.json() == want.json()


@pytest.mark.parametrize("path", ["/id/actor/state/HUN", "/vocab/gap-kind/north-north", "/id/doc/A-73-206/para/37"])
def test_resource_pages_answer_as_rdf(embedded: TestClient, remote: TestClient, server: Server, path: str) -> None:
    """The /id/… and /vocab/… pages run CONSTRUCT queries: the remote store asks the server for triples, not JSON results."""
    want = embedded.get(path, headers={"Accept": "application/n-triples"})
    got = remote.get(path, headers={"Accept": "application/n-triples"})
    assert want.status_code == got.status_code == 200, got.text
    assert sorted(got.text.splitlines()) == sorted(want.text.splitlines())


@pytest.mark.parametrize("path", ["/id/actor/state/HUN", "/id/practice/A-73-206-37-1", "/vocab/gap-kind/north-north"])
def test_resource_pages_people_read_are_identical(embedded: TestClient, remote: TestClient, path: str) -> None:
    """The description behind the HTML page, as JSON: the same facts, labels and evidence on every backend."""
    want = embedded.get(path, headers={"Accept": "application/json"})
    got = remote.get(path, headers={"Accept": "application/json"})
    assert want.status_code == got.status_code == 200, got.text
    assert got.json() == want.json()
    page = remote.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and want.json()["label"] in page.text


def test_the_sparql_endpoint_never_shows_the_meta_graph(remote: TestClient, embedded: TestClient) -> None:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    want = embedded.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    got = remote.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert got.status_code == want.status_code == 200, got.text
    assert got.json()["results"] == want.json()["results"]
    assert "graph/meta" not in got.text


def test_a_server_timeout_is_a_504_naming_the_server(server: Server, tmp_path: Path) -> None:
    settings = memory_settings(
        store="remote",
        store_path=tmp_path,
        remote_query_url=server.query_url,
        remote_update_url=server.update_url,
        remote_store_url=server.store_url,
        query_timeout=1.0,
    )
    for client in _client(settings):
        response = client.post("/sparql", data={"query": SLOW}, headers={"Accept": "application/sparql-results+json"})
        body = assert_error(response, 504, "remote_timeout")
        assert server.query_url in str(body["message"]) and body["where"]["setting"] == "SKG_QUERY_TIMEOUT"  # type: ignore[index]


def test_a_server_error_is_a_502_naming_the_server_and_its_message(remote: TestClient, server: Server) -> None:
    """Virtuoso fails on a division by zero (SPARQL makes it unbound); a gone server is a 502 too."""
    response = remote.post("/sparql", data={"query": "SELECT ?x WHERE { BIND(1/0 AS ?x) }"})
    if server.name == "oxigraph":
        assert response.status_code == 200
    else:
        body = assert_error(response, 502, "remote_server_error")
        assert server.query_url in str(body["message"]) and "Virtuoso" in str(body["message"])
    gone = RemoteStore("http://127.0.0.1:9/sparql")
    with pytest.raises(BackendUnavailableError) as info:
        gone.query(QueryRequest("ASK {}"))
    assert "http://127.0.0.1:9/sparql" in info.value.message
    gone.close()
