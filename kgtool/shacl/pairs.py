"""Property pair components and sh:closed (SHACL 1.0, sections 4.5 and 4.8.1) as SPARQL.

Each component becomes graph patterns that have a solution for each value node (in `x`)
that breaks it, at the node in `v`: the SPARQL engine selects them for a targeted shape
(`pair_query`), and nested shapes (sh:not, sh:and, ...) take them as branches of their
violation pattern (`pair_patterns`).
"""

from __future__ import annotations

from typing import Any

from kgtool.shacl.constraints import is_true, term
from kgtool.shacl.shapes import Shape, Unsupported
from kgtool.store.literals import sparql_value

PAIRS = ("equals", "disjoint", "lessThan", "lessThanOrEquals")
ORDERS = {"lessThan": "<", "lessThanOrEquals": "<="}


def own_values(compiler, shape: Shape, v: str, x: str) -> str:
    """`x` bound to each value node of `v`: `v` itself for a node shape (SHACL 2.3.2)."""
    if shape.path is None:
        return f"BIND({v} AS {x})"
    return compiler.values(v, shape, x)


def pair_patterns(compiler, shape: Shape, name: str, parameter: Any, v: str, x: str) -> list[str]:
    """Patterns with a solution for each value node `x` of `v` that breaks sh:`name` `parameter`
    (a property, compared with the values of `v` for it)."""
    prop, other = term(parameter), compiler.fresh()
    if name == "equals":  # a value that is not a value of the property, and the other way round
        same = compiler.fresh()
        return [f"{own_values(compiler, shape, v, x)} FILTER NOT EXISTS {{ {v} {prop} {x} }}",
                f"{v} {prop} {x} . FILTER NOT EXISTS {{ {own_values(compiler, shape, v, same)} "
                f"FILTER(sameTerm({same}, {x})) }}"]
    if name == "disjoint":
        return [f"{own_values(compiler, shape, v, x)} {v} {prop} {x} ."]
    # sh:lessThan, sh:lessThanOrEquals: also where the two cannot be compared (SHACL 4.5.3)
    compare = f"{sparql_value(x)} {ORDERS[name]} {sparql_value(other)}"
    return [f"{own_values(compiler, shape, v, x)} {v} {prop} {other} . FILTER(!COALESCE({compare}, false))"]


def closed_patterns(compiler, shape: Shape, parameter: Any, v: str, x: str, path: str) -> list[str]:
    """sh:closed true: a triple of a value node of `v` whose predicate (in `path`) is not among
    those allowed (the IRI sh:path of each sh:property, and sh:ignoredProperties); `x` is its object."""
    closed, allowed = parameter
    if not is_true(closed):
        return []
    node = v if shape.path is None else compiler.fresh()
    reach = "" if shape.path is None else compiler.values(v, shape, node)
    outside = f"FILTER({path} NOT IN ({', '.join(sorted({term(p) for p in allowed}))}))" if allowed else ""
    return [f"{reach} {node} {path} {x} . {outside}"]


def pair_query(compiler, shape: Shape, name: str, parameter: Any, nodes: str) -> str:
    """The query for a targeted shape: the focus nodes (?this), the values that break the
    constraint (?value) and, for sh:closed, the predicate (?path)."""
    if name == "closed":
        if shape.path is not None:
            raise Unsupported("sh:closed on a property shape")
        patterns = closed_patterns(compiler, shape, parameter, "?this", "?value", "?path")
        head = "SELECT DISTINCT ?this ?path ?value"
    else:
        patterns = pair_patterns(compiler, shape, name, parameter, "?this", "?value")
        head = "SELECT DISTINCT ?this ?value"
    union = " UNION ".join(f"{{ {nodes} {p} }}" for p in patterns) or "FILTER(false)"
    return f"{head} WHERE {{ {union} }}"
