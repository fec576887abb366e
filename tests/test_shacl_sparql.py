"""SHACL-SPARQL in the SPARQL engine (SHACL 1.0, sections 5 and 6, Appendix A).

Pre-binding as SHACL defines it (values insertion into every group), the queries a processor
must refuse, SPARQL-based constraint components, sh:prefixes through owl:imports and custom
SPARQL target types: each case gives the exact results, or the exact error line.
"""

from __future__ import annotations

import pytest

from kgtool.shacl import checks
from kgtool.shacl.validation import read_shapes, validate_with
from kgtool.store import load

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <http://example.org/> .
"""
DECLARE = 'ex: sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .\n'
SPARQL = "sh:SPARQLConstraintComponent"


def iri(local: str) -> str:
    return f"<http://example.org/{local}>"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


def report(tmp_path, shapes: str, data: str, engine: str = "sparql"):
    store = load([write(tmp_path, "data.ttl", data)])
    shapes_store, where = read_shapes([write(tmp_path, "shapes.ttl", DECLARE + shapes)])
    return validate_with(store, shapes_store, where, engine)


def found(tmp_path, shapes: str, data: str, engine: str = "sparql") -> set[tuple[str, str, str, str]]:
    return {(r.focus, r.path, r.component, r.value) for r in report(tmp_path, shapes, data, engine).results}


def sparql_shape(select: str, target: str = "sh:targetNode ex:a") -> str:
    return f'ex:S a sh:NodeShape ; {target} ; sh:sparql [ sh:prefixes ex: ; sh:select """{select}""" ] .'


# -- pre-binding: $this is bound in every group (W3C sht_tests sparql/pre-binding) ---------------

PRE_BINDING = {
    "union (pre-binding-002)": "SELECT $this WHERE { { FILTER (false) } UNION { FILTER ($this = ex:a) } }",
    "nested bound (pre-binding-003)": "SELECT $this WHERE { { { FILTER ($this = ex:a) } FILTER bound($this) } FILTER (true) }",
    "bound in a group (pre-binding-005)": 'SELECT $this WHERE { { FILTER (bound($this)) } $this ex:p "x" . FILTER (bound($this)) }',
    "subquery (pre-binding-007)": "SELECT $this WHERE { { SELECT $this WHERE { FILTER ($this = ex:a) } } }",
    "optional": "SELECT $this WHERE { OPTIONAL { FILTER ($this = ex:a) BIND (1 AS ?one) } FILTER (bound(?one)) }",
}


@pytest.mark.parametrize("select", PRE_BINDING.values(), ids=PRE_BINDING.keys())
def test_this_is_pre_bound_in_every_group(tmp_path, select):
    data = 'ex:a ex:p "x" . ex:b ex:p "y" .'
    assert found(tmp_path, sparql_shape(select, "sh:targetNode ex:a , ex:b"), data) == {(iri("a"), "", SPARQL, iri("a"))}


@pytest.mark.parametrize("select", PRE_BINDING.values(), ids=PRE_BINDING.keys())
def test_pre_binding_with_many_focus_nodes(tmp_path, monkeypatch, select):
    """Past INLINE_LIMIT the focus nodes are a subquery inserted into each group: same answers."""
    monkeypatch.setattr(checks, "INLINE_LIMIT", 1)
    data = 'ex:a a ex:C ; ex:p "x" . ex:b a ex:C ; ex:p "y" . ex:c a ex:C .'
    assert found(tmp_path, sparql_shape(select, "sh:targetClass ex:C"), data) == {(iri("a"), "", SPARQL, iri("a"))}


def test_blank_focus_nodes_are_pre_bound(tmp_path):
    """Blank nodes cannot be written in VALUES: the focus subquery goes into each group instead."""
    select = "SELECT $this WHERE { { FILTER (bound($this)) } $this ex:p ?v . FILTER (?v = 2) }"
    data = "[] a ex:C ; ex:p 1 . [] a ex:C ; ex:p 2 ."
    results = report(tmp_path, sparql_shape(select, "sh:targetClass ex:C"), data).results
    assert [(r.focus, r.component) for r in results] == [("[]", SPARQL)]


def test_limit_runs_once_per_focus_node(tmp_path):
    """LIMIT counts rows across focus nodes, so such a query runs for each focus node alone."""
    select = "SELECT $this WHERE { { SELECT $this ?v WHERE { $this ex:p ?v } ORDER BY ?v LIMIT 1 } FILTER (?v > 1) }"
    data = "ex:a ex:p 2 , 3 . ex:b ex:p 1 , 5 . ex:c ex:p 4 ."
    shapes = sparql_shape(select, "sh:targetNode ex:a , ex:b , ex:c")
    assert found(tmp_path, shapes, data) == {(iri("a"), "", SPARQL, iri("a")), (iri("c"), "", SPARQL, iri("c"))}


EQUIVALENCE = [
    "SELECT $this ?v WHERE { $this ex:p ?v . OPTIONAL { $this ex:q ?w } FILTER (!bound(?w)) }",
    "SELECT $this ?v WHERE { { $this ex:p ?v } UNION { ?v ex:q $this } FILTER NOT EXISTS { ?v ex:p $this } }",
    "SELECT $this WHERE { { SELECT $this (COUNT(?v) AS ?n) WHERE { $this ex:p ?v } GROUP BY $this } FILTER (?n > 1) }",
    "SELECT $this ?w WHERE { OPTIONAL { { FILTER (bound($this)) } ?w ex:q $this } FILTER (!bound(?w) || ?w != $this) }",
    "SELECT $this WHERE { { BIND ($this AS ?x) } ?x ex:p ?y . ?y ex:p ?z . FILTER EXISTS { { FILTER (?z != $this) } } }",
]


@pytest.mark.parametrize("select", EQUIVALENCE)
def test_batched_pre_binding_equals_one_focus_node_at_a_time(tmp_path, monkeypatch, select):
    """The focus nodes inserted all at once give what the query gives for each focus node alone."""
    import random

    from kgtool.shacl import prebinding

    rnd = random.Random(select)
    data = " ".join(f"ex:n{rnd.randrange(20)} ex:{rnd.choice('pq')} ex:n{rnd.randrange(20)} ." for _ in range(30))
    shapes = sparql_shape(select, "sh:targetSubjectsOf ex:p , ex:q")
    as_values = found(tmp_path, shapes, data)
    monkeypatch.setattr(checks, "INLINE_LIMIT", 1)
    batched = found(tmp_path, shapes, data)
    assert as_values == batched
    monkeypatch.setattr(checks, "each_node", lambda text: True)
    monkeypatch.setattr(prebinding, "each_node", lambda text: True)
    assert batched and found(tmp_path, shapes, data) == batched


def test_simple_queries_keep_their_form():
    """A query with one group, or whose groups open with triples that bind $this, is run as
    written with the focus nodes in front (`optional`: the focus nodes again, where they may
    only cut what a group reads): the form that keeps validation fast."""
    from kgtool.shacl.prebinding import rewrite

    flat = "SELECT $this WHERE { $this ex:p ?v . FILTER (?v > 1) }"
    assert rewrite(flat, "FOCUS", {"this"}) == "SELECT $this WHERE { FOCUS  $this ex:p ?v . FILTER (?v > 1) }"
    nested = "SELECT $this WHERE { $this ex:p ?v OPTIONAL { $this ex:q ?w } FILTER NOT EXISTS { ?v ex:r ?x } }"
    assert rewrite(nested, "FOCUS", {"this"}, optional="AGAIN") == (
        "SELECT $this WHERE { FOCUS  $this ex:p ?v OPTIONAL { AGAIN  $this ex:q ?w } FILTER NOT EXISTS { ?v ex:r ?x } }")
    union = "SELECT $this WHERE { { $this ex:p ?v } UNION { FILTER ($this = ex:a) } }"
    assert rewrite(union, "FOCUS", {"this"}) == (
        "SELECT $this WHERE { FOCUS  { $this ex:p ?v } UNION { FOCUS  FILTER ($this = ex:a) } }")


ROOT_SHAPES = __import__("pathlib").Path(__file__).resolve().parent.parent / "shapes"


def test_the_project_shapes_keep_their_form():
    from kgtool.shacl.shapes import ShapesGraph

    shapes, _ = read_shapes([checks.__file__.rsplit("/kgtool/", 1)[0] + "/shapes"], check=False)
    sparql = [c for c in checks.compile_checks(ShapesGraph(shapes.backend)) if c.sparql is not None]
    subquery = "{ SELECT ?this WHERE { ?this a ?type } }"  # what many focus nodes become
    texts = [path.read_text() for path in ROOT_SHAPES.glob("*.ttl")]
    written = sum(text.count("sh:select") - text.count("a sh:SPARQLTarget") for text in texts)  # constraints
    assert len(sparql) == written >= 2
    assert all(checks._focused(c.query, subquery).count(subquery) == 1 and not c.each_node for c in sparql)


# -- queries SHACL says a processor must refuse (Appendix A) ----------------------------------

REFUSED = {
    "MINUS": ('SELECT $this WHERE { $this ?p ?o . MINUS { $this ?p "v" } }',
              "MINUS is not allowed in a SHACL-SPARQL query (SHACL 1.0, Appendix A: pre-binding); "
              "write FILTER NOT EXISTS { ... } instead"),
    "VALUES": ("SELECT $this WHERE { VALUES ?any { true } }",
               "VALUES is not allowed in a SHACL-SPARQL query (SHACL 1.0, Appendix A: pre-binding); "
               "write FILTER (?var IN (...)) instead"),
    "SERVICE": ("SELECT $this WHERE { $this ?p ?o . SERVICE <http://example.org/sparql> { ?a ?b ?c } }",
                "SERVICE is not allowed in a SHACL-SPARQL query (SHACL 1.0, Appendix A: pre-binding); "
                "load the other data with kgtool load and query it here"),
    "AS $this": ("SELECT $this WHERE { BIND (true AS $this) }",
                 "'AS $this' binds the pre-bound variable $this again (SHACL 1.0, Appendix A: pre-binding); "
                 "bind another variable than $this"),
    "subquery": ("SELECT $this WHERE { $this ?p ?o . { SELECT ?other WHERE { ?other ?b ?c } } }",
                 "a subquery does not return the pre-bound variable $this (SHACL 1.0, Appendix A: pre-binding); "
                 "add $this to the subquery's SELECT clause"),
    "SELECT * (pre-binding-006)": ("SELECT $this WHERE { { SELECT * WHERE { FILTER ($this = ex:a) } } }",
                                   "a subquery does not return the pre-bound variable $this (SHACL 1.0, "
                                   "Appendix A: pre-binding); add $this to the subquery's SELECT clause"),
}


@pytest.mark.parametrize("select,line", REFUSED.values(), ids=REFUSED.keys())
def test_forbidden_queries_are_refused(tmp_path, run, select, line):
    data = write(tmp_path, "data.ttl", "ex:a ex:p ex:b .")
    shapes = write(tmp_path, "shapes.ttl", DECLARE + sparql_shape(select))
    result = run("validate", "-g", str(data), "-s", str(shapes), "--no-ontology")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"kgtool: error: the SPARQL of shape {iri('S')}: {line}\n"


def test_shapes_graph_is_refused_in_one_line(tmp_path, run):
    data = write(tmp_path, "data.ttl", "ex:a ex:p ex:b .")
    select = "SELECT $this WHERE { GRAPH $shapesGraph { $currentShape ex:p 42 } }"
    shapes = write(tmp_path, "shapes.ttl", DECLARE + sparql_shape(select))
    result = run("validate", "-g", str(data), "-s", str(shapes), "--no-ontology")
    assert result.exit_code == 2
    assert result.stderr == (f"kgtool: error: the SPARQL of shape {iri('S')}: $shapesGraph is not supported, since "
                             "kgtool keeps the shapes apart from the data (SHACL 1.0, section 5.3.1 lets a processor "
                             "refuse it); remove the part that reads $shapesGraph\n")


def test_current_shape_is_pre_bound(tmp_path):
    select = "SELECT $this WHERE { FILTER ($currentShape = ex:S) }"
    result = report(tmp_path, sparql_shape(select), "ex:a ex:p 1 .")
    assert result.engine == "sparql"
    assert [(r.focus, r.component) for r in result.results] == [(iri("a"), SPARQL)]


# -- SPARQL-based constraint components (SHACL 6) ---------------------------------------------

ASK_COMPONENT = """
ex:ConcatComponent a ex:MyComponentClass ;
    sh:parameter [ sh:path ex:first ] , [ sh:path ex:second ] ;
    sh:validator [ a sh:SPARQLAskValidator ; sh:message "not {$first}{$second}" ;
                   sh:ask "ASK { FILTER (STR(?value) = CONCAT($first, $second)) }" ] .
