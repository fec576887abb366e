"""The shapes: the bundled graph conforms, and every kind of breakage is caught and explained.

Each breakage is made in a copy of the Soundtrack article read alone: another article that states
the same fact (Soundtrack's creator, say) would otherwise hide the breakage."""

from __future__ import annotations

import pytest

from conftest import SHAPES, SOUNDTRACK_FILES
from kgtool.namespaces import sparql_prologue
from kgtool.store import load
from kgtool.shacl.validation import validate

G = "graph:et-soundtrack-canceled"
PROLOGUE = sparql_prologue() + (
    "PREFIX sentence: <https://kgtool.example/id/article/et-soundtrack-canceled/sentence/>\n"
    "PREFIX claim: <https://kgtool.example/id/article/et-soundtrack-canceled/claim/>\n"
)


def remove_fact(s, p, o, keep_claim=False):
    claim = "" if keep_claim else f"?c rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ; ?cp ?co ."
    return f"""DELETE {{ GRAPH {G} {{ {s} {p} {o} . {claim} }} }}
               WHERE {{ GRAPH {G} {{ {s} {p} {o} . OPTIONAL {{ {claim} }} }} }}"""


def add_fact(s, p, o, claim=True, sentence="sentence:s05"):
    # the claim's sentence names the object, as the shapes require (else: kg:mention)
    evidence = f"[] a kg:Claim ; rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ; kg:evidence {sentence} ." if claim else ""
    return f"INSERT DATA {{ GRAPH {G} {{ {s} {p} {o} . {evidence} }} }}"


def replace_fact(s, p, old, new, sentence="sentence:s05"):
    return remove_fact(s, p, old) + " ;\n" + add_fact(s, p, new, sentence=sentence)


def remove_claim(s, p, o):
    return f"DELETE WHERE {{ GRAPH {G} {{ ?c rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ; ?cp ?co }} }}"


ARTICLE = "https://kgtool.example/id/article/et-soundtrack-canceled"
MIN = "sh:MinCountConstraintComponent"
SPARQL = "sh:SPARQLConstraintComponent"

