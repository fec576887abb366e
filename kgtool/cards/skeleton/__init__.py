"""`kgtool new-card`: a card skeleton guessed from an article's text, for an editor to finish.

`card_skeleton(text, index, article_id=...)` returns the card as YAML text: the article:
block (the headline, boilerplate lines to skip, related headlines), the sentences as
comments, the names found (each matched against the graph's entities when an Index is
given), the quotations with a guessed speaker and the facts of the commonest phrasings,
each with its evidence. Everything is a suggestion marked for confirmation; the card as
written parses (the guessed facts may still need fixing before `kgtool add` takes them).
"""

from __future__ import annotations

import re
from collections import Counter

from kgtool.cards.skeleton.clauses import WORKS
from kgtool.cards.skeleton.facts import suggest_facts
from kgtool.cards.skeleton.names import Name, Names, find_names
from kgtool.cards.skeleton.quotes import find_quotations, quotation_spans
from kgtool.cards.skeleton.words import PLATFORMS
from kgtool.cards.skeleton.writer import write_card

BOILERPLATE = [re.compile(p, re.I) for p in (
    r"related(?: gallery| content| stories| articles| video| coverage)?:?",
    r"(?:watch|see)(?: the| our)?(?: full)?(?: clip| video| interview| trailer| more)?(?: below| here| above)?"
    r"(?: for more)?[.:!]?",
    r"advertisement", r"(?:continue reading|read more|see also)(?: below)?[.:]?.*",
    r"getting your trinity audio player ready\.*", r"(?:sign up|subscribe)\b.*\bnewsletters?\b.*",
    r"click here\b.*", r"more from [\w !.&'’-]+:?",
)]
_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?”\"]\s))")
_OUTLET = re.compile(r"\b(?P<o>[A-Z][\w.!&]*(?:\s+[A-Z][\w.!&]*){0,3})\s+(?:has|have)\s+(?:learned|confirmed)\b")
_SMALL = {"a", "an", "the", "and", "or", "of", "on", "in", "to", "for", "at", "by", "with", "from", "as", "is", "vs"}


def card_skeleton(text: str, index=None, *, article_id: str, text_name: str | None = None) -> str:
    """The card skeleton of the article `text` (an Index of the graph's entities reconciles the names)."""
    from kgtool.cards.sentences import split

    headline = next((line.strip() for line in text.splitlines() if line.strip()), "")
    byline, authors = _byline(text)
    skip = ([byline] if byline else []) + boilerplate(text)
    related = related_headlines(text, headline, skip)
    sentences = split(text, skip)
    titled = {s.position for s in sentences if s.text in (headline, *related)}
    first = next((s.position for s in sentences if s.text == headline), None)
    names = find_names(text, sentences, titled, first)
    _credit_types(sentences, names)
    matches = _reconciled(names, index)
    outlet, outlet_words = _outlet(text, names)
    main, network = _main_work(names, headline), _network(names, outlet)
    facts = suggest_facts(text, sentences, names, main, network, outlet, titled)
    if main is not None:
        main.guess("CreativeWork", "the headline's title")
    spans = quotation_spans(text)
    quotes = find_quotations(text, sentences, names, spans)
    credit = sentences[1].text if len(sentences) > 1 and _is_credit(sentences[1].text) else None
    article = {"id": article_id, "text": text_name, "headline": headline, "outlet": (outlet, outlet_words),
               "authors": authors, "fictional": _says_fictional(text, byline), "main": main, "credit": credit,
               "skip": skip, "related": related}
    return write_card(article, sentences, names, matches, index, facts, quotes)


