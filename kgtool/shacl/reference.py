"""The pySHACL engine: the reference the SPARQL engine is held to, and its fallback.

The data graph is the union of every graph in the store, ontology included, so
that rdfs:subClassOf axioms make a schema:NewsMediaOrganization count as a
schema:Organization (SHACL 1.0, section 2.1.3.3, "SHACL instance").
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kgtool.errors import InputError, InternalError
from kgtool.namespaces import compact, show_term
from kgtool.shacl.reports import SH, Report, Result, make_report, severity_name

SHACL_SPEC = "SHACL 1.0, https://www.w3.org/TR/shacl/"


def validate_with_pyshacl(store, shapes, shapes_where: str, note: str = "") -> Report:
    """`shapes` is an rdflib Graph; every result of pySHACL's report, as Results."""
    import pyshacl
    from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError

    try:
        _, report_graph, _ = pyshacl.validate(
            # no allow_warnings: the report graph says sh:conforms false on any result (SHACL 3.6.1);
            # make_report decides, by the violations alone, what the exit code says
            store.to_rdflib_dataset(), shacl_graph=shapes, inference="none", abort_on_first=False, advanced=True,
        )
    except (ShapeLoadError, ConstraintLoadError, ReportableRuntimeError) as exc:
        text = " ".join(str(getattr(exc, "message", exc)).split())
        raise InputError(f"the shapes are not valid SHACL: {text}", where=shapes_where,
                         fix=f"fix the shape it names ({SHACL_SPEC})") from None
    return make_report(list(results_of(report_graph)), engine="pyshacl", graph=report_graph, note=note)


def check_shapes(shapes, shapes_where: str) -> None:
    """Validate the shapes against SHACL's own shapes (SHACL 1.0, Appendix C), quietly; the
    first problem named as a shape, the triple of it that breaks a rule, and what to write."""
    import pyshacl

    meta, depth = _meta_shapes()
    conforms, report_graph, _ = pyshacl.validate(shapes, shacl_graph=meta, inference="none",
                                                 max_validation_depth=depth)
    if conforms:
        return
    results = list(report_graph.objects(None, _sh("result")))
    # A member of an sh:and, sh:or or sh:xone list that breaks shsh:ShapeShape is reported twice:
    # as the member (ShapesListShape's sh:node) and as itself, which says what is wrong.
    results = [r for r in results if not _as_list_member(r, report_graph, meta)] or results
    problems = sorted({_problem(node, report_graph, shapes, meta) for node in results})
    what, fix = problems[0][1:]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise InputError(f"the shapes are not valid SHACL: {what}{more}", where=shapes_where,
                     fix=f"{fix} ({SHACL_SPEC}, Appendix C)")


@lru_cache(maxsize=1)
def _meta_shapes():
    """SHACL's own shapes, and the depth pySHACL needs to validate any shapes graph with them.

    pySHACL refuses to go deeper than 15 shapes ("Validation path too deep!"), but a chain of
    SHACL's own shapes is 16 long (a list member's sh:path that is a list, checked through
    ShapesListShape, ShapeShape, PathShape, ListShape and the sh:or inside ListNodeShape).
    Those shapes never refer back to themselves (a nested shape is checked as a focus node
    of its own, by the targets of shsh:ShapeShape), so the longest chain is the depth any
    shapes graph needs, however deeply its shapes nest."""
    from importlib.resources import files

    import rdflib

    meta = rdflib.Graph().parse(str(files("pyshacl") / "assets" / "shacl-shacl.ttl"), format="turtle")
    return meta, _longest_chain(meta)


