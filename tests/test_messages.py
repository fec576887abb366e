"""What kgtool says: stderr holds its own lines only, suggestions find typos, invalid shapes are
named with the triple to change, an article checked alone is checked with the ontology, and
describe's JSON names terms by full IRIs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import GRAPH, soundtrack_only


def error_of(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr.rstrip("\n")


# --- ill-typed literals: rdflib's warnings stay off stderr ---------------------------------

ILL_TYPED = """@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://kgtool.example/id/work/x> a schema:TVSeries ; rdfs:label "X" ;
    schema:numberOfEpisodes "abc"^^xsd:integer ; schema:numberOfSeasons "two"^^xsd:integer ;
    schema:isFamilyFriendly "maybe"^^xsd:boolean ; schema:datePublished "soon"^^xsd:date .
"""


@pytest.mark.parametrize("args", [
    ("validate", "--engine", "pyshacl", "--no-ontology"),
    ("export", "-f", "jsonld"),
    ("export", "-f", "rdfxml"),
])
def test_ill_typed_literals_leave_stderr_to_kgtool(tmp_path, args):
    """A real process: in-process, pytest's log capture would hide what rdflib's logger prints."""
    data = tmp_path / "ill-typed.ttl"
    data.write_text(ILL_TYPED)
    done = subprocess.run([sys.executable, "-m", "kgtool", *args, "--graph", str(data)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert [line for line in done.stderr.splitlines() if not line.startswith("kgtool: ")] == []
    assert done.stdout


# --- "did you mean": fuzzy, for every label lookup ------------------------------------------------
# Among the Soundtrack article's labels alone: another article may hold a label nearer still.

@pytest.mark.parametrize("args,line", [
    (("describe", "Steve Martn"),
     "no entity labelled 'Steve Martn' in the graph; did you mean 'Steve Martin'?"),
    (("describe", "Jenna Dewn"),
     "no entity labelled 'Jenna Dewn' in the graph; did you mean 'Jenna Dewan'?"),
    (("query", "04", "-p", "character=Joana Kasem"),
     "--param character: no entity labelled 'Joana Kasem' in the graph; did you mean 'Joanna Kassem'?"),
    (("viz", "--focus", "Soundtrak", "-f", "dot"),
     "--focus: no entity labelled 'Soundtrak' in the graph; did you mean 'Soundtrack'?"),
    (("describe", "Netflx"),  # "ET" is inside "Netflx" only by chance: too short to suggest
     "no entity labelled 'Netflx' in the graph; did you mean 'Netflix'?"),
    (("describe", "Nobody Here"),
     "no entity labelled 'Nobody Here' in the graph; give an IRI, a prefixed name or an exact label"),
])
def test_label_lookups_suggest_close_labels(run, args, line):
    assert error_of(run(*args, *soundtrack_only())) == f"kgtool: error: {line}"


def test_path_suggests_close_labels(run):
    result = run("path", *soundtrack_only(), "Jenna Dewan", "Steve Martn")
    assert result.exit_code == 2
    assert result.stderr.rstrip("\n").endswith(
        "no entity labelled 'Steve Martn' in the graph; did you mean 'Steve Martin'?")


# --- shapes that are not valid SHACL: the shape, the triple, the change ------------------------------

PREFIXES = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix schema: <https://schema.org/> .\n"
SPEC = "(SHACL 1.0, https://www.w3.org/TR/shacl/, Appendix C)"


@pytest.mark.parametrize("shapes,line", [
    ('<urn:s> a sh:NodeShape ; sh:targetClass schema:Person ;\n sh:property [ sh:path schema:name ; sh:minCount "many" ] .\n',
     'the property shape on schema:name of shape <urn:s>: sh:minCount "many" is not an xsd:integer; '
     f"write a whole number without quotes, e.g. sh:minCount 1 {SPEC}"),
    ("<urn:s> a sh:NodeShape ; sh:targetClass schema:Person ; sh:minCount 1 .\n",
     "shape <urn:s>: sh:minCount 1 without sh:path (only a property shape, one with sh:path, takes sh:minCount); "
     f"move it into a property shape: sh:property [ sh:path ... ; sh:minCount 1 ] {SPEC}"),
    ('<urn:s> a sh:NodeShape ; sh:targetClass schema:Person ;\n sh:property [ sh:path schema:name ; sh:datatype "xsd:string" ] .\n',
     'the property shape on schema:name of shape <urn:s>: sh:datatype "xsd:string" is text, not an IRI; '
     f"write sh:datatype xsd:string without the quotes {SPEC}"),
    ("<urn:s> a sh:NodeShape ; sh:targetClass schema:Person ; sh:nodeKind sh:Thing .\n",
     "shape <urn:s>: sh:nodeKind sh:Thing is not one of the values it takes; give sh:nodeKind one of "
     f"sh:BlankNode, sh:IRI, sh:Literal, sh:BlankNodeOrIRI, sh:BlankNodeOrLiteral, sh:IRIOrLiteral {SPEC}"),
])
def test_invalid_shapes_name_the_shape_the_triple_and_the_change(run, tmp_path, shapes, line):
    bad = tmp_path / "shapes.ttl"
    bad.write_text(PREFIXES + shapes)
    for engine in ("sparql", "pyshacl"):
        assert error_of(run("validate", "-s", str(bad), "--engine", engine)) == (
            f"kgtool: error: {bad}: the shapes are not valid SHACL: {line}")


def test_several_problems_give_the_first_and_a_count(run, tmp_path):
    bad = tmp_path / "shapes.ttl"
    bad.write_text(PREFIXES + '<urn:a> a sh:NodeShape ; sh:targetClass schema:Person ; sh:minCount 1 .\n'
                   '<urn:b> a sh:NodeShape ; sh:targetClass schema:Person ; sh:closed "yes" .\n')
    assert error_of(run("validate", "-s", str(bad))) == (
        f"kgtool: error: {bad}: the shapes are not valid SHACL: shape <urn:a>: sh:minCount 1 without sh:path "
        "(only a property shape, one with sh:path, takes sh:minCount) (and 1 more); move it into a property shape: "
        f"sh:property [ sh:path ... ; sh:minCount 1 ] {SPEC}")


# --- an article validated alone gets the ontology ----------------------------------------------------

# A scripted series (kg:ScriptedSeries, a schema:TVSeries by the ontology) with -3 episodes:
# only the ontology's subclass axiom makes the TV series shape look at it.
SERIES = """@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix kg: <https://kgtool.example/ns#> .
<https://kgtool.example/id/work/x> a kg:ScriptedSeries ; rdfs:label "X" ;
    schema:creator <https://kgtool.example/id/person/joshua-safran> ; schema:numberOfEpisodes -3 .
