"""The verbs that make a node the article implies, and state its parts, each as its own claim.

A role for who plays whom, a cancellation, a renewal and its season, an influence, an
interview, a nomination: the registry PATTERNS, beside the plain verbs of
kgtool.cards.vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kgtool.cards.values import integer, parse_number, parse_qualifier, seasons_count


@dataclass(frozen=True)
class Pattern:
    """A verb that makes a node the article implies, and states its parts."""

    compile: Callable
    line: str                  # the line's form, for docs and errors
    doc: str


PATTERNS: dict[str, Pattern] = {}


def pattern(verb: str, line: str, doc: str):
    def register(function):
        PATTERNS[verb] = Pattern(function, line, doc)
        return function
    return register


BILLING = {"series regular": "SeriesRegular", "recurring": "Recurring", "guest star": "GuestStar",
           "guest": "GuestStar"}


def _qualifier(fact, keyword: str) -> str | None:
    for index, q in enumerate(fact.qualifiers):
        if q.keyword == keyword:
            fact.used.add(index)
            return q.rest
    return None


def _bare(fact, words) -> list[str]:
    """The bare qualifiers among `words` (billing, strength), each marked as read."""
    found = []
    for index, q in enumerate(fact.qualifiers):
        if q.keyword == "" and q.rest.lower() in words:
            fact.used.add(index)
            found.append(q.rest.lower())
    return found


def _when(fact, event) -> None:
    """A date or words such as "earlier this week" among the qualifiers: when the event happened."""
    for index, q in enumerate(fact.qualifiers):
        if q.keyword == "" and index not in fact.used:
            fact.used.add(index)
            fact.date(event, "schema:startTime", q.rest)


def _role(fact, person, work, character=None, billing=None):
    """The PerformanceRole of `person` in `work` (as `character`), stated with its claims."""
    name = f"{person.label} as {character.label} in {work.label}" if character else f"{person.label} in {work.label}"
    slug = [work, person] + (["as", character] if character else [])
    role = fact.derive("role", slug, ["schema:PerformanceRole"], name)
    fact.state(work, "schema:actor", role)
    fact.state(role, "schema:actor", person)
    if character is not None:
        fact.state(role, "schema:characterName", fact.text(fact.name_in_sentence(character)))
        fact.state(role, "kg:playsCharacter", character)
        fact.state(work, "schema:character", character)
    if billing:
        fact.state(role, "kg:billing", fact.term(f"kg:{BILLING[billing]}"))
    return role


def _billing(fact, default=None):
    return next(iter(_bare(fact, BILLING)), default)


@pattern("plays", "PERSON | plays | CHARACTER | in WORK [| series regular|recurring|guest star]",
         "a cast member and the character they play")
def plays(fact):
    work = fact.entity(fact.require("in", "the work: | in WORK"), "CreativeWork")
    character = fact.object_entity("FictionalCharacter")
    _role(fact, fact.subject, work, character, _billing(fact))


def _billed(billing: str):
    def compile(fact):
        _role(fact, fact.subject, fact.object_entity("CreativeWork"), None, billing)
    return compile


for _verb, _billing_kind in (("guest stars in", "guest star"), ("recurring in", "recurring"),
                             ("series regular in", "series regular")):
    PATTERNS[_verb] = Pattern(_billed(_billing_kind), f"PERSON | {_verb} | WORK",
                              f"a {_billing_kind} whose character the article does not name")


def _cast_change(change: str):
    def compile(fact):
        work = fact.object_entity("CreativeWork")
        as_label = _qualifier(fact, "as")
        character = fact.entity(as_label, "FictionalCharacter") if as_label else None
        role = _role(fact, fact.subject, work, character, _billing(fact))
        fact.state(role, "kg:castChange", fact.term(f"kg:{change}"))
    return compile


PATTERNS["joins the cast of"] = Pattern(_cast_change("JoinsCast"), "PERSON | joins the cast of | WORK [| as CHARACTER]",
                                        "someone joins a cast")
PATTERNS["exits"] = Pattern(_cast_change("ExitsCast"), "PERSON | exits | WORK [| as CHARACTER]",
                            "someone leaves a cast")


def _event(fact, kind: str, cls: str, label: str, slug_tail: list[str]):
    work = fact.subject
    event = fact.derive("event", [work] + slug_tail, [cls], label)
    fact.state(event, "schema:object", work)
    if fact.value is not None:
        fact.state(event, "schema:agent", fact.object_entity("Organization"))
    return event


@pattern("canceled by", "WORK | canceled by | NETWORK [| after N seasons]", "a cancellation")
def canceled_by(fact):
    if fact.value is not None and fact.value.raw.lower().startswith("after"):
        fact.qualifiers, fact.value = [parse_qualifier(fact.value.raw), *fact.qualifiers], None
    event = _event(fact, "cancellation", "kg:Cancellation", f"Cancellation of {fact.subject.label}", ["cancellation"])
    fact.state(event, "schema:actionStatus", fact.term("schema:CompletedActionStatus"))
    after = _qualifier(fact, "after")
    if after is not None:
        seasons = seasons_count(after)
        if seasons is None:
            fact.fail(f"'after {after}' is not a number of seasons", "write after 1 season, after two seasons")
        fact.state(event, "kg:afterSeasons", integer(seasons))
    _when(fact, event)


PATTERNS["canceled"] = Pattern(canceled_by, "WORK | canceled | after N seasons", "a cancellation, no one named")


def _season(fact, work, number: int):
    season = fact.derive("season", [work, "season", str(number)], ["schema:TVSeason"],
                         f"{work.label} season {number}")
    fact.state(season, "schema:seasonNumber", integer(number))
    fact.state(season, "schema:partOfSeries", work)
    fact.state(work, "schema:containsSeason", season)
    return season


def _season_number(fact) -> int | None:
    raw = _qualifier(fact, "season") or _qualifier(fact, "for")
    if raw is None:
        return None
    raw = raw.removeprefix("season").strip()
    number = parse_number(raw)
    if number is None:
        fact.fail(f"'season {raw}' is not a season number", "write season 2 (or season two)")
    return number


def _episodes_ordered(fact, work) -> None:
    """An order of N episodes with no season named: the series' episode count."""
    episodes = _qualifier(fact, "episodes")
    if episodes is not None:
        fact.state(work, "schema:numberOfEpisodes", integer(_number(fact, episodes)))


