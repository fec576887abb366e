"""The scale benchmark's numbers as a Markdown table and an SVG chart (no plotting library:
the chart is a few lines and circles, so the benchmark needs nothing beyond kgtool)."""

from __future__ import annotations

import math

SERIES = [  # (row of bench/scale.py, label, colour) for the time chart
    ("load N-Triples", "load", "#0072B2"),
    ("all named queries", "25 named queries", "#E69F00"),
    ("validate (SPARQL engine vs hand-written)", "validate (all)", "#009E73"),
    ("validate 10 added articles vs all", "validate (10 added articles)", "#CC79A7"),
    ("export Turtle", "export Turtle", "#D55E00"),
]
TABLE = [  # (row, column heading, which time to show; the ratio is always kgtool / baseline)
    ("load N-Triples", "load", "kgtool"), ("all named queries", "25 queries", "kgtool"),
    ("validate (SPARQL engine vs hand-written)", "validate", "kgtool"),
    ("validate (SPARQL engine vs pySHACL)", "pySHACL's time", "baseline"),
    ("validate 10 added articles vs all", "10 added articles", "kgtool"),
    ("peak memory running the queries", "peak memory", "kgtool"), ("export Turtle", "export Turtle", "kgtool"),
]


def markdown(results: dict) -> str:
    """One row per size: kgtool's number, and in brackets its ratio to the baseline."""
    lines = ["| triples | " + " | ".join(h for _, h, _ in TABLE) + " |", "|---:|" + "---:|" * len(TABLE)]
    for size, rows in sorted(results.items(), key=lambda kv: int(kv[0])):
        cells = []
        for key, _, shown in TABLE:
            row = rows.get(key)
            cells.append("—" if row is None else f"{row[shown]:.2f} {row['unit']} ({row['ratio']:.3f})")
        lines.append(f"| {int(size):,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def draw(results: dict) -> str:
    sizes = sorted(int(s) for s in results)
    rows = {int(s): r for s, r in results.items()}
    times = _panel("seconds (log scale)", sizes, [
        (label, colour, [rows[s][key]["kgtool"] for s in sizes if key in rows[s]]) for key, label, colour in SERIES], 60)
    memory = _panel("peak MiB running the queries (log scale)", sizes, [
        ("kgtool", "#0072B2", [rows[s]["peak memory running the queries"]["kgtool"] for s in sizes]),
        ("raw pyoxigraph", "#999999", [rows[s]["peak memory running the queries"]["baseline"] for s in sizes])], 520)
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="960" height="470" font-family="sans-serif" font-size="12">'
            '<rect width="960" height="470" fill="white"/>' + times + memory + "</svg>\n")


def _panel(title: str, sizes: list[int], series: list, left: int) -> str:
    width, height, top = 380, 260, 40
    values = [v for _, _, vs in series for v in vs if v > 0]
    lo, hi = math.log10(min(values)) - 0.1, math.log10(max(values)) + 0.1
    xlo, xhi = math.log10(min(sizes)), math.log10(max(sizes)) if len(sizes) > 1 else math.log10(min(sizes)) + 1
    x = lambda s: left + (math.log10(s) - xlo) / (xhi - xlo or 1) * width  # noqa: E731
    y = lambda v: top + height - (math.log10(v) - lo) / (hi - lo) * height  # noqa: E731
    out = [f'<text x="{left}" y="{top - 15}" font-weight="bold">{title}</text>',
           f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="none" stroke="#ccc"/>']
    for s in sizes:
        out.append(f'<text x="{x(s):.0f}" y="{top + height + 16}" text-anchor="middle">{s:,}</text>')
    for exponent in range(math.ceil(lo), math.floor(hi) + 1):
        out.append(f'<text x="{left - 6}" y="{y(10 ** exponent) + 4:.0f}" text-anchor="end">{10 ** exponent:g}</text>')
    for n, (label, colour, vs) in enumerate(series):
        points = " ".join(f"{x(s):.1f},{y(v):.1f}" for s, v in zip(sizes, vs) if v > 0)
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        out += [f'<circle cx="{x(s):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>' for s, v in zip(sizes, vs) if v > 0]
        out.append(f'<text x="{left + 10}" y="{top + height + 40 + 16 * n}" fill="{colour}">— {label}</text>')
    out.append(f'<text x="{left + width}" y="{top + height + 30}" text-anchor="end">triples</text>')
    return "".join(out)


def main() -> int:
    """Merge the --json files of several runs (say 10k-1M, then 10M alone) into one table and chart."""
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("runs", nargs="+", type=Path, help="files written by scale.py --json")
    parser.add_argument("--svg", type=Path, required=True)
    args = parser.parse_args()
    results: dict = {}
    for path in args.runs:
        results.update(json.loads(path.read_text(encoding="utf-8")))
    args.svg.write_text(draw(results), encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
