"""Stores on disk: `kgtool load` and `--store` give the same answers as files, and load all or nothing."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import DATA, GRAPH, QUERIES
from kgtool.store import Store, open_store, load

NAMED = sorted(p.stem for p in QUERIES.glob("*.rq"))


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory):
    """A store on disk and the same files, holding the bundled article and the fixture article."""
    from click.testing import CliRunner

    from kgtool.cli import cli

    directory = tmp_path_factory.mktemp("stores") / "two.store"
    result = CliRunner().invoke(cli, ["load", str(GRAPH), str(DATA / "second-article.trig"), "--store", str(directory)])
    assert result.exit_code == 0, result.output
    return directory, ("-g", str(GRAPH), "-g", str(DATA / "second-article.trig"))


def rows(text: str) -> list[list[str]]:
    return sorted(csv.reader(io.StringIO(text)))


def test_every_named_query_answers_the_same_from_a_store_and_from_files(run, two_articles):
    directory, files = two_articles
    assert len(NAMED) >= 25 and "25-lineage" in NAMED  # the 24 questions and 25, then the model's own
    for name in NAMED:
        fmt = "ntriples" if name == "25-lineage" else "csv"  # 25 is a CONSTRUCT
        from_files = run("query", name, "-f", fmt, *files)
        from_store = run("query", name, "-f", fmt, "--store", str(directory))
        assert from_store.exit_code == from_files.exit_code == 0, name
        # The Soundtrack article answers the 24 questions and 25; the later ones may need other articles.
        assert from_files.stdout.count("\n") > 1 or int(name[:2]) > 25, name
        assert rows(from_store.stdout) == rows(from_files.stdout), name
    people = rows(run("query", "22", "-f", "csv", "--store", str(directory)).stdout)
    assert any(row[:2] == ["https://kgtool.example/id/person/jenna-dewan", "Jenna Dewan"] for row in people)


@pytest.mark.parametrize("args", [
    ("stats",), ("describe", "Jenna Dewan"), ("export", "-f", "nquads"), ("export",), ("export", "-f", "ntriples"),
    ("validate", "-f", "json"),
    ("viz", "-f", "json"), ("path", "Jenna Dewan", "Steve Martin"),
])
def test_other_commands_answer_the_same_from_a_store(run, two_articles, args):
    directory, files = two_articles
    from_files, from_store = run(*args, *files), run(*args, "--store", str(directory))
    assert from_store.exit_code == from_files.exit_code
    assert from_store.stdout == from_files.stdout


def test_the_store_holds_exactly_the_files_quads(two_articles):
    directory, _ = two_articles
    on_disk = open_store(directory)
    in_memory = load([GRAPH, DATA / "second-article.trig"])
    assert {str(q) for q in on_disk.quads()} == {str(q) for q in in_memory.quads()}
    assert on_disk.named_graphs() == in_memory.named_graphs()


def test_a_bad_file_leaves_an_existing_store_as_it_was(run, tmp_path):
    directory = tmp_path / "s.store"
    assert run("load", str(GRAPH), "--store", str(directory)).exit_code == 0
    before = {str(q) for q in open_store(directory).quads()}
    bad = tmp_path / "bad.nt"
    bad.write_text('<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n', encoding="utf-8")
    result = run("load", str(DATA / "second-article.trig"), str(bad), "--store", str(directory))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"kgtool: error: {bad}:2:17: malformed N-Triples: The object of a triple must be an IRI, a blank node "
        "or a literal; fix the file at that position; the store is unchanged")
    assert {str(q) for q in open_store(directory).quads()} == before


def test_a_bad_file_creates_no_store(run, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <urn:ex#> .\nex:a ex:b ex:c\n", encoding="utf-8")
    result = run("load", str(GRAPH), str(bad), "--store", str(tmp_path / "new.store"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith(f"kgtool: error: {bad}:3:1: malformed Turtle")
    assert [p.name for p in tmp_path.iterdir()] == ["bad.ttl"]


def test_load_reports_progress_and_a_closing_line(run, tmp_path):
    data = tmp_path / "g.nt"
    assert run("generate", "-n", "3000", "-o", str(data)).exit_code == 0
    result = run("load", str(data), "--store", str(tmp_path / "g.store"))
    lines = result.stderr.splitlines()
    assert lines[0].startswith("loading g.nt [########################] 100% ")
    assert " statements " in lines[0] and "/s ETA" in lines[0]
    statements = sum(1 for _ in data.open())
    assert lines[-1].startswith(f"kgtool: created {tmp_path / 'g.store'}: {statements:,} statements from 1 file in ")


def test_load_compact_merges_the_index_files_and_answers_as_before(run, tmp_path):
    """--compact: pyoxigraph's bulk loader leaves overlapping index files per batch of a
    million statements; the store is compacted once after the write, new or added to."""
    data = tmp_path / "g.nt"
    assert run("generate", "-n", "3000", "-o", str(data)).exit_code == 0
    plain = run("load", str(data), "--store", str(tmp_path / "plain.store"))
    assert plain.exit_code == 0 and "compacting" not in plain.stderr
    statements = sum(1 for _ in data.open())
    compacted = run("load", str(data), "--store", str(tmp_path / "compacted.store"), "--compact")
    assert f"compacting the store's index files ({statements:,} statements loaded)" in compacted.stderr
    added = run("load", str(GRAPH / "articles"), "--store", str(tmp_path / "compacted.store"), "--compact")
    assert added.exit_code == 0 and "compacting the store's" in added.stderr
    run("load", str(GRAPH / "articles"), "--store", str(tmp_path / "plain.store"))
    assert set(open_store(tmp_path / "compacted.store").backend) == set(open_store(tmp_path / "plain.store").backend)
    for name in NAMED:
        fmt = "ntriples" if name == "25-lineage" else "csv"
        answers = [run("query", name, "-f", fmt, "--store", str(tmp_path / s)) for s in ("plain.store", "compacted.store")]
        assert answers[0].exit_code == 0 and rows(answers[0].stdout) == rows(answers[1].stdout), name


@pytest.mark.parametrize(("args", "line"), [
    (("query", "01", "--store", "{tmp}/none"),
     "{tmp}/none: not a kgtool store; create one with: kgtool load FILES --store {tmp}/none"),
    (("query", "01", "--store", "{tmp}/s", "-g", "graph"),
     "--store: give --graph or --store, not both; load the files into the store with kgtool load, or drop --store"),
    (("load", "{tmp}/plain", "--store", "{tmp}/plain"),
     "{tmp}/plain: exists and is not a kgtool store; name a new folder or an existing store"),
])
def test_store_errors_are_one_line(run, tmp_path, args, line):
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "x.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    result = run(*(a.format(tmp=tmp_path) for a in args))
    assert result.exit_code == 2
    assert result.stderr == f"kgtool: error: {line.format(tmp=tmp_path)}\n"


WRITE_IN_PLACE = """
import sys
import pyoxigraph as ox
store = ox.Store(sys.argv[1])  # as kgtool serve --allow-update writes: in place, left in RocksDB's log
store.add(ox.Quad(ox.NamedNode("https://kgtool.example/id/x"), ox.NamedNode("https://kgtool.example/ns#p"),
                  ox.Literal("written in place"), ox.NamedNode("https://kgtool.example/graph/in-place")))
"""


def test_an_add_keeps_what_was_written_to_the_store_in_place(run, tmp_path):
    import subprocess
    import sys

    directory = tmp_path / "s.store"
    assert run("load", str(GRAPH / "ontology.ttl"), "--store", str(directory)).exit_code == 0
    subprocess.run([sys.executable, "-c", WRITE_IN_PLACE, str(directory)], check=True)
    assert run("load", str(DATA / "second-article.trig"), "--store", str(directory)).exit_code == 0
    graphs = open_store(directory).named_graphs()
    assert "https://kgtool.example/graph/in-place" in graphs and len(graphs) > 1
