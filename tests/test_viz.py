"""kgtool viz and kgtool path from the command line: every format, the README picture, errors."""

from __future__ import annotations

import itertools
import json
import subprocess
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from conftest import ROOT, require, soundtrack_only, svg_edges, svg_nodes
from conftest import children as _children, descendants as _descendants, living as _living
from conftest import wait_for as _wait_for
from kgtool.pictures.formats import PICTURE_FORMATS
from kgtool.pictures.relations import build

README_PICTURE = ROOT / "docs" / "soundtrack.svg"
README_TITLE = "Soundtrack, canceled: what the ET article says"


# -- overlap checks on a Graphviz layout, read from `dot -Tjson` (Graphviz's own text metrics) --


def _text_boxes(obj: dict, owner: str) -> list[tuple[str, str, tuple[float, float, float, float]]]:
    boxes, size = [], 14.0
    for op in obj.get("_ldraw_", []):
        if op["op"] == "F":
            size = op["size"]
        elif op["op"] == "T":
            x, y = op["pt"]
            left = {"c": x - op["width"] / 2, "l": x, "r": x - op["width"]}[op["align"]]
            boxes.append((owner, op["text"], (left, y - 0.25 * size, left + op["width"], y + 0.85 * size)))
    return boxes


def _node_box(obj: dict) -> tuple[float, float, float, float]:
    x, y = (float(v) for v in obj["pos"].split(","))
    w, h = float(obj["width"]) * 72 / 2, float(obj["height"]) * 72 / 2
    return (x - w, y - h, x + w, y + h)


def _overlap(a, b, slack: float = 0.5) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def overlaps(dot_text: str, program: str = "dot") -> list[str]:
    """Every pair of labels that overlap, and every edge label lying on a node."""
    layout = json.loads(subprocess.run([program, "-Tjson"], input=dot_text.encode(), capture_output=True,
                                       check=True).stdout)
    texts, nodes = [], []
    for obj in layout.get("objects", []):
        texts += _text_boxes(obj, obj["name"])
        if "pos" in obj and "width" in obj:
            nodes.append((obj["name"], _node_box(obj)))
    for edge in layout.get("edges", []):
        texts += _text_boxes(edge, f"edge{edge['_gvid']}")
    found = [f"{t1!r} and {t2!r}" for (o1, t1, b1), (o2, t2, b2) in itertools.combinations(texts, 2)
             if o1 != o2 and _overlap(b1, b2)]
    found += [f"edge label {text!r} on node {name}" for owner, text, box in texts if owner.startswith("edge")
              for name, node in nodes if _overlap(box, node)]
    return found


@pytest.fixture(scope="module")
def relations(store):
    """The bundled graph's relation graph, whatever its articles: what every picture of it must show."""
    return build(store)


@pytest.fixture(scope="module")
def labels(relations):
    return {n: d["label"] for n, d in relations.nodes(data=True)}


def test_all_picture_formats_are_tested():
    assert sorted(PICTURE_FORMATS) == ["dot", "gexf", "graphml", "html", "json", "pdf", "png", "svg"]


def test_svg_is_well_formed_and_shows_every_label(run, graphviz, labels):
    result = run("viz", "--format", "svg")
    assert result.exit_code == 0, result.stderr
    drawn = svg_nodes(result.stdout_bytes)
    assert {n: t for n, t in drawn.items() if n != "legend"} == labels
    assert "Legend" in drawn["legend"] and "hedged in the article" in drawn["legend"]
    assert ("person:jenna-dewan->work:soundtrack", "played Joanna Kassem in") in svg_edges(result.stdout_bytes)


def test_png_and_pdf_come_from_graphviz(run, graphviz, tmp_path):
    assert run("viz", "-o", str(tmp_path / "g.png")).exit_code == 0
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run("viz", "-o", str(tmp_path / "g.pdf")).exit_code == 0
    assert (tmp_path / "g.pdf").read_bytes()[:5] == b"%PDF-"


def test_no_label_overlaps_in_the_soundtrack_picture(run, graphviz):
    dot_text = run("viz", *soundtrack_only(), "-f", "dot").stdout
    assert overlaps(dot_text) == []


def test_the_overlap_check_sees_overlaps(graphviz):
    crowded = 'digraph { a [pos="0,0!", label="Steve Martin"]; b [pos="0.1,0!", label="Christopher Walken"]; }'
    assert overlaps(crowded, "neato") == ["'Steve Martin' and 'Christopher Walken'"]


