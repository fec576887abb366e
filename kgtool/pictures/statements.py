"""The triples a picture is drawn from, and the evidence for each of them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

from kgtool.namespaces import compact

_ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
_IN_GRAPH = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
_CLAIMS = """
SELECT ?g ?s ?p ?o ?text ?position ?hedge WHERE {
  GRAPH ?g {
    ?claim a kg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?sentence .
    ?sentence schema:text ?text .
    OPTIONAL { ?sentence kg:position ?position }
    OPTIONAL { ?claim kg:hedge ?hedge }
  }
}
"""
_ARTICLE_GRAPHS = """
SELECT ?g ?article WHERE { ?g a kg:ArticleGraph . OPTIONAL { ?g prov:wasDerivedFrom ?article } } ORDER BY ?g
"""


@dataclass(frozen=True)
class Statement:
    subject: str
    predicate: str
    object: str  # an IRI, a blank node as _:id, or a literal's lexical form
    is_literal: bool
    object_key: str = ""  # the object in N-Triples form, to match claims exactly

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object_key or f"<{self.object}>")



@dataclass(frozen=True)
class Scope:
    """Which triples to draw: all (the default), one article's graph, or given ones."""

    article_graph: str | None = None
    statements: tuple[Statement, ...] | None = None


def _value(term: Any) -> str:
    import pyoxigraph as ox

    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def statement(subject: Any, predicate: Any, obj: Any) -> Statement:
    """A Statement from three pyoxigraph terms."""
    import pyoxigraph as ox

    literal = isinstance(obj, ox.Literal)
    return Statement(_value(subject), predicate.value, _value(obj), literal, str(obj) if literal else "")


def from_triples(triples: Iterable[Any]) -> tuple[Statement, ...]:
    """Statements from pyoxigraph triples (a CONSTRUCT result), in a stable order."""
    return tuple(sorted({statement(t.subject, t.predicate, t.object) for t in triples},
                        key=lambda s: (s.subject, s.predicate, s.object)))


def scope_statements(store, scope: Scope) -> list[Statement]:
    if scope.statements is not None:
        return list(scope.statements)
    if scope.article_graph:
        import pyoxigraph as ox

        rows = store.answer(_IN_GRAPH, {"g": ox.NamedNode(scope.article_graph)})
    else:
        rows = store.answer(_ALL)  # answer: every literal as written
    return [statement(row["s"], row["p"], row["o"]) for row in rows]


def evidence_index(store, article_graph: str | None = None) -> dict[tuple[str, str, str], list[dict]]:
    """(subject, predicate, object) -> the sentences that state it, from every article (or one)."""
    import pyoxigraph as ox

    bindings = {"g": ox.NamedNode(article_graph)} if article_graph else None
    index: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in store.answer(_CLAIMS, bindings):
        key = statement(row["s"], row["p"], row["o"]).key
        item = {
            "text": row["text"].value,
            "article": compact(row["g"].value),
            "position": int(row["position"].value) if row["position"] is not None else None,
            "hedge": row["hedge"].value if row["hedge"] is not None else None,
        }
        if item not in index[key]:
            index[key].append(item)
    return index


def article_graphs(store) -> dict[str, str]:
    """Article graph IRI -> the article it was derived from (itself when not said)."""
    return {row["g"].value: (row["article"].value if "article" in row else row["g"].value)
            for row in store.select(_ARTICLE_GRAPHS)}
