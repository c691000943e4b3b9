"""The ranking rules of graph/search.py, pinned on small hand-made indexes.

A node's score is the sum over the index's columns of the column's weight
times its BM25 for the query words (and, for several plain words, the
phrase), so the rules below are orderings, not numbers: a match in the label
beats one in another name, which beats a description or locator, which
beats what the node is about, which beats its episode; the phrase beats the
words apart; a whole word beats a longer word it starts; a node named
exactly what was typed comes first. Every word must match, the last one also
as a prefix. BM25 needs a corpus in which the words are rare, hence the
unrelated nodes every index here is padded with.
"""

from __future__ import annotations

import re

import pytest

from api.settings import REPOSITORY
from graph.names import COMMON_NAMES, DEMONYMS, aliases_of, state_names
from graph.search import WEIGHTS, Hit, SearchIndex
from graph.search_query import MAX_WORDS, compile_query, read_query
from graph.search_text import COLUMNS, name_key

ID = "https://w3id.org/solidarity-kg/id/"
ONTOLOGY = "https://w3id.org/solidarity-kg/ontology#"
PADDING = tuple((f"padding/{i}", "label", f"Unrelated {i} {chr(ord('a') + i % 26)}") for i in range(40))
Row = tuple[str, ...]


def index(*rows: Row) -> SearchIndex:
    """An index over (local name, field, text[, other, link]) rows, padded with unrelated nodes."""
    return SearchIndex([(ID + row[0], *row[1:]) for row in (*rows, *PADDING)])  # type: ignore[misc]


def ranked(result_hits: list[Hit]) -> list[str]:
    """The local names of hits, best first."""
    return [hit.iri.removeprefix(ID) for hit in result_hits]


def order(found: SearchIndex, query: str) -> list[str]:
    return ranked(found.search(query, limit=100).hits)


# --- where a word matched -------------------------------------------------------------------------------


def test_columns_rank_label_alt_description_context_related() -> None:
    """Each node has the same text in one column (none is named just "solidarity"); the labels sort the other way."""
    found = index(
        ("in-label", "label", "Zz solidarity"),
        ("in-alt", "label", "Zy"),
        ("in-alt", "alt", "Zz solidarity"),
        ("in-description", "label", "Zx"),
        ("in-description", "description", "Zz solidarity"),
        ("in-context", "label", "Zw"),
        ("in-context", "link", "Zz solidarity"),
        ("in-related", "label", "Aa"),
        ("in-related", "related", "Zz solidarity"),
    )
    result = found.search("solidarity")
    assert ranked(result.hits) == ["in-label", "in-alt", "in-description", "in-context", "in-related"]
    assert [hit.matched for hit in result.hits] == [("label",), ("alt",), ("description",), ("context",), ("related",)]
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 5


def test_weights_put_the_label_first_and_the_episode_last() -> None:
    assert set(WEIGHTS) == set(COLUMNS)
    assert max(WEIGHTS, key=WEIGHTS.__getitem__) == "label" and min(WEIGHTS, key=WEIGHTS.__getitem__) == "related"
    assert WEIGHTS["label"] > WEIGHTS["alt"] > WEIGHTS["description"] >= WEIGHTS["locator"] > WEIGHTS["context"]


def test_a_label_match_beats_a_description_match_even_beside_a_long_description() -> None:
    """Per-column BM25: the long description of the labelled node does not weaken its label match."""
    long_text = " ".join(f"word{i}" for i in range(60))
    found = index(
        ("labelled", "label", "Zz solidarity"),
        ("labelled", "description", long_text),
        ("described", "label", "Aa"),
        ("described", "description", "On solidarity."),
    )
    assert order(found, "solidarity") == ["labelled", "described"]


def test_a_second_column_adds_to_the_score() -> None:
    found = index(
        ("both", "label", "Zz solidarity"), ("both", "description", "About solidarity."), ("one", "label", "Aa solidarity")
    )
    assert order(found, "solidarity") == ["both", "one"]


