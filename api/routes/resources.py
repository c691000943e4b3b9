"""Resource listings (actors, instruments, provisions, obligations, practices, …).

Listings take typed filters (a filter given several times matches any of its
values), ``sort`` and ``limit``/``offset``. ``/practices`` answers from the
practice explorer's rows (``graph/explorer.py``): the same filters, values
and sort keys as ``/explore``, and each item's category and provisions.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from api.deps import StoreDep
from graph.explorer import SORTS as PRACTICE_SORTS
from graph.explorer import list_practices
from graph.resources import LISTINGS, SORTS, Filter, list_resources

router = APIRouter(tags=["resources"])

FILTER_EXAMPLES = {
    "kind": "State",
    "state": "ITA",
    "carried_out_by": "ITA",
    "place": "LBY",
    "affected": "migrants",
    "rights_holder": "refugees",
    "provision": "skgd:instrument/declaration-international-solidarity/2023/art/6",
    "section": "skgd:doc/ajil-unbound-2024/sec/countering-indifference-through-community-solidarity",
    "year": "2018",
    "reading": "curators",
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


SHORT_FORMS = {
    "state": "an ISO alpha-3 code such as ITA, an id path such as actor/city/palermo, a CURIE or an IRI",
    "place": "an ISO alpha-3 code, a place such as europe, an id path, a CURIE or an IRI",
    "affected": "an ISO alpha-3 code, a rights-holder category such as migrants, an id path, a CURIE or an IRI",
    "document": "a document id such as A-73-206 or symbol such as A/73/206, a CURIE or an IRI",
    "concept": "the concept's name",
    "iri": "an id path (the IRI after /id/), a CURIE or an IRI",
}
"""How each filter type's value may be written, for the OpenAPI descriptions."""


def describe(spec: Filter) -> str:
    """A filter's description with the forms its value takes."""
    forms = SHORT_FORMS.get(spec.type)
    return f"{spec.description} ({forms}); repeat it to match any of several values." if forms else spec.description


def _listing(kind: str) -> Any:
    spec = LISTINGS[kind]
    sorts = PRACTICE_SORTS if kind == "practices" else tuple(SORTS)

    async def listing(
        request: Request,
        store: StoreDep,
        sort: str = Query("label", description=f"One of {', '.join(sorts)}; prefix - for descending."),
        limit: Annotated[int, Query(ge=1, le=1000, description="Page size.")] = 50,
        offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
    ) -> dict[str, Any]:
        pairs = [(k, v) for k, v in request.query_params.multi_items() if k not in ("sort", "limit", "offset")]
        if kind == "practices":
            page = await run_in_threadpool(list_practices, store, pairs, sort=sort, limit=limit, offset=offset)
        else:
            filters: dict[str, list[str]] = {}
            for name, value in pairs:
                filters.setdefault(name, []).append(value)
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
                    "description": describe(f),
                    "schema": {"type": "string"},
                    **({"example": FILTER_EXAMPLES[f.name]} if f.name in FILTER_EXAMPLES else {}),
                }
                for f in _spec.filters
            ]
        },
    )


__all__ = ["router"]
