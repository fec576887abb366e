"""kgtool export: the same graph gives the same bytes in every format, from files or a store,
whatever the blank-node labels, the statement order or the hash seed; blank-node trees and
long lists stay linear; RDF/XML refuses what XML cannot carry; Ctrl-C stops it."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import GRAPH, ROOT, descendants, wait_for
from kgtool.store.formats import RDF_FORMATS
from kgtool.worker import Child

FORMATS = list(RDF_FORMATS)
BLANK = """@prefix s: <https://schema.org/> .
@prefix w: <https://kgtool.example/id/work/> .
w:x s:actor [ s:characterName "A" ; s:alternateName [ s:name "deep" ] ] , [ s:characterName "A" ] ,
        [ s:characterName "B" ] ;
    s:keywords ( "one" "two" ( "three" ) [ s:name "four" ] ) .
w:y s:actor [ s:characterName "A" ] .
[] s:name "a root" ; s:about w:x .
[] s:name "a root" ; s:about w:x .
_:loop s:knows _:loop2 . _:loop2 s:knows _:loop ; s:name "cycle" .
_:shared s:name "shared" . w:x s:about _:shared . w:y s:about _:shared .
<https://kgtool.example/graph/g> {
    w:z s:actor [ s:characterName "In a named graph" ; s:knows [ s:name "nested" ] ] .
    _:loop s:name "a label that is in two graphs" .
}
"""
_SCRIPT = """
import sys
from kgtool.cli import cli
for fmt, source, out in (line.split("\\t") for line in sys.stdin.read().splitlines()):
    where = ["--store", source] if source.endswith(".store") else ["-g", source]
    try:
        cli(["export", "-f", fmt, *where, "-o", out], prog_name="kgtool", standalone_mode=False)
    except SystemExit:
        pass