def _season_details(fact, season) -> None:
    episodes = _qualifier(fact, "episodes")
    if episodes is not None:
        fact.state(season, "schema:numberOfEpisodes", integer(_number(fact, episodes)))
    premiere = _qualifier(fact, "premieres")
    if premiere is not None:
        fact.date(season, "schema:startDate", premiere)


def _number(fact, raw: str) -> int:
    number = parse_number(raw)
    if number is None:
        fact.fail(f"{raw!r} is not a number", "write a number such as 10 or ten")
    return number


def _order(kind: str, cls: str, noun: str):
    def compile(fact):
        number = _season_number(fact)
        tail = [kind] + ([f"season-{number}"] if number is not None else [])
        label = f"{noun} of {fact.subject.label}" + (f" for season {number}" if number is not None else "")
        event = _event(fact, kind, cls, label, tail)
        if number is not None:
            season = _season(fact, fact.subject, number)
            fact.state(event, "kg:forSeason", season)
            _season_details(fact, season)
        else:
            _episodes_ordered(fact, fact.subject)
        _when(fact, event)
    return compile


PATTERNS["renewed by"] = Pattern(_order("renewal", "kg:Renewal", "Renewal"),
                                 "WORK | renewed by | NETWORK [| season N] [| N episodes] [| premieres DATE]",
                                 "a renewal, for a season when the article says which")
PATTERNS["ordered to series by"] = Pattern(_order("series-order", "kg:SeriesOrder", "Series order"),
                                           "WORK | ordered to series by | NETWORK [| N episodes]", "a series order")
PATTERNS["picked up by"] = Pattern(_order("pickup", "kg:Pickup", "Pickup"),
                                   "WORK | picked up by | NETWORK [| season N]", "a pickup")


