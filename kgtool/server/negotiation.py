"""Content negotiation: the format a client's Accept header asks for, among those kgtool writes.

RFC 9110, section 12.5.1: each media range has a weight (q, default 1); a format is
weighed by the most specific range that matches one of its media types (type/subtype
over type/* over */*); the heaviest format wins, ties going to the order offered.
No Accept header accepts anything. A format no range accepts (q=0 or no match) is
not sent: when none is left the answer is 406.
"""

from __future__ import annotations

from kgtool.server.protocol import ProtocolError

# Format name -> its media types, the first the one sent in Content-Type.
MEDIA: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
    "turtle": ("text/turtle", "application/x-turtle"),
    "ntriples": ("application/n-triples", "text/plain"),
    "nquads": ("application/n-quads",),
    "trig": ("application/trig",),
    "jsonld": ("application/ld+json",),
    "rdfxml": ("application/rdf+xml",),
}
MEDIA_TYPES = {name: types[0] for name, types in MEDIA.items()}

SOLUTIONS = ("json", "xml", "csv", "tsv")
BOOLEAN = ("json", "xml")  # an ASK result has no CSV or TSV form in kgtool (kgtool.results.check_format)
GRAPH = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")
BY_FORM = {"SELECT": SOLUTIONS, "ASK": BOOLEAN, "CONSTRUCT": GRAPH, "DESCRIBE": GRAPH}
_WHAT = {"SELECT": "a SELECT result", "ASK": "an ASK result", "CONSTRUCT": "a CONSTRUCT result",
         "DESCRIBE": "a DESCRIBE result", None: "a query result"}


def ranges(accept: str | None) -> list[tuple[str, str, float]]:
    """The media ranges of an Accept header as (type, subtype, q); a malformed one is skipped."""
    found = []
    for item in (accept or "").split(","):
        media, *parameters = item.split(";")
        kind, slash, subtype = media.strip().lower().partition("/")
        if not slash or not kind or not subtype:
            continue
        q = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        found.append((kind, subtype, q))
    return found


def weight(media: str, accepted: list[tuple[str, str, float]]) -> float:
    """The q the most specific matching range gives `media` (0 when none matches)."""
    kind, _, subtype = media.partition("/")
    best, specificity = 0.0, -1
    for range_kind, range_subtype, q in accepted:
        if range_kind == kind and range_subtype == subtype:
            level = 2
        elif range_kind == kind and range_subtype == "*":
            level = 1
        elif range_kind == "*" and range_subtype == "*":
            level = 0
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def choose(accept: str | None, offered: tuple[str, ...]) -> str | None:
    """The offered format the Accept header weighs heaviest (the first offered without a header)."""
    if not accept or not accept.strip():
        return offered[0]
    accepted = ranges(accept)
    if not accepted:
        return offered[0]
    weights = [(max(weight(media, accepted) for media in MEDIA[name]), -index, name)
               for index, name in enumerate(offered)]
    q, _, name = max(weights)
    return name if q > 0 else None


def formats_for(form: str | None, accept: str | None) -> tuple[str, str]:
    """(result format, graph format) for a query of `form` (None: not known before it runs);
    406 when the Accept header takes none of the formats the form can be written in."""
    offered = BY_FORM.get(form)
    if offered is not None:
        chosen = require(accept, offered, _WHAT[form])
        return (chosen, GRAPH[0]) if offered is not GRAPH else (SOLUTIONS[0], chosen)
    results, graphs = choose(accept, SOLUTIONS), choose(accept, GRAPH)
    if results is None and graphs is None:
        require(accept, SOLUTIONS + GRAPH, _WHAT[None])
    return results or SOLUTIONS[0], graphs or GRAPH[0]


def require(accept: str | None, offered: tuple[str, ...], what: str) -> str:
    chosen = choose(accept, offered)
    if chosen is None:
        raise ProtocolError(406, f"no format the request accepts ({' '.join(accept.split())}) can carry {what}",
                            where="Accept", fix="accept one of: " + ", ".join(MEDIA_TYPES[f] for f in offered))
    return chosen
