"""Network views: ``GET /views`` lists them, ``GET /views/{view}`` exports one in any format.

The body is streamed from the exporter's chunks, with ``Content-Disposition:
attachment; filename=<view>.<ext>`` and the node and link counts in
``X-View-Nodes`` / ``X-View-Edges``. The format comes from ``?format=`` (a
format name or media type) or else from Accept; Cytoscape JSON by default.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from api.deps import CatalogueDep, SettingsDep, StoreDep
from api.view_options import check_view_size, view_options
from graph.export import EXPORTERS, exporter_for

router = APIRouter(tags=["views"])

FORMAT_HELP = f"Export format: {', '.join(EXPORTERS)} (or its media type); overrides Accept. Default cyjs."


@router.get("/views", summary="The network views, their options and export formats")
def list_views(request: Request, catalogue: CatalogueDep) -> dict[str, Any]:
    """Every view with its options (filters included) and every export format."""
    from graph.network import views_of  # networkx is imported on first use, not at start-up

    views = [
        {**view.describe(), "url": str(request.url_for("get_view", view=name))} for name, view in views_of(catalogue).items()
    ]
    formats = [
        {"name": e.name, "media_type": e.media_type, "extension": e.extension, "description": e.description}
        for e in EXPORTERS.values()
    ]
    return {"views": views, "formats": formats, "default_format": next(iter(EXPORTERS))}


@router.get(
    "/views/{view}",
    name="get_view",
    summary="One network view in an export format",
    responses={
        200: {"content": {m: {} for m in dict.fromkeys(e.media_type for e in EXPORTERS.values())}},
        400: {"description": "A query view of a graph beyond SKG_MAX_VIEW_TRIPLES; the body names smaller views"},
        404: {"description": "Unknown view, node or practice"},
        406: {"description": "Unknown format; the body names the supported ones"},
        422: {"description": "A bad option; the body names it"},
    },
)
async def get_view_export(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    settings: SettingsDep,
    view: str,
    format: Annotated[str | None, Query(description=FORMAT_HELP)] = None,
    node: Annotated[
        str | None, Query(description="ego: the centre node (IRI, CURIE or id path such as actor/state/DEU).")
    ] = None,
    depth: Annotated[int | None, Query(ge=1, le=3, description="ego: links from the centre (1-3, default 1).")] = None,
    practice: Annotated[
        str | None, Query(description="duty_bearers: the practice (id such as A-73-206-10-1, CURIE or IRI).")
    ] = None,
    name: Annotated[
        str | None, Query(description="query: a CONSTRUCT query of the catalogue; its parameters go as further query parameters.")
    ] = None,
    construct: Annotated[str | None, Query(description="query: the text of a read-only CONSTRUCT query.")] = None,
    types: Annotated[
        str | None, Query(description="Keep nodes of these classes (comma list of local names, e.g. State,Practice).")
    ] = None,
    predicates: Annotated[
        str | None, Query(description="Keep links with these relations (comma list, e.g. carriedOutBy,location).")
    ] = None,
) -> StreamingResponse:
    """A view (see ``GET /views``) streamed in one export format, as a file download.

    Unknown views and nodes are 404, unknown formats 406 (with the supported
    list), bad options 422 naming the option.
    """
    from graph.network import build_view, get_view

    check_view_size(request, settings, get_view(catalogue, view))
    exporter = exporter_for(format, request.headers.get("accept"))
    options = view_options(request, settings, skip=("format",))
    graph = await run_in_threadpool(
        build_view,
        store,
        view,
        catalogue=catalogue,
        timeout=settings.query_timeout,
        max_rows=settings.max_rows,
        max_bytes=settings.max_answer_bytes,
        view_timeout=settings.view_build_timeout,
        **options,
    )
    headers = {
        "Content-Disposition": f'attachment; filename="{view}.{exporter.extension}"',
        "X-View-Nodes": str(graph.number_of_nodes()),
        "X-View-Edges": str(graph.number_of_edges()),
        "Vary": "Accept",
    }
    if graph.graph.get("truncated"):
        headers["X-View-Truncated"] = f"true; limit={settings.max_rows}; setting=SKG_MAX_ROWS"
    return StreamingResponse(exporter.chunks(graph), media_type=exporter.media_type, headers=headers)


__all__ = ["router"]
