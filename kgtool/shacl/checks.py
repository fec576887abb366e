"""The SPARQL engine: every constraint of every targeted shape becomes one SPARQL query.

Each query returns the focus nodes (and value nodes) that violate one constraint
component of one shape, so the results carry the same focus node, path,
component, value, severity, message and source shape that pySHACL reports; tests
hold the two engines to that, on the project's shapes and on the W3C test suite.
Restricting the focus nodes (`focus=`) is what incremental validation uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

import pyoxigraph as ox

from kgtool.shacl.constraints import COUNTS, Compiler, component_iri, term
from kgtool.namespaces import compact
from kgtool.shacl.reports import Result
from kgtool.shacl.shapes import SH, Shape, ShapesGraph, SparqlConstraint, Unsupported
from kgtool.shacl.targets import SUBCLASS_OF, Candidates, focus_among, focus_pattern

SPARQL_COMPONENT = SH + "SPARQLConstraintComponent"
_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class Check:
    """One query: rows of ?this (and ?value, ?path) that violate one constraint of one shape."""

    shape: Shape
    component: str         # the component's IRI
    query: str
    value_is_focus: bool   # node-level constraints report the focus node as the value
    root: Shape | None = None  # the targeted shape whose focus nodes the check looks at
    focus: str = ""        # a pattern for the focus nodes; FOCUS in `query` stands for it
    prologue: str = ""     # the PREFIX lines the focus pattern needs
    sparql: SparqlConstraint | None = None


# Where a check's focus nodes go. run_checks finds them once per shape and puts them
# there as VALUES when they are few, or as the subquery itself when they are many.
FOCUS = "\x00focus\x00"
INLINE_LIMIT = 1_000


def compile_checks(shapes: ShapesGraph) -> list[Check]:
    """Every check the targeted shapes ask for; raises Unsupported for what it cannot compile."""
    compiler = Compiler(shapes)
    checks: list[Check] = []
    for root in shapes.targeted():
        prologue = "".join(t.prologue for t in root.targets)
        found = []
        if root.path is None:
            found.extend(_node_checks(compiler, root, FOCUS, prologue))
            for prop in root.properties:
                found.extend(_property_checks(compiler, prop, FOCUS, prologue))
        else:
            found.extend(_property_checks(compiler, root, FOCUS, prologue))
        focus = focus_pattern(root)
        for check in found:
            check.root, check.focus, check.prologue = root, focus, prologue
        checks.extend(found)
    return checks


def _node_checks(compiler: Compiler, shape: Shape, nodes: str, prologue: str) -> Iterator[Check]:
    for name, parameter in shape.constraints:
        if name in COUNTS:
            continue
        query = f"SELECT DISTINCT ?this WHERE {{ {nodes} FILTER({compiler.fails(name, parameter, '?this')}) }}"
        # sh:hasValue reports no value node (SHACL 1.0, section 4.8.3); the others report the focus node.
        yield Check(shape, component_iri(name), prologue + query, value_is_focus=name != "hasValue")
    for constraint in shape.sparql:
        yield _sparql_check(shape, constraint, nodes, prologue, path=None)


def _property_checks(compiler: Compiler, shape: Shape, nodes: str, prologue: str) -> Iterator[Check]:
    if shape.properties:
        raise Unsupported("sh:property inside a property shape")
    path = compiler.path(shape)
    for name, parameter in shape.constraints:
        if name == "minCount" and parameter == 0:
            continue  # every node has at least zero values
        if name == "minCount":
            query = (f"SELECT ?this WHERE {{ {nodes} OPTIONAL {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) "
                     f"WHERE {{ {nodes} ?this {path} ?value }} GROUP BY ?this }} "
                     f"FILTER(!BOUND(?n) || ?n < {parameter}) }}")
            if parameter == 1:  # MINUS, not FILTER NOT EXISTS: pyoxigraph runs it as one anti-join
                query = f"SELECT ?this WHERE {{ {nodes} MINUS {{ ?this {path} ?value }} }}"
        elif name == "maxCount":
            query = (f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) "
                     f"WHERE {{ {nodes} ?this {path} ?value }} GROUP BY ?this }} FILTER(?n > {parameter}) }}")
        elif name == "hasValue":
            query = f"SELECT ?this WHERE {{ {nodes} MINUS {{ ?this {path} {term(parameter)} }} }}"
        elif name == "uniqueLang":
            if str(parameter) != '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>':
                continue  # only true turns it on (SHACL 1.0, section 4.4.2); "1" does not
            query = (f"SELECT DISTINCT ?this (LANG(?kg_a) AS ?kg_lang) WHERE {{ {nodes} ?this {path} ?kg_a , ?kg_b . "
                     f"FILTER(!sameTerm(?kg_a, ?kg_b) && LANG(?kg_a) != \"\" && LANG(?kg_a) = LANG(?kg_b)) }}")
        elif name == "class":
            query = (f"SELECT DISTINCT ?this ?value WHERE {{ {nodes} ?this {path} ?value . "
                     f"MINUS {{ ?value a ?kg_class . ?kg_class {SUBCLASS_OF}* {term(parameter)} }} }}")
        else:
            query = (f"SELECT DISTINCT ?this ?value WHERE {{ {nodes} ?this {path} ?value . "
                     f"FILTER({compiler.fails(name, parameter, '?value')}) }}")
        yield Check(shape, component_iri(name), prologue + query, value_is_focus=False)
    for constraint in shape.sparql:
        yield _sparql_check(shape, constraint, nodes, prologue, path=path)


def _sparql_check(shape: Shape, constraint: SparqlConstraint, nodes: str, prologue: str, path: str | None) -> Check:
    """Pre-binding (SHACL 5.3.1) as a join: the focus subquery opens the WHERE clause."""
    text = constraint.select
    if re.search(r"\$(currentShape|shapesGraph)\b", text):
        raise Unsupported("$currentShape or $shapesGraph in a SPARQL-based constraint")
    if path is not None:
        text = re.sub(r"\$PATH\b", path, text)
    head, brace, body = text.partition("{")
    if not re.search(r"[?$]this\b|\*", head):
        raise Unsupported("a SPARQL-based constraint that does not select $this")
    query = prologue + constraint.prologue + head + brace + " " + nodes + " " + body
    return Check(shape, SPARQL_COMPONENT, query, value_is_focus=True, sparql=constraint)


def show(value: Any) -> str:
    """A term as the report shows it: a prefixed name, [] for a blank node, a literal's text."""
    if value is None:
        return ""
    if isinstance(value, ox.NamedNode):
        return compact(value.value)
    if isinstance(value, ox.BlankNode):
        return "[]"
    return value.value


