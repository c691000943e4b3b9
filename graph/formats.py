"""Media types of SPARQL results and RDF, and the choice an Accept header makes.

Pure functions over pyoxigraph's format objects, which already know their
media types and file extensions.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat

from graph.errors import UnsupportedFormatError

RESULT_FORMATS: dict[str, QueryResultsFormat] = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
"""Media types for SELECT and ASK results, the first being the default."""

GRAPH_FORMATS: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/trig": RdfFormat.TRIG,
    "application/n-quads": RdfFormat.N_QUADS,
}
"""Media types for CONSTRUCT and DESCRIBE results and for resources, the first being the default."""

ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "application/xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "application/x-turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "text/plain": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
}
"""Short names and common synonyms accepted by ``?format=`` and in Accept."""

GRAPH_ALIASES: dict[str, str] = {
    **ALIASES,
    "xml": "application/rdf+xml",
    "application/xml": "application/rdf+xml",
    "json": "application/ld+json",
    "application/json": "application/ld+json",
    "n3": "text/turtle",
    "text/n3": "text/turtle",
}
"""The same names for a CONSTRUCT or DESCRIBE answer, where ``xml`` means RDF/XML and ``json`` JSON-LD
(as SPARQLWrapper and other clients use them)."""


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    media_type: str
    quality: float
    position: int


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header into media ranges, best first (stable for equal q).

    >>> [m.media_type for m in parse_accept("text/csv;q=0.5, application/sparql-results+json")]
    ['application/sparql-results+json', 'text/csv']
    >>> parse_accept(None)[0].media_type
    '*/*'
    """
    ranges: list[MediaRange] = []
    for position, part in enumerate((header or "*/*").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media_type = pieces[0].lower()
        if not media_type:
            continue
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranges.append(MediaRange(media_type, quality, position))
    return sorted(ranges, key=lambda r: (-r.quality, r.position)) or [MediaRange("*/*", 1.0, 0)]


def _matches(media_range: str, offered: str) -> bool:
    if media_range in ("*/*", offered):
        return True
    major, _, minor = media_range.partition("/")
    return minor == "*" and offered.startswith(major + "/")


def negotiate(
    accept: str | None, offered: list[str], format_param: str | None = None, aliases: dict[str, str] = ALIASES, what: str = "here"
) -> str:
    """Choose the media type to answer with: the one chooser every answer goes through.

    ``format_param`` (a media type or a short name such as ``csv``) wins over
    the Accept header. Raises ``UnsupportedFormatError`` when nothing offered
    is acceptable; ``what`` says for what, in that message.

    >>> negotiate("text/csv", list(RESULT_FORMATS))
    'text/csv'
    >>> negotiate("*/*", list(GRAPH_FORMATS))
    'text/turtle'
    >>> negotiate(None, list(RESULT_FORMATS), format_param="tsv")
    'text/tab-separated-values'
    """
    if format_param:
        wanted = aliases.get(format_param.strip().lower(), format_param.strip().lower())
        if wanted in offered:
            return wanted
        raise UnsupportedFormatError(
            f"format {format_param!r} is not offered {what}", requested=format_param, supported=offered, parameter="format"
        )
    chosen = _first_acceptable(accept, offered, aliases)
    if chosen is None:
        raise UnsupportedFormatError(
            f"none of the accepted media types ({accept}) is offered {what}", requested=accept, supported=offered
        )
    return chosen


def _first_acceptable(accept: str | None, offered: list[str], aliases: dict[str, str]) -> str | None:
    """The first offered media type the Accept header admits, best range first."""
    for media_range in parse_accept(accept):
        candidate = aliases.get(media_range.media_type, media_range.media_type)
        for media_type in offered:
            if _matches(candidate, media_type):
                return media_type
    return None


def negotiate_query(form: str, accept: str | None, format_param: str | None = None) -> str:
    """The media type of a SPARQL answer: a usable Accept first, then ``format``, then the default.

    ``format`` never overrides an Accept header that names an offered type
    (clients such as SPARQLWrapper send both, and their Accept is the precise one).

    >>> negotiate_query("CONSTRUCT", "application/rdf+xml", "xml")
    'application/rdf+xml'
    >>> negotiate_query("CONSTRUCT", "*/*", "xml")
    'application/rdf+xml'
    >>> negotiate_query("SELECT", "application/sparql-results+xml", "json")
    'application/sparql-results+xml'
    """
    graph = form in ("CONSTRUCT", "DESCRIBE")
    offered = list(GRAPH_FORMATS if graph else RESULT_FORMATS)
    aliases = GRAPH_ALIASES if graph else ALIASES
    for media_range in parse_accept(accept):
        if media_range.media_type == "*/*" or media_range.media_type.endswith("/*"):
            continue
        candidate = aliases.get(media_range.media_type, media_range.media_type)
        if candidate in offered:
            return candidate
    return negotiate(accept, offered, format_param, aliases, f"for a {form} query")


def accepts_html(accept: str | None) -> bool:
    """Tell whether a browser asked for HTML before any RDF or results type.

    >>> accepts_html("text/html,application/xhtml+xml,*/*;q=0.8")
    True
    >>> accepts_html("*/*")
    False
    """
    for media_range in parse_accept(accept):
        if media_range.media_type in ("text/html", "application/xhtml+xml"):
            return True
        if media_range.media_type != "*/*":
            return False
    return False


__all__ = [
    "ALIASES",
    "GRAPH_ALIASES",
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "MediaRange",
    "accepts_html",
    "negotiate",
    "negotiate_query",
    "parse_accept",
]
