"""Exporters: a registry from format name to media type, file extension and generator.

Each generator takes a view (a MultiDiGraph from ``graph.network``) and yields
text chunks (the zip of the ``csv`` format yields bytes); ``Exporter.chunks``
gives bytes for both, so the API streams it and ``write_export`` writes it.

==========  ====================================  ==================================
format      what                                  typical consumer
==========  ====================================  ==================================
gexf        GEXF 1.3 with viz colour/size/x,y     Gephi
graphml     GraphML, ids n0…/e0…, IRI kept        yEd, Gephi, Cytoscape
cyjs        Cytoscape.js JSON with positions      Cytoscape, Cytoscape.js, our viewer
node-link   node-link JSON (``links``)            D3
dot         Graphviz DOT, ids n0…, IRI as URL     Graphviz (dot, sfdp)
csv         zip of nodes.csv and edges.csv        spreadsheets, Gephi's import
jsonld      JSON-LD of the view's triples         RDF tools
==========  ====================================  ==================================
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import UnsupportedFormatError
from graph.export_markup import buffered, generate_dot, generate_gexf, generate_graphml, plain_values
from graph.formats import negotiate
from graph.iris import compact_iri
from graph.namespaces import PREFIXES

if TYPE_CHECKING:
    import networkx as nx

_NODE_FIELDS = ("label", "type", "type_iri", "classes", "description", "date", "degree", "size", "x", "y", "color")

# --------------------------------------------------------------------------- JSON


_ENCODER = json.JSONEncoder(allow_nan=False, ensure_ascii=False, separators=(",", ":"))


def _json(data: Any) -> Iterator[str]:
    yield from buffered(_ENCODER.iterencode(data))


def _json_array(items: Iterable[Any]) -> Iterator[str]:
    encode = _ENCODER.encode
    yield "["
    for i, item in enumerate(items):
        yield ("," if i else "") + encode(item)
    yield "]"


def generate_cyjs(graph: nx.MultiDiGraph[str]) -> Iterator[str]:
    """Cytoscape JSON (``.cyjs``), read by Cytoscape desktop and Cytoscape.js.

    Laid out as ``nx.cytoscape_data(graph, name="label")`` (``name`` the label,
    ``value`` the id), with a position per node and an id per edge, written
    element by element rather than as one dict (at 325,000 links a copy of the
    view and a dict of it were 7.7 s and over a GB).
    """

    def nodes() -> Iterator[dict[str, Any]]:
        for node, data in graph.nodes(data=True):
            element: dict[str, Any] = {"data": {**plain_values(data), "id": str(node), "value": str(node)}}
            element["data"]["name"] = str(data.get("label") or node)
            if "x" in data and "y" in data:
                element["position"] = {"x": data["x"], "y": data["y"]}
            yield element

    def edges() -> Iterator[dict[str, Any]]:
        for i, (u, v, k, data) in enumerate(graph.edges(keys=True, data=True)):
            yield {"data": {**plain_values(data), "source": str(u), "target": str(v), "key": str(k), "id": f"e{i}"}}

    def pieces() -> Iterator[str]:
        yield '{"data":' + _ENCODER.encode(plain_values(graph.graph)) + ',"directed":true,"multigraph":true,"elements":{"nodes":'
        yield from _json_array(nodes())
        yield ',"edges":'
        yield from _json_array(edges())
        yield "}}"

    yield from buffered(pieces())


def generate_node_link(graph: nx.MultiDiGraph[str]) -> Iterator[str]:
    """node-link JSON for D3 (``nodes`` and ``links``), laid out as ``nx.node_link_data(graph, edges="links")``."""
    nodes = ({**plain_values(data), "id": str(node)} for node, data in graph.nodes(data=True))
    links = (
        {**plain_values(data), "source": str(u), "target": str(v), "key": str(k)}
        for u, v, k, data in graph.edges(keys=True, data=True)
    )

    def pieces() -> Iterator[str]:
        yield '{"directed":true,"multigraph":true,"graph":' + _ENCODER.encode(plain_values(graph.graph)) + ',"nodes":'
        yield from _json_array(nodes)
        yield ',"links":'
        yield from _json_array(links)
        yield "}"

    yield from buffered(pieces())


# --------------------------------------------------------------------------- CSV


CSV_README = """Network view "{view}" of solidarity-kg: {nodes} nodes, {edges} links.

