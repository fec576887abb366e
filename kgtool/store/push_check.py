"""After `kgtool push`: does the triple store hold every statement it was sent?

A Graph Store answers a PUT with 200 or 201 when it has taken the body, which is not
the same as holding every statement of it (a server that stops reading a large body, a
load cut short inside the server). So push counts each graph it wrote, by a query to
the endpoint, PUTs a graph that came up short once more, and fails if it is still short:
a push that says it is done has put everything where a query finds it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

from kgtool.errors import InputError
from kgtool.store.endpoint import Http, form

# IRIs per counting query: under Virtuoso's silent 10,000-row cap, with room to spare.
_GRAPHS_A_QUERY = 1_000
_ACCEPT = "application/sparql-results+json"


@dataclass
class Written:
    """One graph as push wrote it: its IRI (None: the endpoint's own default graph), the
    statements sent, and how to send them again."""
    iri: str | None
    statements: int
    put_again: Callable[[], None]


@dataclass
class Checked:
    notes: list[str] = field(default_factory=list)  # each graph that needed a second PUT


def check_held(http: Http, endpoint: str, written: list[Written]) -> Checked:
    """Count every graph of `written` at `endpoint`; PUT each short one once more and count
    it again. InputError naming the first graph still short."""
    checked = Checked()
    short = [(w, held) for w, held in zip(written, _counts(http, endpoint, written)) if held < w.statements]
    if not short:
        return checked
    for graph, _ in short:
        graph.put_again()
    again = _counts(http, endpoint, [graph for graph, _ in short])
    for (graph, first), held in zip(short, again):
        if held < graph.statements:
            raise InputError(f"the endpoint holds {held:,} of the {graph.statements:,} statements kgtool sent to "
                             f"{_named(graph)}, also when sent a second time", where="--endpoint",
                             fix="see the server's log (its disk, its memory, a limit on a request's size), "
                                 "then push again")
        checked.notes.append(f"the endpoint held {first:,} of the {graph.statements:,} statements sent to "
                             f"{_named(graph)}; kgtool sent them again, and it holds them all")
    return checked


def _named(graph: Written) -> str:
    return f"<{graph.iri}>" if graph.iri is not None else "the default graph"


def _counts(http: Http, endpoint: str, written: list[Written]) -> list[int]:
    """How many statements the endpoint holds in each graph of `written`, in order."""
    held: dict[str | None, int] = {}
    names = [w.iri for w in written if w.iri is not None]
    for start in range(0, len(names), _GRAPHS_A_QUERY):
        values = " ".join(f"<{iri}>" for iri in names[start:start + _GRAPHS_A_QUERY])
        text = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        for row in _rows(http, endpoint, text):
            held[row["g"]["value"]] = int(row["n"]["value"])
    if any(w.iri is None for w in written):
        rows = _rows(http, endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        held[None] = int(rows[0]["n"]["value"]) if rows else 0
    return [held.get(w.iri, 0) for w in written]


def _rows(http: Http, endpoint: str, text: str) -> list[dict]:
    # A form POST: Virtuoso hangs on a direct application/sparql-query POST (RemoteStore does the same).
    answer = http.request("POST", endpoint, form({"query": text}),
                          {"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT},
                          what="the count of what push wrote", where="--endpoint")
    try:
        return json.loads(answer.body)["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        raise InputError(f"the endpoint {endpoint} did not answer the count of what push wrote with SPARQL "
                         f"JSON results ({answer.media_type or 'no Content-Type'})", where="--endpoint",
                         fix="give --endpoint the store's SPARQL query endpoint") from None
