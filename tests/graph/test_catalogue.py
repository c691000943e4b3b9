"""Every catalogue query compiles, declares what it uses, and binds typed parameters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from api.settings import REPOSITORY
from graph.catalogue import Catalogue, Parameter, bind, bind_value, compile_query
from graph.errors import ParameterError, QuerySyntaxError

QUERIES = sorted((REPOSITORY / "queries").glob("*.rq"))


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_catalogue_query_compiles_with_a_summary(path: Path) -> None:
    query = compile_query(path.stem, path.read_text(), path.name)
    assert query.summary
    assert query.form in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def test_catalogue_has_at_least_25_questions() -> None:
    assert len(Catalogue.load(REPOSITORY / "queries")) >= 25


def test_declared_parameter_missing_from_the_query_is_refused() -> None:
    text = "#+ summary: x\n#+ params:\n#+   - name: actor\n#+     type: iri\nSELECT ?s WHERE { ?s ?p ?o }"
    with pytest.raises(QuerySyntaxError, match="actor"):
        compile_query("x", text, "x.rq")


def test_syntax_error_names_file_line_and_column() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        compile_query("x", "#+ summary: x\nSELECT ?s WHERE {\n ?s ?p }", "x.rq")
    assert info.value.where["file"] == "x.rq"
    assert info.value.where["line"] == 3


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("iri", "skgd:actor/state/MEX", ("uri", "https://w3id.org/solidarity-kg/id/actor/state/MEX")),
        ("iri", "<http://example.org/x>", ("uri", "http://example.org/x")),
        ("integer", "42", ("literal", "42", "http://www.w3.org/2001/XMLSchema#integer", "")),
        ("date", "2018-07-19", ("literal", "2018-07-19", "http://www.w3.org/2001/XMLSchema#date", "")),
        ("boolean", "TRUE", ("literal", "true", "http://www.w3.org/2001/XMLSchema#boolean", "")),
        ("string", "Palermo", ("literal", "Palermo", "http://www.w3.org/2001/XMLSchema#string", "")),
    ],
)
def test_values_are_coerced_by_type(kind: str, raw: str, expected: tuple[str, ...]) -> None:
    assert bind_value(Parameter("p", kind), raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("iri", "not an iri"),
        ("iri", "nope:thing with space"),
        ("integer", "1.5"),
        ("date", "19/07/2018"),
        ("boolean", "maybe"),
        ("decimal", "ten"),
    ],
)
def test_malformed_values_name_the_parameter(kind: str, raw: str) -> None:
    with pytest.raises(ParameterError) as info:
        bind_value(Parameter("p", kind), raw)
    assert info.value.where["parameter"] == "p"


def test_missing_required_and_unknown_parameters_are_refused() -> None:
    text = (
        "#+ summary: x\n#+ params:\n#+   - name: actor\n#+     type: iri\n#+     required: true\n"
        "SELECT ?actor WHERE { ?actor ?p ?o }"
    )
    query = compile_query("x", text, "x.rq")
    with pytest.raises(ParameterError, match="needs parameter 'actor'"):
        bind(query, {})
    with pytest.raises(ParameterError, match="no parameter 'colour'"):
        bind(query, {"actor": "skgd:a", "colour": "red"})


def _algebra_nodes(node: object) -> list[Any]:
    """Every node of an rdflib SPARQL algebra tree."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return [node, *(n for value in node.values() for n in _algebra_nodes(value))]
    if isinstance(node, list | tuple):
        return [n for value in node for n in _algebra_nodes(value)]
    return []


def _is_empty_bgp(node: Any) -> bool:
    return bool(node.name == "BGP" and not node.get("triples"))


def _joins_with_a_union(algebra: object) -> list[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    return [
        f"{node.name} of a UNION with {node.get(other).name}"
        for node in _algebra_nodes(algebra)
        if node.name in ("Join", "LeftJoin")
        for side, other in (("p1", "p2"), ("p2", "p1"))
        if isinstance(node.get(side), CompValue)
        and node.get(side).name == "Union"
        and isinstance(node.get(other), CompValue)
        and not _is_empty_bgp(node.get(other))
    ]


def _patterns_after_a_constant_bind(algebra: object) -> list[str]:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Literal, URIRef

    return [
        f"triple patterns after BIND(... AS ?{node.get('p1').get('var')})"
        for node in _algebra_nodes(algebra)
        if node.name == "Join"
        and isinstance(node.get("p1"), CompValue)
        and node.get("p1").name == "Extend"
        and isinstance(node.get("p1").get("expr"), Literal | URIRef)
        and isinstance(node.get("p2"), CompValue)
        and node.get("p2").name == "BGP"
        and not _is_empty_bgp(node.get("p2"))
    ]


ALL_QUERIES = sorted((REPOSITORY / "queries").rglob("*.rq"))


@pytest.mark.parametrize("path", ALL_QUERIES, ids=[str(p.relative_to(REPOSITORY / "queries")) for p in ALL_QUERIES])
def test_no_join_outside_a_union(path: Path) -> None:
    """Oxigraph 0.5.13 runs a join placed outside a UNION thousands of times slower: joins go inside each branch."""
    from rdflib.plugins.sparql import prepareQuery

    assert _joins_with_a_union(prepareQuery(path.read_text()).algebra) == []


@pytest.mark.parametrize("path", ALL_QUERIES, ids=[str(p.relative_to(REPOSITORY / "queries")) for p in ALL_QUERIES])
def test_no_triple_pattern_after_a_constant_bind(path: Path) -> None:
    """Oxigraph 0.5.13 joins the patterns after a BIND without the bindings before it: a constant BIND goes last."""
    from rdflib.plugins.sparql import prepareQuery

    assert _patterns_after_a_constant_bind(prepareQuery(path.read_text()).algebra) == []
