"""Dates as sources write them: Jalali (Solar Hijri) and Gregorian text, US-style, ISO and Excel
serial numbers; and the Iranian fiscal year.

Calendar arithmetic goes through :mod:`jdatetime` (never by hand). Every parser is pure and never
raises on input: an unreadable or impossible date (``1397/13/40``, ``2019/02/30``) comes back as
``None`` (scalars) or ``NaT`` (Series). Persian and Arabic-Indic digits are accepted everywhere.

The Series helpers parse each distinct value once and map the result back, so a column of 100,000
daily rows with a few thousand distinct dates costs a few thousand conversions.

>>> parse_jalali("1397/01/01"), parse_jalali("۱۳۹۷/۰۱/۰۱"), parse_jalali("1397/13/40")
(datetime.date(2018, 3, 21), datetime.date(2018, 3, 21), None)
>>> fiscal_year(date(2018, 3, 20)), fiscal_year(date(2018, 3, 21))
(1396, 1397)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

import jdatetime
import numpy as np
import pandas as pd

from analysis.parse.numbers import latin_digits

#: How a source writes its dates (see :func:`parse_date`).
DateStyle = Literal["jalali", "gregorian", "iso", "us", "dmy"]

#: Short Jalali years count from 1300: the Statistical Centre of Iran workbooks write ``77`` for
#: 1377 and ``102`` for 1402 (MANIFEST.csv, iran-sci-cpi: years 77-102). A two-digit year below
#: the pivot is after 1399 (``02/01/01`` = 1402/01/01): no source here reaches back before 1350.
JALALI_TWO_DIGIT_PIVOT = 50
#: Years written in full are at least this.
JALALI_FULL_YEAR_MIN = 1000
#: Day 0 of Excel's 1900 date system. Counting from 1899-12-30 absorbs Lotus 1-2-3's fictitious
#: 1900-02-29 (serial 60) for every serial from 61 (1900-03-01) on; EIA: 31917 = 1987-05-20.
EXCEL_EPOCH = date(1899, 12, 30)
#: Serials below this fall in Jan-Feb 1900, where the Lotus bug makes Excel's dates ambiguous.
EXCEL_FIRST_RELIABLE_SERIAL = 61
#: Excel's last date, 9999-12-31.
EXCEL_LAST_SERIAL = 2_958_465

_SEP = r"\s*[/\-.]\s*"
_YMD = re.compile(rf"^([0-9]{{2}}|[0-9]{{4}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{1,2}})$")
_DMY = re.compile(rf"^([0-9]{{1,2}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{4}})$")
_ISO = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ][0-9:.+\-Z]*)?$")


def _clean(text: object) -> str | None:
    """``text`` as stripped ASCII-digit text, or ``None`` when it is not text at all."""
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, float) and math.isnan(text):
        return None
    return latin_digits(str(text)).strip()


def _gregorian(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def expand_jalali_year(year: int, *, pivot: int = JALALI_TWO_DIGIT_PIVOT) -> int:
    """A full Jalali year from a year as the Iranian sources write it: ``77`` → 1377,
    ``102`` → 1402, ``2`` → 1402 (below the pivot: after 1399), ``1397`` → 1397.

    The project's one rule for short Jalali years (dates and year columns alike).
    """
    if year >= JALALI_FULL_YEAR_MIN or year < 0:
        return year
    if year >= 100 or year >= pivot:
        return 1300 + year
    return 1400 + year


#: Distinct dates remembered by the two conversions (a daily series of 15 years is ~5,500).
_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_CACHE_SIZE)
def jalali_to_gregorian(year: int, month: int, day: int) -> date | None:
    """The Gregorian date of a Jalali date, or ``None`` if the Jalali date does not exist."""
    try:
        result: date = jdatetime.date(year, month, day).togregorian()
    except (ValueError, OverflowError, TypeError):
        return None
    return result


def gregorian_to_jalali(day: date) -> tuple[int, int, int] | None:
    """``(year, month, day)`` in the Jalali calendar, or ``None`` before Jalali year 1 (622 AD)."""
    return _gregorian_to_jalali(_as_date(day))


@lru_cache(maxsize=_CACHE_SIZE)
def _gregorian_to_jalali(day: date) -> tuple[int, int, int] | None:
    try:
        j = jdatetime.date.fromgregorian(date=day)
    except (ValueError, OverflowError, TypeError):
        return None
    return j.year, j.month, j.day


def jalali_text(day: date) -> str | None:
    """The Jalali date as ``YYYY/MM/DD`` text (``date(2018, 3, 21)`` → ``'1397/01/01'``)."""
    parts = gregorian_to_jalali(day)
    return None if parts is None else f"{parts[0]:04d}/{parts[1]:02d}/{parts[2]:02d}"


def parse_jalali(text: object, *, pivot: int = JALALI_TWO_DIGIT_PIVOT) -> date | None:
    """The Gregorian date of a Jalali ``YYYY/MM/DD`` (or ``YY/MM/DD``, ``-`` or ``.``) text."""
    s = _clean(text)
    match = _YMD.match(s) if s else None
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if len(match.group(1)) == 2:
        year = expand_jalali_year(year, pivot=pivot)
    return jalali_to_gregorian(year, month, day)


def parse_gregorian(text: object) -> date | None:
    """A Gregorian ``YYYY/MM/DD`` or ``YYYY-MM-DD`` date (four-digit year)."""
    s = _clean(text)
    match = _YMD.match(s) if s else None
    if not match or len(match.group(1)) != 4:
        return None
    return _gregorian(*(int(g) for g in match.groups()))


def parse_iso(text: object) -> date | None:
    """An ISO 8601 date ``YYYY-MM-DD``, optionally followed by a time (which is dropped)."""
    s = _clean(text)
    match = _ISO.match(s) if s else None
    return _gregorian(*(int(g) for g in match.groups())) if match else None


def _two_numbers_and_year(text: object, *, day_first: bool) -> date | None:
    """A ``NN/NN/YYYY`` date, the day first or the month first."""
    s = _clean(text)
    match = _DMY.match(s) if s else None
    if not match:
        return None
    first, second, year = (int(g) for g in match.groups())
    return _gregorian(year, second, first) if day_first else _gregorian(year, first, second)


def parse_us(text: object) -> date | None:
    """A US-style ``MM/DD/YYYY`` date (``12/01/2011`` → 1 December 2011)."""
    return _two_numbers_and_year(text, day_first=False)


def parse_dmy(text: object) -> date | None:
    """A day-first ``DD/MM/YYYY`` date (``27/11/2011`` → 27 November 2011)."""
    return _two_numbers_and_year(text, day_first=True)


def from_excel_serial(value: object) -> date | None:
    """The date of an Excel serial day number (1900 system: ``31917`` → 1987-05-20).

    A fractional part (a time of day) is dropped. Serials before 1900-03-01, where Excel's
    calendar has the fictitious 29 February 1900, are not read.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = _clean(value)
    try:
        serial = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not math.isfinite(serial) or not (
        EXCEL_FIRST_RELIABLE_SERIAL <= serial < EXCEL_LAST_SERIAL + 1
    ):
        return None
    return EXCEL_EPOCH + timedelta(days=int(serial))


