"""The exception tree of the graph library.

Every error carries a human message and structured fields that say *where*;
``api/errors.py`` turns them into one JSON error body and an HTTP status.

    GraphError
    ├── DataLoadError             file, line, column: bad Turtle at startup
    ├── QueryError
    │   ├── QuerySyntaxError      line, column: user SPARQL or a catalogue query
    │   ├── UnknownQueryError     name
    │   │   ├── QueryTooDeepError     nesting beyond the documented depth
    │   │   └── UnknownPrefixError    a prefixed name whose prefix is not declared
    │   ├── ParameterError        parameter, reason: missing, malformed, wrong type
    │   ├── QueryEvaluationError  the engine failed on a query that parsed
    │   └── QueryLimitError       limit, setting: time or memory limit reached
    │       ├── AnswerLimitError      the answer has more rows or bytes than the cap
    │       ├── WorkerLostError       the query worker died; retry
    │       ├── BusyError             every worker busy and the queue full; retry later
    │       ├── ClientLimitError      one client's share of the service is used up
    │       └── RemoteTimeoutError    server: the remote SPARQL server ran out of time
    ├── UnknownResourceError      kind, identifier: practice, actor, view not found
    ├── UnsupportedFormatError    requested, supported
    ├── ReadOnlyError             an update, LOAD or SERVICE was attempted
    └── BackendUnavailableError   endpoint: the remote store is unreachable
        └── RemoteServerError     server, status: the remote server failed or answered unusably
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


class QueryTooDeepError(QuerySyntaxError):
    """The text nests groups or expressions deeper than accepted."""

    code = "query_too_deep"


class UnknownPrefixError(QuerySyntaxError):
    """A prefixed name uses a prefix the query does not declare."""

    code = "unknown_prefix"


class UnknownQueryError(QueryError):
    """No catalogue query has that name."""

    code = "unknown_query"


class ParameterError(QueryError):
    """A parameter is missing, malformed or of the wrong type."""

    code = "invalid_parameter"


class QueryEvaluationError(QueryError):
    """The engine could not evaluate a query that parsed (e.g. a type error it does not recover from)."""

    code = "query_evaluation_error"


class QueryLimitError(QueryError):
    """A query hit the time limit (or another hard limit)."""

    code = "query_limit"


class AnswerLimitError(QueryLimitError):
    """The answer has more rows or bytes than the cap, and the service answers an error rather than cut it."""

    code = "answer_too_large"


class WorkerLostError(QueryLimitError):
    """The worker running the query stopped (crashed or was killed); it has been replaced."""

    code = "worker_lost"


class BusyError(QueryLimitError):
    """Every worker is busy and the queue is full (``retry_after`` seconds)."""

    code = "busy"


class ClientLimitError(QueryLimitError):
    """One client has as many queries running, or has used as much query time, as it may (``retry_after``)."""

    code = "too_many_requests"


class RemoteTimeoutError(QueryLimitError):
    """The remote SPARQL server did not answer within the time limit, or declined for its own time limit."""

    code = "remote_timeout"


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


class RemoteServerError(BackendUnavailableError):
    """The remote SPARQL server answered with an error, or with an answer that cannot be used (``server``, ``status``)."""

    code = "remote_server_error"


__all__ = [
    "AnswerLimitError",
    "BackendUnavailableError",
    "BusyError",
    "ClientLimitError",
    "DataLoadError",
    "GraphError",
    "ParameterError",
    "QueryError",
    "QueryEvaluationError",
    "QueryLimitError",
    "QuerySyntaxError",
    "QueryTooDeepError",
    "ReadOnlyError",
    "RemoteServerError",
    "RemoteTimeoutError",
    "UnknownPrefixError",
    "UnknownQueryError",
    "UnknownResourceError",
    "UnsupportedFormatError",
    "WorkerLostError",
]
