"""`kgtool serve` under load, against Oxigraph server on the same data, in the same run.

    python bench/serve_load.py [--quick] [--clients 8] [--requests 2000] [--requests-large N]
                               [--rounds 4] [--workers 2] [--sizes bundled,1000000] [--json FILE]

C client threads (http.client, one keep-alive connection each) share a fixed number of
requests, the named queries in turn, and each request's latency is kept. Per server:
requests per second (requests / wall time), p50 and p99 latency, errors (any status
but 200: must be zero), the server's peak threads and resident memory, sampled
from /proc every 20 ms over its whole process tree (kgtool's workers included; the
root process's own peak thread count beside it), and the CPU time the tree (and the
root process alone) spent per request: on a shared machine it moves less than wall time.

The servers, each started here on a free loopback port and stopped after:
- oxigraph: `oxigraph serve --location DIR` (the PyPI package), loaded first with
  `oxigraph load`: the files, and every triple of them again into the default graph, the
  merge kgtool's store keeps there (see write_merge). No --timeout-s (issue 13: it
  starts a thread per query): this is its best case.
- kgtool /sparql (files|store): `kgtool serve` on the files (bundled graph only: each
  worker loads them) or on a store made by `kgtool load`, --max-rows large enough that
  no named query hits it (Oxigraph has no cap), the default --timeout 10, --workers
  (default 2, the server's own default). The same query text as Oxigraph gets.
- kgtool /queries: the same server's /queries/NAME endpoints (the parameters' defaults
  bound by substitution, in the worker).
- kgtool --timeout 1000 (bundled, files): the thread count must not move with the timeout (a line
  after the table compares its peak threads with --timeout 10's).
  On generated data kgtool runs with --timeout 300 (Oxigraph has none; at 1M some named
  queries take tens of seconds when 8 clients share 2 cores), so no request is a 503.

All servers of a size run at once (idle but one), and the requests go in --rounds rounds,
the servers in turn: a shared machine's load drifts, and so it falls on every server alike.

The query text both /sparql servers get: the named query with kgtool's PREFIX lines
written out (Oxigraph knows none) and its parameters' defaults substituted into the text
(the protocol has no substitution; see portable_text: every run first checks that each
query's portable text gives, on the bundled graph, the answers kgtool's own binding
gives). Ratios: kgtool/oxigraph for p99, and oxigraph/kgtool for throughput (so >1
means kgtool is slower); target 2 for both. Sizes: the bundled graph and `kgtool
generate --triples 1000000` (--quick: 100,000 triples and 300 requests); on generated
data, 6 rounds of the named queries (--quick 3). Generated data and stores are kept in
--work (default a folder under /tmp) for the next run.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from kgtool.namespaces import PREFIXES  # noqa: E402
from kgtool.paths import bundled  # noqa: E402
from kgtool.queries import catalog  # noqa: E402

BIN = Path(sys.executable).parent
KGTOOL, OXIGRAPH = BIN / "kgtool", BIN / "oxigraph"
RESULTS_JSON = "application/sparql-results+json"
TARGET = 2.0


# -- the requests ---------------------------------------------------------------------

@dataclass(frozen=True)
class Request:
    name: str
    method: str
    path: str
    body: bytes | None
    accept: str


def portable_text(query) -> str:
    """The named query as any SPARQL server takes it: kgtool's PREFIX lines written out, and its
    parameters' defaults substituted into the text as SEP-0007 substitutes them (what
    /queries/NAME does in the worker): each ?param becomes the term, and in a SELECT
    projection `(term AS ?param)`, so the answers keep the column."""
    from kgtool.store import guard

    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    terms = {p.name: p.default for p in query.params.values() if p.default is not None}
    out, projecting, depth = [], False, 0
    for token in guard.tokens(query.text):
        text = token.text
        if token.kind == "word" and text.upper() == "SELECT":
            projecting, depth = True, 0
        elif token.kind == "word" and text.upper() == "WHERE" or text == "{":
            projecting = False
        elif text in "()" and token.kind == "other":
            depth += 1 if text == "(" else -1
        elif token.kind == "variable" and text[1:] in terms:
            term = terms[text[1:]]
            text = f"({term} AS {text})" if projecting and depth == 0 else term
        out.append(text)
    return prologue + "".join(out)


def check_portable() -> None:
    """Each named query's portable text answers as kgtool's binding of its defaults does."""
    import pyoxigraph as ox

    from kgtool.queries import bind_params
    from kgtool.store import load as load_graph

    store = load_graph([bundled("graph")])
    for name, query in catalog(bundled("queries")).items():
        bound = store.query(query.text, bind_params(query, {}, store))
        portable = store.backend.query(portable_text(query))
        same = bool(bound) == bool(portable) if isinstance(bound, ox.QueryBoolean) else \
            sorted(map(str, bound)) == sorted(map(str, portable))
        if not same:
            raise SystemExit(f"{name}: its portable text answers otherwise than kgtool's binding")


def accept_for(text: str) -> str:
    body = re.sub(r"#[^\n]*", "", text)
    form = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE)
    return "text/turtle" if form and form[1].upper() in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON


def sparql_requests(path: str) -> list[Request]:
    found = []
    for name, query in catalog(bundled("queries")).items():
        text = portable_text(query)
        body = urllib.parse.urlencode({"query": text}).encode()
        found.append(Request(name, "POST", path, body, accept_for(text)))
    return found


def named_requests() -> list[Request]:
    return [Request(name, "GET", f"/queries/{name}", None, accept_for(query.text))
            for name, query in catalog(bundled("queries")).items()]


# -- the load -------------------------------------------------------------------------

@dataclass
class Run:
    server: str
    size: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    by_query: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    peak_threads: int = 0  # the whole process tree
    peak_root_threads: int = 0
    peak_rss: int = 0  # bytes, the whole process tree
    cpu_root: float = 0.0  # CPU seconds of the server's own process over the timed requests
    cpu_tree: float = 0.0  # ... of its whole process tree (workers that live to the end of a round)

    def row(self) -> dict:
        ordered = sorted(self.latencies)
        return {"server": self.server, "size": self.size, "requests": len(self.latencies) + len(self.errors),
                "rps": round(len(ordered) / self.seconds, 1) if self.seconds else 0.0,
                "p50_ms": round(percentile(ordered, 50) * 1000, 2), "p99_ms": round(percentile(ordered, 99) * 1000, 2),
                "errors": len(self.errors), "peak_threads": self.peak_threads,
                "peak_root_threads": self.peak_root_threads, "peak_rss_mb": round(self.peak_rss / 2**20, 1),
                "cpu_ms_per_request": round(self.cpu_tree * 1000 / max(1, len(ordered)), 2),
                "root_cpu_ms_per_request": round(self.cpu_root * 1000 / max(1, len(ordered)), 2),
                "median_ms_by_query": {name: round(percentile(sorted(times), 50) * 1000, 2)
                                       for name, times in sorted(self.by_query.items())}}


def percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def load(port: int, requests: list[Request], total: int, clients: int, run: Run) -> None:
    """`total` requests over `clients` threads, each with its own keep-alive connection."""
    counter, lock = itertools.count(), threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                i = next(counter)
            if i >= total:
                break
            request = requests[i % len(requests)]
            headers = {"Accept": request.accept}
            if request.body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            start = time.perf_counter()
            try:
                connection.request(request.method, request.path, body=request.body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                data, status = str(exc).encode(), 0
            elapsed = time.perf_counter() - start
            with lock:
                if status == 200:
                    run.latencies.append(elapsed)
                    run.by_query.setdefault(request.name, []).append(elapsed)
                else:
                    run.errors.append(f"{request.name}: {status} {data[:200]!r}")
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - start


# -- the servers ----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parents.setdefault(int(text[text.rindex(")") + 2:].split()[1]), []).append(int(stat.parent.name))
    found, todo = [pid], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of one process so far (0 once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status(pid: int) -> tuple[int, int]:
    """(threads, resident bytes) of one process, (0, 0) once it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0, 0
    threads = int(re.search(r"^Threads:\s+(\d+)", text, re.M)[1])
    rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
    return threads, int(rss[1]) * 1024 if rss else 0


