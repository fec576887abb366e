"""Each competency question, answered by its named query on the Soundtrack article read alone:
the exact answers of that one article, which further articles in graph/ do not change."""

from __future__ import annotations

from test_queries import NAMED, _plain, answer, column
from kgtool.queries import bind_params


def test_01_canceled_series(soundtrack):
    [row] = answer(soundtrack, "01-canceled-series")
    assert (row["seriesLabel"], row["canceledByLabel"], row["afterSeasons"]) == ("Soundtrack", "Netflix", "1")


def test_02_creator(soundtrack):
    assert column(answer(soundtrack, "02-creator"), "creatorLabel") == ["Joshua Safran"]
    assert answer(soundtrack, "02-creator", work="Pennies From Heaven (1981 film)") == []


def test_03_series_kind(soundtrack):
    [row] = answer(soundtrack, "03-series-kind")
    assert (row["kind"], row["genre"], row["episodes"]) == ("scripted series", "musical drama", "10")


def test_04_who_played(soundtrack):
    [row] = answer(soundtrack, "04-who-played", character="Joanna Kassem")
    assert (row["actorLabel"], row["workLabel"]) == ("Jenna Dewan", "Soundtrack")


def test_05_character(soundtrack):
    rows = answer(soundtrack, "05-character")
    assert set(column(rows, "description")) == {
        "a former struggling dancer-turned-social worker",
        "pondered the challenges of finding love in the modern day",
    }
    assert set(column(rows, "occupation")) == {"social worker"}
    assert set(column(rows, "formerOccupation")) == {"dancer"}


def test_06_inspirations_keep_their_strength(soundtrack):
    rows = answer(soundtrack, "06-inspirations")
    assert [(r["sourceLabel"], r["strength"], r["words"]) for r in rows] == [
        ("Pennies From Heaven (1978 miniseries)", "major influence", "largely inspired by"),
        ("Magnolia", "minor influence", "with a dash of Magnolia"),
    ]


def test_07_adaptation(soundtrack):
    rows = answer(soundtrack, "07-adaptations")
    assert set(column(rows, "adaptationLabel")) == {"Pennies From Heaven (1981 film)"}
    assert set(column(rows, "year")) == {"1981"}
    assert set(column(rows, "starLabel")) == {"Steve Martin", "Christopher Walken"}


def test_08_broadcaster(soundtrack):
    rows = {r["workLabel"]: r["broadcasterLabel"] for r in answer(soundtrack, "08-broadcaster")}
    assert rows["Pennies From Heaven (1978 miniseries)"] == "BBC"
    assert rows == {"Pennies From Heaven (1978 miniseries)": "BBC", "Soundtrack": "Netflix", "Flirty Dancing": "Fox"}


def test_09_chain_from_the_film_to_soundtrack(soundtrack):
    rows = answer(soundtrack, "09-inspiration-chain")
    assert {(r["step"], r["relation"], r["source"]) for r in rows} == {
        ("work/pennies-from-heaven-1981", "isBasedOn", "work/pennies-from-heaven-1978"),
        ("work/soundtrack", "inspiredBy", "work/pennies-from-heaven-1978"),
    }


def test_10_quotes_are_attributed(soundtrack):
    rows = answer(soundtrack, "10-quotes")
    assert len(rows) == 6
    told = [r for r in rows if r.get("toldTo") == "Entertainment Tonight"]
    tweeted = [r for r in rows if r.get("platform") == "Twitter"]
    assert len(told) == 1 and told[0]["attribution"] == "Safran told ET of Pennies From Heaven"
    assert [r["attribution"] for r in tweeted] == ["he wrote", "he continued", "adding"]
    assert len(answer(soundtrack, "10-quotes", speaker="Jenna Dewan")) == 2


def test_11_places_with_hedges(soundtrack):
    rows = {r["relation"]: (r["placeLabel"], r.get("hedge")) for r in answer(soundtrack, "11-places")}
    assert rows == {"native of": ("New York", "A New York native"), "lived in": ("Los Angeles", "for “a brief period,”")}


def test_12_working_on(soundtrack):
    [row] = answer(soundtrack, "12-working-on")
    assert (row["workLabel"], row["kind"], row["broadcaster"], row["status"], row["basedOn"]) == (
        "Flirty Dancing", "reality series", "Fox", "upcoming", "Flirty Dancing (U.K. version)")


def test_13_premise(soundtrack):
    rows = answer(soundtrack, "13-premise")
    assert len(rows) == 2
    assert "taught half of a dance routine" in rows[0]["premise"]
    assert "without exchanging a word" in rows[1]["premise"]


