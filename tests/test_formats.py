"""One rule for -o and formats in every command, and one way to name terms in every JSON output.

The -o suffix picks the format where the command has it; a suffix that names a format
the command cannot write is an error (exit 2, nothing written), never a silent fallback;
a suffix that names no format (.out) keeps the default; --format always wins.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib

from conftest import GRAPH, SHAPES

KG = "https://kgtool.example/"
SH = "http://www.w3.org/ns/shacl#"

# Each command that writes a text or JSON answer, with arguments that give one.
TEXT_OR_JSON = {
    "stats": ("stats",),
    "describe": ("describe", "work:soundtrack"),
    "path": ("path", "Jenna Dewan", "Steve Martin"),
    "validate": ("validate",),
}
WHAT = {"stats": "the statistics", "describe": "a description", "path": "a list of paths",
        "validate": "a validation report"}


@pytest.mark.parametrize("command", list(TEXT_OR_JSON))
def test_a_json_suffix_writes_json(run, tmp_path, command):
    out = tmp_path / "answer.json"
    assert run(*TEXT_OR_JSON[command], "-o", str(out)).exit_code == 0
    assert isinstance(json.loads(out.read_text(encoding="utf-8")), dict)


@pytest.mark.parametrize("command", list(TEXT_OR_JSON))
def test_a_suffix_of_no_format_keeps_the_default_and_format_wins(run, tmp_path, command):
    args = TEXT_OR_JSON[command]
    text = run(*args).stdout
    assert run(*args, "-o", str(tmp_path / "answer.out")).exit_code == 0
    assert (tmp_path / "answer.out").read_text(encoding="utf-8") == text
    assert run(*args, "-f", "text", "-o", str(tmp_path / "answer.json")).exit_code == 0
    assert (tmp_path / "answer.json").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("command", list(TEXT_OR_JSON))
@pytest.mark.parametrize("suffix, named", [(".svg", "SVG picture"), (".csv", "SPARQL 1.1 CSV"), (".nt", "N-Triples")])
def test_a_suffix_of_a_format_the_command_cannot_write_is_an_error(run, tmp_path, command, suffix, named):
    out = tmp_path / f"answer{suffix}"
    result = run(*TEXT_OR_JSON[command], "-o", str(out))
    ours = ".txt, .json, .ttl" if command == "validate" else ".txt, .json"
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"kgtool: error: --output: {WHAT[command]} cannot be written as {named} "
                             f"(the suffix of '{out}'); name the file {ours}, or give --format\n")
    assert not out.exists()


def test_validate_writes_turtle_for_ttl(run, tmp_path):
    out = tmp_path / "report.ttl"
    assert run("validate", "-o", str(out)).exit_code == 0
    graph = rdflib.Graph().parse(out, format="turtle")
    assert (None, rdflib.URIRef(SH + "conforms"), rdflib.Literal(True)) in graph


def test_query_json_suffix_writes_sparql_json_results(run, tmp_path):
    out = tmp_path / "people.json"
    assert run("query", "18", "-o", str(out)).exit_code == 0
    answer = json.loads(out.read_text(encoding="utf-8"))
    assert answer["head"]["vars"][0] == "person"
    assert answer["results"]["bindings"][0]["person"]["type"] == "uri"
    xml = tmp_path / "people.xml"
    assert run("query", "18", "-o", str(xml)).exit_code == 0
    assert b"http://www.w3.org/2005/sparql-results#" in xml.read_bytes()


def test_query_construct_picks_an_rdf_format_or_refuses(run, tmp_path):
    jsonld = tmp_path / "lineage.json"
    assert run("query", "25", "-o", str(jsonld)).exit_code == 0
    assert len(rdflib.Graph().parse(jsonld, format="json-ld")) > 0
    table = tmp_path / "lineage.csv"
    result = run("query", "25", "-o", str(table))
    assert (result.exit_code, result.stderr) == (
        2, "kgtool: error: --output: a CONSTRUCT or DESCRIBE result cannot be written as SPARQL 1.1 CSV "
           f"(the suffix of '{table}'); name the file .ttl, .nt, .nq, .trig, .jsonld, .json, .rdf, .owl, .xml, "
           "or give --format\n")
    assert not table.exists()


def test_query_ask_has_no_csv_and_other_suffixes_keep_the_default(run, tmp_path):
    result = run("query", "-e", "ASK { ?s ?p ?o }", "-o", str(tmp_path / "a.csv"))
    assert result.exit_code == 2 and "an ASK result cannot be written as SPARQL 1.1 CSV" in result.stderr
    out = tmp_path / "people.out"
    assert run("query", "18", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == run("query", "18").stdout
    forced = tmp_path / "people.json"
    assert run("query", "18", "-f", "csv", "-o", str(forced)).exit_code == 0
    assert next(csv.reader(io.StringIO(forced.read_text(encoding="utf-8"))))[0] == "person"


def test_generate_keeps_nquads_for_a_suffix_of_no_format(run, tmp_path):
    out = tmp_path / "news.out"
    assert run("generate", "-n", "300", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == run("generate", "-n", "300").stdout_bytes


# --- JSON names terms by their full IRIs ---------------------------------------------------

def broken_graph(tmp_path):
    broken = tmp_path / "broken.trig"
    broken.write_text((GRAPH / "articles" / "et-soundtrack-canceled.trig").read_text(encoding="utf-8")
                      .replace("schema:numberOfEpisodes 10", "schema:numberOfEpisodes -10"), encoding="utf-8")
    return ("-g", str(GRAPH / "ontology.ttl"), "-g", str(broken))


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_the_json_report_names_terms_by_full_iris(run, tmp_path, engine):
    report = json.loads(run("validate", *broken_graph(tmp_path), "-f", "json", "--engine", engine).stdout)
    bad = [r for r in report["results"] if r["component"] == SH + "MinInclusiveConstraintComponent"]
    assert [(r["focus"], r["path"], r["value"]) for r in bad] == [
        (KG + "id/work/soundtrack", "https://schema.org/numberOfEpisodes", "-10")]
    for result in report["results"]:
        for key in ("focus", "path", "component", "shape"):
            assert not result[key].startswith("<") and not result[key].startswith(("sh:", "work:", "schema:"))


def test_the_manifest_and_the_json_report_join_on_focus_node(run, tmp_path):
    out, manifest = tmp_path / "bad.nq", tmp_path / "injected.json"
    assert run("generate", "-n", "3000", "--violations", "5", "--manifest", str(manifest),
               "-o", str(out)).exit_code == 0
    report = run("validate", "-g", str(out), "-s", str(SHAPES), "-f", "json")
    assert report.exit_code == 1
    found = {(r["focus"], r["path"], r["component"]) for r in json.loads(report.stdout)["results"]}
    injected = {(v["focus"], v["path"], v["component"]) for v in json.loads(manifest.read_text())}
    assert len(injected) == 5 and injected == found