"""


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """The bundled graph and a graph of blank nodes, each as files and as a store."""
    from click.testing import CliRunner
    from kgtool.cli import cli

    folder = tmp_path_factory.mktemp("export")
    blank = folder / "blank.trig"
    blank.write_text(BLANK, encoding="utf-8")
    found = {}
    for name, path in (("bundled", GRAPH), ("blank", blank)):
        store = folder / f"{name}.store"
        result = CliRunner().invoke(cli, ["load", str(path), "--store", str(store)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        found[name] = (path, store)
    return found


def _export_in_a_process(jobs: list[tuple[str, Path, Path]], seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    lines = "".join(f"{fmt}\t{source}\t{out}\n" for fmt, source, out in jobs)
    done = subprocess.run([sys.executable, "-c", _SCRIPT], input=lines, text=True, env=env,
                          capture_output=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr


def test_every_format_is_the_same_bytes_in_two_processes_and_from_files_or_a_store(sources, tmp_path):
    jobs = {seed: [(fmt, source, tmp_path / f"{seed}-{name}-{kind}.{fmt}")
                   for fmt in FORMATS for name, pair in sources.items() for kind, source in zip(("files", "store"), pair)]
            for seed in ("1", "2")}
    for seed, work in jobs.items():
        _export_in_a_process(work, seed)
    for (fmt, _, first), (_, _, second) in zip(jobs["1"], jobs["2"]):
        assert first.read_bytes() == second.read_bytes(), first.name
        assert first.stat().st_size > 100, first.name
    for fmt in FORMATS:
        for name in sources:
            from_files, from_store = (tmp_path / f"1-{name}-{kind}.{fmt}" for kind in ("files", "store"))
            assert from_files.read_bytes() == from_store.read_bytes(), (fmt, name)


def _shuffled_and_renamed(text: str, seed: int) -> str:
    """The same graph: statements in another order, blank nodes under other labels."""
    dataset = ox.Dataset(ox.parse(text.encode(), format=ox.RdfFormat.TRIG))
    rename = {}

    def term(t):
        if isinstance(t, ox.BlankNode):
            return rename.setdefault(t.value, ox.BlankNode(f"x{seed}n{len(rename)}"))
        return t

    quads = [ox.Quad(term(q.subject), q.predicate, term(q.object), q.graph_name) for q in dataset]
    random.Random(seed).shuffle(quads)
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_blank_nodes_get_the_same_labels_whatever_the_order_and_labels_of_the_input(run, tmp_path, fmt):
    outputs = set()
    for seed in (1, 2, 3):
        source = tmp_path / f"in-{seed}.nq"
        source.write_text(_shuffled_and_renamed(BLANK, seed), encoding="utf-8")
        result = run("export", "-f", fmt, "-g", str(source))
        assert result.exit_code == 0, result.stderr
        outputs.add(result.stdout_bytes)
    assert len(outputs) == 1
    assert b"x1n" not in outputs.pop()


def _graphs(data: bytes, fmt: str) -> dict[str, rdflib.Graph]:
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=RDF_FORMATS[fmt].rdflib.replace("pretty-xml", "xml"))
    found: dict[str, rdflib.Graph] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = "" if g is None or "default" in str(g) or not RDF_FORMATS[fmt].datasets else str(g)
        found.setdefault(name, rdflib.Graph()).add((s, p, o))
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_of_blank_nodes_is_isomorphic_to_its_input(run, tmp_path, fmt):
    source = tmp_path / "blank.trig"
    source.write_text(BLANK, encoding="utf-8")
    result = run("export", "-f", fmt, "-g", str(source))
    assert result.exit_code == 0, result.stderr
    ours = _graphs(result.stdout_bytes, fmt)
    theirs = _graphs(source.read_bytes(), "trig")
    if not RDF_FORMATS[fmt].datasets:
        merged = rdflib.Graph()
        for graph in theirs.values():
            merged += graph
        theirs = {"": merged}
    assert ours.keys() == theirs.keys()
    for name in ours:
        assert isomorphic(ours[name], theirs[name]), (fmt, name)


def test_long_lists_and_deep_trees_come_back_whole(run, tmp_path):
    length, depth = 5000, 2000
    items = " ".join(f'"item {i}"' for i in range(length))
    nested = "<https://kgtool.example/id/work/tree> <https://schema.org/hasPart> " + (
        "[ <https://schema.org/hasPart> " * depth) + '"leaf"' + " ]" * depth + " ."
    source = tmp_path / "deep.ttl"
    source.write_text(f"<https://kgtool.example/id/work/list> <https://schema.org/keywords> ( {items} ) .\n{nested}\n",
                      encoding="utf-8")
    first, second = (run("export", "-f", "ntriples", "-g", str(source)) for _ in range(2))
    assert first.exit_code == 0 and first.stdout_bytes == second.stdout_bytes
    store = ox.Store()
    store.load(first.stdout_bytes, format=ox.RdfFormat.N_TRIPLES)
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    assert _walk(store, ox.NamedNode("https://kgtool.example/id/work/list"), "https://schema.org/keywords",
                 f"{rdf}first", f"{rdf}rest") == [f"item {i}" for i in range(length)]
    node, seen = ox.NamedNode("https://kgtool.example/id/work/tree"), 0
    part = ox.NamedNode("https://schema.org/hasPart")
    while isinstance(node, (ox.NamedNode, ox.BlankNode)):
        (node,) = [q.object for q in store.quads_for_pattern(node, part, None)]
        seen += 1
    assert (seen, node.value) == (depth + 1, "leaf")
    assert len(store) == 1 + 2 * length + depth + 1


def _walk(store, subject, predicate, first, rest) -> list[str]:
    """The values of the RDF list at subject's predicate, in order."""
    (node,) = [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None)]
    values = []
    while node != ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"):
        (value,) = [q.object.value for q in store.quads_for_pattern(node, ox.NamedNode(first), None)]
        (node,) = [q.object for q in store.quads_for_pattern(node, ox.NamedNode(rest), None)]
        values.append(value)
    return values


