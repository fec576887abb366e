"""The web page's view of the data: a Store whose queries run in the server's worker processes.

The page describes entities (kgtool.description) and finds paths (kgtool.pictures.connections)
with the same code as `kgtool describe` and `kgtool path`; those ask a Store for SPARQL. The
data lives in the executor's workers (killable, each query under the server's timeout and row
cap), so this Store is kgtool.store.remote.RemoteStore with its one HTTP request replaced by
a job for the executor: the same term handling, the same guard (SERVICE, LOAD and updates are
refused before a query leaves), no socket. Its methods block: call them in a worker thread
(Starlette's run_in_threadpool), from which each query is handed to the event loop.
"""

from __future__ import annotations

import threading
from typing import Any

from kgtool.errors import KgError
from kgtool.server.protocol import Job
from kgtool.server.executor import TooManyRows  # where the executor says the app finds it
from kgtool.store.endpoint import Answer
from kgtool.store.remote import RemoteStore


class ExecutorStore(RemoteStore):
    """Read-only SPARQL on the app's executor, from a thread the event loop lent out."""

    def __init__(self, executor: Any) -> None:
        super().__init__("kgtool:executor")
        self.executor = executor
        self.caps = ()  # the executor never cuts a result silently: nothing to page around

    def _post(self, text: str, source: str, accept: str | None = None) -> Answer:
        # `accept` is not needed: the worker answers SELECT and ASK in SPARQL JSON, graphs in N-Triples.
        where = "the page" if source == "query" else f"the page ({source})"
        return self.run(Job(text, "query", "json", "ntriples", source=where))

    def run(self, job: Job) -> Answer:
        """The job's answer from the executor, waited for on the event loop."""
        import anyio.from_thread

        outcome = anyio.from_thread.run(self.executor.run, job)
        return Answer(200, outcome.media_type, "kgtool", outcome.body)


class WholeGraph:
    """The relation graph of all the data, built once for a read-only server (the data cannot
    change under it) and again for every request when updates are allowed."""

    def __init__(self, cache: bool) -> None:
        self._cache = cache
        self._lock = threading.Lock()
        self._graph = None
        self._refusal: KgError | None = None  # too big for --max-rows: so it stays, without asking again

    def get(self, store):
        from kgtool.pictures.relations import build
        from kgtool.pictures.statements import Scope

        if not self._cache:
            return build(store, Scope())
        with self._lock:  # one build, however many requests arrive while it runs
            if self._refusal is not None:
                raise self._refusal
            if self._graph is None:
                try:
                    self._graph = build(store, Scope())
                except TooManyRows as exc:
                    self._refusal = exc
                    raise
            return self._graph
