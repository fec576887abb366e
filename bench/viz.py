"""Drawing a big relation graph, timed against building the networkx graph alone (same run).

    python bench/viz.py [--entities 5000] [--formats json,graphml,gexf,dot,html,svg] [--browser]

Makes a synthetic graph with `kgtool generate` (sized to give about
--entities drawn entities), loads it, builds the relation graph (the
baseline), then draws it in each format. With --browser, also opens the HTML
page in headless Chromium and times its layout.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# kgtool generate's articles hold about this many statements per drawn entity.
STATEMENTS_PER_ENTITY = 240


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

    from kgtool.pictures.drawing import draw
    from kgtool.paths import bundled
    from kgtool.pictures.request import GraphRequest, relation_graph
    from kgtool.store import load
    from kgtool.synthetic import generate, ontology_quads

    folder = Path(tempfile.mkdtemp(prefix="kgtool-bench-"))
    data = folder / "synthetic.nq"
    with data.open("w", encoding="utf-8") as stream:
        generate(stream, args.entities * STATEMENTS_PER_ENTITY, 7, 0,
                 list(ontology_quads(bundled("graph") / "ontology.ttl")))
    store = load([data])
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
