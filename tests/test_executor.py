"""The server's query workers (kgtool.server.executor): answers, formats, limits, timeouts, processes.

Each test drives the executor directly with asyncio.run (a fresh event loop each time, as
Starlette's TestClient gives each client one), and checks what the kernel sees: worker
processes started, killed and reaped, and the server's own thread count.
"""

from __future__ import annotations

import asyncio
import io
import os
import select
import socket
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import children, living, wait_for
from kgtool.errors import InputError, ParseError, QueryError, TimedOut
from kgtool.server.config import ServerConfig
from kgtool.server.executor import Executor, Outcome
from kgtool.server.protocol import Job
from kgtool.server.answers import TooManyRows

DATA = """\
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:name "Alpha \\"quoted\\"\\nsecond line\\ttab" ; ex:count 42 ; ex:on "2020-01-31"^^xsd:date .
ex:b ex:name "Béta"@fr ; ex:count 7 ; ex:knows ex:a .
ex:c ex:name "<b>markup</b> & co" ; ex:flag true .
"""
SELECT = "PREFIX ex: <http://example.org/> SELECT ?s ?name ?count WHERE { ?s ex:name ?name OPTIONAL { ?s ex:count ?count } } ORDER BY ?s"
CONSTRUCT = "PREFIX ex: <http://example.org/> CONSTRUCT { ?s ex:called ?name } WHERE { ?s ex:name ?name }"
ASK = "PREFIX ex: <http://example.org/> ASK { ex:b ex:knows ex:a }"
# Runs for minutes on any graph of ten triples or more (a cartesian product of eight).
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { " + " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(8)) + " }"
RESULT_TYPES = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
GRAPH_TYPES = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG",
               "jsonld": "JSON_LD", "rdfxml": "RDF_XML"}


def run(executor: Executor, job: Job, seconds: float = 60) -> Outcome:
    """One job on a fresh event loop (bounded, so a hung worker fails the test instead of hanging it)."""
    return asyncio.run(asyncio.wait_for(executor.run(job), seconds))


def gather(executor: Executor, jobs: list[Job], seconds: float = 120, during=None) -> list:
    """The jobs at once; each outcome or its exception. `during()` is sampled while they run."""
    async def main():
        samples = []

        async def sample():
            while True:
                samples.append(during())
                await asyncio.sleep(0.05)

        sampler = asyncio.ensure_future(sample()) if during else None
        try:
            return await asyncio.wait_for(
                asyncio.gather(*(executor.run(job) for job in jobs), return_exceptions=True), seconds), samples
        finally:
            if sampler:
                sampler.cancel()
    return asyncio.run(main())


def threads() -> int:
    return len(os.listdir("/proc/self/task"))


def gone(pids: set[int]) -> bool:
    """No process left of these, not even a zombie: killed and reaped."""
    return not set(children()) & pids


