"""What a query worker opens: a small read-only store copied into memory, a big one left on disk."""

from __future__ import annotations

from kgtool.paths import bundled
from kgtool.server import opening
from kgtool.server.workers import Setup
from kgtool.store.persistence import load_into, open_store


def _store(tmp_path):
    directory = tmp_path / "news.store"
    load_into(directory, [bundled("graph")])
    return directory


def test_a_small_read_only_store_is_answered_from_a_copy_in_memory(tmp_path):
    directory = _store(tmp_path)
    served = opening.open_data(Setup(str(directory), (), None, False, None))
    assert not served.on_disk
    assert set(served.backend) == set(open_store(directory).backend)  # the merge in the default graph too


def test_a_store_past_the_size_stays_on_disk_snapshot_or_not(tmp_path, monkeypatch):
    directory = _store(tmp_path)
    monkeypatch.setattr(opening, "IN_MEMORY_UP_TO", 0)
    served = opening.open_data(Setup(str(directory), (), None, False, None))
    assert served.on_disk


def test_a_writable_store_is_never_copied(tmp_path):
    directory = _store(tmp_path)
    served = opening.open_data(Setup(str(directory), (), None, True, None))
    assert served.on_disk


def test_a_small_store_without_a_snapshot_is_copied_from_its_database(tmp_path):
    from kgtool.store.snapshot import forget, has_snapshot

    directory = _store(tmp_path)
    assert has_snapshot(directory)
    forget(directory)
    served = opening.open_data(Setup(str(directory), (), None, False, None))
    assert not served.on_disk
    assert set(served.backend) == set(open_store(directory).backend)
