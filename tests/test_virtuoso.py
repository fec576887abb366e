"""--endpoint and kgtool push on a real Virtuoso (Debian's virtuoso-opensource-7), and its quirks.

One Virtuoso per module (tests/servers.py `virtuoso_server`: no systemd, its own ini, data
folder and loopback ports; stopped and removed at the end), holding the bundled graph, and a
second one holding a generated graph of 100k triples. Every named query and validate must
answer there as on the files (rows compared as sorted sets, as in tests/test_remote.py), and
each quirk kgtool worked around must be said in its one `kgtool: note:` line.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from tests.conftest import ARTICLE_FILES, require
from tests.servers import virtuoso_server
from tests.test_remote import NAMED, _answers, _invoke

FORM = ("kgtool: note: sent queries as form POSTs (Virtuoso hangs on a direct application/sparql-query "
        "POST)\n")
TYPED = "kgtool: note: read the endpoint's \"typed-literal\" JSON terms as literals (SPARQL 1.0's form)\n"
PATHS = ("kgtool: note: the endpoint refused a property path with both ends unbound (?x p+ ?y); kgtool found "
         "its pairs from the path's single steps and sent them as VALUES\n")
BOOLEAN = "kgtool: note: read the endpoint's booleans written as 0 and 1 as false and true\n"


def dataset(graphs: int) -> str:
    return ("kgtool: note: read the endpoint's default graph from <urn:x-kgtool:default-graph>, where kgtool push "
            "put the merge of every graph (Virtuoso's own default graph is the union of all its graphs, its "
            f"system graphs included), and GRAPH ?g from its {graphs:,} named graphs without its system graphs\n")


@pytest.fixture(scope="module")
def programs():
    return require("virtuoso-t", "virtuoso-opensource-7"), require("isql-vt", "virtuoso-opensource-7")


def _pushed(folder, programs, *data: str):
    with virtuoso_server(folder, *programs) as url:
        result = _invoke("push", "--endpoint", url, *data)
        assert result.exit_code == 0, result.stderr
        yield url, result.stderr


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, programs):
    yield from _pushed(tmp_path_factory.mktemp("virtuoso") / "bundled", programs)


@pytest.fixture(scope="module")
def generated(tmp_path_factory, programs):
    """A generated graph of 100k triples, as a file and in a Virtuoso of its own."""
    folder = tmp_path_factory.mktemp("generated")
    path = folder / "news-100k.nq"
    assert _invoke("generate", "--triples", "100000", "--seed", "7", "-o", str(path)).exit_code == 0
    for url, _ in _pushed(folder / "virtuoso", programs, "--graph", str(path)):
        yield path, url


# -- the bundled graph ------------------------------------------------------------------------

def test_push_puts_the_merge_in_a_graph_of_its_own_since_virtuoso_has_no_default_graph(virtuoso):
    url, said = virtuoso
    assert said.startswith("kgtool: pushed ") and said.endswith(f"to {url}-graph-crud in " + said.split(" in ")[-1])
    ask = ("ASK { GRAPH <urn:x-kgtool:default-graph> { <https://kgtool.example/id/work/soundtrack> "
           "<https://schema.org/creator> <https://kgtool.example/id/person/joshua-safran> } }")
    request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": ask}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert json.loads(answer.read())["boolean"] is True  # asked as is, without kgtool's dataset
    merged = "ASK { work:soundtrack schema:creator person:joshua-safran }"
    assert _invoke("query", "-e", merged, "--endpoint", url).stdout == "true\n"


# Virtuoso 7.2.5's own bugs, measured here, that kgtool does not work around (docs/stores.md):
# each must still fail, so that a fixed Virtuoso (or a new workaround) is noticed.
VIRTUOSO_FAILS = {
    "09-inspiration-chain": "p* with an unbound end misses the zero-length matches",
    "17-connection": "SP031 'Weird | ppath' on an alternation of paths under *",
    "18-people": "GROUP_CONCAT(DISTINCT) over UNIONs in an OPTIONAL drops capacities",
    "25-lineage": "a * path with both ends unbound answers nothing",
}
# Virtuoso keeps the duplicates a path sequence (a/b*) makes, as SPARQL's translation of a
# sequence into a join says; Oxigraph (kgtool's engine) gives each path match once.
SAME_AS_SETS = {"15-article"}


def _as_set(answer):
    code, found = answer
    return code, (found[0], sorted(set(found[1]))) if isinstance(found, tuple) else sorted(set(found))


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(reason=VIRTUOSO_FAILS[n], strict=True))
                                  if n in VIRTUOSO_FAILS else n for n in NAMED])
def test_every_named_query_answers_on_virtuoso_as_on_the_files(virtuoso, name):
    remote, local = _answers(name, "--endpoint", virtuoso[0]), _answers(name)
    if name in SAME_AS_SETS:
        assert remote != local and _as_set(remote) == _as_set(local)
    else:
        assert remote == local


def test_a_parameter_is_bound_on_virtuoso_as_locally(virtuoso):
    args = ("query", "04", "-p", "character=Joanna Kassem", "-f", "csv")
    local, remote = _invoke(*args), _invoke(*args, "--endpoint", virtuoso[0])
    assert remote.stdout == local.stdout and "joanna-kassem" in remote.stdout


VALIDATE_FAILS = ("Virtuoso 7.2.5 refuses shape:ClaimShape's SPARQL: 'TR...: Query contains a transitive derived table "
                  "but neither end of it is bound' (rdfs:subClassOf* in a grouped subquery)")


@pytest.mark.xfail(reason=VALIDATE_FAILS, strict=True)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_validate_on_virtuoso_reports_as_on_the_files(virtuoso, fmt):
    local = _invoke("validate", "-f", fmt)
    remote = _invoke("validate", "-f", fmt, "--endpoint", virtuoso[0])
    assert (remote.exit_code, remote.stdout) == (local.exit_code, local.stdout)


def test_validate_on_virtuoso_says_which_shape_it_refused(virtuoso):
    result = _invoke("validate", "--endpoint", virtuoso[0])
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"kgtool: error: --endpoint: the endpoint {virtuoso[0]} failed on the query (the SPARQL for shape "
        "shape:ClaimShape) (HTTP 500): Virtuoso 37000 Error TR...: Query contains a transitive derived table but "
        "neither end of it is bound by equality to other columns or parameters\n")


@pytest.mark.parametrize("args", [("export", "-f", "nquads"), ("stats", "-f", "json"), ("describe", "Jenna Dewan")])
def test_other_commands_give_the_same_bytes_on_virtuoso(virtuoso, args):
    local, remote = _invoke(*args), _invoke(*args, "--endpoint", virtuoso[0])
    assert (remote.exit_code, remote.stdout) == (local.exit_code, local.stdout)


def test_the_quirks_worked_around_are_said_each_in_one_line(virtuoso):
    result = _invoke("query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--endpoint", virtuoso[0])
    local = _invoke("query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert (result.exit_code, result.stdout) == (0, local.stdout)
    assert result.stderr == FORM + dataset(len(ARTICLE_FILES)) + TYPED


def test_the_articles_stay_apart_without_virtuosos_system_graphs(virtuoso):
    text = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    remote, local = _invoke("query", "-e", text, "-f", "csv", "--endpoint", virtuoso[0]), _invoke("query", "-e", text,
                                                                                                  "-f", "csv")
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    assert "virtrdf" not in remote.stdout and "urn:x-kgtool" not in remote.stdout


def test_an_unbounded_path_virtuoso_refuses_is_sent_as_the_pairs_of_its_closure(virtuoso):
    text = "SELECT ?a ?b WHERE { ?a schema:isBasedOn+ ?b }"
    remote, local = _invoke("query", "-e", text, "-f", "csv", "--endpoint", virtuoso[0]), _invoke("query", "-e", text,
                                                                                                  "-f", "csv")
    assert remote.exit_code == 0, remote.stderr
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    assert PATHS in remote.stderr


def test_a_boolean_virtuoso_writes_as_0_or_1_is_read_as_a_boolean(virtuoso):
    result = _invoke("query", "-e", "ASK { work:soundtrack schema:creator person:joshua-safran }",
                     "--endpoint", virtuoso[0])
    assert result.stdout == "true\n"
    text = 'SELECT ?b WHERE { VALUES ?b { true false } }'
    remote, local = (_invoke("query", "-e", text, "-f", "json", "--endpoint", virtuoso[0]),
                     _invoke("query", "-e", text, "-f", "json"))
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    assert BOOLEAN in remote.stderr


# -- a generated graph of 100k triples: the 10,000-row cap ------------------------------------

# Not run: it fails as the bundled graph's does (above, which runs), after a minute of CI.
@pytest.mark.xfail(reason=VALIDATE_FAILS, strict=True, run=False)
def test_validate_on_a_generated_graph_in_virtuoso(generated):
    path, url = generated
    local = _invoke("validate", "-f", "json", "--graph", str(path))
    remote = _invoke("validate", "-f", "json", "--endpoint", url)
    assert (remote.exit_code, remote.stdout) == (local.exit_code, local.stdout)


@pytest.mark.parametrize("name", ["01-canceled-series", pytest.param("21-single-season-cancellations", marks=pytest.mark.xfail(
    reason="Virtuoso SR319: a GROUP_CONCAT of 5,334 characters exceeds its temp column's row length", strict=True)),
                                  "22-people-in-several-articles", "24-derivation-chains"])
def test_queries_on_a_generated_graph_in_virtuoso(generated, name):
    path, url = generated
    assert _answers(name, "--endpoint", url) == _answers(name, "--graph", str(path))


def test_virtuosos_silent_cap_is_paged_around_and_said(generated):
    path, url = generated
    text = "SELECT ?s ?o WHERE { ?s a ?o }"
    local = _invoke("query", "-e", text, "-f", "tsv", "--graph", str(path))
    remote = _invoke("query", "-e", text, "-f", "tsv", "--endpoint", url)
    rows = len(local.stdout.splitlines()) - 1
    assert rows > 10_000
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    pages = -(-rows // 10_000) + (rows % 10_000 == 0)
    assert (f"kgtool: note: the endpoint cut a result at exactly 10,000 rows, its silent cap; kgtool fetched it "
            f"page by page ({pages} pages, {rows:,} rows)\n") in remote.stderr


def test_push_with_credentials_answers_virtuosos_digest_challenge(virtuoso):
    url = virtuoso[0]
    graph = str(ARTICLE_FILES[0])
    done = _invoke("push", "--endpoint", url, "--user", "dba", "--graph", graph,
                   env={"KGTOOL_ENDPOINT_PASSWORD": "dba"})
    assert done.exit_code == 0, done.stderr
    assert f"to {url}-graph-crud-auth in " in done.stderr
    refused = _invoke("push", "--endpoint", url, "--user", "dba", "--graph", graph,
                      env={"KGTOOL_ENDPOINT_PASSWORD": "wrong"})
    assert (refused.exit_code, refused.stderr) == (2, (
        f"kgtool: error: --gsp: the endpoint {url}-graph-crud-auth refused the credentials (HTTP 401): "
        "Unauthorized; give --user NAME and the password in KGTOOL_ENDPOINT_PASSWORD\n"))
