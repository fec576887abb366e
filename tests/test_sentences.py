"""Splitting an article into sentences, and finding a card's evidence in them (kgtool.cards.sentences)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kgtool.cards.sentences import Sentence, as_written, find_in, locate, locate_all, split
from kgtool.errors import EvidenceError

NBSP = "\u00a0"


def texts(text: str, skip=()) -> list[str]:
    return [sentence.text for sentence in split(text, skip)]


@pytest.mark.parametrize("sentences", [
    ["Martin Luther King Jr. was born in Atlanta.", "He was a minister."],
    ["Robert Downey Jr. and Gwyneth Paltrow star.", "The film opens Friday."],
    ["Dr. Dre produced the album.", "It sold well."],
    ["She moved to L.A. in 2010.", "Then she met him."],
    ["V. E. Schwab wrote the novel.", "The series adapts it."],
    ["The novel by J. K. Rowling was adapted.", "HBO ordered it."],
    ["The cast includes Samuel L. Jackson and Uma Thurman.", "Quentin Tarantino directs."],
    ["He lives in the U.K. with his wife.", "She is an actress."],
    ["The deal was signed by Mr. Smith at 5 p.m. on Friday.", "It was a hit."],
    ["The show premiered Aug. 9, 2019, on Netflix.", "It was canceled later."],
    ["He plays Lt. Dan in the remake.", "Filming begins soon."],          # syntok cuts after titles
    ["Gov. Newsom signed the bill.", "Sgt. Pepper turns 50."],
])
def test_abbreviations_and_initials_do_not_end_a_sentence(sentences):
    assert texts(" ".join(sentences)) == sentences


@pytest.mark.parametrize("sentences", [
    ["“I loved it. I cried,” she said.", "He left."],
    ["\"I loved it. I cried,\" she said.", "He left."],
    ["“Is it over? Yes,” he asked.", "Nobody answered."],
    ["He said, “It was the best. Honestly! I mean it.”", "Then he left."],
    ["“It’s over,” she said, “and I’m glad. Really glad.”", "Then she left."],
    ["“We’re thrilled. The fans asked for it. Here it is,” said showrunner Joshua Safran.", "Production starts."],
    ["“I watched the U.K. version and fell in love. I was literally crying.”", "She laughed."],
])
def test_a_quotation_of_several_sentences_stays_one_sentence_with_its_attribution(sentences):
    assert texts(" ".join(sentences)) == sentences


@pytest.mark.parametrize("sentences", [
    ["“I loved it!” Safran said of the show.", "It ended in May."],     # pysbd cuts after the quotation
    ["She wrote: “Thank you! I love you all!”", "Fans replied."],       # ...and here it is right to
    ["Jenna Dewan’s new show is ‘Flirty Dancing.’", "It airs on Fox."],  # pysbd does not cut
    ["He appeared in Vol. 2 of the series.", "Fans loved it."],
    ["The series, from Warner Bros. Television, premieres in May.", "It stars Jane Doe."],
    ["E! News reported the split.", "Neither star commented."],
    ["The trailer dropped at 9 a.m. ET Friday.", "Fans went wild."],
    ["The finale airs at 8 p.m. Sunday on HBO.", "It runs long."],
    ["Who Wants to Be a Millionaire? returns in May.", "Jimmy Kimmel hosts."],
    ["'Harbor Lights' Adds Talia Brooks for Season 3 as Dominic Reyes Jr. Exits"],  # a headline is one
    ["Is 'Soundtrack' Over? Netflix Pulls the Plug"],
    ["Dr. Dre Returns.", "He Sings."],                                   # ...unless it has full stops
])
def test_the_repairs_on_top_of_pysbd(sentences):
    assert texts(" ".join(sentences)) == sentences


def test_lines_are_hard_boundaries_and_offsets_point_into_the_text():
    text = ("Jenna Dewan's Series 'Soundtrack' Canceled\n\nParrish Lewis/Netflix\n\n"
            f"  Dewan’s time is up. Soundtrack was canceled, ET has learned.{NBSP} \n"
            f"Dewan is busy with the series{NBSP}Flirty Dancing.\r\nThe end")
    found = split(text)
    assert [s.text for s in found] == [
        "Jenna Dewan's Series 'Soundtrack' Canceled", "Parrish Lewis/Netflix", "Dewan’s time is up.",
        "Soundtrack was canceled, ET has learned.", f"Dewan is busy with the series{NBSP}Flirty Dancing.", "The end"]
    assert [s.position for s in found] == [1, 2, 3, 4, 5, 6]
    for sentence in found:
        assert text[sentence.start:sentence.end] == sentence.text


def test_skipped_lines_and_sentences_take_no_position():
    text = "Headline\n\nRelated Gallery\n\nShe is expecting. Watch the clip below for more:\n\nThe next story"
    found = split(text, skip=["  Related Gallery ", "Watch the clip below for more:"])
    assert [(s.position, s.text) for s in found] == [(1, "Headline"), (2, "She is expecting."), (3, "The next story")]
    assert texts(text)[1] == "Related Gallery"


def test_an_empty_text_has_no_sentences():
    assert split("") == [] and split("\n \n\u00a0\n") == []


SENTENCES = split("Soundtrack was canceled after one season, ET has learned. Dewan is busy.\n\n"
                  "“I loved it,” he said — twice. She is busy too. Dewan is busy.")


def test_locate_finds_the_span_verbatim():
    assert locate("canceled after one season", SENTENCES).position == 1
    assert locate("  ET has learned ", SENTENCES).position == 1


def test_locate_accepts_straight_quotes_plain_dashes_and_spaces_and_keeps_the_article_s_characters():
    found = locate('"I loved it," he  said - twice', SENTENCES)
    assert found.position == 3 and found.text == "“I loved it,” he said — twice."
    assert as_written('"I loved it," he  said - twice', found) == "“I loved it,” he said — twice"
    assert as_written("he said", found) == "he said"
    assert as_written("she said", found) is None


def test_a_span_in_several_sentences_is_the_first_and_locate_all_gives_them_all():
    assert locate("is busy", SENTENCES).position == 2
    assert [s.position for s in locate_all("is busy", SENTENCES)] == [2, 4, 5]
    assert locate_all("not there", SENTENCES) == [] and locate_all("", SENTENCES) == []


def test_a_near_miss_names_the_closest_sentence_and_the_differing_words():
    with pytest.raises(EvidenceError) as caught:
        locate("canceled after two seasons", SENTENCES)
    error = caught.value
    assert error.what == ('evidence "canceled after two seasons" is not in the article; closest: sentence 1 '
                          '"…canceled after one season…" (differs at "two seasons" / "one season")')
    assert error.where is None
    assert error.fix == ("copy the words from the article's text exactly (straight or curly quotes, dashes "
                         "and spaces may differ; letters may not)")


@pytest.mark.parametrize("span, what", [
    ("et has learned", 'closest: sentence 1 "…ET has learned…" (differs at "et" / "ET")'),
    ("I loved it he said", 'closest: sentence 3 "…I loved it,” he said…" (differs at "it he" / "it,” he")'),
])
def test_near_misses_in_case_and_punctuation(span, what):
    with pytest.raises(EvidenceError) as caught:
        locate(span, SENTENCES)
    assert caught.value.what == f'evidence "{span}" is not in the article; {what}'


def test_a_span_across_two_sentences_says_so():
    with pytest.raises(EvidenceError) as caught:
        locate("ET has learned. Dewan is", SENTENCES)
    assert caught.value.what == 'evidence "ET has learned. Dewan is" runs across sentences 1 and 2'
    assert caught.value.fix == "cut it to the words of one sentence (a fact may have one sentence as evidence)"


def test_empty_evidence_and_an_empty_article():
    with pytest.raises(EvidenceError, match="^evidence is empty$"):
        locate("  ", SENTENCES)
    with pytest.raises(EvidenceError, match='^evidence "x" is not in the article: the article has no sentences$'):
        locate("x", [])


def test_find_in_matches_whole_words_folded_alike():
    sentence = SENTENCES[2]
    assert find_in(sentence, "twice") and find_in(sentence, '"I loved it,"') and find_in(sentence, "said -")
    assert not find_in(sentence, "wice") and not find_in(sentence, "I loved it, he")
    assert find_in("The series was largely inspired", "largely") and not find_in("largely", "large")
    assert not find_in(sentence, "   ")


def test_sentence_is_a_frozen_record():
    sentence = Sentence(1, "It ended.", 0, 9)
    with pytest.raises(AttributeError):
        sentence.position = 2  # type: ignore[misc]


def test_importing_the_module_loads_no_segmenter():
    code = ("import sys, kgtool.cards.sentences\n"
            "print([m for m in ('pysbd', 'syntok', 'rapidfuzz') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
