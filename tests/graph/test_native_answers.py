"""Answers no cap cuts are written by pyoxigraph's own writers; one a cap would cut is written row by row, cut and flagged."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from graph.backends.oxigraph import OxigraphStore
from graph.formats import RESULT_FORMATS
from graph.results import Caps, native_solutions
from graph.store import QueryRequest

HOSTILE = 'line one\nline two\ttab "quoted" \\ <b>&amp; },{"x":1} 🎉'
QUERY = "SELECT ?s ?label WHERE { ?s <http://example.org/label> ?label } ORDER BY ?s"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for i in range(50):
        label = ox.Literal(HOSTILE, language="en") if i % 2 else ox.Literal(f"{i}\n{HOSTILE}")
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s/{i:02}"), ox.NamedNode("http://example.org/label"), label))
    return store


@pytest.mark.parametrize("media_type", list(RESULT_FORMATS))
def test_an_answer_within_the_caps_is_pyoxigraphs_own_with_its_exact_row_count(store: ox.Store, media_type: str) -> None:
    written = native_solutions(store.query(QUERY), media_type, Caps(max_rows=50, max_bytes=10**6))
    assert written is not None
    assert written.body == store.query(QUERY).serialize(format=RESULT_FORMATS[media_type])
    assert (written.rows, written.truncated) == (50, False)  # newlines in literals are no rows


@pytest.mark.parametrize("caps", [Caps(max_rows=49), Caps(max_bytes=2_000)])
def test_an_answer_a_cap_would_cut_is_left_to_the_row_by_row_writer(store: ox.Store, caps: Caps) -> None:
    assert native_solutions(store.query(QUERY), "application/sparql-results+json", caps) is None


def test_through_the_store_a_cut_answer_is_cut_exactly_and_flagged(store: ox.Store) -> None:
    embedded = OxigraphStore()
    turtle = ox.serialize([quad.triple for quad in store], format=ox.RdfFormat.TURTLE) or b""
    embedded.load_bytes(turtle, "http://example.org/graph", "fixture")
    whole = embedded.query(QueryRequest(QUERY, max_rows=50))
    cut = embedded.query(QueryRequest(QUERY, max_rows=7))
    assert (whole.rows, whole.truncated) == (50, False)
    assert (cut.rows, cut.truncated, cut.cut_by) == (7, True, "rows")
    document = json.loads(cut.body)
    assert document["truncated"] is True
    assert document["results"]["bindings"] == json.loads(whole.body)["results"]["bindings"][:7]
