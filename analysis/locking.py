"""One pipeline step at a time: ``clean`` and ``build`` take the same lock.

Two builds, or a build and a clean, started at once: the second waits up to
``config.LOCK_WAIT_SECONDS`` for the first, then exits with :class:`BusyError` (exit code 6).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from analysis import config
from analysis.errors import BusyError


@contextlib.contextmanager
def pipeline_lock(step: str, wait: float | None = None) -> Iterator[None]:
    """Hold the project's pipeline lock while ``step`` runs (waiting up to ``wait`` seconds,
    default :data:`analysis.config.LOCK_WAIT_SECONDS`)."""
    from filelock import FileLock, Timeout

    wait = config.LOCK_WAIT_SECONDS if wait is None else wait
    lock_path = config.paths().pipeline_lock
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise BusyError(
            f"another `analysis` step holds {lock_path} (waited {wait:.0f} s); "
            f"`{step}` did not start. Wait for it to finish and run again."
        ) from None
    try:
        yield
    finally:
        lock.release()
