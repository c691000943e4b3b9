"""Explanation paths on a six-fact fixture, with exact expected paths."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.settings import REPOSITORY
from graph.backends.factory import open_store
from graph.errors import UnknownResourceError
from graph.loader import content_sources
from graph.store import Store, StoreConfig
from graph.traverse import explain_duty_bearers

ID = "https://w3id.org/solidarity-kg/id/"
SKG = "https://w3id.org/solidarity-kg/ontology#"
STATES = "https://w3id.org/solidarity-kg/vocab/actor-type/state"
PRACTICE = ID + "practice/p"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    data = tmp_path_factory.mktemp("fixture") / "data"
    data.mkdir()
    (data / "fixture.ttl").write_text((REPOSITORY / "tests" / "data" / "traverse_fixture.ttl").read_text())
    sources = content_sources(REPOSITORY / "ontology", data)
    opened = open_store(StoreConfig(kind="memory", sources=sources, workers=1))
    yield opened
    opened.close()


def paths_of(explanation: object, iri: str) -> list[list[tuple[str, str, str, bool]]]:
    bearer = next(b for b in explanation.duty_bearers if b.iri == iri)  # type: ignore[attr-defined]
    return [
        [(s.source.removeprefix(ID), s.relation.split("#")[-1], s.target.removeprefix(ID), s.inverse) for s in path.steps]
        for path in bearer.paths
    ]


def test_duty_bearers_of_the_practice(store: Store) -> None:
    explanation = explain_duty_bearers(store, PRACTICE)
    assert {(b.iri.removeprefix(ID), b.kind) for b in explanation.duty_bearers} == {
        ("actor/city/c", "local-government"),
        ("actor/state/AAA", "state"),
        ("actor/io/x", "international-organisation"),
        (STATES, "actor-type"),
    }


def test_direct_and_class_level_paths_to_the_state(store: Store) -> None:
    explanation = explain_duty_bearers(store, PRACTICE)
    assert paths_of(explanation, ID + "actor/state/AAA") == [
        [("practice/p", "location", "actor/state/AAA", False)],
        [
            ("practice/p", "expressesProvision", "instrument/i/2023/art/1", False),
            ("instrument/i/2023/art/1", "establishedBy", "obligation/o", True),
            ("obligation/o", "dutyBearer", STATES, False),
            (STATES, "appliesTo", "actor/state/AAA", False),
        ],
    ]


def test_recommendation_path_and_its_evidence(store: Store) -> None:
    explanation = explain_duty_bearers(store, PRACTICE)
    bearer = next(b for b in explanation.duty_bearers if b.iri == ID + "actor/io/x")
    (path,) = bearer.paths
    assert [(s.relation_label, s.source_label, s.target_label) for s in path.steps] == [
        ("responds to", "Shelter for migrants", "IOs should help"),
        ("addressed to", "IOs should help", "Organisation X"),
    ]
    assert [[e.label for e in s.evidence] for s in path.steps] == [["T/1, para. 3"], ["T/1, para. 3"]]


def test_every_step_of_every_path_has_evidence(store: Store) -> None:
    explanation = explain_duty_bearers(store, PRACTICE)
    assert all(step.evidence for path in explanation.paths for step in path.steps)


def test_filters_by_kind_depth_and_relation(store: Store) -> None:
    only_states = explain_duty_bearers(store, PRACTICE, kinds={"state"})
    assert [b.iri for b in only_states.duty_bearers] == [ID + "actor/state/AAA"]
    shallow = explain_duty_bearers(store, PRACTICE, depth=1)
    assert {b.iri.removeprefix(ID) for b in shallow.duty_bearers} == {"actor/city/c", "actor/state/AAA"}
    direct = explain_duty_bearers(store, PRACTICE, relations={"carriedOutBy"})
    assert [b.iri for b in direct.duty_bearers] == [ID + "actor/city/c"]
    no_class = explain_duty_bearers(store, PRACTICE, class_level=False)
    assert len(paths_of(no_class, ID + "actor/state/AAA")) == 1


def test_unknown_practice(store: Store) -> None:
    with pytest.raises(UnknownResourceError):
        explain_duty_bearers(store, ID + "practice/none")
