"""Incremental validation: check what an added article touches, not the whole archive.

When triples are added to a graph that conformed, a focus node can only start to
violate a shape if the new triples are about it or about a node it points at: a new
fact on it, a new claim naming it (a kg:Claim points at its subject, so it is an
object of the change), or new triples about one of its values that a shape looks
into and can be broken by (sh:not, sh:node, or a nested shape with counts, along
the property that leads there). So the nodes to check are every subject and object
of the added triples, and the nodes that reach a subject of theirs along such a
property. sh:class and sh:or of classes cannot be broken by adding triples, and
SPARQL-based constraints are taken to look at their focus node's own triples and
the triples that point at it, as the project's do. An rdfs:subClassOf axiom makes every instance of the subclass an
instance of more classes, so those instances are checked too. A blank node cannot
be named in a query: a change that touches one means the whole graph is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pyoxigraph as ox


RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


@dataclass
class Touched:
    nodes: list[Any] | None   # the focus nodes to check; None: check the whole graph
    triples: int              # how many triples the change holds
    reason: str = ""          # why the whole graph is checked, when it is


def read_change(path: Path, base: str | None = None) -> list[ox.Quad]:
    """The quads of an RDF file, read on their own (the file need not be in the store), with
    its URI as base IRI, or `base` (--base)."""
    from kgtool.store.files import parse_file

    return parse_file(path, base)


def touched(store, quads: Iterable[ox.Quad], look_through: set[Any] | None = None) -> Touched:
    """The focus nodes whose conformance the added `quads` can change, found in `store`;
    `look_through` holds the properties along which shapes look into values (None: all)."""
    quads = list(quads)
    subjects = {q.subject for q in quads}
    nodes = subjects | {q.object for q in quads if not isinstance(q.object, ox.Literal) and q.predicate != RDF_TYPE}
    properties = [None] if look_through is None else sorted(look_through, key=str)
    for node in subjects:
        for prop in properties:
            nodes.update(q.subject for q in store.backend.quads_for_pattern(None, prop, node) if q.predicate != RDF_TYPE)
    for subclass in {q.subject for q in quads if q.predicate == SUBCLASS_OF}:
        instances = store.query(f"SELECT DISTINCT ?x WHERE {{ ?c {SUBCLASS_OF}* {subclass} . ?x a ?c }}")
        nodes.update(solution["x"] for solution in instances)
    if any(isinstance(n, ox.BlankNode) for n in nodes):
        return Touched(None, len(quads), "it touches blank nodes, which a query cannot name")
    return Touched(sorted(nodes, key=str), len(quads))


# Constraints on a value that adding triples about the value cannot break.
_MONOTONE = {"class", "datatype", "nodeKind", "in", "hasValue", "minInclusive", "maxInclusive",
             "minExclusive", "maxExclusive", "minLength", "maxLength", "pattern", "languageIn"}


def look_through(shapes) -> set[Any] | None:
    """The properties along which some shape checks values in a way new triples can break
    (None: a path that is not a plain property does that, so follow every property)."""
    found: set[Any] = set()
    for root in shapes.targeted():
        for prop in ([root] if root.path is not None else root.properties):
            if any(not _monotone(name, parameter) for name, parameter in prop.constraints):
                if not isinstance(prop.path, ox.NamedNode):
                    return None
                found.add(prop.path)
    return found


def _monotone(name: str, parameter: Any) -> bool:
    if name in _MONOTONE or name in ("minCount", "maxCount", "uniqueLang"):
        return True  # counts and the rest look at the focus node's own values
    if name in ("or", "and"):
        return all(not s.path and not s.properties and not s.sparql
                   and all(n in _MONOTONE for n, _ in s.constraints) for s in parameter)
    return False