def boilerplate(text: str) -> list[str]:
    """Lines, or last sentences of lines, that are page furniture: "Related Gallery", "Watch the clip below for more:"."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        for start in [m.start() for m in _SENTENCE_START.finditer(line)]:
            piece = line[start:].strip()
            if piece and any(p.fullmatch(piece) for p in BOILERPLATE) and piece not in found:
                found.append(piece)
                break
    return found


_BYLINE = re.compile(r"By\s+(?P<names>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
                     r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})*)(?:\s*[|,–—-].*)?")


def _byline(text: str) -> tuple[str | None, list[str]]:
    """The byline among the first lines ("By Nadia Ferris | ..."), to skip, and the authors it names."""
    for line in [line.strip() for line in text.splitlines() if line.strip()][1:5]:
        found = _BYLINE.fullmatch(line)
        if found:
            return line, [n.strip() for n in re.split(r",|\band\b|&", found.group("names")) if n.strip()]
    return None, []


def _says_fictional(text: str, byline: str | None) -> bool:
    head = " ".join(text.splitlines()[:6])
    return bool(re.search(r"\bfictional (?:article|story|news)\b|\bthis article is fiction", head, re.I)) or bool(
        byline and re.search(r"\bfictional\b", byline, re.I))


def _looks_like_headline(line: str) -> bool:
    words = re.findall(r"[\w’'-]+", line)
    if len(words) < 4 or re.search(r"[.!?:]$", line):
        return False
    big = [w for w in words if w.lower() not in _SMALL]
    return sum(w[0].isupper() or w[0].isdigit() for w in big) >= 0.8 * len(big)


def related_headlines(text: str, headline: str, skip: list[str]) -> list[str]:
    """Headline-like lines after the article's last line of prose: the page's links to other articles."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body = [line for line in lines if line != headline and line not in skip]
    last_prose = max((i for i, line in enumerate(body) if not _looks_like_headline(_without(line, skip))
                      and re.search(r"[.!?”\"]$", _without(line, skip))), default=-1)
    return [line for line in body[last_prose + 1:] if _looks_like_headline(line)]


def _without(line: str, skip: list[str]) -> str:
    for piece in skip:
        if line.endswith(piece):
            line = line[:-len(piece)].rstrip()
    return line


def _reconciled(names: Names, index) -> dict[str, object]:
    """Label -> the index's Match; a matched entity's type becomes the name's type."""
    if index is None:
        return {}
    found = {}
    for name in names.by_label.values():
        match = index.match(name.label)
        found[name.label] = match
        if match.status == "matched":
            kind = _card_type(match.entity, index)
            if kind:
                name.type, name.why = kind, None
    return found


_TYPES = [("Person", "https://schema.org/Person"), ("FictionalCharacter", "https://kgtool.example/ns#FictionalCharacter"),
          ("TVSeries", "https://schema.org/TVSeries"), ("Movie", "https://schema.org/Movie"),
          ("CreativeWork", "https://schema.org/CreativeWork"), ("Organization", "https://schema.org/Organization"),
          ("Place", "https://schema.org/Place")]


def _card_type(entity, index) -> str | None:
    """The coarse type the skeleton reasons with (Person, TVSeries, Organization, ...) of a graph entity."""
    reach = set().union(*(index.ancestors(t) for t in entity.types)) if entity.types else set()
    for name, iri in _TYPES:
        if iri in reach or any(t.endswith(("/" + name, "#" + name)) for t in entity.types):
            return name
    if any(t.endswith("Organization") for t in entity.types):
        return "Organization"
    return None


def _outlet(text: str, names: Names) -> Name | None:
    """The outlet of "ET has learned", "Variety has confirmed"."""
    for found in _OUTLET.finditer(text):
        name = names.find(found.group("o"))
        if name is not None:
            name.guess("Organization", found.group(0))
            return name, found.group(0)
    return None, None


def _main_work(names: Names, headline: str) -> Name | None:
    """The headline's quoted title, else the work mentioned most."""
    for mention, name in names.mentions:
        if mention.position == 1 and _quoted_in(headline, mention.words) and name.type in WORKS | {None}:
            return name
    works = Counter(n.label for m, n in names.mentions if n.type in WORKS)
    return names.by_label[works.most_common(1)[0][0]] if works else None


def _quoted_in(headline: str, words: str) -> bool:
    return any(f"{a}{words}{b}" in headline for a, b in (("'", "'"), ("‘", "’"), ("“", "”"), ('"', '"')))


def _network(names: Names, outlet: Name | None) -> Name | None:
    counts = Counter(n.label for m, n in names.mentions
                     if n.type == "Organization" and n is not outlet and n.label not in PLATFORMS)
    return names.by_label[counts.most_common(1)[0][0]] if counts else None


def _credit_types(sentences, names: Names) -> None:
    """The photo credit under the headline ("Parrish Lewis/Netflix") names a photographer and a source."""
    if len(sentences) > 1 and _is_credit(sentences[1].text):
        for mention, name in names.in_sentence(sentences[1].position):
            before_slash = "/" in sentences[1].text[mention.end - sentences[1].start:]
            name.guess("Person" if before_slash else "Organization", "the photo credit")


def _is_credit(line: str) -> bool:
    return len(line.split()) <= 6 and not re.search(r"[.!?]$", line) and bool(
        re.search(r"/|\b(?:Getty Images|AP Photo|Photo|Courtesy|Shutterstock|Invision)\b", line))
