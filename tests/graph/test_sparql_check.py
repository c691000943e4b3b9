"""The checks made before any engine sees a query: terminals read as the grammar reads them."""

from __future__ import annotations

import time

import pytest

from graph.backends.oxigraph import OxigraphStore
from graph.errors import QuerySyntaxError, ReadOnlyError, UnknownPrefixError
from graph.sparql_check import analyse
from graph.sparql_terminals import terminals, unescape_codepoints
from graph.store import QueryRequest

TARGET = "<http://127.0.0.1:9/x>"


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * WHERE {{ SERVICE{TARGET}{{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o.SERVICE {TARGET} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o ;SERVICE {TARGET} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE {TARGET} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\U00000073ervice {TARGET} {{ ?s ?p ?o }} }}",
        f"PREFIX e: <http://e/> SELECT * WHERE {{ ?s ?p e:a\\# SERVICE {TARGET} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ sErViCe SILENT ?x {{ ?s ?p ?o }} VALUES ?x {{ {TARGET} }} }}",
    ],
)
def test_service_is_found_however_it_is_written(text: str) -> None:
    with pytest.raises(ReadOnlyError) as info:
        analyse(text)
    assert info.value.where["operation"] == "SERVICE"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
        "PREFIX e: <http://e/> SELECT * WHERE { ?s e:SERVICE ?o }",
        "PREFIX e: <http://e/> SELECT * WHERE { ?s e:a.SERVICE ?o }",
        'SELECT * WHERE { BIND("SERVICE <http://x/> {}" AS ?x) }',
        "SELECT * WHERE { ?s <http://e/SERVICE> ?o } # SERVICE <http://x/> { }",
    ],
)
def test_names_strings_iris_and_comments_holding_the_word_are_queries(text: str) -> None:
    assert analyse(text).form == "SELECT"


@pytest.mark.parametrize(
    "text", ["INSERT DATA { <a:b> <a:c> <a:d> }", "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }", "LOAD <http://x/>"]
)
def test_updates_are_refused(text: str) -> None:
    with pytest.raises(ReadOnlyError) as info:
        analyse(text)
    assert info.value.where["operation"] == "update"


def test_an_undeclared_prefix_is_named_with_its_place() -> None:
    with pytest.raises(UnknownPrefixError) as info:
        analyse('SELECT * WHERE {\n  ?s ?p "1"^^xsd:integer }')
    assert info.value.where == {"prefix": "xsd", "line": 2, "column": 14}


def test_the_dataset_of_the_text_is_read_with_prefixed_names_expanded() -> None:
    shape = analyse("PREFIX g: <http://g/> SELECT * FROM g:a\\.b FROM NAMED <http://n/> WHERE { ?s ?p ?o }")
    assert (shape.from_graphs, shape.from_named) == (("http://g/a.b",), ("http://n/",))
    assert not analyse("SELECT * WHERE { ?s ?p ?o }").names_dataset


def test_syntax_errors_come_from_the_engine_with_their_position() -> None:
    store = OxigraphStore()
    for text in ("SELECT * WHERE { ?s ?p }", "ASK { ?s ?p }", "CONSTRUCT WHERE { ?s ?p }", "DESCRIBE ?s WHERE { ?s }"):
        analyse(text)  # the terminals hold nothing refused: the syntax is the engine's to judge
        with pytest.raises(QuerySyntaxError) as info:
            store.query(QueryRequest(text, untrusted=True))
        assert info.value.where["line"] == 1 and info.value.where["column"], text


def test_checking_evaluates_nothing() -> None:
    doubling = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(60))
    cross = " ".join(f"VALUES ?v{i} {{ 1 2 3 4 5 6 7 8 9 10 }}" for i in range(10))
    started = time.perf_counter()
    for form in ("ASK", "SELECT *", "CONSTRUCT { ?s ?p ?o } WHERE", "SELECT (MAX(?a60) AS ?m) WHERE"):
        assert analyse(f'{form} {{ BIND("x" AS ?a0) {doubling} }}').form == form.split()[0]
    assert analyse(f"SELECT (COUNT(*) AS ?n) WHERE {{ {cross} }}").form == "SELECT"
    assert analyse(f"SELECT * WHERE {{ {cross} }} ORDER BY ?v1").form == "SELECT"
    assert time.perf_counter() - started < 5  # 2**60 bytes, or 10**10 rows, if anything were evaluated


def test_terminals_follow_the_grammar() -> None:
    found = [(t.kind, t.text) for t in terminals(unescape_codepoints('?x\\u0020a"s"@en-GB^^e:t _:b1.1 .5e3'))]
    assert found == [
        ("var", "?x"),
        ("keyword", "a"),
        ("string", '"s"'),
        ("langtag", "@en-GB"),
        ("mark", "^"),
        ("mark", "^"),
        ("pname", "e:t"),
        ("blank", "_:b1.1"),
        ("number", ".5e3"),
    ]