def test_dot_parses_in_graphviz_with_every_node(run, graphviz, labels):
    dot_text = run("viz", "-f", "dot").stdout
    layout = json.loads(subprocess.run([graphviz, "-Tjson"], input=dot_text.encode(), capture_output=True,
                                       check=True).stdout)
    names = {o["name"]: o.get("label") for o in layout["objects"]}
    assert set(names) - {"legend"} == set(labels)
    assert names["work:pennies-from-heaven-1981"] == "Pennies From Heaven\\n(1981 film)"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_with_string_attributes(run, tmp_path, relations, labels, fmt):
    target = tmp_path / f"g.{fmt}"
    assert run("viz", "-o", str(target)).exit_code == 0
    graph = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
    read_labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    assert read_labels == labels
    assert graph.number_of_edges() == relations.number_of_edges()
    values = [v for _, d in graph.nodes(data=True) for k, v in d.items() if k != "viz"]
    values += [v for *_, d in graph.edges(data=True) for v in d.values()]
    assert values and all(isinstance(v, str) for v in values)
    soundtrack = graph.nodes["work:soundtrack"]
    assert soundtrack["genre"] == "musical drama" and soundtrack["kind"] == "work"
    [played] = [d for u, v, d in graph.edges(data=True) if d["label"] == "played Joanna Kassem in"]
    assert played["evidence"].startswith("On the 10-episode series, Dewan played Joanna Kassem")


def test_json_carries_nodes_edges_and_evidence(run, relations):
    data = json.loads(run("viz", "-f", "json").stdout)
    assert len(data["nodes"]) == relations.number_of_nodes() and len(data["edges"]) == relations.number_of_edges()
    [martin] = [n for n in data["nodes"] if n["label"] == "Steve Martin"]
    assert martin["iri"] == "https://kgtool.example/id/person/steve-martin"
    assert all(e["evidence"] for e in data["edges"])


def test_json_names_every_term_by_its_full_iri(run):
    data = json.loads(run("viz", "-f", "json").stdout)
    terms = [t for n in data["nodes"] for t in [n["iri"], *n["types"]]]
    terms += [t for e in data["edges"] for t in [e["predicate"], *(item["article"] for item in e["evidence"])]]
    assert [t for t in terms if not t.startswith(("https://", "http://"))] == []
    [played] = [e for e in data["edges"] if e["label"] == "played Joanna Kassem in"]
    assert (played["source"], played["predicate"]) == ("person:jenna-dewan", "https://schema.org/actor")


def test_the_readme_picture_is_what_the_code_draws_now(run, graphviz):
    # The picture is the Soundtrack article's, whatever else graph/ holds.
    fresh = run("viz", "--article", "et-soundtrack-canceled", "--title", README_TITLE, "-f", "svg").stdout_bytes
    committed = README_PICTURE.read_bytes()
    assert svg_nodes(committed) == svg_nodes(fresh), \
        "regenerate: kgtool viz --article et-soundtrack-canceled --title '...' -o docs/soundtrack.svg"
    assert svg_edges(committed) == svg_edges(fresh)
    assert "docs/soundtrack.svg" in (ROOT / "README.md").read_text()


def test_query_draws_a_construct_result(run):
    data = json.loads(run("viz", *soundtrack_only(), "--query", "25-lineage", "-f", "json").stdout)
    assert {n["id"] for n in data["nodes"]} == {
        "work:soundtrack", "work:pennies-from-heaven-1978", "work:pennies-from-heaven-1981", "work:magnolia",
        "person:joshua-safran", "person:jenna-dewan", "person:steve-martin", "person:christopher-walken",
        "organization:netflix", "organization:bbc"}
    assert data["title"] == "10 entities, 9 relations: query 25-lineage"
    other = json.loads(run("viz", *soundtrack_only(), "-q", "25", "-p", "work=work:flirty-dancing", "-f", "json").stdout)
    assert {n["id"] for n in other["nodes"]} == {"work:flirty-dancing", "work:flirty-dancing-uk", "organization:fox"}


def test_a_big_graph_warns_and_still_draws(run, labels):
    result = run("viz", "--max-nodes", "10", "-f", "json")
    assert result.exit_code == 0
    assert result.stderr == (f"kgtool: warning: {len(labels)} entities is above the limit of 10 for a readable picture; "
                             "narrow it with --focus ENTITY --depth N, --types or --article (or raise --max-nodes)\n")
    assert len(json.loads(result.stdout)["nodes"]) == len(labels)


