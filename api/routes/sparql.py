"""The SPARQL 1.1 Protocol endpoint: GET, POST form, POST direct; read-only.

Without a query it answers with a service description (RDF) or, for a
browser, the YASGUI query editor served from local assets.
"""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.errors import ERROR_RESPONSES, ApiError
from api.limits import QueryBudget, client_address
from api.pages import yasgui_page
from api.protocol import ProtocolRequest, decode, parse_params, protocol_request
from api.settings import Settings
from graph.errors import ReadOnlyError
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS, accepts_html, negotiate_query
from graph.results import QueryOutput
from graph.sparql_check import check_depth, query_form
from graph.store import QueryRequest

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMAT_HELP = (
    "Media type or short name (json, xml, csv, tsv, turtle, nt, jsonld, rdfxml, trig), used where the "
    "Accept header names no offered type; for CONSTRUCT and DESCRIBE, xml is RDF/XML and json JSON-LD."
)

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


def endpoint_url(request: Request, settings: Settings) -> str:
    """The endpoint's own URL: from SKG_BASE_URL, else from the (host-checked) request."""
    if settings.base_url:
        return settings.base_url + "/sparql"
    return str(request.url_for("sparql_get"))


def _headers(output: QueryOutput, settings: Settings) -> dict[str, str]:
    headers = {
        "X-Result-Rows": str(output.rows),
        "Vary": "Accept",
        "X-Result-Limit": f"rows={settings.max_rows}; bytes={settings.max_answer_bytes}; on-limit={settings.on_limit}",
    }
    if output.truncated:
        limit = settings.max_rows if output.cut_by == "rows" else settings.max_answer_bytes
        setting = "SKG_MAX_ROWS" if output.cut_by == "rows" else "SKG_MAX_ANSWER_BYTES"
        headers["X-Result-Truncated"] = f"true; by={output.cut_by}; limit={limit}; setting={setting}"
    return headers


async def _run(request: Request, protocol: ProtocolRequest) -> Response:
    """Check what the web process can check cheaply, then run the query in a public-lane worker."""
    settings: Settings = request.app.state.settings
    store = request.app.state.store
    text = protocol.query or ""
    if len(text.encode()) > settings.max_query_bytes:
        raise ApiError(
            413, "query_too_large", f"the query is larger than {settings.max_query_bytes} bytes", setting="SKG_MAX_QUERY_BYTES"
        )
    check_depth(text)
    form = query_form(text)
    media_type = negotiate_query(form, request.headers.get("accept"), protocol.format)
    query = QueryRequest(
        text=text,
        media_type=media_type,
        default_graph_uris=protocol.default_graphs,
        named_graph_uris=protocol.named_graphs,
        max_rows=settings.max_rows,
        max_bytes=settings.max_answer_bytes,
        cap_error=settings.on_limit == "error",
        timeout=settings.query_timeout,
        untrusted=True,
        form=form,
        base_iri=endpoint_url(request, settings),
        lane="public",
    )
    budget: QueryBudget = request.app.state.query_budget
    client = request.scope.get("state", {}).get("client") or client_address(request.scope, frozenset(settings.trusted_proxies))
    with budget.slot(client):
        output = await anyio.to_thread.run_sync(store.query, query, limiter=request.app.state.public_limiter)
    charset = "; charset=utf-8" if output.media_type.startswith("text/") else ""
    return Response(output.body, media_type=output.media_type + charset, headers=_headers(output, settings))


def _describe_service(request: Request, settings: Settings, format_param: str | None) -> Response:
    accept = request.headers.get("accept")
    endpoint = endpoint_url(request, settings)
    if format_param is None and accepts_html(accept):
        version = getattr(request.app.state.runtime, "data_version", "")
        return HTMLResponse(yasgui_page(endpoint, EXAMPLE, {"data_version": version}))
    media_type = negotiate_query("CONSTRUCT", accept, format_param)
    body = ox.serialize(_service_description(endpoint), format=GRAPH_FORMATS[media_type]) or b""
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


READ_ONLY = "this SPARQL endpoint is read-only: update requests are refused"


