"""The SPARQL 1.1 Protocol endpoint: GET, POST form, POST direct; read-only.

Without a query it answers with a service description (RDF) or, for a
browser, the YASGUI query editor served from local assets.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from api.deps import SettingsDep, StoreDep
from api.errors import ApiError
from api.pages import yasgui_page
from graph.catalogue import query_kind
from graph.errors import ReadOnlyError
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS, accepts_html, negotiate
from graph.query_guard import check_read_only_query
from graph.store import QueryRequest

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMAT_HELP = "Media type or short name (json, xml, csv, tsv, turtle, nt, jsonld, rdfxml, trig); overrides Accept."

EXAMPLE = """PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?practice ?label WHERE { ?practice a skg:GoodPractice ; rdfs:label ?label } LIMIT 10"""


def _service_description(endpoint: str) -> list[ox.Triple]:
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")

    def sd(term: str) -> ox.NamedNode:
        return ox.NamedNode(SD + term)

    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
    ]
    for media_type in list(RESULT_FORMATS) + list(GRAPH_FORMATS):
        triples.append(ox.Triple(service, sd("resultFormat"), ox.Literal(media_type)))
    return triples


def _run(store: StoreDep, settings: SettingsDep, request: Request, text: str,
         default_graphs: list[str], named_graphs: list[str], format_param: str | None) -> Response:
    if len(text.encode()) > settings.max_query_bytes:
        raise ApiError(413, "query_too_large", f"the query is larger than {settings.max_query_bytes} bytes",
                       setting="SKG_MAX_QUERY_BYTES")
    check_read_only_query(text)
    kind = query_kind(text)
    offered = list(GRAPH_FORMATS if kind in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS)
    media_type = negotiate(request.headers.get("accept"), offered, format_param)
    output = store.query(QueryRequest(
        text=text, media_type=media_type, default_graph_uris=default_graphs, named_graph_uris=named_graphs,
        max_rows=settings.max_rows, timeout=settings.query_timeout,
    ))
    headers = {"X-Result-Rows": str(output.rows), "Vary": "Accept"}
    if output.truncated:
        headers["X-Result-Truncated"] = f"true; limit={settings.max_rows}; setting=SKG_MAX_ROWS"
    charset = "; charset=utf-8" if output.media_type.startswith("text/") else ""
    return Response(output.body, media_type=output.media_type + charset, headers=headers)


def _describe_service(request: Request, settings: SettingsDep, format_param: str | None) -> Response:
    accept = request.headers.get("accept")
    if format_param is None and accepts_html(accept):
        return HTMLResponse(yasgui_page(str(request.url_for("sparql_get")), EXAMPLE))
    media_type = negotiate(accept, list(GRAPH_FORMATS), format_param)
    endpoint = settings.base_url.rstrip("/") + "/sparql" if settings.base_url else str(request.url_for("sparql_get"))
    body = ox.serialize(_service_description(endpoint),
                        format=GRAPH_FORMATS[media_type]) or b""
    return Response(body, media_type=media_type)


@router.get("/sparql", name="sparql_get", summary="SPARQL 1.1 query (GET), service description or query editor",
            responses={200: {"content": {m: {} for m in [*RESULT_FORMATS, *GRAPH_FORMATS, "text/html"]}}})
def sparql_get(
    request: Request, store: StoreDep, settings: SettingsDep,
    query: Annotated[str | None, Query(description="The SPARQL query.", examples=[EXAMPLE])] = None,
    default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri")] = [],  # noqa: B006
    named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri")] = [],  # noqa: B006
    format: Annotated[str | None, Query(description=FORMAT_HELP)] = None,
    update: Annotated[str | None, Query(description="Refused: the endpoint is read-only.")] = None,
) -> Response:
    """Answer a SPARQL query given in the URL (results negotiated by Accept)."""
    if update is not None:
        raise ReadOnlyError("this SPARQL endpoint is read-only: update requests are refused")
    if query is None:
        return _describe_service(request, settings, format)
    return _run(store, settings, request, query, default_graph_uri, named_graph_uri, format)


@router.post("/sparql", name="sparql_post", summary="SPARQL 1.1 query (POST form or direct)",
             openapi_extra={"requestBody": {"content": {
                 FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
                 DIRECT: {"schema": {"type": "string"}, "example": EXAMPLE}}}})
async def sparql_post(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Answer a SPARQL query sent as a form (``query=``) or as the request body."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if len(body) > settings.max_query_bytes + 1024:
        raise ApiError(413, "query_too_large", f"the request body is larger than {settings.max_query_bytes} bytes",
                       setting="SKG_MAX_QUERY_BYTES")
    url_params = parse_qs(request.url.query)
    default_graphs = url_params.get("default-graph-uri", [])
    named_graphs = url_params.get("named-graph-uri", [])
    format_param = (url_params.get("format") or [None])[0]
    if content_type == FORM:
        form = parse_qs(body.decode("utf-8", errors="replace"))
        if "update" in form:
            raise ReadOnlyError("this SPARQL endpoint is read-only: update requests are refused")
        if "query" not in form:
            raise ApiError(400, "missing_query", "the form has no 'query' field", parameter="query")
        text = form["query"][0]
        default_graphs += form.get("default-graph-uri", [])
        named_graphs += form.get("named-graph-uri", [])
        format_param = (form.get("format") or [format_param])[0]
    elif content_type == DIRECT:
        text = body.decode("utf-8", errors="replace")
    elif content_type == UPDATE:
        raise ReadOnlyError("this SPARQL endpoint is read-only: update requests are refused")
    else:
        raise ApiError(415, "unsupported_media_type",
                       f"Content-Type {content_type or '(none)'} is not accepted; use {FORM} or {DIRECT}",
                       accepted=[FORM, DIRECT])
    return await run_in_threadpool(_run, store, settings, request, text, default_graphs, named_graphs, format_param)


__all__ = ["router"]
