"""The ontology as data for its reference page: every class and property with label, comment and links.

pyLODE would be the usual tool, but its current release (3.4.1) fails at
import outside a source checkout, so this small reader takes the ontology
with rdflib and returns plain data; the page is the ``ontology.html``
template, which escapes every value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from graph.iris import compact_iri
from graph.links import http_iri
from graph.namespaces import PREFIXES

SKG = PREFIXES["skg"]
KINDS = (("Classes", OWL.Class), ("Object properties", OWL.ObjectProperty), ("Datatype properties", OWL.DatatypeProperty))
RELATIONS = (
    ("subclass of", RDFS.subClassOf),
    ("sub-property of", RDFS.subPropertyOf),
    ("domain", RDFS.domain),
    ("range", RDFS.range),
)


def term_link(term: object) -> dict[str, str | None]:
    """A term as a link: our terms to their anchor on the page, other http(s) IRIs to themselves, else text."""
    text = str(term)
    if text.startswith(SKG):
        return {"href": "#" + text[len(SKG) :], "text": compact_iri(text)}
    return {"href": text if isinstance(term, URIRef) and http_iri(text) else None, "text": compact_iri(text)}


def _term(graph: Graph, term: URIRef) -> dict[str, Any]:
    local = str(term)[len(SKG) :]
    rows: list[tuple[str, list[dict[str, str | None]]]] = [
        ("comment", [{"href": None, "text": str(graph.value(term, RDFS.comment) or "")}])
    ]
    for label, predicate in RELATIONS:
        values = sorted(
            (term_link(v) for v in graph.objects(term, predicate) if isinstance(v, URIRef)), key=lambda link: str(link["text"])
        )
        if values:
            rows.append((label, values))
    subclasses = sorted((term_link(s) for s in graph.subjects(RDFS.subClassOf, term)), key=lambda link: str(link["text"]))
    if subclasses:
        rows.append(("subclasses", subclasses))
    return {"local": local, "label": str(graph.value(term, RDFS.label) or local), "link": term_link(term), "rows": rows}


def ontology_reference(path: Path) -> dict[str, Any]:
    """Title, description, version, licence and, per kind of term, every term with its rows."""
    graph = Graph().parse(path)
    ontology = next(graph.subjects(RDF.type, OWL.Ontology))
    sections = []
    for heading, kind in KINDS:
        terms = sorted(s for s in set(graph.subjects(RDF.type, kind)) if isinstance(s, URIRef) and str(s).startswith(SKG))
        sections.append({"heading": heading, "terms": [_term(graph, t) for t in terms]})
    return {
        "title": str(graph.value(ontology, DCTERMS.title) or "Ontology"),
        "description": str(graph.value(ontology, DCTERMS.description) or ""),
        "version": str(graph.value(ontology, OWL.versionInfo) or ""),
        "version_iri": str(graph.value(ontology, OWL.versionIRI) or ""),
        "licence": term_link(graph.value(ontology, DCTERMS.license) or ""),
        "sections": sections,
    }


__all__ = ["ontology_reference", "term_link"]
