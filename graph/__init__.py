"""solidarity-kg's graph library: RDF, SPARQL, SHACL and networkx, no HTTP.

Every function takes what it needs as arguments; nothing here reads the
environment. The public surface is this module's ``__all__``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Names are imported on first use: query workers and the server import one
# module of the library without paying for pySHACL, rdflib and networkx.
_HOMES = {
    "Catalogue": "catalogue",
    "NamedQuery": "catalogue",
    "Parameter": "catalogue",
    "bind": "catalogue",
    "NodeDescription": "describe",
    "describe_node": "describe",
    "BackendUnavailableError": "errors",
    "DataLoadError": "errors",
    "GraphError": "errors",
    "ParameterError": "errors",
    "QueryError": "errors",
    "QueryLimitError": "errors",
    "QuerySyntaxError": "errors",
    "ReadOnlyError": "errors",
    "UnknownQueryError": "errors",
    "UnknownResourceError": "errors",
    "UnsupportedFormatError": "errors",
    "negotiate": "formats",
    "LoadReport": "loader",
    "content_sources": "loader",
    "load_dataset": "loader",
    "prepare_directory_store": "loader",
    "neighbourhood": "network",
    "paths_between": "network",
    "whole_view": "network",
    "list_resources": "resources",
    "QueryOutput": "results",
    "SearchIndex": "search",
    "QueryRequest": "store",
    "Store": "store",
    "StoreConfig": "store",
    "select": "store",
    "open_loaded": "backends.factory",
    "open_store": "backends.factory",
    "DutyBearerExplanation": "traverse",
    "ExplanationPath": "traverse",
    "Step": "traverse",
    "explain_duty_bearers": "traverse",
    "ValidationReport": "validation",
    "validate_files": "validation",
    "build_view": "network",
    "views_of": "network",
    "EXPORTERS": "export",
    "write_export": "export",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(import_module(f"graph.{_HOMES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'graph' has no attribute {name!r}")


__all__ = [
    "EXPORTERS",
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
    "build_view",
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
    "views_of",
    "whole_view",
    "write_export",
]
