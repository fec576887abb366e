"""How two entities connect: every shortest path through the relation graph, with evidence."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from kgtool.pictures.selection import focus_node
from kgtool.pictures.vocabulary import full_iri
from kgtool.wording import count


@dataclass
class Relation:
    words: str
    predicate: str
    forward: bool  # the edge points along the path (from this hop's start to its end)
    evidence: list[dict] = field(default_factory=list)
    hedge: list[str] = field(default_factory=list)


@dataclass
class Hop:
    start: str
    start_label: str
    end: str
    end_label: str
    relations: list[Relation]


@dataclass
class Connection:
    start: str
    end: str
    start_label: str
    end_label: str
    paths: list[list[Hop]]
    shown: int  # how many of the paths are listed (all unless limited)
    total: int
    filtered: bool = False  # --types or --predicates narrowed the graph the paths go through
    isolated: list[str] = field(default_factory=list)  # labels of ends left with no relation by the filters

    @property
    def found(self) -> bool:
        return self.total > 0

    @property
    def same(self) -> bool:
        return self.start == self.end


def connect(store, graph, start_text: str, end_text: str, limit: int | None = None, *,
            whole=None) -> Connection:
    """Every shortest path between the two entities, edges followed either way.

    `graph` may be `whole` narrowed by filters: an entity of `whole` that the
    filters leave without a relation is then not connected, rather than unknown.
    """
    import networkx as nx

    whole = graph if whole is None else whole
    start = focus_node(store, whole, start_text, where="A")
    end = focus_node(store, whole, end_text, where="B")
    labels = (whole.nodes[start]["label"], whole.nodes[end]["label"])
    filtered = whole is not graph
    isolated = [] if start == end else [
        whole.nodes[n]["label"] for n in dict.fromkeys((start, end)) if n not in graph or graph.degree(n) == 0]
    if start == end:
        node_paths = [[start]]
    elif isolated:
        node_paths = []
    else:
        try:
            node_paths = sorted(nx.all_shortest_paths(graph.to_undirected(as_view=True), start, end))
        except nx.NetworkXNoPath:
            node_paths = []
    shown = node_paths[:limit] if limit else node_paths
    return Connection(start, end, *labels, [_hops(graph, p) for p in shown], len(shown), len(node_paths),
                      filtered, isolated)


def find_paths(store, request, start_text: str, end_text: str, limit: int | None = None):
    """The connection between two entities under `request`'s filters, and the subgraph of its paths."""
    from kgtool.pictures.request import relation_graphs

    whole, graph = relation_graphs(store, request)
    connection = connect(store, graph, start_text, end_text, limit, whole=whole)
    return connection, path_subgraph(whole if connection.same else graph, connection)


def _hops(graph, nodes: list[str]) -> list[Hop]:
    hops = []
    for a, b in zip(nodes, nodes[1:]):
        relations = [_relation(d, True) for d in graph.get_edge_data(a, b, default={}).values()]
        relations += [_relation(d, False) for d in graph.get_edge_data(b, a, default={}).values()]
        relations.sort(key=lambda r: (not r.forward, r.words))
        hops.append(Hop(a, graph.nodes[a]["label"], b, graph.nodes[b]["label"], relations))
    return hops


def _relation(data: dict, forward: bool) -> Relation:
    return Relation(data["label"], data["predicate"], forward, list(data["evidence"]), list(data["hedge"]))


def path_subgraph(graph, connection: Connection):
    """The nodes and edges of the listed paths, to draw them."""
    keep = {connection.start, connection.end}
    for path in connection.paths:
        for hop in path:
            keep |= {hop.start, hop.end}
    sub = graph.subgraph(keep).copy()
    on_path = {frozenset((h.start, h.end)) for p in connection.paths for h in p}
    sub.remove_edges_from([(u, v, k) for u, v, k in sub.edges(keys=True) if frozenset((u, v)) not in on_path])
    return sub


# -- rendering -------------------------------------------------------------------

def verdict(connection: Connection) -> str:
    """The first line of the answer: how the two connect, or why they do not."""
    head = f"{connection.start_label} and {connection.end_label}"
    if connection.same:
        return f"{head}: the same entity, a path of 0 relations"
    if connection.found:
        return f"{head}: {count(connection.total, 'shortest path')} of {count(len(connection.paths[0]), 'relation')}"
    if not connection.filtered:
        return f"{head}: not connected"
    if not connection.isolated:
        return f"{head}: not connected under these filters"
    who = " and ".join(connection.isolated)
    return f"{head}: not connected under these filters ({who} {'has' if len(connection.isolated) == 1 else 'have'} " \
           "no relation under them)"


def as_text(connection: Connection) -> str:
    if not connection.found or connection.same:
        return verdict(connection) + "\n"
    lines = [verdict(connection) + (f" (showing {connection.shown})" if connection.shown < connection.total else "")]
    for number, path in enumerate(connection.paths, 1):
        lines.append("")
        lines.append(f"Path {number}: " + " · ".join([path[0].start_label] + [h.end_label for h in path]))
        for hop in path:
            lines.extend(_hop_lines(hop))
    return "\n".join(lines) + "\n"


def _hop_lines(hop: Hop) -> list[str]:
    lines = []
    for rel in hop.relations:
        arrow = f"{hop.start_label} —{rel.words}→ {hop.end_label}" if rel.forward else \
            f"{hop.start_label} ←{rel.words}— {hop.end_label}"
        lines.append(f"  {arrow}   [{rel.predicate}]")
        for item in rel.evidence:
            where = item["article"] + (f", sentence {item['position']}" if item["position"] else "")
            hedge = f" (hedged: “{item['hedge']}”)" if item["hedge"] else ""
            lines.append(f"      “{item['text']}” — {where}{hedge}")
        if not rel.evidence:
            lines.append("      (no evidence sentence recorded)")
    return lines


def as_json(connection: Connection) -> str:
    """Every term as a full IRI, as W3C SPARQL JSON results name them; labels beside them."""
    data = asdict(connection)
    data["start"], data["end"] = full_iri(connection.start), full_iri(connection.end)
    for path in data["paths"]:
        for hop in path:
            hop["start"], hop["end"] = full_iri(hop["start"]), full_iri(hop["end"])
            for relation in hop["relations"]:
                relation["predicate"] = full_iri(relation["predicate"])
                for item in relation["evidence"]:
                    item["article"] = full_iri(item["article"])
    data["found"] = connection.found
    data["verdict"] = verdict(connection)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


PATH_FORMATS = {"text": as_text, "json": as_json}
