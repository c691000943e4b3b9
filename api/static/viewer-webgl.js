/* The viewer's WebGL renderer, for big views: sigma.js draws a graphology graph.
 *
 * viewer.js decides which renderer draws a view (more than WEBGL_THRESHOLD nodes, or renderer=webgl in the
 * address) and keeps the address, the path box and the filter controls; this file holds the graph of a big
 * view and does for it what viewer.js does with Cytoscape for small ones: type colours and shapes, the
 * details panel (every text set with textContent), evidence, filters (the same rules: keptBy), search,
 * selection, neighbours added with Expand, the path, the tooltip, PNG. graphology and sigma are loaded from
 * /static/vendor/ the first time a view needs them, so the canvas renderer never pays for them.
 *
 * Nodes are drawn by ShapeProgram, a node program of our own: the same polygons as the canvas, the legend
 * and the SVG export (viewer.js: SHAPES), as a signed distance in the fragment shader, with an outline.
 * Positions are the service's (every view carries them; graph/network/layout.py), so a big view is not laid
 * out in the browser at all. Labels: sigma's label grid chooses candidates (labelDensity, labelGridCellSize, a
 * size threshold that falls as one zooms in), then drawLabel draws a label only where it overlaps no label
 * already drawn in that frame; the selected node, the path and the neighbours are placed first.
 */
