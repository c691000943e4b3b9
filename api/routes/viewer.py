"""The browser viewer: ``GET /viewer`` serves the page, ``GET /viewer/export`` downloads what it shows.

The page, its script and style live in ``api/static/`` (``viewer.html``,
``viewer.js``, ``viewer.css``); Cytoscape.js and its fCoSE layout are served
locally from ``/static/vendor/``. The page carries only the type styles (a
JSON block); the view comes from ``/views`` like for any client, and every
label is set with ``textContent``.

The viewer's whole state is its address: the view and its options (``view``,
``node``, ``depth``, ``practice``, ``types``, ``predicates``…) and the
viewer's own parameters (``VIEWER_PARAMETERS``). ``/viewer/export`` takes the
same query string plus ``format``, rebuilds what the page shows (the view, the
neighbourhoods added with *Expand*, the path between two nodes) and applies the
same filters as the page (``shown``), so a download holds what is on screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, StreamingResponse
from markupsafe import Markup

from api.deps import CatalogueDep, SettingsDep, StoreDep
from api.pages import json_script
from api.templating import environment
from api.view_options import check_graph_size, check_view_size, view_options
from graph.catalogue import Catalogue
from graph.errors import ParameterError
from graph.export import EXPORTERS, exporter_for
from graph.iris import resolve_id
from graph.network.selection import DATE, Filters, shown
from graph.network.styles import type_styles
from graph.store import Store

if TYPE_CHECKING:
    import networkx as nx

router = APIRouter(tags=["viewer"])

PAGE = Path(__file__).resolve().parents[1] / "static" / "viewer.html"
VIEWER_PARAMETERS = (
    "hide_types",
    "hide_relations",
    "date_from",
    "date_to",
    "near_state",
    "cited_in",
    "expanded",
    "path_from",
    "path_to",
    "selected",
)
"""The viewer's own state in its address (not options of the view); a catalogue query cannot take these names."""
MAX_EXPANDED = 50
"""Most nodes whose neighbourhoods one address may add."""
MAX_NAME = 300
"""Longest type, relation or document name a filter takes."""


@lru_cache(maxsize=1)
def _page(path: Path) -> str:
    """The page: the site's navigation and the type styles written into ``viewer.html``."""
    template = environment().from_string(path.read_text(encoding="utf-8"))
    return template.render(path="/viewer", styles=Markup(json_script("viewer-styles", type_styles())))  # noqa: S704 - escaped JSON


@router.get(
    "/viewer",
    summary="Interactive graph viewer (HTML)",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {}}}},
)
async def viewer() -> HTMLResponse:
    """The viewer page. ``?node=IRI`` opens the neighbourhood of a node; ``?view=NAME`` and the view's
    options (``depth``, ``practice``, ``types``, ``predicates``…) open any view; the viewer's own
    parameters (filters, selection, path, expanded nodes) restore what was on screen."""
    return HTMLResponse(_page(PAGE), headers={"Cache-Control": "no-cache"})


# --------------------------------------------------------------------------- the filters the page applies


def _names(raw: str | None, parameter: str) -> frozenset[str]:
    names = frozenset(item.strip() for item in (raw or "").split(",") if item.strip())
    for name in names:
        if len(name) > MAX_NAME:
            raise ParameterError(f"parameter {parameter!r}: a name is longer than {MAX_NAME} characters", parameter=parameter)
    return names


def _date(raw: str | None, parameter: str) -> str | None:
    if not raw:
        return None
    if not DATE.fullmatch(raw):
        raise ParameterError(
            f"parameter {parameter!r} expects a date as YYYY, YYYY-MM or YYYY-MM-DD, got {raw[:40]!r}",
            parameter=parameter,
            expected="YYYY[-MM[-DD]]",
        )
    return raw


# --------------------------------------------------------------------------- rebuilding what the page shows


@dataclass(frozen=True)
class Address:
    """Everything in an address that says what the page shows."""

    view: str
    options: Mapping[str, str]
    expanded: tuple[str, ...]
    path: tuple[str, str] | None
    filters: Filters


def _nodes(raw: str | None, parameter: str, limit: int) -> tuple[str, ...]:
    items = [item.strip() for item in (raw or "").split(",") if item.strip()]
    if len(items) > limit:
        raise ParameterError(f"parameter {parameter!r} takes at most {limit} nodes", parameter=parameter)
    return tuple(dict.fromkeys(resolve_id(item, "", parameter) for item in items))


def _one_node(raw: str | None, parameter: str) -> str | None:
    return resolve_id(raw.strip(), "", parameter) if raw and raw.strip() else None


def read_address(request: Request, settings: SettingsDep) -> Address:
    """The view, its options, the additions and the filters of a viewer address (bad values are 422)."""
    params = request.query_params
    options = view_options(request, settings, skip=("view", "format", *VIEWER_PARAMETERS))
    view = params.get("view") or ("ego" if options.get("node") else "whole")
    ends = (_one_node(params.get("path_from"), "path_from"), _one_node(params.get("path_to"), "path_to"))
    if (ends[0] is None) != (ends[1] is None):
        missing = "path_to" if ends[1] is None else "path_from"
        raise ParameterError("a path needs both 'path_from' and 'path_to'", parameter=missing)
    cited = params.get("cited_in") or None
    if cited is not None and len(cited) > MAX_NAME:
        raise ParameterError(f"parameter 'cited_in' is longer than {MAX_NAME} characters", parameter="cited_in")
    filters = Filters(
        hide_types=_names(params.get("hide_types"), "hide_types"),
        hide_relations=_names(params.get("hide_relations"), "hide_relations"),
        date_from=_date(params.get("date_from"), "date_from"),
        date_to=_date(params.get("date_to"), "date_to"),
        near_state=_one_node(params.get("near_state"), "near_state"),
        cited_in=cited,
    )
    path = (ends[0], ends[1]) if ends[0] is not None and ends[1] is not None else None
    return Address(view, options, _nodes(params.get("expanded"), "expanded", MAX_EXPANDED), path, filters)


