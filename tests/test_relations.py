"""The relation graph itself: nodes, edges, words and evidence, exactly, for the Soundtrack article
read alone (fixture `soundtrack`), so that further articles in graph/ change nothing here; and what
holds for the bundled graph whatever its articles."""

from __future__ import annotations

import pytest

from conftest import DATA, SOUNDTRACK_FILES
from kgtool.pictures.connections import as_text, connect, path_subgraph
from kgtool.errors import InputError
from kgtool.pictures.request import GraphRequest, relation_graph
from kgtool.pictures.relations import build
from kgtool.store import load

ENTITIES = {
    "character:joanna-kassem", "event:jenna-dewan-et-interview", "event:soundtrack-cancellation",
    "image:et-soundtrack-canceled-photo", "news:jenna-dewan-expecting-second-child", "occupation:dancer",
    "occupation:social-worker", "organization:bbc", "organization:entertainment-tonight", "organization:fox",
    "organization:netflix", "organization:twitter", "person:christopher-walken", "person:jenna-dewan",
    "person:joshua-safran", "person:lauren-zima", "person:parrish-lewis", "person:steve-martin",
    "place:los-angeles", "place:new-york", "place:united-kingdom", "posting:joshua-safran-on-soundtrack-cancelation",
    "quote:dewan-absolutely-amazing", "quote:dewan-uk-version", "quote:safran-closes-its-loop", "quote:safran-fate",
    "quote:safran-la-people", "quote:safran-never-came-out", "quote:safran-pennies-from-heaven",
    "quote:safran-see-it-someday", "work:flirty-dancing", "work:flirty-dancing-uk", "work:magnolia",
    "work:pennies-from-heaven-1978", "work:pennies-from-heaven-1981", "work:soundtrack",
}


@pytest.fixture(scope="module")
def graph(soundtrack):
    return build(soundtrack)


def edges(graph):
    return {(graph.nodes[u]["label"], d["label"], graph.nodes[v]["label"]) for u, v, d in graph.edges(data=True)}


def edge(graph, source, words):
    [data] = [d for u, v, d in graph.out_edges(source, data=True) if d["label"] == words]
    return data


def test_every_entity_is_a_node_and_nothing_else(graph):
    assert set(graph.nodes) == ENTITIES
    assert graph.number_of_edges() == 56
    kinds = {n: d["kind"] for n, d in graph.nodes(data=True)}
    assert kinds["person:steve-martin"] == "person" and kinds["work:soundtrack"] == "work"
    assert kinds["character:joanna-kassem"] == "character" and kinds["event:soundtrack-cancellation"] == "event"
    assert kinds["quote:safran-fate"] == "quote" and kinds["organization:entertainment-tonight"] == "organization"
    assert graph.nodes["work:soundtrack"]["label"] == "Soundtrack"
    assert graph.nodes["work:soundtrack"]["types"] == "kg:ScriptedSeries schema:CreativeWork schema:CreativeWorkSeries schema:TVSeries"


def test_edges_read_in_plain_words(graph):
    assert {
        ("Joshua Safran", "created", "Soundtrack"),
        ("Jenna Dewan", "played Joanna Kassem in", "Soundtrack"),
        ("Pennies From Heaven (1978 miniseries)", "inspired (major influence)", "Soundtrack"),
        ("Magnolia", "inspired (minor influence)", "Soundtrack"),
        ("Pennies From Heaven (1978 miniseries)", "adapted into", "Pennies From Heaven (1981 film)"),
        ("Steve Martin", "acted in", "Pennies From Heaven (1981 film)"),
        ("Netflix", "decided", "Cancellation of Soundtrack"),
        ("Cancellation of Soundtrack", "ended", "Soundtrack"),
        ("Pennies From Heaven (1978 miniseries)", "aired on", "BBC"),
        ("Lauren Zima", "conducted", "Entertainment Tonight interview with Jenna Dewan"),
        ("Joshua Safran", "said", "Joshua Safran: “I personally feel like it never came out”"),
    } <= edges(graph)


def test_the_role_folds_into_one_edge_with_all_its_evidence(graph):
    assert not [n for n in graph if n.startswith(("role:", "influence:"))]
    played = edge(graph, "person:jenna-dewan", "played Joanna Kassem in")
    assert played["predicate"] == "schema:actor" and played["role"] == "role:soundtrack-jenna-dewan-as-joanna-kassem"
    assert [e["position"] for e in played["evidence"]] == [5]
    assert played["evidence"][0]["text"].startswith("On the 10-episode series, Dewan played Joanna Kassem")


