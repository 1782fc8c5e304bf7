"""oil_prices: EIA CSVs (kept) and the older .xls vintage (only dates the CSVs lack).

Fixtures: tests/fixtures/snapshot/eia-oil-prices (synthetic, invented values; the .xls was written
once with xlwt in EIA's layout: 'Data 1' sheet, two title rows, Excel serial dates).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.clean.sources import eia
from analysis.clean.tables import oil_prices
from analysis.errors import DataError
from analysis.schemas.oil_prices import SCHEMA

SYNTHETIC_SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"


@pytest.fixture(scope="module")
def result() -> oil_prices.TableResult:
    return oil_prices.build(SYNTHETIC_SNAPSHOT)


def price(
    table: pd.DataFrame, day: str, benchmark: str = "brent", frequency: str = "day"
) -> pd.Series:
    return table[
        (table["date"] == pd.Timestamp(day))
        & (table["benchmark"] == benchmark)
        & (table["frequency"] == frequency)
    ].squeeze()


def test_csv_wins_over_the_older_xls_and_xls_fills_gaps(result: oil_prices.TableResult) -> None:
    table = SCHEMA.validate(result.table)
    revised = price(table, "1987-05-20")
    assert revised["usd_per_barrel"] == 20.0 and revised["source_file"].endswith(".csv")
    gap = price(table, "1987-05-19")  # only in the .xls, Excel serial 31916
    assert gap["usd_per_barrel"] == 19.0 and gap["source_file"] == "eia-oil-prices/brent-day.xls"
    assert (
        gap["source_row"] == 4
    )  # spreadsheet row 4: below 'Back to Contents', 'Sourcekey', 'Date'
    assert result.excluded == {"duplicate_older_vintage": 2}
    assert "1 differ" in result.notes[0]


def test_frequency_and_benchmark_come_from_the_file_name(result: oil_prices.TableResult) -> None:
    year = price(result.table, "1988-06-30", frequency="year")
    assert year["usd_per_barrel"] == 15.0
    assert price(result.table, "2020-04-20", "wti")["usd_per_barrel"] == -36.98  # a real price


def test_unreadable_rows_are_quarantined(result: oil_prices.TableResult) -> None:
    got = set(zip(result.quarantine["source_file"], result.quarantine["source_row"], strict=True))
    assert got == {
        ("eia-oil-prices/brent-daily.csv", 4),  # SYNTHETIC label row
        ("eia-oil-prices/brent-daily.csv", 6),  # n/a
        ("eia-oil-prices/brent-day.xls", 7),  # n/a
    }
    assert result.rows_read == 15 and result.balanced()


def test_an_unknown_file_name_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "eia-oil-prices"
    folder.mkdir()
    (folder / "gasoline-daily.csv").write_text("Date,Price\n2020-01-02,1.5\n")
    with pytest.raises(DataError, match="gasoline-daily.csv"):
        eia.load(tmp_path)


@pytest.mark.snapshot
def test_real_oil_prices_spot_checks(real_snapshot: Path) -> None:
    result = oil_prices.build(real_snapshot)
    table = SCHEMA.validate(result.table, lazy=True)
    assert result.balanced() and result.quarantine.empty
    # wti-daily.csv line 8645: 2020-04-20,-36.98; brent-year.csv line 37: 2022-06-30,100.93
    assert price(table, "2020-04-20", "wti")["usd_per_barrel"] == -36.98
    assert price(table, "2022-06-30", frequency="year")["usd_per_barrel"] == 100.93
    # brent-day.xls 'Data 1' row 4: serial 31917 = 1987-05-20, 18.63 (same value in the CSV)
    assert price(table, "1987-05-20")["usd_per_barrel"] == 18.63
    assert set(table["frequency"]) == {"day", "week", "month", "year"}
