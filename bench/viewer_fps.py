"""Frames per second of the graph viewer while one pans and zooms a big view, in headless Chromium.

Generates synthetic data with ``generate.py`` (``--size`` triples; with seed 42, 275,000 give the whole view
20,097 nodes and 87,872 links), serves it in memory on 127.0.0.1, opens ``/viewer`` in headless Chromium (the
browser tests' flags: no GPU, so WebGL is SwiftShader's, in software) and checks which renderer the page
chose (``--renderer`` forces one through the address). Then, for each way of moving, it drags the graph with
the mouse and zooms with the wheel for ``--seconds``, and counts frames two ways:

- ``raf``: ``requestAnimationFrame`` callbacks in the page (the browser runs one per frame it produces);
- ``trace``: frames in Chromium's performance trace (CDP ``Tracing``, the ``DrawFrame`` events of the
  page's compositor, category ``disabled-by-default-devtools.timeline.frame``).

With WebGL the ways of moving are ``picture`` (the last frame is moved and scaled while the camera moves,
and drawn again once it stops: what the viewer does with software WebGL) and ``live`` (every frame drawn);
it also times one full redraw (``render`` and a ``readPixels`` from each WebGL layer, which waits for the
drawing). The canvas renderer (Cytoscape) has one way, ``canvas``.

Prints a table and stores the run in ``--output`` under ``--name`` (default: renderer and node count; the
other runs in the file are kept):

    .venv/bin/python bench/viewer_fps.py [--size 275000 | --data data | --url URL] [--seconds 4] [--renderer webgl|canvas]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import procs
from generate import generate, parse_size

from tests.e2e.conftest import CHROMIUM_ARGS  # the browser tests' flags: the same browser measured

REPOSITORY = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
TRACE_CATEGORIES = "disabled-by-default-devtools.timeline.frame,devtools.timeline"

COUNT_FRAMES = """() => {
  const frames = { count: 0, gaps: [], last: performance.now(), running: true, start: performance.now() };
  window.__frames = frames;
  const step = (now) => {
    if (!frames.running) return;
    frames.count++;
    frames.gaps.push(now - frames.last);
    frames.last = now;
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}"""

STOP_FRAMES = """() => {
  const frames = window.__frames;
  frames.running = false;
  const seconds = (frames.last - frames.start) / 1000;
  const gaps = frames.gaps.slice().sort((a, b) => a - b);
  return { frames: frames.count, seconds, fps: frames.count / seconds,
           p95_ms: gaps[Math.floor(gaps.length * 0.95)] || 0, worst_ms: gaps[gaps.length - 1] || 0 };
}"""

FULL_REDRAW = """() => {
  /* the median of three full redraws, each waited for by reading a pixel of every WebGL layer */
  const renderer = window.skgWebgl.renderer();
  const pixel = new Uint8Array(4);
  const times = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    renderer.getCamera().setState({ ratio: renderer.getCamera().ratio * 0.999 });
    renderer.render();
    for (const gl of Object.values(renderer.webGLContexts)) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[1];
}"""

WEBGL_RENDERER = """() => {
  const gl = document.createElement('canvas').getContext('webgl');
  const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
  return gl ? gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) : null;
}"""


def gesture(page: Any, seconds: float) -> None:
    """Drag the graph around and zoom in and out with the wheel, for about ``seconds``."""
    box = page.locator("#graph-area").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    deadline = time.monotonic() + seconds
    turn = 0
    while time.monotonic() < deadline:
        page.mouse.move(cx, cy)
        page.mouse.down()
        dx = 220 if turn % 2 == 0 else -220
        page.mouse.move(cx + dx, cy + 120 * (1 if turn % 4 < 2 else -1), steps=25)
        page.mouse.up()
        for _ in range(4):
            page.mouse.wheel(0, -240 if turn % 2 == 0 else 240)
            page.wait_for_timeout(60)
        turn += 1


def trace_frames(events: list[dict[str, Any]]) -> dict[str, float]:
    """Frames the compositor drew, from the trace's DrawFrame events (the busiest process is the page's)."""
    by_pid: dict[int, list[float]] = {}
    for event in events:
        if event.get("name") == "DrawFrame" and "ts" in event:
            by_pid.setdefault(int(event["pid"]), []).append(float(event["ts"]))
    if not by_pid:
        return {"frames": 0, "fps": 0.0}
    stamps = sorted(by_pid[max(by_pid, key=lambda pid: len(by_pid[pid]))])
    seconds = (stamps[-1] - stamps[0]) / 1e6 if len(stamps) > 1 else 0.0
    return {"frames": len(stamps), "fps": round((len(stamps) - 1) / seconds, 1) if seconds else 0.0}


def measure(page: Any, seconds: float) -> dict[str, Any]:
    cdp = page.context.new_cdp_session(page)
    events: list[dict[str, Any]] = []
    cdp.on("Tracing.dataCollected", lambda data: events.extend(data["value"]))
    done: list[bool] = []
    cdp.on("Tracing.tracingComplete", lambda _data: done.append(True))
    cdp.send("Tracing.start", {"categories": TRACE_CATEGORIES, "transferMode": "ReportEvents"})
    page.evaluate(COUNT_FRAMES)
    started = time.monotonic()
    gesture(page, seconds)
    gesture_seconds = time.monotonic() - started
    raf = page.evaluate(STOP_FRAMES)
    cdp.send("Tracing.end")
    deadline = time.monotonic() + 30
    while not done and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    cdp.detach()
    raf = {key: round(value, 1) if isinstance(value, float) else value for key, value in raf.items()}
    return {"gesture_seconds": round(gesture_seconds, 1), "raf": raf, "trace": trace_frames(events)}


def run(url: str, seconds: float, renderer: str | None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            started = time.perf_counter()
            page.goto(url + "/viewer?view=whole" + (f"&renderer={renderer}" if renderer else ""))
            page.wait_for_selector("#stats[data-nodes]", state="attached", timeout=600_000)
            loaded = time.perf_counter() - started
            stats = page.evaluate("({...document.getElementById('stats').dataset})")
            chosen = stats.get("renderer")
            if renderer and chosen != renderer:
                raise RuntimeError(f"the viewer did not use {renderer}: {stats}")
            page.wait_for_timeout(1500)
            result: dict[str, Any] = {
                "renderer": chosen,
                "nodes": int(stats["nodes"]),
                "links": int(stats["edges"]),
                "page_seconds": round(loaded, 1),
                "webgl": page.evaluate(WEBGL_RENDERER),
                "viewport": [1400, 900],
            }
            if chosen == "webgl":
                result["full_redraw_ms"] = round(page.evaluate(FULL_REDRAW))
                for mode in ("picture", "live"):
                    page.evaluate(f"window.skgWebgl.moves('{mode}')")
                    page.wait_for_timeout(500)
                    result[mode] = measure(page, seconds)
                page.evaluate("window.skgWebgl.moves('auto')")
            else:
                result["canvas"] = measure(page, seconds)
            return result
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="275000", help="triples to generate (default 275000: about 20,000 nodes)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each pan-and-zoom gesture")
    parser.add_argument("--renderer", choices=["webgl", "canvas"], help="force a renderer (default: the viewer's choice)")
    parser.add_argument(
        "--data", type=Path, help="serve this data folder (e.g. data, the bundled data) instead of generating one"
    )
    parser.add_argument("--url", help="measure a server already running (its whole view) instead of starting one")
    parser.add_argument("--name", help="the run's key in the output file (default: renderer-size)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "skg-bench" / "viewer-fps")
    parser.add_argument("--output", type=Path, default=Path(__file__).resolve().parent / "viewer_fps.json")
    args = parser.parse_args(argv)
    procs.install_signal_handlers()
    load_before = [round(x, 2) for x in os.getloadavg()]
    server = None
    try:
        if args.url:
            url = args.url.rstrip("/")
        else:
            data = args.data.resolve() if args.data else args.workdir / f"data-{args.size}-s{args.seed}"
            if not args.data:
                generate(parse_size(args.size), args.seed, data)
            port = procs.free_port()
            env = {
                **os.environ,
                "SKG_STORE": "memory",
                "SKG_DATA_DIR": str(data),
                "SKG_REQUEST_TIMEOUT": "300",
                "SKG_QUERY_TIMEOUT": "120",
            }
            argv_ = [sys.executable, "-m", "api", "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
            server = procs.start(argv_, args.workdir / "server.log", env=env, cwd=REPOSITORY)
            url = f"http://127.0.0.1:{port}"
            procs.wait_http(url + "/queries", server, timeout=300)
        result = run(url, args.seconds, args.renderer)
    finally:
        if server is not None:
            procs.stop(server)
    result["data"] = args.url or (str(args.data) if args.data else f"generate.py --size {args.size} --seed {args.seed}")
    load_after = [round(x, 2) for x in os.getloadavg()]
    result["machine"] = {"cpus": os.cpu_count(), "load_average_before": load_before, "load_average_after": load_after}
    runs: dict[str, Any] = json.loads(args.output.read_text(encoding="utf-8")) if args.output.exists() else {}
    runs[args.name or f"{result['renderer']}-{result['nodes']}-nodes"] = result
    args.output.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    print(f"{result['nodes']} nodes, {result['links']} links, drawn with {result['renderer']}; WebGL: {result['webgl']}")
    print(
        f"page drawn in {result['page_seconds']} s"
        + (f"; one full redraw {result['full_redraw_ms']} ms" if "full_redraw_ms" in result else "")
    )
    print(f"{'moving':10} {'raf fps':>8} {'trace fps':>10} {'p95 ms':>8} {'worst ms':>9}")
    modes = [m for m in ("picture", "live", "canvas") if m in result]
    for mode in modes:
        raf, trace = result[mode]["raf"], result[mode]["trace"]
        print(f"{mode:10} {raf['fps']:8.1f} {trace['fps']:10.1f} {raf['p95_ms']:8.0f} {raf['worst_ms']:9.0f}")
    return 0 if result[modes[0]]["trace"]["fps"] >= 30 else 1


if __name__ == "__main__":
    sys.exit(main())
