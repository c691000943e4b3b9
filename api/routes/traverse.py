"""Traversal endpoints: duty-bearers of a practice, neighbourhoods, paths.

Every answer carries explanation paths: ordered steps with human labels and
the source locators behind each step, so *why* needs no second request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool

from api.deps import CatalogueDep, SettingsDep, StoreDep
from api.view_options import check_graph_size
from graph.catalogue import Catalogue
from graph.instruments import instrument_provisions
from graph.iris import resolve_id
from graph.params import split_list
from graph.store import Store
from graph.traverse import DUTY_BEARER_KINDS, explain_duty_bearers

router = APIRouter(tags=["traversal"])

EXAMPLE_PRACTICE = "A-73-206-44-1"


def _set(value: str | None, parameter: str, allowed: Iterable[str] = ()) -> set[str] | None:
    items = split_list(value or "", parameter, allowed)
    return set(items) if items else None


@router.get("/practices/{practice_id:path}/duty-bearers", summary="Which duty-bearers relate to this practice, and why")
def practice_duty_bearers(
    store: StoreDep,
    catalogue: CatalogueDep,
    practice_id: Annotated[str, Path(description="Practice id (e.g. A-73-206-44-1), CURIE or IRI.", examples=[EXAMPLE_PRACTICE])],
    depth: Annotated[int, Query(ge=1, le=6, description="Longest explanation path, in hops.")] = 5,
    relations: Annotated[
        str | None,
        Query(description="Keep paths that use only these relations (comma list of local names, e.g. carriedOutBy,targets)."),
    ] = None,
    kind: Annotated[
        str | None, Query(description="Keep duty-bearers of these kinds (comma list): " + ", ".join(DUTY_BEARER_KINDS))
    ] = None,
    class_level: Annotated[
        bool, Query(description="Extend duties of a whole class (all States) to the actors of the practice of that class.")
    ] = True,
) -> dict[str, Any]:
    """Every duty-bearer related to the practice — directly or through obligations, provisions and
    recommendations — with the explaining paths and the source paragraph behind every step.

    ``practice_id`` is the practice's id (``A-73-206-10-1``), or its IRI or CURIE.
    """
    iri = resolve_id(practice_id, "practice", "practice_id")
    explanation = explain_duty_bearers(
        store,
        iri,
        depth=depth,
        relations=_set(relations, "relations"),
        kinds=_set(kind, "kind", DUTY_BEARER_KINDS),
        class_level=class_level,
        catalogue=catalogue,
    )
    return {
        "practice": {"iri": explanation.practice, "label": explanation.practice_label},
        "count": len(explanation.duty_bearers),
        "duty_bearers": [asdict(b) for b in explanation.duty_bearers],
    }


@router.get(
    "/instruments/{instrument_id:path}/provisions",
    tags=["resources"],
    summary="An instrument's provisions, versions side by side, with the mapping between versions",
)
async def instrument_provisions_route(
    store: StoreDep,
    instrument_id: Annotated[
        str,
        Path(
            description="Instrument id (path under id/instrument/), CURIE or IRI.",
            examples=["declaration-international-solidarity"],
        ),
    ],
) -> dict[str, Any]:
    """For the draft declaration: the 2017 and 2023 versions, each with its provisions (eId, number,
    number status), and every correspondence between them with its type, caveat and evidence."""
    iri = resolve_id(instrument_id, "instrument", "instrument_id")
    return await run_in_threadpool(instrument_provisions, store, iri)


@router.get("/graph/neighbourhood/{node_id:path}", summary="The neighbourhood of a node")
async def graph_neighbourhood(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    settings: SettingsDep,
    node_id: Annotated[
        str, Path(description="Path under id/ (e.g. actor/state/TUR), CURIE or IRI.", examples=["actor/state/TUR"])
    ],
    depth: Annotated[int, Query(ge=1, le=3, description="Hops from the node.")] = 1,
    types: Annotated[
        str | None,
        Query(
            description="Keep nodes of these classes (comma list of local names; a "
            "superclass such as Practice selects its subclasses)."
        ),
    ] = None,
    predicates: Annotated[
        str | None, Query(description="Follow only these relations (comma list of local names, CURIEs or IRIs).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=5000, description="Most nodes returned.")] = 500,
) -> dict[str, Any]:
    """Nodes and edges within ``depth`` hops (either direction), each edge with its evidence: the same
    neighbourhood as ``/views/ego``, as JSON, nearest nodes first."""
    iri = resolve_id(node_id, "", "node_id")
    check_graph_size(request, settings, "a neighbourhood")
    timeout = settings.view_build_timeout
    return await run_in_threadpool(_neighbourhood, store, catalogue, timeout, iri, depth, types, predicates, limit)


def _neighbourhood(
    store: Store,
    catalogue: Catalogue,
    view_timeout: float,
    iri: str,
    depth: int,
    types: str | None,
    predicates: str | None,
    limit: int,
) -> dict[str, Any]:
    from graph.network import neighbourhood_listing, whole_view  # networkx is imported on first use
    from graph.network.filters import check_filters

    whole = whole_view(store, catalogue, view_timeout)
    wanted_types, wanted_predicates = split_list(types or "", "types"), split_list(predicates or "", "predicates")
    check_filters(whole, wanted_types, wanted_predicates)
    return neighbourhood_listing(whole, iri, depth, wanted_types, wanted_predicates, limit)


def _paths(
    store: Store,
    catalogue: Catalogue,
    view_timeout: float,
    start: str,
    end: str,
    max_length: int,
    limit: int,
    predicates: str | None,
) -> dict[str, Any]:
    from graph.network import paths_between, whole_view
    from graph.network.filters import check_filters

    whole = whole_view(store, catalogue, view_timeout)
    wanted = split_list(predicates or "", "predicates")
    check_filters(whole, None, wanted)
    return paths_between(whole, start, end, max_length=max_length, limit=limit, predicates=wanted)


@router.get("/graph/paths", summary="Paths between two nodes")
async def graph_paths(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    settings: SettingsDep,
    source: Annotated[str, Query(alias="from", description="Start node (id path, CURIE or IRI).", examples=["actor/state/TUR"])],
    target: Annotated[
        str, Query(alias="to", description="End node (id path, CURIE or IRI).", examples=["actor/io/european-union"])
    ],
    max_length: Annotated[int, Query(ge=1, le=6, description="Longest path, in hops.")] = 4,
    limit: Annotated[int, Query(ge=1, le=200, description="Most paths returned.")] = 20,
    predicates: Annotated[
        str | None, Query(description="Follow only these relations (comma list of local names, CURIEs or IRIs).")
    ] = None,
) -> dict[str, Any]:
    """The shortest path and all simple paths up to ``max_length`` hops, as explanation steps."""
    start = resolve_id(source, "", "from")
    end = resolve_id(target, "", "to")
    check_graph_size(request, settings, "a path search")
    timeout = settings.view_build_timeout
    return await run_in_threadpool(_paths, store, catalogue, timeout, start, end, max_length, limit, predicates)


__all__ = ["router"]
