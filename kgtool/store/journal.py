"""Several files of a graph folder changed all or nothing, whatever stops the change.

An article is three files (its TriG, its text, its card) that must come and go
together, also when kgtool is killed (SIGKILL) half-way or the disk fills. A
change (`commit`) goes in four steps, each on disk (fsync) before the next:

1. the journal `.kgtool-journal` says "prepared" and names the temp files;
2. the new contents are written to temp files beside their targets
   (`.NAME.kgtool-tmp`: a leading dot and a suffix no reader takes for RDF);
3. the journal is rewritten to "committed" (one rename: the commit point);
4. the temps are renamed over their targets, the files to remove are
   removed, and the journal goes.

Until step 3 the folder holds what it held (plus hidden temps); after it, the
change is decided. A change that was stopped is finished by the next kgtool that
reads the folder (`recover`, called by `rdf_files`): a committed journal is
rolled forward, any other is rolled back (its temps removed), and a note says
so. A writer holds an exclusive lock on the folder (flock), so a reader never
recovers a change that is still being made.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from kgtool.errors import OutputError
from kgtool.store.output import keep_owner_and_mode, sync, sync_folder, write_failure

JOURNAL = ".kgtool-journal"
TEMP_SUFFIX = ".kgtool-tmp"
_PREPARED, _COMMITTED = "prepared", "committed"
_notes: list[str] = []  # what `recover` did for readers that have no way to say it (rdf_files)


def _step(name: str) -> None:
    """A point between two steps of a change; tests replace it to kill the process there."""


def temp_name(relative: str) -> str:
    """The hidden temp file that becomes `relative` (a path inside the folder)."""
    path = Path(relative)
    return str(path.with_name(f".{path.name}{TEMP_SUFFIX}"))


def commit(folder: Path | str, writes: Mapping[str, bytes], removals: Iterable[str] = ()) -> list[str]:
    """Write `writes` (path inside `folder` -> bytes) and remove `removals`, all or nothing.

    An existing file keeps its mode; a new one gets the mode the umask gives (0644 usually).
    A full disk raises OutputError and leaves the folder as it was. Returns the notes of a
    stopped change it finished or undid first (its temps would collide with ours)."""
    folder = Path(folder)
    with locked(folder):
        notes = [note for note in (recover_locked(folder),) if note]
        removals = [r for r in removals if (folder / r).exists()]
        if not writes and not removals:
            return notes
        renames = [(temp_name(target), target) for target in writes]
        try:
            _write_journal(folder, _PREPARED, renames, removals)
            _step("prepared")
            for temp, target in renames:
                _write_temp(folder, temp, target, writes[target])
                _step(f"temp {target}")
            _sync_folders(folder, [t for t, _ in renames])
            _write_journal(folder, _COMMITTED, renames, removals)
        except BaseException as exc:
            _roll_back(folder, renames)
            failure = write_failure(exc, str(folder)) if isinstance(exc, OSError) else None
            if failure is not None:
                raise failure from None
            raise
        _step("committed")
        _roll_forward(folder, renames, removals)
    return notes


def recover(folder: Path | str) -> str | None:
    """Finish or undo a change to `folder` that was stopped; the note to show, or None.
    Cheap when there is nothing to do (two stats); skipped while a writer holds the folder."""
    folder = Path(folder)
    if not ((folder / JOURNAL).exists() or (folder / (JOURNAL + TEMP_SUFFIX)).exists()):
        return None
    try:
        with locked(folder, wait=False):
            return recover_locked(folder)
    except BlockingIOError:
        return None  # a writer is at work: its change is its own to finish
    except OSError as exc:  # a folder this user may not write: read it as it is
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return None
        raise


def recover_folders(paths: Iterable[Path | str]) -> list[str]:
    """`recover` for every folder among `paths` (files are left alone); the notes."""
    notes = []
    for path in paths:
        if str(path) != "-" and Path(path).is_dir():
            note = recover(path)
            if note:
                notes.append(note)
    return notes


def recovered_notes() -> list[str]:
    """The notes of recoveries no caller could return (made while reading files); once each."""
    taken = list(_notes)
    _notes.clear()
    return taken


def note_recoveries(paths: Iterable[Path | str]) -> None:
    """`recover_folders`, keeping the notes for `recovered_notes` (for rdf_files, which returns paths)."""
    _notes.extend(recover_folders(paths))


def recover_locked(folder: Path) -> str | None:
    partial = folder / (JOURNAL + TEMP_SUFFIX)
    partial.unlink(missing_ok=True)  # a journal half rewritten: the real one still says what holds
    journal = folder / JOURNAL
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
        renames = [tuple(pair) for pair in entry["renames"]]
        removals, state = list(entry["removals"]), entry["state"]
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):  # cannot be: it is renamed into place whole
        raise OutputError("the change journal is unreadable", where=str(journal),
                          fix="look at the files it names, then remove it") from None
    targets = ", ".join(target for _, target in renames) or ", ".join(removals)
    if state == _COMMITTED:
        _roll_forward(folder, renames, removals)
        return f"finished a change to {folder} that was stopped after it was committed ({targets})"
    _roll_back(folder, renames)
    return f"undid a change to {folder} that was stopped before it was committed ({targets}): the folder is as before"


def _roll_forward(folder: Path, renames: list, removals: list) -> None:
    for temp, target in renames:
        if (folder / temp).exists():  # else renamed already, by the run that was stopped
            os.rename(folder / temp, folder / target)
            _step(f"renamed {target}")
    for target in removals:
        (folder / target).unlink(missing_ok=True)
        _step(f"removed {target}")
    _sync_folders(folder, [t for _, t in renames] + list(removals))
    _remove_journal(folder)


def _roll_back(folder: Path, renames: list) -> None:
    for temp, _ in renames:
        (folder / temp).unlink(missing_ok=True)
    _remove_journal(folder)


def _remove_journal(folder: Path) -> None:
    (folder / JOURNAL).unlink(missing_ok=True)
    (folder / (JOURNAL + TEMP_SUFFIX)).unlink(missing_ok=True)
    sync_folder(folder)


def _write_journal(folder: Path, state: str, renames: list, removals: list) -> None:
    text = json.dumps({"state": state, "renames": renames, "removals": removals}, indent=1)
    partial = folder / (JOURNAL + TEMP_SUFFIX)
    _write_synced(partial, text.encode("utf-8"), None)
    _step(f"journal {state}")
    os.rename(partial, folder / JOURNAL)
    sync_folder(folder)


def _write_temp(folder: Path, temp: str, target: str, data: bytes) -> None:
    try:
        existing = os.stat(folder / target)
    except FileNotFoundError:
        existing = None
    (folder / temp).parent.mkdir(parents=True, exist_ok=True)
    _write_synced(folder / temp, data, existing)


def _write_synced(path: Path, data: bytes, existing: os.stat_result | None) -> None:
    """`data` in a new file at `path`, on disk; with the mode (and owner, if we may) of `existing`."""
    path.unlink(missing_ok=True)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)  # the umask applies
    try:
        if existing is not None:
            keep_owner_and_mode(handle, existing)
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
        sync(handle)
    finally:
        os.close(handle)


def _sync_folders(folder: Path, paths: list[str]) -> None:
    for parent in sorted({(folder / p).parent for p in paths}):
        sync_folder(parent)


@contextmanager
def locked(folder: Path, wait: bool = True) -> Iterator[None]:
    """An exclusive lock on the folder itself (no lock file: the folder stays as it was)."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        yield
    finally:
        os.close(handle)
