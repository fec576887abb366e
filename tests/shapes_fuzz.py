"""Random SHACL shapes and data from a seed, for the differential test (tests/test_differential.py).

`case(seed)` gives a Turtle shapes graph and a Turtle data graph, small enough that a
disagreement can be read whole: a handful of nodes, three properties, two classes, literals
of several datatypes and languages, and one to three shapes that use the SHACL core
components, paths and targets at random (nested shapes two levels deep at most). The same
seed always gives the same case.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PREFIXES = """@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

NODES = ["ex:n0", "ex:n1", "ex:n2", "ex:n3", "ex:n4"]
BLANKS = ["_:b0", "_:b1"]
PROPERTIES = ["ex:p", "ex:q", "ex:r"]
CLASSES = ["ex:A", "ex:B"]  # ex:B rdfs:subClassOf ex:A
LITERALS = ['1', '2', '5', '"1.5"^^xsd:decimal', '"abc"', '"ab"', '"Abd"@en', '"x"@en', '"x"@fr',
            '"y"@en-GB', 'true', '"2020-01-01"^^xsd:date', '"1"^^xsd:string']
TARGET_NODES = NODES + NODES + ["ex:absent", "1", '"x"@en']  # a node absent from the data, literals
NUMBERS = ['1', '2', '3', '"1.5"^^xsd:decimal']
DATATYPES = ["xsd:integer", "xsd:string", "xsd:decimal", "rdf:langString", "xsd:boolean", "xsd:date"]
NODE_KINDS = ["sh:IRI", "sh:BlankNode", "sh:Literal", "sh:BlankNodeOrIRI", "sh:BlankNodeOrLiteral",
              "sh:IRIOrLiteral"]
PATTERNS = ['"^a"', '"b"', '"^x$"', '"[0-9]"', '"^A" ; sh:flags "i"']

# Components a node shape (no sh:path) may take; a property shape takes these and PROPERTY_ONLY.
NODE_COMPONENTS = ["class", "datatype", "nodeKind", "minInclusive", "maxInclusive", "minExclusive",
                   "maxExclusive", "minLength", "maxLength", "pattern", "languageIn", "equals", "disjoint",
                   "in", "hasValue", "node", "not", "and", "or", "xone", "closed", "property"]
PROPERTY_ONLY = ["minCount", "maxCount", "uniqueLang", "lessThan", "lessThanOrEquals", "qualifiedValueShape"]
LOGICAL = {"node", "not", "and", "or", "xone", "qualifiedValueShape", "property"}


@dataclass(frozen=True)
class Case:
    seed: int
    shapes: str  # Turtle
    data: str    # Turtle


def case(seed: int) -> Case:
    rng = random.Random(seed)
    return Case(seed, PREFIXES + shapes_graph(rng), PREFIXES + data_graph(rng))


def data_graph(rng: random.Random) -> str:
    lines = ["ex:B rdfs:subClassOf ex:A ."]
    for _ in range(rng.randint(3, 14)):
        subject = rng.choice(NODES + BLANKS)
        if rng.random() < 0.2:
            lines.append(f"{subject} a {rng.choice(CLASSES + ['ex:C'])} .")
            continue
        obj = rng.choice(NODES + BLANKS + LITERALS + LITERALS)
        lines.append(f"{subject} {rng.choice(PROPERTIES)} {obj} .")
    return "\n".join(lines) + "\n"


def shapes_graph(rng: random.Random, left_out: set[str] = frozenset()) -> str:
    shapes = []
    for index in range(rng.randint(1, 3)):
        prop = rng.random() < 0.5
        body = _targets(rng) + _shape_body(rng, prop, 0, left_out)
        kind = "sh:PropertyShape" if prop else "sh:NodeShape"
        shapes.append(f"ex:S{index} a {kind} ;\n  " + " ;\n  ".join(body) + " .\n")
    return "\n".join(shapes)


def _targets(rng: random.Random) -> list[str]:
    chosen = []
    for _ in range(rng.randint(1, 2)):
        kind = rng.choice(["node", "class", "subjectsOf", "objectsOf"])
        if kind == "node":
            chosen.append(f"sh:targetNode {rng.choice(TARGET_NODES)}")
        elif kind == "class":
            chosen.append(f"sh:targetClass {rng.choice(CLASSES)}")
        else:
            chosen.append(f"sh:target{kind[0].upper()}{kind[1:]} {rng.choice(PROPERTIES)}")
    return chosen


