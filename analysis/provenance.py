"""The code version every step records (file checksums: :func:`analysis.store.digest`)."""

from __future__ import annotations

import functools
import subprocess

from analysis import __version__
from analysis.config import REPO_ROOT


@functools.cache
def code_version() -> str:
    """The git commit of the code (``+dirty`` with uncommitted changes), else the version.

    Computed once per process.
    """
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return __version__
    return f"{commit}+dirty" if dirty else commit
