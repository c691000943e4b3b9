"""Listings, search and Linked Data, checked against an independent rdflib reading of the files."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from api.settings import REPOSITORY
from graph.namespaces import SKG, SKGV
from graph.validation import read_turtle_files

ID = "https://w3id.org/solidarity-kg/id/"


@cache
def dataset() -> Graph:
    files = [p for p in sorted((REPOSITORY / "ontology").glob("*.ttl")) if p.name != "shapes.ttl"]
    return read_turtle_files(files + sorted((REPOSITORY / "data").glob("*.ttl")))


def instances(cls: URIRef) -> set[str]:
    graph = dataset()
    return {str(s) for c in graph.transitive_subjects(RDFS.subClassOf, cls) for s in graph.subjects(RDF.type, c)}


def listing(client: TestClient, path: str, **params: str) -> set[str]:
    items: set[str] = set()
    offset = 0
    while True:
        page = client.get(path, params={**params, "limit": "200", "offset": str(offset)}).json()
        items |= {item["iri"] for item in page["items"]}
        offset += 200
        if offset >= page["total"]:
            assert len(items) == page["total"]
            return items


@pytest.mark.parametrize(
    ("path", "cls"),
    [
        ("/actors", SKG.Actor),
        ("/instruments", SKG.Instrument),
        ("/provisions", SKG.Provision),
        ("/obligations", SKG.Obligation),
        ("/practices", SKG.Practice),
        ("/recommendations", SKG.Recommendation),
        ("/documents", SKG.Document),
    ],
)
def test_listing_holds_every_instance(client: TestClient, path: str, cls: URIRef) -> None:
    assert listing(client, path) == instances(cls)


def test_actors_by_kind(client: TestClient) -> None:
    assert listing(client, "/actors", kind="State") == instances(SKG.State)
    assert listing(client, "/actors", kind="LocalGovernment") == instances(SKG.LocalGovernment)


@pytest.mark.parametrize("category", ["good-practice", "solidarity-gap", "abusive-deployment", "criminalisation"])
def test_practices_by_category(client: TestClient, category: str) -> None:
    concept = URIRef(f"{SKGV}practice-type/{category}")
    expected = {str(s) for s in dataset().subjects(SKG.practiceType, concept)}
    assert listing(client, "/practices", category=category) == expected


def test_practices_by_state_code(client: TestClient) -> None:
    graph = dataset()
    spain = URIRef("https://w3id.org/solidarity-kg/id/actor/state/ESP")
    direct = {SKG.location, SKG.carriedOutBy, SKG.supportedBy, SKG.targets, SKG.involves, SKG.addressedTo}
    expected = {str(s) for p in direct for s in graph.subjects(p, spain)}
    expected |= {str(s) for city in graph.subjects(SKG.partOfState, spain) for s in graph.subjects(SKG.location, city)}
    expected &= instances(SKG.Practice)
    assert listing(client, "/practices", state="ESP") == expected


def test_practices_by_date_range(client: TestClient) -> None:
    graph = dataset()
    expected = set()
    for practice in instances(SKG.Practice):
        for date in list(graph.objects(URIRef(practice), SKG.date)) + list(graph.objects(URIRef(practice), SKG.startDate)):
            if "2015" <= str(date)[:4] <= "2017":
                expected.add(practice)
    assert listing(client, "/practices", **{"from": "2015", "to": "2017"}) == expected


def test_sorting_by_label_descending(client: TestClient) -> None:
    items = client.get("/actors", params={"kind": "State", "sort": "-label", "limit": 500}).json()["items"]
    labels = [i["label"] for i in items]
    assert labels == sorted(labels, reverse=True)


def test_pages_link_to_the_next(client: TestClient) -> None:
    page = client.get("/actors", params={"limit": 5}).json()
    assert len(page["items"]) == 5 and "offset=5" in page["next"]


def test_search_ranks_a_label_match_first(client: TestClient) -> None:
    result = client.get("/search", params={"q": "Otros Dreams"}).json()
    assert result["hits"][0]["iri"] == "https://w3id.org/solidarity-kg/id/actor/cso/otros-dreams-en-accion"
    assert result["facets"]


def test_search_finds_paragraph_locators(client: TestClient) -> None:
    result = client.get("/search", params={"q": "A/73/206 para. 50", "type": "Paragraph"}).json()
    assert "https://w3id.org/solidarity-kg/id/doc/A-73-206/para/50" in {h["iri"] for h in result["hits"]}
    assert set(result["facets"]) == {"Paragraph"}


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ],
)
def test_data_iri_dereferences_to_rdf(client: TestClient, accept: str, rdflib_format: str) -> None:
    response = client.get("/id/actor/state/MEX", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=rdflib_format)
    mexico = URIRef("https://w3id.org/solidarity-kg/id/actor/state/MEX")
    stated = set(dataset().triples((mexico, None, None)))
    got = set(graph.triples((mexico, None, None)))
    assert stated <= got
    # beyond the files: only the superclass types materialised at load (graph/inference.py)
    superclasses = {o for (_s, _p, t) in stated if _p == RDF.type for o in dataset().transitive_objects(t, RDFS.subClassOf)}
    assert {(p, o) for (_s, p, o) in got - stated} == {(RDF.type, o) for o in superclasses if (mexico, RDF.type, o) not in stated}


def test_data_iri_page_for_people_escapes_and_links(client: TestClient) -> None:
    response = client.get("/id/actor/state/MEX", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "<h1>Mexico</h1>" in response.text
    assert "/viewer?node=" in response.text


def test_practice_page_shows_its_evidence(client: TestClient) -> None:
    data = client.get("/id/practice/A-73-206-10-1", params={"format": "json"}).json()
    assert {e["label"] for e in data["evidence"]} >= {"A/73/206, para. 10"}


def test_disputed_provision_is_flagged(client: TestClient) -> None:
    path = "/id/instrument/declaration-international-solidarity/2023/unnumbered/correcting-vulnerability-structures"
    data = client.get(path, params={"format": "json"}).json()
    assert "number disputed" in data["flags"]


def test_vocabulary_concepts_and_ontology_resolve(client: TestClient) -> None:
    assert client.get("/vocab/duty-type/respect", params={"format": "json"}).json()["label"] == "respect"
    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'id="Obligation"' in page.text
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert (URIRef(SKG.Obligation), RDF.type, None) in Graph().parse(data=turtle.text, format="turtle")


def practices_where(pattern: str, value: URIRef) -> set[str]:
    """The practices a SPARQL pattern over ``?p`` and ``?value`` finds in the files (rdflib, not the service)."""
    text = f"""PREFIX skg: <{SKG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?p WHERE {{ ?p a ?c . ?c rdfs:subClassOf* skg:Practice . {pattern} }}"""
    return {str(row[0]) for row in dataset().query(text, initBindings={"value": value})}


ROLE = "https://w3id.org/solidarity-kg/vocab/involvement-role/"


@pytest.mark.parametrize(
    ("name", "short", "value", "pattern"),
    [
        (
            "place",
            "LBY",
            ID + "actor/state/LBY",
            "?p skg:location|(^skg:inPractice/skg:location) ?w . ?w skg:partOfState? ?value",
        ),
        (
            "place",
            "DEU",
            ID + "actor/state/DEU",
            "?p skg:location|(^skg:inPractice/skg:location) ?w . ?w skg:partOfState? ?value",
        ),
        ("place", "europe", ID + "place/europe", "?p skg:location ?value"),
        ("carried_out_by", "ITA", ID + "actor/state/ITA", "?p skg:carriedOutBy ?value"),
        ("affected", "migrants", f"{SKGV}rights-holder/migrants", "?p skg:targets|skg:affects ?value"),
        (
            "affected",
            "USA",
            ID + "actor/state/USA",
            f"{{ ?p skg:targets ?value }} UNION {{ ?i skg:inPractice ?p ; skg:agent ?value ; skg:role <{ROLE}targeted> }}",
        ),
        ("rights_holder", "refugees", f"{SKGV}rights-holder/refugees", "?p skg:benefits|skg:affects ?value"),
        (
            "document",
            "A/HRC/38/40",
            ID + "doc/A-HRC-38-40",
            "?p <http://www.w3.org/ns/prov#wasDerivedFrom>/<http://purl.org/dc/terms/isPartOf> ?value",
        ),
    ],
)
def test_practices_by_the_explorer_filters(client: TestClient, name: str, short: str, value: str, pattern: str) -> None:
    expected = practices_where(pattern, URIRef(value))
    if name == "carried_out_by":  # the agent of an Involvement counts when its role is carried-out
        expected = practices_where("?p skg:carriedOutBy ?value", URIRef(value)) | practices_where(
            f"?i skg:inPractice ?p ; skg:agent ?value ; skg:role <{ROLE}carried-out>", URIRef(value)
        )
    assert listing(client, "/practices", **{name: short}) == expected
    assert expected or name == "place"


def test_practices_by_provision_follow_obligations_and_the_enclosing_article(client: TestClient) -> None:
    article = URIRef(ID + "instrument/declaration-international-solidarity/2023/art/6")
    paragraph = URIRef(ID + "instrument/declaration-international-solidarity/2023/art/6/1")
    via = "?p skg:relatesToObligation/skg:establishedBy ?value"
    by_paragraph = practices_where(via, paragraph)
    assert (
        by_paragraph
        and listing(client, "/practices", provision="instrument/declaration-international-solidarity/2023/art/6/1")
        == by_paragraph
    )
    assert by_paragraph < listing(
        client, "/practices", provision="skgd:instrument/declaration-international-solidarity/2023/art/6"
    )
    assert practices_where("?p skg:relatesToObligation/skg:establishedBy/skg:partOfProvision ?value", article) <= listing(
        client, "/practices", provision=str(article)
    )


def test_practice_items_carry_category_and_provisions(client: TestClient) -> None:
    graph = dataset()
    items = {i["iri"]: i for i in client.get("/practices", params={"limit": "1000"}).json()["items"]}
    for iri, item in items.items():
        assert item["category"] == str(graph.value(URIRef(iri), SKG.practiceType))
    direct = {str(o) for o in graph.objects(URIRef(ID + "practice/A-73-206-30-1"), SKG.expressesProvision)}
    provisions = items[ID + "practice/A-73-206-30-1"]["provisions"]
    assert direct <= {p["iri"] for p in provisions if p["basis"] == "source"}
    assert all(p["label"] and p["relation"] for p in provisions)


def test_a_filter_repeated_matches_any_of_its_values(client: TestClient) -> None:
    gaps = listing(client, "/practices", category="solidarity-gap")
    abuses = listing(client, "/practices", category="abusive-deployment")
    page = client.get(
        "/practices", params=[("category", "solidarity-gap"), ("category", "abusive-deployment"), ("limit", "1000")]
    )
    assert {i["iri"] for i in page.json()["items"]} == gaps | abuses


def test_listing_answers_as_the_sparql_fragments_of_its_filters(client: TestClient) -> None:
    """Every practice filter, for values of the explorer's facets: /practices (cached rows) = the filter's SPARQL."""
    from graph.resources import LISTINGS, list_resources

    store = client.app.state.store  # type: ignore[attr-defined]
    facets = client.get("/explore", params={"format": "json"}).json()["facets"]
    cases = [(name, dict(parse_qsl(urlsplit(v["href"]).query))[name]) for name, values in facets.items() for v in values[:6]]
    cases += [("state", "ITA"), ("actor", "skgd:actor/io/european-union"), ("from", "2017-06"), ("to", "2010")]
    assert {name for name, _ in cases} >= {f.name for f in LISTINGS["practices"].filters}
    for name, value in cases:
        by_sparql = {i["iri"] for i in list_resources(store, "practices", {name: value}, limit=1000)["items"]}
        assert listing(client, "/practices", **{name: value}) == by_sparql, (name, value)


def test_pages_tell_a_locator_that_names_a_node_from_one_that_only_speaks_of_it(client: TestClient) -> None:
    """A/73/206 para. 36 leaves Hungary unnamed (fn. 85 identifies it): described in, not named in."""
    profile = client.get("/states/HUN", headers={"Accept": "text/html"})
    assert profile.status_code == 200
    spoken = profile.text.split("Spoken of without being named:", 1)
    assert len(spoken) == 2 and "A/73/206, para. 36" in spoken[1].split("</p>", 1)[0]
    named = profile.text.split("Named in the text:", 1)[1].split("</p>", 1)[0]
    assert "A/73/206, para. 36<" not in named
    page = client.get("/id/actor/state/HUN", headers={"Accept": "text/html"}).text
    line = next(li for li in page.split("<li>") if "A/73/206, para. 36<" in li)
    assert "(speaks of it without naming it)" in line
    data = client.get("/id/actor/state/HUN", params={"format": "json"}).json()
    hows = {e["label"]: e["how"] for e in data["evidence"]}
    assert hows["A/73/206, para. 36"] == "described in"


def test_a_profile_shows_the_classes_the_data_state_not_their_superclasses(client: TestClient) -> None:
    """The superclass types materialised at load (skg:Actor, prov:Agent, org:FormalOrganization) are no badges."""
    page = client.get("/states/HUN", headers={"Accept": "text/html"}).text
    assert re.findall(r'<span class="badge">([^<]*)</span>', page) == ["State"]
