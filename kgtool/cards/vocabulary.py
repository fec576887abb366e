"""The verbs of a card's fact lines and the triples each compiles to (the registry docs/cards.md lists).

A fact line is `subject | verb | object [| qualifier ...]`. Plain verbs state one property;
the others make a node the article implies (a role, a cancellation, a renewal and its
season, an influence, an interview, a nomination) and state its parts, each as its own
claim. A CURIE verb (schema:xxx, kg:xxx) states that property as written.
"""

from __future__ import annotations

from dataclasses import dataclass

from kgtool.cards.patterns import PATTERNS, Pattern  # noqa: F401 (the registry of the other verbs)
from kgtool.errors import CardError


@dataclass(frozen=True)
class Plain:
    """A verb that states one property: S property O."""

    prop: str                  # CURIE
    value: str                 # what the object is: "entity", "text", "number", "date"
    new_type: str | None = None  # the type of an object the graph does not know yet
    reverse: bool = False      # O property S (character in)
    doc: str = ""


PLAIN: dict[str, Plain] = {
    "created by": Plain("schema:creator", "entity", "Person", doc="who created a work"),
    "directed by": Plain("schema:director", "entity", "Person", doc="the director"),
    "written by": Plain("schema:author", "entity", "Person", doc="the writer (screenwriter, author of a book)"),
    "produced by": Plain("schema:producer", "entity", "Person", doc="a producer"),
    "executive producer": Plain("kg:executiveProducer", "entity", "Person", doc="an executive producer"),
    "showrunner": Plain("kg:showrunner", "entity", "Person", doc="the showrunner"),
    "studio": Plain("schema:productionCompany", "entity", "Organization", doc="the studio that produces it"),
    "on": Plain("kg:originalBroadcaster", "entity", "Organization", doc="the network or streamer it airs on"),
    "starring": Plain("schema:actor", "entity", "Person", doc="an actor, when the article names no character"),
    "based on": Plain("schema:isBasedOn", "entity", "CreativeWork", doc="the work it is adapted from"),
    "reboot of": Plain("kg:rebootOf", "entity", "TVSeries", doc="the series it reboots"),
    "remake of": Plain("kg:remakeOf", "entity", "CreativeWork", doc="the work it remakes"),
    "revival of": Plain("kg:revivalOf", "entity", "TVSeries", doc="the series it revives"),
    "spin-off of": Plain("kg:spinOffOf", "entity", "TVSeries", doc="the series it spins off from"),
    "part of franchise": Plain("kg:franchise", "entity", "Franchise", doc="the franchise it belongs to"),
    "genre": Plain("schema:genre", "text", doc="its genre, in the article's words"),
    "described as": Plain("schema:description", "text", doc="a description, in the article's words"),
    "also known as": Plain("schema:alternateName", "text", doc="another name the article uses"),
    "episodes": Plain("schema:numberOfEpisodes", "number", doc="how many episodes"),
    "seasons": Plain("schema:numberOfSeasons", "number", doc="how many seasons"),
    "created in": Plain("schema:dateCreated", "date", doc="when it was made"),
    "premieres": Plain("schema:startDate", "date", doc="when it premieres"),
    "country": Plain("schema:countryOfOrigin", "entity", "Country", doc="its country of origin"),
    "set in": Plain("kg:setIn", "entity", "FictionalPlace", doc="where the story takes place"),
    "character in": Plain("schema:character", "entity", "CreativeWork", reverse=True, doc="a character of a work"),
    "occupation": Plain("schema:hasOccupation", "entity", "Occupation", doc="an occupation"),
    "former occupation": Plain("kg:formerOccupation", "entity", "Occupation", doc="a former occupation"),
    "born in": Plain("schema:birthPlace", "entity", "Place", doc="where someone is from"),
    "lives in": Plain("schema:homeLocation", "entity", "Place", doc="where someone lives or lived"),
    "located in": Plain("schema:containedInPlace", "entity", "Place", doc="a place inside another (a town in a state)"),
    "filmed in": Plain("schema:locationCreated", "entity", "Place", doc="where a work is filmed"),
    "works for": Plain("schema:worksFor", "entity", "Organization", doc="an employer"),
    "working on": Plain("kg:workingOn", "entity", "CreativeWork", doc="a work in progress"),
    "partner of": Plain("kg:partnerOf", "entity", "FictionalCharacter", doc="a character's partner"),
    "ex of": Plain("kg:exPartnerOf", "entity", "FictionalCharacter", doc="a character's former partner"),
    "sibling of": Plain("kg:siblingOf", "entity", "FictionalCharacter", doc="a character's sibling"),
    "parent of": Plain("kg:parentOf", "entity", "FictionalCharacter", doc="a character's parent"),
    "agency": Plain("kg:agency", "entity", "Organization", doc="the talent agency that represents someone"),
    "manager": Plain("kg:manager", "entity", "Organization", doc="someone's management company or manager"),
    "attorney": Plain("kg:attorney", "entity", "Organization", doc="someone's law firm or attorney"),
    "publicist": Plain("kg:publicist", "entity", "Organization", doc="someone's publicist"),
}


def verbs() -> list[str]:
    return sorted(PLAIN) + sorted(PATTERNS)


def unknown_verb(verb: str) -> CardError:
    from difflib import get_close_matches

    close = get_close_matches(verb, verbs(), n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "see docs/cards.md for the verbs"
    return CardError(f"unknown fact kind {verb!r}", fix=f"{hint} (or a property such as schema:genre)")
