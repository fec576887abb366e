"""Query results out: the W3C result formats, a text table and Markdown.

CSV, TSV, JSON and XML are written by pyoxigraph's serialisers (the SPARQL 1.1
result formats, exactly); the table and Markdown are for people, with IRIs
shortened by the known prefixes and literals shown by their text.
"""

from __future__ import annotations

from typing import IO, Any

from kgtool.errors import QueryError
from kgtool.wording import count
from kgtool.store.formats import RDF_FORMATS, RESULT_FORMATS
from kgtool.namespaces import show_term


def kind_of(results: Any) -> str:
    import pyoxigraph as ox

    from kgtool.store.answers import Triples  # results as written (Store.answer)

    if isinstance(results, ox.QueryBoolean):
        return "boolean"
    if isinstance(results, (ox.QueryTriples, Triples)):
        return "graph"
    return "solutions"


def default_format(kind: str) -> str:
    return "turtle" if kind == "graph" else "table"


def check_format(kind: str, fmt: str) -> None:
    """Refuse a format the result kind has no form in, before anything is written."""
    if kind == "graph" and fmt not in RDF_FORMATS:
        raise QueryError(
            f"a CONSTRUCT or DESCRIBE query returns RDF, not '{fmt}' results",
            fix=f"use --format {'|'.join(RDF_FORMATS)}",
        )
    if kind != "graph" and fmt not in RESULT_FORMATS:
        raise QueryError(
            f"a SELECT or ASK query returns results, not '{fmt}'",
            fix=f"use --format {'|'.join(RESULT_FORMATS)}",
        )
    if kind == "boolean" and fmt in ("csv", "tsv"):
        raise QueryError(f"an ASK result has no {fmt.upper()} form", fix="use --format table, json or xml")


def render(results: Any, fmt: str, stream: IO[bytes]) -> int | None:
    """Write `results` to `stream` in `fmt`; return the number of rows or triples, if counted."""
    import pyoxigraph as ox

    kind = kind_of(results)
    check_format(kind, fmt)
    if kind == "graph":
        from kgtool.store.serialization import serialize_triples

        triples = list(results)
        stream.write(serialize_triples(triples, fmt))
        return len(triples)
    spec = RESULT_FORMATS[fmt]
    if spec.oxigraph:
        results.serialize(stream, format=getattr(ox.QueryResultsFormat, spec.oxigraph))
        return None
    if kind == "boolean":
        stream.write((("true" if bool(results) else "false") + "\n").encode())
        return 1
    names = [v.value for v in results.variables]
    rows = [[display_term(solution[n]) for n in names] for solution in results]
    text = _markdown(names, rows) if fmt == "markdown" else _table(names, rows)
    stream.write(text.encode("utf-8"))
    return len(rows)


def display_term(term: Any) -> str:
    """A term for people, as the reports show it (namespaces.show_term), a blank node as _:label."""
    return show_term(term, blank=None)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _table(names: list[str], rows: list[list[str]]) -> str:
    cells = [[_one_line(c) for c in row] for row in rows]
    widths = [max([len(n)] + [len(row[i]) for row in cells]) for i, n in enumerate(names)]
    def line(values):
        return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip() + "\n"
    out = [line(names), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    out.append(f"({count(len(rows), 'row')})\n")
    return "".join(out)


def _markdown(names: list[str], rows: list[list[str]]) -> str:
    def escape(text: str) -> str:
        return _one_line(text).replace("\\", "\\\\").replace("|", "\\|")
    out = ["| " + " | ".join(names) + " |\n", "|" + "|".join("---" for _ in names) + "|\n"]
    out.extend("| " + " | ".join(escape(c) for c in row) + " |\n" for row in rows)
    return "".join(out)
