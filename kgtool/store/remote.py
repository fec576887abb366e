"""A Store over a SPARQL 1.1 endpoint: the commands and the SHACL engine, on a real triple store.

`RemoteStore` offers what kgtool's commands use of `kgtool.store.Store`: `query` (pyoxigraph
results: SELECT solutions parsed from SPARQL JSON, CONSTRUCT triples, an ASK's boolean),
`answer`, `select`, `named_graphs`, `quads`, `dump_merged`, `notes`, and a `backend`
whose `quads_for_pattern`, `dump`, `named_graphs` and `query` the readers that match
patterns themselves use. Every query is first run on an empty local store, so that a
mistake is worded as it is locally (line and column, SERVICE refused, a parameter not
in the SELECT clause) before anything is sent; then it goes as a form POST (SPARQL 1.1
Protocol, section 2.1.2), which every server takes.

The default graph of a query is the endpoint's. `kgtool push` writes the merge of every
graph there, as kgtool's own store keeps it, so queries see every article and
`GRAPH ?g` tells them apart. What a server's quirks made kgtool do (kgtool.store.quirks)
is said once per kind by `notes()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from kgtool.errors import InputError, QueryError
from kgtool.store import quirks as q
from kgtool.store.endpoint import DEFAULT_TIMEOUT, Http, form
from kgtool.store.remote_text import closure, for_endpoint, paged, unbounded_paths

_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
           "application/rdf+xml;q=0.5")
# A graph asked for: Virtuoso answers a CONSTRUCT in SPARQL JSON results if the Accept allows it.
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_RDF_TYPES = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
              "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
              "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/n-quads": ox.RdfFormat.N_QUADS,
              "application/trig": ox.RdfFormat.TRIG, "text/n3": ox.RdfFormat.N3}
_RESULT_TYPES = ("application/sparql-results+json", "application/json")
_NAMED_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"
_ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_OWN_DEFAULT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o MINUS { GRAPH ?g { ?s ?p ?o } } }"
_EVERY_TRIPLE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
_SAYS_GRAPH = re.compile(r"\bGRAPH\b", re.IGNORECASE)
_MOST_PAIRS = 100_000  # pairs of an unbounded path sent as VALUES (kgtool.store.remote_text.Unbounded)
_CHECKER = None  # an empty local store that words a query's mistakes as kgtool does
_SAID: list[q.Quirks] = []  # every endpoint's quirks, for the CLI to say once (take_notes)

# The graphs an endpoint holds. GROUP BY, not DISTINCT: Virtuoso 7.2.5 answers DISTINCT over
# 190k quads in 30 s, the same GROUP BY in 0.02 s.
GRAPHS = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"



class RemoteStore:
    """The graph in a SPARQL 1.1 endpoint, read through the protocol (read-only)."""

    on_disk = True  # nothing can be added to it in this process (kgtool push writes it)

    def __init__(self, url: str, timeout: float | None = None, row_cap: int | None = None,
                 user: str | None = None, password: str | None = None) -> None:
        self.url = url
        self.sources: list = []
        self.capital_tags = 0
        self.http = Http(timeout or DEFAULT_TIMEOUT, user, password)
        self.caps = (row_cap,) if row_cap else q.KNOWN_CAPS
        self.quirks = q.Quirks()
        _SAID.append(self.quirks)
        self._server: str | None = None
        self._looked = False  # at the default graph (_look_at_default_graph)
        self._dataset: list[tuple[str, str]] = []  # default-graph-uri (Virtuoso: kgtool push's merge)
        self._named: list[str] | None = None  # named-graph-uri, for a query that says GRAPH

    # -- what the commands ask of a Store -----------------------------------------------
    def notes(self) -> list[str]:
        """What this endpoint's quirks made kgtool do, each said once (then not again)."""
        lines = self.quirks.lines()
        self.quirks.said.clear()
        return lines

    @property
    def backend(self) -> "RemoteBackend":
        return RemoteBackend(self)

    def merge_named_graphs(self) -> None:
        """The endpoint's default graph is what it is (kgtool push wrote the merge there)."""

    def query(self, text: str, bindings: dict[str, Any] | None = None, source: str = "query") -> Any:
        """SPARQL on the endpoint; `bindings` are RDF terms, substituted in the text."""
        graph = _check_locally(text, bindings, source)
        if not self._looked:
            self._look_at_default_graph(source)
        text = for_endpoint(text, bindings)
        if q.is_virtuoso(self._server or ""):
            text = self._for_virtuoso(text)
        return self._run(text, source, _GRAPH_ACCEPT if graph else _ACCEPT)

    def _for_virtuoso(self, text: str) -> str:
        from kgtool.store.virtuoso_text import without_exists_filters

        rewritten = without_exists_filters(text)
        if rewritten != text:
            self.quirks.note("exists", server="Virtuoso")
        return rewritten

    def _look_at_default_graph(self, source: str) -> None:
        """Once: an empty default graph beside named graphs (a store kgtool push did not fill)
        makes every query find nothing outside GRAPH ?g, which is worth a note."""
        self._looked = True
        if not self._ask("ASK { ?s ?p ?o }", source) and self._ask("ASK { GRAPH ?g { ?s ?p ?o } }", source):
            self.quirks.note("empty-default")
        if q.is_virtuoso(self._server or ""):
            self._read_the_merge(source)

    def _read_the_merge(self, source: str) -> None:
        """Virtuoso: the default graph is kgtool push's merge (default-graph-uri), and GRAPH ?g
        ranges over the articles' graphs alone (named-graph-uri), not Virtuoso's own graphs."""
        rows = self._run(GRAPHS, source)
        graphs = {g.value for g in (row["g"] for row in rows) if isinstance(g, ox.NamedNode)}
        if q.MERGE_GRAPH not in graphs:
            return  # not filled by kgtool push: the server's own default graph, as it is
        self._named = sorted(g for g in graphs if not q.is_system_graph(g))
        self._dataset = [("default-graph-uri", q.MERGE_GRAPH)]
        self.quirks.note("dataset", server="Virtuoso", graphs=len(self._named))

    def _ask(self, text: str, source: str) -> bool:
        document, _ = _clean(self._post(text, source).body, self.quirks, source)
        return bool(document.get("boolean"))

    def answer(self, text: str, bindings: dict[str, Any] | None = None, source: str = "query") -> Any:
        from kgtool.store.answers import as_written

        return as_written(self.query(text, bindings, source))

    def select(self, text: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        results = self.query(text, bindings)
        names = [v.value for v in results.variables]
        return [{n: solution[n] for n in names if solution[n] is not None} for solution in results]

    def named_graphs(self) -> list[str]:
        rows = self.select(_NAMED_GRAPHS)  # (Virtuoso answers `GRAPH ?g { }` with one row, g unbound)
        if self._named is not None:
            return list(self._named)
        return sorted(row["g"].value for row in rows if isinstance(row.get("g"), ox.NamedNode))

    def quads(self) -> Iterator[ox.Quad]:
        """What the files said: each named graph's quads, and the default graph's own triples
        (those no named graph states; the rest is the merge's copy)."""
        for row in self.select(_ALL_QUADS):
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])
        for row in self.select(_OWN_DEFAULT):
            yield ox.Quad(row["s"], row["p"], row["o"], ox.DefaultGraph())

    def __len__(self) -> int:
        return sum(1 for _ in self.quads())

    def dump_merged(self, fmt: str, in_key_order: bool = False, prefixes: dict | None = None) -> bytes:
        """The endpoint's default graph (the merge) in a pyoxigraph format."""
        triples = (ox.Triple(r["s"], r["p"], r["o"]) for r in self.select(_EVERY_TRIPLE))
        return ox.serialize(triples, format=getattr(ox.RdfFormat, fmt), prefixes=prefixes)

    def to_rdflib_dataset(self):
        """For pySHACL: the whole graph comes over (one SELECT per graph kind)."""
        from kgtool.store.dataset import Store

        local = Store()
        local.add_quads(self.quads())
        return local.to_rdflib_dataset()

    def to_rdflib_graph(self):
        from kgtool.store.dataset import Store

        local = Store()
        local.add_quads(self.quads())
        return local.to_rdflib_graph()

    def load_file(self, *args, **kwargs) -> None:
        raise InputError("cannot change a graph read from an endpoint", where="--endpoint",
                         fix="load the files into the endpoint with kgtool push, or read them with --graph")

    add_quads = load_data = update = load_file

    # -- the protocol ------------------------------------------------------------------
    def _run(self, text: str, source: str, accept: str = None) -> Any:
        accept = accept or _ACCEPT
        try:
            answer = self._post(text, source, accept)
        except InputError as exc:  # a 400, or Virtuoso's 500 for a query it cannot compile
            patterns = unbounded_paths(text)
            if not patterns or not q.refuses_unbounded_path(exc.what):
                raise
            for pattern in patterns:
                text = text.replace(pattern.text, pattern.as_values(self._path_pairs(pattern, text, source)), 1)
            self.quirks.note("paths")
            answer = self._post(text, source, accept)
        if answer.media_type in _RESULT_TYPES:
            return self._solutions(text, answer, source)
        fmt = _RDF_TYPES.get(answer.media_type)
        if fmt is None:
            raise QueryError(f"the endpoint answered in {answer.media_type or 'no media type'}, which kgtool "
                             "does not read", where=source, fix="use an endpoint that writes SPARQL JSON results")
        return _triples(answer.body, fmt, source)

    def _path_pairs(self, pattern, text: str, source: str) -> list[tuple[str, str]]:
        """The pairs `?a PATH+ ?b` joins, from the path's single steps (as N-Triples terms)."""
        steps = []
        for row in self._run(pattern.one_step(text), source):
            a, b = row[pattern.subject[1:]], row[pattern.object[1:]]
            if isinstance(a, ox.BlankNode) or isinstance(b, ox.BlankNode):
                raise QueryError("the endpoint refuses a property path with both ends unbound, and its steps "
                                 "reach blank nodes, which a query cannot name", where=source,
                                 fix="bind one end of the path (a --param or a constant)")
            steps.append((str(a), str(b)))
        pairs = closure(steps)
        if len(pairs) > _MOST_PAIRS:
            raise QueryError(f"the endpoint refuses a property path with both ends unbound, and it joins "
                             f"{len(pairs):,} pairs, too many to send", where=source,
                             fix="bind one end of the path (a --param or a constant)")
        return pairs

    def _post(self, text: str, source: str, accept: str = None):
        fields = [("query", text), *self._dataset]
        if self._named is not None and _SAYS_GRAPH.search(text):
            fields.extend(("named-graph-uri", g) for g in self._named)
        answer = self.http.request("POST", self.url, form(fields),
                                   {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept or _ACCEPT},
                                   what=f"the query ({source})")
        if self._server is None:
            self._server = answer.server
            if q.is_virtuoso(answer.server):
                self.quirks.note("form", server="Virtuoso")
        return answer

    def _solutions(self, text: str, answer, source: str) -> Any:
        from kgtool.store.virtuoso_text import boolean_columns

        booleans = boolean_columns(text) if q.is_virtuoso(self._server or "") else frozenset()
        document, data = _clean(answer.body, self.quirks, source, booleans)
        rows = document.get("results", {}).get("bindings") if "boolean" not in document else None
        if rows is not None and len(rows) in self.caps:
            data = self._past_the_cap(text, document, source, booleans) or data
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)

    def _past_the_cap(self, text: str, first: dict, source: str, booleans=frozenset()) -> bytes | None:
        """The whole result, page by page, when the first answer had exactly a cap's rows."""
        cap, variables = len(first["results"]["bindings"]), first["head"].get("vars", [])
        probe = paged(text, variables, 1, cap)
        if probe is None:
            self.quirks.note("capped", cap=cap)
            return None
        past, _ = _clean(self._post(probe, source).body, self.quirks, source)
        if not past.get("results", {}).get("bindings"):
            return None  # exactly the cap's rows, and no more: no cut
        rows: list[dict] = []
        pages = 0
        while True:
            answer = self._post(paged(text, variables, cap, len(rows)), source)
            document, _ = _clean(answer.body, self.quirks, source, booleans)
            page = document.get("results", {}).get("bindings", [])
            rows.extend(page)
            pages += 1
            if len(page) < cap:
                break
        self.quirks.note("paged", cap=cap, pages=pages, rows=len(rows))
        return q.results_json(variables, rows)


