// kgtool serve: the query editor. No libraries, nothing from the network but this server.
// Every value from the data reaches the page through textContent or a URL built with
// encodeURIComponent, never through innerHTML.
"use strict";
(function () {
  const ACCEPT = "application/sparql-results+json, application/ld+json;q=0.9";
  const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  const $ = (id) => document.getElementById(id);
  let drawingUrl = null;

  function html(name, text, parent, cls) {
    const node = document.createElement(name);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    if (parent) parent.appendChild(node);
    return node;
  }
  let namespaces = [];  // [prefix, namespace], longest namespace first (kgtool.namespaces.compact)
  function compact(iri) {
    for (const [prefix, ns] of namespaces) {
      const local = iri.slice(ns.length);
      if (iri.startsWith(ns) && /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(local)) return prefix + ":" + local;
    }
    return iri;
  }
  function entityLink(iri, parent) {
    const a = html("a", compact(iri), parent, "entity");
    a.href = "/entity?iri=" + encodeURIComponent(iri);
    a.title = iri;
    return a;
  }

  // -- results -----------------------------------------------------------------------
  function term(value, parent) {  // one SPARQL JSON term
    if (!value) return;
    if (value.type === "uri") { entityLink(value.value, parent); return; }
    if (value.type === "bnode") { html("span", "_:" + value.value, parent, "blank"); return; }
    html("span", value.value, parent, "literal");
    if (value["xml:lang"]) html("span", "@" + value["xml:lang"], parent, "lang");
    else if (value.datatype && !value.datatype.endsWith("#string"))
      html("span", "^^" + compact(value.datatype), parent, "datatype");
  }
  const SHOWN_ROWS = 1000;  // a browser table of 100,000 rows takes seconds to draw: the rest stays a count
  function table(heads, rows, cells) {
    const box = $("results"), t = html("table", null, box, "results");
    const tr = html("tr", null, html("thead", null, t));
    for (const h of heads) html("th", h, tr);
    const body = html("tbody", null, t);
    for (const row of rows.slice(0, SHOWN_ROWS)) {
      const line = html("tr", null, body);
      cells(row).forEach((cell) => { const td = html("td", null, line); cell(td); });
    }
    const shown = rows.length <= SHOWN_ROWS ? ""
      : `; the first ${SHOWN_ROWS} shown (add a LIMIT, or ask /sparql for CSV)`;
    html("p", `${rows.length} row${rows.length === 1 ? "" : "s"}${shown}`, box, "count");
  }
  function solutions(doc) {
    if ("boolean" in doc) {
      html("p", doc.boolean ? "Yes (true)" : "No (false)", $("results"), "boolean");
      return false;
    }
    const vars = doc.head.vars || [];
    table(vars, doc.results.bindings, (row) => vars.map((v) => (td) => term(row[v], td)));
    return true;
  }
  function jsonldObject(o) {  // an expanded JSON-LD value as a SPARQL JSON term
    if ("@id" in o) return { type: o["@id"].startsWith("_:") ? "bnode" : "uri", value: o["@id"].replace(/^_:/, "") };
    return { type: "literal", value: String(o["@value"]), "xml:lang": o["@language"], datatype: o["@type"] };
  }
  function graph(doc) {  // expanded JSON-LD (what the server writes) as a table of triples
    const triples = [];
    const nodes = Array.isArray(doc) ? doc : (doc["@graph"] || [doc]);
    for (const node of nodes) {
      const s = jsonldObject({ "@id": node["@id"] || "_:" });
      for (const [key, values] of Object.entries(node)) {
        if (key === "@id") continue;
        const p = key === "@type" ? RDF_TYPE : key;
        for (const v of [].concat(values)) triples.push([s, { type: "uri", value: p },
          key === "@type" ? jsonldObject({ "@id": v }) : jsonldObject(v)]);
      }
    }
    table(["subject", "predicate", "object"], triples, (t) => t.map((x) => (td) => term(x, td)));
    return true;
  }

  async function show(response, drawing) {
    $("results").replaceChildren();
    $("drawing").replaceChildren();
    $("drawing").hidden = true;
    $("error").hidden = true;
    const type = (response.headers.get("content-type") || "").split(";")[0].trim();
    const body = await response.text();
    if (!response.ok) {
      $("error").textContent = `${response.status}: ${body.trim()}`;
      $("error").hidden = false;
      $("tabs").hidden = true;
      $("status").textContent = "";
      return;
    }
    const doc = JSON.parse(body);
    const drawable = type === "application/ld+json" ? graph(doc) : solutions(doc);
    drawingUrl = drawable ? drawing : null;
    $("tabs").hidden = !drawable;
    choose("table");
    $("status").textContent = "done";
  }

  function choose(tab) {
    $("show-table").setAttribute("aria-pressed", String(tab === "table"));
    $("show-drawing").setAttribute("aria-pressed", String(tab === "drawing"));
    $("results").hidden = tab !== "table";
    $("drawing").hidden = tab !== "drawing";
    if (tab === "drawing" && drawingUrl && !$("drawing").firstChild) {
      const frame = html("iframe", null, $("drawing"));
      frame.title = "The relation drawing of the results";
      frame.width = "100%"; frame.height = "560";  // sized before it lays out: a 0-wide canvas cannot fit
      frame.src = drawingUrl;
    }
  }
  $("show-table").addEventListener("click", () => choose("table"));
  $("show-drawing").addEventListener("click", () => choose("drawing"));

  async function run(url, init, drawing) {
    $("status").textContent = "running…";
    try {
      await show(await fetch(url, init), drawing);
    } catch (err) {
      $("error").textContent = "the server did not answer: " + err.message;
      $("error").hidden = false;
      $("status").textContent = "";
    }
  }

  // -- the editor -----------------------------------------------------------------------
  $("query").addEventListener("keydown", (ev) => {  // Ctrl+Enter runs, as in most query editors
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); $("editor").requestSubmit(); }
  });
  $("editor").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const query = $("query").value;
    run("/sparql", { method: "POST", headers: { Accept: ACCEPT, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query }) }, "/draw?" + new URLSearchParams({ query }));
  });

  // -- the named queries -------------------------------------------------------------------
  let current = null;
  function pick(query) {
    current = query;
    $("named").hidden = false;
    $("named-title").textContent = query.name;
    $("named-name").textContent = query.name;
    $("named-summary").textContent = query.summary;
    const box = $("named-params");
    box.replaceChildren();
    for (const p of query.params) {
      const label = html("label", null, box, "param");
      html("span", p.name, label, "name");
      const input = html("input", null, label);
      input.name = p.name;
      input.dataset.param = "";
      input.placeholder = p.default === null ? `${p.kind} (required)` : `default: ${p.default}`;
      if (p.doc) html("span", p.doc, label, "doc");
    }
  }
  $("named").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const params = new URLSearchParams();
    for (const input of $("named-params").querySelectorAll("input[data-param]"))
      if (input.value.trim()) params.append(input.name, input.value);
    const draw = new URLSearchParams({ name: current.name });
    params.forEach((v, k) => draw.append(k, v));
    const tail = params.toString() ? "?" + params : "";
    run("/queries/" + encodeURIComponent(current.name) + tail, { headers: { Accept: ACCEPT } }, "/draw?" + draw);
  });
  $("named-edit").addEventListener("click", () => { if (current) $("query").value = current.text; });

  fetch("/page/queries.json").then((r) => r.json()).then((catalog) => {
    namespaces = Object.entries(catalog.prefixes).sort((a, b) => b[1].length - a[1].length);
    const list = $("examples");
    for (const q of catalog.queries) {
      const button = html("button", null, html("li", null, list));
      button.type = "button";
      button.dataset.name = q.name;
      html("strong", q.name, button);
      if (q.summary) html("span", q.summary, button, "summary");
      button.addEventListener("click", () => pick(q));
    }
    document.body.dataset.ready = "yes";
  }, (err) => {
    $("error").textContent = "the named queries could not be read: " + err.message;
    $("error").hidden = false;
  });
})();
