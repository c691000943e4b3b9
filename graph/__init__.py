"""solidarity-kg's graph library: RDF, SPARQL, SHACL and networkx, no HTTP.

Every function takes what it needs as arguments; nothing here reads the
environment. The public surface is this module's ``__all__``.
"""

from __future__ import annotations

from graph.catalogue import Catalogue, NamedQuery, Parameter, bind
from graph.describe import NodeDescription, describe_node
from graph.errors import (
    BackendUnavailableError,
    DataLoadError,
    GraphError,
    ParameterError,
    QueryError,
    QueryLimitError,
    QuerySyntaxError,
    ReadOnlyError,
    UnknownQueryError,
    UnknownResourceError,
    UnsupportedFormatError,
)
from graph.formats import negotiate
from graph.loader import LoadReport, content_sources, load_dataset, prepare_directory_store
from graph.projection import neighbourhood, paths_between
from graph.resources import list_resources
from graph.results import QueryOutput
from graph.search import SearchIndex
from graph.store import QueryRequest, Store, StoreConfig, open_store, select
from graph.traverse import DutyBearerExplanation, ExplanationPath, Step, explain_duty_bearers
from graph.validation import ValidationReport, validate_files

__all__ = [
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
    "open_store",
    "paths_between",
    "prepare_directory_store",
    "select",
    "validate_files",
]
