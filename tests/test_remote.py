"""--endpoint and kgtool push on a real Oxigraph server, and the server quirks on a fake one.

Every server is started here, on loopback, and stopped when its tests are done
(tests/servers.py). The bundled graph's answers are compared as sets of rows: an
ORDER BY leaves ties in whatever order the engine finds them.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse

import pytest
from click.testing import CliRunner

from kgtool import queries
from kgtool.cli import cli
from kgtool.store.remote import GRAPHS
from tests.conftest import QUERIES
from tests.servers import FakeGraphStore, fake_endpoint, oxigraph_server

NAMED = sorted(queries.catalog(QUERIES))


def _invoke(*args: str, env: dict | None = None, input: str | None = None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env, input=input)


def _pushed(folder, *data: str):
    """An Oxigraph server holding `data` (kgtool push options), stopped at the end."""
    with oxigraph_server(folder) as url:
        result = _invoke("push", "--endpoint", url, *data)
        assert result.exit_code == 0, result.stderr
        yield url


@pytest.fixture(scope="module")
def bundled_endpoint(tmp_path_factory):
    yield from _pushed(tmp_path_factory.mktemp("oxigraph") / "bundled")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated graph of 100k triples, as a file and in an Oxigraph server."""
    folder = tmp_path_factory.mktemp("generated")
    path = folder / "news-100k.nq"
    assert _invoke("generate", "--triples", "100000", "--seed", "7", "-o", str(path)).exit_code == 0
    for url in _pushed(folder / "oxigraph", "--graph", str(path)):
        yield path, url


def _answers(*args: str) -> tuple[int, object]:
    """A query's answer, comparable whatever the order of ties: the rows as a sorted list."""
    result = _invoke("query", *args, "-f", "json")
    if result.exit_code == 2 and "returns RDF" in result.stderr:
        result = _invoke("query", *args, "-f", "ntriples")
        return result.exit_code, sorted(result.stdout.splitlines())
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    if "boolean" in document:
        return 0, document["boolean"]
    rows = [{name: _unordered(term) for name, term in row.items()} for row in document["results"]["bindings"]]
    return 0, (document["head"], sorted(json.dumps(row, sort_keys=True) for row in rows))


def _unordered(term: dict) -> dict:
    """A GROUP_CONCAT of IRIs (query 21's articles) in any order, as one: SPARQL leaves it open."""
    parts = term["value"].split(" ")
    if term["type"] == "literal" and len(parts) > 1 and all(p.startswith("https://") for p in parts):
        return {**term, "value": " ".join(sorted(parts))}
    return term


# -- Oxigraph server: the same answers as the files ---------------------------------------------

@pytest.mark.parametrize("name", NAMED)
def test_every_named_query_answers_on_the_endpoint_as_on_the_files(bundled_endpoint, name):
    assert _answers(name, "--endpoint", bundled_endpoint) == _answers(name)


def test_a_parameter_is_bound_on_the_endpoint_as_locally(bundled_endpoint):
    args = ("04", "--param", "character=Joanna Kassem")
    assert _answers(*args, "--endpoint", bundled_endpoint) == _answers(*args)
    local = _invoke("query", "04", "-p", "character=Joanna Kassem", "-f", "csv")
    remote = _invoke("query", "04", "-p", "character=Joanna Kassem", "-f", "csv", "--endpoint", bundled_endpoint)
    assert remote.stdout == local.stdout
    assert "joanna-kassem" in remote.stdout and "jenna-dewan" in remote.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "turtle"])
def test_validate_on_the_endpoint_reports_as_on_the_files(bundled_endpoint, fmt):
    local = _invoke("validate", "-f", fmt)
    remote = _invoke("validate", "-f", fmt, "--endpoint", bundled_endpoint)
    assert (remote.exit_code, remote.stdout) == (local.exit_code, local.stdout)
    assert remote.stderr == ""


@pytest.mark.parametrize("args", [("export", "-f", "trig"), ("export", "-f", "nquads"), ("stats", "-f", "json"),
                                  ("describe", "Jenna Dewan"), ("path", "Jenna Dewan", "Steve Martin"),
                                  ("viz", "-f", "graphml")])
def test_other_commands_give_the_same_bytes_on_the_endpoint(bundled_endpoint, args):
    local, remote = _invoke(*args), _invoke(*args, "--endpoint", bundled_endpoint)
    assert (remote.exit_code, remote.stdout) == (local.exit_code, local.stdout)


