"""kgtool path: how two entities connect."""

from __future__ import annotations

import click

from kgtool.commands._common import (
    graph_option, open_store, output_option, output_stream, picture_format, relation_options,
)
from kgtool.errors import EXIT_VIOLATIONS
from kgtool.pictures.formats import PICTURE_FORMATS

FORMATS = ("text", "json")


@click.command(help="""Show how entity A connects to entity B: every shortest path through the
relation graph, each relation with the sentence that states it.

A and B are labels ("Jenna Dewan"), prefixed names (person:steve-martin) or
IRIs. Relations are followed in either direction. Exit code 1 when A and B are
not connected.

\b
Example:
  kgtool path "Jenna Dewan" "Steve Martin" --draw dewan-martin.svg
""")
@click.argument("start", metavar="A")
@click.argument("end", metavar="B")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--limit", "-n", type=click.IntRange(1, None), help="List at most this many paths.")
@click.option("--draw", "draw_to", metavar="FILE",
              help=f"Also draw the paths to FILE; the suffix picks the format ({', '.join(PICTURE_FORMATS)}).")
@relation_options
@graph_option
@output_option
def command(start, end, fmt, limit, draw_to, article, types, predicates, provenance, graph_paths, store_dir,
            output):
    from kgtool.pictures.connections import PATH_FORMATS, connect
    from kgtool.pictures.request import GraphRequest, relation_graph
    from kgtool.pictures.selection import split_list

    draw_format = picture_format(draw_to, "--draw") if draw_to else None
    store = open_store(graph_paths, store_dir)
    request = GraphRequest(article=article, provenance=provenance, types=split_list(types),
                           predicates=split_list(predicates))
    graph = relation_graph(store, request)
    connection = connect(store, graph, start, end, limit)
    with output_stream(output) as stream:
        stream.write(PATH_FORMATS[fmt](connection).encode("utf-8"))
    if draw_to and connection.found:
        _draw(graph, connection, draw_to, draw_format)
    if not connection.found:
        click.echo(f"kgtool: {connection.start_label} and {connection.end_label} are not connected", err=True)
        click.get_current_context().exit(EXIT_VIOLATIONS)


def _draw(graph, connection, target: str, fmt: str) -> None:
    from kgtool.pictures.connections import path_subgraph
    from kgtool.wording import count
    from kgtool.pictures.drawing import draw

    title = f"{connection.start_label} to {connection.end_label}: {count(connection.total, 'shortest path')}"
    data = draw(path_subgraph(graph, connection), fmt, title=title)
    with output_stream(target) as stream:
        stream.write(data)
    click.echo(f"kgtool: drew the paths to {target}", err=True)
