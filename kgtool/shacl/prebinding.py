"""Pre-binding of variables in SHACL-SPARQL queries (SHACL 1.0, section 5.3.1 and Appendix A).

SHACL defines pre-binding as values insertion: the table of pre-bound values is joined into
every basic graph pattern of the query, so `$this` is bound inside nested groups, UNION
branches, OPTIONAL parts, subqueries and `bound($this)` tests alike. A SPARQL processor that
joins the focus nodes in front of the query only (as the engine used to) misses them there.

`rewrite` inserts a table (the focus nodes and the parameter values) at the start of every
group that needs it. The table holds all focus nodes at once, which is the same as running the
query once per focus node and taking the union of the answers, because every group then binds
?this to a focus node, so a solution of one group only joins solutions of the same focus node:
join, OPTIONAL, UNION, FILTER, BIND, EXISTS and GROUP BY ?this all work row by row or per
?this. Only LIMIT and OFFSET count rows across focus nodes: such a query runs once per focus
node (`each_node`). A group needs no table when no pre-bound variable occurs in it, or when it
opens with triples that bind them all (its answers then join the table of an outer group, which
gives the same rows): so a query with one group (the common case) stays exactly what it was.
Such groups may still get the table as `optional`, which the engine keeps when the focus nodes
are a few VALUES (they then cut what an OPTIONAL part reads) and drops when they are a subquery.

`refuse` raises InputError for the queries that SHACL says a processor must refuse
(Appendix A): MINUS, SERVICE, VALUES, `AS ?var` for a pre-bound variable, and subqueries that
do not return every pre-bound variable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kgtool.errors import InputError

APPENDIX = "SHACL 1.0, Appendix A: pre-binding"
_TOKEN = re.compile(r'''
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<word>[A-Za-z_][\w\-.]*(?::[\w\-.:%]*)?|:[\w\-.:%]*)
  | (?P<other>.)
''', re.X | re.S)
# Words after which a triples block ends: the next element of the group starts.
_ELEMENTS = {"FILTER", "BIND", "OPTIONAL", "GRAPH", "MINUS", "SERVICE", "VALUES", "UNION"}
_FIXES = {
    "MINUS": "write FILTER NOT EXISTS { ... } instead",
    "SERVICE": "load the other data with kgtool load and query it here",
    "VALUES": "write FILTER (?var IN (...)) instead",
}


@dataclass
class Token:
    kind: str      # var, word, string, iri, other
    text: str
    start: int

    @property
    def name(self) -> str:
        """A variable's name without ? or $; a word in upper case; else the text."""
        if self.kind == "var":
            return self.text[1:]
        return self.text.rstrip(".").upper() if self.kind == "word" else self.text


def tokens(text: str) -> list[Token]:
    """The tokens of a SPARQL text that matter here (no spaces, no comments)."""
    found = []
    for match in _TOKEN.finditer(text):
        if match.lastgroup not in ("space", "comment"):
            found.append(Token(match.lastgroup, match.group(), match.start()))
    return found


def _braces(toks: list[Token]) -> dict[int, int]:
    """The index of the matching `}` for the index of each `{`."""
    pairs, stack = {}, []
    for i, tok in enumerate(toks):
        if tok.text == "{":
            stack.append(i)
        elif tok.text == "}" and stack:
            pairs[stack.pop()] = i
    return pairs


def mentions(text: str, names) -> bool:
    return any(t.kind == "var" and t.name in names for t in tokens(text))


def each_node(text: str) -> bool:
    """Whether the query counts rows across focus nodes (LIMIT, OFFSET): then it must run
    once per focus node."""
    return any(t.kind == "word" and t.name in ("LIMIT", "OFFSET") for t in tokens(text))


def refuse(text: str, prebound: set[str], returned: set[str], where: str) -> None:
    """InputError for what SHACL forbids in a query with pre-bound variables (Appendix A).
    `returned`: the variables a subquery must return (all pre-bound ones but $shapesGraph and
    $currentShape)."""
    toks = tokens(text)
    for i, tok in enumerate(toks):
        if tok.kind == "word" and tok.name in _FIXES:
            raise InputError(f"{tok.name} is not allowed in a SHACL-SPARQL query ({APPENDIX})",
                             where=where, fix=_FIXES[tok.name])
        if tok.kind == "word" and tok.name == "AS" and i + 1 < len(toks):
            var = toks[i + 1]
            if var.kind == "var" and var.name in prebound:
                raise InputError(f"'AS {var.text}' binds the pre-bound variable {var.text} again ({APPENDIX})",
                                 where=where, fix=f"bind another variable than {var.text}")
    pairs = _braces(toks)
    selects = [i for i, t in enumerate(toks) if t.kind == "word" and t.name == "SELECT"]
    top = 1 if selects and selects[0] == _first_select(toks) else 0
    for i in selects[top:]:
        missing = sorted(returned - _returned(toks, i, pairs))
        if missing:
            names = ", ".join("$" + m for m in missing)
            raise InputError(f"a subquery does not return the pre-bound variable {names} ({APPENDIX})",
                             where=where, fix=f"add {names} to the subquery's SELECT clause")


