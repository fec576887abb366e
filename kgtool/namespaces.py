"""Prefixes known to every query, parameter, table and export (no heavy imports)."""

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
