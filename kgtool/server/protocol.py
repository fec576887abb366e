"""The SPARQL 1.1 Protocol: what a request asks (a query or an update, its text and dataset).

SPARQL 1.1 Protocol, section 2: a query comes by GET (`?query=`), by a URL-encoded
POST (`query=`) or as the body of a POST of type `application/sparql-query`; an
update by POST only (`update=`, or `application/sparql-update`). The dataset is
`default-graph-uri` / `named-graph-uri` for a query and `using-graph-uri` /
`using-named-graph-uri` for an update, each any number of times. Whatever the
protocol does not allow is a 4xx with one line saying what to send instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from kgtool.errors import InputError
from kgtool.store import guard

if TYPE_CHECKING:
    from kgtool.queries import NamedQuery

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
_DATASET = {"query": ("default-graph-uri", "named-graph-uri"),
            "update": ("using-graph-uri", "using-named-graph-uri")}


class ProtocolError(InputError):
    """A request the protocol does not allow; `http_status` is the status that says so."""

    def __init__(self, http_status: int, what: str, **kwargs) -> None:
        super().__init__(what, **kwargs)
        self.http_status = http_status


@dataclass(frozen=True)
class Job:
    """One piece of work for the executor (kgtool.server.executor), which answers it with an
    Outcome(body, media_type, rows, truncated). The app has refused SERVICE and LOAD already."""

    text: str  # the SPARQL query or update
    kind: str = "query"  # query | update
    result_format: str = "json"  # for SELECT, ASK: a RESULT_FORMATS name (json, xml, csv, tsv)
    graph_format: str = "turtle"  # for CONSTRUCT, DESCRIBE: an RDF_FORMATS name
    # The query's dataset (default-graph-uri, named-graph-uri): when either is given, exactly those
    # graphs (no default graph given: an empty one); else the store's merge and every named graph.
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] | None = None
    named_query: "NamedQuery | None" = None  # /queries/NAME: `params` are bound in the worker (labels)
    params: tuple[tuple[str, str], ...] = ()  # NAME=VALUE as the CLI's --param takes them
    base_iri: str | None = None  # the endpoint's URL, for relative IRIs in the text
    source: str = "query"  # where an error says it is: query, update, store, queries/NAME


@dataclass(frozen=True)
class Operation:
    """What a /sparql request asks, read but not yet run."""

    kind: str  # query | update
    text: str
    graphs: tuple[str, ...] = ()  # default-graph-uri or using-graph-uri
    named: tuple[str, ...] = ()  # named-graph-uri or using-named-graph-uri


def fields(data: bytes | str, where: str) -> list[tuple[str, str]]:
    """URL-encoded name=value pairs (a query string or a form body), in order, repeats kept."""
    from kgtool.server.urlencoded import parse_pairs

    try:  # raw UTF-8 too, as some clients send
        return parse_pairs(data.encode("utf-8") if isinstance(data, str) else data)
    except UnicodeError:
        raise ProtocolError(400, "not URL-encoded UTF-8", where=where,
                            fix="percent-encode the UTF-8 bytes of every value") from None


def read_operation(method: str, content_type: str | None, url_fields: list[tuple[str, str]],
                   body: bytes) -> Operation | None:
    """The operation of a /sparql request; None for a GET that asks nothing (the service description)."""
    if method in ("GET", "HEAD"):
        if any(name == "update" for name, _ in url_fields):
            raise ProtocolError(400, "an update cannot be sent by GET", where="update",
                                fix="POST it as application/sparql-update or as a form field update=")
        if not any(name == "query" for name, _ in url_fields):
            return None
        return _operation("query", _one(url_fields, "query"), url_fields)
    media, charset = media_type(content_type)
    if media == FORM_TYPE:
        given = url_fields + fields(body, "the form")
        kinds = [kind for kind in ("query", "update") if any(name == kind for name, _ in given)]
        if len(kinds) != 1:
            raise ProtocolError(400, "the form must hold one field query= or one field update=",
                                where="the form", fix="send exactly one of them")
        return _operation(kinds[0], _one(given, kinds[0]), given)
    if media in (QUERY_TYPE, UPDATE_TYPE):
        if charset not in (None, "utf-8"):
            raise ProtocolError(415, f"a SPARQL text is UTF-8, not {charset}", where="Content-Type",
                                fix=f"send the text as UTF-8 (Content-Type: {media}; charset=utf-8)")
        from kgtool.queries import decode_query

        kind = "query" if media == QUERY_TYPE else "update"
        return _operation(kind, decode_query(body, "the request body"), url_fields)
    raise ProtocolError(415, f"a POST to /sparql of type {media or '(none)'} holds no query or update",
                        where="Content-Type", fix=f"send {QUERY_TYPE}, {UPDATE_TYPE} or {FORM_TYPE}")


def media_type(header: str | None) -> tuple[str | None, str | None]:
    """The media type of a Content-Type header, lower-cased, and its charset if one is given."""
    if not header:
        return None, None
    media, *parameters = header.split(";")
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower() or None, charset


def _one(given: list[tuple[str, str]], name: str) -> str:
    values = [value for key, value in given if key == name]
    if len(values) != 1:
        raise ProtocolError(400, f"{name}= is given {len(values)} times", where=name,
                            fix=f"send one {name} per request")
    return values[0]


def _operation(kind: str, text: str, given: list[tuple[str, str]]) -> Operation:
    graphs_name, named_name = _DATASET[kind]
    other = _DATASET["update" if kind == "query" else "query"]
    wrong = next((name for name, _ in given if name in other), None)
    if wrong is not None:
        raise ProtocolError(400, f"{wrong} is a parameter of {'an update' if kind == 'query' else 'a query'}, "
                            f"and this request is {'a query' if kind == 'query' else 'an update'}", where=wrong,
                            fix=f"name the dataset with {graphs_name} and {named_name}")
    graphs = tuple(graph_iri(value, graphs_name) for name, value in given if name == graphs_name)
    named = tuple(graph_iri(value, named_name) for name, value in given if name == named_name)
    return Operation(kind, text, graphs, named)


def graph_iri(value: str, where: str) -> str:
    """A graph IRI a client gave, checked as pyoxigraph checks an IRI (so it is safe inside <...>)."""
    import pyoxigraph as ox

    try:
        return ox.NamedNode(value).value
    except ValueError as exc:
        raise ProtocolError(400, f"'{value}' is not an absolute IRI ({exc})", where=where,
                            fix="give the graph's full IRI, percent-encoded") from None


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's form read from its first keyword after the
    prologue (BASE and PREFIX lines), or None when the text starts otherwise (the parser says why)."""
    match = _PROLOGUE_THEN_WORD.match(text)
    if match is not None and match[1].upper() in QUERY_FORMS:
        return match[1].upper()
    return _query_form_by_tokens(text)


