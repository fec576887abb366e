"""The SPARQL engine's core components (SHACL 1.0, section 4) where they once went wrong.

Each case gives the exact results, as (focus, path, component, value) sets, that SHACL and
pySHACL give; the shapes and data are tiny files so that the cause is plain to see.
"""

from __future__ import annotations

import pytest

from kgtool.shacl.validation import read_shapes, validate_with
from kgtool.store import load

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""
A = "<http://example.org/a>"
P = "<http://example.org/p>"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


def found(tmp_path, shapes: str, data: str, engine: str = "sparql") -> set[tuple[str, str, str, str]]:
    """The results of validating `data` against `shapes` with `engine`, as a set."""
    store = load([write(tmp_path, "data.ttl", data)])
    shapes_store, where = read_shapes([write(tmp_path, "shapes.ttl", shapes)])
    report = validate_with(store, shapes_store, where, engine)
    return {(r.focus, r.path, r.component, r.value) for r in report.results}


ENGINES = ("sparql", "pyshacl")


# -- sh:uniqueLang inside logical constraints (it crashed: a Literal is not iterable) -----------

UNIQUE_LANG_DATA = 'ex:a ex:p ex:b . ex:c ex:p "x"@en , "y"@en . ex:d ex:p "x"@en , "y"@de .'


@pytest.mark.parametrize("engine", ENGINES)
def test_unique_lang_inside_not(tmp_path, engine):
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:not [ sh:path ex:p ; sh:uniqueLang true ] ."
    assert found(tmp_path, shapes, "ex:a ex:p ex:b .", engine) == {(A, "", "sh:NotConstraintComponent", A)}


# sh:node takes a node shape (SHACL 4.7.1), so the property shape goes inside one.
@pytest.mark.parametrize("logic", ["sh:and ( {} )", "sh:or ( {} )", "sh:xone ( {} )", "sh:node [ sh:property {} ]"])
@pytest.mark.parametrize("engine", ENGINES)
def test_unique_lang_inside_and_or_xone_node(tmp_path, logic, engine):
    inner = "[ sh:path ex:p ; sh:uniqueLang true ]"
    shapes = f"ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:c , ex:d ; {logic.format(inner)} ."
    component = "sh:" + logic.split()[0][3:].capitalize() + "ConstraintComponent"
    c = "<http://example.org/c>"
    assert found(tmp_path, shapes, UNIQUE_LANG_DATA, engine) == {(c, "", component, c)}


def test_unique_lang_other_than_true_is_off_inside_not(tmp_path):
    shapes = 'ex:S a sh:NodeShape ; sh:targetNode ex:c ; sh:not [ sh:path ex:p ; sh:uniqueLang false ] .'
    c = "<http://example.org/c>"
    assert found(tmp_path, shapes, UNIQUE_LANG_DATA) == {(c, "", "sh:NotConstraintComponent", c)}


# -- zero-length paths: a focus node the data does not mention is its own value ----------------

ZERO_DATA = "ex:b ex:p ex:c ."


@pytest.mark.parametrize("path", ["[ sh:zeroOrMorePath ex:p ]", "[ sh:zeroOrOnePath ex:p ]",
                                  "( [ sh:zeroOrMorePath ex:p ] [ sh:zeroOrOnePath ex:q ] )",
                                  "[ sh:alternativePath ( ex:q [ sh:zeroOrMorePath ex:p ] ) ]"])
