"""Every `--help` teaches: an example, a description for every option, 80 columns, every exit code.

The tests walk kgtool.cli.COMMANDS, so a new command is held to the same rules.
"""

from __future__ import annotations

import re

import click
import pytest
from click.shell_completion import CompletionItem
from click.testing import CliRunner

from conftest import QUERIES
from kgtool.cli import COMMANDS, EPILOG, cli

WIDTH = 80
NAMES = sorted(COMMANDS)
EXIT_CODES = ("0", "1", "2", "3", "130")


def command_of(name: str) -> click.Command:
    return cli.get_command(click.Context(cli), name)


def rendered_help(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="kgtool", terminal_width=WIDTH)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_tests_walk_every_command():
    assert len(NAMES) == 14
    assert NAMES == ["add", "describe", "export", "generate", "load", "new-card", "path", "push", "query", "remove",
                     "serve", "stats", "validate", "viz"]


@pytest.mark.parametrize("name", NAMES)
def test_every_command_help_has_an_example(name):
    text = rendered_help(name)
    block = re.search(r"^  Examples?:\n((?:    kgtool .*\n)+)", text, re.MULTILINE)
    assert block, f"kgtool {name} --help has no 'Example:' block of kgtool lines"
    assert any(line.split()[1] == name for line in block.group(1).splitlines()), block.group(1)


@pytest.mark.parametrize("name", ["", *NAMES])
def test_no_help_line_is_wider_than_80_columns(name):
    text = rendered_help(*([name] if name else []))
    wide = [line for line in text.splitlines() if len(line) > WIDTH]
    assert not wide, f"kgtool {name} --help at {WIDTH} columns:\n" + "\n".join(wide)


@pytest.mark.parametrize("name", ["", *NAMES])
def test_no_raw_help_line_is_wider_than_78_columns(name):
    """click prints a \\b paragraph as written, indented by two: 78 columns of text fill 80."""
    command = command_of(name) if name else cli
    raw = (command.help or "") + "\n" + (command.epilog or "")
    wide = [line for line in raw.splitlines() if len(line) > WIDTH - 2]
    assert not wide, f"kgtool {name}: help text lines over {WIDTH - 2} columns:\n" + "\n".join(wide)


@pytest.mark.parametrize("name", NAMES)
def test_every_option_has_a_description(name):
    undescribed = [option.opts[-1] for option in command_of(name).params
                   if isinstance(option, click.Option) and not (option.help or "").strip()]
    assert not undescribed, f"kgtool {name}: options without help: {undescribed}"


@pytest.mark.parametrize("name", NAMES)
def test_every_argument_is_explained_in_the_help(name):
    command = command_of(name)
    for argument in (p for p in command.params if isinstance(p, click.Argument)):
        word = (argument.metavar or argument.name.upper()).strip("[].")
        assert re.search(rf"\b{re.escape(word)}\b", command.help), f"kgtool {name}: say what {word} is"


def test_the_summary_names_every_command_with_its_line():
    text = rendered_help()
    listed = re.search(r"^Commands:\n((?:  .*\n)+)", text, re.MULTILINE).group(1)
    assert [line.split()[0] for line in listed.splitlines()] == NAMES, "one line per command, none wrapped"
    for line, name in zip(listed.splitlines(), NAMES):
        assert line.split(None, 1)[1] == COMMANDS[name][1]


def test_the_exit_code_line_names_every_code():
    text = rendered_help()
    paragraph = text[text.index("Exit codes:"):]
    assert [code for code in EXIT_CODES if re.search(rf"(?<![\d.]){code} ", paragraph)] == list(EXIT_CODES)
    assert "interrupted" in paragraph
    assert "Exit codes:" in EPILOG


def test_the_top_level_help_has_examples():
    assert re.search(r"^  Examples?:\n(    kgtool .*\n)+", rendered_help(), re.MULTILINE)


# --- shell completion of query names ---------------------------------------------------

def named_queries() -> list[str]:
    return sorted(path.stem for path in QUERIES.glob("*.rq"))


def complete(name: str, param_name: str, incomplete: str, args: list[str] | None = None) -> list[CompletionItem]:
    command = command_of(name)
    param = next(p for p in command.params if p.name == param_name)
    ctx = command.make_context(name, list(args or []), resilient_parsing=True)
    return param.shell_complete(ctx, incomplete)


def test_query_completes_named_queries_with_their_summaries():
    items = complete("query", "query_spec", "0")
    assert [item.value for item in items] == [q for q in named_queries() if q.startswith("0")]
    assert len(items) == 9
    assert items[0].help == "Which series was canceled, by whom, after how many seasons?"
    assert [item.value for item in complete("query", "query_spec", "")] == named_queries()
    assert [item.value for item in complete("query", "query_spec", "25")] == ["25-lineage"]


def test_viz_query_option_completes_named_queries():
    assert [item.value for item in complete("viz", "query_spec", "2")] == [
        q for q in named_queries() if q.startswith("2")]


def test_completion_falls_back_to_files_for_paths(tmp_path):
    items = complete("query", "query_spec", "my/")
    assert [(item.value, item.type) for item in items] == [("my/", "file")]
    (tmp_path / "mine.rq").write_text("# Mine\nSELECT * WHERE { ?s ?p ?o }\n")
    items = complete("query", "query_spec", "m", ["--queries", str(tmp_path)])
    assert [item.value for item in items] == ["mine"]


def test_completion_through_the_environment_variable_as_bash_asks():
    env = {"_KGTOOL_COMPLETE": "bash_complete", "COMP_WORDS": "kgtool query 0", "COMP_CWORD": "2"}
    result = CliRunner().invoke(cli, [], prog_name="kgtool", env=env)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"plain,{q}" for q in named_queries() if q.startswith("0")]


def test_zsh_and_fish_get_the_summaries_too():
    summary = "Which works inspired a work, and how strongly? (default: Soundtrack)"
    asks = {"zsh": ("3", ["plain", "06-inspirations", summary]),  # fish passes the word, zsh its position
            "fish": ("06", [f"plain,06-inspirations\t{summary}"])}
    for shell, (word, expected) in asks.items():
        env = {"_KGTOOL_COMPLETE": f"{shell}_complete", "COMP_WORDS": "kgtool viz --query 06", "COMP_CWORD": word}
        result = CliRunner().invoke(cli, [], prog_name="kgtool", env=env)
        assert result.stdout.splitlines() == expected, shell


def test_the_bash_script_is_what_the_readme_tells_to_source():
    result = CliRunner().invoke(cli, [], prog_name="kgtool", env={"_KGTOOL_COMPLETE": "bash_source"})
    assert result.exit_code == 0
    assert "_kgtool_completion()" in result.stdout and "_KGTOOL_COMPLETE=bash_complete" in result.stdout
