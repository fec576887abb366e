"""kgtool serve: the graph over HTTP (SPARQL 1.1 Protocol, Graph Store Protocol, named queries)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from kgtool.commands._common import _finish_stopped_changes, base_option, chosen_base
from kgtool.server import config as defaults  # a dataclass and four numbers: no starlette, no uvicorn


@click.command(help=f"""Serve the graph over HTTP, read-only, on this machine only.

\b
  /sparql           SPARQL 1.1 Protocol: GET ?query=, POST form or direct;
                    JSON, XML, CSV, TSV; Turtle, N-Triples, N-Quads, TriG,
                    JSON-LD (by Accept); no query: the service description
  /store            Graph Store Protocol: GET ?default or ?graph=IRI
  /queries          the named queries (JSON); /queries/NAME?param=value
                    runs one, bound as kgtool query --param binds

Queries run in worker processes that are killed at --timeout (503).
SERVICE and LOAD are refused; updates too unless --allow-update.
One line per request goes to stderr. Ctrl-C or SIGTERM stops the server.

\b
Examples:
  kgtool serve
  kgtool serve --store news.store --port 8080 --workers 4
  kgtool serve --cors https://newsroom.example --max-rows 10000
""")
@click.option("--graph", "-g", "graph_paths", multiple=True, callback=_finish_stopped_changes,
              type=click.Path(path_type=Path, readable=False),
              help="RDF file or folder to serve instead of the bundled graph (repeatable).")
@click.option("--store", "store_dir", type=click.Path(path_type=Path, readable=False),
              help="A store on disk made by 'kgtool load' to serve instead of files.")
@base_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback is reachable from other machines.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update and Graph Store writes (PUT, POST, DELETE).")
@click.option("--timeout", default=defaults.DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
              type=click.FloatRange(0, None, min_open=True), help="Stop a query after this many seconds (503).")
@click.option("--max-rows", default=defaults.DEFAULT_MAX_ROWS, show_default=True, type=click.IntRange(1, None),
              metavar="N", help="The most rows (or triples) a result may have; more is an error, never a cut.")
@click.option("--max-request-bytes", default=defaults.DEFAULT_MAX_REQUEST_BYTES, show_default=True,
              type=click.IntRange(1, None), metavar="BYTES", help="The largest request accepted (413 beyond).")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let web pages from ORIGIN (https://host[:port], or *) call the server; repeatable.")
@click.option("--workers", default=defaults.DEFAULT_WORKERS, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes answering queries at once (one with --allow-update).")
@click.option("--queries", "queries_dir", type=click.Path(path_type=Path, readable=False),
              help="Folder of named queries (default: the bundled queries/).")
def command(graph_paths, store_dir, host, port, allow_update, timeout, max_rows, max_request_bytes, cors,
            workers, queries_dir):
    from kgtool.errors import InputError
    from kgtool.server.config import ServerConfig

    if any(str(path) == "-" for path in graph_paths):
        raise InputError("a server cannot read its graph from stdin", where="--graph -",
                         fix="save the graph to a file and give --graph FILE")
    if store_dir is not None and graph_paths:
        raise InputError("give --graph or --store, not both", where="--store",
                         fix="load the files into the store with kgtool load, or drop --store")
    origins = tuple(check_origin(origin) for origin in cors)
    config = ServerConfig(graph_paths=tuple(graph_paths), store_dir=store_dir, base=chosen_base(),
                          queries_dir=queries_dir, allow_update=allow_update, timeout=timeout, max_rows=max_rows,
                          max_request_bytes=max_request_bytes, cors_origins=origins, workers=workers)
    if not _loopback(host):
        click.echo(f"kgtool: warning: --host {host} lets other machines query the graph; "
                   "use it only on a network you trust", err=True)
    serve(config, host, port)


def serve(config, host: str, port: int) -> None:
    """Open the data, then listen until Ctrl-C or SIGTERM; the workers stop with the server."""
    import uvicorn

    from kgtool.server.app import make_app
    from kgtool.server.executor import Executor

    executor = Executor(config)
    try:
        executor.check()  # the data opens (or one line says why) before the port is taken
        app = make_app(config, executor=executor)
        sock = listen(host, port)
        port = sock.getsockname()[1]
        # limit_concurrency: past that many open requests uvicorn answers 503 at once, so a flood
        # queues no unbounded number of requests for the workers. proxy_headers off: no proxy is
        # in front, so a local client's X-Forwarded-* must not change the scheme (the base IRI).
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                               lifespan="on", server_header=False, limit_concurrency=1024,
                                               proxy_headers=False))
        shown = f"[{host}]" if ":" in host else host
        mode = "read-write" if config.allow_update else "read-only"
        click.echo(f"kgtool: serving http://{shown}:{port}/sparql ({mode}); Ctrl-C stops", err=True)
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass  # uvicorn shut down cleanly, then raised the signal again: the normal way to stop
        finally:
            sock.close()
    finally:
        executor.close()
    click.echo("kgtool: server stopped", err=True)


def listen(host: str, port: int):
    """The listening socket, bound here so that a taken port or a bad address is one line (exit 2)."""
    import socket

    from kgtool.errors import InputError

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise InputError(f"cannot listen on {host}: {exc}", where="--host",
                         fix="give an address of this machine, such as 127.0.0.1") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host} port {port}: {exc.strerror or exc}", where="--port",
                         fix="choose another --port, or stop the program using this one") from None
    return sock


def check_origin(origin: str) -> str:
    """A --cors origin as browsers send it: scheme://host[:port], lower-case, no path; or *."""
    import urllib.parse

    from kgtool.errors import InputError

    if origin == "*":
        return origin
    parts = urllib.parse.urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or parts.fragment:
        raise InputError(f"'{origin}' is not an origin", where="--cors",
                         fix="give scheme://host[:port], such as https://newsroom.example, with no path")
    return f"{parts.scheme}://{parts.netloc}".lower()


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
