"""Drawing a relation graph: Graphviz pictures, DOT, GraphML, GEXF, JSON and the offline page."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import textwrap
from typing import Any

from kgtool.pictures import vocabulary as vocab
from kgtool.errors import InputError, InternalError

EDGE_LABEL_LIMIT = 400  # above this many nodes, edge words move into tooltips to keep layout fast
LAYOUTS = ("auto", "dot", "sfdp", "neato", "fdp", "twopi", "circo")
_WRAP = 24
# What XML 1.0 cannot carry even as a character reference (and Graphviz chokes on NUL).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """`text` with each character XML cannot hold written visibly as \\uXXXX (U+0001 -> "\\u0001")."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def draw(graph, fmt: str, *, title: str = "", layout: str = "auto") -> bytes:
    """The graph in format `fmt` (a key of formats.PICTURE_FORMATS)."""
    if fmt == "dot":
        return to_dot(graph, title).encode("utf-8")
    if fmt in ("svg", "png", "pdf"):
        return render(to_dot(graph, title), fmt, choose_layout(graph, layout))
    if fmt == "graphml":
        return to_graphml(graph)
    if fmt == "gexf":
        return to_gexf(graph)
    if fmt == "json":
        return (json.dumps(with_iris(document(graph, title)), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "html":
        from kgtool.pictures.webpage import page

        return page(document(graph, xml_safe(title))).encode("utf-8")
    raise InternalError(f"no writer for picture format {fmt!r}")


def choose_layout(graph, layout: str) -> str:
    if layout != "auto":
        return layout
    return "dot" if graph.number_of_nodes() <= 200 else "sfdp"


# -- Graphviz ---------------------------------------------------------------------

def _quote(text: str) -> str:
    text = xml_safe(text)  # Graphviz copies labels into SVG as they are
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrap(text: str) -> str:
    return "\n".join(textwrap.wrap(text, _WRAP, break_long_words=True)) or text


def _attributes(**pairs: Any) -> str:
    return "[" + ", ".join(f"{k}={_quote(str(v))}" for k, v in pairs.items() if v is not None) + "]"


def to_dot(graph, title: str = "") -> str:
    """A DOT document: coloured nodes by kind, words on edges, hedged facts dashed, a legend.

    Edge words are xlabels, placed on the edge once it is routed: a plain dot
    label is laid out as a node of its own, and the edge may pass far from it.
    The wider node and rank gaps leave room for them; forcelabels keeps them all.
    """
    labels = graph.number_of_nodes() <= EDGE_LABEL_LIMIT
    lines = [
        "digraph kgtool {",
        f"  graph {_attributes(label=title or None, labelloc='t', fontsize=18, fontname='Helvetica', pad=0.3, nodesep=0.6, ranksep=0.9, rankdir='LR', overlap='false', outputorder='edgesfirst', forcelabels='true', bgcolor='white')};",
        "  node [fontname=\"Helvetica\", fontsize=11, style=\"filled\", penwidth=1.4, margin=\"0.12,0.06\"];",
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#666666\", fontcolor=\"#333333\", arrowsize=0.7];",
    ]
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        kind = vocab.KINDS_BY_KEY[data["kind"]]
        lines.append(f"  {_quote(node)} " + _attributes(
            label=_wrap(data["label"]), shape=kind.shape, fillcolor=kind.fill, color=kind.line,
            tooltip=f"{kind.label}: {data['iri']}"))
    for u, v, key in sorted(graph.edges(keys=True)):
        data = graph.edges[u, v, key]
        first = data["evidence"][0]["text"] if data["evidence"] else "no evidence sentence"
        lines.append(f"  {_quote(u)} -> {_quote(v)} " + _attributes(
            xlabel=_wrap(data["label"]) if labels else None, tooltip=f"{data['label']}: {first}",
            style="dashed" if data["hedge"] else None))
    if graph.number_of_nodes():
        lines.append(f"  legend [shape=plaintext, style=\"\", label=<{_legend(graph)}>];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _legend(graph) -> str:
    present = {d["kind"] for _, d in graph.nodes(data=True)}
    rows = ['<TR><TD COLSPAN="2"><B>Legend</B></TD></TR>']
    for kind in vocab.KINDS:
        if kind.key in present:
            rows.append(f'<TR><TD BGCOLOR="{kind.fill}" COLOR="{kind.line}" WIDTH="18"> </TD>'
                        f'<TD ALIGN="LEFT">{html.escape(kind.label)}</TD></TR>')
    if any(d["hedge"] for *_, d in graph.edges(data=True)):
        rows.append('<TR><TD>- - -</TD><TD ALIGN="LEFT">hedged in the article</TD></TR>')
    return ('<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">'
            + "".join(rows) + "</TABLE>")


def graphviz_program(layout: str) -> str:
    program = shutil.which(layout)
    if program is None:
        raise InputError(
            f"Graphviz's {layout} program is not installed",
            fix="install Graphviz (apt-get install graphviz, brew install graphviz) "
                "or choose --format html, dot, graphml, gexf or json",
        )
    return program


def render(dot_text: str, fmt: str, layout: str) -> bytes:
    """Lay out and render DOT with Graphviz (`dot -Tsvg` and friends).

    Graphviz dies with kgtool (PR_SET_PDEATHSIG), and is killed when the
    drawing is interrupted, so no layout goes on running for nobody.
    """
    from kgtool.worker import die_with_parent

    process = subprocess.Popen([graphviz_program(layout), f"-T{fmt}"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=die_with_parent)
    try:
        out, err = process.communicate(dot_text.encode("utf-8"))
    except BaseException:
        process.kill()
        process.wait()
        raise
    if process.returncode != 0:
        reason = err.decode("utf-8", "replace").strip().splitlines()
        raise InternalError(f"Graphviz {layout} failed: {reason[0] if reason else process.returncode}")
    return out


# -- files for other tools -----------------------------------------------------------

def flat(graph):
    """A copy with string attributes only, so GraphML and GEXF readers load every value."""
    import networkx as nx

    out = nx.MultiDiGraph()
    for node, data in sorted(graph.nodes(data=True)):
        values = {k: v for k, v in data.items() if k != "attributes"}
        values.update({name: "; ".join(vals) for name, vals in data["attributes"].items()})
        out.add_node(node, **{xml_safe(k): xml_safe(str(v)) for k, v in values.items()})
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        values = {k: val for k, val in data.items() if k not in ("evidence", "hedge")}
        values["evidence"] = "\n".join(e["text"] for e in data["evidence"])
        values["articles"] = " ".join(sorted({e["article"] for e in data["evidence"]}))
        values["hedge"] = "; ".join(data["hedge"])
        out.add_edge(u, v, key=xml_safe(key), **{xml_safe(k): xml_safe(str(val)) for k, val in values.items()})
    return out


def to_graphml(graph) -> bytes:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(flat(graph), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_gexf(graph) -> bytes:
    import networkx as nx

    coloured = flat(graph)
    for node, data in coloured.nodes(data=True):
        fill = vocab.KINDS_BY_KEY[data["kind"]].fill.lstrip("#")
        data["viz"] = {"color": {"r": int(fill[0:2], 16), "g": int(fill[2:4], 16), "b": int(fill[4:6], 16), "a": 1.0}}
    buffer = io.BytesIO()
    nx.write_gexf(coloured, buffer, encoding="utf-8")
    return buffer.getvalue()


def document(graph, title: str = "") -> dict[str, Any]:
    """The graph as plain JSON-ready data: what the page draws and `--format json` prints."""
    present = {d["kind"] for _, d in graph.nodes(data=True)}
    return {
        "title": title,
        "kinds": [{"key": k.key, "label": k.label, "fill": k.fill, "line": k.line}
                  for k in vocab.KINDS if k.key in present],
        "nodes": [{"id": n, "label": d["label"], "kind": d["kind"], "iri": d["iri"], "types": d["types"].split(),
                   "attributes": d["attributes"]} for n, d in sorted(graph.nodes(data=True))],
        "edges": [{"source": u, "target": v, "label": d["label"], "predicate": d["predicate"],
                   "hedge": d["hedge"], "evidence": d["evidence"]}
                  for u, v, _, d in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])],
    }


def with_iris(doc: dict[str, Any]) -> dict[str, Any]:
    """`document` for programs: every term a full IRI (node ids stay the keys edges refer to by)."""
    for node in doc["nodes"]:
        node["types"] = [vocab.full_iri(t) for t in node["types"]]
    for edge in doc["edges"]:
        edge["predicate"] = vocab.full_iri(edge["predicate"])
        edge["evidence"] = [{**item, "article": vocab.full_iri(item["article"])} for item in edge["evidence"]]
    return doc
