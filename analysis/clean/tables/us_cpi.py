"""``us_cpi``: annual averages of the monthly US CPI-U (datahub core/cpi-us, BLS CUUR0000SA0).

The months come from :mod:`analysis.clean.sources.cpi_us`. The annual average is the mean of
the twelve monthly indexes, as BLS computes it; a year with fewer than twelve months is left out
and its months are counted in ``excluded`` (in the snapshot, 2025 has no October row and 2026
is the current, partial year).

Row accounting: every monthly row is read; the row of a year's first month is kept (it becomes
the year's row and its ``source_row``), the other eleven months are counted as
``month_averaged_into_year``; months of an incomplete year as ``partial_year``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.clean.base import TableResult
from analysis.clean.sources import cpi_us
from analysis.schemas.us_cpi import SOURCE_ID

INPUTS: tuple[str, ...] = cpi_us.INPUTS
MONTHS_PER_YEAR = 12
COLUMNS = ["year", "cpi_u_annual_average", "source_id", "source_file", "source_row"]


def annual_average(monthly: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """One row per full year (mean of 12 months); counts of the months not kept as rows."""
    monthly = monthly.sort_values("month").assign(year=lambda d: d["month"].dt.year)
    sizes = monthly.groupby("year")["index"].transform("size")
    full = monthly[sizes == MONTHS_PER_YEAR]
    annual = (
        full.groupby("year", as_index=False)
        .agg(
            cpi_u_annual_average=("index", "mean"),
            source_file=("source_file", "first"),
            source_row=("source_row", "first"),
        )
        .assign(source_id=SOURCE_ID)
    )
    excluded = {
        "month_averaged_into_year": len(full) - len(annual),
        "partial_year": int((sizes != MONTHS_PER_YEAR).sum()),
    }
    return annual[COLUMNS], excluded


def build(raw_dir: Path) -> TableResult:
    """Annual CPI-U averages from the monthly file (pure: reads only)."""
    monthly = cpi_us.load(raw_dir)
    annual, excluded = annual_average(monthly.table)
    partial = sorted(set(monthly.table["month"].dt.year) - set(annual["year"]))
    return TableResult(
        table=annual.reset_index(drop=True),
        quarantine=monthly.quarantine,
        rows_read=monthly.rows_read,
        excluded=excluded,
        inputs=monthly.inputs,
        notes=[f"us_cpi: years with fewer than 12 months left out: {partial}"],
    )
