"""What every step records about the code: its version, and the versions of key packages
(file checksums: :func:`analysis.store.digest`)."""

from __future__ import annotations

import functools
import platform
import subprocess
from importlib import metadata

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


def package_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Python's version and each package's in ``names`` (from metadata: nothing imported)."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions
