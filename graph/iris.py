"""IRIs: local names, CURIEs both ways, and short ids resolved to IRIs. The one home for each."""

from __future__ import annotations

import re

import pyoxigraph as ox

from graph.errors import ParameterError
from graph.namespaces import PREFIXES

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``.

    >>> local_name("https://w3id.org/solidarity-kg/ontology#carriedOutBy")
    'carriedOutBy'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def compact_iri(iri: str) -> str:
    """A CURIE for an IRI in one of the known namespaces (the longest that matches), else the IRI.

    The local part must read back as the same IRI in JSON-LD and SPARQL, so
    one that holds ``#?[]@`` or starts with ``//`` keeps the full IRI.

    >>> compact_iri("https://w3id.org/solidarity-kg/ontology#carriedOutBy")
    'skg:carriedOutBy'
    >>> compact_iri("https://example.org/x")
    'https://example.org/x'
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and not local.startswith("//") and all(c not in local for c in "#?[]@"):
                return f"{prefix}:{local}"
            return iri
    return iri


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
    if not _SCHEME.match(text):
        raise ParameterError(
            f"parameter {parameter!r} must be an IRI or a CURIE with a known prefix, got {value!r}",
            parameter=parameter,
            expected="iri",
        )
    try:
        ox.NamedNode(text)
    except ValueError as error:
        raise ParameterError(
            f"parameter {parameter!r} is not a valid IRI: {error}", parameter=parameter, expected="iri"
        ) from None
    return text


def is_curie_or_iri(value: str) -> bool:
    """Whether a name is written as a CURIE or IRI (``skg:x``, ``https://…``) rather than a bare local name.

    >>> is_curie_or_iri("skg:carriedOutBy"), is_curie_or_iri("carriedOutBy")
    (True, False)
    """
    return ":" in value


def resolve_id(identifier: str, collection: str, parameter: str) -> str:
    """An IRI from a short id (``A-73-206-10-1`` in ``collection``), a path under ``id/`` or a CURIE/IRI.

    >>> resolve_id("A-73-206-10-1", "practice", "practice_id")
    'https://w3id.org/solidarity-kg/id/practice/A-73-206-10-1'
    >>> resolve_id("actor/state/TUR", "", "node")
    'https://w3id.org/solidarity-kg/id/actor/state/TUR'
    """
    if identifier.startswith(("http://", "https://")) or (":" in identifier and "/" not in identifier.split(":", 1)[0]):
        return expand_iri(identifier, parameter)
    if "/" in identifier or not collection:
        return expand_iri(PREFIXES["skgd"] + identifier, parameter)
    return expand_iri(f"{PREFIXES['skgd']}{collection}/{identifier}", parameter)


__all__ = ["compact_iri", "expand_iri", "is_curie_or_iri", "local_name", "resolve_id"]
