"""The web page: a query editor at `/`, a page per entity, `path` between two, and drawings.

Works with no network: every file comes from kgtool/server/assets, the relation drawing
is the self-contained page `kgtool viz` writes (kgtool.pictures.webpage, its layout
script inside), and the Content-Security-Policy lets a page load nothing from elsewhere.

- `/` (assets/index.html, page.js): the editor POSTs to /sparql; the named queries
  (`/page/queries.json`: the catalog with each query's text, and the prefixes) are examples,
  each with its `# @param` lines as form fields, run at /queries/NAME?param=value.
- `/entity?iri=IRI` (or `?label=`, or `/entity/PREFIX/LOCAL`): what kgtool.description
  knows of it, each fact with its evidence sentences, links to its neighbours.
- `/path?from=A&to=B`: kgtool.pictures.connections' shortest paths, with evidence.
- `/draw?...`: the relation drawing of an entity's neighbourhood (`iri`, `depth`), of a
  path (`from`, `to`), or of a query's results (`query`, or `name` and its parameters).

Every value from the data is escaped: the server writes HTML with html.escape alone
(kgtool.server.page_html), the script writes text with textContent alone.
"""

from __future__ import annotations

from kgtool.errors import InputError, KgError
from kgtool.server import page_html

ASSETS = {  # name -> media type: nothing else is served from /assets
    "page.js": "text/javascript",
    "page.css": "text/css",
}


def page_routes(config) -> list:
    from starlette.routing import Route

    return [
        Route("/", index, methods=["GET"]),
        Route("/assets/{name}", asset, methods=["GET"]),
        Route("/page/queries.json", catalog, methods=["GET"]),
        Route("/entity", entity, methods=["GET"]),
        Route("/entity/{prefix}/{local:path}", entity, methods=["GET"]),
        Route("/path", path, methods=["GET"]),
        Route("/draw", draw, methods=["GET"]),
    ]


def _assets():
    from pathlib import Path

    return Path(__file__).resolve().parent / "assets"


async def index(request):
    return page_html.respond((_assets() / "index.html").read_text(encoding="utf-8"))


async def asset(request):
    from starlette.responses import Response

    name = request.path_params["name"]
    if name not in ASSETS:
        return page_html.respond(page_html.error_page(
            f"no file /assets/{name}; the page uses page.js and page.css", "that file"), 404)
    body = (_assets() / name).read_bytes()
    return Response(body, media_type=ASSETS[name], headers=page_html.SAFE_HEADERS)


async def catalog(request):
    """For the editor: the named queries as /queries lists them, with each one's text, and
    kgtool's prefixes (the table shows person:jenna-dewan as the CLI does)."""
    from starlette.responses import JSONResponse

    from kgtool.namespaces import PREFIXES
    from kgtool.server.protocol import query_form

    queries = [
        {"name": name, "summary": query.summary, "url": f"/queries/{name}", "form": query_form(query.text),
         "text": query.text,
         "params": [{"name": p.name, "kind": p.kind, "default": p.default, "doc": p.doc}
                    for p in query.params.values()]}
        for name, query in request.app.state.catalog.items()]
    return JSONResponse({"queries": queries, "prefixes": PREFIXES}, headers=page_html.SAFE_HEADERS)


async def entity(request):
    from kgtool.description import describe

    try:
        text = _entity_text(request)
        description, drawn = await _in_thread(request, lambda store, whole: _described(describe(store, text), whole))
    except KgError as exc:
        return _refusal(exc, "the entity page")
    return page_html.respond(page_html.entity_page(description, drawn))


def _described(description, whole):
    """The description, and whether the entity is in the relation graph (so has a drawing):
    True, False, or why the relation graph could not be built (the page still shows the facts)."""
    from kgtool.namespaces import compact

    try:
        return description, compact(description.iri) in whole()
    except KgError as exc:  # a graph over --max-rows, or too slow to read whole within --timeout
        return description, exc.message()


def _entity_text(request) -> str:
    """What names the entity, as `kgtool describe` takes it: <IRI>, prefix:name or a label."""
    params, given = request.path_params, request.query_params
    if "prefix" in params:
        return named(f"{params['prefix']}:{params['local']}", "/entity/PREFIX/NAME")
    if given.get("iri"):
        return f"<{_iri(given['iri'], '/entity?iri=')}>"
    if given.get("label", "").strip():
        return named(given["label"], "/entity?label=")
    raise InputError("no entity given", where="/entity", fix="give ?iri=IRI, ?label=LABEL or /entity/PREFIX/NAME")


def named(text: str, where: str) -> str:
    """`text` as the user gave it, refused here if it is written as <IRI> but is none (kgtool's
    lookup would take it for an IRI and fail inside pyoxigraph)."""
    if text.startswith("<") and text.endswith(">"):
        _iri(text[1:-1], where)
    return text


def _iri(text: str, where: str) -> str:
    import pyoxigraph as ox

    try:
        return ox.NamedNode(text).value
    except ValueError:
        raise InputError(f"'{text}' is not an IRI", where=where, fix="give an absolute IRI such as "
                         "https://kgtool.example/id/person/jenna-dewan") from None


async def path(request):
    from kgtool.pictures.connections import connect

    start, end = request.query_params.get("from", ""), request.query_params.get("to", "")
    if not (start.strip() and end.strip()):
        return page_html.respond(page_html.path_page(None, start, end))
    try:
        named(start, "/path?from="), named(end, "/path?to=")
        connection = await _in_thread(request, lambda store, whole: connect(store, whole(), start, end, 20))
    except KgError as exc:
        return _refusal(exc, "the path", page_html.path_form(start, end))
    return page_html.respond(page_html.path_page(connection, start, end))


async def draw(request):
    from kgtool.pictures.drawing import draw as draw_graph
    from kgtool.server import page_drawing

    params = request.query_params
    try:
        if params.get("iri"):
            _iri(params["iri"], "/draw?iri=")
        for name in ("label", "from", "to"):
            named(params.get(name, ""), f"/draw?{name}=")
        graph, title = await _in_thread(request, lambda store, whole: page_drawing.choose(
            store, whole, params, request.app.state.catalog))
    except KgError as exc:
        return _refusal(exc, "the drawing")
    return page_html.respond(draw_graph(graph, "html", title=title).decode("utf-8"), policy=page_html.DRAWING_POLICY)


async def _in_thread(request, work):
    """`work(store, whole)` in a worker thread, its queries run on the app's executor;
    `whole()` is the relation graph of all the data (built on first use)."""
    from starlette.concurrency import run_in_threadpool

    from kgtool.server.page_store import ExecutorStore, WholeGraph

    state = request.app.state
    if not hasattr(state, "page_graph"):
        state.page_graph = WholeGraph(cache=not state.config.allow_update)
    store = ExecutorStore(state.executor)
    return await run_in_threadpool(work, store, lambda: state.page_graph.get(store))


def _refusal(exc: KgError, what: str, extra: str = ""):
    from kgtool.server.app import status_of

    return page_html.respond(page_html.error_page(exc.message(), what, extra), status_of(exc))

