"""SPARQL text for a remote endpoint: what kgtool's own store does for a query, done in the text.

The local store gets the known prefixes, the --param bindings (SPARQL substitution,
SEP-0007) and `kg:value` as arguments of pyoxigraph; an endpoint gets one text. So
here the text is rewritten, token by token (`kgtool.store.guard.tokens`: comments,
strings and IRIs are never touched): PREFIX lines for the known prefixes the query
does not declare; each bound variable replaced by its term (in a projection as
`(term AS ?var)`, in GROUP BY and ORDER BY as `(term)`, so the column stays); and
`kg:value(x)` as `(x)`, since an endpoint holds every literal as written. The
server quirks' rewrites live here too: paging a result past a silent row cap, and
an unbounded property path (`?x p+ ?y`, both ends variables) that Virtuoso refuses
("transitive start not given"; it refuses `?a p ?v . ?v p* ?b` too, and a start bound
by VALUES or IN), written as the VALUES of its pairs, found from its single steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgtool.errors import QueryError
from kgtool.namespaces import PREFIXES
from kgtool.store.guard import Token, tokens

_KG_VALUE = ("kg:value", f"<{PREFIXES['kg']}value>")
_CLAUSE_ENDS = {"WHERE", "FROM"}
_MODIFIERS = {"GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"}


def with_prefixes(text: str) -> str:
    """`text` with a PREFIX line for every known prefix it does not declare itself."""
    words = [t for t in tokens(text) if t.kind not in ("space", "comment")]
    declared = {words[i + 1].text.split(":", 1)[0] for i, t in enumerate(words[:-1])
                if t.kind == "word" and t.text.upper() == "PREFIX"}
    lines = [f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items() if name not in declared]
    return "".join(lines) + text


def for_endpoint(text: str, bindings: dict[str, Any] | None = None) -> str:
    """The query as an endpoint should get it: bindings substituted, kg:value dropped, prefixes declared."""
    pieces = _substituted(list(tokens(text)), {k: _term(v, k) for k, v in (bindings or {}).items()})
    return with_prefixes("".join(pieces))


def _term(value: Any, name: str) -> str:
    import pyoxigraph as ox

    if isinstance(value, ox.BlankNode):
        raise QueryError(f"--param {name}: a blank node cannot be sent to an endpoint",
                         fix="bind an IRI or a literal")
    return str(value)


def _substituted(found: list[Token], terms: dict[str, str]) -> list[str]:
    out: list[str] = []
    mode = ""  # "select": in a projection; "group"/"order": in those clauses
    depth = parens = 0  # braces; parentheses within the clause
    outer_star = False
    for i, token in enumerate(found):
        word = token.text.upper() if token.kind == "word" else ""
        if word in ("SELECT", "GROUP", "ORDER"):
            mode, parens = ("select" if word == "SELECT" else word.lower()), 0
        elif word in _CLAUSE_ENDS or word in _MODIFIERS or word in ("CONSTRUCT", "ASK", "DESCRIBE"):
            mode = ""
        if token.kind == "other":
            depth += {"{": 1, "}": -1}.get(token.text, 0)
            parens += {"(": 1, ")": -1}.get(token.text, 0)
            if token.text in "{}":
                mode = ""
        if mode == "select" and token.text == "*" and depth == 0:
            outer_star = True
        if _is_kg_value(token) and _next_text(found, i) == "(":
            continue  # kg:value(x) is (x): the endpoint holds every literal as written
        if token.kind == "variable" and token.text[1:] in terms:
            term = terms[token.text[1:]]
            if mode == "select" and parens == 0:
                out.append(f"({term} AS {token.text})")
            elif mode in ("group", "order") and parens == 0:
                out.append(f"({term})")
            elif not _after_as(found, i):
                out.append(term)
            else:
                out.append(token.text)
            continue
        out.append(token.text)
    if outer_star and terms:  # SELECT *: the bound variables come back as columns of their own
        names = " ".join(f"?{name}" for name in terms)
        out.append(f"\nVALUES ({names}) {{ ({' '.join(terms.values())}) }}")
    return out


def _is_kg_value(token: Token) -> bool:
    return (token.kind == "name" and token.text == _KG_VALUE[0]) or (token.kind == "iri" and token.text == _KG_VALUE[1])


def _next_text(found: list[Token], i: int) -> str:
    for token in found[i + 1:]:
        if token.kind not in ("space", "comment"):
            return token.text
    return ""


def _after_as(found: list[Token], i: int) -> bool:
    for token in reversed(found[:i]):
        if token.kind not in ("space", "comment"):
            return token.kind == "word" and token.text.upper() == "AS"
    return False


# -- the silent row cap: the same query, page by page ------------------------------------------

def paged(text: str, variables: list[str], size: int, offset: int) -> str | None:
    """`text` (a SELECT) cut to one page of `size` rows from `offset`, in an order that holds
    from page to page (its own ORDER BY, then every variable), as Virtuoso's documentation
    pages: the ordered query as a subquery, the slice outside it (an OFFSET past 10,000 on a
    sorted query of its own fails there). None when the query has a LIMIT or OFFSET of its
    own, which a page cannot be put over."""
    found = list(tokens(text))
    body_at = _after_prologue(found)
    depth, tail = 0, None
    for i, token in enumerate(found):
        if token.kind == "other" and token.text in "{}":
            depth += 1 if token.text == "{" else -1
            if depth == 0:
                tail = i + 1
    if tail is None:
        return None
    rest = found[tail:]
    modifiers = [t.text.upper() for t in rest if t.kind == "word"]
    if "LIMIT" in modifiers or "OFFSET" in modifiers:
        return None
    keys = " ".join(f"?{name}" for name in variables)
    values_at = next((j for j, t in enumerate(rest) if t.kind == "word" and t.text.upper() == "VALUES"), len(rest))
    ordering = f" {keys}" if "ORDER" in modifiers[:values_at] else f"\nORDER BY {keys}"
    prologue = "".join(t.text for t in found[:body_at])
    body = "".join(t.text for t in found[body_at:tail]) + "".join(t.text for t in rest[:values_at]).rstrip()
    values = "".join(t.text for t in rest[values_at:])
    return f"{prologue}\nSELECT * WHERE {{ {{\n{body}{ordering}\n{values}\n}} }} LIMIT {size} OFFSET {offset}\n"


def _after_prologue(found: list[Token]) -> int:
    """Where the query starts after its PREFIX and BASE lines (and the comments among them)."""
    i, at = 0, 0
    solid = [(n, t) for n, t in enumerate(found) if t.kind not in ("space", "comment")]
    while i < len(solid) and solid[i][1].kind == "word" and solid[i][1].text.upper() in ("PREFIX", "BASE"):
        i += 3 if solid[i][1].text.upper() == "PREFIX" else 2
        at = solid[i - 1][0] + 1 if i - 1 < len(solid) else len(found)
    return at


# -- unbounded property paths: `?x p+ ?y` with both ends variables -----------------------------

@dataclass(frozen=True)
class Unbounded:
    """One `?a PATH+ ?b` pattern: its text, its two variables and the path without the `+`."""

    text: str
    subject: str
    path: str
    object: str

    def one_step(self, query: str) -> str:
        """The query that finds the path's single steps, with `query`'s PREFIX lines."""
        found = list(tokens(query))
        prologue = "".join(t.text for t in found[:_after_prologue(found)])
        return f"{prologue}\nSELECT DISTINCT {self.subject} {self.object} WHERE {{ {self.subject} {self.path} {self.object} }}"

    def as_values(self, pairs: list[tuple[str, str]]) -> str:
        rows = " ".join(f"({a} {b})" for a, b in pairs)
        return f"VALUES ({self.subject} {self.object}) {{ {rows} }}"


def unbounded_paths(text: str) -> list[Unbounded]:
    """Every `?a PATH+ ?b` in `text` with both ends variables, the pattern ending in `.` or `}`
    (none when the query names graphs: the steps would be read from the default graph alone)."""
    found = list(tokens(text))
    if any(t.kind == "word" and t.text.upper() in ("GRAPH", "FROM") for t in found):
        return []
    solid = [i for i, t in enumerate(found) if t.kind not in ("space", "comment")]
    patterns = []
    for n, i in enumerate(solid):
        if found[i].text != "+" or n < 2 or n + 1 >= len(solid):
            continue
        start = _path_start(found, solid, n - 1)
        if start is None or start == 0:
            continue
        subject, obj = found[solid[start - 1]], found[solid[n + 1]]
        after = found[solid[n + 2]].text if n + 2 < len(solid) else ""
        before = found[solid[start - 2]].text if start >= 2 else "{"
        if subject.kind == "variable" and obj.kind == "variable" and after in (".", "}") and before in (".", "{", "}"):
            patterns.append(Unbounded("".join(t.text for t in found[solid[start - 1]:solid[n + 1] + 1]), subject.text,
                                      "".join(t.text for t in found[solid[start]:i]), obj.text))
    return patterns


def closure(steps: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every (a, b) joined by one or more steps, each once, in order."""
    following: dict[str, set[str]] = {}
    for a, b in steps:
        following.setdefault(a, set()).add(b)
    pairs = set()
    for start in following:
        seen, frontier = set(), [start]
        while frontier:
            node = frontier.pop()
            for nxt in following.get(node, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        pairs.update((start, end) for end in seen)
    return sorted(pairs)


def _path_start(found: list[Token], solid: list[int], n: int) -> int | None:
    """The index (in `solid`) where the path element that ends at `solid[n]` starts."""
    token = found[solid[n]]
    if token.text != ")":
        return n if token.kind in ("name", "iri") or token.text == "a" else None
    depth = 0
    for m in range(n, -1, -1):
        text = found[solid[m]].text
        depth += text == ")"
        depth -= text == "("
        if depth == 0:
            return m
    return None