# (id, update, expected results as (focus, path, component, start of message))
BREAKAGES = [
    ("series-without-creator", remove_fact("work:soundtrack", "schema:creator", "person:joshua-safran"),
     {("work:soundtrack", "schema:creator", MIN, "A scripted series needs its creator")}),
    ("negative-episode-count", replace_fact("work:soundtrack", "schema:numberOfEpisodes", "10", "-10"),
     {("work:soundtrack", "schema:numberOfEpisodes", "sh:MinInclusiveConstraintComponent", "schema:numberOfEpisodes is one whole number")}),
    ("episode-count-as-text", replace_fact("work:soundtrack", "schema:numberOfEpisodes", "10", '"10"'),
     {("work:soundtrack", "schema:numberOfEpisodes", "sh:DatatypeConstraintComponent", "schema:numberOfEpisodes is one whole number"),
      ("work:soundtrack", "schema:numberOfEpisodes", "sh:MinInclusiveConstraintComponent", "schema:numberOfEpisodes is one whole number")}),
    ("actor-not-a-person", add_fact("work:soundtrack", "schema:actor", "work:magnolia", sentence="sentence:s07"),
     {("work:soundtrack", "schema:actor", "sh:OrConstraintComponent", "A series' actor (schema:actor) must be a schema:Person")}),
    ("role-actor-not-a-person", replace_fact("role:soundtrack-jenna-dewan-as-joanna-kassem", "schema:actor", "person:jenna-dewan", "organization:netflix",
                                                 sentence="sentence:s03"),
     {("role:soundtrack-jenna-dewan-as-joanna-kassem", "schema:actor", "sh:ClassConstraintComponent", "A performance role names exactly one actor")}),
    ("fact-without-evidence", remove_claim("work:soundtrack", "schema:genre", '"musical drama"'),
     {("work:soundtrack", "schema:genre", SPARQL, "The fact ")}),
    ("claim-without-fact", remove_fact("work:soundtrack", "schema:genre", '"musical drama"', keep_claim=True),
     {(f"<{ARTICLE}/claim/c001>", "", SPARQL, "The claim ")}),
    ("claim-without-evidence", f"DELETE WHERE {{ GRAPH {G} {{ claim:c002 kg:evidence ?e }} }}",
     {(f"<{ARTICLE}/claim/c002>", "kg:evidence", MIN, "A claim needs evidence"),
      ("work:soundtrack", "schema:creator", SPARQL, "The fact ")}),
    ("quote-without-speaker", remove_fact("quote:safran-fate", "schema:creator", "person:joshua-safran"),
     {("quote:safran-fate", "schema:creator", MIN, "A quotation is attributed to exactly one speaker")}),
    ("quote-without-attribution", remove_fact("quote:safran-fate", "kg:attribution", '"he said"'),
     {("quote:safran-fate", "kg:attribution", MIN, "A quotation keeps the article's attribution")}),
    ("character-as-person", f"INSERT DATA {{ GRAPH {G} {{ character:joanna-kassem a schema:Person }} }}",
     {("character:joanna-kassem", "", "sh:NotConstraintComponent", "A fictional character is not a schema:Person")}),
    ("upcoming-with-premiere-date", add_fact("work:flirty-dancing", "schema:datePublished", '"2020-01-01"^^xsd:date'),
     {("work:flirty-dancing", "", "sh:OrConstraintComponent", "An upcoming work (kg:releaseStatus kg:Upcoming) has no premiere date")}),
    ("unknown-inspiration-strength", replace_fact("influence:soundtrack-from-magnolia", "kg:strength", "kg:MinorInfluence", "kg:Upcoming"),
     {("influence:soundtrack-from-magnolia", "kg:strength", "sh:InConstraintComponent", "An inspiration has one strength")}),
    ("canceled-by-a-person", replace_fact("event:soundtrack-cancellation", "schema:agent", "organization:netflix", "person:jenna-dewan"),
     {("event:soundtrack-cancellation", "schema:agent", "sh:ClassConstraintComponent", "A cancellation's agent")}),
    ("entity-without-label", f"DELETE DATA {{ GRAPH {G} {{ person:lauren-zima rdfs:label \"Lauren Zima\" }} }}",
     {("person:lauren-zima", "rdfs:label", MIN, "Every entity needs a label")}),
    ("sentence-without-position", f"DELETE WHERE {{ GRAPH {G} {{ sentence:s05 kg:position ?n }} }}",
     {(f"<{ARTICLE}/sentence/s05>", "kg:position", MIN, "A sentence has one position")}),
    ("posting-without-platform", remove_fact("posting:joshua-safran-on-soundtrack-cancelation", "kg:platform", "organization:twitter"),
     {("posting:joshua-safran-on-soundtrack-cancelation", "kg:platform", MIN, "A posting names the one platform")}),
    ("article-graph-without-article", "DELETE WHERE { graph:et-soundtrack-canceled prov:wasDerivedFrom ?a }",
     {("graph:et-soundtrack-canceled", "prov:wasDerivedFrom", MIN, "An article graph says which article it holds")}),
    ("term-without-mapping-note", "DELETE WHERE { kg:inspiredBy skos:editorialNote ?n }",
     {("kg:inspiredBy", "skos:editorialNote", MIN, "Every kg: term needs a Wikidata mapping note")}),
]


def test_the_bundled_graph_conforms(store):
    report = validate(store, [SHAPES])
    assert report.conforms, [r for r in report.results]
    assert report.results == []


def test_every_breakage_is_listed():
    assert len(BREAKAGES) == 19
    assert len({b[0] for b in BREAKAGES}) == len(BREAKAGES)


@pytest.mark.parametrize("name,update,expected", BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_a_broken_copy_fails_with_the_expected_focus_path_and_message(name, update, expected):
    broken = load(SOUNDTRACK_FILES)
    before = {str(q) for q in broken.quads()}
    broken.update(PROLOGUE + update)
    assert {str(q) for q in broken.quads()} != before, "the update changed nothing: the test would prove nothing"
    report = validate(broken, [SHAPES])
    assert not report.conforms
    found = {(r.focus, r.path, r.component) for r in report.violations}
    assert found == {e[:3] for e in expected}
    for focus, path, component, message in expected:
        [result] = [r for r in report.violations if (r.focus, r.path, r.component) == (focus, path, component)]
        assert result.message.startswith(message), result.message
