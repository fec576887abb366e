"""SIGTERM stops kgtool as Ctrl-C does, so the same cleanup runs.

`timeout`, `docker stop`, systemd and CI runners send SIGTERM, whose default
action kills the process on the spot: temp files, staging folders and worker
processes would stay behind. Raising KeyboardInterrupt instead sends SIGTERM
down the path Ctrl-C already takes: every `finally` and `except BaseException`
undoes its half-done work, and the CLI exits 130 with one line.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class _Once:
    """The handler: the first SIGTERM interrupts; later ones must not interrupt the cleanup it started."""

    def __init__(self) -> None:
        self.fired = False

    def __call__(self, signum, frame) -> None:
        if not self.fired:
            self.fired = True
            raise KeyboardInterrupt


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While the block runs, SIGTERM raises KeyboardInterrupt in the main thread; the old handler comes back after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (kgtool run from another program's thread)
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous is signal.SIG_IGN:
        yield  # whoever started us chose to ignore SIGTERM: keep that
        return
    signal.signal(signal.SIGTERM, _Once())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
