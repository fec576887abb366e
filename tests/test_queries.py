"""Each competency question, answered by its named query on the bundled graph."""

from __future__ import annotations


from conftest import DATA, GRAPH, QUERIES
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
    # 24 competency questions, then 25-lineage: a CONSTRUCT for kgtool viz --query
    assert len(NAMED) == 25
    assert [name[:2] for name in NAMED] == [f"{n:02d}" for n in range(1, 26)]
    assert all(q.summary.endswith(("?", ")")) for q in NAMED.values())


def test_01_canceled_series(store):
    [row] = answer(store, "01-canceled-series")
    assert (row["seriesLabel"], row["canceledByLabel"], row["afterSeasons"]) == ("Soundtrack", "Netflix", "1")


def test_02_creator(store):
    assert column(answer(store, "02-creator"), "creatorLabel") == ["Joshua Safran"]
    assert answer(store, "02-creator", work="Pennies From Heaven (1981 film)") == []


def test_03_series_kind(store):
    [row] = answer(store, "03-series-kind")
    assert (row["kind"], row["genre"], row["episodes"]) == ("scripted series", "musical drama", "10")


def test_04_who_played(store):
    [row] = answer(store, "04-who-played", character="Joanna Kassem")
    assert (row["actorLabel"], row["workLabel"]) == ("Jenna Dewan", "Soundtrack")


def test_05_character(store):
    rows = answer(store, "05-character")
    assert set(column(rows, "description")) == {
        "a former struggling dancer-turned-social worker",
        "pondered the challenges of finding love in the modern day",
    }
    assert set(column(rows, "occupation")) == {"social worker"}
    assert set(column(rows, "formerOccupation")) == {"dancer"}


def test_06_inspirations_keep_their_strength(store):
    rows = answer(store, "06-inspirations")
    assert [(r["sourceLabel"], r["strength"], r["words"]) for r in rows] == [
        ("Pennies From Heaven (1978 miniseries)", "major influence", "largely inspired by"),
        ("Magnolia", "minor influence", "with a dash of Magnolia"),
    ]


def test_07_adaptation(store):
    rows = answer(store, "07-adaptations")
    assert set(column(rows, "adaptationLabel")) == {"Pennies From Heaven (1981 film)"}
    assert set(column(rows, "year")) == {"1981"}
    assert set(column(rows, "starLabel")) == {"Steve Martin", "Christopher Walken"}


def test_08_broadcaster(store):
    rows = {r["workLabel"]: r["broadcasterLabel"] for r in answer(store, "08-broadcaster")}
    assert rows["Pennies From Heaven (1978 miniseries)"] == "BBC"
    assert rows == {"Pennies From Heaven (1978 miniseries)": "BBC", "Soundtrack": "Netflix", "Flirty Dancing": "Fox"}


def test_09_chain_from_the_film_to_soundtrack(store):
    rows = answer(store, "09-inspiration-chain")
    assert {(r["step"], r["relation"], r["source"]) for r in rows} == {
        ("work/pennies-from-heaven-1981", "isBasedOn", "work/pennies-from-heaven-1978"),
        ("work/soundtrack", "inspiredBy", "work/pennies-from-heaven-1978"),
    }


def test_10_quotes_are_attributed(store):
    rows = answer(store, "10-quotes")
    assert len(rows) == 6
    told = [r for r in rows if r.get("toldTo") == "Entertainment Tonight"]
    tweeted = [r for r in rows if r.get("platform") == "Twitter"]
    assert len(told) == 1 and told[0]["attribution"] == "Safran told ET of Pennies From Heaven"
    assert [r["attribution"] for r in tweeted] == ["he wrote", "he continued", "adding"]
    assert len(answer(store, "10-quotes", speaker="Jenna Dewan")) == 2


def test_11_places_with_hedges(store):
    rows = {r["relation"]: (r["placeLabel"], r.get("hedge")) for r in answer(store, "11-places")}
    assert rows == {"native of": ("New York", "A New York native"), "lived in": ("Los Angeles", "for “a brief period,”")}


def test_12_working_on(store):
    [row] = answer(store, "12-working-on")
    assert (row["workLabel"], row["kind"], row["broadcaster"], row["status"], row["basedOn"]) == (
        "Flirty Dancing", "reality series", "Fox", "upcoming", "Flirty Dancing (U.K. version)")


def test_13_premise(store):
    rows = answer(store, "13-premise")
    assert len(rows) == 2
    assert "taught half of a dance routine" in rows[0]["premise"]
    assert "without exchanging a word" in rows[1]["premise"]


def test_14_interviewer(store):
    [row] = answer(store, "14-interviewer")
    assert (row["interviewerLabel"], row["outlet"]) == ("Lauren Zima", "Entertainment Tonight")


