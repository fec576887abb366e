"""Each graph's statements as sorted N-Triples lines: what `serialization` writes.

From files, pyoxigraph's parser streams straight into its N-Quads writer, with no
store between (a store load is half the time of an export at 1M): each run of
statements in one graph becomes one N-Quads text, cut into lines at the ` <g> .\\n`
that ends every line of graph g (a newline inside a literal is always escaped).
Blank nodes are scoped to their file (renamed apart), as in RDF's merge of documents. From a store,
each named graph is dumped, and the default graph's own statements are found by
SPARQL `MINUS` on the store's ids: its default graph holds the merge, a copy of
every named graph, which a dump would read whole to find those few.

Either way a default-graph statement that a named graph also holds is left to the
named graph (a store's merge cannot tell the two apart), and every graph's lines
are sorted, each once: the order depends on the triples alone.
"""

from __future__ import annotations

import collections
import itertools
import operator
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kgtool.errors import KgError, OutputError
from kgtool.store.files import STDIN, base_iri, read_error
from kgtool.store.literals import decode_ntriples

# (graph term, b"" for the default graph; its statements: N-Triples lines without the " .\n"
# that ends each, so that one join writes them with the ending a format needs)
Graphs = list[tuple[bytes, list[bytes]]]
END = b" .\n"  # ends every N-Triples line and nothing else: a newline in a literal is escaped
_ASSERTED_DEFAULT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o MINUS { GRAPH ?g { ?s ?p ?o } } }"
_BY_GRAPH = operator.attrgetter("graph_name")
_PARALLEL_FROM = 8 << 20  # bytes of files: below, one strict read is quicker than a fork


def statements(ntriples: bytes) -> list[bytes]:
    """The statements of N-Triples text, sorted."""
    found = ntriples.split(END)
    found.pop()  # what follows the last ending: nothing
    found.sort()
    return found


def store_graphs(store) -> tuple[Graphs, bool]:
    """Each graph of a store, as the files said, and whether any line may hold a blank node.
    Every dump goes through `decode_ntriples` once: literals as written (kgtool.store.literals)."""
    backend = store.backend
    _refuse_blank_graph_names(backend.named_graphs())
    named, blank = [], False
    for name in store.named_graphs():
        data = decode_ntriples(backend.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name)))
        blank = blank or b"_:" in data
        named.append((f"<{name}>".encode(), statements(data)))
    if not named:
        data = backend.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    else:  # the default graph holds the merge (on disk) or what the files asserted (in memory)
        data = backend.query(_ASSERTED_DEFAULT).serialize(format=ox.RdfFormat.N_TRIPLES)
    data = decode_ntriples(data)
    return [(b"", statements(data)), *named], blank or b"_:" in data


def file_graphs(sources: Iterable, merge: bool = False) -> tuple[Graphs, bool, int]:
    """Each graph of the files (`kgtool.store.ingest.Source`s, already checked), merged as a
    store merges them; whether any line may hold a blank node; how many named graphs they
    have. `merge`: every graph's statements as one default graph (for triple formats: one
    sort, not one a graph)."""
    sources = list(sources)
    checker = _strict_check(sources)
    try:
        texts, blank = _texts(sources, lenient=checker is not None)
    except KgError:
        if checker is not None:
            checker.result(what="the check of the files")  # its error, in the strict parser's words
        raise
    except BaseException:
        if checker is not None:
            checker.kill()
        raise
    if checker is not None:
        checker.result(what="the check of the files")
    named_graphs = sum(1 for graph in texts if not isinstance(graph, ox.DefaultGraph))
    if merge:
        every = list(itertools.chain.from_iterable(_cut(parts, _end(graph)) for graph, parts in texts.items()))
        return [(b"", sorted_once(every))], blank, named_graphs
    default = _lines(texts.pop(ox.DefaultGraph(), []), END)
    named = [(f"<{graph.value}>".encode(), _lines(texts[graph], _end(graph)))
             for graph in sorted(texts, key=lambda g: g.value)]
    if default and named:
        asserted = set(default)
        for _, lines in named:
            asserted.difference_update(lines)
        default = [line for line in default if line in asserted]  # still sorted
    return [(b"", default), *named], blank, named_graphs


