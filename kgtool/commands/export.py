"""kgtool export: write the graph in an RDF format."""

from __future__ import annotations

import click

from kgtool.commands._common import (graph_option, open_store, output_format, output_option, output_stream,
                                     run_core, wrapped)
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
    # sees no signal while it loads or writes.
    data, merged = run_core(_export, graph_paths, store_dir, chosen, what="the export")
    with output_stream(output) as stream:
        stream.write(data)
    if merged:
        click.echo(f"kgtool: note: {RDF_FORMATS[chosen].label} has no named graphs; "
                   f"merged {merged} into one (use --format trig to keep them)", err=True)


def _export(graph_paths, store_dir, chosen: str) -> tuple[bytes, int]:
    """The bytes of the export, and how many named graphs a triple format merged."""
    from kgtool.store.serialization import serialize_store

    store = open_store(graph_paths, store_dir)
    merged = 0 if RDF_FORMATS[chosen].datasets else len(store.named_graphs())
    return serialize_store(store, chosen), merged