def test_source_locators_are_searched() -> None:
    found = index(("practice", "label", "A practice"), ("practice", "source", "A/73/206, para. 37"))
    hit = found.search("para 37").hits[0]
    assert (ranked([hit]), hit.matched) == (["practice"], ("locator",))


# --- phrases, prefixes, words ------------------------------------------------------------------------------


def test_the_phrase_beats_the_words_apart() -> None:
    """Both labels have five words and both query words; only one holds them as a phrase, and it sorts last."""
    found = index(("zeal", "label", "Zeal for all human rights"), ("apart", "label", "A human being has rights"))
    assert order(found, "human rights") == ["zeal", "apart"]
    assert order(found, "human righ") == ["zeal", "apart"]  # the phrase with the last word as a prefix


def test_the_phrase_follows_word_order() -> None:
    found = index(("ab", "label", "Zz alpha beta"), ("ba", "label", "Aa beta alpha"))
    assert order(found, "alpha beta") == ["ab", "ba"]
    assert order(found, "beta alpha") == ["ba", "ab"]


def test_no_phrase_spans_two_values_of_a_column() -> None:
    found = index(("split", "alt", "Zz human"), ("split", "alt", "rights"), ("split", "label", "Zz"))
    assert found.search('"human rights"').total == 0
    assert found.search("human rights").total == 1


def test_a_quoted_phrase_must_match_as_a_phrase() -> None:
    found = index(("zeal", "label", "Zeal for all human rights"), ("apart", "label", "A human being has rights"))
    assert order(found, '"human rights"') == ["zeal"]
    assert order(found, '"human rig"*') == ["zeal"]


def test_every_word_must_match_in_some_column() -> None:
    found = index(
        ("both", "label", "Human dignity"),
        ("across", "label", "Human"),
        ("across", "description", "dignity"),
        ("one", "label", "Human rights"),
    )
    result = found.search("human dignity")
    assert set(ranked(result.hits)) == {"both", "across"} and result.total == 2


def test_the_last_word_matches_as_a_prefix_and_only_the_last() -> None:
    found = index(("node", "label", "Solidarity rights"))
    assert found.search("rights solid").total == 1
    assert found.search("solid rights").total == 0
    assert found.search("solid* rights").total == 1


def test_a_whole_word_beats_a_longer_word_it_starts() -> None:
    found = index(("exact", "label", "Zz rescue"), ("longer", "label", "Aa rescuers"))
    assert order(found, "rescue") == ["exact", "longer"]


def test_a_one_letter_last_word_is_no_prefix() -> None:
    found = index(("node", "label", "Solidarity rights"), ("letter", "label", "Rights of s"))
    assert order(found, "rights s") == ["letter"]


def test_words_are_stemmed() -> None:
    found = index(("node", "label", "Criminalisation of solidarity"))
    for query in ("criminalising solidarity", "criminalised", "solidarities"):
        assert order(found, query) == ["node"], query


def test_accents_and_case_are_folded() -> None:
    found = index(("node", "label", "Cédric Herrou"), ("plain", "label", "Acciones en Accion"))
    for query in ("Cedric", "CÉDRIC", "cédric herrou", "Ce\u0301dric"):
        assert order(found, query) == ["node"], query
    assert order(found, "acción") == ["plain"]


def test_or_not_and_minus() -> None:
    found = index(("a", "label", "Alpha gamma"), ("b", "label", "Beta gamma"), ("c", "label", "Gamma"))
    assert sorted(order(found, "alpha OR beta")) == ["a", "b"]
    assert sorted(order(found, "gamma -alpha")) == ["b", "c"]
    assert sorted(order(found, "gamma NOT beta")) == ["a", "c"]
    assert sorted(order(found, "gamma AND alpha")) == ["a"]
    assert order(found, "-gamma") == [] and compile_query("-gamma") is None
    assert sorted(order(found, "alpha or beta")) == []  # in lower case, "or" is a word that must match


