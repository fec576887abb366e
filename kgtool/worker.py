"""Run work where it can be stopped: a forked child process that the parent can kill.

pyoxigraph cannot cancel a query, and while it runs Python sees no signal, so a
cartesian product ignores Ctrl-C and grows without bound. `run_killable` runs the
work in a forked child (copy-on-write: an in-memory store costs nothing to share)
and waits for its pickled result in a loop that signals can interrupt. On Ctrl-C,
SIGTERM (which the CLI turns into KeyboardInterrupt) or the timeout, the child is
killed at once and its memory goes with it. If the parent itself is killed, the
kernel kills the child too (PR_SET_PDEATHSIG), so no worker is ever left behind.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import select
import signal
import sys
import time
from typing import Any, Callable

from kgtool.errors import InternalError, KgError, TimedOut

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's own kill still stops the child
        pass


def die_with_parent() -> None:
    """For a subprocess's preexec_fn: the child is killed when kgtool dies, however it dies."""
    _die_with_parent()


def _child(write_fd: int, function: Callable[..., Any], args: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent decides; the child just dies
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    try:
        outcome: tuple[str, Any] = ("ok", function(*args))
    except KgError as exc:
        outcome = ("error", exc)
    except BaseException as exc:  # the parent turns it into exit 3 at the CLI boundary
        outcome = ("error", InternalError(f"{type(exc).__name__}: {exc}"))
    try:
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        data = pickle.dumps(("error", InternalError(f"cannot hand back the result: {exc}")))
    with os.fdopen(write_fd, "wb") as pipe:
        pipe.write(data)


def run_killable(function: Callable[..., Any], *args: Any, timeout: float | None = None,
                 what: str = "the query", option: str = "--timeout") -> Any:
    """`function(*args)` computed in a child process; its result must pickle.

    Raises TimedOut when `timeout` seconds pass, KeyboardInterrupt when interrupted,
    and whatever KgError the function raised. Without fork (not POSIX) it runs here.
    """
    if not hasattr(os, "fork"):
        return function(*args)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # what is buffered now must not be written twice
        except (OSError, ValueError):
            pass
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (runs in the child; its outcome is checked by the parent)
        os.close(read_fd)
        try:
            _child(write_fd, function, args)
        finally:
            os._exit(0)
    os.close(write_fd)
    try:
        data = _read_all(read_fd, None if timeout is None else time.monotonic() + timeout)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(read_fd)
    if data is None:
        _kill(pid)
        raise TimedOut(f"{what} ran longer than {timeout:g} s and was stopped", where=option,
                       fix=f"narrow it (a LIMIT, more specific patterns) or raise {option}")
    _, status = os.waitpid(pid, 0)
    if not data:
        raise InternalError(f"the worker running {what} died ({_how(status)}) without an answer")
    kind, value = pickle.loads(data)
    if kind == "error":
        raise value
    return value


def _read_all(fd: int, deadline: float | None) -> bytes | None:
    """Everything the child writes, or None if the deadline passes first."""
    chunks = []
    while True:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


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
