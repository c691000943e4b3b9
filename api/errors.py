"""One JSON error body everywhere, and the table from errors to statuses.

Body: ``{"error": code, "message": text, "where": {...}, "status": n}``.
Registered once by ``create_app``; the catch-all only hides tracebacks and
never labels a bug as bad input.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph import errors as g

PENALTY = 1.0
"""Seconds a 429 is held back, so that a client retrying at once cannot make refusals cost the others."""

log = logging.getLogger("solidarity_kg")

STATUS: dict[type[g.GraphError], int] = {
    g.QuerySyntaxError: 400,
    g.ParameterError: 422,
    g.UnknownQueryError: 404,
    g.UnknownResourceError: 404,
    g.UnsupportedFormatError: 406,
    g.ReadOnlyError: 403,
    g.QueryLimitError: 503,
    g.AnswerLimitError: 400,
    g.ClientLimitError: 429,
    g.QueryEvaluationError: 400,
    g.BackendUnavailableError: 502,
    g.RemoteServerError: 502,
    g.RemoteTimeoutError: 504,
    g.DataLoadError: 500,
}


class ApiError(g.GraphError):
    """An HTTP-level problem (e.g. unsupported Content-Type) with its own status."""

    def __init__(self, status: int, code: str, message: str, **where: Any) -> None:
        super().__init__(message, **where)
        self.status = status
        self.code = code


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message", "where", "status"],
    "properties": {
        "error": {"type": "string", "description": "A stable code, e.g. query_syntax_error, too_many_requests."},
        "message": {"type": "string", "description": "What went wrong, for people."},
        "where": {"type": "object", "description": "Where: parameter, line, column, limit, setting, retry_after…"},
        "status": {"type": "integer"},
    },
}
_RETRY = {"Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}}


def _documented(description: str, retry: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    if retry:
        response["headers"] = _RETRY
    return response


COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    414: _documented("The request target is longer than SKG_MAX_URL_BYTES; use POST."),
    429: _documented("This client has too many requests in progress, or has used its query time for the minute.", True),
    503: _documented("The service is busy (queue full, worker lost), or the request or query ran out of time.", True),
}
"""Answers any route may give (documented on every operation)."""

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _documented(
        "Malformed query (with line and column), a query not in UTF-8, a repeated parameter, an invalid "
        "dataset IRI, nesting too deep, or an answer beyond the row or byte cap (SKG_ON_LIMIT=error)."
    ),
    403: _documented("An update, LOAD or SERVICE: the endpoint is read-only and makes no outbound requests."),
    406: _documented("No offered media type is acceptable (the body lists those offered)."),
    413: _documented("The query is larger than SKG_MAX_QUERY_BYTES."),
    415: _documented("POST with a Content-Type other than application/x-www-form-urlencoded or application/sparql-query."),
}
"""The SPARQL endpoint's own error answers."""


def error_body(code: str, message: str, status: int, where: dict[str, Any] | None = None) -> dict[str, Any]:
    """The one error shape."""
    return {"error": code, "message": message, "where": where or {}, "status": status}


def status_for(error: g.GraphError) -> int:
    """HTTP status of a graph error (most specific class wins)."""
    if isinstance(error, ApiError):
        return error.status
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def _json_safe(where: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, (str, int, float, bool, list, type(None))) else str(v) for k, v in where.items()}


async def _graph_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, g.GraphError)  # noqa: S101 - registered for GraphError only
    status = status_for(error)
    where = _json_safe(error.where)
    if isinstance(error, g.QueryLimitError) and where.get("limit") == "timeout":
        where["setting"] = "SKG_QUERY_TIMEOUT"
    headers = {"Retry-After": str(where["retry_after"])} if "retry_after" in where else None
    if isinstance(error, g.ClientLimitError):
        await asyncio.sleep(PENALTY)  # see api/limits.py: refusals must stay cheap for everyone else
    return JSONResponse(error_body(error.code, error.message, status, where), status_code=status, headers=headers)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)  # noqa: S101
    problems = error.errors()
    first = problems[0] if problems else {}
    location = [str(part) for part in first.get("loc", ())]
    parameter = location[-1] if location else None
    message = f"parameter {parameter!r}: {first.get('msg', 'invalid')}" if parameter else "invalid request"
    where = {"parameter": parameter, "in": location[0] if location else None}
    return JSONResponse(error_body("invalid_parameter", message, 422, where), status_code=422)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)  # noqa: S101
    code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
    message = str(error.detail)
    if error.status_code == 404 and message == "Not Found":
        message = f"no route matches {request.url.path}"
    return JSONResponse(
        error_body(code, message, error.status_code, {"path": request.url.path}),
        status_code=error.status_code,
        headers=getattr(error, "headers", None),
    )


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unhandled error on %s", request.url.path, exc_info=error)
    return JSONResponse(error_body("internal_error", "an internal error occurred; it has been logged", 500), status_code=500)


def register_error_handlers(app: FastAPI) -> None:
    """Install the handlers on an app."""
    app.add_exception_handler(g.GraphError, _graph_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


__all__ = [
    "COMMON_RESPONSES",
    "ERROR_RESPONSES",
    "ERROR_SCHEMA",
    "STATUS",
    "ApiError",
    "error_body",
    "register_error_handlers",
    "status_for",
]
