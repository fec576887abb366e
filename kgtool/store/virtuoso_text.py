"""What Virtuoso 7.2 needs said differently, and how to read what it answers, found on the text.

Measured on Debian's 7.2.5 (tests/test_virtuoso.py):
- its compiler fails ("SQ156: Internal Optimized compiler error : unknown table for a column")
  on `EXISTS { { FILTER(e) } }`, the form kgtool's SHACL compiler gives sh:or / sh:not;
  `COALESCE((e), false)` means the same (the FILTER's error is false) and compiles;
- a boolean a query computes (`BIND(EXISTS {...} AS ?v)`, `(BOUND(?x) AS ?v)`) comes back as
  the integer 1 or 0 (xsd:integer), so the columns that hold one are found here and read back
  as xsd:boolean (kgtool.store.quirks);
- a `*` or `+` path answers wrongly beside other patterns: `?c rdfs:subClassOf* kg:Sentence`
  under MINUS misses the zero-length match, in an OPTIONAL or a UNION it adds or drops rows,
  beside a VALUES table it loses rows, and `?t rdfs:subClassOf* ?named` in a grouped subquery
  is refused ("transitive derived table but neither end of it is bound"). A path from a
  variable to an IRI is sent as the nodes it reaches (kgtool.store.remote finds them from the
  path's single steps); a VALUES table left beside a path, as a FILTER IN where that means the same;
- `sameTerm(?v, iri) || sameTerm(?v, iri2)` (sh:in) drops every row; `(?v = iri)` does not.
Tokens come from kgtool.store.guard, so strings, IRIs and comments are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from kgtool.store.guard import Token, tokens

# Functions and forms whose value is always a boolean.
_BOOLEAN_FORMS = frozenset({"EXISTS", "NOT", "BOUND", "SAMETERM", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL",
                            "ISNUMERIC", "REGEX", "CONTAINS", "STRSTARTS", "STRENDS", "LANGMATCHES", "TRUE",
                            "FALSE"})


def _solid(found: list[Token]) -> list[int]:
    """Indexes of the tokens that are not space or comments."""
    return [i for i, t in enumerate(found) if t.kind not in ("space", "comment")]


def _closing(found: list[Token], solid: list[int], at: int, opening: str, closing: str) -> int:
    """The position in `solid` of the bracket closing the one at solid[at]."""
    depth = 0
    for position in range(at, len(solid)):
        text = found[solid[position]].text
        depth += (text == opening) - (text == closing)
        if depth == 0:
            return position
    return -1


def boolean_columns(text: str) -> set[str]:
    """The variables a query binds to a boolean expression: `(EXISTS {...} AS ?v)`."""
    found = list(tokens(text))
    solid = _solid(found)
    columns = set()
    for position, index in enumerate(solid[:-1]):
        if found[index].text != "(" or found[solid[position + 1]].text.upper() not in _BOOLEAN_FORMS:
            continue
        end = _closing(found, solid, position, "(", ")")
        if end > position + 2 and found[solid[end - 2]].text.upper() == "AS" \
                and found[solid[end - 1]].kind == "variable":
            columns.add(found[solid[end - 1]].text[1:])
    return columns


def _filtered_end(found: list[Token], solid: list[int], at: int) -> int:
    """Where the FILTER's constraint starting at solid[at] ends: `( e )`, or `NOT EXISTS { P }` /
    `EXISTS { P }` (a FILTER without brackets); -1 for another form."""
    if found[solid[at]].text == "(":
        return _closing(found, solid, at, "(", ")")
    words = [found[solid[p]].text.upper() for p in range(at, min(at + 2, len(solid)))]
    opening = at + 1 if words[:1] == ["EXISTS"] else at + 2 if words == ["NOT", "EXISTS"] else -1
    if opening < 0 or opening >= len(solid) or found[solid[opening]].text != "{":
        return -1
    return _closing(found, solid, opening, "{", "}")


def without_exists_filters(text: str) -> str:
    """`EXISTS { { FILTER(e) } }` as `COALESCE((e), false)` (NOT EXISTS: `!COALESCE(...)`); so
    is `EXISTS { { FILTER NOT EXISTS { P } } }`, whose value is NOT EXISTS { P }'s."""
    found = list(tokens(text))
    pieces = [t.text for t in found]
    solid = _solid(found)
    for position in range(len(solid) - 1, -1, -1):  # from the end: inner ones first
        if found[solid[position]].text.upper() != "EXISTS":
            continue
        braces = position + 1
        while braces < len(solid) and found[solid[braces]].text == "{":
            braces += 1
        opened = braces - position - 1
        if not opened or braces + 1 >= len(solid) or found[solid[braces]].text.upper() != "FILTER":
            continue
        end = _filtered_end(found, solid, braces + 1)
        after = [found[solid[p]].text for p in range(end + 1, min(end + 1 + opened, len(solid)))]
        if end < 0 or after != ["}"] * opened:
            continue
        inner = "".join(pieces[solid[braces + 1]:solid[end] + 1])
        inner = inner if found[solid[braces + 1]].text == "(" else f"({inner})"
        start = position
        negated = position > 0 and found[solid[position - 1]].text.upper() == "NOT"
        if negated:
            start -= 1
        for i in range(solid[start], solid[end + opened] + 1):
            pieces[i] = ""
        pieces[solid[start]] = ("!" if negated else "") + f"COALESCE({inner}, false)"
    return "".join(pieces)


