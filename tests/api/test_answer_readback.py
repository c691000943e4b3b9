"""SPARQL answers over HTTP, read back by independent parsers and compared across formats.

The same query on the bundled data is asked with each Accept type; every
answer is read back by rdflib and by pyoxigraph (CSV by Python's ``csv``
module) and must agree, term by term and in order, with the others: language
tags, datatypes (standard and custom), unbound values, blank nodes and
strings with tabs, quotes and newlines included. ASK and CONSTRUCT answers
are compared the same way, and answers cut by the row cap must still be
whole documents with exactly the rows the cap allows.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic
from rdflib.query import Result
from rdflib.term import BNode, Literal, Node, URIRef

from api.app import create_app
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
from tests.conftest import memory_settings
from tests.graph.test_result_readback import (
    CSV,
    GRAPH_READERS,
    JSON,
    RDFLIB_GRAPHS,
    RDFLIB_RESULTS,
    READERS,
    TSV,
    XML,
    XSD,
    XSD_STRING,
    Row,
    Term,
    assert_csv_cells,
    read_csv,
    read_oxigraph,
)

LABELLED = r"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?thing ?label ?when ?years ?jointly ?text ?custom ?tagged WHERE {
  ?thing rdfs:label ?label .
  { ?thing skg:date ?when } UNION { ?thing dcterms:created ?when } UNION { ?thing skg:termYears ?years }
  UNION { ?thing skg:jointly ?jointly }
  BIND("tab\there, \"quoted\" and 'single'\nnext line; a,b; <b>&amp;</b> ]]> Zürich ☃ 日本" AS ?text)
  BIND(STRDT(STR(?label), <https://example.org/custom#type>) AS ?custom)
  BIND(STRLANG(CONCAT("«", STR(?label), "»"), "de-CH") AS ?tagged)
} ORDER BY ?thing ?when ?years ?jointly"""
"""Labelled things with a date, a year count or a flag: language tags, several datatypes, unbound values."""
VARIABLES = ["thing", "label", "when", "years", "jointly", "text", "custom", "tagged"]

BLANKS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }"
"""Every triple with a blank node in the bundled data."""

GRAPH = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
CONSTRUCT { ?s ?p ?o } WHERE {
  { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }
  UNION { ?s skg:termYears ?years ; ?p ?o }
}"""
"""Blank-node triples and every triple about the mandate holders' terms."""

FLAT_GRAPH = """PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
CONSTRUCT { ?s ?p ?o } WHERE { ?s skg:termYears ?years ; ?p ?o FILTER(!isBlank(?o)) }"""

ASK_TRUE = "ASK { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANG(?l) = 'en') }"
ASK_FALSE = "ASK { ?s <http://www.w3.org/2000/01/rdf-schema#label> 'no such label, surely'@en }"


def get(client: TestClient, query: str, accept: str) -> bytes:
    """The body of a successful GET /sparql answered in the accepted media type."""
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    body: bytes = response.content
    return body


@pytest.fixture(scope="module")
def reference(client: TestClient) -> list[Row]:
    """The rows of LABELLED as pyoxigraph reads the JSON answer."""
    variables, rows = read_oxigraph(get(client, LABELLED, JSON), JSON)
    assert variables == VARIABLES
    return rows


def test_the_reference_holds_tags_types_and_unbound_values(reference: list[Row]) -> None:
    terms = [t for row in reference for t in row]
    assert None in terms
    langs = {t[3] for t in terms if t is not None and t[0] == "literal" and t[2] == "lang"}
    assert {"en", "de-ch"} <= langs
    datatypes = {t[3] for t in terms if t is not None and t[0] == "literal" and t[2] == "datatype"}
    wanted = {XSD + "gYear", XSD + "date", XSD + "integer", XSD + "boolean", XSD_STRING, "https://example.org/custom#type"}
    assert wanted <= datatypes


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("media_type", [JSON, XML, TSV])
def test_formats_agree_term_by_term(client: TestClient, reference: list[Row], media_type: str, reader: str) -> None:
    variables, rows = READERS[reader](get(client, LABELLED, media_type), media_type)
    assert variables == VARIABLES
    assert len(rows) == len(reference)
    for got, want in zip(rows, reference, strict=True):
        assert got == want


def test_csv_agrees_with_the_lexical_forms(client: TestClient, reference: list[Row]) -> None:
    body = get(client, LABELLED, CSV)
    assert body.startswith(",".join(VARIABLES).encode() + b"\r\n")
    header, cells = read_csv(body)
    assert header == VARIABLES
    assert_csv_cells(reference, cells)


def test_tsv_header_names_question_marked_variables(client: TestClient, reference: list[Row]) -> None:
    lines = get(client, LABELLED, TSV).decode("utf-8").split("\n")
    assert lines[0] == "\t".join("?" + v for v in VARIABLES)
    assert len(lines) == len(reference) + 2 and lines[-1] == ""


@pytest.mark.parametrize("media_type", list(RESULT_FORMATS))
def test_row_count_header_matches_the_body(client: TestClient, reference: list[Row], media_type: str) -> None:
    response = client.get("/sparql", params={"query": LABELLED}, headers={"Accept": media_type})
    assert int(response.headers["x-result-rows"]) == len(reference)
    assert "x-result-truncated" not in response.headers


# --- blank nodes, compared as graphs (labels are the server's own) ------------------------------------------


