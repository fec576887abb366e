"""Registries of the formats kgtool reads and writes; --help lists them from here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RdfFormat:
    name: str
    label: str
    suffixes: tuple[str, ...]
    media_type: str
    oxigraph: str  # attribute of pyoxigraph.RdfFormat
    rdflib: str  # rdflib plugin name
    datasets: bool  # keeps named graphs


RDF_FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in [
        RdfFormat("turtle", "Turtle", (".ttl",), "text/turtle", "TURTLE", "turtle", False),
        RdfFormat("ntriples", "N-Triples", (".nt",), "application/n-triples", "N_TRIPLES", "nt", False),
        RdfFormat("nquads", "N-Quads", (".nq",), "application/n-quads", "N_QUADS", "nquads", True),
        RdfFormat("trig", "TriG", (".trig",), "application/trig", "TRIG", "trig", True),
        RdfFormat("jsonld", "JSON-LD", (".jsonld", ".json"), "application/ld+json", "JSON_LD", "json-ld", True),
        RdfFormat("rdfxml", "RDF/XML", (".rdf", ".owl", ".xml"), "application/rdf+xml", "RDF_XML", "pretty-xml", False),
    ]
}


@dataclass(frozen=True)
class ResultFormat:
    name: str
    label: str
    suffixes: tuple[str, ...]
    oxigraph: str | None  # attribute of pyoxigraph.QueryResultsFormat, None if kgtool renders it


RESULT_FORMATS: dict[str, ResultFormat] = {
    f.name: f
    for f in [
        ResultFormat("table", "aligned text table", (".txt",), None),
        ResultFormat("csv", "SPARQL 1.1 CSV", (".csv",), "CSV"),
        ResultFormat("tsv", "SPARQL 1.1 TSV", (".tsv",), "TSV"),
        ResultFormat("json", "SPARQL 1.1 JSON", (".srj",), "JSON"),
        ResultFormat("xml", "SPARQL 1.1 XML", (".srx",), "XML"),
        ResultFormat("markdown", "Markdown table", (".md",), None),
    ]
}


def format_for_path(registry: dict, path: Path | str):
    """The format of `registry` whose suffixes include the path's, or None."""
    suffix = Path(path).suffix.lower()
    return next((fmt for fmt in registry.values() if suffix in fmt.suffixes), None)


def rdf_format_for_path(path: Path | str) -> RdfFormat | None:
    return format_for_path(RDF_FORMATS, path)


def result_format_for_path(path: Path | str) -> ResultFormat | None:
    return format_for_path(RESULT_FORMATS, path)


def describe(registry: dict) -> str:
    """'turtle (Turtle), trig (TriG), ...' for help texts."""
    return ", ".join(f"{f.name} ({f.label})" for f in registry.values())


@dataclass(frozen=True)
class PictureFormat:
    name: str
    label: str
    suffixes: tuple[str, ...]
    graphviz: bool  # laid out and rendered by Graphviz's programs


PICTURE_FORMATS: dict[str, PictureFormat] = {
    f.name: f
    for f in [
        PictureFormat("svg", "SVG picture", (".svg",), True),
        PictureFormat("png", "PNG picture", (".png",), True),
        PictureFormat("pdf", "PDF picture", (".pdf",), True),
        PictureFormat("html", "interactive page, works offline", (".html", ".htm"), False),
        PictureFormat("dot", "Graphviz DOT", (".dot", ".gv"), False),
        PictureFormat("graphml", "GraphML for Gephi, Cytoscape, yEd", (".graphml",), False),
        PictureFormat("gexf", "GEXF for Gephi", (".gexf",), False),
        PictureFormat("json", "nodes and edges as JSON", (".json",), False),
    ]
}


def picture_format_for_path(path: Path | str) -> PictureFormat | None:
    return format_for_path(PICTURE_FORMATS, path)
