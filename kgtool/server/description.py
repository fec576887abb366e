"""The SPARQL 1.1 Service Description of the endpoint (what GET /sparql with no query answers)."""

from __future__ import annotations

from kgtool.namespaces import PREFIXES

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
# kgtool's format names -> the W3C's names of them (http://www.w3.org/ns/formats/).
_W3C_FORMATS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples", "nquads": "N-Quads",
                "trig": "TriG", "jsonld": "JSON-LD", "rdfxml": "RDF_XML"}


def triples(endpoint: str, allow_update: bool) -> list:
    """The description as pyoxigraph triples: languages, result formats, features, kg:value."""
    import pyoxigraph as ox

    service, rdf_type = ox.BlankNode(), ox.NamedNode(PREFIXES["rdf"] + "type")

    def sd(name: str):
        return ox.NamedNode(SD + name)

    found = [ox.Triple(service, rdf_type, sd("Service")),
             ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
             ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
             # the default graph of a query is the merge of every graph (kgtool.store.dataset)
             ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
             ox.Triple(service, sd("extensionFunction"), ox.NamedNode(PREFIXES["kg"] + "value"))]
    if allow_update:
        found.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    found += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + name)) for name in _W3C_FORMATS.values()]
    dataset, default = ox.BlankNode(), ox.BlankNode()
    found += [ox.Triple(service, sd("defaultDataset"), dataset),
              ox.Triple(dataset, rdf_type, sd("Dataset")),
              ox.Triple(dataset, sd("defaultGraph"), default),
              ox.Triple(default, rdf_type, sd("Graph"))]
    return found


def describe(endpoint: str, allow_update: bool, fmt: str) -> bytes:
    """The description in an RDF format (an RDF_FORMATS name), with its own few prefixes."""
    import pyoxigraph as ox

    from kgtool.store.formats import RDF_FORMATS

    prefixes = {"sd": SD, "formats": FORMATS, "kg": PREFIXES["kg"]}
    return ox.serialize(triples(endpoint, allow_update), format=getattr(ox.RdfFormat, RDF_FORMATS[fmt].oxigraph),
                        prefixes=prefixes)
