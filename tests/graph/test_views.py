"""Views: rows -> MultiDiGraph on a hand-written fixture, with exact expected nodes, links and attributes."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from graph.backends.oxigraph import OxigraphStore
from graph.cache import clear_cache
from graph.catalogue import Catalogue, bundled_catalogue
from graph.errors import ParameterError, ReadOnlyError, UnknownResourceError
from graph.iris import local_name
from graph.network import TYPE_COLORS, build_view, get_view, graph_from_rows, layout_positions, views_of
from graph.network import layout as network_layout
from graph.sparql_check import blank_literals
from graph.store import select

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "views_tiny.ttl"
GRAPH = "https://w3id.org/solidarity-kg/graph/test/views_tiny"
ID = "https://w3id.org/solidarity-kg/id/"
VOCAB = "https://w3id.org/solidarity-kg/vocab/"
SKG = "https://w3id.org/solidarity-kg/ontology#"

PRACTICE, AAA, PLACE = ID + "practice/T-1-1", ID + "actor/state/AAA", ID + "place/r"
OBLIGATION, ARTICLE = ID + "obligation/o1", ID + "instrument/decl/art/1"
STATES, MIGRANTS, MIGRATION = VOCAB + "actor-type/state", VOCAB + "rights-holder/migrants", VOCAB + "theme/migration"

WHOLE_EDGES = {
    (PRACTICE, AAA, "carriedOutBy"),
    (PRACTICE, AAA, "involves"),
    (PRACTICE, PLACE, "location"),
    (PRACTICE, OBLIGATION, "relatesToObligation"),
    (PRACTICE, MIGRANTS, "benefits"),
    (PRACTICE, MIGRATION, "theme"),
    (OBLIGATION, STATES, "dutyBearer"),
    (OBLIGATION, ARTICLE, "establishedBy"),
}


def load_tiny_store() -> OxigraphStore:
    """An in-process store holding the fixture in one named graph."""
    store = OxigraphStore()
    store.load_file(FIXTURE, GRAPH)
    return store


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    """The fixture store (read-only in these tests; views are cached per store)."""
    tiny = load_tiny_store()
    yield tiny
    clear_cache(tiny)
    tiny.close()


def edge_set(graph: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(u, v, local_name(k)) for u, v, k in graph.edges(keys=True)}


def test_whole_view_has_exactly_the_links_between_data_nodes(store: OxigraphStore) -> None:
    graph = build_view(store, "whole")
    assert edge_set(graph) == WHOLE_EDGES
    assert set(graph.nodes) == {PRACTICE, AAA, PLACE, OBLIGATION, ARTICLE, STATES, MIGRANTS, MIGRATION}
    assert isinstance(graph, nx.MultiDiGraph)


def test_locators_provenance_classifications_and_literals_never_become_nodes(store: OxigraphStore) -> None:
    graph = build_view(store, "whole")
    assert not [n for n in graph if "/doc/" in n]  # no locator, no document (only linked through provenance)
    assert VOCAB + "practice-type/x" not in graph  # classification concepts are not participants
    assert all(n.startswith(("https://w3id.org/solidarity-kg/id/", VOCAB)) for n in graph)
    assert "caveat" not in graph.nodes[PRACTICE]


def test_edge_key_is_the_relation_and_attributes_are_plain(store: OxigraphStore) -> None:
    graph = build_view(store, "whole")
    for u, v, key, data in graph.edges(keys=True, data=True):
        assert key == data["relation"]
        assert set(data) == {"relation", "label", "evidence"}
        assert all(type(value) in (str, int, float) for value in data.values()), (u, v, data)
    for node, data in graph.nodes(data=True):
        assert {"iri", "label", "type", "type_iri", "classes", "color", "degree", "size", "x", "y"} <= set(data)
        assert data["iri"] == node
        assert all(type(value) in (str, int, float) for value in data.values()), (node, data)
        assert re.fullmatch(r"#[0-9a-f]{6}", data["color"])


def test_labels_types_and_literal_attributes(store: OxigraphStore) -> None:
    nodes = build_view(store, "whole").nodes
    assert nodes[AAA]["label"] == 'Aland "quoted" & <Co>'  # English, not the French label
    assert nodes[PLACE]["label"] == "Région \\ one\nline two"
    assert nodes[ARTICLE]["label"] == "Article 1"  # untagged labels count
    assert (nodes[PRACTICE]["type"], nodes[PRACTICE]["type_iri"]) == ("GoodPractice", SKG + "GoodPractice")
    assert set(nodes[PRACTICE]["classes"].split()) == {"GoodPractice", "Practice", "Activity"}
    assert nodes[STATES]["type"] == "ActorType"  # most specific: ActorType is a skos:Concept
    assert nodes[MIGRATION]["type"] == "Concept"
    assert nodes[PRACTICE]["description"] == "What was done, in our words."
    assert nodes[PRACTICE]["date"] == "2018"
    assert nodes[AAA]["degree"] == 2
    assert nodes[AAA]["color"] == TYPE_COLORS["State"]


def test_relation_labels_come_from_the_ontology_or_the_local_name(store: OxigraphStore) -> None:
    graph = build_view(store, "whole")
    assert graph.edges[PRACTICE, PLACE, SKG + "location"]["label"] == "took place in"
    assert graph.edges[PRACTICE, MIGRATION, SKG + "theme"]["label"] == "theme"  # no label in the fixture


def test_evidence_is_the_subjects_locators_in_the_same_graph() -> None:
    tiny = load_tiny_store()
    other = b"""<https://w3id.org/solidarity-kg/id/practice/T-1-1> <https://w3id.org/solidarity-kg/ontology#targets>
    <https://w3id.org/solidarity-kg/id/actor/state/AAA> ."""
    tiny.load_bytes(other, "https://w3id.org/solidarity-kg/graph/test/other", "other.nt")
    try:
        graph = build_view(tiny, "whole")
        # the practice rests on paras 1 and 2; the link to AAA on para. 1, the one that names AAA
        assert graph.edges[PRACTICE, AAA, SKG + "carriedOutBy"]["evidence"] == "T/1, para. 1"
        assert graph.edges[OBLIGATION, STATES, SKG + "dutyBearer"]["evidence"] == "T/1, para. 2"
        assert graph.edges[PRACTICE, AAA, SKG + "targets"]["evidence"] == ""  # stated in a graph without locators
    finally:
        clear_cache(tiny)
        tiny.close()


