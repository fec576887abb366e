"""kgtool add: every card in graph/ compiles to its article graph, and every refusal leaves the folder as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import GRAPH

CARDS = sorted((GRAPH / "sources").glob("*.yaml"))
TEXT = """Paper Moons Renewed at Netflix (a fictional test article)

The series Paper Moons, created by Ada Quill, was renewed by Netflix for a second season. Its first season had 8 episodes, and the second will have 10 episodes.
"""
CARD = """article:
  id: fictional-paper-moons
  headline: Paper Moons Renewed at Netflix (a fictional test article)
  outlet: Entertainment Tonight
  fictional: true
entities:
  Paper Moons: TVSeries
  Ada Quill: Person
facts:
  - fact: Paper Moons | created by | Ada Quill
    evidence: The series Paper Moons, created by Ada Quill
  - fact: Paper Moons | renewed by | Netflix | season 2
    evidence: was renewed by Netflix for a second season
    as: {Paper Moons: The series}
"""


def test_every_article_has_a_card():
    articles = sorted((GRAPH / "articles").glob("*.trig"))
    assert len(CARDS) == len(articles) >= 1
    assert [c.stem for c in CARDS] == [a.stem for a in articles]
    assert all(c.with_suffix(".txt").is_file() for c in CARDS)


@pytest.mark.parametrize("card", CARDS, ids=[c.stem for c in CARDS])
def test_each_card_compiles_to_its_article_graph(run, card):
    """The bundled article graph is exactly what `kgtool add` makes of its card today."""
    result = run("add", str(card), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (GRAPH / "articles" / f"{card.stem}.trig").read_bytes()


def test_the_bundled_graph_is_built_from_the_cards_in_order(run, tmp_path):
    """Cards added one by one, in the order of their names, to a folder holding only the ontology."""
    folder = tmp_path / "graph"
    (folder / "sources").mkdir(parents=True)
    shutil.copy(GRAPH / "ontology.ttl", folder)
    for card in CARDS:
        for source in (card, card.with_suffix(".txt")):
            shutil.copy(source, folder / "sources")
        result = run("add", str(folder / "sources" / card.name), "--graph", str(folder))
        assert result.exit_code == 0, result.stderr
    for card in CARDS:
        built = folder / "articles" / f"{card.stem}.trig"
        assert built.read_bytes() == (GRAPH / "articles" / built.name).read_bytes(), card.stem


# -- refusals: one line, where, how to fix; nothing written --------------------------------

def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "graph"
    shutil.copytree(GRAPH, target)
    (tmp_path / "paper.txt").write_text(TEXT, encoding="utf-8")
    return target


def refused(run, folder: Path, card: str):
    path = folder.parent / "paper.yaml"
    path.write_text(card, encoding="utf-8")
    before = snapshot(folder)
    result = run("add", str(path), "--graph", str(folder))
    assert snapshot(folder) == before
    return result, path


def test_the_test_card_itself_is_added(run, folder):
    path = folder.parent / "paper.yaml"
    path.write_text(CARD, encoding="utf-8")
    result = run("add", str(path), "--graph", str(folder))
    assert result.exit_code == 0, result.stderr
    added = folder / "articles" / "fictional-paper-moons.trig"
    assert (folder / "sources" / "fictional-paper-moons.txt").read_text(encoding="utf-8") == TEXT
    store = ox.Store()
    store.load(path=str(added), format=ox.RdfFormat.TRIG)
    assert store.query("ASK { GRAPH ?g { <https://kgtool.example/id/work/paper-moons> "
                       "<https://schema.org/creator> <https://kgtool.example/id/person/ada-quill> } }")
    assert "reused: organization:netflix (Netflix)" in result.stderr


def test_evidence_not_in_the_text(run, folder):
    result, path = refused(run, folder, CARD.replace("evidence: The series Paper Moons, created by Ada Quill",
                                                     "evidence: created by Bob Stone"))
    assert result.exit_code == 2
    assert result.stderr == (
        f'kgtool: error: {path}:11:15: evidence "created by Bob Stone" is not in the article; closest: sentence 2 '
        '"…created by Ada Quill…" (differs at "Bob Stone" / "Ada Quill"); copy the words from the article\'s text '
        "exactly (straight or curly quotes, dashes and spaces may differ; letters may not)\n")


def test_near_miss_names_the_closest_sentence(run, folder):
    result, path = refused(run, folder, CARD.replace("was renewed by Netflix for a second season",
                                                     "was renewed by Netflix for a third season"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f'kgtool: error: {path}:13:15: evidence "was renewed by Netflix for a third '
                                    'season" is not in the article; closest: sentence 2 ')
    assert '(differs at "third" / "second")' in result.stderr


def test_ambiguous_entity_lists_the_candidates(run, folder):
    result, path = refused(run, folder, CARD.replace("Paper Moons | renewed by | Netflix | season 2",
                                                     "Paper Moons | inspired by | Pennies From Heaven"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"kgtool: error: {path}:12:11: 'Pennies From Heaven' matches several entities: "
        "work:pennies-from-heaven-1978 (Pennies From Heaven (1978 miniseries)); "
        "work:pennies-from-heaven-1981 (Pennies From Heaven (1981 film)); "
        "pin one under entities: (Pennies From Heaven: {iri: ...}) or declare it new: true\n")


def test_shape_violation_writes_nothing(run, folder):
    card = CARD + """  - fact: Paper Moons | episodes | 8
    evidence: Its first season had 8 episodes
  - fact: Paper Moons | episodes | 10
    evidence: the second will have 10 episodes
