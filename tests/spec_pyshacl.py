"""pySHACL as the SHACL specification says, for the differential test (tests/test_differential.py).

`spec_pyshacl()` patches pySHACL (unittest.mock, for the duration of a `with`) where it departs
from the specification; tests/test_differential.py lists each departure (PYSHACL_DEPARTS, by
the names below) with the sentence it departs from. Each patch counts in DEPARTED how often it
changed pySHACL's answer, so the departures are normalised, not hidden.
"""

from __future__ import annotations

import contextlib
from collections import Counter

RANGE = "range bound against a value it cannot be compared with"
PAIRS = "sh:lessThan / sh:lessThanOrEquals on values that cannot be compared"
INVERSE_SEQUENCE = "an inverse sequence path"
MIN_LENGTH_ZERO = "sh:minLength 0 on a blank node"
DEPARTURES = (RANGE, PAIRS, INVERSE_SEQUENCE, MIN_LENGTH_ZERO)

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + name for name in (
    "integer", "decimal", "float", "double", "nonPositiveInteger", "negativeInteger", "long", "int", "short",
    "byte", "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    "positiveInteger")}

DEPARTED: Counter = Counter()  # departure -> how many times the reference run put it right


def _numeric(term) -> bool:
    return getattr(term, "datatype", None) is not None and str(term.datatype) in NUMERIC


@contextlib.contextmanager
def spec_pyshacl():
    """pySHACL with its departures (DEPARTURES) put right, each counted in DEPARTED."""
    from unittest import mock

    import rdflib
    from pyshacl.constraints.core import property_pair_constraints as pairs
    from pyshacl.constraints.core import string_based_constraints as strings
    from pyshacl.constraints.core import value_range_constraints as ranges

    compare, min_length = ranges.compare_literal, strings.MinLengthConstraintComponent._evaluate_string_rule

    def spec_compare(value, bound):
        if _numeric(bound) and not _numeric(value):
            compare(value, bound)  # raises where pySHACL already agrees with SPARQL
            DEPARTED[RANGE] += 1
            raise TypeError("not comparable in SPARQL")
        return compare(value, bound)

    def spec_min_length(self, rule, target_graph, focus_values):
        if rule.value != 0:
            return min_length(self, rule, target_graph, focus_values)
        reports = [self.make_v_result(target_graph, focus, value_node=value)
                   for focus, values in focus_values.items() for value in values if isinstance(value, rdflib.BNode)]
        DEPARTED[MIN_LENGTH_ZERO] += len(reports)
        return bool(reports), reports

    with mock.patch.object(ranges, "compare_literal", spec_compare), \
            mock.patch.object(strings.MinLengthConstraintComponent, "_evaluate_string_rule", spec_min_length), \
            _spec_pairs(pairs.LessThanConstraintComponent, "_compare_lt", lambda order: order < 0), \
            _spec_pairs(pairs.LessThanOrEqualsConstraintComponent, "_compare_ltoe", lambda order: order <= 0), \
            _spec_inverse_sequences():
        yield


@contextlib.contextmanager
def _spec_inverse_sequences():
    """pySHACL's path walk, with the inverse of a sequence walked last member first."""
    from unittest import mock

    import rdflib
    from pyshacl import shape
    from pyshacl.helper import expression_helper

    original = expression_helper.value_nodes_from_path
    first = rdflib.RDF.first

    def spec(sg, focus, path, target_graph, inverse=False, recursion=0):
        if not (inverse and isinstance(path, rdflib.BNode) and sg.graph.value(path, first) is not None):
            return original(sg, focus, path, target_graph, inverse=inverse, recursion=recursion)
        nodes = {focus}
        for member in reversed(list(sg.graph.items(path))):
            nodes = set().union(*(spec(sg, node, member, target_graph, True, recursion + 1) for node in nodes))
        if nodes != original(sg, focus, path, target_graph, inverse=inverse, recursion=recursion):
            DEPARTED[INVERSE_SEQUENCE] += 1
        return nodes

    with mock.patch.object(expression_helper, "value_nodes_from_path", spec), \
            mock.patch.object(shape, "value_nodes_from_path", spec):
        yield


_FAMILIES = {XSD + "string": "string", XSD + "boolean": "boolean", XSD + "date": "date", XSD + "dateTime": "dateTime"}


def sparql_order(first, second) -> int | None:
    """-1, 0 or 1 as SPARQL's < orders two terms, or None where they cannot be compared (an IRI, a
    blank node, other types). As pyoxigraph's < and <= do (SPARQL 1.1, 17.3.1, lets an engine extend
    its operators): two literals of the same language are ordered, and two equal terms are equal
    (so <= holds for an IRI and itself)."""
    import rdflib

    if first == second and type(first) is type(second) and not isinstance(first, rdflib.Literal):
        return 0
    if not (isinstance(first, rdflib.Literal) and isinstance(second, rdflib.Literal)):
        return None

    def family(term):
        if term.language:
            return "@" + term.language.lower()
        datatype = str(term.datatype or XSD + "string")
        return "number" if datatype in NUMERIC else _FAMILIES.get(datatype)

    kind = family(first)
    if kind is None or kind != family(second):
        return None
    if kind == "string" or kind.startswith("@"):
        a, b = str(first), str(second)
    else:
        a, b = first.value, second.value
        if a is None or b is None or type(a) is str or type(b) is str:  # ill-typed: no value to order
            return None
    return (a > b) - (a < b)


@contextlib.contextmanager
def _spec_pairs(component, method: str, holds):
    """sh:lessThan / sh:lessThanOrEquals by `sparql_order`: a result for each value node and
    each value it is not less than (or equal to), or cannot be compared with."""
    from unittest import mock

    original = getattr(component, method)
    name = PAIRS

    def spec(self, value_nodes, compare_values, datagraph, focus):
        reports = []
        for value in value_nodes:
            for other in compare_values:
                order = sparql_order(value, other)
                if order is None or not holds(order):
                    reports.append(self.make_v_result(datagraph, focus, value_node=value))
        try:
            _, theirs = original(self, value_nodes, compare_values, datagraph, focus)
            DEPARTED[name] += abs(len(reports) - len(theirs))
        except Exception:  # pySHACL stops on a blank node
            DEPARTED[name] += len(reports) or 1
        return bool(reports), reports

    with mock.patch.object(component, method, spec):
        yield