def test_hedges_stay_on_the_edges(graph):
    inspired = edge(graph, "work:pennies-from-heaven-1978", "inspired (major influence)")
    assert inspired["hedge"] == ["largely inspired by"]
    assert inspired["qualifier"] == "influence:soundtrack-from-pennies-from-heaven-1978"
    assert edge(graph, "person:joshua-safran", "lives in")["hedge"] == ["for “a brief period,”"]
    assert edge(graph, "person:joshua-safran", "created")["hedge"] == []


def test_literals_become_attributes_and_vocabulary_terms_their_labels(graph):
    soundtrack = graph.nodes["work:soundtrack"]["attributes"]
    assert soundtrack == {"genre": ["musical drama"], "number of episodes": ["10"], "number of seasons": ["1"]}
    assert graph.nodes["work:flirty-dancing"]["attributes"]["release status"] == ["upcoming"]
    assert graph.nodes["place:los-angeles"]["attributes"]["alternate name"] == ["City of Angels", "L.A."]


def test_every_edge_has_evidence_from_the_article(graph):
    missing = [(u, v, d["label"]) for u, v, d in graph.edges(data=True) if not d["evidence"]]
    assert missing == []
    assert {e["article"] for *_, d in graph.edges(data=True) for e in d["evidence"]} == {"graph:et-soundtrack-canceled"}


def test_every_edge_of_the_bundled_graph_has_evidence_from_its_articles(store):
    bundled = build(store)
    assert [(u, v, d["label"]) for u, v, d in bundled.edges(data=True) if not d["evidence"]] == []
    articles = {e["article"] for *_, d in bundled.edges(data=True) for e in d["evidence"]}
    assert articles == {"graph:" + g.rsplit("/", 1)[-1] for g in store.named_graphs()}


def test_provenance_is_drawn_only_when_asked(soundtrack):
    with_articles = build(soundtrack, provenance=True)
    assert "article:et-soundtrack-canceled" in with_articles
    assert len([1 for u, _, d in with_articles.out_edges("article:et-soundtrack-canceled", data=True)
                if d["label"] == "mentions"]) == 21


def test_article_scope_keeps_only_what_one_article_says():
    two = load([*SOUNDTRACK_FILES, DATA / "second-article.trig"])
    fixture = relation_graph(two, GraphRequest(article="fixture-dewan-hosts"))
    assert set(fixture.nodes) == {"person:jenna-dewan", "work:flirty-dancing", "organization:fox"}
    [working] = [d for *_, d in fixture.edges(data=True) if d["label"] == "working on"]
    assert [e["text"] for e in working["evidence"]] == ["Jenna Dewan will host Flirty Dancing, Fox said."]
    merged = build(two)
    [both] = [d for u, v, d in merged.edges(data=True) if d["label"] == "working on"]
    assert {e["article"] for e in both["evidence"]} == {"graph:et-soundtrack-canceled", "graph:fixture-dewan-hosts"}


def test_filters_by_type_relation_and_neighbourhood(soundtrack):
    people_works = relation_graph(soundtrack, GraphRequest(types=("person", "work")))
    assert {d["kind"] for _, d in people_works.nodes(data=True)} == {"person", "work"}
    movies = relation_graph(soundtrack, GraphRequest(types=("schema:Movie",)))
    assert set(movies) == {"work:pennies-from-heaven-1981"}
    created = relation_graph(soundtrack, GraphRequest(predicates=("created", "schema:isBasedOn")))
    assert edges(created) == {("Joshua Safran", "created", "Soundtrack"),
                              ("Pennies From Heaven (1978 miniseries)", "adapted into", "Pennies From Heaven (1981 film)"),
                              ("Flirty Dancing (U.K. version)", "adapted into", "Flirty Dancing")}
    around = relation_graph(soundtrack, GraphRequest(focus="Steve Martin", depth=2))
    assert set(around) == {"person:steve-martin", "work:pennies-from-heaven-1981", "person:christopher-walken",
                           "work:pennies-from-heaven-1978", "quote:safran-pennies-from-heaven"}


