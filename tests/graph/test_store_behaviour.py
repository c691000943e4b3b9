"""The same behaviour from every backend: the embedded store, an Oxigraph server and Virtuoso.

Both servers are real processes started here on 127.0.0.1 (free ports, their
own temporary folders) and stopped by their PID. Virtuoso runs with its
default result cap (``ResultSetMaxRows = 10000``), so the tests see what a
user of a stock Virtuoso sees.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.backends.factory import open_store
from graph.backends.remote import RemoteStore
from graph.backends.workers import PooledStore
from graph.errors import (
    AnswerLimitError,
    DataLoadError,
    GraphError,
    QueryLimitError,
    QuerySyntaxError,
    RemoteServerError,
    RemoteTimeoutError,
)
from graph.loader import content_sources, graph_counts, load_dataset, prepare_directory_store
from graph.store import QueryRequest, Store, StoreConfig, select
from tests.conftest import free_port, wait_until_responds

EX = "http://example.org/"
GRAPH = "https://w3id.org/solidarity-kg/graph/"
META_GRAPH = GRAPH + "meta"
"""Where the fingerprint used to be kept on the server; a name users may try."""
DATA = {
    "people.ttl": """@prefix ex: <http://example.org/> .
ex:ada ex:knows ex:bob , ex:cy ; ex:name "Ada"@en .
ex:bob ex:knows ex:cy ; ex:name "Bob"@en .
""",
    "more.ttl": '<http://example.org/cy> <http://example.org/name> "Cy"@en .\n',
    "places.ttl": """@prefix ex: <http://example.org/> .
ex:ada ex:address [ ex:city "Paris" ; ex:street [ ex:line "1 rue X" ] ] .
""",
}
TRIPLES = {"people": 5, "more": 1, "places": 4}
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ 1 2 3 4 5 6 7 8 9 10 }}" for i in range(10)) + " }"
)  # 10^10 rows: minutes of work whatever the data
DIGITS = " ".join(str(i) for i in range(10))
_TWO_THOUSAND = f"VALUES ?a {{ {DIGITS} }} VALUES ?b {{ {DIGITS} }} VALUES ?c {{ {DIGITS} }} VALUES ?d {{ 0 1 }}"
MANY_ROWS = f"SELECT ?a ?b ?c ?d WHERE {{ {_TWO_THOUSAND} }}"  # 2,000 rows, without data
MANY_TRIPLES = (
    f"CONSTRUCT {{ ?s <{EX}v> ?d }} WHERE {{ {_TWO_THOUSAND} "
    f"BIND(IRI(CONCAT('{EX}', STR(?a), STR(?b), STR(?c))) AS ?s) }}"
)  # 2,000 triples
VIRTUOSO_ROWS = 1000
"""The result cap the test Virtuoso is configured with (its default is 10,000: same code path, smaller answers)."""
BACKENDS = ["embedded", "oxigraph", "virtuoso"]
SERVERS_ONLY = pytest.mark.parametrize("backend", ["oxigraph", "virtuoso"], indirect=True)
"""For what only a server can get wrong (what it keeps, what it refuses); the same server processes as the suite's."""


# -- servers, started and stopped by PID (also used by tests/graph/test_remote_catalogue.py) --------------


