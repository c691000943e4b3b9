"""The query catalogue over HTTP: a list, and one operation per named query.

The operation id and URL segment are the file stem; parameters come from the
query's header, are coerced by type and passed as bindings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import CatalogueDep, SettingsDep, StoreDep
from graph.catalogue import Catalogue, NamedQuery, bind
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS, negotiate
from graph.store import QueryRequest

OPENAPI_TYPES = {
    "iri": "string",
    "string": "string",
    "integer": "integer",
    "decimal": "number",
    "date": "string",
    "boolean": "boolean",
}


def describe(query: NamedQuery) -> dict[str, Any]:
    """A JSON description of a catalogue query."""
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "kind": query.form,
        "form": query.form,
        "url": f"/queries/{query.name}",
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "default": p.default,
                "description": p.description,
                "example": p.example,
                "enum": list(p.enum),
            }
            for p in query.params
        ],
        "sparql": query.text,
    }


def run_named(store: StoreDep, settings: SettingsDep, query: NamedQuery, raw: dict[str, str], accept: str | None) -> Response:
    """Bind, run and serialise one catalogue query."""
    format_param = raw.pop("format", None)
    bindings = bind(query, raw)
    offered = list(GRAPH_FORMATS if query.form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS)
    media_type = negotiate(accept, offered, format_param)
    output = store.query(
        QueryRequest(
            text=query.text,
            media_type=media_type,
            substitutions=bindings,
            max_rows=settings.max_rows,
            timeout=settings.query_timeout,
        )
    )
    headers = {"X-Result-Rows": str(output.rows)}
    if output.truncated:
        headers["X-Result-Truncated"] = f"true; limit={settings.max_rows}; setting=SKG_MAX_ROWS"
    return Response(output.body, media_type=output.media_type, headers=headers)


def _operation(name: str) -> Callable[..., Any]:
    async def operation(request: Request, store: StoreDep, settings: SettingsDep, catalogue: CatalogueDep) -> Response:
        raw = dict(request.query_params)
        return await run_in_threadpool(run_named, store, settings, catalogue.get(name), raw, request.headers.get("accept"))

    operation.__name__ = name
    return operation


def build_router(catalogue: Catalogue) -> APIRouter:
    """A router with the list and one GET operation per catalogue query."""
    router = APIRouter(tags=["queries"])

    @router.get("/queries", summary="List the catalogue queries", operation_id="list_queries")
    def list_queries(catalogue: CatalogueDep) -> list[dict[str, Any]]:
        """Every named query with its summary, parameters and SPARQL text."""
        return [describe(q) for q in catalogue.queries.values()]

    for query in catalogue.queries.values():
        parameters = [
            {
                "name": p.name,
                "in": "query",
                "required": p.required,
                "description": p.description + (f" (RDF type: {p.type})" if p.type in ("iri", "date") else ""),
                "schema": {
                    "type": OPENAPI_TYPES[p.type],
                    **({"default": p.default} if p.default is not None else {}),
                    **({"enum": list(p.enum)} if p.enum else {}),
                },
                **({"example": p.example} if p.example is not None else {}),
            }
            for p in query.params
        ]
        parameters.append(
            {
                "name": "format",
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": "Media type or short name; overrides Accept.",
            }
        )
        router.add_api_route(
            f"/queries/{query.name}",
            _operation(query.name),
            methods=["GET"],
            operation_id=query.name,
            summary=query.summary,
            description=query.description or query.summary,
            openapi_extra={"parameters": parameters},
            responses={200: {"content": {m: {} for m in (RESULT_FORMATS if query.form in ("SELECT", "ASK") else GRAPH_FORMATS)}}},
        )
    return router


__all__ = ["build_router", "describe", "run_named"]
