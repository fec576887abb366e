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

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgtool.errors import InputError, ParseError, QueryError, location
from kgtool.store.formats import RDF_FORMATS, rdf_format_for_path
from kgtool.namespaces import PREFIXES


def rdf_files(paths: Iterable[Path | str]) -> list[Path]:
    """The RDF files named by `paths`: files as given, folders searched recursively."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and rdf_format_for_path(p))
            if not inside:
                raise InputError(
                    "folder holds no RDF files",
                    where=str(path),
                    fix=f"add files ending in {_suffix_list()} or name another folder",
                )
            found.extend(inside)
        elif path.is_file():
            if rdf_format_for_path(path) is None:
                raise InputError(
                    "not a known RDF file type",
                    where=str(path),
                    fix=f"name a file ending in {_suffix_list()}",
                )
            found.append(path)
        else:
            raise InputError("no such file or folder", where=str(path), fix="check the path")
    return found


def _suffix_list() -> str:
    return ", ".join(s for f in RDF_FORMATS.values() for s in f.suffixes)


def syntax_error(exc: SyntaxError, source: str, kind: str, fix: str) -> ParseError:
    """A pyoxigraph SyntaxError as a ParseError that names file:line:column."""
    line = column = None
    if isinstance(exc.args[-1], tuple) and len(exc.args[-1]) >= 3:
        line, column = exc.args[-1][1], exc.args[-1][2]
    message = str(exc.args[0]) if exc.args else str(exc)
    detail = message.split(": ", 1)[-1] if message.startswith(("Parser error", "error at")) else message
    if line is None and message.startswith("error at "):
        position = message[len("error at "):].split(":")
        if len(position) >= 2 and position[0].isdigit() and position[1].isdigit():
            line, column = int(position[0]), int(position[1])
    detail = " ".join(detail.split())
    if len(detail) > 160:
        detail = detail[:157].rsplit(" ", 1)[0] + " ..."
    return ParseError(f"malformed {kind}: {detail}", where=location(source, line, column), fix=fix)


_DEFAULT = ox.DefaultGraph()


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
    def load_file(self, path: Path) -> None:
        fmt = rdf_format_for_path(path)
        if fmt is None:
            raise InputError("not a known RDF file type", where=str(path))
        try:
            self._store.load(path=str(path), format=getattr(ox.RdfFormat, fmt.oxigraph))
            self._merged = False
        except SyntaxError as exc:
            raise syntax_error(exc, str(path), fmt.label, "fix the file at that position") from None
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read {fmt.label}: {exc}", where=str(path)) from None
        self.sources.append(path)

    # -- reading -----------------------------------------------------------------
    def __len__(self) -> int:
        """The number of quads (a triple in two graphs counts twice)."""
        return sum(1 for _ in self.quads())

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad the files hold (a triple both asserted in the default graph and in a
        named graph comes back once, in the named graph: the same merge)."""
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
        return self._store.dump(format=getattr(ox.RdfFormat, fmt), from_graph=_DEFAULT, prefixes=prefixes)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(self, text: str, bindings: dict[str, Any] | None = None, source: str = "query") -> Any:
        """Run SPARQL over the union of all graphs; `bindings` are RDF terms, never text."""
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            self.merge_named_graphs()
            return self._store.query(text, prefixes=PREFIXES, substitutions=substitutions or None)
        except SyntaxError as exc:
            raise syntax_error(exc, source, "SPARQL", "fix the query at that position") from None
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

    def select(self, text: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """A SELECT as a list of {variable: term} rows (unbound variables left out)."""
        results = self.query(text, bindings)
        names = [v.value for v in results.variables]
        rows = []
        for solution in results:
            rows.append({n: solution[n] for n in names if solution[n] is not None})
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
        for quad in self.quads():
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
        for quad in self.quads():
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
        data = disk.dump(format=getattr(ox.RdfFormat, fmt), from_graph=_DEFAULT, prefixes=prefixes)
        del disk
        return data
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def load(paths: Sequence[Path | str]) -> Store:
    """A store holding every RDF file named by `paths` (files or folders)."""
    store = Store()
    for path in rdf_files(paths):
        store.load_file(path)
    return store


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: Any):
    """A pyoxigraph term as the equal rdflib term."""
    import rdflib

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