class Sampler(threading.Thread):
    """Peak threads and memory of a process tree, every 20 ms until stopped."""

    def __init__(self, pid: int, run: Run) -> None:
        super().__init__(daemon=True)
        self.pid, self.run_, self.stop = pid, run, threading.Event()

    def run(self) -> None:
        pids, last = tree(self.pid), 0.0
        while not self.stop.wait(0.02):
            if time.monotonic() - last > 0.5:  # a new worker (after a timeout) joins the tree
                pids, last = tree(self.pid), time.monotonic()
            counted = [status(pid) for pid in pids]
            self.run_.peak_threads = max(self.run_.peak_threads, sum(t for t, _ in counted))
            self.run_.peak_root_threads = max(self.run_.peak_root_threads, counted[0][0])
            self.run_.peak_rss = max(self.run_.peak_rss, sum(r for _, r in counted))


class Server:
    def __init__(self, command: list[str], port: int, probe: str, log: Path) -> None:
        self.port, self.probe = port, probe
        self._log = log.open("wb")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def wait_ready(self, seconds: float = 600) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped (exit {self.process.returncode}); see {self._log.name}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", self.probe + "?" + urllib.parse.urlencode({"query": "ASK {}"}),
                                   headers={"Accept": RESULTS_JSON})
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"the server did not answer within {seconds:g} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


