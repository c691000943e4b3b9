"""The query catalogue: ``queries/*.rq`` as typed, compiled NamedQuery records.

A catalogue file is plain SPARQL whose leading ``#+`` comment lines hold YAML::

    #+ summary: Which duty-bearers owe what under a provision?
    #+ description: One row per obligation and duty-bearer.
    #+ tags: [obligations]
    #+ params:
    #+   - name: provision
    #+     type: iri
    #+     required: true
    #+     description: The provision.
    #+     example: skgd:instrument/declaration-international-solidarity/2023/art/6/1

A parameter ``x`` is the query variable ``?x``. Values are coerced by type
and passed to the store as bindings; the query text is never edited, so the
file runs unchanged in any SPARQL client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from graph.errors import QuerySyntaxError, UnknownQueryError
from graph.params import DATATYPES, Parameter, coerce, parse, to_term
from graph.sparql_check import blank_literals, query_form
from graph.terms import TermSpec

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
SUBFOLDERS = ("views", "traversal")
"""Folders of queries the service runs itself: network views and traversal (not listed as catalogue queries)."""


@dataclass(frozen=True)
class NamedQuery:
    """One catalogue query: its name (the file stem), header, text and query form."""

    name: str
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Parameter, ...] = field(default_factory=tuple)
    form: str = "SELECT"


def bind_value(parameter: Parameter, raw: str) -> TermSpec:
    """Turn a raw string into an RDF term of the parameter's type.

    >>> bind_value(Parameter("year", "integer"), "2018")
    ('literal', '2018', 'http://www.w3.org/2001/XMLSchema#integer', '')
    """
    return to_term(parameter, coerce(parameter, raw))


def bind(query: NamedQuery, raw: dict[str, str]) -> dict[str, TermSpec]:
    """Check and coerce request parameters into bindings (defaults applied)."""
    values, _extra = parse(query.params, raw, f"query {query.name!r}")
    return {p.name: to_term(p, values[p.name]) for p in query.params if values[p.name] is not None}


def parse_header(text: str, source: str) -> dict[str, Any]:
    """Read the ``#+`` YAML header of a query file."""
    lines = [line[3:] if line.startswith("#+ ") else line[2:] for line in text.splitlines() if line.startswith("#+")]
    try:
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as error:
        raise QuerySyntaxError(f"{source}: the #+ header is not valid YAML: {error}", file=source) from None
    if not isinstance(header, dict) or not header.get("summary"):
        raise QuerySyntaxError(f"{source}: the #+ header needs a summary", file=source)
    return header


def compile_query(name: str, text: str, source: str) -> NamedQuery:
    """Parse the header, check the parameters and compile the SPARQL."""
    header = parse_header(text, source)
    params = []
    for entry in header.get("params") or []:
        if not isinstance(entry, dict) or not _NAME.match(str(entry.get("name", ""))):
            raise QuerySyntaxError(f"{source}: each param needs a snake_case name", file=source)
        kind = entry.get("type", "iri")
        if kind not in DATATYPES:
            raise QuerySyntaxError(
                f"{source}: param {entry['name']!r} has unknown type {kind!r} (one of {', '.join(DATATYPES)})", file=source
            )
        params.append(
            Parameter(
                name=entry["name"],
                type=kind,
                required=bool(entry.get("required", False)),
                default=None if entry.get("default") is None else str(entry["default"]),
                description=str(entry.get("description", "")),
                example=None if entry.get("example") is None else str(entry["example"]),
                enum=tuple(str(v) for v in entry.get("enum") or ()),
            )
        )
    used = set(_VARIABLE.findall(blank_literals(text)))
    for parameter in params:
        if parameter.name not in used:
            raise QuerySyntaxError(
                f"{source}: param {parameter.name!r} is declared but ?{parameter.name} does not occur in the query", file=source
            )
    try:
        ox.Store().query(text)
    except SyntaxError as error:
        from graph.sparql_check import query_syntax_error

        problem = query_syntax_error(error)
        raise QuerySyntaxError(f"{source}: {problem.message}", file=source, **problem.where) from None
    return NamedQuery(
        name=name,
        text=text,
        summary=str(header["summary"]),
        description=str(header.get("description", "")),
        tags=tuple(str(t) for t in header.get("tags") or ()),
        params=tuple(params),
        form=query_form(text),
    )


class Catalogue:
    """The compiled queries of a folder, by name, and those the service runs itself.

    ``queries`` are the catalogue's own (``*.rq`` at the top of the folder);
    ``internal`` holds, per sub-folder (``views``, ``traversal``), the queries
    behind the network views and the traversal, read from the same folder so
    that one setting (``SKG_QUERIES_DIR``) moves them all.
    """

    def __init__(self, queries: dict[str, NamedQuery], internal: dict[str, dict[str, NamedQuery]] | None = None) -> None:
        self.queries = dict(sorted(queries.items()))
        self.internal = {folder: dict(sorted((internal or {}).get(folder, {}).items())) for folder in SUBFOLDERS}

    @staticmethod
    def _compile(folder: Path) -> dict[str, NamedQuery]:
        return {
            path.stem: compile_query(path.stem, path.read_text(encoding="utf-8"), path.name)
            for path in sorted(folder.glob("*.rq"))
        }

    @classmethod
    def load(cls, folder: Path) -> Catalogue:
        """Compile every ``*.rq`` of a folder and of its ``views`` and ``traversal`` sub-folders."""
        return cls(cls._compile(folder), {sub: cls._compile(folder / sub) for sub in SUBFOLDERS})

    def get(self, name: str) -> NamedQuery:
        """The query of that name, or ``UnknownQueryError``."""
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQueryError(f"no catalogue query is named {name!r}", name=name) from None

    def internal_query(self, folder: str, name: str) -> NamedQuery:
        """A query the service runs itself (``views/whole``, ``traversal/duty_bearers``)."""
        try:
            return self.internal[folder][name]
        except KeyError:
            raise UnknownQueryError(f"the queries folder has no {folder}/{name}.rq", name=f"{folder}/{name}") from None

    def __len__(self) -> int:
        return len(self.queries)


_BUNDLED: list[Catalogue] = []


def bundled_catalogue() -> Catalogue:
    """The catalogue of the repository's ``queries/`` folder, compiled on first use (for library callers)."""
    if not _BUNDLED:
        _BUNDLED.append(Catalogue.load(Path(__file__).resolve().parents[1] / "queries"))
    return _BUNDLED[0]


__all__ = [
    "SUBFOLDERS",
    "Catalogue",
    "NamedQuery",
    "Parameter",
    "bind",
    "bind_value",
    "bundled_catalogue",
    "compile_query",
    "parse_header",
]
