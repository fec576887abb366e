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


@pytest.fixture(scope="session")
def store():
    bundled = load([GRAPH])
    assert bundled.named_graphs() == ["https://kgtool.example/graph/et-soundtrack-canceled"]
    return bundled


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
