"""``create_app(settings)``: the lifespan opens the store and catalogue, routers are mounted."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

from api.answer_cache import AnswerCache, Answers, code_fingerprint
from api.answer_files import AnswerFiles
from api.errors import COMMON_RESPONSES, register_error_handlers
from api.http_guards import install_http_guards
from api.limits import QueryBudget, RequestGuard
from api.routes import (
    actors,
    declaration,
    docs,
    explore,
    home,
    ingest,
    linked_data,
    mandate,
    queries,
    resources,
    search,
    sparql,
    summaries,
    traverse,
    viewer,
    views,
)
from api.runtime import Runtime, open_runtime
from api.security import WebSecurity
from api.settings import REPOSITORY, Settings, get_settings
from graph.cache import cache_of
from graph.catalogue import Catalogue
from graph.store import Store

log = logging.getLogger("solidarity_kg")

EXPOSED_HEADERS = [
    "X-Result-Rows",
    "X-Result-Truncated",
    "X-Result-Limit",
    "Retry-After",
    "X-View-Nodes",
    "X-View-Edges",
    "X-View-Truncated",
    "Content-Disposition",
    "ETag",
    "X-Cache",
]
"""Headers a cross-origin script may read: the caps and the view sizes among them."""

STATIC = Path(__file__).resolve().parent / "static"
WARM_UP_DELAY = 2.0
WARM_VIEW_LIMIT = 100_000

DESCRIPTION = """A knowledge graph of the right to international solidarity: actors, instruments
and their provisions, obligations, and recorded practices, each fact traced to its source paragraph.

* `/sparql` — standard SPARQL 1.1 Protocol endpoint (read-only), with a query editor for browsers.
* `/queries` — the catalogue of named questions, one operation each.
"""


def warm_caches(store: Store, catalogue: Catalogue, triples: int, view_timeout: float | None = None) -> None:
    """Build what the first visitors need once, in the background: the search index, the pages' tables
    (overview, actors, declaration, explorer, summaries), the summary view by class and, for a graph a browser can
    draw, the whole view.

    Above ``WARM_VIEW_LIMIT`` triples the whole view is left to be built on
    request: at a million triples it costs some 20 s of CPU and a gigabyte of memory.
    """
    from graph.declaration import declaration_of
    from graph.explorer import explorer_of
    from graph.network import base_view, get_view, whole_view
    from graph.overview import overview_of
    from graph.profiles import actor_summaries_of
    from graph.search import search_index
    from graph.summaries import summary_of

    builds: list[tuple[str, Callable[[], object]]] = [
        (build.__name__, partial(build, store))
        for build in (search_index, overview_of, actor_summaries_of, declaration_of, explorer_of, summary_of)
    ]
    builds.append(("types view", lambda: base_view(store, get_view(catalogue, "types"), view_timeout)))  # small at any size
    if triples <= WARM_VIEW_LIMIT:
        builds.append(("whole view", lambda: whole_view(store, catalogue, view_timeout)))
    for name, build in builds:  # each on its own: one that fails (a time limit on a big graph) spares the others
        try:
            build()
        except Exception as error:
            log.warning("cache warm-up of %s skipped: %s", name, error)


def confinement(runtime: Runtime) -> dict[str, Any]:
    """What the query workers' sandbox achieved (``/health``), or why there is none."""
    confined = getattr(runtime.store, "confinement", None)
    if confined is None:
        return {"network": "not applicable: queries run on the remote server", "memory": "not applicable"}
    return dict(confined)


