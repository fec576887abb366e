"""kgtool export: write the graph in an RDF format."""

from __future__ import annotations

import click

from kgtool.commands._common import graph_option, open_store, output_option, output_stream
from kgtool.store.formats import RDF_FORMATS, describe, rdf_format_for_path


@click.command(help=f"""Write the graph in an RDF format.

The same graph always gives the same bytes. TriG, N-Quads and JSON-LD keep the
named graphs (one per article); Turtle, N-Triples and RDF/XML merge them.
JSON-LD uses the context shipped with kgtool, never a remote one.

\b
Formats: {describe(RDF_FORMATS)}.
""")
@click.option("--format", "-f", "fmt", type=click.Choice(list(RDF_FORMATS)),
              help="Output format; default: from the -o suffix, else turtle.")
@graph_option
@output_option
def command(fmt, graph_paths, store_dir, output):
    from kgtool.store.serialization import serialize_store

    chosen = fmt or _from_suffix(output) or "turtle"
    store = open_store(graph_paths, store_dir)
    data = serialize_store(store, chosen)
    with output_stream(output) as stream:
        stream.write(data)
    if not RDF_FORMATS[chosen].datasets and store.named_graphs():
        click.echo(
            f"kgtool: note: {RDF_FORMATS[chosen].label} has no named graphs; "
            f"merged {len(store.named_graphs())} into one (use --format trig to keep them)",
            err=True,
        )


def _from_suffix(output: str) -> str | None:
    found = rdf_format_for_path(output) if output != "-" else None
    return found.name if found else None
