"""The offline interactive page: one HTML file with its data, styles and script inside.

Nothing is fetched: no CDN, no fonts, no remote contexts, so the page works
opened from disk. Data travels as JSON inside a script element with `<`, `>`
and `&` escaped, and the script writes every label with textContent, so a
label such as `<script>` is shown as text, never run.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def embedded_json(data: Any) -> str:
    """JSON that cannot end its script element or open a comment inside it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return "".join(_JSON_ESCAPES.get(ch, ch) for ch in text)


def page(document: dict[str, Any]) -> str:
    template = (ASSETS / "viewer.html").read_text(encoding="utf-8")
    title = document.get("title") or "kgtool relation graph"
    replacements = {
        "{{TITLE}}": html.escape(title),
        "{{STYLE}}": (ASSETS / "viewer.css").read_text(encoding="utf-8"),
        "{{SCRIPT}}": "\n".join((ASSETS / name).read_text(encoding="utf-8") for name in ("layout.js", "viewer.js")),
        "{{DATA}}": embedded_json(document),
    }
    # One pass, so a title that contains "{{DATA}}" stays text.
    return re.sub(r"\{\{[A-Z]+\}\}", lambda m: replacements.get(m.group(0), m.group(0)), template)
