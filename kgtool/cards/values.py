"""The values a card's fact line holds: quoted text, numbers, dates as precise as the article.

A date is `2024`, `2024-10`, `2024-10-03`, `--10-03` (a day without a year) or words
("this fall", "earlier this week"), which stay words and are anchored to the article's
publication date rather than turned into a date the article does not give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.namespaces import expand

XSD = "http://www.w3.org/2001/XMLSchema#"

_DATES = [
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "date"),
    (re.compile(r"\d{4}-\d{2}"), "gYearMonth"),
    (re.compile(r"\d{4}"), "gYear"),
    (re.compile(r"--\d{2}-\d{2}"), "gMonthDay"),
    (re.compile(r"--\d{2}"), "gMonth"),
]
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "first": 1, "second": 2, "third": 3,
                 "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}


@dataclass(frozen=True)
class Value:
    """One piece of a fact line: text (quoted), a number, a date, or an entity's label."""

    raw: str
    kind: str                       # "text" | "number" | "date" | "words" | "label"
    literal: ox.Literal | None = None


def parse_value(raw: str) -> Value:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'" or raw[:1] == "“" and raw[-1:] == "”":
        text = raw[1:-1]
        return Value(raw, "text", ox.Literal(text))
    if re.fullmatch(r"-?\d+", raw) and not re.fullmatch(r"\d{4}", raw):
        return Value(raw, "number", ox.Literal(raw, datatype=ox.NamedNode(XSD + "integer")))
    date = parse_date(raw)
    if date is not None:
        return Value(raw, "date", date)
    if re.fullmatch(r"[a-z]+:[A-Za-z][\w-]*", raw) and expand(raw) is not None:
        return Value(raw, "iri", ox.NamedNode(expand(raw)))
    return Value(raw, "label")


def parse_date(raw: str) -> ox.Literal | None:
    for pattern, datatype in _DATES:
        if pattern.fullmatch(raw):
            return ox.Literal(raw, datatype=ox.NamedNode(XSD + datatype))
    return None


def parse_number(raw: str) -> int | None:
    """12, or a number word ("one", "second") as articles write them."""
    raw = raw.strip().lower()
    if re.fullmatch(r"\d+", raw):
        return int(raw)
    return _NUMBER_WORDS.get(raw)


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def date_or_words(raw: str) -> tuple[ox.Literal, bool]:
    """The date literal, and whether it is a date (False: words such as "this fall")."""
    date = parse_date(raw.strip())
    return (date, True) if date is not None else (ox.Literal(raw.strip()), False)


def split_line(text: str) -> list[str]:
    return [part.strip() for part in text.split("|")]


@dataclass(frozen=True)
class Qualifier:
    """A qualifier of a fact line: `after 1 season`, `season 2`, `in Soundtrack`, `as Joanna Kassem`."""

    keyword: str        # "after", "season", "in", "as", "for", "from", "episodes", "premieres", or "" (bare)
    rest: str
    text: str = ""      # as the card wrote it


_QUALIFIER = re.compile(r"(after|season|in|as|for|from|episodes|premieres|on|with)\b\s*(.*)", re.I | re.S)


def parse_qualifier(text: str) -> Qualifier:
    text = text.strip()
    found = re.fullmatch(r"(\d+|\w+)\s+episodes?", text, re.I)
    if found and parse_number(found.group(1)) is not None:
        return Qualifier("episodes", found.group(1), text)
    found = _QUALIFIER.fullmatch(text)
    if found:
        return Qualifier(found.group(1).lower(), found.group(2).strip(), text)
    return Qualifier("", text, text)


def seasons_count(text: str) -> int | None:
    """`1 season`, `one season`, `two seasons` -> the number."""
    found = re.fullmatch(r"(\w+)\s+seasons?", text.strip(), re.I)
    return parse_number(found.group(1)) if found else parse_number(text)
