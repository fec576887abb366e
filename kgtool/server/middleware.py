"""What every request goes through, whatever its route: the log line, the size cap and CORS.

Plain ASGI middleware (no thread per request, nothing buffered): each wraps `send` or
`receive` and leaves the rest to the app.
"""

from __future__ import annotations

import sys
import time
import urllib.parse
from datetime import datetime, timezone
from functools import lru_cache
from typing import IO

LOG_KEY = "kgtool.log"  # scope[LOG_KEY]: a dict the endpoints fill with "rows" and "query"


def note(request, **values) -> None:
    """Tell the request log what this request did (`rows=`, `query=` the query's hash)."""
    record = request.scope.get(LOG_KEY)
    if record is not None:
        record.update(values)


def noted(request, key: str) -> bool:
    """Whether the request log has been told `key` already."""
    return key in request.scope.get(LOG_KEY, ())


class RequestLog:
    """One line per request: time, method, path, status, rows, milliseconds, the query's hash.

    `2026-12-02T07:20:01.123Z GET /sparql 200 rows=3 12ms query=ab12cd34ef56`; a dash where
    there is nothing to say. The path is percent-encoded, so no request can write a line of its own.
    """

    def __init__(self, app, stream: IO[str] | None = None) -> None:
        self.app = app
        self.stream = stream

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, record = time.perf_counter(), {"status": 500}
        scope[LOG_KEY] = record

        async def sending(message) -> None:
            if message["type"] == "http.response.start":
                record["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self._write(scope, record, (time.perf_counter() - started) * 1000)

    def _write(self, scope, record: dict, milliseconds: float) -> None:
        stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        path = _logged_path(scope.get("path", ""))
        rows = record.get("rows")
        line = (f"{stamp} {scope.get('method', '-')} {path} {record['status']} "
                f"rows={'-' if rows is None else rows} {milliseconds:.0f}ms query={record.get('query') or '-'}")
        stream = self.stream or sys.stderr
        try:
            stream.write(line + "\n")
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed log must not take the server down


@lru_cache(maxsize=1024)  # the same few paths, request after request
def _logged_path(path: str) -> str:
    return urllib.parse.quote(path, safe="/-._~!$&'()*+,;=:@")


class TooLarge(Exception):
    """The body went past the cap while the app read it."""


class BodyLimit:
    """413 for a request whose body (or query string) is larger than `limit` bytes: told by its
    Content-Length before a byte is read, else found while it is read."""

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if len(scope.get("query_string", b"")) > self.limit:
            await _refuse(send, 413, f"the URL's query string is larger than {self.limit:,} bytes; "
                                     "send the query by POST, or start kgtool serve with a larger --max-request-bytes")
            return
        if length.isdigit() and int(length) > self.limit:
            await _refuse(send, 413, self._message())
            return
        received, started = 0, False

        async def receiving():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise TooLarge
            return message

        async def sending(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receiving, sending)
        except TooLarge:
            if not started:
                await _refuse(send, 413, self._message())

    def _message(self) -> str:
        return (f"the request body is larger than {self.limit:,} bytes; send less, load big graphs with "
                "kgtool load, or start kgtool serve with a larger --max-request-bytes")


async def _refuse(send, status: int, text: str, headers: list | None = None) -> None:
    body = (text + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())] + (headers or [])})
    await send({"type": "http.response.body", "body": body})


class Cors:
    """CORS for an allowlist of origins: the request's Origin echoed exactly when it is listed
    (`*` lists every origin), `Vary: Origin` on every answer, and the preflight OPTIONS."""

    def __init__(self, app, origins: tuple[str, ...], methods: tuple[str, ...]) -> None:
        self.app = app
        self.origins = frozenset(origins)
        self.methods = ", ".join(methods)

    def allowed(self, origin: str | None) -> str | None:
        if origin is None:
            return None
        if origin in self.origins:
            return origin
        return "*" if "*" in self.origins else None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw = headers.get(b"origin")
        origin = self.allowed(raw.decode("latin-1") if raw is not None else None)
        if scope["method"] == "OPTIONS" and raw is not None and b"access-control-request-method" in headers:
            await self._preflight(send, origin)
            return

        async def sending(message) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"vary", b"Origin")]
                if origin is not None:
                    extra += [(b"access-control-allow-origin", origin.encode("latin-1")),
                              (b"access-control-expose-headers", b"Kgtool-Truncated")]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, sending)

    async def _preflight(self, send, origin: str | None) -> None:
        if origin is None:
            await _refuse(send, 403, "this origin may not call the server; start kgtool serve with "
                                     "--cors ORIGIN to allow it", [(b"vary", b"Origin")])
            return
        await send({"type": "http.response.start", "status": 204, "headers": [
            (b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin"),
            (b"access-control-allow-methods", self.methods.encode()),
            (b"access-control-allow-headers", b"Accept, Content-Type"),
            (b"access-control-max-age", b"600")]})
        await send({"type": "http.response.body", "body": b""})
