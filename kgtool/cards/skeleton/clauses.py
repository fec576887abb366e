"""The words around a phrase of a sentence: which names it joins, which work it is about (kgtool new-card).

The helpers of kgtool.cards.skeleton.facts: a fact's subject is the work named before the
phrase, or the work a definite noun phrase means ("the short-lived series" is the article's
main work, "the podcast" the last work the text called a podcast), and its objects are the
names right after it, with those listed beside them ("Steve Martin and Christopher Walken").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kgtool.cards.skeleton.names import Mention, Name
from kgtool.cards.skeleton.words import PERSON_NOUNS, SERIES_NOUNS, TITLE_NOUNS

NEAR = 80  # characters: a subject this close before the verb goes into the evidence
WORKS = {"TVSeries", "Movie", "CreativeWork", "Book", "MusicAlbum"}
_BETWEEN = r"(?!(?:the|a|an|this|that|its|his|her|their|and|or|of|to|for|by|on|in|at|with|is|was|has|have|had|" \
           r"be|been|were|are|will|would|said|says)\b)[\w-]+"
_ANAPHOR = re.compile(r"\b(?P<det>[Tt]he|[Tt]his|[Tt]hat|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Aa]n?)\s+(?:" + _BETWEEN
                      + r"\s+){0,3}?(?P<noun>" + "|".join(sorted(TITLE_NOUNS, key=len, reverse=True)) + r")\b")

@dataclass
class Suggestion:
    line: str                 # subject | verb | object [| qualifier]
    evidence: str
    at: int                   # where the evidence starts in the text (order, and hedge distance)
    hedge: str | None = None
    mentions: dict[str, str] = field(default_factory=dict)
    note: str = ""


def category(name: Name | None) -> str | None:
    if name is None or name.type is None:
        return None
    return "work" if name.type in WORKS else name.type


@dataclass
class Ref:
    """An entity of a fact as the sentence gives it: where (None: not in it), and the words if not by name."""

    name: Name
    start: int | None = None
    words: str | None = None  # as: words, when the sentence names it otherwise ("the series")


class Clause:
    """One sentence, its names, and what the article around it says: the words a fact's parts are in."""

    def __init__(self, text, sentence, mentions, main, network, outlet, typing: bool):
        self.text, self.sentence, self.mentions, self.typing = text, sentence, mentions, typing
        self.main, self.network, self.outlet = main, network, outlet
        self.words = set(re.findall(r"[\w’'.-]+", sentence.text))
        self.inspired: tuple[Ref, str] | None = None  # the subject of "inspired by", for "with a dash of"

    # -- the words around a trigger ---------------------------------------------------------------
    def at(self, offset: int) -> int:
        return self.sentence.start + offset

    def names(self, name: Name) -> bool:
        """Whether the sentence has the name, or a word of it ("Dewan" for Jenna Dewan)."""
        return any(word in self.words for word in name.label.split())

    def objects_after(self, offset: int, most_words: int = 3) -> list[tuple[Mention, Name]]:
        """The names right after `offset` (a few words may come first), and those listed with them ("A, B and C");
        "Marguerite Vance's short story The Last Broadcast" is the story."""
        found, joins, cursor = [], [], self.at(offset)
        for mention, name in self.mentions:
            if mention.start < cursor:
                continue
            gap = self.text[cursor:mention.start]
            if found and re.fullmatch(r"[’']s\s+(?:[\w-]+\s+){0,3}", gap) and not joins:
                found[-1] = (mention, name)  # the possessive's owner is the author, not the work
                cursor = mention.end
                continue
            join = gap.strip()
            if found and join not in (",", "and", ", and", "&"):
                break
            words = [w for w in gap.split() if w.lower() not in PERSON_NOUNS]  # "plays Dr. Celeste Arden"
            if not found and (len(words) > most_words or re.search(r"[,;:!?“”\"]|\.(?<!\b[A-Z][a-z]\.)", gap)):
                break
            if found:
                joins.append(join)
            found.append((mention, name))
            cursor = mention.end
        while joins and joins[-1] == ",":  # "X, Dead Air followed": no list without its "and"
            joins.pop()
            found.pop()
        return found

    def anaphor(self, pattern=_ANAPHOR, before: int | None = None, definite: bool = True):
        found = [m for m in pattern.finditer(self.sentence.text, 0, len(self.sentence.text) if before is None else before)
                 if not definite or m.group("det").lower() not in ("a", "an")]
        return found[-1] if found else None

    def work_before(self, offset: int) -> tuple[Ref | None, str]:
        """The work a phrase at `offset` is about, and a note for the editor when it is a guess."""
        cursor = self.at(offset)
        named = next(((m, n) for m, n in reversed(self.mentions)
                      if m.end <= cursor and category(n) in ("work", None)), None)
        nearest = self.anaphor(before=offset, definite=False)
        if nearest is not None and (named is None or self.at(nearest.start()) > named[0].end):
            words = nearest.group(0)
            if nearest.group("det").lower() in ("a", "an"):
                if named is None:
                    return None, ""
                return Ref(named[1], named[0].start), f'check the subject: the sentence says "{words}"'
            meant = self.called(nearest.group("noun"))
            if named is None and meant is not None:
                return Ref(meant, self.at(nearest.start()), words), f'"{words}" taken to be {meant.label}'
        if named is not None:
            return Ref(named[1], named[0].start), ""
        if self.main is not None:
            return self.work_ref(self.main), ""
        return None, ""

    def called(self, noun: str) -> Name | None:
        """The work "the podcast" means: the last one called a podcast before, else the main work for a series."""
        before = [n for m, n in self.all_mentions if m.start < self.sentence.start and noun in n.nouns]
        if before:
            return before[-1]
        return self.main if TITLE_NOUNS.get(noun) in ("TVSeries", None) or noun in SERIES_NOUNS else None

    def work_after(self, offset: int) -> tuple[Ref, str] | None:
        """The work of an active sentence: "Netflix has renewed the drama Night Shift"."""
        found = self.objects_after(offset, most_words=3)
        if found and category(found[0][1]) in ("work", None):
            return Ref(found[0][1], found[0][0].start), ""
        return None

    def work_ref(self, work: Name) -> Ref:
        if self.names(work):
            return Ref(work, next((m.start for m, n in self.mentions if n is work), None))
        nearest = self.anaphor()
        if nearest is not None and self.called(nearest.group("noun")) is work:
            return Ref(work, self.at(nearest.start()), nearest.group(0))
        return Ref(work)

    def suggestion(self, refs: list[Ref], line: list[str], trigger: int, end: int, note: str = "",
                   near: bool = True) -> Suggestion:
        start = self.at(trigger)
        for ref in refs:
            if near and ref.start is not None and 0 <= start - ref.start <= NEAR:
                start = ref.start
        evidence = self.text[start:end].rstrip(" ,;:")
        mentions = {ref.name.label: ref.words for ref in refs if ref.words and ref.words in self.sentence.text}
        missing = [ref.name.label for ref in refs if ref.start is None and not self.names(ref.name)]
        notes = [note] + [f"the sentence does not name {label}: add as: {{{label}: the words it uses}}"
                          for label in missing]
        return Suggestion(" | ".join(line), evidence, start, mentions=mentions, note="; ".join(n for n in notes if n))