nodes.csv: one row per node. Id is the node's IRI (open it in a browser for its page),
  Label its name, type its most specific class, classes every class it belongs to,
  description and date where the data give them, degree its number of links in this view,
  x and y a layout position, color the colour of its type.
edges.csv: one row per link. Source and Target are node Ids, Type is always Directed,
  Label says how they are linked, relation is the property's IRI, source_label and
  target_label repeat the node names, evidence lists the source paragraphs behind the link.

Both files are UTF-8 with a byte-order mark (Excel opens them as they are). In Gephi:
File > Import spreadsheet, nodes.csv as the nodes table, then edges.csv as the edges table.
"""


def generate_csv(graph: nx.MultiDiGraph[str]) -> Iterator[bytes]:
    """A zip of ``nodes.csv``, ``edges.csv`` (IRIs at both ends) and a README."""

    def table(header: list[str], rows: Iterable[list[object]]) -> bytes:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        return text.getvalue().encode("utf-8-sig")

    node_fields = [f for f in _NODE_FIELDS if f not in ("label", "type_iri")]
    nodes = table(
        ["Id", "Label", *node_fields],
        (
            [node, data.get("label", node), *(data.get(f, "") for f in node_fields)]
            for node, data in sorted(graph.nodes.items(), key=lambda item: str(item[0]))
        ),
    )
    edges = table(
        ["Source", "Target", "Type", "Label", "relation", "source_label", "target_label", "evidence"],
        (
            [
                u,
                v,
                "Directed",
                data.get("label", ""),
                data.get("relation", k),
                graph.nodes[u].get("label", u),
                graph.nodes[v].get("label", v),
                data.get("evidence", ""),
            ]
            for u, v, k, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
        ),
    )
    readme = CSV_README.format(view=graph.graph.get("view", "view"), nodes=graph.number_of_nodes(), edges=graph.number_of_edges())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", nodes)
        archive.writestr("edges.csv", edges)
        archive.writestr("README.txt", readme)
    yield buffer.getvalue()


# --------------------------------------------------------------------------- JSON-LD


def jsonld_data(graph: nx.MultiDiGraph[str]) -> dict[str, Any]:
    """The view's links as RDF triples in JSON-LD, with each node's label, class, description and date."""
    context: dict[str, Any] = dict(PREFIXES)
    context.update(
        {
            "label": {"@id": PREFIXES["rdfs"] + "label"},
            "description": {"@id": PREFIXES["dcterms"] + "description"},
            "date": {"@id": PREFIXES["skg"] + "date"},
        }
    )
    nodes = []
    for node in sorted(graph.nodes, key=str):
        data = graph.nodes[node]
        entry: dict[str, Any] = {"@id": str(node)}
        if data.get("type_iri"):
            entry["@type"] = compact_iri(str(data["type_iri"]))
        if data.get("label"):
            entry["label"] = str(data["label"])
        for fact in ("description", "date"):
            if data.get(fact):
                entry[fact] = str(data[fact])
        links: dict[str, list[dict[str, str]]] = {}
        for _u, v, k, edge in sorted(graph.out_edges(node, keys=True, data=True), key=lambda e: (str(e[2]), str(e[1]))):
            links.setdefault(compact_iri(str(edge.get("relation", k))), []).append({"@id": str(v)})
        entry.update(links)
        nodes.append(entry)
    return {"@context": context, "@graph": nodes}


def generate_jsonld(graph: nx.MultiDiGraph[str]) -> Iterator[str]:
    """JSON-LD (``application/ld+json``) of the view's triples."""
    yield from _json(jsonld_data(graph))


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Exporter:
    """One export format: its media type, file extension and chunk generator."""

    name: str
    media_type: str
    extension: str
    generate: Callable[[nx.MultiDiGraph[str]], Iterator[str]] | Callable[[nx.MultiDiGraph[str]], Iterator[bytes]]
    description: str

    def chunks(self, graph: nx.MultiDiGraph[str]) -> Iterator[bytes]:
        """The export as UTF-8 bytes, chunk by chunk."""
        for chunk in self.generate(graph):
            yield chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")