def answer_files(settings: Settings) -> AnswerFiles | None:
    """The disk tier of the answer cache: in the store folder, for the stores that have one on this machine."""
    folder = settings.answer_files_folder
    return None if folder is None else AnswerFiles(folder, settings.answer_files_mb * 2**20)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (from the environment by default)."""
    settings = settings or get_settings()
    catalogue = Catalogue.load(settings.queries_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = open_runtime(settings, catalogue=catalogue)
        if (kept := settings.kept_views_folder) is not None:  # built once per data version, not once per process
            cache_of(runtime.store).keep_in(kept, runtime.data_version + fingerprint + settings.model_dump_json())
        app.state.runtime = runtime
        app.state.store = runtime.store
        app.state.catalogue = runtime.catalogue
        app.state.settings = settings
        app.state.query_budget = QueryBudget(settings.client_concurrency, settings.client_query_seconds)
        # public queries wait in their own threads, never in the pool that serves pages and the API; a few
        # threads more than the lane admits, so that the lane's own queue answers 503 rather than threads queueing
        app.state.public_limiter = anyio.CapacityLimiter(settings.public_workers + settings.queue_size + 4)
        confined = confinement(runtime)
        if not str(confined.get("network", "")).startswith(("seccomp", "not applicable")):
            log.warning("query workers are NOT confined from the network: %s", confined.get("network"))
        # build the caches the first visitors need (whole view and layout, search index) once start-up is over,
        # so that the warm-up neither delays nor competes with the first answers
        warm_up = (runtime.store, runtime.catalogue, runtime.report.triples, settings.view_build_timeout)
        warm = threading.Timer(WARM_UP_DELAY, warm_caches, args=warm_up)
        warm.daemon = True
        warm.start()
        try:
            yield
        finally:
            warm.cancel()
            runtime.close()

    app = FastAPI(
        title="solidarity-kg",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=COMMON_RESPONSES,
        docs_url=None,
        redoc_url=None,
    )
    register_error_handlers(app)
    # the last added runs first: security headers and host check, then CORS, then per-client limits, then the
    # answer cache
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    # outside the compression, so that a repeated answer is neither recomputed nor compressed again
    app.state.answers = answers = Answers(settings.answer_cache_mb * 2**20)
    fingerprint = code_fingerprint((REPOSITORY / "api", REPOSITORY / "graph", settings.queries_dir))
    app.state.answer_files = files = answer_files(settings)
    app.add_middleware(AnswerCache, answers=answers, fingerprint=fingerprint + settings.model_dump_json(), files=files)
    app.add_middleware(
        RequestGuard,
        per_client=settings.client_requests,
        timeout=settings.request_timeout,
        trusted_proxies=frozenset(settings.trusted_proxies),
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=EXPOSED_HEADERS,
            max_age=600,
        )
    app.add_middleware(WebSecurity, base_url=settings.base_url, allowed_hosts=settings.allowed_hosts)
    install_http_guards(app, settings.max_url_bytes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(home.router)
    for pages in (actors, declaration, explore, summaries, mandate):
        app.include_router(pages.router)
    app.include_router(docs.router)
    app.include_router(sparql.router)
    app.include_router(queries.build_router(catalogue))
    app.include_router(traverse.router)
    app.include_router(resources.router)
    app.include_router(search.router)
    app.include_router(linked_data.router)
    app.include_router(views.router)
    app.include_router(viewer.router)
    app.include_router(ingest.router)

    @app.get("/health", summary="Liveness, the store, and the query workers' sandbox")
    async def health(request: Request) -> dict[str, Any]:
        runtime: Runtime = request.app.state.runtime
        return {
            "status": "ok",
            "store": settings.store,
            "triples": runtime.report.triples,
            "workers": {"api": settings.workers, "public": settings.public_workers, "queue": settings.queue_size},
            "sandbox": confinement(runtime),
            "answer_cache": request.app.state.answers.stats(),
            "answer_files": None if request.app.state.answer_files is None else request.app.state.answer_files.stats(),
            "limits": {
                "query_timeout": settings.query_timeout,
                "request_timeout": settings.request_timeout,
                "max_rows": settings.max_rows,
                "max_answer_bytes": settings.max_answer_bytes,
                "on_limit": settings.on_limit,
                "client_concurrency": settings.client_concurrency,
                "client_query_seconds_per_minute": settings.client_query_seconds,
                "client_requests": settings.client_requests,
            },
        }

    return app


__all__ = ["create_app"]