def test_views_are_built_once_and_frozen(store: OxigraphStore) -> None:
    first = build_view(store, "whole")
    assert build_view(store, "whole") is first
    assert build_view(store, "ego", node=AAA) is build_view(store, "ego", node=AAA, depth="1")
    with pytest.raises(nx.NetworkXError):
        first.add_node("https://example.org/x")


def test_ego_view_follows_links_in_both_directions(store: OxigraphStore) -> None:
    one = build_view(store, "ego", node=AAA, depth=1)
    assert set(one.nodes) == {AAA, PRACTICE}
    assert edge_set(one) == {(PRACTICE, AAA, "carriedOutBy"), (PRACTICE, AAA, "involves")}
    two = build_view(store, "ego", node="skgd:actor/state/AAA", depth="2")
    assert set(two.nodes) == {AAA, PRACTICE, PLACE, OBLIGATION, MIGRANTS, MIGRATION}
    assert one.graph == {"view": "ego", "node": AAA}


def test_ego_view_reuses_the_whole_views_positions(store: OxigraphStore) -> None:
    whole = build_view(store, "whole")
    ego = build_view(store, "ego", node=OBLIGATION, depth=1)
    assert {n: (d["x"], d["y"]) for n, d in ego.nodes(data=True)} == {n: (whole.nodes[n]["x"], whole.nodes[n]["y"]) for n in ego}
    assert ego.nodes[OBLIGATION]["degree"] == 3 and whole.nodes[PRACTICE]["degree"] == 6


def test_ego_view_with_predicates_follows_only_those(store: OxigraphStore) -> None:
    graph = build_view(store, "ego", node=PRACTICE, depth=2, predicates="relatesToObligation,skg:dutyBearer")
    assert edge_set(graph) == {(PRACTICE, OBLIGATION, "relatesToObligation"), (OBLIGATION, STATES, "dutyBearer")}


@pytest.mark.parametrize(
    ("options", "parameter"),
    [
        ({"depth": "1"}, "node"),
        ({"node": AAA, "depth": "4"}, "depth"),
        ({"node": AAA, "depth": "two"}, "depth"),
        ({"node": "not an iri"}, "node"),
        ({"node": AAA, "practice": PRACTICE}, "practice"),
        ({"node": AAA, "types": "Stat"}, "types"),
        ({"node": AAA, "predicates": "carriedOutBYY"}, "predicates"),
    ],
)
def test_bad_options_name_the_parameter(store: OxigraphStore, options: dict[str, str], parameter: str) -> None:
    with pytest.raises(ParameterError) as caught:
        build_view(store, "ego", **options)
    assert caught.value.where["parameter"] == parameter


