"""Options and streams shared by the commands."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import click

from kgtool.paths import bundled


def graph_option(command):
    return click.option(
        "--graph",
        "-g",
        "graph_paths",
        multiple=True,
        type=click.Path(path_type=Path),
        help="RDF file or folder to use instead of the bundled graph (repeatable).",
    )(command)


def output_option(command):
    return click.option(
        "--output", "-o", default="-", show_default=True, help="File to write (atomically), or - for stdout."
    )(command)


def open_store(graph_paths: tuple[Path, ...]):
    from kgtool.store import load

    return load(list(graph_paths) or [bundled("graph")])


@contextmanager
def output_stream(target: str) -> Iterator[IO[bytes]]:
    """stdout for '-', else a file that appears only once fully written."""
    if target == "-":
        stream = sys.stdout.buffer
        yield stream
        stream.flush()
        return
    from kgtool.serialization import atomic_output

    with atomic_output(target) as stream:
        yield stream


def read_stdin() -> str:
    return sys.stdin.read()
