"""The viewer in a real headless Chromium against a real server: what it draws matches the API, and it is legible.

Measured on the bundled data before this version of the viewer, and pinned here:

- whole view (about 1,100 nodes): 210 pairs of node boxes overlapped (Italy lay under
  another node); now none do (``test_no_two_nodes_overlap_and_italy_takes_its_own_click``);
- ego view of Italy, depth 2 (85 nodes): 76 of 85 drawn labels overlapped another label
  (83 pairs); now no drawn label overlaps another (``test_drawn_labels_never_overlap``);
- type colours: the smallest CIEDE2000 difference between two types of the whole view was
  3.6 (Instrument and Treaty; 0.0 over the whole table, Business and Resolution had one
  colour); now types either differ in shape or their colours differ by at least 15
  (``test_types_differ_in_shape_or_clearly_in_colour``);
- the evidence text had a contrast of 3.77:1; now every text passes 4.5:1
  (``test_every_text_meets_wcag_aa_contrast``).
"""

from __future__ import annotations

import itertools
import json
import math
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

from graph.network.styles import PALETTE, TYPE_COLORS, type_color, type_shape
from tests.e2e.conftest import TIMEOUT_MS, watched_page

BROWSER = (pytest.mark.browser, pytest.mark.server)
ID = "https://w3id.org/solidarity-kg/id/"
ITALY = ID + "actor/state/ITA"
MEXICO = ID + "actor/state/MEX"


def browser_test(function: Any) -> Any:
    for mark in BROWSER:
        function = mark(function)
    return function


def new_page(browser: Any, width: int = 1400, height: int = 900) -> Any:
    return watched_page(browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True))


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    opened = new_page(browser)
    try:
        yield opened
    finally:
        opened.context.close()


def wait_for_view(page: Any) -> int:
    """Wait until the viewer has drawn a view; return the node count it shows."""
    page.wait_for_selector("#stats[data-nodes]", state="attached", timeout=TIMEOUT_MS)
    shown: int = page.evaluate("Number(document.getElementById('stats').dataset.nodes)")
    drawn: int = page.evaluate("window.skgViewer.cy.nodes().length")
    assert shown == drawn
    return shown


def visible_ids(page: Any) -> set[str]:
    return set(page.evaluate("window.skgViewer.cy.nodes(':visible').map(n => n.id())"))


OVERLAPPING_NODES = """() => {
  const cy = window.skgViewer.cy;
  const boxes = cy.nodes(':visible').map(n => n.boundingBox({ includeLabels: false, includeOverlays: false }));
  let pairs = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) pairs++;
  }
  return pairs;
}"""

DRAWN_LABELS = """() => {
  /* every label Cytoscape draws now, with the box Cytoscape itself computes for it */
  const cy = window.skgViewer.cy;
  const zoom = cy.zoom();
  const drawn = cy.elements(':visible').filter(e => {
    const text = e.pstyle('label').strValue;
    return text && e.pstyle('font-size').pfValue * zoom >= e.pstyle('min-zoomed-font-size').pfValue
      && e.pstyle('text-opacity').value > 0;
  });
  const labels = drawn.map(e => ({
    id: e.id(), text: e.pstyle('label').strValue, full: String(e.data('label') || ''),
    box: e.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeMainLabels: true }) }));
  let pairs = 0;
  const hit = new Set();
  for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
    const a = labels[i].box, b = labels[j].box;
    if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) { pairs++; hit.add(i); hit.add(j); }
  }
  const inView = cy.nodes(':visible').filter(n => { const p = n.renderedPosition();
    return p.x >= 0 && p.y >= 0 && p.x <= cy.width() && p.y <= cy.height(); }).length;
  return { labels: labels.map(l => ({ id: l.id, text: l.text, full: l.full })), pairs, overlapping: hit.size, inView };
}"""


# --------------------------------------------------------------------------- colours (CIEDE2000, colour-vision simulation)


