"""What every format registry shares: finding a format by a file's suffix, listing them for --help."""

from __future__ import annotations

from pathlib import Path


def format_for_path(registry: dict, path: Path | str):
    """The format of `registry` whose suffixes include the path's, or None."""
    suffix = Path(path).suffix.lower()
    return next((fmt for fmt in registry.values() if suffix in fmt.suffixes), None)


def describe(registry: dict) -> str:
    """'turtle (Turtle), trig (TriG), ...' for help texts."""
    return ", ".join(f"{f.name} ({f.label})" for f in registry.values())