def test_unknown_node_and_unknown_view_are_unknown_resources(store: OxigraphStore) -> None:
    with pytest.raises(UnknownResourceError) as caught:
        build_view(store, "ego", node=ID + "actor/state/ZZZ")
    assert caught.value.where == {"kind": "node", "identifier": ID + "actor/state/ZZZ", "parameter": "node"}
    with pytest.raises(UnknownResourceError, match="whole"):
        build_view(store, "hairball")


def test_type_filter_selects_subclasses_and_drops_isolated_nodes(store: OxigraphStore) -> None:
    graph = build_view(store, "whole", types="Practice,State")
    assert set(graph.nodes) == {PRACTICE, AAA}
    assert edge_set(graph) == {(PRACTICE, AAA, "carriedOutBy"), (PRACTICE, AAA, "involves")}
    assert graph.nodes[PRACTICE]["degree"] == 2  # recomputed for the filtered view
    concepts = build_view(store, "whole", types="Obligation,Concept")
    assert edge_set(concepts) == {(OBLIGATION, STATES, "dutyBearer")}


def test_predicate_filter_accepts_local_names_curies_and_iris(store: OxigraphStore) -> None:
    graph = build_view(store, "whole", predicates=f"carriedOutBy,skg:location,{SKG}dutyBearer")
    assert edge_set(graph) == {(PRACTICE, AAA, "carriedOutBy"), (PRACTICE, PLACE, "location"), (OBLIGATION, STATES, "dutyBearer")}


def test_other_query_views_keep_to_their_relations(store: OxigraphStore) -> None:
    assert edge_set(build_view(store, "obligations")) == {
        (OBLIGATION, STATES, "dutyBearer"),
        (OBLIGATION, ARTICLE, "establishedBy"),
    }
    assert edge_set(build_view(store, "practices")) == {e for e in WHOLE_EDGES if e[0] == PRACTICE and e[2] != "theme"}


def test_duty_bearers_view_draws_the_explanation_paths(store: OxigraphStore) -> None:
    graph = build_view(store, "duty_bearers", practice="skgd:practice/T-1-1")
    assert {
        (PRACTICE, AAA, "carriedOutBy"),
        (PRACTICE, OBLIGATION, "relatesToObligation"),
        (OBLIGATION, STATES, "dutyBearer"),
    } <= edge_set(graph)
    assert {PRACTICE, AAA, OBLIGATION, STATES} <= set(graph.nodes)
    assert PLACE not in graph and ARTICLE not in graph  # not on a path to a duty-bearer
    assert graph.edges[PRACTICE, AAA, SKG + "carriedOutBy"]["evidence"] == "T/1, para. 1"  # the one naming AAA
    assert graph.nodes[AAA]["type"] == "State" and graph.nodes[PRACTICE]["label"] == "Practice one"
    assert graph.graph["practice"] == PRACTICE
    assert all(math.isfinite(d["x"]) and math.isfinite(d["y"]) for _n, d in graph.nodes(data=True))


def test_unknown_practice_is_an_unknown_resource(store: OxigraphStore) -> None:
    with pytest.raises(UnknownResourceError):
        build_view(store, "duty_bearers", practice=ID + "practice/none")


CONSTRUCT = """PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?p skg:carriedOutBy ?a . ?p rdfs:label ?l . ?a skg:date "not a node" }
WHERE { ?p skg:carriedOutBy ?a ; rdfs:label ?l }"""


def test_query_view_turns_a_construct_into_a_network(store: OxigraphStore) -> None:
    graph = build_view(store, "query", construct=CONSTRUCT)
    assert edge_set(graph) == {(PRACTICE, AAA, "carriedOutBy")}
    assert graph.nodes[PRACTICE]["label"] == "Practice one"
    assert graph.nodes[AAA]["label"] == 'Aland "quoted" & <Co>'  # looked up: the CONSTRUCT has no label for it
    assert graph.nodes[AAA]["type"] == "State" and graph.nodes[AAA]["date"] == "not a node"
    assert graph.edges[PRACTICE, AAA, SKG + "carriedOutBy"]["label"] == "carried out by"


