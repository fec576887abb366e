"""Finding an entity by IRI, prefixed name or label, and the labels to suggest when none fits.

Every label lookup goes through `resolve`: describe, --param, viz --focus, path.
"""

from __future__ import annotations

from typing import Any

from kgtool.errors import InputError
from kgtool.namespaces import compact, expand

_BY_LABEL = """
SELECT DISTINCT ?entity ?label ?wanted WHERE {
  { ?entity rdfs:label ?label } UNION { ?entity schema:alternateName ?label }
  FILTER (isIRI(?entity) && LCASE(STR(?label)) = LCASE(STR(?wanted)))
  FILTER NOT EXISTS { ?entity a kg:Claim }
} ORDER BY ?entity
"""

# Suggestions are things a user names: not the vocabulary's terms, claims, sentences or quotations
# (whose labels hold other names: "Joshua Safran: “...”").
_LABELS = """
SELECT DISTINCT ?label WHERE {
  { ?entity rdfs:label ?label } UNION { ?entity schema:alternateName ?label }
  FILTER (isIRI(?entity))
  FILTER NOT EXISTS { ?entity a ?bookkeeping
                      VALUES ?bookkeeping { kg:Claim kg:Sentence schema:Quotation rdf:Property rdfs:Class owl:Class
                                            owl:ObjectProperty owl:DatatypeProperty owl:Ontology } }
}
"""

# "Did you mean": rapidfuzz's WRatio (Levenshtein, on whole names and on their parts) scores
# a typo ("Steve Martn") and a part of a longer name ("Pennies From Heaven") alike high; a
# label less than half as long as the text only matches inside it by chance ("ET" in "Netflx").
# Only the labels about as close as the best one: "Jenna Dewn" is a typo of one name, not a
# part of the five longer labels that also hold "Jenna Dewan".
SUGGESTIONS, SCORE_CUTOFF, CLOSE_TO_BEST = 5, 85, 5

_HAS_TRIPLES = "ASK { { ?entity ?p ?o } UNION { ?s ?p ?entity } }"


def resolve(store, text: str, where: str | None = None) -> Any:
    """The IRI node named by `text`: <iri>, prefix:name, an absolute IRI, or an exact label."""
    import pyoxigraph as ox

    iri = None
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif "://" in text:
        iri = text
    elif ":" in text and " " not in text:
        iri = expand(text)
    if iri is not None:
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            raise InputError(f"{text!r} is not an IRI", where=where,
                             fix="give an IRI such as <https://...>, a prefixed name or an exact label") from None
        if not bool(store.query(_HAS_TRIPLES, {"entity": node})):
            raise InputError(f"{compact(iri)} is not in the graph", where=where, fix="check the IRI or give a label")
        return node
    rows = store.select(_BY_LABEL, {"wanted": ox.Literal(text)})
    entities = sorted({row["entity"].value for row in rows})
    if len(entities) == 1:
        return ox.NamedNode(entities[0])
    if len(entities) > 1:
        raise InputError(
            f"'{text}' is ambiguous: {', '.join(compact(e) for e in entities)}",
            where=where,
            fix="give one of these IRIs instead",
        )
    similar = similar_labels(text, [row["label"].value for row in store.select(_LABELS)])
    hint = f"did you mean {', '.join(repr(s) for s in similar)}?" if similar else "give an IRI, a prefixed name or an exact label"
    raise InputError(f"no entity labelled '{text}' in the graph", where=where, fix=hint)


def similar_labels(text: str, labels: list[str]) -> list[str]:
    """The labels closest to `text`, best first (ties in label order), at most SUGGESTIONS."""
    from rapidfuzz import fuzz, process, utils

    candidates = sorted({label for label in labels if 2 * len(label) >= len(text)})
    found = process.extract(text, candidates, scorer=fuzz.WRatio, processor=utils.default_process,
                            score_cutoff=SCORE_CUTOFF, limit=None)
    found.sort(key=lambda match: (-round(match[1], 6), match[0]))
    best = found[0][1] if found else 0
    return [label for label, score, _ in found[:SUGGESTIONS] if score >= best - CLOSE_TO_BEST]
