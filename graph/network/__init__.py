"""The network layer: views of the graph as networkx MultiDiGraphs, and the algorithms run on them.

``registry`` names the views, ``build`` turns rows or triples into graphs,
``filters`` reads ``types`` and ``predicates``, ``algorithms`` holds the
neighbourhood and path searches, ``layout`` places nodes, ``views`` builds
and caches a view. ``/views/*``, ``/graph/*`` and the duty-bearer view all go
through here, so one question gets one answer.
"""

from __future__ import annotations

from graph.network.algorithms import neighbourhood, neighbourhood_listing, paths_between
from graph.network.build import Network, graph_from_rows, graph_from_triples
from graph.network.layout import FORCE_LAYOUT_LIMIT, layout_positions
from graph.network.registry import FILTERS, MAX_DEPTH, View, get_view, views_of
from graph.network.styles import TYPE_COLORS, type_color
from graph.network.views import base_view, build_view, whole_view

__all__ = [
    "FILTERS",
    "FORCE_LAYOUT_LIMIT",
    "MAX_DEPTH",
    "TYPE_COLORS",
    "Network",
    "View",
    "base_view",
    "build_view",
    "get_view",
    "graph_from_rows",
    "graph_from_triples",
    "layout_positions",
    "neighbourhood",
    "neighbourhood_listing",
    "paths_between",
    "type_color",
    "views_of",
    "whole_view",
]
