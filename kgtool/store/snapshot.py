"""A store's statements as N-Quads beside its database, so that a whole check reads them fast.

pyoxigraph's store on disk answers a query that reads everything five to thirteen
times slower than the same store in memory (every term of every statement is a
RocksDB read), and dumping it costs as much: 10 s at a million statements. So a load
also writes what it puts in the database, as the database holds it (literals
encoded, merge copies included), as N-Quads in `snapshot/` in the same folder; `validate
--store` reads that into memory, unchecked (the statements were checked when they
were loaded), in a quarter of the time, and checks there.

The snapshot is written in the load's hidden folder and swapped in with the database,
so the two always hold the same statements. An add hard-links the parts of the store's
snapshot and writes what it adds as a part of its own (a statement written twice is one
statement when read). A removal, which takes out statements that the text cannot find
cheaply, drops it, as do a load of more than SNAPSHOT_MOST statements (the text would
not fit in memory with the store it makes) and a server that may write to the store
(`kgtool serve --allow-update`). Without one, a check reads the database itself.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

SNAPSHOT = "snapshot"  # a folder in the store's: one N-Quads file per load, and their count
SNAPSHOT_MOST = 4_000_000  # statements written, merge copies included
_COUNT = "count"  # how many statements the parts hold, so that an add need not count them
_CHUNK = 8192


class SnapshotWriter:
    """Writes the statements a load sends to its database into the staging folder's snapshot:
    a new part, beside hard links to the parts of the store it starts from (no copy)."""

    def __init__(self, staging: Path, checkpoint_of: Path | None, removes: bool, most: int = SNAPSHOT_MOST):
        self.folder, self.most, self.handle, self.written = staging / SNAPSHOT, most, None, 0
        old = None if checkpoint_of is None else checkpoint_of / SNAPSHOT
        if removes or (old is not None and not (old / _COUNT).is_file()):
            return  # nothing to start from that matches the store
        self.folder.mkdir()
        parts = sorted(old.glob("*.nq")) if old is not None else []
        for part in parts:
            os.link(part, self.folder / part.name)
        self.written = int((old / _COUNT).read_text(encoding="utf-8")) if old is not None else 0
        self.handle = open(self.folder / f"{len(parts):06d}.nq", "wb")

    def teed(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """`quads`, each also written to the snapshot (until there are too many)."""
        if self.handle is None:
            yield from quads
            return
        chunk: list[ox.Quad] = []
        for quad in quads:
            chunk.append(quad)
            if len(chunk) == _CHUNK:
                self._write(chunk)
            yield quad
        self._write(chunk)

    def _write(self, chunk: list[ox.Quad]) -> None:
        if self.handle is not None:
            self.written += len(chunk)
            if self.written > self.most:
                self.drop()
            else:
                ox.serialize(chunk, self.handle, format=ox.RdfFormat.N_QUADS)
        chunk.clear()

    def close(self) -> None:
        """Finish the snapshot: whole (its count written last), or not there at all."""
        if self.handle is None:
            self.drop()
            return
        self.handle.close()
        self.handle = None
        (self.folder / _COUNT).write_text(f"{self.written}\n", encoding="utf-8")

    def drop(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        shutil.rmtree(self.folder, ignore_errors=True)


def forget(directory: Path) -> None:
    """Drop a store's snapshot before something writes to its database in place (kgtool serve
    --allow-update): a check then reads the database. The count goes first: without it the
    parts are no snapshot."""
    (directory / SNAPSHOT / _COUNT).unlink(missing_ok=True)
    shutil.rmtree(directory / SNAPSHOT, ignore_errors=True)


def has_snapshot(directory: Path) -> bool:
    return (directory / SNAPSHOT / _COUNT).is_file()


# statements: a store with named graphs and more than these is checked in its database
NAMED_IN_MEMORY_MOST = 50_000


def worth_reading(directory: Path, backend: ox.Store) -> bool:
    """Whether a whole check of the store at `directory` (open as `backend`) reads its
    snapshot into memory. Not when the store has named graphs and more than
    NAMED_IN_MEMORY_MOST statements: the checks that look into the graphs (claims, evidence)
    run slower in pyoxigraph's memory store than on RocksDB. `validate --store` of 1M
    generated triples in 5,231 article graphs took 71 s from the snapshot and 19 s on the
    database, the same report; 100k, 1.5-1.9 s against 1.3-1.4 s; the bundled graph 0.43 s
    against 0.53 s; 1M triples with no named graph 10 s against 20 s."""
    if not has_snapshot(directory):
        return False
    if next(iter(backend.named_graphs()), None) is None:
        return True
    try:
        return int((directory / SNAPSHOT / _COUNT).read_text(encoding="utf-8")) <= NAMED_IN_MEMORY_MOST
    except (OSError, ValueError):
        return False


def read_snapshot(directory: Path) -> ox.Store:
    """The store's statements in an in-memory store, read from its snapshot (unchecked: they
    were checked when they were loaded)."""
    memory = ox.Store()
    for part in sorted((directory / SNAPSHOT).glob("*.nq")):
        memory.bulk_load(path=str(part), format=ox.RdfFormat.N_QUADS, lenient=True)
    return memory