def _is_transitive_path(found: list[Token], solid: list[int], position: int) -> bool:
    """Whether the `*` or `+` at solid[position] closes a path (`p*`, `(a|b)+`), not arithmetic."""
    if found[solid[position]].text not in ("*", "+") or position == 0 or position + 1 >= len(solid):
        return False
    before, after = found[solid[position - 1]], found[solid[position + 1]]
    step = before.kind in ("iri", "name") or before.text == ")" or (before.kind == "word" and before.text == "a")
    return step and (after.kind in ("variable", "iri", "name") or after.text in ("[", "(", "/", "|"))


def _values_block(found: list[Token], solid: list[int], position: int) -> tuple[str, list[str], int] | None:
    """`VALUES ?v { iri ... }` at solid[position]: its variable, its IRIs, where its `}` is."""
    if found[solid[position]].text.upper() != "VALUES" or position + 2 >= len(solid) \
            or found[solid[position + 1]].kind != "variable" or found[solid[position + 2]].text != "{":
        return None
    terms, at = [], position + 3
    while at < len(solid) and found[solid[at]].kind in ("iri", "name") and not found[solid[at]].text.startswith("_:"):
        terms.append(found[solid[at]].text)
        at += 1
    if at >= len(solid) or found[solid[at]].text != "}" or not terms:
        return None  # literals (IN compares them by value, VALUES by term), UNDEF, blank nodes: kept
    return found[solid[position + 1]].text, terms, at


def _bound_in_group(found: list[Token], solid: list[int], start: int, end: int, name: str) -> bool:
    """Whether the group around solid[start:end] (a VALUES block) has a triple pattern of its own,
    outside nested groups and expressions, that mentions ?name: then every row of it binds ?name."""
    depth, opened = 0, start
    while opened > 0 and depth >= 0:
        opened -= 1
        depth += {"}": 1, "{": -1}.get(found[solid[opened]].text, 0)
    if depth >= 0:
        return False  # the query's trailing VALUES clause, outside every group
    braces = brackets = 0
    for position in range(opened + 1, len(solid)):
        if start <= position <= end:
            continue
        token = found[solid[position]]
        braces += {"{": 1, "}": -1}.get(token.text, 0)
        brackets += {"(": 1, ")": -1}.get(token.text, 0)
        if braces < 0:
            return False  # the group's own closing brace
        follows_values = found[solid[position - 1]].text.upper() == "VALUES"
        if braces == 0 and brackets == 0 and token.kind == "variable" and token.text[1:] == name \
                and not follows_values:
            return True
    return False


def values_as_filters(text: str) -> str:
    """In a query with a `*` or `+` path, each `VALUES ?v { iri ... }` whose group binds ?v in
    a triple pattern of its own as `FILTER (?v IN (iri, ...))`: the same rows (for IRIs `=` is
    sameTerm), which Virtuoso 7.2 gives where a VALUES table beside a transitive path loses
    rows, or makes it refuse the query ("transitive derived table but neither end bound")."""
    found = list(tokens(text))
    solid = _solid(found)
    if not any(_is_transitive_path(found, solid, p) for p in range(len(solid))):
        return text
    pieces = [t.text for t in found]
    for position in range(len(solid)):
        block = _values_block(found, solid, position)
        if block is None or not _bound_in_group(found, solid, position, block[2], block[0][1:]):
            continue
        variable, terms, end = block
        for i in range(solid[position], solid[end] + 1):
            pieces[i] = ""
        pieces[solid[position]] = f"FILTER ({variable} IN ({', '.join(terms)}))"
    return "".join(pieces)


