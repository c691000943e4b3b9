"""Real SPARQL clients against a real uvicorn process on a loopback port."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

pytestmark = pytest.mark.server

STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/solidarity-kg/ontology#State> } ORDER BY ?s"
MEXICO = "https://w3id.org/solidarity-kg/id/actor/state/MEX"


def _wrapper(live_server: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(live_server + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def test_sparqlwrapper_json(live_server: str) -> None:
    result = _wrapper(live_server, STATES, JSON).queryAndConvert()
    states = [b["s"]["value"] for b in result["results"]["bindings"]]  # type: ignore[index]
    assert MEXICO in states


def test_sparqlwrapper_xml(live_server: str) -> None:
    document = _wrapper(live_server, STATES, XML).queryAndConvert()
    uris = [node.firstChild.data for node in document.getElementsByTagName("uri")]  # type: ignore[union-attr]
    assert MEXICO in uris


def test_sparqlwrapper_csv(live_server: str) -> None:
    text = _wrapper(live_server, STATES, CSV).queryAndConvert().decode()  # type: ignore[union-attr]
    assert text.splitlines()[0] == "s" and MEXICO in text


def test_sparqlwrapper_construct_to_rdflib_graph(live_server: str) -> None:
    query = f"CONSTRUCT {{ <{MEXICO}> ?p ?o }} WHERE {{ <{MEXICO}> ?p ?o }}"
    graph = _wrapper(live_server, query, TURTLE).queryAndConvert()
    if isinstance(graph, bytes):
        graph = Graph().parse(data=graph, format="turtle")
    assert (URIRef(MEXICO), URIRef("https://w3id.org/solidarity-kg/ontology#isoAlpha2"), None) in graph


def test_sparqlwrapper_post(live_server: str) -> None:
    sparql = _wrapper(live_server, STATES, JSON)
    sparql.setMethod("POST")
    assert sparql.queryAndConvert()["results"]["bindings"]  # type: ignore[index]


def test_rdflib_sparqlstore(live_server: str) -> None:
    graph = Graph(store=SPARQLStore(live_server + "/sparql", returnFormat="json"))
    labels = {str(o) for o in graph.objects(URIRef(MEXICO), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert labels == {"Mexico"}
    rows = list(graph.query(STATES))
    assert URIRef(MEXICO) in {row[0] for row in rows}  # type: ignore[index]


@pytest.mark.parametrize("fmt", ["xml", "n3", "json-ld", "turtle"])
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_sparqlwrapper_graph_queries_in_every_return_format(live_server: str, form: str, fmt: str) -> None:
    """SPARQLWrapper sends both an Accept header and ``format=``; its Accept is the one that must count."""
    query = f"CONSTRUCT {{ <{MEXICO}> ?p ?o }} WHERE {{ <{MEXICO}> ?p ?o }}" if form == "CONSTRUCT" else f"DESCRIBE <{MEXICO}>"
    result = _wrapper(live_server, query, fmt).queryAndConvert()
    graph = (
        result
        if isinstance(result, Graph)
        else Graph().parse(data=result, format={"xml": "xml", "n3": "n3", "json-ld": "json-ld", "turtle": "turtle"}[fmt])
    )  # type: ignore[arg-type]
    assert (URIRef(MEXICO), URIRef("https://w3id.org/solidarity-kg/ontology#isoAlpha2"), None) in graph
