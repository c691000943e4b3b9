"""HTML reference of the ontology: every class and property with label, comment and links.

pyLODE would be the usual tool, but its current release (3.4.1) fails at
import outside a source checkout, so this small renderer reads the ontology
with rdflib instead. Every value is escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from graph.iris import compact_iri
from graph.links import http_iri
from graph.namespaces import PREFIXES


def _anchor(term: object) -> str:
    text = str(term)
    if text.startswith(PREFIXES["skg"]):
        local = text[len(PREFIXES["skg"]) :]
        return f'<a href="#{escape(local)}">{escape(compact_iri(str(term)))}</a>'
    if isinstance(term, URIRef) and http_iri(text):
        return f'<a href="{escape(text)}">{escape(compact_iri(str(term)))}</a>'
    return escape(compact_iri(str(term)))


def ontology_sections(path: Path) -> tuple[str, str]:
    """(title, HTML body) of the ontology reference."""
    graph = Graph().parse(path)
    ontology = next(graph.subjects(RDF.type, OWL.Ontology))
    title = str(graph.value(ontology, DCTERMS.title) or "Ontology")
    parts = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(str(graph.value(ontology, DCTERMS.description) or ''))}</p>",
        f"<p>Version IRI <code>{escape(str(graph.value(ontology, OWL.versionIRI)))}</code> · licence "
        f"{_anchor(graph.value(ontology, DCTERMS.license))} · "
        '<a href="/ontology?format=turtle">Turtle</a></p>',
    ]
    for heading, kinds in (
        ("Classes", (OWL.Class,)),
        ("Object properties", (OWL.ObjectProperty,)),
        ("Datatype properties", (OWL.DatatypeProperty,)),
    ):
        terms = sorted(
            {
                s
                for kind in kinds
                for s in graph.subjects(RDF.type, kind)
                if isinstance(s, URIRef) and str(s).startswith(PREFIXES["skg"])
            }
        )
        parts.append(f"<h2>{heading} ({len(terms)})</h2>")
        parts.append("<p>" + " · ".join(_anchor(t) for t in terms) + "</p>")
        for term in terms:
            local = str(term)[len(PREFIXES["skg"]) :]
            rows = [("comment", escape(str(graph.value(term, RDFS.comment) or "")))]
            for label, predicate in (
                ("subclass of", RDFS.subClassOf),
                ("sub-property of", RDFS.subPropertyOf),
                ("domain", RDFS.domain),
                ("range", RDFS.range),
            ):
                values = [_anchor(v) for v in graph.objects(term, predicate) if isinstance(v, URIRef)]
                if values:
                    rows.append((label, ", ".join(sorted(values))))
            subclasses = sorted(_anchor(s) for s in graph.subjects(RDFS.subClassOf, term))
            if subclasses:
                rows.append(("subclasses", ", ".join(subclasses)))
            table = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
            parts.append(
                f'<h3 id="{escape(local)}">{escape(str(graph.value(term, RDFS.label) or local))} '
                f"<code>skg:{escape(local)}</code></h3><table>{table}</table>"
            )
    return title, "\n".join(parts)


__all__ = ["ontology_sections"]
