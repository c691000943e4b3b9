"""``GET /search`` on the bundled data: the queries people tried, hostile text, JSON for scripts, the page for browsers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import assert_error

ID = "https://w3id.org/solidarity-kg/id/"
REFUSAL = ID + "practice/A-73-206-37-2"
"""The refusal to let the rescued people of the Aquarius land (para. 37), which never names the boat."""
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def search(client: TestClient, q: str, **params: Any) -> dict[str, Any]:
    response = client.get("/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def iris(result: dict[str, Any]) -> list[str]:
    return [hit["iri"] for hit in result["hits"]]


# --- the queries people tried ----------------------------------------------------------------------------


def test_aquarius_finds_the_refusal_as_well_as_spain(client: TestClient) -> None:
    found = iris(search(client, "Aquarius"))
    assert ID + "practice/A-73-206-27-2" in found[:2]
    assert REFUSAL in found


def test_italy_refusal_finds_the_refusal_first(client: TestClient) -> None:
    first = search(client, "Italy refusal")["hits"][0]
    assert first["iri"] == REFUSAL and first["matched"] == ["label", "context"]  # Italy is whom it is about
    assert iris(search(client, "Italian refusal"))[0] == REFUSAL
    assert REFUSAL in iris(search(client, "refusal disembark"))


@pytest.mark.parametrize(("query", "state"), [("Hungarian", "HUN"), ("Italian", "ITA"), ("Mexican", "MEX"), ("Hungary", "HUN")])
def test_a_demonym_finds_its_state_first(client: TestClient, query: str, state: str) -> None:
    result = search(client, query)
    assert iris(result)[0] == ID + "actor/state/" + state
    assert result["hits"][0]["types"] == ["State"]


@pytest.mark.parametrize("query", ["Turkey", "Türkiye", "Turkiye", "TÜRKIYE"])
def test_every_name_of_turkiye_finds_the_state_first(client: TestClient, query: str) -> None:
    assert iris(search(client, query))[0] == ID + "actor/state/TUR"


def test_criminalising_solidarity_finds_the_criminalisation_practices(client: TestClient) -> None:
    result = search(client, "criminalising solidarity", limit=50)
    assert result["total"] >= 9
    assert result["facets"].get("Criminalisation", 0) >= 5


def test_a_name_without_its_accent(client: TestClient) -> None:
    assert iris(search(client, "Cedric Herrou"))[0] == ID + "person/cedric-herrou"
    assert iris(search(client, "Otros Dreams en Accion"))[0] == ID + "actor/cso/otros-dreams-en-accion"


def test_the_start_of_a_word_finds_it(client: TestClient) -> None:
    assert iris(search(client, "Hungar"))[0] == ID + "actor/state/HUN"
    assert ID + "practice/A-73-206-27-2" in iris(search(client, "aquar"))


def test_a_phrase_is_narrower_than_its_words(client: TestClient) -> None:
    words = search(client, "sanctuary network")["total"]
    phrase = search(client, '"sanctuary network"')["total"]
    assert 0 < phrase < words


def test_every_hit_of_the_aquarius_has_a_page(client: TestClient) -> None:
    for hit in search(client, "Aquarius")["hits"]:
        assert client.get(hit["page"], headers={"Accept": "application/json"}).status_code == 200, hit["page"]


# --- hostile text ------------------------------------------------------------------------------------------

HOSTILE = [
    '"',
    "(",
    ")",
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    "a OR",
    "OR",
    "NOT",
    '"a" OR "',
    "label: x",
    "^x",
    "-",
    "\x01\x1f\x7f",
    "solid\x00arity",
    "' OR 1=1 --",
]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("fmt", ["json", "html"])
def test_hostile_text_is_answered(client: TestClient, query: str, fmt: str) -> None:
    response = client.get("/search", params={"q": query, "format": fmt})
    assert response.status_code == 200, response.text
    if fmt == "json":
        assert set(response.json()) == {"query", "total", "facets", "hits"}


@pytest.mark.parametrize("params", [{"q": "x" * 10_000}, {"q": "solidarity " * 1_000}, {"q": ""}, {}])
def test_too_long_or_missing_text_is_a_clean_422(client: TestClient, params: dict[str, str]) -> None:
    body = assert_error(client.get("/search", params=params), 422)
    assert body["where"]["parameter"] == "q"  # type: ignore[index]


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "201"}, {"offset": "-1"}, {"limit": "x"}, {"type": "x" * 2000}])
def test_bad_paging_or_type_is_a_422(client: TestClient, params: dict[str, str]) -> None:
    assert_error(client.get("/search", params={"q": "solidarity", **params}), 422)


def test_an_unknown_format_is_a_406(client: TestClient) -> None:
    assert_error(client.get("/search", params={"q": "solidarity", "format": "pdf"}), 406)


# --- JSON for scripts, HTML for browsers --------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"Accept": "*/*"}, {"Accept": "application/json"}, {"Accept": "text/plain"}])
def test_scripts_get_json_in_the_same_shape(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get("/search", params={"q": "Hungary", "limit": 3}, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"query", "total", "facets", "hits"} and body["query"] == "Hungary"
    hit = body["hits"][0]
    assert set(hit) == {"iri", "label", "types", "score", "matched", "page"}
    assert (hit["label"], hit["page"], hit["matched"]) == ("Hungary", "/id/actor/state/HUN", ["label", "alt"])
    assert [h["score"] for h in body["hits"]] == sorted((h["score"] for h in body["hits"]), reverse=True)


def test_format_json_wins_over_a_browser_accept(client: TestClient) -> None:
    response = client.get("/search", params={"q": "Hungary", "format": "json"}, headers={"Accept": BROWSER})
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("params", "headers"),
    [({}, {"Accept": BROWSER}), ({"format": "html"}, {}), ({"format": "html"}, {"Accept": "application/json"})],
)
def test_browsers_get_the_page(client: TestClient, params: dict[str, str], headers: dict[str, str]) -> None:
    response = client.get("/search", params={"q": "Aquarius", **params}, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert '<a href="/id/practice/A-73-206-37-2">' in response.text
    assert '<input id="search-q" name="q" type="search" value="Aquarius"' in response.text
    assert "<mark>Aquarius</mark>" in response.text


def test_the_page_without_words_is_the_form(client: TestClient) -> None:
    response = client.get("/search", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert 'role="search"' in response.text and 'class="hits"' not in response.text


def test_the_page_escapes_the_query(client: TestClient) -> None:
    response = client.get("/search", params={"q": '<script>alert(1)</script> "x" onmouseover=', "format": "html"})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_the_page_keeps_to_the_content_security_policy(client: TestClient) -> None:
    text = client.get("/search", params={"q": "migrants", "format": "html"}).text
    assert not re.search(r"<script(?![^>]*\bsrc=)", text) and " style=" not in text and not re.search(r"\son\w+=", text)
    assert '<link rel="stylesheet" href="/static/search.css">' in text
    assert client.get("/static/search.css").status_code == 200


def test_facets_on_the_page_are_links_that_filter(client: TestClient) -> None:
    text = client.get("/search", params={"q": "Aquarius", "format": "html"}).text
    link = re.search(r'<a href="([^"]*type=SolidarityGap[^"]*)">SolidarityGap</a>', text)
    assert link is not None
    filtered = client.get(link.group(1).replace("&amp;", "&"))
    assert filtered.status_code == 200 and "1–1 of 1 hit " in filtered.text
    assert '<a href="/id/practice/A-73-206-37-2">' in filtered.text
    # the other types stay on offer, with a way back to all of them
    assert ">GoodPractice</a>" in filtered.text and ">All types</a>" in filtered.text


def test_the_page_pages(client: TestClient) -> None:
    total = search(client, "migrants")["total"]
    assert total > 40
    first = client.get("/search", params={"q": "migrants", "format": "html", "limit": 20}).text
    assert f"1–20 of {total} hits" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get("/search", params={"q": "migrants", "format": "html", "limit": 20, "offset": 20}).text
    assert f"21–40 of {total} hits" in second and 'rel="prev"' in second
    assert '<ol class="hits" start="21">' in second


def test_the_hits_download_as_csv(client: TestClient) -> None:
    response = client.get("/search", params={"q": "Aquarius", "format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    lines = response.text.lstrip("\ufeff").splitlines()
    assert lines[0] == "IRI,Label,Types,Score" and any(line.startswith(REFUSAL + ",") for line in lines)


def test_type_filter_and_facets_in_json(client: TestClient) -> None:
    whole = search(client, "Aquarius")
    only = search(client, "Aquarius", type="SolidarityGap")
    assert iris(only) == [REFUSAL] and only["facets"] == {"SolidarityGap": 1}
    assert whole["facets"]["SolidarityGap"] == 1 and sum(whole["facets"].values()) >= whole["total"]
    assert search(client, "Aquarius", type="GoodPractice, SolidarityGap")["total"] == whole["facets"]["GoodPractice"] + 1
