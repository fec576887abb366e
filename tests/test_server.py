"""kgtool serve's app, in-process: the SPARQL 1.1 Protocol at /sparql, the Graph Store Protocol at
/store, the named queries at /queries, content negotiation and the exact error answers.

The app runs with its real executor (worker processes) under Starlette's TestClient.
Facts asserted are the Soundtrack article's, which the bundled graph holds however many
articles it has.
"""

from __future__ import annotations

import io
import json
import warnings

import pyoxigraph as ox
import pytest

from conftest import SOUNDTRACK_GRAPH
from kgtool.server.config import ServerConfig

SAFRAN = "https://kgtool.example/id/person/joshua-safran"
CREATOR = "SELECT ?who WHERE { work:soundtrack schema:creator ?who }"
RESULT_TYPES = {"application/sparql-results+json": "JSON", "application/sparql-results+xml": "XML",
                "text/csv": "CSV", "text/tab-separated-values": "TSV"}
READ_ONLY = ("update: this server is read-only: SPARQL Update is refused; start kgtool serve with --allow-update "
             "to accept updates\n")
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/n-quads", "application/trig",
               "application/ld+json", "application/rdf+xml"]


def test_client(config: ServerConfig):
    """A TestClient on make_app(config), its lifespan (the executor) started: use it in `with`."""
    with warnings.catch_warnings():  # starlette 1.x suggests httpx2 on import
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from kgtool.server.app import make_app

    return TestClient(make_app(config))


test_client.__test__ = False  # a helper, not a test


@pytest.fixture(scope="module")
def client():
    log = io.StringIO()
    with test_client(ServerConfig(log=log)) as client:
        client.log = log
        yield client


def rows(response) -> list[dict[str, str]]:
    """The solutions of a SPARQL results response, each {variable: the term's value}."""
    fmt = RESULT_TYPES[response.headers["content-type"].split(";")[0]]
    if fmt == "CSV":  # pyoxigraph reads no CSV results (they are lossy): values only
        import csv

        return [{k: v for k, v in row.items() if v} for row in csv.DictReader(io.StringIO(response.text))]
    results = ox.parse_query_results(response.content, format=getattr(ox.QueryResultsFormat, fmt))
    names = [v.value for v in results.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in results]


# --- /sparql: the protocol ----------------------------------------------------------------

def test_get_a_query(client):
    response = client.get("/sparql", params={"query": CREATOR})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert rows(response) == [{"who": SAFRAN}]


def test_post_a_form_and_post_directly(client):
    form = client.post("/sparql", data={"query": CREATOR}, headers={"accept": "text/csv"})
    direct = client.post("/sparql", content=CREATOR.encode(), headers={"content-type": "application/sparql-query",
                                                                       "accept": "text/csv"})
    assert form.status_code == direct.status_code == 200
    assert form.text == direct.text == f"who\r\n{SAFRAN}\r\n"
    assert form.headers["content-type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("accept", sorted(RESULT_TYPES))
def test_every_result_format_by_accept(client, accept):
    response = client.get("/sparql", params={"query": CREATOR}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert rows(response) == [{"who": SAFRAN}]


@pytest.mark.parametrize("accept", GRAPH_TYPES)
def test_every_graph_format_by_accept(client, accept):
    query = "CONSTRUCT { work:soundtrack schema:creator ?who } WHERE { work:soundtrack schema:creator ?who }"
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    fmt = ox.RdfFormat.from_media_type(accept)
    triples = {(str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(response.content, format=fmt)}
    assert triples == {("<https://kgtool.example/id/work/soundtrack>", "<https://schema.org/creator>", f"<{SAFRAN}>")}


def contexts(node) -> list:
    """Every @context value in a JSON-LD document."""
    if isinstance(node, list):
        return [c for item in node for c in contexts(item)]
    if isinstance(node, dict):
        return ([node["@context"]] if "@context" in node else []) + [c for v in node.values() for c in contexts(v)]
    return []


def test_jsonld_names_no_remote_context(client):
    query = "CONSTRUCT { work:soundtrack schema:creator ?who } WHERE { work:soundtrack schema:creator ?who }"
    body = client.get("/sparql", params={"query": query}, headers={"accept": "application/ld+json"}).json()
    assert all(isinstance(context, dict) for context in contexts(body))  # a string would be fetched


def test_accept_weights_choose_the_format(client):
    accept = "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"
    response = client.get("/sparql", params={"query": CREATOR}, headers={"accept": accept})
    assert response.headers["content-type"] == "application/sparql-results+xml"
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": browser}).headers[
        "content-type"] == "application/sparql-results+xml"


def test_an_ask_answers_json_by_default(client):
    response = client.post("/sparql", content=b"ASK { work:soundtrack schema:creator ?who }",
                           headers={"content-type": "application/sparql-query"})
    assert response.status_code == 200
    assert response.json() == {"head": {}, "boolean": True}


def test_406_when_accept_names_nothing_the_result_can_be(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "text/csv"})
    assert response.status_code == 406
    assert response.text == ("Accept: no format the request accepts (text/csv) can carry an ASK result; accept one "
                             "of: application/sparql-results+json, application/sparql-results+xml\n")
    construct = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                           headers={"accept": "application/sparql-results+json"})
    assert construct.status_code == 406


