"""Reconciliation: which entity of the graph a card's label names, if any.

`Index.match(label, type)` answers in tiers, and stops at the first that finds something:

1. the label, or an alternate name, compared as a key: accents folded (NFKD), case folded,
   curly and straight apostrophes alike, periods and apostrophes dropped ("L.A." is "LA"),
   "&" read as "and", other punctuation and spaces ignored ("Jay-Z" is "Jay Z");
2. a name with a disambiguating qualifier, as Wikipedia writes them: "Pennies From Heaven"
   finds "Pennies From Heaven (1978 miniseries)" and "... (1981 film)", "Pennies From Heaven
   (1978)" the one whose qualifier holds 1978. A bare name that finds a qualified one is
   never "matched", only "ambiguous", even with one candidate: "Maple Hollow High" may be
   the original of "Maple Hollow High (reboot)", not the reboot.
   A label that is exactly some entity's label wins over the qualified ones ("Flirty
   Dancing" is the series, not "Flirty Dancing (U.K. version)");
3. near misses (rapidfuzz's ratio on the keys, at least NEAR) and, for a one-word label, the
   people whose family name it is ("Dewan" -> Jenna Dewan). These are never "matched", only
   "ambiguous" with the candidates best first: "Jon Smith" and "John Smith", "Josh Safran" and
   "Joshua Safran" are one edit apart, and a false merge is worse than a new entity. The
   editor pins the IRI, writes the label as the graph has it, or declares the entity new.

A type narrows every tier, loosely: an entity fits when one of its classes is the type, a
subclass of it or a superclass of it (rdfs:subClassOf, read from the store), so "City" finds
a schema:Place and "TVSeries" a kg:ScriptedSeries, but a person named "Soundtrack" is not
the series. Untyped entities fit any type.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kgtool.errors import CardError
from kgtool.namespaces import BASE, PREFIXES, expand

_SCHEMA, _KG = PREFIXES["schema"], PREFIXES["kg"]
PERSON = _SCHEMA + "Person"

# Labelled nodes that are not things a card names: the article's bookkeeping, the article
# nodes (the card's article: block names those), and the vocabulary itself.
SKIPPED = frozenset(expand(name) for name in """kg:Claim kg:Sentence kg:ArticleGraph schema:NewsArticle
    rdfs:Class rdf:Property owl:Class owl:Ontology owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty
    sh:NodeShape sh:PropertyShape""".split())

NEAR = 85.0  # rapidfuzz ratio: one edit in a 12-letter name is 92, in a 6-letter one 83
FAMILY_NAME = 85.0  # the score a family-name candidate is listed with
MOST_CANDIDATES = 8
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}  # not family names: "Martin Luther King Jr."

_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l",
                          "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "Þ": "Th", "ı": "i"})
_JOINED = re.compile(r"['’‘ʼ`´.]")  # dropped, not spaced: "L.A." is "la", "Grey’s" "greys"
_SEPARATORS = re.compile(r"[\W_]+")
# The same for ASCII text in one translate (most labels; three times faster than the regexes)
_ASCII = {i: None if chr(i) in "'`." else " and " if chr(i) == "&" else " "
          for i in range(128) if not chr(i).isalnum()}
_QUALIFIED = re.compile(r"(.*\S)\s*\(([^()]*)\)\s*")

@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    names: tuple[str, ...] = ()  # alternate names
    types: tuple[str, ...] = ()  # class IRIs


@dataclass
class Match:
    status: str  # "matched", "new" or "ambiguous"
    entity: Entity | None = None
    candidates: list[tuple[Entity, float]] = field(default_factory=list)  # best first
    # how: "label", "qualified" (tiers 1 and 2), "nearly" (tier 3), "other type" (new, though
    # the label is that of an entity of another type), "" (new)
    reason: str = ""


def fold(text: str) -> str:
    """`text` without accents, case folded: "Beyoncé" -> "beyonce"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def key(text: str) -> str:
    """The words of `text` as compared: folded, punctuation gone, one space between words."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII).split())
    joined = _JOINED.sub("", fold(text).replace("&", " and "))
    return " ".join(_SEPARATORS.sub(" ", joined).split())


def _squash(text: str) -> str:
    return key(text).replace(" ", "")


def qualified(label: str) -> tuple[str, frozenset[str]] | None:
    """("Pennies From Heaven", {"1978", "miniseries"}) for "Pennies From Heaven (1978 miniseries)"."""
    found = _QUALIFIED.fullmatch(label)
    if not found or not key(found.group(2)):
        return None
    return found.group(1), frozenset(key(found.group(2)).split())


def slug(label: str) -> str:
    """The IRI-safe form of a label: "Pennies From Heaven (1978 miniseries)" ->
    "pennies-from-heaven-1978-miniseries" (ASCII; letters of other scripts are left out)."""
    return "-".join(key(label).encode("ascii", "ignore").decode("ascii").split())


def mint(kind: str, label: str, taken: set[str]) -> str:
    """A new IRI https://kgtool.example/id/<kind>/<slug>, with -2, -3... when `taken` (IRIs
    already in use) holds it. `taken` is not changed: the caller adds what it keeps."""
    base = slug(label)
    if not base:
        raise CardError(f"the label {label!r} has no letters or digits to make an IRI of",
                        fix="give the entity an iri: in the card's entities")
    iri, number = f"{BASE}id/{kind}/{base}", 2
    while iri in taken:
        iri, number = f"{BASE}id/{kind}/{base}-{number}", number + 1
    return iri


class Index:
    """The entities of a graph by their names, built once, matched many times."""

    def __init__(self, subclass_of: Iterable[tuple[str, str]] = ()) -> None:
        self._supers: dict[str, set[str]] = defaultdict(set)
        for sub, sup in subclass_of:
            self._supers[sub].add(sup)
        self._ancestors: dict[str, frozenset[str]] = {}
        self._fit: dict[tuple[tuple[str, ...], str], bool] = {}  # (an entity's types, a type): fits
        self._classes = set(self._supers) | {sup for sups in self._supers.values() for sup in sups}
        self._by_iri: dict[str, Entity] = {}
        # name -> {IRI: None} (ordered sets): by squashed key, by key and base key for near
        # misses, by family name; _bases: squashed base key -> [(IRI, qualifier words)]
        self._exact: dict[str, dict[str, None]] = defaultdict(dict)
        self._near: dict[str, dict[str, None]] = defaultdict(dict)
        self._family: dict[str, dict[str, None]] = defaultdict(dict)
        self._bases: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
        self._choices: list[str] | None = None  # the keys of _near by length, to score only
        self._lengths: list[int] = []  # those long enough and short enough to reach NEAR

    @classmethod
    def from_entities(cls, entities: Iterable[Entity], subclass_of: Iterable[tuple[str, str]] = ()) -> "Index":
        index = cls(subclass_of)
        for entity in entities:
            index.add(entity)
        return index

    @classmethod
    def from_store(cls, store, skip: frozenset[str] = SKIPPED, subclass_of: Iterable[tuple[str, str]] = ()) -> "Index":
        """Every IRI with an rdfs:label in the store (all graphs), but those of a class in `skip`;
        the class hierarchy is the store's rdfs:subClassOf, and `subclass_of` (sub, super) pairs.
        The names are read at once, the entities that bear them only when a match finds them
        (kgtool.cards.store_index): reading every IRI and type cost most of an add's growth."""
        from kgtool.cards.store_index import StoreIndex

        return StoreIndex(store, skip, subclass_of)

    def __len__(self) -> int:
        """The entities known so far (of an index read from a store: those a match has found)."""
        return len(self._by_iri)

    def get(self, iri: str) -> Entity | None:
        return self._by_iri.get(iri)

    def _owners(self, handles: Iterable) -> Iterable[str]:
        """The IRIs that the names' tables hold `handles` for: here the IRIs themselves (an index
        read from a store also holds names whose bearers it looks up when first needed)."""
        return handles

    def add(self, entity: Entity) -> Entity:
        """Index `entity` (a card's new one, say); an IRI already known gains its names and types."""
        known = self.get(entity.iri)
        if known is not None:
            names = set(known.names) | set(entity.names) | {entity.label}
            entity = Entity(known.iri, known.label, tuple(sorted(names - {known.label})),
                            tuple(sorted(set(known.types) | set(entity.types))))
        self._by_iri[entity.iri] = entity
        self._classes.update(entity.types)
        person = self._fits(entity.types, PERSON)
        for name in (entity.label, *entity.names):
            if known is None or name not in (known.label, *known.names):
                self._index_name(entity.iri, name, person)
        return entity

    def _index_name(self, handle, name: str, person: bool) -> None:
        """`name` in the tables, for `handle` (an IRI, or what `_owners` turns into IRIs); a
        family name only for a `person` (or one who may be: matches check the type again)."""
        words = key(name)
        if not words:
            return
        self._exact[words.replace(" ", "")][handle] = None
        self._add_near(words, handle)
        parts = qualified(name) if name.endswith(")") else None
        if parts is not None:
            self._bases[_squash(parts[0])].append((handle, parts[1]))
            self._add_near(key(parts[0]), handle)
        elif person:
            family = [word for word in words.split() if word not in _SUFFIXES]
            if len(family) > 1:
                self._family[family[-1]][handle] = None

    def _add_near(self, text: str, iri) -> None:
        if text not in self._near and self._choices is not None:  # else sorted when first needed
            at = bisect.bisect_right(self._lengths, len(text))
            self._lengths.insert(at, len(text))
            self._choices.insert(at, text)
        self._near[text][iri] = None

    # -- matching ------------------------------------------------------------------
    def match(self, label: str, type: str | None = None) -> Match:
        """The entity `label` names (of `type`, a class IRI, prefixed name or local name)."""
        wanted = self.resolve_type(type) if type else None
        found = self._fitting(self._exact.get(_squash(label), ()), wanted)
        reason = "label"
        if not found:
            found, reason = self._fitting(self._qualified(label), wanted), "qualified"
        if len(found) == 1 and (reason == "label" or qualified(label) is not None):
            return Match("matched", self._by_iri[found[0]], [(self._by_iri[found[0]], 100.0)], reason)
        if found:
            return Match("ambiguous", None, self._ranked({iri: 100.0 for iri in found}), reason)
        near = self._nearly(label, wanted)
        if near:
            return Match("ambiguous", None, near, "nearly")
        other = any(True for _ in self._owners(self._exact.get(_squash(label), ())))
        return Match("new", None, [], "other type" if other else "")

    def _qualified(self, label: str) -> list[str]:
        parts = qualified(label)
        if parts is None:  # a bare name: the entities it is the name of, once qualified
            return [iri for iri, _ in self._bases.get(_squash(label), ())]
        base, wanted = parts
        return [iri for iri, qualifiers in self._bases.get(_squash(base), ()) if wanted <= qualifiers]

    def _nearly(self, label: str, wanted: str | None) -> list[tuple[Entity, float]]:
        from rapidfuzz import fuzz, process

        texts = {key(label)}
        parts = qualified(label)
        if parts is not None:  # "Soundtrack (TV series)" is nearly "Soundtrack"
            texts.add(key(parts[0]))
        scores: dict[str, float] = {}
        floor = 0.0  # the score at which enough candidates were found: lower ones are not listed
        for text in texts - {""}:
            found = process.extract(text, self._within_reach(text), scorer=fuzz.ratio, score_cutoff=NEAR, limit=None)
            for choice, score, _ in found:  # best first
                if score < floor:
                    break
                for iri in self._fitting(self._near[choice], wanted):
                    scores[iri] = max(score, scores.get(iri, 0.0))
                if not floor and len(scores) >= MOST_CANDIDATES:
                    floor = score
        words = key(label).split()
        if len(words) == 1 and (wanted is None or self._compatible(wanted, PERSON)):
            for iri in self._fitting(self._family.get(words[0], ()), wanted):
                if self._fits(self._by_iri[iri].types, PERSON):  # the tables may hold others' names
                    scores.setdefault(iri, FAMILY_NAME)
        return self._ranked(scores)[:MOST_CANDIDATES]

    def _within_reach(self, text: str) -> list[str]:
        """The keys whose length lets their ratio with `text` reach NEAR: 2m/(a+b) >= c, m <= min(a, b)."""
        if self._choices is None:
            self._choices = sorted(self._near, key=len)
            self._lengths = [len(choice) for choice in self._choices]
        c = NEAR / 100
        low, high = len(text) * c / (2 - c), len(text) * (2 - c) / c
        return self._choices[bisect.bisect_left(self._lengths, low):bisect.bisect_right(self._lengths, high)]

    def _ranked(self, scores: dict[str, float]) -> list[tuple[Entity, float]]:
        entities = [(self._by_iri[iri], round(score, 1)) for iri, score in scores.items()]
        return sorted(entities, key=lambda pair: (-pair[1], pair[0].label, pair[0].iri))

    # -- types ---------------------------------------------------------------------
    def resolve_type(self, name: str) -> str:
        """The class IRI of "Person", "schema:Person" or an IRI; a local name is looked up
        among the classes the index knows, schema.org's first, then kgtool's."""
        if "://" in name:
            return name
        if ":" in name:
            return expand(name) or name
        for namespace in (_SCHEMA, _KG):
            if namespace + name in self._classes:
                return namespace + name
        return _SCHEMA + name

    def _fitting(self, iris: Iterable[str], wanted: str | None) -> list[str]:
        """The IRIs once each, in order, of those of a class compatible with `wanted`."""
        unique = dict.fromkeys(self._owners(iris))
        return [iri for iri in unique if wanted is None or self._fits(self._by_iri[iri].types, wanted)]

    def _fits(self, types: tuple[str, ...], wanted: str) -> bool:
        if (types, wanted) not in self._fit:
            self._fit[types, wanted] = not types or any(self._compatible(wanted, t) for t in types)
        return self._fit[types, wanted]

    def _compatible(self, one: str, other: str) -> bool:
        """One class is the other, or a subclass of it, or a superclass."""
        return one in self.ancestors(other) or other in self.ancestors(one)

    def ancestors(self, cls: str) -> frozenset[str]:
        """`cls` and every class it is a subclass of (rdfs:subClassOf, transitively)."""
        if cls not in self._ancestors:
            self._ancestors[cls] = frozenset()  # a cycle in the ontology ends here
            self._ancestors[cls] = frozenset({cls}).union(*map(self.ancestors, self._supers.get(cls, ())))
        return self._ancestors[cls]
