"""`kgtool add`: a card compiled, checked, and written only when every check passes.

The checks, in order: the card's form; every evidence span, hedge and quotation in one
sentence of the article; every name reconciled with the graph (an ambiguous one stops);
the shapes, on the new article graph together with what it touches (incremental
validation). Then the article goes into the graph folder (its three files through the
folder's journal) or into the store (a checkpoint that is swapped in only after the
check passed), all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from kgtool.cards.card import Card, read_card
from kgtool.errors import CardError, KgError
from kgtool.paths import bundled


@dataclass
class Addition:
    compiled: object                 # compiler.Compiled
    card: Card
    target: str                      # the graph folder or the store
    conforms: bool = True
    report: object = None            # the SHACL report of the change
    replaced: bool = False           # the article was in the graph already, and is now its new version
    written: bool = False
    notes: list[str] = field(default_factory=list)


def text_path(card: Card) -> Path:
    return card.path.parent / (card.article["text"] or f"{card.path.stem}.txt")


def read_text(card: Card) -> str:
    path = text_path(card)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CardError(f"the article's text {path} does not exist", where=str(card.spot("text")),
                        fix="put the text beside the card, or name it with text: in article:") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CardError(f"cannot read the article's text {path}: {exc}", where=str(card.spot("text")),
                        fix="save it as UTF-8 text") from None


def add_card(card_path: Path, graph_dir: Path | None = None, store_dir: Path | None = None,
             shapes: Sequence[Path] | None = None, dry_run: bool = False) -> Addition:
    """Compile the card at `card_path` and write it into `graph_dir` (default: the bundled graph)
    or the store `store_dir`, if it conforms; with `dry_run`, check and compile but write nothing."""
    card = read_card(Path(card_path))
    text = read_text(card)
    shapes = list(shapes or [bundled("shapes")])
    if store_dir is not None:
        return _into_store(card, text, Path(store_dir), shapes, dry_run)
    return _into_folder(card, text, Path(graph_dir or bundled("graph")), shapes, dry_run)


def compile_against(card: Card, text: str, store):
    from kgtool.cards.compiler import compile_card
    from kgtool.cards.reconcile import Index

    return compile_card(card, text, Index.from_store(store), bundled("graph") / "ontology.ttl")


def _into_folder(card: Card, text: str, graph_dir: Path, shapes, dry_run: bool) -> Addition:
    from kgtool.cards.folder_cache import worth_it
    from kgtool.store import load

    own = graph_dir / "articles" / f"{card.ident}.trig"
    mine = own.resolve()
    # rdf_files gives the folder's files as paths under graph_dir: only one named as the article
    # can be it (resolving a thousand paths cost 0.1 s).
    others = [p for p in _rdf_files(graph_dir) if p.name != own.name or p.resolve() != mine]
    # A new article in a big folder goes through the folder's cache; a replaced one is compiled
    # against the others alone, which the cache (holding its old version too) is not.
    if not own.exists() and others and worth_it(others):
        addition = _through_cache(card, text, graph_dir, others, shapes, dry_run)
        if addition is not None:
            return addition
    store = load(others) if others else load([])
    compiled = compile_against(card, text, store)
    addition = Addition(compiled, card, str(graph_dir), replaced=own.exists())
    _check(addition, store, shapes)
    if addition.conforms and not dry_run:
        from kgtool.cards.writing import write_article

        written = write_article(graph_dir, card.ident, compiled.trig, text_path(card), card.path)
        addition.notes += written.notes
        addition.written = True
    return addition


def _through_cache(card: Card, text: str, graph_dir: Path, others: list[Path], shapes, dry_run: bool):
    """The addition made with the folder's cache (kgtool.cards.folder_cache), written into its
    store in place (kgtool.cards.cache_addition), or None when it cannot serve: no room or
    permission beside the folder, a file it cannot read (the folder is then read as usual, and
    says why), no ontology in the folder (the check adds the bundled one), another file holding
    the article's graph, or another add changing the cache at the same time."""
    from kgtool.cards.cache_addition import add_in_place
    from kgtool.cards.folder_cache import current_store, entry, stamps, write_listing
    from kgtool.cards.writing import write_article

    notes: list[str] = []
    try:
        store, found = current_store(graph_dir, others, notes.append)
    except (KgError, OSError):
        return None
    made: list[Addition] = []

    def make(*args, **kwargs) -> Addition:
        made.append(Addition(*args, **kwargs))
        return made[0]

    def write_files(store: Path) -> None:
        written = write_article(graph_dir, card.ident, made[0].compiled.trig, text_path(card), card.path)
        made[0].notes += written.notes
        made[0].written = True
        # The others as they were when found to be the store's, and the article as written now
        ((path, stamp),) = stamps([graph_dir / "articles" / f"{card.ident}.trig"]).items()
        write_listing(store, {**found, path: entry(path, stamp)})

    try:
        addition = add_in_place(card, text, store, found, shapes, dry_run, make, compile_against, write_files)
    except (KgError, OSError) as exc:
        if not made or not made[0].written:
            raise
        addition = made[0]  # the article is in the folder; the cache, left as it was, catches up next time
        addition.notes.append(f"the graph folder's cache was not updated ({exc}); the next add reads it in")
    if addition is None:
        return None
    addition.target, addition.notes = str(graph_dir), notes + addition.notes
    return addition


def _rdf_files(graph_dir: Path) -> list[Path]:
    from kgtool.store.files import rdf_files

    if not graph_dir.is_dir():
        raise KgError("not a graph folder", where=str(graph_dir), fix="name the folder that holds articles/ "
                      "(e.g. graph/), or a store with --store")
    return rdf_files([graph_dir])


def _check(addition: Addition, store, shapes) -> None:
    """Add the compiled graph to the (in-memory or staging) store and validate what it touches."""
    from kgtool.shacl.validation import add_missing_ontology, validate_quads

    quads = addition.compiled.quads
    store.add_quads(quads)
    note = add_missing_ontology(store, bundled("graph") / "ontology.ttl")
    if note and not store.on_disk:
        addition.notes.append(note)
    report = validate_quads(store, shapes, quads, f"article {addition.card.ident}")
    addition.report, addition.conforms = report, report.conforms


def _into_store(card: Card, text: str, store_dir: Path, shapes, dry_run: bool) -> Addition:
    from kgtool.cards.store_addition import add_to_store

    return add_to_store(card, text, store_dir, shapes, dry_run, Addition, compile_against)