ex:MyComponentClass rdfs:subClassOf sh:ConstraintComponent .
"""


def test_ask_validator_on_a_node_shape(tmp_path):
    shapes = ASK_COMPONENT + 'ex:S a sh:NodeShape ; sh:targetNode "ab" , "xy" ; ex:first "a" ; ex:second "b" .'
    results = report(tmp_path, shapes, "ex:a ex:p 1 .").results
    assert [(r.focus, r.component, r.value, r.message) for r in results] == [
        ("xy", iri("ConcatComponent"), "xy", "not ab")]


def test_ask_validator_on_a_property_shape(tmp_path):
    shapes = ASK_COMPONENT + ('ex:S a sh:NodeShape ; sh:targetNode ex:a ; '
                              'sh:property [ sh:path ex:p ; ex:first "a" ; ex:second "b" ] .')
    data = 'ex:a ex:p "ab" , "ba" , "x" .'
    assert found(tmp_path, shapes, data) == {(iri("a"), iri("p"), iri("ConcatComponent"), v)
                                             for v in ("ba", "x")}


def test_ask_validator_with_an_optional_parameter(tmp_path):
    """W3C sparql/component/optional-001: an absent optional parameter stays unbound."""
    shapes = """
ex:C a sh:ConstraintComponent ;
    sh:parameter [ sh:path ex:optionalParam ; sh:optional true ] , [ sh:path ex:requiredParam ] ;
    sh:validator [ sh:ask "ASK { FILTER ($value != $requiredParam && $value != COALESCE(?optionalParam, 'Three')) }" ] .
