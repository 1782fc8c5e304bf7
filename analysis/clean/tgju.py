"""tgju.org daily US$ rates (open market and NIMA), as scraped into CSV by third parties.

Each file has its own layout, named once in :data:`FILES`: unit (rial or toman), the column
holding the closing price, the date column that is read and the date column in the other
calendar that must agree with it. Quirks owned here:

- ``Dollar_Rial_Price_Dataset.csv``: rial, reverse chronological, Gregorian ``YYYY/MM/DD`` next to
  the Jalali date; a few rows carry a Gregorian ISO date in the "Persian Date" column (the row is
  kept, its date read from "Gregorian Date", and the count noted);
- ``Dollar_Toman_Price_Dataset.csv``: toman (×10), every field quoted, thousands separators; its
  "Date" column is ``MM/DD/YYYY`` when the day is ≤ 12 and ``DD/MM/YYYY`` otherwise (2,356 of
  3,900 rows), so the unambiguous Jalali "Persian_Date" is read and "Date" only checked;
- ``tgju_nima_buy_usd.csv``: the column named "Price" holds the daily CHANGE, not a price: the
  rate is "Close".

The toman file is an older scrape of the same tgju series as the rial file, and its dates run one
calendar day later than the rial file's for most observations (2,100 of its 3,900 closes equal,
within toman rounding, the rial file's close of the previous day; 557 that of the same day).
Mixing the two per date would add shifted copies, so the older file only fills dates outside the
span of the current rial file; its rows inside that span are counted as
``duplicate_older_scrape``.

A row whose prices all equal the previous calendar day's row in the same file is a carried-forward
copy (``is_carried_forward``). ``source_row`` is the line number in the file (header = line 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.clean.base import Quarantine, TableResult, relative
from analysis.parse.dates import DateStyle, to_dates, to_jalali_text
from analysis.parse.numbers import to_numeric
from analysis.schemas.fx_rates import COLUMNS

SOURCE_ID = "tgju"


@dataclass(frozen=True)
class TgjuFile:
    """How one tgju file is laid out."""

    path: str  #: relative to the raw folder
    rate_type: str
    rial_per_unit_quoted: int  #: 1 for rial, 10 for toman
    close: str  #: the closing-price column (the rate kept)
    prices: tuple[str, ...]  #: all price columns (a row equal to the day before's is a copy)
    date: str  #: the date column read
    date_style: DateStyle
    check: str  #: the other calendar's date column, which must agree
    check_styles: tuple[DateStyle, ...]  #: any of these readings may agree
    #: Path of the current file of which this is an older scrape: fills only dates outside its span.
    older_than: str | None = None


CURRENT_RIAL = "tgju/Dollar_Rial_Price_Dataset.csv"
FILES: tuple[TgjuFile, ...] = (
    TgjuFile(
        CURRENT_RIAL,
        "open_market",
        1,
        close="Close Price",
        prices=("Open Price", "Low Price", "High Price", "Close Price"),
        date="Gregorian Date",
        date_style="gregorian",
        check="Persian Date",
        check_styles=("jalali",),
    ),
    TgjuFile(
        "tgju/Dollar_Toman_Price_Dataset.csv",
        "open_market",
        10,
        close="Close",
        prices=("Open", "Low", "High", "Close"),
        date="Persian_Date",
        date_style="jalali",
        check="Date",
        check_styles=("us", "dmy"),
        older_than=CURRENT_RIAL,
    ),
    TgjuFile(
        "tgju/tgju_nima_buy_usd.csv",
        "nima",
        1,
        close="Close",  # not "Price": that column holds the daily change
        prices=("Open", "Close", "High", "Low"),
        date="Date_Gregorian",
        date_style="gregorian",
        check="Date_Persian",
        check_styles=("jalali",),
    ),
)
INPUTS: tuple[str, ...] = tuple(f.path for f in FILES)


def _carried_forward(frame: pd.DataFrame, prices: list[str]) -> pd.Series:
    """True where every price equals the row of the previous calendar day."""
    ordered = frame.sort_values("date")
    previous = ordered[prices].shift(1)
    same = (ordered[prices] == previous).all(axis=1)
    next_day = ordered["date"].diff() == pd.Timedelta(days=1)
    return (same & next_day).reindex(frame.index)


def read_file(spec: TgjuFile, raw_dir: Path) -> TableResult:
    """One tgju file → rows in rial per US$, with its failures; duplicates not yet resolved."""
    path = raw_dir / spec.path
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = frame.assign(
        source_file=relative(path, raw_dir),
        source_row=frame.index + 2,
        date=to_dates(frame[spec.date], spec.date_style),
    )
    quarantine = Quarantine()
    bad_date = frame["date"].isna()
    quarantine.add_frame(frame[bad_date], spec.date, "date", f"not a valid {spec.date_style} date")
    checks = [to_dates(frame[spec.check], style) for style in spec.check_styles]
    unreadable = pd.concat([c.isna() for c in checks], axis=1).all(axis=1)
    agrees = pd.concat([c == frame["date"] for c in checks], axis=1).any(axis=1)
    mismatch = ~bad_date & ~unreadable & ~agrees
    quarantine.add_frame(
        frame[mismatch], spec.check, "date_consistency", f"{spec.check} disagrees with {spec.date}"
    )
    prices = [*spec.prices]
    numbers = frame[prices].apply(to_numeric)
    bad_close = ~bad_date & ~mismatch & ~(numbers[spec.close] > 0)
    quarantine.add_frame(
        frame[bad_close], spec.close, "positive_number", "closing price is not a number > 0"
    )
    good = ~bad_date & ~mismatch & ~bad_close
    rows = frame[good].assign(**{c: numbers.loc[good, c] for c in prices})
    repeated = rows["date"].duplicated(keep="first")
    rows = rows[~repeated]
    table = rows.assign(
        date_jalali=to_jalali_text(rows["date"]),
        rate_type=spec.rate_type,
        currency="USD",
        irr_per_unit=rows[spec.close] * spec.rial_per_unit_quoted,
        source_id=SOURCE_ID,
        is_carried_forward=_carried_forward(rows, prices),
    )
    n_unreadable = int((~bad_date & unreadable).sum())
    return TableResult(
        table=table[COLUMNS].sort_values("date").reset_index(drop=True),
        quarantine=quarantine.frame(),
        rows_read=len(frame),
        excluded={"duplicate_date_in_file": int(repeated.sum())} if repeated.any() else {},
        inputs=[spec.path],
        notes=(
            [
                f"{spec.path}: {n_unreadable} rows with an unreadable {spec.check} (date read from "
                f"{spec.date})"
            ]
            if n_unreadable
            else []
        ),
    )


def _drop_superseded(result: TableResult, current: pd.DataFrame) -> TableResult:
    """Keep an older scrape's rows only outside the date span of the current file."""
    table = result.table
    inside = table["date"].between(current["date"].min(), current["date"].max())
    return TableResult(
        table=table[~inside].reset_index(drop=True),
        quarantine=result.quarantine,
        rows_read=result.rows_read,
        excluded={**result.excluded, "duplicate_older_scrape": int(inside.sum())},
        inputs=result.inputs,
        notes=result.notes,
    )


def load(raw_dir: Path) -> TableResult:
    """Every tgju file, the older toman scrape reduced to dates the current file lacks."""
    results = {spec.path: read_file(spec, raw_dir) for spec in FILES}
    for spec in FILES:
        if spec.older_than is not None:
            results[spec.path] = _drop_superseded(
                results[spec.path], results[spec.older_than].table
            )
    return TableResult.combine(results.values())