def test_the_endpoint_keeps_the_articles_apart_and_merges_them_in_its_default_graph(bundled_endpoint):
    soundtrack = "https://kgtool.example/graph/et-soundtrack-canceled"
    text = f"ASK {{ GRAPH <{soundtrack}> {{ work:soundtrack schema:creator person:joshua-safran }} }}"
    assert _invoke("query", "-e", text, "--endpoint", bundled_endpoint).stdout == "true\n"
    merged = "ASK { work:soundtrack schema:creator person:joshua-safran }"
    assert _invoke("query", "-e", merged, "--endpoint", bundled_endpoint).stdout == "true\n"


def test_a_query_mistake_is_worded_as_locally_before_anything_is_sent(bundled_endpoint):
    text = "SELECT ?x WHERE { ?x ?p }"
    local, remote = _invoke("query", "-e", text), _invoke("query", "-e", text, "--endpoint", bundled_endpoint)
    assert (remote.exit_code, remote.stderr) == (2, local.stderr)
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    refused = _invoke("query", "-e", service, "--endpoint", bundled_endpoint)
    assert refused.exit_code == 2 and "SERVICE would send the query to another server" in refused.stderr


def test_endpoint_and_files_cannot_both_be_given(bundled_endpoint):
    result = _invoke("query", "02", "--endpoint", bundled_endpoint, "--graph", "graph")
    assert result.exit_code == 2
    assert result.stderr == ("kgtool: error: --endpoint: give --endpoint, --graph or --store, only one; drop the "
                             "files or the store, or load them into the endpoint with kgtool push\n")


# -- a generated graph of 100k triples ------------------------------------------------------------

def test_validate_on_a_generated_graph_in_the_endpoint(generated):
    path, url = generated
    local = _invoke("validate", "-f", "json", "--graph", str(path))
    remote = _invoke("validate", "-f", "json", "--endpoint", url)
    assert (remote.exit_code, remote.stdout) == (local.exit_code, local.stdout) == (0, local.stdout)


@pytest.mark.parametrize("name", ["01-canceled-series", "21-single-season-cancellations",
                                  "22-people-in-several-articles", "24-derivation-chains"])
def test_queries_on_a_generated_graph_in_the_endpoint(generated, name):
    path, url = generated
    assert _answers(name, "--endpoint", url) == _answers(name, "--graph", str(path))


def test_stats_on_a_generated_graph_in_the_endpoint(generated):
    path, url = generated
    assert _invoke("stats", "-f", "json", "--endpoint", url).stdout == \
        _invoke("stats", "-f", "json", "--graph", str(path)).stdout


# -- failures, each one line ------------------------------------------------------------------------

def test_a_refused_connection_is_one_line_naming_the_url():
    from tests.servers import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    result = _invoke("query", "02", "--endpoint", url)
    assert result.exit_code == 2
    assert result.stderr == (f"kgtool: error: --endpoint: cannot reach the endpoint {url}: connection refused; "
                             "check the URL and that the server is running\n")


def test_an_endpoint_that_does_not_answer_in_time_is_a_timeout():
    def slow(method, path, headers, body):
        time.sleep(3)
        return 200, "application/sparql-results+json", b'{"head":{},"boolean":true}', {}

    with fake_endpoint(slow) as base:
        result = _invoke("query", "-e", "ASK {}", "--endpoint", base + "/sparql", "--timeout", "0.5")
    assert result.exit_code == 2
    assert result.stderr == (f"kgtool: error: --endpoint: the endpoint {base}/sparql did not answer the query (-e) "
                             "within 0.5 s; narrow it (a LIMIT, more specific patterns) or raise --timeout\n")


