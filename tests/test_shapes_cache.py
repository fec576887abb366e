"""Shapes that passed SHACL's own shapes are not meta-checked again; shapes that fail always are."""

from __future__ import annotations

from kgtool.shacl.checked import fingerprint
from kgtool.store import Store
from kgtool.store.formats import RDF_FORMATS

from conftest import SHAPES

PREFIXES = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "


def shapes_of(text: str) -> Store:
    store = Store()
    store.load_data((PREFIXES + text).encode(), RDF_FORMATS["turtle"])
    return store


def test_blank_nodes_are_told_apart_by_what_they_hold():
    two_paths = shapes_of('ex:S sh:property [ sh:path ex:A ; sh:path ex:B ] , [ sh:name "x" ] .')
    one_each = shapes_of('ex:S sh:property [ sh:path ex:A ; sh:name "x" ] , [ sh:path ex:B ] .')
    again = shapes_of('ex:S sh:property [ sh:name "x" ] , [ sh:path ex:B ; sh:path ex:A ] .')
    assert fingerprint(two_paths) != fingerprint(one_each)
    assert fingerprint(two_paths) == fingerprint(again)


def test_a_pass_is_remembered_and_a_failure_never(run, tmp_path, monkeypatch):
    monkeypatch.setenv("KGTOOL_CACHE_DIR", str(tmp_path / "cache"))
    assert run("validate").exit_code == 0
    assert len(list((tmp_path / "cache" / "shapes-checked").iterdir())) == 1
    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:minCount -1 .\n", encoding="utf-8")
    for _ in range(2):
        result = run("validate", "--shapes", str(bad))
        assert result.exit_code == 2
        assert "the shapes are not valid SHACL" in result.stderr
    assert len(list((tmp_path / "cache" / "shapes-checked").iterdir())) == 1


def test_an_unwritable_cache_is_no_cache(run, tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("KGTOOL_CACHE_DIR", str(blocked / "cache"))
    assert run("validate", "--shapes", str(SHAPES)).exit_code == 0
