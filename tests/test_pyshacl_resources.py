"""pySHACL's own test resources, every validation case run through `kgtool validate`.

The cases live in ../shared/pyshacl-test-resources/ (README.md there): `dash_tests/`, files
that are data, shapes and expected report at once (`dash:GraphValidationTestCase`), and
`sht_tests/`, the W3C layout (manifests with `sht:Validate` entries), SHACL-SPARQL included.
Each case runs in-process as `kgtool validate -g DATA -s SHAPES --no-ontology -f turtle
--engine sparql` (KGTOOL_RESOURCES_ENGINE=pyshacl runs them with pySHACL instead), and the
Turtle report is compared with the expected one: conformance, and the results as a set of
(focus node, path, component, value, severity), terms as written (a literal with its
datatype, a path as its SPARQL property path, a blank focus node or value as []). A case
whose expected result is `sht:Failure` (a query SHACL says a processor must refuse) must
end in exit 2 with one line.

dash cases of other kinds (rules, functions, queries: not validation) are counted and skipped.
KNOWN_FAILURES lists the cases kgtool gets wrong today, each with the point of issue 11
it falls under: the engine helpers remove an entry when they fix it (the test is strict,
so a fixed case that is still listed fails). PYSHACL_DEPARTS lists the cases where the
expected report (pySHACL's) and the SHACL specification disagree, with the sentence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import ROOT
from kgtool.cli import cli

RESOURCES = (ROOT.parent / "shared" / "pyshacl-test-resources").resolve()  # a link to shared/ too
ENGINE = os.environ.get("KGTOOL_RESOURCES_ENGINE", "sparql")

SH = "http://www.w3.org/ns/shacl#"
DASH = "http://datashapes.org/dash#"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))

FOUND_CASES = 220      # 99 dash:GraphValidationTestCase files + 121 sht:Validate entries
SKIPPED_CASES = 17     # 8 dash:QueryTestCase, 7 dash:InferencingTestCase, 2 dash:FunctionTestCase

# name -> why kgtool fails it today, by the point of issue 11 it falls under ("issue 11 §1, ...").
# Empty: every case passes or is a listed departure (the §1 SPARQL, §2 terms-as-written and
# W3C-report cases were fixed and taken out by the engine helpers).
KNOWN_FAILURES: dict[str, str] = {
}

# name -> the sentence of the SHACL specification that the expected report departs from. kgtool
# follows the specification, so the case is expected to fail (strict: a change is noticed).
_UNDECLARED = ("SHACL 1.0, 5.2.1: \"A SHACL processor collects a set of prefix mappings as the union of all "
               "individual prefix mappings that are values of the SPARQL property path "
               "sh:prefixes/owl:imports*/sh:declare of the SPARQL-based constraint or validator.\" No sh:declare "
               "reached that way declares ex: (pySHACL takes it from the Turtle file's @prefix, which is not in "
               "the RDF graph); kgtool says 'unknown prefix ex:' (exit 2)")
PYSHACL_DEPARTS: dict[str, str] = {
    "sht/core/path/path-strange-002": (
        "SHACL 1.0, 3.4.2 (Handling of Ill-formed Shapes Graphs): \"If the shapes graph contains ill-formed "
        "nodes, then the result of the validation process is undefined. A SHACL processor SHOULD produce a "
        "failure in this case.\" The path node is both a list and an sh:inversePath, which SHACL's own shapes "
        "(Appendix C, sh:xone of the path forms) reject; kgtool refuses the shapes (exit 2), the case expects "
        "the list to be read as a sequence path"),
    "dash/function/callSPARQLFunction": (
        "SHACL 1.0, 5.1 and 5.2.1: the value of sh:select must be a valid SPARQL SELECT query once the prefix "
        "declarations reached through sh:prefixes are prepended; the query uses ex:, which no sh:declare "
        "declares (pySHACL takes it from the Turtle file's @prefix, which is not in the RDF graph), and calls "
        "ex:multiply, a SHACL-AF sh:SPARQLFunction that SHACL 1.0 does not define; kgtool refuses (exit 2)"),
    "dash/sparql/node/prefixes-001": _UNDECLARED,
    "dash/target/sparqlTargetType-001": _UNDECLARED,
    "sht/sparql/pre-binding/shapesGraph-001": (
        "SHACL 1.0, 5.3.1: \"SHACL-SPARQL processors are not required to support this variable. Processors "
        "that do not support the variable $shapesGraph MUST report a failure if they encounter a query that "
        "references this variable.\" kgtool keeps the shapes out of the data's dataset and refuses (exit 2)"),
}


# -- reading the cases ----------------------------------------------------------------------

class Graph:
    """The triples of one file as parsed, literals as written (no store rewrites them)."""

    def __init__(self, quads):
        self.triples: dict = {}
        for quad in quads:
            self.triples.setdefault(quad.subject, {}).setdefault(quad.predicate.value, []).append(quad.object)

    @classmethod
    def read(cls, path: Path) -> "Graph":
        return cls(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))

    def objects(self, subject, predicate: str) -> list:
        return self.triples.get(subject, {}).get(predicate, [])

    def one(self, subject, predicate: str):
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def subjects(self, predicate: str, obj) -> list:
        return [s for s, po in self.triples.items() if obj in po.get(predicate, [])]

    def items(self, node) -> list:
        """The members of the RDF list `node`."""
        found = []
        while node is not None and node != ox.NamedNode(RDF + "nil"):
            found.append(self.one(node, RDF + "first"))
            node = self.one(node, RDF + "rest")
        return found


def path_text(graph: Graph, node) -> str:
    """A SHACL path as a SPARQL property path, nested forms in parentheses."""
    if node is None:
        return ""
    if isinstance(node, ox.NamedNode):
        return f"<{node.value}>"
    if graph.one(node, RDF + "first") is not None:
        return "(" + "/".join(path_text(graph, item) for item in graph.items(node)) + ")"
    for key, form in (("inversePath", "^{}"), ("zeroOrMorePath", "({})*"), ("oneOrMorePath", "({})+"),
                      ("zeroOrOnePath", "({})?")):
        inner = graph.one(node, SH + key)
        if inner is not None:
            return form.format(path_text(graph, inner))
    alternatives = graph.one(node, SH + "alternativePath")
    if alternatives is not None:
        return "(" + "|".join(path_text(graph, item) for item in graph.items(alternatives)) + ")"
    return "[]"


def term_text(term) -> str:
    if term is None:
        return ""
    return "[]" if isinstance(term, ox.BlankNode) else str(term)


def results_of(graph: Graph, report) -> tuple[bool, frozenset]:
    """(conforms, {(focus, path, component, value, severity)}) of the report node `report`."""
    conforms = graph.one(report, SH + "conforms") == XSD_TRUE
    results = frozenset(
        (term_text(graph.one(r, SH + "focusNode")), path_text(graph, graph.one(r, SH + "resultPath")),
         term_text(graph.one(r, SH + "sourceConstraintComponent")), term_text(graph.one(r, SH + "value")),
         term_text(graph.one(r, SH + "resultSeverity")))
        for r in graph.objects(report, SH + "result"))
    return conforms, results


@dataclass(frozen=True)
class Case:
    name: str
    data: Path
    shapes: Path
    expected: tuple[bool, frozenset] | None  # None: the processor must refuse (sht:Failure)


def dash_cases() -> tuple[list[Case], list[str]]:
    """The dash validation cases, and the names of the other dash test cases (skipped)."""
    cases, skipped = [], []
    for path in sorted((RESOURCES / "dash_tests").rglob("*.ttl")):
        graph = Graph.read(path)
        name = "dash/" + str(path.relative_to(RESOURCES / "dash_tests")).removesuffix(".test.ttl")
        for subject, po in graph.triples.items():
            for kind in po.get(RDF + "type", []):
                if kind == ox.NamedNode(DASH + "GraphValidationTestCase"):
                    report = graph.one(subject, DASH + "expectedResult")
                    cases.append(Case(name, path, path, results_of(graph, report)))
                elif kind.value.startswith(DASH) and kind.value.endswith("TestCase"):
                    skipped.append(f"{name} ({kind.value.removeprefix(DASH)})")
    return cases, skipped


def sht_cases() -> list[Case]:
    """Every sht:Validate entry of the manifests reached from sht_tests/manifest.ttl."""
    cases, todo, seen = [], [RESOURCES / "sht_tests" / "manifest.ttl"], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        graph = Graph.read(path)
        for manifest in graph.subjects(RDF + "type", ox.NamedNode(MF + "Manifest")):
            todo.extend(_file(i) for i in graph.objects(manifest, MF + "include"))
            for entry in graph.items(graph.one(manifest, MF + "entries")):
                if ox.NamedNode(SHT + "Validate") not in graph.objects(entry, RDF + "type"):
                    continue
                action, result = graph.one(entry, MF + "action"), graph.one(entry, MF + "result")
                name = "sht/" + str(path.relative_to(RESOURCES / "sht_tests").parent / _file(entry).name)
                expected = None if result == ox.NamedNode(SHT + "Failure") else results_of(graph, result)
                cases.append(Case(name, _file(graph.one(action, SHT + "dataGraph")),
                                  _file(graph.one(action, SHT + "shapesGraph")), expected))
    return sorted(cases, key=lambda case: case.name)


def _file(iri) -> Path:
    return Path(iri.value.removeprefix("file://").split("#")[0])


if RESOURCES.is_dir():
    DASH_CASES, SKIPPED = dash_cases()
    CASES = DASH_CASES + sht_cases()
else:
    CASES, SKIPPED = [], []


# -- running them ---------------------------------------------------------------------------

def validate(case: Case):
    """kgtool validate on the case: (exit code, stderr, the report graph or None)."""
    result = CliRunner().invoke(cli, ["validate", "-g", str(case.data), "-s", str(case.shapes), "--no-ontology",
                                      "-f", "turtle", "--engine", ENGINE], catch_exceptions=False)
    report = None
    if result.exit_code in (0, 1):
        report = Graph(ox.parse(result.stdout_bytes, format=ox.RdfFormat.TURTLE))
    return result.exit_code, result.stderr, report


def outcome(case: Case) -> tuple[str, object]:
    """("ok", None), or (what went wrong, the details)."""
    code, stderr, report = validate(case)
    if case.expected is None:
        lines = stderr.splitlines()
        if code == 2 and len(lines) == 1 and lines[0].startswith("kgtool: error: "):
            return "ok", None
        return "not refused", (code, stderr.strip() or "(ran as if fine)")
    if report is None:
        return f"exit {code}", stderr.strip()
    (node,) = report.subjects(RDF + "type", ox.NamedNode(SH + "ValidationReport"))
    found = results_of(report, node)
    if found == case.expected:
        return "ok", None
    (conforms, expected), (got_conforms, got) = case.expected, found
    return "wrong report", {"conforms": (conforms, got_conforms),
                            "missing": sorted(expected - got), "extra": sorted(got - expected)}


def test_the_resources_are_found():
    assert RESOURCES.is_dir(), f"pySHACL's test resources are missing: {RESOURCES}"
    assert (len(CASES), len(SKIPPED)) == (FOUND_CASES, SKIPPED_CASES)
    assert len({case.name for case in CASES}) == len(CASES)
    names = {case.name for case in CASES}
    assert set(KNOWN_FAILURES) <= names and set(PYSHACL_DEPARTS) <= names


def _marked(case: Case):
    reason = KNOWN_FAILURES.get(case.name) or (
        f"pySHACL departs from the specification: {PYSHACL_DEPARTS[case.name]}" if case.name in PYSHACL_DEPARTS
        else None)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason and ENGINE == "sparql" else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_marked(case) for case in CASES])
def test_resource_case(case):
    kind, details = outcome(case)
    assert kind == "ok", details


if __name__ == "__main__":  # the failing cases, one line each: python tests/test_pyshacl_resources.py
    import sys

    failing = 0
    for case in CASES:
        kind, details = outcome(case)
        if kind != "ok":
            failing += 1
            print(f"{case.name}\t{kind}\t{details}", flush=True)
    print(f"{len(CASES)} cases, {failing} failing with --engine {ENGINE}; skipped {len(SKIPPED)}", file=sys.stderr)
