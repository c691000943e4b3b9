"""SHACL validation of the bundled data with pySHACL.

The data graph is the union of every ontology and data file, so that
``rdfs:subClassOf`` in the ontology lets a shape on ``skg:Practice`` reach
``skg:GoodPractice`` nodes. The result is a typed report whose entries name the
focus node, the path and the shape, as the CLI and the tests print them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import Graph, Namespace
from rdflib.namespace import RDF
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node broke which shape, along which path, and why."""

    focus_node: str
    path: str | None
    shape: str
    severity: str
    message: str
    value: str | None = None

    def __str__(self) -> str:
        where = f" path {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus_node}{where}: {self.message}{value} [shape {self.shape}]"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating the data against the shapes."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def read_turtle_files(paths: list[Path]) -> Graph:
    """Parse Turtle files into one rdflib graph."""
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def validate_graph(data: Graph, shapes: Graph) -> ValidationReport:
    """Validate a data graph (ontology included) against a shapes graph."""
    conforms, results, _text_report = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    violations: list[Violation] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(result, SH.sourceShape)
        violations.append(
            Violation(
                focus_node=str(results.value(result, SH.focusNode)),
                path=_text(results.value(result, SH.resultPath)),
                shape=str(shape) if shape is not None else "",
                severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                message=str(results.value(result, SH.resultMessage) or ""),
                value=_text(results.value(result, SH.value)),
            )
        )
    violations.sort(key=lambda v: (v.focus_node, v.path or "", v.message))
    return ValidationReport(conforms=bool(conforms), violations=violations)


def validate_files(ontology_dir: Path, data_dir: Path, shapes_file: Path | None = None) -> ValidationReport:
    """Validate every ``*.ttl`` of ``data_dir`` (with the ontology) against the shapes.

    ``shapes_file`` defaults to ``ontology_dir / "shapes.ttl"``, which is not
    itself part of the data graph.
    """
    shapes_path = shapes_file or ontology_dir / "shapes.ttl"
    sources = [p for p in sorted(ontology_dir.glob("*.ttl")) if p != shapes_path]
    sources += sorted(data_dir.glob("*.ttl"))
    return validate_graph(read_turtle_files(sources), read_turtle_files([shapes_path]))


__all__ = ["ValidationReport", "Violation", "read_turtle_files", "validate_files", "validate_graph"]
