"""Queries that never end, that would reach the network or change the graph, and bad query input.

A query that never ends must stop on Ctrl-C and on --timeout, and leave no worker
behind; SERVICE and LOAD are refused before anything runs (a loopback listener must
receive nothing); SPARQL errors speak of the query, not of the parser's internals.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT

CARTESIAN = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# Counted inside pyoxigraph before the first row comes back: Python sees no signal meanwhile.
COUNTED = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

# A SHACL-SPARQL constraint that would run for hours on the bundled graph.
FOREVER_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <https://schema.org/> .
@prefix ex: <http://example.org/> .
ex:Forever a sh:NodeShape ;
    sh:targetClass schema:Person ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "never" ;
        sh:select \"\"\"SELECT $this WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i .
                      FILTER (CONCAT(STR(?c), STR(?f), STR(?i)) = "never") }\"\"\" ] .
"""


# --- processes -----------------------------------------------------------------------------

def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                pass
    return found


def alive(pid: int) -> bool:
    """Running or stopped, not gone and not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def kgtool(*args: str, cwd) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "kgtool", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_worker(proc: subprocess.Popen, within: float = 20.0) -> list[int]:
    """The worker the command forked, once it runs."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and proc.poll() is None:
        workers = children(proc.pid)
        if workers:
            return workers
        time.sleep(0.05)
    return []


@pytest.mark.parametrize("command", ["query", "validate"])
def test_ctrl_c_stops_work_that_would_never_end(tmp_path, command):
    shapes = tmp_path / "forever.ttl"
    shapes.write_text(FOREVER_SHAPES, encoding="utf-8")
    args = ("query", "-e", COUNTED) if command == "query" else ("validate", "-s", str(shapes))
    proc = kgtool(*args, cwd=tmp_path)
    try:
        workers = wait_for_worker(proc)
        time.sleep(1.0)  # well into the work
        assert proc.poll() is None, proc.stderr.read()
        proc.send_signal(signal.SIGINT)
        # A bound that only catches "never stops", not a timing test.
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130
    assert out == "" and len(err.splitlines()) == 1 and err.startswith("kgtool: "), err
    assert workers and not any(alive(pid) for pid in workers)


def timed_out(*args: str, cwd) -> tuple[int, str, str, list[int]]:
    """Run kgtool as its own process (a test runner has threads, so in-process work is not
    forked: see kgtool.worker), and return its exit code, output and the workers it left."""
    proc = kgtool(*args, cwd=cwd)
    try:
        workers = wait_for_worker(proc)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert workers, "the work did not run in a worker process"
    return proc.returncode, out, err, [pid for pid in workers if alive(pid)]


def test_timeout_stops_a_query_and_leaves_no_worker(tmp_path):
    code, out, err, left = timed_out("query", "--timeout", "0.5", "-e", CARTESIAN, cwd=tmp_path)
    assert (code, out, left) == (2, "", [])
    assert err == ("kgtool: error: --timeout: the query ran longer than 0.5 s and was stopped; "
                   "narrow it (a LIMIT, more specific patterns) or raise --timeout\n")


def test_timeout_stops_a_validation_and_leaves_no_worker(tmp_path):
    shapes = tmp_path / "forever.ttl"
    shapes.write_text(FOREVER_SHAPES, encoding="utf-8")
    code, out, err, left = timed_out("validate", "-s", str(shapes), "--timeout", "0.5", cwd=tmp_path)
    assert (code, out, left) == (2, "", [])
    assert err == ("kgtool: error: --timeout: the validation ran longer than 0.5 s and was stopped; "
                   "check only what a new file touches (--changed FILE), or raise --timeout\n")


def test_a_timeout_that_does_not_fire_changes_nothing(run):
    plain = run("query", "18", "-f", "csv")
    timed = run("query", "18", "-f", "csv", "--timeout", "60")
    assert (timed.exit_code, timed.stdout) == (0, plain.stdout)
    assert run("validate", "--timeout", "60").exit_code == 0


# --- the network: SERVICE and LOAD --------------------------------------------------------

