"""The model meets real news (issue 12, section 1): hand-written articles of every kind of fact
conform, each planted error is caught with its exact focus node and constraint, and the named
queries answer crew, casting, decisions, derivations, relations, representation and awards.

The fixtures are tests/data/model/*.trig (test articles, not real news), read with the ontology
alone: nothing here depends on how many articles graph/ holds.
"""

from __future__ import annotations

import csv
import io

import pytest

from conftest import DATA, GRAPH, SHAPES
from kgtool.namespaces import sparql_prologue
from kgtool.shacl.validation import validate
from kgtool.store import load

MODEL = DATA / "model"
ONTOLOGY = GRAPH / "ontology.ttl"
ARTICLES = sorted(MODEL.glob("*.trig"))
ID = "https://kgtool.example/id/"
SPARQL = "sh:SPARQLConstraintComponent"
PROLOGUE = sparql_prologue() + "".join(
    f"PREFIX {kind}: <{ID}{kind}/>\n" for kind in ("season", "award", "franchise", "influence"))


def model_store():
    return load([ONTOLOGY, *ARTICLES])


def claim(store, s, p, o) -> str:
    """The IRI of the one claim of s p o, as the report shows it (<...>)."""
    [row] = store.select(PROLOGUE + f"SELECT ?c WHERE {{ ?c rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} }}")
    return f"<{row['c'].value}>"


def sentence(article: str, n: int) -> str:
    return f"<{ID}article/{article}/sentence/s{n:02d}>"


def violations(store):
    return {(r.focus, r.path, r.component, r.message) for r in validate(store, [SHAPES]).violations}


def found(store):
    return {(focus, path, component) for focus, path, component, _ in violations(store)}


def broken(update: str):
    store = model_store()
    before = {str(q) for q in store.quads()}
    store.update(PROLOGUE + update)
    assert {str(q) for q in store.quads()} != before, "the update changed nothing: the test would prove nothing"
    return store


def move_evidence(store, s, p, o, article, n):
    c = claim(store, s, p, o)
    store.update(PROLOGUE + f"""DELETE {{ GRAPH ?g {{ {c} kg:evidence ?e ; kg:evidenceSpan ?span }} }}
        INSERT {{ GRAPH ?g {{ {c} kg:evidence {sentence(article, n)} }} }}
        WHERE {{ GRAPH ?g {{ {c} kg:evidence ?e ; kg:evidenceSpan ?span }} }}""")
    return c


# --- correct data of every kind conforms -------------------------------------------------------

@pytest.mark.parametrize("article", ARTICLES, ids=[a.stem for a in ARTICLES])
def test_each_model_article_conforms_alone(article):
    report = validate(load([ONTOLOGY, article]), [SHAPES])
    assert report.results == []


def test_the_model_articles_conform_together_on_the_command_line(run):
    result = run("validate", "--graph", str(ONTOLOGY), "--graph", str(MODEL))
    assert (result.exit_code, result.stdout) == (0, "0 violations, 0 warnings, 0 infos: the graph conforms.\n")


def test_the_fixtures_cover_every_kind_of_fact():
    store = model_store()
    predicates = {row["p"].value for row in store.select("SELECT DISTINCT ?p WHERE { ?c a kg:Claim ; rdf:predicate ?p }")}
    kg, schema = "https://kgtool.example/ns#", "https://schema.org/"
    wanted = {kg + t for t in ("showrunner", "executiveProducer", "rebootOf", "remakeOf", "revivalOf", "spinOffOf",
                               "franchise", "billing", "castChange", "forSeason", "toNetwork", "fromNetwork",
                               "partnerOf", "exPartnerOf", "siblingOf", "parentOf", "agency", "manager", "attorney",
                               "publicist", "timeframe", "timeframeAnchor", "setIn", "spokenBy", "nominee", "award",
                               "forWork", "forRole", "outcome")}
    wanted |= {schema + t for t in ("director", "author", "producer", "productionCompany", "seasonNumber",
                                    "partOfSeries", "containsSeason", "startDate")} - {schema + "producer"}
    assert wanted - predicates == set()
    types = {row["t"].value for row in store.select("SELECT DISTINCT ?t WHERE { ?x a ?t }")}
    sources = {schema + t for t in ("Book", "ShortStory", "ComicSeries", "PodcastSeries", "Movie", "TVSeason")}
    assert sources | {kg + "FictionalPlace", kg + "Renewal", kg + "SeriesOrder", kg + "Pickup", kg + "NetworkMove"} <= types


