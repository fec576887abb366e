"""Terms as written: the literals pyoxigraph's store would rewrite, kept exact.

pyoxigraph's parsers keep every literal as written, but its Store keeps a typed literal
of a datatype it knows as its value, and gives back that value's canonical form
(tests/test_terms.py finds exactly which, over every XSD datatype):

| written                                        | the store gives back          |
|------------------------------------------------|-------------------------------|
| "01"^^xsd:integer, "+5", "-0"                  | "1", "5", "0"                 |
| "5"^^xsd:int (every type derived from          | "5"^^xsd:integer              |
|   xsd:integer: long ... nonPositiveInteger)    |                               |
| "300"^^xsd:byte, "-5"^^xsd:nonNegativeInteger  | a valid "300"^^xsd:integer    |
|   (out of range: ill-typed)                    |                               |
| "1"^^xsd:boolean, "0"                          | "true", "false"               |
| "4.0"^^xsd:decimal, ".5", "+1.50"              | "4", "0.5", "1.5"             |
| "1e0"^^xsd:double, "1.0E0"^^xsd:float          | "1"                           |
| "2020-01-01T00:00:00.000+00:00"^^xsd:dateTime  | "2020-01-01T00:00:00Z"        |
|   (time zones on time, date and the g* types)  |                               |
| xsd:dateTimeStamp                              | xsd:dateTime                  |
| "P1Y12M"^^xsd:duration (and day/yearMonth)     | "P2Y"                         |

Two written terms can so become one ("1" and "01"), and a valid xsd:byte an xsd:integer.
kgtool stores such a literal as its lexical form with a private datatype that names the
written one, `<urn:kgtool:as-written:DATATYPE>` (well-typed) or
`<urn:kgtool:ill-typed:DATATYPE>` (a value outside its type, which the store would
have made valid), and maps it back at every boundary (`decode`, `decode_ntriples`,
kgtool.store.answers for query results). A literal whose datatype already starts so is
wrapped once more, so the mapping is one to one. Every literal of a type derived from
xsd:integer (and of xsd:dateTimeStamp) is stored so, as the store keeps none of them as
written; other literals only when the store would change them. Inside the store, SPARQL
sees the private datatype: `sparql_has_datatype` and `sparql_value` give the SHACL
engine the datatype as written and the value, and `kg:value(?x)` (`value_of`) gives a
query the value. What no pyoxigraph term can hold, the case of a language tag ("x"@en-US
reads as "x"@en-us), is counted (`capital_tags`) for a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
WRITTEN = "urn:kgtool:as-written:"
ILL_TYPED = "urn:kgtool:ill-typed:"
_PRIVATE = (WRITTEN, ILL_TYPED)
PRIVATE_BYTES = b"urn:kgtool:"

# The types derived from xsd:integer, with their ranges (None: unbounded).
DERIVED = {
    "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1), "short": (-2**15, 2**15 - 1), "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1), "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255), "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
}
# The types whose literals the store keeps as their values (found by tests/test_terms.py).
VALUED = ("integer", "decimal", "double", "float", "boolean", "dateTime", "time", "date", "gYearMonth",
          "gYear", "gMonthDay", "gDay", "gMonth", "duration", "yearMonthDuration", "dayTimeDuration",
          "dateTimeStamp")
# Types none of whose values the store keeps as written: it stores an xsd:dateTimeStamp as
# an xsd:dateTime, with or without the time zone the type requires.
_NEVER_KEPT = (*DERIVED, "dateTimeStamp")
_ZONED = re.compile(r".*(?:Z|[+-][0-9]{2}:[0-9]{2})")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_MONTH_DAY = r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
# Forms the store keeps as they are, checked without asking it (the common ones; a test
# holds each to the store): anything else is asked once (`_Probe`).
_KEPT = {XSD + name: re.compile(pattern) for name, pattern in {
    "integer": r"(?:0|-?[1-9][0-9]{0,17})",
    "boolean": r"(?:true|false)",
    "decimal": r"(?:0|-?[1-9][0-9]{0,17})(?:\.[0-9]{0,8}[1-9])?|-?0\.[0-9]{0,8}[1-9]",
    "date": r"[1-9][0-9]{3}" + _MONTH_DAY,
    "dateTime": r"[1-9][0-9]{3}" + _MONTH_DAY + r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z?",
    "gYear": r"[1-9][0-9]{3}",
}.items()}
_KINDS = {**{XSD + name: "derived" for name in DERIVED}, **{XSD + name: "valued" for name in VALUED}}
# Well-typed forms that need no asking either: stored as written whether or not the store
# would have kept them (a number beyond its precision), which maps back the same.
_WELL_TYPED = {XSD + name: re.compile(pattern) for name, pattern in {
    "integer": r"[+-]?[0-9]+", "decimal": r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", "boolean": r"[01]",
}.items()}


class _Probe:
    """Asks a scratch store what it keeps of a literal, once per literal (a bounded cache)."""

    _LIMIT = 1 << 16

    def __init__(self) -> None:
        self.store = ox.Store()
        self.node = ox.NamedNode("urn:kgtool:probe")
        self.kept: dict[ox.Literal, bool] = {}

    def keeps(self, literal: ox.Literal) -> bool:
        found = self.kept.get(literal)
        if found is None:
            self.store.add(ox.Quad(self.node, self.node, literal))
            found = next(iter(self.store)).object == literal
            self.store.clear()
            if len(self.kept) >= self._LIMIT:
                self.kept.clear()
            self.kept[literal] = found
        return found


_probe = _Probe()


def store_keeps(literal: ox.Literal) -> bool:
    """Whether pyoxigraph's store gives `literal` back as it is (asked, not guessed)."""
    return _probe.keeps(literal)