@dataclass(frozen=True)
class Closable:
    """A triple pattern `s PATH* o` or `s PATH+ o`, one end a variable, the other an IRI: its text,
    which the path's closure (kgtool.store.remote_text.closure) can stand for exactly."""

    text: str
    subject: str
    path: str
    object: str
    star: bool
    bound: bool  # its one variable is bound by another triple pattern of its group

    def as_values(self, pairs: list[tuple[str, str]], iris: dict[str, str]) -> str:
        """The VALUES table of the pattern's solutions (`iris`: a constant end's N-Triples form);
        a FILTER IN when its group binds the variable anyway (Virtuoso fails on VALUES in EXISTS)."""
        variables = [end for end in (self.subject, self.object) if end.startswith(("?", "$"))]
        if variables[0] == self.subject:
            constant = iris[self.object]
            nodes = {a for a, b in pairs if b == constant}
        else:
            constant = iris[self.subject]
            nodes = {b for a, b in pairs if a == constant}
        if self.star:
            nodes.add(constant)  # the path of length zero
        if self.bound:  # IRIs or blank-free terms: `=` is sameTerm for them
            return f"FILTER ({variables[0]} IN ({', '.join(sorted(nodes))}))" if nodes else "FILTER (false)"
        return f"VALUES {variables[0]} {{ {' '.join(sorted(nodes))} }}"


def closable_paths(text: str) -> list[Closable]:
    """Every whole triple pattern `s PATH* o` or `s PATH+ o` (ending in `.` or `}`) with one end a
    variable and the other an IRI (both ends variables: kgtool.store.remote_text.unbounded_paths,
    when Virtuoso refuses them); none when the query names graphs, since the path's steps are read
    from the default graph."""
    from kgtool.store.remote_text import _path_start

    found = list(tokens(text))
    if any(t.kind == "word" and t.text.upper() in ("GRAPH", "FROM") for t in found):
        return []
    solid = _solid(found)
    patterns = []
    for n in range(2, len(solid) - 1):
        if found[solid[n]].text not in ("*", "+") or not _is_transitive_path(found, solid, n):
            continue
        start = _path_start(found, solid, n - 1)
        if start is None or start < 1:
            continue
        subject, obj = found[solid[start - 1]], found[solid[n + 1]]
        after = found[solid[n + 2]].text if n + 2 < len(solid) else ""
        before = found[solid[start - 2]].text if start >= 2 else "{"
        ends = [t.kind for t in (subject, obj)]
        star = found[solid[n]].text == "*"
        usable = sorted(ends) in (["iri", "variable"], ["name", "variable"])
        if usable and after in (".", "}") and before in (".", "{", "}"):
            variable = subject.text if subject.kind == "variable" else obj.text
            bound = _bound_in_group(found, solid, start - 1, n + 1, variable[1:])
            patterns.append(Closable("".join(t.text for t in found[solid[start - 1]:solid[n + 1] + 1]),
                                     subject.text, "".join(t.text for t in found[solid[start]:solid[n]]),
                                     obj.text, star, bound))
    return patterns


def declared_iris(text: str, names: list[str]) -> dict[str, str]:
    """Each IRI or prefixed name in `names` in N-Triples form, by the query's PREFIX lines."""
    found = [t for t in tokens(text) if t.kind not in ("space", "comment")]
    prefixes = {found[i + 1].text.split(":", 1)[0]: found[i + 2].text[1:-1] for i in range(len(found) - 2)
                if found[i].kind == "word" and found[i].text.upper() == "PREFIX" and found[i + 2].kind == "iri"}
    iris = {}
    for name in names:
        if name.startswith("<"):
            iris[name] = name
        elif name.split(":", 1)[0] in prefixes:
            iris[name] = f"<{prefixes[name.split(':', 1)[0]]}{name.split(':', 1)[1]}>"
    return iris


def same_terms_as_equals(text: str) -> str:
    """`sameTerm(?v, iri)` (either way round) as `(?v = iri)`: the same test for an IRI, since `=`
    of an IRI and any other term is false, never an error; Virtuoso 7.2 gets `sameTerm(...) ||
    sameTerm(...)` wrong (it drops every row), and `=` right."""
    found = list(tokens(text))
    solid = _solid(found)
    pieces = [t.text for t in found]
    for position in range(len(solid) - 5):
        window = [found[solid[position + k]] for k in range(6)]
        if window[0].text.upper() != "SAMETERM" or [w.text for w in window[1::2]] != ["(", ",", ")"]:
            continue
        ends = sorted((window[2], window[4]), key=lambda t: t.kind != "variable")
        if ends[0].kind != "variable" or ends[1].kind not in ("iri", "name") or ends[1].text.startswith("_:"):
            continue
        for i in range(solid[position], solid[position + 5] + 1):
            pieces[i] = ""
        pieces[solid[position]] = f"({ends[0].text} = {ends[1].text})"
    return "".join(pieces)
