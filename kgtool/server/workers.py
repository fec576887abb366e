"""The worker processes of `kgtool serve`: each opens the data once, then answers jobs one at a time.

A worker runs as `python -m kgtool.server.workers JOBS_FD REPLIES_FD PARENT_PID`, a fresh
interpreter (never a fork of the server: RocksDB's thread pools do not survive a fork,
and the server has threads). Its first message in is a `Setup`; it answers ("ready",
None) once the data is open (kgtool.server.opening), or ("error", KgError) if it cannot
be. Then each job in gets one reply out: ("ok", (body, media_type, rows, truncated)) or
("error", KgError), computed by kgtool.server.answers. Both pipes carry kgtool.worker's
length-prefixed pickles. The server kills a worker with SIGKILL at a query's deadline;
the kernel kills it when the server dies (PR_SET_PDEATHSIG).

`WorkerProcess` is the server's end: it starts the process and waits for its replies
with the running event loop's `add_reader` and timers, never with a thread.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from kgtool.errors import InternalError, KgError, TimedOut
from kgtool.worker import _HEADER, die_with_parent


@dataclass(frozen=True)
class Setup:
    """What a worker opens: a store on disk (read-only unless `writable`; a small read-only one
    copied into memory), else graph files (the bundled graph when none), and the updates to
    apply again after a restart."""

    store_dir: str | None
    graph_paths: tuple[str, ...]
    base: str | None
    writable: bool
    max_rows: int | None
    replay: tuple[Any, ...] = ()


# -- the server's end ------------------------------------------------------------

class WorkerGone(InternalError):
    """The worker was dead before it got the job (killed from outside while idle): safe to retry."""


class WorkerProcess:
    """The server's end of one worker process: two pipes and what has been read so far."""

    def __init__(self, setup: Setup) -> None:
        jobs_read, self._jobs = os.pipe()
        self._replies, replies_write = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kgtool.server.workers", str(jobs_read), str(replies_write), str(os.getpid())],
            pass_fds=(jobs_read, replies_write), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        os.close(jobs_read)
        os.close(replies_write)
        self._buffer = bytearray()
        self._ready = False
        self._send(setup)  # small: the pipe takes it at once

    async def started(self, loop, deadline: float | None, timeout: float | None, source: str) -> None:
        """Wait for the worker's "ready"; TimedOut at the deadline; its KgError if it cannot start."""
        if self._ready:
            return
        message = await self._receive(loop, deadline)
        if message is _LATE:
            raise TimedOut(f"the server is still opening the data (more than {timeout:g} s so far)",
                           where=source, fix="try again in a moment")
        if message is None:
            raise InternalError(f"a query worker died while opening the data ({_how(self.process)})")
        kind, value = message
        if kind == "error":
            raise value
        self._ready = True

    async def ask(self, loop, job, deadline: float | None, timeout: float | None) -> tuple:
        try:
            self._send(job)
        except OSError:  # it died since its last answer
            raise WorkerGone(f"the worker for the query died ({_how(self.process)})", where=job.source) from None
        message = await self._receive(loop, deadline)
        if message is _LATE:
            raise TimedOut(f"the {'update' if job.kind == 'update' else 'query'} ran longer than {timeout:g} s "
                           f"and was stopped", where=job.source,
                           fix="narrow it (a LIMIT, more specific patterns) or start the server with a higher --timeout")
        if message is None:
            raise InternalError(f"the worker running the query died ({_how(self.process)})", where=job.source)
        kind, value = message
        if kind == "error":
            raise value
        return value

    def _send(self, message) -> None:
        send(self._jobs, message)  # the worker is idle and reading: a long job only waits for it to read

    async def _receive(self, loop, deadline: float | None):
        """The next message; None at end of file (the worker died); _LATE at the deadline."""
        while True:
            if len(self._buffer) >= _HEADER.size:
                size = _HEADER.unpack_from(self._buffer)[0]
                if len(self._buffer) >= _HEADER.size + size:
                    data = bytes(self._buffer[_HEADER.size:_HEADER.size + size])
                    del self._buffer[:_HEADER.size + size]
                    try:
                        return pickle.loads(data)
                    except Exception as exc:  # a bug: say so, keep the worker
                        return "error", InternalError(f"cannot read the worker's answer: {exc}")
            if not await _readable(loop, self._replies, deadline):
                return _LATE
            chunk = os.read(self._replies, self._wanted())
            if not chunk:
                return None
            self._buffer += chunk

    def _wanted(self) -> int:
        """How much to read: what the message begun needs, at least 64 KiB, at most 16 MiB. (os.read
        allocates the whole size first: 1 MiB each time cost 20 us for a reply of 1 kB.)"""
        if len(self._buffer) < _HEADER.size:
            return _READ_AT_LEAST
        left = _HEADER.size + _HEADER.unpack_from(self._buffer)[0] - len(self._buffer)
        return min(max(left, _READ_AT_LEAST), _READ_AT_MOST)

    def kill(self) -> None:
        try:
            self.process.kill()
        except ProcessLookupError:
            pass
        self.close_pipes()

    def close_pipes(self) -> None:
        for fd in (self._jobs, self._replies):
            try:
                os.close(fd)
            except OSError:
                pass
        self._jobs = self._replies = -1


