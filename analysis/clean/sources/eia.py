"""EIA spot crude prices (Brent RBRTE, WTI RWTC): datahub CSVs and the original EIA .xls files.

- CSVs ``eia-oil-prices/<benchmark>-<daily|weekly|monthly|year>.csv``: ``Date,Price``, ISO dates,
  CRLF. Weekly, monthly and yearly dates are EIA's period markers (week-ending Friday, the 15th,
  30 June).
- .xls ``eia-oil-prices/<benchmark>-<day|week|month|year>.xls``: legacy BIFF workbooks, sheet
  ``Data 1``, title rows (``Back to Contents``, ``Sourcekey``) above a ``Date`` header, dates as
  date-formatted Excel serial numbers (31917 = 1987-05-20). Read with python-calamine, which
  returns date-formatted cells as dates in the workbook's own date system (1900 or 1904); a
  plain number in the date column is read as a 1900-system serial.

The .xls files are an older vintage (to 2018) of the same series. Choice: the CSV value is kept,
an .xls row is used only for a date its CSV lacks, and .xls rows whose date the CSV has are counted
as ``duplicate_older_vintage`` (the notes say how many of them differ, i.e. were revised).

``source_row``: the line in a CSV (header = line 1), the spreadsheet row in an .xls (1-based).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.clean.base import Collector, TableResult, reading, relative
from analysis.clean.xlsx import read_rows
from analysis.errors import DataError
from analysis.parse.dates import excel_serials_to_dates, to_dates
from analysis.parse.numbers import to_numeric
from analysis.schemas.oil_prices import BENCHMARKS, SOURCE_ID

FOLDER = "eia-oil-prices"
#: File-name suffix → frequency, for the datahub CSVs and for the EIA .xls files.
CSV_FREQUENCIES = {"daily": "day", "weekly": "week", "monthly": "month", "year": "year"}
XLS_FREQUENCIES = {"day": "day", "week": "week", "month": "month", "year": "year"}
CSV_INPUTS = tuple(f"{FOLDER}/*-{suffix}.csv" for suffix in CSV_FREQUENCIES)
XLS_INPUTS = tuple(f"{FOLDER}/*-{suffix}.xls" for suffix in XLS_FREQUENCIES)
XLS_SHEET = "Data 1"
XLS_HEADER = "Date"
COLUMNS = [
    "date",
    "frequency",
    "benchmark",
    "usd_per_barrel",
    "source_id",
    "source_file",
    "source_row",
]
_NAME = re.compile(r"^(?P<benchmark>[a-z]+)-(?P<suffix>[a-z]+)\.(?:csv|xls)$")


def series_of(path: Path, frequencies: dict[str, str]) -> tuple[str, str]:
    """``(benchmark, frequency)`` from a file name such as ``brent-daily.csv``."""
    match = _NAME.match(path.name)
    if not match or match["benchmark"] not in BENCHMARKS or match["suffix"] not in frequencies:
        raise DataError(f"unexpected EIA file name (known benchmarks {BENCHMARKS})", file=path.name)
    return match["benchmark"], frequencies[match["suffix"]]


def _finish(
    frame: pd.DataFrame, path: Path, raw_dir: Path, date_column: str, price_column: str
) -> TableResult:
    """Quarantine unreadable dates/prices, drop repeated dates, shape the columns."""
    benchmark, frequency = series_of(
        path, CSV_FREQUENCIES if path.suffix == ".csv" else XLS_FREQUENCIES
    )
    quarantine = Collector()
    bad_date = frame["date"].isna()
    quarantine.add_frame(frame[bad_date], date_column, "date", "not a readable date")
    bad_price = ~bad_date & frame["usd_per_barrel"].isna()
    quarantine.add_frame(frame[bad_price], price_column, "number", "price is not a number")
    rows = frame[~bad_date & ~bad_price]
    repeated = rows["date"].duplicated(keep="first")
    table = rows[~repeated].assign(
        frequency=frequency,
        benchmark=benchmark,
        source_id=SOURCE_ID,
        source_file=relative(path, raw_dir),
    )
    return TableResult(
        table=table[COLUMNS].reset_index(drop=True),
        quarantine=quarantine.frame(),
        rows_read=len(frame),
        excluded={"duplicate_date_in_file": int(repeated.sum())} if repeated.any() else {},
        inputs=[relative(path, raw_dir)],
    )


def read_csv(path: Path, raw_dir: Path) -> TableResult:
    """One datahub CSV (``Date,Price``)."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = raw.assign(
        date=to_dates(raw["Date"], "iso"),
        usd_per_barrel=to_numeric(raw["Price"]),
        source_row=raw.index + 2,
        Date=raw["Date"],
        Price=raw["Price"],
        source_file=relative(path, raw_dir),
    )
    return _finish(frame, path, raw_dir, "Date", "Price")


