"""Exporters, parametrised over the registry: export -> read back -> isomorphic, key attributes intact, schemas valid."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from lxml import etree

from api.settings import REPOSITORY
from graph.backends.oxigraph import OxigraphStore
from graph.cache import clear_cache
from graph.errors import UnsupportedFormatError
from graph.export import EXPORTERS, write_export
from graph.iris import local_name
from graph.network import build_view
from tests.graph.test_views import AAA, PLACE, PRACTICE, load_tiny_store

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def schemas_dir() -> Path:
    """The shared schemas: ``$SKG_SCHEMAS_DIR`` or ``../shared/schemas`` next to the repository."""
    return Path(os.environ.get("SKG_SCHEMAS_DIR") or REPOSITORY.parent / "shared" / "schemas")


def gexf_schema() -> etree.RelaxNG:
    path = schemas_dir() / "gexf-1.3" / "gexf.rng"
    if not path.is_file():
        pytest.skip(f"GEXF 1.3 RELAX NG schema not found at {path} (set SKG_SCHEMAS_DIR)")
    return etree.RelaxNG(etree.parse(str(path)))


def graphml_schema() -> etree.XMLSchema:
    candidates = [Path(p) for p in [os.environ.get("SKG_GRAPHML_XSD")] if p]
    candidates += [schemas_dir() / "graphml" / "graphml.xsd", REPOSITORY / "var" / "schemas" / "graphml" / "graphml.xsd"]
    for path in candidates:
        if path.is_file():
            return etree.XMLSchema(etree.parse(str(path)))
    pytest.skip(
        "GraphML XSD not found (SKG_GRAPHML_XSD, ../shared/schemas/graphml or var/schemas/graphml; "
        ".ci/run fetches it from Debian's libjgrapht-java)"
    )


def dot_program() -> str:
    program = shutil.which("dot")
    if program is None:
        pytest.skip("Graphviz `dot` is not installed (apt-get install graphviz)")
    return program


def validate_gexf(body: bytes) -> None:
    schema = gexf_schema()
    document = etree.fromstring(body)
    assert schema.validate(document), schema.error_log


def validate_graphml(body: bytes) -> None:
    schema = graphml_schema()
    document = etree.fromstring(body)
    assert schema.validate(document), schema.error_log


def render_dot(body: bytes) -> str:
    """Run ``dot -Tsvg``: no diagnostics allowed; return the SVG."""
    result = subprocess.run([dot_program(), "-Tsvg"], input=body, capture_output=True, timeout=120, check=False)
    assert result.returncode == 0 and result.stderr == b"", result.stderr.decode(errors="replace")
    return result.stdout.decode()


# --------------------------------------------------------------------------- read back, one reader per format


def _no_nan(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON")

    return json.loads(text, parse_constant=refuse)


def _by_attribute(graph: nx.MultiDiGraph, attribute: str) -> nx.MultiDiGraph:
    mapping = {node: data[attribute] for node, data in graph.nodes(data=True)}
    assert len(set(mapping.values())) == len(mapping)
    return nx.relabel_nodes(graph, mapping)


def read_gexf(body: bytes) -> nx.MultiDiGraph:
    return nx.MultiDiGraph(nx.read_gexf(io.BytesIO(body)))


def read_graphml(body: bytes) -> nx.MultiDiGraph:
    graph = nx.read_graphml(io.BytesIO(body), force_multigraph=True)
    assert all(re.fullmatch(r"n\d+", n) for n in graph)
    return _by_attribute(nx.MultiDiGraph(graph), "iri")


def read_cyjs(body: bytes) -> nx.MultiDiGraph:
    data = _no_nan(body.decode())
    assert all("position" in node for node in data["elements"]["nodes"])
    return nx.MultiDiGraph(nx.cytoscape_graph(data, name="label"))


def read_node_link(body: bytes) -> nx.MultiDiGraph:
    return nx.MultiDiGraph(nx.node_link_graph(_no_nan(body.decode()), edges="links"))


def _undot(value: str) -> str:
    if value.startswith('"') and value.endswith('"'):
        value = value[1:-1]
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value)


def read_dot(body: bytes) -> nx.MultiDiGraph:
    pydot = pytest.importorskip("pydot", reason="pydot (dev dependency) reads DOT back")
    with warnings.catch_warnings():  # pydot's parser still calls pyparsing's deprecated camelCase names
        warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*deprecated - use.*")
        parsed = pydot.graph_from_dot_data(body.decode())
    assert parsed and len(parsed) == 1
    graph = nx.MultiDiGraph(nx.nx_pydot.from_pydot(parsed[0]))
    graph.remove_nodes_from([n for n in list(graph) if n in ("graph", "node", "edge", "\\n")])
    for _node, data in graph.nodes(data=True):
        for key in list(data):
            data[key] = _undot(str(data[key]))
    for _u, _v, data in graph.edges(data=True):
        for key in list(data):
            data[key] = _undot(str(data[key]))
    return _by_attribute(graph, "iri")


def read_csv(body: bytes) -> nx.MultiDiGraph:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert set(archive.namelist()) == {"nodes.csv", "edges.csv", "README.txt"}
        nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode("utf-8-sig"))))
        edges = list(csv.DictReader(io.StringIO(archive.read("edges.csv").decode("utf-8-sig"))))
    graph = nx.MultiDiGraph()
    for row in nodes:
        graph.add_node(row["Id"], label=row["Label"], type=row["type"])
    for row in edges:
        assert row["Source"] in graph and row["Target"] in graph and row["Type"] == "Directed"
        graph.add_edge(
            row["Source"],
            row["Target"],
            key=row["relation"],
            relation=row["relation"],
            label=row["Label"],
            evidence=row["evidence"],
        )
    return graph


def read_jsonld(body: bytes) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for triple in ox.parse(body, format=ox.RdfFormat.JSON_LD):
        s, p, o = triple.subject.value, triple.predicate.value, triple.object
        graph.add_node(s)
        if p == RDF_TYPE:
            graph.nodes[s]["type"] = local_name(o.value)
        elif p == RDFS_LABEL:
            graph.nodes[s]["label"] = o.value
        elif isinstance(o, ox.NamedNode):
            graph.add_edge(s, o.value, key=p, relation=p)
    return graph


READERS: dict[str, Callable[[bytes], nx.MultiDiGraph]] = {
    "gexf": read_gexf,
    "graphml": read_graphml,
    "cyjs": read_cyjs,
    "node-link": read_node_link,
    "dot": read_dot,
    "csv": read_csv,
    "jsonld": read_jsonld,
}
WITHOUT_EDGE_ATTRIBUTES = {"jsonld"}  # plain triples: no place for the evidence of a link


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    tiny = load_tiny_store()
    yield tiny
    clear_cache(tiny)
    tiny.close()


@pytest.fixture(scope="module")
def view(store: OxigraphStore) -> nx.MultiDiGraph:
    return build_view(store, "whole")


def export(graph: nx.MultiDiGraph, name: str) -> bytes:
    return b"".join(EXPORTERS[name].chunks(graph))


def test_every_exporter_has_a_reader() -> None:
    assert set(READERS) == set(EXPORTERS)


@pytest.mark.parametrize("name", list(EXPORTERS))
def test_export_reads_back_isomorphic_with_key_attributes(view: nx.MultiDiGraph, name: str) -> None:
    back = READERS[name](export(view, name))
    assert set(back.nodes) == set(view.nodes)
    assert nx.is_isomorphic(back, view)
    for node, data in view.nodes(data=True):
        assert back.nodes[node]["label"] == data["label"], (name, node)
        assert back.nodes[node]["type"] == data["type"], (name, node)

    def links(graph: nx.MultiDiGraph) -> Counter[tuple[str, str, str]]:
        return Counter((u, v, d.get("relation", k)) for u, v, k, d in graph.edges(keys=True, data=True))

    assert links(back) == links(view)
    if name not in WITHOUT_EDGE_ATTRIBUTES:
        evidence = {(u, v, d.get("relation", k)): d.get("evidence", "") for u, v, k, d in back.edges(keys=True, data=True)}
        assert evidence == {(u, v, k): d["evidence"] for u, v, k, d in view.edges(keys=True, data=True)}
        labels = {(u, v, d.get("relation", k)): d["label"] for u, v, k, d in back.edges(keys=True, data=True)}
        assert labels == {(u, v, k): d["label"] for u, v, k, d in view.edges(keys=True, data=True)}


@pytest.mark.parametrize("name", ["graphml", "gexf"])
def test_streamed_xml_keeps_every_attribute_its_type_and_hostile_text(name: str) -> None:
    a, b = "https://w3id.org/solidarity-kg/id/a", "https://w3id.org/solidarity-kg/id/b?x=1&y=<2>"
    relation = "https://w3id.org/solidarity-kg/ontology#r"
    graph: nx.MultiDiGraph = nx.MultiDiGraph(view="v")
    graph.add_node(a, iri=a, label='A "q" & <b>\r\nline\ttab', type="State", degree=2, size=9.5, x=1.25, y=-2.5)
    graph.nodes[a].update(color="#112233", description="d ]]> \u00e9 '")
    graph.add_node(b, iri=b, label="B", type="Place", degree=1, size=8.0, x=0.0, y=3.0, color="#445566")
    graph.add_edge(a, b, key=relation, relation=relation, label="r <x> & 'y'", evidence="para. 1; fn. 2")
    graph.add_edge(a, b, key=relation + "2", relation=relation + "2", label="s", evidence="")
    body = export(graph, name)
    validate_graphml(body) if name == "graphml" else validate_gexf(body)
    back = READERS[name](body)
    for node, data in graph.nodes(data=True):
        assert {k: back.nodes[node][k] for k in data} == data, (name, node)
        assert all(type(back.nodes[node][k]) is type(v) for k, v in data.items()), (name, node)
    kept = {(u, v, d["relation"]): (d["label"], d["evidence"]) for u, v, d in back.edges(data=True)}
    assert kept == {(u, v, d["relation"]): (d["label"], d["evidence"]) for u, v, d in graph.edges(data=True)}


@pytest.mark.parametrize("name", list(EXPORTERS))
def test_export_of_an_empty_view_is_well_formed(store: OxigraphStore, name: str) -> None:
    empty = build_view(store, "whole", types="Treaty")
    assert empty.number_of_nodes() == 0
    back = READERS[name](export(empty, name))
    assert back.number_of_nodes() == 0


@pytest.mark.parametrize("name", list(EXPORTERS))
def test_write_export_writes_the_streamed_bytes(view: nx.MultiDiGraph, name: str, tmp_path: Path) -> None:
    path = write_export(view, name, tmp_path / f"whole.{EXPORTERS[name].extension}")
    assert path.read_bytes() == export(view, name)


def test_gexf_is_valid_1_3_with_viz_colour_size_and_position(view: nx.MultiDiGraph) -> None:
    body = export(view, "gexf")
    validate_gexf(body)
    root = etree.fromstring(body)
    ns = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}
    assert root.get("version") == "1.3"
    node = root.find(f".//g:node[@id='{AAA}']", ns)
    assert node is not None
    position = node.find("viz:position", ns)
    assert position is not None
    assert (float(position.get("x")), float(position.get("y"))) == (view.nodes[AAA]["x"], view.nodes[AAA]["y"])
    color = node.find("viz:color", ns)
    assert color is not None
    assert "#{:02x}{:02x}{:02x}".format(*(int(color.get(c)) for c in "rgb")) == view.nodes[AAA]["color"]
    size = node.find("viz:size", ns)
    assert size is not None and float(size.get("value")) == view.nodes[AAA]["size"]


def test_graphml_is_valid_against_the_xsd(view: nx.MultiDiGraph) -> None:
    validate_graphml(export(view, "graphml"))


def test_dot_renders_without_diagnostics_and_keeps_every_node(view: nx.MultiDiGraph) -> None:
    svg = render_dot(export(view, "dot"))
    assert svg.count('class="node"') == view.number_of_nodes()
    assert svg.count('class="edge"') == view.number_of_edges()
    assert "Aland &quot;quoted&quot; &amp; &lt;Co&gt;" in svg
    assert f'href="{PLACE}"' in svg or f'xlink:href="{PLACE}"' in svg


def test_cyjs_carries_positions_names_and_unique_edge_ids(view: nx.MultiDiGraph) -> None:
    data = json.loads(export(view, "cyjs"))
    nodes = {n["data"]["id"]: n for n in data["elements"]["nodes"]}
    assert nodes[PRACTICE]["data"]["name"] == "Practice one"
    assert nodes[PRACTICE]["position"] == {"x": view.nodes[PRACTICE]["x"], "y": view.nodes[PRACTICE]["y"]}
    ids = [e["data"]["id"] for e in data["elements"]["edges"]]
    assert len(set(ids)) == len(ids) == view.number_of_edges()
    assert data["data"] == {"view": "whole"}


def test_csv_opens_as_two_tables_with_iris_at_both_ends(view: nx.MultiDiGraph) -> None:
    with zipfile.ZipFile(io.BytesIO(export(view, "csv"))) as archive:
        nodes = archive.read("nodes.csv")
        edges = archive.read("edges.csv").decode("utf-8-sig")
    assert nodes.startswith(b"\xef\xbb\xbfId,Label,")  # a BOM, so that Excel reads UTF-8
    header, *rows = list(csv.reader(io.StringIO(edges)))
    assert header[:4] == ["Source", "Target", "Type", "Label"]
    assert all(row[0].startswith("https://") and row[1].startswith("https://") for row in rows)


def test_jsonld_parses_to_exactly_the_views_triples(view: nx.MultiDiGraph) -> None:
    triples = {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in ox.parse(export(view, "jsonld"), format=ox.RdfFormat.JSON_LD)
        if isinstance(t.object, ox.NamedNode) and t.predicate.value != RDF_TYPE
    }
    assert triples == {(u, k, v) for u, v, k in view.edges(keys=True)}


def test_unknown_format_names_the_supported_ones(view: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormatError) as caught:
        write_export(view, "svg", tmp_path / "x.svg")
    assert caught.value.where["supported"] == list(EXPORTERS)
    assert "gexf" in str(caught.value)
