"""Small HTML pages of the service, with every data value escaped."""

from __future__ import annotations

from html import escape
from json import dumps


def page(title: str, body: str, head: str = "") -> str:
    """A complete HTML page around an already escaped body."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="stylesheet" href="/static/site.css">{head}</head>
<body><header class="site"><a href="/">solidarity-kg</a> <nav><a href="/sparql">SPARQL</a> <a href="/viewer">viewer</a>
<a href="/queries">queries</a> <a href="/ontology">ontology</a> <a href="/docs">API</a></nav></header>
<main>{body}</main></body></html>"""


def yasgui_page(endpoint: str, example: str) -> str:
    """The YASGUI query editor bound to our endpoint (assets served locally)."""
    config = dumps({"endpoint": endpoint, "example": example})
    head = '\n<link rel="stylesheet" href="/static/vendor/yasgui/yasgui.min.css">'
    body = f"""<h1>SPARQL query editor</h1><div id="yasgui"></div>
<script src="/static/vendor/yasgui/yasgui.min.js"></script>
<script>
const config = {config};
const yasgui = new Yasgui(document.getElementById("yasgui"), {{
  requestConfig: {{ endpoint: config.endpoint, method: "POST" }},
  copyEndpointOnNewTab: true, endpointCatalogueOptions: {{ getData: () => [{{endpoint: config.endpoint}}] }},
  persistenceId: null
}});
yasgui.getTab().setQuery(config.example);
</script>"""
    return page("SPARQL query editor — solidarity-kg", body, head)


__all__ = ["page", "yasgui_page"]