def read_xls(path: Path, raw_dir: Path) -> TableResult:
    """One EIA workbook: the ``Data 1`` sheet below its ``Date`` header row."""
    rows = read_rows(path, XLS_SHEET)
    first_column = [row[0] if row else "" for row in rows]
    header = next((i for i, v in enumerate(first_column) if v == XLS_HEADER), None)
    if header is None:
        raise DataError(f"no {XLS_HEADER!r} header in sheet {XLS_SHEET}", file=path.name)
    second_column = [row[1] if len(row) > 1 else "" for row in rows]
    dates = pd.Series(first_column[header + 1 :], dtype=object)
    prices = pd.Series(second_column[header + 1 :], dtype=object)
    frame = pd.DataFrame(
        {
            "Date": dates,
            "Price": prices,
            "date": excel_serials_to_dates(dates),
            "usd_per_barrel": to_numeric(prices),
            "source_row": np.arange(header + 2, header + 2 + len(dates)),  # 1-based sheet rows
            "source_file": relative(path, raw_dir),
        }
    )
    return _finish(frame, path, raw_dir, "Date", "Price")


def prefer_csv(csv: TableResult, xls: TableResult) -> TableResult:
    """Keep every CSV row and the .xls rows for (series, date) the CSVs lack."""
    keys = ["benchmark", "frequency", "date"]
    both = xls.table.merge(
        csv.table[[*keys, "usd_per_barrel"]], on=keys, how="left", suffixes=("", "_csv")
    )
    overlap = both["usd_per_barrel_csv"].notna().to_numpy()
    revised = int((both["usd_per_barrel"] != both["usd_per_barrel_csv"])[overlap].sum())
    older = TableResult(
        table=xls.table[~overlap],
        quarantine=xls.quarantine,
        rows_read=xls.rows_read,
        excluded={**xls.excluded, "duplicate_older_vintage": int(overlap.sum())},
        inputs=xls.inputs,
        notes=[
            f"eia: {int(overlap.sum())} .xls rows repeat a CSV date (CSV kept; {revised} differ), "
            f"{int((~overlap).sum())} .xls rows add dates the CSVs lack"
        ],
    )
    return TableResult.combine([csv, older])


def _read(read: Callable[[Path, Path], TableResult], path: Path, raw_dir: Path) -> TableResult:
    """``read(path, raw_dir)``, an unreadable file named (:func:`reading`)."""
    with reading(path, raw_dir):
        return read(path, raw_dir)


def load(raw_dir: Path) -> TableResult:
    """Every EIA series, CSV first, .xls filling only the dates the CSVs lack."""
    folder = raw_dir / FOLDER
    csv_files = sorted({p for pattern in CSV_INPUTS for p in raw_dir.glob(pattern)})
    xls_files = sorted({p for pattern in XLS_INPUTS for p in raw_dir.glob(pattern)})
    if not csv_files and not xls_files:
        raise DataError("no EIA oil price files", file=str(folder))
    csv = TableResult.combine([_read(read_csv, p, raw_dir) for p in csv_files])
    if not xls_files:
        return csv
    xls = TableResult.combine([_read(read_xls, p, raw_dir) for p in xls_files])
    return prefer_csv(csv, xls) if csv_files else xls
