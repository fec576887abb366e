"""Named SPARQL queries and their parameters.

A named query is a `.rq` file; its stem is its name and its first comment line
its summary. Parameters are declared in the header:

    # @param person iri = person:jenna-dewan -- the person whose works to list

and bound as RDF terms (SPARQL substitution), never pasted into the query text.
An `iri` parameter also accepts a label ("Jenna Dewan"), resolved in the graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgtool.errors import QueryError
from kgtool.namespaces import PREFIXES, expand

_PARAM = re.compile(
    r"^#\s*@param\s+(?P<name>[A-Za-z_]\w*)\s+(?P<kind>iri|literal|any)"
    r"(?:\s*=\s*(?P<default>\S+))?\s*(?:--\s*(?P<doc>.*))?$"
)


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # iri | literal | any
    default: str | None
    doc: str


@dataclass
class NamedQuery:
    name: str
    text: str
    source: str
    summary: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    adhoc: bool = False  # typed with -e or piped in: any variable may be bound


def parse_query_text(name: str, text: str, source: str) -> NamedQuery:
    query = NamedQuery(name=name, text=text, source=source)
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _PARAM.match(stripped)
        if match:
            query.params[match["name"]] = Param(match["name"], match["kind"], match["default"], (match["doc"] or "").strip())
        elif not query.summary:
            query.summary = stripped.lstrip("#").strip()
    return query


def catalog(directory: Path) -> dict[str, NamedQuery]:
    """Every named query in `directory`, by name."""
    if not directory.is_dir():
        raise QueryError("no such query folder", where=str(directory), fix="pass --queries with a folder of .rq files")
    return {
        path.stem: parse_query_text(path.stem, read_query_file(path), str(path))
        for path in sorted(directory.glob("*.rq"))
    }


def read_query_file(path: Path, where: str | None = None) -> str:
    """The text of a .rq file; binary or non-UTF-8 content is one clear error."""
    where = where or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise QueryError(f"cannot read the query: {exc.strerror or exc}", where=where, fix="check the path") from None
    return decode_query(data, where)


def decode_query(data: bytes, where: str) -> str:
    """SPARQL text from bytes: UTF-8 (SPARQL 1.1, section 19.1), no NUL bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise QueryError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line})", where=where,
                         fix="save the query as UTF-8 text") from None
    if "\x00" in text:
        raise QueryError("a binary file, not a SPARQL query (it holds NUL bytes)", where=where,
                         fix="give a .rq file of SPARQL text")
    return text.removeprefix("\ufeff")


def find(spec: str, directory: Path) -> NamedQuery:
    """A query by name (a stem in `directory`, or a unique prefix of one) or by .rq path."""
    path = Path(spec)
    if spec.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise QueryError("no such query file", where=spec, fix="check the path")
        return parse_query_text(path.stem, read_query_file(path, spec), spec)
    queries = catalog(directory)
    if spec in queries:
        return queries[spec]
    matches = [name for name in queries if name.startswith(spec) or name.split("-", 1)[-1] == spec]
    if len(matches) == 1:
        return queries[matches[0]]
    if matches:
        raise QueryError(f"query name '{spec}' is ambiguous: {', '.join(matches)}", fix="give more of the name")
    raise QueryError(f"unknown query '{spec}'", fix="run 'kgtool query --list' to see the named queries")


_NUMBER = re.compile(r"^[+-]?(\d+|\d*\.\d+)([eE][+-]?\d+)?$")
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")  # checked whole by pyoxigraph
_PREFIXED = re.compile(r"^[A-Za-z][\w.-]*:\S*$")
_LITERAL = re.compile(r'^"(?P<value>.*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<datatype>\S+))?$', re.S)


