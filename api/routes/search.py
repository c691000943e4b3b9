"""Search: ``GET /search`` ranks labels, other names, descriptions, locators and links, with type facets.

Scripts get JSON (with no Accept, ``*/*``, ``application/json`` or
``?format=json``), in the same shape as ever; a browser (``Accept: text/html``
first) or ``?format=html`` gets the search page; ``?format=csv|xlsx`` the hits
shown as a table.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from api.deps import StoreDep
from api.templating import query_with, respond
from graph.errors import ParameterError
from graph.formats import accepts_html
from graph.links import local_href
from graph.search import Hit, SearchResult, search_index
from graph.tables import FORMATS, table

router = APIRouter(tags=["resources"])

MAX_QUERY = 500
"""Characters of ``q``; a longer text is a 422 (the index reads at most 32 words of it anyway)."""
EXPLAINED = {
    "alt": "Other names",
    "description": "",
    "locator": "From",
    "context": "About",
    "related": "The same episode as (the curators' link)",
}
"""How the page introduces the excerpt of each matched column."""
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Ranked hits with type facets (JSON), the search page (HTML), or the hits shown as a table.",
        "content": {
            "application/json": {},
            "text/html": {"schema": {"type": "string"}},
            **{
                media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type, _ in FORMATS.values()
                if media_type != "application/json"
            },
        },
    }
}


def hit_json(hit: Hit) -> dict[str, Any]:
    """A hit as the JSON answer has always given it."""
    return {
        "iri": hit.iri,
        "label": hit.label,
        "types": list(hit.types),
        "score": hit.score,
        "matched": list(hit.matched),
        "page": "/id/" + hit.iri.split("/id/", 1)[1] if "/id/" in hit.iri else None,
    }


def hit_view(hit: Hit) -> dict[str, Any]:
    """A hit as the page shows it: link, types, and the excerpts that say why it matched."""
    href = local_href(hit.iri)
    return {
        "iri": hit.iri,
        "label": hit.label,
        "href": href if href and href.startswith("/") else None,
        "types": hit.types,
        "marked_label": hit.marked_label,
        "excerpts": [(EXPLAINED.get(column, column), segments) for column, segments in hit.excerpts],
    }


def page_context(
    request: Request, q: str, chosen: set[str] | None, result: SearchResult, limit: int, offset: int
) -> dict[str, Any]:
    """What ``search.html`` shows: the form, facets as filter links, the hits and the paging links."""
    facets = result.all_facets if chosen else result.facets
    shown_to = offset + len(result.hits)
    return {
        "title": f"Search: {q}" if q else "Search",
        "q": q,
        "chosen": sorted(chosen or ()),
        "total": result.total,
        "first": offset + 1 if result.hits else 0,
        "last": shown_to,
        "hits": [hit_view(h) for h in result.hits],
        "facets": [(name, n, query_with(request, type=name, offset="0")) for name, n in facets.items()],
        "unfiltered": query_with(request, type="", offset="0") if chosen else None,
        "previous": query_with(request, offset=str(max(offset - limit, 0))) if offset > 0 else None,
        "next": query_with(request, offset=str(shown_to)) if shown_to < result.total else None,
    }


@router.get(
    "/search",
    summary="Full-text search over labels, names, descriptions, locators and links",
    response_model=None,
    responses=RESPONSES,
)
async def search(
    request: Request,
    store: StoreDep,
    q: Annotated[
        str | None,
        Query(
            max_length=MAX_QUERY,
            description='Words to look for (all must match; "a phrase", prefix*, OR, NOT or -word). '
            "Required, except for the HTML page, which shows the empty form.",
            examples=["sanctuary city"],
        ),
    ] = None,
    type: Annotated[
        str | None, Query(max_length=1000, description="Keep hits of these classes (comma list, e.g. GoodPractice,State).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    format: Annotated[str | None, Query(description="json (the default for scripts), html, csv or xlsx.")] = None,
) -> Response:
    """Ranked hits (label first, then other names, descriptions, locators, links) with type facets."""
    html = format == "html" or (format is None and accepts_html(request.headers.get("accept")))
    if not q and not html:
        raise ParameterError("give the words to look for in 'q'", parameter="q", reason="missing")
    text = q or ""
    index = await run_in_threadpool(search_index, store)
    chosen = {t.strip() for t in type.split(",") if t.strip()} if type else None
    result = await run_in_threadpool(index.search, text, chosen, limit, offset) if text else SearchResult(0, [], {}, {})
    rows = [hit_json(h) for h in result.hits]
    data = {"query": text, "total": result.total, "facets": result.facets, "hits": rows}
    if format is None and not html:
        return JSONResponse(data)
    hits = table(
        "hits",
        [("iri", "IRI"), ("label", "Label"), ("types", "Types"), ("score", "Score")],
        [{**row, "types": ", ".join(row["types"])} for row in rows],
    )
    context = page_context(request, text, chosen, result, limit, offset)
    return respond(request, "search.html", context, tables=(hits,), data=data, filename="search")


__all__ = ["router"]
