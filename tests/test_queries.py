"""The named queries: one per competency question, each runs on the bundled graph whatever its
articles, and the cross-article ones count across articles. The exact answers of the Soundtrack
article are in test_soundtrack_queries.py."""

from __future__ import annotations

import pytest

from conftest import DATA, QUERIES, SOUNDTRACK_FILES
from kgtool.queries import bind_params, catalog
from kgtool.store import load

NAMED = catalog(QUERIES)


def answer(store, name, **params):
    query = NAMED[name]
    bindings = bind_params(query, params, store)
    results = store.query(query.text, bindings, source=query.source)
    names = [v.value for v in results.variables]
    rows = []
    for solution in results:
        rows.append({n: _plain(solution[n]) for n in names if solution[n] is not None})
    return rows


def _plain(term):
    value = term.value
    for prefix in ("https://kgtool.example/id/", "https://schema.org/", "https://kgtool.example/ns#"):
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


def column(rows, key):
    return [row.get(key) for row in rows]


def test_there_is_one_query_per_competency_question():
    # 24 competency questions, then 25-lineage: a CONSTRUCT for kgtool viz --query; then the questions
    # of the model for real news (issue 12), numbered on
    assert len(NAMED) == len(list(QUERIES.glob("*.rq"))) >= 25
    assert list(NAMED)[24] == "25-lineage"
    assert [name[:2] for name in NAMED] == [f"{n:02d}" for n in range(1, len(NAMED) + 1)]
    assert all(q.summary.endswith(("?", ")")) for q in NAMED.values())


@pytest.mark.parametrize("name", list(NAMED))
def test_every_named_query_answers_on_the_bundled_graph(store, name):
    query = NAMED[name]
    results = store.query(query.text, bind_params(query, {}, store), source=query.source)
    assert list(results) is not None  # runs to the end, whatever the articles


def test_21_lists_every_single_season_cancellation_with_the_articles_that_say_it(store):
    said = {}
    for r in store.select("""SELECT ?series ?article WHERE { GRAPH ?g {
            ?c a kg:Cancellation ; schema:object ?series ; kg:afterSeasons 1 .
            ?claim rdf:subject ?c ; rdf:predicate schema:object ; kg:evidence/schema:isPartOf ?article } }"""):
        said.setdefault(r["series"].value, set()).add(r["article"].value)
    rows = {r["series"].value: set(r["articles"].value.split(" "))
            for r in store.select(NAMED["21-single-season-cancellations"].text)}
    assert rows == said
    assert rows, "the bundled graph holds at least the Soundtrack cancellation"


def test_22_counts_the_articles_that_mention_each_person(store):
    mentions = {}
    for r in store.select("""SELECT ?person ?g WHERE { GRAPH ?g { ?article a schema:NewsArticle ; schema:mentions ?person }
                                                        ?person a schema:Person }"""):
        mentions.setdefault(r["person"].value, set()).add(r["g"].value)
    expected = {_plain_iri(p): str(len(g)) for p, g in mentions.items() if len(g) > 1}
    assert {r["person"]: r["articles"] for r in answer(store, "22-people-in-several-articles")} == expected


def _plain_iri(iri: str) -> str:
    return iri.removeprefix("https://kgtool.example/id/")


def test_22_and_23_across_two_articles():
    both = load([*SOUNDTRACK_FILES, DATA / "second-article.trig"])
    rows = answer(both, "22-people-in-several-articles")
    assert [(r["personLabel"], r["articles"]) for r in rows] == [("Jenna Dewan", "2")]
    works = answer(both, "23-person-works", person="person:jenna-dewan")
    assert sorted((r["relation"], r["workLabel"], r["article"]) for r in works) == [
        ("acted in", "Soundtrack", "article/et-soundtrack-canceled"),
        ("working on", "Flirty Dancing", "article/et-soundtrack-canceled"),
        ("working on", "Flirty Dancing", "article/fixture-dewan-hosts"),
    ]


def test_24_follows_chains_of_any_length():
    store = load(SOUNDTRACK_FILES)
    store.update("PREFIX schema: <https://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                 "INSERT DATA { <urn:x:remake> schema:isBasedOn <https://kgtool.example/id/work/soundtrack> ; rdfs:label \"Remake\" }")
    ancestors = {r["ancestorLabel"] for r in answer(store, "24-derivation-chains") if r["workLabel"] == "Remake"}
    assert ancestors == {"Soundtrack", "Pennies From Heaven (1978 miniseries)", "Magnolia"}


# --- the guard: what a query may not do, found lexically ------------------------------------

def test_every_named_query_passes_the_guard():
    from kgtool.store.guard import check_query

    for query in NAMED.values():
        check_query(query.text, query.source)


def test_the_guard_finds_the_keyword_only_as_a_bare_word():
    import pytest

    from kgtool.errors import QueryError
    from kgtool.store.guard import check_query

    allowed = [
        'SELECT * { ?s ?p "a \\" SERVICE <http://x/> " }',
        "SELECT * { ?s ?p ''' it's\n SERVICE ''' }",
        "SELECT * { ?s schema:SERVICE ?load ; :delete ?with } # INSERT DATA",
        "SELECT * { ?s ?p ?o FILTER (?o < 3 && ?o > 1) FILTER (?s != <http://x/SERVICE>) }",
        'SELECT * { ?s ?p "x"@service }',
    ]
    for text in allowed:
        check_query(text)
    for text, where in [("SELECT * {\n  ?s ?p ?o .\n  service silent ?u { ?s ?p ?o } }", "q:3:3"),
                        ('SELECT * { ?s ?p "x" } ; WITH <g> DELETE { ?s ?p ?o } WHERE {}', "q:1:26")]:
        with pytest.raises(QueryError) as refused:
            check_query(text, "q")
        assert refused.value.where == where
