"""Whole-process start-up of kgtool against baselines measured in the same run.

    python bench/startup.py [--runs 15]

Prints the median wall time of each command and its ratio to its baseline:
`kgtool query NAME` on the bundled graph against `python -c "import rdflib"`,
and `kgtool --help` against `python -c pass`. Runs are interleaved so that a
noisy machine slows both sides alike.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PY = sys.executable
KGTOOL = shutil.which("kgtool", path=str(Path(PY).parent)) or "kgtool"

CASES = [
    # (name, command, baseline name, baseline command, target ratio)
    ("kgtool query 01-canceled-series", [KGTOOL, "query", "01-canceled-series"],
     'python -c "import rdflib"', [PY, "-c", "import rdflib"], 1.3),
    ("kgtool query 17-connection", [KGTOOL, "query", "17-connection"],
     'python -c "import rdflib"', [PY, "-c", "import rdflib"], 1.3),
    ("kgtool --help", [KGTOOL, "--help"], "python -c pass", [PY, "-c", "pass"], 3.0),
]


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"{'command':36} {'median s':>9}  {'baseline':28} {'median s':>9}  {'ratio':>6}  target")
    for name, command, base_name, base, target in CASES:
        wall(command), wall(base)  # warm the file cache
        ours, theirs = [], []
        for _ in range(args.runs):
            ours.append(wall(command))
            theirs.append(wall(base))
        a, b = statistics.median(ours), statistics.median(theirs)
        verdict = "ok" if a / b <= target else "MISS"
        print(f"{name:36} {a:9.3f}  {base_name:28} {b:9.3f}  {a / b:6.2f}  <= {target} {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
