"""sh:qualifiedValueShape with sh:qualifiedMinCount / sh:qualifiedMaxCount (SHACL 1.0, 4.7.3).

A value node counts when it conforms to the qualified value shape and, with
sh:qualifiedValueShapesDisjoint true, to none of the sibling shapes: the qualified
value shapes of the other property shapes of the shapes that hold this one.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kgtool.shacl.shapes import Shape, Unsupported

QUALIFIED = ("qualifiedMinCount", "qualifiedMaxCount")


@dataclass(eq=False)
class Qualified:
    shape: Shape            # the qualified value shape
    count: int
    siblings: list[Shape]   # the shapes a counted value must not conform to


def read_qualified(shapes, node: Any) -> list[tuple[str, Qualified]]:
    """The qualified count constraints of the shape `node` of the ShapesGraph `shapes`."""
    found = []
    for value in shapes.objects(node, "qualifiedValueShape"):
        disjoint = shapes.value(node, "qualifiedValueShapesDisjoint")
        siblings = _siblings(shapes, node, value) if disjoint == ox.Literal(True) else []
        for name in QUALIFIED:
            for count in shapes.objects(node, name):
                found.append((name, Qualified(shapes.shape(value), int(count.value), siblings)))
    return found


def _siblings(shapes, node: Any, own: Any) -> list[Shape]:
    parents = shapes.subjects("property", node)
    others = {q for parent in parents for prop in shapes.objects(parent, "property") if prop != node
              for q in shapes.objects(prop, "qualifiedValueShape") if q != own}
    return [shapes.shape(q) for q in sorted(others, key=str)]


def counted(compiler, shape: Shape, qualified: Qualified, v: str, x: str) -> str:
    """A pattern binding `x` to each value node of `v` that counts for `qualified`."""
    pattern = f"{compiler.values(v, shape, x)} FILTER NOT EXISTS {{ {compiler.violation(qualified.shape, x)} }}"
    for sibling in qualified.siblings:
        pattern += f" FILTER EXISTS {{ {compiler.violation(sibling, x)} }}"
    return pattern


def qualified_query(compiler, shape: Shape, name: str, qualified: Qualified, nodes: str) -> str:
    """The focus nodes (?this) of a targeted property shape with too few or too many counted values."""
    x = compiler.fresh()
    counts = (f"{{ SELECT ?this (COUNT(DISTINCT {x}) AS ?n) WHERE {{ {nodes} "
              f"{counted(compiler, shape, qualified, '?this', x)} }} GROUP BY ?this }}")
    if name == "qualifiedMaxCount":
        return f"SELECT ?this WHERE {{ {counts} FILTER(?n > {qualified.count}) }}"
    if qualified.count <= 0:
        return "SELECT ?this WHERE { FILTER(false) }"
    return f"SELECT ?this WHERE {{ {nodes} OPTIONAL {counts} FILTER(!BOUND(?n) || ?n < {qualified.count}) }}"


def qualified_branch(compiler, shape: Shape, name: str, qualified: Qualified, v: str) -> str | None:
    """The branch of a nested shape's violation pattern: `v` has too few or too many counted values."""
    if name == "qualifiedMinCount":
        if qualified.count <= 0:
            return None
        return f"FILTER NOT EXISTS {{ {_at_least(compiler, shape, qualified, v, qualified.count)} }}"
    return _at_least(compiler, shape, qualified, v, qualified.count + 1)


def _at_least(compiler, shape: Shape, qualified: Qualified, v: str, count: int) -> str:
    from kgtool.shacl.constraints import NESTED_COUNT_LIMIT

    if count > NESTED_COUNT_LIMIT:
        raise Unsupported(f"counts above {NESTED_COUNT_LIMIT} inside logical constraints")
    values = [compiler.fresh() for _ in range(count)]
    patterns = " ".join(counted(compiler, shape, qualified, v, x) for x in values)
    apart = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(values, 2))
    return patterns + (f" FILTER({apart})" if apart else "")
