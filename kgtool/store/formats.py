"""The RDF and query-result formats kgtool reads and writes; --help lists them from here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kgtool.registry import describe, format_for_path  # noqa: F401 (commands list formats through here)


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
        ResultFormat("json", "SPARQL 1.1 JSON", (".srj", ".json"), "JSON"),
        ResultFormat("xml", "SPARQL 1.1 XML", (".srx", ".xml"), "XML"),
        ResultFormat("markdown", "Markdown table", (".md",), None),
    ]
}


def rdf_format_for_path(path: Path | str) -> RdfFormat | None:
    return format_for_path(RDF_FORMATS, path)


def result_format_for_path(path: Path | str) -> ResultFormat | None:
    return format_for_path(RESULT_FORMATS, path)
