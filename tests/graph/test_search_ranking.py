"""The ranking rules of graph/search.py, pinned on small hand-made indexes.

A word scores by the field it matched in (label 5, alternative name 3,
locator 2, description 1), counted once per word and node at its best field;
a prefix match of the last query word counts 0.6 of an exact one; every word
must match; a whole-phrase match in the label adds 4; ties go to the label.
"""

from __future__ import annotations

import pytest

from graph.search import WEIGHTS, Hit, SearchIndex, words

ID = "https://w3id.org/solidarity-kg/id/"
ONTOLOGY = "https://w3id.org/solidarity-kg/ontology#"


def index(*rows: tuple[str, str, str]) -> SearchIndex:
    """An index over (local name, field, text) rows."""
    return SearchIndex([(ID + node, kind, text) for node, kind, text in rows])


def ranked(result_hits: list[Hit]) -> list[str]:
    """The local names of hits, best first."""
    return [hit.iri.removeprefix(ID) for hit in result_hits]


def scores(found: SearchIndex, query: str) -> dict[str, float]:
    """Score of every hit of a query, by local name."""
    return {hit.iri.removeprefix(ID): hit.score for hit in found.search(query, limit=100).hits}


# --- the phrase bonus ----------------------------------------------------------------------------------


def test_exact_phrase_outranks_the_words_apart() -> None:
    """Both labels hold both words; only one holds them as a phrase (and it sorts last by label)."""
    found = index(("zeal", "label", "Zeal for human rights"), ("apart", "label", "A human being has rights"))
    result = found.search("human rights")
    assert ranked(result.hits) == ["zeal", "apart"]
    assert [hit.score for hit in result.hits] == [14.0, 10.0]


def test_phrase_bonus_is_four() -> None:
    found = index(("phrase", "label", "Human rights"), ("apart", "label", "Rights of the human"))
    got = scores(found, "human rights")
    assert got["phrase"] - got["apart"] == 4.0


def test_phrase_bonus_follows_word_order() -> None:
    found = index(("zeal", "label", "Zeal for human rights"), ("apart", "label", "A human being has rights"))
    assert scores(found, "rights human") == {"zeal": 10.0, "apart": 10.0}


def test_phrase_bonus_counts_only_in_the_label() -> None:
    found = index(
        ("described", "label", "Rights of every human"),
        ("described", "description", "On human rights."),
        ("labelled", "label", "Human rights"),
    )
    assert scores(found, "human rights") == {"labelled": 14.0, "described": 10.0}


def test_phrase_bonus_with_a_prefix_last_word() -> None:
    found = index(("zeal", "label", "Zeal for human rights"), ("apart", "label", "A human being has rights"))
    result = found.search("human righ")
    assert ranked(result.hits) == ["zeal", "apart"]
    assert [hit.score for hit in result.hits] == [12.0, 8.0]


def test_phrase_bonus_ignores_punctuation_and_case() -> None:
    found = index(("zeal", "label", "Zeal for HUMAN, rights!"), ("apart", "label", "A human being has rights"))
    assert scores(found, "Human-Rights") == {"zeal": 14.0, "apart": 10.0}


def test_phrase_bonus_needs_whole_words() -> None:
    found = index(("migration", "label", "Migration rights"), ("migration", "description", "A report on migration."))
    assert scores(found, "on rights") == {"migration": 6.0}


def test_phrase_bonus_uses_the_label_shown() -> None:
    found = index(("council", "label", "Human rights council"), ("council", "label", "Consejo de derechos"))
    hit = found.search("human rights").hits[0]
    assert (hit.label, hit.score) == ("Human rights council", 14.0)


# --- field weights ------------------------------------------------------------------------------------


def test_field_weights_rank_label_alt_locator_description() -> None:
    """Each node has the word in one field; labels sort opposite to the expected ranking."""
    found = index(
        ("in-label", "label", "Zz solidarity"),
        ("in-alt", "label", "Zy"),
        ("in-alt", "alt", "Solidarity"),
        ("in-locator", "label", "Zx"),
        ("in-locator", "locator", "solidarity, para. 3"),
        ("in-description", "label", "Aa"),
        ("in-description", "description", "About solidarity."),
    )
    result = found.search("solidarity")
    assert ranked(result.hits) == ["in-label", "in-alt", "in-locator", "in-description"]
    # a label holding the one query word also holds the query as a phrase: 5 + 4
    assert [hit.score for hit in result.hits] == [9.0, 3.0, 2.0, 1.0]
    assert [hit.matched for hit in result.hits] == [("label",), ("alt",), ("locator",), ("description",)]


def test_weights_are_pinned() -> None:
    assert WEIGHTS == {"label": 5.0, "alt": 3.0, "locator": 2.0, "description": 1.0}


def test_a_word_counts_once_at_its_best_field() -> None:
    found = index(
        ("node", "description", "solidarity and solidarity"),
        ("node", "label", "Solidarity, solidarity"),
        ("node", "alt", "solidarity"),
        ("node", "locator", "solidarity"),
    )
    hit = found.search("solidarity").hits[0]
    assert (hit.score, hit.matched) == (9.0, ("label",))  # 5 for the word, 4 for the phrase


