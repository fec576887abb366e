"""Fact lines suggested from the commonest phrasings of entertainment news, for `kgtool new-card`.

"created by", "directed by", "starring", "based on", "inspired by" (and "with a dash of"),
"X plays Y" / "X played Y", "canceled (after N seasons)", "renewed for (a) season N". Each
suggestion carries its evidence, copied from the sentence, for the editor to confirm or delete.
"""

from __future__ import annotations

import re

from kgtool.cards.skeleton.clauses import Clause, Ref, Suggestion, category
from kgtool.cards.skeleton.names import Name, Names
from kgtool.cards.skeleton.words import HEDGES, NUMBERS, ORDINALS

_COUNT = r"(?P<n>\d+|" + "|".join(NUMBERS) + r")"
_ORDINAL = r"(?P<o>\d+(?:st|nd|rd|th)|" + "|".join(ORDINALS) + r")"

TRIGGERS = {
    "created by": re.compile(r"\b(?:co-)?created by\b", re.I),
    "directed by": re.compile(r"\bdirected by\b", re.I),
    "based on": re.compile(r"\bbased on\b", re.I),
    "inspired by": re.compile(r"\binspired by\b", re.I),
    "minor inspiration": re.compile(r"\bwith (?:a|just a) (?:dash|hint|touch|bit|splash) of\b", re.I),
    "starring": re.compile(r"\bstarring\b(?!\s+as\b)", re.I),
    "plays": re.compile(r"\b(?:plays|played|will play|is playing|portrays|portrayed|(?:co-)?stars as|(?:co-)?starred as|"
                        r"will (?:co-)?star as)\b"),
    "played by": re.compile(r"\(\s*(?=[A-Z])"),
    "recurs as": re.compile(r"\b(?:will recur|recurs|is recurring|will be recurring) as\b"),
    "guest stars in": re.compile(r"\b(?:will guest[- ]star|guest[- ]stars|guest[- ]starred|is guest[- ]starring)\b(?!\s+as\b)"),
    "joins the cast of": re.compile(r"\b(?:has joined|have joined|joined|joins|is joining|will join|to join) the cast\b"),
    "exits": re.compile(r"\b(?:is exiting|will exit|exits|has exited|is leaving|will leave|has left)\s+(?=the\s+"
                        r"(?:series|show|drama|comedy|cast)\b|[A-Z‘'“])"),
    "canceled by": re.compile(r"\bcancel+ed\b", re.I),
    "renewed by": re.compile(r"\brenewed\b", re.I),
}
_AFTER_SEASONS = re.compile(r"\bafter (?:just |only )?" + _COUNT + r" seasons?\b", re.I)
_FOR_SEASON = re.compile(r"\bfor (?:a |its )?(?:" + _ORDINAL + r"(?: and final)? season|season " + _COUNT + r")\b",
                         re.I)
_MAJOR, _MINOR = ("largely", "mainly", "mostly", "heavily", "primarily"), ("loosely", "partly", "partially", "slightly")


def suggest_facts(text: str, sentences, names: Names, main: Name | None, network: Name | None,
                  outlet: Name | None, titled: set[int]) -> list[Suggestion]:
    found: list[Suggestion] = []
    for typing in (True, False):  # first what the phrases say of their objects, then the suggestions
        for sentence in sentences:
            if sentence.position in titled:
                continue
            context = _Sentence(text, sentence, names.in_sentence(sentence.position), main, network, outlet, typing)
            context.all_mentions = names.mentions
            suggestions = []
            for verb, trigger in TRIGGERS.items():
                for match in trigger.finditer(sentence.text):
                    suggestions.extend(getattr(context, "_" + verb.replace(" ", "_"))(match))
            if not typing:
                _hedged(sentence, suggestions)
                found.extend(sorted(suggestions, key=lambda s: s.at))
    return found


