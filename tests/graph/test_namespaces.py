"""The closed namespace class lists exactly the terms the ontology defines."""

from __future__ import annotations

import re

from rdflib import Graph

from api.settings import REPOSITORY
from graph.namespaces import SKG

ONTOLOGY = "https://w3id.org/solidarity-kg/ontology#"


def test_namespace_class_and_ontology_define_the_same_terms() -> None:
    graph = Graph().parse(REPOSITORY / "ontology" / "solidarity.ttl")
    in_ontology = {str(s)[len(ONTOLOGY) :] for s in graph.subjects() if str(s).startswith(ONTOLOGY)}
    source = (REPOSITORY / "graph" / "namespaces.py").read_text()
    in_class = set(re.findall(r"^\s+(\w+): URIRef$", source, re.MULTILINE))
    assert in_class == in_ontology


def test_unknown_term_is_refused() -> None:
    try:
        SKG.NoSuchTerm  # noqa: B018
    except AttributeError:
        return
    raise AssertionError("SKG accepted an undefined term")