ex:S1 a sh:NodeShape ; ex:requiredParam "One" ; sh:targetNode "One" , "Two" , "Three" .
ex:S2 a sh:NodeShape ; ex:requiredParam "One" ; ex:optionalParam "Two" ; sh:targetNode "One" , "Two" , "Three" .
ex:Incomplete a sh:NodeShape ; ex:optionalParam "Some" ; sh:targetNode "One" .
"""
    results = report(tmp_path, shapes, "ex:a ex:p 1 .").results
    assert sorted((r.shape, r.focus) for r in results) == [
        (iri("S1"), "One"), (iri("S1"), "Three"), (iri("S2"), "One"), (iri("S2"), "Two")]


def test_node_validator_select(tmp_path):
    shapes = """
ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:requiredParam ] ;
    sh:nodeValidator [ sh:prefixes ex: ; sh:select "SELECT DISTINCT $this WHERE { $this ?p ?o . FILTER NOT EXISTS { $this ex:property ?requiredParam } }" ] .
ex:S a sh:NodeShape ; ex:requiredParam "Value" ; sh:targetNode ex:bad , ex:good .
"""
    data = 'ex:bad ex:property "Other" . ex:good ex:property "Value" .'
    assert found(tmp_path, shapes, data) == {(iri("bad"), "", iri("C"), iri("bad"))}


def test_property_validator_select_with_path_and_message(tmp_path):
    """W3C sparql/component/propertyValidator-select-001: $PATH, and {$lang} in the message."""
    shapes = """
