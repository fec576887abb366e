"""The errors kgtool raises, turned into one-line messages only at the CLI boundary.

Exit codes (documented in the README):
    0  ok
    1  the check ran and said no (SHACL violations)
    2  user or input error (bad file, query, option, parameter, output path)
    3  internal error (a bug in kgtool)
  130  interrupted (Ctrl-C, SIGINT; SIGTERM is treated alike)
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class KgError(Exception):
    """Base class: `what` went wrong, `where` (file:line:column when known), `fix`."""

    exit_code = EXIT_INPUT

    def __init__(self, what: str, *, where: str | None = None, fix: str | None = None):
        super().__init__(what)
        self.what = what
        self.where = where
        self.fix = fix

    def message(self) -> str:
        """The one line shown to the user, without the program name."""
        parts = f"{self.where}: {self.what}" if self.where else self.what
        return f"{parts}; {self.fix}" if self.fix else parts


class InputError(KgError):
    """A file, folder or value the user gave cannot be used."""


class ParseError(InputError):
    """An RDF or SPARQL text is malformed."""


class QueryError(InputError):
    """A query cannot be found, parameterised or run."""


class OutputError(InputError):
    """The output cannot be written."""


class TimedOut(InputError):
    """A query or check ran past its --timeout and was stopped."""


class CardError(InputError):
    """An article card cannot be compiled: malformed, an unknown fact kind, a bad value."""


class EvidenceError(CardError):
    """A card's evidence or hedge words are not in the article's text (or only nearly)."""


class AmbiguousEntity(CardError):
    """A card names an entity that matches several in the graph; the card must pin one."""


class Interrupted(KgError):
    """The user stopped kgtool (SIGINT or SIGTERM); whatever was half-done has been undone."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self, what: str = "interrupted", **kwargs):
        super().__init__(what, **kwargs)


class InternalError(KgError):
    """kgtool itself failed; a bug to report."""

    exit_code = EXIT_INTERNAL


def location(path: object, line: int | None = None, column: int | None = None) -> str:
    """Format a place in a file as file:line:column, leaving out what is unknown."""
    where = str(path)
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where
