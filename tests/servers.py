"""Real servers for tests, on loopback only, each stopped when its test is done.

- `oxigraph_server(folder)`: Oxigraph server (the `oxigraph` package from PyPI, its
  `oxigraph serve`) on a free port with its data in `folder`; yields the query URL
  (`/query`; the Graph Store is `/store` beside it).
- `fake_endpoint(handler)`: a tiny HTTP server in a thread that answers as `handler`
  says, to play a server's quirks (Virtuoso's JSON, its silent row cap) without it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def oxigraph_program() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("no oxigraph program: .venv/bin/pip install -e '.[test]' installs it")
    return found


@contextmanager
def oxigraph_server(folder: Path, timeout: float = 20.0) -> Iterator[str]:
    """Oxigraph server on 127.0.0.1 with its data in `folder`; the query endpoint's URL."""
    port = free_port()
    log = open(folder.parent / f"oxigraph-{port}.log", "wb")
    process = subprocess.Popen([oxigraph_program(), "serve", "--location", str(folder),
                                "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url + "/query?query=ASK%7B%7D", process, timeout)
        yield url + "/query"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float, name: str = "oxigraph serve") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not answer within {timeout} s")


# A handler gets (method, path with query string, headers, body) and returns
# (status, content type, body bytes, extra headers); it may sleep to play a slow server.
Handler = Callable[[str, str, dict, bytes], tuple[int, str, bytes, dict]]


@contextmanager
def fake_endpoint(handler: Handler, server_name: str = "fake") -> Iterator[str]:
    """An HTTP server on 127.0.0.1 answering every request by `handler` (its Server header:
    `server_name`); its base URL."""
    class Answer(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            size = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(size) if size else b""
            status, media_type, data, extra = handler(self.command, self.path, dict(self.headers), body)
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _answer

        def version_string(self) -> str:  # the Server header
            return server_name

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- Virtuoso (Debian's virtuoso-opensource-7), added by helper "integ" -------------------------
# Started without systemd: its own virtuoso.ini in a private folder (database, logs, ISQL and
# HTTP ports on 127.0.0.1), `virtuoso-t +foreground`, stopped and its folder removed at the end.

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
MaxQueryMem = 1G
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 10
ServerThreads = 10
EnabledDavVSP = 0
Charset = UTF-8
[SPARQL]
; Debian's defaults but a longer execution time: 10,000 rows is the silent cap kgtool pages around
ResultSetMaxRows = 10000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 600
"""


@contextmanager
def virtuoso_server(folder: Path, program: str, isql: str, timeout: float = 90.0,
                    buffers: int = 170_000) -> Iterator[str]:
    """Virtuoso on 127.0.0.1 with its database in `folder` (made, then removed); the SPARQL
    endpoint's URL (`/sparql`; the Graph Store is `/sparql-graph-crud` beside it). SPARQL
    update is granted to the anonymous SPARQL user: a throwaway instance on loopback."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port,
                                       buffers=buffers, dirty=buffers * 3 // 4))
    log = open(folder / "virtuoso-out.log", "wb")
    process = subprocess.Popen([program, "+foreground", "+configfile", str(ini)], cwd=folder,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{http_port}/sparql"
        _wait_until_up(url + "?query=ASK%7B%7D", process, timeout, "virtuoso-t")
        subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
                       check=True, capture_output=True, timeout=60)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


class FakeGraphStore:
    """A Graph Store and SPARQL endpoint that only counts: a PUT keeps the number of lines of
    its body (less `short[graph]` the first `times` it is PUT, to play a server that takes a
    body and keeps part of it); the query endpoint answers kgtool push's counting queries."""

    def __init__(self, short: dict[str, int] | None = None, times: int = 1) -> None:
        self.held: dict[str, int] = {}
        self.puts: list[tuple[str, str, str]] = []  # method, unquoted path, Authorization
        self.short, self.times = short or {}, times

    def __call__(self, method: str, path: str, headers: dict, body: bytes):
        import json
        import re
        import urllib.parse

        self.puts.append((method, urllib.parse.unquote(path), headers.get("Authorization", "")))
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query, keep_blank_values=True)
        if method == "PUT":
            graph = query["graph"][0] if "graph" in query else ""
            tries = sum(1 for m, p, _ in self.puts if m == "PUT" and p == urllib.parse.unquote(path))
            cut = self.short.get(graph, 0) if tries <= self.times else 0
            self.held[graph] = max(0, len([line for line in body.split(b"\n") if line.strip()]) - cut)
            return 204, "text/plain", b"", {}
        text = urllib.parse.parse_qs(body.decode())["query"][0]
        graphs = re.findall(r"<([^>]+)>", text)
        rows = ([{"g": {"type": "uri", "value": g}, "n": {"type": "literal", "value": str(self.held[g])}}
                 for g in graphs if g in self.held] if graphs else
                [{"n": {"type": "literal", "value": str(self.held.get("", 0))}}])
        answer = {"head": {"vars": ["g", "n"]}, "results": {"bindings": rows}}
        return 200, "application/sparql-results+json", json.dumps(answer).encode(), {}
