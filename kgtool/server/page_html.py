"""The page's server-written HTML: the entity page, the path page, and error pages.

Every value from the data goes through `text()` (html.escape, quotes included, so it is
safe in an attribute too) and every link is built here from an encoded query string:
a label such as `<script>` is shown as those characters, never parsed. These pages run
no script at all; their drawing is the relation page of kgtool.pictures in an iframe.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from kgtool.namespaces import compact

# Nothing from anywhere but this server; no script on the server-written pages but /assets.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
          "frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'")
# The relation drawing carries its script and styles inline (it is also a file opened from disk).
DRAWING_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
                  "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
SAFE_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                "Content-Security-Policy": POLICY}
_PLAIN_DATATYPES = ("http://www.w3.org/2001/XMLSchema#string",)
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def text(value) -> str:
    return html.escape(str(value), quote=True)


def respond(body: str, status: int = 200, policy: str = POLICY):
    from starlette.responses import HTMLResponse

    return HTMLResponse(body, status_code=status, headers={**SAFE_HEADERS, "Content-Security-Policy": policy})


def href(path: str, **params) -> str:
    return text(f"{path}?{urlencode(params)}" if params else path)


def entity_link(iri: str, label: str | None = None) -> str:
    shown = label or compact(iri)
    return f'<a class="entity" href="{href("/entity", iri=iri)}" title="{text(iri)}">{text(shown)}</a>'


def frame(title: str, src: str) -> str:
    """The relation drawing in an iframe, `src` already escaped. Sized in the element itself:
    the drawing lays itself out at once, before page.css may have arrived."""
    return f'<iframe width="100%" height="560" title="{text(title)}" src="{src}"></iframe>'


def shell(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{text(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/page.css">
</head>
<body>
<header><a class="home" href="/">kgtool</a> <nav><a href="/">Query</a> <a href="/path">Path</a></nav></header>
<main>
{body}
</main>
</body>
</html>
"""


def error_page(message: str, what: str, extra: str = "") -> str:
    return shell("kgtool: error",
                 f'<h1>Cannot show {text(what)}</h1>\n<p class="error" role="alert">{text(message)}</p>\n{extra}')


# -- the entity page --------------------------------------------------------------------

def entity_page(description, drawn: bool | str = True) -> str:
    """Everything `kgtool describe` says of the entity; its neighbourhood drawn when it is
    in the relation graph (a class or a sentence is not); `drawn` may say why there is none."""
    name = description.label or compact(description.iri)
    types = [f.value for f in description.outgoing if f.kind == "iri" and f.predicate == _RDF_TYPE]
    drawing = '<section class="drawing"><h2>Neighbourhood</h2>' + frame(
        f"The relations around {name}", href("/draw", iri=description.iri, depth="1")) + "</section>"
    parts = [
        f'<h1 id="entity-label">{text(name)}</h1>',
        f'<p class="iri"><code>{text(description.iri)}</code></p>',
        f'<p class="types">{", ".join(entity_link(t) for t in types)}</p>' if types else "",
        drawing if drawn is True else
        f'<p class="hint">Not drawn: {text(drawn or "it is no entity of the relation graph")}.</p>',
        "<h2>What the graph says of it</h2>",
        _facts(description.outgoing, "Property", "Value", "outgoing"),
    ]
    if description.incoming:
        parts += ["<h2>Referred to by</h2>", _facts(description.incoming, "Property", "Subject", "incoming")]
    parts.append(path_form(description.iri, "", legend=f"Path from {name} to"))
    return shell(name, "\n".join(p for p in parts if p))


def _facts(facts, predicate_head: str, value_head: str, cls: str) -> str:
    rows = [f"<tr><td>{text(compact(f.predicate))}</td><td>{_value(f)}</td><td>{_evidence(f.evidence)}</td></tr>"
            for f in facts]
    head = f"<tr><th>{predicate_head}</th><th>{value_head}</th><th>Evidence</th></tr>"
    return f'<table class="facts {cls}">\n<thead>{head}</thead>\n<tbody>\n' + "\n".join(rows) + "\n</tbody></table>"


def _value(fact) -> str:
    if fact.kind == "iri":
        return entity_link(fact.value, fact.label)
    if fact.kind == "blank":
        return f'<span class="blank">{text(fact.value)}</span>'
    shown = text(fact.value)
    if fact.language:
        shown += f'<span class="lang">@{text(fact.language)}</span>'
    elif fact.datatype and fact.datatype not in _PLAIN_DATATYPES:
        shown += f'<span class="datatype">^^{text(compact(fact.datatype))}</span>'
    return f'<span class="literal">{shown}</span>'


def _evidence(evidence) -> str:
    items = []
    for ev in evidence:
        hedge = f'<span class="hedge">hedged: “{text(ev.hedge)}”</span>' if ev.hedge else ""
        items.append(f"<blockquote>{text(ev.sentence)}</blockquote><div class=\"source\">"
                     f"{entity_link(ev.article)}, sentence {int(ev.position)} {hedge}</div>")
    return "".join(items)


# -- the path page ------------------------------------------------------------------------

def path_form(start: str, end: str, legend: str = "Path between two entities") -> str:
    return f"""<form class="path" method="get" action="/path">
<fieldset><legend>{text(legend)}</legend>
<label>From <input name="from" value="{text(start)}" placeholder="a label, prefix:name or IRI" required></label>
<label>To <input name="to" value="{text(end)}" placeholder="a label, prefix:name or IRI" required></label>
<button type="submit">Find paths</button></fieldset></form>"""


def path_page(connection, start: str, end: str) -> str:
    from kgtool.pictures.connections import verdict

    if connection is None:
        return shell("kgtool: path", "<h1>How two entities connect</h1>\n" + path_form(start, end))
    parts = ["<h1>How two entities connect</h1>", path_form(start, end),
             f'<h2 id="verdict">{text(verdict(connection))}</h2>']
    if connection.found and not connection.same:
        if connection.shown < connection.total:
            parts.append(f"<p>Showing {connection.shown} of {connection.total} shortest paths.</p>")
        parts.append('<section class="drawing">' + frame("The paths", href("/draw", **{"from": start, "to": end}))
                     + "</section>")
        for number, hops in enumerate(connection.paths, 1):
            parts.append(f'<section class="one-path"><h3>Path {number}</h3><ol>'
                         + "".join(_hop(hop) for hop in hops) + "</ol></section>")
    return shell(f"kgtool: path from {connection.start_label} to {connection.end_label}", "\n".join(parts))


def _hop(hop) -> str:
    from kgtool.pictures.vocabulary import full_iri

    a, b = entity_link(full_iri(hop.start), hop.start_label), entity_link(full_iri(hop.end), hop.end_label)
    lines = []
    for rel in hop.relations:
        arrow = f"{a} —{text(rel.words)}→ {b}" if rel.forward else f"{a} ←{text(rel.words)}— {b}"
        evidence = "".join(
            f"<blockquote>{text(item['text'])}</blockquote><div class=\"source\">{entity_link(full_iri(item['article']))}"
            + (f", sentence {int(item['position'])}" if item.get("position") else "")
            + (f' <span class="hedge">hedged: “{text(item["hedge"])}”</span>' if item.get("hedge") else "")
            + "</div>" for item in rel.evidence) or '<div class="source">No evidence sentence recorded.</div>'
        lines.append(f'<div class="relation">{arrow} <code>{text(rel.predicate)}</code>{evidence}</div>')
    return "<li>" + "".join(lines) + "</li>"
