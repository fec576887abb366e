"""The SPARQL engine: every constraint of every targeted shape becomes one SPARQL query.

Each query returns the focus nodes (and value nodes) that violate one constraint
component of one shape, so the results carry the same focus node, path,
component, value, severity, message and source shape that pySHACL reports; tests
hold the two engines to that, on the project's shapes and on the W3C test suite.
Restricting the focus nodes (`focus=`) is what incremental validation uses.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

import pyoxigraph as ox

from kgtool.errors import InputError
from kgtool.shacl.constraints import ABSENT, Compiler, component_iri
from kgtool.namespaces import compact, show_term
from kgtool.shacl.prebinding import ask_body, each_node, mentions, refuse, rewrite, selected, values_row
from kgtool.shacl.reports import Result
from kgtool.shacl.shapes import SH, Shape, ShapesGraph, SparqlConstraint, Unsupported
from kgtool.shacl.targets import Candidates, focus_among, focus_pattern
from kgtool.store.literals import decode

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
    each_node: bool = False    # the query counts rows (LIMIT, OFFSET): run it once per focus node


# Where a check's focus nodes go. run_checks finds them once per shape and puts them
# there as VALUES when they are few, or as the subquery itself when they are many.
FOCUS = "\x00focus\x00"
INLINE_LIMIT = 1_000
# Around the focus nodes in a group that needs no pre-binding (kgtool.shacl.prebinding): kept
# when the focus nodes are a few VALUES, which then cut what that group reads; dropped when
# they are the focus subquery, which that group would evaluate again for nothing.
AGAIN, AGAIN_END = "\x00again\x00", "\x00end\x00"
_AGAIN = re.compile(f"{AGAIN}.*?{AGAIN_END}", re.S)


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
        query = compiler.node_query(name, parameter, nodes, shape)
        if query is not None:
            # sh:hasValue reports no value node (SHACL 1.0, section 4.8.3); the others report the focus node.
            yield Check(shape, component_iri(name), prologue + query, value_is_focus=name != "hasValue")
    for constraint in shape.sparql:
        yield _sparql_check(compiler, shape, constraint, nodes, prologue, path=None)


def _property_checks(compiler: Compiler, shape: Shape, nodes: str, prologue: str,
                     within: frozenset = frozenset()) -> Iterator[Check]:
    path = compiler.path(shape)
    for name, parameter in shape.constraints:
        query = compiler.property_query(name, parameter, shape, nodes)  # the core components
        if query is not None:
            yield Check(shape, component_iri(name), prologue + query, value_is_focus=False)
    for constraint in shape.sparql:
        yield _sparql_check(compiler, shape, constraint, nodes, prologue, path=path)
    for inner in shape.properties:  # its value nodes are the focus nodes of its property shapes
        if id(inner) in within or id(shape) in within:
            raise Unsupported("recursive shapes")
        yield from _property_checks(compiler, inner, compiler.value_nodes(shape, nodes), prologue,
                                    within | {id(shape)})


def _sparql_check(compiler: Compiler, shape: Shape, constraint: SparqlConstraint, nodes: str, prologue: str,
                  path: str | None) -> Check:
    """Pre-binding as SHACL defines it (5.3.1, Appendix A): the focus nodes (`nodes`) and the
    parameter values joined into every group of the query that needs them (kgtool.shacl.prebinding)."""
    where, text = _where(shape), constraint.select
    parameters = dict(constraint.parameters)
    if mentions(text, {"shapesGraph"}):
        raise InputError("$shapesGraph is not supported, since kgtool keeps the shapes apart from the data "
                         "(SHACL 1.0, section 5.3.1 lets a processor refuse it)", where=where,
                         fix="remove the part that reads $shapesGraph")
    if mentions(text, {"currentShape"}):
        if isinstance(shape.node, ox.BlankNode):
            raise Unsupported("$currentShape in a SPARQL-based constraint of a blank-node shape")
        parameters["currentShape"] = shape.node
    focus = {"this", "value"} if constraint.ask else {"this"}
    refuse(text, focus | constraint.parameter_names | {"currentShape", "shapesGraph"},
           focus | constraint.parameter_names, where)
    params, bound = values_row(parameters), set(parameters)
    if constraint.ask:
        query = _ask_query(compiler, shape, text, nodes, params, bound, path)
    else:
        if "this" not in selected(text):
            raise Unsupported("a SPARQL-based constraint that does not select $this")
        query = rewrite(text, nodes, focus, params, bound, path, optional=AGAIN + nodes + AGAIN_END)
    return Check(shape, constraint.component, prologue + constraint.prologue + query, value_is_focus=True,
                 sparql=constraint, each_node=each_node(text))


def _where(shape: Shape) -> str:
    if not isinstance(shape.node, ox.BlankNode):
        return f"the SPARQL of shape {show(shape.node)}"
    if shape.path is not None:
        return f"the SPARQL of the property shape on {show(shape.path)}"
    return "the SPARQL of a blank-node shape"


def _ask_query(compiler: Compiler, shape: Shape, text: str, nodes: str, params: str, bound: set[str],
               path: str | None) -> str:
    """An ASK validator (SHACL 6.3.2) as one SELECT of the (focus node, value node) pairs for
    which the ASK, with $this and $value pre-bound, is false."""
    before, body = ask_body(text)
    if path is None:
        pairs = f"{{ SELECT ?this (?this AS ?value) WHERE {{ {nodes} }} }}"
    else:
        pairs = f"{{ SELECT DISTINCT ?this ?value WHERE {{ {nodes} {compiler.values('?this', shape, '?value')} }} }}"
    true = rewrite(body, pairs, {"this", "value"}, params, bound, path, optional=AGAIN + pairs + AGAIN_END)
    return f"{before}SELECT ?this ?value WHERE {{ {pairs} MINUS {{ SELECT DISTINCT ?this ?value WHERE {true} }} }}"


def show(value: Any) -> str:
    """A term as the report shows it: in Turtle's form (4 and 4.0 differ), [] for a blank node."""
    return show_term(value)


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
    jobs = []
    found: dict[int, tuple[list[Any], str | None]] = {}
    for check in checks:
        source = f"the SPARQL for shape {show(check.shape.node)}"
        if id(check.root) not in found:
            found[id(check.root)] = _focus_nodes(store, check, candidates, source)
        nodes, pattern = found[id(check.root)]
        if pattern is not None:  # else the shape has no focus nodes: nothing to check
            jobs.append((check, nodes, pattern, source))
    store.merge_named_graphs()  # once, before the checks run side by side
    return [result for results in _in_parallel(store, jobs) for result in results]


