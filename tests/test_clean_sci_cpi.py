"""Statistical Centre of Iran CPI: Jalali years, short years, inferred base year, rounding."""

from __future__ import annotations

from pathlib import Path

import jdatetime
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.clean import jalali
from analysis.clean.base import TableResult
from analysis.clean.longform import SAME_ROW
from analysis.clean.sources import sci_cpi
from analysis.parse.dates import expand_jalali_year

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"


@pytest.fixture(scope="module")
def result() -> TableResult:
    return sci_cpi.load(SNAPSHOT)


def series(result: TableResult, code: str) -> dict[int, float]:
    rows = result.table[result.table["indicator_code"] == code]
    return dict(zip(rows["year"], rows["value"], strict=True))


def test_jalali_years_become_the_gregorian_start_year(result: TableResult) -> None:
    assert series(result, "SCI.CPI.URBAN") == {2017: 30.9, 2018: 39.1, 2021: 100.0}
    assert series(result, "SCI.CPI.RURAL") == {1982: 0.1, 2020: 70.0, 2021: 100.0}
    assert set(result.table["year_basis"]) == {"iranian_year"}
    assert set(result.table["country_code"]) == {"IRN"}


def test_short_years_in_workbooks(result: TableResult) -> None:
    # CPIU.xlsx writes 97/100/101, inflation.xlsx 77/95/97: all relative to 1300
    assert series(result, "SCI.CPIU.TOTAL") == {
        2018: pytest.approx(39.10372858607505),
        2021: pytest.approx(100.0),
        2022: 144.95,
    }
    assert series(result, "SCI.INFL.CPI") == {2016: 100.0, 2018: 137.30199}


def test_base_year_is_inferred_and_stated_in_the_unit(result: TableResult) -> None:
    units = result.table.groupby("indicator_code", observed=True)["unit"].first()
    assert units["SCI.CPI.URBAN"].startswith("index, 1400=100")
    assert units["SCI.CPIU.CHICKEN"].startswith("index, 1400=100")  # 100.00000000000001
    assert units["SCI.INFL.CPI"].startswith("index, 1395=100")
    assert units["SCI.INFL.D2INF"] == "ratio (0.22 = 22%)"
    assert "states no base year" in units["SCI.CPI.URBAN"]


def test_codes_from_regions_and_item_names(result: TableResult) -> None:
    codes = set(result.table["indicator_code"])
    assert {"SCI.CPI.URBAN.FOOD_FOOD", "SCI.CPI.RURAL.TOBACCO", "SCI.CPIU.TEA_COFFEE"} <= codes
    assert "SCI.CPIU.CHICKEN" in codes  # column header ' cpi_chicken' with a leading space


def test_rounded_zero_levels_are_quarantined(result: TableResult) -> None:
    q = result.quarantine
    assert q[["source_row", "column", "value"]].values.tolist() == [
        [5, "food_food", "0.0"],
        [5, "tobacco", "0.0"],
        [6, "food_food", "0.0"],
    ]
    assert set(q["check"]) == {"positive_index"}
    assert result.excluded == {SAME_ROW: 1}
    assert result.balanced()


def test_monthly_sheet_is_not_read(result: TableResult) -> None:
    assert not (result.table["value"] == 999.0).any()  # Sheet1's contradicting yearly row


@given(st.integers(min_value=1300, max_value=1500))
def test_start_year_matches_jdatetime(year: int) -> None:
    start = jdatetime.date(year, 1, 1).togregorian()
    assert jalali.gregorian_start_year(year) == start.year
    assert start.month == 3 and 19 <= start.day <= 22  # 1 Farvardin is about 21 March


@given(st.integers(min_value=50, max_value=199))
def test_short_years_are_relative_to_1300(short: int) -> None:
    assert expand_jalali_year(short) == 1300 + short
    assert expand_jalali_year(1300 + short) == 1300 + short


@given(st.integers(min_value=0, max_value=49))
def test_two_digit_years_below_the_pivot_are_after_1399(short: int) -> None:
    """One rule with the date parser: ``2`` is 1402, as ``02/01/01`` is 1402/01/01."""
    assert expand_jalali_year(short) == 1400 + short


def test_to_start_years_vectorised() -> None:
    got = jalali.to_start_years(pd.Series([77, 1397, 102]))
    assert got.tolist() == [1998, 2018, 2023]
