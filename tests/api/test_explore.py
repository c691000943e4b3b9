"""The practice explorer (/explore): what it lists, counts and downloads, checked against SPARQL over the files."""

from __future__ import annotations

import csv
import io
import time
from functools import cache
from html.parser import HTMLParser
from statistics import median
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import openpyxl
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from api.settings import REPOSITORY
from graph.validation import read_turtle_files
from tests.conftest import assert_error

ID = "https://w3id.org/solidarity-kg/id/"
PREFIXES = """PREFIX skg: <https://w3id.org/solidarity-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
LOCATED = (
    PREFIXES
    + """SELECT DISTINCT ?p WHERE {
  ?p a ?c . ?c rdfs:subClassOf* skg:Practice .
  ?p skg:location|(^skg:inPractice/skg:location) ?where .
  ?where skg:partOfState? ?place .
}"""
)
"""Practices located at a place, in a State or in one of its cities (the place of the practice or of an involvement)."""


@cache
def dataset() -> Graph:
    files = [p for p in sorted((REPOSITORY / "ontology").glob("*.ttl")) if p.name != "shapes.ttl"]
    return read_turtle_files(files + sorted((REPOSITORY / "data").glob("*.ttl")))


def located_in(place: str) -> set[str]:
    return {str(row[0]) for row in dataset().query(LOCATED, initBindings={"place": URIRef(ID + place)})}


class Page(HTMLParser):
    """The parts of an explorer page the tests read: row IRIs, the count, facet links and download links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[str] = []
        self.facet_links: list[tuple[str, int]] = []
        self.links: dict[str, str] = {}
        self.count = -1
        self._in: str | None = None
        self._href = ""
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and found.get("data-iri"):
            self.rows.append(str(found["data-iri"]))
        elif tag == "span" and found.get("id") == "count":
            self._in, self._text = "count", ""
        elif tag == "a" and "facet-value" in str(found.get("class", "")):
            self._href = str(found["href"])
        elif tag == "span" and found.get("class") == "count" and self._href:
            self._in, self._text = "facet", ""
        elif tag == "a":
            self._in, self._href, self._text = "link", str(found.get("href", "")), ""

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._in == "count" and tag == "span":
            self.count = int(self._text)
        elif self._in == "facet" and tag == "span":
            self.facet_links.append((self._href, int(self._text)))
            self._href = ""
        elif self._in == "link" and tag == "a":
            self.links[self._text.strip()] = self._href
        else:
            return
        self._in = None


def page(client: TestClient, url: str, **params: str) -> Page:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


@pytest.mark.parametrize("place", ["actor/state/ITA", "actor/state/LBY", "actor/state/MEX", "actor/state/ESP", "place/europe"])
def test_place_lists_exactly_the_practices_located_there(client: TestClient, place: str) -> None:
    short = place.rsplit("/", 1)[-1]
    shown = page(client, "/explore", place=short)
    expected = located_in(place)
    assert set(shown.rows) == expected and len(shown.rows) == len(expected) == shown.count
    as_iri = page(client, "/explore", place="skgd:" + place)
    assert as_iri.rows == shown.rows


def test_some_places_have_practices_and_italy_none_but_a_hint(client: TestClient) -> None:
    assert located_in("actor/state/MEX") and located_in("actor/state/LBY")
    italy = client.get("/explore", params={"place": "ITA"}).text
    hint = Page(italy).links["show them"]
    assert dict(parse_qsl(urlsplit(hint).query)) == {"state": "ITA"}
    assert page(client, hint).count > 0


def rows_of_csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def rows_of_xlsx(body: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    assert sheet is not None
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "params",
    [
        {"place": "ITA"},
        {"place": "MEX", "category": "good-practice"},
        {"carried_out_by": "ITA", "sort": "-date"},
        {"reading": "curators", "document": "A/HRC/38/40", "sort": "place"},
    ],
)
def test_downloads_hold_the_rows_of_the_page(client: TestClient, params: dict[str, str]) -> None:
    shown = page(client, "/explore", **params)
    csv_link = shown.links["CSV"]
    assert dict(parse_qsl(urlsplit(csv_link).query)) == {**params, "format": "csv", "table": "practices"}
    csv_rows = rows_of_csv(client.get(csv_link).content)
    xlsx = client.get(shown.links["Excel"])
    assert xlsx.headers["content-disposition"] == 'attachment; filename="explore-practices.xlsx"'
    xlsx_rows = rows_of_xlsx(xlsx.content)
    assert csv_rows[0] == xlsx_rows[0] and csv_rows[0][:2] == ["IRI", "Practice"]
    assert [r[0] for r in csv_rows[1:]] == [r[0] for r in xlsx_rows[1:]] == shown.rows
    assert csv_rows[1:] == [[str(v) for v in row] for row in xlsx_rows[1:]]
    items = client.get(shown.links["JSON"]).json()["items"]
    assert [i["iri"] for i in items] == shown.rows


def test_spreadsheet_rows_carry_category_place_and_provisions(client: TestClient) -> None:
    body = client.get("/explore", params={"place": "LBY", "format": "csv", "table": "practices"}).content
    header, *rows = rows_of_csv(body)
    by_iri = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    row = by_iri[ID + "practice/A-73-206-46-1"]
    assert row["Category"] == "abusive deployment"
    assert row["Place"] == "Libya | Mediterranean region"
    assert "Italy" in row["Carried out by"].split(" | ")
    assert "2023 revised draft" in row["Provisions (curators' reading)"]
    assert "A/73/206, para. 46" in row["Where in the document"].split(" | ")


