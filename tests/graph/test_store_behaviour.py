"""The same behaviour from both backends: embedded Oxigraph workers and a remote Oxigraph server."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.backends.factory import open_store
from graph.errors import QueryLimitError, QuerySyntaxError
from graph.loader import content_sources, load_dataset
from graph.store import QueryRequest, Store, StoreConfig, select
from tests.conftest import free_port, wait_until_responds

DATA = {
    "people.ttl": """@prefix ex: <http://example.org/> .
ex:ada ex:knows ex:bob , ex:cy ; ex:name "Ada"@en .
ex:bob ex:knows ex:cy ; ex:name "Bob"@en .
""",
    "more.ttl": '<http://example.org/cy> <http://example.org/name> "Cy"@en .\n',
}
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ 1 2 3 4 5 6 7 8 9 10 }}" for i in range(10)) + " }"
)  # 10^10 rows: minutes of work whatever the data


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[str, str], ...]:
    root = tmp_path_factory.mktemp("content")
    (root / "ontology").mkdir()
    (root / "data").mkdir()
    (root / "ontology" / "solidarity.ttl").write_text("<http://example.org/O> a <http://example.org/Ontology> .\n")
    for name, text in DATA.items():
        (root / "data" / name).write_text(text)
    return content_sources(root / "ontology", root / "data")


def _oxigraph_server(location: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.skip("the `oxigraph` server CLI (PyPI package oxigraph) is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_responds(base + "/query")
    return process, base


@pytest.fixture(scope="module", params=["embedded", "remote"])
def store(
    request: pytest.FixtureRequest, content: tuple[tuple[str, str], ...], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    if request.param == "embedded":
        opened = open_store(StoreConfig(kind="memory", sources=content, workers=1))
        yield opened
        opened.close()
        return
    process, base = _oxigraph_server(tmp_path_factory.mktemp("oxigraph"))
    try:
        remote = open_store(
            StoreConfig(
                kind="remote",
                remote_query_url=base + "/query",
                remote_update_url=base + "/update",
                remote_store_url=base + "/store",
            )
        )
        load_dataset(remote, content)
        yield remote
        remote.close()
    finally:
        process.kill()  # stopped by its PID
        process.wait(timeout=10)


def test_default_graph_is_the_union_of_named_graphs(store: Store) -> None:
    rows = select(store, "SELECT ?name WHERE { ?s <http://example.org/name> ?name } ORDER BY ?name")
    assert [r["name"]["value"] for r in rows] == ["Ada", "Bob", "Cy"]


def test_each_file_is_its_own_named_graph(store: Store) -> None:
    rows = select(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {r["g"]["value"]: int(r["n"]["value"]) for r in rows}
    assert counts["https://w3id.org/solidarity-kg/graph/data/people"] == 5
    assert counts["https://w3id.org/solidarity-kg/graph/data/more"] == 1


def test_bindings_are_applied_before_aggregation(store: Store) -> None:
    text = "SELECT (COUNT(?o) AS ?n) WHERE { ?who <http://example.org/knows> ?o }"
    rows = select(store, text, substitutions={"who": ("uri", "http://example.org/ada")})
    assert rows[0]["n"]["value"] == "2"


def test_row_cap_truncates_and_says_so(store: Store) -> None:
    output = store.query(QueryRequest("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", max_rows=2))
    document = json.loads(output.body)
    assert len(document["results"]["bindings"]) == 2
    assert output.truncated and document["truncated"] is True


@pytest.mark.parametrize("media_type", ["text/csv", "text/tab-separated-values", "application/sparql-results+xml"])
def test_select_in_each_results_format(store: Store, media_type: str) -> None:
    output = store.query(
        QueryRequest("SELECT ?name WHERE { <http://example.org/ada> <http://example.org/name> ?name }", media_type=media_type)
    )
    assert output.media_type == media_type
    assert b"Ada" in output.body


def test_construct_returns_triples(store: Store) -> None:
    output = store.query(QueryRequest("CONSTRUCT WHERE { ?s <http://example.org/knows> ?o }", media_type="application/n-triples"))
    assert output.kind == "graph"
    assert output.body.decode().count(" .\n") == 3


def test_malformed_query_is_a_syntax_error(store: Store) -> None:
    with pytest.raises(QuerySyntaxError):
        store.query(QueryRequest("SELECT * WHERE { ?s ?p }"))


def test_a_query_that_would_run_for_minutes_is_stopped_at_the_deadline(store: Store) -> None:
    started = time.monotonic()
    with pytest.raises(QueryLimitError) as info:
        store.query(QueryRequest(SLOW, timeout=1.0))
    assert time.monotonic() - started < 5
    assert info.value.where["limit"] == "timeout"
    # the store still answers afterwards (a fresh worker, or the server)
    deadline = time.monotonic() + 30
    while True:
        try:
            rows = select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=10)
            break
        except QueryLimitError:
            if time.monotonic() > deadline:
                raise
    assert int(rows[0]["n"]["value"]) >= 7


def test_bindings_reach_filters_in_nested_groups(store: Store) -> None:
    """A parameter used only in a FILTER inside a UNION branch is bound there too (not a trailing VALUES join)."""
    text = """SELECT ?name WHERE {
      { ?s <http://example.org/name> ?name FILTER(?s = ?who) }
      UNION { ?s <http://example.org/knows> ?x . ?x <http://example.org/name> ?name FILTER(?s = ?who) }
    } ORDER BY ?name"""
    rows = select(store, text, substitutions={"who": ("uri", "http://example.org/bob")})
    assert [r["name"]["value"] for r in rows] == ["Bob", "Cy"]
