"""HTML helpers of the service, with every data value escaped (pages themselves are ``templates/``).

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


def yasgui_page(endpoint: str, example: str, context: dict[str, object] | None = None) -> str:
    """The YASGUI query editor bound to our endpoint (``templates/sparql.html``; started by ``sparql-editor.js``)."""
    from markupsafe import Markup

    from api.templating import environment

    config = Markup(json_script("sparql-editor-config", {"endpoint": endpoint, "example": example}))  # noqa: S704 - escaped JSON
    full = {
        "title": "SPARQL query editor",
        "endpoint": endpoint,
        "config": config,
        "data_version": "",
        "path": "/sparql",
        **(context or {}),
    }
    return environment().get_template("sparql.html").render(full)


__all__ = ["YASGUI_STYLE_HASHES", "json_script", "link", "yasgui_page"]
