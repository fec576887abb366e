"""SHACL constraint components as SPARQL (SHACL 1.0, section 4), for the SPARQL engine.

`fails(component, parameter, var)` is a SPARQL expression that holds when the
value node in `var` violates the constraint; `violation(shape, var)` is a graph
pattern with a solution exactly when the node in `var` does not conform to the
shape (it is what sh:not, sh:and, sh:or, sh:xone and sh:node look into).
"""

from __future__ import annotations

import itertools
from typing import Any

import pyoxigraph as ox

from kgtool.shacl.shapes import SH, Shape, Unsupported
from kgtool.store.literals import decode, sparql_has_datatype, sparql_value

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
INSTANCE_OF = f"<{RDF}type>/{SUBCLASS_OF}*"
# Datatypes whose well-formedness the engine checks by casting (XPath casts in SPARQL 1.1,
# section 17.5); literals the store would rewrite (a valid xsd:byte, "01"^^xsd:integer) are
# kept in a form of their own, which `sparql_has_datatype` reads (kgtool.store.literals).
CASTABLE = ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time",
            "gYear", "gYearMonth", "gMonth", "gDay", "gMonthDay", "duration",
            "dayTimeDuration", "yearMonthDuration")
DERIVED = ("byte", "short", "int", "long", "unsignedByte", "unsignedShort", "unsignedInt",
           "unsignedLong", "positiveInteger", "nonNegativeInteger", "negativeInteger",
           "nonPositiveInteger")
