"""Query results with every term as written (see kgtool.store.literals): `Store.answer`.

pyoxigraph's result writers (CSV, TSV, JSON, XML) write the results; only when they hold a
literal kept in a form of its own are the results read back, mapped and written again.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from kgtool.store.literals import PRIVATE_BYTES, decode, decode_triple


class Solutions:
    """A SELECT's solutions with every term as written; `serialize` writes them as pyoxigraph does."""

    def __init__(self, raw) -> None:
        self._raw = raw
        self.variables = raw.variables

    def __iter__(self) -> Iterator["Solution"]:
        names = [v.value for v in self.variables]
        for raw in self._raw:
            yield Solution({name: decode(term) for name in names if (term := raw[name]) is not None})

    def serialize(self, output, format) -> None:
        import io

        buffer = io.BytesIO()
        self._raw.serialize(buffer, format=format)
        data = buffer.getvalue()
        if PRIVATE_BYTES in data and format != ox.QueryResultsFormat.CSV:  # CSV shows no datatype
            buffer = io.BytesIO()
            _as_json_results(ox.parse_query_results(data, format=format)).serialize(buffer, format=format)
            data = buffer.getvalue()
        output.write(data)


class Solution(dict):
    """One solution: `solution[name]` is the term as written (None when unbound)."""

    def __missing__(self, key):
        return None


class Triples:
    """A CONSTRUCT's or DESCRIBE's triples, each as written."""

    def __init__(self, raw) -> None:
        self._raw = raw

    def __iter__(self) -> Iterator[ox.Triple]:
        return (decode_triple(triple) for triple in self._raw)


def as_written(results):
    """pyoxigraph query results with every term as written (an ASK's boolean as it is)."""
    if isinstance(results, ox.QuerySolutions):
        return Solutions(results)
    if isinstance(results, ox.QueryTriples):
        return Triples(results)
    return results


def _as_json_results(solutions):
    """Parsed results again, every term as written (through the JSON results format)."""
    import json

    names = [v.value for v in solutions.variables]
    rows = [{n: _json_term(decode(s[n])) for n in names if s[n] is not None} for s in solutions]
    text = json.dumps({"head": {"vars": names}, "results": {"bindings": rows}})
    return ox.parse_query_results(text.encode("utf-8"), format=ox.QueryResultsFormat.JSON)


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    triple = {"subject": term.subject, "predicate": term.predicate, "object": decode(term.object)}
    return {"type": "triple", "value": {k: _json_term(v) for k, v in triple.items()}}
