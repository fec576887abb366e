"""Stores on disk: `kgtool load FILES --store DIR` writes one, `--store DIR` reads it.

Every load, new store or add, is all or nothing, for readers and whatever stops it
(Ctrl-C, SIGTERM, SIGKILL, a full disk). It writes a hidden folder beside DIR that
nobody reads (`.DIR.loading-PID`: for an add, a checkpoint of DIR plus what is
added, see ingest), and only when that is whole swaps it into place in one rename
(RENAME_EXCHANGE for an add). A reader that opened DIR before keeps its snapshot:
RocksDB holds the old files open. Until the swap DIR is as it was; after it, DIR is
the complete new store. The write runs in a child process the parent kills at once
on Ctrl-C; the parent then removes the hidden folder, with no database file open
in it. A load killed outright leaves that folder, which the next load removes.
"""

from __future__ import annotations

import ctypes
import errno
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pyoxigraph as ox

from kgtool.errors import InputError, Interrupted, OutputError
from kgtool.store.dataset import Store
from kgtool.store.files import STDIN, rdf_files
from kgtool.store.formats import RDF_FORMATS
from kgtool.store.ingest import MARKER, Job, Progress, Source
from kgtool.store.locking import StoreLock, clean_leftovers, remove_tree, staging_prefix
from kgtool.store.output import write_failure
from kgtool.store import snapshot
from kgtool.store.writer import run_writer

__all__ = ["MARKER", "LoadSummary", "Progress", "is_store", "load_into", "open_read_only", "open_store",
           "remove_graphs"]


@dataclass
class LoadSummary:
    files: int
    statements: int
    seconds: float
    created: bool
    removed: int = 0  # article graphs removed
    notes: list[str] = field(default_factory=list)  # what earlier, stopped loads left and this one removed


def is_store(directory: Path) -> bool:
    return (directory / MARKER).is_file()


def open_read_only(directory: Path) -> ox.Store:
    if not is_store(directory):
        raise InputError("not a kgtool store", where=str(directory),
                         fix=f"create one with: kgtool load FILES --store {directory}")
    try:
        return ox.Store.read_only(str(directory))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", where=str(directory)) from None


def open_store(directory: Path | str, whole: bool = False) -> Store:
    """A store that `kgtool load` wrote to `directory`, opened read-only. `whole`: for work
    that reads all of it (a full validation), its statements in memory, read from the
    snapshot its load wrote beside the database, when there is one and it is faster there
    (kgtool.store.snapshot.worth_reading)."""
    directory = Path(directory)
    backend = open_read_only(directory)
    if whole and snapshot.worth_reading(directory, backend):
        backend = snapshot.read_snapshot(directory)
    store = Store(backend, merged=True)
    store.on_disk = True  # in memory too: it holds the store's statements and takes nothing more
    return store


def load_into(directory: Path | str, paths: Sequence[Path | str], report: Callable[[Progress], None] | None = None,
              fmt: str | None = None, remove: Sequence[str] = (), base: str | None = None,
              check: Callable[[Path], None] | None = None, compact: bool = False) -> LoadSummary:
    """Load RDF files (or stdin, "-", in format `fmt`) into the store at `directory`, creating it
    if needed, after removing the article graphs `remove`; all or nothing. `base` (--base) is the
    base IRI of every file instead of its own URI. `check`, given the new store's folder before
    it replaces the old, may raise to leave the store as it was (kgtool add validates there).
    `compact` (--compact) merges the store's index files after the write (kgtool.store.ingest.Job)."""
    directory = Path(directory)
    sources = _sources(paths, fmt, base)
    _check_target(directory)
    start = time.perf_counter()
    with StoreLock(directory) as lock:
        notes = clean_leftovers(directory) + _lower_cased_tags(sources)
        created = not directory.exists()
        if created and remove:
            raise InputError("not a kgtool store", where=str(directory), fix="--remove works on an existing store")
        job = Job(directory.parent / f"{staging_prefix(directory)}{os.getpid()}", directory, tuple(sources),
                  None if created else directory, tuple(remove), snapshot.SNAPSHOT_MOST, compact)
        statements = _build_and_swap(job, report or (lambda progress: None), lock.fd, check)
    return LoadSummary(len(sources), statements, time.perf_counter() - start, created, len(remove), notes)


