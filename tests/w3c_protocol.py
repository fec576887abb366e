"""A harness for the W3C SPARQL 1.1 Protocol and Graph Store Protocol tests: running them.

tests/w3c_manifests.py reads the manifests in ../shared/w3c-sparql-protocol-tests/ into
`W3CTest`s; this module runs a test's requests in order against a `Target` (anything that sends
one HTTP request: the app in-process, or a real `kgtool serve` over a socket) and says what did
not hold. The manifests' paths start with /sparql/ and /gsp; they are mapped to the app's
/sparql and /store routes. Expected RDF bodies are compared by graph isomorphism (rdflib),
expected statuses by class (hts:StatusCode2xx) or code (hts:Created), and an
mf:expectedLocation is templated into the later requests of the test.
"""

from __future__ import annotations

import csv
import io
import urllib.parse
from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox

from w3c_manifests import Expected, Step, W3CTest

SPARQL_PATH, STORE_PATH = "/sparql", "/store"
# mf:expectedFormat -> the media types the test's name allows ("expect one of: ...").
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}


# -- running a test --------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: dict[str, str]              # lower-cased names
    body: bytes


class Target(Protocol):
    base_url: str                        # scheme://host[:port], what the server sees as its authority

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> Reply: ...


def mapped(path: str) -> str:
    """The manifest's path on the app: /sparql/?x -> /sparql?x, /gsp/a?b -> /store/a?b."""
    for prefix, route in (("/sparql/", SPARQL_PATH), ("/sparql", SPARQL_PATH), ("/gsp", STORE_PATH)):
        if path.startswith(prefix):
            rest = path[len(prefix):]
            return route + ("" if not rest or rest[0] in "/?" else "/") + rest
    raise AssertionError(f"a path the harness cannot map: {path}")


@dataclass
class Run:
    """What a test's requests gave, step by step; `problems` empty when the test passed."""
    test: W3CTest
    variables: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)


def templated(text: str, variables: dict[str, str], in_query: bool) -> str:
    for name, value in variables.items():
        text = text.replace(name, urllib.parse.quote(value, safe=":/@!$'()*,;=") if in_query else value)
    return text


def send(target: Target, step: Step, variables: dict[str, str]) -> Reply:
    path = templated(mapped(step.path), variables, in_query=True)
    body = templated(step.body.decode("utf-8"), variables, False).encode("utf-8") \
        if step.body is not None and variables else step.body
    return target.send(step.method, path, dict(step.headers), body)


# -- checking a reply ------------------------------------------------------------------------

RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
                  "application/n-quads": "nquads", "application/trig": "trig", "application/ld+json": "json-ld"}


def media_type(value: str | None) -> tuple[str, dict[str, str]]:
    """("text/turtle", {"charset": "utf-8"}) from a Content-Type header (the charset lower-cased)."""
    kind, *params = (value or "").split(";")
    pairs = [p.strip().split("=", 1) for p in params if "=" in p]
    found = {k.strip().lower(): v.strip().strip('"') for k, v in pairs}
    if "charset" in found:
        found["charset"] = found["charset"].lower()
    return kind.strip().lower(), found


def results(reply: Reply):
    """The SPARQL results in the reply (an ox.QueryBoolean, ox.QuerySolutions or CSV rows)."""
    kind, _ = media_type(reply.headers.get("content-type"))
    if kind == "text/csv":  # pyoxigraph will not parse CSV results (lossy): check the shape only
        rows = list(csv.reader(io.StringIO(reply.body.decode("utf-8"))))
        assert rows and all(rows[0]), f"CSV results without a header row: {reply.body[:200]!r}"
        return rows
    return ox.parse_query_results(reply.body, format=ox.QueryResultsFormat.from_media_type(kind))


def graph_of(text: bytes | str, content_type: str):
    import rdflib

    kind, _ = media_type(content_type)
    if kind not in RDFLIB_FORMATS:
        raise AssertionError(f"no RDF format for the media type {kind!r}")
    return rdflib.Graph().parse(data=text, format=RDFLIB_FORMATS[kind])


