"""kgtool describe: everything known about one entity, with evidence."""

from __future__ import annotations

import click

from kgtool.commands._common import graph_option, open_store, output_option, output_stream
from kgtool.description import DESCRIBE_FORMATS


@click.command(help="""Show everything the graph says about ENTITY, each fact with the
sentence that states it.

ENTITY is a label ("Jenna Dewan", "L.A."), a prefixed name (person:jenna-dewan)
or an IRI.
""")
@click.argument("entity")
@click.option("--format", "-f", "fmt", type=click.Choice(list(DESCRIBE_FORMATS)), default="text", show_default=True)
@graph_option
@output_option
def command(entity, fmt, graph_paths, store_dir, output):
    from kgtool.description import describe

    description = describe(open_store(graph_paths, store_dir), entity)
    with output_stream(output) as stream:
        stream.write(DESCRIBE_FORMATS[fmt](description).encode("utf-8"))
