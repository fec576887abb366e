"""kgtool validate: check the graph against the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import click

from kgtool.commands._common import (
    chosen_base, given, graph_option, open_store, output_format, output_option, output_stream, run_core, timeout_option, wrapped,
)
from kgtool.errors import EXIT_VIOLATIONS
from kgtool.paths import bundled
from kgtool.shacl.reports import REPORT_FORMATS
from kgtool.shacl.validation import ENGINES


@click.command(help=f"""Check the graph against the SHACL shapes.

Exit 0 if it conforms (warnings allowed), 1 if there are violations, 2 if the
graph or the shapes cannot be read. Report formats: {', '.join(REPORT_FORMATS)}.

{wrapped("Engines: " + "; ".join(f"{name}, {what}" for name, what in ENGINES.items()) + ".")}

\b
Examples:
  kgtool validate
  kgtool validate --format turtle -o report.ttl
  kgtool validate --store news.store --changed new-article.trig
""")
@click.option("--shapes", "-s", "shapes_paths", multiple=True, type=click.Path(path_type=Path, readable=False),
              help="SHACL file or folder (default: the bundled shapes/; repeatable).")
@click.option("--format", "-f", "fmt", type=click.Choice(list(REPORT_FORMATS)), default="text", show_default=True,
              help="text for people, turtle for the W3C report graph, json for programs.")
@click.option("--engine", "-e", type=click.Choice(list(ENGINES)), default="sparql", show_default=True,
              help="Which SHACL engine checks the graph.")
@click.option("--changed", "-c", type=click.Path(path_type=Path, readable=False), metavar="FILE",
              help="Check only what the triples of FILE (an article just added) touch, not the whole graph.")
@click.option("--no-ontology", is_flag=True,
              help="Check the graph as given, without adding the bundled ontology when it has none.")
@timeout_option
@graph_option
@output_option
def command(shapes_paths, fmt, engine, changed, no_ontology, timeout, graph_paths, store_dir, output):
    shapes = list(shapes_paths) or [bundled("shapes")]
    chosen = output_format(output, given(fmt), REPORT_SUFFIXES, "text", "a validation report")
    notes, data, conforms = run_core(_check, graph_paths, store_dir, shapes, changed, engine, no_ontology,
                                     chosen, chosen_base(), timeout=timeout, what="the validation",
                                     narrow="check only what a new file touches (--changed FILE)")
    for note in notes:
        click.echo(f"kgtool: note: {note}", err=True)
    with output_stream(output) as stream:
        stream.write(data)
    if not conforms:
        click.get_current_context().exit(EXIT_VIOLATIONS)


REPORT_SUFFIXES = {"text": (".txt",), "json": (".json",), "turtle": (".ttl",)}


def _check(graph_paths, store_dir, shapes, changed, engine, no_ontology, fmt,
           base=None) -> tuple[list[str], bytes, bool]:
    """The notes, the report's bytes and whether the graph conforms (in the killable child:
    loading and checking happen where Ctrl-C and --timeout can stop them)."""
    from kgtool.shacl.validation import add_missing_ontology, validate, validate_change

    store = open_store(graph_paths, store_dir, whole=changed is None)  # --changed reads little
    left_out = None if no_ontology or not (graph_paths or store_dir) else (
        add_missing_ontology(store, bundled("graph") / "ontology.ttl"))
    if changed is not None:
        report = validate_change(store, shapes, changed, engine=engine, base=base)
    else:
        report = validate(store, shapes, engine=engine, base=base)
    notes = store.notes() + [note for note in (left_out, report.note) if note]
    return notes, REPORT_FORMATS[fmt](report).encode("utf-8"), report.conforms
