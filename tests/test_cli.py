"""kgtool's commands as a user runs them: outputs, formats, and one exact line per bad input."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import DATA, GRAPH, QUERIES, ROOT, SOUNDTRACK_GRAPH, soundtrack_only
from kgtool.store.formats import RDF_FORMATS, RESULT_FORMATS


# --- query ---------------------------------------------------------------------------

def test_list_shows_every_named_query_with_its_summary(run):
    result = run("query", "--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(list(QUERIES.glob("*.rq"))) >= 25
    assert lines[3].split()[0] == "04-who-played"
    assert "Who played a character, and in which series?" in lines[3] and lines[3].endswith("[character]")


def test_table_is_the_default(run):
    result = run("query", "04")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[2].split() == [
        "character:joanna-kassem", "person:jenna-dewan", "Jenna", "Dewan", "work:soundtrack", "Soundtrack"]
    assert result.stdout.endswith("(1 row)\n")


def test_csv_is_w3c_csv(run):
    result = run("query", "02-creator", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [["work", "creator", "creatorLabel"],
                    ["https://kgtool.example/id/work/soundtrack", "https://kgtool.example/id/person/joshua-safran", "Joshua Safran"]]


def test_tsv_writes_terms_in_ntriples_syntax(run):
    result = run("query", "03", "-f", "tsv")
    header, row = result.stdout.splitlines()
    assert header == "?series\t?kind\t?genre\t?episodes\t?seasons"
    assert row.split("\t")[0] == "<https://kgtool.example/id/work/soundtrack>"
    assert row.split("\t")[3] == "10"


def test_json_and_xml_are_the_w3c_result_formats(run):
    data = json.loads(run("query", "14", "-f", "json").stdout)
    assert data["head"]["vars"][:3] == ["person", "interview", "interviewer"]
    assert data["results"]["bindings"][0]["interviewerLabel"] == {"type": "literal", "value": "Lauren Zima"}
    root = ET.fromstring(run("query", "14", "-f", "xml").stdout)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert root.find(".//r:binding[@name='interviewerLabel']/r:literal", ns).text == "Lauren Zima"


def test_markdown_escapes_pipes(run):
    result = run("query", "-e", 'SELECT ?x WHERE { BIND ("a|b" AS ?x) }', "-f", "markdown")
    assert result.stdout == "| x |\n|---|\n| a\\|b |\n"


def test_params_are_bound_as_terms_by_iri_prefixed_name_or_label(run):
    by_label = run("query", "04", "--param", "character=Joanna Kassem", "-f", "csv").stdout
    by_name = run("query", "04", "-p", "character=character:joanna-kassem", "-f", "csv").stdout
    by_iri = run("query", "04", "-p", "character=<https://kgtool.example/id/character/joanna-kassem>", "-f", "csv").stdout
    assert by_label == by_name == by_iri
    assert "Jenna Dewan" in by_label


def test_a_param_value_is_never_pasted_into_the_query(run):
    # a value that would change the query if it were pasted in stays one literal
    result = run("query", "-e", "SELECT ?x WHERE { ?s rdfs:label ?x }", "-p", 'x="} UNION { ?s ?p ?o"', "-f", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["x"]


def test_query_from_stdin_and_from_a_file(run, tmp_path):
    text = "SELECT ?label WHERE { work:soundtrack rdfs:label ?label }"
    assert run("query", "-", "-f", "csv", input=text).stdout.splitlines() == ["label", "Soundtrack"]
    path = tmp_path / "mine.rq"
    path.write_text(text)
    assert run("query", str(path), "-f", "csv").stdout.splitlines() == ["label", "Soundtrack"]


def test_construct_prints_rdf(run, store):
    result = run("query", "-e", "CONSTRUCT { ?w schema:creator ?c } WHERE { ?w a schema:TVSeries ; schema:creator ?c }")
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    created = store.select("SELECT ?w ?c WHERE { ?w a schema:TVSeries ; schema:creator ?c }")
    assert set(graph) == {(rdflib.URIRef(r["w"].value), rdflib.SDO.creator, rdflib.URIRef(r["c"].value)) for r in created}
    assert (rdflib.URIRef("https://kgtool.example/id/work/soundtrack"), rdflib.SDO.creator,
            rdflib.URIRef("https://kgtool.example/id/person/joshua-safran")) in graph
    assert "@prefix work: <https://kgtool.example/id/work/> ." in result.stdout


def test_ask(run):
    assert run("query", "-e", "ASK { person:jenna-dewan a schema:Person }").stdout == "true\n"


def test_output_file_takes_its_format_from_the_suffix(run, tmp_path):
    target = tmp_path / "answer.csv"
    assert run("query", "01", "-o", str(target)).exit_code == 0
    assert target.read_text().startswith("series,seriesLabel,canceledBy")


def test_every_command_takes_other_data(run):
    result = run("query", "-e", "SELECT ?h WHERE { ?a schema:headline ?h }", "-f", "csv", "--graph", str(DATA / "second-article.trig"))
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["h"], ["TEST FIXTURE, not a real article: a second article for the multi-article tests."]]


# --- validate, export, stats, describe ---------------------------------------------------

def test_validate_exit_codes_and_reports(run, tmp_path):
    ok = run("validate")
    assert (ok.exit_code, ok.stdout) == (0, "0 violations, 0 warnings, 0 infos: the graph conforms.\n")
    broken = tmp_path / "broken.trig"
    broken.write_text((GRAPH / "articles" / "et-soundtrack-canceled.trig").read_text(encoding="utf-8")
                      .replace("schema:numberOfEpisodes 10", "schema:numberOfEpisodes -10"), encoding="utf-8")
    args = ("validate", "-g", str(GRAPH / "ontology.ttl"), "-g", str(broken))
    text = run(*args)
    assert text.exit_code == 1
    assert "Violation: work:soundtrack schema:numberOfEpisodes" in text.stdout.splitlines()
    assert text.stdout.splitlines()[-1] == "3 violations, 0 warnings, 0 infos: the graph does not conform."
    report = json.loads(run(*args, "-f", "json").stdout)
    assert report["conforms"] is False
    # the bad count, the new count's missing evidence, and the claim that lost its fact
    # JSON names terms by their full IRIs (prefixed names are for the text report)
    base, sh = "https://kgtool.example/", "http://www.w3.org/ns/shacl#"
    soundtrack, episodes = f"{base}id/work/soundtrack", "https://schema.org/numberOfEpisodes"
    assert [(r["focus"], r["path"], r["component"]) for r in report["results"]] == [
        (f"{base}id/article/et-soundtrack-canceled/claim/c005", "", sh + "SPARQLConstraintComponent"),
        (soundtrack, episodes, sh + "MinInclusiveConstraintComponent"),
        (soundtrack, episodes, sh + "SPARQLConstraintComponent")]
    golden = rdflib.Graph().parse(ROOT / "tests" / "golden" / "negative-episodes-report.ttl")
    for engine in ("sparql", "pyshacl"):  # the W3C report graph, blank-node shapes described
        turtle = run(*args, "-f", "turtle", "--engine", engine).stdout
        assert isomorphic(rdflib.Graph().parse(data=turtle, format="turtle"), golden), engine


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_export_round_trips_and_is_byte_identical(run, tmp_path, fmt, store):
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    assert run("export", "-f", fmt, "-o", str(first)).exit_code == 0
    assert run("export", "-f", fmt, "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    parsed = rdflib.Dataset()
    parsed.parse(first, format=RDF_FORMATS[fmt].rdflib.replace("pretty-xml", "xml"))
    assert isomorphic(_union(parsed), store.to_rdflib_graph())
    if RDF_FORMATS[fmt].datasets:
        names = {str(g.identifier) for g in parsed.graphs() if len(g) and str(g.identifier).startswith("https://")}
        assert names == set(store.named_graphs())


def test_there_are_six_export_formats_and_six_result_formats():
    assert len(RDF_FORMATS) == 6 and len(RESULT_FORMATS) == 6


def _union(dataset):
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def test_turtle_export_groups_by_subject_and_declares_prefixes(run):
    text = run("export").stdout
    assert text.startswith("@prefix ")
    assert "@prefix person: <https://kgtool.example/id/person/> ." in text
    assert text.count("\nperson:jenna-dewan ") == 1


def test_turtle_with_blank_nodes_is_still_the_same_bytes_each_time(run, tmp_path):
    source = tmp_path / "blank.ttl"
    source.write_text('<https://kgtool.example/id/work/x> <https://schema.org/actor> [ <https://schema.org/characterName> "A" ] ,'
                      ' [ <https://schema.org/characterName> "B" ] .\n', encoding="utf-8")
    first, second = run("export", "-g", str(source)).stdout, run("export", "-g", str(source)).stdout
    assert first == second
    assert isomorphic(rdflib.Graph().parse(data=first, format="turtle"), rdflib.Graph().parse(source))


def test_jsonld_uses_the_shipped_context_inline(run):
    data = json.loads(run("export", "-f", "jsonld").stdout)
    assert isinstance(data["@context"], dict)
    assert data["@context"]["schema"] == "https://schema.org/"


def test_stats_counts(run):
    # the Soundtrack article read alone: its own counts
    data = json.loads(run("stats", *soundtrack_only(), "-f", "json").stdout)  # JSON names terms by full IRI
    assert data["classes"]["https://schema.org/Person"] == 6
    assert data["classes"]["https://kgtool.example/ns#Claim"] == 105  # 103 facts, two of them stated twice
    assert data["graphs"][SOUNDTRACK_GRAPH] > 800


def test_stats_counts_every_article_graph(run, store):
    data = json.loads(run("stats", "-f", "json").stdout)
    assert sorted(g for g in data["graphs"] if g.startswith("https://")) == store.named_graphs()
    claims = store.select("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kg:Claim }")[0]["n"].value
    assert data["classes"]["https://kgtool.example/ns#Claim"] == int(claims)


def test_describe_by_label_shows_evidence(run):
    result = run("describe", "L.A.")
    assert result.stdout.splitlines()[0] == "Los Angeles (place:los-angeles)"
    assert "      evidence: article:et-soundtrack-canceled sentence 9: A New York native" in result.stdout
    data = json.loads(run("describe", "person:jenna-dewan", "-f", "json").stdout)
    working = [f for f in data["outgoing"] if f["predicate"] == "https://kgtool.example/ns#workingOn"]
    assert working[0]["evidence"][0]["hedge"] == "is busy working on the upcoming"


# --- bad input: one line, exit 2, nothing written ------------------------------------------

def error_of(result):
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    return result.stderr.rstrip("\n")


def test_malformed_turtle(run, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix : <http://x/> .\n:a :b :c ;\n  :d "x .\n')
    assert error_of(run("stats", "-g", str(bad))) == (
        f"kgtool: error: {bad}:3:6: malformed Turtle: Unexpected end of file; fix the file at that position")


def test_malformed_sparql(run):
    assert error_of(run("query", "-e", "SELECT ?x WHERE { ?x a }")) == (
        "kgtool: error: -e:1:25: malformed SPARQL: expected one of FILTER, SELECT, VALUES; fix the query at that position")


def test_malformed_shapes(run, tmp_path):
    bad = tmp_path / "shapes.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:NodeShape ;\n sh:targetClass <urn:C ;\n")
    assert error_of(run("validate", "-s", str(bad))) == (
        f"kgtool: error: {bad}:3:17: malformed Turtle: Unexpected end of file; fix the file at that position")


def test_invalid_shacl(run, tmp_path):
    bad = tmp_path / "shapes.ttl"
    bad.write_text('@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n'
                   ' sh:property [ sh:path <urn:p> ; sh:minCount "many" ] .\n')
    assert error_of(run("validate", "-s", str(bad))) == (
        f"kgtool: error: {bad}: the shapes are not valid SHACL: the property shape on <urn:p> of shape <urn:s>: "
        'sh:minCount "many" is not an xsd:integer; write a whole number without quotes, e.g. sh:minCount 1 '
        "(SHACL 1.0, https://www.w3.org/TR/shacl/, Appendix C)")


@pytest.mark.parametrize("args,line", [
    (("query", "nope"), "unknown query 'nope'; run 'kgtool query --list' to see the named queries"),
    (("query", "04", "-p", "foo=bar"), "query '04-who-played' has no parameter 'foo'; it takes: character"),
    (("query", "04", "-p", "broken"), "--param 'broken' is not NAME=VALUE; write --param person=person:jenna-dewan"),
    (("query", "04", "-p", "character=Nobody Here", *soundtrack_only()),  # no label near it in this article
     "--param character: no entity labelled 'Nobody Here' in the graph; give an IRI, a prefixed name or an exact label"),
    (("query", "01", "-f", "turtle"), "a SELECT or ASK query returns results, not 'turtle'; use --format table|csv|tsv|json|xml|markdown"),
    (("query", "-e", "SELECT ?x WHERE { ?x ?p ?o }", "-p", "y=1"),
     "-e: parameter ?y is not in the SELECT clause; add ?y to the SELECT clause (parameters are bound by SPARQL substitution, SEP-0007)"),
    (("stats", "-g", "/no/such/file.ttl"), "/no/such/file.ttl: no such file or folder; check the path"),
    (("describe", "Pennies From Heaven"),
     "no entity labelled 'Pennies From Heaven' in the graph; did you mean 'Pennies From Heaven (1978 miniseries)', "
     "'Pennies From Heaven (1981 film)', 'Soundtrack inspired by Pennies From Heaven (1978 miniseries)'?"),
])
def test_bad_input_gets_one_line(run, args, line):
    assert error_of(run(*args)) == f"kgtool: error: {line}"


def test_ambiguous_label(run, tmp_path):
    twin = tmp_path / "twin.ttl"
    twin.write_text('<urn:x:other-martin> a <https://schema.org/Person> ; <http://www.w3.org/2000/01/rdf-schema#label> "Steve Martin" .\n')
    assert error_of(run("describe", "Steve Martin", "-g", str(GRAPH), "-g", str(twin))) == (
        "kgtool: error: 'Steve Martin' is ambiguous: person:steve-martin, <urn:x:other-martin>; give one of these IRIs instead")


def test_unwritable_output_leaves_nothing(run, tmp_path):
    target = tmp_path / "missing" / "out.ttl"
    assert error_of(run("export", "-o", str(target))) == (
        f"kgtool: error: {target}: cannot write: the folder does not exist; create the folder or choose another path")
    assert not target.parent.exists()


def test_a_failed_write_leaves_the_old_file_and_no_temp(run, tmp_path, monkeypatch):
    target = tmp_path / "graph.ttl"
    target.write_text("old")
    import kgtool.store.serialization as serialization

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(serialization, "serialize_store", explode)
    monkeypatch.setattr(serialization, "serialize_files", explode)  # --graph files stream with no store
    result = run("export", "-o", str(target))
    assert result.exit_code == 3
    assert result.stderr.startswith("kgtool: internal error: RuntimeError: disk on fire")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_help_imports_no_heavy_library():
    code = ("import sys; from kgtool.cli import cli\n"
            "try:\n    cli(['--help'], prog_name='kgtool')\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('rdflib', 'pyshacl', 'networkx', 'pyoxigraph') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "Commands:" in out
    assert out.splitlines()[-1] == "HEAVY []"


def test_help_lists_formats_from_the_registries(run):
    text = run("query", "--help").stdout
    for name in list(RESULT_FORMATS) + list(RDF_FORMATS):
        assert name in text


def test_help_file_is_what_click_prints_now():
    from kgtool.cli import render_help
    from kgtool.launcher import HELP_FILE

    assert Path(HELP_FILE).read_text(encoding="utf-8") == render_help(), (
        "regenerate: python -c \"from kgtool.cli import render_help; "
        "open('kgtool/help.txt', 'w').write(render_help())\"")


def test_console_help_answers_without_click_and_as_click_would(tmp_path):
    code = ("import sys; from kgtool.launcher import main; sys.argv = ['kgtool', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('CLICK', 'click' in sys.modules)")
    env = {**os.environ, "COLUMNS": "120"}
    fast = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert fast.splitlines()[-1] == "CLICK False"
    slow = subprocess.run([sys.executable, "-m", "kgtool", "--help"], capture_output=True, text=True, check=True,
                          env=env).stdout
    assert fast[: fast.rindex("CLICK")] == slow
    narrow = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "COLUMNS": "60"}).stdout
    assert narrow.splitlines()[-1] == "CLICK True"  # narrow terminals get click's own wrapping