def message_of(check: Check, row: dict[str, Any]) -> str:
    """The sh:message (English or untagged first), with {?var} filled in from the row."""
    candidates = (check.sparql.messages if check.sparql and check.sparql.messages else check.shape.messages)
    if not candidates:
        return f"{compact(check.component)} failed"
    ranked = sorted(candidates, key=lambda m: (getattr(m, "language", None) not in (None, "en"), m.value))
    text = ranked[0].value
    return _TEMPLATE.sub(lambda m: _plain(row.get(m.group(1))), text)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    return value.value


def run_checks(store, checks: list[Check], focus: Iterable[Any] | None = None) -> list[Result]:
    """Run every check on the store's default graph (the merge of all graphs); with `focus`,
    only on those of each shape's focus nodes that are among the nodes given."""
    candidates = None if focus is None else Candidates(store, focus)
    results: list[Result] = []
    found: dict[int, tuple[list[Any], str | None]] = {}
    for check in checks:
        source = f"the SPARQL for shape {show(check.shape.node)}"
        if id(check.root) not in found:
            found[id(check.root)] = _focus_nodes(store, check, candidates, source)
        nodes, pattern = found[id(check.root)]
        if pattern is None:
            continue  # the shape has no focus nodes: nothing to check
        for row in _rows(store, check, nodes, pattern, candidates is not None, source):
            results.append(_result(check, row))
    return results


def _rows(store, check: Check, nodes: list[Any], pattern: str, few: bool, source: str) -> Iterator[dict]:
    if few and check.sparql is not None:
        # Pre-binding proper (SHACL 5.3.1), one focus node at a time: for a few nodes that
        # beats joining, where pyoxigraph reads the whole right side of an OPTIONAL or MINUS.
        queries = [(check.query.replace(FOCUS, ""), {"this": node}) for node in nodes]
    else:
        queries = [(check.query.replace(FOCUS, pattern), None)]
    for query, bindings in queries:
        solutions = store.query(query, bindings, source=source)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            yield {n: solution[n] for n in names if solution[n] is not None}


def _focus_nodes(store, check: Check, candidates: Candidates | None, source: str) -> tuple[list[Any], str | None]:
    """The focus nodes, found once per shape, and a pattern for them: None when there are
    none, VALUES when they are few (or picked from candidates), else the focus subquery that
    each check evaluates again (VALUES of many nodes is slower there, and blank nodes cannot
    be written)."""
    if candidates is not None:
        nodes = focus_among(store, check.root, candidates, check.prologue)
    else:
        # LIMIT: telling "many" needs only one node past the limit, and reading all of them
        # into Python costs more than the checks that follow (16 s for 886k claims at 10M).
        query = f"{check.prologue}SELECT ?this WHERE {{ {check.focus} }} LIMIT {INLINE_LIMIT + 1}"
        nodes = [solution["this"] for solution in store.query(query, source=source)]
        if len(nodes) > INLINE_LIMIT or any(isinstance(n, ox.BlankNode) for n in nodes):
            return [], (check.focus if nodes else None)
    return nodes, ("VALUES ?this { " + " ".join(map(str, nodes)) + " }" if nodes else None)


def _result(check: Check, row: dict[str, Any]) -> Result:
    focus = row.get("this")
    value = row.get("value", focus) if check.value_is_focus else row.get("value")
    path = check.shape.path
    if check.sparql is not None and isinstance(row.get("path"), ox.NamedNode):
        path = row["path"]
    constraint = check.sparql.node if check.sparql is not None else None
    return Result(focus=show(focus), path=show(path), severity=check.shape.severity,
                  component=compact(check.component), message=message_of(check, row),
                  value=show(value), shape=show(check.shape.node),
                  terms=(focus, path, value, check.shape.node, constraint))
