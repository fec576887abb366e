"""kgtool at scale against its baselines, each ratio measured in the same run.

    python bench/scale.py [--sizes 10000,100000,1000000] [--repeat 3] [--pyshacl-max 100000]
                          [--pyshacl-timeout 3600] [--json FILE] [--plot FILE.svg] [--markdown]
                          [--only queries,validate,store-validate,memory,export] [--compact]

For each size, `kgtool generate` writes N-Triples (seed 7), plus ten more articles
(seed 8) to stand for an article added later. Then, kgtool against its baseline:

- load: kgtool's `load_into` against raw pyoxigraph `bulk_load`, both files (1.3x);
  with --compact, kgtool's load compacts its store (`kgtool load --compact`) and the
  raw one is left as bulk_load writes it;
- each named query and the whole set, on kgtool's store against the same SPARQL on
  the raw store, warmed up and alternated, best of --repeat (1.3x);
- full SHACL validation (the SPARQL engine, shapes already checked) against the
  hand-written queries of bench/handwritten-violations.rq on the raw store (1.5x),
  and against pySHACL up to --pyshacl-max triples (at most 1/40 of its time; pySHACL
  runs in a process of its own, stopped after --pyshacl-timeout seconds);
- incremental validation of the ten added articles against full validation;
- `kgtool validate --store DIR` against `kgtool validate --graph FILES` of the same
  files, whole commands end to end (wall time; the processes' CPU time printed beside),
  alternated, best of --repeat (1.2x: large archives live in stores);
- peak memory of a process that runs the query set, kgtool against raw (1.3x);
- Turtle export of the store against pyoxigraph's own Turtle writer (1.5x).

Prints each ratio against its target and says which miss; --json, --plot and
--markdown keep the numbers, draw how time and memory grow, and print the table
of bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import pyoxigraph as ox  # noqa: E402

from kgtool.namespaces import PREFIXES  # noqa: E402
from kgtool.paths import bundled  # noqa: E402
from kgtool.store.persistence import load_into  # noqa: E402
from kgtool.queries import bind_params, catalog  # noqa: E402
from kgtool.store import Store, open_store  # noqa: E402
from kgtool.synthetic import generate, ontology_quads  # noqa: E402

TARGETS = {"load": 1.3, "query": 1.3, "validate": 1.5, "pyshacl": 1 / 40, "memory": 1.3, "export": 1.5,
           "store": 1.2}
KGTOOL = Path(sys.executable).with_name("kgtool")
HANDWRITTEN = HERE / "handwritten-violations.rq"


def best(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def best_pair(ours, raw, repeat: int) -> tuple[float, float]:
    """Best times of two actions run in turns, so that noise hits both alike; warmed up
    once first unless --repeat is 1 (at 10M triples a warm-up costs minutes)."""
    if repeat > 1:
        ours(), raw()
    pairs = [(best(ours, 1), best(raw, 1)) for _ in range(repeat)]
    return min(p[0] for p in pairs), min(p[1] for p in pairs)


class Table:
    """Rows of (work, kgtool, baseline, ratio, target), printed as they come."""

    def __init__(self, size: int) -> None:
        self.size, self.rows, self.misses = size, {}, []
        print(f"  {'work':<40}{'kgtool':>10}{'baseline':>10}{'ratio':>8}  target")

    def add(self, work: str, ours: float, base: float, target: float | None, unit: str = "s") -> None:
        ratio = ours / base if base else float("inf")
        verdict = "" if target is None else ("ok" if ratio <= target else "MISS")
        shown = "" if target is None else f"<= {target:g}"
        print(f"  {work:<40}{ours:>9.3f}{unit}{base:>9.3f}{unit}{ratio:>8.3f}  {shown:<8} {verdict}", flush=True)
        self.rows[work] = {"kgtool": ours, "baseline": base, "ratio": ratio, "target": target, "unit": unit}
        if verdict == "MISS":
            self.misses.append(f"{self.size:,}: {work}")


def write_data(folder: Path, size: int) -> tuple[Path, Path]:
    data, added = folder / f"news-{size}.nt", folder / f"added-{size}.nt"
    with data.open("w", encoding="utf-8") as stream:
        generate(stream, size, 7, 0, list(ontology_quads(bundled("graph") / "ontology.ttl")), "ntriples")
    with added.open("w", encoding="utf-8") as stream:
        generate(stream, 2_000, 8, 0, [], "ntriples")
    return data, added


def bench_load(table: Table, files: list[Path], raw_dir: Path, our_dir: Path, repeat: int,
               compact: bool = False) -> None:
    def raw_load():
        shutil.rmtree(raw_dir, ignore_errors=True)
        store = ox.Store(str(raw_dir))
        for path in files:
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)

    def our_load():
        shutil.rmtree(our_dir, ignore_errors=True)
        load_into(our_dir, files, compact=compact)

    # Alternated, best of two unless --repeat is 1: one load each is at the mercy of the
    # neighbours on a shared machine (no warm-up: at 10M a load costs minutes).
    pairs = [(best(our_load, 1), best(raw_load, 1)) for _ in range(2 if repeat > 1 else 1)]
    table.add("load N-Triples", min(p[0] for p in pairs), min(p[1] for p in pairs), TARGETS["load"])


def bench_queries(table: Table, ours: Store, raw: ox.Store, repeat: int, numbers: set[str] | None = None) -> None:
    """Every named query (or those whose number is in `numbers`), then the set when it is all."""
    total_ours = total_raw = 0.0
    for name, query in catalog(bundled("queries")).items():
        if numbers is not None and name[:2] not in numbers:
            continue
        bindings = bind_params(query, {}, ours)
        subs = {ox.Variable(k): v for k, v in bindings.items()} or None
        ours_t, raw_t = best_pair(lambda: list(ours.query(query.text, bindings)),
                                  lambda: list(raw.query(query.text, prefixes=PREFIXES, substitutions=subs)), repeat)
        total_ours, total_raw = total_ours + ours_t, total_raw + raw_t
        table.add(f"query {name}", ours_t, raw_t, TARGETS["query"])
    if numbers is None:
        table.add("all named queries", total_ours, total_raw, TARGETS["query"])


def handwritten_queries() -> list[str]:
    chunks = HANDWRITTEN.read_text(encoding="utf-8").split("# ---")
    return [c for c in chunks if any(line.strip() and not line.lstrip().startswith("#") for line in c.splitlines())]


PYSHACL_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from kgtool.paths import bundled
from kgtool.store import Store, open_store
from kgtool.shacl.validation import load_shapes, validate_with
validate_with(open_store({store!r}), load_shapes([bundled("shapes")]), "shapes", engine="pyshacl")
"""


