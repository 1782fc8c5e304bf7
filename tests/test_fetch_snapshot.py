"""analysis fetch from a local snapshot folder (synthetic fixtures in tests/fixtures/fetch)."""

from __future__ import annotations

import json
import shutil
import socket
from datetime import date
from pathlib import Path

import filelock
import pytest

from analysis.config import SNAPSHOT_ENV, paths
from analysis.errors import BusyError, FetchError, UsageError
from analysis.fetch.fetch import fetch
from analysis.fetch.lock import load_lock, sha256_bytes, verify

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
EDITED = "worldbank/API_SY.NTH.A_DS2_en_csv_v2_101.csv"
#: Snapshot mode never downloads; the registry still needs https URLs (port 9 = discard).
UNUSED_SERVER = "https://127.0.0.1:9"


@pytest.fixture
def snap(tmp_path: Path) -> Path:
    """A private copy of the synthetic snapshot (tests edit it)."""
    return Path(shutil.copytree(FIXTURES / "snapshot", tmp_path / "snapshot"))


@pytest.fixture
def project(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project home holding the synthetic registry; no snapshot in the environment."""
    monkeypatch.delenv(SNAPSHOT_ENV, raising=False)
    registry = (FIXTURES / "sources.toml").read_text().replace("@SERVER@", UNUSED_SERVER)
    (home / "sources.toml").write_text(registry)
    return home


def claimed(snap: Path) -> dict[str, bytes]:
    """The snapshot files the synthetic registry claims (all but the stray notes and top level)."""
    return {
        f.relative_to(snap).as_posix(): f.read_bytes()
        for f in snap.rglob("*")
        if f.is_file() and f.parent != snap and f.name != "notes.txt"
    }


def test_first_run_adds_every_claimed_file_and_locks_it(project: Path, snap: Path) -> None:
    report = fetch(snap, progress=False)

    expected = claimed(snap)
    assert report.ok and sorted(report.added) == sorted(expected)
    assert report.skipped == ["tgju/notes.txt"]
    raw = paths().raw
    assert {p: (raw / p).read_bytes() for p in expected} == expected
    lock = load_lock()
    assert set(lock) == set(expected)
    entry = lock[EDITED]
    assert entry.source_id == "worldbank"
    assert entry.sha256 == sha256_bytes(expected[EDITED])
    assert entry.size == len(expected[EDITED])
    assert entry.origin == f"snapshot:{EDITED}"
    assert entry.accessed == date.today().isoformat()
    assert verify() == {}


def test_second_run_changes_nothing_and_says_so(project: Path, snap: Path) -> None:
    fetch(snap, progress=False)
    lock_text = paths().lock.read_text()
    lock_mtime = paths().lock.stat().st_mtime_ns

    report = fetch(snap, progress=False)

    assert report.ok and report.nothing_changed
    assert not (report.added or report.restored or report.updated or report.lock_written)
    assert len(report.unchanged) == len(claimed(snap))
    assert (
        report.summary_lines()[1] == f"Nothing changed: {len(claimed(snap))} files match the lock."
    )
    assert paths().lock.read_text() == lock_text
    assert paths().lock.stat().st_mtime_ns == lock_mtime


def test_edited_snapshot_file_is_reported_exactly_and_not_written(
    project: Path, snap: Path
) -> None:
    fetch(snap, progress=False)
    old = (snap / EDITED).read_bytes()
    new = old.replace(b'"1.5"', b'"1.75"')
    (snap / EDITED).write_bytes(new)
    lock_before = paths().lock.read_text()

    report = fetch(snap, progress=False)

    assert not report.ok
    assert [c.path for c in report.changed] == [EDITED]
    change = report.changed[0]
    assert (change.old_sha256, change.new_sha256) == (sha256_bytes(old), sha256_bytes(new))
    assert (change.old_size, change.new_size) == (len(old), len(new))
    assert len(report.unchanged) == len(claimed(snap)) - 1
    assert (paths().raw / EDITED).read_bytes() == old  # the locked raw file stays
    assert paths().lock.read_text() == lock_before
    line = next(s for s in report.summary_lines() if s.startswith("CHANGED "))
    assert line == (
        f"CHANGED {EDITED}: sha {sha256_bytes(old)[:8]}… ({len(old):,} B) → "
        f"{sha256_bytes(new)[:8]}… ({len(new):,} B); run with --update to accept"
    )


def test_update_accepts_the_change(project: Path, snap: Path) -> None:
    fetch(snap, progress=False)
    new = (snap / EDITED).read_bytes() + b'"Newland (synthetic)","NEW","x","SY.NTH.A","1","2",\n'
    (snap / EDITED).write_bytes(new)

    report = fetch(snap, update=True, progress=False)

    assert report.ok and [c.path for c in report.updated] == [EDITED]
    assert (paths().raw / EDITED).read_bytes() == new
    assert load_lock()[EDITED].sha256 == sha256_bytes(new)
    assert fetch(snap, progress=False).nothing_changed


def test_new_indicator_and_new_year_are_picked_up_without_code_changes(
    project: Path, snap: Path
) -> None:
    fetch(snap, progress=False)
    new_year = snap / "bonbast/gregorian/2021/full.json"
    new_year.parent.mkdir()
    new_year.write_text('{"_synthetic":"x","2021/01/01":{"usd":{"sell":1}}}')
    new_indicator = snap / "worldbank/API_SY.NTH.B_DS2_en_csv_v2_7.csv"
    new_indicator.write_text('"Country Name","Country Code"\n"Synthetica (synthetic)","SYN"\n')

    report = fetch(snap, progress=False)

    assert report.ok
    assert sorted(report.added) == [
        "bonbast/gregorian/2021/full.json",
        "worldbank/API_SY.NTH.B_DS2_en_csv_v2_7.csv",
    ]


def test_altered_raw_copy_is_restored_from_the_locked_bytes(project: Path, snap: Path) -> None:
    fetch(snap, progress=False)
    (paths().raw / EDITED).write_text("someone edited raw data")
    (paths().raw / "tgju/synthetic_rates.csv").unlink()

    report = fetch(snap, progress=False)

    assert report.ok
    assert sorted(report.restored) == sorted([EDITED, "tgju/synthetic_rates.csv"])
    assert verify() == {}


def test_ledgers_are_never_touched(project: Path, snap: Path) -> None:
    ledger = paths().ledgers / "claims.csv"
    ledger.parent.mkdir(parents=True)
    ledger.write_text("claim,amount\nsynthetic,1\n")
    (snap / "ledgers").mkdir()
    (snap / "ledgers" / "claims.csv").write_text("overwritten!\n")

    fetch(snap, progress=False)

    assert ledger.read_text() == "claim,amount\nsynthetic,1\n"
    assert not any(p.startswith("ledgers/") for p in load_lock())


def test_only_fetches_the_named_sources(project: Path, snap: Path) -> None:
    report = fetch(snap, only=["bonbast"], progress=False)

    assert sorted(report.added) == [
        "bonbast/gregorian/2020/full.json",
        "bonbast/jalali/1399/full.json",
    ]
    assert not (paths().raw / "worldbank").exists()
    with pytest.raises(UsageError, match="unknown source id"):
        fetch(snap, only=["no-such-source"], progress=False)


def test_file_gone_from_snapshot_is_kept_if_raw_has_it_else_missing(
    project: Path, snap: Path
) -> None:
    fetch(snap, progress=False)
    (snap / "tgju/synthetic_rates.csv").unlink()

    kept = fetch(snap, progress=False)
    assert kept.ok and kept.kept == ["tgju/synthetic_rates.csv"]

    (paths().raw / "tgju/synthetic_rates.csv").unlink()
    missing = fetch(snap, progress=False)
    assert not missing.ok and missing.missing == ["tgju/synthetic_rates.csv"]
    assert any(line.startswith("MISSING tgju/") for line in missing.summary_lines())


def test_snapshot_from_the_environment_and_no_network_used(
    project: Path, snap: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("snapshot mode must not open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setenv(SNAPSHOT_ENV, str(snap))

    report = fetch(progress=True)

    assert report.ok and report.origin == f"snapshot {snap.resolve()}"


def test_missing_snapshot_folder_is_a_fetch_error(project: Path, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="snapshot folder not found"):
        fetch(tmp_path / "nowhere", progress=False)


def test_a_second_fetch_at_the_same_time_is_refused(project: Path, snap: Path) -> None:
    paths().cache.mkdir(parents=True, exist_ok=True)
    with filelock.FileLock(paths().cache / "fetch.lock"), pytest.raises(BusyError):
        fetch(snap, progress=False)


def test_lock_json_is_sorted_and_stable(project: Path, snap: Path) -> None:
    fetch(snap, progress=False)
    text = paths().lock.read_text()
    data = json.loads(text)
    assert list(data["files"]) == sorted(data["files"])
    assert text.endswith("}\n") and "\r" not in text
