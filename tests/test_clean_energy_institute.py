"""Energy Institute loader: units as indicators, region totals excluded, footnotes ignored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analysis.clean.base import TableResult
from analysis.clean.longform import SAME_ROW
from analysis.clean.sources import energy_institute as ei
from analysis.errors import DataError

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"


@pytest.fixture(scope="module")
def result() -> TableResult:
    return ei.load(SNAPSHOT)


def test_each_unit_is_its_own_indicator(result: TableResult) -> None:
    t = result.table
    units = t.groupby("indicator_code", observed=True)["unit"].unique().map(list).to_dict()
    assert units["EI.OIL_PROD.KBD"] == ["thousand barrels per day"]
    assert units["EI.OIL_PROD.MT"] == ["million tonnes"]
    assert units["EI.GAS_PROD.BCM"] == ["billion cubic metres"]
    assert set(units) == {s.code for s in ei.SHEETS.values()}


def test_countries_kept_with_gaps_dropped(result: TableResult) -> None:
    t = result.table[result.table["indicator_code"] == "EI.OIL_PROD.KBD"]
    got = {(r.country_code, r.year): r.value for r in t.itertuples()}
    assert got == {
        ("USA", 2021): 100.5,
        ("USA", 2022): 110.25,  # "-" in 2023 is a gap
        ("IRN", 2021): pytest.approx(1908.0),
        ("IRN", 2023): 2132.0,  # "n/a" in 2022 is a gap
        ("SUN", 2021): 9000.0,
        ("IRQ", 2022): 4500.0,
    }
    # growth-rate and share columns after the last year are not read
    assert t["year"].max() == 2023 and len(t) == 6


def test_totals_and_groups_excluded_unknown_quarantined(result: TableResult) -> None:
    sheets = len(ei.SHEETS)
    # per sheet: 5 total/group lines x 3 years, one "Other" line x 3
    assert result.excluded["region_total"] == 15 * sheets
    assert result.excluded["residual_group"] == 3 * sheets
    q = result.quarantine
    assert set(zip(q["source_row"], q["value"], strict=True)) == {(14, "Narnia"), (15, "abc")}
    assert len(q) == 2 * sheets
    # the same two rows on six sheets: two (file, row) pairs, ten more cells counted aside
    assert result.rows_quarantined == 2 and result.excluded[SAME_ROW] == 2 * sheets - 2
    assert q["reason"].str.contains("EI sheet").all()
    assert result.balanced()


def test_vintage_is_the_edition_year(result: TableResult) -> None:
    assert set(result.table["vintage"]) == {"2024"}


def test_changed_unit_header_is_refused(tmp_path: Path) -> None:
    shutil.copytree(SNAPSHOT / "energy-institute", tmp_path / "energy-institute")
    path = tmp_path / ei.FILE
    book = load_workbook(path)
    book["Oil Production - tonnes"]["A3"] = "Thousand tonnes"
    book.save(path)
    with pytest.raises(DataError, match="Million tonnes"):
        ei.load(tmp_path)


def test_missing_sheet_is_refused(tmp_path: Path) -> None:
    shutil.copytree(SNAPSHOT / "energy-institute", tmp_path / "energy-institute")
    path = tmp_path / ei.FILE
    book = load_workbook(path)
    del book["Gas Production - Bcm"]
    book.save(path)
    with pytest.raises(DataError, match="lacks sheet"):
        ei.load(tmp_path)