@pattern("moves to", "WORK | moves to | NETWORK [| from NETWORK]", "a series moves to another network")
def moves_to(fact):
    work = fact.subject
    event = fact.derive("event", [work, "move"], ["kg:NetworkMove"], f"Move of {work.label}")
    fact.state(event, "schema:object", work)
    fact.state(event, "kg:toNetwork", fact.object_entity("Organization"))
    origin = _qualifier(fact, "from")
    if origin:
        fact.state(event, "kg:fromNetwork", fact.entity(origin, "Organization"))
    _when(fact, event)


@pattern("season", "WORK | season | N [| N episodes] [| premieres DATE]", "a season as its own node")
def season(fact):
    node = _season(fact, fact.subject, _number(fact, fact.value.raw))
    _season_details(fact, node)


STRENGTH = {"major": "MajorInfluence", "largely": "MajorInfluence", "minor": "MinorInfluence",
            "a dash": "MinorInfluence"}


@pattern("inspired by", "WORK | inspired by | WORK [| major|minor]", "an influence, with how strong the article says")
def inspired_by(fact):
    source = fact.object_entity("CreativeWork")
    work = fact.subject
    fact.state(work, "kg:inspiredBy", source)
    strength = next((STRENGTH[w] for w in _bare(fact, STRENGTH)), None)
    influence = fact.derive("influence", [work, "from", source], ["kg:Inspiration"],
                            f"{work.label} inspired by {source.label}")
    fact.state(work, "kg:qualifiedInspiration", influence, hedge=None)
    fact.state(influence, "kg:influenceSource", source, hedge=None)
    if strength:
        fact.state(influence, "kg:strength", fact.term(f"kg:{strength}"))
    for words in fact.hedge:
        fact.state(influence, "kg:hedgeText", fact.text(words), hedge=None)


@pattern("interviewed by", "PERSON | interviewed by | JOURNALIST [| for OUTLET]", "an interview")
def interviewed_by(fact):
    outlet_label = _qualifier(fact, "for")
    outlet = fact.entity(outlet_label, "NewsMediaOrganization") if outlet_label else None
    label = f"{outlet.label} interview with {fact.subject.label}" if outlet else f"Interview with {fact.subject.label}"
    event = fact.derive("event", [fact.subject, outlet or "", "interview"],
                        ["kg:Interview"], label)
    fact.state(event, "kg:interviewee", fact.subject)
    fact.state(event, "kg:interviewer", fact.object_entity("Person"))
    if outlet is not None:
        fact.state(event, "kg:forOutlet", outlet)


def _award(outcome: str):
    def compile(fact):
        award = fact.object_entity("Award")
        node = fact.derive("nomination", [fact.subject, award], ["kg:AwardNomination"],
                           f"{fact.subject.label}: {award.label}")
        fact.state(node, "kg:nominee", fact.subject)
        fact.state(node, "kg:award", award)
        fact.state(node, "kg:outcome", fact.term(f"kg:{outcome}"))
        work_label = _qualifier(fact, "for")
        if work_label:
            work = fact.entity(work_label, "CreativeWork")
            fact.state(node, "kg:forWork", work)
            as_label = _qualifier(fact, "as")
            if as_label:
                role = _role(fact, fact.subject, work, fact.entity(as_label, "FictionalCharacter"))
                fact.state(node, "kg:forRole", role)
    return compile


PATTERNS["nominated for"] = Pattern(_award("Nominated"), "PERSON | nominated for | AWARD [| for WORK] [| as CHARACTER]",
                                    "an award nomination, tied to the role when the article says so")
PATTERNS["won"] = Pattern(_award("Won"), "PERSON | won | AWARD [| for WORK] [| as CHARACTER]", "an award won")


@pattern("personal news", 'PERSON | personal news | "words" [| DATE or words]', "personal news, dated as the article dates it")
def personal_news(fact):
    if fact.value is None or fact.value.kind != "text":
        fact.fail("personal news needs its words in quotes", 'write Jenna Dewan | personal news | "expecting a child"')
    words = fact.value.literal.value
    node = fact.derive("news", [fact.subject, *words.split()[:6]], ["kg:PersonalNews"],
                       f"{fact.subject.label}: {words}")
    fact.state(node, "kg:concerns", fact.subject)
    fact.state(node, "schema:description", fact.value.literal)
    _when(fact, node)
