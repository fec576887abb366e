"""What real SPARQL servers send that the W3C formats do not say, read as they meant it.

Measured (issue 13): Virtuoso 7.2 writes a literal with a datatype as `"typed-literal"`
(SPARQL 1.0's JSON draft), booleans as 0 and 1 (an ASK's answer and xsd:boolean
values), blank nodes as `nodeID://b123`, which no RDF syntax allows as a label; it cuts
every result at 10,000 rows under HTTP 200, with no marker; a direct
`application/sparql-query` POST hangs (kgtool always sends form POSTs, which every
server takes); `?x p+ ?y` with both ends unbound fails. `Quirks` collects what was
worked around, each kind once, as the one-line notes `kgtool: note:` shows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_BLANK_LABEL = re.compile(r"[^A-Za-z0-9_]")
# Rows a server cuts every result at, silently: Virtuoso's ResultSetMaxRows (10,000 by default).
KNOWN_CAPS = (10_000,)
# Where kgtool push puts the merge of every graph when the Graph Store has no default graph
# (Virtuoso's: its queries' default graph is the union of all graphs, system graphs included).
MERGE_GRAPH = "urn:x-kgtool:default-graph"
# Graphs a fresh Virtuoso holds of its own (its RDF views, LDP and URIQA descriptions, DAV).
_VIRTUOSO_OWN = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://localuriqaserver/")

NOTES = {
    "typed-literal": "read the endpoint's \"typed-literal\" JSON terms as literals (SPARQL 1.0's form)",
    "boolean": "read the endpoint's booleans written as 0 and 1 as false and true",
    "blank": "renamed the endpoint's blank node labels that RDF does not allow (such as nodeID://b1)",
    "paged": "the endpoint cut a result at exactly {cap:,} rows, its silent cap; kgtool fetched it "
             "page by page ({pages} pages, {rows:,} rows)",
    "capped": "the endpoint answered exactly {cap:,} rows, which may be its silent cap, and the query "
              "has a LIMIT or OFFSET of its own that kgtool cannot page over: the answer may be cut",
    "paths": "the endpoint refused a property path with both ends unbound (?x p+ ?y); kgtool found its "
             "pairs from the path's single steps and sent them as VALUES",
    "empty-default": "the endpoint's default graph is empty but its named graphs are not, so a query sees "
                     "only what it asks for in GRAPH ?g; fill the default graph with kgtool push (the merge of "
                     "every graph), or use the server's union-default-graph setting",
    "dataset": "read the endpoint's default graph from <" + MERGE_GRAPH + ">, where kgtool push put the "
               "merge of every graph ({server}'s own default graph is the union of all its graphs, its system "
               "graphs included), and GRAPH ?g from its {graphs:,} named graphs without its system graphs",
    "exists": "sent EXISTS {{ FILTER(e) }} as COALESCE((e), false), which means the same ({server}'s compiler "
              "fails on it)",
    "form": "sent queries as form POSTs ({server} hangs on a direct application/sparql-query POST)",
}


@dataclass
class Quirks:
    """What was worked around on one endpoint, each kind said once."""

    said: dict[str, str] = field(default_factory=dict)

    def note(self, kind: str, **details) -> None:
        if kind not in self.said:
            self.said[kind] = NOTES[kind].format(**details)

    def lines(self) -> list[str]:
        return list(self.said.values())


def clean_results(data: bytes, quirks: Quirks, booleans: frozenset | set = frozenset()) -> tuple[dict, bytes]:
    """SPARQL JSON results as parsed JSON and as W3C JSON bytes for pyoxigraph's parser, with
    each server's quirks read as meant (noted in `quirks`). Raises ValueError if not JSON."""
    document = json.loads(data)
    if not isinstance(document, dict):
        raise ValueError("not a SPARQL JSON results document")
    if "boolean" in document:
        answer = document["boolean"]
        if not isinstance(answer, bool):
            quirks.note("boolean")
            document["boolean"] = answer in (1, "1", "true")
        return document, json.dumps({"head": {}, "boolean": document["boolean"]}).encode()
    rows = document.get("results", {}).get("bindings", [])
    for row in rows:
        for name, term in row.items():
            row[name] = _clean_term(term, quirks)
            if name in booleans and term.get("datatype") == _XSD_INTEGER and term.get("value") in ("0", "1"):
                quirks.note("boolean")  # Virtuoso: a computed boolean (EXISTS, BOUND) as the integer 0 or 1
                row[name] = {"type": "literal", "datatype": _XSD_BOOLEAN,
                             "value": "true" if term["value"] == "1" else "false"}
    return document, json.dumps(document).encode()


def _clean_term(term: dict, quirks: Quirks) -> dict:
    kind = term.get("type")
    if kind == "typed-literal":
        quirks.note("typed-literal")
        term = {**term, "type": "literal"}
    elif kind == "bnode" and _BLANK_LABEL.search(term.get("value", "")):
        quirks.note("blank")
        term = {**term, "value": "b" + _BLANK_LABEL.sub("_", term["value"])}
    if term.get("type") == "literal" and term.get("datatype") == _XSD_BOOLEAN and term.get("value") in ("0", "1"):
        quirks.note("boolean")
        term = {**term, "value": "true" if term["value"] == "1" else "false"}
    return term


def results_json(variables: list[str], rows: list[dict]) -> bytes:
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": rows}}).encode()


def is_virtuoso(server_header: str) -> bool:
    return "virtuoso" in server_header.lower()


def is_system_graph(iri: str) -> bool:
    """A graph the server keeps for itself (Virtuoso's), or kgtool push's merge: not an article."""
    return iri == MERGE_GRAPH or iri.startswith(_VIRTUOSO_OWN) or "/DAV/" in iri


def has_no_default_graph(message: str) -> bool:
    """Whether a Graph Store's error says it has no default graph to PUT (Virtuoso's 22023)."""
    return "not configured to have default graph" in message


def refuses_unbounded_path(message: str) -> bool:
    """Whether a server's error says it cannot run a transitive path with both ends unbound
    (Virtuoso: "TR...: transitive start not given", "... a transitive derived table but neither
    end of it is bound")."""
    lowered = message.lower()
    return "transitive" in lowered and any(words in lowered for words in ("not given", "neither end", "unbound"))
