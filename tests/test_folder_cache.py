"""kgtool add --graph through a big folder's cache: the same article as reading the folder, and a
cache that follows the files (kgtool.cards.folder_cache)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import GRAPH
from kgtool.cards import folder_cache
from kgtool.cards.addition import add_card
from kgtool.store.persistence import open_store

ARTICLES = sorted(p.stem for p in (GRAPH / "articles").glob("*.trig"))
GRAPHS = "https://kgtool.example/graph/"


def folder_without(tmp_path: Path, name: str, *articles: str) -> Path:
    """A copy of the bundled graph without the article files of `articles` (their cards stay)."""
    target = tmp_path / name
    shutil.copytree(GRAPH, target)
    for article in articles:
        (target / "articles" / f"{article}.trig").unlink()
    return target


def add(folder: Path, article: str, **options):
    return add_card(folder / "sources" / f"{article}.yaml", graph_dir=folder, **options)


@pytest.fixture
def always(monkeypatch):
    monkeypatch.setattr(folder_cache, "FROM_BYTES", 0)


def cache_of(folder: Path) -> Path:
    return folder.parent / f".{folder.name}.kgtool-cache"


def test_an_article_added_through_the_cache_is_the_one_the_folder_gives(always, tmp_path, monkeypatch):
    cached = folder_without(tmp_path, "cached", ARTICLES[-1])
    addition = add(cached, ARTICLES[-1])
    assert addition.written and addition.conforms and addition.target == str(cached)
    assert any("built the graph folder's cache" in note for note in addition.notes)
    monkeypatch.setattr(folder_cache, "FROM_BYTES", 1 << 60)
    read = folder_without(tmp_path, "read", ARTICLES[-1])
    assert add(read, ARTICLES[-1]).written and not cache_of(read).exists()
    trig = f"articles/{ARTICLES[-1]}.trig"
    assert (cached / trig).read_bytes() == (read / trig).read_bytes() == (GRAPH / trig).read_bytes()
    assert sorted(open_store(cache_of(cached) / "store").named_graphs()) == [GRAPHS + a for a in ARTICLES]
    assert (cache_of(cached) / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_the_cache_follows_the_files(always, tmp_path):
    folder = folder_without(tmp_path, "graph", ARTICLES[-1], ARTICLES[-2])
    add(folder, ARTICLES[-2])
    second = add(folder, ARTICLES[-1])  # the cache holds the files as they are: used as it is
    assert second.written and not any("cache" in note for note in second.notes)
    (folder / "articles" / f"{ARTICLES[-1]}.trig").unlink()  # as kgtool remove does
    dry = add(folder, ARTICLES[-1], dry_run=True)
    assert dry.conforms and any("refreshed" in note for note in dry.notes)
    assert sorted(open_store(cache_of(folder) / "store").named_graphs()) == [GRAPHS + a for a in ARTICLES[:-1]]
    assert add(folder, ARTICLES[-1]).written
    assert sorted(open_store(cache_of(folder) / "store").named_graphs()) == [GRAPHS + a for a in ARTICLES]


def test_an_edited_file_is_read_again(always, tmp_path):
    folder = folder_without(tmp_path, "graph", ARTICLES[-1], ARTICLES[-2])
    add(folder, ARTICLES[-2])
    edited = folder / "articles" / f"{ARTICLES[1]}.trig"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    addition = add(folder, ARTICLES[-1])
    assert addition.written and any("refreshed" in note for note in addition.notes)
    listed = (cache_of(folder) / "store" / folder_cache.LISTING).read_text(encoding="utf-8")
    stat = edited.stat()
    assert f"{stat.st_size}\t{stat.st_mtime_ns}\t0\t{GRAPHS}{ARTICLES[1]}\t{edited.resolve()}" in listed.splitlines()


def test_a_dry_run_writes_no_file_and_leaves_the_list(always, tmp_path):
    folder = folder_without(tmp_path, "graph", ARTICLES[-1], ARTICLES[-2])
    add(folder, ARTICLES[-2])
    listing = (cache_of(folder) / "store" / folder_cache.LISTING).read_bytes()
    dry = add(folder, ARTICLES[-1], dry_run=True)
    assert dry.conforms and not dry.written and not (folder / "articles" / f"{ARTICLES[-1]}.trig").exists()
    assert (cache_of(folder) / "store" / folder_cache.LISTING).read_bytes() == listing
    assert GRAPHS + ARTICLES[-1] not in open_store(cache_of(folder) / "store").named_graphs()


def test_a_replaced_article_reads_the_folder(always, tmp_path):
    folder = folder_without(tmp_path, "graph")
    addition = add(folder, ARTICLES[0])  # in the folder already: compiled against the others alone
    assert addition.written and addition.replaced and not cache_of(folder).exists()


def test_kgtool_remove_keeps_the_cache_current_so_the_next_add_uses_it_as_it_is(always, tmp_path):
    from kgtool.cards.writing import remove_article

    folder = folder_without(tmp_path, "graph", ARTICLES[-1])
    assert add(folder, ARTICLES[-1]).written
    sources = {path: path.read_bytes() for path in (folder / "sources").glob(f"{ARTICLES[-1]}.*")}
    removal = remove_article(ARTICLES[-1], graph_dir=folder)
    for path, data in sources.items():  # the card and its text, which the removal took too
        path.write_bytes(data)
    assert any("refreshed the graph folder's cache" in note for note in removal.notes)
    assert sorted(open_store(cache_of(folder) / "store").named_graphs()) == [GRAPHS + a for a in ARTICLES[:-1]]
    again = add(folder, ARTICLES[-1])
    assert again.written and not any("cache" in note for note in again.notes)
    assert (folder / "articles" / f"{ARTICLES[-1]}.trig").read_bytes() == (
        GRAPH / "articles" / f"{ARTICLES[-1]}.trig").read_bytes()


def cache_quads(folder: Path) -> set:
    return set(open_store(cache_of(folder) / "store").backend)


def test_a_refused_add_leaves_the_cache_as_it_was(always, tmp_path, monkeypatch):
    """The add writes into the cache's store in place (kgtool.cards.cache_addition): a dry run,
    a violation or Ctrl-C takes out exactly what it wrote, and puts the listing back."""
    from kgtool.cards import store_addition

    folder = folder_without(tmp_path, "graph", ARTICLES[-1], ARTICLES[-2])
    add(folder, ARTICLES[-2])
    listing = (cache_of(folder) / "store" / folder_cache.LISTING).read_bytes()
    before = cache_quads(folder)
    assert add(folder, ARTICLES[-1], dry_run=True).conforms
    assert cache_quads(folder) == before
    checked = store_addition.check_only

    def interrupted(addition, store, shapes):
        checked(addition, store, shapes)
        assert GRAPHS + ARTICLES[-1] in store.named_graphs()  # the check saw the article in the store
        raise KeyboardInterrupt

    monkeypatch.setattr(store_addition, "check_only", interrupted)
    with pytest.raises(KeyboardInterrupt):
        add(folder, ARTICLES[-1])
    assert cache_quads(folder) == before
    assert (cache_of(folder) / "store" / folder_cache.LISTING).read_bytes() == listing
    assert not (folder / "articles" / f"{ARTICLES[-1]}.trig").exists()


KILLED_IN_THE_CHECK = """
import os, signal, sys
from pathlib import Path
from kgtool.cards import folder_cache, store_addition
from kgtool.cards.addition import add_card
folder_cache.FROM_BYTES = 0
store_addition.check_only = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
add_card(Path(sys.argv[1]), graph_dir=Path(sys.argv[2]))
"""


def test_an_add_killed_in_place_leaves_a_cache_that_is_built_again(always, tmp_path):
    import subprocess
    import sys

    folder = folder_without(tmp_path, "graph", ARTICLES[-1], ARTICLES[-2])
    add(folder, ARTICLES[-2])
    card = folder / "sources" / f"{ARTICLES[-1]}.yaml"
    killed = subprocess.run([sys.executable, "-c", KILLED_IN_THE_CHECK, str(card), str(folder)])
    assert killed.returncode == -9
    # The store holds the article's statements, and no listing says it is the folder's
    assert GRAPHS + ARTICLES[-1] in open_store(cache_of(folder) / "store").named_graphs()
    assert not (cache_of(folder) / "store" / folder_cache.LISTING).exists()
    again = add(folder, ARTICLES[-1])
    assert again.written and any("built the graph folder's cache" in note for note in again.notes)
    trig = f"articles/{ARTICLES[-1]}.trig"
    assert (folder / trig).read_bytes() == (GRAPH / trig).read_bytes()
    assert sorted(open_store(cache_of(folder) / "store").named_graphs()) == [GRAPHS + a for a in ARTICLES]
