"""Run a load's write in a process of its own, which the parent can stop at once.

pyoxigraph's bulk loader sorts and writes its indexes in native threads that never
look at Python's signals, so Ctrl-C in the same process would wait for the whole
load. And the writer cannot be a plain fork: a process that has opened any RocksDB
database (a reader, a test's fixture) leaves RocksDB's thread pools locked in a
forked child, whose first read-write open then hangs forever. So the write runs in
a fresh interpreter (`python -m kgtool.store.writer`); it sends progress and its
outcome back as pickles on a pipe. On Ctrl-C or SIGTERM (KeyboardInterrupt here)
the parent kills it with SIGKILL and only then cleans up, when no database file is
open any more. If the parent is killed, the kernel kills the writer too.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
from typing import Any, Callable

from kgtool.errors import InternalError, KgError
from kgtool.worker import die_with_parent, read_messages, unpack, write_message

def run_writer(job: Any, report: Callable[[Any], None], reads_stdin: bool = False, lock_fd: int | None = None) -> Any:
    """`ingest.write(send, job)` in a child process; its result, or its KgError raised here.
    With `reads_stdin` the writer reads our stdin: the same descriptor, or, when ours is no
    real file (click's test runner), its bytes fed through a pipe. The writer inherits
    `lock_fd`, so the store's lock is held until the writer too is gone (if we are killed,
    the next load must not remove the folder a dying writer still has open)."""
    stdin, stdin_data = subprocess.DEVNULL, None
    if reads_stdin:
        stdin = _real_stdin()
        if stdin == subprocess.PIPE:
            stdin_data = sys.stdin.buffer.read()
    job_read, job_write = os.pipe()
    out_read, out_write = os.pipe()
    child = subprocess.Popen([sys.executable, "-m", "kgtool.store.writer", str(job_read), str(out_write)],
                             pass_fds=(job_read, out_write, *([lock_fd] if lock_fd is not None else [])),
                             stdin=stdin, preexec_fn=die_with_parent)
    os.close(job_read)
    os.close(out_write)
    try:
        with os.fdopen(job_write, "wb") as pipe:
            pipe.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
        if stdin_data is not None:
            threading.Thread(target=_feed, args=(child.stdin, stdin_data), daemon=True).start()
        outcome = read_messages(out_read, None, report)
    except BaseException:
        child.kill()
        child.wait()
        raise
    finally:
        os.close(out_read)
    status = child.wait()
    return unpack(outcome, -status in (signal.SIGINT, signal.SIGTERM),
                  f"the loader died (exit status {status}) before it finished")


def _real_stdin():
    try:
        sys.stdin.fileno()
        return None  # inherited as it is
    except (AttributeError, OSError, ValueError):
        return subprocess.PIPE


def _feed(stream, data: bytes) -> None:
    try:
        stream.write(data)
        stream.close()
    except OSError:
        pass  # the writer stopped early (a syntax error): it says why


def _main(job_fd: int, out_fd: int) -> None:  # pragma: no cover (runs in the writer process)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent decides; the writer just dies
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from kgtool.store.ingest import write

    with os.fdopen(job_fd, "rb") as pipe:
        job = pickle.loads(pipe.read())
    with os.fdopen(out_fd, "wb") as out:
        try:
            outcome: tuple[str, Any] = ("ok", write(lambda message: write_message(out, ("progress", message)), job))
        except KgError as exc:
            outcome = ("error", exc)
        except BaseException as exc:  # the parent turns it into exit 3 at the CLI boundary
            outcome = ("error", InternalError(f"{type(exc).__name__}: {exc}"))
        write_message(out, outcome)


if __name__ == "__main__":  # pragma: no cover
    _main(int(sys.argv[1]), int(sys.argv[2]))
