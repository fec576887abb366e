"""The store: the one door to the graph, in memory or on disk, and RDF in and out.

`dataset` holds the Store (SPARQL over the set-merge of all graphs), `persistence`
stores on disk (a load's write in `ingest`, run by `writer`, one writer at a time
by `locking`), `serialization` deterministic RDF out, `output` files written
all or nothing, `labels` finding entities by name, `formats` the registries, `files` the RDF files
read (found and checked before a parser sees them).
"""

from importlib import import_module

# Imported on first use, so that `kgtool.store.formats` (which every command's --help
# reads) does not load pyoxigraph.
_EXPORTS = {"Store": "dataset", "load": "dataset", "to_rdflib": "dataset", "rdf_files": "files",
            "syntax_error": "files", "open_store": "persistence"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kgtool.store' has no attribute {name!r}")
    return getattr(import_module(f"kgtool.store.{_EXPORTS[name]}"), name)
