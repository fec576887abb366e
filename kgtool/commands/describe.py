"""kgtool describe: everything known about one entity, with evidence."""

from __future__ import annotations

import click

from kgtool.commands._common import (
    TEXT_OR_JSON, given, graph_option, open_store, output_format, output_option, output_stream, run_core,
)
from kgtool.description import DESCRIBE_FORMATS


@click.command(help="""Show everything the graph says about ENTITY, each fact with the
sentence that states it.

ENTITY is a label ("Jenna Dewan", "L.A."), a prefixed name
(person:jenna-dewan) or an IRI.

\b
Examples:
  kgtool describe "Steve Martin"
  kgtool describe work:soundtrack --format json -o soundtrack.json
""")
@click.argument("entity")
@click.option("--format", "-f", "fmt", type=click.Choice(list(DESCRIBE_FORMATS)), default="text", show_default=True,
              help="text for people, json for programs.")
@graph_option
@output_option
def command(entity, fmt, graph_paths, store_dir, output):
    fmt = output_format(output, given(fmt), TEXT_OR_JSON, "text", "a description")
    data = run_core(_described, entity, fmt, graph_paths, store_dir, what="describe")
    with output_stream(output) as stream:
        stream.write(data)


def _described(entity, fmt, graph_paths, store_dir) -> bytes:
    """The description as the bytes to write, made in the killable child (loading included)."""
    from kgtool.description import describe

    return DESCRIBE_FORMATS[fmt](describe(open_store(graph_paths, store_dir), entity)).encode("utf-8")
