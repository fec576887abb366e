"""HTTP to a SPARQL endpoint or a Graph Store: one request, its failures as kgtool errors.

The standard library's urllib, so that nothing new is installed for it; every failure
is one line naming the URL: connection refused or unknown host (exit 2), no answer
within the timeout (TimedOut, exit 2), an HTTP error with the first line of what the
server said (a 400 is the query's fault: QueryError).
"""

from __future__ import annotations

import base64
import http.client
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from kgtool.errors import InputError, QueryError, TimedOut

DEFAULT_TIMEOUT = 120.0  # seconds without an answer before a request gives up
_WHERE = "--endpoint"
_MOST_HEADERS = 100_000


@dataclass
class Answer:
    status: int
    media_type: str  # the Content-Type without its parameters, lower case
    server: str      # the Server header ("" if none)
    body: bytes


@dataclass
class Http:
    """Requests to one server: a timeout, and Basic credentials if any."""

    timeout: float = DEFAULT_TIMEOUT
    user: str | None = None
    password: str | None = None

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None,
                what: str = "the query", where: str = _WHERE) -> Answer:
        headers = {"User-Agent": "kgtool", **(headers or {})}
        if self.user is not None:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        # Virtuoso echoes every named-graph-uri as a header of its own: past http.client's 100.
        http.client._MAXHEADERS = max(http.client._MAXHEADERS, _MOST_HEADERS)
        try:
            try:
                return self._answer(urllib.request.urlopen(request, timeout=self.timeout))
            except urllib.error.HTTPError as exc:
                if not self._wants_digest(exc):
                    raise
                # Virtuoso's /sparql-graph-crud-auth takes HTTP Digest only: answer its challenge.
                headers["Authorization"] = self._digest(method, url, body, headers)
                retry = urllib.request.Request(url, data=body, headers=headers, method=method)
                return self._answer(urllib.request.urlopen(retry, timeout=self.timeout))
        except urllib.error.HTTPError as exc:
            raise _http_error(exc, url, what, where) from None
        except (TimeoutError, socket.timeout):
            raise TimedOut(f"the endpoint {_shown(url)} did not answer {what} within {self.timeout:g} s",
                           where=where, fix="narrow it (a LIMIT, more specific patterns) or raise --timeout") from None
        except urllib.error.URLError as exc:
            raise _unreachable(exc.reason, url, where) from None
        except (ConnectionError, OSError) as exc:  # reset or closed mid-answer
            raise _unreachable(exc, url, where) from None


    @staticmethod
    def _answer(response) -> Answer:
        with response:
            return Answer(response.status, _media_type(response.headers.get("Content-Type", "")),
                          response.headers.get("Server", ""), response.read())

    def _wants_digest(self, exc: urllib.error.HTTPError) -> bool:
        challenge = exc.headers.get("WWW-Authenticate", "") if exc.headers else ""
        # Virtuoso answers Basic credentials with a bare 401 (no challenge), and a request without
        # any with its Digest challenge; a server that wants Basic says so, and is not retried.
        return exc.code == 401 and self.user is not None and not challenge.lower().startswith("basic")

    def _digest(self, method: str, url: str, body: bytes | None, headers: dict) -> str:
        """The Digest Authorization for this request, from the challenge a bodiless GET of the
        same URL gets (sending the body unauthenticated first, the server hangs up mid-way)."""
        probe = urllib.request.Request(url, headers={"User-Agent": "kgtool"}, method="GET")
        try:
            urllib.request.urlopen(probe, timeout=self.timeout).close()
            challenge = ""
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "") if exc.headers else ""
        if not challenge.lower().startswith("digest "):
            return headers["Authorization"]  # no Digest asked for: the Basic one, refused as it was
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, self.user, self.password or "")
        handler = urllib.request.HTTPDigestAuthHandler(passwords)
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge[len("digest "):]))
        real = urllib.request.Request(url, data=body, method=method)
        return "Digest " + handler.get_authorization(real, fields)


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _shown(url: str) -> str:
    """The URL without its query string (a SPARQL text there would fill the line)."""
    return url.split("?", 1)[0]


def _unreachable(reason, url: str, where: str) -> InputError:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return TimedOut(f"the endpoint {_shown(url)} did not answer in time", where=where,
                        fix="check that the server is up, or raise --timeout")
    if isinstance(reason, ConnectionRefusedError):
        why = "connection refused"
    elif isinstance(reason, socket.gaierror):
        why = "unknown host"
    else:
        why = getattr(reason, "strerror", None) or str(reason)
    return InputError(f"cannot reach the endpoint {_shown(url)}: {why}", where=where,
                      fix="check the URL and that the server is running")


def _http_error(exc: urllib.error.HTTPError, url: str, what: str, where: str) -> InputError:
    try:
        said = exc.read().decode("utf-8", "replace")
    except OSError:
        said = ""
    first = _first_words(said) or exc.reason or ""
    if exc.code == 400:
        return QueryError(f"the endpoint refused {what}: {first}", where=where, fix="fix the query")
    if exc.code in (401, 403):
        return InputError(f"the endpoint {_shown(url)} refused the credentials (HTTP {exc.code}): {first}",
                          where=where, fix="give --user NAME and the password in KGTOOL_ENDPOINT_PASSWORD")
    if exc.code == 404:
        return InputError(f"no such endpoint: {_shown(url)} (HTTP 404)", where=where,
                          fix="check the URL (Oxigraph server: /query and /store; Virtuoso: /sparql)")
    if exc.code in (503, 504):
        return TimedOut(f"the endpoint {_shown(url)} gave up on {what} (HTTP {exc.code}): {first}", where=where,
                        fix="narrow it (a LIMIT, more specific patterns) or raise the server's timeout")
    return InputError(f"the endpoint {_shown(url)} failed on {what} (HTTP {exc.code}): {first}", where=where)


def _first_words(said: str) -> str:
    """The first line of a server's error; of an HTML page (Virtuoso's Graph Store), its text
    after the title, on one line."""
    if said.lstrip()[:1] == "<":
        lines = [line.strip() for line in re.sub(r"<[^>]*>", "\n", said).splitlines() if line.strip()]
        return " ".join(lines[1:] or lines)[:300]
    return next((line.strip() for line in said.splitlines() if line.strip()), "")[:300]


def form(fields) -> bytes:
    """A form body from a dict or from (name, value) pairs (a name may repeat)."""
    return urllib.parse.urlencode(fields).encode("ascii")


def with_parameter(url: str, name: str, value: str | None) -> str:
    """`url` with `?name=value` (or `?name` alone) added to its query string."""
    part = urllib.parse.quote(name) + ("" if value is None else "=" + urllib.parse.quote(value, safe=""))
    return url + ("&" if "?" in url else "?") + part
