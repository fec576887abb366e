"""`validate --store DIR` gives the report `validate --graph FILES` gives, byte for byte.

A store on disk answers the SHACL engine's queries from RocksDB, where the in-memory
path answers them from pyoxigraph's memory store: the two must agree on every result,
in every report format, with named graphs (the store's merge) and with violations.
bench/scale.py times the two (`validate --store vs --graph`)."""

from __future__ import annotations

import json

import pytest

from conftest import GRAPH

VIOLATIONS = 8


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Generated articles (named graphs) with known violations, as a file and as a store."""
    from click.testing import CliRunner

    from kgtool.cli import cli

    folder = tmp_path_factory.mktemp("store-validate")
    data, manifest, directory = folder / "news.nq", folder / "injected.json", folder / "news.store"
    runner = CliRunner()
    made = runner.invoke(cli, ["generate", "-n", "5000", "--violations", str(VIOLATIONS), "--manifest", str(manifest),
                               "-o", str(data)])
    assert made.exit_code == 0, made.output
    loaded = runner.invoke(cli, ["load", str(data), "--store", str(directory)])
    assert loaded.exit_code == 0, loaded.output
    return data, directory, json.loads(manifest.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["text", "json", "turtle"])
def test_a_store_and_its_file_give_the_same_report(run, generated, fmt):
    data, directory, _ = generated
    from_files = run("validate", "-f", fmt, "--graph", str(data))
    from_store = run("validate", "-f", fmt, "--store", str(directory))
    assert from_files.exit_code == from_store.exit_code == 1  # the injected violations
    assert from_store.stdout == from_files.stdout
    assert from_store.stderr == from_files.stderr == ""


def test_the_store_report_holds_every_injected_violation(run, generated):
    _, directory, injected = generated
    report = json.loads(run("validate", "-f", "json", "--store", str(directory)).stdout)
    found = {(r["focus"], r["path"], r["component"]) for r in report["results"]}
    assert len(injected) == VIOLATIONS
    assert {(i["focus"], i["path"], i["component"]) for i in injected} <= found


UNDOCUMENTED = """@prefix kg: <https://kgtool.example/ns#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:undocumented a rdf:Property ; rdfs:label "undocumented" ; rdfs:range rdfs:Literal .
"""


def test_an_undocumented_term_is_found_once_in_a_store_and_in_files(run, tmp_path):
    """The vocabulary shape's target takes each subject once (GROUP BY, so that a store on disk
    decodes each IRI once, not once per triple): a kg: term stated three times is still one
    focus node, reported once per missing note, from the store as from the files."""
    extra = tmp_path / "undocumented.ttl"
    extra.write_text(UNDOCUMENTED, encoding="utf-8")
    directory = tmp_path / "one.store"
    assert run("load", str(GRAPH), str(extra), "--store", str(directory)).exit_code == 0
    from_files = run("validate", "-f", "json", "-g", str(GRAPH), "-g", str(extra))
    from_store = run("validate", "-f", "json", "--store", str(directory))
    assert from_files.exit_code == from_store.exit_code == 1
    assert from_store.stdout == from_files.stdout
    results = json.loads(from_store.stdout)["results"]
    assert sorted((r["focus"], r["path"]) for r in results) == [
        ("https://kgtool.example/ns#undocumented", "http://www.w3.org/2000/01/rdf-schema#comment"),
        ("https://kgtool.example/ns#undocumented", "http://www.w3.org/2004/02/skos/core#editorialNote"),
    ]