def test_dataset_from_the_protocol(client):
    query = "ASK { GRAPH ?g { work:soundtrack schema:creator ?who } }"
    named = client.get("/sparql", params={"query": query, "named-graph-uri": SOUNDTRACK_GRAPH}).json()
    assert named["boolean"] is True
    other = client.get("/sparql", params={"query": query, "named-graph-uri": "https://kgtool.example/graph/none"})
    assert other.json()["boolean"] is False
    default = client.get("/sparql", params={"query": "ASK { work:soundtrack schema:creator ?who }",
                                            "default-graph-uri": SOUNDTRACK_GRAPH}).json()
    assert default["boolean"] is True


def test_a_malformed_query_is_400_with_the_parser_position(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "query:1:25: malformed SPARQL: expected one of LATERAL, SERVICE; fix the query at that position\n"


def test_an_unknown_prefix_is_named(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s nope:p ?o }"})
    assert response.status_code == 400
    assert response.text.startswith("query: unknown prefix nope: at 1:21; declare it with PREFIX or use one of: schema, kg,")


@pytest.mark.parametrize("method, headers, body, status, text", [
    ("PUT", {}, b"", 405, "PUT is not allowed on /sparql; use GET, HEAD, POST"),
    ("POST", {"content-type": "text/plain"}, b"ASK {}", 415,
     "Content-Type: a POST to /sparql of type text/plain holds no query or update; send application/sparql-query, "
     "application/sparql-update or application/x-www-form-urlencoded"),
    ("POST", {}, b"ASK {}", 415, "Content-Type: a POST to /sparql of type (none) holds no query or update; send "
     "application/sparql-query, application/sparql-update or application/x-www-form-urlencoded"),
    ("POST", {"content-type": "application/sparql-query; charset=UTF-16"}, "ASK {}".encode("utf-16"), 415,
     "Content-Type: a SPARQL text is UTF-8, not utf-16; send the text as UTF-8 (Content-Type: "
     "application/sparql-query; charset=utf-8)"),
    ("POST", {"content-type": "application/sparql-query"}, b"ASK { \xff }", 400,
     "the request body: not UTF-8 text (byte 0xff at line 1); save the query as UTF-8 text"),
    ("POST", {"content-type": "application/x-www-form-urlencoded"}, b"query=ASK%7B%7D&query=ASK%7B%7D", 400,
     "query: query= is given 2 times; send one query per request"),
    ("POST", {"content-type": "application/x-www-form-urlencoded"}, b"query=ASK%7B%7D&update=CLEAR%20ALL", 400,
     "the form: the form must hold one field query= or one field update=; send exactly one of them"),
    ("POST", {"content-type": "application/x-www-form-urlencoded"}, b"query=ASK%20%7B%FF%7D", 400,
     "the form: not URL-encoded UTF-8; percent-encode the UTF-8 bytes of every value"),
    ("GET", {}, None, 400, "update: an update cannot be sent by GET; POST it as application/sparql-update or as a "
     "form field update="),
])
def test_what_the_protocol_refuses(client, method, headers, body, status, text):
    url = "/sparql?update=CLEAR%20ALL" if method == "GET" else "/sparql"
    response = client.request(method, url, headers=headers, content=body)
    assert (response.status_code, response.text) == (status, text + "\n")


def test_a_bad_graph_iri_is_400(client):
    response = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert response.text.startswith("default-graph-uri: 'not an iri' is not an absolute IRI (")


def test_update_parameters_on_a_query_are_refused(client):
    response = client.get("/sparql", params={"query": "ASK {}", "using-graph-uri": SOUNDTRACK_GRAPH})
    assert response.status_code == 400
    assert response.text == ("using-graph-uri: using-graph-uri is a parameter of an update, and this request is a "
                             "query; name the dataset with default-graph-uri and named-graph-uri\n")


# --- the service description ----------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"


def test_the_service_description_parses_as_turtle(client):
    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))

    def objects(predicate):
        return {q.object.value for q in graph if q.predicate.value == SD + predicate}

    assert objects("endpoint") == {"http://testserver/sparql"}
    assert objects("supportedLanguage") == {SD + "SPARQL11Query"}  # read-only: no SPARQL11Update
    assert {"http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/Turtle",
            "http://www.w3.org/ns/formats/JSON-LD"} <= objects("resultFormat")
    assert SD + "UnionDefaultGraph" in objects("feature")
    assert any(q.object.value == SD + "Service" for q in graph)