def well_typed_derived(lexical: str, local: str) -> bool:
    """Whether `lexical` is in the lexical space of the xsd:integer-derived type `local`."""
    if not _INTEGER.fullmatch(lexical):
        return False
    low, high = DERIVED[local]
    value = int(lexical)
    return (low is None or value >= low) and (high is None or value <= high)


def encode(term):
    """The form of `term` that the store keeps (most terms: the term itself)."""
    if type(term) is not ox.Literal:
        return term
    datatype = term.datatype.value
    kind = _KINDS.get(datatype)
    if kind is None:
        if datatype.startswith(_PRIVATE):
            return ox.Literal(term.value, datatype=ox.NamedNode(WRITTEN + datatype))
        return term
    if kind == "derived":
        prefix = WRITTEN if well_typed_derived(term.value, datatype[len(XSD):]) else ILL_TYPED
    else:
        kept, well_typed = _KEPT.get(datatype), _WELL_TYPED.get(datatype)
        if kept is not None and kept.fullmatch(term.value):
            return term
        if not (well_typed is not None and well_typed.fullmatch(term.value)) and _probe.keeps(term):
            return term
        prefix = WRITTEN if datatype != XSD + "dateTimeStamp" or _ZONED.fullmatch(term.value) else ILL_TYPED
    return ox.Literal(term.value, datatype=ox.NamedNode(prefix + datatype))


def decode(term):
    """The term as written, of a term the store gave back."""
    if type(term) is not ox.Literal:
        return term
    datatype = term.datatype.value
    if not datatype.startswith(_PRIVATE):
        return term
    written = datatype[len(WRITTEN):] if datatype.startswith(WRITTEN) else datatype[len(ILL_TYPED):]
    return ox.Literal(term.value, datatype=ox.NamedNode(written))


def encode_quad(quad: ox.Quad) -> ox.Quad:
    stored = encode(quad.object)
    return quad if stored is quad.object else ox.Quad(quad.subject, quad.predicate, stored, quad.graph_name)


def decode_quad(quad: ox.Quad) -> ox.Quad:
    written = decode(quad.object)
    return quad if written is quad.object else ox.Quad(quad.subject, quad.predicate, written, quad.graph_name)