def test_14_interviewer(soundtrack):
    [row] = answer(soundtrack, "14-interviewer")
    assert (row["interviewerLabel"], row["outlet"]) == ("Lauren Zima", "Entertainment Tonight")


def test_15_article(soundtrack):
    rows = answer(soundtrack, "15-article")
    assert set(column(rows, "publisher")) == {"Entertainment Tonight"}
    mentioned = set(column(rows, "mentionedLabel"))
    assert {"Jenna Dewan", "Joshua Safran", "Steve Martin", "Christopher Walken", "Lauren Zima", "Parrish Lewis",
            "Soundtrack", "Magnolia", "Flirty Dancing", "Netflix", "BBC", "Fox"} <= mentioned
    assert len(mentioned) == 21


def test_16_evidence(soundtrack):
    [row] = answer(soundtrack, "16-evidence")
    assert row["sentence"].startswith("Soundtrack, the scripted musical drama series created by Joshua Safran")
    assert row["article"] == "article/et-soundtrack-canceled"
    rows = answer(soundtrack, "16-evidence", subject="work:flirty-dancing", predicate="kg:releaseStatus")
    assert [r["hedge"] for r in rows] == ["upcoming"]


def test_17_dewan_to_martin(soundtrack):
    rows = answer(soundtrack, "17-connection")
    assert {(r["fromWork"], r["common"], r["toWork"]) for r in rows} == {
        ("work/soundtrack", "work/pennies-from-heaven-1978", "work/pennies-from-heaven-1981")}
    assert len(rows) == 2


def test_18_people_and_capacities(soundtrack):
    rows = {r["personLabel"]: set(r["capacities"].split(", ")) for r in answer(soundtrack, "18-people")}
    assert len(rows) == 6
    assert {"actor", "quoted", "interviewee"} <= rows["Jenna Dewan"]
    assert {"creator", "quoted"} <= rows["Joshua Safran"]
    assert rows["Steve Martin"] == {"actor"}
    assert "interviewer" in rows["Lauren Zima"]
    assert rows["Parrish Lewis"] == {"photographer"}


def test_19_photo_credit(soundtrack):
    [row] = answer(soundtrack, "19-photo-credit")
    assert (row["credit"], row["photographerLabel"]) == ("Parrish Lewis/Netflix", "Parrish Lewis")


def test_20_personal_news(soundtrack):
    [row] = answer(soundtrack, "20-personal-news")
    assert (row["description"], row["childOrdinal"], row["timeframe"]) == ("expecting her second child this year", "2", "this year")


def test_21_single_season_cancellations(soundtrack):
    rows = answer(soundtrack, "21-single-season-cancellations")
    assert [(r["seriesLabel"], r["canceledByLabel"]) for r in rows] == [("Soundtrack", "Netflix")]


def test_22_nobody_is_in_two_articles_of_one(soundtrack):
    assert answer(soundtrack, "22-people-in-several-articles") == []


def test_23_person_works(soundtrack):
    rows = answer(soundtrack, "23-person-works", person="Joshua Safran")
    assert [(r["relation"], r["workLabel"]) for r in rows] == [("created", "Soundtrack")]


def test_24_derivation_chains(soundtrack):
    rows = {(r["workLabel"], r["ancestorLabel"]) for r in answer(soundtrack, "24-derivation-chains")}
    assert rows == {
        ("Pennies From Heaven (1981 film)", "Pennies From Heaven (1978 miniseries)"),
        ("Soundtrack", "Pennies From Heaven (1978 miniseries)"),
        ("Soundtrack", "Magnolia"),
        ("Flirty Dancing", "Flirty Dancing (U.K. version)"),
    }


def test_25_lineage_constructs_the_works_and_people_around_soundtrack(soundtrack):
    query = NAMED["25-lineage"]
    triples = list(soundtrack.query(query.text, bind_params(query, {}, soundtrack), source=query.source))
    works = {_plain(t.subject) for t in triples if t.subject.value.startswith("https://kgtool.example/id/work/")}
    assert works == {"work/soundtrack", "work/pennies-from-heaven-1978", "work/pennies-from-heaven-1981"}
    objects = {_plain(t.object) for t in triples}
    assert {"person/steve-martin", "person/jenna-dewan", "person/joshua-safran", "work/magnolia"} <= objects
    assert "work/flirty-dancing" not in objects  # not in Soundtrack's lineage
