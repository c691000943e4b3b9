"""Ingest: instruments named again by a shorter word, titles without their first word, cases by their first party,
works and actors inside titles, and works by the web address a node carries (on an invented report)."""

from __future__ import annotations

import pytest

from graph.ingest import analyse
from graph.ingest.gazetteer import build_gazetteer
from graph.ingest.linking import Linker
from tests.ingest.synthetic import REFERENCE_NAMES, REFERENCES

ID = "https://w3id.org/solidarity-kg/id/"


@pytest.fixture(scope="module")
def found() -> dict[tuple[str, str], tuple[str, ...]]:
    linker = Linker(build_gazetteer([(ID + path, how, text) for path, how, text in REFERENCE_NAMES]))
    links: dict[tuple[str, str], tuple[str, ...]] = {}
    for mention in analyse(REFERENCES, linker).mentions:
        if mention.status == "linked":
            links[(mention.locator, mention.text)] = links.get((mention.locator, mention.text), ()) + mention.nodes
    return links


def test_a_plan_named_again_in_its_paragraph_and_the_next(found: dict[tuple[str, str], tuple[str, ...]]) -> None:
    plan = (ID + "instrument/ferry-plan",)
    assert found[("para/1", "2016 joint ferry plan")] == plan  # its title without the first word
    assert found[("para/1", "joint ferry plan")] == plan  # "the joint ferry plan"; "a joint ferry plan" is not read
    assert found[("para/2", "joint ferry plan")] == plan  # "this joint ferry plan", the paragraph after


def test_a_note_names_the_treaty_of_its_sentence_by_its_kind(found: dict[tuple[str, str], tuple[str, ...]]) -> None:
    assert found[("fn/2", "Covenant")] == (ID + "instrument/ferry-covenant",)  # "States parties to the Covenant"
    assert found[("fn/2", "general comment No. 3")] == (ID + "instrument/ferry-comment-3",)
    assert ("para/2", "International Covenant") not in found  # the first words of another covenant's name


def test_a_title_without_its_first_word_and_a_case_by_its_first_party(
    found: dict[tuple[str, str], tuple[str, ...]],
) -> None:
    convention = "Convention on the Safety of Small Ferries"  # without "International"
    assert found[("para/3", convention)] == (ID + "instrument/small-ferries",)
    assert found[("para/3", "Union of Ferry Crews case")] == (ID + "instrument/crews-v-atlantis",)
    assert found[("para/3", "Union of Ferry Crews")] == (ID + "actor/union/ferry-crews",)  # an actor inside it


def test_a_work_at_the_start_of_a_title_and_a_decision_by_its_address(
    found: dict[tuple[str, str], tuple[str, ...]],
) -> None:
    assert found[("fn/1", "Harbour Fund for Coasts: Malta")] == (ID + "doc/harbour-fund-malta",)
    assert found[("fn/1", "Harbour Fund for Coasts")] == (ID + "instrument/harbour-fund",)
    address = "https://decisions.example.org/ferries/item/42/index.do"
    assert found[("fn/3", address)] == (ID + "instrument/crews-v-atlantis",)
