"""An article's three files go into a graph folder all or nothing: a kill (SIGKILL) at any
step or a full disk leaves the folder byte for byte as before or as after, once the next
kgtool read has finished or undone the change, and says so; modes are kept."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, GRAPH, ROOT
from kgtool.cards.writing import article_paths, write_article
from kgtool.errors import OutputError
from kgtool.store import journal
from kgtool.store.files import rdf_files

ARTICLE = "et-soundtrack-canceled"
NEW_TRIG = (GRAPH / "articles" / f"{ARTICLE}.trig").read_bytes().replace(b"Soundtrack", b"Soundtrack (rewritten)")
NEW_TEXT = b"A rewritten text.\n"
NEW_CARD = b"article:\n  id: et-soundtrack-canceled\n"


def graph_folder(root: Path) -> Path:
    """A small graph folder: the ontology, the Soundtrack article and the test fixture article."""
    folder = root / "graph"
    (folder / "articles").mkdir(parents=True)
    (folder / "sources").mkdir()
    shutil.copy(GRAPH / "ontology.ttl", folder)
    shutil.copy(GRAPH / "articles" / f"{ARTICLE}.trig", folder / "articles")
    shutil.copy(GRAPH / "sources" / f"{ARTICLE}.txt", folder / "sources")
    shutil.copy(DATA / "second-article.trig", folder / "articles" / "fixture-dewan-hosts.trig")
    shutil.copy(DATA / "sources" / "fixture-dewan-hosts.txt", folder / "sources")
    return folder


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` (hidden ones too): its bytes and mode."""
    return {str(p.relative_to(folder)): (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
            for p in sorted(folder.rglob("*")) if p.is_file()}


def steps_of(change) -> list[str]:
    """The steps a change goes through, in order (journal._step is called between them)."""
    seen: list[str] = []
    original = journal._step
    journal._step = seen.append
    try:
        change()
    finally:
        journal._step = original
    return seen


KILLER = """
import os, signal, sys
from kgtool.store import journal
from kgtool.cards.writing import write_article, remove_article

folder, stop, what = sys.argv[1:4]
def step(name):
    if name == stop:
        os.kill(os.getpid(), signal.SIGKILL)
journal._step = step
if what == "write":
    write_article(folder, "et-soundtrack-canceled", open(sys.argv[4], "rb").read(), b"A rewritten text.\\n",
                  b"article:\\n  id: et-soundtrack-canceled\\n")
else:
    remove_article("et-soundtrack-canceled", graph_dir=folder)
"""


def killed_at(folder: Path, stop: str, what: str, tmp_path: Path) -> int:
    trig = tmp_path / "new.trig.bytes"
    trig.write_bytes(NEW_TRIG)
    process = subprocess.run([sys.executable, "-c", KILLER, str(folder), stop, what, str(trig)], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    return process.returncode


def test_a_write_writes_the_three_files(tmp_path):
    folder = graph_folder(tmp_path)
    written = write_article(folder, ARTICLE, NEW_TRIG, NEW_TEXT, NEW_CARD)
    assert written.paths == sorted(article_paths(ARTICLE).values()) and written.notes == []
    assert (folder / "articles" / f"{ARTICLE}.trig").read_bytes() == NEW_TRIG
    assert (folder / "sources" / f"{ARTICLE}.txt").read_bytes() == NEW_TEXT
    assert (folder / "sources" / f"{ARTICLE}.yaml").read_bytes() == NEW_CARD
    assert not [p for p in folder.rglob(".*")]  # no temp file, no journal left


@pytest.mark.parametrize("what", ["write", "remove"])
def test_a_kill_at_any_step_leaves_the_folder_before_or_after(run, tmp_path, what):
    model = graph_folder(tmp_path / "model")
    before = snapshot(model)
    if what == "write":
        steps = steps_of(lambda: write_article(model, ARTICLE, NEW_TRIG, NEW_TEXT, NEW_CARD))
    else:
        from kgtool.cards.writing import remove_article

        steps = steps_of(lambda: remove_article(ARTICLE, graph_dir=model))
    after = snapshot(model)
    assert before != after and len(steps) >= 5, steps
    committed = False
    for number, stop in enumerate(steps):
        committed = committed or stop == "committed"
        folder = graph_folder(tmp_path / f"kill-{number}")
        assert killed_at(folder, stop, what, tmp_path) == -9, stop
        assert (folder / journal.JOURNAL).exists() or (folder / (journal.JOURNAL + journal.TEMP_SUFFIX)).exists()
        result = run("query", "--graph", str(folder), "-e", "ASK { ?s ?p ?o }")  # any read finishes or undoes it
        assert result.exit_code == 0, result.stderr
        assert snapshot(folder) == (after if committed else before), f"killed at {stop!r}"


def test_the_next_run_says_what_it_finished_or_undid(run, tmp_path):
    undone, finished = graph_folder(tmp_path / "a"), graph_folder(tmp_path / "b")
    assert killed_at(undone, f"temp sources/{ARTICLE}.txt", "write", tmp_path) == -9
    assert killed_at(finished, f"renamed articles/{ARTICLE}.trig", "write", tmp_path) == -9
    paths = ", ".join(sorted(article_paths(ARTICLE).values()))
    assert journal.recover(undone) == (f"undid a change to {undone} that was stopped before it was committed "
                                       f"({paths}): the folder is as before")
    result = run("remove", "fixture-dewan-hosts", "--graph", str(finished))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (f"kgtool: note: finished a change to {finished} that was stopped "
                                             f"after it was committed ({paths})")
    assert (finished / "articles" / f"{ARTICLE}.trig").read_bytes() == NEW_TRIG
    assert journal.recover(finished) is None and journal.recover(undone) is None


def test_temp_files_and_the_journal_are_not_read_as_rdf(tmp_path):
    folder = graph_folder(tmp_path)
    assert killed_at(folder, f"temp sources/{ARTICLE}.yaml", "write", tmp_path) == -9
    for name in os.listdir(folder / "articles"):
        assert name.startswith(".") == name.endswith(journal.TEMP_SUFFIX)
    journal._notes.clear()
    assert {p.name for p in rdf_files([folder])} == {"ontology.ttl", f"{ARTICLE}.trig", "fixture-dewan-hosts.trig"}
    assert journal.recovered_notes() and not [p for p in folder.rglob(".*")]  # rdf_files undid it, and noted so


def test_a_full_disk_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    folder = graph_folder(tmp_path)
    before = snapshot(folder)
    real = journal._write_temp

    def fills_up(folder_, temp, target, data):
        if target.endswith(".yaml"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(folder_, temp, target, data)

    monkeypatch.setattr(journal, "_write_temp", fills_up)
    with pytest.raises(OutputError) as caught:
        write_article(folder, ARTICLE, NEW_TRIG, NEW_TEXT, NEW_CARD)
    assert caught.value.message() == (f"cannot write {folder}: no space left on the device; "
                                      "free some space, or write somewhere else")
    assert snapshot(folder) == before


def test_an_existing_file_keeps_its_mode_and_a_new_one_gets_the_umask(tmp_path):
    folder = graph_folder(tmp_path)
    trig = folder / "articles" / f"{ARTICLE}.trig"
    trig.chmod(0o640)
    mask = os.umask(0o022)
    try:
        write_article(folder, ARTICLE, NEW_TRIG, NEW_TEXT, NEW_CARD)
    finally:
        os.umask(mask)
    assert stat.S_IMODE(trig.stat().st_mode) == 0o640
    assert stat.S_IMODE((folder / "sources" / f"{ARTICLE}.yaml").stat().st_mode) == 0o644


def test_the_editors_card_in_place_is_not_copied_onto_itself(tmp_path):
    folder = graph_folder(tmp_path)
    card = folder / "sources" / f"{ARTICLE}.yaml"
    card.write_bytes(NEW_CARD)
    inode, text = card.stat().st_ino, folder / "sources" / f"{ARTICLE}.txt"
    written = write_article(folder, ARTICLE, NEW_TRIG, text, card)
    assert written.paths == [f"articles/{ARTICLE}.trig"]
    assert card.stat().st_ino == inode and card.read_bytes() == NEW_CARD
    again = write_article(folder, ARTICLE, NEW_TRIG, text.read_bytes(), NEW_CARD)  # the same bytes: nothing to do
    assert again.paths == []


def test_a_bad_article_id_or_folder_is_refused(tmp_path):
    from kgtool.errors import InputError

    with pytest.raises(InputError) as caught:
        write_article(graph_folder(tmp_path), "../escape", b"", b"", b"")
    assert caught.value.message() == "not an article id: '../escape'; use letters, digits and hyphens (a slug)"
    with pytest.raises(OutputError) as caught:
        write_article(tmp_path / "none", ARTICLE, b"", b"", b"")
    assert caught.value.message() == (f"{tmp_path / 'none'}: not a graph folder (no such folder); "
                                      "name a graph folder such as graph/, with articles/ and sources/ inside")