_PARSERS: dict[str, Callable[[object], date | None]] = {
    "jalali": parse_jalali,
    "gregorian": parse_gregorian,
    "iso": parse_iso,
    "us": parse_us,
    "dmy": parse_dmy,
}


def parse_date(text: object, style: DateStyle) -> date | None:
    """Parse one date written in ``style``; ``None`` when unreadable or impossible."""
    return _PARSERS[style](text)


def _is_missing(value: object) -> bool:
    """True for ``None``, ``NaN`` and ``NaT``."""
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _as_date(value: date | datetime | pd.Timestamp) -> date:
    return value.date() if isinstance(value, datetime) else value


def _map_unique(values: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """Apply ``func`` to each distinct value of ``values`` once, and map the results back.

    Missing values (``None``, ``NaN``, ``NaT``) are passed to ``func`` as ``None``.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [func(v) for v in uniques]
    results[-1] = func(None)  # code -1: a missing value
    return pd.Series(results[codes], index=values.index, dtype=object)  # pandas 3 infers str


def _to_datetime64(results: pd.Series) -> pd.Series:
    """Dates (or ``None``) → ``datetime64[ns]``; dates outside pandas' range become ``NaT``."""
    dates = pd.to_datetime(results, errors="coerce")
    # pandas 3 keeps the parsed resolution (seconds, microseconds...), so a year such as 2647
    # parses; it is out of the nanosecond range the tables use, hence NaT, as on pandas 2.
    in_range = (dates >= pd.Timestamp.min) & (dates <= pd.Timestamp.max)
    return dates.where(in_range).astype("datetime64[ns]")


def to_dates(values: pd.Series, style: DateStyle) -> pd.Series:
    """Vectorised :func:`parse_date`: a ``datetime64[ns]`` Series, ``NaT`` where unreadable."""
    return _to_datetime64(_map_unique(values, _PARSERS[style]))


def excel_serials_to_dates(values: pd.Series) -> pd.Series:
    """Vectorised :func:`from_excel_serial` (cells already read as datetimes pass through)."""

    def one(value: object) -> date | None:
        if isinstance(value, datetime | date):
            return _as_date(value)
        return from_excel_serial(value)

    return _to_datetime64(_map_unique(values, one))


def to_jalali_text(dates: pd.Series) -> pd.Series:
    """Vectorised :func:`jalali_text` for a datetime Series (``None`` where ``NaT``)."""

    def one(value: object) -> str | None:
        return None if _is_missing(value) else jalali_text(pd.Timestamp(str(value)).date())

    return _map_unique(dates, one)


# --- Iranian fiscal year -------------------------------------------------------------------
# The Iranian fiscal (and calendar) year starts on 1 Farvardin, the March equinox: 20 or 21
# March (rarely 22). The fiscal year is named by its Jalali year: 1397 = 21 Mar 2018-20 Mar 2019.


def fiscal_year(day: date | datetime | pd.Timestamp) -> int:
    """The Iranian fiscal year (a Jalali year) holding ``day``: 2018-03-21 → 1397."""
    parts = gregorian_to_jalali(_as_date(day))
    if parts is None:
        raise ValueError(f"{day} is outside the Jalali calendar's supported years (1-9377)")
    return parts[0]


def fiscal_year_bounds(jalali_year: int) -> tuple[date, date]:
    """First and last Gregorian days of a fiscal year: 1397 → (2018-03-21, 2019-03-20)."""
    start = jalali_to_gregorian(jalali_year, 1, 1)
    following = jalali_to_gregorian(jalali_year + 1, 1, 1)
    if start is None or following is None:
        raise ValueError(f"Jalali year {jalali_year} is outside the supported range")
    return start, following - timedelta(days=1)


def fiscal_years(dates: pd.Series) -> pd.Series:
    """Vectorised :func:`fiscal_year` (nullable ``Int64``; ``<NA>`` where ``NaT``)."""

    def one(value: object) -> int | None:
        return None if _is_missing(value) else fiscal_year(pd.Timestamp(str(value)))

    return _map_unique(dates, one).astype("Int64")