def test_scores_add_over_query_words() -> None:
    found = index(("node", "label", "Solidarity"), ("node", "alt", "Rights"), ("node", "description", "migrants"))
    assert scores(found, "solidarity rights migrants") == {"node": 9.0}
    assert found.search("solidarity rights migrants").hits[0].matched == ("alt", "description", "label")


# --- which words match -----------------------------------------------------------------------------------


def test_every_word_must_match() -> None:
    found = index(("both", "label", "Human dignity"), ("one", "label", "Human rights"), ("other", "alt", "dignity"))
    result = found.search("human dignity")
    assert ranked(result.hits) == ["both"] and result.total == 1


def test_exact_word_outranks_a_prefix_match() -> None:
    found = index(("exact", "label", "Zz migrant"), ("prefix", "label", "Aa migrants"))
    result = found.search("migrant")
    assert ranked(result.hits) == ["exact", "prefix"]
    # 5 or 0.6 x 5, plus the phrase bonus, which a one-word query also earns as a prefix
    assert [hit.score for hit in result.hits] == [9.0, 7.0]


def test_only_the_last_word_matches_as_a_prefix() -> None:
    found = index(("node", "label", "Solidarity rights"))
    assert found.search("solid rights").total == 0
    assert scores(found, "rights solid") == {"node": 8.0}


def test_a_one_letter_last_word_must_match_exactly() -> None:
    found = index(("node", "label", "Solidarity rights"), ("letter", "label", "Rights of s"))
    assert ranked(found.search("rights s").hits) == ["letter"]


def test_accents_and_case_are_ignored() -> None:
    found = index(("node", "label", "Otros Dreams en Acción"))
    assert words("Otros Dreams en Acción") == ["otros", "dreams", "en", "accion"]
    for query in ("ACCION", "acción", "Acción", "dreams acc"):
        assert ranked(found.search(query).hits) == ["node"], query


@pytest.mark.parametrize("query", ["", "   ", ",.;!", "–"])
def test_a_query_without_words_finds_nothing(query: str) -> None:
    found = index(("node", "label", "Solidarity"))
    result = found.search(query)
    assert (result.total, result.hits, result.facets) == (0, [], {})


# --- ties, hits, types, facets and paging -------------------------------------------------------------------


def test_ties_go_to_the_label_then_unlabelled_nodes_by_iri() -> None:
    found = index(
        ("c", "label", "Beta solidarity"),
        ("b", "label", "Alpha solidarity"),
        ("z-unlabelled", "alt", "solidarity"),
        ("a-unlabelled", "alt", "solidarity"),
    )
    assert ranked(found.search("solidarity").hits) == ["b", "c", "a-unlabelled", "z-unlabelled"]


def test_a_hit_without_a_label_shows_its_local_name() -> None:
    found = index(("actor/some-body", "alt", "solidarity"))
    assert found.search("solidarity").hits[0].label == "some-body"


def test_prefix_scores_are_rounded() -> None:
    found = index(("node", "label", "Aa"), ("node", "alt", "solidarity"))
    assert found.search("solid").hits[0].score == 1.8  # 0.6 x 3 is 1.7999999999999998


def _typed() -> SearchIndex:
    return index(
        ("state", "label", "Solidarity state"),
        ("state", "type", ONTOLOGY + "State"),
        ("actor", "label", "Solidarity actor"),
        ("actor", "type", ONTOLOGY + "Actor"),
        ("both", "label", "Solidarity both"),
        ("both", "type", ONTOLOGY + "State"),
        ("both", "type", ONTOLOGY + "Actor"),
        ("untyped", "label", "Solidarity untyped"),
        ("unmatched", "label", "Other"),
        ("unmatched", "type", ONTOLOGY + "State"),
    )


def test_types_come_from_type_rows() -> None:
    hits = {hit.iri.removeprefix(ID): hit.types for hit in _typed().search("solidarity").hits}
    assert hits == {"state": ("State",), "actor": ("Actor",), "both": ("Actor", "State"), "untyped": ()}


def test_facets_count_every_hit_and_the_untyped() -> None:
    result = _typed().search("solidarity", limit=1)
    assert result.total == 4 and len(result.hits) == 1
    assert result.facets == {"State": 2, "Actor": 2, "(untyped)": 1}


def test_type_filter_keeps_nodes_of_any_given_type() -> None:
    result = _typed().search("solidarity", types={"State"})
    assert sorted(ranked(result.hits)) == ["both", "state"]
    assert result.total == 2 and result.facets == {"State": 2, "Actor": 1}
    assert _typed().search("solidarity", types={"State", "Actor"}).total == 3
    assert _typed().search("solidarity", types={"Report"}).total == 0


def test_paging_slices_the_ranking_and_keeps_the_total() -> None:
    found = index(*[(f"n{i}", "label", f"Solidarity {chr(ord('a') + i)}") for i in range(6)])
    whole = ranked(found.search("solidarity").hits)
    assert whole == [f"n{i}" for i in range(6)]
    page = found.search("solidarity", limit=2, offset=3)
    assert ranked(page.hits) == whole[3:5] and page.total == 6
    assert found.search("solidarity", limit=2, offset=6).hits == []
