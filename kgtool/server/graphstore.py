"""/store: the SPARQL 1.1 Graph Store HTTP Protocol.

A graph is named `?default`, `?graph=IRI` (indirect) or by the request's own URL,
`/store/...` (direct). GET and HEAD read it in any RDF format (404 for a graph the
store does not hold); with --allow-update, PUT replaces it, POST adds to it (to
/store itself: a new graph, whose IRI the Location header gives) and DELETE drops it.
Each is the SPARQL operation section 5 of the protocol says it means, run by the
executor as any query or update.
"""

from __future__ import annotations

import json
import uuid

from kgtool.server import negotiation, protocol
from kgtool.server.app import outcome_response, run_job
from kgtool.server.protocol import Job, ProtocolError

_READS, _WRITES = ("GET", "HEAD"), ("PUT", "POST", "DELETE")


def methods(config) -> list[str]:
    """The methods a client may use: the writes only with --allow-update (every one is routed,
    so that a write to a read-only server is a 403 that says why)."""
    return list(_READS + (_WRITES if config.allow_update else ()))


ROUTED = list(_READS + _WRITES)


async def endpoint(request):
    graph = target(request)
    if request.method in _READS:
        return await _read(request, graph)
    from kgtool.server.sparql import READ_ONLY

    if not request.app.state.config.allow_update:
        raise READ_ONLY
    if request.method == "DELETE":
        return await _delete(request, graph)
    return await _write(request, graph)


def target(request) -> str | None:
    """The graph a request names: its IRI, None for the default graph, "" for the store itself."""
    if "path" in request.path_params:
        return protocol.graph_iri(str(request.url).split("?", 1)[0].split("#", 1)[0], "the URL")
    given = protocol.fields(request.scope.get("query_string", b""), "the URL")
    names = [name for name, _ in given if name in ("default", "graph")]
    if len(names) > 1:
        raise ProtocolError(400, "a request names one graph: ?default or ?graph=IRI, once", where="the URL",
                            fix="drop the others")
    if not names:
        if request.method == "POST":
            return ""
        raise ProtocolError(400, "no graph named", where="the URL",
                            fix="add ?default for the default graph or ?graph=IRI for a named graph")
    if names[0] == "default":
        return None
    import urllib.parse

    value = next(value for name, value in given if name == "graph")
    return protocol.graph_iri(urllib.parse.urljoin(str(request.url), value), "graph")


def _pattern(graph: str | None) -> str:
    return "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"


async def _read(request, graph: str | None):
    fmt = negotiation.require(request.headers.get("accept"), negotiation.GRAPH, "a graph")
    job = Job(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {_pattern(graph)} }}", graph_format=fmt, source="store")
    outcome = await run_job(request, job)
    if outcome.rows == 0 and graph is not None and not await exists(request, graph):
        raise _missing(graph)
    return outcome_response(outcome, head=request.method == "HEAD")


async def exists(request, graph: str | None) -> bool:
    """Whether the store holds the graph (an empty one too, once created); the default always."""
    if graph is None:
        return True
    outcome = await request.app.state.executor.run(Job(f"ASK {{ GRAPH <{graph}> {{}} }}", source="store"))
    return bool(json.loads(outcome.body)["boolean"])


def _missing(graph: str) -> ProtocolError:
    return ProtocolError(404, f"the store holds no graph <{graph}>", where="/store",
                         fix="GET /store?graph=IRI with one of the graphs the store holds")


async def _delete(request, graph: str | None):
    from starlette.responses import Response

    if graph == "":
        raise ProtocolError(400, "DELETE needs a graph", where="the URL", fix="add ?default or ?graph=IRI")
    if not await exists(request, graph):
        raise _missing(graph)
    await run_job(request, Job("DROP DEFAULT" if graph is None else f"DROP GRAPH <{graph}>", "update",
                               source="store"))
    return Response(status_code=204)


async def _write(request, graph: str | None):
    """PUT (replace) or POST (merge) of the graph in the body; POST to /store makes a new graph."""
    from starlette.responses import Response

    headers = {}
    if graph == "":
        graph = str(request.url).split("?", 1)[0].split("#", 1)[0].rstrip("/") + "/" + uuid.uuid4().hex
        headers["Location"] = graph
    body = await request.body()
    statements = _statements(body, request.headers.get("content-type"), graph or str(request.url))
    created = not await exists(request, graph)
    name = "DEFAULT" if graph is None else f"GRAPH <{graph}>"
    inserted = statements if graph is None else f"GRAPH <{graph}> {{ {statements} }}"
    steps = [f"DROP SILENT {name}"] if request.method == "PUT" else []
    steps += [f"CREATE SILENT GRAPH <{graph}>"] if graph is not None else []
    steps += [f"INSERT DATA {{ {inserted} }}"]
    await run_job(request, Job(" ;\n".join(steps), "update", source="store"))
    return Response(status_code=201 if created else 204, headers=headers)


def _statements(body: bytes, content_type: str | None, base: str) -> str:
    """The triples of an uploaded graph as N-Triples lines (valid inside INSERT DATA), each literal
    in the form the store keeps as written (kgtool.store.literals)."""
    import pyoxigraph as ox

    media, _ = protocol.media_type(content_type)
    if media == "multipart/form-data":
        parts = _multipart(body, content_type or "")
    else:
        parts = [(media, body)]
    from kgtool.store.literals import encode_quads

    triples = []
    for part_type, data in parts:
        fmt = ox.RdfFormat.from_media_type(part_type) if part_type else None
        if fmt is None:
            raise ProtocolError(415, f"cannot read a graph of type {part_type or '(none)'}", where="Content-Type",
                                fix="send " + ", ".join(negotiation.MEDIA_TYPES[f] for f in negotiation.GRAPH))
        try:
            # as the store keeps them ("01"^^xsd:integer stays "01"), as `kgtool load` does
            triples += [ox.Triple(q.subject, q.predicate, q.object)
                        for q in encode_quads(ox.parse(data, format=fmt, base_iri=base))]
        except (SyntaxError, ValueError) as exc:
            raise ProtocolError(400, f"malformed {fmt.name}: {' '.join(str(exc).split())}",
                                where="the request body", fix="fix the RDF and send it again") from None
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8") if triples else ""


def _multipart(body: bytes, content_type: str) -> list[tuple[str | None, bytes]]:
    """The (media type, bytes) of each file of a multipart/form-data body (GSP, section 5.5)."""
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.HTTP).parsebytes(b"Content-Type: " + content_type.encode("latin-1")
                                                         + b"\r\n\r\n" + body)
    if not message.is_multipart():
        raise ProtocolError(400, "a multipart/form-data body without parts", where="the request body",
                            fix="send a boundary parameter and at least one part")
    return [(part.get_content_type(), part.get_payload(decode=True) or b"") for part in message.iter_parts()]
