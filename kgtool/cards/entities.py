"""Naming things: a card's labels become IRIs, reused from the graph or made new.

A label is looked up, in order, among the nodes this card has already named, the
entities it declares (`entities:`), and the graph (reconciliation by label, alternate
name and type). A declared `iri:` pins the node; `new: true` makes a new one even if the
graph holds a similar name; an ambiguous name stops with the candidates listed.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kgtool.cards.builder import Ref
from kgtool.cards.reconcile import key, slug as reconcile_slug
from kgtool.errors import AmbiguousEntity, CardError
from kgtool.namespaces import BASE, PREFIXES, compact, expand

SCHEMA, KG = PREFIXES["schema"], PREFIXES["kg"]
SUBCLASS_OF = ox.NamedNode(PREFIXES["rdfs"] + "subClassOf")

# The IRI folder of a node, by the first of these classes it falls under.
KINDS = [("schema:Person", "person"), ("kg:FictionalCharacter", "character"), ("schema:TVSeason", "season"),
         ("schema:SocialMediaPosting", "posting"), ("schema:ImageObject", "image"), ("schema:Quotation", "quote"),
         ("schema:PerformanceRole", "role"), ("kg:Franchise", "franchise"), ("kg:Award", "award"),
         ("schema:CreativeWork", "work"), ("schema:Organization", "organization"), ("kg:FictionalPlace", "place"),
         ("schema:Place", "place"), ("schema:Occupation", "occupation"), ("schema:Event", "event"),
         ("schema:Action", "event")]


COMMON_CLASSES = """Thing Person Organization Corporation NewsMediaOrganization PerformingGroup
    EducationalOrganization School CollegeOrUniversity TelevisionStation BroadcastService Place City Country State
    AdministrativeArea Event Action Occupation CreativeWork CreativeWorkSeries TVSeries TVSeason TVEpisode Movie
    MovieSeries Book BookSeries ShortStory Play ComicSeries ComicStory PodcastSeries PodcastEpisode RadioSeries
    MusicRecording MusicAlbum VideoGame SocialMediaPosting Quotation ImageObject PerformanceRole Role NewsArticle
    Article TheaterEvent""".split()


def fold(text: str) -> str:
    """How names are compared within a card, as reconciliation compares them with the graph."""
    return key(text)


def slug(text: str) -> str:
    return reconcile_slug(text) or "x"


class Ontology:
    """The classes the card may name (`TVSeries`, `ScriptedSeries`) and their superclasses."""

    def __init__(self, path: Path):
        store = ox.Store()
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        self.parents: dict[str, set[str]] = {}
        for quad in store.quads_for_pattern(None, SUBCLASS_OF, None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
                self.parents.setdefault(quad.subject.value, set()).add(quad.object.value)
        self.ours = {q.subject.value for q in store.quads_for_pattern(None, None, None)
                     if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(KG)}
        # The classes a card may name by their local name: schema.org's common ones, and every
        # capitalised term the ontology speaks of (ours first).
        terms = {term.value for quad in store for term in (quad.subject, quad.object) if isinstance(term, ox.NamedNode)}
        self.known = {name: SCHEMA + name for name in COMMON_CLASSES}
        for prefix in (SCHEMA, KG):
            self.known.update({iri[len(prefix):]: iri for iri in terms
                               if iri.startswith(prefix) and iri[len(prefix):][:1].isupper()})

    def class_iri(self, name: str, where) -> str:
        if ":" in name:
            iri = expand(name)
            if iri is None:
                raise CardError(f"unknown prefix in type {name!r}", where=str(where), fix="use schema:X or kg:X")
            return iri
        if name in self.known:
            return self.known[name]
        from difflib import get_close_matches

        close = get_close_matches(name, list(self.known), n=3)
        raise CardError(f"unknown type {name!r}", where=str(where),
                        fix=(f"did you mean {', '.join(close)}? " if close else "")
                        + "use a class of graph/ontology.ttl, or schema:X for another schema.org class")

    def ancestors(self, iri: str) -> set[str]:
        found, todo = {iri}, [iri]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return found

    def kind(self, types) -> str:
        reach = set().union(*(self.ancestors(t) for t in types)) if types else set()
        for curie, kind in KINDS:
            if expand(curie) in reach:
                return kind
        return "entity"


class Names:
    """Resolves the labels of one card against the graph's index and the card's declarations."""

    def __init__(self, index, declared, ontology: Ontology, taken: set[str]):
        self.index, self.ontology, self.taken = index, ontology, set(taken)
        self.declared = {}
        for entry in declared:
            for name in [entry.label, *entry.names]:
                self.declared[fold(name)] = entry
        self.named: dict[str, Ref] = {}     # folded label or name -> the node, for this card
        self.new: list[Ref] = []
        self.reused: list[Ref] = []

    def entity(self, label: str, expect: str | None, where) -> Ref:
        key = fold(label)
        if key in self.named:
            return self.named[key]
        entry = self.declared.get(key)
        ref = self._declared(entry, where) if entry is not None else self._reconciled(label, expect, where, None)
        self._remember(ref, [label])
        return ref

    def _declared(self, entry, where) -> Ref:
        types = tuple(self.ontology.class_iri(t, entry.where) for t in [entry.type, *entry.kinds] if t)
        names = tuple(entry.names)
        if entry.iri:
            iri = expand(entry.iri) if not entry.iri.startswith(("http:", "https:")) else entry.iri
            if iri is None:
                raise CardError(f"unknown prefix in iri {entry.iri!r}", where=str(entry.where),
                                fix="use a full IRI or person:, work:, ... (see docs/cards.md)")
            known = self.index.get(iri) if self.index is not None else None
            types = types or (known.types if known else ())
            return Ref(iri, entry.label, types or self._need_type(entry.label, entry.where), names, new=known is None)
        if entry.new:
            return self._mint(entry.label, types or self._need_type(entry.label, entry.where), names)
        return self._reconciled(entry.label, types[0] if types else None, entry.where, (types, names))

    def _reconciled(self, label: str, expect, where, declared) -> Ref:
        expect_iri = expect if expect is None or expect.startswith("http") else self.ontology.class_iri(expect, where)
        match = self.index.match(label, expect_iri) if self.index is not None else None
        types, names = declared or ((), ())
        if match is not None and match.status == "matched":
            found = match.entity
            return Ref(found.iri, found.label, tuple(types) or tuple(found.types), tuple(names) or tuple(found.names))
        if match is not None and match.status == "ambiguous":
            listed = "; ".join(f"{compact(e.iri)} ({e.label})" for e, _ in match.candidates[:5])
            what = (f"{label!r} is not in the graph, but nearly matches {listed}" if match.reason == "nearly" else
                    f"{label!r} matches several entities: {listed}" if len(match.candidates) > 1 else
                    f"{label!r} is not a label in the graph, but may be {listed}")
            raise AmbiguousEntity(what, where=str(where),
                                  fix=f"pin one under entities: ({label}: {{iri: ...}}) or declare it new: true")
        return self._mint(label, tuple(types) or ((expect_iri,) if expect_iri else self._need_type(label, where)),
                          tuple(names))

    def _need_type(self, label: str, where):
        raise CardError(f"{label!r} is not in the graph and the card does not say what it is", where=str(where),
                        fix=f"declare it under entities: with its type, e.g. {label}: Person")

    def _mint(self, label: str, types: tuple[str, ...], names: tuple[str, ...]) -> Ref:
        kind = self.ontology.kind(types)
        iri = self.fresh(kind, slug(label))
        ref = Ref(iri, label, types, names, new=True)
        self.new.append(ref)
        return ref

    def fresh(self, kind: str, local: str) -> str:
        iri, number = f"{BASE}id/{kind}/{local}", 1
        while iri in self.taken or (self.index is not None and self.index.get(iri) is not None):
            number += 1
            iri = f"{BASE}id/{kind}/{local}-{number}"
        self.taken.add(iri)
        return iri

    def derive(self, kind: str, parts: list, types: list[str], label: str) -> Ref:
        """A node the compiler makes (a role, an event): the same parts give the same node."""
        key = fold(label)
        if key in self.named:
            return self.named[key]
        pinned = self.declared.get(key)
        if pinned is not None and pinned.iri:
            ref = Ref(expand(pinned.iri) or pinned.iri, label, tuple(expand(t) for t in types), derived=True, new=True)
            self._remember(ref, [label])
            return ref
        local = "-".join(p.iri.rsplit("/", 1)[-1] if isinstance(p, Ref) else slug(p) for p in parts if p)
        iri = f"{BASE}id/{kind}/{local}"
        ref = Ref(iri, label, tuple(expand(t) for t in types), derived=True, new=True)
        self.taken.add(iri)
        self._remember(ref, [label])
        return ref

    def _remember(self, ref: Ref, labels) -> None:
        for name in [*labels, ref.label, *ref.names]:
            self.named.setdefault(fold(name), ref)
        if not ref.new and not ref.derived and ref not in self.reused:
            self.reused.append(ref)
