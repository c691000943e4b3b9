"""The query side of the W3C SPARQL 1.1 Protocol test suite, run against our ``/sparql``.

The W3C keeps its protocol tests in the w3c/rdf-tests repository, folder
``sparql/sparql11/protocol/``. Its manifest does not ship requests to replay:
it describes each test in words, as an HTTP request (method, path, headers,
body) and what the response must be (a status class, a result format, an
expected boolean). Each query test there (``query_*``, ``bad_query_*`` and
``bad_multiple_queries``) is written again here by hand, as one test named
after its W3C id; the update tests are left out, since this endpoint is
read-only.

The W3C tests refer to their data by IRIs at kasei.us (``data0.rdf`` to
``data3.rdf``). Our store fetches nothing from the network, so a small data
folder, written by the fixture below, stands in for them: ``dataN.ttl`` is
loaded into our named graph ``…/graph/data/dataN`` and, like the W3C's
``dataN`` file, holds the one triple ``<that graph's IRI> a foaf:Document``;
``data0`` (which the W3C never spells out) holds one statement about
``http://example.org/`` for the DESCRIBE test. A further graph, ``other``, is
in the store but named by no request, so that it shows up only where the
union default graph is used. Where the W3C expectation holds whatever
dataset is used, the test makes extra control requests whose answer does
depend on the dataset the request asked for.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator
from pathlib import Path
from urllib.parse import quote, urljoin

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from api.app import create_app
from graph.loader import graph_iri_for
from tests.conftest import assert_error, memory_settings

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
SRX = "{http://www.w3.org/2005/sparql-results#}"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
EXAMPLE = "http://example.org/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
TSV_TYPED = re.compile(r'"(?P<lexical>[^"]*)"\^\^<(?P<datatype>[^>]*)>')


def graph_of(name: str) -> str:
    """Our named graph for the data file ``<name>.ttl`` of the fixture's ``data`` folder."""
    return graph_iri_for(Path("data", f"{name}.ttl"))


G0, G1, G2, G3 = (graph_of(f"data{n}") for n in range(4))

DATA = {
    "data0": f'<{EXAMPLE}> <{RDFS_LABEL}> "described in data0" .\n',
    **{f"data{n}": f"<{graph_of(f'data{n}')}> a <http://xmlns.com/foaf/0.1/Document> .\n" for n in (1, 2, 3)},
    "other": f'<{EXAMPLE}> <{RDFS_COMMENT}> "said outside data0" .\n',
}

RESULT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
BOOLEAN_TYPES = ["application/sparql-results+json", "application/sparql-results+xml"]
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/trig": "trig",
}
W3C_RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples"}
"""The RDF formats the W3C RDF-result tests list (RDFa aside): what a request without Accept may get."""

BOTH_DEFAULT = "ASK { <{g1}> a ?type . <{g2}> a ?type . }"
BOTH_NAMED = "ASK { GRAPH ?g1 { <{g1}> a ?type } GRAPH ?g2 { <{g2}> a ?type } }"


def sparql(template: str) -> str:
    """A query with the graph IRIs filled in."""
    return template.replace("{g1}", G1).replace("{g2}", G2).replace("{g3}", G3)