def _longest_chain(meta) -> int:
    """The most shapes that one shape of `meta` reaches, one inside another, itself included."""
    from rdflib.collection import Collection

    def inside(shape):
        for name in ("node", "property", "not", "qualifiedValueShape"):
            yield from meta.objects(shape, _sh(name))
        for name in ("and", "or", "xone"):
            for members in meta.objects(shape, _sh(name)):
                yield from Collection(meta, members)

    lengths: dict = {}

    def length(shape, open_: frozenset) -> int:
        if shape in open_:
            raise InternalError("SHACL's own shapes (pyshacl/assets/shacl-shacl.ttl) refer to themselves",
                                fix="install a pySHACL release whose shacl-shacl.ttl does not")
        if shape not in lengths:
            lengths[shape] = 1 + max((length(s, open_ | {shape}) for s in inside(shape)), default=0)
        return lengths[shape]

    return max(length(s, frozenset()) for s in set(meta.subjects()))


def _sh(name: str):
    from rdflib import URIRef

    return URIRef(SH + name)


# The parameters a node shape (one without sh:path) cannot have (shsh:NodeShapeShape).
_PROPERTY_ONLY = ("minCount", "maxCount", "uniqueLang", "qualifiedValueShape", "lessThan", "lessThanOrEquals")
_EXAMPLES = {"integer": "write a whole number without quotes, e.g. {term} 1",
             "boolean": "write {term} true or {term} false, without quotes"}


def _problem(result, report, shapes, meta) -> tuple[str, str, str]:
    """(shape, what is wrong, what to write) for one result of the meta-validation."""
    shape = report.value(result, _sh("focusNode"))
    path = report.value(result, _sh("resultPath"))
    value = report.value(result, _sh("value"))
    rule = report.value(result, _sh("sourceShape"))
    component = str(report.value(result, _sh("sourceConstraintComponent")) or "").rsplit("#", 1)[-1]
    name = _shape_name(shape, shapes)
    if component == "XoneConstraintComponent" and str(rule) == _SHSH + "ShapeShape":
        return (name, *_node_or_property(name, shape, shapes))
    if path is None or not _is_iri(path):
        message = " ".join(str(report.value(result, _sh("resultMessage")) or component).split())
        return name, f"{name}: {message}", "fix that shape"
    triple = f"{_turtle(path)} {_turtle(value)}" if value is not None else _turtle(path)
    what, fix = _rule_broken(component, path, value, rule, meta)
    return name, f"{name}: {triple} {what}", fix


def _as_list_member(result, report, meta) -> bool:
    rule = report.value(result, _sh("sourceShape"))
    return (meta.value(rule, _sh("node")) == _shsh("ShapeShape")
            and str(report.value(result, _sh("sourceConstraintComponent"))) == SH + "NodeConstraintComponent")


def _shsh(name: str):
    from rdflib import URIRef

    return URIRef(_SHSH + name)


def _rule_broken(component: str, path, value, rule, meta) -> tuple[str, str]:
    """What the value of `path` breaks, by the constraint of SHACL's own shapes it breaks."""
    from rdflib import Literal

    term = _turtle(path)
    if component == "DatatypeConstraintComponent":
        datatype = _turtle(meta.value(rule, _sh("datatype")))
        fix = _EXAMPLES.get(datatype.removeprefix("xsd:"), "give {term} an {datatype}")
        return f"is not an {datatype}", fix.format(term=term, datatype=datatype)
    if component == "NodeKindConstraintComponent":
        kind = str(meta.value(rule, _sh("nodeKind"))).rsplit("#", 1)[-1]
        if kind == "IRI" and isinstance(value, Literal):
            return "is text, not an IRI", f"write {term} {value} without the quotes"
        return f"is not an {kind}", f"give {term} an {kind}"
    if component == "InConstraintComponent":
        allowed = ", ".join(_turtle(t) for t in _rdf_list(meta, meta.value(rule, _sh("in"))))
        return "is not one of the values it takes", f"give {term} one of {allowed}"
    if component == "MaxCountConstraintComponent":
        return "is one of several values", f"give each shape at most one {term}"
    if component == "NodeConstraintComponent":
        return "is not a well-formed RDF list", f"write {term} as a list: {term} ( ... )"
    if component == "OrConstraintComponent" and str(path) == SH + "message":
        return "is not a string", f'write {term} "..." (with a language tag if you like)'
    return f"breaks the rule sh:{component.removesuffix('ConstraintComponent')}", f"fix {term} in that shape"


