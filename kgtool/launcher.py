"""The console entry point. `kgtool --help` is answered from a file, without importing click.

The file is click's own rendering of the help at the usual width (a test keeps
it equal to what click prints now); any other command line goes to click.
"""

import os
import sys

HELP_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "help.txt")
HELP_COLUMNS = 80  # click wraps at min(columns, 80) - 2, so any terminal this wide gets the same text


def _columns() -> int:
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return HELP_COLUMNS  # not a terminal: click falls back to 80 columns too


def main() -> int:
    if sys.argv[1:] in (["--help"], ["-h"]) and _columns() >= HELP_COLUMNS:
        try:
            with open(HELP_FILE, encoding="utf-8") as handle:
                text = handle.read()
        except OSError:
            text = None  # no help file: click renders the help
        if text is not None:
            return _print(text)
    from kgtool.cli import main as click_main

    return click_main()


def _print(text: str) -> int:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()  # now, so a full disk or a closed pipe is said as for any command
        return 0
    except OSError as exc:
        from kgtool.cli import stream_failed

        return stream_failed(exc)


if __name__ == "__main__":
    sys.exit(main())
