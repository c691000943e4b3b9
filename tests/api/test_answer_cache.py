"""Strong ETags, 304 on revalidation and the bounded answer cache (api/answer_cache.py)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from api.answer_cache import Answer, AnswerCache, Answers, matches
from api.app import create_app
from api.settings import REPOSITORY
from tests.conftest import memory_settings

ROUTE = "/practices/A-73-206-37-1/duty-bearers"
ASK = {"query": "ASK { ?s ?p ?o }"}
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def cached() -> Iterator[TestClient]:
    with TestClient(create_app(memory_settings())) as client:
        yield client


def test_a_repeated_answer_comes_from_the_cache_byte_for_byte(cached: TestClient) -> None:
    first = cached.get(ROUTE)
    second = cached.get(ROUTE)
    assert first.status_code == second.status_code == 200
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert first.headers["etag"].startswith('"') and not first.headers["etag"].startswith("W/")
    assert "accept" in first.headers["vary"].lower()
    assert first.headers["cache-control"] == "no-cache"


def test_if_none_match_is_answered_304_without_a_body(cached: TestClient) -> None:
    etag = cached.get(ROUTE).headers["etag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}'):
        response = cached.get(ROUTE, headers={"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.content == b""
        assert response.headers["etag"] == etag
    assert cached.get(ROUTE, headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_etag_follows_the_representation(cached: TestClient) -> None:
    query = {"query": "SELECT ?s WHERE { ?s a ?c } LIMIT 2"}
    as_json = cached.get("/sparql", params=query, headers=JSON)
    as_csv = cached.get("/sparql", params=query, headers={"Accept": "text/csv"})
    other = cached.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a ?c } LIMIT 3"}, headers=JSON)
    assert len({as_json.headers["etag"], as_csv.headers["etag"], other.headers["etag"]}) == 3
    revalidated = cached.get("/sparql", params=query, headers={"Accept": "text/csv", "If-None-Match": as_json.headers["etag"]})
    assert revalidated.status_code == 200
    assert revalidated.headers["content-type"].startswith("text/csv")


def test_errors_and_posts_are_neither_tagged_nor_kept(cached: TestClient) -> None:
    for _ in range(2):
        missing = cached.get("/practices/no-such-practice/duty-bearers")
        assert missing.status_code == 404
        assert "etag" not in missing.headers and "x-cache" not in missing.headers
        bad = cached.get("/sparql", params={"query": "SELECT WHERE {"}, headers=JSON)
        assert bad.status_code == 400 and "etag" not in bad.headers
        posted = cached.post("/sparql", data=ASK, headers=JSON)
        assert posted.status_code == 200 and "x-cache" not in posted.headers


@pytest.mark.parametrize("header", ["*", "x" * 10_000, '"' * 500, ",".join(['"a"'] * 1000), "W/", "\x7f\x01"])
def test_hostile_if_none_match_headers_get_the_answer(cached: TestClient, header: str) -> None:
    response = cached.get(ROUTE, headers={"If-None-Match": header})
    assert response.status_code == 200
    assert response.json()


def test_health_counts_hits_and_misses(cached: TestClient) -> None:
    before = cached.get("/health").json()["answer_cache"]
    cached.get("/sparql", params={"query": "SELECT ?o WHERE { ?s ?p ?o } LIMIT 7"}, headers=JSON)
    cached.get("/sparql", params={"query": "SELECT ?o WHERE { ?s ?p ?o } LIMIT 7"}, headers=JSON)
    after = cached.get("/health").json()["answer_cache"]
    assert after["hits"] == before["hits"] + 1
    assert after["misses"] == before["misses"] + 1
    assert 0 < after["bytes"] <= after["max_bytes"] == 64 * 2**20


def test_other_data_give_other_etags(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPOSITORY / "data", data)
    extra = "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<https://example.org/x> rdfs:label 'x' .\n"
    (data / "extra.ttl").write_text(extra)
    with TestClient(create_app(memory_settings())) as bundled, TestClient(create_app(memory_settings(data_dir=data))) as grown:
        one = bundled.get("/sparql", params=ASK, headers=JSON)
        two = grown.get("/sparql", params=ASK, headers=JSON)
        assert one.content == two.content
        assert one.headers["etag"] != two.headers["etag"]
        assert grown.get("/sparql", params=ASK, headers={**JSON, "If-None-Match": one.headers["etag"]}).status_code == 200


def test_without_a_cache_answers_are_still_tagged() -> None:
    with TestClient(create_app(memory_settings(answer_cache_mb=0))) as client:
        first, second = client.get(ROUTE), client.get(ROUTE)
        assert first.headers["x-cache"] == second.headers["x-cache"] == "miss"
        assert first.headers["etag"] == second.headers["etag"]
        assert client.get(ROUTE, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        assert client.get("/health").json()["answer_cache"]["entries"] == 0


def test_a_real_server_revalidates_over_http(live_server: str) -> None:
    with httpx.Client(base_url=live_server, timeout=30) as http:
        first = http.get(ROUTE)
        assert first.status_code == 200
        again = http.get(ROUTE, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304
        assert again.content == b""
        gzipped = http.get(ROUTE, headers={"Accept-Encoding": "gzip"})
        plain = http.get(ROUTE, headers={"Accept-Encoding": "identity"})
        assert gzipped.headers.get("content-encoding") == "gzip" and "content-encoding" not in plain.headers
        assert gzipped.headers["etag"] != plain.headers["etag"]
        assert gzipped.json() == plain.json() == first.json()


def test_the_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    answers = Answers(8_000)
    for n in range(20):
        answers.put(f"k{n}", Answer(((b"content-type", b"text/plain"),), bytes(900)))
        assert answers.size <= answers.max_bytes
        answers.get("k0")  # kept in use, so never the one dropped
    assert answers.get("k0") is not None
    assert answers.get("k1") is None
    assert answers.get("k19") is not None
    answers.put("big", Answer((), bytes(answers.entry_bytes + 1)))
    assert answers.get("big") is None


def test_matches_compares_weakly_and_reads_a_bounded_list() -> None:
    assert matches('W/"a"', '"a"') and matches('"b", "a"', '"a"')
    assert not matches('"ab"', '"a"') and not matches(None, '"a"') and not matches("*", '"a"')
    assert not matches(",".join(['"x"'] * 100) + ',"a"', '"a"')


def test_identical_requests_in_flight_are_computed_once() -> None:
    calls = 0

    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"answer"})

    class State:
        runtime = type("Runtime", (), {"data_version": "v1"})()

    cache = AnswerCache(slow_app, answers=Answers(2**20), fingerprint="code")
    scope: Scope = {
        "type": "http",
        "method": "GET",
        "path": "/x",
        "query_string": b"",
        "headers": [],
        "app": type("App", (), {"state": State()})(),
    }
    sent: list[list[Message]] = [[], [], []]

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def run() -> None:
        async def sender(box: list[Message]) -> None:
            async def send(message: Message) -> None:
                box.append(message)

            await cache(scope, receive, send)

        await asyncio.gather(*(sender(box) for box in sent))

    asyncio.run(run())
    assert calls == 1
    assert [box[1]["body"] for box in sent] == [b"answer"] * 3
    assert sorted(dict(box[0]["headers"])[b"x-cache"] for box in sent) == [b"hit", b"hit", b"miss"]


def test_a_request_asking_for_no_cache_gets_the_answer_computed_again(cached: TestClient) -> None:
    cached.get(ROUTE)
    for header in ({"Cache-Control": "no-cache"}, {"Cache-Control": "max-age=0"}, {"Pragma": "no-cache"}):
        fresh = cached.get(ROUTE, headers=header)
        assert fresh.status_code == 200
        assert fresh.headers["x-cache"] == "miss", header
    assert cached.get(ROUTE).headers["x-cache"] == "hit"


# -- the disk tier: answers too big for memory, beside an on-disk store -------------------------------------


def _on_disk(store: Path, **overrides: object) -> TestClient:
    values: dict[str, object] = {"store": "directory", "store_path": store, "answer_cache_mb": 1, **overrides}
    return TestClient(create_app(memory_settings(**values)))


BIG = "/views/whole?format=graphml"
"""An answer above the memory tier's entry bound (an eighth of 1 MiB) at the bundled size."""