def test_a_body_cut_short_is_an_error_never_an_answer():
    def broken(method, path, headers, body):  # Oxigraph server's timeout: 200, then a half-sent body
        return 200, "application/sparql-results+json", b'{"head":{"vars":["s"]},"results":{"bindings":[{"s"', {}

    with fake_endpoint(broken) as base:
        result = _invoke("query", "-e", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", base + "/sparql")
    assert result.exit_code == 2
    assert result.stderr.startswith("kgtool: error: -e: the endpoint's answer is not whole SPARQL JSON results")
    assert result.stdout == ""


def test_a_query_the_endpoint_refuses_says_what_it_said():
    def refusing(method, path, headers, body):
        return 400, "text/plain", b"Parser error at 1:8: no such function\nmore lines", {}

    with fake_endpoint(refusing) as base:
        result = _invoke("query", "-e", "ASK {}", "--endpoint", base + "/sparql")
    assert result.stderr == ("kgtool: error: --endpoint: the endpoint refused the query (-e): Parser error at 1:8: "
                             "no such function; fix the query\n")


# -- Virtuoso's quirks, played by a fake endpoint -------------------------------------------------

VIRTUOSO = "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"
XSD = "http://www.w3.org/2001/XMLSchema#"
CAP = 10_000
ROWS = 25_000


def _query_of(body: bytes) -> str:
    return urllib.parse.parse_qs(body.decode())["query"][0]


def _virtuoso(sent: list[str]):
    def answer(method, path, headers, body):
        assert method == "POST" and headers["Content-Type"] == "application/x-www-form-urlencoded"
        text = _query_of(body)
        if text == GRAPHS:  # kgtool push's merge there? (no: integ)
            return 200, "application/sparql-results+json", b'{"head":{"vars":["g"]},"results":{"bindings":[]}}', {}
        sent.append(text)
        if text.rstrip().endswith("}") and "ASK" in text:
            return 200, "application/sparql-results+json", b'{"head":{},"boolean":1}', {}
        if "kg:n ?n" in text:  # 25,000 numbers, at most 10,000 a time, paged by LIMIT and OFFSET
            limit = re.search(r"LIMIT (\d+) OFFSET (\d+)", text)
            start, size = (int(limit[2]), int(limit[1])) if limit else (0, ROWS)
            rows = [{"n": {"type": "typed-literal", "datatype": XSD + "integer", "value": str(i)}}
                    for i in range(start, min(ROWS, start + min(size, CAP)))]
            return 200, "application/sparql-results+json", json.dumps(
                {"head": {"vars": ["n"]}, "results": {"bindings": rows}}).encode(), {}
        row = {"title": {"type": "typed-literal", "datatype": XSD + "gYear", "value": "1978"},
               "flag": {"type": "typed-literal", "datatype": XSD + "boolean", "value": "1"},
               "node": {"type": "bnode", "value": "nodeID://b10012"}}
        return 200, "application/sparql-results+json", json.dumps(
            {"head": {"vars": ["title", "flag", "node"]}, "results": {"bindings": [row]}}).encode(), {}
    return answer


def test_typed_literals_booleans_and_blank_labels_are_read_as_meant():
    sent: list[str] = []
    with fake_endpoint(_virtuoso(sent), VIRTUOSO) as base:
        result = _invoke("query", "-e", "SELECT ?title ?flag ?node WHERE { ?node ?flag ?title }",
                         "--endpoint", base + "/sparql", "-f", "tsv")
        ask = _invoke("query", "-e", "ASK { ?s ?p ?o }", "--endpoint", base + "/sparql")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].split("\t")[:2] == [f'"1978"^^<{XSD}gYear>', "true"]
    assert result.stdout.splitlines()[1].split("\t")[2].startswith("_:")
    assert result.stderr.splitlines() == [
        "kgtool: note: sent queries as form POSTs (Virtuoso hangs on a direct application/sparql-query POST)",
        "kgtool: note: read the endpoint's booleans written as 0 and 1 as false and true",
        "kgtool: note: read the endpoint's \"typed-literal\" JSON terms as literals (SPARQL 1.0's form)",
        "kgtool: note: renamed the endpoint's blank node labels that RDF does not allow (such as nodeID://b1)",
    ]
    assert ask.stdout == "true\n"
    assert sent[0] == "ASK { ?s ?p ?o }"  # once: is the default graph empty? (it is not)
    assert "PREFIX schema: <https://schema.org/>" in sent[1]


