"""Time `kgtool export` in every format against pyoxigraph's own writer, at one size.

    python bench/export.py --triples 1000000 [--repeat 3] [--no-store]

The data is `kgtool generate --triples N` as N-Quads (one named graph per article,
the ontology in the default graph). For each format, kgtool's export (sorted,
canonical, the same bytes every time) is timed against `Store.dump` of raw
pyoxigraph in the same format on the same data (triple formats: a raw store that
holds the merged triples in its default graph, as kgtool writes them). Both sides
start from a store already loaded: first in memory (`--graph` files), then on disk
(`--store`), each against a raw store of the same kind. Best of --repeat, the two
sides in turns; wall time, and the process's CPU time beside it (the machine is
shared: CPU time is what other work disturbs least). Then the whole command from
the file, as a user runs it, against pyoxigraph converting the same file alone.
Target: every ratio <= 2.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kgtool.namespaces import PREFIXES  # noqa: E402
from kgtool.store import load, open_store  # noqa: E402
from kgtool.store.formats import RDF_FORMATS  # noqa: E402
from kgtool.store.serialization import serialize_store  # noqa: E402

TARGET = 2.0


def timed(action) -> tuple[float, float]:
    """(wall, cpu) seconds of one call, with the garbage collector out of the way alike."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def best_pair(ours, raw, repeat: int):
    pairs = [(timed(ours), timed(raw)) for _ in range(repeat)]
    return tuple(min(p[side][kind] for p in pairs) for side in (0, 1) for kind in (0, 1))


def raw_dump(store: ox.Store, fmt: str) -> bytes:
    spec = RDF_FORMATS[fmt]
    options = {} if fmt in ("ntriples", "nquads") else {"prefixes": PREFIXES}
    if not spec.datasets:
        options["from_graph"] = ox.DefaultGraph()
    return store.dump(format=getattr(ox.RdfFormat, spec.oxigraph), **options)


def raw_stores(data: Path, folder: Path | None) -> tuple[ox.Store, ox.Store]:
    """Raw pyoxigraph: the quads as they are, and their triples merged into the default graph."""
    quads = ox.Store(str(folder / "raw-quads")) if folder else ox.Store()
    quads.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    merged = ox.Store(str(folder / "raw-triples")) if folder else ox.Store()
    triples = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    merged.bulk_load(triples, format=ox.RdfFormat.N_TRIPLES)
    return quads, merged


def run(kind: str, ours, quads: ox.Store, merged: ox.Store, repeat: int) -> list[str]:
    misses = []
    print(f"\n{kind}\n  {'format':<10}{'kgtool':>9}{'raw':>9}{'ratio':>8}   {'cpu':>7}{'cpu raw':>9}{'ratio':>8}")
    for fmt, spec in RDF_FORMATS.items():
        raw = quads if spec.datasets else merged
        ow, oc, rw, rc = best_pair(lambda: serialize_store(ours, fmt), lambda: raw_dump(raw, fmt), repeat)
        verdict = "ok" if min(ow / rw, oc / rc) <= TARGET else "MISS"
        print(f"  {fmt:<10}{ow:>8.2f}s{rw:>8.2f}s{ow / rw:>8.2f}   {oc:>6.2f}s{rc:>8.2f}s{oc / rc:>8.2f}  {verdict}",
              flush=True)
        if verdict == "MISS":
            misses.append(f"{kind} {fmt}")
    return misses


def run_commands(data: Path, folder: Path, repeat: int) -> list[str]:
    """The whole command a user runs, `kgtool export -g FILE -f FMT -o OUT`, against the same
    conversion in pyoxigraph alone (parse the file, write it: its serializer streaming, no
    order kept), each a fresh process, so reading the file and starting up count on both sides."""
    misses = []
    print(f"\nwhole commands, from the file\n  {'format':<10}{'kgtool':>9}{'raw':>9}{'ratio':>8}")
    for fmt, spec in RDF_FORMATS.items():
        out = folder / f"out-{fmt}"
        ours = [sys.executable, "-m", "kgtool", "export", "-g", str(data), "-f", fmt, "-o", str(out)]
        raw = [sys.executable, "-c", RAW_CONVERSION, str(data), spec.oxigraph, str(int(spec.datasets)), str(out)]
        pairs = [(timed(lambda: subprocess.run(ours, check=True, cwd=HERE.parent, stderr=subprocess.DEVNULL))[0],
                  timed(lambda: subprocess.run(raw, check=True))[0]) for _ in range(repeat)]
        ow, rw = min(p[0] for p in pairs), min(p[1] for p in pairs)
        verdict = "ok" if ow / rw <= TARGET else "MISS"
        print(f"  {fmt:<10}{ow:>8.2f}s{rw:>8.2f}s{ow / rw:>8.2f}  {verdict}", flush=True)
        if verdict == "MISS":
            misses.append(f"whole command {fmt}")
    return misses


