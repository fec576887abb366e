"""The write a load makes, in a store folder no reader sees yet (see persistence).

An add starts from a checkpoint of the live store (RocksDB hard-links its files: a
few milliseconds at any size), removes the article graphs asked for, then streams
every statement of every file into one `bulk_extend`, each named-graph triple
followed by its copy in the default graph (the merge). Only the added triples are
copied, so an add costs what it adds; a triple two files state is one key, written
twice. Progress counts statements, the same unit for every format, and says when
the reading is done and pyoxigraph is still sorting and writing its indexes.
"""

from __future__ import annotations

import io
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox

from kgtool.errors import InputError
from kgtool.store.files import STDIN, base_iri, check_data, read_error
from kgtool.store.formats import RdfFormat
from kgtool.store.literals import encode_quads
from kgtool.store.output import write_failure
from kgtool.store.snapshot import SNAPSHOT_MOST, SnapshotWriter

MARKER = "KGTOOL_STORE"  # a file that says this folder is a kgtool store
_DEFAULT = ox.DefaultGraph()
_EVERY = 0.25  # seconds between progress reports
_CHECK_EVERY = 4096  # statements between looks at the clock


@dataclass
class Progress:
    """What a load has done so far, handed to the caller's reporter."""

    path: Path  # the file being read (Path("-") for stdin)
    bytes_read: int
    bytes_total: int  # 0 when unknown (stdin)
    statements: int  # statements read so far, in every file
    seconds: float
    phase: str = "reading"  # then "indexing": read, and pyoxigraph writes its indexes; "compacting" (--compact)


@dataclass(frozen=True)
class Source:
    """One input of a load: a file, or stdin in a format the user named."""

    path: Path
    fmt: RdfFormat
    base: str | None = None  # --base: the base IRI instead of the file's URI (kgtool.store.files.base_iri)

    @property
    def name(self) -> str:
        return STDIN if self.path == Path(STDIN) else str(self.path)

    def size(self) -> int:
        return 0 if self.name == STDIN else self.path.stat().st_size

    def open(self):
        if self.name != STDIN:
            return open(self.path, "rb")
        stdin = sys.stdin.buffer
        if self.fmt.name in ("rdfxml", "jsonld"):  # read whole by their parsers anyway: check first
            data = stdin.read()
            check_data(data, self.fmt, STDIN)
            return io.BytesIO(data)
        return stdin


@dataclass(frozen=True)
class Job:
    """Everything the child needs to write `staging`."""

    staging: Path
    target: Path  # the store's name, for messages
    sources: tuple[Source, ...]
    checkpoint_of: Path | None  # the live store an add starts from; None for a new store
    remove: tuple[str, ...] = ()
    snapshot_most: int = SNAPSHOT_MOST  # statements: a load of more writes no snapshot
    # kgtool load --compact: the index files merged after the write (Store.optimize). pyoxigraph's
    # bulk loader writes each batch of a million statements (merge copies included) as files of
    # their own, which overlap, so every lookup reads all of them: merged, the named queries on
    # 1M generated triples ran 1.35 times faster, for about 8% more load time. Not the default:
    # on an add it costs what the whole store holds, not what the add adds.
    compact: bool = False


def write(send: Callable[[Progress], None], job: Job) -> int:
    """Build the store in `job.staging`; the number of statements read. Runs in the child."""
    backend = None
    try:
        if job.checkpoint_of is not None:
            _checkpoint(job.checkpoint_of, job.staging)
        backend = ox.Store(str(job.staging))
        remove_graphs(backend, job.remove, job.target)
        tally = _Tally(send)
        snapshot = SnapshotWriter(job.staging, job.checkpoint_of, bool(job.remove), job.snapshot_most)
        if job.sources:
            backend.bulk_extend(snapshot.teed(_with_merge_copies(job.sources, tally, _fix(job))))
            tally.indexing()
        if job.compact:
            tally.report(force=True, phase="compacting")
            backend.optimize()
        snapshot.close()
        backend.flush()
        backend = None  # closes the database before the marker says it is whole
        (job.staging / MARKER).write_text("a kgtool store: open it with kgtool --store\n", encoding="utf-8")
        return tally.statements
    except OSError as exc:
        raise (write_failure(exc, str(job.target)) or exc) from None
    finally:
        backend = None