@router.get(
    "/sparql",
    name="sparql_get",
    summary="SPARQL 1.1 query (GET), service description or query editor",
    responses={200: {"content": {m: {} for m in [*RESULT_FORMATS, *GRAPH_FORMATS, "text/html"]}}, **ERROR_RESPONSES},
)
async def sparql_get(
    request: Request,
    query: Annotated[str | None, Query(description="The SPARQL query (once).", examples=[EXAMPLE])] = None,
    default_graph_uri: Annotated[
        list[str] | None, Query(alias="default-graph-uri", description="Default graph IRIs (replace the query's FROM).")
    ] = None,
    named_graph_uri: Annotated[
        list[str] | None, Query(alias="named-graph-uri", description="Named graph IRIs (replace the query's FROM NAMED).")
    ] = None,
    format: Annotated[str | None, Query(description=FORMAT_HELP)] = None,
    update: Annotated[str | None, Query(description="Refused: the endpoint is read-only.")] = None,
) -> Response:
    """Answer a SPARQL query given in the URL (results negotiated by Accept)."""
    protocol = protocol_request(parse_params(request.scope.get("query_string", b""), "query string"))
    if protocol.update:
        raise ReadOnlyError(READ_ONLY)
    if protocol.query is None:
        return _describe_service(request, request.app.state.settings, protocol.format)
    return await _run(request, protocol)


@router.post(
    "/sparql",
    name="sparql_post",
    summary="SPARQL 1.1 query (POST form or direct)",
    responses=ERROR_RESPONSES,
    openapi_extra={
        "requestBody": {
            "content": {
                FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
                DIRECT: {"schema": {"type": "string"}, "example": EXAMPLE},
            }
        }
    },
)
async def sparql_post(request: Request) -> Response:
    """Answer a SPARQL query sent as a form (``query=``) or as the request body."""
    settings: Settings = request.app.state.settings
    header = request.headers.get("content-type", "")
    content_type = header.split(";")[0].strip().lower()
    charset = next(
        (
            p.split("=", 1)[1].strip().strip('"').lower()
            for p in header.split(";")[1:]
            if p.strip().lower().startswith("charset=")
        ),
        "utf-8",
    )
    if content_type == UPDATE:
        raise ReadOnlyError(READ_ONLY)
    if content_type not in (FORM, DIRECT):
        raise ApiError(
            415,
            "unsupported_media_type",
            f"Content-Type {content_type or '(none)'} is not accepted; use {FORM} or {DIRECT}",
            accepted=[FORM, DIRECT],
        )
    if charset not in ("utf-8", "utf8"):
        raise ApiError(
            400,
            "invalid_encoding",
            f"charset {charset} is not accepted; send the query in UTF-8",
            part="Content-Type",
            accepted=["utf-8"],
        )
    body = await request.body()
    if len(body) > settings.max_query_bytes * 3 + 1024:
        raise ApiError(
            413,
            "query_too_large",
            f"the request body is larger than {settings.max_query_bytes} bytes",
            setting="SKG_MAX_QUERY_BYTES",
        )
    url_params = parse_params(request.scope.get("query_string", b""), "query string")
    if content_type == FORM:
        form = parse_params(body, "form body")
        if "query" in url_params:
            raise ApiError(
                400, "repeated_parameter", "a form POST carries 'query' in its body, not in the URL", parameter="query"
            )
        protocol = protocol_request(url_params, form)
        if protocol.update:
            raise ReadOnlyError(READ_ONLY)
        if protocol.query is None:
            raise ApiError(400, "missing_query", "the form has no 'query' field", parameter="query")
    else:
        if "query" in url_params or "update" in url_params:
            raise ApiError(
                400, "repeated_parameter", "a direct POST carries the query as its body, not in the URL", parameter="query"
            )
        direct = protocol_request(url_params)
        protocol = ProtocolRequest(decode(body, "request body"), direct.default_graphs, direct.named_graphs, direct.format, False)
    return await _run(request, protocol)


__all__ = ["endpoint_url", "router"]
