"""The Soundtrack article splits into exactly the 22 sentences of its hand-made graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtool.cards.sentences import locate, split
from kgtool.errors import EvidenceError

GRAPH = Path(__file__).resolve().parent.parent / "graph"
TEXT = (GRAPH / "sources" / "et-soundtrack-canceled.txt").read_text(encoding="utf-8")
SKIP = ["Watch the clip below for more:", "Related Gallery"]


def gold() -> list[tuple[int, str]]:
    store = ox.Store()
    store.load(path=str(GRAPH / "articles" / "et-soundtrack-canceled.trig"), format=ox.RdfFormat.TRIG)
    query = """PREFIX kg: <https://kgtool.example/ns#> PREFIX schema: <https://schema.org/>
        SELECT ?position ?text WHERE { GRAPH ?g { ?s a kg:Sentence ; kg:position ?position ; schema:text ?text } }
        ORDER BY ?position"""
    return [(int(row["position"].value), row["text"].value) for row in store.query(query)]


def test_the_soundtrack_text_gives_the_22_sentences_of_its_graph():
    expected = gold()
    found = split(TEXT, SKIP)
    assert len(expected) == 22
    for (position, text), sentence in zip(expected, found):
        assert (sentence.position, sentence.text) == (position, text)
        assert TEXT[sentence.start:sentence.end] == text
    assert len(found) == len(expected)


def test_without_skip_the_boilerplate_is_sentences():
    texts = [sentence.text for sentence in split(TEXT)]
    assert texts[19] == "Watch the clip below for more:" and texts[-1] == "Related Gallery"


def test_the_card_s_evidence_spans_are_found():
    found = split(TEXT, SKIP)
    assert locate("was canceled after one season, ET has learned", found).position == 4
    assert locate("Dewan played Joanna Kassem", found).position == 5
    assert locate('"L.A. people were potted off', found).position == 9
    assert locate("Netflix's decision to let the series go", found).position == 11
    assert locate("the upcoming Fox reality series Flirty Dancing", found).position == 14


def test_a_near_miss_in_the_soundtrack_text():
    with pytest.raises(EvidenceError) as caught:
        locate("was canceled after two seasons", split(TEXT, SKIP))
    assert caught.value.what == (
        'evidence "was canceled after two seasons" is not in the article; closest: sentence 4 '
        '"…was canceled after one season…" (differs at "two seasons" / "one season")')
