"""A view's options read from a request's query string: one reader for ``/views/{view}`` and ``/viewer/export``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from fastapi import Request

from api.errors import ApiError
from api.settings import Settings
from graph.errors import ParameterError
from graph.iris import resolve_id

if TYPE_CHECKING:
    from graph.network.registry import View

LIST_OPTIONS = frozenset({"types", "predicates"})
"""Options that may repeat; their values are joined into one comma list."""
RESERVED = frozenset({"catalogue", "timeout", "max_rows", "max_bytes"})
"""Keywords of ``build_view`` that no request may set."""


def view_options(request: Request, settings: Settings, skip: Iterable[str] = ()) -> dict[str, str]:
    """Every query parameter but those in ``skip`` (repeated list options joined), short ids resolved to IRIs.

    A CONSTRUCT text over ``SKG_MAX_QUERY_BYTES`` is a 413; a reserved name is a 422.
    """
    skipped = set(skip)
    options: dict[str, str] = {}
    for name in request.query_params:
        if name in skipped:
            continue
        if name in RESERVED:
            raise ParameterError(f"{name!r} is not a view option", parameter=name)
        values = request.query_params.getlist(name)
        options[name] = ",".join(values) if name in LIST_OPTIONS else values[-1]
    if options.get("node"):
        options["node"] = resolve_id(options["node"], "", "node")
    if options.get("practice"):
        options["practice"] = resolve_id(options["practice"], "practice", "practice")
    if len(options.get("construct", "").encode()) > settings.max_query_bytes:
        raise ApiError(
            413,
            "query_too_large",
            f"the CONSTRUCT query is larger than {settings.max_query_bytes} bytes",
            setting="SKG_MAX_QUERY_BYTES",
            parameter="construct",
        )
    return options


__all__ = [
    "LIST_OPTIONS",
    "RESERVED",
    "SUMMARY_VIEWS",
    "WHOLE_GRAPH_VIEWS",
    "check_graph_size",
    "check_view_size",
    "view_options",
]


SUMMARY_VIEWS = frozenset({"types"})
"""Query views whose size does not grow with the graph's (one node per class)."""

WHOLE_GRAPH_VIEWS = frozenset({"ego"})
"""Derived views computed on the whole view (a neighbourhood is searched in it)."""


def check_graph_size(request: Request, settings: Settings, what: str, view: str = "whole") -> None:
    """Refuse (400, before anything is built) what needs the whole view of a graph beyond ``SKG_MAX_VIEW_TRIPLES``.

    Such a view holds most of the graph: building it takes minutes and gigabytes, and no browser draws it;
    neighbourhoods and paths are searched in it. The error names what stays small: the summary by class,
    a practice's duty-bearers, or a CONSTRUCT of what is wanted.
    """
    triples = request.app.state.runtime.report.triples
    if triples <= settings.max_view_triples:
        return
    instead = ["/views/types", "/views/duty_bearers?practice=…", "/practices/{id}/duty-bearers", "/views/query?construct=…"]
    raise ApiError(
        400,
        "view_too_large",
        f"{what} is not built on a graph of {triples:,} triples: it holds or searches the whole view, too large to build "
        "or draw "
        f"(SKG_MAX_VIEW_TRIPLES is {settings.max_view_triples:,}); ask for the summary by class (/views/types), "
        "a practice's duty-bearers (/views/duty_bearers?practice=… or /practices/{id}/duty-bearers) "
        "or a CONSTRUCT of what you need (/views/query?construct=…)",
        view=view,
        triples=triples,
        limit=settings.max_view_triples,
        setting="SKG_MAX_VIEW_TRIPLES",
        instead=instead,
    )


def check_view_size(request: Request, settings: Settings, view: View) -> None:
    """``check_graph_size`` for a view built on the whole graph: the query views but the summary, and ``ego``."""
    if view.name in SUMMARY_VIEWS or (view.query is None and view.name not in WHOLE_GRAPH_VIEWS):
        return
    check_graph_size(request, settings, f"the {view.name} view", view.name)
