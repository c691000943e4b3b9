"""The bundled data: conform to the shapes, every locator exists in its source, identities are clean."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pycountry
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from api.settings import REPOSITORY
from graph.countries import codes_used
from graph.namespaces import SKG
from graph.validation import read_turtle_files, validate_files
from tests.conftest import SOURCES

DATA = REPOSITORY / "data"
ONTOLOGY = REPOSITORY / "ontology"

SOURCE_FILES = {
    "https://w3id.org/solidarity-kg/id/doc/A-73-206": "000_80ec1a5730856bc5.txt",
    "https://w3id.org/solidarity-kg/id/doc/ie-input-gcm": "001_4566e53bcffd7e8c.txt",
    "https://w3id.org/solidarity-kg/id/doc/ohchr-ie-solidarity-page": "002_9c611f6178a4742c.txt",
    "https://w3id.org/solidarity-kg/id/doc/A-HRC-38-40": "003_eddaeeb45808282f.txt",
    "https://w3id.org/solidarity-kg/id/doc/ajil-unbound-2024": "004_2a2a5be1d97200e5.txt",
}
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


@cache
def dataset() -> Graph:
    files = [p for p in sorted(ONTOLOGY.glob("*.ttl")) if p.name != "shapes.ttl"] + sorted(DATA.glob("*.ttl"))
    return read_turtle_files(files)


@cache
def source_text(document: str) -> str:
    path = SOURCES / SOURCE_FILES[document]
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8").translate(SUPERSCRIPTS))


def test_data_conform_to_the_shapes() -> None:
    report = validate_files(ONTOLOGY, DATA)
    assert report.conforms, "\n".join(str(v) for v in report.violations[:30])


def test_every_fact_node_has_a_locator() -> None:
    graph = dataset()
    fact_classes = {SKG.Practice, SKG.Obligation, SKG.Provision, SKG.Recommendation, SKG.Identification}
    closure = {c: set(graph.transitive_subjects(RDFS.subClassOf, c)) for c in fact_classes}
    missing = []
    for cls, classes in closure.items():
        for sub in classes:
            for node in graph.subjects(RDF.type, sub):
                if not any((loc, RDF.type, None) in graph
                           for loc in graph.objects(node, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))):
                    missing.append(f"{cls.split('#')[-1]} {node}")
    assert not missing, missing[:20]


def _locators() -> list[tuple[str, str, str, str]]:
    graph = dataset()
    found = []
    for cls, kind in ((SKG.Paragraph, "paragraph"), (SKG.Footnote, "footnote"), (SKG.Heading, "heading")):
        for node in set(graph.subjects(RDF.type, cls)):
            document = str(graph.value(node, DCTERMS.isPartOf))
            if document not in SOURCE_FILES:
                continue
            value = graph.value(node, SKG.headingText if kind == "heading" else SKG.locatorNumber)
            found.append((str(node), document, kind, str(value) if value is not None else ""))
    return sorted(found)


LOCATORS = _locators()


@pytest.mark.parametrize(("node", "document", "kind", "value"), LOCATORS, ids=[n.split("/id/")[1] for n, *_ in LOCATORS])
def test_locator_exists_in_its_source(node: str, document: str, kind: str, value: str) -> None:
    if not (SOURCES / SOURCE_FILES[document]).exists():
        pytest.skip(f"source texts not found in {SOURCES} (set SKG_SOURCES_DIR)")
    text = source_text(document)
    assert value, f"{node} has no number or heading text"
    if kind == "heading":
        needle = re.sub(r"\s+", " ", value).strip()
        assert needle.lower() in text.lower(), f"heading {needle!r} not found in {document}"
        return
    number = value.split()[0].split("(")[0].strip()
    if kind == "paragraph":
        assert re.search(rf"(^|\s){re.escape(number)}\.\s", text), f"paragraph {number} not in {document}"
    else:
        assert re.search(rf"(^|\s|\D){re.escape(number)}\s", text), f"footnote {number} not in {document}"


def test_locator_numbers_match_their_iris() -> None:
    wrong = [(n, v) for n, _d, kind, v in LOCATORS if kind != "heading"
             and v.split()[0].split("(")[0] != n.rstrip("/").split("/")[-1] and f"/{v.split()[0]}/" not in n + "/"
             and not re.search(rf"/(para|fn)/{re.escape(v.split()[0].split('(')[0])}(/|$)", n)]
    assert not wrong, wrong[:10]


def test_no_node_has_two_english_labels() -> None:
    graph = dataset()
    labels: dict[URIRef, set[str]] = defaultdict(set)
    for node, label in graph.subject_objects(RDFS.label):
        if isinstance(label, Literal) and label.language in ("en", None):
            labels[node].add(str(label))  # type: ignore[index]
    doubled = {str(n): sorted(v) for n, v in labels.items() if len(v) > 1}
    assert not doubled, list(doubled.items())[:10]


def test_states_come_from_iso_3166_and_cover_every_reference() -> None:
    graph = dataset()
    texts = [p.read_text() for p in DATA.glob("*.ttl") if p.name != "states.ttl"]
    used = codes_used(texts)
    declared = {str(graph.value(s, SKG.isoAlpha3)) for s in graph.subjects(RDF.type, SKG.State)}
    assert used <= declared, sorted(used - declared)
    for state in graph.subjects(RDF.type, SKG.State):
        code = str(graph.value(state, SKG.isoAlpha3))
        country = pycountry.countries.get(alpha_3=code)
        assert country is not None, code
        assert str(graph.value(state, SKG.isoAlpha2)) == country.alpha_2


def test_every_named_graph_comes_from_a_file() -> None:
    from graph.loader import content_sources

    sources = content_sources(ONTOLOGY, DATA)
    assert len({graph for _file, graph in sources}) == len(sources)
    assert all(Path(file).stem in graph for file, graph in sources)