@dataclass
class Server:
    """A running SPARQL server: its process and the URLs the remote store is configured with."""

    name: str
    process: subprocess.Popen[bytes]
    query_url: str
    update_url: str
    store_url: str

    def config(self, **extra: object) -> StoreConfig:
        """A StoreConfig for this server."""
        return StoreConfig(
            kind="remote",
            remote_query_url=self.query_url,
            remote_update_url=self.update_url,
            remote_store_url=self.store_url,
            **extra,  # type: ignore[arg-type]
        )

    def stop(self) -> None:
        """Stop the server by its PID."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_oxigraph(folder: Path) -> Server:
    """``oxigraph serve --union-default-graph`` (PyPI package oxigraph) on a free loopback port, its store in ``folder``.

    With the union default graph and nothing but the content graphs, queries go to it as they are;
    Virtuoso, which keeps graphs of its own, gets every query with its dataset named.
    """
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.skip("the `oxigraph` server CLI (PyPI package oxigraph) is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_responds(base + "/query")
    return Server("oxigraph", process, base + "/query", base + "/update", base + "/store")


VIRTUOSO_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {db}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
MaxClientConnections = 10
ServerThreads = 10
EnabledDavVSP = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


def start_virtuoso(folder: Path, max_rows: int = VIRTUOSO_ROWS, buffers: int = 10_000) -> Server:
    """Virtuoso (Debian package virtuoso-opensource) on free loopback ports, with a fresh database in ``folder``.

    Queries go to ``/sparql`` anonymously; loading to ``/sparql-auth`` and
    ``/sparql-graph-crud-auth`` as ``dba`` (HTTP Digest, the password of a new database).
    """
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.skip("Virtuoso (Debian package virtuoso-opensource) is not installed")
    db = folder / "db"
    db.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            db=db,
            sql_port=sql_port,
            http_port=http_port,
            max_rows=max_rows,
            buffers=buffers,
            dirty=buffers * 3 // 4,
        )
    )
    log = (folder / "virtuoso.out").open("wb")
    process = subprocess.Popen([binary, "-f", "-c", str(ini)], cwd=folder, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_responds(base + "/sparql?query=ASK%20%7B%7D", timeout=120)
    except TimeoutError:
        process.kill()
        raise
    auth = f"http://dba:dba@127.0.0.1:{http_port}"
    return Server("virtuoso", process, base + "/sparql", auth + "/sparql-auth", auth + "/sparql-graph-crud-auth")


def start_server(name: str, folder: Path) -> Server:
    """Start the named server (``oxigraph`` or ``virtuoso``)."""
    return start_oxigraph(folder) if name == "oxigraph" else start_virtuoso(folder)


# -- fixtures -------------------------------------------------------------------------------------------


def write_content(root: Path, files: dict[str, str]) -> tuple[tuple[str, str], ...]:
    (root / "ontology").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "ontology" / "solidarity.ttl").write_text("<http://example.org/O> a <http://example.org/Ontology> .\n")
    for name, text in files.items():
        (root / "data" / name).write_text(text)
    return content_sources(root / "ontology", root / "data")


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[str, str], ...]:
    return write_content(tmp_path_factory.mktemp("content"), DATA)


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server | None]:
    """None for the embedded store, else a running server."""
    if request.param == "embedded":
        yield None
        return
    server = start_server(request.param, tmp_path_factory.mktemp(request.param))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def store(backend: Server | None, content: tuple[tuple[str, str], ...]) -> Iterator[Store]:
    if backend is None:
        opened = open_store(StoreConfig(kind="memory", sources=content, workers=1))
        yield opened
        opened.close()
        return
    remote = open_store(backend.config())
    load_dataset(remote, content)
    yield remote
    remote.close()


def name_of(backend: Server | None) -> str:
    return "embedded" if backend is None else backend.name


# -- the suite ------------------------------------------------------------------------------------------


def test_default_graph_is_the_union_of_named_graphs(store: Store) -> None:
    rows = select(store, "SELECT ?name WHERE { ?s <http://example.org/name> ?name } ORDER BY ?name")
    assert [r["name"]["value"] for r in rows] == ["Ada", "Bob", "Cy"]


def test_each_file_is_its_own_named_graph(store: Store) -> None:
    rows = select(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {r["g"]["value"]: int(r["n"]["value"]) for r in rows}
    assert counts == {GRAPH + "ontology/solidarity": 1, **{GRAPH + "data/" + k: v for k, v in TRIPLES.items()}}


def test_users_see_only_the_content_graphs_never_the_servers_own(store: Store, backend: Server | None) -> None:
    """Whatever the server keeps beside our data (Virtuoso's system graphs) is out of every answer, even named."""
    if isinstance(store, RemoteStore):  # the fingerprint is not on the server
        assert set(store.graph_sizes()) == {GRAPH + "ontology/solidarity", *(GRAPH + "data/" + k for k in TRIPLES)}

    def rows(text: str, **dataset: list[str]) -> list[dict[str, object]]:
        output = store.query(QueryRequest(text, untrusted=True, form="SELECT", **dataset))  # type: ignore[arg-type]
        return list(json.loads(output.body)["results"]["bindings"])

    graphs = rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert sorted(r["g"]["value"] for r in graphs) == sorted(  # type: ignore[index]
        [GRAPH + "ontology/solidarity", *(GRAPH + "data/" + k for k in TRIPLES)]
    )
    total = rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(total[0]["n"]["value"]) == 1 + sum(TRIPLES.values())  # type: ignore[index]
    assert rows("SELECT ?v WHERE { ?s <http://purl.org/dc/terms/hasVersion> ?v }") == []
    assert rows(f"SELECT * WHERE {{ GRAPH <{META_GRAPH}> {{ ?s ?p ?o }} }}") == []
    assert rows(f"SELECT * FROM <{META_GRAPH}> WHERE {{ ?s ?p ?o }}") == []  # noqa: S608 - SPARQL, constants only
    assert rows(f"SELECT * FROM NAMED <{META_GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == []  # noqa: S608 - SPARQL, constants only
    assert rows("SELECT * WHERE { ?s ?p ?o }", default_graph_uris=[META_GRAPH]) == []
    system = "http://www.openlinksw.com/schemas/virtrdf#"
    assert rows(f"SELECT * FROM <{system}> WHERE {{ ?s ?p ?o }}") == []  # noqa: S608 - SPARQL, constants only
    assert rows(f"SELECT * WHERE {{ GRAPH <{system}> {{ ?s ?p ?o }} }}") == []
    classes = rows("SELECT DISTINCT ?c WHERE { ?s a ?c }")
    assert [r["c"]["value"] for r in classes] == ["http://example.org/Ontology"]  # type: ignore[index]


def test_a_requests_dataset_replaces_the_one_in_the_text(store: Store) -> None:
    text = f"SELECT ?name FROM <{GRAPH}data/more> WHERE {{ ?s <http://example.org/name> ?name }} ORDER BY ?name"  # noqa: S608 - SPARQL, constants only
    output = store.query(QueryRequest(text, untrusted=True, form="SELECT", default_graph_uris=[GRAPH + "data/people"]))
    assert [r["name"]["value"] for r in json.loads(output.body)["results"]["bindings"]] == ["Ada", "Bob"]
    output = store.query(QueryRequest(text, untrusted=True, form="SELECT"))
    assert [r["name"]["value"] for r in json.loads(output.body)["results"]["bindings"]] == ["Cy"]


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


def test_ask_answers_a_boolean(store: Store) -> None:
    for text, expected in (
        ("ASK { ?s <http://example.org/knows> ?o }", True),
        ("ASK { ?s <http://example.org/nope> ?o }", False),
    ):
        output = store.query(QueryRequest(text))
        assert output.kind == "boolean"
        assert json.loads(output.body)["boolean"] is expected


@pytest.mark.parametrize("media_type", ["application/n-triples", "text/turtle", "application/ld+json", "application/rdf+xml"])
def test_construct_returns_triples_in_each_graph_format(store: Store, media_type: str) -> None:
    output = store.query(QueryRequest("CONSTRUCT WHERE { ?s <http://example.org/knows> ?o }", media_type=media_type))
    assert output.kind == "graph" and output.media_type == media_type and output.rows == 3
    parsed = {q.triple for q in ox.parse(output.body, format=ox.RdfFormat.from_media_type(media_type))}
    assert ox.Triple(ox.NamedNode(EX + "bob"), ox.NamedNode(EX + "knows"), ox.NamedNode(EX + "cy")) in parsed


def test_describe_returns_the_resources_triples(store: Store) -> None:
    output = store.query(QueryRequest(f"DESCRIBE <{EX}bob>", media_type="application/n-triples"))
    assert output.kind == "graph"
    parsed = {q.triple for q in ox.parse(output.body, format=ox.RdfFormat.N_TRIPLES)}
    assert ox.Triple(ox.NamedNode(EX + "bob"), ox.NamedNode(EX + "name"), ox.Literal("Bob", language="en")) in parsed


def test_blank_nodes_come_back_as_blank_nodes(store: Store) -> None:
    """Virtuoso calls them nodeID://b10000; they must still be blank nodes, consistently within one answer."""
    text = f"SELECT ?a ?s WHERE {{ <{EX}ada> <{EX}address> ?a . ?a <{EX}street> ?s }}"
    rows = select(store, text)
    assert len(rows) == 1 and rows[0]["a"]["type"] == "bnode" and rows[0]["s"]["type"] == "bnode"
    assert rows[0]["a"]["value"] != rows[0]["s"]["value"]
    csv = store.query(QueryRequest(text, media_type="text/csv")).body.decode()
    assert all(cell.startswith("_:") for cell in csv.splitlines()[1].split(","))
    output = store.query(QueryRequest(f"CONSTRUCT WHERE {{ <{EX}ada> <{EX}address> ?a . ?a ?p ?o }}", media_type="text/turtle"))
    triples = {q.triple for q in ox.parse(output.body, format=ox.RdfFormat.TURTLE)}
    assert len(triples) == 3
    address = {t.object for t in triples if t.predicate.value == EX + "address"}
    assert len(address) == 1 and isinstance(next(iter(address)), ox.BlankNode)
    assert {t.subject for t in triples if t.predicate.value != EX + "address"} == address


def test_an_answer_beyond_the_servers_own_row_cap_is_never_silently_cut(store: Store, backend: Server | None) -> None:
    """Virtuoso sends at most ResultSetMaxRows rows (CONSTRUCT too, without saying so): refused or flagged, never passed on."""
    construct = MANY_TRIPLES
    if backend is None or backend.name == "oxigraph":
        assert store.query(QueryRequest(MANY_ROWS, max_rows=100_000, cap_error=True)).rows == 2000
        assert store.query(QueryRequest(construct, media_type="application/n-triples")).rows == 2000
        return
    for text, media_type in ((MANY_ROWS, "application/sparql-results+json"), (construct, "application/n-triples")):
        with pytest.raises(AnswerLimitError) as refused:
            store.query(QueryRequest(text, media_type=media_type, max_rows=100_000, cap_error=True))
        assert refused.value.where["limit"] == "server_rows" and refused.value.where["maximum"] == VIRTUOSO_ROWS
        assert backend.query_url in refused.value.message
        flagged = store.query(QueryRequest(text, media_type=media_type, max_rows=100_000))
        assert flagged.truncated and flagged.cut_by == "server" and VIRTUOSO_ROWS <= flagged.rows < 2000
        with pytest.raises(RemoteServerError, match="ResultSetMaxRows"):
            store.query(QueryRequest(text, media_type=media_type))  # the service's own queries expect everything
    # within the caps nothing changes, and the request's own cap still cuts first
    assert store.query(QueryRequest(MANY_ROWS + " LIMIT 999", cap_error=True, max_rows=100_000)).rows == 999
    assert store.query(QueryRequest(MANY_ROWS, max_rows=10)).cut_by == "rows"


def test_malformed_query_is_a_syntax_error(store: Store) -> None:
    with pytest.raises(QuerySyntaxError):
        store.query(QueryRequest("SELECT * WHERE { ?s ?p }"))


def test_a_server_failure_is_not_a_syntax_error_and_names_the_server(store: Store, backend: Server | None) -> None:
    """Virtuoso fails on a division by zero (SPARQL makes it an unbound value): a 502 that says so, not a 400."""
    text = "SELECT ?x WHERE { BIND(1/0 AS ?x) }"
    if backend is None or backend.name == "oxigraph":
        assert select(store, text) == [{}]
        return
    with pytest.raises(RemoteServerError) as info:
        store.query(QueryRequest(text))
    assert not isinstance(info.value, QuerySyntaxError)
    assert backend.query_url in info.value.message and "Virtuoso" in info.value.message


def test_a_query_that_would_run_for_minutes_is_stopped_at_the_deadline(store: Store, backend: Server | None) -> None:
    started = time.monotonic()
    with pytest.raises(QueryLimitError) as info:
        store.query(QueryRequest(SLOW, timeout=1.0))
    assert time.monotonic() - started < 5
    assert info.value.where["limit"] == "timeout"
    if backend is not None:
        assert isinstance(info.value, RemoteTimeoutError) and info.value.where["server"] == backend.query_url
    # the store still answers afterwards (a fresh worker, or the server)
    deadline = time.monotonic() + 30
    while True:
        try:
            rows = select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=10)
            break
        except QueryLimitError:
            if time.monotonic() > deadline:
                raise
    assert int(rows[0]["n"]["value"]) == 1 + sum(TRIPLES.values())


def test_bindings_reach_filters_in_nested_groups(store: Store) -> None:
    """A parameter used only in a FILTER inside a UNION branch is bound there too (not a trailing VALUES join)."""
    text = """SELECT ?name WHERE {
      { ?s <http://example.org/name> ?name FILTER(?s = ?who) }
      UNION { ?s <http://example.org/knows> ?x . ?x <http://example.org/name> ?name FILTER(?s = ?who) }
    } ORDER BY ?name"""
    rows = select(store, text, substitutions={"who": ("uri", "http://example.org/bob")})
    assert [r["name"]["value"] for r in rows] == ["Bob", "Cy"]


# -- loading --------------------------------------------------------------------------------------------


def _reopen(backend: Server | None, root: Path, sources: tuple[tuple[str, str], ...], force: bool = False) -> Store:
    """Bring the backend up to date with ``sources`` as the service would, and open it."""
    if backend is None:
        prepare_directory_store(root / "store", sources, force=force)
        return PooledStore(StoreConfig(kind="directory", path=root / "store", sources=sources, workers=1, public_workers=1))
    remote = open_store(backend.config())
    load_dataset(remote, sources, force=force, state=root / "store")
    return remote


def test_reloading_replaces_each_graph_and_drops_the_graph_of_a_deleted_file(
    backend: Server | None, content: tuple[tuple[str, str], ...], tmp_path: Path
) -> None:
    """CLEAR ALL does nothing on Virtuoso: the graph of a deleted file must still go, and no other graph of the server."""
    sources = write_content(tmp_path / "content", {**DATA, "extra.ttl": f'<{EX}x> <{EX}name> "X" .\n'})
    try:
        first = _reopen(backend, tmp_path, sources)
        assert graph_counts(first)[GRAPH + "data/extra"] == 1
        first.close()
        (tmp_path / "content" / "data" / "extra.ttl").unlink()
        (tmp_path / "content" / "data" / "more.ttl").write_text(f'<{EX}cy> <{EX}name> "Cy"@en , "Cyrus"@en .\n')
        sources = content_sources(tmp_path / "content" / "ontology", tmp_path / "content" / "data")
        second = _reopen(backend, tmp_path, sources)
        counts = graph_counts(second)
        assert GRAPH + "data/extra" not in counts and counts[GRAPH + "data/more"] == 2
        assert select(second, 'SELECT * WHERE { ?s ?p "X" }') == []
        second.close()
        if isinstance(backend, Server):
            remote = RemoteStore(backend.query_url, backend.update_url, backend.store_url)
            assert GRAPH + "data/extra" not in remote.graph_sizes()
            if backend.name == "virtuoso":  # its own graphs are still there
                rows = remote.raw_select(
                    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }"
                )
                assert int(rows[0]["n"]["value"]) > 0
            remote.close()
    finally:
        if isinstance(backend, Server):
            restored = open_store(backend.config())
            load_dataset(restored, content, force=True)
            restored.close()


