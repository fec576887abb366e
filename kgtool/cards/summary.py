"""What an addition did, in words: new, reused and hedged, and where it went."""

from __future__ import annotations

from kgtool.namespaces import compact
from kgtool.wording import count


def summarize(addition, dry_run: bool) -> str:
    compiled = addition.compiled
    new = [ref for ref in compiled.new if not ref.derived]
    lines = []
    if not addition.conforms:
        verb = "not added"
    elif dry_run:
        verb = "would add" if not addition.replaced else "would replace"
    else:
        verb = "added" if not addition.replaced else "replaced"
    lines.append(f"kgtool: {verb} {compact(compiled.graph)} ({addition.target}): "
                 f"{count(compiled.claims, 'claim')} from {count(len(compiled.sentences), 'sentence')}, "
                 f"{count(len(new), 'new entity', 'new entities')}, {count(len(compiled.reused), 'reused entity', 'reused entities')}, "
                 f"{count(len(compiled.hedges), 'hedge')}")
    if not addition.conforms:
        lines += _origins(addition)
    if new:
        lines.append("  new: " + ", ".join(f"{compact(r.iri)} ({r.label})" for r in new))
    if compiled.reused:
        lines.append("  reused: " + ", ".join(f"{compact(r.iri)} ({r.label})" for r in compiled.reused))
    if compiled.hedges:
        lines.append("  hedged: " + "; ".join(f"“{h}”" for h in compiled.hedges))
    return "\n".join(lines)


def _origins(addition) -> list[str]:
    """Where in the card the facts the shapes refused were written."""
    origins, lines = addition.compiled.origins, []
    for result in addition.report.results:
        focus, path = (_iri(result.focus), _iri(result.path))
        places = origins.get(f"{focus} {path}") or origins.get(focus) or []
        lines += [where for where in places[-1:] if where not in lines]
    return [f"  {where}: a fact the shapes refuse (see the report above)" for where in lines]


def _iri(shown: str) -> str:
    from kgtool.namespaces import expand

    shown = shown.strip()
    return shown[1:-1] if shown.startswith("<") else (expand(shown) or shown)
