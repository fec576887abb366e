"""`kgtool new-card` on a 1,000-word article, against reading the text, in the same run.

    python bench/new_card.py [--words 1000] [--runs 7]

Builds an article of at least --words words from the bundled article texts (the
Soundtrack article's headline, then the paragraphs of every text in
graph/sources/, in turn, until there are enough words), writes it to a temporary
folder, and times, median of --runs:

- core: `card_skeleton(text, index)` in this process, the Index of the bundled
  graph built once beforehand; and the same with the graph loaded and indexed
  (what the command does in its worker);
- command: the whole `kgtool new-card ARTICLE` process;

each against its baseline: reading the text in this process (`Path.read_text`),
and a Python process that reads it (`python -c "open(...).read()"`). The issue's
target is the command under a second on this machine's kind.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "graph" / "sources"
PY = sys.executable
KGTOOL = shutil.which("kgtool", path=str(Path(PY).parent)) or "kgtool"
TARGET = 1.0  # seconds, the whole command


def article(words: int) -> str:
    """A headline and paragraphs of the bundled texts, in turn, until `words` words."""
    texts = [SOURCES / "et-soundtrack-canceled.txt"] + sorted(p for p in SOURCES.glob("*.txt")
                                                              if p.name != "et-soundtrack-canceled.txt")
    paragraphs = [[line for line in path.read_text(encoding="utf-8").splitlines()[1:] if len(line.split()) > 8]
                  for path in texts]
    headline = (SOURCES / "et-soundtrack-canceled.txt").read_text(encoding="utf-8").splitlines()[0]
    lines, count, turn = [headline, ""], 0, 0
    while count < words:
        source = paragraphs[turn % len(paragraphs)]
        paragraph = source[(turn // len(paragraphs)) % len(source)]
        lines += [paragraph, ""]
        count += len(paragraph.split())
        turn += 1
    return "\n".join(lines)


def timed(work, runs: int) -> tuple[float, float]:
    """(the first run, the median of the others) in seconds."""
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from kgtool.cards.reconcile import Index
    from kgtool.cards.skeleton import card_skeleton
    from kgtool.paths import bundled
    from kgtool.store import load

    folder = Path(tempfile.mkdtemp(prefix="kgtool-new-card-"))
    try:
        path = folder / "bench-article.txt"
        path.write_text(article(args.words), encoding="utf-8")
        text = path.read_text(encoding="utf-8")
        index = Index.from_store(load([bundled("graph")]))

        def with_graph():
            card_skeleton(text, Index.from_store(load([bundled("graph")])), article_id="bench-article")

        rows = [
            ("core: card_skeleton (index built)", lambda: card_skeleton(text, index, article_id="bench-article"),
             "read the text", lambda: path.read_text(encoding="utf-8")),
            ("core: load + index + card_skeleton", with_graph,
             "read the text", lambda: path.read_text(encoding="utf-8")),
            ("command: kgtool new-card", lambda: _run([KGTOOL, "new-card", str(path)]),
             "python reads the text", lambda: _run([PY, "-c", f"open({str(path)!r}, encoding='utf-8').read()"])),
        ]
        card = card_skeleton(text, index, article_id="bench-article")
        print(f"article: {len(text.split())} words, {len(text)} characters; the card: {len(card.splitlines())} lines, "
              f"{card.count('- fact:')} facts, {card.count('- speaker:')} quotes")
        print(f"{'work':38} {'first s':>8} {'median s':>9}  {'baseline':24} {'median s':>9}  {'ratio':>8}")
        verdict = "ok"
        for name, work, base_name, base in rows:
            first, ours = timed(work, args.runs)
            _, theirs = timed(base, args.runs)
            print(f"{name:38} {first:8.3f} {ours:9.3f}  {base_name:24} {theirs:9.6f}  {ours / theirs:8.1f}")
            if name.startswith("command") and ours >= TARGET:
                verdict = "MISS"
        print(f"target: the command under {TARGET:.0f} s: {verdict}")
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")


if __name__ == "__main__":
    sys.exit(main())
