"""Sentence segmenters for article cards (kgtool.cards.sentences): accuracy on gold sentences, and time.

    python bench/segmenters.py [--repeat 20]

Candidates: pysbd and syntok as they come, and each with kgtool's repairs on top
(`kgtool.cards.sentences.repaired`: no boundary inside a closed quotation, none before a
lower-case continuation, "Vol. 2", "Warner Bros. Television", "E! News", "9 a.m. ET",
`“Wow!” Safran said.`, none after a piece that ends without a stop, none in a line that is a
headline (title case, no final stop); a boundary after a quoted sentence ending in a full stop).
Every line is a hard boundary for all of them (kgtool.cards.sentences.segment).

Gold: the 22 sentence nodes of graph/articles/et-soundtrack-canceled.trig (its text with
the card's skip lines), and HARD below, written for this bench: one line each, the
sentences as a careful editor would cut them. A sentence counts as right when its start
and end are the gold one's; a case when all of its sentences are.

Time: best of --repeat, splitting the Soundtrack text and an article of about 1,000 words
(the Soundtrack text's paragraphs repeated), as a ratio against the fastest candidate in
the same run; pysbd's first call (it compiles its rules) is timed apart.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kgtool.cards import sentences  # noqa: E402

SOURCE = HERE.parent / "graph" / "sources" / "et-soundtrack-canceled.txt"
ARTICLE = HERE.parent / "graph" / "articles" / "et-soundtrack-canceled.trig"
SKIP = ("Watch the clip below for more:", "Related Gallery")

HARD = [
    ["Martin Luther King Jr. was born in Atlanta.", "He was a minister."],
    ["Robert Downey Jr. and Gwyneth Paltrow star.", "The film opens Friday."],
    ["Dr. Dre produced the album.", "It sold well."],
    ["She moved to L.A. in 2010.", "Then she met him."],
    ["V. E. Schwab wrote the novel.", "The series adapts it."],
    ["The novel by J. K. Rowling was adapted.", "HBO ordered it."],
    ["The cast includes Samuel L. Jackson and Uma Thurman.", "Quentin Tarantino directs."],
    ["He lives in the U.K. with his wife.", "She is an actress."],
    ["The film, released in the U.S. on Friday, grossed $10 million.", "It was a hit."],
    ["The deal, worth $3.5 million, closed.", "It was signed by Mr. Smith at 5 p.m. on Friday."],
    ["Sen. Warren spoke first.", "St. Louis hosted the event."],
    ["The show premiered Aug. 9, 2019, on Netflix.", "It was canceled later."],
    ["The company, Netflix Inc., declined to comment.", "A spokesperson said nothing."],
    ["“I loved it. I cried,” she said.", "He left."],
    ["“Is it over? Yes,” he asked.", "Nobody answered."],
    ["\"I loved it. I cried,\" she said.", "He left."],
    ["“Why? Because we could. Why not?” he said.", "The crowd laughed."],
    ["He said, “It was the best. Honestly! I mean it.”", "Then he left."],
    ["She said: “I can’t wait! It’s going to be huge.”", "The show airs in June."],
    ["“We’re thrilled. The fans asked for it. Here it is,” said showrunner Joshua Safran.",
     "Production starts soon."],
    ["“That’s it. We’re done,” the showrunner wrote on Twitter.", "“Thank you all.”"],
    ["“Wow!” she said.", "Then she laughed."],
    ["“I loved it!” Safran said of the show.", "It ended in May."],
    ["He called it “the best.”", "The crowd cheered."],
    ["Jenna Dewan’s new show is ‘Flirty Dancing.’", "It airs on Fox."],
    ["He appeared in Vol. 2 of the series.", "Fans loved it."],
    ["Production on Pt. 2 begins soon.", "It stars Kiernan Shipka."],
    ["The series, from Warner Bros. Television, premieres in May.", "It stars Jane Doe."],
    ["The show is produced by Warner Bros. TV.", "It airs Thursdays."],
    ["E! News reported the split.", "Neither star commented."],
    ["The trailer dropped at 9 a.m. ET Friday.", "Fans went wild."],
    ["He plays Lt. Dan in the remake.", "Filming begins soon."],
    ["Filming begins in Calif. next month.", "The cast is set."],
    ["Gov. Newsom signed the bill.", "Studios cheered."],
    ["George R.R. Martin wrote the books.", "HBO adapted them."],
    ["E.L. James wrote the novel.", "It sold millions."],
    ["She earned a Ph.D. in film studies.", "Then she directed."],
    ["The genres, e.g. comedy and drama, were mixed.", "It worked."],
    ["They sold props, costumes, etc. at the auction.", "Fans bought them."],
    ["The song hit No. 1 on the Billboard Hot 100.", "It stayed there."],
    ["He paused ... and left.", "She stayed."],
    ["Will it return?", "Nobody knows."],
    ["(The network declined to comment.)", "The show ends in May."],
    ["Visit etonline.com for more.", "It is free."],
    ["It drew 3.2 million viewers.", "That was a record."],
    ["The finale airs at 8 p.m. Sunday on HBO.", "It runs long."],
    ["Mr. & Mrs. Smith is a remake.", "It stars Donald Glover."],
    ["Capt. Marvel returns next year.", "Fans are thrilled."],
    ["The show airs on the CW.", "It stars Kiernan Shipka."],
    ["Mamma Mia! Here We Go Again opens in July.", "Cher stars."],
    ["Who Wants to Be a Millionaire? returns in May.", "Jimmy Kimmel hosts."],
    ["“It’s over,” she said, “and I’m glad. Really glad.”", "Then she left."],
    ["“No,” he said.", "“Never.”"],
    ["She wrote: “Thank you! I love you all!”", "Fans replied."],
    ["The spokesperson said the show “will not return.”", "Fans protested."],
    ["Reps for Netflix did not respond to ET’s request for comment.", "The show is streaming."],
    ["The show was created by Joshua Safran (Smash, Gossip Girl).", "It has 10 episodes."],
    ["The film stars Jamie Lee Curtis, Lindsay Lohan, et al. and opens Friday.", "It is a sequel."],
    ["The studio, Lionsgate Films Ltd., confirmed it.", "A sequel is planned."],
    ["The Jan. 6 episode drew fans.", "It was the finale."],
    ["It opens Dec. 25 in theaters.", "Tickets are on sale."],
    ["“I can’t believe it,” Dewan, 38, told ET.", "She laughed."],
    ["Sgt. Pepper’s Lonely Hearts Club Band turns 50.", "Fans celebrate."],
    ["The show\u00a0ended.", "It began\u00a0again."],
    ["'Harbor Lights' Adds Talia Brooks for Season 3 as Dominic Reyes Jr. Exits"],  # headlines: one unit
    ["Is 'Soundtrack' Over? Netflix Pulls the Plug"],
]


def syntok_cuts(line: str) -> list[int]:
    """Where syntok starts a new sentence in the line (a kgtool.cards.sentences.Cutter)."""
    import syntok.segmenter

    starts = [sentence[0].offset for paragraph in syntok.segmenter.analyze(line) for sentence in paragraph]
    return [at for at in starts if at > 0 and line[:at].strip()]


def candidates():
    return {
        "pysbd": (sentences.pysbd_cuts, False),
        "syntok": (syntok_cuts, False),
        "pysbd + repairs (chosen)": (sentences.pysbd_cuts, True),
        "syntok + repairs": (syntok_cuts, True),
    }


def gold_soundtrack() -> list[str]:
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(ARTICLE), format=ox.RdfFormat.TRIG)
    query = """PREFIX kg: <https://kgtool.example/ns#> PREFIX schema: <https://schema.org/>
        SELECT ?p ?t WHERE { GRAPH ?g { ?s a kg:Sentence ; kg:position ?p ; schema:text ?t } } ORDER BY ?p"""
    return [row["t"].value for row in store.query(query)]


def spans_of(text: str, parts: list[str]) -> set[tuple[int, int]]:
    spans, cursor = set(), 0
    for part in parts:
        at = text.index(part, cursor)
        spans.add((at, at + len(part)))
        cursor = at + len(part)
    return spans


def score(cutter, repair, text, skip, gold) -> tuple[int, int]:
    got = {(s.start, s.end) for s in sentences.segment(text, skip, cutter, repair=repair)}
    wanted = spans_of(text, gold)
    return len(got & wanted), int(got == wanted)


def best_time(cutter, repair, text, skip, repeat) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        sentences.segment(text, skip, cutter, repair=repair)
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    soundtrack = SOURCE.read_text(encoding="utf-8")
    paragraphs = [p for p in soundtrack.split("\n\n") if p.strip() and p.strip() not in SKIP]
    chosen: list[str] = []
    while sum(len(p.split()) for p in chosen) < 1000:
        chosen.append(paragraphs[len(chosen) % len(paragraphs)])
    long_article = "\n\n".join(chosen)
    gold = gold_soundtrack()

    began = time.perf_counter()
    sentences.split(soundtrack, SKIP)
    first = time.perf_counter() - began

    rows = []
    for name, (cutter, repair) in candidates().items():
        right, whole = score(cutter, repair, soundtrack, SKIP, gold)
        hard = [score(cutter, repair, " ".join(case), (), case) for case in HARD]
        rows.append((name, right, whole, sum(r for r, _ in hard), sum(w for _, w in hard),
                     best_time(cutter, repair, soundtrack, SKIP, args.repeat),
                     best_time(cutter, repair, long_article, (), args.repeat)))
    fastest_short = min(row[5] for row in rows)
    fastest_long = min(row[6] for row in rows)
    total_hard = sum(len(case) for case in HARD)
    print(f"gold: Soundtrack {len(gold)} sentences; hard cases {len(HARD)} ({total_hard} sentences); "
          f"long article {len(long_article.split())} words")
    print("| segmenter | Soundtrack right | hard sentences right | hard cases right | "
          "Soundtrack time | ratio | 1,000 words time | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, right, whole, hard_right, hard_whole, short, long in rows:
        print(f"| {name} | {right}/{len(gold)}{' (all)' if whole else ''} | {hard_right}/{total_hard} | "
              f"{hard_whole}/{len(HARD)} | {short * 1000:.2f} ms | {short / fastest_short:.1f} | "
              f"{long * 1000:.2f} ms | {long / fastest_long:.1f} |")
    print(f"first split in this process (pysbd compiling its rules): {first * 1000:.1f} ms")
    for name, (cutter, repair) in candidates().items():
        for case in HARD:
            got = [s.text for s in sentences.segment(" ".join(case), (), cutter, repair=repair)]
            if got != case:
                print(f"  {name} misses: {got}")


if __name__ == "__main__":
    main()
