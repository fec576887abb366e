"""Everything the graph knows about one entity, each fact with its evidence."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from kgtool.store.labels import resolve
from kgtool.namespaces import compact
from kgtool.results import display_term

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
    article: str
    position: int
    hedge: str | None = None


@dataclass
class Fact:
    predicate: str
    value: str
    label: str | None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Description:
    iri: str
    label: str | None
    outgoing: list[Fact]
    incoming: list[Fact]


def _facts(rows, value_key: str) -> list[Fact]:
    facts: dict[tuple[str, str], Fact] = {}
    for row in rows:
        key = (display_term(row["p"]), display_term(row[value_key]))
        label = row["label"].value if "label" in row else None
        fact = facts.setdefault(key, Fact(key[0], key[1], label))
        if "text" in row:
            hedge = row["hedge"].value if "hedge" in row else None
            evidence = Evidence(row["text"].value, compact(row["article"].value), int(row["position"].value), hedge)
            if evidence not in fact.evidence:
                fact.evidence.append(evidence)
    for fact in facts.values():  # the same order whatever order the store gave
        fact.evidence.sort(key=lambda e: (e.article, e.position, e.sentence))
    return sorted(facts.values(), key=lambda f: (f.predicate != "rdf:type", f.predicate, f.value))


def describe(store, text: str) -> Description:
    entity = resolve(store, text)
    bindings = {"e": entity}
    outgoing = _facts(store.select(_OUT, bindings), "o")
    label = next((f.value for f in outgoing if f.predicate == "rdfs:label"), None)
    return Description(compact(entity.value), label, outgoing, _facts(store.select(_IN, bindings), "s"))


def _fact_lines(fact: Fact, arrow: str) -> list[str]:
    shown = f"{fact.label} ({fact.value})" if fact.label else fact.value
    lines = [f"  {arrow} {fact.predicate}  {shown}"]
    for ev in fact.evidence:
        lines.append(f"      evidence: {ev.article} sentence {ev.position}: {ev.sentence}")
        if ev.hedge:
            lines.append(f"      hedge: {ev.hedge}")
    return lines


def render_text(description: Description) -> str:
    title = f"{description.label} ({description.iri})" if description.label else description.iri
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
