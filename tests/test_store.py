"""The processed store: one digest helper, the manifest reader and writer, table files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import config, store
from analysis.errors import DataError


def test_digest_is_the_files_sha256_and_none_when_absent(tmp_path: Path) -> None:
    data = bytes(range(256)) * 5000  # more than one read chunk
    (tmp_path / "f").write_bytes(data)
    assert store.digest(tmp_path / "f") == hashlib.sha256(data).hexdigest()
    assert store.digest(tmp_path / "absent") is None
    assert store.digest(tmp_path) is None  # a folder is no file


def test_manifest_missing_or_unreadable_is_empty_and_says_why(home: Path) -> None:
    assert store.manifest() == {"tables": {}}
    assert "run `analysis clean`" in (store.manifest_problem() or "")
    path = config.paths().processed_manifest
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    assert store.manifest() == {"tables": {}}
    assert "could not be read" in (store.manifest_problem() or "")


def test_manifest_round_trip(home: Path) -> None:
    data = {"tables": {"t": {"rows_kept": 3}}}
    store.write_manifest(data)
    assert store.manifest() == data
    assert store.manifest_problem() is None
    assert json.loads(config.paths().processed_manifest.read_text()) == data


def test_load_of_a_missing_table_is_a_clear_error(home: Path) -> None:
    with pytest.raises(DataError, match="run `analysis clean`"):
        store.load("absent")


def test_csv_copy_holds_the_parquet_rows_with_days_as_dates(home: Path) -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2018-01-01", None, "2019-12-31"]),
            "stamp": pd.to_datetime(["2018-01-01 05:30", "2018-01-02 00:00", None]),
            "name": ["a, with comma", 'say "hi"', "نرخ ارز"],
            "value": [42900.0, float("nan"), 1.5],
            "flag": [True, False, True],
        }
    )
    outputs = store.write_table("t", frame, pd.DataFrame())
    processed = config.paths().processed
    lines = (processed / "t.csv").read_text().splitlines()
    assert lines[1].startswith("2018-01-01,2018-01-01 05:30:00")
    assert ",," in lines[2] and lines[3].startswith("2019-12-31,,")
    back = pd.read_csv(processed / "t.csv", parse_dates=["date", "stamp"])
    pd.testing.assert_frame_equal(back, store.load("t"))
    assert outputs["parquet"] == store.table_digest("t")
