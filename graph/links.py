"""Which IRIs a page may turn into links: absolute http(s) IRIs only, never ``javascript:`` or ``data:``.

One home for the check, used by every page the service writes (``api/``) and by
the ontology reference (``graph/ontology_doc.py``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from graph.namespaces import BASE

LINK_SCHEMES = frozenset({"http", "https"})
"""The only IRI schemes the pages turn into links (never ``javascript:``, ``data:``, ``file:``…)."""


def http_iri(iri: str) -> bool:
    """Whether ``iri`` is an absolute http(s) IRI with a host, the only kind of IRI a page links to.

    Whitespace and control characters are refused outright: browsers strip or
    skip them while parsing a URL, so ``" javascript:…"`` or ``"java\\tscript:…"``
    would otherwise be read as a different scheme from the one checked here.

    >>> [http_iri(i) for i in ("https://w3id.org/x", "HTTP://example.org", "javascript:alert(1)",
    ...                        "data:text/html,x", " https://x.org", "https:x.org", "//x.org/a")]
    [True, True, False, False, False, False, False]
    """
    if any(ord(char) <= 0x20 or 0x7F <= ord(char) <= 0x9F for char in iri):
        return False
    try:
        parts = urlsplit(iri)
    except ValueError:  # e.g. a malformed IPv6 host
        return False
    return parts.scheme.lower() in LINK_SCHEMES and bool(parts.netloc)


def local_href(iri: str) -> str | None:
    """Where a link to ``iri`` points: our IRIs to this service, other http(s) IRIs to themselves.

    Any other scheme (``javascript:``, ``data:``, ``file:``…) gets no link at all (``None``).

    >>> local_href("https://w3id.org/solidarity-kg/id/actor/state/ITA"), local_href("javascript:x")
    ('/id/actor/state/ITA', None)
    """
    if not http_iri(iri):
        return None
    for prefix, path in ((BASE + "id/", "/id/"), (BASE + "vocab/", "/vocab/"), (BASE + "ontology#", "/ontology#")):
        if iri.startswith(prefix):
            return path + iri[len(prefix) :]
    return iri


__all__ = ["LINK_SCHEMES", "http_iri", "local_href"]
