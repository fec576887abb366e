"""kgtool validate: check the graph against the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import click

from kgtool.commands._common import graph_option, open_store, output_option, output_stream
from kgtool.errors import EXIT_VIOLATIONS
from kgtool.paths import bundled
from kgtool.shacl.reports import REPORT_FORMATS
from kgtool.shacl.validation import ENGINES


@click.command(help=f"""Check the graph against the SHACL shapes.

Exit 0 if it conforms (warnings allowed), 1 if there are violations, 2 if the
graph or the shapes cannot be read. Report formats: {', '.join(REPORT_FORMATS)}.

Engines: {'; '.join(f'{name}, {what}' for name, what in ENGINES.items())}.
""")
@click.option("--shapes", "-s", "shapes_paths", multiple=True, type=click.Path(path_type=Path),
              help="SHACL file or folder (default: the bundled shapes/; repeatable).")
@click.option("--format", "-f", "fmt", type=click.Choice(list(REPORT_FORMATS)), default="text", show_default=True)
@click.option("--engine", "-e", type=click.Choice(list(ENGINES)), default="sparql", show_default=True,
              help="Which SHACL engine checks the graph.")
@click.option("--changed", "-c", type=click.Path(path_type=Path), metavar="FILE",
              help="Check only what the triples of FILE (an article just added) touch, not the whole graph.")
@graph_option
@output_option
def command(shapes_paths, fmt, engine, changed, graph_paths, store_dir, output):
    from kgtool.shacl.validation import validate, validate_change

    store = open_store(graph_paths, store_dir)
    shapes = list(shapes_paths) or [bundled("shapes")]
    if changed is not None:
        report = validate_change(store, shapes, changed, engine=engine)
    else:
        report = validate(store, shapes, engine=engine)
    if report.note:
        click.echo(f"kgtool: note: {report.note}", err=True)
    with output_stream(output) as stream:
        stream.write(REPORT_FORMATS[fmt](report).encode("utf-8"))
    if not report.conforms:
        click.get_current_context().exit(EXIT_VIOLATIONS)
