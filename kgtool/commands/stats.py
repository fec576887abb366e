"""kgtool stats: counts by graph, class and property."""

from __future__ import annotations

import click

from kgtool.commands._common import (
    TEXT_OR_JSON, chosen_endpoint, given, graph_option, open_store, output_format, output_option, output_stream,
    run_core,
)
from kgtool.statistics import STATS_FORMATS


@click.command(help="""Count triples per graph, instances per class and uses per property.

\b
Examples:
  kgtool stats
  kgtool stats --store news.store --format json
""")
@click.option("--format", "-f", "fmt", type=click.Choice(list(STATS_FORMATS)), default="text", show_default=True,
              help="text for people, json for programs.")
@graph_option
@output_option
def command(fmt, graph_paths, store_dir, output):
    fmt = output_format(output, given(fmt), TEXT_OR_JSON, "text", "the statistics")
    from kgtool.statistics import statistics

    if chosen_endpoint() is not None:  # counted in the killable child, which says the endpoint's notes
        from kgtool.statistics import count_everything

        stats = run_core(_counted, count_everything, graph_paths, store_dir, what="kgtool stats")
    else:
        stats = statistics(open_store(graph_paths, store_dir))
    with output_stream(output) as stream:
        stream.write(STATS_FORMATS[fmt](stats).encode("utf-8"))


def _counted(count, graph_paths, store_dir):
    return count(open_store(graph_paths, store_dir))
