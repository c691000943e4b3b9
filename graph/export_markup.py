"""The markup formats of graph tools: GEXF 1.3 (Gephi), GraphML (yEd, Gephi, Cytoscape) and Graphviz DOT.

Each generator takes a view and yields text chunks of about ``CHUNK``
characters; node ids become ``n0``, ``n1``… (XML NMTOKENs, DOT identifiers)
and the IRI stays an attribute.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    import networkx as nx

GEXF_NS = "http://gexf.net/1.3"
GEXF_VIZ_NS = "http://gexf.net/1.3/viz"
CHUNK = 64 * 1024


def buffered(pieces: Iterable[str], size: int = CHUNK) -> Iterator[str]:
    """Join small pieces into chunks of about ``size`` characters."""
    buffer: list[str] = []
    length = 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


def _rgb(color: str) -> dict[str, int]:
    value = color.lstrip("#")
    if len(value) != 6:
        return {"r": 128, "g": 128, "b": 128}
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16)}


def plain_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes every format can write: str, int and float values (None and others dropped)."""
    return {k: v for k, v in data.items() if isinstance(v, str | int | float)}


def short_ids(graph: nx.MultiDiGraph[str]) -> dict[str, str]:
    """Node id -> ``n0``, ``n1``… in sorted order (XML NMTOKENs, DOT identifiers).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([("https://b", "https://a")])
    >>> short_ids(g)
    {'https://a': 'n0', 'https://b': 'n1'}
    """
    return {node: f"n{i}" for i, node in enumerate(sorted(graph.nodes, key=str))}


# --------------------------------------------------------------------------- XML attributes


