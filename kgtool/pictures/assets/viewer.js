// kgtool viz: the interactive relation graph. Self-contained: no network, no libraries.
// Every label reaches the page through textContent, never innerHTML.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const data = JSON.parse(document.getElementById("kgtool-data").textContent);
  const kinds = new Map(data.kinds.map((k) => [k.key, k]));
  const byId = new Map();
  const nodes = data.nodes.map((n, i) => {
    const node = Object.assign({ index: i, x: 0, y: 0, vx: 0, vy: 0, w: 40, h: 20, fixed: false, edges: [] }, n);
    byId.set(n.id, node);
    return node;
  });
  const edges = data.edges.map((e, i) => Object.assign({ index: i, s: byId.get(e.source), t: byId.get(e.target) }, e));
  edges.forEach((e) => { e.s.edges.push(e); e.t.edges.push(e); });
  const showEdgeWords = edges.length <= 600;
  // Readability, as Gephi and sigma.js keep it: a node label is never drawn smaller than
  // MIN_LABEL_PX on screen (at low zoom nodes keep that size and labels without room are
  // left out, busiest nodes first), edge words appear once they would be EDGE_WORDS_PX,
  // and each wheel notch zooms by NOTCH.
  const LABEL_FONT = 12, MIN_LABEL_PX = 11, EDGE_FONT = 10, EDGE_WORDS_PX = 11, NOTCH = 1.1;
  const MAX_FIT_ZOOM = 1, BARE = 10;  // a node without its label is a BARE x BARE square

  const canvas = document.getElementById("canvas");
  const viewport = document.getElementById("viewport");
  const details = document.getElementById("details");
  let view = { x: 0, y: 0, k: 1 };
  let glyph = 1;  // how much nodes are enlarged so that their labels stay MIN_LABEL_PX on screen
  let selected = null;

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }
  function html(name, text, parent, cls) {
    const node = document.createElement(name);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    if (parent) parent.appendChild(node);
    return node;
  }
  function wrap(text, width) {
    const lines = [];
    let line = "";
    for (const word of String(text).split(/\s+/)) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    }
    if (line) lines.push(line);
    return lines.length > 3 ? lines.slice(0, 3).concat(["…"]) : lines;
  }

  // -- drawing ----------------------------------------------------------------
  const edgeLayer = document.getElementById("edges");
  const nodeLayer = document.getElementById("nodes"), bareLayer = document.getElementById("bare");
  const pairCount = new Map();
  for (const e of edges) {
    const key = [e.source, e.target].sort().join("\u0000");
    e.lane = pairCount.get(key) || 0;
    pairCount.set(key, e.lane + 1);
    // Parallel relations fan out, at most four lanes each side: hundreds would bend into huge arcs.
    e.bend = (e.lane % 2 ? -1 : 1) * Math.min(4, Math.ceil(e.lane / 2)) * 26 * (e.source < e.target ? 1 : -1);
    e.g = el("g", { class: "edge" + (e.hedge.length ? " hedged" : ""), "data-index": e.index }, edgeLayer);
    e.path = el("path", { "marker-end": "url(#arrow)" }, e.g);
    e.hit = el("path", { class: "hit" }, e.g);
    if (showEdgeWords) { e.text = el("text", {}, e.g); e.text.textContent = e.label; }
    e.g.addEventListener("mouseenter", () => { if (!selected) showEdge(e); });
    e.g.addEventListener("click", (ev) => { ev.stopPropagation(); select({ edge: e }); });
  }
  for (const n of nodes) {
    const kind = kinds.get(n.kind) || { fill: "#eee", line: "#999", label: n.kind };
    n.g = el("g", { class: "node", "data-id": n.id, "data-kind": n.kind }, nodeLayer);
    n.rect = el("rect", { rx: n.kind === "person" ? 14 : 4, fill: kind.fill, stroke: kind.line }, n.g);
    n.text = el("text", {}, n.g);
    const lines = wrap(n.label, 26);
    lines.forEach((line, i) => {
      const span = el("tspan", { x: 0, dy: i === 0 ? `${-(lines.length - 1) * 0.6}em` : "1.2em" }, n.text);
      span.textContent = line;
    });
    const title = el("title", {}, n.g);
    title.textContent = n.label;
    const longest = Math.max(...lines.map((l) => l.length));
    n.fullW = n.w = Math.max(36, longest * LABEL_FONT * 0.58 + 16);
    n.fullH = n.h = lines.length * LABEL_FONT * 1.25 + 10;
    n.bare = false;
    shape(n);
    n.g.addEventListener("mouseenter", () => { if (!selected) showNode(n); });
    n.g.addEventListener("click", (ev) => { ev.stopPropagation(); select({ node: n }); });
    n.g.addEventListener("pointerdown", (ev) => startDrag(ev, n));
  }

  function shape(n) {  // the node's box: around its label, or a small square when the label has no room
    const w = n.bare ? BARE : n.fullW, h = n.bare ? BARE : n.fullH;
    n.rect.setAttribute("x", -w / 2); n.rect.setAttribute("y", -h / 2);
    n.rect.setAttribute("width", w); n.rect.setAttribute("height", h);
    n.g.classList.toggle("bare", n.bare);
    if (n.bare !== (n.g.parentNode === bareLayer)) (n.bare ? bareLayer : nodeLayer).appendChild(n.g);  // labels on top
  }
  function boundary(from, to) {  // where the line from `from` to `to` leaves `to`'s box
    const dx = from.x - to.x, dy = from.y - to.y;
    if (!dx && !dy) return { x: to.x, y: to.y };
    const w = (to.bare ? BARE : to.w) * glyph, h = (to.bare ? BARE : to.h) * glyph;
    const scale = Math.min(Math.abs((w / 2 + 3) / (dx || 1e-9)), Math.abs((h / 2 + 3) / (dy || 1e-9)));
    return { x: to.x + dx * Math.min(scale, 1), y: to.y + dy * Math.min(scale, 1) };
  }
  function render() {
    const grow = glyph === 1 ? "" : ` scale(${glyph.toFixed(4)})`;
    for (const n of nodes) n.g.setAttribute("transform", `translate(${n.x.toFixed(1)},${n.y.toFixed(1)})${grow}`);
    for (const e of edges) {
      const len = Math.hypot(e.t.x - e.s.x, e.t.y - e.s.y) || 1;
      const cx = (e.s.x + e.t.x) / 2 - ((e.t.y - e.s.y) / len) * e.bend;
      const cy = (e.s.y + e.t.y) / 2 + ((e.t.x - e.s.x) / len) * e.bend;
      const a = boundary({ x: cx, y: cy }, e.s), b = boundary({ x: cx, y: cy }, e.t);
      const d = `M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${b.x.toFixed(1)},${b.y.toFixed(1)}`;
      e.path.setAttribute("d", d); e.hit.setAttribute("d", d);
      if (e.text) {
        e.text.setAttribute("x", ((a.x + 2 * cx + b.x) / 4).toFixed(1));
        e.text.setAttribute("y", ((a.y + 2 * cy + b.y) / 4).toFixed(1));
      }
    }
  }
  function glyphFor(k) { return Math.max(1, (MIN_LABEL_PX + 0.01) / (LABEL_FONT * k)); }  // never a rounding below
  function applyView() {
    viewport.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`);
    canvas.classList.toggle("words", EDGE_FONT * view.k >= EDGE_WORDS_PX);
    const wanted = glyphFor(view.k);
    if (wanted !== glyph || declutterPending) { glyph = wanted; declutter(); render(); }
  }
  let declutterPending = true;
  const byBusiness = nodes.slice().sort((a, b) => b.edges.length - a.edges.length || a.index - b.index);
  function declutter() {  // labels where they have room on screen, the busiest nodes' first
    declutterPending = false;
    const placed = new Map(), size = 64 * glyph, pad = 4 / view.k;
    const key = (i, j) => i * 1048576 + j;
    for (const n of byBusiness) {
      const hw = (n.fullW * glyph) / 2 + pad, hh = (n.fullH * glyph) / 2 + pad;
      const box = [n.x - hw, n.y - hh, n.x + hw, n.y + hh];
      const cells = [];
      for (let i = Math.floor(box[0] / size); i <= Math.floor(box[2] / size); i++)
        for (let j = Math.floor(box[1] / size); j <= Math.floor(box[3] / size); j++) cells.push(key(i, j));
      const clash = glyph > 1 && cells.some((c) => (placed.get(c) || []).some((o) =>
        o[0] < box[2] && box[0] < o[2] && o[1] < box[3] && box[1] < o[3]));
      if (n.bare !== clash) { n.bare = clash; shape(n); }
      if (!clash) for (const c of cells) { const list = placed.get(c); if (list) list.push(box); else placed.set(c, [box]); }
    }
  }

  // -- layout (layout.js) ----------------------------------------------------------
  const layout = kgtoolLayout(nodes, edges);
  let frames = 0;
  function run() {
    layout.run(40);
    // Redrawing thousands of elements costs more than the ticks: big graphs show fewer frames.
    if (nodes.length <= 1000 || ++frames % 15 === 0 || !layout.running()) render();
    if (layout.running()) requestAnimationFrame(run);
    else { fit(); document.body.dataset.layout = "done"; }
  }

  // -- zoom, pan, drag --------------------------------------------------------
  function fit() {  // the whole graph, never magnified, nodes at the size they will be drawn at
    if (!nodes.length) return;
    const box = canvas.getBoundingClientRect();
    if (!box.width || !box.height) return;  // not laid out yet (a hidden frame): fit when it is shown
    let k = MAX_FIT_ZOOM, minX, maxX, minY, maxY;
    for (let round = 0; round < 4; round++) {
      const g = glyphFor(k), margin = 12 / k;
      minX = Math.min(...nodes.map((n) => n.x - (n.fullW * g) / 2)) - margin;
      maxX = Math.max(...nodes.map((n) => n.x + (n.fullW * g) / 2)) + margin;
      minY = Math.min(...nodes.map((n) => n.y - (n.fullH * g) / 2)) - margin;
      maxY = Math.max(...nodes.map((n) => n.y + (n.fullH * g) / 2)) + margin;
      k = Math.min(MAX_FIT_ZOOM, box.width / (maxX - minX), box.height / (maxY - minY));
    }
    view.k = k;
    view.x = box.width / 2 - ((minX + maxX) / 2) * view.k;
    view.y = box.height / 2 - ((minY + maxY) / 2) * view.k;
    declutterPending = true;
    applyView();
  }
  function centreOn(n) {
    const box = canvas.getBoundingClientRect();
    view.k = Math.max(view.k, 1);
    view.x = box.width / 2 - n.x * view.k; view.y = box.height / 2 - n.y * view.k;
    applyView();
  }
  canvas.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const box = canvas.getBoundingClientRect();
    const px = ev.clientX - box.left, py = ev.clientY - box.top;
    // One notch (100 px, 3 lines) is one NOTCH step, however far the wheel was flicked;
    // a trackpad's small deltas zoom in proportion.
    const pixels = ev.deltaY * (ev.deltaMode === 1 ? 33 : ev.deltaMode === 2 ? 800 : 1);
    const notches = Math.max(-1, Math.min(1, -pixels / 100));
    const k = Math.max(0.02, Math.min(8, view.k * Math.pow(NOTCH, notches)));
    view.x = px - ((px - view.x) * k) / view.k; view.y = py - ((py - view.y) * k) / view.k; view.k = k;
    applyView();
  }, { passive: false });
  let gesture = null;
  canvas.addEventListener("pointerdown", (ev) => {
    if (gesture) return;
    gesture = { pan: true, x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y };
    canvas.classList.add("panning");
  });
  function startDrag(ev, n) {
    ev.stopPropagation();
    gesture = { node: n, x: ev.clientX, y: ev.clientY, nx: n.x, ny: n.y };
  }
  window.addEventListener("pointermove", (ev) => {
    if (!gesture) return;
    const dx = ev.clientX - gesture.x, dy = ev.clientY - gesture.y;
    if (gesture.pan) { view.x = gesture.vx + dx; view.y = gesture.vy + dy; applyView(); }
    else { const n = gesture.node; n.fixed = true; n.x = gesture.nx + dx / view.k; n.y = gesture.ny + dy / view.k; render(); }
  });
  window.addEventListener("pointerup", () => { gesture = null; canvas.classList.remove("panning"); });
  canvas.addEventListener("click", () => select(null));
  document.getElementById("fit").addEventListener("click", fit);

  // -- details ------------------------------------------------------------------
  function evidenceList(edge, parent) {
    if (!edge.evidence.length) html("p", "No evidence sentence recorded.", parent, "source");
    for (const ev of edge.evidence) {
      html("blockquote", ev.text, parent);
      html("div", `${ev.article}${ev.position ? ", sentence " + ev.position : ""}`, parent, "source");
      if (ev.hedge) html("div", `hedged: “${ev.hedge}”`, parent, "hedge");
    }
  }
  function showNode(n) {
    details.replaceChildren();
    html("h2", n.label, details);
    html("div", `${(kinds.get(n.kind) || {}).label || n.kind} · ${n.types.join(", ")}`, details, "kind");
    html("div", n.iri, details, "iri");
    const attrs = Object.entries(n.attributes);
    if (attrs.length) {
      const dl = html("dl", null, details);
      for (const [name, values] of attrs) { html("dt", name, dl); for (const v of values) html("dd", v, dl); }
    }
    html("h3", `Relations (${n.edges.length})`, details);
    const list = html("ul", null, details);
    for (const e of n.edges) {
      const item = html("li", null, list);
      html("strong", `${e.s.label} — ${e.label} → ${e.t.label}`, item);
      evidenceList(e, item);
    }
  }
  function showEdge(e) {
    details.replaceChildren();
    html("h2", `${e.s.label} — ${e.label} → ${e.t.label}`, details);
    html("div", e.predicate, details, "kind");
    evidenceList(e, details);
  }
  function select(what) {
    document.querySelectorAll(".selected").forEach((x) => x.classList.remove("selected"));
    selected = what;
    if (!what) return;
    if (what.node) { what.node.g.classList.add("selected"); showNode(what.node); }
    else { what.edge.g.classList.add("selected"); showEdge(what.edge); }
  }

  // -- search ---------------------------------------------------------------------
  const search = document.getElementById("search"), count = document.getElementById("count");
  const matchList = document.getElementById("matches");
  function haystack(n) { return [n.label, n.id, ...(n.attributes["alternate name"] || [])].join("\n").toLowerCase(); }
  function runSearch() {
    const q = search.value.trim().toLowerCase();
    matchList.replaceChildren();
    const found = q ? nodes.filter((n) => haystack(n).includes(q)) : [];
    for (const n of nodes) {
      n.g.classList.toggle("match", found.includes(n));
      n.g.classList.toggle("dim", q !== "" && !found.includes(n));
    }
    for (const e of edges) e.g.classList.toggle("dim", q !== "" && !(found.includes(e.s) || found.includes(e.t)));
    count.textContent = q ? `${found.length} match${found.length === 1 ? "" : "es"}` : `${nodes.length} entities`;
    for (const n of found.slice(0, 50)) {
      const button = html("button", n.label, html("li", null, matchList));
      button.type = "button";
      button.addEventListener("click", () => { centreOn(n); select({ node: n }); });
    }
    return found;
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { const found = runSearch(); if (found.length) { centreOn(found[0]); select({ node: found[0] }); } }
  });

  // -- legend -------------------------------------------------------------------------
  const legend = document.getElementById("legend");
  html("strong", "Legend", legend);
  for (const k of data.kinds) {
    const row = html("div", null, legend);
    const swatch = html("span", null, row, "swatch");
    swatch.style.background = k.fill; swatch.style.borderColor = k.line;
    row.appendChild(document.createTextNode(`${k.label} (${nodes.filter((n) => n.kind === k.key).length})`));
  }
  if (edges.some((e) => e.hedge.length)) html("div", "- - -  hedged in the article", legend);

  count.textContent = `${nodes.length} entities`;
  render(); fit(); run();
})();
