"""kgtool serve is safe by default, each refusal shown: read-only (403), no connection out (SERVICE,
LOAD: a loopback listener receives nothing), a size cap (413), CORS only for the allowlist, a
timeout (503), a row cap (an error, never a cut), one log line per request, and the real server
listening on 127.0.0.1 only. (The executor's own safety, workers killed and threads bounded, is
tests/test_executor.py's.)
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SOUNDTRACK_GRAPH
from kgtool.server.config import ServerConfig
from test_server import READ_ONLY, test_client

ORIGIN = "https://newsroom.example"
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) (\S+) (\d{3}) rows=(\d+|-) (\d+)ms "
                      r"query=([0-9a-f]{12}|-)$")
DATA = """\
<http://example.org/a> <http://example.org/p> "one" <http://example.org/g1> .
<http://example.org/b> <http://example.org/p> "two" <http://example.org/g2> .
"""


@pytest.fixture(scope="module")
def client():
    log = io.StringIO()
    with test_client(ServerConfig(log=log, cors_origins=(ORIGIN,), max_request_bytes=4000)) as client:
        client.log = log
        yield client


@pytest.fixture
def writable(tmp_path):
    data = tmp_path / "data.nq"
    data.write_text(DATA, encoding="utf-8")
    with test_client(ServerConfig(graph_paths=(data,), allow_update=True, log=io.StringIO())) as client:
        yield client


@pytest.fixture
def listener():
    """A loopback port that must never be called: every query here names it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock
    sock.setblocking(False)
    try:
        connection, _ = sock.accept()
    except BlockingIOError:
        pass
    else:
        connection.close()
        pytest.fail("the server opened a connection to the loopback listener")
    finally:
        sock.close()


def ask(client, query: str, **params) -> bool:
    return client.get("/sparql", params={"query": query, **params}).json()["boolean"]


# --- read-only, and no connection out ---------------------------------------------------------

@pytest.mark.parametrize("content_type, body", [
    ("application/sparql-update", b"INSERT DATA { <http://x/s> <http://x/p> 1 }"),
    ("application/x-www-form-urlencoded", b"update=CLEAR+ALL"),
])
def test_an_update_is_403_on_a_read_only_server(client, content_type, body):
    response = client.post("/sparql", content=body, headers={"content-type": content_type})
    assert (response.status_code, response.text) == (403, READ_ONLY)
    assert ask(client, "ASK { GRAPH ?g { work:soundtrack schema:creator ?who } }")


def test_an_update_sent_as_a_query_is_400(client):
    response = client.get("/sparql", params={"query": "INSERT DATA { <http://x/s> <http://x/p> 1 }"})
    assert (response.status_code, response.text) == (
        400, "query:1:1: INSERT is a SPARQL Update, and kgtool queries are read-only; change the RDF files and load "
             "them again (kgtool load)\n")


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?u {{ <{url}> }} SERVICE ?u {{ ?s ?p ?o }} }}",
    "ASK {{ {{ SELECT * WHERE {{ service <{url}> {{ ?s ?p ?o }} }} }} }}",
])
def test_service_is_refused_and_nothing_is_called(client, listener, template):
    url = "http://127.0.0.1:%d/sparql" % listener.getsockname()[1]
    response = client.get("/sparql", params={"query": template.format(url=url)})
    assert response.status_code == 400
    assert re.fullmatch(r"query:1:\d+: SERVICE would send the query to another server, and kgtool never reaches "
                        r"the network; remove the SERVICE block, or load the other data with kgtool load\n",
                        response.text)


def test_load_in_a_query_is_refused(client, listener):
    url = "http://127.0.0.1:%d/data.ttl" % listener.getsockname()[1]
    response = client.post("/sparql", data={"query": f"LOAD <{url}>"})
    assert response.status_code == 400
    assert response.text == ("query:1:1: LOAD would fetch a document from the network, and kgtool queries are "
                             "read-only; download the file and add it with kgtool load\n")


