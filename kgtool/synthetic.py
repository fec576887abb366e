"""Synthetic entertainment news in the project's own model, for trying kgtool at scale.

Deterministic for a seed: the same arguments give the same bytes. Each
synthetic article is a named graph, as real ones are: a kg:ArticleGraph with
its sentences, its facts and one kg:Claim per fact. Popularity is skewed the
way news is (a few people and series appear in many articles). Everything is
marked synthetic: IRIs say "synthetic", labels and headlines start with
"Synthetic", and every article graph carries an rdfs:comment saying so.
Violations can be injected on purpose, each one a known focus node, path and
SHACL constraint component, so validators can be checked against the truth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import IO, Iterator

from kgtool.namespaces import BASE, PREFIXES

_RDF, _RDFS, _XSD = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["xsd"]
_S, _KG, _PROV = PREFIXES["schema"], PREFIXES["kg"], PREFIXES["prov"]
_ID = BASE + "id/"
TRIPLES_PER_ARTICLE = 200  # a rough mean, to size the pools of people and works
VIOLATION_KINDS = ("missing-label", "fact-without-claim", "bad-datatype", "claim-without-fact", "two-actors")
_SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Violation:
    kind: str
    focus: str
    path: str | None
    component: str


@dataclass
class Summary:
    quads: int = 0
    articles: int = 0
    violations: list[Violation] = field(default_factory=list)


def iri(value: str) -> str:
    return f"<{value}>"


def text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def integer(value: int | str) -> str:
    return f'"{value}"^^<{_XSD}integer>'


class Article:
    """The quads of one synthetic article graph, with a claim and a sentence per fact."""

    def __init__(self, number: int, seed: int, said_before: set[str] | None = None):
        """`said_before`: what earlier articles in the same graph said about shared entities."""
        self.slug = f"synthetic-{seed}-a{number:07d}"
        self.article = iri(f"{_ID}article/{self.slug}")
        self.graph = iri(f"{BASE}graph/{self.slug}")
        self.lines: dict[str, None] = {}  # ordered and without repeats: a graph is a set
        self.said_before = said_before
        self.facts = 0

    def add(self, s: str, p: str, o: str) -> None:
        line = f"{s} {p} {o}"
        # Only lines about shared entities (people, series, networks) can recur across articles;
        # lines naming this article's own nodes cannot, so they are not remembered.
        if self.said_before is not None and self.slug not in line:
            if line in self.said_before:
                return
            self.said_before.add(line)
        self.lines[line] = None

    def entity(self, node: str, cls: str, label: str) -> None:
        self.add(node, iri(_RDF + "type"), iri(cls))
        self.add(node, iri(_RDFS + "label"), text(label))

    def fact(self, s: str, p: str, o: str, sentence: str, *, with_fact: bool = True):
        """The fact, its claim, and the sentence that states it."""
        self.facts += 1
        n = self.facts
        sentence_node = iri(f"{_ID}article/{self.slug}/sentence/s{n:03d}")
        claim = iri(f"{_ID}article/{self.slug}/claim/c{n:03d}")
        if with_fact:
            self.add(s, p, o)
        self.add(sentence_node, iri(_RDF + "type"), iri(_KG + "Sentence"))
        self.add(sentence_node, iri(_S + "isPartOf"), self.article)
        self.add(sentence_node, iri(_KG + "position"), integer(n))
        self.add(sentence_node, iri(_S + "text"), text(sentence))
        self.add(claim, iri(_RDF + "type"), iri(_KG + "Claim"))
        self.add(claim, iri(_RDF + "subject"), s)
        self.add(claim, iri(_RDF + "predicate"), p)
        self.add(claim, iri(_RDF + "object"), o)
        self.add(claim, iri(_KG + "evidence"), sentence_node)
        return claim, sentence_node

    def header(self, seed: int, outlet: str, number: int) -> list[str]:
        """The default-graph triples that describe this article graph."""
        g = self.graph
        note = f"Synthetic data made by kgtool generate --seed {seed}; not real news."
        return [
            f"{g} {iri(_RDF + 'type')} {iri(_KG + 'ArticleGraph')}",
            f"{g} {iri(_RDFS + 'label')} {text(f'Synthetic article {number} (seed {seed})')}",
            f"{g} {iri(_RDFS + 'comment')} {text(note)}",
            f"{g} {iri(_PROV + 'wasDerivedFrom')} {self.article}",
            f"{g} {iri(_PROV + 'wasAttributedTo')} {outlet}",
        ]


class World:
    """The people, series and outlets articles draw on, with skewed popularity."""

    def __init__(self, target_quads: int, rng: random.Random):
        articles = max(1, target_quads // TRIPLES_PER_ARTICLE)
        self.rng = rng
        self.people = max(20, articles)
        self.works = max(10, articles // 2)
        self.broadcasters = max(3, min(200, articles // 50))
        self.outlets = max(2, min(40, articles // 200))

    def popular(self, size: int) -> int:
        """An index in range(size), small ones far likelier (Zipf-like, as news coverage is)."""
        return min(int(self.rng.paretovariate(1.1)) - 1, size - 1)

    def person(self, index: int) -> tuple[str, str]:
        return iri(f"{_ID}person/synthetic-{index:07d}"), f"Synthetic Person {index}"

    def work(self, index: int) -> tuple[str, str]:
        return iri(f"{_ID}work/synthetic-{index:07d}"), f"Synthetic Series {index}"

    def broadcaster(self, index: int) -> tuple[str, str]:
        return iri(f"{_ID}organization/synthetic-network-{index:04d}"), f"Synthetic Network {index}"

    def outlet(self, index: int) -> tuple[str, str]:
        return iri(f"{_ID}organization/synthetic-outlet-{index:03d}"), f"Synthetic News Outlet {index}"

    def seasons(self, work_index: int) -> int:
        return 1 + work_index % 6  # a fact about a work must agree across articles


FORMATS = ("nquads", "trig", "ntriples")  # ntriples puts every article in the default graph


def generate(stream: IO[str], target_quads: int, seed: int, violations: int = 0,
             ontology_lines: list[str] | None = None, fmt: str = "nquads",
             articles: int | None = None) -> Summary:
    """Write about `target_quads` statements in `fmt` to `stream`; the ontology lines go first.

    `articles`, when given, is the exact number of articles to write instead, in the world sized
    for `target_quads` (so that formats can be compared article for article).
    """
    rng = random.Random(seed)
    world = World(target_quads, rng)
    summary = Summary()
    inject = _injection_plan(target_quads, violations, rng)
    for line in ontology_lines or ():
        stream.write(line)
        summary.quads += 1
    number = 0
    last_injected = max(inject, default=-1)
    said_before: set[str] | None = set() if fmt == "ntriples" else None  # one graph for all
    while (number < articles if articles is not None
           else summary.quads < target_quads or number <= last_injected):
        article = Article(number, seed, said_before)
        outlet, outlet_label = world.outlet(world.popular(world.outlets))
        _write_story(article, world, outlet, outlet_label)
        if number in inject:
            summary.violations.append(_inject(article, world, inject[number]))
        header = article.header(seed, outlet, number)
        _write_article(stream, header, article, fmt)
        summary.quads += len(header) + len(article.lines)
        summary.articles += 1
        number += 1
    return summary


def _write_article(stream: IO[str], header: list[str], article: Article, fmt: str) -> None:
    stream.write("".join(f"{t} .\n" for t in header))
    if fmt == "nquads":
        stream.write("".join(f"{t} {article.graph} .\n" for t in article.lines))
    elif fmt == "trig":
        stream.write(f"{article.graph} {{\n" + "".join(f"{t} .\n" for t in article.lines) + "}\n")
    else:
        stream.write("".join(f"{t} .\n" for t in article.lines))


def _injection_plan(target_quads: int, violations: int, rng: random.Random) -> dict[int, str]:
    articles = max(violations, target_quads // TRIPLES_PER_ARTICLE, 1)
    chosen = sorted(rng.sample(range(articles), violations)) if violations else []
    return {number: VIOLATION_KINDS[i % len(VIOLATION_KINDS)] for i, number in enumerate(chosen)}


def _write_story(article: Article, world: World, outlet: str, outlet_label: str) -> None:
    rng = world.rng
    w_index = world.popular(world.works)
    work, work_label = world.work(w_index)
    creator, creator_label = world.person(world.popular(world.people))
    network, network_label = world.broadcaster(w_index % world.broadcasters)
    a = article
    a.entity(a.article, _S + "NewsArticle", f"Synthetic news about {work_label}")
    a.add(a.article, iri(_S + "headline"), text(f"Synthetic headline: {work_label} in the news"))
    a.add(a.article, iri(_S + "publisher"), outlet)
    a.entity(outlet, _S + "NewsMediaOrganization", outlet_label)
    a.entity(work, _S + "TVSeries", work_label)
    a.add(work, iri(_RDF + "type"), iri(_KG + "ScriptedSeries"))
    a.entity(creator, _S + "Person", creator_label)
    a.entity(network, _S + "Organization", network_label)
    a.fact(work, iri(_S + "creator"), creator, f"{work_label} was created by {creator_label}.")
    a.fact(work, iri(_KG + "originalBroadcaster"), network, f"{work_label} airs on {network_label}.")
    a.fact(work, iri(_S + "numberOfSeasons"), integer(world.seasons(w_index)),
           f"{work_label} ran for {world.seasons(w_index)} seasons.")
    for mentioned in (work, creator, network):
        a.add(a.article, iri(_S + "mentions"), mentioned)
    for r in range(rng.randint(1, 3)):
        _write_role(a, world, work, work_label, r)
    if rng.random() < 0.3:
        _write_cancellation(a, work, work_label, network, network_label, world.seasons(w_index))
    if rng.random() < 0.25:
        _write_inspiration(a, world, work, work_label, w_index)
    if rng.random() < 0.5:
        _write_quote(a, creator, creator_label, work, work_label, outlet)


def _write_role(a: Article, world: World, work: str, work_label: str, r: int) -> None:
    actor, actor_label = world.person(world.popular(world.people))
    character = iri(f"{_ID}character/{a.slug}-c{r}")
    name = f"Synthetic Character {a.slug[-7:]}-{r}"
    role = iri(f"{_ID}role/{a.slug}-r{r}")
    a.entity(actor, _S + "Person", actor_label)
    a.entity(character, _KG + "FictionalCharacter", name)
    a.entity(role, _S + "PerformanceRole", f"{actor_label} as {name} in {work_label}")
    said = f"{actor_label} plays {name} in {work_label}."
    a.fact(work, iri(_S + "actor"), role, said)
    a.fact(role, iri(_S + "actor"), actor, said)
    a.fact(role, iri(_S + "characterName"), text(name), said)
    a.fact(role, iri(_KG + "playsCharacter"), character, said)
    a.add(a.article, iri(_S + "mentions"), actor)


def _write_cancellation(a: Article, work: str, work_label: str, network: str, network_label: str, seasons: int):
    event = iri(f"{_ID}event/{a.slug}-cancellation")
    a.entity(event, _KG + "Cancellation", f"Cancellation of {work_label} ({a.slug})")
    said = f"{network_label} canceled {work_label} after {seasons} seasons, Synthetic News has learned."
    a.fact(event, iri(_S + "object"), work, said)
    a.fact(event, iri(_S + "agent"), network, said)
    a.fact(event, iri(_KG + "afterSeasons"), integer(seasons), said)


def _write_inspiration(a: Article, world: World, work: str, work_label: str, w_index: int) -> None:
    source_index = (w_index * 7 + 3) % world.works
    if source_index == w_index:
        return
    source, source_label = world.work(source_index)
    influence = iri(f"{_ID}influence/{a.slug}")
    a.entity(source, _S + "TVSeries", source_label)
    a.entity(influence, _KG + "Inspiration", f"{work_label} largely inspired by {source_label} ({a.slug})")
    said = f"{work_label} was largely inspired by {source_label}."
    a.fact(work, iri(_KG + "inspiredBy"), source, said)
    a.fact(work, iri(_KG + "qualifiedInspiration"), influence, said)
    a.fact(influence, iri(_KG + "influenceSource"), source, said)
    a.fact(influence, iri(_KG + "strength"), iri(_KG + "MajorInfluence"), said)
    a.fact(influence, iri(_KG + "hedgeText"), text("largely inspired by"), said)


def _write_quote(a: Article, person: str, person_label: str, work: str, work_label: str, outlet: str) -> None:
    quote = iri(f"{_ID}quote/{a.slug}")
    words = f"Synthetic words about {work_label}, for testing only."
    a.entity(quote, _S + "Quotation", f"{person_label}: “{words[:30]}…”")
    said = f"“{words}” {person_label} told Synthetic News."
    a.fact(quote, iri(_S + "text"), text(words), said)
    a.fact(quote, iri(_S + "creator"), person, said)
    a.fact(quote, iri(_KG + "attribution"), text("told Synthetic News"), said)
    a.fact(quote, iri(_KG + "toldTo"), outlet, said)
    a.fact(quote, iri(_S + "about"), work, said)


def _inject(a: Article, world: World, kind: str) -> Violation:
    """One violation of `kind` in this article; each yields exactly one validation result."""
    role = iri(f"{_ID}role/{a.slug}-r0")
    shape_sparql = _SH + "SPARQLConstraintComponent"
    if kind == "missing-label":
        a.lines = {line: None for line in a.lines if not line.startswith(f"{role} <{_RDFS}label>")}
        return Violation(kind, role[1:-1], _RDFS + "label", _SH + "MinCountConstraintComponent")
    if kind == "fact-without-claim":
        a.add(role, iri(_S + "roleName"), text(f"unevidenced role name {a.slug}"))
        return Violation(kind, role[1:-1], _S + "roleName", shape_sparql)
    if kind == "bad-datatype":
        claim, _ = a.fact(role, iri(_S + "roleName"), text("lead"), "The lead, the article hedged.")
        a.add(claim, iri(_KG + "hedge"), integer(1))
        return Violation(kind, claim[1:-1], _KG + "hedge", _SH + "DatatypeConstraintComponent")
    if kind == "claim-without-fact":
        claim, _ = a.fact(role, iri(_S + "roleName"), text("never asserted"), "A claim with no fact.",
                          with_fact=False)
        return Violation(kind, claim[1:-1], None, shape_sparql)
    extra, extra_label = world.person(world.people - 1)
    a.entity(extra, _S + "Person", extra_label)
    a.fact(role, iri(_S + "actor"), extra, f"{extra_label} also plays the part.")
    return Violation(kind, role[1:-1], _S + "actor", _SH + "MaxCountConstraintComponent")


def manifest_json(violations: list[Violation]) -> str:
    """The injected violations for --manifest, named as `validate -f json` names its results
    (full IRIs, "" for no path), so that the two join on focus node, path and component."""
    import json

    entries = [{"kind": v.kind, "focus": v.focus, "path": v.path or "", "component": v.component}
               for v in violations]
    return json.dumps(entries, indent=2) + "\n"


def ontology_quads(path) -> Iterator[str]:
    """The ontology's triples as N-Quads lines in the default graph."""
    import pyoxigraph as ox

    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        yield f"{quad.subject} {quad.predicate} {quad.object} .\n"
