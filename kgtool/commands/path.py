"""kgtool path: how two entities connect."""

from __future__ import annotations

import click

from kgtool.commands._common import (
    TEXT_OR_JSON, given, graph_option, open_store, output_format, output_option, output_stream, picture_format,
    relation_options, run_core,
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
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for programs.")
@click.option("--limit", "-n", type=click.IntRange(1, None), help="List at most this many paths.")
@click.option("--draw", "draw_to", metavar="FILE",
              help=f"Also draw the paths to FILE; the suffix picks the format ({', '.join(PICTURE_FORMATS)}).")
@relation_options
@graph_option
@output_option
def command(start, end, fmt, limit, draw_to, article, types, predicates, provenance, graph_paths, store_dir,
            output):
    from kgtool.pictures.selection import split_list
    from kgtool.pictures.request import GraphRequest

    fmt = output_format(output, given(fmt), TEXT_OR_JSON, "text", "a list of paths")
    draw_format = picture_format(draw_to, "--draw") if draw_to else None
    request = GraphRequest(article=article, provenance=provenance, types=split_list(types),
                           predicates=split_list(predicates))
    connection, drawing = run_core(connect_and_draw, graph_paths, store_dir, request, start, end, limit,
                                   draw_format, what="kgtool path")
    from kgtool.pictures.connections import PATH_FORMATS, verdict

    with output_stream(output) as stream:
        stream.write(PATH_FORMATS[fmt](connection).encode("utf-8"))
    if drawing is not None:
        with output_stream(draw_to) as stream:
            stream.write(drawing)
        click.echo(f"kgtool: drew the paths to {draw_to}", err=True)
    if not connection.found:
        if fmt != "text" or output != "-":  # the verdict is said once: here when stdout does not show it
            click.echo(f"kgtool: {verdict(connection)}", err=True)
        click.get_current_context().exit(EXIT_VIOLATIONS)


def connect_and_draw(graph_paths, store_dir, request, start: str, end: str, limit: int | None, fmt: str | None):
    """The core of the command, run where Ctrl-C can stop it: the paths, and their picture in `fmt`."""
    from kgtool.pictures.connections import find_paths
    from kgtool.pictures.drawing import draw
    from kgtool.wording import count

    store = open_store(graph_paths, store_dir)
    connection, subgraph = find_paths(store, request, start, end, limit)
    if fmt is None or not connection.found:
        return connection, None
    title = f"{connection.start_label} to {connection.end_label}: {count(connection.total, 'shortest path')}"
    return connection, draw(subgraph, fmt, title=title)
