"""SHACL validation of the graph against the shapes, by one of two engines.

- sparql (the default): the shapes compiled to SPARQL queries (kgtool.shacl.checks) and
  run on the store itself; seconds on a million triples.
- pyshacl: the reference implementation, minutes on a million triples; used too
  when the shapes need a component the SPARQL engine does not compile.

Both see the union of every graph in the store, ontology included, so that
rdfs:subClassOf axioms count (SHACL 1.0, section 2.1.3.3, "SHACL instance").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

from kgtool.errors import InputError
from kgtool.shacl.reports import REPORT_FORMATS, Report, Result, make_report  # noqa: F401 (re-exported)

ENGINES = {
    "sparql": "the shapes compiled to SPARQL, run on the store (fast; the default)",
    "pyshacl": "pySHACL, the reference implementation (slow on big graphs)",
}


def load_shapes(paths: Sequence[Path | str], base: str | None = None):
    """The shapes as a store; malformed files are reported with line:column. `base` (--base)
    replaces each file's URI as base IRI."""
    from kgtool.store import load

    return load(paths, base)


def validate(store, shapes_paths: Sequence[Path | str], engine: str = "sparql",
             focus: Iterable[Any] | None = None, check_shapes: bool = True, base: str | None = None) -> Report:
    """Validate the store against the shapes in `shapes_paths` (files or folders)."""
    shapes, where = read_shapes(shapes_paths, check_shapes, base)
    return validate_with(store, shapes, where, engine, focus)


def read_shapes(shapes_paths: Sequence[Path | str], check: bool = True, base: str | None = None):
    """The shapes as a store, checked against SHACL's own shapes, and where they came from."""
    shapes = load_shapes(shapes_paths, base)
    where = ", ".join(map(str, shapes_paths))
    if check:
        from kgtool.shacl.checked import already_checked, remember_checked
        from kgtool.shacl.reference import check_shapes as meta_check

        if not already_checked(shapes):
            meta_check(shapes.to_rdflib_graph(), where)
            remember_checked(shapes)
    return shapes, where


ONTOLOGY = "https://kgtool.example/ns#"  # the project's vocabulary: kg: a owl:Ontology (graph/ontology.ttl)


def add_missing_ontology(store, ontology: Path) -> str | None:
    """Load the bundled ontology into a graph that lacks it (an article given alone), so that
    its rdfs:subClassOf axioms count as they do on the whole graph; the note to show, or None.
    A store on disk cannot take it: then the note says what was left out."""
    if store.query(f"ASK {{ <{ONTOLOGY}> a owl:Ontology }}"):
        return None
    if store.on_disk:
        return (f"the store holds no ontology ({ONTOLOGY} a owl:Ontology), so its subclass axioms are left "
                f"out: add it with kgtool load {ontology} --store DIR (--no-ontology: no note)")
    store.load_file(ontology)
    return (f"the graph has no ontology, so the bundled {ontology.name} was added to it for the check "
            f"(--no-ontology checks the files alone)")


def validate_change(store, shapes_paths: Sequence[Path | str], change: Path, engine: str = "sparql",
                    base: str | None = None) -> Report:
    """Validate only the focus nodes that the triples of the file `change` touch (kgtool.shacl.increments)."""
    from kgtool.shacl.increments import read_change

    return validate_quads(store, shapes_paths, read_change(change, base), str(change), engine, base)


def validate_quads(store, shapes_paths: Sequence[Path | str], quads, what: str, engine: str = "sparql",
                   base: str | None = None) -> Report:
    """Validate only the focus nodes that `quads` (already in the store) touch; `what` names them."""
    from kgtool.shacl.increments import look_through, touched
    from kgtool.shacl.shapes import ShapesGraph

    shapes, where = read_shapes(shapes_paths, base=base)
    scope = touched(store, quads, look_through(ShapesGraph(shapes.backend)))
    report = validate_with(store, shapes, where, engine, focus=scope.nodes)
    if scope.nodes is None:
        report.note = f"checked the whole graph: {what} {scope.reason}"
    else:
        report.note = f"checked the {len(scope.nodes):,} nodes that the {scope.triples:,} triples of {what} touch"
    return report


def validate_with(store, shapes, where: str, engine: str = "sparql",
                  focus: Iterable[Any] | None = None) -> Report:
    """Validate the store against a shapes store; `focus` limits the check to those focus
    nodes (the SPARQL engine only). Shapes the SPARQL engine cannot compile go to pySHACL."""
    from kgtool.shacl.reference import validate_with_pyshacl
    from kgtool.shacl.shapes import Unsupported

    if engine == "pyshacl":
        if focus is not None:
            raise InputError("pySHACL cannot validate chosen focus nodes", fix="use --engine sparql")
        return validate_with_pyshacl(store, shapes.to_rdflib_graph(), where)
    try:
        return validate_with_sparql(store, shapes, focus)
    except Unsupported as exc:
        if focus is not None:
            raise InputError(f"the shapes use {exc}, which incremental validation does not support",
                             where=where, fix="validate the whole graph instead") from None
        note = f"the SPARQL engine does not compile {exc}; pySHACL checked the graph instead"
        return validate_with_pyshacl(store, shapes.to_rdflib_graph(), where, note=note)


def validate_with_sparql(store, shapes, focus: Iterable[Any] | None = None) -> Report:
    from kgtool.shacl.checks import compile_checks, run_checks
    from kgtool.shacl.shapes import ShapesGraph

    checks = compile_checks(ShapesGraph(shapes.backend))
    return make_report(run_checks(store, checks, focus), engine="sparql", shapes=shapes.backend)