NODE_KINDS = {
    "IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
COMPONENT_NAMES = {"minCount": "MinCount", "maxCount": "MaxCount", "class": "Class", "datatype": "Datatype",
                   "nodeKind": "NodeKind", "hasValue": "HasValue", "in": "In", "languageIn": "LanguageIn",
                   "minInclusive": "MinInclusive", "maxInclusive": "MaxInclusive", "minExclusive": "MinExclusive",
                   "maxExclusive": "MaxExclusive", "minLength": "MinLength", "maxLength": "MaxLength",
                   "pattern": "Pattern", "not": "Not", "and": "And", "or": "Or", "xone": "Xone", "node": "Node",
                   "uniqueLang": "UniqueLang", "equals": "Equals", "disjoint": "Disjoint", "lessThan": "LessThan",
                   "lessThanOrEquals": "LessThanOrEquals", "closed": "Closed",
                   "qualifiedMinCount": "QualifiedMinCount", "qualifiedMaxCount": "QualifiedMaxCount"}
COUNTS = ("minCount", "maxCount")
# Parameters of property shapes only (SHACL 4): a node shape with them is not well-formed.
PROPERTY_ONLY = COUNTS + ("uniqueLang", "lessThan", "lessThanOrEquals", "qualifiedMinCount", "qualifiedMaxCount")
PAIRED = ("equals", "disjoint", "lessThan", "lessThanOrEquals", "closed")  # kgtool.shacl.pairs
NESTED_COUNT_LIMIT = 6


def component_iri(name: str) -> str:
    return f"{SH}{COMPONENT_NAMES[name]}ConstraintComponent"


def term(value: Any) -> str:
    """A constant of the shapes graph in SPARQL syntax (blank nodes cannot be named there)."""
    if isinstance(value, ox.BlankNode):
        raise Unsupported("a blank node as a constraint parameter")
    return str(value)


def path_text(shapes, path: Any) -> str:
    """A SHACL property path (SHACL 1.0, section 2.3.1) as a SPARQL property path."""
    if isinstance(path, ox.NamedNode):
        return term(path)
    if not isinstance(path, ox.BlankNode):
        raise Unsupported("a property path that is not an IRI or a blank node")
    if shapes.value(path, "first", RDF) is not None:
        return "(" + "/".join(path_text(shapes, p) for p in shapes.items(path)) + ")"
    for local, template in (("inversePath", "^({})"), ("zeroOrMorePath", "({})*"),
                            ("oneOrMorePath", "({})+"), ("zeroOrOnePath", "({})?")):
        inner = shapes.value(path, local)
        if inner is not None:
            return template.format(path_text(shapes, inner))
    alternatives = shapes.value(path, "alternativePath")
    if alternatives is not None:
        return "(" + "|".join(path_text(shapes, p) for p in shapes.items(alternatives)) + ")"
    raise Unsupported("an unknown kind of property path")


class Compiler:
    """Turns shapes into SPARQL text; `fresh` keeps nested variables apart."""

    def __init__(self, shapes) -> None:
        self.shapes = shapes
        self._counter = itertools.count(1)
        self._open: set[int] = set()

    def fresh(self) -> str:
        return f"?kg_v{next(self._counter)}"

    def path(self, shape: Shape) -> str:
        return path_text(self.shapes, shape.path)

    # -- one value node --------------------------------------------------------------
    def fails(self, name: str, parameter: Any, v: str) -> str:
        if name == "class":
            return f"NOT EXISTS {{ {v} {INSTANCE_OF} {term(parameter)} }}"
        if name == "datatype":
            return f"!({self.datatype_ok(parameter, v)})"
        if name == "nodeKind":
            local = parameter.value.rsplit("#", 1)[-1]
            return "!" + NODE_KINDS[local].format(v=v)
        if name == "hasValue":
            return f"!sameTerm({v}, {term(parameter)})"
        if name in COMPARISONS:
            # by value: a literal kept as written is read again by its datatype (store.literals)
            return f"!COALESCE({sparql_value(v)} {COMPARISONS[name]} {term(decode(parameter))}, false)"
        if name in ("minLength", "maxLength"):
            op = ">=" if name == "minLength" else "<="
            return f"!COALESCE(!isBlank({v}) && STRLEN(STR({v})) {op} {parameter}, false)"
        if name == "pattern":
            pattern, flags = parameter
            return f"!COALESCE(!isBlank({v}) && REGEX(STR({v}), {term(pattern)}, {term(ox.Literal(flags))}), false)"
        if name == "in":
            return "!(" + (" || ".join(f"sameTerm({v}, {term(m)})" for m in parameter) or "false") + ")"
        if name == "languageIn":
            tags = " || ".join(f"langMatches(lang({v}), {term(t)})" for t in parameter) or "false"
            return f"!COALESCE({tags}, false)"
        return self.fails_shapes(name, parameter, v)

    def fails_shapes(self, name: str, parameter: Any, v: str) -> str:
        if name == "not":
            return f"NOT EXISTS {{ {self.violation(parameter, v)} }}"
        if name == "node":
            return f"EXISTS {{ {self.violation(parameter, v)} }}"
        members = [f"EXISTS {{ {self.violation(s, v)} }}" for s in parameter]
        if name == "and":
            return "(" + (" || ".join(members) or "false") + ")"
        if name == "or":
            return "(" + (" && ".join(members) or "true") + ")"
        if name == "xone":
            conforming = " + ".join(f"IF({m}, 0, 1)" for m in members) or "0"
            return f"(({conforming}) != 1)"
        raise Unsupported(f"sh:{name}")

    def datatype_ok(self, datatype: Any, v: str) -> str:
        iri = datatype.value
        local = iri[len(XSD):] if iri.startswith(XSD) else None
        # The datatype as written (kgtool.store.literals keeps rewritten literals in a form
        # of their own); the cast checks a literal that the store keeps as it is.
        cast = f"COALESCE(isLiteral(<{iri}>({v})), false)" if local in CASTABLE else None
        return sparql_has_datatype(iri, v, cast)

    # -- a whole nested shape ----------------------------------------------------------
    def violation(self, shape: Shape, v: str) -> str:
        """A pattern with a solution exactly when the node in `v` does not conform to `shape`."""
        if shape.deactivated:
            return "FILTER(false)"
        if id(shape) in self._open:
            raise Unsupported("recursive shapes")
        if shape.sparql:
            raise Unsupported("a SPARQL-based constraint inside sh:not, sh:and, sh:or, sh:xone or sh:node")
        self._open.add(id(shape))
        try:
            branches = self._branches(shape, v)
        finally:
            self._open.discard(id(shape))
        return " UNION ".join(f"{{ {b} }}" for b in branches) or "FILTER(false)"

    def _branches(self, shape: Shape, v: str) -> list[str]:
        from kgtool.shacl.pairs import closed_patterns, pair_patterns
        from kgtool.shacl.qualified import QUALIFIED, qualified_branch

        branches = []
        for name, parameter in shape.constraints:
            if name == "closed":
                branches.extend(closed_patterns(self, shape, parameter, v, self.fresh(), self.fresh()))
            elif name in PAIRED and (shape.path is not None or name not in PROPERTY_ONLY):
                branches.extend(pair_patterns(self, shape, name, parameter, v, self.fresh()))
            elif shape.path is None:
                if name not in PROPERTY_ONLY:  # they mean nothing on a node shape (SHACL 4.2, 4.4.2)
                    branches.append(f"FILTER({self.fails(name, parameter, v)})")
            elif name in QUALIFIED:
                branches.extend(b for b in [qualified_branch(self, shape, name, parameter, v)] if b)
            elif name == "minCount":
                branches.append(f"FILTER NOT EXISTS {{ {self.distinct_values(v, shape, parameter)} }}")
            elif name == "maxCount":
                branches.append(self.distinct_values(v, shape, parameter + 1))
            elif name == "hasValue":
                value = self.fresh()
                branches.append(f"FILTER NOT EXISTS {{ {self.values(v, shape, value)} "
                                f"FILTER(sameTerm({value}, {term(parameter)})) }}")
            elif name == "uniqueLang":
                if is_true(parameter):
                    branches.append(self.same_language(v, shape, self.fresh(), self.fresh()))
            else:
                value = self.fresh()
                branches.append(f"{self.values(v, shape, value)} FILTER({self.fails(name, parameter, value)})")
        branches.extend(self.violation(p, v) for p in shape.properties)
        return branches

    def distinct_values(self, v: str, shape: Shape, count: int) -> str:
        """A pattern matching when `v` has at least `count` distinct values along the path."""
        if count == 0:
            return ""
        if count > NESTED_COUNT_LIMIT:
            raise Unsupported(f"counts above {NESTED_COUNT_LIMIT} inside logical constraints")
        values = [self.fresh() for _ in range(count)]
        triples = " ".join(self.values(v, shape, x) for x in values)
        apart = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(values, 2))
        return triples + (f" FILTER({apart})" if apart else "")

    def values(self, this: str, shape: Shape, value: str) -> str:
        """A pattern binding `value` to each value node of `this` along the shape's path."""
        path = self.path(shape)
        if not nullable(self.shapes, shape.path):
            return f"{this} {path} {value} ."
        # SPARQL walks a zero-length path from an unbound node over the nodes of the graph only,
        # so a focus node that the data does not mention (a sh:targetNode) would lose itself as
        # its value (SHACL 2.3.1.5: every node is its own value along sh:zeroOrMorePath).
        reached = self.fresh()
        return f"OPTIONAL {{ {this} {path} {reached} }} BIND(COALESCE({reached}, {this}) AS {value})"

    def value_nodes(self, shape: Shape, nodes: str) -> str:
        """A pattern binding ?this to each value node of the focus nodes (`nodes` binds ?this)
        along the shape's path: the focus nodes of a property shape nested in it."""
        x = self.fresh()
        inner = f"{{ SELECT DISTINCT {x} WHERE {{ {nodes} {self.values('?this', shape, x)} }} }}"
        return f"{{ SELECT ({x} AS ?this) WHERE {{ {inner} }} }}"

    def same_language(self, this: str, shape: Shape, a: str, b: str) -> str:
        """Two distinct values of `this` with the same language tag (sh:uniqueLang, SHACL 4.4.2)."""
        return (f"{self.values(this, shape, a)} {self.values(this, shape, b)} "
                f"FILTER(!sameTerm({a}, {b}) && LANG({a}) != \"\" && LANG({a}) = LANG({b}))")

    # -- the queries of a targeted shape --------------------------------------------------
    def node_query(self, name: str, parameter: Any, nodes: str, shape: Shape) -> str | None:
        """The query for the focus nodes (`nodes` binds ?this) that violate one constraint of a
        node shape; None for a parameter that means nothing there."""
        if name in PROPERTY_ONLY:
            return None
        if name in PAIRED:
            from kgtool.shacl.pairs import pair_query

            return pair_query(self, shape, name, parameter, nodes)
        return f"SELECT DISTINCT ?this WHERE {{ {nodes} FILTER({self.fails(name, parameter, '?this')}) }}"

    def property_query(self, name: str, parameter: Any, shape: Shape, nodes: str) -> str | None:
        """The query for the focus nodes (and values) that violate one constraint of a property
        shape; None for a constraint that no node can violate."""
        if name in PAIRED:
            from kgtool.shacl.pairs import pair_query

            return pair_query(self, shape, name, parameter, nodes)
        if name.startswith("qualified"):
            from kgtool.shacl.qualified import qualified_query

            return qualified_query(self, shape, name, parameter, nodes)
        path, zero = self.path(shape), nullable(self.shapes, shape.path)
        if name == "minCount" and (parameter == 0 or (parameter == 1 and zero)):
            return None  # every node has at least zero values, and itself along a zero-length path
        if name == "uniqueLang" and not is_true(parameter):
            return None  # only true turns it on (SHACL 1.0, section 4.4.2); "1" does not
        if not zero and (name == "hasValue" or (name, parameter) == ("minCount", 1)):
            reached = term(parameter) if name == "hasValue" else "?value"
            return f"SELECT ?this WHERE {{ {nodes} {ABSENT} {{ ?this {path} {reached} }} }}"
        values = self.values("?this", shape, "?value")
        if name in COUNTS:
            counted = f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {nodes} {values} }} GROUP BY ?this }}"
            if name == "maxCount":
                return f"SELECT ?this WHERE {{ {counted} FILTER(?n > {parameter}) }}"
            return f"SELECT ?this WHERE {{ {nodes} OPTIONAL {counted} FILTER(!BOUND(?n) || ?n < {parameter}) }}"
        if name == "hasValue":
            return (f"SELECT ?this WHERE {{ {nodes} FILTER NOT EXISTS {{ {values} "
                    f"FILTER(sameTerm(?value, {term(parameter)})) }} }}")
        if name == "uniqueLang":
            pair = self.same_language("?this", shape, "?kg_a", "?kg_b")
            return f"SELECT DISTINCT ?this (LANG(?kg_a) AS ?kg_lang) WHERE {{ {nodes} {pair} }}"
        if name == "class":
            return (f"SELECT DISTINCT ?this ?value WHERE {{ {nodes} {values} "
                    f"MINUS {{ ?value a ?kg_class . ?kg_class {SUBCLASS_OF}* {term(parameter)} }} }}")
        return (f"SELECT DISTINCT ?this ?value WHERE {{ {nodes} {values} "
                f"FILTER({self.fails(name, parameter, '?value')}) }}")


