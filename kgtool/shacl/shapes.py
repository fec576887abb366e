"""The SHACL shapes graph read into plain objects (SHACL 1.0, section 2), for the SPARQL engine.

Reading is plain pyoxigraph pattern matching: no rdflib, no pyshacl. A shape that
uses a constraint component the SPARQL engine does not compile raises
`Unsupported`, and `kgtool validate` hands the whole check to pySHACL instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgtool.shacl.reports import severity_name

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

# Parameters whose value is one term, one number, one shape or a list (SHACL 1.0, section 4).
TERM_PARAMETERS = ("class", "datatype", "nodeKind", "hasValue", "minInclusive", "maxInclusive",
                   "minExclusive", "maxExclusive", "uniqueLang", "equals", "disjoint", "lessThan",
                   "lessThanOrEquals")
NUMBER_PARAMETERS = ("minCount", "maxCount", "minLength", "maxLength")
SHAPE_PARAMETERS = ("not", "node")
LIST_PARAMETERS = ("in", "languageIn")
SHAPE_LIST_PARAMETERS = ("and", "or", "xone")
# Components the SPARQL engine does not compile: pySHACL checks shapes that use them.
UNCOMPILED = ("expression",)
TARGETS = ("targetNode", "targetClass", "targetSubjectsOf", "targetObjectsOf", "target")


class Unsupported(Exception):
    """The shapes use something the SPARQL engine does not compile."""


@dataclass
class SparqlConstraint:
    """A SPARQL-based constraint (sh:sparql), or one use of a SPARQL-based constraint component."""

    node: Any                # the sh:sparql value, or the component's validator
    select: str              # the SELECT text (the ASK text when `ask`)
    prologue: str
    messages: list[Any]
    ask: bool = False
    component: str = SH + "SPARQLConstraintComponent"
    parameters: dict[str, Any] = field(default_factory=dict)   # parameter name -> the shape's value
    parameter_names: set[str] = field(default_factory=set)     # every parameter of the component


@dataclass
class Target:
    kind: str            # one of TARGETS, "implicitClass"
    value: Any           # a term, or the SELECT text of a SPARQL-based target
    prologue: str = ""


@dataclass(eq=False)
class Shape:
    node: Any
    path: Any = None                 # the sh:path value (a term); None for a node shape
    constraints: list[tuple[str, Any]] = field(default_factory=list)
    properties: list["Shape"] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    messages: list[Any] = field(default_factory=list)
    severity: str = "Violation"
    deactivated: bool = False
    pattern_flags: str = ""


class ShapesGraph:
    """The shapes in one pyoxigraph store, each read once (shapes may refer to each other)."""

    def __init__(self, backend: ox.Store) -> None:
        self._g = backend
        self._shapes: dict[Any, Shape] = {}
        self._components = None

    # -- tiny graph helpers -------------------------------------------------------
    def objects(self, subject: Any, local: str, ns: str = SH) -> list[Any]:
        return [q.object for q in self._g.quads_for_pattern(subject, ox.NamedNode(ns + local), None)]

    def subjects(self, local: str, obj: Any, ns: str = SH) -> list[Any]:
        return [q.subject for q in self._g.quads_for_pattern(None, ox.NamedNode(ns + local), obj)]

    def value(self, subject: Any, local: str, ns: str = SH) -> Any:
        found = self.objects(subject, local, ns)
        return found[0] if found else None

    def items(self, head: Any) -> list[Any]:
        """The members of an RDF list, in order."""
        members, node, seen = [], head, set()
        while node != ox.NamedNode(RDF + "nil"):
            if node in seen or node is None:
                raise Unsupported("a malformed RDF list")
            seen.add(node)
            members.append(self.value(node, "first", RDF))
            node = self.value(node, "rest", RDF)
        return members

    # -- shapes -------------------------------------------------------------------
    def targeted(self) -> list[Shape]:
        """Every active shape with a target: the roots of validation."""
        roots = set()
        for local in TARGETS:
            roots.update(q.subject for q in self._g.quads_for_pattern(None, ox.NamedNode(SH + local), None))
        classes = {q.subject for q in self._g.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(RDFS + "Class"))}
        for kind in ("NodeShape", "PropertyShape"):
            shapes = {q.subject for q in self._g.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(SH + kind))}
            roots.update(shapes & classes)
        shapes = [self.shape(node) for node in sorted(roots, key=str)]
        return [s for s in shapes if s.targets and not s.deactivated]

    def shape(self, node: Any) -> Shape:
        if node in self._shapes:
            return self._shapes[node]
        shape = self._shapes[node] = Shape(node=node, path=self.value(node, "path"))
        shape.messages = self.objects(node, "message")
        severity = self.value(node, "severity")
        shape.severity = severity_name(severity.value) if severity is not None else "Violation"
        deactivated = self.value(node, "deactivated")
        shape.deactivated = isinstance(deactivated, ox.Literal) and deactivated.value == "true"
        shape.targets = self._targets(node)
        self._read_constraints(shape)
        return shape

    def _read_constraints(self, shape: Shape) -> None:
        node = shape.node
        for local in UNCOMPILED:
            if self.objects(node, local):
                raise Unsupported(f"sh:{local}")
        for local in TERM_PARAMETERS + NUMBER_PARAMETERS:
            for value in self.objects(node, local):
                if local in NUMBER_PARAMETERS:
                    value = int(value.value)
                shape.constraints.append((local, value))
        for local in SHAPE_PARAMETERS:
            shape.constraints.extend((local, self.shape(v)) for v in self.objects(node, local))
        for local in LIST_PARAMETERS:
            shape.constraints.extend((local, self.items(v)) for v in self.objects(node, local))
        for local in SHAPE_LIST_PARAMETERS:
            shape.constraints.extend((local, [self.shape(m) for m in self.items(v)]) for v in self.objects(node, local))
        from kgtool.shacl.qualified import read_qualified

        shape.constraints.extend(read_qualified(self, node))
        for closed in self.objects(node, "closed"):  # with the properties it allows (SHACL 4.8.1)
            allowed = [p for p in (self.value(s, "path") for s in self.objects(node, "property"))
                       if isinstance(p, ox.NamedNode)]
            for ignored in self.objects(node, "ignoredProperties"):
                allowed.extend(self.items(ignored))
            shape.constraints.append(("closed", (closed, allowed)))
        for pattern in self.objects(node, "pattern"):
            flags = self.value(node, "flags")
            shape.constraints.append(("pattern", (pattern, flags.value if flags is not None else "")))
        shape.properties = [self.shape(p) for p in self.objects(node, "property")]
        shape.properties = [p for p in shape.properties if not p.deactivated]
        for constraint in self.objects(node, "sparql"):
            if self.value(constraint, "deactivated") == ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")):
                continue
            select = self.value(constraint, "select")
            if select is None:
                raise Unsupported("a SPARQL-based constraint without sh:select (ASK validators)")
            shape.sparql.append(SparqlConstraint(constraint, select.value, self.prologue(constraint),
                                                 self.objects(constraint, "message")))
        shape.sparql.extend(self._component_constraints(shape))

    def _component_constraints(self, shape: Shape) -> list[SparqlConstraint]:
        from kgtool.shacl.components import component_constraints, read_components

        if self._components is None:
            self._components = read_components(self)
        return component_constraints(self, shape, self._components)

    def _targets(self, node: Any) -> list[Target]:
        targets = [Target(local, value) for local in TARGETS[:-1] for value in self.objects(node, local)]
        for target in self.objects(node, "target"):
            select = self.value(target, "select")
            if select is None:
                from kgtool.shacl.components import custom_target

                targets.append(custom_target(self, target))
            else:
                targets.append(Target("target", select.value, self.prologue(target)))
        if ox.Quad(node, ox.NamedNode(RDF + "type"), ox.NamedNode(RDFS + "Class"), ox.DefaultGraph()) in self._g:
            targets.append(Target("targetClass", node))
        return targets

    def prologue(self, node: Any) -> str:
        """PREFIX lines for the sh:prefixes of a SPARQL-based constraint or target (SHACL 5.2.1)."""
        from kgtool.shacl.components import prologue

        return prologue(self, node)
