"""kgtool export: write the graph in an RDF format."""

from __future__ import annotations

import mmap
import os
import tempfile
from contextlib import contextmanager

import click

from kgtool.commands._common import (chosen_endpoint, graph_option, graph_sources, open_store, output_format,
                                     output_option, output_stream, run_core, wrapped)
from kgtool.store.formats import RDF_FORMATS, describe


@click.command(help=f"""Write the graph in an RDF format.

The same graph always gives the same bytes. TriG, N-Quads and JSON-LD keep the
named graphs (one per article); Turtle, N-Triples and RDF/XML merge them.
JSON-LD uses the context shipped with kgtool, never a remote one.

\b
{wrapped("Formats: " + describe(RDF_FORMATS) + ".")}

\b
Examples:
  kgtool export -o soundtrack.ttl
  kgtool export --store news.store --format nquads -o news.nq
""")
@click.option("--format", "-f", "fmt", type=click.Choice(list(RDF_FORMATS)),
              help="Output format; default: from the -o suffix, else turtle.")
@graph_option
@output_option
def command(fmt, graph_paths, store_dir, output):
    offered = {name: f.suffixes for name, f in RDF_FORMATS.items()}
    chosen = output_format(output, fmt, offered, "turtle", "the graph")
    # Opening the store and writing it run in a child that Ctrl-C kills at once: pyoxigraph
    # sees no signal while it loads or writes. The child leaves the bytes in a file in memory
    # that both share: a pipe would take seconds to carry 200 MB.
    with _spool() as spool:
        size, merged = run_core(_export, graph_paths, store_dir, chosen, spool.fileno(), what="the export")
        with output_stream(output) as stream:
            _copy(spool, size, stream)
    if merged:
        click.echo(f"kgtool: note: {RDF_FORMATS[chosen].label} has no named graphs; "
                   f"merged {merged} into one (use --format trig to keep them)", err=True)


def _export(graph_paths, store_dir, chosen: str, spool: int) -> tuple[int, int]:
    """Write the export to the descriptor `spool`; its size, and how many named graphs a
    triple format merged. Files are streamed from the parser to the writer, with no store
    between (the same bytes as from a store that holds them)."""
    from kgtool.store.serialization import serialize_files, serialize_store

    if store_dir is None and chosen_endpoint() is None:
        data, named = serialize_files(graph_sources(graph_paths), chosen)
        merged = 0 if RDF_FORMATS[chosen].datasets else named
    else:
        store = open_store(graph_paths, store_dir)
        merged = 0 if RDF_FORMATS[chosen].datasets else len(store.named_graphs())
        data = serialize_store(store, chosen)
    with open(spool, "wb", closefd=False) as handle:
        handle.write(data)
    return len(data), merged


@contextmanager
def _spool():
    """An anonymous file, in memory where the system has them (memfd), else in the temp folder."""
    try:
        handle = open(os.memfd_create("kgtool-export"), "w+b")
    except (AttributeError, OSError):
        handle = tempfile.TemporaryFile()
    with handle:
        yield handle


def _copy(spool, size: int, stream, chunk: int = 1 << 24) -> None:
    """The spool's first `size` bytes to `stream`, mapped, in slices (bytes: no buffer of the
    map outlives a failed write)."""
    if not size:
        return
    with mmap.mmap(spool.fileno(), size, access=mmap.ACCESS_READ) as mapped:
        for start in range(0, size, chunk):
            stream.write(mapped[start:start + chunk])
