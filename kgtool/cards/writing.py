"""An article's files put into a graph folder, or taken out of a folder or a store, all or nothing.

In a graph folder an article is three files: `articles/<id>.trig` (its named graph
and, in the default graph, the PROV description of that graph), `sources/<id>.txt`
(its text) and `sources/<id>.yaml` (its card). They change together through the
folder's journal (kgtool.store.journal), so a kill or a full disk leaves the folder
as it was before or as it is after, never between. Every article graph describes
(type, label) each entity it mentions, so removing an article's file removes exactly
what the article said; an entity another article mentions keeps that article's facts.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import InputError, KgError, OutputError
from kgtool.namespaces import BASE
from kgtool.store import journal

GRAPH_BASE = BASE + "graph/"
ARTICLE_BASE = BASE + "id/article/"
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_DEFAULT = ox.DefaultGraph()


def article_paths(article_id: str) -> dict[str, str]:
    """The article's files, as paths inside the graph folder."""
    return {"trig": f"articles/{article_id}.trig", "text": f"sources/{article_id}.txt",
            "card": f"sources/{article_id}.yaml"}


@dataclass
class Written:
    """What `write_article` did."""

    paths: list[str]   # inside the graph folder; a file that held its bytes already is not among them
    notes: list[str]   # a stopped change to the folder, finished or undone first


def write_article(graph_dir: Path | str, article_id: str, trig: bytes, text: bytes | Path,
                  card: bytes | Path) -> Written:
    """Write the article's three files into `graph_dir`, all or nothing.

    `text` and `card` are bytes or the path of the file to copy; a file that is already the
    target (the editor's card in sources/), or holds the same bytes, is left alone."""
    graph_dir = _graph_folder(graph_dir)
    _check_slug(article_id)
    paths = article_paths(article_id)
    writes = {}
    for role, content in (("trig", trig), ("text", text), ("card", card)):
        data = _new_bytes(graph_dir / paths[role], content)
        if data is not None:
            writes[paths[role]] = data
    notes = journal.commit(graph_dir, writes)
    return Written(sorted(writes), notes)


def _new_bytes(target: Path, content: bytes | Path) -> bytes | None:
    """What `target` must hold, or None when it holds it already."""
    if not isinstance(content, (bytes, bytearray, memoryview)):
        source = Path(content)
        if target.exists() and os.path.samefile(source, target):
            return None
        content = source.read_bytes()
    data = bytes(content)
    try:
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            return None
    except OSError:
        pass  # unreadable: written anew (the write says why, if it cannot)
    return data


def _graph_folder(graph_dir: Path | str) -> Path:
    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise OutputError("not a graph folder (no such folder)", where=str(graph_dir),
                          fix="name a graph folder such as graph/, with articles/ and sources/ inside")
    return graph_dir


def _check_slug(article_id: str) -> None:
    if not _SLUG.fullmatch(article_id):
        raise InputError(f"not an article id: '{article_id}'", fix="use letters, digits and hyphens (a slug)")


# -- remove ---------------------------------------------------------------------------------

@dataclass
class Removal:
    """What `remove_article` took out."""

    article_id: str
    graph: str                 # the article graph's IRI
    where: str                 # the folder or the store
    triples: int               # the article graph's triples and its PROV description
    orphans: list[str] = field(default_factory=list)  # entities no other article mentions now
    files: list[str] = field(default_factory=list)    # removed from the folder
    notes: list[str] = field(default_factory=list)    # a stopped change to the folder, finished or undone first


def remove_article(article: str, graph_dir: Path | str | None = None, store_dir: Path | str | None = None) -> Removal:
    """Take `article` (its id, its graph IRI or its card's path) out of the graph folder or
    the store, all or nothing: its named graph (sentences, claims), the PROV description of
    that graph, and so the entities no other article mentions."""
    if store_dir is not None:
        return _remove_from_store(article, Path(store_dir))
    graph_dir = _graph_folder(graph_dir)
    notes = [note for note in (journal.recover(graph_dir),) if note]
    known = sorted(p.name[:-len(".trig")] for p in (graph_dir / "articles").glob("*.trig"))
    article_id = _known_id(article, known, str(graph_dir))
    paths = article_paths(article_id)
    quads = _parsed(graph_dir / paths["trig"])
    orphans = _not_mentioned_elsewhere(_entities(quads, article_id),
                                       [p for p in _rdf_files(graph_dir) if p != graph_dir / paths["trig"]])
    removals = [path for path in paths.values() if (graph_dir / path).exists()]
    notes += journal.commit(graph_dir, {}, removals)
    notes += _cache_kept_current(graph_dir)
    return Removal(article_id, GRAPH_BASE + article_id, str(graph_dir), len(quads), orphans, removals, notes)


