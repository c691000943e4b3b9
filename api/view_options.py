"""A view's options read from a request's query string: one reader for ``/views/{view}`` and ``/viewer/export``."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request

from api.errors import ApiError
from api.settings import Settings
from graph.errors import ParameterError
from graph.iris import resolve_id

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


__all__ = ["LIST_OPTIONS", "RESERVED", "view_options"]
