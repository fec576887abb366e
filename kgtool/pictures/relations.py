"""The relation graph: a networkx MultiDiGraph of entities, what the graph says of them as edges.

Nodes are entities (people, works, characters, organisations, places, events,
quotes); edges read in plain words ("created", "played Joanna Kassem in");
literals become node attributes; a schema.org Role and a qualified inspiration
fold into the edge they qualify; every edge carries the sentences that state it.
Node ids are prefixed names (person:jenna-dewan) so files stay readable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kgtool.pictures import vocabulary as vocab
from kgtool.namespaces import BASE, compact
from kgtool.pictures.statements import Scope, Statement, evidence_index, scope_statements

_CLASSES = "SELECT ?s ?class WHERE { ?s a ?class }"
_SUPERCLASSES = "SELECT ?class ?super WHERE { ?class rdfs:subClassOf ?super }"
_LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label"
_ENTITY_SPACE = BASE + "id/"


@dataclass
class Catalogue:
    """What the whole store says about every term: kinds, classes and labels."""

    classes: dict[str, set[str]]  # IRI -> its classes and their superclasses, prefixed
    labels: dict[str, str]

    def kind(self, iri: str) -> vocab.Kind:
        classes = self.classes.get(iri, set())
        for kind in vocab.KINDS:
            if classes & set(kind.classes):
                return kind
        return vocab.KINDS_BY_KEY["other"]

    def is_entity(self, iri: str) -> bool:
        """Entities are what the articles talk about; vocabulary terms are not."""
        return iri.startswith(_ENTITY_SPACE) or self.kind(iri).key != "other"

    def label(self, iri: str) -> str:
        if iri in self.labels:
            return self.labels[iri]
        name = compact(iri)
        return vocab.words_of(name.split(":", 1)[1]) if not name.startswith("<") else iri

    def phrase(self, predicate: str, subject: str) -> vocab.Phrase:
        name = compact(predicate)
        classes = self.classes.get(subject, set())
        for (prop, cls), phrase in vocab.PHRASES.items():
            if prop == name and cls is not None and cls in classes:
                return phrase
        if (name, None) in vocab.PHRASES:
            return vocab.PHRASES[(name, None)]
        local = name.split(":", 1)[-1].rstrip(">").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        return vocab.Phrase(self.labels.get(predicate) or vocab.words_of(local))


def catalogue(store) -> Catalogue:
    supers: dict[str, set[str]] = defaultdict(set)
    for row in store.select(_SUPERCLASSES):
        supers[compact(row["class"].value)].add(compact(row["super"].value))
    classes: dict[str, set[str]] = defaultdict(set)
    for row in store.select(_CLASSES):
        classes[row["s"].value] |= _closure(compact(row["class"].value), supers)
    labels: dict[str, str] = {}
    for row in store.select(_LABELS):
        labels.setdefault(row["s"].value, row["label"].value)
    return Catalogue(dict(classes), labels)


def _closure(name: str, supers: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(supers.get(current, ()))
    return seen


@dataclass
class _Parts:
    """Statements sorted by what they become."""

    edges: list[Statement] = field(default_factory=list)
    attributes: list[Statement] = field(default_factory=list)
    folded: dict[str, list[Statement]] = field(default_factory=lambda: defaultdict(list))  # by role/qualifier
    into_folded: list[Statement] = field(default_factory=list)  # work -> role, work -> qualifier


def build(store, scope: Scope | None = None, provenance: bool = False):
    """The relation graph of `scope` (everything, one article, or given triples)."""
    import networkx as nx

    cat = catalogue(store)
    scope = scope or Scope()
    statements = scope_statements(store, scope)
    evidence = evidence_index(store, scope.article_graph)
    parts = _sort(statements, cat, provenance)
    graph = nx.MultiDiGraph()
    for iri in sorted(_node_iris(parts, cat)):
        _add_node(graph, iri, cat)
    for st in parts.attributes:
        _add_attribute(graph, st, cat)
    for st in parts.edges:
        phrase = cat.phrase(st.predicate, st.subject)
        _add_edge(graph, st, phrase.words, phrase.reverse, [st], evidence)
    _fold_roles(graph, parts, cat, evidence)
    _fold_qualifiers(graph, parts, cat, evidence)
    for _, data in graph.nodes(data=True):  # the same order whatever order the store gave
        data["attributes"] = dict(sorted(data["attributes"].items()))
    return graph


def _treatment(iri: str, cat: Catalogue, provenance: bool) -> str | None:
    """How an IRI appears: a node, a folded qualifier, or None (not drawn)."""
    if not cat.is_entity(iri):
        return None
    kind = cat.kind(iri)
    if kind.treatment == vocab.PROVENANCE:
        return vocab.NODE if provenance else None
    return None if kind.treatment == vocab.EVIDENCE else kind.treatment


def _sort(statements: list[Statement], cat: Catalogue, provenance: bool) -> _Parts:
    parts = _Parts()
    for st in statements:
        if compact(st.predicate) in vocab.PLUMBING:
            continue
        subject = _treatment(st.subject, cat, provenance)
        if subject == vocab.COLLAPSE:
            parts.folded[st.subject].append(st)
        elif subject == vocab.NODE:
            target = None if st.is_literal else _treatment(st.object, cat, provenance)
            if st.is_literal or not cat.is_entity(st.object):
                parts.attributes.append(st)
            elif target == vocab.COLLAPSE:
                parts.into_folded.append(st)
            elif target == vocab.NODE:
                parts.edges.append(st)
    return parts


def _node_iris(parts: _Parts, cat: Catalogue) -> set[str]:
    iris = {st.subject for st in parts.attributes} | {st.subject for st in parts.edges}
    iris |= {st.object for st in parts.edges} | {st.subject for st in parts.into_folded}
    for qualifier in parts.folded.values():  # role holders and inspiration sources; a role's character is a name
        iris |= {st.object for st in qualifier if not st.is_literal and cat.is_entity(st.object)
                 and cat.kind(st.object).treatment == vocab.NODE and compact(st.predicate) not in vocab.ROLE_CHARACTER}
    return iris


def _add_node(graph, iri: str, cat: Catalogue) -> None:
    kind = cat.kind(iri)
    graph.add_node(
        compact(iri),
        label=cat.label(iri),
        kind=kind.key,
        iri=iri,
        types=" ".join(sorted(c for c in cat.classes.get(iri, ()) if _is_own_class(c))),
        attributes={},
    )


def _is_own_class(name: str) -> bool:
    return not name.startswith(("rdf:", "rdfs:", "prov:", "owl:"))


def _add_attribute(graph, st: Statement, cat: Catalogue) -> None:
    node = compact(st.subject)
    if node not in graph:
        return
    name = cat.labels.get(st.predicate) or vocab.words_of(compact(st.predicate).split(":", 1)[-1])
    value = st.object if st.is_literal else cat.label(st.object)
    values = graph.nodes[node]["attributes"].setdefault(name, [])
    if value not in values:
        values.append(value)
        values.sort()


def _add_edge(graph, st: Statement, words: str, reverse: bool, sources: list[Statement], evidence, **extra) -> None:
    source, target = compact(st.subject), compact(st.object)
    if reverse:
        source, target = target, source
    if source not in graph or target not in graph:
        return
    found = _merged_evidence(evidence.get(part.key, ()) for part in sources)
    graph.add_edge(
        source,
        target,
        key=f"{compact(st.predicate)} {words}",
        label=words,
        predicate=compact(st.predicate),
        evidence=sorted(found, key=lambda e: (e["article"], e["position"] or 0, e["text"])),
        hedge=sorted({e["hedge"] for e in found if e["hedge"]}),
        **extra,
    )


def _merged_evidence(groups) -> list[dict]:
    """One item per sentence; the hedges of the facts it states, joined."""
    by_sentence: dict[tuple, dict] = {}
    for group in groups:
        for item in group:
            key = (item["article"], item["position"], item["text"])
            merged = by_sentence.setdefault(key, {**item, "hedge": None})
            if item["hedge"] and item["hedge"] not in (merged["hedge"] or "").split("; "):
                merged["hedge"] = f"{merged['hedge']}; {item['hedge']}" if merged["hedge"] else item["hedge"]
    return list(by_sentence.values())


def _fold_roles(graph, parts: _Parts, cat: Catalogue, evidence) -> None:
    """W schema:actor R . R schema:actor P . R kg:playsCharacter C  ->  P "played C in" W."""
    for into in parts.into_folded:
        role = into.object
        if cat.kind(role).key != "role":
            continue
        own = parts.folded.get(role, [])
        holders = [st for st in own if st.predicate == into.predicate and not st.is_literal]
        played = _character(own, cat)
        base = cat.phrase(into.predicate, into.subject)
        words = f"played {played} in" if played and compact(into.predicate) == "schema:actor" else (
            f"{base.words} (as {played})" if played else base.words)
        for holder in holders:
            edge = Statement(into.subject, into.predicate, holder.object, False)
            _add_edge(graph, edge, words, True, [into, *own], evidence, role=compact(role))


def _character(role_statements: list[Statement], cat: Catalogue) -> str | None:
    by_property = {compact(st.predicate): st for st in role_statements}
    for name in vocab.ROLE_CHARACTER:
        if name in by_property:
            st = by_property[name]
            return st.object if st.is_literal else cat.label(st.object)
    return None


def _fold_qualifiers(graph, parts: _Parts, cat: Catalogue, evidence) -> None:
    """A kg:Inspiration adds its strength and hedge to the kg:inspiredBy edge it qualifies."""
    for into in parts.into_folded:
        if compact(into.predicate) not in vocab.QUALIFIED:
            continue
        plain, source_property = vocab.QUALIFIED[compact(into.predicate)]
        own = parts.folded.get(into.object, [])
        sources = [st.object for st in own if compact(st.predicate) == source_property]
        qualities = sorted(cat.label(st.object) if not st.is_literal else st.object
                           for st in own if compact(st.predicate) not in (source_property, "kg:hedgeText"))
        phrase = cat.phrase(vocab.expand_name(plain), into.subject)
        words = f"{phrase.words} ({', '.join(qualities)})" if qualities else phrase.words
        for source in sources:
            u, v = (compact(source), compact(into.subject)) if phrase.reverse else (compact(into.subject), compact(source))
            if u not in graph or v not in graph:
                continue
            old_key = next((k for k, d in graph.get_edge_data(u, v, default={}).items()
                            if d["predicate"] == plain), None)
            plain_statement = Statement(into.subject, vocab.expand_name(plain), source, False)
            if old_key is not None:
                graph.remove_edge(u, v, old_key)
            _add_edge(graph, plain_statement, words, phrase.reverse, [plain_statement, into, *own], evidence,
                      qualifier=compact(into.object))


def node_table(graph) -> list[dict[str, Any]]:
    """The nodes as plain rows, sorted by id (for tests, path printing and pages)."""
    return [{"id": n, **graph.nodes[n]} for n in sorted(graph.nodes)]
