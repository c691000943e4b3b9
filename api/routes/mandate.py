"""The mandate page: its holders and terms, the resolutions behind it, reports, visits, purposes and priorities.

Each table is the answer of a catalogue question (``queries/``), shown with a
link to it, so the page doubles as a way into the catalogue; IRIs are shown
by their label (the question's ``…Label`` column) and link to their pages.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import CatalogueDep, StoreDep
from api.templating import citation, respond
from graph.cache import cache_of
from graph.catalogue import Catalogue, bind
from graph.iris import local_name
from graph.namespaces import PREFIXES
from graph.store import Store, select
from graph.tables import Table, table

router = APIRouter(tags=["pages"])

MANDATE = PREFIXES["skgd"] + "mandate/ie-human-rights-international-solidarity"
SECTIONS = (
    ("mandate_holders_by_term", "Mandate holders and their terms"),
    ("mandate_resolutions", "Resolutions that created and renewed the mandate"),
    ("page_reports_listed", "Reports of the mandate holders"),
    ("mandate_country_visits", "Country visits"),
    ("mandate_purposes", "What the mandate is for"),
    ("page_goals_and_priorities", "Goals and thematic priorities of the current holder"),
)
"""(catalogue question, heading) for each table of the page, in order."""
HIDDEN = {"mandate"}
"""Columns every row shares: not shown."""


def _cell(row: dict[str, Any], column: str) -> dict[str, str] | None:
    term = row.get(column)
    if term is None:
        return None
    label = row.get(column + "Label", {}).get("value")
    if term["type"] == "uri":
        return {"iri": term["value"], "text": label or local_name(term["value"])}
    return {"text": term["value"]}


def _section(store: Store, catalogue: Catalogue, name: str) -> tuple[list[str], list[dict[str, Any]]]:
    query = catalogue.get(name)
    rows = select(store, query.text, substitutions=bind(query, {}))
    columns = [
        c
        for c in dict.fromkeys(k for r in rows for k in r)
        if (c not in HIDDEN and not c.endswith("Label"))
        or (c.endswith("Label") and c[: -len("Label")] not in {k for r in rows for k in r})
    ]
    return columns, [{c: _cell(r, c) for c in columns} for r in rows]


def mandate_sections(store: Store, catalogue: Catalogue) -> list[dict[str, Any]]:
    """The page's tables: each catalogue question's columns and rows (cells with text and, for IRIs, the IRI)."""
    sections = []
    for name, heading in SECTIONS:
        if name in catalogue.queries:
            columns, rows = _section(store, catalogue, name)
            sections.append(
                {"name": name, "heading": heading, "columns": columns, "rows": rows, "summary": catalogue.get(name).summary}
            )
    return sections


def _table(section: dict[str, Any]) -> Table:
    """The section as a download: an IRI column is followed by its label (``holder``, ``holderLabel``)."""
    columns: list[tuple[str, str]] = []
    for c in section["columns"]:
        columns.append((c, c))
        if any((r[c] or {}).get("iri") for r in section["rows"]):
            columns.append((c + "Label", c + "Label"))
    rows = []
    for r in section["rows"]:
        row: dict[str, Any] = {}
        for c, cell in r.items():
            row[c] = (cell or {}).get("iri") or (cell or {}).get("text")
            if (cell or {}).get("iri"):
                row[c + "Label"] = cell["text"]
        rows.append(row)
    return table(section["name"], columns, rows)


@router.get("/mandate", summary="The mandate: holders, resolutions, reports, visits, purposes", response_model=None)
async def mandate(request: Request, store: StoreDep, catalogue: CatalogueDep) -> Response:
    """The Independent Expert's mandate, from six catalogue questions, each table a download."""
    sections = await run_in_threadpool(
        lambda: cache_of(store).fixed(("mandate", id(catalogue)), lambda: mandate_sections(store, catalogue))
    )
    tables = [_table(s) for s in sections]
    context = {
        "title": "The mandate",
        "sections": sections,
        "citation": citation(
            request,
            "The mandate of the Independent Expert on human rights and international solidarity, in the solidarity-kg graph",
            MANDATE,
        ),
    }
    data = {t.name: [dict(r) for r in t.rows] for t in tables} | {"citation": context["citation"]}
    return respond(request, "mandate.html", context, tables=tables, data=data, filename="mandate")


__all__ = ["mandate_sections", "router"]