@pytest.mark.parametrize("character, shown", [("\u0001", "U+0001"), ("\u0000", "U+0000"), ("\u000c", "U+000C")])
def test_rdfxml_refuses_a_character_xml_cannot_carry(run, tmp_path, character, shown):
    source = tmp_path / "control.nt"
    escaped = json.dumps(f"bell{character}here")
    source.write_text(f'<https://kgtool.example/id/work/x> <https://schema.org/name> {escaped} .\n', encoding="utf-8")
    target = tmp_path / "out.rdf"
    result = run("export", "-g", str(source), "-o", str(target))
    assert (result.exit_code, result.stderr) == (2, (
        f"kgtool: error: --format rdfxml: XML 1.0 cannot carry the character {shown} in a literal of "
        "<https://kgtool.example/id/work/x>, even escaped; export as turtle, ntriples, nquads, trig or jsonld, "
        "which can\n"))
    assert list(tmp_path.iterdir()) == [source]
    assert run("export", "-f", "turtle", "-g", str(source)).exit_code == 0


def test_rdfxml_is_well_formed_and_keeps_what_xml_can_carry(run, tmp_path):
    source = tmp_path / "tricky.nt"
    source.write_text('<https://kgtool.example/id/work/x> <https://schema.org/name> "tab\\there\\nline\\r'
                      ' <&> \\"quoted\\" ]]> \u00e9\u4e2d\U0001F600" .\n'
                      '<https://kgtool.example/id/work/x> <https://schema.org/alternateName> "x"@en-gb .\n',
                      encoding="utf-8")
    data = run("export", "-f", "rdfxml", "-g", str(source)).stdout_bytes
    ET.fromstring(data)  # well-formed
    assert isomorphic(rdflib.Graph().parse(data=data, format="xml"), rdflib.Graph().parse(source, format="nt"))


def test_rdfxml_refuses_a_predicate_that_is_no_xml_name(run, tmp_path):
    source = tmp_path / "numbered.nt"
    source.write_text('<https://kgtool.example/id/work/x> <https://kgtool.example/ns/1> "one" .\n', encoding="utf-8")
    result = run("export", "-f", "rdfxml", "-g", str(source))
    assert (result.exit_code, result.stderr) == (2, (
        "kgtool: error: --format rdfxml: RDF/XML cannot write the predicate <https://kgtool.example/ns/1> as an "
        "XML name; export as turtle, ntriples, nquads, trig or jsonld\n"))


