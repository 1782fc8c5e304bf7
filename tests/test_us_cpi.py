"""us_cpi: annual averages of the monthly CPI-U; partial years left out and counted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.clean.base import TableResult
from analysis.clean.tables import us_cpi
from analysis.schemas.us_cpi import SCHEMA

#: Synthetic files laid out like the real snapshot (tests/fixtures/snapshot/README.md).
SYNTHETIC_SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"


@pytest.fixture(scope="module")
def result() -> TableResult:
    return us_cpi.build(SYNTHETIC_SNAPSHOT)


def test_full_years_are_the_mean_of_their_twelve_months(result: TableResult) -> None:
    table = SCHEMA.validate(result.table)
    monthly = pd.read_csv(SYNTHETIC_SNAPSHOT / "datahub-cpi-us/cpiai.csv", dtype=str)
    months = monthly[monthly["Date"].str.match(r"^\d{4}-")].drop_duplicates("Date")
    months = months.assign(index=pd.to_numeric(months["Index"], errors="coerce"))
    expected = months[months["Date"].str.startswith("2000")]["index"].mean()
    assert table["year"].tolist() == [2000, 2001]
    assert table.loc[table["year"] == 2000, "cpi_u_annual_average"].item() == expected
    assert table["source_row"].tolist() == [3, 16]  # the row of each year's January


def test_every_row_is_accounted_for(result: TableResult) -> None:
    assert result.rows_read == 30
    assert result.excluded == {"month_averaged_into_year": 22, "partial_year": 3}
    assert result.balanced()


def test_defects_are_quarantined_with_their_row(result: TableResult) -> None:
    quarantine = result.quarantine.set_index("source_row")
    assert quarantine.loc[2, "check"] == "date"  # the SYNTHETIC label row
    assert quarantine.loc[8, "check"] == "unique_month"  # 2000-05 twice
    assert quarantine.loc[31, "check"] == "positive_number"  # n/a
    assert len(quarantine) == 3


def test_a_quarantined_month_makes_its_year_partial(tmp_path: Path) -> None:
    folder = tmp_path / "datahub-cpi-us"
    folder.mkdir()
    rows = [f"2010-{m:02d}-01,{'x' if m == 7 else 100}," for m in range(1, 13)]
    (folder / "cpiai.csv").write_text("Date,Index,Inflation\n" + "\n".join(rows) + "\n")
    built = us_cpi.build(tmp_path)
    assert built.table.empty and built.excluded["partial_year"] == 11 and built.balanced()


@pytest.mark.snapshot
def test_real_snapshot_matches_bls_published_annual_averages(real_snapshot: Path) -> None:
    table = SCHEMA.validate(us_cpi.build(real_snapshot).table).set_index("year")
    # BLS CPI-U annual averages (1982-84=100), as published by BLS: 2018 251.107, 2022 292.655.
    assert table.loc[2018, "cpi_u_annual_average"] == pytest.approx(251.107, abs=0.001)
    assert table.loc[2022, "cpi_u_annual_average"] == pytest.approx(292.655, abs=0.001)
    assert table.index.min() == 1913
