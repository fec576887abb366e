"""The card skeleton as YAML, written by hand, comments and all (kgtool.cards.skeleton).

A value is written plain when YAML reads it back as the same text, else double-quoted
with JSON's escapes (which YAML's double quotes share); a no-break space is written
\\u00a0 so that the editor sees it (evidence must match the article to the character).
"""

from __future__ import annotations

import json
import re

from kgtool.cards.skeleton.clauses import WORKS

_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^\n\r\t]*")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"}
_FLOW = set(",[]{}")
_UNSEEN = re.compile("[\u00a0\u0085\u2028\u2029\u200b\ufeff\x7f]")


def scalar(value: str, flow: bool = False) -> str:
    text = str(value)
    if _plain(text) and not (flow and _FLOW & set(text)):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSEEN.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _plain(text: str) -> bool:
    return (bool(text) and text == text.strip() and _PLAIN.fullmatch(text) is not None and ": " not in text
            and " #" not in text and not text.endswith(":") and text.lower() not in _RESERVED
            and not text[0].isdigit() and not _UNSEEN.search(text) and text.isprintable())


def flow_list(values) -> str:
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


def flow_map(pairs: dict) -> str:
    return "{" + ", ".join(f"{scalar(k, flow=True)}: {scalar(v, flow=True)}" for k, v in pairs.items()) + "}"


class Writer:
    """Lines of YAML, each with an optional comment."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def line(self, text: str, comment: str = "") -> None:
        self.lines.append(f"{text}   # {_one_line(comment)}" if comment else text)

    def comment(self, text: str, depth: int = 0) -> None:
        self.lines.append("  " * depth + "# " + _one_line(text))

    def field(self, key: str, value: str, depth: int, comment: str = "") -> None:
        self.line(f"{'  ' * depth}{key}: {scalar(value)}", comment)

    def items(self, key: str, values, depth: int) -> None:
        if values:
            self.line("  " * depth + f"{key}:")
            for value in values:
                self.line("  " * depth + f"  - {scalar(value)}")

    def blank(self) -> None:
        self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def write_card(article: dict, sentences, names, matches: dict, index, facts, quotes) -> str:
    """The card as YAML text: the article: block, the sentences as comments, entities, facts, quotes."""
    writer = Writer()
    _article(writer, article, matches)
    _sentences(writer, sentences)
    _entities(writer, names, matches, index)
    _facts(writer, facts)
    _quotes(writer, quotes, names)
    return writer.text()


def _article(writer, article: dict, matches) -> None:
    from pathlib import PurePath

    outlet, outlet_words = article["outlet"]
    writer.comment("A card skeleton written by `kgtool new-card`: every entity, fact and quote below is a guess.")
    writer.comment("Confirm or delete each, then `kgtool add` the card (docs/cards.md describes every key).")
    writer.line("article:")
    writer.field("id", article["id"], 1)
    if article["text"] and PurePath(article["text"]).stem != article["id"]:
        writer.field("text", article["text"], 1)
    writer.field("headline", article["headline"], 1)
    if outlet is not None:
        match = matches.get(outlet.label)
        label = match.entity.label if match is not None and match.status == "matched" else outlet.label
        writer.field("outlet", label, 1, f'guessed from "{outlet_words}"')
    else:
        writer.comment("outlet: the publisher's name", 1)
    writer.comment("published: YYYY-MM-DD", 1)
    writer.comment("url: https://...", 1)
    if article["authors"]:
        writer.line(f"  author: {flow_list(article['authors'])}", "from the byline")
    else:
        writer.comment("author: [Some Writer]", 1)
    if article["fictional"]:
        writer.line("  fictional: true", "the text says it is fictional")
    else:
        writer.comment("fictional: true        # only for an article the project invented", 1)
    main = article["main"]
    if main is not None:
        writer.line(f"  about: {flow_list([main.label])}", "guessed: the article's main work")
    credit = article["credit"]
    if credit:
        creator, _, source = credit.partition("/")
        writer.comment(f"image: {flow_map({'credit': credit, 'creator': creator.strip(), 'source': source.strip()})}"
                       "   # the line under the headline looks like a photo credit", 1)
    writer.items("skip", article["skip"], 1)
    writer.items("related", article["related"], 1)


def _sentences(writer, sentences) -> None:
    writer.blank()
    writer.comment("The article's sentences (position: text), where evidence spans come from:")
    for sentence in sentences:
        writer.comment(f"{sentence.position}: {sentence.text}")


def _declared_type(entity, index) -> str | None:
    """The entity's most specific class, as a card names it (TVSeries, NewsMediaOrganization)."""
    ours = [t for t in entity.types if t.startswith(("https://schema.org/", "https://kgtool.example/ns#"))]
    specific = [t for t in ours if not any(t != other and t in index.ancestors(other) for other in ours)]
    specific.sort(key=lambda t: (not t.startswith("https://schema.org/"), t))
    return re.split(r"[/#]", specific[0])[-1] if specific else None


