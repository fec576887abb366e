from __future__ import annotations

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
