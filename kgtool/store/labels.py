"""Finding an entity by IRI, prefixed name or label."""

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

_SIMILAR = """
SELECT DISTINCT ?label ?wanted WHERE {
  ?entity rdfs:label ?label .
  FILTER (CONTAINS(LCASE(STR(?label)), LCASE(STR(?wanted))))
} ORDER BY ?label LIMIT 5
"""

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
        node = ox.NamedNode(iri)
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
    similar = [row["label"].value for row in store.select(_SIMILAR, {"wanted": ox.Literal(text)})]
    hint = f"did you mean {', '.join(repr(s) for s in similar)}?" if similar else "give an IRI, a prefixed name or an exact label"
    raise InputError(f"no entity labelled '{text}' in the graph", where=where, fix=hint)
