"""World Bank WDI loader on synthetic files in each real layout."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.clean import countries
from analysis.clean.base import TableResult
from analysis.clean.longform import SAME_ROW
from analysis.clean.sources import worldbank
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
    assert (
        worldbank.unit_from_name("Unemployment, total (% of total labor force) (national estimate)")
        == "% of total labor force"
    )


# --- year basis of national accounts, from the side files' SpecialNotes --------------------
IRAN_NOTE = (
    "The reporting period for national accounts data is designated as either calendar year basis"
    " (CY) or fiscal year basis (FY). For this country, it is fiscal year-based (fiscal year-end:"
    " March 20). Synthetic note, with comma."
)
NOTES = {
    "IRN": IRAN_NOTE,
    "IND": "Fiscal year end: March 31; reporting period for national accounts data: FY.",
    "CAN": "Fiscal year end: March 31; reporting period for national accounts data: CY.",
    "AUS": "Fiscal year end: June 30; reporting period for national accounts data: FY.",
    "PSE": "National accounts data are provided in the US dollar.",
}


def _wdi(folder: Path, code: str, name: str) -> None:
    rows = "".join(f'"{c}","{c}","{name}","{code}","1","2",\n' for c in NOTES)
    (folder / f"API_{code}_DS2_en_csv_v2_1.csv").write_text(
        '"Country Name","Country Code","Indicator Name","Indicator Code","2018","2019",\n' + rows,
        encoding="utf-8",
    )


def _side_file(folder: Path, name: str, notes: dict[str, str]) -> None:
    lines = "".join(f'"{c}","Somewhere","","{n}","{c}",\n' for c, n in notes.items())
    (folder / f"Metadata_Country_{name}.csv").write_text(
        '"Country Code","Region","IncomeGroup","SpecialNotes","TableName",\n' + lines,
        encoding="utf-8",
    )


def test_national_accounts_take_the_fiscal_year_the_side_file_states(tmp_path: Path) -> None:
    folder = tmp_path / "worldbank"
    folder.mkdir()
    _wdi(folder, "NY.GDP.MKTP.CD", "GDP (current US$)")
    _wdi(folder, "SL.UEM.TOTL.ZS", "Unemployment, total (% of total labor force)")
    _side_file(folder, "API_SL.UEM.TOTL.ZS_DS2_en_csv_v2_1", NOTES)  # another indicator's
    table = worldbank.load(tmp_path).table
    basis = table.groupby(["indicator_code", "country_code"], observed=True)["year_basis"]
    bases = basis.unique().map(list).to_dict()
    # Iran's FY ends 20 March: shown under the year in which it starts, the Iranian year
    assert bases[("NY.GDP.MKTP.CD", "IRN")] == ["iranian_year"]
    assert bases[("NY.GDP.MKTP.CD", "IND")] == ["financial_year"]
    # national accounts on calendar years; a FY ending 30 June is shown under its last year
    for country in ("CAN", "AUS", "PSE"):
        assert bases[("NY.GDP.MKTP.CD", country)] == ["calendar"]
    # the note is about national accounts only
    assert {b[0] for k, b in bases.items() if k[0] == "SL.UEM.TOTL.ZS"} == {"calendar"}


def test_side_files_that_disagree_leave_the_calendar(tmp_path: Path) -> None:
    folder = tmp_path / "worldbank"
    folder.mkdir()
    _side_file(folder, "a", {"IRN": IRAN_NOTE})
    _side_file(folder, "b", {"IRN": "Fiscal year end: March 20; national accounts data: CY."})
    assert countries.wb_fiscal_bases(tmp_path) == {}
    (folder / "Metadata_Country_b.csv").unlink()
    assert countries.wb_fiscal_bases(tmp_path) == {"IRN": "iranian_year"}


# --- the real snapshot --------------------------------------------------------------------


@pytest.mark.snapshot
def test_real_snapshot_unemployment_keeps_palestine_and_iran(real_snapshot: Path) -> None:
    t = worldbank.load(real_snapshot).table
    file = "worldbank/API_SL.UEM.TOTL.ZS_DS2_en_csv_v2_36.csv"
    uem = t[(t["source_file"] == file) & t["country_code"].isin(["PSE", "IRN"])]
    counts = uem.groupby("country_code", observed=True).size().to_dict()
    assert counts == {"IRN": 35, "PSE": 32}  # 1991-2025; Palestine 1991-2022
    assert set(uem["vintage"]) == {"2026-04-08"}
    assert set(uem["unit"]) == {"% of total labor force"}
    assert not uem["is_aggregate"].any()
    assert set(uem.loc[uem["country_code"] == "PSE", "country_name"]) == {"Palestine"}
    # line 202: West Bank and Gaza 2022 = 24.42; line 118: Iran 2022 = 9.085
    pse = uem[(uem["country_code"] == "PSE") & (uem["year"] == 2022)].iloc[0]
    assert pse["value"] == 24.42 and pse["source_row"] == 202
    # Iran's GDP is on its fiscal year (side files: "fiscal year-end: March 20")
    gdp = t[(t["indicator_code"] == "NY.GDP.MKTP.CD") & (t["country_code"] == "IRN")]
    assert set(gdp["year_basis"]) == {"iranian_year"}
    assert set(t.loc[t["indicator_code"] == "SL.UEM.TOTL.ZS", "year_basis"]) == {"calendar"}


def test_an_unreadable_side_file_is_named(tmp_path: Path) -> None:
    """A ``Metadata_Country`` side file that is not a CSV (synthetic junk) stops the loader with
    an error naming that side file, not the indicator file being read."""
    raw = tmp_path / "raw"
    shutil.copytree(SNAPSHOT / "worldbank", raw / "worldbank")
    side = sorted((raw / "worldbank").glob("Metadata_Country_*.csv"))[0]
    side.write_bytes(b"\xff\xfe\x00junk" * 64)
    with pytest.raises(DataError, match=f"file worldbank/{side.name}"):
        worldbank.load(raw)
