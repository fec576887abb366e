"""Time `kgtool export` in every format against pyoxigraph's own writer, at one size.

    python bench/export.py --triples 1000000 [--repeat 3] [--no-store]

The data is `kgtool generate --triples N` as N-Quads (one named graph per article,
the ontology in the default graph), and the same graph merged as N-Triples. Each side
gets the input the user gives, and the same work is asked of both but the order:
- from files: kgtool's export of the file (parsed, sorted, canonical, the same bytes
  every time; no store) against pyoxigraph parsing the file and writing it in that
  format, in the order it came (triple formats: the quads' triples, which pyoxigraph
  only gets by a Python generator; so the N-Triples file too, where it needs none);
- from a store: kgtool's export of a store made by `kgtool load` against `Store.dump`
  of a raw pyoxigraph store on disk of the same data (triple formats: a raw store that
  holds the merged triples in its default graph, as kgtool writes them);
- whole commands: `kgtool export -g FILE` (and `--store DIR`) as a user runs it, each a
  fresh process, against a fresh Python doing the raw conversion (or dump) to a file.
Best of --repeat, the two sides in turns; wall time, and the CPU time of the process and
of the children it waited for beside it (the machine is shared: CPU time is what other
work disturbs least; kgtool checks big files strictly in a child, on another core, so
its CPU time is above its wall time). The bytes from
the file and from the store are compared (they must be the same). Target: every ratio <= 2.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
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
from kgtool.store import open_store  # noqa: E402
from kgtool.store.formats import RDF_FORMATS, rdf_format_for_path  # noqa: E402
from kgtool.store.ingest import Source  # noqa: E402
from kgtool.store.serialization import serialize_files, serialize_store  # noqa: E402

TARGET = 2.0
TRIPLE_FORMATS = [name for name, spec in RDF_FORMATS.items() if not spec.datasets]


def timed(action) -> tuple[float, float]:
    """(wall, cpu) seconds of one call, with the garbage collector out of the way alike. CPU
    time counts the children the call waited for (kgtool's strict check of big files)."""
    gc.collect()
    wall, cpu = time.perf_counter(), _cpu()
    action()
    return time.perf_counter() - wall, _cpu() - cpu


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def best_pair(ours, raw, repeat: int):
    pairs = [(timed(ours), timed(raw)) for _ in range(repeat)]
    return tuple(min(p[side][kind] for p in pairs) for side in (0, 1) for kind in (0, 1))


def raw_dump(store: ox.Store, fmt: str) -> bytes:
    spec = RDF_FORMATS[fmt]
    options = {} if fmt in ("ntriples", "nquads") else {"prefixes": PREFIXES}
    if not spec.datasets:
        options["from_graph"] = ox.DefaultGraph()
    return store.dump(format=getattr(ox.RdfFormat, spec.oxigraph), **options)


def raw_conversion(path: Path, fmt: str, output=None):
    """pyoxigraph alone: parse the file, write it in `fmt` (its writer streaming, no order)."""
    spec, source = RDF_FORMATS[fmt], rdf_format_for_path(path)
    quads = ox.parse(path=str(path), format=getattr(ox.RdfFormat, source.oxigraph))
    items = quads if spec.datasets or not source.datasets else (q.triple for q in quads)
    options = {} if fmt in ("ntriples", "nquads") else {"prefixes": PREFIXES}
    return ox.serialize(items, output, format=getattr(ox.RdfFormat, spec.oxigraph), **options)


def raw_stores(data: Path, folder: Path) -> tuple[ox.Store, ox.Store]:
    """Raw pyoxigraph on disk: the quads as they are, and their triples merged into the default graph."""
    quads = ox.Store(str(folder / "raw-quads"))
    quads.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    merged = ox.Store(str(folder / "raw-triples"))
    triples = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    merged.bulk_load(triples, format=ox.RdfFormat.N_TRIPLES)
    return quads, merged


def report(kind: str, rows) -> list[str]:
    """Print (format, ours, raw) rows, wall and CPU, with the verdict; the misses."""
    misses, rows = [], list(rows)
    cpu_head = f"   {'cpu':>7}{'cpu raw':>9}{'ratio':>8}" if any(row[1][3] for row in rows) else ""
    print(f"\n{kind}\n  {'format':<10}{'kgtool':>9}{'raw':>9}{'ratio':>8}{cpu_head}")
    for fmt, (ow, oc, rw, rc) in rows:
        cpu = f"   {oc:>6.2f}s{rc:>8.2f}s{oc / rc:>8.2f}" if rc else ""
        verdict = "ok" if min(ow / rw, oc / rc if rc else ow / rw) <= TARGET else "MISS"
        print(f"  {fmt:<10}{ow:>8.2f}s{rw:>8.2f}s{ow / rw:>8.2f}{cpu}  {verdict}", flush=True)
        if verdict == "MISS":
            misses.append(f"{kind}: {fmt}")
    return misses


def run_files(data: Path, formats, repeat: int, digests: dict) -> list[str]:
    sources = [Source(data, rdf_format_for_path(data))]
    rows = []
    for fmt in formats:
        digests[(data.suffix, fmt)] = hashlib.sha256(serialize_files(sources, fmt)[0]).hexdigest()
        rows.append((fmt, best_pair(lambda: serialize_files(sources, fmt), lambda: raw_conversion(data, fmt), repeat)))
    return report(f"from the file {data.name} (no store: parse, sort, write)", rows)


def run_store(directory: Path, data: Path, folder: Path, repeat: int, digests: dict) -> list[str]:
    ours, (quads, merged) = open_store(directory), raw_stores(data, folder)
    rows, differ = [], []
    for fmt, spec in RDF_FORMATS.items():
        if hashlib.sha256(serialize_store(ours, fmt)).hexdigest() != digests.get((data.suffix, fmt)):
            differ.append(fmt)
        raw = quads if spec.datasets else merged
        rows.append((fmt, best_pair(lambda: serialize_store(ours, fmt), lambda: raw_dump(raw, fmt), repeat)))
    misses = report("from a store on disk", rows)
    print("  the same bytes from the file and from the store: " + ("yes" if not differ else "NO: " + ", ".join(differ)))
    return misses + [f"store and file differ in {fmt}" for fmt in differ]


def run_commands(data: Path, store: Path | None, folder: Path, repeat: int) -> list[str]:
    """The whole command a user runs, against the same conversion (or dump) in a fresh Python
    with pyoxigraph alone: reading the input and starting up count on both sides."""
    misses = []
    for where, given in (("the file", ["-g", str(data)]), ("the store", ["--store", str(store)] if store else None)):
        if given is None:
            continue
        rows = []
        for fmt, spec in RDF_FORMATS.items():
            out = folder / f"out-{fmt}"
            ours = [sys.executable, "-m", "kgtool", "export", *given, "-f", fmt, "-o", str(out)]
            script = RAW_CONVERSION if store is None or where == "the file" else RAW_DUMP
            raw = [sys.executable, "-c", script, str(data if where == "the file" else folder), fmt, str(out)]
            pairs = [(_run(ours), _run(raw)) for _ in range(repeat)]
            rows.append((fmt, (min(p[0] for p in pairs), 0.0, min(p[1] for p in pairs), 0.0)))
        misses += report(f"whole commands, from {where} (wall only: fresh processes)", rows)
    return misses


def _run(command: list[str]) -> float:
    return timed(lambda: subprocess.run(command, check=True, cwd=HERE.parent, stderr=subprocess.DEVNULL))[0]


RAW_CONVERSION = """
import sys
from pathlib import Path
sys.path.insert(0, "bench")
from export import raw_conversion
raw_conversion(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
"""
RAW_DUMP = """
import sys, pyoxigraph as ox
from kgtool.namespaces import PREFIXES
from kgtool.store.formats import RDF_FORMATS
spec = RDF_FORMATS[sys.argv[2]]
store = ox.Store.read_only(sys.argv[1] + ("/raw-quads" if spec.datasets else "/raw-triples"))
options = {} if sys.argv[2] in ("ntriples", "nquads") else {"prefixes": PREFIXES}
if not spec.datasets:
    options["from_graph"] = ox.DefaultGraph()
store.dump(sys.argv[3], format=getattr(ox.RdfFormat, spec.oxigraph), **options)
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
    sources = [Source(path, rdf_format_for_path(path))]
    print(f"\nblank nodes: a {size:,}-long list, a tree {size:,} deep, {size:,} siblings "
          f"({path.stat().st_size / 1e6:.0f} MB); pyoxigraph reads it in {parse[0]:.2f}s")
    for fmt in ("ntriples", "turtle", "trig"):
        wall, _ = timed(lambda: serialize_files(sources, fmt))
        print(f"  {fmt:<10}{wall:>8.2f}s  {wall / parse[0]:>6.2f} times the read")


def generate(folder: Path, triples: int) -> tuple[Path, Path]:
    """The data as N-Quads, and the same graph merged as N-Triples."""
    data = folder / "data.nq"
    subprocess.run([sys.executable, "-m", "kgtool", "generate", "--triples", str(triples), "-o", str(data)],
                   check=True, cwd=HERE.parent)
    merged = folder / "data.nt"
    merged.write_bytes(serialize_files([Source(data, rdf_format_for_path(data))], "ntriples")[0])
    return data, merged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-store", action="store_true", help="time only the export from files")
    parser.add_argument("--no-commands", action="store_true", help="skip the whole commands")
    parser.add_argument("--blank", type=int, default=100_000, help="size of the blank-node graph (0: none)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio misses its target")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kgtool-bench-export-"))
    try:
        if args.triples == 0:  # the blank-node graph alone
            return run_blank(folder, args.blank) or 0
        data, merged = generate(folder, args.triples)
        digests: dict = {}
        misses = run_files(data, RDF_FORMATS, args.repeat, digests)
        misses += run_files(merged, TRIPLE_FORMATS, args.repeat, digests)
        store = None
        if not args.no_store:
            store = folder / "ours"
            subprocess.run([sys.executable, "-m", "kgtool", "load", str(data), "--store", str(store)],
                           check=True, cwd=HERE.parent, stderr=subprocess.DEVNULL)
            misses += run_store(store, data, folder, args.repeat, digests)
        if not args.no_commands:
            misses += run_commands(data, store, folder, args.repeat)
        if args.blank:
            run_blank(folder, args.blank)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\nall within the target" if not misses else "\nmissed: " + "; ".join(misses))
    return 1 if misses and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