def _linear(hex_color: str) -> list[float]:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def _lab(hex_color: str) -> tuple[float, float, float]:
    r, g, b = _linear(hex_color)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(first: str, second: str) -> float:
    """The CIEDE2000 colour difference of two ``#rrggbb`` colours (Sharma, Wu and Dalal's formulation)."""
    (l1, a1, b1), (l2, a2, b2) = _lab(first), _lab(second)
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_hue = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    rotation = (
        -math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2)))) * 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    )
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    sc, sh = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    dl, dc, dhh = (l2 - l1) / sl, (c2p - c1p) / sc, d_hue / sh
    return math.sqrt(dl**2 + dc**2 + dhh**2 + rotation * dc * dhh)


MACHADO = {  # Machado, Oliveira and Fernandes (2009), severity 1, on linear RGB
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def simulate(hex_color: str, deficiency: str) -> str:
    linear = _linear(hex_color)
    seen = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear, strict=True)))) for row in MACHADO[deficiency]]
    encoded = [12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055 for c in seen]
    return "#" + "".join(f"{round(c * 255):02x}" for c in encoded)


def contrast(first: str, second: str) -> float:
    def luminance(hex_color: str) -> float:
        r, g, b = _linear(hex_color)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_colour_formulas_give_the_published_values() -> None:
    assert ciede2000("#000000", "#000000") == 0
    assert abs(ciede2000("#ffffff", "#000000") - 100) < 0.01
    assert round(contrast("#7a8496", "#ffffff"), 2) == 3.77  # the old evidence colour
    assert simulate("#ffffff", "deuteranopia") == "#ffffff"


def test_types_differ_in_shape_or_clearly_in_colour(client: TestClient) -> None:
    nodes = client.get("/views/whole", params={"format": "node-link"}).json()["nodes"]
    counts = Counter(node["type"] for node in nodes)
    types = sorted(counts)
    assert all(node["color"] == type_color(node["type"]) for node in nodes)  # the exports carry the same colours
    for named in (types, list(TYPE_COLORS)):  # on screen, and in the whole table
        looks = Counter((type_color(t), type_shape(t)) for t in named)
        assert [look for look, n in looks.items() if n > 1] == []
    # the types more common than the first one past the palette's size (a tie at the edge is in neither group)
    ranked = sorted(counts.values(), reverse=True)
    edge = ranked[len(PALETTE)] if len(ranked) > len(PALETTE) else 0
    common = [t for t, n in counts.items() if n > edge]
    assert len({type_color(t) for t in common}) == len(common), "the most common types each have a colour of their own"
    same_shape = [(a, b) for a, b in itertools.combinations(types, 2) if type_shape(a) == type_shape(b)]
    smallest = min(ciede2000(type_color(a), type_color(b)) for a, b in same_shape)
    assert smallest >= 15, smallest
    colours = sorted({type_color(t) for t in TYPE_COLORS})
    for deficiency in MACHADO:
        seen = min(ciede2000(simulate(a, deficiency), simulate(b, deficiency)) for a, b in itertools.combinations(colours, 2))
        assert seen >= 11, (deficiency, seen)


# --------------------------------------------------------------------------- the download of what is shown


