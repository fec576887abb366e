"""Canonical blank-node labels in time linear in the statements, for deterministic RDF out.

A store gives its blank nodes labels of its own (each load renames them), so the
same graph would come out with other labels each time. Almost every blank node
hangs in a tree: `[ ... ]`, an RDF list, a SHACL report's results, each node the
object of at most one statement. Such a node is labelled by hashes: bottom-up,
the hash of its statements with each child's hash in place of the child's label;
top-down, its label is the hash of its parent's label, the predicate that leads
to it and its own hash. Every label then depends on the graph alone, and the
work is linear in the statements (rdflib's canonicalisation refines colours
round after round, superlinear on a 100,000-long list). Identical siblings (two
`[ schema:name "A" ]` under one subject) are interchangeable, so numbering them
in any order gives the same output.

The rest, blank nodes in a cycle or the object of two statements, are a few
small components in practice: each goes to rdflib's canonical labelling.

Statements here are tuples of N-Triples terms as bytes: (subject, predicate,
object, graph), the graph b"" for the default graph.
"""

from __future__ import annotations

from collections import defaultdict
from hashlib import blake2b
from typing import Iterable

Quad = tuple[bytes, bytes, bytes, bytes]


def _hash(*parts: bytes) -> bytes:
    return blake2b(b"\x1f".join(parts), digest_size=16).hexdigest().encode()


def _label(digest: bytes) -> bytes:
    return b"_:b" + digest[:20]


class _Edges:
    """Where each blank node is subject (out) and object (in)."""

    def __init__(self, quads: Iterable[Quad]) -> None:
        self.out: dict[bytes, list[tuple[bytes, bytes, bytes]]] = defaultdict(list)
        self.into: dict[bytes, list[tuple[bytes, bytes, bytes]]] = defaultdict(list)
        self.quads: list[Quad] = []
        for quad in quads:
            s, p, o, g = quad
            if s[:2] == b"_:":
                self.out[s].append((p, o, g))
            if o[:2] == b"_:":
                self.into[o].append((s, p, g))
            if s[:2] == b"_:" or o[:2] == b"_:":
                self.quads.append(quad)
        self.nodes = set(self.out) | set(self.into)

    def components(self) -> list[list[bytes]]:
        """Blank nodes joined by statements between two blank nodes (union-find)."""
        parent = {node: node for node in self.nodes}

        def root(node: bytes) -> bytes:
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        for node, edges in self.out.items():
            for _, o, _ in edges:
                if o[:2] == b"_:":
                    parent[root(node)] = root(o)
        groups: dict[bytes, list[bytes]] = defaultdict(list)
        for node in self.nodes:
            groups[root(node)].append(node)
        return list(groups.values())

    def is_tree(self, component: list[bytes]) -> bool:
        """Each node the object of at most one statement, and no cycle: k nodes, k - 1 links."""
        links = 0
        for node in component:
            incoming = self.into.get(node, ())
            if len(incoming) > 1:
                return False
            links += sum(1 for s, _, _ in incoming if s[:2] == b"_:")
        return links == len(component) - 1


def canonical_labels(quads: Iterable[Quad]) -> dict[bytes, bytes]:
    """A new label for every blank node, depending on the graph alone."""
    edges = _Edges(quads)
    labels: dict[bytes, bytes] = {}
    tangled: list[list[bytes]] = []
    seen: dict[bytes, int] = defaultdict(int)  # shared: two equal trees are numbered apart
    for component in edges.components():
        if edges.is_tree(component):
            _label_tree(edges, component, labels, seen)
        else:
            tangled.append(component)
    if tangled:
        _label_tangles(edges, tangled, labels)
    return labels


def _label_tree(edges: _Edges, component: list[bytes], labels: dict[bytes, bytes],
                seen: dict[bytes, int]) -> None:
    (top,) = [n for n in component if not any(s[:2] == b"_:" for s, _, _ in edges.into.get(n, ()))]
    order = [top]  # parents before children
    for node in order:
        order.extend(o for _, o, _ in edges.out.get(node, ()) if o[:2] == b"_:")
    content: dict[bytes, bytes] = {}
    for node in reversed(order):  # children before parents
        content[node] = _hash(*sorted(p + b" " + (b"_:" + content[o] if o[:2] == b"_:" else o) + b" " + g
                                      for p, o, g in edges.out.get(node, ())))
    context = edges.into.get(top, [(b"", b"", b"")])[0]
    labels[top] = _numbered(_hash(b"root", *context, content[top]), seen)
    for node in order:
        for p, o, g in edges.out.get(node, ()):
            if o[:2] == b"_:":
                labels[o] = _numbered(_hash(labels[node], p, g, content[o]), seen)


def _numbered(base: bytes, seen: dict[bytes, int]) -> bytes:
    """The label for `base`; the n-th interchangeable node with it gets number n."""
    seen[base] += 1
    return _label(_hash(base, str(seen[base]).encode()))


def _label_tangles(edges: _Edges, components: list[list[bytes]], labels: dict[bytes, bytes]) -> None:
    """rdflib's canonical labels for each component; equal components numbered."""
    members = {node: index for index, component in enumerate(components) for node in component}
    by_component: dict[int, list[Quad]] = defaultdict(list)
    for quad in edges.quads:
        node = quad[0] if quad[0][:2] == b"_:" else quad[2]
        if node in members:
            by_component[members[node]].append(quad)
    seen: dict[bytes, int] = defaultdict(int)
    for index in sorted(by_component, key=lambda i: min(by_component[i])):  # any order: equal ones numbered
        found = _rdflib_labels(by_component[index])
        signature = _hash(*sorted(b" ".join(found.get(t, t) for t in quad) for quad in by_component[index]))
        seen[signature] += 1
        number = str(seen[signature]).encode()
        for node, label in found.items():
            labels[node] = _label(_hash(b"tangle", signature, number, label))


def _rdflib_labels(quads: list[Quad]) -> dict[bytes, bytes]:
    """rdflib's canonical label for each blank node of `quads` (the graph folded into the predicate)."""
    import rdflib
    from rdflib.compare import _TripleCanonicalizer

    def term(value: bytes):  # any other term as an IRI rdflib accepts, equal where the terms are
        return rdflib.BNode(value[2:].decode()) if value[:2] == b"_:" else rdflib.URIRef("urn:x:" + value.hex())

    graph = rdflib.Graph()
    for s, p, o, g in quads:
        graph.add((term(s), term(p + b" " + g), term(o)))
    originals = list(graph)
    canonical = list(_TripleCanonicalizer(graph).canonical_triples())
    found: dict[bytes, bytes] = {}
    for before, after in zip(originals, canonical):  # both walk the same graph in the same order
        for old, new in zip(before, after):
            if isinstance(old, rdflib.BNode):
                found[b"_:" + old.encode()] = str(new).encode()
    return found