def test_a_guest_star_whose_character_the_article_does_not_name_conforms():
    store = load([ONTOLOGY, MODEL / "model-casting.trig"])
    rows = store.select(PROLOGUE + "SELECT ?name WHERE { role:gull-point-pia-ruiz kg:billing kg:GuestStar "
                                   "OPTIONAL { role:gull-point-pia-ruiz schema:characterName ?name } }")
    assert rows == [{}]
    assert validate(store, [SHAPES]).results == []


def test_a_role_with_no_character_billing_or_casting_news_is_refused():
    store = broken("""DELETE WHERE { GRAPH ?g { role:gull-point-pia-ruiz kg:billing ?b .
                          ?c rdf:subject role:gull-point-pia-ruiz ; rdf:predicate kg:billing ; ?cp ?co } }""")
    assert found(store) == {("role:gull-point-pia-ruiz", "", "sh:OrConstraintComponent")}


def test_a_source_work_of_any_creative_kind_is_accepted_but_not_a_person():
    store = broken("""DELETE { GRAPH ?g { work:dusk-line schema:isBasedOn work:night-train } }
                      INSERT { GRAPH ?g { work:dusk-line schema:isBasedOn person:ada-kell } }
                      WHERE { GRAPH ?g { work:dusk-line schema:isBasedOn work:night-train } }""")
    assert ("work:dusk-line", "schema:isBasedOn", "sh:ClassConstraintComponent") in found(store)


def test_a_character_relation_to_a_person_is_refused():
    store = broken("""INSERT DATA { GRAPH graph:model-casting { character:tess-harrow kg:siblingOf person:sam-okoro } }""")
    assert ("character:tess-harrow", "kg:siblingOf", "sh:ClassConstraintComponent") in found(store)


# --- (a) a fact with no claim, whatever its subject's class ------------------------------------

NO_CLAIM = [
    ("renewal", "event:gull-point-renewal-season-3", "schema:agent", "organization:lantern-plus"),
    ("season", "season:gull-point-season-3", "schema:numberOfEpisodes", "10"),
    ("award-nomination", "award:nora-vale-emmy-award", "kg:outcome", "kg:Nominated"),
    ("network-move", "event:dry-county-move", "kg:fromNetwork", "organization:pine-tv"),
    ("fictional-place", "place:birch-hollow", "schema:containedInPlace", "place:ohio"),
]


@pytest.mark.parametrize("kind,s,p,o", NO_CLAIM, ids=[n[0] for n in NO_CLAIM])
def test_a_fact_without_a_claim_is_caught_whatever_the_class_of_its_subject(kind, s, p, o):
    store = broken(f"DELETE WHERE {{ GRAPH ?g {{ ?c rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ; ?cp ?co }} }}")
    [(focus, path, component, message)] = violations(store)
    assert (focus, path, component) == (s, p, SPARQL)
    assert message.startswith("The fact ") and "has no evidence" in message


def test_a_fact_without_a_claim_is_caught_on_a_node_of_a_class_no_shape_names():
    store = broken("""INSERT DATA { GRAPH graph:model-casting {
        <https://kgtool.example/id/gizmo/x> a <https://example.org/ns#Gizmo> ; rdfs:label "A gizmo" ;
            schema:description "never claimed" } }""")
    assert found(store) == {("<https://kgtool.example/id/gizmo/x>", "schema:description", SPARQL)}


# --- (b) a claim whose fact lives in another article's graph ----------------------------------

def test_a_claim_whose_fact_only_another_article_graph_holds_is_caught():
    store = model_store()
    c = claim(store, "person:nora-vale", "kg:agency", "organization:caa")
    store.update(PROLOGUE + """DELETE DATA { GRAPH graph:model-casting { person:nora-vale kg:agency organization:caa } } ;
        INSERT DATA { GRAPH graph:model-derivations { person:nora-vale kg:agency organization:caa } }""")
    [(focus, path, component, message)] = violations(store)
    assert (focus, path, component) == (c, "", SPARQL)
    assert message.startswith(f"The claim {c[1:-1]} in https://kgtool.example/graph/model-casting is about a fact "
                              "that only other article graphs hold")


