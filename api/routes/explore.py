"""The practice explorer, ``/explore``: facets with counts, the matching practices, and their download.

The page takes the parameters of ``/practices`` (the filters of
``graph/resources.py``, ``sort``, ``limit``, ``offset``) plus the page
framework's ``format`` and ``table``; every facet value is a link that adds or
removes it, so every view has a shareable URL and works without JavaScript.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import StoreDep
from api.templating import citation, respond
from graph.explorer import (
    FACETS,
    Explorer,
    Selection,
    canonical,
    cells,
    download,
    explorer_of,
    facet_counts,
    keep,
    read_selection,
    short_value,
    sort_practices,
    toggled,
)
from graph.resources import LISTINGS
from graph.store import Store

router = APIRouter(tags=["pages"])

CONTROLS = ("sort", "limit", "offset", "format", "table")
"""Parameters that are not filters."""
SHOWN = 8
"""Values of a facet shown before "more"."""
STATE_FACETS = {
    "carried_out_by": ("Any State", "carried out by"),
    "place": ("Any place", "located in"),
    "affected": ("Any State or group", "affecting"),
}
"""Facets that take a State: they also offer every State in a list (so that one can ask for a State with none), and what
their relation is called in a sentence."""
COLUMNS = (
    ("label", "Practice"),
    ("category", "Category"),
    ("carried_out_by", "Carried out by"),
    ("place", "Place"),
    ("affected", "Affected"),
    ("document", "Source"),
    ("provisions", "Provisions"),
    ("date", "Date"),
)
"""The table's columns: sort key (``provisions`` has none) and heading."""
FILTERS = frozenset(f.name for f in LISTINGS["practices"].filters)
HEADINGS = {f.name: f.name.replace("_", " ") for f in LISTINGS["practices"].filters} | dict(FACETS)
HEADINGS |= {"state": "State (any role)", "actor": "Actor (any role)", "from": "From", "to": "To"}


def href(selection: Selection, sort: str) -> str:
    """The explorer's URL for a selection (short forms, facets' order) and sort."""
    pairs = canonical(selection) + ([("sort", sort)] if sort != "label" else [])
    return "/explore" + ("?" + urlencode(pairs) if pairs else "")


def facet(explorer: Explorer, name: str, counts: Counter[str], selection: Selection, sort: str) -> dict[str, Any]:
    """One facet: its values with counts (selected ones first), and for State facets every State to choose from."""
    chosen = selection.get(name, ())
    wanted = [v for v in counts if name != "carried_out_by" or v in explorer.states]
    values = sorted(set(wanted) | set(chosen), key=lambda v: (-counts[v], explorer.label(name, v), v))
    if name == "year":  # the latest years first
        values.sort(reverse=True)
    values.sort(key=lambda v: v not in chosen)
    entries = [
        {
            "label": explorer.label(name, v),
            "count": counts[v],
            "selected": v in chosen,
            "href": href(toggled(selection, name, v), sort),
        }
        for v in values
    ]
    choices = choosable(explorer, name, counts, chosen) if name in STATE_FACETS else []
    return {
        "name": name,
        "heading": dict(FACETS)[name],
        "top": entries[:SHOWN],
        "more": entries[SHOWN:],
        "choices": choices,
        "choose": STATE_FACETS.get(name, ("", ""))[0],
    }


def choosable(explorer: Explorer, name: str, counts: Counter[str], chosen: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every State (and, for places and the affected, every value in the data) not chosen yet, by name."""
    universe = set(explorer.states)
    if name != "carried_out_by":
        universe |= {v for p in explorer.practices for v in p.get(name)}
    found = [
        {"value": short_value(name, v), "label": explorer.label(name, v), "count": counts[v]} for v in universe - set(chosen)
    ]
    return sorted(found, key=lambda c: (c["label"], c["value"]))


def hints(explorer: Explorer, selection: Selection) -> list[dict[str, Any]]:
    """For a view with no practice: the States asked for in one role, with how many practices they take part in at all."""
    found = []
    for name in STATE_FACETS:
        for value in selection.get(name, ()):
            if value in explorer.states:
                n = sum(value in p.get("state") for p in explorer.practices)
                phrase = STATE_FACETS[name][1]
                found.append(
                    {
                        "label": explorer.label(name, value),
                        "phrase": phrase,
                        "count": n,
                        "href": href({"state": (value,)}, "label"),
                    }
                )
    return found


def view(store: Store, pairs: list[tuple[str, str]], sort: str, limit: int, offset: int) -> dict[str, Any]:
    """Everything the page shows, for one request."""
    explorer = explorer_of(store)
    selection = read_selection(store, pairs)
    matching = sort_practices(explorer, keep(explorer.practices, selection), sort)
    shown = matching[offset : offset + limit]
    counts = facet_counts(explorer, selection)
    active = [
        {
            "filter": HEADINGS.get(name, name),
            "label": explorer.label(name, v) if name not in ("from", "to") else v,
            "href": href(toggled(selection, name, v), sort),
        }
        for name, values in selection.items()
        for v in values
    ]
    return {
        "total": len(matching),
        "rows": [cells(explorer, p) for p in shown],
        "table": download(explorer, shown),
        "facets": [facet(explorer, name, counts[name], selection, sort) for name, _ in FACETS],
        "active": active,
        "hints": hints(explorer, selection) if not matching else [],
        "hidden": canonical(selection) + ([("sort", sort)] if sort != "label" else []),
        "dates": {k: (selection.get(k) or ("",))[0] for k in ("from", "to")},
        "sorts": [(key, heading, href(selection, key if sort != key else "-" + key)) for key, heading in COLUMNS],
        "selection": {name: list(values) for name, values in selection.items()},
    }


@router.get("/explore", include_in_schema=False, response_model=None)
async def explore(
    request: Request,
    store: StoreDep,
    sort: Annotated[str, Query()] = "label",
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """The practices, filtered by facets (the parameters of ``/practices``), as a page or a download."""
    # an empty value of a filter is no filter: a form's empty field (the date range) sends one
    given = request.query_params.multi_items()
    pairs = [(k, v) for k, v in given if k not in CONTROLS and (v.strip() or k not in FILTERS)]
    found = await run_in_threadpool(view, store, pairs, sort, limit, offset)
    data = {
        "total": found["total"],
        "filters": found["selection"],
        "facets": {f["name"]: f["top"] + f["more"] for f in found["facets"]},
        "items": found["table"].rows,
    }
    context = {
        "title": "Practices",
        "sort": sort,
        "citation": citation(request, "Practices of international solidarity, filtered", str(request.url)),
        **found,
    }
    return respond(request, "explore.html", context, tables=(found["table"],), data=data, filename="explore")


__all__ = ["router"]
