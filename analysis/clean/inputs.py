"""What the manifest says about each raw input of a table, for the provenance appendix.

Each input entry (path, sha256, bytes) is stamped with its source from the registry (title, URL,
licence, citation) and, from the lock, the date the file was obtained and its locked sha256.
The reports read only the manifest, so they never import the fetch layer; ``clean`` may.
A registry or lock that cannot be read leaves the stamps out (the appendix says so per file)
rather than failing the clean.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from analysis import config


def _source_lookup() -> Callable[[str], dict[str, str] | None]:
    """raw path → the source's title, url, license and citation (None when unknown)."""
    from analysis.fetch.registry import load_registry, source_for_path

    try:
        registry = load_registry()
    except Exception:  # noqa: BLE001 - a table must not fail for want of titles
        return lambda _rel: None

    def lookup(rel: str) -> dict[str, str] | None:
        found = source_for_path(rel, registry) or registry.get(rel.split("/", 1)[0])
        if found is None:
            return None
        return {
            "id": found.id,
            "title": found.title,
            "url": found.url,
            "license": found.license,
            "citation": found.citation,
        }

    return lookup


def _lock() -> dict[str, Any]:
    from analysis.fetch.lock import load_lock

    try:
        return dict(load_lock())
    except Exception:  # noqa: BLE001 - degrade: no access dates
        return {}


def stamp(inputs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``inputs`` (path, sha256, bytes) with each file's ``source``, ``accessed`` and
    ``locked_sha256`` added where the registry and the lock know them."""
    lookup, lock = _source_lookup(), _lock()
    stamped = []
    for item in inputs:
        rel = str(item["path"])
        extra: dict[str, Any] = {}
        ledger = rel.startswith(f"{config.LEDGERS_DIR}/")  # committed; each row cites its source
        source = None if ledger else lookup(rel)
        if source is not None:
            extra["source"] = source
        if (entry := lock.get(rel)) is not None:
            extra["accessed"] = entry.accessed
            extra["locked_sha256"] = entry.sha256
        stamped.append({**item, **extra})
    return stamped