def pyshacl_seconds(store_dir: Path, timeout: float) -> tuple[float, bool]:
    """pySHACL's wall time on the store in a process of its own, and whether it finished
    (stopped at `timeout` it gives a lower bound: at a million triples it runs for most of an hour)."""
    script = PYSHACL_SCRIPT.format(root=str(HERE.parent), store=str(store_dir))
    start = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-c", script], check=True, timeout=timeout, capture_output=True)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, False
    return time.perf_counter() - start, True


def bench_validation(table: Table, ours: Store, raw: ox.Store, added: Path, pyshacl: bool, repeat: int,
                     store_dir: Path, timeout: float) -> None:
    from kgtool.shacl.increments import look_through, read_change, touched
    from kgtool.shacl.shapes import ShapesGraph
    from kgtool.shacl.validation import load_shapes, validate_with

    shapes = load_shapes([bundled("shapes")])
    queries = handwritten_queries()
    seen: dict[str, int] = {}

    def full():
        seen["kgtool"] = len(validate_with(ours, shapes, "shapes").results)

    def handwritten():
        seen["hand-written"] = sum(len(list(raw.query(q, prefixes=PREFIXES))) for q in queries)

    ours_t, raw_t = best_pair(full, handwritten, repeat)
    # Seeds 7 and 8 give some works two broadcasters: both sides must see those, and only those.
    print(f"  (violations: kgtool {seen['kgtool']}, hand-written rows {seen['hand-written']})")
    table.add("validate (SPARQL engine vs hand-written)", ours_t, raw_t, TARGETS["validate"])

    def incremental():
        scope = touched(ours, read_change(added), look_through(ShapesGraph(shapes.backend)))
        return validate_with(ours, shapes, "shapes", focus=scope.nodes)

    incremental_t = best(incremental, repeat)
    table.add("validate 10 added articles vs all", incremental_t, ours_t, None)
    if pyshacl:
        reference_t, finished = pyshacl_seconds(store_dir, timeout)
        if not finished:
            print(f"  (pySHACL stopped after {reference_t:.0f} s: the ratio below is an upper bound)")
        table.add("validate (SPARQL engine vs pySHACL)", ours_t, reference_t, TARGETS["pyshacl"])