def _node_or_property(name: str, shape, shapes) -> tuple[str, str]:
    """A shape that is neither a node shape nor a property shape: say which triple decides."""
    paths = list(shapes.objects(shape, _sh("path")))
    if not paths:
        for local in _PROPERTY_ONLY:
            for value in shapes.objects(shape, _sh(local)):
                triple = f"sh:{local} {_turtle(value)}"
                return (f"{name}: {triple} without sh:path (only a property shape, one with sh:path, "
                        f"takes sh:{local})", f"move it into a property shape: sh:property [ sh:path ... ; {triple} ]")
        return f"{name} is neither a node shape nor a property shape", "fix that shape"
    if len(paths) > 1:
        return (f"{name}: has {len(paths)} values of sh:path", "give a property shape exactly one sh:path")
    return (f"{name}: sh:path {_turtle(paths[0])} is neither an IRI nor a SHACL path",
            "give sh:path an IRI, or a path such as [ sh:inversePath schema:actor ]")


_SHSH = "http://www.w3.org/ns/shacl-shacl#"  # SHACL's own shapes


def _shape_name(shape, shapes, depth: int = 0) -> str:
    """An IRI shape by its name; a blank one by its sh:path and the shape that holds it."""
    from rdflib import BNode

    if not isinstance(shape, BNode):
        return f"shape {_turtle(shape)}"
    path = shapes.value(shape, _sh("path"))
    on = f" on {_turtle(path)}" if path is not None else ""
    owner = next(iter(shapes.subjects(_sh("property"), shape)), None)
    if owner is None or depth > 3:
        return f"the blank-node shape{on}"
    return f"the property shape{on} of {_shape_name(owner, shapes, depth + 1)}"


def _rdf_list(graph, head) -> list:
    from rdflib.collection import Collection

    return list(Collection(graph, head)) if head is not None else []


def _is_iri(term) -> bool:
    from rdflib import URIRef

    return isinstance(term, URIRef)


def _turtle(term) -> str:
    """A term as Turtle would write it: a prefixed name, "text", 1, "x"^^xsd:date, []."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return compact(str(term))
    if isinstance(term, BNode):
        return "[]"
    if isinstance(term, Literal):
        if str(term.datatype).rsplit("#", 1)[-1] in ("integer", "boolean", "decimal") and term.value is not None:
            return str(term)
        quoted = '"' + str(term).replace("\\", "\\\\").replace('"', '\\"') + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{quoted}^^{compact(str(term.datatype))}"
        return quoted
    return str(term)


def results_of(report_graph) -> Any:
    from rdflib import Namespace

    sh = Namespace(SH)
    # The results of the report itself: not the nested sh:detail results pySHACL adds for sh:node.
    for node in report_graph.objects(None, sh.result):
        def one(prop):
            value = report_graph.value(node, prop)
            return "" if value is None else _show(value)
        severity = report_graph.value(node, sh.resultSeverity)
        yield Result(
            focus=one(sh.focusNode),
            path=one(sh.resultPath),
            severity=severity_name(str(severity)),
            component=one(sh.sourceConstraintComponent),
            message=str(report_graph.value(node, sh.resultMessage) or ""),
            value=one(sh.value),
            shape=one(sh.sourceShape),
        )


def _show(term) -> str:
    """An rdflib term of pySHACL's report as the SPARQL engine's report shows it (show_term)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return show_term(ox.NamedNode(str(term)))
    if isinstance(term, BNode):
        return show_term(ox.BlankNode())
    if isinstance(term, Literal):
        if term.language:
            return show_term(ox.Literal(str(term), language=term.language))
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype is not None else None
        return show_term(ox.Literal(str(term), datatype=datatype))
    return str(term)
