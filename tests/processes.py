"""Processes as the kernel sees them, for tests that stop kgtool and check what is left running."""

from __future__ import annotations

import pytest



def children() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, program name, state) for every process now."""
    from pathlib import Path

    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        state, ppid = text[text.rindex(")") + 2:].split()[:2]
        found[int(stat.parent.name)] = (int(ppid), name, state)
    return found


def descendants(pid: int) -> set[int]:
    table, found, todo = children(), set(), [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _, _) in table.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def living(pids: set[int]) -> list[str]:
    table = children()
    return [f"{pid} {table[pid][1]}" for pid in sorted(pids) if pid in table and table[pid][2] != "Z"]


def wait_for(condition, seconds: float):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return condition()


@pytest.fixture(scope="module")
def six_thousand_people(tmp_path_factory):
    """A graph of 6,000 people who know one another at random: seconds to load, longer to lay out."""
    import random

    rnd, lines = random.Random(7), ["@prefix schema: <https://schema.org/> .",
                                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    for i in range(6000):
        lines.append(f'<https://kgtool.example/id/person/p{i}> a schema:Person ; rdfs:label "Person {i}" ; '
                     f"schema:knows <https://kgtool.example/id/person/p{rnd.randrange(6000)}> .")
    path = tmp_path_factory.mktemp("people") / "big.ttl"
    path.write_text("\n".join(lines) + "\n")
    return path
