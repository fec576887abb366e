"""kgtool viz: draw the relation graph."""

from __future__ import annotations

import click

from kgtool.commands._common import (
    complete_query_name, graph_option, open_store, output_option, output_stream, pick_query, picture_format,
    relation_options, run_core, wrapped,
)
from kgtool.errors import InputError
from kgtool.pictures.formats import PICTURE_FORMATS
from kgtool.registry import describe
from kgtool.paths import bundled
from kgtool.pictures.drawing import LAYOUTS
from kgtool.pictures.vocabulary import DRAWN_KINDS


@click.command(help=f"""Draw the relation graph: entities as nodes, relations as labelled edges.

Each edge carries the sentence that states it (hover in the HTML page,
tooltips in SVG). Roles fold into one edge ("played Joanna Kassem in");
literals become node attributes; provenance is hidden unless --provenance.

\b
{wrapped("Formats: " + describe(PICTURE_FORMATS) + ".")}
svg, png and pdf need Graphviz; the others need nothing.
{wrapped("Entity kinds for --types: " + ", ".join(DRAWN_KINDS) + ".")}

\b
Examples:
  kgtool viz -o soundtrack.svg
  kgtool viz --focus "Jenna Dewan" --depth 2 -o dewan.html
  kgtool viz --query 25-lineage --param work=work:soundtrack -o lineage.png
""")
@click.option("--format", "-f", "fmt", type=click.Choice(list(PICTURE_FORMATS)),
              help="Output format; default: from the -o suffix, else svg.")
@click.option("--focus", metavar="ENTITY", help="Draw only the neighbourhood of ENTITY (a label, prefixed name or IRI).")
@click.option("--depth", "-d", type=click.IntRange(0, None), default=1, show_default=True,
              help="How many relations away from --focus to go.")
@relation_options
@click.option("--query", "-q", "query_spec", metavar="QUERY", shell_complete=complete_query_name,
              help="Draw the result of a CONSTRUCT query: a named query, a .rq file or - for stdin.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Bind a --query parameter.")
@click.option("--layout", type=click.Choice(LAYOUTS), default="auto", show_default=True,
              help="Graphviz layout program; auto is dot up to 200 entities, then sfdp.")
@click.option("--title", help="Caption of the picture (default: what is drawn).")
@click.option("--max-nodes", type=click.IntRange(1, None), default=300, show_default=True,
              help="Warn above this many entities (the picture is still drawn).")
@graph_option
@output_option
def command(fmt, focus, depth, article, types, predicates, provenance, query_spec, params, layout, title,
            max_nodes, graph_paths, store_dir, output):
    from kgtool.pictures.request import draw_plan
    from kgtool.wording import count

    chosen = fmt or ("svg" if output == "-" else picture_format(output, "--output", ", or give --format"))
    query = pick_query(query_spec, None, bundled("queries")) if query_spec else None
    if params and query is None:
        raise InputError("--param needs --query", where="--param", fix="name the CONSTRUCT query to bind it in")
    choices = dict(article=article, provenance=provenance, types=types, predicates=predicates, focus=focus,
                   depth=depth)
    plan = run_core(plan_core, graph_paths, store_dir, query, params, choices, title, max_nodes, what="kgtool viz")
    for warning in plan.warnings:  # before drawing: a big graph can keep Graphviz busy for minutes
        click.echo(f"kgtool: warning: {warning}", err=True)
    picture = run_core(draw_plan, plan, chosen, layout, what="kgtool viz")
    with output_stream(output) as stream:
        stream.write(picture.data)
    if output != "-":
        click.echo(f"kgtool: wrote {output} ({chosen}: {count(picture.nodes, 'entity', 'entities')}, "
                   f"{count(picture.edges, 'relation')})", err=True)


def plan_core(graph_paths, store_dir, query, params, choices: dict, title: str | None, max_nodes: int):
    """The core's first half, run where Ctrl-C can stop it: the data, the query, the relation graph and
    the warnings, which the command prints before the second half (drawing) starts."""
    from kgtool.pictures.request import GraphRequest, plan_picture
    from kgtool.pictures.selection import split_list
    from kgtool.queries import construct, parse_assignments

    store = open_store(graph_paths, store_dir)
    triples = construct(store, query, parse_assignments(params)) if query is not None else None
    request = GraphRequest(triples=triples, query_name=query.name if query else None,
                           **{**choices, "types": split_list(choices["types"]),
                              "predicates": split_list(choices["predicates"])})
    return plan_picture(store, request, title=title, node_limit=max_nodes)
