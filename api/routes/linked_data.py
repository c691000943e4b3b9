"""Linked Data: every IRI of our namespace resolves here.

``/id/{path}`` answers with an HTML page for people (label, types, every link
with labels, evidence, flags, a link to the viewer), JSON for scripts, and
Turtle, JSON-LD, N-Triples, RDF/XML or TriG by Accept. Vocabulary concepts
resolve at ``/vocab/{path}`` and the ontology at ``/ontology``.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import SettingsDep, StoreDep
from api.pages import link, page
from graph.describe import Link, NodeDescription, describe_node, node_triples
from graph.formats import GRAPH_FORMATS, negotiate, parse_accept
from graph.iris import expand_iri
from graph.links import local_href
from graph.namespaces import BASE

router = APIRouter(tags=["linked data"])


@lru_cache(maxsize=4)
def ontology_page(path: Path) -> str:
    """The ontology reference page (the file does not change while serving)."""
    from graph.ontology_doc import ontology_sections  # rdflib is imported on first use, not at start-up

    title, body = ontology_sections(path)
    return page(f"{title} — solidarity-kg", body)


def iri_link(iri: str, text: str) -> str:
    """The HTML for a link to ``iri`` labelled ``text``; a non-http(s) IRI is shown as escaped text."""
    return link(iri, text, local_href(iri))


def _link_rows(links: list[Link]) -> str:
    rows = [f"<tr><td>{escape(item.property_label)}</td><td>{iri_link(item.node, item.label)}</td></tr>" for item in links]
    return "<table>" + "".join(rows) + "</table>" if rows else "<p>none</p>"


def render_html(description: NodeDescription) -> str:
    """The page for people; every data value is escaped."""
    types = ", ".join(f'<span class="badge">{escape(t.label)}</span>' for t in description.types)
    flags = "".join(f'<p class="flag">{escape(flag)}</p>' for flag in description.flags)
    values = "".join(f"<tr><td>{escape(v.property_label)}</td><td>{escape(v.value)}</td></tr>" for v in description.values)
    evidence = "".join(f"<li>{iri_link(e.locator, e.label)}</li>" for e in description.evidence) or "<li>none recorded</li>"
    viewer = "/viewer?node=" + quote(description.iri, safe="")
    body = f"""<h1>{escape(description.label)}</h1>
<p>{types} <code>{escape(description.iri)}</code></p>{flags}
<p><a href="{escape(viewer)}">Open in the graph viewer</a> ·
<a href="?format=turtle">Turtle</a> · <a href="?format=jsonld">JSON-LD</a> · <a href="?format=nt">N-Triples</a></p>
<h2>Evidence</h2><ul>{evidence}</ul>
<h2>Values</h2><table>{values}</table>
<h2>Links</h2>{_link_rows(description.outgoing)}
<h2>Referred to by</h2>{_link_rows(description.incoming)}"""
    return page(f"{description.label} — solidarity-kg", body)


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


def _resolve(store: StoreDep, iri: str, accept: str | None, format_param: str | None) -> Response:
    wanted = _wants(accept, format_param)
    description = describe_node(store, iri)
    if wanted == "html":
        return HTMLResponse(render_html(description))
    if wanted == "json":
        data: dict[str, Any] = asdict(description)
        data["flags"] = description.flags
        return JSONResponse(data)
    return Response(node_triples(store, iri, wanted), media_type=wanted, headers={"Vary": "Accept"})


FORMAT = Annotated[
    str | None, Query(alias="format", description="html, json, turtle, jsonld, nt, rdfxml or trig; overrides Accept.")
]


@router.get("/id/{path:path}", summary="Dereference a data IRI", response_model=None)
async def dereference(path: str, request: Request, store: StoreDep, format_param: FORMAT = None) -> Response:
    """The resource ``https://w3id.org/solidarity-kg/id/{path}`` as HTML, JSON or RDF."""
    iri = expand_iri(BASE + "id/" + path, "path")
    return await run_in_threadpool(_resolve, store, iri, request.headers.get("accept"), format_param)


@router.get("/vocab/{path:path}", summary="Dereference a vocabulary concept", response_model=None)
async def vocabulary(path: str, request: Request, store: StoreDep, format_param: FORMAT = None) -> Response:
    """The concept ``https://w3id.org/solidarity-kg/vocab/{path}`` as HTML, JSON or RDF."""
    iri = expand_iri(BASE + "vocab/" + path, "path")
    return await run_in_threadpool(_resolve, store, iri, request.headers.get("accept"), format_param)


@router.get("/ontology", summary="The ontology: documentation for people, Turtle for machines", response_model=None)
async def ontology(request: Request, store: StoreDep, settings: SettingsDep, format_param: FORMAT = None) -> Response:
    """The ontology as an HTML reference (classes, properties, comments) or as Turtle/RDF."""
    wanted = _wants(request.headers.get("accept"), format_param)
    if wanted not in ("html", "json"):
        from pyoxigraph import RdfFormat, parse, serialize

        triples = list(parse(path=str(settings.ontology_dir / "solidarity.ttl"), format=RdfFormat.TURTLE))
        return Response(serialize(triples, format=GRAPH_FORMATS[wanted]) or b"", media_type=wanted)
    return HTMLResponse(await run_in_threadpool(ontology_page, settings.ontology_dir / "solidarity.ttl"))


__all__ = ["iri_link", "render_html", "router"]
