"""docs/cards.md is checked: every example card in it compiles, and it documents the whole vocabulary.

Each `### Example` section of the document holds one pair of fenced blocks, the article's
text (```text) and its card (```yaml). Every pair is written into a copy of the bundled
graph folder and compiled there with `kgtool add --dry-run`, which runs every check
(evidence, hedges, names, shapes) and writes nothing. The verb tables must list exactly
the verbs of the registry (kgtool/cards/vocabulary.py), and every key a card may hold
must be documented in its section.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import GRAPH, ROOT
from kgtool.cards import card as card_module
from kgtool.cards.vocabulary import PATTERNS, PLAIN

DOC = ROOT / "docs" / "cards.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.M | re.S)


def sections(text: str, level: str) -> list[tuple[str, str]]:
    """(heading, body) of every heading of `level` ("##", "###"), the body up to the next heading of that level or above."""
    depth = len(level)
    marks = [m for m in re.finditer(r"^(#{1,6}) (.+)$", text, re.M)]
    found = []
    for i, mark in enumerate(marks):
        if len(mark.group(1)) != depth:
            continue
        end = next((m.start() for m in marks[i + 1:] if len(m.group(1)) <= depth), len(text))
        found.append((mark.group(2).strip(), text[mark.end():end]))
    return found


def examples(text: str) -> list[tuple[str, str, str]]:
    """(title, article text, card) of every `### Example` section."""
    found = []
    for title, body in sections(text, "###"):
        if not title.startswith("Example"):
            continue
        blocks = [(lang, content) for lang, content in FENCE.findall(body) if lang in ("text", "yaml")]
        assert [lang for lang, _ in blocks] == ["text", "yaml"], \
            f"{title!r}: an example holds one ```text block (the article) and then one ```yaml block (its card)"
        found.append((title, blocks[0][1], blocks[1][1]))
    return found


DOC_TEXT = DOC.read_text(encoding="utf-8")
EXAMPLES = examples(DOC_TEXT)


def card_of(card_yaml: str):
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(card_yaml)


def test_every_text_and_card_pair_is_an_example():
    headings = re.findall(r"^### Example\b", DOC_TEXT, re.M)
    assert len(EXAMPLES) == len(headings) > 0
    # a pair outside an Example section would go unchecked
    assert len(re.findall(r"^```text\s*$", DOC_TEXT, re.M)) == len(EXAMPLES)
    ids = [card_of(card)["article"]["id"] for _, _, card in EXAMPLES]
    assert len(set(ids)) == len(ids), "each example has its own article id"


@pytest.fixture(scope="module")
def graph_copy(tmp_path_factory) -> Path:
    """A copy of the bundled graph folder: the examples are compiled against it, never against graph/ itself."""
    target = tmp_path_factory.mktemp("docs-cards") / "graph"
    shutil.copytree(GRAPH, target)
    return target


@pytest.mark.parametrize("title,article,card", EXAMPLES, ids=[re.sub(r"\W+", "-", t).strip("-").lower()
                                                              for t, _, _ in EXAMPLES])
def test_example_compiles(run, graph_copy, title, article, card):
    meta = card_of(card)["article"]
    assert meta.get("fictional") is True, f"{title}: the documentation's articles are invented and say so"
    sources = graph_copy / "sources"
    card_path = sources / f"{meta['id']}.yaml"
    card_path.write_text(card, encoding="utf-8")
    (sources / (meta.get("text") or f"{meta['id']}.txt")).write_text(article, encoding="utf-8")
    assert article.splitlines()[0].strip() == str(meta["headline"]).strip(), f"{title}: the text starts with its headline"

    result = run("add", str(card_path), "--graph", str(graph_copy), "--dry-run")

    assert result.exit_code == 0, f"{title}:\n{result.stderr}"
    assert f"graph:{meta['id']} a " in result.stdout   # the article graph, printed as TriG
    assert "would add" in result.stderr
    assert not (graph_copy / "articles" / f"{meta['id']}.trig").exists()   # a dry run writes nothing


def documented_verbs(text: str) -> list[str]:
    """The verbs of the tables under '## Fact verbs': the first cell of each row, in backticks."""
    (body,) = [body for title, body in sections(text, "##") if title.startswith("Fact verbs")]
    return re.findall(r"^\|\s*`([^`]+)`\s*\|", body, re.M)


def test_the_verb_tables_list_exactly_the_registry():
    listed = documented_verbs(DOC_TEXT)
    registry = set(PLAIN) | set(PATTERNS)
    assert len(listed) == len(set(listed)), "each verb is listed once"
    assert sorted(set(listed) - registry) == [], "documented verbs the registry does not have"
    assert sorted(registry - set(listed)) == [], "verbs of the registry the document does not list"


def test_every_verb_is_used_by_an_example():
    used = set()
    for _, _, card in EXAMPLES:
        for item in card_of(card).get("facts") or []:
            parts = [p.strip() for p in item["fact"].split("|")]
            used.add(parts[1].lower())
    assert sorted((set(PLAIN) | set(PATTERNS)) - used) == []


@pytest.mark.parametrize("heading,keys", [
    ("The card's parts", card_module.TOP_KEYS),
    ("article:", card_module.ARTICLE_KEYS),
    ("article:", card_module.IMAGE_KEYS),
    ("entities:", card_module.ENTITY_KEYS),
    ("facts:", card_module.FACT_KEYS),
    ("quotes:", card_module.QUOTE_KEYS),
])
def test_every_key_is_documented_in_its_section(heading, keys):
    (body,) = [body for title, body in sections(DOC_TEXT, "##") if title.startswith(heading)]
    rows = set(re.findall(r"^\|\s*`([^`:]+):?`", body, re.M))
    assert sorted(set(keys) - rows) == [], f"keys of {heading} without a row in its table"