RAW_CONVERSION = """
import sys, pyoxigraph as ox
from kgtool.namespaces import PREFIXES
source, fmt, datasets, out = sys.argv[1], getattr(ox.RdfFormat, sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
quads = ox.parse(path=source, format=ox.RdfFormat.N_QUADS)
items = quads if datasets else (q.triple for q in quads)
options = {} if sys.argv[2] in ("N_TRIPLES", "N_QUADS") else {"prefixes": PREFIXES}
ox.serialize(items, output=out, format=fmt, **options)
"""


def blank_graph(path: Path, size: int) -> None:
    """A list of `size` items, a tree `size` deep, and `size` sibling blank nodes, as N-Triples."""
    rdf, schema = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "https://schema.org/"
    lines = [f"<https://kgtool.example/id/work/list> <{schema}keywords> _:l0 ."]
    for i in range(size):
        rest = f"_:l{i + 1}" if i + 1 < size else f"<{rdf}nil>"
        lines += [f'_:l{i} <{rdf}first> "item {i}" .', f"_:l{i} <{rdf}rest> {rest} ."]
    lines.append(f"<https://kgtool.example/id/work/tree> <{schema}hasPart> _:t0 .")
    lines += [f"_:t{i} <{schema}hasPart> _:t{i + 1} ." for i in range(size)]
    lines += [f'<https://kgtool.example/id/work/many> <{schema}actor> _:a{i} .\n_:a{i} <{schema}name> "A{i % 10}" .'
              for i in range(size)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_blank(folder: Path, size: int) -> None:
    """Export of blank-node trees against pyoxigraph reading the same file (no labelling)."""
    path = folder / "blank.nt"
    blank_graph(path, size)
    parse = timed(lambda: ox.Store().load(path=str(path), format=ox.RdfFormat.N_TRIPLES))
    ours = load([path])
    print(f"\nblank nodes: a {size:,}-long list, a tree {size:,} deep, {size:,} siblings "
          f"({path.stat().st_size / 1e6:.0f} MB); pyoxigraph reads it in {parse[0]:.2f}s")
    for fmt in ("ntriples", "turtle", "trig"):
        wall, _ = timed(lambda: serialize_store(ours, fmt))
        print(f"  {fmt:<10}{wall:>8.2f}s  {wall / parse[0]:>6.2f} times the read")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-store", action="store_true", help="time only the in-memory case")
    parser.add_argument("--blank", type=int, default=100_000, help="size of the blank-node graph (0: none)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio misses its target")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kgtool-bench-export-"))
    try:
        if args.triples == 0:  # the blank-node graph alone
            return run_blank(folder, args.blank) or 0
        data = folder / "data.nq"
        subprocess.run([sys.executable, "-m", "kgtool", "generate", "--triples", str(args.triples), "-o", str(data)],
                       check=True, cwd=HERE.parent)
        misses = run("from files (in memory)", load([data]), *raw_stores(data, None), args.repeat)
        misses += run_commands(data, folder, args.repeat)
        if not args.no_store:
            subprocess.run([sys.executable, "-m", "kgtool", "load", str(data), "--store", str(folder / "ours")],
                           check=True, cwd=HERE.parent, stderr=subprocess.DEVNULL)
            misses += run("from a store (on disk)", open_store(folder / "ours"), *raw_stores(data, folder),
                          args.repeat)
        if args.blank:
            run_blank(folder, args.blank)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\nall within the target" if not misses else "\nmissed: " + ", ".join(misses))
    return 1 if misses and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
