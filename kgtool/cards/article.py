"""The article node of a card and its named graph's provenance.

Headline, outlet, date, URL and authors describe the article rather than report news, so
they carry no claims; the photo credit does (its sentence is the credit line). What the
article mentions is derived: every named entity its facts and quotes speak of.
"""

from __future__ import annotations

import pyoxigraph as ox

from kgtool.cards.builder import A, LABEL, Evidence, Ref, kg, schema
from kgtool.cards.entities import slug
from kgtool.cards.values import parse_date
from kgtool.errors import CardError
from kgtool.namespaces import BASE, PREFIXES

PROV = PREFIXES["prov"]
NAMED = ("/id/person/", "/id/organization/", "/id/work/", "/id/character/", "/id/place/")


def describe_article(card, build, context) -> None:
    meta, article = card.article, build.article
    outlet = context.entity(meta["outlet"], "NewsMediaOrganization") if meta["outlet"] else None
    if meta["image"]:
        _image(card, build, context)
    add = build.add
    add(article, A, schema("NewsArticle"))
    add(article, A, ox.NamedNode(PROV + "Entity"))
    label = meta["label"] or (f"{outlet.label}: {meta['headline']}" if outlet else meta["headline"])
    add(article, LABEL, ox.Literal(label))
    add(article, schema("headline"), ox.Literal(meta["headline"]))
    add(article, kg("sourceFile"), ox.Literal(f"sources/{card.ident}.txt"))
    if meta["fictional"]:
        add(article, kg("fictional"), ox.Literal("true", datatype=ox.NamedNode(PREFIXES["xsd"] + "boolean")))
    if outlet is not None:
        build.describe(outlet)
        add(article, schema("publisher"), outlet.node)
    _dated(card, build)
    if meta["url"]:
        add(article, schema("url"), ox.Literal(meta["url"], datatype=ox.NamedNode(PREFIXES["xsd"] + "anyURI")))
    for name in meta["author"]:
        author = build.describe(context.entity(name, "Person"))
        add(article, schema("author"), author.node)
    for name in meta["about"]:
        add(article, schema("about"), context.entity(name, None).node)
    for headline in meta["related"]:
        _related(build, context, headline, card.spot("related"))
    for ref in build.described.values():
        if not ref.derived and any(kind in ref.iri for kind in NAMED):
            add(article, schema("mentions"), ref.node)
    _provenance(card, build, outlet, label)


def _dated(card, build) -> None:
    published = card.article["published"]
    if published is None:
        return
    literal = parse_date(published)
    if literal is None or "-" not in published[1:]:
        raise CardError(f"published: {published!r} is not a date", where=str(card.spot("published")),
                        fix="write it as YYYY-MM-DD")
    build.add(build.article, schema("datePublished"), literal)


def _image(card, build, context) -> None:
    image, credit = card.article["image"], card.article["image"]["credit"]
    where = card.spot("image.credit")
    if not credit:
        raise CardError("image: needs its credit:", where=str(card.spot("image")), fix="give the credit line's words")
    node = context.derive("image", [card.ident, "photo"], ["schema:ImageObject"], f"Photo: {credit}")
    context.evidence = context.prove(credit, where)
    build.add(build.article, schema("image"), node.node)
    context.state(node, "schema:creditText", ox.Literal(context.evidence.span))
    if image.get("creator"):
        context.state(node, "schema:creator", context.entity(image["creator"], "Person"))
    if image.get("source"):
        context.state(node, "schema:sourceOrganization", context.entity(image["source"], "Organization"))


def _related(build, context, headline: str, where) -> None:
    context.prove(headline, where)   # a related headline is printed in the article
    node = ox.NamedNode(f"{BASE}id/article/{slug(headline)}")
    build.add(node, A, schema("NewsArticle"))
    build.add(node, LABEL, ox.Literal(headline))
    build.add(node, schema("headline"), ox.Literal(headline))
    build.add(build.article, kg("relatedArticle"), node)


def _provenance(card, build, outlet: Ref | None, label: str) -> None:
    graph, default = build.graph, ox.DefaultGraph()
    build.add(graph, A, kg("ArticleGraph"), default)
    build.add(graph, A, ox.NamedNode(PROV + "Entity"), default)
    build.add(graph, LABEL, ox.Literal(f"What the article “{card.article['headline']}” says"), default)
    build.add(graph, ox.NamedNode(PROV + "wasDerivedFrom"), build.article, default)
    if outlet is not None:
        build.add(graph, ox.NamedNode(PROV + "wasAttributedTo"), outlet.node, default)
