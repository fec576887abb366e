"""Rerun some named queries of scale.py alone, best of 3 after a warm-up, at one size.

For a query that missed in a long run (at 10M a run uses --repeat 1, with no
warm-up): `python bench/rerun_queries.py --size 10000000 --queries 01,06,13`.
It generates and loads the same data as scale.py, in a temporary folder.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

import scale
from kgtool.store import Store, open_store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", required=True, help="query numbers, comma-separated: 01,06")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kgtool-rerun-"))
    try:
        data, added = scale.write_data(folder, args.size)
        table = scale.Table(args.size)
        scale.bench_load(table, [data, added], folder / "raw", folder / "ours")
        ours, raw = open_store(folder / "ours"), ox.Store.read_only(str(folder / "raw"))
        scale.bench_queries(table, ours, raw, 3, set(args.queries.split(",")))
        del ours, raw
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