def _check_format(reply: Reply, expected: Expected) -> list[str]:
    kind, _ = media_type(reply.headers.get("content-type"))
    if kind not in FORMATS[expected.format]:
        return [f"{expected.format} expected, as one of {sorted(FORMATS[expected.format])}; got Content-Type "
                f"{reply.headers.get('content-type')!r}"]
    try:
        if expected.format == "RDF":
            list(ox.parse(reply.body, format=ox.RdfFormat.from_media_type(kind)))
            return []
        found = results(reply)
    except (SyntaxError, ValueError, UnicodeDecodeError, AssertionError) as exc:
        return [f"the {kind} body does not parse: {exc}: {reply.body[:300]!r}"]
    if (expected.format == "boolean") != isinstance(found, ox.QueryBoolean):
        return [f"{expected.format} results expected, got {type(found).__name__}: {reply.body[:300]!r}"]
    if expected.boolean is not None and bool(found) != expected.boolean:
        return [f"the answer should be {str(expected.boolean).lower()}: {reply.body[:300]!r}"]
    return []


def _check_rdf(reply: Reply, expected: Expected, method: str) -> list[str]:
    problems = []
    if expected.content_type:
        want, got = media_type(expected.content_type), media_type(reply.headers.get("content-type"))
        if want[0] != got[0] or ("charset" in got[1] and got[1]["charset"] != want[1].get("charset", "utf-8")):
            problems.append(f"Content-Type {expected.content_type!r} expected, got "
                            f"{reply.headers.get('content-type')!r}")
    if method == "HEAD" and reply.body:
        problems.append(f"a HEAD reply with a body: {reply.body[:200]!r}")
    if expected.body is not None and not problems:
        from rdflib.compare import isomorphic, to_isomorphic, graph_diff

        want = graph_of(expected.body, expected.content_type or "text/turtle")
        try:
            got = graph_of(reply.body, reply.headers.get("content-type", ""))
        except Exception as exc:  # rdflib raises many kinds  # noqa: BLE001
            return [f"the body does not parse as {reply.headers.get('content-type')}: {exc}: {reply.body[:300]!r}"]
        if not isomorphic(want, got):
            _, missing, extra = graph_diff(to_isomorphic(want), to_isomorphic(got))
            problems.append(f"the graph differs: missing {sorted(map(str, missing))}, "
                            f"extra {sorted(map(str, extra))}")
    return problems


def check(reply: Reply, step: Step, expected: Expected | None = None) -> list[str]:
    """What in the reply departs from what the step expects (default: the manifest's ht:resp)."""
    expected = expected or step.expected
    where = f"{step.method} {mapped(step.path)}"
    if not expected.allows(reply.status):
        detail = reply.body[:300].decode("utf-8", "replace")
        return [f"{where}: status {reply.status}, expected {'/'.join(expected.statuses)}: {detail!r}"]
    problems = _check_format(reply, expected) if expected.format else []
    problems += _check_rdf(reply, expected, step.method)
    if expected.location and "location" not in reply.headers:
        problems.append("no Location header")
    return [f"{where}: {p}" for p in problems]


# -- running a test, on a service that allows updates or on a read-only one ------------------

REFUSED = Expected(statuses=("403",))


class Servers(Protocol):
    """Starts the service under test on some data, in place of the one before: every test starts
    from its own data, and a DROP ALL wipes only a scratch store. (A read-only one may be kept
    for the next start on the same data: it cannot change.)"""
    base_url: str
    allow_update: bool

    def start(self, quads: list[ox.Quad]) -> Target: ...


def quads_of(graphs) -> list[ox.Quad]:
    """ut:graphData: each N-Triples file in the graph its rdfs:label names."""
    return [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
            for path, name in graphs for t in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)]


def intact(target: Target, quads: list[ox.Quad]) -> list[str]:
    """Whether every quad of the data is still there (a refused or malformed update changed nothing)."""
    patterns = " ".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)
    reply = target.send("POST", SPARQL_PATH, {"content-type": "application/sparql-query"},
                        f"ASK {{ {patterns} }}".encode())
    step = Step("POST", "/sparql/", (), None, Expected(("2xx",), boolean=True, format="boolean"))
    return [f"the data changed: {p}" for p in check(reply, step)]


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def size(target: Target) -> int:
    """How many triples the service holds, default graph and named graphs counted together."""
    reply = target.send("POST", SPARQL_PATH, {"content-type": "application/sparql-query",
                                              "accept": "application/sparql-results+json"}, COUNT.encode())
    assert reply.status == 200, f"the harness could not count the data: {reply.status} {reply.body[:300]!r}"
    (solution,) = results(reply)
    return int(solution["n"].value)