"""
    result, path = refused(run, folder, card)
    assert result.exit_code == 1
    assert result.stderr.startswith("Violation: work:paper-moons schema:numberOfEpisodes\n")
    assert "kgtool: not added graph:fictional-paper-moons" in result.stderr
    assert f"\n  {path}:18:15: a fact the shapes refuse (see the report above)\n" in result.stderr


def test_malformed_card_names_line_and_column(run, folder):
    result, path = refused(run, folder, CARD.replace("  Ada Quill: Person", "  Ada Quill: [Person"))
    assert result.exit_code == 2
    assert result.stderr == (f"kgtool: error: {path}:9:6: malformed YAML: expected ',' or ']', but got ':'; "
                             "see docs/cards.md for the card's form\n")


def test_unknown_fact_kind(run, folder):
    result, path = refused(run, folder, CARD.replace("renewed by | Netflix", "renewd by | Netflix"))
    assert result.exit_code == 2
    assert result.stderr == (f"kgtool: error: {path}:12:11: unknown fact kind 'renewd by'; did you mean renewed by, "
                             "created by, directed by? (or a property such as schema:genre)\n")


def test_unknown_key(run, folder):
    result, path = refused(run, folder, CARD.replace("  fictional: true", "  fictional: true\n  colour: blue"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kgtool: error: {path}:6:3: unknown key 'colour' in article:; use one of: ")


def test_hedge_not_in_its_sentence(run, folder):
    result, path = refused(run, folder, CARD.replace("    evidence: The series Paper Moons, created by Ada Quill",
                                                     "    evidence: The series Paper Moons, created by Ada Quill\n"
                                                     "    hedge: reportedly"))
    assert result.exit_code == 2
    assert result.stderr == (f'kgtool: error: {path}:11:15: hedge "reportedly" is not in the sentence of its '
                             "evidence (sentence 2); copy the hedge words from that sentence\n")


def test_an_entity_the_sentence_does_not_name(run, folder):
    result, path = refused(run, folder, CARD + "  - fact: Ada Quill | working on | Paper Moons\n"
                                              "    evidence: the second will have 10 episodes\n")
    assert result.exit_code == 2
    assert result.stderr == (f"kgtool: error: {path}:16:15: sentence 3 does not name Paper Moons; say how it refers "
                             "to it, e.g. as: {Paper Moons: the words}, or pick the sentence that names it\n")


def test_dry_run_writes_nothing(run, folder):
    path = folder.parent / "paper.yaml"
    path.write_text(CARD, encoding="utf-8")
    before = snapshot(folder)
    result = run("add", str(path), "--graph", str(folder), "--dry-run")
    assert result.exit_code == 0
    assert snapshot(folder) == before
    assert result.stdout.startswith("# The article graph of fictional-paper-moons")
    assert "kgtool: would add graph:fictional-paper-moons" in result.stderr
