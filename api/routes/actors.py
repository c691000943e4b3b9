"""Pages for people: the list of States and other actors, and a profile page per actor.

``/states`` lists every actor with the size of each profile table;
``/states/{ISO3}`` and ``/actors/{path under id/actor/}`` show one actor:
practices it carried out, that took place there, aimed at it; obligations and
recommendations (by name, and those of every actor of its kind); where the
sources name it and where only a footnote identifies it. Every table is a
download (CSV, XLSX, JSON) and the actor opens in the graph viewer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import StoreDep
from api.templating import citation, respond
from graph.errors import ParameterError
from graph.iris import local_name
from graph.namespaces import PREFIXES
from graph.profiles import COUNTED, TABLES, ActorProfile, actor_profile, actor_summaries_of, profile_rows
from graph.tables import Table, table

router = APIRouter(tags=["pages"])

ID = PREFIXES["skgd"]
ROW_COLUMNS = [
    ("iri", "IRI"),
    ("label", "Label"),
    ("category", "Kind"),
    ("date", "Date"),
    ("mentioned_as", "Named in the text as"),
    ("via", "Through"),
    ("evidence", "Evidence"),
]
COUNT_HEADINGS = {
    "carried_out": "Carried out",
    "located": "Took place there",
    "affected": "Aimed at or involving it",
    "obligations": "Obligations by name",
    "recommendations": "Recommendations by name",
    "identifications": "Footnote identifications",
}


@router.get("/states", summary="States and other actors, with what the graph records of each", response_model=None)
async def states(request: Request, store: StoreDep) -> Response:
    """Every actor (States first) with the number of practices, obligations, recommendations and identifications."""
    found = await run_in_threadpool(actor_summaries_of, store)
    rows = [{"iri": a.iri, "label": a.label, "type": a.type, "page": page_of(a.iri), **a.counts} for a in found]
    listing = table(
        "actors",
        [("iri", "IRI"), ("label", "Actor"), ("type", "Kind"), *((name, COUNT_HEADINGS[name]) for name in COUNTED)],
        rows,
    )
    context = {
        "title": "States and actors",
        "rows": rows,
        "counted": [(n, COUNT_HEADINGS[n]) for n in COUNTED],
        "citation": citation(request, "States and actors in the solidarity-kg graph", str(request.url)),
    }
    return respond(request, "states.html", context, tables=(listing,), data={"actors": rows}, filename="actors")


def page_of(iri: str) -> str:
    """The profile page of an actor IRI."""
    return "/actors/" + iri.removeprefix(ID + "actor/") if iri.startswith(ID + "actor/") else "/id/" + iri.removeprefix(ID)


def _tables(profile: ActorProfile) -> list[Table]:
    return [table(name, ROW_COLUMNS, profile_rows(profile, name)) for name in TABLES]


async def _profile_page(request: Request, store: StoreDep, iri: str) -> Response:
    profile = await run_in_threadpool(actor_profile, store, iri)
    tables = _tables(profile)
    sections = [{"name": name, "heading": TABLES[name][0], "rows": profile.tables[name]} for name in TABLES]
    context = {
        "title": profile.label,
        "profile": profile,
        "sections": sections,
        "code": local_name(iri) if iri.startswith(ID + "actor/state/") else "",
        "citation": citation(request, f"{profile.label} — profile in the solidarity-kg graph", iri),
    }
    data = {
        "iri": profile.iri,
        "label": profile.label,
        "types": profile.types,
        "description": profile.description,
        "named_in_text": profile.named_in_text,
        "named_in_footnotes": profile.named_in_footnotes,
        "described_in": profile.described_in,
        **{name: profile_rows(profile, name) for name in TABLES},
        "citation": context["citation"],
    }
    filename = local_name(iri) or "actor"
    return respond(request, "actor.html", context, tables=tables, data=data, filename=filename)


@router.get("/states/{code}", summary="One State's profile", response_model=None)
async def state_page(
    request: Request, store: StoreDep, code: Annotated[str, Path(description="ISO 3166 alpha-3 code, e.g. HUN", examples=["HUN"])]
) -> Response:
    """The profile of a State by its ISO 3166 alpha-3 code."""
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise ParameterError(
            f"a State is named by its ISO 3166 alpha-3 code (e.g. HUN), got {code!r}",
            parameter="code",
            expected="ISO 3166 alpha-3",
        )
    return await _profile_page(request, store, f"{ID}actor/state/{code.upper()}")


@router.get("/actors/{path:path}", summary="One actor's profile", response_model=None)
async def actor_page(
    request: Request,
    store: StoreDep,
    path: Annotated[str, Path(description="Path under id/actor/, e.g. io/european-union", examples=["io/european-union"])],
) -> Response:
    """The profile of any actor: its IRI is ``id/actor/{path}``."""
    if not path or any(part in ("", ".", "..") for part in path.split("/")):
        raise ParameterError(f"not an actor path: {path!r}", parameter="path", expected="a path under id/actor/")
    from graph.iris import expand_iri

    return await _profile_page(request, store, expand_iri(f"{ID}actor/{path}", "path"))


__all__ = ["page_of", "router"]
