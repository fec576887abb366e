"""`kgtool push`: the graph into a triple store, by the SPARQL 1.1 Graph Store Protocol.

One PUT per named graph (`?graph=IRI`: the article's graph replaced whole) and one of
the default graph (`?default`), which gets the merge of every graph, as kgtool's own
store keeps it: the default graph of a query is then every article, and `GRAPH ?g`
still tells them apart (`RemoteStore.quads` gives back what the files said). Each body
is N-Triples with every literal as the files wrote it. Graphs the endpoint holds and the
data does not are left alone. A blank node that two graphs share becomes one node per
graph (each PUT is a document of its own); the bundled graph has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from kgtool.store.endpoint import Http, with_parameter

_NTRIPLES = "application/n-triples"


@dataclass
class PushSummary:
    graphs: int      # named graphs written
    statements: int  # statements sent, the default graph's merge included
    seconds: float
    notes: list[str] = field(default_factory=list)  # graphs the endpoint held only when sent again


def graph_store_url(endpoint: str, gsp: str | None, authenticated: bool = False) -> str:
    """The Graph Store URL: --gsp if given, else the one that goes with the query endpoint:
    Oxigraph server's /query has /store; Virtuoso's /sparql has /sparql-graph-crud
    (/sparql-graph-crud-auth with credentials). Any other endpoint is used as it is."""
    if gsp:
        return gsp
    base, _, last = endpoint.split("?", 1)[0].rstrip("/").rpartition("/")
    if last == "query":
        return f"{base}/store"
    if last == "sparql":
        return f"{base}/sparql-graph-crud" + ("-auth" if authenticated else "")
    return endpoint


def push(store, url: str, http: Http, report: Callable[[str, int], None] | None = None,
         endpoint: str | None = None) -> PushSummary:
    """Every graph of `store` into the Graph Store at `url`: the named graphs, then the merge
    as the default graph. `report(graph, statements)` after each PUT. With `endpoint` (the
    SPARQL query endpoint), every graph is then counted there (push_check)."""
    import time

    from kgtool.store.push_check import Written, check_held
    from kgtool.store.statements import END, sorted_once, store_graphs

    start = time.perf_counter()
    graphs, _ = store_graphs(store)
    default_lines = list(graphs[0][1])
    named = graphs[1:]
    sent, servers, written = 0, set(), []
    for name, lines in named:
        iri = name.decode("utf-8")[1:-1]
        target = with_parameter(url, "graph", iri)
        servers.add(_put(http, target, lines, END, iri))
        written.append(Written(iri, len(lines), _again(http, target, lines, iri)))
        sent += len(lines)
        default_lines.extend(lines)
        if report:
            report(iri, len(lines))
    merged = sorted_once(default_lines)
    target, iri = _put_default(http, url, merged, END, servers)
    written.append(Written(iri, len(merged), _again(http, target, merged, "the default graph")))
    if report:
        report("the default graph", len(merged))
    notes = check_held(http, endpoint, written).notes if endpoint else []
    return PushSummary(len(named), sent + len(merged), time.perf_counter() - start, notes)


def _again(http: Http, target: str, lines: list[bytes], what: str) -> Callable[[], None]:
    from kgtool.store.statements import END

    return lambda: _put(http, target, lines, END, what)


def _put_default(http: Http, url: str, lines: list[bytes], end: bytes, servers: set[str]) -> tuple[str, str | None]:
    """The merge as the default graph; where the Graph Store has none (Virtuoso: a query's
    default graph is the union of all graphs, its own system graphs included), as the named
    graph quirks.MERGE_GRAPH, which RemoteStore reads as the default graph. The URL it was
    PUT to, and the graph's IRI (None: the default graph)."""
    from kgtool.errors import InputError
    from kgtool.store import quirks

    merge = with_parameter(url, "graph", quirks.MERGE_GRAPH)
    if any(quirks.is_virtuoso(server) for server in servers):
        _put(http, merge, lines, end, "the default graph")
        return merge, quirks.MERGE_GRAPH
    default = with_parameter(url, "default", None)
    try:
        _put(http, default, lines, end, "the default graph")
        return default, None
    except InputError as exc:
        if not quirks.has_no_default_graph(exc.what):
            raise
        _put(http, merge, lines, end, "the default graph")
        return merge, quirks.MERGE_GRAPH


def _put(http: Http, url: str, lines: list[bytes], end: bytes, what: str) -> str:
    """PUT one graph; the server's name (its Server header)."""
    body = end.join(lines) + end if lines else b""
    return http.request("PUT", url, body, {"Content-Type": _NTRIPLES}, what=f"the PUT of {what}",
                        where="--gsp").server
