"""Counts of what the graph holds: triples per graph, instances per class, uses per property."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kgtool.namespaces import compact

_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
_CLASSES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p"
_LABELLED = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s rdfs:label ?l }"


@dataclass
class Statistics:
    triples: int
    graphs: list[tuple[str, int]] = field(default_factory=list)
    classes: list[tuple[str, int]] = field(default_factory=list)
    properties: list[tuple[str, int]] = field(default_factory=list)
    labelled: int = 0


def _pairs(store, query: str, key: str) -> list[tuple[str, int]]:
    return [(compact(row[key].value), int(row["n"].value)) for row in store.select(query)]


def statistics(store) -> Statistics:
    named = _pairs(store, _GRAPHS, "g")
    default = len(store) - sum(n for _, n in named)
    graphs = ([("(default graph)", default)] if default else []) + named
    labelled = store.select(_LABELLED)
    return Statistics(
        triples=len(store),
        graphs=graphs,
        classes=_pairs(store, _CLASSES, "c"),
        properties=_pairs(store, _PROPERTIES, "p"),
        labelled=int(labelled[0]["n"].value) if labelled else 0,
    )


def _section(title: str, pairs: list[tuple[str, int]]) -> list[str]:
    width = max((len(name) for name, _ in pairs), default=0)
    return [f"{title}:"] + [f"  {name.ljust(width)}  {count:>6}" for name, count in pairs] + [""]


def render_text(stats: Statistics) -> str:
    lines = [f"triples (quads): {stats.triples}", f"labelled entities: {stats.labelled}", ""]
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
