"""kgtool load: put RDF files into a store on disk, all or nothing, with progress."""

from __future__ import annotations

import sys
from pathlib import Path

import click

ONE_PER_LINE = (".nt", ".nq")  # N-Triples and N-Quads: lines read are statements read


@click.command(help="""Load RDF files (or folders) into the store at DIR, creating it if needed.

Every command then reads it with --store DIR instead of parsing files. A new
store appears only once every file has loaded; adding to an existing store
first checks every file's syntax, so a bad file leaves the store as it was.
Progress (statements, statements/s, time left) goes to stderr.

\b
Example:
  kgtool generate --triples 1000000 -o news.nt
  kgtool load news.nt --store news.store
  kgtool query 21 --store news.store
""")
@click.argument("paths", metavar="FILES...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", "store_dir", required=True, type=click.Path(path_type=Path), help="The store's folder.")
@click.option("--quiet", "-q", is_flag=True, help="No progress, only the closing line.")
def command(paths, store_dir, quiet):
    from kgtool.store.persistence import load_into
    from kgtool.wording import count

    bar = ProgressBar(sys.stderr, enabled=not quiet)
    summary = load_into(store_dir, list(paths), bar.show)
    bar.close()
    verb = "created" if summary.created else "added to"
    rate = summary.statements / summary.seconds if summary.seconds else 0
    unit = "statement" if all(Path(p).suffix in ONE_PER_LINE for p in paths) else "line"
    click.echo(f"kgtool: {verb} {store_dir}: {count(summary.statements, unit)} from {count(summary.files, 'file')} "
               f"in {summary.seconds:.1f} s ({rate:,.0f}/s)", err=True)


class ProgressBar:
    """One updating line on a terminal; a line every few seconds when stderr is a file."""

    def __init__(self, stream, enabled: bool = True, every: float = 5.0):
        self.stream, self.enabled, self.every = stream, enabled, every
        self.tty = enabled and stream.isatty()
        self.last_line = -every
        self.drawn = False
        self.finished: set = set()

    def show(self, progress) -> None:
        if not self.enabled:
            return
        fraction = progress.bytes_read / progress.bytes_total if progress.bytes_total else 1.0
        rate = progress.statements / progress.seconds if progress.seconds else 0.0
        left = progress.seconds * (1 - fraction) / fraction if fraction > 0 else 0.0
        filled = int(fraction * 24)
        unit = "statements" if progress.path.suffix in ONE_PER_LINE else "lines"
        text = (f"loading {progress.path.name} [{'#' * filled}{'.' * (24 - filled)}] {fraction:4.0%} "
                f"{progress.statements:,} {unit} {rate:,.0f}/s ETA {left:4.0f} s")
        if self.tty:
            self.stream.write("\r" + text + "\x1b[K")
            self.stream.flush()
            self.drawn = True
        elif fraction >= 1.0 and progress.path not in self.finished:
            self.finished.add(progress.path)
            self.stream.write(text + "\n")
        elif fraction < 1.0 and progress.seconds - self.last_line >= self.every:
            self.last_line = progress.seconds
            self.stream.write(text + "\n")

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