_LATE = object()
_READ_AT_LEAST, _READ_AT_MOST = 1 << 16, 1 << 24


async def _readable(loop, fd: int, deadline: float | None) -> bool:
    """Whether `fd` became readable before the deadline: a reader and a timer of the loop, no
    thread (and no wait_for, whose task and handles cost more than the rest of the wait)."""
    future = loop.create_future()

    def settle(readable: bool) -> None:
        if not future.done():
            future.set_result(readable)

    loop.add_reader(fd, settle, True)
    timer = None if deadline is None else loop.call_at(deadline, settle, False)
    try:
        return await future
    finally:
        loop.remove_reader(fd)
        if timer is not None:
            timer.cancel()


def remaining(loop, deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - loop.time())


def _how(process: subprocess.Popen) -> str:
    status = process.poll()
    if status is None:
        return "no answer"
    return f"signal {-status}" if status < 0 else f"exit {status}"


# -- the process ------------------------------------------------------------------------

def send(fd: int, message: tuple[str, Any]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def receive(fd: int) -> Any:
    """One message, blocking; None at end of file (the server closed the pipe or died)."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    body = _read_exactly(fd, _HEADER.unpack(header)[0])
    return None if body is None else pickle.loads(body)


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def serve(jobs: int, replies: int) -> None:
    """Open the data the Setup names, then answer jobs until the pipe closes."""
    from kgtool.server.answers import answer
    from kgtool.server.opening import open_data

    setup = receive(jobs)
    if setup is None:
        return
    try:
        store = open_data(setup)
    except KgError as exc:
        send(replies, ("error", exc))
        return
    send(replies, ("ready", None))
    while True:
        try:
            job = receive(jobs)
        except Exception as exc:  # a job that does not unpickle here
            send(replies, ("error", InternalError(f"cannot read the job: {type(exc).__name__}: {exc}")))
            continue
        if job is None:
            return
        try:
            outcome: tuple[str, Any] = ("ok", answer(store, job, setup.max_rows))
        except KgError as exc:
            outcome = ("error", exc)
        except Exception as exc:  # the server answers 500 and keeps the worker
            outcome = ("error", InternalError(f"{type(exc).__name__}: {exc}"))
        send(replies, outcome)


def main(argv: list[str]) -> None:  # pragma: no cover (runs in the worker process)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the server decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    jobs, replies, parent = (int(a) for a in argv)
    if os.getppid() != parent:  # the server died before the line above took effect
        return
    try:
        serve(jobs, replies)
    except BrokenPipeError:  # the server closed its end (it stops, or gave up on this worker)
        pass


if __name__ == "__main__":  # pragma: no cover
    # Run as kgtool.server.workers, not __main__, so that the classes it pickles (TooManyRows)
    # unpickle in the server under their own names.
    from kgtool.server import workers

    workers.main(sys.argv[1:])