def _shape_body(rng: random.Random, prop: bool, depth: int, left_out: set[str]) -> list[str]:
    body = [f"sh:path {path(rng, depth=0)}"] if prop else []
    offered = [c for c in NODE_COMPONENTS + (PROPERTY_ONLY if prop else []) if c not in left_out]
    if prop:
        offered = [c for c in offered if c != "property"]  # kgtool hands sh:property in property shapes to pySHACL
    if depth >= 2:
        offered = [c for c in offered if c not in LOGICAL]
    for name in rng.sample(offered, rng.randint(1, 3)):
        body.append(_constraint(rng, name, prop, depth, left_out))
    if rng.random() < 0.1:
        body.append("sh:severity sh:Warning")
    return body


def _nested(rng: random.Random, depth: int, left_out: set[str], prop: bool | None = None) -> str:
    """A blank-node shape one level down: a node or property shape at random, unless `prop` says."""
    prop = rng.random() < 0.5 if prop is None else prop
    return "[ " + " ; ".join(_shape_body(rng, prop, depth + 1, left_out)) + " ]"


def _constraint(rng: random.Random, name: str, prop: bool, depth: int, left_out: set[str]) -> str:

    simple = {
        "class": lambda: rng.choice(CLASSES),
        "datatype": lambda: rng.choice(DATATYPES),
        "nodeKind": lambda: rng.choice(NODE_KINDS),
        "minCount": lambda: str(rng.randint(0, 2)),
        "maxCount": lambda: str(rng.randint(0, 2)),
        "minLength": lambda: str(rng.randint(0, 3)),
        "maxLength": lambda: str(rng.randint(0, 3)),
        "pattern": lambda: rng.choice(PATTERNS),
        "languageIn": lambda: rng.choice(['( "en" )', '( "en" "fr" )', '( "fr" )']),
        "uniqueLang": lambda: "true",
        "equals": lambda: rng.choice(PROPERTIES),
        "disjoint": lambda: rng.choice(PROPERTIES),
        "lessThan": lambda: rng.choice(PROPERTIES),
        "lessThanOrEquals": lambda: rng.choice(PROPERTIES),
        "in": lambda: "( " + " ".join(rng.sample(NODES + LITERALS, rng.randint(1, 3))) + " )",
        "hasValue": lambda: rng.choice(NODES + LITERALS),
        "node": lambda: _nested(rng, depth, left_out, prop=False),
        "not": lambda: _nested(rng, depth, left_out),
        "property": lambda: _nested(rng, depth, left_out, prop=True),
    }
    if name in simple:
        return f"sh:{name} {simple[name]()}"
    if name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
        return f"sh:{name} {rng.choice(NUMBERS)}"
    if name in ("and", "or", "xone"):
        return f"sh:{name} ( " + " ".join(_nested(rng, depth, left_out) for _ in range(rng.randint(1, 3))) + " )"
    if name == "closed":
        ignored = " ; sh:ignoredProperties ( rdf:type )" if rng.random() < 0.5 else ""
        allowed = " ; sh:property [ sh:path ex:p ]" if rng.random() < 0.5 else ""
        return "sh:closed true" + ignored + allowed
    if name == "qualifiedValueShape":
        counts = [f"sh:qualifiedMinCount {rng.randint(0, 2)}", f"sh:qualifiedMaxCount {rng.randint(0, 2)}"]
        chosen = rng.sample(counts, rng.randint(1, 2))
        disjoint = ["sh:qualifiedValueShapesDisjoint true"] if rng.random() < 0.2 else []
        return " ; ".join([f"sh:qualifiedValueShape {_nested(rng, depth, left_out, prop=False)}"] + chosen + disjoint)
    raise ValueError(name)


def path(rng: random.Random, depth: int) -> str:
    """A SHACL path in Turtle: an IRI mostly, else one of the path forms, nested once at most."""
    if depth >= 2 or rng.random() < 0.55:
        return rng.choice(PROPERTIES)
    form = rng.choice(["inverse", "sequence", "alternative", "zeroOrMore", "oneOrMore", "zeroOrOne"])
    if form in ("sequence", "alternative"):
        members = " ".join(path(rng, depth + 1) for _ in range(rng.randint(2, 3)))
        return f"( {members} )" if form == "sequence" else f"[ sh:alternativePath ( {members} ) ]"
    key = "inversePath" if form == "inverse" else f"{form}Path"
    return f"[ sh:{key} {path(rng, depth + 1)} ]"
