"""kgtool.server.urlencoded reads URL-encoded forms exactly as urllib.parse.parse_qsl does."""

import random
import urllib.parse

import pytest

from kgtool.server.protocol import ProtocolError, fields
from kgtool.server.urlencoded import parse_pairs

PIECES = [b"%", b"&", b"=", b"+", b"\\", b"a", b"F", b"0", b"%2", b"%41", b"%e2%82%ac", b"%C3", b"\xc3\xa9",
          b"\xff", b"%zz", b" ", b"\\x41", b"%5C", b"%25", b"%0A", b"%00", b"%26", b"%3D"]


def stdlib(data: bytes):
    try:
        return urllib.parse.parse_qsl(data.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return "not UTF-8"


def ours(data: bytes):
    try:
        return parse_pairs(data)
    except UnicodeDecodeError:
        return "not UTF-8"


def test_same_pairs_as_parse_qsl_on_every_awkward_mix():
    rng = random.Random(13)
    for _ in range(20000):
        data = b"".join(rng.choice(PIECES) for _ in range(rng.randint(0, 10)))
        assert ours(data) == stdlib(data), data


def test_a_portable_query_comes_back_whole():
    text = "PREFIX ex: <http://example.org/é#>\nSELECT * WHERE { ?s ex:p \"50% \\\\ & = +\" }  # done"
    body = urllib.parse.urlencode({"query": text, "default-graph-uri": "urn:g"}).encode()
    assert parse_pairs(body) == [("query", text), ("default-graph-uri", "urn:g")]


def test_stray_percent_kept_and_bad_utf8_refused():
    assert fields(b"query=100%&x=%zz", "the form") == [("query", "100%"), ("x", "%zz")]
    with pytest.raises(ProtocolError) as caught:
        fields(b"query=%ff", "the form")
    assert caught.value.http_status == 400