def test_a_fact_both_articles_state_is_no_error():
    store = broken("INSERT DATA { GRAPH graph:model-derivations { person:nora-vale kg:agency organization:caa } }")
    assert violations(store) == set()


# --- (c) a claim pointing at a sentence that does not name its object ---------------------------

def test_a_claim_whose_sentence_does_not_name_its_object_is_caught():
    store = model_store()
    c = move_evidence(store, "work:gull-point", "kg:executiveProducer", "person:dev-anand", "model-decisions-and-crew", 1)
    [(focus, path, component, message)] = violations(store)
    assert (focus, path, component) == (c, "", SPARQL)
    assert message.startswith(f"The claim {c[1:-1]} points at {sentence('model-decisions-and-crew', 1)[1:-1]}, "
                              f"which does not name {ID}person/dev-anand")


def test_the_mention_names_the_object_when_the_sentence_does_not():
    store = model_store()
    c = claim(store, "work:iron-coast-series", "kg:originalBroadcaster", "organization:lantern-plus")
    assert violations(store) == set()
    store.update(PROLOGUE + f"DELETE WHERE {{ GRAPH ?g {{ {c} kg:mention ?m }} }}")
    assert found(store) == {(c, "", SPARQL)}


def test_a_word_of_the_label_names_the_object_beside_curly_quotes_and_no_break_spaces():
    store = model_store()
    text = "Gull Point is produced by Saltbox Studios; Ines Moreau directed the pilot, which Theo Park wrote."
    variant = text.replace("Ines Moreau", "Moreau’s crew").replace("Theo Park", "Theo\u00a0Park")
    store.update(PROLOGUE + f"""DELETE {{ GRAPH ?g {{ ?s schema:text "{text}" }} }}
        INSERT {{ GRAPH ?g {{ ?s schema:text "{variant}" }} }} WHERE {{ GRAPH ?g {{ ?s schema:text "{text}" }} }}""")
    found = violations(store)
    assert [message for *_, message in found if "does not name" in message] == []
    # the spans and the hedge were copied with the old characters: those are caught, verbatim
    assert {path for _, path, _, _ in found} == {"kg:evidenceSpan", "kg:hedge"}


def test_derived_nodes_need_not_be_named():
    store = model_store()
    move_evidence(store, "work:gull-point", "schema:actor", "role:gull-point-pia-ruiz", "model-casting", 5)
    assert violations(store) == set()


def test_a_text_literal_not_in_its_sentence_is_caught():
    store = model_store()
    c = move_evidence(store, "role:gull-point-nora-vale-as-tess-harrow", "schema:characterName", '"Tess Harrow"',
                      "model-casting", 2)
    [(focus, path, component, message)] = violations(store)
    assert (focus, path, component) == (c, "", SPARQL)
    assert message.startswith(f'The claim {c[1:-1]} says https://schema.org/characterName "Tess Harrow", '
                              "words that its evidence sentence")


# --- (d) a hedge or a quotation not in its evidence sentence -------------------------------------

def test_a_hedge_not_in_its_sentence_is_caught():
    store = model_store()
    c = claim(store, "season:gull-point-season-3", "kg:timeframe", '"this fall"')
    store.update(PROLOGUE + f"""DELETE {{ GRAPH ?g {{ {c} kg:hedge "this fall" }} }}
        INSERT {{ GRAPH ?g {{ {c} kg:hedge "next fall" }} }} WHERE {{ GRAPH ?g {{ {c} kg:hedge "this fall" }} }}""")
    [(focus, path, component, message)] = violations(store)
    assert (focus, path, component) == (c, "kg:hedge", SPARQL)
    assert message.startswith('The claim\'s https://kgtool.example/ns#hedge "next fall" is not words of its evidence sentence')


def test_a_quotation_not_in_its_sentence_is_caught():
    store = model_store()
    said, misquoted = '"We are thrilled to have Nora"', '"We are delighted to have Nora"'
    c = claim(store, "quote:mara-quill-we-are-thrilled", "schema:text", said)
    store.update(PROLOGUE + f"""DELETE {{ GRAPH ?g {{ ?q schema:text {said} . ?c rdf:object {said} }} }}
        INSERT {{ GRAPH ?g {{ ?q schema:text {misquoted} . ?c rdf:object {misquoted} }} }}
        WHERE {{ GRAPH ?g {{ ?q schema:text {said} . ?c rdf:subject ?q ; rdf:object {said} }} }}""")
    [(focus, path, component, message)] = violations(store)
    assert (focus, path, component) == (c, "", SPARQL)
    assert message.startswith(f'The claim {c[1:-1]} says https://schema.org/text "We are delighted to have Nora"')


