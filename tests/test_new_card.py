"""kgtool new-card: a card skeleton guessed from an article's text, that kgtool add can read."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kgtool.cards.card import read_card
from kgtool.cards.reconcile import Entity, Index
from kgtool.cards.sentences import split
from kgtool.cards.skeleton import card_skeleton
from kgtool.store import load

from conftest import GRAPH

SOUNDTRACK = GRAPH / "sources" / "et-soundtrack-canceled.txt"
TEXT = SOUNDTRACK.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bundled_index():
    return Index.from_store(load([GRAPH]))


@pytest.fixture(scope="module")
def reconciled(bundled_index):
    return card_skeleton(TEXT, bundled_index, article_id="et-soundtrack-canceled")


@pytest.fixture(scope="module")
def unreconciled():
    return card_skeleton(TEXT, None, article_id="et-soundtrack-canceled")


def parsed(card: str) -> dict:
    return YAML(typ="rt").load(card)


def entity_lines(card: str) -> dict[str, str]:
    """Each `Label: value   # comment` line under entities:, by its label (comments tell matched from new)."""
    block = card.split("\nentities:\n", 1)[1].split("\n\n", 1)[0]
    return {line.split(":", 1)[0].strip(): line for line in block.splitlines()
            if line.startswith("  ") and not line.lstrip().startswith("#")}


def facts_of(card: str) -> dict[str, dict]:
    return {str(item["fact"]): item for item in parsed(card)["facts"] or []}


def test_the_skeleton_is_a_card_kgtool_add_reads(reconciled, tmp_path):
    path = tmp_path / "et-soundtrack-canceled.yaml"
    card = read_card(path, reconciled.encode("utf-8"))
    assert card.ident == "et-soundtrack-canceled"
    assert card.article["headline"] == "Jenna Dewan's Netflix Series 'Soundtrack' Canceled After One Season"
    assert card.article["skip"] == ["Watch the clip below for more:", "Related Gallery"]
    assert "Jenna Dewan on How Pregnancy Is Different and 'Faster' the Second Time Around" in card.article["related"]
    assert card.facts and card.quotes and card.entities


def test_the_soundtrack_skeleton_compiles_as_it_is(reconciled, bundled_index, tmp_path):
    """Everything guessed from the Soundtrack article is a fact, quote or entity the compiler takes."""
    from kgtool.cards.compiler import compile_card

    card = read_card(tmp_path / "et-soundtrack-canceled.yaml", reconciled.encode("utf-8"))
    compile_card(card, TEXT, bundled_index, GRAPH / "ontology.ttl")


def test_the_suggested_facts_are_the_articles(reconciled):
    facts = facts_of(reconciled)
    assert "created by Joshua Safran" in facts["Soundtrack | created by | Joshua Safran"]["evidence"]
    assert "Dewan played Joanna Kassem" in facts["Jenna Dewan | plays | Joanna Kassem | in Soundtrack"]["evidence"]
    canceled = [fact for fact in facts if fact.startswith("Soundtrack | canceled") and fact.endswith("after 1 season")]
    assert canceled, list(facts)
    assert facts[canceled[0]]["evidence"].endswith("was canceled after one season")
    assert facts[canceled[0]]["hedge"] == "ET has learned"
    inspired = facts["Soundtrack | inspired by | Pennies From Heaven | major"]
    assert inspired["hedge"] == "largely inspired by"
    assert dict(inspired["as"]) == {"Soundtrack": "The short-lived series"}
    assert "Soundtrack | inspired by | Magnolia | minor" in facts


def test_every_evidence_span_is_verbatim_in_one_sentence(reconciled):
    sentences = split(TEXT, ["Watch the clip below for more:", "Related Gallery"])
    data = parsed(reconciled)
    for item in [*data["facts"], *data["quotes"]]:
        for key in ("evidence", "hedge", "words", "attribution"):
            if key in item:
                assert any(str(item[key]) in s.text for s in sentences), (key, item[key])


@pytest.mark.parametrize("source", sorted((GRAPH / "sources").glob("*.txt")), ids=lambda p: p.stem)
def test_every_articles_skeleton_reads_and_quotes_its_text(source, bundled_index, tmp_path):
    text = source.read_text(encoding="utf-8")
    card = read_card(tmp_path / f"{source.stem}.yaml",
                     card_skeleton(text, bundled_index, article_id=source.stem).encode("utf-8"))
    sentences = split(text, card.article["skip"])
    for span in [f.evidence for f in card.facts] + [h for f in card.facts for h in f.hedge] + [
            q.words for q in card.quotes] + [q.attribution for q in card.quotes if q.attribution]:
        assert any(span in s.text for s in sentences), span


def test_every_fact_line_asks_to_be_confirmed(reconciled):
    fact_lines = [line for line in reconciled.splitlines() if line.startswith("  - fact:")]
    assert fact_lines and all("# confirm or delete" in line for line in fact_lines)


def test_the_eight_quotations_and_their_speakers(reconciled):
    quotes = parsed(reconciled)["quotes"]
    assert [str(q["speaker"]) for q in quotes] == ["Joshua Safran"] * 6 + ["Jenna Dewan"] * 2
    assert quotes[0]["attribution"] == "Safran told ET of Pennies From Heaven"
    assert quotes[0]["medium"] == "told to: ET"
    assert quotes[1]["words"].startswith("L.A. people were potted off")
    assert quotes[1]["attribution"] == "he observed that"
    assert [q["attribution"] for q in quotes[2:6]] == ["he said", "he wrote", "he continued", "adding"]
    assert dict(quotes[2]["as"]) == {"Joshua Safran": "he"}
    assert quotes[6]["attribution"] == "she raved to ET's Lauren Zima"
    assert dict(quotes[7]["as"]) == {"Jenna Dewan": "she"}
    assert quotes[4]["words"] == "While Soundtrack may only have lasted one season, it begins and ends, it closes its loop"
    assert all("a brief period" not in q["words"] for q in quotes)  # a scare quote, not a quotation


def test_names_are_marked_as_matching_the_graph_or_new(reconciled):
    entities = entity_lines(reconciled)
    assert "# matches person:jenna-dewan" in entities["Jenna Dewan"]
    assert "(also: Dewan)" in entities["Jenna Dewan"]
    assert "# matches organization:netflix" in entities["Netflix"]
    for name in ("Fox", "BBC", "Joshua Safran", "Steve Martin", "Christopher Walken", "Flirty Dancing"):
        assert name in entities
    assert "Dewan" not in entities and "Safran" not in entities  # a family name is its person's mention
    assert "work:pennies-from-heaven-1978" in entities["Pennies From Heaven"]  # matched, or the first of two


def test_without_a_graph_the_types_are_guessed_from_the_words(unreconciled):
    data = parsed(unreconciled)["entities"]
    assert data["Joshua Safran"] == "Person"          # "created by Joshua Safran"
    assert data["Jenna Dewan"] == "Person"            # "Dewan played"
    assert data["Joanna Kassem"] == "FictionalCharacter"
    assert data["Netflix"] == "Organization"
    assert data["Flirty Dancing"] == "TVSeries"       # "series Flirty Dancing"
    assert data["Fox"] == "Organization"              # "Fox reality series Flirty Dancing"
    assert data["New York"] == "Place"                # "A New York native"
    assert [str(q["speaker"]) for q in parsed(unreconciled)["quotes"]] == ["Joshua Safran"] * 6 + ["Jenna Dewan"] * 2
    assert "# matches" not in unreconciled


def test_a_small_index_reconciles_what_it_knows():
    index = Index.from_entities([Entity("https://kgtool.example/id/person/jenna-dewan", "Jenna Dewan",
                                        types=("https://schema.org/Person",))])
    entities = entity_lines(card_skeleton(TEXT, index, article_id="x"))
    assert "# matches person:jenna-dewan" in entities["Jenna Dewan"]
    assert "new: Organization" in entities["Netflix"]


def skeleton_of(body: str, index=None) -> dict:
    return parsed(card_skeleton("A Headline About 'Night Shift'\n\n" + body + "\n", index, article_id="t"))


@pytest.mark.parametrize("body, fact, evidence", [
    ("Netflix has renewed the drama Night Shift for a second season.",
     "Night Shift | renewed by | Netflix | season 2", "Netflix has renewed the drama Night Shift for a second season"),
    ("Night Shift was renewed for season 3 at Hulu.", "Night Shift | renewed by | Hulu | season 3",
     "Night Shift was renewed for season 3"),
    ("HBO canceled Night Shift after three seasons.", "Night Shift | canceled by | HBO | after 3 seasons",
     "HBO canceled Night Shift after three seasons"),
    ("The series, directed by Ava Moreno, is based on the novel Dark Water.",
     "Night Shift | directed by | Ava Moreno", "The series, directed by Ava Moreno"),
    ("The series is based on the novel Dark Water.", "Night Shift | based on | Dark Water",
     "The series is based on the novel Dark Water"),
    ("In the series, Tom Hale plays Ray Dunn.", "Tom Hale | plays | Ray Dunn | in Night Shift",
     "the series, Tom Hale plays Ray Dunn"),
    ("Night Shift, starring Ana Ruiz, was created by Ben Cole.", "Night Shift | starring | Ana Ruiz",
     "Night Shift, starring Ana Ruiz"),
    ("Night Shift, starring Ana Ruiz, was created by Ben Cole.", "Night Shift | created by | Ben Cole",
     "Night Shift, starring Ana Ruiz, was created by Ben Cole"),
    ("Night Shift is loosely inspired by Twin Peaks.", "Night Shift | inspired by | Twin Peaks | minor",
     "Night Shift is loosely inspired by Twin Peaks"),
    ("It follows Sheriff Tom Hale (Dominic Reyes Jr.) at work.", "Dominic Reyes Jr. | plays | Tom Hale | in Night Shift",
     "Tom Hale (Dominic Reyes Jr.)"),
    ("Ana Ruiz will play Wren Hale as a series regular.",
     "Ana Ruiz | plays | Wren Hale | in Night Shift | series regular", "Ana Ruiz will play Wren Hale"),
    ("Marcus Bell will recur as Father Ambrose Quint.", "Marcus Bell | plays | Ambrose Quint | in Night Shift | recurring",
     "Marcus Bell will recur as Father Ambrose Quint"),
    ("Ana Ruiz has joined the cast of Netflix's Night Shift as Wren Hale.",
     "Ana Ruiz | joins the cast of | Night Shift | as Wren Hale", "Ana Ruiz has joined the cast of Netflix's Night Shift as Wren Hale"),
    ("Tom Hale, who has played Ray since the pilot, is exiting the series.", "Tom Hale | exits | Night Shift",
     "Tom Hale, who has played Ray since the pilot, is exiting the series"),
    ("Comedian Gideon Marsh will guest star in the premiere.", "Gideon Marsh | guest stars in | Night Shift",
     "Gideon Marsh will guest star"),
])
def test_the_commonest_phrasings_become_facts(body, fact, evidence):
    facts = {str(f["fact"]): f for f in skeleton_of(body)["facts"]}
    assert fact in facts, list(facts)
    assert facts[fact]["evidence"] == evidence


def test_a_network_the_sentence_calls_the_streamer_gets_its_words():
    data = skeleton_of("Night Shift is a Netflix series. The streamer renewed the series for a third season.")
    facts = {str(f["fact"]): f for f in data["facts"]}
    renewal = facts["Night Shift | renewed by | Netflix | season 3"]
    assert dict(renewal["as"]) == {"Night Shift": "the series", "Netflix": "The streamer"}


def test_a_cancellation_without_a_network_in_its_sentence_names_none():
    data = skeleton_of("Netflix made Night Shift. Night Shift was canceled after two seasons.")
    facts = [str(f["fact"]) for f in data["facts"]]
    assert "Night Shift | canceled | after 2 seasons" in facts


def test_a_quotation_with_a_name_before_it():
    data = skeleton_of("Director Ava Moreno told Variety: “We are thrilled to go on with this story.”")
    quote = data["quotes"][0]
    assert (quote["speaker"], quote["attribution"], quote["medium"]) == (
        "Ava Moreno", "Director Ava Moreno told Variety", "told to: Variety")
    assert data["entities"]["Ava Moreno"] == "Person"


def test_a_pronoun_is_the_last_person_it_can_be():
    body = ("“I loved every minute of it,” Tom Hale said. Ana Ruiz joined him on stage. "
            "“It was the best year of my life,” he added. “Same for me, truly,” she said.")
    speakers = [q["speaker"] for q in skeleton_of(body)["quotes"]]
    assert speakers == ["Tom Hale", "Tom Hale", "Ana Ruiz"]


def test_odd_names_and_headlines_are_written_as_yaml_that_reads_back():
    headline = "Yes: #1 'Show' - \"No\" & true"
    body = "Night\u00a0Shift, the series created by Ana: Ruiz, is back. True North #2 aired."
    data = parsed(card_skeleton(headline + "\n" + body + "\n", None, article_id="odd"))
    assert data["article"]["headline"] == headline
    evidence = [str(f["evidence"]) for f in data["facts"]]
    assert all(e in body for e in evidence) and evidence


def test_boilerplate_lines_are_suggested_for_skip():
    text = "A Headline About 'Night Shift'\nNight Shift returns. Watch the trailer below:\nAdvertisement\nRelated Gallery"
    assert skeleton_of_text(text)["article"]["skip"] == ["Watch the trailer below:", "Advertisement", "Related Gallery"]


def skeleton_of_text(text: str) -> dict:
    return parsed(card_skeleton(text, None, article_id="t"))


# ---- the command ------------------------------------------------------------------------------

def test_the_command_writes_the_card_to_stdout(run, reconciled):
    result = run("new-card", str(SOUNDTRACK))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == reconciled
    assert result.stderr == ""


def test_the_command_writes_a_file_with_an_id_and_a_graph(run, tmp_path):
    graph = tmp_path / "people.ttl"
    graph.write_text('@prefix schema: <https://schema.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                     '<https://kgtool.example/id/organization/fox> a schema:Organization ; rdfs:label "Fox" .\n',
                     encoding="utf-8")
    out = tmp_path / "card.yaml"
    result = run("new-card", str(SOUNDTRACK), "--id", "soundtrack-news", "--graph", str(graph), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
    card = out.read_text(encoding="utf-8")
    data = parsed(card)
    assert data["article"]["id"] == "soundtrack-news"
    assert data["article"]["text"] == "et-soundtrack-canceled.txt"
    entities = entity_lines(card)
    assert "# matches organization:fox" in entities["Fox"]
    assert "# matches" not in entities["Jenna Dewan"]


def test_the_command_reconciles_with_a_store(run, tmp_path):
    store = tmp_path / "news.store"
    assert run("load", str(GRAPH), "--store", str(store), "--quiet").exit_code == 0
    result = run("new-card", str(SOUNDTRACK), "--store", str(store))
    assert result.exit_code == 0, result.stderr
    assert "# matches person:jenna-dewan" in entity_lines(result.stdout)["Jenna Dewan"]


def test_the_id_comes_from_the_file_name(run, tmp_path):
    article = tmp_path / "Some Article_2024.txt"
    article.write_text("A Headline About 'Night Shift'\nNight Shift returns.\n", encoding="utf-8")
    result = run("new-card", str(article))
    assert parsed(result.stdout)["article"]["id"] == "some-article-2024"
    assert parsed(result.stdout)["article"]["text"] == "Some Article_2024.txt"


@pytest.mark.parametrize("args, line", [
    (["nowhere.txt"], "kgtool: error: nowhere.txt: no such file; check the path"),
    ([str(SOUNDTRACK), "--id", "Bad Id"],
     "kgtool: error: --id: 'Bad Id' is not a slug; use lower-case letters, digits and hyphens, e.g. bad-id"),
])
def test_refusals_are_one_line_and_write_nothing(run, tmp_path, args, line):
    out = tmp_path / "card.yaml"
    result = run("new-card", *args, "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == line + "\n"
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_folder_or_a_text_that_is_not_utf8_is_refused(run, tmp_path):
    result = run("new-card", str(tmp_path))
    assert result.stderr == f"kgtool: error: {tmp_path}: is a folder, not an article's text; name the .txt file\n"
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 News\n".encode("latin-1"))
    result = run("new-card", str(latin))
    assert result.stderr == f"kgtool: error: {latin}: not UTF-8 text (byte 3); save the article as UTF-8\n"
    assert result.exit_code == 2


def test_the_core_is_pure(capsys):
    card_skeleton(TEXT, None, article_id="x")
    assert capsys.readouterr() == ("", "")
