"""A big graph folder's store, kept beside it, so that `kgtool add --graph` need not read every article.

An add to a folder of 1,000 articles (260k statements) spent 4 s of its 5 reading every TriG
file into memory and building their merge, again at every add. A folder whose other RDF
files hold FROM_BYTES or more keeps a kgtool store in .NAME.kgtool-cache/store beside the
folder NAME, with the list of the files it holds (path, size and mtime_ns of each, LISTING,
inside the store). The store is trusted only while the list is what the folder holds now;
anything else (a file edited, added or removed, an add stopped halfway) refreshes it from the
changed files before it is used: their old graphs removed, their new versions loaded, with the
files that state triples in the default graph (the ontology) loaded again, since removing a graph
also removes the merge's copies that only the default graph states too (kgtool.store.ingest). A
file whose old version stated default-graph triples about anything but its own graphs, or a
refreshed store whose graphs are not the files', makes the cache be built again from every file.
The add itself writes the article into the cache's store in place, with the listing deleted
until the article's files and the new listing are written (kgtool.cards.cache_addition): an
add killed halfway leaves a store with no listing, which the next add builds again, and a
refused one takes out what it wrote. A list therefore never names a file at a size and time
that the store does not hold as written. A refresh or a rebuild goes as `kgtool add --store`
does (kgtool.store.persistence: a new store, swapped in whole, its list inside it). The
cache is beside the folder, not in it: commands that read the folder
(validate, load) never walk into it; git ignores it (its own .gitignore). Any failure to use it
(no room, no permission) falls back to reading the folder, as before.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from kgtool.errors import KgError

FROM_BYTES = 4 << 20  # below this, reading the files (about 0.25 s per MiB) costs less than a store's write
LISTING = "kgtool-files.tsv"  # in the store: one line per file (Entry.line), by path


@dataclass(frozen=True)
class Entry:
    """A file as the cache holds it: its size and mtime_ns when it was read, the named graphs it
    holds, and whether it states default-graph triples about anything but those graphs."""
    stamp: str
    graphs: tuple[str, ...]
    other_defaults: bool

    def line(self, path: str) -> str:
        return f"{self.stamp}\t{int(self.other_defaults)}\t{' '.join(self.graphs)}\t{path}\n"


def cache_folder(graph_dir: Path) -> Path:
    graph_dir = graph_dir.resolve()
    return graph_dir.parent / f".{graph_dir.name}.kgtool-cache"


def worth_it(files: Sequence[Path]) -> bool:
    return sum(path.stat().st_size for path in files) >= FROM_BYTES


def stamps(files: Sequence[Path]) -> dict[str, str]:
    """Each file's size and mtime_ns, by absolute path. Taken before the files are read: a file
    that changes after it is read then differs from its stamp, and is read again next time."""
    found = {}
    for path in map(os.path.abspath, files):
        stat = os.stat(path)
        found[path] = f"{stat.st_size}\t{stat.st_mtime_ns}"
    return found


def entry(path: str, stamp: str) -> Entry:
    import pyoxigraph as ox

    from kgtool.store.files import parse_file

    named, default_subjects = set(), set()
    for quad in parse_file(Path(path)):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            default_subjects.add(quad.subject.value if isinstance(quad.subject, ox.NamedNode) else None)
        else:
            named.add(quad.graph_name.value)
    return Entry(stamp, tuple(sorted(named)), not default_subjects <= named)


def listing(entries: dict[str, Entry]) -> str:
    return "".join(entries[path].line(path) for path in sorted(entries))


def write_listing(store: Path, entries: dict[str, Entry]) -> None:
    """The list, written into the store (a new one before it replaces the old, so both go
    together; or the cache's own, after an add in place: kgtool.cards.cache_addition), whole."""
    from kgtool.store.output import atomic_output

    with atomic_output(store / LISTING) as stream:
        stream.write(listing(entries).encode("utf-8"))


def current_store(graph_dir: Path, files: Sequence[Path], report: Callable[[str], None]) -> tuple[Path, dict]:
    """The cache's store for a folder whose RDF files (but the article being added) are `files`,
    and its entries: as it is when they are the files as they are now, else refreshed or built
    again (`report` says which)."""
    store, entries = _kept_current(graph_dir, files, report)
    if entries is None:
        entries = _rebuilt(store, stamps(files))
        report(f"built the graph folder's cache {store.parent} from {len(files):,} files")
    return store, entries


def refresh_if_kept(graph_dir: Path, files: Sequence[Path], report: Callable[[str], None]) -> None:
    """After a change to the folder (kgtool remove): its cache, if it has one, refreshed from the
    changed files now, so that the next add finds it current. A cache that would have to be built
    again is left for the next add to build."""
    _kept_current(graph_dir, files, report)


def _kept_current(graph_dir: Path, files: Sequence[Path], report: Callable[[str], None]) -> tuple[Path, dict | None]:
    """The cache's store and its entries once made current with `files` by a refresh; None for
    the entries when there is no cache, or it must be built again."""
    from kgtool.store.persistence import is_store

    store = cache_folder(graph_dir) / "store"
    now = stamps(files)
    old = listed(store) if is_store(store) else None
    if old is None or {path: e.stamp for path, e in old.items()} == now:
        return store, old
    entries = _refreshed(store, old, now)
    if entries is not None:
        report(f"refreshed the graph folder's cache {store.parent} from the files changed since")
    return store, entries


def _refreshed(store: Path, old: dict[str, Entry], now: dict[str, str]) -> dict[str, Entry] | None:
    """The entries after the changed files are read into the store; None when it must be built again."""
    from kgtool.store.persistence import load_into, open_store

    changed = [path for path in now if path not in old or old[path].stamp != now[path]]
    gone = [path for path in old if path not in now or old[path].stamp != now[path]]
    if any(old[path].other_defaults for path in gone):
        return None
    entries = {path: e for path, e in old.items() if path in now and e.stamp == now[path]}
    entries.update((path, entry(path, now[path])) for path in changed)
    removed = sorted({graph for path in gone for graph in old[path].graphs})
    again = set(changed) | {path for path, e in entries.items() if e.other_defaults or set(e.graphs) & set(removed)}
    try:
        load_into(store, sorted(again), remove=removed, check=lambda staging: write_listing(staging, entries))
    except KgError:  # a graph the store should hold and does not, say: built again (a file's own error then)
        return None
    held = set(open_store(store).named_graphs())
    return entries if held == {graph for e in entries.values() for graph in e.graphs} else None


def _rebuilt(store: Path, now: dict[str, str]) -> dict[str, Entry]:
    from kgtool.store.locking import remove_tree
    from kgtool.store.persistence import load_into

    entries = {path: entry(path, stamp) for path, stamp in now.items()}
    store.parent.mkdir(exist_ok=True)
    (store.parent / ".gitignore").write_text("# kgtool's cache of the graph folder beside it\n*\n", encoding="utf-8")
    if store.exists():
        remove_tree(store)
    load_into(store, sorted(entries), check=lambda staging: write_listing(staging, entries))
    return entries


def listed(store: Path) -> dict[str, Entry] | None:
    try:
        text = (store / LISTING).read_text(encoding="utf-8")
        entries = {}
        for line in text.splitlines():
            size, mtime, other, graphs, path = line.split("\t", 4)
            entries[path] = Entry(f"{size}\t{mtime}", tuple(graphs.split()), other == "1")
        return entries
    except (OSError, UnicodeDecodeError, ValueError):
        return None