def test_15_article(store):
    rows = answer(store, "15-article")
    assert set(column(rows, "publisher")) == {"Entertainment Tonight"}
    mentioned = set(column(rows, "mentionedLabel"))
    assert {"Jenna Dewan", "Joshua Safran", "Steve Martin", "Christopher Walken", "Lauren Zima", "Parrish Lewis",
            "Soundtrack", "Magnolia", "Flirty Dancing", "Netflix", "BBC", "Fox"} <= mentioned
    assert len(mentioned) == 21


def test_16_evidence(store):
    [row] = answer(store, "16-evidence")
    assert row["sentence"].startswith("Soundtrack, the scripted musical drama series created by Joshua Safran")
    assert row["article"] == "article/et-soundtrack-canceled"
    rows = answer(store, "16-evidence", subject="work:flirty-dancing", predicate="kg:releaseStatus")
    assert [r["hedge"] for r in rows] == ["upcoming"]


def test_17_dewan_to_martin(store):
    rows = answer(store, "17-connection")
    assert {(r["fromWork"], r["common"], r["toWork"]) for r in rows} == {
        ("work/soundtrack", "work/pennies-from-heaven-1978", "work/pennies-from-heaven-1981")}
    assert len(rows) == 2


def test_18_people_and_capacities(store):
    rows = {r["personLabel"]: set(r["capacities"].split(", ")) for r in answer(store, "18-people")}
    assert len(rows) == 6
    assert {"actor", "quoted", "interviewee"} <= rows["Jenna Dewan"]
    assert {"creator", "quoted"} <= rows["Joshua Safran"]
    assert rows["Steve Martin"] == {"actor"}
    assert "interviewer" in rows["Lauren Zima"]
    assert rows["Parrish Lewis"] == {"photographer"}


def test_19_photo_credit(store):
    [row] = answer(store, "19-photo-credit")
    assert (row["credit"], row["photographerLabel"]) == ("Parrish Lewis/Netflix", "Parrish Lewis")


def test_20_personal_news(store):
    [row] = answer(store, "20-personal-news")
    assert (row["description"], row["childOrdinal"], row["timeframe"]) == ("expecting her second child this year", "2", "this year")


def test_21_single_season_cancellations(store):
    rows = answer(store, "21-single-season-cancellations")
    assert [(r["seriesLabel"], r["canceledByLabel"]) for r in rows] == [("Soundtrack", "Netflix")]


def test_22_nobody_is_in_two_articles_of_one(store):
    assert answer(store, "22-people-in-several-articles") == []


def test_22_and_23_across_two_articles():
    both = load([GRAPH, DATA / "second-article.trig"])
    rows = answer(both, "22-people-in-several-articles")
    assert [(r["personLabel"], r["articles"]) for r in rows] == [("Jenna Dewan", "2")]
    works = answer(both, "23-person-works", person="person:jenna-dewan")
    assert sorted((r["relation"], r["workLabel"], r["article"]) for r in works) == [
        ("acted in", "Soundtrack", "article/et-soundtrack-canceled"),
        ("working on", "Flirty Dancing", "article/et-soundtrack-canceled"),
        ("working on", "Flirty Dancing", "article/fixture-dewan-hosts"),
    ]


def test_23_person_works(store):
    rows = answer(store, "23-person-works", person="Joshua Safran")
    assert [(r["relation"], r["workLabel"]) for r in rows] == [("created", "Soundtrack")]


def test_24_derivation_chains(store):
    rows = {(r["workLabel"], r["ancestorLabel"]) for r in answer(store, "24-derivation-chains")}
    assert rows == {
        ("Pennies From Heaven (1981 film)", "Pennies From Heaven (1978 miniseries)"),
        ("Soundtrack", "Pennies From Heaven (1978 miniseries)"),
        ("Soundtrack", "Magnolia"),
        ("Flirty Dancing", "Flirty Dancing (U.K. version)"),
    }


def test_24_follows_chains_of_any_length():
    store = load([GRAPH])
    store.update("PREFIX schema: <https://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                 "INSERT DATA { <urn:x:remake> schema:isBasedOn <https://kgtool.example/id/work/soundtrack> ; rdfs:label \"Remake\" }")
    ancestors = {r["ancestorLabel"] for r in answer(store, "24-derivation-chains") if r["workLabel"] == "Remake"}
    assert ancestors == {"Soundtrack", "Pennies From Heaven (1978 miniseries)", "Magnolia"}


def test_25_lineage_constructs_the_works_and_people_around_soundtrack(store):
    query = NAMED["25-lineage"]
    triples = list(store.query(query.text, bind_params(query, {}, store), source=query.source))
    works = {_plain(t.subject) for t in triples if t.subject.value.startswith("https://kgtool.example/id/work/")}
    assert works == {"work/soundtrack", "work/pennies-from-heaven-1978", "work/pennies-from-heaven-1981"}
    objects = {_plain(t.object) for t in triples}
    assert {"person/steve-martin", "person/jenna-dewan", "person/joshua-safran", "work/magnolia"} <= objects
    assert "work/flirty-dancing" not in objects  # not in Soundtrack's lineage


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
