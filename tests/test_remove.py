"""kgtool remove takes an article back out of a graph folder or a store: its facts, its
sentences and claims, its graph's description, and the entities no other article mentions;
what another article states about a shared entity stays."""

from __future__ import annotations

import pytest

from conftest import GRAPH
from kgtool.cards.writing import remove_article
from kgtool.errors import InputError
from test_writing import ARTICLE, graph_folder, snapshot

IRI = f"https://kgtool.example/graph/{ARTICLE}"
ITS_FACT = "ASK { work:soundtrack schema:creator person:joshua-safran }"
ITS_SENTENCE = f"ASK {{ ?s schema:isPartOf article:{ARTICLE} }}"
ITS_DESCRIPTION = f"ASK {{ graph:{ARTICLE} ?p ?o }}"
OTHERS_FACT = "ASK { person:jenna-dewan kg:workingOn work:flirty-dancing }"  # the fixture article says it
SHARED_LABEL = 'ASK { person:jenna-dewan rdfs:label "Jenna Dewan" }'


def ask(run, query: str, *where: str) -> bool:
    result = run("query", *where, "-e", query)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip() == "true"


def see_before(run, *where: str) -> None:
    assert ask(run, ITS_FACT, *where) and ask(run, ITS_SENTENCE, *where) and ask(run, ITS_DESCRIPTION, *where)
    assert ask(run, OTHERS_FACT, *where)


def see_after(run, *where: str) -> None:
    for query in (ITS_FACT, ITS_SENTENCE, ITS_DESCRIPTION, "ASK { person:joshua-safran ?p ?o }"):
        assert not ask(run, query, *where), query
    assert ask(run, OTHERS_FACT, *where) and ask(run, SHARED_LABEL, *where)


def test_remove_from_a_folder(run, tmp_path):
    folder = graph_folder(tmp_path)
    (folder / "sources" / f"{ARTICLE}.yaml").write_text(f"article:\n  id: {ARTICLE}\n", encoding="utf-8")
    see_before(run, "--graph", str(folder))
    result = run("remove", ARTICLE, "--graph", str(folder))
    assert result.exit_code == 0, result.stderr
    line, = result.stderr.splitlines()
    assert line.startswith(f"kgtool: removed {ARTICLE} from {folder}: ")
    assert " triples (3 files); " in line and " entities no longer mentioned anywhere: " in line
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == [
        "fixture-dewan-hosts.trig", "fixture-dewan-hosts.txt", "ontology.ttl"]
    see_after(run, "--graph", str(folder))


def test_the_summary_counts_the_triples_and_names_the_entities_left_unmentioned(tmp_path):
    from kgtool.store.files import parse_file

    folder = graph_folder(tmp_path)
    quads = parse_file(folder / "articles" / f"{ARTICLE}.trig")
    removal = remove_article(ARTICLE, graph_dir=folder)
    assert removal.triples == len(quads) and removal.graph == IRI
    assert "https://kgtool.example/id/person/joshua-safran" in removal.orphans
    for shared in ("person/jenna-dewan", "work/flirty-dancing", "organization/fox"):  # the fixture mentions them
        assert f"https://kgtool.example/id/{shared}" not in removal.orphans
    assert removal.files == [f"articles/{ARTICLE}.trig", f"sources/{ARTICLE}.txt"]


def test_remove_from_a_store_by_graph_iri(run, tmp_path):
    folder, store = graph_folder(tmp_path), tmp_path / "s.store"
    assert run("load", str(folder), "--store", str(store), "-q").exit_code == 0
    see_before(run, "--store", str(store))
    result = run("remove", IRI, "--store", str(store))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"kgtool: removed {ARTICLE} from {store}: ")
    see_after(run, "--store", str(store))
    assert (folder / "articles" / f"{ARTICLE}.trig").exists()  # the files were not touched


def test_the_folder_and_the_store_remove_the_same(tmp_path, run):
    folder, store = graph_folder(tmp_path), tmp_path / "s.store"
    assert run("load", str(folder), "--store", str(store), "-q").exit_code == 0
    from_store = remove_article(ARTICLE, store_dir=store)
    from_folder = remove_article(ARTICLE, graph_dir=folder)
    assert (from_store.triples, from_store.orphans) == (from_folder.triples, from_folder.orphans)


def test_remove_by_card_path(run, tmp_path):
    folder = graph_folder(tmp_path)
    card = folder / "sources" / "hosts-card.yaml"  # the card's id, not its name, says which article
    card.write_text("article:\n  id: fixture-dewan-hosts\n", encoding="utf-8")
    result = run("remove", str(card), "--graph", str(folder))
    assert result.exit_code == 0, result.stderr
    assert not (folder / "articles" / "fixture-dewan-hosts.trig").exists()
    assert not (folder / "sources" / "fixture-dewan-hosts.txt").exists()
    assert result.stderr.endswith("; every entity it mentions is still mentioned by another article\n")


@pytest.mark.parametrize("where", ["--graph", "--store"])
def test_an_unknown_article_is_one_line_with_the_closest_ids(run, tmp_path, where):
    folder = graph_folder(tmp_path)
    target = folder
    if where == "--store":
        target = tmp_path / "s.store"
        assert run("load", str(folder), "--store", str(target), "-q").exit_code == 0
    before = snapshot(folder)
    result = run("remove", "et-soundtrak", where, str(target))
    assert result.exit_code == 2
    assert result.stderr == (f"kgtool: error: {target}: no article 'et-soundtrak'; "
                             f"the closest: {ARTICLE}, fixture-dewan-hosts\n")
    assert snapshot(folder) == before


def test_the_bundled_graph_is_the_default_and_knows_its_articles():
    with pytest.raises(InputError) as caught:
        remove_article("no-such-article-anywhere", graph_dir=GRAPH)
    assert caught.value.message().startswith(f"{GRAPH}: no article 'no-such-article-anywhere'; the closest: ")


def test_graph_and_store_together_are_refused(run, tmp_path):
    result = run("remove", ARTICLE, "--graph", str(tmp_path), "--store", str(tmp_path / "s"))
    assert result.exit_code == 2
    assert result.stderr == "kgtool: error: --store: give --graph or --store, not both; drop one of them\n"