(function () {
  "use strict";

  const viewer = window.skgViewer;
  if (!viewer || !viewer.helpers) return;
  const h = viewer.helpers;
  const { state } = viewer;
  const { $, COLORS, FONT, LABEL_PX } = h;

  const LIBRARIES = ["/static/vendor/graphology/graphology.umd.min.js", "/static/vendor/sigma/sigma.min.js"];
  const LABEL_CHARS = 28;          /* characters of a label before "…" (the full label is in the tooltip and the details) */
  const LABEL_GRID = 90;           /* pixels of a cell of sigma's label grid */
  const LABEL_DENSITY = 0.8;       /* labels per cell sigma proposes */
  const LABEL_MIN_SIZE = 5;        /* pixels of radius a node needs on screen for its label to be a candidate */
  const FORCED_LABELS_MAX = 40;    /* the selected node's neighbours are labelled when it has this many or fewer */
  const BIG_LINKS = 5000;          /* with more links than this, they are drawn in a lighter grey */
  const FADED = 0.75;              /* how far faded nodes go towards white */
  const MAX_POINTS = 12;           /* points per polygon in the shader (the largest, the star, has 10, closed 11) */
  const ANGLES = [0, (2 * Math.PI) / 3, (4 * Math.PI) / 3];
  const SETTLE_MS = 120;           /* a moved picture is drawn again this long after the last movement */
  const SLOW_FRAME_MS = 50;        /* two frames in a row slower than this while moving switch to moving the picture */
  const SOFTWARE_ITEMS = 1000;     /* software WebGL moves the picture from the start above this many nodes and links */
  const SOFTWARE = /swiftshader|llvmpipe|softpipe|software/i;

  let libraries = null;
  let webglSupport = null;
  let renderer = null;
  let graph = null;
  let nodeScale = 1;
  let linkColors = { evidence: COLORS.edge, none: "#c3c8d2" };
  const hidden = { nodes: new Set(), edges: new Set() };
  const marks = { selected: null, neighbours: new Set(), links: new Set(), pathNodes: new Set(), pathEdges: new Set(),
                  matches: new Set() };
  let drawn = [];                  /* labels drawn in the last frame: {key, text, box} */
  let reserved = null;             /* boxes placed before sigma's own labels in this frame, by node */
  let grid = null;

  /* ------------------------------------------------------------------ libraries */

  function loadLibraries() {
    if (!libraries) {
      libraries = Promise.all(LIBRARIES.map((src) => new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = src;
        script.async = false;  /* run in this order */
        script.addEventListener("load", resolve, { once: true });
        script.addEventListener("error", () => reject(new Error(`could not load ${src}`)), { once: true });
        document.head.append(script);
      })));
    }
    return libraries;
  }

  function supported() {
    if (webglSupport === null) {
      try {
        const canvas = document.createElement("canvas");
        webglSupport = Boolean(canvas.getContext("webgl2") || canvas.getContext("webgl"));
      } catch (error) {
        webglSupport = false;
      }
    }
    return webglSupport;
  }

  /* ------------------------------------------------------------------ the node program */

  /* what the vertex shader hands the fragment shader: both declare it alike */
  const VARYINGS = `varying vec4 v_color;
varying vec4 v_borderColor;
varying vec2 v_local;
varying float v_radius;
varying float v_shape;
varying float v_border;`;

  const VERTEX = `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec4 a_borderColor;
attribute vec2 a_position;
attribute float a_size;
attribute float a_shape;
attribute float a_border;
attribute float a_angle;

uniform mat3 u_matrix;
uniform float u_sizeRatio;
uniform float u_correctionRatio;

${VARYINGS}

const float bias = 255.0 / 254.0;

void main() {
  float radius = a_size * u_correctionRatio / u_sizeRatio * 2.0;
  /* a triangle whose inner circle (radius 1.4) holds the square [-1, 1]^2 of the shapes */
  vec2 diff = radius * 2.8 * vec2(cos(a_angle), sin(a_angle));
  gl_Position = vec4((u_matrix * vec3(a_position + diff, 1)).xy, 0, 1);
  v_local = diff / radius;
  v_radius = radius;
  v_shape = a_shape;
  v_border = a_border;
  #ifdef PICKING_MODE
  v_color = a_id;
  v_borderColor = a_id;
  #else
  v_color = a_color;
  v_borderColor = a_borderColor;
  #endif
  v_color.a *= bias;
  v_borderColor.a *= bias;
}
`;

  function fragmentSource(polygons) {
    return `
precision highp float;

${VARYINGS}

uniform float u_correctionRatio;
uniform vec4 u_points[${polygons * (MAX_POINTS / 2)}];

const vec4 transparent = vec4(0.0, 0.0, 0.0, 0.0);

/* one edge a -> b of a polygon: the squared distance to it, and whether it flips the inside test */
void edge(vec2 p, vec2 a, vec2 b, inout float d, inout float s) {
  vec2 e = b - a;
  vec2 w = p - a;
  vec2 q = w - e * clamp(dot(w, e) / max(dot(e, e), 1e-9), 0.0, 1.0);
  d = min(d, dot(q, q));
  bool c1 = p.y >= a.y;
  bool c2 = p.y < b.y;
  bool c3 = e.x * w.y > e.y * w.x;
  if ((c1 && c2 && c3) || (!c1 && !c2 && !c3)) s = -s;
}

/* signed distance from p to the shape (negative inside), in units of the node's radius */
float shapeDistance(vec2 p) {
  if (v_shape < 0.5) return length(p) - 1.0;
  float d = 1e9;
  float s = 1.0;
  for (int shape = 0; shape < ${polygons}; shape++) {
    if (abs(float(shape + 1) - v_shape) < 0.5) {
      vec2 previous = u_points[shape * ${MAX_POINTS / 2}].xy;
      for (int k = 0; k < ${MAX_POINTS / 2}; k++) {
        vec4 pair = u_points[shape * ${MAX_POINTS / 2} + k];
        if (k > 0) edge(p, previous, pair.xy, d, s);
        edge(p, pair.xy, pair.zw, d, s);
        previous = pair.zw;
      }
    }
  }
  return s * sqrt(d);
}

void main(void) {
  vec2 p = vec2(v_local.x, -v_local.y);  /* the shapes are written with y downwards, as on screen */
  float d = shapeDistance(p);
  float pixel = u_correctionRatio / v_radius;
  #ifdef PICKING_MODE
  gl_FragColor = d > 0.0 ? transparent : v_color;
  #else
  float border = min(v_border * pixel, 0.35);
  float t = smoothstep(-border - 0.5 * pixel, -border + 0.5 * pixel, d);
  vec4 color = border > 0.0 ? mix(v_color, v_borderColor, t) : v_color;
  float outside = smoothstep(-0.5 * pixel, 0.5 * pixel, d);
  gl_FragColor = mix(color, transparent, outside);
  #endif
}
`;
  }

  /* The polygons of viewer.js's SHAPES, closed and padded with their first point, two points per vec4. */
  function shapePoints() {
    const names = h.ALL_SHAPES.slice(1);
    const data = new Float32Array(names.length * MAX_POINTS * 2);
    names.forEach((name, index) => {
      const flat = viewer.SHAPES[name];
      const points = [];
      for (let i = 0; i < flat.length; i += 2) points.push([flat[i], flat[i + 1]]);
      points.push(points[0]);
      while (points.length < MAX_POINTS) points.push(points[0]);
      points.slice(0, MAX_POINTS).forEach(([x, y], i) => {
        data[(index * MAX_POINTS + i) * 2] = x;
        data[(index * MAX_POINTS + i) * 2 + 1] = y;
      });
    });
    return { data, polygons: names.length };
  }

  function makeShapeProgram() {
    const { NodeProgram } = window.Sigma.rendering;
    const { floatColor } = window.Sigma.utils;
    const { data: points, polygons } = shapePoints();
    const FRAGMENT = fragmentSource(polygons);
    const { UNSIGNED_BYTE, FLOAT, TRIANGLES } = WebGLRenderingContext;
    class ShapeProgram extends NodeProgram {
      getDefinition() {
        return {
          VERTICES: 3,
          VERTEX_SHADER_SOURCE: VERTEX,
          FRAGMENT_SHADER_SOURCE: FRAGMENT,
          METHOD: TRIANGLES,
          UNIFORMS: ["u_sizeRatio", "u_correctionRatio", "u_matrix", "u_points"],
          ATTRIBUTES: [
            { name: "a_position", size: 2, type: FLOAT },
            { name: "a_size", size: 1, type: FLOAT },
            { name: "a_color", size: 4, type: UNSIGNED_BYTE, normalized: true },
            { name: "a_id", size: 4, type: UNSIGNED_BYTE, normalized: true },
            { name: "a_borderColor", size: 4, type: UNSIGNED_BYTE, normalized: true },
            { name: "a_shape", size: 1, type: FLOAT },
            { name: "a_border", size: 1, type: FLOAT },
            { name: "a_angle", size: 1, type: FLOAT },
          ],
        };
      }

      /* three vertices per node, each with all of the node's attributes */
      processVisibleItem(nodeIndex, offset, data) {
        const array = this.array;
        const color = floatColor(data.color);
        const border = floatColor(data.borderColor || COLORS.outline);
        for (const angle of ANGLES) {
          array[offset++] = data.x;
          array[offset++] = data.y;
          array[offset++] = data.size;
          array[offset++] = color;
          array[offset++] = nodeIndex;
          array[offset++] = border;
          array[offset++] = data.shape || 0;
          array[offset++] = data.border === undefined ? 1 : data.border;
          array[offset++] = angle;
        }
      }

      setUniforms(params, { gl, uniformLocations }) {
        gl.uniform1f(uniformLocations.u_correctionRatio, params.correctionRatio);
        gl.uniform1f(uniformLocations.u_sizeRatio, params.sizeRatio);
        gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
        gl.uniform4fv(uniformLocations.u_points, points);
      }
    }
    return ShapeProgram;
  }

  /* ------------------------------------------------------------------ labels */

  function labelText(key, label) {
    const chars = key === marks.selected ? 2 * LABEL_CHARS : LABEL_CHARS;
    return h.wrapWords(label, chars, 1)[0] || "";
  }

  function labelFont(key) { return `${key === marks.selected ? 600 : 400} ${LABEL_PX}px ${FONT}`; }

  /* The box of a label drawn centred under a node at (x, y) of radius `size`, in screen pixels. */
  function labelBox(context, key, text, x, y, size) {
    context.font = labelFont(key);
    const half = context.measureText(text).width / 2 + 3;
    const top = y + size + 2;
    return { x1: x - half, x2: x + half, y1: top, y2: top + LABEL_PX * 1.3 + 2 };
  }

  /* A frame starts: its labels are placed from scratch (at the first label, once the positions of the frame
   * are known: sigma computes them after its beforeRender event). */
  function startFrame() {
    drawn = [];
    reserved = null;
    grid = null;
  }

  /* Before sigma's labels: the selected node, the path and the neighbours, in that order, where they fit. */
  function reserveLabels(context) {
    reserved = new Map();
    grid = h.boxGrid(64);
    const first = [];
    if (marks.selected) first.push(marks.selected);
    for (const key of marks.pathNodes) first.push(key);
    if (marks.neighbours.size <= FORCED_LABELS_MAX) for (const key of marks.neighbours) first.push(key);
    for (const key of first) {
      if (reserved.has(key) || hidden.nodes.has(key) || !graph.hasNode(key)) continue;
      const data = renderer.getNodeDisplayData(key);
      if (!data) continue;
      const point = renderer.framedGraphToViewport(data);
      const box = labelBox(context, key, labelText(key, data.label), point.x, point.y, renderer.scaleSize(data.size));
      if (key !== marks.selected && (!inside(box) || grid.hits(box))) continue;
      grid.add(box);
      reserved.set(key, box);
    }
  }

  /* A label cut by the edge of the graph area is not drawn (the selected node's excepted). */
  function inside(box) {
    const { width, height } = renderer.getDimensions();
    return box.x1 >= 0 && box.y1 >= 0 && box.x2 <= width && box.y2 <= height;
  }

  function drawLabel(context, data) {
    if (!data.label) return;
    if (!grid) reserveLabels(context);
    const text = labelText(data.key, data.label);
    let box = reserved.get(data.key);
    if (!box) {
      box = labelBox(context, data.key, text, data.x, data.y, data.size);
      if (!inside(box) || grid.hits(box)) return;
      grid.add(box);
    }
    drawn.push({ key: data.key, text, box });
    context.font = labelFont(data.key);
    context.textAlign = "center";
    context.textBaseline = "top";
    context.lineJoin = "round";
    context.lineWidth = 4;
    context.strokeStyle = "#ffffff";
    context.strokeText(text, data.x, box.y1 + 1);
    context.fillStyle = COLORS.ink;
    context.fillText(text, data.x, box.y1 + 1);
    context.textAlign = "start";
    context.textBaseline = "alphabetic";
  }

  function drawHover(context, data) {
    context.beginPath();
    context.arc(data.x, data.y, data.size + 3, 0, 2 * Math.PI);
    context.lineWidth = 2;
    context.strokeStyle = COLORS.ink;
    context.stroke();
  }

  /* ------------------------------------------------------------------ colours and reducers */

  function towardsWhite(hex, amount) {
    const value = /^#([0-9a-f]{6})$/i.exec(String(hex || ""));
    if (!value) return "#eeeeee";
    const n = parseInt(value[1], 16);
    const mix = (c) => Math.round(c + (255 - c) * amount).toString(16).padStart(2, "0");
    return `#${mix(n >> 16)}${mix((n >> 8) & 255)}${mix(n & 255)}`;
  }

  /* zIndex: the selected node over the path, its neighbours and the matches, over the rest (faded or not),
   * so that in a crowded view what is marked is not drawn under what is not. */
  function nodeReducer(key, data) {
    if (hidden.nodes.has(key)) return { ...data, hidden: true };
    const out = { ...data, zIndex: 0 };
    if (marks.selected) {
      if (key === marks.selected) {
        out.border = 3;
        out.borderColor = "#000000";
        out.forceLabel = true;
        out.size = data.size * 1.25;
        out.zIndex = 2;
      } else if (marks.neighbours.has(key)) {
        out.forceLabel = marks.neighbours.size <= FORCED_LABELS_MAX;
        out.zIndex = 1;
      } else {
        out.color = towardsWhite(data.color, FADED);
        out.borderColor = towardsWhite(COLORS.outline, FADED);
      }
    }
    if (marks.pathNodes.has(key)) {
      out.border = 3;
      out.borderColor = COLORS.path;
      out.forceLabel = true;
      out.zIndex = Math.max(out.zIndex, 1);
    }
    if (marks.matches.has(key) && key !== marks.selected) {
      out.border = 3;
      out.borderColor = COLORS.ink;
      out.zIndex = Math.max(out.zIndex, 1);
    }
    return out;
  }

  function edgeReducer(key, data) {
    if (hidden.edges.has(key)) return { ...data, hidden: true };
    if (marks.pathEdges.has(key)) return { ...data, color: COLORS.path, size: 3 };
    if (!marks.selected) return data;
    if (marks.links.has(key)) return { ...data, color: COLORS.neighbour, size: 2 };
    return { ...data, color: "#e3e6ec" };
  }

  /* Reducers again now, one redraw at the next frame however many changes come in this task. */
  function refresh() { if (renderer) renderer.scheduleRefresh(); }

  /* ------------------------------------------------------------------ the graph */

  function nodeAttributes(data, position) {
    const size = Number(data.size) > 0 ? Number(data.size) : 12;
    const x = position ? position.x : Number(data.x) || 0;
    const y = position ? position.y : Number(data.y) || 0;
    return {
      x, y: -y,  /* sigma's y axis points up, the service's down */
      baseSize: size, size: size * nodeScale, label: String(data.label || data.id), kind: data.type || "Resource",
      date: data.date || "", description: data.description || "", type: "shape",
    };
  }

  function addEdge(data) {
    const key = h.edgeId(data);
    if (graph.hasEdge(key) || !graph.hasNode(data.source) || !graph.hasNode(data.target)) return false;
    const evidence = String(data.evidence || "");
    graph.addDirectedEdgeWithKey(key, data.source, data.target, {
      relation: h.localName(data.relation || data.key || ""), relationLabel: String(data.label || ""), evidence,
      locators: evidence.split("; ").filter(Boolean), color: evidence ? linkColors.evidence : linkColors.none, size: 1,
    });
    return true;
  }

  /* Colour and shape of every node from its type (viewer.js: typeStylesFor, as for the canvas). */
  function styleTypes() {
    const seen = new Map();
    graph.forEachNode((key, attributes) => {
      const type = attributes.kind;
      if (!seen.has(type)) seen.set(type, (h.KNOWN[type] && h.KNOWN[type].color) || attributes.typeColor || "#dddddd");
    });
    state.typeStyles = h.typeStylesFor(seen);
    graph.updateEachNodeAttributes((key, attributes) => {
      const style = state.typeStyles.get(attributes.kind);
      attributes.color = style.color;
      attributes.shape = h.ALL_SHAPES.indexOf(style.shape);
      return attributes;
    });  /* no hints: sigma then indexes nodes added since its last frame (Expand, the path) before drawing */
  }

  /* Nodes of a neighbourhood that are not in the graph yet, on a ring around `centre` (service units). */
  function addElements(payload, centre, wanted) {
    const fresh = payload.elements.nodes.filter((n) => !graph.hasNode(n.data.id) && (!wanted || wanted(n.data.id)));
    const radius = 60 + 6 * fresh.length;
    fresh.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, fresh.length);
      const attributes = nodeAttributes(n.data, { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) });
      attributes.typeColor = n.data.color;
      graph.addNode(n.data.id, attributes);
    });
    return fresh.length;
  }

  function centreOf(key) {
    if (!key || !graph.hasNode(key)) return { x: 0, y: 0 };
    const a = graph.getNodeAttributes(key);
    return { x: a.x, y: -a.y };
  }

  async function fetchEgo(iri) {
    return h.fetchJson(h.viewUrl("ego", new URLSearchParams({ node: iri, depth: "1" }), "cyjs"));
  }

  function clear() {
    if (moves.settle) clearTimeout(moves.settle);
    if (renderer) renderer.kill();
    renderer = null;
    graph = null;
    hidden.nodes.clear();
    hidden.edges.clear();
    marks.selected = null;
    for (const set of [marks.neighbours, marks.links, marks.pathNodes, marks.pathEdges, marks.matches]) set.clear();
    drawn = [];
  }

  async function load(payload, restoring) {
    await loadLibraries();
    clear();
    const container = $("sigma");
    const nodes = payload.elements.nodes;
    const area = Math.max(1, container.clientWidth * container.clientHeight);
    nodeScale = Math.min(0.6, Math.max(0.08, (0.35 * Math.sqrt(area / Math.max(1, nodes.length))) / 16));
    /* thousands of links in the default grey make one grey mass: lighter, where links are many */
    linkColors = payload.elements.edges.length > BIG_LINKS ? { evidence: "#c4c9d2", none: "#dcdfe5" }
      : { evidence: COLORS.edge, none: "#c3c8d2" };
    graph = new window.graphology.MultiDirectedGraph();
    for (const node of nodes) {
      if (graph.hasNode(node.data.id)) continue;
      const attributes = nodeAttributes(node.data, node.position);
      attributes.typeColor = node.data.color;
      graph.addNode(node.data.id, attributes);
    }
    for (const edge of payload.elements.edges) addEdge(edge.data);
    if (restoring) {
      const kept = [];
      for (const iri of state.expanded) {
        try {
          const ego = await fetchEgo(iri);
          addElements(ego, centreOf(iri));
          for (const edge of ego.elements.edges) addEdge(edge.data);
          kept.push(iri);
        } catch (error) {
          h.setStatus(`Could not expand ${h.shortId(iri)}: ${error.message}`, true);
        }
      }
      state.expanded = kept;
    }
    styleTypes();
    /* the filters, the path and the selection first, so that sigma's first frame is already the right one */
    renderLegends();
    applyFilters();
    if (state.path.from && state.path.to) await findPath(false);
    const wanted = state.pendingSelection !== undefined ? state.pendingSelection : state.centre;
    state.pendingSelection = undefined;
    if (wanted && graph.hasNode(wanted) && !hidden.nodes.has(wanted)) select(wanted, false, true);
    /* sigma draws its graph as it is constructed, before `renderer` is set: an empty graph there, the view below */
    renderer = new window.Sigma(new window.graphology.MultiDirectedGraph(), container, {
      nodeProgramClasses: { shape: makeShapeProgram() },
      defaultNodeType: "shape",
      defaultEdgeType: "arrow",
      defaultEdgeColor: COLORS.edge,
      minEdgeThickness: 0.8,
      labelFont: FONT,
      labelSize: LABEL_PX,
      labelColor: { color: COLORS.ink },
      labelDensity: LABEL_DENSITY,
      labelGridCellSize: LABEL_GRID,
      labelRenderedSizeThreshold: LABEL_MIN_SIZE,
      defaultDrawNodeLabel: drawLabel,
      defaultDrawNodeHover: drawHover,
      nodeReducer,
      edgeReducer,
      zIndex: true,
      enableCameraRotation: false,
      minCameraRatio: 0.005,
      maxCameraRatio: 4,
      stagePadding: 24,
    });
    installPictureMoves();
    setMoves(moves.mode);
    renderer.on("beforeRender", startFrame);
    renderer.on("clickNode", ({ node }) => select(node, false));
    renderer.on("clickStage", () => deselect());
    renderer.on("enterNode", ({ node, event }) => showTooltip(node, event));
    renderer.on("leaveNode", h.hideTooltip);
    renderer.getCamera().on("updated", h.hideTooltip);
    renderer.setGraph(graph);
  }

  function counts() { return { nodes: graph ? graph.order : 0, edges: graph ? graph.size : 0 }; }

  function labelOf(iri) { return graph && graph.hasNode(iri) ? graph.getNodeAttribute(iri, "label") : ""; }

  /* ------------------------------------------------------------------ filters and legends */

  function facts() {
    const nodes = [], links = [];
    graph.forEachNode((key, a) => nodes.push({ id: key, type: a.kind, label: a.label, date: a.date }));
    graph.forEachEdge((key, a, source, target) => links.push({ id: key, source, target, relation: a.relation,
                                                               label: a.relationLabel, locators: a.locators }));
    return { nodes, links };
  }

  function renderLegends() {
    if (!graph) return;
    const { nodes, links } = facts();
    h.renderLegendsFrom(nodes, links);
  }

  function applyFilters() {
    if (!graph) return;
    const { nodes, links } = facts();
    const kept = h.keptBy(state.filters, nodes, links);
    hidden.nodes = new Set(nodes.filter((n) => !kept.nodes.has(n.id)).map((n) => n.id));
    hidden.edges = new Set(links.filter((e) => !kept.links.has(e.id)).map((e) => e.id));
    if (marks.selected && hidden.nodes.has(marks.selected)) hideDetails();
    else if (marks.selected) markNeighbours(marks.selected);
    updateCounts();
    refresh();
  }

  function updateCounts() {
    const total = graph.order, links = graph.size;
    const shownNodes = total - hidden.nodes.size, shownLinks = links - hidden.edges.size;
    const expanded = state.expanded.length ? " (expanded)" : "";
    $("stats").textContent = shownNodes === total && shownLinks === links ? `${total} nodes, ${links} links${expanded}`
      : `${shownNodes} of ${total} nodes, ${shownLinks} of ${links} links shown${expanded}`;
    $("stats").dataset.visible = String(shownNodes);
    const byType = new Map();
    graph.forEachNode((key, a) => { if (!hidden.nodes.has(key)) byType.set(a.kind, (byType.get(a.kind) || 0) + 1); });
    for (const item of $("type-list").querySelectorAll("li")) {
      const count = byType.get(item.dataset.type) || 0;
      item.querySelector(".count").textContent = String(count === Number(item.dataset.total) ? count : `${count}/${item.dataset.total}`);
    }
  }

  /* ------------------------------------------------------------------ selection and details */

  function markNeighbours(key) {
    marks.neighbours = new Set();
    marks.links = new Set();
    graph.forEachEdge(key, (edge, a, source, target) => {
      if (hidden.edges.has(edge)) return;
      marks.links.add(edge);
      marks.neighbours.add(source === key ? target : source);
    });
  }

  function select(key, center, quiet) {
    if (!graph || !graph.hasNode(key)) return;
    marks.selected = key;
    state.selected = { id: () => key };
    markNeighbours(key);
    showDetails(key);
    refresh();
    if (center && renderer) {
      /* the camera works in sigma's normalised coordinates; the display data has them only after the next frame */
      const point = renderer.normalizationFunction(graph.getNodeAttributes(key));
      renderer.getCamera().animate({ ...point, ratio: Math.min(renderer.getCamera().ratio, 0.15) }, { duration: 300 });
    }
    if (!quiet) h.writeAddress();
  }

  function hideDetails() {
    $("details").hidden = true;
    marks.selected = null;
    marks.neighbours = new Set();
    marks.links = new Set();
    state.selected = null;
  }

  function deselect() {
    hideDetails();
    refresh();
    h.writeAddress();
  }

  function showDetails(key) {
    const a = graph.getNodeAttributes(key);
    $("details").hidden = false;
    $("details-label").textContent = a.label;
    $("details-type").textContent = a.kind;
    $("details-date").textContent = a.date ? `date: ${a.date}` : "";
    h.setIriLink($("details-iri"), key);
    $("details-description").textContent = a.description;

    const rows = [];
    const evidence = new Set();
    graph.forEachEdge(key, (edge, e, source, target) => {
      if (hidden.edges.has(edge)) return;
      e.locators.forEach((label) => evidence.add(label));
      const outgoing = source === key;
      const other = outgoing ? target : source;
      rows.push({ e, outgoing, other, sortKey: `${e.relationLabel} ${graph.getNodeAttribute(other, "label")}` });
    });
    h.renderEvidence(evidence);
    const links = $("details-links");
    links.replaceChildren();
    $("details-link-count").textContent = `(${rows.length})`;
    rows.sort((x, y) => x.sortKey.localeCompare(y.sortKey));
    for (const { e, outgoing, other } of rows) {
      const item = document.createElement("li");
      const relation = document.createElement("span");
      relation.className = "relation";
      relation.textContent = outgoing ? `${e.relationLabel} → ` : `← ${e.relationLabel} · `;
      const target = document.createElement("button");
      target.type = "button";
      target.textContent = graph.getNodeAttribute(other, "label");
      target.title = other;
      target.addEventListener("click", () => select(other, true));
      item.append(relation, target);
      if (e.evidence) {
        const source = document.createElement("span");
        source.className = "evidence";
        source.textContent = e.evidence;
        item.append(source);
      }
      links.append(item);
    }
  }

  function showTooltip(key, event) {
    const a = graph.getNodeAttributes(key);
    const tip = $("tooltip");
    tip.replaceChildren();
    const title = document.createElement("strong");
    const line = document.createElement("span");
    title.textContent = a.label;
    const degree = graph.degree(key);
    const parts = [a.kind, `${degree} link${degree === 1 ? "" : "s"}`];
    if (a.date) parts.push(`date ${a.date}`);
    line.textContent = parts.join(" · ");
    tip.append(title, line);
    tip.hidden = false;
    const area = $("graph-area").getBoundingClientRect();
    const x = Math.min(event.x + 14, area.width - tip.offsetWidth - 8);
    const y = event.y + 14 + tip.offsetHeight > area.height ? event.y - tip.offsetHeight - 10 : event.y + 14;
    tip.style.left = `${Math.max(4, x)}px`;
    tip.style.top = `${Math.max(4, y)}px`;
  }

  /* ------------------------------------------------------------------ search, expand, path */

  function search(text) {
    const list = $("search-results");
    list.replaceChildren();
    marks.matches = new Set();
    const query = text.trim().toLowerCase();
    if (!graph) return;
    if (query.length >= 2) {
      graph.forEachNode((key, a) => {
        if (!hidden.nodes.has(key) && (a.label.toLowerCase().includes(query) || key.toLowerCase().includes(query))) marks.matches.add(key);
      });
      const sorted = [...marks.matches].sort((x, y) => labelOf(x).localeCompare(labelOf(y)));
      h.renderMatches(list, sorted.map((key) => ({
        text: `${labelOf(key)} · ${graph.getNodeAttribute(key, "kind")}`, choose: () => select(key, true),
      })));
    }
    refresh();
  }

  async function expand() {
    const key = marks.selected;
    if (!key) return;
    h.setStatus("Expanding…");
    let found;
    try {
      found = await fetchEgo(key);
    } catch (error) {
      h.setStatus(`Could not expand: ${error.message}`, true);
      return;
    }
    const added = addElements(found, centreOf(key));
    for (const edge of found.elements.edges) addEdge(edge.data);
    if (!state.expanded.includes(key)) state.expanded.push(key);
    styleTypes();
    renderLegends();
    applyFilters();
    $("stats").dataset.nodes = String(graph.order);
    $("stats").dataset.edges = String(graph.size);
    h.setStatus(`${added} neighbour(s) added`);
    select(key, false);
  }

  /* The shortest path (GET /graph/paths, in the whole view), with the nodes and links of it the view lacks. */
  async function findPath(interactive) {
    marks.pathNodes = new Set();
    marks.pathEdges = new Set();
    state.path.steps = [];
    const { from, to } = state.path;
    if (!graph || !from || !to) { refresh(); return; }
    let answer;
    try {
      answer = await h.fetchJson(`/graph/paths?${new URLSearchParams({ from, to, max_length: "1", limit: "1" })}`);
    } catch (error) {
      h.setStatus(`Could not find a path: ${error.message}`, true);
      h.renderPath();
      return;
    }
    const steps = answer.shortest || [];
    if (!steps.length) {
      h.setStatus("There is no path between these two nodes in the whole graph.", true);
      h.renderPath();
      return;
    }
    let added = 0;
    for (const step of steps) {
      const [u, v] = step.inverse ? [step.target, step.source] : [step.source, step.target];
      const id = h.edgeId({ source: u, key: step.relation, target: v });
      if (graph.hasNode(u) && graph.hasNode(v) && graph.hasEdge(id)) continue;
      const missing = graph.hasNode(u) ? v : u;
      try {
        const ego = await fetchEgo(missing);
        added += addElements(ego, centreOf(missing === u ? v : u), (n) => n === u || n === v);
        ego.elements.edges.filter((e) => h.edgeId(e.data) === id).forEach((e) => addEdge(e.data));
      } catch (error) {
        h.setStatus(`Could not add the path: ${error.message}`, true);
      }
    }
    state.path.steps = steps;
    for (const step of steps) {
      const [u, v] = step.inverse ? [step.target, step.source] : [step.source, step.target];
      marks.pathNodes.add(u);
      marks.pathNodes.add(v);
      marks.pathEdges.add(h.edgeId({ source: u, key: step.relation, target: v }));
    }
    if (interactive) {
      if (added) { styleTypes(); renderLegends(); }
      applyFilters();
      const hiddenOnPath = [...marks.pathNodes].filter((n) => hidden.nodes.has(n)).length
        + [...marks.pathEdges].filter((e) => hidden.edges.has(e)).length;
      h.setStatus(`A path of ${steps.length} link(s)${added ? `; ${added} node(s) added to the view` : ""}`
        + `${hiddenOnPath ? `; ${hiddenOnPath} of its elements are hidden by the filters` : ""}.`);
      $("stats").dataset.nodes = String(graph.order);
      $("stats").dataset.edges = String(graph.size);
      h.renderPath();
      h.writeAddress();
    } else {
      refresh();
    }
  }

  /* ------------------------------------------------------------------ camera, layout, picture */

  /* Moving the picture: while the camera moves (an animation, a drag, the wheel), the last frame drawn is
   * moved and scaled with a CSS transform instead of being drawn again, and drawn again SETTLE_MS after the
   * movement stops. Where WebGL is software (headless Chromium's SwiftShader, llvmpipe) a full frame of a
   * big view takes far longer than the 33 ms of 30 frames a second (bench/viewer_fps.py measures both),
   * while moving a picture costs the compositor alone. Mode "auto" starts so with software WebGL above
   * SOFTWARE_ITEMS nodes and links, and switches to it anywhere once two frames drawn in a row while
   * moving came more than SLOW_FRAME_MS apart; "picture" and "live" force either (for the benchmark). */
  const moves = { mode: "auto", picture: false, base: null, settle: null, forced: false, real: null, last: 0, slow: 0 };

  function movingNow() {
    const camera = renderer.getCamera();
    const captor = renderer.getMouseCaptor();
    return camera.isAnimated() || captor.isMoving || Boolean(captor.draggedEvents) || Boolean(captor.currentWheelDirection);
  }

  function softwareWebgl() {
    const gl = renderer.webGLContexts.nodes;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    return SOFTWARE.test(String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)));
  }

  /* The layers moved with the picture; the others (edge labels, hover) are hidden meanwhile, so that the
   * compositor has fewer layers to draw per frame. The mouse layer, on top, takes the events and stays. */
  const MOVED = new Set(["edges", "nodes", "labels"]);

  function placePicture(transform) {
    for (const [id, canvas] of Object.entries(renderer.getCanvases())) {
      if (id === "mouse") continue;
      if (MOVED.has(id)) {
        canvas.style.transformOrigin = "0 0";
        canvas.style.transform = transform;
      } else {
        canvas.style.visibility = transform ? "hidden" : "";
      }
    }
  }

  function setMoves(mode) {
    moves.mode = mode;
    moves.picture = mode === "picture" || (mode === "auto" && softwareWebgl() && graph.order + graph.size > SOFTWARE_ITEMS);
    moves.slow = 0;
    moves.last = 0;
  }

  /* Two frames in a row drawn while moving, each more than SLOW_FRAME_MS after the one before: too slow to
   * draw live. */
  function noteFrame(moving) {
    const now = performance.now();
    if (moves.mode === "auto" && !moves.picture && moving && moves.last) {
      moves.slow = now - moves.last > SLOW_FRAME_MS ? moves.slow + 1 : 0;
      if (moves.slow >= 2) moves.picture = true;
    }
    moves.last = moving ? now : 0;
  }

  function installPictureMoves() {
    moves.real = renderer.render.bind(renderer);
    moves.base = null;
    renderer.render = function render() {
      const moving = !moves.forced && movingNow();
      if (moves.picture && moves.base && moving) {
        renderer.renderFrame = null;  /* sigma schedules the next frame only when this is cleared */
        const now = renderer.getCamera().getState();
        const a = { x: 0, y: 0 }, b = { x: 1, y: 1 };
        const a0 = renderer.framedGraphToViewport(a, { cameraState: moves.base });
        const b0 = renderer.framedGraphToViewport(b, { cameraState: moves.base });
        const a1 = renderer.framedGraphToViewport(a, { cameraState: now });
        const b1 = renderer.framedGraphToViewport(b, { cameraState: now });
        const scale = (b1.x - a1.x) / (b0.x - a0.x || 1);
        placePicture(`translate(${a1.x - scale * a0.x}px, ${a1.y - scale * a0.y}px) scale(${scale})`);
        clearTimeout(moves.settle);
        moves.settle = setTimeout(() => { moves.forced = true; renderer.render(); moves.forced = false; }, SETTLE_MS);
        renderer.emit("afterMove");
        return renderer;
      }
      clearTimeout(moves.settle);
      placePicture("");
      noteFrame(moving);
      moves.real();
      moves.base = renderer.getCamera().getState();
      return renderer;
    };
  }

  function fit() {
    if (renderer) renderer.getCamera().animatedReset({ duration: 300 });
  }

  /* What is on screen as a PNG: the layers drawn now, in their order, on white. */
  function png(done) {
    if (!renderer) return;
    renderer.render();  /* the WebGL layers can be read in the task that drew them */
    const canvases = [...$("sigma").querySelectorAll("canvas")];
    const first = canvases[0];
    const out = document.createElement("canvas");
    out.width = first.width;
    out.height = first.height;
    const context = out.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, out.width, out.height);
    for (const canvas of canvases) context.drawImage(canvas, 0, 0, out.width, out.height);
    out.toBlob(done, "image/png");
  }

  /* In the graph: Escape deselects, + and - zoom, the arrow keys move the selection to the nearest node that way. */
  function onKey(event) {
    if (!renderer) return;
    const ways = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (event.key === "Escape") deselect();
    else if (event.key === "+" || event.key === "=") renderer.getCamera().animatedZoom({ duration: 200 });
    else if (event.key === "-") renderer.getCamera().animatedUnzoom({ duration: 200 });
    else if (ways[event.key]) {
      event.preventDefault();
      const [dx, dy] = ways[event.key];
      if (!marks.selected) {
        let best = null;
        graph.forEachNode((key) => { if (!hidden.nodes.has(key) && (!best || graph.degree(key) > graph.degree(best))) best = key; });
        if (best) select(best, true);
        return;
      }
      const from = graph.getNodeAttributes(marks.selected);
      let best = null, bestScore = Infinity;
      graph.forEachNode((key, a) => {
        if (key === marks.selected || hidden.nodes.has(key)) return;
        const qx = a.x - from.x, qy = -(a.y - from.y);
        const along = qx * dx + qy * dy;
        if (along <= 0) return;
        const score = along + 2 * Math.abs(qx * dy - qy * dx);
        if (score < bestScore) { best = key; bestScore = score; }
      });
      if (best) select(best, true);
    }
  }
  $("sigma").addEventListener("keydown", onKey);

  window.skgWebgl = {
    supported, load, clear, counts, labelOf, applyFilters, renderLegends, search, deselect, expand, findPath, fit, png,
    /* for tests and benchmarks */
    renderer: () => renderer, graph: () => graph, drawnLabels: () => drawn.map((label) => ({ ...label })),
    /* "auto", "picture" or "live" sets how the camera moves; returns whether it moves the picture now */
    moves: (mode) => { if (mode !== undefined && graph) setMoves(mode); return moves.picture; },
  };
})();
