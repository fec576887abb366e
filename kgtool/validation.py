"""SHACL validation of the graph against the shapes (pySHACL, the reference engine).

The data graph is the union of every graph in the store, ontology included, so
that rdfs:subClassOf axioms make a schema:NewsMediaOrganization count as a
schema:Organization (SHACL 1.0, section 2.1.3.3, "SHACL instance").
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

from kgtool.errors import InputError
from kgtool.namespaces import compact

SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True, order=True)
class Result:
    focus: str
    path: str
    severity: str
    component: str
    message: str
    value: str
    shape: str


@dataclass
class Report:
    conforms: bool
    results: list[Result]
    graph: object  # the rdflib report graph

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]


def load_shapes(paths: Sequence[Path | str]):
    """The shapes as one rdflib Graph; malformed files are reported with line:column."""
    from kgtool.store import load

    return load(paths).to_rdflib_graph()


def validate(store, shapes_paths: Sequence[Path | str]) -> Report:
    """Validate the union of the store's graphs; warnings and infos do not break conformance."""
    shapes = load_shapes(shapes_paths)
    check_shapes(shapes, shapes_paths)
    data = store.to_rdflib_graph()
    import pyshacl
    from pyshacl.errors import ReportableRuntimeError, ShapeLoadError, ConstraintLoadError

    try:
        _, report_graph, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            allow_warnings=True,
            allow_infos=True,
            abort_on_first=False,
            advanced=True,
        )
    except (ShapeLoadError, ConstraintLoadError, ReportableRuntimeError) as exc:
        text = " ".join(str(getattr(exc, "message", exc)).split())
        raise InputError(f"the shapes are not valid SHACL: {text}", where=", ".join(map(str, shapes_paths)), fix="fix the shape it names (SHACL 1.0, https://www.w3.org/TR/shacl/)") from None
    results = sorted(_results(report_graph))
    conforms = not any(r.severity == "Violation" for r in results)
    return Report(conforms=conforms, results=results, graph=report_graph)


def check_shapes(shapes, shapes_paths) -> None:
    """Validate the shapes against SHACL's own shapes (SHACL 1.0, Appendix C), quietly."""
    from importlib.resources import files

    import pyshacl
    import rdflib

    meta = rdflib.Graph().parse(str(files("pyshacl") / "assets" / "shacl-shacl.ttl"), format="turtle")
    conforms, report_graph, _ = pyshacl.validate(shapes, shacl_graph=meta, inference="none")
    if conforms:
        return
    problems = sorted(_results(report_graph))
    first = problems[0]
    value = f" {first.value!r}" if first.value else ""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise InputError(
        f"the shapes are not valid SHACL: {first.path}{value}: {first.message}{more}",
        where=", ".join(map(str, shapes_paths)),
        fix="fix that shape (SHACL 1.0, https://www.w3.org/TR/shacl/, Appendix C lists the rules)",
    )


def _results(report_graph):
    from rdflib import Namespace

    sh = Namespace(SH)
    for node in report_graph.subjects(sh.resultSeverity, None):
        def one(prop):
            value = report_graph.value(node, prop)
            return "" if value is None else _show(value)
        severity = report_graph.value(node, sh.resultSeverity)
        yield Result(
            focus=one(sh.focusNode),
            path=one(sh.resultPath),
            severity=str(severity).rsplit("#", 1)[-1],
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
    return json.dumps({"conforms": report.conforms, "results": [asdict(r) for r in report.results]}, indent=2) + "\n"


def render_turtle(report: Report) -> str:
    from kgtool.serialization import serialize_graph
    from kgtool.formats import RDF_FORMATS

    return serialize_graph(report.graph, RDF_FORMATS["turtle"]).decode("utf-8")


REPORT_FORMATS = {"text": render_text, "turtle": render_turtle, "json": render_json}