def test_writing_a_file_reports_what_was_drawn(run, tmp_path):
    result = run("viz", *soundtrack_only(), "--focus", "Steve Martin", "-o", str(tmp_path / "m.graphml"))
    assert result.stderr == f"kgtool: wrote {tmp_path / 'm.graphml'} (graphml: 2 entities, 1 relation)\n"


@pytest.mark.parametrize(("args", "line"), [
    (("viz", "-o", "x.foo"), "--output: cannot tell the format from the name 'x.foo'; "
                             "use a suffix such as .svg, .png, .html or .graphml, or give --format"),
    (("viz", "--query", "01"), "queries/01-canceled-series.rq: --query needs a CONSTRUCT or DESCRIBE query, "
                               "this one returns rows; draw a CONSTRUCT query, or run this one with kgtool query"),
    (("viz", "--param", "work=x"), "--param: --param needs --query; name the CONSTRUCT query to bind it in"),
    (("viz", "--focus", "role:soundtrack-jenna-dewan-as-joanna-kassem"),
     "--focus: role:soundtrack-jenna-dewan-as-joanna-kassem is not an entity of the relation graph; "
     "focus on a person, work, character, organisation, place or event"),
    (("path", *soundtrack_only(), "Jenna Dewan", "Nobody"), "B: no entity labelled 'Nobody' in the graph; "
                                        "give an IRI, a prefixed name or an exact label"),
    (("path", "Jenna Dewan", "Fox", "--draw", "x.txt"),
     "--draw: cannot tell the format from the name 'x.txt'; use a suffix such as .svg, .png, .html or .graphml"),
])
def test_bad_options_get_one_line_and_exit_2(run, args, line):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.replace(str(ROOT) + "/", "") == f"kgtool: error: {line}\n"


