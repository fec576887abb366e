"""The kgtool command line: a lazy click group and the one place errors become messages."""

from __future__ import annotations

import importlib
import os
import sys

import click

from kgtool import __version__
from kgtool.errors import EXIT_INTERNAL, KgError

# name -> (module, one-line help); modules are imported only when their command runs,
# so `kgtool --help` stays fast and imports neither rdflib, pyshacl nor networkx.
COMMANDS: dict[str, tuple[str, str]] = {
    "query": ("kgtool.commands.query", "Run a SPARQL query: a named one, a .rq file, stdin or -e TEXT."),
    "validate": ("kgtool.commands.validate", "Check the graph against the SHACL shapes."),
    "export": ("kgtool.commands.export", "Write the graph as Turtle, TriG, N-Quads, JSON-LD, ..."),
    "stats": ("kgtool.commands.stats", "Count triples per graph, instances per class, uses per property."),
    "describe": ("kgtool.commands.describe", "Show everything known about an entity, with evidence."),
    "load": ("kgtool.commands.load", "Load RDF files into a store on disk (--store DIR), all or nothing."),
    "generate": ("kgtool.commands.generate", "Write a synthetic news graph of any size, optionally with known violations."),
    "viz": ("kgtool.commands.viz", "Draw the relation graph: SVG, PNG, an offline HTML page, GraphML, GEXF, DOT."),
    "path": ("kgtool.commands.path", "Show how two entities connect: every shortest path, with evidence."),
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

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"kgtool: error: {exc.message()}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:
            ctx.exit(0)
        except Exception as exc:  # the CLI boundary: a bug becomes one line and exit 3
            if os.environ.get("KGTOOL_DEBUG"):
                raise
            click.echo(
                f"kgtool: internal error: {type(exc).__name__}: {exc}; "
                "this is a bug, please report it (KGTOOL_DEBUG=1 shows the traceback)",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


EPILOG = """\b
Exit codes: 0 ok, 1 the check ran and said no (validation violations),
2 user or input error, 3 internal error.
"""


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kgtool")
def cli() -> None:
    """kgtool: an entertainment-news knowledge graph you can query, validate, export and describe.

    Every command works on the bundled graph unless given --graph PATH (files or folders)
    or --store DIR (a store on disk made by kgtool load).
    """


def main() -> None:
    cli(prog_name="kgtool")


def render_help(width: int = 78) -> str:
    """`kgtool --help` as click prints it on a terminal of 80 columns or more: it wraps at 78 (see launcher.py)."""
    from click.testing import CliRunner

    return CliRunner().invoke(cli, ["--help"], prog_name="kgtool", terminal_width=width).output


if __name__ == "__main__":
    sys.exit(main())