def test_ctrl_c_stops_an_export_at_once(tmp_path):
    data = tmp_path / "big.nt"
    kgtool = [sys.executable, "-m", "kgtool"]
    subprocess.run([*kgtool, "generate", "--triples", "400000", "-o", str(data)], check=True, capture_output=True,
                   cwd=ROOT)
    target = tmp_path / "out.trig"
    process = subprocess.Popen([*kgtool, "export", "-g", str(data), "-o", str(target)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert wait_for(lambda: descendants(process.pid), 30)  # the export runs in its worker now
    time.sleep(0.2)  # inside the parse, long before the end (a fixed wait raced the imports)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    stopped = time.monotonic() - sent
    assert process.returncode == 130, stderr
    assert stderr.decode().splitlines() == ["kgtool: interrupted: the export was stopped"]
    assert stopped < 1.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.nt"]


# -- from files: streamed from the parser to the writer, with no store ------------------

def _through_a_store(paths, fmt: str) -> bytes:
    """What export wrote before it streamed: the files loaded into an in-memory store."""
    from kgtool.store import load
    from kgtool.store.serialization import serialize_store

    return serialize_store(load(paths), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_streaming_from_files_gives_the_bytes_a_store_of_them_gives(run, sources, fmt):
    for name, (path, store) in sources.items():
        result = run("export", "-f", fmt, "-g", str(path))
        assert result.exit_code == 0, result.stderr
        assert result.stdout_bytes == _through_a_store([path], fmt), (name, fmt)
        assert result.stdout_bytes == run("export", "-f", fmt, "--store", str(store)).stdout_bytes, (name, fmt)


def test_streaming_from_stdin_gives_the_bytes_of_the_file(run, sources):
    path = sources["blank"][0]
    for fmt in FORMATS:
        piped = run("export", "-f", fmt, "-g", "-", "--graph-format", "trig", input=path.read_text(encoding="utf-8"))
        assert piped.exit_code == 0, piped.stderr
        assert piped.stdout_bytes == run("export", "-f", fmt, "-g", str(path)).stdout_bytes, fmt


OVERLAP = """@prefix s: <https://schema.org/> .
@prefix w: <https://kgtool.example/id/work/> .
w:a s:name "asserted in the default graph only" .
w:a s:name "in both" .
w:a s:name "in both" .
<https://kgtool.example/graph/one> { w:a s:name "in both" . w:b s:name "B" . w:b s:name "B" . }
<https://kgtool.example/graph/two> { w:b s:name "B" . }
"""


def test_statements_in_two_graphs_or_twice_come_out_as_a_store_holds_them(run, tmp_path):
    first, second = tmp_path / "first.trig", tmp_path / "second.trig"
    first.write_text(OVERLAP, encoding="utf-8")
    second.write_text(OVERLAP.replace("graph/two", "graph/three"), encoding="utf-8")
    store = tmp_path / "both.store"
    assert run("load", str(first), str(second), "--store", str(store)).exit_code == 0
    nquads = run("export", "-f", "nquads", "-g", str(first), "-g", str(second)).stdout_bytes
    assert nquads.decode().splitlines() == [
        '<https://kgtool.example/id/work/a> <https://schema.org/name> "asserted in the default graph only" .',
        '<https://kgtool.example/id/work/a> <https://schema.org/name> "in both" <https://kgtool.example/graph/one> .',
        '<https://kgtool.example/id/work/b> <https://schema.org/name> "B" <https://kgtool.example/graph/one> .',
        '<https://kgtool.example/id/work/b> <https://schema.org/name> "B" <https://kgtool.example/graph/three> .',
        '<https://kgtool.example/id/work/b> <https://schema.org/name> "B" <https://kgtool.example/graph/two> .']
    for fmt in FORMATS:
        from_files = run("export", "-f", fmt, "-g", str(first), "-g", str(second)).stdout_bytes
        assert from_files == run("export", "-f", fmt, "--store", str(store)).stdout_bytes, fmt
        assert from_files == _through_a_store([first, second], fmt), fmt


def test_a_blank_node_label_in_two_files_is_two_nodes(run, tmp_path):
    for name, value in (("one", "A"), ("two", "B")):
        (tmp_path / f"{name}.nt").write_text(f'_:x <https://schema.org/name> "{value}" .\n', encoding="utf-8")
    lines = run("export", "-f", "ntriples", "-g", str(tmp_path)).stdout_bytes.decode().splitlines()
    assert len(lines) == 2 and len({line.split(" ")[0] for line in lines}) == 2, lines
    assert lines == run("export", "-f", "ntriples", "-g", str(tmp_path / "two.nt"), "-g",
                        str(tmp_path / "one.nt")).stdout_bytes.decode().splitlines()


@pytest.mark.parametrize("nt_content", [False, True], ids=["turtle", "ntriples"])
def test_a_blank_node_label_in_two_files_is_two_nodes_in_a_store_and_in_queries(run, tmp_path, nt_content):
    suffix = "nt" if nt_content else "ttl"
    for name, value in (("one", "A"), ("two", "B")):
        (tmp_path / f"{name}.{suffix}").write_text(f'_:x <https://schema.org/name> "{value}"^^<http://www.w3.org/2001/XMLSchema#int> .\n'
                                                   if not nt_content else f'_:x <https://schema.org/name> "{value}" .\n',
                                                   encoding="utf-8")
    store = tmp_path / "s.store"
    assert run("load", str(tmp_path / f"one.{suffix}"), str(tmp_path / f"two.{suffix}"), "--store", str(store)).exit_code == 0
    exported = run("export", "-f", "ntriples", "--store", str(store)).stdout_bytes.decode().splitlines()
    assert len({line.split(" ")[0] for line in exported}) == 2, exported
    counted = run("query", "-e", "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }", "-f", "csv",
                  "-g", str(tmp_path / f"one.{suffix}"), "-g", str(tmp_path / f"two.{suffix}"))
    assert counted.stdout.split() == ["n", "2"], counted.stdout


def test_a_malformed_file_is_said_as_every_command_says_it_and_nothing_is_written(run, tmp_path):
    source = tmp_path / "bad.nq"
    source.write_text('<https://kgtool.example/a> <https://schema.org/name> "ok" .\n<https://kgtool.example/a> oops .\n',
                      encoding="utf-8")
    target = tmp_path / "out.trig"
    result = run("export", "-g", str(source), "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == run("stats", "-g", str(source)).stderr
    assert result.stderr.startswith(f"kgtool: error: {source}:2:")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nq"]


def test_a_graph_named_by_a_blank_node_is_refused_from_files_as_from_a_store(run, tmp_path):
    source = tmp_path / "blank-graph.trig"
    source.write_text('_:g { <https://kgtool.example/a> <https://schema.org/name> "x" . }\n', encoding="utf-8")
    result = run("export", "-f", "nquads", "-g", str(source))
    assert result.exit_code == 2
    assert result.stderr.startswith("kgtool: error: a graph is named by the blank node _:")
    assert result.stderr.endswith(", which cannot be exported deterministically; name the graph with an IRI\n")


def test_an_empty_graph_exports_as_nothing(run, tmp_path):
    source = tmp_path / "empty.nt"
    source.write_text("", encoding="utf-8")
    target = tmp_path / "out.nt"
    result = run("export", "-g", str(source), "-o", str(target))
    assert (result.exit_code, result.stderr) == (0, "")
    assert target.read_bytes() == b""


# -- big files: a strict check in a child beside a lenient read ------------------------

class _CountedChild:
    started = 0

    def __new__(cls, *args, **kwargs):
        cls.started += 1
        return Child(*args, **kwargs)


@pytest.fixture
def checked_beside(monkeypatch):
    """Every file counts as big: the strict check runs in a child (counted) beside the read."""
    import kgtool.worker
    from kgtool.store import statements

    monkeypatch.setattr(statements, "_PARALLEL_FROM", 0)
    monkeypatch.setattr(kgtool.worker, "Child", _CountedChild)
    # Earlier tests may have left threads here, and kgtool then forks no child; this one only
    # parses a file (no RocksDB, whose threads a fork would lose), so it may.
    monkeypatch.setattr(kgtool.worker, "can_fork", lambda: True)
    _CountedChild.started = 0
    return _CountedChild


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_big_file_read_beside_its_strict_check_gives_the_same_bytes(sources, checked_beside, fmt, monkeypatch):
    from kgtool.store import statements
    from kgtool.store.formats import rdf_format_for_path
    from kgtool.store.ingest import Source
    from kgtool.store.serialization import serialize_files

    for name, (path, _) in sources.items():
        paths = sorted(path.rglob("*.tt*")) if path.is_dir() else [path]
        files = [Source(p, rdf_format_for_path(p)) for p in paths]
        beside = serialize_files(files, fmt)
        monkeypatch.setattr(statements, "_PARALLEL_FROM", 1 << 62)
        alone = serialize_files(files, fmt)
        monkeypatch.setattr(statements, "_PARALLEL_FROM", 0)
        assert beside == alone, (name, fmt)
    assert checked_beside.started == len(sources)


@pytest.mark.parametrize("iri", ["https://kgtool.example/%zz", "https://kgtool.example/a b"])
def test_a_big_file_with_an_iri_only_the_strict_parser_refuses_is_refused(checked_beside, tmp_path, iri,
                                                                         monkeypatch):
    from kgtool.errors import ParseError
    from kgtool.store import statements
    from kgtool.store.formats import rdf_format_for_path
    from kgtool.store.ingest import Source
    from kgtool.store.statements import file_graphs

    source = tmp_path / "bad.nq"
    good = '<https://kgtool.example/a> <https://schema.org/name> "ok" <https://kgtool.example/g> .\n'
    source.write_text(good * 3 + f'<https://kgtool.example/a> <https://schema.org/url> <{iri}> .\n' + good,
                      encoding="utf-8")
    assert len(list(ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS, lenient=True))) == 5
    files = [Source(source, rdf_format_for_path(source))]
    with pytest.raises(ParseError) as beside:
        file_graphs(files)
    assert checked_beside.started == 1
    monkeypatch.setattr(statements, "_PARALLEL_FROM", 1 << 62)
    with pytest.raises(ParseError) as alone:
        file_graphs(files)
    assert beside.value.message() == alone.value.message()
    assert beside.value.where == f"{source}:4:53"
