"""Stores on disk: `kgtool load FILES --store DIR` writes one, `--store DIR` reads it.

A new store is built in a temporary folder beside DIR and renamed into place
only once every file has loaded, so a bad file leaves nothing behind. Adding
to an existing store first parses every file (a syntax error stops it before
anything is written), then bulk-loads them. The merged default graph is built
at the end of the load, so readers find it ready.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from kgtool.errors import InputError, OutputError
from kgtool.store.formats import rdf_format_for_path
from kgtool.store import Store, rdf_files, syntax_error

MARKER = "KGTOOL_STORE"  # a file that says this folder is a kgtool store


@dataclass
class Progress:
    """What a load has done so far, handed to the caller's reporter."""

    path: Path
    bytes_read: int
    bytes_total: int
    statements: int  # lines read: exact for N-Triples and N-Quads, an estimate otherwise
    seconds: float


@dataclass
class LoadSummary:
    files: int
    statements: int
    seconds: float
    created: bool


class _CountingReader:
    """A binary file that tells a reporter how far the loader has read."""

    def __init__(self, path: Path, report: Callable[[Progress], None], every: float = 0.25):
        self.path, self.report, self.every = path, report, every
        self.handle = open(path, "rb")
        self.total = path.stat().st_size
        self.read_bytes = self.lines = 0
        self.start = self.last = time.perf_counter()

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.read_bytes += len(chunk)
        self.lines += chunk.count(b"\n")
        now = time.perf_counter()
        if now - self.last >= self.every or not chunk:
            self.last = now
            self.report(self.progress())
        return chunk

    def progress(self) -> Progress:
        return Progress(self.path, self.read_bytes, self.total, self.lines, time.perf_counter() - self.start)

    def close(self) -> None:
        self.handle.close()


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


def open_store(directory: Path | str) -> Store:
    """A store that `kgtool load` wrote to `directory`, opened read-only."""
    store = Store(open_read_only(Path(directory)), merged=True)
    store.on_disk = True
    return store


def load_into(directory: Path, paths: list[Path | str], report: Callable[[Progress], None] | None = None) -> LoadSummary:
    """Load RDF files into the store at `directory`, creating it if needed; all or nothing."""
    files = rdf_files(paths)
    report = report or (lambda progress: None)
    start = time.perf_counter()
    if directory.exists() and not is_store(directory):
        raise OutputError("exists and is not a kgtool store", where=str(directory),
                          fix="name a new folder or an existing store")
    created = not directory.exists()
    if created:
        statements = _create(directory, files, report)
    else:
        for path in files:
            _check_syntax(path)
        backend = ox.Store(str(directory))
        statements = _bulk_load(backend, files, report)
        _finish(backend)
    return LoadSummary(len(files), statements, time.perf_counter() - start, created)


def _create(directory: Path, files: list[Path], report) -> int:
    staging = directory.parent / f".{directory.name}.loading-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        backend = ox.Store(str(staging))
        statements = _bulk_load(backend, files, report)
        _finish(backend)
        del backend  # closes the database before the folder moves
        (staging / MARKER).write_text("a kgtool store: open it with kgtool --store\n", encoding="utf-8")
        os.replace(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return statements


def _bulk_load(backend: ox.Store, files: list[Path], report) -> int:
    statements = 0
    for path in files:
        fmt = rdf_format_for_path(path)
        reader = _CountingReader(path, report)
        try:
            backend.bulk_load(reader, getattr(ox.RdfFormat, fmt.oxigraph))
        except SyntaxError as exc:
            raise syntax_error(exc, str(path), fmt.label, "fix the file at that position") from None
        finally:
            reader.close()
        statements += reader.lines
    return statements


def _check_syntax(path: Path) -> None:
    fmt = rdf_format_for_path(path)
    try:
        for _ in ox.parse(path=str(path), format=getattr(ox.RdfFormat, fmt.oxigraph)):
            pass
    except SyntaxError as exc:
        raise syntax_error(exc, str(path), fmt.label, "fix the file at that position; the store is unchanged") from None


def _finish(backend: ox.Store) -> None:
    """Build the merged default graph now, so that readers find it ready."""
    Store(backend).merge_named_graphs()
    backend.flush()
