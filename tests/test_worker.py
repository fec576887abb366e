"""kgtool.worker: work runs in a child that can be killed, and only where forking is safe."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from kgtool.errors import InputError, TimedOut
from kgtool.worker import run_killable


def in_fresh_python(code: str) -> str:
    """Run `code` in a new single-threaded interpreter, as kgtool's command line is."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_single_threaded_process_runs_the_work_in_a_child_and_gets_its_result():
    out = in_fresh_python("""
        import os
        from kgtool.worker import run_killable
        print(run_killable(os.getpid) != os.getpid(), run_killable(lambda a, b: a + b, 2, 3))
    """)
    assert out.split() == ["True", "5"]


def test_a_timeout_kills_the_child_and_leaves_no_process():
    out = in_fresh_python("""
        import os, time
        from kgtool.errors import TimedOut
        from kgtool.worker import run_killable
        try:
            run_killable(time.sleep, 60, timeout=0.3, what="the nap", option="--timeout")
        except TimedOut as exc:
            print(exc.message())
        try:
            os.waitpid(-1, os.WNOHANG)
            print("a child is left")
        except ChildProcessError:
            print("no child")
    """)
    assert out.splitlines() == [
        "--timeout: the nap ran longer than 0.3 s and was stopped; narrow it (a LIMIT, more specific "
        "patterns) or raise --timeout",
        "no child",
    ]


def test_errors_and_progress_come_back_from_the_child():
    out = in_fresh_python("""
        from kgtool.errors import InputError
        from kgtool.worker import run_killable
        def work(send, n):
            for i in range(n):
                send(i)
            raise InputError("bad", where="here", fix="mend it")
        heard = []
        try:
            run_killable(work, 3, report=heard.append)
        except InputError as exc:
            print(heard, exc.message())
    """)
    assert out.strip() == "[0, 1, 2] here: bad; mend it"


def test_a_result_larger_than_a_pipe_buffer_arrives_whole():
    out = in_fresh_python("""
        from kgtool.worker import run_killable
        print(len(run_killable(bytes, 20_000_000)))
    """)
    assert out.strip() == "20000000"


def test_a_process_with_threads_does_the_work_itself(tmp_path):
    import threading

    import pyoxigraph as ox

    ox.Store(str(tmp_path / "disk"))  # RocksDB's pool: threads a forked child would not have
    started = threading.Event()
    holder = threading.Thread(target=started.wait, daemon=True)
    holder.start()
    try:
        import os

        assert run_killable(os.getpid) == os.getpid()
        with pytest.raises(InputError):
            run_killable(_fail)
    finally:
        started.set()
        holder.join()


def _fail():
    raise InputError("no")


def test_timed_out_is_an_input_error_with_exit_2():
    assert TimedOut("x").exit_code == 2