def _first_select(toks: list[Token]) -> int | None:
    """The index of the query's own SELECT, when it is a SELECT query (before any brace)."""
    for i, tok in enumerate(toks):
        if tok.text == "{":
            return None
        if tok.kind == "word" and tok.name == "SELECT":
            return i
    return None


def _returned(toks: list[Token], select: int, pairs: dict[int, int]) -> set[str]:
    """The variables the subquery whose SELECT is at `select` returns."""
    head, i = set(), select + 1
    while i < len(toks) and toks[i].text != "{" and toks[i].name != "WHERE":
        if toks[i].text == "*":
            start = _next_brace(toks, i)
            return _in_scope(toks, start, pairs.get(start, len(toks)))
        if toks[i].kind == "var":
            head.add(toks[i].name)
        i += 1
    return head


def _next_brace(toks: list[Token], i: int) -> int:
    while i < len(toks) and toks[i].text != "{":
        i += 1
    return i


def _in_scope(toks: list[Token], start: int, end: int) -> set[str]:
    """The variables a group binds (SPARQL 1.1, section 18.2.1), near enough: those outside
    expressions (FILTER, BIND and function calls are in parentheses) and EXISTS."""
    found, depth, i = set(), 0, start
    while i < end:
        tok = toks[i]
        if tok.kind == "word" and tok.name == "EXISTS":
            i = _braces(toks).get(_next_brace(toks, i), end)
        elif tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.kind == "var" and depth == 0:
            found.add(tok.name)
        i += 1
    return found


def rewrite(text: str, table: str, focus: set[str], params: str = "", param_names: set[str] = frozenset(),
            path: str | None = None, optional: str = "") -> str:
    """The query with `table` (which binds the variables `focus`) at the start of every group
    that needs it (see the module's docstring), `optional` (the table again, marked so that
    the caller may drop it) in the other groups that mention them, `params` (a VALUES row for
    the parameters) at the start of every group that mentions a parameter, and $PATH replaced
    by `path`. With LIMIT or OFFSET every group that mentions a variable of `focus` needs it."""
    toks = tokens(text)
    exact, pairs = each_node(text), _braces(toks)
    top = _next_brace(toks, 0)
    out, copied = [], 0
    for i, tok in enumerate(toks):
        if tok.kind == "var" and tok.name == "PATH" and path is not None:
            out.append(text[copied:tok.start] + path)
            copied = tok.start + len(tok.text)
        elif tok.text == "{" and i in pairs:
            if start_of_subquery(toks, i):
                continue  # the braces around a subquery: only its own WHERE group gets the table
            inside = {t.name for t in toks[i + 1:pairs[i]] if t.kind == "var"}
            needed = i == top or (inside & focus and (exact or not focus <= _opening_triples(toks, i, pairs[i])))
            # EXISTS runs once per row, with the focus node of the row already bound
            again = optional if inside & focus and not (i and toks[i - 1].name == "EXISTS") else ""
            parts = [table if needed else again,
                     params if i == top or inside & param_names else ""]
            if any(parts):
                out.append(text[copied:tok.start + 1] + " " + " ".join(p for p in parts if p) + " ")
                copied = tok.start + 1
    out.append(text[copied:])
    return "".join(out)


def start_of_subquery(toks: list[Token], i: int) -> bool:
    return i + 1 < len(toks) and toks[i + 1].name == "SELECT"


def _opening_triples(toks: list[Token], start: int, end: int) -> set[str]:
    """The variables of the triples that open the group, if it opens with triples."""
    found, i = set(), start + 1
    while i < end:
        tok = toks[i]
        if tok.text in ("{", "}") or (tok.kind == "word" and tok.name in _ELEMENTS):
            break
        if tok.kind == "var":
            found.add(tok.name)
        i += 1
    return found


def values_row(values: dict) -> str:
    """VALUES with one row binding each named variable to its term; "" for none."""
    from kgtool.shacl.constraints import term

    if not values:
        return ""
    names = " ".join("?" + name for name in values)
    return f"VALUES ({names}) {{ ({' '.join(term(v) for v in values.values())}) }}"


def selected(text: str) -> set[str]:
    """The variables the query's own SELECT returns (those in scope for SELECT *)."""
    toks = tokens(text)
    first = _first_select(toks)
    return set() if first is None else _returned(toks, first, _braces(toks))


def ask_body(text: str) -> tuple[str, str]:
    """An ASK query as its prologue (PREFIX lines) and its WHERE group, `{ ... }`."""
    toks = tokens(text)
    pairs = _braces(toks)
    for i, tok in enumerate(toks):
        if tok.kind == "word" and tok.name == "ASK":
            start = _next_brace(toks, i)
            if start in pairs:
                return text[:tok.start], text[toks[start].start:toks[pairs[start]].start + 1]
    raise InputError("an sh:ask that is not an ASK query", fix="write ASK { ... }")
