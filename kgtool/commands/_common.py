"""Options and streams shared by the commands."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import click

from kgtool.paths import bundled


def graph_option(command):
    """--graph FILES and --store DIR: where the data comes from (the bundled graph by default).

    The paths are not checked by click (readable=False): its check prints a usage block,
    where kgtool says "cannot read FILE: permission denied" in one line (kgtool.store.files)."""
    from kgtool.store.formats import RDF_FORMATS

    command = base_option(command)
    command = endpoint_option(command)  # --endpoint URL (remote helper, issue 13)
    command = click.option(
        "--graph-format", type=click.Choice(list(RDF_FORMATS)), expose_value=False, callback=_remember_graph_format,
        help="The RDF format of --graph - (stdin), which has no file name to tell it.",
    )(command)
    command = click.option(
        "--store",
        "store_dir",
        type=click.Path(path_type=Path, readable=False),
        help="A store on disk made by 'kgtool load' to use instead of files.",
    )(command)
    return click.option(
        "--graph",
        "-g",
        "graph_paths",
        multiple=True,
        type=click.Path(path_type=Path, readable=False, allow_dash=True),
        help="RDF file or folder to use instead of the bundled graph (repeatable); - for stdin, with --graph-format.",
        callback=_finish_stopped_changes,
    )(command)


def _finish_stopped_changes(ctx: click.Context, param: click.Parameter, value: tuple) -> tuple:
    """A change to a graph folder that was stopped (kgtool add or remove killed) is finished or
    undone here, before the command forks its worker, so that the note reaches stderr."""
    from kgtool.store.journal import recover_folders

    for note in recover_folders(value or [bundled("graph")]):
        click.echo(f"kgtool: note: {note}", err=True)
    return value


def base_option(command):
    """--base IRI: the base IRI of every RDF file the command reads, instead of each file's own
    URI (stdin: the current folder's); kgtool.store.files.base_iri."""
    return click.option(
        "--base", metavar="IRI", expose_value=False, callback=_remember_base,
        help="Base IRI for <> and relative IRIs in every RDF file read (default: each file's own file:// URI; "
             "for stdin, the current folder's).",
    )(command)


def _remember_base(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    from kgtool.store.files import check_base

    ctx.meta["kgtool.base"] = None if value is None else check_base(value)


def chosen_base() -> str | None:
    """The --base the user gave (checked), or None: each file's own URI."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("kgtool.base") if ctx is not None else None


def _remember_graph_format(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    ctx.meta["kgtool.graph_format"] = value


def _graph_format() -> str | None:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("kgtool.graph_format") if ctx is not None else None


def complete_query_name(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    """Shell completion for a query argument: the named queries, with their summaries, else files."""
    from click.shell_completion import CompletionItem

    from kgtool import queries
    from kgtool.errors import KgError

    looks_like_a_path = "/" in incomplete or incomplete.startswith(".") or incomplete.endswith(".rq")
    try:
        found = {} if looks_like_a_path else queries.catalog(ctx.params.get("queries_dir") or bundled("queries"))
    except KgError:
        found = {}
    names = [CompletionItem(name, help=query.summary) for name, query in found.items() if name.startswith(incomplete)]
    return names or [CompletionItem(incomplete, type="file")]


def wrapped(text: str, width: int = 78) -> str:
    """A generated help line (a list of formats) cut to fit 80 columns in a \\b paragraph."""
    import textwrap

    return textwrap.fill(text, width, break_on_hyphens=False, break_long_words=False)


def output_option(command):
    return click.option(
        "--output", "-o", default="-", show_default=True, metavar="FILE",
        help="File to write (atomically), or - for stdout."
    )(command)


TEXT_OR_JSON = {"text": (".txt",), "json": (".json",)}  # the formats of stats, describe and path


def given(value, name: str = "fmt"):
    """The option's value if the user gave it, None if it is only its default."""
    from click.core import ParameterSource

    source = click.get_current_context().get_parameter_source(name)
    return None if source in (None, ParameterSource.DEFAULT) else value


def output_format(output: str, chosen: str | None, offered: dict, default: str, what: str) -> str:
    """One rule for every command: --format if given, else the format the -o suffix names,
    else `default`. `offered` maps the command's format names to their suffixes. A suffix
    that names a format the command cannot write is an error, never a silent fallback;
    a suffix that names no format at all (.out) keeps the default."""
    from kgtool.errors import OutputError

    if chosen or output == "-":
        return chosen or default
    suffix = Path(output).suffix.lower()
    for name, suffixes in offered.items():
        if suffix in suffixes:
            return name
    named = _formats_by_suffix().get(suffix)
    if named is None:
        return default
    ours = ", ".join(s for suffixes in offered.values() for s in suffixes)
    raise OutputError(f"{what} cannot be written as {named} (the suffix of '{output}')", where="--output",
                      fix=f"name the file {ours}, or give --format")


def _formats_by_suffix() -> dict[str, str]:
    """Every suffix kgtool gives a meaning to, and the format it names."""
    from kgtool.pictures.formats import PICTURE_FORMATS
    from kgtool.store.formats import RDF_FORMATS, RESULT_FORMATS

    found: dict[str, str] = {}
    for registry in (RDF_FORMATS, RESULT_FORMATS, PICTURE_FORMATS):
        for fmt in registry.values():
            for suffix in fmt.suffixes:
                found.setdefault(suffix, fmt.label)
    return found


def timeout_option(command):
    """--timeout SECONDS: stop the work when it runs longer (exit 2)."""
    return click.option(
        "--timeout", type=click.FloatRange(0, None, min_open=True), metavar="SECONDS",
        help="Stop the work after this many seconds (exit 2).", callback=_remember_timeout,
    )(command)


def run_core(function, *args, timeout: float | None = None, what: str = "the command",
             narrow: str | None = None):
    """`function(*args)` in a child process that Ctrl-C, SIGTERM and `timeout` kill at once.

    pyoxigraph sees no signal while it loads or queries, so a command runs its core
    (opening the store included) here; the result must pickle (bytes, ideally).
    Raises TimedOut when the time runs out (`narrow` says how to ask for less work)
    and Interrupted (exit 130) on Ctrl-C.
    """
    from kgtool.errors import Interrupted, TimedOut
    from kgtool.worker import run_killable

    try:
        if chosen_endpoint() is not None:  # what the endpoint's quirks made the child do, said here
            value, notes = run_killable(_with_endpoint_notes, function, *args, timeout=timeout, what=what,
                                        option="--timeout")
            for note in notes:
                click.echo(f"kgtool: note: {note}", err=True)
            return value
        return run_killable(function, *args, timeout=timeout, what=what, option="--timeout")
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted: {what} was stopped") from None
    except TimedOut as exc:
        if narrow:
            exc.fix = f"{narrow}, or raise --timeout"
        raise


def open_store(graph_paths: tuple[Path, ...], store_dir: Path | None = None, whole: bool = False):
    from kgtool.errors import InputError
    from kgtool.store import load

    if chosen_endpoint() is not None:
        return _open_endpoint(graph_paths, store_dir)
    if store_dir is not None:
        from kgtool.store.persistence import open_store as open_on_disk  # the writer's modules too: only here

        if graph_paths:
            raise InputError("give --graph or --store, not both", where="--store",
                             fix="load the files into the store with kgtool load, or drop --store")
        return open_on_disk(store_dir, whole=whole)
    files = [path for path in graph_paths if str(path) != "-"]
    fmt = _stdin_format(len(files) < len(graph_paths))
    store = load(files or ([] if fmt else [bundled("graph")]), chosen_base())
    if fmt is not None:
        store.load_data(sys.stdin.buffer.read(), fmt, source="<stdin>", base=chosen_base())
    return store


# -- --endpoint URL: a SPARQL 1.1 endpoint as the data (kgtool.store.remote; remote helper, issue 13) --

def endpoint_option(command):
    return click.option(
        "--endpoint", metavar="URL", expose_value=False, callback=_remember_endpoint,
        help="A SPARQL 1.1 endpoint to use instead of files or a store (such as http://127.0.0.1:7878/query).",
    )(command)


def _remember_endpoint(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    from kgtool.errors import InputError

    if value is not None and not value.startswith(("http://", "https://")):
        raise InputError(f"not an http:// or https:// URL: {value}", where="--endpoint",
                         fix="give the endpoint's URL, such as http://127.0.0.1:7878/query")
    ctx.meta["kgtool.endpoint"] = value


def chosen_endpoint() -> str | None:
    """The --endpoint URL the user gave, or None."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("kgtool.endpoint") if ctx is not None else None


def _remember_timeout(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    ctx.meta["kgtool.timeout"] = value
    return value


def _open_endpoint(graph_paths: tuple[Path, ...], store_dir: Path | None):
    from kgtool.errors import InputError
    from kgtool.store.remote import RemoteStore

    if graph_paths or store_dir is not None:
        raise InputError("give --endpoint, --graph or --store, only one", where="--endpoint",
                         fix="drop the files or the store, or load them into the endpoint with kgtool push")
    return RemoteStore(chosen_endpoint(), timeout=click.get_current_context().meta.get("kgtool.timeout"))


def _with_endpoint_notes(function, *args):
    """`function(*args)` and the notes of the endpoints it read (in the killable child)."""
    from kgtool.store.remote import take_notes

    value = function(*args)
    return value, take_notes()


def graph_sources(graph_paths: tuple[Path, ...]) -> list:
    """What `open_store` would load from --graph (files checked, stdin, else the bundled
    graph), as `kgtool.store.ingest.Source`s for a reader that streams them (export)."""
    from kgtool.store.files import STDIN, rdf_files
    from kgtool.store.formats import rdf_format_for_path
    from kgtool.store.ingest import Source

    files = [path for path in graph_paths if str(path) != STDIN]
    fmt = _stdin_format(len(files) < len(graph_paths))
    paths = rdf_files(files or ([] if fmt else [bundled("graph")]))
    sources = [Source(path, rdf_format_for_path(path), chosen_base()) for path in paths]
    return sources + ([Source(Path(STDIN), fmt, chosen_base())] if fmt is not None else [])


def _stdin_format(stdin: bool):
    """The RDF format of --graph - (stdin), which --graph-format must name; None without stdin."""
    from kgtool.errors import InputError
    from kgtool.store.formats import RDF_FORMATS

    name = _graph_format()
    if stdin and name is None:
        raise InputError("stdin has no file name to tell its RDF format", where="--graph -",
                         fix=f"give --graph-format ({'|'.join(RDF_FORMATS)})")
    if name is not None and not stdin:
        raise InputError("names the format of --graph - (stdin) only", where="--graph-format",
                         fix="drop it, or read stdin with --graph -")
    return RDF_FORMATS[name] if stdin else None


@contextmanager
def output_stream(target: str) -> Iterator[IO[bytes]]:
    """stdout for '-', else a file that appears only once fully written; a full disk is an OutputError."""
    from kgtool.store.output import WholeWrites, atomic_output, reporting_write_errors

    if target == "-":
        with reporting_write_errors("stdout"):
            stream = sys.stdout.buffer
            yield WholeWrites(stream)
            stream.flush()  # the last bytes are written now, where a full disk can still be said
        return
    with atomic_output(target) as stream:
        yield stream


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
        text = queries.decode_query(sys.stdin.buffer.read(), "<stdin>")  # UTF-8 or one clear line
        return queries.NamedQuery(name="stdin", text=text, source="<stdin>", adhoc=True)
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