class _Sentence(Clause):
    """A sentence read for the phrases of TRIGGERS: one method each."""

    # -- one method per trigger ----------------------------------------------------------------------
    def _credit(self, match, verb: str, most_words: int, object_type: str, qualifiers=()):
        subject, note = self.work_before(match.start())
        if subject is None:
            return []
        found = []
        for mention, name in self.objects_after(match.end(), most_words):
            name.guess(object_type, f"{verb} {mention.words}")
            if not self.typing:
                subject.name.guess("CreativeWork", f"{name.label} {verb}")
            line = [subject.name.label, verb, name.label, *qualifiers]
            found.append(self.suggestion([subject], line, match.start(), mention.end, note))
        return found

    def _created_by(self, match):
        return self._credit(match, "created by", 0, "Person")

    def _directed_by(self, match):
        return self._credit(match, "directed by", 0, "Person")

    def _starring(self, match):
        return self._credit(match, "starring", 0, "Person")

    def _based_on(self, match):
        return self._credit(match, "based on", 3, "CreativeWork")

    def _inspired_by(self, match):
        before = self.sentence.text[max(0, match.start() - 12):match.start()].split()
        adverb = before[-1] if before else ""
        strength = "major" if adverb in _MAJOR else "minor" if adverb in _MINOR else None
        found = self._credit(match, "inspired by", 3, "CreativeWork", [strength] if strength else [])
        self.inspired = self.work_before(match.start())
        for suggestion in found:
            if strength:
                suggestion.hedge = f"{adverb} inspired by"
        return found

    def _minor_inspiration(self, match):
        subject, note = self.inspired or self.work_before(match.start())
        if subject is None:
            return []
        found = []
        for mention, name in self.objects_after(match.end(), most_words=0):
            name.guess("CreativeWork", f"{match.group(0)} {mention.words}")
            line = [subject.name.label, "inspired by", name.label, "minor"]
            suggestion = self.suggestion([subject], line, match.start(), mention.end, note, near=False)
            suggestion.hedge = suggestion.evidence
            found.append(suggestion)
        return found

    def actor_before(self, offset: int):
        """The person of "Dewan played", "Dewan, who has played", "Dewan, who starred in X, will play"."""
        cursor = self.at(offset)
        return next(((m, n) for m, n in reversed(self.mentions) if m.end <= cursor
                     and category(n) in ("Person", None) and _ACTOR_GAP.fullmatch(self.text[m.end:cursor])), None)

    def _recurs_as(self, match):
        return self._plays(match, "recurring")

    def _guest_stars_in(self, match):
        return self._cast(match, "guest stars in", None)

    def _joins_the_cast_of(self, match):
        return self._cast(match, "joins the cast of", r"\s+as\s+")

    def _exits(self, match):
        return self._cast(match, "exits", None)

    def _cast(self, match, verb: str, role_cue: str | None):
        """P | joins the cast of | W [| as C], P | exits | W, P | guest stars in | W."""
        actor = self.actor_before(match.start())
        if actor is None:
            return []
        of = re.match(r"\s*of\b", self.sentence.text[match.end():])  # "joined the cast of W"
        after = self.objects_after(match.end() + (of.end() if of else 0), most_words=0)
        named = after[0] if after and category(after[0][1]) in ("work", None) else None
        work = Ref(named[1], named[0].start) if named else self.work_ref(self.main) if self.main else None
        if work is None:
            return []
        actor[1].guess("Person", f"{actor[0].words} {match.group(0)}")
        line, end = [actor[1].label, verb, work.name.label], named[0].end if named else self.at(match.end())
        if not named and work.words and 0 <= (work.start or 0) - end <= 2:  # "is exiting the series"
            end = work.start + len(work.words)
        if role_cue:
            role = next(((m, n) for m, n in self.mentions if m.start >= end and re.fullmatch(
                role_cue, self.text[end:m.start]) and category(n) in ("FictionalCharacter", None)), None)
            if role is not None:
                role[1].guess("FictionalCharacter", f"as {role[0].words}")
                line.append(f"as {role[1].label}")
                end = role[0].end
        return [self.suggestion([Ref(actor[1], actor[0].start), work], line, match.start(), end)]

    def _plays(self, match, billing_kind: str | None = None):
        actor = self.actor_before(match.start())
        cursor = self.at(match.start())
        roles = self.objects_after(match.end(), most_words=0)
        if actor is None or not roles:
            return []
        named = next(((m, n) for m, n in self.mentions if category(n) == "work" and n is not actor[1]
                      and not actor[0].end <= m.start < cursor), None)
        work = Ref(named[1], named[0].start) if named else self.work_ref(self.main) if self.main else None
        actor[1].guess("Person", f"{actor[0].words} {match.group(0)}")
        found = []
        for mention, name in roles:
            name.guess("FictionalCharacter", f"{match.group(0)} {mention.words}")
            line = [actor[1].label, "plays", name.label] + ([f"in {work.name.label}"] if work else [])
            billing = _BILLING.match(self.text, mention.end, mention.end + 40)
            if billing or billing_kind:
                line.append(billing_kind or _BILLINGS[(billing.group(1) or billing.group(2)).lower().replace("-", " ")])
            refs = [Ref(actor[1], actor[0].start)] + ([work] if work else [])
            found.append(self.suggestion(refs, line, match.start(), mention.end, "" if work else "in which work?"))
        return found

    def _played_by(self, match):
        """"host Mina Sorel (Helena Cho)": the actor in parentheses plays the character before them."""
        at = self.at(match.start())
        character = next(((m, n) for m, n in self.mentions if m.end == at - 1 and self.text[m.end] == " "), None)
        actor = next(((m, n) for m, n in self.mentions if m.start == self.at(match.end())), None)
        if character is None or actor is None or not re.match(r"[\s.A-Za-z]*\)", self.text[actor[0].end:actor[0].end + 6]):
            return []
        if category(character[1]) not in (None, "FictionalCharacter", "Person") or category(actor[1]) not in (None, "Person"):
            return []
        character[1].guess("FictionalCharacter", f"{character[0].words} ({actor[0].words})")
        actor[1].guess("Person", f"{character[0].words} ({actor[0].words})")
        work = self.work_ref(self.main) if self.main is not None else None
        line = [actor[1].label, "plays", character[1].label] + ([f"in {work.name.label}"] if work else [])
        end = self.text.index(")", actor[0].end) + 1
        refs = [Ref(character[1], character[0].start)] + ([work] if work else [])
        return [self.suggestion(refs, line, character[0].start - self.sentence.start, end, near=False)]

    def _event(self, match, verb: str, qualifier: str | None, end: int, bare: str | None):
        subject, note = self.work_after(match.end()) or self.work_before(match.start())
        if subject is None:
            return []
        if not self.typing:
            subject.name.guess("TVSeries", f"{match.group(0)} {verb}")
        agent = self._network()
        qualifiers = [qualifier] if qualifier else []
        if agent is None and bare:
            note = "; ".join(n for n in (note, f"the sentence names no network{self._which()}") if n)
            return [self.suggestion([subject], [subject.name.label, bare, *qualifiers], match.start(), end, note)]
        if agent is None:
            return []
        line = [subject.name.label, verb, agent.name.label, *qualifiers]
        return [self.suggestion([subject, agent], line, match.start(), end, note)]

    def _which(self) -> str:
        return f" (the article's is {self.network.label}?)" if self.network is not None else ""

    def _network(self) -> Ref | None:
        here = next(((m, n) for m, n in self.mentions if n.type == "Organization" and n is not self.outlet), None)
        if here is not None:
            return Ref(here[1], here[0].start)
        called = self.anaphor(_NETWORK_WORDS)
        if called is not None and self.network is not None:
            return Ref(self.network, self.at(called.start()), called.group(0))
        return None

    def _canceled_by(self, match):
        seasons = _AFTER_SEASONS.search(self.sentence.text)
        qualifier, end = None, self.at(match.end())
        if seasons:
            count = _number(seasons.group("n"))
            qualifier = f"after {count} season{'s' if count != 1 else ''}"
            end = max(end, self.at(seasons.end()))
        return self._event(match, "canceled by", qualifier, end, "canceled")

    def _renewed_by(self, match):
        season = _FOR_SEASON.search(self.sentence.text, match.end())
        qualifier, end = None, self.at(match.end())
        if season and season.start() - match.end() < 40:
            number = _number(season.group("o") or season.group("n"))
            qualifier, end = f"season {number}", self.at(season.end())
        return self._event(match, "renewed by", qualifier, end, None)


