"""/queries: every named query an endpoint, `/queries/NAME?param=value`, bound as the CLI binds.

A parameter is bound to an RDF term by SPARQL substitution in the worker
(kgtool.queries.bind_params: `<iri>`, `prefix:name`, `"text"`, `42`, and a label for
an `iri` parameter), never pasted into the text. A name is looked up among the named
queries only (a unique prefix works, as in `kgtool query 04`): never as a file path.
"""

from __future__ import annotations

import json

from kgtool.server import negotiation, protocol
from kgtool.server.app import outcome_response, run_job
from kgtool.server.protocol import Job, ProtocolError

_DATASET = ("default-graph-uri", "named-graph-uri")


async def listing(request):
    """The named queries as JSON: name, summary, form, parameters, and the URL of each."""
    from starlette.responses import Response

    state = request.app.state
    if getattr(state, "listing", None) is None:  # the catalog is read once: so is its listing
        state.listing = json.dumps([
            {"name": name, "summary": query.summary, "url": f"/queries/{name}", "form": protocol.query_form(query.text),
             "params": [{"name": p.name, "kind": p.kind, "default": p.default, "doc": p.doc}
                        for p in query.params.values()]}
            for name, query in state.catalog.items()], ensure_ascii=False).encode("utf-8")
    return Response(state.listing, media_type="application/json")


async def endpoint(request):
    catalog = request.app.state.catalog
    query = find(catalog, request.path_params["name"])
    given = protocol.fields(request.scope.get("query_string", b""), "the URL")
    params = _params(given)
    graphs = tuple(protocol.graph_iri(v, k) for k, v in given if k == _DATASET[0])
    named = tuple(protocol.graph_iri(v, k) for k, v in given if k == _DATASET[1])
    form = protocol.query_form(query.text)
    result_format, graph_format = negotiation.formats_for(form, request.headers.get("accept"))
    job = Job(query.text, "query", result_format, graph_format, graphs, named if graphs or named else None,
              named_query=query, params=tuple(sorted(params.items())), source=f"queries/{query.name}")
    outcome = await run_job(request, job)
    return outcome_response(outcome, head=request.method == "HEAD")


def find(catalog: dict, name: str):
    """The named query `name` (or the one it is a unique prefix of); 404 with the list otherwise."""
    if name in catalog:
        return catalog[name]
    matches = [known for known in catalog if known.startswith(name) or known.split("-", 1)[-1] == name]
    if len(matches) == 1:
        return catalog[matches[0]]
    if matches:
        raise ProtocolError(404, f"query name '{name}' is ambiguous: {', '.join(matches)}",
                            fix="give more of the name")
    raise ProtocolError(404, f"unknown query '{name}'",
                        fix="the named queries are: " + ", ".join(catalog) + " (GET /queries lists them)")


def _params(given: list[tuple[str, str]]) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in given:
        if name in _DATASET:
            continue
        name = name.lstrip("?$")
        if name in params:
            raise ProtocolError(400, f"parameter '{name}' is given twice", where=f"?{name}=",
                                fix="give each parameter once")
        params[name] = value
    return params
