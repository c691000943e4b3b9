"""Linked Data: every IRI of our namespace resolves here.

``/id/{path}`` answers with an HTML page for people (label, types, every link
with labels, evidence, flags, a link to the viewer), JSON for scripts, and
Turtle, JSON-LD, N-Triples, RDF/XML or TriG by Accept. Vocabulary concepts
resolve at ``/vocab/{path}`` and the ontology at ``/ontology``.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pyoxigraph import NamedNode

from api.deps import SettingsDep, StoreDep
from api.pages import link
from graph.describe import NodeDescription, describe_node, node_triples
from graph.formats import GRAPH_FORMATS, negotiate, parse_accept
from graph.iris import expand_iri
from graph.links import local_href
from graph.namespaces import BASE

router = APIRouter(tags=["linked data"])


@lru_cache(maxsize=4)
def ontology_page(path: Path, data_version: str = "") -> str:
    """The ontology reference page (the file does not change while serving)."""
    from api.templating import environment
    from graph.ontology_doc import ontology_reference  # rdflib is imported on first use, not at start-up

    reference = ontology_reference(path)
    context = {"title": reference["title"], "doc": reference, "data_version": data_version, "path": "/ontology"}
    return environment().get_template("ontology.html").render(context)


def iri_link(iri: str, text: str) -> str:
    """The HTML for a link to ``iri`` labelled ``text``; a non-http(s) IRI is shown as escaped text."""
    return link(iri, text, local_href(iri))


def render_html(description: NodeDescription, context: dict[str, Any] | None = None) -> str:
    """The page for people (``templates/node.html``); every data value is escaped by the template."""
    from api.templating import environment

    full = {
        "title": description.label,
        "d": description,
        "profile": _profile_of(description.iri),
        "official": {},
        "citation": None,
        "data_version": "",
        "path": "",
        **(context or {}),
    }
    return environment().get_template("node.html").render(full)


def _profile_of(iri: str) -> str | None:
    """The profile page of an actor, where the node is one."""
    actor = BASE + "id/actor/"
    return "/actors/" + iri[len(actor) :] if iri.startswith(actor) else None


def _official_texts(description: NodeDescription, store: StoreDep) -> dict[str, str]:
    """Official-text links (undocs.org) of the documents the evidence cites, by document IRI."""
    from graph.overview import OFFICIAL_DOCUMENTS
    from graph.store import select

    documents = sorted({e.document for e in description.evidence if e.document})
    if not documents:
        return {}
    values = " ".join(str(NamedNode(d)) for d in documents)  # IRIs from the store, re-serialised
    rows = select(
        store,
        "PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>\n"
        f"SELECT ?doc ?symbol WHERE {{ VALUES ?doc {{ {values} }} ?doc skg:documentSymbol ?symbol }}",
    )
    return {r["doc"]["value"]: OFFICIAL_DOCUMENTS + r["symbol"]["value"] for r in rows if "/" in r["symbol"]["value"]}


def _wants(accept: str | None, format_param: str | None) -> str:
    if format_param in ("html", "json"):
        return format_param
    if format_param:
        return negotiate(None, list(GRAPH_FORMATS), format_param)
    for media_range in parse_accept(accept):
        if media_range.media_type in ("text/html", "application/xhtml+xml"):
            return "html"
        if media_range.media_type == "application/json":
            return "json"
        if media_range.media_type in GRAPH_FORMATS:
            return media_range.media_type
        if media_range.media_type == "*/*":
            return "html"
    return negotiate(accept, list(GRAPH_FORMATS))


def _resolve(request: Request, store: StoreDep, iri: str, accept: str | None, format_param: str | None) -> Response:
    wanted = _wants(accept, format_param)
    if wanted not in ("html", "json"):  # RDF: the node's triples, without the description people read
        return Response(node_triples(store, iri, wanted), media_type=wanted, headers={"Vary": "Accept"})
    from api.templating import citation

    description = describe_node(store, iri)
    cited = citation(request, description.label, iri)
    official = _official_texts(description, store)
    if wanted == "html":
        context = {
            "official": official,
            "citation": cited,
            "data_version": getattr(request.app.state.runtime, "data_version", ""),
            "path": request.url.path,
        }
        return HTMLResponse(render_html(description, context))
    data: dict[str, Any] = asdict(description)
    data["flags"] = description.flags
    data["official_texts"] = official
    data["citation"] = cited
    return JSONResponse(data)


FORMAT = Annotated[
    str | None, Query(alias="format", description="html, json, turtle, jsonld, nt, rdfxml or trig; overrides Accept.")
]


@router.get("/id/{path:path}", summary="Dereference a data IRI", response_model=None)
async def dereference(path: str, request: Request, store: StoreDep, format_param: FORMAT = None) -> Response:
    """The resource ``https://w3id.org/solidarity-kg/id/{path}`` as HTML, JSON or RDF."""
    iri = expand_iri(BASE + "id/" + path, "path")
    return await run_in_threadpool(_resolve, request, store, iri, request.headers.get("accept"), format_param)


@router.get("/vocab/{path:path}", summary="Dereference a vocabulary concept", response_model=None)
async def vocabulary(path: str, request: Request, store: StoreDep, format_param: FORMAT = None) -> Response:
    """The concept ``https://w3id.org/solidarity-kg/vocab/{path}`` as HTML, JSON or RDF."""
    iri = expand_iri(BASE + "vocab/" + path, "path")
    return await run_in_threadpool(_resolve, request, store, iri, request.headers.get("accept"), format_param)


@router.get("/ontology", summary="The ontology: documentation for people, Turtle for machines", response_model=None)
async def ontology(request: Request, store: StoreDep, settings: SettingsDep, format_param: FORMAT = None) -> Response:
    """The ontology as an HTML reference (classes, properties, comments) or as Turtle/RDF."""
    wanted = _wants(request.headers.get("accept"), format_param)
    if wanted not in ("html", "json"):
        from pyoxigraph import RdfFormat, parse, serialize

        triples = list(parse(path=str(settings.ontology_dir / "solidarity.ttl"), format=RdfFormat.TURTLE))
        return Response(serialize(triples, format=GRAPH_FORMATS[wanted]) or b"", media_type=wanted)
    version = getattr(request.app.state.runtime, "data_version", "")
    return HTMLResponse(await run_in_threadpool(ontology_page, settings.ontology_dir / "solidarity.ttl", version))


__all__ = ["iri_link", "render_html", "router"]
