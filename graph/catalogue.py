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

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from graph.errors import ParameterError, QuerySyntaxError, UnknownQueryError
from graph.namespaces import PREFIXES
from graph.sparql_check import blank_literals, query_form
from graph.store import TermSpec

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = {
    "iri": None,
    "string": XSD + "string",
    "integer": XSD + "integer",
    "decimal": XSD + "decimal",
    "date": XSD + "date",
    "boolean": XSD + "boolean",
}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Parameter:
    """A typed query parameter declared in a header."""

    name: str
    type: str = "iri"
    required: bool = False
    default: str | None = None
    description: str = ""
    example: str | None = None
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedQuery:
    """One catalogue query: its name (the file stem), header and text."""

    name: str
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Parameter, ...] = field(default_factory=tuple)
    kind: str = "SELECT"


def expand_iri(value: str, parameter: str) -> str:
    """Expand a CURIE through the prefix map and check that the result is an IRI.

    >>> expand_iri("skgd:actor/state/MEX", "actor")
    'https://w3id.org/solidarity-kg/id/actor/state/MEX'
    """
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        text = PREFIXES[prefix] + local
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text):
        raise ParameterError(f"parameter {parameter!r} must be an IRI or a CURIE with a known prefix, got {value!r}",
                             parameter=parameter, expected="iri")
    try:
        ox.NamedNode(text)
    except ValueError as error:
        raise ParameterError(f"parameter {parameter!r} is not a valid IRI: {error}", parameter=parameter,
                             expected="iri") from None
    return text


def coerce(parameter: Parameter, raw: str) -> TermSpec:
    """Turn a raw string into an RDF term of the parameter's type.

    >>> coerce(Parameter("year", "integer"), "2018")
    ('literal', '2018', 'http://www.w3.org/2001/XMLSchema#integer', '')
    >>> coerce(Parameter("year", "integer"), "soon")
    Traceback (most recent call last):
    ...
    graph.errors.ParameterError: parameter 'year' expects integer, got 'soon' (parameter=year, expected=integer)
    """
    name, kind = parameter.name, parameter.type
    if parameter.enum and raw not in parameter.enum:
        raise ParameterError(f"parameter {name!r} must be one of {', '.join(parameter.enum)}, got {raw!r}",
                             parameter=name, expected=list(parameter.enum))
    if kind == "iri":
        return ("uri", expand_iri(raw, name))
    try:
        if kind == "integer":
            value = str(int(raw))
        elif kind == "decimal":
            value = str(Decimal(raw))
        elif kind == "date":
            value = dt.date.fromisoformat(raw).isoformat()
        elif kind == "boolean":
            if raw.lower() not in ("true", "false", "1", "0"):
                raise ValueError(raw)
            value = "true" if raw.lower() in ("true", "1") else "false"
        else:
            value = raw
    except (ValueError, InvalidOperation):
        raise ParameterError(f"parameter {name!r} expects {kind}, got {raw!r}", parameter=name,
                             expected=kind) from None
    return ("literal", value, TYPES[kind] or "", "")


def bind(query: NamedQuery, raw: dict[str, str]) -> dict[str, TermSpec]:
    """Check and coerce request parameters into bindings (defaults applied)."""
    known = {p.name for p in query.params}
    for name in raw:
        if name not in known:
            raise ParameterError(f"query {query.name!r} has no parameter {name!r}; it takes: "
                                 f"{', '.join(sorted(known)) or 'none'}", parameter=name)
    bindings: dict[str, TermSpec] = {}
    for parameter in query.params:
        value = raw.get(parameter.name, parameter.default)
        if value is None or value == "":
            if parameter.required:
                raise ParameterError(f"query {query.name!r} needs parameter {parameter.name!r} ({parameter.type})",
                                     parameter=parameter.name, expected=parameter.type)
            continue
        bindings[parameter.name] = coerce(parameter, str(value))
    return bindings


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


def query_kind(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query form of a text."""
    return query_form(text)


def compile_query(name: str, text: str, source: str) -> NamedQuery:
    """Parse the header, check the parameters and compile the SPARQL."""
    header = parse_header(text, source)
    params = []
    for entry in header.get("params") or []:
        if not isinstance(entry, dict) or not _NAME.match(str(entry.get("name", ""))):
            raise QuerySyntaxError(f"{source}: each param needs a snake_case name", file=source)
        kind = entry.get("type", "iri")
        if kind not in TYPES:
            raise QuerySyntaxError(f"{source}: param {entry['name']!r} has unknown type {kind!r} "
                                   f"(one of {', '.join(TYPES)})", file=source)
        params.append(Parameter(
            name=entry["name"], type=kind, required=bool(entry.get("required", False)),
            default=None if entry.get("default") is None else str(entry["default"]),
            description=str(entry.get("description", "")),
            example=None if entry.get("example") is None else str(entry["example"]),
            enum=tuple(str(v) for v in entry.get("enum") or ()),
        ))
    used = set(_VARIABLE.findall(blank_literals(text)))
    for parameter in params:
        if parameter.name not in used:
            raise QuerySyntaxError(f"{source}: param {parameter.name!r} is declared but ?{parameter.name} "
                                   "does not occur in the query", file=source)
    try:
        ox.Store().query(text)
    except SyntaxError as error:
        from graph.sparql_check import query_syntax_error

        problem = query_syntax_error(error)
        raise QuerySyntaxError(f"{source}: {problem.message}", file=source, **problem.where) from None
    return NamedQuery(
        name=name, text=text, summary=str(header["summary"]), description=str(header.get("description", "")),
        tags=tuple(str(t) for t in header.get("tags") or ()), params=tuple(params), kind=query_kind(text),
    )


class Catalogue:
    """The compiled queries of a folder, by name."""

    def __init__(self, queries: dict[str, NamedQuery]) -> None:
        self.queries = dict(sorted(queries.items()))

    @classmethod
    def load(cls, folder: Path) -> Catalogue:
        """Compile every ``*.rq`` of a folder (not its sub-folders)."""
        queries = {}
        for path in sorted(folder.glob("*.rq")):
            queries[path.stem] = compile_query(path.stem, path.read_text(encoding="utf-8"), path.name)
        return cls(queries)

    def get(self, name: str) -> NamedQuery:
        """The query of that name, or ``UnknownQueryError``."""
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQueryError(f"no catalogue query is named {name!r}", name=name) from None

    def __len__(self) -> int:
        return len(self.queries)


__all__ = ["Catalogue", "NamedQuery", "Parameter", "bind", "coerce", "compile_query", "expand_iri", "query_kind"]
