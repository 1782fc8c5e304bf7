"""World Bank WDI loader on synthetic files in each real layout."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.clean import countries, worldbank
from analysis.clean.base import TableResult
from analysis.clean.longform import SAME_ROW
from analysis.errors import DataError

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"
NEW = "worldbank/API_SY.TEST.RATE_DS2_en_csv_v2_101.csv"
OLD = "worldbank/API_SY.TEST.RATE_DS2_en_csv_v2.csv"
BARE = "worldbank/API_SY.TEST.SHARE_DS2_en_csv_v2_202.csv"


@pytest.fixture(scope="module")
def result() -> TableResult:
    return worldbank.load(SNAPSHOT)


def one(table: pd.DataFrame, file: str, code: str, year: int) -> pd.Series:
    rows = table[
        (table["source_file"] == file) & (table["country_code"] == code) & (table["year"] == year)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_every_layout_reads_to_the_same_columns(result: TableResult) -> None:
    t = result.table
    # preamble + quoted + CRLF + trailing column
    assert one(t, NEW, "IRN", 2022)["value"] == 42000.0
    # preamble + LF
    assert one(t, OLD, "IRN", 2017)["value"] == 35000.0
    # no preamble, unquoted, no trailing column, negative value
    assert one(t, BARE, "IRN", 2022)["value"] == -0.5
    assert set(t["source_file"]) == {NEW, OLD, BARE}


def test_source_row_is_the_line_number_in_the_file(result: TableResult) -> None:
    for rel in (NEW, OLD, BARE):
        lines = (SNAPSHOT / rel).read_text(encoding="utf-8-sig").splitlines()
        header = next(next(csv.reader([x])) for x in lines if "Country Code" in x)
        rows = result.table[result.table["source_file"] == rel]
        assert not rows.empty
        for line, code, year, number in zip(
            rows["source_row"], rows["country_code"], rows["year"], rows["value"], strict=True
        ):
            fields = next(csv.reader([lines[int(line) - 1]]))
            assert fields[1] == code
            assert float(fields[header.index(str(year))]) == number


def test_empty_cells_are_gaps_and_text_is_quarantined(result: TableResult) -> None:
    t = result.table
    assert one(t, NEW, "IRN", 2019)["value"] == 42000.0
    assert t[(t["source_file"] == NEW) & (t["country_code"] == "IRN") & (t["year"] == 2021)].empty
    q = result.quarantine
    assert sorted(q["value"]) == ["bad", "n.a.x"]
    assert set(q["column"]) == {"2020", "2021"}
    assert (q["source_row"] == 10).all() and (q["source_file"] == NEW).all()
    # two bad cells on one line: one quarantined row, one more cell counted aside
    assert result.rows_quarantined == 1 and result.excluded == {SAME_ROW: 1}
    assert result.balanced()


def test_vintage_from_preamble_or_approximated(result: TableResult) -> None:
    vintages = (
        result.table.groupby("source_file", observed=True)["vintage"].unique().map(list).to_dict()
    )
    assert vintages == {NEW: ["2026-01-15"], OLD: ["2018-02-22"], BARE: ["~2023"]}


def test_unit_comes_from_the_indicator_name(result: TableResult) -> None:
    units = (
        result.table.groupby("indicator_code", observed=True)["unit"].unique().map(list).to_dict()
    )
    assert units == {"SY.TEST.RATE": ["LCU per US$, period average"], "SY.TEST.SHARE": ["% of GDP"]}


def test_aggregates_flagged_by_side_file_then_by_list(result: TableResult) -> None:
    flags = (
        result.table.groupby("country_code", observed=True)["is_aggregate"]
        .unique()
        .map(list)
        .to_dict()
    )
    assert flags["MEA"] == [True]  # blank Region in the Metadata_Country side file
    assert flags["ARB"] == [True]  # not in the side file: the named list
    assert flags["WLD"] == [True]
    assert flags["IRN"] == [False] and flags["SYN"] == [False]
    names = result.table.drop_duplicates("country_code").set_index("country_code")
    assert names.loc["IRN", "country_name"] == "Iran"
    assert names.loc["PSE", "country_name"] == "Palestine"
    assert names.loc["MEA", "country_name"] == "Middle East & North Africa"


def test_side_file_overrides_the_list(tmp_path: Path) -> None:
    folder = tmp_path / "worldbank"
    folder.mkdir()
    (folder / "Metadata_Country_x.csv").write_text(
        '"Country Code","Region",\n"WLD","Somewhere",\n"IRN","",\n', encoding="utf-8"
    )
    flags = countries.wb_is_aggregate(pd.Series(["WLD", "IRN", "MEA"]), tmp_path)
    assert flags.tolist() == [False, True, True]


def test_a_file_that_is_not_wdi_is_refused(tmp_path: Path) -> None:
    (tmp_path / "worldbank").mkdir()
    shutil.copy(SNAPSHOT / BARE, tmp_path / "worldbank" / "API_X_DS2_1.csv")
    path = tmp_path / "worldbank" / "API_Y_DS2_1.csv"
    path.write_text("Country,Year,Value\nIran,2020,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="not a World Bank WDI file"):
        worldbank.load(tmp_path)


def test_unit_from_name() -> None:
    assert worldbank.unit_from_name("GDP (current US$)") == "current US$"
    assert worldbank.unit_from_name("Inflation, consumer prices (annual %)") == "annual %"
    assert worldbank.unit_from_name("No unit here") == "No unit here"
