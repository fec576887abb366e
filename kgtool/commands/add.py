"""kgtool add: compile an article card into the graph, only when every check passes."""

from __future__ import annotations

from pathlib import Path

import click

from kgtool.commands._common import output_stream, run_core, timeout_option
from kgtool.errors import EXIT_VIOLATIONS


@click.command(help="""Compile the article card CARD into its article graph and add it.

The card (YAML, docs/cards.md) names the article and its facts in the
editor's words, each with the words of the article that support it. kgtool
checks that every evidence span, hedge and quotation is in one sentence of
the text, matches every name with the graph (an ambiguous one stops, listing
the candidates), and validates the new article with what it touches. Only
then does it write the article into the graph folder (--graph DIR, default
the bundled graph/) or the store (--store DIR), all or nothing; adding a card
again replaces its article.

Exit 0 when added, 1 when the shapes find violations (nothing is written), 2
when the card or its text is wrong (the message names file:line:column).

\b
Examples:
  kgtool add graph/sources/et-soundtrack-canceled.yaml --dry-run
  kgtool add my-article.yaml --graph graph/
  kgtool add my-article.yaml --store news.store
""")
@click.argument("card", type=click.Path(path_type=Path, readable=False))
@click.option("--graph", "-g", "graph_dir", type=click.Path(path_type=Path, readable=False), metavar="DIR",
              help="The graph folder to add to (default: the bundled graph/).")
@click.option("--store", "store_dir", type=click.Path(path_type=Path, readable=False), metavar="DIR",
              help="A store made by 'kgtool load' to add to instead.")
@click.option("--shapes", "-s", "shapes_paths", multiple=True, type=click.Path(path_type=Path, readable=False),
              help="SHACL file or folder (default: the bundled shapes/; repeatable).")
@click.option("--dry-run", "-n", is_flag=True,
              help="Check and compile, print the article graph as TriG and what is new, reused and hedged; write nothing.")
@timeout_option
def command(card, graph_dir, store_dir, shapes_paths, dry_run, timeout):
    from kgtool.errors import InputError

    if graph_dir is not None and store_dir is not None:
        raise InputError("give --graph or --store, not both", where="--store", fix="add to one place at a time")
    outcome = run_core(_add, card, graph_dir, store_dir, list(shapes_paths), dry_run, timeout=timeout,
                       what="the addition")
    for line in outcome["notes"]:
        click.echo(f"kgtool: note: {line}", err=True)
    if dry_run:
        with output_stream("-") as stream:
            stream.write(outcome["trig"])
    if not outcome["conforms"]:
        click.echo(outcome["report"], err=True, nl=False)
    click.echo(outcome["summary"], err=True)
    if not outcome["conforms"]:
        click.get_current_context().exit(EXIT_VIOLATIONS)


def _add(card, graph_dir, store_dir, shapes_paths, dry_run) -> dict:
    """The addition's outcome, as plain values (it runs in the killable child)."""
    from kgtool.cards.addition import add_card
    from kgtool.cards.summary import summarize
    from kgtool.shacl.reports import REPORT_FORMATS

    addition = add_card(card, graph_dir, store_dir, shapes_paths or None, dry_run)
    return {"trig": addition.compiled.trig, "notes": addition.notes, "conforms": addition.conforms,
            "report": "" if addition.conforms else REPORT_FORMATS["text"](addition.report),
            "summary": summarize(addition, dry_run)}
