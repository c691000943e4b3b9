"""The home page: what the graph holds, where it comes from, and where to start."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import CatalogueDep, StoreDep
from api.templating import citation, respond
from graph.namespaces import BASE
from graph.overview import Overview, overview_of
from graph.tables import table

router = APIRouter(tags=["pages"])

ACTOR_CLASSES = (
    "LocalGovernment",
    "InternationalOrganisation",
    "RegionalOrganisation",
    "CivilSocietyOrganisation",
    "ReligiousBody",
    "AcademicInstitution",
    "Business",
    "TradeUnion",
    "NonStateActor",
    "Person",
)
PRACTICE_CLASSES = ("GoodPractice", "SolidarityGap", "AbusiveDeployment", "Criminalisation", "MandateActivity", "Practice")
INSTRUMENT_CLASSES = (
    "Treaty",
    "Declaration",
    "DraftDeclaration",
    "Resolution",
    "Decision",
    "Agreement",
    "NationalMeasure",
    "Instrument",
)


@router.get("/", include_in_schema=False, response_model=None)
async def home(request: Request, store: StoreDep, catalogue: CatalogueDep) -> Response:
    """The overview: counts by class and by source document, the data version, and the entry points."""
    found: Overview = await run_in_threadpool(overview_of, store)
    report = request.app.state.runtime.report
    classes = table(
        "classes", [("class", "Class"), ("nodes", "Nodes")], [{"class": name, "nodes": n} for name, n in found.classes.items()]
    )
    documents = table(
        "documents",
        [
            ("iri", "Document"),
            ("label", "Title"),
            ("symbol", "Symbol"),
            ("year", "Year"),
            ("facts", "Facts citing it"),
            ("official_url", "Official text"),
        ],
        [{**vars(d), "official_url": d.official_url} for d in found.documents],
    )
    counts = {
        "states": found.count("State"),
        "actors": found.count(*ACTOR_CLASSES),
        "practices": found.count(*PRACTICE_CLASSES),
        "instruments": found.count(*INSTRUMENT_CLASSES),
    }
    context = {
        "title": "Home",
        "counts": counts,
        "classes": list(found.classes.items()),
        "sources": [d for d in found.documents if d.facts],
        "cited": [d for d in found.documents if not d.facts],
        "queries": len(catalogue),
        "triples": report.triples,
        "graphs": len(report.graphs),
        "citation": citation(request, "solidarity-kg: the right to international solidarity", BASE),
    }
    data = {
        "counts": counts,
        "classes": found.classes,
        "documents": [vars(d) for d in found.documents],
        "triples": report.triples,
        "citation": context["citation"],
    }
    return respond(request, "home.html", context, tables=(classes, documents), data=data, filename="overview")


__all__ = ["router"]