@pytest.mark.parametrize("template, column", [
    ("LOAD <{url}>", 1),
    ("LOAD SILENT <{url}> INTO GRAPH <http://example.org/g1>", 1),
    ("INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 29),
])
def test_load_and_service_in_an_update_are_refused_even_with_allow_update(writable, listener, template, column):
    url = "http://127.0.0.1:%d/data.ttl" % listener.getsockname()[1]
    response = writable.post("/sparql", content=template.format(url=url).encode(),
                             headers={"content-type": "application/sparql-update"})
    assert response.status_code == 400
    word = "LOAD" if template.startswith("LOAD") else "SERVICE"
    assert response.text.startswith(f"update:1:{column}: {word} would make the server ")


# --- updates and Graph Store writes, with --allow-update ------------------------------------------

def test_an_update_with_allow_update(writable):
    response = writable.post("/sparql", content=b'INSERT DATA { GRAPH <http://example.org/g3> { <http://example.org/c> '
                                                b'<http://example.org/p> "three" } }',
                             headers={"content-type": "application/sparql-update"})
    assert response.status_code == 204
    assert ask(writable, 'ASK { GRAPH <http://example.org/g3> { ?s ?p "three" } }')
    description = writable.get("/sparql", headers={"accept": "application/n-triples"}).text
    assert "<http://www.w3.org/ns/sparql-service-description#SPARQL11Update>" in description


def test_using_graph_uri_names_the_dataset_of_an_update(writable):
    update = b'INSERT { GRAPH <http://example.org/out> { ?s <http://example.org/seen> true } } WHERE { ?s ?p ?o }'
    response = writable.post("/sparql?using-graph-uri=http%3A%2F%2Fexample.org%2Fg1", content=update,
                             headers={"content-type": "application/sparql-update"})
    assert response.status_code == 204
    assert ask(writable, "ASK { GRAPH <http://example.org/out> { <http://example.org/a> ?p true } }")
    assert not ask(writable, "ASK { GRAPH <http://example.org/out> { <http://example.org/b> ?p true } }")


def test_using_graph_uri_and_with_together_are_400(writable):
    update = b"WITH <http://example.org/g1> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    response = writable.post("/sparql?using-named-graph-uri=http%3A%2F%2Fexample.org%2Fg1", content=update,
                             headers={"content-type": "application/sparql-update"})
    assert (response.status_code, response.text) == (
        400, "update:1:1: the update names its dataset with WITH and the request with using-graph-uri or "
             "using-named-graph-uri; give one of the two\n")
    assert ask(writable, 'ASK { GRAPH <http://example.org/g1> { ?s ?p "one" } }')


def test_graph_store_writes_with_allow_update(writable):
    graph = {"graph": "http://example.org/new"}
    turtle = {"content-type": "text/turtle"}
    put = writable.put("/store", params=graph, content=b'<http://example.org/n> <http://example.org/p> "new" .',
                       headers=turtle)
    assert put.status_code == 201
    assert writable.put("/store", params=graph, content=b'<http://example.org/n> <http://example.org/p> "newer" .',
                        headers=turtle).status_code == 204
    post = writable.post("/store", params=graph, content=b'<http://example.org/n> <http://example.org/q> 1 .',
                         headers=turtle)
    assert post.status_code == 204
    got = writable.get("/store", params=graph, headers={"accept": "application/n-triples"}).text
    assert sorted(got.splitlines()) == ['<http://example.org/n> <http://example.org/p> "newer" .',
                                        '<http://example.org/n> <http://example.org/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .']
    assert writable.delete("/store", params=graph).status_code == 204
    assert writable.get("/store", params=graph).status_code == 404
    assert writable.delete("/store", params=graph).status_code == 404


def test_an_uploaded_literal_comes_back_as_written(writable):
    graph = {"graph": "http://example.org/typed"}
    upload = b'<http://example.org/n> <http://example.org/p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    assert writable.put("/store", params=graph, content=upload, headers={"content-type": "application/n-triples"}
                        ).status_code == 201
    assert writable.get("/store", params=graph, headers={"accept": "application/n-triples"}).content == upload


def test_post_to_the_store_makes_a_new_graph(writable):
    response = writable.post("/store", content=b'<http://example.org/m> <http://example.org/p> "made" .',
                             headers={"content-type": "text/turtle"})
    assert response.status_code == 201
    location = response.headers["location"]
    assert location.startswith("http://testserver/store/")
    direct = writable.get(location.removeprefix("http://testserver"), headers={"accept": "application/n-triples"})
    assert direct.text == '<http://example.org/m> <http://example.org/p> "made" .\n'


def test_a_malformed_upload_is_400_and_changes_nothing(writable):
    response = writable.put("/store", params={"graph": "http://example.org/g1"}, content=b"<http://example.org/a> <",
                            headers={"content-type": "text/turtle"})
    assert response.status_code == 400
    assert response.text == ("the request body: malformed Turtle: Parser error at line 1 column 24: Unexpected end "
                             "of file (line 1); fix the RDF and send it again\n")
    assert ask(writable, 'ASK { GRAPH <http://example.org/g1> { ?s ?p "one" } }')


