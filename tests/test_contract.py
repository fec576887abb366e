"""The exit-code contract: every way kgtool ends is one documented line and one documented code.

Usage errors are kgtool's one line, not click's block; plain `kgtool` is help
on stdout; Ctrl-C and SIGTERM exit 130 with `kgtool: interrupted`, after the
half-written output has been removed (tested in real processes, since signals
are what matters).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest

from conftest import ROOT
from kgtool import errors

KGTOOL = [sys.executable, "-m", "kgtool"]
EXIT_CODES = sorted(value for name, value in vars(errors).items() if name.startswith("EXIT_"))


# --- usage errors --------------------------------------------------------------------

@pytest.mark.parametrize("args,line", [
    (("export", "--xyzzy"), "no such option '--xyzzy'; see kgtool export --help"),
    (("export", "--outpt", "x.ttl"), "no such option '--outpt' (did you mean '--output'?); see kgtool export --help"),
    (("describe",), "missing argument 'ENTITY'; see kgtool describe --help"),
    (("export", "-f", "nope"), "invalid value for '--format' / '-f': 'nope' is not one of 'turtle', 'ntriples', "
                               "'nquads', 'trig', 'jsonld', 'rdfxml'; see kgtool export --help"),
    (("frob",), "no such command 'frob'; see kgtool --help"),
    (("valdate",), "no such command 'valdate' (did you mean 'validate'?); see kgtool --help"),
])
def test_a_usage_error_is_one_line_with_the_help_to_read(run, args, line):
    result = run(*args)
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"kgtool: error: {line}\n", "")


def test_a_usage_error_is_one_line_in_a_real_process_too():
    result = subprocess.run([*KGTOOL, "describe"], capture_output=True, text=True)
    assert (result.returncode, result.stderr, result.stdout) == (
        2, "kgtool: error: missing argument 'ENTITY'; see kgtool describe --help\n", "")


def test_plain_kgtool_prints_help_on_stdout_and_exits_0(run):
    result = run()
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("Usage: kgtool [OPTIONS] COMMAND [ARGS]...\n")
    assert "Commands:" in result.stdout
    process = subprocess.run(KGTOOL, capture_output=True, text=True)
    asked = subprocess.run([*KGTOOL, "--help"], capture_output=True, text=True)
    assert (process.returncode, process.stderr, process.stdout) == (0, "", asked.stdout)


# --- the codes are documented --------------------------------------------------------

def test_the_readme_table_and_the_epilog_name_every_exit_code():
    assert EXIT_CODES == [0, 1, 2, 3, 130]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Exit codes"):]
    section = section[: section.index("\n## ", 1)]
    assert [int(code) for code in re.findall(r"^\| (\d+) \|", section, re.MULTILINE)] == EXIT_CODES
    from kgtool.cli import EPILOG

    epilog = " ".join(EPILOG.split())
    for code in EXIT_CODES:
        assert re.search(rf"(?<![\d.]){code} ", epilog), f"the epilog does not name exit code {code}"
    assert "130 interrupted" in epilog


# --- Ctrl-C at the boundary ------------------------------------------------------------

@pytest.mark.parametrize("stop", [KeyboardInterrupt, click.exceptions.Abort])
def test_an_interrupt_exits_130_with_one_line_and_keeps_the_old_file(run, tmp_path, monkeypatch, stop):
    target = tmp_path / "news.nq"
    target.write_text("old")
    import kgtool.synthetic as synthetic

    def interrupted(text, *args, **kwargs):
        text.write("half of it\n")
        text.flush()  # the temp file holds it now
        raise stop()

    monkeypatch.setattr(synthetic, "generate", interrupted)
    result = run("generate", "-o", str(target))
    assert (result.exit_code, result.stderr, result.stdout) == (130, "kgtool: interrupted\n", "")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["news.nq"]


# --- signals in real processes ---------------------------------------------------------

def _wait_for(condition, process: subprocess.Popen, what: str, limit: float = 60.0) -> None:
    """Poll until `condition()` holds while the process still runs (a hang guard, not a timing)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert process.poll() is None, f"kgtool ended (exit {process.returncode}) before {what}"
        assert time.monotonic() < deadline, f"no {what} after {limit:g} s"
        time.sleep(0.005)


def _temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_writing_removes_the_temp_file_and_exits_130(tmp_path, signum):
    target = tmp_path / "news.nq"
    process = subprocess.Popen([*KGTOOL, "generate", "--triples", "20000000", "-o", str(target)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: _temp_files(tmp_path), process, "temp file")
        process.send_signal(signum)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert (process.returncode, err, out) == (130, "kgtool: interrupted\n", "")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory) -> Path:
    """A generated graph whose export takes seconds, so a signal lands in the middle of it."""
    path = tmp_path_factory.mktemp("big") / "big.nq"
    subprocess.run([*KGTOOL, "generate", "--triples", "500000", "-o", str(path)], check=True, capture_output=True)
    return path


def test_sigterm_during_an_export_leaves_nothing_and_exits_130(tmp_path, big_graph):
    target = tmp_path / "out.ttl"
    process = subprocess.Popen([*KGTOOL, "export", "-g", str(big_graph), "-o", str(target)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()  # a temp file means writing has begun; else it is parsing after 0.5 s
        _wait_for(lambda: _temp_files(tmp_path) or time.monotonic() - started > 0.5, process, "a busy export")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert err.splitlines()[-1].startswith("kgtool: interrupted"), err
    assert [line for line in err.splitlines() if line.startswith("kgtool: interrupted")] == err.splitlines()
    assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_sigterm_during_a_load_leaves_no_staging_folder_and_exits_130(tmp_path, big_graph):
    store = tmp_path / "news.store"
    process = subprocess.Popen([*KGTOOL, "load", str(big_graph), "--store", str(store), "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: list(tmp_path.glob(".news.store.loading-*")), process, "staging folder")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert err.splitlines() and all(line.startswith("kgtool: interrupted") for line in err.splitlines()), err
    assert list(tmp_path.iterdir()) == []


def test_sigterm_is_handled_only_while_kgtool_runs(run):
    before = signal.getsignal(signal.SIGTERM)
    assert run("--version").exit_code == 0
    assert signal.getsignal(signal.SIGTERM) is before


def test_sigterm_raises_keyboard_interrupt_once_so_a_second_does_not_cut_the_cleanup():
    from kgtool.signals import terminate_as_interrupt

    cleaned = False
    with terminate_as_interrupt():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler runs before this returns
            raise AssertionError("SIGTERM did not interrupt")
        except KeyboardInterrupt:
            os.kill(os.getpid(), signal.SIGTERM)  # arrives during the cleanup: must not interrupt it
            time.sleep(0.01)
            cleaned = True
    assert cleaned
