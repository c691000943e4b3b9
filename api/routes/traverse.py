"""Traversal endpoints: duty-bearers of a practice, neighbourhoods, paths.

Every answer carries explanation paths: ordered steps with human labels and
the source locators behind each step, so *why* needs no second request.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool

from api.deps import StoreDep
from graph.catalogue import expand_iri
from graph.errors import ParameterError
from graph.instruments import instrument_provisions
from graph.namespaces import PREFIXES
from graph.traverse import KINDS, explain_duty_bearers

router = APIRouter(tags=["traversal"])

EXAMPLE_PRACTICE = "A-73-206-44-1"


def resolve_id(identifier: str, collection: str, parameter: str) -> str:
    """An IRI from a short id (``A-73-206-10-1``), a path under ``id/`` or a CURIE/IRI."""
    if identifier.startswith(("http://", "https://")) or (":" in identifier and "/" not in identifier.split(":", 1)[0]):
        return expand_iri(identifier, parameter)
    if "/" in identifier:
        return expand_iri(PREFIXES["skgd"] + identifier, parameter)
    return expand_iri(f"{PREFIXES['skgd']}{collection}/{identifier}", parameter)


def _split(value: str | None, parameter: str, allowed: set[str] | None = None) -> set[str] | None:
    if not value:
        return None
    items = {v.strip() for v in value.split(",") if v.strip()}
    if allowed is not None and not items <= allowed:
        raise ParameterError(f"parameter {parameter!r} accepts {', '.join(sorted(allowed))}; got "
                             f"{', '.join(sorted(items - allowed))}", parameter=parameter, expected=sorted(allowed))
    return items


@router.get("/practices/{practice_id:path}/duty-bearers", summary="Which duty-bearers relate to this practice, and why")
def practice_duty_bearers(
    store: StoreDep,
    practice_id: Annotated[str, Path(description="Practice id (e.g. A-73-206-44-1), CURIE or IRI.",
                                     examples=[EXAMPLE_PRACTICE])],
    depth: Annotated[int, Query(ge=1, le=6, description="Longest explanation path, in hops.")] = 5,
    relations: Annotated[str | None, Query(description="Keep paths that use only these relations "
                                                        "(comma list of local names, e.g. carriedOutBy,targets).")] = None,
    kind: Annotated[str | None, Query(description="Keep duty-bearers of these kinds (comma list): "
                                                   + ", ".join(KINDS))] = None,
    class_level: Annotated[bool, Query(description="Extend duties of a whole class (all States) to the "
                                                    "actors of the practice of that class.")] = True,
) -> dict[str, Any]:
    """Every duty-bearer related to the practice — directly or through obligations, provisions and
    recommendations — with the explaining paths and the source paragraph behind every step.

    ``practice_id`` is the practice's id (``A-73-206-10-1``), or its IRI or CURIE.
    """
    iri = resolve_id(practice_id, "practice", "practice_id")
    explanation = explain_duty_bearers(store, iri, depth=depth, relations=_split(relations, "relations"),
                                       kinds=_split(kind, "kind", set(KINDS)), class_level=class_level)
    return {
        "practice": {"iri": explanation.practice, "label": explanation.practice_label},
        "count": len(explanation.duty_bearers),
        "duty_bearers": [asdict(b) for b in explanation.duty_bearers],
    }


@router.get("/instruments/{instrument_id:path}/provisions", tags=["resources"],
            summary="An instrument's provisions, versions side by side, with the mapping between versions")
async def instrument_provisions_route(
    store: StoreDep,
    instrument_id: Annotated[str, Path(description="Instrument id (path under id/instrument/), CURIE or IRI.",
                                       examples=["declaration-international-solidarity"])],
) -> dict[str, Any]:
    """For the draft declaration: the 2017 and 2023 versions, each with its provisions (eId, number,
    number status), and every correspondence between them with its type, caveat and evidence."""
    iri = resolve_id(instrument_id, "instrument", "instrument_id")
    return await run_in_threadpool(instrument_provisions, store, iri)


@router.get("/graph/neighbourhood/{node_id:path}", summary="The neighbourhood of a node")
async def graph_neighbourhood(
    store: StoreDep,
    node_id: Annotated[str, Path(description="Path under id/ (e.g. actor/state/TUR), CURIE or IRI.",
                                 examples=["actor/state/TUR"])],
    depth: Annotated[int, Query(ge=1, le=3, description="Hops from the node.")] = 1,
    types: Annotated[str | None, Query(description="Keep nodes of these classes (comma list of local names).")] = None,
    predicates: Annotated[str | None, Query(description="Follow only these relations (comma list of local names).")] = None,
    limit: Annotated[int, Query(ge=1, le=5000, description="Most nodes returned.")] = 500,
) -> dict[str, Any]:
    """Nodes and edges within ``depth`` hops (either direction), each edge with its evidence."""
    from graph.projection import neighbourhood  # networkx is imported on first use, not at start-up

    iri = resolve_id(node_id, "", "node_id")
    return await run_in_threadpool(neighbourhood, store, iri, depth=depth, types=_split(types, "types"),
                                   predicates=_split(predicates, "predicates"), limit=limit)


@router.get("/graph/paths", summary="Paths between two nodes")
async def graph_paths(
    store: StoreDep,
    source: Annotated[str, Query(alias="from", description="Start node (id path, CURIE or IRI).",
                                 examples=["actor/state/TUR"])],
    target: Annotated[str, Query(alias="to", description="End node (id path, CURIE or IRI).",
                                 examples=["actor/io/european-union"])],
    max_length: Annotated[int, Query(ge=1, le=6, description="Longest path, in hops.")] = 4,
    limit: Annotated[int, Query(ge=1, le=200, description="Most paths returned.")] = 20,
    predicates: Annotated[str | None, Query(description="Follow only these relations (comma list).")] = None,
) -> dict[str, Any]:
    """The shortest path and all simple paths up to ``max_length`` hops, as explanation steps."""
    from graph.projection import paths_between

    start = resolve_id(source, "", "from")
    end = resolve_id(target, "", "to")
    return await run_in_threadpool(paths_between, store, start, end, max_length=max_length, limit=limit,
                                   predicates=_split(predicates, "predicates"))


__all__ = ["resolve_id", "router"]