class _Registry(dict[str, Exporter]):
    """A dict whose missing keys raise ``UnsupportedFormatError`` naming the formats there are."""

    def __missing__(self, key: str) -> Exporter:
        raise UnsupportedFormatError(
            f"no export format is named {key!r}; the formats are {', '.join(self)}", requested=key, supported=list(self)
        )


EXPORTERS: dict[str, Exporter] = _Registry(
    {
        e.name: e
        for e in (
            Exporter(
                "cyjs", "application/json", "cyjs", generate_cyjs, "Cytoscape JSON with positions (Cytoscape, Cytoscape.js)"
            ),
            Exporter("gexf", "application/gexf+xml", "gexf", generate_gexf, "GEXF 1.3 with colours, sizes and positions (Gephi)"),
            Exporter("graphml", "application/graphml+xml", "graphml", generate_graphml, "GraphML (yEd, Gephi, Cytoscape)"),
            Exporter("node-link", "application/json", "json", generate_node_link, "node-link JSON with nodes and links (D3)"),
            Exporter("dot", "text/vnd.graphviz", "dot", generate_dot, "Graphviz DOT (dot, neato, sfdp)"),
            Exporter(
                "csv",
                "application/zip",
                "csv.zip",
                generate_csv,
                "zip of nodes.csv and edges.csv (spreadsheets, Gephi's spreadsheet import)",
            ),
            Exporter("jsonld", "application/ld+json", "jsonld", generate_jsonld, "JSON-LD of the view's triples (RDF tools)"),
        )
    }
)
"""Every export format by name; the first (cyjs) is the default of ``GET /views/{name}``."""


def exporter_for(format_param: str | None, accept: str | None) -> Exporter:
    """The exporter a request asks for: ``format`` (a format name or a media type) first, then Accept.

    >>> exporter_for("graphml", None).name, exporter_for(None, "text/vnd.graphviz").name, exporter_for(None, None).name
    ('graphml', 'dot', 'cyjs')
    """
    name = (format_param or "").strip().lower()
    if name in EXPORTERS:
        return EXPORTERS[name]
    offered = list(dict.fromkeys(e.media_type for e in EXPORTERS.values()))
    if name and name not in offered:
        raise UnsupportedFormatError(
            f"format {format_param!r} is not offered; the formats are {', '.join(EXPORTERS)}",
            requested=format_param,
            supported=list(EXPORTERS),
            parameter="format",
        )
    media_type = negotiate(accept, offered, name or None, aliases={}, what="for a view")
    return next(e for e in EXPORTERS.values() if e.media_type == media_type)


def write_export(graph: nx.MultiDiGraph[str], fmt: str, path: str | Path) -> Path:
    """Write a view in a format to a file; return the path."""
    exporter = EXPORTERS[fmt]
    target = Path(path)
    with target.open("wb") as handle:
        for chunk in exporter.chunks(graph):
            handle.write(chunk)
    return target


__all__ = [
    "EXPORTERS",
    "Exporter",
    "exporter_for",
    "generate_csv",
    "generate_cyjs",
    "generate_jsonld",
    "generate_node_link",
    "jsonld_data",
    "write_export",
]
