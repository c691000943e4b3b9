"""The ontology release: its version matches the changelog, and the 1.1.0 shapes catch what they are for."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL

from api.settings import REPOSITORY
from graph.validation import validate_files

ONTOLOGY = REPOSITORY / "ontology"
PROLOGUE = """@prefix skg: <https://w3id.org/solidarity-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/solidarity-kg/id/> .
<doc/T> a skg:Document ; <http://www.w3.org/2000/01/rdf-schema#label> "T" .
<doc/T/para/1> a skg:Paragraph ; dcterms:isPartOf <doc/T> ; skg:locatorLabel "T, para. 1" ; skg:locatorNumber "1" .
<actor/state/AAA> a skg:State .
"""


def test_the_version_is_the_changelogs_latest() -> None:
    graph = Graph().parse(ONTOLOGY / "solidarity.ttl")
    version = graph.value(URIRef("https://w3id.org/solidarity-kg/ontology"), OWL.versionInfo)
    latest = re.search(r"^## (\S+)", (REPOSITORY / "docs" / "ontology-changelog.md").read_text(), re.MULTILINE)
    assert latest and version == Literal(latest.group(1))


def violations(folder: Path, turtle: str) -> Counter[str]:
    """The violations of the case beyond those of the bare prologue (whose nodes are deliberately minimal)."""

    def run(name: str, text: str) -> Counter[str]:
        data = folder / name
        data.mkdir()
        (data / "case.ttl").write_text(PROLOGUE + text, encoding="utf-8")
        return Counter(v.message for v in validate_files(folder / "ontology", data).violations)

    shutil.copytree(ONTOLOGY, folder / "ontology")
    return run("case", turtle) - run("bare", "")


PERSON = "<https://w3id.org/solidarity-kg/vocab/unit/person>"
GOOD_FIGURE = f"""<figure/f> a skg:Figure ; skg:figureValue 270000.0 ; skg:unit {PERSON} ;
  skg:counts "residents" ; skg:figureOf <actor/state/AAA> ; prov:wasDerivedFrom <doc/T/para/1> ."""


@pytest.mark.parametrize(
    ("turtle", "problem"),
    [
        (GOOD_FIGURE, None),
        (GOOD_FIGURE.replace("skg:unit <https://w3id.org/solidarity-kg/vocab/unit/person> ;", ""), "skg:unit"),
        (GOOD_FIGURE.replace("270000.0", '"many"'), "skg:figureValue"),
        (GOOD_FIGURE.replace("prov:wasDerivedFrom <doc/T/para/1> ", 'skg:counts "x" '), "locator"),
        (
            '<doc/T/sect/III> a skg:Section ; skg:sectionNumber "III" ; skg:headingText "Good practices" ; skg:order 3 ; '
            'dcterms:isPartOf <doc/T> ; skg:locatorLabel "T, sect. III" .',
            None,
        ),
        (  # a document that prints no numbers: its headings are its sections, unnumbered (1.2.0)
            '<doc/T/sec/intro> a skg:Section , skg:Heading ; skg:headingText "Introduction" ; skg:order 1 ; '
            'dcterms:isPartOf <doc/T> ; skg:locatorLabel "T, Introduction" .',
            None,
        ),
        (
            '<doc/T/sect/III> a skg:Section ; skg:sectionNumber "III" , "3" ; skg:headingText "Good practices" ; '
            'skg:order 3 ; dcterms:isPartOf <doc/T> ; skg:locatorLabel "T, sect. III" .',
            "skg:sectionNumber",
        ),
        (
            '<actor/group/g> a skg:GroupOfStates ; rdfs:label "G"@en ; skg:member <actor/state/AAA> .',
            None,
        ),
        ("<actor/state/AAA> skg:member <actor/state/AAA> .", "CollectiveActor"),
        ("<actor/organ/o> a skg:StateOrgan .", "skg:organOf"),
    ],
)
def test_the_new_shapes(tmp_path: Path, turtle: str, problem: str | None) -> None:
    found = violations(tmp_path, turtle)
    if problem is None:
        assert not found, found
    else:
        assert any(problem in message for message in found), found
