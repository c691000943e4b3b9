"""Resource listings (actors, instruments, provisions, obligations, practices, …) and search.

Listings take typed filters, ``sort`` and ``limit``/``offset``; ``/search``
ranks labels, names, descriptions and locators with type facets.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from api.deps import StoreDep
from graph.resources import LISTINGS, SORTS, list_resources
from graph.search import search_index

router = APIRouter(tags=["resources"])

FILTER_EXAMPLES = {
    "kind": "State",
    "state": "ITA",
    "role": "duty-bearer",
    "category": "abusive-deployment",
    "gap_kind": "north-north",
    "from": "2015",
    "to": "2018",
    "duty_bearer": "non-state-actor",
    "duty_type": "respect",
    "number_status": "disputed",
    "document": "skgd:doc/A-73-206",
    "actor": "skgd:actor/io/european-union",
    "binding_force": "binding",
    "version": "skgd:instrument/declaration-international-solidarity/2023",
    "addressee": "state",
    "owed_to": "migrants",
}


def _listing(kind: str) -> Any:
    spec = LISTINGS[kind]

    async def listing(
        request: Request,
        store: StoreDep,
        sort: Annotated[str, Query(description=f"One of {', '.join(SORTS)}; prefix - for descending.")] = "label",
        limit: Annotated[int, Query(ge=1, le=1000, description="Page size.")] = 50,
        offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
    ) -> dict[str, Any]:
        filters = {k: v for k, v in request.query_params.items() if k not in ("sort", "limit", "offset")}
        page = await run_in_threadpool(list_resources, store, kind, filters, sort=sort, limit=limit, offset=offset)
        if offset + limit < page["total"]:
            page["next"] = str(request.url.include_query_params(offset=offset + limit))
        return page

    listing.__name__ = f"list_{kind}"
    listing.__doc__ = (
        f"List {kind}. Filters: " + ("; ".join(f"`{f.name}`: {f.description}" for f in spec.filters) or "none") + "."
    )
    return listing


for _kind, _spec in LISTINGS.items():
    router.add_api_route(
        f"/{_kind}",
        _listing(_kind),
        methods=["GET"],
        operation_id=f"list_{_kind}",
        summary=f"List {_kind}",
        openapi_extra={
            "parameters": [
                {
                    "name": f.name,
                    "in": "query",
                    "required": False,
                    "description": f.description,
                    "schema": {"type": "string"},
                    **({"example": FILTER_EXAMPLES[f.name]} if f.name in FILTER_EXAMPLES else {}),
                }
                for f in _spec.filters
            ]
        },
    )


@router.get("/search", summary="Full-text search over labels, names, descriptions and locators")
async def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to look for.", examples=["sanctuary city"])],
    type: Annotated[str | None, Query(description="Keep hits of these classes (comma list, e.g. GoodPractice,State).")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Ranked hits (label first, then names, locators, descriptions) with type facets."""
    index = await run_in_threadpool(search_index, store)
    types = {t.strip() for t in type.split(",")} if type else None
    result = index.search(q, types=types, limit=limit, offset=offset)
    return {
        "query": q,
        "total": result.total,
        "facets": result.facets,
        "hits": [
            {
                "iri": h.iri,
                "label": h.label,
                "types": list(h.types),
                "score": h.score,
                "matched": list(h.matched),
                "page": "/id/" + h.iri.split("/id/", 1)[1] if "/id/" in h.iri else None,
            }
            for h in result.hits
        ],
    }


__all__ = ["router"]
