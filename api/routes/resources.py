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


__all__ = ["router"]
