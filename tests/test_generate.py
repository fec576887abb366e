"""kgtool generate: deterministic, sized, skewed, marked synthetic, conforming unless told otherwise."""

from __future__ import annotations

import io
import json
from collections import Counter

import pyoxigraph as ox
import pytest

from conftest import SHAPES
from kgtool.namespaces import compact
from kgtool.paths import bundled
from kgtool.store import load
from kgtool.synthetic import VIOLATION_KINDS, generate, ontology_quads
from kgtool.shacl.validation import validate

ONTOLOGY = list(ontology_quads(bundled("graph") / "ontology.ttl"))


def made(triples: int, seed: int = 1, violations: int = 0, fmt: str = "nquads", articles=None):
    text = io.StringIO()
    summary = generate(text, triples, seed, violations, ONTOLOGY, fmt, articles)
    return text.getvalue(), summary


def test_the_same_arguments_give_the_same_bytes(run):
    first = run("generate", "-n", "2000", "--seed", "5").stdout_bytes
    assert first == run("generate", "-n", "2000", "--seed", "5").stdout_bytes
    assert first != run("generate", "-n", "2000", "--seed", "6").stdout_bytes


def test_size_is_the_asked_number_of_statements_rounded_up_to_whole_articles():
    text, summary = made(20_000)
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(set(quads)) == summary.quads
    assert 20_000 <= summary.quads < 20_000 + 1_000
    graphs = {q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert len(graphs) == summary.articles > 50


def test_popularity_is_skewed_like_news():
    text, _ = made(60_000)
    mentions = Counter(q.object.value for q in ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS)
                       if q.predicate.value == "https://schema.org/mentions" and "/person/" in q.object.value)
    counts = sorted(mentions.values(), reverse=True)
    assert counts[0] > 20 * counts[len(counts) // 2]


def test_everything_is_marked_synthetic():
    text, summary = made(5_000)
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))
    entities = {q.subject.value for q in quads if q.subject.value.startswith("https://kgtool.example/id/")}
    assert entities and all("/synthetic-" in e for e in entities)
    comments = [q.object.value for q in quads if q.predicate.value.endswith("#comment")
                and q.subject.value.startswith("https://kgtool.example/graph/")]
    assert len(comments) == summary.articles
    assert all(c.startswith("Synthetic data made by kgtool generate --seed 1") for c in comments)


def test_one_default_graph_holds_the_asked_number_of_distinct_triples():
    text, summary = made(20_000, fmt="ntriples")
    triples = list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == len(set(triples)) == summary.quads
    assert 20_000 <= summary.quads < 20_000 + 1_000


@pytest.mark.parametrize("fmt", ["trig", "ntriples"])
def test_every_format_holds_the_same_triples(fmt):
    nquads, summary = made(3_000)
    other, _ = made(3_000, fmt=fmt, articles=summary.articles)
    kind = {"trig": ox.RdfFormat.TRIG, "ntriples": ox.RdfFormat.N_TRIPLES}[fmt]
    triples = lambda data, f: {(q.subject, q.predicate, q.object) for q in ox.parse(data.encode(), format=f)}  # noqa: E731
    assert triples(other, kind) == triples(nquads, ox.RdfFormat.N_QUADS)


def test_generated_data_conforms_to_the_shapes(tmp_path):
    path = tmp_path / "clean.nq"
    path.write_text(made(4_000, seed=2)[0], encoding="utf-8")
    report = validate(load([path]), [SHAPES])
    assert report.violations == []


def test_injected_violations_are_exactly_what_pyshacl_finds(tmp_path):
    text, summary = made(4_000, seed=3, violations=2 * len(VIOLATION_KINDS))
    assert Counter(v.kind for v in summary.violations) == {kind: 2 for kind in VIOLATION_KINDS}
    path = tmp_path / "broken.nq"
    path.write_text(text, encoding="utf-8")
    found = {(r.focus, r.path, r.component) for r in validate(load([path]), [SHAPES]).violations}
    expected = {(compact(v.focus), compact(v.path) if v.path else "", compact(v.component))
                for v in summary.violations}
    assert found == expected


def test_the_command_writes_a_manifest_and_says_what_it_wrote(run, tmp_path):
    out, manifest = tmp_path / "g.trig", tmp_path / "m.json"
    result = run("generate", "-n", "1500", "--violations", "1", "--manifest", str(manifest), "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr.startswith("kgtool: wrote ") and "(seed 0, trig), 1 injected violations" in result.stderr
    [entry] = json.loads(manifest.read_text())
    assert entry["kind"] == "missing-label" and entry["focus"] in out.read_text()
    bad = run("generate", "-o", str(tmp_path / "g.ttl"))
    assert bad.exit_code == 2
    assert bad.stderr == ("kgtool: error: --output: a generated graph cannot be written as Turtle (the suffix "
                          f"of '{tmp_path / 'g.ttl'}'); name the file .nq, .trig, .nt, or give --format\n")
