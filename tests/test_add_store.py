"""kgtool add --store: the article goes in only when it conforms; otherwise the store answers as before."""

from __future__ import annotations

import pytest

from conftest import GRAPH
from test_cards import CARD, TEXT

ASK = ("ASK { <https://kgtool.example/id/work/paper-moons> <https://schema.org/creator> "
       "<https://kgtool.example/id/person/ada-quill> }")


@pytest.fixture
def store(run, tmp_path):
    target = tmp_path / "news.store"
    assert run("load", str(GRAPH), "--store", str(target), "-q").exit_code == 0
    (tmp_path / "paper.txt").write_text(TEXT, encoding="utf-8")
    return target


def dump(run, store) -> bytes:
    result = run("export", "--store", str(store), "-f", "nquads")
    assert result.exit_code == 0
    return result.stdout_bytes


def card(tmp_path, text: str):
    path = tmp_path / "paper.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_add_to_a_store(run, store, tmp_path):
    result = run("add", card(tmp_path, CARD), "--store", str(store))
    assert result.exit_code == 0, result.stderr
    assert f"kgtool: added graph:fictional-paper-moons ({store})" in result.stderr
    assert run("query", "-e", ASK, "--store", str(store)).stdout.strip() == "true"
    again = run("add", card(tmp_path, CARD), "--store", str(store))
    assert f"kgtool: replaced graph:fictional-paper-moons ({store})" in again.stderr
    reused = next(line for line in again.stderr.splitlines() if line.startswith("  reused: "))
    assert "work:paper-moons (Paper Moons)" in reused and "new:" not in again.stderr


def test_a_violation_leaves_the_store_as_it_was(run, store, tmp_path):
    before = dump(run, store)
    bad = CARD + ("  - fact: Paper Moons | episodes | 8\n    evidence: Its first season had 8 episodes\n"
                  "  - fact: Paper Moons | episodes | 10\n    evidence: the second will have 10 episodes\n")
    result = run("add", card(tmp_path, bad), "--store", str(store))
    assert result.exit_code == 1
    assert "kgtool: not added graph:fictional-paper-moons" in result.stderr
    assert dump(run, store) == before


def test_dry_run_leaves_the_store_as_it_was(run, store, tmp_path):
    before = dump(run, store)
    result = run("add", card(tmp_path, CARD), "--store", str(store), "--dry-run")
    assert result.exit_code == 0
    assert "kgtool: would add graph:fictional-paper-moons" in result.stderr
    assert dump(run, store) == before


def test_graph_and_store_together_are_refused(run, store, tmp_path):
    result = run("add", card(tmp_path, CARD), "--store", str(store), "--graph", str(GRAPH))
    assert result.exit_code == 2
    assert result.stderr == "kgtool: error: --store: give --graph or --store, not both; add to one place at a time\n"
