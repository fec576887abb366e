"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol manifests, read (the harness's first half).

The tests live outside the repository, in ../shared/w3c-sparql-protocol-tests/ (README.md
there): `protocol-manifest.ttl` (mf:ProtocolTest) and `gsp-manifest.ttl`, which includes the
direct and indirect manifests (mf:GraphStoreProtocolTest). Each test is a list of ht:Request
nodes, each with an ht:resp of what must come back. This module reads them (pyoxigraph) into
`W3CTest`s of `Step`s with their `Expected` replies; tests/w3c_protocol.py runs them.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
SUITE = (ROOT.parent / "shared" / "w3c-sparql-protocol-tests").resolve()

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
HTS = "http://www.w3.org/2011/http-statusCodes#"
CNT = "http://www.w3.org/2011/content#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

# hts: names the manifests use for single codes; hts:StatusCodeNxx names a class.
CODES = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
WRITES = {"PUT", "POST", "DELETE"}


class SuiteMissing(AssertionError):
    """The shared folder of the W3C tests is not where the harness looks."""


# -- what a manifest says --------------------------------------------------------------------

@dataclass(frozen=True)
class Expected:
    statuses: tuple[str, ...]            # "2xx" classes or "201" codes
    boolean: bool | None = None
    format: str | None = None           # "boolean", "tabular", "RDF"
    location: str | None = None         # the template variable the Location header fills
    content_type: str | None = None     # an expected response header
    body: str | None = None             # RDF text, compared by isomorphism

    def allows(self, status: int) -> bool:
        return any(str(status) == s or (s.endswith("xx") and str(status)[0] == s[0]) for s in self.statuses)

    @property
    def success(self) -> bool:
        return any(s.startswith("2") for s in self.statuses)


@dataclass(frozen=True)
class Step:
    method: str
    path: str                            # as the manifest writes it (/sparql/..., /gsp...)
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    expected: Expected

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def is_update(self) -> bool:
        """A SPARQL update: direct, by form, or in a GET's query string."""
        kind = (self.header("content-type") or "").split(";")[0].strip().lower()
        if kind == "application/sparql-update":
            return True
        form = self.path.partition("?")[2]
        if kind == "application/x-www-form-urlencoded" and self.body:
            form = self.body.decode("utf-8", "replace")
        return "update" in urllib.parse.parse_qs(form)

    @property
    def is_write(self) -> bool:
        """A change to the data: an update, or a Graph Store PUT/POST/DELETE."""
        return self.is_update or (self.path.startswith("/gsp") and self.method in WRITES)


@dataclass(frozen=True)
class W3CTest:
    name: str                            # the local name: query_post_form, put_get_default
    kind: str                            # "protocol" or "gsp"
    title: str
    steps: tuple[Step, ...]
    graphs: tuple[tuple[Path, str], ...] = ()   # ut:graphData: (file, graph IRI from rdfs:label)
    requires: frozenset[str] = frozenset()      # mf:requires local names

    @property
    def writes(self) -> bool:
        """Some step changes the data and is expected to succeed: a read-only service refuses it."""
        return any(s.is_write and s.expected.success for s in self.steps)

    @property
    def refused(self) -> bool:
        """Every request of the test must be refused (4xx): the malformed-request tests."""
        return all(all(s.startswith("4") for s in step.expected.statuses) for step in self.steps)


def _objects(g: ox.Store, s, p: str) -> list:
    return [q.object for q in g.quads_for_pattern(s, ox.NamedNode(p), None)]


def _one(g: ox.Store, s, p: str):
    found = _objects(g, s, p)
    return found[0] if found else None


def _list(g: ox.Store, node) -> list:
    items = []
    while node is not None and node != ox.NamedNode(RDF + "nil"):
        items.append(_one(g, node, RDF + "first"))
        node = _one(g, node, RDF + "rest")
    return items


def _headers(g: ox.Store, node) -> tuple[tuple[str, str], ...]:
    headers = _one(g, node, HT + "headers")
    return tuple((_one(g, h, HT + "fieldName").value, _one(g, h, HT + "fieldValue").value)
                 for h in (_list(g, headers) if headers else []))


def _body(g: ox.Store, node) -> tuple[str, str] | None:
    body = _one(g, node, HT + "body")
    if body is None:
        return None
    return _one(g, body, CNT + "chars").value, _one(g, body, CNT + "characterEncoding").value


def _status(term) -> str:
    name = term.value.removeprefix(HTS)
    if re.fullmatch(r"StatusCode\dxx", name):
        return name[-3:]
    if name not in CODES:
        raise AssertionError(f"the harness knows no status hts:{name}: add it to CODES in {__file__}")
    return str(CODES[name])


