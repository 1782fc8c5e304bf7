"""SIPRI loader: workbook sheets with title rows, the cp1252 CSV export, two releases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.clean.base import TableResult
from analysis.clean.longform import SAME_ROW
from analysis.clean.sources import sipri
from analysis.errors import DataError

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"
XLSX = "sipri/SIPRI-Milex-data-1949-2023.xlsx"
CSV = "sipri/SIPRI-Milex-data-1949-2024_2.csv"


@pytest.fixture(scope="module")
def result() -> TableResult:
    return sipri.load(SNAPSHOT)


def series(table: pd.DataFrame, code: str, file: str, country: str = "IRN") -> dict[int, float]:
    rows = table[
        (table["indicator_code"] == code)
        & (table["source_file"] == file)
        & (table["country_code"] == country)
    ]
    return dict(zip(rows["year"], rows["value"], strict=True))


def test_sheets_become_indicators_with_units(result: TableResult) -> None:
    t = result.table
    assert series(t, "SIPRI.MILEX.USD_CURRENT_M", XLSX) == {2020: 9000.5, 2022: 10283.1}
    assert series(t, "SIPRI.MILEX.GDP_SHARE", XLSX) == {2020: 0.021, 2021: 0.02}
    fy = t[t["indicator_code"] == "SIPRI.MILEX.LCU_FY"]
    assert dict(zip(fy["year"], fy["value"], strict=True)) == {2020: 1e6, 2022: 3e6}
    assert set(fy["unit"]) == {"Rial, current prices; financial year Apr-Mar starting in year"}
    assert set(fy["year_basis"]) == {"financial_year"}
    assert "Regional totals" not in set(t["indicator_name"])


def test_markers_are_gaps_and_region_lines_hold_nothing(result: TableResult) -> None:
    t = result.table
    assert "CSK" not in set(t["country_code"])  # Czechoslovakia: 'xxx' only
    assert 2021 not in series(t, "SIPRI.MILEX.USD_CURRENT_M", XLSX)  # '. .'
    assert not t["country_name"].isin(["Middle East", "Europe", "Central Europe"]).any()


def test_aggregate_excluded_unknown_name_and_bad_text_quarantined(result: TableResult) -> None:
    assert result.excluded == {"aggregate": 7, SAME_ROW: 1}  # European Union, both files
    q = result.quarantine.sort_values(["source_row", "column"])
    assert q[["source_row", "column", "value", "check"]].values.tolist() == [
        [14, "2022", "12,3x", "number"],
        [15, "country", "Atlantis", "country_name"],
        [15, "country", "Atlantis", "country_name"],
    ]
    assert q["reason"].str.contains("Current US").all()  # the sheet is named
    assert result.balanced()


def test_csv_is_windows_1252_and_a_newer_release(result: TableResult) -> None:
    t = result.table
    newer = series(t, "SIPRI.MILEX.USD_CURRENT_M", CSV)
    assert newer == {2020: 9000.5, 2022: 9999.9, 2023: 7390.9}
    assert series(t, "SIPRI.MILEX.USD_CURRENT_M", CSV, "TUR")[2023] == 23000.0
    assert set(t.loc[t["source_file"] == CSV, "vintage"]) == {"2025"}
    assert set(t.loc[t["source_file"] == XLSX, "vintage"]) == {"2024"}
    turkey = t[(t["country_code"] == "TUR") & (t["source_file"] == CSV)]
    assert turkey["source_row"].unique().tolist() == [5]
    assert any("75% of 4 cells" in n for n in result.notes)


def test_csv_that_is_not_current_dollars_is_refused(tmp_path: Path) -> None:
    shutil.copytree(SNAPSHOT / "sipri", tmp_path / "sipri")
    path = tmp_path / CSV
    path.write_text(
        "Country,Notes,2020,2021\n,,,\nIran,92,0.021,0.02\nTürkiye,,0.03,0.02\n",
        encoding="cp1252",
    )
    with pytest.raises(DataError, match="does not look like"):
        sipri.load(tmp_path)


def test_release_of() -> None:
    assert sipri.release_of(Path("SIPRI-Milex-data-1949-2023.xlsx")) == "2024"
    with pytest.raises(DataError):
        sipri.release_of(Path("milex.xlsx"))


def test_sheet_spec_reads_the_base_year_of_constant_dollars() -> None:
    spec = sipri.sheet_spec("Constant (2022) US$")
    assert spec is not None and spec.code == "SIPRI.MILEX.USD_CONST2022_M"
    assert "2022" in spec.unit
    assert sipri.sheet_spec("Footnotes") is None
