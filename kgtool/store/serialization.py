"""RDF out: deterministic serialisations of a store or of query triples.

The same graph always gives the same bytes: subjects grouped and sorted,
prefixes declared, blank nodes given canonical labels (RDF canonicalisation
as rdflib.compare implements it), N-Triples and N-Quads lines sorted.

Turtle and N-Triples of a graph without blank nodes (every graph the project
makes) skip rdflib: pyoxigraph writes them, seconds at a million triples where
rdflib takes minutes. N-Triples lines are sorted. Turtle comes in the key order
of an on-disk store (a graph read from files is copied into a temporary one
first): subjects grouped, in an order that depends on the triples alone, so the
same graph gives the same bytes whether it came from files or from a store.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

from kgtool.errors import OutputError
from kgtool.store.formats import RDF_FORMATS, RdfFormat
from kgtool.namespaces import PREFIXES
from kgtool.paths import jsonld_context


def _new_graph(identifier=None):
    import rdflib

    graph = rdflib.Graph(identifier=identifier, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def _canonical(graph):
    """The graph with blank nodes relabelled canonically, so output does not depend on parsing."""
    import rdflib
    from rdflib.compare import to_canonical_graph

    if not any(isinstance(t, rdflib.BNode) for triple in graph for t in triple):
        return graph
    canonical = _new_graph(graph.identifier)
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    return canonical


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(line for line in data.splitlines() if line.strip()))
    return b"".join(line + b"\n" for line in lines)


def serialize_graph(graph, fmt: RdfFormat) -> bytes:
    """One rdflib Graph in a triple format (or a dataset format, as its default graph)."""
    graph = _canonical(graph)
    if fmt.name == "jsonld":
        return _jsonld(graph)
    data = graph.serialize(format=fmt.rdflib, encoding="utf-8")
    return _sorted_lines(data) if fmt.name in ("ntriples", "nquads") else data


def serialize_dataset(dataset, fmt: RdfFormat) -> bytes:
    """An rdflib Dataset in a dataset format, each named graph kept."""
    import rdflib

    out = rdflib.Dataset()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, override=True, replace=True)
    for context in dataset.graphs():
        target = out.default_graph if context.identifier == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else out.graph(context.identifier)
        for triple in _canonical(context):
            target.add(triple)
    if fmt.name == "jsonld":
        return _jsonld(out)
    data = out.serialize(format=fmt.rdflib, encoding="utf-8")
    return _sorted_lines(data) if fmt.name == "nquads" else data


def _jsonld(graph) -> bytes:
    """JSON-LD compacted with the context shipped in the package (never fetched)."""
    context = json.loads(jsonld_context().read_text(encoding="utf-8"))["@context"]
    text = graph.serialize(format="json-ld", context=context, sort_keys=True, indent=2)
    return text.encode("utf-8") if isinstance(text, str) else text


def serialize_store(store, fmt_name: str) -> bytes:
    """The whole store: named graphs kept in dataset formats, merged in triple formats."""
    fmt = RDF_FORMATS[fmt_name]
    if fmt.datasets:
        return serialize_dataset(store.to_rdflib_dataset(), fmt)
    if fmt.name == "ntriples":
        data = store.dump_merged("N_TRIPLES")
        if b"_:" not in data:  # blank nodes: rdflib labels them canonically, below
            return _sorted_lines(data)
    if fmt.name == "turtle":
        data = store.dump_merged("TURTLE", in_key_order=True, prefixes=PREFIXES)
        if b"_:" not in data:  # also when "_:" is inside a literal: then rdflib is merely slower
            return _sorted_prefix_lines(data)
    return serialize_graph(store.to_rdflib_graph(), fmt)


def _sorted_prefix_lines(data: bytes) -> bytes:
    """The @prefix lines come first, in an order of pyoxigraph's: sort them, for stable bytes."""
    end = 0
    while data.startswith(b"@prefix ", end):
        end = data.index(b"\n", end) + 1
    return b"".join(sorted(data[:end].splitlines(keepends=True))) + data[end:]


def serialize_triples(triples: Iterable[Any], fmt_name: str) -> bytes:
    """Triples from a CONSTRUCT or DESCRIBE query."""
    from kgtool.store import to_rdflib

    graph = _new_graph()
    for triple in triples:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return serialize_graph(graph, RDF_FORMATS[fmt_name])


@contextmanager
def atomic_output(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary stream that becomes `path` only when the block succeeds."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError("cannot write: the folder does not exist", where=str(target), fix="create the folder or choose another path")
    if target.is_dir():
        raise OutputError("cannot write: it is a folder", where=str(target), fix="name a file")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", where=str(target), fix="choose a writable folder") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