class Listener:
    """A socket on loopback that counts the connections it receives (and closes them)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.received = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.received += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


SERVICE_FORMS = {
    "plain": "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "silent": "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "lower case": "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
    "variable": ('SELECT * WHERE {{ ?x rdfs:label ?l . BIND (IRI(CONCAT("{url}?q=", ENCODE_FOR_URI(?l))) AS ?u)\n'
                 "  SERVICE ?u {{ ?s ?p ?o }} }}"),
    "subquery": "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }} }}",
}
SERVICE_REFUSED = ("SERVICE would send the query to another server, and kgtool never reaches the network; "
                   "remove the SERVICE block, or load the other data with kgtool load\n")


@pytest.mark.parametrize("form", list(SERVICE_FORMS))
def test_service_is_refused_before_anything_runs(run, listener, form):
    result = run("query", "-e", SERVICE_FORMS[form].format(url=listener.url))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("kgtool: error: -e:") and result.stderr.endswith(": " + SERVICE_REFUSED)
    assert len(result.stderr.splitlines()) == 1
    assert listener.received == 0


def test_service_says_where_it_is(run, listener):
    result = run("query", "-e", f"SELECT *\nWHERE {{\n  SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    assert result.stderr == "kgtool: error: -e:3:3: " + SERVICE_REFUSED


def test_service_in_a_query_file_and_in_viz_is_refused(run, listener, tmp_path):
    select, construct = tmp_path / "remote.rq", tmp_path / "remote-graph.rq"
    select.write_text(f"# Remote rows\nSELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}\n")
    construct.write_text(f"# Remote graph\nCONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}\n")
    from_file = run("query", str(select))
    assert (from_file.exit_code, from_file.stderr) == (2, f"kgtool: error: {select}:2:18: " + SERVICE_REFUSED)
    drawn = run("viz", "--query", str(construct), "-o", str(tmp_path / "remote.svg"))
    assert (drawn.exit_code, drawn.stderr) == (2, f"kgtool: error: {construct}:2:32: " + SERVICE_REFUSED)
    assert not (tmp_path / "remote.svg").exists()
    assert listener.received == 0


def test_load_is_refused(run, listener):
    result = run("query", "-e", f"LOAD <{listener.url}>")
    assert (result.exit_code, result.stderr) == (
        2, "kgtool: error: -e:1:1: LOAD would fetch a document from the network, and kgtool queries are "
           "read-only; download the file and add it with kgtool load\n")
    assert listener.received == 0


def test_service_in_shapes_is_refused(run, listener, tmp_path):
    shapes = tmp_path / "remote-shapes.ttl"
    shapes.write_text(FOREVER_SHAPES.replace("?a ?b ?c .", f"SERVICE <{listener.url}> {{ ?a ?b ?c }}"))
    result = run("validate", "-s", str(shapes))
    assert (result.exit_code, result.stderr) == (2, (
        "kgtool: error: the SPARQL of shape <http://example.org/Forever>: SERVICE is not allowed in a SHACL-SPARQL "
        "query (SHACL 1.0, Appendix A: pre-binding); load the other data with kgtool load and query it here\n"))
    assert listener.received == 0


@pytest.mark.parametrize("text", [
    'SELECT ?service WHERE { ?service rdfs:label "SERVICE" } # SERVICE <http://127.0.0.1:9/>',
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:SERVICE ?load . FILTER (?s != <http://x/LOAD>) }",
    "SELECT * WHERE { ?s ?p '''a SERVICE\nLOAD''' }",
])
def test_the_words_as_names_strings_comments_and_iris_are_not_refused(run, text):
    result = run("query", "-e", text)
    assert (result.exit_code, result.stderr) == (0, "")


# --- messages -------------------------------------------------------------------------------

def test_an_unknown_prefix_is_named_with_the_known_ones(run):
    result = run("query", "-e", "SELECT * { ?s foaf:name ?o }")
    assert result.exit_code == 2
    assert result.stderr == (
        "kgtool: error: -e: unknown prefix foaf: at 1:15; declare it with PREFIX or use one of: schema, kg, "
        "rdf, rdfs, xsd, owl, skos, prov, sh, shape, wd, graph, article, person, work, character, role, "
        "influence, organization, place, occupation, event, quote, posting, news, image, season, award, nomination, franchise\n")


def test_a_prefix_the_query_declares_is_not_unknown(run):
    result = run("query", "-e", "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nSELECT * { ?s foaf:name ?o . ?s bad:x ?y }")
    assert result.stderr.startswith("kgtool: error: -e: unknown prefix bad: at 2:33;")


@pytest.mark.parametrize("update, word", [
    ("INSERT DATA { person:x rdfs:label 'x' }", "INSERT"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("CLEAR ALL", "CLEAR"),
    ("DROP GRAPH <https://kgtool.example/graph/et-soundtrack-canceled>", "DROP"),
])
def test_an_update_says_that_queries_are_read_only(run, update, word):
    result = run("query", "-e", update)
    assert (result.exit_code, result.stderr) == (
        2, f"kgtool: error: -e:1:1: {word} is a SPARQL Update, and kgtool queries are read-only; "
           "change the RDF files and load them again (kgtool load)\n")


def test_a_binary_or_non_utf8_query_file_is_one_line(run, tmp_path):
    latin = tmp_path / "latin.rq"
    latin.write_bytes("# Caf\u00e9\nSELECT * { ?s ?p 'caf\u00e9' }\n".encode("latin-1"))
    result = run("query", str(latin))
    assert (result.exit_code, result.stderr) == (
        2, f"kgtool: error: {latin}: not UTF-8 text (byte 0xe9 at line 1); save the query as UTF-8 text\n")
    binary = tmp_path / "binary.rq"
    binary.write_bytes(b"SELECT\x00\x01\x02")
    result = run("query", str(binary))
    assert (result.exit_code, result.stderr) == (
        2, f"kgtool: error: {binary}: a binary file, not a SPARQL query (it holds NUL bytes); "
           "give a .rq file of SPARQL text\n")


def test_a_non_utf8_query_in_a_query_folder_is_one_line(run, tmp_path):
    (tmp_path / "01-bad.rq").write_bytes(b"# \xff\nSELECT * {}\n")
    result = run("query", "--list", "--queries", str(tmp_path))
    assert (result.exit_code, result.stderr) == (
        2, f"kgtool: error: {tmp_path / '01-bad.rq'}: not UTF-8 text (byte 0xff at line 1); "
           "save the query as UTF-8 text\n")


@pytest.mark.parametrize("value, message", [
    ("<http://x y>", "--param work=<http://x y>: not a valid IRI (it may not hold ' '); write spaces and "
                     '<>"{}|^` in an IRI as %XX escapes, or quote text as "..."'),
    ("http://x y", "--param work=http://x y: not a valid IRI (it may not hold ' '); write spaces and "
                   '<>"{}|^` in an IRI as %XX escapes, or quote text as "..."'),
    ("<http://x", "--param work=<http://x: the IRI has no closing '>'; write work=<iri>"),
])
def test_a_bad_iri_parameter_is_one_line(run, value, message):
    result = run("query", "25", "--param", f"work={value}")
    assert (result.exit_code, result.stderr) == (2, f"kgtool: error: {message}\n")


def test_a_non_utf8_query_on_stdin_is_one_line_and_utf8_still_runs(tmp_path):
    piped = subprocess.run([sys.executable, "-m", "kgtool", "query", "-"], input=b"SELECT * { ?s ?p 'caf\xe9' }",
                           capture_output=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (piped.returncode, piped.stderr) == (
        2, b"kgtool: error: <stdin>: not UTF-8 text (byte 0xe9 at line 1); save the query as UTF-8 text\n")
    piped = subprocess.run([sys.executable, "-m", "kgtool", "query", "-", "-f", "csv"],
                           input="SELECT ?l { work:soundtrack rdfs:label ?l } # caf\u00e9".encode(),
                           capture_output=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (piped.returncode, piped.stdout) == (0, b"l\r\nSoundtrack\r\n")


@pytest.mark.parametrize("text, line", [
    ("SELECT * { ?s ?p ?o ", '-e:1:21: malformed SPARQL: expected one of ",", ".", ";", "{", "}"'),
    ("SELECT * { ?s <http://x y> ?o }", '-e:1:27: malformed SPARQL: not a valid IRI (a space, or one of <>"{}|^` in it?)'),
    ("ASK { ?s ?p 1.2.3 }", "-e:1:20: malformed SPARQL: unexpected text here"),
])
def test_parser_messages_leave_out_its_internals(run, text, line):
    result = run("query", "-e", text)
    assert (result.exit_code, result.stderr) == (2, f"kgtool: error: {line}; fix the query at that position\n")
