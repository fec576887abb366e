"""Files written all or nothing, and write failures said in one line.

`atomic_output` writes a regular file through a temp file beside it that is
renamed over it only once every byte is written, flushed and synced: a reader
sees the old file or the new one, never half of one. The new file keeps the
mode the umask gives (or the old file had), and a symlink is written through
to its target, so the link stays a link. Anything that is not a regular file
(a device such as /dev/null, a FIFO, /dev/stdout) cannot be replaced and is
written directly: renaming over /dev/null would break the machine.

A full disk, a quota or an I/O error on any write, flush or close becomes an
OutputError ("cannot write FILE: no space left on the device", exit 2),
whoever raised it: Python's streams (errno set) or pyoxigraph (the message).
Every write is whole or raises: Python's buffered write can report a short
count instead of an error (a pipe closed in the middle of a write), which
would drop the rest without a word.
"""

from __future__ import annotations

import errno
import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from kgtool.errors import OutputError

WRITE_FAILURES = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file is too large for its file system",
    errno.EIO: "the device reported an input/output error",
}
_FIX = "free some space, or write somewhere else"
_DESCRIPTOR_FOLDERS = ("/proc/", "/dev/fd/")  # /dev/stdout and friends name an open descriptor


def write_failure(exc: BaseException, name: str) -> OutputError | None:
    """The one-line error for a failed write to `name` (a path or "stdout"), or None if it is another error."""
    if not isinstance(exc, OSError) or isinstance(exc, BrokenPipeError):
        return None  # a closed pipe (`| head`) is the reader's choice, not a failure
    reason = WRITE_FAILURES.get(exc.errno) if exc.errno is not None else None
    if reason is None and exc.errno is None:  # pyoxigraph's OSError carries the C message, no errno
        text = str(exc)
        reason = next((r for code, r in WRITE_FAILURES.items() if code != errno.EIO and os.strerror(code) in text), None)
    return OutputError(f"cannot write {name}: {reason}", fix=_FIX) if reason else None


@contextmanager
def reporting_write_errors(name: str) -> Iterator[None]:
    """Turn a full disk (or quota, or I/O error) inside the block into an OutputError naming `name`."""
    try:
        yield
    except OSError as exc:
        failure = write_failure(exc, name)
        if failure is None:
            raise
        raise failure from None


class WholeWrites:
    """A binary stream whose write() writes every byte or raises (the rest of the stream is the wrapped one's)."""

    def __init__(self, stream: IO[bytes]):
        self._stream = stream

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            written = self._stream.write(view[done:])
            if not written:  # None (would block) or 0: no progress, so no loop forever
                raise OSError(errno.EIO, "the output accepted no more bytes")
            done += written
        return done

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def atomic_output(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary stream that becomes `path` only when the block succeeds (written directly if not a regular file)."""
    target = Path(path)
    if _is_special(target):
        with reporting_write_errors(str(target)), _open_special(target) as stream:
            yield WholeWrites(stream)
        return
    real = Path(os.path.realpath(target))  # through symlinks: the link stays, its target is replaced
    directory = real.parent
    if not directory.is_dir():
        raise OutputError("cannot write: the folder does not exist", where=str(target),
                          fix="create the folder or choose another path")
    if real.is_dir():
        raise OutputError("cannot write: it is a folder", where=str(target), fix="name a file")
    handle, temp = _open_temp(real, str(target))
    try:
        with reporting_write_errors(str(target)):
            with os.fdopen(handle, "wb") as stream:
                yield WholeWrites(stream)
                stream.flush()
                sync(stream.fileno())
            os.replace(temp, real)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def sync(handle: int) -> None:
    """The bytes are on disk before the name points at them (a crash leaves the old file, not an empty one)."""
    try:
        os.fsync(handle)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):  # a file system that cannot sync: nothing to wait for
            raise


def sync_folder(path: Path) -> None:
    """A rename or removal in `path` is on disk when this returns."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return
    try:
        sync(handle)
    finally:
        os.close(handle)


def _is_special(target: Path) -> bool:
    """True for what must be written in place: an existing non-regular file, or a name of an open descriptor."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False  # missing (the usual case), or unreadable: writing it the regular way says why
    if stat.S_ISDIR(mode):
        return False  # said below, as an error
    return not stat.S_ISREG(mode) or _names_descriptor(target)


def _names_descriptor(target: Path) -> bool:
    """/dev/stdout, /dev/fd/1, /proc/self/fd/1: the shell opened it (maybe for appending); write to it as is."""
    current = os.path.abspath(target)
    for _ in range(40):  # the kernel's own limit on links followed
        if current.startswith(_DESCRIPTOR_FOLDERS):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), os.readlink(current)))
    return False


@contextmanager
def _open_special(target: Path) -> Iterator[IO[bytes]]:
    try:  # appending: a shell's `>>` is kept, and `>` has truncated it already (a device ignores both)
        stream = open(target, "ab")  # noqa: SIM115 (closed below, where a failed close is reported)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", where=str(target),
                          fix="choose another path") from None
    with stream:
        yield stream
        stream.flush()


def _open_temp(real: Path, shown: str) -> tuple[int, Path]:
    """A new file beside `real` with the mode `real` has (or the umask gives a new file)."""
    try:
        existing = os.stat(real)
    except FileNotFoundError:
        existing = None
    while True:
        temp = real.with_name(f".{real.name}.{os.urandom(4).hex()}.tmp")
        try:  # 0o666 and the kernel applies the umask, as for any file a program creates
            handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", where=shown, fix="choose a writable folder") from None
    if existing is not None:
        keep_owner_and_mode(handle, existing)
    return handle, temp


def keep_owner_and_mode(handle: int, existing: os.stat_result) -> None:
    try:
        if (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
            os.fchown(handle, existing.st_uid, existing.st_gid)
    except OSError:  # only root may give a file away; the mode is kept still
        pass
    os.fchmod(handle, stat.S_IMODE(existing.st_mode))