def test_an_answer_too_big_for_memory_is_kept_on_disk_and_outlives_the_process(tmp_path: Path) -> None:
    with _on_disk(tmp_path / "store") as client:
        first = client.get(BIG)
        assert first.status_code == 200 and len(first.content) > 2**20 // 8
        second = client.get(BIG)
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
        assert second.content == first.content and second.headers["etag"] == first.headers["etag"]
        assert client.get(BIG, headers={"Cache-Control": "no-cache"}).headers["x-cache"] == "miss"
        health = client.get("/health").json()["answer_files"]  # the body as sent: gzip-compressed here
        assert health["files"] == 1 and 0 < health["bytes"] < len(first.content) and health["hits"] == 1
    assert not list((tmp_path / "store" / "answers").glob(".partial-*"))
    with _on_disk(tmp_path / "store") as restarted:  # a new process on the same store and data: not computed again
        again = restarted.get(BIG)
        assert again.headers["x-cache"] == "hit" and again.content == first.content


def test_the_disk_tier_keeps_no_more_than_its_limit(tmp_path: Path) -> None:
    plain = {"Accept-Encoding": "identity"}
    with _on_disk(tmp_path / "store", answer_files_mb=1) as client:
        big = client.get(BIG, headers=plain)
        assert len(big.content) > 2**20, "the test needs an answer beyond the 1 MiB limit"
        assert client.get(BIG, headers=plain).headers["x-cache"] == "miss"
        assert client.get("/health").json()["answer_files"]["bytes"] <= 2**20


def test_a_memory_store_keeps_nothing_on_disk(cached: TestClient) -> None:
    assert cached.get("/health").json()["answer_files"] is None


def test_an_answer_that_does_not_end_leaves_no_file(tmp_path: Path) -> None:
    from api.answer_files import AnswerFiles

    files = AnswerFiles(tmp_path / "answers", 2**20)
    writer = files.writer("ab" * 32)
    writer.write(b"half an answer")
    writer.abort()
    assert list((tmp_path / "answers").iterdir()) == [] and files.find("ab" * 32) is None
