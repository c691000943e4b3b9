"""Server-rendered pages: Jinja2 templates with autoescape, one layout, and the same data as JSON, CSV or XLSX.

Every page is ``templates/<name>.html`` extending ``layout.html``. A page that
shows tables answers ``?format=json`` (its data), and ``?format=csv`` or
``xlsx`` with ``&table=<name>`` (one table, as a download); a script's
``Accept: application/json`` gets the JSON too. Values are escaped by
Jinja2's autoescape; links from data go through the ``href`` filter, which
gives ``None`` (no link) for anything but http(s).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from graph.errors import ParameterError, UnsupportedFormatError
from graph.formats import parse_accept
from graph.links import local_href
from graph.tables import FORMATS, Table, to_csv, to_json, to_xlsx

TEMPLATES = Path(__file__).resolve().parent / "templates"
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
"""The data's licence (the ontology and every data file say so with dcterms:license)."""
NAV = (
    ("/", "Home"),
    ("/states", "States and actors"),
    ("/declaration", "Draft declaration"),
    ("/explore", "Practices"),
    ("/summaries", "Summaries"),
    ("/mandate", "Mandate"),
    ("/search", "Search"),
    ("/sparql", "SPARQL"),
    ("/viewer", "Viewer"),
    ("/docs", "API"),
)
"""The site's navigation, on every page."""
PAGE_FORMATS = ("html", *FORMATS)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment: autoescape on for every template and string, undefined names an error."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = local_href
    env.globals["query_with"] = query_with
    env.globals["nav"] = NAV
    env.globals["licence"] = LICENCE
    return env


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    """FastAPI's template responses over our environment."""
    return Jinja2Templates(env=environment())


def query_with(request: Request, **changes: str) -> str:
    """This page's URL (path and query) with some parameters replaced: download links keep the filters."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    return str(request.url.path) + "?" + urlencode([*kept, *changes.items()])


def wanted_format(request: Request) -> str:
    """``html``, ``json``, ``csv`` or ``xlsx``: ``?format=`` first, else JSON where Accept prefers it to HTML."""
    given = request.query_params.get("format")
    if given is not None:
        if given not in PAGE_FORMATS:
            raise UnsupportedFormatError(
                f"format {given!r} is not offered here; the formats are {', '.join(PAGE_FORMATS)}",
                requested=given,
                supported=list(PAGE_FORMATS),
                parameter="format",
            )
        return given
    for media_range in parse_accept(request.headers.get("accept")):
        if media_range.media_type in ("text/html", "application/xhtml+xml", "*/*"):
            return "html"
        if media_range.media_type == "application/json":
            return "json"
    return "html"


def citation(request: Request, title: str, iri: str) -> dict[str, Any]:
    """How to cite what a page shows: title, IRI, the data version, licence and the day it was read."""
    runtime = request.app.state.runtime
    version = getattr(runtime, "data_version", "")
    return {
        "title": title,
        "iri": iri,
        "data_version": version,
        "licence": LICENCE["url"],
        "accessed": dt.date.today().isoformat(),
        "text": f"{title}. solidarity-kg knowledge graph, data version {version}. {iri} ({LICENCE['name']}).",
    }


def _download(data: Table, fmt: str, filename: str) -> Response:
    media_type, extension = FORMATS[fmt]
    if fmt == "json":
        return JSONResponse(to_json(data))
    body = to_csv(data) if fmt == "csv" else to_xlsx(data)
    return Response(
        body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}-{data.name}.{extension}"'}
    )


def respond(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    tables: Sequence[Table] = (),
    data: Any = None,
    filename: str = "table",
    status_code: int = 200,
) -> Response:
    """The page as HTML, its ``data`` as JSON, or one of its ``tables`` as a download (``?table=``, else the first)."""
    fmt = wanted_format(request)
    if fmt == "json":
        return JSONResponse(data if data is not None else {t.name: to_json(t) for t in tables}, status_code=status_code)
    if fmt in FORMATS:
        wanted = request.query_params.get("table") or (tables[0].name if tables else "")
        chosen = next((t for t in tables if t.name == wanted), None)
        if chosen is None:
            raise ParameterError(
                f"this page has no table {wanted!r} to download; its tables are {', '.join(t.name for t in tables) or 'none'}",
                parameter="table",
                expected=[t.name for t in tables],
            )
        return _download(chosen, fmt, filename)
    runtime = request.app.state.runtime
    full = {"data_version": getattr(runtime, "data_version", ""), "path": request.url.path, **context}
    return templates().TemplateResponse(request, template, full, status_code=status_code)


__all__ = ["LICENCE", "NAV", "citation", "environment", "query_with", "respond", "templates", "wanted_format"]
