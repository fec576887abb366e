"""Narrowing a relation graph: by entity type, by relation, and to one entity's neighbourhood."""

from __future__ import annotations

from dataclasses import dataclass

from kgtool.pictures import vocabulary as vocab
from kgtool.errors import InputError
from kgtool.namespaces import compact


@dataclass(frozen=True)
class Filters:
    types: tuple[str, ...] = ()  # kind keys (person, work, ...) or classes (schema:Movie)
    predicates: tuple[str, ...] = ()  # properties (schema:creator) or edge words ("created")
    focus: str | None = None  # node id of the centre
    depth: int = 1


def split_list(values: tuple[str, ...]) -> tuple[str, ...]:
    """--types person,work --types place -> ('person', 'work', 'place')."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def narrow(graph, filters: Filters):
    """The part of `graph` the filters keep, as a new graph (the input is left alone)."""
    view = graph.copy()
    if filters.types:
        _check_types(view, filters.types)
        wanted = set(filters.types)
        view.remove_nodes_from([n for n, d in graph.nodes(data=True) if not _node_matches(d, wanted)])
    if filters.predicates:
        _check_predicates(graph, filters.predicates)
        wanted = set(filters.predicates)
        view.remove_edges_from([(u, v, k) for u, v, k, d in view.edges(keys=True, data=True)
                                if d["predicate"] not in wanted and d["label"] not in wanted])
        view.remove_nodes_from([n for n in list(view.nodes) if view.degree(n) == 0 and n != filters.focus])
    if filters.focus is not None:
        view = neighbourhood(view, filters.focus, filters.depth)
    return view


def neighbourhood(graph, centre: str, depth: int):
    """Every node within `depth` edges of `centre`, edges followed either way."""
    import networkx as nx

    if centre not in graph:
        raise InputError(f"{centre} is not drawn with these filters", where="--focus",
                         fix="widen --types or --predicates, or focus on another entity")
    keep = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre, cutoff=depth)
    return graph.subgraph(keep).copy()


def focus_node(store, graph, text: str, where: str = "--focus") -> str:
    """The node id of the entity named by `text` (label, prefixed name or IRI)."""
    from kgtool.store.labels import resolve

    node = compact(resolve(store, text, where=where).value)
    if node not in graph:
        raise InputError(f"{node} is not an entity of the relation graph", where=where,
                         fix="focus on a person, work, character, organisation, place or event")
    return node


def _node_matches(data: dict, wanted: set[str]) -> bool:
    return data["kind"] in wanted or bool(set(data["types"].split()) & wanted)


def _check_types(graph, types: tuple[str, ...]) -> None:
    known = set(vocab.DRAWN_KINDS)
    classes = {c for _, d in graph.nodes(data=True) for c in d["types"].split()}
    unknown = [t for t in types if t not in known and t not in classes]
    if unknown:
        raise InputError(f"unknown type '{unknown[0]}'", where="--types",
                         fix=f"use one of {', '.join(vocab.DRAWN_KINDS)} or a class such as schema:Movie")


def _check_predicates(graph, predicates: tuple[str, ...]) -> None:
    known = {d["predicate"] for *_, d in graph.edges(data=True)} | {d["label"] for *_, d in graph.edges(data=True)}
    unknown = [p for p in predicates if p not in known]
    if unknown:
        examples = ", ".join(sorted({d["predicate"] for *_, d in graph.edges(data=True)})[:6])
        raise InputError(f"no relation '{unknown[0]}' in the graph", where="--predicates",
                         fix=f"give a property such as {examples}, or an edge label such as 'created'")