def test_missing_graphviz_is_a_clear_error(run, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run("viz", "-o", str(tmp_path / "g.svg"))
    assert result.exit_code == 2
    assert result.stderr == ("kgtool: error: Graphviz's dot program is not installed; install Graphviz "
                             "(apt-get install graphviz, brew install graphviz) or choose --format html, dot, "
                             "graphml, gexf or json\n")
    assert not (tmp_path / "g.svg").exists()


def test_viz_help_lists_formats_and_kinds_from_the_registries_without_heavy_imports():
    import sys

    from kgtool.pictures.vocabulary import DRAWN_KINDS

    code = ("import sys; from kgtool.cli import cli\n"
            "try:\n    cli(['viz', '--help'], prog_name='kgtool')\nexcept SystemExit:\n    pass\n"
            "print('HEAVY', [m for m in ('rdflib', 'pyshacl', 'networkx', 'pyoxigraph') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "HEAVY []"
    for fmt in PICTURE_FORMATS.values():
        assert f"{fmt.name} ({fmt.label})" in " ".join(out.split())
    assert ", ".join(DRAWN_KINDS) in " ".join(out.split())


CONTROL_LABEL = "Nul\u0000 one\u0001 fffe\ufffe tab\tend"


@pytest.mark.parametrize("fmt", sorted(PICTURE_FORMATS))
def test_characters_xml_cannot_hold_leave_every_format_readable(run, tmp_path, graphviz, fmt):
    from conftest import DATA

    target = tmp_path / f"control.{fmt}"
    result = run("viz", "-g", str(DATA / "control-characters.ttl"), "--title", "title\u0001", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    raw = target.read_bytes()
    shown = "Nul\\u0000 one\\u0001 fffe\\ufffe tab"  # what XML and Graphviz get instead
    if fmt in ("svg", "graphml", "gexf"):
        ET.fromstring(raw)  # well-formed XML, whatever the labels held
    if fmt == "svg":
        assert shown in " ".join(svg_nodes(raw).values())
    elif fmt in ("graphml", "gexf"):
        graph = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
        assert graph.nodes["person:control"]["label"].startswith(shown)
        assert graph.nodes["organization:acme"]["label"] == "Acme\\u0001\\u000c co"
    elif fmt == "json":
        assert json.loads(raw)["nodes"][1]["label"] == CONTROL_LABEL  # JSON escapes it exactly
    elif fmt == "html":
        from html.parser import HTMLParser

        text = raw.decode("utf-8")
        assert not [c for c in text if ord(c) < 32 and c not in "\t\n\r"]
        data = text.split('id="kgtool-data">', 1)[1].split("</script>", 1)[0]
        assert json.loads(data)["nodes"][1]["label"] == CONTROL_LABEL
        assert "<title>title\\u0001</title>" in text
        HTMLParser().feed(text)
    elif fmt == "dot":
        layout = json.loads(subprocess.run([graphviz, "-Tjson"], input=raw, capture_output=True,
                                           check=True).stdout)
        assert {o["name"] for o in layout["objects"]} == {"person:control", "organization:acme", "legend"}
    else:
        assert raw[:4] in (b"\x89PNG", b"%PDF")


# -- a big drawing as a real process: warned about first, and killed with nothing left behind --

@pytest.mark.parametrize("stop", ["SIGKILL", "SIGINT"])
def test_a_big_drawing_warns_before_drawing_and_stopping_leaves_no_graphviz(tmp_path, graphviz, stop,
                                                                            six_thousand_people):
    import signal
    import sys
    import time

    require("sfdp", "graphviz")
    process = subprocess.Popen([sys.executable, "-m", "kgtool", "viz", "-g", str(six_thousand_people),
                                "--layout", "sfdp", "-o", str(tmp_path / "big.svg")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        warning = process.stderr.readline().decode()
        assert warning.startswith("kgtool: warning: 6000 entities is above the limit of 300")
        sfdp = _wait_for(lambda: {p for p in _descendants(process.pid) if _children().get(p, (0, ""))[1] == "sfdp"},
                         20)
        assert sfdp and process.poll() is None, "the warning must come while Graphviz lays out, not after"
        family = _descendants(process.pid)
        sent = time.monotonic()
        process.send_signal(getattr(signal, stop))
        process.wait(timeout=10)
        assert time.monotonic() - sent < 1.5  # Ctrl-C stops kgtool within a second, even mid-layout
    finally:
        process.kill()
        process.wait()
        process.stderr.close()
    assert process.returncode == (-9 if stop == "SIGKILL" else 130)
    assert _wait_for(lambda: not _living(family), 5), f"left running: {_living(family)}"
    assert not (tmp_path / "big.svg").exists()


# -- edge words on their edges, measured on Graphviz's own layout (`dot -Tjson`) --


def _spline(edge: dict) -> list[tuple[float, float]]:
    """Points along the edge's drawn Bézier curve."""
    points = []
    for op in edge.get("_draw_", []):
        if op["op"] in ("b", "B"):
            ps = op["points"]
            for i in range(0, len(ps) - 3, 3):
                (ax, ay), (bx, by), (cx, cy), (dx, dy) = ps[i:i + 4]
                for step in range(41):
                    t = step / 40
                    u = 1 - t
                    points.append((u ** 3 * ax + 3 * u * u * t * bx + 3 * u * t * t * cx + t ** 3 * dx,
                                   u ** 3 * ay + 3 * u * u * t * by + 3 * u * t * t * cy + t ** 3 * dy))
    return points


def label_gaps(dot_text: str) -> dict[str, float]:
    """Each edge's words -> how far (in points) its label box is from its own curve; 0 when it touches."""
    import math

    layout = json.loads(subprocess.run(["dot", "-Tjson"], input=dot_text.encode(), capture_output=True,
                                       check=True).stdout)
    gaps = {}
    for edge in layout.get("edges", []):
        boxes = [box for key in ("_ldraw_", "_xldraw_") for _, _, box in _text_boxes({"_ldraw_": edge.get(key, [])}, "")]
        if not boxes:
            continue
        left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
        words = edge.get("xlabel", edge.get("label", "")).replace("\\\\n", " ")
        gaps[f"{edge['tail']}->{edge['head']} {words}"] = min(
            math.hypot(max(left - x, 0, x - right), max(bottom - y, 0, y - top)) for x, y in _spline(edge))
    return gaps


def test_every_edge_label_sits_on_its_edge(run, graphviz):
    gaps = label_gaps(run("viz", *soundtrack_only(), "-f", "dot").stdout)
    assert len(gaps) == 56
    assert {edge: round(gap) for edge, gap in gaps.items() if gap > 6} == {}


def test_the_label_gap_check_sees_labels_dot_places_as_nodes_of_their_own(run, graphviz):
    as_label_nodes = run("viz", *soundtrack_only(), "-f", "dot").stdout.replace(" [xlabel=", " [label=")
    assert max(label_gaps(as_label_nodes).values()) > 20
