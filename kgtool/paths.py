"""Where the bundled graph, shapes and queries live."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# A wheel carries them inside the package (see pyproject.toml); a checkout has them at the top.
_CANDIDATES = (PACKAGE_DIR / "_bundled", PACKAGE_DIR.parent)


def bundled(name: str) -> Path:
    """The bundled folder `graph`, `shapes` or `queries`."""
    for root in _CANDIDATES:
        if (root / name).is_dir():
            return root / name
    return _CANDIDATES[-1] / name


def jsonld_context() -> Path:
    return PACKAGE_DIR / "contexts" / "kgtool.jsonld"
