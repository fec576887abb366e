"""Run work where it can be stopped: a forked child process that the parent can kill.

pyoxigraph cannot cancel a query or a bulk load, and while it runs Python sees no
signal, so a cartesian product ignores Ctrl-C and grows without bound. `run_killable`
runs the work in a forked child (copy-on-write: an in-memory store costs nothing to
share) and waits for its pickled result in a loop that signals can interrupt. On
Ctrl-C, SIGTERM (which the CLI turns into KeyboardInterrupt) or the timeout, the child
is killed at once and its memory goes with it. If the parent itself is killed, the
kernel kills the child too (PR_SET_PDEATHSIG), so no worker is ever left behind.

SIGINT and SIGTERM are blocked across the fork: a signal that lands between the
fork and the parent's `try` would otherwise leave a live child nobody kills.

Only a single-threaded process forks. A fork copies the calling thread alone, and
RocksDB (under an on-disk pyoxigraph store) keeps a process-wide pool of background
threads: a child forked after the parent opened a store on disk waits forever for
threads it does not have. kgtool's own command line forks before it touches a store,
so it always gets the child; a multi-threaded host (a test runner, an application
that embeds kgtool) runs the work in its own process instead, unkillable but correct.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import select
import signal
import struct
import sys
import time
from typing import Any, Callable

from kgtool.errors import InternalError, KgError, TimedOut

_PR_SET_PDEATHSIG = 1
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_HEADER = struct.Struct("!Q")


def die_with_parent() -> None:
    """For a subprocess's preexec_fn: the child is killed when kgtool dies, however it dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's own kill still stops the child
        pass


def can_fork() -> bool:
    """Whether work can safely go to a forked child: POSIX, and this process has one thread."""
    if not hasattr(os, "fork"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc: count the threads Python knows of
        import threading

        return threading.active_count() == 1


def run_killable(function: Callable[..., Any], *args: Any, timeout: float | None = None,
                 what: str = "the query", option: str = "--timeout",
                 report: Callable[[Any], None] | None = None) -> Any:
    """`function(*args)` computed in a child process; its result must pickle.

    With `report`, the function is called as `function(send, *args)` and every
    `send(message)` in the child reaches `report(message)` here (progress lines).
    Raises TimedOut when `timeout` seconds pass, KeyboardInterrupt when interrupted,
    and whatever KgError the function raised. Without fork (not POSIX) it runs here.
    """
    if not can_fork():
        return function(report, *args) if report else function(*args)
    child = Child(function, args, reports=report is not None)
    return child.result(timeout, what, option, report)


class Child:
    """`function(*args)` started in a forked child now, its answer taken later with
    `result` (or dropped with `kill`): work that runs beside the caller's own. The caller
    checks `can_fork()` first."""

    def __init__(self, function: Callable[..., Any], args: tuple = (), reports: bool = False):
        _flush_standard_streams()
        read_fd, write_fd = os.pipe()
        parent = os.getpid()
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            os.close(read_fd)
            os.close(write_fd)
            raise
        if pid == 0:  # pragma: no cover (runs in the child; its outcome is checked by the parent)
            os.close(read_fd)
            try:
                _child(write_fd, function, args, reports, parent, blocked)
            finally:
                os._exit(0)
        os.close(write_fd)
        self.pid, self.fd = pid, read_fd
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # a pending Ctrl-C is raised here
        except BaseException:
            self.kill()
            raise

    def result(self, timeout: float | None = None, what: str = "the work", option: str = "--timeout",
               report: Callable[[Any], None] | None = None) -> Any:
        """The child's value, or its error raised here; the child is gone afterwards."""
        try:
            deadline = None if timeout is None else time.monotonic() + timeout
            outcome = read_messages(self.fd, deadline, report or (lambda message: None))
        except BaseException:
            self.kill()
            raise
        finally:
            self._close()
        if outcome is _TIMED_OUT:
            self.kill()
            raise TimedOut(f"{what} ran longer than {timeout:g} s and was stopped", where=option,
                           fix=f"narrow it (a LIMIT, more specific patterns) or raise {option}")
        _, status = os.waitpid(self.pid, 0)
        stopped = os.WIFSIGNALED(status) and os.WTERMSIG(status) in _STOP_SIGNALS
        return unpack(outcome, stopped, f"the worker running {what} died ({_how(status)}) without an answer")

    def kill(self) -> None:
        _kill(self.pid)
        self._close()

    def _close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def unpack(outcome: tuple[str, Any] | None, stopped: bool, died: str) -> Any:
    """What a worker handed back: its value, or its error raised here. No answer at all is
    KeyboardInterrupt when a stop signal killed it (the terminal's Ctrl-C reaches the
    whole process group, the worker first), else an InternalError saying `died`."""
    if outcome is None:
        if stopped:
            raise KeyboardInterrupt
        raise InternalError(died)
    kind, value = outcome
    if kind == "error":
        raise value
    return value


def _flush_standard_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # what is buffered now must not be written twice
        except (OSError, ValueError):
            pass


def _child(write_fd: int, function: Callable[..., Any], args: tuple, reports: bool,
           parent: int, blocked) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent decides; the child just dies
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        return
    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    with os.fdopen(write_fd, "wb") as pipe:
        def send(message: Any) -> None:
            write_message(pipe, ("progress", message))

        try:
            outcome: tuple[str, Any] = ("ok", function(send, *args) if reports else function(*args))
        except KgError as exc:
            outcome = ("error", exc)
        except BaseException as exc:  # the parent turns it into exit 3 at the CLI boundary
            outcome = ("error", InternalError(f"{type(exc).__name__}: {exc}"))
        try:
            write_message(pipe, outcome)
        except Exception as exc:  # the result did not pickle
            write_message(pipe, ("error", InternalError(f"cannot hand back the result: {exc}")))


def write_message(pipe, message: tuple[str, Any]) -> None:
    """One length-prefixed pickle: ("progress", x) any number of times, then ("ok"|"error", x)."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_HEADER.pack(len(data)) + data)
    pipe.flush()


_TIMED_OUT = object()


def read_messages(fd: int, deadline: float | None, report: Callable[[Any], None]):
    """Read what write_message sent on `fd`: progress goes to `report`; returns the final
    ("ok"|"error", value), None if the writer died first, or _TIMED_OUT at the deadline."""
    buffer = bytearray()
    while True:
        while len(buffer) >= _HEADER.size:
            size = _HEADER.unpack_from(buffer)[0]
            if len(buffer) < _HEADER.size + size:
                break
            kind, value = pickle.loads(bytes(buffer[_HEADER.size:_HEADER.size + size]))
            del buffer[:_HEADER.size + size]
            if kind != "progress":
                return kind, value
            report(value)
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            return _TIMED_OUT
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return None
        buffer += chunk


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.WEXITSTATUS(status)}"