# --- size, CORS, the log ---------------------------------------------------------------------

def test_a_body_over_the_cap_is_413(client):
    query = "ASK { " + "?s ?p ?o . " * 500 + "}"
    response = client.post("/sparql", content=query.encode(), headers={"content-type": "application/sparql-query"})
    assert (response.status_code, response.text) == (
        413, "the request body is larger than 4,000 bytes; send less, load big graphs with kgtool load, or start "
             "kgtool serve with a larger --max-request-bytes\n")


def test_a_streamed_body_over_the_cap_is_413(client):
    def chunks():
        for _ in range(10):
            yield b"#" * 1000

    response = client.post("/sparql", content=chunks(), headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413


def test_a_query_string_over_the_cap_is_413(client):
    response = client.get("/sparql", params={"query": "ASK {} #" + "x" * 5000})
    assert response.status_code == 413
    assert response.text.startswith("the URL's query string is larger than 4,000 bytes; send the query by POST")


def test_cors_echoes_an_allowed_origin(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["vary"] == "Origin"


def test_cors_says_nothing_to_another_origin(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://evil.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "Origin"


def test_cors_preflight(client):
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    allowed = client.options("/sparql", headers={"origin": ORIGIN, **preflight})
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert allowed.headers["access-control-allow-methods"] == "GET, POST, HEAD, OPTIONS"
    refused = client.options("/sparql", headers={"origin": "https://evil.example", **preflight})
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers


def test_cors_is_off_without_an_allowlist():
    with test_client(ServerConfig(log=io.StringIO())) as client:
        response = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": ORIGIN})
        assert "access-control-allow-origin" not in response.headers and "vary" not in response.headers
        preflight = client.options("/sparql", headers={"origin": ORIGIN, "access-control-request-method": "POST"})
        assert preflight.status_code == 405
        assert "access-control-allow-origin" not in preflight.headers


def test_one_log_line_per_request(client):
    client.log.seek(0)
    client.log.truncate()
    query = "SELECT ?who WHERE { work:soundtrack schema:creator ?who }"
    client.get("/sparql", params={"query": query})
    client.post("/sparql", content=b"INSERT DATA {}", headers={"content-type": "application/sparql-update"})
    client.get("/queries/%0Aforged 200")
    lines = client.log.getvalue().splitlines()
    assert len(lines) == 3
    first, second, third = (LOG_LINE.match(line) for line in lines)
    assert first.group(2, 3, 4, 5, 7) == ("GET", "/sparql", "200", "1", hashlib.sha256(query.encode()).hexdigest()[:12])
    assert second.group(2, 3, 4, 5, 7) == ("POST", "/sparql", "403", "-", hashlib.sha256(b"INSERT DATA {}").hexdigest()[:12])
    assert third.group(3, 4) == ("/queries/%0Aforged%20200", "404")  # no request writes a line of its own


# --- the timeout and the row cap ------------------------------------------------------------------

def until_ready(client, seconds: float = 60) -> None:
    """Wait until the worker has the data open (a 1 s timeout can pass while it loads the graph)."""
    deadline = time.monotonic() + seconds
    while client.get("/sparql", params={"query": "ASK {}"}).status_code != 200:
        assert time.monotonic() < deadline, "the worker never opened the data"


def test_a_query_past_the_timeout_is_503():
    counted = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with test_client(ServerConfig(timeout=1.0, workers=1, log=io.StringIO())) as client:
        until_ready(client)
        started = time.monotonic()
        response = client.get("/sparql", params={"query": counted})
        assert response.status_code == 503
        assert response.text == ("query: the query ran longer than 1 s and was stopped; narrow it (a LIMIT, more "
                                 "specific patterns) or start the server with a higher --timeout\n")
        assert time.monotonic() - started < 10
        until_ready(client)  # a fresh worker answers


def test_a_result_over_max_rows_is_an_error_never_a_cut():
    with test_client(ServerConfig(max_rows=3, log=io.StringIO())) as client:
        response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert response.status_code == 400
        assert response.text.startswith("query: the result has more than 3 rows, the most this server sends; ")
        assert client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}).status_code == 200


# --- the command ---------------------------------------------------------------------------------

def test_a_host_off_loopback_is_warned_in_one_line(run, monkeypatch):
    from kgtool.commands import serve

    started = []
    monkeypatch.setattr(serve, "serve", lambda config, host, port: started.append((config, host, port)))
    result = run("serve", "--host", "0.0.0.0", "--cors", "https://Newsroom.example")
    assert result.exit_code == 0
    assert result.stderr == ("kgtool: warning: --host 0.0.0.0 lets other machines query the graph; use it only on "
                             "a network you trust\n")
    config, host, port = started[0]
    assert (host, port, config.allow_update, config.cors_origins) == ("0.0.0.0", 7878, False, (ORIGIN,))
    assert run("serve", "--host", "::1").stderr == ""


@pytest.mark.parametrize("args, message", [
    (["--cors", "https://newsroom.example/page"], "--cors: 'https://newsroom.example/page' is not an origin; give "
     "scheme://host[:port], such as https://newsroom.example, with no path"),
    (["--graph", "-"], "--graph -: a server cannot read its graph from stdin; save the graph to a file and give "
     "--graph FILE"),
])
def test_bad_serve_options_are_one_line(run, args, message):
    result = run("serve", *args)
    assert (result.exit_code, result.stderr) == (2, f"kgtool: error: {message}\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _listening(port: int) -> set[str]:
    """The local addresses listening on `port` (Linux /proc/net/tcp and tcp6, state 0A)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def _workers_of(pid: int) -> list[str]:
    """The worker processes a server started (their command line names the server's pid)."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            argv = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
        except OSError:
            continue
        if b"kgtool.server.workers" in argv and str(pid).encode() in argv:
            found.append(entry)
    return found


def test_kgtool_serve_listens_on_loopback_only_and_stops_on_sigterm():
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "kgtool", "serve", "--port", str(port)], cwd=ROOT,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        ready, _, _ = select.select([server.stderr], [], [], 60)
        assert ready, "the server did not say it was serving within 60 s"
        assert server.stderr.readline().decode() == f"kgtool: serving http://127.0.0.1:{port}/sparql (read-only); Ctrl-C stops\n"
        assert _listening(port) == {"0100007F"}  # 127.0.0.1, and nothing on another address or IPv6
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/queries/02-creator?work=work:soundtrack", headers={"Accept": "text/csv"})
        response = connection.getresponse()
        assert response.status == 200
        assert response.read().decode().splitlines()[1].endswith(",https://kgtool.example/id/person/joshua-safran,Joshua Safran")
        connection.request("GET", "/store?graph=" + SOUNDTRACK_GRAPH, headers={"Accept": "application/n-triples"})
        assert connection.getresponse().status == 200
        connection.close()
        assert _workers_of(server.pid)
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0
    lines = err.decode().splitlines()
    assert lines[-1] == "kgtool: server stopped"
    assert [LOG_LINE.match(line).group(3, 4) for line in lines[:-1]] == [("/queries/02-creator", "200"), ("/store", "200")]
    assert out == b""
    assert not _workers_of(server.pid)


def test_a_port_in_use_is_one_line(run):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.exit_code == 2
    assert result.stderr == (f"kgtool: error: --port: cannot listen on 127.0.0.1 port {port}: Address already in "
                             "use; choose another --port, or stop the program using this one\n")


def test_graph_store_multipart_post_and_an_empty_graph(writable):
    graph = {"graph": "http://example.org/empty"}
    assert writable.put("/store", params=graph, content=b"", headers={"content-type": "text/turtle"}).status_code == 201
    empty = writable.get("/store", params=graph, headers={"accept": "application/n-triples"})
    assert (empty.status_code, empty.text) == (200, "")  # created, so not a 404
    body = (b'--B\r\nContent-Disposition: form-data; name="a"; filename="a.ttl"\r\nContent-Type: text/turtle\r\n\r\n'
            b'<http://example.org/s> <http://example.org/p> "Doe" .\r\n--B\r\nContent-Disposition: form-data; '
            b'name="b"; filename="b.nt"\r\nContent-Type: application/n-triples\r\n\r\n'
            b'<http://example.org/s> <http://example.org/q> "Jane" .\r\n--B--\r\n')
    post = writable.post("/store", params=graph, content=body, headers={"content-type": "multipart/form-data; boundary=B"})
    assert post.status_code == 204
    got = writable.get("/store", params=graph, headers={"accept": "application/n-triples"}).text
    assert sorted(got.splitlines()) == ['<http://example.org/s> <http://example.org/p> "Doe" .',
                                        '<http://example.org/s> <http://example.org/q> "Jane" .']
    refused = writable.put("/store", params=graph, content=b"x", headers={"content-type": "image/png"})
    assert (refused.status_code, refused.text) == (
        415, "Content-Type: cannot read a graph of type image/png; send text/turtle, application/n-triples, "
             "application/n-quads, application/trig, application/ld+json, application/rdf+xml\n")
