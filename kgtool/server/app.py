"""The ASGI app: routes, the executor's lifetime, and the one place errors become HTTP answers.

`make_app(config)` builds a Starlette app and opens no socket (`kgtool serve` runs it
with uvicorn; tests call it in-process). The executor (kgtool.server.executor: worker
processes that can be killed) starts with the app's lifespan and stops with it;
`app.state.executor`, `app.state.config` and `app.state.catalog` (the named queries)
are there for every route, the web page's included.
"""

from __future__ import annotations

import contextlib
from typing import Any

from kgtool.errors import InternalError, Interrupted, KgError, TimedOut
from kgtool.server import middleware
from kgtool.server.config import ServerConfig
from kgtool.server.protocol import Job, query_hash

__all__ = ["ServerConfig", "make_app", "run_job", "error_response"]


def make_app(config: ServerConfig, executor: Any = None):
    """The app serving `config`; `executor` (anything with `await run(job)`) replaces the worker
    pool, and is then the caller's to close."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.routing import Route

    from kgtool import queries
    from kgtool.server import graphstore, named, sparql

    catalog = queries.catalog(config.query_folder())  # a missing folder is one line at start, not per request
    routes = [
        Route("/sparql", sparql.endpoint, methods=["GET", "POST"]),
        Route("/sparql/", sparql.endpoint, methods=["GET", "POST"]),
        Route("/queries", named.listing, methods=["GET"]),
        Route("/queries/{name}", named.endpoint, methods=["GET"]),
        Route("/store", graphstore.endpoint, methods=graphstore.ROUTED),
        Route("/store/{path:path}", graphstore.endpoint, methods=graphstore.ROUTED),
        *_page_routes(config),
    ]
    # Outermost first: every answer is logged (a 413 and a refused preflight too) and carries CORS.
    stack = [Middleware(middleware.RequestLog, stream=config.log)]
    if config.cors_origins:
        methods = tuple(dict.fromkeys(("GET", "POST", *graphstore.methods(config), "OPTIONS")))
        stack.append(Middleware(middleware.Cors, origins=config.cors_origins, methods=methods))
    stack.append(Middleware(middleware.BodyLimit, limit=config.max_request_bytes))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        app.state.executor = executor if executor is not None else _start_executor(config)
        try:
            yield
        finally:
            if executor is None:
                app.state.executor.close()

    app = Starlette(routes=routes, middleware=stack, lifespan=lifespan,
                    exception_handlers={KgError: _kg_error, HTTPException: _http_error})
    app.state.config = config
    app.state.catalog = catalog
    if executor is not None:  # usable without the lifespan too
        app.state.executor = executor
    return app


def _start_executor(config: ServerConfig):
    from kgtool.server.executor import Executor

    return Executor(config)


def _page_routes(config: ServerConfig) -> list:
    """The web page's routes (kgtool.server.page), when the package has it."""
    import importlib.util

    if importlib.util.find_spec("kgtool.server.page") is None:
        return []
    from kgtool.server import page

    return list(page.page_routes(config))


async def run_job(request, job: Job):
    """The job's Outcome from the executor; what it did goes in the request's log line."""
    if not middleware.noted(request, "query"):  # /sparql notes it first, so that a refusal is logged with it
        middleware.note(request, query=query_hash(job.text))
    outcome = await request.app.state.executor.run(job)
    middleware.note(request, rows=outcome.rows)
    return outcome


def outcome_response(outcome, status: int = 200, head: bool = False):
    """The executor's Outcome as the HTTP answer; a truncated one says so in a header."""
    from starlette.responses import Response

    headers = {}
    if getattr(outcome, "truncated", False):
        headers["Kgtool-Truncated"] = f"rows={outcome.rows}"
    response = Response(b"" if head else outcome.body, status_code=status, media_type=outcome.media_type,
                        headers=headers)
    if head:
        response.headers["content-length"] = str(len(outcome.body))
    return response


def status_of(exc: KgError) -> int:
    """The HTTP status of a kgtool error: its own `http_status` if it has one, else by its class."""
    status = getattr(exc, "http_status", None)
    if status is not None:
        return status
    if isinstance(exc, (TimedOut, Interrupted)):
        return 503
    if isinstance(exc, InternalError):
        return 500
    return 400


def error_response(exc: KgError):
    """The one-line message as text/plain, with the error's status."""
    from starlette.responses import PlainTextResponse

    headers = {"Allow": exc.allow} if getattr(exc, "allow", None) else None
    return PlainTextResponse(exc.message() + "\n", status_code=status_of(exc), headers=headers)


async def _kg_error(request, exc: KgError):
    return error_response(exc)


async def _http_error(request, exc):
    """Starlette's own refusals (no such route, a method the route does not take) in kgtool's words."""
    from starlette.responses import PlainTextResponse

    headers = dict(exc.headers or {})
    if "Allow" in headers:  # Starlette's order is a set's
        headers["Allow"] = ", ".join(sorted(m.strip() for m in headers["Allow"].split(",")))
    if exc.status_code == 405:
        text = f"{request.method} is not allowed on {request.url.path}; use {headers.get('Allow', 'GET')}"
    elif exc.status_code == 404:
        text = f"nothing at {request.url.path}; the server answers the page at /, /sparql, /store and /queries"
    else:
        text = exc.detail
    return PlainTextResponse(text + "\n", status_code=exc.status_code, headers=headers)
