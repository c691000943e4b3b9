"""The public endpoint cannot be turned against its host or its users.

Each reproduction of the public-endpoint review is a case here: outbound
requests through SERVICE (against a canary listener that counts every
connection), fair sharing, bounded answers, client errors answered 4xx,
SPARQL 1.1 dataset semantics, security headers and trusted hosts.
"""

from __future__ import annotations

import ctypes.util
import itertools
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.errors import QueryEvaluationError
from graph.store import QueryRequest
from tests.conftest import assert_error, memory_settings

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PRACTICE = "/practices/A-73-206-44-1/duty-bearers"


class Canary:
    """A TCP listener on 127.0.0.1 that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def public() -> Iterator[TestClient]:
    """A service with the shipped per-client limits and its own workers (tests here kill some);
    a small memory headroom, so that a memory bomb meets it well before the time limit."""
    with TestClient(
        create_app(memory_settings(client_concurrency=1, client_requests=8, query_timeout=3.0, worker_memory_mb=256))
    ) as client:
        yield client


def _service_queries(port: int) -> tuple[list[str], list[str]]:
    """The review's bypasses of the old text filter, and a generated set of wrappings around SERVICE.

    In some generated texts a comment hides the SERVICE clause, which then is no clause at all.
    """
    target = f"<http://127.0.0.1:{port}/x>"
    service = f"SERVICE {target} {{ ?s ?p ?o }}"
    known = [
        f'SELECT ?s WHERE {{ # """\n {service}\n # """\n}}',
        f"SELECT * WHERE {{ VALUES ?a {{ <http://a/'> }} {service} VALUES ?b {{ <http://b/'> }} }}",
        f"SELECT * WHERE {{ {service} }}",
        f"SELECT * WHERE {{ SERVICE SILENT {target} {{ ?s ?p ?o }} }}",
        f"PREFIX s: <http://x/> SELECT * WHERE {{ ?x s:SERVICE ?y . {service} }}",
        f"ASK {{ {service} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {service} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ {service} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {service} }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ {service} }} }}",
        f"SELECT * WHERE {{ FILTER EXISTS {{ {service} }} }}",
        f"SELECT * WHERE {{ service {target} {{ ?s ?p ?o }} }}",
        f"LOAD {target}",
        f"INSERT DATA {{ {target} {target} {target} }}",
    ]
    before = [
        '# "',
        "# '",
        '# """',
        "# '''",
        '"a\\"b"',
        "'it\\'s'",
        '"""x"y""z"""',
        "'''x'y''z'''",
        "<http://q/\"'>",
        "<http://x/#>",
        '"' + "{" * 50 + '"',
        '"' + "x" * 5000 + '"',
        "# <",
        "<urn:a>",
    ]
    generated = []
    for left, right in itertools.product(before, repeat=2):
        for joiner in ("\n", " "):
            fragment = left if left.startswith("#") else f"BIND({left} AS ?v{len(generated)})"
            closing = right if right.startswith("#") else f"BIND({right} AS ?w{len(generated)})"
            generated.append(f"SELECT * WHERE {{ {fragment}{joiner}{service}{joiner}{closing}\n}}")
    return known, generated[::3]


def test_no_query_connects_anywhere(public: TestClient, canary: Canary) -> None:
    known, generated = _service_queries(canary.port)
    assert len(generated) > 100
    statuses = []
    for index, text in enumerate(known + generated):
        route = index % 4
        if route == 0:
            response = public.get("/sparql", params={"query": text})
        elif route == 1:
            response = public.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query"})
        elif route == 2:
            response = public.post(
                "/sparql", content="query=" + quote(text, safe=""), headers={"Content-Type": "application/x-www-form-urlencoded"}
            )
        else:
            response = public.get("/views/query", params={"construct": text.replace("SELECT *", "CONSTRUCT WHERE", 1)})
        assert response.status_code < 500, (text, response.text)
        statuses.append(response.status_code)
    time.sleep(0.3)
    assert canary.connections == 0
    assert set(statuses[: len(known)]) <= {400, 403}, statuses[: len(known)]
    assert statuses.count(403) > len(known)


def test_workers_cannot_open_sockets_even_for_a_query_nobody_checked(public: TestClient, canary: Canary) -> None:
    """The second layer: a SERVICE that reaches the engine (here an internal, unchecked request) still fails."""
    store = public.app.state.store  # type: ignore[attr-defined]
    if ctypes.util.find_library("seccomp") is None:
        pytest.skip("libseccomp is not installed (Debian: libseccomp2); .ci/run installs it")
    assert public.get("/health").json()["sandbox"]["network"] == "seccomp"
    request = QueryRequest(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{canary.port}/x> {{ ?s ?p ?o }} }}")
    with pytest.raises(QueryEvaluationError, match="Operation not permitted"):
        store.query(request)
    time.sleep(0.3)
    assert canary.connections == 0