def _in_parallel(store, jobs: list) -> Iterator[list[Result]]:
    """Each job's results, in the jobs' order. pyoxigraph evaluates a query without holding
    Python's lock, so checks run side by side on every core (a store on disk gains most:
    its term reads wait on RocksDB)."""
    def run(job) -> list[Result]:
        check, nodes, pattern, source = job
        return [_result(check, row) for row in _rows(store, check, nodes, pattern, source)]

    workers = min(len(jobs), os.cpu_count() or 1, _MOST_THREADS)
    if workers < 2:
        yield from map(run, jobs)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kgtool-check") as pool:
        yield from pool.map(run, jobs)


_MOST_THREADS = 4


def _rows(store, check: Check, nodes: list[Any], pattern: str, source: str) -> Iterator[dict]:
    if check.each_node:
        queries = [_focused(check.query, _values([node])) for node in _every_node(store, check, nodes, pattern)]
    else:
        queries = [_focused(check.query, pattern)]
    for query in queries:
        solutions = store.query(query, source=source)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            yield {n: solution[n] for n in names if solution[n] is not None}


def _focused(query: str, pattern: str) -> str:
    """The query with the focus nodes put in (see AGAIN)."""
    if pattern.startswith("VALUES"):
        query = query.replace(AGAIN, "").replace(AGAIN_END, "").replace(ABSENT, "FILTER NOT EXISTS")
    else:
        query = _AGAIN.sub("", query).replace(ABSENT, "MINUS")
    return query.replace(FOCUS, pattern)


def _every_node(store, check: Check, nodes: list[Any], pattern: str) -> list[Any]:
    if not nodes:
        nodes = [row["this"] for row in store.query(f"{check.prologue}SELECT DISTINCT ?this WHERE {{ {pattern} }}")]
    if any(isinstance(node, ox.BlankNode) for node in nodes):
        raise Unsupported("LIMIT or OFFSET in a SPARQL-based constraint of a shape with blank-node focus nodes")
    return nodes


def _values(nodes: list[Any]) -> str:
    return "VALUES ?this { " + " ".join(map(str, nodes)) + " }"


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
    return nodes, (_values(nodes) if nodes else None)


def _result(check: Check, row: dict[str, Any]) -> Result:
    focus = row.get("this")
    value = row.get("value", focus) if check.value_is_focus else row.get("value")
    path = check.shape.path
    if isinstance(row.get("path"), ox.NamedNode):  # SPARQL-based constraints, sh:closed
        path = row["path"]
    # sh:sourceConstraint is the sh:sparql value; a component's results have none (SHACL 6.2)
    constraint = check.sparql.node if check.sparql is not None and check.component == SPARQL_COMPONENT else None
    # shown as written; `terms` stay as stored (to_rdflib maps them back: kgtool.store.literals)
    given = {**check.sparql.parameters, **row} if check.sparql is not None else row
    written = {name: decode(term) for name, term in given.items()}
    return Result(focus=show(decode(focus)), path=show(path), severity=check.shape.severity,
                  component=compact(check.component), message=message_of(check, written),
                  value=show(decode(value)), shape=show(check.shape.node),
                  terms=(focus, path, value, check.shape.node, constraint))
