"""The names an article uses: capitalised spans and titles, grouped into entities with a guessed type.

Part of `kgtool new-card` (kgtool.cards.skeleton). Pure text work: a guess for an editor
to confirm, never a decision. A single word that ends a longer name in the same text
("Dewan" after "Jenna Dewan") is a mention of that name, not a name of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kgtool.cards.skeleton.words import (
    CONNECTORS, NATIONALITIES, NETWORKS, NOT_NAMES, ORGANIZATION_WORDS, PERSON_NOUNS, PLACE_CUES, PLATFORMS,
    SERIES_NOUNS, SMALL_WORDS, STARTERS, TITLE_NOUNS,
)

_TOKEN = re.compile(r"[^\s/—–]+")
_OPENERS = "“\"‘'([{"
_CLOSERS = "”\".,;:!?)]}"
_ACRONYM = re.compile(r"[A-Z](?:\.[A-Z])+")
_QUOTED_TITLE = re.compile(r"(?<![\w’'])['‘“\"]([A-Z][^'‘’“”\"\n]{0,60}?)['’”\"](?![\w])")


@dataclass
class Mention:
    start: int          # offsets into the whole text
    end: int
    words: str          # as written, without a possessive 's
    position: int       # the sentence's position
    initial: bool = False


@dataclass
class Name:
    label: str
    mentions: list[Mention] = field(default_factory=list)
    type: str | None = None
    why: str | None = None  # the words that suggested the type
    nouns: set[str] = field(default_factory=set)  # what the text calls it: "podcast", "series"

    def guess(self, type_: str, why: str) -> None:
        if self.type is None:
            self.type, self.why = type_, why


@dataclass
class Names:
    """Every name of the text, in order of first mention, and where each is mentioned."""

    by_label: dict[str, Name]
    mentions: list[tuple[Mention, Name]]  # in text order

    def in_sentence(self, position: int) -> list[tuple[Mention, Name]]:
        return [(m, n) for m, n in self.mentions if m.position == position]

    def find(self, words: str) -> Name | None:
        """The name these words are, or end with ("Director Ava Moreno" is Ava Moreno)."""
        parts = words.split()
        for start in range(len(parts)):
            tail = " ".join(parts[start:])
            found = self.by_label.get(tail) or next((n for m, n in self.mentions if m.words == tail), None)
            if found is not None:
                return found
        return None


def find_names(text: str, sentences, titled: set[int], headline: int | None = None) -> Names:
    """The names of `sentences`; of the `titled` ones (headlines) only the `headline`'s quoted titles count."""
    lowercase = set(re.findall(r"\b[a-z][\w’'-]*", text))
    spans: list[Mention] = []
    for sentence in sentences:
        if sentence.position == headline:
            spans.extend(_quoted_titles(sentence))
        elif sentence.position not in titled:
            spans.extend(_capitalised(sentence, lowercase))
    spans = _split_joined(spans)
    spans.sort(key=lambda m: m.start)
    names = _grouped(spans)
    for sentence in sentences:
        if sentence.position not in titled:
            _guess_types(text, sentence, names)
    for sentence in sentences:
        if sentence.position == headline:
            _guess_types(text, sentence, names)
    return names


def _split_joined(spans: list[Mention]) -> list[Mention]:
    """"ET of Pennies From Heaven" is two names when either side is named alone elsewhere."""
    alone = {m.words for m in spans}
    found = []
    for mention in spans:
        parts = re.split(r"\s+(?:of|the|of the)\s+", mention.words, maxsplit=1)
        both_long = len(parts) == 2 and min(len(parts[0].split()), len(parts[1].split())) > 1  # "Ellis Kwan of X Y"
        if len(parts) == 2 and (parts[0] in alone or parts[1] in alone or both_long):
            right = mention.end - len(parts[1])
            found.append(Mention(mention.start, mention.start + len(parts[0]), parts[0], mention.position,
                                 mention.initial))
            found.append(Mention(right, mention.end, parts[1], mention.position))
        else:
            found.append(mention)
    return found


def _quoted_titles(sentence) -> list[Mention]:
    found = []
    for match in _QUOTED_TITLE.finditer(sentence.text):
        words = match.group(1).rstrip(",.")
        if len(words.split()) <= 6:
            start = sentence.start + match.start(1)
            found.append(Mention(start, start + len(words), words, sentence.position))
    return found


def _tokens(sentence):
    """(start, end, core, breaks_before, breaks_after, initial) for each token of the sentence."""
    previous_end, after_stop = 0, True
    for match in _TOKEN.finditer(sentence.text):
        raw = match.group()
        gap = sentence.text[previous_end:match.start()]
        core = raw.lstrip(_OPENERS)
        lead = len(raw) - len(core)
        initial = after_stop or any(mark in raw[:lead] for mark in "“\"")
        core = core.rstrip(_CLOSERS)
        if raw[lead:lead + len(core) + 1].endswith(".") and _ACRONYM.fullmatch(core):
            core += "."
        possessive = core.endswith(("’s", "'s")) and core not in STARTERS
        core = core[:-2] if possessive else core.rstrip("’'")
        start = sentence.start + match.start() + lead
        closed = possessive or len(raw) - lead > len(core)
        yield start, start + len(core), core, bool(gap.strip()) or lead > 0, closed, initial
        previous_end = match.end()
        after_stop = raw.rstrip("”\"’')").endswith((":", ".", "!", "?")) and not _ACRONYM.fullmatch(core.rstrip("."))


