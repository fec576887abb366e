"""kgtool load: put RDF files into a store on disk, all or nothing, with progress."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kgtool.commands._common import base_option, chosen_base
from kgtool.store.formats import RDF_FORMATS


@click.command(help="""Load FILES (RDF files or folders) into the store at DIR, made if needed.

Every command then reads it with --store DIR instead of parsing files. A load
is all or nothing, whatever stops it (a bad file, Ctrl-C, a kill, a full
disk): the store answers as before or as after the whole load, and readers
never see half of it. - reads stdin (give --format). --remove GRAPH takes an
article graph out. Progress (statements, statements/s, time left) goes to
stderr.

\b
Example:
  kgtool generate --triples 1000000 -o news.nt
  kgtool load news.nt --store news.store
  kgtool query 21 --store news.store
""")
@click.argument("paths", metavar="[FILES...]", nargs=-1,
                type=click.Path(path_type=Path, readable=False, allow_dash=True))
@click.option("--store", "store_dir", required=True, type=click.Path(path_type=Path, readable=False), metavar="DIR",
              help="The store's folder.")
@click.option("--format", "-f", "fmt", type=click.Choice(list(RDF_FORMATS)),
              help="The RDF format of - (stdin); files are told by their suffix.")
@click.option("--remove", "remove", multiple=True, metavar="GRAPH",
              help="Remove this article graph (its IRI) first; repeatable.")
@click.option("--compact", is_flag=True,
              help="Merge the store's index files after the load: queries on a big store run faster "
                   "(1.35x on 1M triples) for a longer load (about 8%); worth it for a store that is "
                   "queried or served much. An add compacts the whole store.")
@click.option("--quiet", "-q", is_flag=True, help="No progress, only the closing line.")
@base_option
def command(paths, store_dir, fmt, remove, compact, quiet):
    from kgtool.errors import InputError
    from kgtool.store.output import reporting_write_errors
    from kgtool.store.persistence import load_into
    from kgtool.wording import count

    if not paths and not remove:
        raise InputError("nothing to load", where="FILES", fix="name RDF files or folders, - for stdin, or --remove GRAPH")
    bar = ProgressBar(sys.stderr, enabled=not quiet)
    try:
        with reporting_write_errors(str(store_dir)):  # a full disk names the store, not a RocksDB file
            summary = load_into(store_dir, list(paths), bar.show, fmt=fmt, remove=remove, base=chosen_base(),
                                compact=compact)
    finally:
        bar.close()
    for note in summary.notes:
        click.echo(f"kgtool: note: {note}", err=True)
    verb = "created" if summary.created else "added to"
    rate = summary.statements / summary.seconds if summary.seconds else 0
    removed = f"removed {count(summary.removed, 'graph')}, " if summary.removed else ""
    click.echo(f"kgtool: {verb} {store_dir}: {removed}{count(summary.statements, 'statement')} from "
               f"{count(summary.files, 'file')} in {summary.seconds:.1f} s ({rate:,.0f}/s)", err=True)


class ProgressBar:
    """One updating line on a terminal; a line every few seconds when stderr is a file.

    Phases: reading (a bar over the bytes read, statements counted in every format),
    indexing (read; pyoxigraph sorts and writes its indexes, a time that grows) and, with
    --compact, compacting, so the bar never sits at 100% while work goes on."""

    def __init__(self, stream, enabled: bool = True, every: float = 5.0):
        self.stream, self.enabled, self.every = stream, enabled, every
        self.tty = enabled and stream.isatty()
        self.last_line = -every
        self.drawn = False
        self.finished: set = set()

    def show(self, progress) -> None:
        if not self.enabled:
            return
        if progress.phase != "reading":
            self._phase(progress)
            return
        fraction = progress.bytes_read / progress.bytes_total if progress.bytes_total else None
        rate = progress.statements / progress.seconds if progress.seconds else 0.0
        name = "stdin" if str(progress.path) == "-" else progress.path.name
        if fraction is None:  # stdin: no size to measure against
            text = f"loading {name} {progress.statements:,} statements {rate:,.0f}/s"
        else:
            left = progress.seconds * (1 - fraction) / fraction if fraction > 0 else 0.0
            filled = int(fraction * 24)
            text = (f"loading {name} [{'#' * filled}{'.' * (24 - filled)}] {fraction:4.0%} "
                    f"{progress.statements:,} statements {rate:,.0f}/s ETA {left:4.0f} s")
        done = fraction is not None and fraction >= 1.0
        if self.tty:
            self._draw(text)
        elif done and progress.path not in self.finished:
            self.finished.add(progress.path)
            self.stream.write(text + "\n")
        elif not done and progress.seconds - self.last_line >= self.every:
            self.last_line = progress.seconds
            self.stream.write(text + "\n")

    def _phase(self, progress) -> None:
        if progress.phase == "compacting":
            text = f"compacting the store's index files ({progress.statements:,} statements loaded)"
        else:
            text = f"indexing {progress.statements:,} statements (read in {progress.seconds:.1f} s)"
        if self.tty:
            self._draw(text)
        else:
            self.stream.write(text + "\n")

    def _draw(self, text: str) -> None:
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.drawn = False
