"""The picture formats `viz` and `path --draw` write; --help lists them from here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kgtool.registry import format_for_path


@dataclass(frozen=True)
class PictureFormat:
    name: str
    label: str
    suffixes: tuple[str, ...]
    graphviz: bool  # laid out and rendered by Graphviz's programs


PICTURE_FORMATS: dict[str, PictureFormat] = {
    f.name: f
    for f in [
        PictureFormat("svg", "SVG picture", (".svg",), True),
        PictureFormat("png", "PNG picture", (".png",), True),
        PictureFormat("pdf", "PDF picture", (".pdf",), True),
        PictureFormat("html", "interactive page, works offline", (".html", ".htm"), False),
        PictureFormat("dot", "Graphviz DOT", (".dot", ".gv"), False),
        PictureFormat("graphml", "GraphML for Gephi, Cytoscape, yEd", (".graphml",), False),
        PictureFormat("gexf", "GEXF for Gephi", (".gexf",), False),
        PictureFormat("json", "nodes and edges as JSON", (".json",), False),
    ]
}


def picture_format_for_path(path: Path | str) -> PictureFormat | None:
    return format_for_path(PICTURE_FORMATS, path)
