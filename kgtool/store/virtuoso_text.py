"""What Virtuoso 7.2 needs said differently, and how to read what it answers, found on the text.

Measured on Debian's 7.2.5 (tests/test_virtuoso.py):
- its compiler fails ("SQ156: Internal Optimized compiler error : unknown table for a column")
  on `EXISTS { { FILTER(e) } }`, the form kgtool's SHACL compiler gives sh:or / sh:not;
  `COALESCE((e), false)` means the same (the FILTER's error is false) and compiles;
- a boolean a query computes (`BIND(EXISTS {...} AS ?v)`, `(BOUND(?x) AS ?v)`) comes back as
  the integer 1 or 0 (xsd:integer), so the columns that hold one are found here and read back
  as xsd:boolean (kgtool.store.quirks).
Tokens come from kgtool.store.guard, so strings, IRIs and comments are never touched.
"""

from __future__ import annotations

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


def without_exists_filters(text: str) -> str:
    """`EXISTS { { FILTER(e) } }` as `COALESCE((e), false)` (NOT EXISTS: `!COALESCE(...)`)."""
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
        if not opened or braces + 1 >= len(solid) or found[solid[braces]].text.upper() != "FILTER" \
                or found[solid[braces + 1]].text != "(":
            continue
        end = _closing(found, solid, braces + 1, "(", ")")
        after = [found[solid[p]].text for p in range(end + 1, min(end + 1 + opened, len(solid)))]
        if end < 0 or after != ["}"] * opened:
            continue
        inner = "".join(pieces[solid[braces + 1]:solid[end] + 1])
        start = position
        negated = position > 0 and found[solid[position - 1]].text.upper() == "NOT"
        if negated:
            start -= 1
        for i in range(solid[start], solid[end + opened] + 1):
            pieces[i] = ""
        pieces[solid[start]] = ("!" if negated else "") + f"COALESCE({inner}, false)"
    return "".join(pieces)