SUBCLASSES = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/Cat> rdfs:subClassOf <http://example.org/Mammal> .
<http://example.org/Mammal> rdfs:subClassOf <http://example.org/Animal> , [ a <http://example.org/Restriction> ] .
<http://example.org/tom> a <http://example.org/Cat> .
<http://example.org/rex> a <http://example.org/Mammal> , <http://example.org/Animal> .
"""


def test_superclass_types_are_materialised_into_their_own_graph(
    backend: Server | None, content: tuple[tuple[str, str], ...], tmp_path: Path
) -> None:
    """``?x a ex:Animal`` finds the cat; only types no file states are added, never twice, never to a blank node."""
    sources = write_content(tmp_path / "content", {"zoo.ttl": SUBCLASSES})
    store = _reopen(backend, tmp_path, sources, force=True)
    try:
        rows = select(store, f"SELECT ?x WHERE {{ ?x a <{EX}Animal> }} ORDER BY ?x")
        assert [r["x"]["value"] for r in rows] == [EX + "rex", EX + "tom"]
        inferred = select(store, f"SELECT ?x ?t WHERE {{ GRAPH <{GRAPH}inferred/types> {{ ?x a ?t }} }} ORDER BY ?t")
        pairs = [(r["x"]["value"], r["t"]["value"]) for r in inferred]
        assert pairs == [(EX + "tom", EX + "Animal"), (EX + "tom", EX + "Mammal")]
        assert graph_counts(store)[GRAPH + "inferred/types"] == 2
    finally:
        store.close()
        if isinstance(backend, Server):  # leave the server with the shared content
            restored = open_store(backend.config())
            load_dataset(restored, content, force=True)
            restored.close()


def test_an_unchanged_reload_loads_nothing_and_a_forced_one_loads_again(
    backend: Server | None, tmp_path: Path, content: tuple[tuple[str, str], ...]
) -> None:
    if backend is None:
        first = prepare_directory_store(tmp_path / "store", content)
        again = prepare_directory_store(tmp_path / "store", content)
        forced = prepare_directory_store(tmp_path / "store", content, force=True)
    else:
        remote = open_store(backend.config())
        first = load_dataset(remote, content, force=True, state=tmp_path)
        again = load_dataset(remote, content, state=tmp_path)
        forced = load_dataset(remote, content, force=True, state=tmp_path)
        remote.close()
        # the server changed behind the service's back (a graph dropped): reopening notices and reloads
        behind = RemoteStore(backend.query_url, backend.update_url, backend.store_url)
        behind.drop_graph(GRAPH + "data/more")
        behind.close()
        remote = open_store(backend.config())
        assert load_dataset(remote, content, state=tmp_path).reloaded
        assert graph_counts(remote)[GRAPH + "data/more"] == 1
        remote.close()
    assert first.reloaded and not again.reloaded and forced.reloaded
    assert first.graphs == again.graphs == forced.graphs
    assert first.graphs[GRAPH + "data/people"] == 5


@SERVERS_ONLY
def test_a_server_that_does_not_keep_what_it_was_sent_stops_the_load_naming_the_graph(
    backend: Server | None, content: tuple[tuple[str, str], ...], tmp_path: Path
) -> None:
    """The graph store URL of one server and the query URL of another: every PUT succeeds, and nothing is there."""
    assert backend is not None
    other = start_oxigraph(tmp_path)
    try:
        mismatched = RemoteStore(other.query_url, backend.update_url, backend.store_url)
        with pytest.raises(DataLoadError) as info:
            load_dataset(mismatched, content, force=True)
        assert info.value.where["graph"] == GRAPH + "ontology/solidarity"
        assert other.query_url in info.value.message and "did not load the file as asked" in info.value.message
        mismatched.close()
    finally:
        other.stop()
        restored = open_store(backend.config())
        load_dataset(restored, content, force=True)
        restored.close()


@SERVERS_ONLY
def test_a_refused_write_stops_the_load_naming_the_graph_and_the_server(
    backend: Server | None, content: tuple[tuple[str, str], ...]
) -> None:
    """Without credentials Virtuoso refuses writes; the Oxigraph server has no such endpoint (404)."""
    assert backend is not None
    anonymous = RemoteStore(backend.query_url, store_url=backend.store_url.replace("dba:dba@", "").replace("/store", "/nowhere"))
    with pytest.raises(DataLoadError) as info:
        load_dataset(anonymous, content, force=True)
    assert info.value.where["graph"] == GRAPH + "ontology/solidarity"  # the first write, refused
    assert backend.query_url.rsplit("/", 1)[0] in info.value.message
    assert "dba" not in info.value.message  # credentials are never shown
    anonymous.close()
    restored = open_store(backend.config())
    load_dataset(restored, content, force=True)
    restored.close()


@SERVERS_ONLY
def test_only_the_services_graphs_are_ever_written_or_dropped(backend: Server | None) -> None:
    assert backend is not None
    remote = RemoteStore(backend.query_url, backend.update_url, backend.store_url)
    with pytest.raises(GraphError):
        remote.drop_graph("http://www.openlinksw.com/schemas/virtrdf#")
    remote.close()
