"""A card's quotes: who said what, where, to whom, about what; each part a claim with its sentence.

The quoted words are evidenced by the sentence that holds them; who said them, to whom
and where by the sentence that holds the attribution ("she raved to ET's Lauren Zima"),
which may be the one before or after a quotation that stands alone.
"""

from __future__ import annotations

from kgtool.cards import sentences as text_sentences
from kgtool.cards.builder import Evidence
from kgtool.cards.card import Quote
from kgtool.cards.entities import fold, slug
from kgtool.errors import CardError


def compile_quote(quote: Quote, context) -> None:
    words_sentence = context.locate(quote.words, quote.where)
    said = _attribution_evidence(quote, context, words_sentence)
    context.mention_words = quote.mentions
    speakers = [context.entity(label, "Person") for label in quote.speakers]
    character = context.entity(quote.character, "FictionalCharacter") if quote.character else None
    first = speakers[0] if speakers else character
    node = context.names.derive("quote", [quote.ident] if quote.ident else [first, *_first_words(quote.words)],
                                ["schema:Quotation"], _label(first.label, quote.words))
    context.build.describe(node)
    words = context.prove(quote.words, quote.where, quote.hedge, strict=False)
    words.mentions = {}
    context.evidence = words
    context.state(node, "schema:text", context.text(words.span))
    context.evidence = said
    for speaker in speakers:
        context.state(node, "schema:creator", speaker)
    if character is not None:
        context.state(node, "kg:spokenBy", character)
    if quote.attribution:
        context.state(node, "kg:attribution", context.text(said.span))
    for medium in quote.medium:
        _medium(context, node, medium, speakers)
    in_words = context.prove(quote.words, quote.where, strict=False).mentions
    context.evidence = Evidence(words_sentence, words.span, (), in_words, quote.where)
    for label, hedge in quote.about:
        context.state(node, "schema:about", context.entity(label, None), hedge=(hedge,) if hedge else ())
    _check_mentions(quote, context, [words_sentence, said.sentence])


def _check_mentions(quote: Quote, context, sentences) -> None:
    for label, words in quote.mentions.items():
        if not any(text_sentences.find_in(sentence, words) for sentence in sentences):
            raise CardError(f'"{words}" (for {label}) is in neither the quotation\'s sentence nor its attribution\'s',
                            where=str(quote.where), fix="as: gives the words those sentences use for the entity")


def _attribution_evidence(quote: Quote, context, words_sentence) -> Evidence:
    context.mention_words = quote.mentions
    if not quote.attribution:
        return context.prove(quote.words, quote.where, strict=False)
    found = text_sentences.locate_all(quote.attribution, context.sentences)
    if not found:
        return context.prove(quote.attribution, quote.where, strict=False)  # raises, with the closest sentence
    nearest = min(found, key=lambda s: abs(s.position - words_sentence.position))
    if abs(nearest.position - words_sentence.position) > 1:
        raise CardError(f'the attribution "{quote.attribution}" is not next to the quoted words '
                        f"(sentence {nearest.position}, the words in {words_sentence.position})",
                        where=str(quote.where), fix="give the attribution of this quotation")
    evidence = context.prove(nearest.text, quote.where, strict=False)
    evidence.span = text_sentences.as_written(quote.attribution, nearest) or quote.attribution
    return evidence


def _medium(context, node, medium: str, speakers) -> None:
    told = medium.lower().removeprefix("told to:").strip() if medium.lower().startswith("told to:") else None
    if told is not None:
        context.state(node, "kg:toldTo", context.entity(told, "NewsMediaOrganization"))
        return
    target = context.entity(medium, None)
    types = set(target.types)
    if any(t.endswith("SocialMediaPosting") for t in types):
        context.state(node, "schema:isPartOf", target)
    elif any(t.endswith("#Interview") for t in types):
        context.state(node, "kg:partOfInterview", target)
    elif speakers:
        label = f"{' and '.join(s.label for s in speakers)} on {target.label}"
        known = context.names.named.get(fold(label))
        posting = context.derive("posting", [*speakers, "on", target], ["schema:SocialMediaPosting"], label)
        if known is None:  # the posting's own facts, once, from the first quote of it
            for speaker in speakers:
                context.state(posting, "schema:author", speaker)
            context.state(posting, "kg:platform", target)
        context.state(node, "schema:isPartOf", posting)
    else:
        raise CardError(f"medium {medium!r} is neither a posting, an interview nor a platform",
                        where=str(context.where), fix='write medium: Twitter, or medium: "told to: ET"')


def _first_words(words: str) -> list[str]:
    return [w for w in slug(words).split("-")[:5]]


def _label(speaker: str, words: str) -> str:
    short = " ".join(words.split()[:8])
    return f"{speaker}: “{short}{'…' if len(words.split()) > 8 else ''}”"
