"""The kgtool command line: a lazy click group and the one place errors become messages."""

from __future__ import annotations

import importlib
import io
import os
import sys

import click

from kgtool import __version__
from kgtool.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, InternalError, Interrupted, KgError
from kgtool.signals import terminate_as_interrupt

# name -> (module, one-line help); modules are imported only when their command runs,
# so `kgtool --help` stays fast and imports neither rdflib, pyshacl nor networkx.
COMMANDS: dict[str, tuple[str, str]] = {
    "add": ("kgtool.commands.add", "Compile an article card into the graph, when every check passes."),
    "query": ("kgtool.commands.query", "Run a SPARQL query: a named one, a .rq file, stdin or -e TEXT."),
    "validate": ("kgtool.commands.validate", "Check the graph against the SHACL shapes."),
    "export": ("kgtool.commands.export", "Write the graph as Turtle, TriG, N-Quads, JSON-LD, ..."),
    "stats": ("kgtool.commands.stats", "Count triples per graph, instances per class, uses per property."),
    "describe": ("kgtool.commands.describe", "Show everything known about an entity, with evidence."),
    "load": ("kgtool.commands.load", "Load RDF files into a store on disk (--store DIR), all or nothing."),
    "generate": ("kgtool.commands.generate", "Write a synthetic news graph of any size, with known violations."),
    "viz": ("kgtool.commands.viz", "Draw the relation graph: SVG, PNG, an offline page, GraphML, ..."),
    "path": ("kgtool.commands.path", "Show how two entities connect: every shortest path, with evidence."),
    "push": ("kgtool.commands.push", "Load the graph into a triple store (SPARQL Graph Store Protocol)."),
    "new-card": ("kgtool.commands.new_card", "Write an article card's skeleton from the article's text."),
    "remove": ("kgtool.commands.remove", "Take an article back out of a graph folder or a store."),
    "serve": ("kgtool.commands.serve", "Serve the graph over HTTP: SPARQL, the Graph Store, named queries."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        return importlib.import_module(COMMANDS[name][0]).command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(self, args=None, prog_name=None, **extra):
        """click's main, but every way out is one line and a documented exit code (see EPILOG)."""
        extra.pop("standalone_mode", None)
        with terminate_as_interrupt():
            code = _exit_code(lambda: super(LazyGroup, self).main(args, prog_name, standalone_mode=False, **extra))
        sys.exit(code)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:  # plain `kgtool`: help on stdout, exit 0, as git does
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(EXIT_OK)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            _report(exc)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (kgtool.signals); the cleanup has run by now
            _report(Interrupted())
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except OSError as exc:
            if isinstance(exc, BrokenPipeError) or _disk_failure(exc) is not None:
                ctx.exit(stream_failed(exc))
            _internal_error(ctx, exc)
        except Exception as exc:  # the CLI boundary: a bug becomes one line and exit 3
            _internal_error(ctx, exc)


def _internal_error(ctx: click.Context, exc: Exception):
    if os.environ.get("KGTOOL_DEBUG"):
        raise exc
    click.echo(f"kgtool: internal error: {type(exc).__name__}: {exc}; {_REPORT_IT}", err=True)
    ctx.exit(EXIT_INTERNAL)


_REPORT_IT = "this is a bug, please report it (KGTOOL_DEBUG=1 shows the traceback)"


def _exit_code(run) -> int:
    """Run click's main without its standalone mode and say every way it ends in one line."""
    try:
        code = run()
        _flush_stdout()
        return code if isinstance(code, int) else EXIT_OK  # an int is a ctx.exit(code)
    except click.UsageError as exc:
        click.echo(f"kgtool: error: {usage_line(exc)}", err=True)
        return EXIT_INPUT
    except click.ClickException as exc:
        click.echo(f"kgtool: error: {_sentence(exc.format_message())}", err=True)
        return exc.exit_code
    except KgError as exc:
        _report(exc)
        return exc.exit_code
    except (KeyboardInterrupt, click.exceptions.Abort):
        _report(Interrupted())
        return EXIT_INTERRUPTED
    except OSError as exc:  # stdout closed or full, also for --help and --version
        return stream_failed(exc)


def _report(exc: KgError) -> None:
    """The one line: `kgtool: error: ...`, or for an interruption `kgtool: interrupted` and what was undone."""
    message = exc.message()
    if isinstance(exc, Interrupted):
        line = f"kgtool: {message}" if message.startswith("interrupted") else f"kgtool: interrupted: {message}"
    elif isinstance(exc, InternalError):  # a bug in a worker process, handed back as an error
        line = f"kgtool: internal error: {message}; {_REPORT_IT}"
    else:
        line = f"kgtool: error: {message}"
    click.echo(line, err=True)


_SUGGESTING = tuple(getattr(click.exceptions, name) for name in ("NoSuchOption", "NoSuchCommand")
                    if hasattr(click.exceptions, name))  # NoSuchCommand is click 8.4's


def usage_line(exc: click.UsageError) -> str:
    """click's usage error as kgtool's one line: what is wrong, and which --help to read."""
    if isinstance(exc, _SUGGESTING):
        message = _sentence(exc.message)
        possibilities = exc.possibilities or _close_commands(exc)
        if possibilities:
            message += f" (did you mean {', '.join(repr(p) for p in sorted(possibilities))}?)"
    else:
        message = _sentence(exc.format_message())
    command = exc.ctx.command_path if exc.ctx is not None else "kgtool"
    return f"{message}; see {command} --help"


def _close_commands(exc: click.UsageError) -> list[str]:
    """click looks for a mistyped command among the loaded ones; a lazy group has loaded none."""
    import difflib

    name = getattr(exc, "command_name", None)
    return difflib.get_close_matches(name, list(COMMANDS)) if name else []


def _sentence(text: str) -> str:
    """click's sentence ("No such option 'x'.") as the middle of kgtool's line ("no such option 'x'")."""
    text = " ".join(text.split()).rstrip(".")
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def _flush_stdout() -> None:
    """The last buffered bytes go out now, where a full disk or a closed pipe can still be handled."""
    try:
        sys.stdout.flush()
    except ValueError:
        pass  # already closed (a command's wrapper closed it after a broken pipe): nothing buffered


def stream_failed(exc: OSError) -> int:
    """The exit code of a write no command named: a closed pipe (`| head`) is quiet and 0, a full disk one line."""
    _silence_stdout()
    if isinstance(exc, BrokenPipeError):
        return EXIT_OK
    failure = _disk_failure(exc)
    if failure is None:
        raise exc
    _report(failure)
    return failure.exit_code


def _disk_failure(exc: OSError):
    """A full disk at the boundary: Python's stream writes are to stdout (files go through
    kgtool.store.output, which names them), errno-less ones are pyoxigraph's, writing a store."""
    from kgtool.store.output import write_failure

    name = exc.filename or ("stdout" if exc.errno is not None else "the store")
    return write_failure(exc, str(name))


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's own flush at exit does not complain about the same bytes."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real descriptor (click's test runner): nothing is flushed at exit


EPILOG = """\b
Exit codes: 0 ok, 1 the check ran and said no (violations, no connection),
2 user or input error, 3 internal error, 130 interrupted (Ctrl-C, SIGTERM).
"""


@click.group(name="kgtool", cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kgtool")
def cli() -> None:
    """kgtool: an entertainment-news knowledge graph you can query, validate,
    export, describe and draw.

    Every command works on the bundled graph unless given --graph PATH (files
    or folders) or --store DIR (a store on disk made by kgtool load). Each
    command's --help has examples.

    \b
    Examples:
      kgtool query --list
      kgtool describe "Steve Martin"
      kgtool viz --focus "Jenna Dewan" -o dewan.html
    """


def main() -> None:
    cli(prog_name="kgtool")


def render_help(width: int = 78) -> str:
    """`kgtool --help` as click prints it on a terminal of 80 columns or more: it wraps at 78 (see launcher.py)."""
    from click.testing import CliRunner

    return CliRunner().invoke(cli, ["--help"], prog_name="kgtool", terminal_width=width).output


if __name__ == "__main__":
    sys.exit(main())
