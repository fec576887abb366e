"""Overlap checks on a Graphviz layout, read from `dot -Tjson` (Graphviz's own text metrics)."""

from __future__ import annotations

import itertools
import json
import subprocess


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