@pytest.mark.parametrize("engine", ENGINES)
def test_zero_length_path_counts_the_focus_node(tmp_path, path, engine):
    shapes = f"""ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:property [ sh:path {path} ; sh:minCount 1 ] ,
                    [ sh:path {path} ; sh:maxCount 0 ] ,
                    [ sh:path {path} ; sh:maxLength 5 ] ,
                    [ sh:path {path} ; sh:in ( ex:x ) ] ,
                    [ sh:path {path} ; sh:nodeKind sh:Literal ] ,
                    [ sh:path {path} ; sh:hasValue ex:a ] ,
                    [ sh:path {path} ; sh:minCount 2 ] ."""
    results = found(tmp_path, shapes, ZERO_DATA, engine)
    assert {(focus, component, value) for focus, _, component, value in results} == {
        (A, "sh:MaxCountConstraintComponent", ""),
        (A, "sh:MaxLengthConstraintComponent", A),
        (A, "sh:InConstraintComponent", A),
        (A, "sh:NodeKindConstraintComponent", A),
        (A, "sh:MinCountConstraintComponent", ""),  # the minCount 2 only: ex:a has one value, itself
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_zero_length_path_inside_logical_constraints(tmp_path, engine):
    path = "[ sh:zeroOrMorePath ex:p ]"
    shapes = f"""ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:not [ sh:path {path} ; sh:minCount 1 ] ;
        sh:node [ sh:property [ sh:path {path} ; sh:maxCount 0 ] ] ;
        sh:or ( [ sh:path {path} ; sh:in ( ex:x ) ] ) ;
        sh:and ( [ sh:path {path} ; sh:hasValue ex:a ] ) ."""
    assert found(tmp_path, shapes, ZERO_DATA, engine) == {
        (A, "", "sh:NotConstraintComponent", A),
        (A, "", "sh:NodeConstraintComponent", A),
        (A, "", "sh:OrConstraintComponent", A),
    }


def test_zero_length_path_still_follows_the_data(tmp_path):
    b, c = "<http://example.org/b>", "<http://example.org/c>"
    shapes = f"""ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b ;
        sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:in ( ex:a ex:b ) ] ."""
    assert found(tmp_path, shapes, ZERO_DATA) == {(b, "[]", "sh:InConstraintComponent", c)}


# -- the shapes check (SHACL's own shapes, run by pySHACL) on deeply nested shapes -------------

LIST_PATH = "[ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; sh:minCount 1 ]"


@pytest.mark.parametrize("shape", [
    f"sh:xone ( [ sh:and ( {LIST_PATH} ) ] )",                    # the case pySHACL found too deep
    "sh:or ( [ sh:and ( [ sh:not [ sh:xone ( [ sh:and ( [ sh:or ( {} ) ] ) ] ) ] ] ) ] )".format(
        LIST_PATH.replace("sh:minCount 1", "sh:maxCount 0")),    # six levels down
])
def test_the_shapes_check_passes_valid_nested_shapes(tmp_path, run, shape):
    shapes = write(tmp_path, "shapes.ttl", f"ex:S a sh:NodeShape ; sh:targetNode ex:a ; {shape} .")
    data = write(tmp_path, "data.ttl", "ex:a ex:p ex:b .")
    result = run("validate", "-g", str(data), "-s", str(shapes), "--no-ontology")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "0 violations, 0 warnings, 0 infos: the graph conforms.\n", "")


def test_the_shapes_check_still_rejects_a_broken_nested_list_path(tmp_path, run):
    broken = LIST_PATH.replace("( ex:p ex:q )", "( ex:p )")  # an alternative of one member
    shapes = write(tmp_path, "shapes.ttl", f"ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:xone ( [ sh:and ( {broken} ) ] ) .")
    data = write(tmp_path, "data.ttl", "ex:a ex:p ex:b .")
    result = run("validate", "-g", str(data), "-s", str(shapes), "--no-ontology")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", (
        f"kgtool: error: {shapes}: the shapes are not valid SHACL: the blank-node shape on []: sh:path [] "
        "is neither an IRI nor a SHACL path; give sh:path an IRI, or a path such as [ sh:inversePath "
        "schema:actor ] (SHACL 1.0, https://www.w3.org/TR/shacl/, Appendix C)\n"))


# -- sh:conforms in the W3C report: false on any result, warnings too (SHACL 3.6.1) ----------

