"""What keeping terms as written costs (kgtool.store.literals), before against after, same run.

    python bench/terms.py [--size 1000000] [--repeat 1]

Two data sets of --size generated triples (seed 7): as generated (its integers are all
canonical, so little is encoded), and the same with every xsd:integer written with a leading
zero ("042", which the store would rewrite to "42"), about one triple in ten. For each:
load into memory (before: pyoxigraph's own Store.load, which rewrote them), load to disk
(`load_into`), the named queries rendered as tables and JSON, full validation with the
project's shapes (SPARQL engine), and Turtle and N-Triples export; "before" runs the same
code with the encoding and decoding turned off, in turns with "after" (best of --repeat).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import pyoxigraph as ox  # noqa: E402

from scale import Table, best_pair, write_data  # noqa: E402

from kgtool.paths import bundled  # noqa: E402
from kgtool.queries import bind_params, catalog  # noqa: E402
from kgtool.results import kind_of, render  # noqa: E402
from kgtool.shacl import constraints  # noqa: E402
from kgtool.shacl.validation import load_shapes, validate_with_sparql  # noqa: E402
from kgtool.store import dataset, ingest, literals  # noqa: E402
from kgtool.store.persistence import load_into, open_store  # noqa: E402
from kgtool.store.serialization import serialize_store  # noqa: E402


def _old_datatype(iri, v, well_formed=None):
    return f"isLiteral({v}) && sameTerm(datatype({v}), <{iri}>)" + (f" && {well_formed}" if well_formed else "")


@contextlib.contextmanager
def before():
    """The code as it was: no encoding on load, no decoding out, the old SHACL expressions."""
    def same(x):
        return x
    saved = [(dataset, "encode_quads"), (ingest, "encode_quads"), (dataset, "decode_ntriples"),
             (literals, "decode_ntriples"), (dataset, "as_written"), (constraints, "sparql_value"),
             (constraints, "sparql_has_datatype")]
    old = [getattr(module, name) for module, name in saved]
    for module, name in saved[:6]:
        setattr(module, name, same)
    constraints.sparql_has_datatype = _old_datatype
    try:
        yield
    finally:
        for (module, name), value in zip(saved, old):
            setattr(module, name, value)


def non_canonical(source: Path, target: Path) -> int:
    """`source` with every xsd:integer written with a leading zero; how many were changed."""
    data = source.read_bytes()
    changed, count = re.subn(rb'"(-?)([0-9]+)"\^\^<http://www\.w3\.org/2001/XMLSchema#integer>',
                             rb'"\g<1>0\2"^^<http://www.w3.org/2001/XMLSchema#integer>', data)
    target.write_bytes(changed)
    return count


def memory_load(path: Path, ours: bool) -> dataset.Store:
    if ours:
        return dataset.load([path])
    store = dataset.Store()
    store.backend.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)  # what kgtool did before
    return store


def queries(store) -> None:
    for query in catalog(bundled("queries")).values():
        for fmt in ("table", "json"):
            results = store.answer(query.text, bind_params(query, {}, store))
            render(results, "turtle" if kind_of(results) == "graph" else fmt, io.BytesIO())


def turned_off(action):
    """`action` run as the code was before."""
    def run():
        with before():
            return action()
    return run


def run_set(table: Table, path: Path, folder: Path, repeat: int, shapes) -> None:
    """Each piece of work after and before, in turns, so that the machine's load hits both."""
    def load_to(name):
        return lambda: (shutil.rmtree(folder / name, ignore_errors=True), load_into(folder / name, [path]))

    table.add("load into memory", *best_pair(lambda: memory_load(path, True),
                                             turned_off(lambda: memory_load(path, False)), repeat), None)
    table.add("load to disk", *best_pair(load_to("after"), turned_off(load_to("before")), 1), None)
    after, earlier = open_store(folder / "after"), open_store(folder / "before")
    table.add("named queries (table, json)",
              *best_pair(lambda: queries(after), turned_off(lambda: queries(earlier)), repeat), None)
    table.add("validate (sparql engine)", *best_pair(lambda: validate_with_sparql(after, shapes),
                                                     turned_off(lambda: validate_with_sparql(earlier, shapes)),
                                                     repeat), None)
    for fmt in ("turtle", "ntriples"):
        table.add(f"export {fmt}", *best_pair(lambda: serialize_store(after, fmt),
                                              turned_off(lambda: serialize_store(earlier, fmt)), repeat), None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kgtool-terms-"))
    try:
        data, _ = write_data(folder, args.size)
        zeros = folder / "zeros.nt"
        count = non_canonical(data, zeros)
        shapes = load_shapes([bundled("shapes")])
        for name, path in (("as generated", data), (f"{count:,} integers written '0N'", zeros)):
            print(f"{args.size:,} triples, {name} (kgtool = after, baseline = before):")
            run_set(Table(args.size), path, folder, args.repeat, shapes)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
