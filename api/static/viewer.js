/* The solidarity-kg graph viewer.
 *
 * It is a client of the public API: GET /views lists the views and formats,
 * GET /views/{view}?format=cyjs returns the elements, GET /graph/paths finds
 * a path, and GET /viewer/export downloads what is shown (the same address,
 * plus a format). Every piece of data is put into the page with textContent
 * or as an attribute value, never as HTML.
 *
 * Layout: views up to FCOSE_LIMIT nodes are laid out here with fCoSE (seeded,
 * so an address always gives the same picture); larger views keep the
 * positions the service computed (fCoSE takes 9-40 s on the 1,100 nodes of the
 * whole view). Either way `separate` then moves nodes apart until no two node
 * boxes overlap. Labels are placed by `placeLabels`: by priority (selected
 * node, path, neighbours, matches, then degree), at a fixed size on screen,
 * and only where they overlap no other label and no node; the rest show on
 * hover, in the tooltip, or when zoomed in.
 *
 * Renderer: views of more than WEBGL_THRESHOLD nodes are drawn by viewer-webgl.js (sigma.js, WebGL)
 * instead of Cytoscape; `renderer=webgl|canvas` in the address forces either. The details, filters,
 * legends, path and address stay here; the helpers both renderers use are in `window.skgViewer.helpers`.
 */
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const ID = "https://w3id.org/solidarity-kg/id/";
  const FCOSE_LIMIT = 600;
  const WEBGL_THRESHOLD = 3000;  /* views with more nodes than this are drawn with WebGL (viewer-webgl.js) */
  const MAX_FIT_ZOOM = 2;
  const LABEL_PX = 12;
  const EDGE_LABEL_PX = 11;
  const LINE_HEIGHT = 1.25;
  const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';
  const GAP = 4;               /* model units kept free around every node box */
  const CY_PAD = 3.3;          /* model units Cytoscape adds around a label's box */
  const SHORT_WIDTH = 20;      /* characters per line of a short label, two lines at most */
  const FULL_WIDTH = 34;       /* characters per line of a full label */
  const EDGE_LABELS_MAX = 12;
  const HUBS = 15;             /* labels of this many best-linked nodes may cover other nodes */  /* the selected node's links are labelled when it has this many or fewer */
  const COLORS = { ink: "#1d2330", edge: "#878f9e", neighbour: "#1a4f8b", path: "#d55e00", outline: "#4a5468" };
  const PLACEHOLDERS = { types: "e.g. State,Practice", predicates: "e.g. carriedOutBy,location",
                         node: "IRI or id, e.g. actor/state/DEU", practice: "id, e.g. A-73-206-10-1" };
  const VIEWER_PARAMETERS = ["hide_types", "hide_relations", "date_from", "date_to", "near_state", "cited_in",
                             "expanded", "path_from", "path_to", "selected", "renderer"];
  const DATE = /^\d{4}(-\d{2}(-\d{2})?)?/;

  /* Node shapes as polygons in [-1, 1]: the canvas, the legend and the SVG export draw the same outline. */
  function ngon(sides, rotation) {
    const points = [];
    for (let i = 0; i < sides; i++) {
      const angle = rotation + (2 * Math.PI * i) / sides;
      points.push(Math.cos(angle), Math.sin(angle));
    }
    return points;
  }
  function star() {
    const points = [];
    for (let i = 0; i < 10; i++) {
      const angle = -Math.PI / 2 + (Math.PI * i) / 5;
      const r = i % 2 === 0 ? 1 : 0.45;
      points.push(r * Math.cos(angle), r * Math.sin(angle));
    }
    return points;
  }
  const SHAPES = {
    rectangle: [-0.85, -0.85, 0.85, -0.85, 0.85, 0.85, -0.85, 0.85],
    "round-rectangle": [-0.9, -0.5, -0.5, -0.9, 0.5, -0.9, 0.9, -0.5, 0.9, 0.5, 0.5, 0.9, -0.5, 0.9, -0.9, 0.5],
    diamond: [0, -1, 1, 0, 0, 1, -1, 0],
    triangle: [0, -1, 1, 0.85, -1, 0.85],
    hexagon: ngon(6, 0),
    star: star(),
    vee: [-1, -0.9, 0, -0.2, 1, -0.9, 0, 1],
    pentagon: ngon(5, -Math.PI / 2),
    octagon: ngon(8, Math.PI / 8),
    rhomboid: [-0.6, -0.8, 1, -0.8, 0.6, 0.8, -1, 0.8],
    tag: [-1, -0.8, 0.4, -0.8, 1, 0, 0.4, 0.8, -1, 0.8],
    barrel: [-0.8, -0.95, 0.8, -0.95, 1, -0.5, 1, 0.5, 0.8, 0.95, -0.8, 0.95, -1, 0.5, -1, -0.5],
  };
  /* Cytoscape's hit test casts a ray through the click: a vertex exactly level with the node's centre
   * makes a click on the centre miss, so no coordinate is left at 0. */
  for (const name of Object.keys(SHAPES)) {
    SHAPES[name] = SHAPES[name].map((v) => (Math.abs(v) < 0.01 ? 0.013 : Math.round(v * 1000) / 1000));
  }
  const ALL_SHAPES = ["ellipse", ...Object.keys(SHAPES)];

  const STYLES = JSON.parse(($("viewer-styles") || { textContent: "{}" }).textContent || "{}");
  const KNOWN = STYLES.types || {};

  const state = {
    views: new Map(), formats: [], view: null, params: new URLSearchParams(), selected: null,
    expanded: [], path: { from: null, to: null, steps: [] }, pendingSelection: undefined, centre: null,
    filters: { hideTypes: new Set(), hideRelations: new Set(), dateFrom: "", dateTo: "", nearState: "", citedIn: "" },
    typeStyles: new Map(), zoomStyled: null, matches: new Set(), loading: false,
    renderer: "canvas", rendererChoice: "",
  };

  const cy = cytoscape({ container: $("cy"), minZoom: 0.02, maxZoom: 6, style: buildStyle(1) });
  window.skgViewer = { cy, state, SHAPES, WEBGL_THRESHOLD };
  /* The WebGL renderer (viewer-webgl.js) while it draws the current view, else null. */
  const webgl = () => (state.renderer === "webgl" && window.skgWebgl ? window.skgWebgl : null);
  window.skgViewer.helpers = {
    $, COLORS, FONT, LABEL_PX, ALL_SHAPES, KNOWN, setStatus, fetchJson, viewUrl, shortId, localName, wrapWords, edgeId,
    typeStylesFor, keptBy, renderLegendsFrom, setIriLink, writeAddress, renderPath, hideTooltip, renderEvidence,
    renderMatches, boxGrid,
  };

  /* ------------------------------------------------------------------ small helpers */

  function setStatus(text, isError) {
    $("status").textContent = text || "";
    $("status").classList.toggle("error", Boolean(isError));
  }

  async function fetchJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await response.json(); } catch (error) { body = null; }
    if (!response.ok) {
      const message = body && body.message ? body.message : `${response.status} ${response.statusText}`;
      throw new Error(message);
    }
    return body;
  }

  function viewUrl(name, params, format) {
    const query = new URLSearchParams(params);
    query.set("format", format);
    return `/views/${encodeURIComponent(name)}?${query.toString()}`;
  }

  /* IRIs of our namespace are written as id paths in the address (the API accepts both). */
  function shortId(iri) { return iri && iri.startsWith(ID) ? iri.slice(ID.length) : iri || ""; }
  function fullId(text) {
    const value = String(text || "").trim();
    if (!value) return "";
    return /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : ID + value;
  }
  function localName(iri) { return String(iri || "").split("#").pop().split("/").pop(); }
  function typeOf(node) { return node.data("type") || "Resource"; }
  function relationOf(edge) { return localName(edge.data("relation") || edge.data("key") || ""); }
  function labelOf(node) { return String(node.data("label") || node.id()); }
  function documentOf(locator) { return locator.split(", ")[0]; }
  function locators(edge) { return String(edge.data("evidence") || "").split("; ").filter(Boolean); }

  /* A label in lines of at most `width` characters, broken between words; with `maxLines`, what does
   * not fit ends in "…" after a whole word (the full label is in the tooltip and the details). */
  function wrapWords(text, width, maxLines) {
    const words = String(text).split(/\s+/).filter(Boolean);
    const lines = [];
    let line = "";
    for (const word of words) {
      if (!line) line = word;
      else if (line.length + 1 + word.length <= width) line += " " + word;
      else { lines.push(line); line = word; }
    }
    if (line) lines.push(line);
    const long = 2 * width;
    const clipped = lines.map((l) => (l.length > long ? l.slice(0, long - 1) + "…" : l));
    if (maxLines && clipped.length > maxLines) {
      const kept = clipped.slice(0, maxLines);
      kept[maxLines - 1] = kept[maxLines - 1].replace(/[,;:.]?$/, "") + "…";
      return kept;
    }
    return clipped;
  }

  const measurer = document.createElement("canvas").getContext("2d");
  const widths = new Map();
  function textWidth(text, px, weight) {
    const key = `${weight}|${px}|${text}`;
    if (!widths.has(key)) {
      measurer.font = `normal ${weight} ${px}px ${FONT}`;
      widths.set(key, measurer.measureText(text).width);
    }
    return widths.get(key);
  }

  /* A pseudo-random sequence from a seed (mulberry32), so that a layout run is the same every time. */
  function withSeed(seed, run) {
    const original = Math.random;
    let value = seed >>> 0;
    Math.random = () => {
      value = (value + 0x6d2b79f5) >>> 0;
      let t = value;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    if (window.layoutBase && window.layoutBase.RandomSeed) window.layoutBase.RandomSeed.seed = 1;
    try { return run(); } finally { Math.random = original; }
  }

  /* ------------------------------------------------------------------ style */

  function typeRules() {
    return [...state.typeStyles.values()].map((style) => {
      const rule = { "background-color": style.color, shape: style.shape === "ellipse" ? "ellipse" : "polygon" };
      if (style.shape !== "ellipse") rule["shape-polygon-points"] = SHAPES[style.shape].join(" ");
      return { selector: `node.${style.cls}`, style: rule };
    });
  }

  /* Sizes of text and lines are in screen pixels: model units divided by the zoom. */
  function buildStyle(zoom) {
    const px = (value) => value / zoom;
    return [
      { selector: "node", style: {
        "background-color": "#dddddd", "width": "data(size)", "height": "data(size)", "label": "",
        "border-width": 1, "border-color": COLORS.outline, "font-family": FONT, "font-size": px(LABEL_PX),
        "line-height": LINE_HEIGHT, "color": COLORS.ink, "text-valign": "bottom", "text-halign": "center",
        "text-margin-y": px(3), "text-wrap": "wrap", "text-max-width": px(600), "min-zoomed-font-size": 0,
        "text-background-color": "#ffffff", "text-background-opacity": 0.9, "text-background-padding": px(1.5),
        "text-background-shape": "round-rectangle" } },
      { selector: "edge", style: {
        "width": px(state && state.crowded ? 0.5 : 1), "line-color": COLORS.edge, "curve-style": "bezier", "target-arrow-shape": "triangle",
        "target-arrow-color": COLORS.edge, "arrow-scale": 0.7, "font-family": FONT, "font-size": px(EDGE_LABEL_PX),
        "line-height": LINE_HEIGHT, "min-zoomed-font-size": 0, "color": "#7a1238", "text-background-color": "#ffffff",
        "text-background-opacity": 1, "text-background-padding": px(1), "text-rotation": "none" } },
      { selector: "edge.no-evidence", style: { "line-style": "dashed", "line-dash-pattern": [px(4), px(3)] } },
      ...(state ? typeRules() : []),
      { selector: "node.label-short", style: { "label": "data(short)", "z-index": 12 } },  /* drawn above unlabelled nodes */
      { selector: "node.label-full", style: { "label": "data(full)", "font-weight": 600, "z-index": 20 } },
      { selector: "node.match", style: { "border-width": 3, "border-style": "dashed", "border-color": COLORS.ink } },
      { selector: "node.neighbour", style: { "z-index": 9 } },
      { selector: "edge.neighbour", style: { "line-color": COLORS.neighbour, "target-arrow-color": COLORS.neighbour,
        "width": px(2.2), "opacity": 1, "z-index": 9 } },
      { selector: "edge.label-edge", style: { "label": "data(label)" } },
      { selector: "node.faded", style: { "background-opacity": 0.3, "border-opacity": 0.4 } },
      { selector: "edge.faded", style: { "opacity": 0.15 } },
      { selector: "node.on-path", style: { "border-width": 3, "border-color": COLORS.path, "z-index": 15 } },
      { selector: "edge.on-path", style: { "line-color": COLORS.path, "target-arrow-color": COLORS.path, "width": px(4),
        "opacity": 1, "z-index": 15 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#000000", "z-index": 20 } },
      { selector: ".filtered", style: { "display": "none" } },
    ];
  }

  function restyle(force) {
    const zoom = cy.zoom();
    if (!force && state.zoomStyled && Math.abs(Math.log(zoom / state.zoomStyled)) < 0.02) return;
    state.zoomStyled = zoom;
    cy.style(buildStyle(zoom));
  }

  /* Colour from the data (the service's type_color), shape from the type table; a type the table does not
   * know gets a shape that no other type on screen has with the same colour. */
  function assignTypeStyles() {
    const seen = new Map();
    cy.nodes().forEach((node) => {
      const type = typeOf(node);
      if (!seen.has(type)) seen.set(type, (KNOWN[type] && KNOWN[type].color) || node.data("color") || "#dddddd");
    });
    const styles = typeStylesFor(seen);
    cy.batch(() => {
      for (const style of state.typeStyles.values()) cy.nodes().removeClass(style.cls);
      cy.nodes().forEach((node) => node.addClass(styles.get(typeOf(node)).cls));
    });
    state.typeStyles = styles;
    restyle(true);
  }

  /* The style of every type of a view, from its colour (a Map type -> colour): shared with viewer-webgl.js. */
  function typeStylesFor(seen) {
    const taken = new Set();
    const styles = new Map();
    const known = [...seen.keys()].filter((t) => KNOWN[t]).sort();
    const unknown = [...seen.keys()].filter((t) => !KNOWN[t]).sort();
    let index = 0;
    for (const type of [...known, ...unknown]) {
      const color = seen.get(type);
      const order = KNOWN[type] ? [KNOWN[type].shape] : [...(STYLES.fallback_shapes || []), ...ALL_SHAPES];
      const shape = order.find((s) => !taken.has(`${color} ${s}`) && (s === "ellipse" || SHAPES[s]))
        || ALL_SHAPES.find((s) => !taken.has(`${color} ${s}`)) || "ellipse";
      taken.add(`${color} ${shape}`);
      styles.set(type, { type, color, shape, cls: `t${index++}`, family: KNOWN[type] ? KNOWN[type].family : "other" });
    }
    return styles;
  }

  /* ------------------------------------------------------------------ elements */

  function edgeId(data) {
    return `${data.source} ${data.key || data.relation} ${data.target}`;
  }

  function prepareNode(data) {
    const label = String(data.label || data.id);
    return { ...data, label, short: wrapWords(label, SHORT_WIDTH, 2).join("\n"), full: wrapWords(label, FULL_WIDTH).join("\n"),
             size: Number(data.size) > 0 ? Number(data.size) : 12 };
  }

  function toElements(payload) {
    const nodes = payload.elements.nodes.map((node) => ({ group: "nodes", data: prepareNode(node.data), position: node.position }));
    const edges = payload.elements.edges.map((edge) => ({
      group: "edges", data: { ...edge.data, id: edgeId(edge.data) }, classes: edge.data.evidence ? "" : "no-evidence",
    }));
    return { nodes, edges };
  }

  /* Add what is not there yet; new nodes without a position go on a ring around `centre`. */
  function addElements(nodes, edges, centre) {
    const fresh = nodes.filter((n) => cy.getElementById(n.data.id).empty());
    const radius = 60 + 6 * fresh.length;
    fresh.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, fresh.length);
      n.position = { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) };
    });
    cy.add(fresh);
    cy.add(edges.filter((e) => cy.getElementById(e.data.id).empty()
      && cy.getElementById(e.data.source).nonempty() && cy.getElementById(e.data.target).nonempty()));
    return fresh.length;
  }

  /* ------------------------------------------------------------------ layout */

  /* Move nodes apart until no two node boxes (plus GAP) overlap: each overlapping pair is pushed apart
   * along the axis where it overlaps least. Deterministic; a few rounds for the whole view. */
  function separate() {
    const nodes = cy.nodes().toArray();
    if (nodes.length < 2) return;
    const items = nodes.map((node) => {
      const box = node.boundingBox({ includeLabels: false, includeOverlays: false });
      const p = node.position();
      return { x: p.x, y: p.y, hw: box.w / 2 + GAP, hh: box.h / 2 + GAP };
    });
    const cell = Math.max(...items.map((i) => 2 * Math.max(i.hw, i.hh)));
    for (let round = 0; round < 3000; round++) {
      const grid = new Map();
      items.forEach((item, index) => {
        const key = `${Math.floor(item.x / cell)} ${Math.floor(item.y / cell)}`;
        if (!grid.has(key)) grid.set(key, []);
        grid.get(key).push(index);
      });
      let moved = 0;
      items.forEach((a, i) => {
        const cx = Math.floor(a.x / cell), cyy = Math.floor(a.y / cell);
        for (let gx = cx - 1; gx <= cx + 1; gx++) {
          for (let gy = cyy - 1; gy <= cyy + 1; gy++) {
            for (const j of grid.get(`${gx} ${gy}`) || []) {
              if (j <= i) continue;
              const b = items[j];
              const dx = b.x - a.x, dy = b.y - a.y;
              const ox = a.hw + b.hw - Math.abs(dx), oy = a.hh + b.hh - Math.abs(dy);
              if (ox <= 0 || oy <= 0) continue;
              moved++;
              if (ox < oy) {
                const shift = (ox / 2 + 0.05) * (dx < 0 ? -1 : 1);
                a.x -= shift; b.x += shift;
              } else {
                const shift = (oy / 2 + 0.05) * (dy < 0 ? -1 : 1);
                a.y -= shift; b.y += shift;
              }
            }
          }
        }
      });
      if (!moved) break;
    }
    cy.batch(() => nodes.forEach((node, i) => node.position({ x: items[i].x, y: items[i].y })));
  }

  /* Small separate pieces of the graph go in rows beside the largest one, so that a few far-away
   * pieces do not shrink the picture of the rest. */
  function packComponents() {
    const pieces = cy.elements().components().sort((a, b) => b.nodes().length - a.nodes().length);
    if (pieces.length < 2) return;
    const main = pieces[0].boundingBox({ includeLabels: false });
    const left = main.x2 + 80, right = left + Math.max(main.w * 0.5, 300);
    let x = left, y = main.y1, rowHeight = 0;
    cy.batch(() => {
      for (const piece of pieces.slice(1)) {
        const box = piece.boundingBox({ includeLabels: false });
        if (x > left && x + box.w > right) { x = left; y += rowHeight + 50; rowHeight = 0; }
        const dx = x - box.x1, dy = y - box.y1;
        piece.nodes().forEach((node) => { const p = node.position(); node.position({ x: p.x + dx, y: p.y + dy }); });
        x += box.w + 50;
        rowHeight = Math.max(rowHeight, box.h);
      }
    });
  }

  function runLayout(force) {
    const count = cy.nodes().length;
    const practice = state.centre && state.view === "duty_bearers" ? cy.getElementById(state.centre) : null;
    if (practice && practice.nonempty()) {
      /* explanation paths read from the practice outwards, one ring per link */
      cy.layout({ name: "breadthfirst", roots: practice, directed: false, circle: true, spacingFactor: 1,
                  animate: false, fit: false }).run();
    } else if (count > 1 && (count <= FCOSE_LIMIT || force)) {
      withSeed(7, () => cy.layout({ name: "fcose", animate: false, fit: false, randomize: true, quality: "default",
                                    idealEdgeLength: 80, nodeRepulsion: 20000, nodeSeparation: 80, packComponents: false }).run());
    } else {
      cy.layout({ name: "preset", fit: false }).run();
    }
    if (!(practice && practice.nonempty())) packComponents();
    separate();
  }

  function fitView() {
    if (webgl()) { webgl().fit(); return; }
    cy.resize();
    const shown = cy.elements(":visible");
    cy.fit(shown.nonempty() ? shown : undefined, 30);
    if (cy.zoom() > MAX_FIT_ZOOM) {
      cy.zoom(MAX_FIT_ZOOM);
      cy.center(shown.nonempty() ? shown : undefined);
    }
    restyle(false);
    placeLabels();
  }

  /* ------------------------------------------------------------------ labels */

  /* The box Cytoscape gives a label (measured): the text, plus about 3 model units on each side
   * (so it grows with the zoom), starting just above the node's bottom. */
  function labelBox(lines, px, weight, cx, nodeBottom, zoom) {
    const half = Math.max(...lines.map((line) => textWidth(line, px, weight))) * 1.02 / 2 + 2 + CY_PAD * zoom;
    return { x1: cx - half, x2: cx + half, y1: nodeBottom - 1 - CY_PAD * zoom, y2: nodeBottom + 4 + lines.length * px * LINE_HEIGHT };
  }

  function edgeLabelBox(text, mid, zoom) {
    const half = textWidth(text, EDGE_LABEL_PX, 400) * 1.02 / 2 + 2 + CY_PAD * zoom;
    const halfHeight = (EDGE_LABEL_PX * LINE_HEIGHT) / 2 + 2 + CY_PAD * zoom;
    return { x1: mid.x - half, x2: mid.x + half, y1: mid.y - halfHeight, y2: mid.y + halfHeight };
  }

  /* Boxes in screen pixels, in a grid of cells, for the collision test; a box never collides with another of the
     same owner (a node's own label and disc), and one added or tested without an owner collides with any. */
  function boxGrid(size) {
    const cells = new Map();
    const keys = (b) => {
      const out = [];
      for (let x = Math.floor(b.x1 / size); x <= Math.floor(b.x2 / size); x++) {
        for (let y = Math.floor(b.y1 / size); y <= Math.floor(b.y2 / size); y++) out.push(`${x} ${y}`);
      }
      return out;
    };
    return {
      add(box, owner) { for (const k of keys(box)) { if (!cells.has(k)) cells.set(k, []); cells.get(k).push([box, owner]); } },
      hits(box, owner) {
        for (const k of keys(box)) {
          for (const [other, who] of cells.get(k) || []) {
            if ((owner === undefined || who !== owner) && box.x1 < other.x2 && other.x1 < box.x2 && box.y1 < other.y2 && other.y1 < box.y2) return true;
          }
        }
        return false;
      },
    };
  }

  function priority(node, selected, pathNodes, hubs) {
    if (selected && node.same(selected)) return 0;
    if (pathNodes.has(node.id())) return 1;
    if (node.hasClass("neighbour")) return 2;
    if (state.matches.has(node.id())) return 3;
    if (hubs.has(node.id())) return 4;
    return 5;
  }

  /* The best-linked nodes: their labels are landmarks, drawn over other nodes (never over labels). */
  function hubsOf(nodes) {
    const ranked = nodes.toArray().filter((n) => n.degree() >= 3).sort((a, b) => b.degree() - a.degree());
    return new Set(ranked.slice(0, HUBS).map((n) => n.id()));
  }

  /* Changing a class restyles the element: change only what differs. */
  function setClass(element, name, on) {
    if (element.hasClass(name) !== on) element.toggleClass(name, on);
  }

  /* Choose which labels to draw: in priority order, each where it overlaps no label already placed and no
   * other node; edge labels for the selected node's few links. */
  function placeLabels() {
    if (state.loading) return;
    const width = cy.width(), height = cy.height(), zoom = cy.zoom();
    const selected = state.selected && state.selected.inside() && state.selected.visible() ? state.selected : null;
    const pathNodes = new Set(cy.nodes(".on-path").map((n) => n.id()));
    const grid = boxGrid(64);
    const focus = boxGrid(64);  /* the selected node, its neighbours and the path: no label covers them */
    const bodies = new Map();
    const visible = cy.nodes(":visible").filter((node) => {
      const b = node.renderedBoundingBox({ includeLabels: false, includeOverlays: false });
      if (b.x2 < -200 || b.x1 > width + 200 || b.y2 < -100 || b.y1 > height + 100) return false;
      bodies.set(node.id(), b);
      const box = { x1: b.x1, x2: b.x2, y1: b.y1, y2: b.y2 };
      grid.add(box, node.id());
      if (node.selected() || node.hasClass("neighbour") || pathNodes.has(node.id())) focus.add(box, node.id());
      return true;
    });
    const hubs = hubsOf(cy.nodes(":visible"));
    const labels = boxGrid(64);
    const order = visible.toArray().map((node) => ({ node, rank: priority(node, selected, pathNodes, hubs) }))
      .sort((a, b) => a.rank - b.rank || b.node.degree() - a.node.degree() || labelOf(a.node).localeCompare(labelOf(b.node)));
    const short = new Set(), full = new Set(), edgeLabels = new Set();
    const place = (node, rank) => {
      const isFull = rank === 0;
      const lines = String(node.data(isFull ? "full" : "short") || labelOf(node)).split("\n");
      const body = bodies.get(node.id());
      const box = labelBox(lines, LABEL_PX, isFull ? 600 : 400, (body.x1 + body.x2) / 2, body.y2, zoom);
      if (!isFull && (box.x1 < 2 || box.x2 > width - 2 || box.y1 < 2 || box.y2 > height - 2)) return;  /* whole, or not at all */
      const overNodes = rank === 1 || rank === 4;  /* the path and the hubs may cover other nodes, never labels */
      if (!isFull && (labels.hits(box, node.id()) || focus.hits(box, node.id()) || (!overNodes && grid.hits(box, node.id())))) return;
      grid.add(box, node.id());
      labels.add(box, node.id());
      (isFull ? full : short).add(node.id());
    };
    if (order.length && order[0].rank === 0) place(order[0].node, 0);
    if (selected) {
      const edges = selected.connectedEdges(":visible");
      if (edges.length <= EDGE_LABELS_MAX) {
        edges.forEach((edge) => {
          const mid = edge.renderedMidpoint();
          const text = String(edge.data("label") || "");
          if (!text) return;
          const box = edgeLabelBox(text, mid, zoom);
          if (grid.hits(box, edge.id())) return;
          grid.add(box, edge.id());
          labels.add(box, edge.id());
          edgeLabels.add(edge.id());
        });
      }
    }
    for (const { node, rank } of order) if (rank !== 0) place(node, rank);
    cy.batch(() => {
      cy.nodes().forEach((node) => {
        setClass(node, "label-short", short.has(node.id()));
        setClass(node, "label-full", full.has(node.id()));
      });
      cy.edges().forEach((edge) => setClass(edge, "label-edge", edgeLabels.has(edge.id())));
    });
  }

  let labelTimer = null;
  function scheduleLabels() {
    clearTimeout(labelTimer);
    labelTimer = setTimeout(() => { restyle(false); placeLabels(); }, 80);
  }

  /* ------------------------------------------------------------------ tooltip */

  function showTooltip(target, event) {
    const tip = $("tooltip");
    tip.replaceChildren();
    const title = document.createElement("strong");
    const line = document.createElement("span");
    if (target.isNode()) {
      title.textContent = labelOf(target);
      const parts = [typeOf(target), `${target.degree()} link${target.degree() === 1 ? "" : "s"}`];
      if (target.data("date")) parts.push(`date ${target.data("date")}`);
      line.textContent = parts.join(" · ");
    } else {
      title.textContent = `${labelOf(target.source())} → ${target.data("label") || relationOf(target)} → ${labelOf(target.target())}`;
      line.textContent = target.data("evidence") ? `evidence: ${target.data("evidence")}` : "no locator for this link";
    }
    tip.append(title, line);
    tip.hidden = false;
    const area = $("graph-area").getBoundingClientRect();
    const point = event.renderedPosition || target.renderedPosition();
    const x = Math.min(point.x + 14, area.width - tip.offsetWidth - 8);
    const y = point.y + 14 + tip.offsetHeight > area.height ? point.y - tip.offsetHeight - 10 : point.y + 14;
    tip.style.left = `${Math.max(4, x)}px`;
    tip.style.top = `${Math.max(4, y)}px`;
  }

  function hideTooltip() { $("tooltip").hidden = true; }

  /* ------------------------------------------------------------------ filters */

  function dateSpan(value) {
    const match = DATE.exec(String(value || ""));
    if (!match) return null;
    const day = match[0];
    return [day + "-01-01".slice(day.length - 4), day + "-12-31".slice(day.length - 4)];
  }

  /* The same rules as api/routes/viewer.py: shown(); the download applies them again on the service. */
  function applyFilters() {
    if (webgl()) { webgl().applyFilters(); return; }
    const kept = keptBy(state.filters, cy.nodes().map((n) => ({ id: n.id(), type: typeOf(n), date: n.data("date") })),
      cy.edges().map((e) => ({ id: e.id(), source: e.data("source"), target: e.data("target"), relation: relationOf(e),
                               locators: locators(e) })));
    const nodes = kept.nodes, keptLinks = kept.links;
    cy.batch(() => {
      cy.nodes().forEach((n) => setClass(n, "filtered", !nodes.has(n.id())));
      cy.edges().forEach((e) => setClass(e, "filtered", !keptLinks.has(e.id())));
    });
    if (state.selected && !nodes.has(state.selected.id())) { cy.elements().unselect(); hideDetails(); }
    updateCounts();
    placeLabels();
  }

  /* Which nodes and links the filters keep: nodes as {id, type, date}, links as {id, source, target, relation,
   * locators}; returns {nodes, links}, two Sets of ids. Shared with viewer-webgl.js. */
  function keptBy(f, allNodes, allLinks) {
    const low = f.dateFrom ? dateSpan(f.dateFrom) : null;
    const high = f.dateTo ? dateSpan(f.dateTo) : null;
    const keepsDate = (value) => {
      const span = value ? dateSpan(value) : null;
      if (!span) return true;
      return (!low || span[1] >= low[0]) && (!high || span[0] <= high[1]);
    };
    const keepsLink = (edge) => !f.hideRelations.has(edge.relation)
      && (!f.citedIn || edge.locators.some((label) => documentOf(label) === f.citedIn));
    const first = new Set(allNodes.filter((n) => !f.hideTypes.has(n.type) && keepsDate(n.date)).map((n) => n.id));
    const links = allLinks.filter((e) => first.has(e.source) && first.has(e.target) && keepsLink(e));
    let nodes = first;
    if (f.citedIn) {
      nodes = new Set();
      links.forEach((e) => { nodes.add(e.source); nodes.add(e.target); });
    }
    if (f.nearState) {
      const centre = f.nearState;
      const near = new Set(nodes.has(centre) ? [centre] : []);
      links.forEach((e) => {
        if (e.source === centre) near.add(e.target);
        else if (e.target === centre) near.add(e.source);
      });
      nodes = near;
    }
    return { nodes, links: new Set(links.filter((e) => nodes.has(e.source) && nodes.has(e.target)).map((e) => e.id)) };
  }

  function updateCounts() {
    const total = cy.nodes().length, links = cy.edges().length;
    const shownNodes = cy.nodes(":visible").length, shownLinks = cy.edges(":visible").length;
    const expanded = state.expanded.length ? " (expanded)" : "";
    $("stats").textContent = shownNodes === total && shownLinks === links ? `${total} nodes, ${links} links${expanded}`
      : `${shownNodes} of ${total} nodes, ${shownLinks} of ${links} links shown${expanded}`;
    $("stats").dataset.visible = String(shownNodes);
    for (const item of $("type-list").querySelectorAll("li")) {
      const count = cy.nodes(":visible").filter((n) => typeOf(n) === item.dataset.type).length;
      item.querySelector(".count").textContent = String(count === Number(item.dataset.total) ? count : `${count}/${item.dataset.total}`);
    }
  }

  function filtersChanged() {
    const f = state.filters;
    f.dateFrom = $("date-from").value.trim();
    f.dateTo = $("date-to").value.trim();
    for (const [id, value] of [["date-from", f.dateFrom], ["date-to", f.dateTo]]) {
      const bad = value && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value);
      $(id).setAttribute("aria-invalid", bad ? "true" : "false");
      if (bad) { setStatus("A date is a year (2015), a month (2015-06) or a day (2015-06-30).", true); return; }
    }
    f.nearState = $("state-select").value;
    f.citedIn = $("document-select").value;
    f.hideTypes = new Set([...$("type-list").querySelectorAll("input:not(:checked)")].map((box) => box.value));
    f.hideRelations = new Set([...$("relation-list").querySelectorAll("input:not(:checked)")].map((box) => box.value));
    applyFilters();
    writeAddress();
  }

  function legendSwatch(style) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "-1.2 -1.2 2.4 2.4");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("aria-hidden", "true");
    const shape = style.shape === "ellipse" ? document.createElementNS(svg.namespaceURI, "circle")
      : document.createElementNS(svg.namespaceURI, "polygon");
    if (style.shape === "ellipse") shape.setAttribute("r", "1");
    else shape.setAttribute("points", SHAPES[style.shape].map((v) => v.toFixed(3)).join(" "));
    shape.setAttribute("fill", style.color);
    shape.setAttribute("stroke", COLORS.outline);
    shape.setAttribute("stroke-width", "0.15");
    svg.append(shape);
    return svg;
  }

  function checkboxItem(list, value, text, total, checked, swatch, title) {
    const item = document.createElement("li");
    item.dataset.type = value;
    item.dataset.total = String(total);
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = checked;
    box.value = value;
    box.addEventListener("change", filtersChanged);
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = text;
    if (title) label.title = title;
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = String(total);
    label.append(box);
    if (swatch) label.append(swatch);
    label.append(name, count);
    item.append(label);
    list.append(item);
  }

  function renderLegends() {
    if (webgl()) { webgl().renderLegends(); return; }
    renderLegendsFrom(cy.nodes().map((n) => ({ id: n.id(), type: typeOf(n), label: labelOf(n), date: n.data("date") })),
      cy.edges().map((e) => ({ relation: relationOf(e), label: e.data("label"), locators: locators(e) })));
  }

  /* The legends and filter choices of a view: nodes as {id, type, label, date}, links as {relation, label, locators}.
   * Shared with viewer-webgl.js. */
  function renderLegendsFrom(allNodes, allLinks) {
    const f = state.filters;
    const counts = new Map();
    allNodes.forEach((node) => counts.set(node.type, (counts.get(node.type) || 0) + 1));
    const types = $("type-list");
    types.replaceChildren();
    [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).forEach(([type, count]) => {
      const style = state.typeStyles.get(type);
      checkboxItem(types, type, type, count, !f.hideTypes.has(type), legendSwatch(style), `${type}: ${style.shape}, ${style.color}`);
    });
    const relations = new Map();
    allLinks.forEach((edge) => {
      const name = edge.relation;
      const entry = relations.get(name) || { label: edge.label || name, count: 0 };
      entry.count += 1;
      relations.set(name, entry);
    });
    const list = $("relation-list");
    list.replaceChildren();
    [...relations.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0])).forEach(([name, entry]) => {
      checkboxItem(list, name, entry.label, entry.count, !f.hideRelations.has(name), null, name);
    });

    const stateSelect = $("state-select");
    stateSelect.replaceChildren(new Option("any State", ""));
    allNodes.filter((n) => n.type === "State").sort((a, b) => a.label.localeCompare(b.label))
      .forEach((n) => stateSelect.append(new Option(n.label, n.id)));
    if (f.nearState && !allNodes.some((n) => n.id === f.nearState)) {
      stateSelect.append(new Option(`${shortId(f.nearState)} (not in this view)`, f.nearState));
    }
    stateSelect.value = f.nearState;

    const documents = new Map();
    allLinks.forEach((edge) => new Set(edge.locators.map(documentOf)).forEach((d) => documents.set(d, (documents.get(d) || 0) + 1)));
    const documentSelect = $("document-select");
    documentSelect.replaceChildren(new Option("any document", ""));
    [...documents.entries()].sort((a, b) => a[0].localeCompare(b[0]))
      .forEach(([name, count]) => documentSelect.append(new Option(`${name} (${count} links)`, name)));
    if (f.citedIn && !documents.has(f.citedIn)) documentSelect.append(new Option(`${f.citedIn} (not in this view)`, f.citedIn));
    documentSelect.value = f.citedIn;

    $("date-from").value = f.dateFrom;
    $("date-to").value = f.dateTo;
    const dates = allNodes.map((n) => dateSpan(n.date)).filter(Boolean).map((span) => span[0].slice(0, 4)).sort();
    $("date-range").textContent = dates.length
      ? `${dates.length} nodes have a date, ${dates[0]}–${dates[dates.length - 1]}; nodes without a date stay.`
      : "No node of this view has a date.";
  }

  function setAll(listId, checked) {
    for (const box of $(listId).querySelectorAll("input")) box.checked = checked;
    filtersChanged();
  }

  function clearFilters() {
    state.filters = { hideTypes: new Set(), hideRelations: new Set(), dateFrom: "", dateTo: "", nearState: "", citedIn: "" };
    renderLegends();
    applyFilters();
    writeAddress();
  }

  /* ------------------------------------------------------------------ address */

  function addressQuery() {
    const query = new URLSearchParams();
    query.set("view", state.view || "whole");
    for (const [key, value] of state.params) if (!VIEWER_PARAMETERS.includes(key) && key !== "view") query.set(key, value);
    const f = state.filters;
    if (f.hideTypes.size) query.set("hide_types", [...f.hideTypes].sort().join(","));
    if (f.hideRelations.size) query.set("hide_relations", [...f.hideRelations].sort().join(","));
    if (f.dateFrom) query.set("date_from", f.dateFrom);
    if (f.dateTo) query.set("date_to", f.dateTo);
    if (f.nearState) query.set("near_state", shortId(f.nearState));
    if (f.citedIn) query.set("cited_in", f.citedIn);
    if (state.expanded.length) query.set("expanded", state.expanded.map(shortId).join(","));
    if (state.path.from && state.path.to) {
      query.set("path_from", shortId(state.path.from));
      query.set("path_to", shortId(state.path.to));
    }
    if (state.selected) query.set("selected", shortId(state.selected.id()));
    else if (state.centre) query.set("selected", "");
    if (state.rendererChoice) query.set("renderer", state.rendererChoice);
    return query;
  }

  function writeAddress() {
    history.replaceState(null, "", `/viewer?${addressQuery().toString()}`);
    updateDownload();
  }

  function readAddress(url) {
    const f = state.filters;
    const names = (key) => new Set((url.get(key) || "").split(",").map((s) => s.trim()).filter(Boolean));
    f.hideTypes = names("hide_types");
    f.hideRelations = names("hide_relations");
    f.dateFrom = url.get("date_from") || "";
    f.dateTo = url.get("date_to") || "";
    f.nearState = fullId(url.get("near_state"));
    f.citedIn = url.get("cited_in") || "";
    state.expanded = [...names("expanded")].map(fullId);
    state.path = { from: fullId(url.get("path_from")) || null, to: fullId(url.get("path_to")) || null, steps: [] };
    state.pendingSelection = url.has("selected") ? fullId(url.get("selected")) : undefined;
    state.rendererChoice = ["webgl", "canvas"].includes(url.get("renderer")) ? url.get("renderer") : "";
    const options = new URLSearchParams();
    for (const [key, value] of url) if (!VIEWER_PARAMETERS.includes(key) && key !== "view") options.append(key, value);
    return options;
  }

  function updateDownload() {
    const format = $("format-select").value;
    const link = $("download-link");
    if (!state.view || !format) return;
    const query = addressQuery();
    query.delete("selected");
    query.delete("renderer");
    query.set("format", format);
    link.href = `/viewer/export?${query.toString()}`;
    const exporter = state.formats.find((f) => f.name === format);
    link.setAttribute("download", `${state.view}.${exporter ? exporter.extension : format}`);
  }

  /* ------------------------------------------------------------------ view selection */

  function renderOptions(name, values) {
    const box = $("view-options");
    box.replaceChildren();
    const view = state.views.get(name);
    $("view-summary").textContent = view ? view.summary : "";
    if (!view) return;
    for (const option of view.options) {
      const wrapper = document.createElement("div");
      wrapper.className = "option";
      const label = document.createElement("label");
      const id = `option-${option.name}`;
      label.htmlFor = id;
      label.textContent = option.name + (option.required ? " (required)" : "");
      const input = option.name === "construct" ? document.createElement("textarea") : document.createElement("input");
      input.id = id;
      input.name = option.name;
      if (option.type === "integer") {
        input.type = "number";
        if (option.minimum !== null) input.min = option.minimum;
        if (option.maximum !== null) input.max = option.maximum;
      } else if (input.tagName === "INPUT") {
        input.type = "text";
      }
      input.placeholder = option.default !== null && option.default !== undefined ? String(option.default)
        : (PLACEHOLDERS[option.name] || "");
      input.title = option.description;
      input.value = values.get(option.name) || "";
      wrapper.append(label, input);
      box.append(wrapper);
    }
  }

  function formParams() {
    const params = new URLSearchParams();
    for (const input of $("view-options").querySelectorAll("input, textarea")) {
      if (input.value.trim()) params.set(input.name, input.value.trim());
    }
    return params;
  }

  /* ------------------------------------------------------------------ loading a view */

  async function fetchEgo(iri) {
    return toElements(await fetchJson(viewUrl("ego", new URLSearchParams({ node: iri, depth: "1" }), "cyjs")));
  }

  async function restoreExpanded() {
    const kept = [];
    for (const iri of state.expanded) {
      const node = cy.getElementById(iri);
      try {
        const { nodes, edges } = await fetchEgo(iri);
        addElements(nodes, edges, node.nonempty() ? node.position() : { x: 0, y: 0 });
        kept.push(iri);
      } catch (error) {
        setStatus(`Could not expand ${shortId(iri)}: ${error.message}`, true);
      }
    }
    state.expanded = kept;
  }

  async function loadView(name, params, restoring) {
    const started = performance.now();
    setStatus("Loading…");
    $("stats").textContent = "";
    $("stats").removeAttribute("data-nodes");
    hideTooltip();
    let payload;
    try {
      payload = await fetchJson(viewUrl(name, params, "cyjs"));
    } catch (error) {
      setStatus(`Could not load the view: ${error.message}`, true);
      $("stats").dataset.nodes = String(cy.nodes().length);
      return;
    }
    state.view = name;
    state.params = params;
    state.selected = null;
    state.centre = (payload.data && (payload.data.node || payload.data.practice)) || null;
    if (!restoring) {
      state.expanded = [];
      state.path = { from: null, to: null, steps: [] };
      state.filters.nearState = "";
      state.pendingSelection = undefined;
    }
    state.renderer = chooseRenderer(payload.elements.nodes.length);
    $("cy").hidden = state.renderer === "webgl";
    $("sigma").hidden = state.renderer !== "webgl";
    $("stats").dataset.renderer = state.renderer;
    /* big views keep the service's layout: arranging them in the page would take longer than it is worth */
    $("relayout").disabled = state.renderer === "webgl";
    $("relayout").title = state.renderer === "webgl" ? "Views drawn with WebGL keep the layout the service computed." : "";
    if (state.renderer === "webgl") {
      cy.elements().remove();
      hideDetails();
      try {
        await window.skgWebgl.load(payload, restoring);
      } catch (error) {
        setStatus(`Could not draw the view with WebGL: ${error.message}`, true);
        $("stats").dataset.nodes = "0";
        return;
      }
      renderPath();
      writeAddress();
      $("stats").dataset.nodes = String(window.skgWebgl.counts().nodes);
      $("stats").dataset.edges = String(window.skgWebgl.counts().edges);
      setStatus(`Loaded in ${Math.round(performance.now() - started)} ms; drawn with WebGL.`);
      if ($("search").value) $("search").dispatchEvent(new Event("input"));
      return;
    }
    if (window.skgWebgl) window.skgWebgl.clear();
    const { nodes, edges } = toElements(payload);
    state.loading = true;
    state.crowded = edges.length > 1500;
    cy.startBatch();
    cy.elements().remove();
    cy.add(nodes);
    cy.add(edges);
    cy.endBatch();
    if (restoring) await restoreExpanded();
    if (state.path.from && state.path.to) await findPath(false);
    assignTypeStyles();
    runLayout(false);
    renderLegends();
    hideDetails();
    applyFilters();
    const wanted = state.pendingSelection !== undefined ? state.pendingSelection : state.centre;
    state.pendingSelection = undefined;
    if (wanted && cy.getElementById(wanted).nonempty() && cy.getElementById(wanted).visible()) {
      selectNode(cy.getElementById(wanted), false);
    }
    state.loading = false;
    fitView();
    renderPath();
    writeAddress();
    $("stats").dataset.nodes = String(cy.nodes().length);
    $("stats").dataset.edges = String(cy.edges().length);
    setStatus(`Loaded in ${Math.round(performance.now() - started)} ms.`);
    if ($("search").value) $("search").dispatchEvent(new Event("input"));
  }

  /* WebGL above WEBGL_THRESHOLD nodes, or as the address asks (renderer=webgl|canvas); canvas without WebGL. */
  function chooseRenderer(count) {
    const available = Boolean(window.skgWebgl && window.skgWebgl.supported());
    if (state.rendererChoice === "webgl" && !available) setStatus("This browser has no WebGL: drawn with the canvas renderer.", true);
    if (state.rendererChoice === "canvas" || !available) return "canvas";
    return state.rendererChoice === "webgl" || count > WEBGL_THRESHOLD ? "webgl" : "canvas";
  }

  /* ------------------------------------------------------------------ search */

  function search(text) {
    if (webgl()) { webgl().search(text); return; }
    const list = $("search-results");
    list.replaceChildren();
    cy.nodes().removeClass("match");
    state.matches = new Set();
    const query = text.trim().toLowerCase();
    if (query.length < 2) { placeLabels(); return; }
    const matches = cy.nodes(":visible").filter((node) => labelOf(node).toLowerCase().includes(query)
      || String(node.id()).toLowerCase().includes(query));
    matches.addClass("match");
    state.matches = new Set(matches.map((n) => n.id()));
    const sorted = matches.sort((a, b) => labelOf(a).localeCompare(labelOf(b)));
    renderMatches(list, sorted.map((node) => ({ text: `${labelOf(node)} · ${typeOf(node)}`, choose: () => selectNode(node, true) })));
    placeLabels();
  }

  /* The search's list of matches ({ text, choose } in order): the first 25 as buttons, then how many more;
   * shared with viewer-webgl.js. */
  function renderMatches(list, matches) {
    matches.slice(0, 25).forEach(({ text, choose }) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = text;
      button.addEventListener("click", choose);
      item.append(button);
      list.append(item);
    });
    if (matches.length > 25) {
      const more = document.createElement("li");
      more.className = "hint";
      more.textContent = `… and ${matches.length - 25} more (outlined)`;
      list.append(more);
    }
  }

  /* ------------------------------------------------------------------ details */

  /* The one place a link is made from data: only an absolute http(s) IRI becomes an href
   * (our own IRIs point to this service); anything else (javascript:, data:, a relative or
   * unparsable IRI) gets null, and the caller shows it as plain text. */
  function safeHref(iri) {
    let url;
    try {
      url = new URL(String(iri));
    } catch (error) {
      return null;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    const base = "https://w3id.org/solidarity-kg/";
    for (const part of ["id/", "vocab/"]) {
      if (url.href.startsWith(base + part)) return "/" + part + url.href.slice((base + part).length);
    }
    return url.href;
  }

  /* Point an <a> at an IRI, or leave it without href (plain text, not a link) when the IRI is not http(s). */
  function setIriLink(anchor, iri) {
    anchor.textContent = iri;
    const href = safeHref(iri);
    if (href === null) {
      anchor.removeAttribute("href");
      anchor.classList.add("no-link");
    } else {
      anchor.href = href;
      anchor.classList.remove("no-link");
    }
  }

  function selectNode(node, center) {
    cy.elements().unselect();
    node.select();
    if (center) {
      cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 250, complete: scheduleLabels });
    }
    showDetails(node);
    writeAddress();
  }

  function hideDetails() {
    $("details").hidden = true;
    cy.resize();
    state.selected = null;
    cy.elements().removeClass("neighbour faded");
  }

  function deselect() {
    if (webgl()) { webgl().deselect(); return; }
    cy.elements().unselect();
    hideDetails();
    placeLabels();
    writeAddress();
  }


  /* The details panel's evidence: the locators of a node's links (a Set of labels), sorted; shared with
   * viewer-webgl.js. */
  function renderEvidence(evidence) {
    const evidenceList = $("details-evidence");
    evidenceList.replaceChildren();
    [...evidence].sort().forEach((label) => {
      const item = document.createElement("li");
      item.textContent = label;
      evidenceList.append(item);
    });
    if (evidence.size === 0) {
      const item = document.createElement("li");
      item.className = "hint";
      item.textContent = "no locator on these links";
      evidenceList.append(item);
    }
  }
  function showDetails(node) {
    state.selected = node;
    const data = node.data();
    $("details").hidden = false;
    cy.resize();
    $("details-label").textContent = data.label || data.id;
    $("details-type").textContent = data.type || "";
    $("details-date").textContent = data.date ? `date: ${data.date}` : "";
    setIriLink($("details-iri"), data.id);
    $("details-description").textContent = data.description || "";

    const edges = node.connectedEdges(":visible");
    cy.elements().removeClass("neighbour faded");
    cy.elements().not(node.closedNeighborhood()).addClass("faded");
    edges.addClass("neighbour");
    node.neighborhood("node").addClass("neighbour");

    const evidence = new Set();
    edges.forEach((edge) => locators(edge).forEach((e) => evidence.add(e)));
    renderEvidence(evidence);

    const links = $("details-links");
    links.replaceChildren();
    $("details-link-count").textContent = `(${edges.length})`;
    const rows = edges.map((edge) => {
      const outgoing = edge.source().same(node);
      const other = outgoing ? edge.target() : edge.source();
      return { edge, outgoing, other, sortKey: `${edge.data("label")} ${labelOf(other)}` };
    }).sort((a, b) => a.sortKey.localeCompare(b.sortKey));
    for (const { edge, outgoing, other } of rows) {
      const item = document.createElement("li");
      const relation = document.createElement("span");
      relation.className = "relation";
      relation.textContent = outgoing ? `${edge.data("label")} → ` : `← ${edge.data("label")} · `;
      const target = document.createElement("button");
      target.type = "button";
      target.textContent = labelOf(other);
      target.title = other.id();
      target.addEventListener("click", () => selectNode(other, true));
      item.append(relation, target);
      if (edge.data("evidence")) {
        const source = document.createElement("span");
        source.className = "evidence";
        source.textContent = edge.data("evidence");
        item.append(source);
      }
      links.append(item);
    }
    placeLabels();
  }

  async function expandNeighbours() {
    if (webgl()) { await webgl().expand(); return; }
    const node = state.selected;
    if (!node) return;
    setStatus("Expanding…");
    let found;
    try {
      found = await fetchEgo(node.id());
    } catch (error) {
      setStatus(`Could not expand: ${error.message}`, true);
      return;
    }
    const added = addElements(found.nodes, found.edges, node.position());
    if (!state.expanded.includes(node.id())) state.expanded.push(node.id());
    assignTypeStyles();
    separate();
    renderLegends();
    applyFilters();
    $("stats").dataset.nodes = String(cy.nodes().length);
    $("stats").dataset.edges = String(cy.edges().length);
    setStatus(`${added} neighbour(s) added`);
    showDetails(node);
    writeAddress();
  }

  function openEgo() {
    const node = state.selected;
    if (!node) return;
    const params = new URLSearchParams({ node: shortId(node.id()), depth: "1" });
    $("view-select").value = "ego";
    renderOptions("ego", params);
    loadView("ego", params, false);
  }

  /* ------------------------------------------------------------------ path */

  function renderPath() {
    const name = (iri) => {
      if (!iri) return "—";
      if (webgl()) return webgl().labelOf(iri) || shortId(iri);
      const node = cy.getElementById(iri);
      return node.nonempty() ? labelOf(node) : shortId(iri);
    };
    $("path-from").textContent = name(state.path.from);
    $("path-to").textContent = name(state.path.to);
    const list = $("path-steps");
    list.replaceChildren();
    for (const step of state.path.steps) {
      const item = document.createElement("li");
      const arrow = step.inverse ? `← ${step.relation_label} ←` : `→ ${step.relation_label} →`;
      item.textContent = `${step.source_label} ${arrow} ${step.target_label}`;
      if (step.evidence) {
        const source = document.createElement("span");
        source.className = "evidence";
        source.textContent = step.evidence;
        item.append(source);
      }
      list.append(item);
    }
  }

  /* Ask /graph/paths for the shortest path (in the whole view), add the nodes and links of it that the
   * view lacks, and mark it. */
  async function findPath(interactive) {
    if (webgl()) { await webgl().findPath(interactive); return; }
    const { from, to } = state.path;
    cy.elements().removeClass("on-path");
    state.path.steps = [];
    if (!from || !to) { renderPath(); return; }
    let answer;
    try {
      answer = await fetchJson(`/graph/paths?${new URLSearchParams({ from, to, max_length: "1", limit: "1" })}`);
    } catch (error) {
      setStatus(`Could not find a path: ${error.message}`, true);
      renderPath();
      return;
    }
    const steps = answer.shortest || [];
    if (!steps.length) {
      setStatus("There is no path between these two nodes in the whole graph.", true);
      renderPath();
      return;
    }
    let added = 0;
    for (const step of steps) {
      const [u, v] = step.inverse ? [step.target, step.source] : [step.source, step.target];
      const id = edgeId({ source: u, key: step.relation, target: v });
      if (cy.getElementById(u).nonempty() && cy.getElementById(v).nonempty() && cy.getElementById(id).nonempty()) continue;
      const missing = cy.getElementById(u).empty() ? u : v;
      const anchor = cy.getElementById(missing === u ? v : u);
      try {
        const { nodes, edges } = await fetchEgo(missing);
        added += addElements(nodes.filter((n) => n.data.id === u || n.data.id === v), edges.filter((e) => e.data.id === id),
                             anchor.nonempty() ? anchor.position() : { x: 0, y: 0 });
      } catch (error) {
        setStatus(`Could not add the path: ${error.message}`, true);
      }
    }
    state.path.steps = steps;
    cy.batch(() => {
      for (const step of steps) {
        const [u, v] = step.inverse ? [step.target, step.source] : [step.source, step.target];
        cy.getElementById(u).addClass("on-path");
        cy.getElementById(v).addClass("on-path");
        cy.getElementById(edgeId({ source: u, key: step.relation, target: v })).addClass("on-path");
      }
    });
    if (interactive) {
      if (added) { assignTypeStyles(); separate(); renderLegends(); }
      applyFilters();
      const hidden = cy.elements(".on-path").filter((e) => !e.visible()).length;
      setStatus(`A path of ${steps.length} link(s)${added ? `; ${added} node(s) added to the view` : ""}`
        + `${hidden ? `; ${hidden} of its elements are hidden by the filters` : ""}.`);
      $("stats").dataset.nodes = String(cy.nodes().length);
      $("stats").dataset.edges = String(cy.edges().length);
      renderPath();
      writeAddress();
    }
  }

  function setPathEnd(which) {
    if (!state.selected) return;
    state.path[which] = state.selected.id();
    if (state.path.from && state.path.to) findPath(true);
    else { renderPath(); writeAddress(); }
  }

  function clearPath() {
    state.path = { from: null, to: null, steps: [] };
    if (webgl()) { webgl().findPath(false); renderPath(); writeAddress(); return; }
    cy.elements().removeClass("on-path");
    renderPath();
    placeLabels();
    writeAddress();
  }

  /* ------------------------------------------------------------------ pictures */

  function saveBlob(blob, name) {
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = name;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function savePng() {
    if (webgl()) { webgl().png((blob) => saveBlob(blob, `${state.view || "graph"}.png`)); return; }
    const blob = cy.png({ output: "blob", bg: "#ffffff", full: false, scale: 2 });
    saveBlob(blob, `${state.view || "graph"}.png`);
  }

  /* An SVG of what is on screen, built from the same geometry as the canvas: visible links (with their
   * curve and arrow), visible nodes (shape, colour, outline) and the labels now drawn. */
  function svgOfScreen() {
    const NS = "http://www.w3.org/2000/svg";
    const make = (name, attributes, text) => {
      const element = document.createElementNS(NS, name);
      for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
      if (text !== undefined) element.textContent = text;
      return element;
    };
    const zoom = cy.zoom(), pan = cy.pan();
    const svg = make("svg", { xmlns: NS, width: cy.width(), height: cy.height(), viewBox: `0 0 ${cy.width()} ${cy.height()}` });
    svg.append(make("title", {}, `solidarity-kg: ${state.view || "graph"} view`));
    svg.append(make("rect", { x: 0, y: 0, width: cy.width(), height: cy.height(), fill: "#ffffff" }));
    const world = make("g", { transform: `translate(${pan.x} ${pan.y}) scale(${zoom})` });
    const edgesGroup = make("g", { class: "links", fill: "none" });
    const nodesGroup = make("g", { class: "nodes" });
    const labels = make("g", { class: "labels", "font-family": FONT, fill: COLORS.ink, "text-anchor": "middle" });
    cy.edges(":visible").forEach((edge) => {
      const s = edge.sourceEndpoint(), t = edge.targetEndpoint();
      const controls = edge.controlPoints() || [];
      let d = `M${s.x} ${s.y}`;
      if (controls.length === 1) d += ` Q${controls[0].x} ${controls[0].y} ${t.x} ${t.y}`;
      else d += controls.map((c) => ` L${c.x} ${c.y}`).join("") + ` L${t.x} ${t.y}`;
      const color = edge.pstyle("line-color").strValue;
      const width = edge.pstyle("width").pfValue;
      const opacity = edge.pstyle("opacity").value;
      const attributes = { d, stroke: color, "stroke-width": width, opacity };
      if (edge.hasClass("no-evidence")) attributes["stroke-dasharray"] = `${4 / zoom} ${3 / zoom}`;
      const title = make("title", {}, `${labelOf(edge.source())} ${edge.data("label") || ""} ${labelOf(edge.target())}`);
      const path = make("path", attributes);
      path.append(title);
      edgesGroup.append(path);
      const last = controls.length ? controls[controls.length - 1] : s;
      const angle = Math.atan2(t.y - last.y, t.x - last.x);
      const size = 4 * width + 3 / zoom;
      const a = { x: t.x - size * Math.cos(angle - 0.45), y: t.y - size * Math.sin(angle - 0.45) };
      const b = { x: t.x - size * Math.cos(angle + 0.45), y: t.y - size * Math.sin(angle + 0.45) };
      edgesGroup.append(make("polygon", { points: `${t.x},${t.y} ${a.x},${a.y} ${b.x},${b.y}`, fill: color, opacity }));
    });
    cy.nodes(":visible").forEach((node) => {
      const p = node.position(), w = node.width() / 2, h = node.height() / 2;
      const style = state.typeStyles.get(typeOf(node)) || { shape: "ellipse", color: "#dddddd" };
      const common = { fill: style.color, "fill-opacity": node.pstyle("background-opacity").value,
                       stroke: node.pstyle("border-color").strValue, "stroke-width": node.pstyle("border-width").pfValue,
                       "data-type": typeOf(node) };
      const shape = style.shape === "ellipse" ? make("ellipse", { cx: p.x, cy: p.y, rx: w, ry: h, ...common })
        : make("polygon", { points: pairs(SHAPES[style.shape]).map(([x, y]) => `${p.x + x * w},${p.y + y * h}`).join(" "), ...common });
      shape.append(make("title", {}, `${labelOf(node)} (${typeOf(node)})`));
      nodesGroup.append(shape);
      const text = node.pstyle("label").strValue;
      if (text) {
        const box = node.renderedBoundingBox({ includeLabels: false, includeOverlays: false });
        const weight = node.hasClass("label-full") ? 600 : 400;
        const label = make("text", { x: (box.x1 + box.x2) / 2, y: box.y2 + 3, "font-size": LABEL_PX, "font-weight": weight,
                                     stroke: "#ffffff", "stroke-width": 4, "paint-order": "stroke", "stroke-linejoin": "round" });
        text.split("\n").forEach((line, i) => label.append(make("tspan", { x: (box.x1 + box.x2) / 2, dy: i === 0 ? LABEL_PX : LABEL_PX * LINE_HEIGHT }, line)));
        labels.append(label);
      }
    });
    cy.edges(".label-edge:visible").forEach((edge) => {
      const mid = edge.renderedMidpoint();
      const text = String(edge.data("label") || "");
      const w = textWidth(text, EDGE_LABEL_PX, 400) + 4;
      labels.append(make("rect", { x: mid.x - w / 2, y: mid.y - EDGE_LABEL_PX * 0.7, width: w, height: EDGE_LABEL_PX * 1.4, fill: "#ffffff" }));
      labels.append(make("text", { x: mid.x, y: mid.y + EDGE_LABEL_PX * 0.35, "font-size": EDGE_LABEL_PX, fill: "#7a1238" }, text));
    });
    world.append(edgesGroup, nodesGroup);
    svg.append(world, labels);
    return svg;
  }

  function pairs(flat) {
    const out = [];
    for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
    return out;
  }

  function saveSvg() {
    if (webgl()) { setStatus("A picture as SVG is made by the canvas renderer only (renderer=canvas); use PNG here.", true); return; }
    const text = new XMLSerializer().serializeToString(svgOfScreen());
    saveBlob(new Blob([`<?xml version="1.0" encoding="UTF-8"?>\n${text}\n`], { type: "image/svg+xml" }), `${state.view || "graph"}.svg`);
  }

  /* ------------------------------------------------------------------ keyboard */

  /* In the graph, the arrow keys move the selection to the nearest visible node in that direction. */
  function moveSelection(dx, dy) {
    const nodes = cy.nodes(":visible");
    if (nodes.empty()) return;
    const from = state.selected && state.selected.visible() ? state.selected : null;
    if (!from) {
      selectNode(nodes.max((n) => n.degree()).ele, true);
      return;
    }
    const p = from.position();
    let best = null, bestScore = Infinity;
    nodes.forEach((node) => {
      if (node.same(from)) return;
      const q = node.position();
      const along = (q.x - p.x) * dx + (q.y - p.y) * dy;
      if (along <= 0) return;
      const across = Math.abs((q.x - p.x) * dy - (q.y - p.y) * dx);
      const score = along + 2 * across;
      if (score < bestScore) { best = node; bestScore = score; }
    });
    if (best) selectNode(best, true);
  }

  function onGraphKey(event) {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (moves[event.key]) {
      event.preventDefault();
      moveSelection(...moves[event.key]);
    } else if (event.key === "Escape") {
      deselect();
    } else if (event.key === "+" || event.key === "=") {
      cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    } else if (event.key === "-") {
      cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    }
  }

  /* ------------------------------------------------------------------ start */

  async function start() {
    let listing;
    try {
      listing = await fetchJson("/views");
    } catch (error) {
      setStatus(`Could not list the views: ${error.message}`, true);
      return;
    }
    const viewSelect = $("view-select");
    for (const view of listing.views) {
      state.views.set(view.name, view);
      viewSelect.append(new Option(view.name.replace(/_/g, " "), view.name));
    }
    state.formats = listing.formats;
    for (const format of listing.formats) $("format-select").append(new Option(`${format.name} — ${format.description}`, format.name));
    const url = new URLSearchParams(window.location.search);
    let name = url.get("view") || (url.get("node") ? "ego" : "whole");
    if (!state.views.has(name)) {
      setStatus(`There is no view named ${name}; showing the whole graph.`, true);
      name = "whole";
    }
    const options = readAddress(url);
    viewSelect.value = name;
    renderOptions(name, options);
    viewSelect.addEventListener("change", () => renderOptions(viewSelect.value, new URLSearchParams()));
    $("view-form").addEventListener("submit", (event) => {
      event.preventDefault();
      loadView(viewSelect.value, formParams(), false);
    });
    $("format-select").addEventListener("change", updateDownload);
    $("search").addEventListener("input", (event) => search(event.target.value));
    $("search").addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        const first = $("search-results").querySelector("button");
        if (first) first.click();
      }
    });
    $("types-all").addEventListener("click", () => setAll("type-list", true));
    $("types-none").addEventListener("click", () => setAll("type-list", false));
    $("relations-all").addEventListener("click", () => setAll("relation-list", true));
    $("relations-none").addEventListener("click", () => setAll("relation-list", false));
    for (const id of ["date-from", "date-to"]) $(id).addEventListener("change", filtersChanged);
    for (const id of ["state-select", "document-select"]) $(id).addEventListener("change", filtersChanged);
    $("filters-clear").addEventListener("click", clearFilters);
    $("relayout").addEventListener("click", () => {
      setStatus("Arranging…");
      setTimeout(() => { runLayout(true); fitView(); setStatus("Arranged."); }, 20);
    });
    $("fit").addEventListener("click", fitView);
    $("save-png").addEventListener("click", savePng);
    $("save-svg").addEventListener("click", saveSvg);
    $("close-details").addEventListener("click", deselect);
    $("expand").addEventListener("click", expandNeighbours);
    $("open-ego").addEventListener("click", openEgo);
    $("path-start").addEventListener("click", () => setPathEnd("from"));
    $("path-end").addEventListener("click", () => setPathEnd("to"));
    $("path-clear").addEventListener("click", clearPath);
    $("cy").addEventListener("keydown", onGraphKey);
    cy.on("tap", "node", (event) => selectNode(event.target, false));
    cy.on("tap", (event) => { if (event.target === cy) deselect(); });
    cy.on("mouseover", "node, edge", (event) => showTooltip(event.target, event));
    cy.on("mouseout", "node, edge", hideTooltip);
    cy.on("viewport", () => { hideTooltip(); scheduleLabels(); });
    window.addEventListener("resize", () => { cy.resize(); scheduleLabels(); });
    await loadView(name, options, true);
  }

  start();
})();
