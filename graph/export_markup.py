"""The markup formats of graph tools: GEXF 1.3 (Gephi), GraphML (yEd, Gephi, Cytoscape) and Graphviz DOT.

Each generator takes a view and yields text chunks of about ``CHUNK``
characters; node ids become ``n0``, ``n1``… (XML NMTOKENs, DOT identifiers)
and the IRI stays an attribute.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

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


def plain(graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """An unfrozen copy with only str/int/float attributes (None and other values dropped)."""
    import networkx as nx

    copy: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    copy.graph.update({k: v for k, v in graph.graph.items() if isinstance(v, str | int | float)})
    for node, data in graph.nodes(data=True):
        copy.add_node(node, **{k: v for k, v in data.items() if isinstance(v, str | int | float)})
    for u, v, k, data in graph.edges(keys=True, data=True):
        copy.add_edge(u, v, key=k, **{a: b for a, b in data.items() if isinstance(b, str | int | float)})
    return copy


def short_ids(graph: nx.MultiDiGraph[str]) -> dict[str, str]:
    """Node id -> ``n0``, ``n1``… in sorted order (XML NMTOKENs, DOT identifiers).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([("https://b", "https://a")])
    >>> short_ids(g)
    {'https://a': 'n0', 'https://b': 'n1'}
    """
    return {node: f"n{i}" for i, node in enumerate(sorted(graph.nodes, key=str))}


# --------------------------------------------------------------------------- GEXF


def generate_gexf(graph: nx.MultiDiGraph[str]) -> Iterator[str]:
    """GEXF 1.3 (valid against the RELAX NG schema) with viz colour, size and position.

    networkx writes GEXF 1.2draft; the root element is rewritten to the 1.3
    namespaces and version, without xsi attributes, and ``graph@name`` is dropped.
    """
    import networkx as nx

    copy = plain(graph)
    copy.graph.clear()
    for _node, data in copy.nodes(data=True):
        viz: dict[str, Any] = {"color": {**_rgb(str(data.get("color", ""))), "a": 1.0}}
        if "size" in data:
            viz["size"] = float(data["size"])
        if "x" in data and "y" in data:
            viz["position"] = {"x": float(data["x"]), "y": float(data["y"]), "z": 0.0}
        data["viz"] = viz
    root_done = graph_done = False
    pieces = []
    for line in nx.generate_gexf(copy, version="1.2draft"):
        stripped = line.lstrip()
        if not root_done and stripped.startswith("<gexf"):
            line = f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{GEXF_VIZ_NS}" version="1.3">'
            root_done = True
        elif not graph_done and stripped.startswith("<graph "):
            indent = line[: len(line) - len(stripped)]
            line = indent + '<graph defaultedgetype="directed" mode="static">'
            graph_done = True
        elif stripped.startswith("<creator>NetworkX"):
            line = line.replace(stripped, "<creator>solidarity-kg (networkx)</creator>")
        pieces.append(line + "\n")
    if not root_done or not graph_done:  # pragma: no cover - guards against a networkx format change
        raise RuntimeError("networkx GEXF output changed: root or graph element not found")
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield from buffered(pieces)


# --------------------------------------------------------------------------- GraphML


def _relabelled(graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """Nodes n0…, edges e0… (the IRI stays in ``iri``, the relation in ``relation``)."""
    import networkx as nx

    ids = short_ids(graph)
    copy: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    copy.graph.update({k: v for k, v in graph.graph.items() if isinstance(v, str | int | float)})
    for node in sorted(graph.nodes, key=str):
        data = graph.nodes[node]
        attributes = {k: v for k, v in data.items() if isinstance(v, str | int | float)}
        attributes["iri"] = str(node)
        copy.add_node(ids[node], **attributes)
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], str(e[2])))
    for i, (u, v, k, data) in enumerate(edges):
        attributes = {a: b for a, b in data.items() if isinstance(b, str | int | float)}
        attributes.setdefault("relation", str(k))
        copy.add_edge(ids[u], ids[v], key=f"e{i}", **attributes)
    return copy


def generate_graphml(graph: nx.MultiDiGraph[str]) -> Iterator[str]:
    """GraphML with NMTOKEN ids (``n0``…, ``e0``…); the node IRI is the ``iri`` attribute."""
    import networkx as nx

    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield from buffered(line + "\n" for line in nx.generate_graphml(_relabelled(graph), encoding="utf-8"))


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


__all__ = ["CHUNK", "buffered", "dot_quote", "generate_dot", "generate_gexf", "generate_graphml", "plain", "short_ids"]
