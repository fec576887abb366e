"""What kgtool checks in a SPARQL text before running it, and how it words SPARQL errors.

kgtool never reaches the network and never changes the graph through a query, but
pyoxigraph would: SERVICE opens a connection to any IRI (a variable one too, built
from the data), and LOAD fetches a document. So the text is scanned before it runs.
The scan is lexical, as the SPARQL grammar's own terminals are (SPARQL 1.1, section
19.8): comments, strings and IRIs are skipped, and a keyword counts only as a bare
word, so `ex:SERVICE`, `?service`, "SERVICE" or <http://x/SERVICE> are not refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from kgtool.errors import ParseError, QueryError
from kgtool.namespaces import PREFIXES

# One alternative per terminal kgtool must tell apart; the first that matches wins,
# so a long string is tried before a short one and an IRI before a '<' operator.
_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<variable>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+)
  | (?P<language>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<name>(?:[^\W\d][\w.-]*)?:(?:[\w:%.-]|\\.)*|_:[\w.-]+)
  | (?P<word>[^\W\d]\w*)
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

# The SPARQL 1.1 Update operations (section 3): none is a word of the query language.
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
_REFUSED = UPDATE_WORDS | {"SERVICE"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    line: int
    column: int


def tokens(text: str) -> Iterator[Token]:
    """The SPARQL text's terminals, each with its 1-based line and column."""
    line, line_start = 1, 0
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup or "other", match.group()
        yield Token(kind, value, line, match.start() - line_start + 1)
        newlines = value.count("\n")
        if newlines:
            line += newlines
            line_start = match.start() + value.rindex("\n") + 1


def check_query(text: str, source: str = "query") -> None:
    """Refuse, before anything runs, a query that would reach the network or change the graph."""
    token = _refused_word(text)
    if token is not None:
        word = token.text.upper()
        where = f"{source}:{token.line}:{token.column}"
        if word == "SERVICE":
            raise QueryError("SERVICE would send the query to another server, and kgtool never "
                             "reaches the network", where=where,
                             fix="remove the SERVICE block, or load the other data with kgtool load")
        if word == "LOAD":
            raise QueryError("LOAD would fetch a document from the network, and kgtool queries are "
                             "read-only", where=where, fix="download the file and add it with kgtool load")
        if word in UPDATE_WORDS:
            raise QueryError(f"{word} is a SPARQL Update, and kgtool queries are read-only", where=where,
                             fix="change the RDF files and load them again (kgtool load)")


def check_update(text: str, source: str = "update") -> None:
    """Refuse an update that would reach the network: LOAD, or SERVICE in a WHERE (its other words are allowed)."""
    upper = text.upper()
    if "SERVICE" not in upper and "LOAD" not in upper:
        return
    for token in tokens(text):
        if token.kind == "word" and token.text.upper() in ("SERVICE", "LOAD"):
            where = f"{source}:{token.line}:{token.column}"
            if token.text.upper() == "SERVICE":
                raise QueryError("SERVICE would make the server send a query to another server, and kgtool "
                                 "never reaches the network", where=where, fix="remove the SERVICE block")
            raise QueryError("LOAD would make the server fetch a document from the network, and kgtool never "
                             "reaches the network", where=where,
                             fix="send the data in the update (INSERT DATA) or PUT it to /store")


@lru_cache(maxsize=256)  # the SHACL engine runs the same text once per focus node
def _refused_word(text: str) -> Token | None:
    """The first bare SERVICE, LOAD or update keyword of the text."""
    upper = text.upper()
    if not any(word in upper for word in _REFUSED):  # most texts: a few passes in C, no tokens
        return None
    return next((t for t in tokens(text) if t.kind == "word" and t.text.upper() in _REFUSED), None)


def declared_prefixes(text: str) -> set[str]:
    """The prefixes the query's own PREFIX lines declare."""
    found, after_prefix = set(), False
    for token in tokens(text):
        if token.kind in ("space", "comment"):
            continue
        if after_prefix and token.kind == "name" and token.text.endswith(":"):
            found.add(token.text[:-1])
        after_prefix = token.kind == "word" and token.text.upper() == "PREFIX"
    return found


def unknown_prefix(text: str) -> Token | None:
    """The first prefixed name whose prefix neither kgtool nor the query declares."""
    known = set(PREFIXES) | declared_prefixes(text)
    for token in tokens(text):
        if token.kind == "name" and not token.text.startswith("_:"):
            if token.text.split(":", 1)[0] not in known:
                return token
    return None


def prefix_list() -> str:
    """The prefixes kgtool declares for every query, the most used first."""
    first = ["schema", "kg"]
    return ", ".join(first + [p for p in PREFIXES if p not in first])


def explain(message: str, text: str, source: str) -> ParseError | None:
    """A clear error for the parser messages that show its internals, or None to keep its own."""
    if "Prefix not found" in message:
        token = unknown_prefix(text)
        if token is not None:
            prefix = token.text.split(":", 1)[0]
            return ParseError(f"unknown prefix {prefix}: at {token.line}:{token.column}", where=source,
                              fix=f"declare it with PREFIX or use one of: {prefix_list()}")
    position = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if position:
        detail = tidy(position[3])
        if detail != " ".join(position[3].split()):
            return ParseError(f"malformed SPARQL: {detail}", where=f"{source}:{position[1]}:{position[2]}",
                              fix="fix the query at that position")
    return None


# What the parser lists among the things it expected that no user can write: "any
# character" ([_]) and the RDF-star tokens of a SPARQL 1.2 draft pyoxigraph also parses.
_INTERNAL = {"[_]", '"{|"', '"~"'}
_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s,"]+')
_READABLE = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z]\w*|\[_\]')


def tidy(detail: str) -> str:
    """The parser's 'expected one of ...' without its internals; other messages as they are."""
    detail = " ".join(detail.split())
    if detail == "expected IRI parsing failed":
        return "not a valid IRI (a space, or one of <>\"{}|^` in it?)"
    listed = re.fullmatch(r"expected(?: one of)? (.*)", detail)
    if not listed:
        return detail
    items = _ITEM.findall(listed[1])
    if not all(_READABLE.fullmatch(item) for item in items):
        return detail
    items = [item for item in items if item not in _INTERNAL]
    if not items:
        return "unexpected text here"
    return "expected " + (items[0] if len(items) == 1 else "one of " + ", ".join(items))
