"""datahub copies of WDI series: wide copies, swapped long labels, GDP long."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.clean.sources import datahub

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"


def copy_family(tmp_path: Path, family: str) -> Path:
    shutil.copytree(SNAPSHOT / family, tmp_path / family)
    return tmp_path


def test_swapped_labels_are_detected_from_values_not_names() -> None:
    result = datahub.load_inflation(SNAPSHOT)
    consumer = next(n for n in result.notes if "inflation-consumer.csv" in n)
    gdp = next(n for n in result.notes if "inflation-gdp.csv" in n)
    assert "NY.GDP.DEFL.KD.ZG" in consumer and "SWAPPED" in consumer
    assert "FP.CPI.TOTL.ZG" in gdp and "SWAPPED" in gdp
    # the long rows that repeat the wide files are left out; the one row the wide file lacks
    # is kept under the series its values belong to (consumer prices), not its file name
    assert result.excluded == {"copy_of_wide_file": 6}
    extra = result.table[result.table["source_file"] == "datahub-inflation/inflation-gdp.csv"]
    assert extra[["indicator_code", "country_code", "year", "value"]].values.tolist() == [
        ["FP.CPI.TOTL.ZG", "IRN", 2020, 30.6]
    ]
    assert result.balanced()


def test_correct_labels_are_not_called_swapped(tmp_path: Path) -> None:
    raw = copy_family(tmp_path, "datahub-inflation")
    folder = raw / "datahub-inflation"
    consumer, gdp = folder / "inflation-consumer.csv", folder / "inflation-gdp.csv"
    a, b = consumer.read_bytes(), gdp.read_bytes()
    consumer.write_bytes(b)
    gdp.write_bytes(a)
    result = datahub.load_inflation(raw)
    notes = [n for n in result.notes if "inflation-" in n]
    assert len(notes) == 2 and not any("SWAPPED" in n for n in notes)
    extra = result.table[result.table["source_file"].str.contains("inflation-consumer")]
    assert extra["indicator_code"].tolist() == ["FP.CPI.TOTL.ZG"]


def test_long_file_matching_no_wide_series_is_excluded(tmp_path: Path) -> None:
    raw = copy_family(tmp_path, "datahub-inflation")
    path = raw / "datahub-inflation" / "inflation-gdp.csv"
    path.write_text(
        "Country,Country Code,Year,Inflation\nIran,IRN,2017,77.7\nIran,IRN,2018,88.8\n",
        encoding="utf-8",
    )
    result = datahub.load_inflation(raw)
    assert result.excluded["unverified_series"] == 2
    assert any("matches neither" in n for n in result.notes)


def test_without_the_wide_file_labels_cannot_be_checked(tmp_path: Path) -> None:
    raw = copy_family(tmp_path, "datahub-inflation")
    (raw / "datahub-inflation" / "FP.CPI.TOTL.ZG.csv").unlink()
    (raw / "datahub-inflation" / "NY.GDP.DEFL.KD.ZG.csv").unlink()
    result = datahub.load_inflation(raw)
    assert result.table.empty
    assert result.excluded == {"unverified_series": 7}
    assert result.balanced()


def test_wide_copies_read_like_world_bank_files() -> None:
    t = datahub.load_inflation(SNAPSHOT).table
    wide = t[t["source_file"] == "datahub-inflation/FP.CPI.TOTL.ZG.csv"]
    assert set(wide["source_id"]) == {"datahub-inflation"}
    assert wide.set_index(["country_code", "year"])["value"].to_dict() == {
        ("IRN", 2017): 9.1,
        ("IRN", 2018): 18.5,
        ("IRN", 2019): 39.5,
        ("SYN", 2017): 1.5,
        ("SYN", 2018): 2.5,
        ("SYN", 2019): 3.5,
        ("WLD", 2017): 2.1,
        ("WLD", 2018): 2.2,
    }
    assert wide.loc[wide["country_code"] == "WLD", "is_aggregate"].all()
    assert set(wide["unit"]) == {"annual %"}


def test_gdp_long() -> None:
    result = datahub.load_gdp(SNAPSHOT)
    t = result.table.set_index("country_code")
    assert t.loc["IRN", "value"] == pytest.approx(400000000000.5)
    assert t.loc["IRN", "source_row"] == 2
    assert bool(t.loc["WLD", "is_aggregate"]) and not bool(t.loc["IRN", "is_aggregate"])
    assert set(t["indicator_code"]) == {"NY.GDP.MKTP.CD"} and set(t["unit"]) == {"current US$"}
    assert set(t["vintage"]) == {"~2023"}
    assert result.rows_read == 3 and result.balanced()
