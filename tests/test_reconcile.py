"""Reconciliation: a card's label finds the graph's entity, or says it is new or ambiguous."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgtool.cards.reconcile import Entity, Index, key, mint, slug
from kgtool.errors import CardError
from kgtool.store import load

GRAPH = Path(__file__).resolve().parent.parent / "graph"
S, KG, ID = "https://schema.org/", "https://kgtool.example/ns#", "https://kgtool.example/id/"
HIERARCHY = [(S + "City", S + "Place"), (KG + "ScriptedSeries", S + "TVSeries"), (KG + "Miniseries", S + "TVSeries"),
             (S + "TVSeries", S + "CreativeWork"), (S + "Movie", S + "CreativeWork")]


def person(slug_: str, label: str, *names: str) -> Entity:
    return Entity(ID + "person/" + slug_, label, names, (S + "Person",))


SOUNDTRACK = Entity(ID + "work/soundtrack", "Soundtrack", (), (S + "TVSeries", KG + "ScriptedSeries"))
MINISERIES = Entity(ID + "work/pennies-from-heaven-1978", "Pennies From Heaven (1978 miniseries)", (),
                    (S + "TVSeries", KG + "Miniseries"))
FILM = Entity(ID + "work/pennies-from-heaven-1981", "Pennies From Heaven (1981 film)", (), (S + "Movie",))
FLIRTY = Entity(ID + "work/flirty-dancing", "Flirty Dancing", (), (S + "TVSeries",))
FLIRTY_UK = Entity(ID + "work/flirty-dancing-uk", "Flirty Dancing (U.K. version)", (), (S + "TVSeries",))
LOS_ANGELES = Entity(ID + "place/los-angeles", "Los Angeles", ("L.A.", "City of Angels"), (S + "City",))
GREYS = Entity(ID + "work/greys-anatomy", "Grey's Anatomy", (), (S + "TVSeries",))
DEWAN = person("jenna-dewan", "Jenna Dewan")
SAFRAN = person("joshua-safran", "Joshua Safran")
BEYONCE = person("beyonce", "Beyoncé", "Queen B")
MARTIN = person("steve-martin", "Steve Martin")
RICKY = person("ricky-martin", "Ricky Martin")
KING = person("mlk", "Martin Luther King Jr.")
ALL = [SOUNDTRACK, MINISERIES, FILM, FLIRTY, FLIRTY_UK, LOS_ANGELES, GREYS, DEWAN, SAFRAN, BEYONCE, MARTIN, RICKY, KING]


@pytest.fixture(scope="module")
def index() -> Index:
    return Index.from_entities(ALL, HIERARCHY)


@pytest.fixture(scope="module")
def bundled() -> Index:
    return Index.from_store(load([GRAPH]))


def matched(index: Index, label: str, type: str | None = None) -> Entity:
    found = index.match(label, type)
    assert found.status == "matched", (label, type, found)
    assert found.candidates == [(found.entity, 100.0)]
    return found.entity


def listed(found) -> list[str]:
    return [entity.iri for entity, _ in found.candidates]


# -- exact, folded, alternate names ------------------------------------------------------------
def test_an_exact_label_matches(index):
    assert matched(index, "Jenna Dewan") == DEWAN
    assert index.match("Jenna Dewan").reason == "label"


@pytest.mark.parametrize("label", ["jenna dewan", "JENNA DEWAN", "Jenna  Dewan", "Jénna Dewan"])
def test_case_spaces_and_accents_are_folded(index, label):
    assert matched(index, label) == DEWAN


def test_beyonce_without_the_accent_is_beyonce(index):
    assert matched(index, "Beyonce") == BEYONCE
    assert matched(index, "BEYONCÉ") == BEYONCE


def test_curly_and_straight_apostrophes_are_one(index):
    assert matched(index, "Grey’s Anatomy") == GREYS
    assert matched(index, "Greys Anatomy") == GREYS


@pytest.mark.parametrize("label", ["L.A.", "LA", "l.a.", "City of Angels", "city of angels"])
def test_alternate_names_and_their_spellings_match(index, label):
    assert matched(index, label) == LOS_ANGELES


def test_punctuation_and_word_breaks_do_not_count():
    index = Index.from_entities([person("jay-z", "Jay-Z"), Entity(ID + "work/lo", "Law & Order", (), ())])
    assert matched(index, "Jay Z").label == "Jay-Z"
    assert matched(index, "JayZ").label == "Jay-Z"
    assert matched(index, "Law and Order").label == "Law & Order"


def test_the_keys_fold_what_the_rules_say():
    assert key("Grey’s Anatomy") == key("Grey's Anatomy") == "greys anatomy"
    assert key("L.A.") == key("LA") == "la"
    assert key("Søren Kierkegaard") == "soren kierkegaard"


# -- type narrowing ---------------------------------------------------------------------------
def test_a_person_named_like_a_series_is_not_the_series(index):
    found = index.match("Soundtrack", "Person")
    assert (found.status, found.entity, found.candidates, found.reason) == ("new", None, [], "other type")
    assert matched(index, "Soundtrack", "TVSeries") == SOUNDTRACK


@pytest.mark.parametrize("type", ["City", "Place", "schema:Place", S + "Place", None])
def test_a_city_is_a_place(index, type):
    assert matched(index, "Los Angeles", type) == LOS_ANGELES


def test_the_hierarchy_is_read_loosely_both_ways():
    series_only = Entity(ID + "work/x", "Soundtrack", (), (S + "TVSeries",))
    index = Index.from_entities([series_only], HIERARCHY)
    assert matched(index, "Soundtrack", "ScriptedSeries") == series_only  # the card is more precise
    assert matched(index, "Soundtrack", "CreativeWork") == series_only
    assert index.match("Soundtrack", "Movie").status == "new"  # a sibling class


def test_without_the_hierarchy_only_the_same_class_fits():
    index = Index.from_entities([LOS_ANGELES])
    assert index.match("Los Angeles", "Place").status == "new"
    assert matched(index, "Los Angeles", "City") == LOS_ANGELES


def test_local_type_names_resolve_to_the_known_classes(index):
    assert index.resolve_type("Person") == S + "Person"
    assert index.resolve_type("ScriptedSeries") == KG + "ScriptedSeries"
    assert index.resolve_type("kg:Miniseries") == KG + "Miniseries"
    assert index.resolve_type(S + "Movie") == S + "Movie"


# -- qualified names and ambiguity ------------------------------------------------------------
def test_two_works_of_one_name_are_ambiguous(index):
    found = index.match("Pennies From Heaven")
    assert (found.status, found.entity, found.reason) == ("ambiguous", None, "qualified")
    assert found.candidates == [(MINISERIES, 100.0), (FILM, 100.0)]


@pytest.mark.parametrize("label, type, entity", [
    ("Pennies From Heaven (1978)", None, MINISERIES),
    ("Pennies From Heaven (film)", None, FILM),
    ("pennies from heaven (1978 miniseries)", None, MINISERIES),
])
def test_a_type_or_a_year_tells_them_apart(index, label, type, entity):
    assert matched(index, label, type) == entity


@pytest.mark.parametrize("type, entity", [("Movie", FILM), ("TVSeries", MINISERIES)])
def test_a_bare_name_never_matches_a_qualified_one_alone(index, type, entity):
    """Even when the type leaves one candidate: "Maple Hollow High" may be the original of
    "Maple Hollow High (reboot)". The editor pins it or writes the qualifier."""
    found = index.match("Pennies From Heaven", type)
    assert (found.status, found.reason, found.candidates) == ("ambiguous", "qualified", [(entity, 100.0)])


def test_a_qualifier_that_fits_neither_only_offers_both(index):
    found = index.match("Pennies From Heaven (1990)")
    assert (found.status, found.reason, listed(found)) == ("ambiguous", "nearly", [MINISERIES.iri, FILM.iri])


def test_an_exact_label_wins_over_qualified_ones(index):
    assert matched(index, "Flirty Dancing") == FLIRTY
    assert matched(index, "Flirty Dancing (UK)") == FLIRTY_UK


def test_one_name_of_two_entities_is_ambiguous():
    first, second = person("a", "Alex Smith"), person("b", "Alex Smith")
    found = Index.from_entities([second, first]).match("alex smith")
    assert (found.status, listed(found)) == ("ambiguous", [ID + "person/a", ID + "person/b"])


# -- near misses, family names, new -----------------------------------------------------------
def test_an_unknown_name_is_new(index):
    found = index.match("Christopher Walken")
    assert (found.status, found.entity, found.candidates, found.reason) == ("new", None, [], "")


@pytest.mark.parametrize("label, entity", [("Josh Safran", SAFRAN), ("Jenna Dewn", DEWAN),
                                           ("Joshua Safrann", SAFRAN), ("Soundtrak", SOUNDTRACK)])
def test_a_near_miss_is_never_matched_only_offered(index, label, entity):
    found = index.match(label)
    assert (found.status, found.entity, found.reason) == ("ambiguous", None, "nearly")
    assert listed(found)[0] == entity.iri
    assert 85 <= found.candidates[0][1] < 100


def test_near_candidates_come_best_first_and_obey_the_type():
    film = Entity(ID + "work/js", "Jon Smyth", (), (S + "Movie",))
    twins = [person("jon", "Jon Smith"), person("john", "John Smith"), film]
    index = Index.from_entities(twins)
    found = index.match("Jonn Smith")
    scores = [score for _, score in found.candidates]
    assert found.status == "ambiguous" and scores == sorted(scores, reverse=True)
    assert set(listed(found)) == {ID + "person/jon", ID + "person/john"}  # "jon smyth" is two edits away
    assert index.match("Jon Smith").status == "matched"
    assert ID + "work/js" in listed(index.match("Jon Smyht"))
    assert listed(index.match("Jon Smyth", "Person")) == [ID + "person/jon"]  # not the film, its own label


def test_a_near_miss_of_another_type_is_not_offered(index):
    assert index.match("Soundtrak", "Person").status == "new"


def test_a_family_name_alone_offers_the_person(index):
    found = index.match("Dewan")
    assert (found.status, found.entity, found.candidates) == ("ambiguous", None, [(DEWAN, 85.0)])
    assert index.match("Dewan", "Person").candidates == [(DEWAN, 85.0)]
    assert index.match("Dewan", "Organization").status == "new"


def test_a_shared_family_name_lists_every_bearer_and_suffixes_are_not_names(index):
    assert listed(index.match("Martin")) == [RICKY.iri, MARTIN.iri]
    assert index.match("Jr").status == "new"
    assert listed(index.match("King")) == [KING.iri]


def test_a_qualified_label_offers_the_bare_one(index):
    found = index.match("Soundtrack (TV series)")
    assert (found.status, listed(found)) == ("ambiguous", [SOUNDTRACK.iri])


# -- adding entities --------------------------------------------------------------------------
def test_an_added_entity_is_found_after_the_index_was_used():
    index = Index.from_entities([DEWAN, SAFRAN])
    assert index.match("Joshua Safrn").status == "ambiguous"  # the near-miss list is built now
    index.add(person("lauren-zima", "Lauren Zima"))
    assert matched(index, "lauren zima").iri == ID + "person/lauren-zima"
    assert listed(index.match("Lauren Zma")) == [ID + "person/lauren-zima"]


def test_adding_a_known_iri_adds_its_names_and_types():
    index = Index.from_entities([SOUNDTRACK])
    merged = index.add(Entity(SOUNDTRACK.iri, "Soundtrack (2019 series)", ("The Soundtrack",), (S + "CreativeWork",)))
    assert merged.label == "Soundtrack" and merged.names == ("Soundtrack (2019 series)", "The Soundtrack")
    assert S + "CreativeWork" in merged.types and index.get(SOUNDTRACK.iri) == merged
    assert matched(index, "The Soundtrack") == merged


# -- the bundled graph ------------------------------------------------------------------------
def test_the_bundled_graph_finds_its_people_places_and_works(bundled):
    assert matched(bundled, "Jenna Dewan").iri == ID + "person/jenna-dewan"
    assert matched(bundled, "jenna dewan", "Person").iri == ID + "person/jenna-dewan"
    assert matched(bundled, "L.A.", "Place").iri == ID + "place/los-angeles"  # City < Place from the ontology
    assert matched(bundled, "Soundtrack", "TVSeries").iri == ID + "work/soundtrack"
    assert matched(bundled, "Entertainment Tonight", "Organization").iri == ID + "organization/entertainment-tonight"
    found = bundled.match("Pennies From Heaven", "CreativeWork")
    assert {ID + "work/pennies-from-heaven-1978", ID + "work/pennies-from-heaven-1981"} <= set(listed(found))


def test_the_bundled_graph_indexes_derived_nodes(bundled):
    assert bundled.get(ID + "event/soundtrack-cancellation").label == "Cancellation of Soundtrack"
    assert bundled.get(ID + "role/soundtrack-jenna-dewan-as-joanna-kassem") is not None
    assert bundled.get(ID + "character/joanna-kassem").types == (KG + "FictionalCharacter",)


def test_the_bundled_graph_leaves_out_articles_claims_and_vocabulary(bundled):
    assert bundled.get(ID + "article/et-soundtrack-canceled") is None
    assert bundled.get("https://kgtool.example/graph/et-soundtrack-canceled") is None
    assert bundled.get(KG + "ScriptedSeries") is None and bundled.get(KG + "Claim") is None
    assert all("/claim/" not in entity.iri for entity in bundled._by_iri.values())
    assert bundled.resolve_type("ScriptedSeries") == KG + "ScriptedSeries"


# -- slugs and new IRIs -----------------------------------------------------------------------
@pytest.mark.parametrize("label, expected", [
    ("Pennies From Heaven (1978 miniseries)", "pennies-from-heaven-1978-miniseries"),
    ("Beyoncé", "beyonce"), ("Grey’s Anatomy", "greys-anatomy"), ("L.A.", "la"),
    ("Law & Order: SVU", "law-and-order-svu"), ("  Jenna   Dewan ", "jenna-dewan"), ("Søren", "soren"),
])
def test_slugs_are_folded_lower_case_ascii_and_hyphenated(label, expected):
    assert slug(label) == expected


def test_mint_numbers_an_iri_that_is_taken():
    assert mint("person", "Jenna Dewan", set()) == ID + "person/jenna-dewan"
    taken = {ID + "person/jenna-dewan", ID + "person/jenna-dewan-2"}
    assert mint("person", "Jenna Dewan", taken) == ID + "person/jenna-dewan-3"
    assert mint("work", "Jenna Dewan", taken) == ID + "work/jenna-dewan"
    assert len(taken) == 2


def test_mint_refuses_a_label_without_letters():
    with pytest.raises(CardError) as caught:
        mint("person", "???", set())
    assert caught.value.message() == ("the label '???' has no letters or digits to make an IRI of; "
                                      "give the entity an iri: in the card's entities")


def test_a_store_without_the_ontology_takes_the_hierarchy_given(tmp_path):
    (tmp_path / "a.ttl").write_text('@prefix schema: <https://schema.org/> .\n'
                                    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                                    '<https://kgtool.example/id/place/la> a schema:City ; rdfs:label "Los Angeles" .\n',
                                    encoding="utf-8")
    assert Index.from_store(load([tmp_path])).match("Los Angeles", "Place").status == "new"
    index = Index.from_store(load([tmp_path]), subclass_of=[(S + "City", S + "Place")])
    assert matched(index, "Los Angeles", "Place").iri == ID + "place/la"


def test_a_cycle_in_the_class_hierarchy_ends():
    index = Index.from_entities([LOS_ANGELES], [(S + "City", S + "Place"), (S + "Place", S + "City")])
    assert matched(index, "Los Angeles", "Place") == LOS_ANGELES
    assert index.match("Los Angeles", "Person").status == "new"