# A well-formed prologue and the word after it, in one pass of the regex engine: a portable
# query's thirty PREFIX lines cost 0.4 ms as Python tokens, on every request. Possessive, so
# no text backtracks. Whatever it does not match (a comment between PREFIX and its IRI, odd
# case) goes to the token scan, which it agrees with wherever it matches.
_IRI = r"""<[^<>"{}|^`\\\x00-\x20]*>"""
_PROLOGUE_THEN_WORD = re.compile(rf"""
    (?:\s|\#[^\n]*
      |[Pp][Rr][Ee][Ff][Ii][Xx]\s+(?:[^\W\d][\w.-]*)?:\s*{_IRI}
      |[Bb][Aa][Ss][Ee]\s*{_IRI}
    )*+
    ([^\W\d]\w*)(?![\w.-]*:)  # a word, not the start of a prefixed name (guard's tokens tell them so)
""", re.VERBOSE)


def _query_form_by_tokens(text: str) -> str | None:
    skip = 0
    for token in guard.tokens(text):
        if token.kind in ("space", "comment"):
            continue
        if skip:
            skip -= 1
            continue
        if token.kind != "word":
            return None
        word = token.text.upper()
        if word in ("PREFIX", "BASE"):
            skip = 2 if word == "PREFIX" else 1
            continue
        return word if word in QUERY_FORMS else None
    return None


def endpoint_iri(scope) -> str:
    """The URL a request was sent to, without query string or fragment, as an IRI (the base of
    relative IRIs in its text); 400 when the Host header makes no IRI."""
    headers = scope.get("headers") or ()
    host = next((value for name, value in headers if name == b"host"), None)
    server = scope.get("server")
    return _endpoint_iri(scope.get("scheme", "http"), host, tuple(server) if server else None,
                         scope.get("root_path", ""), scope.get("path", ""))


@lru_cache(maxsize=256)  # one per host name and path: building it is Starlette's URL and pyoxigraph's IRI check
def _endpoint_iri(scheme: str, host: bytes | None, server: tuple | None, root_path: str, path: str) -> str:
    from starlette.datastructures import URL

    headers = [(b"host", host)] if host is not None else []
    scope = {"type": "http", "scheme": scheme, "server": server, "root_path": root_path, "path": path,
             "query_string": b"", "headers": headers}
    return graph_iri(str(URL(scope=scope)).split("#", 1)[0], "the Host header")


def query_hash(text: str) -> str:
    """What the request log shows of a query: the first 12 hex digits of its SHA-256."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
