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

from dataclasses import dataclass
from typing import Callable

from kgtool.store.endpoint import Http, with_parameter

_NTRIPLES = "application/n-triples"


@dataclass
class PushSummary:
    graphs: int      # named graphs written
    statements: int  # statements sent, the default graph's merge included
    seconds: float


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


def push(store, url: str, http: Http, report: Callable[[str, int], None] | None = None) -> PushSummary:
    """Every graph of `store` into the Graph Store at `url`: the named graphs, then the merge
    as the default graph. `report(graph, statements)` after each PUT."""
    import time

    from kgtool.store.statements import END, sorted_once, store_graphs

    start = time.perf_counter()
    graphs, _ = store_graphs(store)
    default_lines = list(graphs[0][1])
    named = graphs[1:]
    sent, servers = 0, set()
    for name, lines in named:
        iri = name.decode("utf-8")[1:-1]
        servers.add(_put(http, with_parameter(url, "graph", iri), lines, END, iri))
        sent += len(lines)
        default_lines.extend(lines)
        if report:
            report(iri, len(lines))
    merged = sorted_once(default_lines)
    _put_default(http, url, merged, END, servers)
    if report:
        report("the default graph", len(merged))
    return PushSummary(len(named), sent + len(merged), time.perf_counter() - start)


def _put_default(http: Http, url: str, lines: list[bytes], end: bytes, servers: set[str]) -> None:
    """The merge as the default graph; where the Graph Store has none (Virtuoso: a query's
    default graph is the union of all graphs, its own system graphs included), as the named
    graph quirks.MERGE_GRAPH, which RemoteStore reads as the default graph."""
    from kgtool.errors import InputError
    from kgtool.store import quirks

    merge = with_parameter(url, "graph", quirks.MERGE_GRAPH)
    if any(quirks.is_virtuoso(server) for server in servers):
        _put(http, merge, lines, end, "the default graph")
        return
    try:
        _put(http, with_parameter(url, "default", None), lines, end, "the default graph")
    except InputError as exc:
        if not quirks.has_no_default_graph(exc.what):
            raise
        _put(http, merge, lines, end, "the default graph")


def _put(http: Http, url: str, lines: list[bytes], end: bytes, what: str) -> str:
    """PUT one graph; the server's name (its Server header)."""
    body = end.join(lines) + end if lines else b""
    return http.request("PUT", url, body, {"Content-Type": _NTRIPLES}, what=f"the PUT of {what}",
                        where="--gsp").server
