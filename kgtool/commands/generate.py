"""kgtool generate: synthetic entertainment news at any size, for trying kgtool at scale."""

from __future__ import annotations

import io

import click

from kgtool.commands._common import output_format, output_stream
from kgtool.store.formats import RDF_FORMATS
from kgtool.synthetic import FORMATS


@click.command(help="""Write a deterministic synthetic news graph in the project's model.

Articles are named graphs with sentences, facts and one kg:Claim per fact;
people, series, roles, characters, quotes, cancellations and inspirations,
with popularity skewed as in real news. Everything is marked synthetic. The
same --triples and --seed give the same bytes. It conforms to the shapes
unless --violations K injects K known violations (listed by --manifest).

\b
Formats: nquads (.nq), trig (.trig), ntriples (.nt: every article in the
default graph, where what earlier articles said is not said again, so every
statement is distinct). The ontology comes first, so the file validates on
its own.

\b
Examples:
  kgtool generate --triples 1000000 --seed 7 -o news-1m.nq
  kgtool generate -n 20000 --violations 10 --manifest injected.json -o bad.nq
""")
@click.option("--triples", "-n", type=click.IntRange(1, None), default=10_000, show_default=True,
              help="About how many statements to write (whole articles, so a few more).")
@click.option("--seed", "-s", type=int, default=0, show_default=True,
              help="Another seed gives other articles of the same size.")
@click.option("--violations", type=click.IntRange(0, None), default=0, show_default=True,
              help="Inject this many SHACL violations, each a known focus node, path and component.")
@click.option("--manifest", metavar="FILE", help="Write the injected violations as JSON to FILE.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS),
              help="Default: from the -o suffix, else nquads.")
@click.option("--ontology/--no-ontology", default=True, show_default=True, help="Start with the ontology's triples.")
@click.option("--output", "-o", default="-", show_default=True, metavar="FILE",
              help="File to write (atomically), or - for stdout.")
def command(triples, seed, violations, manifest, fmt, ontology, output):
    from kgtool.paths import bundled
    from kgtool.synthetic import generate, manifest_json, ontology_quads

    offered = {name: RDF_FORMATS[name].suffixes for name in FORMATS}
    chosen = output_format(output, fmt, offered, "nquads", "a generated graph")
    lines = list(ontology_quads(bundled("graph") / "ontology.ttl")) if ontology else []
    with output_stream(output) as stream:
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="\n", write_through=False)
        summary = generate(text, triples, seed, violations, lines, chosen)
        text.flush()
        text.detach()
    if manifest:
        with output_stream(manifest) as stream:
            stream.write(manifest_json(summary.violations).encode("utf-8"))
    click.echo(f"kgtool: wrote {summary.quads:,} statements in {summary.articles:,} synthetic articles "
               f"(seed {seed}, {chosen}), {len(summary.violations)} injected violations", err=True)