@pytest.mark.parametrize(("request_", "message"), [
    (GraphRequest(types=("peple",)), "--types: unknown type 'peple'"),
    (GraphRequest(predicates=("starred",)), "--predicates: no relation 'starred' in the graph"),
    (GraphRequest(article="nope"), "--article: no article 'nope' in the graph; give one of: et-soundtrack-canceled"),
    (GraphRequest(focus="Nobody"), "--focus: no entity labelled 'Nobody' in the graph"),
])
def test_bad_requests_say_what_and_where(soundtrack, request_, message):
    with pytest.raises(InputError) as caught:
        relation_graph(soundtrack, request_)
    assert caught.value.message().startswith(message)


def test_path_from_dewan_to_martin_goes_through_the_inspiration_chain(soundtrack, graph):
    connection = connect(soundtrack, graph, "Jenna Dewan", "person:steve-martin")
    assert connection.total == 1
    [path] = connection.paths
    assert [h.end for h in path] == ["work:soundtrack", "work:pennies-from-heaven-1978",
                                     "work:pennies-from-heaven-1981", "person:steve-martin"]
    assert [(r.words, r.forward) for h in path for r in h.relations] == [
        ("played Joanna Kassem in", True), ("inspired (major influence)", False),
        ("adapted into", True), ("acted in", False)]
    assert all(r.evidence for h in path for r in h.relations)
    assert set(path_subgraph(graph, connection)) == {"person:jenna-dewan", *(h.end for h in path)}


def test_every_shortest_path_is_listed_and_limit_cuts_the_list(soundtrack, graph):
    connection = connect(soundtrack, graph, "Jenna Dewan", "Entertainment Tonight")
    assert connection.total == 3
    assert sorted(p[0].end for p in connection.paths) == [
        "event:jenna-dewan-et-interview", "quote:dewan-absolutely-amazing", "quote:dewan-uk-version"]
    assert all(len(p) == 2 for p in connection.paths)
    limited = connect(soundtrack, graph, "Jenna Dewan", "Entertainment Tonight", limit=1)
    assert (limited.total, limited.shown, len(limited.paths)) == (3, 1, 1)
    assert "3 shortest paths of 2 relations (showing 1)" in as_text(limited)


def test_unconnected_entities_have_no_path(soundtrack):
    people = relation_graph(soundtrack, GraphRequest(types=("person",)))
    connection = connect(soundtrack, people, "Jenna Dewan", "Steve Martin")
    assert not connection.found and connection.paths == []
    assert as_text(connection) == "Jenna Dewan and Steve Martin: not connected\n"


def test_warnings_are_heard_before_the_drawing_starts(soundtrack, monkeypatch):
    from kgtool.pictures import drawing
    from kgtool.pictures.request import make_picture

    heard = []
    monkeypatch.setattr(drawing, "draw", lambda graph, fmt, **_: heard.append(f"draw {fmt}") or b"")
    picture = make_picture(soundtrack, GraphRequest(), "svg", node_limit=10, warn=heard.append)
    assert [line.split(" is above")[0] for line in heard] == ["36 entities", "draw svg"]
    assert picture.warnings == [heard[0]]


def test_an_entity_the_filters_leave_alone_is_not_connected_rather_than_unknown(soundtrack):
    from kgtool.pictures.connections import verdict
    from kgtool.pictures.request import relation_graphs

    whole, created = relation_graphs(soundtrack, GraphRequest(predicates=("created",)))
    assert "person:jenna-dewan" in whole and "person:jenna-dewan" not in created
    connection = connect(soundtrack, created, "Jenna Dewan", "Joshua Safran", whole=whole)
    assert (connection.found, connection.filtered, connection.isolated) == (False, True, ["Jenna Dewan"])
    assert verdict(connection) == ("Jenna Dewan and Joshua Safran: not connected under these filters "
                                   "(Jenna Dewan has no relation under them)")
    unfiltered, same = relation_graphs(soundtrack, GraphRequest())
    assert unfiltered is same


def test_an_entity_is_zero_relations_from_itself(soundtrack, graph):
    connection = connect(soundtrack, graph, "Jenna Dewan", "person:jenna-dewan")
    assert (connection.same, connection.total, connection.paths) == (True, 1, [[]])
    assert as_text(connection) == "Jenna Dewan and Jenna Dewan: the same entity, a path of 0 relations\n"
