"""kgtool query: run a named query, a .rq file, stdin or -e TEXT."""

from __future__ import annotations

from pathlib import Path

import click

from kgtool.commands._common import graph_option, open_store, output_option, output_stream, pick_query
from kgtool.store.formats import RDF_FORMATS, RESULT_FORMATS, describe, result_format_for_path, rdf_format_for_path
from kgtool.paths import bundled

FORMATS = list(RESULT_FORMATS) + [f for f in RDF_FORMATS if f not in RESULT_FORMATS]


@click.command(
    help=f"""Run a SPARQL query over the graph.

QUERY is a named query (see --list; a unique prefix such as 04 works), a .rq
file, or - for stdin. Or give the text with -e.

\b
Result formats (SELECT, ASK): {describe(RESULT_FORMATS)}.
RDF formats (CONSTRUCT, DESCRIBE): {describe(RDF_FORMATS)}.

Known prefixes (schema:, kg:, person:, work:, ...) need no PREFIX line.
""",
)
@click.argument("query_spec", metavar="QUERY", required=False)
@click.option("--execute", "-e", "text", help="The SPARQL text itself.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help='Bind ?NAME to an RDF term: <iri>, prefix:name, "text", 42; an iri parameter also takes a label.')
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), help="Output format; default: from the -o suffix, else table or turtle.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries with their summaries.")
@click.option("--queries", "queries_dir", type=click.Path(path_type=Path), help="Folder of named queries (default: the bundled queries/).")
@graph_option
@output_option
def command(query_spec, text, params, fmt, list_queries, queries_dir, graph_paths, store_dir, output):
    from kgtool import queries

    directory = queries_dir or bundled("queries")
    if list_queries:
        _list(queries.catalog(directory))
        return
    query = pick_query(query_spec, text, directory)
    store = open_store(graph_paths, store_dir)
    bindings = queries.bind_params(query, queries.parse_assignments(params), store)
    results = store.query(query.text, bindings, source=query.source)
    from kgtool.results import check_format, default_format, kind_of, render

    kind = kind_of(results)
    chosen = fmt or _format_from_suffix(output, kind) or default_format(kind)
    check_format(kind, chosen)
    with output_stream(output) as stream:
        render(results, chosen, stream)


def _format_from_suffix(output: str, kind: str) -> str | None:
    if output == "-":
        return None
    found = rdf_format_for_path(output) if kind == "graph" else result_format_for_path(output)
    return found.name if found else None


def _list(catalog) -> None:
    width = max((len(name) for name in catalog), default=0)
    for name, query in catalog.items():
        params = "".join(f" [{p.name}]" for p in query.params.values())
        click.echo(f"{name.ljust(width)}  {query.summary}{params}")