def _path_graph(store: Store, catalogue: Catalogue, ends: tuple[str, str], view_timeout: float) -> nx.MultiDiGraph[str]:
    """The shortest path between two nodes in the whole view (as ``/graph/paths`` finds it): its nodes and step links."""
    import networkx as nx

    from graph.network import paths_between, whole_view

    whole = whole_view(store, catalogue, view_timeout)
    found = paths_between(whole, ends[0], ends[1], max_length=1, limit=1)
    steps: Iterable[dict[str, Any]] = found["shortest"] or ()
    path: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for step in steps:
        u, v = (step["target"], step["source"]) if step["inverse"] else (step["source"], step["target"])
        path.add_node(u, **whole.nodes[u])
        path.add_node(v, **whole.nodes[v])
        path.add_edge(u, v, key=step["relation"], **whole.edges[u, v, step["relation"]])
    return path


def rebuild(store: Store, catalogue: Catalogue, settings: SettingsDep, address: Address) -> nx.MultiDiGraph[str]:
    """The graph the page shows for an address: view, then added neighbourhoods and path, then the filters."""
    import networkx as nx

    from graph.network import build_view
    from graph.network.build import finish

    graph = build_view(
        store,
        address.view,
        catalogue=catalogue,
        timeout=settings.query_timeout,
        max_rows=settings.max_rows,
        max_bytes=settings.max_answer_bytes,
        view_timeout=settings.view_build_timeout,
        **dict(address.options),
    )
    extra = [
        build_view(store, "ego", catalogue=catalogue, view_timeout=settings.view_build_timeout, node=node, depth=1)
        for node in address.expanded
    ]
    if address.path is not None:
        extra.append(_path_graph(store, catalogue, address.path, settings.view_build_timeout))
    combined: nx.MultiDiGraph[str] = nx.MultiDiGraph(graph)
    for added in extra:  # what the view already has keeps its attributes
        combined = nx.MultiDiGraph(nx.compose(added, combined))
    result = shown(combined, address.filters)
    finish(result, address.view)
    for key in ("node", "practice"):
        if graph.graph.get(key):
            result.graph[key] = graph.graph[key]
    return result


FORMAT_HELP = f"Export format: {', '.join(EXPORTERS)} (or its media type); overrides Accept. Default cyjs."


@router.get(
    "/viewer/export",
    summary="Download what the viewer shows, with its filters",
    responses={
        200: {"content": {m: {} for m in dict.fromkeys(e.media_type for e in EXPORTERS.values())}},
        404: {"description": "Unknown view or node"},
        406: {"description": "Unknown format; the body names the supported ones"},
        422: {"description": "A bad option or filter; the body names it"},
    },
)
async def export_shown(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    settings: SettingsDep,
    format: Annotated[str | None, Query(description=FORMAT_HELP)] = None,
    view: Annotated[str | None, Query(description="The view (default whole, or ego with node).")] = None,
    hide_types: Annotated[str | None, Query(description="Node types hidden (comma list of type names).")] = None,
    hide_relations: Annotated[str | None, Query(description="Link types hidden (comma list of relation local names).")] = None,
    date_from: Annotated[str | None, Query(description="Dated nodes before this (YYYY[-MM[-DD]]) are hidden.")] = None,
    date_to: Annotated[str | None, Query(description="Dated nodes after this (YYYY[-MM[-DD]]) are hidden.")] = None,
    near_state: Annotated[str | None, Query(description="Only this node (a State) and the nodes linked to it.")] = None,
    cited_in: Annotated[
        str | None, Query(description="Only links whose evidence cites this document (e.g. A/73/206), and their nodes.")
    ] = None,
    expanded: Annotated[str | None, Query(description="Nodes whose neighbourhoods were added (comma list).")] = None,
    path_from: Annotated[str | None, Query(description="Start of the path added to the view.")] = None,
    path_to: Annotated[str | None, Query(description="End of the path added to the view.")] = None,
    selected: Annotated[str | None, Query(description="The selected node (does not change the download).")] = None,
) -> StreamingResponse:
    """The view of a viewer address (``/viewer?...``) with everything the page added and every filter it
    applied, as a file download in any export format of ``GET /views`` (``cited_in``: only links whose
    evidence cites this document, as the part of a locator label before its first comma)."""
    from graph.network import get_view

    exporter = exporter_for(format, request.headers.get("accept"))
    address = read_address(request, settings)
    check_view_size(request, settings, get_view(catalogue, address.view))
    if address.expanded or address.path:
        check_graph_size(request, settings, "a viewer's expanded nodes or path")
    graph = await run_in_threadpool(rebuild, store, catalogue, settings, address)
    headers = {
        "Content-Disposition": f'attachment; filename="{address.view}.{exporter.extension}"',
        "X-View-Nodes": str(graph.number_of_nodes()),
        "X-View-Edges": str(graph.number_of_edges()),
        "Vary": "Accept",
    }
    return StreamingResponse(exporter.chunks(graph), media_type=exporter.media_type, headers=headers)


__all__ = ["VIEWER_PARAMETERS", "read_address", "rebuild", "router"]
