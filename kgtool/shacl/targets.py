"""Focus nodes (SHACL 1.0, section 2.1.3): the nodes a shape's targets select.

For the whole graph they are a SPARQL subquery that each check joins with. For
incremental validation they are picked from a set of candidate nodes by looking
each candidate up in the store: far cheaper than a subquery restricted by a long
VALUES list, which pyoxigraph evaluates in full before it joins.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kgtool.shacl.constraints import SUBCLASS_OF, term
from kgtool.shacl.shapes import RDF, Shape

_TYPE = ox.NamedNode(RDF + "type")


def focus_pattern(shape: Shape) -> str:
    """A subquery binding ?this to each focus node of `shape` once."""
    parts = []
    for target in shape.targets:
        if target.kind == "targetNode":
            parts.append(f"VALUES ?this {{ {term(target.value)} }}")
        elif target.kind == "targetClass":
            parts.append(f"?kg_class {SUBCLASS_OF}* {term(target.value)} . ?this a ?kg_class")
        elif target.kind == "targetSubjectsOf":
            parts.append(f"?this {term(target.value)} ?kg_any")
        elif target.kind == "targetObjectsOf":
            parts.append(f"?kg_any {term(target.value)} ?this")
        else:
            parts.append(target.value)
    union = " UNION ".join(f"{{ {p} }}" for p in parts)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


class Candidates:
    """Nodes that may be focus nodes, with their types looked up once for every shape."""

    def __init__(self, store, nodes) -> None:
        self.nodes = set(nodes)
        self.types: dict[Any, set[Any]] = {}
        for node in self.nodes:
            if not isinstance(node, ox.Literal):
                for quad in store.backend.quads_for_pattern(node, _TYPE, None):
                    self.types.setdefault(node, set()).add(quad.object)


def focus_among(store, shape: Shape, candidates: Candidates, prologue: str = "") -> list[Any]:
    """The focus nodes of `shape` that are among the candidates."""
    backend = store.backend
    found: set[Any] = set()
    for target in shape.targets:
        if target.kind == "targetNode":
            found.update({target.value} & candidates.nodes)
        elif target.kind == "targetClass":
            classes = _subclasses(store, target.value)
            found.update(n for n, types in candidates.types.items() if types & classes)
        elif target.kind == "targetSubjectsOf":
            found.update(n for n in candidates.nodes if not isinstance(n, ox.Literal)
                         and next(iter(backend.quads_for_pattern(n, target.value, None)), None) is not None)
        elif target.kind == "targetObjectsOf":
            found.update(n for n in candidates.nodes
                         if next(iter(backend.quads_for_pattern(None, target.value, n)), None) is not None)
        else:
            found.update(_sparql_target_among(store, target.value, candidates.nodes, prologue))
    return sorted(found, key=str)


def _subclasses(store, cls: Any) -> set[Any]:
    rows = store.query(f"SELECT ?c WHERE {{ ?c {SUBCLASS_OF}* {term(cls)} }}")
    return {row["c"] for row in rows} | {cls}


# Up to this many candidates, the target runs once per candidate with ?this substituted (it reaches
# into MINUS and subqueries, which a VALUES block at the top does not: at a million triples the
# top-level VALUES left a MINUS evaluated over the whole store, seconds per target).
ONE_BY_ONE = 5000


def _sparql_target_among(store, select: str, candidates: set[Any], prologue: str) -> list[Any]:
    """A SPARQL-based target with ?this bound to the candidates."""
    if len(candidates) <= ONE_BY_ONE:
        return [node for node in candidates
                if next(iter(store.query(prologue + select, {"this": node})), None) is not None]
    head, brace, body = select.partition("{")
    values = "VALUES ?this { " + " ".join(str(n) for n in candidates) + " } "
    return [row["this"] for row in store.query(prologue + head + brace + " " + values + body)]
