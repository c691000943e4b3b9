"""The viewer's WebGL renderer (sigma.js over graphology) in a real headless Chromium against a real server.

Views above the viewer's threshold (``WEBGL_THRESHOLD`` in ``viewer.js``) are drawn with WebGL, smaller ones
with Cytoscape unless the address asks (``renderer=webgl``). What is checked is what reaches the screen, not
the renderer's own bookkeeping: the nodes written into the WebGL node program's buffer (and coloured pixels in
its layer) against the API's nodes, every label as the labels canvas receives it (``fillText``, measured with
``measureText``), the details panel against the API's links and their evidence, and policy violations under a
Content-Security-Policy stricter than the service's (no worker of any kind).

The big view comes from ``bench/generate.py`` (``BIG_TRIPLES``: a view a little above the threshold, so that
the test stays quick); the frame rate at about 20,000 nodes is measured by ``bench/viewer_fps.py`` instead.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from api.security import CONTENT_SECURITY_POLICY
from api.settings import REPOSITORY
from graph.network.styles import type_color, type_shape
from tests.conftest import serving
from tests.e2e.conftest import TIMEOUT_MS, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.server]

ID = "https://w3id.org/solidarity-kg/id/"
ITALY = ID + "actor/state/ITA"
BIG_TRIPLES = 50_000
"""Synthetic triples whose whole view is a little above the WebGL threshold (4,343 nodes with seed 42)."""

STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self'; worker-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
"""The service's policy without its style hashes and without workers: the WebGL viewer needs neither."""
DROPPED_HEADERS = {"content-security-policy", "content-security-policy-report-only", "content-encoding", "content-length"}

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI} `
                              + `at ${event.sourceFile}:${event.lineNumber}`);
});
/* every text drawn on sigma's labels canvas, with the box of its ink as the canvas measures it */
window.__labels = [];
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
  if (this.canvas.classList.contains("sigma-labels")) {
    const m = this.measureText(text);
    window.__labels.push({ text: String(text), x1: x - m.actualBoundingBoxLeft, x2: x + m.actualBoundingBoxRight,
                           y1: y - m.actualBoundingBoxAscent, y2: y + m.actualBoundingBoxDescent,
                           width: this.canvas.clientWidth, height: this.canvas.clientHeight });
  }
  return fillText.call(this, text, x, y, ...rest);
};
"""

DRAWN_NODES = """() => {
  /* the nodes of sigma's node program buffer with a size: what the next frame draws (hidden ones are zeroed) */
  const renderer = window.skgWebgl.renderer();
  const program = renderer.nodePrograms.shape;
  return Object.entries(renderer.nodeProgramIndex)
    .filter(([key, position]) => program.array[position * program.STRIDE + 2] > 0).map(([key]) => key).sort();
}"""

PAINTED = """() => {
  /* the share of the nodes layer that is painted, read in the task that drew it */
  const renderer = window.skgWebgl.renderer();
  renderer.render();
  const gl = renderer.webGLContexts.nodes;
  const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight, pixels = new Uint8Array(w * h * 4);
  gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  let n = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) n++;
  return n / (w * h);
}"""

LABELS_OF_A_FRAME = """() => {
  /* one frame drawn now: its labels, the pairs of them whose ink overlaps, those cut by the canvas's edge */
  window.__labels = [];
  window.skgWebgl.renderer().render();
  const labels = window.__labels.slice();
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
    const a = labels[i], b = labels[j];
    if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) pairs++;
  }
  const cut = labels.filter((l) => l.x1 < 0 || l.y1 < 0 || l.x2 > l.width || l.y2 > l.height).map((l) => l.text);
  return { texts: labels.map((l) => l.text), pairs, cut };
}"""

NODE_POINT = """(key) => {
  const renderer = window.skgWebgl.renderer();
  const point = renderer.framedGraphToViewport(renderer.getNodeDisplayData(key));
  const box = document.getElementById('sigma').getBoundingClientRect();
  return { x: box.left + point.x, y: box.top + point.y };
}"""

FOCUS_ON = """(key) => {
  /* the camera on a node, zoomed in, and one frame drawn there (picking reads the last frame) */
  const renderer = window.skgWebgl.renderer();
  const data = renderer.getNodeDisplayData(key);
  renderer.getCamera().setState({ x: data.x, y: data.y, ratio: 0.05 });
  renderer.render();
}"""


def open_page(browser: Any) -> Any:
    """A page whose every response carries ``STRICT_CSP``, with the errors, violations and labels it records."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)

    def with_policy(route: Any) -> None:
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items() if k.lower() not in DROPPED_HEADERS}
        headers["content-security-policy"] = STRICT_CSP
        route.fulfill(response=response, headers=headers)

    context.route("**/*", with_policy)
    context.add_init_script(WATCH)
    return watched_page(context)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    opened = open_page(browser)
    try:
        yield opened
    finally:
        opened.context.close()


def cyjs(base: str, view: str, **params: str) -> dict[str, Any]:
    """A view as the viewer asks for it: its nodes by IRI, its links, and the links of every node."""
    answer = httpx.get(f"{base}/views/{view}", params={**params, "format": "cyjs"}, timeout=120)
    answer.raise_for_status()
    elements = answer.json()["elements"]
    edges = [e["data"] for e in elements["edges"]]
    links: dict[str, list[dict[str, Any]]] = {n["data"]["id"]: [] for n in elements["nodes"]}
    for edge in edges:
        links[edge["source"]].append(edge)
        if edge["target"] != edge["source"]:
            links[edge["target"]].append(edge)
    return {"nodes": {n["data"]["id"]: n["data"] for n in elements["nodes"]}, "edges": edges, "links": links}


def wait_for_view(page: Any, renderer: str = "webgl") -> dict[str, str]:
    """Wait until the viewer has drawn a view with ``renderer``; return the stats' data (nodes, edges…)."""
    page.wait_for_selector("#stats[data-nodes]", state="attached", timeout=TIMEOUT_MS)
    stats: dict[str, str] = page.evaluate("({...document.getElementById('stats').dataset})")
    assert stats["renderer"] == renderer, (stats, page.text_content("#status"))
    if renderer == "webgl":
        assert page.is_hidden("#cy") and page.is_visible("#sigma")
        page.wait_for_function(f"() => window.skgWebgl.graph().order === {int(stats['nodes'])}")
    return stats


def wait_for_drawn(page: Any, expected: set[str]) -> None:
    """Wait until the node buffer holds exactly ``expected`` (it is refilled at the next frame)."""
    page.wait_for_function(f"() => ({DRAWN_NODES})().length === {len(expected)}", timeout=TIMEOUT_MS)
    assert set(page.evaluate(DRAWN_NODES)) == expected


def evidence_of(view: dict[str, Any], key: str) -> tuple[list[str], int]:
    """The locators of a node's links, sorted, as the details panel lists them, and how many links it has."""
    links = view["links"][key]
    locators = sorted({label for link in links for label in str(link.get("evidence") or "").split("; ") if label})
    return locators, len(links)


def assert_details(page: Any, view: dict[str, Any], key: str) -> None:
    node = view["nodes"][key]
    page.wait_for_function("(label) => document.getElementById('details-label').textContent === label", arg=node["label"])
    assert page.is_visible("#details")
    assert page.text_content("#details-type") == node["type"]
    assert page.get_attribute("#details-iri", "href") == "/id/" + key.removeprefix(ID)
    locators, count = evidence_of(view, key)
    assert page.text_content("#details-link-count") == f"({count})"
    shown = page.eval_on_selector_all("#details-evidence li", "items => items.map(i => i.textContent)")
    assert shown == (locators or ["no locator on these links"])


def assert_clean(page: Any) -> None:
    page.wait_for_timeout(300)  # violation events are dispatched as tasks
    assert page.evaluate("window.__cspViolations") == []
    assert page.errors == []


def test_the_policy_of_these_tests_is_the_services_without_style_hashes_or_workers(live_server: str) -> None:
    """The policy the tests put on the page is the service's, minus its style hashes and its workers."""
    served = httpx.get(live_server + "/viewer", timeout=30).headers["content-security-policy"]
    assert served == CONTENT_SECURITY_POLICY
    directives = dict(part.strip().split(" ", 1) for part in served.split(";"))
    strict = dict(part.strip().split(" ", 1) for part in STRICT_CSP.split(";"))
    assert directives["script-src"] == strict["script-src"] == "'self'"
    assert {k: v for k, v in directives.items() if k not in {"style-src", "worker-src"}} == {
        k: v for k, v in strict.items() if k not in {"style-src", "worker-src"}
    }


def test_a_small_view_stays_on_cytoscape_unless_the_address_asks_for_webgl(live_server: str, page: Any) -> None:
    page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA")
    stats = wait_for_view(page, "canvas")
    assert int(stats["nodes"]) == page.evaluate("window.skgViewer.cy.nodes().length") > 0
    assert page.is_visible("#cy") and page.is_hidden("#sigma") and not page.is_disabled("#relayout")
    # no WebGL library is loaded for a small view
    assert page.evaluate("[typeof window.Sigma, typeof window.graphology]") == ["undefined", "undefined"]
    page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA&renderer=webgl")
    assert wait_for_view(page)["nodes"] == stats["nodes"]
    assert page.is_disabled("#relayout")  # big views keep the service's layout
    assert_clean(page)


def test_small_view_forced_to_webgl_draws_the_api_nodes_and_a_click_shows_details(live_server: str, page: Any) -> None:
    view = cyjs(live_server, "ego", node="actor/state/ITA")
    nodes = view["nodes"]
    page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA&renderer=webgl")
    stats = wait_for_view(page)
    assert int(stats["nodes"]) == len(nodes) < page.evaluate("window.skgViewer.WEBGL_THRESHOLD")
    assert int(stats["edges"]) == len(view["edges"])
    assert "renderer=webgl" in page.url
    wait_for_drawn(page, set(nodes))
    assert page.evaluate(PAINTED) > 0.001
    # every node in its type's colour and shape, as the canvas renderer and the legend give them
    drawn = page.evaluate("""() => { const out = {};
      window.skgWebgl.graph().forEachNode((key, a) => { out[key] = [a.kind, a.color, a.shape]; }); return out; }""")
    shapes = page.evaluate("window.skgViewer.helpers.ALL_SHAPES")
    for key, (kind, colour, shape) in drawn.items():
        assert kind == nodes[key]["type"]
        assert colour == type_color(kind) and shapes[shape] == type_shape(kind), key
    # the centre is selected on opening, its label drawn, and no two labels overlap
    assert_details(page, view, ITALY)
    labels = page.evaluate(LABELS_OF_A_FRAME)
    assert nodes[ITALY]["label"] in labels["texts"] and len(labels["texts"]) > 5 and labels["pairs"] == 0 and not labels["cut"], (
        labels
    )
    # a click on another node with the mouse shows its details and evidence
    other = max((k for k in nodes if k != ITALY), key=lambda k: (len(evidence_of(view, k)[0]), k))
    assert evidence_of(view, other)[0]
    page.evaluate("window.skgWebgl.renderer().getCamera().setState({ x: 0.5, y: 0.5, ratio: 1 })")
    page.wait_for_timeout(300)
    point = page.evaluate(NODE_POINT, other)
    page.mouse.click(point["x"], point["y"])
    assert_details(page, view, other)
    assert "selected=" + other.removeprefix(ID).replace("/", "%2F") in page.url
    # a type hidden in the legend is no longer drawn, and the counts say so
    hidden_type = page.get_attribute("#type-list li:first-child", "data-type")
    page.uncheck("#type-list li:first-child input")
    kept = {k for k, n in nodes.items() if n["type"] != hidden_type}
    wait_for_drawn(page, kept)
    assert page.evaluate("Number(document.getElementById('stats').dataset.visible)") == len(kept)
    assert "hide_types=" + hidden_type in page.url
    assert_clean(page)


def test_expand_and_a_path_in_webgl_add_what_the_api_gives(live_server: str, page: Any) -> None:
    view = cyjs(live_server, "ego", node="actor/state/ITA")
    page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA&renderer=webgl")
    wait_for_view(page)
    other = sorted(k for e in view["links"][ITALY] for k in (e["source"], e["target"]) if k != ITALY and k.startswith(ID))[0]
    page.click(f'#details-links button[title="{other}"]')
    assert_details(page, view, other)
    page.click("#expand")
    ego = cyjs(live_server, "ego", node=other, depth="1")
    wait_for_drawn(page, set(view["nodes"]) | set(ego["nodes"]))
    assert "expanded=" + other.removeprefix(ID).replace("/", "%2F") in page.url
    # a path of one link from it to one of its neighbours, marked on screen
    target = sorted(k for e in ego["links"][other] for k in (e["source"], e["target"]) if k != other)[0]
    page.click("#path-start")
    page.click(f'#details-links button[title="{target}"]')
    page.click("#path-end")
    page.wait_for_selector("#path-steps li")
    assert page.text_content("#path-to") == ego["nodes"][target]["label"]
    assert "path_from=" in page.url and "path_to=" in page.url
    page.wait_for_function("(key) => window.skgWebgl.renderer().getNodeDisplayData(key).borderColor === '#d55e00'", arg=target)
    assert_clean(page)


def test_picture_download_and_search_work_in_webgl(live_server: str, page: Any, tmp_path: Path) -> None:
    page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA&renderer=webgl&selected=")
    wait_for_view(page)
    assert page.is_hidden("#details")
    page.fill("#search", "Italy")
    page.wait_for_selector("#search-results li button")
    page.click("#search-results li button")
    page.wait_for_function("() => document.getElementById('details-label').textContent !== ''")
    with page.expect_download() as download:
        page.click("#save-png")
    picture = tmp_path / "view.png"
    download.value.save_as(picture)
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 5_000
    assert "renderer" not in (page.get_attribute("#download-link", "href") or "")
    assert_clean(page)


# --------------------------------------------------------------------------- a view above the threshold


@pytest.fixture(scope="module")
def big_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app serving synthetic data whose whole view is just above the WebGL threshold (in memory)."""
    folder = tmp_path_factory.mktemp("big")
    data = folder / "data"
    generator = [sys.executable, str(REPOSITORY / "bench" / "generate.py"), "--size", str(BIG_TRIPLES), "--out", str(data)]
    subprocess.run(generator, check=True, capture_output=True, timeout=120)
    env = {"SKG_STORE": "memory", "SKG_DATA_DIR": str(data), "SKG_WORKERS": "1", "SKG_PUBLIC_WORKERS": "1"}
    with serving(env, folder, timeout=120) as base:
        yield base


def drag(page: Any, dx: float, dy: float, steps: int = 15) -> None:
    box = page.locator("#sigma").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=steps)
    page.mouse.up()


def test_a_view_above_the_threshold_switches_to_webgl_draws_filters_selects_and_moves(big_server: str, page: Any) -> None:
    view = cyjs(big_server, "whole")
    nodes = view["nodes"]
    page.goto(big_server + "/viewer")
    stats = wait_for_view(page)
    assert int(stats["nodes"]) == len(nodes) > page.evaluate("window.skgViewer.WEBGL_THRESHOLD")
    assert int(stats["edges"]) == len(view["edges"])
    assert "renderer" not in urlsplit(page.url).query  # chosen by size, not by the address
    assert page.text_content("#stats") == f"{len(nodes)} nodes, {len(view['edges'])} links"
    wait_for_drawn(page, set(nodes))
    assert page.evaluate(PAINTED) > 0.05
    labels = page.evaluate(LABELS_OF_A_FRAME)
    assert labels["texts"] and labels["pairs"] == 0 and not labels["cut"], labels

    # filters: a type hidden is not drawn; the State filter keeps the State and what is linked to it
    counts = Counter(n["type"] for n in nodes.values())
    hidden_type = counts.most_common(1)[0][0]
    page.uncheck(f'#type-list li[data-type="{hidden_type}"] input')
    wait_for_drawn(page, {k for k, n in nodes.items() if n["type"] != hidden_type})
    page.check(f'#type-list li[data-type="{hidden_type}"] input')
    wait_for_drawn(page, set(nodes))
    state = max((k for k, n in nodes.items() if n["type"] == "State"), key=lambda k: (evidence_of(view, k)[1], k))
    page.select_option("#state-select", state)
    near = {state} | {e["source"] for e in view["links"][state]} | {e["target"] for e in view["links"][state]}
    wait_for_drawn(page, near)
    assert "near_state=" in page.url
    page.click("#filters-clear")
    wait_for_drawn(page, set(nodes))

    # a click on a node with the mouse shows its details and the evidence of its links
    key = max((k for k in nodes if k.startswith(ID)), key=lambda k: (len(evidence_of(view, k)[0]), k))
    page.evaluate(FOCUS_ON, key)
    point = page.evaluate(NODE_POINT, key)
    page.mouse.click(point["x"], point["y"])
    assert_details(page, view, key)
    labels = page.evaluate(LABELS_OF_A_FRAME)
    assert nodes[key]["label"][:20] in " ".join(labels["texts"]) and labels["pairs"] == 0 and not labels["cut"], labels

    # software WebGL: while the camera moves, the last frame is moved (a CSS transform) instead of drawn again
    renderer = page.evaluate("window.skgWebgl.renderer().webGLContexts.nodes.getParameter(WebGLRenderingContext.RENDERER)")
    assert page.evaluate("window.skgWebgl.moves()") is True, renderer  # headless Chromium's WebGL is software
    before = page.evaluate("window.skgWebgl.renderer().getCamera().getState()")
    page.evaluate("window.__moves = 0; window.skgWebgl.renderer().on('afterMove', () => window.__moves++)")
    box = page.locator("#sigma").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 200, y + 80, steps=15)
    moved = page.evaluate("document.querySelector('#sigma canvas.sigma-nodes').style.transform")
    hover_layer = page.evaluate("document.querySelector('#sigma canvas.sigma-hovers').style.visibility")
    page.mouse.up()
    for _ in range(3):
        page.mouse.wheel(0, -240)
        page.wait_for_timeout(50)
    after = page.evaluate("window.skgWebgl.renderer().getCamera().getState()")
    assert after["x"] != before["x"] and after["ratio"] < before["ratio"], (before, after)
    assert moved.startswith("translate(") and hover_layer == "hidden" and page.evaluate("window.__moves") >= 10
    # drawn again once the camera stops: no transform left, and the labels of the new frame do not overlap
    page.wait_for_function("() => document.querySelector('#sigma canvas.sigma-nodes').style.transform === ''", timeout=TIMEOUT_MS)
    assert page.evaluate("document.querySelector('#sigma canvas.sigma-hovers').style.visibility") == ""
    assert page.evaluate(LABELS_OF_A_FRAME)["pairs"] == 0
    assert_clean(page)


def test_a_view_drawn_too_slowly_while_moving_switches_to_moving_its_last_frame(live_server: str, page: Any) -> None:
    """A small view is drawn live; made slow (the CPU throttled twenty times: at six a fast moment drew some
    frames within 50 ms, and the test depended on the machine's speed), two slow frames in a row switch it."""
    page.goto(live_server + "/viewer?view=ego&node=actor/state/ITA&renderer=webgl")
    wait_for_view(page)
    assert page.evaluate("window.skgWebgl.moves()") is False  # small: every frame drawn
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 20})
    try:
        page.evaluate("window.skgWebgl.moves('live')")
        drag(page, 200, 80, steps=8)
        assert page.evaluate("window.skgWebgl.moves()") is False  # forced live stays live
        page.evaluate("window.skgWebgl.moves('auto')")
        assert page.evaluate("window.skgWebgl.moves()") is False
        drag(page, -200, -80, steps=8)
        assert page.evaluate("window.skgWebgl.moves()") is True
    finally:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    page.wait_for_function("() => document.querySelector('#sigma canvas.sigma-nodes').style.transform === ''", timeout=TIMEOUT_MS)
    assert_clean(page)
