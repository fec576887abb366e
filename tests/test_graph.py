"""The bundled graph: faithful to the article, every fact evidenced, ready for more articles."""

from __future__ import annotations

import re

import pyoxigraph as ox

from conftest import DATA, GRAPH
from kgtool.store import load

ARTICLE_GRAPH = "https://kgtool.example/graph/et-soundtrack-canceled"
NOT_FACTS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/2000/01/rdf-schema#label",
}


def source_text(store) -> str:
    rows = store.select("SELECT ?file WHERE { ?article kg:sourceFile ?file }")
    assert len(rows) == 1
    return (GRAPH / rows[0]["file"].value).read_text(encoding="utf-8")


def test_every_evidence_sentence_occurs_verbatim_in_the_source(store):
    text = source_text(store)
    sentences = store.select("SELECT ?s ?text WHERE { ?s a kg:Sentence ; schema:text ?text }")
    assert len(sentences) == 22
    missing = [row["text"].value for row in sentences if row["text"].value not in text]
    assert missing == []


def test_every_hedge_is_words_of_its_own_evidence_sentence(store):
    rows = store.select("SELECT ?hedge ?text WHERE { ?c kg:hedge ?hedge ; kg:evidence/schema:text ?text }")
    assert len(rows) >= 15
    assert [r["hedge"].value for r in rows if r["hedge"].value not in r["text"].value] == []


def test_quotation_texts_occur_in_their_evidence_sentence(store):
    rows = store.select("""SELECT ?quote ?words ?text WHERE {
        ?quote a schema:Quotation ; schema:text ?words .
        ?c rdf:subject ?quote ; rdf:predicate schema:text ; kg:evidence/schema:text ?text }""")
    assert len(rows) == 8
    assert [r["quote"].value for r in rows if r["words"].value not in r["text"].value] == []


def article_facts(store):
    """Every triple of the article graph about an entity (not the claims, sentences, article)."""
    return {
        (q.subject, q.predicate, q.object)
        for q in store.quads()
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == ARTICLE_GRAPH
        and q.predicate.value not in NOT_FACTS
        and not q.subject.value.startswith("https://kgtool.example/id/article/")
    }


def claimed(store):
    rows = store.select("SELECT ?s ?p ?o WHERE { ?c a kg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?e }")
    return {(r["s"], r["p"], r["o"]) for r in rows}


def test_every_fact_has_a_claim_and_every_claim_is_a_fact(store):
    facts, claims = article_facts(store), claimed(store)
    assert len(facts) == 103
    assert facts - claims == set()
    assert claims - facts == set()


def test_every_entity_has_a_label_and_a_readable_iri(store):
    rows = store.select("""SELECT DISTINCT ?e WHERE {
        GRAPH ?g { ?e a ?type } FILTER (?type NOT IN (kg:Claim, kg:Sentence)) }""")
    assert len(rows) >= 40
    unlabelled = [r["e"].value for r in rows if not store.select("SELECT ?e ?l WHERE { ?e rdfs:label ?l }", {"e": r["e"]})]
    assert unlabelled == []
    pattern = re.compile(r"^https://kgtool\.example/(id/[a-z]+/[a-z0-9-]+|graph/[a-z0-9-]+)$")
    assert [r["e"].value for r in rows if not pattern.match(r["e"].value)] == []


def test_hedges_survive(store):
    strengths = {
        r["source"].value.rsplit("/", 1)[-1]: r["strength"].value.rsplit("#", 1)[-1]
        for r in store.select("SELECT ?source ?strength WHERE { ?i kg:influenceSource ?source ; kg:strength ?strength }")
    }
    assert strengths == {"pennies-from-heaven-1978": "MajorInfluence", "magnolia": "MinorInfluence"}
    upcoming = store.select("SELECT ?date WHERE { work:flirty-dancing kg:releaseStatus kg:Upcoming . OPTIONAL { work:flirty-dancing schema:datePublished ?date } }")
    assert len(upcoming) == 1 and "date" not in upcoming[0]
    # Magnolia is only "Magnolia": the article does not say it is a film.
    types = {r["t"].value for r in store.select("SELECT ?t WHERE { work:magnolia a ?t }")}
    assert types == {"https://schema.org/CreativeWork"}


def test_the_article_graph_is_described_with_prov(store):
    rows = store.select("SELECT ?g ?article WHERE { ?g a kg:ArticleGraph ; prov:wasDerivedFrom ?article }")
    assert [(r["g"].value, r["article"].value) for r in rows] == [
        (ARTICLE_GRAPH, "https://kgtool.example/id/article/et-soundtrack-canceled")
    ]
    assert store.named_graphs() == [ARTICLE_GRAPH]


def test_a_second_article_reuses_entities_and_adds_its_own_graph():
    store = load([GRAPH, DATA / "second-article.trig"])
    assert len(store.named_graphs()) == 2
    rows = store.select("""SELECT ?g WHERE { GRAPH ?g { person:jenna-dewan a schema:Person } } ORDER BY ?g""")
    assert len(rows) == 2
    # one node, two graphs: the label is the same IRI's
    labels = store.select("SELECT DISTINCT ?l WHERE { person:jenna-dewan rdfs:label ?l }")
    assert [r["l"].value for r in labels] == ["Jenna Dewan"]
