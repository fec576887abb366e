"""RDF out: the same graph always gives the same bytes, from files or from a store.

pyoxigraph writes each graph of the store as N-Triples, its fastest writer; the
lines of each graph are sorted, so statements come in an order that depends on
the triples alone (subjects grouped, in the order of their IRIs), however they
were loaded. Blank nodes first get canonical labels (`kgtool.store.blanks`,
linear in the statements), when there are any. N-Triples and N-Quads are those
sorted lines (N-Quads: the default graph, then each named graph by IRI); Turtle,
TriG, JSON-LD and RDF/XML are pyoxigraph's writers fed the sorted statements.
A million triples take seconds in every format, where rdflib took minutes.

rdflib graphs (the SHACL validation report) are small: rdflib writes them,
nested blank nodes and all, after relabelling them canonically.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from typing import Any

from kgtool.errors import OutputError
from kgtool.namespaces import PREFIXES
from kgtool.paths import jsonld_context
from kgtool.store.formats import RDF_FORMATS, RdfFormat
from kgtool.store.statements import END as _END, Graphs, file_graphs, sorted_once, statements as _statements, store_graphs

__all__ = ["file_graphs", "serialize_files", "serialize_graph", "serialize_store", "serialize_triples",
           "store_graphs"]


# A character XML 1.0 cannot carry, even escaped, as canonical N-Triples writes it:
# \uXXXX for U+0000-U+001F but tab, newline and return; \b and \f; U+FFFE and U+FFFF raw
# (and the raw control characters rdflib's N-Triples leaves).
_NOT_XML = re.compile(rb'(?<!\\)(?:\\\\)*\\(?:u00(?:0[0-8bBeEfF]|1[0-9a-fA-F])|[bf])'
                      rb'|[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]')
_RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CARRIERS = "turtle, ntriples, nquads, trig or jsonld"


def serialize_store(store, fmt_name: str) -> bytes:
    """The whole store: named graphs kept in dataset formats, merged in triple formats."""
    fmt = RDF_FORMATS[fmt_name]
    if not fmt.datasets and store.on_disk:  # the store keeps the merge ready: one dump, not one a graph
        data = store.dump_merged("N_TRIPLES")
        graphs, blank = [(b"", _statements(data))], b"_:" in data
    else:
        graphs, blank = store_graphs(store)
        if not fmt.datasets:  # labels from the merge alone, as a store's merge gives them
            graphs = [(b"", _merged(graphs))]
    return _write(_canonicalised(graphs) if blank else graphs, fmt)


def serialize_files(sources: Iterable[Any], fmt_name: str) -> tuple[bytes, int]:
    """RDF files (`kgtool.store.ingest.Source`s, checked) streamed from pyoxigraph's parser,
    with no store: the same bytes as `serialize_store` of a store that holds them; and how
    many named graphs they hold."""
    fmt = RDF_FORMATS[fmt_name]
    graphs, blank, named = file_graphs(sources, merge=not fmt.datasets)
    return _write(_canonicalised(graphs) if blank else graphs, fmt), named


def serialize_triples(triples: Iterable[Any], fmt_name: str) -> bytes:
    """Triples from a CONSTRUCT or DESCRIBE query, as the default graph."""
    import pyoxigraph as ox

    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graphs: Graphs = [(b"", sorted(set(_statements(data))))]
    return _write(_canonicalised(graphs) if b"_:" in data else graphs, RDF_FORMATS[fmt_name])


def _canonicalised(graphs: Graphs) -> Graphs:
    """The graphs with every blank node relabelled canonically (shared labels across graphs)."""
    from kgtool.store.blanks import canonical_labels

    quads = [(*_terms(line), name) for name, lines in graphs for line in lines if b"_:" in line]
    labels = canonical_labels(quads) if quads else {}
    if not labels:
        return graphs
    relabelled: Graphs = []
    for name, lines in graphs:
        new = []
        for line in lines:
            if b"_:" in line:
                s, p, o = _terms(line)
                line = b" ".join((labels.get(s, s), p, labels.get(o, o)))
            new.append(line)
        new.sort()
        relabelled.append((name, new))
    return relabelled


def _terms(line: bytes) -> tuple[bytes, bytes, bytes]:
    """Subject, predicate and object of a statement (IRIs and labels hold no space)."""
    s, p, o = line.split(b" ", 2)
    return s, p, o


def _write(graphs: Graphs, fmt: RdfFormat) -> bytes:
    if fmt.name == "nquads":
        return _nquads(graphs)
    if fmt.name == "ntriples":
        return _joined(_merged(graphs))
    if fmt.name == "trig":
        return _trig(graphs)
    if fmt.name == "jsonld":
        return _jsonld(graphs)
    text = _joined(_merged(graphs))
    if fmt.name == "turtle":
        head, body = _split_prefixes(_pyoxigraph(text, "TURTLE"))
        return head + body
    _refuse_what_xml_cannot_carry(text)
    data = _pyoxigraph(text, "RDF_XML")
    _refuse_unnamed_predicates(data)
    # A raw carriage return would read back as a newline (XML normalises line ends).
    data = data.replace(b"\r", b"&#13;")
    return data if data.endswith(b"\n") else data + b"\n"


def _pyoxigraph(statements: bytes, fmt: str, quads: bool = False) -> bytes:
    """pyoxigraph's writer fed sorted N-Triples (or N-Quads, a graph after another): subjects
    come grouped, in that order. lenient: the statements are pyoxigraph's own, checked when
    they were read; checking every IRI again would double the time."""
    import pyoxigraph as ox

    parsed = ox.parse(statements, format=ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES, lenient=True)
    return ox.serialize(parsed, format=getattr(ox.RdfFormat, fmt), prefixes=PREFIXES)


def _trig(graphs: Graphs) -> bytes:
    head, body = _split_prefixes(_pyoxigraph(_nquads(graphs), "TRIG", quads=True))
    return head + body


def _jsonld(graphs: Graphs) -> bytes:
    """pyoxigraph's JSON-LD (expanded, full IRIs) under the context shipped with kgtool, inlined:
    it only declares prefixes, so the graph is the same (never fetched)."""
    expanded = _pyoxigraph(_nquads(graphs), "JSON_LD", quads=True).strip()
    context = json.loads(jsonld_context().read_text(encoding="utf-8"))["@context"]
    head = json.dumps({"@context": context}, indent=2, ensure_ascii=False).encode("utf-8")
    return head[:-2] + b',\n  "@graph": ' + expanded + b"\n}\n"


def _joined(lines: list[bytes], end: bytes = _END) -> bytes:
    """The statements as lines that each close with `end`, in one join."""
    lines.append(b"")  # so that the last one gets its ending too, without another copy
    try:
        return end.join(lines)
    finally:
        lines.pop()


def _merged(graphs: Graphs) -> list[bytes]:
    """The triples of every graph, each once, sorted."""
    filled = [lines for _, lines in graphs if lines]
    if len(filled) <= 1:
        return filled[0] if filled else []
    return sorted_once(list(itertools.chain.from_iterable(filled)))  # sorted runs: timsort merges them


def _nquads(graphs: Graphs) -> bytes:
    """N-Quads: the default graph's statements, then each named graph's (both sorted)."""
    return b"".join(_joined(lines, b" " + name + _END if name else _END) for name, lines in graphs if lines)


def _split_prefixes(data: bytes) -> tuple[bytes, bytes]:
    """The @prefix lines, sorted (pyoxigraph's order is its own), and the rest."""
    end = 0
    while data.startswith(b"@prefix ", end):
        end = data.index(b"\n", end) + 1
    return b"".join(sorted(data[:end].splitlines(keepends=True))), data[end:]


def _refuse_what_xml_cannot_carry(text: bytes, raw: bool = False) -> None:
    """`raw`: look for raw control characters too (pyoxigraph's N-Triples escapes them all)."""
    # Quick scans first: the full pattern takes seconds on 100 MB.
    escaped = b"\\" in text and (b"\\u00" in text or b"\\b" in text or b"\\f" in text)
    if not (escaped or b"\xef\xbf" in text or (raw and _RAW_CONTROL.search(text))):
        return
    found = _NOT_XML.search(text)
    if found is None:
        return
    start = text.rfind(b"\n", 0, found.start()) + 1
    subject = text[start:text.index(b" ", start)].decode("utf-8")
    raise OutputError(f"XML 1.0 cannot carry the character {_code_point(found.group(0))} in a literal of "
                      f"{subject}, even escaped", where="--format rdfxml", fix=f"export as {_CARRIERS}, which can")


def _code_point(match: bytes) -> str:
    """U+XXXX for what _NOT_XML found: an N-Triples escape or the raw character."""
    if match[-6:-4] == b"\\u":
        return "U+" + match[-4:].decode().upper()
    named = {b"\\b": 0x08, b"\\f": 0x0C}.get(match[-2:])
    return f"U+{named if named is not None else ord(match.decode('utf-8')[-1]):04X}"


def _refuse_unnamed_predicates(data: bytes) -> None:
    """RDF/XML writes a predicate as an XML name: one ending in a character a name cannot end
    in (a digit after '/', say) cannot be written; pyoxigraph would write an empty name."""
    found = re.search(rb'<(oxprefix\d*): xmlns:\1="([^"]*)"', data)
    if found is not None:
        raise OutputError(f"RDF/XML cannot write the predicate <{found.group(2).decode()}> as an XML name",
                          where="--format rdfxml", fix=f"export as {_CARRIERS}")


# -- small rdflib graphs (the SHACL validation report) ---------------------------------

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


def serialize_graph(graph, fmt: RdfFormat) -> bytes:
    """One small rdflib Graph in a triple format (or a dataset format, as its default graph)."""
    graph = _canonical(graph)
    if fmt.name == "jsonld":
        context = json.loads(jsonld_context().read_text(encoding="utf-8"))["@context"]
        text = graph.serialize(format="json-ld", context=context, sort_keys=True, indent=2)
        return text.encode("utf-8") if isinstance(text, str) else text
    if fmt.name == "rdfxml":
        _refuse_what_xml_cannot_carry(graph.serialize(format="nt", encoding="utf-8"), raw=True)
    data = graph.serialize(format=fmt.rdflib, encoding="utf-8")
    if fmt.name in ("ntriples", "nquads"):
        return b"".join(line + b"\n" for line in sorted(set(data.splitlines())) if line.strip())
    return data