def command_seconds(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one whole kgtool command, its output thrown away."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([str(KGTOOL), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: the graph does not conform, a finished check
        raise RuntimeError(f"kgtool {' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_store_validation(table: Table, files: list[Path], store_dir: Path, repeat: int) -> None:
    """`validate --store` against `validate --graph` of the files it was loaded from, end to end."""
    from_store = ["validate", "--store", str(store_dir)]
    from_files = ["validate", *(arg for path in files for arg in ("--graph", str(path)))]
    runs = [(command_seconds(from_store), command_seconds(from_files)) for _ in range(max(repeat, 2))]
    store_wall, files_wall = min(r[0][0] for r in runs), min(r[1][0] for r in runs)
    store_cpu, files_cpu = min(r[0][1] for r in runs), min(r[1][1] for r in runs)
    # CPU time too: on a shared machine it moves less than wall time, and tells noise from cost.
    print(f"  (CPU seconds: validate --store {store_cpu:.2f}, --graph {files_cpu:.2f}, "
          f"ratio {store_cpu / files_cpu:.3f})")
    table.add("validate --store vs --graph (command)", store_wall, files_wall, TARGETS["store"])


MEMORY_SCRIPT = """
import resource, sys
sys.path.insert(0, {root!r})
import pyoxigraph as ox
from kgtool.namespaces import PREFIXES
from kgtool.paths import bundled
from kgtool.queries import bind_params, catalog
from kgtool.store import Store, open_store
if {ours}:
    store = open_store({store!r})
    for query in catalog(bundled("queries")).values():
        list(store.query(query.text, bind_params(query, {{}}, store)))
else:
    store = ox.Store.read_only({store!r})
    probe = Store(store, merged=True)
    for query in catalog(bundled("queries")).values():
        subs = {{ox.Variable(k): v for k, v in bind_params(query, {{}}, probe).items()}} or None
        list(store.query(query.text, prefixes=PREFIXES, substitutions=subs))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_memory(store_dir: Path, ours: bool) -> float:
    """MiB at peak in a fresh process that runs every named query once."""
    script = MEMORY_SCRIPT.format(root=str(HERE.parent), ours=ours, store=str(store_dir))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) / 1024


def bench_memory(table: Table, our_dir: Path, raw_dir: Path, repeat: int) -> None:
    # The raw side also opens kgtool's store once, to bind the same parameters: it pays
    # for kgtool's imports too, so what differs is what kgtool does around each query.
    runs = 2 if repeat > 1 else 1
    ours = min(peak_memory(our_dir, True) for _ in range(runs))
    raw = min(peak_memory(raw_dir, False) for _ in range(runs))
    table.add("peak memory running the queries", ours, raw, TARGETS["memory"], unit="M")


def bench_export(table: Table, ours: Store, raw: ox.Store, repeat: int) -> None:
    from kgtool.store.serialization import serialize_store

    ours_t, raw_t = best_pair(lambda: serialize_store(ours, "turtle"),
                              lambda: raw.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(),
                                               prefixes=PREFIXES), min(repeat, 2))
    table.add("export Turtle", ours_t, raw_t, TARGETS["export"])


def run_size(size: int, args, folder: Path) -> Table:
    data, added = write_data(folder, size)
    print(f"\n{size:,} statements ({data.stat().st_size / 1e6:.0f} MB N-Triples) and 10 added articles")
    table = Table(size)
    raw_dir, our_dir = folder / f"raw-{size}", folder / f"ours-{size}"
    bench_load(table, [data, added], raw_dir, our_dir, args.repeat, args.compact)  # always: the rest needs the stores
    ours, raw = open_store(our_dir), ox.Store.read_only(str(raw_dir))
    parts = PARTS if args.only is None else args.only.split(",")
    if "queries" in parts:
        bench_queries(table, ours, raw, args.repeat)
    if "validate" in parts:
        bench_validation(table, ours, raw, added, size <= args.pyshacl_max, args.repeat, our_dir,
                         args.pyshacl_timeout)
    if "store-validate" in parts:
        bench_store_validation(table, [data, added], our_dir, args.repeat)
    if "memory" in parts:
        bench_memory(table, our_dir, raw_dir, args.repeat)
    if "export" in parts:
        bench_export(table, ours, raw, args.repeat)
    del ours, raw
    for path in (data, added, raw_dir, our_dir):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    return table


PARTS = ("queries", "validate", "store-validate", "memory", "export")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pyshacl-max", type=int, default=100_000, help="largest size pySHACL runs on")
    parser.add_argument("--pyshacl-timeout", type=float, default=3600, help="stop pySHACL after this many seconds")
    parser.add_argument("--json", type=Path, help="write every number to this file")
    parser.add_argument("--plot", type=Path, help="draw time and memory against size (SVG)")
    parser.add_argument("--markdown", action="store_true", help="print the summary table as Markdown")
    parser.add_argument("--only", help="run only these parts after the load, comma-separated: " + ",".join(PARTS))
    parser.add_argument("--compact", action="store_true", help="kgtool's store loaded with --compact (the raw one not)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kgtool-scale-"))
    tables = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            tables.append(run_size(size, args, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    results = {t.size: t.rows for t in tables}
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if args.plot:
        from plot import draw

        args.plot.write_text(draw(results), encoding="utf-8")
    if args.markdown:
        from plot import markdown

        print("\n" + markdown(results))
    misses = [m for t in tables for m in t.misses]
    print("\nmisses: " + (", ".join(misses) if misses else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