# --- (e) two sentences of one article at the same position ---------------------------------------

def test_two_sentences_at_one_position_are_caught_on_their_article():
    store = broken(f"""DELETE DATA {{ GRAPH graph:model-casting {{ {sentence('model-casting', 3)} kg:position 3 }} }} ;
        INSERT DATA {{ GRAPH graph:model-casting {{ {sentence('model-casting', 3)} kg:position 2 }} }}""")
    [(focus, path, component, message)] = violations(store)
    assert (focus, path, component) == ("article:model-casting", "", SPARQL)
    assert message.startswith(f"The article {ID}article/model-casting has two or more sentences at position 2")


def test_the_same_position_in_two_articles_is_no_error():
    assert violations(model_store()) == set()  # every article has its sentence 1, 2, 3, ...


# --- the queries answer the new kinds of fact -------------------------------------------------------

def query(run, name, *params):
    args = ["query", name, "--graph", str(ONTOLOGY), "--graph", str(MODEL), "-f", "csv"]
    for param in params:
        args += ["-p", param]
    result = run(*args)
    assert result.exit_code == 0, result.stdout
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_18_lists_the_crew_and_the_casting_kinds(run):
    rows = {r["personLabel"]: set(r["capacities"].split(", ")) for r in query(run, "18-people")}
    assert {"showrunner", "executive producer", "creator", "quoted"} <= rows["Mara Quill"]
    assert "director" in rows["Ines Moreau"] and "writer" in rows["Theo Park"] and "writer" in rows["Ada Kell"]
    assert rows["Saltbox Studios"] == {"studio"}
    assert {"series regular", "joins the cast", "award nominee"} <= rows["Nora Vale"]
    assert {"actor", "guest star"} == rows["Pia Ruiz"]
    assert "exits the cast" in rows["Sam Okoro"] and "recurring" in rows["Lee Brandt"]
    assert rows["Ruth Klein"] == {"attorney of Nora Vale"}


def test_23_lists_the_works_a_person_crewed_with_the_article(run):
    rows = query(run, "23-person-works", "person=Mara Quill")
    assert {(r["relation"], r["workLabel"], r["article"]) for r in rows} == {
        (relation, "Gull Point", f"{ID}article/model-decisions-and-crew")
        for relation in ("created", "showrunner of", "executive producer of")}
    assert [(r["relation"], r["workLabel"]) for r in query(run, "23-person-works", "person=Saltbox Studios")] == [
        ("studio of", "Gull Point")]
    casting = {r["workLabel"]: r["casting"] for r in query(run, "23-person-works", "person=Nora Vale")}
    assert casting == {"Gull Point": "joins the cast, series regular", "Quiet Hours": ""}


def test_24_follows_reboots_remakes_revivals_and_spin_offs(run):
    rows = {(r["workLabel"], r["ancestorLabel"]) for r in query(run, "24-derivation-chains")}
    assert {("Maple Lane (reboot)", "Maple Lane"), ("Maple Lane Again", "Maple Lane"),
            ("Maple Lane: Juniors", "Maple Lane"), ("Iron Coast (series)", "The Salt Road"),
            ("Dusk Line", "Night Train"), ("Dusk Line", "Lost Stations")} <= rows


def test_09_finds_the_chain_through_a_spin_off_and_a_reboot(run):
    rows = query(run, "09-inspiration-chain", "from=work:maple-lane-juniors", "to=work:maple-lane-again")
    assert {(r["stepLabel"], r["relation"].rsplit("#", 1)[-1], r["sourceLabel"]) for r in rows} == {
        ("Maple Lane: Juniors", "spinOffOf", "Maple Lane (reboot)"),
        ("Maple Lane (reboot)", "rebootOf", "Maple Lane"),
        ("Maple Lane Again", "revivalOf", "Maple Lane")}


