"""Everything the graph knows about one entity, each fact with its evidence."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from kgtool.store.labels import resolve
from kgtool.namespaces import compact

_OUT = """
SELECT ?e ?p ?o ?label ?text ?article ?position ?hedge WHERE {
  ?e ?p ?o .
  OPTIONAL { ?o rdfs:label ?label }
  OPTIONAL {
    ?claim rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?sentence .
    ?sentence schema:text ?text ; schema:isPartOf ?article ; kg:position ?position .
    OPTIONAL { ?claim kg:hedge ?hedge }
  }
}
"""

_IN = """
SELECT ?e ?s ?p ?label ?text ?article ?position ?hedge WHERE {
  ?s ?p ?e .
  FILTER NOT EXISTS { ?s a kg:Claim }
  OPTIONAL { ?s rdfs:label ?label }
  OPTIONAL {
    ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?e ; kg:evidence ?sentence .
    ?sentence schema:text ?text ; schema:isPartOf ?article ; kg:position ?position .
    OPTIONAL { ?claim kg:hedge ?hedge }
  }
}
"""


@dataclass
class Evidence:
    sentence: str
    article: str  # the article's full IRI
    position: int
    hedge: str | None = None


@dataclass
class Fact:
    """One predicate and value; IRIs in full (JSON outputs use full IRIs, as the W3C SPARQL
    JSON results do), made short only in the text output."""

    predicate: str
    value: str  # an IRI, a blank node's _:label, or a literal's lexical form
    kind: str  # "iri", "blank" or "literal", as in SPARQL JSON results
    label: str | None
    language: str | None = None
    datatype: str | None = None  # a literal's datatype IRI, unless it is a plain string
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Description:
    iri: str
    label: str | None
    outgoing: list[Fact]
    incoming: list[Fact]


_PLAIN = ("http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _fact(predicate, term, label: str | None) -> Fact:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return Fact(predicate.value, term.value, "iri", label)
    if isinstance(term, ox.Literal):
        datatype = None if term.datatype.value in _PLAIN else term.datatype.value
        return Fact(predicate.value, term.value, "literal", label, term.language, datatype)
    return Fact(predicate.value, f"_:{term.value}", "blank", label)


def _facts(rows, value_key: str) -> list[Fact]:
    facts: dict[tuple[str, str], Fact] = {}
    for row in rows:
        label = row["label"].value if "label" in row else None
        fact = _fact(row["p"], row[value_key], label)
        fact = facts.setdefault((fact.predicate, _shown(fact)), fact)
        if "text" in row:
            hedge = row["hedge"].value if "hedge" in row else None
            evidence = Evidence(row["text"].value, row["article"].value, int(row["position"].value), hedge)
            if evidence not in fact.evidence:
                fact.evidence.append(evidence)
    for fact in facts.values():  # the same order whatever order the store gave
        fact.evidence.sort(key=lambda e: (compact(e.article), e.position, e.sentence))
    return sorted(facts.values(), key=lambda f: (f.predicate != _TYPE, compact(f.predicate), _shown(f)))


def describe(store, text: str) -> Description:
    entity = resolve(store, text)
    bindings = {"e": entity}
    outgoing = _facts(store.select(_OUT, bindings), "o")
    label = next((f.value for f in outgoing if f.predicate == _LABEL), None)
    return Description(entity.value, label, outgoing, _facts(store.select(_IN, bindings), "s"))


def _shown(fact: Fact) -> str:
    """The value as the text output shows it: a prefixed name, text@lang, _:blank."""
    if fact.kind == "iri":
        return compact(fact.value)
    return f"{fact.value}@{fact.language}" if fact.language else fact.value


def _fact_lines(fact: Fact, arrow: str) -> list[str]:
    shown = f"{fact.label} ({_shown(fact)})" if fact.label else _shown(fact)
    lines = [f"  {arrow} {compact(fact.predicate)}  {shown}"]
    for ev in fact.evidence:
        lines.append(f"      evidence: {compact(ev.article)} sentence {ev.position}: {ev.sentence}")
        if ev.hedge:
            lines.append(f"      hedge: {ev.hedge}")
    return lines


def render_text(description: Description) -> str:
    iri = compact(description.iri)
    title = f"{description.label} ({iri})" if description.label else iri
    lines = [title, ""]
    for fact in description.outgoing:
        lines += _fact_lines(fact, "->")
    if description.incoming:
        lines += ["", "  referred to by:"]
        for fact in description.incoming:
            lines += _fact_lines(fact, "<-")
    return "\n".join(lines) + "\n"


def render_json(description: Description) -> str:
    return json.dumps(asdict(description), indent=2, ensure_ascii=False) + "\n"


DESCRIBE_FORMATS = {"text": render_text, "json": render_json}
