"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol tests, run on `kgtool serve`'s app.

The tests come from ../shared/w3c-sparql-protocol-tests/ (read by tests/w3c_manifests.py, run
by tests/w3c_protocol.py; if the folder is missing, test_the_suite_is_found fails and says where
it looked). Each W3C test is one pytest case, its id the test's name, run four ways in-process
(Starlette's TestClient on make_app): the protocol tests and the Graph Store tests, each on a
read-only service (the default: test_*_read_only) and with allow_update (test_*_allow_update).
A read-only service must refuse (403) every update or Graph Store write a test expects to
succeed, leaving the data as it was, and pass everything else; with allow_update every test
passes as the manifest says. The same cases run once more against a real `kgtool serve` on a
loopback port (test_*_over_socket_*), spoken to with http.client (urllib would add a form
Content-Type by itself, which the "missing content type" tests must not get).

Every test runs on a service started on its own data (a scratch N-Quads file), so DROP ALL and
CLEAR ALL wipe nothing another test needs; a service is kept for the next test only when that
asks for the same data and no write was sent to it (`Kept`).
"""

from __future__ import annotations

import contextlib
import http.client
import io
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from w3c_manifests import SUITE, W3CTest, announced_counts, gsp_tests, protocol_tests, read_manifest
from w3c_protocol import Reply, quads_of, run

IN_PROCESS_URL = "http://www.example"   # the manifests' ht:connectionAuthority
SERVE = [sys.executable, "-m", "kgtool", "serve"]
START_SECONDS = 30

PROTOCOL: list[W3CTest] = protocol_tests() if SUITE.is_dir() else []
GSP: list[W3CTest] = gsp_tests() if SUITE.is_dir() else []
# data1..3 in their graphs: what the tests whose requests are refused also get, to show that a
# refused request changed nothing (tests/w3c_protocol.py, run).
CANARY = quads_of(sorted({g for t in PROTOCOL for g in t.graphs}))


def test_the_suite_is_found():
    assert SUITE.is_dir(), (f"the W3C protocol tests are missing: {SUITE} (the folder "
                            f"../shared/w3c-sparql-protocol-tests/ beside the project)")
    counts = announced_counts()
    protocol, listed = read_manifest(SUITE / "protocol-manifest.ttl", "protocol")
    assert len(protocol) == len(listed) == counts["protocol"]
    assert {t.name for t in protocol} == set(listed)
    gsp, gsp_listed = read_manifest(SUITE / "gsp-manifest.ttl", "gsp")
    assert len(gsp) == len({t.name for t in gsp}) == counts["gsp"]
    assert set(gsp_listed) <= {t.name for t in gsp}  # head_non_existing_direct is defined, not listed
    # A test that expects an update to succeed is one the manifest names update_*.
    assert {t.name for t in protocol if t.writes} == {t.name for t in protocol if t.name.startswith("update_")}
    assert len(CANARY) == 3 and all(t.steps for t in protocol + gsp)


# -- the service under test ------------------------------------------------------------------

def _data_file(folder: Path, quads: list[ox.Quad], number: int) -> Path:
    path = folder / f"data-{number}.nq"
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) if quads else b"")
    return path


class Kept:
    """Starts a service on the data a test asks for, and keeps it for the next start on the same
    data unless a test sent it a write since (`dirty`): that is a reset, since a service with no
    write cannot change (on a read-only one every write is refused, and the tests check that it
    changed nothing). A read-only service serves `extra` too. Subclasses launch and stop it."""

    def __init__(self, folder: Path, allow_update: bool) -> None:
        self.folder, self.allow_update = folder, allow_update
        self.started, self.serving, self.extra, self.dirty = 0, None, [], False

    def start(self, quads: list[ox.Quad]):
        quads = quads if self.allow_update else _union(quads, self.extra)
        key = _canonical(quads)
        if (self.allow_update and self.dirty) or key != self.serving or not self.alive():
            self.stop()
            self.started += 1
            self.launch(_data_file(self.folder, quads, self.started))
            self.serving, self.dirty = key, False
        return self


class InProcess(Kept):
    """The app in-process (Starlette's TestClient: the lifespan runs, so the workers start)."""

    base_url = IN_PROCESS_URL

    def __init__(self, folder: Path, allow_update: bool) -> None:
        super().__init__(folder, allow_update)
        self.stack, self.client, self.log = contextlib.ExitStack(), None, io.StringIO()

    def launch(self, data: Path) -> None:
        from starlette.testclient import TestClient

        from kgtool.server.app import make_app
        from kgtool.server.config import ServerConfig

        config = ServerConfig(graph_paths=(data,), allow_update=self.allow_update, workers=2, log=self.log)
        self.client = self.stack.enter_context(TestClient(make_app(config), base_url=self.base_url,
                                                          follow_redirects=False))

    def alive(self) -> bool:
        return self.client is not None

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> Reply:
        reply = self.client.request(method, path, headers=headers, content=body)
        return Reply(reply.status_code, {k.lower(): v for k, v in reply.headers.items()}, reply.content)

    def stop(self) -> None:
        self.stack.close()
        self.stack, self.client = contextlib.ExitStack(), None


class OverSocket(Kept):
    """A real `kgtool serve` on a loopback port, spoken to with http.client, always on the same
    port (graph IRIs made from the request URL stay the same)."""

    def __init__(self, folder: Path, allow_update: bool) -> None:
        super().__init__(folder, allow_update)
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def launch(self, data: Path) -> None:
        command = SERVE + ["--graph", str(data), "--port", str(self.port)]
        errors = self.folder / f"serve-{self.started}.err"
        self.errors = errors.open("w")
        self.process = subprocess.Popen(command + (["--allow-update"] if self.allow_update else []),
                                        stdout=subprocess.DEVNULL, stderr=self.errors)
        _wait_for(self.port, self.process, errors)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            return Reply(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.errors.close()
            self.process = None


def _union(quads: list[ox.Quad], more: list[ox.Quad]) -> list[ox.Quad]:
    have = set(quads)
    return quads + [q for q in more if q not in have]


def _canonical(quads: list[ox.Quad]) -> tuple[str, ...]:
    """The data, blank nodes named canonically: two starts on isomorphic data share a server."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return tuple(sorted(map(str, dataset)))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, errors: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"kgtool serve stopped (exit {process.returncode}): {errors.read_text()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"kgtool serve did not listen on port {port} in {START_SECONDS} s: {errors.read_text()}")


@pytest.fixture(scope="module")
def read_only(tmp_path_factory):
    with _stopped(InProcess(tmp_path_factory.mktemp("app"), allow_update=False)) as servers:
        yield servers


@pytest.fixture(scope="module")
def allow_update(tmp_path_factory):
    with _stopped(InProcess(tmp_path_factory.mktemp("app"), allow_update=True)) as servers:
        yield servers


@pytest.fixture(scope="module")
def socket_read_only(tmp_path_factory):
    with _stopped(OverSocket(tmp_path_factory.mktemp("serve"), allow_update=False)) as servers:
        yield servers


@pytest.fixture(scope="module")
def socket_allow_update(tmp_path_factory):
    with _stopped(OverSocket(tmp_path_factory.mktemp("serve"), allow_update=True)) as servers:
        yield servers


@contextlib.contextmanager
def _stopped(servers):
    try:
        yield servers
    finally:
        servers.stop()


def _passes(test: W3CTest, servers, extra: list[ox.Quad] | None = None) -> None:
    servers.extra = extra or []
    result = run(test, servers, CANARY)
    servers.dirty = bool(result.problems) or any(step.is_write for step in test.steps)
    assert not result.problems, "\n".join(result.problems)


# -- the cases: one per W3C test, its id the test's name, for each kind of service ------------

@pytest.mark.parametrize("test", PROTOCOL, ids=lambda t: t.name)
def test_protocol_read_only(test, read_only):
    _passes(test, read_only)


@pytest.mark.parametrize("test", PROTOCOL, ids=lambda t: t.name)
def test_protocol_allow_update(test, allow_update):
    _passes(test, allow_update)


@pytest.mark.parametrize("test", GSP, ids=lambda t: t.name)
def test_graph_store_read_only(test, read_only):
    _passes(test, read_only)


@pytest.mark.parametrize("test", GSP, ids=lambda t: t.name)
def test_graph_store_allow_update(test, allow_update):
    _passes(test, allow_update)


# Over the socket a read-only server holds data1..3 for every protocol test: a superset of each
# test's ut:graphData (the tests name the graphs they read), so that one process answers them all.
@pytest.mark.parametrize("test", PROTOCOL, ids=lambda t: t.name)
def test_protocol_over_socket_read_only(test, socket_read_only):
    _passes(test, socket_read_only, extra=CANARY)


@pytest.mark.parametrize("test", PROTOCOL, ids=lambda t: t.name)
def test_protocol_over_socket_allow_update(test, socket_allow_update):
    _passes(test, socket_allow_update)


@pytest.mark.parametrize("test", GSP, ids=lambda t: t.name)
def test_graph_store_over_socket_read_only(test, socket_read_only):
    _passes(test, socket_read_only)


@pytest.mark.parametrize("test", GSP, ids=lambda t: t.name)
def test_graph_store_over_socket_allow_update(test, socket_allow_update):
    _passes(test, socket_allow_update)


# -- the harness itself says no -----------------------------------------------------------------

class Agreeable:
    """A service that answers every request 200 with `true` (and takes every write): the harness
    must fail it wherever a test expects a refusal, a graph or a 403."""

    base_url = IN_PROCESS_URL

    def __init__(self, allow_update: bool) -> None:
        self.allow_update = allow_update

    def start(self, quads):
        return self

    def send(self, method, path, headers, body):
        return Reply(200, {"content-type": "application/sparql-results+json"}, b'{"head":{},"boolean":true}')


def _named(tests: list[W3CTest], name: str) -> W3CTest:
    return next(t for t in tests if t.name == name)


def test_the_harness_fails_a_service_that_says_yes_to_everything():
    assert run(_named(PROTOCOL, "query_post_form"), Agreeable(False), CANARY).problems == []
    assert run(_named(PROTOCOL, "bad_query_syntax"), Agreeable(True), CANARY).problems == [
        "GET /sparql?query=ASK%20%7B: status 200, expected 4xx: '{\"head\":{},\"boolean\":true}'"]
    assert run(_named(PROTOCOL, "update_post_form"), Agreeable(False), CANARY).problems == [
        "POST /sparql: status 200, expected 403: '{\"head\":{},\"boolean\":true}'"]
    (problem,) = run(_named(GSP, "put_get_default"), Agreeable(True), CANARY).problems
    assert problem.startswith("GET /store?default: Content-Type 'text/turtle; charset=utf-8' expected")
