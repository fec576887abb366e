"""SPARQL Update over HTTP (only with --allow-update): refused words, and the protocol's dataset.

An update may change the graph but, as a query, may never make the server open a
connection: `LOAD` fetches a document and `SERVICE` (inside a WHERE) sends a query,
so both are refused before anything runs. `using-graph-uri` / `using-named-graph-uri`
(SPARQL 1.1 Protocol, 2.2.3) mean a USING / USING NAMED clause on every operation
that has a WHERE; the text is rewritten so, lexically (kgtool.store.guard's tokens),
and an operation that names its own dataset (USING, WITH) with them is a 400.
"""

from __future__ import annotations

from kgtool.errors import QueryError
from kgtool.server.protocol import ProtocolError
from kgtool.store import guard


def with_dataset(text: str, graphs: tuple[str, ...], named: tuple[str, ...]) -> str:
    """The update with USING <g> / USING NAMED <g> before the WHERE of each operation that has one."""
    if not graphs and not named:
        return text
    clause = "".join(f" USING <{g}>" for g in graphs) + "".join(f" USING NAMED <{g}>" for g in named) + " "
    pieces: list[str] = []
    depth, words = 0, []  # words: the bare words of the current operation, at depth 0
    for token in guard.tokens(text):
        if token.kind == "other" and token.text in "{}":
            if depth == 0 and token.text == "{":
                words.append("{")  # a template: DELETE { ... } WHERE, not DELETE WHERE
            depth += 1 if token.text == "{" else -1
        elif depth == 0 and token.kind == "other" and token.text == ";":
            words = []
        elif depth == 0 and token.kind == "word":
            word = token.text.upper()
            if word in ("USING", "WITH"):
                raise ProtocolError(400, f"the update names its dataset with {word} and the request with "
                                    "using-graph-uri or using-named-graph-uri",
                                    where=f"update:{token.line}:{token.column}", fix="give one of the two")
            if word == "WHERE" and _modifies(words):
                pieces.append(clause)
            words.append(word)
        pieces.append(token.text)
    return "".join(pieces)


def _modifies(words: list[str]) -> bool:
    """Whether an operation's words so far open a DELETE/INSERT ... WHERE (not DELETE WHERE)."""
    operation = [w for w in words if w not in ("PREFIX", "BASE")]
    return bool(operation) and operation[0] in ("INSERT", "DELETE") and operation[1:2] == ["{"]
