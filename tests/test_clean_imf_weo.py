"""IMF WEO loader: mangled number cells, text numbers, estimates, codes, year basis."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.clean import imf_weo
from analysis.clean.base import TableResult
from analysis.clean.longform import SAME_ROW
from analysis.errors import DataError

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"


@pytest.fixture(scope="module")
def result() -> TableResult:
    return imf_weo.load(SNAPSHOT)


def series(table: pd.DataFrame, code: str, country: str) -> pd.DataFrame:
    rows = table[(table["indicator_code"] == code) & (table["country_code"] == country)]
    return rows.set_index("year")


def test_number_cells_are_divided_and_text_numbers_read(result: TableResult) -> None:
    cpi = series(result.table, "WEO.PCPI", "IRN")["value"].to_dict()
    assert cpi == {2020: 71.333, 2021: 100.0, 2022: 1145.75}  # 71333 / 1000, "1,145.750"
    pch = series(result.table, "WEO.PCPIPCH", "IRN")["value"].to_dict()
    assert pch == {2020: 36.458, 2021: 40.187, 2022: 0.671}  # 'n/a' and '--' are gaps


def test_number_cells_that_the_resave_cannot_produce_are_quarantined(result: TableResult) -> None:
    q = result.quarantine
    assert sorted(q["value"]) == ["12.5", "999.0"]
    assert set(q["source_row"]) == {4}
    assert result.excluded == {SAME_ROW: 1}
    assert result.balanced()


def test_projections_are_flagged_after_estimates_start_after(result: TableResult) -> None:
    pch = series(result.table, "WEO.PCPIPCH", "IRN")["is_estimate"].to_dict()
    assert pch == {2020: False, 2021: False, 2022: True}
    assert not series(result.table, "WEO.LP", "KOR")["is_estimate"].any()  # no year given


def test_codes_names_and_units(result: TableResult) -> None:
    t = result.table
    assert "WBG" not in set(t["country_code"])
    gdp = series(t, "WEO.NGDPD", "PSE")
    assert gdp["value"].to_dict() == {2020: 15.0, 2022: 1234.567}
    assert set(gdp["unit"]) == {"U.S. dollars, billions"}
    assert set(gdp["country_name"]) == {"Palestine"}
    assert set(series(t, "WEO.LP", "KOR")["unit"]) == {"Persons, millions"}
    assert set(series(t, "WEO.PCPI", "IRN")["country_name"]) == {"Iran"}
    assert set(t["vintage"]) == {"2024-10"}


def test_year_basis_follows_the_notes(result: TableResult) -> None:
    t = result.table
    assert set(series(t, "WEO.PCPI", "IRN")["year_basis"]) == {"iranian_year"}
    # "See notes for: ... (Index)" inherits the basis of the series it names
    assert set(series(t, "WEO.PCPIPCH", "IRN")["year_basis"]) == {"iranian_year"}
    assert set(series(t, "WEO.NGDP_RPCH", "AFG")["year_basis"]) == {"financial_year"}
    assert set(series(t, "WEO.LP", "KOR")["year_basis"]) == {"calendar"}


def test_source_row_is_the_spreadsheet_row(result: TableResult) -> None:
    rows = (
        result.table.groupby("indicator_code", observed=True)["source_row"]
        .unique()
        .map(list)
        .to_dict()
    )
    assert rows["WEO.PCPI"] == [2] and rows["WEO.NGDPD"] == [4] and rows["WEO.NGDP_RPCH"] == [6]


def test_vintage_of() -> None:
    assert imf_weo.vintage_of(Path("WEOOct2024all.xlsx")) == "2024-10"
    assert imf_weo.vintage_of(Path("WEOApr2025all.xlsx")) == "2025-04"
    with pytest.raises(DataError):
        imf_weo.vintage_of(Path("weo.xlsx"))


def test_unit_of() -> None:
    assert imf_weo.unit_of("National currency", "Billions") == "National currency, billions"
    assert imf_weo.unit_of("Percent change", "Units") == "Percent change"
    assert imf_weo.unit_of(None, None) == "not stated"