def dataset(default: tuple[str, ...] = (), named: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Protocol dataset parameters, repeated as the protocol repeats them."""
    return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]


@pytest.fixture(scope="module")
def w3c(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Our service over the stand-in data; like the W3C requests, it sends no Accept header unless told to."""
    root = tmp_path_factory.mktemp("w3c_protocol")
    data, ontology = root / "data", root / "ontology"
    data.mkdir()
    ontology.mkdir()
    for name, turtle in DATA.items():
        (data / f"{name}.ttl").write_text(turtle, encoding="utf-8")
    with TestClient(create_app(memory_settings(data_dir=data, ontology_dir=ontology))) as client:
        del client.headers["accept"]
        yield client


def get(client: TestClient, query: str, params: list[tuple[str, str]] | None = None, accept: str | None = None) -> httpx.Response:
    return client.get("/sparql", params=[("query", query), *(params or [])], headers={"Accept": accept} if accept else None)


def post_direct(
    client: TestClient, query: str, params: list[tuple[str, str]] | None = None, accept: str | None = None
) -> httpx.Response:
    headers = {"Content-Type": DIRECT, **({"Accept": accept} if accept else {})}
    return client.post("/sparql", params=params or [], content=query.encode("utf-8"), headers=headers)


def post_form(client: TestClient, body: str, params: list[tuple[str, str]] | None = None) -> httpx.Response:
    return client.post("/sparql", params=params or [], content=body.encode("ascii"), headers={"Content-Type": FORM})


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def assert_media_type(response: httpx.Response, accept: str | None, without_accept: Collection[str]) -> None:
    """The media type asked for or, when the request named none, one of those the W3C test allows."""
    if accept:
        assert media_type(response) == accept, response.headers.get("content-type")
    else:
        assert media_type(response) in without_accept, response.headers.get("content-type")


def assert_success(response: httpx.Response) -> None:
    """The W3C accepts 2XX or 3XX; redirects are followed, so the final answer must be 2XX."""
    assert 200 <= response.status_code < 300, (response.status_code, response.text)


def boolean(response: httpx.Response) -> bool:
    """The answer of an ASK, read from SPARQL JSON or XML results."""
    assert_success(response)
    kind = media_type(response)
    if kind == "application/sparql-results+json":
        value = response.json()["boolean"]
        assert isinstance(value, bool), response.text
        return value
    if kind == "application/sparql-results+xml":
        element = ET.fromstring(response.content).find(f"{SRX}boolean")
        assert element is not None and element.text in ("true", "false"), response.text
        return element.text == "true"
    pytest.fail(f"an ASK answer must be SPARQL JSON or XML results, not {kind!r}")


def tsv_term(text: str) -> tuple[str, str | None]:
    """Lexical form and datatype of a literal in SPARQL TSV (typed, or an integer in short form)."""
    if match := TSV_TYPED.fullmatch(text):
        return match["lexical"], match["datatype"]
    if re.fullmatch(r"[+-]?[0-9]+", text):
        return text, XSD_INTEGER
    return text, None


def rows(response: httpx.Response) -> list[dict[str, tuple[str, str | None]]]:
    """The rows of a SELECT as variable -> (lexical value, datatype), from any of the four result formats.

    CSV carries no datatypes: there the datatype is None.
    """
    assert_success(response)
    kind = media_type(response)
    if kind == "application/sparql-results+json":
        bindings = response.json()["results"]["bindings"]
        return [{name: (term["value"], term.get("datatype")) for name, term in row.items()} for row in bindings]
    if kind == "application/sparql-results+xml":
        return [
            {
                binding.get("name", ""): (binding[0].text or "", binding[0].get("datatype"))
                for binding in result.iter(f"{SRX}binding")
            }
            for result in ET.fromstring(response.content).iter(f"{SRX}result")
        ]
    if kind == "text/csv":
        return [{name: (value, None) for name, value in row.items()} for row in csv.DictReader(io.StringIO(response.text))]
    if kind == "text/tab-separated-values":
        header, *lines = response.text.rstrip("\n").split("\n")
        names = [name.removeprefix("?") for name in header.split("\t")]
        return [{name: tsv_term(value) for name, value in zip(names, line.split("\t"), strict=True)} for line in lines]
    pytest.fail(f"a SELECT answer must be SPARQL results (JSON, XML, CSV or TSV), not {kind!r}")


def rdf(response: httpx.Response) -> Graph:
    """The triples of a CONSTRUCT or DESCRIBE answer, parsed by rdflib."""
    assert_success(response)
    kind = media_type(response)
    assert kind in RDF_TYPES, f"an RDF answer must be one of {sorted(RDF_TYPES)}, not {kind!r}"
    return Graph().parse(data=response.content, format=RDF_TYPES[kind])


# --- queries that must succeed -------------------------------------------------------------


@pytest.mark.parametrize("where", ["url", "form"])
def test_query_post_form(w3c: TestClient, where: str) -> None:
    """ASK {} as a URL-encoded form, with data0 as default graph (in the URL, as the W3C does, or in the form)."""

    def ask(query: str) -> httpx.Response:
        body = "query=" + quote(query, safe="")
        if where == "url":
            return post_form(w3c, body, dataset(default=(G0,)))
        return post_form(w3c, body + "&default-graph-uri=" + quote(G0, safe=""))

    assert boolean(ask("ASK {}")) is True
    # control: data0 is the whole default graph, so data1's triple is not in it
    assert boolean(ask(sparql("ASK { <{g1}> a ?type }"))) is False


def test_query_dataset_default_graphs_get(w3c: TestClient) -> None:
    """Two default-graph-uri parameters on a GET: the default graph is the merge of data1 and data2."""
    assert boolean(get(w3c, sparql(BOTH_DEFAULT), dataset(default=(G1, G2)))) is True
    assert boolean(get(w3c, sparql(BOTH_DEFAULT), dataset(default=(G1,)))) is False


def test_query_dataset_default_graphs_post(w3c: TestClient) -> None:
    """The same with a direct POST, the dataset given in the URL."""
    assert boolean(post_direct(w3c, sparql(BOTH_DEFAULT), dataset(default=(G1, G2)))) is True
    assert boolean(post_direct(w3c, sparql(BOTH_DEFAULT), dataset(default=(G1,)))) is False


def test_query_dataset_named_graphs_post(w3c: TestClient) -> None:
    """Two named-graph-uri parameters on a direct POST: both graphs answer GRAPH clauses."""
    assert boolean(post_direct(w3c, sparql(BOTH_NAMED), dataset(named=(G1, G2)))) is True
    assert boolean(post_direct(w3c, sparql(BOTH_NAMED), dataset(named=(G1,)))) is False
    # control: with named graphs only, the default graph is empty
    assert boolean(post_direct(w3c, sparql("ASK { <{g1}> a ?type }"), dataset(named=(G1, G2)))) is False


def test_query_dataset_named_graphs_get(w3c: TestClient) -> None:
    """The same with a GET."""
    assert boolean(get(w3c, sparql(BOTH_NAMED), dataset(named=(G1, G2)))) is True
    assert boolean(get(w3c, sparql(BOTH_NAMED), dataset(named=(G1,)))) is False
    assert boolean(get(w3c, sparql("ASK { <{g1}> a ?type }"), dataset(named=(G1, G2)))) is False


def test_query_dataset_full(w3c: TestClient) -> None:
    """Default graph data3 and named graphs data1 and data2, all given by the protocol."""
    full = dataset(default=(G3,), named=(G1, G2))
    query = sparql("""ASK {
  <{g3}> a ?type
  GRAPH ?g1 { <{g1}> a ?type }
  GRAPH ?g2 { <{g2}> a ?type }
}""")
    assert boolean(post_direct(w3c, query, full)) is True
    # controls: data1 is not in the default graph, data3 is not a named graph
    assert boolean(post_direct(w3c, sparql("ASK { <{g1}> a ?type }"), full)) is False
    assert boolean(post_direct(w3c, sparql("ASK { GRAPH ?g { <{g3}> a ?type } }"), full)) is False


def test_query_multiple_dataset(w3c: TestClient) -> None:
    """A dataset both in the query (FROM data3) and in the protocol (named data1, data2): the protocol's wins."""
    query = sparql("ASK FROM <{g3}> { GRAPH ?g1 { <{g1}> a ?type } GRAPH ?g2 { <{g2}> a ?type } }")
    assert boolean(post_direct(w3c, query, dataset(named=(G1, G2)))) is True
    # controls: the protocol's dataset replaces FROM, leaving an empty default graph ...
    assert boolean(post_direct(w3c, sparql("ASK FROM <{g3}> { <{g3}> a ?type }"), dataset(named=(G1, G2)))) is False
    # ... and without a protocol dataset the query's own (FROM only, so no named graph) is used
    assert boolean(post_direct(w3c, query)) is False
    assert boolean(post_direct(w3c, sparql("ASK FROM <{g3}> { <{g3}> a ?type }"))) is True
    assert boolean(post_direct(w3c, sparql("ASK FROM <{g3}> { <{g1}> a ?type }"))) is False


def test_query_get(w3c: TestClient) -> None:
    """ASK {} in the URL of a GET, with data0 as default graph."""
    assert boolean(get(w3c, "ASK {}", dataset(default=(G0,)))) is True
    assert boolean(get(w3c, sparql("ASK { <{g1}> a ?type }"), dataset(default=(G0,)))) is False


def test_query_post_direct(w3c: TestClient) -> None:
    """ASK {} as the body of a POST, no dataset anywhere."""
    assert boolean(post_direct(w3c, "ASK {}")) is True
    # control: with no dataset in the request or the query, the default graph is the union of all graphs
    assert boolean(post_direct(w3c, sparql("ASK { <{g1}> a ?t . <{g2}> a ?t . <{g3}> a ?t }"))) is True


# --- content types ---------------------------------------------------------------------------


@pytest.mark.parametrize("accept", [None, *RESULT_TYPES])
def test_query_content_type_select(w3c: TestClient, accept: str | None) -> None:
    """A SELECT answers in a tabular format: XML, JSON, CSV or TSV (the one asked for, if any)."""
    response = post_direct(w3c, "SELECT (1 AS ?value) {}", dataset(default=(G0,)), accept)
    assert_success(response)
    assert_media_type(response, accept, RESULT_TYPES)
    datatype = None if media_type(response) == "text/csv" else XSD_INTEGER
    assert rows(response) == [{"value": ("1", datatype)}]


@pytest.mark.parametrize("accept", [None, *BOOLEAN_TYPES])
def test_query_content_type_ask(w3c: TestClient, accept: str | None) -> None:
    """An ASK answers in a boolean format: SPARQL results in XML or JSON."""
    response = post_direct(w3c, "ASK {}", dataset(default=(G0,)), accept)
    assert_success(response)
    assert_media_type(response, accept, BOOLEAN_TYPES)
    assert boolean(response) is True


@pytest.mark.parametrize("accept", [None, *RDF_TYPES])
def test_query_content_type_describe(w3c: TestClient, accept: str | None) -> None:
    """A DESCRIBE answers in an RDF format; here it describes from data0 alone, the requested default graph."""
    response = post_direct(w3c, f"DESCRIBE <{EXAMPLE}>", dataset(default=(G0,)), accept)
    assert_success(response)
    assert_media_type(response, accept, W3C_RDF_TYPES)
    graph = rdf(response)
    assert (URIRef(EXAMPLE), URIRef(RDFS_LABEL), Literal("described in data0")) in graph
    assert (URIRef(EXAMPLE), URIRef(RDFS_COMMENT), None) not in graph


@pytest.mark.parametrize("accept", [None, *RDF_TYPES])
def test_query_content_type_construct(w3c: TestClient, accept: str | None) -> None:
    """A CONSTRUCT answers in an RDF format; its relative IRIs resolve against the endpoint's URL."""
    response = post_direct(w3c, "CONSTRUCT { <s> <p> 1 } WHERE {}", dataset(default=(G0,)), accept)
    assert_success(response)
    assert_media_type(response, accept, W3C_RDF_TYPES)
    endpoint = str(w3c.base_url).rstrip("/") + "/sparql"
    expected = (URIRef(urljoin(endpoint, "s")), URIRef(urljoin(endpoint, "p")), Literal(1))
    assert set(rdf(response)) == {expected}


# --- requests that must be refused -----------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_bad_query_method(w3c: TestClient, method: str) -> None:
    """A query sent with a method other than GET or POST (the W3C uses PUT): 405, naming the methods allowed."""
    response = w3c.request(
        method, "/sparql", params=[("query", "ASK {}"), *dataset(default=(G0,))], headers={"Content-Type": FORM}
    )
    assert_error(response, 405)
    allowed = {part.strip().upper() for part in response.headers.get("allow", "").split(",")}
    assert {"GET", "HEAD", "POST"} <= allowed, response.headers.get("allow")


@pytest.mark.parametrize("where", ["get", "form"])
def test_bad_multiple_queries(w3c: TestClient, where: str) -> None:
    """Two query parameters (in the URL, as the W3C does, or in a form): 400."""
    if where == "get":
        response = w3c.get("/sparql", params=[("query", "ASK {}"), ("query", "SELECT * {}")])
    else:
        response = post_form(w3c, "query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D")
    assert_error(response, 400)


def test_bad_query_wrong_media_type(w3c: TestClient) -> None:
    """A POST whose media type is neither a form nor application/sparql-query: 415 (the W3C asks for a 4XX)."""
    assert_error(w3c.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}), 415)


