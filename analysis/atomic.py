"""Atomic writes: a temporary file in the same folder, fsync, then ``os.replace``.

A crash at any point leaves either the old file or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

#: The process umask, read once (os.umask can only be read by setting it).
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it over ``target``.

    >>> with atomic_path(Path("out.csv")) as tmp:  # doctest: +SKIP
    ...     df.to_csv(tmp)
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the usual mode
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    write_bytes(target, text.encode("utf-8"))


def write_with(target: Path, writer: Callable[[Path], object]) -> None:
    """Call ``writer(tmp_path)`` and move the result over ``target`` atomically."""
    with atomic_path(target) as tmp:
        writer(tmp)


def replace_dir(staged: Path, target: Path, *, keep: Path | None = None) -> None:
    """Move the folder ``staged`` to ``target``, replacing it, with the shortest possible gap.

    The old folder is renamed aside first, then the new one renamed in, then the old one
    removed, or moved to ``keep`` (the one-back copy) once the new one is in place: ``keep`` is
    not touched before. If the new one cannot be renamed in, the old one is put back and the
    error raised. A crash between the two renames leaves the old folder beside the target as
    ``.<name>.old`` where :func:`recover_dir` finds it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(staged, target)
    except BaseException:
        if old.exists() and not target.exists():
            os.replace(old, target)
        raise
    if keep is not None and old.exists():
        replace_dir(old, keep)
    shutil.rmtree(old, ignore_errors=True)


def check_writable(*folders: Path) -> None:
    """Raise ``PermissionError`` (EACCES) naming the first of ``folders`` (or its nearest
    existing parent, where it is still to be made) that this process cannot write: called
    before a step's first write, so that nothing is half done."""
    for folder in folders:
        existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
        if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(existing))


def recover_dir(target: Path) -> None:
    """Undo an interrupted :func:`replace_dir`: bring back the old folder if the new is missing."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, target)


def clean_stale_temp(folder: Path) -> int:
    """Remove temporary files left by a killed writer in ``folder``; return how many."""
    removed = 0
    if folder.is_dir():
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed
