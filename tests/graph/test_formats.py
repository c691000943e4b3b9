"""The Accept-header choice, as a table."""

from __future__ import annotations

import pytest

from graph.errors import UnsupportedFormatError
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS, negotiate

RESULTS = list(RESULT_FORMATS)
GRAPHS = list(GRAPH_FORMATS)


@pytest.mark.parametrize(
    ("accept", "offered", "expected"),
    [
        (None, RESULTS, "application/sparql-results+json"),
        ("*/*", RESULTS, "application/sparql-results+json"),
        ("application/sparql-results+xml", RESULTS, "application/sparql-results+xml"),
        ("text/csv", RESULTS, "text/csv"),
        ("text/tab-separated-values", RESULTS, "text/tab-separated-values"),
        ("application/json", RESULTS, "application/sparql-results+json"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", RESULTS, "application/sparql-results+xml"),
        ("text/*", RESULTS, "text/csv"),
        ("text/turtle", GRAPHS, "text/turtle"),
        ("application/n-triples", GRAPHS, "application/n-triples"),
        ("application/ld+json", GRAPHS, "application/ld+json"),
        ("application/rdf+xml", GRAPHS, "application/rdf+xml"),
        ("application/trig", GRAPHS, "application/trig"),
        ("text/html;q=0.9, */*;q=0.1", GRAPHS, "text/turtle"),
    ],
)
def test_accept_header_chooses(accept: str | None, offered: list[str], expected: str) -> None:
    assert negotiate(accept, offered) == expected


def test_format_parameter_wins_over_accept() -> None:
    assert negotiate("text/csv", RESULTS, format_param="xml") == "application/sparql-results+xml"


@pytest.mark.parametrize("accept", ["image/png", "text/turtle;q=1, application/pdf"])
def test_unacceptable_media_type_lists_what_is_offered(accept: str) -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        negotiate(accept, RESULTS)
    assert info.value.where["supported"] == RESULTS


def test_q_zero_excludes_a_type() -> None:
    assert negotiate("text/csv;q=0, */*;q=0.1", RESULTS) == "application/sparql-results+json"
