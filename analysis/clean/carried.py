"""Carried-forward quotes: the rule shared by every daily rate in ``fx_rates``.

A quote is *carried forward* when the market was closed that day and the quote repeats the same
series' quote of the previous calendar day. A series is one currency of one rate type from one
source (a bonbast US$ series, the tgju NIMA series...), so on a Friday on which the euro moved
but the dollar was copied, only the dollar is flagged. The market is closed on Fridays (the
Iranian weekend) and on Iran's official holidays, which come from the ``holidays`` package
(``holidays.country_holidays("IR")``: the Jalali-calendar days such as Nowruz and the Islamic
holidays on the dates observed in Iran). A quote that repeats on a working day is a real quote:
the rate did not move.

A source may add days it knows to be copies (bonbast: a day whose whole record, every currency's
sell and buy, equals the day before's); a quote on such a day that repeats is flagged too.
"""

from __future__ import annotations

from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

#: Iran's weekly day off (pandas' dayofweek: Monday = 0).
FRIDAY = 4
#: The ``holidays`` country code of Iran.
IRAN = "IR"


@lru_cache(maxsize=8)
def _official_holidays(first_year: int, last_year: int) -> pd.DatetimeIndex:
    """Iran's official holidays in the years ``first_year`` to ``last_year``."""
    days = holidays.country_holidays(IRAN, years=range(first_year, last_year + 1))
    return pd.DatetimeIndex(sorted(days), dtype="datetime64[ns]")


def market_closed(dates: pd.Series) -> np.ndarray:
    """True where the date is a Friday or an official Iranian holiday (missing dates: False)."""
    days = pd.DatetimeIndex(pd.to_datetime(dates).astype("datetime64[ns]"))
    known = days.notna()
    if not known.any():
        return np.zeros(len(days), dtype=bool)
    closed = _official_holidays(int(days[known].year.min()), int(days[known].year.max()))
    return np.asarray((days.dayofweek == FRIDAY) | days.isin(closed)) & known


def repeats_previous_day(table: pd.DataFrame, series: list[str]) -> np.ndarray:
    """True where ``irr_per_unit`` equals the same series' value on the previous calendar day
    (a series is one combination of the ``series`` columns; dates unique within it)."""
    if table.empty:
        return np.zeros(0, dtype=bool)
    keys = [table[c].astype("category").cat.codes.to_numpy() for c in reversed(series)]
    dates = table["date"].to_numpy().astype("datetime64[D]").astype("int64")
    order = np.lexsort((dates, *keys))
    values = table["irr_per_unit"].to_numpy()[order]
    same_series = np.ones(len(order), dtype=bool)
    for key in keys:
        same_series &= np.r_[False, key[order][1:] == key[order][:-1]]
    day_dates = dates[order]
    follows = np.r_[False, day_dates[1:] - day_dates[:-1] == 1]
    repeats = np.r_[False, values[1:] == values[:-1]] & same_series & follows
    result = np.empty(len(order), dtype=bool)
    result[order] = repeats
    return result


def carried_forward(
    table: pd.DataFrame, series: list[str], copied_days: pd.DatetimeIndex | None = None
) -> np.ndarray:
    """The ``is_carried_forward`` flag of each row of ``table`` (columns ``date``,
    ``irr_per_unit`` and the ``series`` columns): its quote repeats the previous calendar day's in
    the same series, on a day when the market was closed or that the source marks as a copy
    (``copied_days``)."""
    closed = market_closed(table["date"])
    if copied_days is not None:
        closed |= table["date"].isin(copied_days).to_numpy()
    return repeats_previous_day(table, series) & closed