def test_a_node_named_exactly_what_was_typed_comes_first() -> None:
    found = index(
        ("state", "label", "Hungary"),
        ("state", "alt", "Magyar"),
        ("practice", "label", "Magyar Magyar Magyar"),
        ("practice", "description", "Magyar"),
    )
    result = found.search("magyar")
    assert ranked(result.hits) == ["state", "practice"]
    assert result.hits[0].score > result.hits[1].score  # the scores stay in rank order
    assert order(found, "magyar magyar") == ["practice", "state"]  # not the name: BM25 decides


def test_name_keys() -> None:
    assert name_key("Türkiye") == name_key("TURKIYE") == "turkiye"
    assert name_key("A/73/206, para. 50") == name_key("a 73 206 para 50")


# --- hostile text ------------------------------------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    "(",
    ")",
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    "a*",
    "**",
    "a OR",
    "OR",
    "AND",
    "NOT",
    "NOT NOT",
    "-",
    "- -a",
    '"a" OR "',
    "label: solidarity",
    "{label alt}: solidarity",
    "^solidarity",
    "solidarity + rights",
    "\x00\x01\x1f\x7f",
    "solid\x00arity",
    "\u200b\u2029\ue000",
    "e\u0301\u0301\u0301",
    "日本語 عربي",
    "ﬁ Ⅻ ²",
    "x" * 10_000,
    "solidarity " * 2_000,
    "a" * 200 + "*",
    "'; DROP TABLE search; --",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_text_gives_an_answer(query: str) -> None:
    found = index(("node", "label", "Solidarity rights"), ("other", "description", "日本語 ﬁ solidarity"))
    result = found.search(query)
    assert result.total == len(result.hits) <= 2
    expression = compile_query(query)
    if expression is not None:
        assert expression.match.count('"') % 2 == 0 and expression.score.count('"') % 2 == 0


def test_a_long_query_is_read_up_to_the_word_limit() -> None:
    items = read_query(" ".join(f"w{i}" for i in range(500)))
    assert sum(len(item.words) for item in items if not isinstance(item, str)) == MAX_WORDS


def test_every_word_is_a_quoted_string() -> None:
    expression = compile_query('Italy NEAR(refusal) "rescued migrants" col:x')
    assert expression is not None
    assert expression.match == '("Italy") AND ("NEAR") AND ("refusal") AND ("rescued migrants") AND ("col") AND ("x")'
    assert re.sub(r'"[^"]*"', "", expression.match).replace("AND", "").strip(" ()") == ""


@pytest.mark.parametrize("query", ["", "   ", ",.;!", "–", "*", '"'])
def test_a_query_without_words_finds_nothing(query: str) -> None:
    result = index(("node", "label", "Solidarity")).search(query)
    assert (result.total, result.hits, result.facets) == (0, [], {})


# --- aliases and episodes -----------------------------------------------------------------------------------

HUN = ID + "actor/state/HUN"
CARRIED_OUT_BY = ONTOLOGY + "carriedOutBy"
THEME = ONTOLOGY + "theme"


def test_a_state_is_found_by_its_other_names_and_demonyms() -> None:
    found = index(
        ("actor/state/HUN", "label", "Hungary"),
        ("actor/state/TUR", "label", "Türkiye"),
        ("practice", "label", "A practice"),
        ("practice", "link", "Hungary", HUN, CARRIED_OUT_BY),
        ("article", "description", "The Hungarian leader spoke."),
    )
    assert order(found, "Hungarian") == ["actor/state/HUN", "article", "practice"]
    assert order(found, "Turkey") == order(found, "Türkiye") == order(found, "turkiye") == ["actor/state/TUR"]
    assert order(found, "Republic of Türkiye") == ["actor/state/TUR"]


def test_a_node_is_found_under_what_it_is_about() -> None:
    found = index(
        ("practice", "label", "Refusal to let rescued migrants land"),
        ("practice", "link", "Italy", ID + "actor/state/ITA", CARRIED_OUT_BY),
    )
    hit = found.search("Italy refusal").hits[0]
    assert (ranked([hit]), hit.matched) == (["practice"], ("label", "context"))
    assert order(found, "Italian refusal") == ["practice"]


