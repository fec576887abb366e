"""A store's statements as N-Quads beside its database, so that a whole check reads them fast.

pyoxigraph's store on disk answers a query that reads everything five to thirteen
times slower than the same store in memory (every term of every statement is a
RocksDB read), and dumping it costs as much: 10 s at a million statements. So a load
also writes what it puts in the database, as the database holds it (literals
encoded, merge copies included), to `snapshot.nq` in the same folder; `validate
--store` reads that into memory, unchecked (the statements were checked when they
were loaded), in a quarter of the time, and checks there.

The snapshot is written in the load's hidden folder and swapped in with the database,
so the two always hold the same statements. An add copies the store's snapshot and
appends what it adds (a statement written twice is one statement when read); a
removal, which takes statements out that the text cannot find cheaply, drops it, as
do a load of more than SNAPSHOT_MOST statements (the text would not fit in memory
with the store it makes) and a server that may write to the store (`kgtool serve
--allow-update`). Without one, a check reads the database itself.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

SNAPSHOT = "snapshot.nq"
SNAPSHOT_FILES = "snapshot."  # how the names of the snapshot and its count begin
SNAPSHOT_MOST = 4_000_000  # statements written, merge copies included
_CHUNK = 8192


class SnapshotWriter:
    """Writes the statements a load sends to its database into the staging folder's snapshot."""

    def __init__(self, staging: Path, checkpoint_of: Path | None, removes: bool, most: int = SNAPSHOT_MOST):
        self.path, self.most = staging / SNAPSHOT, most
        self.handle = None
        old = None if checkpoint_of is None else checkpoint_of / SNAPSHOT
        if removes or (old is not None and not old.is_file()):
            return  # nothing to start from that matches the store
        if old is not None:
            shutil.copyfile(old, self.path)
            self.written = _statements_in(old)
        else:
            self.written = 0
        self.handle = open(self.path, "ab")

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
        if self.handle is None:
            chunk.clear()
            return
        self.written += len(chunk)
        if self.written > self.most:
            self.drop()
        else:
            ox.serialize(chunk, self.handle, format=ox.RdfFormat.N_QUADS)
        chunk.clear()

    def close(self) -> None:
        """Finish the snapshot: whole, or not there at all."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None
            (self.path.parent / _COUNT).write_text(f"{self.written}\n", encoding="utf-8")
        elif self.path.exists():
            self.path.unlink()

    def drop(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        self.path.unlink(missing_ok=True)


_COUNT = "snapshot.count"  # how many statements the snapshot holds, so that an add need not count them


def _statements_in(path: Path) -> int:
    count = path.parent / _COUNT
    try:
        return int(count.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        with open(path, "rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 24), b""))


def forget(directory: Path) -> None:
    """Drop a store's snapshot before something writes to its database in place (kgtool serve
    --allow-update): a check then reads the database."""
    for name in (SNAPSHOT, _COUNT):
        (directory / name).unlink(missing_ok=True)


def has_snapshot(directory: Path) -> bool:
    return (directory / SNAPSHOT).is_file()


def read_snapshot(directory: Path) -> ox.Store:
    """The store's statements in an in-memory store, read from its snapshot (unchecked: they
    were checked when they were loaded)."""
    memory = ox.Store()
    memory.bulk_load(path=str(directory / SNAPSHOT), format=ox.RdfFormat.N_QUADS, lenient=True)
    return memory
