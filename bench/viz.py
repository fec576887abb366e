"""Drawing a big relation graph, timed against building the networkx graph alone (same run).

    python bench/viz.py [--entities 5000] [--formats json,graphml,gexf,dot,html,svg] [--browser]

Makes a synthetic graph in the project's model (people, series, roles with
characters, inspirations, broadcasters; every fact with a claim and an
evidence sentence; popularity skewed like real news), loads it, builds the
relation graph (the baseline), then draws it in each format. With --browser,
also opens the HTML page in headless Chromium and times its layout.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PREFIXES = """@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix kg: <https://kgtool.example/ns#> .
@prefix id: <https://kgtool.example/id/> .
@prefix graph: <https://kgtool.example/graph/> .
"""


class Synthetic:
    """A TriG text with about `entities` drawn entities, all facts claimed."""

    def __init__(self, entities: int, seed: int = 7):
        self.rng = random.Random(seed)
        self.lines: list[str] = []
        self.claims = 0
        self.seen: set[int] = set()
        self.people = max(2, entities * 45 // 100)
        self.works = max(2, entities * 35 // 100)
        self.characters = max(1, entities * 15 // 100)
        self.networks = max(1, entities - self.people - self.works - self.characters)

    def fact(self, s: str, p: str, o: str) -> None:
        self.claims += 1
        n = self.claims
        self.lines.append(f"{s} {p} {o} .")
        self.lines.append(f"id:sentence-{n} a kg:Sentence ; kg:position {n} ; "
                          f'schema:isPartOf id:article-synthetic ; schema:text "Synthetic sentence {n}." .')
        self.lines.append(f"id:claim-{n} a kg:Claim ; rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ; "
                          f"kg:evidence id:sentence-{n} .")

    def popular_person(self) -> str:
        return self.person(min(int(self.rng.paretovariate(1.2)) - 1, self.people - 1))

    def person(self, index: int) -> str:
        self.seen.add(index)
        return f"id:person-{index}"

    def trig(self) -> str:
        for kind, count, cls in (("person", self.people, "schema:Person"), ("work", self.works, "schema:TVSeries"),
                                 ("character", self.characters, "kg:FictionalCharacter"),
                                 ("network", self.networks, "schema:Organization")):
            for i in range(count):
                self.lines.append(f'id:{kind}-{i} a {cls} ; rdfs:label "Synthetic {kind} {i}" .')
        for w in range(self.works):
            work = f"id:work-{w}"
            self.fact(work, "schema:creator", self.popular_person())
            self.fact(work, "kg:originalBroadcaster", f"id:network-{self.rng.randrange(self.networks)}")
            if w and self.rng.random() < 0.3:
                self.fact(work, "kg:inspiredBy", f"id:work-{self.rng.randrange(w)}")
            for r in range(self.rng.randint(1, 3)):
                role = f"id:role-{w}-{r}"
                self.lines.append(f"{role} a schema:PerformanceRole .")
                self.fact(work, "schema:actor", role)
                self.fact(role, "schema:actor", self.person(self.rng.randrange(self.people)))
                self.fact(role, "kg:playsCharacter", f"id:character-{self.rng.randrange(self.characters)}")
        for p in sorted(set(range(self.people)) - self.seen):  # everyone appears somewhere
            self.fact(f"id:person-{p}", "schema:worksFor", f"id:network-{self.rng.randrange(self.networks)}")
        for c in range(self.characters):
            self.fact(f"id:character-{c}", "schema:character", f"id:work-{self.rng.randrange(self.works)}")
        body = "\n".join(self.lines)
        return (PREFIXES + "graph:synthetic a kg:ArticleGraph ; prov:wasDerivedFrom id:article-synthetic .\n"
                f"graph:synthetic {{\nid:article-synthetic a schema:NewsArticle .\n{body}\n}}\n")


def timed(action):
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def browser_layout(page_path: Path) -> float:
    from playwright.sync_api import sync_playwright

    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=flags)
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(page_path.as_uri())
        page.wait_for_selector("body[data-layout=done]", timeout=600_000)
        took = time.perf_counter() - start
        browser.close()
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--formats", default="json,graphml,gexf,dot,html,svg")
    parser.add_argument("--browser", action="store_true", help="also time the page's layout in Chromium")
    args = parser.parse_args()

    from kgtool.drawing import draw
    from kgtool.paths import bundled
    from kgtool.pictures import GraphRequest, relation_graph
    from kgtool.store import load

    folder = Path(tempfile.mkdtemp(prefix="kgtool-bench-"))
    data = folder / "synthetic.trig"
    data.write_text(Synthetic(args.entities).trig(), encoding="utf-8")
    store = load([data, bundled("graph") / "ontology.ttl"])
    build_time, graph = timed(lambda: relation_graph(store, GraphRequest()))
    print(f"relation graph: {graph.number_of_nodes()} entities, {graph.number_of_edges()} relations, "
          f"from {len(store)} quads")
    print(f"{'work':<28}{'seconds':>10}{'ratio to build':>16}")
    print(f"{'build networkx graph':<28}{build_time:>10.2f}{1.0:>16.2f}")
    for fmt in args.formats.split(","):
        took, picture = timed(lambda: draw(graph, fmt, title="synthetic"))
        (folder / f"picture.{fmt}").write_bytes(picture)
        print(f"{'draw ' + fmt:<28}{took:>10.2f}{took / build_time:>16.2f}")
    if args.browser and "html" in args.formats.split(","):
        took = browser_layout(folder / "picture.html")
        print(f"{'page layout in Chromium':<28}{took:>10.2f}{took / build_time:>16.2f}")
    print(f"files in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