def test_query_view_runs_a_catalogue_construct_with_its_parameters(store: OxigraphStore, tmp_path: Path) -> None:
    (tmp_path / "links_of.rq").write_text(
        """#+ summary: Links of a node
#+ params:
#+   - name: node
#+     type: iri
#+     required: true
CONSTRUCT { ?node ?p ?o } WHERE { ?node ?p ?o . FILTER(isIRI(?o)) }
""",
        encoding="utf-8",
    )
    (tmp_path / "a_select.rq").write_text("#+ summary: Not a graph\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    catalogue = Catalogue.load(tmp_path)
    graph = build_view(store, "query", catalogue=catalogue, name="links_of", node="skgd:obligation/o1")
    assert {(u, v) for u, v, _k in graph.edges(keys=True)} >= {(OBLIGATION, STATES), (OBLIGATION, ARTICLE)}
    with pytest.raises(ParameterError) as caught:
        build_view(store, "query", catalogue=catalogue, name="a_select")
    assert caught.value.where["parameter"] == "name"
    with pytest.raises(ParameterError) as caught:
        build_view(store, "query", catalogue=catalogue, name="links_of")
    assert caught.value.where["parameter"] == "node"


def test_query_view_refuses_what_is_not_a_read_only_construct(store: OxigraphStore) -> None:
    with pytest.raises(ParameterError) as caught:
        build_view(store, "query", construct="SELECT * WHERE { ?s ?p ?o }")
    assert caught.value.where["parameter"] == "construct"
    with pytest.raises(ReadOnlyError):
        build_view(store, "query", construct="CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
    with pytest.raises(ParameterError):
        build_view(store, "query")
    with pytest.raises(ParameterError) as caught:
        build_view(store, "query", construct=CONSTRUCT, depth="2")
    assert caught.value.where["parameter"] == "depth"


def test_graph_from_rows_skips_literal_ends_and_merges_evidence() -> None:
    uri = {"type": "uri"}
    rows = [
        {
            "source": {**uri, "value": PRACTICE},
            "relation": {**uri, "value": SKG + "x"},
            "target": {**uri, "value": AAA},
            "evidence": {"type": "literal", "value": "b; a"},
        },
        {
            "source": {**uri, "value": PRACTICE},
            "relation": {**uri, "value": SKG + "x"},
            "target": {**uri, "value": AAA},
            "evidence": {"type": "literal", "value": "c"},
        },
        {
            "source": {**uri, "value": PRACTICE},
            "relation": {**uri, "value": SKG + "y"},
            "target": {"type": "literal", "value": "text"},
        },
    ]
    graph = graph_from_rows(rows)
    assert edge_set(graph) == {(PRACTICE, AAA, "x")}
    assert graph.edges[PRACTICE, AAA, SKG + "x"]["evidence"] == "a; b; c"


def test_flat_rows_give_node_facts_evidence_per_graph_and_hide_locators() -> None:
    def iri(value: str) -> dict[str, str]:
        return {"type": "uri", "value": value}

    def text(value: str) -> dict[str, str]:
        return {"type": "literal", "value": value}

    graph_a, graph_b, locator = ID + "graph/a", ID + "graph/b", ID + "doc/d/para/1"
    rows = [
        {"source": iri(PRACTICE), "relation": iri(SKG + "carriedOutBy"), "target": iri(AAA), "graph": iri(graph_a)},
        {"source": iri(PRACTICE), "relation": iri(SKG + "location"), "target": iri(PLACE), "graph": iri(graph_b)},
        {"source": iri(PRACTICE), "relation": iri(SKG + "mentions"), "target": iri(locator), "graph": iri(graph_a)},
        {"node": iri(PRACTICE), "label": text("b")},
        {"node": iri(PRACTICE), "label": text("a")},
        {"node": iri(PRACTICE), "type": iri(SKG + "GoodPractice")},
        {"node": iri(PRACTICE), "description": text("what was done")},
        {"node": iri(PRACTICE), "date": text("2019")},
        {"node": iri(PRACTICE), "date": text("2018")},
        {"node": iri(PRACTICE), "graph": iri(graph_a), "evidence": text("para. 1")},
        {"node": iri(PRACTICE), "graph": iri(graph_a), "evidence": text("fn. 2")},
        {"node": iri(PRACTICE), "graph": iri(graph_b), "evidence": text("para. 9")},
        {"node": iri(AAA), "spokenOf": text("fn. 2")},
        {"node": iri(SKG + "location"), "label": text("took place in")},
        {"node": iri(locator), "hidden": {"type": "literal", "value": "true"}},
    ]
    graph = graph_from_rows(rows)
    assert edge_set(graph) == {(PRACTICE, AAA, "carriedOutBy"), (PRACTICE, PLACE, "location")}  # the locator stays out
    assert locator not in graph
    node = graph.nodes[PRACTICE]
    assert (node["label"], node["type"], node["description"], node["date"]) == ("a", "GoodPractice", "what was done", "2018")
    assert graph.edges[PRACTICE, AAA, SKG + "carriedOutBy"]["evidence"] == "fn. 2"  # the note naming the target
    assert graph.edges[PRACTICE, PLACE, SKG + "location"]["evidence"] == "para. 9"  # only the graph stating the link
    assert graph.edges[PRACTICE, PLACE, SKG + "location"]["label"] == "took place in"


def test_the_whole_view_query_groups_nothing() -> None:
    """Grouping every link of a million-triple graph took the store 86 s; flat rows take 10 s."""
    text = blank_literals(get_view(bundled_catalogue(), "whole").query.text)  # type: ignore[union-attr]
    assert not re.search(r"GROUP\s+BY|GROUP_CONCAT|\b(MIN|MAX|COUNT|SAMPLE)\s*\(", text, re.IGNORECASE)
    assert "NOT EXISTS" not in text  # a locator is a row of its own (?hidden), not a test per link


def test_layout_is_deterministic_and_finite(store: OxigraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = nx.MultiDiGraph(build_view(store, "whole"))
    monkeypatch.setattr(network_layout, "FORCE_LAYOUT_LIMIT", 0)  # the cheap grouped layout of big views (or without numpy)
    grouped = layout_positions(graph)
    assert grouped == layout_positions(graph)
    assert set(grouped) == set(graph.nodes)
    assert all(math.isfinite(c) for xy in grouped.values() for c in xy)
    assert len(set(grouped.values())) == len(grouped)  # no two nodes on the same spot


def test_force_layout_is_deterministic_and_spreads_nodes(store: OxigraphStore) -> None:
    pytest.importorskip("numpy", reason="the force layout needs numpy; without it every view gets the grouped layout")
    graph = nx.MultiDiGraph(build_view(store, "whole"))
    first = layout_positions(graph)
    assert first == layout_positions(graph)
    assert all(math.isfinite(c) for xy in first.values() for c in xy)
    assert len(set(first.values())) == len(first)
    linked = math.dist(first[OBLIGATION], first[STATES])
    farthest = max(math.dist(a, b) for a in first.values() for b in first.values())
    assert linked < farthest  # linked nodes are not the farthest apart


def test_every_query_view_keeps_the_column_contract_and_the_performance_rule(store: OxigraphStore) -> None:
    contract = {
        "source",
        "relation",
        "target",
        "sourceLabel",
        "targetLabel",
        "sourceType",
        "targetType",
        "relationLabel",
        "evidence",
        "graph",
        "node",
        "label",
        "type",
        "description",
        "date",
        "spokenOf",
        "hidden",
    }
    query_views = [v for v in views_of(bundled_catalogue()).values() if v.query is not None]
    assert query_views[0].name == "whole"
    for view in query_views:
        assert view.query is not None
        text = view.query.text
        rows = select(store, text)
        assert any({"source", "relation", "target"} <= set(row) for row in rows), view.name
        for row in rows:
            assert set(row) <= contract, view.name
            assert {"source", "relation", "target"} <= set(row) or "node" in row, (view.name, row)
        code = blank_literals(text)
        assert not re.search(r"[\w>)][*+](?=[\s/|.;)])", code), f"{view.name}: unbounded property path"
        top = top_level(code[code.index("{", code.index("WHERE")) :])
        if "UNION" in top:
            assert not top.replace("UNION", "").strip(), f"{view.name}: a pattern joined with the UNION: {top!r}"


def top_level(group: str) -> str:
    """The text of a group graph pattern outside its nested groups."""
    depth, kept = 0, []
    for char in group:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                break
        elif depth == 1:
            kept.append(char)
    return "".join(kept)
