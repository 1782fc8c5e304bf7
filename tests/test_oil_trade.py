"""``oil_trade``: the EU crude-oil import register (eu-coir) read month by month.

Fixtures: tests/fixtures/snapshot/eu-coir (SYNTHETIC workbooks in the real layout, written by
tests/fixtures/make_oil_trade_fixtures.py; every figure invented). The real-snapshot checks at the
end need $ANALYSIS_SNAPSHOT.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import SYNTHETIC_SNAPSHOT
from openpyxl import load_workbook

from analysis.clean import pipeline
from analysis.clean.base import TableResult
from analysis.clean.sources import eu_coir
from analysis.clean.tables import oil_trade
from analysis.errors import DataError
from analysis.report import oil_trade as views
from analysis.schemas.oil_trade import SCHEMA

WORKBOOK_2017 = "eu-coir/Crude_Oil_Imports_Reporting_Country_2017.xlsx"
WORKBOOK_2018 = "eu-coir/Crude_Oil_Imports_Reporting_Country_2018.xlsx"


@pytest.fixture(scope="module")
def result() -> TableResult:
    return pipeline.validate(oil_trade.build(SYNTHETIC_SNAPSHOT), SCHEMA, "oil_trade")


@pytest.fixture(scope="module")
def rows(result: TableResult) -> pd.DataFrame:
    return result.table.set_index(["source_file", "source_row"])


def _raw_copy(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(SYNTHETIC_SNAPSHOT / "eu-coir", raw / "eu-coir")
    return raw


def test_rows_balance_and_every_kind_is_counted(result: TableResult) -> None:
    assert result.balanced()
    assert result.rows_read == 328
    assert (result.rows_kept, result.rows_quarantined) == (135, 7)
    assert result.excluded == {
        # 2 blocks after the first x 10 months x 2 years: April and December write it once
        "repeated_header": 40,
        "reporter_subtotal": 72,
        "eu_total": 24,
        "footnote": 24,
        "cumulative_year_sheet": 26,
    }


def test_the_cumulative_sheet_is_never_a_month(result: TableResult) -> None:
    sheets = result.table["source_row"].str.split("!").str[0]
    assert set(sheets) == set(eu_coir.MONTH_SHEETS)
    assert result.table["month"].dt.day.eq(1).all()
    assert result.table["month"].nunique() == 24  # 12 months x 2 workbooks


def test_month_comes_from_the_sheet_and_the_file_year(rows: pd.DataFrame) -> None:
    sept = rows.loc[(WORKBOOK_2018, "EU COI - Sept!6")]
    assert sept["month"] == pd.Timestamp("2018-09-01")
    assert (sept["origin_name"], sept["volume_kbbl"]) == ("Iraq", 109.0)


def test_reporter_is_filled_down_within_its_block(rows: pd.DataFrame) -> None:
    # row 5 of the 2017 March sheet has an empty reporter cell under "Italy" (row 3)
    light = rows.loc[(WORKBOOK_2017, "EU COI - Mar!5")]
    assert (light["reporter_code"], light["reporter_name"]) == ("ITA", "Italy")
    assert (light["origin_code"], light["crude_grade"]) == ("IRN", "Iranian Light")


def test_a_reporter_never_fills_down_past_a_subtotal(result: TableResult) -> None:
    """December sheets write the header once: Greece's empty first cell (row 10, under
    Bulgaria's "Sum:" row) must not become Bulgaria."""
    december = result.table[result.table["source_row"].str.startswith("EU COI - Dec!")]
    assert "EU COI - Dec!10" not in set(december["source_row"])
    assert set(december["reporter_code"]) == {"ITA", "BGR", "GRC"}  # the 2018 workbook's Greece
    q = result.quarantine.set_index("source_row").loc["EU COI - Dec!10"]
    assert (q["column"], q["check"]) == ("reporter", "reporter_filled_down")


def test_numbers_stored_as_text_are_read(rows: pd.DataFrame) -> None:
    murban = rows.loc[(WORKBOOK_2017, "EU COI - Mar!12")]
    assert (murban["volume_kbbl"], murban["value_kusd"], murban["cif_usd_per_bbl"]) == (
        20.5,
        1025.0,
        50.0,
    )
    assert (murban["origin_code"], murban["origin_name"]) == ("ARE", "Abu Dhabi")


def test_confidential_value_and_price_are_empty_but_the_volume_is_kept(rows: pd.DataFrame) -> None:
    urals = rows.loc[(WORKBOOK_2017, "EU COI - Mar!9")]
    assert urals["is_confidential"] and urals["volume_kbbl"] == 30.0
    assert pd.isna(urals["value_kusd"]) and pd.isna(urals["cif_usd_per_bbl"])


def test_residual_origins_are_kept_without_a_code(rows: pd.DataFrame) -> None:
    other = rows.loc[(WORKBOOK_2017, "EU COI - Mar!6")]
    assert other["origin_name"] == "Other African Countries" and pd.isna(other["origin_code"])


def test_subtotals_and_the_world_row_are_not_added_to_the_months(result: TableResult) -> None:
    # the World row of the 2018 March sheet reads 504.5 thousand bbl
    march = result.table[result.table["month"] == pd.Timestamp("2018-03-01")]
    assert march["volume_kbbl"].sum() == pytest.approx(504.5)


