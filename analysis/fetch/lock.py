"""The lock file (``sources.lock.json``): sha256, size, origin and access date of every raw file.

Committed to the repository, so anyone can check that their ``data/raw`` holds the same bytes.
Keys are raw paths relative to ``data/raw`` (e.g. ``worldbank/API_...csv``); the JSON is written
sorted with a fixed layout, so a change shows as a small diff. An entry changes only when its
bytes do (``fetch --update``) or when a file is first added; verifying a file leaves it as is.

    {"version": 1,
     "files": {"<path>": {"accessed": "2025-11-25", "origin": "snapshot:<path>" or "https://...",
                          "sha256": "...", "size": 1234, "source_id": "worldbank"}, ...}}
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from analysis.atomic import write_text
from analysis.config import paths
from analysis.errors import FetchError
from analysis.store import digest

LOCK_VERSION = 1
ENTRY_FIELDS = ("source_id", "sha256", "size", "origin", "accessed")
SNAPSHOT_ORIGIN = "snapshot:"


@dataclass(frozen=True)
class LockEntry:
    """What the lock knows about one raw file."""

    source_id: str
    path: str  #: relative to data/raw, "/"-separated
    sha256: str
    size: int
    origin: str  #: the URL the bytes came from, or "snapshot:<path relative to the snapshot>"
    accessed: str  #: ISO date the bytes were obtained


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def load_lock(path: Path | None = None) -> dict[str, LockEntry]:
    """Read the lock (default: ``paths().lock``), keyed by raw path; empty if there is none."""
    path = path or paths().lock
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError) as exc:
        raise FetchError(f"lock file {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != LOCK_VERSION:
        raise FetchError(f"lock file {path}: expected {{'version': {LOCK_VERSION}, 'files': ...}}")
    files = data.get("files")
    if not isinstance(files, dict):
        raise FetchError(f"lock file {path}: 'files' must be an object keyed by raw path")
    return {key: _entry(key, value, path) for key, value in files.items()}


def dumps_lock(entries: Mapping[str, LockEntry]) -> str:
    """The lock's JSON text: sorted keys, two-space indent, one trailing newline."""
    files = {
        key: {k: v for k, v in asdict(entry).items() if k != "path"}
        for key, entry in sorted(entries.items())
    }
    return json.dumps({"version": LOCK_VERSION, "files": files}, indent=2, sort_keys=True) + "\n"


def save_lock(entries: Mapping[str, LockEntry], path: Path | None = None) -> bool:
    """Write the lock atomically if its text changes; return True if the file was written."""
    path = path or paths().lock
    text = dumps_lock(entries)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    write_text(path, text)
    return True


def verify(
    raw_dir: Path | None = None, entries: Mapping[str, LockEntry] | None = None
) -> dict[str, str]:
    """Check data/raw against the lock: ``{path: "missing" | "sha256 differs"}`` for each problem.

    An empty result means every locked file is present with its locked bytes (cleaning and
    reports can state that their inputs are exactly the locked ones).
    """
    raw_dir = raw_dir or paths().raw
    entries = load_lock() if entries is None else entries
    problems: dict[str, str] = {}
    for key, entry in sorted(entries.items()):
        actual = digest(raw_dir / key)
        if actual is None:
            problems[key] = "missing"
        elif actual != entry.sha256:
            problems[key] = "sha256 differs"
    return problems


def _entry(key: str, value: Any, where: Path) -> LockEntry:
    if not isinstance(value, dict) or set(value) != set(ENTRY_FIELDS):
        raise FetchError(f"lock file {where}: entry {key!r} needs exactly {list(ENTRY_FIELDS)}")
    if not isinstance(value["size"], int) or len(str(value["sha256"])) != 64:
        raise FetchError(f"lock file {where}: entry {key!r} has a bad size or sha256")
    return LockEntry(path=key, **{k: value[k] for k in ENTRY_FIELDS})
