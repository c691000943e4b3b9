"""Node positions for exported views: a force layout for small views, a grouped one for big views."""

from __future__ import annotations

import importlib
import math
from collections import defaultdict

import networkx as nx

FORCE_LAYOUT_LIMIT = 2000
"""Views with more nodes than this get the cheap grouped layout instead of a force layout."""


def _force_layout(nodes: list[str], edges: list[tuple[int, int]], seed: int, iterations: int = 50) -> list[tuple[float, float]]:
    """Fruchterman-Reingold (the algorithm of networkx's spring_layout) on dense float32 numpy arrays.

    The displacement sum over all pairs is written as two matrix products, so
    no n x n x 2 array is built: about 1 s for 1,100 nodes, 3 s for 2,000.
    """
    import numpy as np

    n = len(nodes)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    adjacency = np.zeros((n, n), dtype=np.float32)
    for a, b in edges:
        if a != b:
            adjacency[a, b] = adjacency[b, a] = 1.0
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx = pos[:, 0, np.newaxis] - pos[np.newaxis, :, 0]
        dy = pos[:, 1, np.newaxis] - pos[np.newaxis, :, 1]
        squared = dx * dx + dy * dy
        np.maximum(squared, 1e-4, out=squared)
        force = (k * k) / squared - adjacency * np.sqrt(squared) / k
        displacement = pos * force.sum(axis=1)[:, np.newaxis] - force @ pos
        length = np.sqrt((displacement * displacement).sum(axis=1))
        length = np.where(length < 0.01, 0.1, length)
        pos += displacement * (temperature / length)[:, np.newaxis]
        temperature -= cooling
    return [(float(x), float(y)) for x, y in pos]


def _grouped_layout(nodes: list[str], groups: list[str]) -> list[tuple[float, float]]:
    """A cheap O(n) layout: each type on its own sunflower disc, the discs around a circle."""
    members: dict[str, list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        members[group].append(index)
    order = sorted(members, key=lambda g: (-len(members[g]), g))
    radii = {g: math.sqrt(len(members[g])) for g in order}
    ring = max(1.0, sum(2 * r + 1 for r in radii.values()) / (2 * math.pi))
    golden = math.pi * (3 - math.sqrt(5))
    pos: list[tuple[float, float]] = [(0.0, 0.0)] * len(nodes)
    angle = 0.0
    for group in order:
        share = (2 * radii[group] + 1) / max(1e-9, ring)
        angle += share / 2
        cx, cy = (0.0, 0.0) if len(order) == 1 else (ring * math.cos(angle), ring * math.sin(angle))
        angle += share / 2
        for i, index in enumerate(sorted(members[group], key=lambda m: nodes[m])):
            r = math.sqrt(i + 0.5)
            pos[index] = (cx + r * math.cos(i * golden), cy + r * math.sin(i * golden))
    return pos


def _pack_components(graph: nx.MultiDiGraph[str], nodes: list[str], raw: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Small separate pieces in rows beside the largest one: a force layout pushes them far away, and a few
    far-away pieces would shrink the picture of the rest to a dot (the canvas viewer packs them the same way)."""
    index = {node: i for i, node in enumerate(nodes)}
    pieces = sorted((sorted(index[n] for n in c) for c in nx.weakly_connected_components(graph)), key=lambda c: (-len(c), c))
    if len(pieces) < 2:
        return raw
    pos = list(raw)
    main_xs, main_ys = [pos[i][0] for i in pieces[0]], [pos[i][1] for i in pieces[0]]
    width, height = max(main_xs) - min(main_xs), max(main_ys) - min(main_ys)
    gap = max(width, height, 1e-9) / max(10.0, math.sqrt(len(nodes)))
    left = max(main_xs) + 2 * gap
    right = left + max(width * 0.5, 6 * gap)
    x, y, row = left, min(main_ys), 0.0
    for piece in pieces[1:]:
        pxs, pys = [pos[i][0] for i in piece], [pos[i][1] for i in piece]
        w, h = max(pxs) - min(pxs), max(pys) - min(pys)
        if x > left and x + w > right:
            x, y, row = left, y + row + gap, 0.0
        dx, dy = x - min(pxs), y - min(pys)
        for i in piece:
            pos[i] = (pos[i][0] + dx, pos[i][1] + dy)
        x += w + gap
        row = max(row, h)
    return pos


def layout_positions(graph: nx.MultiDiGraph[str], seed: int = 42) -> dict[str, tuple[float, float]]:
    """Positions for every node, deterministic for a given graph and seed.

    A force layout (numpy) up to ``FORCE_LAYOUT_LIMIT`` nodes, otherwise (or
    without numpy) the grouped layout; scaled so that nodes sit about 50 units
    apart, rounded to 0.1.
    """
    nodes = sorted(graph.nodes)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    try:
        if len(nodes) > FORCE_LAYOUT_LIMIT:
            raise ImportError("too many nodes for the force layout")
        importlib.import_module("numpy")
        raw = _force_layout(nodes, [(index[u], index[v]) for u, v in graph.edges()], seed)
    except ImportError:
        raw = _grouped_layout(nodes, [graph.nodes[n].get("type", "") for n in nodes])
    raw = _pack_components(graph, nodes, raw)
    xs, ys = [p[0] for p in raw], [p[1] for p in raw]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = 50.0 * math.sqrt(len(nodes)) * 2 / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {node: (round((x - cx) * scale, 1), round((y - cy) * scale, 1)) for node, (x, y) in zip(nodes, raw, strict=True)}


def place(graph: nx.MultiDiGraph[str]) -> None:
    """Write ``x`` and ``y`` on every node."""
    for node, (x, y) in layout_positions(graph).items():
        graph.nodes[node]["x"], graph.nodes[node]["y"] = x, y


__all__ = ["FORCE_LAYOUT_LIMIT", "layout_positions", "place"]
