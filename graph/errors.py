"""The exception tree of the graph library.

Every error carries a human message and structured fields that say *where*;
``api/errors.py`` turns them into one JSON error body and an HTTP status.

    GraphError
    ├── DataLoadError             file, line, column: bad Turtle at startup
    ├── QueryError
    │   ├── QuerySyntaxError      line, column: user SPARQL or a catalogue query
    │   ├── UnknownQueryError     name
    │   ├── ParameterError        parameter, reason: missing, malformed, wrong type
    │   └── QueryLimitError       limit, setting: time limit or row cap reached
    ├── UnknownResourceError      kind, identifier: practice, actor, view not found
    ├── UnsupportedFormatError    requested, supported
    ├── ReadOnlyError             an update, LOAD or SERVICE was attempted
    └── BackendUnavailableError   endpoint: the remote store is unreachable
"""

from __future__ import annotations

from typing import Any


class GraphError(Exception):
    """Base class: a message plus the structured fields that locate the problem."""

    code = "graph_error"

    def __init__(self, message: str, **where: Any) -> None:
        super().__init__(message)
        self.message = message
        self.where: dict[str, Any] = {k: v for k, v in where.items() if v is not None}

    def __str__(self) -> str:
        if not self.where:
            return self.message
        located = ", ".join(f"{k}={v}" for k, v in self.where.items())
        return f"{self.message} ({located})"


class DataLoadError(GraphError):
    """A content file could not be parsed or loaded."""

    code = "data_load_error"


class QueryError(GraphError):
    """Base class of query problems."""

    code = "query_error"


class QuerySyntaxError(QueryError):
    """The SPARQL text does not parse."""

    code = "query_syntax_error"


class UnknownQueryError(QueryError):
    """No catalogue query has that name."""

    code = "unknown_query"


class ParameterError(QueryError):
    """A parameter is missing, malformed or of the wrong type."""

    code = "invalid_parameter"


class QueryLimitError(QueryError):
    """A query hit the time limit (or another hard limit)."""

    code = "query_limit"


class UnknownResourceError(GraphError):
    """An identifier that names nothing in the graph."""

    code = "not_found"


class UnsupportedFormatError(GraphError):
    """A requested media type or format that is not offered."""

    code = "unsupported_format"


class ReadOnlyError(GraphError):
    """The service is read-only: updates, LOAD and SERVICE are refused."""

    code = "read_only"


class BackendUnavailableError(GraphError):
    """The remote SPARQL endpoint cannot be reached."""

    code = "backend_unavailable"


__all__ = [
    "BackendUnavailableError",
    "DataLoadError",
    "GraphError",
    "ParameterError",
    "QueryError",
    "QueryLimitError",
    "QuerySyntaxError",
    "ReadOnlyError",
    "UnknownQueryError",
    "UnknownResourceError",
    "UnsupportedFormatError",
]
