"""Options and streams shared by the commands."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import click

from kgtool.paths import bundled


def graph_option(command):
    """--graph FILES and --store DIR: where the data comes from (the bundled graph by default)."""
    command = click.option(
        "--store",
        "store_dir",
        type=click.Path(path_type=Path),
        help="A store on disk made by 'kgtool load' to use instead of files.",
    )(command)
    return click.option(
        "--graph",
        "-g",
        "graph_paths",
        multiple=True,
        type=click.Path(path_type=Path),
        help="RDF file or folder to use instead of the bundled graph (repeatable).",
    )(command)


def output_option(command):
    return click.option(
        "--output", "-o", default="-", show_default=True, help="File to write (atomically), or - for stdout."
    )(command)


def open_store(graph_paths: tuple[Path, ...], store_dir: Path | None = None):
    from kgtool.errors import InputError
    from kgtool.store import load
    from kgtool.store.persistence import open_store as open_on_disk

    if store_dir is not None:
        if graph_paths:
            raise InputError("give --graph or --store, not both", where="--store",
                             fix="load the files into the store with kgtool load, or drop --store")
        return open_on_disk(store_dir)
    return load(list(graph_paths) or [bundled("graph")])


@contextmanager
def output_stream(target: str) -> Iterator[IO[bytes]]:
    """stdout for '-', else a file that appears only once fully written."""
    if target == "-":
        stream = sys.stdout.buffer
        yield stream
        stream.flush()
        return
    from kgtool.store.serialization import atomic_output

    with atomic_output(target) as stream:
        yield stream


def read_stdin() -> str:
    return sys.stdin.read()


def relation_options(command):
    """The options that choose which relation graph `viz` and `path` work on."""
    options = [
        click.option("--article", "-a", metavar="ARTICLE",
                      help="Only what one article says (its slug, IRI or graph IRI)."),
        click.option("--types", "-t", multiple=True, metavar="TYPES",
                     help="Keep only entities of these kinds (person, work, ...) or classes (schema:Movie); comma-separated or repeated."),
        click.option("--predicates", "-P", multiple=True, metavar="RELATIONS",
                     help="Keep only these relations: properties (schema:creator) or edge words ('created'); comma-separated or repeated."),
        click.option("--provenance", is_flag=True, help="Also draw the articles and what they mention."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def pick_query(query_spec: str | None, text: str | None, directory: Path):
    """A named query, a .rq file, stdin ('-') or -e TEXT, as a queries.NamedQuery."""
    from kgtool import queries
    from kgtool.errors import QueryError

    if text is not None and query_spec:
        raise QueryError("give either QUERY or -e TEXT, not both", fix="drop one of them")
    if text is not None:
        return queries.NamedQuery(name="-e", text=text, source="-e", adhoc=True)
    if query_spec == "-":
        return queries.NamedQuery(name="stdin", text=read_stdin(), source="<stdin>", adhoc=True)
    if not query_spec:
        raise QueryError("no query given", fix="name one (kgtool query --list), give a .rq file, - for stdin, or -e TEXT")
    return queries.find(query_spec, directory)


def picture_format(target: str, option: str, or_else: str = "") -> str:
    """The picture format named by a file's suffix, for --output and --draw."""
    from kgtool.errors import InputError
    from kgtool.pictures.formats import picture_format_for_path

    found = picture_format_for_path(Path(target))
    if found is None:
        raise InputError(f"cannot tell the format from the name '{target}'", where=option,
                         fix="use a suffix such as .svg, .png, .html or .graphml" + or_else)
    return found.name
