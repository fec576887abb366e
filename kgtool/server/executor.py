"""Queries run in worker processes that can be killed: a bounded pool, waited on without threads.

pyoxigraph cannot cancel a query, so a query past its deadline is stopped by killing
the process that runs it (SIGKILL: its memory goes with it) and starting another.
Each worker (kgtool.server.workers) is a fresh interpreter that opens the data once:
a store on disk read-only (copied into memory when small), or the graph files loaded
into memory. Spawned, never forked: RocksDB's thread pools do not survive a fork, and
the server has threads.

The waiting side is asyncio alone: a request waits for an idle worker (FIFO), sends
its job down a pipe and waits on the reply pipe with `loop.add_reader`; the deadline
is a timer of the event loop, not a thread sleeping. So the server's thread count does
not depend on the timeout or the number of requests. The deadline counts from the
request's arrival: a request still queued at its deadline answers TimedOut too
(busy), without running.

Updates (allow_update) need every query to see them, so the pool is then ONE worker
that holds the data and runs queries and updates in turn. On a store on disk the
worker opens it for writing and updates persist; on graph files they live in the
worker's memory, and the executor keeps the updates that succeeded so that a worker
started after a timeout applies them again before it answers.

The executor binds to no event loop: TestClient runs each client in a loop of its
own, so every wait registers with the loop it runs in, and workers are handed over
with `call_soon_threadsafe`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass

from kgtool.errors import InternalError, KgError, QueryError, TimedOut
from kgtool.server.answers import TooManyRows  # noqa: F401 (for the app)
from kgtool.server.workers import Setup, WorkerGone, WorkerProcess as _Worker, remaining

_REAP_EVERY = 0.05  # seconds between looks at killed workers the kernel has not yet reaped
_CLOSE_GRACE = 2.0  # seconds a worker gets to exit on its own at close() before SIGKILL


@dataclass(frozen=True)
class Outcome:
    body: bytes
    media_type: str
    rows: int | None
    truncated: bool = False  # always False: a result over --max-rows is an error, never cut


class Executor:
    """A pool of `config.workers` worker processes (one with allow_update); `await run(job)`."""

    def __init__(self, config) -> None:
        self._timeout = config.timeout
        self._updating = bool(config.allow_update)
        self._writable_store = self._updating and config.store_dir is not None
        self._setup = Setup(str(config.store_dir) if config.store_dir is not None else None,
                            tuple(str(p) for p in config.graph_paths), config.base,
                            self._writable_store, config.max_rows)
        self._replay: list = []  # updates applied in memory, for a worker started later
        self._lock = threading.Lock()
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = deque()
        self._workers: set[_Worker] = set()
        self._dying: list[subprocess.Popen] = []
        self._broken: KgError | None = None  # the data cannot be opened: every request says why
        self._closed = False
        for _ in range(1 if self._updating else max(1, config.workers)):
            worker = self._spawn()
            self._idle.append(worker)

    # -- the interface -------------------------------------------------------------------
    async def run(self, job) -> Outcome:
        """The job's answer from a worker; raises its KgError, TimedOut past the deadline."""
        if job.kind == "update" and not self._updating:  # the app refuses it first; never run it on one worker
            refused = QueryError("the server is read-only", where=job.source, fix="start it with --allow-update")
            refused.http_status = 403
            raise refused
        loop = asyncio.get_running_loop()
        deadline = None if self._timeout is None else loop.time() + self._timeout
        for attempt in range(2):
            worker = await self._acquire(loop, deadline, job.source)
            await self._started(worker, loop, deadline, job.source)
            try:
                reply = await worker.ask(loop, job, deadline, self._timeout)
            except WorkerGone:  # died while idle (killed from outside): the job never reached it
                self._replace(worker, loop)
                if attempt:
                    raise
                continue
            except BaseException:  # the deadline, a cancelled request, a worker dead mid-job
                self._replace(worker, loop)
                raise
            break
        self._release(worker)
        if job.kind == "update" and not self._writable_store:
            self._replay.append(job)
        return Outcome(*reply)

    async def _started(self, worker: _Worker, loop, deadline: float | None, source: str) -> None:
        try:
            await worker.started(loop, deadline, self._timeout, source)
        except KgError as exc:
            if isinstance(exc, TimedOut):  # still opening the data: the next request waits on
                self._release(worker)
            else:
                self._fail(worker, exc)
            raise
        except BaseException:  # cancelled while it opens the data: it is still good
            self._release(worker)
            raise

    def check(self, seconds: float = 600.0) -> None:
        """Block until every worker has the data open; raise the KgError of one that cannot
        (for `kgtool serve`, to say so before it listens)."""
        asyncio.run(self.ready(seconds))

    async def ready(self, seconds: float = 600.0) -> None:
        """Wait until every idle worker has the data open (TimedOut after `seconds`)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            idle = list(self._idle)
        for worker in idle:
            try:
                await worker.started(loop, loop.time() + seconds, seconds, "the data")
            except TimedOut:
                raise
            except KgError as exc:
                self._fail(worker, exc)
                raise

    def pids(self) -> set[int]:
        """The worker processes' ids (for tests and benchmarks that watch them)."""
        with self._lock:
            return {worker.process.pid for worker in self._workers}

    def close(self) -> None:
        """Stop every worker and wait for it; queued requests fail. Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers, self._workers = list(self._workers), set()
            waiters, self._waiters = list(self._waiters), deque()
            self._idle.clear()
        for loop, future in waiters:
            _call_in(loop, _fail_future, future, InternalError("the server is shutting down"))
        for worker in workers:
            worker.close_pipes()  # end of file: a worker exits on its own (a store closes cleanly)
        deadline = time.monotonic() + _CLOSE_GRACE
        for worker in workers:
            try:
                worker.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:  # still busy with a query
                worker.process.kill()
                worker.process.wait()
        for process in self._dying:
            process.wait()
        self._dying.clear()

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the pool ------------------------------------------------------------------------
    def _spawn(self) -> "_Worker":
        worker = _Worker(dataclasses.replace(self._setup, replay=tuple(self._replay)))
        self._workers.add(worker)
        return worker

    async def _acquire(self, loop, deadline: float | None, source: str) -> "_Worker":
        if self._dying:
            self._reap(loop)
        with self._lock:
            if self._closed:
                raise InternalError("the server is shutting down")
            if self._broken is not None:
                raise self._broken
            if self._idle:
                return self._idle.popleft()
            future = loop.create_future()
            self._waiters.append((loop, future))
        try:
            return await asyncio.wait_for(future, remaining(loop, deadline))
        except asyncio.TimeoutError:
            raise TimedOut(f"the server was busy: no worker was free within {self._timeout:g} s",
                           where=source, fix="try again later, or start the server with more --workers") from None
        except BaseException:
            if future.done() and not future.cancelled() and future.exception() is None:
                self._release(future.result())  # handed over as this request was cancelled
            raise

    def _release(self, worker: "_Worker") -> None:
        """Hand the worker to the longest-waiting request, else keep it idle."""
        with self._lock:
            if self._closed:
                worker.close_pipes()
                return
            while self._waiters:
                loop, future = self._waiters.popleft()
                if not future.done() and _call_in(loop, self._hand_over, future, worker):
                    return
            self._idle.append(worker)

    def _hand_over(self, future: asyncio.Future, worker: "_Worker") -> None:
        if future.done():  # timed out or cancelled since it was picked
            self._release(worker)
        else:
            future.set_result(worker)

    def _replace(self, worker: "_Worker", loop=None) -> None:
        """Kill the worker and put a fresh one in its place."""
        worker.kill()
        if self._writable_store:  # its store must be closed before the next one opens it
            worker.process.wait()
        elif worker.process.poll() is None:
            with self._lock:
                self._dying.append(worker.process)
            if loop is not None:
                loop.call_later(_REAP_EVERY, self._reap, loop)
        with self._lock:
            self._workers.discard(worker)
            if self._closed:
                return
            fresh = self._spawn()
        self._release(fresh)

    def _fail(self, worker: "_Worker", exc: BaseException) -> None:
        """A worker that could not open the data: remember why, answer it to every request."""
        worker.kill()
        worker.process.wait()
        with self._lock:
            self._workers.discard(worker)
            if isinstance(exc, KgError):
                self._broken = exc
            waiters, self._waiters = list(self._waiters), deque()
        for loop, future in waiters:
            _call_in(loop, _fail_future, future, exc if isinstance(exc, KgError) else InternalError(str(exc)))

    def _reap(self, loop) -> None:
        with self._lock:
            self._dying = [p for p in self._dying if p.poll() is None]
            left = bool(self._dying)
        if left and not loop.is_closed():
            loop.call_later(_REAP_EVERY, self._reap, loop)


def _call_in(loop, function, *args) -> bool:
    """Run `function(*args)` in `loop`'s thread; False if that loop is closed."""
    try:
        loop.call_soon_threadsafe(function, *args)
        return True
    except RuntimeError:
        return False


def _fail_future(future: asyncio.Future, exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


