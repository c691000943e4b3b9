"""The HTTP guards (HEAD, URL length, Allow) on a small app and on the real one, in process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import PlainTextResponse, StreamingResponse
from fastapi.testclient import TestClient
from starlette.types import Message, Scope

from api.app import create_app
from api.errors import register_error_handlers
from api.http_guards import AllowedMethods, HeadAsGet, UrlLength, install_http_guards, uri_too_long_body
from tests.conftest import assert_error, memory_settings

LIMIT = 1000


def small_app(*, cors: bool = False) -> FastAPI:
    """GET and POST on one path as separate routes (as /sparql has), a router with a prefix, gzip."""
    app = FastAPI()
    register_error_handlers(app)
    app.add_middleware(GZipMiddleware, minimum_size=500)
    if cors:
        app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"])

    @app.get("/things")
    async def list_things() -> dict[str, str]:
        return {"things": "x" * 2000}

    @app.post("/things")
    async def add_thing() -> dict[str, bool]:
        return {"added": True}

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(3):
                yield b"chunk\n"

        return StreamingResponse(chunks(), media_type="text/plain")

    @app.get("/teapot")
    async def teapot() -> PlainTextResponse:
        return PlainTextResponse("a route's own 405", status_code=405, headers={"Allow": "BREW"})

    router = APIRouter(prefix="/nested")

    @router.put("/{item}")
    async def put_item(item: str) -> dict[str, str]:
        return {"item": item}

    @router.delete("/{item}")
    async def delete_item(item: str) -> dict[str, str]:
        return {"item": item}

    app.include_router(router)
    install_http_guards(app, LIMIT)
    return app


@pytest.fixture(scope="module")
def small() -> TestClient:
    return TestClient(small_app())


def test_head_on_a_get_route_has_the_get_headers_and_no_body(small: TestClient) -> None:
    for encoding in ("identity", "gzip"):
        get = small.get("/things", headers={"Accept-Encoding": encoding})
        head = small.head("/things", headers={"Accept-Encoding": encoding})
        assert head.status_code == get.status_code == 200
        assert head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"]
        assert head.headers.get("content-encoding") == get.headers.get("content-encoding")
    assert small.get("/things", headers={"Accept-Encoding": "gzip"}).headers["content-encoding"] == "gzip"


def test_head_on_a_streamed_get(small: TestClient) -> None:
    head = small.head("/stream")
    assert head.status_code == 200 and head.content == b"" and head.headers["content-type"].startswith("text/plain")


def test_head_sends_one_empty_body_message() -> None:
    """At the ASGI level, not through a client that may drop a HEAD body itself."""
    messages: list[Message] = []
    requested = False

    async def receive() -> Message:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        messages.append(message)

    scope: Scope = {
        "type": "http",
        "method": "HEAD",
        "path": "/stream",
        "raw_path": b"/stream",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("t", 80),
        "client": ("c", 1),
        "asgi": {"version": "3.0"},
    }
    asyncio.run(small_app()(scope, receive, send))
    assert [m["type"] for m in messages] == ["http.response.start", "http.response.body"]
    assert messages[0]["status"] == 200
    assert messages[1] == {"type": "http.response.body", "body": b"", "more_body": False}
    assert scope["method"] == "HEAD", "the server's scope is not changed"


def test_405_allow_is_the_union_of_the_routes_of_the_path(small: TestClient) -> None:
    response = small.put("/things")
    body = assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET, HEAD, POST"
    assert body["where"] == {"path": "/things", "allowed": ["GET", "HEAD", "POST"]}
    assert "PUT" in str(body["message"]) and "GET, HEAD, POST" in str(body["message"])


def test_405_through_an_included_router_with_a_path_parameter(small: TestClient) -> None:
    response = small.get("/nested/abc")
    assert response.status_code == 405 and response.headers["allow"] == "PUT, DELETE"
    assert response.json()["where"] == {"path": "/nested/abc", "allowed": ["PUT", "DELETE"]}


def test_head_where_there_is_no_get_is_405(small: TestClient) -> None:
    response = small.head("/nested/abc")
    assert response.status_code == 405 and response.headers["allow"] == "PUT, DELETE" and response.content == b""


def test_a_route_s_own_405_is_kept(small: TestClient) -> None:
    response = small.get("/teapot")
    assert response.status_code == 405 and response.headers["allow"] == "BREW" and response.text == "a route's own 405"


def test_unknown_paths_and_slash_redirects_stay_the_router_s(small: TestClient) -> None:
    assert small.put("/nothing-here").status_code == 404
    redirect = small.get("/things/", follow_redirects=False)
    assert redirect.status_code == 307 and redirect.headers["location"].endswith("/things")


def test_with_cors_allow_names_options_and_a_plain_options_is_answered() -> None:
    client = TestClient(small_app(cors=True))
    response = client.put("/things")
    assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    options = client.options("/things")
    assert options.status_code == 204 and options.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    preflight = client.options("/things", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]


def test_url_over_the_limit_is_414_and_the_limit_itself_passes(small: TestClient) -> None:
    exact = "/things?q=" + "a" * (LIMIT - len("/things?q="))
    assert small.get(exact).status_code == 200
    response = small.get(exact + "a")
    assert_error(response, 414, "uri_too_long")
    assert response.json() == uri_too_long_body(LIMIT)
    assert response.json()["where"] == {"limit": LIMIT, "setting": "SKG_MAX_URL_BYTES"}
    assert "POST" in response.json()["message"] and str(LIMIT) in response.json()["message"]


def test_a_long_path_counts_too(small: TestClient) -> None:
    assert small.get("/" + "p" * LIMIT).status_code == 414


def test_install_is_idempotent_and_places_head_first() -> None:
    app = small_app()
    install_http_guards(app, LIMIT)
    classes: list[object] = [m.cls for m in app.user_middleware]
    assert classes.count(HeadAsGet) == classes.count(UrlLength) == classes.count(AllowedMethods) == 1
    assert classes[0] is HeadAsGet and classes[-2:] == [UrlLength, AllowedMethods]


@pytest.fixture(scope="module")
def real() -> Iterator[TestClient]:
    """The service on the bundled data with a small URL limit (httpx refuses URLs over 64 KiB)."""
    settings = memory_settings(max_url_bytes=2000)
    app = create_app(settings)
    install_http_guards(app, settings.max_url_bytes)  # a no-op once create_app installs them
    with TestClient(app) as client:
        yield client


def test_real_sparql_put_names_get_head_and_post(real: TestClient) -> None:
    response = real.put("/sparql")
    body = assert_error(response, 405, "method_not_allowed")
    allowed = [m.strip() for m in response.headers["allow"].split(",")]
    assert allowed[:3] == ["GET", "HEAD", "POST"] and set(allowed) <= {"GET", "HEAD", "POST", "OPTIONS"}
    assert body["where"] == {"path": "/sparql", "allowed": allowed}


def test_real_head_health_and_home(real: TestClient) -> None:
    for path in ("/health", "/", "/queries"):
        get, head = real.get(path), real.head(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head.headers["content-length"] == get.headers["content-length"], path


def test_real_long_url_is_414(real: TestClient) -> None:
    response = real.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2000})
    assert_error(response, 414, "uri_too_long")
    assert response.json()["where"] == {"limit": 2000, "setting": "SKG_MAX_URL_BYTES"}