def test_an_identification_adds_the_actor_it_names() -> None:
    found = index(("practice", "label", "A practice"), ("practice", "identified", "Hungary", HUN))
    assert order(found, "hungarian") == ["practice"]


def episode() -> SearchIndex:
    return index(
        ("good", "label", "Spain lets the Aquarius migrants disembark"),
        ("gap", "label", "Refusal to let rescued migrants land"),
        ("gap", "episode", "Spain lets the Aquarius migrants disembark", "good"),
        ("other", "label", "A rescue the same month"),
    )


def test_a_practice_is_found_by_the_words_of_the_episode_the_curators_link_it_to() -> None:
    result = episode().search("Aquarius")
    assert ranked(result.hits) == ["good", "gap"]
    assert result.hits[1].matched == ("related",)
    assert order(episode(), "Refusal") == ["gap"]


def test_the_states_in_the_data_have_demonyms() -> None:
    codes = set(re.findall(r"actor/state/([A-Z]{3})>", (REPOSITORY / "data" / "states.ttl").read_text(encoding="utf-8")))
    assert codes and codes <= set(DEMONYMS)
    assert all(state_names(code) for code in codes)
    assert set(COMMON_NAMES) - set(DEMONYMS) <= {"CIV"}


def test_aliases_only_for_state_iris() -> None:
    assert "Hungarian" in aliases_of(HUN) and "Turkey" in aliases_of(ID + "actor/state/TUR")
    assert aliases_of(ID + "actor/state/hun") == aliases_of(ID + "actor/state/HUNX") == aliases_of(ID + "actor/io/eu") == ()
    assert state_names("ZZZ") == ()


# --- hits, types, facets and paging ---------------------------------------------------------------------------


def test_ties_go_to_the_label_then_the_iri() -> None:
    found = index(
        ("c", "label", "Beta solidarity"),
        ("b", "label", "Alpha solidarity"),
        ("z", "label", "Gamma solidarity"),
        ("a", "label", "Gamma solidarity"),
    )
    assert order(found, "solidarity") == ["b", "c", "a", "z"]


def test_a_hit_without_a_label_shows_its_locator_or_local_name() -> None:
    found = index(("doc/X/para/3", "locator", "X, para. 3"), ("actor/some-body", "alt", "solidarity"))
    assert found.search("para 3").hits[0].label == "X, para. 3"
    assert found.search("solidarity").hits[0].label == "some-body"


def test_hits_carry_marked_labels_and_excerpts() -> None:
    found = index(("node", "label", "Farmer Cédric Herrou"), ("node", "description", "He sheltered migrants near the border."))
    hit = found.search("cedric").hits[0]
    assert hit.marked_label == (("Farmer ", False), ("Cédric", True), (" Herrou", False))
    assert hit.excerpts == (("description", (("He sheltered migrants near the border.", False),)),)
    hit = found.search("migrant").hits[0]
    assert ("migrants", True) in dict(hit.excerpts)["description"]


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
    assert result.facets == result.all_facets == {"Actor": 2, "State": 2, "(untyped)": 1}


def test_type_filter_keeps_nodes_of_any_given_type() -> None:
    result = _typed().search("solidarity", types={"State"})
    assert sorted(ranked(result.hits)) == ["both", "state"]
    assert result.total == 2 and result.facets == {"State": 2, "Actor": 1}
    assert result.all_facets == {"Actor": 2, "State": 2, "(untyped)": 1}
    assert _typed().search("solidarity", types={"State", "Actor"}).total == 3
    assert _typed().search("solidarity", types={"Report"}).total == 0


def test_paging_slices_the_ranking_and_keeps_the_total() -> None:
    found = index(*[(f"n{i}", "label", f"Solidarity {chr(ord('a') + i)}") for i in range(6)])
    whole = order(found, "solidarity")
    assert whole == [f"n{i}" for i in range(6)]
    page = found.search("solidarity", limit=2, offset=3)
    assert ranked(page.hits) == whole[3:5] and page.total == 6
    assert found.search("solidarity", limit=2, offset=6).hits == []
    assert found.search("solidarity", limit=0).hits == []
