"""The draft declaration page: the 2017 and 2023 drafts side by side, article by article.

Per provision: its number (flagged where the sources give none or disagree),
who owes what to whom under it, the practices that express it or run against
it, and the paragraphs behind each. ``?bearer=non-state-actor`` (or ``state``,
``international-organisation`` …) keeps the provisions whose duties fall on
that kind of actor.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import StoreDep
from api.templating import citation, respond
from graph.declaration import DECLARATION, DeclarationView, ProvisionView, declaration_of
from graph.errors import ParameterError
from graph.iris import local_name
from graph.tables import table

router = APIRouter(tags=["pages"])

COLUMNS = [
    ("version", "Version"),
    ("provision", "Provision"),
    ("iri", "IRI"),
    ("number", "Number"),
    ("number_status", "Number status"),
    ("obligation", "Obligation"),
    ("bearers", "Owed by"),
    ("duties", "Duty types"),
    ("owed_to", "Owed to"),
    ("expressed_by", "Practices expressing it"),
    ("run_against_by", "Practices running against it"),
    ("evidence", "Evidence"),
]


def _names(items: list[dict[str, str]]) -> str:
    return "; ".join(item["label"] for item in items)


def _rows(view: DeclarationView, kept: list[ProvisionView]) -> list[dict[str, Any]]:
    version_of = {p["iri"]: v["label"] for v in view.versions for p in v["provisions"]}
    rows = []
    for p in kept:
        common = {
            "version": version_of.get(p.iri, ""),
            "provision": p.label,
            "iri": p.iri,
            "number": p.number,
            "number_status": p.number_status,
            "expressed_by": _names(p.expressed_by),
            "run_against_by": _names(p.run_against_by),
        }
        if not p.duties:
            rows.append({**common, "obligation": "", "bearers": "", "duties": "", "owed_to": "", "evidence": _names(p.evidence)})
        for duty in p.duties:
            rows.append(
                {
                    **common,
                    "obligation": duty.label,
                    "bearers": _names(duty.bearers),
                    "duties": ", ".join(duty.duties),
                    "owed_to": _names(duty.owed_to),
                    "evidence": _names(duty.evidence),
                }
            )
    return rows


def bearer_kinds(view: DeclarationView) -> list[str]:
    """The actor-type local names that bear a duty somewhere in the declaration (the ``bearer`` filter's values)."""
    return sorted({local_name(b["iri"]) for p in view.provisions.values() for d in p.duties for b in d.bearers})


@router.get("/declaration", summary="The draft declaration: versions side by side, duties, practices", response_model=None)
async def declaration(
    request: Request,
    store: StoreDep,
    bearer: Annotated[
        str | None,
        Query(
            description="Keep provisions whose duties fall on this kind of actor, "
            "e.g. non-state-actor, state, international-organisation."
        ),
    ] = None,
) -> Response:
    """The 2017 draft and the 2023 revised draft side by side, with the mapping between their provisions."""
    view = await run_in_threadpool(declaration_of, store)
    kinds = bearer_kinds(view)
    if bearer is not None and bearer not in kinds:
        raise ParameterError(
            f"parameter 'bearer' must be one of {', '.join(kinds)}, got {bearer!r}", parameter="bearer", expected=kinds
        )
    rows = [r for r in view.rows if not bearer or any(p.owed_by(bearer) for p in r.earlier + r.later)]
    kept = [p for r in rows for p in r.earlier + r.later]
    provisions = table("provisions", COLUMNS, _rows(view, kept))
    context = {
        "title": "The draft declaration",
        "view": view,
        "rows": rows,
        "bearer": bearer,
        "kinds": kinds,
        "flagged": sum(p.flagged for p in view.provisions.values()),
        "citation": citation(
            request,
            "The draft declaration on the right to international solidarity, 2017 and 2023, in the solidarity-kg graph",
            DECLARATION,
        ),
    }
    data = {
        "instrument": DECLARATION,
        "versions": [{k: v[k] for k in ("iri", "label", "date")} for v in view.versions],
        "provisions": provisions.rows,
        "mapping": [m for r in rows for m in r.correspondence],
        "citation": context["citation"],
    }
    return respond(request, "declaration.html", context, tables=(provisions,), data=data, filename="declaration")


__all__ = ["router"]