# A focus node with no such value, in the query's top group (?this bound by then, so the
# two forms agree): kgtool.shacl.checks writes MINUS when the focus nodes are the focus
# subquery (pyoxigraph runs it as one anti-join over them all), FILTER NOT EXISTS when
# they are a few VALUES (one lookup each: 0.001 s where the anti-join read every claim's
# values, 0.05-0.07 s a check, at each incremental validation).
ABSENT = "\x00absent\x00"


def is_true(value: Any) -> bool:
    return isinstance(value, ox.Literal) and value == ox.Literal(True)


def nullable(shapes, path: Any) -> bool:
    """Whether the SHACL path can be of length zero, so that each node is its own value."""
    if not isinstance(path, ox.BlankNode):
        return False
    if shapes.value(path, "first", RDF) is not None:
        return all(nullable(shapes, p) for p in shapes.items(path))
    if shapes.value(path, "zeroOrMorePath") is not None or shapes.value(path, "zeroOrOnePath") is not None:
        return True
    for local in ("inversePath", "oneOrMorePath"):
        inner = shapes.value(path, local)
        if inner is not None:
            return nullable(shapes, inner)
    alternatives = shapes.value(path, "alternativePath")
    return alternatives is not None and any(nullable(shapes, p) for p in shapes.items(alternatives))