class RemoteBackend:
    """The part of a pyoxigraph Store that kgtool's pattern readers use, over SPARQL."""

    def __init__(self, store: RemoteStore) -> None:
        self._store = store

    def quads_for_pattern(self, subject=None, predicate=None, obj=None, graph=None) -> Iterator[ox.Quad]:
        terms = {"s": subject, "p": predicate, "o": obj}
        if any(isinstance(t, ox.BlankNode) for t in (*terms.values(), graph)):
            return iter(())  # an endpoint's blank nodes cannot be named in a query
        bound = {k: v for k, v in terms.items() if v is not None}
        if graph is None or isinstance(graph, ox.DefaultGraph):
            rows = self._store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", bound)
            graph_term = ox.DefaultGraph()
            return (ox.Quad(r["s"], r["p"], r["o"], graph_term) for r in rows)
        rows = self._store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {**bound, "g": graph})
        return (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return iter(ox.NamedNode(g) for g in self._store.named_graphs())

    def dump(self, format=None, from_graph=None) -> bytes:
        if from_graph is None or isinstance(from_graph, ox.DefaultGraph):
            return self._store.dump_merged("N_TRIPLES")
        rows = self._store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": from_graph})
        return ox.serialize((ox.Triple(r["s"], r["p"], r["o"]) for r in rows), format=format or ox.RdfFormat.N_TRIPLES)

    def query(self, text: str):
        return self._store.query(text)

    def __iter__(self) -> Iterator[ox.Quad]:
        return self._store.quads()


def _check_locally(text: str, bindings: dict[str, Any] | None, source: str) -> bool:
    """Run the query on an empty local store: kgtool's own words for its mistakes, and the
    guard (no SERVICE, LOAD or update), before the endpoint sees it."""
    global _CHECKER
    from kgtool.store.dataset import Store

    if _CHECKER is None:
        _CHECKER = Store()
    results = _CHECKER.query(text, bindings, source)
    if isinstance(results, ox.QuerySolutions):
        for _ in results:
            break
    return isinstance(results, ox.QueryTriples)  # a CONSTRUCT or DESCRIBE: a graph is asked for


def _clean(body: bytes, quirks: q.Quirks, source: str, booleans=frozenset()) -> tuple[dict, bytes]:
    try:
        return q.clean_results(body, quirks, booleans)
    except ValueError as exc:  # json.JSONDecodeError too: a body cut short (a server's timeout)
        raise QueryError(f"the endpoint's answer is not whole SPARQL JSON results ({exc})", where=source,
                         fix="the server may have stopped the query: narrow it or raise the server's timeout") from None


def _triples(body: bytes, fmt, source: str) -> ox.QueryTriples:
    """A CONSTRUCT's triples as pyoxigraph's own results, each term as the endpoint wrote it
    (held in a local store as kgtool keeps literals, and read back)."""
    from kgtool.store.dataset import Store

    local = Store()
    try:
        local.add_quads(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                        for t in ox.parse(body, format=fmt))
    except SyntaxError as exc:
        raise QueryError(f"the endpoint's answer is not whole RDF ({exc})", where=source,
                         fix="the server may have stopped the query: narrow it or raise the server's timeout") from None
    return local.backend.query("CONSTRUCT WHERE { ?s ?p ?o }")


def take_notes() -> list[str]:
    """The notes of every endpoint this process read, not said yet (the CLI says them)."""
    lines = [line for quirks in _SAID for line in quirks.lines()]
    for quirks in _SAID:
        quirks.said.clear()
    return lines