def _xml_type(value: object) -> str | None:
    """The GraphML ``attr.type`` of a value, as networkx names them; None for values no export writes."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string" if isinstance(value, str) else None


def _xml_value(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _xml_text(value: object) -> str:
    """Character data: markup escaped, and carriage returns as references so that parsers keep them."""
    return escape(_xml_value(value)).replace("\r", "&#13;")


class _Attributes:
    """Declared attributes (GraphML ``<key>``, GEXF ``<attribute>``): one per (domain, name), typed by the values
    met (mixed types: string), declared before the elements that use them, hence a first pass over the view."""

    def __init__(self, prefix: str = "d") -> None:
        self.prefix = prefix
        self.keys: dict[tuple[str, str], list[str]] = {}

    def declare(self, domain: str, data: Mapping[str, object]) -> None:
        for name, value in data.items():
            kind = _xml_type(value)
            if kind is None:
                continue
            key = self.keys.get((domain, name))
            if key is None:
                self.keys[(domain, name)] = [f"{self.prefix}{len(self.keys)}", kind]
            elif key[1] != kind:
                key[1] = "double" if {key[1], kind} == {"long", "double"} else "string"

    def declarations(self) -> Iterator[str]:
        for (domain, name), (key, kind) in self.keys.items():
            yield f'  <key id="{key}" for="{domain}" attr.name={quoteattr(name)} attr.type="{kind}" />\n'

    def data(self, domain: str, values: Mapping[str, object], indent: str) -> Iterator[str]:
        for name, value in values.items():
            key = self.keys.get((domain, name))
            if key is not None and _xml_type(value) is not None:
                yield f'{indent}<data key="{key[0]}">{_xml_text(value)}</data>\n'


# --------------------------------------------------------------------------- GEXF


def _viz(data: Mapping[str, Any]) -> Iterator[str]:
    rgb = _rgb(str(data.get("color", "")))
    yield f'        <viz:color r="{rgb["r"]}" g="{rgb["g"]}" b="{rgb["b"]}" a="1.0" />\n'
    if "size" in data:
        yield f'        <viz:size value="{float(data["size"])}" />\n'
    if "x" in data and "y" in data:
        yield f'        <viz:position x="{float(data["x"])}" y="{float(data["y"])}" z="0.0" />\n'


def _attvalues(attributes: _Attributes, domain: str, values: Mapping[str, object]) -> Iterator[str]:
    pieces = [
        f'          <attvalue for="{attributes.keys[(domain, name)][0]}" value={quoteattr(_xml_value(value))} />\n'
        for name, value in values.items()
        if (domain, name) in attributes.keys and _xml_type(value) is not None
    ]
    if pieces:
        yield "        <attvalues>\n"
        yield from pieces
        yield "        </attvalues>\n"


def _gexf_node_data(data: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in data.items() if k != "label"}


def _gexf_edge_data(key: str, data: Mapping[str, object]) -> dict[str, object]:
    return {**{a: b for a, b in data.items() if a not in ("label", "id")}, "networkx_key": str(key)}


def _gexf_declarations(attributes: _Attributes, domain: str) -> Iterator[str]:
    yield f'    <attributes mode="static" class="{domain}">\n'
    for (where, name), (key, kind) in attributes.keys.items():
        if where == domain:
            yield f'      <attribute id="{key}" title={quoteattr(name)} type="{kind}" />\n'
    yield "    </attributes>\n"


def _gexf_nodes(graph: nx.MultiDiGraph[str], attributes: _Attributes) -> Iterator[str]:
    for node, data in graph.nodes(data=True):
        label = quoteattr(_xml_value(data.get("label", node)))
        yield f"      <node id={quoteattr(_xml_value(node))} label={label}>\n"
        yield from _viz(data)
        yield from _attvalues(attributes, "node", _gexf_node_data(data))
        yield "      </node>\n"


def _gexf_edges(graph: nx.MultiDiGraph[str], attributes: _Attributes) -> Iterator[str]:
    for i, (u, v, k, data) in enumerate(graph.edges(keys=True, data=True)):
        ends = f"source={quoteattr(_xml_value(u))} target={quoteattr(_xml_value(v))}"
        label = f" label={quoteattr(_xml_value(data['label']))}" if "label" in data else ""
        yield f'      <edge {ends} id="{i}"{label}>\n'
        yield from _attvalues(attributes, "edge", _gexf_edge_data(k, data))
        yield "      </edge>\n"


def generate_gexf(graph: nx.MultiDiGraph[str]) -> Iterator[str]:
    """GEXF 1.3 (valid against the RELAX NG schema) with viz colour, size and position.

    Laid out as networkx writes GEXF (node ids are IRIs, ``label`` an XML
    attribute, every other attribute an ``attvalue``, the multigraph key as
    ``networkx_key`` so that networkx reads the same graph back), but element
    by element: networkx's writer holds an ElementTree of the whole graph
    (26 s and 1.9 GB more for a view of 325,000 links).
    """
    attributes = _Attributes(prefix="")
    for _node, data in graph.nodes(data=True):
        attributes.declare("node", _gexf_node_data(data))
    for _u, _v, k, data in graph.edges(keys=True, data=True):
        attributes.declare("edge", _gexf_edge_data(k, data))

    def lines() -> Iterator[str]:
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        yield f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{GEXF_VIZ_NS}" version="1.3">\n'
        yield "  <meta>\n    <creator>solidarity-kg</creator>\n  </meta>\n"
        yield '  <graph defaultedgetype="directed" mode="static">\n'
        yield from _gexf_declarations(attributes, "edge")
        yield from _gexf_declarations(attributes, "node")
        yield "    <nodes>\n"
        yield from _gexf_nodes(graph, attributes)
        yield "    </nodes>\n    <edges>\n"
        yield from _gexf_edges(graph, attributes)
        yield "    </edges>\n  </graph>\n</gexf>\n"

    yield from buffered(lines())


# --------------------------------------------------------------------------- GraphML


GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_GRAPHML_ROOT = (
    f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'xsi:schemaLocation="{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd">\n'
)


def generate_graphml(graph: nx.MultiDiGraph[str]) -> Iterator[str]:
    """GraphML with NMTOKEN ids (``n0``…, ``e0``…); the node IRI is the ``iri`` attribute.

    Written element by element as networkx lays it out, without building the
    document in memory (networkx's writer holds an ElementTree of the whole
    graph: 39 s and 1.4 GB more for a view of 325,000 links); the output reads
    back in networkx as the same graph.
    """
    ids = short_ids(graph)
    nodes = sorted(graph.nodes, key=str)
    edges = sorted(graph.edges(keys=True), key=lambda e: (ids[e[0]], ids[e[1]], str(e[2])))

    def node_data(node: str) -> dict[str, object]:
        return {**graph.nodes[node], "iri": str(node)}

    def edge_data(u: str, v: str, k: str) -> dict[str, object]:
        data: dict[str, object] = dict(graph.edges[u, v, k])
        data.setdefault("relation", str(k))
        return data

    keys = _Attributes()
    keys.declare("graph", graph.graph)
    for node in nodes:
        keys.declare("node", node_data(node))
    for u, v, k in edges:
        keys.declare("edge", edge_data(u, v, k))

    def lines() -> Iterator[str]:
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        yield _GRAPHML_ROOT
        yield from keys.declarations()
        yield '  <graph edgedefault="directed">\n'
        for node in nodes:
            yield f'    <node id="{ids[node]}">\n'
            yield from keys.data("node", node_data(node), "      ")
            yield "    </node>\n"
        for i, (u, v, k) in enumerate(edges):
            yield f'    <edge source="{ids[u]}" target="{ids[v]}" id="e{i}">\n'
            yield from keys.data("edge", edge_data(u, v, k), "      ")
            yield "    </edge>\n"
        yield from keys.data("graph", graph.graph, "    ")
        yield "  </graph>\n</graphml>\n"

    yield from buffered(lines())


# --------------------------------------------------------------------------- DOT


def dot_quote(value: object) -> str:
    r"""A DOT double-quoted string: backslashes, quotes and line breaks escaped.

    >>> print(dot_quote('a "b" \\ c'))
    "a \"b\" \\ c"
    """
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{text}"'


def _attributes(values: dict[str, object]) -> str:
    return ", ".join(f"{name}={dot_quote(value)}" for name, value in values.items() if value not in (None, ""))


def _font_color(color: str) -> str:
    rgb = _rgb(color)
    luminance = 0.299 * rgb["r"] + 0.587 * rgb["g"] + 0.114 * rgb["b"]
    return "#000000" if luminance > 150 else "#ffffff"


def generate_dot(graph: nx.MultiDiGraph[str]) -> Iterator[str]:
    """Graphviz DOT: ids ``n0``… (IRIs contain ``:``, a port separator in DOT), label, IRI as URL."""
    ids = short_ids(graph)
    name = str(graph.graph.get("view", "view"))

    def lines() -> Iterator[str]:
        yield f"digraph {dot_quote(name)} {{\n"
        yield '  graph [overlap="false", fontname="Helvetica"];\n'
        yield '  node [shape="box", style="rounded,filled", fontname="Helvetica", fontsize="10"];\n'
        yield '  edge [fontname="Helvetica", fontsize="8", color="#777777"];\n'
        for node in sorted(graph.nodes, key=str):
            data = graph.nodes[node]
            color = str(data.get("color", "#cccccc"))
            values: dict[str, object] = {
                "label": data.get("label", node),
                "iri": node,
                "URL": node,
                "tooltip": data.get("type"),
                "type": data.get("type"),
                "fillcolor": color,
                "fontcolor": _font_color(color),
            }
            if "x" in data and "y" in data:
                values["pos"] = f"{data['x']},{data['y']}"
            yield f"  {ids[node]} [{_attributes(values)}];\n"
        for u, v, k, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], str(e[2]))):
            values = {"label": data.get("label"), "relation": data.get("relation", k), "evidence": data.get("evidence")}
            yield f"  {ids[u]} -> {ids[v]} [{_attributes(values)}];\n"
        yield "}\n"

    yield from buffered(lines())


__all__ = ["CHUNK", "buffered", "dot_quote", "generate_dot", "generate_gexf", "generate_graphml", "plain_values", "short_ids"]
