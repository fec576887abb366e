"""The store: the one door to the graph, in memory or on disk, and RDF in and out.

`dataset` holds the Store (SPARQL over the set-merge of all graphs), `persistence`
stores on disk, `serialization` deterministic RDF out, `output` files written
all or nothing, `labels` finding entities by name, `formats` the registries.
"""

from kgtool.store.dataset import Store, load, rdf_files, syntax_error, to_rdflib
from kgtool.store.persistence import open_store

__all__ = ["Store", "load", "open_store", "rdf_files", "syntax_error", "to_rdflib"]
