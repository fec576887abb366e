"""Incremental validation: checking what an added article touches finds what checking the
whole archive finds, while looking at a small part of it."""

from __future__ import annotations

from conftest import GRAPH, ROOT, SHAPES
from kgtool.shacl.increments import look_through, read_change, touched
from kgtool.shacl.shapes import ShapesGraph
from kgtool.store import load
from kgtool.synthetic import VIOLATION_KINDS, generate, ontology_quads
from kgtool.shacl.validation import load_shapes, validate, validate_change


def _write(path, triples: int, seed: int, violations: int, with_ontology: bool):
    ontology = list(ontology_quads(ROOT / "graph" / "ontology.ttl")) if with_ontology else []
    with path.open("w", encoding="utf-8") as stream:
        return generate(stream, triples, seed, violations, ontology, "nquads")


def test_the_added_articles_violations_are_found_without_checking_the_archive(tmp_path):
    archive, added = tmp_path / "archive.nq", tmp_path / "added.nq"
    _write(archive, 20_000, 1, 0, with_ontology=True)
    summary = _write(added, 2_000, 2, len(VIOLATION_KINDS), with_ontology=False)
    store = load([archive, added])
    whole = validate(store, [SHAPES])
    incremental = validate_change(store, [SHAPES], added)
    assert len(summary.violations) == len(VIOLATION_KINDS)
    assert incremental.results == whole.results  # every violation, message for message
    assert len(whole.violations) >= len(VIOLATION_KINDS)
    checked = int(incremental.note.split("checked the ")[1].split(" nodes")[0].replace(",", ""))
    entities = len(store.select("SELECT DISTINCT ?s WHERE { ?s a ?type }"))
    assert 0 < checked < entities / 4, (checked, entities)


def test_a_new_subclass_axiom_checks_every_instance_of_the_subclass(tmp_path):
    change = tmp_path / "axiom.ttl"
    change.write_text("<https://kgtool.example/ns#FictionalCharacter> "
                      "<http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://schema.org/Person> .\n")
    store = load([GRAPH, change])
    report = validate_change(store, [SHAPES], change)
    characters = {(r["c"].value.replace("https://kgtool.example/id/character/", "character:"), "sh:NotConstraintComponent")
                  for r in store.select("SELECT ?c WHERE { ?c a kg:FictionalCharacter }")}
    assert ("character:joanna-kassem", "sh:NotConstraintComponent") in characters
    assert {(r.focus, r.component) for r in report.violations} == characters
    assert {(r.focus, r.component) for r in validate(store, [SHAPES]).violations} == characters


def test_the_touched_nodes_are_the_changes_subjects_and_objects(store, tmp_path):
    change = tmp_path / "fact.ttl"
    change.write_text("<https://kgtool.example/id/work/soundtrack> <https://schema.org/actor> "
                      "<https://kgtool.example/id/person/steve-martin> .\n")
    shapes = ShapesGraph(load_shapes([SHAPES]).backend)
    assert look_through(shapes) == set()  # the project's shapes never look into values non-monotonically
    scope = touched(store, read_change(change), look_through(shapes))
    assert [str(n) for n in scope.nodes] == ["<https://kgtool.example/id/person/steve-martin>",
                                             "<https://kgtool.example/id/work/soundtrack>"]
    everything = touched(store, read_change(change), None)  # following every property back
    assert len(everything.nodes) > len(scope.nodes)


def test_the_command_says_what_it_checked(run, tmp_path):
    change = tmp_path / "fact.ttl"
    change.write_text("<https://kgtool.example/id/work/soundtrack> <https://schema.org/numberOfEpisodes> 12 .\n")
    result = run("validate", "-g", str(GRAPH), "-g", str(change), "--changed", str(change))
    assert result.exit_code == 1
    assert result.stderr == f"kgtool: note: checked the 1 nodes that the 1 triples of {change} touch\n"
    assert [line for line in result.stdout.splitlines() if line.startswith("Violation")] == [
        "Violation: work:soundtrack schema:numberOfEpisodes",
        "Violation: work:soundtrack schema:numberOfEpisodes"]
    refused = run("validate", "--changed", str(change), "--engine", "pyshacl")
    assert (refused.exit_code, refused.stderr) == (
        2, "kgtool: error: pySHACL cannot validate chosen focus nodes; use --engine sparql\n")
    missing = run("validate", "--changed", str(tmp_path / "nope.ttl"))
    assert (missing.exit_code, missing.stderr) == (
        2, f"kgtool: error: {tmp_path / 'nope.ttl'}: no such file; check the path\n")