def test_api_lane_does_not_wait_behind_public_queries() -> None:
    settings = memory_settings(public_workers=1, workers=1, client_concurrency=4, query_timeout=6.0)
    with TestClient(create_app(settings)) as client:
        idle = time.perf_counter()
        assert client.get(PRACTICE).status_code == 200
        idle = time.perf_counter() - idle
        slow = [threading.Thread(target=client.get, args=("/sparql",), kwargs={"params": {"query": SLOW}}) for _ in range(3)]
        for thread in slow:
            thread.start()
        time.sleep(0.5)
        started = time.perf_counter()
        assert client.get(PRACTICE).status_code == 200
        busy = time.perf_counter() - started
        assert client.get("/viewer").status_code == 200
        for thread in slow:
            thread.join()
    assert busy < max(1.0, 5 * idle), (idle, busy)


def test_one_client_gets_429_beyond_its_concurrent_queries(public: TestClient) -> None:
    done: list[int] = []
    thread = threading.Thread(target=lambda: done.append(public.get("/sparql", params={"query": SLOW}).status_code))
    thread.start()
    time.sleep(0.5)
    response = public.get("/sparql", params={"query": "ASK {}"})
    thread.join()
    body = assert_error(response, 429, "too_many_requests")
    assert response.headers["Retry-After"] == "1"
    assert body["where"]["setting"] == "SKG_CLIENT_CONCURRENCY"  # type: ignore[index]
    assert done == [503]  # the slow query itself ran into the time limit


def test_query_time_per_minute_is_bounded() -> None:
    with TestClient(create_app(memory_settings(client_query_seconds=0.5, query_timeout=1.0))) as client:
        assert_error(client.get("/sparql", params={"query": SLOW}), 503, "query_limit")
        response = client.get("/sparql", params={"query": "ASK {}"})
    body = assert_error(response, 429, "too_many_requests")
    assert body["where"]["limit"] == "query_seconds"  # type: ignore[index]
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_a_full_queue_is_503_with_retry_after() -> None:
    settings = memory_settings(public_workers=1, queue_size=0, client_concurrency=4, query_timeout=3.0)
    with TestClient(create_app(settings)) as client:
        thread = threading.Thread(target=client.get, args=("/sparql",), kwargs={"params": {"query": SLOW}})
        thread.start()
        time.sleep(0.5)
        response = client.get("/sparql", params={"query": "ASK {}"})
        thread.join()
    assert_error(response, 503, "busy")
    assert response.headers["Retry-After"] == "1"


BOMB = (
    'SELECT ?x22 WHERE { ?s ?p ?o BIND("ab" AS ?x0) '
    + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(22))
    + " }"
)


def test_a_string_bomb_is_refused_not_answered_in_full(public: TestClient) -> None:
    body = assert_error(public.get("/sparql", params={"query": BOMB}), 400, "answer_too_large")
    assert body["where"]["limit"] == "bytes"  # type: ignore[index]
    assert body["where"]["setting"] == "SKG_MAX_ANSWER_BYTES"  # type: ignore[index]


def test_a_string_bomb_is_cut_by_bytes_when_truncating() -> None:
    with TestClient(create_app(memory_settings(on_limit="truncate", max_answer_bytes=1_000_000))) as client:
        response = client.get("/sparql", params={"query": BOMB})
    assert response.status_code == 200
    assert len(response.content) <= 1_000_000
    assert response.json()["truncated"] is True
    assert "by=bytes" in response.headers["X-Result-Truncated"]


def test_a_memory_bomb_ends_only_its_worker(public: TestClient) -> None:
    huge = (
        'SELECT ?x29 WHERE { BIND("ab" AS ?x0) ' + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(29)) + " }"
    )
    body = assert_error(public.get("/sparql", params={"query": huge}), 503, "query_limit")
    assert body["where"]["limit"] == "memory"  # type: ignore[index]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the replacement worker starts in the background
        response = public.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        if response.status_code == 200:
            break
        time.sleep(0.2)
    assert response.json()["boolean"] is True


def test_a_lost_worker_is_a_retryable_503(public: TestClient) -> None:
    store = public.app.state.store  # type: ignore[attr-defined]
    before = set(store.worker_pids())
    answers: list[object] = []
    thread = threading.Thread(target=lambda: answers.append(public.get("/sparql", params={"query": SLOW})))
    thread.start()
    time.sleep(0.7)
    busy = before - set(store.worker_pids())
    assert len(busy) == 1
    os.kill(busy.pop(), signal.SIGKILL)
    thread.join()
    response = answers[0]
    assert_error(response, 503, "worker_lost")  # type: ignore[arg-type]
    assert response.headers["Retry-After"] == "1"  # type: ignore[attr-defined]


def test_deep_nesting_is_400_before_the_engine(public: TestClient) -> None:
    deep = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    body = assert_error(public.get("/sparql", params={"query": deep}), 400, "query_too_deep")
    assert body["where"]["limit"] == 64  # type: ignore[index]
    assert body["where"]["line"] == 1  # type: ignore[index]
    assert public.get("/sparql", params={"query": "ASK {}"}).status_code == 200


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_an_invalid_dataset_iri_is_400(public: TestClient, parameter: str) -> None:
    body = assert_error(public.get("/sparql", params={"query": "ASK {}", parameter: "x"}), 400, "invalid_dataset_iri")
    assert body["where"]["parameter"] == parameter  # type: ignore[index]


