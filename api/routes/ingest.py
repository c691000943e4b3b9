"""POST /ingest: a new document into a draft for curation, behind a token; off unless SKG_INGEST_TOKEN is set.

The document is the request body (plain text, HTML or PDF, by Content-Type);
symbol, title, date and kind are query parameters. The draft and its review
report are written to SKG_DRAFTS_DIR, never to the data folder, and nothing
else changes: the store and the public endpoint stay read-only. Every refusal
is the one JSON error body, and writes nothing.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from api.deps import SettingsDep, StoreDep
from api.errors import ApiError, error_body
from graph.ingest import DocumentInfo, IngestError, gazetteer_of, ingest
from graph.ingest.reading import MAX_BYTES

router = APIRouter(tags=["ingest"])

STATUS = {
    "empty_document": 422,
    "unreadable_document": 422,
    "unsupported_format": 415,
    "document_too_large": 413,
    "already_ingested": 409,
    "no_paragraphs": 422,
    "invalid_option": 422,
}
"""HTTP status of each ingest problem (``graph/ingest/errors.py``)."""
MEDIA_TYPES = ("text/plain", "text/html", "application/xhtml+xml", "application/pdf")


def _authorise(settings: SettingsDep, authorization: str | None) -> None:
    token = settings.ingest_token
    if token is None:
        raise ApiError(
            404, "not_found", "ingest is off on this service (SKG_INGEST_TOKEN is not set)", setting="SKG_INGEST_TOKEN"
        )
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise ApiError(401, "unauthorized", "POST /ingest needs the header Authorization: Bearer <SKG_INGEST_TOKEN>")
    if not hmac.compare_digest(given.strip().encode(), token.get_secret_value().encode()):
        raise ApiError(403, "forbidden", "the ingest token is not the one this service was given")


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise ApiError(413, "document_too_large", f"the document is larger than {MAX_BYTES} bytes", limit=MAX_BYTES)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise ApiError(413, "document_too_large", f"the document is larger than {MAX_BYTES} bytes", limit=MAX_BYTES)
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/ingest",
    status_code=201,
    summary="Ingest a new document into a draft and a review report (needs SKG_INGEST_TOKEN)",
    responses={code: {"description": name} for name, code in sorted(STATUS.items(), key=lambda item: item[1])},
)
async def post_ingest(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    symbol: Annotated[str, Query(max_length=120, description="The document symbol, e.g. A/74/185.")],
    title: Annotated[str | None, Query(max_length=500)] = None,
    date: Annotated[str | None, Query(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    kind: Annotated[str, Query(max_length=20, description="report, submission, web-page or article.")] = "report",
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> JSONResponse:
    """Check the token and the document, then write the draft; 201 with the report's counts and file names."""
    _authorise(settings, authorization)
    media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media_type not in MEDIA_TYPES:
        raise ApiError(415, "unsupported_format", f"send the document as one of {', '.join(MEDIA_TYPES)}", received=media_type)
    data = await _body(request)
    try:
        info = DocumentInfo(symbol, title, date, kind)
        gazetteer = await anyio.to_thread.run_sync(lambda: gazetteer_of(store, timeout=settings.query_timeout))
        draft, paths = await anyio.to_thread.run_sync(lambda: ingest(data, info, gazetteer, settings.drafts_dir, "", media_type))
    except IngestError as error:
        status = STATUS[error.code]
        return JSONResponse(error_body(error.code, error.message, status, _where(error)), status_code=status)
    body: dict[str, Any] = {key: draft.report[key] for key in ("document", "graph", "locators", "footnote_markers", "mentions")}
    body["files"] = [path.name for path in paths]
    return JSONResponse(body, status_code=201)


def _where(error: IngestError) -> dict[str, Any]:
    return {k: v if isinstance(v, (str, int, float, bool)) else str(v) for k, v in error.where.items()}


__all__ = ["STATUS", "router"]
