"""The reconciliation index of a store: every name read at once, their bearers when first needed.

Matching needs every name of the graph (a near miss is scored against all of them), but only
the few entities a card's names find. On a store, turning an IRI into a string is most of the
cost of a read (a term lookup each, on disk in RocksDB), and every entity has an IRI and a
type or more: reading all of them cost most of an add's growth from the first card to the
thousandth. So the index reads the names alone (rdfs:label and schema:alternateName, their
literals as the store holds them), keeps each literal as the handle of its name in the
tables, and asks the store which entities bear a literal when a match first finds it.
The answers are those of `Index.from_entities` over every labelled entity: the same names,
the same entities (IRIs only; none of a class in `skip`), the same label and types.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kgtool.cards.reconcile import _KG, _SCHEMA, SKIPPED, Entity, Index

_CLASSES = "SELECT ?class ?super WHERE { ?class rdfs:subClassOf ?super FILTER (isIRI(?class) && isIRI(?super)) }"
_LABELS = "SELECT ?name WHERE { ?x rdfs:label ?name }"
_NAMES = "SELECT ?name WHERE { ?x schema:alternateName ?name }"
_USED = "ASK { ?x a %s }"
# The bearers of some names (?given) or some IRIs (?x), each with all its labels, names, types.
_ENTITIES = """SELECT ?given ?x ?label ?name ?type WHERE {
  %s
  FILTER (isIRI(?x))
  ?x rdfs:label ?label
  OPTIONAL { ?x schema:alternateName ?name }
  OPTIONAL { ?x a ?type }
}"""
_BEARERS = "VALUES ?given { %s } { ?x rdfs:label ?given } UNION { ?x schema:alternateName ?given }"
_OF_IRIS = "VALUES ?x { %s }"


class StoreIndex(Index):
    """An Index of the entities in `store` (kgtool.store.Store), read lazily; see the module."""

    def __init__(self, store, skip: frozenset[str] = SKIPPED, subclass_of: Iterable[tuple[str, str]] = ()) -> None:
        # Store.query, not answer: literals stay as stored, so that they can be asked about again.
        classes = [(sub.value, sup.value) for sub, sup in store.query(_CLASSES)] + list(subclass_of)
        super().__init__(classes)
        self._store, self._skip = store, skip
        self._bearers: dict = {}  # a name's literal -> the IRIs of the entities that bear it
        self._looked_up: set[str] = set()  # IRIs asked about, found or not
        names = dict.fromkeys(row[0] for query in (_LABELS, _NAMES) for row in store.query(query))
        for literal in names:
            # Whether a name's bearer is a person is known once it is read: the family-name
            # tier checks it then (Index._nearly).
            self._index_name(literal, literal.value, True)

    def resolve_type(self, name: str) -> str:
        """Index.resolve_type, where the classes known include those the store's nodes have
        (asked about by name: reading every type costs as much as reading every entity)."""
        for namespace in (_SCHEMA, _KG) if ":" not in name else ():
            if namespace + name not in self._classes and self._used_as_type(namespace + name):
                self._classes.add(namespace + name)
        return super().resolve_type(name)

    def _used_as_type(self, iri: str) -> bool:
        try:
            return bool(self._store.query(_USED % ox.NamedNode(iri)))
        except ValueError:  # "TV Series" makes no IRI
            return False

    def get(self, iri: str) -> Entity | None:
        if iri not in self._by_iri and iri not in self._looked_up:
            self._looked_up.add(iri)
            try:
                self._read(_OF_IRIS % ox.NamedNode(iri))
            except ValueError:  # not an IRI (a card's pinned iri: is checked later): no entity
                pass
        return self._by_iri.get(iri)

    def _owners(self, handles: Iterable) -> Iterator[str]:
        handles = list(handles)
        unread = [h for h in handles if not isinstance(h, str) and h not in self._bearers]
        if unread:
            for literal in unread:
                self._bearers[literal] = []
            self._read(_BEARERS % " ".join(map(str, unread)))
        for handle in handles:
            if isinstance(handle, str):  # an entity added to the index (a card's new one)
                yield handle
            else:
                yield from self._bearers[handle]

    def _read(self, pattern: str) -> list[Entity]:
        """The entities that `pattern` binds ?x to, read into the index (an entity added to the
        index before keeps its merged form); each given name's bearers noted."""
        rows: dict[str, list] = {}
        for row in self._store.query(_ENTITIES % pattern):
            rows.setdefault(row[1].value, []).append(row)
        entities = [entity for entity in map(_entity, rows.values()) if self._skip.isdisjoint(entity.types)]
        for entity in entities:
            self._by_iri.setdefault(entity.iri, entity)
            self._classes.update(entity.types)
            self._looked_up.add(entity.iri)
        kept = {entity.iri for entity in entities}
        for group in rows.values():
            for given, iri in ((row[0], row[1].value) for row in group if row[0] is not None):
                if iri in kept and iri not in self._bearers[given]:
                    self._bearers[given].append(iri)
        return entities


def _entity(rows: list) -> Entity:
    """One entity of its query rows (?given ?x ?label ?name ?type): its label the first in
    English or without a language, the other labels among its names."""
    labels = {row[2] for row in rows}
    names = {row[3].value for row in rows if row[3] is not None}
    types = {row[4].value for row in rows if row[4] is not None}
    label = min((term.language not in (None, "en"), term.value) for term in labels)[1]
    names = (names | {term.value for term in labels}) - {label}
    return Entity(rows[0][1].value, label, tuple(sorted(names)), tuple(sorted(types)))

