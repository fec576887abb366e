// kgtool viz: the page's layout, a deterministic force simulation (viewer.js draws it).
// Nodes need x, y, vx, vy, w, h, fixed and index; edges need s and t (their nodes).
"use strict";
function kgtoolLayout(nodes, edges) {
  let seed = 20261125;
  function random() { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 4294967296; }
  nodes.forEach((n, i) => {
    const angle = i * 2.399963, radius = 30 * Math.sqrt(i + 1);
    n.x = radius * Math.cos(angle) + random(); n.y = radius * Math.sin(angle) + random();
  });
  // Springs pull related nodes to within a short gap of each other, every pair repels
  // weakly, a pull to the centre keeps the graph round, and boxes never overlap: a
  // layout compact enough that the fitted view shows labels at their full size.
  // collide: boxes are pushed apart once the layout has found its shape (alpha below this).
  // Big graphs (repelling between neighbouring cells only) keep the looser layout that stays
  // round at that size: there the page shows the labels that have room, whatever the layout.
  const small = nodes.length <= 700;
  const T = small ? { repel: 300, gap: 10, gravity: 0.04, near: 1, spring: 0.08, pad: 14, collide: 0.3 }
    : { repel: 900, gap: 40, gravity: 0.01, near: 4, spring: 0.08, pad: 14, collide: 0 };
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
      forNeighbours(grid, a, (b) => repel(a, b, false));
    }
    for (const e of edges) {
      if (e.s === e.t) continue;  // a relation of an entity to itself pulls nothing
      const dx = e.t.x - e.s.x, dy = e.t.y - e.s.y;
      const d = Math.hypot(dx, dy);
      if (!d) continue;
      const want = (small ? reach(e.s, e.t, dx, dy, d) : (e.s.w + e.t.w) / 2) + T.gap;
      const pull = ((d - want) / d) * T.spring * alpha;
      e.s.vx += dx * pull; e.s.vy += dy * pull; e.t.vx -= dx * pull; e.t.vy -= dy * pull;
    }
    for (const n of nodes) {
      n.vx -= n.x * T.gravity * alpha; n.vy -= n.y * T.gravity * alpha;
      if (n.fixed) { n.vx = n.vy = 0; continue; }
      n.vx *= 0.55; n.vy *= 0.55;
      n.x += Math.max(-60, Math.min(60, n.vx)); n.y += Math.max(-60, Math.min(60, n.vy));
    }
    if (alpha < T.collide) for (const a of nodes) forNeighbours(grid, a, (b) => { if (a.index < b.index) separate(a, b); });
    alpha *= 0.985;
  }
  function forNeighbours(grid, a, visit) {
    const gx = Math.floor(a.x / cell), gy = Math.floor(a.y / cell);
    for (let i = -1; i <= 1; i++) for (let j = -1; j <= 1; j++) {
      const bucket = grid.get(cellKey(gx + i, gy + j));
      if (bucket) for (const b of bucket) if (b !== a) visit(b);
    }
  }
  function reach(a, b, dx, dy, d) {  // centre-to-edge of both boxes along the line between them
    const ux = Math.abs(dx) / d, uy = Math.abs(dy) / d;
    const half = (n) => Math.min(ux ? n.w / 2 / ux : Infinity, uy ? n.h / 2 / uy : Infinity);
    return half(a) + half(b);
  }
  function separate(a, b) {  // push two overlapping boxes apart along the shorter way out
    const ox = (a.w + b.w) / 2 + T.pad - Math.abs(a.x - b.x), oy = (a.h + b.h) / 2 + T.pad - Math.abs(a.y - b.y);
    if (ox <= 0 || oy <= 0) return;
    const share = a.fixed || b.fixed ? 1 : 0.5;
    if (ox / (a.w + b.w) < oy / (a.h + b.h)) {
      const s = (a.x < b.x || (a.x === b.x && a.index < b.index) ? -1 : 1) * ox * share;
      if (!a.fixed) a.x += s; if (!b.fixed) b.x -= s;
    } else {
      const s = (a.y < b.y || (a.y === b.y && a.index < b.index) ? -1 : 1) * oy * share;
      if (!a.fixed) a.y += s; if (!b.fixed) b.y -= s;
    }
  }
  function cellKey(x, y) { return x * 1048576 + y; }
  function repel(a, b, both) {
    let dx = a.x - b.x, dy = a.y - b.y;
    let d2 = dx * dx + dy * dy;
    if (d2 < 1) { dx = random() - 0.5; dy = random() - 0.5; d2 = 1; }
    const minGap = (a.w + b.w) / 2 + 20;
    const force = (d2 < minGap * minGap ? T.near : 1) * T.repel * alpha / d2;
    a.vx += dx * force; a.vy += dy * force;
    if (both) { b.vx -= dx * force; b.vy -= dy * force; }
  }
  return {
    running: () => alpha > 0.01,
    run(ms) { const start = performance.now(); while (alpha > 0.01 && performance.now() - start < ms) tick(); },
  };
}
