"""kgtool's store at one size: adding articles, and stats, each against a baseline of the same run.

    python bench/store.py [--size 1000000] [--repeat 3]

- add: `load_into` of ten generated articles (seed 8, TriG, 2,148 statements) into a
  store of --size triples, against the same add into an empty store (target 1.5x:
  an add costs what it adds, not what the store holds). Each add starts from a fresh
  copy of the store, made outside the timing.
- stats: `kgtool stats`'s counts (`statistics(open_store(...))`, run in a killable
  worker) on that store with the articles in, against the same SPARQL aggregates run
  straight on a raw pyoxigraph read-only store (target 2x).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import pyoxigraph as ox  # noqa: E402

from kgtool.namespaces import PREFIXES  # noqa: E402
from kgtool.paths import bundled  # noqa: E402
from kgtool.statistics import QUERIES, statistics  # noqa: E402
from kgtool.store import open_store  # noqa: E402
from kgtool.store.persistence import load_into  # noqa: E402
from kgtool.synthetic import generate, ontology_quads  # noqa: E402
from scale import Table, best_pair  # noqa: E402

TARGETS = {"add": 1.5, "stats": 2.0}


def write_data(folder: Path, size: int) -> tuple[Path, Path]:
    data, articles = folder / f"news-{size}.nt", folder / "articles.trig"
    with data.open("w", encoding="utf-8") as stream:
        generate(stream, size, 7, 0, list(ontology_quads(bundled("graph") / "ontology.ttl")), "ntriples")
    with articles.open("w", encoding="utf-8") as stream:
        generate(stream, 2_000, 8, 0, [], "trig")
    return data, articles


def bench_add(table: Table, folder: Path, base: Path, articles: Path, repeat: int) -> None:
    empty = folder / "empty.store"
    target = folder / "target.store"

    def fresh_copy() -> None:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(base, target)
        shutil.rmtree(empty, ignore_errors=True)

    def into_big() -> None:
        load_into(target, [articles])

    def into_empty() -> None:
        load_into(empty, [articles])

    pairs = []
    for _ in range(repeat):
        fresh_copy()
        pairs.append(best_pair(into_big, into_empty, 1))
    table.add("add 10 articles (big store vs empty)", min(p[0] for p in pairs), min(p[1] for p in pairs),
              TARGETS["add"])


def bench_stats(table: Table, store_dir: Path, repeat: int) -> None:
    ours = open_store(store_dir)
    raw = ox.Store.read_only(str(store_dir))

    def raw_counts() -> None:
        for text in QUERIES.values():
            list(raw.query(text, prefixes=PREFIXES))

    table.add("stats", *best_pair(lambda: statistics(ours), raw_counts, repeat), TARGETS["stats"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio misses its target")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kgtool-bench-store-"))
    try:
        data, articles = write_data(folder, options.size)
        base = folder / "base.store"
        load_into(base, [data])
        print(f"{options.size:,} triples, 10 articles of {len(list(ox.parse(path=str(articles)))):,} statements")
        table = Table(options.size)
        bench_add(table, folder, base, articles, options.repeat)
        with_articles = folder / "with-articles.store"
        shutil.copytree(base, with_articles)
        load_into(with_articles, [articles])
        bench_stats(table, with_articles, options.repeat)
        return 1 if table.misses and options.strict else 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
