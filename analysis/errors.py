"""Exceptions the CLI turns into a one-line message and a documented exit code."""

from __future__ import annotations

import errno
from enum import IntEnum

#: OS errors that mean the disk, not the step, failed (exit 8): full, over quota, read-only.
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


class ExitCode(IntEnum):
    """Exit codes of the ``analysis`` command (documented in the README)."""

    OK = 0  #: done (for ``refresh``: something was rebuilt)
    FAILED = 1  #: an unexpected error (a bug): a traceback follows the one-line message
    USAGE = 2  #: bad command line or bad parameters (click uses 2 as well)
    DATA = 3  #: bad input data: a file, row, column and value are named
    FETCH = 4  #: a raw file could not be fetched, or its checksum does not match the lock
    PARTIAL = 5  #: some report runs failed; the others were built
    BUSY = 6  #: another build/clean holds the lock
    NOTHING_CHANGED = 7  #: ``refresh`` only: upstream unchanged, nothing rebuilt
    DISK = 8  #: the disk is full or read-only: nothing was half-written; free space, run again
    DIFFERENT = 9  #: ``verify`` only: a rebuild differs from what is published (or is missing)
    INTERRUPTED = 130  #: Ctrl-C
    TERMINATED = 143  #: SIGTERM (``kill``, ``timeout``, a CI step cancelled): 128 + 15


class AnalysisError(Exception):
    """Base class: an error with a user-facing message and an exit code."""

    exit_code: ExitCode = ExitCode.FAILED


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C's KeyboardInterrupt would be, so that it unwinds the same way
    (temporary files removed, workers stopped) before exit 143."""


class UsageError(AnalysisError):
    exit_code = ExitCode.USAGE


class DataError(AnalysisError):
    """Bad input: the message names the file, row, column and value."""

    exit_code = ExitCode.DATA

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        where = ", ".join(
            f"{k} {v!r}" if k == "value" else f"{k} {v}"
            for k, v in (("file", file), ("row", row), ("column", column), ("value", value))
            if v is not None
        )
        super().__init__(f"{message} ({where})" if where else message)
        self.file, self.row, self.column, self.value = file, row, column, value


class FetchError(AnalysisError):
    exit_code = ExitCode.FETCH


class BusyError(AnalysisError):
    exit_code = ExitCode.BUSY