def test_26_renewals_orders_pickups_moves_and_cancellations(run):
    rows = {(r["seriesLabel"], r["decision"]): r for r in query(run, "26-series-decisions")}
    assert set(rows) == {("Gull Point", "renewed"), ("Night Desk", "ordered to series"), ("Dry County", "picked up"),
                         ("Dry County", "moved"), ("Dry County", "canceled")}
    renewal = rows["Gull Point", "renewed"]
    assert (renewal["byLabel"], renewal["seasonNumber"], renewal["episodes"], renewal["premiere"],
            renewal["timeframe"], renewal["anchor"]) == ("Lantern+", "3", "10", "--10-03", "this fall", "2025-09-18")
    assert (rows["Dry County", "moved"]["fromLabel"], rows["Dry County", "moved"]["toLabel"]) == ("Pine TV", "Lantern+")


def test_27_casting_with_billing_and_cast_changes(run):
    rows = {(r["actorLabel"], r["workLabel"]): (r["character"], r["billing"], r["change"]) for r in query(run, "27-casting")}
    assert rows == {
        ("Nora Vale", "Gull Point"): ("Tess Harrow", "series regular", "joins the cast"),
        ("Sam Okoro", "Gull Point"): ("Jonah", "", "exits the cast"),
        ("Lee Brandt", "Gull Point"): ("Father Amos", "recurring", ""),
        ("Pia Ruiz", "Gull Point"): ("", "guest star", ""),
        ("Nora Vale", "Quiet Hours"): ("Dora Finch", "", ""),
    }


def test_28_relations_between_characters(run):
    rows = {(r["characterLabel"], r["relation"], r["otherLabel"]) for r in query(run, "28-character-relations")}
    assert rows == {("Tess Harrow", "sibling of", "Jonah Harrow"), ("Father Amos", "ex-partner of", "Tess Harrow"),
                    ("Tess Harrow", "parent of", "Wren Harrow"), ("Tess Harrow", "partner of", "Cal Moss")}


def test_29_representation(run):
    rows = {(r["capacity"], r["representativeLabel"]) for r in query(run, "29-representation", "person=Nora Vale")}
    assert rows == {("agency", "CAA"), ("manager", "Artisan Management"), ("attorney", "Ruth Klein"),
                    ("publicist", "Halo PR")}


def test_30_a_nomination_tied_to_the_role(run):
    [row] = query(run, "30-awards")
    assert (row["nomineeLabel"], row["awardLabel"], row["outcome"], row["workLabel"], row["character"]) == (
        "Nora Vale", "Emmy Award", "nominated", "Quiet Hours", "Dora Finch")


def test_31_the_crew_of_a_work(run):
    rows = {(r["capacity"], r["memberLabel"]) for r in query(run, "31-crew", "work=Gull Point")}
    assert rows == {("creator", "Mara Quill"), ("showrunner", "Mara Quill"), ("executive producer", "Mara Quill"),
                    ("executive producer", "Dev Anand"), ("director", "Ines Moreau"), ("writer", "Theo Park"),
                    ("studio", "Saltbox Studios")}


def test_32_franchises_and_fictional_settings(run):
    rows = query(run, "32-franchises-and-settings")
    assert {r["workLabel"] for r in rows if r["franchiseLabel"] == "Maple Lane franchise"} == {
        "Maple Lane (reboot)", "Maple Lane Again"}
    assert {(r["placeLabel"], r["fictional"]) for r in rows if r["placeLabel"]} == {("Maple Lane Elementary", "true")}


def test_10_a_joint_quote_and_a_characters_line(run):
    for speaker in ("Mara Quill", "Dev Anand"):
        [row] = query(run, "10-quotes", f"speaker={speaker}")
        assert row["text"] == "We are thrilled to have Nora"
    [line] = query(run, "10-quotes", "speaker=character:tess-harrow")
    assert (line["text"], line["character"]) == ("This town keeps its secrets", "Tess Harrow")


def test_pyshacl_sees_the_article_graphs_too():
    """The reference engine gets the store as a dataset: the union, and GRAPH for check (b)."""
    store = model_store()
    store.update(PROLOGUE + """DELETE DATA { GRAPH graph:model-casting { person:nora-vale kg:agency organization:caa } } ;
        INSERT DATA { GRAPH graph:model-derivations { person:nora-vale kg:agency organization:caa } }""")
    move_evidence(store, "work:gull-point", "kg:executiveProducer", "person:dev-anand", "model-decisions-and-crew", 1)
    sparql, reference = (validate(store, [SHAPES], engine=engine) for engine in ("sparql", "pyshacl"))
    assert (sparql.engine, reference.engine) == ("sparql", "pyshacl")
    assert len(sparql.results) == 2
    assert sparql.results == reference.results