def test_bad_query_missing_form_type(w3c: TestClient) -> None:
    """A URL-encoded body sent without its media type: 415."""
    response = w3c.post("/sparql", content=b"query=ASK%20%7B%7D")
    assert "content-type" not in response.request.headers
    assert_error(response, 415)


def test_bad_query_missing_direct_type(w3c: TestClient) -> None:
    """A SPARQL body sent without its media type: 415."""
    response = w3c.post("/sparql", content=b"ASK {}")
    assert "content-type" not in response.request.headers
    assert_error(response, 415)


# "ASK { FILTER("café" != "") }" with é in Latin-1: a valid query once the bad byte is replaced, so only a
# UTF-8 check refuses it
LATIN1_QUERY = 'ASK { FILTER("caf\xe9" != "") }'.encode("latin-1")


@pytest.mark.parametrize("where", ["direct-utf16", "direct-latin1", "form-latin1", "get-latin1"])
def test_bad_query_non_utf8(w3c: TestClient, where: str) -> None:
    """A query not in UTF-8: 400. The W3C's case is a direct POST in UTF-16 that says so in its Content-Type."""
    if where == "direct-utf16":
        response = w3c.post("/sparql", content="ASK {}".encode("utf-16"), headers={"Content-Type": DIRECT + "; charset=UTF-16"})
    elif where == "direct-latin1":
        response = w3c.post("/sparql", content=LATIN1_QUERY, headers={"Content-Type": DIRECT})
    elif where == "form-latin1":
        response = post_form(w3c, "query=" + quote(LATIN1_QUERY, safe=""))
    else:
        response = w3c.get("/sparql?query=" + quote(LATIN1_QUERY, safe=""))
    assert_error(response, 400)


def test_bad_query_syntax(w3c: TestClient) -> None:
    """A query that does not parse (``ASK {``): 400."""
    assert_error(w3c.get("/sparql", params={"query": "ASK {"}), 400, "query_syntax_error")