def node(term: Term | None) -> Node:
    """A parser-neutral term as an rdflib node."""
    assert term is not None
    if term[0] == "uri":
        return URIRef(term[1])
    if term[0] == "bnode":
        return BNode(term[1])
    if term[2] == "lang":
        return Literal(term[1], lang=term[3])
    return Literal(term[1], datatype=None if term[3] == XSD_STRING else URIRef(term[3]))


def rows_graph(rows: list[Row]) -> rdflib.Graph:
    """(?s ?p ?o) rows as a graph."""
    graph = rdflib.Graph()
    for s, p, o in rows:
        graph.add((node(s), node(p), node(o)))
    return graph


@pytest.fixture(scope="module")
def blank_graph(client: TestClient) -> rdflib.Graph:
    """The blank-node triples, from the N-Triples answer to the same query as CONSTRUCT."""
    construct = BLANKS.replace("SELECT ?s ?p ?o", "CONSTRUCT { ?s ?p ?o }")
    graph = GRAPH_READERS["oxigraph"](get(client, construct, "application/n-triples"), "application/n-triples")
    assert any(isinstance(t, BNode) for triple in graph for t in triple)
    return graph


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("media_type", [JSON, XML, TSV])
def test_blank_nodes_agree(client: TestClient, blank_graph: rdflib.Graph, media_type: str, reader: str) -> None:
    variables, rows = READERS[reader](get(client, BLANKS, media_type), media_type)
    assert variables == ["s", "p", "o"]
    assert len(rows) == len(blank_graph)
    assert isomorphic(rows_graph(rows), blank_graph)


# --- ASK ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "truth"), [(ASK_TRUE, True), (ASK_FALSE, False)])
@pytest.mark.parametrize("media_type", [JSON, XML])
def test_ask_reads_back(client: TestClient, media_type: str, query: str, truth: bool) -> None:
    body = get(client, query, media_type)
    assert Result.parse(io.BytesIO(body), format=RDFLIB_RESULTS[media_type]).askAnswer is truth
    assert bool(ox.parse_query_results(body, format=RESULT_FORMATS[media_type])) is truth


# --- CONSTRUCT ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def whole_graph(client: TestClient) -> rdflib.Graph:
    """GRAPH as pyoxigraph reads the N-Triples answer."""
    graph = GRAPH_READERS["oxigraph"](get(client, GRAPH, "application/n-triples"), "application/n-triples")
    objects = [o for o in graph.objects() if isinstance(o, Literal)]
    assert any(o.language for o in objects) and any(o.datatype for o in objects)
    assert any(isinstance(t, BNode) for triple in graph for t in triple)
    return graph


def test_every_graph_format_is_read_back_here() -> None:
    assert set(RDFLIB_GRAPHS) == set(GRAPH_FORMATS)


@pytest.mark.parametrize("reader", list(GRAPH_READERS))
@pytest.mark.parametrize("media_type", list(RDFLIB_GRAPHS))
def test_graph_formats_agree(client: TestClient, whole_graph: rdflib.Graph, media_type: str, reader: str) -> None:
    got = GRAPH_READERS[reader](get(client, GRAPH, media_type), media_type)
    assert len(got) == len(whole_graph)
    assert isomorphic(got, whole_graph)


# --- cut answers ----------------------------------------------------------------------------------------

CAP = 3


@pytest.fixture(scope="module")
def truncating() -> Iterator[TestClient]:
    """A service on the bundled data that cuts answers at CAP rows instead of refusing them."""
    with TestClient(create_app(memory_settings(on_limit="truncate", max_rows=CAP))) as test_client:
        yield test_client


CUT_READERS = [
    pytest.param(JSON, "rdflib", id="json-rdflib"),
    pytest.param(JSON, "oxigraph", id="json-oxigraph"),
    pytest.param(XML, "rdflib", id="xml-rdflib"),
    pytest.param(XML, "oxigraph", id="xml-oxigraph"),
    pytest.param(TSV, "rdflib", id="tsv-rdflib"),
    pytest.param(TSV, "oxigraph", id="tsv-oxigraph"),
]


def cut(truncating: TestClient, query: str, accept: str) -> bytes:
    """The body of an answer the row cap cut, checking the headers that say so."""
    response = truncating.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    assert response.headers["x-result-rows"] == str(CAP)
    assert response.headers["x-result-truncated"].startswith(f"true; by=rows; limit={CAP}")
    body: bytes = response.content
    return body


@pytest.mark.parametrize(("media_type", "reader"), CUT_READERS)
def test_cut_answer_is_well_formed(truncating: TestClient, reference: list[Row], media_type: str, reader: str) -> None:
    variables, rows = READERS[reader](cut(truncating, LABELLED, media_type), media_type)
    assert variables == VARIABLES
    assert rows == reference[:CAP]


def test_cut_csv_is_well_formed(truncating: TestClient, reference: list[Row]) -> None:
    header, cells = read_csv(cut(truncating, LABELLED, CSV))
    assert header == VARIABLES
    assert_csv_cells(reference[:CAP], cells)


@pytest.mark.parametrize("media_type", list(RDFLIB_GRAPHS))
def test_cut_graph_is_well_formed(client: TestClient, truncating: TestClient, media_type: str) -> None:
    whole = GRAPH_READERS["oxigraph"](get(client, FLAT_GRAPH, "application/n-triples"), "application/n-triples")
    assert len(whole) > CAP
    body = cut(truncating, FLAT_GRAPH, media_type)
    for reader in GRAPH_READERS.values():
        got = reader(body, media_type)
        assert len(got) == CAP
        assert set(got) <= set(whole)
