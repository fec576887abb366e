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
                sys.stdout.write(handle.read())
            return 0
        except OSError:
            pass
    from kgtool.cli import main as click_main

    return click_main()


if __name__ == "__main__":
    sys.exit(main())
