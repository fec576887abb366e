"""The store: the one door to the graph.

Every command reads the graph through a `Store`. Today it wraps pyoxigraph's
in-memory store (fast to load, a SPARQL 1.1 engine, line:column parse errors);
an on-disk store or a remote SPARQL endpoint can take its place behind the same
methods without touching the commands.

The default graph of every query is the RDF merge of all graphs (a set: a
triple two articles state is one triple), so that a query sees every article;
`GRAPH ?g { ... }` still tells the articles apart. pyoxigraph's own union
default graph is a multiset, so the store keeps the merge in a hidden graph.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgtool.errors import InputError, QueryError
from kgtool.store.files import base_iri, rdf_files, read_error, syntax_error  # noqa: F401 (re-exported)
from kgtool.store.formats import rdf_format_for_path
from kgtool.store.answers import as_written
from kgtool.store.literals import (capital_tags, capital_tags_note, decode, decode_ntriples, decode_quad,
                                   encode, encode_quads, kept_as_written, value_of)
from kgtool.namespaces import PREFIXES


_DEFAULT = ox.DefaultGraph()
# kg:value(?x): the value of a literal kept as written, to compare in a FILTER (store.literals)
_FUNCTIONS = {ox.NamedNode(PREFIXES["kg"] + "value"): value_of}


class Store:
    """A set of RDF graphs with SPARQL over their merge.

    The store's own default graph holds the merge: the triples asserted in the
    default graph plus a copy of every named graph's triples (a set, so a triple
    two articles state is there once). Queries run on the store as it is, as
    fast as on raw pyoxigraph, and GRAPH ?g sees the article graphs alone;
    `quads()` gives back what the files said, without the copies.
    """

    def __init__(self, backend: ox.Store | None = None, merged: bool = False) -> None:
        self._store = backend if backend is not None else ox.Store()
        self.sources: list[Path] = []
        self._merged = merged  # the default graph holds every named graph's triples
        self.on_disk = False
        self.capital_tags = 0  # language tags read with capitals, which pyoxigraph lower-cases

    def notes(self) -> list[str]:
        """What the store could not keep as the files wrote it, one line per kind."""
        return [note for note in (capital_tags_note(self.capital_tags),) if note]

    @property
    def backend(self) -> ox.Store:
        """The pyoxigraph store, for code that matches patterns itself (the shapes reader)."""
        return self._store

    def merge_named_graphs(self) -> None:
        """Copy every named graph's triples into the default graph, once after loading."""
        if not self._merged and self._has_named_graphs():
            # One bulk_extend: on disk, each call writes and ingests files of its own.
            self._store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, _DEFAULT)
                                    for q in self._store if not isinstance(q.graph_name, ox.DefaultGraph))
        self._merged = True

    def add_quads(self, quads) -> None:
        """Quads added as given (literals kept as written), with the merge's copies once the merge is made."""
        self._store.extend(self.as_stored(quads))

    def as_stored(self, quads) -> list[ox.Quad]:
        """The quads as `add_quads` writes them: literals encoded as written, and each named-graph
        triple's copy in the default graph once the merge is made."""
        stored = list(encode_quads(quads))
        if self._merged:
            stored += [ox.Quad(q.subject, q.predicate, q.object, _DEFAULT) for q in stored
                       if not isinstance(q.graph_name, ox.DefaultGraph)]
        return stored

    def _has_named_graphs(self) -> bool:
        return next(iter(self._store.named_graphs()), None) is not None

    def _named_triples(self) -> set[tuple[Any, Any, Any]]:
        return {(q.subject, q.predicate, q.object) for q in self._store
                if not isinstance(q.graph_name, ox.DefaultGraph)}

    def _is_copy(self, quad: ox.Quad) -> bool:
        """A default-graph triple that some named graph holds: the merge's copy."""
        return isinstance(quad.graph_name, ox.DefaultGraph) and any(
            not isinstance(other.graph_name, ox.DefaultGraph)
            for other in self._store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None))

    # -- loading -----------------------------------------------------------------
    def load_file(self, path: Path, base: str | None = None) -> None:
        """One RDF file, parsed with its URI as base IRI, or `base` (--base) if given."""
        fmt = rdf_format_for_path(path)
        if fmt is None:
            raise InputError("not a known RDF file type", where=str(path))
        native, capitals = _look_at(path, fmt.name in ("ntriples", "nquads"))
        options = {"format": getattr(ox.RdfFormat, fmt.oxigraph), "base_iri": base_iri(path, base)}
        try:
            if native:  # nothing the store's own load would rewrite
                self._store.load(path=str(path), **options)
            else:  # parsed, then stored as kgtool.store.literals keeps it
                self._store.extend(encode_quads(ox.parse(path=str(path), rename_blank_nodes=True, **options)))
            self._merged = False
        except (SyntaxError, MemoryError, OSError, ValueError) as exc:
            raise read_error(exc, str(path), fmt) from None
        self.capital_tags += capitals
        self.sources.append(path)

    def load_data(self, data: bytes, fmt, source: str = "-", base: str | None = None) -> None:
        """RDF given whole in the RdfFormat `fmt` (stdin), checked and worded as a file is; its
        base IRI is `base` (--base), else stdin's (kgtool.store.files.base_iri)."""
        from kgtool.store.files import check_data

        check_data(data, fmt, source)
        self.capital_tags += capital_tags(data)
        try:
            self._store.extend(encode_quads(ox.parse(data, format=getattr(ox.RdfFormat, fmt.oxigraph),
                                                     base_iri=base_iri("-", base), rename_blank_nodes=True)))
            self._merged = False
        except (SyntaxError, MemoryError, OSError, ValueError) as exc:
            raise read_error(exc, source, fmt) from None

    # -- reading -----------------------------------------------------------------
    def __len__(self) -> int:
        """The number of quads (a triple in two graphs counts twice)."""
        return sum(1 for _ in self._quads_as_stored())

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad the files hold (a triple both asserted in the default graph and in a
        named graph comes back once, in the named graph: the same merge)."""
        return map(decode_quad, self._quads_as_stored())

    def _quads_as_stored(self) -> Iterator[ox.Quad]:
        if not self._has_named_graphs():
            return iter(self._store)
        return (q for q in self._store if not self._is_copy(q))

    def dump_merged(self, fmt: str, in_key_order: bool = False, prefixes: dict | None = None) -> bytes:
        """The merge of every graph (the store's default graph) in a pyoxigraph format. The
        order is the store's: for `in_key_order`, that of an on-disk store's keys, which
        depends on the triples alone (an in-memory store keeps the order they came in)."""
        self.merge_named_graphs()
        if in_key_order and not self.on_disk:
            return _dump_through_disk(self._store, fmt, prefixes)
        return dump_as_written(self._store, fmt, _DEFAULT, prefixes)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(self, text: str, bindings: dict[str, Any] | None = None, source: str = "query") -> Any:
        """Run SPARQL over the union of all graphs; `bindings` are RDF terms, never text."""
        from kgtool.store import guard

        guard.check_query(text, source)  # no SERVICE, LOAD or update: before anything runs
        substitutions = {ox.Variable(k): encode(v) for k, v in (bindings or {}).items()}
        try:
            self.merge_named_graphs()
            return self._store.query(text, prefixes=PREFIXES, substitutions=substitutions or None,
                                     custom_functions=_FUNCTIONS if "value" in text else None)
        except SyntaxError as exc:
            raise (guard.explain(str(exc.args[0]) if exc.args else "", text, source)
                   or syntax_error(exc, source, "SPARQL", "fix the query at that position")) from None
        except (OSError, ValueError, RuntimeError) as exc:
            message = str(exc)
            if "in its SELECT projection" in message:
                variable = message.split("variable ", 1)[-1].split(" ", 1)[0]
                raise QueryError(
                    f"parameter {variable} is not in the SELECT clause",
                    where=source,
                    fix=f"add {variable} to the SELECT clause (parameters are bound by SPARQL substitution, SEP-0007)",
                ) from None
            raise QueryError(f"query failed: {message}", where=source) from None

    def answer(self, text: str, bindings: dict[str, Any] | None = None, source: str = "query") -> Any:
        """`query`, with every term of the results as written (`query` gives them as stored,
        for queries that feed terms back to the store, as the SHACL engine's do)."""
        return as_written(self.query(text, bindings, source))

    def select(self, text: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """A SELECT as a list of {variable: term} rows (unbound variables left out), each term
        as written."""
        results = self.query(text, bindings)
        names = [v.value for v in results.variables]
        rows = []
        for solution in results:
            rows.append({n: decode(solution[n]) for n in names if solution[n] is not None})
        return rows

    def update(self, text: str) -> None:
        """Apply a SPARQL Update (used by tests and future editing commands)."""
        before = self._named_triples() if self._merged else set()
        try:
            self._store.update(text)
        except SyntaxError as exc:
            raise syntax_error(exc, "update", "SPARQL Update", "fix the update") from None
        if self._merged:  # keep the merge: drop copies whose named triple went, copy new ones
            after = self._named_triples()
            for s, p, o in before - after:
                self._store.remove(ox.Quad(s, p, o, _DEFAULT))
            self._store.extend(ox.Quad(s, p, o, _DEFAULT) for s, p, o in after - before)

    # -- bridges to rdflib (pyshacl and pretty serialisation need it) --------------
    def to_rdflib_dataset(self):
        import rdflib

        dataset = rdflib.Dataset()
        for quad in self._quads_as_stored():  # to_rdflib gives each term as written
            graph = quad.graph_name
            context = (
                dataset.default_graph
                if isinstance(graph, ox.DefaultGraph)
                else dataset.graph(to_rdflib(graph))
            )
            context.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return dataset

    def to_rdflib_graph(self):
        """All graphs merged into one rdflib Graph."""
        import rdflib

        graph = rdflib.Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        for quad in self._quads_as_stored():
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return graph


def _dump_through_disk(memory: ox.Store, fmt: str, prefixes: dict | None) -> bytes:
    """The default graph of an in-memory store, dumped from a temporary on-disk copy."""
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="kgtool-order-")
    try:
        disk = ox.Store(folder)
        disk.bulk_load(memory.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=_DEFAULT), format=ox.RdfFormat.N_TRIPLES)
        data = dump_as_written(disk, fmt, _DEFAULT, prefixes)
        del disk
        return data
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _look_at(path: Path, lines: bool) -> tuple[bool, int]:
    """Whether the store's own load keeps every literal of `path` as written (looked at only
    for N-Triples and N-Quads, `lines`), and `capital_tags`; read 16 MiB at a time (whole lines)."""
    native, capitals = lines, 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 24):
            chunk += handle.readline()
            native = native and kept_as_written(chunk)
            capitals += capital_tags(chunk)
    return native, capitals


