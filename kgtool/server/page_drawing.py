"""What the page's /draw draws: a neighbourhood, a path, or a query's results, as a relation graph.

The drawing itself is kgtool.pictures' (the offline page `kgtool viz` writes, its layout
script included); this module only chooses the part of the relation graph to draw:
- `iri` (or `label`) and `depth`: the entity and everything within `depth` relations;
- `from` and `to`: the shortest paths between them, as `kgtool path` finds them;
- `query` (the editor's text) or `name` (a named query) with its parameters: a CONSTRUCT's
  triples are drawn as `kgtool viz --query` draws them; a SELECT's rows, as the relations
  among the entities they name.
"""

from __future__ import annotations

from typing import Any

from kgtool.errors import InputError, QueryError
from kgtool.namespaces import compact
from kgtool.wording import count

MAX_DEPTH = 3  # deeper, a neighbourhood is most of the graph and no longer readable
_CHOICES = "give ?iri=IRI (and &depth=N), ?from=A&to=B, ?query=SPARQL or ?name=QUERY"


def choose(store, whole, params, catalog: dict) -> tuple[Any, str]:
    """(the relation graph to draw, its title) for the request's `params`; `whole()` is the
    relation graph of all the data. Refused above kgtool viz's limit for a readable picture."""
    from kgtool.pictures.request import DEFAULT_NODE_LIMIT

    graph, title = _chosen(store, whole, params, catalog)
    if graph.number_of_nodes() > DEFAULT_NODE_LIMIT:
        raise InputError(f"{graph.number_of_nodes()} entities is above the limit of {DEFAULT_NODE_LIMIT} for a "
                         "readable picture", where="/draw", fix="narrow it: a LIMIT, a smaller depth, more "
                         "specific patterns; the table has every row")
    return graph, title


def _chosen(store, whole, params, catalog: dict) -> tuple[Any, str]:
    if params.get("from") or params.get("to"):
        return _path(store, whole(), params.get("from", ""), params.get("to", ""))
    if params.get("iri") or params.get("label"):
        text = f"<{params['iri']}>" if params.get("iri") else params["label"]
        return _neighbourhood(store, whole(), text, _depth(params.get("depth", "1")))
    if params.get("query"):
        return _results(store, whole, store.query(params["query"], source="the editor"), "the editor's query")
    if params.get("name"):
        return _named(store, whole, params, catalog)
    raise InputError("nothing to draw", where="/draw", fix=_CHOICES)


def _depth(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_DEPTH:
        raise InputError(f"depth '{text}' is not a whole number from 1 to {MAX_DEPTH}", where="/draw?depth=",
                         fix=f"give depth=1 (the neighbours) up to depth={MAX_DEPTH}")
    return int(text)


def _neighbourhood(store, whole, text: str, depth: int):
    from kgtool.pictures.selection import focus_node, neighbourhood

    node = focus_node(store, whole, text, where="/draw?iri=")
    graph = neighbourhood(whole, node, depth)
    label = whole.nodes[node]["label"]
    return graph, f"{label}: {count(graph.number_of_nodes() - 1, 'neighbour')} within {count(depth, 'relation')}"


def _path(store, whole, start: str, end: str):
    from kgtool.pictures.connections import connect, path_subgraph, verdict

    if not (start.strip() and end.strip()):
        raise InputError("a path needs both ends", where="/draw", fix="give ?from=A&to=B")
    connection = connect(store, whole, start, end, 20)
    return path_subgraph(whole, connection), verdict(connection)


def _named(store, whole, params, catalog: dict):
    import pyoxigraph as ox

    from kgtool.server.named import find
    from kgtool.server.protocol import Job

    query = find(catalog, params["name"])
    given = tuple(sorted((k, v) for k, v in params.multi_items() if k != "name"))
    answer = store.run(Job(query.text, "query", "json", "ntriples", named_query=query, params=given,
                           source=f"queries/{query.name}"))
    if answer.media_type == "application/n-triples":
        results = list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
    else:
        results = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
    return _results(store, whole, results, f"query {query.name}")


def _results(store, whole, results, what: str):
    """A CONSTRUCT's triples drawn as they are; a SELECT's entities with the relations among them."""
    import pyoxigraph as ox

    from kgtool.pictures.relations import build
    from kgtool.pictures.statements import Scope, from_triples

    if isinstance(results, ox.QueryBoolean):
        raise QueryError("an ASK query answers yes or no: there is nothing to draw", where=what,
                         fix="draw a SELECT or CONSTRUCT query")
    if not isinstance(results, ox.QuerySolutions):
        graph = build(store, Scope(None, from_triples(results)))
        return graph, f"{what}: {_size(graph)}"
    named = {compact(term.value) for solution in results for term in solution if isinstance(term, ox.NamedNode)}
    graph = whole()
    graph = graph.subgraph([node for node in named if node in graph]).copy()
    return graph, f"{what}: the {_size(graph)} among the entities its rows name"


def _size(graph) -> str:
    return f"{count(graph.number_of_nodes(), 'entity', 'entities')}, {count(graph.number_of_edges(), 'relation')}"