def _is_capitalised(core: str) -> bool:
    if not core or not core[0].isupper() or core in NOT_NAMES or core in NATIONALITIES:
        return False
    parts = core.split("-")
    return not (len(parts) > 1 and parts[-1][:1].islower())


def _capitalised(sentence, lowercase: set[str]) -> list[Mention]:
    """Runs of capitalised words (with 'of', 'de', ... inside), skipping sentence-initial common words."""
    found: list[Mention] = []
    run: list[tuple] = []

    def close():
        while run and not _is_capitalised(run[-1][2]):
            run.pop()
        if len(run) > 1 and run[0][2].lower() in PERSON_NOUNS:  # "Director Ava Moreno": the cue stays outside
            run.pop(0)
        if run:
            start, end = run[0][0], run[-1][1]
            if run[-1][2] in ("Jr", "Sr") and sentence.text[end - sentence.start:end - sentence.start + 1] == ".":
                end += 1  # "Dominic Reyes Jr." keeps its period
            words = sentence.text[start - sentence.start:end - sentence.start]
            found.append(Mention(start, end, words, sentence.position, run[0][5]))
        run.clear()

    for token in _tokens(sentence):
        start, end, core, breaks_before, breaks_after, initial = token
        if breaks_before:
            close()
        common = initial and (core in STARTERS or core.lower() in lowercase)
        if _is_capitalised(core) and not common:
            run.append(token)
        elif run and core in CONNECTORS and (core != "the" or run[-1][2] in ("of", "de")):  # "Lord of the Rings"
            run.append(token)
        else:
            close()
        if breaks_after:
            close()
    close()
    return found


def _grouped(spans: list[Mention]) -> Names:
    """Spans with the same words, or a last word of a longer name, are one Name."""
    longer: dict[str, str] = {}
    first: dict[str, set[str]] = {}
    for mention in spans:
        words = mention.words.split()
        if len(words) > 1:
            longer.setdefault(words[-1], mention.words)
            first.setdefault(words[0], set()).add(mention.words)
    for word, fuller in first.items():  # "Marisol" for Marisol Okafor, when one name starts so
        if len(fuller) == 1 and word not in longer:
            longer[word] = next(iter(fuller))
    by_label: dict[str, Name] = {}
    mentions = []
    for mention in spans:
        label = mention.words if " " in mention.words else longer.get(mention.words, mention.words)
        name = by_label.setdefault(label, Name(label))
        name.mentions.append(mention)
        mentions.append((mention, name))
    return Names(by_label, mentions)


def _word_before(text: str, start: int) -> str:
    match = re.search(r"([\w’'-]+)[\s‘'“\"]+$", text[max(0, start - 40):start])
    return match.group(1).lower() if match else ""


def _words_after(text: str, end: int, count: int = 4) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w’'-]+", text[end:end + 60])[:count]]


def _guess_types(text: str, sentence, names: Names) -> None:
    for mention, name in names.in_sentence(sentence.position):
        before = _word_before(text, mention.start)
        after = _words_after(text, mention.end)
        for type_, why in _cues(mention, name, before, after, text):
            name.guess(type_, why)
        if before in TITLE_NOUNS:
            name.nouns.add(before)
        appositive = _APPOSITIVE.match(text, mention.end, mention.end + 80)
        if appositive:
            name.nouns.add(appositive.group(1))


def _cues(mention: Mention, name: Name, before: str, after: list[str], text: str):
    """(type, why) for what the words around a mention say, strongest first."""
    if name.label in NETWORKS or name.label in PLATFORMS:
        yield "Organization", "a network" if name.label in NETWORKS else "a platform"
    if len(name.label.split()) > 1 and name.label.split()[-1] in ORGANIZATION_WORDS:
        yield "Organization", f"… {name.label.split()[-1]}"
    if before in TITLE_NOUNS:
        yield TITLE_NOUNS[before], f"{before} {mention.words}"
    if before in PERSON_NOUNS:
        yield "Person", f"{before} {mention.words}"
    noun = next((w for w in after[:3] if w in SERIES_NOUNS), None)
    if noun and all(w in SMALL_WORDS or w not in SERIES_NOUNS for w in after[:after.index(noun)]):
        genre = after[:after.index(noun)]
        if before in ("a", "an", "upcoming", "new", "hit") or _title_follows(text, mention.end):
            yield "Organization", f"{mention.words} {' '.join(genre + [noun])}"
        elif before == "the" and not genre:
            yield SERIES_NOUNS[noun], f"the {mention.words} {noun}"
    appositive = _APPOSITIVE.match(text, mention.end, mention.end + 80)
    if appositive:
        yield SERIES_NOUNS[appositive.group(1)], f"{mention.words}, the {appositive.group(1)}"
    if after[:1] == ["native"] or before in PLACE_CUES:
        yield "Place", f"{mention.words} native" if after[:1] == ["native"] else f"{before} {mention.words}"


_APPOSITIVE = re.compile(r",\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,4}?(" + "|".join(SERIES_NOUNS) + r")\b")


def _title_follows(text: str, end: int) -> bool:
    """True when a capitalised title follows the series noun: 'Fox reality series Flirty Dancing'."""
    return bool(re.match(r"(?:\s+[a-z-]+){1,3}\s+[‘'“\"]?[A-Z]", text[end:end + 60]))
