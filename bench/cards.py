"""`kgtool add CARD` at scale, each ratio against a baseline timed in the same run.

    python bench/cards.py [--triples 1000000] [--cards 1000] [--repeat 3] [--quick] [--markdown]
                          [--only add,growth,folder,profile] [--profile-top N] [--workdir DIR]

Whole commands (`kgtool ...` in a subprocess, as users run them), medians of --repeat
runs taken in turns; wall time, with the commands' CPU time (RUSAGE_CHILDREN) beside it:

- add: `kgtool add` of the Soundtrack card into a store of --triples generated triples
  (seed 7, the ontology included) against `kgtool validate --store S --changed A.trig`
  of the same article (its TriG from `kgtool add --dry-run`), run with the article in
  the store. Target 3x. `kgtool remove` takes the article out again (untimed), so
  every add is a real add.
- growth: card N (of --cards generated cards: a template with varied titles and
  characters, drawn from shared pools of people, networks, studios and outlets) added to
  a store of the N-1 others, against card 1 added to a store of the ontology alone.
  Target 1.3x. The N-1 cards are compiled in this process (read_card, compile_card
  against an index grown card by card, as `kgtool add` would reconcile them) and loaded
  with one `kgtool load`.
- folder: the same, with --graph DIR (ontology.ttl, articles/*.trig) instead of a store. The
  full folder's cache (built once, untimed, by a dry run) is refreshed by each timed add, after
  the remove of the round before.
- profile: one add at --triples, in this process, timed phase by phase (read the card and
  its text, open the store, the reconciliation index, compile, the writer's checkpoint
  and load, validation, swap); with --profile-top N, cProfile's N costliest functions.
--quick: 20,000 triples and 50 cards (CI smoke test).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import pyoxigraph as ox  # noqa: E402

from kgtool.paths import bundled  # noqa: E402

KGTOOL = Path(sys.executable).with_name("kgtool")
SOUNDTRACK = bundled("graph") / "sources" / "et-soundtrack-canceled.yaml"
ONTOLOGY = bundled("graph") / "ontology.ttl"
TARGETS = {"add": 3.0, "growth": 1.3, "folder": 1.3}


def kgtool(*args, stdout=subprocess.DEVNULL) -> tuple[float, float]:
    """Run `kgtool ARGS`; its wall time and CPU time (user + system, children included)."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run([str(KGTOOL), *map(str, args)], stdout=stdout, stderr=subprocess.PIPE)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"kgtool {' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr.decode()}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


class Table:
    """Rows of medians (wall and CPU) and their ratios, printed as they come."""

    def __init__(self, markdown: bool) -> None:
        self.markdown, self.rows = markdown, []
        print(f"  {'work':<52}{'kgtool':>9}{'baseline':>10}{'ratio':>7}{'CPU ratio':>10}  target")

    def add(self, work: str, ours: list[tuple[float, float]], base: list[tuple[float, float]], target) -> None:
        wall = statistics.median(w for w, _ in ours), statistics.median(w for w, _ in base)
        cpu = statistics.median(c for _, c in ours), statistics.median(c for _, c in base)
        ratio, cpu_ratio = wall[0] / wall[1], cpu[0] / cpu[1]
        verdict = "ok" if ratio <= target else "MISS"
        self.rows.append((work, wall, cpu, ratio, cpu_ratio, target, verdict, len(ours)))
        print(f"  {work:<52}{wall[0]:>8.2f}s{wall[1]:>9.2f}s{ratio:>7.2f}{cpu_ratio:>10.2f}  <= {target:g} {verdict}"
              f"   (CPU {cpu[0]:.2f} s / {cpu[1]:.2f} s; each of {[round(w, 2) for w, _ in ours]} / "
              f"{[round(w, 2) for w, _ in base]})", flush=True)

    def print_markdown(self) -> None:
        print("\n| work | kgtool (wall) | baseline (wall) | ratio | kgtool CPU | baseline CPU | CPU ratio | target |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for work, wall, cpu, ratio, cpu_ratio, target, verdict, _ in self.rows:
            print(f"| {work} | {wall[0]:.2f} s | {wall[1]:.2f} s | {ratio:.2f} | {cpu[0]:.2f} s | {cpu[1]:.2f} s "
                  f"| {cpu_ratio:.2f} | {target:g}{'' if verdict == 'ok' else ' (miss)'} |")


# -- generated cards ------------------------------------------------------------------

class Names:
    """Invented names, each far from every other (rapidfuzz ratio < 75), so that a new one is
    never 'nearly' an old one and reconciliation stops as ambiguous only where it should."""

    SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ar", "en", "or", "il")]

    def __init__(self, seed: int) -> None:
        self.random, self.taken = random.Random(seed), []

    def word(self, syllables: int) -> str:
        return "".join(self.random.choice(self.SYLLABLES) for _ in range(syllables)).capitalize()

    def fresh(self, make) -> str:
        from rapidfuzz import fuzz, process

        while True:
            name = make()
            if process.extractOne(name.lower(), self.taken, scorer=fuzz.ratio, score_cutoff=75) is None:
                self.taken.append(name.lower())
                return name

    def pool(self, count: int, make) -> list[str]:
        return [self.fresh(make) for _ in range(count)]


def pools(names: Names, cards: int) -> dict[str, list[str]]:
    person = lambda: f"{names.word(2)} {names.word(3)}"  # noqa: E731
    return {"people": names.pool(max(20, cards // 4), person),
            "networks": names.pool(12, lambda: f"{names.word(3)} Network"),
            "studios": names.pool(8, lambda: f"{names.word(2)} Studios"),
            "outlets": names.pool(5, lambda: f"The {names.word(3)} Report")}


def card_and_text(number: int, names: Names, shared: dict[str, list[str]]) -> tuple[str, str]:
    """Card `number`'s YAML and its article's text: a renewal with two cast members."""
    pick = names.random.choice
    series, character, other = (names.fresh(lambda: f"{names.word(3)} {names.word(2)}") for _ in range(3))
    creator, actor, guest, author = names.random.sample(shared["people"], 4)
    network, studio, outlet, season = pick(shared["networks"]), pick(shared["studios"]), pick(shared["outlets"]), \
        names.random.randint(2, 9)
    ident = f"bench-card-{number:04d}"
    byline = f"By {author} | FICTIONAL ARTICLE generated by bench/cards.py for kgtool's benchmark."
    headline = f"'{series}' Renewed for Season {season} at {network}"
    text = (f"{headline}\n\n{byline}\n\n{network} has renewed {series} for season {season}, {outlet} has learned. "
            f"{series} was created by {creator}, who also serves as showrunner. {actor} plays {character} in "
            f"{series}, and {guest} plays {other}. The series is produced by {studio}.\n\n"
            f"\u201cWe are thrilled to keep telling this story,\u201d said {creator}.\n")
    q = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731  (a JSON string is YAML)
    facts = [(f"{series} | renewed by | {network} | season {season}", f"{network} has renewed {series} for season "
              f"{season}, {outlet} has learned", f"{outlet} has learned", None),
             (f"{series} | on | {network}", f"{network} has renewed {series}", None, None),
             (f"{series} | created by | {creator}", f"{series} was created by {creator}", None, None),
             (f"{series} | showrunner | {creator}", f"{creator}, who also serves as showrunner", None, None),
             (f"{actor} | plays | {character} | in {series} | series regular", f"{actor} plays {character} in "
              f"{series}", None, None),
             (f"{guest} | plays | {other} | in {series} | recurring", f"{guest} plays {other}", None, None),
             (f"{series} | studio | {studio}", f"The series is produced by {studio}", None, {series: "The series"})]
    lines = ["article:", f"  id: {ident}", f"  headline: {q(headline)}", f"  outlet: {q(outlet)}",
             f"  published: 2025-{1 + number % 12:02d}-{1 + number % 28:02d}", f"  author: [{q(author)}]",
             "  fictional: true", f"  about: [{q(series)}]", f"  skip: [{q(byline)}]", "entities:",
             f"  {q(series)}: {{type: TVSeries, kinds: [ScriptedSeries]}}",
             *(f"  {q(name)}: FictionalCharacter" for name in (character, other)),
             *(f"  {q(name)}: Person" for name in (creator, actor, guest, author)),
             f"  {q(network)}: Organization", f"  {q(studio)}: Organization", f"  {q(outlet)}: NewsMediaOrganization",
             "facts:"]
    for fact, evidence, hedge, mentions in facts:
        lines += [f"  - fact: {q(fact)}", f"    evidence: {q(evidence)}"]
        lines += [f"    hedge: {q(hedge)}"] if hedge else []
        lines += [f"    as: {{{q(k)}: {q(v)}}}" for k, v in (mentions or {}).items()]
    lines += ["quotes:", f"  - speaker: {q(creator)}", f"    words: {q('We are thrilled to keep telling this story')}",
              f"    attribution: {q(f'said {creator}')}"]
    return "\n".join(lines) + "\n", text


def write_cards(folder: Path, count: int) -> list[Path]:
    names = Names(12)
    shared = pools(names, count)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, count + 1):
        card, text = card_and_text(number, names, shared)
        path = folder / f"bench-card-{number:04d}.yaml"
        path.write_text(card, encoding="utf-8")
        path.with_suffix(".txt").write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def entities_of(quads):
    """The entities a compiled card names (what Index.from_store would read of its quads)."""
    from kgtool.cards.reconcile import SKIPPED, Entity

    from kgtool.namespaces import PREFIXES

    label, types = PREFIXES["rdfs"] + "label", PREFIXES["rdf"] + "type"
    names = PREFIXES["schema"] + "alternateName"
    found = defaultdict(lambda: (set(), set(), set()))
    for quad in quads:
        if isinstance(quad.subject, ox.NamedNode) and quad.predicate.value in (label, types, names):
            slot = (label, names, types).index(quad.predicate.value)
            found[quad.subject.value][slot].add(quad.object.value)
    for iri, (labels, alternates, classes) in found.items():
        if labels and not classes & SKIPPED:
            first = min(labels)
            yield Entity(iri, first, tuple(sorted((labels | alternates) - {first})), tuple(sorted(classes)))


def compile_cards(paths: list[Path]) -> tuple[list[ox.Quad], list[Path]]:
    """Every card compiled in turn against the entities of those before it; the quads and the TriG files."""
    from kgtool.cards.addition import read_text
    from kgtool.cards.card import read_card
    from kgtool.cards.compiler import compile_card
    from kgtool.cards.reconcile import Index
    from kgtool.store import load

    # An index in memory, grown card by card (Index.from_store asks its store about each entity
    # it is given, which here would be the cards' own).
    ontology = list(load([ONTOLOGY]).quads())
    subclass_of = [(q.subject.value, q.object.value) for q in ontology
                   if q.predicate.value.endswith("#subClassOf") and isinstance(q.subject, ox.NamedNode)
                   and isinstance(q.object, ox.NamedNode)]
    index, quads, trigs = Index.from_entities(entities_of(ontology), subclass_of), [], []
    for path in paths:
        card = read_card(path)
        compiled = compile_card(card, read_text(card), index, ONTOLOGY)
        for entity in entities_of(compiled.quads):
            index.add(entity)
        quads += compiled.quads
        trig = path.with_suffix(".trig")
        trig.write_bytes(compiled.trig)
        trigs.append(trig)
    return quads, trigs


# -- the measurements -----------------------------------------------------------------

def turns(repeat: int, ours, base, between=lambda: None) -> tuple[list, list]:
    """`ours` and `base` in turns, `between` (untimed) after each pair; their (wall, CPU) pairs."""
    timed = [], []
    for _ in range(repeat):
        timed[0].append(ours())
        timed[1].append(base())
        between()
    return timed


def generated_store(folder: Path, triples: int) -> Path:
    data, store = folder / f"news-{triples}.nt", folder / f"news-{triples}.store"
    kgtool("generate", "--triples", triples, "--seed", 7, "-o", data)  # the ontology comes first
    kgtool("load", data, "--store", store)
    data.unlink()
    return store


def bench_add(table: Table, store: Path, folder: Path, repeat: int) -> None:
    article = folder / "soundtrack.trig"
    with article.open("wb") as stream:
        kgtool("add", SOUNDTRACK, "--store", store, "--dry-run", stdout=stream)
    ours, base = turns(repeat, lambda: kgtool("add", SOUNDTRACK, "--store", store),
                       lambda: kgtool("validate", "--store", store, "--changed", article),
                       lambda: kgtool("remove", "et-soundtrack-canceled", "--store", store))
    table.add(f"add Soundtrack card vs validate --changed, {table.size}", ours, base, TARGETS["add"])


def growth_states(folder: Path, count: int) -> tuple[Path, Path, list[Path]]:
    """The cards, and an empty (ontology-only) graph folder and one of the first count-1 cards."""
    cards = write_cards(folder / "cards", count)
    start = time.perf_counter()
    quads, trigs = compile_cards(cards[:-1])
    print(f"  ({count - 1} cards compiled in {time.perf_counter() - start:.1f} s: {len(quads):,} statements)")
    empty, full = folder / "empty-graph", folder / "full-graph"
    for graph in (empty, full):
        (graph / "articles").mkdir(parents=True)
        shutil.copy(ONTOLOGY, graph / "ontology.ttl")
    for trig in trigs:
        trig.rename(full / "articles" / trig.name)
    return empty, full, cards


def bench_growth(table: Table, folder: Path, count: int, repeat: int, graph_too: bool) -> tuple[Path, Path, list]:
    """Card `count` into the graph of the others against card 1 into an empty one; the two cards and
    the (option, empty, full) places, for the profile."""
    empty, full, cards = growth_states(folder, count)
    first, last = cards[0], cards[-1]
    stores = folder / "empty.store", folder / "full.store"
    kgtool("load", ONTOLOGY, "--store", stores[0])
    kgtool("load", ONTOLOGY, full / "articles", "--store", stores[1])
    places = [("--store", *stores)] + ([("--graph", empty, full)] if graph_too else [])
    for option, into_empty, into_full in places:
        # Untimed: a big folder's first add builds its cache (kgtool.cards.folder_cache) once.
        kgtool("add", last, option, into_full, "--dry-run")
        ours, base = turns(repeat, lambda: kgtool("add", last, option, into_full),
                           lambda: kgtool("add", first, option, into_empty),
                           lambda: (kgtool("remove", last.stem, option, into_full),
                                    kgtool("remove", first.stem, option, into_empty)))
        table.add(f"add card {count} ({count - 1} in) vs card 1, {option}", ours, base,
                  TARGETS["growth" if option == "--store" else "folder"])
    return first, last, places


# -- where the time of one add goes ---------------------------------------------------

PHASES = [("read the card", "kgtool.cards.addition", "read_card"),
          ("read the text", "kgtool.cards.addition", "read_text"),
          ("open the store", "kgtool.store.persistence", "open_store"),
          ("folder: read every other article file", "kgtool.store", "load"),
          ("reconciliation index (Index.from_store)", "kgtool.cards.reconcile", "Index.from_store"),
          ("compile", "kgtool.cards.compiler", "compile_card"),
          ("store: writer child (checkpoint, load, merge)", "kgtool.store.persistence", "run_writer"),
          ("validation: read and meta-check the shapes", "kgtool.shacl.validation", "read_shapes"),
          ("validation: focus nodes and checks", "kgtool.shacl.validation", "validate_with"),
          ("store: swap the new store in", "kgtool.store.persistence", "_swap_in"),
          ("folder: write the three files", "kgtool.cards.writing", "write_article")]


class Phases:
    """Each phase's function wrapped (once) to add its wall and CPU time to `spent`."""

    def __init__(self) -> None:
        import importlib

        self.spent, self.inside, self.thread = {}, False, threading.get_ident()
        for name, module, attribute in PHASES:
            owner = importlib.import_module(module)
            if "." in attribute:
                cls, method = attribute.split(".")
                bound = getattr(getattr(owner, cls), method).__func__
                setattr(getattr(owner, cls), method, classmethod(self.wrap(name, bound)))
            else:
                setattr(owner, attribute, self.wrap(name, getattr(owner, attribute)))

    def wrap(self, name, function):
        def timed(*args, **kwargs):
            # Outermost calls of the main thread only: the shapes' load inside validation is
            # validation's, not the folder's, and the checks' threads run inside validation.
            if self.inside or threading.get_ident() != self.thread:
                return function(*args, **kwargs)
            self.inside, wall, cpu = True, time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent = self.spent.setdefault(name, [0.0, 0.0])
                spent[0] += time.perf_counter() - wall
                spent[1] += time.process_time() - cpu
                self.inside = False
        return timed

    def one_add(self, card: Path, option: str, place: Path, top: int) -> tuple[float, dict]:
        """Add `card` in this process (then remove it with the CLI); its wall time and phases. With
        `top`, a second add under cProfile prints its `top` costliest functions (cProfile slows
        pySHACL's Python several times over, so the phases are timed without it)."""
        from kgtool.cards.addition import add_card

        where = {"--store": {"store_dir": place}, "--graph": {"graph_dir": place}}[option]
        ident = "et-soundtrack-canceled" if card == SOUNDTRACK else card.stem
        self.spent, wall = {}, time.perf_counter()
        addition = add_card(card, **where)
        wall, spent = time.perf_counter() - wall, self.spent
        assert addition.written and addition.conforms, f"the profiled add of {card} did not write it"
        self.spent = {}
        kgtool("remove", ident, option, place)
        if top:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(add_card, card, **where)
            kgtool("remove", ident, option, place)
            print(f"\n  cProfile, {card.name} {option} {place.name}:")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(top)
        return wall, spent


def print_phases(runs: dict[str, tuple[float, dict]]) -> None:
    print("\n  where one add's time goes (in this process, wall seconds; the writer child's own time"
          " is in its phase's wall):")
    print("  " + f"{'phase':<48}" + "".join(f"{title:>22}" for title in runs))
    for name, _, _ in PHASES:
        if any(name in spent for _, spent in runs.values()):
            cells = [spent.get(name, [0.0])[0] for _, spent in runs.values()]
            print("  " + f"{name:<48}" + "".join(f"{cell:>22.2f}" for cell in cells))
    rest = [wall - sum(w for w, _ in spent.values()) for wall, spent in runs.values()]
    print("  " + f"{'the rest':<48}" + "".join(f"{cell:>22.2f}" for cell in rest))
    print("  " + f"{'whole add_card':<48}" + "".join(f"{wall:>22.2f}" for wall, _ in runs.values()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--cards", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="20,000 triples and 50 cards (CI)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown too")
    parser.add_argument("--only", default="add,growth,folder,profile", help="comma-separated parts to run")
    parser.add_argument("--profile-top", type=int, default=0, help="print cProfile's N costliest functions")
    parser.add_argument("--workdir", type=Path, help="keep the stores, folders and cards here (a new folder)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio misses its target")
    options = parser.parse_args()
    if options.quick:
        options.triples, options.cards = 20_000, 50
    parts = set(options.only.split(","))
    folder = options.workdir or Path(tempfile.mkdtemp(prefix="kgtool-bench-cards-"))
    folder.mkdir(parents=True, exist_ok=options.workdir is None)
    phases, runs = (Phases() if "profile" in parts else None), {}
    try:
        table = Table(options.markdown)
        table.size = f"{options.triples:,} triples"
        if parts & {"add", "profile"}:
            store = generated_store(folder, options.triples)
            if "add" in parts:
                bench_add(table, store, folder, options.repeat)
            if phases:
                runs[f"Soundtrack, {options.triples // 1000:,}k"] = phases.one_add(SOUNDTRACK, "--store", store,
                                                                                  options.profile_top)
        if parts & {"growth", "folder"}:
            first, last, places = bench_growth(table, folder, options.cards, options.repeat, "folder" in parts)
            for option, empty, full in places if phases else ():
                runs[f"card 1 {option}"] = phases.one_add(first, option, empty, 0)
                runs[f"card {options.cards} {option}"] = phases.one_add(last, option, full, options.profile_top)
        if options.markdown:
            table.print_markdown()
        if runs:
            print_phases(runs)
        return 1 if options.strict and any(row[6] != "ok" for row in table.rows) else 0
    finally:
        if options.workdir is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
