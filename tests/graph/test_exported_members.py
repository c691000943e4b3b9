"""The library's public surface is pinned: a change to it is a deliberate change here."""

from __future__ import annotations

import graph

EXPECTED = {
    "BackendUnavailableError",
    "Catalogue",
    "DataLoadError",
    "DutyBearerExplanation",
    "ExplanationPath",
    "GraphError",
    "LoadReport",
    "NamedQuery",
    "NodeDescription",
    "Parameter",
    "ParameterError",
    "QueryError",
    "QueryLimitError",
    "QueryOutput",
    "QueryRequest",
    "QuerySyntaxError",
    "ReadOnlyError",
    "SearchIndex",
    "Step",
    "Store",
    "StoreConfig",
    "UnknownQueryError",
    "UnknownResourceError",
    "UnsupportedFormatError",
    "ValidationReport",
    "bind",
    "content_sources",
    "describe_node",
    "explain_duty_bearers",
    "list_resources",
    "load_dataset",
    "negotiate",
    "neighbourhood",
    "open_loaded",
    "open_store",
    "paths_between",
    "prepare_directory_store",
    "select",
    "validate_files",
    "EXPORTERS",
    "build_view",
    "views_of",
    "whole_view",
    "write_export",
}


def test_public_surface_is_pinned() -> None:
    assert set(graph.__all__) == EXPECTED == set(graph._HOMES)
    assert all(hasattr(graph, name) for name in graph.__all__)


def test_library_does_not_import_http_or_read_the_environment() -> None:
    from api.settings import REPOSITORY

    for path in (REPOSITORY / "graph").rglob("*.py"):
        text = path.read_text()
        assert "fastapi" not in text and "starlette" not in text, path
        assert "os.environ" not in text and "getenv" not in text, path