@pytest.fixture(scope="module")
def data_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("executor") / "data.ttl"
    path.write_text(DATA, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def executor(data_file):
    with Executor(ServerConfig(graph_paths=(data_file,), timeout=30, max_rows=None)) as pool:
        yield pool


def pyoxigraph_store(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    return store


# -- answers ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", RESULT_TYPES)
def test_select_in_every_result_format_is_pyoxigraphs_own(executor, data_file, name):
    fmt = getattr(ox.QueryResultsFormat, RESULT_TYPES[name])
    expected = pyoxigraph_store(data_file).query(SELECT).serialize(format=fmt)
    outcome = run(executor, Job(SELECT, result_format=name))
    assert outcome == Outcome(expected, fmt.media_type, 3, False)


@pytest.mark.parametrize("name", ["json", "xml"])
def test_ask_is_pyoxigraphs_own(executor, data_file, name):
    fmt = getattr(ox.QueryResultsFormat, RESULT_TYPES[name])
    expected = pyoxigraph_store(data_file).query(ASK).serialize(format=fmt)
    assert run(executor, Job(ASK, result_format=name)).body == expected


@pytest.mark.parametrize("name", GRAPH_TYPES)
def test_construct_in_every_rdf_format_is_pyoxigraphs_own(executor, data_file, name):
    from kgtool.store.formats import RDF_FORMATS

    fmt = getattr(ox.RdfFormat, GRAPH_TYPES[name])
    expected = pyoxigraph_store(data_file).query(CONSTRUCT).serialize(format=fmt)
    outcome = run(executor, Job(CONSTRUCT, graph_format=name))
    assert outcome == Outcome(expected, RDF_FORMATS[name].media_type, 3, False)


def test_literals_come_back_as_written(tmp_path):
    from kgtool.store import load

    path = tmp_path / "written.ttl"
    path.write_text('<http://e/x> <http://e/n> "01"^^<http://www.w3.org/2001/XMLSchema#integer>, '
                    '"1"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n', encoding="utf-8")
    text = "SELECT ?n WHERE { ?s ?p ?n } ORDER BY STR(?n)"
    with Executor(ServerConfig(graph_paths=(path,))) as pool:
        for name, fmt in RESULT_TYPES.items():
            out = io.BytesIO()
            load([path]).answer(text).serialize(out, format=getattr(ox.QueryResultsFormat, fmt))
            assert run(pool, Job(text, result_format=name)).body == out.getvalue()
        triples = run(pool, Job("CONSTRUCT WHERE { ?s ?p ?n }", graph_format="ntriples")).body
    assert b'"01"^^<http://www.w3.org/2001/XMLSchema#integer>' in triples
    assert b"urn:kgtool" not in triples


def test_a_store_on_disk_answers_as_the_files_do(tmp_path, data_file):
    from kgtool.store.persistence import load_into

    load_into(tmp_path / "news.store", [data_file])
    with Executor(ServerConfig(store_dir=tmp_path / "news.store")) as pool:
        assert run(pool, Job(SELECT, result_format="tsv")).body == pyoxigraph_store(data_file).query(
            SELECT).serialize(format=ox.QueryResultsFormat.TSV)


def test_named_query_binds_a_label_as_the_cli_does():
    from kgtool import queries
    from kgtool.paths import bundled

    query = queries.find("04", bundled("queries"))
    with Executor(ServerConfig()) as pool:
        outcome = run(pool, Job(query.text, result_format="csv", named_query=query,
                                params=(("character", "Joanna Kassem"),), source="queries/04"))
        assert outcome.body.startswith(b"character,actor,actorLabel,work,workLabel\r\n"
                                       b"https://kgtool.example/id/character/joanna-kassem,"
                                       b"https://kgtool.example/id/person/jenna-dewan,Jenna Dewan,")
        with pytest.raises(QueryError) as error:
            run(pool, Job(query.text, named_query=query, params=(("nobody", "x"),), source="queries/04"))
    assert error.value.message() == "query '04-who-played' has no parameter 'nobody'; it takes: character"


def test_the_request_dataset_replaces_the_default_graph(tmp_path):
    path = tmp_path / "two.trig"
    path.write_text("<http://e/g1> { <http://e/a> <http://e/p> 1 }\n<http://e/g2> { <http://e/b> <http://e/p> 2 }\n",
                    encoding="utf-8")
    text = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    with Executor(ServerConfig(graph_paths=(path,))) as pool:
        assert run(pool, Job(text, result_format="tsv")).body == b"?s\n<http://e/a>\n<http://e/b>\n"
        assert run(pool, Job(text, result_format="tsv", default_graphs=("http://e/g2",))).body == b"?s\n<http://e/b>\n"
        named = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert run(pool, Job(named, result_format="tsv", named_graphs=("http://e/g1",))).body == b"?g\n<http://e/g1>\n"
        assert run(pool, Job(text, result_format="tsv", named_graphs=("http://e/g1",))).body == b"?s\n"


def test_a_syntax_error_names_its_place(executor):
    with pytest.raises(ParseError) as error:
        run(executor, Job("SELECT * WHERE { ?s ?p }", source="query"))
    assert error.value.message().startswith("query:1:")


# -- limits ----------------------------------------------------------------------------

def test_more_rows_than_max_rows_is_an_error_never_a_cut(data_file):
    with Executor(ServerConfig(graph_paths=(data_file,), max_rows=3)) as pool:
        assert run(pool, Job(SELECT, result_format="json")).rows == 3  # exactly the cap: all of it
        for job in (Job("SELECT * WHERE { ?s ?p ?o }"), Job("CONSTRUCT WHERE { ?s ?p ?o }")):
            with pytest.raises(TooManyRows) as error:
                run(pool, job)
            assert error.value.message() == (
                "query: the result has more than 3 rows, the most this server sends; add a LIMIT "
                "(with OFFSET to page through it), or start the server with a higher --max-rows")
        assert run(pool, Job("SELECT * WHERE { ?s ?p ?o } LIMIT 3")).rows == 3  # the worker is fine


async def until(condition, seconds: float = 10) -> bool:
    """Wait in the event loop (whose timers reap killed workers) until `condition()` holds."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return condition()


def test_a_query_past_its_timeout_is_killed_and_its_worker_replaced():
    async def scenario(pool):
        await pool.ready()  # opening the data is not part of a query's time
        await pool.run(Job("ASK { ?s ?p ?o }"))
        before = pool.pids()
        with pytest.raises(TimedOut) as error:
            await pool.run(Job(ENDLESS))
        assert error.value.message() == ("query: the query ran longer than 1 s and was stopped; narrow it (a LIMIT, "
                                         "more specific patterns) or start the server with a higher --timeout")
        await pool.ready()  # the replacement may take more than the 1 s timeout to start on a busy machine
        assert (await pool.run(Job("ASK { ?s ?p ?o }"))).body == b'{"head":{},"boolean":true}'
        assert await until(lambda: gone(before))  # killed and reaped: not even a zombie
        assert len(pool.pids()) == 1 and not pool.pids() & before

    with Executor(ServerConfig(timeout=1, workers=1)) as pool:
        asyncio.run(asyncio.wait_for(scenario(pool), 60))


def test_a_cancelled_request_kills_its_query():
    async def scenario(pool):
        await pool.run(Job("ASK { ?s ?p ?o }"))
        before = pool.pids()
        task = asyncio.ensure_future(pool.run(Job(ENDLESS)))
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await pool.ready()
        assert (await pool.run(Job("ASK { ?s ?p ?o }"))).rows == 1
        assert await until(lambda: gone(before))

    with Executor(ServerConfig(timeout=60, workers=1)) as pool:
        asyncio.run(asyncio.wait_for(scenario(pool), 60))


def test_threads_stay_bounded_whatever_the_timeout_and_concurrency():
    """20 slow queries at once, 1 s timeout, 2 workers: every one answers TimedOut, the server
    starts no thread, and only two workers are ever left."""
    with Executor(ServerConfig(timeout=1, workers=2)) as pool:
        pool.check()
        run(pool, Job("ASK { ?s ?p ?o }"))
        start = threads()
        seen = set(pool.pids())
        outcomes, samples = gather(pool, [Job(ENDLESS)] * 20, during=lambda: (threads(), len(living(seen.union(pool.pids())))))
        assert all(isinstance(o, TimedOut) for o in outcomes), outcomes
        assert max(t for t, _ in samples) == start
        assert max(w for _, w in samples) <= 4  # two workers, and two being killed or replaced
        pool.check()
        assert run(pool, Job("ASK { ?s ?p ?o }")).rows == 1
        assert threads() == start
        assert len(pool.pids()) == 2 and wait_for(lambda: gone(seen - pool.pids()), 10)


def test_more_requests_than_workers_wait_their_turn(executor):
    before = executor.pids()
    outcomes, samples = gather(executor, [Job(SELECT, result_format="tsv")] * 12, during=executor.pids)
    assert [o.rows for o in outcomes] == [3] * 12
    assert all(pids == before for pids in samples) and len(before) == 2


def test_close_leaves_no_process(data_file):
    pool = Executor(ServerConfig(graph_paths=(data_file,)))
    run(pool, Job(ASK))
    started = pool.pids()
    assert len(started) == 2 and len(living(started)) == 2
    pool.close()
    assert gone(started)
    pool.close()  # twice is fine
    with pytest.raises(Exception, match="shutting down"):
        run(pool, Job(ASK))


def test_data_that_cannot_be_opened_is_said_once_per_request(tmp_path):
    with Executor(ServerConfig(store_dir=tmp_path)) as pool:
        with pytest.raises(InputError) as error:
            pool.check()
        assert error.value.message() == (f"{tmp_path}: not a kgtool store; create one with: kgtool load FILES "
                                         f"--store {tmp_path}")
        with pytest.raises(InputError):
            run(pool, Job(ASK))


# -- the network -----------------------------------------------------------------------

@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server
    server.close()


def test_service_and_load_never_reach_the_network(listener, data_file):
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    queries = [f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
               f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
               f"SELECT * WHERE {{ VALUES ?x {{ <{url}> }} SERVICE ?x {{ ?s ?p ?o }} }}"]
    updates = [f"LOAD <{url}>", f"LOAD SILENT <{url}> INTO GRAPH <http://e/g>",
               f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"]
    with Executor(ServerConfig(graph_paths=(data_file,), allow_update=True, timeout=5)) as pool:
        pool.check()
        for text in queries:
            with pytest.raises(QueryError, match="SERVICE would send the query to another server"):
                run(pool, Job(text))
        for text in updates:
            with pytest.raises(QueryError, match="(LOAD|SERVICE) would make the server"):
                run(pool, Job(text, kind="update", source="update"))
    assert select.select([listener], [], [], 0.5)[0] == []  # nobody knocked


# -- updates ---------------------------------------------------------------------------

INSERT = 'INSERT DATA { <http://example.org/d> <http://example.org/name> "Delta" }'
NAMES = "SELECT ?name WHERE { <http://example.org/d> <http://example.org/name> ?name }"


def test_updates_survive_a_worker_killed_by_a_timeout(data_file):
    with Executor(ServerConfig(graph_paths=(data_file,), allow_update=True, timeout=1, workers=4)) as pool:
        pool.check()
        assert run(pool, Job(INSERT, kind="update")) == Outcome(b"", "text/plain", None, False)
        assert len(pool.pids()) == 1  # updates: one worker holds the data
        with pytest.raises(TimedOut):
            run(pool, Job(ENDLESS))
        pool.check()
        assert run(pool, Job(NAMES, result_format="tsv")).body == b'?name\n"Delta"\n'


def test_updates_on_a_store_persist(tmp_path, data_file):
    from kgtool.store.persistence import load_into

    directory = tmp_path / "news.store"
    load_into(directory, [data_file])
    with Executor(ServerConfig(store_dir=directory, allow_update=True)) as pool:
        run(pool, Job(INSERT, kind="update"))
    with Executor(ServerConfig(store_dir=directory)) as pool:
        assert run(pool, Job(NAMES, result_format="tsv")).body == b'?name\n"Delta"\n'
        with pytest.raises(QueryError, match="INSERT is a SPARQL Update"):
            run(pool, Job(INSERT))  # a query job is never an update
        with pytest.raises(QueryError) as error:
            run(pool, Job(INSERT, kind="update", source="update"))  # nor does a read-only server take one
        assert (error.value.message(), error.value.http_status) == (
            "update: the server is read-only; start it with --allow-update", 403)


def test_a_worker_killed_from_outside_is_replaced_and_the_request_still_answered():
    import signal

    with Executor(ServerConfig(workers=1)) as pool:
        run(pool, Job(ASK))
        (pid,) = pool.pids()
        os.kill(pid, signal.SIGKILL)
        assert wait_for(lambda: not living({pid}), 10)
        assert run(pool, Job(ASK)).rows == 1  # the job went to a fresh worker
        assert pool.pids() and pid not in pool.pids()
