"""Small HTML pages of the service, with every data value escaped.

No page carries an inline script, event handler or style: scripts and styles
are static files under ``/static/``, so the pages work under a strict
Content-Security-Policy. Every link built from data goes through ``link``,
which makes an ``<a>`` only for an absolute http(s) IRI.
"""

from __future__ import annotations

from html import escape
from json import dumps

from graph.links import http_iri


def link(iri: str, text: str, href: str | None = None) -> str:
    """An ``<a>`` to ``href`` (by default the IRI itself) when ``iri`` is an http(s) IRI.

    Any other IRI is shown as escaped text, followed by the IRI when the text is not the IRI.
    ``href`` must be derived from ``iri`` (a local path for our own namespace).

    >>> link("https://example.org/a?b=1&c=2", "A")
    '<a href="https://example.org/a?b=1&amp;c=2">A</a>'
    >>> link("javascript:alert(1)", "<click>")
    '<span class="no-link">&lt;click&gt; <code>javascript:alert(1)</code></span>'
    """
    if http_iri(iri):
        return f'<a href="{escape(href or iri)}">{escape(text)}</a>'
    shown = escape(text) + f" <code>{escape(iri)}</code>" if text != iri else f"<code>{escape(iri)}</code>"
    return f'<span class="no-link">{shown}</span>'


def page(title: str, body: str, head: str = "") -> str:
    """A complete HTML page around an already escaped body."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/site.css">{head}</head>
<body><header class="site"><a href="/">solidarity-kg</a> <nav><a href="/sparql">SPARQL</a> <a href="/viewer">viewer</a>
<a href="/queries">queries</a> <a href="/ontology">ontology</a> <a href="/docs">API</a></nav></header>
<main>{body}</main></body></html>"""


def json_script(element_id: str, data: object) -> str:
    """A ``<script type="application/json">`` block: data for a static script, never executed.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so no value can close the element.

    >>> json_script("c", {"q": "</script>&"})
    '<script type="application/json" id="c">{"q": "\\\\u003c/script\\\\u003e\\\\u0026"}</script>'
    """
    text = dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{escape(element_id)}">{text}</script>'


YASGUI_STYLE_HASHES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",  # column-resizer's CSS, added with every result table
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",  # "*{cursor:col-resize!important}" while a column is dragged
)
"""CSP hash sources YASGUI 4.6.2 needs in ``style-src``: its result table's column resizer inserts these two
fixed ``<style>`` texts (checked in Chromium by ``tests/e2e/test_page_security.py``)."""


def yasgui_page(endpoint: str, example: str) -> str:
    """The YASGUI query editor bound to our endpoint (assets served locally, started by ``sparql-editor.js``)."""
    head = '\n<link rel="stylesheet" href="/static/vendor/yasgui/yasgui.min.css">'
    body = f"""<h1>SPARQL query editor</h1><div id="yasgui"></div>
{json_script("sparql-editor-config", {"endpoint": endpoint, "example": example})}
<script src="/static/vendor/yasgui/yasgui.min.js"></script>
<script src="/static/sparql-editor.js"></script>"""
    return page("SPARQL query editor — solidarity-kg", body, head)


__all__ = ["YASGUI_STYLE_HASHES", "json_script", "link", "page", "yasgui_page"]
