"""A job's answer, computed in a worker (kgtool.server.workers): run, counted, capped, serialized.

The worker serializes the result itself, counting rows as pyoxigraph writes them: a result
over --max-rows stops early (pyoxigraph stops when its output refuses a write), never
crosses the pipe, and is an error (TooManyRows, HTTP 400), never a silent cut. Every
literal comes back as the files wrote it (kgtool.store.answers). Queries go through
kgtool's Store.query (kgtool.store.guard refuses SERVICE, LOAD and updates before they
run); updates are refused LOAD and SERVICE here, before they run.
"""

from __future__ import annotations

import io
from typing import Any

from kgtool.errors import QueryError


class TooManyRows(QueryError):
    """A result has more rows than the server's --max-rows allows (answered as an error, never cut)."""


def answer(store, job, max_rows: int | None) -> tuple[bytes, str, int | None, bool]:
    """(body, media type, rows, truncated) for one job; raises KgError."""
    if job.kind == "update":
        run_update(store, job)
        return b"", "text/plain", None, False
    import pyoxigraph as ox

    bindings = None
    if job.named_query is not None:
        from kgtool.queries import bind_params

        bindings = bind_params(job.named_query, dict(job.params), store)
    view = _dataset_view(store, job.default_graphs, job.named_graphs, job.base_iri)
    results = view.query(job.text, bindings, source=job.source)
    if isinstance(results, ox.QueryBoolean):
        fmt = _result_format(job.result_format)
        return results.serialize(format=fmt), fmt.media_type, 1, False
    if isinstance(results, ox.QueryTriples):
        return _graph(results, job, max_rows)
    return _solutions(results, job, max_rows)


def _solutions(results, job, max_rows: int | None) -> tuple[bytes, str, int, bool]:
    """Written as TSV first, where each row is one line (TSV escapes line breaks), so the
    rows are counted at pyoxigraph's speed and the writing stops past the cap; then read
    back and written in the format asked for (all in pyoxigraph: as fast as writing it
    directly), every literal as written (kgtool.store.answers)."""
    import pyoxigraph as ox

    from kgtool.store.answers import Solutions

    fmt = _result_format(job.result_format)
    counter = _LineCounter(None if max_rows is None else max_rows + 1, job.source, max_rows)
    results.serialize(counter, format=ox.QueryResultsFormat.TSV)
    tsv = counter.getvalue()
    rows = max(counter.lines - 1, 0)  # the header line
    from kgtool.store.literals import PRIVATE_BYTES

    if fmt == ox.QueryResultsFormat.TSV and PRIVATE_BYTES not in tsv:
        return tsv, fmt.media_type, rows, False
    out = io.BytesIO()
    Solutions(ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)).serialize(out, format=fmt)
    return out.getvalue(), fmt.media_type, rows, False


def _graph(results, job, max_rows: int | None) -> tuple[bytes, str, int, bool]:
    """Written as N-Triples first (one triple a line), counted and capped as solutions are,
    every literal mapped back as written, then written in the RDF format asked for."""
    import pyoxigraph as ox

    from kgtool.store.formats import RDF_FORMATS
    from kgtool.store.literals import PRIVATE_BYTES, decode_ntriples

    spec = RDF_FORMATS.get(job.graph_format)
    if spec is None:
        raise QueryError(f"a CONSTRUCT or DESCRIBE query returns RDF, not '{job.graph_format}'",
                         where=job.source, fix=f"ask for one of {', '.join(RDF_FORMATS)}")
    counter = _LineCounter(max_rows, job.source, max_rows)
    results.serialize(counter, format=ox.RdfFormat.N_TRIPLES)
    data = counter.getvalue()
    if PRIVATE_BYTES in data:
        data = decode_ntriples(data)
    if spec.oxigraph != "N_TRIPLES":
        triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES, lenient=True)
        data = ox.serialize(triples, format=getattr(ox.RdfFormat, spec.oxigraph))
    return data, spec.media_type, counter.lines, False


def _result_format(name: str):
    import pyoxigraph as ox

    from kgtool.store.formats import RESULT_FORMATS

    spec = RESULT_FORMATS.get(name)
    if spec is None or spec.oxigraph is None:
        raise QueryError(f"a SELECT or ASK query returns results, not '{name}'",
                         fix="ask for json, xml, csv or tsv")
    return getattr(ox.QueryResultsFormat, spec.oxigraph)


class _LineCounter(io.BytesIO):
    """pyoxigraph's output: keeps the bytes, counts lines, refuses the write that passes `limit`."""

    def __init__(self, limit: int | None, source: str, max_rows: int | None) -> None:
        super().__init__()
        self.lines, self._limit, self._source, self._max_rows = 0, limit, source, max_rows

    def write(self, data) -> int:
        self.lines += bytes(data).count(b"\n")
        if self._limit is not None and self.lines > self._limit:
            raise TooManyRows(f"the result has more than {self._max_rows:,} rows, the most this server sends",
                              where=self._source,
                              fix="add a LIMIT (with OFFSET to page through it), or start the server with a higher --max-rows")
        return super().write(data)


def _dataset_view(store, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...] | None,
                  base_iri: str | None):
    """The store, with the request's dataset (default-graph-uri, named-graph-uri: when either is
    given, the dataset is exactly those graphs) and base IRI passed to pyoxigraph, so that
    Store.query's checks and error wording still apply."""
    if not default_graphs and named_graphs is None and base_iri is None:
        return store
    import pyoxigraph as ox

    from kgtool.store.dataset import Store

    options: dict[str, Any] = {}
    try:
        if default_graphs or named_graphs is not None:
            options["default_graph"] = [ox.NamedNode(iri) for iri in default_graphs]
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(iri) for iri in named_graphs]
    except ValueError as exc:
        raise QueryError(f"not a valid graph IRI: {exc}", where="default-graph-uri/named-graph-uri",
                         fix="give absolute IRIs") from None
    if base_iri is not None:
        options["base_iri"] = base_iri
    return Store(_Backend(store.backend, options), merged=True)


class _Backend:
    """A pyoxigraph store whose query() and update() get extra keyword arguments."""

    def __init__(self, backend, options: dict[str, Any]) -> None:
        self._backend, self._options = backend, options

    def query(self, text, **kwargs):
        return self._backend.query(text, **kwargs, **self._options)

    def update(self, text, **kwargs):
        return self._backend.update(text, **kwargs, **self._options)

    def __iter__(self):
        return iter(self._backend)

    def __getattr__(self, name):
        return getattr(self._backend, name)


def run_update(store, job) -> None:
    """A SPARQL Update, refused before it runs if it would reach the network (LOAD, SERVICE)."""
    from kgtool.store.guard import check_update

    check_update(job.text, job.source)
    view = _dataset_view(store, (), None, job.base_iri)  # the app turned using-graph-uri into USING
    try:
        view.update(job.text)
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"update failed: {exc}", where=job.source) from None
