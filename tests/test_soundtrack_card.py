"""The Soundtrack article's card compiles to everything the hand-written graph said.

tests/golden/et-soundtrack-canceled.handwritten.trig is the graph as it was written by
hand before cards existed. The card's graph holds every one of its facts and claims
(hedges included), with three known differences: the related articles' IRIs are minted
from their headlines, the labels of nodes the compiler makes are its own, and a few facts
gain a second claim from another sentence.
"""

from __future__ import annotations

import pyoxigraph as ox

from conftest import DATA, GRAPH

HANDWRITTEN = DATA.parent / "golden" / "et-soundtrack-canceled.handwritten.trig"
COMPILED = GRAPH / "articles" / "et-soundtrack-canceled.trig"
ARTICLE = "https://kgtool.example/id/article/"
RELATED = {
    "jenna-dewan-old-school-romance-flirty-dancing":
        "jenna-dewan-explains-how-shes-bringing-back-old-school-romance-on-flirty-dancing-exclusive",
    "jenna-dewan-soundtrack-first-trailer":
        "jenna-dewan-dances-to-her-own-soundtrack-in-first-trailer-for-netflix-musical-drama-exclusive",
    "jenna-dewan-pregnancy-second-time":
        "jenna-dewan-on-how-pregnancy-is-different-and-faster-the-second-time-around",
}
DERIVED = ("/id/influence/", "/id/event/", "/id/quote/", "/id/news/", "/id/graph", "/graph/")
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def load(path):
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TRIG)
    return store


def renamed(term):
    if isinstance(term, ox.NamedNode) and term.value.startswith(ARTICLE):
        local = term.value[len(ARTICLE):]
        return ox.NamedNode(ARTICLE + RELATED.get(local, local))
    return term


def facts(store):
    found = set()
    for quad in store:
        if "/claim/" in quad.subject.value:
            continue
        if quad.predicate.value == LABEL and any(part in quad.subject.value for part in DERIVED):
            continue  # the compiler's own labels for the nodes it makes
        found.add((renamed(quad.subject), quad.predicate, renamed(quad.object)))
    return found


CLAIMS = """SELECT ?s ?p ?o ?hedge ?text WHERE { GRAPH ?g {
  ?c a kg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence/schema:text ?text
  OPTIONAL { ?c kg:hedge ?hedge } } }"""
PREFIXES = ("PREFIX kg: <https://kgtool.example/ns#> PREFIX schema: <https://schema.org/> "
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ")


def claims(store):
    return {(row["s"], row["p"], row["o"], row["hedge"].value if row["hedge"] else None)
            for row in store.query(PREFIXES + CLAIMS)}


def test_the_card_keeps_every_handwritten_fact():
    missing = facts(load(HANDWRITTEN)) - facts(load(COMPILED))
    assert not missing, sorted(map(str, missing))[:10]


def test_the_card_keeps_every_handwritten_claim_and_hedge():
    compiled = claims(load(COMPILED))
    facts_claimed = {(s, p, o) for s, p, o, _ in compiled}
    hedged = {(s, p, o): h for s, p, o, h in compiled if h}
    for s, p, o, hedge in claims(load(HANDWRITTEN)):
        assert (s, p, o) in facts_claimed, (s, p, o)
        if hedge:
            assert hedged.get((s, p, o)) == hedge, (s, p, o, hedge)


def test_the_soundtrack_article_counts():
    compiled = load(COMPILED)
    assert len(claims(compiled)) == 105
    sentences = list(compiled.query(PREFIXES + "SELECT ?s WHERE { GRAPH ?g { ?s a kg:Sentence } }"))
    assert len(sentences) == 22