@pytest.mark.parametrize("engine", ENGINES)
def test_a_warning_makes_the_report_graph_not_conform_but_exits_0(tmp_path, run, engine):
    import rdflib

    shapes = write(tmp_path, "shapes.ttl", "ex:S a sh:NodeShape ; sh:targetNode ex:a ; "
                   "sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:severity sh:Warning ] .")
    data = write(tmp_path, "data.ttl", "ex:a ex:p ex:b .")
    turtle = run("validate", "-g", str(data), "-s", str(shapes), "--no-ontology", "-f", "turtle", "-e", engine)
    report = rdflib.Graph().parse(data=turtle.stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (turtle.exit_code, list(report.objects(None, sh.conforms))) == (0, [rdflib.Literal(False)])
    text = run("validate", "-g", str(data), "-s", str(shapes), "--no-ontology", "-e", engine)
    assert (text.exit_code, text.stdout.splitlines()[-1]) == (
        0, "0 violations, 1 warnings, 0 infos: the graph conforms.")


# -- a literal in a report keeps its datatype where it is not the default (Turtle's form) -------

@pytest.mark.parametrize("engine", ENGINES)
def test_the_text_report_shows_literals_as_turtle_writes_them(tmp_path, run, engine):
    shapes = write(tmp_path, "shapes.ttl", "ex:S a sh:NodeShape ; sh:targetNode ex:a ; "
                   "sh:property [ sh:path ex:n ; sh:in ( 5 ) ] .")
    data = write(tmp_path, "data.ttl", 'ex:a ex:n 4.0 , 4 , "4" , "4"^^xsd:int , "x"@en , "x" , 4.0e0 , '
                 '"2020-01-01"^^xsd:date , "a \\\\ \\"b\\""^^ex:t .')
    result = run("validate", "-g", str(data), "-s", str(shapes), "--no-ontology", "-e", engine)
    values = sorted(line.split("  ")[1] for line in result.stdout.splitlines() if line.startswith("  value: "))
    assert (result.exit_code, values) == (1, [
        'value: "2020-01-01"^^xsd:date', 'value: "4"', 'value: "4"^^xsd:int',
        'value: "a \\\\ \\"b\\""^^<http://example.org/t>', "value: 4", "value: 4.0", "value: 4.0e0",
        "value: x", "value: x@en"])


def test_query_tables_show_literals_the_same_way(tmp_path, run):
    data = write(tmp_path, "data.ttl", 'ex:a ex:n 4.0 , 4 , "4" , "4"^^xsd:int .')
    result = run("query", "-g", str(data), "-e", "SELECT ?n WHERE { ?s ?p ?n }")
    lines = result.stdout.splitlines()
    assert (lines[:2], sorted(lines[2:-1]), lines[-1]) == (
        ["n", "------------"], ['"4"', '"4"^^xsd:int', "4", "4.0"], "(4 rows)")


# -- property pairs and sh:closed compile to SPARQL (they were handed to pySHACL) ---------------

PAIR_SHAPES = """ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b , ex:absent ;
    sh:closed true ; sh:ignoredProperties ( rdf:type ) ; sh:equals ex:s ; sh:disjoint ex:t ;
    sh:property [ sh:path ex:p ; sh:equals ex:q ; sh:disjoint ex:r ; sh:lessThan ex:n ; sh:lessThanOrEquals ex:m ] .
ex:T a sh:NodeShape ; sh:targetNode ex:a , ex:b ;
    sh:or ( [ sh:property [ sh:path ex:p ; sh:lessThan ex:n ] ] [ sh:equals ex:zz ] ) ;
    sh:not [ sh:closed true ; sh:property [ sh:path ex:p ] ; sh:property [ sh:path ex:t ] ; sh:property [ sh:path ex:s ] ] .
"""
PAIR_DATA = """ex:a a ex:C ; ex:p 1 , 2 , ex:c ; ex:q 1 , 3 ; ex:r 2 ; ex:n 2 ; ex:m 2 , "x" ; ex:s ex:a ; ex:t ex:z .
ex:b ex:p 5 ; ex:t ex:b ; ex:s ex:z .
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_property_pairs_and_closed(tmp_path, engine):
    def ex(name):
        return f"<http://example.org/{name}>"
    b, shapes = ex("b"), "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n" + PAIR_SHAPES
    closed = "sh:ClosedConstraintComponent"
    assert found(tmp_path, shapes, PAIR_DATA, engine) == {
        (A, "", "sh:OrConstraintComponent", A),
        (b, "", "sh:NotConstraintComponent", b),  # only ex:p, ex:t and ex:s: closed, as sh:not forbids
        (A, ex("m"), closed, "2"), (A, ex("m"), closed, "x"), (A, ex("n"), closed, "2"),
        (A, ex("q"), closed, "1"), (A, ex("q"), closed, "3"), (A, ex("r"), closed, "2"),
        (A, ex("s"), closed, A), (A, ex("t"), closed, ex("z")),
        (b, ex("s"), closed, ex("z")), (b, ex("t"), closed, b),
        (ex("absent"), "", "sh:EqualsConstraintComponent", ex("absent")),
        (b, "", "sh:DisjointConstraintComponent", b),
        (b, "", "sh:EqualsConstraintComponent", b), (b, "", "sh:EqualsConstraintComponent", ex("z")),
        (A, P, "sh:DisjointConstraintComponent", "2"),
        (A, P, "sh:EqualsConstraintComponent", "2"), (A, P, "sh:EqualsConstraintComponent", "3"),
        (A, P, "sh:EqualsConstraintComponent", ex("c")), (b, P, "sh:EqualsConstraintComponent", "5"),
        (A, P, "sh:LessThanConstraintComponent", "2"), (A, P, "sh:LessThanConstraintComponent", ex("c")),
        (A, P, "sh:LessThanOrEqualsConstraintComponent", "1"), (A, P, "sh:LessThanOrEqualsConstraintComponent", "2"),
        (A, P, "sh:LessThanOrEqualsConstraintComponent", ex("c")),
    }


# -- qualified value shapes and property shapes inside property shapes compile too --------------

QUALIFIED_SHAPES = """ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b ;
    sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:C ] ; sh:qualifiedMinCount 1 ;
                  sh:qualifiedMaxCount 1 ; sh:qualifiedValueShapesDisjoint true ] ,
                [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMaxCount 0 ] ;
    sh:not [ sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ;
                           sh:qualifiedMinCount 2 ] ] .
