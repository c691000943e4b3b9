"""Search: ``GET /search`` ranks labels, alternative names, descriptions and locators, with type facets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from api.deps import StoreDep
from graph.search import search_index

router = APIRouter(tags=["resources"])


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