def dump_as_written(backend: ox.Store, fmt: str, graph, prefixes: dict | None = None) -> bytes:
    """One graph of a pyoxigraph store in a pyoxigraph format, every literal as written."""
    ntriples = decode_ntriples(backend.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph))
    if fmt == "N_TRIPLES":
        return ntriples
    parsed = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)  # pyoxigraph's own lines
    return ox.serialize(parsed, format=getattr(ox.RdfFormat, fmt), prefixes=prefixes)


def load(paths: Sequence[Path | str], base: str | None = None) -> Store:
    """A store holding every RDF file named by `paths` (files or folders), each parsed with
    its own URI as base IRI, or with `base` (--base) if given."""
    store = Store()
    for path in rdf_files(paths):
        store.load_file(path, base)
    return store


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@functools.cache
def _quiet_rdflib() -> None:
    """rdflib logs a warning with a traceback for each ill-typed literal it makes
    ("abc"^^xsd:integer), and warns of a "weird boolean" ("maybe"^^xsd:boolean); kgtool
    keeps such literals as written and SHACL reports them, so stderr keeps to kgtool's lines."""
    import logging
    import warnings

    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=UserWarning, module="rdflib.term")


def to_rdflib(term: Any):
    """A pyoxigraph term as the equal rdflib term."""
    import rdflib

    _quiet_rdflib()
    term = decode(term)
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        # normalize=False: the lexical form as stored, not rdflib's reading of it ("1" stays
        # "1" as an xsd:boolean, an ill-formed date stays as written).
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False)
    raise TypeError(f"cannot convert {term!r}")
