"""The bundled graph as a whole, for any number of articles: labelled entities, readable IRIs,
provenance for every article graph, and articles that share entities by IRI.

The checks of each article (evidence, hedges, quotations, claims) are in test_articles.py; the
Soundtrack article's own counts in test_soundtrack_graph.py."""

from __future__ import annotations

import re

from conftest import DATA, SOUNDTRACK_FILES
from kgtool.store import load


def test_every_entity_has_a_label_and_a_readable_iri(store):
    rows = store.select("""SELECT DISTINCT ?e WHERE {
        GRAPH ?g { ?e a ?type } FILTER (?type NOT IN (kg:Claim, kg:Sentence)) }""")
    assert rows
    unlabelled = [r["e"].value for r in rows if not store.select("SELECT ?e ?l WHERE { ?e rdfs:label ?l }", {"e": r["e"]})]
    assert unlabelled == []
    pattern = re.compile(r"^https://kgtool\.example/(id/[a-z]+/[a-z0-9-]+|graph/[a-z0-9-]+)$")
    assert [r["e"].value for r in rows if not pattern.match(r["e"].value)] == []


def test_every_article_graph_is_described_with_prov(store):
    rows = store.select("SELECT ?g ?article WHERE { ?g a kg:ArticleGraph ; prov:wasDerivedFrom ?article }")
    assert sorted(r["g"].value for r in rows) == store.named_graphs()
    # each graph holds the article it says it holds
    for row in rows:
        held = bool(store.query(f"ASK {{ GRAPH <{row['g'].value}> {{ <{row['article'].value}> a schema:NewsArticle }} }}"))
        assert held, row["g"].value


def test_a_second_article_reuses_entities_and_adds_its_own_graph():
    store = load([*SOUNDTRACK_FILES, DATA / "second-article.trig"])
    assert len(store.named_graphs()) == 2
    rows = store.select("""SELECT ?g WHERE { GRAPH ?g { person:jenna-dewan a schema:Person } } ORDER BY ?g""")
    assert len(rows) == 2
    # one node, two graphs: the label is the same IRI's
    labels = store.select("SELECT DISTINCT ?l WHERE { person:jenna-dewan rdfs:label ?l }")
    assert [r["l"].value for r in labels] == ["Jenna Dewan"]


def test_an_entity_two_bundled_articles_share_is_one_node(store):
    shared = store.select("""SELECT ?e (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?e rdfs:label ?l } }
                             GROUP BY ?e HAVING (COUNT(DISTINCT ?g) > 1)""")
    for row in shared:
        labels = store.select("SELECT DISTINCT ?e ?l WHERE { ?e rdfs:label ?l }", {"e": row["e"]})
        assert len(labels) == 1, (row["e"].value, [r["l"].value for r in labels])
