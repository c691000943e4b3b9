"""``/views`` and ``/viewer`` on the bundled data: media types, Content-Disposition, parsed bodies, error bodies."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.cli import main as cli_main
from api.settings import REPOSITORY
from graph.catalogue import bundled_catalogue
from graph.export import EXPORTERS
from graph.network import views_of
from tests.conftest import assert_error
from tests.graph.test_export import READERS, render_dot, validate_gexf, validate_graphml

STATIC = REPOSITORY / "api" / "static"
SKG = "https://w3id.org/solidarity-kg/ontology#"


def node_link(client: TestClient, url: str) -> dict[str, Any]:
    response = client.get(url + ("&" if "?" in url else "?") + "format=node-link")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


@pytest.fixture(scope="module")
def whole(client: TestClient) -> dict[str, Any]:
    """The whole view of the bundled data as node-link JSON."""
    return node_link(client, "/views/whole")


def first_node(whole: dict[str, Any], type_name: str, relation: str | None = None) -> str:
    """The best-linked node of a type (optionally the source of a relation) in the whole view."""
    degree = {n["id"]: n["degree"] for n in whole["nodes"] if n["type"] == type_name}
    if relation:
        sources = {link["source"] for link in whole["links"] if link["relation"] == SKG + relation}
        degree = {n: d for n, d in degree.items() if n in sources}
    assert degree, f"the bundled data have no {type_name}"
    return max(sorted(degree), key=lambda n: degree[n])


def test_views_lists_every_view_with_its_options_and_every_format(client: TestClient) -> None:
    body = client.get("/views").json()
    assert [v["name"] for v in body["views"]] == list(views_of(bundled_catalogue()))
    assert [f["name"] for f in body["formats"]] == list(EXPORTERS)
    assert body["default_format"] == "cyjs"
    ego = next(v for v in body["views"] if v["name"] == "ego")
    assert ego["url"].endswith("/views/ego")
    assert {o["name"]: o["required"] for o in ego["options"]} == {
        "node": True,
        "depth": False,
        "types": False,
        "predicates": False,
    }


@pytest.mark.parametrize("name", list(EXPORTERS))
def test_whole_view_in_every_format(client: TestClient, whole: dict[str, Any], name: str) -> None:
    exporter = EXPORTERS[name]
    response = client.get("/views/whole", params={"format": name})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == exporter.media_type
    assert response.headers["content-disposition"] == f'attachment; filename="whole.{exporter.extension}"'
    assert int(response.headers["x-view-nodes"]) == len(whole["nodes"]) > 100
    assert int(response.headers["x-view-edges"]) == len(whole["links"])
    if name == "dot":  # pydot needs ~20 s for this size; the DOT read-back is tested on the fixture
        assert len(re.findall(r"^  n\d+ \[", response.text, re.MULTILINE)) == len(whole["nodes"])
        assert len(re.findall(r"^  n\d+ -> n\d+ \[", response.text, re.MULTILINE)) == len(whole["links"])
        return
    back = READERS[name](response.content)
    assert back.number_of_nodes() == len(whole["nodes"])
    assert back.number_of_edges() == len(whole["links"])


def test_real_exports_validate_against_their_schemas(client: TestClient) -> None:
    validate_gexf(client.get("/views/whole?format=gexf").content)
    validate_graphml(client.get("/views/whole?format=graphml").content)


def test_real_dot_export_renders(client: TestClient, whole: dict[str, Any]) -> None:
    state = first_node(whole, "State")
    response = client.get("/views/ego", params={"node": state, "format": "dot"})
    assert render_dot(response.content).count('class="node"') == int(response.headers["x-view-nodes"])


def test_format_by_media_type_and_by_accept(client: TestClient) -> None:
    assert client.get("/views/obligations").headers["content-type"] == "application/json"  # cyjs by default
    assert "elements" in client.get("/views/obligations").json()
    by_accept = client.get("/views/obligations", headers={"Accept": "application/gexf+xml"})
    assert by_accept.headers["content-disposition"].endswith('.gexf"')
    by_media_type = client.get("/views/obligations", params={"format": "text/vnd.graphviz"})
    assert by_media_type.text.startswith('digraph "obligations"')


def test_large_exports_are_gzipped(client: TestClient) -> None:
    response = client.get("/views/whole?format=graphml", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.content.startswith(b"<?xml")  # decoded by the client


def test_unknown_view_is_404_naming_it(client: TestClient) -> None:
    body = assert_error(client.get("/views/hairball"), 404, "not_found")
    assert "hairball" in str(body["message"]) and "whole" in str(body["message"])
    assert body["where"] == {"kind": "view", "identifier": "hairball"}


def test_unknown_format_is_406_naming_the_supported_ones(client: TestClient) -> None:
    body = assert_error(client.get("/views/whole?format=svg"), 406, "unsupported_format")
    assert body["where"]["supported"] == list(EXPORTERS)  # type: ignore[index]
    assert body["where"]["parameter"] == "format"  # type: ignore[index]
    assert_error(client.get("/views/whole", headers={"Accept": "text/turtle"}), 406, "unsupported_format")


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/views/ego", "node"),
        ("/views/ego?node=skgd:actor/state/MEX&depth=9", "depth"),
        ("/views/ego?node=skgd:actor/state/MEX&depth=deep", "depth"),
        ("/views/whole?types=Nope", "types"),
        ("/views/whole?predicates=noSuchRelation", "predicates"),
        ("/views/whole?bogus=1", "bogus"),
        ("/views/whole?timeout=1", "timeout"),
        ("/views/duty_bearers", "practice"),
        ("/views/query", "name"),
        ("/views/query?construct=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D", "construct"),
    ],
)
def test_bad_parameter_is_422_naming_it(client: TestClient, url: str, parameter: str) -> None:
    body = assert_error(client.get(url), 422, "invalid_parameter")
    assert body["where"]["parameter"] == parameter  # type: ignore[index]


def test_unknown_node_is_404(client: TestClient) -> None:
    body = assert_error(client.get("/views/ego?node=skgd:actor/state/ZZZ"), 404, "not_found")
    assert body["where"]["identifier"] == "https://w3id.org/solidarity-kg/id/actor/state/ZZZ"  # type: ignore[index]


def test_ego_view_by_short_id_is_part_of_the_whole_view(client: TestClient, whole: dict[str, Any]) -> None:
    state = first_node(whole, "State")
    short = state.removeprefix("https://w3id.org/solidarity-kg/id/")
    ego = node_link(client, f"/views/ego?node={short}&depth=1")
    ids = {n["id"] for n in ego["nodes"]}
    assert state in ids and len(ids) > 1
    assert ids <= {n["id"] for n in whole["nodes"]}
    neighbours = {link["target"] for link in whole["links"] if link["source"] == state}
    neighbours |= {link["source"] for link in whole["links"] if link["target"] == state}
    assert ids == neighbours | {state}
    assert ego["graph"] == {"view": "ego", "node": state}


def test_duty_bearers_view_of_a_practice(client: TestClient, whole: dict[str, Any]) -> None:
    practice = first_node(whole, "GoodPractice", "carriedOutBy")
    view = node_link(client, "/views/duty_bearers?practice=" + practice.rsplit("/", 1)[-1])
    types = {n["id"]: n["type"] for n in view["nodes"]}
    assert practice in types
    actors = {
        link["target"] for link in whole["links"] if link["source"] == practice and link["relation"] == SKG + "carriedOutBy"
    }
    assert actors <= set(types)
    assert_error(client.get("/views/duty_bearers?practice=no-such-practice"), 404)


def test_query_view_from_a_construct(client: TestClient) -> None:
    construct = (
        "PREFIX skg: <https://w3id.org/solidarity-kg/ontology#> "
        "CONSTRUCT { ?p skg:carriedOutBy ?a } WHERE { ?p skg:carriedOutBy ?a }"
    )
    view = node_link(client, "/views/query?construct=" + construct.replace(" ", "%20").replace("#", "%23"))
    assert view["links"] and {link["relation"] for link in view["links"]} == {SKG + "carriedOutBy"}
    service = "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    assert_error(client.get("/views/query", params={"construct": service}), 403, "read_only")


def test_filters_apply_to_any_view(client: TestClient, whole: dict[str, Any]) -> None:
    filtered = node_link(client, "/views/whole?types=State&types=Practice&predicates=carriedOutBy")
    assert filtered["links"]
    assert {link["relation"] for link in filtered["links"]} == {SKG + "carriedOutBy"}
    assert {n["type"] for n in filtered["nodes"]} <= {
        "State",
        "GoodPractice",
        "SolidarityGap",
        "AbusiveDeployment",
        "Criminalisation",
        "MandateActivity",
    }


def test_cli_export_writes_the_view(tmp_path: Path, whole: dict[str, Any]) -> None:
    target = tmp_path / "whole.gexf"
    assert cli_main(["export", "whole", "--store", "memory", "--workers", "1", "--format", "gexf", "-o", str(target)]) == 0
    back = READERS["gexf"](target.read_bytes())
    assert back.number_of_nodes() == len(whole["nodes"])


# --------------------------------------------------------------------------- the viewer page


def test_viewer_page_loads_its_assets_locally(client: TestClient) -> None:
    response = client.get("/viewer")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', response.text)
    styles = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', response.text)
    assert "/static/vendor/cytoscape/cytoscape.min.js" in scripts and "/static/viewer.js" in scripts
    for asset in scripts + styles:
        assert asset.startswith("/static/"), f"{asset} is not served locally"
        assert client.get(asset).status_code == 200, asset


def test_viewer_script_never_writes_data_as_html() -> None:
    script = (STATIC / "viewer.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    assert "textContent" in script


def test_viewer_uses_the_public_api() -> None:
    script = (STATIC / "viewer.js").read_text(encoding="utf-8")
    assert '"/views"' in script and "/views/${encodeURIComponent(name)}" in script
    assert json.dumps("cyjs") in script
