"""Which IRIs a page may turn into links: absolute http(s) IRIs only, never ``javascript:`` or ``data:``.

One home for the check, used by every page the service writes (``api/``) and by
the ontology reference (``graph/ontology_doc.py``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

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


__all__ = ["LINK_SCHEMES", "http_iri"]
