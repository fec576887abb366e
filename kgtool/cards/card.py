"""An article card as the editor wrote it: read from YAML, every value with its file:line:column.

The card's vocabulary is documented in docs/cards.md. This module checks the card's shape
(which keys, of which kinds) and keeps where each value was written, so that every later
refusal (evidence not in the text, an ambiguous name) can name the card's line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgtool.errors import CardError, location

ARTICLE_KEYS = {"id", "text", "headline", "label", "outlet", "published", "url", "author", "fictional",
                "about", "skip", "related", "image"}
ENTITY_KEYS = {"type", "kinds", "names", "iri", "new"}
FACT_KEYS = {"fact", "evidence", "hedge", "as"}
QUOTE_KEYS = {"speaker", "words", "medium", "attribution", "about", "as", "id", "spoken by", "hedge"}
IMAGE_KEYS = {"credit", "creator", "source"}
TOP_KEYS = {"article", "entities", "facts", "quotes"}


@dataclass(frozen=True)
class Spot:
    """Where a value was written in the card."""

    path: str
    line: int | None = None    # 1-based, as editors count
    column: int | None = None

    def __str__(self) -> str:
        return location(self.path, self.line, self.column)


@dataclass
class Fact:
    text: str                 # "subject | verb | object | qualifier"
    evidence: str
    where: Spot
    evidence_where: Spot
    hedge: tuple[str, ...] = ()
    mentions: dict[str, str] = field(default_factory=dict)  # label -> the words the sentence uses


@dataclass
class Quote:
    speakers: list[str]
    words: str
    where: Spot
    medium: list[str] = field(default_factory=list)
    attribution: str | None = None
    about: list[tuple[str, str | None]] = field(default_factory=list)  # (label, hedge)
    mentions: dict[str, str] = field(default_factory=dict)
    ident: str | None = None
    character: str | None = None   # the fictional character who speaks the line
    hedge: tuple[str, ...] = ()


@dataclass
class Declared:
    label: str
    where: Spot
    type: str | None = None
    kinds: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    iri: str | None = None
    new: bool = False


@dataclass
class Card:
    path: Path
    article: dict[str, Any]
    article_where: dict[str, Spot]
    entities: list[Declared]
    facts: list[Fact]
    quotes: list[Quote]

    @property
    def ident(self) -> str:
        return self.article["id"]

    def spot(self, key: str) -> Spot:
        return self.article_where.get(key, Spot(str(self.path)))


def read_card(path: Path, data: bytes | None = None) -> Card:
    """The card at `path` (or its bytes `data`), its shape checked; CardError says where it is wrong."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    name = str(path)
    try:
        text = (data if data is not None else Path(path).read_bytes()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CardError(f"not UTF-8 text (byte {exc.start})", where=name, fix="save the card as UTF-8") from None
    except OSError as exc:
        raise CardError(f"cannot read the card: {exc.strerror}", where=name, fix="check the path") from None
    try:
        root = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise CardError(f"malformed YAML: {exc.problem or exc.context}",
                        where=location(name, mark.line + 1, mark.column + 1) if mark else name,
                        fix="see docs/cards.md for the card's form") from None
    reader = _Reader(name)
    root = reader.mapping(root, Spot(name, 1, 1), "the card", TOP_KEYS)
    if "article" not in root:
        raise CardError("the card has no article: block", where=name, fix="start with article: (see docs/cards.md)")
    article, article_where = reader.article(root["article"])
    return Card(Path(path), article, article_where,
                reader.entities(root.get("entities")), reader.facts(root.get("facts")), reader.quotes(root.get("quotes")))


class _Reader:
    def __init__(self, name: str):
        self.name = name

    def at(self, container, key=None, item=None) -> Spot:
        try:
            if key is not None:
                line, column = container.lc.key(key)
            elif item is not None:
                line, column = container.lc.item(item)
            else:
                line, column = container.lc.line, container.lc.col
        except (AttributeError, KeyError, TypeError):
            return Spot(self.name)
        return Spot(self.name, line + 1, column + 1)

    def value_at(self, container, key) -> Spot:
        try:
            line, column = container.lc.value(key)
        except (AttributeError, KeyError, TypeError):
            return self.at(container, key=key)
        return Spot(self.name, line + 1, column + 1)

    def fail(self, what: str, where: Spot, fix: str = "see docs/cards.md"):
        raise CardError(what, where=str(where), fix=fix)

    def mapping(self, value, where: Spot, what: str, allowed: set[str]):
        if not isinstance(value, dict):
            self.fail(f"{what} must be a mapping of keys to values", where)
        for key in value:
            if str(key) not in allowed:
                self.fail(f"unknown key {key!r} in {what}", self.at(value, key=key),
                          f"use one of: {', '.join(sorted(allowed))} (docs/cards.md)")
        return value

    def text(self, container, key, what: str, required: bool = False) -> str | None:
        if key not in container or container[key] is None:
            if required:
                self.fail(f"{what} needs {key}:", self.at(container), f"add {key}: to it")
            return None
        value = container[key]
        if isinstance(value, (dict, list)):
            self.fail(f"{key}: of {what} must be one piece of text", self.value_at(container, key))
        return str(value).strip()

    def texts(self, container, key, what: str) -> list[str]:
        value = container.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            if not all(isinstance(v, (str, int, float)) for v in value):
                self.fail(f"{key}: of {what} must be a list of texts", self.value_at(container, key))
            return [str(v).strip() for v in value]
        if isinstance(value, dict):
            self.fail(f"{key}: of {what} must be a text or a list of texts", self.value_at(container, key))
        return [str(value).strip()]

    def article(self, value):
        block = self.mapping(value, Spot(self.name), "article:", ARTICLE_KEYS)
        where = {str(k): self.value_at(block, k) for k in block}
        article: dict[str, Any] = {}
        for key in ("id", "text", "headline", "label", "outlet", "url"):
            article[key] = self.text(block, key, "article:", required=key in ("id", "headline"))
        published = block.get("published")
        article["published"] = None if published is None else str(published).strip()
        fictional = block.get("fictional", False)
        if not isinstance(fictional, bool):
            self.fail("fictional: must be true or false", where["fictional"])
        article["fictional"] = fictional
        for key in ("author", "about", "skip", "related"):
            article[key] = self.texts(block, key, "article:")
        image = block.get("image")
        article["image"] = None
        if image is not None:
            image = self.mapping(image, where["image"], "image:", IMAGE_KEYS)
            article["image"] = {k: self.text(image, k, "image:") for k in IMAGE_KEYS}
            where.update({f"image.{k}": self.value_at(image, k) for k in image})
        _check_slug(article["id"], where["id"])
        return article, where

    def entities(self, value) -> list[Declared]:
        if value is None:
            return []
        if not isinstance(value, dict):
            self.fail("entities: must map each label to its type or details", Spot(self.name))
        found = []
        for label, details in value.items():
            where = self.at(value, key=label)
            if isinstance(details, str):
                found.append(Declared(str(label).strip(), where, type=details.strip()))
                continue
            details = self.mapping(details, where, f"entity {label!r}", ENTITY_KEYS)
            new = details.get("new", False)
            if not isinstance(new, bool):
                self.fail("new: must be true or false", self.value_at(details, "new"))
            found.append(Declared(str(label).strip(), where, type=self.text(details, "type", f"entity {label!r}"),
                                  kinds=self.texts(details, "kinds", f"entity {label!r}"),
                                  names=self.texts(details, "names", f"entity {label!r}"),
                                  iri=self.text(details, "iri", f"entity {label!r}"), new=new))
        return found

    def items(self, value, what: str):
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{what}: must be a list (each item starts with '- ')", Spot(self.name))
        return [(item, self.at(value, item=index)) for index, item in enumerate(value)]

    def mentions(self, item, what: str) -> dict[str, str]:
        value = item.get("as")
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(f"as: of {what} must map a label to the words the sentence uses",
                      self.value_at(item, "as"), "write as: {Netflix: the streamer}")
        return {str(k).strip(): str(v).strip() for k, v in value.items()}

    def facts(self, value) -> list[Fact]:
        found = []
        for item, where in self.items(value, "facts"):
            if isinstance(item, str):
                self.fail("a fact needs its evidence", where,
                          "write - fact: A | verb | B, with evidence: the words of the article")
            item = self.mapping(item, where, "a fact", FACT_KEYS)
            found.append(Fact(self.text(item, "fact", "a fact", required=True),
                              self.text(item, "evidence", "a fact", required=True),
                              self.value_at(item, "fact"), self.value_at(item, "evidence"),
                              hedge=tuple(self.texts(item, "hedge", "a fact")), mentions=self.mentions(item, "a fact")))
        return found

    def quotes(self, value) -> list[Quote]:
        found = []
        for item, where in self.items(value, "quotes"):
            item = self.mapping(item, where, "a quote", QUOTE_KEYS)
            about = []
            for entry in item.get("about") or []:
                if isinstance(entry, dict) and len(entry) == 1:
                    (label, hedge), = entry.items()
                    about.append((str(label).strip(), str(hedge).strip()))
                elif isinstance(entry, str):
                    about.append((entry.strip(), None))
                else:
                    self.fail("about: items are labels, or {label: hedge words}", self.value_at(item, "about"))
            speakers = self.texts(item, "speaker", "a quote")
            character = self.text(item, "spoken by", "a quote")
            if not speakers and not character:
                self.fail("a quote needs its speaker:", where, "add speaker: the person (or a list of people)")
            found.append(Quote(speakers, self.text(item, "words", "a quote", required=True),
                               self.value_at(item, "words"), medium=self.texts(item, "medium", "a quote"),
                               attribution=self.text(item, "attribution", "a quote"), about=about,
                               mentions=self.mentions(item, "a quote"), ident=self.text(item, "id", "a quote"),
                               character=character, hedge=tuple(self.texts(item, "hedge", "a quote"))))
        return found


def _check_slug(ident: str, where: Spot) -> None:
    import re

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        raise CardError(f"article id {ident!r} is not a slug", where=str(where),
                        fix="use lower-case letters, digits and hyphens, e.g. et-soundtrack-canceled")
