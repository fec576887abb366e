"""kgtool remove: take an article back out of a graph folder or a store, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click

_SHOWN = 5  # entities named in the summary line; the rest are counted


@click.command(help="""Take ARTICLE back out of the graph: its named graph (its facts,
sentences and claims), the description of that graph, and so every entity
no other article mentions. ARTICLE is the article's id, its graph IRI (or
graph:ID) or the path of its card. From a graph folder (--graph DIR, default
the bundled graph) its three files go (articles/ID.trig, sources/ID.txt,
sources/ID.yaml); from a store (--store DIR), its graph. All or nothing,
whatever stops it (a kill, a full disk). A triple another article also
states stays.

\b
Examples:
  kgtool remove et-soundtrack-canceled --graph my-graph
  kgtool remove graph:et-soundtrack-canceled --store news.store
  kgtool remove graph/sources/et-soundtrack-canceled.yaml
""")
@click.argument("article", metavar="ARTICLE")
@click.option("--graph", "-g", "graph_dir", type=click.Path(path_type=Path, readable=False), metavar="DIR",
              help="The graph folder to remove it from (default: the bundled graph).")
@click.option("--store", "store_dir", type=click.Path(path_type=Path, readable=False), metavar="DIR",
              help="The store (made by kgtool load) to remove it from.")
def command(article, graph_dir, store_dir):
    from kgtool.cards.writing import remove_article
    from kgtool.errors import InputError
    from kgtool.paths import bundled
    from kgtool.store.output import reporting_write_errors

    if graph_dir is not None and store_dir is not None:
        raise InputError("give --graph or --store, not both", where="--store", fix="drop one of them")
    where = store_dir or graph_dir or bundled("graph")
    with reporting_write_errors(str(where)):
        removal = remove_article(article, graph_dir=None if store_dir else where, store_dir=store_dir)
    for note in removal.notes:
        click.echo(f"kgtool: note: {note}", err=True)
    click.echo(f"kgtool: {summary(removal)}", err=True)


def summary(removal) -> str:
    """removed ID from DIR: N triples (3 files); K entities no longer mentioned anywhere: a, b, ..."""
    from kgtool.namespaces import compact
    from kgtool.wording import count

    files = f" ({count(len(removal.files), 'file')})" if removal.files else ""
    line = f"removed {removal.article_id} from {removal.where}: {count(removal.triples, 'triple')}{files}; "
    orphans = removal.orphans
    if not orphans:
        return line + "every entity it mentions is still mentioned by another article"
    named = ", ".join(compact(iri) for iri in orphans[:_SHOWN])
    more = f" and {len(orphans) - _SHOWN:,} more" if len(orphans) > _SHOWN else ""
    return line + f"{count(len(orphans), 'entity', 'entities')} no longer mentioned anywhere: {named}{more}"