ex:LanguageComponent a sh:ConstraintComponent ; sh:parameter [ sh:path ex:lang ] ;
    sh:propertyValidator [ sh:message "Values are literals with language {?lang}" ; sh:select
        "SELECT DISTINCT $this ?value WHERE { $this $PATH ?value . FILTER (!isLiteral(?value) || !langMatches(lang(?value), $lang)) }" ] .
ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b ;
    sh:property [ sh:path ex:english ; ex:lang "en" ] , [ sh:path ex:german ; ex:lang "de" ] .
"""
    data = 'ex:a ex:english "Munich" ; ex:german "Muenchen" . ex:b ex:english "Beijing"@en ; ex:german "Peking"@de .'
    results = report(tmp_path, shapes, data).results
    assert [(r.focus, r.path, r.value, r.message) for r in results] == [
        (iri("a"), iri("english"), "Munich", "Values are literals with language en"),
        (iri("a"), iri("german"), "Muenchen", "Values are literals with language de")]
    assert all(r.component == iri("LanguageComponent") and r.terms[4] is None for r in results)


def test_component_without_a_validator_for_the_shape_is_refused(tmp_path, run):
    """Never ignored: a shape that uses a component with no validator for its kind is refused."""
    shapes = write(tmp_path, "shapes.ttl", 'ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:param ] ; '
                   'sh:propertyValidator [ sh:select "SELECT $this WHERE { }" ] .\n'
                   'ex:S a sh:NodeShape ; sh:targetNode ex:a ; ex:param 1 .')
    data = write(tmp_path, "data.ttl", "ex:a ex:p 1 .")
    result = run("validate", "-g", str(data), "-s", str(shapes), "--no-ontology")
    assert result.exit_code == 2
    assert result.stderr == ("kgtool: error: shape <http://example.org/S>: the constraint component "
                             "<http://example.org/C> that it uses has no validator for node shapes (sh:nodeValidator "
                             "or sh:validator, SHACL 1.0, section 6.2.3); give the component a sh:nodeValidator "
                             "or a sh:validator\n")


def test_component_turtle_report(tmp_path, run):
    shapes = write(tmp_path, "shapes.ttl", DECLARE + ASK_COMPONENT +
                   'ex:S a sh:NodeShape ; sh:targetNode "xy" ; ex:first "a" ; ex:second "b" .')
    data = write(tmp_path, "data.ttl", "ex:a ex:p 1 .")
    result = run("validate", "-g", str(data), "-s", str(shapes), "--no-ontology", "-f", "turtle")
    assert result.exit_code == 1, result.stderr
    assert "sh:sourceConstraintComponent <http://example.org/ConcatComponent>" in result.stdout


# -- sh:prefixes through owl:imports (SHACL 5.2.1), custom target types (SHACL-AF 5.2) ------------

def test_prefixes_through_owl_imports(tmp_path):
    shapes = """
