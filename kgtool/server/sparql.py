"""/sparql: the SPARQL 1.1 Protocol endpoint (queries; updates with --allow-update)."""

from __future__ import annotations

from kgtool.server import negotiation, protocol
from kgtool.server.app import outcome_response, run_job
from kgtool.server.middleware import note
from kgtool.server.protocol import Job, ProtocolError

READ_ONLY = ProtocolError(403, "this server is read-only: SPARQL Update is refused", where="update",
                          fix="start kgtool serve with --allow-update to accept updates")


async def endpoint(request):
    """GET or POST a query (or POST an update); a GET asking nothing gets the service description."""
    config = request.app.state.config
    body = await request.body() if request.method == "POST" else b""
    url_fields = protocol.fields(request.scope.get("query_string", b""), "the URL")
    operation = protocol.read_operation(request.method, request.headers.get("content-type"), url_fields, body)
    endpoint_url = protocol.endpoint_iri(request.scope)
    if operation is not None:  # logged by its hash, refused or not
        note(request, query=protocol.query_hash(operation.text))
    if operation is None:
        return _description(request, endpoint_url, config.allow_update)
    if operation.kind == "update":
        return await _update(request, operation, endpoint_url, config.allow_update)
    return await _query(request, operation, endpoint_url)


async def _query(request, operation: protocol.Operation, base: str):
    from kgtool.store import guard

    guard.check_query(operation.text, "query")  # SERVICE, LOAD, an update: 400 before any worker sees it
    form = protocol.query_form(operation.text)
    result_format, graph_format = negotiation.formats_for(form, request.headers.get("accept"))
    dataset = bool(operation.graphs or operation.named)
    job = Job(operation.text, "query", result_format, graph_format, operation.graphs,
              operation.named if dataset else None, base_iri=base, source="query")
    outcome = await run_job(request, job)
    return outcome_response(outcome, head=request.method == "HEAD")


async def _update(request, operation: protocol.Operation, base: str, allowed: bool):
    from kgtool.server.updates import with_dataset
    from kgtool.store.guard import check_update

    if not allowed:
        raise READ_ONLY
    check_update(operation.text)
    text = with_dataset(operation.text, operation.graphs, operation.named)
    await run_job(request, Job(text, "update", base_iri=base, source="update"))
    from starlette.responses import Response

    return Response(status_code=204)


def _description(request, endpoint_url: str, allow_update: bool):
    from starlette.responses import Response

    from kgtool.server.description import describe

    fmt = negotiation.require(request.headers.get("accept"), negotiation.GRAPH, "the service description")
    body = describe(endpoint_url, allow_update, fmt)
    if request.method == "HEAD":
        return Response(b"", media_type=negotiation.MEDIA_TYPES[fmt], headers={"content-length": str(len(body))})
    return Response(body, media_type=negotiation.MEDIA_TYPES[fmt])