def parse_term(value: str, param: str) -> Any:
    """A --param value as an RDF term: <iri>, prefix:name, "text"[@lang|^^type], a number, true/false, or text."""
    import pyoxigraph as ox

    xsd = PREFIXES["xsd"]
    if value.startswith("<"):
        if not value.endswith(">"):
            raise QueryError(f"--param {param}={value}: the IRI has no closing '>'", fix=f"write {param}=<iri>")
        return _named_node(value[1:-1], param, value)
    if _IRI_SCHEME.match(value):
        return _named_node(value, param, value)
    literal = _LITERAL.match(value)
    if literal:
        if literal["lang"]:
            return ox.Literal(literal["value"], language=literal["lang"])
        if literal["datatype"]:
            datatype = literal["datatype"]
            iri = datatype[1:-1] if datatype.startswith("<") else expand(datatype)
            if iri is None:
                raise QueryError(f"unknown datatype prefix in --param {param}={value}", fix="write the datatype as <iri> or xsd:name")
            return ox.Literal(literal["value"], datatype=_named_node(iri, param, value))
        return ox.Literal(literal["value"])
    if _NUMBER.match(value):
        kind = "integer" if re.match(r"^[+-]?\d+$", value) else ("double" if "e" in value.lower() else "decimal")
        return ox.Literal(value, datatype=ox.NamedNode(xsd + kind))
    if value in ("true", "false"):
        return ox.Literal(value, datatype=ox.NamedNode(xsd + "boolean"))
    if _PREFIXED.match(value):
        iri = expand(value)
        if iri is None:
            raise QueryError(
                f"unknown prefix '{value.split(':')[0]}' in --param {param}={value}",
                fix=f"use one of {', '.join(PREFIXES)}, write <iri>, or quote text as '\"{value}\"'",
            )
        return _named_node(iri, param, value)
    return ox.Literal(value)


def _named_node(iri: str, param: str, value: str):
    """An IRI of a --param value; one that RFC 3987 refuses (a space, a '<') is the user's error."""
    import pyoxigraph as ox

    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        reason = str(exc).replace("Invalid IRI code point", "it may not hold")
        raise QueryError(f"--param {param}={value}: not a valid IRI ({reason})",
                         fix="write spaces and <>\"{}|^` in an IRI as %XX escapes, or quote text as \"...\"") from None


def bind_params(query: NamedQuery, given: dict[str, str], store) -> dict[str, Any]:
    """RDF terms for the query's parameters: the given values, else the defaults."""
    import pyoxigraph as ox

    from kgtool.store.labels import resolve

    unknown = sorted(set(given) - set(query.params))
    if unknown and not query.adhoc:
        takes = f"it takes: {', '.join(query.params)}" if query.params else "it takes none"
        raise QueryError(f"query '{query.name}' has no parameter '{unknown[0]}'", fix=takes)
    bindings: dict[str, Any] = {}
    for name, value in given.items():
        if name not in query.params and not re.match(r"^[A-Za-z_]\w*$", name):
            raise QueryError(f"'{name}' is not a SPARQL variable name", fix="use letters, digits and _")
        term = parse_term(value, name)
        param = query.params.get(name)
        if param and param.kind == "iri" and isinstance(term, ox.Literal):
            term = resolve(store, term.value, where=f"--param {name}")
        bindings[name] = term
    for param in query.params.values():
        if param.name not in bindings and param.default is not None:
            bindings[param.name] = parse_term(param.default, param.name)
    return bindings


def parse_assignments(pairs: tuple[str, ...]) -> dict[str, str]:
    """['person=jenna', ...] as a dict; a pair without '=' is an error."""
    result: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise QueryError(f"--param '{pair}' is not NAME=VALUE", fix="write --param person=person:jenna-dewan")
        result[name.strip().lstrip("?$")] = value
    return result


def construct(store, query: NamedQuery, params: dict[str, str]):
    """The triples of a CONSTRUCT or DESCRIBE query, its parameters bound; rows are an error."""
    import pyoxigraph as ox

    results = store.query(query.text, bind_params(query, params, store), source=query.source)
    if not isinstance(results, ox.QueryTriples):
        raise QueryError("--query needs a CONSTRUCT or DESCRIBE query, this one returns rows",
                         where=query.source, fix="draw a CONSTRUCT query, or run this one with kgtool query")
    from kgtool.store.answers import as_written

    return as_written(results)
