"""`validate --endpoint` in Virtuoso and in Oxigraph server, against `validate --store` on the same data.

    python bench/endpoints.py [--triples 1000000] [--quick] [--skip virtuoso|oxigraph] [--timeout 3600]

A generated graph (`kgtool generate --triples N --seed 7`, N-Quads) is loaded into a kgtool
store (`kgtool load`), pushed into an Oxigraph server (the PyPI package's `oxigraph serve`)
and into a Virtuoso (Debian's virtuoso-opensource-7, `virtuoso-t`), each started here on
loopback with a private data folder and stopped at the end (tests/servers.py). Then
`kgtool validate -f json` runs as a whole command on each, once; the baseline is
`validate --store` in the same run. Reported: load/push and validate seconds, the ratio of
each validate to the baseline, whether the reports are identical, and what failed.
`--quick` is 100k triples.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.servers import oxigraph_server, virtuoso_server  # noqa: E402

KGTOOL = [sys.executable, "-m", "kgtool"]


def timed(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run([*KGTOOL, *args], capture_output=True, text=True)
    return time.perf_counter() - start, done


def first_error(done: subprocess.CompletedProcess) -> str:
    lines = [line for line in done.stderr.splitlines() if "error" in line]
    return (lines[-1] if lines else done.stderr.strip()[-300:])[:300]


def on_endpoint(name: str, url: str, data: Path, baseline: subprocess.CompletedProcess, rows: list,
                timeout: float) -> None:
    push_s, pushed = timed("push", "--endpoint", url, "--graph", str(data), "--timeout", "3600")
    if pushed.returncode != 0:
        rows.append((name, "push", push_s, None, "failed: " + first_error(pushed)))
        return
    rows.append((name, "push", push_s, None, ""))
    seconds, done = timed("validate", "-f", "json", "--endpoint", url, "--timeout", f"{timeout:g}")
    if done.returncode not in (0, 1):
        rows.append((name, "validate --endpoint", seconds, None, "failed: " + first_error(done)))
        return
    same = "report identical" if done.stdout == baseline.stdout else "REPORT DIFFERS"
    rows.append((name, "validate --endpoint", seconds, None, same))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100k triples")
    parser.add_argument("--skip", action="append", default=[], choices=["virtuoso", "oxigraph"])
    parser.add_argument("--timeout", type=float, default=3600, help="seconds a validate --endpoint may take")
    options = parser.parse_args()
    triples = 100_000 if options.quick else options.triples
    folder = Path(tempfile.mkdtemp(prefix="kgtool-endpoints-"))
    rows: list = []
    try:
        data = folder / f"news-{triples}.nq"
        subprocess.run([*KGTOOL, "generate", "--triples", str(triples), "--seed", "7", "-o", str(data)], check=True)
        load_s, loaded = timed("load", str(data), "--store", str(folder / "news.store"))
        assert loaded.returncode == 0, loaded.stderr
        rows.append(("kgtool store", "load", load_s, None, ""))
        base_s, baseline = timed("validate", "-f", "json", "--store", str(folder / "news.store"))
        assert baseline.returncode in (0, 1), baseline.stderr
        rows.append(("kgtool store", "validate --store (baseline)", base_s, 1.0, ""))
        if "oxigraph" not in options.skip:
            (folder / "oxigraph").mkdir()
            with oxigraph_server(folder / "oxigraph" / "data", timeout=60) as url:
                on_endpoint("Oxigraph server", url, data, baseline, rows, options.timeout)
        if "virtuoso" not in options.skip:
            programs = shutil.which("virtuoso-t"), shutil.which("isql-vt")
            if None in programs:
                rows.append(("Virtuoso", "start", 0.0, None, "not installed: apt-get install virtuoso-opensource-7"))
            else:
                with virtuoso_server(folder / "virtuoso", *programs, timeout=180) as url:
                    on_endpoint("Virtuoso", url, data, baseline, rows, options.timeout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{triples:,} triples (seed 7)\n")
    print("| store | work | seconds | ratio to validate --store | |\n|---|---|---:|---:|---|")
    for store, work, seconds, ratio, said in rows:
        if ratio is None and work.startswith("validate") and not said.startswith("failed"):
            ratio = seconds / base_s
        shown = f"{ratio:.2f}x" if ratio is not None else ""
        print(f"| {store} | {work} | {seconds:.1f} | {shown} | {said} |")


if __name__ == "__main__":
    main()