@dataclass
class Target:
    """One server and the requests it gets, with what its runs measured."""

    server: Server
    requests: list[Request]
    run: Run


def warm_up(target: Target) -> None:
    """Every query once, alone (a failure counts as an error of the run)."""
    target.server.wait_ready()
    for request in target.requests:
        warm = Run(target.run.server, target.run.size)
        load(target.server.port, [request], 1, 1, warm)
        target.run.errors += [f"warm-up {error}" for error in warm.errors]


def measure(target: Target, total: int, clients: int) -> None:
    """One round of `total` requests, added to the target's run; its peaks sampled meanwhile."""
    round_ = Run(target.run.server, target.run.size)
    root = target.server.process.pid
    before = {pid: cpu_seconds(pid) for pid in tree(root)}
    sampler = Sampler(root, round_)
    sampler.start()
    load(target.server.port, target.requests, total, clients, round_)
    sampler.stop.set()
    sampler.join()
    after = {pid: cpu_seconds(pid) for pid in tree(root)}
    run = target.run
    run.cpu_root += after.get(root, 0.0) - before.get(root, 0.0)
    run.cpu_tree += sum(after[pid] - before.get(pid, 0.0) for pid in after)
    run.seconds += round_.seconds
    run.latencies += round_.latencies
    run.errors += round_.errors
    for name, times in round_.by_query.items():
        run.by_query.setdefault(name, []).extend(times)
    run.peak_threads = max(run.peak_threads, round_.peak_threads)
    run.peak_root_threads = max(run.peak_root_threads, round_.peak_root_threads)
    run.peak_rss = max(run.peak_rss, round_.peak_rss)


# -- the data -------------------------------------------------------------------------

