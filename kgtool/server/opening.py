"""What a query worker (kgtool.server.workers) answers from: the data a Setup names, opened once.

A store on disk is opened read-only (for writing with --allow-update), a small read-only
one copied into memory (from its snapshot when it has one); graph files (the bundled graph
when none) are loaded into memory.
The updates the executor kept are applied again, for a worker started after a timeout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kgtool.errors import InputError

if TYPE_CHECKING:
    from kgtool.server.workers import Setup


def open_data(setup: Setup):
    """The kgtool Store the worker answers from, every update replayed."""
    from kgtool.store import load

    if setup.store_dir is not None:
        store = _open_on_disk(Path(setup.store_dir), setup.writable)
    else:
        from kgtool.paths import bundled

        store = load([Path(p) for p in setup.graph_paths] or [bundled("graph")], setup.base)
    store.merge_named_graphs()  # once, now, rather than in the first query
    from kgtool.server.answers import run_update

    for job in setup.replay:
        run_update(store, job)
    return store


# A read-only store at most this big on disk is copied into memory: on small data a query's time
# is mostly RocksDB's (its iterators), 2 to 3 times what the same query takes in memory, and the
# copy answers exactly as the store would (RocksDB opened read-only does not see later writes
# either; a worker started after them, as after a timeout, opens the store as it is then).
IN_MEMORY_UP_TO = 16 << 20  # bytes: about 60,000 statements, some 60 MB in memory per worker
# Not bigger ones, even from a snapshot (kgtool.store.snapshot): at 1M pyoxigraph's memory store
# answers some named queries 10 to 100 times slower than RocksDB (01, 07, 10, 15, 21, 26, 27)
# while others are 10 times faster, and kgtool serve then had a thirteenth of Oxigraph's throughput.


def _open_on_disk(directory: Path, writable: bool):
    from kgtool.store.persistence import open_read_only, open_store

    if not writable:
        store = open_store(directory)
        return _in_memory(store, directory) if _bytes_on_disk(directory) <= IN_MEMORY_UP_TO else store
    import pyoxigraph as ox

    from kgtool.store.dataset import Store
    from kgtool.store.snapshot import forget

    open_read_only(directory)  # says "not a kgtool store" when it is not one
    forget(directory)  # updates change the database alone: a snapshot would go stale
    try:
        backend = ox.Store(str(directory))
    except OSError as exc:
        raise InputError(f"cannot open the store for writing: {exc}", where=str(directory),
                         fix="stop the other program that has it open (kgtool load?), or serve it without --allow-update") from None
    store = Store(backend, merged=True)
    store.on_disk = True
    return store


def _bytes_on_disk(directory: Path) -> int:
    """The database's bytes (the snapshot, kgtool.store.snapshot, is a folder: not counted)."""
    return sum(entry.stat().st_size for entry in directory.iterdir() if entry.is_file())


def _in_memory(store, directory: Path):
    """The store's quads (the merge in the default graph included) in an in-memory store: read
    from its snapshot (kgtool.store.snapshot), else copied from the database."""
    import pyoxigraph as ox

    from kgtool.store.dataset import Store
    from kgtool.store.snapshot import has_snapshot, read_snapshot

    if has_snapshot(directory):
        return Store(read_snapshot(directory), merged=True)
    backend = ox.Store()
    backend.bulk_extend(store.backend)
    return Store(backend, merged=True)
