"""kgtool at scale against raw pyoxigraph, each ratio measured in the same run.

    python bench/scale.py [--sizes 100000,1000000] [--repeat 3]

For each size: `kgtool generate` writes N-Triples; raw `Store.bulk_load` and
kgtool's `load` (the core of `kgtool load`) each build a store on disk from it;
then every named query (default parameters) and the whole set run on both
stores, best of --repeat. Prints each ratio against its target and says which
miss. Not yet measured here: validation, peak memory, Turtle export.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox  # noqa: E402

from kgtool.namespaces import PREFIXES  # noqa: E402
from kgtool.paths import bundled  # noqa: E402
from kgtool.persistence import load_into  # noqa: E402
from kgtool.queries import bind_params, catalog  # noqa: E402
from kgtool.store import Store  # noqa: E402
from kgtool.synthetic import generate, ontology_quads  # noqa: E402

TARGETS = {"load": 1.3, "query": 1.3}


def best(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def best_pair(ours, raw, repeat: int) -> tuple[float, float]:
    """Best times of two actions, warmed up once and run in turns so that noise hits both alike."""
    ours(), raw()
    pairs = [(best(ours, 1), best(raw, 1)) for _ in range(repeat)]
    return min(p[0] for p in pairs), min(p[1] for p in pairs)


def row(work: str, ours: float, raw: float, target: float) -> bool:
    ratio = ours / raw if raw else float("inf")
    ok = ratio <= target
    print(f"  {work:<34}{ours:>9.3f}{raw:>9.3f}{ratio:>8.2f}  <= {target}  {'ok' if ok else 'MISS'}")
    return ok


def run_size(size: int, repeat: int, folder: Path) -> list[str]:
    data = folder / f"news-{size}.nt"
    with data.open("w", encoding="utf-8") as stream:
        generate(stream, size, 7, 0, list(ontology_quads(bundled("graph") / "ontology.ttl")), "ntriples")
    print(f"\n{size:,} statements ({data.stat().st_size / 1e6:.0f} MB N-Triples)")
    print(f"  {'work':<34}{'kgtool':>9}{'raw':>9}{'ratio':>8}  target")
    misses = []
    raw_dir, our_dir = folder / f"raw-{size}", folder / f"ours-{size}"

    def raw_load():
        shutil.rmtree(raw_dir, ignore_errors=True)
        ox.Store(str(raw_dir)).bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)

    def our_load():
        shutil.rmtree(our_dir, ignore_errors=True)
        load_into(our_dir, [data])

    if not row("load N-Triples", best(our_load, 1), best(raw_load, 1), TARGETS["load"]):
        misses.append(f"{size}: load")
    raw, ours = ox.Store.read_only(str(raw_dir)), Store.open(our_dir)
    total_ours = total_raw = 0.0
    for name, query in catalog(bundled("queries")).items():
        bindings = bind_params(query, {}, ours)
        subs = {ox.Variable(k): v for k, v in bindings.items()} or None
        ours_t, raw_t = best_pair(lambda: list(ours.query(query.text, bindings)),
                                  lambda: list(raw.query(query.text, prefixes=PREFIXES, substitutions=subs)), repeat)
        total_ours, total_raw = total_ours + ours_t, total_raw + raw_t
        if not row(f"query {name}", ours_t, raw_t, TARGETS["query"]):
            misses.append(f"{size}: query {name}")
    if not row("all named queries", total_ours, total_raw, TARGETS["query"]):
        misses.append(f"{size}: query set")
    return misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kgtool-scale-"))
    misses = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            misses += run_size(size, args.repeat, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\nmisses: " + (", ".join(misses) if misses else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
