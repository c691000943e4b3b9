"""One typed-parameter model for catalogue queries, views, listings and traversal.

A ``Parameter`` declares a name, a type and its bounds; ``parse`` checks a
mapping of raw values (strings from a URL or the CLI, or typed values) against
a tuple of them; ``to_term`` turns a checked value into the RDF term a query
is bound to. Every error is a ``ParameterError`` naming the parameter.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from graph.errors import ParameterError
from graph.iris import expand_iri
from graph.terms import TermSpec

XSD = "http://www.w3.org/2001/XMLSchema#"
DATATYPES = {
    "iri": None,
    "string": XSD + "string",
    "integer": XSD + "integer",
    "decimal": XSD + "decimal",
    "date": XSD + "date",
    "boolean": XSD + "boolean",
}
"""Types a catalogue query may declare, with the datatype of the literal each becomes."""
TYPES = (*DATATYPES, "list")
"""Every parameter type; ``list`` is a comma-separated set of names (view and traversal filters)."""


@dataclass(frozen=True)
class Parameter:
    """A typed parameter: its name, type, whether it is required, its default and its bounds."""

    name: str
    type: str = "iri"
    required: bool = False
    default: str | int | None = None
    description: str = ""
    example: str | None = None
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def describe(self) -> dict[str, Any]:
        """The parameter as JSON (for listings of views and queries)."""
        return {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "default": self.default,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "description": self.description,
        }


def split_list(raw: object, name: str, allowed: Iterable[str] = ()) -> tuple[str, ...] | None:
    """A comma list (or an iterable) as a sorted tuple of distinct names; None when empty.

    >>> split_list("b, a,,a", "types")
    ('a', 'b')
    """
    items = raw.split(",") if isinstance(raw, str) else [str(item) for item in cast(Iterable[object], raw)]
    cleaned = tuple(sorted({item.strip() for item in items if item.strip()}))
    choices = set(allowed)
    if choices and not set(cleaned) <= choices:
        raise ParameterError(
            f"parameter {name!r} accepts {', '.join(sorted(choices))}; got {', '.join(sorted(set(cleaned) - choices))}",
            parameter=name,
            expected=sorted(choices),
        )
    return cleaned or None


def _integer(parameter: Parameter, raw: object) -> int:
    name = parameter.name
    try:
        value = int(str(raw))
    except ValueError:
        raise ParameterError(f"parameter {name!r} expects integer, got {raw!r}", parameter=name, expected="integer") from None
    low = parameter.minimum if parameter.minimum is not None else -math.inf
    high = parameter.maximum if parameter.maximum is not None else math.inf
    if not low <= value <= high:
        raise ParameterError(
            f"parameter {name!r} must be between {parameter.minimum} and {parameter.maximum}, got {value}",
            parameter=name,
            expected=f"{parameter.minimum}..{parameter.maximum}",
        )
    return value


def _scalar(parameter: Parameter, raw: str) -> str:
    kind = parameter.type
    if kind == "decimal":
        return str(Decimal(raw))
    if kind == "date":
        return dt.date.fromisoformat(raw).isoformat()
    if kind == "boolean":
        if raw.lower() not in ("true", "false", "1", "0"):
            raise ValueError(raw)
        return "true" if raw.lower() in ("true", "1") else "false"
    return raw


def coerce(parameter: Parameter, raw: object) -> Any:
    """Check one raw value against its parameter and return it typed.

    IRIs (and CURIEs) come back expanded, integers as int, lists as tuples,
    decimals, dates and booleans in their canonical lexical form.

    >>> coerce(Parameter("year", "integer"), "2018")
    2018
    >>> coerce(Parameter("year", "integer"), "soon")
    Traceback (most recent call last):
    ...
    graph.errors.ParameterError: parameter 'year' expects integer, got 'soon' (parameter=year, expected=integer)
    """
    name = parameter.name
    if parameter.type == "list":
        return split_list(raw, name, parameter.enum)
    text = str(raw)
    if parameter.enum and text not in parameter.enum:
        raise ParameterError(
            f"parameter {name!r} must be one of {', '.join(parameter.enum)}, got {text!r}",
            parameter=name,
            expected=list(parameter.enum),
        )
    if parameter.type == "iri":
        return expand_iri(text, name)
    if parameter.type == "integer":
        return _integer(parameter, raw)
    try:
        return _scalar(parameter, text)
    except (ValueError, InvalidOperation):
        raise ParameterError(
            f"parameter {name!r} expects {parameter.type}, got {text!r}", parameter=name, expected=parameter.type
        ) from None


def to_term(parameter: Parameter, value: Any) -> TermSpec:
    """The RDF term a checked value binds to: an IRI, or a literal of the parameter's datatype."""
    if parameter.type == "iri":
        return ("uri", str(value))
    return ("literal", str(value), DATATYPES.get(parameter.type) or "", "")


def parse(
    parameters: Sequence[Parameter], raw: Mapping[str, object], owner: str, extra: bool = False
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check raw values against ``parameters`` (defaults applied; empty values count as absent).

    Returns the typed values of the declared parameters and, where ``extra``
    allows them, the undeclared ones as strings; otherwise an undeclared name
    is a ``ParameterError`` listing what ``owner`` takes.
    """
    known = {p.name: p for p in parameters}
    others = {name: str(value) for name, value in raw.items() if name not in known}
    if others and not extra:
        name = sorted(others)[0]
        raise ParameterError(
            f"{owner} has no parameter {name!r}; it takes: {', '.join(known) or 'none'}", parameter=name, expected=list(known)
        )
    values: dict[str, Any] = {}
    for name, parameter in known.items():
        value = raw.get(name)
        if value is None or value == "":
            if parameter.required:
                raise ParameterError(
                    f"{owner} needs parameter {name!r} ({parameter.description or parameter.type})",
                    parameter=name,
                    expected=parameter.type,
                )
            values[name] = None if parameter.default is None else coerce(parameter, parameter.default)
        else:
            values[name] = coerce(parameter, value)
    return values, others


__all__ = ["DATATYPES", "TYPES", "Parameter", "coerce", "parse", "split_list", "to_term"]