def remove_graphs(directory: Path | str, graphs: Sequence[str]) -> LoadSummary:
    """Remove article graphs (IRIs) from a store, all or nothing. A triple that another graph
    also states stays in the merge; one the default graph states and only these graphs
    also state goes with them (the merge cannot tell the two apart)."""
    if not is_store(Path(directory)):
        open_read_only(Path(directory))  # raises the usual "not a kgtool store"
    return load_into(directory, [], remove=graphs)


def _lower_cased_tags(sources: Sequence[Source]) -> list[str]:
    """The note that language tags written with capitals are stored in lower case (stdin,
    read once by the writer, is not looked at)."""
    from kgtool.store.literals import capital_tags, capital_tags_note

    total = 0
    for source in sources:
        if source.name == STDIN:
            continue
        with open(source.path, "rb") as handle:
            while chunk := handle.read(1 << 24):
                total += capital_tags(chunk + handle.readline())
    note = capital_tags_note(total)
    return [note] if note else []


def _sources(paths: Sequence[Path | str], fmt: str | None, base: str | None = None) -> list[Source]:
    named = RDF_FORMATS.get(fmt) if fmt else None
    if fmt and named is None:
        raise InputError(f"unknown RDF format {fmt}", where="--format", fix="use one of " + ", ".join(RDF_FORMATS))
    if any(str(p) == STDIN for p in paths):
        if named is None:
            raise InputError("stdin has no file name to tell its format", where=STDIN,
                             fix="give --format (" + ", ".join(RDF_FORMATS) + ")")
        if len(paths) > 1:
            raise InputError("read stdin alone", where=STDIN, fix="load the files with another kgtool load")
        return [Source(Path(STDIN), named, base)]
    from kgtool.store.formats import rdf_format_for_path

    return [Source(path, named or rdf_format_for_path(path), base) for path in rdf_files(paths)]


def _check_target(directory: Path) -> None:
    if directory.exists() and not is_store(directory):
        raise OutputError("exists and is not a kgtool store", where=str(directory),
                          fix="name a new folder or an existing store")
    parent = directory.parent
    if not parent.is_dir():
        raise OutputError(f"cannot create the store: the folder {parent} does not exist", where=str(directory),
                          fix=f"create it first (mkdir -p {parent}) or name another place")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {parent}: permission denied", where=str(directory),
                          fix="choose a folder you may write to")


def _build_and_swap(job: Job, report: Callable[[Progress], None], lock_fd: int,
                    check: Callable[[Path], None] | None = None) -> int:
    swapped = False
    try:
        statements = run_writer(job, report, reads_stdin=any(s.name == STDIN for s in job.sources), lock_fd=lock_fd)
        if check is not None:
            check(job.staging)
        _swap_in(job.staging, job.target, exchange=job.checkpoint_of is not None)
        swapped = True
        return statements
    except KeyboardInterrupt:
        if swapped:
            raise
        raise Interrupted("stopped; the store is as it was" if job.checkpoint_of else "stopped; no store was made",
                          where=str(job.target)) from None
    finally:
        remove_tree(job.staging)  # after an exchange it holds the old store; the child is gone


def _swap_in(staging: Path, target: Path, exchange: bool) -> None:
    try:
        if exchange:
            _exchange(staging, target)
        else:
            os.rename(staging, target)
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            raise OutputError("exists and is not a kgtool store", where=str(target),
                              fix="name a new folder or an existing store") from None
        raise (write_failure(exc, str(target)) or exc) from None


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(staging: Path, target: Path) -> None:
    """Swap two folders in one step (Linux renameat2): a reader finds the old store or the new."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(target))
    # No atomic exchange here: two renames, with the old store kept under the staging name
    # until the new one is in place (a reader in between finds no store, never half of one).
    old = staging.with_name(staging.name + "-old")
    os.rename(target, old)
    os.rename(staging, target)
    os.rename(old, staging)
