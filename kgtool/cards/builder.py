"""The article graph a card compiles to, built triple by triple, each fact with its claim.

A fact is stated once with `state` and comes out twice: the triple, and a kg:Claim that
names it (rdf:subject/predicate/object), points at the sentence that states it
(kg:evidence), and keeps the card's span, hedge and the words the sentence uses for its
object (kg:evidenceSpan, kg:hedge, kg:mention). Type and label triples of the nodes the
article speaks of are descriptions, not facts, and carry no claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgtool.namespaces import BASE, PREFIXES

RDF = PREFIXES["rdf"]
KG = PREFIXES["kg"]
SCHEMA = PREFIXES["schema"]
A = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")


def kg(local: str) -> ox.NamedNode:
    return ox.NamedNode(KG + local)


def schema(local: str) -> ox.NamedNode:
    return ox.NamedNode(SCHEMA + local)


@dataclass(frozen=True)
class Ref:
    """A node of the graph the card speaks of: an entity found by label, or a node the compiler made."""

    iri: str
    label: str
    types: tuple[str, ...]
    names: tuple[str, ...] = ()
    derived: bool = False      # a role, event, quote, ... that the compiler made, not a named entity
    new: bool = False          # not in the graph before this card

    @property
    def node(self) -> ox.NamedNode:
        return ox.NamedNode(self.iri)


@dataclass
class Evidence:
    """What supports a fact: the sentence, the card's span, hedge words, and how the sentence names things."""

    sentence: Any              # a sentences.Sentence
    span: str
    hedge: tuple[str, ...] = ()
    mentions: dict[str, str] = field(default_factory=dict)   # entity IRI -> the words used for it
    where: Any = None


class Builder:
    published = None    # the article's date, the anchor of dates in words

    def __init__(self, article_id: str):
        self.article_id = article_id
        self.graph = ox.NamedNode(f"{BASE}graph/{article_id}")
        self.article = ox.NamedNode(f"{BASE}id/article/{article_id}")
        self.quads: dict[ox.Quad, None] = {}
        self.described: dict[str, Ref] = {}
        self.claims: list[tuple[ox.Triple, Evidence]] = []
        self._claimed: set[tuple[ox.Triple, int, str | None]] = set()

    def add(self, s, p, o, graph=None) -> None:
        self.quads[ox.Quad(s, p, o, self.graph if graph is None else graph)] = None

    def describe(self, ref: Ref) -> Ref:
        """The node's types and label, once; returns it for chaining."""
        if ref.iri not in self.described:
            self.described[ref.iri] = ref
            for type_iri in ref.types:
                self.add(ref.node, A, ox.NamedNode(type_iri))
            self.add(ref.node, LABEL, ox.Literal(ref.label))
        return ref

    def state(self, subject: Ref, predicate: ox.NamedNode, obj, evidence: Evidence) -> None:
        """The fact and its claim; `obj` is a Ref or a literal."""
        self.describe(subject)
        target = self.describe(obj).node if isinstance(obj, Ref) else obj
        self.add(subject.node, predicate, target)
        triple = ox.Triple(subject.node, predicate, target)
        key = (triple, evidence.sentence.position, evidence.hedge)
        if key not in self._claimed:
            self._claimed.add(key)
            self.claims.append((triple, evidence))

    def origins(self) -> dict[str, list[str]]:
        """Where in the card each fact was written, for refusals: keyed by "subject predicate"
        IRIs, by the subject alone and by the claim's IRI."""
        found: dict[str, list[str]] = {}
        for number, (triple, evidence) in enumerate(self.claims, start=1):
            claim = f"{self.article.value}/claim/c{number:0{self._claim_width}d}"
            for key in (f"{triple.subject.value} {triple.predicate.value}", triple.subject.value, claim):
                places = found.setdefault(key, [])
                if str(evidence.where) not in places:
                    places.append(str(evidence.where))
        return found

    @property
    def _claim_width(self) -> int:
        return max(3, len(str(len(self.claims))))

    def finish_claims(self) -> None:
        width = self._claim_width
        sentence_width = self.sentence_width
        for number, (triple, evidence) in enumerate(self.claims, start=1):
            claim = ox.NamedNode(f"{self.article.value}/claim/c{number:0{width}d}")
            self.add(claim, A, kg("Claim"))
            self.add(claim, ox.NamedNode(RDF + "subject"), triple.subject)
            self.add(claim, ox.NamedNode(RDF + "predicate"), triple.predicate)
            self.add(claim, ox.NamedNode(RDF + "object"), triple.object)
            self.add(claim, kg("evidence"), self.sentence_node(evidence.sentence.position, sentence_width))
            if evidence.span != evidence.sentence.text:
                self.add(claim, kg("evidenceSpan"), ox.Literal(evidence.span))
            for hedge in evidence.hedge:
                self.add(claim, kg("hedge"), ox.Literal(hedge))
            words = evidence.mentions.get(triple.object.value) if isinstance(triple.object, ox.NamedNode) else None
            if words:
                self.add(claim, kg("mention"), ox.Literal(words))

    sentence_width = 2

    def sentence_node(self, position: int, width: int | None = None) -> ox.NamedNode:
        return ox.NamedNode(f"{self.article.value}/sentence/s{position:0{width or self.sentence_width}d}")

    def add_sentences(self, sentences) -> None:
        self.sentence_width = max(2, len(str(len(sentences))))
        for sentence in sentences:
            node = self.sentence_node(sentence.position)
            self.add(node, A, kg("Sentence"))
            self.add(node, schema("isPartOf"), self.article)
            self.add(node, kg("position"), ox.Literal(str(sentence.position),
                                                      datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")))
            self.add(node, schema("text"), ox.Literal(sentence.text))

    def sorted_quads(self) -> list[ox.Quad]:
        return list(self.quads)


def trig(quads: list[ox.Quad], header: str = "", article: str | None = None) -> bytes:
    """The quads as TriG with the project's prefixes (and the article's `sentence:` and `claim:`), in a stable order."""
    ordered = sorted(quads, key=_order)
    used = _used_prefixes(ordered)
    if article is not None:
        used.update({"sentence": f"{article}/sentence/", "claim": f"{article}/claim/"})
    body = ox.serialize(ordered, format=ox.RdfFormat.TRIG, prefixes=used).decode("utf-8")
    # pyoxigraph writes the prefixes in an order of its own: ours, one per line, in the project's order.
    lines = [line for line in body.splitlines(keepends=True) if not line.startswith("@prefix ")]
    declared = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in used.items())
    return (header + declared + "\n" + "".join(lines)).encode("utf-8")


def _used_prefixes(quads) -> dict[str, str]:
    iris = set()
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {name: ns for name, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def _order(quad: ox.Quad):
    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
    claimish = "/claim/" in quad.subject.value or "/sentence/" in quad.subject.value
    return (graph, claimish, quad.subject.value, quad.predicate != A, quad.predicate.value, str(quad.object))
