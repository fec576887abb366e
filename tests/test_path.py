"""kgtool path: every shortest path between two entities, with evidence, and what stops it.

The exact paths are the Soundtrack article's, read alone; on the bundled graph, with any number of
articles, a path can only be as short or shorter."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import soundtrack_only, svg_edges, svg_nodes
from conftest import descendants as _descendants, living as _living, wait_for as _wait_for


def test_path_prints_each_hop_with_evidence(run):
    result = run("path", *soundtrack_only(), "Jenna Dewan", "Steve Martin")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Jenna Dewan and Steve Martin: 1 shortest path of 4 relations"
    assert lines[2] == ("Path 1: Jenna Dewan · Soundtrack · Pennies From Heaven (1978 miniseries) · "
                        "Pennies From Heaven (1981 film) · Steve Martin")
    assert lines[3] == "  Jenna Dewan —played Joanna Kassem in→ Soundtrack   [schema:actor]"
    assert lines[4] == ("      “On the 10-episode series, Dewan played Joanna Kassem, a former struggling "
                        "dancer-turned-social worker.” — graph:et-soundtrack-canceled, sentence 5")
    assert "  Soundtrack ←inspired (major influence)— Pennies From Heaven (1978 miniseries)   [kg:inspiredBy]" in lines


def test_more_articles_only_shorten_a_path(run):
    data = json.loads(run("path", "Jenna Dewan", "Steve Martin", "-f", "json").stdout)
    assert data["found"] and 1 <= len(data["paths"][0]) <= 4
    assert all(r["evidence"] for path in data["paths"] for hop in path for r in hop["relations"])


def test_path_json_and_drawing(run, tmp_path, graphviz):
    result = run("path", *soundtrack_only(), "person:jenna-dewan", "Steve Martin", "-f", "json", "--draw", str(tmp_path / "p.svg"))
    data = json.loads(result.stdout)
    assert data["found"] and data["total"] == 1 and len(data["paths"][0]) == 4
    drawn = svg_nodes((tmp_path / "p.svg").read_bytes())
    assert set(drawn) - {"legend"} == {"person:jenna-dewan", "work:soundtrack", "work:pennies-from-heaven-1978",
                                       "work:pennies-from-heaven-1981", "person:steve-martin"}


@pytest.mark.parametrize(("ends", "filters", "line"), [
    (("Jenna Dewan", "Steve Martin"), ("--types", "person"),
     "Jenna Dewan and Steve Martin: not connected under these filters "
     "(Jenna Dewan and Steve Martin have no relation under them)"),
    (("Jenna Dewan", "Joshua Safran"), ("--predicates", "created"),
     "Jenna Dewan and Joshua Safran: not connected under these filters (Jenna Dewan has no relation under them)"),
    (("Joshua Safran", "Pennies From Heaven (1978 miniseries)"), ("-P", "created,adapted into"),
     "Joshua Safran and Pennies From Heaven (1978 miniseries): not connected under these filters"),
], ids=["both-ends-left-alone", "one-end-left-alone", "the-path-cut"])
def test_not_connected_under_filters_is_exit_1_and_said_once(run, ends, filters, line):
    result = run("path", *soundtrack_only(), *ends, *filters)
    assert (result.exit_code, result.stdout, result.stderr) == (1, line + "\n", "")


def test_not_connected_in_json_is_said_once_on_stderr(run):
    result = run("path", *soundtrack_only(), "Jenna Dewan", "Joshua Safran", "--predicates", "created", "-f", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["found"], data["paths"], data["isolated"]) == (False, [], ["Jenna Dewan"])
    assert "not connected" not in result.stdout.replace(data["verdict"], "")
    assert result.stderr == ("kgtool: Jenna Dewan and Joshua Safran: not connected under these filters "
                             "(Jenna Dewan has no relation under them)\n")


def test_an_entity_and_itself_are_a_path_of_no_relations(run, tmp_path, graphviz):
    result = run("path", *soundtrack_only(), "Jenna Dewan", "person:jenna-dewan", "--draw", str(tmp_path / "self.svg"))
    assert (result.exit_code, result.stdout) == (0, "Jenna Dewan and Jenna Dewan: the same entity, "
                                                    "a path of 0 relations\n")
    assert set(svg_nodes((tmp_path / "self.svg").read_bytes())) == {"person:jenna-dewan", "legend"}
    data = json.loads(run("path", *soundtrack_only(), "Jenna Dewan", "Jenna Dewan", "-f", "json").stdout)
    assert (data["found"], data["total"], data["paths"]) == (True, 1, [[]])


def _terms(data):
    """Every value of a path's JSON that names an RDF term."""
    yield data["start"]
    yield data["end"]
    for hop in (h for path in data["paths"] for h in path):
        yield hop["start"]
        yield hop["end"]
        for relation in hop["relations"]:
            yield relation["predicate"]
            yield from (item["article"] for item in relation["evidence"])


def test_path_json_names_every_term_by_its_full_iri(run):
    data = json.loads(run("path", *soundtrack_only(), "Jenna Dewan", "Steve Martin", "-f", "json").stdout)
    terms = list(_terms(data))
    assert len(terms) == 2 + 4 * 2 + 4 + 4
    assert [t for t in terms if not t.startswith(("https://", "http://"))] == []
    assert data["start"] == "https://kgtool.example/id/person/jenna-dewan"
    assert data["paths"][0][0]["relations"][0]["predicate"] == "https://schema.org/actor"
    assert data["paths"][0][0]["relations"][0]["evidence"][0]["article"] == \
        "https://kgtool.example/graph/et-soundtrack-canceled"


def test_ctrl_c_stops_path_within_a_second_while_it_builds_the_graph(tmp_path, six_thousand_people):
    import signal
    import sys
    import time

    process = subprocess.Popen([sys.executable, "-m", "kgtool", "path", "person:p1", "person:p2", "-g",
                                str(six_thousand_people)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert _wait_for(lambda: _descendants(process.pid), 20), "the core runs in a child process"
        time.sleep(0.3)
        assert process.poll() is None
        family = _descendants(process.pid)
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
        assert time.monotonic() - sent < 1.5
    finally:
        process.kill()
        out, err = process.communicate()
    assert (process.returncode, out) == (130, b"")
    assert err.decode().endswith("interrupted: kgtool path was stopped\n")
    assert _wait_for(lambda: not _living(family), 5), f"left running: {_living(family)}"
