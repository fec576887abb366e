"""A card and its article's text compiled into the article's named graph.

Every fact line names its evidence, a span of the article; the span must be in one
sentence, and so must its hedge and any words the card says the sentence uses for an
entity. What the card does not say, the compiler derives: sentence nodes, claims, roles,
events, the article node and what it mentions. Any refusal names the card's
file:line:column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool.cards import sentences as text_sentences
from kgtool.cards.builder import A, LABEL, Builder, Evidence, Ref, kg, schema, trig
from kgtool.cards.card import Card, Fact, Quote
from kgtool.cards.entities import Names, Ontology, fold
from kgtool.cards.values import Value, date_or_words, parse_date, parse_qualifier, parse_value, split_line
from kgtool.cards.vocabulary import PATTERNS, PLAIN, unknown_verb
from kgtool.errors import CardError, EvidenceError
from kgtool.namespaces import BASE, PREFIXES, expand

PROV = PREFIXES["prov"]
NAMED_KINDS = ("/id/person/", "/id/organization/", "/id/work/", "/id/character/", "/id/place/")


@dataclass
class Compiled:
    ident: str
    graph: str
    quads: list[ox.Quad]
    trig: bytes
    sentences: list
    new: list[Ref] = field(default_factory=list)
    reused: list[Ref] = field(default_factory=list)
    hedges: list[str] = field(default_factory=list)
    claims: int = 0
    origins: dict[str, list[str]] = field(default_factory=dict)   # what -> the card's file:line:column


def compile_card(card: Card, text: str, index, ontology_path: Path) -> Compiled:
    """The article graph of `card`, whose article text is `text`, reconciled with `index` (the graph's entities)."""
    sentences = text_sentences.split(text, card.article["skip"])
    names = Names(index, card.entities, Ontology(ontology_path), set())
    build = Builder(card.ident)
    build.published = parse_date(card.article["published"]) if card.article["published"] else None
    build.add_sentences(sentences)
    for fact in card.facts:
        _compile_fact(fact, FactContext(build, names, sentences, fact))
    for quote in card.quotes:
        _compile_quote(quote, build, names, sentences)
    _describe_article(card, build, names, sentences)
    build.finish_claims()
    quads = build.sorted_quads()
    header = (f"# The article graph of {card.ident}, compiled by `kgtool add` from its card "
              f"(sources/{card.ident}.yaml).\n# Edit the card and add it again rather than this file.\n\n")
    hedges = sorted({hedge for _, e in build.claims for hedge in e.hedge})
    return Compiled(card.ident, build.graph.value, quads, trig(quads, header, build.article.value), sentences, names.new, names.reused,
                    hedges, len(build.claims), build.origins())


class FactContext:
    """What a verb sees of its fact line: subject, object, qualifiers, evidence; and how to state triples."""

    def __init__(self, build: Builder, names: Names, sentences, fact: Fact | None, where=None):
        self.build, self.names, self.sentences = build, names, sentences
        self.where = where if fact is None else fact.where
        self.hedge = () if fact is None else fact.hedge
        self.mention_words = {} if fact is None else fact.mentions
        self.subject: Ref | None = None
        self.value: Value | None = None
        self.qualifiers = []
        self.used: set[int] = set()      # the qualifiers a verb has read; the others are an error
        self.evidence: Evidence | None = None

    def fail(self, what: str, fix: str = "see docs/cards.md"):
        raise CardError(what, where=str(self.where), fix=fix)

    def locate(self, span: str, where) -> text_sentences.Sentence:
        try:
            return text_sentences.locate(span, self.sentences)
        except EvidenceError as exc:
            exc.where = str(where)
            raise

    def prove(self, span: str, where, hedge: tuple[str, ...] = (), strict: bool = True) -> Evidence:
        sentence = self.locate(span, where)
        for words in hedge:
            if not text_sentences.find_in(sentence, words):
                raise EvidenceError(f'hedge "{words}" is not in the sentence of its evidence (sentence '
                                    f'{sentence.position})', where=str(where), fix="copy the hedge words from that sentence")
        mentions = {}
        for label, words in self.mention_words.items():
            if not text_sentences.find_in(sentence, words):
                if not strict:  # a quote's `as:` speaks of its words' and its attribution's sentences
                    continue
                raise EvidenceError(f'"{words}" (for {label}) is not in sentence {sentence.position}',
                                    where=str(where), fix="as: gives the words the sentence uses for the entity")
            mentions[self.entity(label, None).iri] = text_sentences.as_written(words, sentence) or words
        return Evidence(sentence, text_sentences.as_written(span, sentence) or span, hedge, mentions, where)

    # What verbs call.
    def entity(self, label: str, expect: str | None) -> Ref:
        return self.names.entity(label, expect, self.where)

    def object_entity(self, expect: str | None) -> Ref:
        if self.value is None:
            self.fail("this fact kind needs an object", "write subject | verb | object")
        if self.value.kind == "text":
            self.fail(f"{self.value.raw} is quoted text, but this fact kind takes an entity", "leave out the quotes")
        return self.entity(self.value.raw, expect)

    def require(self, keyword: str, hint: str) -> str:
        found = next((q.rest for q in self.qualifiers if q.keyword == keyword), None)
        self.used.update(i for i, q in enumerate(self.qualifiers) if q.keyword == keyword)
        if not found:
            self.fail(f"this fact kind needs '{keyword} ...'", f"add {hint}")
        return found

    def derive(self, kind: str, parts: list, types: list[str], label: str) -> Ref:
        return self.build.describe(self.names.derive(kind, parts, types, label))

    def name_in_sentence(self, ref: Ref) -> str:
        """What the evidence sentence calls the entity: its label, the card's `as:` words, or a part of its name."""
        sentence = self.evidence.sentence
        if text_sentences.find_in(sentence, ref.label):
            return ref.label
        if ref.iri in self.evidence.mentions:
            return self.evidence.mentions[ref.iri]
        for name in (*ref.names, *_words(ref.label)):
            if text_sentences.find_in(sentence, name):
                return text_sentences.as_written(name, sentence) or name
        return ref.label

    def unused_qualifiers(self, verb: str, form: str) -> None:
        for index, q in enumerate(self.qualifiers):
            if index not in self.used:
                self.fail(f"'{q.text or (q.keyword + ' ' + q.rest).strip()}' means nothing to '{verb}'",
                          f"write it as {form} (docs/cards.md)")

    def term(self, curie: str) -> ox.NamedNode:
        return ox.NamedNode(expand(curie))

    def text(self, words: str) -> ox.Literal:
        return ox.Literal(words)

    def date(self, node: Ref, curie: str, raw: str) -> None:
        literal, is_date = date_or_words(raw)
        if is_date:
            self.state(node, curie, literal)
            return
        self.state(node, "kg:timeframe", literal)
        published = self.build.published
        if published is not None:
            self.state(node, "kg:timeframeAnchor", published)

    def state(self, subject: Ref, curie: str, obj, hedge="fact") -> None:
        evidence = self.evidence if hedge == "fact" else Evidence(self.evidence.sentence, self.evidence.span,
                                                                   tuple(hedge or ()),
                                                                   self.evidence.mentions, self.evidence.where)
        if isinstance(obj, Ref) and not obj.derived and any(kind in obj.iri for kind in NAMED_KINDS):
            self._check_named(obj, evidence)
        if isinstance(obj, ox.Literal) and curie in TEXT_PROPERTIES:
            obj = self._as_written(obj, evidence)
        self.build.state(subject, ox.NamedNode(expand(curie)), obj, evidence)

    def _as_written(self, literal: ox.Literal, evidence: Evidence) -> ox.Literal:
        """The article's own characters for quoted words (curly quotes, NBSP), which must be in the sentence."""
        written = text_sentences.as_written(literal.value, evidence.sentence)
        if written is None or not text_sentences.find_in(evidence.sentence, literal.value):
            raise EvidenceError(f'"{literal.value}" is not in the sentence of its evidence (sentence '
                                f'{evidence.sentence.position})', where=str(evidence.where),
                                fix="quote the article's words exactly")
        return ox.Literal(written, language=literal.language) if literal.language else ox.Literal(written)

    def _check_named(self, ref: Ref, evidence: Evidence) -> None:
        if ref.iri in evidence.mentions or names_in(Ref(ref.iri, ref.label, ()), evidence.sentence.text):
            return
        name = next((n for n in ref.names if text_sentences.find_in(evidence.sentence, n)), None)
        if name is not None:  # a name the graph may not hold: the claim keeps the words (kg:mention)
            evidence.mentions = {**evidence.mentions,
                                 ref.iri: text_sentences.as_written(name, evidence.sentence) or name}
            return
        raise EvidenceError(f"sentence {evidence.sentence.position} does not name {ref.label}",
                            where=str(evidence.where),
                            fix=f"say how it refers to it, e.g. as: {{{ref.label}: the words}}, or pick the sentence that names it")


TEXT_PROPERTIES = {"schema:text", "schema:description", "schema:alternateName", "schema:characterName",
                   "kg:attribution", "kg:hedgeText", "schema:creditText", "schema:genre"}
_SMALL = {"the", "a", "an", "of", "and", "in", "on", "at", "for", "to", "from", "version", "film", "series",
          "miniseries", "season"}


def names_in(ref: Ref, sentence: str) -> bool:
    """Whether the sentence names the entity: its label, an alternate name, or a word of them ("Dewan")."""
    for name in (ref.label, *ref.names):
        if text_sentences.find_in(sentence, name):
            return True
        for word in _words(name):
            if text_sentences.find_in(sentence, word):
                return True
    return False


def _words(name: str) -> list[str]:
    import re

    return [w for w in re.findall(r"[\w.'’-]+", name)
            if len(w) > 2 and w.lower() not in _SMALL and not w.isdigit()]


def _compile_fact(fact: Fact, context: FactContext) -> None:
    parts = split_line(fact.text)
    if len(parts) < 2 or not all(parts[:2]):
        context.fail(f"a fact line is subject | verb | object, not {fact.text!r}",
                     "separate the parts with |, e.g. Soundtrack | created by | Joshua Safran")
    subject_label, verb = parts[0], parts[1]
    context.evidence = context.prove(fact.evidence, fact.evidence_where, fact.hedge)
    context.value = parse_value(parts[2]) if len(parts) > 2 and parts[2] else None
    context.qualifiers = [parse_qualifier(q) for q in parts[3:] if q]
    key = verb.lower()
    if key in PATTERNS:
        context.subject = context.entity(subject_label, None)
        PATTERNS[key].compile(context)
        context.unused_qualifiers(verb, PATTERNS[key].line)
    elif key in PLAIN:
        _plain(context, subject_label, PLAIN[key])
        context.unused_qualifiers(verb, f"subject | {key} | object")
    elif ":" in verb and expand(verb) is not None:
        context.subject = context.entity(subject_label, None)
        obj = context.value
        if obj is None:
            context.fail("a property fact needs an object", "write subject | schema:xxx | object")
        target = obj.literal if obj.literal is not None else context.entity(obj.raw, None)
        context.state(context.subject, verb, target)
    else:
        error = unknown_verb(verb)
        error.where = str(fact.where)
        raise error


def _plain(context: FactContext, subject_label: str, plain) -> None:
    value = context.value
    if value is None:
        context.fail(f"'{subject_label} | ...' needs an object after the verb", "write subject | verb | object")
    if plain.value == "entity":
        obj = context.object_entity(plain.new_type)
        subject = context.entity(subject_label, None)
        if plain.reverse:
            subject, obj = obj, subject
        context.subject = subject
        context.state(subject, plain.prop, obj)
        return
    context.subject = context.entity(subject_label, None)
    if plain.value == "text":
        literal = value.literal if value.kind == "text" else ox.Literal(value.raw)
    elif plain.value == "number":
        from kgtool.cards.values import integer, parse_number

        number = parse_number(value.raw)
        if number is None:
            context.fail(f"{value.raw!r} is not a number", "write a number such as 10 or ten")
        literal = integer(number)
    else:
        context.date(context.subject, plain.prop, value.raw)
        return
    context.state(context.subject, plain.prop, literal)


def _compile_quote(quote: Quote, build: Builder, names: Names, sentences) -> None:
    from kgtool.cards.quotes import compile_quote

    compile_quote(quote, FactContext(build, names, sentences, None, where=quote.where))


def _describe_article(card: Card, build: Builder, names: Names, sentences) -> None:
    from kgtool.cards.article import describe_article

    describe_article(card, build, FactContext(build, names, sentences, None, where=card.spot("id")))
