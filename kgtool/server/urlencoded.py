"""URL-encoded name=value pairs (a query string, a form body) as urllib.parse.parse_qsl reads
them, but percent-decoded in C.

A portable SPARQL query comes as a form of about 2 kB in which most characters are
percent-encoded (its PREFIX lines are IRIs); urllib's unquote decodes that in a Python
loop, one list item per `%`: 0.3 ms of the server's own CPU per request, more than the
rest of the app. Here every `%XX` becomes `\\xXX` and the documented `unicode_escape`
codec decodes the lot in one call (backslashes doubled first, so no other escape can
arise); a stray `%` (not two hex digits after it) falls back to urllib, which keeps it.
"""

from __future__ import annotations

import urllib.parse


def parse_pairs(data: bytes) -> list[tuple[str, str]]:
    """The pairs in order, repeats and blank values kept (parse_qsl with keep_blank_values);
    raises UnicodeDecodeError when a name or value is not UTF-8 once decoded."""
    pairs = []
    for piece in data.split(b"&"):
        if not piece:
            continue
        name, _, value = piece.partition(b"=")
        pairs.append((unquote_plus(name), unquote_plus(value)))
    return pairs


def unquote_plus(data: bytes) -> str:
    """`+` as a space, `%XX` as its byte, the result read as UTF-8 (strict)."""
    if b"+" in data:
        data = data.replace(b"+", b" ")
    if b"%" in data:
        data = _percent_decoded(data)
    return data.decode("utf-8")


def _percent_decoded(data: bytes) -> bytes:
    escaped = data.replace(b"\\", b"\\\\").replace(b"%", b"\\x")
    try:
        # unicode_escape reads the other bytes as Latin-1, so encoding back to Latin-1 gives them unchanged.
        return escaped.decode("unicode_escape").encode("latin-1")
    except UnicodeDecodeError:  # a % without two hex digits after it: urllib keeps it as it is
        return urllib.parse.unquote_to_bytes(data)
