"""A card added through a big graph folder's cache, written into the cache's store in place.

`kgtool add --store` builds a new store (a checkpoint of the old one, in a writer process)
and swaps it in, so that the user's store answers as before or as after, whatever stops it.
The folder's cache (kgtool.cards.folder_cache) need not pay that (0.2 s of a 0.7 s add at
1,000 articles): it is a store that only `kgtool add` reads, trusted only while its listing
says what the folder holds. So, holding the store's lock, the add deletes the listing (for
good, before the store changes), writes the article's statements into the store itself,
validates there, and then either writes the article's files and the new listing, or takes
out exactly the statements it wrote (those the store did not hold before) and puts the old
listing back. An add killed halfway leaves a store with no listing, which the next add
builds again from the files: never a cache that says it holds what it does not. A few
hundred statements take milliseconds to write, so Ctrl-C never waits on the write.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyoxigraph as ox


def add_in_place(card, text: str, store_dir: Path, found: dict, shapes, dry_run: bool, make_addition,
                 compile_against, write_files: Callable[[Path], None]):
    """The Addition of `card` made in the cache's store `store_dir`, whose listing is `found`;
    None when the cache cannot serve it (another add changed it since, it holds no ontology,
    or it holds the article already). `write_files(store_dir)` writes the article's files and
    the new listing once the check passed."""
    from kgtool.cards.folder_cache import LISTING, listed
    from kgtool.cards.store_addition import check_only
    from kgtool.store.dataset import Store
    from kgtool.store.locking import StoreLock

    with StoreLock(store_dir):
        if listed(store_dir) != found:
            return None
        store = Store(ox.Store(str(store_dir)), merged=True)
        store.on_disk = True
        try:
            if not _has_ontology(store):
                return None
            listing = store_dir / LISTING
            kept = listing.read_bytes()
            compiled = compile_against(card, text, store)
            if compiled.graph in store.named_graphs():
                return None
            addition = make_addition(compiled, card, str(store_dir))
            _unlink_for_good(listing)
            written = _write(store, compiled.quads)
            try:
                check_only(addition, store, shapes)
                if addition.conforms and not dry_run:
                    write_files(store_dir)
                    return addition
            except BaseException:
                _take_out(store, written, listing, kept)
                raise
            _take_out(store, written, listing, kept)
            return addition
        finally:
            store = None  # the database closes before the lock goes


def _has_ontology(store) -> bool:
    from kgtool.shacl.validation import ONTOLOGY

    return bool(store.query(f"ASK {{ <{ONTOLOGY}> a owl:Ontology }}"))


@dataclass
class _Written:
    quads: list[ox.Quad]  # those the store lacked
    graphs: set  # the named graphs it lacked


def _write(store, quads) -> _Written:
    """The compiled quads and their merge copies written to the store; what it lacked before."""
    backend = store.backend
    new = [quad for quad in dict.fromkeys(store.as_stored(quads)) if quad not in backend]
    graphs = {q.graph_name for q in new if not isinstance(q.graph_name, ox.DefaultGraph)}
    graphs = {graph for graph in graphs if not backend.contains_named_graph(graph)}
    backend.extend(new)
    return _Written(new, graphs)


def _take_out(store, written: _Written, listing: Path, kept: bytes) -> None:
    """The store as it was: what the add wrote removed, then the old listing put back."""
    from kgtool.store.output import atomic_output

    backend = store.backend
    for quad in written.quads:
        backend.remove(quad)
    for graph in written.graphs:
        backend.remove_graph(graph)  # gone, not left empty
    with atomic_output(listing) as stream:
        stream.write(kept)


def _unlink_for_good(path: Path) -> None:
    from kgtool.store.output import sync_folder

    path.unlink()
    sync_folder(path.parent)
