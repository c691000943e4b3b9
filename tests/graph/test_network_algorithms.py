"""Neighbourhoods and paths on the whole view of the six-fact fixture."""

from __future__ import annotations

import pytest

from graph.errors import UnknownResourceError
from graph.network import neighbourhood_listing, paths_between, whole_view
from graph.store import Store
from tests.graph.test_traverse import ID, PRACTICE, STATES, store  # noqa: F401 - the fixture is reused


def test_projection_keeps_links_not_literals_and_types(store: Store) -> None:  # noqa: F811
    graph = whole_view(store)
    assert set(graph.nodes) == {
        PRACTICE,
        ID + "actor/city/c",
        ID + "actor/state/AAA",
        ID + "instrument/i/2023/art/1",
        ID + "obligation/o",
        ID + "recommendation/r",
        ID + "actor/io/x",
        STATES,
    }
    assert graph.nodes[ID + "actor/city/c"]["type"] == "LocalGovernment"
    edge = graph.get_edge_data(PRACTICE, ID + "actor/city/c")
    assert list(edge) == ["https://w3id.org/solidarity-kg/ontology#carriedOutBy"]
    assert edge["https://w3id.org/solidarity-kg/ontology#carriedOutBy"]["evidence"] == "T/1, para. 1"


def test_neighbourhood_of_the_city(store: Store) -> None:  # noqa: F811
    one = neighbourhood_listing(whole_view(store), ID + "actor/city/c", 1, None, None, 500)
    assert {n["iri"] for n in one["nodes"]} == {ID + "actor/city/c", PRACTICE, ID + "actor/state/AAA"}
    assert {(e["source"], e["target"]) for e in one["edges"]} == {
        (PRACTICE, ID + "actor/city/c"),
        (PRACTICE, ID + "actor/state/AAA"),
        (ID + "actor/city/c", ID + "actor/state/AAA"),
    }
    typed = neighbourhood_listing(whole_view(store), ID + "actor/city/c", 2, {"Recommendation"}, None, 500)
    assert {n["iri"] for n in typed["nodes"]} == {ID + "actor/city/c", ID + "recommendation/r"}


def test_neighbourhood_follows_only_chosen_predicates(store: Store) -> None:  # noqa: F811
    result = neighbourhood_listing(whole_view(store), PRACTICE, 3, None, {"carriedOutBy", "partOfState"}, 500)
    assert {n["iri"] for n in result["nodes"]} == {PRACTICE, ID + "actor/city/c", ID + "actor/state/AAA"}


def test_shortest_and_simple_paths(store: Store) -> None:  # noqa: F811
    result = paths_between(whole_view(store), ID + "actor/io/x", ID + "obligation/o", max_length=4)
    assert [(s["source"], s["relation"].split("#")[1], s["target"], s["inverse"]) for s in result["shortest"]] == [
        (ID + "actor/io/x", "addressedTo", ID + "recommendation/r", True),
        (ID + "recommendation/r", "respondsTo", PRACTICE, False),
        (PRACTICE, "expressesProvision", ID + "instrument/i/2023/art/1", False),
        (ID + "instrument/i/2023/art/1", "establishedBy", ID + "obligation/o", True),
    ]
    assert len(result["paths"]) == 1
    assert paths_between(whole_view(store), ID + "actor/io/x", ID + "obligation/o", max_length=3)["paths"] == []


def test_unknown_node(store: Store) -> None:  # noqa: F811
    with pytest.raises(UnknownResourceError):
        neighbourhood_listing(whole_view(store), ID + "actor/none", 1, None, None, 500)