def test_a_silent_row_cap_is_paged_around_and_said_once():
    sent: list[str] = []
    with fake_endpoint(_virtuoso(sent), VIRTUOSO) as base:
        result = _invoke("query", "-e", "SELECT ?n WHERE { ?s kg:n ?n }", "--endpoint", base + "/sparql", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 + ROWS and lines[1:4] == ["0", "1", "2"] and lines[-1] == str(ROWS - 1)
    assert ("kgtool: note: the endpoint cut a result at exactly 10,000 rows, its silent cap; kgtool fetched it "
            "page by page (3 pages, 25,000 rows)") in result.stderr.splitlines()
    pages = [re.search(r"ORDER BY \?n\s*\}\s*\}\s*LIMIT (\d+) OFFSET (\d+)", text).groups() for text in sent[2:]]
    assert pages == [("1", "10000"), ("10000", "0"), ("10000", "10000"), ("10000", "20000")]


def test_a_capped_result_that_cannot_be_paged_is_said():
    with fake_endpoint(_virtuoso([]), VIRTUOSO) as base:
        result = _invoke("query", "-e", "SELECT ?n WHERE { ?s kg:n ?n } LIMIT 20000", "--endpoint", base + "/sparql",
                         "-f", "csv")
    assert result.stdout.count("\n") == 1 + CAP
    assert ("kgtool: note: the endpoint answered exactly 10,000 rows, which may be its silent cap, and the query "
            "has a LIMIT or OFFSET of its own that kgtool cannot page over: the answer may be cut") \
        in result.stderr.splitlines()


def test_an_unbounded_path_the_server_refuses_is_sent_with_one_end_bound():
    sent: list[str] = []

    def refusing_paths(method, path, headers, body):
        text = _query_of(body)
        sent.append(text)
        if re.search(r"\)\+ \?", text):
            return 500, "text/plain", b"Virtuoso 37000 Error TR...: transitive start not given\n\nSPARQL query:", {}
        rows = [{"work": {"type": "uri", "value": "https://kgtool.example/id/work/a"},
                 "ancestor": {"type": "uri", "value": "https://kgtool.example/id/work/b"}}]
        return 200, "application/sparql-results+json", json.dumps(
            {"head": {"vars": ["work", "ancestor"]}, "results": {"bindings": rows}}).encode(), {}

    text = "SELECT ?work ?ancestor WHERE { ?work (schema:isBasedOn|kg:inspiredBy)+ ?ancestor . }"
    with fake_endpoint(refusing_paths, VIRTUOSO) as base:
        result = _invoke("query", "-e", text, "--endpoint", base + "/sparql", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == "https://kgtool.example/id/work/a,https://kgtool.example/id/work/b"
    assert ("kgtool: note: the endpoint refused a property path with both ends unbound (?x p+ ?y); kgtool found "
            "its pairs from the path's single steps and sent them as VALUES") in result.stderr.splitlines()
    assert sent[-2].endswith("SELECT DISTINCT ?work ?ancestor WHERE { ?work (schema:isBasedOn|kg:inspiredBy) ?ancestor }")
    assert "WHERE { VALUES (?work ?ancestor) { (<https://kgtool.example/id/work/a> <https://kgtool.example/id/work/b>) } . }" \
        in sent[-1]


# -- kgtool push: credentials, never on the command line -----------------------------------------

def test_push_sends_each_graph_with_credentials_from_the_environment(tmp_path):
    store = FakeGraphStore()
    from tests.conftest import SOUNDTRACK_FILES, SOUNDTRACK_GRAPH

    graph_args = [arg for path in SOUNDTRACK_FILES for arg in ("--graph", str(path))]
    with fake_endpoint(store, VIRTUOSO) as base:
        result = _invoke("push", "--endpoint", base + "/sparql", "--user", "dba", *graph_args,
                         env={"KGTOOL_ENDPOINT_PASSWORD": "s3cret"})
    assert result.exit_code == 0, result.stderr
    assert [(m, p) for m, p, _ in store.puts] == [("PUT", f"/sparql-graph-crud-auth?graph={SOUNDTRACK_GRAPH}"),
                                                  # Virtuoso's Graph Store has no default graph: the merge's own
                                                  ("PUT", "/sparql-graph-crud-auth?graph=urn:x-kgtool:default-graph"),
                                                  ("POST", "/sparql")]  # then each graph counted
    import base64

    assert {auth for _, _, auth in store.puts} == {"Basic " + base64.b64encode(b"dba:s3cret").decode()}
    assert re.fullmatch(r"kgtool: pushed 1 named graph and the default graph \([\d,]+ statements\) to "
                        rf"{base}/sparql-graph-crud-auth in [\d.]+ s\n", result.stderr)


def _soundtrack_push(store: FakeGraphStore):
    from tests.conftest import SOUNDTRACK_FILES

    graph_args = [arg for path in SOUNDTRACK_FILES for arg in ("--graph", str(path))]
    with fake_endpoint(store, "Oxigraph") as base:
        return base, _invoke("push", "--endpoint", base + "/query", *graph_args)


def test_push_sends_again_a_graph_the_store_kept_only_part_of_and_says_so():
    from tests.conftest import SOUNDTRACK_GRAPH

    store = FakeGraphStore(short={SOUNDTRACK_GRAPH: 157})
    base, result = _soundtrack_push(store)
    assert result.exit_code == 0, result.stderr
    sent = store.held[SOUNDTRACK_GRAPH]
    assert [p for m, p, _ in store.puts if m == "PUT"] == [f"/store?graph={SOUNDTRACK_GRAPH}", "/store?default",
                                                          f"/store?graph={SOUNDTRACK_GRAPH}"]
    assert result.stderr.startswith(f"kgtool: note: the endpoint held {sent - 157:,} of the {sent:,} statements "
                                    f"sent to <{SOUNDTRACK_GRAPH}>; kgtool sent them again, and it holds them all\n")


def test_push_fails_when_the_store_keeps_a_graph_short_twice():
    store = FakeGraphStore(short={"": 3}, times=2)
    base, result = _soundtrack_push(store)
    sent = store.held[""] + 3
    assert (result.exit_code, result.stderr) == (2, (
        f"kgtool: error: --endpoint: the endpoint holds {sent - 3:,} of the {sent:,} statements kgtool sent to the "
        "default graph, also when sent a second time; see the server's log (its disk, its memory, a limit on a "
        "request's size), then push again\n"))


def test_push_has_no_password_option_and_prompts_without_the_environment():
    assert "--password" not in _invoke("push", "--help").stdout
    refused = _invoke("push", "--endpoint", "http://127.0.0.1:9/query", "--password", "x")
    assert refused.exit_code == 2
    with fake_endpoint(lambda *a: (401, "text/plain", b"Unauthorized", {})) as base:
        result = _invoke("push", "--endpoint", base + "/query", "--user", "dba", env={"KGTOOL_ENDPOINT_PASSWORD": None},
                         input="wrong\n")
    assert "password for dba" in result.stderr
    assert result.exit_code == 2
    assert f"kgtool: error: --gsp: the endpoint {base}/store refused the credentials (HTTP 401): Unauthorized" \
        in result.stderr


# -- the workarounds' rewrites, run by a real engine: a fake Virtuoso in front of Oxigraph ----------

def _proxy(url: str, cap: int | None = None, refuse_paths: bool = False):
    """Forwards each query to Oxigraph server at `url`, cutting results at `cap` rows as
    Virtuoso does, or refusing `?x p+ ?y` with both ends unbound as it does."""
    import urllib.request

    def answer(method, path, headers, body):
        text = _query_of(body)
        if refuse_paths and re.search(r"\)\+ \?", text):
            return 500, "text/plain", b"Virtuoso 37000 Error SP031: transitive start not given", {}
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            document = json.loads(response.read())
        if cap is not None and "results" in document:
            document["results"]["bindings"] = document["results"]["bindings"][:cap]
        return 200, "application/sparql-results+json", json.dumps(document).encode(), {}
    return answer


def test_a_capped_result_paged_by_a_real_engine_is_the_whole_result(generated):
    from kgtool.store import load
    from kgtool.store.remote import RemoteStore

    path, url = generated
    text = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label"
    local = load([path]).select(text)
    assert len(local) > 3_000
    with fake_endpoint(_proxy(url, cap=1_000), VIRTUOSO) as base:
        remote = RemoteStore(base + "/sparql", row_cap=1_000)
        rows = remote.select(text)
        notes = remote.notes()
    assert [row["label"] for row in rows] == [row["label"] for row in local]
    assert sorted(map(str, (row["s"] for row in rows))) == sorted(map(str, (row["s"] for row in local)))
    assert any(note.startswith("the endpoint cut a result at exactly 1,000 rows") for note in notes)


def test_a_refused_unbounded_path_rewritten_gives_the_same_answers(bundled_endpoint):
    with fake_endpoint(_proxy(bundled_endpoint, refuse_paths=True), VIRTUOSO) as base:
        remote = _answers("24-derivation-chains", "--endpoint", base + "/sparql")
    assert remote == _answers("24-derivation-chains")


def test_validate_finds_the_same_violations_on_the_endpoint(tmp_path):
    path = tmp_path / "bad.nq"
    assert _invoke("generate", "--triples", "5000", "--violations", "6", "-o", str(path)).exit_code == 0
    for url in _pushed(tmp_path / "oxigraph", "--graph", str(path)):
        local = _invoke("validate", "-f", "json", "--graph", str(path))
        remote = _invoke("validate", "-f", "json", "--endpoint", url)
        assert local.exit_code == 1 and json.loads(local.stdout)
        assert (remote.exit_code, remote.stdout) == (local.exit_code, local.stdout)


# -- the text an endpoint gets ----------------------------------------------------------------------

def test_bindings_are_substituted_in_the_text_keeping_their_columns():
    import pyoxigraph as ox

    from kgtool.store.remote_text import for_endpoint

    work = ox.NamedNode("https://kgtool.example/id/work/x")
    body = lambda text, **b: for_endpoint(text, b).rsplit(">\n", 1)[-1]  # noqa: E731 (after the PREFIX lines)
    assert body("SELECT ?w (COUNT(?w) AS ?n) WHERE { ?w ?p ?o } GROUP BY ?w ORDER BY ?w", w=work) == (
        f"SELECT ({work} AS ?w) (COUNT({work}) AS ?n) WHERE {{ {work} ?p ?o }} GROUP BY ({work}) ORDER BY ({work})")
    assert body("SELECT * WHERE { ?w ?p '?w' } # ?w", w=work) == \
        f"SELECT * WHERE {{ {work} ?p '?w' }} # ?w\nVALUES (?w) {{ ({work}) }}"
    assert body("ASK { ?w ?p ?o FILTER(kg:value(?o) > 3) }") == "ASK { ?w ?p ?o FILTER((?o) > 3) }"
    assert "PREFIX kg: <https://kgtool.example/ns#>" in for_endpoint("ASK {}")
    assert "PREFIX kg: <https://kgtool.example/ns#>" not in for_endpoint("PREFIX kg: <urn:x#> ASK {}")


def test_a_page_keeps_the_order_and_slices_outside_it():
    from kgtool.store.remote_text import paged

    assert paged("PREFIX a: <urn:a#>\nSELECT ?x WHERE { ?x a:p ?y } ORDER BY DESC(?y)", ["x"], 10, 30) == (
        "PREFIX a: <urn:a#>\nSELECT * WHERE { {\n\nSELECT ?x WHERE { ?x a:p ?y } ORDER BY DESC(?y) ?x\n\n} } "
        "LIMIT 10 OFFSET 30\n")
    assert paged("SELECT ?x WHERE { ?x ?p ?y } LIMIT 5", ["x"], 10, 0) is None


def test_an_empty_default_graph_beside_named_graphs_is_said(tmp_path):
    with oxigraph_server(tmp_path / "oxigraph") as url:
        import urllib.request

        data = b"<https://kgtool.example/id/work/x> <https://schema.org/name> \"X\" .\n"
        request = urllib.request.Request(url.replace("/query", "/store") + "?graph=urn:g", data=data, method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        urllib.request.urlopen(request, timeout=10).close()
        result = _invoke("query", "-e", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", url)
    assert result.stdout.endswith("(0 rows)\n")
    assert result.stderr == ("kgtool: note: the endpoint's default graph is empty but its named graphs are not, so a "
                             "query sees only what it asks for in GRAPH ?g; fill the default graph with kgtool push "
                             "(the merge of every graph), or use the server's union-default-graph setting\n")


def test_the_pairs_of_a_path_are_its_transitive_closure():
    from kgtool.store.remote_text import closure, unbounded_paths

    assert closure([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e")]) == [
        ("a", "a"), ("a", "b"), ("a", "c"), ("b", "a"), ("b", "b"), ("b", "c"), ("c", "a"), ("c", "b"), ("c", "c"),
        ("d", "e")]
    [found] = unbounded_paths("SELECT * WHERE { ?x rdfs:label ?l . ?x (kg:a|^kg:b)+ ?y . }")
    assert (found.text, found.subject, found.path, found.object) == ("?x (kg:a|^kg:b)+ ?y", "?x", "(kg:a|^kg:b)", "?y")
    assert unbounded_paths("SELECT * WHERE { GRAPH ?g { ?x kg:a+ ?y } }") == []  # steps would leave the graph
    assert unbounded_paths("SELECT * WHERE { work:x kg:a+ ?y }") == []  # one end bound
