"""The README's examples are what kgtool prints (the cog / sqlite-utils pattern).

Every fenced block of README.md with `$ kgtool ...` lines is run, one block per
test, in a fresh folder: each command in-process (CliRunner), its output
(stdout and stderr, as a terminal shows them) compared with the lines below it.
The README states the conventions in "How to read the examples":

- a line `...` stands for any number of lines; blank lines after an output separate commands;
- `# comment` after a command is not part of it; `printf TEXT | kgtool ...` pipes TEXT in;
- times and rates (a number before ` s` or `/s`) differ from run to run and
  machine to machine: each is any number, padded by any spaces;
- in a block that starts with `# numbers vary`, every number is any number, and
  `--triples N` above SMALL runs as `--triples SMALL` (a million triples would
  make the test slow, and what a smaller run prints differs in its numbers only).

On a failure the message shows the block as kgtool prints it now, to paste into the README.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, require
from kgtool.cli import cli

README = ROOT / "README.md"
VARYING = "# numbers vary"
COPY = "in a copy of the project"
SMALL = 100_000
NUMBER = re.compile(r"\d[\d,.]*")
TIME = re.compile(r"\d[\d,.]*(?= ?s\b|/s\b)")  # 7.9 s, 126,930/s: times and rates vary in every block
ANY_NUMBER = r"\d[\d,.]*"


@dataclass
class Step:
    line: str  # as written after '$ '
    expected: list[str] = field(default_factory=list)


@dataclass
class Example:
    first_line: int  # 1-based line of README.md where the block starts
    varying: bool
    steps: list[Step]
    in_a_copy: bool = False  # graph/ is a copy of the bundled graph

    @property
    def name(self) -> str:
        return f"README.md:{self.first_line}: {self.steps[0].line[:60]}"


def examples(text: str) -> list[Example]:
    found = []
    for match in re.finditer(r"^```[^\n]*\n(.*?)^```", text, re.DOTALL | re.MULTILINE):
        lines = match.group(1).splitlines()
        if not any(line.startswith("$ kgtool") or " | kgtool " in line for line in lines if line.startswith("$ ")):
            continue
        first_line = text.count("\n", 0, match.start()) + 1
        comment = lines[0] if lines and lines[0].startswith("# ") else ""
        found.append(Example(first_line, VARYING[2:] in comment, _steps(lines), COPY in comment))
    return found


def _steps(lines: list[str]) -> list[Step]:
    steps: list[Step] = []
    for line in lines:
        if line.startswith("$ "):
            steps.append(Step(line[2:]))
        elif steps:
            steps[-1].expected.append(line)
        else:
            assert line.startswith("# "), f"output before any command: {line!r}"
    for step in steps:  # a blank line between two commands is not output
        while step.expected and not step.expected[-1].strip():
            step.expected.pop()
    return steps


def command_line(step: Step, varying: bool) -> tuple[list[str], str | None]:
    """The arguments after `kgtool`, and what is piped in."""
    words = shlex.split(step.line, comments=True)
    stdin = None
    if "|" in words:
        pipe = words.index("|")
        assert words[:1] in (["printf"], ["echo"]) and pipe == 2, f"only 'printf TEXT |' pipes: {step.line}"
        stdin = words[1].encode().decode("unicode_escape") if words[0] == "printf" else words[1] + "\n"
        words = words[pipe + 1:]
    assert words[0] == "kgtool", step.line
    args = words[1:]
    if varying:
        args = [str(min(int(a), SMALL)) if i and args[i - 1] in ("--triples", "-n") else a
                for i, a in enumerate(args)]
    return args, stdin


def pattern(expected: list[str], varying: bool) -> re.Pattern:
    parts = []
    for line in expected:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
            continue
        parts.append(line_pattern(line.rstrip(), NUMBER if varying else TIME) + r"\n")
    return re.compile("".join(parts))


def line_pattern(line: str, wildcard: re.Pattern) -> str:
    """The line, with what `wildcard` finds as any number; where numbers vary, so do the spaces that pad them."""
    texts = wildcard.split(line)
    if len(texts) == 1 and wildcard is not NUMBER:
        return re.escape(line)
    return ANY_NUMBER.join(re.sub(r"(?:\\ )+", " +", re.escape(text)) for text in texts)


ALL = examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_its_examples():
    """Counted so that a parser gone wrong cannot pass by finding nothing: update on adding an example."""
    assert len(ALL) == 15, [e.name for e in ALL]
    assert sum(len(e.steps) for e in ALL) == 42
    assert [e.varying for e in ALL].count(True) == 5
    assert [e.in_a_copy for e in ALL].count(True) == 1


def test_every_command_has_a_checked_example_and_every_exit_code_a_row():
    from kgtool.cli import COMMANDS, EPILOG

    run = {command_line(step, False)[0][0] for example in ALL for step in example.steps}
    assert run >= set(COMMANDS), f"commands without a README example: {set(COMMANDS) - run}"
    table = re.findall(r"^\| (\d+) \|", README.read_text(encoding="utf-8"), re.MULTILINE)
    epilog = re.findall(r"(?<![\w.])(\d+) (?=[a-z])", EPILOG.split("Exit codes:")[1])
    assert table == epilog == ["0", "1", "2", "3", "130"]


def test_times_vary_everywhere_and_every_number_in_a_varying_block():
    line = "kgtool: created s: 1,000,203 statements from 1 file in 7.9 s (126,930/s) ETA    0 s"
    varying = pattern([line, "..."], varying=True)
    assert varying.fullmatch("kgtool: created s: 100,068 statements from 1 file in 12.25 s (8,000/s) ETA   12 s\n"
                             "more\n")
    assert not varying.fullmatch("kgtool: created s: 100,068 triples from 1 file in 1 s (8/s) ETA 0 s\n")
    exact = pattern([line], varying=False)
    assert exact.fullmatch("kgtool: created s: 1,000,203 statements from 1 file in 0.3 s (126/s) ETA 1 s\n")
    assert not exact.fullmatch("kgtool: created s: 1,000,204 statements from 1 file in 7.9 s (126,930/s) ETA 0 s\n")
    assert not pattern(["(2 rows)"], varying=False).fullmatch("(3 rows)\n")
    assert pattern(["a", "...", "b"], varying=False).fullmatch("a\nb\n")


@pytest.mark.parametrize("example", ALL, ids=[e.name for e in ALL])
def test_readme_example(example, tmp_path, monkeypatch):
    if any(" viz" in step.line or "--draw" in step.line for step in example.steps):
        require("dot", "graphviz")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    if example.in_a_copy:
        shutil.copytree(ROOT / "graph", tmp_path / "graph")
    runner = CliRunner()
    failures, now = [], []
    for step in example.steps:
        args, stdin = command_line(step, example.varying)
        result = runner.invoke(cli, args, input=stdin, prog_name="kgtool", catch_exceptions=False)
        output = "".join(line.rstrip() + "\n" for line in result.output.splitlines())
        now += [f"$ {step.line}", *output.splitlines()]
        assert result.exit_code != 3, f"{example.name}: $ {step.line}\n{result.output}"
        if not pattern(step.expected, example.varying).fullmatch(output):
            failures.append(f"$ {step.line}")
    assert not failures, (f"{example.name}: the output of {failures} is not what the README shows; "
                          "kgtool prints now:\n" + "\n".join(now))