def _entities(writer, names, matches: dict, index) -> None:
    from kgtool.namespaces import compact

    writer.blank()
    writer.line("entities:")
    writer.comment("the names found; 'matches' reuses the graph's entity; a new one needs its type", 1)
    for name in names.by_label.values():
        also = sorted({m.words for m in name.mentions} - {name.label})
        more = f" (also: {', '.join(also)})" if also else ""
        match = matches.get(name.label)
        if match is not None and match.status == "matched":
            declared = _declared_type(match.entity, index)
            value = scalar(declared) if declared else flow_map({"iri": compact(match.entity.iri)})
            writer.line(f"  {scalar(name.label)}: {value}", f"matches {compact(match.entity.iri)}{more}")
        elif match is not None and match.status == "ambiguous":
            best = match.candidates[0][0]
            listed = ", ".join(f"{compact(e.iri)} ({e.label})" for e, _ in match.candidates[:4])
            writer.line(f"  {scalar(name.label)}: {flow_map({'iri': compact(best.iri)})}",
                        f"ambiguous: {listed}; keep the right iri, or write {{new: true, type: ...}}{more}")
        elif name.type is not None:
            why = f' ("{name.why}")' if name.why else ""
            writer.line(f"  {scalar(name.label)}: {scalar(name.type)}", f"new: {name.type}{why}{more}")
        else:
            writer.comment(f"{scalar(name.label)}: TYPE   # new, no type guessed: give one "
                           f"(Person, TVSeries, Organization, Place, ...) or leave it out{more}", 1)


def _facts(writer, facts) -> None:
    writer.blank()
    writer.line("facts:")
    if not facts:
        writer.comment("no fact found in the commonest phrasings: write them as - fact: A | verb | B", 1)
    for fact in facts:
        writer.line(f"  - fact: {scalar(fact.line)}", "; ".join(x for x in ("confirm or delete", fact.note) if x))
        writer.field("evidence", fact.evidence, 2)
        if fact.hedge:
            writer.field("hedge", fact.hedge, 2)
        if fact.mentions:
            writer.line(f"    as: {flow_map(fact.mentions)}")


def _quotes(writer, quotes, names) -> None:
    writer.blank()
    writer.line("quotes:")
    if not quotes:
        writer.comment("no quotation found", 1)
    for quote in quotes:
        if quote.speaker is None:  # left as comments: a card with a speaker "?" would not compile
            writer.comment("- speaker: ?   # no speaker found: name them and keep the quote, or leave it out", 1)
            writer.comment(f"  words: {scalar(quote.words)}", 1)
            continue
        writer.line(f"  - speaker: {scalar(quote.speaker.label)}", f"confirm or delete; {quote.note}")
        writer.field("words", quote.words, 2)
        if quote.attribution:
            writer.field("attribution", quote.attribution, 2)
        if len(quote.medium) == 1:
            writer.field("medium", quote.medium[0], 2)
        elif quote.platform:
            writer.comment(f"medium: a posting on {quote.platform} ({quote.platform} is named just before: "
                           "declare the posting as an entity, see docs/cards.md)", 2)
        about = _about(quote, names)
        if about:
            writer.line(f"    about: {flow_list(about)}")
        if quote.called:
            writer.line(f"    as: {flow_map({quote.speaker.label: quote.called})}")


def _about(quote, names) -> list[str]:
    """The works named in the quotation or its attribution."""
    found = []
    for mention, name in names.mentions:
        inside = quote.start < mention.start < quote.end
        told_of = quote.attribution and re.search(rf"\bof {re.escape(mention.words)}\b", quote.attribution)
        if (inside or told_of) and name.type in WORKS and name.label not in found:
            found.append(name.label)
    return found