def node_link(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = json.loads(response.content)
    return body


def test_the_download_follows_every_filter(client: TestClient) -> None:
    whole = client.get("/views/whole", params={"format": "node-link"}).json()
    by_id = {n["id"]: n for n in whole["nodes"]}
    hidden = node_link(client.get("/viewer/export", params={"hide_types": "Assessment,Concept", "format": "node-link"}))
    assert {n["id"] for n in hidden["nodes"]} == {n["id"] for n in whole["nodes"] if n["type"] not in ("Assessment", "Concept")}
    dated = node_link(client.get("/viewer/export", params={"date_from": "2015", "date_to": "2017-06", "format": "node-link"}))
    dates = {n.get("date", "")[:4] for n in dated["nodes"] if n.get("date")}
    assert dates and dates <= {"2015", "2016", "2017"}
    assert sum(1 for n in dated["nodes"] if not n.get("date")) == sum(1 for n in whole["nodes"] if not n.get("date"))
    cited = node_link(client.get("/viewer/export", params={"cited_in": "AJIL Unbound essay", "format": "node-link"}))
    assert cited["links"] and all("AJIL Unbound essay, " in link["evidence"] for link in cited["links"])
    near = node_link(client.get("/viewer/export", params={"near_state": "actor/state/ITA", "format": "node-link"}))
    linked = {
        link["target"] if link["source"] == ITALY else link["source"]
        for link in whole["links"]
        if ITALY in (link["source"], link["target"])
    }
    assert {n["id"] for n in near["nodes"]} == linked | {ITALY}
    relations = node_link(client.get("/viewer/export", params={"hide_relations": "theme", "format": "node-link"}))
    assert not [link for link in relations["links"] if link["relation"].endswith("#theme")]
    assert len(relations["nodes"]) == len(by_id)  # hiding a link type keeps the nodes


def test_the_download_adds_expanded_neighbours_and_the_path(client: TestClient) -> None:
    base = {"view": "ego", "node": "actor/state/ITA", "format": "node-link"}
    ego = node_link(client.get("/viewer/export", params=base))
    path = client.get("/graph/paths", params={"from": "actor/state/ITA", "to": "actor/state/MEX"}).json()
    on_path = {step[end] for step in path["shortest"] for end in ("source", "target")}
    with_path = node_link(
        client.get("/viewer/export", params={**base, "path_from": "actor/state/ITA", "path_to": "actor/state/MEX"})
    )
    assert {n["id"] for n in with_path["nodes"]} == {n["id"] for n in ego["nodes"]} | on_path
    expanded = node_link(client.get("/viewer/export", params={**base, "expanded": "actor/state/MEX"}))
    mexico = node_link(client.get("/views/ego", params={"node": "actor/state/MEX", "format": "node-link"}))
    assert {n["id"] for n in expanded["nodes"]} == {n["id"] for n in ego["nodes"]} | {n["id"] for n in mexico["nodes"]}


@pytest.mark.parametrize(
    ("params", "status", "parameter"),
    [
        ({"date_from": "2015-1"}, 422, "date_from"),
        ({"date_to": "<script>"}, 422, "date_to"),
        ({"path_from": "actor/state/ITA"}, 422, "path_to"),
        ({"expanded": ",".join(f"actor/state/X{i}" for i in range(51))}, 422, "expanded"),
        ({"expanded": "actor/state/NOWHERE"}, 404, None),
        ({"view": "nowhere"}, 404, None),
        ({"format": "pdf"}, 406, None),
        ({"near_state": "<not an iri>"}, 422, "near_state"),
        ({"hide_types": "x" * 400}, 422, "hide_types"),
        ({"timeout": "0"}, 422, "timeout"),
    ],
)
def test_the_download_refuses_bad_values_with_the_error_body(
    client: TestClient, params: dict[str, str], status: int, parameter: str | None
) -> None:
    response = client.get("/viewer/export", params=params)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message", "where", "status"} and body["status"] == status
    if parameter:
        assert body["where"].get("parameter") == parameter, body


def test_the_page_carries_the_type_styles(client: TestClient) -> None:
    html = client.get("/viewer").text
    assert '<script type="application/json" id="viewer-styles">' in html
    assert 'aria-current="page"' in html and "{%" not in html and "{{" not in html
    start = html.index('id="viewer-styles">') + len('id="viewer-styles">')
    styles = json.loads(html[start : html.index("</script>", start)])
    assert styles["types"]["State"] == {"color": type_color("State"), "shape": "ellipse", "family": "actors"}


# --------------------------------------------------------------------------- in the browser


@browser_test
def test_viewer_draws_as_many_nodes_as_the_api_returns(live_server: str, page: Any, tmp_path: Path) -> None:
    response = httpx.get(live_server + "/views/whole", params={"format": "cyjs"}, timeout=120)
    expected = len(response.json()["elements"]["nodes"])
    assert expected == int(response.headers["x-view-nodes"]) > 0
    page.goto(live_server + "/viewer")
    assert wait_for_view(page) == expected
    assert page.text_content("#stats") == f"{expected} nodes, {response.headers['x-view-edges']} links"
    page.screenshot(path=str(tmp_path / "viewer-whole.png"))
    assert (tmp_path / "viewer-whole.png").stat().st_size > 10_000
    assert page.errors == []


@browser_test
def test_no_two_nodes_overlap_and_italy_takes_its_own_click(live_server: str, page: Any) -> None:
    page.goto(live_server + "/viewer")
    assert wait_for_view(page) > 1000
    assert page.evaluate(OVERLAPPING_NODES) == 0  # 210 pairs before
    drawn = page.evaluate(DRAWN_LABELS)
    hub = next(label for label in drawn["labels"] if label["full"] == "States")  # the best-linked node
    assert hub["text"] == "States"  # was cut to "Stat…"
    point = page.evaluate(
        """(iri) => {
        const cy = window.skgViewer.cy;
        const position = cy.getElementById(iri).renderedPosition();
        const box = cy.container().getBoundingClientRect();
        return { x: box.left + position.x, y: box.top + position.y };
    }""",
        ITALY,
    )
    page.mouse.click(point["x"], point["y"])  # at the zoom the view opens with, Italy is a few pixels wide
    page.wait_for_selector("#details", state="visible", timeout=TIMEOUT_MS)
    assert page.text_content("#details-label") == "Italy"
    assert page.evaluate(OVERLAPPING_NODES) == 0
    assert page.errors == []


@browser_test
def test_drawn_labels_never_overlap(live_server: str, page: Any) -> None:
    page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA&depth=2")
    assert wait_for_view(page) > 80
    found = page.evaluate(DRAWN_LABELS)
    assert len(found["labels"]) >= 10
    assert found["pairs"] == 0, found  # 83 pairs (76 of 85 labels) before
    for label in found["labels"]:
        text, full = label["text"].replace("\n", " "), " ".join(label["full"].split())
        assert text == full or (text.endswith("…") and full.startswith(text[:-1].rstrip())), label
        if text != full:  # cut after a whole word
            assert full[len(text[:-1].rstrip())] in " ,;:.", label
    page.evaluate("""() => { const cy = window.skgViewer.cy;
      cy.zoom({ level: cy.zoom() * 2.5, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } }); }""")
    page.wait_for_timeout(400)
    zoomed = page.evaluate(DRAWN_LABELS)
    assert zoomed["pairs"] == 0
    # zoomed in, a larger share of the nodes in sight is labelled
    assert len(zoomed["labels"]) / zoomed["inView"] > len(found["labels"]) / found["inView"]
    # a cut label: the tooltip of its node gives the whole of it
    cut = next((label for label in zoomed["labels"] if label["text"].endswith("…")), None)
    assert cut is not None
    point = page.evaluate(
        """(id) => { const cy = window.skgViewer.cy; const node = cy.getElementById(id);
        cy.center(node); const p = node.renderedPosition(); const box = cy.container().getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y }; }""",
        cut["id"],
    )
    page.wait_for_timeout(300)
    page.mouse.move(point["x"] - 40, point["y"] - 40)
    page.mouse.move(point["x"], point["y"], steps=5)
    page.wait_for_selector("#tooltip:not([hidden])", timeout=TIMEOUT_MS)
    assert page.text_content("#tooltip strong") == cut["full"]
    assert page.errors == []


CONTRAST = """() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return { rgb: p.slice(0, 3), a: p.length > 3 ? p[3] : 1 }; };
  const lum = (rgb) => { const l = rgb.map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; };
  const background = (el) => { for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c.rgb; } return [255, 255, 255]; };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!t.textContent.trim() || !el || el.closest('script, [hidden], option')) continue;
    const rect = el.getBoundingClientRect();
    if (!rect.width || !rect.height || getComputedStyle(el).visibility === 'hidden') continue;
    const fg = parse(getComputedStyle(el).color).rgb, bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const size = parseFloat(getComputedStyle(el).fontSize), bold = Number(getComputedStyle(el).fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    out.push({ text: t.textContent.trim().slice(0, 40), ratio: (hi + 0.05) / (lo + 0.05), large,
               evidence: el.classList.contains('evidence') });
  }
  return out;
}"""


@browser_test
def test_every_text_meets_wcag_aa_contrast(live_server: str, page: Any) -> None:
    page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA")
    wait_for_view(page)
    page.fill("#search", "it")
    page.wait_for_selector("#search-results li")
    texts = page.evaluate(CONTRAST)
    assert len(texts) > 50
    failing = [t for t in texts if t["ratio"] < (3 if t["large"] else 4.5)]
    assert failing == []
    evidence = [t["ratio"] for t in texts if t["evidence"]]
    assert evidence and min(evidence) >= 4.5  # 3.77 before
    # what the canvas draws: labels on a white box, the outline of every node, the lines
    assert contrast("#1d2330", "#ffffff") >= 4.5
    colours = page.evaluate("""() => { const cy = window.skgViewer.cy;
      return { outline: cy.nodes()[0].pstyle('border-color').strValue, line: cy.edges()[0].pstyle('line-color').strValue }; }""")
    rgb = {k: "#" + "".join(f"{int(v):02x}" for v in c[c.index("(") + 1 : -1].split(",")[:3]) for k, c in colours.items()}
    assert contrast(rgb["outline"], "#ffffff") >= 3 and contrast(rgb["line"], "#ffffff") >= 3


OVERLAPS = """() => {
  const parts = [...document.querySelectorAll('#controls > *'), document.getElementById('graph-area'),
                 document.getElementById('details')].filter(e => !e.hidden);
  const rects = parts.map(e => ({ id: e.id || e.className || e.tagName, r: e.getBoundingClientRect() }));
  const found = [];
  for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
    const a = rects[i].r, b = rects[j].r;
    const meet = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    if (meet) found.push([rects[i].id, rects[j].id]);
  }
  const covered = [...document.querySelectorAll('#controls input, #controls select, #controls button, #controls a')].filter(e => {
    e.scrollIntoView({ block: 'center' });
    const r = e.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const label = top && top.closest('label');
    return !(top === e || e.contains(top) || (top && top.htmlFor === e.id) || (label && label.contains(e)));
  }).map(e => e.id || e.value || e.textContent);
  return { found, covered };
}"""


@browser_test
@pytest.mark.parametrize("size", [(1400, 900), (800, 1000)])
def test_panels_never_cover_controls(live_server: str, browser: Any, size: tuple[int, int]) -> None:
    page = new_page(browser, *size)
    try:
        page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA&depth=2")
        wait_for_view(page)
        page.fill("#search", "st")  # search results push the panels below them down, never over them
        page.wait_for_selector("#search-results li")
        assert page.locator("#search-results li").count() > 5
        result = page.evaluate(OVERLAPS)
        assert result == {"found": [], "covered": []}
        assert page.errors == []
    finally:
        page.context.close()


@browser_test
def test_a_click_on_any_shape_selects_its_node(live_server: str, page: Any) -> None:
    page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA&depth=2")
    wait_for_view(page)
    shapes = page.evaluate("[...window.skgViewer.state.typeStyles.values()].map(s => [s.type, s.shape])")
    assert len({shape for _type, shape in shapes}) >= 5
    for type_name, shape in shapes:
        point = page.evaluate(
            """(t) => { const cy = window.skgViewer.cy; const node = cy.nodes().filter(n => n.data('type') === t)[0];
            cy.zoom(2); cy.center(node); const p = node.renderedPosition(); const box = cy.container().getBoundingClientRect();
            return { x: box.left + p.x, y: box.top + p.y, id: node.id() }; }""",
            type_name,
        )
        page.mouse.click(point["x"], point["y"])
        selected = page.evaluate("window.skgViewer.state.selected && window.skgViewer.state.selected.id()")
        assert selected == point["id"], (type_name, shape)
    assert page.errors == []


@browser_test
def test_clicking_a_node_shows_its_details(live_server: str, page: Any, tmp_path: Path) -> None:
    whole = httpx.get(live_server + "/views/whole", params={"format": "node-link"}, timeout=120).json()
    states = [n for n in whole["nodes"] if n["type"] == "State"]
    centre = max(states, key=lambda n: (n["degree"], n["id"]))
    ego = httpx.get(live_server + "/views/ego", params={"node": centre["id"], "format": "cyjs"}, timeout=60)
    page.goto(live_server + "/viewer?node=" + quote(centre["id"], safe=""))
    assert wait_for_view(page) == int(ego.headers["x-view-nodes"])
    page.click("#close-details")  # the ego view opens with its centre selected; start from nothing
    page.wait_for_selector("#details", state="hidden")
    point = page.evaluate(
        """(iri) => {
        const cy = window.skgViewer.cy;
        const node = cy.getElementById(iri);
        cy.zoom(2);
        cy.center(node);
        const position = node.renderedPosition();
        const box = cy.container().getBoundingClientRect();
        return { x: box.left + position.x, y: box.top + position.y };
    }""",
        centre["id"],
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#details", state="visible", timeout=TIMEOUT_MS)
    assert page.text_content("#details-label") == centre["label"]
    assert page.text_content("#details-type") == "State"
    assert page.get_attribute("#details-iri", "href") == "/id/" + centre["id"].split("/id/", 1)[1]
    links = page.locator("#details-links li").count()
    assert links == centre["degree"]
    page.screenshot(path=str(tmp_path / "viewer-details.png"))
    assert page.errors == []


@browser_test
def test_the_download_holds_what_is_shown_and_the_address_restores_it(live_server: str, page: Any) -> None:
    page.goto(live_server + "/viewer?view=obligations")
    total = wait_for_view(page)
    page.select_option("#format-select", "node-link")
    assert page.get_attribute("#download-link", "href") == "/viewer/export?view=obligations&format=node-link"
    first_type = page.locator("#type-list input").first
    hidden_type = first_type.get_attribute("value")
    first_type.uncheck()
    page.locator("#relation-list input").nth(1).uncheck()
    document = page.eval_on_selector("#document-select", "s => s.options[1].value")
    page.select_option("#document-select", document)
    shown = visible_ids(page)
    of_type = page.evaluate("(t) => window.skgViewer.cy.nodes().filter(n => n.data('type') === t).length", hidden_type)
    assert 0 < len(shown) < total - of_type and of_type > 0
    href = page.get_attribute("#download-link", "href")
    assert "hide_types=" in href and "hide_relations=" in href and "cited_in=" in href
    download = node_link(httpx.get(live_server + href, timeout=60))
    assert {n["id"] for n in download["nodes"]} == shown
    links = page.evaluate("window.skgViewer.cy.edges(':visible').length")
    assert len(download["links"]) == links
    # the address holds the same state: opened afresh, it shows the same
    selected = sorted(shown)[0]
    page.evaluate("(id) => window.skgViewer.cy.getElementById(id).emit('tap')", selected)
    address = page.url
    fresh = new_page(page.context.browser)
    try:
        fresh.goto(address)
        wait_for_view(fresh)
        assert visible_ids(fresh) == shown
        assert fresh.evaluate("window.skgViewer.state.selected && window.skgViewer.state.selected.id()") == selected
        assert not fresh.is_checked(f"#type-list input[value='{hidden_type}']")
        fresh.select_option("#format-select", "node-link")
        assert fresh.get_attribute("#download-link", "href") == href
    finally:
        fresh.context.close()
    assert page.errors == []


@browser_test
def test_dates_and_states_filter_the_view(live_server: str, page: Any) -> None:
    page.goto(live_server + "/viewer?view=practices")
    wait_for_view(page)
    page.select_option("#format-select", "node-link")
    page.fill("#date-from", "2015")
    page.fill("#date-to", "2016")
    page.press("#date-to", "Tab")
    dates = page.evaluate("window.skgViewer.cy.nodes(':visible').map(n => n.data('date')).filter(Boolean)")
    assert dates and {d[:4] for d in dates} <= {"2015", "2016"}
    page.select_option("#state-select", ITALY)
    shown = visible_ids(page)
    neighbours = set(
        page.evaluate("(id) => window.skgViewer.cy.getElementById(id).neighborhood('node:visible').map(n => n.id())", ITALY)
    )
    assert ITALY in shown and shown == neighbours | {ITALY}
    assert "near_state=actor%2Fstate%2FITA" in page.url and "date_from=2015" in page.url
    download = node_link(httpx.get(live_server + page.get_attribute("#download-link", "href"), timeout=60))
    assert {n["id"] for n in download["nodes"]} == shown


@browser_test
def test_the_path_between_two_nodes_is_highlighted(live_server: str, page: Any) -> None:
    page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA&depth=2")
    wait_for_view(page)
    page.select_option("#format-select", "node-link")
    page.click("#path-start")  # Italy, the centre, is selected
    far = page.evaluate(
        """(iri) => { const cy = window.skgViewer.cy; const italy = cy.getElementById(iri);
      return cy.nodes().filter(n => !n.same(italy) && !italy.neighborhood().contains(n)).map(n => n.id()).sort()[0]; }""",
        ITALY,
    )
    page.evaluate("(id) => window.skgViewer.cy.getElementById(id).emit('tap')", far)
    page.click("#path-end")
    page.wait_for_function("() => window.skgViewer.cy.edges('.on-path').length > 0", timeout=TIMEOUT_MS)
    path = httpx.get(live_server + "/graph/paths", params={"from": ITALY, "to": far}, timeout=60).json()
    expected = {step[end] for step in path["shortest"] for end in ("source", "target")}
    assert len(path["shortest"]) == 2
    assert set(page.evaluate("window.skgViewer.cy.nodes('.on-path').map(n => n.id())")) == expected
    assert page.evaluate("window.skgViewer.cy.edges('.on-path').length") == len(path["shortest"])
    assert page.locator("#path-steps li").count() == len(path["shortest"])
    assert "path_from=actor%2Fstate%2FITA" in page.url
    # a path that leaves the view: its nodes are added, and the download has them too
    page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA&path_from=actor/state/ITA&path_to=actor/state/MEX")
    wait_for_view(page)
    page.select_option("#format-select", "node-link")
    path = httpx.get(live_server + "/graph/paths", params={"from": ITALY, "to": MEXICO}, timeout=60).json()
    expected = {step[end] for step in path["shortest"] for end in ("source", "target")}
    assert set(page.evaluate("window.skgViewer.cy.nodes('.on-path').map(n => n.id())")) == expected
    assert MEXICO in visible_ids(page)
    assert page.evaluate(OVERLAPPING_NODES) == 0
    download = node_link(httpx.get(live_server + page.get_attribute("#download-link", "href"), timeout=60))
    assert {n["id"] for n in download["nodes"]} == visible_ids(page)
    assert page.errors == []


@browser_test
def test_pictures_of_the_screen(live_server: str, page: Any, tmp_path: Path) -> None:
    page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA")
    wait_for_view(page)
    with page.expect_download() as png:
        page.click("#save-png")
    png_file = tmp_path / "view.png"
    png.value.save_as(png_file)
    assert png_file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png_file.stat().st_size > 5_000
    with page.expect_download() as svg:
        page.click("#save-svg")
    svg_file = tmp_path / "view.svg"
    svg.value.save_as(svg_file)
    root = ET.parse(svg_file).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    shapes = root.findall(f".//{ns}g[@class='nodes']/*")
    assert len(shapes) == page.evaluate("window.skgViewer.cy.nodes(':visible').length")
    drawn = page.evaluate(DRAWN_LABELS)
    texts = [" ".join(t.itertext()) for t in root.findall(f".//{ns}g[@class='labels']/{ns}text")]
    node_labels = [label["text"].replace("\n", " ") for label in drawn["labels"] if not label["id"].count(" ")]
    assert sorted(t for t in texts if t in node_labels) == sorted(node_labels)
    assert page.errors == []


@browser_test
def test_the_legend_matches_the_drawing(live_server: str, page: Any) -> None:
    page.goto(live_server + "/viewer")
    wait_for_view(page)
    drawn = page.evaluate("""() => { const seen = {};
      window.skgViewer.cy.nodes().forEach(n => { seen[n.data('type')] = [n.pstyle('shape').strValue,
        n.pstyle('background-color').strValue, n.pstyle('shape-polygon-points').strValue]; });
      return seen; }""")
    legend = page.evaluate("""() => [...document.querySelectorAll('#type-list li')].map(li => {
      const shape = li.querySelector('svg.swatch > *');
      return [li.dataset.type, shape.tagName, shape.getAttribute('fill'), shape.getAttribute('points')]; })""")
    assert {row[0] for row in legend} == set(drawn)
    looks = set()
    for type_name, tag, fill, points in legend:
        shape, colour, polygon = drawn[type_name]
        assert fill == type_color(type_name)
        assert colour.replace(" ", "") == "rgb({},{},{})".format(*(int(fill[i : i + 2], 16) for i in (1, 3, 5)))
        assert (tag == "circle") == (shape == "ellipse")
        if tag == "polygon":
            pairs = zip(points.split(), polygon.split(), strict=True)
            assert all(abs(float(a) - float(b)) < 0.01 for a, b in pairs), (type_name, points, polygon)
        looks.add((fill, points))
    assert len(looks) == len(legend)  # no two types on screen share colour and shape
    assert page.errors == []