def _expected(g: ox.Store, resp) -> Expected:
    boolean, fmt, location = (_one(g, resp, MF + p) for p in ("expectedBoolean", "expectedFormat",
                                                              "expectedLocation"))
    body = _body(g, resp)
    return Expected(statuses=tuple(sorted(_status(t) for t in _objects(g, resp, MF + "expectedStatus"))),
                    boolean=None if boolean is None else boolean.value == "true",
                    format=fmt.value if fmt else None, location=location.value if location else None,
                    content_type=dict((k.lower(), v) for k, v in _headers(g, resp)).get("content-type"),
                    body=body[0] if body else None)


def _step(g: ox.Store, node) -> Step:
    body = _body(g, node)
    return Step(method=_one(g, node, HT + "methodName").value, path=_one(g, node, HT + "absolutePath").value,
                headers=_headers(g, node), body=body[0].encode(body[1]) if body else None,
                expected=_expected(g, _one(g, node, HT + "resp")))


def _test(g: ox.Store, node, kind: str, folder: Path) -> W3CTest:
    action = _one(g, node, MF + "action")
    graphs = tuple((folder / Path(urllib.parse.urlparse(_one(g, d, UT + "graph").value).path).name,
                    _one(g, d, RDFS + "label").value) for d in _objects(g, node, UT + "graphData"))
    return W3CTest(name=node.value.rpartition("#")[2], kind=kind, title=_one(g, node, MF + "name").value,
                   steps=tuple(_step(g, r) for r in _list(g, _one(g, action, HT + "requests"))), graphs=graphs,
                   requires=frozenset(t.value.rpartition("#")[2] for t in _objects(g, node, MF + "requires")))


def _read(path: Path) -> ox.Store:
    g = ox.Store()
    g.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    return g


def _included(folder: Path, iri: str) -> Path:
    """An mf:include target; the shared copy prefixes the GSP manifests' names with `gsp-`."""
    name = Path(urllib.parse.urlparse(iri).path).name
    return folder / name if (folder / name).is_file() else folder / f"gsp-{name}"


def read_manifest(path: Path, kind: str) -> tuple[list[W3CTest], list[str]]:
    """Every test the manifest (and what it includes) defines, and the names its mf:entries list.

    Tests are found by their type, not only through mf:entries: the direct GSP manifest defines
    head_non_existing_direct without listing it."""
    if not path.is_file():
        raise SuiteMissing(f"the W3C protocol tests are missing: {path} (expected in {SUITE}; "
                           f"the folder ../shared/w3c-sparql-protocol-tests/ beside the project)")
    g = _read(path)
    kind_iri = ox.NamedNode(MF + ("ProtocolTest" if kind == "protocol" else "GraphStoreProtocolTest"))
    nodes = sorted((q.subject for q in g.quads_for_pattern(None, ox.NamedNode(RDF + "type"), kind_iri)),
                   key=lambda n: n.value)
    tests = [_test(g, n, kind, path.parent) for n in nodes]
    listed = [e.value.rpartition("#")[2] for m in g.quads_for_pattern(None, ox.NamedNode(MF + "entries"), None)
              for e in _list(g, m.object)]
    for include in (i for q in g.quads_for_pattern(None, ox.NamedNode(MF + "include"), None)
                    for i in _list(g, q.object)):
        more, more_listed = read_manifest(_included(path.parent, include.value), kind)
        tests += more
        listed += more_listed
    return tests, listed


def announced_counts() -> dict[str, int]:
    """How many tests the suite's README says each manifest holds: {"protocol": 34, "gsp": 14}."""
    readme = SUITE / "README.md"
    if not readme.is_file():
        raise SuiteMissing(f"the W3C protocol tests are missing: {readme}")
    text = " ".join(readme.read_text(encoding="utf-8").split())
    counts = {kind: int(m.group(1)) for kind, pattern in (("protocol", r"(\d+) `mf:ProtocolTest` entries"),
                                                          ("gsp", r"(\d+) `mf:GraphStoreProtocolTest` entries"))
              if (m := re.search(pattern, text))}
    assert set(counts) == {"protocol", "gsp"}, f"{readme} no longer says how many tests there are"
    return counts


def protocol_tests() -> list[W3CTest]:
    return read_manifest(SUITE / "protocol-manifest.ttl", "protocol")[0]


def gsp_tests() -> list[W3CTest]:
    return read_manifest(SUITE / "gsp-manifest.ttl", "gsp")[0]
