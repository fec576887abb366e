"""How the relation graph speaks: entity kinds (with colours) and relations in plain words.

Both are registries: `kgtool viz --help` lists the kinds from here, and a new
article that uses a new class or property only needs a line here to be drawn
well (an unknown property is still drawn, labelled from its rdfs:label).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kgtool.namespaces import PREFIXES

# What becomes of an entity of a kind in the relation graph.
NODE = "node"  # drawn as a node
COLLAPSE = "collapse"  # folded into the edge it qualifies (schema.org Role, kg:Inspiration)
PROVENANCE = "provenance"  # articles: drawn only with --provenance
EVIDENCE = "evidence"  # claims and sentences: never nodes, they are each edge's evidence


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    fill: str  # tints of the Okabe-Ito colour-blind-safe palette, dark text stays readable
    line: str
    shape: str  # Graphviz node shape
    classes: tuple[str, ...]  # prefixed class names; subclasses count too
    treatment: str = NODE


# In precedence order: an entity takes the first kind one of its classes matches
# (a schema:Quotation is also a schema:CreativeWork, and is drawn as a quote).
KINDS: tuple[Kind, ...] = (
    Kind("evidence", "evidence", "#ffffff", "#999999", "note", ("kg:Claim", "kg:Sentence"), EVIDENCE),
    Kind("article", "news article", "#eeeeee", "#555555", "note", ("schema:NewsArticle", "kg:ArticleGraph"), PROVENANCE),
    Kind("role", "role", "#ffffff", "#999999", "box", ("schema:Role",), COLLAPSE),
    Kind("inspiration", "inspiration", "#ffffff", "#999999", "box", ("kg:Inspiration",), COLLAPSE),
    Kind("quote", "quote", "#d9d2f0", "#6a51a3", "note", ("schema:Quotation",)),
    Kind("media", "post or photo", "#e0e0e0", "#666666", "tab", ("schema:SocialMediaPosting", "schema:ImageObject")),
    Kind("character", "character", "#e5bcd3", "#cc79a7", "octagon", ("kg:FictionalCharacter",)),
    Kind("event", "event", "#eaae80", "#d55e00", "hexagon", ("schema:Event", "schema:Action", "kg:PersonalNews")),
    Kind("work", "work", "#aad9f4", "#0072b2", "box", ("schema:CreativeWork",)),
    Kind("person", "person", "#f2cf80", "#b87f00", "ellipse", ("schema:Person",)),
    Kind("organization", "organization", "#80ceb9", "#007a59", "component", ("schema:Organization",)),
    Kind("place", "place", "#f7f1a0", "#a89a00", "house", ("schema:Place",)),
    Kind("occupation", "occupation", "#f5f5f5", "#999999", "cds", ("schema:Occupation",)),
    Kind("other", "other", "#f4f4f4", "#999999", "box", ()),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
DRAWN_KINDS = tuple(k.key for k in KINDS if k.treatment in (NODE, PROVENANCE))


@dataclass(frozen=True)
class Phrase:
    words: str
    reverse: bool = False  # drawn from the object to the subject ("person created work")


# (property, subject class or None) -> how the edge reads. The subject class is
# matched with subclasses, most specific rule first, then the property's default.
PHRASES: dict[tuple[str, str | None], Phrase] = {
    ("schema:creator", "schema:Quotation"): Phrase("said", True),
    ("schema:creator", "schema:ImageObject"): Phrase("took", True),
    ("schema:creator", None): Phrase("created", True),
    ("schema:author", None): Phrase("wrote", True),
    ("schema:actor", None): Phrase("acted in", True),
    ("schema:character", None): Phrase("is a character in", True),
    ("kg:inspiredBy", None): Phrase("inspired", True),
    ("schema:isBasedOn", None): Phrase("adapted into", True),
    ("kg:originalBroadcaster", None): Phrase("aired on"),
    ("schema:object", "kg:Cancellation"): Phrase("ended"),
    ("schema:agent", "kg:Cancellation"): Phrase("decided", True),
    ("schema:agent", None): Phrase("carried out", True),
    ("schema:object", None): Phrase("acted on"),
    ("schema:birthPlace", None): Phrase("born in"),
    ("schema:homeLocation", None): Phrase("lives in"),
    ("schema:worksFor", None): Phrase("works for"),
    ("kg:workingOn", None): Phrase("working on"),
    ("schema:countryOfOrigin", None): Phrase("made in"),
    ("schema:hasOccupation", None): Phrase("works as"),
    ("kg:formerOccupation", None): Phrase("was formerly a"),
    ("kg:interviewer", None): Phrase("conducted", True),
    ("kg:interviewee", None): Phrase("gave", True),
    ("kg:forOutlet", None): Phrase("for"),
    ("schema:about", None): Phrase("about"),
    ("kg:toldTo", None): Phrase("told to"),
    ("kg:partOfInterview", None): Phrase("said in"),
    ("schema:isPartOf", None): Phrase("part of"),
    ("kg:platform", None): Phrase("posted on"),
    ("kg:concerns", None): Phrase("about"),
    ("schema:sourceOrganization", None): Phrase("from"),
    ("schema:publisher", None): Phrase("published by"),
    ("schema:mentions", None): Phrase("mentions"),
    ("schema:image", None): Phrase("illustrated by"),
    ("kg:relatedArticle", None): Phrase("links to"),
}

# The role's own property names the character it plays; the edge reads "played X in".
ROLE_CHARACTER = ("kg:playsCharacter", "schema:characterName", "schema:roleName")
# kg:Inspiration qualifies kg:inspiredBy (its source, strength and hedge).
QUALIFIED = {"kg:qualifiedInspiration": ("kg:inspiredBy", "kg:influenceSource")}
# Never edges nor attributes: typing, naming and the evidence plumbing itself.
PLUMBING = {"rdf:type", "rdfs:label", "kg:sourceFile", "kg:evidence"}


def expand_name(name: str) -> str:
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local


def full_iri(name: str) -> str:
    """The IRI of a term as the relation graph names it: prefixed (work:soundtrack) or <iri>."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, sep, local = name.partition(":")
    return PREFIXES[prefix] + local if sep and prefix in PREFIXES else name


def words_of(local_name: str) -> str:
    """'numberOfSeasons' -> 'number of seasons' for properties with no label."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local_name).lower()
