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

XSD = "http://www.w3.org/2001/XMLSchema#"
INSTANCE_OF = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
# Datatypes whose well-formedness the engine checks by casting (XPath casts in SPARQL 1.1,
# section 17.5); pyoxigraph rewrites valid derived integer types such as xsd:byte to
# xsd:integer when it loads them, so shapes that require those are left to pySHACL.
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
                   "uniqueLang": "UniqueLang"}
COUNTS = ("minCount", "maxCount")
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
    if shapes.value(path, "first", "http://www.w3.org/1999/02/22-rdf-syntax-ns#") is not None:
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
            return f"!COALESCE({v} {COMPARISONS[name]} {term(parameter)}, false)"
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
        if local in DERIVED:
            raise Unsupported(f"sh:datatype xsd:{local} (pyoxigraph stores valid values as xsd:integer)")
        ok = f"isLiteral({v}) && sameTerm(datatype({v}), {term(datatype)})"
        if local in CASTABLE:
            ok += f" && COALESCE(isLiteral(<{iri}>({v})), false)"
        return ok

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
        branches = []
        for name, parameter in shape.constraints:
            if shape.path is None:
                if name in COUNTS:
                    continue  # counts mean nothing on a node shape (SHACL 4.2)
                branches.append(f"FILTER({self.fails(name, parameter, v)})")
                continue
            path = self.path(shape)
            if name == "minCount":
                branches.append(f"FILTER NOT EXISTS {{ {self.distinct_values(v, path, parameter)} }}")
            elif name == "maxCount":
                branches.append(self.distinct_values(v, path, parameter + 1))
            elif name == "hasValue":
                branches.append(f"FILTER NOT EXISTS {{ {v} {path} {term(parameter)} }}")
            else:
                value = self.fresh()
                branches.append(f"{v} {path} {value} . FILTER({self.fails(name, parameter, value)})")
        branches.extend(self.violation(p, v) for p in shape.properties)
        return branches

    def distinct_values(self, v: str, path: str, count: int) -> str:
        """A pattern matching when `v` has at least `count` distinct values along `path`."""
        if count == 0:
            return ""
        if count > NESTED_COUNT_LIMIT:
            raise Unsupported(f"counts above {NESTED_COUNT_LIMIT} inside logical constraints")
        values = [self.fresh() for _ in range(count)]
        triples = " ".join(f"{v} {path} {x} ." for x in values)
        apart = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(values, 2))
        return triples + (f" FILTER({apart})" if apart else "")