def facet_links(client: TestClient, params: dict[str, str]) -> list[tuple[str, int]]:
    shown = page(client, "/explore", **params)
    data = client.get("/explore", params={**params, "format": "json"}).json()
    from_json = [(v["href"], v["count"]) for values in data["facets"].values() for v in values if not v["selected"]]
    from_html = [link for link in shown.facet_links if link[0] in {h for h, _ in from_json}]
    assert sorted(from_html) == sorted(from_json)
    return from_json


@pytest.mark.parametrize("params", [{}, {"category": "solidarity-gap"}, {"document": "A-73-206", "reading": "caveat"}])
def test_a_facet_count_is_the_number_of_rows_after_following_it(client: TestClient, params: dict[str, str]) -> None:
    links = facet_links(client, params)
    assert len(links) > 20
    followed = 0
    for href, count in links:
        added = set(parse_qsl(urlsplit(href).query)) - set(params.items())
        assert len(added) == 1, href
        name, value = next(iter(added))
        if name in params:  # a second value of a chosen filter widens the view; its count is that of the value alone
            href = "/explore?" + urlencode({**params, name: value})
        assert client.get(href + "&format=json").json()["total"] == count, href
        followed += 1
    assert followed > 20


def test_values_of_one_facet_combine_as_any_and_facets_as_all(client: TestClient) -> None:
    def total(params: list[tuple[str, str]]) -> int:
        return int(client.get("/explore", params=[*params, ("format", "json")]).json()["total"])

    gaps, abuses = total([("category", "solidarity-gap")]), total([("category", "abusive-deployment")])
    assert total([("category", "solidarity-gap"), ("category", "abusive-deployment")]) == gaps + abuses
    both = total([("category", "solidarity-gap"), ("carried_out_by", "USA")])
    assert 0 < both < min(gaps, total([("carried_out_by", "USA")]) + 1)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"colour": "red"}, "colour"),
        ({"place": "has spaces in it"}, "place"),
        ({"affected": "dragons"}, "affected"),
        ({"category": "heroic"}, "category"),
        ({"year": "20x8"}, "year"),
        ({"from": "last year"}, "from"),
        ({"reading": "gossip"}, "reading"),
        ({"provision": "not-an-iri"}, "provision"),
        ({"sort": "colour"}, "sort"),
        ({"limit": "0"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"format": "csv", "table": "nothing"}, "table"),
    ],
)
def test_bad_parameters_are_a_422_naming_them(client: TestClient, params: dict[str, str], parameter: str) -> None:
    for path in ("/explore", "/practices"):
        if path == "/practices" and "table" in params:
            continue
        body = assert_error(client.get(path, params=params), 422, "invalid_parameter")
        assert body["where"]["parameter"] == parameter  # type: ignore[index]


def test_hostile_values_are_text_never_markup_or_links(client: TestClient) -> None:
    assert_error(client.get("/explore", params={"actor": "https://x.org/<b>"}), 422)
    response = client.get("/explore", params={"place": "javascript:alert(1)"})
    assert response.status_code == 200
    assert 'href="javascript:' not in response.text and "javascript:alert(1)" in response.text
    assert Page(response.text).count == 0


def test_the_page_has_no_inline_script_or_style(client: TestClient) -> None:
    html = client.get("/explore", params={"category": "good-practice"}).text
    assert "<style" not in html and " style=" not in html and " onclick=" not in html and " onchange=" not in html
    assert '<script src="/static/explore.js"></script>' in html
    assert html.count("<script") == html.count('<script src="')


def test_empty_form_fields_are_no_filter(client: TestClient) -> None:
    assert page(client, "/explore", **{"from": "", "to": "2000"}).count == page(client, "/explore", to="2000").count


def test_requests_are_fast_once_the_rows_are_built(client: TestClient) -> None:
    client.get("/explore")
    urls = [
        "/explore",
        "/explore?place=MEX",
        "/explore?category=solidarity-gap&carried_out_by=USA",
        "/practices?affected=migrants",
    ]
    times = []
    for url in urls * 5:
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - start)
    assert median(times) < 0.5, times


def test_listing_and_explorer_share_one_vocabulary(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()["paths"]["/practices"]["get"]
    names = {p["name"] for p in spec["parameters"]} - {"sort", "limit", "offset"}
    for name in names:
        assert client.get("/explore", params={name: "x"}).status_code in (200, 422)
        assert "cannot be filtered" not in client.get("/explore", params={name: "x"}).text
    assert {"place", "affected", "carried_out_by", "provision", "rights_holder", "reading", "year", "section"} <= names


def test_literal_dates_of_a_year_agree_with_the_data(client: TestClient) -> None:
    graph = dataset()
    skg = "https://w3id.org/solidarity-kg/ontology#"
    expected = {
        str(s)
        for p in (URIRef(skg + "date"), URIRef(skg + "startDate"))
        for s, o in graph.subject_objects(p)
        if isinstance(o, Literal) and str(o).startswith("2018") and str(s).startswith(ID + "practice/")
    }
    assert set(page(client, "/explore", year="2018").rows) == expected
