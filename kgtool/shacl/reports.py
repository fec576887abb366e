"""Validation reports: the results both engines give, and their text, JSON and Turtle forms."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

SH = "http://www.w3.org/ns/shacl#"
PUBLIC_FIELDS = ("focus", "path", "severity", "component", "message", "value", "shape")


def severity_name(iri: str) -> str:
    """sh:Violation, sh:Warning and sh:Info by their local names; another severity as an IRI."""
    from kgtool.namespaces import compact

    return iri[len(SH):] if iri.startswith(SH) else compact(iri)


def severity_iri(name: str) -> str:
    return name[1:-1] if name.startswith("<") else SH + name


@dataclass(frozen=True, order=True)
class Result:
    focus: str
    path: str
    severity: str
    component: str
    message: str
    value: str
    shape: str
    # The pyoxigraph terms behind the strings (focus, path, value, shape, SPARQL constraint;
    # None when absent), for the Turtle report of the SPARQL engine.
    terms: tuple = field(default=(), compare=False, repr=False)


@dataclass
class Report:
    conforms: bool
    results: list[Result]
    engine: str = "sparql"
    graph: Any = None     # pySHACL's own report graph, when pySHACL made the report
    shapes: Any = None    # the shapes (a pyoxigraph store), when the SPARQL engine made it
    note: str = ""        # why the engine asked for was not the one used, if it was not

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]


def make_report(results: list[Result], engine: str, graph: Any = None, note: str = "",
                shapes: Any = None) -> Report:
    """Warnings and infos do not break conformance (SHACL 1.0, section 3.6)."""
    results = sorted(results)
    conforms = not any(r.severity == "Violation" for r in results)
    return Report(conforms=conforms, results=results, engine=engine, graph=graph, note=note, shapes=shapes)


def render_text(report: Report) -> str:
    lines = []
    for r in report.results:
        where = f"{r.focus} {r.path}".rstrip()
        lines.append(f"{r.severity}: {where}")
        lines.append(f"  {r.message}")
        detail = f"  value: {r.value}  " if r.value else "  "
        lines.append(f"{detail}constraint: {r.component}  shape: {r.shape}")
    counts = {s: sum(1 for r in report.results if r.severity == s) for s in ("Violation", "Warning", "Info")}
    summary = f"{counts['Violation']} violations, {counts['Warning']} warnings, {counts['Info']} infos: "
    summary += "the graph conforms." if report.conforms else "the graph does not conform."
    lines.append(summary)
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    """The report for programs: IRIs in full, as the W3C SPARQL JSON results write them (the
    prefixed forms are for people, in the text report), so that a program can join on them."""
    results = [_json_result(r) for r in report.results]
    return json.dumps({"conforms": report.conforms, "results": results}, indent=2) + "\n"


_TERM_FIELDS = ("focus", "path", "value", "shape")  # the order of Result.terms


def _json_result(result: Result) -> dict[str, str]:
    row = {name: getattr(result, name) for name in PUBLIC_FIELDS}
    if result.terms:  # the SPARQL engine kept the terms themselves
        row.update({name: _json_term(term) for name, term in zip(_TERM_FIELDS, result.terms)})
    else:  # pySHACL's results carry only the shown forms: expand those that are IRIs
        row.update({name: full_iri(row[name]) for name in _TERM_FIELDS})
    row["component"] = full_iri(row["component"])
    return row


def _json_term(term: Any) -> str:
    """An IRI in full, a literal's text, [] for a blank node, "" for none."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "[]"
    return term.value


def full_iri(shown: str) -> str:
    """The full IRI of a shown `<iri>` or `prefix:name` (a known prefix); anything else as it is."""
    from kgtool.namespaces import expand

    if shown.startswith("<") and shown.endswith(">"):
        return shown[1:-1]
    if " " in shown:  # text, not a name
        return shown
    return expand(shown) or shown


def render_turtle(report: Report) -> str:
    """The W3C validation report graph (SHACL 1.0, section 3.6), as pySHACL writes it:
    a blank-node shape, path or SPARQL constraint comes with its description from the shapes."""
    from kgtool.store.formats import RDF_FORMATS
    from kgtool.store.serialization import serialize_graph

    graph = report.graph if report.graph is not None else report_graph(report)
    return serialize_graph(graph, RDF_FORMATS["turtle"]).decode("utf-8")


def report_graph(report: Report):
    """The report of the SPARQL engine as an rdflib Graph (blank nodes are labelled canonically
    when it is written, so the same report gives the same bytes)."""
    import rdflib
    import pyoxigraph as ox

    from kgtool.store import to_rdflib

    sh, graph = rdflib.Namespace(SH), rdflib.Graph()
    root = rdflib.BNode()
    graph.add((root, rdflib.RDF.type, sh.ValidationReport))
    # true only without any result, warnings and infos included (SHACL 1.0, section 3.6.1); the
    # exit code and the text report let warnings pass (Report.conforms)
    graph.add((root, sh.conforms, rdflib.Literal(not report.results)))
    copied: set = set()

    def add(subject, key: str, term) -> None:
        if term is None:
            return
        graph.add((subject, sh[key], to_rdflib(term)))
        if isinstance(term, ox.BlankNode) and report.shapes is not None and term not in copied:
            _copy_description(report.shapes, term, graph, copied)

    for result in report.results:
        node = rdflib.BNode()
        graph.add((root, sh.result, node))
        graph.add((node, rdflib.RDF.type, sh.ValidationResult))
        focus, path, value, shape, constraint = result.terms
        for key, term in (("focusNode", focus), ("resultPath", path), ("value", value),
                          ("sourceShape", shape), ("sourceConstraint", constraint)):
            add(node, key, term)
        graph.add((node, sh.resultSeverity, rdflib.URIRef(severity_iri(result.severity))))
        graph.add((node, sh.sourceConstraintComponent, rdflib.URIRef(full_iri(result.component))))
        graph.add((node, sh.resultMessage, rdflib.Literal(result.message)))
    return graph


def _copy_description(shapes, node, graph, copied: set) -> None:
    """The triples about a blank node of the shapes graph, and about the blank nodes they reach."""
    import pyoxigraph as ox

    from kgtool.store import to_rdflib

    copied.add(node)
    for quad in shapes.quads_for_pattern(node, None, None):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        if isinstance(quad.object, ox.BlankNode) and quad.object not in copied:
            _copy_description(shapes, quad.object, graph, copied)


REPORT_FORMATS = {"text": render_text, "turtle": render_turtle, "json": render_json}