"""
ONTOLOGY_NOTE = ("kgtool: note: the graph has no ontology, so the bundled ontology.ttl was added to it for the check "
                 "(--no-ontology checks the files alone)")


MISSED = "Violation: work:x schema:numberOfEpisodes\n  schema:numberOfEpisodes is one whole number of at least 1"


def test_an_article_alone_is_validated_with_the_ontology(run, tmp_path):
    article = tmp_path / "my-article.ttl"
    article.write_text(SERIES)
    result = run("validate", "-g", str(article))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [ONTOLOGY_NOTE]
    assert MISSED in result.stdout


def test_no_ontology_checks_the_files_alone(run, tmp_path):
    article = tmp_path / "my-article.ttl"
    article.write_text(SERIES)
    result = run("validate", "-g", str(article), "--no-ontology")
    # The snippet's facts have no claims, which any graph is checked for; the episodes are not
    # looked at, since only the ontology makes a kg:ScriptedSeries a schema:TVSeries.
    assert (result.exit_code, result.stderr) == (1, "")
    assert MISSED not in result.stdout and "has no evidence" in result.stdout


def test_a_store_without_the_ontology_is_checked_as_it_is_with_a_note(run, tmp_path):
    store = tmp_path / "article.store"
    article = tmp_path / "my-article.ttl"
    article.write_text(SERIES)
    assert run("load", str(article), "--store", str(store), "-q").exit_code == 0
    result = run("validate", "--store", str(store))
    assert result.exit_code == 1 and MISSED not in result.stdout and "has no evidence" in result.stdout
    assert result.stderr.splitlines() == [
        "kgtool: note: the store holds no ontology (https://kgtool.example/ns# a owl:Ontology), so its subclass "
        f"axioms are left out: add it with kgtool load {GRAPH / 'ontology.ttl'} --store DIR (--no-ontology: no note)"]
    assert run("validate", "--store", str(store), "--no-ontology").stderr == ""


def test_a_graph_with_the_ontology_gets_no_note(run):
    result = run("validate", "-g", str(GRAPH))
    assert (result.exit_code, result.stderr) == (0, "")


# --- describe: full IRIs in JSON, run where it can be stopped ------------------------------------------

def test_describe_json_uses_full_iris(run, store):
    data = json.loads(run("describe", "Jenna Dewan", "-f", "json").stdout)
    assert data["iri"] == "https://kgtool.example/id/person/jenna-dewan"
    facts = data["outgoing"] + data["incoming"]
    assert all(f["predicate"].startswith(("http://", "https://")) for f in facts)
    assert all(f["value"].startswith(("http://", "https://")) for f in facts if f["kind"] == "iri")
    articles = {r["a"].value for r in store.select("SELECT ?a WHERE { ?a a schema:NewsArticle }")}
    cited = {e["article"] for f in facts for e in f["evidence"]}
    assert "https://kgtool.example/id/article/et-soundtrack-canceled" in cited and cited <= articles
    kind = next(f for f in data["outgoing"] if f["predicate"] == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert (kind["value"], kind["kind"]) == ("https://schema.org/Person", "iri")
    name = next(f for f in data["outgoing"] if f["predicate"] == "http://www.w3.org/2000/01/rdf-schema#label")
    assert (name["value"], name["kind"], name["datatype"]) == ("Jenna Dewan", "literal", None)


def test_describe_text_keeps_prefixed_names(run):
    lines = run("describe", "Steve Martin").stdout.splitlines()
    assert lines[:4] == ["Steve Martin (person:steve-martin)", "", "  -> rdf:type  schema:Person",
                         "  -> rdfs:label  Steve Martin"]


def test_describe_runs_its_core_in_the_killable_worker(run, monkeypatch, tmp_path):
    """Loading and describing happen inside worker.run_killable, which forks when the process
    has one thread (a test process may have several: then it runs them in place). What ran
    inside is written to a file, which a forked child shares with the test."""
    from kgtool import description, worker

    log = tmp_path / "ran.txt"
    real_describe, real_run = description.describe, worker.run_killable

    def spy(function, *args, **kwargs):
        log.write_text("inside ")
        try:
            return real_run(function, *args, **kwargs)
        finally:
            log.write_text(log.read_text() + "done")

    def recorded(store, text):
        with log.open("a") as out:
            out.write(f"describe {text!r} ")
        return real_describe(store, text)

    monkeypatch.setattr(worker, "run_killable", spy)
    monkeypatch.setattr(description, "describe", recorded)
    result = run("describe", "Steve Martin")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Steve Martin (person:steve-martin)\n")
    assert log.read_text() == "inside describe 'Steve Martin' done"
