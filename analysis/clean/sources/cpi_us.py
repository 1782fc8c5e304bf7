"""Loader of the monthly US CPI-U (datahub core/cpi-us, BLS CUUR0000SA0): ``datahub-cpi-us/``.

``cpiai.csv`` has ``Date`` (``YYYY-MM-01``), ``Index`` and a month-on-month ``Inflation`` column
(ignored: derived). A row whose date is not a first of month, whose index is not a number > 0, or
whose month appeared before is quarantined; the table :mod:`analysis.clean.tables.us_cpi` averages
the months into years.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.clean.base import Collector, TableResult, reading

INPUTS: tuple[str, ...] = ("datahub-cpi-us/cpiai.csv",)
#: The monthly rows' columns: ``month`` (Timestamp), ``index`` (float) and the provenance.
COLUMNS = ["month", "index", "source_file", "source_row"]


def load(raw_dir: Path) -> TableResult:
    """The monthly rows, the failures and the rows read (pure: reads only)."""
    path = raw_dir / INPUTS[0]
    with reading(path, raw_dir) as rel:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame = frame.assign(
            source_file=rel,
            source_row=frame.index + 2,  # line 1 is the header
            month=pd.to_datetime(frame["Date"].str.strip(), format="%Y-%m-%d", errors="coerce"),
            index=pd.to_numeric(frame["Index"].str.strip(), errors="coerce"),
        )
        quarantine = Collector()
        bad_date = frame["month"].isna() | (frame["month"].dt.day != 1)
        quarantine.add_frame(
            frame[bad_date], "Date", "date", "Date is not a first-of-month YYYY-MM-01"
        )
        bad_index = ~bad_date & ~(frame["index"] > 0)
        quarantine.add_frame(
            frame[bad_index], "Index", "positive_number", "Index is not a number > 0"
        )
        ok = frame[~bad_date & ~bad_index]
        repeated = ok["month"].duplicated(keep="first")
        quarantine.add_frame(ok[repeated], "Date", "unique_month", "the same month appears twice")
        return TableResult(
            table=ok.loc[~repeated, COLUMNS].reset_index(drop=True),
            quarantine=quarantine.frame(),
            rows_read=len(frame),
            inputs=[rel],
        )
