"""The Soundtrack article's own graph: faithful to the article, its counts exact.

Scoped to its named graph (https://kgtool.example/graph/et-soundtrack-canceled), or to the article
read alone, so that other articles in graph/ change nothing here."""

from __future__ import annotations

import pyoxigraph as ox

from conftest import GRAPH, SOUNDTRACK_ARTICLE, SOUNDTRACK_GRAPH



def select(store, text: str):
    """Answers to `text`, whose {IN} reads the Soundtrack article's own named graph."""
    return store.select(text.replace("{IN}", f"GRAPH <{SOUNDTRACK_GRAPH}>"))

NOT_FACTS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/2000/01/rdf-schema#label",
}


def test_the_article_graph_is_described_with_prov(store):
    rows = store.select(f"SELECT ?article WHERE {{ <{SOUNDTRACK_GRAPH}> a kg:ArticleGraph ; prov:wasDerivedFrom ?article }}")
    assert [r["article"].value for r in rows] == [SOUNDTRACK_ARTICLE]
    assert SOUNDTRACK_GRAPH in store.named_graphs()


def test_the_22_sentences_occur_verbatim_in_the_source(store):
    [row] = select(store, "SELECT ?file WHERE { {IN} { ?article a schema:NewsArticle ; kg:sourceFile ?file } }")
    assert row["file"].value == "sources/et-soundtrack-canceled.txt"
    text = (GRAPH / row["file"].value).read_text(encoding="utf-8")
    sentences = select(store, "SELECT ?s ?text WHERE { {IN} { ?s a kg:Sentence ; schema:text ?text } }")
    assert len(sentences) == 22
    assert [r["text"].value for r in sentences if r["text"].value not in text] == []


def test_its_15_hedges_are_words_of_their_evidence_sentences(store):
    rows = select(store, "SELECT ?hedge ?text WHERE { {IN} { ?c kg:hedge ?hedge ; kg:evidence/schema:text ?text } }")
    assert len(rows) >= 15
    assert [r["hedge"].value for r in rows if r["hedge"].value not in r["text"].value] == []


def test_its_8_quotations_occur_in_their_evidence_sentences(store):
    rows = select(store, """SELECT ?quote ?words ?text WHERE { {IN} {
        ?quote a schema:Quotation ; schema:text ?words .
        ?c rdf:subject ?quote ; rdf:predicate schema:text ; kg:evidence/schema:text ?text } }""")
    assert len(rows) == 8
    assert [r["quote"].value for r in rows if r["words"].value not in r["text"].value] == []


def article_facts(store):
    """Every triple of the article graph about an entity (not the claims, sentences, article)."""
    return {
        (q.subject, q.predicate, q.object)
        for q in store.quads()
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == SOUNDTRACK_GRAPH
        and q.predicate.value not in NOT_FACTS
        and not q.subject.value.startswith("https://kgtool.example/id/article/")
    }


def claimed(store):
    rows = select(store, """SELECT ?s ?p ?o WHERE { {IN} {
        ?c a kg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?e } }""")
    return {(r["s"], r["p"], r["o"]) for r in rows}


def test_its_103_facts_have_a_claim_and_every_claim_is_a_fact(store):
    facts, claims = article_facts(store), claimed(store)
    assert len(facts) == 103
    assert facts - claims == set()
    assert claims - facts == set()


def test_its_entities_are_labelled(store):
    rows = select(store, """SELECT DISTINCT ?e WHERE {
        {IN} { ?e a ?type } FILTER (?type NOT IN (kg:Claim, kg:Sentence)) }""")
    assert len(rows) >= 40


def test_hedges_survive(soundtrack):
    strengths = {
        r["source"].value.rsplit("/", 1)[-1]: r["strength"].value.rsplit("#", 1)[-1]
        for r in soundtrack.select("SELECT ?source ?strength WHERE { ?i kg:influenceSource ?source ; kg:strength ?strength }")
    }
    assert strengths == {"pennies-from-heaven-1978": "MajorInfluence", "magnolia": "MinorInfluence"}
    upcoming = soundtrack.select("SELECT ?date WHERE { work:flirty-dancing kg:releaseStatus kg:Upcoming . OPTIONAL { work:flirty-dancing schema:datePublished ?date } }")
    assert len(upcoming) == 1 and "date" not in upcoming[0]
    # Magnolia is only "Magnolia": the article does not say it is a film.
    types = {r["t"].value for r in soundtrack.select("SELECT ?t WHERE { work:magnolia a ?t }")}
    assert types == {"https://schema.org/CreativeWork"}
