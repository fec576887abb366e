"""From a store and a user's choices to a relation graph, and to a picture of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from kgtool.errors import InputError
from kgtool.namespaces import compact, expand
from kgtool.pictures.selection import Filters, focus_node, narrow
from kgtool.wording import count

DEFAULT_NODE_LIMIT = 300


@dataclass(frozen=True)
class GraphRequest:
    """Which relation graph: its scope (all, one article, a CONSTRUCT) and its filters."""

    article: str | None = None  # a slug, an article IRI or its graph's IRI
    triples: Any = None  # the result of a CONSTRUCT query, drawn instead of the whole graph
    query_name: str | None = None  # that query's name, for the title
    provenance: bool = False
    types: tuple[str, ...] = ()
    predicates: tuple[str, ...] = ()
    focus: str | None = None  # as the user wrote it: label, prefixed name or IRI
    depth: int = 1


@dataclass
class Picture:
    data: bytes
    nodes: int
    edges: int
    warnings: list[str]


@dataclass
class Plan:
    """What will be drawn, known before the (possibly long) drawing starts."""

    graph: Any
    title: str
    warnings: list[str]


def relation_graph(store, request: GraphRequest):
    """The relation graph the request asks for."""
    return relation_graphs(store, request)[1]


def relation_graphs(store, request: GraphRequest):
    """The graph of the request's scope, and that graph narrowed by its filters.

    Both are the same object when there is nothing to narrow, so a caller can
    tell an entity the filters left out from one that is not in the scope.
    """
    from kgtool.pictures.relations import build
    from kgtool.pictures.statements import Scope, from_triples

    article_graph = article_graph_of(store, request.article) if request.article else None
    statements = from_triples(request.triples) if request.triples is not None else None
    graph = build(store, Scope(article_graph, statements), provenance=request.provenance)
    if not (request.types or request.predicates or request.focus):
        return graph, graph
    focus = focus_node(store, graph, request.focus) if request.focus else None
    return graph, narrow(graph, Filters(request.types, request.predicates, focus, request.depth))


def article_graph_of(store, text: str) -> str:
    """The named graph of the article given as a slug, an article IRI or the graph IRI."""
    from kgtool.pictures.statements import article_graphs

    graphs = article_graphs(store)
    wanted = text[1:-1] if text.startswith("<") else (expand(text) or text)
    for graph, article in graphs.items():
        if wanted in (graph, article) or text in (graph.rsplit("/", 1)[-1], article.rsplit("/", 1)[-1]):
            return graph
    known = ", ".join(graph.rsplit("/", 1)[-1] for graph in graphs) or "none"
    raise InputError(f"no article '{text}' in the graph", where="--article", fix=f"give one of: {known}")


def plan_picture(store, request: GraphRequest, *, title: str | None = None,
                 node_limit: int = DEFAULT_NODE_LIMIT) -> Plan:
    """The relation graph to draw, its title, and what the user should hear before it is drawn."""
    graph = relation_graph(store, request)
    warnings = []
    if graph.number_of_nodes() > node_limit:
        warnings.append(
            f"{graph.number_of_nodes()} entities is above the limit of {node_limit} for a readable picture; "
            "narrow it with --focus ENTITY --depth N, --types or --article (or raise --max-nodes)")
    if graph.number_of_nodes() == 0:
        warnings.append("nothing to draw: no entity matches; loosen --types, --predicates or --article")
    return Plan(graph, title if title is not None else default_title(store, request, graph), warnings)


def draw_plan(plan: Plan, fmt: str, layout: str = "auto") -> Picture:
    from kgtool.pictures.drawing import draw

    data = draw(plan.graph, fmt, title=plan.title, layout=layout)
    return Picture(data, plan.graph.number_of_nodes(), plan.graph.number_of_edges(), plan.warnings)


def make_picture(store, request: GraphRequest, fmt: str, *, title: str | None = None,
                 layout: str = "auto", node_limit: int = DEFAULT_NODE_LIMIT,
                 warn: Callable[[str], None] | None = None) -> Picture:
    """Draw the requested relation graph in format `fmt`; `warn` hears each warning before drawing starts."""
    plan = plan_picture(store, request, title=title, node_limit=node_limit)
    for warning in plan.warnings if warn else ():
        warn(warning)
    return draw_plan(plan, fmt, layout)


def default_title(store, request: GraphRequest, graph) -> str:
    scope = "all articles"
    if request.article:
        scope = compact(article_graph_of(store, request.article))
    if request.query_name is not None:
        scope = f"query {request.query_name}"
    if request.focus:
        scope += f", around {request.focus} (depth {request.depth})"
    return f"{count(graph.number_of_nodes(), 'entity', 'entities')}, {count(graph.number_of_edges(), 'relation')}: {scope}"