# "Dewan played", "Dewan, who plays", "Dewan, who starred in Netflix's Soundtrack, will play"
# "Dewan played", "Dewan, who plays", "Dewan, who starred in Netflix's Soundtrack, will play"
_ACTOR_GAP = re.compile(r"\s*(?:,?\s*who\s+(?:also\s+)?(?:has\s+|had\s+|will\s+|previously\s+|once\s+)?)?"
                        r"(?:has\s+|have\s+|will\s+|is\s+)?|,\s*[^,;.()]*,\s*(?:has\s+|will\s+|is\s+)?")
_BILLING = re.compile(r"[^,;.]*?\b(?:as an? (series regular|recurring|guest star|guest-star)\b|in an? (recurring) role\b)",
                      re.I)
_BILLINGS = {"series regular": "series regular", "recurring": "recurring", "guest star": "guest star"}
_NETWORK_WORDS = re.compile(r"\b(?P<det>[Tt]he)\s+(?:streaming\s+service|streamer|network|broadcaster|channel|"
                            r"platform|service|cable\s+network|studio)\b")


def _number(word: str) -> int:
    word = word.lower()
    digits = re.match(r"\d+", word)
    return int(digits.group()) if digits else NUMBERS.get(word) or ORDINALS.get(word, 0)


HEDGE_REACH = 30  # characters between a hedge and the evidence it qualifies


def _hedged(sentence, suggestions: list[Suggestion]) -> None:
    """A hedge phrase of the sentence goes to the suggestion whose evidence holds it or ends just before it."""
    for found in _HEDGE.finditer(sentence.text):
        at, end = sentence.start + found.start(), sentence.start + found.end()
        if any(s.hedge and found.group(0) in s.hedge for s in suggestions):
            continue
        free = [s for s in suggestions if s.hedge is None and s.at - HEDGE_REACH <= at <= s.at + len(s.evidence) + HEDGE_REACH]
        if free:
            nearest = min(free, key=lambda s: min(abs(s.at - end), abs(s.at + len(s.evidence) - at)))
            nearest.hedge = found.group(0)


_HEDGE = re.compile(r"(?:\b(?-i:[A-Z])[\w.!]*\s+){0,3}\b(?:has|have) (?:learned|confirmed)\b|\b(?:"
                    + "|".join(re.escape(h) for h in HEDGES) + r")\b", re.I)
