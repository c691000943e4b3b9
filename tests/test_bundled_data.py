"""The bundled data: conform to the shapes, every locator is in the locator index of its source, identities are clean."""

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
from graph.locator_index import INDEX_FILE, SOURCE_FILES, has_locator, load_index
from graph.namespaces import SKG
from graph.validation import read_turtle_files, validate_files

DATA = REPOSITORY / "data"
ONTOLOGY = REPOSITORY / "ontology"

INDEX_PATH = DATA / INDEX_FILE


@cache
def dataset() -> Graph:
    files = [p for p in sorted(ONTOLOGY.glob("*.ttl")) if p.name != "shapes.ttl"] + sorted(DATA.glob("*.ttl"))
    return read_turtle_files(files)


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
                if not any(
                    (loc, RDF.type, None) in graph
                    for loc in graph.objects(node, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
                ):
                    missing.append(f"{cls.split('#')[-1]} {node}")
    assert not missing, missing[:20]


def _locators() -> list[tuple[str, str, str, str]]:
    graph = dataset()
    found = []
    # a numbered section is checked by its heading, like a heading locator
    for cls, kind in (
        (SKG.Paragraph, "paragraph"),
        (SKG.Footnote, "footnote"),
        (SKG.Heading, "heading"),
        (SKG.Section, "heading"),
    ):
        for node in set(graph.subjects(RDF.type, cls)):
            document = str(graph.value(node, DCTERMS.isPartOf))
            if document not in SOURCE_FILES:
                continue
            value = graph.value(node, SKG.headingText if kind == "heading" else SKG.locatorNumber)
            found.append((str(node), document, kind, str(value) if value is not None else ""))
    return sorted(found)


LOCATORS = _locators()


INDEX = load_index(INDEX_PATH)


@pytest.mark.parametrize(("node", "document", "kind", "value"), LOCATORS, ids=[n.split("/id/")[1] for n, *_ in LOCATORS])
def test_locator_is_in_the_locator_index(node: str, document: str, kind: str, value: str) -> None:
    """Every paragraph, footnote and heading the data cite is one the source has (no source text needed)."""
    assert value, f"{node} has no number or heading text"
    assert has_locator(INDEX, document, kind, value), (
        f"{kind} {value!r} of {document} is not in data/{INDEX_FILE}: the source has no such {kind}, or the "
        "index is older than the data (where the sources are: solidarity-kg locator-index --sources DIR)"
    )


def test_the_locator_index_covers_every_cited_document() -> None:
    assert set(INDEX["documents"]) == set(SOURCE_FILES)
    assert len(LOCATORS) > 300  # the data cite hundreds of locators; none may be filtered out unseen


def test_locator_numbers_match_their_iris() -> None:
    wrong = [
        (n, v)
        for n, _d, kind, v in LOCATORS
        if kind != "heading"
        and v.split()[0].split("(")[0] != n.rstrip("/").split("/")[-1]
        and f"/{v.split()[0]}/" not in n + "/"
        and not re.search(rf"/(para|fn)/{re.escape(v.split()[0].split('(')[0])}(/|$)", n)
    ]
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


def test_each_triple_is_stated_in_one_file_only() -> None:
    """The default graph is the union of the files' graphs, where Oxigraph gives a triple once per graph that
    holds it: a triple in two files would be a duplicate row in every query that meets it."""
    from rdflib import BNode

    files = [p for p in sorted(ONTOLOGY.glob("*.ttl")) if p.name != "shapes.ttl"] + sorted(DATA.glob("*.ttl"))
    first: dict[tuple[object, object, object], str] = {}
    twice: list[str] = []
    for path in files:
        for triple in read_turtle_files([path]):
            if any(isinstance(term, BNode) for term in triple):
                continue
            if triple in first:
                twice.append(f"{path.name} and {first[triple]}: {' '.join(term.n3() for term in triple)}")
            first.setdefault(triple, path.name)
    assert twice == [], "\n".join(twice[:20])