def encode_quads(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """The quads as the store should hold them (inlined: this runs once per statement loaded)."""
    kinds, private, literal = _KINDS, _PRIVATE, ox.Literal
    for quad in quads:
        term = quad.object
        if type(term) is literal:
            datatype = term.datatype.value
            if datatype in kinds or datatype.startswith(private):
                stored = encode(term)
                if stored is not term:
                    quad = ox.Quad(quad.subject, quad.predicate, stored, quad.graph_name)
        yield quad


def decode_triple(triple: ox.Triple) -> ox.Triple:
    written = decode(triple.object)
    return triple if written is triple.object else ox.Triple(triple.subject, triple.predicate, written)


_ENCODED_END = b'"^^<urn:kgtool:'
_PREFIX_BYTES = (WRITTEN[len("urn:kgtool:"):].encode(), ILL_TYPED[len("urn:kgtool:"):].encode())


def decode_ntriples(data: bytes) -> bytes:
    """N-Triples or N-Quads as pyoxigraph writes them, with every literal as written."""
    if PRIVATE_BYTES not in data:
        return data
    pieces = data.split(_ENCODED_END)
    out = [pieces[0]]
    for before, piece in zip(pieces, pieces[1:]):
        # the end of a literal: its quote follows an even number of backslashes (an escaped
        # quote inside a literal follows an odd number)
        closing = (len(before) - len(before.rstrip(b"\\"))) % 2 == 0
        prefix = next((p for p in _PREFIX_BYTES if piece.startswith(p)), None) if closing else None
        out.append(b'"^^<' + piece[len(prefix):] if prefix else _ENCODED_END + piece)
    return b"".join(out)


# -- SPARQL over the stored forms (the SHACL engine) ----------------------------------------

def sparql_has_datatype(iri: str, v: str, well_formed: str | None = None) -> str:
    """SPARQL that holds when `v` is a well-typed literal whose datatype, as written, is
    `iri`; `well_formed` is the engine's own test of a literal stored as it is."""
    stored = f"<{iri}>"
    written = f"sameTerm(datatype({v}), <{WRITTEN}{iri}>)"
    if iri.startswith(XSD) and iri[len(XSD):] in _NEVER_KEPT:
        return f"(isLiteral({v}) && {written})"  # what the store holds as written is ill-typed
    raw = f"sameTerm(datatype({v}), {stored})" + (f" && {well_formed}" if well_formed else "")
    if _KINDS.get(iri) is None and not iri.startswith(_PRIVATE):
        return f"(isLiteral({v}) && {raw})"
    return f"(isLiteral({v}) && ({written} || ({raw})))"


def sparql_value(v: str) -> str:
    """SPARQL for the value of `v`, for comparisons: a literal kept in its written form is
    read again by its written datatype (an ill-typed one keeps its private datatype, which
    compares with nothing)."""
    datatype = f"STR(datatype({v}))"
    return (f"IF(isLiteral({v}) && STRSTARTS({datatype}, \"{WRITTEN}\"), "
            f"STRDT(STR({v}), IRI(STRAFTER({datatype}, \"{WRITTEN}\"))), {v})")


def value_of(term):
    """`kg:value(?x)` in a query: the literal to compare, for one kept as written (None, an
    error, for an ill-typed one); any other term as it is."""
    if type(term) is ox.Literal and term.datatype.value.startswith(_PRIVATE):
        return decode(term) if term.datatype.value.startswith(WRITTEN) else None
    return term


# -- what cannot be kept: a language tag's case ------------------------------------------------

# Each form of a language tag, found by its own mark: one pattern with a fixed start is
# searched for that start at memchr speed, where one alternation tries every byte (30x slower).
_CAPITAL_TAGS = (
    (b'"@', re.compile(rb'"@[A-Za-z0-9-]*[A-Z]'), True),  # Turtle, TriG, N-Triples, N-Quads
    (b"'@", re.compile(rb"'@[A-Za-z0-9-]*[A-Z]"), True),
    (b"xml:lang", re.compile(rb'xml:lang\s*=\s*["\'][A-Za-z0-9-]*[A-Z]'), False),  # RDF/XML
    (b"@language", re.compile(rb'"@language"\s*:\s*"[A-Za-z0-9-]*[A-Z]'), False),  # JSON-LD
)


def capital_tags(data: bytes) -> int:
    """How many language tags `data` writes with capitals ("x"@en-US): pyoxigraph's parsers
    lower-case them, and no pyoxigraph term can hold another case."""
    total, at = 0, b"@" in data  # one byte is searched for fast; most data has no tag at all
    for mark, pattern, quoted in _CAPITAL_TAGS:
        if (at or b"@" not in mark) and mark in data:
            total += sum(1 for found in pattern.finditer(data)
                         if not (quoted and found.start() and data[found.start() - 1] == 0x5C))  # \"@DE: text
    return total


def capital_tags_note(count: int) -> str | None:
    if not count:
        return None
    return (f"{count:,} language tags written with capitals (such as \"x\"@en-US) are kept in lower case "
            "(pyoxigraph holds no other form; RDF compares language tags without case)")


# -- a quick look: N-Triples the store keeps as written ------------------------------------

_XSD_TYPED = b'"^^<' + XSD.encode()
_SAFE_TYPES = (_XSD_TYPED + b"string>",)
_CANONICAL_INTEGER = re.compile(rb'"(?:0|-?[1-9][0-9]{0,17})"\^\^<' + re.escape(XSD.encode()) + rb"integer>")


def kept_as_written(ntriples: bytes) -> bool:
    """Whether pyoxigraph's store keeps every literal of this N-Triples or N-Quads text as
    written: it holds no XSD-typed literal but strings and canonical integers (counted; one
    found inside another literal only makes the answer "no" more often), nor a private
    datatype. Then the store's own load, three times as fast as Python's loop, may read it."""
    if PRIVATE_BYTES in ntriples:
        return False
    typed = ntriples.count(_XSD_TYPED)
    if not typed:
        return True
    safe = sum(ntriples.count(kind) for kind in _SAFE_TYPES)
    return typed == safe or typed == safe + sum(1 for _ in _CANONICAL_INTEGER.finditer(ntriples))
