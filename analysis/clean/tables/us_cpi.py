"""``us_cpi``: annual averages of the monthly US CPI-U (datahub core/cpi-us, BLS CUUR0000SA0).

``datahub-cpi-us/cpiai.csv`` has ``Date`` (``YYYY-MM-01``), ``Index`` and a month-on-month
``Inflation`` column (ignored: derived). The annual average is the mean of the twelve monthly
indexes, as BLS computes it; a year with fewer than twelve months is left out and its months are
counted in ``excluded`` (in the snapshot, 2025 has no October row and 2026 is the current, partial
year).

Row accounting: every monthly row is read; the row of a year's first month is kept (it becomes
the year's row and its ``source_row``), the other eleven months are counted as
``month_averaged_into_year``; months of an incomplete year as ``partial_year``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.clean.base import Quarantine, TableResult, relative
from analysis.schemas.us_cpi import SOURCE_ID

INPUTS: tuple[str, ...] = ("datahub-cpi-us/cpiai.csv",)
MONTHS_PER_YEAR = 12
COLUMNS = ["year", "cpi_u_annual_average", "source_id", "source_file", "source_row"]


def read_monthly(path: Path, raw_dir: Path) -> tuple[pd.DataFrame, Quarantine, int]:
    """The monthly rows (``month`` as Timestamp, ``index`` as float), the failures, rows read."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = frame.assign(
        source_file=relative(path, raw_dir),
        source_row=frame.index + 2,  # line 1 is the header
        month=pd.to_datetime(frame["Date"].str.strip(), format="%Y-%m-%d", errors="coerce"),
        index=pd.to_numeric(frame["Index"].str.strip(), errors="coerce"),
    )
    quarantine = Quarantine()
    bad_date = frame["month"].isna() | (frame["month"].dt.day != 1)
    quarantine.add_frame(frame[bad_date], "Date", "date", "Date is not a first-of-month YYYY-MM-01")
    bad_index = ~bad_date & ~(frame["index"] > 0)
    quarantine.add_frame(frame[bad_index], "Index", "positive_number", "Index is not a number > 0")
    ok = frame[~bad_date & ~bad_index]
    repeated = ok["month"].duplicated(keep="first")
    quarantine.add_frame(ok[repeated], "Date", "unique_month", "the same month appears twice")
    return ok[~repeated], quarantine, len(frame)


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
    path = raw_dir / INPUTS[0]
    monthly, quarantine, rows_read = read_monthly(path, raw_dir)
    annual, excluded = annual_average(monthly)
    partial = sorted(set(monthly["month"].dt.year) - set(annual["year"]))
    return TableResult(
        table=annual.reset_index(drop=True),
        quarantine=quarantine.frame(),
        rows_read=rows_read,
        excluded=excluded,
        inputs=[relative(path, raw_dir)],
        notes=[f"us_cpi: years with fewer than 12 months left out: {partial}"],
    )
