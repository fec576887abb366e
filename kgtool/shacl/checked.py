"""Shapes that passed SHACL's own shapes once are not checked again (the check costs seconds).

The verdict is kept by the shapes' content: a SHA-256 of their N-Quads in a canonical
order, as an empty marker file in the user's cache folder (KGTOOL_CACHE_DIR, else
$XDG_CACHE_HOME/kgtool, else ~/.cache/kgtool). Only a pass is kept, so shapes that
fail are checked, and refused, every time; a cache that cannot be read or written is
no cache, never an error. Blank-node labels differ from parse to parse, so each blank
node is named by a hash of what it holds (its properties and their values, recursively).
KGTOOL_CACHE_DIR=/dev/null switches the cache off.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

VERSION = "1"  # bump when the meta-check itself changes


def cache_folder() -> Path:
    if os.environ.get("KGTOOL_CACHE_DIR"):
        return Path(os.environ["KGTOOL_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kgtool"


def fingerprint(shapes) -> str:
    """The shapes' content as a hash: each blank node named by what it holds, recursively."""
    import pyoxigraph as ox

    quads = list(shapes.backend)
    outgoing: dict = {}
    for quad in quads:
        if isinstance(quad.subject, ox.BlankNode):
            outgoing.setdefault(quad.subject, []).append(quad)
    names: dict = {}

    def shown(term, depth: int = 0) -> str:
        if not isinstance(term, ox.BlankNode):
            return str(term)
        if term not in names:
            if depth > 64:  # a cycle of blank nodes: no finer name for it
                return "_:cycle"
            inside = sorted(f"{q.predicate} {shown(q.object, depth + 1)}" for q in outgoing.get(term, ()))
            names[term] = "_:" + hashlib.sha256("\n".join(inside).encode("utf-8")).hexdigest()[:16]
        return names[term]

    lines = sorted(f"{shown(q.subject)} {q.predicate} {shown(q.object)}" for q in quads)
    digest = hashlib.sha256(VERSION.encode())
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def _marker(shapes) -> Path:
    return cache_folder() / "shapes-checked" / fingerprint(shapes)


def already_checked(shapes) -> bool:
    try:
        return _marker(shapes).is_file()
    except OSError:
        return False


def remember_checked(shapes) -> None:
    try:
        marker = _marker(shapes)
        marker.parent.mkdir(parents=True, exist_ok=True)
        temporary = marker.with_name(f".{marker.name}.{os.getpid()}")
        temporary.write_bytes(b"")
        os.replace(temporary, marker)
    except OSError:
        pass
