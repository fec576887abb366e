"""Who may write a store: one kgtool at a time, told before any work starts; and what a
killed load left behind, cleaned up by the next one.

A load holds an exclusive `flock` on `.NAME.lock` beside the store (the store may not
exist yet, and a folder that is swapped into place cannot hold a lock for itself). The
file holds the writer's pid, so the loser can say who has it. The kernel drops the lock
when the writer dies however it dies (SIGKILL included), so a stale file never blocks.
A program other than kgtool that has the store open for writing holds RocksDB's own
`LOCK` (a POSIX record lock), which `F_GETLK` reports without taking it.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path

from kgtool.errors import InputError

_IN_USE_FIX = "wait for it to finish, or load into another store"
_DYING_WRITER = 5.0  # seconds to wait for the writer of a load that was killed to die too


def lock_path(directory: Path) -> Path:
    return directory.parent / f".{directory.name}.lock"


def staging_prefix(directory: Path) -> str:
    return f".{directory.name}.loading-"


@dataclass
class StoreLock:
    """Held while one load builds and swaps in a store; released (and its file removed) on exit."""

    directory: Path
    fd: int = field(default=-1, init=False)

    def __enter__(self) -> "StoreLock":
        path = lock_path(self.directory)
        deadline = time.monotonic() + _DYING_WRITER
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_pid(fd)
                os.close(fd)
                if holder and not _alive(holder) and time.monotonic() < deadline:
                    time.sleep(0.05)  # a killed load's writer, which the kernel is killing too
                    continue
                raise _in_use(self.directory, "another kgtool", holder) from None
            if _same_file(fd, path):  # not a file the last holder unlinked as we opened it
                break
            os.close(fd)
        self.fd = fd
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            _refuse_other_writers(self.directory)
        except BaseException:  # a full disk, or another program holds it: leave no lock file
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            os.unlink(lock_path(self.directory))  # while still locked: the next writer makes a fresh one
        except FileNotFoundError:
            pass
        os.close(self.fd)


def _in_use(directory: Path, who: str, pid: int | None) -> InputError:
    holder = f"{who} (pid {pid})" if pid else who
    return InputError(f"the store is in use by {holder}", where=str(directory), fix=_IN_USE_FIX)


def _read_pid(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _refuse_other_writers(directory: Path) -> None:
    """Another program that opened the store for writing holds RocksDB's LOCK file."""
    pid = _posix_lock_holder(directory / "LOCK")
    if pid:
        raise _in_use(directory, "another program", pid)


_FLOCK = "hhqqi4x"  # struct flock on Linux and the BSDs: type, whence, start, len, pid


def _posix_lock_holder(path: Path) -> int | None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        query = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        kind, _, _, _, pid = struct.unpack(_FLOCK, answer)
        return pid if kind != fcntl.F_UNLCK and pid != os.getpid() else None
    except (OSError, struct.error):
        return None
    finally:
        os.close(fd)


# -- what killed loads left --------------------------------------------------------------------

def clean_leftovers(directory: Path) -> list[str]:
    """Remove the staging folders of dead loads beside `directory`, and orphaned bulk files
    inside it; called with the lock held. Returns a note for each thing removed."""
    notes = []
    pattern = re.compile(re.escape(staging_prefix(directory)) + r"(\d+)(-old)?$")
    leftovers = sorted(directory.parent.glob(staging_prefix(directory) + "*"), key=lambda p: not p.name.endswith("-old"))
    for path in leftovers:  # a moved-away old store first: it may have to come back
        found = pattern.match(path.name)
        if not (found and path.is_dir() and not _alive(int(found.group(1)))):
            continue
        if found.group(2) and not directory.exists():  # stopped between the two renames of a swap
            os.rename(path, directory)
            notes.append(f"restored {directory} from {path}, where a load that was stopped had moved it")
        else:
            size = _size(path)
            remove_tree(path)
            notes.append(f"removed {path}, {_megabytes(size)} left by a load that was stopped "
                         f"(pid {found.group(1)})")
    orphans = sorted(directory.glob("bulk-*.sst")) if directory.is_dir() else []
    if orphans:
        size = sum(p.stat().st_size for p in orphans)
        for path in orphans:
            path.unlink(missing_ok=True)
        notes.append(f"removed {len(orphans)} orphaned bulk-*.sst file{'s' if len(orphans) > 1 else ''} "
                     f"({_megabytes(size)}) from {directory}, left by a load that was stopped")
    return notes


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def remove_tree(path: Path) -> None:
    """Remove a folder whose database is closed; a missing one is fine."""
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        if exc.errno != errno.ENOENT:
            raise