def _cache_kept_current(graph_dir: Path) -> list[str]:
    """The folder's cache (kgtool.cards.folder_cache), if it has one, without the article now:
    the next add need not refresh it. What stops that is left for that add to redo."""
    from kgtool.cards.folder_cache import refresh_if_kept

    notes: list[str] = []
    try:
        refresh_if_kept(graph_dir, _rdf_files(graph_dir), notes.append)
    except (KgError, OSError):  # stopped too: the removal is done, the cache as it was
        pass
    return notes


def article_id_of(article: str) -> str:
    """The id that `article` names: an id, a graph or article IRI (or article:x), or a card's path."""
    for prefix in (GRAPH_BASE, ARTICLE_BASE, "graph:", "article:"):
        if article.startswith(prefix):
            return article[len(prefix):]
    if article.endswith((".yaml", ".yml")) and Path(article).is_file():
        return _card_id(Path(article))
    return article


def _card_id(path: Path) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        root = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        ident = root["article"]["id"]
    except (YAMLError, OSError, UnicodeDecodeError, KeyError, TypeError):
        ident = None
    return ident if isinstance(ident, str) else path.stem


def _known_id(article: str, known: list[str], where: str) -> str:
    article_id = article_id_of(article)
    if article_id in known:
        return article_id
    close = difflib.get_close_matches(article_id, known, n=3, cutoff=0.0)
    fix = f"the closest: {', '.join(close)}" if close else "it holds no article"
    raise InputError(f"no article '{article}'", where=where, fix=fix)


def _parsed(path: Path) -> list[ox.Quad]:
    from kgtool.store.files import parse_file

    return parse_file(path)


def _rdf_files(graph_dir: Path) -> list[Path]:
    from kgtool.store.files import rdf_files

    try:
        return rdf_files([graph_dir])
    except InputError:  # the article was the folder's only RDF file
        return []


def _entities(quads: list[ox.Quad], article_id: str) -> set[str]:
    """The IRIs the article graph labels: every entity it mentions (sentences and claims have
    none), but the article itself."""
    named = ox.NamedNode(GRAPH_BASE + article_id)
    return {q.subject.value for q in quads
            if q.graph_name == named and q.predicate == _LABEL and isinstance(q.subject, ox.NamedNode)} - {
        ARTICLE_BASE + article_id}


def _not_mentioned_elsewhere(entities: set[str], others: list[Path]) -> list[str]:
    """The entities that none of the files `others` names (as subject or object)."""
    left = set(entities)
    for path in others:
        if not left:
            break
        data = path.read_bytes()
        # A file that holds no entity's local name cannot name it: most files are never parsed.
        candidates = {iri for iri in left if _local(iri).encode("utf-8") in data}
        if candidates:
            left -= _named_in(_parsed(path), candidates)
    return sorted(left)


def _local(iri: str) -> str:
    return re.split(r"[/#:]", iri)[-1]


def _named_in(quads, candidates: set[str]) -> set[str]:
    found = set()
    for quad in quads:
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode) and term.value in candidates:
                found.add(term.value)
    return found


def _remove_from_store(article: str, store_dir: Path) -> Removal:
    from kgtool.store.persistence import load_into, open_read_only

    backend = open_read_only(store_dir)
    known = sorted(g.value[len(GRAPH_BASE):] for g in backend.named_graphs()
                   if isinstance(g, ox.NamedNode) and g.value.startswith(GRAPH_BASE))
    article_id = _known_id(article, known, str(store_dir))
    graph = ox.NamedNode(GRAPH_BASE + article_id)
    triples = sum(1 for _ in backend.quads_for_pattern(None, None, None, graph))
    described = sum(1 for _ in backend.quads_for_pattern(graph, None, None, _DEFAULT))
    entities = {q.subject.value for q in backend.quads_for_pattern(None, _LABEL, None, graph)
                if isinstance(q.subject, ox.NamedNode)} - {ARTICLE_BASE + article_id}
    orphans = sorted(iri for iri in entities if not _mentioned_in_store(backend, ox.NamedNode(iri), graph))
    del backend  # RocksDB's files closed before the writer swaps the store
    load_into(store_dir, [], remove=[graph.value])
    return Removal(article_id, graph.value, str(store_dir), triples + described, orphans)


def _mentioned_in_store(backend: ox.Store, entity: ox.NamedNode, graph: ox.NamedNode) -> bool:
    """Whether another article graph names `entity` (the default graph holds the merge's copies)."""
    for quads in (backend.quads_for_pattern(entity, None, None, None),
                  backend.quads_for_pattern(None, None, entity, None)):
        if any(not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name != graph for q in quads):
            return True
    return False
