"""Pages: /summaries, practices by category and State (a table, stacked bars and a world map) and by year."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from markupsafe import Markup

from api.deps import StoreDep
from api.pages import json_script
from api.templating import citation, respond
from graph.summaries import Category, Line, Summary, summary_of
from graph.tables import Table, table

router = APIRouter(tags=["pages"])

ATLAS = "vendor/world-atlas/countries-110m.json"
"""The world map (Natural Earth 1:110m, TopoJSON), under ``api/static/``; its country ids are ISO 3166 numeric codes."""
STATIC = Path(__file__).resolve().parent.parent / "static"
_FIXED_KEYS = frozenset({"iri", "code", "label", "kind", "year", "total"})


@lru_cache(maxsize=1)
def atlas_ids() -> frozenset[str]:
    """The ISO numeric ids of the countries the vendored map can draw (read on first use)."""
    topology = json.loads((STATIC / ATLAS).read_text(encoding="utf-8"))
    return frozenset(str(g["id"]) for g in topology["objects"]["countries"]["geometries"] if g.get("id") is not None)


def _column(category: Category) -> str:
    """A category's column key in the downloads (never one of the fixed columns)."""
    return f"category-{category.key}" if category.key in _FIXED_KEYS else category.key


def _table(name: str, first: list[tuple[str, str]], lines: list[Line], summary: Summary) -> Table:
    columns = [*first, *((_column(c), c.label) for c in summary.categories), ("total", "All practices")]
    rows = [
        {
            "iri": line.iri,
            "code": line.code,
            "label": line.label,
            "kind": line.kind,
            "year": line.label,
            **{_column(c): line.counts[c.key] for c in summary.categories},
            "total": line.total,
        }
        for line in lines
    ]
    return table(name, columns, rows)


def _tables(summary: Summary) -> tuple[Table, ...]:
    return (
        _table("states", [("iri", "State (IRI)"), ("code", "ISO 3166 alpha-3"), ("label", "State")], summary.states, summary),
        _table("actors", [("iri", "Actor (IRI)"), ("label", "Actor"), ("kind", "Kind")], summary.actors, summary),
        _table("years", [("year", "Year")], summary.years, summary),
    )


def _line(line: Line, summary: Summary, drawable: frozenset[str] | None = None) -> dict[str, Any]:
    """A row for the template, the charts and the JSON answer: counts, and the explorer link of every count."""
    shown: dict[str, Any] = {
        "iri": line.iri,
        "label": line.label,
        "total": line.total,
        "href": line.href(),
        "cells": [{"category": c.key, "n": line.counts[c.key], "href": line.href(c.key)} for c in summary.categories],
    }
    if line.axis == "state":
        shown.update(code=line.code, numeric=line.numeric, on_map=drawable is not None and line.numeric in drawable)
    elif line.axis == "actor":
        shown["kind"] = line.kind
    return shown


def _view(summary: Summary) -> dict[str, Any]:
    drawable = atlas_ids()
    categories = [
        {"key": c.key, "iri": c.iri, "label": c.label, "n": summary.by_category[c.key], "href": f"/explore?category={c.key}"}
        for c in summary.categories
    ]
    return {
        "categories": categories,
        "states": [_line(line, summary, drawable) for line in summary.states],
        "actors": [_line(line, summary) for line in summary.actors],
        "years": [_line(line, summary) for line in summary.years],
        "practices": summary.practices,
        "with_state": summary.with_state,
        "undated": summary.undated,
        "dated": summary.practices - summary.undated,
    }


@router.get("/summaries", include_in_schema=False, response_model=None)
async def summaries(request: Request, store: StoreDep) -> Response:
    """Practices per category for every State and other actor, on a map, and per year."""
    summary: Summary = await run_in_threadpool(summary_of, store)
    view = _view(summary)
    chart_data = {
        "categories": view["categories"],
        "states": view["states"],
        "years": view["years"],
        "atlas": "/static/" + ATLAS,
    }
    context = {
        "title": "Summaries",
        **view,
        "off_map": [s for s in view["states"] if not s["on_map"]],
        "chart_data": Markup(json_script("summaries-data", chart_data)),  # noqa: S704 - json_script escapes < > &
        "citation": citation(request, "Practices by category, State and year", str(request.url_for("summaries"))),
    }
    data = {**view, "citation": context["citation"]}
    return respond(request, "summaries.html", context, tables=_tables(summary), data=data, filename="summaries")


__all__ = ["ATLAS", "atlas_ids", "router"]
