"""kgtool push: load the graph into a triple store by the Graph Store Protocol."""

from __future__ import annotations

import os

import click

from kgtool.commands._common import base_option, open_store, run_core

PASSWORD_VARIABLE = "KGTOOL_ENDPOINT_PASSWORD"


@click.command(help=f"""Load the graph into a triple store, by the SPARQL 1.1 Graph Store Protocol.

Each named graph (one per article) is PUT to ?graph=IRI, replacing it; the
default graph gets the merge of every graph, as kgtool's own store keeps it,
so that `kgtool query --endpoint URL` sees every article. Graphs the store
holds and the data does not are left alone. Then every graph is counted at
--endpoint: one the store holds fewer statements of than were sent is PUT
once more, and push fails (exit 2) if it is still short.

--endpoint is the SPARQL query endpoint; the Graph Store URL is --gsp, else
Oxigraph server's /store beside /query, or Virtuoso's /sparql-graph-crud
beside /sparql (-auth with --user). The password comes from the environment
({PASSWORD_VARIABLE}) or a prompt, never from the command line.

\b
Examples:
  kgtool push --endpoint http://127.0.0.1:7878/query
  kgtool push --store news.store --user dba \\
      --endpoint http://127.0.0.1:8890/sparql
""")
@click.option("--endpoint", required=True, metavar="URL", help="The SPARQL endpoint the data is for.")
@click.option("--gsp", metavar="URL", help="The Graph Store Protocol URL, when it is not the one beside --endpoint.")
@click.option("--user", metavar="NAME", help=f"User name for HTTP Basic authentication (password: {PASSWORD_VARIABLE} or a prompt).")
@click.option("--graph", "-g", "graph_paths", multiple=True, type=click.Path(readable=False),
              help="RDF file or folder to push instead of the bundled graph (repeatable).")
@click.option("--store", "store_dir", type=click.Path(readable=False), help="A store made by 'kgtool load' to push.")
@click.option("--timeout", type=click.FloatRange(0, None, min_open=True), metavar="SECONDS",
              help="Give up on a request the store does not answer in this many seconds.")
@base_option
def command(endpoint, gsp, user, graph_paths, store_dir, timeout):
    from pathlib import Path

    from kgtool.store.endpoint import DEFAULT_TIMEOUT, Http
    from kgtool.store.graph_store import graph_store_url
    from kgtool.wording import count

    password = None
    if user is not None:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            password = click.prompt(f"password for {user}", hide_input=True, err=True)
    url = graph_store_url(endpoint, gsp, authenticated=user is not None)
    http = Http(timeout or DEFAULT_TIMEOUT, user, password)
    summary = run_core(_push, tuple(Path(p) for p in graph_paths), Path(store_dir) if store_dir else None,
                       url, http, endpoint, what="the push")
    for note in summary.notes:
        click.echo(f"kgtool: note: {note}", err=True)
    click.echo(f"kgtool: pushed {count(summary.graphs, 'named graph')} and the default graph "
               f"({summary.statements:,} statements) to {url} in {summary.seconds:.1f} s", err=True)


def _push(graph_paths, store_dir, url, http, endpoint):
    from kgtool.store.graph_store import push

    return push(open_store(graph_paths, store_dir), url, http, endpoint=endpoint)
