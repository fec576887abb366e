"""kgtool query: run a named query, a .rq file, stdin or -e TEXT."""

from __future__ import annotations

from pathlib import Path

import click

from kgtool.commands._common import (
    complete_query_name, graph_option, open_store, output_format, output_option, output_stream, pick_query,
    run_core, timeout_option, wrapped,
)
from kgtool.store.formats import RDF_FORMATS, RESULT_FORMATS, describe
from kgtool.paths import bundled

FORMATS = list(RESULT_FORMATS) + [f for f in RDF_FORMATS if f not in RESULT_FORMATS]


@click.command(
    help=f"""Run a SPARQL query over the graph.

QUERY is a named query (see --list; a unique prefix such as 04 works), a .rq
file, or - for stdin. Or give the text with -e.

\b
{wrapped("Result formats (SELECT, ASK): " + describe(RESULT_FORMATS) + ".")}
{wrapped("RDF formats (CONSTRUCT, DESCRIBE): " + describe(RDF_FORMATS) + ".")}

Known prefixes (schema:, kg:, person:, work:, ...) need no PREFIX line.

\b
Examples:
  kgtool query --list
  kgtool query 04 --param "character=Joanna Kassem" --format csv
  kgtool query -e 'SELECT ?who WHERE {{ work:soundtrack schema:creator ?who }}'
  kgtool query 21 --store news.store -o counts.csv
""",
)
@click.argument("query_spec", metavar="QUERY", required=False, shell_complete=complete_query_name)
@click.option("--execute", "-e", "text", help="The SPARQL text itself.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help='Bind ?NAME to an RDF term: <iri>, prefix:name, "text", 42; an iri parameter also takes a label.')
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), metavar="FORMAT",
              help="Output format (see above); default: from the -o suffix, else table or turtle.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries with their summaries.")
@click.option("--queries", "queries_dir", type=click.Path(path_type=Path, readable=False), help="Folder of named queries (default: the bundled queries/).")
@timeout_option
@graph_option
@output_option
def command(query_spec, text, params, fmt, list_queries, queries_dir, timeout, graph_paths, store_dir, output):
    from kgtool import queries

    directory = queries_dir or bundled("queries")
    if list_queries:
        _list(queries.catalog(directory))
        return
    if query_spec == "-" and any(str(path) == "-" for path in graph_paths):
        from kgtool.errors import InputError

        raise InputError("stdin can feed the query or the graph, not both", where="QUERY - and --graph -",
                         fix="save one of them to a file, or give the query with -e TEXT")
    query = pick_query(query_spec, text, directory)
    assignments = queries.parse_assignments(params)
    data = run_core(_answer, query, assignments, graph_paths, store_dir, fmt, output,
                    timeout=timeout, what="the query")
    with output_stream(output) as stream:
        stream.write(data)


def _answer(query, assignments, graph_paths, store_dir, fmt, output) -> bytes:
    """The query's answer as the bytes to write (in the killable child: loading, running and
    rendering all happen where Ctrl-C and --timeout can stop them)."""
    import io

    from kgtool import queries
    from kgtool.results import check_format, default_format, kind_of, render

    store = open_store(graph_paths, store_dir)
    results = store.answer(query.text, queries.bind_params(query, assignments, store), source=query.source)
    kind = kind_of(results)
    chosen = output_format(output, fmt, _offered(kind), default_format(kind), _WHAT[kind])
    check_format(kind, chosen)
    buffer = io.BytesIO()
    render(results, chosen, buffer)
    return buffer.getvalue()


_WHAT = {"graph": "a CONSTRUCT or DESCRIBE result", "solutions": "a SELECT result", "boolean": "an ASK result"}


def _offered(kind: str) -> dict:
    if kind == "graph":
        return {f.name: f.suffixes for f in RDF_FORMATS.values()}
    skip = ("csv", "tsv") if kind == "boolean" else ()
    return {f.name: f.suffixes for f in RESULT_FORMATS.values() if f.name not in skip}


def _list(catalog) -> None:
    width = max((len(name) for name in catalog), default=0)
    for name, query in catalog.items():
        params = "".join(f" [{p.name}]" for p in query.params.values())
        click.echo(f"{name.ljust(width)}  {query.summary}{params}")
