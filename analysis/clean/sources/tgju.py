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

Dates one day early (``Dollar_Rial_Price_Dataset.csv`` and ``tgju_nima_buy_usd.csv``, rows dated
before 2025-08-09). Both files copy tgju's history pages, whose Gregorian and Jalali columns agree
with each other but, up to early August 2025, name the calendar day BEFORE the market day: each
row's date is moved one day later where it is read (:data:`DATED_A_DAY_EARLY_BEFORE`). The
evidence, measured on the snapshot (``tests/test_fx_rates.py`` checks it):

- against bonbast's open-market US$, the rial file's 3,626 rows dated before 2025-08-09 have
  closes within 0.5 % of bonbast's same-day quote on 61 % of days once moved (46 % as written),
  and day-on-day changes that correlate at 0.55 once moved (0.13 as written); bonbast's next day
  is the closer one on 66 % of days, and in 43 of 52 quarters;
- the rial file as written quotes on Fridays and not on Thursdays (2024: 49 Fridays, no
  Thursday); the NIMA file as written quotes on 261 Fridays and 20 Thursdays, and on 61 other
  official holidays; moved, 13 Fridays, 258 Thursdays and 6 holidays: the CBI's NIMA system
  does not trade on the Iranian weekend;
- the 295 rial rows from 2025-08-09 on agree with bonbast as written (0.53 within 0.5 %,
  correlation 0.58) and not once moved (0.25, 0.06); from then on both files quote Saturday to
  Thursday (the rial file never on a Friday, the NIMA file once);
- the toman file (another scraper, dated from its Jalali column) needs no move: its changes
  correlate with bonbast at 0.58 as written, and it has no Friday quote from 2019 on.

The cause is not documented; a day stamped at midnight Tehran time and written as a UTC date
(20:30 the day before) would give exactly this. Both files' Gregorian and Jalali columns agree,
so the move applies to both (``date_jalali`` is derived from the moved date).

The toman file (``Dollar_Toman_Price_Dataset.csv``) is not a copy of the rial file: it comes from
another scraper (an older dataset extended with tgju quotes, dated from its Jalali column), and
from 2019 to mid-2023 most of its closes differ from the rial file's. The rial file is preferred
(rial, not rounded to toman); the toman file fills the market days the rial file lacks (689 on the
snapshot, nearly all Saturdays: the rial file has few), and its rows on days the rial file quotes
are counted as ``date_in_preferred_file``, so the table keeps one row per date, rate type,
currency and source.

``is_carried_forward`` follows :mod:`analysis.clean.carried`, over each rate type's combined series.
``source_row`` is the line number in the file (header = line 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.clean.base import Collector, TableResult, reading
from analysis.clean.carried import carried_forward
from analysis.parse.dates import DateStyle, to_dates, to_jalali_text
from analysis.parse.numbers import to_numeric
from analysis.schemas.fx_rates import COLUMNS

SOURCE_ID = "tgju"
#: Rows of tgju's history pages dated before this day name the day before the market day.
DATED_A_DAY_EARLY_BEFORE = pd.Timestamp("2025-08-09")


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
    #: Rows dated before this day are moved one day later (see the module's docstring).
    dated_a_day_early_before: pd.Timestamp | None = None
    #: Path of the preferred file of the same rate: this one only fills the dates it lacks.
    fills: str | None = None


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
        dated_a_day_early_before=DATED_A_DAY_EARLY_BEFORE,
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
        fills=CURRENT_RIAL,
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
        dated_a_day_early_before=DATED_A_DAY_EARLY_BEFORE,
    ),
)
INPUTS: tuple[str, ...] = tuple(f.path for f in FILES)


def _market_days(dates: pd.Series, spec: TgjuFile) -> pd.Series:
    """The market day of each row: its date, one day later where the file dates it a day early."""
    if spec.dated_a_day_early_before is None:
        return dates
    early = dates < spec.dated_a_day_early_before
    return dates.where(~early, dates + pd.Timedelta(days=1))


def read_file(spec: TgjuFile, raw_dir: Path) -> TableResult:
    """One tgju file → rows in rial per US$, with its failures; duplicates not yet resolved."""
    path = raw_dir / spec.path
    with reading(path, raw_dir) as rel:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame = frame.assign(
            source_file=rel,
            source_row=frame.index + 2,
            date=to_dates(frame[spec.date], spec.date_style),
        )
        quarantine = Collector()
        bad_date = frame["date"].isna()
        quarantine.add_frame(
            frame[bad_date], spec.date, "date", f"not a valid {spec.date_style} date"
        )
        checks = [to_dates(frame[spec.check], style) for style in spec.check_styles]
        unreadable = pd.concat([c.isna() for c in checks], axis=1).all(axis=1)
        agrees = pd.concat([c == frame["date"] for c in checks], axis=1).any(axis=1)
        mismatch = ~bad_date & ~unreadable & ~agrees
        quarantine.add_frame(
            frame[mismatch],
            spec.check,
            "date_consistency",
            f"{spec.check} disagrees with {spec.date}",
        )
        prices = [*spec.prices]
        numbers = frame[prices].apply(to_numeric)
        bad_close = ~bad_date & ~mismatch & ~(numbers[spec.close] > 0)
        quarantine.add_frame(
            frame[bad_close], spec.close, "positive_number", "closing price is not a number > 0"
        )
        good = ~bad_date & ~mismatch & ~bad_close
        rows = frame[good].assign(
            date=_market_days(frame.loc[good, "date"], spec),
            **{c: numbers.loc[good, c] for c in prices},
        )
        repeated = rows["date"].duplicated(keep="first")
        rows = rows[~repeated]
        table = rows.assign(
            date_jalali=to_jalali_text(rows["date"]),
            rate_type=spec.rate_type,
            currency="USD",
            irr_per_unit=rows[spec.close] * spec.rial_per_unit_quoted,
            source_id=SOURCE_ID,
            is_carried_forward=False,  # set over the combined series by :func:`load`
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
                    f"{spec.path}: {n_unreadable} rows with an unreadable {spec.check} "
                    f"(date read from {spec.date})"
                ]
                if n_unreadable
                else []
            ),
        )


def _fill_only(result: TableResult, preferred: pd.DataFrame) -> TableResult:
    """Keep a filling file's rows only on dates the preferred file does not quote."""
    table = result.table
    quoted = table["date"].isin(preferred["date"])
    return TableResult(
        table=table[~quoted].reset_index(drop=True),
        quarantine=result.quarantine,
        rows_read=result.rows_read,
        excluded={**result.excluded, "date_in_preferred_file": int(quoted.sum())},
        inputs=result.inputs,
        notes=result.notes,
    )


def load(raw_dir: Path) -> TableResult:
    """Every tgju file, a filling file reduced to the dates its preferred file lacks, each
    quote flagged carried forward or not within its rate type's combined series."""
    results = {spec.path: read_file(spec, raw_dir) for spec in FILES}
    for spec in FILES:
        if spec.fills is not None:
            results[spec.path] = _fill_only(results[spec.path], results[spec.fills].table)
    combined = TableResult.combine(results.values())
    table = combined.table
    table["is_carried_forward"] = carried_forward(table, ["rate_type", "currency"])
    return combined
