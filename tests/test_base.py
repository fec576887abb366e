"""Base IRIs: every RDF file kgtool reads is parsed with its own URI as base, as rdflib does.

So `<>` and relative IRIs (`<#x>`, `<a>`) resolve, as in every W3C SHACL test file; stdin
reads as a file in the current folder would; `--base IRI` overrides it for every file a
command reads, and a bad one is one line, exit 2.
"""

from __future__ import annotations

import json

import pytest

from conftest import ROOT

W3C = ROOT.parent / "shared" / "w3c-shacl-tests" / "core" / "node" / "class-001.ttl"
MF_MANIFEST = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#Manifest"
THE_MANIFEST = f"SELECT ?m WHERE {{ ?m a <{MF_MANIFEST}> }}"
BAD_BASE = ("kgtool: error: --base: not an absolute IRI: 'tests/' (No scheme found in an absolute IRI); "
            "give an absolute IRI, such as http://example.org/data/\n")
RELATIVE = "<> <http://example.org/p> <a>, <#b> .\n"


def _subjects_and_objects(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["results"]["bindings"]
    return sorted(value["value"] for row in rows for value in row.values())


def _spo(run, *args: str, input: str | None = None) -> list[str]:
    return _subjects_and_objects(run("query", "-e", "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }",
                                     "-f", "json", *args, input=input))


def test_a_w3c_test_file_validates_through_the_cli(run):
    """Before: 'No scheme found in an absolute IRI' for the file's `<>`, exit 2."""
    result = run("validate", "-g", str(W3C), "-s", str(W3C), "--no-ontology", "-f", "json")
    assert (result.exit_code, result.stderr) == (1, "")
    ex = "http://datashapes.org/sh/tests/core/node/class-001.test#"
    assert sorted(r["focus"] for r in json.loads(result.stdout)["results"]) == [ex + "Quokki", ex + "Typeless"]


def test_the_files_own_uri_is_its_base(run):
    result = run("query", "-g", str(W3C), "-e", THE_MANIFEST, "-f", "json")
    assert _subjects_and_objects(result) == [W3C.resolve().as_uri()]


def test_base_changes_the_iris(run):
    result = run("query", "-g", str(W3C), "--base", "http://example.org/suite/class-001.ttl",
                 "-e", THE_MANIFEST, "-f", "json")
    assert _subjects_and_objects(result) == ["http://example.org/suite/class-001.ttl"]


def test_relative_iris_resolve_against_the_file_or_base(run, tmp_path):
    data = tmp_path / "d.ttl"
    data.write_text(RELATIVE, encoding="utf-8")
    here = data.resolve().as_uri()
    assert _spo(run, "-g", str(data)) == sorted([here, here, tmp_path.resolve().as_uri() + "/a", here + "#b"])
    assert _spo(run, "-g", str(data), "--base", "http://example.org/x/y") == sorted(
        ["http://example.org/x/y"] * 2 + ["http://example.org/x/a", "http://example.org/x/y#b"])


def test_stdin_reads_as_a_file_in_the_current_folder(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path.resolve().as_uri() + "/"
    found = _spo(run, "-g", "-", "--graph-format", "turtle", input=RELATIVE)
    assert found == sorted([folder, folder, folder + "a", folder + "#b"])
    found = _spo(run, "-g", "-", "--graph-format", "turtle", "--base", "urn:x:y", input=RELATIVE)
    assert found == sorted(["urn:x:y", "urn:x:y", "urn:a", "urn:x:y#b"])  # RFC 3986: no "/" in the path


@pytest.mark.parametrize("name,text", [
    ("d.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:p="http://example.org/">'
              '<rdf:Description rdf:about=""><p:p rdf:resource="a"/></rdf:Description></rdf:RDF>'),
    ("d.jsonld", '{"@id": "", "http://example.org/p": {"@id": "a"}}'),
    ("d.trig", "<> <http://example.org/p> <a> ."),
])
def test_every_format_gets_the_base(run, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert _spo(run, "-g", str(path)) == sorted([path.resolve().as_uri(), tmp_path.resolve().as_uri() + "/a"])
    assert _spo(run, "-g", str(path), "--base", "http://example.org/b/") == [
        "http://example.org/b/", "http://example.org/b/a"]


def test_load_gives_the_store_the_files_iris(run, tmp_path):
    data = tmp_path / "d.ttl"
    data.write_text(RELATIVE, encoding="utf-8")
    store, based = tmp_path / "s.store", tmp_path / "b.store"
    assert run("load", str(data), "--store", str(store), "-q").exit_code == 0
    assert run("load", str(data), "--store", str(based), "-q", "--base", "http://example.org/z").exit_code == 0
    here = data.resolve().as_uri()
    assert _spo(run, "--store", str(store)) == sorted([here, here, tmp_path.resolve().as_uri() + "/a", here + "#b"])
    assert _spo(run, "--store", str(based)) == sorted(
        ["http://example.org/z"] * 2 + ["http://example.org/a", "http://example.org/z#b"])


def test_shapes_and_changed_files_get_the_base(run, tmp_path):
    """Shapes that target `<a>` and a change file that states `<a>`: one base for both."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "<#S> a sh:NodeShape ; sh:targetNode <a> ; sh:property [ sh:path <q> ; sh:minCount 1 ] .\n",
                      encoding="utf-8")
    data, change = tmp_path / "d.ttl", tmp_path / "change.ttl"
    data.write_text("<a> <p> <b> .\n", encoding="utf-8")
    change.write_text("<a> <p> <c> .\n", encoding="utf-8")
    args = ("validate", "-g", str(data), "-s", str(shapes), "--no-ontology", "-f", "json")
    for extra in ((), ("--changed", str(change)), ("--base", "http://example.org/"),
                  ("--changed", str(change), "--base", "http://example.org/")):
        result = run(*args, *extra)
        assert result.exit_code == 1, (extra, result.stderr)
        focus = [r["focus"] for r in json.loads(result.stdout)["results"]]
        base = "http://example.org/" if "--base" in extra else tmp_path.resolve().as_uri() + "/"
        assert focus == [base + "a"]


@pytest.mark.parametrize("command", [
    ("query", "-e", "ASK {}"), ("validate",), ("export", "-f", "ntriples"), ("stats",), ("load", "x.ttl", "--store", "s"),
])
def test_a_bad_base_is_one_line_exit_2(run, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = run(*command, "--base", "tests/")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", BAD_BASE)
    assert list(tmp_path.iterdir()) == []  # nothing written, no store made


def test_a_base_with_a_space_says_which_character(run):
    result = run("query", "-e", "ASK {}", "--base", "http://exa mple.org/")
    assert (result.exit_code, result.stderr) == (
        2, "kgtool: error: --base: not an absolute IRI: 'http://exa mple.org/' (Invalid IRI code point ' '); "
           "give an absolute IRI, such as http://example.org/data/\n")