ex:Prefixes owl:imports ex: , ex:More .
ex:More sh:declare [ sh:prefix "test" ; sh:namespace "http://test.example/ns#"^^xsd:anyURI ] .
ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b ; sh:sparql [ sh:prefixes ex:Prefixes ;
    sh:select "SELECT $this ?value WHERE { $this ex:p ?value . FILTER (?value = test:Value) }" ] .
"""
    data = "ex:a ex:p <http://test.example/ns#Value> . ex:b ex:p ex:other ."
    assert found(tmp_path, shapes, data) == {(iri("a"), "", SPARQL, "<http://test.example/ns#Value>")}


def test_custom_sparql_target_type(tmp_path):
    shapes = """
ex:BornIn a sh:SPARQLTargetType ; rdfs:subClassOf sh:Target ; sh:prefixes ex: ;
    sh:parameter [ sh:path ex:country ] ;
    sh:select "SELECT ?this WHERE { ?this a ex:Person . ?this ex:bornIn $country . }" .
ex:S a sh:NodeShape ; sh:target [ a ex:BornIn ; ex:country ex:USA ] ; sh:class ex:USCitizen .
"""
    data = ("ex:barry a ex:Person ; ex:bornIn ex:USA . ex:ludwig a ex:Person ; ex:bornIn ex:Germany . "
            "ex:abe a ex:Person , ex:USCitizen ; ex:bornIn ex:USA .")
    result = report(tmp_path, shapes, data)
    assert result.engine == "sparql"
    assert [(r.focus, r.component) for r in result.results] == [(iri("barry"), "sh:ClassConstraintComponent")]


def test_parameters_are_pre_bound_in_every_group(tmp_path):
    shapes = """
ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:allowed ] ;
    sh:validator [ sh:ask "ASK { { FILTER (false) } UNION { FILTER (sameTerm($value, $allowed)) } }" ] .
ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; ex:allowed ex:ok ] .
"""
    assert found(tmp_path, shapes, "ex:a ex:p ex:ok , ex:bad .") == {(iri("a"), iri("p"), iri("C"), iri("bad"))}


def test_sh_expression_is_handed_to_pyshacl(tmp_path):
    """SHACL-AF node expressions are not compiled: pySHACL checks the shapes, and the note says so."""
    shapes = 'ex:S a sh:NodeShape ; sh:targetNode true , false ; sh:expression sh:this .'
    result = report(tmp_path, shapes, "ex:a ex:p 1 .")
    assert [(r.focus, r.component) for r in result.results] == [("false", "sh:ExpressionConstraintComponent")]
    assert (result.engine, result.note) == (
        "pyshacl", "the SPARQL engine does not compile sh:expression; pySHACL checked the graph instead")
