"""Terms as written: what pyoxigraph's store rewrites, and that kgtool shows none of it.

pyoxigraph's Store (0.5.13) keeps a typed literal of a datatype it knows as its value and
gives back the value's canonical form; its parsers keep every literal as written. Found by
`test_the_store_rewrites_exactly_these` over every XSD datatype (canonical and other forms,
ill-typed and out-of-range values); every other sample comes back as written:

| written                                   | the store gives back                |
|-------------------------------------------|-------------------------------------|
| "01" "+5" "-0" ^^xsd:integer              | "1" "5" "0"                         |
| every valid xsd:long/int/short/byte, xsd:unsigned*, (non)positive/negativeInteger | the same digits as xsd:integer ("05"^^xsd:long -> "5") |
| out of its range: "300"^^xsd:byte, "-5"^^xsd:nonNegativeInteger | a valid xsd:integer |
| "1" "0" ^^xsd:boolean                     | "true" "false"                      |
| "4.0" "4." ".5" "+1.50" "-0.0" ^^xsd:decimal | "4" "4" "0.5" "1.5" "0"          |
| "1e0" "1.0E0" "1.0" "1e-5" "1E300" ^^xsd:double | "1" "1" "1" "0.00001" and 301 digits |
| "1e0" "1e39" ^^xsd:float                  | "1" "INF"                           |
| "...T00:00:00+00:00" ".000Z" "T24:00:00" ^^xsd:dateTime | "...Z", "...Z", the next day |
| xsd:dateTimeStamp (with or without zone)  | xsd:dateTime                        |
| "+00:00" on xsd:date, time, gYear, gYearMonth, gMonthDay, gDay, gMonth | "Z"    |
| "24:00:00" "10:00:00.0" ^^xsd:time        | "00:00:00" "10:00:00"               |
| "P1Y12M" "PT60S" "P0D" "P1DT24H" ^^xsd:duration | "P2Y" "PT1M" "PT0S" "P2D"     |
| "P12M" ^^xsd:yearMonthDuration, "PT60M" "PT24H" ^^xsd:dayTimeDuration | "P1Y", "PT1H" "P1D" |

Kept as written: ill-typed values of the primitive types ("abc"^^xsd:integer,
"2020-02-30"^^xsd:date, "TRUE"^^xsd:boolean), integers beyond 64 bits, INF/NaN, every
string-like type (string, token, anyURI, language, ...), binary types, rdf:langString.
A language tag is lower-cased by the parser itself ("x"@en-US reads as "x"@en-us): no
pyoxigraph term holds the case, which RDF says does not matter.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kgtool.store import literals
from kgtool.store.literals import XSD

# Every XSD datatype with samples: canonical forms, other forms, ill-typed and out of range.
SAMPLES = {
    "integer": ["0", "1", "-5", "01", "+5", "-0", "99999999999999999999", "9223372036854775807", "abc", " 5", "1.5"],
    "decimal": ["4", "4.0", "4.", ".5", "+1.50", "-0.0", "0.5", "-0.5", "1.25", "abc"],
    "double": ["1", "1e0", "1.0E0", "1.5", "INF", "-INF", "NaN", "0", "1E300", "abc", "0.1", "1e-5", "1.0"],
    "float": ["1", "1e0", "1.5", "INF", "NaN", "0.1", "1e39", "abc"],
    "boolean": ["true", "false", "1", "0", "TRUE", "yes"],
    "dateTime": ["2020-01-01T00:00:00", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00+00:00",
                 "2020-01-01T00:00:00.000Z", "2020-01-01T00:00:00.5Z", "2020-01-01T24:00:00",
                 "2020-02-30T00:00:00", "2020-01-01T00:00:00-05:00", "abc"],
    "dateTimeStamp": ["2020-01-01T00:00:00Z", "2020-01-01T00:00:00+00:00", "2020-01-01T00:00:00", "abc"],
    "date": ["2020-01-01", "2020-01-01Z", "2020-01-01+00:00", "2020-02-30", "0001-01-01", "-0001-01-01"],
    "time": ["10:00:00", "10:00:00Z", "10:00:00+00:00", "24:00:00", "10:00:00.0"],
    "gYear": ["2020", "02020", "0001", "2020Z", "2020+00:00", "-0044"],
    "gYearMonth": ["2020-01", "2020-01+00:00"], "gMonthDay": ["--01-01", "--01-01+00:00"],
    "gDay": ["---01", "---01Z", "---01+00:00"], "gMonth": ["--01", "--01+00:00"],
    "duration": ["P1Y", "P1Y12M", "PT60S", "P0D", "PT0S", "-P1Y", "P1DT24H"],
    "yearMonthDuration": ["P1Y", "P12M"], "dayTimeDuration": ["PT1H", "PT60M", "P1D", "PT24H"],
    "string": ["x", " x"], "normalizedString": ["x"], "token": ["x"], "language": ["en-US"],
    "Name": ["x"], "NCName": ["x"], "NMTOKEN": ["x"], "NMTOKENS": ["x y"], "ID": ["x"], "IDREF": ["x"],
    "IDREFS": ["x y"], "ENTITY": ["x"], "ENTITIES": ["x y"], "QName": ["x:y"], "NOTATION": ["x:y"],
    "anyURI": ["http://a", " a"], "base64Binary": ["AAAA", "aa aa"], "hexBinary": ["0a", "0A"],
    "long": ["5", "05", "-9223372036854775808", "9223372036854775808"], "int": ["5", "+5", "abc", "99999999999"],
    "short": ["7", "40000"], "byte": ["007", "300", "-128"], "unsignedLong": ["5", "18446744073709551615"],
    "unsignedInt": ["5", "-1"], "unsignedShort": ["5"], "unsignedByte": ["5", "256"],
    "positiveInteger": ["1", "0"], "nonNegativeInteger": ["5", "-5", "99999999999999999999"],
    "negativeInteger": ["-1", "1"], "nonPositiveInteger": ["0", "1"],
    "anyAtomicType": ["x"], "anySimpleType": ["x"],
}

# (datatype, written) -> (lexical, datatype) the store gives back; every other sample is kept.
REWRITES = {
    ("integer", "01"): ("1", "integer"), ("integer", "+5"): ("5", "integer"), ("integer", "-0"): ("0", "integer"),
    ("decimal", "4.0"): ("4", "decimal"), ("decimal", "4."): ("4", "decimal"), ("decimal", ".5"): ("0.5", "decimal"),
    ("decimal", "+1.50"): ("1.5", "decimal"), ("decimal", "-0.0"): ("0", "decimal"),
    ("double", "1e0"): ("1", "double"), ("double", "1.0E0"): ("1", "double"), ("double", "1.0"): ("1", "double"),
    ("double", "1e-5"): ("0.00001", "double"), ("double", "1E300"): ("1" + "0" * 300, "double"),
    ("float", "1e0"): ("1", "float"), ("float", "1e39"): ("INF", "float"),
    ("boolean", "1"): ("true", "boolean"), ("boolean", "0"): ("false", "boolean"),
    ("dateTime", "2020-01-01T00:00:00+00:00"): ("2020-01-01T00:00:00Z", "dateTime"),
    ("dateTime", "2020-01-01T00:00:00.000Z"): ("2020-01-01T00:00:00Z", "dateTime"),
    ("dateTime", "2020-01-01T24:00:00"): ("2020-01-02T00:00:00", "dateTime"),
    ("dateTimeStamp", "2020-01-01T00:00:00Z"): ("2020-01-01T00:00:00Z", "dateTime"),
    ("dateTimeStamp", "2020-01-01T00:00:00+00:00"): ("2020-01-01T00:00:00Z", "dateTime"),
    ("dateTimeStamp", "2020-01-01T00:00:00"): ("2020-01-01T00:00:00", "dateTime"),
    ("date", "2020-01-01+00:00"): ("2020-01-01Z", "date"),
    ("time", "10:00:00+00:00"): ("10:00:00Z", "time"), ("time", "24:00:00"): ("00:00:00", "time"),
    ("time", "10:00:00.0"): ("10:00:00", "time"),
    ("gYear", "2020+00:00"): ("2020Z", "gYear"), ("gYearMonth", "2020-01+00:00"): ("2020-01Z", "gYearMonth"),
    ("gMonthDay", "--01-01+00:00"): ("--01-01Z", "gMonthDay"), ("gDay", "---01+00:00"): ("---01Z", "gDay"),
    ("gMonth", "--01+00:00"): ("--01Z", "gMonth"),
    ("duration", "P1Y12M"): ("P2Y", "duration"), ("duration", "PT60S"): ("PT1M", "duration"),
    ("duration", "P0D"): ("PT0S", "duration"), ("duration", "P1DT24H"): ("P2D", "duration"),
    ("yearMonthDuration", "P12M"): ("P1Y", "yearMonthDuration"),
    ("dayTimeDuration", "PT60M"): ("PT1H", "dayTimeDuration"), ("dayTimeDuration", "PT24H"): ("P1D", "dayTimeDuration"),
    # every integer-derived value that fits 64 bits, in range or not, becomes an xsd:integer
    ("long", "5"): ("5", "integer"), ("long", "05"): ("5", "integer"),
    ("long", "-9223372036854775808"): ("-9223372036854775808", "integer"),
    ("int", "5"): ("5", "integer"), ("int", "+5"): ("5", "integer"), ("int", "99999999999"): ("99999999999", "integer"),
    ("short", "7"): ("7", "integer"), ("short", "40000"): ("40000", "integer"),
    ("byte", "007"): ("7", "integer"), ("byte", "300"): ("300", "integer"), ("byte", "-128"): ("-128", "integer"),
    ("unsignedLong", "5"): ("5", "integer"), ("unsignedInt", "5"): ("5", "integer"),
    ("unsignedInt", "-1"): ("-1", "integer"), ("unsignedShort", "5"): ("5", "integer"),
    ("unsignedByte", "5"): ("5", "integer"), ("unsignedByte", "256"): ("256", "integer"),
    ("positiveInteger", "1"): ("1", "integer"), ("positiveInteger", "0"): ("0", "integer"),
    ("nonNegativeInteger", "5"): ("5", "integer"), ("nonNegativeInteger", "-5"): ("-5", "integer"),
    ("negativeInteger", "-1"): ("-1", "integer"), ("negativeInteger", "1"): ("1", "integer"),
    ("nonPositiveInteger", "0"): ("0", "integer"), ("nonPositiveInteger", "1"): ("1", "integer"),
}
ALL = [(datatype, lexical) for datatype, lexicals in SAMPLES.items() for lexical in lexicals]
NODE = ox.NamedNode("http://example.org/a")


def typed(datatype: str, lexical: str) -> ox.Literal:
    return ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))


def through_the_store(*terms: ox.Literal) -> list[ox.Literal]:
    store = ox.Store()
    store.extend(ox.Quad(NODE, ox.NamedNode(f"http://example.org/p{i}"), t) for i, t in enumerate(terms))
    return [q.object for q in sorted(store, key=lambda q: int(q.predicate.value.rsplit("p", 1)[1]))]


def test_the_store_rewrites_exactly_these():
    stored = through_the_store(*(typed(d, lexical) for d, lexical in ALL))
    found = {(d, lexical): (back.value, back.datatype.value[len(XSD):])
             for (d, lexical), back in zip(ALL, stored) if back != typed(d, lexical)}
    assert found == REWRITES


def test_a_language_tag_is_lower_cased_by_the_parser_itself():
    (quad,) = ox.parse(b'<http://example.org/a> <http://example.org/p> "x"@en-US .', format=ox.RdfFormat.N_TRIPLES)
    assert quad.object.language == "en-us" and ox.Literal("x", language="en-US").language == "en-us"


def test_what_kgtool_stores_the_store_keeps_and_maps_back_one_to_one():
    written = [typed(d, lexical) for d, lexical in ALL]
    written += [ox.Literal("x", datatype=ox.NamedNode(literals.WRITTEN + XSD + "byte")),
                ox.Literal("x", datatype=ox.NamedNode(literals.ILL_TYPED + XSD + "byte")), ox.Literal("x", language="en")]
    encoded = [literals.encode(term) for term in written]
    assert through_the_store(*encoded) == encoded
    assert [literals.decode(term) for term in encoded] == written
    assert len(set(encoded)) == len(set(written))


def test_the_forms_kgtool_keeps_without_asking_are_kept_by_the_store():
    candidates = [(d, lexical) for d, lexical in ALL if (XSD + d) in literals._KEPT]
    candidates += [("integer", str(n)) for n in range(-1000, 1000)] + [("decimal", f"{n / 8}") for n in range(-99, 99)]
    candidates += [("date", f"20{y:02}-{m:02}-{day:02}") for y in (0, 24) for m in range(1, 13) for day in range(1, 29)]
    candidates += [("dateTime", f"2024-02-28T{h:02}:59:59{z}") for h in range(24) for z in ("", "Z")]
    fast = [(d, lexical) for d, lexical in candidates if literals._KEPT[XSD + d].fullmatch(lexical)]
    assert len(fast) > 2000
    terms = [typed(d, lexical) for d, lexical in fast]
    assert through_the_store(*terms) == terms


def test_ill_typed_literals_of_derived_types_are_marked_so():
    assert literals.encode(typed("byte", "300")).datatype.value == literals.ILL_TYPED + XSD + "byte"
    assert literals.encode(typed("byte", "-128")).datatype.value == literals.WRITTEN + XSD + "byte"
    assert literals.encode(typed("nonNegativeInteger", "99999999999999999999")).datatype.value.startswith(literals.WRITTEN)
    assert literals.encode(typed("dateTimeStamp", "2020-01-01T00:00:00")).datatype.value.startswith(literals.ILL_TYPED)
    for ill_typed in (typed("boolean", "TRUE"), typed("integer", "1.5"), typed("decimal", "1e0"), typed("date", "2020-02-30")):
        assert literals.encode(ill_typed) is ill_typed  # kept by the store, so its own cast finds it ill-typed


def test_n_triples_lines_are_decoded_but_not_inside_a_literal():
    tricky = ox.Literal('a"^^<urn:kgtool:as-written:x> \\', datatype=ox.NamedNode(literals.WRITTEN + XSD + "byte"))
    quads = [ox.Quad(NODE, NODE, literals.encode(t)) for t in (typed("byte", "007"), tricky, ox.Literal("\\"))]
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert [q.object for q in ox.parse(literals.decode_ntriples(data), format=ox.RdfFormat.N_QUADS)] == [
        literals.decode(q.object) for q in quads]


# -- every command sees the terms as written -------------------------------------------------

PREFIXES = "@prefix ex: <http://example.org/> .\n@prefix sh: <http://www.w3.org/ns/shacl#> .\n" \
           "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
SHAPE = "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; {} ] .\n"

# The table of issue 11, section 2 (and a few more): data, constraint, the component that
# must be violated (None: conforms), the value shown.
ROWS = [
    ('"01"^^xsd:integer', 'sh:pattern "^0"', None, None),
    ('"1"^^xsd:integer , "01"^^xsd:integer', "sh:maxCount 1", "MaxCount", None),
    ('"1"^^xsd:boolean', "sh:in ( true )", "In", "1"),
    ('"007"^^xsd:byte', "sh:datatype xsd:integer", "Datatype", "007"),
    ('"-5"^^xsd:nonNegativeInteger', "sh:datatype xsd:integer", "Datatype", "-5"),
    ('"-5"^^xsd:nonNegativeInteger', "sh:datatype xsd:nonNegativeInteger", "Datatype", "-5"),
    ('"300"^^xsd:byte', "sh:datatype xsd:byte", "Datatype", "300"),
    ('"5"^^xsd:int', "sh:datatype xsd:int", None, None),
    ('"007"^^xsd:byte', "sh:datatype xsd:byte", None, None),
    ('"4.0"^^xsd:decimal', "sh:datatype xsd:decimal", None, None),
    ('"007"^^xsd:byte', "sh:minInclusive 8", "MinInclusive", "007"),
    ('"007"^^xsd:byte', "sh:minInclusive 7", None, None),
    ('"007"^^xsd:byte', "sh:maxLength 2", "MaxLength", "007"),
    ('"01"^^xsd:integer', "sh:hasValue 1", "HasValue", None),
    ('"01"^^xsd:integer', 'sh:hasValue "01"^^xsd:integer', None, None),
    ('"1"^^xsd:boolean', 'sh:in ( "1"^^xsd:boolean )', None, None),
]


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
@pytest.mark.parametrize("data, constraint, component, value", ROWS)
def test_validate_checks_the_terms_as_written(run, tmp_path, engine, data, constraint, component, value):
    (tmp_path / "data.ttl").write_text(PREFIXES + f"ex:a ex:p {data} .\n")
    (tmp_path / "shapes.ttl").write_text(PREFIXES + SHAPE.format(constraint))
    result = run("validate", "--graph", str(tmp_path / "data.ttl"), "--shapes", str(tmp_path / "shapes.ttl"),
                 "--no-ontology", "--engine", engine, "--format", "json")
    assert result.exit_code == (0 if component is None else 1), result.output
    found = [(r["component"].rsplit("#", 1)[-1], _as_written(r["value"], data)) for r in json.loads(result.stdout)["results"]]
    assert found == ([] if component is None else [(f"{component}ConstraintComponent", value or "")])


def _as_written(shown: str, data: str) -> str:
    """The lexical form of a value in a JSON report, which shows it by its text or in Turtle
    (with its datatype, which must then be the one written in `data`)."""
    if not shown.startswith('"'):
        return shown
    lexical, datatype = shown[1:].rsplit('"^^', 1)
    assert f'"{lexical}"^^{datatype}' in data or f"<{datatype}>" in data.replace("xsd:", "http://www.w3.org/2001/XMLSchema#")
    return lexical


WRITTEN_TERMS = ['"007"^^xsd:byte', '"01"^^xsd:integer', '"1"^^xsd:integer', '"1"^^xsd:boolean',
                 '"-5"^^xsd:nonNegativeInteger', '"4.0"^^xsd:decimal', '"5"^^xsd:int', '"1e0"^^xsd:double']


@pytest.fixture
def written(tmp_path):
    """A file whose literals the store would all rewrite, and the literals as written."""
    path = tmp_path / "written.ttl"
    path.write_text(PREFIXES + "ex:a ex:p " + " , ".join(WRITTEN_TERMS) + " .\n")
    return path, sorted(str(q.object) for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


@pytest.mark.parametrize("fmt, suffix, oxigraph", [
    ("ntriples", "nt", "N_TRIPLES"), ("nquads", "nq", "N_QUADS"), ("turtle", "ttl", "TURTLE"),
    ("trig", "trig", "TRIG"), ("jsonld", "jsonld", "JSON_LD"), ("rdfxml", "rdf", "RDF_XML")])
def test_export_gives_back_the_terms_as_written_from_files_and_from_a_store(run, tmp_path, written, fmt, suffix,
                                                                             oxigraph):
    path, literals_written = written
    assert run("load", str(path), "--store", str(tmp_path / "s.store"), "--quiet").exit_code == 0
    outputs = []
    for source in (["--graph", str(path)], ["--store", str(tmp_path / "s.store")]):
        out = tmp_path / f"out-{len(outputs)}.{suffix}"
        assert run("export", *source, "--format", fmt, "-o", str(out)).exit_code == 0
        back = ox.parse(path=str(out), format=getattr(ox.RdfFormat, oxigraph))
        assert sorted(str(q.object) for q in back) == literals_written
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"urn:kgtool" not in outputs[0]


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "csv", "table"])
def test_query_results_hold_the_terms_as_written(run, written, fmt):
    path, literals_written = written
    result = run("query", "--graph", str(path), "-e", "SELECT ?o WHERE { ?s ?p ?o }", "-f", fmt)
    assert result.exit_code == 0 and "urn:kgtool" not in result.stdout
    if fmt in ("json", "xml", "tsv"):
        parsed = ox.parse_query_results(result.stdout.encode(), format=getattr(ox.QueryResultsFormat, fmt.upper()))
        assert sorted(str(s["o"]) for s in parsed) == literals_written
    else:  # the text of each literal as written (the table may add a datatype in Turtle form)
        shown = {word.split('"')[1] if word.startswith('"') else word for word in result.stdout.split()}
        assert {"007", "01", "1", "-5", "4.0", "5", "1e0"} <= shown


def test_construct_and_parameters_use_the_terms_as_written(run, written):
    path, literals_written = written
    result = run("query", "--graph", str(path), "-e", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "-f", "ntriples")
    assert sorted(str(q.object) for q in ox.parse(result.stdout.encode(), format=ox.RdfFormat.N_TRIPLES)) == \
        literals_written
    bound = run("query", "--graph", str(path), "-e", "SELECT ?o WHERE { ?s ?p ?o }", "-p", 'o="007"^^xsd:byte',
                "-f", "tsv")
    assert bound.stdout == '?o\n"007"^^<http://www.w3.org/2001/XMLSchema#byte>\n'


def test_a_store_keeps_two_terms_the_store_would_make_one(run, tmp_path, written):
    path, literals_written = written
    assert run("load", str(path), "--store", str(tmp_path / "s.store"), "--quiet").exit_code == 0
    stats = run("query", "--store", str(tmp_path / "s.store"), "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                "-f", "csv")
    assert stats.stdout.split() == ["n", str(len(WRITTEN_TERMS))]


def test_describe_shows_the_terms_as_written(run, written):
    path, _ = written
    result = run("describe", "http://example.org/a", "--graph", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "007" in result.stdout and "4.0" in result.stdout and "urn:kgtool" not in result.stdout


def test_a_filter_compares_a_literal_kept_as_written_by_kg_value(run, written):
    path, _ = written
    query = "SELECT ?o WHERE {{ ?s ?p ?o FILTER({}(?o) = 7) }}"
    by_value = run("query", "--graph", str(path), "-e", query.format("kg:value"), "-f", "tsv")
    assert by_value.stdout == '?o\n"007"^^<http://www.w3.org/2001/XMLSchema#byte>\n'
    as_stored = run("query", "--graph", str(path), "-e", query.format(""), "-f", "tsv")
    assert as_stored.stdout == "?o\n"  # inside the store, "007"^^xsd:byte has a datatype of its own


def test_capital_language_tags_are_counted_in_a_note(run, tmp_path):
    path = tmp_path / "tags.ttl"
    path.write_text('<http://example.org/a> <http://example.org/p> "x"@en-US , "y"@EN , "z"@fr , "\\"@DE" .\n')
    result = run("validate", "--graph", str(path), "--no-ontology")
    assert result.exit_code == 0
    assert result.stderr == ('kgtool: note: 2 language tags written with capitals (such as "x"@en-US) are kept in '
                             "lower case (pyoxigraph holds no other form; RDF compares language tags without case)\n")


def test_load_says_how_many_language_tags_it_lower_cased(run, tmp_path):
    path = tmp_path / "tags.ttl"
    path.write_text('<http://example.org/a> <http://example.org/p> "x"@en-US , "y"@EN , "z"@fr .\n')
    result = run("load", str(path), "--store", str(tmp_path / "s.store"))
    assert result.exit_code == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "note" in line] == [
        'kgtool: note: 2 language tags written with capitals (such as "x"@en-US) are kept in '
        "lower case (pyoxigraph holds no other form; RDF compares language tags without case)"]


@pytest.mark.parametrize("objects, native", [
    ('"1"^^<{x}integer> , "-42"^^<{x}integer> , "x" , "y"^^<{x}string> , "z"@en', True),
    ('"1"^^<{x}integer> , "01"^^<{x}integer>', False),
    ('"5"^^<{x}int>', False),
    ('"a\\"5"^^<{x}integer> , "+5"^^<{x}integer>', False),
    ('"true"^^<{x}boolean>', False),
])
def test_n_triples_the_store_keeps_as_written_go_to_its_own_load(tmp_path, objects, native):
    from kgtool.store import load

    lines = "".join(f"<http://example.org/a> <http://example.org/p{i}> {o.strip()} .\n"
                    for i, o in enumerate(objects.format(x=XSD).split(" , ")))
    assert literals.kept_as_written(lines.encode()) is native
    (tmp_path / "data.nt").write_text(lines)
    written = sorted(str(q.object) for q in ox.parse(lines.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert sorted(str(q.object) for q in load([tmp_path / "data.nt"]).quads()) == written