def prepare(work: Path, size: str) -> tuple[dict[str, list[str]], Path]:
    """kgtool's data arguments (by label) and Oxigraph's folder, made once per size in `work`."""
    from kgtool.store.files import rdf_files

    store = work / f"kgtool-{size}.store"
    if size == "bundled":
        files = [str(p) for p in rdf_files([bundled("graph")])]
    else:
        files = [str(work / f"news-{size}.nq")]
        if not Path(files[0]).exists():
            subprocess.run([str(KGTOOL), "generate", "--triples", size, "-o", files[0]], check=True)
    if not store.exists():
        subprocess.run([str(KGTOOL), "load", *files, "--store", str(store)], check=True, stderr=subprocess.DEVNULL)
    oxigraph = work / f"oxigraph-{size}"
    if not oxigraph.exists():
        merged = work / f"merged-{size}.nt"
        write_merge(files, merged)
        for path in [*files, str(merged)]:
            subprocess.run([str(OXIGRAPH), "load", "--location", str(oxigraph), "--file", path], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        merged.unlink()
    data = {"store": ["--store", str(store)]}
    if size == "bundled":
        data = {"files": [], **data}
    return data, oxigraph


def write_merge(files: list[str], target: Path) -> None:
    """Every triple of the files, for Oxigraph's default graph: the merge kgtool's default graph
    holds. (`--union-default-graph` would do it without a copy, but makes Oxigraph take more than
    100 s for query 01 on 100,000 triples, against 40 ms on this layout.)"""
    import pyoxigraph as ox

    from kgtool.store.formats import rdf_format_for_path

    def triples():
        for path in files:
            fmt = getattr(ox.RdfFormat, rdf_format_for_path(path).oxigraph)
            for quad in ox.parse(path=path, format=fmt, base_iri=Path(path).resolve().as_uri()):
                yield quad.triple

    with target.open("wb") as out:
        ox.serialize(triples(), out, format=ox.RdfFormat.N_TRIPLES)


def bench_size(work: Path, size: str, total: int, clients: int, rounds: int, workers: int = 2) -> list[Run]:
    """Every server started at once, then `rounds` rounds of `total / rounds` requests each, the
    servers in turn, so that a shared machine's changing load falls on all of them alike."""
    data, oxigraph_dir = prepare(work, size)
    targets: list[Target] = []

    def start(command: list[str], probe: str, log: str) -> Server:
        port = free_port()
        command = [part.replace("PORT", str(port)) for part in command]
        return Server(command, port, probe, work / log)

    try:
        oxigraph = start([str(OXIGRAPH), "serve", "--location", str(oxigraph_dir), "--bind", "127.0.0.1:PORT"],
                         "/query", f"oxigraph-{size}.log")
        targets.append(Target(oxigraph, sparql_requests("/query"), Run("oxigraph", size)))
        # Oxigraph runs without a timeout; on generated data some named queries take tens of seconds.
        timeouts = [("10", ""), ("1000", " --timeout 1000")] if size == "bundled" else [("300", "")]
        for label, args in data.items():
            for timeout, extra in timeouts:
                if extra and label != "files":
                    continue
                if workers != 2:
                    extra += f" --workers {workers}"
                server = start([str(KGTOOL), "serve", *args, "--port", "PORT", "--max-rows", "100000000",
                                "--timeout", timeout, "--workers", str(workers)], "/sparql",
                               f"kgtool-{size}-{label}-{timeout}.log")
                targets.append(Target(server, sparql_requests("/sparql"), Run(f"kgtool /sparql ({label}){extra}", size)))
                if timeout != "1000":
                    targets.append(Target(server, named_requests(), Run(f"kgtool /queries ({label}){extra}", size)))
        for target in targets:
            warm_up(target)
        for _ in range(rounds):
            for target in targets:
                measure(target, max(1, total // rounds), clients)
    finally:
        for server in {id(t.server): t.server for t in targets}.values():
            server.stop()
    for target in targets:
        row = target.run.row()
        print(f"{size} {row['server']}: {row['rps']} req/s, p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms, "
              f"{row['errors']} errors", file=sys.stderr, flush=True)
    return [target.run for target in targets]


def report(runs: list[Run]) -> list[dict]:
    rows = [run.row() for run in runs]
    header = ("| size | server | req/s | p50 ms | p99 ms | errors | peak threads (root) | peak RSS MB | "
              "CPU ms/request (root) | throughput ratio | p99 ratio |")
    print(header)
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = {}
    for row in rows:
        if row["server"] == "oxigraph":
            base[row["size"]] = row
        ox_row = base.get(row["size"])
        ratios = ("", "")
        if ox_row and row is not ox_row and row["rps"] and ox_row["p99_ms"]:
            row["throughput_ratio"] = round(ox_row["rps"] / row["rps"], 2)
            row["p99_ratio"] = round(row["p99_ms"] / ox_row["p99_ms"], 2)
            ratios = (f"{row['throughput_ratio']:.2f}", f"{row['p99_ratio']:.2f}")
        print(f"| {row['size']} | {row['server']} | {row['rps']:.1f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
              f"{row['errors']} | {row['peak_threads']} ({row['peak_root_threads']}) | {row['peak_rss_mb']:.0f} | "
              f"{row['cpu_ms_per_request']:.2f} ({row['root_cpu_ms_per_request']:.2f}) | {ratios[0]} | {ratios[1]} |")
    for line in thread_bounds(rows):
        print(line)
    for run in runs:
        for error in run.errors[:3]:
            print(f"error ({run.server}, {run.size}): {error}", file=sys.stderr)
    return rows


def thread_bounds(rows: list[dict]) -> list[str]:
    """Issue 13's "thread count bounded whatever the timeout": the same server's peak threads
    with --timeout 10 and --timeout 1000, said in one line per size (where both ran)."""
    lines = []
    for size in dict.fromkeys(row["size"] for row in rows):
        short = next((r for r in rows if r["size"] == size and r["server"] == "kgtool /sparql (files)"), None)
        long = next((r for r in rows if r["size"] == size and r["server"].startswith("kgtool /sparql (files)")
                     and "--timeout 1000" in r["server"]), None)
        if short is None or long is None:
            continue
        same = (short["peak_threads"], short["peak_root_threads"]) == (long["peak_threads"], long["peak_root_threads"])
        lines.append(f"{size}: peak threads {short['peak_threads']} ({short['peak_root_threads']} in the server) "
                     f"with --timeout 10, {long['peak_threads']} ({long['peak_root_threads']}) with --timeout 1000: "
                     + ("the same, bounded whatever the timeout" if same else "NOT the same"))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 triples and 300 requests")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=None,
                        help="per server on the bundled graph (default 2000; --quick 300)")
    parser.add_argument("--requests-large", type=int, default=None,
                        help="per server on generated data (default: 6 rounds of the named queries; --quick 3)")
    parser.add_argument("--workers", type=int, default=2, help="kgtool serve --workers (default 2, its own default)")
    parser.add_argument("--rounds", type=int, default=4, help="rounds, the servers in turn (default 4)")
    parser.add_argument("--sizes", default=None, help="comma-separated: bundled and triple counts")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kgtool-serve-load")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    total = args.requests or (300 if args.quick else 2000)
    sizes = (args.sizes or ("bundled,100000" if args.quick else "bundled,1000000")).split(",")
    args.work.mkdir(parents=True, exist_ok=True)
    check_portable()
    rounds = len(catalog(bundled("queries")))
    large = args.requests_large or rounds * (3 if args.quick else 6)
    runs = []
    for size in sizes:
        runs += bench_size(args.work, size, total if size == "bundled" else large, args.clients, args.rounds,
                           args.workers)
    rows = report(runs)
    failed = [r for r in rows if r["errors"]]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    if failed:
        raise SystemExit(f"{len(failed)} run(s) had errors")


if __name__ == "__main__":
    main()
