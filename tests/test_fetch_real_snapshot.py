"""The committed registry and lock against the real snapshot (needs $ANALYSIS_SNAPSHOT)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from analysis.config import REPO_ROOT, SNAPSHOT_ENV, paths
from analysis.fetch.fetch import fetch
from analysis.fetch.lock import load_lock, verify
from analysis.fetch.registry import load_registry, source_for_path

pytestmark = pytest.mark.snapshot


def manifest(snapshot: Path) -> list[dict[str, str]]:
    with open(snapshot / "MANIFEST.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_registry_claims_every_manifest_file_with_its_archive(real_snapshot: Path) -> None:
    registry = load_registry(REPO_ROOT / "sources.toml")
    for row in manifest(real_snapshot):
        owners = [s.id for s in registry.values() if s.matches(row["path"])]
        assert owners == [row["path"].split("/")[0]], row["path"]
        source = registry[owners[0]]
        archived = {(d.archive, d.to) for d in source.downloads if d.archive and not d.unzip}
        repo_commit, _, remote = row["fetched_from"].partition(":")
        if "!/" in remote:  # one member of an archived zip: the download unzips into the folder
            zip_path, member = remote.split("!/")
            assert any(
                d.archive == f"{repo_commit}:{zip_path}" and member in d.unzip
                for d in source.downloads
            ), row["path"]
        else:
            assert (row["fetched_from"], row["path"]) in archived, row["path"]


def test_committed_lock_describes_the_snapshot_exactly(real_snapshot: Path) -> None:
    lock = load_lock(REPO_ROOT / "sources.lock.json")
    registry = load_registry(REPO_ROOT / "sources.toml")
    rows = {r["path"]: r for r in manifest(real_snapshot)}

    assert set(lock) == set(rows)
    for path, entry in lock.items():
        assert (entry.sha256, entry.size) == (rows[path]["sha256"], int(rows[path]["bytes"]))
        assert entry.origin == f"snapshot:{path}"
        source = source_for_path(path, registry)
        assert source is not None and source.id == entry.source_id


def test_fetch_real_snapshot_then_nothing_changes_then_one_edit_is_reported(
    real_snapshot: Path, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SNAPSHOT_ENV)
    shutil.copy(REPO_ROOT / "sources.toml", home / "sources.toml")
    shutil.copy(REPO_ROOT / "sources.lock.json", home / "sources.lock.json")

    first = fetch(real_snapshot, progress=False)
    assert first.ok and len(first.restored) == len(manifest(real_snapshot))
    assert not first.skipped  # every file of the snapshot is claimed by the registry
    assert not first.lock_written and verify() == {}
    assert fetch(real_snapshot, progress=False).nothing_changed

    edited = Path(shutil.copytree(real_snapshot, tmp_path / "edited", symlinks=True))
    target = edited / "signalmap" / "events_iran.json"
    target.unlink()  # the copy may be a hard link or read-only: replace, never modify in place
    target.write_bytes((real_snapshot / "signalmap" / "events_iran.json").read_bytes() + b"\n")
    report = fetch(edited, progress=False)
    assert [c.path for c in report.changed] == ["signalmap/events_iran.json"]
    assert len(report.unchanged) == len(manifest(real_snapshot)) - 1
    assert paths().lock.read_text() == (REPO_ROOT / "sources.lock.json").read_text()
