"""How two entities connect: every shortest path through the relation graph, with evidence."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from kgtool.pictures.selection import focus_node
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

    @property
    def found(self) -> bool:
        return self.total > 0


def connect(store, graph, start_text: str, end_text: str, limit: int | None = None) -> Connection:
    """Every shortest path between the two entities, edges followed either way."""
    import networkx as nx

    start = focus_node(store, graph, start_text, where="A")
    end = focus_node(store, graph, end_text, where="B")
    undirected = graph.to_undirected(as_view=True)
    try:
        node_paths = sorted(nx.all_shortest_paths(undirected, start, end))
    except nx.NetworkXNoPath:
        node_paths = []
    shown = node_paths[:limit] if limit else node_paths
    return Connection(start, end, graph.nodes[start]["label"], graph.nodes[end]["label"],
                      [_hops(graph, p) for p in shown], len(shown), len(node_paths))


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

def as_text(connection: Connection) -> str:
    head = f"{connection.start_label} and {connection.end_label}"
    if not connection.found:
        return f"{head}: not connected\n"
    hops = len(connection.paths[0])
    lines = [f"{head}: {count(connection.total, 'shortest path')} of {count(hops, 'relation')}"
             + (f" (showing {connection.shown})" if connection.shown < connection.total else "")]
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
    data = asdict(connection)
    data["found"] = connection.found
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


PATH_FORMATS = {"text": as_text, "json": as_json}