def test_the_service_description_in_another_format(client):
    response = client.get("/sparql", headers={"accept": "application/n-triples"})
    assert response.headers["content-type"] == "application/n-triples"
    assert f"<{SD}endpoint> <http://testserver/sparql> ." in response.text


# --- /queries: the named queries ------------------------------------------------------------

def test_queries_lists_the_named_queries(client):
    response = client.get("/queries")
    assert response.headers["content-type"] == "application/json"
    listed = {entry["name"]: entry for entry in response.json()}
    assert listed["04-who-played"]["url"] == "/queries/04-who-played"
    assert listed["04-who-played"]["form"] == "SELECT"
    assert [p["name"] for p in listed["04-who-played"]["params"]] == ["character"]


@pytest.mark.parametrize("name, params", [("06-inspirations", []), ("04-who-played", ["character=Joanna Kassem"]),
                                          ("02-creator", ["work=work:soundtrack"])])
def test_a_named_query_answers_as_kgtool_query_does(client, run, name, params):
    cli = run("query", name, "--format", "csv", *[a for p in params for a in ("--param", p)])
    assert cli.exit_code == 0, cli.output
    response = client.get(f"/queries/{name}", params=dict(p.split("=", 1) for p in params),
                          headers={"accept": "text/csv"})
    assert response.status_code == 200
    assert response.content == cli.stdout_bytes


