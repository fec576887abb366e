"""A store's snapshot (kgtool.store.snapshot): the statements its database holds, as N-Quads
beside it, which `validate --store` reads into memory. It must hold exactly what the database
holds after every load, add and removal, or not be there at all."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest

from conftest import GRAPH
from kgtool.store.snapshot import SNAPSHOT, forget, has_snapshot, read_snapshot

ARTICLE = """@prefix schema: <https://schema.org/> .
<https://kgtool.example/graph/snapshot-test> {
    <https://kgtool.example/id/work/snapshot-test> schema:name "Snapshot"^^<http://www.w3.org/2001/XMLSchema#string> ;
        schema:numberOfSeasons "02"^^<http://www.w3.org/2001/XMLSchema#integer> .
}
"""


def _database(directory) -> set:
    return set(ox.Store.read_only(str(directory)))


def _snapshot(directory) -> set:
    return set(read_snapshot(directory))


def _files(folder) -> dict:
    return {path.name: path.read_bytes() for path in folder.iterdir()}


@pytest.fixture
def store(run, tmp_path):
    directory = tmp_path / "news.store"
    result = run("load", str(GRAPH), "--store", str(directory))
    assert result.exit_code == 0, result.stderr
    return directory


def test_a_new_store_has_a_snapshot_of_exactly_its_statements(store):
    assert has_snapshot(store)
    assert _snapshot(store) == _database(store)
    assert any(not isinstance(q.graph_name, ox.DefaultGraph) for q in _database(store))  # named graphs and the merge


def test_an_add_writes_a_part_of_the_snapshot_and_it_still_holds_what_the_store_holds(run, store, tmp_path):
    article = tmp_path / "article.trig"
    article.write_text(ARTICLE, encoding="utf-8")
    before, parts = _snapshot(store), _files(store / SNAPSHOT)
    result = run("load", str(article), "--store", str(store))
    assert result.exit_code == 0, result.stderr
    after = _snapshot(store)
    assert after == _database(store)
    assert before < after
    grown = _files(store / SNAPSHOT)
    assert {name: grown[name] for name in parts if name.endswith(".nq")} == {
        name: data for name, data in parts.items() if name.endswith(".nq")}  # the old parts as they were
    assert len([name for name in grown if name.endswith(".nq")]) == len([n for n in parts if n.endswith(".nq")]) + 1
    written = ox.Literal("02", datatype=ox.NamedNode("urn:kgtool:as-written:http://www.w3.org/2001/XMLSchema#integer"))
    assert any(q.object == written for q in after)  # as the database holds it: the literal as written


def test_a_removal_drops_the_snapshot_and_validate_reads_the_database(run, store):
    graph = next(q.graph_name for q in _database(store) if not isinstance(q.graph_name, ox.DefaultGraph))
    before = run("validate", "-f", "json", "--store", str(store))
    assert run("load", "--store", str(store), "--remove", graph.value).exit_code == 0
    assert not has_snapshot(store)
    after = run("validate", "-f", "json", "--store", str(store))
    assert after.exit_code in (0, 1), after.stderr
    assert json.loads(after.stdout) != json.loads(before.stdout) or before.exit_code == 0


def test_a_failed_add_leaves_the_snapshot_as_it_was(run, store, tmp_path):
    bad = tmp_path / "bad.trig"
    bad.write_text(ARTICLE + "<https://kgtool.example/a> oops .\n", encoding="utf-8")
    before = _files(store / SNAPSHOT)
    assert run("load", str(bad), "--store", str(store)).exit_code == 2
    assert _files(store / SNAPSHOT) == before


def test_a_load_of_more_than_the_snapshot_holds_writes_none(run, tmp_path, monkeypatch):
    import kgtool.store.snapshot as snapshot

    monkeypatch.setattr(snapshot, "SNAPSHOT_MOST", 100)
    directory = tmp_path / "big.store"
    assert run("load", str(GRAPH), "--store", str(directory)).exit_code == 0
    assert not has_snapshot(directory)
    assert not (directory / SNAPSHOT).exists()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_validate_from_the_snapshot_reports_as_from_the_database(run, tmp_path, fmt):
    data, manifest, directory = tmp_path / "news.nq", tmp_path / "injected.json", tmp_path / "news.store"
    assert run("generate", "-n", "3000", "--violations", "5", "--manifest", str(manifest), "-o", str(data)).exit_code == 0
    assert run("load", str(data), "--store", str(directory)).exit_code == 0
    from_snapshot = run("validate", "-f", fmt, "--store", str(directory))
    without = tmp_path / "without.store"
    shutil.copytree(directory, without)
    forget(without)
    from_database = run("validate", "-f", fmt, "--store", str(without))
    assert from_snapshot.exit_code == from_database.exit_code == 1
    assert from_snapshot.stdout == from_database.stdout
    assert from_snapshot.stderr == from_database.stderr


def test_validate_reads_the_snapshot_not_the_database(tmp_path, run):
    """The whole check reads the snapshot (which is why it is fast): a snapshot made to differ
    from its database shows in the report; --changed, which reads little, asks the database."""
    from kgtool.store.persistence import open_store

    directory = tmp_path / "news.store"
    assert run("load", str(GRAPH), "--store", str(directory)).exit_code == 0
    for part in (directory / SNAPSHOT).glob("*.nq"):
        part.write_bytes(b"")
    assert len(open_store(directory, whole=True)) == 0
    assert len(open_store(directory)) > 0


def test_a_server_that_may_write_to_the_store_drops_its_snapshot(store):
    from kgtool.server.opening import open_data
    from kgtool.server.workers import Setup

    read_only = open_data(Setup(str(store), (), None, writable=False, max_rows=None))
    del read_only
    assert has_snapshot(store)
    writable = open_data(Setup(str(store), (), None, writable=True, max_rows=None))
    writable.update('INSERT DATA { <https://kgtool.example/a> <https://schema.org/name> "written in place" }')
    del writable
    assert not has_snapshot(store)


def _read_whole_from_memory(directory) -> bool:
    """Whether open_store(whole=True) gave the snapshot in memory (writable) or the database (read-only)."""
    from kgtool.store.persistence import open_store

    backend = open_store(directory, whole=True).backend
    quad = ox.Quad(ox.NamedNode("https://kgtool.example/probe"), ox.NamedNode("https://kgtool.example/p"), ox.Literal("x"))
    try:
        backend.add(quad)
        return True
    except (OSError, RuntimeError):  # pyoxigraph: a read-only store refuses writes
        return False


def test_a_whole_check_reads_the_snapshot_unless_the_store_has_many_statements_in_named_graphs(
        run, store, tmp_path, monkeypatch):
    from kgtool.store import snapshot

    assert _read_whole_from_memory(store)  # the bundled graph: few statements
    monkeypatch.setattr(snapshot, "NAMED_IN_MEMORY_MOST", 10)
    assert not _read_whole_from_memory(store)  # named graphs and more: the graph checks run faster on RocksDB
    flat = tmp_path / "flat.nt"
    assert run("generate", "-n", "500", "-f", "ntriples", "-o", str(flat)).exit_code == 0
    assert run("load", str(flat), "--store", str(tmp_path / "flat.store")).exit_code == 0
    assert _read_whole_from_memory(tmp_path / "flat.store")  # no named graph: memory, whatever the size