ex:T a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ;
    sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:property [ sh:path ex:r ; sh:in ( 1 ) ] ] .
"""
QUALIFIED_DATA = """ex:a ex:p ex:c1 , ex:c2 , 1 . ex:c1 a ex:C . ex:c2 a ex:C , ex:D . ex:c2 ex:q ex:d .
ex:d ex:r 1 , 2 . ex:b ex:p 1 , 2 , ex:c3 . ex:c3 a ex:C ."""


@pytest.mark.parametrize("shapes_text,data", [
    ("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n" + PAIR_SHAPES, PAIR_DATA),
    (QUALIFIED_SHAPES, QUALIFIED_DATA),
], ids=["pairs-and-closed", "qualified-and-nested"])
def test_these_components_compile_to_sparql(tmp_path, shapes_text, data):
    store = load([write(tmp_path, "data.ttl", data)])
    shapes, where = read_shapes([write(tmp_path, "shapes.ttl", shapes_text)])
    report = validate_with(store, shapes, where)
    assert (report.engine, report.note) == ("sparql", "")


@pytest.mark.parametrize("engine", ENGINES)
def test_qualified_and_nested_property_shapes(tmp_path, engine):
    def ex(name):
        return f"<http://example.org/{name}>"
    b, q = ex("b"), "sh:QualifiedMaxCountConstraintComponent"
    assert found(tmp_path, QUALIFIED_SHAPES, QUALIFIED_DATA, engine) == {
        # ex:c2 is one ex:D where none may be; as an ex:D it does not count as an ex:C for the
        # disjoint sibling, so ex:a has one ex:C (ex:c1), as asked
        (A, P, q, ""),
        (b, "", "sh:NotConstraintComponent", b),  # two integers
        (ex("c1"), ex("q"), "sh:MinCountConstraintComponent", ""),
        ("1", ex("q"), "sh:MinCountConstraintComponent", ""),
        (ex("d"), ex("r"), "sh:InConstraintComponent", "2"),
    }
