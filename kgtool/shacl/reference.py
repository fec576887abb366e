"""The pySHACL engine: the reference the SPARQL engine is held to, and its fallback.

The data graph is the union of every graph in the store, ontology included, so
that rdfs:subClassOf axioms make a schema:NewsMediaOrganization count as a
schema:Organization (SHACL 1.0, section 2.1.3.3, "SHACL instance").
"""

from __future__ import annotations

from typing import Any

from kgtool.errors import InputError
from kgtool.namespaces import compact
from kgtool.shacl.reports import SH, Report, Result, make_report, severity_name

SHACL_SPEC = "SHACL 1.0, https://www.w3.org/TR/shacl/"


def validate_with_pyshacl(store, shapes, shapes_where: str, note: str = "") -> Report:
    """`shapes` is an rdflib Graph; every result of pySHACL's report, as Results."""
    import pyshacl
    from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError

    try:
        _, report_graph, _ = pyshacl.validate(
            store.to_rdflib_graph(), shacl_graph=shapes, inference="none",
            allow_warnings=True, allow_infos=True, abort_on_first=False, advanced=True,
        )
    except (ShapeLoadError, ConstraintLoadError, ReportableRuntimeError) as exc:
        text = " ".join(str(getattr(exc, "message", exc)).split())
        raise InputError(f"the shapes are not valid SHACL: {text}", where=shapes_where,
                         fix=f"fix the shape it names ({SHACL_SPEC})") from None
    return make_report(list(results_of(report_graph)), engine="pyshacl", graph=report_graph, note=note)


def check_shapes(shapes, shapes_where: str) -> None:
    """Validate the shapes against SHACL's own shapes (SHACL 1.0, Appendix C), quietly."""
    from importlib.resources import files

    import pyshacl
    import rdflib

    meta = rdflib.Graph().parse(str(files("pyshacl") / "assets" / "shacl-shacl.ttl"), format="turtle")
    conforms, report_graph, _ = pyshacl.validate(shapes, shacl_graph=meta, inference="none")
    if conforms:
        return
    problems = sorted(results_of(report_graph))
    first = problems[0]
    value = f" {first.value!r}" if first.value else ""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise InputError(
        f"the shapes are not valid SHACL: {first.path}{value}: {first.message}{more}",
        where=shapes_where,
        fix=f"fix that shape ({SHACL_SPEC}, Appendix C lists the rules)",
    )


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
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        return compact(str(term))
    if isinstance(term, BNode):
        return "[]"
    return str(term)
