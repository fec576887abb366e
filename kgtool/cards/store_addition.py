"""A card added to a store on disk: checked in the new store before it replaces the old one.

The store's load (kgtool.store.persistence) builds the new store from a checkpoint of
the old one plus the article; the shapes check runs on that new store, and only if it
passes is the new store swapped in. A failed check, Ctrl-C or a kill leaves the old
store answering as before.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kgtool.errors import InputError


class _Refused(Exception):
    """The check said no (or a dry run ends here): the new store is thrown away."""


def add_to_store(card, text: str, store_dir: Path, shapes, dry_run: bool, make_addition, compile_against,
                 passed=None):
    """Add the card's article to the store `store_dir` if it conforms. `passed(staging)`, when
    given, runs once the check passed, before the new store replaces the old (a graph folder's
    cache writes the article's files there: kgtool.cards.folder_cache)."""
    import pyoxigraph as ox

    from kgtool.store.dataset import Store
    from kgtool.store.persistence import is_store, load_into, open_store

    if not is_store(store_dir):
        raise InputError("not a kgtool store", where=str(store_dir),
                         fix="make one with kgtool load FILES --store DIR, or use --graph DIR")
    live = open_store(store_dir)
    compiled = compile_against(card, text, live)
    graph = compiled.graph
    addition = make_addition(compiled, card, str(store_dir), replaced=graph in live.named_graphs())
    del live

    def check_staging(staging: Path) -> None:
        staged = Store(ox.Store(str(staging)), merged=True)
        staged.on_disk = True
        # The load put the article in already: the check sees the new store as readers will.
        check_only(addition, staged, shapes)
        del staged
        if dry_run or not addition.conforms:
            raise _Refused()
        if passed is not None:
            passed(staging)

    with tempfile.TemporaryDirectory(prefix="kgtool-add-") as folder:
        path = Path(folder) / f"{card.ident}.trig"
        path.write_bytes(compiled.trig)
        try:
            summary = load_into(store_dir, [path], remove=[graph] if addition.replaced else [], check=check_staging)
            addition.notes += summary.notes
            addition.written = True
        except _Refused:
            pass
    return addition


def check_only(addition, store, shapes) -> None:
    """Validate what the article touches in a store that holds it already."""
    from kgtool.shacl.validation import validate_quads

    report = validate_quads(store, shapes, addition.compiled.quads, f"article {addition.card.ident}")
    addition.report, addition.conforms = report, report.conforms