def _texts(sources: list, lenient: bool) -> tuple[dict, bool]:
    """Each graph's N-Quads texts, and whether any may hold a blank node."""
    texts: dict[ox.NamedNode | ox.DefaultGraph, list[bytes]] = defaultdict(list)
    blank = False
    for source in sources:
        try:
            for graph, text in _runs(source, lenient and source.name != STDIN):
                blank = blank or b"_:" in text
                texts[graph].append(text)
        except (SyntaxError, MemoryError, OSError, ValueError) as exc:
            raise read_error(exc, source.name, source.fmt) from None
    return texts, blank


def _strict_check(sources: list):
    """Files big enough to gain from it are checked by the strict parser in a child, on
    another core, while this process reads them leniently (about twice as fast: IRIs are
    not checked) and sorts and writes: the export costs little more than one strict read.
    None where that cannot be (stdin, which is read once; one core; no fork)."""
    from kgtool.worker import Child, can_fork

    files = [source for source in sources if source.name != STDIN]
    if (len(files) < len(sources) or sum(source.size() for source in files) < _PARALLEL_FROM
            or len(os.sched_getaffinity(0)) < 2 or not can_fork()):
        return None
    return Child(_check_strictly, (files,))


def _check_strictly(sources: list) -> None:
    """Raise what the strict parser finds in the files, as kgtool's one line."""
    for source in sources:
        try:
            parsed = ox.parse(path=str(source.path), format=getattr(ox.RdfFormat, source.fmt.oxigraph),
                              base_iri=base_iri(source.path, source.base))
            collections.deque(parsed, maxlen=0)
        except (SyntaxError, MemoryError, OSError, ValueError) as exc:
            raise read_error(exc, source.name, source.fmt) from None


def _runs(source, lenient: bool = False) -> Iterator[tuple[ox.NamedNode | ox.DefaultGraph, bytes]]:
    """(graph, N-Quads text) for each run of statements in one graph, as the file has them.
    `lenient`: IRIs unchecked, because a strict check of the file runs beside this."""
    stdin = source.name == STDIN
    handle = source.open() if stdin else None  # a file: pyoxigraph reads it itself, faster
    try:
        parsed = ox.parse(handle, path=None if stdin else str(source.path),
                          format=getattr(ox.RdfFormat, source.fmt.oxigraph), base_iri=base_iri(source.path, source.base),
                          rename_blank_nodes=True,  # `_:x` in two files is two nodes (canonical labels later)
                          lenient=lenient)
        if not source.fmt.datasets:  # every statement in the default graph: one text
            yield ox.DefaultGraph(), ox.serialize(parsed, format=ox.RdfFormat.N_QUADS)
            return
        for graph, run in itertools.groupby(parsed, _BY_GRAPH):
            if isinstance(graph, ox.BlankNode):
                _refuse_blank_graph_names([graph])
            yield graph, ox.serialize(run, format=ox.RdfFormat.N_QUADS)
    finally:
        if handle is not None and handle is not sys.stdin.buffer:
            handle.close()


def _end(graph) -> bytes:
    """What ends every N-Quads line of `graph`."""
    return END if isinstance(graph, ox.DefaultGraph) else b" " + str(graph).encode() + END


def _lines(texts: list[bytes], end: bytes) -> list[bytes]:
    """The statements of N-Quads texts of one graph, sorted, each once."""
    return sorted_once(_cut(texts, end))


def _cut(texts: list[bytes], end: bytes) -> list[bytes]:
    """The statements of N-Quads texts of one graph, in their order."""
    found = (texts[0] if len(texts) == 1 else b"".join(texts)).split(end)
    found.pop()
    return found


def sorted_once(lines: list[bytes]) -> list[bytes]:
    """`lines` sorted in place, each once. Sorting keeps the file's runs of sorted lines
    (timsort merges them: a set first would shuffle them and cost six times more), and
    looking for two equal neighbours runs in C; only then are they dropped."""
    lines.sort()
    if any(map(operator.eq, lines, itertools.islice(lines, 1, None))):
        return [line for line, _ in itertools.groupby(lines)]
    return lines


def _refuse_blank_graph_names(names: Iterable) -> None:
    for name in names:
        if isinstance(name, ox.BlankNode):
            raise OutputError(f"a graph is named by the blank node {name}, which cannot be exported "
                              "deterministically", fix="name the graph with an IRI")
