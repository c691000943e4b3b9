"""The SPARQL 1.1 Protocol request: its parameters read strictly, and checked before any worker sees them.

Starlette decodes query strings leniently (invalid UTF-8 becomes U+FFFD and
the last of repeated parameters wins); a protocol request is read here from
the raw bytes instead, so that invalid UTF-8, a repeated ``query`` and an
invalid dataset IRI are each a 400 naming the parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox

from api.errors import ApiError

SINGLE = ("query", "update")
"""Parameters that may appear at most once. (``format`` may repeat: SPARQLWrapper sends it twice, and the
first is used only where the Accept header names no offered type.)"""


@dataclass(frozen=True)
class ProtocolRequest:
    """A query and its dataset as the request gives them."""

    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None
    update: bool


def decode(raw: bytes, where: str) -> str:
    """Decode UTF-8 strictly; a 400 naming where the bytes came from otherwise."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(
            400, "invalid_encoding", f"the {where} is not valid UTF-8 (byte {error.start})", part=where, offset=error.start
        ) from None


def parse_params(raw: bytes, where: str) -> dict[str, list[str]]:
    """``application/x-www-form-urlencoded`` pairs, each value strictly UTF-8."""
    text = decode(raw, where)
    params: dict[str, list[str]] = {}
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise ApiError(
            400, "invalid_encoding", f"a percent-encoded value in the {where} is not valid UTF-8", part=where, offset=error.start
        ) from None
    for name, value in pairs:
        params.setdefault(name, []).append(value)
    return params


def _dataset_iri(value: str, parameter: str) -> str:
    try:
        node = ox.NamedNode(value)
    except ValueError as error:
        raise ApiError(
            400,
            "invalid_dataset_iri",
            f"{parameter} {value!r} is not an absolute IRI: {error}",
            parameter=parameter,
            value=value[:200],
        ) from None
    return node.value


def protocol_request(*sources: dict[str, list[str]]) -> ProtocolRequest:
    """Merge parameter sources (URL, then form body) into one request, refusing repeats and bad IRIs."""
    merged: dict[str, list[str]] = {}
    for source in sources:
        for name, values in source.items():
            merged.setdefault(name, []).extend(values)
    for name in SINGLE:
        if len(merged.get(name, [])) > 1:
            raise ApiError(
                400,
                "repeated_parameter",
                f"the parameter {name!r} is given {len(merged[name])} times; give it once",
                parameter=name,
            )
    if merged.get("query") and merged.get("update"):
        raise ApiError(400, "repeated_parameter", "give either 'query' or 'update', not both", parameter="update")
    return ProtocolRequest(
        query=merged["query"][0] if merged.get("query") else None,
        default_graphs=tuple(_dataset_iri(v, "default-graph-uri") for v in merged.get("default-graph-uri", [])),
        named_graphs=tuple(_dataset_iri(v, "named-graph-uri") for v in merged.get("named-graph-uri", [])),
        format=merged["format"][0] if merged.get("format") else None,
        update="update" in merged,
    )


__all__ = ["ProtocolRequest", "decode", "parse_params", "protocol_request"]
