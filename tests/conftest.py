from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
import subprocess

from pathlib import Path

import pytest
from click.testing import CliRunner

from kgtool.cli import cli
from kgtool.store import load

ROOT = Path(__file__).resolve().parent.parent
GRAPH = ROOT / "graph"
SHAPES = ROOT / "shapes"
QUERIES = ROOT / "queries"
DATA = Path(__file__).resolve().parent / "data"


def _rdf_files_under(folder: Path) -> list[Path]:
    from kgtool.store.formats import rdf_format_for_path

    return sorted(p for p in folder.rglob("*") if p.is_file() and rdf_format_for_path(p))


# The bundled graph holds any number of articles, one RDF file each under graph/articles/. Tests of
# the whole graph hold for any number; a test that needs exact answers reads one article alone
# (the Soundtrack article, in tests/test_soundtrack_*.py) or a fixture of its own.
ARTICLE_FILES = _rdf_files_under(GRAPH / "articles")
SOUNDTRACK = GRAPH / "articles" / "et-soundtrack-canceled.trig"
SOUNDTRACK_GRAPH = "https://kgtool.example/graph/et-soundtrack-canceled"
SOUNDTRACK_ARTICLE = "https://kgtool.example/id/article/et-soundtrack-canceled"
# Everything in graph/ that is no article (the ontology), with the Soundtrack article.
SOUNDTRACK_FILES = [p for p in _rdf_files_under(GRAPH) if p not in ARTICLE_FILES] + [SOUNDTRACK]


@pytest.fixture(scope="session")
def store():
    """The bundled graph: every article in graph/, whatever their number."""
    bundled = load([GRAPH])
    assert len(bundled.named_graphs()) == len(ARTICLE_FILES) >= 1, "one named graph per article file"
    return bundled


@pytest.fixture(scope="session")
def soundtrack():
    """The Soundtrack article alone, with the ontology: what its own exact answers are about."""
    return load(SOUNDTRACK_FILES)


def soundtrack_only() -> list[str]:
    """The options that make a kgtool command read the Soundtrack article (and the ontology) alone."""
    return [option for path in SOUNDTRACK_FILES for option in ("--graph", str(path))]


@pytest.fixture
def run():
    """Run kgtool in-process; returns click's Result (stdout, stderr, exit_code)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


# Programs some tests need (Graphviz, Chromium): installed from Debian's packages when missing.
_TRIED: set[str] = set()


def require(program: str, package: str) -> str:
    """The path of `program`, installing Debian's `package` first if it is missing and we may."""
    found = shutil.which(program)
    if found:
        return found
    if package not in _TRIED and shutil.which("apt-get") and os.geteuid() == 0:
        _TRIED.add(package)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False, env=env, capture_output=True)
        found = shutil.which(program)
        if found:
            return found
    pytest.fail(f"{program} is needed and could not be installed: run 'apt-get install {package}' "
                "(as root), or let .ci/run do it")


@pytest.fixture(scope="module")
def graphviz():
    return require("dot", "graphviz")


# Reading Graphviz's SVG back (the viz and path tests).
SVG_NS = {"svg": "http://www.w3.org/2000/svg"}


def svg_nodes(svg: bytes) -> dict[str, str]:
    """Node name -> its label text, read from Graphviz's SVG."""
    root = ET.fromstring(svg)
    found = {}
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        if group.get("class") == "node":
            title = group.find("svg:title", SVG_NS).text
            found[title] = " ".join(t.text or "" for t in group.iter("{http://www.w3.org/2000/svg}text"))
    return found


def svg_edges(svg: bytes) -> set[tuple[str, str]]:
    root = ET.fromstring(svg)
    return {(g.find("svg:title", SVG_NS).text,
             " ".join(t.text or "" for t in g.iter("{http://www.w3.org/2000/svg}text")))
            for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge"}


# Processes as the kernel sees them, for tests that stop kgtool and check what is left running.

def children() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, program name, state) for every process now."""
    from pathlib import Path

    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        state, ppid = text[text.rindex(")") + 2:].split()[:2]
        found[int(stat.parent.name)] = (int(ppid), name, state)
    return found


def descendants(pid: int) -> set[int]:
    table, found, todo = children(), set(), [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _, _) in table.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def living(pids: set[int]) -> list[str]:
    table = children()
    return [f"{pid} {table[pid][1]}" for pid in sorted(pids) if pid in table and table[pid][2] != "Z"]


def wait_for(condition, seconds: float):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return condition()


@pytest.fixture(scope="module")
def six_thousand_people(tmp_path_factory):
    """A graph of 6,000 people who know one another at random: seconds to load, longer to lay out."""
    import random

    rnd, lines = random.Random(7), ["@prefix schema: <https://schema.org/> .",
                                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    for i in range(6000):
        lines.append(f'<https://kgtool.example/id/person/p{i}> a schema:Person ; rdfs:label "Person {i}" ; '
                     f"schema:knows <https://kgtool.example/id/person/p{rnd.randrange(6000)}> .")
    path = tmp_path_factory.mktemp("people") / "big.ttl"
    path.write_text("\n".join(lines) + "\n")
    return path

