"""The quotations of an article and a guess at who said each, for `kgtool new-card`.

A quotation is a closed pair of double quotes (“…” or "…") holding four words or more
(shorter ones are titles or scare quotes: for “a brief period”). Its speaker is the name or
pronoun beside a verb of saying after it (“…,” he said) or before it (he observed that “…”);
a pronoun is the last person named outside a quotation before it; a quotation with no
attribution of its own, or one that goes on ("adding: “…”"), is the previous speaker's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kgtool.cards.skeleton.names import Name, Names
from kgtool.cards.skeleton.words import CONTINUING, PLATFORMS, SAYING

SHORTEST = 4  # words
_PRONOUNS = {"he", "she", "they"}
_WHO = r"(?P<who>[Hh]e|[Ss]he|[Tt]hey|[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})"
_SAY = "|".join(sorted(SAYING | CONTINUING, key=len, reverse=True))
_TAIL = r"(?P<tail>(?:\s+[^\s.,;:!?“”\"]+){0,8})"
_AFTER = re.compile(r"\s*(?:[a-z][\w-]*\s+){0,4}?" + _WHO + r"(?:,\s[^,“”\"]{1,80},)?\s+(?:also\s+|later\s+|then\s+)?"
                    r"(?P<verb>" + _SAY + r")\b" + _TAIL)
_AFTER_INVERTED = re.compile(r"\s*(?P<verb>said|says|added|wrote|writes|explained|continued)\s+" + _WHO)
_BEFORE = re.compile(_WHO + r"\s+(?:also\s+|later\s+)?(?P<verb>" + _SAY + r")\b" + _TAIL + r"?\s*[:,]?\s*$")
_GOES_ON = re.compile(r"(?:^|[,;]\s*|\s)(?P<verb>" + "|".join(CONTINUING) + r")\s*[:,]?\s*$")


@dataclass
class Quotation:
    words: str
    start: int  # the opening mark, in the text
    end: int    # after the closing mark
    speaker: Name | None = None
    called: str | None = None      # the pronoun the sentence uses for the speaker
    attribution: str | None = None
    medium: list[str] = field(default_factory=list)
    platform: str | None = None    # a platform named nearby, but not in the attribution's sentence
    note: str = ""                 # why this speaker


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """(opening mark, after the closing mark) of each double-quoted passage of the text."""
    from kgtool.cards.sentences import quotations

    spans = []
    for line in re.finditer(r"[^\n]+", text):
        for opening, closing in quotations(line.group()):
            if line.group()[opening] in "“\"":
                spans.append((line.start() + opening, line.start() + closing))
    return sorted(spans)


def find_quotations(text: str, sentences, names: Names, spans: list[tuple[int, int]]) -> list[Quotation]:
    found: list[Quotation] = []
    pronouns: dict[str, str] = {}  # a speaker's label -> the pronoun that named them ("he")
    for start, end in spans:
        words = text[start + 1:end - 1].strip().rstrip(",").rstrip()
        if len(words.split()) < SHORTEST:
            continue
        quotation = Quotation(words, start, end)
        previous = found[-1] if found else None
        _attribute(quotation, text, names, spans, previous, _sentence_at(sentences, start), pronouns)
        found.append(quotation)
    return found


def _sentence_at(sentences, offset: int):
    return next((s for s in sentences if s.start <= offset < s.end), None)


def _attribute(quotation: Quotation, text: str, names: Names, spans, previous, sentence, pronouns) -> None:
    line_end = text.find("\n", quotation.end)
    after = text[quotation.end:line_end if line_end >= 0 else len(text)]
    line_start = text.rfind("\n", 0, quotation.start) + 1
    begin = max(line_start, sentence.start if sentence else line_start, _last_close(spans, quotation.start))
    before = text[begin:quotation.start]
    found = _AFTER.match(after) or _AFTER_INVERTED.match(after)
    going_on = None if found else _GOES_ON.search(before)
    if not found and not going_on:
        found = _BEFORE.search(before)
    if found:
        _said_by(quotation, found, names, spans, previous, pronouns)
    elif previous is not None and (going_on or "\n" not in text[previous.end:quotation.start]):
        quotation.speaker, quotation.called, quotation.platform = previous.speaker, previous.called, previous.platform
        quotation.attribution = going_on.group("verb") if going_on else previous.attribution
        quotation.medium = list(previous.medium)
        quotation.note = "goes on from the quotation before" if going_on else "the speaker of the quotation before"
    if not quotation.medium and quotation.platform is None:
        _platform(names, sentence, quotation)


def _last_close(spans, offset: int) -> int:
    return max((end for start, end in spans if end <= offset), default=0)


def _said_by(quotation, found, names, spans, previous, pronouns: dict) -> None:
    who, verb = found.group("who"), found.group("verb")
    tail = (found.groupdict().get("tail") or "").rstrip()
    begin = found.start("who") if found.re is _AFTER else found.start()
    quotation.attribution = found.string[begin:found.end()].strip().rstrip(":,").strip()
    if who.lower() in _PRONOUNS:
        quotation.called = who
        quotation.speaker = last_person(names, spans, quotation.start, who.lower(), pronouns)
        if quotation.speaker is not None and who.lower() != "they":
            pronouns.setdefault(quotation.speaker.label, who.lower())
        quotation.note = f"{who} = the last person named before" if quotation.speaker else f"who is {who}?"
    else:
        quotation.speaker = names.find(who)
        if quotation.speaker is not None:
            quotation.speaker.guess("Person", f"{who} {verb}")
        quotation.note = f"{who} {verb}"
    told = _told_to(verb, tail)
    if told:
        quotation.medium = [f"told to: {told}"]
    elif verb in ("continued", "continues") and previous is not None:
        quotation.medium, quotation.platform = list(previous.medium), previous.platform


def _told_to(verb: str, tail: str) -> str | None:
    """The outlet of "told ET", "raved to ET's Lauren Zima": the first name after the verb."""
    pattern = r"\s+(?:to\s+)?" if verb in ("told", "tells") else r"\s+to\s+"
    found = re.match(pattern + r"([A-Z][\w.!&+-]*(?:\s+[A-Z][\w.!&+-]*)*)", tail)
    return found.group(1).strip() if found else None


def last_person(names: Names, spans, offset: int, pronoun: str = "they", known: dict | None = None) -> Name | None:
    """The person named last before `offset`, outside quotations, whom no other pronoun has named ("he", "she")."""
    person = untyped = None
    for mention, name in names.mentions:
        if mention.start >= offset:
            break
        if any(s <= mention.start < e for s, e in spans) or (known or {}).get(name.label, pronoun) not in (pronoun, "they"):
            continue
        if name.type == "Person":
            person = name
        elif name.type is None and 2 <= len(name.label.split()) <= 3:
            untyped = name  # "Ana Ruiz joined him on stage": a person's name, though nothing says so
    if person is None and untyped is not None:
        untyped.guess("Person", f"{pronoun} (a quotation's speaker)")
        return untyped
    return person


def _platform(names: Names, sentence, quotation: Quotation) -> None:
    """A platform named (took to Twitter) in the quotation's sentence (its medium) or the one before (a hint)."""
    if sentence is None:
        return
    for mention, name in reversed(names.mentions):
        if mention.start < quotation.start and name.label in PLATFORMS and mention.position >= sentence.position - 1:
            if mention.position == sentence.position:
                quotation.medium = [name.label]
            else:
                quotation.platform = name.label
            return
