"""RDF terms in their portable form, the one that crosses process boundaries.

A binding travels from the API to a query worker as a ``TermSpec`` tuple and
becomes a pyoxigraph term only where it is used (``to_term``).
"""

from __future__ import annotations

import pyoxigraph as ox

TermSpec = tuple[str, ...]
"""A portable RDF term: ("uri", iri) | ("bnode", id) | ("literal", value, datatype, language)."""


def to_term(spec: TermSpec) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Rebuild a pyoxigraph term from its portable form.

    >>> to_term(("literal", "5", "http://www.w3.org/2001/XMLSchema#integer", ""))
    <Literal value=5 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    kind = spec[0]
    if kind == "uri":
        return ox.NamedNode(spec[1])
    if kind == "bnode":
        return ox.BlankNode(spec[1])
    value, datatype, language = spec[1], spec[2], spec[3]
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


__all__ = ["TermSpec", "to_term"]
