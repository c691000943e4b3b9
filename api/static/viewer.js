/* The solidarity-kg graph viewer.
 *
 * It is a client of the public API: GET /views lists the views and formats,
 * GET /views/{view}?format=cyjs returns the elements. Every piece of data is
 * put into the page with textContent or as an attribute value, never as HTML.
 */
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const SMALL_VIEW = 300;
  const MAX_FIT_ZOOM = 2;
  const PLACEHOLDERS = { types: "e.g. State,Practice", predicates: "e.g. carriedOutBy,location",
                         node: "IRI or id, e.g. actor/state/DEU", practice: "id, e.g. A-73-206-10-1" };
  const state = { views: new Map(), formats: [], view: null, params: new URLSearchParams(), selected: null };

  const cy = cytoscape({
    container: $("cy"),
    minZoom: 0.02,
    maxZoom: 6,
    style: [
      { selector: "node", style: {
        "background-color": "data(color)", "width": "data(size)", "height": "data(size)",
        "label": "data(label)", "font-size": 9, "min-zoomed-font-size": 7, "color": "#1d2330",
        "text-valign": "bottom", "text-margin-y": 2, "text-wrap": "ellipsis", "text-max-width": "140px",
        "border-width": 0.5, "border-color": "#ffffff" } },
      { selector: "edge", style: {
        "width": 0.8, "line-color": "#c3c9d4", "curve-style": "bezier", "target-arrow-shape": "triangle",
        "target-arrow-color": "#c3c9d4", "arrow-scale": 0.6, "opacity": 0.8 } },
      { selector: "node.hub", style: { "min-zoomed-font-size": 0, "font-size": 11, "font-weight": "bold",
        "text-outline-color": "#ffffff", "text-outline-width": 1.5 } },
      { selector: "node.labelled", style: { "min-zoomed-font-size": 0 } },
      { selector: "node.match", style: { "border-width": 3, "border-color": "#f5b400" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#d81b60", "font-size": 12,
        "font-weight": "bold", "z-index": 10, "min-zoomed-font-size": 0 } },
      { selector: "node.neighbour", style: { "min-zoomed-font-size": 0, "z-index": 9 } },
      { selector: "edge.neighbour", style: { "line-color": "#d81b60", "target-arrow-color": "#d81b60", "width": 1.6,
        "opacity": 1, "z-index": 9 } },
      { selector: "edge.labelled-edge", style: { "label": "data(label)", "font-size": 8, "text-rotation": "autorotate",
        "color": "#8a1040", "text-background-color": "#ffffff", "text-background-opacity": 0.8 } },
      { selector: "node.faded", style: { "opacity": 0.25 } },
      { selector: "edge.faded", style: { "opacity": 0.1 } },
    ],
  });
  window.skgViewer = { cy, state };

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

  function edgeId(data) {
    return `${data.source} ${data.key || data.relation} ${data.target}`;
  }

  function toElements(payload) {
    const nodes = payload.elements.nodes.map((node) => ({ group: "nodes", data: node.data, position: node.position }));
    const edges = payload.elements.edges.map((edge) => ({ group: "edges", data: { ...edge.data, id: edgeId(edge.data) } }));
    return { nodes, edges };
  }

  async function loadView(name, params) {
    const started = performance.now();
    setStatus("Loading…");
    $("stats").textContent = "";
    $("stats").removeAttribute("data-nodes");
    let payload;
    try {
      payload = await fetchJson(viewUrl(name, params, "cyjs"));
    } catch (error) {
      setStatus(`Could not load the view: ${error.message}`, true);
      return;
    }
    state.view = name;
    state.params = params;
    const { nodes, edges } = toElements(payload);
    cy.startBatch();
    cy.elements().remove();
    cy.add(nodes);
    cy.add(edges);
    cy.endBatch();
    markHubs();
    const positioned = nodes.length > 0 && nodes.every((node) => node.position);
    const practice = payload.data && payload.data.practice;
    if (positioned && nodes.length > SMALL_VIEW) {
      cy.layout({ name: "preset", fit: false }).run();
      fitView();
    } else if (practice && cy.getElementById(practice).nonempty()) {
      /* explanation paths read from the practice outwards, one level per link */
      cy.nodes().addClass("labelled");
      cy.one("layoutstop", fitView);
      cy.layout({ name: "breadthfirst", roots: cy.getElementById(practice), directed: false, circle: true, spacingFactor: 0.9,
                  animate: false, fit: true, padding: 30 }).run();
    } else {
      /* small views: a force layout reads better than the positions of the whole view */
      cy.nodes().addClass("labelled");
      runForceLayout();
    }
    hideDetails();
    renderTypes();
    updateDownload();
    const query = new URLSearchParams(params);
    query.set("view", name);
    history.replaceState(null, "", `/viewer?${query.toString()}`);
    $("stats").textContent = `${cy.nodes().length} nodes, ${cy.edges().length} links`;
    $("stats").dataset.nodes = String(cy.nodes().length);
    $("stats").dataset.edges = String(cy.edges().length);
    setStatus(`Loaded in ${Math.round(performance.now() - started)} ms.`);
    const centre = payload.data && (payload.data.node || payload.data.practice);
    if (centre && cy.getElementById(centre).nonempty()) {
      selectNode(cy.getElementById(centre));
      fitView();
    }
    $("search").dispatchEvent(new Event("input"));
  }

  function scaleHubLabels() {
    /* hub labels stay readable (about 12 px on screen) when zoomed out */
    const size = Math.min(80, Math.max(11, 12 / cy.zoom()));
    cy.style().selector("node.hub").style({ "font-size": size, "text-outline-width": size / 8 }).update();
  }

  function markHubs() {
    /* the best-linked nodes keep their label at any zoom, so the overview has landmarks */
    const degrees = cy.nodes().map((node) => node.degree()).sort((a, b) => b - a);
    const threshold = Math.max(3, degrees[Math.min(degrees.length - 1, 12)] || 0);
    cy.nodes().removeClass("hub");
    cy.nodes().filter((node) => node.degree() >= threshold).addClass("hub");
  }

  function fitView() {
    cy.resize();
    cy.fit(undefined, 30);
    if (cy.zoom() > MAX_FIT_ZOOM) {
      cy.zoom(MAX_FIT_ZOOM);
      cy.center();
    }
  }

  function runForceLayout() {
    const count = cy.nodes().length;
    cy.one("layoutstop", fitView);
    cy.layout({ name: "cose", animate: false, fit: true, padding: 30, randomize: count < 60,
                numIter: count > 800 ? 300 : 1000, nodeRepulsion: () => 12000, idealEdgeLength: () => 80,
                nodeOverlap: 8, componentSpacing: 60 }).run();
  }

  /* ------------------------------------------------------------------ types */

  function renderTypes() {
    const counts = new Map();
    cy.nodes().forEach((node) => {
      const type = node.data("type") || "Resource";
      const entry = counts.get(type) || { count: 0, color: node.data("color") };
      entry.count += 1;
      counts.set(type, entry);
    });
    const list = $("type-list");
    list.replaceChildren();
    [...counts.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0])).forEach(([type, entry]) => {
      const item = document.createElement("li");
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = type;
      box.addEventListener("change", applyTypeFilter);
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.backgroundColor = entry.color || "#999";
      const name = document.createElement("span");
      name.textContent = type;
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = String(entry.count);
      label.append(box, swatch, name, count);
      item.append(label);
      list.append(item);
    });
  }

  function applyTypeFilter() {
    const shown = new Set([...$("type-list").querySelectorAll("input:checked")].map((box) => box.value));
    cy.batch(() => {
      cy.nodes().forEach((node) => {
        node.style("display", shown.has(node.data("type") || "Resource") ? "element" : "none");
      });
    });
  }

  function setAllTypes(checked) {
    for (const box of $("type-list").querySelectorAll("input")) box.checked = checked;
    applyTypeFilter();
  }

  /* ------------------------------------------------------------------ search */

  function search(text) {
    const list = $("search-results");
    list.replaceChildren();
    cy.nodes().removeClass("match");
    const query = text.trim().toLowerCase();
    if (query.length < 2) return;
    const matches = cy.nodes().filter((node) => {
      const label = String(node.data("label") || "").toLowerCase();
      return label.includes(query) || String(node.id()).toLowerCase().includes(query);
    });
    matches.addClass("match");
    const sorted = matches.sort((a, b) => String(a.data("label")).localeCompare(String(b.data("label"))));
    sorted.slice(0, 25).forEach((node) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `${node.data("label")} · ${node.data("type")}`;
      button.addEventListener("click", () => selectNode(node, true));
      item.append(button);
      list.append(item);
    });
    if (matches.length > 25) {
      const more = document.createElement("li");
      more.className = "hint";
      more.textContent = `… and ${matches.length - 25} more (highlighted)`;
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
    if (center) cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 250 });
    showDetails(node);
  }

  function hideDetails() {
    $("details").hidden = true;
    cy.resize();
    state.selected = null;
    cy.elements().removeClass("neighbour faded labelled-edge");
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

    const edges = node.connectedEdges();
    cy.elements().removeClass("neighbour faded labelled-edge");
    cy.elements().not(node.closedNeighborhood()).addClass("faded");
    edges.addClass("neighbour");
    if (edges.length <= 15) edges.addClass("labelled-edge");
    node.neighborhood("node").addClass("neighbour");

    const evidence = new Set();
    edges.forEach((edge) => String(edge.data("evidence") || "").split("; ").filter(Boolean).forEach((e) => evidence.add(e)));
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

    const links = $("details-links");
    links.replaceChildren();
    $("details-link-count").textContent = `(${edges.length})`;
    const rows = edges.map((edge) => {
      const outgoing = edge.source().same(node);
      const other = outgoing ? edge.target() : edge.source();
      return { edge, outgoing, other, sortKey: `${edge.data("label")} ${other.data("label")}` };
    }).sort((a, b) => a.sortKey.localeCompare(b.sortKey));
    for (const { edge, outgoing, other } of rows) {
      const item = document.createElement("li");
      const relation = document.createElement("span");
      relation.className = "relation";
      relation.textContent = outgoing ? `${edge.data("label")} → ` : `← ${edge.data("label")} · `;
      const target = document.createElement("button");
      target.type = "button";
      target.textContent = other.data("label") || other.id();
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
  }

  async function expandNeighbours() {
    const node = state.selected;
    if (!node) return;
    setStatus("Expanding…");
    let payload;
    try {
      payload = await fetchJson(viewUrl("ego", new URLSearchParams({ node: node.id(), depth: "1" }), "cyjs"));
    } catch (error) {
      setStatus(`Could not expand: ${error.message}`, true);
      return;
    }
    const { nodes, edges } = toElements(payload);
    const fresh = nodes.filter((n) => cy.getElementById(n.data.id).empty());
    const centre = node.position();
    const radius = 60 + 6 * fresh.length;
    fresh.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, fresh.length);
      n.position = { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) };
    });
    cy.add(fresh);
    cy.add(edges.filter((e) => cy.getElementById(e.data.id).empty()));
    renderTypes();
    $("stats").textContent = `${cy.nodes().length} nodes, ${cy.edges().length} links (expanded)`;
    $("stats").dataset.nodes = String(cy.nodes().length);
    $("stats").dataset.edges = String(cy.edges().length);
    setStatus(`${fresh.length} neighbour(s) added`);
    showDetails(node);
  }

  function openEgo() {
    const node = state.selected;
    if (!node) return;
    const params = new URLSearchParams({ node: node.id(), depth: "1" });
    $("view-select").value = "ego";
    renderOptions("ego", params);
    loadView("ego", params);
  }

  /* ------------------------------------------------------------------ download */

  function updateDownload() {
    const format = $("format-select").value;
    const link = $("download-link");
    if (!state.view || !format) return;
    link.href = viewUrl(state.view, state.params, format);
    const exporter = state.formats.find((f) => f.name === format);
    link.setAttribute("download", `${state.view}.${exporter ? exporter.extension : format}`);
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
      const option = document.createElement("option");
      option.value = view.name;
      option.textContent = view.name.replace(/_/g, " ");
      viewSelect.append(option);
    }
    state.formats = listing.formats;
    for (const format of listing.formats) {
      const option = document.createElement("option");
      option.value = format.name;
      option.textContent = `${format.name} — ${format.description}`;
      $("format-select").append(option);
    }
    const url = new URLSearchParams(window.location.search);
    let name = url.get("view") || (url.get("node") ? "ego" : "whole");
    if (!state.views.has(name)) {
      setStatus(`There is no view named ${name}; showing the whole graph.`, true);
      name = "whole";
    }
    url.delete("view");
    viewSelect.value = name;
    renderOptions(name, url);
    viewSelect.addEventListener("change", () => renderOptions(viewSelect.value, new URLSearchParams()));
    $("view-form").addEventListener("submit", (event) => {
      event.preventDefault();
      loadView(viewSelect.value, formParams());
    });
    $("format-select").addEventListener("change", updateDownload);
    $("search").addEventListener("input", (event) => search(event.target.value));
    $("search").addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        const first = $("search-results").querySelector("button");
        if (first) first.click();
      }
    });
    $("types-all").addEventListener("click", () => setAllTypes(true));
    $("types-none").addEventListener("click", () => setAllTypes(false));
    $("relayout").addEventListener("click", runForceLayout);
    $("fit").addEventListener("click", fitView);
    $("close-details").addEventListener("click", () => { cy.elements().unselect(); hideDetails(); });
    $("expand").addEventListener("click", expandNeighbours);
    $("open-ego").addEventListener("click", openEgo);
    cy.on("tap", "node", (event) => selectNode(event.target, false));
    cy.on("zoom", scaleHubLabels);
    cy.on("tap", (event) => { if (event.target === cy) { cy.elements().unselect(); hideDetails(); } });
    await loadView(name, url);
  }

  start();
})();
