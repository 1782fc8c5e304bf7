"""IMF WEO loader: mangled number cells, text numbers, estimates, codes, year basis."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.clean.base import TableResult
from analysis.clean.longform import SAME_ROW
from analysis.clean.sources import imf_weo
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


def test_fiscal_year_data_take_the_mapping_the_country_states(result: TableResult) -> None:
    t = result.table
    # "Latest actual data: FY2022/23" and Iran states FY(t/t+1) = CY(t) on its CPI
    assert set(series(t, "WEO.BCA", "IRN")["year_basis"]) == {"iranian_year"}
    # Egypt's notes state no FY(t/t+1) = CY(t) mapping: its year cannot be called the start
    assert set(series(t, "WEO.BCA", "EGY")["year_basis"]) == {"calendar"}
    # an Iranian series dated by calendar year stays calendar
    assert set(series(t, "WEO.LE", "IRN")["year_basis"]) == {"calendar"}


def test_year_bases_both_ways_on_one_line() -> None:
    mapped = "Synthetic. Fiscal year data are mapped to calendar year as follows: FY(t/t+1) = CY(t)"
    lines = pd.DataFrame(
        {
            "iso": ["IRN", "IRN", "IRN", "IND", "IND", "EGY"],
            "descriptor": ["GDP", "Current account", "Current account", "GDP", "CPI", "CPI"],
            "units": ["National currency"] * 6,
            "notes": [
                mapped,
                "Latest actual data: FY2022/23 Primary domestic currency: Iranian rial",
                "Latest actual data: 2023",
                mapped,
                "Latest actual data: FY2023/24",
                "Latest actual data: FY2023/24",
            ],
        }
    )
    assert imf_weo.year_bases(lines).tolist() == [
        "iranian_year",
        "iranian_year",
        "calendar",
        "financial_year",
        "financial_year",
        "calendar",
    ]


def test_west_bank_and_gaza_fiscal_and_labour_series_kept_as_palestine(
    result: TableResult,
) -> None:
    t = result.table
    for code in ("WEO.GGR", "WEO.GGXWDG", "WEO.LUR"):
        rows = series(t, code, "PSE")
        assert rows["value"].to_dict() == {2020: 1.5, 2021: 2.5, 2022: -3.25}, code
        assert set(rows["country_name"]) == {"Palestine"}
        assert set(rows["year_basis"]) == {"calendar"}  # "Reporting in calendar year: Yes"
    assert set(series(t, "WEO.LUR", "PSE")["unit"]) == {"Percent of total labor force"}
    assert result.balanced()


@pytest.mark.snapshot
def test_real_snapshot_palestine_and_iran_year_bases(real_snapshot: Path) -> None:
    t = imf_weo.load(real_snapshot).table
    pse = t[t["country_code"] == "PSE"]
    subjects = set(pse["indicator_code"])
    fiscal = {"WEO.GGR", "WEO.GGX", "WEO.GGXCNL", "WEO.GGXWDG", "WEO.GGR_NGDP", "WEO.GGX_NGDP"}
    assert fiscal | {"WEO.LUR", "WEO.LP", "WEO.NGDP", "WEO.NGDPD"} <= subjects
    assert len(pse) == 934 and set(pse["year_basis"]) == {"calendar"}
    iran = t[t["country_code"] == "IRN"].groupby("indicator_code", observed=True)["year_basis"]
    bases = iran.unique().map(list).to_dict()
    # notes "Latest actual data: FY2022/23" (BCA, trade volumes) and "FY2021/22" (LP)
    for code in ("BCA", "LP", "TM_RPCH", "TMG_RPCH", "TX_RPCH", "TXG_RPCH", "GGR", "LUR"):
        assert bases[f"WEO.{code}"] == ["iranian_year"], code