def test_bad_cells_are_quarantined_with_sheet_and_row(result: TableResult) -> None:
    got = set(zip(result.quarantine["source_row"], result.quarantine["column"], strict=True))
    assert got == {
        ("EU COI - May!13", "volume"),  # "n.a.x"
        ("EU COI - May!14", "origin"),  # "Atlantis"
        ("EU COI - Jun!3", "reporter"),  # the block's reporter cell is empty: no fill-down
        ("EU COI - Jun!4", "reporter"),
        ("EU COI - Jun!5", "reporter"),
        ("EU COI - Jun!6", "reporter"),
        ("EU COI - Dec!10", "reporter"),
    }
    assert set(result.quarantine["source_file"]) == {WORKBOOK_2017}
    bad = result.quarantine.set_index("source_row")
    assert bad.loc["EU COI - May!13", "value"] == "n.a.x"
    assert pd.isna(bad.loc["EU COI - Jun!3", "value"])


def test_months_are_checked_against_the_cumulative_sheet(result: TableResult) -> None:
    notes = {n.split(":")[0]: n for n in result.notes if "cumulative" in n}
    assert "(DIFFER)" not in notes["oil_trade 2018"]
    assert notes["oil_trade 2018"].count("(agree)") == 2
    # 2017's quarantined rows are in the cumulative sheet but not in the kept months
    assert "all origins 4,936.5 vs 5,414.0 thousand bbl (DIFFER)" in notes["oil_trade 2017"]


def test_reporter_subtotals_are_checked(result: TableResult) -> None:
    assert "oil_trade 2018: 36 of 36 reporter subtotals ('Sum:') equal" in " ".join(result.notes)


def test_a_sheet_titled_with_another_month_is_refused(tmp_path: Path) -> None:
    raw = _raw_copy(tmp_path)
    book = load_workbook(raw / WORKBOOK_2018)
    book["EU COI - Mar"]["G2"] = "Apr - 2018"
    book.save(raw / WORKBOOK_2018)
    with pytest.raises(DataError, match="titled 'Apr - 2018', not Mar 2018"):
        oil_trade.build(raw)


def test_a_workbook_without_a_month_sheet_is_refused(tmp_path: Path) -> None:
    raw = _raw_copy(tmp_path)
    book = load_workbook(raw / WORKBOOK_2017)
    del book["EU COI - Dec"]
    book.save(raw / WORKBOOK_2017)
    with pytest.raises(DataError, match="lacks the sheets"):
        oil_trade.build(raw)


def test_a_sheet_without_its_header_is_refused(tmp_path: Path) -> None:
    raw = _raw_copy(tmp_path)
    book = load_workbook(raw / WORKBOOK_2017)
    sheet = book["EU COI - Jan"]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "Reporting Country":
                cell.value = "Reporter"
    book.save(raw / WORKBOOK_2017)
    with pytest.raises(DataError, match="no 'Reporting Country' header"):
        oil_trade.build(raw)


def test_iran_in_thousand_barrels_a_day(result: TableResult) -> None:
    monthly = views.monthly_imports_kbd(result.table).set_index("month")
    assert monthly.loc["2017-02-01", "kbd"] == 0.0  # no Iranian row before March 2017
    assert monthly.loc["2017-03-01", "kbd"] == pytest.approx((310 + 31) / 31)
    assert monthly.loc["2018-02-01", "kbd"] == pytest.approx(341 / 28)
    assert len(monthly) == 24
    yearly = views.yearly_imports_kbd(monthly.reset_index()).set_index("year")
    assert yearly.loc[2018, "kbd"] == pytest.approx(341 * 12 / 365)
    assert yearly.loc[2018, "months"] == 12


def test_kbd_of_an_origin_absent_from_the_register_is_zero(result: TableResult) -> None:
    monthly = views.monthly_imports_kbd(result.table, origin_code="VEN")
    assert len(monthly) == 24 and monthly["kbd"].eq(0.0).all()


# --- the real snapshot -------------------------------------------------------------------------


@functools.cache
def _real(snapshot: Path) -> TableResult:
    return pipeline.validate(oil_trade.build(snapshot), SCHEMA, "oil_trade")


@pytest.fixture
def real(real_snapshot: Path) -> TableResult:
    """The table built from the real snapshot's workbooks (once per session)."""
    return _real(real_snapshot)


@pytest.mark.snapshot
def test_real_register_balances_and_months_add_up_to_the_cumulative_sheets(
    real: TableResult,
) -> None:
    assert real.balanced() and real.rows_kept > 15_000
    checks = [n for n in real.notes if "cumulative sheet" in n]
    assert len(checks) == 7 and not any("DIFFER" in n for n in checks), checks


@pytest.mark.snapshot
def test_real_eu_imports_from_iran(real: TableResult) -> None:
    """The MANIFEST's figures: ~0 in 2013 and 2015, restart March 2016, ~548 kb/d in 2017, 0 from
    December 2018."""
    monthly = views.monthly_imports_kbd(real.table)
    yearly = views.yearly_imports_kbd(monthly).set_index("year")["kbd"]
    assert yearly[2013] == 0.0 and yearly[2015] == 0.0 and yearly[2019] == 0.0
    assert yearly[2017] == pytest.approx(548, abs=1)
    series = monthly.set_index("month")["kbd"]
    assert series["2016-01-01":"2016-02-01"].eq(0.0).all() and series["2016-03-01"] > 0
    assert series["2018-12-01":].eq(0.0).all() and series["2018-11-01"] > 0


def test_a_month_sheet_with_only_its_header_gives_no_rows(tmp_path: Path) -> None:
    raw = _raw_copy(tmp_path)
    book = load_workbook(raw / WORKBOOK_2018)
    sheet = book["EU COI - Jan"]
    sheet.delete_rows(6, sheet.max_row)  # the header is on row 5
    book.save(raw / WORKBOOK_2018)
    result = oil_trade.build(raw)
    assert result.balanced()
    assert pd.Timestamp("2018-01-01") not in set(result.table["month"])
    assert pd.Timestamp("2018-02-01") in set(result.table["month"])