def test_repeated_query_is_400(public: TestClient) -> None:
    body = assert_error(public.get("/sparql?query=ASK%20%7B%7D&query=SELECT%20*%20%7B%7D"), 400, "repeated_parameter")
    assert body["where"]["parameter"] == "query"  # type: ignore[index]


@pytest.mark.parametrize("where", ["url", "form", "direct"])
def test_invalid_utf8_is_400(public: TestClient, where: str) -> None:
    if where == "url":
        response = public.get("/sparql?query=ASK%20%7B%20FILTER(%22caf%E9%22)%20%7D")
    elif where == "form":
        response = public.post(
            "/sparql",
            content=b"query=ASK%20%7B%20FILTER(%22caf%E9%22)%20%7D",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    else:
        response = public.post(
            "/sparql", content=b'ASK { FILTER("caf\xe9") }', headers={"Content-Type": "application/sparql-query"}
        )
    assert_error(response, 400, "invalid_encoding")


def test_an_unknown_prefix_is_named(public: TestClient) -> None:
    body = assert_error(public.get("/sparql", params={"query": "SELECT * WHERE {\n ?s foo:bar ?o }"}), 400, "unknown_prefix")
    assert body["where"] == {"prefix": "foo", "line": 2, "column": 5}
    assert "foo" in str(body["message"])


def test_from_a_graph_that_does_not_exist_counts_nothing(public: TestClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) FROM <http://nonexistent/> WHERE { ?s ?p ?o }"
    bindings = public.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert bindings[0]["n"]["value"] == "0"


def test_named_graphs_only_leave_the_default_graph_empty(public: TestClient) -> None:
    graph = "https://w3id.org/solidarity-kg/graph/data/core"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    in_graph = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    for text, params in ((count, {"named-graph-uri": graph}), (count.replace("WHERE", f"FROM NAMED <{graph}> WHERE"), {})):
        bindings = public.get("/sparql", params={"query": text, **params}).json()["results"]["bindings"]
        assert bindings[0]["n"]["value"] == "0"
    named = public.get("/sparql", params={"query": in_graph, "named-graph-uri": graph}).json()["results"]["bindings"]
    assert int(named[0]["n"]["value"]) > 100
    union = public.get("/sparql", params={"query": count}).json()["results"]["bindings"]
    assert int(union[0]["n"]["value"]) > int(named[0]["n"]["value"])


def test_relative_iris_resolve_against_the_endpoint(public: TestClient) -> None:
    response = public.get("/sparql", params={"query": "SELECT ?x WHERE { BIND(<here> AS ?x) }"})
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "http://testserver/here"


def test_format_never_overrides_a_usable_accept(public: TestClient) -> None:
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2"
    for accept, fmt, expected in (
        ("application/rdf+xml", "xml", "application/rdf+xml"),
        ("text/turtle", "xml", "text/turtle"),
        ("*/*", "xml", "application/rdf+xml"),
        ("*/*", "json", "application/ld+json"),
        ("*/*", "n3", "text/turtle"),
    ):
        response = public.get("/sparql", params={"query": construct, "format": fmt}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(expected), (accept, fmt)


def test_caps_are_visible_and_an_answer_beyond_them_is_an_error_by_default() -> None:
    with TestClient(create_app(memory_settings(max_rows=100))) as client:
        response = client.get(
            "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Origin": "https://example.org"}
        )
        body = assert_error(response, 400, "answer_too_large")
        assert body["where"]["setting"] == "SKG_MAX_ROWS"  # type: ignore[index]
        counted = client.get(
            "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, headers={"Origin": "https://example.org"}
        )
    assert int(counted.json()["results"]["bindings"][0]["n"]["value"]) > 10_000
    assert counted.headers["X-Result-Limit"].startswith("rows=100; bytes=")
    assert counted.headers["Access-Control-Allow-Origin"] == "*"
    exposed = counted.headers["Access-Control-Expose-Headers"].lower()
    assert "x-result-truncated" in exposed and "x-result-limit" in exposed


@pytest.mark.parametrize("path", ["/", "/sparql", "/viewer", "/queries", "/nowhere"])
def test_security_headers_on_every_response(public: TestClient, path: str) -> None:
    headers = public.get(path).headers
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "unsafe-eval" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_an_unknown_host_is_refused(public: TestClient) -> None:
    assert_error(public.get("/sparql", headers={"Host": "evil.example"}), 400, "invalid_host")


def test_with_a_base_url_no_url_comes_from_the_request() -> None:
    settings = memory_settings(base_url="https://kg.example.org")
    with TestClient(create_app(settings), base_url="http://kg.example.org") as client:
        description = client.get("/sparql", headers={"Accept": "application/n-triples"}).text
        listing = client.get("/actors", params={"limit": 1}).json()
        refused = client.get("/sparql", headers={"Host": "evil.example"})
    assert "<https://kg.example.org/sparql>" in description
    assert str(listing.get("next", "https://kg.example.org")).startswith("https://kg.example.org")
    assert_error(refused, 400, "invalid_host")
