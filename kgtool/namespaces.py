"""Prefixes known to every query, parameter, table and export (no heavy imports)."""

import re
from functools import lru_cache

BASE = "https://kgtool.example/"

PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "sh": "http://www.w3.org/ns/shacl#",
    "shape": BASE + "shapes#",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
    "kg": BASE + "ns#",
    "graph": BASE + "graph/",
    "article": BASE + "id/article/",
    "person": BASE + "id/person/",
    "work": BASE + "id/work/",
    "character": BASE + "id/character/",
    "role": BASE + "id/role/",
    "influence": BASE + "id/influence/",
    "organization": BASE + "id/organization/",
    "place": BASE + "id/place/",
    "occupation": BASE + "id/occupation/",
    "event": BASE + "id/event/",
    "quote": BASE + "id/quote/",
    "posting": BASE + "id/posting/",
    "news": BASE + "id/news/",
    "image": BASE + "id/image/",
    "season": BASE + "id/season/",
    "award": BASE + "id/award/",
    "nomination": BASE + "id/nomination/",
    "franchise": BASE + "id/franchise/",
}

# Longest namespace first, so that "article:x/claim/y" loses to a more specific prefix.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: len(item[1]), reverse=True)
_LOCAL_OK = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


@lru_cache(maxsize=1 << 16)  # the same predicates and entities come back many times in big graphs
def compact(iri: str) -> str:
    """person:jenna-dewan for a known namespace and a plain local name, else <iri>."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if local and set(local) <= _LOCAL_OK and local[0] not in "-":
                return f"{prefix}:{local}"
    return f"<{iri}>"


def expand(name: str) -> str | None:
    """The IRI of a prefixed name such as work:soundtrack, or None if the prefix is unknown."""
    prefix, sep, local = name.partition(":")
    if not sep or prefix not in PREFIXES:
        return None
    return PREFIXES[prefix] + local


def sparql_prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


XSD = "http://www.w3.org/2001/XMLSchema#"
# The literals Turtle writes bare (Turtle 1.1, section 2.5.2): their datatype is in their form.
_BARE = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "double": re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}


def show_term(term, blank: str = "[]") -> str:
    """A pyoxigraph term for people, as Turtle writes it, so that terms that differ look different:
    a prefixed name or <iri>; 4 (integer), 4.0 (decimal), 4.0E0 (double), true; "4"^^xsd:int,
    "2020-01-01"^^xsd:date; text plain, text@en with its language, and "4" quoted where bare
    text would read as a number or a boolean. A blank node is `blank`, or _:label when None."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return blank if blank is not None else f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    text, datatype = term.value, term.datatype.value
    if term.language:
        return f"{text}@{term.language}"
    if datatype == XSD + "string":
        return _quoted(text) if any(p.fullmatch(text) for p in _BARE.values()) else text
    if datatype in _BARE and _BARE[datatype].fullmatch(text):
        return text
    return f"{_quoted(text)}^^{compact(datatype)}"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