@pytest.mark.parametrize("accept", sorted(RESULT_TYPES))
def test_a_named_query_in_every_result_format(client, accept):
    response = client.get("/queries/04", params={"character": "Joanna Kassem"}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert [r["actor"] for r in rows(response)] == ["https://kgtool.example/id/person/jenna-dewan"]


def test_a_construct_named_query_in_a_graph_format(client):
    response = client.get("/queries/25-lineage", headers={"accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/n-triples"
    assert "<https://kgtool.example/id/work/soundtrack>" in response.text


def test_an_unknown_named_query_is_404_with_the_list(client):
    response = client.get("/queries/no-such-query")
    assert response.status_code == 404
    assert response.text.startswith("unknown query 'no-such-query'; the named queries are: 01-canceled-series, "
                                    "02-creator, ")
    assert response.text.endswith(" (GET /queries lists them)\n")


def test_a_bad_parameter_is_400_with_the_cli_message(client, run):
    response = client.get("/queries/04", params={"charactr": "Joanna Kassem"})
    assert (response.status_code, response.text) == (
        400, "query '04-who-played' has no parameter 'charactr'; it takes: character\n")
    cli = run("query", "04", "--param", "charactr=Joanna Kassem")
    assert cli.stderr == "kgtool: error: " + response.text


def test_a_parameter_given_twice_is_400(client):
    response = client.get("/queries/04?character=a&character=b")
    assert (response.status_code, response.text) == (400, "?character=: parameter 'character' is given twice; "
                                                          "give each parameter once\n")


def test_a_parameter_is_a_term_never_text_pasted_into_the_query(client):
    injected = '"x" } UNION { ?character ?p ?o'
    response = client.get("/queries/04", params={"character": injected}, headers={"accept": "text/csv"})
    assert response.status_code == 400
    assert response.text.startswith("--param character: no entity labelled '\"x\" } UNION { ?character ?p ?o' in the graph")


def test_a_query_name_is_never_a_file_path(client):
    assert client.get("/queries/README.md").status_code == 404
    assert client.get("/queries/..%2Fpyproject.toml").status_code == 404


# --- /store: Graph Store Protocol reads -----------------------------------------------------

def test_get_an_article_graph(client):
    response = client.get("/store", params={"graph": SOUNDTRACK_GRAPH}, headers={"accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/n-triples"
    assert f"<https://kgtool.example/id/work/soundtrack> <https://schema.org/creator> <{SAFRAN}> ." in response.text


def test_get_the_default_graph_in_turtle(client):
    response = client.get("/store?default")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    assert any(t.object.value == SAFRAN for t in triples)


def test_head_of_a_graph_has_no_body(client):
    response = client.head("/store", params={"graph": SOUNDTRACK_GRAPH})
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_an_unknown_graph_is_404(client, method):
    response = client.request(method, "/store", params={"graph": "https://kgtool.example/graph/none"})
    assert response.status_code == 404
    if method == "GET":
        assert response.text == ("/store: the store holds no graph <https://kgtool.example/graph/none>; GET "
                                 "/store?graph=IRI with one of the graphs the store holds\n")


def test_a_store_request_must_name_one_graph(client):
    assert client.get("/store").text == "the URL: no graph named; add ?default for the default graph or ?graph=IRI for a named graph\n"
    assert client.get("/store", params={"default": "", "graph": SOUNDTRACK_GRAPH}).status_code == 400


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_store_writes_are_403_on_a_read_only_server(client, method):
    response = client.request(method, "/store", params={"graph": SOUNDTRACK_GRAPH}, content=b"",
                              headers={"content-type": "text/turtle"})
    assert (response.status_code, response.text) == (403, READ_ONLY)
    graph = client.get("/store", params={"graph": SOUNDTRACK_GRAPH}, headers={"accept": "application/n-triples"})
    assert f"<{SAFRAN}>" in graph.text  # untouched


def test_the_request_log_has_one_line_per_request(client):
    before = client.log.getvalue().count("\n")
    client.get("/sparql", params={"query": CREATOR})
    client.get("/queries/nope")
    assert client.log.getvalue().count("\n") == before + 2


def test_an_unknown_route_is_404_in_one_line(client):
    response = client.get("/nothing-here")
    assert (response.status_code, response.text) == (
        404, "nothing at /nothing-here; the server answers the page at /, /sparql, /store and /queries\n")


def test_the_endpoint_answers_with_a_trailing_slash_and_to_head(client):
    assert client.get("/sparql/", params={"query": "ASK {}"}).json() == {"head": {}, "boolean": True}
    head = client.head("/sparql", params={"query": CREATOR})
    assert (head.status_code, head.content, head.headers["content-type"]) == (200, b"", "application/sparql-results+json")


def test_serve_help_imports_no_server_stack():
    import subprocess
    import sys

    script = ("import sys; from click.testing import CliRunner; from kgtool.cli import cli; "
              "out = CliRunner().invoke(cli, ['serve', '--help']).output; assert '--allow-update' in out; "
              "print(sorted(m for m in ('starlette', 'uvicorn', 'httpx', 'pyoxigraph') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, "[]\n"), result.stderr
