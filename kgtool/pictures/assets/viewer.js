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

  const canvas = document.getElementById("canvas");
  const viewport = document.getElementById("viewport");
  const details = document.getElementById("details");
  let view = { x: 0, y: 0, k: 1 };
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
  const nodeLayer = document.getElementById("nodes");
  const pairCount = new Map();
  for (const e of edges) {
    const key = [e.source, e.target].sort().join("\u0000");
    e.lane = pairCount.get(key) || 0;
    pairCount.set(key, e.lane + 1);
    e.bend = (e.lane % 2 ? -1 : 1) * Math.ceil(e.lane / 2) * 26 * (e.source < e.target ? 1 : -1);
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
    n.w = Math.max(36, longest * 6.4 + 16);
    n.h = lines.length * 14 + 10;
    n.rect.setAttribute("x", -n.w / 2); n.rect.setAttribute("y", -n.h / 2);
    n.rect.setAttribute("width", n.w); n.rect.setAttribute("height", n.h);
    n.g.addEventListener("mouseenter", () => { if (!selected) showNode(n); });
    n.g.addEventListener("click", (ev) => { ev.stopPropagation(); select({ node: n }); });
    n.g.addEventListener("pointerdown", (ev) => startDrag(ev, n));
  }

  function boundary(from, to) {  // where the line from `from` to `to` leaves `to`'s box
    const dx = from.x - to.x, dy = from.y - to.y;
    if (!dx && !dy) return { x: to.x, y: to.y };
    const scale = Math.min(Math.abs((to.w / 2 + 3) / (dx || 1e-9)), Math.abs((to.h / 2 + 3) / (dy || 1e-9)));
    return { x: to.x + dx * Math.min(scale, 1), y: to.y + dy * Math.min(scale, 1) };
  }
  function render() {
    for (const n of nodes) n.g.setAttribute("transform", `translate(${n.x.toFixed(1)},${n.y.toFixed(1)})`);
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
  function applyView() { viewport.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`); }

  // -- layout: a deterministic force simulation ---------------------------------
  let seed = 20261125;
  function random() { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 4294967296; }
  nodes.forEach((n, i) => {
    const angle = i * 2.399963, radius = 30 * Math.sqrt(i + 1);
    n.x = radius * Math.cos(angle) + random(); n.y = radius * Math.sin(angle) + random();
  });
  let alpha = 1;
  const cell = 160;
  function tick() {
    const grid = new Map();
    for (const n of nodes) {
      const key = cellKey(Math.floor(n.x / cell), Math.floor(n.y / cell));
      const bucket = grid.get(key);
      if (bucket) bucket.push(n); else grid.set(key, [n]);
    }
    const far = nodes.length <= 700;  // small graphs: every pair repels; big ones: neighbouring cells only
    for (const a of nodes) {
      if (far) { for (let j = a.index + 1; j < nodes.length; j++) repel(a, nodes[j], true); continue; }
      const gx = Math.floor(a.x / cell), gy = Math.floor(a.y / cell);
      for (let i = -1; i <= 1; i++) for (let j = -1; j <= 1; j++) {
        const bucket = grid.get(cellKey(gx + i, gy + j));
        if (bucket) for (const b of bucket) if (b !== a) repel(a, b, false);
      }
    }
    for (const e of edges) {
      const dx = e.t.x - e.s.x, dy = e.t.y - e.s.y;
      const d = Math.hypot(dx, dy) || 1;
      const want = (e.s.w + e.t.w) / 2 + 40;
      const pull = ((d - want) / d) * 0.08 * alpha;
      e.s.vx += dx * pull; e.s.vy += dy * pull; e.t.vx -= dx * pull; e.t.vy -= dy * pull;
    }
    for (const n of nodes) {
      n.vx -= n.x * 0.01 * alpha; n.vy -= n.y * 0.01 * alpha;
      if (n.fixed) { n.vx = n.vy = 0; continue; }
      n.vx *= 0.55; n.vy *= 0.55;
      n.x += Math.max(-60, Math.min(60, n.vx)); n.y += Math.max(-60, Math.min(60, n.vy));
    }
    alpha *= 0.985;
  }
  function cellKey(x, y) { return x * 1048576 + y; }
  function repel(a, b, both) {
    let dx = a.x - b.x, dy = a.y - b.y;
    let d2 = dx * dx + dy * dy;
    if (d2 < 1) { dx = random() - 0.5; dy = random() - 0.5; d2 = 1; }
    const minGap = (a.w + b.w) / 2 + 20;
    const force = (d2 < minGap * minGap ? 4 : 1) * 900 * alpha / d2;
    a.vx += dx * force; a.vy += dy * force;
    if (both) { b.vx -= dx * force; b.vy -= dy * force; }
  }
  let frames = 0;
  function run() {
    const start = performance.now();
    while (alpha > 0.01 && performance.now() - start < 40) tick();
    // Redrawing thousands of elements costs more than the ticks: big graphs show fewer frames.
    if (nodes.length <= 1000 || ++frames % 15 === 0 || alpha <= 0.01) render();
    if (alpha > 0.01) requestAnimationFrame(run);
    else { fit(); document.body.dataset.layout = "done"; }
  }

  // -- zoom, pan, drag --------------------------------------------------------
  function fit() {
    if (!nodes.length) return;
    const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
    const minX = Math.min(...xs) - 100, maxX = Math.max(...xs) + 100, minY = Math.min(...ys) - 60, maxY = Math.max(...ys) + 60;
    const box = canvas.getBoundingClientRect();
    view.k = Math.min(2, box.width / (maxX - minX), box.height / (maxY - minY));
    view.x = box.width / 2 - ((minX + maxX) / 2) * view.k;
    view.y = box.height / 2 - ((minY + maxY) / 2) * view.k;
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
    const k = Math.max(0.05, Math.min(8, view.k * Math.exp(-ev.deltaY * 0.0015)));
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
