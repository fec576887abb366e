"""SHACL-SPARQL read from the shapes graph: SPARQL-based constraint components (SHACL 1.0,
section 6), custom SPARQL target types (SHACL Advanced Features, section 5.2) and the
prefixes of SPARQL queries (SHACL 1.0, section 5.2.1).

A shape uses a constraint component when it has a value for each of the component's
mandatory parameters; each combination of its values is one constraint, run by the
component's validator for the kind of shape (sh:nodeValidator or sh:propertyValidator, else
sh:validator). A component without a validator for that kind of shape is refused (exit 2),
as pySHACL refuses it: no constraint is ever ignored.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kgtool.errors import InputError
from kgtool.namespaces import compact
from kgtool.shacl.shapes import RDF, RDFS, SH, SparqlConstraint, Target, Unsupported

OWL = "http://www.w3.org/2002/07/owl#"
_TYPE, _SUBCLASS = ox.NamedNode(RDF + "type"), ox.NamedNode(RDFS + "subClassOf")


@dataclass
class Parameter:
    name: str        # the variable: the local name of the sh:path IRI (SHACL 6.2.1)
    path: Any
    optional: bool


@dataclass
class Component:
    node: Any
    parameters: list[Parameter]
    validators: dict[str, Any]   # "validator", "nodeValidator", "propertyValidator" -> node


def local_name(iri: str) -> str:
    return re.split(r"[#/:]", iri)[-1]


def instances(graph, cls: str) -> list[Any]:
    """The SHACL instances of `cls`: typed with it or with one of its subclasses."""
    classes, todo = set(), [ox.NamedNode(cls)]
    while todo:
        current = todo.pop()
        if current not in classes:
            classes.add(current)
            todo.extend(q.subject for q in graph._g.quads_for_pattern(None, _SUBCLASS, current))
    found = {q.subject for c in classes for q in graph._g.quads_for_pattern(None, _TYPE, c)}
    return sorted(found, key=str)


def read_components(graph) -> list[Component]:
    """The constraint components the shapes graph declares; SHACL's own (sh:) are the core's."""
    components = []
    for node in instances(graph, SH + "ConstraintComponent"):
        if isinstance(node, ox.NamedNode) and node.value.startswith(SH):
            continue
        if not isinstance(node, ox.NamedNode):
            raise Unsupported("a constraint component that is a blank node")
        components.append(Component(node, _parameters(graph, node), {
            kind: graph.value(node, kind) for kind in ("validator", "nodeValidator", "propertyValidator")
            if graph.value(node, kind) is not None}))
    return components


def _parameters(graph, node: Any) -> list[Parameter]:
    parameters = []
    for parameter in graph.objects(node, "parameter"):
        path = graph.value(parameter, "path")
        if not isinstance(path, ox.NamedNode):
            raise Unsupported(f"a parameter of {_shown(node)} whose sh:path is not an IRI")
        optional = graph.value(parameter, "optional")
        parameters.append(Parameter(local_name(path.value), path,
                                    isinstance(optional, ox.Literal) and optional.value == "true"))
    return parameters


def component_constraints(graph, shape, components: list[Component]) -> list[SparqlConstraint]:
    """The constraints of `shape` that the declared components give (SHACL 6.2)."""
    found = []
    for component in components:
        given = {p.name: graph.objects(shape.node, p.path.value, "") for p in component.parameters}
        if not component.parameters or any(not given[p.name] for p in component.parameters if not p.optional):
            continue
        validator = _validator(component, shape)
        present = [name for name, values in given.items() if values]
        for combination in itertools.product(*(given[name] for name in present)):
            found.append(_constraint(graph, component, validator, dict(zip(present, combination))))
    return found


def _validator(component: Component, shape) -> Any:
    """The validator for the kind of shape (SHACL 1.0, section 6.2.3). None found: refused, as
    pySHACL refuses it, rather than ignored."""
    kind = "propertyValidator" if shape.path is not None else "nodeValidator"
    validator = component.validators.get(kind, component.validators.get("validator"))
    if validator is None:
        shape_kind = "property" if shape.path is not None else "node"
        raise InputError(f"the constraint component {_shown(component.node)} that it uses has no validator "
                         f"for {shape_kind} shapes (sh:{kind} or sh:validator, SHACL 1.0, section 6.2.3)",
                         where=f"shape {_name(shape)}", fix=f"give the component a sh:{kind} or a sh:validator")
    return validator


def _name(shape) -> str:
    if isinstance(shape.node, ox.BlankNode) and shape.path is not None:
        return f"[ sh:path {_shown(shape.path)} ]"
    return _shown(shape.node)


def _shown(term: Any) -> str:
    return compact(term.value) if isinstance(term, ox.NamedNode) else "[]"


def _constraint(graph, component: Component, validator: Any, values: dict[str, Any]) -> SparqlConstraint:
    select, ask = graph.value(validator, "select"), graph.value(validator, "ask")
    if (select is None) == (ask is None):
        raise Unsupported(f"a validator of {_shown(component.node)} that is not one SPARQL SELECT or ASK")
    return SparqlConstraint(validator, (select or ask).value, prologue(graph, validator),
                            graph.objects(validator, "message"), ask=ask is not None,
                            component=component.node.value,
                            parameters=values, parameter_names={p.name for p in component.parameters})


def custom_target(graph, target: Any) -> Target:
    """A target whose type is a sh:SPARQLTargetType: its SELECT with the parameter values of
    the target pre-bound (SHACL-AF 5.2.2)."""
    from kgtool.shacl.prebinding import refuse, rewrite, values_row

    for kind in graph.objects(target, "type", RDF):
        select = graph.value(kind, "select")
        if select is None or ox.NamedNode(SH + "SPARQLTargetType") not in graph.objects(kind, "type", RDF):
            continue
        parameters = _parameters(graph, kind)
        values = {p.name: graph.value(target, p.path.value, "") for p in parameters}
        missing = [p.name for p in parameters if values[p.name] is None and not p.optional]
        if missing:
            raise Unsupported(f"a target of type {_shown(kind)} without its parameter {missing[0]}")
        values = {name: value for name, value in values.items() if value is not None}
        names = {p.name for p in parameters}
        refuse(select.value, names, names, where=f"the SPARQL target type {_shown(kind)}")
        text = rewrite(select.value, "", set(), values_row(values), names)
        return Target("target", text, prologue(graph, kind))
    raise Unsupported("a target that is not a SPARQL-based target")


def prologue(graph, node: Any) -> str:
    """PREFIX lines for the sh:prefixes of a SPARQL query: the sh:declare of each node given,
    and of the ontologies those import, within the shapes files (SHACL 5.2.1; never fetched)."""
    lines, todo, seen = [], list(graph.objects(node, "prefixes")), set()
    while todo:
        ontology = todo.pop()
        if ontology in seen:
            continue
        seen.add(ontology)
        for declaration in graph.objects(ontology, "declare"):
            prefix, namespace = graph.value(declaration, "prefix"), graph.value(declaration, "namespace")
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix.value}: <{namespace.value}>\n")
        todo.extend(graph.objects(ontology, "imports", OWL))
    return "".join(sorted(set(lines)))
