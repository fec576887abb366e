"""A load is all or nothing, for readers and whatever stops it; it costs what it adds; one
writer at a time; what a killed load leaves is cleaned up; stats counts the merge."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import DATA, GRAPH
from kgtool.store import open_store
from kgtool.store.persistence import load_into, remove_graphs

KGTOOL = [sys.executable, "-m", "kgtool"]
T = "<urn:x:shared> <urn:x:says> <urn:x:both> ."


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A file that takes a few seconds to load: time to stop a load in the middle."""
    from click.testing import CliRunner

    from kgtool.cli import cli

    path = tmp_path_factory.mktemp("big") / "big.nq"
    result = CliRunner().invoke(cli, ["generate", "-n", "300000", "-s", "5", "--no-ontology", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def everything(directory: Path) -> set[str]:
    """Every quad the store holds, its merged default graph included."""
    return {str(q) for q in ox.Store.read_only(str(directory))}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def started(*args: str) -> subprocess.Popen:
    """A real kgtool load, returned once its first progress line is out (the write has begun)."""
    process = subprocess.Popen([*KGTOOL, *args], stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    assert line.startswith("loading "), line
    return process


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_a_stopped_add_leaves_the_store_as_it_was(run, tmp_path, big, stop):
    directory = tmp_path / "s.store"
    assert run("load", str(GRAPH), "--store", str(directory)).exit_code == 0
    before = everything(directory)
    process = started("load", str(DATA / "second-article.trig"), str(big), "--store", str(directory))
    process.send_signal(stop)
    rest = process.stderr.read()
    assert process.wait(timeout=30) == (-9 if stop == signal.SIGKILL else 130)
    assert everything(directory) == before  # the first file is not in either: one swap or nothing
    if stop != signal.SIGKILL:
        assert rest.splitlines()[-1] == f"kgtool: interrupted: {directory}: stopped; the store is as it was"
        assert hidden(tmp_path) == []
        return
    assert hidden(tmp_path) == [f".s.store.loading-{process.pid}", ".s.store.lock"]  # a kill leaves them ...
    again = run("load", str(DATA / "second-article.trig"), "--store", str(directory))
    assert again.exit_code == 0
    assert any(line.startswith(f"kgtool: note: removed {tmp_path}/.s.store.loading-{process.pid}, ")
               for line in again.stderr.splitlines())  # ... for the next load to remove, and say so
    assert hidden(tmp_path) == []
    assert everything(directory) > before


def test_a_stopped_new_store_leaves_nothing(tmp_path, big):
    process = started("load", str(big), "--store", str(tmp_path / "new.store"))
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 130
    assert process.stderr.read().splitlines()[-1] == f"kgtool: interrupted: {tmp_path / 'new.store'}: stopped; no store was made"
    assert list(tmp_path.iterdir()) == []


def test_a_second_writer_is_refused_before_it_starts(run, tmp_path, big):
    directory = tmp_path / "new.store"
    first = started("load", str(big), "--store", str(directory))
    try:
        second = subprocess.run([*KGTOOL, "load", str(GRAPH), "--store", str(directory)], capture_output=True, text=True)
        assert second.returncode == 2
        assert second.stderr == (f"kgtool: error: {directory}: the store is in use by another kgtool (pid {first.pid}); "
                                 "wait for it to finish, or load into another store\n")
    finally:
        first.send_signal(signal.SIGINT)
        first.wait(timeout=30)


def test_a_reader_keeps_its_snapshot_and_a_new_reader_sees_the_whole_add(run, tmp_path):
    directory = tmp_path / "s.store"
    assert run("load", str(GRAPH), "--store", str(directory)).exit_code == 0
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    reader = open_store(directory)
    before = reader.select(count)[0]["n"].value
    assert run("load", str(DATA / "second-article.trig"), "--store", str(directory)).exit_code == 0
    assert reader.select(count)[0]["n"].value == before
    assert int(open_store(directory).select(count)[0]["n"].value) > int(before)


def write(path: Path, text: str) -> Path:
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_an_add_copies_only_what_it_adds_and_a_removal_keeps_what_another_article_states(run, tmp_path):
    a = write(tmp_path / "a.trig", f"<urn:g:a> {{ {T} <urn:x:only> <urn:x:in> <urn:x:a> . }}")
    b = write(tmp_path / "b.trig", f"<urn:g:b> {{ {T} }}")
    directory = tmp_path / "s.store"
    load_into(directory, [a])
    load_into(directory, [b])
    store = open_store(directory)
    assert store.named_graphs() == ["urn:g:a", "urn:g:b"]
    assert store.query(f"ASK {{ {T} }}") and store.query("ASK { <urn:x:only> <urn:x:in> <urn:x:a> }")
    summary = remove_graphs(directory, ["urn:g:a"])
    assert summary.removed == 1
    store = open_store(directory)
    assert store.named_graphs() == ["urn:g:b"]
    assert store.query(f"ASK {{ {T} }}")  # b states it too
    assert not store.query("ASK { <urn:x:only> <urn:x:in> <urn:x:a> }")
    result = run("load", "--remove", "urn:g:b", "--store", str(directory))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"kgtool: added to {directory}: removed 1 graph, 0 statements from 0 files in ")
    assert {str(q) for q in open_store(directory).quads()} == set()


def test_removing_a_graph_the_store_lacks_is_one_line(run, tmp_path):
    directory = tmp_path / "s.store"
    assert run("load", str(GRAPH), "--store", str(directory)).exit_code == 0
    result = run("load", "--remove", "urn:g:none", "--store", str(directory))
    assert result.exit_code == 2
    assert result.stderr == (f"kgtool: error: {directory}: the store holds no graph <urn:g:none>; "
                             f"list its graphs with: kgtool stats --store {directory}\n")


def test_a_bad_file_after_a_big_one_creates_no_store(run, tmp_path):
    """The race: RocksDB still open (the backend alive in the traceback) while its folder was removed."""
    data = tmp_path / "mid.trig"
    assert run("generate", "-n", "20000", "-o", str(data)).exit_code == 0
    bad = write(tmp_path / "bad.ttl", "@prefix ex: <urn:ex#> .\nex:a ex:b ex:c")
    result = subprocess.run([*KGTOOL, "load", str(data), str(GRAPH), str(bad), "--store", str(tmp_path / "new.store")],
                            capture_output=True, text=True)  # a process of its own, as the user runs it
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith(f"kgtool: error: {bad}:3:1: malformed Turtle")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl", "mid.trig"]


def test_a_store_in_a_missing_folder_is_one_line(run, tmp_path):
    result = run("load", str(GRAPH), "--store", str(tmp_path / "nodir" / "sub" / "x.store"))
    assert result.exit_code == 2
    assert result.stderr == (f"kgtool: error: {tmp_path}/nodir/sub/x.store: cannot create the store: the folder "
                             f"{tmp_path}/nodir/sub does not exist; create it first (mkdir -p {tmp_path}/nodir/sub) "
                             "or name another place\n")


def test_load_reads_stdin_in_the_format_given(run, tmp_path):
    text = (DATA / "second-article.trig").read_text(encoding="utf-8")
    directory = tmp_path / "s.store"
    result = run("load", "-", "--store", str(directory), "--format", "trig", input=text)
    assert result.exit_code == 0, result.stderr
    assert open_store(directory).named_graphs() == open_store_of_file(tmp_path, DATA / "second-article.trig")
    assert run("load", "-", "--store", str(directory), input=text).stderr.startswith(
        "kgtool: error: -: stdin has no file name to tell its format; give --format")


def open_store_of_file(tmp_path: Path, path: Path) -> list[str]:
    load_into(tmp_path / "file.store", [path])
    return open_store(tmp_path / "file.store").named_graphs()


@pytest.mark.parametrize("existing", [False, True])
def test_an_unreadable_file_is_one_line(run, tmp_path, monkeypatch, existing):
    """Root reads any file whatever its mode, so the check is made to answer as for another user."""
    import kgtool.store.files as files

    directory = tmp_path / "s.store"
    if existing:
        assert run("load", str(GRAPH), "--store", str(directory)).exit_code == 0
    secret = write(tmp_path / "secret.nt", T)
    real = os.access
    monkeypatch.setattr(files.os, "access", lambda path, mode: Path(path) != secret and real(path, mode))
    result = run("load", str(secret), "--store", str(directory))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kgtool: error: cannot read {secret}: permission denied; ")
    assert directory.exists() == existing


def test_progress_counts_statements_in_every_format_and_shows_indexing(run, tmp_path):
    result = run("load", str(DATA / "second-article.trig"), "--store", str(tmp_path / "s.store"))
    lines = result.stderr.splitlines()
    statements = len(list(ox.parse(path=str(DATA / "second-article.trig"))))
    assert lines[0].startswith("loading second-article.trig [########################] 100% ")
    assert f" {statements:,} statements " in lines[0]
    assert lines[1].startswith(f"indexing {statements:,} statements (read in ")
    assert lines[-1].startswith(f"kgtool: created {tmp_path / 's.store'}: {statements:,} statements from 1 file")


def test_stats_counts_the_merge_and_names_terms_by_full_iri(run, tmp_path):
    a = write(tmp_path / "a.trig", f"<urn:g:a> {{ {T} <urn:x:only> <urn:x:in> <urn:x:a> . }}")
    b = write(tmp_path / "b.trig", f"<urn:g:b> {{ {T} }}")
    c = write(tmp_path / "c.nt", "<urn:x:d> <urn:x:in> <urn:x:default> .")
    directory = tmp_path / "s.store"
    load_into(directory, [a, b, c])
    for where in (("--store", str(directory)), ("-g", str(a), "-g", str(b), "-g", str(c))):
        data = json.loads(run("stats", "-f", "json", *where).stdout)
        assert data["triples"] == 3 == int(open_store(directory).select(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value)
        assert data["graphs"] == {"(default graph)": 1, "urn:g:a": 2, "urn:g:b": 1}
        assert data["properties"] == {"urn:x:in": 2, "urn:x:says": 1}


def full_disk(folder: Path) -> None:
    folder.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a small tmpfs for a full disk needs root and mount(8)")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root): " + mounted.stderr.decode().strip())


@pytest.mark.parametrize("existing", [False, True])
def test_a_full_disk_leaves_the_store_as_it_was(run, tmp_path, big, existing):
    disk = tmp_path / "disk"
    full_disk(disk)
    try:
        directory = disk / "s.store"
        if existing:
            assert run("load", str(DATA / "second-article.trig"), "--store", str(directory), "-q").exit_code == 0
            before = everything(directory)
        result = run("load", str(big), "--store", str(directory), "-q")
        assert result.exit_code == 2
        assert result.stderr == (f"kgtool: error: cannot write {directory}: no space left on the device; "
                                 "free some space, or write somewhere else\n")
        assert [p.name for p in disk.iterdir()] == (["s.store"] if existing else [])
        if existing:
            assert everything(directory) == before
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_orphaned_bulk_files_are_removed_and_said(run, tmp_path):
    directory = tmp_path / "s.store"
    assert run("load", str(GRAPH), "--store", str(directory)).exit_code == 0
    (directory / "bulk-1234567890.sst").write_bytes(b"x" * 1000)  # what a killed bulk_load of kgtool 0.x left
    result = run("load", str(DATA / "second-article.trig"), "--store", str(directory), "-q")
    assert result.stderr.splitlines()[0] == (f"kgtool: note: removed 1 orphaned bulk-*.sst file (0.0 MB) from {directory}, "
                                             "left by a load that was stopped")
    assert not list(directory.glob("bulk-*"))


def test_a_store_another_program_writes_is_refused(run, tmp_path):
    directory = tmp_path / "s.store"
    assert run("load", str(GRAPH), "--store", str(directory)).exit_code == 0
    holder = subprocess.Popen([sys.executable, "-c", "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
                               "print('open', flush=True); sys.stdin.read()", str(directory)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "open\n"
        result = run("load", str(DATA / "second-article.trig"), "--store", str(directory))
        assert result.exit_code == 2
        assert result.stderr == (f"kgtool: error: {directory}: the store is in use by another program "
                                 f"(pid {holder.pid}); wait for it to finish, or load into another store\n")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