def run(test: W3CTest, servers: Servers, canary: list[ox.Quad]) -> Run:
    """Run the test's requests in order. On a read-only service a step that writes and expects
    success must be refused (403) instead, and the test stops there: what follows needs the write.
    The canary data is loaded with the tests whose every request must be refused (malformed ones),
    and with the refused writes of a read-only service, and checked afterwards: a refused request
    must leave the data as it was (bad_update_missing_form_type's untyped update= body must not run)."""
    if test.kind == "gsp" and not servers.allow_update:
        return _run_gsp_read_only(test, servers)
    checks_canary = test.refused or (test.writes and not servers.allow_update)
    data = quads_of(test.graphs) + (canary if checks_canary else [])
    target, result = servers.start(data), Run(test)
    for step in test.steps:
        refused = step.is_write and step.expected.success and not servers.allow_update
        reply = send(target, step, result.variables)
        result.replies.append(reply)
        result.problems += check(reply, step, REFUSED if refused else None)
        if refused or result.problems:
            break
        _remember_location(result, step, reply, target.base_url)
    if checks_canary and not result.problems:
        result.problems += intact(target, canary)
    return result


def _remember_location(result: Run, step: Step, reply: Reply, base_url: str) -> None:
    if step.expected.location and "location" in reply.headers:
        url = urllib.parse.urljoin(base_url + mapped(step.path), reply.headers["location"])
        result.variables[step.expected.location] = url


def _run_gsp_read_only(test: W3CTest, servers: Servers) -> Run:
    """The Graph Store reads of the test on a read-only service: each write must be refused (403),
    and each GET or HEAD then runs on a service started with the data the writes before it would
    have made (the harness makes it itself, `Oracle`), so the reads are checked as the test says."""
    oracle, result, target, dirty = Oracle(servers.base_url), Run(test), None, True
    for step in test.steps:
        if step.is_write:
            if target is None:
                target, dirty = servers.start(oracle.quads()), False
            before = size(target)
            reply = send(target, step, result.variables)
            result.problems += check(reply, step, REFUSED)
            if not result.problems and size(target) != before:
                result.problems.append(f"{step.method} {mapped(step.path)}: refused, yet the data changed")
            if result.problems or "POSTGraphCreation" in test.requires:
                break
            oracle.apply(step)
            dirty = True
            continue
        if dirty:
            target, dirty = servers.start(oracle.quads()), False
        reply = send(target, step, result.variables)
        result.replies.append(reply)
        result.problems += check(reply, step)
        if result.problems:
            break
    return result


class Oracle:
    """What a Graph Store's data becomes after PUT, POST and DELETE requests (SPARQL 1.1 Graph
    Store HTTP Protocol, 5.3-5.6), to start a read-only service with it."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.store = ox.Store()

    def graph(self, path: str):
        route, _, query = mapped(path).partition("?")
        params = urllib.parse.parse_qs(query, keep_blank_values=True)
        if "default" in params:
            return ox.DefaultGraph()
        if "graph" in params:
            return ox.NamedNode(params["graph"][0])
        return ox.NamedNode(self.base_url + route)  # direct identification: the request's own IRI

    def apply(self, step: Step) -> None:
        graph = self.graph(step.path)
        if step.method in ("PUT", "DELETE"):
            if isinstance(graph, ox.DefaultGraph):
                self.store.clear_graph(graph)
            else:
                self.store.remove_graph(graph)
        if step.method in ("PUT", "POST"):
            for data, kind in _parts(step):
                triples = ox.parse(data, format=ox.RdfFormat.from_media_type(kind), rename_blank_nodes=True)
                self.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)

    def quads(self) -> list[ox.Quad]:
        return list(self.store)


def _parts(step: Step) -> list[tuple[bytes, str]]:
    """The RDF payloads of a request: its body, or each part of a multipart/form-data body."""
    kind, params = media_type(step.header("content-type"))
    if kind != "multipart/form-data":
        return [(step.body or b"", kind)]
    parts = []
    for chunk in step.body.split(b"--" + params["boundary"].encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.strip(b"\r\n").partition(b"\r\n\r\n")
        types = [line.split(b":", 1)[1].decode() for line in head.split(b"\r\n")
                 if line.lower().startswith(b"content-type:")]
        parts.append((data, media_type(types[0] if types else "text/turtle")[0]))
    return parts
