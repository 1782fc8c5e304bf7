"""The lock file: stable JSON, round trip, verification of data/raw, malformed files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.errors import FetchError
from analysis.fetch.lock import (
    LockEntry,
    dumps_lock,
    load_lock,
    save_lock,
    sha256_bytes,
    verify,
)


def entry(path: str, data: bytes, source_id: str = "demo") -> LockEntry:
    return LockEntry(
        source_id, path, sha256_bytes(data), len(data), f"snapshot:{path}", "2099-01-01"
    )


def test_round_trip_sorted_and_written_only_when_changed(tmp_path: Path) -> None:
    lock_file = tmp_path / "sources.lock.json"
    entries = {e.path: e for e in (entry("demo/b.csv", b"b,synthetic"), entry("demo/a.csv", b"a"))}

    assert save_lock(entries, lock_file) is True
    assert save_lock(dict(reversed(entries.items())), lock_file) is False  # same text

    assert load_lock(lock_file) == entries
    data = json.loads(lock_file.read_text())
    assert data["version"] == 1 and list(data["files"]) == ["demo/a.csv", "demo/b.csv"]
    assert list(data["files"]["demo/a.csv"]) == [
        "accessed",
        "origin",
        "sha256",
        "size",
        "source_id",
    ]
    assert lock_file.read_text() == dumps_lock(entries)


def test_missing_lock_is_empty(tmp_path: Path) -> None:
    assert load_lock(tmp_path / "none.json") == {}


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"version": 2, "files": {}}',
        '{"version": 1, "files": []}',
        '{"version": 1, "files": {"a/b": {"sha256": "x"}}}',
        '{"version": 1, "files": {"a/b": {"source_id": "a", "sha256": "short", "size": 1, '
        '"origin": "o", "accessed": "d"}}}',
    ],
)
def test_malformed_lock_is_a_fetch_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "sources.lock.json"
    path.write_text(text)
    with pytest.raises(FetchError, match="lock file"):
        load_lock(path)


def test_verify_names_missing_and_altered_files(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "demo").mkdir(parents=True)
    (raw / "demo/ok.csv").write_bytes(b"ok,synthetic")
    (raw / "demo/edited.csv").write_bytes(b"edited later")
    entries = {
        e.path: e
        for e in (
            entry("demo/ok.csv", b"ok,synthetic"),
            entry("demo/edited.csv", b"as locked"),
            entry("demo/gone.csv", b"gone"),
        )
    }

    assert verify(raw, entries) == {"demo/edited.csv": "sha256 differs", "demo/gone.csv": "missing"}
