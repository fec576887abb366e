"""Every article in graph/, however many: claims, evidence, hedges, quotations and sentences hold together.

Each test runs once per article file in graph/articles/ and looks only at that article's named graph,
so a further article adds tests, never edits one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
import pytest

from conftest import ARTICLE_FILES, GRAPH

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SCHEMA = "https://schema.org/"
KG = "https://kgtool.example/ns#"
TYPE, LABEL = RDF + "type", "http://www.w3.org/2000/01/rdf-schema#label"
CLAIM, SENTENCE, NEWS_ARTICLE = KG + "Claim", KG + "Sentence", SCHEMA + "NewsArticle"
# Not facts of the article: what a node is and what it is called need no claim (the shapes agree).
NOT_FACTS = {TYPE, LABEL}


@dataclass
class Article:
    """One article's named graph, as triples, with the lookups the checks need."""

    file: str
    graph: str
    iri: str
    triples: set = field(default_factory=set)
    by_subject: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))

    def add(self, s, p, o) -> None:
        self.triples.add((s, p, o))
        self.by_subject[s][p.value].append(o)

    def values(self, subject, predicate: str) -> list:
        return self.by_subject.get(subject, {}).get(predicate, [])

    def of_type(self, cls: str) -> list:
        return sorted((s for s, props in self.by_subject.items()
                       if any(t.value == cls for t in props.get(TYPE, []))), key=str)

    def text(self, node) -> str:
        [words] = self.values(node, SCHEMA + "text")
        return words.value


def _article_in(path) -> Article:
    """The one named graph the file holds, and the article that graph says it holds."""
    from kgtool.store.files import parse_file

    quads = parse_file(path)
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert len(graphs) == 1, f"{path.name}: an article file holds one named graph, not {sorted(graphs)}"
    [graph] = graphs
    derived = [q.object.value for q in quads if q.subject.value == graph
               and q.predicate.value == "http://www.w3.org/ns/prov#wasDerivedFrom"]
    assert len(derived) == 1, f"{path.name}: the graph says which one article it holds (prov:wasDerivedFrom)"
    article = Article(path.name, graph, derived[0])
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            article.add(q.subject, q.predicate, q.object)
    return article


@pytest.fixture(scope="module", params=ARTICLE_FILES, ids=[p.stem for p in ARTICLE_FILES])
def article(request) -> Article:
    return _article_in(request.param)


def test_every_article_is_found_once_with_its_text(store):
    graphs = {_article_in(path).graph for path in ARTICLE_FILES}
    assert sorted(graphs) == store.named_graphs()
    described = store.select("SELECT ?g WHERE { ?g a kg:ArticleGraph }")
    assert sorted(r["g"].value for r in described) == store.named_graphs()
    texts = {f"sources/{p.name}" for p in (GRAPH / "sources").glob("*.txt")}
    files = {r["file"].value for r in store.select("SELECT DISTINCT ?file WHERE { ?a kg:sourceFile ?file }")}
    assert files <= texts, "every article's text (kg:sourceFile) is in graph/sources/"
    assert len(files) == len(ARTICLE_FILES), "each article has a text of its own"


def test_the_article_node_lives_in_its_own_graph(article):
    assert NEWS_ARTICLE in {t.value for t in article.values(ox.NamedNode(article.iri), TYPE)}
    headlines = article.values(ox.NamedNode(article.iri), SCHEMA + "headline")
    assert len(headlines) == 1


def test_every_claim_is_a_fact_of_the_same_graph(article):
    claims = article.of_type(CLAIM)
    assert claims, f"{article.file}: an article states facts, each with a claim"
    elsewhere = []
    for claim in claims:
        [s], [p], [o] = (article.values(claim, RDF + name) for name in ("subject", "predicate", "object"))
        if (s, p, o) not in article.triples:
            elsewhere.append(f"{claim}: {s} {p} {o}")
    assert elsewhere == []


def _sentences(article: Article) -> dict:
    """The article's sentences: node -> its words, each part of this article."""
    found = {}
    for node in article.of_type(SENTENCE):
        assert [a.value for a in article.values(node, SCHEMA + "isPartOf")] == [article.iri], node
        found[node] = article.text(node)
    return found


# The claim's words that must be the evidence sentence's own: its hedges, the words that stand for an
# entity the sentence does not name, and the card's span.
OWN_WORDS = (KG + "hedge", KG + "mention", KG + "evidenceSpan")


def test_every_claim_points_at_a_sentence_of_this_article_that_holds_its_hedges(article):
    sentences = _sentences(article)
    unevidenced, strangers, unsaid = [], [], []
    for claim in article.of_type(CLAIM):
        evidence = article.values(claim, KG + "evidence")
        if not evidence:
            unevidenced.append(str(claim))
        strangers += [(str(claim), str(e)) for e in evidence if e not in sentences]
        texts = [sentences[e] for e in evidence if e in sentences]
        unsaid += [(str(claim), words.value) for p in OWN_WORDS for words in article.values(claim, p)
                   if not any(words.value in text for text in texts)]
    assert (unevidenced, strangers, unsaid) == ([], [], [])


def test_every_quotation_is_words_of_its_evidence_sentence(article):
    sentences = _sentences(article)
    claims = article.of_type(CLAIM)
    misquoted = []
    for quote in article.of_type(SCHEMA + "Quotation"):
        words = article.text(quote)
        evidence = [e for c in claims
                    if article.values(c, RDF + "subject") == [quote]
                    and [p.value for p in article.values(c, RDF + "predicate")] == [SCHEMA + "text"]
                    for e in article.values(c, KG + "evidence")]
        assert evidence, f"{quote}: the quotation's words (schema:text) need a claim with evidence"
        misquoted += [(str(quote), str(e)) for e in evidence if words not in sentences.get(e, "")]
    assert misquoted == []


def test_sentence_positions_count_from_one_without_gaps_or_repeats(article):
    positions = sorted(int(p.value) for node in _sentences(article) for p in article.values(node, KG + "position"))
    assert positions, f"{article.file}: an article has sentences"
    assert positions == list(range(1, len(positions) + 1))


def test_every_sentence_occurs_verbatim_in_the_article_text(article):
    [source] = article.values(ox.NamedNode(article.iri), KG + "sourceFile")
    path = GRAPH / source.value
    assert path.is_file(), f"{article.file}: kg:sourceFile {source.value} is not in graph/"
    text = path.read_text(encoding="utf-8")
    assert [words for words in _sentences(article).values() if words not in text] == []


def test_every_fact_has_a_claim(article):
    # The article's own bookkeeping (its claims, sentences and article nodes) is not a fact to evidence.
    bookkeeping = set(article.of_type(CLAIM)) | set(article.of_type(SENTENCE)) | set(article.of_type(NEWS_ARTICLE))
    facts = {(s, p, o) for s, p, o in article.triples if p.value not in NOT_FACTS and s not in bookkeeping}
    assert facts, f"{article.file}: an article states facts"
    claimed = set()
    for claim in article.of_type(CLAIM):
        if article.values(claim, KG + "evidence"):
            [s], [p], [o] = (article.values(claim, RDF + name) for name in ("subject", "predicate", "object"))
            claimed.add((s, p, o))
    assert sorted(" ".join(map(str, fact)) for fact in facts - claimed) == []