def _checkpoint(live: Path, staging: Path) -> None:
    """A checkpoint of the live store in `staging`, with what was written to it in place.
    A write in place (`kgtool serve --allow-update`, a graph folder's cache:
    kgtool.cards.cache_addition) can sit in RocksDB's log when its process ends, and a
    checkpoint taken through a read-only open copies the database's files, not the log: the
    add's new store would lack it. So the live store is opened for writing (the load holds its
    lock and refused any other writer: kgtool.store.locking), its log flushed into its files,
    and the checkpoint taken from there; the statements it holds do not change."""
    store = ox.Store(str(live))
    store.flush()
    store.backup(str(staging))
    del store


def _fix(job: Job) -> str:
    unchanged = "; the store is unchanged" if job.checkpoint_of is not None else ""
    return "fix the file at that position" + unchanged


class _Tally:
    """Counts statements and sends a Progress at most every quarter second."""

    def __init__(self, send: Callable[[Progress], None]):
        self.send, self.statements = send, 0
        self.start = self.last = time.perf_counter()
        self.path, self.read, self.total = Path(STDIN), 0, 0

    def report(self, force: bool = False, phase: str = "reading") -> None:
        now = time.perf_counter()
        if force or now - self.last >= _EVERY:
            self.last = now
            self.send(Progress(self.path, self.read, self.total, self.statements, now - self.start, phase))

    def indexing(self) -> None:
        self.report(force=True, phase="indexing")


class _CountingReader:
    """A binary stream that remembers how many bytes the parser has read."""

    def __init__(self, handle):
        self.handle, self.bytes_read = handle, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.bytes_read += len(chunk)
        return chunk


def _with_merge_copies(sources: tuple[Source, ...], tally: _Tally, fix: str) -> Iterator[ox.Quad]:
    """Every statement of every source, each named-graph one followed by its default-graph copy."""
    for source in sources:
        tally.path, tally.read, tally.total = source.path, 0, source.size()
        handle = _open(source)
        reader = _CountingReader(handle)
        named = source.fmt.datasets  # only TriG, N-Quads and JSON-LD have named graphs to copy
        count = tally.statements
        try:
            parsed = ox.parse(reader, format=getattr(ox.RdfFormat, source.fmt.oxigraph),
                              base_iri=base_iri(source.path, source.base),
                              rename_blank_nodes=True)  # one file's _:x is not another's (an RDF merge)
            for count, quad in enumerate(encode_quads(parsed), count + 1):  # literals as written
                yield quad
                if named and not isinstance(quad.graph_name, ox.DefaultGraph):
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, _DEFAULT)
                if not count % _CHECK_EVERY:
                    tally.statements, tally.read = count, reader.bytes_read
                    tally.report()
            tally.statements = count
        except (SyntaxError, MemoryError, OSError, ValueError) as exc:
            raise read_error(exc, source.name, source.fmt, fix) from None
        finally:
            if handle is not sys.stdin.buffer:
                handle.close()
        tally.read = tally.total or reader.bytes_read
        tally.report(force=True)


def _open(source: Source):
    try:
        return source.open()
    except OSError as exc:
        raise read_error(exc, source.name, source.fmt) from None


def remove_graphs(backend: ox.Store, graphs: tuple[str, ...], target: Path) -> None:
    """Drop each article graph, its description (the default-graph triples about the graph's
    IRI) and the merge copies no other named graph still holds."""
    for iri in graphs:
        try:
            graph = ox.NamedNode(iri)
        except ValueError:
            raise InputError(f"not an IRI: {iri}", where="--remove", fix="give the article graph's full IRI") from None
        if not backend.contains_named_graph(graph):
            raise InputError(f"the store holds no graph <{iri}>", where=str(target),
                             fix="list its graphs with: kgtool stats --store " + str(target))
        triples = [(q.subject, q.predicate, q.object) for q in backend.quads_for_pattern(None, None, None, graph)]
        backend.remove_graph(graph)
        orphans = [ox.Quad(s, p, o, _DEFAULT) for s, p, o in triples if not _named_holds(backend, s, p, o)]
        # The graph's own description (PROV, in the default graph: the article's file states it) goes too.
        orphans += [q for q in backend.quads_for_pattern(graph, None, None, _DEFAULT)
                    if not _named_holds(backend, q.subject, q.predicate, q.object)]
        for quad in orphans:
            backend.remove(quad)


def _named_holds(backend: ox.Store, s, p, o) -> bool:
    return any(not isinstance(q.graph_name, ox.DefaultGraph) for q in backend.quads_for_pattern(s, p, o, None))
