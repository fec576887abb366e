"""Counts of what the graph holds: triples per graph, instances per class, uses per property.

Every count is one SPARQL aggregate that pyoxigraph computes itself; nothing walks
the triples in Python. The total is that of the merge (the default graph every
query sees: a triple two articles state counts once), so it agrees with
`SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }`. The default graph's own triples are
those no named graph states: the merge less the distinct named triples. Terms are
kept as full IRIs; the text output shortens them to prefixed names, JSON does not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kgtool.namespaces import compact

_TOTAL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
_NAMED_DISTINCT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
_CLASSES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p"
_LABELLED = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s rdfs:label ?l }"
DEFAULT_GRAPH = "(default graph)"

QUERIES = {"total": _TOTAL, "graphs": _GRAPHS, "named distinct": _NAMED_DISTINCT, "classes": _CLASSES,
           "properties": _PROPERTIES, "labelled": _LABELLED}  # for bench/stats.py's raw baseline


@dataclass
class Statistics:
    triples: int
    graphs: list[tuple[str, int]] = field(default_factory=list)  # full IRIs, DEFAULT_GRAPH first if any
    classes: list[tuple[str, int]] = field(default_factory=list)
    properties: list[tuple[str, int]] = field(default_factory=list)
    labelled: int = 0


def _pairs(store, query: str, key: str) -> list[tuple[str, int]]:
    return [(str(row[key].value), int(row["n"].value)) for row in store.select(query)]


def _count(store, query: str) -> int:
    rows = store.select(query)
    return int(rows[0]["n"].value) if rows else 0


def count_everything(store) -> Statistics:
    """The counts, computed here (statistics() runs this where Ctrl-C can stop it)."""
    total = _count(store, _TOTAL)
    named = _pairs(store, _GRAPHS, "g")
    default = total - (_count(store, _NAMED_DISTINCT) if named else 0)
    return Statistics(
        triples=total,
        graphs=([(DEFAULT_GRAPH, default)] if default else []) + named,
        classes=_pairs(store, _CLASSES, "c"),
        properties=_pairs(store, _PROPERTIES, "p"),
        labelled=_count(store, _LABELLED),
    )


def statistics(store) -> Statistics:
    from kgtool.worker import run_killable

    return run_killable(count_everything, store, what="kgtool stats")


def _section(title: str, pairs: list[tuple[str, int]]) -> list[str]:
    named = [(name if name == DEFAULT_GRAPH else compact(name), count) for name, count in pairs]
    width = max((len(name) for name, _ in named), default=0)
    return [f"{title}:"] + [f"  {name.ljust(width)}  {count:>6}" for name, count in named] + [""]


def render_text(stats: Statistics) -> str:
    lines = [f"triples: {stats.triples}", f"labelled entities: {stats.labelled}", ""]
    lines += _section("graphs", stats.graphs)
    lines += _section("classes (instances)", stats.classes)
    lines += _section("properties (uses)", stats.properties)
    return "\n".join(lines)


def render_json(stats: Statistics) -> str:
    as_dict = {
        "triples": stats.triples,
        "labelled": stats.labelled,
        "graphs": dict(stats.graphs),
        "classes": dict(stats.classes),
        "properties": dict(stats.properties),
    }
    return json.dumps(as_dict, indent=2) + "\n"


STATS_FORMATS = {"text": render_text, "json": render_json}
