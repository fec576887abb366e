"""`-o FILE` and stdout: what is on disk afterwards, whatever the path names and however full the disk is.

A regular file is replaced whole or not at all, keeping its mode (or the
umask's) and its symlink; a device or FIFO is written, never replaced; a full
disk is one line and exit 2, with nothing half-written.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

KGTOOL = [sys.executable, "-m", "kgtool"]
FULL = "no space left on the device; free some space, or write somewhere else"


@pytest.fixture(scope="module")
def turtle() -> bytes:
    """The bundled graph's Turtle, as `kgtool export` prints it."""
    return subprocess.run([*KGTOOL, "export"], capture_output=True, check=True).stdout


@contextmanager
def machine_kept(path: str):
    """Put a system device (or /dev/stdout's link) back if a regression replaced it, then let the test fail."""
    before = os.lstat(path)
    link = os.readlink(path) if stat.S_ISLNK(before.st_mode) else None
    try:
        yield before
    finally:
        after = os.lstat(path)
        if (after.st_mode, after.st_rdev) != (before.st_mode, before.st_rdev):
            os.unlink(path)
            if link is not None:
                os.symlink(link, path)
            else:
                os.mknod(path, before.st_mode, before.st_rdev)
                os.chmod(path, stat.S_IMODE(before.st_mode))  # mknod applies the umask


# --- what the path names --------------------------------------------------------------

def test_a_fifo_is_written_and_stays_a_fifo(run, tmp_path, turtle):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    # Read cat's output while kgtool writes: a graph bigger than the two pipe buffers (128 KiB) would
    # otherwise stop cat, and with it kgtool, for good.
    received: list[bytes] = []
    drain = threading.Thread(target=lambda: received.append(reader.stdout.read()), daemon=True)
    drain.start()
    try:
        result = run("export", "-f", "turtle", "-o", str(fifo))
        reader.wait(timeout=60)  # a hang guard: cat ends when kgtool closes the FIFO
        drain.join(timeout=60)
    finally:
        reader.kill()
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received == [turtle]
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def _private_null(tmp_path: Path) -> Path:
    """A character device of our own, the same as /dev/null (1, 3): only root may make one."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return node


@pytest.mark.parametrize("where", ["private", "/dev/null"])
def test_a_device_is_written_and_stays_a_device(run, tmp_path, where):
    device = _private_null(tmp_path) if where == "private" else Path(where)
    with machine_kept(str(device)) as before:
        result = run("export", "-o", str(device))
        after = os.lstat(device)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert stat.S_IMODE(after.st_mode) == stat.S_IMODE(before.st_mode)
    assert not list(device.parent.glob(f".{device.name}.*.tmp"))


def test_dev_stdout_writes_where_the_shell_points_it_even_to_append(tmp_path, turtle):
    log = tmp_path / "log.ttl"
    log.write_bytes(b"# old\n")
    with machine_kept("/dev/stdout"), open(log, "ab") as appending:
        result = subprocess.run([*KGTOOL, "export", "-f", "turtle", "-o", "/dev/stdout"], stdout=appending,
                                stderr=subprocess.PIPE)
        assert os.path.islink("/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert log.read_bytes() == b"# old\n" + turtle
    with machine_kept("/dev/stdout"):
        piped = subprocess.run([*KGTOOL, "export", "-f", "turtle", "-o", "/dev/stdout"], capture_output=True)
    assert piped.stdout == turtle


# --- modes and links --------------------------------------------------------------------

@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_mode_the_umask_gives(run, tmp_path, umask, mode):
    target = tmp_path / "out.ttl"
    old = os.umask(umask)
    try:
        assert run("export", "-o", str(target)).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_an_existing_file_keeps_its_mode(run, tmp_path, turtle):
    target = tmp_path / "out.ttl"
    target.write_text("old")
    target.chmod(0o640)
    old = os.umask(0o077)
    try:
        assert run("export", "-o", str(target)).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_bytes() == turtle


@pytest.mark.parametrize("existing", [True, False], ids=["to-a-file", "dangling"])
def test_a_symlink_stays_a_link_and_its_target_is_written(run, tmp_path, turtle, existing):
    real = tmp_path / "data" / "graph.ttl"
    real.parent.mkdir()
    if existing:
        real.write_text("old")
    link = tmp_path / "latest.ttl"
    link.symlink_to(Path("data") / "graph.ttl")
    assert run("export", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(Path("data") / "graph.ttl")
    assert real.read_bytes() == turtle
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["data", "graph.ttl", "latest.ttl"]


# --- a full disk --------------------------------------------------------------------

def test_dev_full_as_output_is_one_line_and_exit_2(run):
    with machine_kept("/dev/full") as before:
        result = run("export", "-o", "/dev/full")
        after = os.lstat("/dev/full")
    assert (result.exit_code, result.stderr) == (2, f"kgtool: error: cannot write /dev/full: {FULL}\n")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@pytest.mark.parametrize("args", [
    ("export",), ("stats",), ("query", "01"), ("query", "--list"), ("generate", "-n", "200000"),
    ("--version",), ("--help",), (),
], ids=" ".join)
def test_stdout_to_a_full_disk_is_one_line_and_exit_2(args):
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*KGTOOL, *args], stdout=full, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "COLUMNS": "100"})  # --help from the help file, see launcher
    errors = [line for line in result.stderr.splitlines() if not line.startswith("kgtool: note:")]
    assert (result.returncode, errors) == (2, [f"kgtool: error: cannot write stdout: {FULL}"])


def test_the_console_script_says_a_full_disk_too():
    script = Path(sys.executable).parent / "kgtool"
    with open("/dev/full", "wb") as full:
        result = subprocess.run([str(script), "--help"], stdout=full, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "COLUMNS": "100"})
    assert (result.returncode, result.stderr) == (2, f"kgtool: error: cannot write stdout: {FULL}\n")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "news.nq"
    subprocess.run([*KGTOOL, "generate", "-n", "50000", "-o", str(path)], check=True, capture_output=True)
    return path


@pytest.mark.parametrize("command", ["generate", "export"])
def test_a_closed_pipe_stops_quietly_with_0(command, generated):
    args = ["generate", "-n", "300000"] if command == "generate" else ["export", "-g", str(generated)]
    process = subprocess.Popen([*KGTOOL, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.read(10)
    process.stdout.close()  # as `| head -c 10` does
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (0, b"")


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs (root and a kernel that lets us mount), left with a few KiB free."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _fill(disk: Path, free: int = 8192) -> None:
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"x" * 65536)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    os.truncate(filler, max(0, filler.stat().st_size - free))


@pytest.mark.parametrize("args,name", [
    (("export",), "out.ttl"),
    (("viz", "-f", "graphml"), "out.graphml"),
    (("generate", "-n", "20000"), "out.nq"),
], ids=["export", "viz", "generate"])
def test_a_full_disk_keeps_the_old_file_and_leaves_no_temp(run, small_disk, args, name):
    target = small_disk / name
    target.write_text("old")
    _fill(small_disk)
    result = run(*args, "-o", str(target))
    assert (result.exit_code, result.stderr) == (2, f"kgtool: error: cannot write {target}: {FULL}\n")
    assert target.read_text() == "old"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", name]


def test_a_load_into_a_full_disk_is_one_line_and_leaves_no_store(run, small_disk):
    from conftest import GRAPH

    store = small_disk / "news.store"
    _fill(small_disk)
    result = run("load", str(GRAPH), "--store", str(store), "--quiet")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, f"kgtool: error: cannot write {store}: {FULL}")
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
